// A new user's first visit: the start page, searching the catalog, a first
// assessment, its report on screen, on paper and on a phone, and moving
// assessments between browsers as files.
import { test, expect, open } from './fixtures.mjs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixture = (rel) => path.join(here, '../../fixtures/ingest', rel);
const STORE = 'iso27017-assessor.workspaces';

async function expectDone(page, name) {
  await expect(page.locator(`[data-testid="file-status"][data-name="${name}"]`)).toHaveAttribute('data-state', 'done', { timeout: 20_000 });
}

async function sampleAssessment(page) {
  await open(page, '#/assess');
  await page.getByTestId('sample-button').click();
  for (const name of ['sample-terraform-plan.json', 'sample-aws-config.json', 'sample-iam-credential-report.csv', 'sample-kubernetes.yaml']) {
    await expectDone(page, name);
  }
}

test('the start page says what the tool is and offers the two first steps', async ({ page }) => {
  await open(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Assess your cloud against ISO/IEC 27017');
  await expect(page.getByTestId('home-private')).toContainText('Nothing you drop or type is uploaded');
  await expect(page).toHaveTitle(/^Start · ISO\/IEC 27017 Assessor/);
  await page.getByTestId('start-assessment').click();
  await expect(page).toHaveURL(/#\/assess$/);
  await expect(page.getByTestId('dropzone')).toBeVisible();
  await page.getByTestId('brand').click();
  await expect(page).toHaveURL(/#\/$/);
  await page.getByTestId('browse-controls').click();
  await expect(page).toHaveURL(/#\/controls$/);
  await expect(page.getByTestId('control-row')).toHaveCount(121);
});

test('catalog search finds guidance words written with capitals', async ({ page }) => {
  for (const [query, id] of [['CloudTrail', '12.4.1'], ['IMDSv2', 'CLD.9.5.2']]) {
    await open(page, '#/controls');
    await page.getByTestId('search-input').fill(query);
    await expect(page.getByTestId('search-scope')).toHaveCount(0);
    const hit = page.locator(`[data-testid="control-row"][data-control-id="${id}"]`);
    await expect(hit).toBeVisible();
    await expect(page.getByTestId('no-results')).toHaveCount(0);
  }
  // The excerpt quotes the guidance as written.
  await expect(page.locator('.excerpt', { hasText: 'IMDSv2' }).first()).toBeVisible();
});

test('the assessment page and the report show the same progress', async ({ page }) => {
  // 30 of 121 controls answered: 24.8 %, which one page rounded up and the other down.
  await open(page, '#/controls');
  const ids = (await page.getByTestId('control-row').evaluateAll((els) => els.map((e) => e.dataset.controlId))).slice(0, 30);
  const answers = Object.fromEntries(ids.map((id) => [id, { applicability: 'applicable', status: 'implemented' }]));
  const doc = { format: 'iso27017-assessor/workspace', version: 2, active: 'ws-1', workspaces: [{ id: 'ws-1', name: 'Thirty', created: 1, modified: 1, scope: {}, answers }] };
  await page.evaluate(([key, text]) => localStorage.setItem(key, text), [STORE, JSON.stringify(doc)]);
  await open(page, '#/assess');
  await page.reload();
  await expect(page.locator('html[data-ready="true"]')).toHaveCount(1);
  await expect(page.getByTestId('count-met')).toHaveText('30');
  const onAssess = await page.getByTestId('progress-percent').innerText();
  await page.getByTestId('nav-report').click();
  await expect(page.getByTestId('summary-progress')).toHaveText(onAssess);
  expect(onAssess).toBe('25 %');
});

test('printed charts: legend swatches match the bars and clause names are whole', async ({ page }) => {
  await sampleAssessment(page);
  await page.goto('/#/report');
  await page.emulateMedia({ media: 'print' });
  const chart = page.getByTestId('report-chart-clauses');
  await expect(chart).toBeVisible();
  const check = await chart.evaluate((fig) => {
    const look = (el) => {
      const s = getComputedStyle(el);
      return `${s.backgroundColor} ${s.backgroundImage} ${s.printColorAdjust}`;
    };
    const mismatches = [];
    for (const sw of fig.querySelectorAll('.swatch')) {
      const seg = fig.querySelector(`.seg[data-class="${sw.dataset.class}"]`);
      if (seg && look(seg) !== look(sw)) mismatches.push(`${sw.dataset.class}: legend ${look(sw)} vs bar ${look(seg)}`);
      if (!look(sw).endsWith('exact')) mismatches.push(`${sw.dataset.class}: not printed as is`);
    }
    const box = fig.getBoundingClientRect();
    const labels = [...fig.querySelectorAll('.hbar-label')].map((l) => ({
      text: l.textContent,
      cut: l.scrollWidth > l.clientWidth + 1 || l.getBoundingClientRect().right > box.right + 1,
    }));
    return { mismatches, labels, segs: fig.querySelectorAll('.seg').length };
  });
  expect(check.segs).toBeGreaterThan(14);
  expect(check.mismatches).toEqual([]);
  expect(check.labels).toHaveLength(14);
  expect(check.labels.filter((l) => l.cut)).toEqual([]);
  const texts = check.labels.map((l) => l.text);
  expect(texts).toContain('5 Information security policies');
  expect(texts).toContain('17 Information security aspects of business continuity management');
  // Each row's numbers are printed as words too (colours may print grey).
  await expect(chart.locator('.hbar-values').first()).toBeVisible();
  await page.screenshot({ path: 'test-results/first-contact-print.png', fullPage: true });
});

test('dashboard charts are readable at a glance: full labels, big bars, values written', async ({ page }) => {
  await sampleAssessment(page);
  const chart = page.getByTestId('chart-clauses');
  const m = await chart.evaluate((fig) => {
    const label = fig.querySelector('.hbar-label');
    const bar = fig.querySelector('.hbar');
    return {
      width: fig.getBoundingClientRect().width,
      font: parseFloat(getComputedStyle(label).fontSize),
      bar: bar.getBoundingClientRect().height,
      labelled: [...fig.querySelectorAll('.seg')].filter((s) => /^\d+$/.test(s.textContent.trim())).length,
    };
  });
  expect(m.width).toBeGreaterThan(700);
  expect(m.font).toBeGreaterThanOrEqual(13);
  expect(m.bar).toBeGreaterThanOrEqual(20);
  expect(m.labelled).toBeGreaterThan(10);
  await expect(chart.locator('.hbar-label', { hasText: '14 System acquisition, development and maintenance' })).toBeVisible();
});

test('phone width: the report with data does not scroll sideways', async ({ page }) => {
  await sampleAssessment(page);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/#/report');
  await expect(page.getByTestId('soa-row')).toHaveCount(121);
  const width = await page.evaluate(() => document.scrollingElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(390);
  // The wide tables scroll inside their own box instead.
  const soa = await page.getByTestId('soa-table').evaluate((t) => ({ table: t.scrollWidth, box: t.parentElement.clientWidth }));
  expect(soa.box).toBeLessThanOrEqual(390);
});

test('top risks read as risks, not as the secure condition', async ({ page }) => {
  await sampleAssessment(page);
  await page.goto('/#/report');
  const first = page.getByTestId('top-risks').locator('li').first();
  await expect(first).toBeVisible();
  const text = await first.innerText();
  expect(text).toMatch(/^(Critical|High|Medium|Low|Info) — \d+ resources? (do|does) not meet “[^”]+”\./);
  expect(text).not.toMatch(/: \d+ failing/);
});

test('importing a workspace file asks, can add beside, and a replace can be undone', async ({ page }) => {
  await open(page, '#/workspaces');
  await page.getByTestId('workspace-name').first().fill('Alpha');
  await page.getByTestId('workspace-name').first().press('Tab');
  await page.goto('/#/assess');
  await page.locator('[data-testid="control-row"][data-control="5.1.1"]').getByTestId('control-status').selectOption('implemented');
  await page.goto('/#/workspaces');
  const dl = page.waitForEvent('download');
  await page.getByTestId('workspace-export').click();
  const file = await (await dl).path();
  await page.getByTestId('workspace-new-name').fill('Beta');
  await page.getByTestId('workspace-create').click();
  const names = () => page.getByTestId('workspace-name').evaluateAll((els) => els.map((e) => e.value));
  await expect.poll(names).toEqual(['Alpha', 'Beta']);

  // Importing asks first; cancelling changes nothing.
  await page.getByTestId('workspace-import').setInputFiles(file);
  await expect(page.getByTestId('import-choice')).toContainText('holds 1 assessment(s): Alpha');
  await page.getByTestId('import-cancel').click();
  await expect(page.getByTestId('import-choice')).toHaveCount(0);
  expect(await names()).toEqual(['Alpha', 'Beta']);

  // Add: everything here stays.
  await page.getByTestId('workspace-import').setInputFiles(file);
  await page.getByTestId('import-add').click();
  await expect.poll(names).toEqual(['Alpha', 'Beta', 'Alpha (imported)']);
  await expect(page.getByTestId('import-result')).toContainText('nothing was replaced');

  // Replace: only the file's assessment is left, and Undo brings all three back.
  await page.getByTestId('workspace-import').setInputFiles(file);
  await expect(page.getByTestId('import-replace')).toHaveText('Replace all 3 assessment(s) here');
  await page.getByTestId('import-replace').click();
  await expect.poll(names).toEqual(['Alpha']);
  await page.getByTestId('undo-import').click();
  await expect.poll(names).toEqual(['Alpha', 'Beta', 'Alpha (imported)']);
  // And the undone state is what is saved.
  await page.reload();
  await expect(page.locator('html[data-ready="true"]')).toHaveCount(1);
  await expect.poll(names).toEqual(['Alpha', 'Beta', 'Alpha (imported)']);
});

test('the diagnostics of an upload are still shown after a reload', async ({ page }) => {
  await open(page, '#/assess');
  await page.getByTestId('upload-input').setInputFiles(fixture('aws-iam/custodian_credential_report_extracted.csv'));
  const row = page.locator('[data-testid="file-status"][data-name="custodian_credential_report_extracted.csv"]');
  await expect(row).toHaveAttribute('data-state', 'done', { timeout: 20_000 });
  const diagnostics = row.locator('details.diagnostics');
  await expect(diagnostics.locator('summary')).toHaveText('Diagnostics (1)');
  await diagnostics.locator('summary').click();
  const before = await diagnostics.locator('li').allInnerTexts();
  expect(before).toHaveLength(1);
  await page.reload();
  await expect(page.locator('html[data-ready="true"]')).toHaveCount(1);
  await expect(row).toContainText('assessed in an earlier session');
  await expect(diagnostics.locator('summary')).toHaveText('Diagnostics (1)');
  await diagnostics.locator('summary').click();
  expect(await diagnostics.locator('li').allInnerTexts()).toEqual(before);
});

test('a page opened from far down another starts at its top', async ({ page }) => {
  await sampleAssessment(page);
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(2000);
  await page.getByTestId('nav-report').click();
  await expect(page.getByTestId('report-summary')).toBeVisible();
  await expect.poll(() => page.evaluate(() => window.scrollY)).toBe(0);
  await expect(page.getByRole('heading', { level: 1 })).toBeInViewport();
});
