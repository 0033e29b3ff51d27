//! Google Cloud joins of two facts of one resource: a project's IAM bindings
//! read against the project's own id.

use super::{unknown, Evidence, EvidenceList, Outcome};
use crate::inventory::{Prop, Resource};
use crate::model::Status;
use serde_json::Value;
use smallvec::smallvec;

/// The project of a user-created service account (`NAME@PROJECT.iam.gserviceaccount.com`);
/// Google's service agents (`…@gcp-sa-….iam.gserviceaccount.com`) belong to no customer project.
fn service_account_project(member: &str) -> Option<&str> {
    let email = member.strip_prefix("serviceAccount:")?;
    let (_, domain) = email.rsplit_once('@')?;
    domain.strip_suffix(".iam.gserviceaccount.com").filter(|p| !p.starts_with("gcp-sa-"))
}

/// No binding grants a role to a user-created service account of another project.
pub(super) fn foreign_service_accounts(r: &Resource) -> Outcome {
    let expected = "no role granted to a service account of another project";
    let (bindings, pointer) = match r.prop("iam_bindings") {
        None => return unknown("the export does not state the IAM policy", smallvec![Evidence::new("iam_bindings", expected, Default::default(), None)]),
        Some(Prop::Unknown { reason, pointer }) => {
            return unknown(format!("iam_bindings is not known ({reason})"), smallvec![Evidence::new("iam_bindings", expected, pointer.clone(), None)]);
        }
        Some(Prop::Known { value, pointer }) => (value, pointer.clone()),
    };
    let evidence: EvidenceList = smallvec![Evidence::new("iam_bindings", expected, pointer, Some(bindings.clone()))];
    let own = match r.prop("project_id") {
        Some(Prop::Known { value, .. }) => value.as_str().map(str::to_string),
        _ => None,
    };
    let Some(list) = bindings.as_array() else {
        return unknown("iam_bindings is not a list of bindings", evidence);
    };
    let mut partial = None;
    let mut foreign_seen = false;
    for b in list {
        if b.get("unknown").is_some() {
            partial = Some("part of the policy is not in the export");
            continue;
        }
        for m in b.get("members").and_then(Value::as_array).into_iter().flatten() {
            match m.as_str() {
                Some(m) => {
                    if let Some(p) = service_account_project(m) {
                        match &own {
                            Some(own) if !p.eq_ignore_ascii_case(own) => return Outcome { status: Status::Fail, evidence, reason: None },
                            Some(_) => {}
                            None => foreign_seen = true,
                        }
                    }
                }
                None => partial = Some("a member known only after apply"),
            }
        }
    }
    if foreign_seen {
        return unknown("the project's own id is not in the export, so its service accounts cannot be told from others", evidence);
    }
    match partial {
        Some(why) => unknown(why, evidence),
        None => Outcome { status: Status::Pass, evidence, reason: None },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_accounts_are_placed_in_their_project() {
        assert_eq!(service_account_project("serviceAccount:ci@tools-prod.iam.gserviceaccount.com"), Some("tools-prod"));
        assert_eq!(service_account_project("serviceAccount:123-compute@developer.gserviceaccount.com"), None);
        assert_eq!(service_account_project("serviceAccount:service-1@gcp-sa-cloud-sql.iam.gserviceaccount.com"), None);
        assert_eq!(service_account_project("user:a@example.com"), None);
    }
}
