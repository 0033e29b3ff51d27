//! Kubernetes manifests and `kubectl get -o json|yaml` output: YAML streams
//! (multi-document), a JSON object, a JSON array, and `kind: List` wrappers.
//!
//! Owns the mapping of workloads (Pod, Deployment, DaemonSet, StatefulSet,
//! ReplicaSet, ReplicationController, Job, CronJob) onto `k8s_workload`, each
//! container of their pod template onto `k8s_container` (`pod.rs`), and of
//! Role/ClusterRole, RoleBinding/ClusterRoleBinding, ServiceAccount,
//! NetworkPolicy, Namespace, LimitRange and ConfigMap onto their kinds (`objects.rs`);
//! every other object is `other`.
//!
//! A namespaced object without `metadata.namespace` goes to the namespace
//! given when it is applied (`kubectl apply -n`, else the kubeconfig
//! context's namespace, `default` when neither is set): its `namespace` is
//! unknown, and its id keeps the `default/` prefix it has always had.
//!
//! Invariant: each object is read once, from its own fields; the
//! `kubectl.kubernetes.io/last-applied-configuration` annotation (a JSON copy
//! of the spec) is never parsed, so nothing is counted twice.
//! Invariant: container lists name every container of the pod template
//! (`containers`, `initContainers`, `ephemeralContainers`) that matches.

mod objects;
mod pod;
pub(crate) use pod::secret_like;

use super::util::{loose_bool, loose_f64, ptr};
use super::yaml::YamlDoc;
use super::{Document, IngestError, ParseOutput};
use crate::inventory::{Diagnostic, DiagnosticLevel, Inventory, Provider, Resource, SourceRef, Text};
use serde_json::Value;
use std::collections::BTreeMap;

/// Kinds that are not namespaced (their id has no namespace).
const CLUSTER_SCOPED: &[&str] = &[
    "Namespace",
    "Node",
    "PersistentVolume",
    "ClusterRole",
    "ClusterRoleBinding",
    "CustomResourceDefinition",
    "StorageClass",
    "PriorityClass",
    "ValidatingWebhookConfiguration",
    "MutatingWebhookConfiguration",
    "APIService",
    "PodSecurityPolicy",
    "IngressClass",
    "RuntimeClass",
];

/// Deepest `List` nesting followed.
const MAX_LIST_DEPTH: usize = 8;

/// One object to map, with where it is.
struct Obj<'a> {
    v: &'a Value,
    /// Pointer in the whole input (`/{doc}/items/3` for YAML).
    pointer: String,
    line: Option<u32>,
    /// Its YAML document and pointer within it (for the lines of its parts).
    yaml: Option<(&'a YamlDoc, String)>,
}

/// The canonical kinds (besides `other`) Kubernetes manifests can give.
/// Checked against what the parser emits on `tests/fixtures/ingest` by `tests/ingest_kinds.rs`.
pub(super) const KINDS: &[(Provider, &str)] = &[
    (Provider::Kubernetes, "k8s_workload"),
    (Provider::Kubernetes, "k8s_container"),
    (Provider::Kubernetes, "k8s_role"),
    (Provider::Kubernetes, "k8s_role_binding"),
    (Provider::Kubernetes, "k8s_service_account"),
    (Provider::Kubernetes, "k8s_network_policy"),
    (Provider::Kubernetes, "k8s_namespace"),
    (Provider::Kubernetes, "k8s_limit_range"),
    (Provider::Kubernetes, "k8s_config_map"),
];

/// Read Kubernetes objects.
pub(super) fn parse(file: &str, doc: &Document) -> ParseOutput {
    let mut objs: Vec<Obj> = Vec::new();
    let mut diags = Vec::new();
    match doc {
        Document::Yaml(docs) => {
            for (di, d) in docs.iter().enumerate() {
                if d.value.is_null() {
                    continue;
                }
                flatten(&d.value, format!("/{di}"), "", Some(d), 0, &mut objs, &mut diags, file);
            }
        }
        Document::Json(v @ Value::Object(_)) => flatten(v, String::new(), "", None, 0, &mut objs, &mut diags, file),
        Document::Json(Value::Array(a)) => {
            for (i, v) in a.iter().enumerate() {
                flatten(v, format!("/{i}"), "", None, 0, &mut objs, &mut diags, file);
            }
        }
        _ => return Err(IngestError::Unrecognised("Kubernetes objects are YAML or JSON".into())),
    }
    let mut out = Vec::with_capacity(objs.len());
    for o in objs {
        let src = SourceRef { file: file.to_string().into(), pointer: o.pointer.clone().into(), line: o.line };
        let kind = o.v.get("kind").and_then(Value::as_str);
        let name = o.v.get("metadata").and_then(|m| m.get("name")).and_then(Value::as_str);
        let (Some(kind), Some(name)) = (kind, name) else {
            diags.push(Diagnostic {
                level: DiagnosticLevel::Warning,
                message: "an object without kind or metadata.name was skipped".into(),
                source: Some(src),
            });
            continue;
        };
        let namespace = o.v.get("metadata").and_then(|m| m.get("namespace")).and_then(Value::as_str).filter(|s| !s.is_empty());
        let id = if CLUSTER_SCOPED.contains(&kind) { format!("{kind}/{name}") } else { format!("{}/{kind}/{name}", namespace.unwrap_or("default")) };
        let mut res = Resource {
            provider: Provider::Kubernetes,
            kind: Text::interned("other"),
            native_type: Text::interned(kind),
            id: id.into(),
            name: name.to_string().into(),
            region: None,
            account: None,
            source: src,
            props: Default::default(),
        };
        let spec_path: Option<&[&str]> = match kind {
            "Pod" => Some(&["spec"]),
            "Deployment" | "DaemonSet" | "StatefulSet" | "ReplicaSet" | "ReplicationController" | "Job" => Some(&["spec", "template", "spec"]),
            "CronJob" => Some(&["spec", "jobTemplate", "spec", "template", "spec"]),
            _ => None,
        };
        let namespaced = !CLUSTER_SCOPED.contains(&kind);
        if namespaced {
            let mp = ptr(&o.pointer, "metadata");
            match namespace {
                Some(ns) => res.set("namespace", ns, ptr(&mp, "namespace")),
                None => res.set_unknown("namespace", "metadata.namespace is not set: the object goes to the namespace given when it is applied", mp),
            }
        }
        let mut containers = Vec::new();
        if let Some(path) = spec_path {
            res.kind = Text::interned("k8s_workload");
            let mut p = o.pointer.clone();
            let mut cur = Some(o.v);
            // The pod template's metadata is beside its spec (the object's own for a Pod).
            let mut meta = (o.v.get("metadata"), ptr(&o.pointer, "metadata"));
            for (i, k) in path.iter().enumerate() {
                if i + 1 == path.len() && i > 0 {
                    meta = (cur.and_then(|c| c.get("metadata")), ptr(&p, "metadata"));
                }
                cur = cur.and_then(|c| c.get(k));
                p = ptr(&p, k);
            }
            match cur.filter(|s| s.is_object()) {
                Some(spec) => {
                    workload(&mut res, spec, &p);
                    let line = |full: &str| -> Option<u32> {
                        let (doc, in_doc) = o.yaml.as_ref()?;
                        let rest = full.strip_prefix(o.pointer.as_str())?;
                        line_of(&doc.lines, &format!("{in_doc}{rest}"))
                    };
                    let t = pod::Template { spec, pointer: p, meta: meta.0, meta_pointer: meta.1, line: &line };
                    containers = pod::map(&mut res, &t);
                }
                None => diags.push(Diagnostic {
                    level: DiagnosticLevel::Warning,
                    message: format!("{kind} {name} has no pod spec at {}; its security settings were not read", path.join(".")),
                    source: Some(res.source.clone()),
                }),
            }
        } else {
            match kind {
                "Role" | "ClusterRole" => {
                    role(&mut res, o.v, &o.pointer, kind == "ClusterRole");
                    objects::role(&mut res, o.v, &o.pointer);
                }
                "RoleBinding" | "ClusterRoleBinding" => objects::binding(&mut res, o.v, &o.pointer, namespace, kind == "ClusterRoleBinding"),
                "ServiceAccount" => objects::service_account(&mut res, o.v, &o.pointer),
                "NetworkPolicy" => objects::network_policy(&mut res, o.v, &o.pointer),
                "Namespace" => objects::namespace(&mut res, o.v, &o.pointer),
                "LimitRange" => objects::limit_range(&mut res, o.v, &o.pointer),
                "ConfigMap" => objects::config_map(&mut res, o.v, &o.pointer),
                _ => {}
            }
        }
        out.push(res);
        out.append(&mut containers);
    }
    Ok((Inventory { resources: out }, diags))
}

/// Push `v`, or the items of a `kind: List`, onto `out`.
#[allow(clippy::too_many_arguments)]
fn flatten<'a>(v: &'a Value, pointer: String, in_doc: &str, yaml: Option<&'a YamlDoc>, depth: usize, out: &mut Vec<Obj<'a>>, diags: &mut Vec<Diagnostic>, file: &str) {
    let line = yaml.and_then(|d| line_of(&d.lines, in_doc));
    let is_list = v.get("kind").and_then(Value::as_str).is_some_and(|k| k == "List" || k.ends_with("List")) && v.get("items").is_some_and(Value::is_array);
    if is_list {
        if depth >= MAX_LIST_DEPTH {
            diags.push(Diagnostic {
                level: DiagnosticLevel::Warning,
                message: "Lists nested deeper than 8 levels were skipped".into(),
                source: Some(SourceRef { file: file.to_string().into(), pointer: pointer.into(), line }),
            });
            return;
        }
        if let Some(items) = v.get("items").and_then(Value::as_array) {
            for (i, item) in items.iter().enumerate() {
                flatten(item, format!("{pointer}/items/{i}"), &format!("{in_doc}/items/{i}"), yaml, depth + 1, out, diags, file);
            }
        }
        return;
    }
    if !v.is_object() {
        diags.push(Diagnostic {
            level: DiagnosticLevel::Warning,
            message: "a document that is not an object was skipped".into(),
            source: Some(SourceRef { file: file.to_string().into(), pointer: pointer.into(), line }),
        });
        return;
    }
    out.push(Obj { v, pointer, line, yaml: yaml.map(|d| (d, in_doc.to_string())) });
}

/// Line of a node, or of its nearest ancestor that has one.
fn line_of(lines: &BTreeMap<String, u32>, pointer: &str) -> Option<u32> {
    let mut p = pointer;
    loop {
        if let Some(l) = lines.get(p) {
            return Some(*l);
        }
        match p.rsplit_once('/') {
            Some((head, _)) => p = head,
            None => return None,
        }
    }
}

/// A securityContext field, container first, then pod.
fn sc<'a>(container: &'a Value, pod: &'a Value, key: &str) -> Option<&'a Value> {
    container.get("securityContext").and_then(|s| s.get(key)).filter(|v| !v.is_null()).or_else(|| pod.get("securityContext").and_then(|s| s.get(key)).filter(|v| !v.is_null()))
}

fn workload(res: &mut Resource, spec: &Value, sp: &str) {
    let mut privileged = Vec::new();
    let mut root = Vec::new();
    let mut escalation = Vec::new();
    let mut caps = Vec::new();
    for key in ["containers", "initContainers", "ephemeralContainers"] {
        let Some(list) = spec.get(key).and_then(Value::as_array) else { continue };
        for (i, c) in list.iter().enumerate() {
            let name = c.get("name").and_then(Value::as_str).map(str::to_string).unwrap_or_else(|| format!("{key}[{i}]"));
            let own = |k: &str| c.get("securityContext").and_then(|s| s.get(k)).filter(|v| !v.is_null());
            let is_priv = own("privileged").and_then(loose_bool) == Some(true);
            if is_priv {
                privileged.push(Value::String(name.clone()));
            }
            // allowPrivilegeEscalation defaults to true; privileged implies it.
            if is_priv || own("allowPrivilegeEscalation").and_then(loose_bool) != Some(false) {
                escalation.push(Value::String(name.clone()));
            }
            let uid = sc(c, spec, "runAsUser").and_then(loose_f64);
            let non_root = sc(c, spec, "runAsNonRoot").and_then(loose_bool) == Some(true);
            let may_be_root = match uid {
                Some(u) => u == 0.0,
                None => !non_root,
            };
            if may_be_root {
                root.push(Value::String(name.clone()));
            }
            let adds = own("capabilities").and_then(|c| c.get("add")).and_then(Value::as_array).is_some_and(|a| !a.is_empty());
            if adds {
                caps.push(Value::String(name));
            }
        }
    }
    res.set("privileged_containers", Value::Array(privileged), sp.to_string());
    res.set("root_containers", Value::Array(root), sp.to_string());
    res.set("privilege_escalation_containers", Value::Array(escalation), sp.to_string());
    res.set("added_capabilities", Value::Array(caps), sp.to_string());
    for (key, prop) in [("hostNetwork", "host_network"), ("hostPID", "host_pid"), ("hostIPC", "host_ipc")] {
        match spec.get(key).and_then(loose_bool) {
            Some(b) => res.set(prop, b, ptr(sp, key)),
            None => res.set(prop, false, sp.to_string()),
        }
    }
    let host_paths: Vec<Value> = spec
        .get("volumes")
        .and_then(Value::as_array)
        .map(|vs| {
            vs.iter()
                .filter(|v| v.get("hostPath").is_some_and(|h| !h.is_null()))
                .map(|v| Value::String(v.get("name").and_then(Value::as_str).unwrap_or("").to_string()))
                .collect()
        })
        .unwrap_or_default();
    res.set("host_path_volumes", Value::Array(host_paths), ptr(sp, "volumes"));
}

fn role(res: &mut Resource, v: &Value, p: &str, cluster: bool) {
    res.kind = Text::interned("k8s_role");
    let rules = v.get("rules").and_then(Value::as_array);
    let has_star = |key: &str| -> Option<String> {
        rules?.iter().enumerate().find_map(|(i, r)| {
            let star = r.get(key).and_then(Value::as_array).is_some_and(|a| a.iter().any(|x| x.as_str() == Some("*")));
            star.then(|| format!("{p}/rules/{i}/{key}"))
        })
    };
    let rp = ptr(p, "rules");
    match has_star("verbs") {
        Some(at) => res.set("wildcard_verbs", true, at),
        None => res.set("wildcard_verbs", false, rp.clone()),
    }
    match has_star("resources") {
        Some(at) => res.set("wildcard_resources", true, at),
        None => res.set("wildcard_resources", false, rp),
    }
    res.set("cluster_scope", cluster, ptr(p, "kind"));
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn one(v: Value) -> Resource {
        match parse("x.json", &Document::Json(v)) {
            Ok((inv, _)) => inv.resources.into_iter().next().unwrap_or_else(|| panic!("no resource")),
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn cronjob_spec_and_root_rules() {
        let r = one(json!({"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "c", "namespace": "ns"},
            "spec": {"jobTemplate": {"spec": {"template": {"spec": {
                "securityContext": {"runAsNonRoot": true},
                "containers": [{"name": "a"}, {"name": "b", "securityContext": {"runAsUser": 0, "allowPrivilegeEscalation": false}}],
                "initContainers": [{"name": "i", "securityContext": {"capabilities": {"add": ["NET_ADMIN"]}}}]}}}}}}));
        assert_eq!(r.id, "ns/CronJob/c");
        assert_eq!(r.prop("root_containers").and_then(|p| p.value()), Some(&json!(["b"])));
        assert_eq!(r.prop("privilege_escalation_containers").and_then(|p| p.value()), Some(&json!(["a", "i"])));
        assert_eq!(r.prop("added_capabilities").and_then(|p| p.value()), Some(&json!(["i"])));
    }

    #[test]
    fn last_applied_annotation_is_ignored() {
        let applied = r#"{"kind":"Pod","spec":{"containers":[{"name":"x","securityContext":{"privileged":true}}]}}"#;
        let r = one(json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "annotations": {"kubectl.kubernetes.io/last-applied-configuration": applied}},
            "spec": {"containers": [{"name": "x"}]}}));
        assert_eq!(r.prop("privileged_containers").and_then(|p| p.value()), Some(&json!([])));
    }

    #[test]
    fn broken_objects_are_diagnostics() {
        let (inv, diags) = match parse("x.json", &Document::Json(json!([{"kind": "Pod"}, 3, {"apiVersion": "v1", "kind": "Deployment", "metadata": {"name": "d"}}]))) {
            Ok(x) => x,
            Err(e) => panic!("{e}"),
        };
        assert_eq!(inv.resources.len(), 1);
        assert_eq!(diags.len(), 3);
    }
}
