//! SARIF 2.1.0 output for code-scanning tools: one rule per check, one result
//! per failing finding (indeterminate findings as `note`), located at the
//! input file (line when known) and the resource as a logical location.
//! Passing findings are results (kind `pass`, level `none`) only when asked
//! ([`Passes::Full`]).
//!
//! The log is written as it is walked ([`to_writer`]): [`Results`] makes the
//! results from the assessment's findings in chunks, on worker threads
//! (`report::chunked`), written in order.
//! **Invariant:** without the passes, the bytes are those of the first version of this module,
//! which built the log as a `serde_json::Value` (objects with their keys in
//! byte order) before printing it; so every struct below declares its fields in
//! byte order of their JSON names (`tests/report_stream.rs` keeps that
//! construction and compares).

use super::chunked::{self, Open};
use super::json::{ControlIds, OnePerLine};
use super::Passes;
use crate::checks::{Finding, Message, RuleSet};
use crate::engine::Assessment;
use crate::model::{CheckId, Severity, Status};
use serde::ser::Serializer;
use serde::Serialize;
use std::fmt;

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

fn security_severity(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
        Severity::Info => "0.5",
    }
}

/// FNV-1a of `parts` joined by `|`, for stable fingerprints without a hashing
/// dependency (hashed part by part: no joined string is made).
fn fingerprint(parts: [&str; 3]) -> Fingerprint {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for (i, part) in parts.iter().enumerate() {
        let sep: &[u8] = if i == 0 { b"" } else { b"|" };
        for &b in sep.iter().chain(part.as_bytes()) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    Fingerprint(h)
}

/// A fingerprint, written as 16 lower-case hex digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Fingerprint(u64);

impl fmt::Display for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:016x}", self.0)
    }
}

impl Serialize for Fingerprint {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        // The 16 hex digits of `Display`, made without the formatting machinery.
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut digits = [b'0'; 16];
        for (i, d) in digits.iter_mut().enumerate() {
            let nibble = (self.0 >> (60 - 4 * i)) & 0xf;
            *d = HEX.get(nibble as usize).copied().unwrap_or(b'0');
        }
        s.serialize_str(std::str::from_utf8(&digits).unwrap_or_default())
    }
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    information_uri: &'static str,
    name: &'static str,
    rules: Vec<RuleJson<'a>>,
    semantic_version: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RuleJson<'a> {
    default_configuration: Level,
    full_description: Text<'a>,
    help: Help<'a>,
    id: &'a str,
    name: &'a str,
    properties: RuleProperties,
    short_description: Text<'a>,
}

#[derive(Serialize)]
struct Level {
    level: &'static str,
}

#[derive(Serialize)]
struct Text<'a> {
    text: &'a str,
}

#[derive(Serialize)]
struct Help<'a> {
    markdown: &'a str,
    text: &'a str,
}

#[derive(Serialize)]
struct RuleProperties {
    precision: &'static str,
    #[serde(rename = "security-severity")]
    security_severity: &'static str,
    tags: Vec<String>,
}

/// The failing and indeterminate findings (and the passing ones with
/// [`Passes::Full`]) as SARIF results, serialized one at a time (never
/// collected).
struct Results<'a> {
    findings: &'a [Finding],
    /// Rule ids in the order of the log's `rules` (for `ruleIndex`).
    ids: &'a [&'a str],
    passes: Passes,
}

impl Results<'_> {
    fn reported(&self, f: &Finding) -> bool {
        match f.status {
            Status::Fail | Status::Indeterminate => true,
            Status::Pass => self.passes == Passes::Full,
            Status::NotApplicable => false,
        }
    }
}

impl Results<'_> {
    /// The array, inside `level` open objects and arrays of the pretty-printed
    /// log: the bytes of [`Serialize`], each chunk of results made on a
    /// worker thread.
    fn write<W: std::io::Write + ?Sized>(&self, w: &mut W, level: usize) -> std::io::Result<()> {
        let mut list = Open::array(w, level, usize::MAX)?;
        let separator = chunked::separator(list.level());
        let at = list.level();
        list.elements(self.findings.len(), |range, buf| {
            let mut run: Option<(&CheckId, usize)> = None;
            for f in self.findings.get(range).unwrap_or_default().iter().filter(|f| self.reported(f)) {
                let index = match run {
                    Some((check, index)) if *check == f.check => index,
                    _ => {
                        let index = self.ids.iter().position(|i| *i == f.check.as_str()).unwrap_or(0);
                        run = Some((&f.check, index));
                        index
                    }
                };
                buf.extend_from_slice(&separator);
                ResultJson::new(f, index).serialize(&mut serde_json::Serializer::with_formatter(&mut *buf, OnePerLine::at(at, usize::MAX)))?;
            }
            Ok(())
        })?;
        list.end_array()
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ResultJson<'a> {
    kind: &'static str,
    level: &'static str,
    locations: [Location<'a>; 1],
    message: MessageText<'a>,
    partial_fingerprints: Fingerprints,
    properties: ResultProperties<'a>,
    rule_id: &'a str,
    rule_index: usize,
}

impl<'a> ResultJson<'a> {
    fn new(f: &'a Finding, rule_index: usize) -> ResultJson<'a> {
        let source = &f.resource.source;
        let (kind, level) = match f.status {
            Status::Fail => ("fail", level(f.severity)),
            Status::Pass => ("pass", "none"),
            Status::Indeterminate | Status::NotApplicable => ("review", "note"),
        };
        ResultJson {
            kind,
            level,
            locations: [Location {
                logical_locations: [Logical { fully_qualified_name: &f.resource.id, kind: "resource" }],
                physical_location: Physical {
                    artifact_location: Uri { uri: &source.file },
                    region: source.line.map(|line| Region { start_line: line.max(1) }),
                },
            }],
            message: MessageText { text: &f.message },
            partial_fingerprints: Fingerprints { v1: fingerprint([f.check.as_str(), &source.file, &f.resource.id]) },
            properties: ResultProperties { controls: ControlIds(&f.controls), imported: f.origin.as_deref(), pointer: &source.pointer },
            rule_id: f.check.as_str(),
            rule_index,
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location<'a> {
    logical_locations: [Logical<'a>; 1],
    physical_location: Physical<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Logical<'a> {
    fully_qualified_name: &'a str,
    kind: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Physical<'a> {
    artifact_location: Uri<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
struct Uri<'a> {
    uri: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
}

#[derive(Serialize)]
struct MessageText<'a> {
    text: &'a Message,
}

#[derive(Serialize)]
struct Fingerprints {
    #[serde(rename = "iso27017/v1")]
    v1: Fingerprint,
}

#[derive(Serialize)]
struct ResultProperties<'a> {
    controls: ControlIds<'a>,
    /// Imported from another scanner: its finding and the basis of its controls.
    #[serde(skip_serializing_if = "Option::is_none")]
    imported: Option<&'a crate::ingest::scanners::Origin>,
    pointer: &'a crate::inventory::Pointer,
}

/// Write the pretty-printed SARIF log to `w`, one result at a time. `w` gets
/// many small writes: give it a buffered writer. An I/O error of `w` comes
/// back as it was (a closed pipe stays `ErrorKind::BrokenPipe`).
pub fn to_writer<W: std::io::Write>(mut w: W, a: &Assessment, rules: &RuleSet, passes: Passes) -> std::io::Result<()> {
    let mut ids: Vec<&str> = rules.rules().iter().map(|r| r.id.as_str()).collect();
    let mut sarif_rules: Vec<RuleJson<'_>> = rules
        .rules()
        .iter()
        .map(|r| RuleJson {
            default_configuration: Level { level: level(r.severity) },
            full_description: Text { text: r.rationale.trim() },
            help: Help { markdown: r.remediation.trim(), text: r.remediation.trim() },
            id: r.id.as_str(),
            name: r.id.as_str(),
            properties: RuleProperties {
                precision: "high",
                security_severity: security_severity(r.severity),
                tags: r.controls.iter().map(|c| format!("ISO27017-{c}")).chain(["security".to_string()]).collect(),
            },
            short_description: Text { text: &r.title },
        })
        .collect();
    // The imported checks after ours, described by their first finding (the
    // tool's title and remediation, as plain text).
    let mut seen = std::collections::HashSet::new();
    for f in a.findings.iter().filter(|f| f.origin.is_some()) {
        let Some(i) = f.imported() else { continue };
        if !seen.insert(f.check.as_str()) {
            continue;
        }
        ids.push(f.check.as_str());
        let help = i.remediation.as_deref().unwrap_or("");
        sarif_rules.push(RuleJson {
            default_configuration: Level { level: level(f.severity) },
            full_description: Text { text: &i.title },
            help: Help { markdown: "", text: help },
            id: f.check.as_str(),
            name: f.check.as_str(),
            properties: RuleProperties {
                precision: "medium",
                security_severity: security_severity(f.severity),
                tags: f.controls.iter().map(|c| format!("ISO27017-{c}")).chain([format!("imported:{}", i.tool.name), "security".to_string()]).collect(),
            },
            short_description: Text { text: &i.title },
        });
    }
    let results = Results { findings: &a.findings, ids: &ids, passes };
    let tool = Tool {
        driver: Driver {
            information_uri: "https://www.iso.org/standard/43757.html",
            name: "iso27017",
            rules: sarif_rules,
            semantic_version: env!("CARGO_PKG_VERSION"),
        },
    };
    // The log as `Log` serializes it (pretty-printed), but the results:
    // those are made in chunks on worker threads.
    const PRETTY: usize = usize::MAX;
    let mut log = Open::object(&mut w, 0, PRETTY)?;
    log.field("$schema", "https://json.schemastore.org/sarif-2.1.0.json")?;
    log.key("runs")?;
    let mut runs = Open::array(&mut *log.w, 1, PRETTY)?;
    runs.entry()?;
    let mut run = Open::object(&mut *runs.w, 2, PRETTY)?;
    run.field("columnKind", "unicodeCodePoints")?;
    run.key("results")?;
    results.write(&mut *run.w, 3)?;
    run.field("tool", &tool)?;
    run.end_object()?;
    runs.end_array()?;
    log.field("version", "2.1.0")?;
    log.end_object()
}

/// Pretty-printed SARIF ([`to_writer`] into memory).
pub fn to_string(a: &Assessment, rules: &RuleSet, passes: Passes) -> String {
    let mut out = Vec::new();
    match to_writer(&mut out, a, rules, passes) {
        Ok(()) => String::from_utf8(out).unwrap_or_default(),
        Err(_) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprint_hashes_the_joined_parts() {
        // FNV-1a 64 of "a|b|c", as the first version computed it from the joined string.
        fn joined(s: &str) -> String {
            let mut h: u64 = 0xcbf2_9ce4_8422_2325;
            for b in s.bytes() {
                h ^= u64::from(b);
                h = h.wrapping_mul(0x0100_0000_01b3);
            }
            format!("{h:016x}")
        }
        for parts in [["a", "b", "c"], ["", "", ""], ["aws_check", "plan.json", "aws_s3_bucket.x|y"]] {
            assert_eq!(fingerprint(parts).to_string(), joined(&parts.join("|")));
        }
        assert_eq!(fingerprint(["", "", ""]).to_string().len(), 16);
        for parts in [["a", "b", "c"], ["", "", ""], ["x", "y", "0"]] {
            let f = fingerprint(parts);
            assert_eq!(serde_json::to_string(&f).unwrap(), format!("\"{f}\""));
        }
        assert_eq!(serde_json::to_string(&Fingerprint(0x0123_4567_89ab_cdef)).unwrap(), "\"0123456789abcdef\"");
    }
}
