// Evidence per control as a checklist, a compensating measure made visible,
// and one decision on many findings at once, as a person does them: tick
// items and watch the progress; pick a local file and see its SHA-256 (the
// same as node's, computed here) while nothing leaves the page; record a
// compensation and read "Met (compensated)" on the dashboard and in the
// report; waive every failing finding of one check, see the counts drop,
// undo, and see them come back.
import { createHash } from 'node:crypto';
import { test, expect, open } from './fixtures.mjs';

/** Load the bundled samples (four exports) on the assessment page. */
async function withSamples(page) {
  await open(page, '#/assess');
  await page.getByTestId('sample-button').click();
  await expect(page.locator('[data-testid="file-status"][data-state="done"]')).toHaveCount(4, { timeout: 15_000 });
}

const row = (page, id) => page.locator(`[data-testid="control-row"][data-control="${id}"]`);

async function details(page, id) {
  const r = row(page, id);
  await r.getByRole('button', { name: 'Details' }).click();
  const list = r.getByTestId('evidence-checklist');
  await expect(list).toBeVisible();
  return { r, list };
}

test('ticking evidence items moves the progress; a picked file is hashed here and never sent', async ({ page }) => {
  const sent = [];
  page.on('request', (req) => { if (req.method() !== 'GET') sent.push(`${req.method()} ${req.url()}`); });
  await open(page, '#/assess');
  const { list } = await details(page, '5.1.1');
  const items = list.getByTestId('evidence-item');
  const n = await items.count();
  expect(n).toBeGreaterThanOrEqual(3);
  // An organisational control: no automatic item, nothing collected yet.
  await expect(list.getByTestId('evidence-auto')).toHaveCount(0);
  await expect(list.getByTestId('evidence-progress')).toHaveText(`0 of ${n} collected`);
  await expect(items.first()).toContainText(/\w{5,}/); // the guidance's text of the item
  const overall = await page.getByTestId('evidence-overall').innerText();

  await items.nth(0).getByTestId('evidence-status').selectOption('collected');
  await expect(list.getByTestId('evidence-progress')).toHaveText(`1 of ${n} collected`);
  await expect(items.nth(0)).toHaveAttribute('data-status', 'collected');
  await items.nth(1).getByTestId('evidence-status').selectOption('not_applicable');
  await expect(list.getByTestId('evidence-progress')).toHaveText(`1 of ${n - 1} collected`);
  await items.nth(2).getByTestId('evidence-status').selectOption('requested');
  await expect(list.getByTestId('evidence-progress')).toHaveText(`1 of ${n - 1} collected`);
  // The dashboard's overall figure follows.
  await expect(page.getByTestId('evidence-overall')).not.toHaveText(overall);

  // A link is a link only when https or http.
  const second = items.nth(1);
  await second.getByTestId('evidence-ref-kind').selectOption('link');
  await second.getByTestId('evidence-ref-text').fill('javascript:alert(1)');
  await second.getByTestId('evidence-ref-text').press('Enter');
  await second.getByTestId('evidence-ref-text').blur();
  await expect(second.getByTestId('evidence-ref')).toContainText('javascript:alert(1)');
  await expect(second.getByTestId('evidence-ref-link')).toHaveCount(0);
  await second.getByTestId('evidence-ref-text').fill('https://wiki.example/policy');
  await second.getByTestId('evidence-ref-text').blur();
  await expect(second.getByTestId('evidence-ref-link')).toHaveAttribute('href', 'https://wiki.example/policy');
  await expect(second.getByTestId('evidence-ref-link')).toHaveAttribute('rel', /noopener/);

  // A local file: its SHA-256 computed in the worker, in chunks, equals node's.
  const bytes = Buffer.alloc(700_000);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7 + 3) % 251;
  const expected = createHash('sha256').update(bytes).digest('hex');
  const third = items.nth(2);
  await third.getByTestId('evidence-ref-kind').selectOption('file');
  await third.getByTestId('evidence-file').setInputFiles({ name: 'access-review-2026.pdf', mimeType: 'application/pdf', buffer: bytes });
  await expect(third.getByTestId('evidence-digest')).toHaveText(expected, { timeout: 15_000 });
  await expect(third.getByTestId('evidence-ref')).toContainText('access-review-2026.pdf · 700000 bytes');
  // Only name, size and digest are kept; the file was neither sent nor stored.
  const saved = await page.evaluate(() => JSON.stringify(Object.assign({}, localStorage)));
  expect(saved).toContain(expected);
  expect(saved).toContain('access-review-2026.pdf');
  expect(saved.length).toBeLessThan(100_000);
  expect(sent).toEqual([]);

  // After a reload the checklist is as left.
  await page.reload();
  await expect(page.locator('html[data-ready="true"]')).toHaveCount(1);
  const again = await details(page, '5.1.1');
  await expect(again.list.getByTestId('evidence-progress')).toHaveText(`1 of ${n - 1} collected`);
  await expect(again.list.getByTestId('evidence-digest')).toHaveText(expected);
  // The control's page shows the same checklist for the active assessment.
  await page.goto('/#/controls/5.1.1');
  const onPage = page.getByTestId('control-evidence').getByTestId('evidence-checklist');
  await expect(onPage.getByTestId('evidence-progress')).toHaveText(`1 of ${n - 1} collected`);
  await expect(onPage.locator('[data-item-id="5.1.1-e1"]')).toHaveAttribute('data-status', 'collected');
  await expect(onPage.getByTestId('evidence-digest')).toHaveText(expected);
});

test('a compensating measure makes a failing control "Met (compensated)" on the dashboard and in the report', async ({ page }) => {
  await withSamples(page);
  const failing = page.locator('[data-testid="control-row"][data-outcome="not_met_automated"]').first();
  const id = await failing.getAttribute('data-control');
  const r = row(page, id);
  await expect(page.getByTestId('count-compensated')).toHaveCount(0);
  const notMet = Number(await page.getByTestId('count-notmet').innerText());
  const met = Number(await page.getByTestId('count-met').innerText());
  await r.getByRole('button', { name: 'Details' }).click();
  // The automatic item counts the checks but is not collected while they fail.
  await expect(r.getByTestId('evidence-auto')).toHaveAttribute('data-collected', 'false');
  await expect(r.getByTestId('evidence-auto')).toContainText(/Automated checks: \d+ pass, [1-9]\d* fail/);
  const form = r.getByTestId('compensation-form');
  // Incomplete: refused, nothing changes.
  await form.getByTestId('compensation-justification').fill('Traffic only through the inspected egress proxy');
  await form.getByTestId('compensation-date').fill('2026-05-30');
  await form.getByTestId('compensation-save').click();
  await expect(form.getByTestId('compensation-error')).toContainText('reviewer');
  await expect(r).toHaveAttribute('data-outcome', 'not_met_automated');
  await form.getByTestId('compensation-reviewer').fill('Kim Lee');
  await form.getByTestId('compensation-save').click();
  await expect(form.getByTestId('compensation-error')).toBeEmpty();
  await expect(r).toHaveAttribute('data-outcome', 'met_compensated');
  await expect(r.getByTestId('control-outcome')).toHaveText('Met (compensated)');
  await expect(page.getByTestId('count-compensated')).toHaveText('1 met (compensated)');
  await expect(page.getByTestId('count-notmet')).toHaveText(String(notMet - 1));
  await expect(page.getByTestId('count-met')).toHaveText(String(met + 1));

  await page.goto('/#/report');
  const soa = page.locator(`[data-testid="soa-row"][data-control="${id}"]`);
  await expect(soa).toContainText('Met (compensated)');
  await expect(soa).toContainText('compensated: Traffic only through the inspected egress proxy (reviewed by Kim Lee on 2026-05-30)');
  await expect(page.getByTestId('summary-compensated')).toHaveText('1 met (compensated).');
  await expect(page.getByTestId('summary-evidence')).toContainText(/Evidence: \d+ of \d+ checklist items collected/);

  // Removing it puts the default back: the failing finding decides again.
  await page.goto('/#/assess');
  await row(page, id).getByRole('button', { name: 'Details' }).click();
  await row(page, id).getByTestId('compensation-remove').click();
  await expect(row(page, id)).toHaveAttribute('data-outcome', 'not_met_automated');
});

test('one waiver for every failing finding of a check; the counts change; Undo brings them back', async ({ page }) => {
  await withSamples(page);
  await page.goto('/#/findings');
  await page.getByTestId('findings-status').selectOption('fail');
  const count = page.getByTestId('findings-count');
  await expect(count).toHaveText(/^\d+ of \d+ findings$/);
  const before = await count.innerText();
  const failing = Number(before.split(' ')[0]);
  const bulk = page.getByTestId('bulk-decisions');
  await bulk.locator('summary').click();
  await bulk.getByTestId('bulk-by').selectOption('check');
  // The check with the most failing findings shown.
  const options = await bulk.getByTestId('bulk-value').locator('option').evaluateAll((os) => os.map((o) => ({ value: o.value, n: Number(/\((\d+)\)$/.exec(o.textContent)[1]) })));
  const pick = options.reduce((a, b) => (b.n > a.n ? b : a));
  expect(pick.n).toBeGreaterThan(1);
  await bulk.getByTestId('bulk-value').selectOption(pick.value);
  await bulk.getByTestId('bulk-select').click();
  await expect(bulk.getByTestId('bulk-count')).toHaveText(`${pick.n} findings selected`);

  // Validation as for one decision: a reason and an expiry in the future.
  await bulk.getByTestId('bulk-save').click();
  await expect(bulk.getByTestId('bulk-error')).toContainText('reason');
  await bulk.getByTestId('bulk-reason').fill('Dev account, torn down weekly');
  await bulk.getByTestId('bulk-save').click();
  await expect(bulk.getByTestId('bulk-error')).toContainText('needs an expiry date');
  await bulk.getByTestId('bulk-expires').fill('2020-01-01');
  await bulk.getByTestId('bulk-save').click();
  await expect(bulk.getByTestId('bulk-error')).toContainText('not in the future');
  await expect(count).toHaveText(before);

  await bulk.getByTestId('bulk-expires').fill('2999-12-31');
  await bulk.getByTestId('bulk-save').click();
  await expect(bulk.getByTestId('bulk-saved')).toContainText(`Recorded for ${pick.n} findings.`);
  await expect(count).toHaveText(new RegExp(`^${failing - pick.n} of `));
  await expect(bulk.getByTestId('bulk-batch')).toHaveCount(1);
  // One ordinary decision per finding, stored with the batch.
  const saved = await page.evaluate(() => JSON.stringify(Object.assign({}, localStorage)));
  expect(saved.split('Dev account, torn down weekly').length - 1).toBeGreaterThanOrEqual(pick.n);
  await page.getByTestId('findings-status').selectOption('decided');
  await expect(page.locator(`[data-testid="finding-row"][data-check="${pick.value}"]`).first()).toHaveAttribute('data-status', 'waived');

  await bulk.getByTestId('bulk-undo').click();
  await page.getByTestId('findings-status').selectOption('fail');
  await expect(count).toHaveText(before);
  await expect(bulk.getByTestId('bulk-batch')).toHaveCount(0);
});
