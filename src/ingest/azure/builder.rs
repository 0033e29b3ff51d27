//! The resources of one input as they are mapped, and the joins between them: NSG rules into
//! their NSG, blob services into their account, interfaces into their VMs, children onto their
//! parent, private endpoints onto what they connect to.

use super::*;

// ---------------------------------------------------------------------------
// Mapping.

/// NSG join key of a rule's parent or of an NSG.
pub(super) fn nsg_key(id: &str) -> String {
    id.to_ascii_lowercase()
}

pub(super) struct Builder<'r, 'a> {
    pub(super) file: String,
    pub(super) res: &'r Resolver<'a>,
    pub(super) out: Vec<Resource>,
    /// For each output resource: `Some((parent NSG key, rule name))` when it is an NSG rule.
    pub(super) rules: Vec<Option<(String, String)>>,
    /// For each output resource: what joins it to another one, if anything.
    pub(super) links: Vec<Link>,
    pub(super) diags: Vec<Diagnostic>,
}

/// A resource that only makes sense together with another one.
pub(super) enum Link {
    None,
    /// `blobServices/default` of the storage account with this key (soft delete lives there).
    BlobService { account: String },
    /// A network interface (lower-case id) and whether an IP configuration has a public address.
    Nic { key: String, public: Option<(bool, String)> },
    /// A virtual machine and the (lower-case) ids of its network interfaces.
    Vm { nics: Vec<String>, pointer: String },
    /// A private endpoint and the (lower-case) ids of the resources it connects to.
    PrivateEndpoint { targets: Vec<String>, pointer: String },
    /// A child whose properties belong to its parent (lower-case id): SQL
    /// server administrators, auditing and TDE protector, an app's
    /// `config/web`, a resource's diagnostic setting.
    Onto { parent: String, props: &'static [&'static str] },
}

impl<'r, 'a> Builder<'r, 'a> {
    pub(super) fn new(file: &str, res: &'r Resolver<'a>) -> Self {
        Builder { file: file.to_string(), res, out: Vec::new(), rules: Vec::new(), links: Vec::new(), diags: Vec::new() }
    }

    pub(super) fn src(&self, pointer: &str) -> SourceRef {
        SourceRef { file: self.file.clone().into(), pointer: pointer.to_string().into(), line: None }
    }

    pub(super) fn warn(&mut self, pointer: &str, message: String) {
        let source = Some(self.src(pointer));
        self.diags.push(Diagnostic { level: DiagnosticLevel::Warning, message, source });
    }

    /// Map one resource record and append it.
    pub(super) fn add(&mut self, r: &'a Value, pointer: &str, rtype: &str, id: String, name: &str, api: Option<&str>) {
        let (sub, _) = arm_id_parts(&id);
        let account = sub.or_else(|| r.get("subscriptionId").and_then(Value::as_str).map(str::to_string));
        let region = match r.get("location").map(|l| self.res.resolve(l)) {
            Some(Val::Known(l)) => l.as_str().filter(|s| !s.is_empty()).map(str::to_string),
            _ => None,
        };
        let display = if name.is_empty() {
            id.rsplit('/').next().unwrap_or(&id).to_string()
        } else if name.starts_with('[') {
            name.to_string()
        } else {
            name.rsplit('/').next().unwrap_or(name).to_string()
        };
        let mut res = Resource {
            provider: Provider::Azure,
            kind: Text::interned("other"),
            native_type: Text::interned(rtype),
            id: id.clone().into(),
            name: display.into(),
            region: region.map(|s| Text::interned(&s)),
            account: account.map(|s| Text::interned(&s)),
            source: self.src(pointer),
            props: Default::default(),
        };
        // `properties` as ARM returns it; `az` CLI output has them at top level.
        let (props, pp): (&'a Value, String) = match r.get("properties") {
            Some(p) if p.is_object() => (p, format!("{pointer}/properties")),
            _ => (r, pointer.to_string()),
        };
        let full = self.res.template || r.get("properties").is_some_and(Value::is_object) || r.get("provisioningState").is_some();
        let m = Mapper { res: self.res, props, pp, full, api };
        let mut rule = None;
        let mut link = Link::None;
        match rtype.to_ascii_lowercase().as_str() {
            "microsoft.storage/storageaccounts" => {
                m.storage_account(&mut res);
                m.storage_more(&mut res);
                m.private_endpoint(&mut res);
            }
            "microsoft.network/virtualnetworks" => res.kind = Text::interned("network"),
            "microsoft.network/networkwatchers/flowlogs" => m.flow_log(&mut res),
            "microsoft.network/privateendpoints" => link = Link::PrivateEndpoint { targets: m.private_endpoint_targets(), pointer: pointer.to_string() },
            "microsoft.storage/storageaccounts/blobservices" => {
                m.blob_service(&mut res);
                let account = if self.res.template {
                    name.split('/').next().map(nsg_key)
                } else {
                    lower_find(&id, "/blobservices/").and_then(|i| id.get(..i)).map(nsg_key)
                };
                if let Some(account) = account {
                    link = Link::BlobService { account };
                }
            }
            "microsoft.keyvault/vaults/keys" => m.vault_key(&mut res),
            "microsoft.keyvault/vaults/secrets" => m.vault_secret(&mut res),
            "microsoft.containerregistry/registries" => m.registry(&mut res),
            "microsoft.sql/servers/administrators" => {
                m.sql_admin(&mut res, &[]);
                link = self.onto(&id, rtype, &["entra_admin", "entra_only_auth"]);
            }
            "microsoft.sql/servers/auditingsettings" => {
                m.sql_auditing(&mut res);
                link = self.onto(&id, rtype, &["auditing_enabled"]);
            }
            "microsoft.sql/servers/encryptionprotector" => {
                m.sql_protector(&mut res);
                link = self.onto(&id, rtype, &["encryption_key"]);
            }
            "microsoft.dbforpostgresql/flexibleservers" | "microsoft.dbformysql/flexibleservers" => m.flexible_server(&mut res),
            "microsoft.dbforpostgresql/flexibleservers/configurations" | "microsoft.dbformysql/flexibleservers/configurations"
                if id.rsplit('/').next().is_some_and(|n| n.eq_ignore_ascii_case("require_secure_transport")) =>
            {
                m.flexible_tls_parameter(&mut res);
                link = self.onto(&id, rtype, &["require_tls"]);
            }
            "microsoft.web/sites" => m.web_app(&mut res, r, pointer),
            // `config/web`: the REST record's name is the site's, its id ends in `/config/web`.
            "microsoft.web/sites/config" if id.rsplit('/').next().is_some_and(|n| n.eq_ignore_ascii_case("web")) => {
                m.site_config(&mut res, &[]);
                link = self.onto(&id, rtype, &["min_tls_version", "ftp_state", "remote_debugging"]);
            }
            "microsoft.documentdb/databaseaccounts" => m.cosmos(&mut res),
            "microsoft.authorization/roledefinitions" => m.role_definition(&mut res),
            "microsoft.operationalinsights/workspaces" => m.log_workspace(&mut res),
            "microsoft.security/pricings" => m.pricing(&mut res, name),
            "microsoft.insights/diagnosticsettings" | "microsoft.keyvault/vaults/providers/diagnosticsettings" | "microsoft.network/networksecuritygroups/providers/diagnosticsettings" => {
                if let Some(cats) = m.diagnostic_setting(&mut res) {
                    match self.diagnostic_target(r, &id, rtype, name) {
                        Some(parent) => {
                            res.props.remove("activity_log_export");
                            res.props.insert("diagnostic_logs", services::diagnostic_logs(&cats));
                            link = Link::Onto { parent, props: &["diagnostic_logs"] };
                        }
                        None => res.set("subscription_scope", true, pointer),
                    }
                }
            }
            "microsoft.network/networkinterfaces" if !self.res.template => {
                link = Link::Nic { key: nsg_key(&id), public: m.nic_public_ip() };
            }
            "microsoft.storage/storageaccounts/blobservices/containers" => m.blob_container(&mut res),
            "microsoft.network/networksecuritygroups" => m.nsg(&mut res),
            "microsoft.network/networksecuritygroups/securityrules" => {
                res.kind = Text::interned("firewall");
                let rname = name.rsplit('/').next().unwrap_or(name).to_string();
                let entries = m.nsg_rule(r, pointer, &rname);
                res.set("ingress", Value::Array(entries), pointer.to_string());
                let parent = if self.res.template {
                    name.rsplit_once('/').map(|(p, _)| nsg_key(p))
                } else {
                    lower_find(&id, "/securityrules/").and_then(|i| id.get(..i)).map(nsg_key)
                };
                rule = parent.map(|p| (p, rname));
            }
            "microsoft.compute/disks" => m.disk(&mut res),
            "microsoft.compute/virtualmachines" => {
                m.vm(&mut res);
                if !self.res.template {
                    let f = m.f(&["networkProfile", "networkInterfaces"]);
                    let nics = f.value().and_then(Value::as_array).map(|a| a.iter().filter_map(|n| n.get("id").and_then(Value::as_str)).map(nsg_key).collect()).unwrap_or_default();
                    link = Link::Vm { nics, pointer: f.ptr };
                }
            }
            "microsoft.sql/servers" => {
                m.sql_server(&mut res);
                m.sql_more(&mut res);
                m.private_endpoint(&mut res);
            }
            "microsoft.sql/servers/firewallrules"
            | "microsoft.dbforpostgresql/servers/firewallrules"
            | "microsoft.dbforpostgresql/flexibleservers/firewallrules"
            | "microsoft.dbformysql/servers/firewallrules"
            | "microsoft.dbformysql/flexibleservers/firewallrules"
            | "microsoft.dbformariadb/servers/firewallrules" => m.sql_firewall_rule(&mut res),
            "microsoft.keyvault/vaults" => {
                m.key_vault(&mut res);
                m.key_vault_more(&mut res);
                m.private_endpoint(&mut res);
            }
            "microsoft.containerservice/managedclusters" => {
                m.aks(&mut res);
                m.aks_more(&mut res);
            }
            _ => {}
        }
        self.out.push(res);
        self.rules.push(rule);
        self.links.push(link);
    }

    /// Join NSG rule resources into their NSG, blob services into their
    /// storage account, network interfaces into their VMs; return the inventory.
    pub(super) fn finish(mut self) -> (Inventory, Vec<Diagnostic>) {
        self.join_links();
        let provider_subscription = if self.res.template { "the deployment's subscription" } else { "subscription" };
        services::fold_subscriptions(&mut self.out, &|r| r.props.contains_key("subscription_scope"), provider_subscription);
        for r in self.out.iter_mut().filter(|r| r.native_type.to_ascii_lowercase().ends_with("diagnosticsettings")) {
            r.props.remove("subscription_scope");
        }
        let mut nsgs: HashMap<String, usize> = HashMap::new();
        for (i, r) in self.out.iter().enumerate() {
            if r.native_type.eq_ignore_ascii_case("Microsoft.Network/networkSecurityGroups") {
                let key = if self.res.template { r.id.rsplit_once('/').map(|(_, n)| n).unwrap_or(&r.id) } else { r.id.as_str() };
                nsgs.entry(nsg_key(key)).or_insert(i);
            }
        }
        let joins: Vec<(usize, usize, String)> = self
            .rules
            .iter()
            .enumerate()
            .filter_map(|(ci, rule)| rule.as_ref().and_then(|(p, n)| nsgs.get(p).map(|pi| (ci, *pi, n.clone()))))
            .collect();
        for (ci, pi, rname) in joins {
            let entries = match self.out.get(ci).and_then(|c| c.prop("ingress")) {
                Some(Prop::Known { value, .. }) => match &**value {
                    Value::Array(a) => a.clone(),
                    _ => continue,
                },
                _ => continue,
            };
            let Some(parent) = self.out.get_mut(pi) else { continue };
            let parent_pointer = parent.source.pointer.clone();
            match parent.props.get_mut("ingress") {
                Some(Prop::Known { value, .. }) if value.is_array() => {
                    if let Value::Array(list) = Arc::make_mut(value) {
                        // An inline rule of the same name is the same rule.
                        let dup = list.iter().any(|e| e.get("rule").and_then(Value::as_str).is_some_and(|r| r.eq_ignore_ascii_case(&rname)));
                        if !dup {
                            list.extend(entries);
                        }
                    }
                }
                Some(Prop::Unknown { .. }) => {}
                _ => {
                    parent.set("ingress", Value::Array(entries), parent_pointer.text());
                }
            }
            if let Some(child) = self.out.get_mut(ci) {
                child.kind = Text::interned("other");
            }
        }
        (Inventory { resources: self.out }, self.diags)
    }
}

impl Builder<'_, '_> {
    /// The link of a child resource (`…/servers/x/auditingSettings/default`)
    /// to its parent, by the parent's id (runtime) or type and name (template).
    pub(super) fn onto(&self, id: &str, rtype: &str, props: &'static [&'static str]) -> Link {
        let parent = if self.res.template {
            // `Type/child` + `parent/child` → `Type/parent`, as a template's ids are written.
            let (Some((pt, _)), Some(name)) = (rtype.rsplit_once('/'), id.get(rtype.len() + 1..)) else { return Link::None };
            let Some((pn, _)) = name.rsplit_once('/') else { return Link::None };
            format!("{pt}/{pn}")
        } else {
            let Some((head, _)) = id.rsplit_once('/') else { return Link::None };
            let Some((head, _)) = head.rsplit_once('/') else { return Link::None };
            head.to_string()
        };
        Link::Onto { parent: nsg_key(&parent), props }
    }

    /// The resource a diagnostic setting is about (lower-case id), or `None`
    /// for a subscription-level setting (the activity log export).
    pub(super) fn diagnostic_target(&self, r: &Value, id: &str, rtype: &str, name: &str) -> Option<String> {
        if self.res.template {
            if let Some((parent_type, _)) = rtype.rsplit_once("/providers/") {
                // `Microsoft.KeyVault/vaults/providers/diagnosticSettings`, name `kv/Microsoft.Insights/x`.
                let parent = name.split('/').next()?;
                return Some(nsg_key(&format!("{parent_type}/{parent}")));
            }
            // An extension resource with a literal `scope` (`Microsoft.KeyVault/vaults/kv`).
            let scope = r.get("scope").and_then(Value::as_str)?;
            if scope.starts_with('[') {
                return Some(String::from("?"));
            }
            return Some(nsg_key(scope));
        }
        let lower = id.to_ascii_lowercase();
        let at = lower.find("/providers/microsoft.insights/diagnosticsettings/")?;
        let target = lower.get(..at)?;
        let subscription_only = target.strip_prefix("/subscriptions/").is_some_and(|s| !s.contains('/'));
        (!subscription_only).then(|| target.to_string())
    }

    pub(super) fn join_links(&mut self) {
        // Storage accounts by id (resource exports) or name (templates), lower-case.
        let mut accounts: HashMap<String, usize> = HashMap::new();
        for (i, r) in self.out.iter().enumerate() {
            if r.native_type.eq_ignore_ascii_case("Microsoft.Storage/storageAccounts") {
                let key = if self.res.template { r.id.rsplit_once('/').map(|(_, n)| n).unwrap_or(&r.id) } else { r.id.as_str() };
                accounts.entry(nsg_key(key)).or_insert(i);
            }
        }
        let nics: HashMap<&str, &Option<(bool, String)>> = self
            .links
            .iter()
            .filter_map(|l| match l {
                Link::Nic { key, public } => Some((key.as_str(), public)),
                _ => None,
            })
            .collect();
        let ids: HashMap<String, usize> = self.out.iter().enumerate().map(|(i, r)| (nsg_key(&r.id), i)).collect();
        let mut sets: Vec<(usize, &'static str, Prop)> = Vec::new();
        for (i, l) in self.links.iter().enumerate() {
            match l {
                Link::BlobService { account } => {
                    let Some(&pi) = accounts.get(account) else { continue };
                    for name in ["blob_soft_delete_days", "container_soft_delete_days", "versioning"] {
                        if let Some(days) = self.out.get(i).and_then(|c| c.prop(name)) {
                            sets.push((pi, name, days.clone()));
                        }
                    }
                }
                Link::Onto { parent, props } => {
                    let Some(&pi) = ids.get(parent.as_str()) else { continue };
                    for name in props.iter() {
                        if let Some(p) = self.out.get(i).and_then(|c| c.prop(name)) {
                            let p = match (*name, self.out.get(pi).and_then(|r| r.prop(name))) {
                                // Any diagnostic setting that sends logs is enough.
                                ("diagnostic_logs", Some(old)) if !old.is_true() || p.is_true() => {
                                    if old.is_true() { continue } else { p.clone() }
                                }
                                _ => p.clone(),
                            };
                            sets.push((pi, name, p));
                        }
                    }
                }
                Link::PrivateEndpoint { targets, pointer } => {
                    for t in targets {
                        if let Some(&pi) = ids.get(t.as_str()) {
                            sets.push((pi, "private_endpoint", Prop::known(true, pointer.clone())));
                        }
                    }
                }
                Link::Vm { nics: ids, pointer } if !ids.is_empty() => {
                    // Public when any interface has a public address; private
                    // only when every interface is in the file and has none.
                    let found: Vec<&Option<(bool, String)>> = ids.iter().filter_map(|id| nics.get(id.as_str()).copied()).collect();
                    let public = found.iter().find_map(|p| p.as_ref().filter(|(on, _)| *on));
                    let prop = match public {
                        Some((_, at)) => Prop::known(true, at.clone()),
                        None if found.len() == ids.len() && found.iter().all(|p| p.is_some()) => Prop::known(false, pointer.clone()),
                        None => continue,
                    };
                    sets.push((i, "public_ip", prop));
                }
                _ => {}
            }
        }
        for (i, name, prop) in sets {
            if let Some(r) = self.out.get_mut(i) {
                r.props.insert(name, prop);
            }
        }
        // A template's account without a `blobServices/default` gets Azure's
        // default for a new account (soft delete off). A runtime export that
        // lacks the blob service record does not say: left unknown.
        if self.res.template {
            for &i in accounts.values() {
                if let Some(r) = self.out.get_mut(i) {
                    if !r.props.contains_key("blob_soft_delete_days") {
                        if let Some(p) = dflt::prop(dflt::AZURE_SOFT_DELETE, "blob_soft_delete_days", r.source.pointer.clone()) {
                            r.props.insert("blob_soft_delete_days", p);
                        }
                    }
                    if !r.props.contains_key("versioning") {
                        if let Some(p) = dflt::prop(dflt::AZ_BLOB_VERSIONING, "versioning", r.source.pointer.clone()) {
                            r.props.insert("versioning", p);
                        }
                    }
                    if !r.props.contains_key("container_soft_delete_days") {
                        if let Some(p) = dflt::prop(dflt::AZ_CONTAINER_SOFT_DELETE, "container_soft_delete_days", r.source.pointer.clone()) {
                            r.props.insert("container_soft_delete_days", p);
                        }
                    }
                }
            }
        }
    }
}

/// Byte index of `needle` (ASCII, lower-case) in `hay`, case-insensitively.
pub(super) fn lower_find(hay: &str, needle: &str) -> Option<usize> {
    hay.to_ascii_lowercase().find(needle)
}

/// Is `api` (a `YYYY-MM-DD[-preview]` apiVersion) on or after `date`?
pub(super) fn api_at_least(api: &str, date: &str) -> Option<bool> {
    let d = api.get(..10)?;
    let ok = d.len() == 10 && d.bytes().enumerate().all(|(i, c)| if i == 4 || i == 7 { c == b'-' } else { c.is_ascii_digit() });
    ok.then(|| d >= date)
}
