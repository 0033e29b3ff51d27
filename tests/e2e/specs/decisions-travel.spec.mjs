// Imported check ids no table maps can be mapped to controls in the app: the
// choice is kept per check id in the assessment (storage version 5), the worker
// maps the findings again at once (no file dropped again), it survives a
// reload, and "Remove mapping" undoes it. And the browser takes a findings
// file of 100,000 Prowler findings (made in the page, dropped as a real file).
// (Decisions travelling to the CLI are tested natively: tests/workspace_cli.rs.)
import AxeBuilder from '@axe-core/playwright';
import { test, expect, open } from './fixtures.mjs';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.join(here, '../../..');
const PROWLER = 'prowler_example_output_aws.ocsf.json';
const CHECK = 'prowler:accessanalyzer_enabled';

/** Drop files on the page with a real `drop` event carrying a DataTransfer. */
async function dropText(page, name, text) {
  const dt = await page.evaluateHandle(([name, text]) => {
    const dt = new DataTransfer();
    dt.items.add(new File([text], name, { type: 'application/json' }));
    return dt;
  }, [name, text]);
  await page.dispatchEvent('body', 'dragover', { dataTransfer: dt });
  await page.dispatchEvent('body', 'drop', { dataTransfer: dt });
}

const row = (page, check) => page.locator(`[data-testid="unmapped-check"][data-check="${check}"]`);
const control = (page, id) => page.locator(`[data-testid="control-row"][data-control="${id}"]`);

/** The check ids of the findings the findings page lists for a control (every status). */
async function findingsOf(page, id) {
  await page.goto(`/#/findings?control=${id}`);
  await page.getByTestId('findings-status').selectOption('all');
  await expect(page.getByTestId('findings-count')).toHaveText(/^[0-9]+ of [0-9]+ findings$/);
  const shown = Number((await page.getByTestId('findings-count').innerText()).split(' ')[0]);
  if (shown > 0) await expect(page.getByTestId('finding-row').first()).toBeVisible();
  const checks = await page.getByTestId('finding-row').evaluateAll((rows) => rows.map((r) => r.dataset.check));
  await page.goto('/#/assess');
  return checks;
}

test('an unmapped imported check id is mapped to controls, kept across a reload, and unmapped again', async ({ page }) => {
  await open(page, '#/assess');
  await dropText(page, PROWLER, readFileSync(path.join(root, 'tests/fixtures/scanners', PROWLER), 'utf8'));
  await expect(page.locator(`[data-testid="file-status"][data-name="${PROWLER}"]`)).toHaveAttribute('data-state', 'done', { timeout: 15_000 });

  // The five check ids of the file no table maps are listed, none mapped.
  await expect(page.getByTestId('unmapped-check')).toHaveCount(5);
  await expect(row(page, CHECK)).toHaveAttribute('data-mapped', 'false');
  expect(await findingsOf(page, '12.4.1')).not.toContain(CHECK);
  const before = await control(page, 'CLD.12.4.5').getByTestId('control-automated').innerText();

  // Accessible (labels, contrast), and no sideways scrolling at phone width.
  const axe = await new AxeBuilder({ page }).include('[data-testid="unmapped-checks"]').analyze();
  expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
  await page.setViewportSize({ width: 390, height: 844 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  await page.setViewportSize({ width: 1280, height: 720 });

  // Search narrows the list; two controls chosen.
  await row(page, CHECK).getByTestId('mapping-search').fill('CLD.12.4.5');
  await expect(row(page, CHECK).locator('option')).toHaveCount(1);
  await row(page, CHECK).getByTestId('mapping-search').fill('');
  await row(page, CHECK).getByTestId('mapping-controls').selectOption(['12.4.1', 'CLD.12.4.5']);
  await row(page, CHECK).getByTestId('mapping-save').click();

  // At once, without dropping the file again: mapped, and the finding is the controls'.
  await expect(row(page, CHECK)).toHaveAttribute('data-mapped', 'true');
  await expect(row(page, CHECK).getByTestId('mapping-current')).toHaveText('Mapped to 12.4.1, CLD.12.4.5 (your mapping)');
  await expect(control(page, 'CLD.12.4.5').getByTestId('control-automated')).not.toHaveText(before, { timeout: 10_000 });
  expect(await findingsOf(page, '12.4.1')).toContain(CHECK);
  expect(await findingsOf(page, 'CLD.12.4.5')).toContain(CHECK);
  await expect(page.getByTestId('unmapped-check')).toHaveCount(5);

  // After a reload (the worker holds no file): still mapped, still under the controls.
  await page.reload();
  await expect(page.locator('html[data-ready="true"]')).toHaveCount(1);
  await expect(row(page, CHECK)).toHaveAttribute('data-mapped', 'true');
  expect(await findingsOf(page, '12.4.1')).toContain(CHECK);

  // Removed: back to no control, even with the file no longer in the worker.
  await row(page, CHECK).getByTestId('mapping-remove').click();
  await expect(row(page, CHECK)).toHaveAttribute('data-mapped', 'false');
  await expect(row(page, CHECK).getByTestId('mapping-current')).toHaveCount(0);
  await expect(control(page, 'CLD.12.4.5').getByTestId('control-automated')).toHaveText(before, { timeout: 10_000 });
  expect(await findingsOf(page, '12.4.1')).not.toContain(CHECK);

  // The exported assessment carries the mapping (then none) for the CLI.
  await row(page, CHECK).getByTestId('mapping-controls').selectOption(['9.1.2']);
  await row(page, CHECK).getByTestId('mapping-save').click();
  await expect(row(page, CHECK).getByTestId('mapping-current')).toHaveText('Mapped to 9.1.2 (your mapping)');
  await page.goto('/#/report');
  const dl = page.waitForEvent('download');
  await page.getByTestId('export-json').click();
  const doc = JSON.parse(readFileSync(await (await dl).path(), 'utf8'));
  expect(doc.version).toBe(5);
  expect(doc.workspaces[0].mappings).toEqual([{ check: CHECK, controls: ['9.1.2'] }]);
});

test('a scanner check id named like markup is shown as text', async ({ page }) => {
  await open(page, '#/assess');
  const doc = JSON.parse(readFileSync(path.join(root, 'tests/fixtures/scanners', PROWLER), 'utf8'));
  doc[0].metadata.event_code = '<img src=x onerror=alert(1)>';
  doc[0].finding_info.title = '<b>bold</b> title';
  await dropText(page, 'hostile.ocsf.json', JSON.stringify(doc));
  await expect(page.locator('[data-testid="file-status"][data-name="hostile.ocsf.json"]')).toHaveAttribute('data-state', 'done', { timeout: 15_000 });
  const hostile = page.locator('[data-testid="unmapped-check"][data-check="prowler:_img_src_x_onerror_alert_1__"]');
  await expect(hostile).toContainText('<b>bold</b> title');
  await expect(page.locator('[data-testid="unmapped-checks"] img, [data-testid="unmapped-checks"] b')).toHaveCount(0);
});

/** A Prowler OCSF array of `n` findings over six check ids (one unmapped), made in the page. */
function makeProwler(n) {
  const checks = ['s3_bucket_default_encryption', 'cloudtrail_multi_region_enabled', 'ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_22',
    'iam_user_mfa_enabled_console_access', 'rds_instance_storage_encrypted', 'accessanalyzer_enabled'];
  const parts = ['['];
  for (let i = 0; i < n; i++) {
    const check = checks[i % checks.length];
    const status = i % 3 === 0 ? 'PASS' : 'FAIL';
    parts.push(`${i ? ',' : ''}{"message":"Bucket bucket-${i} checked by ${check}.","metadata":{"event_code":"${check}","product":{"name":"Prowler","uid":"prowler","vendor_name":"Prowler","version":"5.4.0"},"version":"1.4.0"},`
      + `"severity":"Medium","severity_id":3,"status_code":"${status}","status_detail":"bucket-${i}","status_id":1,"class_uid":2004,"class_name":"Detection Finding",`
      + `"finding_info":{"title":"Check ${check}","uid":"prowler-aws-${check}-123456789012-eu-west-1-bucket-${i}"},`
      + `"resources":[{"region":"eu-west-1","name":"bucket-${i}","type":"AwsS3Bucket","uid":"arn:aws:s3:::bucket-${i}"}],`
      + `"cloud":{"account":{"uid":"123456789012"},"provider":"aws","region":"eu-west-1"},"remediation":{"desc":"Fix it."}}`);
  }
  parts.push(']');
  return parts;
}

test('a findings file of 100,000 Prowler findings: counts and the table', async ({ page }) => {
  test.setTimeout(240_000);
  await open(page, '#/assess');
  const name = 'prowler-100k.ocsf.json';
  const dt = await page.evaluateHandle(([name, src]) => {
    const make = new Function(`return (${src})`)();
    const dt = new DataTransfer();
    dt.items.add(new File(make(100_000), name, { type: 'application/json' }));
    return dt;
  }, [name, makeProwler.toString()]);
  await page.dispatchEvent('body', 'dragover', { dataTransfer: dt });
  await page.dispatchEvent('body', 'drop', { dataTransfer: dt });
  const file = page.locator(`[data-testid="file-status"][data-name="${name}"]`);
  await expect(file).toHaveAttribute('data-state', 'done', { timeout: 180_000 });
  await expect(file).toContainText('findings imported');
  // Every sixth finding is of the unmapped check id (i = 5 mod 6, never a multiple of 3: all failing).
  await expect(row(page, CHECK)).toContainText('(Prowler; 16666 findings, 16666 failing)');
  // The table: 66,666 failing findings open by default, 100,000 with the passes.
  await page.goto('/#/findings');
  await expect(page.getByTestId('findings-count')).toHaveText('66666 of 100000 findings', { timeout: 60_000 });
  await expect(page.getByTestId('finding-row').first()).toBeVisible();
  await page.getByTestId('findings-status').selectOption('all');
  await expect(page.getByTestId('findings-count')).toHaveText('100000 of 100000 findings');
  // Virtualised: a screenful of rows in the DOM, not 100,000.
  expect(await page.getByTestId('finding-row').count()).toBeLessThan(500);
  await page.getByTestId('findings-scroller').evaluate((el) => { el.scrollTop = el.scrollHeight; });
  await expect(page.locator('[data-testid="finding-row"][data-at]').last()).toBeVisible();
});
