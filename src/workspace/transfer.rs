//! One uploaded file, assessed: what the browser's Web Worker computes and
//! hands to the page. The worker calls [`assess_file`] on the bytes, sends
//! [`to_json`] across `postMessage`, and the page reads it back with
//! [`from_json`] into a [`FileOutcome`] whose [`UploadRecord`] goes into the
//! workspace. The page never parses or evaluates an export itself.
//!
//! Each file is evaluated on its own (its findings belong to its upload
//! record, which can be removed or replaced independently); joins across
//! files (e.g. a VPC in one export and its flow logs in another) are not
//! made.
//!
//! **Invariant:** [`from_json`] never panics and validates the record like
//! every other way into a workspace.

use super::model::{UploadRecord, WorkspaceError};
use super::store::{upload_from_stored, LoadError, StoredUploadV2};
use crate::checks::{Context, RuleSet};
use crate::engine;
use crate::ingest::{self, Limits};
use crate::inventory::{Diagnostic, DiagnosticLevel};
use serde::{Deserialize, Serialize};

/// Most diagnostics carried per file (the count is always exact).
pub const MAX_DIAGNOSTICS: usize = 200;

/// Where the worker is, for its progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Decoded, detected and parsed: this many resources.
    Parsed(usize),
    /// Evaluated: this many findings.
    Evaluated(usize),
}

/// One diagnostic, flattened for display.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DiagnosticLine {
    /// `error`, `warning` or `info`.
    pub level: String,
    /// The sentence.
    pub message: String,
    /// Where (`file#pointer` or `file:line`), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
}

/// The result of one file.
#[derive(Debug, Clone, PartialEq)]
pub struct FileOutcome {
    /// What goes into the workspace (findings included).
    pub record: UploadRecord,
    /// The first [`MAX_DIAGNOSTICS`] diagnostics.
    pub diagnostics: Vec<DiagnosticLine>,
    /// Why the file was refused (then `record.format` is `None`).
    pub refused: Option<String>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Wire {
    record: StoredUploadV2,
    diagnostics: Vec<DiagnosticLine>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    refused: Option<String>,
}

fn line(d: &Diagnostic) -> DiagnosticLine {
    let level = match d.level {
        DiagnosticLevel::Error => "error",
        DiagnosticLevel::Warning => "warning",
        DiagnosticLevel::Info => "info",
    };
    let place = d.source.as_ref().map(|s| match s.line {
        Some(l) if s.pointer.is_empty() => format!("{}:{l}", s.file),
        _ if s.pointer.is_empty() => s.file.clone(),
        _ => format!("{}#{}", s.file, s.pointer),
    });
    DiagnosticLine { level: level.to_string(), message: d.message.clone(), place }
}

/// Decode, detect, parse and evaluate one file, reporting each stage.
pub fn assess_file(
    name: &str,
    bytes: &[u8],
    limits: &Limits,
    rules: &RuleSet,
    ctx: &Context,
    progress: &mut dyn FnMut(Stage),
) -> FileOutcome {
    match ingest::parse(name, bytes, limits) {
        Err(e) => FileOutcome {
            record: UploadRecord::new(name, bytes, None, 0, 0, Vec::new()),
            diagnostics: Vec::new(),
            refused: Some(e.to_string()),
        },
        Ok(parsed) => {
            let resources = parsed.inventory.resources.len();
            progress(Stage::Parsed(resources));
            let assessment = engine::assess(&parsed.inventory, rules, ctx);
            drop(parsed.inventory);
            progress(Stage::Evaluated(assessment.findings.len()));
            let diagnostics = parsed.diagnostics.iter().take(MAX_DIAGNOSTICS).map(line).collect();
            FileOutcome {
                record: UploadRecord::new(
                    name,
                    bytes,
                    Some(parsed.format),
                    resources,
                    parsed.diagnostics.len(),
                    assessment.findings,
                ),
                diagnostics,
                refused: None,
            }
        }
    }
}

/// The outcome as JSON for `postMessage`.
pub fn to_json(o: &FileOutcome) -> String {
    let wire = Wire { record: StoredUploadV2::from(&o.record), diagnostics: o.diagnostics.clone(), refused: o.refused.clone() };
    serde_json::to_string(&wire).unwrap_or_default()
}

/// Read an outcome made by [`to_json`], validating it.
pub fn from_json(json: &str) -> Result<FileOutcome, LoadError> {
    let wire: Wire = serde_json::from_str(json)
        .map_err(|e| LoadError::Shape { line: e.line(), column: e.column(), message: e.to_string() })?;
    let record = upload_from_stored(wire.record, "an uploaded file")?;
    record.validate().map_err(|source: WorkspaceError| LoadError::Invalid { context: "an uploaded file".into(), source })?;
    Ok(FileOutcome { record, diagnostics: wire.diagnostics, refused: wire.refused })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_of_a_real_export() {
        let bytes = include_bytes!("../../tests/fixtures/ingest/terraform/full_compute_firewall.tfplan.json");
        let mut stages = Vec::new();
        let o = assess_file("plan.json", bytes, &Limits::default(), RuleSet::bundled(), &Context::on(2026, 6, 1), &mut |s| stages.push(s));
        assert!(o.refused.is_none());
        assert!(o.record.resources > 0);
        assert!(!o.record.findings.is_empty());
        assert_eq!(stages.len(), 2);
        let back = from_json(&to_json(&o)).expect("round trip");
        assert_eq!(back, o);
    }

    #[test]
    fn refused_file_says_why() {
        let o = assess_file("x.bin", b"\0\0\0binary", &Limits::default(), RuleSet::bundled(), &Context::on(2026, 6, 1), &mut |_| {});
        assert!(o.refused.as_deref().unwrap_or("").contains("binary"));
        assert_eq!(o.record.format, None);
        assert_eq!(from_json(&to_json(&o)).expect("round trip"), o);
    }

    #[test]
    fn hostile_wire_is_an_error_not_a_panic() {
        for bad in ["", "{", "[]", "{\"record\":1}", "{\"record\":{\"name\":\"a\",\"size\":1,\"sha256\":\"zz\",\"resources\":0,\"diagnostics\":0},\"diagnostics\":[]}"] {
            assert!(from_json(bad).is_err(), "{bad}");
        }
    }
}
