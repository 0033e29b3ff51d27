// Opens the app served at URL in headless Chromium and checks that it renders:
// the app marks <html data-ready="true">, the main region has a heading, the
// page threw nothing, and no request left the server's origin.
//   node tests/e2e/serve-check.mjs http://127.0.0.1:8080/
// Exit 0 when it rendered; 1 with the reason otherwise.
import { chromium } from 'playwright-core';

const url = process.argv[2];
if (!url) {
  console.error('usage: node serve-check.mjs URL');
  process.exit(2);
}
const origin = new URL(url).origin;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/lib/chromium/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const problems = [];
try {
  const page = await browser.newPage();
  page.on('request', (req) => {
    const u = req.url();
    if (!u.startsWith(origin + '/') && !u.startsWith('data:') && !u.startsWith('blob:')) problems.push(`request left the origin: ${u}`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  await page.goto(url);
  await page.locator('html[data-ready="true"]').waitFor({ state: 'attached', timeout: 30_000 });
  const heading = page.locator('main h1').first();
  await heading.waitFor({ state: 'visible', timeout: 10_000 });
  const text = (await heading.innerText()).trim();
  if (!text) problems.push('the main heading is empty');
} catch (err) {
  problems.push(`the app did not render: ${err.message}`);
} finally {
  await browser.close();
}
if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log(`rendered: ${url}`);
