// Loads the WebAssembly app. Kept as an external module (not Trunk's inline
// loader) so the page can forbid inline scripts in its CSP.
const me = document.querySelector('script[data-wasm]');
const js = me.getAttribute('data-js');
const wasm = me.getAttribute('data-wasm');
const started = performance.now();
import(js)
  .then((mod) => mod.default({ module_or_path: wasm }))
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
