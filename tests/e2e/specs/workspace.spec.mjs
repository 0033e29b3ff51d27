// The assessment workspace as a person uses it: drop or pick exports, read
// findings, answer controls, reload, recover from corrupt storage, and move
// the workspace between browsers as a file.
import { test, expect, open } from './fixtures.mjs';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixture = (rel) => path.join(here, '../../fixtures/ingest', rel);
const TF_PLAN = fixture('terraform/ingress_anywhere_infra.json');
const CRED_REPORT = fixture('aws-iam/custodian_credential_report_extracted.csv');

/** Drop files on the page with a real `drop` event carrying a DataTransfer. */
async function dropFiles(page, files) {
  const payload = files.map((f) => ({ name: path.basename(f), text: readFileSync(f, 'utf8') }));
  const dt = await page.evaluateHandle((items) => {
    const dt = new DataTransfer();
    for (const it of items) dt.items.add(new File([it.text], it.name, { type: 'application/json' }));
    return dt;
  }, payload);
  await page.dispatchEvent('body', 'dragover', { dataTransfer: dt });
  await page.dispatchEvent('body', 'drop', { dataTransfer: dt });
}

async function expectDone(page, name) {
  const row = page.locator(`[data-testid="file-status"][data-name="${name}"]`);
  await expect(row).toHaveAttribute('data-state', 'done', { timeout: 15_000 });
  return row;
}

test('dropping a Terraform plan shows its findings on the right controls', async ({ page }) => {
  await open(page, '#/assess');
  await expect(page.getByTestId('dropzone')).toBeVisible();
  await dropFiles(page, [TF_PLAN]);
  const row = await expectDone(page, 'ingress_anywhere_infra.json');
  await expect(row.getByTestId('file-format')).toHaveText(/Terraform plan/);
  await expect(row.getByTestId('file-resources')).toHaveText('5 resources');
  // Open security groups evidence 13.1.3 (network controls): not met automatically.
  const ctl = page.locator('[data-testid="control-row"][data-control="13.1.3"]');
  await expect(ctl).toHaveAttribute('data-outcome', 'not_met_automated');
  await expect(ctl.getByTestId('control-automated')).toContainText('fail');
  // The findings table lists the failing security group by address.
  await page.goto('/#/findings?control=13.1.3');
  const findings = page.getByTestId('finding-row');
  await expect(findings.first()).toBeVisible();
  await expect(page.getByTestId('findings-scroller')).toContainText('aws_security_group.invalid_allow_all');
  // Search ignores case; the count follows.
  await page.getByTestId('findings-search').fill('INVALID_ALLOW_ALL');
  await expect(page.getByTestId('findings-count')).toHaveText(/^[1-9][0-9]* of [0-9]+ findings$/);
  for (const text of await page.getByTestId('finding-row').allInnerTexts()) expect(text).toContain('invalid_allow_all');
  await page.getByTestId('findings-search').fill('');
  // Evidence: the exact fragment of the uploaded file.
  await page.locator('[data-testid="finding-row"][data-status="fail"]').first().click();
  await expect(page.getByTestId('evidence-panel')).toContainText('Remediation');
  await page.getByTestId('show-fragment').click();
  await expect(page.getByTestId('evidence-fragment')).toContainText('0.0.0.0/0');
  // After a reload the findings are still there (raw file gone: fragment says so).
  await page.reload();
  await expect(page.locator('html[data-ready="true"]')).toHaveCount(1);
  await expect(page.getByTestId('findings-scroller')).toContainText('aws_security_group.invalid_allow_all');
  await page.locator('[data-testid="finding-row"][data-status="fail"]').first().click();
  await page.getByTestId('show-fragment').click();
  await expect(page.getByTestId('evidence-panel')).toContainText('not in memory');
  await page.goto('/#/assess');
  await expect(page.locator('[data-testid="control-row"][data-control="13.1.3"]')).toHaveAttribute('data-outcome', 'not_met_automated');
  await expect(page.locator('[data-testid="file-status"][data-name="ingress_anywhere_infra.json"]')).toContainText('earlier session');
});

test('the file picker takes several files; a refused file says why; files can be removed', async ({ page }) => {
  await open(page, '#/assess');
  await page.getByTestId('upload-input').setInputFiles([
    { name: path.basename(CRED_REPORT), mimeType: 'text/csv', buffer: readFileSync(CRED_REPORT) },
    { name: 'photo.png', mimeType: 'image/png', buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d, 0, 1, 2]) },
  ]);
  const cred = await expectDone(page, 'custodian_credential_report_extracted.csv');
  await expect(cred.getByTestId('file-format')).toHaveText(/credential report/);
  const bad = page.locator('[data-testid="file-status"][data-name="photo.png"]');
  await expect(bad).toHaveAttribute('data-state', 'refused');
  await expect(bad.getByTestId('error-banner')).toContainText('binary');
  await cred.getByTestId('remove-file').click();
  await expect(page.locator('[data-testid="file-status"][data-name="custodian_credential_report_extracted.csv"]')).toHaveCount(0);
});

test('answers and notes survive a reload; notes render safely', async ({ page }) => {
  await open(page, '#/assess');
  const ctl = page.locator('[data-testid="control-row"][data-control="CLD.9.5.1"]');
  await ctl.getByTestId('control-status').selectOption('implemented');
  await ctl.getByRole('button', { name: 'Details' }).click();
  await ctl.getByTestId('control-notes').fill('Segregation **verified** <img src=x onerror=alert(1)> [runbook](javascript:alert(1)) [wiki](https://example.com/wiki)');
  const preview = ctl.getByTestId('control-notes-preview');
  await expect(preview.locator('strong')).toHaveText('verified');
  await expect(preview.locator('img')).toHaveCount(0);
  await expect(preview.locator('a[href^="javascript"]')).toHaveCount(0);
  await expect(preview.locator('a[href="https://example.com/wiki"]')).toHaveCount(1);
  await page.reload();
  await expect(page.locator('html[data-ready="true"]')).toHaveCount(1);
  const again = page.locator('[data-testid="control-row"][data-control="CLD.9.5.1"]');
  await expect(again.getByTestId('control-status')).toHaveValue('implemented');
  await expect(again).toHaveAttribute('data-outcome', 'met');
  await again.getByRole('button', { name: 'Details' }).click();
  await expect(again.getByTestId('control-notes')).toHaveValue(/Segregation \*\*verified\*\*/);
});

test('corrupt stored data is set aside with a message and can be downloaded', async ({ page }) => {
  await open(page, '#/assess');
  await page.evaluate(() => localStorage.setItem('iso27017-assessor.workspaces', '{"format":"iso27017-assessor/workspace","version":1,"workspaces":[{"broken'));
  await page.reload();
  const banner = page.getByTestId('error-banner');
  await expect(banner).toContainText('could not be read');
  await expect(banner).toContainText('set aside');
  const backupKeys = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('iso27017-assessor.backup.')));
  expect(backupKeys.length).toBe(1);
  const kept = await page.evaluate((k) => localStorage.getItem(k), backupKeys[0]);
  expect(kept).toContain('"workspaces":[{"broken');
  const download = page.waitForEvent('download');
  await page.getByTestId('backup-download').click();
  expect((await download).suggestedFilename()).toBe('iso27017-backup.json');
  // The app works: a fresh assessment is there and saves.
  await expect(page.getByTestId('control-row')).toHaveCount(121);
});

test('data from a newer version is not overwritten silently', async ({ page }) => {
  await open(page, '#/assess');
  await page.evaluate(() => localStorage.setItem('iso27017-assessor.workspaces', '{"format":"iso27017-assessor/workspace","version":99,"workspaces":[]}'));
  await page.reload();
  await expect(page.getByTestId('error-banner')).toContainText('newer version');
});

test('export then import the workspace round-trips', async ({ page }) => {
  await open(page, '#/assess');
  await page.locator('[data-testid="control-row"][data-control="12.4.1"]').getByTestId('control-status').selectOption('partially_implemented');
  await page.goto('/#/workspaces');
  const dl = page.waitForEvent('download');
  await page.getByTestId('workspace-export').click();
  const file = await (await dl).path();
  const text = readFileSync(file, 'utf8');
  expect(JSON.parse(text).format).toBe('iso27017-assessor/workspace');
  // Clear everything, then import the file.
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await expect(page.locator('html[data-ready="true"]')).toHaveCount(1);
  await page.getByTestId('workspace-import').setInputFiles({ name: 'ws.json', mimeType: 'application/json', buffer: Buffer.from(text) });
  // Only an empty assessment here: nothing to lose, so the file's assessment is added without asking.
  await expect(page.getByTestId('import-result')).toContainText('Added 1 assessment');
  await page.goto('/#/assess');
  await expect(page.locator('[data-testid="control-row"][data-control="12.4.1"]').getByTestId('control-status')).toHaveValue('partially_implemented');
  // A broken file is refused and replaces nothing.
  await page.goto('/#/workspaces');
  await page.getByTestId('workspace-import').setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from('{"format":"other"}') });
  await expect(page.getByTestId('error-banner')).toContainText('Nothing was changed');
});

test('two tabs on the same assessment stay consistent', async ({ page }) => {
  await open(page, '#/assess');
  const other = await page.context().newPage();
  await other.goto('/#/assess');
  await expect(other.locator('html[data-ready="true"]')).toHaveCount(1);
  await page.locator('[data-testid="control-row"][data-control="5.1.1"]').getByTestId('control-status').selectOption('implemented');
  await expect(other.locator('[data-testid="control-row"][data-control="5.1.1"]').getByTestId('control-status')).toHaveValue('implemented');
  await other.close();
});

test('sample data gives a full assessment in one click', async ({ page }) => {
  await open(page, '#/assess');
  await page.getByTestId('sample-button').click();
  for (const name of ['sample-terraform-plan.json', 'sample-aws-config.json', 'sample-iam-credential-report.csv', 'sample-kubernetes.yaml']) {
    await expectDone(page, name);
  }
  await expect(page.getByTestId('count-notmet')).not.toHaveText('0');
  await expect(page.getByTestId('chart-clauses')).toBeVisible();
  await page.goto('/#/findings');
  await expect(page.getByTestId('findings-count')).toContainText('findings');
  // Waive one failing finding with an expiry: it stops counting as failing.
  await page.getByTestId('findings-status').selectOption('fail');
  const before = await page.getByTestId('findings-count').innerText();
  await page.getByTestId('finding-row').first().click();
  await page.getByTestId('decision-reason').fill('Compensating control: WAF in front');
  await page.getByTestId('decision-expires').fill('2999-12-31');
  await page.getByTestId('decision-save').click();
  await expect(page.getByTestId('findings-count')).not.toHaveText(before);
});

test('a full storage quota gives a clear message and loses nothing already saved', async ({ page }) => {
  await open(page, '#/assess');
  const row = () => page.locator('[data-testid="control-row"][data-control="CLD.12.1.5"]');
  await row().getByTestId('control-status').selectOption('implemented');
  await expect.poll(() => page.evaluate(() => localStorage.getItem('iso27017-assessor.workspaces') || '')).toContain('CLD.12.1.5');
  // Fill the origin's storage to the brim.
  await page.evaluate(() => {
    let size = 1 << 20;
    for (let i = 0; size >= 16; i++) {
      try { localStorage.setItem('filler-' + i, 'x'.repeat(size)); } catch (e) { size = Math.floor(size / 2); }
    }
  });
  await row().getByTestId('control-status').selectOption('partially_implemented');
  await dropFiles(page, [TF_PLAN]);
  await expectDone(page, 'ingress_anywhere_infra.json');
  await expect(page.getByTestId('error-banner')).toContainText(/Could not save|do not fit/);
  // What was saved before the quota filled up is intact.
  const saved = await page.evaluate(() => localStorage.getItem('iso27017-assessor.workspaces'));
  expect(saved).toContain('"implemented"');
  await page.evaluate(() => { for (const k of Object.keys(localStorage)) if (k.startsWith('filler-')) localStorage.removeItem(k); });
});
