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

mod arm;
mod builder;
mod mapper;
pub(super) mod network;
mod rest;
pub(super) mod services;
mod values;

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


pub(super) use arm::parse_template;
pub(super) use rest::parse_resources;
use builder::*;
use mapper::*;
use values::*;

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

