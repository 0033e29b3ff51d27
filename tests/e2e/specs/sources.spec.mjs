// The control page names the provider documentation behind its guidance,
// the date the facts were checked and the facts to check again.
import { test, expect, open } from './fixtures.mjs';

const HOSTS = ['docs.aws.amazon.com', 'aws.amazon.com', 'learn.microsoft.com', 'azure.microsoft.com', 'cloud.google.com', 'kubernetes.io'];
const onProviderHost = (href) => {
  const u = new URL(href);
  return u.protocol === 'https:' && u.port === '' && u.username === ''
    && HOSTS.some((h) => u.hostname === h || u.hostname.endsWith(`.${h}`));
};

test('a control lists its sources as safe https links with the date they were checked', async ({ page }) => {
  await open(page, '#/controls/CLD.12.1.5');
  const block = page.getByTestId('guidance-sources');
  await expect(block).toBeVisible();
  await expect(block.getByRole('heading', { level: 2, name: 'Sources' })).toBeVisible();
  await expect(page.getByTestId('last-verified')).toContainText('2026-12-07');

  const links = block.locator('.source-list a');
  expect(await links.count()).toBeGreaterThanOrEqual(3);
  const termination = block.getByRole('link', { name: 'Amazon EC2: change instance termination protection' });
  await expect(termination).toHaveAttribute('href', 'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/Using_ChangingDisableAPITermination.html');
  for (const a of await links.all()) {
    const href = await a.getAttribute('href');
    expect(onProviderHost(href), href).toBe(true);
    await expect(a).toHaveAttribute('rel', /noopener/);
    await expect(a).toHaveAttribute('rel', /noreferrer/);
    await expect(a).toHaveAttribute('target', '_blank');
  }
  await expect(page.getByTestId('reverify').locator('li').first()).toContainText('termination protection');
});

test('every control page shows a sources block, and no source link leaves the provider domains', async ({ page }) => {
  for (const id of ['5.1.1', '10.1.1', '18.1.2', 'CLD.9.5.2']) {
    await open(page, `#/controls/${id}`);
    await expect(page.getByTestId('control-page')).toHaveAttribute('data-control-id', id);
    const block = page.getByTestId('guidance-sources');
    await expect(block).toBeVisible();
    await expect(page.getByTestId('last-verified')).toHaveText(/documentation on \d{4}-\d{2}-\d{2}\.$/);
    const hrefs = await block.locator('a').evaluateAll((els) => els.map((e) => e.getAttribute('href')));
    expect(hrefs.length).toBeGreaterThan(0);
    for (const href of hrefs) expect(onProviderHost(href), `${id}: ${href}`).toBe(true);
    expect(await page.getByTestId('reverify').locator('li').count()).toBeGreaterThan(0);
  }
});
