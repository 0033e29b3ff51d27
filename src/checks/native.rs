//! Native evaluators: the escape hatch for what a predicate over one
//! resource cannot express (joins across resources, ages relative to today).
//! Each keeps a `rule.toml` with `native = "<name>"` and a `cases.toml`.

mod gcp;
mod k8s;

use super::eval::{Evidence, EvidenceList, Outcome};
use super::{parse_iso_date, Context};
use crate::inventory::{Inventory, Prop, Provider, Resource};
use crate::model::Status;
use serde_json::Value;
use smallvec::smallvec;
use std::sync::Arc;

const NAMES: &[&str] = &[
    "access_keys_rotated_90_days",
    "network_flow_logs",
    "k8s_service_account_token",
    "k8s_network_policy",
    "k8s_memory_limit",
    "k8s_cpu_limit",
    "gcp_foreign_service_accounts",
    "gcp_all_entries_sink",
];

/// Is there an evaluator of this name?
pub fn exists(name: &str) -> bool {
    NAMES.contains(&name)
}

/// Run the named evaluator on one resource.
pub fn evaluate(name: &str, r: &Resource, inv: &Inventory, ctx: &Context) -> Outcome {
    match name {
        "access_keys_rotated_90_days" => access_keys_rotated(r, ctx, 90),
        "network_flow_logs" => network_flow_logs(r, inv),
        "k8s_service_account_token" => k8s::service_account_token(r, inv),
        "k8s_network_policy" => k8s::network_policy(r, inv),
        "k8s_memory_limit" => k8s::limit(r, inv, "memory_limit", "default_memory_limit"),
        "k8s_cpu_limit" => k8s::limit(r, inv, "cpu_limit", "default_cpu_limit"),
        "gcp_foreign_service_accounts" => gcp::foreign_service_accounts(r),
        "gcp_all_entries_sink" => gcp::all_entries_sink(r, inv),
        _ => Outcome { status: Status::Indeterminate, evidence: EvidenceList::new(), reason: Some(Arc::from(format!("no evaluator {name}"))) },
    }
}

fn unknown(reason: impl Into<String>, evidence: EvidenceList) -> Outcome {
    Outcome { status: Status::Indeterminate, evidence, reason: Some(Arc::from(reason.into())) }
}

/// Every active access key was rotated within `max_days` of the assessment date.
fn access_keys_rotated(r: &Resource, ctx: &Context, max_days: i64) -> Outcome {
    let expected = format!("active access keys rotated within {max_days} days");
    let (keys, pointer) = match r.prop("access_keys") {
        None => return unknown("the export does not list access keys", EvidenceList::new()),
        Some(Prop::Unknown { reason, .. }) => return unknown(format!("access keys not known ({reason})"), EvidenceList::new()),
        Some(Prop::Known { value, pointer }) => (value, pointer.clone()),
    };
    let evidence = smallvec![Evidence::new("access_keys", &expected, pointer, Some(keys.clone()))];
    let Some(keys) = keys.as_array() else {
        return unknown("access_keys is not a list", evidence);
    };
    let mut undetermined = false;
    for k in keys {
        if k.get("active").and_then(Value::as_bool) != Some(true) {
            continue;
        }
        match k.get("last_rotated").and_then(Value::as_str).and_then(parse_iso_date) {
            Some(day) if ctx.today - day > max_days => return Outcome { status: Status::Fail, evidence, reason: None },
            Some(_) => {}
            None => undetermined = true,
        }
    }
    if undetermined {
        unknown("an active key has no rotation date", evidence)
    } else {
        Outcome { status: Status::Pass, evidence, reason: None }
    }
}

/// A network has flow logs: its own `flow_logs` property, or a `flow_log`
/// resource whose `target_id` names it.
fn network_flow_logs(r: &Resource, inv: &Inventory) -> Outcome {
    let expected = "flow logs enabled for the network".to_string();
    if let Some(Prop::Known { value, pointer }) = r.prop("flow_logs").filter(|p| p.is_true()) {
        return Outcome {
            status: Status::Pass,
            evidence: smallvec![Evidence::new("flow_logs", &expected, pointer.clone(), Some(value.clone()))],
            reason: None,
        };
    }
    let mut saw_unknown_target = false;
    let mut flow_logs_in_input = false;
    // Azure ids are case-insensitive.
    let names = |t: &str| r.id == *t || r.name == *t || (r.provider == Provider::Azure && r.id.eq_ignore_ascii_case(t));
    for fl in inv.of_kind("flow_log").filter(|f| f.provider == r.provider) {
        flow_logs_in_input = true;
        // A flow log that is off records nothing.
        match fl.prop("enabled") {
            Some(Prop::Known { value, .. }) if value.as_bool() == Some(false) => continue,
            // Whether it records is not known: it can neither count nor be ignored.
            Some(Prop::Unknown { .. }) if fl.prop("target_id").is_some_and(|t| matches!(t, Prop::Known { value, .. } if value.as_str().is_some_and(names))) => {
                saw_unknown_target = true;
                continue;
            }
            _ => {}
        }
        // One that records an NSG, a subnet or an interface (Azure) does not record the whole network.
        if matches!(fl.prop("target_type"), Some(Prop::Known { value, .. }) if value.as_str() != Some("virtual_network")) {
            continue;
        }
        match fl.prop("target_id") {
            Some(Prop::Known { value, pointer }) if value.as_str().is_some_and(names) => {
                return Outcome {
                    status: Status::Pass,
                    evidence: smallvec![Evidence::new("flow_log.target_id", &expected, pointer.clone(), Some(value.clone()))],
                    reason: None,
                }
            }
            Some(Prop::Unknown { .. }) => saw_unknown_target = true,
            _ => {}
        }
    }
    let observed = match r.prop("flow_logs") {
        Some(Prop::Known { value, .. }) => Some(value.clone()),
        _ => None,
    };
    let pointer = r.prop("flow_logs").map(|p| p.pointer().clone()).unwrap_or_default();
    let evidence = smallvec![Evidence::new("flow_logs", &expected, pointer, observed)];
    if saw_unknown_target {
        unknown("a flow log's target is not known yet", evidence)
    } else if r.provider == Provider::Azure && !flow_logs_in_input {
        // Network Watcher keeps flow logs in its own resource group
        // (NetworkWatcherRG unless chosen otherwise), which an export of the
        // network's resource group or subscription slice may leave out.
        unknown("the input holds no Network Watcher flow logs; they live in the Network Watcher's resource group (NetworkWatcherRG by default): assess its export with this one", evidence)
    } else {
        Outcome { status: Status::Fail, evidence, reason: None }
    }
}
