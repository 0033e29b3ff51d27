//! Kubernetes joins across objects that may come from different files: the
//! service account a pod uses, the NetworkPolicies of its namespace, the
//! LimitRange defaults of a container's namespace.
//!
//! Namespaces: an object without `metadata.namespace` goes to the namespace
//! it is applied to; two such objects are taken to be in the same namespace
//! (files assessed together are usually applied together), and never in a
//! named one.
//!
//! Invariant: evidence pointers point into the file of the resource the
//! finding is about; other objects are named in the observed value.

use super::{unknown, Evidence, Outcome};
use crate::inventory::{Inventory, Pointer, Prop, Provider, Resource};
use crate::model::Status;
use serde_json::{json, Map, Value};
use smallvec::smallvec;
use std::sync::Arc;

/// The namespace an object is in: `None` when it is the one it is applied to.
fn ns(r: &Resource) -> Option<&str> {
    match r.prop("namespace") {
        Some(Prop::Known { value, .. }) => value.as_str(),
        _ => None,
    }
}

fn known<'r>(r: &'r Resource, prop: &str) -> Option<(&'r Value, &'r Pointer)> {
    match r.prop(prop) {
        Some(Prop::Known { value, pointer }) => Some((value.as_ref(), pointer)),
        _ => None,
    }
}

fn pointer_of(r: &Resource, prop: &str) -> Pointer {
    r.prop(prop).map(|p| p.pointer().clone()).unwrap_or_else(|| r.source.pointer.clone())
}

/// Indeterminate, with the property read as evidence (nothing observed).
fn undecided(reason: impl Into<String>, prop: &str, expected: &str, pointer: Pointer) -> Outcome {
    unknown(reason, smallvec![Evidence::new(prop, expected, pointer, None)])
}

fn outcome(status: Status, prop: &str, expected: &str, pointer: Pointer, observed: Value) -> Outcome {
    Outcome { status, evidence: smallvec![Evidence::new(prop, expected, pointer, Some(Arc::new(observed)))], reason: None }
}

/// Others of `kind` in the same namespace as `r`.
fn in_namespace<'i>(inv: &'i Inventory, kind: &'i str, r: &'i Resource) -> impl Iterator<Item = &'i Resource> + 'i {
    let here = ns(r);
    inv.of_kind(kind).filter(move |o| o.provider == Provider::Kubernetes && ns(o) == here && (here.is_some() || o.prop("namespace").is_some()))
}

/// A pod gets no service-account token: its own `automountServiceAccountToken`,
/// else its service account's, else Kubernetes' default (mounted).
pub(super) fn service_account_token(r: &Resource, inv: &Inventory) -> Outcome {
    const EXPECTED: &str = "automountServiceAccountToken false on the pod, or on its service account when the pod does not set it";
    const PROP: &str = "automount_service_account_token";
    let at = pointer_of(r, PROP);
    match r.prop(PROP) {
        Some(Prop::Unknown { reason, .. }) => return undecided(format!("{PROP} is not known ({reason})"), PROP, EXPECTED, at),
        Some(Prop::Known { value, .. }) if value.is_boolean() => {
            let mounted = value.as_bool() == Some(true);
            let status = if mounted { Status::Fail } else { Status::Pass };
            return outcome(status, PROP, EXPECTED, at, json!({ "pod": value.as_ref() }));
        }
        _ => {}
    }
    let Some(sa) = known(r, "service_account_name").and_then(|(v, _)| v.as_str()) else {
        return undecided("the pod's service account is not known", "service_account_name", EXPECTED, pointer_of(r, "service_account_name"));
    };
    let found = in_namespace(inv, "k8s_service_account", r).find(|s| *s.name == *sa);
    match found {
        Some(s) => match s.prop(PROP) {
            Some(Prop::Known { value, .. }) => {
                let mounted = value.as_bool() != Some(false);
                let observed = json!({ "pod": null, "service_account": s.id.as_str(), "service_account_setting": value.as_ref() });
                outcome(if mounted { Status::Fail } else { Status::Pass }, PROP, EXPECTED, at, observed)
            }
            Some(Prop::Unknown { reason, .. }) => undecided(format!("service account {} does not say ({reason})", s.id), PROP, EXPECTED, at),
            None => undecided(format!("service account {} does not say", s.id), PROP, EXPECTED, at),
        },
        // Kubernetes creates each namespace's `default` service account without the field.
        None if sa == "default" => {
            let observed = json!({ "pod": null, "service_account": "default (not in the files assessed; Kubernetes creates it without automountServiceAccountToken)" });
            outcome(Status::Fail, PROP, EXPECTED, at, observed)
        }
        None => undecided(
            format!("the pod does not set automountServiceAccountToken and its service account {sa} is not among the files assessed; that account's setting decides"),
            PROP,
            EXPECTED,
            at,
        ),
    }
}

/// Does a label selector select these labels? `None` when the selector is malformed.
fn selects(sel: &Value, labels: &Map<String, Value>) -> Option<bool> {
    let sel = sel.as_object()?;
    if let Some(ml) = sel.get("matchLabels").filter(|v| !v.is_null()) {
        for (k, v) in ml.as_object()? {
            if labels.get(k) != Some(v) {
                return Some(false);
            }
        }
    }
    if let Some(me) = sel.get("matchExpressions").filter(|v| !v.is_null()) {
        for e in me.as_array()? {
            let key = e.get("key")?.as_str()?;
            let values: Vec<&str> = e.get("values").and_then(Value::as_array).map(|a| a.iter().filter_map(Value::as_str).collect()).unwrap_or_default();
            let have = labels.get(key).and_then(Value::as_str);
            let ok = match e.get("operator")?.as_str()? {
                "In" => have.is_some_and(|h| values.contains(&h)),
                "NotIn" => !have.is_some_and(|h| values.contains(&h)),
                "Exists" => labels.contains_key(key),
                "DoesNotExist" => !labels.contains_key(key),
                _ => return None,
            };
            if !ok {
                return Some(false);
            }
        }
    }
    Some(true)
}

/// A NetworkPolicy of the pod's namespace selects its pods for ingress.
pub(super) fn network_policy(r: &Resource, inv: &Inventory) -> Outcome {
    const EXPECTED: &str = "a NetworkPolicy in the same namespace whose podSelector selects the pod and whose policyTypes include Ingress";
    let at = pointer_of(r, "pod_labels");
    let Some(labels) = known(r, "pod_labels").and_then(|(v, _)| v.as_object()) else {
        return undecided("the pod's labels are not known", "pod_labels", EXPECTED, at);
    };
    let (mut in_ns, mut unclear) = (Vec::new(), false);
    for p in in_namespace(inv, "k8s_network_policy", r) {
        in_ns.push(Value::String(p.id.to_string()));
        let ingress = known(p, "policy_types").and_then(|(v, _)| v.as_array()).map(|a| a.iter().any(|t| t == "Ingress"));
        let hit = known(p, "pod_selector").and_then(|(sel, _)| selects(sel, labels));
        match (ingress, hit) {
            (Some(true), Some(true)) => {
                return outcome(Status::Pass, "network_policy", EXPECTED, at, json!({ "pod_labels": labels, "selected_by": p.id.as_str() }));
            }
            (None, _) | (_, None) => unclear = true,
            _ => {}
        }
    }
    let namespace = ns(r);
    let defined_here = namespace.is_some_and(|n| inv.of_kind("k8s_namespace").any(|o| o.provider == Provider::Kubernetes && *o.name == *n));
    if unclear {
        return undecided("a NetworkPolicy of the namespace has a selector or policyTypes that could not be read", "network_policy", EXPECTED, at);
    }
    if !in_ns.is_empty() || defined_here {
        let observed = json!({ "pod_labels": labels, "policies_in_namespace": in_ns, "namespace_defined_in_files": defined_here });
        return outcome(Status::Fail, "network_policy", EXPECTED, at, observed);
    }
    let which = namespace.map_or_else(|| "the namespace it is applied to".to_string(), |n| format!("namespace {n}"));
    undecided(
        format!("no NetworkPolicy for {which} is among the files assessed, and the files do not create that namespace; policies applied separately cannot be seen (kubectl get all does not list NetworkPolicies)"),
        "network_policy",
        EXPECTED,
        at,
    )
}

/// A container has a memory (or CPU) limit: its own, or the default a
/// LimitRange of its namespace gives at admission.
pub(super) fn limit(r: &Resource, inv: &Inventory, prop: &str, default_prop: &str) -> Outcome {
    let expected = format!("{prop} set on the container, or a {default_prop} from a LimitRange of its namespace");
    let at = pointer_of(r, prop);
    if known(r, "container_type").is_some_and(|(v, _)| v == "ephemeral") {
        return outcome(Status::Pass, "container_type", &expected, pointer_of(r, "container_type"), json!("ephemeral (may not set resources)"));
    }
    match r.prop(prop) {
        None => return undecided(format!("{prop} is not stated"), prop, &expected, at),
        Some(Prop::Unknown { reason, .. }) => return undecided(format!("{prop} is not known ({reason})"), prop, &expected, at),
        Some(Prop::Known { value, .. }) if !value.is_null() => {
            return outcome(Status::Pass, prop, &expected, at, value.as_ref().clone());
        }
        Some(Prop::Known { .. }) => {}
    }
    for lr in in_namespace(inv, "k8s_limit_range", r) {
        if let Some((v, _)) = known(lr, default_prop).filter(|(v, _)| !v.is_null()) {
            return outcome(Status::Pass, prop, &expected, at, json!({ "container": null, "limit_range": lr.id.as_str(), "default": v }));
        }
    }
    outcome(Status::Fail, prop, &expected, at, Value::Null)
}
