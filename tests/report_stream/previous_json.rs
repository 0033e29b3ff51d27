//! The first version of `src/report/json.rs` (at commit 1250273), which built the
//! whole document before printing it: the reference the streaming writer must equal byte for byte.
//! Verbatim but for `crate::` paths and its module docs.
#![allow(dead_code)]

use iso27017::checks::RuleSet;
use iso27017::engine::Assessment;
use iso27017::inventory::Diagnostic;
use serde::Serialize;
use serde_json::Value;

/// Current version of the document.
pub const VERSION: u32 = 1;

/// Top level.
#[derive(Debug, Serialize)]
pub struct AssessmentJsonV1<'a> {
    /// Always `iso27017-assessor/assessment`.
    pub format: &'static str,
    /// [`VERSION`].
    pub version: u32,
    /// Tool and version.
    pub tool: ToolJson,
    /// Catalog edition assessed against.
    pub edition: &'static str,
    /// One per input.
    pub inputs: Vec<InputJson<'a>>,
    /// Counts.
    pub summary: SummaryJson,
    /// Every check × resource result.
    pub findings: Vec<FindingJson<'a>>,
    /// Every control's automated result.
    pub controls: Vec<ControlJson>,
}

/// Tool block.
#[derive(Debug, Serialize)]
pub struct ToolJson {
    /// `iso27017-assessor`.
    pub name: &'static str,
    /// Crate version.
    pub version: &'static str,
}

/// One input.
#[derive(Debug, Serialize)]
pub struct InputJson<'a> {
    /// File name.
    pub name: &'a str,
    /// Bytes.
    pub bytes: u64,
    /// Detected format token, or null if unusable.
    pub format: Option<&'static str>,
    /// Resources read.
    pub resources: usize,
    /// Parser diagnostics.
    pub diagnostics: &'a [Diagnostic],
    /// Why it could not be used.
    pub error: Option<String>,
}

/// Counts.
#[derive(Debug, Serialize)]
pub struct SummaryJson {
    /// Findings that pass.
    pub pass: usize,
    /// Findings that fail.
    pub fail: usize,
    /// Findings that cannot be decided from the input.
    pub indeterminate: usize,
    /// Resources read.
    pub resources: usize,
    /// Controls by automated status.
    pub controls_fail: usize,
    /// Controls passing.
    pub controls_pass: usize,
    /// Controls unknown.
    pub controls_indeterminate: usize,
    /// Controls without automated evidence.
    pub controls_not_assessed: usize,
}

/// One finding.
#[derive(Debug, Serialize)]
pub struct FindingJson<'a> {
    /// Check id.
    pub check: &'a str,
    /// Check title (the secure condition).
    pub title: &'a str,
    /// 27017 control ids.
    pub controls: Vec<&'a str>,
    /// pass | fail | indeterminate.
    pub status: &'static str,
    /// info | low | medium | high | critical.
    pub severity: &'static str,
    /// Resource.
    pub resource: ResourceJson<'a>,
    /// Where in the input.
    pub source: SourceJson<'a>,
    /// Observed values by property (null when absent/unknown).
    pub observed: serde_json::Map<String, Value>,
    /// The conditions, in words.
    pub expected: Vec<&'a str>,
    /// Sentence for people.
    pub message: &'a iso27017::checks::Message,
    /// Why indeterminate.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<&'a str>,
    /// The provider defaults the observed values rest on (the one field added since).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub defaults: Vec<DefaultJson<'a>>,
}

/// One provider default an observed value rests on.
#[derive(Debug, Serialize)]
pub struct DefaultJson<'a> {
    pub prop: &'a str,
    pub default: &'a str,
    pub says: &'a str,
    pub source: &'a str,
    pub verified: Option<&'a str>,
}

/// Resource block.
#[derive(Debug, Serialize)]
pub struct ResourceJson<'a> {
    /// Id or address.
    pub id: &'a str,
    /// Name.
    pub name: &'a str,
    /// Canonical kind.
    pub kind: &'a str,
    /// Native type.
    pub native_type: &'a str,
    /// Provider token.
    pub provider: &'static str,
}

/// Source block.
#[derive(Debug, Serialize)]
pub struct SourceJson<'a> {
    /// Input name.
    pub file: &'a str,
    /// JSON pointer of the resource.
    pub pointer: &'a iso27017::inventory::Pointer,
    /// JSON pointer of the first evaluated attribute, if any.
    pub attribute_pointer: Option<&'a iso27017::inventory::Pointer>,
    /// Line, where known.
    pub line: Option<u32>,
}

/// One control.
#[derive(Debug, Serialize)]
pub struct ControlJson {
    /// Id.
    pub id: String,
    /// pass | fail | indeterminate | not_applicable.
    pub status: &'static str,
    /// Passing findings.
    pub pass: usize,
    /// Failing findings.
    pub fail: usize,
    /// Indeterminate findings.
    pub indeterminate: usize,
    /// Checks mapped to it.
    pub checks: Vec<String>,
}

/// Build the document.
pub fn document<'a>(a: &'a Assessment, rules: &'a RuleSet) -> AssessmentJsonV1<'a> {
    let t = a.tally();
    let count = |s: iso27017::model::Status| a.controls.iter().filter(|c| c.status == s).count();
    use iso27017::model::Status;
    AssessmentJsonV1 {
        format: "iso27017-assessor/assessment",
        version: VERSION,
        tool: ToolJson { name: "iso27017-assessor", version: env!("CARGO_PKG_VERSION") },
        edition: iso27017::Catalog::bundled().edition().id,
        inputs: a
            .inputs
            .iter()
            .map(|i| InputJson {
                name: &i.name,
                bytes: i.bytes,
                format: i.format.map(|f| f.as_str()),
                resources: i.resources,
                diagnostics: &i.diagnostics,
                error: i.error.as_ref().map(|e| e.to_string()),
            })
            .collect(),
        summary: SummaryJson {
            pass: t.pass,
            fail: t.fail,
            indeterminate: t.indeterminate,
            resources: a.inputs.iter().map(|i| i.resources).sum(),
            controls_fail: count(Status::Fail),
            controls_pass: count(Status::Pass),
            controls_indeterminate: count(Status::Indeterminate),
            controls_not_assessed: count(Status::NotApplicable),
        },
        findings: a
            .findings
            .iter()
            .map(|f| FindingJson {
                check: f.check.as_str(),
                title: rules.rule(f.check.as_str()).map_or("", |r| r.title.as_str()),
                controls: f.controls.iter().map(|c| c.as_str()).collect(),
                status: f.status.as_str(),
                severity: f.severity.as_str(),
                resource: ResourceJson {
                    id: &f.resource.id,
                    name: &f.resource.name,
                    kind: &f.resource.kind,
                    native_type: &f.resource.native_type,
                    provider: f.resource.provider.as_str(),
                },
                source: SourceJson {
                    file: &f.resource.source.file,
                    pointer: &f.resource.source.pointer,
                    attribute_pointer: f.evidence.iter().map(|e| &e.pointer).find(|p| !p.is_empty()),
                    line: f.resource.source.line,
                },
                observed: f.evidence.iter().map(|e| (e.prop().to_string(), e.observed.as_deref().cloned().unwrap_or(Value::Null))).collect(),
                expected: f.evidence.iter().map(|e| e.expected()).collect(),
                message: &f.message,
                reason: f.reason.as_deref(),
                defaults: f
                    .evidence
                    .iter()
                    .filter_map(|e| {
                        e.basis().map(|d| DefaultJson { prop: e.prop(), default: &d.id, says: &d.says, source: &d.source, verified: d.verified.as_deref() })
                    })
                    .collect(),
            })
            .collect(),
        controls: a
            .controls
            .iter()
            .map(|c| ControlJson {
                id: c.control.to_string(),
                status: c.status.as_str(),
                pass: c.tally.pass,
                fail: c.tally.fail,
                indeterminate: c.tally.indeterminate,
                checks: c.checks.iter().map(|c| c.to_string()).collect(),
            })
            .collect(),
    }
}

/// Pretty-printed JSON.
pub fn to_string(a: &Assessment, rules: &RuleSet) -> String {
    serde_json::to_string_pretty(&document(a, rules)).unwrap_or_default()
}
