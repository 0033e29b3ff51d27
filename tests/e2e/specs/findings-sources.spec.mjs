// The findings table filters by who found a finding (our checks or an imported
// scanner) and by account, subscription or project: an assessment of several
// accounts and several sources is read one slice at a time.
import { test, expect, open } from './fixtures.mjs';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.join(here, '../../..');
const FILES = [
  ['tests/fixtures/scanners', 'prowler_example_output_aws.ocsf.json'],
  ['tests/fixtures/scanners', 'prowler_example_output_azure.ocsf.json'],
  ['tests/fixtures/ingest/terraform', 'bucket_sse_infra.json'],
];

/** Drop a file on the page with a real `drop` event carrying a DataTransfer. */
async function dropText(page, name, text) {
  const dt = await page.evaluateHandle(([name, text]) => {
    const dt = new DataTransfer();
    dt.items.add(new File([text], name, { type: 'application/json' }));
    return dt;
  }, [name, text]);
  await page.dispatchEvent('body', 'dragover', { dataTransfer: dt });
  await page.dispatchEvent('body', 'drop', { dataTransfer: dt });
}

/** The check ids and accounts of the rows the table shows, and the count line's first number. */
async function shown(page) {
  await expect(page.getByTestId('findings-count')).toHaveText(/^[0-9]+ of [0-9]+ findings$/);
  const n = Number((await page.getByTestId('findings-count').innerText()).split(' ')[0]);
  const checks = await page.getByTestId('finding-row').evaluateAll((rows) => rows.map((r) => r.dataset.check));
  return { n, checks };
}

test('findings are filtered by source (our checks or a scanner) and by account', async ({ page }) => {
  await open(page, '#/assess');
  for (const [dir, name] of FILES) {
    await dropText(page, name, readFileSync(path.join(root, dir, name), 'utf8'));
    await expect(page.locator(`[data-testid="file-status"][data-name="${name}"]`)).toHaveAttribute('data-state', 'done', { timeout: 15_000 });
  }
  await page.goto('/#/findings');
  await page.getByTestId('findings-status').selectOption('all');
  const all = await shown(page);
  expect(all.checks.some((c) => c.startsWith('prowler:'))).toBe(true);
  expect(all.checks.some((c) => !c.startsWith('prowler:'))).toBe(true);

  // Found by: all sources, our checks, and each scanner present.
  const source = page.getByTestId('findings-source');
  await expect(source.locator('option')).toHaveText(['All sources', 'Our checks', 'Prowler']);
  await source.selectOption('Prowler');
  const prowler = await shown(page);
  expect(prowler.n).toBe(10);
  expect(prowler.checks.every((c) => c.startsWith('prowler:'))).toBe(true);
  await source.selectOption('ours');
  const ours = await shown(page);
  expect(ours.n).toBe(all.n - 10);
  expect(ours.checks.some((c) => c.startsWith('prowler:'))).toBe(false);

  // Account: each account, subscription or project of the findings (the plan names none).
  await source.selectOption('all');
  const account = page.getByTestId('findings-account');
  await expect(account.locator('option')).toHaveText(['All accounts', '<account_uid>', '<subscription_uid>']);
  await account.selectOption('<subscription_uid>');
  const azure = await shown(page);
  expect(azure.n).toBe(5);
  expect(azure.checks.every((c) => c.startsWith('prowler:'))).toBe(true);
  await account.selectOption('all');
  expect((await shown(page)).n).toBe(all.n);
});
