//! The assessment JSON contract, version 2 (schema: `docs/assessment.schema.json`).
//! Field names and meanings are stable; additions bump nothing, removals or
//! changes of meaning mint a new version. Version 2 writes the passing
//! findings of each check as a count and the ids of their resources
//! ([`PassedJson`], `passed`), not in full, unless asked ([`Passes::Full`]:
//! then the document is version 1's, every finding in full, with `version` 2).
//!
//! The document is written as it is walked ([`to_writer`]): [`FindingsJson`]
//! serializes one finding at a time from the assessment, so a 100 MB export's
//! half a million findings never exist as a second structure beside it;
//! [`to_writer`] makes them in chunks on worker threads (`report::chunked`),
//! written in order, a few chunks in memory at a time.
//! **Invariant:** with [`Passes::Full`], the bytes are those of the first
//! version of this module (but for the version number), which built the
//! whole document (findings as a `Vec`, `observed` as a `serde_json::Map`)
//! before printing it (`tests/report_stream.rs` keeps that construction and
//! compares); with [`Passes::Counted`], they are the same less the passing
//! findings, plus `passed`.

use super::chunked::{self, Open};
use super::compact;
use crate::checks::{Evidence, Finding, Message, RuleSet};
use crate::engine::Assessment;
use crate::inventory::{Diagnostic, Pointer};
use crate::model::{CheckId, ControlId, Status};
use serde::ser::{SerializeMap, SerializeSeq, Serializer};
use serde::Serialize;
use std::collections::HashMap;
use std::ops::Range;

pub use super::Passes;

/// Current version of the document.
pub const VERSION: u32 = 2;

/// Top level.
#[derive(Debug, Serialize)]
pub struct AssessmentJsonV2<'a> {
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
    /// Every failing and indeterminate check × resource result (and every
    /// passing one with [`Passes::Full`]), serialized one at a time.
    pub findings: FindingsJson<'a>,
    /// Every control's automated result.
    pub controls: Vec<ControlJson<'a>>,
    /// The passing findings, per check ([`Passes::Counted`]; absent with
    /// [`Passes::Full`], where `findings` holds them).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub passed: Option<PassedJson<'a>>,
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
    /// Findings imported from another scanner's file (left out when none).
    #[serde(skip_serializing_if = "is_zero")]
    pub imported: usize,
    /// Parser diagnostics.
    pub diagnostics: &'a [Diagnostic],
    /// Why it could not be used.
    pub error: Option<String>,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
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

/// The findings of an assessment as a JSON array (every one, or all but the
/// passing ones), serialized one [`FindingJson`] at a time (never collected).
#[derive(Debug, Clone, Copy)]
pub struct FindingsJson<'a> {
    findings: &'a [Finding],
    rules: &'a RuleSet,
    passes: Passes,
    decided: &'a crate::workspace::decided::Decided,
}

impl<'a> FindingsJson<'a> {
    /// The findings of `a` (with `Passes::Counted`, all but the passing
    /// ones), with their titles from `rules`.
    pub fn new(a: &'a Assessment, rules: &'a RuleSet, passes: Passes) -> FindingsJson<'a> {
        FindingsJson { findings: &a.findings, rules, passes, decided: &a.decided }
    }

    fn written(&self, f: &Finding) -> bool {
        self.passes == Passes::Full || f.status != Status::Pass
    }
}

impl FindingsJson<'_> {
    /// The array, inside `level` open objects and arrays of a document laid
    /// out by [`OnePerLine`] with `pretty` levels: the bytes of
    /// [`Serialize`], each chunk of findings made on a worker thread.
    fn write<W: std::io::Write + ?Sized>(&self, w: &mut W, level: usize, pretty: usize) -> std::io::Result<()> {
        let mut list = Open::array(w, level, pretty)?;
        let separator = chunked::separator(list.level());
        let at = list.level();
        let layout = || OnePerLine::at(at, pretty);
        // Each finding on one line: written by hand (`report::compact`).
        let by_hand = at >= pretty;
        list.elements(self.findings.len(), |range, buf| {
            // The first fields (check, title, controls) are the same for a
            // run of findings of one check: written once per run
            // ([`FindingHead`]), then copied before each finding's others.
            let mut run: Option<(&Finding, Vec<u8>)> = None;
            let mut shared = compact::Shared::default();
            for f in self.findings.get(range).unwrap_or_default().iter().filter(|f| self.written(f)) {
                let head = match &run {
                    Some((first, head)) if first.check == f.check && first.controls == f.controls => head,
                    _ => {
                        let title = title_of(self.rules, f);
                        let mut head = Vec::new();
                        FindingHead { check: f.check.as_str(), title, controls: ControlIds(&f.controls) }.serialize(&mut serde_json::Serializer::with_formatter(&mut head, layout()))?;
                        // Left open: without its `}` and the line break before it.
                        head.pop();
                        while head.last().is_some_and(|b| b.is_ascii_whitespace()) {
                            head.pop();
                        }
                        &run.insert((f, head)).1
                    }
                };
                buf.extend_from_slice(&separator);
                buf.extend_from_slice(head);
                let decision = self.decided.of(f);
                if by_hand {
                    compact::finding_tail(buf, f, decision, &mut shared)?;
                    continue;
                }
                let rest = buf.len();
                FindingTail::with(f, decision).serialize(&mut serde_json::Serializer::with_formatter(&mut *buf, layout()))?;
                // The tail's `{` becomes the `,` after the head's last field.
                if let Some(b) = buf.get_mut(rest) {
                    *b = b',';
                }
            }
            Ok(())
        })?;
        list.end_array()
    }
}

impl Serialize for FindingsJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let len = match self.passes {
            Passes::Full => self.findings.len(),
            Passes::Counted => self.findings.iter().filter(|f| self.written(f)).count(),
        };
        let mut seq = s.serialize_seq(Some(len))?;
        // Findings come in runs of one check (rule order): the title is looked
        // up once per run, not once per finding.
        let mut run: Option<(&CheckId, &str)> = None;
        for f in self.findings.iter().filter(|f| self.written(f)) {
            let title = match run {
                Some((check, title)) if *check == f.check => title,
                _ => {
                    let title = title_of(self.rules, f);
                    run = Some((&f.check, title));
                    title
                }
            };
            seq.serialize_element(&FindingJson::new(f, title).with_decision(self.decided.of(f)))?;
        }
        seq.end()
    }
}

/// The passing findings of an assessment, one entry per check (in the order
/// of the checks' first finding): how many pass, and the id of each passing
/// finding's resource, in the order of the findings. Serialized as it is
/// walked: what it holds is the runs of findings of one check (as many as
/// the checks, in the engine's rule order), not the ids.
#[derive(Debug, Clone)]
pub struct PassedJson<'a> {
    findings: &'a [Finding],
    rules: &'a RuleSet,
    /// Per check with a pass: its runs of findings and its number of passes.
    checks: Vec<(Vec<Range<usize>>, usize)>,
}

impl<'a> PassedJson<'a> {
    /// The passes of `a`, with the checks' titles from `rules`.
    pub fn new(a: &'a Assessment, rules: &'a RuleSet) -> PassedJson<'a> {
        let findings = a.findings.as_slice();
        let mut checks: Vec<(Vec<Range<usize>>, usize)> = Vec::new();
        let mut index: HashMap<&str, usize> = HashMap::new();
        let mut start = 0;
        while let Some(first) = findings.get(start) {
            let len = findings.get(start..).map_or(0, |rest| rest.iter().take_while(|f| f.check == first.check).count());
            let run = start..start + len;
            let passes = findings.get(run.clone()).map_or(0, |fs| fs.iter().filter(|f| f.status == Status::Pass).count());
            if passes > 0 {
                let i = *index.entry(first.check.as_str()).or_insert_with(|| {
                    checks.push((Vec::new(), 0));
                    checks.len() - 1
                });
                if let Some((runs, count)) = checks.get_mut(i) {
                    runs.push(run);
                    *count += passes;
                }
            }
            start += len.max(1);
        }
        PassedJson { findings, rules, checks }
    }
}

impl PassedJson<'_> {
    /// The array, inside `level` open objects and arrays of a document laid
    /// out by [`OnePerLine`] with `pretty` levels: the bytes of
    /// [`Serialize`], each check's passes written by hand when on one line.
    fn write<W: std::io::Write + ?Sized>(&self, w: &mut W, level: usize, pretty: usize) -> std::io::Result<()> {
        let mut list = Open::array(w, level, pretty)?;
        let mut buf = Vec::new();
        for (runs, count) in &self.checks {
            let ids = PassingIds { findings: self.findings, runs };
            let Some(f) = ids.passing().next() else { continue };
            list.entry()?;
            if list.level() < pretty {
                list.value(&PassedCheckJson {
                    check: f.check.as_str(),
                    title: self.rules.rule(f.check.as_str()).map_or("", |r| r.title.as_str()),
                    controls: ControlIds(&f.controls),
                    severity: f.severity.as_str(),
                    count: *count,
                    resources: ids,
                })?;
                continue;
            }
            let title = self.rules.rule(f.check.as_str()).map_or("", |r| r.title.as_str());
            compact::passed_check(&mut *list.w, &mut buf, f, title, *count, ids.passing().map(|f| &*f.resource.id))?;
        }
        list.end_array()
    }
}

impl Serialize for PassedJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.checks.len()))?;
        for (runs, count) in &self.checks {
            let ids = PassingIds { findings: self.findings, runs };
            let Some(f) = ids.passing().next() else { continue };
            seq.serialize_element(&PassedCheckJson {
                check: f.check.as_str(),
                title: title_of(self.rules, f),
                controls: ControlIds(&f.controls),
                severity: f.severity.as_str(),
                count: *count,
                resources: ids,
            })?;
        }
        seq.end()
    }
}

/// The passes of one check.
#[derive(Serialize)]
struct PassedCheckJson<'a> {
    check: &'a str,
    title: &'a str,
    controls: ControlIds<'a>,
    severity: &'static str,
    count: usize,
    resources: PassingIds<'a>,
}

/// The resource ids of the passing findings in `runs`, as an array of strings.
#[derive(Clone, Copy)]
struct PassingIds<'a> {
    findings: &'a [Finding],
    runs: &'a [Range<usize>],
}

impl<'a> PassingIds<'a> {
    fn passing(self) -> impl Iterator<Item = &'a Finding> {
        let findings = self.findings;
        self.runs.iter().filter_map(move |r| findings.get(r.clone())).flatten().filter(|f| f.status == Status::Pass)
    }
}

impl Serialize for PassingIds<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.passing().map(|f| &*f.resource.id))
    }
}

/// One finding.
#[derive(Debug, Serialize)]
pub struct FindingJson<'a> {
    /// Check id.
    pub check: &'a str,
    /// Check title (the secure condition).
    pub title: &'a str,
    /// 27017 control ids.
    pub controls: ControlIds<'a>,
    /// pass | fail | indeterminate.
    pub status: &'static str,
    /// info | low | medium | high | critical.
    pub severity: &'static str,
    /// Resource.
    pub resource: ResourceJson<'a>,
    /// Where in the input.
    pub source: SourceJson<'a>,
    /// Observed values by property (null when absent/unknown).
    pub observed: ObservedJson<'a>,
    /// The conditions, in words.
    pub expected: ExpectedJson<'a>,
    /// Sentence for people.
    pub message: &'a Message,
    /// Why indeterminate.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<&'a str>,
    /// The provider defaults the observed values rest on (left out when none).
    #[serde(skip_serializing_if = "DefaultsJson::is_empty")]
    pub defaults: DefaultsJson<'a>,
    /// For a finding imported from another scanner: the tool's finding
    /// (tool, its check id, status, remediation, resource, pointer into the
    /// imported file), the basis of its controls, and our finding on the same
    /// condition (left out for our own findings).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub imported: Option<&'a crate::ingest::scanners::Origin>,
    /// The workspace's decision on a failing finding (`assess --workspace`;
    /// left out when there is none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decision: Option<DecisionJson<'a>>,
}

/// A decision on a failing finding as the JSON carries it.
#[derive(Debug, Clone, Serialize)]
pub struct DecisionJson<'a> {
    /// `waived` or `risk_accepted`.
    pub kind: &'static str,
    /// The reason, as recorded.
    pub reason: &'a str,
    /// `YYYY-MM-DD`, the first day it no longer holds; null: until revoked.
    pub expires: Option<String>,
    /// True while in force (the failure does not count); false from its
    /// expiry date on (the finding fails again).
    pub in_force: bool,
}

impl<'a> DecisionJson<'a> {
    /// The view of a decision applied to a finding.
    pub fn new(a: crate::workspace::decided::Applied<'a>) -> DecisionJson<'a> {
        DecisionJson { kind: a.decision.kind.as_str(), reason: &a.decision.reason, expires: a.decision.expires.map(|d| d.to_string()), in_force: a.in_force }
    }
}

/// For each evidence entry whose value is a provider default (the input left
/// the setting out): `{prop, default, says, source, verified}` (`verified`
/// null when the table marks the entry unverified).
#[derive(Debug, Clone, Copy)]
pub struct DefaultsJson<'a>(pub &'a [Evidence]);

impl DefaultsJson<'_> {
    /// No evidence entry rests on a default.
    pub fn is_empty(&self) -> bool {
        self.0.iter().all(|e| e.basis().is_none())
    }
}

impl Serialize for DefaultsJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Entry<'e> {
            prop: &'e str,
            default: &'e str,
            says: &'e str,
            source: &'e str,
            verified: Option<&'e str>,
        }
        s.collect_seq(self.0.iter().filter_map(|e| {
            e.basis().map(|d| Entry { prop: e.prop(), default: &d.id, says: &d.says, source: &d.source, verified: d.verified.as_deref() })
        }))
    }
}

impl<'a> FindingJson<'a> {
    /// The view of `f`, whose check is titled `title`.
    pub fn new(f: &'a Finding, title: &'a str) -> FindingJson<'a> {
        FindingJson {
            check: f.check.as_str(),
            title,
            controls: ControlIds(&f.controls),
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
            observed: ObservedJson(&f.evidence),
            expected: ExpectedJson(&f.evidence),
            message: &f.message,
            reason: f.reason.as_deref(),
            defaults: DefaultsJson(&f.evidence),
            imported: f.origin.as_deref(),
            decision: None,
        }
    }
    /// The same, with the decision on the finding.
    pub fn with_decision(mut self, decision: Option<crate::workspace::decided::Applied<'a>>) -> FindingJson<'a> {
        self.decision = decision.map(DecisionJson::new);
        self
    }
}

/// A finding's check title: our rule's, or the imported tool's.
fn title_of<'a>(rules: &'a RuleSet, f: &'a Finding) -> &'a str {
    match rules.rule(f.check.as_str()) {
        Some(r) => r.title.as_str(),
        None => f.imported().map_or("", |i| i.title.as_str()),
    }
}

/// The first fields of a [`FindingJson`], the same for the findings of a check.
#[derive(Serialize)]
struct FindingHead<'a> {
    check: &'a str,
    title: &'a str,
    controls: ControlIds<'a>,
}

/// The other fields of a [`FindingJson`], in its order.
#[derive(Serialize)]
pub(crate) struct FindingTail<'a> {
    status: &'static str,
    severity: &'static str,
    resource: ResourceJson<'a>,
    source: SourceJson<'a>,
    observed: ObservedJson<'a>,
    expected: ExpectedJson<'a>,
    message: &'a Message,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<&'a str>,
    #[serde(skip_serializing_if = "DefaultsJson::is_empty")]
    defaults: DefaultsJson<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    imported: Option<&'a crate::ingest::scanners::Origin>,
    #[serde(skip_serializing_if = "Option::is_none")]
    decision: Option<DecisionJson<'a>>,
}

impl<'a> FindingTail<'a> {
    #[cfg(test)]
    pub(crate) fn new(f: &'a Finding) -> FindingTail<'a> {
        FindingTail::with(f, None)
    }
    pub(crate) fn with(f: &'a Finding, decision: Option<crate::workspace::decided::Applied<'a>>) -> FindingTail<'a> {
        // Every field but the head's, so the two halves are the whole finding.
        let FindingJson { check: _, title: _, controls: _, status, severity, resource, source, observed, expected, message, reason, defaults, imported, decision } =
            FindingJson::new(f, "").with_decision(decision);
        FindingTail { status, severity, resource, source, observed, expected, message, reason, defaults, imported, decision }
    }
}

/// Control ids as an array of strings (written from the ids, not copied:
/// `ControlId`'s own `Serialize` goes through a `String`).
#[derive(Debug, Clone, Copy)]
pub struct ControlIds<'a>(pub &'a [ControlId]);

impl Serialize for ControlIds<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(ControlId::as_str))
    }
}

/// The conditions of a finding's evidence, in words, as an array of strings.
#[derive(Debug, Clone, Copy)]
pub struct ExpectedJson<'a>(pub &'a [Evidence]);

impl Serialize for ExpectedJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(|e| e.expected()))
    }
}

/// The observed values of a finding's evidence as an object keyed by property
/// name (null when absent or unknown), written straight from the evidence.
/// Keys come in byte order and a property evaluated twice keeps its last value:
/// the document was first built with a `serde_json::Map` (a `BTreeMap`), and
/// its bytes are the contract.
#[derive(Debug, Clone, Copy)]
pub struct ObservedJson<'a>(pub &'a [Evidence]);

impl<'a> ObservedJson<'a> {
    /// The evidence with the smallest property name greater than `after` (any,
    /// when `None`); of several with that name, the last. A finding evaluates a
    /// few conditions, so the quadratic walk costs less than sorting a copy.
    fn next_after(&self, after: Option<&str>) -> Option<&'a Evidence> {
        let mut best: Option<&'a Evidence> = None;
        for e in self.0 {
            if after.is_some_and(|a| e.prop() <= a) {
                continue;
            }
            match best {
                Some(b) if e.prop() > b.prop() => {}
                _ => best = Some(e),
            }
        }
        best
    }

    /// The entries in key order.
    pub(crate) fn entries(self) -> impl Iterator<Item = &'a Evidence> {
        let mut last: Option<&'a Evidence> = None;
        std::iter::from_fn(move || {
            let next = self.next_after(last.map(|e| e.prop()))?;
            last = Some(next);
            Some(next)
        })
    }
}

impl Serialize for ObservedJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.entries().count()))?;
        for e in self.entries() {
            map.serialize_entry(e.prop(), &e.observed.as_deref())?;
        }
        map.end()
    }
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
    pub pointer: &'a Pointer,
    /// JSON pointer of the first evaluated attribute, if any.
    pub attribute_pointer: Option<&'a Pointer>,
    /// Line, where known.
    pub line: Option<u32>,
}

/// One control.
#[derive(Debug, Serialize)]
pub struct ControlJson<'a> {
    /// Id.
    pub id: &'a str,
    /// pass | fail | indeterminate | not_applicable.
    pub status: &'static str,
    /// Passing findings.
    pub pass: usize,
    /// Failing findings.
    pub fail: usize,
    /// Indeterminate findings.
    pub indeterminate: usize,
    /// Checks mapped to it.
    pub checks: Vec<&'a str>,
}

/// The document, ready to serialize: it borrows the assessment, and its
/// findings are written as they are walked ([`FindingsJson`], [`PassedJson`]).
pub fn document<'a>(a: &'a Assessment, rules: &'a RuleSet, passes: Passes) -> AssessmentJsonV2<'a> {
    let t = a.tally();
    let count = |s: crate::model::Status| a.controls.iter().filter(|c| c.status == s).count();
    AssessmentJsonV2 {
        format: "iso27017-assessor/assessment",
        version: VERSION,
        tool: ToolJson { name: "iso27017-assessor", version: env!("CARGO_PKG_VERSION") },
        edition: crate::Catalog::bundled().edition().id,
        inputs: a
            .inputs
            .iter()
            .map(|i| InputJson {
                name: &i.name,
                bytes: i.bytes,
                format: i.format.map(|f| f.as_str()),
                resources: i.resources,
                imported: i.imported,
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
        findings: FindingsJson::new(a, rules, passes),
        controls: a
            .controls
            .iter()
            .map(|c| ControlJson {
                id: c.control.as_str(),
                status: c.status.as_str(),
                pass: c.tally.pass,
                fail: c.tally.fail,
                indeterminate: c.tally.indeterminate,
                checks: c.checks.iter().map(CheckId::as_str).collect(),
            })
            .collect(),
        passed: (passes == Passes::Counted).then(|| PassedJson::new(a, rules)),
    }
}

/// Write the document to `w`, one finding at a time. With
/// [`Passes::Full`] it is pretty-printed (version 1's bytes); with
/// [`Passes::Counted`] its fields and the elements of its lists are laid out
/// as pretty-printed, and each element (a finding, an input, a control, the
/// passes of a check) is written on one line, without spaces ([`OnePerLine`]):
/// a third of the bytes less, and one line per finding for `grep`. `w` gets
/// many small writes: give it a buffered writer. An I/O error of `w` comes
/// back as it was (a closed pipe stays `ErrorKind::BrokenPipe`).
pub fn to_writer<W: std::io::Write>(w: W, a: &Assessment, rules: &RuleSet, passes: Passes) -> std::io::Result<()> {
    to_writer_stamped(w, a, rules, passes, None)
}

/// [`to_writer`], with `generated_at` (the time of the assessment, RFC 3339)
/// after `edition` when given: `iso27017 merge` records it as the part's
/// provenance.
pub fn to_writer_stamped<W: std::io::Write>(mut w: W, a: &Assessment, rules: &RuleSet, passes: Passes, generated_at: Option<&str>) -> std::io::Result<()> {
    let doc = document(a, rules, passes);
    let pretty = match passes {
        Passes::Full => usize::MAX,
        Passes::Counted => OnePerLine::PRETTY,
    };
    // The document's fields as `#[derive(Serialize)]` writes them, but the
    // findings: those are made in chunks on worker threads.
    let mut top = Open::object(&mut w, 0, pretty)?;
    top.field("format", doc.format)?;
    top.field("version", &doc.version)?;
    top.field("tool", &doc.tool)?;
    top.field("edition", doc.edition)?;
    if let Some(at) = generated_at {
        top.field("generated_at", at)?;
    }
    top.field("inputs", &doc.inputs)?;
    top.field("summary", &doc.summary)?;
    top.key("findings")?;
    doc.findings.write(top.w, top.level(), pretty)?;
    top.field("controls", &doc.controls)?;
    if let Some(passed) = &doc.passed {
        top.key("passed")?;
        passed.write(top.w, top.level(), pretty)?;
    }
    top.end_object()
}

/// serde_json's pretty layout (two spaces) for the document and its fields'
/// values ([`OnePerLine::PRETTY`] levels of objects and arrays), the compact
/// one inside them: each element of a top-level list on a line of its own.
#[derive(Debug)]
pub struct OnePerLine {
    /// Objects and arrays open around the next token.
    level: usize,
    /// Whether the innermost open object or array has an entry (as serde_json's `PrettyFormatter`).
    has_value: bool,
    /// Levels laid out one entry per line ([`OnePerLine::PRETTY`]; `usize::MAX`:
    /// all, serde_json's `PrettyFormatter` with two spaces).
    pretty: usize,
}

impl Default for OnePerLine {
    fn default() -> Self {
        OnePerLine::at(0, Self::PRETTY)
    }
}

impl OnePerLine {
    /// Levels laid out one entry per line: the document and its fields' values.
    pub const PRETTY: usize = 2;

    /// The layout of a value inside `level` open objects and arrays, the
    /// `pretty` outer levels laid out one entry per line.
    pub fn at(level: usize, pretty: usize) -> OnePerLine {
        OnePerLine { level, has_value: false, pretty }
    }

    fn open<W: ?Sized + std::io::Write>(&mut self, w: &mut W, token: &[u8]) -> std::io::Result<()> {
        self.level += 1;
        self.has_value = false;
        w.write_all(token)
    }

    fn close<W: ?Sized + std::io::Write>(&mut self, w: &mut W, token: &[u8]) -> std::io::Result<()> {
        self.level = self.level.saturating_sub(1);
        if self.level < self.pretty && self.has_value {
            w.write_all(b"\n")?;
            self.indent(w)?;
        }
        w.write_all(token)
    }

    fn entry<W: ?Sized + std::io::Write>(&mut self, w: &mut W, first: bool) -> std::io::Result<()> {
        if self.level <= self.pretty {
            w.write_all(if first { b"\n" } else { b",\n" })?;
            self.indent(w)
        } else if first {
            Ok(())
        } else {
            w.write_all(b",")
        }
    }

    fn indent<W: ?Sized + std::io::Write>(&self, w: &mut W) -> std::io::Result<()> {
        chunked::indent(w, self.level)
    }
}

impl serde_json::ser::Formatter for OnePerLine {
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"[")
    }
    fn end_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"]")
    }
    fn begin_array_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W, first: bool) -> std::io::Result<()> {
        self.entry(w, first)
    }
    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, _w: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
    fn begin_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"{")
    }
    fn end_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"}")
    }
    fn begin_object_key<W: ?Sized + std::io::Write>(&mut self, w: &mut W, first: bool) -> std::io::Result<()> {
        self.entry(w, first)
    }
    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        w.write_all(if self.level <= self.pretty { b": " } else { b":" })
    }
    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, _w: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// The document as text ([`to_writer`] into memory).
pub fn to_string(a: &Assessment, rules: &RuleSet, passes: Passes) -> String {
    let mut out = Vec::new();
    match to_writer(&mut out, a, rules, passes) {
        Ok(()) => String::from_utf8(out).unwrap_or_default(),
        Err(_) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::OnePerLine;
    use serde::Serialize;

    fn laid_out(v: &serde_json::Value) -> String {
        let mut out = Vec::new();
        v.serialize(&mut serde_json::Serializer::with_formatter(&mut out, OnePerLine::default())).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn top_levels_are_pretty_and_each_element_is_one_line() {
        let v = serde_json::json!({
            "version": 2,
            "empty": [],
            "none": {},
            "summary": {"pass": 1, "fail": 0},
            "findings": [{"check": "a", "observed": {"x": [1, {"y": null}]}, "expected": []}, {"check": "b"}],
            "passed": [{"check": "c", "resources": ["r1", "r2"]}]
        });
        let text = laid_out(&v);
        assert_eq!(
            text,
            r#"{
  "empty": [],
  "findings": [
    {"check":"a","expected":[],"observed":{"x":[1,{"y":null}]}},
    {"check":"b"}
  ],
  "none": {},
  "passed": [
    {"check":"c","resources":["r1","r2"]}
  ],
  "summary": {
    "fail": 0,
    "pass": 1
  },
  "version": 2
}"#
        );
        assert_eq!(serde_json::from_str::<serde_json::Value>(&text).unwrap(), v);
        assert_eq!(laid_out(&serde_json::json!([])), "[]");
        assert_eq!(laid_out(&serde_json::json!("x")), "\"x\"");
    }
}
