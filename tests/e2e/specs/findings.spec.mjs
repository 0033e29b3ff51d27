// The findings page as a person uses it: read the table (titles, resources,
// accounts, files; passing checks hidden until asked for), open a finding's
// evidence beside the table or as a sheet on a phone, record a decision, and
// do it all from the keyboard.
import { test, expect, open } from './fixtures.mjs';

/** Load the bundled samples (four exports) and open the findings page. */
async function withSamples(page) {
  await open(page, '#/assess');
  await page.getByTestId('sample-button').click();
  await expect(page.locator('[data-testid="file-status"][data-state="done"]')).toHaveCount(4, { timeout: 15_000 });
  await page.goto('/#/findings');
  await expect(page.getByTestId('finding-row').first()).toBeVisible();
}

const failingRow = (page) => page.locator('[data-testid="finding-row"][data-status="fail"]').first();
const activeAttr = (page, name) => page.evaluate((n) => document.activeElement && document.activeElement.getAttribute(n), name);

test('the decision saved is the one shown; the panel and the row follow at once; a missing or past expiry is refused', async ({ page }) => {
  await withSamples(page);
  const row = failingRow(page);
  const at = await row.getAttribute('data-at');
  await row.click();
  const panel = page.getByTestId('evidence-panel');
  const form = panel.getByTestId('decision-form');
  await expect(form).toBeVisible();
  // What the select shows before anyone touches it.
  const shown = await form.getByTestId('decision-kind').evaluate((s) => ({ value: s.value, text: s.options[s.selectedIndex].text }));
  expect(shown.text).toBeTruthy();

  // No expiry: refused, with a message by the form, nothing recorded.
  await form.getByTestId('decision-reason').fill('Compensating control: private network only');
  await form.getByTestId('decision-save').click();
  await expect(form.getByTestId('decision-error')).toContainText('needs an expiry date');
  await expect(form.getByTestId('decision-expires')).toHaveAttribute('aria-invalid', 'true');
  await expect(form.getByTestId('decision-current')).toHaveCount(0);
  // A past expiry: refused too.
  await form.getByTestId('decision-expires').fill('2020-01-01');
  await form.getByTestId('decision-save').click();
  await expect(form.getByTestId('decision-error')).toContainText('2020-01-01 is not in the future');
  await expect(form.getByTestId('decision-current')).toHaveCount(0);
  await expect(page.locator(`[data-testid="finding-row"][data-at="${at}"]`)).toHaveAttribute('data-status', 'fail');

  // A future expiry: recorded as shown, and the panel and the row say so without a reload.
  await form.getByTestId('decision-expires').fill('2999-12-31');
  await form.getByTestId('decision-save').click();
  await expect(form.getByTestId('decision-error')).toBeEmpty();
  await expect(form.getByTestId('decision-current')).toHaveAttribute('data-kind', shown.value);
  await expect(form.getByTestId('decision-current')).toContainText(`${shown.text}: Compensating control: private network only (until 2999-12-31)`);
  await expect(panel.getByTestId('evidence-status')).toHaveText(shown.text);
  const token = shown.value === 'risk_accepted' ? 'accepted' : 'waived';
  await expect(page.locator(`[data-testid="finding-row"][data-at="${at}"]`)).toHaveAttribute('data-status', token);
  const saved = await page.evaluate(() => localStorage.getItem('iso27017-assessor.workspaces') || '');
  expect(saved).toContain(`"${shown.value}"`);
  // Revoking puts it back, at once too.
  await form.getByTestId('decision-revoke').click();
  await expect(panel.getByTestId('evidence-status')).toHaveText('Fail');
  await expect(page.locator(`[data-testid="finding-row"][data-at="${at}"]`)).toHaveAttribute('data-status', 'fail');
});

test('the table shows titles, resources, accounts and files; passing checks are hidden until asked for', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await withSamples(page);
  const head = page.locator('.vhead [role="columnheader"]');
  await expect(head).toHaveText([/Check/, /Status/, /Severity/, /Resource/, /Account/, /File/]);
  // Default filter: passing hidden, and the page says so.
  await expect(page.getByTestId('findings-status')).toHaveValue('open');
  await expect(page.getByTestId('findings-filter-state')).toHaveText('Passing checks are hidden.');
  await expect(page.locator('[data-testid="finding-row"][data-status="pass"]')).toHaveCount(0);
  // Failing first.
  await expect(page.getByTestId('finding-row').first()).toHaveAttribute('data-status', 'fail');
  // The check's title, with its id beside it.
  const first = page.getByTestId('finding-row').first();
  const id = await first.getAttribute('data-check');
  const title = await first.locator('.c-check .cell-main').innerText();
  expect(title).not.toBe(id);
  expect(title.length).toBeGreaterThan(10);
  await expect(first.locator('.c-check .cell-sub')).toHaveText(id);
  // Resource and file on every row; the AWS Config sample names its account.
  await expect(first.locator('.c-res')).not.toBeEmpty();
  await expect(first.locator('.c-file')).toContainText(/sample-/);
  await page.getByTestId('findings-search').fill('934654633380');
  await expect(page.getByTestId('finding-row').first().locator('.c-acct')).toHaveText('934654633380');
  await expect(page.getByTestId('finding-row').first().locator('.c-file')).toContainText('sample-aws-config.json');
  await page.getByTestId('findings-search').fill('');
  // Text wraps instead of being cut to one line in every cell.
  const ws = await first.locator('.c-check .cell-main').evaluate((el) => getComputedStyle(el).whiteSpace);
  expect(ws).not.toBe('nowrap');
  // One click shows the passing checks too.
  const before = await page.getByTestId('findings-count').innerText();
  await page.getByTestId('findings-show-passing').click();
  await expect(page.getByTestId('findings-count')).not.toHaveText(before);
  await expect(page.getByTestId('findings-status')).toHaveValue('all');
  await expect(page.getByTestId('findings-show-passing')).toHaveAttribute('aria-pressed', 'true');
  await page.getByTestId('findings-status').selectOption('pass');
  await expect(page.locator('[data-testid="finding-row"][data-status="pass"]').first()).toBeVisible();
});

test('wide screen: the table fills the width and the evidence sits beside it', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await withSamples(page);
  await failingRow(page).click();
  const table = await page.locator('.vtable').boundingBox();
  const panel = await page.getByTestId('evidence-panel').boundingBox();
  expect(panel.x).toBeGreaterThanOrEqual(table.x + table.width - 1);
  expect(panel.y).toBeLessThan(table.y + table.height);
  expect(panel.x + panel.width).toBeLessThanOrEqual(1280);
  // Table and panel use the width of the page, the table most of it.
  expect(panel.x + panel.width - table.x).toBeGreaterThan(1280 * 0.85);
  expect(table.width).toBeGreaterThan(700);
});

test('phone: every column is there, the evidence opens as a sheet in view, and nothing scrolls sideways', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await withSamples(page);
  const noSideScroll = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(await noSideScroll()).toBeLessThanOrEqual(0);
  const row = failingRow(page);
  await expect(row.locator('.c-res')).toBeVisible();
  await expect(row.locator('.c-check .cell-main')).toBeVisible();
  const panel = page.getByTestId('evidence-panel');
  await expect(panel).toBeHidden();
  const at = await row.getAttribute('data-at');
  await row.click();
  await expect(panel).toBeVisible();
  await expect(panel).toHaveAttribute('role', 'dialog');
  const box = await panel.boundingBox();
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(390);
  expect(box.y).toBeGreaterThanOrEqual(0);
  expect(box.y + box.height).toBeLessThanOrEqual(844 + 1);
  expect(await noSideScroll()).toBeLessThanOrEqual(0);
  // The focus is in the sheet; closing it gives it back to the row.
  await expect.poll(() => page.evaluate(() => !!document.activeElement.closest('[data-testid="evidence-panel"]'))).toBe(true);
  await panel.getByTestId('evidence-close').click();
  await expect(panel).toBeHidden();
  await expect.poll(() => activeAttr(page, 'data-at')).toBe(at);
});

test('keyboard: rows are one tab stop, arrows move, Enter opens the evidence with the focus in it, Escape comes back', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await withSamples(page);
  const rows = page.getByTestId('finding-row');
  await expect(page.locator('[data-testid="finding-row"][tabindex="0"]')).toHaveCount(1);
  const ats = await rows.evaluateAll((els) => els.slice(0, 3).map((e) => e.getAttribute('data-at')));
  // Tab from the search box's tools reaches the table in one stop.
  await rows.first().focus();
  await expect.poll(() => activeAttr(page, 'data-at')).toBe(ats[0]);
  await page.keyboard.press('ArrowDown');
  await expect.poll(() => activeAttr(page, 'data-at')).toBe(ats[1]);
  await expect(page.locator('[data-testid="finding-row"][tabindex="0"]')).toHaveAttribute('data-at', ats[1]);
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowUp');
  await expect.poll(() => activeAttr(page, 'data-at')).toBe(ats[1]);
  // One key press: the evidence of that row, with the focus inside the panel.
  await page.keyboard.press('Enter');
  await expect.poll(() => page.evaluate(() => !!document.activeElement.closest('[data-testid="evidence-panel"]'))).toBe(true);
  await expect(page.locator(`[data-testid="finding-row"][data-at="${ats[1]}"]`)).toHaveClass(/selected/);
  await page.keyboard.press('Escape');
  await expect.poll(() => activeAttr(page, 'data-at')).toBe(ats[1]);
  // End and Home reach the last and first rows, scrolling the virtualised table.
  await page.keyboard.press('End');
  const last = await page.evaluate(() => document.activeElement.getAttribute('aria-rowindex'));
  const count = Number((await page.getByTestId('findings-count').innerText()).split(' ')[0]);
  expect(Number(last)).toBe(count + 1);
  await page.keyboard.press('Home');
  await expect.poll(() => activeAttr(page, 'data-at')).toBe(ats[0]);
  // The next Tab leaves the table (one tab stop), into the evidence panel.
  await page.keyboard.press('Tab');
  await expect.poll(() => page.evaluate(() => document.activeElement.getAttribute('data-testid'))).not.toBe('finding-row');
});

test('after following a link, the focus is on the new page\'s heading', async ({ page }) => {
  await open(page, '#/assess');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Findings' }).click();
  await expect(page.locator('main h1')).toHaveText('Findings');
  await expect.poll(() => page.evaluate(() => document.activeElement && document.activeElement.matches('main h1') && document.activeElement.textContent)).toBe('Findings');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Controls' }).click();
  await page.getByTestId('control-row').first().getByRole('link').first().click();
  await expect(page.getByTestId('control-title')).toBeVisible();
  await expect.poll(() => page.evaluate(() => document.activeElement && document.activeElement.getAttribute('data-testid'))).toBe('control-title');
  // Typing in the catalog search is not a navigation: the focus stays in the box.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Controls' }).click();
  await page.getByTestId('search-input').fill('cloud');
  await expect.poll(() => page.evaluate(() => document.activeElement && document.activeElement.getAttribute('data-testid'))).toBe('search-input');
});
