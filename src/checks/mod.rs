//! Checks: data rules (`rules/<provider>/<id>/rule.toml`, embedded at build
//! time) plus a few native evaluators for joins, evaluated over the
//! normalised inventory.
//!
//! **Invariant:** checks read only canonical kinds and properties
//! (`docs/inventory.md`), never raw export JSON. Every rule has
//! `cases.toml` beside it, run by `tests/checks.rs`.

pub mod eval;
pub mod ops;
pub mod listing;
mod native;
pub mod policy;
pub mod rule;

pub use eval::{Condition, Evidence, EvidenceList, Outcome};
pub use rule::{Logic, Predicate, Rule};

use crate::ingest::util::{split_evenly, worker_threads, FastMap};
use crate::inventory::{Inventory, Provider, Resource, SourceRef, Text};
use crate::model::{CheckId, ControlId, Severity, Status};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::sync::{Arc, Mutex, OnceLock};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/rules_data.rs"));
}

/// Facts the evaluation needs from outside: today's date (for key ages).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Context {
    /// Days since 1970-01-01 (UTC) of the assessment.
    pub today: i64,
}

impl Context {
    /// A context for the given civil date.
    pub fn on(year: i32, month: u32, day: u32) -> Context {
        Context { today: days_from_civil(year, month, day) }
    }
}

/// Days since 1970-01-01 of a civil date (proleptic Gregorian).
pub fn days_from_civil(y: i32, m: u32, d: u32) -> i64 {
    let y = i64::from(y) - i64::from(m <= 2);
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Days since epoch of an ISO-8601 date or date-time (`2024-05-01`, `2024-05-01T10:00:00+00:00`).
pub fn parse_iso_date(s: &str) -> Option<i64> {
    let d = s.get(..10)?;
    let mut it = d.split('-');
    let y: i32 = it.next()?.parse().ok()?;
    let m: u32 = it.next()?.parse().ok()?;
    let day: u32 = it.next()?.parse().ok()?;
    ((1..=12).contains(&m) && (1..=31).contains(&day)).then(|| days_from_civil(y, m, day))
}

/// The resource a finding is about.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResourceRef {
    /// Provider.
    pub provider: Provider,
    /// Canonical kind.
    pub kind: Text,
    /// Native type.
    pub native_type: Text,
    /// Id or address.
    pub id: Text,
    /// Name.
    pub name: Text,
    /// Account, subscription or project, when the input says.
    pub account: Option<Text>,
    /// Where it is in the input.
    pub source: SourceRef,
}

impl From<&Resource> for ResourceRef {
    fn from(r: &Resource) -> Self {
        ResourceRef {
            provider: r.provider,
            kind: r.kind.as_str().into(),
            native_type: r.native_type.as_str().into(),
            id: r.id.clone(),
            name: r.name.clone(),
            account: r.account.clone(),
            source: r.source.clone(),
        }
    }
}

/// The result of one check on one resource.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// Check id.
    pub check: CheckId,
    /// 27017 controls evidenced (shared by every finding of the check).
    pub controls: Arc<[ControlId]>,
    /// Pass / Fail / Indeterminate.
    pub status: Status,
    /// Severity of the check.
    pub severity: Severity,
    /// The resource (shared by every finding about it).
    pub resource: Arc<ResourceRef>,
    /// A sentence for people.
    pub message: Message,
    /// Why it is indeterminate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<Arc<str>>,
    /// The evaluated properties.
    pub evidence: EvidenceList,
    /// For a finding imported from another scanner: the tool's finding, the
    /// basis of its controls, and whether one of our findings judges the same.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<Arc<crate::ingest::scanners::Origin>>,
}

impl Finding {
    /// The imported finding behind this one, if it was imported.
    pub fn imported(&self) -> Option<&crate::ingest::scanners::Imported> {
        self.origin.as_deref().map(|o| &o.finding)
    }
}

/// All checks, loaded once.
#[derive(Debug)]
pub struct RuleSet {
    rules: Vec<Rule>,
    errors: Vec<String>,
}

impl RuleSet {
    /// The checks compiled into this binary.
    pub fn bundled() -> &'static RuleSet {
        static SET: OnceLock<RuleSet> = OnceLock::new();
        SET.get_or_init(|| RuleSet::load(embedded::RULES, Rule::from_json))
    }

    /// The same checks as [`RuleSet::bundled`] without their long texts
    /// (rationale, remediation and control reasons are empty; see
    /// [`Rule::head_from_json`]): what the browser page needs to name,
    /// rank and place findings. The page reads the texts from the guidance
    /// asset (`catalog::prose::CheckTexts`), so its WebAssembly does not
    /// carry them; `tests/checks.rs` proves both sets hold the same checks.
    pub fn bundled_heads() -> &'static RuleSet {
        static SET: OnceLock<RuleSet> = OnceLock::new();
        SET.get_or_init(|| RuleSet::load(embedded::RULE_HEADS, Rule::head_from_json))
    }

    fn load(embedded: &[(&str, &str)], parse: fn(&str) -> Result<Rule, String>) -> RuleSet {
        let mut rules = Vec::new();
        let mut errors = Vec::new();
        for (path, json) in embedded {
            match parse(json) {
                Ok(r) => {
                    if let Logic::Native(n) = &r.logic {
                        if !native::exists(n) {
                            errors.push(format!("{path}: unknown native evaluator {n}"));
                            continue;
                        }
                    }
                    rules.push(r)
                }
                Err(e) => errors.push(format!("{path}: {e}")),
            }
        }
        rules.sort_by(|a, b| a.id.cmp(&b.id));
        RuleSet { rules, errors }
    }
    /// Build a set from given rules (tests).
    pub fn from_rules(rules: Vec<Rule>) -> RuleSet {
        RuleSet { rules, errors: Vec::new() }
    }
    /// The rules, sorted by id.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }
    /// A rule by id.
    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id.as_str() == id)
    }
    /// Rules that failed to load (empty for the bundled set; `tests/checks.rs`).
    pub fn errors(&self) -> &[String] {
        &self.errors
    }
    /// The embedded source paths of the rules (for the fixture harness).
    pub fn embedded_paths() -> impl Iterator<Item = &'static str> {
        embedded::RULES.iter().map(|(p, _)| *p)
    }

    /// Evaluate every rule over the inventory. Findings come in rule order,
    /// then input order; they are made resource by resource (every rule that
    /// reads a resource, while its properties are in the CPU cache), each
    /// into its place in the list. Natively, a large inventory is split into
    /// contiguous parts evaluated on their own threads (the result is the
    /// same: every part writes its own slots).
    pub fn evaluate(&self, inventory: &Inventory, ctx: &Context) -> Vec<Finding> {
        self.evaluate_in_parts(inventory, ctx, worker_threads(inventory.resources.len()))
    }

    /// [`RuleSet::evaluate`] with the inventory in `parts` parts.
    fn evaluate_in_parts(&self, inventory: &Inventory, ctx: &Context, parts: usize) -> Vec<Finding> {
        // The rules that read each kind, in rule order.
        let mut by_kind: FastMap<&str, Vec<usize>> = FastMap::default();
        for (ri, rule) in self.rules.iter().enumerate() {
            let mut kinds: Vec<&str> = rule.kinds.iter().map(String::as_str).collect();
            kinds.sort_unstable();
            kinds.dedup();
            for k in kinds {
                by_kind.entry(k).or_default().push(ri);
            }
        }
        let resources = inventory.resources.as_slice();
        let parts = split_evenly(resources.len(), parts);
        // How many findings each part makes of each rule (exact: the same test
        // decides below).
        let counts: Vec<Vec<usize>> = parts
            .iter()
            .map(|range| {
                let mut counts = vec![0usize; self.rules.len()];
                for r in resources.get(range.clone()).unwrap_or_default() {
                    for &ri in rules_of(&by_kind, r) {
                        if self.rules.get(ri).is_some_and(|rule| rule.reads(r)) {
                            if let Some(c) = counts.get_mut(ri) {
                                *c += 1;
                            }
                        }
                    }
                }
                counts
            })
            .collect();
        let total: usize = counts.iter().flatten().sum();
        let mut slots: Vec<Option<Finding>> = std::iter::repeat_with(|| None).take(total).collect();
        // Each part's slots of each rule: rule by rule, part by part.
        let mut chunks: Vec<Vec<&mut [Option<Finding>]>> = parts.iter().map(|_| Vec::with_capacity(self.rules.len())).collect();
        let mut rest: &mut [Option<Finding>] = &mut slots;
        for ri in 0..self.rules.len() {
            for (part, part_chunks) in counts.iter().zip(chunks.iter_mut()) {
                let n = part.get(ri).copied().unwrap_or(0);
                let Some((head, tail)) = std::mem::take(&mut rest).split_at_mut_checked(n) else { break };
                part_chunks.push(head);
                rest = tail;
            }
        }
        let run = |range: std::ops::Range<usize>, mut chunks: Vec<&mut [Option<Finding>]>| {
            let mut states: Vec<RuleState> = self.rules.iter().map(RuleState::new).collect();
            let mut next = vec![0usize; self.rules.len()];
            let mut observed = eval::Observed::default();
            // Neighbours are often of one kind, whose text is shared: the
            // rules of the last kind are reused when its text is the same.
            let mut last: (*const u8, &[usize]) = (std::ptr::null(), &[]);
            for r in resources.get(range).unwrap_or_default() {
                let mut resource = None;
                let kind = r.kind.as_str();
                if !std::ptr::eq(kind.as_ptr(), last.0) {
                    last = (kind.as_ptr(), rules_of(&by_kind, r));
                }
                for &ri in last.1 {
                    let (Some(rule), Some(state), Some(at), Some(chunk)) = (self.rules.get(ri), states.get_mut(ri), next.get_mut(ri), chunks.get_mut(ri)) else { continue };
                    if rule.reads(r) {
                        if let Some(slot) = chunk.get_mut(*at) {
                            *slot = Some(evaluate_one(rule, state, r, inventory, ctx, &mut resource, &mut observed));
                        }
                        *at += 1;
                    }
                }
            }
        };
        let mut work = parts.into_iter().zip(chunks);
        let first = work.next();
        // The other parts go to threads; the first is evaluated here meanwhile.
        // A part whose thread cannot be started is evaluated here too.
        let others: Vec<Mutex<Option<Part<'_>>>> = work.map(|job| Mutex::new(Some(job))).collect();
        fn take<T>(job: &Mutex<Option<T>>) -> Option<T> {
            job.lock().ok()?.take()
        }
        let run = &run;
        if others.is_empty() {
            // One part (always in WebAssembly): no thread scope at all.
            if let Some((range, chunks)) = first {
                run(range, chunks);
            }
        } else {
            std::thread::scope(|scope| {
                let mut inline = Vec::new();
                for job in &others {
                    let spawned = std::thread::Builder::new().name("iso27017-evaluate".into()).spawn_scoped(scope, move || {
                        if let Some((range, chunks)) = take(job) {
                            run(range, chunks);
                        }
                    });
                    if spawned.is_err() {
                        inline.push(job);
                    }
                }
                if let Some((range, chunks)) = first {
                    run(range, chunks);
                }
                for job in inline {
                    if let Some((range, chunks)) = take(job) {
                        run(range, chunks);
                    }
                }
            });
        }
        // Every slot is filled (the counts above are exact); this reuses the
        // allocation (`Option<Finding>` is the size of a `Finding`).
        #[allow(clippy::filter_map_identity)] // `flatten` would not collect in place
        let out: Vec<Finding> = slots.into_iter().filter_map(|f| f).collect();
        out
    }
}

/// A contiguous part of the inventory and its slots, rule by rule.
type Part<'s> = (std::ops::Range<usize>, Vec<&'s mut [Option<Finding>]>);

/// The rules (indices) that read resources of `r`'s kind.
fn rules_of<'m>(by_kind: &'m FastMap<&str, Vec<usize>>, r: &Resource) -> &'m [usize] {
    by_kind.get(r.kind.as_str()).map(Vec::as_slice).unwrap_or_default()
}

/// A finding's sentence for people. Most are a rule's template with
/// `{resource}` standing for the resource's label; those are kept as the
/// (shared) template and resource and written out when shown, so a finding
/// costs no text allocation of its own.
#[derive(Clone)]
pub struct Message(MessageRepr);

#[derive(Clone)]
enum MessageRepr {
    /// `template` with `{resource}` replaced by the label of `resource`.
    Template { template: Arc<str>, resource: Arc<ResourceRef> },
    /// "`{resource}`: cannot tell from this export whether this holds: `reason`".
    Unknown { resource: Arc<ResourceRef>, reason: Option<Arc<str>> },
    /// Text as given.
    Text(Box<str>),
}

impl Message {
    /// `template` (with `{resource}` placeholders) about `resource`.
    pub fn template(template: Arc<str>, resource: Arc<ResourceRef>) -> Message {
        Message(MessageRepr::Template { template, resource })
    }
    /// The indeterminate sentence about `resource` with `reason` (as
    /// [`push_standard_message`] writes it), written out when shown.
    pub fn unknown(resource: Arc<ResourceRef>, reason: Option<Arc<str>>) -> Message {
        Message(MessageRepr::Unknown { resource, reason })
    }
    /// Is the text equal to `s`? (Compared as it is written out, without
    /// allocating.)
    pub fn eq_str(&self, s: &str) -> bool {
        match &self.0 {
            MessageRepr::Text(t) => **t == *s,
            MessageRepr::Template { .. } | MessageRepr::Unknown { .. } => {
                struct Eat<'s>(&'s str);
                impl fmt::Write for Eat<'_> {
                    fn write_str(&mut self, part: &str) -> fmt::Result {
                        match self.0.strip_prefix(part) {
                            Some(rest) => {
                                self.0 = rest;
                                Ok(())
                            }
                            None => Err(fmt::Error),
                        }
                    }
                }
                let mut eat = Eat(s);
                fmt::write(&mut eat, format_args!("{self}")).is_ok() && eat.0.is_empty()
            }
        }
    }
    /// Is this `template` about the resource `name` / `id`, as
    /// [`Message::template`] made it? (`false` for text given as such, even
    /// if it reads the same.)
    pub fn is_template(&self, template: &str, name: &str, id: &str) -> bool {
        match &self.0 {
            MessageRepr::Template { template: t, resource } => **t == *template && resource.name == name && resource.id == id,
            MessageRepr::Unknown { .. } | MessageRepr::Text(_) => false,
        }
    }
    /// Is the text empty?
    pub fn is_empty(&self) -> bool {
        match &self.0 {
            MessageRepr::Template { template, .. } => template.is_empty(),
            MessageRepr::Unknown { .. } => false,
            MessageRepr::Text(t) => t.is_empty(),
        }
    }
}

impl Message {
    /// Write the text to `out` piece by piece (as `Display` does, without
    /// the formatting machinery: the report writers escape each piece).
    pub fn write_to<W: fmt::Write + ?Sized>(&self, out: &mut W) -> fmt::Result {
        match &self.0 {
            MessageRepr::Text(t) => out.write_str(t),
            MessageRepr::Template { template, resource: r } => write_message(out, template, &r.name, &r.id),
            MessageRepr::Unknown { resource: r, reason } => write_unknown(out, &r.name, &r.id, reason.as_deref()),
        }
    }
}

impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        self.write_to(f)
    }
}

impl fmt::Debug for Message {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        fmt::Debug::fmt(&self.to_string(), f)
    }
}

impl PartialEq for Message {
    fn eq(&self, o: &Message) -> bool {
        self.to_string() == o.to_string()
    }
}

impl From<String> for Message {
    fn from(s: String) -> Self {
        Message(MessageRepr::Text(s.into_boxed_str()))
    }
}

impl From<&str> for Message {
    fn from(s: &str) -> Self {
        Message(MessageRepr::Text(s.into()))
    }
}

impl Serialize for Message {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Message {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(Message::from)
    }
}

/// Append `template` with every `{resource}` replaced by the resource's label:
/// `name (id)`, or just `id` when the name is empty or equals the id.
pub fn push_message(out: &mut String, template: &str, name: &str, id: &str) {
    let named = !(name.is_empty() || name == id);
    let label_len = if named { name.len() + id.len() + 3 } else { id.len() };
    out.reserve(template.len() + label_len);
    // Writing to a String cannot fail.
    let _ = write_message(out, template, name, id);
}

/// [`push_message`] for any writer; [`Message`]'s `Display` uses it too, so
/// stored and shown messages come from one implementation.
fn write_message<W: fmt::Write + ?Sized>(out: &mut W, template: &str, name: &str, id: &str) -> fmt::Result {
    let named = !(name.is_empty() || name == id);
    const PLACEHOLDER: &str = "{resource}";
    let mut rest = template;
    // The next placeholder: found by its first byte (a `str::find` of the
    // whole word sets up a searcher on each call, once per message written).
    let next = |rest: &str| rest.bytes().enumerate().filter(|&(_, b)| b == b'{').map(|(i, _)| i).find(|&i| rest.get(i..).is_some_and(|r| r.starts_with(PLACEHOLDER)));
    while let Some(i) = next(rest) {
        out.write_str(rest.get(..i).unwrap_or(""))?;
        if named {
            out.write_str(name)?;
            out.write_str(" (")?;
            out.write_str(id)?;
            out.write_char(')')?;
        } else {
            out.write_str(id)?;
        }
        rest = rest.get(i + PLACEHOLDER.len()..).unwrap_or("");
    }
    out.write_str(rest)
}

/// Append the sentence [`RuleSet::evaluate`] writes for a finding with
/// `status` about the resource `name` / `id`: the rule's pass or fail
/// template, or (indeterminate, not applicable) the "cannot tell" sentence
/// with `reason`. `rule` is needed only for pass and fail; without it nothing
/// is appended and the result is `false`. Storage uses this to leave out
/// messages it can rebuild.
pub fn push_standard_message(
    out: &mut String,
    rule: Option<&Rule>,
    status: Status,
    name: &str,
    id: &str,
    reason: Option<&str>,
) -> bool {
    match (status, rule) {
        (Status::Pass, Some(rule)) => push_message(out, &rule.message_pass, name, id),
        (Status::Fail, Some(rule)) => push_message(out, &rule.message_fail, name, id),
        (Status::Pass | Status::Fail, None) => return false,
        _ => {
            // Writing to a String cannot fail.
            let _ = write_unknown(out, name, id, reason);
        }
    }
    true
}

/// The "cannot tell" sentence (indeterminate and not applicable findings).
fn write_unknown<W: fmt::Write + ?Sized>(out: &mut W, name: &str, id: &str, reason: Option<&str>) -> fmt::Result {
    write_message(out, "{resource}", name, id)?;
    out.write_str(": cannot tell from this export whether this holds: ")?;
    out.write_str(reason.unwrap_or("value unknown"))
}

/// Evaluate one rule, appending its findings.
pub fn evaluate_rule(rule: &Rule, inventory: &Inventory, ctx: &Context, out: &mut Vec<Finding>) {
    let mut state = RuleState::new(rule);
    let mut observed = eval::Observed::default();
    for r in &inventory.resources {
        if rule.applies_to(r) {
            out.push(evaluate_one(rule, &mut state, r, inventory, ctx, &mut None, &mut observed));
        }
    }
}

/// What the findings of one rule share, made by each thread of an evaluation
/// (its own copies: see `eval::Observed`).
struct RuleState {
    check: CheckId,
    controls: Arc<[ControlId]>,
    pass: Arc<str>,
    fail: Arc<str>,
    texts: eval::Texts,
}

impl RuleState {
    fn new(rule: &Rule) -> RuleState {
        RuleState {
            check: rule.id.as_str().parse().unwrap_or_else(|_| rule.id.clone()),
            controls: Arc::from(rule.controls.as_slice()),
            pass: Arc::from(rule.message_pass.as_str()),
            fail: Arc::from(rule.message_fail.as_str()),
            texts: eval::Texts::default(),
        }
    }
}

/// The finding of `rule` (which applies to it) about `r`. `resource` is the
/// shared reference to `r`, made by the first finding that needs it.
fn evaluate_one<'i>(
    rule: &Rule,
    state: &mut RuleState,
    r: &'i Resource,
    inventory: &'i Inventory,
    ctx: &Context,
    resource: &mut Option<Arc<ResourceRef>>,
    observed: &mut eval::Observed<'i>,
) -> Finding {
    let outcome = match &rule.logic {
        Logic::Predicate(p) => eval::evaluate_cached(p, r, &mut state.texts, observed),
        Logic::Native(name) => native::evaluate(name, r, inventory, ctx),
    };
    let resource = resource
        .get_or_insert_with(|| {
            Arc::new(ResourceRef {
                provider: r.provider,
                kind: observed.text(&r.kind),
                native_type: observed.text(&r.native_type),
                id: r.id.clone(),
                name: r.name.clone(),
                account: r.account.as_ref().map(|a| observed.text(a)),
                source: SourceRef { file: observed.text(&r.source.file), pointer: r.source.pointer.clone(), line: r.source.line },
            })
        })
        .clone();
    let message = match outcome.status {
        Status::Pass => Message::template(state.pass.clone(), resource.clone()),
        Status::Fail => Message::template(state.fail.clone(), resource.clone()),
        _ => Message::unknown(resource.clone(), outcome.reason.clone()),
    };
    Finding {
        check: state.check.clone(),
        controls: state.controls.clone(),
        status: outcome.status,
        severity: rule.severity,
        resource,
        message,
        reason: outcome.reason,
        evidence: outcome.evidence,
        origin: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A large mixed inventory is evaluated in parts on threads: the findings
    /// are exactly those of evaluating each rule on its own, in rule order.
    #[test]
    fn parts_give_the_same_findings_as_one_pass() {
        let kinds = [("object_bucket", "aws_s3_bucket"), ("firewall", "aws_security_group"), ("virtual_machine", "aws_instance"), ("database", "aws_db_instance"), ("kms_key", "aws_kms_key")];
        let mut inventory = Inventory::default();
        for i in 0..9_001usize {
            let (kind, native) = kinds[i % kinds.len()];
            let mut r = Resource {
                provider: if i % 7 == 0 { Provider::Azure } else { Provider::Aws },
                kind: kind.into(),
                native_type: native.into(),
                id: format!("{native}.r{i}").into(),
                name: format!("r{i}").into(),
                region: None,
                account: None,
                source: SourceRef { file: "t.json".into(), pointer: format!("/resource_changes/{i}").into(), line: None },
                props: Default::default(),
            };
            if i % 3 != 0 {
                r.set("encryption_at_rest", i % 2 == 0, format!("/resource_changes/{i}/enc"));
                r.set("versioning", i % 5 == 0, format!("/resource_changes/{i}/ver"));
                r.set("ingress", serde_json::json!([{"protocol": "tcp", "from_port": 22, "to_port": 22, "sources": [if i % 4 == 0 { "0.0.0.0/0" } else { "10.0.0.0/8" }], "action": "allow"}]), format!("/resource_changes/{i}/ingress"));
            } else {
                r.set_unknown("imdsv2_required", "known after apply", format!("/resource_changes/{i}/md"));
            }
            inventory.resources.push(r);
        }
        let ctx = Context::on(2026, 6, 1);
        let rules = RuleSet::bundled();
        let mut want = Vec::new();
        for rule in rules.rules() {
            evaluate_rule(rule, &inventory, &ctx, &mut want);
        }
        assert!(want.len() > 9_001);
        for parts in [1, 2, 3] {
            let got = rules.evaluate_in_parts(&inventory, &ctx, parts);
            assert_eq!(got.len(), want.len(), "{parts} parts");
            for (i, (g, w)) in got.iter().zip(&want).enumerate() {
                assert_eq!(g, w, "{parts} parts, finding {i}");
            }
        }
        assert_eq!(rules.evaluate(&inventory, &ctx).len(), want.len());
        assert_eq!(split_evenly(10, 3), vec![0..3, 3..6, 6..10]);
        assert_eq!(split_evenly(0, 2), vec![0..0, 0..0]);
    }

    #[test]
    fn civil_dates() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11017);
        assert_eq!(parse_iso_date("2024-02-29T10:00:00+00:00"), Some(days_from_civil(2024, 2, 29)));
        assert_eq!(parse_iso_date("N/A"), None);
        assert_eq!(parse_iso_date("2024-13-01"), None);
    }
}
