// The assessment worker: reads dropped files and runs the engine (its own
// WebAssembly module, built by Trunk from src/worker.rs, without the UI) off
// the main thread, so the page never freezes. It is glue only: decoding,
// detection, parsing and evaluation are the engine's `worker_*` exports.
// A classic worker: Trunk builds worker modules with wasm-bindgen's
// `no-modules` target (a global `wasm_bindgen`). Messages:
//   page → worker: {type:'assess', id, name, today, file | text | url}
//                  {type:'fragment', id, name, pointer, line}
//                  {type:'forget', name}
//                  {type:'export', id, format, today, now, workspace | share}
//                  (the interview checklist formats also fetch guidance.bin)
//                  {type:'share-link', id, json, max}
//   worker → page: {type:'progress', id, stage, loaded, total}
//                  {type:'part', id, k, n, json} (n parts, in order; the last
//                   one completes the result) | {type:'refused', id, message}
//                  {type:'fragment', id, json} | {type:'failed', id, message}
//                  {type:'export', id, name, text}
//                  {type:'share-link', id, link, kept, dropped}
// Files stay in this worker's memory for the session only (for the evidence
// view); nothing is sent anywhere.
importScripts('iso27017-worker.js');
/* global wasm_bindgen */
let engine = null;
const ready = wasm_bindgen({ module_or_path: 'iso27017-worker_bg.wasm' }).then(() => {
  engine = wasm_bindgen;
  self.postMessage({ type: 'ready' });
});
const files = new Map();
let queue = Promise.resolve();

self.onmessage = (event) => {
  const m = event.data || {};
  queue = queue.then(() => handle(m)).catch((err) => {
    self.postMessage({ type: 'failed', id: m.id, message: String((err && err.message) || err) });
  });
};

async function readAll(file, id) {
  const total = file.size;
  const out = new Uint8Array(total);
  let loaded = 0;
  let lastPost = 0;
  const reader = file.stream().getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (loaded + value.length > total) throw new Error('the file changed while it was being read');
    out.set(value, loaded);
    loaded += value.length;
    const now = performance.now();
    if (now - lastPost > 50) {
      lastPost = now;
      self.postMessage({ type: 'progress', id, stage: 'reading', loaded, total });
    }
  }
  return loaded === total ? out : out.subarray(0, loaded);
}

let guidanceAsset = null;
async function guidanceBytes(reload) {
  if (guidanceAsset && !reload) return guidanceAsset;
  const res = await fetch('guidance.bin', { credentials: 'same-origin', cache: reload ? 'reload' : 'default' });
  if (!res.ok) throw new Error('the guidance text could not be loaded (HTTP ' + res.status + ')');
  guidanceAsset = new Uint8Array(await res.arrayBuffer());
  return guidanceAsset;
}

async function handle(m) {
  await ready;
  if (!engine) throw new Error('the assessment engine did not start');
  if (m.type === 'assess') {
    let bytes;
    if (m.file) {
      if (m.file.size > engine.worker_max_bytes()) {
        self.postMessage({ type: 'refused', id: m.id, message: engine.worker_too_large(m.file.size) });
        return;
      }
      self.postMessage({ type: 'progress', id: m.id, stage: 'reading', loaded: 0, total: m.file.size });
      bytes = await readAll(m.file, m.id);
    } else if (typeof m.text === 'string') {
      bytes = new TextEncoder().encode(m.text);
    } else if (typeof m.url === 'string') {
      const res = await fetch(m.url, { credentials: 'same-origin' });
      if (!res.ok) throw new Error('the sample ' + m.url + ' could not be loaded (HTTP ' + res.status + ')');
      bytes = new Uint8Array(await res.arrayBuffer());
    } else {
      throw new Error('nothing to assess');
    }
    self.postMessage({ type: 'progress', id: m.id, stage: 'parsing', loaded: bytes.length, total: bytes.length });
    files.set(m.name, bytes);
    // SHA-256 of the upload by the browser's own implementation when it has
    // one (secure contexts); the engine hashes otherwise.
    let digest = '';
    if (self.crypto && self.crypto.subtle) {
      try {
        const d = new Uint8Array(await self.crypto.subtle.digest('SHA-256', bytes));
        digest = Array.from(d, (b) => b.toString(16).padStart(2, '0')).join('');
      } catch (e) { digest = ''; }
    }
    // One message per part, posted as soon as it is made: the page reads
    // part k in its own task while part k + 1 is being made.
    engine.worker_assess(m.name, bytes, digest, m.today, (stage, count) => {
      self.postMessage({ type: 'progress', id: m.id, stage: stage === 'parsed' ? 'evaluating' : 'rendering', count });
    }, (k, n, json) => {
      self.postMessage({ type: 'part', id: m.id, k, n, json });
    });
  } else if (m.type === 'fragment') {
    const bytes = files.get(m.name);
    if (!bytes) {
      self.postMessage({ type: 'fragment', id: m.id, json: JSON.stringify({ missing: true }) });
      return;
    }
    self.postMessage({ type: 'fragment', id: m.id, json: engine.worker_fragment(bytes, m.pointer || '', m.line == null ? undefined : m.line) });
  } else if (m.type === 'forget') {
    files.delete(m.name);
  } else if (m.type === 'export') {
    // The report's files: made here so the page's module needs no writer.
    // The interview checklist also needs the guidance text: the app's own
    // guidance.bin, fetched once (usually from the cache the page filled).
    let guidance;
    if (engine.worker_export_needs_guidance(m.format)) guidance = await guidanceBytes(false);
    let made;
    try {
      made = engine.worker_export(m.format, m.workspace, m.share, m.today, m.now, guidance);
    } catch (err) {
      // A copy from another version (an old cache entry): fetch it again once.
      if (!guidance || !String(err).includes('another version')) throw err;
      made = engine.worker_export(m.format, m.workspace, m.share, m.today, m.now, await guidanceBytes(true));
    }
    const [name, text] = made;
    self.postMessage({ type: 'export', id: m.id, name, text });
  } else if (m.type === 'share-link') {
    const [link, kept, dropped] = engine.worker_share_link(m.json, m.max);
    self.postMessage({ type: 'share-link', id: m.id, link, kept, dropped });
  }
}
