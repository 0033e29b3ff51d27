// Audit questions and evidence items: a control page lists both with their
// ids, and the report page downloads the interview checklist (Markdown and
// CSV, made by the worker from the assessment and the guidance text) for the
// controls in scope. The fixture fails any test whose page requests anything
// outside 127.0.0.1 or logs an error.
import { readFileSync } from 'node:fs';
import { test, expect, open } from './fixtures.mjs';

const items = (page, part) => page.getByTestId(`guidance-${part}`).getByTestId('guidance-item');

test('a control page lists its audit questions and evidence items with their ids', async ({ page }) => {
  await open(page, '#/controls/CLD.9.5.1');
  await expect(page.getByTestId('control-title')).toHaveText('Segregation in virtual computing environments');
  const questions = items(page, 'questions');
  await expect(questions.first()).toBeVisible();
  const count = await questions.count();
  expect(count).toBeGreaterThanOrEqual(3);
  expect(count).toBeLessThanOrEqual(6);
  await expect(questions.first()).toHaveAttribute('data-item-id', 'CLD.9.5.1-q1');
  await expect(questions.first()).toContainText('CLD.9.5.1-q1');
  const evidence = items(page, 'evidence');
  expect(await evidence.count()).toBeGreaterThanOrEqual(3);
  await expect(evidence.first()).toHaveAttribute('data-item-id', 'CLD.9.5.1-e1');
  // The ids are shown once, as ids: the file's "[q1]" markers are not text.
  for (const part of ['questions', 'evidence']) {
    expect(await page.getByTestId(`guidance-${part}`).innerText()).not.toMatch(/\[[eq]\d+\]/);
  }
  // Questions come after the pitfalls, last of the guidance parts; the sources of its facts follow.
  const order = await page.locator('section.part').evaluateAll((s) => s.map((e) => e.dataset.testid));
  expect(order).toEqual(['guidance-intent', 'guidance-csc', 'guidance-csp', 'guidance-evidence', 'guidance-pitfalls', 'guidance-questions', 'guidance-sources']);
});

test('a control without cloud-specific guidance has questions too, reachable from the page outline', async ({ page }) => {
  await open(page, '#/controls/12.4.2');
  await page.getByRole('navigation', { name: 'On this page' }).getByRole('link', { name: 'Audit questions' }).click();
  await expect(page).toHaveURL(/#\/controls\/12\.4\.2\/questions$/);
  const questions = items(page, 'questions');
  await expect(questions.first()).toBeVisible();
  await expect(page.getByTestId('guidance-questions')).toContainText('CloudTrail');
  // Inline code in an item renders as code, not as backticks.
  await open(page, '#/controls/12.4.4');
  await expect(page.getByTestId('guidance-evidence').locator('code', { hasText: 'chronyc tracking' })).toBeVisible();
});

async function download(page, id) {
  const dl = page.waitForEvent('download');
  await page.getByTestId(`export-${id}`).click();
  const d = await dl;
  return { name: d.suggestedFilename(), text: readFileSync(await d.path(), 'utf8') };
}

test('the report downloads the interview checklist of the controls in scope', async ({ page }) => {
  await open(page, '#/assess');
  await page.getByTestId('sample-button').click();
  await expect(page.locator('[data-testid="file-status"][data-name="sample-aws-config.json"]')).toHaveAttribute('data-state', 'done', { timeout: 15_000 });
  await page.getByTestId('scope-organisation').fill('Example Corp <b>x</b>');
  await page.getByTestId('scope-organisation').press('Tab');
  const row = page.locator('[data-testid="control-row"][data-control="11.1.1"]');
  await row.getByRole('button', { name: 'Details' }).click();
  await row.getByTestId('control-applicability').selectOption('excluded');
  await row.getByTestId('control-justification').fill('=cmd We own no premises <i>at all</i>');

  await page.goto('/#/report');
  const csv = await download(page, 'interview-csv');
  expect(csv.name).toMatch(/-interview\.csv$/);
  const lines = csv.text.trim().split('\n');
  expect(lines[0]).toBe('control,title,question_id,question,answer,evidence_reference');
  expect(lines.length - 1).toBeGreaterThanOrEqual(120 * 3);
  expect(lines.some((l) => l.startsWith('CLD.9.5.1,Segregation in virtual computing environments,CLD.9.5.1-q1,'))).toBe(true);
  expect(lines.every((l) => l.endsWith(',,'))).toBe(false); // the header
  expect(lines.slice(1).every((l) => l.endsWith(',,'))).toBe(true); // answer and evidence reference are blank
  expect(lines.some((l) => l.startsWith('11.1.1,'))).toBe(false); // excluded: not asked
  expect(csv.text).not.toContain('=cmd');

  const md = await download(page, 'interview-markdown');
  expect(md.name).toMatch(/-interview\.md$/);
  expect(md.text).toMatch(/^# Interview checklist/);
  expect(md.text).toContain('| Id | Question | Answer | Evidence reference |');
  expect(md.text).toContain('- [ ] **CLD.9.5.1-e1** ');
  const [, notAsked] = md.text.split('## Not asked: excluded from the Statement of Applicability');
  expect(notAsked).toContain('**11.1.1**');
  expect(notAsked).toContain('We own no premises');
  // User text is escaped in Markdown.
  expect(md.text).not.toContain('<i>');
  expect(md.text).not.toContain('<b>');
  await expect(page.getByTestId('export-status')).toHaveCount(0);
});
