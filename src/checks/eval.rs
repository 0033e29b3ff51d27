//! Three-valued evaluation of predicates over one resource's properties.
//!
//! A condition is Pass, Fail or Indeterminate (the value is unknown, or
//! absent and the rule does not say what absence means). `all` fails if any
//! child fails, `any` passes if any child passes; otherwise unknown wins over
//! the remaining result (Kleene logic), so an unknown never turns into a pass.

use super::rule::{Missing, Op, Predicate};
use crate::ingest::defaults::{self, DefaultId};
use crate::ingest::util::{is_open_source, FastMap};
use crate::inventory::{canonical_name, Pointer, PointerCopies, Prop, Resource, Text};
use crate::model::Status;
use serde::{Deserialize, Serialize};
use smallvec::SmallVec;
use serde_json::Value;
use std::sync::Arc;

/// A condition of a check: the property it reads and what it expects, in
/// words. One copy per condition, shared by every finding's evidence.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Condition {
    /// Canonical property name.
    pub prop: Box<str>,
    /// The condition, in words.
    pub expected: Box<str>,
    /// The provider default the observed value rests on (`ingest::defaults`),
    /// when the input left the setting out: evidence entries that read a
    /// default share a copy of their condition that names it.
    pub basis: Option<DefaultId>,
}

/// The evidence entries of one finding: most findings have exactly one,
/// kept inline.
pub type EvidenceList = SmallVec<[Evidence; 1]>;

/// What a finding shows as proof: the property, where it came from, what was
/// seen and what was expected. Serialised flat: `{prop, pointer, observed,
/// expected}`, plus `default` (the token of the provider default the value
/// rests on) when there is one.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(from = "EvidenceJson")]
pub struct Evidence {
    /// The property read and the condition (shared by every finding of the condition).
    pub condition: Arc<Condition>,
    /// JSON pointer of the native attribute (empty if absent).
    pub pointer: Pointer,
    /// Observed value (`None` when absent or unknown); shared by every
    /// finding that reads the same property of the same resource.
    pub observed: Option<Arc<Value>>,
}

impl Evidence {
    /// Evidence of a condition not shared with others.
    pub fn new(prop: &str, expected: &str, pointer: Pointer, observed: Option<Arc<Value>>) -> Evidence {
        Evidence { condition: Arc::new(Condition { prop: prop.into(), expected: expected.into(), basis: None }), pointer, observed }
    }
    /// The provider default the observed value rests on, if the input left
    /// the setting out.
    pub fn basis(&self) -> Option<&'static defaults::ProviderDefault> {
        self.condition.basis.and_then(DefaultId::get)
    }
    /// Canonical property name.
    pub fn prop(&self) -> &str {
        &self.condition.prop
    }
    /// The condition, in words.
    pub fn expected(&self) -> &str {
        &self.condition.expected
    }
}

#[derive(Deserialize)]
struct EvidenceJson {
    prop: String,
    #[serde(default)]
    pointer: Pointer,
    #[serde(default)]
    observed: Option<Arc<Value>>,
    expected: String,
    #[serde(default)]
    default: Option<String>,
}

impl From<EvidenceJson> for Evidence {
    fn from(e: EvidenceJson) -> Evidence {
        let basis = e.default.as_deref().and_then(DefaultId::find);
        Evidence { condition: Arc::new(Condition { prop: e.prop.into(), expected: e.expected.into(), basis }), pointer: e.pointer, observed: e.observed }
    }
}

impl Serialize for Evidence {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let basis = self.condition.basis;
        let mut st = s.serialize_struct("Evidence", 4 + usize::from(basis.is_some()))?;
        st.serialize_field("prop", self.prop())?;
        st.serialize_field("pointer", &self.pointer)?;
        st.serialize_field("observed", &self.observed)?;
        st.serialize_field("expected", self.expected())?;
        if let Some(b) = basis {
            st.serialize_field("default", b.token())?;
        }
        st.end()
    }
}

/// Result of evaluating a predicate on one resource.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// Pass, Fail or Indeterminate.
    pub status: Status,
    /// Conditions evaluated, in order.
    pub evidence: EvidenceList,
    /// Why the result is indeterminate (shared when it is a rule's standard
    /// sentence, e.g. "the export does not state …").
    pub reason: Option<Arc<str>>,
}

/// Evaluate `pred` on `resource`.
pub fn evaluate(pred: &Predicate, resource: &Resource) -> Outcome {
    evaluate_cached(pred, resource, &mut Texts::default(), &mut Observed::default())
}

/// What one thread of an evaluation shares between its findings, valid while
/// the inventory is borrowed: one copy of each kind, type and file name text,
/// of `true`, `false` and `null`, and of each pointer's shared rest. Values
/// and pointers are the inventory's own, but cloning the very same `Arc`s on
/// several threads at once makes them contend for one reference count (with
/// two threads, `lock incq` took about 40 % of the evaluation loop's own
/// samples): each thread clones its own copies instead.
#[derive(Default)]
pub(crate) struct Observed<'i> {
    texts: FastMap<&'i str, Text>,
    common: [Option<Arc<Value>>; 3],
    rests: PointerCopies,
}

impl<'i> Observed<'i> {
    /// This thread's copy of a (kind, native type or file name) text.
    pub(crate) fn text(&mut self, s: &'i str) -> Text {
        self.texts.entry(s).or_insert_with(|| Text::from(s)).clone()
    }
    /// An observed value, from this thread's copies when it is a common one.
    fn value(&mut self, v: &Arc<Value>) -> Arc<Value> {
        let slot = match **v {
            Value::Bool(true) => self.common.get_mut(0),
            Value::Bool(false) => self.common.get_mut(1),
            Value::Null => self.common.get_mut(2),
            _ => None,
        };
        match slot {
            Some(slot) => slot.get_or_insert_with(|| Arc::new((**v).clone())).clone(),
            None => v.clone(),
        }
    }
    /// A pointer, its shared rest from this thread's copies.
    fn pointer(&mut self, p: &Pointer) -> Pointer {
        p.with_rest_from(&mut self.rests)
    }
}

/// The property name and `describe()` text of each condition of one
/// predicate, made once and shared by every evidence entry (keyed by the
/// condition's address; valid while the predicate is borrowed).
#[derive(Default)]
pub(crate) struct Texts {
    items: Vec<(usize, Arc<Condition>, Option<&'static str>)>,
    missing: Vec<(usize, Arc<str>)>,
    /// "{prop} is not known ({reason})", once per condition and reason.
    unknown: Vec<(usize, String, Arc<str>)>,
    /// The condition naming a provider default, once per condition and default.
    based: Vec<(usize, DefaultId, Arc<Condition>)>,
    /// Evidence of the resource being evaluated; each finding gets an exact
    /// copy (short-circuiting `all`/`any` often stop before the last condition).
    scratch: Vec<Evidence>,
}

impl Texts {
    /// The condition, and its property's canonical name (if it has one).
    fn get(&mut self, p: &Predicate, prop: &str, op: Op, value: &Value) -> (Arc<Condition>, Option<&'static str>) {
        let key = p as *const Predicate as usize;
        if let Some((_, c, name)) = self.items.iter().find(|(k, _, _)| *k == key) {
            return (c.clone(), *name);
        }
        let c = Arc::new(Condition { prop: prop.into(), expected: describe(prop, op, value).into(), basis: None });
        let name = canonical_name(prop);
        self.items.push((key, c.clone(), name));
        (c, name)
    }
    /// `c` naming the default `basis`, made once per condition and default.
    fn based(&mut self, p: &Predicate, c: &Arc<Condition>, basis: DefaultId) -> Arc<Condition> {
        let key = p as *const Predicate as usize;
        if let Some((_, _, b)) = self.based.iter().find(|(k, d, _)| *k == key && *d == basis) {
            return b.clone();
        }
        let b = Arc::new(Condition { prop: c.prop.clone(), expected: c.expected.clone(), basis: Some(basis) });
        self.based.push((key, basis, b.clone()));
        b
    }
    /// Record the words of a condition under `not` as the negation (made once).
    fn prime_negated(&mut self, p: &Predicate, prop: &str, op: Op, value: &Value) {
        let key = p as *const Predicate as usize;
        if !self.items.iter().any(|(k, _, _)| *k == key) {
            let c = Arc::new(Condition { prop: prop.into(), expected: describe_negated(prop, op, value).into(), basis: None });
            self.items.push((key, c, canonical_name(prop)));
        }
    }
    /// "{prop} is not known ({reason})", made once per condition and reason.
    fn unknown(&mut self, p: &Predicate, prop: &str, reason: &str) -> Arc<str> {
        let key = p as *const Predicate as usize;
        if let Some((_, _, m)) = self.unknown.iter().find(|(k, r, _)| *k == key && r == reason) {
            return m.clone();
        }
        let m: Arc<str> = Arc::from(format!("{prop} is not known ({reason})"));
        // Reasons are few (a handful of sentences per format); past a bound, not shared.
        if self.unknown.len() < 256 {
            self.unknown.push((key, reason.to_string(), m.clone()));
        }
        m
    }
    /// "the export does not state {prop}", made once per condition.
    fn missing(&mut self, p: &Predicate, prop: &str) -> Arc<str> {
        let key = p as *const Predicate as usize;
        if let Some((_, m)) = self.missing.iter().find(|(k, _)| *k == key) {
            return m.clone();
        }
        let m: Arc<str> = Arc::from(format!("the export does not state {prop}"));
        self.missing.push((key, m.clone()));
        m
    }
}

/// [`evaluate`] with the condition texts shared across resources.
pub(crate) fn evaluate_cached<'i>(pred: &Predicate, resource: &'i Resource, texts: &mut Texts, observed: &mut Observed<'i>) -> Outcome {
    let mut scratch = std::mem::take(&mut texts.scratch);
    let mut reasons = Vec::new();
    let status = eval(pred, resource, &mut scratch, &mut reasons, texts, observed);
    // A finding's evidence list is kept: inline for one entry, else
    // allocated at its exact length.
    let evidence: EvidenceList = scratch.drain(..).collect();
    texts.scratch = scratch;
    let reason = match (status, reasons.len()) {
        (Status::Indeterminate, 1) => reasons.pop(),
        (Status::Indeterminate, n) if n > 1 => Some(Arc::from(reasons.iter().map(|r| &**r).collect::<Vec<&str>>().join("; "))),
        _ => None,
    };
    Outcome { status, evidence, reason }
}

fn eval<'i>(p: &Predicate, r: &'i Resource, ev: &mut Vec<Evidence>, why: &mut Vec<Arc<str>>, texts: &mut Texts, observed: &mut Observed<'i>) -> Status {
    match p {
        Predicate::All(items) => {
            let mut acc = Status::Pass;
            for i in items {
                match eval(i, r, ev, why, texts, observed) {
                    Status::Fail => return Status::Fail,
                    Status::Indeterminate => acc = Status::Indeterminate,
                    _ => {}
                }
            }
            acc
        }
        Predicate::Any(items) => {
            let mut acc = Status::Fail;
            for i in items {
                match eval(i, r, ev, why, texts, observed) {
                    Status::Pass => return Status::Pass,
                    Status::Indeterminate => acc = Status::Indeterminate,
                    _ => {}
                }
            }
            acc
        }
        Predicate::Not(inner) => {
            if let Predicate::Cond { prop, op, value, .. } = &**inner {
                texts.prime_negated(inner, prop, *op, value);
            }
            match eval(inner, r, ev, why, texts, observed) {
            Status::Pass => Status::Fail,
            Status::Fail => Status::Pass,
            other => other,
            }
        }
        Predicate::Cond { prop, op, value, missing } => {
            let (condition, canonical) = texts.get(p, prop, *op, value);
            let found = match canonical {
                Some(name) => r.props.get_canonical(name),
                None => r.prop(prop),
            };
            let (status, observed, pointer) = match found {
                None => {
                    let s = match op {
                        Op::Exists => Status::Fail,
                        Op::NotExists => Status::Pass,
                        _ => match missing {
                            Missing::Fail => Status::Fail,
                            Missing::Pass => Status::Pass,
                            Missing::Unknown => {
                                why.push(texts.missing(p, prop));
                                Status::Indeterminate
                            }
                        },
                    };
                    (s, None, Pointer::default())
                }
                Some(Prop::Unknown { reason, pointer }) => {
                    let s = match op {
                        Op::Exists => Status::Pass,
                        Op::NotExists => Status::Fail,
                        _ => {
                            why.push(texts.unknown(p, prop, reason));
                            Status::Indeterminate
                        }
                    };
                    (s, None, observed.pointer(pointer))
                }
                Some(Prop::Known { value: v, pointer }) => {
                    let (status, at) = match op.judgement() {
                        Some(j) => judge(j, v, pointer, why, prop),
                        None => (compare(*op, v, value, why, prop), None),
                    };
                    let at = at.unwrap_or_else(|| observed.pointer(pointer));
                    if let Some(b) = defaults::basis_of(v) {
                        let condition = texts.based(p, &condition, b);
                        ev.push(Evidence { condition, pointer: at, observed: Some(observed.value(v)) });
                        return status;
                    }
                    (status, Some(observed.value(v)), at)
                }
            };
            ev.push(Evidence { condition, pointer, observed });
            status
        }
    }
}

/// A policy judgement as a condition: Pass when it holds (the evidence then
/// points at the statement that shows it), Fail when it does not,
/// Indeterminate with the reason when the documents do not say.
fn judge(j: super::policy::Judgement, v: &Value, pointer: &Pointer, why: &mut Vec<Arc<str>>, prop: &str) -> (Status, Option<Pointer>) {
    use super::policy::{PolicySet, Verdict};
    match PolicySet::read(v, &pointer.text()).judge(j) {
        Verdict::Holds(at) => (Status::Pass, at.filter(|a| !pointer.eq_str(a)).map(|a| Pointer::from(a.as_str()))),
        Verdict::DoesNot => (Status::Fail, None),
        Verdict::Unknown(reason) => {
            why.push(Arc::from(format!("{prop}: {reason}")));
            (Status::Indeterminate, None)
        }
    }
}

fn as_f64(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn loose_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::String(x), Value::String(y)) => x.eq_ignore_ascii_case(y),
        (Value::Number(_), Value::Number(_)) => as_f64(a) == as_f64(b),
        _ => a == b,
    }
}

/// `TLS1_2`, `TLSv1.2`, `1.2`, `TLS1_2_2019` → [1, 2].
pub fn parse_version(v: &Value) -> Option<Vec<u32>> {
    let s = match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        _ => return None,
    };
    let t = s.to_ascii_lowercase();
    let t = t.trim_start_matches("tlsv").trim_start_matches("tls").trim_start_matches('v').trim_start_matches('_');
    let parts: Vec<u32> = t.split(['.', '_']).take(2).map_while(|p| p.parse().ok()).collect();
    (!parts.is_empty()).then_some(parts)
}

fn compare(op: Op, observed: &Value, expected: &Value, why: &mut Vec<Arc<str>>, prop: &str) -> Status {
    let b = |x: bool| if x { Status::Pass } else { Status::Fail };
    match op {
        Op::Exists => Status::Pass,
        Op::NotExists => Status::Fail,
        Op::Eq => b(loose_eq(observed, expected)),
        Op::Ne => b(!loose_eq(observed, expected)),
        Op::In => b(expected.as_array().is_some_and(|a| a.iter().any(|e| loose_eq(observed, e)))),
        Op::NotIn => b(!expected.as_array().is_some_and(|a| a.iter().any(|e| loose_eq(observed, e)))),
        Op::Gte | Op::Lte => match (as_f64(observed), as_f64(expected)) {
            (Some(o), Some(e)) => b(if op == Op::Gte { o >= e } else { o <= e }),
            _ => {
                why.push(Arc::from(format!("{prop} is not a number ({observed})")));
                Status::Indeterminate
            }
        },
        Op::Empty => b(match observed {
            Value::Null => true,
            Value::Array(a) => a.is_empty(),
            Value::String(s) => s.is_empty(),
            Value::Object(o) => o.is_empty(),
            _ => false,
        }),
        Op::NotEmpty => b(match observed {
            Value::Array(a) => !a.is_empty(),
            Value::String(s) => !s.is_empty(),
            Value::Object(o) => !o.is_empty(),
            Value::Null => false,
            _ => true,
        }),
        Op::VersionGte => match (parse_version(observed), parse_version(expected)) {
            (Some(o), Some(e)) => b(o >= e),
            _ => {
                why.push(Arc::from(format!("{prop} is not a version ({observed})")));
                Status::Indeterminate
            }
        },
        Op::ContainsAll | Op::ContainsNone | Op::SubsetOf => {
            let Some(items) = observed.as_array() else {
                why.push(Arc::from(format!("{prop} is not a list ({observed})")));
                return Status::Indeterminate;
            };
            let wanted = expected.as_array().map(Vec::as_slice).unwrap_or_default();
            let has = |w: &Value| items.iter().any(|i| loose_eq(i, w));
            b(match op {
                Op::ContainsAll => wanted.iter().all(has),
                Op::ContainsNone => !wanted.iter().any(has),
                _ => items.iter().all(|i| wanted.iter().any(|w| loose_eq(i, w))),
            })
        }
        Op::NoOpenIngress => no_open_ingress(observed, expected, why),
        Op::NoIamGrant => super::ops::no_iam_grant(observed, expected, why, prop),
        Op::EntryIn => super::ops::entry_in(observed, expected, why, prop),
        Op::NoneMatch => super::ops::none_match(observed, expected, why, prop),
        // Judged in `judge` before `compare` is reached.
        _ => Status::Indeterminate,
    }
}

/// Ports of `wanted` (or any port for `"any"`) opened to the internet by an allow rule?
fn no_open_ingress(rules: &Value, wanted: &Value, why: &mut Vec<Arc<str>>) -> Status {
    let Some(rules) = rules.as_array() else {
        why.push(Arc::from("ingress is not a list of rules"));
        return Status::Indeterminate;
    };
    let ports: Option<Vec<u16>> = match wanted {
        Value::String(s) if s == "any" => None,
        Value::Array(a) => Some(a.iter().filter_map(|p| p.as_u64().and_then(|p| u16::try_from(p).ok())).collect()),
        _ => None,
    };
    // `{ except = [80, 443] }`: any open port outside the list is a failure.
    let except: Option<Vec<u64>> = wanted.get("except").and_then(Value::as_array).map(|a| a.iter().filter_map(Value::as_u64).collect());
    let entries: Vec<Entry> = rules.iter().map(Entry::read).collect();
    let mut unknown = false;
    for rule in entries.iter().filter(|e| !e.deny) {
        let open = match rule.sources {
            Some(s) => s.iter().any(|x| x.as_str().is_some_and(is_open_source)),
            None => {
                unknown = true;
                false
            }
        };
        if !open || rule.icmp {
            continue;
        }
        let Some((from, to)) = rule.ports else {
            unknown = true;
            continue;
        };
        // Ports of the range no earlier rule denies to the whole internet
        // (Azure NSG and GCP firewall rules apply in priority order).
        let open_ports = unshadowed(from, to, rule.priority, &entries);
        let hit = match (&except, &ports) {
            // A port outside the allowed list is open unless every open port is listed.
            (Some(allowed), _) => {
                let count = open_ports.iter().fold(0u64, |n, (f, t)| n.saturating_add((t - f).saturating_add(1)));
                let listed = allowed.iter().filter(|p| open_ports.iter().any(|&(f, t)| (f..=t).contains(*p))).count() as u64;
                count > listed
            }
            (None, None) => !open_ports.is_empty(),
            (None, Some(ps)) => ps.iter().any(|p| open_ports.iter().any(|&(f, t)| (f..=t).contains(&u64::from(*p)))),
        };
        if hit {
            return Status::Fail;
        }
    }
    // No single rule opens a wanted port to the whole internet; several can
    // together (0.0.0.0/1 + 128.0.0.0/1, in one rule or in two).
    if split_ranges_open(&entries, ports.as_deref(), except.as_deref()) {
        return Status::Fail;
    }
    if unknown {
        why.push(Arc::from("some ingress rules have unknown sources or ports"));
        Status::Indeterminate
    } else {
        Status::Pass
    }
}

/// One ingress entry as the firewall checks read it (`docs/inventory.md`):
/// read once per evaluation, then looked at by every step.
struct Entry<'v> {
    deny: bool,
    /// ICMP has no ports and is never counted as open.
    icmp: bool,
    /// First and last port; protocol `all` without ports is 0–65535; `None`
    /// when a port protocol gives none (unknown).
    ports: Option<(u64, u64)>,
    priority: Option<i64>,
    /// `None` when the entry does not say (unknown).
    sources: Option<&'v [Value]>,
}

impl<'v> Entry<'v> {
    fn read(rule: &'v Value) -> Entry<'v> {
        let protocol = rule.get("protocol").and_then(Value::as_str).unwrap_or("all");
        let ports = match (rule.get("from_port").and_then(Value::as_u64), rule.get("to_port").and_then(Value::as_u64)) {
            (Some(f), Some(t)) => Some((f, t)),
            _ if protocol.eq_ignore_ascii_case("all") => Some((0, 65_535)),
            _ => None,
        };
        Entry {
            deny: rule.get("action").and_then(Value::as_str).is_some_and(|a| a.eq_ignore_ascii_case("deny")),
            icmp: protocol.eq_ignore_ascii_case("icmp"),
            ports,
            priority: rule.get("priority").and_then(Value::as_i64),
            sources: rule.get("sources").and_then(Value::as_array).map(Vec::as_slice),
        }
    }
}

/// The parts of ports `from..=to` that no deny rule of a higher priority
/// (a lower number; a tie goes to the deny, as in GCP) closes to the whole
/// internet. Rules without a priority (AWS security groups) shadow nothing.
fn unshadowed(from: u64, to: u64, priority: Option<i64>, entries: &[Entry]) -> Vec<(u64, u64)> {
    // Every range kept here has start ≤ end (a reversed rule opens nothing).
    let mut open: Vec<(u64, u64)> = (from <= to).then_some((from, to)).into_iter().collect();
    let Some(priority) = priority else { return open };
    for deny in entries.iter().take(4_096) {
        let earlier = deny.priority.is_some_and(|p| p <= priority);
        let everyone = deny.sources.is_some_and(|s| s.iter().any(|x| x.as_str().is_some_and(is_open_source)));
        let (true, true, true, false, Some((df, dt))) = (deny.deny, earlier, everyone, deny.icmp, deny.ports) else { continue };
        open = open
            .into_iter()
            .flat_map(|(f, t)| {
                let below = (f < df).then(|| (f, t.min(df.saturating_sub(1))));
                let above = (t > dt).then(|| (f.max(dt.saturating_add(1)), t));
                below.into_iter().chain(above).filter(|(a, b)| a <= b)
            })
            .collect();
        if open.is_empty() {
            break;
        }
    }
    open
}

/// Do the allow rules' source ranges together cover all IPv4 or all IPv6
/// addresses for some port that must not be open? Ports tried: the wanted
/// ones, or (any port / all but `except`) each rule's first port. Bounded:
/// at most 4,096 rules and 64 ports are compared (beyond, single rules only).
fn split_ranges_open(entries: &[Entry], ports: Option<&[u16]>, except: Option<&[u64]>) -> bool {
    let allowing = || entries.iter().take(4_096).filter(|e| !e.deny && !e.icmp);
    // Cheap reject first: the allow rules' ranges must add up to at least a
    // whole address space (sizes from the prefix lengths alone).
    let (mut v4, mut v6) = (0u128, 0u128);
    for rule in allowing() {
        for src in rule.sources.unwrap_or_default() {
            let Some((addr, len)) = src.as_str().and_then(|s| s.split_once('/')) else { continue };
            let Ok(len) = len.trim().parse::<u32>() else { continue };
            if addr.contains(':') {
                v6 = v6.saturating_add(1u128.checked_shl(128u32.saturating_sub(len)).unwrap_or(u128::MAX));
            } else {
                v4 = v4.saturating_add(1u128.checked_shl(32u32.saturating_sub(len)).unwrap_or(u128::MAX));
            }
        }
    }
    if v4 < 1u128 << 32 && v6 != u128::MAX {
        return false;
    }
    struct Allow {
        /// Its ports no earlier deny closes.
        open: Vec<(u64, u64)>,
        v4: Vec<(u128, u128)>,
        v6: Vec<(u128, u128)>,
    }
    let mut allows = Vec::new();
    for rule in allowing() {
        let Some((from, to)) = rule.ports else { continue };
        let (mut v4, mut v6) = (Vec::new(), Vec::new());
        for src in rule.sources.unwrap_or_default() {
            match src.as_str().and_then(cidr_range) {
                Some((false, lo, hi)) => v4.push((lo, hi)),
                Some((true, lo, hi)) => v6.push((lo, hi)),
                None => {}
            }
        }
        let open = unshadowed(from, to, rule.priority, entries);
        if (!v4.is_empty() || !v6.is_empty()) && !open.is_empty() {
            allows.push(Allow { open, v4, v6 });
        }
    }
    if allows.len() < 2 && allows.iter().all(|a| a.v4.len() < 2 && a.v6.len() < 2) {
        return false;
    }
    let candidates: Vec<u64> = match (ports, except) {
        (Some(ps), None) => ps.iter().map(|p| u64::from(*p)).collect(),
        // The first port of each open range that is not allowed.
        (_, Some(allowed)) => allows
            .iter()
            .flat_map(|a| a.open.iter())
            .filter_map(|&(f, t)| {
                let mut p = f;
                while p <= t && allowed.contains(&p) {
                    p = p.checked_add(1)?;
                }
                (p <= t).then_some(p)
            })
            .collect(),
        (None, None) => allows.iter().flat_map(|a| a.open.iter().map(|&(f, _)| f)).collect(),
    };
    let mut candidates = candidates;
    candidates.sort_unstable();
    candidates.dedup();
    candidates.into_iter().take(64).any(|port| {
        let covering = || allows.iter().filter(move |a| a.open.iter().any(|&(f, t)| (f..=t).contains(&port)));
        covers(covering().flat_map(|a| a.v4.iter().copied()).collect(), u128::from(u32::MAX))
            || covers(covering().flat_map(|a| a.v6.iter().copied()).collect(), u128::MAX)
    })
}

/// `a.b.c.d/n` or an IPv6 CIDR → (is IPv6, first, last address).
fn cidr_range(s: &str) -> Option<(bool, u128, u128)> {
    let (addr, len) = s.trim().split_once('/')?;
    let len: u32 = len.trim().parse().ok()?;
    if let Ok(a) = addr.parse::<core::net::Ipv4Addr>() {
        if len > 32 {
            return None;
        }
        let lo = u128::from(u32::from(a)) & !(u128::from(u32::MAX) >> len);
        return Some((false, lo, lo | (u128::from(u32::MAX) >> len)));
    }
    let a = addr.parse::<core::net::Ipv6Addr>().ok()?;
    if len > 128 {
        return None;
    }
    let host = u128::MAX.checked_shr(len).unwrap_or(0);
    let lo = u128::from(a) & !host;
    Some((true, lo, lo | host))
}

/// Do the ranges cover `0..=max` completely?
fn covers(mut ranges: Vec<(u128, u128)>, max: u128) -> bool {
    ranges.sort_unstable();
    let mut next = 0u128; // first address not yet covered
    for (lo, hi) in ranges {
        if lo > next {
            return false;
        }
        if hi >= max {
            return true;
        }
        next = next.max(hi + 1);
    }
    false
}

/// The words of `not (condition)`.
fn describe_negated(prop: &str, op: Op, value: &Value) -> String {
    match op {
        Op::PolicyAllowsAdmin => format!("{prop} do not allow every action on every resource"),
        Op::PolicyAllowsPublic => format!("{prop} do not allow anyone without a restricting condition"),
        Op::PolicyDeniesInsecureTransport => format!("{prop} has no deny of requests without TLS"),
        Op::PolicyAllowsPrivilegeEscalation => format!("{prop} allow no privilege-escalation method"),
        Op::PolicyAllowsPassRoleOnAll => format!("{prop} do not allow iam:PassRole on every resource"),
        Op::PolicyAllowsPermissionsManagementOnAll => format!("{prop} allow no permissions-management action on every resource"),
        Op::PolicyAllowsExfiltrationOnAll => format!("{prop} allow no data-reading action (s3:GetObject, kms:Decrypt, …) on every resource"),
        Op::PolicyAllowsWriteOnAll => format!("{prop} allow no write or permissions-management action (s3:PutObject, ec2:TerminateInstances, iam:PutRolePolicy, …) on every resource"),
        _ => format!("not: {}", describe(prop, op, value)),
    }
}

fn describe(prop: &str, op: Op, value: &Value) -> String {
    if let Some(words) = super::ops::describe(prop, op, value) {
        return words;
    }
    match op {
        Op::PolicyAllowsAdmin => format!("{prop} allow every action on every resource"),
        Op::PolicyAllowsPublic => format!("{prop} allow anyone without a restricting condition"),
        Op::PolicyDeniesInsecureTransport => format!("{prop} denies every S3 request made without TLS on the bucket and its objects"),
        Op::PolicyAllowsPrivilegeEscalation => format!("{prop} allow a privilege-escalation method"),
        Op::PolicyAllowsPassRoleOnAll => format!("{prop} allow iam:PassRole on every resource"),
        Op::PolicyAllowsPermissionsManagementOnAll => format!("{prop} allow a permissions-management action on every resource"),
        Op::PolicyAllowsExfiltrationOnAll => format!("{prop} allow a data-reading action (s3:GetObject, kms:Decrypt, …) on every resource"),
        Op::PolicyAllowsWriteOnAll => format!("{prop} allow a write or permissions-management action (s3:PutObject, ec2:TerminateInstances, iam:PutRolePolicy, …) on every resource"),
        Op::Exists => format!("{prop} is set"),
        Op::NotExists => format!("{prop} is not set"),
        Op::Eq => format!("{prop} = {value}"),
        Op::Ne => format!("{prop} ≠ {value}"),
        Op::In => format!("{prop} in {value}"),
        Op::NotIn => format!("{prop} not in {value}"),
        Op::Gte => format!("{prop} ≥ {value}"),
        Op::Lte => format!("{prop} ≤ {value}"),
        Op::Empty => format!("{prop} is empty"),
        Op::NotEmpty => format!("{prop} is not empty"),
        Op::VersionGte => format!("{prop} ≥ version {value}"),
        Op::ContainsAll => format!("{prop} includes all of {value}"),
        Op::ContainsNone => format!("{prop} includes none of {value}"),
        Op::SubsetOf => format!("every element of {prop} is one of {value}"),
        Op::NoOpenIngress => match value {
            Value::String(_) => "no inbound access from the internet".to_string(),
            Value::Object(o) => format!("only ports {} open to the internet", o.get("except").unwrap_or(&Value::Null)),
            _ => format!("ports {value} not open to the internet"),
        },
        Op::NoIamGrant | Op::EntryIn | Op::NoneMatch => format!("{prop} {op:?} {value}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::{Provider, SourceRef};
    use serde_json::json;

    /// Evidence is serialised flat, with its condition's words and its
    /// pointer's whole text, and reads back equal.
    #[test]
    fn evidence_serialises_flat_and_round_trips() {
        let base = Pointer::from("/resource_changes/7");
        let e = Evidence::new("versioning", "versioning is true", Pointer::within(&base, "/resource_changes/7/change/after/versioning"), Some(Arc::new(json!(false))));
        let text = serde_json::to_value(&e).unwrap();
        assert_eq!(
            text,
            json!({"prop": "versioning", "pointer": "/resource_changes/7/change/after/versioning", "observed": false, "expected": "versioning is true"})
        );
        let back: Evidence = serde_json::from_value(text).unwrap();
        assert_eq!(back, e);
        assert_eq!(back.pointer.as_whole(), Some("/resource_changes/7/change/after/versioning"));
    }

    /// A value that rests on a provider default: the evidence names it (one
    /// shared condition per default), serialises its token, and reads back.
    #[test]
    fn evidence_names_the_default_it_rests_on() {
        let mut r = res(json!({}));
        let p = crate::ingest::defaults::prop("s3_versioning_off", "versioning", "/p").expect("listed");
        r.props.insert("versioning", p);
        let o = evaluate(&cond("versioning", Op::Eq, json!(true)), &r);
        assert_eq!(o.status, Status::Fail);
        let e = &o.evidence[0];
        assert_eq!(e.basis().map(|d| d.id.as_str()), Some("s3_versioning_off"));
        let text = serde_json::to_value(e).unwrap();
        assert_eq!(text["default"], json!("s3_versioning_off"));
        let back: Evidence = serde_json::from_value(text).unwrap();
        assert_eq!(back, *e);
        // The same value observed in an input names nothing.
        let o = evaluate(&cond("versioning", Op::Eq, json!(true)), &res(json!({"versioning": false})));
        assert!(o.evidence[0].basis().is_none());
        assert!(serde_json::to_value(&o.evidence[0]).unwrap().get("default").is_none());
    }

    fn res(props: Value) -> Resource {
        let mut r = Resource {
            provider: Provider::Aws,
            kind: "x".into(),
            native_type: "x".into(),
            id: "r".into(),
            name: "r".into(),
            region: None,
            account: None,
            source: SourceRef { file: "f".into(), pointer: String::new().into(), line: None },
            props: Default::default(),
        };
        if let Value::Object(o) = props {
            for (k, v) in o {
                if v == json!("?") {
                    r.set_unknown(&k, "known after apply", "/p");
                } else {
                    r.set(&k, v, "/p");
                }
            }
        }
        r
    }

    fn cond(prop: &str, op: Op, value: Value) -> Predicate {
        Predicate::Cond { prop: prop.into(), op, value, missing: Missing::Unknown }
    }

    #[test]
    fn three_valued_logic() {
        let p = Predicate::All(vec![cond("a", Op::Eq, json!(true)), cond("b", Op::Gte, json!(7))]);
        assert_eq!(evaluate(&p, &res(json!({"a": true, "b": 7}))).status, Status::Pass);
        assert_eq!(evaluate(&p, &res(json!({"a": true, "b": 1}))).status, Status::Fail);
        let o = evaluate(&p, &res(json!({"a": true, "b": "?"})));
        assert_eq!(o.status, Status::Indeterminate);
        assert!(o.reason.unwrap().contains("known after apply"));
        assert_eq!(evaluate(&p, &res(json!({"a": false, "b": "?"}))).status, Status::Fail);
        assert_eq!(evaluate(&p, &res(json!({"b": 9}))).status, Status::Indeterminate);
        let any = Predicate::Any(vec![cond("a", Op::Eq, json!(true)), cond("b", Op::Eq, json!(1))]);
        assert_eq!(evaluate(&any, &res(json!({"a": "?", "b": 1}))).status, Status::Pass);
        let not = Predicate::Not(Box::new(cond("a", Op::Eq, json!(true))));
        assert_eq!(evaluate(&not, &res(json!({"a": false}))).status, Status::Pass);
    }

    #[test]
    fn versions_and_ingress() {
        let p = cond("tls", Op::VersionGte, json!("1.2"));
        assert_eq!(evaluate(&p, &res(json!({"tls": "TLS1_2"}))).status, Status::Pass);
        assert_eq!(evaluate(&p, &res(json!({"tls": "TLS1_0"}))).status, Status::Fail);
        assert_eq!(evaluate(&p, &res(json!({"tls": "TLSv1.3"}))).status, Status::Pass);
        let ssh = cond("ingress", Op::NoOpenIngress, json!([22, 3389]));
        let open = json!({"ingress": [{"protocol": "tcp", "from_port": 0, "to_port": 1024, "sources": ["0.0.0.0/0"], "action": "allow"}]});
        assert_eq!(evaluate(&ssh, &res(open)).status, Status::Fail);
        let denied = json!({"ingress": [{"protocol": "tcp", "from_port": 22, "to_port": 22, "sources": ["0.0.0.0/0"], "action": "deny"}]});
        assert_eq!(evaluate(&ssh, &res(denied)).status, Status::Pass);
        let internal = json!({"ingress": [{"protocol": "all", "sources": ["10.0.0.0/8"], "action": "allow"}]});
        assert_eq!(evaluate(&ssh, &res(internal)).status, Status::Pass);
        let web = json!({"ingress": [{"protocol": "tcp", "from_port": 443, "to_port": 443, "sources": ["::/0"], "action": "allow"}]});
        assert_eq!(evaluate(&ssh, &res(web.clone())).status, Status::Pass);
        assert_eq!(evaluate(&cond("ingress", Op::NoOpenIngress, json!("any")), &res(web)).status, Status::Fail);
        let web_only = cond("ingress", Op::NoOpenIngress, json!({"except": [80, 443]}));
        let exact = json!({"ingress": [{"protocol": "tcp", "from_port": 443, "to_port": 443, "sources": ["0.0.0.0/0"], "action": "allow"}]});
        assert_eq!(evaluate(&web_only, &res(exact)).status, Status::Pass);
        let around = json!({"ingress": [{"protocol": "tcp", "from_port": 442, "to_port": 444, "sources": ["0.0.0.0/0"], "action": "allow"}]});
        assert_eq!(evaluate(&web_only, &res(around)).status, Status::Fail);
        // Priorities: a deny of the internet that applies first closes the port.
        let nsg = |deny_priority: i64| json!({"ingress": [
            {"protocol": "tcp", "from_port": 0, "to_port": 1000, "sources": ["0.0.0.0/0"], "action": "deny", "priority": deny_priority},
            {"protocol": "tcp", "from_port": 22, "to_port": 22, "sources": ["0.0.0.0/0"], "action": "allow", "priority": 200}]});
        assert_eq!(evaluate(&ssh, &res(nsg(100))).status, Status::Pass, "denied first");
        assert_eq!(evaluate(&ssh, &res(nsg(200))).status, Status::Pass, "a tie goes to the deny");
        assert_eq!(evaluate(&ssh, &res(nsg(300))).status, Status::Fail, "allowed first");
        let partly = json!({"ingress": [
            {"protocol": "tcp", "from_port": 0, "to_port": 4000, "sources": ["0.0.0.0/0"], "action": "deny", "priority": 100},
            {"protocol": "all", "sources": ["0.0.0.0/0"], "action": "allow", "priority": 200}]});
        assert_eq!(evaluate(&ssh, &res(partly.clone())).status, Status::Pass);
        assert_eq!(evaluate(&cond("ingress", Op::NoOpenIngress, json!("any")), &res(partly.clone())).status, Status::Fail, "4001 and up stay open");
        assert_eq!(evaluate(&web_only, &res(partly)).status, Status::Fail, "ports above 4000 are open too");
        let office_deny = json!({"ingress": [
            {"protocol": "tcp", "from_port": 22, "to_port": 22, "sources": ["203.0.113.0/24"], "action": "deny", "priority": 100},
            {"protocol": "tcp", "from_port": 22, "to_port": 22, "sources": ["0.0.0.0/0"], "action": "allow", "priority": 200}]});
        assert_eq!(evaluate(&ssh, &res(office_deny)).status, Status::Fail, "a narrower deny does not close the port");
        // Reversed and huge port numbers (found by fuzzing): no overflow.
        let odd = json!({"ingress": [
            {"protocol": "tcp", "from_port": 500, "to_port": 20, "sources": ["0.0.0.0/0"], "action": "allow", "priority": 200},
            {"protocol": "tcp", "from_port": 0, "to_port": u64::MAX, "sources": ["0.0.0.0/0"], "action": "allow", "priority": 300},
            {"protocol": "tcp", "from_port": 0, "to_port": u64::MAX, "sources": ["0.0.0.0/0"], "action": "deny", "priority": 100}]});
        assert_eq!(evaluate(&web_only, &res(odd.clone())).status, Status::Pass);
        assert_eq!(evaluate(&ssh, &res(odd)).status, Status::Pass);
        // Split ranges: together they are the whole internet.
        let split = json!({"ingress": [{"protocol": "tcp", "from_port": 22, "to_port": 22, "sources": ["0.0.0.0/1", "128.0.0.0/1"], "action": "allow"}]});
        assert_eq!(evaluate(&ssh, &res(split)).status, Status::Fail);
        let split_rules = json!({"ingress": [
            {"protocol": "tcp", "from_port": 0, "to_port": 100, "sources": ["0.0.0.0/1"], "action": "allow"},
            {"protocol": "tcp", "from_port": 22, "to_port": 22, "sources": ["128.0.0.0/2", "192.0.0.0/2"], "action": "allow"}]});
        assert_eq!(evaluate(&ssh, &res(split_rules)).status, Status::Fail);
        let half = json!({"ingress": [
            {"protocol": "tcp", "from_port": 22, "to_port": 22, "sources": ["0.0.0.0/1"], "action": "allow"},
            {"protocol": "tcp", "from_port": 443, "to_port": 443, "sources": ["128.0.0.0/1"], "action": "allow"}]});
        assert_eq!(evaluate(&ssh, &res(half.clone())).status, Status::Pass, "different ports do not add up");
        assert_eq!(evaluate(&cond("ingress", Op::NoOpenIngress, json!("any")), &res(half)).status, Status::Pass);
        let gap = json!({"ingress": [{"protocol": "tcp", "from_port": 22, "to_port": 22, "sources": ["0.0.0.0/1", "128.0.0.0/2", "224.0.0.0/3"], "action": "allow"}]});
        assert_eq!(evaluate(&ssh, &res(gap)).status, Status::Pass, "192.0.0.0/3 is missing");
        let v6 = json!({"ingress": [{"protocol": "all", "sources": ["::/1", "8000::/1"], "action": "allow"}]});
        assert_eq!(evaluate(&ssh, &res(v6)).status, Status::Fail);
        assert_eq!(cidr_range("10.1.2.3/8"), Some((false, 0x0A00_0000, 0x0AFF_FFFF)));
        assert_eq!(cidr_range("::/0"), Some((true, 0, u128::MAX)));
        assert_eq!(cidr_range("1.2.3.4/33"), None);
        let all = cond("t", Op::ContainsAll, json!(["A", "B"]));
        assert_eq!(evaluate(&all, &res(json!({"t": ["b", "a", "c"]}))).status, Status::Pass);
        assert_eq!(evaluate(&all, &res(json!({"t": ["a"]}))).status, Status::Fail);
        let none = cond("m", Op::ContainsNone, json!(["allUsers"]));
        assert_eq!(evaluate(&none, &res(json!({"m": ["user:a@b.c"]}))).status, Status::Pass);
        assert_eq!(evaluate(&none, &res(json!({"m": ["allUsers"]}))).status, Status::Fail);
    }
}
