//! Imported findings into the assessment: each [`Imported`] becomes a
//! [`Finding`] with the check id `tool:ID`, the controls of its
//! [`mapping`](super::mapping) and an [`Origin`]; when the mapping names one of
//! our checks and that check judged the same resource, the pair is one item
//! ([`SameAs`]): the imported finding says whether it agrees, and counts in the
//! roll-up only when it does not (so one condition is counted once, and a
//! disagreement is never hidden: Fail still dominates).
//!
//! **Invariant:** every imported finding comes out, in input order, mapped or
//! not; nothing of the scanner's text is interpreted.

use super::mapping::{Mapper, UserMapping};
use super::{namespace, Imported, ImportedStatus, Origin, SameAs};
use crate::catalog::Catalog;
use crate::checks::{Finding, Message, ResourceRef, RuleSet};
use crate::inventory::Text;
use crate::model::{CheckId, Severity, Status};
use std::collections::HashMap;
use std::sync::Arc;

/// The check id of an imported finding: `tool:ID`, characters the id syntax
/// does not allow replaced by `_`, at most 120 of them.
pub fn check_id(tool: &str, check: &str) -> CheckId {
    let ns = namespace(tool);
    let id: String = check
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || "_.-/:+".contains(c) { c } else { '_' })
        .take(120)
        .collect();
    let id = if id.is_empty() { "unnamed".to_string() } else { id };
    let id = format!("{ns}:{id}");
    // Both halves are in the syntax by construction, so this parses.
    id.parse().unwrap_or_else(|_| CheckId::trusted(&id))
}

/// Lower-case keys a resource is known by: the id, the name, and an ARN's or
/// path's last part (`arn:aws:s3:::logs` is the bucket `logs`).
fn keys(id: &str, name: &str) -> Vec<String> {
    let mut k: Vec<String> = Vec::with_capacity(3);
    for s in [id, name] {
        let s = s.trim();
        if s.is_empty() {
            continue;
        }
        k.push(s.to_ascii_lowercase());
        if let Some(tail) = s.rsplit([':', '/']).next().filter(|t| !t.is_empty() && t.len() < s.len()) {
            k.push(tail.to_ascii_lowercase());
        }
    }
    k.sort();
    k.dedup();
    k
}

/// The findings of `imported`, mapped and joined to `ours` (the evaluated
/// findings of the same assessment).
pub fn findings(imported: Vec<Imported>, ours: &[Finding], rules: &RuleSet, catalog: &Catalog, user: Option<&UserMapping>) -> Vec<Finding> {
    let mut mapper = Mapper::new(rules, catalog, user);
    let mut ids: HashMap<(Arc<super::Tool>, Text), CheckId> = HashMap::new();
    let mapped: Vec<(CheckId, Arc<super::mapping::Mapping>)> = imported
        .iter()
        .map(|f| {
            let id = ids.entry((f.tool.clone(), f.check.clone())).or_insert_with(|| check_id(&f.tool.name, &f.check)).clone();
            let m = mapper.map(&id, f);
            (id, m)
        })
        .collect();
    // Our findings of the checks some imported finding names, by resource key.
    let wanted: std::collections::HashSet<&str> = mapped.iter().filter_map(|(_, m)| m.check.as_ref().map(CheckId::as_str)).collect();
    let mut index: HashMap<(&str, String), &Finding> = HashMap::new();
    if !wanted.is_empty() {
        for f in ours.iter().filter(|f| f.origin.is_none() && wanted.contains(f.check.as_str())) {
            for k in keys(&f.resource.id, &f.resource.name) {
                index.entry((f.check.as_str(), k)).or_insert(f);
            }
        }
    }
    let kind = Text::interned("imported");
    let manual: Arc<str> = Arc::from("the scanner could not decide or asks for a manual review");
    imported
        .into_iter()
        .zip(mapped)
        .map(|(f, (check, mapping))| {
            let rule = mapping.check.as_ref().and_then(|c| rules.rule(c.as_str()));
            let same_as = mapping.check.as_ref().and_then(|c| {
                keys(&f.resource, &f.resource_name).into_iter().find_map(|k| index.get(&(c.as_str(), k)).copied()).map(|ours| SameAs {
                    check: c.clone(),
                    resource: ours.resource.id.clone(),
                    status: ours.status,
                    agrees: f.status.status() == ours.status,
                })
            });
            let resource = Arc::new(ResourceRef {
                provider: f.provider,
                kind: kind.clone(),
                native_type: f.resource_type.clone(),
                id: f.resource.clone(),
                name: f.resource_name.clone(),
                account: f.account.clone(),
                source: f.source.clone(),
            });
            let text = if f.message.is_empty() { f.title.as_str() } else { f.message.as_str() };
            Finding {
                check,
                controls: mapping.controls.clone(),
                status: f.status.status(),
                severity: f.severity.or(rule.map(|r| r.severity)).unwrap_or(Severity::Medium),
                resource,
                message: Message::from(text),
                reason: (f.status == ImportedStatus::Unknown).then(|| manual.clone()),
                evidence: Default::default(),
                origin: Some(Arc::new(Origin { finding: f, mapping, same_as })),
            }
        })
        .collect()
}

/// Does this finding count in the roll-up? Every one of ours does; an imported
/// one unless it agrees with ours on the same condition (then the pair counts
/// once), or is muted or suppressed (status not applicable: counted nowhere).
pub fn counts(f: &Finding) -> bool {
    !f.origin.as_ref().and_then(|o| o.same_as.as_ref()).is_some_and(|s| s.agrees) && f.status != Status::NotApplicable
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_ids_keep_the_tools_id() {
        assert_eq!(check_id("Checkov", "CKV_AWS_19").as_str(), "checkov:CKV_AWS_19");
        assert_eq!(check_id("AWS Security Hub", "S3.1").as_str(), "aws_security_hub:S3.1");
        assert_eq!(check_id("Trivy", "AVD-AWS-0088").as_str(), "trivy:AVD-AWS-0088");
        assert_eq!(check_id("x", "<img src=x>").as_str(), "x:_img_src_x_");
        assert_eq!(check_id("x", "").as_str(), "x:unnamed");
        assert_eq!(check_id("x", &"y".repeat(500)).as_str().len(), 122);
    }

    #[test]
    fn resources_match_by_id_name_or_arn_tail() {
        assert!(keys("arn:aws:s3:::logs", "").contains(&"logs".to_string()));
        assert!(keys("aws_s3_bucket.logs", "my-logs").contains(&"my-logs".to_string()));
        assert!(keys("", "").is_empty());
    }
}
