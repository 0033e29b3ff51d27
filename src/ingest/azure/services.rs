//! Azure services beyond the core types of `mapper.rs`, read the same way from
//! ARM templates and runtime records (ARM REST bodies, `az … show/list`):
//! storage account settings added to `storage_account`, Key Vault vaults and
//! keys, SQL servers with their administrator, auditing and TDE protector
//! children, PostgreSQL / MySQL flexible servers, App Service apps and their
//! `config/web`, AKS cluster settings, Cosmos DB accounts, custom role
//! definitions, Log Analytics workspaces, diagnostic settings and Defender for
//! Cloud pricings (folded into one `subscription` resource per subscription).
//!
//! **Invariant:** facts only. A template's absent setting is the provider
//! default for a new resource (`ingest::defaults`); a runtime record's absent
//! setting is the default only for an entry that holds for every resource
//! (`applies_to = "all"`), otherwise it is left out (unknown).

use super::{dflt, loose_bool, loose_f64, ptr, tls_version_text, Field, Mapper, Val};
use crate::inventory::{Prop, Provider, Resource, SourceRef, Text};
use serde_json::Value;
use std::collections::BTreeMap;

/// `Enabled` / `Disabled` (any case) or a boolean.
pub(super) fn enabled(v: &Value) -> Option<bool> {
    match v {
        Value::String(s) if s.eq_ignore_ascii_case("enabled") => Some(true),
        Value::String(s) if s.eq_ignore_ascii_case("disabled") => Some(false),
        other => loose_bool(other),
    }
}

/// Defender for Cloud pricing names → the plan names of `docs/inventory.md`.
pub(crate) fn defender_plan_name(native: &str) -> Option<&'static str> {
    Some(match native.to_ascii_lowercase().as_str() {
        "virtualmachines" => "servers",
        "storageaccounts" => "storage",
        "sqlservers" => "sql",
        "containers" => "containers",
        "keyvaults" => "key_vault",
        "arm" => "arm",
        _ => return None,
    })
}

/// Seconds since 1970 (Key Vault `attributes.exp`) as a `YYYY-MM-DD` date.
fn epoch_date(secs: f64) -> Option<String> {
    if !(0.0..=253_402_300_799.0).contains(&secs) {
        return None;
    }
    let days = (secs / 86_400.0).floor() as i64;
    // Civil-from-days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    Some(format!("{y:04}-{m:02}-{d:02}"))
}

impl<'r, 'a> Mapper<'r, 'a> {
    /// A fact read by `conv`; when absent, the default `id` for a template
    /// (or for any full record when `all`), else nothing.
    fn fact(&self, res: &mut Resource, name: &str, f: &Field<'a>, conv: impl FnOnce(&Value) -> Option<Value>, id: Option<&str>, all: bool) {
        match f.prop(conv) {
            Some(p) => Self::put(res, name, Some(p)),
            None if f.is_absent() => {
                if let Some(id) = id {
                    if self.res.template || (all && self.full) {
                        self.default(res, id, name);
                    }
                }
            }
            None => {}
        }
    }

    fn bool_fact(&self, res: &mut Resource, name: &str, path: &[&str], id: Option<&str>, all: bool) {
        let f = self.f(path);
        self.fact(res, name, &f, |v| enabled(v).map(Value::Bool), id, all);
    }

    /// Settings of `Microsoft.Storage/storageAccounts` besides those of `storage_account`.
    pub(super) fn storage_more(&self, res: &mut Resource) {
        self.bool_fact(res, "shared_key_access", &["allowSharedKeyAccess"], Some(dflt::AZ_SHARED_KEY), true);
        if !res.props.contains_key("min_tls_version") {
            let tls = self.f(&["minimumTlsVersion"]);
            if tls.is_absent() && (self.res.template || self.full) {
                self.default(res, dflt::AZ_TLS12, "min_tls_version");
            }
        }
        let infra = self.f(&["encryption", "requireInfrastructureEncryption"]);
        res.props.remove("infrastructure_encryption");
        self.fact(res, "infrastructure_encryption", &infra, |v| loose_bool(v).map(Value::Bool), Some(dflt::AZ_INFRA_ENC), true);
        self.bool_fact(res, "cross_tenant_replication", &["allowCrossTenantReplication"], Some(dflt::AZ_CROSS_TENANT), false);
        let sas = self.f(&["sasPolicy", "sasExpirationPeriod"]);
        match &sas.val {
            Val::Known(v) => res.set("sas_expiry_policy", v.as_str().is_some_and(|s| !s.trim().is_empty()), sas.ptr.clone()),
            Val::Unknown(r) => res.set_unknown("sas_expiry_policy", r, sas.ptr.clone()),
            Val::Absent if self.res.template => self.default(res, dflt::AZ_SAS_POLICY, "sas_expiry_policy"),
            // A full runtime record lists `sasPolicy` when one is set.
            Val::Absent if self.full => res.set("sas_expiry_policy", false, self.pp.clone()),
            Val::Absent => {}
        }
    }

    /// `blobServices/default`: container soft delete (joined onto the account).
    pub(super) fn container_soft_delete(&self, res: &mut Resource) {
        let on = self.f(&["containerDeleteRetentionPolicy", "enabled"]);
        let days = self.f(&["containerDeleteRetentionPolicy", "days"]);
        match on.bool() {
            Some(false) => res.set("container_soft_delete_days", 0, on.ptr),
            Some(true) => Self::put(res, "container_soft_delete_days", days.prop(|v| loose_f64(v).map(|d| Value::from(d as i64)))),
            None => match &on.val {
                Val::Unknown(r) => res.set_unknown("container_soft_delete_days", r.clone(), on.ptr),
                Val::Absent if self.full => res.set("container_soft_delete_days", 0, self.pp.clone()),
                _ => {}
            },
        }
    }

    /// `blobServices/default`: blob versioning (joined onto the account).
    pub(super) fn blob_versioning(&self, res: &mut Resource) {
        let v = self.f(&["isVersioningEnabled"]);
        match v.prop_bool() {
            Some(p) => Self::put(res, "versioning", Some(p)),
            None if v.is_absent() && self.full => res.set("versioning", false, self.pp.clone()),
            None => {}
        }
    }

    /// `Microsoft.KeyVault/vaults`: authorization model and public access.
    pub(super) fn key_vault_more(&self, res: &mut Resource) {
        self.bool_fact(res, "rbac_authorization", &["enableRbacAuthorization"], Some(dflt::AZ_KV_RBAC), false);
        let pna = self.f(&["publicNetworkAccess"]);
        self.fact(res, "public_network_access", &pna, |v| enabled(v).map(Value::Bool), Some(dflt::AZ_KV_PUBLIC), false);
        if self.res.template {
            self.default(res, dflt::AZ_NO_DIAG, "diagnostic_logs");
        }
    }

    /// `Microsoft.KeyVault/vaults/secrets`: expiry.
    pub(super) fn vault_secret(&self, res: &mut Resource) {
        res.kind = Text::interned("vault_secret");
        self.expiry(res);
    }

    /// `attributes.exp` (seconds since 1970) as `expiration_date`; `null` when a full record has none.
    fn expiry(&self, res: &mut Resource) {
        let exp = self.f(&["attributes", "exp"]);
        match exp.prop(|v| loose_f64(v).and_then(epoch_date).map(Value::String)) {
            Some(p) => Self::put(res, "expiration_date", Some(p)),
            None if exp.is_absent() && self.full => res.set("expiration_date", Value::Null, self.pp.clone()),
            None => {}
        }
    }

    /// `Microsoft.KeyVault/vaults/keys`: expiry and rotation policy.
    pub(super) fn vault_key(&self, res: &mut Resource) {
        res.kind = Text::interned("kms_key");
        self.expiry(res);
        let en = self.f(&["attributes", "enabled"]);
        match en.prop_bool() {
            Some(p) => Self::put(res, "enabled", Some(p)),
            None if en.is_absent() && self.full => res.set("enabled", true, self.pp.clone()),
            None => {}
        }
        let actions = self.f(&["rotationPolicy", "lifetimeActions"]);
        match &actions.val {
            Val::Known(v) => {
                let list = v.as_array().cloned().unwrap_or_default();
                let rotate = list.iter().enumerate().find(|(_, a)| {
                    a.pointer("/action/type").and_then(Value::as_str).is_some_and(|t| t.eq_ignore_ascii_case("rotate"))
                });
                match rotate {
                    Some((i, a)) => {
                        let at = ptr(&actions.ptr, i);
                        res.set("rotation_enabled", true, at.clone());
                        if let Some(d) = a.pointer("/trigger/timeAfterCreate").and_then(Value::as_str).and_then(crate::ingest::util::iso_duration_days) {
                            res.set("rotation_period_days", d, ptr(&at, "trigger"));
                        }
                    }
                    None => res.set("rotation_enabled", false, actions.ptr.clone()),
                }
            }
            Val::Unknown(r) => res.set_unknown("rotation_enabled", r, actions.ptr.clone()),
            Val::Absent if self.full => res.set("rotation_enabled", false, self.pp.clone()),
            Val::Absent => {}
        }
    }

    /// `Microsoft.Sql/servers`: public access default, Entra administrator.
    pub(super) fn sql_more(&self, res: &mut Resource) {
        if !res.props.contains_key("publicly_accessible") && self.res.template && self.f(&["publicNetworkAccess"]).is_absent() {
            self.default(res, dflt::AZ_SQL_PUBLIC, "publicly_accessible");
        }
        let admin = self.f(&["administrators"]);
        match &admin.val {
            Val::Known(_) => self.sql_admin(res, &["administrators"]),
            Val::Unknown(r) => {
                res.set_unknown("entra_admin", r, admin.ptr.clone());
                res.set_unknown("entra_only_auth", r, admin.ptr.clone());
            }
            Val::Absent if self.res.template => {
                self.default(res, dflt::AZ_SQL_ADMIN, "entra_admin");
                self.default(res, dflt::AZ_SQL_ADMIN, "entra_only_auth");
            }
            Val::Absent => {}
        }
        if self.res.template {
            self.default(res, dflt::AZ_SQL_AUDIT, "auditing_enabled");
            self.default(res, dflt::AZ_SQL_TDE, "encryption_key");
        }
    }

    /// An Entra administrator object at `base` (`administrators` of a server,
    /// or the properties of `servers/administrators`).
    pub(super) fn sql_admin(&self, res: &mut Resource, base: &[&str]) {
        let at = |k: &str| {
            let mut p = base.to_vec();
            p.push(k);
            self.f(&p)
        };
        let at_base = if base.is_empty() { self.pp.clone() } else { ptr(&self.pp, base.join("/")) };
        let login = at("login");
        let sid = at("sid");
        let who = if login.is_absent() { sid } else { login };
        match &who.val {
            Val::Known(v) => res.set("entra_admin", v.as_str().is_some_and(|s| !s.trim().is_empty()), who.ptr.clone()),
            Val::Unknown(r) => res.set_unknown("entra_admin", r, who.ptr.clone()),
            Val::Absent => res.set("entra_admin", false, at_base.clone()),
        }
        let only = at("azureADOnlyAuthentication");
        match only.prop_bool() {
            Some(p) => Self::put(res, "entra_only_auth", Some(p)),
            None => res.set("entra_only_auth", false, at_base),
        }
    }

    /// `servers/auditingSettings`: the server's blob auditing state.
    pub(super) fn sql_auditing(&self, res: &mut Resource) {
        let st = self.f(&["state"]);
        Self::put(res, "auditing_enabled", st.prop(|v| enabled(v).map(Value::Bool)));
    }

    /// `servers/encryptionProtector`: service-managed or Key Vault key.
    pub(super) fn sql_protector(&self, res: &mut Resource) {
        let kind = self.f(&["serverKeyType"]);
        Self::put(
            res,
            "encryption_key",
            kind.prop(|v| v.as_str().map(|s| Value::String(if s.eq_ignore_ascii_case("AzureKeyVault") { "customer" } else { "provider" }.into()))),
        );
    }

    /// `Microsoft.DBforPostgreSQL/flexibleServers`, `Microsoft.DBforMySQL/flexibleServers`.
    pub(super) fn flexible_server(&self, res: &mut Resource) {
        res.kind = Text::interned("database");
        let pna = self.f(&["network", "publicNetworkAccess"]);
        let subnet = self.f(&["network", "delegatedSubnetResourceId"]);
        match pna.prop(|v| enabled(v).map(Value::Bool)) {
            Some(p) => Self::put(res, "publicly_accessible", Some(p)),
            None if pna.is_absent() => match &subnet.val {
                Val::Known(v) if v.as_str().is_some_and(|s| !s.trim().is_empty()) => res.set("publicly_accessible", false, subnet.ptr.clone()),
                Val::Unknown(r) => res.set_unknown("publicly_accessible", r, subnet.ptr.clone()),
                _ if self.res.template => self.default(res, dflt::AZ_FLEX_PUBLIC, "publicly_accessible"),
                _ => {}
            },
            None => {}
        }
        // `require_secure_transport` is a server parameter (`configurations`, joined); ON unless changed.
        if self.res.template || self.full {
            self.default(res, dflt::AZ_FLEX_TLS, "require_tls");
        }
        let geo = self.f(&["backup", "geoRedundantBackup"]);
        self.fact(res, "geo_redundant_backup", &geo, |v| enabled(v).map(Value::Bool), Some(dflt::AZ_FLEX_GEO), false);
        let days = self.f(&["backup", "backupRetentionDays"]);
        self.fact(res, "backup_retention_days", &days, |v| loose_f64(v).map(|d| Value::from(d as i64)), Some(dflt::AZ_FLEX_BACKUP), false);
    }

    /// A flexible server's `configurations/require_secure_transport` parameter.
    pub(super) fn flexible_tls_parameter(&self, res: &mut Resource) {
        let v = self.f(&["value"]);
        Self::put(res, "require_tls", v.prop(|x| x.as_str().map(|s| Value::Bool(s.trim().eq_ignore_ascii_case("on")))));
    }

    /// `Microsoft.Web/sites` (apps and function apps).
    pub(super) fn web_app(&self, res: &mut Resource, record: &'a Value, pointer: &str) {
        res.kind = Text::interned("web_app");
        let https = self.f(&["httpsOnly"]);
        self.fact(res, "https_only", &https, |v| loose_bool(v).map(Value::Bool), Some(dflt::AZ_APP_HTTPS), false);
        self.identity(res, record, pointer);
        self.site_config(res, &["siteConfig"]);
    }

    /// `identity.type` of a resource record (outside `properties`).
    pub(super) fn identity(&self, res: &mut Resource, record: &'a Value, pointer: &str) {
        let f = self.res.field(record, pointer, &["identity", "type"]);
        match &f.val {
            Val::Known(v) => res.set("managed_identity", v.as_str().is_some_and(|s| !s.trim().is_empty() && !s.eq_ignore_ascii_case("none")), f.ptr.clone()),
            Val::Unknown(r) => res.set_unknown("managed_identity", r, f.ptr.clone()),
            Val::Absent if self.full || self.res.template => res.set("managed_identity", false, pointer),
            Val::Absent => {}
        }
    }

    /// A site configuration (`siteConfig` of a site, or the properties of
    /// `sites/config/web`, `base` empty). A runtime site's `siteConfig` holds
    /// nulls for what only `config/web` returns: those stay unknown.
    pub(super) fn site_config(&self, res: &mut Resource, base: &[&str]) {
        let at = |k: &str| {
            let mut p = base.to_vec();
            p.push(k);
            self.f(&p)
        };
        let tls = at("minTlsVersion");
        self.fact(res, "min_tls_version", &tls, |v| v.as_str().map(|s| Value::String(tls_version_text(s))), Some(dflt::AZ_APP_TLS), false);
        let ftp = at("ftpsState");
        Self::put(res, "ftp_state", ftp.prop(|v| v.as_str().map(|s| Value::String(s.trim().to_ascii_lowercase()))));
        let dbg = at("remoteDebuggingEnabled");
        self.fact(res, "remote_debugging", &dbg, |v| loose_bool(v).map(Value::Bool), Some(dflt::AZ_APP_DEBUG), false);
    }

    /// AKS settings besides those of `aks`.
    pub(super) fn aks_more(&self, res: &mut Resource) {
        self.bool_fact(res, "local_accounts_disabled", &["disableLocalAccounts"], Some(dflt::AZ_AKS_LOCAL), false);
        let aad = self.f(&["aadProfile"]);
        let rbac = self.f(&["aadProfile", "enableAzureRBAC"]);
        match rbac.prop_bool() {
            Some(p) => Self::put(res, "azure_rbac", Some(p)),
            None => match &aad.val {
                Val::Unknown(r) => res.set_unknown("azure_rbac", r, aad.ptr.clone()),
                // No Entra ID profile, or one without Azure RBAC: Kubernetes RBAC only.
                _ if self.full => res.set("azure_rbac", false, if aad.is_absent() { self.pp.clone() } else { aad.ptr.clone() }),
                _ => {}
            },
        }
        let def = self.f(&["securityProfile", "defender", "securityMonitoring", "enabled"]);
        match def.prop_bool() {
            Some(p) => Self::put(res, "defender_enabled", Some(p)),
            None if def.is_absent() && self.full => res.set("defender_enabled", false, self.pp.clone()),
            None => {}
        }
        let ch = self.f(&["autoUpgradeProfile", "upgradeChannel"]);
        let profile = self.f(&["autoUpgradeProfile"]);
        if ch.is_absent() && !self.res.template && matches!(profile.value(), Some(Value::Object(_))) {
            // The API lists the profile (its node OS channel) without `upgradeChannel` when none is set.
            res.set("auto_upgrade_channel", "none", profile.ptr.clone());
        }
        self.fact(res, "auto_upgrade_channel", &ch, |v| v.as_str().map(|s| Value::String(s.trim().to_ascii_lowercase())), Some(dflt::AZ_AKS_UPGRADE), false);
        let des = self.f(&["diskEncryptionSetID"]);
        match &des.val {
            Val::Known(v) => res.set("node_disk_encryption_key", if v.as_str().is_some_and(|s| !s.trim().is_empty()) { "customer" } else { "provider" }, des.ptr.clone()),
            Val::Unknown(_) => res.set("node_disk_encryption_key", "customer", des.ptr.clone()),
            Val::Absent if self.full => res.set("node_disk_encryption_key", "provider", self.pp.clone()),
            Val::Absent => {}
        }
    }

    /// `Microsoft.DocumentDB/databaseAccounts`.
    pub(super) fn cosmos(&self, res: &mut Resource) {
        res.kind = Text::interned("cosmos_account");
        let pna = self.f(&["publicNetworkAccess"]);
        self.fact(res, "publicly_accessible", &pna, |v| enabled(v).map(Value::Bool), Some(dflt::AZ_COSMOS_PUBLIC), false);
        let meta = self.f(&["disableKeyBasedMetadataWriteAccess"]);
        self.fact(res, "key_metadata_write", &meta, |v| loose_bool(v).map(|b| Value::Bool(!b)), Some(dflt::AZ_COSMOS_META), false);
        self.bool_fact(res, "local_auth_disabled", &["disableLocalAuth"], Some(dflt::AZ_COSMOS_LOCAL), false);
        let key = self.f(&["keyVaultKeyUri"]);
        match &key.val {
            Val::Known(v) if v.as_str().is_some_and(|s| !s.trim().is_empty()) => res.set("encryption_key", "customer", key.ptr.clone()),
            Val::Unknown(_) => res.set("encryption_key", "customer", key.ptr.clone()),
            _ if self.full => self.default(res, dflt::AZ_COSMOS_KEY, "encryption_key"),
            _ => {}
        }
    }

    /// `Microsoft.ContainerRegistry/registries`.
    pub(super) fn registry(&self, res: &mut Resource) {
        res.kind = Text::interned("container_registry");
        self.bool_fact(res, "admin_user_enabled", &["adminUserEnabled"], Some(dflt::AZ_ACR_ADMIN), false);
        self.bool_fact(res, "anonymous_pull", &["anonymousPullEnabled"], Some(dflt::AZ_ACR_ANON), false);
        let pna = self.f(&["publicNetworkAccess"]);
        self.fact(res, "publicly_accessible", &pna, |v| enabled(v).map(Value::Bool), Some(dflt::AZ_ACR_PUBLIC), false);
    }

    /// `Microsoft.Authorization/roleDefinitions`: custom roles and their actions.
    pub(super) fn role_definition(&self, res: &mut Resource) {
        let t = self.f(&["type"]);
        let custom = match &t.val {
            Val::Known(v) => v.as_str().is_some_and(|s| s.eq_ignore_ascii_case("CustomRole")),
            // A template deploys custom roles only.
            _ => self.res.template,
        };
        if !custom {
            return;
        }
        res.kind = Text::interned("role_definition");
        res.set("custom_role", true, if t.is_absent() { self.pp.clone() } else { t.ptr.clone() });
        let perms = self.f(&["permissions"]);
        match &perms.val {
            Val::Known(v) => {
                let mut actions = Vec::new();
                let mut unknown = None;
                for (i, p) in v.as_array().map(Vec::as_slice).unwrap_or_default().iter().enumerate() {
                    let f = self.res.field(p, &ptr(&perms.ptr, i), &["actions"]);
                    match &f.val {
                        Val::Known(a) => actions.extend(a.as_array().map(Vec::as_slice).unwrap_or_default().iter().filter_map(Value::as_str).map(|s| Value::String(s.trim().to_string()))),
                        Val::Unknown(r) => unknown = Some((r.clone(), f.ptr.clone())),
                        Val::Absent => {}
                    }
                }
                match unknown {
                    Some((r, p)) if !actions.iter().any(|a| a == "*") => res.set_unknown("actions", r, p),
                    _ => res.set("actions", Value::Array(actions), perms.ptr.clone()),
                }
            }
            Val::Unknown(r) => res.set_unknown("actions", r, perms.ptr.clone()),
            Val::Absent if self.full => res.set("actions", Value::Array(Vec::new()), self.pp.clone()),
            Val::Absent => {}
        }
    }

    /// `Microsoft.OperationalInsights/workspaces`.
    pub(super) fn log_workspace(&self, res: &mut Resource) {
        res.kind = Text::interned("log_workspace");
        let days = self.f(&["retentionInDays"]);
        self.fact(res, "retention_days", &days, |v| loose_f64(v).map(|d| Value::from(d as i64)), Some(dflt::AZ_LAW_RETENTION), false);
    }

    /// `Microsoft.Security/pricings`: one Defender plan (folded into `subscription`).
    pub(super) fn pricing(&self, res: &mut Resource, name: &str) {
        let plan = name.rsplit('/').next().and_then(defender_plan_name);
        let Some(plan) = plan else { return };
        res.set("defender_plan", plan, self.pp.clone());
        let tier = self.f(&["pricingTier"]);
        Self::put(res, "defender_enabled", tier.prop(|v| v.as_str().map(|s| Value::Bool(s.eq_ignore_ascii_case("standard")))));
    }

    /// A diagnostic setting: the log categories it sends somewhere (empty
    /// when it has no destination). Subscription-level settings are the
    /// activity log export; resource-level ones become `diagnostic_logs`.
    pub(super) fn diagnostic_setting(&self, res: &mut Resource) -> Option<Prop> {
        let dest = ["workspaceId", "storageAccountId", "eventHubAuthorizationRuleId", "marketplacePartnerId"].iter().map(|k| self.f(&[k])).find(|f| f.present());
        let logs = self.f(&["logs"]);
        let p = match (&logs.val, dest) {
            (Val::Unknown(r), _) => Prop::unknown(r.clone(), logs.ptr.clone()),
            (_, None) => Prop::known(Value::Array(Vec::new()), self.pp.clone()),
            (Val::Known(v), Some(_)) => {
                let mut cats = Vec::new();
                for (i, l) in v.as_array().map(Vec::as_slice).unwrap_or_default().iter().enumerate() {
                    let on = self.res.field(l, &ptr(&logs.ptr, i), &["enabled"]);
                    if on.bool() != Some(true) {
                        continue;
                    }
                    let c = self.res.field(l, &ptr(&logs.ptr, i), &["category"]);
                    let g = self.res.field(l, &ptr(&logs.ptr, i), &["categoryGroup"]);
                    if let Some(s) = c.str().or_else(|| g.str()) {
                        cats.push(Value::String(s.trim().to_ascii_lowercase()));
                    }
                }
                Prop::known(Value::Array(cats), logs.ptr.clone())
            }
            (Val::Absent, Some(_)) => Prop::known(Value::Array(Vec::new()), self.pp.clone()),
        };
        res.props.insert("activity_log_export", p.clone());
        Some(p)
    }
}

/// `diagnostic_logs` of a resource from one of its diagnostic settings' categories.
pub(super) fn diagnostic_logs(categories: &Prop) -> Prop {
    match categories {
        Prop::Known { value, pointer } => Prop::known(value.as_array().is_some_and(|a| !a.is_empty()), pointer.clone()),
        u => u.clone(),
    }
}

/// Fold Defender pricings (`defender_plan` + `defender_enabled`) and
/// subscription-level diagnostic settings (`activity_log_export`, marked by
/// the native type and no parent) into one `subscription` resource per
/// subscription, appended to `out`. `activity` says which resources are
/// subscription-level diagnostic settings.
pub(crate) fn fold_subscriptions(out: &mut Vec<Resource>, activity: &dyn Fn(&Resource) -> bool, provider_subscription: &str) {
    // Most inputs have neither: one pass over the native types, no property lookups.
    let relevant = |t: &str| {
        t.eq_ignore_ascii_case("Microsoft.Security/pricings")
            || t.eq_ignore_ascii_case("Microsoft.Insights/diagnosticSettings")
            || t == "azurerm_security_center_subscription_pricing"
            || t == "azurerm_monitor_diagnostic_setting"
    };
    if !out.iter().any(|r| r.provider == Provider::Azure && relevant(&r.native_type)) {
        return;
    }
    let mut subs: BTreeMap<String, Resource> = BTreeMap::new();
    let mut order: Vec<String> = Vec::new();
    for r in out.iter() {
        let plan = r.prop("defender_plan").and_then(Prop::value).and_then(Value::as_str).map(str::to_string);
        let is_activity = activity(r);
        if plan.is_none() && !is_activity {
            continue;
        }
        let key = r.account.as_ref().map(|a| a.to_string()).unwrap_or_default();
        let sub = subs.entry(key.clone()).or_insert_with(|| {
            order.push(key.clone());
            let id = if key.is_empty() { provider_subscription.to_string() } else { format!("/subscriptions/{key}") };
            Resource {
                provider: Provider::Azure,
                kind: Text::interned("subscription"),
                native_type: Text::interned("Microsoft.Resources/subscriptions"),
                id: id.clone().into(),
                name: if key.is_empty() { id.into() } else { key.clone().into() },
                region: None,
                account: r.account.clone(),
                source: SourceRef { file: r.source.file.clone(), pointer: r.source.pointer.clone(), line: None },
                props: Default::default(),
            }
        });
        if let Some(plan) = plan {
            let name = match plan.as_str() {
                "servers" => "defender_servers",
                "storage" => "defender_storage",
                "sql" => "defender_sql",
                "containers" => "defender_containers",
                "key_vault" => "defender_key_vault",
                _ => "defender_arm",
            };
            if let Some(p) = r.prop("defender_enabled") {
                sub.props.insert(name, p.clone());
            }
        }
        if is_activity {
            if let Some(p) = r.prop("activity_log_export") {
                let merged = match (sub.props.get("activity_log_export"), p) {
                    (None, p) => p.clone(),
                    (Some(Prop::Known { value: a, pointer }), Prop::Known { value: b, .. }) => {
                        let mut all: Vec<Value> = a.as_array().cloned().unwrap_or_default();
                        for x in b.as_array().map(Vec::as_slice).unwrap_or_default() {
                            if !all.contains(x) {
                                all.push(x.clone());
                            }
                        }
                        Prop::known(Value::Array(all), pointer.clone())
                    }
                    (Some(Prop::Unknown { .. }), p) => p.clone(),
                    (Some(old), Prop::Unknown { .. }) => old.clone(),
                };
                sub.props.insert("activity_log_export", merged);
            }
        }
    }
    for k in order {
        if let Some(s) = subs.remove(&k) {
            out.push(s);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_seconds_become_dates() {
        assert_eq!(epoch_date(0.0).as_deref(), Some("1970-01-01"));
        assert_eq!(epoch_date(1_798_675_200.0).as_deref(), Some("2026-12-31"));
        assert_eq!(epoch_date(-1.0), None);
    }

    #[test]
    fn plan_names() {
        assert_eq!(defender_plan_name("VirtualMachines"), Some("servers"));
        assert_eq!(defender_plan_name("KeyVaults"), Some("key_vault"));
        assert_eq!(defender_plan_name("Dns"), None);
    }
}
