//! Kubernetes objects other than workloads: RBAC roles and bindings,
//! ServiceAccounts, NetworkPolicies, Namespaces, LimitRanges and ConfigMaps. Each is
//! mapped from its own fields only; joins (which policy selects which pod,
//! which service account a pod uses) are made by the checks over the whole
//! inventory, since the objects may come from different files.

use super::super::util::{loose_bool, ptr};
use crate::inventory::{Resource, Text};
use serde_json::{Map, Value};

/// A rule's list of strings (`verbs`, `resources`, `apiGroups`), or `None`
/// when it is not a list of strings.
fn strings<'a>(rule: &'a Value, key: &str) -> Option<Vec<&'a str>> {
    match rule.get(key) {
        None | Some(Value::Null) => Some(Vec::new()),
        Some(Value::Array(a)) => a.iter().map(Value::as_str).collect(),
        Some(_) => None,
    }
}

/// Verbs that let a subject grant itself more than it has.
const ESCALATION_VERBS: &[&str] = &["bind", "escalate", "impersonate"];

/// Role / ClusterRole: the facts beyond the wildcard ones (set by the caller).
/// An aggregated ClusterRole written without rules gets its rules from the
/// cluster: its facts are unknown.
pub(super) fn role(res: &mut Resource, v: &Value, p: &str) {
    let rp = ptr(p, "rules");
    let rules = v.get("rules").and_then(Value::as_array);
    let aggregated = v.get("aggregationRule").is_some_and(|a| !a.is_null()) && rules.is_none_or(|r| r.is_empty());
    if aggregated {
        let why = "an aggregated ClusterRole: the cluster fills in its rules from the ClusterRoles its aggregationRule selects";
        for prop in ["wildcard_verbs", "wildcard_resources", "escalation_verbs", "secrets_verbs", "exec_access"] {
            res.set_unknown(prop, why, ptr(p, "aggregationRule"));
        }
        return;
    }
    let mut escalation: Vec<&str> = Vec::new();
    let mut secrets: Vec<&str> = Vec::new();
    let mut exec: Vec<String> = Vec::new();
    let mut odd = None;
    for (i, rule) in rules.into_iter().flatten().enumerate() {
        let (Some(verbs), Some(resources), Some(groups)) = (strings(rule, "verbs"), strings(rule, "resources"), strings(rule, "apiGroups")) else {
            odd = Some(ptr(&rp, i));
            continue;
        };
        for verb in verbs.iter().filter(|v| ESCALATION_VERBS.contains(v)) {
            if !escalation.contains(verb) {
                escalation.push(verb);
            }
        }
        // Rules limited to named objects (`resourceNames`) are not broad reads.
        let named = rule.get("resourceNames").and_then(Value::as_array).is_some_and(|a| !a.is_empty());
        let core = groups.iter().any(|g| g.is_empty() || *g == "*");
        let on_secrets = resources.iter().any(|r| *r == "secrets" || *r == "*");
        // Running commands in pods: pods/exec and pods/attach (create, and get
        // for WebSocket clients), and the kubelet API through nodes/proxy.
        for res_name in resources.iter().filter(|r| ["pods/exec", "pods/attach", "nodes/proxy"].contains(r)) {
            for verb in verbs.iter().filter(|v| ["create", "get", "*"].contains(v)) {
                let entry = format!("{verb} {res_name}");
                if core && !exec.contains(&entry) {
                    exec.push(entry);
                }
            }
        }
        if core && on_secrets && !named {
            for verb in verbs.iter().filter(|v| ["get", "list", "watch", "*"].contains(v)) {
                if !secrets.contains(verb) {
                    secrets.push(verb);
                }
            }
        }
    }
    if let Some(at) = odd {
        for prop in ["escalation_verbs", "secrets_verbs", "exec_access"] {
            res.set_unknown(prop, "a rule's verbs, resources or apiGroups are not lists of strings", &at);
        }
        return;
    }
    escalation.sort_unstable();
    secrets.sort_unstable();
    res.set("escalation_verbs", Value::Array(escalation.into_iter().map(Value::from).collect()), &rp);
    exec.sort_unstable();
    res.set("secrets_verbs", Value::Array(secrets.into_iter().map(Value::from).collect()), &rp);
    res.set("exec_access", Value::Array(exec.into_iter().map(Value::from).collect()), rp);
}

/// Groups and users that stand for everyone, every authenticated user or every service account.
const BROAD: &[(&str, &str)] = &[
    ("Group", "system:authenticated"),
    ("Group", "system:unauthenticated"),
    ("User", "system:anonymous"),
    ("Group", "system:serviceaccounts"),
];

/// RoleBinding / ClusterRoleBinding.
pub(super) fn binding(res: &mut Resource, v: &Value, p: &str, namespace: Option<&str>, cluster: bool) {
    res.kind = Text::interned("k8s_role_binding");
    res.set("cluster_scope", cluster, ptr(p, "kind"));
    let rr = v.get("roleRef");
    match (rr.and_then(|r| r.get("kind")).and_then(Value::as_str), rr.and_then(|r| r.get("name")).and_then(Value::as_str)) {
        (Some(k), Some(n)) => res.set("role_ref", format!("{k}/{n}"), ptr(p, "roleRef")),
        _ => res.set_unknown("role_ref", "roleRef has no kind and name", ptr(p, "roleRef")),
    }
    let sp = ptr(p, "subjects");
    let subjects = match v.get("subjects") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(a)) => a.iter().collect(),
        Some(_) => {
            for prop in ["subjects", "non_system_subjects", "broad_subjects", "default_service_account_subjects"] {
                res.set_unknown(prop, "subjects is not a list", &sp);
            }
            return;
        }
    };
    let (mut all, mut non_system, mut broad, mut default_sa) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for s in subjects {
        let kind = s.get("kind").and_then(Value::as_str).unwrap_or("");
        let name = s.get("name").and_then(Value::as_str).unwrap_or("");
        let label = if kind == "ServiceAccount" {
            // A service account subject without namespace is refused by the
            // API server for ClusterRoleBindings; kubectl fills it for RoleBindings.
            let ns = s.get("namespace").and_then(Value::as_str).filter(|n| !n.is_empty()).or(namespace).unwrap_or("");
            if name == "default" {
                default_sa.push(Value::String(format!("ServiceAccount/{ns}/{name}")));
            }
            if ns != "kube-system" {
                non_system.push(Value::String(format!("ServiceAccount/{ns}/{name}")));
            }
            format!("ServiceAccount/{ns}/{name}")
        } else {
            if !name.starts_with("system:") {
                non_system.push(Value::String(format!("{kind}/{name}")));
            }
            format!("{kind}/{name}")
        };
        if BROAD.iter().any(|(k, n)| *k == kind && *n == name) {
            broad.push(Value::String(label.clone()));
        }
        all.push(Value::String(label));
    }
    res.set("subjects", Value::Array(all), &sp);
    res.set("non_system_subjects", Value::Array(non_system), &sp);
    res.set("broad_subjects", Value::Array(broad), &sp);
    res.set("default_service_account_subjects", Value::Array(default_sa), sp);
}

/// ServiceAccount: whether pods using it get its token by default.
pub(super) fn service_account(res: &mut Resource, v: &Value, p: &str) {
    res.kind = Text::interned("k8s_service_account");
    match v.get("automountServiceAccountToken").filter(|x| !x.is_null()) {
        None => res.set("automount_service_account_token", Value::Null, p),
        Some(x) => match loose_bool(x) {
            Some(b) => res.set("automount_service_account_token", b, ptr(p, "automountServiceAccountToken")),
            None => res.set_unknown("automount_service_account_token", "automountServiceAccountToken is not true or false", ptr(p, "automountServiceAccountToken")),
        },
    }
}

/// NetworkPolicy: which pods it selects and which directions it isolates.
pub(super) fn network_policy(res: &mut Resource, v: &Value, p: &str) {
    res.kind = Text::interned("k8s_network_policy");
    let spec = v.get("spec");
    let sp = ptr(p, "spec");
    match spec.and_then(|s| s.get("podSelector")) {
        Some(sel @ Value::Object(_)) => res.set("pod_selector", sel.clone(), ptr(&sp, "podSelector")),
        // podSelector is required; an empty one selects every pod of the namespace.
        None | Some(Value::Null) => res.set("pod_selector", Value::Object(Map::new()), &sp),
        Some(_) => res.set_unknown("pod_selector", "podSelector is not a label selector", ptr(&sp, "podSelector")),
    }
    // policyTypes defaults to Ingress, plus Egress when the policy has egress rules.
    match spec.and_then(|s| s.get("policyTypes")).filter(|x| !x.is_null()) {
        Some(Value::Array(a)) => res.set("policy_types", Value::Array(a.clone()), ptr(&sp, "policyTypes")),
        Some(_) => res.set_unknown("policy_types", "policyTypes is not a list", ptr(&sp, "policyTypes")),
        None => {
            let mut types = vec![Value::from("Ingress")];
            if spec.and_then(|s| s.get("egress")).is_some_and(|e| !e.is_null()) {
                types.push(Value::from("Egress"));
            }
            res.set("policy_types", Value::Array(types), sp);
        }
    }
}

/// Namespace: the Pod Security Admission level it enforces.
pub(super) fn namespace(res: &mut Resource, v: &Value, p: &str) {
    res.kind = Text::interned("k8s_namespace");
    let lp = ptr(&ptr(p, "metadata"), "labels");
    let key = "pod-security.kubernetes.io/enforce";
    match v.get("metadata").and_then(|m| m.get("labels")).and_then(|l| l.get(key)) {
        Some(Value::String(s)) => res.set("pod_security_enforce", s.as_str(), ptr(&lp, key)),
        Some(_) => res.set_unknown("pod_security_enforce", "the enforce label is not a string", ptr(&lp, key)),
        None => res.set("pod_security_enforce", Value::Null, p),
    }
}

/// LimitRange: the memory and CPU limits it gives containers that set none
/// (`default`, else `max`, which the LimitRanger uses as the default).
pub(super) fn limit_range(res: &mut Resource, v: &Value, p: &str) {
    res.kind = Text::interned("k8s_limit_range");
    let lp = ptr(&ptr(p, "spec"), "limits");
    let mut found: [Option<(String, String)>; 2] = [None, None];
    for (i, l) in v.get("spec").and_then(|s| s.get("limits")).and_then(Value::as_array).into_iter().flatten().enumerate() {
        if l.get("type").and_then(Value::as_str) != Some("Container") {
            continue;
        }
        for (slot, key) in found.iter_mut().zip(["memory", "cpu"]) {
            for source in ["default", "max"] {
                let q = l.get(source).and_then(|d| d.get(key));
                let text = q.and_then(|q| q.as_str().map(str::to_string).or_else(|| q.as_number().map(ToString::to_string)));
                if let (None, Some(t)) = (&slot, text) {
                    *slot = Some((t, ptr(&ptr(&ptr(&lp, i), source), key)));
                }
            }
        }
    }
    for (prop, f) in ["default_memory_limit", "default_cpu_limit"].into_iter().zip(found) {
        match f {
            Some((q, at)) => res.set(prop, q, at),
            None => res.set(prop, Value::Null, &lp),
        }
    }
}

/// ConfigMap: the keys whose values look like secrets (the names only).
pub(super) fn config_map(res: &mut Resource, v: &Value, p: &str) {
    res.kind = Text::interned("k8s_config_map");
    let dp = ptr(p, "data");
    match v.get("data") {
        None | Some(Value::Null) => res.set("secret_like_keys", Value::Array(Vec::new()), p),
        Some(Value::Object(data)) => {
            let keys: Vec<Value> = data
                .iter()
                .filter(|(k, val)| {
                    val.as_str().is_some_and(|text| {
                        super::pod::secret_like(k, text) || (text.contains("-----BEGIN ") && text.contains("PRIVATE KEY-----"))
                    })
                })
                .map(|(k, _)| Value::String(k.clone()))
                .collect();
            res.set("secret_like_keys", Value::Array(keys), dp);
        }
        Some(_) => res.set_unknown("secret_like_keys", "data is not a map", dp),
    }
}
