//! Assessment workspaces: what a user records about their cloud (scope, a
//! manual answer per control, decisions on failing findings, what they
//! uploaded), how it combines with automated findings into one result per
//! control, and how it is stored and exchanged as JSON.
//!
//! - [`model`] — the typed domain: [`Workspaces`] (several named assessments,
//!   create / rename / duplicate / delete with undo), [`Workspace`],
//!   [`Scope`], [`ControlAnswer`], [`FindingDecision`], [`UploadRecord`].
//! - [`evidence`] — evidence checklists per control, compensating measures,
//!   decision batches (one decision on many findings, undone together).
//! - [`joint`] — the files of one assessment held and judged together (the
//!   browser's worker).
//! - [`kv`] — the browser's storage layout over a key-value store
//!   (`localStorage` on the page, [`kv::MemoryKv`] in tests).
//! - [`rollup`] — the one rule combining findings, decisions and the manual
//!   answer into an [`Outcome`] per control.
//! - [`store`] — the versioned storage/exchange contract (`StoredV2`, compact uploads),
//!   `load` / `save` for browser storage, `import` / `export` for files.
//!
//! **Invariant:** plain Rust: no I/O, no clock, no randomness, no web
//! dependency. The caller passes "now" (milliseconds since the Unix epoch) and
//! "today" (days since the epoch, as in `checks::Context`).
//! **Invariant:** a [`Workspaces`] value only ever holds valid data: every
//! way to build or change one (methods, `store::load`, `store::import`)
//! validates ids, dates, control ids and sizes.

pub mod evidence;
pub mod attest;
pub mod attest_portals;
pub mod decided;
pub mod joint;
pub mod kv;
pub mod mapping;
pub mod model;
pub mod rollup;
pub mod store;
pub mod store_evidence;
pub mod store_attest;
pub mod store_imported;
pub mod store_mapping;
pub mod transfer;

pub use model::{
    evidence_kept, sha256_hex, Applicability, DiagnosticLine, ControlAnswer, DecisionKind, FindingDecision, IsoDate, ManualStatus, Scope,
    UploadRecord, Workspace, WorkspaceError, WorkspaceId, Workspaces, EVIDENCE_NOT_KEPT,
};
pub use rollup::{ControlRollUp, DecisionState, Effective, Outcome};
pub use store::{export, export_workspace, import, import_own, load, migrate, save, ImportError, LoadError, LoadOutcome, Migration};
