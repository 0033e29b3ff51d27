import { test, expect, open } from './fixtures.mjs';

const rows = (page) => page.getByTestId('control-row');

test('the catalog lists all 121 controls grouped by clause', async ({ page }) => {
  await open(page, '#/controls');
  await expect(rows(page)).toHaveCount(121);
  await expect(page.getByTestId('result-count')).toHaveText('121 controls');
  await expect(page.getByRole('heading', { level: 2, name: '9 Access control' })).toBeVisible();
  await expect(page).toHaveTitle(/Controls · ISO\/IEC 27017 Assessor/);
});

test('search "virtual", open CLD.9.5.1 and read rendered guidance', async ({ page }) => {
  await open(page, '#/controls');
  await page.getByTestId('search-input').fill('virtual');
  const hit = page.locator('[data-testid="control-row"][data-control-id="CLD.9.5.1"]');
  await expect(hit).toBeVisible();
  expect(await rows(page).count()).toBeLessThan(121);
  await expect(page).toHaveURL(/#\/controls\?q=virtual$/);
  await hit.getByRole('link').click();
  await expect(page).toHaveURL(/#\/controls\/CLD\.9\.5\.1$/);
  await expect(page.getByTestId('control-title')).toHaveText('Segregation in virtual computing environments');
  for (const part of ['intent', 'csc', 'csp', 'evidence', 'pitfalls']) {
    await expect(page.getByTestId(`guidance-${part}`)).toBeVisible();
  }
  // Markdown is rendered, not shown as source.
  const csc = page.getByTestId('guidance-csc');
  await expect(csc.locator('p, li').first()).toBeVisible();
  expect(await csc.innerText()).not.toContain('**');
  await expect(page.getByTestId('guidance-pitfalls').locator('strong', { hasText: 'AWS:' })).toBeVisible();
  await expect(page.getByTestId('responsibility')).toContainText('IaaS');
  await expect(page.getByTestId('mapping')).toContainText('8.22');
  await expect(page.getByTestId('mapping')).toContainText('Suggested mapping');
});

test('a deep link opens straight to the control in a fresh page', async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const offsite = [];
  page.on('request', (r) => { if (!r.url().startsWith('http://127.0.0.1:')) offsite.push(r.url()); });
  await page.goto('/#/controls/CLD.9.5.1');
  await expect(page.getByTestId('control-title')).toHaveText('Segregation in virtual computing environments');
  await expect(page).toHaveTitle(/^CLD\.9\.5\.1 Segregation/);
  // A part link scrolls to that part.
  await page.goto('/#/controls/12.4.1/csp');
  await expect(page.getByTestId('control-title')).toHaveText('Event logging');
  await expect(page.getByTestId('guidance-csp')).toBeInViewport();
  expect(offsite).toEqual([]);
  await context.close();
});

test('2022 numbers find the controls that map to them', async ({ page }) => {
  await open(page, '#/controls?q=5.23');
  const ids = await rows(page).evaluateAll((els) => els.map((e) => e.dataset.controlId));
  expect(ids).toEqual(expect.arrayContaining(['CLD.6.3.1', 'CLD.8.1.5', 'CLD.9.5.1']));
  await open(page, '#/controls?q=9.4.1');
  await expect(rows(page).first()).toHaveAttribute('data-control-id', '9.4.1');
});

test('filters narrow the list, live in the URL and survive a reload', async ({ page }) => {
  await open(page, '#/controls');
  await page.getByTestId('filter-cld').check();
  await expect(rows(page)).toHaveCount(7);
  await expect(page).toHaveURL(/cld=1/);
  await page.getByTestId('filter-clause').selectOption('9');
  await expect(rows(page)).toHaveCount(2);
  await page.reload();
  await expect(rows(page)).toHaveCount(2);
  await expect(page.getByTestId('filter-cld')).toBeChecked();
  await page.getByTestId('filter-clear').click();
  await expect(rows(page)).toHaveCount(121);
  await page.getByTestId('filter-cloud').check();
  await expect(rows(page)).toHaveCount(44);
  // Role + model: the SaaS customer does not run the data centre.
  await page.getByTestId('filter-clear').click();
  await page.getByLabel('Customer (CSC)').check();
  await page.getByTestId('filter-model-saas').check();
  await expect(page.locator('[data-control-id="11.1.1"]')).toHaveCount(0);
  await expect(page.locator('[data-control-id="CLD.6.3.1"]')).toHaveCount(1);
});

test('a search with no match says so', async ({ page }) => {
  await open(page, '#/controls?q=qqqzzzxxx');
  await expect(page.getByTestId('no-results')).toBeVisible();
  await expect(page.getByTestId('result-count')).toHaveText('0 of 121 controls');
});

test('tampered and unknown links show a message, not a crash', async ({ page }) => {
  await open(page, '#/controls/%3Cimg%20src=x%20onerror=alert(1)%3E');
  await expect(page.getByTestId('error-banner')).toContainText('Page not found');
  expect(await page.locator('img').count()).toBe(0);
  await open(page, '#/controls/99.9.9');
  await expect(page.getByTestId('error-banner')).toContainText('has no control 99.9.9');
  await open(page, '#/controls?q=%E0%A4%A&clause=999&role=<b>x</b>&model=,,');
  await expect(rows(page).first()).toBeVisible();
  await open(page, '#/nowhere');
  await expect(page.getByTestId('error-banner')).toContainText('Page not found');
  await page.getByRole('link', { name: 'Browse all controls' }).click();
  await expect(rows(page)).toHaveCount(121);
});

test('keyboard: / focuses search, Tab reaches a control, Enter opens it', async ({ page }) => {
  await open(page, '#/about');
  await page.keyboard.press('/');
  await expect(page.getByTestId('search-input')).toBeVisible();
  await page.keyboard.press('/');
  await expect(page.getByTestId('search-input')).toBeFocused();
  await page.keyboard.type('clock');
  await expect(page.locator('[data-control-id="12.4.4"]')).toBeVisible();
  await page.locator('[data-control-id="12.4.4"] a').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('control-title')).toHaveText('Clock synchronization');
  await page.goBack();
  await expect(page.getByTestId('search-input')).toHaveValue('clock');
});

test('previous/next and 2022 mapping page link controls together', async ({ page }) => {
  await open(page, '#/controls/CLD.9.5.1');
  await page.getByRole('link', { name: /CLD\.9\.5\.2 Virtual machine hardening/ }).click();
  await expect(page.getByTestId('control-title')).toHaveText('Virtual machine hardening');
  await open(page, '#/mappings');
  await expect(page.getByTestId('mapping-table').locator('tbody tr')).toHaveCount(93);
  const row523 = page.getByTestId('mapping-table').locator('tbody tr', { has: page.locator('th', { hasText: /^5\.23$/ }) });
  await expect(row523).toContainText('CLD.9.5.1');
  await row523.getByRole('link', { name: 'CLD.6.3.1' }).click();
  await expect(page.getByTestId('control-title')).toHaveText('Shared roles and responsibilities within a cloud computing environment');
});

test('a deep-linked control renders its guidance in its first render, fetched with the app', async ({ browser }) => {
  const context = await browser.newContext();
  // Note whether the page ever showed the loading line (it must not: boot.js
  // fetches the text with the app for a deep link).
  await context.addInitScript(() => {
    window.__sawLoading = false;
    new MutationObserver(() => {
      if (document.querySelector('[data-testid="guidance-loading"]')) window.__sawLoading = true;
    }).observe(document, { childList: true, subtree: true });
  });
  const page = await context.newPage();
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.goto('/#/controls/CLD.9.5.1');
  await expect(page.getByTestId('control-title')).toHaveText('Segregation in virtual computing environments');
  for (const part of ['intent', 'csc', 'csp', 'evidence', 'pitfalls']) {
    await expect(page.getByTestId(`guidance-${part}`)).toBeVisible();
  }
  await expect(page.getByTestId('guidance-csc').locator('p, li').first()).toBeVisible();
  await expect(page.getByTestId('responsibility-note')).not.toBeEmpty();
  expect(await page.evaluate(() => window.__sawLoading)).toBe(false);
  const guidance = requests.filter((u) => u.endsWith('/guidance.bin'));
  expect(guidance).toHaveLength(1);
  expect(requests.every((u) => u.startsWith('http://127.0.0.1:'))).toBe(true);
  await context.close();
});

test('a control opened from another page shows a loading line until the text is there', async ({ page }) => {
  // Held back, so the loading state can be seen.
  let release;
  const held = new Promise((r) => { release = r; });
  await page.route(/\/guidance\.bin$/, async (route) => { await held; await route.continue(); });
  await open(page, '#/controls');
  await page.locator('[data-testid="control-row"][data-control-id="CLD.9.5.1"] a').click();
  await expect(page.getByTestId('control-title')).toHaveText('Segregation in virtual computing environments');
  await expect(page.getByTestId('guidance-loading')).toBeVisible();
  await expect(page.getByTestId('responsibility')).toContainText('IaaS');
  release();
  await expect(page.getByTestId('guidance-csc')).toBeVisible();
  await expect(page.getByTestId('guidance-loading')).toHaveCount(0);
});

test('a deep link whose guidance text is slow starts anyway, with the loading line', async ({ page }) => {
  let release;
  const held = new Promise((r) => { release = r; });
  await page.route(/\/guidance\.bin$/, async (route) => { await held; await route.continue(); });
  await page.goto('/#/controls/12.4.1');
  await expect(page.getByTestId('control-title')).toHaveText('Event logging', { timeout: 5000 });
  await expect(page.getByTestId('guidance-loading')).toBeVisible();
  release();
  await expect(page.getByTestId('guidance-csp')).toBeVisible();
});

test('words found only in guidance text are searched once it has loaded', async ({ page }) => {
  await open(page, '#/controls?q=hypervisor');
  await expect(rows(page).first()).toBeVisible();
  await expect(page.locator('.excerpt', { hasText: 'hypervisor' }).first()).toBeVisible();
  await expect(page.getByTestId('search-scope')).toHaveCount(0);
});

// Not the shared fixture: an aborted request is logged by Chromium as a
// console error, which is the point here. No exception may escape, though.
test('a failed guidance download shows an error and a retry, not a blank page', async ({ browser, baseURL }) => {
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  let fail = true;
  await page.route(/\/guidance\.bin$/, (route) => (fail ? route.abort() : route.continue()));
  await page.goto('/#/controls/CLD.9.5.1');
  // The catalog facts are there at once; the guidance says why it is not.
  await expect(page.getByTestId('control-title')).toHaveText('Segregation in virtual computing environments');
  await expect(page.getByTestId('mapping')).toContainText('8.22');
  await expect(page.getByTestId('responsibility')).toContainText('IaaS');
  await expect(page.getByTestId('guidance-error')).toContainText('The guidance text could not be loaded');
  await expect(page.getByTestId('error-banner')).toBeVisible();
  await expect(page.getByTestId('guidance-csc')).toHaveCount(0);
  // Search still matches numbers and titles, and says the text is missing.
  await page.goto('/#/controls?q=virtual');
  await expect(page.locator('[data-testid="control-row"][data-control-id="CLD.9.5.1"]')).toBeVisible();
  await expect(page.getByTestId('search-scope')).toContainText('could not be loaded');
  // Once the file can be fetched again, "Try again" brings the text.
  fail = false;
  await page.getByTestId('guidance-retry').click();
  await expect(page.getByTestId('search-scope')).toHaveCount(0);
  await page.goto('/#/controls/CLD.9.5.1');
  await expect(page.getByTestId('guidance-csc')).toBeVisible();
  await expect(page.getByTestId('guidance-error')).toHaveCount(0);
  expect(pageErrors).toEqual([]);
  await context.close();
});

test('a guidance file of another version is fetched again, and refused when the server has no other', async ({ page, browser, baseURL }) => {
  // A stale copy first (as from a cache after an update), then the real file.
  let calls = 0;
  await page.route(/\/guidance\.bin$/, (route) => (++calls === 1 ? route.fulfill({ status: 200, body: 'an older guidance file' }) : route.continue()));
  await open(page, '#/controls');
  await page.locator('[data-testid="control-row"][data-control-id="CLD.9.5.1"] a').click();
  await expect(page.getByTestId('guidance-csc')).toBeVisible();
  expect(calls).toBe(2);
  // A server that only has another version's file: an error, not that text.
  const context = await browser.newContext({ baseURL });
  const other = await context.newPage();
  const pageErrors = [];
  other.on('pageerror', (e) => pageErrors.push(e.message));
  await other.route(/\/guidance\.bin$/, (route) => route.fulfill({ status: 200, body: 'an older guidance file' }));
  await other.goto('/#/controls/CLD.9.5.1');
  await expect(other.getByTestId('guidance-error')).toContainText('another version');
  await expect(other.getByTestId('guidance-csc')).toHaveCount(0);
  expect(pageErrors).toEqual([]);
  await context.close();
});
