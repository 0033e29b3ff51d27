//! Step 3: join the resources that only make sense as part of another one onto their parent.

use super::*;

/// How a joined child's property combines with the parent's.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Merge {
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
    /// Statements of a policy document: the child's are added to the parent's
    /// (a parent without a document takes the child's).
    Statements,
    /// A policy document: the child's replaces the parent's, unless the
    /// child's is unknown and the parent's is a known document.
    Policy,
}

/// How a child resource finds its parent.
pub(super) struct ChildSpec {
    /// Attribute naming the parent.
    pub(super) attr: &'static str,
    /// Value-index group of the parent.
    pub(super) group: &'static str,
    pub(super) parent_types: &'static [&'static str],
    pub(super) props: &'static [(&'static str, Merge)],
    /// Kind of the child when no parent is found.
    pub(super) orphan_kind: &'static str,
}

pub(super) const S3_TYPES: &[&str] = &["aws_s3_bucket"];
pub(super) const POLICIES: &[(&str, Merge)] = &[("policies", Merge::Append), ("managed_policy_arns", Merge::Append), ("inline_policy_count", Merge::Sum)];

pub(super) fn child_spec(rtype: &str) -> Option<ChildSpec> {
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
        "azurerm_storage_account_customer_managed_key" => ChildSpec {
            attr: "storage_account_id",
            group: "azsa",
            parent_types: &["azurerm_storage_account"],
            props: &[("encryption_key", Merge::Replace)],
            orphan_kind: "other",
        },
        "azurerm_mssql_server_extended_auditing_policy" => {
            ChildSpec { attr: "server_id", group: "azid", parent_types: &["azurerm_mssql_server"], props: &[("auditing_enabled", Merge::Replace)], orphan_kind: "other" }
        }
        "azurerm_mssql_server_transparent_data_encryption" => {
            ChildSpec { attr: "server_id", group: "azid", parent_types: &["azurerm_mssql_server"], props: &[("encryption_key", Merge::Replace)], orphan_kind: "other" }
        }
        "azurerm_postgresql_flexible_server_configuration" | "azurerm_mysql_flexible_server_configuration" => ChildSpec {
            attr: "server_id",
            group: "azid",
            parent_types: &["azurerm_postgresql_flexible_server", "azurerm_mysql_flexible_server"],
            props: &[("require_tls", Merge::Replace)],
            orphan_kind: "other",
        },
        "azurerm_monitor_diagnostic_setting" => ChildSpec {
            attr: "target_resource_id",
            group: "azid",
            parent_types: &["azurerm_key_vault", "azurerm_network_security_group"],
            props: &[("diagnostic_logs", Merge::Or)],
            orphan_kind: "other",
        },
        "google_storage_bucket_iam_member" | "google_storage_bucket_iam_binding" => ChildSpec {
            attr: "bucket",
            group: "gcs",
            parent_types: &["google_storage_bucket"],
            props: &[("public_read", Merge::Or), ("iam_bindings", Merge::Append)],
            orphan_kind: "other",
        },
        "google_storage_bucket_iam_policy" => ChildSpec {
            attr: "bucket",
            group: "gcs",
            parent_types: &["google_storage_bucket"],
            props: &[("public_read", Merge::Or), ("iam_bindings", Merge::Replace)],
            orphan_kind: "other",
        },
        t if t.starts_with("google_") && t.contains("_iam_") => return gcp_iam_child(t),
        "aws_security_group_rule" | "aws_vpc_security_group_ingress_rule" | "aws_vpc_security_group_egress_rule" => ChildSpec {
            attr: "security_group_id",
            group: "sg",
            parent_types: &["aws_security_group", "aws_default_security_group"],
            props: &[("ingress", Merge::Ingress), ("egress", Merge::Ingress)],
            orphan_kind: "firewall",
        },
        "aws_s3_bucket_replication_configuration" => s3(&[("replication", Merge::Replace)]),
        "aws_secretsmanager_secret_rotation" => ChildSpec {
            attr: "secret_id",
            group: "secret",
            parent_types: &["aws_secretsmanager_secret"],
            props: &[("rotation_enabled", Merge::Replace), ("rotation_period_days", Merge::Replace)],
            orphan_kind: "other",
        },
        "aws_secretsmanager_secret_policy" => ChildSpec {
            attr: "secret_arn",
            group: "secret",
            parent_types: &["aws_secretsmanager_secret"],
            props: &[("resource_policy", Merge::Policy)],
            orphan_kind: "other",
        },
        "aws_lambda_permission" => ChildSpec {
            attr: "function_name",
            group: "lambda",
            parent_types: &["aws_lambda_function"],
            props: &[("resource_policy", Merge::Statements)],
            orphan_kind: "other",
        },
        "aws_sqs_queue_policy" => ChildSpec { attr: "queue_url", group: "sqs", parent_types: &["aws_sqs_queue"], props: &[("resource_policy", Merge::Policy)], orphan_kind: "other" },
        "aws_sns_topic_policy" => ChildSpec { attr: "arn", group: "sns", parent_types: &["aws_sns_topic"], props: &[("resource_policy", Merge::Policy)], orphan_kind: "other" },
        "aws_ecr_repository_policy" => ChildSpec { attr: "repository", group: "ecr", parent_types: &["aws_ecr_repository"], props: &[("resource_policy", Merge::Policy)], orphan_kind: "other" },
        "aws_redshift_logging" => ChildSpec {
            attr: "cluster_identifier",
            group: "redshift",
            parent_types: &["aws_redshift_cluster"],
            props: &[("audit_logging", Merge::Replace)],
            orphan_kind: "other",
        },
        "azurerm_network_security_rule" => ChildSpec {
            attr: "network_security_group_name",
            group: "nsg",
            parent_types: &["azurerm_network_security_group"],
            props: &[("ingress", Merge::Ingress)],
            orphan_kind: "firewall",
        },
        "aws_flow_log" => ChildSpec { attr: "vpc_id", group: "vpc", parent_types: &["aws_vpc"], props: &[], orphan_kind: "flow_log" },
        "azurerm_network_watcher_flow_log" => {
            ChildSpec { attr: "target_resource_id", group: "azid", parent_types: &["azurerm_virtual_network"], props: &[], orphan_kind: "flow_log" }
        }
        "azurerm_private_endpoint" => ChildSpec {
            attr: "private_service_connection/0/private_connection_resource_id",
            group: "azid",
            parent_types: &["azurerm_storage_account", "azurerm_key_vault", "azurerm_mssql_server", "azurerm_sql_server"],
            props: &[("private_endpoint", Merge::Or)],
            orphan_kind: "other",
        },
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

/// IAM resources of Google Cloud joined onto what they grant access to:
/// `_iam_policy` states the whole policy, `_iam_member` and `_iam_binding` add to it.
fn gcp_iam_child(rtype: &str) -> Option<ChildSpec> {
    const APPEND: &[(&str, Merge)] = &[("iam_bindings", Merge::Append)];
    const REPLACE: &[(&str, Merge)] = &[("iam_bindings", Merge::Replace)];
    let props = if rtype.ends_with("_iam_policy") { REPLACE } else { APPEND };
    let (attr, group, parent_types, orphan_kind): (&str, &str, &'static [&'static str], &str) = match rtype.rsplit_once("_iam_")?.0 {
        "google_project" => ("project", "gproject", &["google_project"], "iam_binding"),
        "google_kms_crypto_key" => ("crypto_key_id", "gkms", &["google_kms_crypto_key"], "other"),
        "google_bigquery_dataset" => ("dataset_id", "gbq", &["google_bigquery_dataset"], "other"),
        "google_cloud_run_service" => ("service", "grun", &["google_cloud_run_service"], "other"),
        "google_cloud_run_v2_service" => ("name", "grun", &["google_cloud_run_v2_service"], "other"),
        "google_cloudfunctions_function" => ("cloud_function", "gfn", &["google_cloudfunctions_function"], "other"),
        "google_cloudfunctions2_function" => ("cloud_function", "gfn", &["google_cloudfunctions2_function"], "other"),
        _ => return None,
    };
    Some(ChildSpec { attr, group, parent_types, props, orphan_kind })
}

/// Keys under which a parent can be found by a child's attribute value.
pub(super) fn parent_keys(raw: &Raw) -> Vec<(&'static str, String)> {
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
        "aws_security_group" | "aws_default_security_group" => add("sg", s("id")),
        "aws_secretsmanager_secret" => {
            add("secret", s("arn"));
            add("secret", s("id"));
            add("secret", s("name"));
        }
        "aws_sqs_queue" => {
            add("sqs", s("url"));
            add("sqs", s("id"));
        }
        "aws_sns_topic" => {
            add("sns", s("arn"));
            add("sns", s("id"));
        }
        "aws_ecr_repository" => add("ecr", s("name")),
        "aws_lambda_function" => {
            add("lambda", s("function_name"));
            add("lambda", s("arn"));
        }
        "aws_redshift_cluster" => add("redshift", s("cluster_identifier")),
        "aws_vpc" => add("vpc", s("id")),
        "google_storage_bucket" => add("gcs", s("name")),
        "google_project" => add("gproject", s("project_id")),
        "google_kms_crypto_key" => add("gkms", s("id")),
        "google_bigquery_dataset" => add("gbq", s("dataset_id")),
        "google_cloud_run_service" | "google_cloud_run_v2_service" => add("grun", s("name")),
        "google_cloudfunctions_function" | "google_cloudfunctions2_function" => add("gfn", s("name")),
        "azurerm_storage_account" => {
            add("azsa", s("id"));
            add("azid", s("id").map(|i| i.to_ascii_lowercase()));
        }
        "azurerm_mssql_server" | "azurerm_sql_server" | "azurerm_key_vault" | "azurerm_postgresql_flexible_server" | "azurerm_mysql_flexible_server" | "azurerm_virtual_network" => {
            add("azid", s("id").map(|i| i.to_ascii_lowercase()))
        }
        "aws_iam_user" => add("iam_user", s("name")),
        "aws_iam_role" => add("iam_role", s("name")),
        "aws_iam_group" => add("iam_group", s("name")),
        "azurerm_network_security_group" => {
            add("azid", s("id").map(|i| i.to_ascii_lowercase()));
            if let (Some(n), Some(g)) = (s("name"), s("resource_group_name")) {
                add("nsg", Some(nsg_key(&n, &g)));
            }
        }
        _ => {}
    }
    out
}

pub(super) fn nsg_key(name: &str, rg: &str) -> String {
    format!("{}|{}", name.to_ascii_lowercase(), rg.to_ascii_lowercase())
}

/// What the joins need of one resource, kept after its values are gone.
pub(super) struct Link<'c> {
    pub(super) base: String,
    pub(super) index: Option<String>,
    pub(super) child: Option<Box<ChildLink<'c>>>,
}

/// A resource that joins onto a parent.
pub(super) struct ChildLink<'c> {
    pub(super) spec: ChildSpec,
    pub(super) address: String,
    pub(super) module: String,
    pub(super) cfg: Option<&'c Value>,
    /// The (non-empty) string value of `spec.attr`.
    pub(super) attr_value: Option<String>,
    /// `resource_group_name` (NSG rules).
    pub(super) rg: String,
}

/// Maps resources one at a time (step 2), then joins them (step 3).
pub(super) struct Builder<'c, 'f, 'x> {
    pub(super) file: &'f str,
    pub(super) configs: &'x ConfigIndex<'c>,
    pub(super) has_config: bool,
    pub(super) out: Vec<Resource>,
    pub(super) links: Vec<Link<'c>>,
    pub(super) by_value: FastMap<(&'static str, String), usize>,
}

impl<'c, 'f, 'x> Builder<'c, 'f, 'x> {
    pub(super) fn new(file: &'f str, configs: &'x ConfigIndex<'c>) -> Self {
        let has_config = !configs.resources.is_empty();
        Builder { file, configs, has_config, out: Vec::new(), links: Vec::new(), by_value: FastMap::default() }
    }

    /// Append the resources mapped by `next`, which follow these: a value
    /// both have keeps its first resource, as when added one by one.
    pub(super) fn append(&mut self, next: Builder<'c, 'f, 'x>) {
        let offset = self.out.len();
        for (k, i) in next.by_value {
            self.by_value.entry(k).or_insert(i + offset);
        }
        self.out.reserve_exact(next.out.len());
        self.out.extend(next.out);
        self.links.reserve_exact(next.links.len());
        self.links.extend(next.links);
    }

    pub(super) fn add(&mut self, raw: Raw) {
        let i = self.out.len();
        for k in parent_keys(&raw) {
            self.by_value.entry(k).or_insert(i);
        }
        let cfg = self.configs.of(&raw);
        self.out.push(map_one(self.file, &raw, cfg, self.has_config, self.configs));
        if raw.rtype == "google_container_cluster" {
            // A cluster's own node pools (inline `node_pool` blocks, or the
            // default pool its `node_config` describes) are pools like any other.
            for pool in super::gcp_services::inline_node_pools(self.file, &raw, cfg, self.has_config) {
                self.out.push(pool);
                self.links.push(Link { base: format!("{}/node_pool", raw.base), index: None, child: None });
            }
        }
        let child = child_spec(raw.rtype).map(|spec| {
            let attr_value = spec.attr.split('/').try_fold(raw.values, |v, k| match k.parse::<usize>() {
                Ok(i) => v.as_array().and_then(|a| a.get(i)),
                Err(_) => v.get(k),
            });
            let attr_value = attr_value.and_then(Json::as_str).filter(|s| !s.is_empty()).map(str::to_string);
            let rg = raw.values.get("resource_group_name").and_then(Json::as_str).unwrap_or("").to_string();
            Box::new(ChildLink { spec, address: raw.address, module: raw.module, cfg, attr_value, rg })
        });
        self.links.push(Link { base: raw.base, index: raw.index, child });
    }

    pub(super) fn finish(self, diags: &mut Vec<Diagnostic>) -> Vec<Resource> {
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
                        // A subscription's diagnostic setting has no parent here: it is folded below.
                        if spec.orphan_kind == "other" && !child.props.contains_key("subscription_scope") {
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
        crate::ingest::gcp_cai::project_os_login(
            &mut out,
            |r| matches!(r.native_type.as_str(), "google_compute_project_metadata" | "google_compute_project_metadata_item"),
            |r| r.native_type == "google_compute_instance",
        );
        crate::ingest::azure::services::fold_subscriptions(&mut out, &|r| r.props.contains_key("subscription_scope"), "the Terraform provider's subscription");
        for r in out.iter_mut().filter(|r| r.native_type == "azurerm_monitor_diagnostic_setting") {
            r.props.remove("subscription_scope");
        }
        out
    }
}

/// Two distinct elements, mutably.
pub(super) fn pair<T>(v: &mut [T], a: usize, b: usize) -> (Option<&mut T>, Option<&mut T>) {
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
pub(super) struct Bases<'r> {
    pub(super) count: FastMap<&'r str, usize>,
    pub(super) first: FastMap<&'r str, usize>,
    pub(super) instance: FastMap<(&'r str, &'r str), usize>,
}

pub(super) fn find_parent(link: &Link, c: &ChildLink, by_value: &FastMap<(&'static str, String), usize>, by_base: &Bases) -> Option<usize> {
    let spec = &c.spec;
    // By value.
    if let Some(v) = c.attr_value.as_deref() {
        let key = match spec.group {
            "nsg" => nsg_key(v, &c.rg),
            // Bucket IAM resources name their bucket `name` or `b/name`.
            "gcs" => v.strip_prefix("b/").unwrap_or(v).to_string(),
            // Project ids are written `p` or `projects/p`; services and functions by name or full path.
            "gproject" => v.strip_prefix("projects/").unwrap_or(v).to_string(),
            "grun" | "gfn" => v.rsplit('/').next().unwrap_or(v).to_string(),
            "azid" => v.to_ascii_lowercase(),
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

pub(super) fn join(child: &mut Resource, parent: &mut Resource, spec: &ChildSpec) {
    if child.native_type == "aws_flow_log" {
        let pointer = child.prop("target_id").map(|p| p.pointer().to_string()).unwrap_or_else(|| child.source.pointer.to_string());
        child.set("target_id", parent.id.to_string(), &pointer);
        parent.set("flow_logs", true, pointer);
        return;
    }
    if child.native_type == "azurerm_network_watcher_flow_log" {
        let pointer = child.prop("target_id").map(|p| p.pointer().to_string()).unwrap_or_else(|| child.source.pointer.to_string());
        child.set("target_id", parent.id.to_string(), &pointer);
        child.set("target_type", "virtual_network", &pointer);
        // A flow log that is off records nothing: the network's check finds it and says so.
        if child.prop("enabled").is_some_and(Prop::is_true) {
            parent.set("flow_logs", true, pointer);
        }
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
            Merge::Statements => {
                let merged = match (parent.props.get(name), new) {
                    (Some(Prop::Known { value: old, pointer }), Prop::Known { value: add, .. }) if !old.is_null() => {
                        Prop::Known { value: shared_value(crate::ingest::aws_keys::append_statements(old, &add)), pointer: pointer.clone() }
                    }
                    (Some(Prop::Unknown { .. }), _) => continue,
                    (_, n) => n,
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

pub(super) fn merge_or(old: &Prop, new: Prop) -> Prop {
    let is_true = Prop::is_true;
    match (old, &new) {
        (o, _) if is_true(o) => old.clone(),
        (_, n) if is_true(n) => new,
        (Prop::Unknown { .. }, Prop::Known { .. }) => new,
        (Prop::Known { .. }, Prop::Unknown { .. }) => new,
        _ => old.clone(),
    }
}

pub(super) fn map_one(file: &str, raw: &Raw, cfg: Option<&Value>, has_config: bool, configs: &ConfigIndex) -> Resource {
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
