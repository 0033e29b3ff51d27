//! One record's properties onto the canonical facts of the core types: storage accounts and
//! containers, NSGs and rules, disks, VMs, SQL servers and firewall rules, Key Vaults, AKS.

use super::*;

/// Reads one resource's properties.
pub(super) struct Mapper<'r, 'a> {
    pub(super) res: &'r Resolver<'a>,
    pub(super) props: &'a Value,
    pub(super) pp: String,
    /// The record carries its full properties (template, or API record with
    /// `properties`), so documented defaults may fill absent attributes.
    pub(super) full: bool,
    pub(super) api: Option<&'r str>,
}

impl<'r, 'a> Mapper<'r, 'a> {
    pub(super) fn f(&self, path: &[&str]) -> Field<'a> {
        self.res.field(self.props, &self.pp, path)
    }
    /// The first of several alternative attribute paths that is present.
    pub(super) fn first(&self, paths: &[&[&str]]) -> Field<'a> {
        let mut last = None;
        for p in paths {
            let f = self.f(p);
            if !f.is_absent() {
                return f;
            }
            last = Some(f);
        }
        last.unwrap_or(Field { val: Val::Absent, ptr: self.pp.clone() })
    }
    pub(super) fn put(res: &mut Resource, name: &str, p: Option<Prop>) {
        if let Some(p) = p {
            res.props.insert(name, p);
        }
    }
    /// `name` as the provider default `id` gives it (`ingest::defaults`), at
    /// this resource's properties.
    pub(super) fn default(&self, res: &mut Resource, id: &str, name: &str) {
        Self::put(res, name, dflt::prop(id, name, self.pp.clone()));
    }

    /// `blobServices/default`: blob soft delete (joined onto the account).
    pub(super) fn blob_service(&self, res: &mut Resource) {
        self.container_soft_delete(res);
        self.blob_versioning(res);
        let on = self.f(&["deleteRetentionPolicy", "enabled"]);
        let days = self.f(&["deleteRetentionPolicy", "days"]);
        match on.bool() {
            Some(false) => res.set("blob_soft_delete_days", 0, on.ptr),
            Some(true) => Self::put(res, "blob_soft_delete_days", days.prop(|v| loose_f64(v).map(|d| Value::from(d as i64)))),
            None => match &on.val {
                Val::Unknown(r) => res.set_unknown("blob_soft_delete_days", r.clone(), on.ptr),
                // Not configured: soft delete is off.
                Val::Absent if self.full => res.set("blob_soft_delete_days", 0, self.pp.clone()),
                _ => {}
            },
        }
    }

    /// Does any IP configuration of this network interface have a public address?
    pub(super) fn nic_public_ip(&self) -> Option<(bool, String)> {
        let configs = self.f(&["ipConfigurations"]);
        let list = configs.value()?.as_array()?;
        for (i, c) in list.iter().enumerate() {
            let at = ptr(&ptr(&configs.ptr, i), "properties");
            let public = self.res.field(c, &ptr(&configs.ptr, i), &["properties", "publicIPAddress"]);
            if public.present() {
                return Some((true, ptr(&at, "publicIPAddress")));
            }
        }
        Some((false, configs.ptr))
    }

    pub(super) fn storage_account(&self, res: &mut Resource) {
        res.kind = Text::interned("storage_account");
        let https = self.first(&[&["supportsHttpsTrafficOnly"], &["enableHttpsTrafficOnly"]]);
        match https.prop_bool() {
            Some(p) => Self::put(res, "https_only", Some(p)),
            None if https.is_absent() && self.res.template => {
                // Documented default: false before apiVersion 2019-04-01, true from then on.
                let at = self.pp.rsplit_once("/properties").map(|(b, _)| format!("{b}/apiVersion")).unwrap_or_else(|| self.pp.clone());
                match self.api.and_then(|a| api_at_least(a, "2019-04-01")) {
                    Some(true) => Self::put(res, "https_only", dflt::prop(dflt::AZURE_HTTPS, "https_only", at)),
                    Some(false) => res.set("https_only", false, at),
                    None => {}
                }
            }
            None => {}
        }
        let tls = self.f(&["minimumTlsVersion"]);
        Self::put(res, "min_tls_version", tls.prop(|v| v.as_str().map(|s| Value::String(tls_version_text(s)))));
        // allowBlobPublicAccess: a template creates the account, which Azure
        // creates with anonymous access disallowed (since late 2023). A runtime
        // record without it does not say which default the account got: unknown.
        let public = self.f(&["allowBlobPublicAccess"]);
        match public.prop_bool() {
            Some(p) => Self::put(res, "public_blob_access", Some(p)),
            None if public.is_absent() && self.res.template => self.default(res, dflt::AZURE_BLOB_PUBLIC, "public_blob_access"),
            None => {}
        }
        let acl = self.first(&[&["networkAcls", "defaultAction"], &["networkRuleSet", "defaultAction"]]);
        match acl.prop(|v| v.as_str().map(|s| Value::Bool(s.eq_ignore_ascii_case("deny")))) {
            Some(p) => Self::put(res, "network_default_deny", Some(p)),
            None if acl.is_absent() && self.full => {
                let container = self.first(&[&["networkAcls"], &["networkRuleSet"]]);
                match container.val {
                    Val::Unknown(r) => res.set_unknown("network_default_deny", r, container.ptr),
                    // A template: Azure's default for a new account (Allow).
                    _ if self.res.template => self.default(res, dflt::AZURE_NETWORK, "network_default_deny"),
                    // A runtime record without network rules: none are set (Allow).
                    _ => res.set("network_default_deny", false, self.pp.clone()),
                }
            }
            None => {}
        }
        if self.full {
            // Azure Storage encrypts all data at rest; it cannot be turned off.
            self.default(res, dflt::AZURE_ENCRYPTION, "encryption_at_rest");
            let ks = self.f(&["encryption", "keySource"]);
            match ks.prop(|v| v.as_str().map(|s| Value::String(if s.eq_ignore_ascii_case("Microsoft.Keyvault") { "customer" } else { "provider" }.into()))) {
                Some(p) => Self::put(res, "encryption_key", Some(p)),
                None => self.default(res, dflt::AZURE_ENCRYPTION, "encryption_key"),
            }
            let infra = self.f(&["encryption", "requireInfrastructureEncryption"]);
            match infra.prop_bool() {
                Some(p) => Self::put(res, "infrastructure_encryption", Some(p)),
                None => res.set("infrastructure_encryption", false, self.pp.clone()),
            }
        }
    }

    pub(super) fn blob_container(&self, res: &mut Resource) {
        res.kind = Text::interned("blob_container");
        let pa = self.f(&["publicAccess"]);
        match pa.prop(|v| v.as_str().map(|s| Value::String(s.trim().to_ascii_lowercase()))) {
            Some(p) => Self::put(res, "public_access", Some(p)),
            None if self.res.template => self.default(res, dflt::AZURE_CONTAINER, "public_access"),
            // A runtime record without it: the container has no public access set.
            None if self.full => res.set("public_access", "none", self.pp.clone()),
            None => {}
        }
    }

    pub(super) fn nsg(&self, res: &mut Resource) {
        res.kind = Text::interned("firewall");
        let mut entries = Vec::new();
        let mut any = false;
        for key in ["securityRules", "defaultSecurityRules"] {
            let f = self.f(&[key]);
            match &f.val {
                Val::Unknown(r) => {
                    res.set_unknown("ingress", r.clone(), f.ptr);
                    return;
                }
                Val::Known(v) => {
                    if let Value::Array(a) = v.as_ref() {
                        any = true;
                        for (i, rule) in a.iter().enumerate() {
                            let rp = ptr(&f.ptr, i);
                            let rname = rule.get("name").and_then(Value::as_str).unwrap_or("").to_string();
                            entries.extend(self.nsg_rule(rule, &rp, &rname));
                        }
                    }
                }
                Val::Absent => {}
            }
        }
        if any || self.full {
            res.set("ingress", Value::Array(entries), ptr(&self.pp, "securityRules"));
        }
        if self.res.template {
            self.default(res, dflt::AZ_NO_DIAG, "diagnostic_logs");
        }
    }

    /// One NSG rule (inline `{name, properties{…}}`, a rule resource, or
    /// flattened `az` output) → inbound ingress entries.
    pub(super) fn nsg_rule(&self, rule: &'a Value, rp: &str, rname: &str) -> Vec<Value> {
        let (body, bp): (&'a Value, String) = match rule.get("properties") {
            Some(p) if p.is_object() => (p, format!("{rp}/properties")),
            _ => (rule, rp.to_string()),
        };
        let g = |k: &str| self.res.field(body, &bp, &[k]);
        let dir = g("direction");
        if dir.str().is_some_and(|d| d.eq_ignore_ascii_case("outbound")) {
            return Vec::new();
        }
        let allow = !g("access").str().is_some_and(|a| a.eq_ignore_ascii_case("deny"));
        let protocol = g("protocol").str().map(normalise_protocol).unwrap_or_else(|| "all".into());
        let priority = g("priority").value().and_then(loose_f64).map(|p| p as i64);
        // Sources.
        let mut sources = Vec::new();
        let mut unknown = false;
        for k in ["sourceAddressPrefix", "sourceAddressPrefixes"] {
            match g(k).val {
                Val::Known(v) => match v.as_ref() {
                    Value::String(s) if !s.trim().is_empty() => sources.push(normalise_source(s)),
                    Value::Array(a) => {
                        for x in a {
                            match self.res.resolve(x) {
                                Val::Known(x) => {
                                    if let Some(s) = x.as_str().filter(|s| !s.trim().is_empty()) {
                                        sources.push(normalise_source(s));
                                    }
                                }
                                Val::Unknown(_) => unknown = true,
                                Val::Absent => {}
                            }
                        }
                    }
                    _ => {}
                },
                Val::Unknown(_) => unknown = true,
                Val::Absent => {}
            }
        }
        let open = sources.iter().any(|s| crate::ingest::util::is_open_source(s));
        let sources = if unknown && !open { None } else { Some(sources) };
        // Destination ports.
        let mut ranges: Vec<Option<(u16, u16)>> = Vec::new();
        let mut unknown_ports = false;
        for k in ["destinationPortRange", "destinationPortRanges"] {
            match g(k).val {
                Val::Known(v) => match v.as_ref() {
                    Value::Array(a) => {
                        for x in a {
                            match self.res.resolve(x) {
                                Val::Known(x) => ranges.push(port_range(&x)),
                                Val::Unknown(_) => unknown_ports = true,
                                Val::Absent => {}
                            }
                        }
                    }
                    Value::String(s) if s.trim().is_empty() => {}
                    other => ranges.push(port_range(other)),
                },
                Val::Unknown(_) => unknown_ports = true,
                Val::Absent => {}
            }
        }
        if ranges.is_empty() || unknown_ports {
            ranges.push(None);
        }
        let rule = if rname.is_empty() { None } else { Some(rname) };
        ranges.into_iter().map(|r| ingress_entry(&protocol, r, sources.clone(), allow, priority, rule)).collect()
    }

    /// Managed disk. Azure encrypts every managed disk at rest (server-side
    /// encryption, platform keys unless a disk encryption set names a
    /// customer key): `encryption_at_rest` rests on that default, and
    /// `encryption_key` says whose key — `customer` for a disk encryption set,
    /// a `…CustomerKey` encryption type or Azure Disk Encryption (keys in the
    /// customer's vault).
    pub(super) fn disk(&self, res: &mut Resource) {
        res.kind = Text::interned("block_volume");
        if self.full {
            self.default(res, dflt::AZ_DISK_SSE, "encryption_at_rest");
        }
        let ade = self.first(&[&["encryptionSettingsCollection", "enabled"], &["encryptionSettings", "enabled"]]);
        let des = self.f(&["encryption", "diskEncryptionSetId"]);
        let etype = self.f(&["encryption", "type"]);
        let cmk = etype.str().is_some_and(|t| t.to_ascii_lowercase().contains("customerkey"));
        if des.present() || cmk {
            let at = if des.present() { des.ptr.clone() } else { etype.ptr.clone() };
            res.set("encryption_key", "customer", at);
            return;
        }
        match &ade.val {
            Val::Known(_) if ade.bool() == Some(true) => res.set("encryption_key", "customer", ade.ptr.clone()),
            Val::Unknown(r) => res.set_unknown("encryption_key", r, ade.ptr.clone()),
            _ if self.full => self.default(res, dflt::AZ_DISK_SSE, "encryption_key"),
            _ => {}
        }
    }

    pub(super) fn vm(&self, res: &mut Resource) {
        res.kind = Text::interned("virtual_machine");
        // Every managed disk a VM creates is encrypted at rest (platform keys
        // by default); whose key protects the OS disk, and encryption at host
        // (temp disks and caches too), are stated apart.
        let full = self.full || self.f(&["storageProfile"]).present();
        if full {
            self.default(res, dflt::AZ_DISK_SSE, "disk_encryption");
        }
        let at_host = self.f(&["securityProfile", "encryptionAtHost"]);
        match at_host.prop_bool() {
            Some(p) => Self::put(res, "encryption_at_host", Some(p)),
            None if at_host.is_absent() && full => res.set("encryption_at_host", false, self.pp.clone()),
            None => {}
        }
        let os = self.f(&["storageProfile", "osDisk"]);
        let des = self.first(&[&["storageProfile", "osDisk", "managedDisk", "diskEncryptionSet", "id"], &["storageProfile", "osDisk", "managedDisk", "securityProfile", "diskEncryptionSet", "id"]]);
        let ade = self.f(&["storageProfile", "osDisk", "encryptionSettings", "enabled"]);
        match (&des.val, &ade.val) {
            (Val::Known(_), _) if des.present() => res.set("encryption_key", "customer", des.ptr.clone()),
            (_, Val::Known(_)) if ade.bool() == Some(true) => res.set("encryption_key", "customer", ade.ptr.clone()),
            (Val::Unknown(r), _) | (_, Val::Unknown(r)) => res.set_unknown("encryption_key", r, des.ptr.clone()),
            // An OS disk attached by id is a `Microsoft.Compute/disks` resource, assessed there.
            _ if self.f(&["storageProfile", "osDisk", "createOption"]).str().is_some_and(|c| c.eq_ignore_ascii_case("attach")) => {}
            _ if full => res.set("encryption_key", "provider", if os.is_absent() { self.pp.clone() } else { os.ptr.clone() }),
            _ => {}
        }
        let sb = self.f(&["securityProfile", "uefiSettings", "secureBootEnabled"]);
        match sb.prop_bool() {
            Some(p) => Self::put(res, "secure_boot", Some(p)),
            // Documented default of secureBootEnabled: false.
            None if self.full && sb.is_absent() => res.set("secure_boot", false, self.pp.clone()),
            None => {}
        }
        let os = self.f(&["osProfile"]);
        if os.present() {
            let lin = self.f(&["osProfile", "linuxConfiguration", "disablePasswordAuthentication"]);
            match lin.prop_bool() {
                Some(p) => Self::put(res, "password_auth_disabled", Some(p)),
                // Windows, or Linux without the setting: passwords are allowed (documented default false).
                None => res.set("password_auth_disabled", false, os.ptr),
            }
        }
    }

    pub(super) fn sql_server(&self, res: &mut Resource) {
        res.kind = Text::interned("sql_server");
        let tls = self.f(&["minimalTlsVersion"]);
        Self::put(res, "min_tls_version", tls.prop(|v| v.as_str().filter(|s| !s.eq_ignore_ascii_case("none")).map(|s| Value::String(tls_version_text(s)))));
        let pna = self.f(&["publicNetworkAccess"]);
        Self::put(res, "publicly_accessible", pna.prop_bool());
    }

    pub(super) fn sql_firewall_rule(&self, res: &mut Resource) {
        res.kind = Text::interned("db_firewall_rule");
        for (k, p) in [("startIpAddress", "start_ip"), ("endIpAddress", "end_ip")] {
            Self::put(res, p, self.f(&[k]).prop(|v| v.as_str().map(|s| Value::String(s.trim().to_string()))));
        }
    }

    pub(super) fn key_vault(&self, res: &mut Resource) {
        res.kind = Text::interned("key_vault");
        let pp = self.f(&["enablePurgeProtection"]);
        match pp.prop_bool() {
            Some(p) => Self::put(res, "purge_protection", Some(p)),
            // Documented default: purge protection off.
            None if self.full && pp.is_absent() => res.set("purge_protection", false, self.pp.clone()),
            None => {}
        }
        // Soft delete cannot be turned off any more: an absent setting is on.
        let sd = self.f(&["enableSoftDelete"]);
        match sd.prop_bool() {
            Some(p) => Self::put(res, "soft_delete", Some(p)),
            None if sd.is_absent() && self.full => self.default(res, dflt::AZ_KV_SOFT_DELETE, "soft_delete"),
            None => {}
        }
        let acl = self.f(&["networkAcls", "defaultAction"]);
        match acl.prop(|v| v.as_str().map(|s| Value::Bool(s.eq_ignore_ascii_case("deny")))) {
            Some(p) => Self::put(res, "network_default_deny", Some(p)),
            None if self.full && acl.is_absent() => {
                let container = self.f(&["networkAcls"]);
                match container.val {
                    Val::Unknown(r) => res.set_unknown("network_default_deny", r, container.ptr),
                    // Documented default action: Allow.
                    _ => res.set("network_default_deny", false, self.pp.clone()),
                }
            }
            None => {}
        }
    }

    pub(super) fn aks(&self, res: &mut Resource) {
        res.kind = Text::interned("k8s_cluster");
        let ranges = self.f(&["apiServerAccessProfile", "authorizedIPRanges"]);
        match &ranges.val {
            Val::Known(v) => {
                let list: Vec<Value> = v.as_array().map(|a| a.iter().filter_map(Value::as_str).map(|s| Value::String(normalise_source(s))).collect()).unwrap_or_default();
                if list.is_empty() {
                    res.set("master_authorized_networks", false, ranges.ptr.clone());
                } else {
                    res.set("master_authorized_networks", Value::Array(list), ranges.ptr.clone());
                }
            }
            Val::Unknown(r) => res.set_unknown("master_authorized_networks", r.clone(), ranges.ptr.clone()),
            Val::Absent if self.res.template => self.default(res, dflt::AKS_ENDPOINT, "master_authorized_networks"),
            // A runtime record without ranges: none are set.
            Val::Absent if self.full => res.set("master_authorized_networks", false, self.pp.clone()),
            Val::Absent => {}
        }
        let private = self.f(&["apiServerAccessProfile", "enablePrivateCluster"]);
        match private.prop(|v| loose_bool(v).map(|b| Value::Bool(!b))) {
            Some(p) => Self::put(res, "public_endpoint", Some(p)),
            None if self.res.template => self.default(res, dflt::AKS_ENDPOINT, "public_endpoint"),
            // A runtime record that is not a private cluster: the endpoint is public.
            None if self.full => res.set("public_endpoint", true, self.pp.clone()),
            None => {}
        }
        let np = self.f(&["networkProfile", "networkPolicy"]);
        match np.prop(|v| Some(Value::Bool(v.as_str().is_some_and(|s| !s.trim().is_empty() && !s.eq_ignore_ascii_case("none"))))) {
            Some(p) => Self::put(res, "network_policy", Some(p)),
            None if self.full => res.set("network_policy", false, self.pp.clone()),
            None => {}
        }
        Self::put(res, "rbac_enabled", self.f(&["enableRBAC"]).prop_bool());
        let oms = self.first(&[&["addonProfiles", "omsagent", "enabled"], &["addonProfiles", "omsAgent", "enabled"]]);
        Self::put(res, "logging_enabled", oms.prop_bool());
    }
}
