// Benchmark of the built site (run after `trunk build --release`):
//   node tests/e2e/bench.mjs [runs]
// Prints the gzip size of every shipped asset and the time to first render in
// headless Chromium (navigation start -> first control row painted in the DOM),
// as a Markdown table for the README. Not a test: it never fails on a number.
import { chromium } from 'playwright-core';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, '../../dist');
const runs = Number(process.argv[2] || 15);
const port = 4199;

const kb = (n) => (n / 1024).toFixed(1);
let total = 0, totalRaw = 0;
const rows = [];
for (const f of readdirSync(dist).sort()) {
  const p = join(dist, f);
  if (!statSync(p).isFile()) continue;
  const raw = readFileSync(p);
  const gz = gzipSync(raw, { level: 9 }).length;
  total += gz; totalRaw += raw.length;
  rows.push(`| ${f.replace(/-[0-9a-f]{16}/, '-<hash>')} | ${kb(raw.length)} | ${kb(gz)} |`);
}
console.log('| asset | raw KB | gzip KB |\n|---|---:|---:|');
console.log(rows.join('\n'));
console.log(`| **total** | ${kb(totalRaw)} | **${kb(total)}** |\n`);

const server = spawn('python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1', '--directory', dist], { stdio: 'ignore' });
await new Promise((r) => setTimeout(r, 800));
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(p * s.length))]; };
async function measure(hash, selector) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const ctx = await browser.newContext(); // cold cache every run
    const page = await ctx.newPage();
    await page.goto(`http://127.0.0.1:${port}/${hash}`);
    await page.waitForSelector(selector);
    times.push(await page.evaluate(() => performance.now()));
    await ctx.close();
  }
  return times;
}
try {
  console.log(`| first render (cold cache, ${runs} runs) | median ms | p90 ms |\n|---|---:|---:|`);
  for (const [name, hash, sel] of [
    ['home: 121 controls listed', '', '[data-testid="control-row"]'],
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
