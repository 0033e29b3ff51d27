import AxeBuilder from '@axe-core/playwright';
import { test, expect, open } from './fixtures.mjs';

async function seriousViolations(page) {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
}

for (const scheme of ['light', 'dark']) {
  test(`axe: start page, catalog and a control page have no serious violations (${scheme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await open(page);
    await expect(page.getByTestId('start-assessment')).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
    await open(page, '#/controls');
    await expect(page.getByTestId('control-row')).toHaveCount(121);
    expect(await seriousViolations(page)).toEqual([]);
    await open(page, '#/controls/CLD.9.5.1');
    await expect(page.getByTestId('guidance-csc')).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
    await open(page, '#/mappings');
    expect(await seriousViolations(page)).toEqual([]);
  });
}

test('phone width: no horizontal scrolling on the start page, catalog and control page', async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 740 });
  for (const hash of ['', '#/controls', '#/controls/CLD.9.5.1']) {
    await open(page, hash);
    await expect(page.locator('main')).toBeVisible();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  }
});

for (const scheme of ['light', 'dark']) {
  test(`axe: assessment, findings and report pages have no serious violations (${scheme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await open(page, '#/assess');
    await page.getByTestId('sample-button').click();
    await expect(page.locator('[data-testid="file-status"][data-state="done"]')).toHaveCount(4, { timeout: 15_000 });
    await page.locator('[data-testid="control-row"][data-control="9.1.2"]').getByRole('button', { name: 'Details' }).click();
    expect(await seriousViolations(page)).toEqual([]);
    await page.goto('/#/findings');
    await page.getByTestId('finding-row').first().click();
    await expect(page.getByTestId('evidence-panel')).toContainText('Resource');
    expect(await seriousViolations(page)).toEqual([]);
    await page.goto('/#/report');
    await expect(page.getByTestId('report-summary')).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
    await page.goto('/#/workspaces');
    expect(await seriousViolations(page)).toEqual([]);
  });
}

test('phone width: no horizontal scrolling on the assessment and report pages', async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 740 });
  for (const hash of ['#/assess', '#/findings', '#/report']) {
    await open(page, hash);
    await expect(page.locator('main')).toBeVisible();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  }
});
