// The assessment worker: reads dropped files and runs the engine (its own
// WebAssembly module, built by Trunk from src/worker.rs, without the UI) off
// the main thread, so the page never freezes. It only moves bytes: each
// message is an envelope {head, body, url} whose head is a typed request
// (src/protocol.rs) this script never reads; the body becomes bytes (a File
// read with progress, an ArrayBuffer, or the sample at `url`, fetched from
// the app's own origin) or stays text, and goes with the head to the
// engine's `worker_handle`, which posts its replies as {head, body}.
// A classic worker: Trunk builds worker modules with wasm-bindgen's
// `no-modules` target (a global `wasm_bindgen`).
// Files stay in this worker's memory for the session only (for joint
// evaluation and the evidence view); nothing is sent anywhere.
importScripts('iso27017-worker.js');
/* global wasm_bindgen */
let engine = null;
const post = (head, body) => self.postMessage(body === undefined ? { head } : { head, body });
const ready = wasm_bindgen({ module_or_path: 'iso27017-worker_bg.wasm' }).then(() => {
  engine = wasm_bindgen;
  post(engine.worker_ready());
});
let queue = Promise.resolve();

self.onmessage = (event) => {
  const m = event.data || {};
  queue = queue.then(() => handle(m)).catch((err) => {
    if (engine) post(engine.worker_failed(String(m.head || ''), String((err && err.message) || err)));
  });
};

async function readAll(file, head) {
  const total = file.size;
  const out = new Uint8Array(total);
  let loaded = 0;
  let lastPost = 0;
  const reader = file.stream().getReader();
  post(engine.worker_reading(head, 0, total));
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (loaded + value.length > total) throw new Error('the file changed while it was being read');
    out.set(value, loaded);
    loaded += value.length;
    const now = performance.now();
    if (now - lastPost > 50) {
      lastPost = now;
      post(engine.worker_reading(head, loaded, total));
    }
  }
  return loaded === total ? out : out.subarray(0, loaded);
}

async function handle(m) {
  await ready;
  if (!engine) throw new Error('the assessment engine did not start');
  const head = String(m.head || '');
  if (m.hash === true && m.body instanceof Blob) {
    // A local evidence file: its digest is taken chunk by chunk as it is
    // read; the bytes are neither kept nor sent anywhere.
    const hasher = new engine.FileHasher();
    const reader = m.body.stream().getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      hasher.update(value);
    }
    post(hasher.finish(head));
    return;
  }
  let bytes;
  let text;
  if (m.body instanceof Blob) {
    const refusal = engine.worker_check_size(head, m.body.size);
    if (refusal) { post(refusal); return; }
    bytes = await readAll(m.body, head);
  } else if (m.body instanceof ArrayBuffer) {
    bytes = new Uint8Array(m.body);
  } else if (typeof m.url === 'string') {
    // A bundled sample, or the guidance text an export needs: the app's own
    // files, revalidated so that a copy of another version is not used.
    const res = await fetch(m.url, { credentials: 'same-origin', cache: 'no-cache' });
    if (!res.ok) throw new Error(m.url + ' could not be loaded (HTTP ' + res.status + ')');
    bytes = new Uint8Array(await res.arrayBuffer());
  }
  if (typeof m.body === 'string') {
    text = m.body;
  }
  // SHA-256 of a file by the browser's own implementation when it has one
  // (secure contexts); the engine hashes otherwise.
  let digest = '';
  if (bytes && self.crypto && self.crypto.subtle) {
    try {
      const d = new Uint8Array(await self.crypto.subtle.digest('SHA-256', bytes));
      digest = Array.from(d, (b) => b.toString(16).padStart(2, '0')).join('');
    } catch (e) { digest = ''; }
  }
  engine.worker_handle(head, bytes, text, digest, post);
}
