//! The stored shape of the workspace's own mapping of imported check ids to
//! controls (`workspace::mapping`), since storage version 5: a list of
//! `{check, controls}` in check id order, left out when empty (so a
//! workspace without mappings is stored as before).
//!
//! **Invariant:** what is read is validated as the setter validates
//! (`mapping::validate_entry`); a bad entry refuses the document with the
//! check id named, as every other stored field does.

use super::mapping::{validate, UserMapping};
use super::model::{clip, WorkspaceError};
use crate::model::{CheckId, ControlId};
use serde::{Deserialize, Serialize};

/// One imported check id and the controls the user mapped it to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoredMappingV5 {
    /// `tool:ID`.
    pub check: String,
    /// Control ids, in catalog order.
    pub controls: Vec<String>,
}

/// The stored list of a mapping, in check id order.
pub fn to_stored(m: &UserMapping) -> Vec<StoredMappingV5> {
    m.entries
        .iter()
        .map(|(c, controls)| StoredMappingV5 { check: c.to_string(), controls: controls.iter().map(ToString::to_string).collect() })
        .collect()
}

/// The mapping of a stored list, validated.
pub fn from_stored(list: Vec<StoredMappingV5>) -> Result<UserMapping, WorkspaceError> {
    let mut m = UserMapping::default();
    for s in list {
        let bad = |problem: String| WorkspaceError::InvalidMapping { check: clip(&s.check, 140), problem };
        let check: CheckId = s.check.parse().map_err(|e: crate::model::ParseModelError| bad(e.to_string()))?;
        let mut controls = Vec::with_capacity(s.controls.len().min(200));
        for c in &s.controls {
            controls.push(c.parse::<ControlId>().map_err(|e| bad(e.to_string()))?);
        }
        if m.entries.insert(check, controls).is_some() {
            return Err(bad("the check id is mapped twice".into()));
        }
    }
    validate(&m)?;
    Ok(m)
}

#[cfg(test)]
mod tests {
    use crate::workspace::store::VERSION;
    use crate::workspace::{export, import, load, save, DecisionKind, FindingDecision, LoadError, LoadOutcome, UploadRecord, Workspaces};

    /// An assessment with an answer, a decision, an upload and two mappings.
    fn sample(mapped: bool) -> Workspaces {
        let mut ws = Workspaces::new();
        let id = ws.create("Production", 1_700_000_000_000).unwrap();
        let w = ws.get_mut(&id).unwrap();
        let d = FindingDecision {
            check: "aws_s3_bucket_versioning".parse().unwrap(),
            resource_id: "b1".into(),
            kind: DecisionKind::Waived,
            reason: "replicated elsewhere".into(),
            expires: Some("2030-01-01".parse().unwrap()),
        };
        w.decide(d, 0, 1_700_000_000_001).unwrap();
        w.upsert_upload(UploadRecord::new("p.json", b"{}", None, 0, 0, Vec::new()), 1_700_000_000_002).unwrap();
        if mapped {
            w.set_mapping("checkov:CKV_AWS_999".parse().unwrap(), vec!["12.4.1".parse().unwrap(), "9.1.2".parse().unwrap()], 1_700_000_000_003).unwrap();
            w.set_mapping("prowler:custom".parse().unwrap(), vec!["CLD.9.5.1".parse().unwrap()], 1_700_000_000_004).unwrap();
        }
        ws
    }

    #[test]
    fn version_4_migrates_to_5_with_no_mappings_and_nothing_lost() {
        assert_eq!(VERSION, 5);
        let ws = sample(false);
        let text = save(&ws);
        assert!(!text.contains("\"mappings\""), "an empty mapping is left out");
        let v4 = text.replacen("\"version\":5", "\"version\":4", 1);
        assert_ne!(v4, text);
        assert_eq!(load(&v4), LoadOutcome::Migrated(ws.clone(), 4));
        let LoadOutcome::Migrated(migrated, 4) = load(&v4) else { panic!() };
        assert!(migrated.active().unwrap().mappings().entries.is_empty());
        assert_eq!(migrated.active().unwrap().decisions().len(), 1);
        assert_eq!(migrated.active().unwrap().uploads().len(), 1);
        assert!(save(&migrated).contains("\"version\":5"));
        // A version-4 document never had mappings.
        let edited = save(&sample(true)).replacen("\"version\":5", "\"version\":4", 1);
        assert!(matches!(load(&edited), LoadOutcome::Corrupt { error: LoadError::NotAWorkspace(_), .. }), "{:?}", load(&edited));
    }

    #[test]
    fn mappings_round_trip_through_storage_and_files() {
        let ws = sample(true);
        let text = save(&ws);
        assert!(text.contains("\"mappings\":[{\"check\":\"checkov:CKV_AWS_999\",\"controls\":[\"9.1.2\",\"12.4.1\"]},{\"check\":\"prowler:custom\",\"controls\":[\"CLD.9.5.1\"]}]"), "{text}");
        assert_eq!(load(&text), LoadOutcome::Loaded(ws.clone()));
        assert_eq!(import(&export(&ws)).unwrap().list(), ws.list());
        assert_eq!(ws.without_findings().active().unwrap().mappings(), ws.active().unwrap().mappings());
    }

    #[test]
    fn hostile_mappings_are_refused() {
        let text = save(&sample(true));
        for (from, to) in [
            ("\"checkov:CKV_AWS_999\"", "\"aws_s3_bucket_versioning\""),
            ("\"checkov:CKV_AWS_999\"", "\"<img src=x onerror=alert(1)>\""),
            ("\"checkov:CKV_AWS_999\"", "\"prowler:custom\""),
            ("[\"9.1.2\",\"12.4.1\"]", "[\"12.4.1\",\"9.1.2\"]"),
            ("[\"9.1.2\",\"12.4.1\"]", "[\"99.9.9\"]"),
            ("[\"9.1.2\",\"12.4.1\"]", "[]"),
            ("[\"9.1.2\",\"12.4.1\"]", "[\"9.1.2\",\"9.1.2\"]"),
            ("\"controls\":[\"CLD.9.5.1\"]", "\"controls\":[\"CLD.9.5.1\"],\"extra\":1"),
        ] {
            let bad = text.replacen(from, to, 1);
            assert_ne!(bad, text, "{from}");
            assert!(matches!(load(&bad), LoadOutcome::Corrupt { .. }), "{to}: {:?}", load(&bad));
            assert!(import(&bad).is_err(), "{to}");
        }
    }
}
