//! Google Cloud resource types beyond the first few: more facts of Compute
//! instances, Cloud SQL and GKE clusters, node pools, networks, DNS zones,
//! log buckets, BigQuery datasets, Cloud Run services, Cloud Functions,
//! service account keys, and the IAM resources (`google_*_iam_member`,
//! `_binding`, `_policy`) joined onto what they grant access to.

use super::*;
use serde_json::json;

/// `google_*` types mapped here (after the ones `map_props` names itself).
pub(super) fn map_google(rtype: &str, s: &Src, o: &mut Out) -> &'static str {
    let v = &s.v;
    match rtype {
        // Project-wide metadata: `enable-oslogin` there applies to the
        // project's instances that do not set it (joined at the end). The
        // whole-metadata resource without the key leaves OS Login off.
        "google_compute_project_metadata" => {
            let md = v.get("metadata");
            match md.state() {
                St::Known(_) => {
                    let k = md.get("enable-oslogin");
                    o.put("os_login", k.prop(bool_of).or_else(|| Some(md.known(false))));
                }
                St::Unknown => o.put("os_login", Some(md.unknown())),
                St::Absent => o.put("os_login", Some(v.known(false))),
            }
            "other"
        }
        "google_compute_project_metadata_item" => {
            match v.get("key").state() {
                St::Known(Json::String(k)) if k == "enable-oslogin" => o.bool("os_login", &v.get("value")),
                St::Unknown => o.put("os_login", Some(v.get("key").unknown())),
                _ => {}
            }
            "other"
        }
        "google_container_node_pool" => {
            node_pool(s, o);
            "k8s_node_pool"
        }
        "google_compute_network" => {
            o.str("network_name", &v.get("name"));
            // The provider cannot create a legacy (non-VPC) network.
            o.set("legacy_network", false, &v.ptr);
            o.bool_or("auto_create_subnetworks", &v.get("auto_create_subnetworks"), true);
            "vpc_network"
        }
        "google_dns_managed_zone" => {
            dns_zone(s, o);
            "dns_zone"
        }
        "google_logging_project_bucket_config" | "google_logging_organization_bucket_config" | "google_logging_folder_bucket_config" => {
            o.num("retention_days", &v.get("retention_days"));
            o.bool_or("retention_locked", &v.get("locked"), false);
            "log_bucket"
        }
        "google_bigquery_dataset" => {
            let key = v.block("default_encryption_configuration").get("kms_key_name");
            o.put("encryption_key", Some(customer_if_set(s.is_set(&key, &["default_encryption_configuration", "kms_key_name"]))));
            dataset_access(s, o);
            "dataset"
        }
        "google_cloud_run_service" | "google_cloud_run_v2_service" => {
            iam_start(s, o, "Cloud Run service");
            "serverless_service"
        }
        "google_cloudfunctions_function" | "google_cloudfunctions2_function" => {
            iam_start(s, o, "Cloud Function");
            "function"
        }
        "google_logging_project_sink" | "google_logging_folder_sink" | "google_logging_organization_sink" => {
            let scope = match rtype {
                "google_logging_project_sink" => "project",
                "google_logging_folder_sink" => "folder",
                _ => "organization",
            };
            o.set("sink_scope", scope, &v.ptr);
            if scope == "project" {
                o.put("project_id", v.get("project").prop(|x| x.as_str().map(|p| Value::String(p.strip_prefix("projects/").unwrap_or(p).to_string()))));
            }
            let f = v.get("filter");
            o.put("log_filter", f.prop(|x| x.as_str().map(|t| Value::String(t.trim().to_string()))).or_else(|| Some(f.known(""))));
            o.bool_or("include_children", &v.get("include_children"), false);
            o.put("enabled", v.get("disabled").prop(|x| loose_bool(x).map(|d| Value::Bool(!d))).or_else(|| Some(v.get("disabled").known(true))));
            "log_sink"
        }
        "google_service_account_key" => {
            // Keys made through the IAM API (and so by Terraform) are user-managed.
            o.set("key_type", "user_managed", &v.ptr);
            o.set("enabled", true, &v.ptr);
            "service_account_key"
        }
        t if t.starts_with("google_project_iam_") => {
            // The project a grant is made in (a lone grant is judged against it).
            o.put("project_id", v.get("project").prop(|x| x.as_str().map(|p| Value::String(p.strip_prefix("projects/").unwrap_or(p).to_string()))));
            map_iam(t, s, o)
        }
        t if t.contains("_iam_") => map_iam(t, s, o),
        _ => "other",
    }
}

/// `google_*_iam_member`, `_binding`, `_policy` → `iam_bindings`.
fn map_iam(rtype: &str, s: &Src, o: &mut Out) -> &'static str {
    let v = &s.v;
    match rtype {
        t if t.ends_with("_iam_member") => {
            let member = v.get("member");
            let m = match member.state() {
                St::Known(Json::String(x)) => Value::String(x.to_string()),
                _ => Value::Null,
            };
            o.put("iam_bindings", Some(member.known(json!([{"role": role_of(v), "members": [m]}]))));
            "other"
        }
        t if t.ends_with("_iam_binding") => {
            let members = v.get("members");
            let list = match members.state() {
                St::Known(Json::Array(a)) => Value::Array(a.iter().map(|x| x.as_str().map_or(Value::Null, |s| Value::String(s.to_string()))).collect()),
                St::Known(_) | St::Absent => Value::Array(Vec::new()),
                St::Unknown => json!([null]),
            };
            o.put("iam_bindings", Some(members.known(json!([{"role": role_of(v), "members": list}]))));
            "other"
        }
        t if t.ends_with("_iam_policy") => {
            let pd = v.get("policy_data");
            let p = match pd.state() {
                St::Known(Json::String(text)) => match serde_json::from_str::<Value>(text) {
                    Ok(doc) => {
                        let list: Vec<Value> = doc
                            .get("bindings")
                            .and_then(Value::as_array)
                            .map(|bs| bs.iter().map(|b| json!({"role": b.get("role").cloned().unwrap_or(Value::Null), "members": b.get("members").filter(|m| m.is_array()).cloned().unwrap_or(json!([]))})).collect())
                            .unwrap_or_default();
                        pd.known(Value::Array(list))
                    }
                    Err(_) => pd.known(json!([{"unknown": "policy_data is not a JSON IAM policy"}])),
                },
                St::Unknown => pd.known(json!([{"unknown": UNKNOWN}])),
                _ => pd.known(json!([])),
            };
            o.put("iam_bindings", Some(p));
            "other"
        }
        _ => "other",
    }
}

fn role_of(v: &V) -> Value {
    match v.get("role").state() {
        St::Known(Json::String(r)) => Value::String(r.to_string()),
        _ => Value::Null,
    }
}

/// `iam_bindings` of a resource whose IAM policy Terraform keeps in separate
/// `_iam_*` resources (joined later). A resource the plan creates starts with
/// none; of one that exists, the policy is not in its resource.
pub(super) fn iam_start(s: &Src, o: &mut Out, what: &str) {
    let v = &s.v;
    let p = if s.new {
        v.known(json!([]))
    } else {
        v.known(json!([{"unknown": format!("the IAM policy of an existing {what} is not part of its Terraform resource; only the _iam_ resources in this file are known")}]))
    };
    o.put("iam_bindings", Some(p));
}

/// A `google_project`: its IAM policy is never in the resource (a new
/// project also grants its creator Owner), so only a `google_project_iam_policy`
/// joined onto it states it whole.
pub(super) fn project(s: &Src, o: &mut Out) {
    let v = &s.v;
    o.put("iam_bindings", Some(v.known(json!([{"unknown": "a google_project does not carry its IAM policy; only the google_project_iam_* resources in this file are known"}]))));
    o.str("project_id", &v.get("project_id"));
}

/// `access` blocks of a dataset → `iam_bindings` (the dataset's ACL is its IAM policy).
fn dataset_access(s: &Src, o: &mut Out) {
    let v = &s.v;
    let access = v.get("access");
    let p = match access.state() {
        St::Known(Json::Array(_)) => {
            let list: Vec<Value> = access
                .items()
                .iter()
                .filter_map(|e| {
                    let get = |k: &str| e.get(k).str().filter(|x| !x.is_empty());
                    let member = get("iam_member")
                        .map(str::to_string)
                        .or_else(|| get("special_group").map(str::to_string))
                        .or_else(|| get("user_by_email").map(|x| format!("user:{x}")))
                        .or_else(|| get("group_by_email").map(|x| format!("group:{x}")))
                        .or_else(|| get("domain").map(|x| format!("domain:{x}")))?;
                    Some(json!({"role": get("role"), "members": [member]}))
                })
                .collect();
            Some(access.known(Value::Array(list)))
        }
        // BigQuery gives a new dataset without access entries its project's owners, writers and readers.
        St::Known(_) | St::Absent if s.new => Some(access.known(json!([]))),
        St::Unknown if s.left_to_provider(&access, &["access"]) => Some(access.known(json!([]))),
        St::Unknown => Some(access.known(json!([{"unknown": UNKNOWN}]))),
        _ => None,
    };
    o.put("iam_bindings", p);
}

/// More facts of `google_compute_instance` (`gce_instance` reads the rest).
pub(super) fn gce_instance_more(s: &Src, o: &mut Out) {
    let v = &s.v;
    let sic = v.get("shielded_instance_config");
    for (name, key) in [("vtpm", "enable_vtpm"), ("integrity_monitoring", "enable_integrity_monitoring")] {
        match sic.state() {
            // The provider's schema default for both is true.
            St::Known(x) if non_empty(x) => o.bool_or(name, &sic.at(0).get(key), true),
            St::Unknown => o.put(name, Some(sic.unknown())),
            _ => o.put(name, Some(sic.known(false))),
        }
    }
    o.bool_or("ip_forwarding", &v.get("can_ip_forward"), false);
    let cic = v.get("confidential_instance_config");
    match cic.state() {
        St::Known(x) if non_empty(x) => o.bool_or("confidential_computing", &cic.at(0).get("enable_confidential_compute"), false),
        St::Unknown => o.put("confidential_computing", Some(cic.unknown())),
        _ => o.put("confidential_computing", Some(cic.known(false))),
    }
    let md = v.get("metadata");
    match md.state() {
        St::Known(_) => {
            let b = md.get("block-project-ssh-keys");
            o.put("project_ssh_keys_blocked", b.prop(bool_of).or_else(|| Some(b.known(false))));
        }
        St::Unknown => o.put("project_ssh_keys_blocked", Some(md.unknown())),
        St::Absent => o.put("project_ssh_keys_blocked", Some(md.known(false))),
    }
    let sas = v.get("service_account");
    let p = match sas.state() {
        St::Unknown => Some(sas.unknown()),
        St::Absent => Some(sas.known(json!([]))),
        St::Known(_) => {
            let mut emails = Vec::new();
            let mut unknown = None;
            for sa in sas.items() {
                let email = sa.get("email");
                match email.state() {
                    St::Known(Json::String(e)) if !e.is_empty() => emails.push(Value::String(e.to_string())),
                    // A block without an email runs as the Compute Engine default service account.
                    St::Known(_) | St::Absent => emails.push(Value::String("default".into())),
                    St::Unknown if !configured(s.cfg, &["service_account", "email"]) && s.has_config => emails.push(Value::String("default".into())),
                    St::Unknown => unknown = Some(email.unknown()),
                }
            }
            unknown.or_else(|| Some(sas.known(Value::Array(emails))))
        }
    };
    o.put("service_account_emails", p);
}

/// More facts of `google_sql_database_instance`.
pub(super) fn cloud_sql_more(s: &Src, o: &mut Out) {
    let v = &s.v;
    let ver = v.get("database_version");
    o.str("database_version", &ver);
    o.put("database_engine", ver.prop(|x| x.as_str().and_then(crate::ingest::gcp_cai::sql_engine).map(|e| Value::String(e.into()))));
    let settings = v.block("settings");
    let flags = settings.get("database_flags");
    let p = match flags.state() {
        St::Known(Json::Array(_)) => {
            let mut m = Map::new();
            let mut unknown = None;
            for f in flags.items() {
                match (f.get("name").state(), f.get("value").state()) {
                    (St::Known(Json::String(n)), St::Known(val)) => {
                        m.insert(n.to_string(), val.to_value());
                    }
                    _ => unknown = Some(f.unknown()),
                }
            }
            unknown.or_else(|| Some(flags.known(Value::Object(m))))
        }
        St::Unknown => Some(flags.unknown()),
        St::Known(_) | St::Absent => match settings.state() {
            St::Unknown => Some(settings.unknown()),
            _ => Some(flags.known(json!({}))),
        },
    };
    o.put("database_flags", p);
    let ip = settings.block("ip_configuration");
    let ipv4 = ip.get("ipv4_enabled");
    // The provider's schema default: a public IPv4 address.
    o.bool_or("public_ip", &ipv4, true);
    let open = ip.get("authorized_networks").items().into_iter().find(|n| n.get("value").str().is_some_and(|c| crate::ingest::util::is_open_source(&normalise_source(c))));
    match (ipv4.state(), open) {
        (St::Unknown, _) => o.put("publicly_accessible", Some(ipv4.unknown())),
        (St::Known(x), Some(n)) if loose_bool(x) == Some(true) => o.put("publicly_accessible", Some(n.get("value").known(true))),
        (St::Absent, Some(n)) => o.put("publicly_accessible", Some(n.get("value").known(true))),
        (St::Known(_), _) => o.put("publicly_accessible", Some(ipv4.known(false))),
        (St::Absent, None) => o.put("publicly_accessible", Some(ip.known(false))),
    }
    let bc = settings.block("backup_configuration");
    o.bool_or("backup_enabled", &bc.get("enabled"), false);
    let pitr = bc.get("point_in_time_recovery_enabled");
    let binlog = bc.get("binary_log_enabled");
    let p = match (pitr.state(), binlog.state()) {
        (St::Known(x), _) if loose_bool(x) == Some(true) => Some(pitr.known(true)),
        (_, St::Known(x)) if loose_bool(x) == Some(true) => Some(binlog.known(true)),
        (St::Unknown, _) => Some(pitr.unknown()),
        (_, St::Unknown) => Some(binlog.unknown()),
        _ => Some(bc.known(false)),
    };
    o.put("point_in_time_recovery", p);
    let key = v.get("encryption_key_name");
    o.put("encryption_key", Some(customer_if_set(s.is_set(&key, &["encryption_key_name"]))));
}

/// More facts of `google_container_cluster`.
pub(super) fn gke_more(s: &Src, o: &mut Out) {
    let v = &s.v;
    let wi = v.block("workload_identity_config").get("workload_pool");
    o.put("workload_identity", Some(s.is_set(&wi, &["workload_identity_config", "workload_pool"])));
    // The provider's schema default is true (GKE's since 1.18).
    o.bool_or("shielded_nodes", &v.get("enable_shielded_nodes"), true);
    let ba = v.block("binary_authorization");
    let mode = ba.get("evaluation_mode");
    match mode.state() {
        St::Known(Json::String(m)) if !m.is_empty() && !m.eq_ignore_ascii_case("EVALUATION_MODE_UNSPECIFIED") => o.put("binary_authorization", Some(mode.known(!m.eq_ignore_ascii_case("DISABLED")))),
        St::Unknown => o.put("binary_authorization", Some(mode.unknown())),
        _ => o.bool_or("binary_authorization", &ba.get("enabled"), false),
    }
    let pcc = v.block("private_cluster_config").get("enable_private_nodes");
    o.bool_or("private_nodes", &pcc, false);
    let rc = v.get("release_channel");
    if s.left_to_provider(&rc, &["release_channel"]) {
        o.default(dflt::GKE_RELEASE_CHANNEL, "release_channel", &rc);
    } else {
        let ch = rc.at(0).get("channel");
        match ch.state() {
            St::Known(Json::String(c)) => o.put("release_channel", Some(ch.known(c.to_ascii_uppercase()))),
            St::Unknown => o.put("release_channel", Some(ch.unknown())),
            _ => o.put("release_channel", Some(rc.known("UNSPECIFIED"))),
        }
    }
    o.bool_or("intranode_visibility", &v.get("enable_intranode_visibility"), false);
    let de = v.block("database_encryption").get("state");
    match de.state() {
        St::Known(Json::String(st)) => o.put("secrets_encryption", Some(de.known(st.eq_ignore_ascii_case("ENCRYPTED")))),
        St::Unknown => o.put("secrets_encryption", Some(de.unknown())),
        _ => o.put("secrets_encryption", Some(de.known(false))),
    }
    let cc = v.block("master_auth").block("client_certificate_config").get("issue_client_certificate");
    o.bool_or("client_certificate", &cc, false);
}

/// `google_container_node_pool`.
fn node_pool(s: &Src, o: &mut Out) {
    let v = &s.v;
    let mg = v.get("management");
    if s.left_to_provider(&mg, &["management"]) {
        o.default(dflt::GKE_NODE_MANAGEMENT, "auto_repair", &mg);
        o.default(dflt::GKE_NODE_MANAGEMENT, "auto_upgrade", &mg);
    } else {
        // The provider's schema default for both is true.
        o.bool_or("auto_repair", &mg.at(0).get("auto_repair"), true);
        o.bool_or("auto_upgrade", &mg.at(0).get("auto_upgrade"), true);
    }
    let nc = v.block("node_config");
    let it = nc.get("image_type");
    if s.left_to_provider(&it, &["node_config", "image_type"]) {
        o.default(dflt::GKE_NODE_IMAGE, "image_type", &it);
    } else {
        o.put("image_type", it.prop(|x| x.as_str().map(|t| Value::String(t.to_ascii_uppercase()))));
    }
    let sic = nc.get("shielded_instance_config");
    match sic.state() {
        St::Unknown => {
            o.put("secure_boot", Some(sic.unknown()));
            o.put("integrity_monitoring", Some(sic.unknown()));
        }
        _ => {
            o.bool_or("secure_boot", &sic.at(0).get("enable_secure_boot"), false);
            o.bool_or("integrity_monitoring", &sic.at(0).get("enable_integrity_monitoring"), true);
        }
    }
    let md = nc.get("metadata");
    let dle = md.get("disable-legacy-endpoints");
    match (md.state(), dle.state()) {
        _ if s.left_to_provider(&md, &["node_config", "metadata"]) => o.default(dflt::GKE_LEGACY_METADATA, "legacy_metadata_endpoints", &md),
        (St::Unknown, _) | (_, St::Unknown) => o.put("legacy_metadata_endpoints", Some(dle.unknown())),
        (_, St::Known(x)) => o.put("legacy_metadata_endpoints", Some(dle.known(bool_of(x) != Some(Value::Bool(true))))),
        _ => o.default(dflt::GKE_LEGACY_METADATA, "legacy_metadata_endpoints", &md),
    }
    let sa = nc.get("service_account");
    match sa.state() {
        St::Known(Json::String(e)) if !e.is_empty() => o.put("service_account_emails", Some(sa.known(json!([e])))),
        St::Unknown if configured(s.cfg, &["node_config", "service_account"]) => o.put("service_account_emails", Some(sa.unknown())),
        St::Unknown if !s.has_config => o.put("service_account_emails", Some(sa.unknown())),
        // Left out: the Compute Engine default service account.
        _ => o.put("service_account_emails", Some(sa.known(json!(["default"])))),
    }
}

/// `google_dns_managed_zone`.
fn dns_zone(s: &Src, o: &mut Out) {
    let v = &s.v;
    let vis = v.get("visibility");
    o.put("visibility", vis.prop(|x| x.as_str().map(|t| Value::String(t.to_ascii_lowercase()))).or_else(|| Some(vis.known("public"))));
    let dc = v.get("dnssec_config");
    if s.left_to_provider(&dc, &["dnssec_config"]) {
        o.default(dflt::DNS_DNSSEC, "dnssec_enabled", &dc);
        o.put("dnssec_algorithms", Some(dc.known(json!([]))));
        return;
    }
    let st = dc.at(0).get("state");
    match (dc.state(), st.state()) {
        (St::Unknown, _) | (_, St::Unknown) => o.put("dnssec_enabled", Some(st.unknown())),
        (_, St::Known(Json::String(x))) => o.put("dnssec_enabled", Some(st.known(x.eq_ignore_ascii_case("on")))),
        _ => o.put("dnssec_enabled", Some(dc.known(false))),
    }
    let specs = dc.at(0).get("default_key_specs");
    match specs.state() {
        St::Unknown => o.put("dnssec_algorithms", Some(specs.unknown())),
        _ => {
            let algs: Vec<Value> = specs.items().iter().filter_map(|k| k.get("algorithm").str()).map(|a| Value::String(a.to_ascii_lowercase())).collect();
            o.put("dnssec_algorithms", Some(specs.known(Value::Array(algs))));
        }
    }
}

/// The node pools a `google_container_cluster` declares itself, as
/// `k8s_node_pool` resources (id `<cluster address>/node_pool/<name>`): each
/// inline `node_pool` block, or, when there is none and the default pool is
/// kept (`remove_default_node_pool` not true), the default pool, whose nodes
/// the cluster's own `node_config` describes and whose management is GKE's
/// default. A list only known after apply that the configuration sets gives
/// none (the plan cannot say which pools there will be).
pub(super) fn inline_node_pools(file: &str, raw: &Raw, cfg: Option<&Value>, has_config: bool) -> Vec<Resource> {
    let base = Pointer::from(raw.res_ptr.as_str());
    let v = V { val: Some(raw.values), unk: raw.unknown, ptr: raw.val_ptr.clone(), base: base.clone() };
    let pool = |id: String, name: String, src: &Src| {
        let mut r = Resource {
            provider: raw.provider,
            kind: Text::interned("k8s_node_pool"),
            native_type: Text::interned("google_container_cluster"),
            id: id.into(),
            name: name.into(),
            region: raw.values.get("location").and_then(Json::as_str).map(Text::interned),
            account: raw.values.get("project").and_then(Json::as_str).map(Text::interned),
            source: SourceRef { file: Text::interned(file), pointer: base.clone(), line: None },
            props: Default::default(),
        };
        node_pool(src, &mut Out { r: &mut r });
        r
    };
    let pools = v.get("node_pool");
    match pools.state() {
        St::Known(Json::Array(a)) if !a.is_empty() => pools
            .items()
            .into_iter()
            .enumerate()
            .map(|(i, p)| {
                let name = p.get("name").str().filter(|n| !n.is_empty()).map_or_else(|| format!("node_pool[{i}]"), str::to_string);
                // The pool's own configuration expressions, so that what it sets is told from what it leaves to GKE.
                let own = cfg.and_then(|c| c.get("expressions")).and_then(|e| e.get("node_pool")).and_then(|n| n.get(i)).map(|e| json!({"expressions": e}));
                let src = Src { v: p, cfg: own.as_ref(), has_config, new: raw.new };
                pool(format!("{}/node_pool/{name}", raw.address), name, &src)
            })
            .collect(),
        // Computed because the configuration declares no pool: the default pool (below).
        St::Unknown if !has_config || configured(cfg, &["node_pool"]) => Vec::new(),
        // Autopilot: Google runs the nodes; there is no pool to configure.
        _ if matches!(v.get("enable_autopilot").state(), St::Known(x) if loose_bool(x) == Some(true)) => Vec::new(),
        _ => match v.get("remove_default_node_pool").state() {
            St::Known(x) if loose_bool(x) == Some(true) => Vec::new(),
            St::Unknown => Vec::new(),
            _ => {
                let src = Src { v: v.clone(), cfg, has_config, new: raw.new };
                vec![pool(format!("{}/node_pool/default-pool", raw.address), "default-pool".to_string(), &src)]
            }
        },
    }
}
