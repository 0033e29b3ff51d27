// One assessment of several files: the browser judges an assessment's files
// together, as `iso27017 assess a b …` does. The fixtures are a namespace's
// workloads and the namespace's own objects, exported apart: judged alone,
// whether the pods mount a token or sit behind a NetworkPolicy cannot be
// told; judged together, the second file decides it. The browser's stored
// findings (the assessment's "JSON (full)" export) must equal, file by file
// and finding by finding, what the CLI writes for the same files — after
// adding both, and again after removing one.
//
// Needs the native CLI: `cargo build --release --bin iso27017` (or set
// ISO27017_BIN); the newest of target/release and target/debug is used.
import { test, expect, open } from './fixtures.mjs';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.join(here, '../../..');
const dir = path.join(root, 'tests/fixtures/joint');
const FILES = ['workloads.yaml', 'namespace.yaml'];

function cliBinary() {
  if (process.env.ISO27017_BIN) return process.env.ISO27017_BIN;
  const built = ['release', 'debug'].map((p) => path.join(root, 'target', p, 'iso27017')).filter((p) => existsSync(p));
  if (!built.length) throw new Error('the iso27017 CLI is not built: run `cargo build --release --bin iso27017` (or set ISO27017_BIN)');
  return built.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
}

/** The uploads (with their findings) of the assessment the CLI makes of `files`. */
function cliUploads(files) {
  const run = spawnSync(cliBinary(), ['assess', '--format', 'workspace', ...files], { cwd: dir, encoding: 'utf8', maxBuffer: 64 << 20 });
  // Exit code 1: failing checks (the document is written all the same).
  expect([0, 1], run.stderr).toContain(run.status);
  return uploadsOf(run.stdout);
}

function uploadsOf(text) {
  const doc = JSON.parse(text);
  expect(doc.format).toBe('iso27017-assessor/workspace');
  expect(doc.workspaces.length).toBe(1);
  return doc.workspaces[0].uploads || [];
}

/** Drop files on the page with a real `drop` event carrying a DataTransfer. */
async function dropFiles(page, names) {
  const payload = names.map((name) => ({ name, text: readFileSync(path.join(dir, name), 'utf8') }));
  const dt = await page.evaluateHandle((items) => {
    const dt = new DataTransfer();
    for (const it of items) dt.items.add(new File([it.text], it.name, { type: 'application/yaml' }));
    return dt;
  }, payload);
  await page.dispatchEvent('body', 'dragover', { dataTransfer: dt });
  await page.dispatchEvent('body', 'drop', { dataTransfer: dt });
}

/** The uploads of the browser's active assessment, from its "JSON (full)" export. */
async function browserUploads(page) {
  await page.goto('/#/report');
  const dl = page.waitForEvent('download');
  await page.getByTestId('export-json').click();
  const uploads = uploadsOf(readFileSync(await (await dl).path(), 'utf8'));
  await page.goto('/#/assess');
  return uploads;
}

test('the files of an assessment are judged together, as the CLI judges them', async ({ page }) => {
  const joint = cliUploads(FILES);
  const alone = cliUploads([FILES[0]]);
  // The fixtures mean something: together, the workloads' findings differ.
  expect(joint.map((u) => u.name)).toEqual(FILES);
  expect(joint[0].findings.length).toBeGreaterThan(0);
  expect(joint[0]).not.toEqual(alone[0]);

  await open(page, '#/assess');
  await dropFiles(page, FILES);
  for (const name of FILES) {
    await expect(page.locator(`[data-testid="file-status"][data-name="${name}"]`)).toHaveAttribute('data-state', 'done', { timeout: 15_000 });
  }
  // Every upload, every finding: what the CLI writes for the same files.
  expect(await browserUploads(page)).toEqual(joint);

  // Removing the namespace's file takes its evidence away from the workloads.
  await page.locator('[data-testid="file-status"][data-name="namespace.yaml"]').getByTestId('remove-file').click();
  await expect.poll(() => browserUploads(page), { timeout: 15_000 }).toEqual(alone);

  // Adding it back (a file of this session is touched): judged together again.
  await dropFiles(page, [FILES[1]]);
  await expect(page.locator('[data-testid="file-status"][data-name="namespace.yaml"]')).toHaveAttribute('data-state', 'done', { timeout: 15_000 });
  expect(await browserUploads(page)).toEqual(joint);

  // After a reload the worker holds no file: the stored findings are shown as stored.
  await page.reload();
  await expect(page.locator('html[data-ready="true"]')).toHaveCount(1);
  expect(await browserUploads(page)).toEqual(joint);
});
