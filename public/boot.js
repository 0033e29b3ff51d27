// Loads the WebAssembly app. Kept as an external module (not Trunk's inline
// loader) so the page can forbid inline scripts in its CSP.
//
// The guidance text is not in the app's module (src/catalog/prose.rs). A deep
// link to a control (#/controls/<id>) needs it in its first render, so this
// fetches guidance.bin (catalog::prose::ASSET_NAME) while the module
// downloads, and starts the app once both are there (src/ui/guidance.rs reads
// window.__iso27017Guidance), waiting at most a second longer than for the
// module (then the app fetches the text itself); every other page starts at
// once and fetches the text after its first render.
const me = document.querySelector('script[data-wasm]');
const js = me.getAttribute('data-js');
const wasm = me.getAttribute('data-wasm');
const started = performance.now();
let start;
if (/^#\/controls\/[^?&]/.test(location.hash)) {
  const module = fetch(wasm);
  module.catch(() => {}); // reported by the app's loader below
  const text = fetch('guidance.bin').then((r) => (r.ok ? r.arrayBuffer() : null)).catch(() => null);
  const late = module.then(() => new Promise((r) => setTimeout(r, 1000)), () => {}).then(() => null);
  start = Promise.all([import(js), Promise.race([text, late])]).then(([mod, bytes]) => {
    if (bytes) window.__iso27017Guidance = bytes;
    return mod.default({ module_or_path: module });
  });
} else {
  start = import(js).then((mod) => mod.default({ module_or_path: wasm }));
}
start
  .then(() => {
    window.__appReadyMs = performance.now() - started;
    document.documentElement.dataset.ready = 'true';
  })
  .catch((err) => {
    const p = document.createElement('p');
    p.setAttribute('role', 'alert');
    p.setAttribute('data-testid', 'error-banner');
    p.className = 'boot-error';
    p.textContent = 'The app could not start in this browser (' + (err && err.message ? err.message : err) + '). It needs WebAssembly support.';
    document.body.appendChild(p);
  });
