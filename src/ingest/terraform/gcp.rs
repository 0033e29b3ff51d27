//! Google Cloud resource types: Compute instances, Cloud SQL, GKE.

use super::*;

// ---- Google.

pub(super) fn gce_instance(s: &Src, o: &mut Out) {
    let v = &s.v;
    let sic = v.get("shielded_instance_config");
    match sic.state() {
        St::Known(x) if non_empty(x) => o.bool_or("secure_boot", &sic.at(0).get("enable_secure_boot"), false),
        St::Unknown => o.put("secure_boot", Some(sic.unknown())),
        _ => o.put("secure_boot", Some(sic.known(false))),
    }
    let md = v.get("metadata");
    match md.state() {
        St::Known(_) => {
            let sp = md.get("serial-port-enable");
            o.put("serial_port_enabled", sp.prop(bool_of).or_else(|| Some(sp.known(false))));
            o.bool("os_login", &md.get("enable-oslogin"));
        }
        St::Unknown => {
            o.put("serial_port_enabled", Some(md.unknown()));
            o.put("os_login", Some(md.unknown()));
        }
        St::Absent => o.put("serial_port_enabled", Some(md.known(false))),
    }
    let sas = v.get("service_account");
    let p = match sas.state() {
        St::Unknown => Some(sas.unknown()),
        St::Absent => Some(sas.known(false)),
        St::Known(_) => {
            let mut sig = Vec::new();
            for sa in sas.items() {
                let scopes = sa.get("scopes");
                let full = match scopes.state() {
                    St::Known(x) => {
                        let full = |s: &str| s == "cloud-platform" || s.ends_with("/auth/cloud-platform");
                        match x {
                            Json::String(s) => full(s),
                            Json::Array(a) => a.iter().filter_map(Json::as_str).any(full),
                            _ => false,
                        }
                    }
                    St::Unknown => {
                        sig.push(Some(scopes.unknown()));
                        continue;
                    }
                    St::Absent => false,
                };
                let email = sa.get("email");
                let p = match email.state() {
                    _ if !full => scopes.known(false),
                    St::Known(Json::String(e)) => email.known(e.ends_with("-compute@developer.gserviceaccount.com")),
                    St::Known(_) | St::Absent => scopes.known(true),
                    St::Unknown if configured(s.cfg, &["service_account", "email"]) => email.known(false),
                    St::Unknown if s.has_config => scopes.known(true),
                    St::Unknown => email.unknown(),
                };
                sig.push(Some(p));
            }
            fold_or(sig).or_else(|| Some(sas.known(false)))
        }
    };
    o.put("default_service_account_full_access", p);
    gce_instance_more(s, o);
    o.set("disk_encryption", true, &v.ptr);
    let bd = v.block("boot_disk");
    let raw = s.is_set(&bd.get("disk_encryption_key_raw"), &["boot_disk", "disk_encryption_key_raw"]);
    let kms = s.is_set(&bd.get("kms_key_self_link"), &["boot_disk", "kms_key_self_link"]);
    o.put("encryption_key", Some(customer_if_set(merge_or(&raw, kms))));
    let nics = v.get("network_interface");
    let mut sig = Vec::new();
    for n in nics.items() {
        let ac = n.get("access_config");
        sig.push(Some(match ac.state() {
            St::Known(x) => ac.known(non_empty(x)),
            St::Unknown => ac.unknown(),
            St::Absent => ac.known(false),
        }));
    }
    o.put("public_ip", fold_or(sig));
}

pub(super) fn cloud_sql(v: &V, o: &mut Out) {
    let settings = v.block("settings");
    let ip = settings.block("ip_configuration");
    let mode = ip.get("ssl_mode");
    match mode.state() {
        St::Known(Json::String(m)) if !m.is_empty() => o.put("require_tls", Some(mode.known(!m.eq_ignore_ascii_case("ALLOW_UNENCRYPTED_AND_ENCRYPTED")))),
        _ => {
            let rs = ip.get("require_ssl");
            match (rs.state(), ip.state()) {
                (St::Absent, St::Known(_)) => o.put("require_tls", Some(rs.known(false))),
                _ => o.bool("require_tls", &rs),
            }
        }
    }
    let bc = settings.block("backup_configuration").get("enabled");
    if matches!(bc.state(), St::Known(x) if loose_bool(x) == Some(false)) {
        o.put("backup_retention_days", Some(bc.known(0)));
    }
    o.bool("deletion_protection", &v.get("deletion_protection"));
    o.set("encryption_at_rest", true, &v.ptr);
}

pub(super) fn gke(s: &Src, o: &mut Out) {
    let v = &s.v;
    let man = v.get("master_authorized_networks_config");
    if s.left_to_provider(&man, &["master_authorized_networks_config"]) {
        o.default(dflt::GKE_ENDPOINT, "master_authorized_networks", &man);
    } else {
        o.present("master_authorized_networks", &man);
    }
    let pcc = v.get("private_cluster_config");
    let pe = pcc.at(0).get("enable_private_endpoint");
    let p = match (pcc.state(), pe.state()) {
        _ if s.left_to_provider(&pcc, &["private_cluster_config"]) || (s.new && matches!(pe.state(), St::Absent)) => {
            dflt::prop(dflt::GKE_ENDPOINT, "public_endpoint", if pcc.val.is_some() { pcc.pointer() } else { pcc.base.clone() })
        }
        (St::Unknown, _) | (_, St::Unknown) => Some(pe.unknown()),
        (_, St::Known(x)) => loose_bool(x).map(|b| pe.known(!b)),
        _ => Some(pcc.known(true)),
    };
    o.put("public_endpoint", p);
    let np = v.get("network_policy");
    match np.state() {
        St::Known(x) if non_empty(x) => o.bool_or("network_policy", &np.at(0).get("enabled"), false),
        St::Unknown => o.put("network_policy", Some(np.unknown())),
        _ => o.put("network_policy", Some(np.known(false))),
    }
    let ls = v.get("logging_service");
    o.put("logging_enabled", ls.prop(|x| x.as_str().map(|s| Value::Bool(!s.eq_ignore_ascii_case("none") && !s.is_empty()))).or_else(|| Some(ls.known(true))));
    let abac = v.get("enable_legacy_abac");
    o.put("rbac_enabled", abac.prop(|x| loose_bool(x).map(|b| Value::Bool(!b))));
}
