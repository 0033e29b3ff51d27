//! GCP Cloud Asset Inventory: `gcloud asset export` NDJSON (one asset a
//! line) or a JSON array / single object of the same assets, in snake_case
//! (`asset_type`, `iam_policy`) or camelCase (`assetType`, `iamPolicy`)
//! envelopes.
//!
//! Owns the mapping of CAI asset types onto canonical kinds: buckets,
//! firewalls, subnetworks, instances, KMS keys, Cloud SQL instances, GKE
//! clusters and projects (with their IAM policy); everything else is `other`.
//!
//! Invariant: assets that share a `name` (a RESOURCE line and an IAM_POLICY
//! line of one export) become one resource; the resource part and the IAM
//! part each contribute their own properties.
//! Invariant: properties read from `resource.data` are only set when the
//! asset carries that data; an IAM-only asset gives only IAM-derived
//! properties (plus facts true of every instance of the type, such as GCS
//! encryption at rest).

mod services;

pub(super) use services::sql_engine;

use super::util::{ingress_entry, is_open_source, loose_bool, loose_f64, normalise_protocol, normalise_source, port_range, ptr};
use super::{Document, IngestError, ParseOutput};
use crate::inventory::{Diagnostic, DiagnosticLevel, Inventory, Pointer, Prop, Provider, Resource, SourceRef, Text};
use serde_json::{Map, Value};
use std::collections::HashMap;

/// One asset record in the input.
struct Asset<'a> {
    v: &'a Value,
    pointer: String,
    line: Option<u32>,
}

/// The assets of one name.
struct Group<'a> {
    name: &'a str,
    asset_type: &'a str,
    first: usize,
    resource: Option<usize>,
    iam: Option<usize>,
}

/// Either of two spellings of an envelope key.
fn get2<'a>(v: &'a Value, snake: &str, camel: &str) -> Option<&'a Value> {
    v.get(snake).or_else(|| v.get(camel))
}

/// The canonical kinds (besides `other`) a Cloud Asset Inventory export can give.
/// Checked against what the parser emits on `tests/fixtures/ingest` by `tests/ingest_kinds.rs`.
pub(super) const KINDS: &[(Provider, &str)] = &[
    (Provider::Gcp, "object_bucket"),
    (Provider::Gcp, "firewall"),
    (Provider::Gcp, "network"),
    (Provider::Gcp, "virtual_machine"),
    (Provider::Gcp, "kms_key"),
    (Provider::Gcp, "database"),
    (Provider::Gcp, "k8s_cluster"),
    (Provider::Gcp, "project"),
    (Provider::Gcp, "block_volume"),
    (Provider::Gcp, "k8s_node_pool"),
    (Provider::Gcp, "vpc_network"),
    (Provider::Gcp, "dns_zone"),
    (Provider::Gcp, "log_bucket"),
    (Provider::Gcp, "dataset"),
    (Provider::Gcp, "serverless_service"),
    (Provider::Gcp, "function"),
    (Provider::Gcp, "service_account_key"),
    (Provider::Gcp, "log_sink"),
];

/// Read a CAI export.
pub(super) fn parse(file: &str, doc: &Document) -> ParseOutput {
    let mut diags = Vec::new();
    let mut assets: Vec<Asset> = Vec::new();
    match doc {
        Document::Lines(lines) => {
            for (i, (line, v)) in lines.iter().enumerate() {
                match v {
                    Ok(v) => assets.push(Asset { v, pointer: format!("/{i}"), line: Some(*line) }),
                    Err(e) => diags.push(Diagnostic {
                        level: DiagnosticLevel::Warning,
                        message: format!("line {line} is not valid JSON and was skipped: {e}"),
                        source: Some(SourceRef { file: file.to_string().into(), pointer: format!("/{i}").into(), line: Some(*line) }),
                    }),
                }
            }
        }
        Document::Json(Value::Array(a)) => assets.extend(a.iter().enumerate().map(|(i, v)| Asset { v, pointer: format!("/{i}"), line: None })),
        Document::Json(v @ Value::Object(_)) => assets.push(Asset { v, pointer: String::new(), line: None }),
        _ => return Err(IngestError::Unrecognised("a Cloud Asset Inventory export is NDJSON or a JSON array of assets".into())),
    }
    let src = |a: &Asset| SourceRef { file: file.to_string().into(), pointer: a.pointer.clone().into(), line: a.line };
    let mut groups: Vec<Group> = Vec::new();
    let mut by_name: HashMap<&str, usize> = HashMap::new();
    for (i, a) in assets.iter().enumerate() {
        let name = a.v.get("name").and_then(Value::as_str);
        let atype = get2(a.v, "asset_type", "assetType").and_then(Value::as_str);
        let (Some(name), Some(atype)) = (name, atype) else {
            diags.push(Diagnostic {
                level: DiagnosticLevel::Warning,
                message: "an asset without a string name and asset_type was skipped".into(),
                source: Some(src(a)),
            });
            continue;
        };
        let gi = *by_name.entry(name).or_insert_with(|| {
            groups.push(Group { name, asset_type: atype, first: i, resource: None, iam: None });
            groups.len() - 1
        });
        let Some(g) = groups.get_mut(gi) else { continue };
        if a.v.get("resource").is_some_and(Value::is_object) && g.resource.is_none() {
            g.resource = Some(i);
        }
        if get2(a.v, "iam_policy", "iamPolicy").is_some_and(Value::is_object) && g.iam.is_none() {
            g.iam = Some(i);
        }
    }
    let mut out = Vec::with_capacity(groups.len());
    let mut extra = Vec::new();
    for g in &groups {
        let head = g.resource.or(Some(g.first)).and_then(|i| assets.get(i));
        let Some(head) = head else { continue };
        let res_asset = g.resource.and_then(|i| assets.get(i));
        let iam_asset = g.iam.and_then(|i| assets.get(i));
        let data = res_asset.and_then(|a| {
            let r = a.v.get("resource")?;
            let d = r.get("data").filter(|d| d.is_object())?;
            Some(D { v: d, p: format!("{}/resource/data", a.pointer) })
        });
        let iam = iam_asset.and_then(|a| {
            let key = if a.v.get("iam_policy").is_some() { "iam_policy" } else { "iamPolicy" };
            a.v.get(key).map(|v| D { v, p: ptr(&a.pointer, key) })
        });
        let region = res_asset
            .and_then(|a| a.v.get("resource").and_then(|r| r.get("location")).and_then(Value::as_str))
            .or_else(|| data.as_ref().and_then(|d| d.v.get("region").or_else(|| d.v.get("location")).and_then(Value::as_str)))
            .filter(|s| !s.is_empty())
            .map(str::to_string);
        let mut res = Resource {
            provider: Provider::Gcp,
            kind: Text::interned("other"),
            native_type: Text::interned(g.asset_type),
            id: g.name.to_string().into(),
            name: g.name.trim_end_matches('/').rsplit('/').next().unwrap_or(g.name).to_string().into(),
            region: region.map(|s| Text::interned(&s)),
            account: project_of(g.name, head.v).or_else(|| res_asset.and_then(|a| project_of(g.name, a.v))).map(|s| Text::interned(&s)),
            source: src(head),
            props: Default::default(),
        };
        let base = head.pointer.clone();
        // Who holds which role, for every asset whose IAM policy is exported.
        if let Some(i) = &iam {
            services::iam_bindings(&mut res, i);
        }
        match g.asset_type {
            "storage.googleapis.com/Bucket" => bucket(&mut res, data.as_ref(), iam.as_ref(), &base),
            "compute.googleapis.com/Firewall" => {
                if let Some(d) = &data {
                    firewall(&mut res, d);
                } else {
                    res.kind = Text::interned("firewall");
                }
            }
            "compute.googleapis.com/Subnetwork" => {
                res.kind = Text::interned("network");
                if let Some(d) = &data {
                    let lc = d.at(&["logConfig", "enable"]).or_else(|| d.at(&["enableFlowLogs"]));
                    match lc {
                        Some((v, p)) => res.set("flow_logs", loose_bool(v) == Some(true), p),
                        None => res.set("flow_logs", false, d.p.clone()),
                    }
                    services::subnet_more(&mut res, d);
                }
            }
            "compute.googleapis.com/Instance" => {
                res.kind = Text::interned("virtual_machine");
                if let Some(d) = &data {
                    instance(&mut res, d);
                    services::instance_more(&mut res, d);
                }
            }
            "cloudkms.googleapis.com/CryptoKey" => {
                res.kind = Text::interned("kms_key");
                if let Some(d) = &data {
                    match d.at(&["rotationPeriod"]) {
                        Some((v, p)) => match loose_f64(v) {
                            Some(secs) => {
                                res.set("rotation_enabled", true, p.clone());
                                res.set("rotation_period_days", num(secs / 86_400.0), p);
                            }
                            None => res.set_unknown("rotation_period_days", format!("rotationPeriod {v} is not a duration"), p),
                        },
                        None => res.set("rotation_enabled", false, d.p.clone()),
                    }
                    if let Some((v, p)) = d.at(&["primary", "state"]) {
                        res.set("enabled", v.as_str() == Some("ENABLED"), p);
                    }
                    services::kms_more(&mut res, d);
                }
            }
            "sqladmin.googleapis.com/Instance" => {
                res.kind = Text::interned("database");
                if let Some(d) = &data {
                    cloud_sql(&mut res, d);
                    services::cloud_sql_more(&mut res, d);
                }
            }
            "container.googleapis.com/Cluster" => {
                res.kind = Text::interned("k8s_cluster");
                if let Some(d) = &data {
                    gke(&mut res, d);
                    services::gke_more(&mut res, d);
                    // The cluster's record lists its pools; a pool exported as an asset of its own is read there.
                    for pool in d.items(&["nodePools"]) {
                        let Some(name) = pool.v.get("name").and_then(Value::as_str).filter(|n| !n.is_empty()) else { continue };
                        let id = format!("{}/nodePools/{name}", g.name);
                        if by_name.contains_key(id.as_str()) {
                            continue;
                        }
                        let mut r = Resource {
                            id: id.into(),
                            name: name.to_string().into(),
                            source: SourceRef { pointer: pool.p.clone().into(), ..res.source.clone() },
                            props: Default::default(),
                            ..res.clone()
                        };
                        services::node_pool(&mut r, &pool);
                        extra.push(r);
                    }
                }
            }
            // Project-wide metadata: `enable-oslogin` there applies to every
            // instance that does not set it itself (joined below).
            "compute.googleapis.com/Project" => {
                if let Some(d) = &data {
                    let item = d.items(&["commonInstanceMetadata", "items"]).into_iter().find(|i| i.v.get("key").and_then(Value::as_str) == Some("enable-oslogin"));
                    match item {
                        Some(i) => res.set("os_login", i.v.get("value").and_then(loose_bool) == Some(true), i.p.clone()),
                        None => res.set("os_login", false, ptr(&d.p, "commonInstanceMetadata")),
                    }
                }
            }
            "container.googleapis.com/NodePool" => {
                res.kind = Text::interned("k8s_node_pool");
                if let Some(d) = &data {
                    services::node_pool(&mut res, d);
                }
            }
            "compute.googleapis.com/Disk" => {
                res.kind = Text::interned("block_volume");
                if let Some(d) = &data {
                    services::disk(&mut res, d);
                }
            }
            "compute.googleapis.com/Network" => {
                res.kind = Text::interned("vpc_network");
                if let Some(d) = &data {
                    services::vpc_network(&mut res, d);
                }
            }
            "dns.googleapis.com/ManagedZone" => {
                res.kind = Text::interned("dns_zone");
                if let Some(d) = &data {
                    services::dns_zone(&mut res, d);
                }
            }
            "logging.googleapis.com/LogBucket" => {
                res.kind = Text::interned("log_bucket");
                if let Some(d) = &data {
                    services::log_bucket(&mut res, d);
                }
            }
            "bigquery.googleapis.com/Dataset" => {
                res.kind = Text::interned("dataset");
                // The dataset's access list is its IAM policy; an exported IAM policy says the same.
                if let (Some(d), None) = (&data, &iam) {
                    services::dataset(&mut res, d);
                } else if let Some(d) = &data {
                    let keep = res.props.remove("iam_bindings");
                    services::dataset(&mut res, d);
                    if let Some(k) = keep {
                        res.props.insert("iam_bindings", k);
                    }
                }
            }
            "logging.googleapis.com/LogSink" => {
                res.kind = Text::interned("log_sink");
                if let Some(d) = &data {
                    services::log_sink(&mut res, d, g.name);
                }
            }
            "run.googleapis.com/Service" => res.kind = Text::interned("serverless_service"),
            "cloudfunctions.googleapis.com/CloudFunction" | "cloudfunctions.googleapis.com/Function" => res.kind = Text::interned("function"),
            "iam.googleapis.com/ServiceAccountKey" => {
                res.kind = Text::interned("service_account_key");
                if let Some(d) = &data {
                    services::service_account_key(&mut res, d);
                }
            }
            "cloudresourcemanager.googleapis.com/Project" => {
                res.kind = Text::interned("project");
                if let Some((v, p)) = data.as_ref().and_then(|d| d.at(&["projectId"])) {
                    if let Some(id) = v.as_str() {
                        res.set("project_id", id, p);
                    }
                }
                if let Some(i) = &iam {
                    project_iam(&mut res, i);
                }
            }
            _ => {}
        }
        out.push(res);
        out.append(&mut extra);
    }
    project_os_login(&mut out, |r| r.native_type == "compute.googleapis.com/Project", |r| r.native_type == "compute.googleapis.com/Instance");
    Ok((Inventory { resources: out }, diags))
}

/// OS Login set in a project's metadata applies to the instances of that
/// project (the resource's `account`) that do not set `enable-oslogin`
/// themselves: they take the project's value, pointing at it. Shared with
/// the Terraform reader (`google_compute_project_metadata` / `_item`).
pub(crate) fn project_os_login(out: &mut [Resource], is_project: impl Fn(&Resource) -> bool, is_instance: impl Fn(&Resource) -> bool) {
    let projects: Vec<(Option<Text>, Prop)> = out.iter().filter(|r| is_project(r)).filter_map(|r| r.prop("os_login").map(|p| (r.account.clone(), absolute(p)))).collect();
    if projects.is_empty() {
        return;
    }
    for r in out.iter_mut().filter(|r| is_instance(r) && !r.props.contains_key("os_login")) {
        // A project item set more than once: any one enabling it is taken, as the last write would be unknown.
        let mine: Vec<&Prop> = projects.iter().filter(|(a, _)| *a == r.account).map(|(_, p)| p).collect();
        if let Some(p) = mine.iter().find(|p| p.is_true()).or_else(|| mine.first()) {
            r.props.insert("os_login", (*p).clone());
        }
    }
}

/// A property's pointer made absolute (from its resource's), to point from another resource.
fn absolute(p: &Prop) -> Prop {
    let at = Pointer::from(p.pointer().text().as_ref());
    match p {
        Prop::Known { value, .. } => Prop::Known { value: value.clone(), pointer: at },
        Prop::Unknown { reason, .. } => Prop::Unknown { reason: reason.clone(), pointer: at },
    }
}

/// A JSON subtree and its pointer.
struct D<'a> {
    v: &'a Value,
    p: String,
}

impl<'a> D<'a> {
    /// Value at a path (null counts as absent) and its pointer.
    fn at(&self, path: &[&str]) -> Option<(&'a Value, String)> {
        let mut cur = self.v;
        let mut p = self.p.clone();
        for k in path {
            cur = cur.get(k)?;
            p = ptr(&p, k);
        }
        if cur.is_null() {
            None
        } else {
            Some((cur, p))
        }
    }
    fn items(&self, path: &[&str]) -> Vec<D<'a>> {
        match self.at(path) {
            Some((Value::Array(a), p)) => a.iter().enumerate().map(|(i, v)| D { v, p: ptr(&p, i) }).collect(),
            _ => Vec::new(),
        }
    }
    fn bool_or(&self, res: &mut Resource, name: &str, path: &[&str], default: bool) {
        match self.at(path) {
            Some((v, p)) => match loose_bool(v) {
                Some(b) => res.set(name, b, p),
                None => res.set_unknown(name, format!("{v} is not a boolean"), p),
            },
            None => res.set(name, default, self.p.clone()),
        }
    }
}

fn num(f: f64) -> Value {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        Value::from(f as i64)
    } else {
        serde_json::Number::from_f64(f).map(Value::Number).unwrap_or(Value::Null)
    }
}

/// Project id or number: `…/projects/X/…` in the name, else ancestors, else the parent.
fn project_of(name: &str, asset: &Value) -> Option<String> {
    let mut parts = name.split('/');
    while let Some(p) = parts.next() {
        if p == "projects" {
            if let Some(x) = parts.next().filter(|x| !x.is_empty()) {
                return Some(x.to_string());
            }
        }
    }
    if let Some(a) = asset.get("ancestors").and_then(Value::as_array) {
        if let Some(p) = a.iter().filter_map(Value::as_str).find_map(|s| s.strip_prefix("projects/")) {
            return Some(p.to_string());
        }
    }
    asset
        .get("resource")
        .and_then(|r| r.get("parent"))
        .and_then(Value::as_str)
        .and_then(|p| p.split_once("/projects/").map(|(_, x)| x.split('/').next().unwrap_or(x).to_string()))
}

fn is_public_member(m: &str) -> bool {
    m == "allUsers" || m == "allAuthenticatedUsers"
}

/// Public members of an IAM policy, with the pointer of the first binding naming one.
fn public_members(iam: &D) -> (Vec<Value>, Option<String>) {
    let mut out: Vec<Value> = Vec::new();
    let mut at = None;
    for b in iam.items(&["bindings"]) {
        for m in b.items(&["members"]) {
            if let Some(s) = m.v.as_str().filter(|s| is_public_member(s)) {
                at.get_or_insert(m.p.clone());
                if !out.iter().any(|x| x.as_str() == Some(s)) {
                    out.push(Value::String(s.to_string()));
                }
            }
        }
    }
    (out, at)
}

fn bucket(res: &mut Resource, data: Option<&D>, iam: Option<&D>, base: &str) {
    res.kind = Text::interned("object_bucket");
    // Cloud Storage encrypts every object at rest; only the key owner varies.
    res.set("encryption_at_rest", true, data.map(|d| d.p.clone()).unwrap_or_else(|| base.to_string()));
    let mut blocked = false;
    if let Some(d) = data {
        match d.at(&["encryption", "defaultKmsKeyName"]) {
            Some((v, p)) if v.as_str().is_some_and(|s| !s.is_empty()) => res.set("encryption_key", "customer", p),
            _ => res.set("encryption_key", "provider", d.p.clone()),
        }
        match d.at(&["iamConfiguration", "uniformBucketLevelAccess", "enabled"]).or_else(|| d.at(&["iamConfiguration", "bucketPolicyOnly", "enabled"])) {
            Some((v, p)) => res.set("uniform_access", loose_bool(v) == Some(true), p),
            None => res.set("uniform_access", false, d.p.clone()),
        }
        match d.at(&["iamConfiguration", "publicAccessPrevention"]) {
            Some((v, p)) => {
                blocked = v.as_str().is_some_and(|s| s.eq_ignore_ascii_case("enforced"));
                res.set("public_access_blocked", blocked, p);
            }
            None => res.set("public_access_blocked", false, d.p.clone()),
        }
        d.bool_or(res, "versioning", &["versioning", "enabled"], false);
        match d.at(&["logging", "logBucket"]) {
            Some((v, p)) => res.set("access_logging", v.as_str().is_some_and(|s| !s.is_empty()), p),
            None => res.set("access_logging", false, d.p.clone()),
        }
        match d.at(&["retentionPolicy"]) {
            Some((_, p)) => {
                if let Some((v, pp)) = d.at(&["retentionPolicy", "retentionPeriod"]) {
                    if let Some(secs) = loose_f64(v) {
                        res.set("retention_days", num(secs / 86_400.0), pp);
                    }
                }
                match d.at(&["retentionPolicy", "isLocked"]) {
                    Some((v, lp)) => res.set("object_lock", loose_bool(v) == Some(true), lp),
                    None => res.set("object_lock", false, p),
                }
            }
            None => res.set("object_lock", false, d.p.clone()),
        }
    }
    // Public read: IAM bindings or legacy ACL entries for allUsers / allAuthenticatedUsers.
    let mut public_at: Option<String> = None;
    if let Some(i) = iam {
        public_at = public_members(i).1;
    }
    if let Some(d) = data {
        for key in ["acl", "defaultObjectAcl"] {
            for e in d.items(&[key]) {
                if e.v.get("entity").and_then(Value::as_str).is_some_and(is_public_member) {
                    public_at.get_or_insert(e.p.clone());
                }
            }
        }
    }
    match (public_at, iam) {
        (_, _) if blocked => {
            if let Some((_, p)) = data.and_then(|d| d.at(&["iamConfiguration", "publicAccessPrevention"])) {
                res.set("public_read", false, p);
            }
        }
        (Some(p), _) => res.set("public_read", true, p),
        (None, Some(i)) => res.set("public_read", false, i.p.clone()),
        (None, None) => {}
    }
}

fn firewall(res: &mut Resource, d: &D) {
    res.kind = Text::interned("firewall");
    let egress = d.at(&["direction"]).and_then(|(v, _)| v.as_str()).is_some_and(|s| s.eq_ignore_ascii_case("EGRESS"));
    let disabled = d.at(&["disabled"]).is_some_and(|(v, _)| loose_bool(v) == Some(true));
    let mut entries = Vec::new();
    if !egress && !disabled {
        let ranges: Vec<String> = d.items(&["sourceRanges"]).iter().filter_map(|x| x.v.as_str()).map(normalise_source).collect();
        let other_sources = ["sourceTags", "sourceServiceAccounts"].iter().any(|k| !d.items(&[k]).is_empty());
        // Documented default: an ingress rule without any source applies to 0.0.0.0/0.
        let sources = if ranges.is_empty() && !other_sources { vec!["0.0.0.0/0".to_string()] } else { ranges };
        let priority = d.at(&["priority"]).and_then(|(v, _)| loose_f64(v)).map(|p| p as i64);
        for (key, allow) in [("allowed", true), ("denied", false)] {
            for b in d.items(&[key]) {
                let protocol = b.at(&["IPProtocol"]).and_then(|(v, _)| v.as_str()).map(normalise_protocol).unwrap_or_else(|| "all".into());
                let ports = b.items(&["ports"]);
                let ranges: Vec<Option<(u16, u16)>> = if ports.is_empty() { vec![Some((0, 65535))] } else { ports.iter().map(|p| port_range(p.v)).collect() };
                for r in ranges {
                    entries.push(ingress_entry(&protocol, r, Some(sources.clone()), allow, priority, None));
                }
            }
        }
    }
    res.set("ingress", Value::Array(entries), d.p.clone());
    d.bool_or(res, "logging", &["logConfig", "enable"], false);
}

fn instance(res: &mut Resource, d: &D) {
    let mut public = None;
    for nic in d.items(&["networkInterfaces"]) {
        if let Some(ac) = nic.items(&["accessConfigs"]).into_iter().next() {
            public.get_or_insert(ac.p);
        }
    }
    match public {
        Some(p) => res.set("public_ip", true, p),
        None => res.set("public_ip", false, d.p.clone()),
    }
    let mut serial = None;
    let mut oslogin = None;
    for item in d.items(&["metadata", "items"]) {
        let key = item.v.get("key").and_then(Value::as_str).unwrap_or("");
        let val = item.v.get("value").and_then(loose_bool);
        if key == "serial-port-enable" {
            serial = Some((val == Some(true), item.p.clone()));
        } else if key == "enable-oslogin" {
            oslogin = Some((val == Some(true), item.p.clone()));
        }
    }
    match serial {
        Some((b, p)) => res.set("serial_port_enabled", b, p),
        None => res.set("serial_port_enabled", false, d.p.clone()),
    }
    // OS Login may be enabled in project metadata, which an instance does not show.
    if let Some((b, p)) = oslogin {
        res.set("os_login", b, p);
    }
    d.bool_or(res, "secure_boot", &["shieldedInstanceConfig", "enableSecureBoot"], false);
    let mut full = None;
    for sa in d.items(&["serviceAccounts"]) {
        let default = sa.v.get("email").and_then(Value::as_str).is_some_and(|e| e.ends_with("-compute@developer.gserviceaccount.com"));
        let cloud = sa.items(&["scopes"]).iter().any(|s| s.v.as_str() == Some("https://www.googleapis.com/auth/cloud-platform"));
        if default && cloud {
            full.get_or_insert(sa.p.clone());
        }
    }
    match full {
        Some(p) => res.set("default_service_account_full_access", true, p),
        None => res.set("default_service_account_full_access", false, d.p.clone()),
    }
    // Compute Engine encrypts every disk; a customer key shows as diskEncryptionKey.
    let cmek = d.items(&["disks"]).into_iter().find_map(|x| x.at(&["diskEncryptionKey"]).map(|(_, p)| p));
    res.set("disk_encryption", true, d.p.clone());
    match cmek {
        Some(p) => res.set("encryption_key", "customer", p),
        None => res.set("encryption_key", "provider", d.p.clone()),
    }
}

fn cloud_sql(res: &mut Resource, d: &D) {
    res.set("encryption_at_rest", true, d.p.clone());
    let ip = d.at(&["settings", "ipConfiguration"]);
    let mode = d.at(&["settings", "ipConfiguration", "sslMode"]).filter(|(v, _)| v.as_str().is_some_and(|s| !s.is_empty() && s != "SSL_MODE_UNSPECIFIED"));
    match mode {
        Some((v, p)) => {
            let m = v.as_str().unwrap_or("");
            res.set("require_tls", m == "ENCRYPTED_ONLY" || m == "TRUSTED_CLIENT_CERTIFICATE_REQUIRED", p);
        }
        None => match d.at(&["settings", "ipConfiguration", "requireSsl"]) {
            Some((v, p)) => res.set("require_tls", loose_bool(v) == Some(true), p),
            // No ipConfiguration or no requireSsl: unencrypted connections are allowed.
            None => res.set("require_tls", false, ip.as_ref().map(|(_, p)| p.clone()).unwrap_or_else(|| d.p.clone())),
        },
    }
    let ipv4 = d.at(&["settings", "ipConfiguration", "ipv4Enabled"]);
    let ipv4_on = ipv4.as_ref().map(|(v, _)| loose_bool(v) == Some(true)).unwrap_or(ip.is_none());
    let mut open = None;
    for n in d.items(&["settings", "ipConfiguration", "authorizedNetworks"]) {
        if n.v.get("value").and_then(Value::as_str).is_some_and(|s| is_open_source(&normalise_source(s))) {
            open.get_or_insert(n.p.clone());
        }
    }
    match (ipv4_on, open) {
        (true, Some(p)) => res.set("publicly_accessible", true, p),
        _ => res.set("publicly_accessible", false, ipv4.map(|(_, p)| p).unwrap_or_else(|| d.p.clone())),
    }
    if let Some((v, p)) = d.at(&["settings", "backupConfiguration", "enabled"]) {
        if loose_bool(v) == Some(false) {
            res.set("backup_retention_days", 0, p);
        }
    }
    if let Some((v, p)) = d.at(&["settings", "deletionProtectionEnabled"]) {
        if let Some(b) = loose_bool(v) {
            res.set("deletion_protection", b, p);
        }
    }
}

fn gke(res: &mut Resource, d: &D) {
    match d.at(&["masterAuthorizedNetworksConfig", "enabled"]) {
        Some((v, p)) if loose_bool(v) == Some(true) => {
            let blocks: Vec<Value> = d
                .items(&["masterAuthorizedNetworksConfig", "cidrBlocks"])
                .iter()
                .filter_map(|b| b.v.get("cidrBlock").and_then(Value::as_str))
                .map(|s| Value::String(normalise_source(s)))
                .collect();
            if blocks.is_empty() {
                res.set("master_authorized_networks", true, p);
            } else {
                res.set("master_authorized_networks", Value::Array(blocks), p);
            }
        }
        Some((_, p)) => res.set("master_authorized_networks", false, p),
        None => res.set("master_authorized_networks", false, d.p.clone()),
    }
    match d.at(&["privateClusterConfig", "enablePrivateEndpoint"]) {
        Some((v, p)) => res.set("public_endpoint", loose_bool(v) != Some(true), p),
        None => res.set("public_endpoint", true, d.p.clone()),
    }
    let np = d.at(&["networkPolicy", "enabled"]).filter(|(v, _)| loose_bool(v) == Some(true));
    let dp = d.at(&["networkConfig", "datapathProvider"]).filter(|(v, _)| v.as_str() == Some("ADVANCED_DATAPATH"));
    match np.or(dp) {
        Some((_, p)) => res.set("network_policy", true, p),
        None => res.set("network_policy", false, d.at(&["networkPolicy"]).map(|(_, p)| p).unwrap_or_else(|| d.p.clone())),
    }
    let components = d.items(&["loggingConfig", "componentConfig", "enableComponents"]);
    match d.at(&["loggingService"]) {
        Some((v, p)) => {
            let on = v.as_str().is_some_and(|s| !s.is_empty() && s != "none") || !components.is_empty();
            res.set("logging_enabled", on, p);
        }
        None => match d.at(&["loggingConfig"]) {
            Some((_, p)) => res.set("logging_enabled", !components.is_empty(), p),
            // Documented default: logging.googleapis.com/kubernetes.
            None => res.set("logging_enabled", true, d.p.clone()),
        },
    }
    match d.at(&["legacyAbac", "enabled"]) {
        Some((v, p)) => res.set("rbac_enabled", loose_bool(v) != Some(true), p),
        None => res.set("rbac_enabled", true, d.p.clone()),
    }
}

/// CAI log types: 1 ADMIN_READ, 2 DATA_WRITE, 3 DATA_READ (or the names).
fn log_type(v: &Value) -> Option<&'static str> {
    match v {
        Value::Number(n) => match n.as_u64()? {
            1 => Some("ADMIN_READ"),
            2 => Some("DATA_WRITE"),
            3 => Some("DATA_READ"),
            _ => None,
        },
        Value::String(s) => match s.to_ascii_uppercase().as_str() {
            "ADMIN_READ" | "1" => Some("ADMIN_READ"),
            "DATA_WRITE" | "2" => Some("DATA_WRITE"),
            "DATA_READ" | "3" => Some("DATA_READ"),
            _ => None,
        },
        _ => None,
    }
}

/// Project IAM policy → `public_members`, `audit_log_types` (for
/// `allServices`), `audit_log_types_by_service` (every service; an addition
/// to the contract so per-service audit policies can be checked) and
/// `audit_exempted_members` (exemptions on any service).
fn project_iam(res: &mut Resource, iam: &D) {
    let (public, at) = public_members(iam);
    res.set("public_members", Value::Array(public), at.unwrap_or_else(|| ptr(&iam.p, "bindings")));
    let key = if iam.v.get("audit_configs").is_some() { "audit_configs" } else { "auditConfigs" };
    let configs = iam.items(&[key]);
    let cp = ptr(&iam.p, key);
    let mut all: Vec<Value> = Vec::new();
    let mut by_service = Map::new();
    let mut exempted: Vec<Value> = Vec::new();
    for c in &configs {
        let service = c.v.get("service").and_then(Value::as_str).unwrap_or("");
        let lkey = if c.v.get("audit_log_configs").is_some() { "audit_log_configs" } else { "auditLogConfigs" };
        let mut types: Vec<Value> = Vec::new();
        for l in c.items(&[lkey]) {
            if let Some(t) = get2(l.v, "log_type", "logType").and_then(log_type) {
                if !types.iter().any(|x| x.as_str() == Some(t)) {
                    types.push(Value::String(t.into()));
                }
            }
            if let Some(Value::Array(ms)) = get2(l.v, "exempted_members", "exemptedMembers") {
                for m in ms.iter().filter_map(Value::as_str) {
                    if !exempted.iter().any(|x| x.as_str() == Some(m)) {
                        exempted.push(Value::String(m.to_string()));
                    }
                }
            }
        }
        if service == "allServices" {
            all.clone_from(&types);
        }
        by_service.insert(service.to_string(), Value::Array(types));
    }
    res.set("audit_log_types", Value::Array(all), cp.clone());
    res.set("audit_log_types_by_service", Value::Object(by_service), cp.clone());
    res.set("audit_exempted_members", Value::Array(exempted), cp);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::Prop;
    use serde_json::json;

    #[test]
    fn merges_iam_lines_and_reports_bad_lines() {
        let doc = Document::Lines(vec![
            (1, Ok(json!({"name": "//storage.googleapis.com/b", "asset_type": "storage.googleapis.com/Bucket", "resource": {"data": {"versioning": {"enabled": true}}}}))),
            (2, Err("bad".into())),
            (3, Ok(json!({"name": "//storage.googleapis.com/b", "assetType": "storage.googleapis.com/Bucket", "iamPolicy": {"bindings": [{"role": "r", "members": ["allUsers"]}]}}))),
            (4, Ok(json!({"asset_type": 1}))),
        ]);
        let (inv, diags) = match parse("x.ndjson", &doc) {
            Ok(x) => x,
            Err(e) => panic!("{e}"),
        };
        assert_eq!(inv.resources.len(), 1);
        let r = &inv.resources[0];
        assert_eq!(r.prop("public_read").and_then(Prop::value), Some(&json!(true)));
        assert_eq!(r.prop("versioning").and_then(Prop::value), Some(&json!(true)));
        assert_eq!(r.source.line, Some(1));
        assert_eq!(diags.len(), 2);
        assert!(parse("x", &Document::Csv(String::new())).is_err());
    }
}
