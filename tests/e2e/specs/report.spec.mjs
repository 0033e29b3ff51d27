// Reports and share links as a person uses them: build an assessment, copy
// the link, open it in a fresh browser, see the same numbers; hostile links.
import { test, expect, open } from './fixtures.mjs';

async function buildAssessment(page) {
  await open(page, '#/assess');
  await page.getByTestId('sample-button').click();
  for (const name of ['sample-terraform-plan.json', 'sample-aws-config.json', 'sample-iam-credential-report.csv', 'sample-kubernetes.yaml']) {
    await expect(page.locator(`[data-testid="file-status"][data-name="${name}"]`)).toHaveAttribute('data-state', 'done', { timeout: 15_000 });
  }
  await page.getByTestId('scope-organisation').fill('Example Corp <script>alert(1)</script>');
  await page.getByTestId('scope-organisation').press('Tab');
  await page.getByTestId('scope-role-csc').check();
  await page.getByTestId('scope-model-iaas').check();
  const row = page.locator('[data-testid="control-row"][data-control="CLD.9.5.1"]');
  await row.getByTestId('control-status').selectOption('implemented');
  await page.locator('[data-testid="control-row"][data-control="11.1.1"]').getByTestId('control-status').selectOption('not_applicable');
}

test('a share link opens in a fresh browser with the same summary, read-only', async ({ page, browser }) => {
  await buildAssessment(page);
  await page.goto('/#/report');
  const summary = await page.getByTestId('report-summary').innerText();
  expect(summary).toContain('Example Corp <script>alert(1)</script>');
  await page.getByTestId('share-include-ids').check();
  await page.getByTestId('share-button').click();
  const url = await page.getByTestId('share-url').inputValue();
  expect(url).toMatch(/#\/share\/v1\./);
  expect(url.length).toBeLessThanOrEqual(8192);

  // A browser that has never seen the app.
  const ctx = await browser.newContext();
  const fresh = await ctx.newPage();
  const offsite = [];
  const errors = [];
  fresh.on('request', (r) => { if (!r.url().startsWith('http://127.0.0.1:')) offsite.push(r.url()); });
  fresh.on('pageerror', (e) => errors.push(e.message));
  await fresh.goto(url);
  await expect(fresh.getByTestId('shared-banner')).toContainText('Read-only');
  await expect(fresh.getByTestId('report-summary')).toBeVisible();
  expect(await fresh.getByTestId('report-summary').innerText()).toBe(summary);
  await expect(fresh.getByTestId('soa-row')).toHaveCount(121);
  // Save as my assessment: the recipient gets the answers.
  await fresh.getByTestId('save-shared').click();
  await expect(fresh).toHaveURL(/#\/assess$/);
  await expect(fresh.locator('[data-testid="control-row"][data-control="CLD.9.5.1"]').getByTestId('control-status')).toHaveValue('implemented');
  expect(offsite).toEqual([]);
  expect(errors).toEqual([]);
  await ctx.close();
});

test('hostile and broken links show an error and run nothing', async ({ page }) => {
  await open(page, '#/assess');
  await page.evaluate(() => { window.__pwned = false; });
  const cases = [
    '#/share/v1.',
    '#/share/v2.AAAA',
    '#/share/v1.%3Cimg%20src%3Dx%20onerror%3D%22window.__pwned%3Dtrue%22%3E',
    '#/share/v1.' + 'A'.repeat(80_000),
    '#/share/v1.eJzLSM3JyVcozy_KSQEAGgQEXQ',
  ];
  for (const hash of cases) {
    await page.evaluate((h) => { location.hash = h; }, hash);
    await expect(page.getByTestId('error-banner')).toBeVisible();
    await expect(page.locator('img')).toHaveCount(0);
  }
  // A valid link whose payload was truncated in transit.
  await page.goto('/#/report');
  await page.getByTestId('share-button').click();
  const url = await page.getByTestId('share-url').inputValue();
  await page.goto(url.slice(0, url.length - 40));
  await expect(page.getByTestId('error-banner')).toBeVisible();
  expect(await page.evaluate(() => window.__pwned)).toBeFalsy();
});

test('the link leaves out notes and resource names unless chosen', async ({ page }) => {
  await buildAssessment(page);
  const row = page.locator('[data-testid="control-row"][data-control="CLD.9.5.1"]');
  await row.getByRole('button', { name: 'Details' }).click();
  await row.getByTestId('control-notes').fill('secret-runbook-location');
  await page.goto('/#/report');
  await page.getByTestId('share-button').click();
  const url = await page.getByTestId('share-url').inputValue();
  await page.goto(url);
  await expect(page.getByTestId('shared-banner')).toContainText('left out');
  await expect(page.locator('body')).not.toContainText('secret-runbook-location');
  await expect(page.locator('body')).not.toContainText('invalid_allow_all');
});

test('print layout hides the app chrome', async ({ page }) => {
  await buildAssessment(page);
  await page.goto('/#/report');
  await page.emulateMedia({ media: 'print' });
  await expect(page.locator('.site-header')).toBeHidden();
  await expect(page.getByTestId('share-button')).toBeHidden();
  await expect(page.getByTestId('report-summary')).toBeVisible();
  await page.screenshot({ path: 'test-results/report-print.png', fullPage: true });
});

test('every export downloads a well-formed file', async ({ page }) => {
  await buildAssessment(page);
  await page.goto('/#/report');
  const files = {};
  for (const id of ['json', 'csv-findings', 'csv-soa', 'markdown', 'oscal']) {
    const dl = page.waitForEvent('download');
    await page.getByTestId(`export-${id}`).click();
    const d = await dl;
    files[id] = { name: d.suggestedFilename(), text: (await import('node:fs')).readFileSync(await d.path(), 'utf8') };
  }
  expect(JSON.parse(files.json.text).format).toBe('iso27017-assessor/workspace');
  expect(files['csv-soa'].text.trim().split('\n').length).toBeGreaterThanOrEqual(122);
  expect(files['csv-findings'].name).toMatch(/\.csv$/);
  // The organisation contains markup: in CSV it is text, in Markdown it is escaped.
  expect(files.markdown.text).not.toContain('<script>');
  const oscal = JSON.parse(files.oscal.text);
  expect(oscal['assessment-results'].metadata['oscal-version']).toBe('1.1.2');
});

test('a shared report exports too (the worker makes the files from the link)', async ({ page }) => {
  await buildAssessment(page);
  await page.goto('/#/report');
  await page.getByTestId('share-button').click();
  const url = await page.getByTestId('share-url').inputValue();
  await page.goto(url);
  await expect(page.getByTestId('shared-banner')).toBeVisible();
  await expect(page.getByTestId('export-json')).toHaveCount(0);
  for (const [id, check] of [['markdown', (t) => t.includes('Example Corp')], ['csv-soa', (t) => t.trim().split('\n').length >= 122]]) {
    const dl = page.waitForEvent('download');
    await page.getByTestId(`export-${id}`).click();
    const d = await dl;
    const text = (await import('node:fs')).readFileSync(await d.path(), 'utf8');
    expect(check(text), `${id}: ${text.slice(0, 200)}`).toBe(true);
  }
  await expect(page.getByTestId('export-status')).toHaveCount(0);
});
