// Browser benchmark of other scanners' findings files (run after `trunk build --release`):
//   node tests/e2e/bench-scanners.mjs [runs]
// A Prowler OCSF file of 10,000 and of 100,000 findings (six check ids, one of
// them unmapped; two thirds failing) is made in the page and dropped on it as
// a real file (a `drop` event with a DataTransfer). Measures, in headless
// Chromium on the built site: drop → findings rendered (the app's own
// `file-elapsed` and the harness's clock), the worker's marks (read, parsed,
// evaluated, first part), and the longest main-thread task while the file is
// read, judged and its findings arrive (PerformanceObserver "longtask").
// Prints Markdown for docs/benchmarks.md. Not a test: it never fails on a number.
import { chromium } from 'playwright-core';
import { spawn } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, '../../dist');
const runs = Number(process.argv[2] || 3);
const port = 4199;

const server = spawn('python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1', '--directory', dist], { stdio: 'ignore' });
await new Promise((r) => setTimeout(r, 800));
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/lib/chromium/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const max = (xs) => xs.reduce((a, b) => Math.max(a, b), 0);

/** The file's text in parts (the same generator as specs/decisions-travel.spec.mjs). */
function makeProwler(n) {
  const checks = ['s3_bucket_default_encryption', 'cloudtrail_multi_region_enabled', 'ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_22',
    'iam_user_mfa_enabled_console_access', 'rds_instance_storage_encrypted', 'accessanalyzer_enabled'];
  const parts = ['['];
  for (let i = 0; i < n; i++) {
    const check = checks[i % checks.length];
    const status = i % 3 === 0 ? 'PASS' : 'FAIL';
    parts.push(`${i ? ',' : ''}{"message":"Bucket bucket-${i} checked by ${check}.","metadata":{"event_code":"${check}","product":{"name":"Prowler","uid":"prowler","vendor_name":"Prowler","version":"5.4.0"},"version":"1.4.0"},`
      + `"severity":"Medium","severity_id":3,"status_code":"${status}","status_detail":"bucket-${i}","status_id":1,"class_uid":2004,"class_name":"Detection Finding",`
      + `"finding_info":{"title":"Check ${check}","uid":"prowler-aws-${check}-123456789012-eu-west-1-bucket-${i}"},`
      + `"resources":[{"region":"eu-west-1","name":"bucket-${i}","type":"AwsS3Bucket","uid":"arn:aws:s3:::bucket-${i}"}],`
      + `"cloud":{"account":{"uid":"123456789012"},"provider":"aws","region":"eu-west-1"},"remediation":{"desc":"Fix it."}}`);
  }
  parts.push(']');
  return parts;
}

async function run(n) {
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
  const name = `prowler-${n}.ocsf.json`;
  const dt = await page.evaluateHandle(([name, src, n]) => {
    const make = new Function(`return (${src})`)();
    const dt = new DataTransfer();
    dt.items.add(new File(make(n), name, { type: 'application/json' }));
    return dt;
  }, [name, makeProwler.toString(), n]);
  const size = await dt.evaluate((d) => d.files[0].size);
  await page.evaluate(() => { window.__long = []; window.__t0 = performance.now(); });
  await page.dispatchEvent('body', 'dragover', { dataTransfer: dt });
  await page.dispatchEvent('body', 'drop', { dataTransfer: dt });
  const row = `[data-testid="file-status"][data-name="${name}"]`;
  await page.waitForSelector(`${row}[data-state="done"]`, { timeout: 600_000 });
  await page.waitForSelector(`${row} [data-testid="file-elapsed"]`, { timeout: 60_000 });
  const outside = await page.evaluate(() => performance.now() - window.__t0);
  const app = Number(await page.getAttribute(`${row} [data-testid="file-elapsed"]`, 'data-ms'));
  const marks = await page.getAttribute(`${row} [data-testid="file-elapsed"]`, 'data-marks');
  const longest = await page.evaluate(() => window.__long.reduce((a, b) => Math.max(a, b), 0));
  const tasks = await page.evaluate(() => window.__long.length);
  // The findings page counts them all (its first render included in the long tasks below).
  await page.evaluate(() => { window.__long = []; });
  const t = Date.now();
  await page.goto(`http://127.0.0.1:${port}/#/findings`);
  await page.waitForSelector('[data-testid="finding-row"]', { timeout: 120_000 });
  const tableMs = Date.now() - t;
  const count = await page.getByTestId('findings-count').innerText();
  const tableLongest = await page.evaluate(() => window.__long.reduce((a, b) => Math.max(a, b), 0));
  await ctx.close();
  return { size, app, outside, marks, longest, tasks, count, tableMs, tableLongest };
}

console.log('| findings file | MB | runs | drop → findings rendered, median (app / harness) ms | read, parsed, evaluated, first part (ms from drop) | longest main-thread task ms | long tasks | findings page: open → rows ms, longest task ms | count shown |');
console.log('|---|---:|---:|---:|---|---:|---:|---|---|');
for (const n of [10_000, 100_000]) {
  const rs = [];
  for (let i = 0; i < runs; i++) rs.push(await run(n));
  const mid = rs.slice().sort((a, b) => a.app - b.app)[Math.floor(rs.length / 2)];
  console.log(`| Prowler OCSF, ${n.toLocaleString('en')} findings | ${(rs[0].size / 1e6).toFixed(1)} | ${runs} | ${median(rs.map((r) => r.app)).toFixed(0)} / ${median(rs.map((r) => r.outside)).toFixed(0)} | ${mid.marks} | ${max(rs.map((r) => r.longest)).toFixed(0)} | ${mid.tasks} | ${median(rs.map((r) => r.tableMs))}, ${max(rs.map((r) => r.tableLongest)).toFixed(0)} | ${mid.count} |`);
}
await browser.close();
server.kill();
