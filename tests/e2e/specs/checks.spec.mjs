// A control's page lists the automated checks that evidence it (from the engine's per-control
// index), each with its title, severity, providers and the one line saying how it evidences the
// control; with an assessment that has uploads, it links to the control's findings.
import { test, expect, open } from './fixtures.mjs';

test('a control page lists the checks that evidence it, each with its reason', async ({ page }) => {
  await open(page, '#/controls/12.4.1');
  const card = page.getByTestId('control-checks');
  await expect(card.getByRole('heading', { name: 'Automated checks' })).toBeVisible();
  const check = card.locator('[data-testid="control-check"][data-check="audit_trail_multi_region"]');
  await expect(check.getByTestId('control-check-title')).toHaveText('CloudTrail trails record API activity in every region');
  await expect(check.getByTestId('control-check-severity')).toHaveText('High');
  await expect(check.getByTestId('control-check-providers')).toHaveText('AWS');
  await expect(check.getByTestId('control-check-reason')).toHaveText(
    "CloudTrail is the account's event log; a multi-region trail records API activity in every region, including unused ones.");
  // Every check of 12.4.1 is listed once; none of another control's.
  const ids = await card.getByTestId('control-check').evaluateAll((els) => els.map((e) => e.dataset.check));
  expect(ids).toContain('object_bucket_access_logging');
  expect(ids).not.toContain('firewall_admin_ports_not_public');
  expect(new Set(ids).size).toBe(ids.length);
  // No assessment with uploads yet: no link to findings.
  await expect(page.getByTestId('control-findings-link')).toHaveCount(0);
});

test('a control no check evidences says so', async ({ page }) => {
  await open(page, '#/controls/5.1.1');
  const card = page.getByTestId('control-checks');
  await expect(card).toContainText('No automated check evidences this control');
  await expect(card.getByTestId('control-check')).toHaveCount(0);
});

test('with uploads in the active assessment, a control page links to its findings', async ({ page }) => {
  await open(page, '#/assess');
  await page.getByTestId('sample-button').click();
  await expect(page.locator('[data-testid="file-status"][data-state="done"]')).toHaveCount(4, { timeout: 15_000 });
  await page.goto('/#/controls/12.4.1');
  const link = page.getByTestId('control-findings-link');
  await expect(link).toHaveAttribute('href', '#/findings?control=12.4.1');
  await link.click();
  await expect(page).toHaveURL(/#\/findings\?control=12\.4\.1$/);
  await expect(page.getByTestId('findings-count')).toBeVisible();
});
