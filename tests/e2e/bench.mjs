// Benchmark of the built site (run after `trunk build --release`):
//   node tests/e2e/bench.mjs [runs]
// Prints the gzip size of every shipped asset, the bytes the page needs before
// its first render (index.html, boot.js, the CSS and the page's JS and
// WebAssembly; the worker and the guidance text load after it, except that a
// deep link to a control fetches the text with the app) against the 600 KB
// budget, and the time to first render in headless Chromium
// (navigation start -> first matching element in the DOM), as Markdown for
// docs/benchmarks.md. Not a test: it never fails on a number.
import { chromium } from 'playwright-core';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
// DIST=other/dist measures another build with the same method.
const dist = process.env.DIST || join(here, '../../dist');
const runs = Number(process.argv[2] || 15);
const port = 4199;

const kb = (n) => (n / 1024).toFixed(1);
let total = 0, totalRaw = 0, beforeRender = 0, guidanceText = 0;
const rows = [];
// What boot.js loads before the app mounts; everything else comes later.
// (Trunk's hashes have 16 hex digits, fewer when they start with zeros.)
const first = (f) => f === 'index.html' || f === 'boot.js' || /^(main|findings)-[0-9a-f]+\.css$/.test(f) || /^iso27017-web-[0-9a-f]+(_bg\.wasm|\.js)$/.test(f);
for (const f of readdirSync(dist).sort()) {
  const p = join(dist, f);
  if (!statSync(p).isFile()) continue;
  const raw = readFileSync(p);
  const gz = gzipSync(raw, { level: 9 }).length;
  total += gz; totalRaw += raw.length;
  if (first(f)) beforeRender += gz;
  if (f === 'guidance.bin') guidanceText = gz;
  rows.push(`| ${f.replace(/-[0-9a-f]{8,16}(?=[._])/, '-<hash>')} | ${kb(raw.length)} | ${kb(gz)} |`);
}
console.log('| asset | raw KB | gzip KB |\n|---|---:|---:|');
console.log(rows.join('\n'));
console.log(`| **total** | ${kb(totalRaw)} | **${kb(total)}** |\n`);
console.log(`Before first render (index.html, boot.js, CSS, page JS and wasm): **${kb(beforeRender)} KB gzip** (budget 600 KB); ` +
  `a deep link to a control also fetches guidance.bin with them: ${kb(beforeRender + guidanceText)} KB.\n`);

const server = spawn('python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1', '--directory', dist], { stdio: 'ignore' });
await new Promise((r) => setTimeout(r, 800));
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/lib/chromium/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(p * s.length))]; };
// The time is taken in the page, by a MutationObserver, when the first
// element matching `selector` is in the DOM: not when Playwright, polling,
// next gets to run a script there (which also counts whatever the page does
// right after its first render, such as reading the guidance text).
async function measure(hash, selector) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const ctx = await browser.newContext(); // cold cache every run
    await ctx.addInitScript((sel) => {
      window.__firstMatchMs = null;
      const seen = () => {
        if (window.__firstMatchMs === null && document.querySelector(sel)) {
          window.__firstMatchMs = performance.now();
          observer.disconnect();
        }
      };
      const observer = new MutationObserver(seen);
      observer.observe(document, { childList: true, subtree: true });
    }, selector);
    const page = await ctx.newPage();
    await page.goto(`http://127.0.0.1:${port}/${hash}`);
    await page.waitForSelector(selector);
    await page.waitForFunction(() => window.__firstMatchMs !== null);
    times.push(await page.evaluate(() => window.__firstMatchMs));
    await ctx.close();
  }
  return times;
}
try {
  console.log(`| first render (cold cache, ${runs} runs) | median ms | p90 ms |\n|---|---:|---:|`);
  for (const [name, hash, sel] of [
    ['start page', '', '[data-testid="start-assessment"]'],
    ['catalog #/controls: 121 controls listed', '#/controls', '[data-testid="control-row"]'],
    ['deep link #/controls/CLD.9.5.1', '#/controls/CLD.9.5.1', '[data-testid="guidance-csc"]'],
    ['search #/controls?q=virtual', '#/controls?q=virtual', '[data-testid="control-row"]'],
  ]) {
    const t = await measure(hash, sel);
    console.log(`| ${name} | ${pct(t, 0.5).toFixed(0)} | ${pct(t, 0.9).toFixed(0)} |`);
  }
} finally {
  await browser.close();
  server.kill();
}
