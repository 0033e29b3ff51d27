//! One uploaded file, assessed: what the browser's Web Worker computes and
//! hands to the page. The worker calls [`assess_file`] on the bytes, sends
//! [`to_json`] across `postMessage`, and the page reads it back with
//! [`from_json`] into a [`FileOutcome`] whose [`UploadRecord`] goes into the
//! workspace. The page never parses or evaluates an export itself.
//!
//! The browser judges the files of an assessment together
//! ([`super::joint`]); each file's outcome carries the findings on its own
//! resources, and crosses to the page as the parts made here.
//!
//! **Invariant:** [`from_json`] never panics and validates the record like
//! every other way into a workspace.

use super::model::{UploadRecord, WorkspaceError};
use super::store::{stored_upload, upload_from_stored, LoadError, StoredUploadV2};
use crate::checks::{Context, RuleSet};
use crate::engine;
use crate::ingest::{self, Limits};
use serde::{Deserialize, Serialize};

pub use super::model::{DiagnosticLine, MAX_DIAGNOSTICS};

/// Where the worker is, for its progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Decoded, detected and parsed: this many resources.
    Parsed(usize),
    /// Evaluated: this many findings.
    Evaluated(usize),
}

/// The result of one file.
#[derive(Debug, Clone, PartialEq)]
pub struct FileOutcome {
    /// What goes into the workspace (findings and the first
    /// [`MAX_DIAGNOSTICS`] diagnostics included).
    pub record: UploadRecord,
    /// Why the file was refused (then `record.format` is `None`).
    pub refused: Option<String>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Wire {
    record: StoredUploadV2,
    /// Where parts stored by earlier builds carry the diagnostics (now in
    /// the record): read so that those parts still load, never written.
    #[serde(default, skip_serializing)]
    diagnostics: Vec<DiagnosticLine>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    refused: Option<String>,
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
    assess_file_with_digest(name, bytes, None, limits, rules, ctx, progress)
}

/// [`assess_file`] with the SHA-256 of `bytes` computed by the caller (see
/// [`UploadRecord::with_digest`]).
pub fn assess_file_with_digest(
    name: &str,
    bytes: &[u8],
    digest: Option<&str>,
    limits: &Limits,
    rules: &RuleSet,
    ctx: &Context,
    progress: &mut dyn FnMut(Stage),
) -> FileOutcome {
    match ingest::parse(name, bytes, limits) {
        Err(e) => FileOutcome {
            record: UploadRecord::with_digest(name, bytes, digest, None, 0, 0, Vec::new()),
            refused: Some(e.to_string()),
        },
        Ok(parsed) => {
            let resources = parsed.inventory.resources.len();
            progress(Stage::Parsed(resources));
            // Another scanner's findings file gives findings, not resources:
            // imported and mapped here, as the CLI does.
            let assessment = engine::assess_with_imports(&parsed.inventory, parsed.imported, rules, ctx, None);
            drop(parsed.inventory);
            progress(Stage::Evaluated(assessment.findings.len()));
            FileOutcome {
                record: UploadRecord::with_digest(
                    name,
                    bytes,
                    digest,
                    Some(parsed.format),
                    resources,
                    parsed.diagnostics.len(),
                    assessment.findings,
                )
                .with_diagnostic_lines(parsed.diagnostics.iter().map(DiagnosticLine::from)),
                refused: None,
            }
        }
    }
}

/// The outcome as JSON for `postMessage`.
pub fn to_json(o: &FileOutcome) -> String {
    let wire = Wire { record: StoredUploadV2::from(&o.record), diagnostics: Vec::new(), refused: o.refused.clone() };
    serde_json::to_string(&wire).unwrap_or_default()
}

/// Findings per part in [`to_json_parts`]: small enough that the page reads
/// one part well within a frame budget.
pub const PART_FINDINGS: usize = 5_000;

/// The outcome as parts of at most [`PART_FINDINGS`] findings each (at least
/// one part), each a complete [`to_json`] document of the same record with a
/// slice of the findings (the diagnostic lines only in the first). The page reads
/// each with [`from_json`] in its own task and joins them with [`join`]; the
/// browser also stores the parts as they are.
pub fn to_json_parts(o: &FileOutcome) -> Vec<String> {
    record_parts(&o.record, o.refused.as_deref())
}

/// [`to_json_parts`] of a record already in a workspace.
pub fn record_parts(record: &UploadRecord, refused: Option<&str>) -> Vec<String> {
    let mut out = Vec::new();
    for_each_part(record, refused, &mut |_, _, part| out.push(part));
    out
}

/// Make the parts one at a time, handing each to `emit(k, n, json)` as soon
/// as it is made (the worker posts it at once, so the page reads part k
/// while part k + 1 is being made). No finding is cloned.
pub fn for_each_part(
    record: &UploadRecord,
    refused: Option<&str>,
    emit: &mut dyn FnMut(usize, usize, String),
) {
    let chunks: Vec<&[crate::checks::Finding]> = if record.findings.is_empty() {
        vec![&[]]
    } else {
        record.findings.chunks(PART_FINDINGS).collect()
    };
    let n = chunks.len();
    for (k, chunk) in chunks.into_iter().enumerate() {
        let mut stored = stored_upload(record, chunk);
        if k > 0 {
            stored.diagnostic_lines = Vec::new();
        }
        let wire = Wire { record: stored, diagnostics: Vec::new(), refused: refused.map(str::to_string) };
        emit(k, n, serde_json::to_string(&wire).unwrap_or_default());
    }
}

/// Join parts read by [`from_json`] (in order) into one outcome. `None`
/// when there are none or they are not parts of the same file.
pub fn join(parts: Vec<FileOutcome>) -> Option<FileOutcome> {
    let mut it = parts.into_iter();
    let mut first = it.next()?;
    for p in it {
        if !append(&mut first, p) {
            return None;
        }
    }
    Some(first)
}

/// Add the next part's findings to `acc` (the page does this as each part
/// arrives, so joining costs nothing at the end). False, and `acc`
/// unchanged, when the part belongs to another file.
pub fn append(acc: &mut FileOutcome, part: FileOutcome) -> bool {
    if part.record.sha256 != acc.record.sha256 || part.record.name != acc.record.name {
        return false;
    }
    acc.record.findings.extend(part.record.findings);
    true
}

/// Read an outcome made by [`to_json`], validating it.
pub fn from_json(json: &str) -> Result<FileOutcome, LoadError> {
    let wire: Wire = serde_json::from_str(json)
        .map_err(|e| LoadError::Shape { line: e.line(), column: e.column(), message: e.to_string() })?;
    let mut record = upload_from_stored(wire.record, "an uploaded file")?;
    if record.diagnostic_lines.is_empty() && !wire.diagnostics.is_empty() {
        record = record.with_diagnostic_lines(wire.diagnostics);
    }
    record.validate().map_err(|source: WorkspaceError| LoadError::Invalid { context: "an uploaded file".into(), source })?;
    Ok(FileOutcome { record, refused: wire.refused })
}

/// Longest evidence fragment shown, in characters.
pub const MAX_FRAGMENT_CHARS: usize = 20_000;

/// The part of an uploaded file behind a finding, for the page: JSON inputs
/// give the value at `pointer`, pretty-printed; other inputs the lines
/// around `line`.
pub fn fragment(bytes: &[u8], pointer: &str, line: Option<u32>, limits: &Limits) -> FragmentReply {
    let source = crate::inventory::SourceRef { file: String::new().into(), pointer: pointer.to_string().into(), line };
    match ingest::fragment(bytes, &source, limits, MAX_FRAGMENT_CHARS) {
        Ok(f) => FragmentReply::Text(f.text, f.clipped),
        Err(e) => FragmentReply::Error(e.to_string()),
    }
}

/// What the page shows for a fragment request (the worker's reply,
/// `protocol::Reply::Fragment`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FragmentReply {
    /// The text, and whether it was clipped.
    Text(String, bool),
    /// The worker no longer has the file (uploaded in an earlier session).
    Missing,
    /// Why it cannot be shown.
    Error(String),
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
    fn accounts_cross_to_the_page_and_rows_without_one_still_load() {
        let bytes = include_bytes!("../../tests/fixtures/ingest/aws-config/AWS_EC2_SecurityGroup.json");
        let o = assess_file("sg.json", bytes, &Limits::default(), RuleSet::bundled(), &Context::on(2026, 6, 1), &mut |_| {});
        assert!(!o.record.findings.is_empty());
        assert!(o.record.findings.iter().all(|f| f.resource.account.as_deref() == Some("264683526309")), "the snapshot's account");
        let json = to_json(&o);
        let back = from_json(&json).expect("round trip");
        assert_eq!(back, o);
        assert!(back.record.findings.iter().all(|f| f.resource.account.as_deref() == Some("264683526309")));
        // A resource row without the account (saved before it was kept, or an
        // input that does not say) loads with none.
        let without: String = json.replace(",\"264683526309\"]", "]");
        assert_ne!(without, json);
        let back = from_json(&without).expect("rows without an account");
        assert!(back.record.findings.iter().all(|f| f.resource.account.is_none()));
    }

    #[test]
    fn fragments_of_json_and_yaml() {
        let limits = Limits::default();
        let json = br#"{"a":{"b/c":[1,{"x":true}]}}"#;
        let FragmentReply::Text(text, false) = fragment(json, "/a/b~1c/1", None, &limits) else { panic!("text") };
        assert!(text.contains("\"x\": true"));
        let FragmentReply::Error(e) = fragment(json, "/nope", None, &limits) else { panic!("error") };
        assert!(e.contains("/nope"));
        let yaml = b"a: 1\nb: 2\nc: 3\n";
        let FragmentReply::Text(text, _) = fragment(yaml, "", Some(2), &limits) else { panic!("lines") };
        assert!(text.contains("b: 2") && text.contains('2'), "{text}");
        assert!(matches!(fragment(b"\0\0", "", Some(2), &limits), FragmentReply::Error(_)));
    }

    #[test]
    fn parts_join_back_to_the_whole() {
        let bytes = include_bytes!("../../tests/fixtures/ingest/aws-iam/custodian_credential_report_extracted.csv");
        let o = assess_file("cred.csv", bytes, &Limits::default(), RuleSet::bundled(), &Context::on(2026, 6, 1), &mut |_| {});
        assert_eq!(o.record.diagnostic_lines.len(), o.record.diagnostics, "the diagnostics travel with the record");
        assert!(o.record.diagnostics > 0);
        let parts = to_json_parts(&o);
        assert_eq!(parts.len(), o.record.findings.len().div_ceil(PART_FINDINGS).max(1));
        let read: Vec<FileOutcome> = parts.iter().map(|p| from_json(p).expect("part")).collect();
        assert_eq!(join(read), Some(o.clone()));
        let mut many = o.clone();
        let one = many.record.findings[0].clone();
        many.record.findings = vec![one; PART_FINDINGS * 2 + 3];
        let parts = to_json_parts(&many);
        assert_eq!(parts.len(), 3);
        assert_eq!(join(parts.iter().map(|p| from_json(p).unwrap()).collect()), Some(many));
        assert_eq!(join(Vec::new()), None);
    }

    #[test]
    fn a_digest_from_the_browser_is_used_only_when_well_formed() {
        let bytes = b"a,b\n";
        let real = crate::workspace::sha256_hex(bytes);
        let given = "AB".repeat(32);
        let r = UploadRecord::with_digest("x", bytes, Some(&given), None, 0, 0, Vec::new());
        assert_eq!(r.sha256, given.to_ascii_lowercase());
        for bad in ["", "zz", "abc", &"g".repeat(64)] {
            assert_eq!(UploadRecord::with_digest("x", bytes, Some(bad), None, 0, 0, Vec::new()).sha256, real);
        }
        assert_eq!(UploadRecord::new("x", bytes, None, 0, 0, Vec::new()).sha256, real);
    }

    #[test]
    fn refused_file_says_why() {
        let o = assess_file("x.bin", b"\0\0\0binary", &Limits::default(), RuleSet::bundled(), &Context::on(2026, 6, 1), &mut |_| {});
        assert!(o.refused.as_deref().unwrap_or("").contains("binary"));
        assert_eq!(o.record.format, None);
        assert_eq!(from_json(&to_json(&o)).expect("round trip"), o);
    }

    #[test]
    fn parts_stored_by_earlier_builds_still_load() {
        let earlier = r#"{"record":{"name":"a.json","size":1,"sha256":"e3f1929bb7c3ba5ece945299da3efcefa1acf7a421ef76a6965e0895a50b317b","format":"terraform_plan","resources":0,"diagnostics":1},"diagnostics":[{"level":"warning","message":"odd","place":"a.json#/x"}]}"#;
        let o = from_json(earlier).expect("an earlier part");
        assert_eq!(o.record.diagnostic_lines, vec![DiagnosticLine { level: "warning".into(), message: "odd".into(), place: Some("a.json#/x".into()) }]);
        assert!(!to_json(&o).contains("\"diagnostics\":["), "written in the record only");
    }

    #[test]
    fn hostile_wire_is_an_error_not_a_panic() {
        for bad in ["", "{", "[]", "{\"record\":1}", "{\"record\":{\"name\":\"a\",\"size\":1,\"sha256\":\"zz\",\"resources\":0,\"diagnostics\":0}}"] {
            assert!(from_json(bad).is_err(), "{bad}");
        }
    }
}
