//! Assessment → documents. One file per format, all built from
//! [`crate::engine::Assessment`]: `json` (the versioned contract in
//! `docs/assessment.schema.json`), `sarif` (2.1.0, for code-scanning tools),
//! `markdown`, `table` (terminal). [`workspace_report`] is the report of a
//! whole workspace (manual answers, decisions, Statement of Applicability) and
//! its exports: CSV, Markdown, OSCAL assessment results.
//!
//! **Invariant:** reports never re-evaluate anything; they only format.

mod chunked;
mod compact;
pub mod json;
pub mod markdown;
pub mod merge;
pub mod sarif;
pub mod table;
mod text;
pub mod workspace_report;

/// What the JSON and SARIF documents hold of the passing findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Passes {
    /// JSON: a count per check and the ids of the passing resources; SARIF:
    /// nothing (results are what needs attention). The CLI's default.
    #[default]
    Counted,
    /// Every passing finding in full (JSON: as a finding; SARIF: a result of
    /// kind `pass`, level `none`).
    Full,
}

pub use workspace_report::{csv_findings, csv_soa, export_from, markdown_report, oscal_assessment_results, ExportFormat, ExportSource, Report};
