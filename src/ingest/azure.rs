//! Azure: ARM templates ([`parse_template`]) and runtime resource exports
//! ([`parse_resources`]: ARM REST list bodies `{value:[…]}`, `az … list`
//! arrays, a single resource, Resource Graph results in object-array or
//! table form, and recorded VCR cassettes of those API calls).
//!
//! Owns the mapping of Azure native types onto the canonical kinds of
//! `docs/inventory.md`: storage accounts, blob containers, NSGs (with child
//! `securityRules` joined), managed disks, VMs, SQL servers and their
//! firewall rules, key vaults and AKS clusters; everything else is `other`.
//!
//! Invariant: an ARM `[...]` expression is resolved only when it is exactly
//! `[parameters('x')]` (with a `defaultValue`) or `[variables('y')]`; any
//! other expression becomes `Prop::Unknown`, never a guessed value.
//! Invariant: apiVersion-dependent defaults are applied only to templates
//! (where the apiVersion is the deployer's choice); runtime records are read
//! as the API returned them, and summary records without `properties`
//! (`GET …/resources`, `az resource list`) get no defaulted properties.
//! Invariant: a runtime resource listed twice (a cassette records the same
//! list before and after a change) appears once, in its last recorded state.

pub(super) mod network;
pub(super) mod services;

use super::defaults as dflt;
use super::util::{arm_id_parts, ingress_entry, loose_bool, loose_f64, normalise_protocol, normalise_source, port_range, ptr, tls_version_text};
use super::{Document, IngestError, ParseOutput};
use crate::inventory::{Diagnostic, DiagnosticLevel, Inventory, Prop, Provider, Resource, SourceRef, Text};
use std::sync::Arc;
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::collections::HashMap;

/// How many `parameters()`/`variables()` indirections are followed.
const MAX_EXPR_DEPTH: usize = 8;
/// Deepest nesting of template `resources[]` we walk.
const MAX_NESTING: usize = 32;

// ---------------------------------------------------------------------------
// Values, with ARM expression resolution.

/// A value read from the document.
enum Val<'a> {
    Absent,
    Known(Cow<'a, Value>),
    Unknown(String),
}

/// Resolves template expressions; a no-op for runtime records.
struct Resolver<'a> {
    params: Option<&'a Map<String, Value>>,
    vars: Option<&'a Map<String, Value>>,
    template: bool,
}

/// `func('name')` → `name` (function name case-insensitive).
fn call_arg<'s>(expr: &'s str, func: &str) -> Option<&'s str> {
    let head = expr.get(..func.len())?;
    if !head.eq_ignore_ascii_case(func) {
        return None;
    }
    let rest = expr.get(func.len()..)?.trim_start().strip_prefix('(')?.strip_suffix(')')?.trim();
    let name = rest.strip_prefix('\'')?.strip_suffix('\'')?;
    if name.contains('\'') {
        None
    } else {
        Some(name)
    }
}

/// Case-insensitive key lookup (exact match first).
fn get_ci<'a>(m: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    m.get(key).or_else(|| m.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)).map(|(_, v)| v))
}

impl<'a> Resolver<'a> {
    fn runtime() -> Self {
        Resolver { params: None, vars: None, template: false }
    }

    fn resolve(&self, v: &'a Value) -> Val<'a> {
        self.resolve_at(v, 0)
    }

    fn resolve_at(&self, v: &'a Value, depth: usize) -> Val<'a> {
        let Value::String(s) = v else { return Val::Known(Cow::Borrowed(v)) };
        if !self.template {
            return Val::Known(Cow::Borrowed(v));
        }
        if let Some(rest) = s.strip_prefix("[[") {
            // Escaped literal bracket.
            return Val::Known(Cow::Owned(Value::String(format!("[{rest}"))));
        }
        let Some(inner) = s.strip_prefix('[').and_then(|x| x.strip_suffix(']')) else {
            return Val::Known(Cow::Borrowed(v));
        };
        if depth >= MAX_EXPR_DEPTH {
            return Val::Unknown(format!("unresolved ARM expression {s} (too many indirections)"));
        }
        let inner = inner.trim();
        if let Some(name) = call_arg(inner, "parameters") {
            return match self.params.and_then(|p| get_ci(p, name)) {
                Some(decl) => match decl.get("defaultValue") {
                    Some(d) if !d.is_null() => self.resolve_at(d, depth + 1),
                    _ => Val::Unknown(format!("unresolved ARM expression {s}: parameter '{name}' has no defaultValue")),
                },
                None => Val::Unknown(format!("unresolved ARM expression {s}: parameter '{name}' is not declared")),
            };
        }
        if let Some(name) = call_arg(inner, "variables") {
            return match self.vars.and_then(|p| get_ci(p, name)) {
                Some(val) => self.resolve_at(val, depth + 1),
                None => Val::Unknown(format!("unresolved ARM expression {s}: variable '{name}' is not declared")),
            };
        }
        Val::Unknown(format!("unresolved ARM expression {s}"))
    }

    /// Walk `path` from `base`, resolving every step.
    fn field(&self, base: &'a Value, base_ptr: &str, path: &[&str]) -> Field<'a> {
        let mut cur: &'a Value = base;
        let mut p = base_ptr.to_string();
        for key in path {
            let next = match cur {
                Value::Object(m) => get_ci(m, key),
                _ => None,
            };
            p = ptr(&p, key);
            let Some(next) = next else { return Field { val: Val::Absent, ptr: p } };
            match self.resolve(next) {
                Val::Known(Cow::Borrowed(v)) => cur = v,
                Val::Known(Cow::Owned(v)) => {
                    // Only literal strings are produced owned; they have no fields.
                    return Field { val: Val::Known(Cow::Owned(v)), ptr: p };
                }
                other => return Field { val: other, ptr: p },
            }
        }
        Field { val: if cur.is_null() { Val::Absent } else { Val::Known(Cow::Borrowed(cur)) }, ptr: p }
    }
}

/// A resolved value and the pointer to its native attribute.
struct Field<'a> {
    val: Val<'a>,
    ptr: String,
}

impl<'a> Field<'a> {
    fn value(&self) -> Option<&Value> {
        match &self.val {
            Val::Known(v) => Some(v.as_ref()),
            _ => None,
        }
    }
    fn str(&self) -> Option<&str> {
        self.value().and_then(Value::as_str)
    }
    fn bool(&self) -> Option<bool> {
        self.value().and_then(loose_bool)
    }
    fn is_absent(&self) -> bool {
        matches!(self.val, Val::Absent)
    }
    fn present(&self) -> bool {
        match &self.val {
            Val::Absent => false,
            Val::Unknown(_) => true,
            Val::Known(v) => match v.as_ref() {
                Value::String(s) => !s.trim().is_empty(),
                Value::Object(o) => !o.is_empty(),
                Value::Array(a) => !a.is_empty(),
                Value::Null => false,
                _ => true,
            },
        }
    }
    /// Convert a known value; an unknown one becomes `Prop::Unknown`; an
    /// absent one or one `f` rejects is `None`.
    fn prop(&self, f: impl FnOnce(&Value) -> Option<Value>) -> Option<Prop> {
        match &self.val {
            Val::Absent => None,
            Val::Unknown(r) => Some(Prop::unknown(r.clone(), self.ptr.clone())),
            Val::Known(v) => f(v.as_ref()).map(|x| Prop::known(x, self.ptr.clone())),
        }
    }
    fn prop_bool(&self) -> Option<Prop> {
        self.prop(|v| loose_bool(v).map(Value::Bool))
    }
}

// ---------------------------------------------------------------------------
// Entry points.

/// The canonical kinds (besides `other`) an ARM template or an ARM REST / Resource Graph listing can give.
/// Checked against what the parser emits on `tests/fixtures/ingest` by `tests/ingest_kinds.rs`.
pub(super) const KINDS: &[(Provider, &str)] = &[
    (Provider::Azure, "storage_account"),
    (Provider::Azure, "blob_container"),
    (Provider::Azure, "firewall"),
    (Provider::Azure, "db_firewall_rule"),
    (Provider::Azure, "database"),
    (Provider::Azure, "block_volume"),
    (Provider::Azure, "virtual_machine"),
    (Provider::Azure, "key_vault"),
    (Provider::Azure, "k8s_cluster"),
    (Provider::Azure, "kms_key"),
    (Provider::Azure, "web_app"),
    (Provider::Azure, "cosmos_account"),
    (Provider::Azure, "role_definition"),
    (Provider::Azure, "log_workspace"),
    (Provider::Azure, "subscription"),
    (Provider::Azure, "sql_server"),
    (Provider::Azure, "vault_secret"),
    (Provider::Azure, "container_registry"),
    (Provider::Azure, "network"),
    (Provider::Azure, "flow_log"),
];

/// Read an ARM template (`$schema` deploymentTemplate, `resources[]`).
/// Nested child resources are flattened with their full type and name.
pub(super) fn parse_template(file: &str, doc: &Document) -> ParseOutput {
    let Document::Json(root) = doc else {
        return Err(IngestError::Unrecognised("an ARM template is a JSON document".into()));
    };
    let Some(resources) = root.get("resources").and_then(Value::as_array) else {
        return Err(IngestError::Unrecognised("an ARM template needs a resources array".into()));
    };
    let resolver = Resolver {
        params: root.get("parameters").and_then(Value::as_object),
        vars: root.get("variables").and_then(Value::as_object),
        template: true,
    };
    let mut b = Builder::new(file, &resolver);
    let mut stack: Vec<(&Value, String, Option<(String, String)>, usize)> =
        resources.iter().enumerate().rev().map(|(i, r)| (r, format!("/resources/{i}"), None, 0)).collect();
    while let Some((r, pointer, parent, depth)) = stack.pop() {
        let Some(obj) = r.as_object() else {
            b.warn(&pointer, "a template resource is not an object; skipped".into());
            continue;
        };
        let rtype = match obj.get("type").map(|t| resolver.resolve(t)) {
            Some(Val::Known(t)) => match t.as_str() {
                Some(s) if !s.trim().is_empty() => s.trim().to_string(),
                _ => {
                    b.warn(&pointer, "a template resource has no type; skipped".into());
                    continue;
                }
            },
            _ => {
                b.warn(&pointer, "a template resource has no literal type; skipped".into());
                continue;
            }
        };
        // A name that does not resolve to a string keeps its expression text.
        let raw_name = obj.get("name").and_then(Value::as_str).unwrap_or_default();
        let name = match obj.get("name").map(|n| resolver.resolve(n)) {
            Some(Val::Known(n)) => n.as_str().unwrap_or(raw_name).to_string(),
            _ => raw_name.to_string(),
        };
        // Child types inside a parent are relative ("blobServices/containers").
        let (full_type, full_name) = match &parent {
            Some((pt, pn)) if !rtype.split('/').next().unwrap_or("").contains('.') => (format!("{pt}/{rtype}"), format!("{pn}/{name}")),
            _ => (rtype, name),
        };
        let api = match obj.get("apiVersion").map(|a| resolver.resolve(a)) {
            Some(Val::Known(a)) => a.as_str().map(str::to_string),
            _ => None,
        };
        if obj.contains_key("copy") {
            b.diags.push(Diagnostic {
                level: DiagnosticLevel::Info,
                message: format!("{full_type}/{full_name} is deployed in a copy loop; it is assessed once for all its instances"),
                source: Some(b.src(&pointer)),
            });
        }
        let id = format!("{full_type}/{full_name}");
        b.add(r, &pointer, &full_type, id, &full_name, api.as_deref());
        if let Some(children) = obj.get("resources").and_then(Value::as_array) {
            if depth + 1 >= MAX_NESTING {
                b.warn(&pointer, "nested resources deeper than 32 levels were skipped".into());
                continue;
            }
            for (i, c) in children.iter().enumerate().rev() {
                stack.push((c, format!("{pointer}/resources/{i}"), Some((full_type.clone(), full_name.clone())), depth + 1));
            }
        }
    }
    Ok(b.finish())
}

/// Read runtime Azure resources: ARM REST list bodies, `az … list` output,
/// one resource, Resource Graph results, or a VCR cassette of those calls.
pub(super) fn parse_resources(file: &str, doc: &Document) -> ParseOutput {
    let Document::Json(root) = doc else {
        return Err(IngestError::Unrecognised("Azure resource exports are JSON".into()));
    };
    let mut diags = Vec::new();
    // Stage 1: response bodies (cassette string bodies parsed into `bodies`).
    let mut bodies: Vec<(Value, String)> = Vec::new();
    let mut roots: Vec<(usize, Option<&Value>, String)> = Vec::new(); // (seq, borrowed root or None = bodies[k])
    let mut owned_roots: Vec<(usize, usize)> = Vec::new(); // (seq, index into bodies)
    let mut seq = 0usize;
    match root.get("interactions").and_then(Value::as_array) {
        Some(interactions) => {
            for (i, it) in interactions.iter().enumerate() {
                let resp = it.get("response");
                let status = resp.and_then(|r| r.get("status")).and_then(|s| s.get("code").or(Some(s))).and_then(Value::as_u64);
                if status.is_some_and(|c| !(200..300).contains(&c)) {
                    continue;
                }
                let Some(body) = resp.and_then(|r| r.get("body")) else { continue };
                let base = format!("/interactions/{i}/response/body");
                if let Some(data) = body.get("data").filter(|d| !d.is_null()) {
                    roots.push((seq, Some(data), format!("{base}/data")));
                } else if let Some(s) = body.get("string").and_then(Value::as_str) {
                    if s.trim().is_empty() {
                        continue;
                    }
                    match serde_json::from_str::<Value>(s) {
                        Ok(v) => {
                            owned_roots.push((seq, bodies.len()));
                            bodies.push((v, format!("{base}/string")));
                        }
                        Err(e) => diags.push(Diagnostic {
                            level: DiagnosticLevel::Warning,
                            message: format!("a recorded response body is not JSON ({e}); skipped"),
                            source: Some(SourceRef { file: file.to_string().into(), pointer: format!("{base}/string").into(), line: None }),
                        }),
                    }
                }
                seq += 1;
            }
        }
        None => roots.push((0, Some(root), String::new())),
    }
    // Stage 2: resources in each body; Resource Graph tables are zipped into `rows`.
    let mut items: Vec<(usize, &Value, String)> = Vec::new();
    let mut rows: Vec<(usize, Value, String)> = Vec::new();
    let all_roots = roots
        .iter()
        .filter_map(|(s, v, p)| v.map(|v| (*s, v, p.as_str())))
        .chain(owned_roots.iter().filter_map(|(s, k)| bodies.get(*k).map(|(v, p)| (*s, v, p.as_str()))));
    for (s, v, p) in all_roots {
        collect(file, s, v, p, &mut items, &mut rows, &mut diags);
    }
    let mut all: Vec<(usize, &Value, String)> = items;
    all.extend(rows.iter().map(|(s, v, p)| (*s, v, p.clone())));
    all.sort_by_key(|(s, _, _)| *s);

    let resolver = Resolver::runtime();
    let mut b = Builder::new(file, &resolver);
    b.diags = diags;
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (_, r, pointer) in all {
        let Some(rtype) = r.get("type").and_then(Value::as_str) else { continue };
        let name = r.get("name").and_then(Value::as_str).unwrap_or_default().to_string();
        let id = r.get("id").and_then(Value::as_str).map(str::to_string).unwrap_or_else(|| format!("{rtype}/{name}"));
        let key = id.to_ascii_lowercase();
        let before = b.out.len();
        b.add(r, &pointer, rtype, id, &name, None);
        if let Some(&old) = seen.get(&key) {
            // Same resource recorded again: the later record replaces it.
            if let (Some(newer), Some(rule), Some(link)) = (b.out.pop(), b.rules.pop(), b.links.pop()) {
                if let Some(slot) = b.out.get_mut(old) {
                    *slot = newer;
                }
                if let Some(slot) = b.rules.get_mut(old) {
                    *slot = rule;
                }
                if let Some(slot) = b.links.get_mut(old) {
                    *slot = link;
                }
            }
        } else {
            seen.insert(key, before);
        }
    }
    if b.out.is_empty() {
        b.diags.push(Diagnostic {
            level: DiagnosticLevel::Info,
            message: "no Azure resources (objects with id and type) were found in this file".into(),
            source: None,
        });
    }
    Ok(b.finish())
}

/// Is this object an Azure resource record?
fn is_resource(v: &Value) -> bool {
    v.get("type").and_then(Value::as_str).is_some_and(|t| t.contains('/')) && (v.get("id").is_some_and(Value::is_string) || v.get("name").is_some_and(Value::is_string))
}

/// Find resource records in one response body.
fn collect<'a>(
    file: &str,
    seq: usize,
    v: &'a Value,
    p: &str,
    items: &mut Vec<(usize, &'a Value, String)>,
    rows: &mut Vec<(usize, Value, String)>,
    diags: &mut Vec<Diagnostic>,
) {
    let list = |a: &'a Vec<Value>, base: String, items: &mut Vec<(usize, &'a Value, String)>| {
        for (i, x) in a.iter().enumerate() {
            if is_resource(x) {
                items.push((seq, x, format!("{base}/{i}")));
            }
        }
    };
    match v {
        Value::Array(a) => list(a, p.to_string(), items),
        Value::Object(o) => {
            if is_resource(v) {
                items.push((seq, v, p.to_string()));
                return;
            }
            if let Some(a) = o.get("value").and_then(Value::as_array) {
                list(a, format!("{p}/value"), items);
                if o.get("nextLink").and_then(Value::as_str).is_some_and(|s| !s.is_empty()) {
                    diags.push(Diagnostic {
                        level: DiagnosticLevel::Info,
                        message: "this list has more pages (nextLink); only the resources in this file are assessed".into(),
                        source: Some(SourceRef { file: file.to_string().into(), pointer: ptr(p, "nextLink").into(), line: None }),
                    });
                }
            }
            match o.get("data") {
                Some(Value::Array(a)) => list(a, format!("{p}/data"), items),
                Some(Value::Object(t)) => {
                    // Resource Graph table form: zip columns with each row.
                    let cols: Vec<Option<&str>> = t
                        .get("columns")
                        .and_then(Value::as_array)
                        .map(|c| c.iter().map(|c| c.get("name").and_then(Value::as_str)).collect())
                        .unwrap_or_default();
                    if let Some(rs) = t.get("rows").and_then(Value::as_array) {
                        for (i, row) in rs.iter().enumerate() {
                            let Some(cells) = row.as_array() else { continue };
                            let obj: Map<String, Value> =
                                cols.iter().zip(cells).filter_map(|(c, x)| c.map(|c| (c.to_string(), x.clone()))).collect();
                            let obj = Value::Object(obj);
                            if is_resource(&obj) {
                                rows.push((seq, obj, format!("{p}/data/rows/{i}")));
                            }
                        }
                        let total = o.get("totalRecords").or_else(|| o.get("total_records")).and_then(Value::as_u64);
                        if let Some(total) = total.filter(|t| *t > rs.len() as u64) {
                            diags.push(Diagnostic {
                                level: DiagnosticLevel::Info,
                                message: format!(
                                    "the Resource Graph result holds {} of {total} records (paged or truncated); only those are assessed",
                                    rs.len()
                                ),
                                source: Some(SourceRef { file: file.to_string().into(), pointer: ptr(p, "totalRecords").into(), line: None }),
                            });
                        }
                    }
                }
                _ => {}
            }
        }
        _ => {}
    }
}

// ---------------------------------------------------------------------------
// Mapping.

/// NSG join key of a rule's parent or of an NSG.
fn nsg_key(id: &str) -> String {
    id.to_ascii_lowercase()
}

struct Builder<'r, 'a> {
    file: String,
    res: &'r Resolver<'a>,
    out: Vec<Resource>,
    /// For each output resource: `Some((parent NSG key, rule name))` when it is an NSG rule.
    rules: Vec<Option<(String, String)>>,
    /// For each output resource: what joins it to another one, if anything.
    links: Vec<Link>,
    diags: Vec<Diagnostic>,
}

/// A resource that only makes sense together with another one.
enum Link {
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
    fn new(file: &str, res: &'r Resolver<'a>) -> Self {
        Builder { file: file.to_string(), res, out: Vec::new(), rules: Vec::new(), links: Vec::new(), diags: Vec::new() }
    }

    fn src(&self, pointer: &str) -> SourceRef {
        SourceRef { file: self.file.clone().into(), pointer: pointer.to_string().into(), line: None }
    }

    fn warn(&mut self, pointer: &str, message: String) {
        let source = Some(self.src(pointer));
        self.diags.push(Diagnostic { level: DiagnosticLevel::Warning, message, source });
    }

    /// Map one resource record and append it.
    fn add(&mut self, r: &'a Value, pointer: &str, rtype: &str, id: String, name: &str, api: Option<&str>) {
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
    fn finish(mut self) -> (Inventory, Vec<Diagnostic>) {
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
    fn onto(&self, id: &str, rtype: &str, props: &'static [&'static str]) -> Link {
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
    fn diagnostic_target(&self, r: &Value, id: &str, rtype: &str, name: &str) -> Option<String> {
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

    fn join_links(&mut self) {
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
fn lower_find(hay: &str, needle: &str) -> Option<usize> {
    hay.to_ascii_lowercase().find(needle)
}

/// Is `api` (a `YYYY-MM-DD[-preview]` apiVersion) on or after `date`?
fn api_at_least(api: &str, date: &str) -> Option<bool> {
    let d = api.get(..10)?;
    let ok = d.len() == 10 && d.bytes().enumerate().all(|(i, c)| if i == 4 || i == 7 { c == b'-' } else { c.is_ascii_digit() });
    ok.then(|| d >= date)
}

/// Reads one resource's properties.
struct Mapper<'r, 'a> {
    res: &'r Resolver<'a>,
    props: &'a Value,
    pp: String,
    /// The record carries its full properties (template, or API record with
    /// `properties`), so documented defaults may fill absent attributes.
    full: bool,
    api: Option<&'r str>,
}

impl<'r, 'a> Mapper<'r, 'a> {
    fn f(&self, path: &[&str]) -> Field<'a> {
        self.res.field(self.props, &self.pp, path)
    }
    /// The first of several alternative attribute paths that is present.
    fn first(&self, paths: &[&[&str]]) -> Field<'a> {
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
    fn put(res: &mut Resource, name: &str, p: Option<Prop>) {
        if let Some(p) = p {
            res.props.insert(name, p);
        }
    }
    /// `name` as the provider default `id` gives it (`ingest::defaults`), at
    /// this resource's properties.
    fn default(&self, res: &mut Resource, id: &str, name: &str) {
        Self::put(res, name, dflt::prop(id, name, self.pp.clone()));
    }

    /// `blobServices/default`: blob soft delete (joined onto the account).
    fn blob_service(&self, res: &mut Resource) {
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
    fn nic_public_ip(&self) -> Option<(bool, String)> {
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

    fn storage_account(&self, res: &mut Resource) {
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

    fn blob_container(&self, res: &mut Resource) {
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

    fn nsg(&self, res: &mut Resource) {
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
    fn nsg_rule(&self, rule: &'a Value, rp: &str, rname: &str) -> Vec<Value> {
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
        let open = sources.iter().any(|s| super::util::is_open_source(s));
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
    fn disk(&self, res: &mut Resource) {
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

    fn vm(&self, res: &mut Resource) {
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

    fn sql_server(&self, res: &mut Resource) {
        res.kind = Text::interned("sql_server");
        let tls = self.f(&["minimalTlsVersion"]);
        Self::put(res, "min_tls_version", tls.prop(|v| v.as_str().filter(|s| !s.eq_ignore_ascii_case("none")).map(|s| Value::String(tls_version_text(s)))));
        let pna = self.f(&["publicNetworkAccess"]);
        Self::put(res, "publicly_accessible", pna.prop_bool());
    }

    fn sql_firewall_rule(&self, res: &mut Resource) {
        res.kind = Text::interned("db_firewall_rule");
        for (k, p) in [("startIpAddress", "start_ip"), ("endIpAddress", "end_ip")] {
            Self::put(res, p, self.f(&[k]).prop(|v| v.as_str().map(|s| Value::String(s.trim().to_string()))));
        }
    }

    fn key_vault(&self, res: &mut Resource) {
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

    fn aks(&self, res: &mut Resource) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn template(v: Value) -> (Inventory, Vec<Diagnostic>) {
        match parse_template("t.json", &Document::Json(v)) {
            Ok(x) => x,
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn resolves_parameters_and_variables_only() {
        let (inv, _) = template(json!({
            "parameters": {"https": {"type": "bool", "defaultValue": false}, "acl": {"type": "string"}},
            "variables": {"tls": "TLS1_2"},
            "resources": [{
                "type": "Microsoft.Storage/storageAccounts", "apiVersion": "2021-04-01", "name": "[concat('a', 'b')]",
                "properties": {"supportsHttpsTrafficOnly": "[parameters('https')]", "minimumTlsVersion": "[variables('tls')]",
                               "networkAcls": {"defaultAction": "[parameters('acl')]"}}
            }]
        }));
        let r = &inv.resources[0];
        assert_eq!(r.prop("https_only").and_then(Prop::value), Some(&json!(false)));
        assert_eq!(r.prop("min_tls_version").and_then(Prop::value), Some(&json!("1.2")));
        assert!(matches!(r.prop("network_default_deny"), Some(Prop::Unknown { .. })));
        assert_eq!(call_arg("Parameters( 'x' )", "parameters"), Some("x"));
        assert_eq!(call_arg("parameters(concat('a', 'b'))", "parameters"), None);
    }

    #[test]
    fn malformed_resources_become_diagnostics() {
        let (inv, diags) = template(json!({"resources": [1, {"name": "x"}, {"type": "Microsoft.KeyVault/vaults", "name": "kv"}]}));
        assert_eq!(inv.resources.len(), 1);
        assert_eq!(diags.iter().filter(|d| d.level == DiagnosticLevel::Warning).count(), 2);
        assert_eq!(inv.resources[0].prop("network_default_deny").and_then(Prop::value), Some(&json!(false)));
        assert!(parse_template("x", &Document::Json(json!([]))).is_err());
    }

    #[test]
    fn api_dates() {
        assert_eq!(api_at_least("2018-11-01", "2019-04-01"), Some(false));
        assert_eq!(api_at_least("2019-04-01-preview", "2019-04-01"), Some(true));
        assert_eq!(api_at_least("latest", "2019-04-01"), None);
    }
}
