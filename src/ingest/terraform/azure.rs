//! Azure resource types: storage accounts, virtual machines, AKS.

use super::*;

// ---- Azure.

pub(super) fn tls_version(s: &str) -> String {
    let t = s.trim();
    let t = t.strip_prefix("TLS").or_else(|| t.strip_prefix("tls")).unwrap_or(t);
    t.trim_start_matches(['_', 'v']).replace('_', ".")
}

pub(super) fn default_deny(rules: &V) -> Option<Prop> {
    match rules.state() {
        St::Known(x) if non_empty(x) => rules.at(0).get("default_action").prop(|a| a.as_str().map(|a| Value::Bool(a.eq_ignore_ascii_case("deny")))),
        St::Known(_) | St::Absent => Some(rules.known(false)),
        St::Unknown => Some(rules.unknown()),
    }
}

/// `azurerm_storage_account`. Settings the plan leaves to Azure for an
/// account it creates take Azure's defaults (`ingest::defaults`).
pub(super) fn azure_storage(s: &Src, o: &mut Out) {
    let v = &s.v;
    let https = [v.get("https_traffic_only_enabled"), v.get("enable_https_traffic_only")].into_iter().find(|x| !matches!(x.state(), St::Absent));
    match https {
        Some(h) => o.bool("https_only", &h),
        None if s.new => o.default(dflt::AZURE_HTTPS, "https_only", v),
        None => {}
    }
    o.put("min_tls_version", v.get("min_tls_version").prop(|x| x.as_str().map(|t| Value::String(tls_version(t)))));
    match [v.get("allow_nested_items_to_be_public"), v.get("allow_blob_public_access")].into_iter().find(|x| !matches!(x.state(), St::Absent)) {
        Some(p) => o.bool("public_blob_access", &p),
        None if s.new => o.default(dflt::AZURE_BLOB_PUBLIC, "public_blob_access", v),
        None => {}
    }
    let pna = v.get("public_network_access_enabled");
    if matches!(pna.state(), St::Known(x) if loose_bool(x) == Some(false)) {
        o.put("network_default_deny", Some(pna.known(true)));
    } else if s.left_to_provider(&v.get("network_rules"), &["network_rules"]) {
        o.default(dflt::AZURE_NETWORK, "network_default_deny", &v.get("network_rules"));
    } else {
        o.put("network_default_deny", default_deny(&v.get("network_rules")));
    }
    o.default(dflt::AZURE_ENCRYPTION, "encryption_at_rest", v);
    o.bool("infrastructure_encryption", &v.get("infrastructure_encryption_enabled"));
    let bp = v.get("blob_properties");
    match bp.state() {
        _ if s.left_to_provider(&bp, &["blob_properties"]) => o.default(dflt::AZURE_SOFT_DELETE, "blob_soft_delete_days", &bp),
        St::Known(x) if non_empty(x) => {
            let drp = bp.at(0).get("delete_retention_policy");
            match drp.state() {
                St::Known(x) if non_empty(x) => o.num("blob_soft_delete_days", &drp.at(0).get("days")),
                // The block is read from (or planned for) the account: no retention policy in it.
                St::Known(_) | St::Absent => o.put("blob_soft_delete_days", Some(drp.known(0))),
                St::Unknown => o.put("blob_soft_delete_days", Some(drp.unknown())),
            }
        }
        St::Unknown => o.put("blob_soft_delete_days", Some(bp.unknown())),
        St::Known(_) | St::Absent => {}
    }
}

pub(super) fn azure_vm(s: &Src, o: &mut Out, rtype: &str) {
    let v = &s.v;
    match rtype {
        "azurerm_linux_virtual_machine" => o.bool_or("password_auth_disabled", &v.get("disable_password_authentication"), true),
        "azurerm_virtual_machine" => {
            let lc = v.get("os_profile_linux_config");
            if !lc.items().is_empty() {
                o.bool("password_auth_disabled", &lc.at(0).get("disable_password_authentication"));
            } else if !v.get("os_profile").items().is_empty() {
                // A Windows (or unspecified) OS profile: password sign-in, as ARM reads it.
                o.put("password_auth_disabled", Some(v.get("os_profile").known(false)));
            }
        }
        // Windows VMs sign in with the administrator password (`admin_password` is required).
        "azurerm_windows_virtual_machine" => o.put("password_auth_disabled", Some(v.get("admin_password").known(false))),
        _ => {}
    }
    o.bool_or("secure_boot", &v.get("secure_boot_enabled"), false);
    azs::vm_more(s, o);
    let des = v.block("os_disk").get("disk_encryption_set_id");
    o.put("encryption_key", Some(customer_if_set(s.is_set(&des, &["os_disk", "disk_encryption_set_id"]))));
}

pub(super) fn aks(s: &Src, o: &mut Out) {
    let v = &s.v;
    let old = v.get("api_server_authorized_ip_ranges");
    let new = v.block("api_server_access_profile").get("authorized_ip_ranges");
    let p = match (old.state(), new.state()) {
        (St::Known(x), _) if non_empty(x) => Some(old.known(true)),
        (_, St::Known(x)) if non_empty(x) => Some(new.known(true)),
        (St::Unknown, _) if !s.left_to_provider(&old, &["api_server_authorized_ip_ranges"]) => Some(old.unknown()),
        (_, St::Unknown) if !s.left_to_provider(&new, &["api_server_access_profile", "authorized_ip_ranges"]) => Some(new.unknown()),
        _ if s.new => dflt::prop(dflt::AKS_ENDPOINT, "master_authorized_networks", v.base.clone()),
        _ => Some(v.known(false)),
    };
    o.put("master_authorized_networks", p);
    let private = v.get("private_cluster_enabled");
    if s.left_to_provider(&private, &["private_cluster_enabled"]) {
        o.default(dflt::AKS_ENDPOINT, "public_endpoint", &private);
    } else {
        o.put("public_endpoint", private.prop(|x| loose_bool(x).map(|b| Value::Bool(!b))));
    }
    let np = v.block("network_profile").get("network_policy");
    o.put("network_policy", np.prop(|x| Some(Value::Bool(non_empty(x)))).or_else(|| Some(np.known(false))));
    let rbac = v.get("role_based_access_control_enabled");
    if matches!(rbac.state(), St::Absent) {
        let old = v.block("role_based_access_control").get("enabled");
        if !matches!(old.state(), St::Absent) {
            o.bool("rbac_enabled", &old);
        }
    } else {
        o.bool("rbac_enabled", &rbac);
    }
    let oms = v.get("oms_agent");
    match oms.state() {
        St::Absent => {
            let legacy = v.block("addon_profile").block("oms_agent").get("enabled");
            if !matches!(legacy.state(), St::Absent) {
                o.bool("logging_enabled", &legacy);
            }
        }
        _ => o.present("logging_enabled", &oms),
    }
}
