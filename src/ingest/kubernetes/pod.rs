//! Pod templates: the facts of a workload's pod spec (`k8s_workload`) and of
//! each of its containers (`k8s_container`, one resource per entry of
//! `containers`, `initContainers` and `ephemeralContainers`).
//!
//! Facts, not judgements: each property is what applies to the container
//! once inheritance is resolved (a container's `securityContext` field, else
//! the pod's, else the Kubernetes default documented in `docs/inventory.md`),
//! with the pointer of the field it came from (the container itself when the
//! default applies). Checks decide what is acceptable.
//!
//! Invariant: a field the manifest writes with a value of the wrong type is
//! `Unknown` (with the reason), never read as its default.

use super::super::util::{loose_bool, loose_f64, ptr};
use crate::inventory::{Provider, Resource, SourceRef, Text};
use serde_json::{Map, Value};

/// Where a pod template is, and what surrounds it.
pub(super) struct Template<'a> {
    /// The pod spec (`spec`, `spec.template.spec`, …).
    pub spec: &'a Value,
    /// Its pointer in the whole input.
    pub pointer: String,
    /// The pod's metadata (annotations carry legacy seccomp/AppArmor settings).
    pub meta: Option<&'a Value>,
    /// Its pointer in the whole input.
    pub meta_pointer: String,
    /// The line of a pointer in the whole input (YAML), if known.
    pub line: &'a dyn Fn(&str) -> Option<u32>,
}

/// A field of `obj` that is present and not null.
fn field<'a>(obj: &'a Value, key: &str) -> Option<&'a Value> {
    obj.get(key).filter(|v| !v.is_null())
}

/// `securityContext.<key>` of the container, else of the pod: the value and its pointer.
fn inherited<'a>(c: &'a Value, cp: &str, t: &Template<'a>, key: &str) -> Option<(&'a Value, String)> {
    let own = field(c, "securityContext").and_then(|s| field(s, key)).map(|v| (v, ptr(&ptr(cp, "securityContext"), key)));
    own.or_else(|| field(t.spec, "securityContext").and_then(|s| field(s, key)).map(|v| (v, ptr(&ptr(&t.pointer, "securityContext"), key))))
}

/// Set a boolean fact: the value found, or `default` at `at` when absent, or
/// unknown when the manifest writes something that is not a boolean.
fn set_bool(r: &mut Resource, prop: &str, found: Option<(&Value, String)>, default: bool, at: &str) {
    match found {
        None => r.set(prop, default, at),
        Some((v, p)) => match v.as_bool().or_else(|| v.as_str().and_then(|_| loose_bool(v))) {
            Some(b) => r.set(prop, b, p),
            None => r.set_unknown(prop, format!("{prop} is written as {v}, not true or false"), p),
        },
    }
}

/// A number as an integer value when it is one.
fn number(f: f64) -> Value {
    if f.fract() == 0.0 && f.abs() < 9.0e15 {
        Value::from(f as i64)
    } else {
        Value::from(f)
    }
}

/// Capability names as Kubernetes compares them: upper case, without `CAP_`.
fn capability(name: &str) -> String {
    let up = name.trim().to_ascii_uppercase();
    up.strip_prefix("CAP_").map(str::to_string).unwrap_or(up)
}

/// A seccomp or AppArmor profile type from a legacy annotation value.
fn profile_of_annotation(v: &str) -> &'static str {
    let v = v.trim();
    if v == "runtime/default" || v == "docker/default" {
        "RuntimeDefault"
    } else if v.starts_with("localhost/") {
        "Localhost"
    } else if v == "unconfined" {
        "Unconfined"
    } else {
        "Unknown"
    }
}

/// Does an image reference carry a template placeholder (Helm, envsubst)?
fn templated(image: &str) -> bool {
    image.contains("{{") || image.contains("${")
}

/// Tag and digest of an image reference (`registry:5000/a/b:tag@sha256:…`).
pub(crate) fn image_parts(image: &str) -> (Option<&str>, Option<&str>) {
    let (name, digest) = match image.split_once('@') {
        Some((n, d)) => (n, Some(d.trim()).filter(|d| !d.is_empty())),
        None => (image, None),
    };
    let last = name.rsplit('/').next().unwrap_or(name);
    let tag = last.rsplit_once(':').map(|(_, t)| t.trim()).filter(|t| !t.is_empty());
    (tag, digest)
}

/// Environment variable names that usually hold a secret.
const SECRET_WORDS: &[&str] = &[
    "PASSWORD", "PASSWD", "PASSPHRASE", "SECRET", "TOKEN", "API_KEY", "APIKEY", "PRIVATE_KEY", "ACCESS_KEY", "CREDENTIAL", "AUTH_KEY", "CLIENT_KEY",
    "ENCRYPTION_KEY", "SIGNING_KEY", "MASTER_KEY",
];
/// Name endings that say the variable holds where a secret is, or a harmless setting.
const NOT_SECRET_ENDINGS: &[&str] = &["_FILE", "_PATH", "_DIR", "_NAME", "_ID", "_TTL", "_TIMEOUT", "_EXPIRY", "_ENABLED", "_LENGTH", "_HEADER", "_REF", "_KEY_ID"];

/// Does this literal `env` entry look like it carries a secret?
pub(crate) fn secret_like(name: &str, value: &str) -> bool {
    let v = value.trim();
    let known_format = v.starts_with("-----BEGIN ")
        || (v.len() == 20 && (v.starts_with("AKIA") || v.starts_with("ASIA")) && v.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()))
        || ["ghp_", "gho_", "github_pat_", "glpat-", "xoxb-", "xoxp-", "sk_live_"].iter().any(|p| v.starts_with(p))
        || v.find("://").is_some_and(|i| v.get(i + 3..).and_then(|rest| rest.split('/').next()).is_some_and(|auth| auth.contains(':') && auth.contains('@')));
    if known_format {
        return true;
    }
    let n = name.to_ascii_uppercase();
    let harmless_value = v.is_empty()
        || v.parse::<f64>().is_ok()
        || ["true", "false", "yes", "no", "none", "null"].iter().any(|w| v.eq_ignore_ascii_case(w))
        || (v.starts_with("$(") && v.ends_with(')'))
        // A placeholder a template tool fills in, not a value.
        || templated(v);
    SECRET_WORDS.iter().any(|w| n.contains(w)) && !NOT_SECRET_ENDINGS.iter().any(|e| n.ends_with(e)) && !harmless_value
}

/// Map a pod template: facts on the workload `w`, and one `k8s_container`
/// per container, returned in order.
pub(super) fn map(w: &mut Resource, t: &Template) -> Vec<Resource> {
    let sp = t.pointer.as_str();
    // Service account and its token.
    match ["serviceAccountName", "serviceAccount"].iter().find_map(|k| field(t.spec, k).map(|v| (v, ptr(sp, k)))) {
        Some((Value::String(s), p)) if !s.is_empty() => w.set("service_account_name", s.as_str(), p),
        Some((v, p)) if !v.is_string() => w.set_unknown("service_account_name", "serviceAccountName is not a name", p),
        _ => w.set("service_account_name", "default", sp),
    }
    match field(t.spec, "automountServiceAccountToken") {
        None => w.set("automount_service_account_token", Value::Null, sp),
        Some(v) => set_bool(w, "automount_service_account_token", Some((v, ptr(sp, "automountServiceAccountToken"))), true, sp),
    }
    let labels = t.meta.and_then(|m| field(m, "labels"));
    match labels {
        Some(Value::Object(o)) => w.set("pod_labels", Value::Object(o.clone()), ptr(&t.meta_pointer, "labels")),
        Some(_) => w.set_unknown("pod_labels", "the pod's labels are not a map", ptr(&t.meta_pointer, "labels")),
        None => w.set("pod_labels", Value::Object(Map::new()), t.meta_pointer.as_str()),
    }
    let psc = ptr(sp, "securityContext");
    match field(t.spec, "securityContext").and_then(|s| field(s, "sysctls")) {
        None => w.set("sysctls", Value::Array(Vec::new()), sp),
        Some(Value::Array(items)) => {
            let names: Option<Vec<Value>> = items.iter().map(|i| i.get("name").and_then(Value::as_str).map(|s| Value::String(s.to_string()))).collect();
            match names {
                Some(n) => w.set("sysctls", Value::Array(n), ptr(&psc, "sysctls")),
                None => w.set_unknown("sysctls", "a sysctl has no name", ptr(&psc, "sysctls")),
            }
        }
        Some(_) => w.set_unknown("sysctls", "securityContext.sysctls is not a list", ptr(&psc, "sysctls")),
    }

    let mut out = Vec::new();
    for (key, kind) in [("containers", "container"), ("initContainers", "init"), ("ephemeralContainers", "ephemeral")] {
        let Some(list) = t.spec.get(key).and_then(Value::as_array) else { continue };
        let lp = ptr(sp, key);
        for (i, c) in list.iter().enumerate() {
            if !c.is_object() {
                continue;
            }
            let cp = ptr(&lp, i);
            let name = c.get("name").and_then(Value::as_str).map(str::to_string).unwrap_or_else(|| format!("{key}[{i}]"));
            let mut r = Resource {
                provider: Provider::Kubernetes,
                kind: Text::interned("k8s_container"),
                native_type: Text::interned(kind_label(kind)),
                id: format!("{}/{key}/{name}", w.id).into(),
                name: name.clone().into(),
                region: None,
                account: None,
                source: SourceRef { file: w.source.file.clone(), pointer: cp.clone().into(), line: (t.line)(&cp).or(w.source.line) },
                props: Default::default(),
            };
            if let Some(p) = w.prop("namespace") {
                r.props.insert("namespace", p.clone());
            }
            r.set("workload", w.id.as_str(), sp);
            r.set("container_type", kind, cp.as_str());
            container(&mut r, c, &cp, &name, t);
            out.push(r);
        }
    }
    out
}

fn kind_label(kind: &str) -> &'static str {
    match kind {
        "init" => "InitContainer",
        "ephemeral" => "EphemeralContainer",
        _ => "Container",
    }
}

/// The facts of one container.
fn container(r: &mut Resource, c: &Value, cp: &str, name: &str, t: &Template) {
    let csc = ptr(cp, "securityContext");
    let own = |k: &str| field(c, "securityContext").and_then(|s| field(s, k)).map(|v| (v, ptr(&csc, k)));

    // Privilege.
    set_bool(r, "privileged", own("privileged"), false, cp);
    let caps = field(c, "securityContext").and_then(|s| field(s, "capabilities"));
    for (key, prop) in [("add", "capabilities_add"), ("drop", "capabilities_drop")] {
        let at = ptr(&ptr(&csc, "capabilities"), key);
        match caps.and_then(|c| field(c, key)) {
            None => r.set(prop, Value::Array(Vec::new()), cp),
            Some(Value::Array(items)) => {
                let names: Option<Vec<Value>> = items.iter().map(|x| x.as_str().map(|s| Value::String(capability(s)))).collect();
                match names {
                    Some(n) => r.set(prop, Value::Array(n), at),
                    None => r.set_unknown(prop, format!("capabilities.{key} holds something that is not a name"), at),
                }
            }
            Some(_) => r.set_unknown(prop, format!("capabilities.{key} is not a list"), at),
        }
    }
    // allowPrivilegeEscalation: true unless set to false; always true for a
    // privileged container or one given CAP_SYS_ADMIN (the API server refuses
    // `false` with either, so an object saying both is not admitted).
    let privileged = r.prop("privileged").is_some_and(|p| p.is_true());
    let sys_admin = r.prop("capabilities_add").and_then(|p| p.value()).and_then(Value::as_array).is_some_and(|a| a.iter().any(|x| x == "SYS_ADMIN" || x == "ALL"));
    match own("allowPrivilegeEscalation") {
        Some((v, p)) if (privileged || sys_admin) && v.as_bool() == Some(false) => r.set("allow_privilege_escalation", true, p),
        found => set_bool(r, "allow_privilege_escalation", found, true, cp),
    }
    set_bool(r, "read_only_root_filesystem", own("readOnlyRootFilesystem"), false, cp);
    match own("procMount") {
        None => r.set("proc_mount", "Default", cp),
        Some((Value::String(s), p)) => r.set("proc_mount", s.as_str(), p),
        Some((_, p)) => r.set_unknown("proc_mount", "procMount is not a string", p),
    }
    let host_process = field(c, "securityContext")
        .and_then(|s| field(s, "windowsOptions"))
        .and_then(|w| field(w, "hostProcess"))
        .map(|v| (v, ptr(&ptr(&csc, "windowsOptions"), "hostProcess")))
        .or_else(|| {
            field(t.spec, "securityContext")
                .and_then(|s| field(s, "windowsOptions"))
                .and_then(|w| field(w, "hostProcess"))
                .map(|v| (v, ptr(&ptr(&ptr(&t.pointer, "securityContext"), "windowsOptions"), "hostProcess")))
        });
    set_bool(r, "windows_host_process", host_process, false, cp);

    // User.
    set_bool(r, "run_as_non_root", inherited(c, cp, t, "runAsNonRoot"), false, cp);
    match inherited(c, cp, t, "runAsUser") {
        None => r.set("run_as_user", Value::Null, cp),
        Some((v, p)) => match loose_f64(v) {
            Some(u) => r.set("run_as_user", number(u), p),
            None => r.set_unknown("run_as_user", format!("runAsUser is written as {v}, not a number"), p),
        },
    }

    // Confinement: the field (container, then pod), then the legacy annotation.
    let annotations = t.meta.and_then(|m| field(m, "annotations"));
    let ap = ptr(&t.meta_pointer, "annotations");
    let annotation = |key: &str| annotations.and_then(|a| a.get(key)).and_then(Value::as_str).map(|v| (profile_of_annotation(v), ptr(&ap, key)));
    for (sc_key, prop, container_ann, pod_ann) in [
        ("seccompProfile", "seccomp_profile", format!("container.seccomp.security.alpha.kubernetes.io/{name}"), Some("seccomp.security.alpha.kubernetes.io/pod")),
        ("appArmorProfile", "apparmor_profile", format!("container.apparmor.security.beta.kubernetes.io/{name}"), None),
    ] {
        // "Privileged containers always run as Unconfined" (seccomp tutorial).
        if prop == "seccomp_profile" && privileged {
            let at = r.prop("privileged").map(|p| p.pointer().text().into_owned()).unwrap_or_else(|| cp.to_string());
            r.set(prop, "Unconfined", at);
            continue;
        }
        match inherited(c, cp, t, sc_key) {
            Some((v, p)) => match v.get("type").and_then(Value::as_str) {
                Some(ty) => r.set(prop, ty, ptr(&p, "type")),
                None => r.set_unknown(prop, format!("{sc_key} has no type"), p),
            },
            None => match annotation(&container_ann).or_else(|| pod_ann.and_then(annotation)) {
                // The seccomp annotations (deprecated in 1.19) are not honoured by
                // current Kubernetes: whether this one applies depends on the
                // cluster's version. The AppArmor annotation still works.
                Some((ty, p)) if prop == "seccomp_profile" && ty != "Unconfined" => r.set_unknown(
                    prop,
                    format!("only the legacy seccomp annotation asks for {ty}; Kubernetes before 1.25 applied it, current versions ignore it (set securityContext.seccompProfile)"),
                    p,
                ),
                Some((ty, p)) => r.set(prop, ty, p),
                None => r.set(prop, Value::Null, cp),
            },
        }
    }

    // Ports opened on the node.
    match field(c, "ports") {
        None => r.set("host_ports", Value::Array(Vec::new()), cp),
        Some(Value::Array(ports)) => {
            let mut found = Vec::new();
            let mut odd = None;
            for (i, p) in ports.iter().enumerate() {
                match p.get("hostPort").filter(|v| !v.is_null()) {
                    None => {}
                    Some(v) => match loose_f64(v) {
                        Some(n) if n > 0.0 => found.push(number(n)),
                        Some(_) => {}
                        None => odd = Some(ptr(&ptr(&ptr(cp, "ports"), i), "hostPort")),
                    },
                }
            }
            match odd {
                Some(p) => r.set_unknown("host_ports", "a hostPort is not a number", p),
                None => r.set("host_ports", Value::Array(found), ptr(cp, "ports")),
            }
        }
        Some(_) => r.set_unknown("host_ports", "ports is not a list", ptr(cp, "ports")),
    }

    // Image.
    match field(c, "image") {
        Some(Value::String(image)) if templated(image) => {
            r.set("image", image.as_str(), ptr(cp, "image"));
            for prop in ["image_tag", "image_digest", "image_pull_policy"] {
                r.set_unknown(prop, "the image is a template placeholder", ptr(cp, "image"));
            }
        }
        Some(Value::String(image)) => {
            let ip = ptr(cp, "image");
            r.set("image", image.as_str(), &ip);
            let (tag, digest) = image_parts(image);
            r.set("image_tag", tag.map_or(Value::Null, |t| Value::String(t.to_string())), &ip);
            r.set("image_digest", digest.map_or(Value::Null, |d| Value::String(d.to_string())), &ip);
            match field(c, "imagePullPolicy") {
                Some(Value::String(p)) => r.set("image_pull_policy", p.as_str(), ptr(cp, "imagePullPolicy")),
                Some(_) => r.set_unknown("image_pull_policy", "imagePullPolicy is not a string", ptr(cp, "imagePullPolicy")),
                // The API server's default, from the tag as written.
                None => {
                    let always = tag == Some("latest") || (tag.is_none() && digest.is_none());
                    r.set("image_pull_policy", if always { "Always" } else { "IfNotPresent" }, ip);
                }
            }
        }
        Some(_) => r.set_unknown("image", "image is not a string", ptr(cp, "image")),
        // An image left out (possible only in a template a tool fills in).
        None => {}
    }

    // Resource limits (ephemeral containers may not set resources).
    let limits = field(c, "resources").and_then(|x| field(x, "limits"));
    let lp = ptr(&ptr(cp, "resources"), "limits");
    for (key, prop) in [("memory", "memory_limit"), ("cpu", "cpu_limit")] {
        match limits.and_then(|l| field(l, key)) {
            None => r.set(prop, Value::Null, if limits.is_some() { lp.as_str() } else { cp }),
            Some(Value::String(s)) => r.set(prop, s.as_str(), ptr(&lp, key)),
            Some(Value::Number(n)) => r.set(prop, n.to_string(), ptr(&lp, key)),
            Some(_) => r.set_unknown(prop, format!("limits.{key} is not a quantity"), ptr(&lp, key)),
        }
    }

    // Secrets in the environment.
    let mut refs = Vec::new();
    let mut literals = Vec::new();
    if let Some(env) = field(c, "env").and_then(Value::as_array) {
        for e in env {
            let Some(n) = e.get("name").and_then(Value::as_str) else { continue };
            if e.get("valueFrom").and_then(|v| field(v, "secretKeyRef")).is_some() {
                refs.push(Value::String(n.to_string()));
            } else if let Some(v) = e.get("value").and_then(Value::as_str) {
                if secret_like(n, v) {
                    literals.push(Value::String(n.to_string()));
                }
            }
        }
    }
    if let Some(env_from) = field(c, "envFrom").and_then(Value::as_array) {
        for e in env_from {
            if let Some(s) = e.get("secretRef").and_then(|s| s.get("name")).and_then(Value::as_str) {
                refs.push(Value::String(format!("envFrom secret {s}")));
            }
        }
    }
    let at = if field(c, "env").is_some() { ptr(cp, "env") } else { cp.to_string() };
    r.set("env_secret_refs", Value::Array(refs), if field(c, "envFrom").is_some() && field(c, "env").is_none() { ptr(cp, "envFrom") } else { at.clone() });
    r.set("env_literal_secrets", Value::Array(literals), at);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_references() {
        assert_eq!(image_parts("nginx"), (None, None));
        assert_eq!(image_parts("nginx:1.25"), (Some("1.25"), None));
        assert_eq!(image_parts("registry:5000/team/app"), (None, None));
        assert_eq!(image_parts("registry:5000/team/app:v2@sha256:abc"), (Some("v2"), Some("sha256:abc")));
        assert_eq!(image_parts("app@sha256:abc"), (None, Some("sha256:abc")));
    }

    #[test]
    fn secret_like_environment() {
        assert!(secret_like("DB_PASSWORD", "hunter2"));
        assert!(secret_like("ANYTHING", "AKIAIOSFODNN7EXAMPLE"));
        assert!(secret_like("DATABASE_URL", "postgres://app:pw@db:5432/app"));
        assert!(!secret_like("DATABASE_URL", "postgres://db:5432/app"));
        assert!(!secret_like("PASSWORD_FILE", "/run/secrets/pw"));
        assert!(!secret_like("TOKEN_TTL", "3600"));
        assert!(!secret_like("API_KEY", "$(API_KEY_FROM_SECRET)"));
        assert!(!secret_like("LOG_LEVEL", "debug"));
        assert!(!secret_like("DB_PASSWORD", "{{ .Values.db.password }}"));
        assert!(secret_like("JWT_SIGNING_KEY", "k3y-material"));
    }
}
