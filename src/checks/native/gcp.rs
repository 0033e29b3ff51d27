//! Google Cloud joins of two facts of one resource: a project's IAM bindings
//! read against the project's own id.

use super::{unknown, Evidence, EvidenceList, Outcome};
use crate::inventory::{Inventory, Prop, Resource};
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

fn known<'a>(r: &'a Resource, name: &str) -> Option<&'a Value> {
    match r.prop(name) {
        Some(Prop::Known { value, .. }) => Some(value),
        _ => None,
    }
}

/// A sink in the inventory exports every log entry of the project: no filter, enabled, and
/// either the project's own sink or an organization or folder sink that includes its children.
pub(super) fn all_entries_sink(r: &Resource, inv: &Inventory) -> Outcome {
    let expected = "a log sink with no filter exports every entry of the project";
    let own = known(r, "project_id").and_then(Value::as_str).map(str::to_string);
    let mut sinks = 0usize;
    let mut unknown_sink = false;
    for sink in inv.of_kind("log_sink").filter(|x| x.provider == r.provider) {
        sinks += 1;
        let filter = match sink.prop("log_filter") {
            Some(Prop::Known { value, .. }) => value.as_str().map(str::trim),
            Some(Prop::Unknown { .. }) => {
                unknown_sink = true;
                continue;
            }
            None => None,
        };
        let enabled = known(sink, "enabled").and_then(Value::as_bool) != Some(false);
        if filter != Some("") || !enabled {
            continue;
        }
        let scope = known(sink, "sink_scope").and_then(Value::as_str);
        let covers = match scope {
            Some("organization" | "folder") => known(sink, "include_children").and_then(Value::as_bool) == Some(true),
            Some("project") => match (known(sink, "project_id").and_then(Value::as_str), own.as_deref()) {
                (Some(p), Some(o)) => p.eq_ignore_ascii_case(o),
                _ => {
                    unknown_sink = true;
                    false
                }
            },
            _ => false,
        };
        if covers {
            let pointer = sink.prop("log_filter").map(|p| p.pointer().clone()).unwrap_or_default();
            let evidence: EvidenceList = smallvec![Evidence::new("log_sink.log_filter", expected, pointer, Some(std::sync::Arc::new(Value::String(sink.id.to_string()))))];
            return Outcome { status: Status::Pass, evidence, reason: None };
        }
    }
    let evidence: EvidenceList = smallvec![Evidence::new("log_sink.log_filter", expected, Default::default(), None)];
    if sinks == 0 {
        return unknown("the input holds no log sinks (export logging.googleapis.com/LogSink assets, or the sinks' Terraform, with the project)", evidence);
    }
    if unknown_sink {
        return unknown("a log sink's filter or project is not known", evidence);
    }
    Outcome { status: Status::Fail, evidence, reason: None }
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
