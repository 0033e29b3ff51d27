//! The workspace's own mapping of other scanners' check ids to controls: an
//! imported check that no table maps (listed as unmapped) can be assigned to
//! controls in the app, and the choice is remembered per check id
//! ([`UserMapping`], used before every table by `ingest::scanners::mapping`):
//! by the worker's joint evaluation and by `iso27017 assess --workspace`.
//!
//! **Invariant:** a stored mapping is valid: its check id is an imported one
//! (`tool:ID`, the check id syntax), it names 1 to 121 controls, each a
//! control of the catalog, sorted and without repeats; at most
//! [`MAX_MAPPINGS`] check ids. Every way in (the setter, loading, importing)
//! goes through [`validate_entry`].

use super::model::{check_control, clip, Workspace, WorkspaceError};
pub use crate::ingest::scanners::mapping::UserMapping;
use crate::model::{CheckId, ControlId};
use crate::Catalog;

/// Most check ids one workspace maps.
pub const MAX_MAPPINGS: usize = 10_000;

fn invalid(check: &str, problem: impl Into<String>) -> WorkspaceError {
    WorkspaceError::InvalidMapping { check: clip(check, 140), problem: problem.into() }
}

/// Check one entry: an imported check id (`tool:ID`) and 1 to 121 known
/// controls, sorted in catalog order without repeats.
pub fn validate_entry(check: &CheckId, controls: &[ControlId]) -> Result<(), WorkspaceError> {
    if !check.as_str().contains(':') {
        return Err(invalid(check.as_str(), "only another scanner's check id (tool:ID, like checkov:CKV_AWS_19) can be mapped; our checks carry their own controls"));
    }
    if controls.is_empty() {
        return Err(invalid(check.as_str(), "it names no control; remove the mapping instead"));
    }
    let all = Catalog::bundled().controls().len();
    if controls.len() > all {
        return Err(invalid(check.as_str(), format!("{} controls; the catalog has {all}", controls.len())));
    }
    for c in controls {
        check_control(c)?;
    }
    if controls.windows(2).any(|w| order(&w[0]) >= order(&w[1])) {
        return Err(invalid(check.as_str(), "the controls are not in catalog order or repeat one"));
    }
    Ok(())
}

/// Catalog order of control ids (numeric, then as written).
fn order(c: &ControlId) -> (Vec<u32>, &str) {
    (c.sort_key(), c.as_str())
}

/// Check a whole mapping.
pub fn validate(m: &UserMapping) -> Result<(), WorkspaceError> {
    if m.entries.len() > MAX_MAPPINGS {
        return Err(invalid("", format!("{} check ids are mapped; the limit is {MAX_MAPPINGS}", m.entries.len())));
    }
    m.entries.iter().try_for_each(|(c, controls)| validate_entry(c, controls))
}

/// `controls` in catalog order without repeats (what [`validate_entry`] wants).
pub fn normalise(mut controls: Vec<ControlId>) -> Vec<ControlId> {
    controls.sort_by(|a, b| order(a).cmp(&order(b)));
    controls.dedup();
    controls
}

impl Workspace {
    /// The imported check ids mapped to controls in this workspace.
    pub fn mappings(&self) -> &UserMapping {
        &self.mappings
    }
    /// A copy of the mapping, for an evaluation (`engine::Ingested::assess_with`).
    pub fn user_mapping(&self) -> UserMapping {
        self.mappings.clone()
    }
    /// Map `check` to `controls` (put in catalog order, repeats dropped), in
    /// place of any earlier mapping of it; no control removes the mapping.
    /// Refused (nothing changes) for one of our check ids, an unknown control,
    /// or one check id too many. The findings already recorded keep their
    /// controls until they are judged again (the app asks its worker at once).
    pub fn set_mapping(&mut self, check: CheckId, controls: Vec<ControlId>, now: u64) -> Result<(), WorkspaceError> {
        let controls = normalise(controls);
        if controls.is_empty() {
            self.remove_mapping(&check, now);
            return Ok(());
        }
        validate_entry(&check, &controls)?;
        if !self.mappings.entries.contains_key(&check) && self.mappings.entries.len() >= MAX_MAPPINGS {
            return Err(invalid(check.as_str(), format!("{MAX_MAPPINGS} check ids are mapped already")));
        }
        self.mappings.set(check, controls);
        self.modified = now;
        Ok(())
    }
    /// Forget the mapping of `check`; false if there was none.
    pub fn remove_mapping(&mut self, check: &CheckId, now: u64) -> bool {
        let changed = self.mappings.entries.remove(check).is_some();
        if changed {
            self.modified = now;
        }
        changed
    }
}

/// An imported check id the user can map: one no table maps, or one the
/// user mapped (the app's list of unmapped ids, with a control picker).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedCheck {
    /// `tool:ID`.
    pub check: CheckId,
    /// The tool's title of the check (its first finding's), as given.
    pub title: String,
    /// The tool's name, as given.
    pub tool: String,
    /// Findings of the check in the assessment.
    pub findings: usize,
    /// Of which failing.
    pub failing: usize,
    /// The controls the user mapped it to (empty: unmapped).
    pub mapped: Vec<ControlId>,
}

impl Workspace {
    /// The imported check ids that no table maps and those the user mapped,
    /// in order of first appearance, then the user's mapped ids that no
    /// finding carries (any more).
    pub fn mappable_checks(&self) -> Vec<ImportedCheck> {
        use crate::ingest::scanners::mapping::Basis;
        let mut out: Vec<ImportedCheck> = Vec::new();
        let mut at: std::collections::HashMap<&CheckId, usize> = std::collections::HashMap::new();
        for f in self.findings() {
            let Some(o) = f.origin.as_deref() else { continue };
            if !matches!(o.mapping.basis, Basis::Unmapped | Basis::User) && !self.mappings.entries.contains_key(&f.check) {
                continue;
            }
            let i = *at.entry(&f.check).or_insert_with(|| {
                out.push(ImportedCheck {
                    check: f.check.clone(),
                    title: o.finding.title.to_string(),
                    tool: o.finding.tool.name.to_string(),
                    findings: 0,
                    failing: 0,
                    mapped: self.mappings.entries.get(&f.check).cloned().unwrap_or_default(),
                });
                out.len() - 1
            });
            if let Some(c) = out.get_mut(i) {
                c.findings += 1;
                c.failing += usize::from(f.status == crate::model::Status::Fail);
            }
        }
        for (check, controls) in &self.mappings.entries {
            if !at.contains_key(check) {
                let tool = check.as_str().split(':').next().unwrap_or_default().to_string();
                out.push(ImportedCheck { check: check.clone(), title: String::new(), tool, findings: 0, failing: 0, mapped: controls.clone() });
            }
        }
        out
    }

    /// Map every imported finding again with this workspace's mapping (and
    /// the bundled tables), joined to our findings of the workspace as an
    /// evaluation joins them: what `engine::assess_with_imports` gives for the
    /// same files, without reading them again (an imported finding carries
    /// the tool's finding whole). Returns the names of the uploads whose
    /// findings changed.
    pub fn remap(&mut self, rules: &crate::checks::RuleSet) -> Vec<String> {
        let imported: Vec<crate::ingest::scanners::Imported> = self.findings().filter_map(|f| f.origin.as_ref().map(|o| o.finding.clone())).collect();
        if imported.is_empty() {
            return Vec::new();
        }
        let ours: Vec<crate::checks::Finding> = self.findings().filter(|f| f.origin.is_none()).cloned().collect();
        let user = (!self.mappings.entries.is_empty()).then_some(&self.mappings);
        let mut again = crate::ingest::scanners::join::findings(imported, &ours, rules, Catalog::bundled(), user).into_iter();
        let mut changed = Vec::new();
        for u in &mut self.uploads {
            let mut differs = false;
            for f in u.findings.iter_mut().filter(|f| f.origin.is_some()) {
                if let Some(new) = again.next() {
                    if *f != new {
                        *f = new;
                        differs = true;
                    }
                }
            }
            if differs {
                changed.push(u.name.clone());
            }
        }
        changed
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workspace::Workspaces;

    fn ids(list: &[&str]) -> Vec<ControlId> {
        list.iter().map(|c| c.parse().unwrap()).collect()
    }

    #[test]
    fn a_mapping_is_an_imported_check_to_known_controls() {
        let mut wss = Workspaces::new();
        wss.create("A", 1).unwrap();
        let w = wss.active_mut().unwrap();
        let check: CheckId = "prowler:custom_check_1".parse().unwrap();
        w.set_mapping(check.clone(), ids(&["12.4.1", "CLD.9.5.1", "12.4.1", "9.1.2"]), 2).unwrap();
        assert_eq!(w.mappings().entries.get(&check), Some(&ids(&["9.1.2", "CLD.9.5.1", "12.4.1"])), "catalog order");
        assert_eq!(w.modified(), 2);
        // Ours, an unknown control: refused, nothing changes.
        let ours: CheckId = "aws_s3_bucket_versioning".parse().unwrap();
        assert!(matches!(w.set_mapping(ours, ids(&["12.4.1"]), 3), Err(WorkspaceError::InvalidMapping { .. })));
        assert!(matches!(w.set_mapping(check.clone(), ids(&["99.9.9"]), 3), Err(WorkspaceError::UnknownControl(_))));
        assert_eq!(w.mappings().entries.len(), 1);
        assert_eq!(w.modified(), 2);
        // No control: removed.
        w.set_mapping(check.clone(), Vec::new(), 4).unwrap();
        assert!(w.mappings().entries.is_empty());
        assert!(!w.remove_mapping(&check, 5));
    }

    /// An assessment of a Prowler file (five unmapped checks) and a plan,
    /// as the worker judges them together.
    fn assessed() -> Workspaces {
        use crate::workspace::joint::Joint;
        let mut joint = Joint::new();
        let limits = crate::ingest::Limits::default();
        joint.add("prowler.ocsf.json", include_bytes!("../../tests/fixtures/scanners/prowler_example_output_aws.ocsf.json").to_vec(), None, None, &limits).unwrap();
        joint.add("bucket.json", include_bytes!("../../tests/fixtures/ingest/aws-config/AWS_S3_Bucket.json").to_vec(), None, None, &limits).unwrap();
        let outcomes = joint.evaluate(crate::checks::RuleSet::bundled(), &crate::checks::Context::on(2026, 6, 1), &mut |_| {});
        let mut wss = Workspaces::new();
        wss.create("A", 1).unwrap();
        for o in outcomes {
            wss.active_mut().unwrap().upsert_upload(o.record, 2).unwrap();
        }
        wss
    }

    #[test]
    fn remapping_gives_what_an_evaluation_with_the_mapping_gives() {
        use crate::workspace::joint::Joint;
        let mut wss = assessed();
        let w = wss.active_mut().unwrap();
        let listed = w.mappable_checks();
        assert_eq!(listed.len(), 5, "{listed:?}");
        assert!(listed.iter().all(|c| c.mapped.is_empty() && c.findings == 1 && c.tool == "Prowler" && !c.title.is_empty()), "{listed:?}");
        let check = listed[0].check.clone();
        let c = |id: &str| id.parse::<ControlId>().unwrap();
        w.set_mapping(check.clone(), vec![c("12.4.1"), c("9.1.2")], 3).unwrap();
        let changed = w.remap(crate::checks::RuleSet::bundled());
        assert_eq!(changed, ["prowler.ocsf.json"]);
        let mapped = w.findings().find(|f| f.check == check).unwrap();
        assert_eq!(&*mapped.controls, &[c("9.1.2"), c("12.4.1")]);
        assert_eq!(mapped.origin.as_ref().unwrap().mapping.basis, crate::ingest::scanners::mapping::Basis::User);
        // The app's roll-up counts it under those controls at once.
        assert!(w.roll_up(&c("12.4.1"), 0).fail + w.roll_up(&c("12.4.1"), 0).pass + w.roll_up(&c("12.4.1"), 0).indeterminate >= 1);
        // The same findings as judging the files again with the mapping.
        let mut joint = Joint::new();
        let limits = crate::ingest::Limits::default();
        joint.add("prowler.ocsf.json", include_bytes!("../../tests/fixtures/scanners/prowler_example_output_aws.ocsf.json").to_vec(), None, None, &limits).unwrap();
        joint.add("bucket.json", include_bytes!("../../tests/fixtures/ingest/aws-config/AWS_S3_Bucket.json").to_vec(), None, None, &limits).unwrap();
        joint.set_mapping(w.user_mapping());
        let outcomes = joint.evaluate(crate::checks::RuleSet::bundled(), &crate::checks::Context::on(2026, 6, 1), &mut |_| {});
        for (o, u) in outcomes.iter().zip(w.uploads()) {
            let mut fresh = o.record.clone();
            fresh.drop_pass_evidence();
            assert_eq!(fresh.findings, u.findings, "{}", u.name);
        }
        let listed = w.mappable_checks();
        assert_eq!(listed.iter().find(|l| l.check == check).unwrap().mapped, [c("9.1.2"), c("12.4.1")]);
        // Removed: unmapped again; a second remap changes nothing.
        assert!(w.remove_mapping(&check, 4));
        assert_eq!(w.remap(crate::checks::RuleSet::bundled()), ["prowler.ocsf.json"]);
        assert!(w.findings().find(|f| f.check == check).unwrap().controls.is_empty());
        assert!(w.remap(crate::checks::RuleSet::bundled()).is_empty());
    }

    #[test]
    fn validation_refuses_what_the_setter_would_not_make() {
        let check: CheckId = "checkov:CKV_AWS_999".parse().unwrap();
        assert!(validate_entry(&check, &ids(&["9.1.2", "12.4.1"])).is_ok());
        assert!(validate_entry(&check, &[]).is_err());
        assert!(validate_entry(&check, &ids(&["12.4.1", "9.1.2"])).is_err(), "order");
        assert!(validate_entry(&check, &ids(&["9.1.2", "9.1.2"])).is_err(), "repeat");
        let mut m = UserMapping::default();
        m.entries.insert(check, ids(&["5.1.1"]));
        assert!(validate(&m).is_ok());
    }
}
