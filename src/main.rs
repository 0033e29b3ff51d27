//! Browser entry point of the page: installs the panic hook and mounts the
//! app. The assessment engine runs in a Web Worker built from
//! `src/worker.rs`. Everything else lives in the library.

#[cfg(target_arch = "wasm32")]
fn main() {
    console_error_panic_hook::set_once();
    iso27017::ui::mount();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("iso27017-web is the browser build; run `trunk build --release` (see README.md), or use the `iso27017` command.");
    std::process::exit(2);
}
