//! The assessment: inputs → findings → per-check and per-control results.
//! Pure and deterministic: the same inputs, rules and date give the same
//! assessment (the browser app and the CLI share it).
//!
//! **Control roll-up rule** (shown to users): a control's automated result
//! combines the results of every check mapped to it over every resource it
//! applies to. Any failure → Fail; otherwise any unknown → Unknown; otherwise
//! any pass → Pass; no resource in scope → Not applicable (no automated
//! evidence: the control needs a manual attestation).
//!
//! **Invariant:** no I/O; callers read files and hand over bytes.

use crate::checks::{Context, Finding, RuleSet};
use crate::ingest::scanners::{self, mapping::UserMapping, Imported};
use crate::ingest::{self, Format, IngestError, Limits};
use crate::inventory::{Diagnostic, Inventory};
use crate::model::{CheckId, ControlId, Severity, Status};
use crate::Catalog;
use crate::workspace::decided::Decided;
use std::collections::{BTreeMap, HashMap};

/// What happened to one input.
#[derive(Debug, Clone, PartialEq)]
pub struct InputReport {
    /// Name as given (file name).
    pub name: String,
    /// Size in bytes.
    pub bytes: u64,
    /// Detected format (None if unusable).
    pub format: Option<Format>,
    /// Resources read.
    pub resources: usize,
    /// Findings imported from another scanner's file.
    pub imported: usize,
    /// Parser diagnostics.
    pub diagnostics: Vec<Diagnostic>,
    /// Why the input could not be used at all.
    pub error: Option<IngestError>,
}

/// Counts of results.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// Passing results.
    pub pass: usize,
    /// Failing results.
    pub fail: usize,
    /// Indeterminate results.
    pub indeterminate: usize,
}

impl Tally {
    /// Count one result.
    pub fn add(&mut self, s: Status) {
        match s {
            Status::Pass => self.pass += 1,
            Status::Fail => self.fail += 1,
            Status::Indeterminate => self.indeterminate += 1,
            Status::NotApplicable => {}
        }
    }
    fn merge(&mut self, o: &Tally) {
        self.pass += o.pass;
        self.fail += o.fail;
        self.indeterminate += o.indeterminate;
    }
    /// The roll-up of these counts.
    pub fn status(&self) -> Status {
        if self.fail > 0 {
            Status::Fail
        } else if self.indeterminate > 0 {
            Status::Indeterminate
        } else if self.pass > 0 {
            Status::Pass
        } else {
            Status::NotApplicable
        }
    }
}

/// A control's automated result.
#[derive(Debug, Clone, PartialEq)]
pub struct ControlResult {
    /// The control.
    pub control: ControlId,
    /// Roll-up (see module docs).
    pub status: Status,
    /// Finding counts.
    pub tally: Tally,
    /// Checks mapped to it.
    pub checks: Vec<CheckId>,
}

/// A check's result over all resources.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckResult {
    /// The check.
    pub check: CheckId,
    /// Severity.
    pub severity: Severity,
    /// Roll-up.
    pub status: Status,
    /// Counts.
    pub tally: Tally,
}

/// A whole assessment.
#[derive(Debug, Clone, PartialEq)]
pub struct Assessment {
    /// One per input, in order.
    pub inputs: Vec<InputReport>,
    /// Every check × resource result, in rule then input order.
    pub findings: Vec<Finding>,
    /// One per rule.
    pub checks: Vec<CheckResult>,
    /// One per catalog control, in catalog order.
    pub controls: Vec<ControlResult>,
    /// A workspace's decisions on failing findings, applied by
    /// [`Assessment::apply_decisions`] (none by default).
    pub decided: Decided,
}

impl Assessment {
    /// Overall counts (a failure covered by a decision in force is not counted).
    pub fn tally(&self) -> Tally {
        let mut t = Tally::default();
        for f in &self.findings {
            if !self.decided.covers(f) {
                t.add(f.status);
            }
        }
        t
    }
    /// Failing findings with a decision: (in force, expired).
    pub fn decided_counts(&self) -> (usize, usize) {
        let (mut in_force, mut expired) = (0, 0);
        if self.decided.is_empty() {
            return (0, 0);
        }
        for a in self.findings.iter().filter_map(|f| self.decided.of(f)) {
            if a.in_force {
                in_force += 1;
            } else {
                expired += 1;
            }
        }
        (in_force, expired)
    }
    /// Apply a workspace's decisions: a failing finding covered by one in
    /// force stops counting as a failure in its check's and its controls'
    /// results (neutral, as in the app's roll-up: `workspace::rollup`); one
    /// whose decision expired still fails. The findings themselves keep
    /// their status; the reports say what was decided.
    pub fn apply_decisions(&mut self, decided: Decided) {
        self.decided = decided;
        if self.decided.is_empty() {
            return;
        }
        let checks: HashMap<&CheckId, usize> = self.checks.iter().enumerate().map(|(i, c)| (&c.check, i)).collect();
        let controls: HashMap<&ControlId, usize> = self.controls.iter().enumerate().map(|(i, c)| (&c.control, i)).collect();
        let (mut per_check, mut per_control) = (vec![0usize; self.checks.len()], vec![0usize; self.controls.len()]);
        for f in self.findings.iter().filter(|f| self.decided.covers(f)) {
            if let Some(&i) = checks.get(&f.check) {
                per_check[i] += 1;
            }
            if scanners::join::counts(f) {
                for c in f.controls.iter() {
                    if let Some(&i) = controls.get(c) {
                        per_control[i] += 1;
                    }
                }
            }
        }
        for (c, n) in self.checks.iter_mut().zip(per_check) {
            c.tally.fail = c.tally.fail.saturating_sub(n);
            c.status = c.tally.status();
        }
        for (c, n) in self.controls.iter_mut().zip(per_control) {
            c.tally.fail = c.tally.fail.saturating_sub(n);
            c.status = c.tally.status();
        }
    }
    /// Did any input fail to load?
    pub fn has_unusable_input(&self) -> bool {
        self.inputs.iter().any(|i| i.error.is_some())
    }
    /// Failing findings at or above a severity.
    pub fn failures_at_least(&self, min: Severity) -> usize {
        self.findings.iter().filter(|f| f.status == Status::Fail && f.severity >= min && !self.decided.covers(f)).count()
    }
    /// Imported findings, and how many of them no mapping gives controls.
    pub fn imported_counts(&self) -> (usize, usize) {
        let imported = self.findings.iter().filter(|f| f.origin.is_some());
        let (mut all, mut unmapped) = (0, 0);
        for f in imported {
            all += 1;
            unmapped += usize::from(f.controls.is_empty());
        }
        (all, unmapped)
    }
}

/// Parse every input and assess the combined inventory. Inputs the caller
/// hands over (`Vec<u8>`) are dropped as soon as each is parsed, before the
/// next one is taken from `inputs` and before anything is evaluated, so a run
/// holds one input at a time (the CLI reads each file as the iterator asks
/// for it); borrowed ones (`&[u8]`) stay the caller's.
pub fn assess_files<N: AsRef<str>, B: AsRef<[u8]>>(
    inputs: impl IntoIterator<Item = (N, B)>,
    limits: &Limits,
    rules: &RuleSet,
    ctx: &Context,
) -> Assessment {
    Ingested::parse(inputs, limits).assess(rules, ctx)
}

/// Inputs parsed into one inventory, not yet evaluated: the first half of
/// [`assess_files`], for callers that want to stop between the two (the CLI
/// does not evaluate when an input could not be read).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Ingested {
    /// What happened to each input, in order.
    pub inputs: Vec<InputReport>,
    /// The resources of every usable input, in input order.
    pub inventory: Inventory,
    /// The findings of every scanner file among the inputs, in input order.
    pub imported: Vec<Imported>,
}

impl Ingested {
    /// Parse each input in turn. An input is dropped once parsed when it is
    /// owned (`Vec<u8>`), so owned inputs are never all alive at once.
    pub fn parse<N: AsRef<str>, B: AsRef<[u8]>>(inputs: impl IntoIterator<Item = (N, B)>, limits: &Limits) -> Ingested {
        let mut ingested = Ingested::default();
        for (name, bytes) in inputs {
            let (name, bytes) = (name.as_ref(), bytes.as_ref());
            let mut report = InputReport {
                name: name.to_string(),
                bytes: bytes.len() as u64,
                format: None,
                resources: 0,
                imported: 0,
                diagnostics: Vec::new(),
                error: None,
            };
            match ingest::parse(name, bytes, limits) {
                Ok(parsed) => {
                    report.format = Some(parsed.format);
                    report.resources = parsed.inventory.resources.len();
                    report.imported = parsed.imported.len();
                    report.diagnostics = parsed.diagnostics;
                    if ingested.imported.is_empty() {
                        ingested.imported = parsed.imported;
                    } else {
                        ingested.imported.extend(parsed.imported);
                    }
                    if ingested.inventory.resources.is_empty() {
                        ingested.inventory = parsed.inventory;
                    } else {
                        ingested.inventory.extend(parsed.inventory);
                    }
                }
                Err(e) => report.error = Some(e),
            }
            ingested.inputs.push(report);
            // The input (when owned) is dropped here, at the end of its turn.
        }
        ingested
    }

    /// Evaluate the inventory; it is dropped once the findings are made (they
    /// share what they need of each resource).
    pub fn assess(self, rules: &RuleSet, ctx: &Context) -> Assessment {
        self.assess_with(rules, ctx, None)
    }

    /// [`Ingested::assess`] with the workspace's own mapping of imported
    /// check ids to controls (used before the bundled tables).
    pub fn assess_with(self, rules: &RuleSet, ctx: &Context, user: Option<&UserMapping>) -> Assessment {
        let mut a = assess_with_imports(&self.inventory, self.imported, rules, ctx, user);
        drop(self.inventory);
        a.inputs = self.inputs;
        a
    }
}

/// The findings of each input, in order (`names`: the inputs' names as
/// they were parsed): a finding belongs to the input its resource was read
/// from, whichever input decided it (a network's flow-log finding belongs to
/// the network's file). A finding whose resource names no input (none does,
/// when the findings are the engine's from those inputs) goes to the first.
/// The order of the findings is kept within each input.
pub fn split_by_input(findings: impl IntoIterator<Item = Finding>, names: &[&str]) -> Vec<Vec<Finding>> {
    let mut out: Vec<Vec<Finding>> = vec![Vec::new(); names.len().max(1)];
    // Findings come in runs of one input: look the name up once per run.
    let mut last = 0;
    for f in findings {
        let file = &*f.resource.source.file;
        if names.get(last) != Some(&file) {
            last = names.iter().position(|n| *n == file).unwrap_or(0);
        }
        out[last].push(f);
    }
    out.truncate(names.len());
    out
}

/// Assess an inventory.
pub fn assess(inventory: &Inventory, rules: &RuleSet, ctx: &Context) -> Assessment {
    assess_with_imports(inventory, Vec::new(), rules, ctx, None)
}

/// Assess an inventory together with other scanners' findings: ours first
/// (rule order, then input order), the imported ones after them in input
/// order, mapped to controls (`ingest::scanners::mapping`) and joined to ours
/// where they judge the same condition (`ingest::scanners::join`). One
/// roll-up over both.
pub fn assess_with_imports(
    inventory: &Inventory,
    imported: Vec<Imported>,
    rules: &RuleSet,
    ctx: &Context,
    user: Option<&UserMapping>,
) -> Assessment {
    let mut findings = rules.evaluate(inventory, ctx);
    if !imported.is_empty() {
        let extra = scanners::join::findings(imported, &findings, rules, Catalog::bundled(), user);
        findings.extend(extra);
    }
    roll_up(findings, rules)
}

/// Per-check and per-control results of `findings`.
fn roll_up(findings: Vec<Finding>, rules: &RuleSet) -> Assessment {
    // Findings come in runs of one check (rule order); every finding of a run
    // shares one `controls` allocation (made per rule by `RuleSet::evaluate`
    // and alive while its findings are, and per imported check by the
    // mapping), so its address and the check mark the run. Tally per run,
    // then add each run's tally to its check and controls. An imported
    // finding that agrees with ours on the same condition is not counted
    // again (`scanners::join::counts`).
    // Two tallies per run: the check's own (every finding), and what counts
    // for the controls.
    let mut runs: Vec<(&CheckId, &[ControlId], Tally, Tally)> = Vec::new();
    for f in &findings {
        let counted = if scanners::join::counts(f) { f.status } else { Status::NotApplicable };
        match runs.last_mut() {
            Some((c, ctl, own, t)) if std::ptr::eq(*ctl, &*f.controls) && **c == f.check => {
                own.add(f.status);
                t.add(counted);
            }
            _ => {
                let (mut own, mut t) = (Tally::default(), Tally::default());
                own.add(f.status);
                t.add(counted);
                runs.push((&f.check, &f.controls, own, t));
            }
        }
    }
    let mut per_check: BTreeMap<&CheckId, Tally> = BTreeMap::new();
    for (c, _, own, _) in &runs {
        per_check.entry(*c).or_default().merge(own);
    }
    let mut checks: Vec<CheckResult> = rules
        .rules()
        .iter()
        .map(|r| {
            let tally = per_check.get(&r.id).copied().unwrap_or_default();
            CheckResult { check: r.id.clone(), severity: r.severity, status: tally.status(), tally }
        })
        .collect();
    // Imported checks after ours, in the order they first appear; the
    // severity of the most severe finding.
    let mut seen: std::collections::HashMap<&CheckId, usize> = std::collections::HashMap::new();
    for f in findings.iter().filter(|f| f.origin.is_some()) {
        match seen.get(&f.check) {
            Some(&i) => {
                if let Some(c) = checks.get_mut(i) {
                    c.severity = c.severity.max(f.severity);
                }
            }
            None => {
                seen.insert(&f.check, checks.len());
                let tally = per_check.get(&f.check).copied().unwrap_or_default();
                checks.push(CheckResult { check: f.check.clone(), severity: f.severity, status: tally.status(), tally });
            }
        }
    }
    let mut per_control: BTreeMap<&ControlId, (Tally, Vec<CheckId>)> = BTreeMap::new();
    for r in rules.rules() {
        for c in &r.controls {
            per_control.entry(c).or_default().1.push(r.id.clone());
        }
    }
    for (check, ctl, _, t) in &runs {
        for c in ctl.iter() {
            let entry = per_control.entry(c).or_default();
            entry.0.merge(t);
            // An imported check is listed with the controls it is mapped to.
            if !entry.1.contains(check) {
                entry.1.push((*check).clone());
            }
        }
    }
    let controls = Catalog::bundled()
        .controls()
        .iter()
        .map(|c| {
            let (tally, checks) = per_control.get(&c.id).cloned().unwrap_or_default();
            ControlResult { control: c.id.clone(), status: tally.status(), tally, checks }
        })
        .collect();
    Assessment { inputs: Vec::new(), findings, checks, controls, decided: Decided::default() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::{Provider, Resource, SourceRef};

    fn bucket(id: &str, encrypted: bool) -> Resource {
        let mut r = Resource {
            provider: Provider::Aws,
            kind: "object_bucket".into(),
            native_type: "aws_s3_bucket".into(),
            id: id.into(),
            name: id.into(),
            region: None,
            account: None,
            source: SourceRef { file: "t.json".into(), pointer: "/x".into(), line: None },
            props: Default::default(),
        };
        r.set("encryption_at_rest", encrypted, "/x/enc");
        r
    }

    #[test]
    fn controls_roll_up_with_fail_dominating() {
        let inv = Inventory { resources: vec![bucket("a", true), bucket("b", false)] };
        let a = assess(&inv, RuleSet::bundled(), &Context::on(2026, 6, 1));
        let c1011 = a.controls.iter().find(|c| c.control.as_str() == "10.1.1").unwrap();
        assert_eq!(c1011.status, Status::Fail);
        assert_eq!((c1011.tally.pass, c1011.tally.fail), (1, 1));
        let c511 = a.controls.iter().find(|c| c.control.as_str() == "5.1.1").unwrap();
        assert_eq!(c511.status, Status::NotApplicable);
        assert_eq!(a.controls.len(), 121);
        assert_eq!(a.failures_at_least(Severity::High), 1);
        assert_eq!(a.failures_at_least(Severity::Critical), 0);
    }

    #[test]
    fn owned_inputs_assess_as_borrowed_ones() {
        let inputs: [(&str, &[u8]); 5] = [
            ("plan.json", include_bytes!("../tests/fixtures/ingest/terraform/full_compute_firewall.tfplan.json")),
            ("config.json", include_bytes!("../tests/fixtures/ingest/aws-config/AWS_EC2_SecurityGroup.json")),
            ("broken.json", b"{\"resource_changes\": ["),
            ("report.csv", include_bytes!("../tests/fixtures/ingest/aws-iam/custodian_credential_report_extracted.csv")),
            ("pods.yaml", include_bytes!("../tests/fixtures/ingest/k8s/kube-score_list.yaml")),
        ];
        let (limits, ctx) = (Limits::default(), Context::on(2026, 6, 1));
        let borrowed = assess_files(inputs, &limits, RuleSet::bundled(), &ctx);
        let owned = assess_files(inputs.map(|(n, b)| (n.to_string(), b.to_vec())), &limits, RuleSet::bundled(), &ctx);
        assert_eq!(owned, borrowed);
        // A real assessment: every input reported, one unusable, findings of several providers.
        assert_eq!(borrowed.inputs.len(), 5);
        assert!(borrowed.inputs.get(2).is_some_and(|i| i.error.is_some()));
        assert!(borrowed.findings.len() > 50, "{} findings", borrowed.findings.len());
        let mut providers: Vec<_> = borrowed.findings.iter().map(|f| f.resource.provider).collect();
        providers.sort();
        providers.dedup();
        assert!(providers.len() >= 3, "{providers:?}");
        // In two steps, the same.
        let ingested = Ingested::parse(inputs, &limits);
        assert_eq!(ingested.inputs, borrowed.inputs);
        assert_eq!(ingested.assess(RuleSet::bundled(), &ctx), borrowed);
    }
}
