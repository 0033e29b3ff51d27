//! The cross-format harness of the `consistency_*` suites: the same resource
//! written in every format that carries it must get the same status from
//! every check, and where the plan and the template leave a setting to the
//! provider, both findings must say they rest on its default.

use iso27017::checks::{Context, RuleSet};
use iso27017::engine;
use iso27017::ingest::Limits;
use iso27017::model::Status;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// Check → (status, the evidence names a provider default).
pub type Verdicts = BTreeMap<String, (Status, bool)>;

/// The verdicts on the one resource of `kind` in the document.
pub fn verdicts(name: &str, doc: &Value, kind: &str) -> Verdicts {
    verdicts_on(name, doc, kind, "")
}

/// The verdicts on the one resource of `kind` named `resource` (its name, its
/// id, or the last part of its address); `""`: the one resource of `kind`.
pub fn verdicts_on(name: &str, doc: &Value, kind: &str, resource: &str) -> Verdicts {
    let text = doc.to_string();
    let a = engine::assess_files([(name, text.as_bytes())], &Limits::default(), RuleSet::bundled(), &Context::on(2026, 12, 7));
    if let Some(e) = &a.inputs[0].error {
        panic!("{name}: {e}");
    }
    let is = |id: &str, n: &str| resource.is_empty() || n == resource || id == resource || id.ends_with(&format!(".{resource}"));
    let mut out = BTreeMap::new();
    let mut ids = BTreeSet::new();
    for f in a.findings.iter().filter(|f| f.resource.kind == kind && is(&f.resource.id, &f.resource.name)) {
        ids.insert(f.resource.id.to_string());
        out.insert(f.check.to_string(), (f.status, f.evidence.iter().any(|e| e.basis().is_some())));
    }
    assert_eq!(ids.len(), 1, "{name}: one {kind} {resource} expected, found {ids:?}");
    out
}

/// A scenario's documents and the checks they must agree on: `(check,
/// expected status, the plan and the template — the first two documents —
/// both rest on a default)`; `except`: `(document, check, status)` where a
/// format cannot carry the input.
pub struct Scenario<'a> {
    pub name: &'a str,
    pub kind: &'a str,
    /// See [`verdicts_on`].
    pub resource: &'a str,
    pub docs: Vec<(&'a str, Value)>,
    pub checks: &'a [(&'a str, Status, bool)],
    pub except: &'a [(&'a str, &'a str, Status)],
}

/// Fails with every disagreement of the scenario at once.
pub fn agree(s: &Scenario) {
    let mut problems = Vec::new();
    let all: Vec<(&str, Verdicts)> = s.docs.iter().map(|(n, d)| (*n, verdicts_on(n, d, s.kind, s.resource))).collect();
    for (check, want, flag) in s.checks {
        for (doc, v) in &all {
            let want = s.except.iter().find(|(d, c, _)| d == doc && c == check).map_or(*want, |(_, _, st)| *st);
            match v.get(*check) {
                None => problems.push(format!("{}: {doc} has no {check} finding", s.name)),
                Some((got, _)) if *got != want => problems.push(format!("{}: {doc}: {check} is {}, expected {}", s.name, got.as_str(), want.as_str())),
                _ => {}
            }
        }
        if *flag {
            let flags: Vec<(&str, bool)> = all.iter().take(2).map(|(d, v)| (*d, v.get(*check).is_some_and(|x| x.1))).collect();
            if flags.iter().any(|(_, f)| !f) {
                problems.push(format!("{}: {check} should rest on a provider default in both the plan and the template: {flags:?}", s.name));
            }
        }
    }
    assert!(problems.is_empty(), "{} disagreement(s):\n{}", problems.len(), problems.join("\n"));
}
