//! A plan's `configuration`: expressions and references, used to join resources whose keys are known only after apply.

use super::*;

// ---------------------------------------------------------------------------
// Plan configuration (expressions and references).

/// Configuration resources by `module.path.type.name` (module path without keys).
pub(super) struct ConfigIndex<'a> {
    pub(super) resources: FastMap<String, &'a Value>,
    pub(super) provider_config: Option<&'a Map<String, Value>>,
}

impl<'a> ConfigIndex<'a> {
    pub(super) fn new(cfg: Option<&'a Value>) -> Self {
        let mut ix = ConfigIndex { resources: FastMap::default(), provider_config: None };
        if let Some(cfg) = cfg {
            ix.provider_config = cfg.get("provider_config").and_then(Value::as_object);
            if let Some(root) = cfg.get("root_module") {
                ix.add_module(root, "");
            }
        }
        ix
    }

    pub(super) fn add_module(&mut self, m: &'a Value, path: &str) {
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

    pub(super) fn of(&self, raw: &Raw) -> Option<&'a Value> {
        self.resources.get(&format!("{}{}.{}", prefix(&strip_keys(&raw.module)), raw.rtype, raw.name)).copied()
    }

    /// Region set as a constant on the resource's AWS provider configuration.
    pub(super) fn aws_region(&self, cfg: Option<&Value>) -> Option<String> {
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
pub(super) fn configured(cfg: Option<&Value>, path: &[&str]) -> bool {
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
/// `attr` may be a path into blocks (`block/0/attr`).
pub(super) fn references<'a>(cfg: Option<&'a Value>, attr: &str) -> Vec<&'a str> {
    cfg.and_then(|c| c.get("expressions"))
        .and_then(|e| attr.split('/').try_fold(e, |v, k| match k.parse::<usize>() {
            Ok(i) => v.get(i),
            Err(_) => v.get(k),
        }))
        .and_then(|x| x.get("references"))
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

/// A managed-resource reference `type.name[key].attr` → (type, name, key).
pub(super) fn ref_target(r: &str) -> Option<(&str, &str, Option<&str>)> {
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
