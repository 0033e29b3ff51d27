//! Step 1: collect every managed resource instance of a plan, state or raw state.

use super::*;

// ---------------------------------------------------------------------------
// Step 1: collect resource instances.

/// One managed resource instance as found in the document, before mapping.
pub(super) struct Raw<'a> {
    pub(super) address: String,
    /// Address without the instance key (`module.m[0].aws_s3_bucket.b`).
    pub(super) base: String,
    /// Module instance address, empty at the root.
    pub(super) module: String,
    pub(super) index: Option<String>,
    pub(super) rtype: &'a str,
    pub(super) name: &'a str,
    pub(super) provider: Provider,
    pub(super) values: &'a Json<'a>,
    pub(super) unknown: Option<&'a Json<'a>>,
    pub(super) res_ptr: String,
    pub(super) val_ptr: String,
    /// Created by this plan (a `create` or a replacement, or a plan's
    /// `planned_values`): what it leaves out is the provider's default for a
    /// new resource. Otherwise a snapshot of a live resource (state, or a
    /// plan's update / no-op), whose absent attributes are not defaulted.
    pub(super) new: bool,
}

pub(super) struct Collect<'a, 'f> {
    pub(super) file: &'f str,
    pub(super) raws: Vec<Raw<'a>>,
    pub(super) diags: Vec<Diagnostic>,
    /// Providers we do not assess → their resources.
    pub(super) foreign: BTreeMap<String, Foreign>,
    /// The document is a state (live resources), not a plan.
    pub(super) live: bool,
}

impl<'a> Collect<'a, '_> {
    pub(super) fn warn(&mut self, pointer: &str, message: String) {
        self.diags.push(Diagnostic {
            level: DiagnosticLevel::Warning,
            message,
            source: Some(SourceRef { file: self.file.to_string().into(), pointer: pointer.to_string().into(), line: None }),
        });
    }

    /// Plan `resource_changes[]`.
    pub(super) fn changes(&mut self, list: &'a [Json<'a>]) {
        for (i, rc) in list.iter().enumerate() {
            if let Some(raw) = self.change(i, rc) {
                self.raws.push(raw);
            }
        }
    }

    /// One element of `resource_changes`.
    pub(super) fn change<'v>(&mut self, i: usize, rc: &'v Json<'v>) -> Option<Raw<'v>> {
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
    pub(super) fn module(&mut self, m: &'a Json<'a>, p: String, module: &str) {
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
    pub(super) fn raw_state(&mut self, list: &'a [Json<'a>]) {
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
    pub(super) fn raw<'v>(&mut self, r: &'v Json<'v>, module: Option<&str>, index: Option<&Json>, values: &'v Json<'v>, unknown: Option<&'v Json<'v>>, res_ptr: String, val_ptr: String) -> Option<Raw<'v>> {
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
    pub(super) fn provider_of(&mut self, provider_name: Option<&str>, rtype: &str) -> Option<Provider> {
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
pub(super) fn provider_short(p: &str) -> String {
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
pub(super) fn index_text(v: &Json) -> Option<String> {
    match v {
        Json::Number(n) => Some(n.to_string()),
        Json::String(s) => serde_json::to_string(s).ok(),
        _ => None,
    }
}

pub(super) fn prefix(module: &str) -> String {
    if module.is_empty() {
        String::new()
    } else {
        format!("{module}.")
    }
}

/// The module part of a resource address (`module.a.aws_x.y[0]` → `module.a`).
pub(super) fn module_of(address: &str, rtype: &str, name: &str) -> String {
    let needle = format!("{rtype}.{name}");
    match address.rfind(&needle) {
        Some(i) if i > 0 => address.get(..i - 1).unwrap_or("").to_string(),
        _ => String::new(),
    }
}

/// Remove instance keys from an address (`module.a[0].module.b["k"]` → `module.a.module.b`).
pub(super) fn strip_keys(addr: &str) -> String {
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
