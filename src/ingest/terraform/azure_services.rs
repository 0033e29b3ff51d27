//! Azure resource types beyond storage, VMs and AKS basics: storage account
//! settings, Key Vault, SQL servers and their auditing / TDE children,
//! flexible servers, App Service, Cosmos DB, custom roles, Log Analytics,
//! Defender for Cloud pricings and diagnostic settings. The same facts as
//! `ingest::azure` reads from ARM templates and REST records
//! (`tests/consistency_azure.rs`).

use super::*;

/// Which provider default applies when an attribute is left out: `New`,
/// only when the plan creates the resource; `All`, whenever it is absent.
#[derive(Clone, Copy)]
pub(super) enum Dflt<'d> {
    New(&'d str),
    All(&'d str),
}

/// `name` from `v` (at `path` in the configuration), converted by `conv`;
/// the provider default when the plan leaves it to Azure.
pub(super) fn fact(s: &Src, o: &mut Out, name: &str, (v, path): (&V, &[&str]), conv: impl FnOnce(&Json) -> Option<Value>, d: Dflt) {
    let (id, all) = match d {
        Dflt::New(id) => (id, false),
        Dflt::All(id) => (id, true),
    };
    if s.left_to_provider(v, path) || (all && matches!(v.state(), St::Absent)) {
        o.default(id, name, v);
    } else {
        o.put(name, v.prop(conv));
    }
}

/// `azurerm_storage_account`: settings besides those of `azure_storage`.
pub(super) fn storage_more(s: &Src, o: &mut Out) {
    let v = &s.v;
    fact(s, o, "shared_key_access", (&v.get("shared_access_key_enabled"), &["shared_access_key_enabled"]), bool_of, Dflt::All(dflt::AZ_SHARED_KEY));
    if !o.r.props.contains_key("min_tls_version") {
        o.default(dflt::AZ_TLS12, "min_tls_version", &v.get("min_tls_version"));
    }
    fact(s, o, "infrastructure_encryption", (&v.get("infrastructure_encryption_enabled"), &["infrastructure_encryption_enabled"]), bool_of, Dflt::All(dflt::AZ_INFRA_ENC));
    fact(s, o, "cross_tenant_replication", (&v.get("cross_tenant_replication_enabled"), &["cross_tenant_replication_enabled"]), bool_of, Dflt::New(dflt::AZ_CROSS_TENANT));
    let sas = v.get("sas_policy");
    match sas.state() {
        _ if s.left_to_provider(&sas, &["sas_policy"]) => o.default(dflt::AZ_SAS_POLICY, "sas_expiry_policy", &sas),
        St::Known(x) if non_empty(x) => o.put("sas_expiry_policy", sas.at(0).get("expiration_period").prop(|p| Some(Value::Bool(non_empty(p))))),
        St::Known(_) | St::Absent => o.put("sas_expiry_policy", Some(sas.known(false))),
        St::Unknown => o.put("sas_expiry_policy", Some(sas.unknown())),
    }
    let cmk = v.get("customer_managed_key");
    match cmk.state() {
        St::Known(x) if non_empty(x) => o.put("encryption_key", Some(cmk.known("customer"))),
        St::Unknown if !s.left_to_provider(&cmk, &["customer_managed_key"]) => o.put("encryption_key", Some(cmk.unknown())),
        // No customer-managed key: Microsoft-managed keys (a separate
        // `azurerm_storage_account_customer_managed_key` replaces this when joined).
        _ => o.default(dflt::AZURE_ENCRYPTION, "encryption_key", &cmk),
    }
    let bp = v.get("blob_properties");
    match bp.state() {
        _ if s.left_to_provider(&bp, &["blob_properties"]) => {
            o.default(dflt::AZ_CONTAINER_SOFT_DELETE, "container_soft_delete_days", &bp);
            o.default(dflt::AZ_BLOB_VERSIONING, "versioning", &bp);
        }
        St::Known(x) if non_empty(x) => {
            o.bool_or("versioning", &bp.at(0).get("versioning_enabled"), false);
            let drp = bp.at(0).get("container_delete_retention_policy");
            match drp.state() {
                St::Known(x) if non_empty(x) => o.num("container_soft_delete_days", &drp.at(0).get("days")),
                St::Known(_) | St::Absent => o.put("container_soft_delete_days", Some(drp.known(0))),
                St::Unknown => o.put("container_soft_delete_days", Some(drp.unknown())),
            }
        }
        St::Unknown => {
            o.put("container_soft_delete_days", Some(bp.unknown()));
            o.put("versioning", Some(bp.unknown()));
        }
        St::Known(_) | St::Absent => {}
    }
}

/// `azurerm_key_vault`: authorization model, public access, diagnostic logs.
pub(super) fn key_vault_more(s: &Src, o: &mut Out) {
    let v = &s.v;
    let rbac = [v.get("rbac_authorization_enabled"), v.get("enable_rbac_authorization")].into_iter().find(|x| !matches!(x.state(), St::Absent));
    let rbac = rbac.unwrap_or_else(|| v.get("enable_rbac_authorization"));
    fact(s, o, "rbac_authorization", (&rbac, &["enable_rbac_authorization"]), bool_of, Dflt::New(dflt::AZ_KV_RBAC));
    fact(s, o, "public_network_access", (&v.get("public_network_access_enabled"), &["public_network_access_enabled"]), bool_of, Dflt::New(dflt::AZ_KV_PUBLIC));
    if s.new {
        o.default(dflt::AZ_NO_DIAG, "diagnostic_logs", v);
    }
}

/// `azurerm_key_vault_key`, `azurerm_key_vault_secret`: the expiry date (`null` when there is none).
pub(super) fn vault_key_expiry(s: &Src, o: &mut Out) {
    let v = &s.v;
    let exp = v.get("expiration_date");
    match exp.state() {
        St::Known(Json::String(d)) => o.put("expiration_date", Some(exp.known(Value::String(d.get(..10).unwrap_or(d).to_string())))),
        St::Unknown if !s.left_to_provider(&exp, &["expiration_date"]) => o.put("expiration_date", Some(exp.unknown())),
        _ => o.put("expiration_date", Some(exp.known(Value::Null))),
    }
}

/// `azurerm_mssql_server`: Entra administrator; auditing and TDE protector
/// of a new server (the child resources replace them when joined).
pub(super) fn mssql_more(s: &Src, o: &mut Out) {
    let v = &s.v;
    let admin = v.get("azuread_administrator");
    match admin.state() {
        _ if s.left_to_provider(&admin, &["azuread_administrator"]) => {
            o.default(dflt::AZ_SQL_ADMIN, "entra_admin", &admin);
            o.default(dflt::AZ_SQL_ADMIN, "entra_only_auth", &admin);
        }
        St::Known(x) if non_empty(x) => {
            let a = admin.at(0);
            o.put("entra_admin", Some(s.is_set(&a.get("login_username"), &["azuread_administrator", "login_username"])));
            o.bool_or("entra_only_auth", &a.get("azuread_authentication_only"), false);
        }
        St::Known(_) | St::Absent => {
            o.put("entra_admin", Some(admin.known(false)));
            o.put("entra_only_auth", Some(admin.known(false)));
        }
        St::Unknown => {
            o.put("entra_admin", Some(admin.unknown()));
            o.put("entra_only_auth", Some(admin.unknown()));
        }
    }
    if s.new {
        o.default(dflt::AZ_SQL_AUDIT, "auditing_enabled", v);
        o.default(dflt::AZ_SQL_TDE, "encryption_key", v);
    }
}

/// `azurerm_postgresql_flexible_server`, `azurerm_mysql_flexible_server`.
pub(super) fn flexible_server(s: &Src, o: &mut Out) {
    let v = &s.v;
    let pna = v.get("public_network_access_enabled");
    let subnet = v.get("delegated_subnet_id");
    match pna.state() {
        St::Known(x) => o.put("publicly_accessible", bool_of(x).map(|b| pna.known(b))),
        // Computed: private access when the server is placed in a subnet.
        _ => match subnet.state() {
            St::Known(x) if non_empty(x) => o.put("publicly_accessible", Some(subnet.known(false))),
            St::Unknown if configured(s.cfg, &["delegated_subnet_id"]) || !s.has_config => o.put("publicly_accessible", Some(subnet.unknown())),
            _ if s.new => o.default(dflt::AZ_FLEX_PUBLIC, "publicly_accessible", &pna),
            _ => o.put("publicly_accessible", Some(pna.unknown())),
        },
    }
    o.default(dflt::AZ_FLEX_TLS, "require_tls", v);
    fact(s, o, "geo_redundant_backup", (&v.get("geo_redundant_backup_enabled"), &["geo_redundant_backup_enabled"]), bool_of, Dflt::New(dflt::AZ_FLEX_GEO));
    fact(s, o, "backup_retention_days", (&v.get("backup_retention_days"), &["backup_retention_days"]), num_of, Dflt::New(dflt::AZ_FLEX_BACKUP));
}

/// App Service apps and function apps (current and legacy resource types).
pub(super) fn web_app(s: &Src, o: &mut Out) {
    let v = &s.v;
    fact(s, o, "https_only", (&v.get("https_only"), &["https_only"]), bool_of, Dflt::New(dflt::AZ_APP_HTTPS));
    let id = v.get("identity");
    match id.state() {
        St::Known(x) if non_empty(x) => o.put("managed_identity", id.at(0).get("type").prop(|t| Some(Value::Bool(t.as_str().is_some_and(|t| !t.trim().is_empty() && !t.eq_ignore_ascii_case("none")))))),
        St::Unknown if configured(s.cfg, &["identity"]) || !s.has_config => o.put("managed_identity", Some(id.unknown())),
        _ => o.put("managed_identity", Some(id.known(false))),
    }
    let sc = v.get("site_config");
    let c = sc.at(0);
    if matches!(sc.state(), St::Unknown) {
        for n in ["min_tls_version", "ftp_state", "remote_debugging"] {
            o.put(n, Some(sc.unknown()));
        }
        return;
    }
    let tls = [c.get("minimum_tls_version"), c.get("min_tls_version")].into_iter().find(|x| !matches!(x.state(), St::Absent)).unwrap_or_else(|| c.get("minimum_tls_version"));
    fact(s, o, "min_tls_version", (&tls, &["site_config", "minimum_tls_version"]), |x| x.as_str().map(|t| Value::String(tls_version(t))), Dflt::New(dflt::AZ_APP_TLS));
    o.put("ftp_state", c.get("ftps_state").prop(|x| x.as_str().map(|t| Value::String(t.trim().to_ascii_lowercase()))));
    fact(s, o, "remote_debugging", (&c.get("remote_debugging_enabled"), &["site_config", "remote_debugging_enabled"]), bool_of, Dflt::New(dflt::AZ_APP_DEBUG));
}

/// `azurerm_kubernetes_cluster`: settings besides those of `aks`.
pub(super) fn aks_more(s: &Src, o: &mut Out) {
    let v = &s.v;
    fact(s, o, "local_accounts_disabled", (&v.get("local_account_disabled"), &["local_account_disabled"]), bool_of, Dflt::New(dflt::AZ_AKS_LOCAL));
    let aad = v.get("azure_active_directory_role_based_access_control");
    match aad.state() {
        St::Known(x) if non_empty(x) => o.bool_or("azure_rbac", &aad.at(0).get("azure_rbac_enabled"), false),
        St::Unknown if configured(s.cfg, &["azure_active_directory_role_based_access_control"]) || !s.has_config => o.put("azure_rbac", Some(aad.unknown())),
        _ => o.put("azure_rbac", Some(aad.known(false))),
    }
    let def = v.get("microsoft_defender");
    match def.state() {
        St::Unknown if !configured(s.cfg, &["microsoft_defender"]) && s.has_config => o.put("defender_enabled", Some(def.known(false))),
        _ => o.present("defender_enabled", &def),
    }
    let ch = [v.get("automatic_upgrade_channel"), v.get("automatic_channel_upgrade")].into_iter().find(|x| !matches!(x.state(), St::Absent));
    match ch {
        Some(c) => o.put("auto_upgrade_channel", c.prop(|x| x.as_str().map(|t| Value::String(t.trim().to_ascii_lowercase())))),
        None if s.new => o.default(dflt::AZ_AKS_UPGRADE, "auto_upgrade_channel", &v.get("automatic_upgrade_channel")),
        // A state without a channel: none is set.
        None => o.put("auto_upgrade_channel", Some(v.get("automatic_upgrade_channel").known("none"))),
    }
    let des = v.get("disk_encryption_set_id");
    o.put("node_disk_encryption_key", Some(customer_if_set(s.is_set(&des, &["disk_encryption_set_id"]))));
}

/// `azurerm_cosmosdb_account`.
pub(super) fn cosmos(s: &Src, o: &mut Out) {
    let v = &s.v;
    fact(s, o, "publicly_accessible", (&v.get("public_network_access_enabled"), &["public_network_access_enabled"]), bool_of, Dflt::New(dflt::AZ_COSMOS_PUBLIC));
    fact(s, o, "key_metadata_write", (&v.get("access_key_metadata_writes_enabled"), &["access_key_metadata_writes_enabled"]), bool_of, Dflt::New(dflt::AZ_COSMOS_META));
    fact(s, o, "local_auth_disabled", (&v.get("local_authentication_disabled"), &["local_authentication_disabled"]), bool_of, Dflt::New(dflt::AZ_COSMOS_LOCAL));
    let key = v.get("key_vault_key_id");
    match s.is_set(&key, &["key_vault_key_id"]) {
        p @ Prop::Known { .. } if p.is_true() => o.put("encryption_key", Some(customer_if_set(p))),
        Prop::Known { .. } => o.default(dflt::AZ_COSMOS_KEY, "encryption_key", &key),
        u => o.put("encryption_key", Some(u)),
    }
}

/// `azurerm_container_registry`.
pub(super) fn registry(s: &Src, o: &mut Out) {
    let v = &s.v;
    fact(s, o, "admin_user_enabled", (&v.get("admin_enabled"), &["admin_enabled"]), bool_of, Dflt::New(dflt::AZ_ACR_ADMIN));
    fact(s, o, "anonymous_pull", (&v.get("anonymous_pull_enabled"), &["anonymous_pull_enabled"]), bool_of, Dflt::New(dflt::AZ_ACR_ANON));
    fact(s, o, "publicly_accessible", (&v.get("public_network_access_enabled"), &["public_network_access_enabled"]), bool_of, Dflt::New(dflt::AZ_ACR_PUBLIC));
}

/// `azurerm_role_definition`: a custom role and the actions it allows.
pub(super) fn role_definition(s: &Src, o: &mut Out) {
    let v = &s.v;
    o.set("custom_role", true, &v.ptr);
    let perms = v.get("permissions");
    match perms.state() {
        St::Unknown => o.put("actions", Some(perms.unknown())),
        _ => {
            let mut actions = Vec::new();
            let mut unknown = None;
            for p in perms.items() {
                let a = p.get("actions");
                match a.state() {
                    St::Known(Json::Array(list)) => actions.extend(list.iter().filter_map(Json::as_str).map(|x| Value::String(x.trim().to_string()))),
                    St::Unknown => unknown = Some(a.unknown()),
                    _ => {}
                }
            }
            match unknown {
                Some(u) if !actions.iter().any(|a| a == "*") => o.put("actions", Some(u)),
                _ => o.put("actions", Some(perms.known(Value::Array(actions)))),
            }
        }
    }
}

/// `azurerm_log_analytics_workspace`.
pub(super) fn log_workspace(s: &Src, o: &mut Out) {
    let v = &s.v;
    fact(s, o, "retention_days", (&v.get("retention_in_days"), &["retention_in_days"]), num_of, Dflt::New(dflt::AZ_LAW_RETENTION));
}

/// `azurerm_security_center_subscription_pricing`: one Defender plan
/// (`resource_type` defaults to VirtualMachines), folded into `subscription`.
pub(super) fn pricing(s: &Src, o: &mut Out) {
    let v = &s.v;
    let rt = v.get("resource_type");
    let plan = match rt.state() {
        St::Known(Json::String(t)) => crate::ingest::azure::services::defender_plan_name(t),
        St::Absent => Some("servers"),
        _ => None,
    };
    let Some(plan) = plan else { return };
    o.put("defender_plan", Some(rt.known(plan)));
    o.put("defender_enabled", v.get("tier").prop(|t| t.as_str().map(|t| Value::Bool(t.eq_ignore_ascii_case("standard")))));
}

/// `azurerm_monitor_diagnostic_setting`: the log categories it sends
/// somewhere. On a subscription it is the activity log export; on a
/// resource it is joined as `diagnostic_logs`.
pub(super) fn diagnostic_setting(s: &Src, o: &mut Out) {
    let v = &s.v;
    let dest = ["log_analytics_workspace_id", "storage_account_id", "eventhub_authorization_rule_id", "partner_solution_id"]
        .iter()
        .map(|k| (k, v.get(k)))
        .map(|(k, d)| s.is_set(&d, &[k]))
        .fold(None::<Prop>, |acc, p| match acc {
            None => Some(p),
            Some(a) => Some(merge_or(&a, p)),
        });
    let mut cats = Vec::new();
    let mut unknown = None;
    for key in ["enabled_log", "log"] {
        let logs = v.get(key);
        if matches!(logs.state(), St::Unknown) {
            unknown = Some(logs.unknown());
        }
        for l in logs.items() {
            // `log` blocks (provider v3) carry `enabled`; `enabled_log` blocks are enabled.
            if key == "log" && !matches!(l.get("enabled").state(), St::Known(x) if loose_bool(x) == Some(true)) {
                continue;
            }
            match [l.get("category"), l.get("category_group")].into_iter().find_map(|c| c.str().filter(|t| !t.is_empty()).map(str::to_string)) {
                Some(c) => cats.push(Value::String(c.to_ascii_lowercase())),
                None => unknown = Some(l.unknown()),
            }
        }
    }
    let p = match (dest, unknown) {
        (Some(Prop::Known { value, .. }), _) if *value == Value::Bool(false) => v.known(Value::Array(Vec::new())),
        (Some(d @ Prop::Unknown { .. }), _) => d,
        (_, Some(u)) if cats.is_empty() => u,
        _ => v.get("enabled_log").known(Value::Array(cats)),
    };
    let target = v.get("target_resource_id");
    let subscription = match target.str() {
        Some(t) => t.strip_prefix("/subscriptions/").is_some_and(|x| !x.trim_end_matches('/').contains('/')),
        None => references(s.cfg, "target_resource_id").iter().any(|r| r.starts_with("data.azurerm_subscription.")),
    };
    if subscription {
        o.put("activity_log_export", Some(p));
        // One subscription per plan (the provider's): pricings carry no id to tell it apart.
        o.set("subscription_scope", true, &v.ptr);
    } else {
        let logs = match p {
            Prop::Known { value, pointer } => Prop::Known { value: shared_value(Value::Bool(value.as_array().is_some_and(|a| !a.is_empty()))), pointer },
            u => u,
        };
        o.put("diagnostic_logs", Some(logs));
    }
}

/// Virtual machines: encryption at host, and the platform encryption every
/// managed disk has (the OS disk's key kind is read by `azure_vm`).
pub(super) fn vm_more(s: &Src, o: &mut Out) {
    let v = &s.v;
    o.default(dflt::AZ_DISK_SSE, "disk_encryption", v);
    let at_host = v.get("encryption_at_host_enabled");
    match at_host.state() {
        St::Absent => o.put("encryption_at_host", Some(at_host.known(false))),
        _ => o.bool("encryption_at_host", &at_host),
    }
}

/// The canonical target type of a Network Watcher flow log, from the ARM id's
/// resource type or the Terraform type a reference names.
pub(super) fn flow_log_target_type(t: &str) -> Option<&'static str> {
    let t = t.to_ascii_lowercase();
    Some(if t.contains("/subnets/") || t == "azurerm_subnet" {
        "subnet"
    } else if t.contains("/virtualnetworks/") || t == "azurerm_virtual_network" {
        "virtual_network"
    } else if t.contains("/networksecuritygroups/") || t == "azurerm_network_security_group" {
        "network_security_group"
    } else if t.contains("/networkinterfaces/") || t == "azurerm_network_interface" {
        "network_interface"
    } else {
        return None;
    })
}

/// `azurerm_network_watcher_flow_log`: what it records (`target_id`, and
/// `target_type`: a VNet flow log names a virtual network, subnet or
/// interface in `target_resource_id`; an NSG flow log its NSG in
/// `network_security_group_id`) and whether it is on.
pub(super) fn flow_log(s: &Src, o: &mut Out) {
    let v = &s.v;
    o.bool("enabled", &v.get("enabled"));
    for attr in ["target_resource_id", "network_security_group_id"] {
        let t = v.get(attr);
        let from_reference = || references(s.cfg, attr).into_iter().filter_map(ref_target).find_map(|(ty, _, _)| flow_log_target_type(ty));
        let ty = match t.state() {
            St::Known(Json::String(id)) if !id.trim().is_empty() => flow_log_target_type(id).or_else(from_reference),
            St::Unknown => from_reference(),
            _ => continue,
        };
        o.str("target_id", &t);
        match ty {
            Some(ty) => o.put("target_type", Some(t.known(ty))),
            None if attr == "network_security_group_id" => o.put("target_type", Some(t.known("network_security_group"))),
            None => o.put("target_type", Some(t.unknown())),
        }
        return;
    }
}

/// `azurerm_private_endpoint`: a connection to the resource its
/// `private_service_connection` names (joined onto it as
/// `private_endpoint`). An automatic connection is approved when it is made
/// (the deployer holds the rights on the target); a manual one waits for the
/// target's owner, so whether it will carry traffic is not known.
pub(super) fn private_endpoint(s: &Src, o: &mut Out) {
    let c = s.v.block("private_service_connection");
    let manual = c.get("is_manual_connection");
    match manual.state() {
        St::Known(x) if loose_bool(x) == Some(true) => o.put("private_endpoint", Some(Prop::unknown("a manual connection carries traffic only once the resource's owner approves it", manual.pointer()))),
        St::Unknown => o.put("private_endpoint", Some(manual.unknown())),
        _ => o.put("private_endpoint", Some(c.known(true))),
    }
}
