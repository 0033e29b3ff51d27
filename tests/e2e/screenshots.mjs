// Regenerates the README screenshots in docs/ from the built dist/:
//   node tests/e2e/screenshots.mjs
import { chromium } from 'playwright-core';
import { spawn } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '../..');
const port = 4198;
const server = spawn('python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1', '--directory', join(root, 'dist')], { stdio: 'ignore' });
await new Promise((r) => setTimeout(r, 800));
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/lib/chromium/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  const shots = [
    ['home.png', '', '[data-testid="start-assessment"]', { width: 1280, height: 860 }, 'light'],
    ['catalog.png', '#/controls', '[data-testid="control-row"]', { width: 1280, height: 860 }, 'light'],
    ['control.png', '#/controls/CLD.9.5.1', '[data-testid="guidance-csc"]', { width: 1280, height: 1000 }, 'light'],
    ['search-dark.png', '#/controls?q=key%20rotation', '[data-testid="control-row"]', { width: 1280, height: 760 }, 'dark'],
    ['phone.png', '#/controls/12.4.1', '[data-testid="guidance-csc"]', { width: 390, height: 844 }, 'light'],
  ];
  for (const [file, hash, sel, viewport, colorScheme] of shots) {
    const ctx = await browser.newContext({ viewport, colorScheme, deviceScaleFactor: 1 });
    const page = await ctx.newPage();
    await page.goto(`http://127.0.0.1:${port}/${hash}`);
    await page.waitForSelector(sel);
    await page.waitForTimeout(200);
    await page.screenshot({ path: join(root, 'docs', file) });
    await ctx.close();
    console.log(`docs/${file}`);
  }
  // With the sample data: the assessment page's results and the report as printed.
  {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 1000 }, colorScheme: 'light', deviceScaleFactor: 1 });
    const page = await ctx.newPage();
    await page.goto(`http://127.0.0.1:${port}/#/assess`);
    await page.click('[data-testid="sample-button"]');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="file-status"][data-state="done"]').length === 4, null, { timeout: 30_000 });
    // The sticky header would cover the top of an element's screenshot.
    await page.evaluate(() => { document.querySelector('.site-header').style.position = 'static'; });
    await page.locator('[data-testid="dashboard-summary"]').scrollIntoViewIfNeeded();
    await page.waitForTimeout(300);
    await page.locator('.dashboard').screenshot({ path: join(root, 'docs', 'dashboard.png') });
    console.log('docs/dashboard.png');
    // The assessment page with its files, and the findings with the first finding's evidence open.
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.waitForTimeout(200);
    await page.screenshot({ path: join(root, 'docs', 'assess.png') });
    console.log('docs/assess.png');
    await page.goto(`http://127.0.0.1:${port}/#/findings`);
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.click('[data-testid="finding-row"]');
    await page.waitForSelector('[data-testid="evidence-panel"]');
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(root, 'docs', 'findings.png') });
    console.log('docs/findings.png');
    await page.setViewportSize({ width: 1280, height: 1000 });
    await page.goto(`http://127.0.0.1:${port}/#/report`);
    await page.waitForSelector('[data-testid="report-summary"]');
    await page.emulateMedia({ media: 'print' });
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(root, 'docs', 'report-print.png'), fullPage: false });
    console.log('docs/report-print.png');
    await ctx.close();
  }
} finally {
  await browser.close();
  server.kill();
}
