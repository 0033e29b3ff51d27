// Browser benchmark of joint evaluation (run after `trunk build --release`
// and `cargo bench --bench ingest -- --emit /tmp/iso27017-synth`):
//   node tests/e2e/bench-joint.mjs [dir-with-synthetic-exports] [files]
// Adds the 10,000-resource synthetic plan to an assessment N times under
// different names (default 10), one file after the other, and reports for
// each addition the worker's marks (milliseconds from the drop: read,
// parsed, judged — every file of the assessment together — first result at
// the page) and the drop-to-rendered time. The judging time of the tenth
// file is what adding a file to an assessment of nine costs.
// Prints Markdown for docs/benchmarks.md. Not a test: it never fails on a number.
import { chromium } from 'playwright-core';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, '../../dist');
const dir = process.argv[2] || '/tmp/iso27017-synth';
const count = Number(process.argv[3] || 10);
const port = 4199;
const file = join(dir, 'plan-10k.json');
if (!existsSync(file)) {
  console.error(`missing ${file}: run  cargo bench --bench ingest -- --emit ${dir}`);
  process.exit(2);
}
const bytes = readFileSync(file);

const server = spawn('python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1', '--directory', dist], { stdio: 'ignore' });
await new Promise((r) => setTimeout(r, 800));
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/lib/chromium/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`http://127.0.0.1:${port}/#/assess`);
  await page.waitForSelector('html[data-ready="true"]');
  console.log(`| files in the assessment | resources judged | read | parsed | judged | first result | rendered (ms) |`);
  console.log(`|---:|---:|---:|---:|---:|---:|---:|`);
  for (let i = 1; i <= count; i++) {
    const name = `plan-${i}.json`;
    await page.getByTestId('upload-input').setInputFiles({ name, mimeType: 'application/json', buffer: bytes });
    const sel = `[data-testid="file-status"][data-name="${name}"] [data-testid="file-elapsed"]`;
    await page.waitForSelector(sel, { timeout: 300_000 });
    const ms = Number(await page.getAttribute(sel, 'data-ms'));
    const marks = (await page.getAttribute(sel, 'data-marks')).split(',').map(Number);
    console.log(`| ${i} | ${i * 10_000} | ${marks[0]} | ${marks[1]} | ${marks[2]} | ${marks[3]} | ${ms} |`);
  }
  console.log(`\njudging time = "judged" − "parsed"; ${bytes.length} bytes per file.`);
} finally {
  await browser.close();
  server.kill();
}
