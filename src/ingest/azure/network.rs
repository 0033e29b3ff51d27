//! Azure networking facts read alike from ARM templates and REST records:
//! virtual networks (`network`), Network Watcher flow logs (`flow_log`: what
//! they record and whether they are on) and private endpoints (the
//! `private_endpoint` fact of the storage accounts, Key Vaults and SQL
//! servers they connect to). Terraform's side is
//! `terraform/azure_services.rs`; `tests/consistency_gaps.rs` holds them to
//! the same verdicts.
//!
//! **Invariant:** a template's reference to another resource is resolved only
//! when it is `[resourceId('Type', 'name', …)]` with literal (or
//! parameter-default / variable) arguments, to the id the template's own
//! resource gets (`Type/name`); anything else stays unknown.

use super::{nsg_key, Field, Mapper, Resolver, Val};
use crate::inventory::{Prop, Resource, Text};
use serde_json::Value;
use std::borrow::Cow;

/// Split `a, b(c, d), 'e,f'` at its top-level commas.
fn top_level_args(s: &str) -> Vec<&str> {
    let (mut out, mut depth, mut quoted, mut start) = (Vec::new(), 0usize, false, 0usize);
    for (i, c) in s.char_indices() {
        match c {
            '\'' => quoted = !quoted,
            '(' if !quoted => depth += 1,
            ')' if !quoted => depth = depth.saturating_sub(1),
            ',' if !quoted && depth == 0 => {
                out.push(s.get(start..i).unwrap_or("").trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(s.get(start..).unwrap_or("").trim());
    out
}

impl<'a> Resolver<'a> {
    /// A reference to another resource: a runtime record's ARM id as written,
    /// or a template's `[resourceId(…)]` as the id of the template resource
    /// it names (`Microsoft.Network/virtualNetworks/vnet`).
    pub(super) fn reference(&self, v: &'a Value) -> Val<'a> {
        let Some(s) = v.as_str().filter(|_| self.template) else { return self.resolve(v) };
        let Some(inner) = s.trim().strip_prefix('[').and_then(|x| x.strip_suffix(']')).map(str::trim) else { return self.resolve(v) };
        let Some(args) = inner.get(..10).filter(|h| h.eq_ignore_ascii_case("resourceid")).and_then(|_| inner.get(10..)) else { return self.resolve(v) };
        let Some(args) = args.trim_start().strip_prefix('(').and_then(|a| a.strip_suffix(')')) else { return self.resolve(v) };
        let mut parts = Vec::new();
        for a in top_level_args(args) {
            let text = match a.strip_prefix('\'').and_then(|x| x.strip_suffix('\'')) {
                Some(lit) => lit.to_string(),
                None => match self.resolve(&Value::String(format!("[{a}]"))) {
                    Val::Known(x) => match x.as_str() {
                        Some(t) => t.to_string(),
                        None => return Val::Unknown(format!("unresolved ARM expression {s}")),
                    },
                    _ => return Val::Unknown(format!("unresolved ARM expression {s}")),
                },
            };
            parts.push(text);
        }
        // Leading subscription id and resource group arguments name where, not what.
        let Some(at) = parts.iter().position(|p| p.contains('/') && p.contains('.')) else { return Val::Unknown(format!("unresolved ARM expression {s}")) };
        match parts.get(at..) {
            Some(rest) if rest.len() >= 2 => Val::Known(Cow::Owned(Value::String(rest.join("/")))),
            _ => Val::Unknown(format!("unresolved ARM expression {s}")),
        }
    }
}

/// The canonical target type of a flow log from the target's id.
fn target_type(id: &str) -> Option<&'static str> {
    let t = id.to_ascii_lowercase();
    Some(if t.contains("/subnets/") {
        "subnet"
    } else if t.contains("microsoft.network/virtualnetworks/") {
        "virtual_network"
    } else if t.contains("microsoft.network/networksecuritygroups/") {
        "network_security_group"
    } else if t.contains("microsoft.network/networkinterfaces/") {
        "network_interface"
    } else {
        return None;
    })
}

impl<'r, 'a> Mapper<'r, 'a> {
    /// A reference field at `path`, resolved as [`Resolver::reference`].
    fn reference_field(&self, path: &[&str]) -> Field<'a> {
        let f = self.f(path);
        let raw = path.iter().try_fold(self.props, |v, k| v.get(*k));
        match (&f.val, raw) {
            (Val::Unknown(_), Some(v)) => Field { val: self.res.reference(v), ptr: f.ptr },
            _ => f,
        }
    }

    /// `Microsoft.Network/networkWatchers/flowLogs`: `target_id`,
    /// `target_type` (a VNet flow log names a virtual network, subnet or
    /// interface; an NSG flow log its NSG) and `enabled`.
    pub(super) fn flow_log(&self, res: &mut Resource) {
        res.kind = Text::interned("flow_log");
        let enabled = self.f(&["enabled"]);
        match enabled.prop_bool() {
            Some(p) => Self::put(res, "enabled", Some(p)),
            None if self.full => res.set_unknown("enabled", "the flow log does not say whether it is enabled", enabled.ptr.clone()),
            None => {}
        }
        let target = self.reference_field(&["targetResourceId"]);
        match &target.val {
            Val::Known(v) => match v.as_str() {
                Some(id) if !id.trim().is_empty() => {
                    res.set("target_id", id, target.ptr.clone());
                    match target_type(id) {
                        Some(t) => res.set("target_type", t, target.ptr.clone()),
                        None => res.set_unknown("target_type", format!("{id} is not a network, subnet, interface or NSG id"), target.ptr.clone()),
                    }
                }
                _ => res.set_unknown("target_id", "targetResourceId is not an id", target.ptr.clone()),
            },
            Val::Unknown(why) => {
                res.set_unknown("target_id", why, target.ptr.clone());
                res.set_unknown("target_type", why, target.ptr.clone());
            }
            Val::Absent if self.full => {
                res.set_unknown("target_id", "the flow log has no targetResourceId", target.ptr.clone());
                res.set_unknown("target_type", "the flow log has no targetResourceId", target.ptr.clone());
            }
            Val::Absent => {}
        }
    }

    /// The resources a `Microsoft.Network/privateEndpoints` connects to
    /// automatically (lower-case ids as [`super::Builder`] keys them): a
    /// runtime record's approved connections, a template's
    /// `privateLinkServiceConnections` (approved when made, since the
    /// deployer holds the rights on the target). Manual connections wait for
    /// the target's owner and are not counted.
    pub(super) fn private_endpoint_targets(&self) -> Vec<String> {
        let Some(list) = self.f(&["privateLinkServiceConnections"]).value().and_then(Value::as_array).cloned() else { return Vec::new() };
        let mut out = Vec::new();
        for c in &list {
            let p = c.get("properties").unwrap_or(c);
            let approved = match p.get("privateLinkServiceConnectionState").and_then(|s| s.get("status")).and_then(Value::as_str) {
                Some(s) => s.eq_ignore_ascii_case("approved"),
                None => true,
            };
            let Some(target) = p.get("privateLinkServiceId") else { continue };
            if let (true, Val::Known(t)) = (approved, self.res.reference(target)) {
                if let Some(id) = t.as_str() {
                    out.push(nsg_key(id));
                }
            }
        }
        out
    }

    /// `private_endpoint` of a storage account, Key Vault or SQL server: a
    /// runtime record's `privateEndpointConnections` (one approved is
    /// enough); a template's own private endpoints are joined onto it, so it
    /// starts at `false` (a template does not write the read-only list).
    pub(super) fn private_endpoint(&self, res: &mut Resource) {
        let f = self.f(&["privateEndpointConnections"]);
        if self.res.template {
            res.set("private_endpoint", false, self.pp.clone());
            return;
        }
        match f.value() {
            Some(Value::Array(list)) => {
                let approved = list.iter().position(|c| {
                    let p = c.get("properties").unwrap_or(c);
                    p.get("privateLinkServiceConnectionState").and_then(|s| s.get("status")).and_then(Value::as_str).is_some_and(|s| s.eq_ignore_ascii_case("approved"))
                });
                match approved {
                    Some(i) => res.set("private_endpoint", true, format!("{}/{i}", f.ptr)),
                    None => res.set("private_endpoint", false, f.ptr.clone()),
                }
            }
            Some(other) => res.set_unknown("private_endpoint", format!("privateEndpointConnections is not a list: {other}"), f.ptr.clone()),
            None if self.full => res.props.insert("private_endpoint", Prop::unknown("the record does not list its private endpoint connections", f.ptr.clone())).map_or((), |_| ()),
            None => {}
        }
    }
}
