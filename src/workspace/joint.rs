//! The files of one assessment, judged together: what the browser's Web
//! Worker holds for each assessment, so that a network in one export and its
//! flow logs in another, a credential report and the authorization details,
//! or a trail in one region's snapshot and the buckets of another are
//! assessed as `iso27017 assess a.json b.json …` assesses them — one
//! inventory, in the files' order.
//!
//! Each file is parsed once, when it is added ([`Joint::add`]); its
//! inventory is kept beside its bytes (for the evidence view). Adding,
//! replacing or removing a file re-evaluates the joint inventory
//! ([`Joint::evaluate`]): the per-file inventories are moved into one, judged
//! and moved back, so nothing is copied or parsed again. Each finding belongs
//! to the file of its resource ([`crate::engine::split_by_input`], as the CLI
//! attributes them), so every file's [`UploadRecord`] carries the findings on
//! its own resources, some of which another file decided.
//!
//! **Invariant:** [`Joint::evaluate`] gives, file by file, the findings
//! `engine::assess_files` gives for the same files in the same order
//! (`tests` below, and `tests/e2e/specs/joint.spec.mjs` against the CLI).

use super::model::{DiagnosticLine, UploadRecord};
use super::transfer::{FileOutcome, Stage};
use crate::checks::{Context, Finding, RuleSet};
use crate::engine;
use crate::ingest::{self, Format, Limits};
use crate::ingest::scanners::Imported;
use crate::inventory::Inventory;

/// One file held: its bytes, what was read from it, and its record's facts.
#[derive(Debug)]
struct Held {
    name: String,
    bytes: Vec<u8>,
    sha256: String,
    format: Format,
    resources: usize,
    diagnostics: usize,
    diagnostic_lines: Vec<DiagnosticLine>,
    inventory: Inventory,
    /// Other scanners' findings, when the file is a findings file.
    imported: Vec<Imported>,
    /// A digest of the findings last sent to the page.
    sent: Option<u64>,
}

/// The files of one assessment that this process holds, in the
/// assessment's order.
#[derive(Debug, Default)]
pub struct Joint {
    files: Vec<Held>,
    /// The assessment's own mapping of imported check ids to controls.
    mapping: crate::ingest::scanners::mapping::UserMapping,
}

impl Joint {
    /// An assessment with no file held.
    pub fn new() -> Joint {
        Joint::default()
    }

    /// Use the assessment's own mapping of imported check ids from the next
    /// evaluation on (`workspace::mapping`).
    pub fn set_mapping(&mut self, mapping: crate::ingest::scanners::mapping::UserMapping) {
        self.mapping = mapping;
    }

    /// Is a file of this name held?
    pub fn holds(&self, name: &str) -> bool {
        self.files.iter().any(|f| f.name == name)
    }

    /// Parse `bytes` and hold them as the file `name` (in place of the held
    /// file of that name, else after the others), letting go of the file
    /// `replaces` first. `digest` is their SHA-256 when the caller has it
    /// (see [`UploadRecord::with_digest`]). Returns the number of resources
    /// read, or, when the engine refuses the file, the outcome to show (and
    /// nothing held changes).
    pub fn add(
        &mut self,
        name: &str,
        bytes: Vec<u8>,
        digest: Option<&str>,
        replaces: Option<&str>,
        limits: &Limits,
    ) -> Result<usize, FileOutcome> {
        let parsed = match ingest::parse(name, &bytes, limits) {
            Ok(p) => p,
            Err(e) => {
                return Err(FileOutcome {
                    record: UploadRecord::with_digest(name, &bytes, digest, None, 0, 0, Vec::new()),
                    refused: Some(e.to_string()),
                })
            }
        };
        let sha256 = UploadRecord::with_digest(name, &bytes, digest, None, 0, 0, Vec::new()).sha256;
        if let Some(old) = replaces.filter(|o| *o != name) {
            self.remove(old);
        }
        let resources = parsed.inventory.resources.len();
        let held = Held {
            name: name.to_string(),
            bytes,
            sha256,
            format: parsed.format,
            resources,
            diagnostics: parsed.diagnostics.len(),
            diagnostic_lines: parsed.diagnostics.iter().take(super::model::MAX_DIAGNOSTICS).map(DiagnosticLine::from).collect(),
            inventory: parsed.inventory,
            imported: parsed.imported,
            sent: None,
        };
        match self.files.iter_mut().find(|f| f.name == name) {
            Some(f) => *f = held,
            None => self.files.push(held),
        }
        Ok(resources)
    }

    /// Let go of the file `name`; false when it is not held.
    pub fn remove(&mut self, name: &str) -> bool {
        let before = self.files.len();
        self.files.retain(|f| f.name != name);
        self.files.len() != before
    }

    /// The bytes of the held file `name` (for the evidence view).
    pub fn bytes(&self, name: &str) -> Option<&[u8]> {
        self.files.iter().find(|f| f.name == name).map(|f| f.bytes.as_slice())
    }

    /// The names of the held files, in order.
    pub fn names(&self) -> Vec<&str> {
        self.files.iter().map(|f| f.name.as_str()).collect()
    }

    /// Note that the findings of file `name` went to the page; false when
    /// they are the findings last sent (the page has them already: another
    /// file's joint evaluation left this one's as they were). Compared by a
    /// digest of what the page shows of them ([`findings_digest`]), without
    /// writing them out.
    pub fn mark_sent(&mut self, name: &str, findings: &[Finding]) -> bool {
        let digest = findings_digest(findings);
        match self.files.iter_mut().find(|f| f.name == name) {
            Some(f) if f.sent == Some(digest) => false,
            Some(f) => {
                f.sent = Some(digest);
                true
            }
            None => true,
        }
    }

    /// True when no file is held.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Judge every held file together: one outcome per file, in order, each
    /// with the findings on its own resources. `progress` hears
    /// [`Stage::Parsed`] (the resources of every file) and
    /// [`Stage::Evaluated`].
    pub fn evaluate(&mut self, rules: &RuleSet, ctx: &Context, progress: &mut dyn FnMut(Stage)) -> Vec<FileOutcome> {
        // Move the inventories into one (no resource is copied), judge it,
        // and move each file's resources back.
        let lens: Vec<usize> = self.files.iter().map(|f| f.inventory.resources.len()).collect();
        let mut all = Inventory { resources: Vec::with_capacity(lens.iter().sum()) };
        for f in &mut self.files {
            all.resources.append(&mut f.inventory.resources);
        }
        progress(Stage::Parsed(all.resources.len()));
        // Imported findings are joined to ours as the CLI joins them; they
        // stay held (cloned) for the next evaluation.
        let imported: Vec<Imported> = self.files.iter().flat_map(|f| f.imported.iter().cloned()).collect();
        let user = (!self.mapping.entries.is_empty()).then_some(&self.mapping);
        let findings = engine::assess_with_imports(&all, imported, rules, ctx, user).findings;
        progress(Stage::Evaluated(findings.len()));
        let mut rest = all.resources;
        for (f, len) in self.files.iter_mut().zip(&lens).rev() {
            f.inventory.resources = rest.split_off(rest.len().saturating_sub(*len));
        }
        let names = self.names();
        let per_file = engine::split_by_input(findings, &names);
        self.files
            .iter()
            .zip(per_file)
            .map(|(f, findings)| FileOutcome {
                record: UploadRecord::hashed(
                    f.name.clone(),
                    f.bytes.len() as u64,
                    f.sha256.clone(),
                    Some(f.format),
                    f.resources,
                    f.diagnostics,
                    findings,
                )
                .with_diagnostic_lines(f.diagnostic_lines.iter().cloned()),
                refused: None,
            })
            .collect()
    }
}

/// A digest of everything the page shows of `findings`: check, status,
/// resource, place in the file, message, reason and evidence (observed values
/// included, written into the hasher, never into a string).
pub fn findings_digest(findings: &[Finding]) -> u64 {
    use std::hash::{Hash, Hasher};
    struct Into<'h>(&'h mut std::collections::hash_map::DefaultHasher);
    impl std::fmt::Write for Into<'_> {
        fn write_str(&mut self, s: &str) -> std::fmt::Result {
            self.0.write(s.as_bytes());
            Ok(())
        }
    }
    impl std::io::Write for Into<'_> {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.0.write(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut h = std::collections::hash_map::DefaultHasher::new();
    findings.len().hash(&mut h);
    for f in findings {
        f.check.as_str().hash(&mut h);
        f.status.as_str().hash(&mut h);
        f.severity.as_str().hash(&mut h);
        let r = &f.resource;
        (&*r.id, &*r.name, &*r.kind, &*r.native_type, r.account.as_deref()).hash(&mut h);
        (&*r.source.file, r.source.pointer.parts(), r.source.line).hash(&mut h);
        let _ = f.message.write_to(&mut Into(&mut h));
        0xffu8.hash(&mut h);
        f.reason.as_deref().hash(&mut h);
        f.controls.len().hash(&mut h);
        for c in f.controls.iter() {
            c.as_str().hash(&mut h);
        }
        f.evidence.len().hash(&mut h);
        for e in f.evidence.iter() {
            (e.prop(), e.pointer.parts(), &*e.condition.expected, e.basis().is_some()).hash(&mut h);
            match &e.observed {
                Some(v) => {
                    let _ = serde_json::to_writer(Into(&mut h), &**v);
                }
                None => 0u8.hash(&mut h),
            }
        }
        f.origin.is_some().hash(&mut h);
        if let Some(o) = f.origin.as_deref() {
            let _ = serde_json::to_writer(Into(&mut h), o);
        }
    }
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::Finding;
    use crate::model::Status;

    const POD: &str = "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: team}\nspec:\n  serviceAccountName: app\n  containers: [{name: c, image: 'x:1'}]\n";
    const NAMESPACE: &str = "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: app, namespace: team}\nautomountServiceAccountToken: false\n---\n\
        apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny, namespace: team}\nspec: {podSelector: {}, policyTypes: [Ingress]}\n";

    fn ctx() -> Context {
        Context::on(2026, 6, 1)
    }

    macro_rules! fixture {
        ($rel:literal) => {
            include_bytes!(concat!("../../tests/fixtures/ingest/", $rel)).to_vec()
        };
    }

    /// What `engine::assess_files` (the CLI) gives for the same files, per file.
    fn cli(files: &[(&str, &[u8])]) -> Vec<Vec<Finding>> {
        let a = engine::assess_files(files.iter().copied(), &Limits::default(), RuleSet::bundled(), &ctx());
        let names: Vec<&str> = files.iter().map(|f| f.0).collect();
        engine::split_by_input(a.findings, &names)
            .into_iter()
            .map(|mut v| {
                let mut r = UploadRecord::hashed("x", 0, String::new(), None, 0, 0, std::mem::take(&mut v));
                std::mem::take(&mut r.findings)
            })
            .collect()
    }

    fn findings(outcomes: &[FileOutcome]) -> Vec<Vec<Finding>> {
        outcomes.iter().map(|o| o.record.findings.clone()).collect()
    }

    fn status(outcomes: &[FileOutcome], check: &str, id: &str) -> Status {
        let all: Vec<&Finding> = outcomes.iter().flat_map(|o| &o.record.findings).filter(|f| f.check.as_str() == check && f.resource.id == id).collect();
        assert_eq!(all.len(), 1, "{check} on {id}");
        all[0].status
    }

    #[test]
    fn files_are_judged_together_and_each_keeps_the_findings_on_its_resources() {
        let mut j = Joint::new();
        assert!(j.add("pod.yaml", POD.as_bytes().to_vec(), None, None, &Limits::default()).is_ok_and(|n| n > 0));
        let alone = j.evaluate(RuleSet::bundled(), &ctx(), &mut |_| {});
        assert_eq!(status(&alone, "k8s_workload_network_policy", "team/Pod/p"), Status::Indeterminate);
        assert!(j.add("ns.yaml", NAMESPACE.as_bytes().to_vec(), None, None, &Limits::default()).is_ok());
        let mut stages = Vec::new();
        let both = j.evaluate(RuleSet::bundled(), &ctx(), &mut |s| stages.push(s));
        assert_eq!(stages.first(), Some(&Stage::Parsed(both.iter().map(|o| o.record.resources).sum())));
        assert_eq!(status(&both, "k8s_workload_network_policy", "team/Pod/p"), Status::Pass, "the namespace's policy, from the other file");
        assert!(both[0].record.findings.iter().all(|f| &*f.resource.source.file == "pod.yaml"));
        assert!(both[1].record.findings.iter().all(|f| &*f.resource.source.file == "ns.yaml"));
        assert_eq!(findings(&both), cli(&[("pod.yaml", POD.as_bytes()), ("ns.yaml", NAMESPACE.as_bytes())]));
        // Removing the namespace's file takes its evidence away again.
        assert!(j.remove("ns.yaml"));
        assert!(!j.remove("ns.yaml"));
        let again = j.evaluate(RuleSet::bundled(), &ctx(), &mut |_| {});
        assert_eq!(findings(&again), findings(&alone));
    }

    /// A scanner's findings file judged with the plan it scanned: its
    /// findings are kept, joined to ours, as the CLI gives them.
    #[test]
    fn imported_findings_are_judged_with_the_other_files() {
        let plan = fixture!("terraform/bucket_sse_infra.json");
        let checkov = include_bytes!("../../tests/fixtures/scanners/checkov_bucket_sse.json").to_vec();
        let mut j = Joint::new();
        assert!(j.add("plan.json", plan.clone(), None, None, &Limits::default()).is_ok());
        assert!(j.add("checkov.json", checkov.clone(), None, None, &Limits::default()).is_ok());
        let both = j.evaluate(RuleSet::bundled(), &ctx(), &mut |_| {});
        assert!(both.iter().flat_map(|o| &o.record.findings).any(|f| f.origin.is_some()), "the imported findings are kept");
        assert_eq!(findings(&both), cli(&[("plan.json", plan.as_slice()), ("checkov.json", checkov.as_slice())]));
    }

    #[test]
    fn adding_replacing_and_removing_give_what_a_fresh_run_gives() {
        let files: Vec<(&str, Vec<u8>)> = vec![
            ("sg.json", fixture!("aws-config/AWS_EC2_SecurityGroup.json")),
            ("cred.csv", fixture!("aws-iam/custodian_credential_report_extracted.csv")),
            ("authz.json", fixture!("aws-iam/example-authz-details.json")),
            ("plan.json", fixture!("terraform/full_compute_firewall.tfplan.json")),
        ];
        let mut j = Joint::new();
        for (name, bytes) in &files {
            j.add(name, bytes.clone(), None, None, &Limits::default()).expect("assessed");
        }
        let borrowed: Vec<(&str, &[u8])> = files.iter().map(|(n, b)| (*n, b.as_slice())).collect();
        let got = j.evaluate(RuleSet::bundled(), &ctx(), &mut |_| {});
        assert_eq!(findings(&got), cli(&borrowed));
        // Evaluating again (the inventories were moved out and back) changes nothing.
        assert_eq!(findings(&j.evaluate(RuleSet::bundled(), &ctx(), &mut |_| {})), findings(&got));
        // A file replaced under its own name keeps its place.
        j.add("cred.csv", files[1].1.clone(), None, None, &Limits::default()).expect("again");
        assert_eq!(j.names(), ["sg.json", "cred.csv", "authz.json", "plan.json"]);
        // A file replacing another name goes last; the replaced one is gone.
        j.add("authz2.json", files[2].1.clone(), None, Some("authz.json"), &Limits::default()).expect("replaced");
        assert_eq!(j.names(), ["sg.json", "cred.csv", "plan.json", "authz2.json"]);
        let moved = [borrowed[0], borrowed[1], borrowed[3], ("authz2.json", borrowed[2].1)];
        assert_eq!(findings(&j.evaluate(RuleSet::bundled(), &ctx(), &mut |_| {})), cli(&moved));
        assert!(j.remove("sg.json"));
        assert_eq!(findings(&j.evaluate(RuleSet::bundled(), &ctx(), &mut |_| {})), cli(&moved[1..]));
        assert_eq!(j.bytes("plan.json"), Some(files[3].1.as_slice()));
        assert_eq!(j.bytes("sg.json"), None);
    }

    #[test]
    fn only_findings_that_changed_need_sending() {
        let mut j = Joint::new();
        j.add("pod.yaml", POD.as_bytes().to_vec(), None, None, &Limits::default()).expect("pod");
        j.add("other.json", fixture!("aws-config/AWS_EC2_SecurityGroup.json"), None, None, &Limits::default()).expect("sg");
        let parts = |j: &mut Joint| -> Vec<(String, Vec<Finding>)> {
            j.evaluate(RuleSet::bundled(), &ctx(), &mut |_| {}).into_iter().map(|o| (o.record.name.clone(), o.record.findings)).collect()
        };
        for (name, p) in parts(&mut j) {
            assert!(j.mark_sent(&name, &p), "first time: {name}");
        }
        // The namespace's file changes the pod's findings, not the security group's.
        j.add("ns.yaml", NAMESPACE.as_bytes().to_vec(), None, None, &Limits::default()).expect("ns");
        let changed: Vec<String> = parts(&mut j).into_iter().filter(|(name, p)| j.mark_sent(name, p)).map(|(n, _)| n).collect();
        assert_eq!(changed, ["pod.yaml", "ns.yaml"]);
        assert!(parts(&mut j).into_iter().all(|(name, p)| !j.mark_sent(&name, &p)), "nothing changed since");
    }

    #[test]
    fn a_refused_file_changes_nothing_held() {
        let mut j = Joint::new();
        j.add("pod.yaml", POD.as_bytes().to_vec(), None, None, &Limits::default()).expect("pod");
        let refused = j.add("pod.yaml", b"\0\0\0binary".to_vec(), None, None, &Limits::default()).expect_err("binary");
        assert!(refused.refused.as_deref().unwrap_or("").contains("binary"));
        assert_eq!(j.bytes("pod.yaml"), Some(POD.as_bytes()));
        let refused = j.add("x.bin", b"\0\0\0binary".to_vec(), None, Some("pod.yaml"), &Limits::default()).expect_err("binary");
        assert_eq!(refused.record.name, "x.bin");
        assert_eq!(j.names(), ["pod.yaml"], "the file it would have replaced is still held");
    }

    #[test]
    fn the_record_carries_the_digest_given_or_the_one_taken() {
        let mut j = Joint::new();
        let real = super::super::sha256_hex(POD.as_bytes());
        j.add("a.yaml", POD.as_bytes().to_vec(), Some(&real.to_ascii_uppercase()), None, &Limits::default()).expect("a");
        j.add("b.yaml", POD.as_bytes().to_vec(), Some("nonsense"), None, &Limits::default()).expect("b");
        let out = j.evaluate(RuleSet::bundled(), &ctx(), &mut |_| {});
        assert_eq!(out[0].record.sha256, real);
        assert_eq!(out[1].record.sha256, real);
        assert_eq!(out[0].record.size, POD.len() as u64);
        assert!(out.iter().all(|o| o.record.validate().is_ok()));
    }
}
