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
use super::{compact, text, Passes};
use crate::checks::{Finding, RuleSet};
use crate::engine::Assessment;
use crate::model::{Severity, Status};
use crate::workspace::decided::Applied;
use serde::Serialize;

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

/// FNV-1a's starting state.
const FNV_START: u64 = 0xcbf2_9ce4_8422_2325;

/// FNV-1a from state `h` over `parts` in turn.
fn fnv<const N: usize>(mut h: u64, parts: [&[u8]; N]) -> u64 {
    for part in parts {
        for &b in part {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

/// A fingerprint, written as 16 lower-case hex digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Fingerprint(u64);

impl Fingerprint {
    /// The 16 hex digits of `Display`, made without the formatting machinery.
    fn hex(self) -> [u8; 16] {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut digits = [b'0'; 16];
        for (i, d) in digits.iter_mut().enumerate() {
            let nibble = (self.0 >> (60 - 4 * i)) & 0xf;
            *d = HEX.get(nibble as usize).copied().unwrap_or(b'0');
        }
        digits
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
    /// The workspace's decisions (`assess --workspace`).
    decided: &'a crate::workspace::decided::Decided,
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
            // What the results of a run of findings of one check share,
            // written once per run.
            let mut run: Option<(&Finding, RunText)> = None;
            let mut file = text::Cached::default();
            for f in self.findings.get(range).unwrap_or_default().iter().filter(|f| self.reported(f)) {
                let shared = match &run {
                    Some((first, shared)) if first.check == f.check && first.controls == f.controls => shared,
                    _ => {
                        let index = self.ids.iter().position(|i| *i == f.check.as_str()).unwrap_or(0);
                        &run.insert((f, RunText::new(f, index, at)?)).1
                    }
                };
                buf.extend_from_slice(&separator);
                write_result(buf, f, shared, &mut file, at, self.decided.of(f))?;
            }
            Ok(())
        })?;
        list.end_array()
    }
}

/// The text of a result from `properties` on that is the same for every
/// result of a run of one check's findings: `,` and `properties` up to the
/// key after `controls` (`properties`), and the end from after the
/// `pointer`'s value (`end`), laid out for a result inside `at` open containers.
struct RunText {
    properties: Vec<u8>,
    end: Vec<u8>,
    /// FNV-1a of `check|` (the fingerprint's first part).
    check_hash: u64,
}

/// A new line and the indentation of `level` open containers.
fn line(out: &mut Vec<u8>, level: usize) {
    out.push(b'\n');
    out.resize(out.len() + 2 * level, b' ');
}

impl RunText {
    fn new(f: &Finding, rule_index: usize, at: usize) -> std::io::Result<RunText> {
        let mut properties = Vec::new();
        properties.push(b',');
        line(&mut properties, at + 1);
        properties.extend_from_slice(b"\"properties\": {");
        line(&mut properties, at + 2);
        properties.extend_from_slice(b"\"controls\": ");
        ControlIds(&f.controls).serialize(&mut serde_json::Serializer::with_formatter(&mut properties, OnePerLine::at(at + 2, usize::MAX)))?;
        properties.push(b',');
        line(&mut properties, at + 2);
        let mut end = Vec::new();
        line(&mut end, at + 1);
        end.extend_from_slice(b"},");
        line(&mut end, at + 1);
        end.extend_from_slice(b"\"ruleId\": ");
        text::string(&mut end, f.check.as_str());
        end.push(b',');
        line(&mut end, at + 1);
        end.extend_from_slice(b"\"ruleIndex\": ");
        text::uint(&mut end, rule_index as u64);
        line(&mut end, at);
        end.push(b'}');
        Ok(RunText { properties, end, check_hash: fnv(FNV_START, [f.check.as_str().as_bytes(), b"|"]) })
    }
}

/// One result as [`ResultJson`] pretty-prints it inside `at` open
/// containers, written by hand (`report::text`).
fn write_result(out: &mut Vec<u8>, f: &Finding, run: &RunText, file: &mut text::Cached, at: usize, decision: Option<Applied<'_>>) -> std::io::Result<()> {
    let source = &f.resource.source;
    let (kind, level) = result_kind(f);
    out.push(b'{');
    line(out, at + 1);
    out.extend_from_slice(b"\"kind\": ");
    text::string(out, kind);
    out.push(b',');
    line(out, at + 1);
    out.extend_from_slice(b"\"level\": ");
    text::string(out, level);
    out.push(b',');
    line(out, at + 1);
    out.extend_from_slice(b"\"locations\": [");
    line(out, at + 2);
    out.push(b'{');
    line(out, at + 3);
    out.extend_from_slice(b"\"logicalLocations\": [");
    line(out, at + 4);
    out.push(b'{');
    line(out, at + 5);
    out.extend_from_slice(b"\"fullyQualifiedName\": ");
    text::string(out, &f.resource.id);
    out.push(b',');
    line(out, at + 5);
    out.extend_from_slice(b"\"kind\": \"resource\"");
    line(out, at + 4);
    out.push(b'}');
    line(out, at + 3);
    out.extend_from_slice(b"],");
    line(out, at + 3);
    out.extend_from_slice(b"\"physicalLocation\": {");
    line(out, at + 4);
    out.extend_from_slice(b"\"artifactLocation\": {");
    line(out, at + 5);
    out.extend_from_slice(b"\"uri\": ");
    file.string(out, &source.file);
    line(out, at + 4);
    out.push(b'}');
    if let Some(n) = source.line {
        out.push(b',');
        line(out, at + 4);
        out.extend_from_slice(b"\"region\": {");
        line(out, at + 5);
        out.extend_from_slice(b"\"startLine\": ");
        text::uint(out, u64::from(n.max(1)));
        line(out, at + 4);
        out.push(b'}');
    }
    line(out, at + 3);
    out.push(b'}');
    line(out, at + 2);
    out.push(b'}');
    line(out, at + 1);
    out.extend_from_slice(b"],");
    line(out, at + 1);
    out.extend_from_slice(b"\"message\": {");
    line(out, at + 2);
    out.extend_from_slice(b"\"text\": \"");
    f.message.write_to(&mut text::Escaping(out)).map_err(std::io::Error::other)?;
    // A lapsed decision: the result fails again, and says since when.
    if let Some(d) = decision.filter(|d| !d.in_force) {
        out.extend_from_slice(b" (");
        text::contents(out, &d.note());
        out.push(b')');
    }
    out.push(b'"');
    line(out, at + 1);
    out.extend_from_slice(b"},");
    line(out, at + 1);
    out.extend_from_slice(b"\"partialFingerprints\": {");
    line(out, at + 2);
    out.extend_from_slice(b"\"iso27017/v1\": \"");
    let hash = fnv(run.check_hash, [source.file.as_bytes(), b"|", f.resource.id.as_bytes()]);
    out.extend_from_slice(&Fingerprint(hash).hex());
    out.push(b'"');
    line(out, at + 1);
    out.push(b'}');
    out.extend_from_slice(&run.properties);
    // Imported from another scanner: its finding and the basis of its controls.
    if let Some(origin) = f.origin.as_deref() {
        out.extend_from_slice(b"\"imported\": ");
        origin.serialize(&mut serde_json::Serializer::with_formatter(&mut *out, OnePerLine::at(at + 2, usize::MAX)))?;
        out.push(b',');
        line(out, at + 2);
    }
    out.extend_from_slice(b"\"pointer\": ");
    compact::pointer(out, &source.pointer);
    match decision.filter(|d| d.in_force) {
        None => out.extend_from_slice(&run.end),
        Some(d) => {
            // `suppressions` sorts after `ruleIndex`: the run's end without
            // the result's closing line, then the suppression (SARIF 2.1.0
            // §3.35: kept outside the scanned files, accepted, with the reason).
            let close = 2 + 2 * at;
            out.extend_from_slice(run.end.get(..run.end.len().saturating_sub(close)).unwrap_or_default());
            out.push(b',');
            line(out, at + 1);
            out.extend_from_slice(b"\"suppressions\": [");
            line(out, at + 2);
            out.push(b'{');
            line(out, at + 3);
            out.extend_from_slice(b"\"justification\": ");
            text::string(out, &d.note());
            out.push(b',');
            line(out, at + 3);
            out.extend_from_slice(b"\"kind\": \"external\",");
            line(out, at + 3);
            out.extend_from_slice(b"\"status\": \"accepted\"");
            line(out, at + 2);
            out.push(b'}');
            line(out, at + 1);
            out.push(b']');
            line(out, at);
            out.push(b'}');
        }
    }
    Ok(())
}

/// A result's `kind` and `level`.
fn result_kind(f: &Finding) -> (&'static str, &'static str) {
    match f.status {
        Status::Fail => ("fail", level(f.severity)),
        Status::Pass => ("pass", "none"),
        Status::Indeterminate | Status::NotApplicable => ("review", "note"),
    }
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
    let results = Results { findings: &a.findings, decided: &a.decided, ids: &ids, passes };
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
    use crate::checks::Message;
    use serde::Serializer;
    use std::fmt;

    // The first construction of a result (serde structs, fields in byte
    // order of their JSON names): the reference the hand-written
    // [`write_result`] is compared with.

    /// FNV-1a of `parts` joined by `|`, for stable fingerprints without a hashing
    /// dependency (hashed part by part: no joined string is made).
    fn fingerprint(parts: [&str; 3]) -> Fingerprint {
        let [a, b, c] = parts;
        Fingerprint(fnv(FNV_START, [a.as_bytes(), b"|", b.as_bytes(), b"|", c.as_bytes()]))
    }

    impl fmt::Display for Fingerprint {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "{:016x}", self.0)
        }
    }

    impl Serialize for Fingerprint {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            let digits = self.hex();
            s.serialize_str(std::str::from_utf8(&digits).unwrap_or_default())
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
        #[serde(skip_serializing_if = "Option::is_none")]
        suppressions: Option<[Suppression; 1]>,
    }

    #[derive(Serialize)]
    struct Suppression {
        justification: String,
        kind: &'static str,
        status: &'static str,
    }

    impl<'a> ResultJson<'a> {
        fn new(f: &'a Finding, rule_index: usize) -> ResultJson<'a> {
            let source = &f.resource.source;
            let (kind, level) = result_kind(f);
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
                properties: ResultProperties { controls: ControlIds(&f.controls), pointer: &source.pointer },
                rule_id: f.check.as_str(),
                rule_index,
                suppressions: None,
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
        pointer: &'a crate::inventory::Pointer,
    }

    #[test]
    fn a_result_is_what_serde_writes_for_it() {
        let findings = crate::report::compact::tests::hostile_findings();
        for at in [4, 1] {
            // A run of results sharing their check's text, and its own run for each.
            let mut shared: Option<(&Finding, RunText)> = None;
            let mut file = text::Cached::default();
            for (i, f) in findings.iter().enumerate() {
                let mut expected = Vec::new();
                ResultJson::new(f, i).serialize(&mut serde_json::Serializer::with_formatter(&mut expected, OnePerLine::at(at, usize::MAX))).unwrap();
                let mut alone = Vec::new();
                write_result(&mut alone, f, &RunText::new(f, i, at).unwrap(), &mut file, at, None).unwrap();
                assert_eq!(String::from_utf8(alone).unwrap(), String::from_utf8(expected).unwrap());
                let run = match &shared {
                    Some((first, run)) if first.check == f.check && first.controls == f.controls => run,
                    _ => &shared.insert((f, RunText::new(f, 3, at).unwrap())).1,
                };
                let mut expected = Vec::new();
                ResultJson::new(f, 3).serialize(&mut serde_json::Serializer::with_formatter(&mut expected, OnePerLine::at(at, usize::MAX))).unwrap();
                let mut ours = Vec::new();
                write_result(&mut ours, f, run, &mut file, at, None).unwrap();
                assert_eq!(String::from_utf8(ours).unwrap(), String::from_utf8(expected).unwrap());
            }
        }
    }

    #[test]
    fn a_result_under_a_decision_in_force_is_suppressed_as_serde_writes_it() {
        use crate::workspace::decided::Decided;
        use crate::workspace::{DecisionKind, FindingDecision};
        let findings = crate::report::compact::tests::hostile_findings();
        let mut f = findings.iter().rev().find(|f| f.evidence.len() > 3).unwrap().clone();
        f.status = Status::Fail;
        let d = FindingDecision {
            check: f.check.clone(),
            resource_id: f.resource.id.to_string(),
            kind: DecisionKind::RiskAccepted,
            reason: "owner \"signed\" off\nuntil the migration \u{2028} ends".into(),
            expires: Some("2027-01-01".parse().unwrap()),
        };
        let decided = Decided::new(std::slice::from_ref(&d), 0);
        let applied = decided.of(&f).unwrap();
        for at in [4, 1] {
            let mut expected = Vec::new();
            let mut json = ResultJson::new(&f, 2);
            json.suppressions = Some([Suppression { justification: applied.note(), kind: "external", status: "accepted" }]);
            json.serialize(&mut serde_json::Serializer::with_formatter(&mut expected, OnePerLine::at(at, usize::MAX))).unwrap();
            let mut ours = Vec::new();
            write_result(&mut ours, &f, &RunText::new(&f, 2, at).unwrap(), &mut text::Cached::default(), at, Some(applied)).unwrap();
            assert_eq!(String::from_utf8(ours).unwrap(), String::from_utf8(expected).unwrap());
        }
        // Expired: no suppression, and the message says since when.
        let lapsed = Decided::new(std::slice::from_ref(&d), crate::workspace::IsoDate::new(2027, 1, 1).unwrap().days());
        let mut ours = Vec::new();
        write_result(&mut ours, &f, &RunText::new(&f, 2, 4).unwrap(), &mut text::Cached::default(), 4, lapsed.of(&f)).unwrap();
        let text = String::from_utf8(ours).unwrap();
        assert!(!text.contains("suppressions") && text.contains("risk acceptance expired on 2027-01-01"), "{text}");
    }

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
