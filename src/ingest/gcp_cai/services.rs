//! Cloud Asset Inventory: the asset types beyond buckets, firewalls and
//! projects — IAM bindings of any asset, Compute disks, networks and node
//! pools, Cloud SQL settings and flags, GKE hardening, KMS protection, DNS
//! zones, log buckets, BigQuery datasets, Cloud Run services, Cloud
//! Functions and service account keys. Facts only: each property is what
//! `resource.data` (the REST representation) says, or, when the field is
//! left out of a live resource, what leaving it out means there.

use super::{D, num};
use crate::ingest::defaults as dflt;
use crate::ingest::util::{loose_bool, loose_f64, ptr};
use crate::inventory::{Resource, Text};
use serde_json::{Map, Value};

/// An IAM policy's bindings as `iam_bindings`: `{role, members}` each.
pub(super) fn iam_bindings(res: &mut Resource, iam: &D) {
    let list: Vec<Value> = iam.items(&["bindings"]).iter().map(|b| binding(b.v.get("role"), b.v.get("members"))).collect();
    res.set("iam_bindings", Value::Array(list), ptr(&iam.p, "bindings"));
}

fn binding(role: Option<&Value>, members: Option<&Value>) -> Value {
    let mut m = Map::new();
    m.insert("role".into(), role.cloned().unwrap_or(Value::Null));
    m.insert("members".into(), members.filter(|v| v.is_array()).cloned().unwrap_or(Value::Array(Vec::new())));
    Value::Object(m)
}

/// A string at `path`, if any.
fn s<'a>(d: &D<'a>, path: &[&str]) -> Option<(&'a str, String)> {
    d.at(path).and_then(|(v, p)| v.as_str().map(|s| (s, p)))
}

/// `true` when the string at `path` is set and not empty.
fn set_if_present(res: &mut Resource, d: &D, name: &str, path: &[&str]) {
    match s(d, path) {
        Some((v, p)) => res.set(name, !v.trim().is_empty(), p),
        None => res.set(name, false, d.p.clone()),
    }
}

/// `customer` when a KMS key name is at one of `paths`, else `provider`.
fn key_kind(res: &mut Resource, d: &D, paths: &[&[&str]]) {
    for path in paths {
        if let Some((v, p)) = s(d, path) {
            if !v.trim().is_empty() {
                res.set("encryption_key", "customer", p);
                return;
            }
        }
    }
    res.set("encryption_key", "provider", d.p.clone());
}

/// More facts of a Compute Engine instance (`instance` in the parent reads the rest).
pub(super) fn instance_more(res: &mut Resource, d: &D) {
    d.bool_or(res, "vtpm", &["shieldedInstanceConfig", "enableVtpm"], false);
    d.bool_or(res, "integrity_monitoring", &["shieldedInstanceConfig", "enableIntegrityMonitoring"], false);
    d.bool_or(res, "ip_forwarding", &["canIpForward"], false);
    d.bool_or(res, "confidential_computing", &["confidentialInstanceConfig", "enableConfidentialCompute"], false);
    let mut blocked = None;
    for item in d.items(&["metadata", "items"]) {
        if item.v.get("key").and_then(Value::as_str) == Some("block-project-ssh-keys") {
            blocked = Some((item.v.get("value").and_then(loose_bool) == Some(true), item.p.clone()));
        }
    }
    match blocked {
        Some((b, p)) => res.set("project_ssh_keys_blocked", b, p),
        None => res.set("project_ssh_keys_blocked", false, d.p.clone()),
    }
    let emails: Vec<Value> = d.items(&["serviceAccounts"]).iter().filter_map(|sa| sa.v.get("email").and_then(Value::as_str)).map(|e| Value::String(e.to_string())).collect();
    let at = d.at(&["serviceAccounts"]).map(|(_, p)| p).unwrap_or_else(|| d.p.clone());
    res.set("service_account_emails", Value::Array(emails), at);
    // The boot disk's key (attached disks are disks of their own, `compute.googleapis.com/Disk`).
    let disks = d.items(&["disks"]);
    let boot = disks.iter().find(|x| x.v.get("boot").and_then(loose_bool) == Some(true)).or(disks.first());
    match boot.map(|b| (b, b.at(&["diskEncryptionKey"]))) {
        Some((_, Some((_, p)))) => res.set("encryption_key", "customer", p),
        Some((b, None)) => res.set("encryption_key", "provider", b.p.clone()),
        None => res.set("encryption_key", "provider", d.p.clone()),
    }
}

/// `compute.googleapis.com/Disk`.
pub(super) fn disk(res: &mut Resource, d: &D) {
    res.kind = Text::interned("block_volume");
    res.set("encryption_at_rest", true, d.p.clone());
    key_kind(res, d, &[&["diskEncryptionKey", "kmsKeyName"], &["diskEncryptionKey", "sha256"]]);
}

/// The engine family of a Cloud SQL `databaseVersion` (`POSTGRES_15` → `postgres`).
pub(crate) fn sql_engine(version: &str) -> Option<&'static str> {
    let v = version.to_ascii_uppercase();
    if v.starts_with("POSTGRES") {
        Some("postgres")
    } else if v.starts_with("MYSQL") {
        Some("mysql")
    } else if v.starts_with("SQLSERVER") {
        Some("sqlserver")
    } else {
        None
    }
}

/// More facts of a Cloud SQL instance.
pub(super) fn cloud_sql_more(res: &mut Resource, d: &D) {
    if let Some((v, p)) = s(d, &["databaseVersion"]) {
        res.set("database_version", v, p.clone());
        if let Some(e) = sql_engine(v) {
            res.set("database_engine", e, p);
        }
    }
    let mut flags = Map::new();
    for f in d.items(&["settings", "databaseFlags"]) {
        if let Some(name) = f.v.get("name").and_then(Value::as_str) {
            flags.insert(name.to_string(), f.v.get("value").cloned().unwrap_or(Value::String(String::new())));
        }
    }
    let at = d.at(&["settings", "databaseFlags"]).map(|(_, p)| p).unwrap_or_else(|| ptr(&d.p, "settings"));
    res.set("database_flags", Value::Object(flags), at);
    // No ipConfiguration: the instance has a public IPv4 address (the API's default).
    match d.at(&["settings", "ipConfiguration", "ipv4Enabled"]) {
        Some((v, p)) => res.set("public_ip", loose_bool(v) == Some(true), p),
        None => match d.at(&["settings", "ipConfiguration"]) {
            Some((_, p)) => res.set("public_ip", false, p),
            None => res.set("public_ip", true, d.p.clone()),
        },
    }
    d.bool_or(res, "backup_enabled", &["settings", "backupConfiguration", "enabled"], false);
    let pitr = d.at(&["settings", "backupConfiguration", "pointInTimeRecoveryEnabled"]).filter(|(v, _)| loose_bool(*v) == Some(true));
    let binlog = d.at(&["settings", "backupConfiguration", "binaryLogEnabled"]).filter(|(v, _)| loose_bool(*v) == Some(true));
    match pitr.or(binlog) {
        Some((_, p)) => res.set("point_in_time_recovery", true, p),
        None => res.set("point_in_time_recovery", false, d.at(&["settings", "backupConfiguration"]).map(|(_, p)| p).unwrap_or_else(|| d.p.clone())),
    }
    key_kind(res, d, &[&["diskEncryptionConfiguration", "kmsKeyName"]]);
}

/// More facts of a GKE cluster.
pub(super) fn gke_more(res: &mut Resource, d: &D) {
    set_if_present(res, d, "workload_identity", &["workloadIdentityConfig", "workloadPool"]);
    d.bool_or(res, "shielded_nodes", &["shieldedNodes", "enabled"], false);
    let mode = s(d, &["binaryAuthorization", "evaluationMode"]);
    match (mode, d.at(&["binaryAuthorization", "enabled"])) {
        (Some((m, p)), _) if !m.eq_ignore_ascii_case("EVALUATION_MODE_UNSPECIFIED") => res.set("binary_authorization", !m.eq_ignore_ascii_case("DISABLED"), p),
        (_, Some((v, p))) => res.set("binary_authorization", loose_bool(v) == Some(true), p),
        _ => res.set("binary_authorization", false, d.p.clone()),
    }
    let pn = d.at(&["privateClusterConfig", "enablePrivateNodes"]).or_else(|| d.at(&["networkConfig", "defaultEnablePrivateNodes"]));
    match pn {
        Some((v, p)) => res.set("private_nodes", loose_bool(v) == Some(true), p),
        None => res.set("private_nodes", false, d.p.clone()),
    }
    match s(d, &["releaseChannel", "channel"]) {
        Some((c, p)) => res.set("release_channel", c.to_ascii_uppercase(), p),
        None => res.set("release_channel", "UNSPECIFIED", d.p.clone()),
    }
    d.bool_or(res, "intranode_visibility", &["networkConfig", "enableIntraNodeVisibility"], false);
    match s(d, &["databaseEncryption", "state"]) {
        Some((st, p)) => res.set("secrets_encryption", st.eq_ignore_ascii_case("ENCRYPTED"), p),
        None => res.set("secrets_encryption", false, d.p.clone()),
    }
    d.bool_or(res, "client_certificate", &["masterAuth", "clientCertificateConfig", "issueClientCertificate"], false);
}

/// `container.googleapis.com/NodePool`.
pub(super) fn node_pool(res: &mut Resource, d: &D) {
    res.kind = Text::interned("k8s_node_pool");
    d.bool_or(res, "auto_upgrade", &["management", "autoUpgrade"], false);
    d.bool_or(res, "auto_repair", &["management", "autoRepair"], false);
    match s(d, &["config", "imageType"]) {
        Some((t, p)) => res.set("image_type", t.to_ascii_uppercase(), p),
        None => res.set_unknown("image_type", "the node pool's configuration does not name its image type", d.p.clone()),
    }
    d.bool_or(res, "secure_boot", &["config", "shieldedInstanceConfig", "enableSecureBoot"], false);
    d.bool_or(res, "integrity_monitoring", &["config", "shieldedInstanceConfig", "enableIntegrityMonitoring"], false);
    match s(d, &["config", "metadata", "disable-legacy-endpoints"]) {
        Some((v, p)) => res.set("legacy_metadata_endpoints", !v.trim().eq_ignore_ascii_case("true"), p),
        None => {
            if let Some(p) = dflt::prop(dflt::GKE_LEGACY_METADATA, "legacy_metadata_endpoints", d.p.as_str()) {
                res.props.insert("legacy_metadata_endpoints", p);
            }
        }
    }
    match s(d, &["config", "serviceAccount"]) {
        Some((e, p)) => res.set("service_account_emails", Value::Array(vec![Value::String(e.to_string())]), p),
        // Left out: the Compute Engine default service account.
        None => res.set("service_account_emails", Value::Array(vec![Value::String("default".into())]), d.p.clone()),
    }
}

/// More facts of a KMS key.
pub(super) fn kms_more(res: &mut Resource, d: &D) {
    match s(d, &["versionTemplate", "protectionLevel"]).or_else(|| s(d, &["primary", "protectionLevel"])) {
        Some((l, p)) => res.set("protection_level", l.to_ascii_uppercase(), p),
        None => {
            if let Some(p) = dflt::prop(dflt::KMS_PROTECTION, "protection_level", d.p.as_str()) {
                res.props.insert("protection_level", p);
            }
        }
    }
}

/// `compute.googleapis.com/Network`.
pub(super) fn vpc_network(res: &mut Resource, d: &D) {
    res.kind = Text::interned("vpc_network");
    if let Some((n, p)) = s(d, &["name"]) {
        res.set("network_name", n, p);
    }
    match d.at(&["IPv4Range"]) {
        Some((_, p)) => res.set("legacy_network", true, p),
        None => res.set("legacy_network", false, d.p.clone()),
    }
    d.bool_or(res, "auto_create_subnetworks", &["autoCreateSubnetworks"], false);
}

/// `dns.googleapis.com/ManagedZone`.
pub(super) fn dns_zone(res: &mut Resource, d: &D) {
    res.kind = Text::interned("dns_zone");
    match s(d, &["visibility"]) {
        Some((v, p)) => res.set("visibility", v.to_ascii_lowercase(), p),
        None => res.set("visibility", "public", d.p.clone()),
    }
    match s(d, &["dnssecConfig", "state"]) {
        Some((st, p)) => res.set("dnssec_enabled", st.eq_ignore_ascii_case("on"), p),
        None => res.set("dnssec_enabled", false, d.p.clone()),
    }
    let algs: Vec<Value> = d
        .items(&["dnssecConfig", "defaultKeySpecs"])
        .iter()
        .filter_map(|k| k.v.get("algorithm").and_then(Value::as_str))
        .map(|a| Value::String(a.to_ascii_lowercase()))
        .collect();
    let at = d.at(&["dnssecConfig", "defaultKeySpecs"]).map(|(_, p)| p).unwrap_or_else(|| d.p.clone());
    res.set("dnssec_algorithms", Value::Array(algs), at);
}

/// `logging.googleapis.com/LogBucket`.
pub(super) fn log_bucket(res: &mut Resource, d: &D) {
    res.kind = Text::interned("log_bucket");
    if let Some((v, p)) = d.at(&["retentionDays"]) {
        if let Some(days) = loose_f64(v) {
            res.set("retention_days", num(days), p);
        }
    }
    d.bool_or(res, "retention_locked", &["locked"], false);
}

/// `bigquery.googleapis.com/Dataset`: CMEK and who the dataset's access list names.
pub(super) fn dataset(res: &mut Resource, d: &D) {
    res.kind = Text::interned("dataset");
    key_kind(res, d, &[&["defaultEncryptionConfiguration", "kmsKeyName"]]);
    let list: Vec<Value> = d.items(&["access"]).iter().filter_map(|e| access_binding(e.v)).collect();
    let at = d.at(&["access"]).map(|(_, p)| p).unwrap_or_else(|| d.p.clone());
    res.set("iam_bindings", Value::Array(list), at);
}

/// One BigQuery access entry as a binding (`specialGroup`, `iamMember`,
/// `userByEmail`, `groupByEmail`, `domain` → an IAM member).
pub(crate) fn access_binding(e: &Value) -> Option<Value> {
    let get = |k: &str| e.get(k).and_then(Value::as_str);
    let member = get("iamMember")
        .map(str::to_string)
        .or_else(|| get("specialGroup").map(str::to_string))
        .or_else(|| get("userByEmail").map(|x| format!("user:{x}")))
        .or_else(|| get("groupByEmail").map(|x| format!("group:{x}")))
        .or_else(|| get("domain").map(|x| format!("domain:{x}")))?;
    Some(binding(e.get("role"), Some(&Value::Array(vec![Value::String(member)]))))
}

/// `iam.googleapis.com/ServiceAccountKey`.
pub(super) fn service_account_key(res: &mut Resource, d: &D) {
    res.kind = Text::interned("service_account_key");
    match s(d, &["keyType"]) {
        Some((t, p)) => res.set("key_type", t.to_ascii_lowercase(), p),
        None => res.set_unknown("key_type", "the key's record does not say who manages it", d.p.clone()),
    }
    match d.at(&["disabled"]) {
        Some((v, p)) => res.set("enabled", loose_bool(v) != Some(true), p),
        None => res.set("enabled", true, d.p.clone()),
    }
}

/// `compute.googleapis.com/Subnetwork`: Private Google Access.
pub(super) fn subnet_more(res: &mut Resource, d: &D) {
    d.bool_or(res, "private_google_access", &["privateIpGoogleAccess"], false);
}

/// `logging.googleapis.com/LogSink`: what it exports and from where.
pub(super) fn log_sink(res: &mut Resource, d: &D, name: &str) {
    res.kind = Text::interned("log_sink");
    let scope = sink_scope(name);
    res.set("sink_scope", scope, d.p.clone());
    if scope == "project" {
        if let Some(p) = name.split("/projects/").nth(1).and_then(|x| x.split('/').next()) {
            res.set("project_id", p, d.p.clone());
        }
    }
    match s(d, &["filter"]) {
        Some((f, p)) => res.set("log_filter", f.trim(), p),
        None => res.set("log_filter", "", d.p.clone()),
    }
    d.bool_or(res, "include_children", &["includeChildren"], false);
    match d.at(&["disabled"]) {
        Some((v, p)) => res.set("enabled", loose_bool(v) != Some(true), p),
        None => res.set("enabled", true, d.p.clone()),
    }
}

/// `project`, `folder`, `organization` or `billing_account`, from a sink's resource name.
fn sink_scope(name: &str) -> &'static str {
    let path = name.trim_start_matches("//logging.googleapis.com/");
    match path.split('/').next() {
        Some("organizations") => "organization",
        Some("folders") => "folder",
        Some("billingAccounts") => "billing_account",
        _ => "project",
    }
}

#[cfg(test)]
mod tests {
    use crate::ingest::Document;
    use crate::inventory::{Prop, Resource};
    use serde_json::json;

    fn parse(lines: Vec<serde_json::Value>) -> Vec<Resource> {
        let doc = Document::Lines(lines.into_iter().enumerate().map(|(i, v)| (i as u32 + 1, Ok(v))).collect());
        match super::super::parse("x.ndjson", &doc) {
            Ok((inv, _)) => inv.resources,
            Err(e) => panic!("{e}"),
        }
    }

    fn fact<'a>(r: &'a Resource, name: &str) -> (&'a serde_json::Value, String) {
        match r.prop(name) {
            Some(Prop::Known { value, pointer }) => (value, pointer.to_string()),
            other => panic!("{name}: {other:?}"),
        }
    }

    /// Facts point at the attribute they were read from; a flag list left out is "no flags set".
    #[test]
    fn facts_point_at_their_attributes() {
        let rs = parse(vec![
            json!({"name": "//cloudsql.googleapis.com/projects/p/instances/db", "asset_type": "sqladmin.googleapis.com/Instance",
                   "resource": {"data": {"databaseVersion": "POSTGRES_16", "settings": {"databaseFlags": [{"name": "log_connections", "value": "on"}],
                   "backupConfiguration": {"enabled": true, "pointInTimeRecoveryEnabled": true}}}}}),
            json!({"name": "//cloudsql.googleapis.com/projects/p/instances/db2", "asset_type": "sqladmin.googleapis.com/Instance",
                   "resource": {"data": {"databaseVersion": "SQLSERVER_2022_STANDARD", "settings": {"ipConfiguration": {"privateNetwork": "n"}}}}}),
            json!({"name": "//bigquery.googleapis.com/projects/p/datasets/d", "asset_type": "bigquery.googleapis.com/Dataset",
                   "resource": {"data": {"access": [{"role": "READER", "specialGroup": "allAuthenticatedUsers"}, {"role": "WRITER", "userByEmail": "a@example.com"}]}}}),
            json!({"name": "//logging.googleapis.com/organizations/1/sinks/all", "asset_type": "logging.googleapis.com/LogSink", "resource": {"data": {"destination": "x"}}}),
            json!({"name": "//container.googleapis.com/projects/p/locations/l/clusters/c/nodePools/n", "asset_type": "container.googleapis.com/NodePool", "resource": {"data": {"config": {}}}}),
        ]);
        let (engine, p) = fact(&rs[0], "database_engine");
        assert_eq!((engine, p.as_str()), (&json!("postgres"), "/0/resource/data/databaseVersion"));
        let (flags, p) = fact(&rs[0], "database_flags");
        assert_eq!((flags, p.as_str()), (&json!({"log_connections": "on"}), "/0/resource/data/settings/databaseFlags"));
        assert_eq!(fact(&rs[0], "point_in_time_recovery").1, "/0/resource/data/settings/backupConfiguration/pointInTimeRecoveryEnabled");
        assert_eq!(fact(&rs[1], "database_flags").0, &json!({}));
        assert_eq!(fact(&rs[1], "public_ip").0, &json!(false), "an ipConfiguration without ipv4Enabled has no public address");
        assert_eq!(fact(&rs[1], "database_engine").0, &json!("sqlserver"));
        assert_eq!(fact(&rs[2], "iam_bindings").0, &json!([{"role": "READER", "members": ["allAuthenticatedUsers"]}, {"role": "WRITER", "members": ["user:a@example.com"]}]));
        assert_eq!(fact(&rs[3], "sink_scope").0, &json!("organization"));
        assert_eq!(fact(&rs[3], "log_filter").0, &json!(""));
        assert_eq!(fact(&rs[4], "service_account_emails").0, &json!(["default"]));
        // The legacy endpoints rest on the documented default, not on an observation.
        let legacy = rs[4].prop("legacy_metadata_endpoints").expect("defaulted");
        assert!(crate::ingest::defaults::basis(legacy).is_some());
        assert!(matches!(rs[4].prop("image_type"), Some(Prop::Unknown { .. })));
    }
}
