//! Several assessment results → one. Each part is an assessment document
//! (`iso27017 assess --format json`, version 1 or 2, or an earlier merge),
//! typically one per account, subscription or project, made by parallel CI
//! jobs; the merge is the organisation's result, in the same contract
//! (`docs/assessment.schema.json`) plus `parts`: where each part came from
//! (file, SHA-256 of its bytes, the tool and version that made it, when).
//!
//! Nothing is re-evaluated: findings and inputs are copied as they were
//! written (each on one line), the passes of a check are added up across
//! parts, and each control's counts are summed and rolled up by
//! [`Tally::status`], the engine's one roll-up rule, so a merged control
//! fails when any part fails it.
//!
//! **Invariant:** a part is read whole and checked before anything is
//! written; a part that is not an assessment document, of an unknown version
//! or of another catalog edition, is refused with its name and the reason,
//! and so is the same part given twice (its findings would count twice).
//! Nothing here panics on input.

use crate::engine::Tally;
use crate::model::{Severity, Status};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use std::collections::HashMap;
use std::fmt;
use std::io::Write;

/// The document's format name.
pub const FORMAT: &str = "iso27017-assessor/assessment";

/// Why a part cannot be merged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MergeError {
    /// No part given.
    NoParts,
    /// Not JSON, or not shaped as an assessment document.
    Unreadable { part: String, reason: String },
    /// Another document format.
    NotAnAssessment { part: String, format: String },
    /// A version this build does not know.
    Version { part: String, version: u64 },
    /// Assessed against another catalog edition than the first part.
    Edition { part: String, edition: String, first: String, expected: String },
    /// The same bytes given twice.
    Duplicate { part: String, first: String },
}

impl fmt::Display for MergeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MergeError::NoParts => write!(f, "nothing to merge: give the result files of one or more `iso27017 assess --format json` runs"),
            MergeError::Unreadable { part, reason } => write!(f, "{part}: not an assessment result: {reason}"),
            MergeError::NotAnAssessment { part, format } => {
                write!(f, "{part}: is a {format:?} document, not an assessment result (`iso27017 assess --format json`)")
            }
            MergeError::Version { part, version } => write!(
                f,
                "{part}: assessment document version {version} is newer than this tool reads (1 and 2); merge it with a newer iso27017"
            ),
            MergeError::Edition { part, edition, first, expected } => {
                write!(f, "{part}: assessed against catalog edition {edition}, but {first} against {expected}; results of different editions cannot be merged")
            }
            MergeError::Duplicate { part, first } => {
                write!(f, "{part}: has the same content as {first}; merging it would count its findings twice")
            }
        }
    }
}

impl std::error::Error for MergeError {}

/// The tool that made a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tool {
    /// `iso27017-assessor`.
    pub name: String,
    /// Its version.
    pub version: String,
}

/// Where one merged part came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Part {
    /// The part's file name, as given to the merge.
    pub file: String,
    /// SHA-256 of the part's bytes, lower-case hex.
    pub sha256: String,
    /// The tool that assessed it.
    pub tool: Tool,
    /// When it was assessed (RFC 3339), if the part says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generated_at: Option<String>,
    /// Its inputs (export files).
    pub inputs: usize,
    /// Its counts.
    pub pass: usize,
    /// Failing findings.
    pub fail: usize,
    /// Findings that could not be decided.
    pub indeterminate: usize,
    /// Resources read.
    pub resources: usize,
}

/// An assessment document as read: what the merge adds up, and the rest
/// kept as written.
#[derive(Deserialize)]
struct PartDoc {
    #[serde(default)]
    format: Option<String>,
    #[serde(default)]
    version: Option<u64>,
    #[serde(default)]
    tool: Option<Tool>,
    edition: String,
    #[serde(default)]
    generated_at: Option<String>,
    #[serde(default)]
    parts: Option<Vec<Part>>,
    inputs: Vec<InputIn>,
    summary: SummaryIn,
    findings: Vec<Box<RawValue>>,
    controls: Vec<ControlIn>,
    #[serde(default)]
    passed: Vec<PassedIn>,
}

/// Only `format` and `version`: read when a document does not parse as a
/// result, so that one of another kind or version is named as such.
#[derive(Deserialize)]
struct Header {
    #[serde(default)]
    format: Option<String>,
    #[serde(default)]
    version: Option<u64>,
}

#[derive(Deserialize)]
struct InputIn {
    resources: usize,
    #[serde(flatten)]
    rest: serde_json::Map<String, serde_json::Value>,
}

#[derive(Deserialize)]
struct SummaryIn {
    pass: usize,
    fail: usize,
    indeterminate: usize,
    resources: usize,
}

#[derive(Deserialize)]
struct ControlIn {
    id: String,
    pass: usize,
    fail: usize,
    indeterminate: usize,
    checks: Vec<String>,
}

#[derive(Deserialize, Serialize)]
struct PassedIn {
    check: String,
    title: String,
    controls: Vec<String>,
    severity: String,
    count: usize,
    resources: Vec<String>,
}

/// What the merge needs of a finding: its status and severity (`--fail-on`).
#[derive(Deserialize)]
struct FindingKey {
    status: String,
    severity: String,
}

/// One control of the merged document.
#[derive(Debug, Clone, Serialize)]
struct ControlOut {
    id: String,
    status: &'static str,
    pass: usize,
    fail: usize,
    indeterminate: usize,
    checks: Vec<String>,
}

/// The counts block.
#[derive(Debug, Clone, Copy, Default, Serialize)]
struct SummaryOut {
    pass: usize,
    fail: usize,
    indeterminate: usize,
    resources: usize,
    controls_fail: usize,
    controls_pass: usize,
    controls_indeterminate: usize,
    controls_not_assessed: usize,
}

/// The merged result, ready to write.
pub struct Merged {
    edition: String,
    parts: Vec<Part>,
    inputs: Vec<serde_json::Value>,
    findings: Vec<Box<RawValue>>,
    /// Failing findings per severity (`fail_on`).
    failing: HashMap<String, usize>,
    controls: Vec<ControlOut>,
    passed: Vec<PassedIn>,
    summary: SummaryOut,
}

/// Merge the parts (`(file name, bytes)`), in the order given.
pub fn merge<N: AsRef<str>, B: AsRef<[u8]>>(parts: impl IntoIterator<Item = (N, B)>) -> Result<Merged, MergeError> {
    let mut m = Merged {
        edition: String::new(),
        parts: Vec::new(),
        inputs: Vec::new(),
        findings: Vec::new(),
        failing: HashMap::new(),
        controls: Vec::new(),
        passed: Vec::new(),
        summary: SummaryOut::default(),
    };
    let mut first_name: Option<String> = None;
    let mut seen: HashMap<String, String> = HashMap::new();
    let mut control_index: HashMap<String, usize> = HashMap::new();
    let mut passed_index: HashMap<String, usize> = HashMap::new();
    for (name, bytes) in parts {
        let name = name.as_ref();
        let bytes = bytes.as_ref();
        let digest = crate::workspace::sha256_hex(bytes);
        if let Some(first) = seen.get(&digest) {
            return Err(MergeError::Duplicate { part: name.to_string(), first: first.clone() });
        }
        seen.insert(digest.clone(), name.to_string());
        let doc = read_part(name, bytes)?;
        match &first_name {
            None => {
                m.edition = doc.edition.clone();
                first_name = Some(name.to_string());
            }
            Some(first) if doc.edition != m.edition => {
                return Err(MergeError::Edition { part: name.to_string(), edition: doc.edition, first: first.clone(), expected: m.edition.clone() });
            }
            Some(_) => {}
        }
        let mut fail_by_severity: Vec<(String, usize)> = Vec::new();
        for f in &doc.findings {
            let key: FindingKey = serde_json::from_str(f.get())
                .map_err(|e| MergeError::Unreadable { part: name.to_string(), reason: format!("a finding has no status or severity ({e})") })?;
            if key.status == Status::Fail.as_str() {
                match fail_by_severity.iter_mut().find(|(s, _)| *s == key.severity) {
                    Some((_, n)) => *n += 1,
                    None => fail_by_severity.push((key.severity, 1)),
                }
            }
        }
        for (s, n) in fail_by_severity {
            *m.failing.entry(s).or_default() += n;
        }
        // A merge of merges keeps the original parts, so provenance stays
        // one level deep whatever the number of merge steps.
        match doc.parts {
            Some(parts) => m.parts.extend(parts),
            None => m.parts.push(Part {
                file: name.to_string(),
                sha256: digest,
                tool: doc.tool.clone().unwrap_or(Tool { name: "iso27017-assessor".into(), version: "unknown".into() }),
                generated_at: doc.generated_at.clone(),
                inputs: doc.inputs.len(),
                pass: doc.summary.pass,
                fail: doc.summary.fail,
                indeterminate: doc.summary.indeterminate,
                resources: doc.summary.resources,
            }),
        }
        m.summary.pass += doc.summary.pass;
        m.summary.fail += doc.summary.fail;
        m.summary.indeterminate += doc.summary.indeterminate;
        m.summary.resources += doc.summary.resources;
        m.inputs.extend(doc.inputs.into_iter().map(|i| {
            let mut o = i.rest;
            o.insert("resources".into(), i.resources.into());
            serde_json::Value::Object(o)
        }));
        m.findings.extend(doc.findings.into_iter().map(one_line));
        for c in doc.controls {
            let i = *control_index.entry(c.id.clone()).or_insert_with(|| {
                m.controls.push(ControlOut { id: c.id.clone(), status: "", pass: 0, fail: 0, indeterminate: 0, checks: Vec::new() });
                m.controls.len() - 1
            });
            if let Some(out) = m.controls.get_mut(i) {
                out.pass += c.pass;
                out.fail += c.fail;
                out.indeterminate += c.indeterminate;
                for check in c.checks {
                    if !out.checks.contains(&check) {
                        out.checks.push(check);
                    }
                }
            }
        }
        for p in doc.passed {
            match passed_index.get(&p.check).and_then(|&i| m.passed.get_mut(i)) {
                Some(out) => {
                    out.count += p.count;
                    out.resources.extend(p.resources);
                }
                None => {
                    passed_index.insert(p.check.clone(), m.passed.len());
                    m.passed.push(p);
                }
            }
        }
    }
    if first_name.is_none() {
        return Err(MergeError::NoParts);
    }
    for c in &mut m.controls {
        let status = Tally { pass: c.pass, fail: c.fail, indeterminate: c.indeterminate }.status();
        c.status = status.as_str();
        match status {
            Status::Fail => m.summary.controls_fail += 1,
            Status::Pass => m.summary.controls_pass += 1,
            Status::Indeterminate => m.summary.controls_indeterminate += 1,
            Status::NotApplicable => m.summary.controls_not_assessed += 1,
        }
    }
    Ok(m)
}

/// Read and check one part.
fn read_part(name: &str, bytes: &[u8]) -> Result<PartDoc, MergeError> {
    let unreadable = |reason: String| MergeError::Unreadable { part: name.to_string(), reason };
    let text = std::str::from_utf8(bytes).map_err(|e| unreadable(format!("not UTF-8 text (byte {})", e.valid_up_to())))?;
    // One parse on the way that succeeds; the header alone is read again
    // only to say why a document that is not a result does not parse.
    let doc = serde_json::from_str::<PartDoc>(text);
    let (format, version) = match &doc {
        Ok(d) => (d.format.clone(), d.version),
        Err(_) => match serde_json::from_str::<Header>(text) {
            Ok(h) => (h.format, h.version),
            Err(e) => return Err(unreadable(json_reason(&e))),
        },
    };
    match format.as_deref() {
        Some(FORMAT) => {}
        Some(other) => return Err(MergeError::NotAnAssessment { part: name.to_string(), format: other.to_string() }),
        None => return Err(unreadable("no \"format\" field: expected a document written by `iso27017 assess --format json`".into())),
    }
    match version {
        Some(1 | 2) => {}
        Some(v) => return Err(MergeError::Version { part: name.to_string(), version: v }),
        None => return Err(unreadable("no \"version\" field".into())),
    }
    doc.map_err(|e| unreadable(json_reason(&e)))
}

fn json_reason(e: &serde_json::Error) -> String {
    if e.is_eof() {
        format!("the file ends early (truncated?) at line {}", e.line())
    } else {
        e.to_string()
    }
}

/// A finding as one line: kept as written when it is (a compact document),
/// re-written compact when it spans lines (`--include-passed` documents are
/// pretty-printed).
fn one_line(raw: Box<RawValue>) -> Box<RawValue> {
    if !raw.get().contains('\n') {
        return raw;
    }
    serde_json::from_str::<serde_json::Value>(raw.get())
        .ok()
        .and_then(|v| serde_json::to_string(&v).ok())
        .and_then(|s| RawValue::from_string(s).ok())
        .unwrap_or(raw)
}

impl Merged {
    /// The parts, in order.
    pub fn parts(&self) -> &[Part] {
        &self.parts
    }

    /// Findings in the merged document.
    pub fn findings(&self) -> usize {
        self.findings.len()
    }

    /// Failing findings at or above `min`.
    pub fn failures_at_least(&self, min: Severity) -> usize {
        self.failing.iter().filter(|(s, _)| s.parse::<Severity>().is_ok_and(|s| s >= min)).map(|(_, n)| n).sum()
    }

    /// Write the merged document: the layout of `assess --format json`
    /// (fields pretty-printed, each list element on one line), stamped with
    /// `tool` and `generated_at`.
    pub fn to_writer<W: Write>(&self, mut w: W, tool: &Tool, generated_at: Option<&str>) -> std::io::Result<()> {
        fn list<W: Write, T: Serialize>(w: &mut W, key: &str, items: impl ExactSizeIterator<Item = T>, last: bool) -> std::io::Result<()> {
            write!(w, "  {}: [", serde_json::to_string(key)?)?;
            let n = items.len();
            for (i, item) in items.enumerate() {
                w.write_all(b"\n    ")?;
                serde_json::to_writer(&mut *w, &item)?;
                if i + 1 < n {
                    w.write_all(b",")?;
                }
            }
            w.write_all(if n == 0 { b"]" } else { b"\n  ]" })?;
            w.write_all(if last { b"\n" } else { b",\n" })
        }
        // A block written whole, pretty-printed one level in.
        fn pretty<T: Serialize>(v: &T) -> std::io::Result<String> {
            Ok(serde_json::to_string_pretty(v)?.replace('\n', "\n  "))
        }
        w.write_all(b"{\n")?;
        writeln!(w, "  \"format\": {},", serde_json::to_string(FORMAT)?)?;
        writeln!(w, "  \"version\": 2,")?;
        writeln!(w, "  \"tool\": {},", pretty(tool)?)?;
        writeln!(w, "  \"edition\": {},", serde_json::to_string(&self.edition)?)?;
        if let Some(at) = generated_at {
            writeln!(w, "  \"generated_at\": {},", serde_json::to_string(at)?)?;
        }
        list(&mut w, "parts", self.parts.iter(), false)?;
        list(&mut w, "inputs", self.inputs.iter(), false)?;
        writeln!(w, "  \"summary\": {},", pretty(&self.summary)?)?;
        list(&mut w, "findings", self.findings.iter(), false)?;
        list(&mut w, "controls", self.controls.iter(), false)?;
        list(&mut w, "passed", self.passed.iter(), true)?;
        w.write_all(b"}")
    }
}

impl Merged {
    /// A Markdown summary: one row per part (its file, when and by which
    /// version it was assessed, its counts) and one per control with
    /// automated evidence, failing first. Text from the parts is escaped
    /// for Markdown tables.
    pub fn to_markdown<W: Write>(&self, mut w: W, generated_at: Option<&str>) -> std::io::Result<()> {
        let cell = |t: &str| t.replace('\\', "\\\\").replace('|', "\\|").replace(['\n', '\r'], " ");
        writeln!(w, "# ISO/IEC 27017 assessment of {} parts", self.parts.len())?;
        writeln!(w)?;
        if let Some(at) = generated_at {
            writeln!(w, "Merged {at}; catalog edition {}.", cell(&self.edition))?;
            writeln!(w)?;
        }
        let s = &self.summary;
        writeln!(
            w,
            "{} resources; findings: {} failing, {} unknown, {} passing; controls: {} failing, {} unknown, {} passing, {} without automated evidence.",
            s.resources, s.fail, s.indeterminate, s.pass, s.controls_fail, s.controls_indeterminate, s.controls_pass, s.controls_not_assessed
        )?;
        writeln!(w)?;
        writeln!(w, "## Parts")?;
        writeln!(w)?;
        writeln!(w, "| Part | Assessed | Tool | Inputs | Resources | Failing | Unknown | Passing |")?;
        writeln!(w, "|---|---|---|---:|---:|---:|---:|---:|")?;
        for p in &self.parts {
            writeln!(
                w,
                "| {} | {} | {} {} | {} | {} | {} | {} | {} |",
                cell(&p.file),
                cell(p.generated_at.as_deref().unwrap_or("not recorded")),
                cell(&p.tool.name),
                cell(&p.tool.version),
                p.inputs,
                p.resources,
                p.fail,
                p.indeterminate,
                p.pass
            )?;
        }
        writeln!(w)?;
        writeln!(w, "## Controls with automated evidence")?;
        writeln!(w)?;
        let mut rows: Vec<&ControlOut> = self.controls.iter().filter(|c| c.status != Status::NotApplicable.as_str()).collect();
        let rank = |c: &ControlOut| match c.status {
            "fail" => 0,
            "indeterminate" => 1,
            _ => 2,
        };
        rows.sort_by_key(|c| rank(c));
        if rows.is_empty() {
            writeln!(w, "No check of any part applied to a resource.")?;
            return Ok(());
        }
        writeln!(w, "| Control | Result | Failing | Unknown | Passing |")?;
        writeln!(w, "|---|---|---:|---:|---:|")?;
        for c in rows {
            let result = match c.status {
                "fail" => "not met",
                "indeterminate" => "unknown",
                _ => "met",
            };
            writeln!(w, "| {} | {} | {} | {} | {} |", cell(&c.id), result, c.fail, c.indeterminate, c.pass)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(edition: &str, fail: usize, finding_status: &str) -> String {
        format!(
            r#"{{"format":"iso27017-assessor/assessment","version":2,"tool":{{"name":"iso27017-assessor","version":"0.1.0"}},
            "edition":"{edition}","generated_at":"2026-12-01T00:00:00Z",
            "inputs":[{{"name":"a.json","bytes":10,"format":"terraform_plan","resources":2,"diagnostics":[],"error":null}}],
            "summary":{{"pass":1,"fail":{fail},"indeterminate":0,"resources":2,"controls_fail":1,"controls_pass":0,"controls_indeterminate":0,"controls_not_assessed":1}},
            "findings":[{{"check":"c1","title":"T","controls":["10.1.1"],"status":"{finding_status}","severity":"high"}}],
            "controls":[{{"id":"10.1.1","status":"fail","pass":1,"fail":{fail},"indeterminate":0,"checks":["c1"]}},
                        {{"id":"5.1.1","status":"not_applicable","pass":0,"fail":0,"indeterminate":0,"checks":[]}}],
            "passed":[{{"check":"c1","title":"T","controls":["10.1.1"],"severity":"high","count":1,"resources":["r1"]}}]}}"#
        )
    }

    #[test]
    fn counts_add_up_and_controls_roll_up_once() {
        let a = doc("iso27017-2015", 1, "fail");
        let b = doc("iso27017-2015", 0, "indeterminate");
        let m = merge([("a.json", a.as_bytes()), ("b.json", b.as_bytes())]).unwrap();
        assert_eq!(m.parts().len(), 2);
        assert_eq!(m.findings(), 2);
        assert_eq!(m.summary.fail, 1);
        assert_eq!(m.summary.pass, 2);
        assert_eq!(m.summary.resources, 4);
        let c = &m.controls[0];
        assert_eq!((c.pass, c.fail, c.status), (2, 1, "fail"));
        assert_eq!(m.controls[1].status, "not_applicable");
        assert_eq!(m.passed[0].count, 2);
        assert_eq!(m.passed[0].resources, ["r1", "r1"]);
        assert_eq!(m.failures_at_least(Severity::High), 1);
        assert_eq!(m.failures_at_least(Severity::Critical), 0);
    }

    #[test]
    fn refusals_name_the_part_and_the_reason() {
        let a = doc("iso27017-2015", 1, "fail");
        let e = merge([("a.json", a.as_bytes()), ("again.json", a.as_bytes())]).err().unwrap();
        assert_eq!(e, MergeError::Duplicate { part: "again.json".into(), first: "a.json".into() });
        let other = doc("iso27017-2099", 0, "pass");
        assert!(matches!(merge([("a.json", a.as_bytes()), ("b.json", other.as_bytes())]), Err(MergeError::Edition { .. })));
        let truncated = &a[..a.len() / 2];
        let e = merge([("t.json", truncated.as_bytes())]).err().unwrap().to_string();
        assert!(e.starts_with("t.json: not an assessment result: the file ends early"), "{e}");
        let v3 = a.replace("\"version\":2", "\"version\":3");
        assert_eq!(merge([("v.json", v3.as_bytes())]).err(), Some(MergeError::Version { part: "v.json".into(), version: 3 }));
        let ws = r#"{"format":"iso27017-assessor/workspace","version":3}"#;
        assert!(matches!(merge([("w.json", ws.as_bytes())]), Err(MergeError::NotAnAssessment { .. })));
        assert!(matches!(merge([("x.bin", &[0xff, 0xfe, 0x00][..])]), Err(MergeError::Unreadable { .. })));
        assert_eq!(merge(Vec::<(&str, &[u8])>::new()).err(), Some(MergeError::NoParts));
    }

    #[test]
    fn a_merge_of_merges_keeps_the_original_parts() {
        let a = doc("iso27017-2015", 1, "fail");
        let b = doc("iso27017-2015", 2, "fail");
        let c = doc("iso27017-2015", 3, "fail");
        let tool = Tool { name: "iso27017-assessor".into(), version: "9".into() };
        let mut ab = Vec::new();
        merge([("a.json", a.as_bytes()), ("b.json", b.as_bytes())]).unwrap().to_writer(&mut ab, &tool, None).unwrap();
        let abc = merge([("ab.json", ab.as_slice()), ("c.json", c.as_bytes())]).unwrap();
        let files: Vec<&str> = abc.parts().iter().map(|p| p.file.as_str()).collect();
        assert_eq!(files, ["a.json", "b.json", "c.json"]);
        assert_eq!(abc.summary.fail, 6);
        let mut out = Vec::new();
        abc.to_writer(&mut out, &tool, Some("2026-12-07T00:00:00Z")).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v["findings"].as_array().map(Vec::len), Some(3));
        assert_eq!(v["summary"]["fail"], 6);
        assert_eq!(v["generated_at"], "2026-12-07T00:00:00Z");
    }
}
