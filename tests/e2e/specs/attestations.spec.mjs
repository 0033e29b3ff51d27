// What the provider covers and proves: record an AWS attestation, inherit the
// physical controls the catalog proposes for IaaS (confirm dialog, undo), see
// the provider-covered counts, let the attestation expire and see those
// controls need review with the message, and export the Statement of
// Applicability in ISO/IEC 27001:2022 terms.
import { readFileSync } from 'node:fs';
import { test, expect, open } from './fixtures.mjs';

const PHYSICAL = ['11.1.1', '11.1.2', '11.1.3', '11.1.4', '11.1.5', '11.1.6', '11.2.1', '11.2.2', '11.2.3', '11.2.4', '11.2.5'];

async function recordAttestation(page) {
  await open(page, '#/assess');
  await page.getByTestId('scope-model-iaas').check();
  await page.getByTestId('scope-provider-aws').check();
  await page.getByTestId('attestation-add').click();
  const form = page.getByTestId('attestation-form');
  await form.getByTestId('attestation-provider').selectOption('aws');
  await form.getByTestId('attestation-document').selectOption('iso27001');
  await form.getByTestId('attestation-issuer').fill('EY CertifyPoint <b>x</b>');
  await form.getByTestId('attestation-issued').fill('2025-01-15');
  await form.getByTestId('attestation-expires').fill('2099-01-14');
  await form.getByTestId('attestation-services').fill('Amazon EC2, Amazon S3');
  await form.getByTestId('attestation-regions').fill('eu-central-1');
  await form.getByTestId('attestation-portal').selectOption('aws-artifact');
  await form.getByTestId('attestation-reference').fill('aws-iso27001-2025.pdf');
  await form.getByTestId('attestation-save').click();
  await expect(page.getByTestId('attestation-form')).toHaveCount(0);
  const item = page.getByTestId('attestation');
  await expect(item).toHaveCount(1);
  await expect(item.getByTestId('attestation-title')).toHaveText('AWS ISO/IEC 27001 certificate (EY CertifyPoint <b>x</b>, valid until 2099-01-14)');
  await expect(item.getByTestId('attestation-state')).toHaveText('valid');
  // The portal is a link for people, never fetched.
  await expect(item.getByRole('link', { name: 'AWS Artifact' })).toHaveAttribute('href', 'https://console.aws.amazon.com/artifact/');
  return item;
}

test('inherit the proposed controls, see the counts, expire the attestation, export the 2022 SoA', async ({ page }) => {
  const item = await recordAttestation(page);

  // One click proposes the provider's controls for IaaS and asks to confirm.
  await item.getByTestId('attestation-inherit').click();
  const dialog = page.getByTestId('inherit-dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('heading')).toContainText('Inherit 11 control(s) from AWS ISO/IEC 27001 certificate');
  await expect(dialog.getByTestId('inherit-list').locator('li')).toHaveCount(11);
  for (const c of PHYSICAL) await expect(dialog.getByTestId('inherit-list')).toContainText(c);
  await expect(dialog.getByTestId('inherit-confirm')).toBeFocused();
  // Cancel changes nothing.
  await dialog.getByTestId('inherit-cancel').click();
  await expect(page.getByTestId('count-provider')).toHaveText('0');
  await item.getByTestId('attestation-inherit').click();
  await page.getByTestId('inherit-confirm').click();
  await expect(page.getByTestId('inherit-dialog')).toHaveCount(0);
  await expect(page.getByTestId('inherit-done')).toContainText('11 control(s) now inherit');

  // The dashboard separates provider-covered from customer work.
  await expect(page.getByTestId('count-provider')).toHaveText('11');
  await expect(page.getByTestId('count-provider-review')).toHaveText('0');
  await expect(page.getByTestId('count-customer')).toHaveText('110');
  for (const c of PHYSICAL) {
    const row = page.locator(`[data-testid="control-row"][data-control="${c}"]`);
    await expect(row).toHaveAttribute('data-outcome', 'provider_covered');
    await expect(row.getByTestId('control-outcome')).toHaveText('Covered by provider attestation');
  }
  // Undo puts them back; inherit again.
  await page.getByTestId('inherit-undo').click();
  await expect(page.getByTestId('count-provider')).toHaveText('0');
  await item.getByTestId('attestation-inherit').click();
  await page.getByTestId('inherit-confirm').click();
  await expect(page.getByTestId('count-provider')).toHaveText('11');

  // A shared control, answered by the customer for its own part.
  const shared = page.locator('[data-testid="control-row"][data-control="12.4.1"]');
  await shared.getByRole('button', { name: 'Details' }).click();
  await shared.getByTestId('control-provider-part').selectOption('shared');
  await expect(page.getByTestId('count-provider-shared')).toHaveText('1');

  // The attestation expires: edit its expiry to a past date.
  await item.getByTestId('attestation-edit').click();
  await page.getByTestId('attestation-expires').fill('2025-06-30');
  await page.getByTestId('attestation-save').click();
  await expect(item.getByTestId('attestation-state')).toHaveText('needs review');
  await expect(page.getByTestId('count-provider')).toHaveText('0');
  await expect(page.getByTestId('count-provider-review')).toHaveText('12');
  const row = page.locator('[data-testid="control-row"][data-control="11.1.1"]');
  await expect(row).toHaveAttribute('data-outcome', 'provider_needs_review');
  await expect(row.getByTestId('control-outcome')).toHaveText('Provider attestation needs review');
  await expect(row.getByTestId('control-provider-message')).toHaveText(
    'Provider attestation needs review: AWS ISO/IEC 27001 certificate (EY CertifyPoint <b>x</b>, valid until 2025-06-30) expired on 2025-06-30.');
  await expect(page.locator('[data-testid="control-row"][data-control="12.4.1"]').getByTestId('control-provider-message')).toContainText('expired on 2025-06-30');
  // A cited attestation cannot be deleted.
  await item.getByTestId('attestation-delete').click();
  await expect(page.getByTestId('error-banner').first()).toContainText('remove their provider part first');

  // It survives a reload (stored, version 5).
  await page.reload();
  await expect(page.locator('html[data-ready="true"]')).toHaveCount(1);
  await expect(page.getByTestId('count-provider-review')).toHaveText('12');

  // The report shows the counts and exports the 2022 Statement of Applicability.
  await page.goto('/#/report');
  await expect(page.getByTestId('report-summary').getByTestId('count-provider-review')).toHaveText('12');
  const files = {};
  for (const id of ['soa2022-csv', 'soa2022-markdown', 'csv-soa']) {
    const dl = page.waitForEvent('download');
    await page.getByTestId(`export-${id}`).click();
    const d = await dl;
    files[id] = { name: d.suggestedFilename(), text: readFileSync(await d.path(), 'utf8') };
  }
  expect(files['soa2022-csv'].name).toMatch(/-soa-2022\.csv$/);
  const lines = files['soa2022-csv'].text.trim().split('\n');
  expect(lines[0]).toBe('control_2022,title,theme,new_in_2022,applicability,justification,status,status_label,decided_by,controls_2015,provider_part,suggested_mappings');
  expect(lines.length).toBe(94);
  const physical = lines.find((l) => l.startsWith('7.1,'));
  expect(physical).toContain('needs_review');
  expect(physical).toContain('11.1.1=provider_needs_review');
  expect(lines.filter((l) => l.includes(',to_decide,')).length).toBe(11);
  expect(files['soa2022-markdown'].name).toMatch(/-soa-2022\.md$/);
  expect(files['soa2022-markdown'].text).toContain('Statement of Applicability, ISO/IEC 27001:2022 Annex A');
  expect(files['soa2022-markdown'].text).toContain('the weakest of the remaining 2015 outcomes decides');
  expect(files['soa2022-markdown'].text).toContain('## Controls needing an own answer (11)');
  expect(files['csv-soa'].text.split('\n').find((l) => l.startsWith('11.1.1,'))).toContain('inherited-review');
});
