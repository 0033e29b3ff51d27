//! The browser UI (wasm32 only): thin Leptos components over the engine.
//!
//! **Invariant:** components never parse or evaluate anything themselves; they
//! call `Catalog`, `route` and `markdown` and render the result. Only this
//! module touches `window`, the DOM and (later) storage.

mod app;
mod components;
mod guidance;
mod pages;
mod state;
mod ws;

pub use app::App;

/// Mount the app into `<body>`.
pub fn mount() {
    leptos::mount::mount_to_body(App);
}
