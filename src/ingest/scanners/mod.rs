//! Other scanners' findings files, imported beside the configuration exports:
//! Prowler (OCSF JSON and CSV), AWS Security Hub (ASFF), Checkov (JSON) and
//! SARIF 2.1.0 from any tool. Each finding becomes an [`Imported`]: the tool,
//! its check id as written, status, severity, resource, remediation and a
//! pointer back into the file; [`mapping`] then says which ISO/IEC 27017
//! controls it evidences and on what basis.
//!
//! Recognised by content ([`sniff`] on the first bytes, or `detect` on the
//! parsed document when the keys come in an unusual order) and read typed,
//! element by element (each finding's JSON is kept as borrowed text while the
//! file is checked, then read on its own), never as one `serde_json::Value`.
//!
//! **Invariant:** never panics; a finding that cannot be read is a
//! [`Diagnostic`] and the rest are still read; the whole file is refused only
//! when it is not the format, unreadable, or nests past [`Limits::max_depth`].
//! **Invariant:** every scanner string is untrusted text: stored as given,
//! never interpreted (no Markdown, no HTML), and clipped to [`MAX_TEXT`] characters.

mod asff;
mod checkov;
pub mod join;
pub mod mapping;
mod prowler;
mod sarif;

use super::{Format, IngestError, Limits, Parsed};
use crate::inventory::{Diagnostic, DiagnosticLevel, Inventory, Pointer, Provider, SourceRef, Text};
use crate::model::{Severity, Status};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::sync::Arc;

/// Longest text kept from a scanner (characters); the rest is cut with "…".
pub const MAX_TEXT: usize = 4_000;
/// Most diagnostics kept for one file (a count of the rest is added).
const MAX_DIAGNOSTICS: usize = 500;

/// A finding's status as the scanner gave it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportedStatus {
    /// The condition holds (Prowler PASS, Checkov PASSED, ASFF PASSED, SARIF `kind: pass`).
    Pass,
    /// The condition does not hold.
    Fail,
    /// The tool could not tell or asks for a manual review (Prowler MANUAL, ASFF WARNING / NOT_AVAILABLE).
    Unknown,
    /// The tool's user muted it (Prowler `muted`, an archived Security Hub finding).
    Muted,
    /// Suppressed in the scanned code or the tool (Checkov skip comment, SARIF suppression, ASFF workflow SUPPRESSED).
    Suppressed,
}

impl ImportedStatus {
    /// Stable token.
    pub fn as_str(self) -> &'static str {
        match self {
            ImportedStatus::Pass => "pass",
            ImportedStatus::Fail => "fail",
            ImportedStatus::Unknown => "unknown",
            ImportedStatus::Muted => "muted",
            ImportedStatus::Suppressed => "suppressed",
        }
    }
    /// What it counts as in the roll-up: pass, fail, unknown (indeterminate);
    /// a muted or suppressed finding is listed but counts for nothing, as a
    /// waiver would (record a decision in the workspace to own it).
    pub fn status(self) -> Status {
        match self {
            ImportedStatus::Pass => Status::Pass,
            ImportedStatus::Fail => Status::Fail,
            ImportedStatus::Unknown => Status::Indeterminate,
            ImportedStatus::Muted | ImportedStatus::Suppressed => Status::NotApplicable,
        }
    }
}

/// The scanner that wrote a file.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Tool {
    /// Name as the file gives it (`Prowler`, `Checkov`, `Trivy`, a Security Hub product name).
    pub name: String,
    /// Version, when the file says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
}

impl Tool {
    /// The namespace of its check ids (`checkov:CKV_AWS_19`): the name in
    /// lower-case letters, digits and `_`, at most 30 characters.
    pub fn namespace(&self) -> String {
        namespace(&self.name)
    }
}

/// Lower-case `[a-z0-9_]` form of a tool name, starting with a letter.
pub fn namespace(name: &str) -> String {
    let mut s: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '_' })
        .take(30)
        .collect();
    while s.ends_with('_') {
        s.pop();
    }
    if !s.starts_with(|c: char| c.is_ascii_lowercase()) {
        s.insert_str(0, "t_");
        s.truncate(30);
    }
    s
}

/// One finding as another scanner reported it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Imported {
    /// The tool (shared by every finding of the file).
    pub tool: Arc<Tool>,
    /// The tool's check or rule id, as written (`s3_bucket_default_encryption`, `CKV_AWS_19`, `S3.1`).
    pub check: Text,
    /// The check's title.
    pub title: Text,
    /// Severity, when the tool gives one we understand.
    pub severity: Option<Severity>,
    /// Status as the tool gave it.
    pub status: ImportedStatus,
    /// The tool's sentence about this resource.
    pub message: Text,
    /// How to fix it, in the tool's words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remediation: Option<Text>,
    /// Where the tool says more.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remediation_url: Option<Text>,
    /// Cloud or platform.
    pub provider: Provider,
    /// The resource: ARN, uid, Terraform address or file.
    pub resource: Text,
    /// Its name, when the tool gives one (else the resource).
    pub resource_name: Text,
    /// Its type in the tool's words (`AwsS3Bucket`, `aws_s3_bucket`).
    pub resource_type: Text,
    /// Account, subscription or project.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<Text>,
    /// Region.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<Text>,
    /// Where the finding is in the imported file (JSON pointer, line).
    pub source: SourceRef,
    /// ISO/IEC 27001 requirements the file itself names for it (Prowler's
    /// `ISO27001-2013` compliance list, ASFF `RelatedRequirements`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub requirements: Vec<Text>,
    /// Security Hub's control id (`S3.1`), for ASFF findings of its standards.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub control_id: Option<Text>,
    /// Why it is muted or suppressed, when the tool says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suppression: Option<Text>,
}

/// What an imported finding carries into the assessment: the tool's
/// finding, the basis of its controls, and our finding on the same condition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Origin {
    /// The finding as the tool gave it.
    pub finding: Imported,
    /// Its controls and why (shared by every finding of the check).
    pub mapping: Arc<mapping::Mapping>,
    /// One of our findings judging the same condition on the same resource.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub same_as: Option<SameAs>,
}

/// Our finding that an imported one corroborates (or contradicts).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SameAs {
    /// Our check.
    pub check: crate::model::CheckId,
    /// Our finding's resource id.
    pub resource: Text,
    /// Our finding's status.
    pub status: Status,
    /// Do the two say the same (the imported status counts as ours would)?
    pub agrees: bool,
}

/// Which scanner format `text` is, from its first bytes, when the signs are
/// unmistakable (the general `detect` path catches the rest).
pub fn sniff(text: &str) -> Option<Format> {
    let t = text.trim_start_matches('\u{feff}').trim_start();
    let head = head(t, 64 * 1024);
    let has = |k: &str| head.contains(k);
    if t.starts_with('[') {
        if has("\"class_uid\"") && has("\"finding_info\"") {
            return Some(Format::ProwlerOcsf);
        }
        if has("\"SchemaVersion\"") && has("\"ProductArn\"") || has("\"detail-type\"") && has("Security Hub Findings") {
            return Some(Format::SecurityHubAsff);
        }
        if has("\"check_type\"") && has("\"results\"") {
            return Some(Format::CheckovJson);
        }
        return None;
    }
    if t.starts_with('{') {
        if has("\"Findings\"") && has("\"SchemaVersion\"") || has("\"detail-type\"") && has("Security Hub Findings") {
            return Some(Format::SecurityHubAsff);
        }
        if has("\"runs\"") && (has("\"2.1.0\"") || has("sarif-schema")) {
            return Some(Format::Sarif);
        }
        if has("\"check_type\"") && has("\"results\"") && (has("\"passed_checks\"") || has("\"failed_checks\"")) {
            return Some(Format::CheckovJson);
        }
        return None;
    }
    let first = t.lines().next().unwrap_or_default();
    (first.contains(";CHECK_ID;") && first.contains(";STATUS;")).then_some(Format::ProwlerCsv)
}

/// At most `n` bytes of `t`, cut at a character boundary.
fn head(t: &str, n: usize) -> &str {
    let mut end = n.min(t.len());
    while !t.is_char_boundary(end) {
        end -= 1;
    }
    t.get(..end).unwrap_or_default()
}

/// Read a findings file of `format` (decoded text).
pub fn parse(file: &str, format: Format, text: &str, limits: &Limits) -> Result<Parsed, IngestError> {
    let t = text.trim_start_matches('\u{feff}');
    let mut out = Out::new(file, t);
    match format {
        Format::ProwlerOcsf => prowler::parse_ocsf(&mut out, limits)?,
        Format::ProwlerCsv => prowler::parse_csv(&mut out)?,
        Format::SecurityHubAsff => asff::parse(&mut out, limits)?,
        Format::CheckovJson => checkov::parse(&mut out, limits)?,
        Format::Sarif => sarif::parse(&mut out, limits)?,
        other => return Err(IngestError::Unrecognised(format!("{} is not a findings format", other.label()))),
    }
    let Out { imported, mut diagnostics, dropped, .. } = out;
    if dropped > 0 {
        diagnostics.push(Diagnostic {
            level: DiagnosticLevel::Error,
            message: format!("{dropped} more findings could not be read (only the first {MAX_DIAGNOSTICS} problems are listed)"),
            source: None,
        });
    }
    if imported.is_empty() && !diagnostics.iter().any(|d| d.level == DiagnosticLevel::Error) {
        diagnostics.push(Diagnostic {
            level: DiagnosticLevel::Info,
            message: format!("this {} holds no findings", format.label()),
            source: None,
        });
    }
    Ok(Parsed { format, inventory: Inventory::default(), diagnostics, imported })
}

/// What a reader fills: the findings, the problems, and the text's lines.
pub(crate) struct Out<'t> {
    /// The file name (one shared copy).
    file: Text,
    /// The decoded text.
    text: &'t str,
    /// Findings read.
    imported: Vec<Imported>,
    /// Problems met.
    diagnostics: Vec<Diagnostic>,
    /// Problems past [`MAX_DIAGNOSTICS`].
    dropped: usize,
    /// Line counting: the byte offset reached and its 1-based line.
    at: usize,
    line: u32,
}

impl<'t> Out<'t> {
    fn new(file: &str, text: &'t str) -> Out<'t> {
        Out { file: Text::from(file), text, imported: Vec::new(), diagnostics: Vec::new(), dropped: 0, at: 0, line: 1 }
    }

    /// The 1-based line where `part` (a slice of the text) starts. Calls go
    /// forward through the text, so every byte is counted once.
    fn line_of(&mut self, part: &str) -> Option<u32> {
        let offset = (part.as_ptr() as usize).checked_sub(self.text.as_ptr() as usize)?;
        // All of `part` must lie in the text: a string that merely starts
        // where the text ends (say, the next literal in memory) is not in it.
        if offset.checked_add(part.len()).is_none_or(|end| end > self.text.len()) {
            return None;
        }
        if offset < self.at {
            self.at = 0;
            self.line = 1;
        }
        let between = self.text.as_bytes().get(self.at..offset)?;
        self.line = self.line.saturating_add(u32::try_from(memchr::memchr_iter(b'\n', between).count()).unwrap_or(u32::MAX));
        self.at = offset;
        Some(self.line)
    }

    /// Where `raw` (an element of the text at `pointer`) is.
    fn source(&mut self, pointer: String, raw: Option<&str>) -> SourceRef {
        let line = raw.and_then(|r| self.line_of(r));
        SourceRef { file: self.file.clone(), pointer: Pointer::from(pointer), line }
    }

    /// A finding that could not be read.
    fn problem(&mut self, what: String, source: Option<SourceRef>) {
        if self.diagnostics.len() >= MAX_DIAGNOSTICS {
            self.dropped += 1;
            return;
        }
        self.diagnostics.push(Diagnostic { level: DiagnosticLevel::Error, message: what, source });
    }

    /// A note about the file.
    fn note(&mut self, level: DiagnosticLevel, what: String) {
        if self.diagnostics.len() >= MAX_DIAGNOSTICS {
            self.dropped += 1;
            return;
        }
        self.diagnostics.push(Diagnostic { level, message: what, source: None });
    }

    /// Read each element of `items` (at `base/<i>`) as `T` and map it with `f`.
    fn each<'a, T: Deserialize<'a>>(
        &mut self,
        items: &[&'a RawValue],
        base: &str,
        what: &str,
        mut f: impl FnMut(&mut Self, T, SourceRef),
    ) {
        self.imported.reserve(items.len());
        for (i, raw) in items.iter().enumerate() {
            let source = self.source(format!("{base}/{i}"), Some(raw.get()));
            match serde_json::from_str::<T>(raw.get()) {
                Ok(v) => f(self, v, source),
                Err(e) => {
                    let msg = e.to_string();
                    let msg = msg.split(" at line ").next().unwrap_or(&msg);
                    self.problem(format!("{what} {} could not be read: {msg}", i + 1), Some(source));
                }
            }
        }
    }
}

/// A JSON error of a findings file: a layout that is not the scanner's is
/// said so; syntax, depth and truncation as for every input
/// (`detect::json_error`).
fn json_error(e: serde_json::Error, limits: &Limits, what: &str) -> IngestError {
    if e.is_data() {
        let msg = e.to_string();
        let message = msg.split(" at line ").next().unwrap_or(&msg);
        return IngestError::Unrecognised(format!("this looks like {what}, but its layout is not: {message} (line {})", e.line()));
    }
    super::detect::json_error(e, limits)
}

/// `Some` when the document is within the depth limit (see [`outer`]).
fn outer_depth(text: &str, limits: &Limits) -> Option<()> {
    too_deep(text, limits.max_depth).is_none().then_some(())
}

/// Parse the document's outer layers as `T` (whose finding lists are
/// borrowed `RawValue`s), with the depth limit.
fn outer<'a, T: Deserialize<'a>>(text: &'a str, limits: &Limits, what: &str) -> Result<T, IngestError> {
    if let Some(line) = too_deep(text, limits.max_depth) {
        return Err(IngestError::TooDeep { limit: limits.max_depth, line });
    }
    serde_json::from_str::<T>(text).map_err(|e| json_error(e, limits, what))
}

/// The line where nesting first passes `max` levels, if it does (strings
/// skipped); serde_json's own limit is fixed at 128. A string's text is
/// skipped to its next quote, backslash or newline at a time (`memchr3`), not
/// byte by byte: most of a findings file is the text of its messages.
fn too_deep(text: &str, max: usize) -> Option<u64> {
    let bytes = text.as_bytes();
    let (mut depth, mut line, mut i) = (0usize, 1u64, 0usize);
    while let Some(&b) = bytes.get(i) {
        i += 1;
        match b {
            b'"' => loop {
                // An unterminated string: the depth changes no more.
                let at = i + memchr::memchr3(b'"', b'\\', b'\n', bytes.get(i..)?)?;
                i = at + 1;
                match bytes.get(at) {
                    Some(b'"') => break,
                    // The escaped byte, whatever it is, is skipped.
                    Some(b'\\') => i += 1,
                    _ => line += 1,
                }
            },
            b'[' | b'{' => {
                depth += 1;
                if depth > max {
                    return Some(line);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            b'\n' => line += 1,
            _ => {}
        }
    }
    None
}

/// Untrusted text as kept: trimmed, control characters but newlines and tabs
/// replaced, clipped to [`MAX_TEXT`] characters.
pub(crate) fn clean(s: &str) -> String {
    clean_cow(s).into_owned()
}

/// [`clean`], borrowing `s` (trimmed) when it is kept as it is: no control
/// character but newlines and tabs, and no longer than [`MAX_TEXT`].
fn clean_cow(s: &str) -> Cow<'_, str> {
    let s = s.trim();
    // Bytes at most MAX_TEXT: characters too. A control character is a byte
    // below 0x20 or 0x7F, or U+0080–U+009F (0xC2 0x80–0x9F in UTF-8): any
    // 0xC2 takes the character by character path.
    if s.len() <= MAX_TEXT && s.bytes().all(|b| (b >= 0x20 && b != 0x7F && b != 0xC2) || b == b'\n' || b == b'\t') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len().min(MAX_TEXT));
    for (n, c) in s.chars().enumerate() {
        if n == MAX_TEXT {
            out.push('…');
            break;
        }
        out.push(if c.is_control() && c != '\n' && c != '\t' { ' ' } else { c });
    }
    Cow::Owned(out)
}

/// [`clean`] text, shared; `None` when empty.
pub(crate) fn text(s: Option<&str>) -> Option<Text> {
    let s = s?.trim();
    (!s.is_empty()).then(|| Text::from(clean_cow(s).as_ref()))
}

/// A short, repeated text (types, regions, accounts): one shared copy.
pub(crate) fn short(s: Option<&str>) -> Option<Text> {
    let s = s?.trim();
    (!s.is_empty()).then(|| if s.len() <= 200 && !s.chars().any(char::is_control) { Text::interned(s) } else { Text::from(clean(s).as_str()) })
}

/// A scanner's severity word.
pub(crate) fn severity(s: Option<&str>) -> Option<Severity> {
    let s = s?.trim();
    let lower = s.to_ascii_lowercase();
    Some(match lower.as_str() {
        "critical" => Severity::Critical,
        "high" | "error" => Severity::High,
        "medium" | "moderate" | "warning" => Severity::Medium,
        "low" | "note" => Severity::Low,
        "informational" | "information" | "info" | "none" => Severity::Info,
        _ => return None,
    })
}

/// The provider a check id or resource type names (`CKV_AWS_19`, `AVD-AZU-0001`,
/// `aws_s3_bucket`, `AwsS3Bucket`, `arn:aws:…`), if any.
pub(crate) fn provider_of(s: &str) -> Option<Provider> {
    let u = s.to_ascii_uppercase();
    let starts = |p: &[&str]| p.iter().any(|p| u.starts_with(p));
    if starts(&["CKV_AWS", "CKV2_AWS", "AVD-AWS", "AWS", "ARN:AWS"]) {
        Some(Provider::Aws)
    } else if starts(&["CKV_AZURE", "CKV2_AZURE", "AVD-AZU", "AZURE", "/SUBSCRIPTIONS/"]) {
        Some(Provider::Azure)
    } else if starts(&["CKV_GCP", "CKV2_GCP", "AVD-GCP", "GOOGLE", "GCP", "//"]) {
        Some(Provider::Gcp)
    } else if starts(&["CKV_K8S", "CKV2_K8S", "AVD-KSV", "AVD-KCV", "KUBERNETES"]) {
        Some(Provider::Kubernetes)
    } else {
        None
    }
}

/// A provider's token in a file (`aws`, `azure`, `gcp`, `kubernetes`, `k8s`).
pub(crate) fn provider_named(s: &str) -> Option<Provider> {
    match s.trim().to_ascii_lowercase().as_str() {
        "aws" | "amazon" => Some(Provider::Aws),
        "azure" | "microsoft" => Some(Provider::Azure),
        "gcp" | "google" | "googlecloud" => Some(Provider::Gcp),
        "kubernetes" | "k8s" => Some(Provider::Kubernetes),
        _ => None,
    }
}

/// A borrowed string that may need unescaping.
pub(crate) type Str<'a> = Option<Cow<'a, str>>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn namespaces_are_check_id_prefixes() {
        assert_eq!(namespace("Prowler"), "prowler");
        assert_eq!(namespace("Trivy Vulnerability Scanner"), "trivy_vulnerability_scanner");
        assert_eq!(namespace("42crunch"), "t_42crunch");
        assert_eq!(namespace("<script>"), "t__script");
        for n in ["Prowler", "Security Hub", "42crunch", "Ünïcode", "a".repeat(80).as_str()] {
            let id = format!("{}:X", namespace(n));
            assert!(id.parse::<crate::model::CheckId>().is_ok(), "{id}");
        }
    }

    #[test]
    fn lines_are_counted_forward_once() {
        let text = "a\nb\nc\nd";
        let mut out = Out::new("f", text);
        assert_eq!(out.line_of(&text[2..]), Some(2));
        assert_eq!(out.line_of(&text[6..]), Some(4));
        assert_eq!(out.line_of(&text[0..]), Some(1));
        assert_eq!(out.line_of("elsewhere"), None);
    }

    #[test]
    fn text_is_cleaned_and_clipped() {
        assert_eq!(clean("  a\u{1b}[31mb\n"), "a [31mb");
        assert_eq!(clean(&"x".repeat(MAX_TEXT + 5)).chars().count(), MAX_TEXT + 1);
        assert_eq!(severity(Some("HIGH")), Some(Severity::High));
        assert_eq!(severity(Some("whatever")), None);
        assert_eq!(provider_of("CKV2_AWS_6"), Some(Provider::Aws));
        assert_eq!(provider_of("AVD-KSV-0012"), Some(Provider::Kubernetes));
        assert_eq!(provider_of("CVE-2024-1"), None);
    }

    #[test]
    fn depth_is_capped_before_serde() {
        let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
        assert_eq!(too_deep(&deep, 128), Some(1));
        assert_eq!(too_deep("[\"[[[[\"]", 2), None);
    }

    /// The depth check as it was written first, byte by byte.
    fn too_deep_bytewise(text: &str, max: usize) -> Option<u64> {
        let (mut depth, mut line, mut in_str, mut esc) = (0usize, 1u64, false, false);
        for &b in text.as_bytes() {
            if in_str {
                match b {
                    _ if esc => esc = false,
                    b'\\' => esc = true,
                    b'"' => in_str = false,
                    b'\n' => line += 1,
                    _ => {}
                }
                continue;
            }
            match b {
                b'"' => in_str = true,
                b'[' | b'{' => {
                    depth += 1;
                    if depth > max {
                        return Some(line);
                    }
                }
                b']' | b'}' => depth = depth.saturating_sub(1),
                b'\n' => line += 1,
                _ => {}
            }
        }
        None
    }

    #[test]
    fn depth_check_skips_strings_as_the_bytewise_one() {
        // Escaped quotes and backslashes, an escaped and a raw newline in a
        // string, brackets in strings, an unterminated string, a backslash
        // as the last byte, multi-byte text.
        let parts = ["[", "]", "{", "}", "\"", "\\", "\n", "\"a\\\"[\"", "\"\\\\\"", "\"x\\\ny\"", "\"\ny\"", "é", " ", ":", ","];
        let mut seed = 7u64;
        for _ in 0..4000 {
            let mut text = String::new();
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let len = (seed >> 58) as usize;
            for _ in 0..len {
                seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                text.push_str(parts[(seed >> 33) as usize % parts.len()]);
            }
            for max in [0, 1, 2, 3] {
                assert_eq!(too_deep(&text, max), too_deep_bytewise(&text, max), "{text:?} at {max}");
            }
        }
    }

    #[test]
    fn clean_text_is_kept_as_it_is() {
        for s in ["plain", "  trimmed\t", "two\nlines", "é ü ✓", "\u{a0}no-break\u{85}", "\u{9f}c1", "del\u{7f}", "\u{1b}[0m"] {
            let slow: String = s.trim().chars().map(|c| if c.is_control() && c != '\n' && c != '\t' { ' ' } else { c }).collect();
            assert_eq!(clean(s), slow, "{s:?}");
        }
        assert!(matches!(clean_cow(" plain "), Cow::Borrowed("plain")));
        assert_eq!(clean(&"é".repeat(MAX_TEXT)).chars().count(), MAX_TEXT);
        assert_eq!(clean(&"é".repeat(MAX_TEXT + 1)).chars().count(), MAX_TEXT + 1);
    }
}
