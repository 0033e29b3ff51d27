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
