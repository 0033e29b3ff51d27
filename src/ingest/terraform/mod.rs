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

mod aws;
mod aws_services;
mod azure;
mod azure_services;
mod config;
mod firewall;
mod gcp;
mod gcp_services;
mod joins;
mod map;
mod view;
mod walk;

use aws::*;
use azure::*;
use azure_services as azs;
use config::*;
use firewall::*;
use gcp::*;
use gcp_services::*;
use joins::*;
use map::*;
use view::*;
use walk::*;


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
    (Provider::Aws, "message_queue"),
    (Provider::Aws, "notification_topic"),
    (Provider::Aws, "log_group"),
    (Provider::Aws, "secret"),
    (Provider::Aws, "container_registry"),
    (Provider::Aws, "nosql_table"),
    (Provider::Aws, "serverless_function"),
    (Provider::Aws, "search_domain"),
    (Provider::Aws, "api_stage"),
    (Provider::Aws, "api_method"),
    (Provider::Aws, "load_balancer"),
    (Provider::Aws, "lb_listener"),
    (Provider::Aws, "cache_cluster"),
    (Provider::Aws, "data_warehouse"),
    (Provider::Aws, "db_cluster"),
    (Provider::Aws, "launch_template"),
    (Provider::Aws, "subnet"),
    (Provider::Aws, "threat_detector"),
    (Provider::Aws, "config_recorder"),
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
    (Provider::Gcp, "object_bucket"),
    (Provider::Gcp, "firewall"),
    (Provider::Gcp, "network"),
    (Provider::Gcp, "virtual_machine"),
    (Provider::Gcp, "block_volume"),
    (Provider::Gcp, "kms_key"),
    (Provider::Gcp, "database"),
    (Provider::Gcp, "k8s_cluster"),
    (Provider::Gcp, "project"),
    (Provider::Gcp, "iam_binding"),
    (Provider::Gcp, "k8s_node_pool"),
    (Provider::Gcp, "vpc_network"),
    (Provider::Gcp, "dns_zone"),
    (Provider::Gcp, "log_bucket"),
    (Provider::Gcp, "dataset"),
    (Provider::Gcp, "serverless_service"),
    (Provider::Gcp, "function"),
    (Provider::Gcp, "service_account_key"),
    (Provider::Gcp, "log_sink"),
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
    /// An empty run with room for `n` resources: the first of several runs
    /// takes the others' resources on [`PlanPart::append`] without moving its own.
    pub(super) fn with_capacity(file: &'f str, config: &'x PlanConfig<'c>, n: usize) -> Self {
        let mut part = PlanPart::new(file, config);
        part.b.out.reserve_exact(n);
        part
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
