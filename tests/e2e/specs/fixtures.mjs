// Shared fixture: every test records each request the page makes and fails
// if any goes anywhere but the local static server, or if the page throws.
import { test as base, expect } from '@playwright/test';

export const test = base.extend({
  page: async ({ page, baseURL }, use) => {
    const origin = new URL(baseURL).origin;
    const offsite = [];
    const errors = [];
    page.context().on('request', (req) => {
      const url = req.url();
      if (!url.startsWith(origin + '/') && !url.startsWith('data:') && !url.startsWith('blob:')) offsite.push(url);
    });
    page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
    page.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(`console: ${msg.text()}`);
    });
    await use(page);
    expect(offsite, 'requests that left 127.0.0.1').toEqual([]);
    expect(errors, 'errors in the page').toEqual([]);
  },
});

export { expect };

/** Open a route and wait until the app has rendered. */
export async function open(page, hash = '') {
  await page.goto(hash ? `/${hash}` : '/');
  await expect(page.locator('html[data-ready="true"]')).toHaveCount(1);
}
