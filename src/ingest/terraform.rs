//! Terraform JSON → inventory. Owns the three Terraform shapes: a plan
//! (`terraform show -json plan`), a state (`terraform show -json`) and a raw
//! `terraform.tfstate` (version 4), and the mapping of `aws_*`, `azurerm_*`
//! and `google_*` resource attributes onto the canonical kinds and properties
//! of `docs/inventory.md`.
//!
//! Reading happens in three steps: collect every managed resource instance
//! (plan `resource_changes`, else `planned_values`; state `values`; raw
//! `resources[].instances[]`), map each one on its own, then join the
//! resources that only make sense as part of another one (the AWS provider v4
//! split S3 resources, security group / NSG rules, flow logs, IAM policy
//! attachments) onto their parent, by attribute value or, when the value is
//! only known after apply, by the plan's `configuration` references.
//!
//! **Invariant:** an attribute marked in a plan's `after_unknown` mask becomes
//! [`Prop::Unknown`] ("known after apply"), never `false` or a default.
//! **Invariant:** every resource points at its object in the document
//! (`/resource_changes/3`) and every property at the native attribute it was
//! read from (`/resource_changes/3/change/after/metadata_options/0/http_tokens`).
//! **Invariant:** a malformed resource becomes a warning diagnostic and the
//! others are still read; only a document that is not Terraform JSON at all is
//! an error. Nothing here panics on input, and the work is linear in its size
//! (joins go through hash maps; the document is never cloned).
//! **Invariant:** a joined child's settings are merged into its parent; the
//! child stays listed (kind `other`) so the user still sees it counted, and a
//! rule whose parent is not in the file is kept as a `firewall` of its own.
//! **Invariant:** resources of providers that are not AWS, Azure, Google Cloud
//! or Kubernetes (null, random, local…) have no [`Provider`] and are not
//! listed; one info diagnostic counts them per provider.

use super::defaults as dflt;
use super::util::{FastMap, arm_id_parts, loose_bool, loose_f64, normalise_source, port_range, ptr};
use super::{Document, Format, IngestError, ParseOutput};
use crate::inventory::{Diagnostic, DiagnosticLevel, Inventory, Pointer, Prop, Provider, Resource, SourceRef, Text, shared_value};
use std::sync::Arc;
use super::json::Json;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};

/// Reason given for values a plan only knows after apply.
const UNKNOWN: &str = "known after apply";

/// The canonical kinds (besides `other`) a Terraform plan or state can give, per provider.
/// Checked against what the parser emits on `tests/fixtures/ingest` by `tests/ingest_kinds.rs`.
pub(super) const KINDS: &[(Provider, &str)] = &[
    (Provider::Aws, "object_bucket"),
    (Provider::Aws, "firewall"),
    (Provider::Aws, "virtual_machine"),
    (Provider::Aws, "block_volume"),
    (Provider::Aws, "database"),
    (Provider::Aws, "kms_key"),
    (Provider::Aws, "audit_trail"),
    (Provider::Aws, "network"),
    (Provider::Aws, "flow_log"),
    (Provider::Aws, "iam_user"),
    (Provider::Aws, "iam_group"),
    (Provider::Aws, "iam_role"),
    (Provider::Aws, "iam_policy"),
    (Provider::Aws, "k8s_cluster"),
    (Provider::Azure, "storage_account"),
    (Provider::Azure, "blob_container"),
    (Provider::Azure, "firewall"),
    (Provider::Azure, "db_firewall_rule"),
    (Provider::Azure, "database"),
    (Provider::Azure, "block_volume"),
    (Provider::Azure, "virtual_machine"),
    (Provider::Azure, "key_vault"),
    (Provider::Azure, "kms_key"),
    (Provider::Azure, "k8s_cluster"),
    (Provider::Gcp, "object_bucket"),
    (Provider::Gcp, "firewall"),
    (Provider::Gcp, "network"),
    (Provider::Gcp, "virtual_machine"),
    (Provider::Gcp, "block_volume"),
    (Provider::Gcp, "kms_key"),
    (Provider::Gcp, "database"),
    (Provider::Gcp, "k8s_cluster"),
    (Provider::Gcp, "project"),
];

/// Read a Terraform plan, state or raw state document.
pub(super) fn parse(file: &str, format: Format, doc: &Document) -> ParseOutput {
    let Document::Json(root) = doc else {
        return Err(IngestError::Unrecognised("a Terraform export must be JSON (terraform show -json)".into()));
    };
    if !root.is_object() {
        return Err(IngestError::Unrecognised("a Terraform JSON export is an object, not a list or a scalar".into()));
    }
    // Mapping reads a borrowed tree (`Json`), as the streaming path does.
    let tree = Json::borrow(root);
    // A state is a snapshot of live resources; a plan's changes say for each one.
    let live = format != Format::TerraformPlan;
    let mut cx = Collect { file, raws: Vec::new(), diags: Vec::new(), foreign: BTreeMap::new(), live };
    match format {
        Format::TerraformPlan => match tree.get("resource_changes") {
            Some(Json::Array(list)) => cx.changes(list),
            other => {
                if other.is_some_and(|v| !v.is_null()) {
                    cx.warn("/resource_changes", "resource_changes is not a list; reading planned_values instead".into());
                }
                if let Some(m) = tree.get("planned_values").and_then(|p| p.get("root_module")) {
                    cx.module(m, "/planned_values/root_module".into(), "");
                }
            }
        },
        Format::TerraformState => {
            if let Some(m) = tree.get("values").and_then(|p| p.get("root_module")) {
                cx.module(m, "/values/root_module".into(), "");
            }
        }
        Format::TerraformRawState => match tree.get("resources") {
            Some(Json::Array(list)) => cx.raw_state(list),
            Some(Json::Null) | None => {}
            Some(_) => cx.warn("/resources", "the state file's resources is not a list; nothing read".into()),
        },
        _ => return Err(IngestError::Unrecognised("not a Terraform document".into())),
    }
    let Collect { raws, mut diags, foreign, .. } = cx;
    foreign_note(&foreign, &mut diags);
    let configs = ConfigIndex::new(root.get("configuration"));
    let mut b = Builder::new(file, &configs);
    for raw in raws {
        b.add(raw);
    }
    let resources = b.finish(&mut diags);
    Ok((Inventory { resources }, diags))
}

/// Resources of one provider we do not assess: how many, and their types.
#[derive(Debug, Default)]
struct Foreign {
    count: usize,
    types: BTreeSet<String>,
}

/// Resource types named per provider in [`foreign_note`].
const FOREIGN_TYPES_SHOWN: usize = 3;

/// One info diagnostic saying which resources were skipped because their
/// provider is not assessed: how many, of which provider (quoted, so the
/// `null` provider of `null_resource` reads as a name) and of which types.
fn foreign_note(foreign: &BTreeMap<String, Foreign>, diags: &mut Vec<Diagnostic>) {
    if foreign.is_empty() {
        return;
    }
    let total: usize = foreign.values().map(|f| f.count).sum();
    let list: Vec<String> = foreign
        .iter()
        .map(|(p, f)| {
            let mut types: Vec<&str> = f.types.iter().take(FOREIGN_TYPES_SHOWN).map(String::as_str).collect();
            if f.types.len() > FOREIGN_TYPES_SHOWN {
                types.push("…");
            }
            format!("{} of the \"{p}\" provider ({})", f.count, types.join(", "))
        })
        .collect();
    let (resources, verb) = if total == 1 { ("resource", "was") } else { ("resources", "were") };
    diags.push(Diagnostic {
        level: DiagnosticLevel::Info,
        message: format!(
            "{total} {resources} {verb} not assessed because only AWS, Azure, Google Cloud and Kubernetes resources are checked: {}",
            list.join("; ")
        ),
        source: None,
    });
}

/// A plan's `configuration`, indexed for the streaming fast path
/// (`stream.rs`); shared by the parts that map its changes.
pub(super) struct PlanConfig<'c>(ConfigIndex<'c>);

impl<'c> PlanConfig<'c> {
    /// Index the plan's `configuration` (read before the changes).
    pub(super) fn new(configuration: Option<&'c Value>) -> Self {
        PlanConfig(ConfigIndex::new(configuration))
    }
}

/// A contiguous run of a plan's `resource_changes`, read one element at a
/// time (the streaming fast path, `stream.rs`): each element is mapped as it
/// arrives and only what the joins need is kept, so the elements' values
/// never coexist. Runs can be mapped apart (on different threads) and
/// appended in order; the joins wait for [`PlanPart::finish`]. Gives exactly
/// what [`parse`] gives for the same plan.
pub(super) struct PlanPart<'c, 'f, 'x> {
    cx: Collect<'static, 'f>,
    b: Builder<'c, 'f, 'x>,
}

impl<'c, 'f, 'x> PlanPart<'c, 'f, 'x> {
    /// An empty run.
    pub(super) fn new(file: &'f str, config: &'x PlanConfig<'c>) -> Self {
        PlanPart { cx: Collect { file, raws: Vec::new(), diags: Vec::new(), foreign: BTreeMap::new(), live: false }, b: Builder::new(file, &config.0) }
    }
    /// `resource_changes[i]`.
    pub(super) fn change(&mut self, i: usize, rc: &Json) {
        if let Some(raw) = self.cx.change(i, rc) {
            self.b.add(raw);
        }
    }
    /// Append the run that follows this one.
    pub(super) fn append(&mut self, next: PlanPart<'c, 'f, 'x>) {
        self.cx.diags.extend(next.cx.diags);
        for (provider, f) in next.cx.foreign {
            let acc = self.cx.foreign.entry(provider).or_default();
            acc.count += f.count;
            acc.types.extend(f.types);
        }
        self.b.append(next.b);
    }
    /// The inventory and diagnostics.
    pub(super) fn finish(self) -> (Inventory, Vec<Diagnostic>) {
        let Collect { mut diags, foreign, .. } = self.cx;
        foreign_note(&foreign, &mut diags);
        let resources = self.b.finish(&mut diags);
        (Inventory { resources }, diags)
    }
}

// ---------------------------------------------------------------------------
// Step 1: collect resource instances.

/// One managed resource instance as found in the document, before mapping.
struct Raw<'a> {
    address: String,
    /// Address without the instance key (`module.m[0].aws_s3_bucket.b`).
    base: String,
    /// Module instance address, empty at the root.
    module: String,
    index: Option<String>,
    rtype: &'a str,
    name: &'a str,
    provider: Provider,
    values: &'a Json<'a>,
    unknown: Option<&'a Json<'a>>,
    res_ptr: String,
    val_ptr: String,
    /// Created by this plan (a `create` or a replacement, or a plan's
    /// `planned_values`): what it leaves out is the provider's default for a
    /// new resource. Otherwise a snapshot of a live resource (state, or a
    /// plan's update / no-op), whose absent attributes are not defaulted.
    new: bool,
}

struct Collect<'a, 'f> {
    file: &'f str,
    raws: Vec<Raw<'a>>,
    diags: Vec<Diagnostic>,
    /// Providers we do not assess → their resources.
    foreign: BTreeMap<String, Foreign>,
    /// The document is a state (live resources), not a plan.
    live: bool,
}

impl<'a> Collect<'a, '_> {
    fn warn(&mut self, pointer: &str, message: String) {
        self.diags.push(Diagnostic {
            level: DiagnosticLevel::Warning,
            message,
            source: Some(SourceRef { file: self.file.to_string().into(), pointer: pointer.to_string().into(), line: None }),
        });
    }

    /// Plan `resource_changes[]`.
    fn changes(&mut self, list: &'a [Json<'a>]) {
        for (i, rc) in list.iter().enumerate() {
            if let Some(raw) = self.change(i, rc) {
                self.raws.push(raw);
            }
        }
    }

    /// One element of `resource_changes`.
    fn change<'v>(&mut self, i: usize, rc: &'v Json<'v>) -> Option<Raw<'v>> {
        let p = ptr("/resource_changes", i);
        let Some(obj) = rc.as_object() else {
            self.warn(&p, format!("resource_changes[{i}] is not an object; skipped"));
            return None;
        };
        if obj.get("mode").and_then(Json::as_str).is_some_and(|m| m != "managed") {
            return None;
        }
        let Some(change) = obj.get("change").and_then(Json::as_object) else {
            self.warn(&p, format!("resource_changes[{i}] has no change object; skipped"));
            return None;
        };
        let actions: Vec<&str> = change.get("actions").and_then(Json::as_array).map(|a| a.iter().filter_map(Json::as_str).collect()).unwrap_or_default();
        if actions == ["delete"] || actions == ["forget"] {
            return None;
        }
        let after = match change.get("after") {
            None | Some(Json::Null) => return None,
            Some(v @ Json::Object(_)) => v,
            Some(_) => {
                self.warn(&p, format!("resource_changes[{i}].change.after is not an object; skipped"));
                return None;
            }
        };
        let module = obj.get("module_address").and_then(Json::as_str);
        let index = obj.get("index");
        let val_ptr = format!("{p}/change/after");
        let created = actions.contains(&"create");
        self.raw(rc, module, index, after, change.get("after_unknown"), p, val_ptr).map(|raw| Raw { new: created, ..raw })
    }

    /// `planned_values` / `values` module (recursing into `child_modules`).
    fn module(&mut self, m: &'a Json<'a>, p: String, module: &str) {
        if let Some(list) = m.get("resources").and_then(Json::as_array) {
            for (i, r) in list.iter().enumerate() {
                let rp = ptr(&format!("{p}/resources"), i);
                if !r.is_object() {
                    self.warn(&rp, "a resource entry is not an object; skipped".into());
                    continue;
                }
                if r.get("mode").and_then(Json::as_str).is_some_and(|m| m != "managed") {
                    continue;
                }
                let Some(values) = r.get("values").filter(|v| v.is_object()) else {
                    self.warn(&rp, "resource has no values object; skipped".into());
                    continue;
                };
                let val_ptr = format!("{rp}/values");
                if let Some(raw) = self.raw(r, Some(module), r.get("index"), values, None, rp, val_ptr) {
                    self.raws.push(raw);
                }
            }
        }
        if let Some(children) = m.get("child_modules").and_then(Json::as_array) {
            for (i, c) in children.iter().enumerate() {
                let cp = ptr(&format!("{p}/child_modules"), i);
                let addr = c.get("address").and_then(Json::as_str).unwrap_or(module);
                self.module(c, cp, addr);
            }
        }
    }

    /// Raw `terraform.tfstate` v4 `resources[].instances[]`.
    fn raw_state(&mut self, list: &'a [Json<'a>]) {
        for (i, r) in list.iter().enumerate() {
            let rp = ptr("/resources", i);
            let Some(obj) = r.as_object() else {
                self.warn(&rp, format!("resources[{i}] is not an object; skipped"));
                continue;
            };
            if obj.get("mode").and_then(Json::as_str).is_some_and(|m| m != "managed") {
                continue;
            }
            let (Some(rtype), Some(name)) = (obj.get("type").and_then(Json::as_str), obj.get("name").and_then(Json::as_str)) else {
                self.warn(&rp, format!("resources[{i}] has no type or name; skipped"));
                continue;
            };
            let module = obj.get("module").and_then(Json::as_str).unwrap_or("");
            let provider_name = obj.get("provider").and_then(Json::as_str);
            let Some(instances) = obj.get("instances").and_then(Json::as_array) else {
                self.warn(&rp, format!("{rtype}.{name} has no instances list; skipped"));
                continue;
            };
            for (j, inst) in instances.iter().enumerate() {
                let ip = ptr(&format!("{rp}/instances"), j);
                let Some(values) = inst.get("attributes").filter(|v| v.is_object()) else {
                    self.warn(&ip, format!("{rtype}.{name} instance {j} has no attributes object (state version 4 expected); skipped"));
                    continue;
                };
                let index = inst.get("index_key").and_then(index_text);
                let base = format!("{}{rtype}.{name}", prefix(module));
                let address = match &index {
                    Some(k) => format!("{base}[{k}]"),
                    None => base.clone(),
                };
                let Some(provider) = self.provider_of(provider_name, rtype) else { continue };
                self.raws.push(Raw {
                    address,
                    base,
                    module: module.to_string(),
                    index,
                    rtype,
                    name,
                    provider,
                    values,
                    unknown: None,
                    res_ptr: ip.clone(),
                    val_ptr: format!("{ip}/attributes"),
                    new: false,
                });
            }
        }
    }

    /// Common part of plan and state resources (`address`, `type`, `name`, `provider_name`).
    #[allow(clippy::too_many_arguments)]
    fn raw<'v>(&mut self, r: &'v Json<'v>, module: Option<&str>, index: Option<&Json>, values: &'v Json<'v>, unknown: Option<&'v Json<'v>>, res_ptr: String, val_ptr: String) -> Option<Raw<'v>> {
        let Some(rtype) = r.get("type").and_then(Json::as_str) else {
            self.warn(&res_ptr, "resource has no type; skipped".into());
            return None;
        };
        let Some(name) = r.get("name").and_then(Json::as_str) else {
            self.warn(&res_ptr, format!("{rtype} resource has no name; skipped"));
            return None;
        };
        let index = index.and_then(index_text);
        let address = r.get("address").and_then(Json::as_str).map(str::to_string);
        let module = match module {
            Some(m) => m.to_string(),
            None => address.as_deref().map(|a| module_of(a, rtype, name)).unwrap_or_default(),
        };
        let base = format!("{}{rtype}.{name}", prefix(&module));
        let address = address.unwrap_or_else(|| match &index {
            Some(k) => format!("{base}[{k}]"),
            None => base.clone(),
        });
        let provider = self.provider_of(r.get("provider_name").and_then(Json::as_str), rtype)?;
        Some(Raw { address, base, module, index, rtype, name, provider, values, unknown, res_ptr, val_ptr, new: !self.live })
    }

    /// Our provider for a Terraform provider, or `None` (counted) when we do not assess it.
    fn provider_of(&mut self, provider_name: Option<&str>, rtype: &str) -> Option<Provider> {
        let short = provider_name.map(provider_short).unwrap_or_else(|| rtype.split('_').next().unwrap_or(rtype).to_string());
        let p = match short.as_str() {
            "aws" | "awscc" => Some(Provider::Aws),
            "azurerm" | "azuread" | "azapi" => Some(Provider::Azure),
            "google" | "google-beta" => Some(Provider::Gcp),
            "kubernetes" | "helm" => Some(Provider::Kubernetes),
            _ => None,
        };
        if p.is_none() {
            let f = self.foreign.entry(short).or_default();
            f.count += 1;
            if !f.types.contains(rtype) {
                f.types.insert(rtype.to_string());
            }
        }
        p
    }
}

/// `registry.terraform.io/hashicorp/aws`, `provider["registry.terraform.io/hashicorp/aws"]`,
/// `module.x.provider["…/aws"].alias`, `provider.aws`, `aws` → `aws`.
fn provider_short(p: &str) -> String {
    let inner = match p.find("provider[") {
        Some(i) => {
            let rest = p.get(i + 9..).unwrap_or("");
            rest.split(']').next().unwrap_or(rest).trim_matches('"')
        }
        None => p.strip_prefix("provider.").unwrap_or(p),
    };
    let last = inner.rsplit('/').next().unwrap_or(inner);
    last.split('.').next().unwrap_or(last).to_ascii_lowercase()
}

/// Instance key as Terraform writes it in an address: `0`, `"key"`.
fn index_text(v: &Json) -> Option<String> {
    match v {
        Json::Number(n) => Some(n.to_string()),
        Json::String(s) => serde_json::to_string(s).ok(),
        _ => None,
    }
}

fn prefix(module: &str) -> String {
    if module.is_empty() {
        String::new()
    } else {
        format!("{module}.")
    }
}

/// The module part of a resource address (`module.a.aws_x.y[0]` → `module.a`).
fn module_of(address: &str, rtype: &str, name: &str) -> String {
    let needle = format!("{rtype}.{name}");
    match address.rfind(&needle) {
        Some(i) if i > 0 => address.get(..i - 1).unwrap_or("").to_string(),
        _ => String::new(),
    }
}

/// Remove instance keys from an address (`module.a[0].module.b["k"]` → `module.a.module.b`).
fn strip_keys(addr: &str) -> String {
    let mut out = String::with_capacity(addr.len());
    let mut depth = 0usize;
    let mut in_str = false;
    let mut escaped = false;
    for c in addr.chars() {
        if depth > 0 {
            if in_str {
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == '"' {
                    in_str = false;
                }
            } else if c == '"' {
                in_str = true;
            } else if c == '[' {
                depth += 1;
            } else if c == ']' {
                depth -= 1;
            }
        } else if c == '[' {
            depth = 1;
        } else {
            out.push(c);
        }
    }
    out
}

// ---------------------------------------------------------------------------
// Plan configuration (expressions and references).

/// Configuration resources by `module.path.type.name` (module path without keys).
struct ConfigIndex<'a> {
    resources: FastMap<String, &'a Value>,
    provider_config: Option<&'a Map<String, Value>>,
}

impl<'a> ConfigIndex<'a> {
    fn new(cfg: Option<&'a Value>) -> Self {
        let mut ix = ConfigIndex { resources: FastMap::default(), provider_config: None };
        if let Some(cfg) = cfg {
            ix.provider_config = cfg.get("provider_config").and_then(Value::as_object);
            if let Some(root) = cfg.get("root_module") {
                ix.add_module(root, "");
            }
        }
        ix
    }

    fn add_module(&mut self, m: &'a Value, path: &str) {
        if let Some(list) = m.get("resources").and_then(Value::as_array) {
            for r in list {
                if r.get("mode").and_then(Value::as_str).is_some_and(|m| m != "managed") {
                    continue;
                }
                if let (Some(t), Some(n)) = (r.get("type").and_then(Value::as_str), r.get("name").and_then(Value::as_str)) {
                    self.resources.insert(format!("{}{t}.{n}", prefix(path)), r);
                }
            }
        }
        if let Some(calls) = m.get("module_calls").and_then(Value::as_object) {
            for (name, call) in calls {
                if let Some(sub) = call.get("module") {
                    self.add_module(sub, &format!("{}module.{name}", prefix(path)));
                }
            }
        }
    }

    fn of(&self, raw: &Raw) -> Option<&'a Value> {
        self.resources.get(&format!("{}{}.{}", prefix(&strip_keys(&raw.module)), raw.rtype, raw.name)).copied()
    }

    /// Region set as a constant on the resource's AWS provider configuration.
    fn aws_region(&self, cfg: Option<&Value>) -> Option<String> {
        let pc = self.provider_config?;
        let key = cfg.and_then(|c| c.get("provider_config_key")).and_then(Value::as_str);
        let entry = key.and_then(|k| pc.get(k)).or_else(|| pc.get("aws"))?;
        if entry.get("name").and_then(Value::as_str) != Some("aws") {
            return None;
        }
        entry.pointer("/expressions/region/constant_value").and_then(Value::as_str).map(str::to_string)
    }
}

/// Does the configuration set this attribute (blocks walked through their first element)?
fn configured(cfg: Option<&Value>, path: &[&str]) -> bool {
    let Some(mut cur) = cfg.and_then(|c| c.get("expressions")) else { return false };
    for seg in path {
        if let Value::Array(a) = cur {
            match a.first() {
                Some(x) => cur = x,
                None => return false,
            }
        }
        match cur.get(*seg) {
            Some(x) => cur = x,
            None => return false,
        }
    }
    true
}

/// `references` of one attribute's expression.
fn references<'a>(cfg: Option<&'a Value>, attr: &str) -> Vec<&'a str> {
    cfg.and_then(|c| c.get("expressions"))
        .and_then(|e| e.get(attr))
        .and_then(|x| x.get("references"))
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

/// A managed-resource reference `type.name[key].attr` → (type, name, key).
fn ref_target(r: &str) -> Option<(&str, &str, Option<&str>)> {
    let (rtype, rest) = r.split_once('.')?;
    if matches!(rtype, "var" | "local" | "module" | "data" | "each" | "count" | "path" | "self" | "terraform") {
        return None;
    }
    let end = rest.find(['.', '[']).unwrap_or(rest.len());
    let name = rest.get(..end)?;
    let after = rest.get(end..).unwrap_or("");
    let key = after.strip_prefix('[').and_then(|k| k.find(']').and_then(|e| k.get(..e)));
    if name.is_empty() {
        return None;
    }
    Some((rtype, name, key))
}

// ---------------------------------------------------------------------------
// A view of one attribute: value + after_unknown mask + pointer.

#[derive(Clone)]
struct V<'a> {
    val: Option<&'a Json<'a>>,
    unk: Option<&'a Json<'a>>,
    ptr: String,
    /// The resource's pointer: properties point relative to it.
    base: Pointer,
}

enum St<'a> {
    Known(&'a Json<'a>),
    Unknown,
    Absent,
}

impl<'a> V<'a> {
    fn get(&self, key: &str) -> V<'a> {
        let unk = match self.unk {
            Some(Json::Bool(true)) => self.unk,
            Some(u) => u.get(key),
            None => None,
        };
        V { val: self.val.and_then(|v| v.get(key)), unk, ptr: ptr(&self.ptr, key), base: self.base.clone() }
    }
    fn at(&self, i: usize) -> V<'a> {
        let unk = match self.unk {
            Some(Json::Bool(true)) => self.unk,
            Some(u) => u.get(i),
            None => None,
        };
        V { val: self.val.and_then(|v| v.get(i)), unk, ptr: ptr(&self.ptr, i), base: self.base.clone() }
    }
    /// First element of a nested block.
    fn block(&self, key: &str) -> V<'a> {
        self.get(key).at(0)
    }
    fn state(&self) -> St<'a> {
        if matches!(self.unk, Some(Json::Bool(true))) {
            return St::Unknown;
        }
        match self.val {
            Some(v) if !v.is_null() => St::Known(v),
            _ => St::Absent,
        }
    }
    fn str(&self) -> Option<&'a str> {
        match self.state() {
            St::Known(v) => v.as_str(),
            _ => None,
        }
    }
    /// Elements of a known list (each with its own view).
    fn items(&self) -> Vec<V<'a>> {
        match self.state() {
            St::Known(Json::Array(a)) => (0..a.len()).map(|i| self.at(i)).collect(),
            _ => Vec::new(),
        }
    }
    /// The value mapped by `f` as a property.
    fn prop(&self, f: impl FnOnce(&Json) -> Option<Value>) -> Option<Prop> {
        match self.state() {
            St::Known(v) => f(v).map(|x| self.known(x)),
            St::Unknown => Some(self.unknown()),
            St::Absent => None,
        }
    }
    fn pointer(&self) -> Pointer {
        Pointer::within(&self.base, &self.ptr)
    }
    fn known(&self, v: impl Into<Value>) -> Prop {
        Prop::Known { value: shared_value(v.into()), pointer: self.pointer() }
    }
    fn unknown(&self) -> Prop {
        Prop::unknown(UNKNOWN, self.pointer())
    }
}

/// A number as JSON: integral values as integers.
fn num(f: f64) -> Value {
    if f.fract() == 0.0 && f.abs() < 9.0e15 {
        Value::from(f as i64)
    } else {
        serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)
    }
}

fn bool_of(v: &Json) -> Option<Value> {
    match v {
        Json::String(s) if s.trim() == "1" => Some(Value::Bool(true)),
        Json::String(s) if s.trim() == "0" => Some(Value::Bool(false)),
        _ => loose_bool(v).map(Value::Bool),
    }
}
fn num_of(v: &Json) -> Option<Value> {
    loose_f64(v).map(num)
}
fn str_of(v: &Json) -> Option<Value> {
    v.as_str().map(|s| Value::String(s.to_string()))
}
fn non_empty(v: &Json) -> bool {
    match v {
        Json::Array(a) => !a.is_empty(),
        Json::Object(o) => !o.is_empty(),
        Json::String(s) => !s.trim().is_empty(),
        Json::Null => false,
        _ => true,
    }
}

/// Set properties on a resource being mapped.
struct Out<'r> {
    r: &'r mut Resource,
}

impl Out<'_> {
    fn put(&mut self, name: &str, p: Option<Prop>) {
        if let Some(p) = p {
            self.r.props.insert(name, p);
        }
    }
    fn bool(&mut self, name: &str, v: &V) {
        self.put(name, v.prop(bool_of));
    }
    /// A boolean whose provider default applies when the attribute is absent.
    fn bool_or(&mut self, name: &str, v: &V, default: bool) {
        let p = v.prop(bool_of).unwrap_or_else(|| v.known(default));
        self.put(name, Some(p));
    }
    fn num(&mut self, name: &str, v: &V) {
        self.put(name, v.prop(num_of));
    }
    fn str(&mut self, name: &str, v: &V) {
        self.put(name, v.prop(str_of));
    }
    /// `true` when a list/block is non-empty, `false` when known empty.
    fn present(&mut self, name: &str, v: &V) {
        let p = match v.state() {
            St::Known(x) => Some(v.known(non_empty(x))),
            St::Unknown => Some(v.unknown()),
            St::Absent => Some(v.known(false)),
        };
        self.put(name, p);
    }
    fn set(&mut self, name: &str, value: impl Into<Value>, pointer: &str) {
        self.r.set(name, value, pointer);
    }
    /// `name` as the provider default `id` gives it (`ingest::defaults`),
    /// pointing at `at`, where the setting would be.
    fn default(&mut self, id: &str, name: &str, at: &V) {
        // An attribute the document leaves out entirely has no place of its
        // own: the evidence points at the resource.
        let pointer = if at.val.is_some() { at.pointer() } else { at.base.clone() };
        self.put(name, dflt::prop(id, name, pointer));
    }
}

// ---------------------------------------------------------------------------
// Step 2: map each resource; step 3: join.

/// What each resource needs to be mapped.
struct Src<'a> {
    v: V<'a>,
    cfg: Option<&'a Value>,
    has_config: bool,
    /// Created by the plan (see `Raw::new`).
    new: bool,
}

impl Src<'_> {
    /// Does the plan leave this attribute to the provider? True for a
    /// resource the plan creates when the attribute is absent, or only known
    /// after apply without the configuration setting it (a computed
    /// attribute: what the provider will choose, i.e. its default).
    fn left_to_provider(&self, v: &V, path: &[&str]) -> bool {
        self.new
            && match v.state() {
                St::Absent => true,
                St::Known(x) => !non_empty(x) && !matches!(x, Json::Bool(_)),
                St::Unknown => self.has_config && !configured(self.cfg, path),
            }
    }
    /// A key id attribute → `"customer"`/`"provider"`. An unknown id the
    /// configuration sets is a key made in this configuration (customer); an
    /// unknown id it does not set is the computed default (provider key).
    fn key_kind(&self, v: &V, path: &[&str]) -> Option<Prop> {
        match v.state() {
            St::Known(Json::String(s)) if !s.trim().is_empty() => {
                let provider_key = s.contains("alias/aws/");
                Some(v.known(if provider_key { "provider" } else { "customer" }))
            }
            St::Known(_) | St::Absent => Some(v.known("provider")),
            St::Unknown if configured(self.cfg, path) => Some(v.known("customer")),
            St::Unknown if self.has_config => Some(v.known("provider")),
            St::Unknown => Some(v.unknown()),
        }
    }
    /// An attribute that is set (non-empty) → bool. Known after apply counts as
    /// set when the configuration sets it, as unset when the configuration
    /// (present) does not, and stays unknown when there is no configuration.
    fn is_set(&self, v: &V, path: &[&str]) -> Prop {
        match v.state() {
            St::Known(x) => v.known(non_empty(x)),
            St::Absent => v.known(false),
            St::Unknown if configured(self.cfg, path) => v.known(true),
            // Not set in the configuration: a computed default, i.e. not set by the user.
            St::Unknown if self.has_config => v.known(false),
            St::Unknown => v.unknown(),
        }
    }
}

/// How a joined child's property combines with the parent's.
#[derive(Clone, Copy, PartialEq)]
enum Merge {
    /// The child's value replaces the parent's.
    Replace,
    /// True wins; a known value supersedes an unknown inline one.
    Or,
    /// Ingress entries are appended.
    Ingress,
    /// List entries are appended (a list with an unknown part is unknown).
    Append,
    /// Counts add up (unknown stays unknown).
    Sum,
    /// A policy document: the child's replaces the parent's, unless the
    /// child's is unknown and the parent's is a known document.
    Policy,
}

/// How a child resource finds its parent.
struct ChildSpec {
    /// Attribute naming the parent.
    attr: &'static str,
    /// Value-index group of the parent.
    group: &'static str,
    parent_types: &'static [&'static str],
    props: &'static [(&'static str, Merge)],
    /// Kind of the child when no parent is found.
    orphan_kind: &'static str,
}

const S3_TYPES: &[&str] = &["aws_s3_bucket"];
const POLICIES: &[(&str, Merge)] = &[("policies", Merge::Append), ("managed_policy_arns", Merge::Append), ("inline_policy_count", Merge::Sum)];

fn child_spec(rtype: &str) -> Option<ChildSpec> {
    let s3 = |props: &'static [(&'static str, Merge)]| ChildSpec { attr: "bucket", group: "s3", parent_types: S3_TYPES, props, orphan_kind: "other" };
    Some(match rtype {
        "aws_s3_bucket_server_side_encryption_configuration" => s3(&[
            ("encryption_at_rest", Merge::Replace),
            ("encryption_key", Merge::Replace),
            ("encryption_algorithm", Merge::Replace),
        ]),
        "aws_s3_bucket_versioning" => s3(&[("versioning", Merge::Replace)]),
        "aws_s3_bucket_public_access_block" => s3(&[("public_access_blocked", Merge::Replace), ("public_access_block", Merge::Replace)]),
        "aws_s3_bucket_logging" => s3(&[("access_logging", Merge::Replace), ("access_logging_target", Merge::Replace)]),
        "aws_s3_bucket_acl" => s3(&[("public_read", Merge::Or)]),
        "aws_s3_bucket_policy" => s3(&[("bucket_policy", Merge::Policy)]),
        "aws_s3_bucket_object_lock_configuration" => s3(&[("object_lock", Merge::Replace)]),
        "azurerm_storage_account_network_rules" => ChildSpec {
            attr: "storage_account_id",
            group: "azsa",
            parent_types: &["azurerm_storage_account"],
            props: &[("network_default_deny", Merge::Replace)],
            orphan_kind: "other",
        },
        "google_storage_bucket_iam_member" | "google_storage_bucket_iam_binding" | "google_storage_bucket_iam_policy" => ChildSpec {
            attr: "bucket",
            group: "gcs",
            parent_types: &["google_storage_bucket"],
            props: &[("public_read", Merge::Or)],
            orphan_kind: "other",
        },
        "aws_security_group_rule" | "aws_vpc_security_group_ingress_rule" => ChildSpec {
            attr: "security_group_id",
            group: "sg",
            parent_types: &["aws_security_group"],
            props: &[("ingress", Merge::Ingress)],
            orphan_kind: "firewall",
        },
        "azurerm_network_security_rule" => ChildSpec {
            attr: "network_security_group_name",
            group: "nsg",
            parent_types: &["azurerm_network_security_group"],
            props: &[("ingress", Merge::Ingress)],
            orphan_kind: "firewall",
        },
        "aws_flow_log" => ChildSpec { attr: "vpc_id", group: "vpc", parent_types: &["aws_vpc"], props: &[], orphan_kind: "flow_log" },
        "aws_iam_user_policy" | "aws_iam_user_policy_attachment" => {
            ChildSpec { attr: "user", group: "iam_user", parent_types: &["aws_iam_user"], props: POLICIES, orphan_kind: "other" }
        }
        "aws_iam_role_policy" | "aws_iam_role_policy_attachment" => {
            ChildSpec { attr: "role", group: "iam_role", parent_types: &["aws_iam_role"], props: POLICIES, orphan_kind: "other" }
        }
        "aws_iam_group_policy" | "aws_iam_group_policy_attachment" => {
            ChildSpec { attr: "group", group: "iam_group", parent_types: &["aws_iam_group"], props: POLICIES, orphan_kind: "other" }
        }
        _ => return None,
    })
}

/// Keys under which a parent can be found by a child's attribute value.
fn parent_keys(raw: &Raw) -> Vec<(&'static str, String)> {
    let s = |k: &str| raw.values.get(k).and_then(Json::as_str).filter(|s| !s.is_empty()).map(str::to_string);
    let mut out = Vec::new();
    let mut add = |g: &'static str, v: Option<String>| {
        if let Some(v) = v {
            out.push((g, v));
        }
    };
    match raw.rtype {
        "aws_s3_bucket" => {
            add("s3", s("bucket"));
            add("s3", s("id"));
        }
        "aws_security_group" => add("sg", s("id")),
        "aws_vpc" => add("vpc", s("id")),
        "google_storage_bucket" => add("gcs", s("name")),
        "azurerm_storage_account" => add("azsa", s("id")),
        "aws_iam_user" => add("iam_user", s("name")),
        "aws_iam_role" => add("iam_role", s("name")),
        "aws_iam_group" => add("iam_group", s("name")),
        "azurerm_network_security_group" => {
            if let (Some(n), Some(g)) = (s("name"), s("resource_group_name")) {
                add("nsg", Some(nsg_key(&n, &g)));
            }
        }
        _ => {}
    }
    out
}

fn nsg_key(name: &str, rg: &str) -> String {
    format!("{}|{}", name.to_ascii_lowercase(), rg.to_ascii_lowercase())
}

/// What the joins need of one resource, kept after its values are gone.
struct Link<'c> {
    base: String,
    index: Option<String>,
    child: Option<Box<ChildLink<'c>>>,
}

/// A resource that joins onto a parent.
struct ChildLink<'c> {
    spec: ChildSpec,
    address: String,
    module: String,
    cfg: Option<&'c Value>,
    /// The (non-empty) string value of `spec.attr`.
    attr_value: Option<String>,
    /// `resource_group_name` (NSG rules).
    rg: String,
}

/// Maps resources one at a time (step 2), then joins them (step 3).
struct Builder<'c, 'f, 'x> {
    file: &'f str,
    configs: &'x ConfigIndex<'c>,
    has_config: bool,
    out: Vec<Resource>,
    links: Vec<Link<'c>>,
    by_value: FastMap<(&'static str, String), usize>,
}

impl<'c, 'f, 'x> Builder<'c, 'f, 'x> {
    fn new(file: &'f str, configs: &'x ConfigIndex<'c>) -> Self {
        let has_config = !configs.resources.is_empty();
        Builder { file, configs, has_config, out: Vec::new(), links: Vec::new(), by_value: FastMap::default() }
    }

    /// Append the resources mapped by `next`, which follow these: a value
    /// both have keeps its first resource, as when added one by one.
    fn append(&mut self, next: Builder<'c, 'f, 'x>) {
        let offset = self.out.len();
        for (k, i) in next.by_value {
            self.by_value.entry(k).or_insert(i + offset);
        }
        self.out.reserve_exact(next.out.len());
        self.out.extend(next.out);
        self.links.reserve_exact(next.links.len());
        self.links.extend(next.links);
    }

    fn add(&mut self, raw: Raw) {
        let i = self.out.len();
        for k in parent_keys(&raw) {
            self.by_value.entry(k).or_insert(i);
        }
        let cfg = self.configs.of(&raw);
        self.out.push(map_one(self.file, &raw, cfg, self.has_config, self.configs));
        let child = child_spec(raw.rtype).map(|spec| {
            let attr_value = raw.values.get(spec.attr).and_then(Json::as_str).filter(|s| !s.is_empty()).map(str::to_string);
            let rg = raw.values.get("resource_group_name").and_then(Json::as_str).unwrap_or("").to_string();
            Box::new(ChildLink { spec, address: raw.address, module: raw.module, cfg, attr_value, rg })
        });
        self.links.push(Link { base: raw.base, index: raw.index, child });
    }

    fn finish(self, diags: &mut Vec<Diagnostic>) -> Vec<Resource> {
        let Builder { mut out, links, by_value, .. } = self;
        let mut by_base = Bases::default();
        for (i, l) in links.iter().enumerate() {
            *by_base.count.entry(l.base.as_str()).or_insert(0) += 1;
            by_base.first.entry(l.base.as_str()).or_insert(i);
            if let Some(k) = l.index.as_deref() {
                by_base.instance.entry((l.base.as_str(), k)).or_insert(i);
            }
        }
        for (ci, l) in links.iter().enumerate() {
            let Some(c) = &l.child else { continue };
            let spec = &c.spec;
            match find_parent(l, c, &by_value, &by_base) {
                Some(pi) if pi != ci => {
                    let (child, parent) = pair(&mut out, ci, pi);
                    let (Some(child), Some(parent)) = (child, parent) else { continue };
                    join(child, parent, spec);
                }
                _ => {
                    if let Some(child) = out.get_mut(ci) {
                        child.kind = Text::interned(spec.orphan_kind);
                        if spec.orphan_kind == "other" {
                            diags.push(Diagnostic {
                                level: DiagnosticLevel::Info,
                                message: format!(
                                    "{} is not attributed to a resource: its {} ({}) is not in this file",
                                    c.address,
                                    spec.attr,
                                    spec.parent_types.join("/")
                                ),
                                source: Some(child.source.clone()),
                            });
                        }
                    }
                }
            }
        }
        resolve_managed_policies(&mut out);
        out
    }
}

/// Two distinct elements, mutably.
fn pair<T>(v: &mut [T], a: usize, b: usize) -> (Option<&mut T>, Option<&mut T>) {
    if a < b {
        let (l, r) = v.split_at_mut(b);
        (l.get_mut(a), r.first_mut())
    } else {
        let (l, r) = v.split_at_mut(a);
        (r.first_mut(), l.get_mut(b))
    }
}

/// Resources by address without instance key, and by (that, key).
#[derive(Default)]
struct Bases<'r> {
    count: FastMap<&'r str, usize>,
    first: FastMap<&'r str, usize>,
    instance: FastMap<(&'r str, &'r str), usize>,
}

fn find_parent(link: &Link, c: &ChildLink, by_value: &FastMap<(&'static str, String), usize>, by_base: &Bases) -> Option<usize> {
    let spec = &c.spec;
    // By value.
    if let Some(v) = c.attr_value.as_deref() {
        let key = match spec.group {
            "nsg" => nsg_key(v, &c.rg),
            // Bucket IAM resources name their bucket `name` or `b/name`.
            "gcs" => v.strip_prefix("b/").unwrap_or(v).to_string(),
            _ => v.to_string(),
        };
        if let Some(i) = by_value.get(&(spec.group, key)) {
            return Some(*i);
        }
        if spec.group == "iam_role" || spec.group == "iam_user" {
            // An ARN or id instead of a name.
            let tail = v.rsplit('/').next().unwrap_or(v).to_string();
            if let Some(i) = by_value.get(&(spec.group, tail)) {
                return Some(*i);
            }
        }
    }
    // By configuration reference.
    for r in references(c.cfg, spec.attr) {
        let Some((t, n, key)) = ref_target(r) else { continue };
        if !spec.parent_types.contains(&t) {
            continue;
        }
        let base = format!("{}{t}.{n}", prefix(&c.module));
        let base = base.as_str();
        let pick = |k: &str| by_base.instance.get(&(base, k)).copied();
        let only = || if by_base.count.get(base) == Some(&1) { by_base.first.get(base).copied() } else { None };
        let chosen = match (key, link.index.as_deref()) {
            (Some(k), _) => pick(k),
            (None, Some(k)) => pick(k).or_else(only),
            (None, None) => only(),
        };
        if chosen.is_some() {
            return chosen;
        }
    }
    None
}

fn join(child: &mut Resource, parent: &mut Resource, spec: &ChildSpec) {
    if child.native_type == "aws_flow_log" {
        let pointer = child.prop("target_id").map(|p| p.pointer().to_string()).unwrap_or_else(|| child.source.pointer.to_string());
        child.set("target_id", parent.id.to_string(), &pointer);
        parent.set("flow_logs", true, pointer);
        return;
    }
    for (name, merge) in spec.props {
        let Some(new) = child.prop(name).cloned() else { continue };
        match merge {
            Merge::Replace => {
                parent.props.insert(name, new);
            }
            Merge::Or => {
                let merged = match parent.props.get(name) {
                    None => new,
                    Some(old) => merge_or(old, new),
                };
                parent.props.insert(name, merged);
            }
            Merge::Append => {
                let merged = match (parent.props.get(name), new) {
                    (None, n) => n,
                    (Some(Prop::Unknown { .. }), _) => continue,
                    (Some(_), n @ Prop::Unknown { .. }) => n,
                    (Some(Prop::Known { value: old, pointer }), Prop::Known { value: add, .. }) => match (&**old, &*add) {
                        (Value::Array(a), Value::Array(b)) => Prop::Known { value: shared_value(Value::Array(a.iter().chain(b).cloned().collect())), pointer: pointer.clone() },
                        _ => continue,
                    },
                };
                parent.props.insert(name, merged);
            }
            Merge::Sum => {
                let merged = match (parent.props.get(name), &new) {
                    (None, _) => new,
                    (Some(Prop::Known { value: a, pointer }), Prop::Known { value: b, .. }) => match (a.as_u64(), b.as_u64()) {
                        (Some(x), Some(y)) => Prop::known(x.saturating_add(y), pointer.clone()),
                        _ => continue,
                    },
                    (Some(Prop::Unknown { .. }), _) => continue,
                    (Some(_), Prop::Unknown { .. }) => new,
                };
                parent.props.insert(name, merged);
            }
            Merge::Policy => {
                let keep = matches!(new, Prop::Unknown { .. }) && parent.props.get(name).and_then(Prop::value).is_some_and(|v| !v.is_null());
                if !keep {
                    parent.props.insert(name, new);
                }
            }
            Merge::Ingress => {
                let (entries, pointer) = match new {
                    Prop::Known { value, pointer } if value.is_array() => match Arc::unwrap_or_clone(value) {
                        Value::Array(a) => (a, pointer),
                        _ => (Vec::new(), pointer),
                    },
                    // A rule whose content is not known: an allow entry with unknown sources.
                    Prop::Known { pointer, .. } | Prop::Unknown { pointer, .. } => (vec![entry(None, None, None, "allow", None)], pointer),
                };
                let tagged = entries.into_iter().map(|mut e| {
                    if let Value::Object(o) = &mut e {
                        o.insert("rule".into(), Value::String(child.id.to_string()));
                    }
                    e
                });
                match parent.props.get_mut(name) {
                    Some(Prop::Known { value, .. }) if value.is_array() => {
                        if let Value::Array(list) = Arc::make_mut(value) {
                            list.extend(tagged);
                        }
                    }
                    _ => {
                        parent.props.insert(name, Prop::known(Value::Array(tagged.collect()), pointer));
                    }
                }
            }
        }
    }
    child.kind = Text::interned("other");
}

fn merge_or(old: &Prop, new: Prop) -> Prop {
    let is_true = Prop::is_true;
    match (old, &new) {
        (o, _) if is_true(o) => old.clone(),
        (_, n) if is_true(n) => new,
        (Prop::Unknown { .. }, Prop::Known { .. }) => new,
        (Prop::Known { .. }, Prop::Unknown { .. }) => new,
        _ => old.clone(),
    }
}

fn map_one(file: &str, raw: &Raw, cfg: Option<&Value>, has_config: bool, configs: &ConfigIndex) -> Resource {
    let base = Pointer::from(raw.res_ptr.as_str());
    let v = V { val: Some(raw.values), unk: raw.unknown, ptr: raw.val_ptr.clone(), base: base.clone() };
    let s = |k: &str| raw.values.get(k).and_then(Json::as_str).filter(|s| !s.is_empty());
    let display = s("name").or_else(|| s("bucket")).map(str::to_string).unwrap_or_else(|| match &raw.index {
        Some(k) => format!("{}[{k}]", raw.name),
        None => raw.name.to_string(),
    });
    let (region, account) = match raw.provider {
        Provider::Aws => {
            let region = s("region").map(str::to_string).or_else(|| configs.aws_region(cfg));
            let account = s("arn").and_then(|a| a.split(':').nth(4)).filter(|a| !a.is_empty()).map(str::to_string).or_else(|| s("owner_id").map(str::to_string));
            (region, account)
        }
        Provider::Azure => (s("location").map(str::to_string), s("id").and_then(|id| arm_id_parts(id).0)),
        Provider::Gcp => (s("region").or_else(|| s("zone")).or_else(|| s("location")).map(str::to_string), s("project").map(str::to_string)),
        Provider::Kubernetes | Provider::Other => (None, None),
    };
    let mut r = Resource {
        provider: raw.provider,
        kind: Text::interned("other"),
        native_type: Text::interned(raw.rtype),
        id: raw.address.clone().into(),
        name: display.into(),
        region: region.map(|s| Text::interned(&s)),
        account: account.map(|s| Text::interned(&s)),
        source: SourceRef { file: Text::interned(file), pointer: base, line: None },
        props: Default::default(),
    };
    let src = Src { v, cfg, has_config, new: raw.new };
    let kind = map_props(raw.rtype, &src, &mut Out { r: &mut r });
    r.kind = Text::interned(kind);
    r
}

// ---------------------------------------------------------------------------
// Per-type mapping.

fn map_props(rtype: &str, s: &Src, o: &mut Out) -> &'static str {
    let v = &s.v;
    match rtype {
        // ---- AWS
        "aws_s3_bucket" => {
            s3_bucket(s, o);
            "object_bucket"
        }
        "aws_s3_bucket_server_side_encryption_configuration" => {
            let rule = v.block("rule");
            match rule.state() {
                St::Unknown => {
                    o.put("encryption_at_rest", Some(rule.unknown()));
                    o.put("encryption_key", Some(rule.unknown()));
                }
                _ => sse_default(s, &rule.block("apply_server_side_encryption_by_default"), &["rule", "apply_server_side_encryption_by_default", "kms_master_key_id"], o),
            }
            "other"
        }
        "aws_s3_bucket_versioning" => {
            o.put("versioning", v.block("versioning_configuration").get("status").prop(|x| x.as_str().map(|t| Value::Bool(t.eq_ignore_ascii_case("enabled")))));
            "other"
        }
        "aws_s3_bucket_public_access_block" => {
            o.put("public_access_blocked", all_true(v, &["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"]));
            o.put("public_access_block", public_access_flags(v));
            "other"
        }
        "aws_s3_bucket_logging" => {
            let target = v.get("target_bucket");
            o.put("access_logging", Some(s.is_set(&target, &["target_bucket"])));
            o.str("access_logging_target", &target);
            "other"
        }
        // Bucket IAM (joined onto `google_storage_bucket`): public when a member
        // is allUsers / allAuthenticatedUsers.
        "google_storage_bucket_iam_member" => {
            o.put("public_read", v.get("member").prop(|x| x.as_str().map(|m| Value::Bool(gcs_public_member(m)))));
            "other"
        }
        "google_storage_bucket_iam_binding" => {
            o.put("public_read", v.get("members").prop(|x| x.as_array().map(|a| Value::Bool(a.iter().filter_map(Json::as_str).any(gcs_public_member)))));
            "other"
        }
        "google_storage_bucket_iam_policy" => {
            let public = |doc: &Value| {
                doc.get("bindings").and_then(Value::as_array).is_some_and(|b| {
                    b.iter().any(|binding| binding.get("members").and_then(Value::as_array).is_some_and(|m| m.iter().filter_map(Value::as_str).any(gcs_public_member)))
                })
            };
            o.put("public_read", v.get("policy_data").prop(|x| x.as_str().and_then(|t| serde_json::from_str::<Value>(t).ok()).map(|doc| Value::Bool(public(&doc)))));
            "other"
        }
        "aws_s3_bucket_acl" => {
            let mut sig = Vec::new();
            acl_signals(v, &mut sig);
            let grants: Vec<V> = v.block("access_control_policy").get("grant").items();
            for g in grants {
                sig.push(grant_public(&g));
            }
            o.put("public_read", fold_or(sig));
            "other"
        }
        "aws_s3_bucket_policy" => {
            o.put("bucket_policy", policy_doc(&v.get("policy")));
            "other"
        }
        "aws_s3_bucket_object_lock_configuration" => {
            o.put("object_lock", v.get("object_lock_enabled").prop(|x| x.as_str().map(|t| Value::Bool(t.eq_ignore_ascii_case("enabled")))).or(Some(v.known(true))));
            "other"
        }
        "aws_security_group" => {
            o.put("ingress", aws_sg_ingress(&v.get("ingress")));
            "firewall"
        }
        "aws_security_group_rule" => {
            match v.get("type").str() {
                Some(t) if t.eq_ignore_ascii_case("ingress") => {
                    let e = aws_perm(v, "protocol", &["cidr_blocks", "ipv6_cidr_blocks"]);
                    o.put("ingress", Some(v.known(Value::Array(vec![e]))));
                }
                Some(_) => o.put("ingress", Some(v.known(Value::Array(Vec::new())))),
                None => o.put("ingress", Some(v.get("type").unknown())),
            }
            "firewall"
        }
        "aws_vpc_security_group_ingress_rule" => {
            let e = aws_perm(v, "ip_protocol", &["cidr_ipv4", "cidr_ipv6"]);
            o.put("ingress", Some(v.known(Value::Array(vec![e]))));
            "firewall"
        }
        "aws_instance" => {
            let mo = v.get("metadata_options");
            if s.left_to_provider(&mo, &["metadata_options"]) {
                o.default(dflt::EC2_IMDS, "imdsv2_required", &mo);
            } else {
                o.put("imdsv2_required", imdsv2(&mo));
            }
            o.bool("public_ip", &v.get("associate_public_ip_address"));
            let root = v.block("root_block_device");
            o.bool("disk_encryption", &root.get("encrypted"));
            if let St::Known(Json::Bool(true)) = root.get("encrypted").state() {
                o.put("encryption_key", s.key_kind(&root.get("kms_key_id"), &["root_block_device", "kms_key_id"]));
            }
            o.bool("detailed_monitoring", &v.get("monitoring"));
            "virtual_machine"
        }
        "aws_ebs_volume" => {
            o.bool("encryption_at_rest", &v.get("encrypted"));
            if let St::Known(Json::Bool(true)) = v.get("encrypted").state() {
                o.put("encryption_key", s.key_kind(&v.get("kms_key_id"), &["kms_key_id"]));
            }
            "block_volume"
        }
        "aws_db_instance" => {
            let enc = v.get("storage_encrypted");
            if s.left_to_provider(&enc, &["storage_encrypted"]) {
                o.default(dflt::RDS_ENCRYPTION, "encryption_at_rest", &enc);
            } else {
                o.bool("encryption_at_rest", &enc);
            }
            if let St::Known(Json::Bool(true)) = v.get("storage_encrypted").state() {
                o.put("encryption_key", s.key_kind(&v.get("kms_key_id"), &["kms_key_id"]));
            }
            o.bool_or("publicly_accessible", &v.get("publicly_accessible"), false);
            o.num("backup_retention_days", &v.get("backup_retention_period"));
            o.bool("multi_az", &v.get("multi_az"));
            o.bool_or("deletion_protection", &v.get("deletion_protection"), false);
            o.bool_or("auto_minor_version_upgrade", &v.get("auto_minor_version_upgrade"), true);
            "database"
        }
        "aws_kms_key" => {
            let rot = v.get("enable_key_rotation");
            o.bool_or("rotation_enabled", &rot, false);
            match v.get("rotation_period_in_days").state() {
                St::Absent if matches!(rot.state(), St::Known(x) if loose_bool(x) == Some(true)) => o.set("rotation_period_days", 365, &rot.ptr),
                _ => o.num("rotation_period_days", &v.get("rotation_period_in_days")),
            }
            o.bool_or("enabled", &v.get("is_enabled"), true);
            let dw = v.get("deletion_window_in_days");
            o.put("deletion_window_days", dw.prop(num_of).or_else(|| Some(dw.known(30))));
            // A policy the configuration does not set is KMS's default (the account only): `null`.
            let kp = v.get("policy");
            match kp.state() {
                St::Unknown if !configured(s.cfg, &["policy"]) && s.has_config => o.put("key_policy", Some(v.known(Value::Null))),
                _ => o.put("key_policy", policy_doc(&kp)),
            }
            "kms_key"
        }
        "aws_cloudtrail" => {
            o.bool_or("multi_region", &v.get("is_multi_region_trail"), false);
            o.bool_or("log_file_validation", &v.get("enable_log_file_validation"), false);
            o.put("kms_encrypted", Some(s.is_set(&v.get("kms_key_id"), &["kms_key_id"])));
            o.bool_or("logging_enabled", &v.get("enable_logging"), true);
            o.put("cloudwatch_integration", Some(s.is_set(&v.get("cloud_watch_logs_group_arn"), &["cloud_watch_logs_group_arn"])));
            "audit_trail"
        }
        "aws_vpc" => "network",
        "aws_flow_log" => {
            let target = ["vpc_id", "subnet_id", "eni_id", "transit_gateway_id", "transit_gateway_attachment_id"]
                .iter()
                .map(|k| v.get(k))
                .find(|t| !matches!(t.state(), St::Absent) && !matches!(t.state(), St::Known(Json::String(x)) if x.is_empty()));
            if let Some(t) = target {
                o.str("target_id", &t);
            }
            o.str("traffic_type", &v.get("traffic_type"));
            "flow_log"
        }
        "aws_iam_user" => {
            iam_principal(s, o);
            "iam_user"
        }
        "aws_iam_group" => {
            iam_principal(s, o);
            "iam_group"
        }
        "aws_iam_policy" => {
            let e = policy_entry("managed", v.get("name").str(), v.get("arn").str(), &v.get("policy"));
            o.put("policies", Some(v.get("policy").known(Value::Array(vec![e]))));
            "iam_policy"
        }
        "aws_iam_role" => {
            iam_role(s, o);
            "iam_role"
        }
        "aws_iam_user_policy" | "aws_iam_role_policy" | "aws_iam_group_policy" => {
            let e = policy_entry("inline", v.get("name").str(), None, &v.get("policy"));
            o.put("policies", Some(v.known(Value::Array(vec![e]))));
            o.put("inline_policy_count", Some(v.known(1)));
            "other"
        }
        "aws_iam_user_policy_attachment" | "aws_iam_role_policy_attachment" | "aws_iam_group_policy_attachment" => {
            attachment(s, o, rtype);
            "other"
        }
        "aws_eks_cluster" => {
            eks(s, o);
            "k8s_cluster"
        }
        // ---- Azure
        "azurerm_storage_account" => {
            azure_storage(s, o);
            "storage_account"
        }
        "azurerm_storage_account_network_rules" => {
            let action = v.get("default_action");
            o.put("network_default_deny", action.prop(|a| a.as_str().map(|a| Value::Bool(a.eq_ignore_ascii_case("deny")))));
            "other"
        }
        "azurerm_storage_container" => {
            let t = v.get("container_access_type");
            if s.left_to_provider(&t, &["container_access_type"]) {
                o.default(dflt::AZURE_CONTAINER, "public_access", &t);
            } else {
                o.put("public_access", t.prop(|x| x.as_str().map(|a| Value::String(if a.eq_ignore_ascii_case("private") { "none".into() } else { a.to_ascii_lowercase() }))));
            }
            "blob_container"
        }
        "azurerm_network_security_group" => {
            let rules = v.get("security_rule");
            let p = match rules.state() {
                St::Known(_) => Some(rules.known(Value::Array(rules.items().iter().flat_map(azure_rule).collect()))),
                St::Unknown => Some(rules.unknown()),
                St::Absent => None,
            };
            o.put("ingress", p);
            "firewall"
        }
        "azurerm_network_security_rule" => {
            o.put("ingress", Some(v.known(Value::Array(azure_rule(v)))));
            "firewall"
        }
        "azurerm_sql_firewall_rule" | "azurerm_mssql_firewall_rule" | "azurerm_postgresql_firewall_rule" | "azurerm_mysql_firewall_rule" | "azurerm_mariadb_firewall_rule" => {
            o.str("start_ip", &v.get("start_ip_address"));
            o.str("end_ip", &v.get("end_ip_address"));
            "db_firewall_rule"
        }
        "azurerm_mssql_server" | "azurerm_sql_server" => {
            o.str("min_tls_version", &v.get("minimum_tls_version"));
            o.bool_or("publicly_accessible", &v.get("public_network_access_enabled"), true);
            "database"
        }
        "azurerm_managed_disk" => {
            o.set("encryption_at_rest", true, &v.ptr);
            o.put("encryption_key", Some(s.is_set(&v.get("disk_encryption_set_id"), &["disk_encryption_set_id"])).map(customer_if_set));
            "block_volume"
        }
        "azurerm_linux_virtual_machine" | "azurerm_windows_virtual_machine" | "azurerm_virtual_machine" => {
            azure_vm(s, o, rtype);
            "virtual_machine"
        }
        "azurerm_key_vault" => {
            o.bool_or("purge_protection", &v.get("purge_protection_enabled"), false);
            let sd = v.get("soft_delete_enabled");
            o.bool_or("soft_delete", &sd, true);
            let acls = v.get("network_acls");
            o.put("network_default_deny", default_deny(&acls));
            "key_vault"
        }
        "azurerm_key_vault_key" => {
            let pol = v.get("rotation_policy");
            let auto = pol.block("automatic");
            match pol.state() {
                St::Unknown => o.put("rotation_enabled", Some(pol.unknown())),
                St::Known(_) if !matches!(auto.state(), St::Absent) => {
                    o.put("rotation_enabled", Some(auto.known(true)));
                    o.put("rotation_period_days", auto.get("time_after_creation").prop(|x| x.as_str().and_then(iso_days).map(num)));
                }
                _ => o.put("rotation_enabled", Some(pol.known(false))),
            }
            o.bool_or("enabled", &v.get("enabled"), true);
            "kms_key"
        }
        "azurerm_kubernetes_cluster" => {
            aks(s, o);
            "k8s_cluster"
        }
        // ---- Google
        "google_storage_bucket" => {
            o.bool("uniform_access", &v.get("uniform_bucket_level_access"));
            o.put("public_access_blocked", v.get("public_access_prevention").prop(|x| x.as_str().map(|p| Value::Bool(p.eq_ignore_ascii_case("enforced")))));
            let ver = v.get("versioning");
            match ver.state() {
                St::Known(Json::Array(a)) if a.is_empty() => o.put("versioning", Some(ver.known(false))),
                _ => o.bool("versioning", &ver.at(0).get("enabled")),
            }
            o.present("access_logging", &v.get("logging"));
            o.set("encryption_at_rest", true, &v.ptr);
            let key = v.block("encryption").get("default_kms_key_name");
            o.put("encryption_key", Some(s.is_set(&key, &["encryption", "default_kms_key_name"])).map(customer_if_set));
            o.put("retention_days", v.block("retention_policy").get("retention_period").prop(|x| loose_f64(x).map(|sec| num(sec / 86400.0))));
            "object_bucket"
        }
        "google_compute_firewall" => {
            gcp_firewall(v, o);
            "firewall"
        }
        "google_compute_subnetwork" => {
            let lc = v.get("log_config");
            let p = match lc.state() {
                St::Known(x) if non_empty(x) => Some(lc.known(true)),
                St::Unknown => Some(lc.unknown()),
                _ => match v.get("enable_flow_logs").state() {
                    St::Known(x) if loose_bool(x) == Some(true) => Some(v.get("enable_flow_logs").known(true)),
                    _ => Some(lc.known(false)),
                },
            };
            o.put("flow_logs", p);
            "network"
        }
        "google_compute_instance" => {
            gce_instance(s, o);
            "virtual_machine"
        }
        "google_compute_disk" => {
            o.set("encryption_at_rest", true, &v.ptr);
            let dek = v.block("disk_encryption_key");
            let p = ["kms_key_self_link", "raw_key", "rsa_encrypted_key"].iter().map(|k| s.is_set(&dek.get(k), &["disk_encryption_key", k])).fold(None::<Prop>, |acc, p| match acc {
                None => Some(p),
                Some(a) => Some(merge_or(&a, p)),
            });
            o.put("encryption_key", p.map(customer_if_set));
            "block_volume"
        }
        "google_kms_crypto_key" => {
            let rp = v.get("rotation_period");
            match rp.state() {
                St::Known(x) => match loose_f64(x) {
                    Some(sec) => {
                        o.put("rotation_enabled", Some(rp.known(true)));
                        o.put("rotation_period_days", Some(rp.known(num(sec / 86400.0))));
                    }
                    None => o.put("rotation_enabled", Some(rp.known(false))),
                },
                St::Unknown => {
                    o.put("rotation_enabled", Some(rp.unknown()));
                    o.put("rotation_period_days", Some(rp.unknown()));
                }
                St::Absent => o.put("rotation_enabled", Some(rp.known(false))),
            }
            "kms_key"
        }
        "google_sql_database_instance" => {
            cloud_sql(v, o);
            "database"
        }
        "google_container_cluster" => {
            gke(s, o);
            "k8s_cluster"
        }
        "google_project" => "project",
        _ => "other",
    }
}

fn customer_if_set(p: Prop) -> Prop {
    match p {
        Prop::Known { value, pointer } => Prop::known(if *value == Value::Bool(true) { "customer" } else { "provider" }, pointer),
        u => u,
    }
}

/// ISO 8601 duration (`P90D`, `P1Y`, `P3M`) → days.
fn iso_days(s: &str) -> Option<f64> {
    let body = s.trim().strip_prefix('P')?;
    let date = body.split('T').next().unwrap_or(body);
    let mut days = 0.0;
    let mut n = String::new();
    for c in date.chars() {
        if c.is_ascii_digit() || c == '.' {
            n.push(c);
            continue;
        }
        let x: f64 = n.parse().ok()?;
        n.clear();
        days += x * match c {
            'Y' => 365.0,
            'M' => 30.0,
            'W' => 7.0,
            'D' => 1.0,
            _ => return None,
        };
    }
    Some(days)
}

/// All flags known true → true; any known false → false; else unknown.
fn all_true(v: &V, keys: &[&str]) -> Option<Prop> {
    let mut unknown = None;
    for k in keys {
        let f = v.get(k);
        match f.state() {
            St::Known(x) if loose_bool(x) == Some(true) => {}
            St::Unknown => unknown = Some(f.unknown()),
            _ => return Some(f.known(false)),
        }
    }
    Some(unknown.unwrap_or_else(|| v.known(true)))
}

/// Fold tri-state signals: any true → true, else any unknown → unknown, else false.
fn fold_or(sig: Vec<Option<Prop>>) -> Option<Prop> {
    sig.into_iter().flatten().fold(None, |acc, p| match acc {
        None => Some(p),
        Some(a) => Some(merge_or(&a, p)),
    })
}

/// `aws_s3_bucket`. Settings the plan leaves to S3 for a bucket it creates
/// take S3's defaults (`ingest::defaults`); the provider v4 split resources
/// joined later replace them.
fn s3_bucket(s: &Src, o: &mut Out) {
    let v = &s.v;
    let conf = v.get("server_side_encryption_configuration");
    match conf.state() {
        St::Known(x) if non_empty(x) => {
            let rule = conf.at(0).block("rule");
            sse_default(s, &rule.block("apply_server_side_encryption_by_default"), &["server_side_encryption_configuration", "rule", "apply_server_side_encryption_by_default", "kms_master_key_id"], o);
        }
        // SSE-S3 applies to every bucket since 2023-01-05, created now or not.
        St::Known(_) | St::Absent => s3_default_encryption(o, &conf),
        St::Unknown if s.left_to_provider(&conf, &["server_side_encryption_configuration"]) => s3_default_encryption(o, &conf),
        St::Unknown => {
            o.put("encryption_at_rest", Some(conf.unknown()));
            o.put("encryption_key", Some(conf.unknown()));
        }
    }
    let ver = v.get("versioning");
    match ver.state() {
        _ if s.left_to_provider(&ver, &["versioning"]) => o.default(dflt::S3_VERSIONING, "versioning", &ver),
        St::Known(Json::Array(a)) if a.is_empty() => o.put("versioning", Some(ver.known(false))),
        St::Absent => {}
        _ => o.bool("versioning", &ver.at(0).get("enabled")),
    }
    let logging = v.get("logging");
    match logging.state() {
        _ if s.left_to_provider(&logging, &["logging"]) => o.default(dflt::S3_ACCESS_LOGGING, "access_logging", &logging),
        St::Absent => {}
        _ => {
            o.present("access_logging", &logging);
            o.str("access_logging_target", &logging.at(0).get("target_bucket"));
        }
    }
    // Block Public Access is a resource of its own (joined later); S3 turns
    // it on for buckets created since April 2023.
    if s.new {
        o.default(dflt::S3_BLOCK_PUBLIC_ACCESS, "public_access_blocked", v);
    }
    let mut sig = Vec::new();
    let (acl, grant) = (v.get("acl"), v.get("grant"));
    if s.left_to_provider(&acl, &["acl"]) && s.left_to_provider(&grant, &["grant"]) {
        sig.push(dflt::prop(dflt::S3_ACLS_DISABLED, "public_read", if acl.val.is_some() { acl.pointer() } else { acl.base.clone() }));
    } else {
        acl_signals(v, &mut sig);
        for g in grant.items() {
            sig.push(g.get("uri").prop(|x| x.as_str().map(|u| Value::Bool(public_grantee(u)))));
        }
        if matches!(grant.state(), St::Unknown) {
            sig.push(Some(grant.unknown()));
        }
    }
    let pol = v.get("policy");
    if s.left_to_provider(&pol, &["policy"]) {
        // A new bucket's computed `policy` that the configuration does not set: the
        // bucket is created without a policy (a separate `aws_s3_bucket_policy` joins later).
        // Points at the attribute when the plan has it, else at the bucket.
        let at = if pol.val.is_some() { pol.pointer() } else { pol.base.clone() };
        o.put("bucket_policy", Some(Prop::Known { value: shared_value(Value::Null), pointer: at }));
    } else if v.val.is_some_and(|x| x.get("policy").is_some()) || matches!(pol.state(), St::Unknown) {
        o.put("bucket_policy", policy_doc(&pol));
    }
    o.put("public_read", fold_or(sig));
    let lock = v.get("object_lock_enabled");
    let olc = v.get("object_lock_configuration");
    match lock.state() {
        _ if s.left_to_provider(&lock, &["object_lock_enabled"]) && s.left_to_provider(&olc, &["object_lock_configuration"]) => {
            o.default(dflt::S3_OBJECT_LOCK, "object_lock", &lock)
        }
        St::Absent | St::Unknown if !matches!(olc.state(), St::Absent) => match olc.state() {
            St::Known(Json::Array(a)) if a.is_empty() => o.put("object_lock", Some(olc.known(false))),
            _ => o.put("object_lock", olc.at(0).get("object_lock_enabled").prop(|x| x.as_str().map(|t| Value::Bool(t.eq_ignore_ascii_case("enabled"))))),
        },
        St::Absent => {}
        _ => o.bool("object_lock", &lock),
    }
}

/// S3's default encryption (SSE-S3), at `at`.
fn s3_default_encryption(o: &mut Out, at: &V) {
    for name in ["encryption_at_rest", "encryption_key", "encryption_algorithm"] {
        o.default(dflt::S3_ENCRYPTION, name, at);
    }
}

/// The four Block Public Access flags as an object (each `true`, `false`, or
/// `null` when unknown or not set).
fn public_access_flags(v: &V) -> Option<Prop> {
    let flag = |k: &str| match v.get(k).state() {
        St::Known(x) => loose_bool(x),
        _ => None,
    };
    let flags = [flag("block_public_acls"), flag("ignore_public_acls"), flag("block_public_policy"), flag("restrict_public_buckets")];
    Some(Prop::Known { value: super::util::public_access_flags(flags), pointer: v.pointer() })
}

/// `apply_server_side_encryption_by_default` block → encryption props.
fn sse_default(s: &Src, by_default: &V, key_path: &[&str], o: &mut Out) {
    let alg = by_default.get("sse_algorithm");
    match alg.state() {
        St::Known(x) => {
            let a = x.as_str().unwrap_or("").to_ascii_lowercase();
            o.put("encryption_at_rest", Some(alg.known(!a.is_empty())));
            if !a.is_empty() {
                o.str("encryption_algorithm", &alg);
            }
            // The key id is the evidence of `encryption_key` (its pointer).
            if a.starts_with("aws:kms") {
                o.put("encryption_key", s.key_kind(&by_default.get("kms_master_key_id"), key_path));
            } else if !a.is_empty() {
                o.put("encryption_key", Some(alg.known("provider")));
            }
        }
        St::Unknown => {
            o.put("encryption_at_rest", Some(alg.unknown()));
            o.put("encryption_key", Some(alg.unknown()));
        }
        // A configuration that names no algorithm: S3's own default applies.
        St::Absent => s3_default_encryption(o, by_default),
    }
}

/// A GCP IAM member that means everyone.
fn gcs_public_member(m: &str) -> bool {
    m == "allUsers" || m == "allAuthenticatedUsers"
}

fn public_grantee(uri: &str) -> bool {
    uri.contains("/global/AllUsers") || uri.contains("/global/AuthenticatedUsers")
}

fn acl_signals(v: &V, sig: &mut Vec<Option<Prop>>) {
    sig.push(v.get("acl").prop(|x| x.as_str().map(|a| Value::Bool(matches!(a, "public-read" | "public-read-write" | "authenticated-read")))));
}

fn grant_public(g: &V) -> Option<Prop> {
    g.block("grantee").get("uri").prop(|x| x.as_str().map(|u| Value::Bool(public_grantee(u))))
}

// ---- IAM policy documents: stated as documents and attachments, judged in `checks::policy`.

/// A policy attribute (JSON string or object) → its canonical document;
/// `null` when absent or empty; unknown when known after apply or unreadable.
fn policy_doc(v: &V) -> Option<Prop> {
    match v.state() {
        St::Known(Json::String(t)) if t.trim().is_empty() => Some(v.known(Value::Null)),
        St::Known(x) => Some(super::aws_iam::document_prop(&x.to_value(), &v.pointer().text())),
        St::Unknown => Some(v.unknown()),
        // Evidence points at the object that lacks the attribute.
        St::Absent => {
            let parent = v.ptr.rsplit_once('/').map_or("", |(p, _)| p);
            Some(Prop::Known { value: shared_value(Value::Null), pointer: Pointer::within(&v.base, parent) })
        }
    }
}

/// A `policies` entry for a policy attribute.
fn policy_entry(kind: &str, name: Option<&str>, arn: Option<&str>, v: &V) -> Value {
    let pointer = v.pointer().text().into_owned();
    let why = match v.state() {
        St::Known(x) => return super::aws_iam::entry(kind, name, arn, &pointer, Some(&x.to_value())),
        St::Unknown => UNKNOWN,
        St::Absent => "no policy document",
    };
    let mut e = super::aws_iam::entry(kind, name, arn, &pointer, None);
    if let Value::Object(o) = &mut e {
        o.insert("unknown".into(), Value::String(why.into()));
    }
    e
}

/// `aws_iam_user` / `aws_iam_group`: their policies are separate resources
/// (`aws_iam_*_policy`, `_policy_attachment`), joined onto them; with the
/// plan's configuration at hand those are all there are, so the lists start
/// empty. Without it (a state alone) they are left unstated.
fn iam_principal(s: &Src, o: &mut Out) {
    if s.has_config {
        let v = &s.v;
        o.put("policies", Some(v.known(Value::Array(Vec::new()))));
        o.put("managed_policy_arns", Some(v.known(Value::Array(Vec::new()))));
        o.put("inline_policy_count", Some(v.known(0)));
    }
}

/// `aws_iam_role`: inline policy blocks, managed policy ARNs, trust policy.
/// A computed (unknown) list the configuration does not set is what the
/// plan's own `aws_iam_role_policy` / `_attachment` resources make it: those
/// are joined, so it counts as empty here.
fn iam_role(s: &Src, o: &mut Out) {
    let v = &s.v;
    let mut entries = Vec::new();
    let computed = |attr: &str| !configured(s.cfg, &[attr]) && s.has_config;
    let ip = v.get("inline_policy");
    match ip.state() {
        St::Unknown if computed("inline_policy") => {}
        St::Unknown => entries.push(policy_entry("inline", None, None, &ip)),
        _ => {
            for b in ip.items() {
                let (name, pol) = (b.get("name").str(), b.get("policy"));
                // The provider writes an empty block for a role without inline policies.
                let empty = name.is_none_or(str::is_empty) && matches!(pol.state(), St::Known(Json::String(t)) if t.is_empty());
                if !empty {
                    entries.push(policy_entry("inline", name, None, &pol));
                }
            }
        }
    }
    let arns = v.get("managed_policy_arns");
    match arns.state() {
        St::Known(Json::Array(a)) => {
            for (i, x) in a.iter().enumerate() {
                let p = arns.at(i).pointer().text().into_owned();
                entries.push(match x.as_str() {
                    Some(arn) => serde_json::json!({"kind": "managed", "arn": arn, "pointer": p}),
                    None => serde_json::json!({"kind": "managed", "pointer": p, "unknown": UNKNOWN}),
                });
            }
            o.put("managed_policy_arns", Some(arns.known(Value::Array(a.iter().map(Json::to_value).collect()))));
        }
        St::Unknown if computed("managed_policy_arns") => o.put("managed_policy_arns", Some(arns.known(Value::Array(Vec::new())))),
        St::Unknown => {
            entries.push(serde_json::json!({"kind": "managed", "pointer": arns.pointer().text(), "unknown": UNKNOWN}));
            o.put("managed_policy_arns", Some(arns.unknown()));
        }
        _ => o.put("managed_policy_arns", Some(arns.known(Value::Array(Vec::new())))),
    }
    o.put("policies", Some(v.known(Value::Array(entries))));
    o.put("trust_policy", policy_doc(&v.get("assume_role_policy")));
}

/// `aws_iam_*_policy_attachment`: one managed policy entry (with the address
/// of the plan's `aws_iam_policy` it references, resolved after the joins by
/// [`resolve_managed_policies`]) and its ARN.
fn attachment(s: &Src, o: &mut Out, rtype: &str) {
    let v = &s.v;
    let pa = v.get("policy_arn");
    let pointer = pa.pointer().text().into_owned();
    let mut e = match pa.state() {
        St::Known(Json::String(a)) => serde_json::json!({"kind": "managed", "arn": a, "pointer": pointer}),
        _ => serde_json::json!({"kind": "managed", "pointer": pointer, "unknown": UNKNOWN}),
    };
    let module = o.r.id.rsplit_once(&format!("{rtype}.")).map(|(m, _)| m.to_string()).unwrap_or_default();
    let target = references(s.cfg, "policy_arn").into_iter().filter_map(ref_target).find(|(t, _, _)| *t == "aws_iam_policy");
    if let (Some((t, n, _)), Value::Object(m)) = (target, &mut e) {
        m.insert("ref".into(), Value::String(format!("{}{t}.{n}", strip_keys(&module))));
    }
    // An ARN known only after apply is still one attachment: the list is
    // known, its element says what it will be.
    let arn = match (pa.str(), e.get("ref").and_then(Value::as_str)) {
        (Some(a), _) => a.to_string(),
        (None, Some(r)) => format!("{r}.arn ({UNKNOWN})"),
        (None, None) => format!("({UNKNOWN})"),
    };
    o.put("policies", Some(v.known(Value::Array(vec![e]))));
    o.put("managed_policy_arns", Some(pa.known(Value::Array(vec![Value::String(arn)]))));
}

/// Give each principal's managed policy entry the document of the plan's
/// `aws_iam_policy` it names (by ARN, or by configuration reference when the
/// ARN is known only after apply). A join, like the others: nothing is judged.
fn resolve_managed_policies(out: &mut [Resource]) {
    let mut by_key: FastMap<String, Option<Value>> = FastMap::default();
    for r in out.iter().filter(|r| r.native_type == "aws_iam_policy") {
        let Some(Value::Array(es)) = r.prop("policies").and_then(Prop::value) else { continue };
        let Some(e) = es.first() else { continue };
        let base = strip_keys(&r.id);
        // Two instances (count / for_each) under one address: ambiguous by reference.
        by_key.entry(format!("ref:{base}")).and_modify(|x| *x = None).or_insert_with(|| Some(e.clone()));
        if let Some(arn) = e.get("arn").and_then(Value::as_str) {
            by_key.insert(format!("arn:{arn}"), Some(e.clone()));
        }
    }
    if by_key.is_empty() {
        return;
    }
    for r in out.iter_mut().filter(|r| matches!(r.kind.as_str(), "iam_user" | "iam_role" | "iam_group")) {
        let Some(Prop::Known { value, .. }) = r.props.get_mut("policies") else { continue };
        let Value::Array(entries) = Arc::make_mut(value) else { continue };
        for e in entries.iter_mut().filter(|e| e.get("document").is_none()) {
            let found = [("arn", "arn:"), ("ref", "ref:")]
                .iter()
                .find_map(|(k, prefix)| e.get(*k).and_then(Value::as_str).and_then(|x| by_key.get(&format!("{prefix}{x}"))).cloned().flatten());
            if let Some(mut policy) = found {
                if let (Value::Object(m), Some(p)) = (&mut policy, e.get("pointer").cloned()) {
                    m.insert("attachment".into(), p);
                }
                *e = policy;
            }
        }
    }
}

// ---- Firewalls.

fn proto_norm(p: &str) -> String {
    match p.trim().to_ascii_lowercase().as_str() {
        "-1" | "all" | "*" | "any" => "all".into(),
        "6" | "tcp" => "tcp".into(),
        "17" | "udp" => "udp".into(),
        "1" | "58" | "icmp" | "icmpv6" => "icmp".into(),
        other => other.to_string(),
    }
}

/// Collect sources from attributes that are strings or lists of strings;
/// `None` when unknown and none of the known ones is open.
fn sources(views: &[V]) -> Option<Vec<Value>> {
    let mut out = Vec::new();
    let mut unknown = false;
    let mut add = |s: &str| {
        if !s.trim().is_empty() {
            out.push(Value::String(normalise_source(s)));
        }
    };
    for v in views {
        match v.state() {
            St::Known(Json::String(s)) => add(s),
            St::Known(Json::Array(_)) => {
                for item in v.items() {
                    match item.state() {
                        St::Known(Json::String(s)) => add(s),
                        St::Unknown => unknown = true,
                        _ => {}
                    }
                }
            }
            St::Unknown => unknown = true,
            _ => {}
        }
    }
    let open = out.iter().any(|s| s.as_str().is_some_and(super::util::is_open_source));
    if unknown && !open {
        None
    } else {
        Some(out)
    }
}

fn entry(protocol: Option<String>, ports: Option<(u16, u16)>, src: Option<Vec<Value>>, action: &str, priority: Option<Value>) -> Value {
    let mut e = Map::new();
    if let Some(p) = &protocol {
        e.insert("protocol".into(), Value::String(p.clone()));
    }
    if protocol.as_deref() != Some("icmp") {
        if let Some((f, t)) = ports {
            e.insert("from_port".into(), Value::from(f));
            e.insert("to_port".into(), Value::from(t));
        }
    }
    if let Some(s) = src {
        e.insert("sources".into(), Value::Array(s));
    }
    e.insert("action".into(), Value::String(action.into()));
    if let Some(p) = priority {
        e.insert("priority".into(), p);
    }
    Value::Object(e)
}

/// One AWS permission (inline ingress block or a rule resource).
fn aws_perm(v: &V, proto_key: &str, cidr_keys: &[&str]) -> Value {
    let protocol = v.get(proto_key).str().map(proto_norm);
    let ports = if protocol.as_deref() == Some("all") {
        Some((0, 65535))
    } else {
        match (v.get("from_port").state(), v.get("to_port").state()) {
            (St::Known(f), St::Known(t)) => match (port_range(f), port_range(t)) {
                (Some((a, _)), Some((_, b))) => Some((a, b)),
                _ => None,
            },
            _ => None,
        }
    };
    let views: Vec<V> = cidr_keys.iter().map(|k| v.get(k)).collect();
    entry(protocol, ports, sources(&views), "allow", None)
}

fn aws_sg_ingress(list: &V) -> Option<Prop> {
    match list.state() {
        St::Known(_) => Some(list.known(Value::Array(list.items().iter().map(|i| aws_perm(i, "protocol", &["cidr_blocks", "ipv6_cidr_blocks"])).collect()))),
        St::Unknown => Some(list.unknown()),
        St::Absent => None,
    }
}

/// Azure NSG rule (inline `security_rule` item or a rule resource) → inbound entries.
fn azure_rule(v: &V) -> Vec<Value> {
    let dir = v.get("direction").str().unwrap_or("Inbound");
    if !dir.eq_ignore_ascii_case("inbound") {
        return Vec::new();
    }
    let action = match v.get("access").str() {
        Some(a) if a.eq_ignore_ascii_case("deny") => "deny",
        _ => "allow",
    };
    let protocol = v.get("protocol").str().map(proto_norm);
    let priority = match v.get("priority").state() {
        St::Known(x) => num_of(x),
        _ => None,
    };
    let src = sources(&[v.get("source_address_prefix"), v.get("source_address_prefixes")]);
    let mut ranges: Vec<Option<(u16, u16)>> = Vec::new();
    let mut unknown_ports = false;
    for pv in [v.get("destination_port_range"), v.get("destination_port_ranges")] {
        match pv.state() {
            St::Known(x @ Json::String(s)) if !s.trim().is_empty() => ranges.push(port_range(x)),
            St::Known(Json::Array(_)) => {
                for item in pv.items() {
                    match item.state() {
                        St::Known(x) => ranges.push(port_range(x)),
                        St::Unknown => unknown_ports = true,
                        St::Absent => {}
                    }
                }
            }
            St::Unknown => unknown_ports = true,
            _ => {}
        }
    }
    if ranges.is_empty() || unknown_ports {
        ranges.push(None);
    }
    ranges.into_iter().map(|r| entry(protocol.clone(), r, src.clone(), action, priority.clone())).collect()
}

fn gcp_firewall(v: &V, o: &mut Out) {
    let dir = v.get("direction");
    let egress = dir.str().is_some_and(|d| d.eq_ignore_ascii_case("egress"));
    let disabled = matches!(v.get("disabled").state(), St::Known(x) if loose_bool(x) == Some(true));
    let mut entries = Vec::new();
    if !egress && !disabled {
        let src_ranges = v.get("source_ranges");
        let src = match src_ranges.state() {
            St::Absent => {
                let other = ["source_tags", "source_service_accounts"].iter().any(|k| match v.get(k).state() {
                    St::Known(x) => non_empty(x),
                    St::Unknown => true,
                    St::Absent => false,
                });
                // Documented default: no source at all means 0.0.0.0/0.
                Some(if other { Vec::new() } else { vec![Value::String("0.0.0.0/0".into())] })
            }
            _ => sources(&[src_ranges]),
        };
        let priority = match v.get("priority").state() {
            St::Known(x) => num_of(x),
            _ => None,
        };
        for (key, action) in [("allow", "allow"), ("deny", "deny")] {
            for b in v.get(key).items() {
                let protocol = b.get("protocol").str().map(proto_norm);
                let ports_v = b.get("ports");
                let mut ranges: Vec<Option<(u16, u16)>> = match ports_v.state() {
                    St::Known(Json::Array(a)) if a.is_empty() => vec![Some((0, 65535))],
                    St::Known(Json::Array(_)) => ports_v.items().iter().map(|p| if let St::Known(x) = p.state() { port_range(x) } else { None }).collect(),
                    St::Absent => vec![Some((0, 65535))],
                    _ => vec![None],
                };
                if ranges.is_empty() {
                    ranges.push(None);
                }
                for r in ranges {
                    entries.push(entry(protocol.clone(), r, src.clone(), action, priority.clone()));
                }
            }
        }
    }
    let allow = v.get("allow");
    if !egress && !disabled && matches!(allow.state(), St::Unknown) {
        o.put("ingress", Some(allow.unknown()));
    } else {
        o.put("ingress", Some(allow.known(Value::Array(entries))));
    }
    let lc = v.get("log_config");
    match lc.state() {
        St::Known(x) if non_empty(x) => o.put("logging", Some(lc.known(true))),
        _ => match v.get("enable_logging").state() {
            St::Known(x) => o.put("logging", Some(v.get("enable_logging").known(loose_bool(x) == Some(true)))),
            _ => o.present("logging", &lc),
        },
    }
}

// ---- Azure.

fn tls_version(s: &str) -> String {
    let t = s.trim();
    let t = t.strip_prefix("TLS").or_else(|| t.strip_prefix("tls")).unwrap_or(t);
    t.trim_start_matches(['_', 'v']).replace('_', ".")
}

fn default_deny(rules: &V) -> Option<Prop> {
    match rules.state() {
        St::Known(x) if non_empty(x) => rules.at(0).get("default_action").prop(|a| a.as_str().map(|a| Value::Bool(a.eq_ignore_ascii_case("deny")))),
        St::Known(_) | St::Absent => Some(rules.known(false)),
        St::Unknown => Some(rules.unknown()),
    }
}

/// `azurerm_storage_account`. Settings the plan leaves to Azure for an
/// account it creates take Azure's defaults (`ingest::defaults`).
fn azure_storage(s: &Src, o: &mut Out) {
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

fn azure_vm(s: &Src, o: &mut Out, rtype: &str) {
    let v = &s.v;
    match rtype {
        "azurerm_linux_virtual_machine" => o.bool_or("password_auth_disabled", &v.get("disable_password_authentication"), true),
        "azurerm_virtual_machine" => {
            let lc = v.get("os_profile_linux_config");
            if !lc.items().is_empty() {
                o.bool("password_auth_disabled", &lc.at(0).get("disable_password_authentication"));
            }
        }
        _ => {}
    }
    o.bool_or("secure_boot", &v.get("secure_boot_enabled"), false);
    o.set("disk_encryption", true, &v.ptr);
    let des = v.block("os_disk").get("disk_encryption_set_id");
    o.put("encryption_key", Some(customer_if_set(s.is_set(&des, &["os_disk", "disk_encryption_set_id"]))));
}

fn aks(s: &Src, o: &mut Out) {
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

// ---- Google.

fn gce_instance(s: &Src, o: &mut Out) {
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
        St::Unknown => o.put("serial_port_enabled", Some(md.unknown())),
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

fn cloud_sql(v: &V, o: &mut Out) {
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
    o.bool("publicly_accessible", &ip.get("ipv4_enabled"));
    let bc = settings.block("backup_configuration").get("enabled");
    if matches!(bc.state(), St::Known(x) if loose_bool(x) == Some(false)) {
        o.put("backup_retention_days", Some(bc.known(0)));
    }
    o.bool("deletion_protection", &v.get("deletion_protection"));
    o.set("encryption_at_rest", true, &v.ptr);
}

fn gke(s: &Src, o: &mut Out) {
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

/// `aws_eks_cluster`: the API server's public endpoint and who may reach it
/// (`master_authorized_networks`: the CIDRs, as the other clusters give them).
fn eks(s: &Src, o: &mut Out) {
    let v = &s.v;
    let vc = v.block("vpc_config");
    let public = vc.get("endpoint_public_access");
    if s.left_to_provider(&public, &["vpc_config", "endpoint_public_access"]) {
        o.default(dflt::EKS_ENDPOINT, "public_endpoint", &public);
    } else {
        o.bool("public_endpoint", &public);
    }
    let cidrs = vc.get("public_access_cidrs");
    match cidrs.state() {
        _ if s.left_to_provider(&cidrs, &["vpc_config", "public_access_cidrs"]) => o.default(dflt::EKS_CIDRS, "master_authorized_networks", &cidrs),
        St::Known(Json::Array(a)) => {
            let list: Vec<Value> = a.iter().filter_map(Json::as_str).map(|c| Value::String(normalise_source(c))).collect();
            o.put("master_authorized_networks", Some(cidrs.known(Value::Array(list))));
        }
        St::Unknown => o.put("master_authorized_networks", Some(cidrs.unknown())),
        _ => {}
    }
    o.present("logging_enabled", &v.get("enabled_cluster_log_types"));
}

fn imdsv2(mo: &V) -> Option<Prop> {
    match mo.state() {
        St::Known(x) if non_empty(x) => mo.at(0).get("http_tokens").prop(|t| t.as_str().map(|t| Value::Bool(t.eq_ignore_ascii_case("required")))),
        St::Known(_) => Some(mo.known(false)),
        St::Unknown => Some(mo.unknown()),
        St::Absent => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_and_references() {
        assert_eq!(strip_keys(r#"module.a[0].module.b["x]y"]"#), "module.a.module.b");
        assert_eq!(module_of("module.a.aws_s3_bucket.b[0]", "aws_s3_bucket", "b"), "module.a");
        assert_eq!(module_of("aws_s3_bucket.b", "aws_s3_bucket", "b"), "");
        assert_eq!(ref_target("aws_s3_bucket.b[0].id"), Some(("aws_s3_bucket", "b", Some("0"))));
        assert_eq!(ref_target("aws_s3_bucket.b"), Some(("aws_s3_bucket", "b", None)));
        assert_eq!(ref_target("var.x"), None);
        assert_eq!(provider_short("registry.terraform.io/hashicorp/aws"), "aws");
        assert_eq!(provider_short(r#"module.x.provider["registry.terraform.io/hashicorp/google"].alias"#), "google");
        assert_eq!(provider_short("provider.azurerm"), "azurerm");
        assert_eq!(iso_days("P90D"), Some(90.0));
        assert_eq!(tls_version("TLS1_2"), "1.2");
    }

    #[test]
    fn skipped_providers_are_named_as_providers_with_their_resource_types() {
        let mut foreign = BTreeMap::new();
        foreign.insert("null".to_string(), Foreign { count: 1, types: ["null_resource".to_string()].into() });
        let mut diags = Vec::new();
        foreign_note(&foreign, &mut diags);
        assert_eq!(
            diags[0].message,
            "1 resource was not assessed because only AWS, Azure, Google Cloud and Kubernetes resources are checked: \
             1 of the \"null\" provider (null_resource)"
        );
        foreign.insert(
            "random".to_string(),
            Foreign { count: 5, types: ["random_id", "random_integer", "random_password", "random_pet"].map(String::from).into() },
        );
        let mut diags = Vec::new();
        foreign_note(&foreign, &mut diags);
        let m = &diags[0].message;
        assert!(m.starts_with("6 resources were not assessed"), "{m}");
        assert!(m.ends_with("; 5 of the \"random\" provider (random_id, random_integer, random_password, …)"), "{m}");
        assert!(!m.contains("null (1)"), "{m}");
        let mut none = Vec::new();
        foreign_note(&BTreeMap::new(), &mut none);
        assert!(none.is_empty());
    }

    #[test]
    fn policy_attributes_become_documents() {
        let text = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;
        let values = Json::from_value(serde_json::json!({"policy": text, "empty": "", "bad": "{"}));
        let unk = Json::from_value(serde_json::json!({"late": true}));
        let v = V { val: Some(&values), unk: Some(&unk), ptr: "/after".into(), base: Pointer::default() };
        let doc = policy_doc(&v.get("policy")).unwrap();
        assert_eq!(doc.value().unwrap()["Statement"][0]["Action"], serde_json::json!(["*"]));
        assert_eq!(policy_doc(&v.get("empty")).unwrap().value(), Some(&Value::Null));
        assert_eq!(policy_doc(&v.get("absent")).unwrap().value(), Some(&Value::Null));
        assert!(matches!(policy_doc(&v.get("bad")), Some(Prop::Unknown { .. })));
        assert!(matches!(policy_doc(&v.get("late")), Some(Prop::Unknown { .. })));
        assert_eq!(policy_entry("inline", Some("p"), None, &v.get("late"))["unknown"], serde_json::json!(UNKNOWN));
    }
}
