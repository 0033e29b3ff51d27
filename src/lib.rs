//! iso27017-assessor: an ISO/IEC 27017 (cloud security) assessment tool that
//! runs entirely on the user's machine, in the browser (Leptos, WebAssembly)
//! or as the `iso27017` command.
//!
//! Layers (see ARCHITECTURE.md):
//! - engine, plain Rust, no web dependency: [`model`], [`catalog`], [`markdown`], [`route`], [`inventory`], [`policy`], [`ingest`],
//!   [`checks`], [`engine`], [`report`], [`workspace`], [`share`], [`protocol`] (the page ↔ worker messages);
//! - browser edge: `ui` (wasm32 only).
//!
//! **Invariant:** nothing outside `ui` (and `src/bin`, `src/main.rs`) touches the
//! browser, the file system or the terminal; `tests/architecture.rs` enforces it.

pub mod catalog;
pub mod checks;
pub mod engine;
pub mod ingest;
pub mod inventory;
pub mod markdown;
pub mod model;
pub mod policy;
pub mod protocol;
pub mod report;
pub mod route;
pub mod share;
pub mod workspace;

#[cfg(target_arch = "wasm32")]
pub mod ui;

pub use catalog::Catalog;
