//! Assessment → documents. One file per format, all built from
//! [`crate::engine::Assessment`]: `json` (the versioned contract in
//! `docs/assessment.schema.json`), `sarif` (2.1.0, for code-scanning tools),
//! `markdown`, `table` (terminal).
//!
//! **Invariant:** reports never re-evaluate anything; they only format.

pub mod json;
pub mod markdown;
pub mod sarif;
pub mod table;
