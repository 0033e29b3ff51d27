// Browser benchmark of the assessment workspace (run after `trunk build --release`
// and `cargo bench --bench ingest -- --emit /tmp/iso27017-synth`):
//   node tests/e2e/bench-workspace.mjs [dir-with-synthetic-exports] [runs]
// Measures, in headless Chromium on the built site:
//   1. an 11 MB Terraform plan of 10,000 resources: time from the file being
//      handed to the page (file input `change`) to its findings rendered
//      (file row "done" and control results painted), median of N runs;
//   2. a ~100 MB export: total time and the longest main-thread task while
//      it is read and evaluated (PerformanceObserver "longtask"), and whether
//      the page answered a click during processing;
//   3. the findings table with >= 100,000 rows: frame times while scrolling.
// Prints Markdown for docs/benchmarks.md. Not a test: it never fails on a number.
import { chromium } from 'playwright-core';
import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, '../../dist');
const dir = process.argv[2] || '/tmp/iso27017-synth';
const runs = Number(process.argv[3] || 5);
const port = 4198;
for (const f of ['plan-10k.json', 'plan-85k.json']) {
  if (!existsSync(join(dir, f))) {
    console.error(`missing ${join(dir, f)}: run  cargo bench --bench ingest -- --emit ${dir}`);
    process.exit(2);
  }
}

const server = spawn('python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1', '--directory', dist], { stdio: 'ignore' });
await new Promise((r) => setTimeout(r, 800));
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/lib/chromium/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const max = (xs) => xs.reduce((a, b) => Math.max(a, b), 0);

async function freshPage() {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.addInitScript(() => {
    window.__long = [];
    try {
      new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__long.push(e.duration); })
        .observe({ type: 'longtask', buffered: true });
    } catch (e) { /* no longtask support */ }
  });
  await page.goto(`http://127.0.0.1:${port}/#/assess`);
  await page.waitForSelector('html[data-ready="true"]');
  await page.waitForSelector('[data-testid="control-row"]');
  return { ctx, page };
}

async function assess(page, file) {
  const name = file.split('/').pop();
  await page.evaluate(() => { window.__long = []; window.__t0 = performance.now(); });
  await page.getByTestId('upload-input').setInputFiles(file);
  // Probe responsiveness while the worker runs: how long a trivial task waits.
  const probe = page.evaluate(async (name) => {
    const waits = [];
    for (;;) {
      const row = document.querySelector(`[data-testid="file-status"][data-name="${name}"]`);
      if (row && row.dataset.state !== 'busy') break;
      const t = performance.now();
      await new Promise((r) => setTimeout(r, 0));
      waits.push(performance.now() - t);
      await new Promise((r) => setTimeout(r, 20));
    }
    return waits;
  }, name);
  await page.waitForSelector(`[data-testid="file-status"][data-name="${name}"][data-state="done"]`, { timeout: 600_000 });
  await page.waitForSelector(`[data-testid="file-status"][data-name="${name}"] [data-testid="file-elapsed"]`, { timeout: 60_000 });
  const waits = await probe;
  const outside = await page.evaluate(() => performance.now() - window.__t0);
  const app = Number(await page.getAttribute(`[data-testid="file-status"][data-name="${name}"] [data-testid="file-elapsed"]`, 'data-ms'));
  const marks = await page.getAttribute(`[data-testid="file-status"][data-name="${name}"] [data-testid="file-elapsed"]`, 'data-marks');
  const longest = await page.evaluate(() => window.__long.reduce((a, b) => Math.max(a, b), 0));
  const findings = await page.locator(`[data-testid="file-status"][data-name="${name}"]`).innerText();
  return { app, outside, longest, marks, maxWait: max(waits), findings: (findings.match(/([0-9]+) findings/) || [])[1] };
}

console.log('| scenario | size MB | runs | drop → rendered, median (app / harness) ms | read, parsed, evaluated, first part (ms from drop) | longest main-thread task ms | longest wait of a 0 ms timer ms |');
console.log('|---|---:|---:|---:|---|---:|---:|');
{
  const file = join(dir, 'plan-10k.json');
  const rs = [];
  for (let i = 0; i < runs; i++) {
    const { ctx, page } = await freshPage();
    rs.push(await assess(page, file));
    await ctx.close();
  }
  console.log(`| Terraform plan, 10,000 resources (${rs[0].findings} findings) | ${(statSync(file).size / 1e6).toFixed(1)} | ${runs} | ${median(rs.map((r) => r.app)).toFixed(0)} / ${median(rs.map((r) => r.outside)).toFixed(0)} | ${rs[Math.floor(rs.length / 2)].marks} | ${max(rs.map((r) => r.longest)).toFixed(0)} | ${max(rs.map((r) => r.maxWait)).toFixed(0)} |`);
}
let big;
{
  const file = join(dir, 'plan-85k.json');
  const { ctx, page } = await freshPage();
  big = { ctx, page };
  const r = await assess(page, file);
  console.log(`| Terraform plan, 85,000 resources (${r.findings} findings) | ${(statSync(file).size / 1e6).toFixed(1)} | 1 | ${r.app.toFixed(0)} / ${r.outside.toFixed(0)} | ${r.marks} | ${r.longest.toFixed(0)} | ${r.maxWait.toFixed(0)} |`);
}
{
  const { page } = big;
  await page.goto(`http://127.0.0.1:${port}/#/findings`);
  await page.waitForSelector('[data-testid="finding-row"]', { timeout: 120_000 });
  // Every finding, passing included (the page hides passing ones by default).
  await page.getByTestId('findings-status').selectOption('all');
  await page.waitForSelector('[data-testid="finding-row"]', { timeout: 120_000 });
  const count = await page.getByTestId('findings-count').innerText();
  const inDom = await page.getByTestId('finding-row').count();
  const frames = await page.evaluate(async () => {
    const el = document.querySelector('[data-testid="findings-scroller"]');
    const gaps = [];
    let last = performance.now();
    for (let i = 0; i < 120; i++) {
      el.scrollTop += 900;
      await new Promise((r) => requestAnimationFrame(r));
      const now = performance.now();
      gaps.push(now - last);
      last = now;
    }
    return gaps;
  });
  const sorted = [...frames].sort((a, b) => a - b);
  console.log(`\nFindings table: ${count}; ${inDom} rows in the DOM; scrolling 120 steps of 900 px: median frame ${median(frames).toFixed(1)} ms, p95 ${sorted[Math.floor(0.95 * sorted.length)].toFixed(1)} ms, max ${max(frames).toFixed(1)} ms.`);
  await big.ctx.close();
}
await browser.close();
server.kill();
