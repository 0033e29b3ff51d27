//! The providers' documented defaults, as data (`defaults.toml`, embedded by
//! `build.rs` as JSON and read once): what a provider does when a plan or a
//! template leaves a setting out (`ARCHITECTURE.md`, "What an absent setting
//! means"). Parsers never type a default themselves; they ask this table
//! ([`prop`]) for the property, which then carries its basis.
//!
//! A property that rests on a default holds the entry's own shared value (one
//! `Arc` per entry and property): [`basis_of`] recognises it by address, so
//! the inventory and the findings carry the basis without a byte more per
//! property or per finding.
//!
//! **Invariant:** every entry names its source and whether it was verified;
//! `tests` below lint the table (ids, providers, canonical property names,
//! dates, https sources). **Invariant:** loading never panics: a table that
//! does not read (impossible once the tests pass) is empty, and parsers then
//! leave the property out (unknown), never guess.

use crate::inventory::{canonical_name, Pointer, Prop};
use serde::Deserialize;
use serde_json::Value;
use std::sync::{Arc, OnceLock};

mod data {
    include!(concat!(env!("OUT_DIR"), "/defaults_data.rs"));
}

/// Which resources an entry is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AppliesTo {
    /// Resources created now: a plan's `create`, a template.
    New,
    /// Every resource, whenever it was created (snapshots too).
    All,
}

/// One documented default.
#[derive(Debug)]
pub struct ProviderDefault {
    /// Stable token (`s3_versioning_off`).
    pub id: String,
    /// `aws`, `azure` or `gcp`.
    pub provider: String,
    /// Native resource types it is used for.
    pub types: Vec<String>,
    /// New resources only, or all.
    pub applies_to: AppliesTo,
    /// Canonical property → the value the default gives (shared: see [`basis_of`]).
    /// Empty when the default cannot be known from the input.
    pub values: Vec<(&'static str, Arc<Value>)>,
    /// `always`, or the date it took effect.
    pub since: String,
    /// What the provider does when the setting is left out, in one sentence.
    pub says: String,
    /// The provider's documentation.
    pub source: String,
    /// When the entry was last checked against its source; `None`: unverified.
    pub verified: Option<String>,
}

impl ProviderDefault {
    /// The evidence note: "not set — {says}".
    pub fn note(&self) -> String {
        format!("not set — {}", self.says)
    }
}

/// An entry of the table, by position (stable within one build).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DefaultId(u16);

impl DefaultId {
    /// The entry.
    pub fn get(self) -> Option<&'static ProviderDefault> {
        table().entries.get(usize::from(self.0))
    }
    /// Its stable token.
    pub fn token(self) -> &'static str {
        self.get().map(|d| d.id.as_str()).unwrap_or("")
    }
    /// The entry whose token is `id`.
    pub fn find(id: &str) -> Option<DefaultId> {
        table().entries.iter().position(|d| d.id == id).and_then(|i| u16::try_from(i).ok()).map(DefaultId)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    version: u32,
    #[serde(rename = "default")]
    defaults: Vec<RawDefault>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDefault {
    id: String,
    provider: String,
    types: Vec<String>,
    applies_to: AppliesTo,
    #[serde(default)]
    values: serde_json::Map<String, Value>,
    since: String,
    says: String,
    source: String,
    verified: String,
}

struct Table {
    entries: Vec<ProviderDefault>,
    /// Address of each shared value → its entry.
    by_value: Vec<(usize, DefaultId)>,
    problems: Vec<String>,
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| load(data::DEFAULTS_JSON))
}

fn load(json: &str) -> Table {
    let mut problems = Vec::new();
    let raw: RawFile = match serde_json::from_str(json) {
        Ok(r) => r,
        Err(e) => {
            return Table { entries: Vec::new(), by_value: Vec::new(), problems: vec![format!("defaults.toml does not read: {e}")] };
        }
    };
    if raw.version != 1 {
        problems.push(format!("defaults.toml version {} is not 1", raw.version));
    }
    let mut entries = Vec::new();
    let mut by_value = Vec::new();
    for d in raw.defaults {
        let mut values = Vec::new();
        for (k, v) in d.values {
            match canonical_name(&k) {
                Some(name) => values.push((name, Arc::new(v))),
                None => problems.push(format!("{}: {k} is not a canonical property (docs/inventory.md)", d.id)),
            }
        }
        let Ok(index) = u16::try_from(entries.len()) else {
            problems.push("more than 65,535 defaults".into());
            break;
        };
        for (_, v) in &values {
            by_value.push((Arc::as_ptr(v) as usize, DefaultId(index)));
        }
        let verified = (d.verified != "unverified").then_some(d.verified);
        entries.push(ProviderDefault {
            id: d.id,
            provider: d.provider,
            types: d.types,
            applies_to: d.applies_to,
            values,
            since: d.since,
            says: d.says,
            source: d.source,
            verified,
        });
    }
    by_value.sort_unstable();
    Table { entries, by_value, problems }
}

/// The entries parsers use, by token (one constant each, so no parser
/// spells a token twice).
pub(crate) const S3_ENCRYPTION: &str = "s3_default_encryption_sse_s3";
pub(crate) const S3_BLOCK_PUBLIC_ACCESS: &str = "s3_block_public_access_new_buckets";
pub(crate) const S3_ACLS_DISABLED: &str = "s3_acls_disabled_new_buckets";
pub(crate) const S3_VERSIONING: &str = "s3_versioning_off";
pub(crate) const S3_ACCESS_LOGGING: &str = "s3_access_logging_off";
pub(crate) const S3_OBJECT_LOCK: &str = "s3_object_lock_off";
pub(crate) const EKS_ENDPOINT: &str = "eks_endpoint_public_open";
pub(crate) const EKS_CIDRS: &str = "eks_public_access_cidrs_open";
pub(crate) const RDS_ENCRYPTION: &str = "rds_storage_not_encrypted";
pub(crate) const EC2_IMDS: &str = "ec2_imds_depends_on_ami_and_account";
// AWS services.
pub(crate) const S3_REPLICATION: &str = "s3_replication_off";
pub(crate) const APIGW_METHOD_AUTH: &str = "apigateway_method_no_authorization";
pub(crate) const SG_DEFAULT_EGRESS: &str = "ec2_sg_default_egress_all";
pub(crate) const EBS_DEFAULT_KEY: &str = "ebs_default_kms_key_account_setting";
pub(crate) const RDS_DEFAULT_KEY: &str = "rds_default_key_aws_rds";
pub(crate) const SQS_SSE: &str = "sqs_sse_sqs_new_queues";
pub(crate) const SNS_UNENCRYPTED: &str = "sns_topic_unencrypted";
pub(crate) const LOGS_ENCRYPTION: &str = "logs_group_service_encryption";
pub(crate) const LOGS_RETENTION: &str = "logs_group_never_expire";
pub(crate) const SECRETS_KEY: &str = "secretsmanager_default_key";
pub(crate) const SECRETS_ROTATION: &str = "secretsmanager_rotation_off";
pub(crate) const ECR_ENCRYPTION: &str = "ecr_default_aes256";
pub(crate) const ECR_SCAN: &str = "ecr_scan_on_push_off";
pub(crate) const ECR_MUTABLE: &str = "ecr_tags_mutable";
pub(crate) const DYNAMODB_KEY: &str = "dynamodb_aws_owned_key";
pub(crate) const DYNAMODB_PITR: &str = "dynamodb_pitr_off";
pub(crate) const DYNAMODB_DELETION: &str = "dynamodb_deletion_protection_off";
pub(crate) const LAMBDA_ENV_KEY: &str = "lambda_env_default_key";
pub(crate) const SEARCH_AT_REST: &str = "opensearch_encryption_at_rest_off";
pub(crate) const SEARCH_NODE_TO_NODE: &str = "opensearch_node_to_node_off";
pub(crate) const SEARCH_HTTPS: &str = "opensearch_https_not_enforced";
pub(crate) const APIGW_ACCESS_LOGS: &str = "apigateway_access_logging_off";
pub(crate) const LB_ACCESS_LOGS: &str = "elb_access_logs_off";
pub(crate) const LB_INVALID_HEADERS: &str = "alb_invalid_headers_forwarded";
pub(crate) const LB_DELETION: &str = "elb_deletion_protection_off";
pub(crate) const ELASTICACHE_AT_REST: &str = "elasticache_at_rest_off";
pub(crate) const ELASTICACHE_TRANSIT: &str = "elasticache_transit_off";
pub(crate) const REDSHIFT_ENCRYPTION: &str = "redshift_encrypted_new_clusters";
pub(crate) const REDSHIFT_PRIVATE: &str = "redshift_private_new_clusters";
pub(crate) const REDSHIFT_AUDIT_LOGS: &str = "redshift_audit_logging_off";
pub(crate) const DB_CLUSTER_ENCRYPTION: &str = "db_cluster_not_encrypted";
pub(crate) const DB_CLUSTER_DELETION: &str = "db_cluster_deletion_protection_off";
pub(crate) const DB_CLUSTER_BACKUP: &str = "db_cluster_backup_one_day";
pub(crate) const SUBNET_PUBLIC_IP: &str = "ec2_subnet_no_public_ip_on_launch";
pub(crate) const CONFIG_RECORDER_ALL: &str = "config_recorder_all_supported";
pub(crate) const EKS_SECRETS_KEY: &str = "eks_secrets_no_customer_key";
pub(crate) const AZURE_HTTPS: &str = "azure_storage_https_only";
pub(crate) const AZURE_BLOB_PUBLIC: &str = "azure_storage_no_anonymous_blob_access";
pub(crate) const AZURE_NETWORK: &str = "azure_storage_network_allow";
pub(crate) const AZURE_SOFT_DELETE: &str = "azure_blob_soft_delete_off";
pub(crate) const AZURE_ENCRYPTION: &str = "azure_storage_encrypted";
pub(crate) const AZURE_CONTAINER: &str = "azure_blob_container_private";
pub(crate) const AKS_ENDPOINT: &str = "aks_public_api_server";
pub(crate) const GKE_ENDPOINT: &str = "gke_public_endpoint";
pub(crate) const GCS_PUBLIC_ACCESS: &str = "gcs_public_access_prevention_inherited";
pub(crate) const GCS_VERSIONING: &str = "gcs_versioning_off";
pub(crate) const GCS_UNIFORM: &str = "gcs_uniform_access_off";
pub(crate) const GKE_RELEASE_CHANNEL: &str = "gke_release_channel_regular";
pub(crate) const GKE_NODE_MANAGEMENT: &str = "gke_node_auto_repair_upgrade_on";
pub(crate) const GKE_NODE_IMAGE: &str = "gke_node_image_cos_containerd";
pub(crate) const GKE_LEGACY_METADATA: &str = "gke_legacy_metadata_endpoints_off";
pub(crate) const KMS_PROTECTION: &str = "kms_protection_level_software";
pub(crate) const DNS_DNSSEC: &str = "dns_dnssec_off";
// Azure services.
pub(crate) const AZ_FLEX_TLS: &str = "azure_flexible_server_require_tls";
pub(crate) const AZ_BLOB_VERSIONING: &str = "azure_blob_versioning_off";
pub(crate) const AZ_COSMOS_KEY: &str = "azure_cosmos_service_managed_key";
pub(crate) const AZ_ACR_ADMIN: &str = "azure_acr_admin_user_off";
pub(crate) const AZ_ACR_ANON: &str = "azure_acr_anonymous_pull_off";
pub(crate) const AZ_ACR_PUBLIC: &str = "azure_acr_public_network";
pub(crate) const AZ_AKS_UPGRADE: &str = "azure_aks_auto_upgrade_none";
pub(crate) const AZ_KV_SOFT_DELETE: &str = "azure_key_vault_soft_delete_on";
pub(crate) const AZ_DISK_SSE: &str = "azure_managed_disk_sse";
pub(crate) const AZ_SQL_ADMIN: &str = "azure_sql_no_entra_admin";
pub(crate) const AZ_SQL_AUDIT: &str = "azure_sql_auditing_off";
pub(crate) const AZ_SQL_TDE: &str = "azure_sql_tde_service_managed";
pub(crate) const AZ_NO_DIAG: &str = "azure_no_diagnostic_settings";
pub(crate) const AZ_TLS12: &str = "azure_storage_tls12_enforced";
pub(crate) const AZ_SHARED_KEY: &str = "azure_storage_shared_key_allowed";
pub(crate) const AZ_INFRA_ENC: &str = "azure_storage_infrastructure_encryption_off";
pub(crate) const AZ_CONTAINER_SOFT_DELETE: &str = "azure_container_soft_delete_off";
pub(crate) const AZ_CROSS_TENANT: &str = "azure_storage_cross_tenant_replication_off";
pub(crate) const AZ_SAS_POLICY: &str = "azure_storage_no_sas_policy";
pub(crate) const AZ_KV_RBAC: &str = "azure_key_vault_access_policies";
pub(crate) const AZ_KV_PUBLIC: &str = "azure_key_vault_public_network";
pub(crate) const AZ_SQL_PUBLIC: &str = "azure_sql_public_network";
pub(crate) const AZ_FLEX_PUBLIC: &str = "azure_flexible_server_public_access";
pub(crate) const AZ_FLEX_GEO: &str = "azure_flexible_server_geo_backup_off";
pub(crate) const AZ_FLEX_BACKUP: &str = "azure_flexible_server_backup_7_days";
pub(crate) const AZ_APP_HTTPS: &str = "azure_app_service_http_allowed";
pub(crate) const AZ_APP_TLS: &str = "azure_app_service_tls12";
pub(crate) const AZ_APP_DEBUG: &str = "azure_app_service_remote_debugging_off";
pub(crate) const AZ_AKS_LOCAL: &str = "azure_aks_local_accounts_on";
pub(crate) const AZ_COSMOS_PUBLIC: &str = "azure_cosmos_public_network";
pub(crate) const AZ_COSMOS_META: &str = "azure_cosmos_key_metadata_writes";
pub(crate) const AZ_COSMOS_LOCAL: &str = "azure_cosmos_local_auth_on";
pub(crate) const AZ_LAW_RETENTION: &str = "azure_log_analytics_retention_30";

/// Every (entry, property) a parser asks for (checked by the tests).
#[cfg(test)]
pub(crate) const USED: &[(&str, &str)] = &[
    (S3_ENCRYPTION, "encryption_at_rest"),
    (S3_ENCRYPTION, "encryption_key"),
    (S3_ENCRYPTION, "encryption_algorithm"),
    (S3_BLOCK_PUBLIC_ACCESS, "public_access_blocked"),
    (S3_ACLS_DISABLED, "public_read"),
    (S3_VERSIONING, "versioning"),
    (S3_ACCESS_LOGGING, "access_logging"),
    (S3_OBJECT_LOCK, "object_lock"),
    (EKS_ENDPOINT, "public_endpoint"),
    (EKS_CIDRS, "master_authorized_networks"),
    (RDS_ENCRYPTION, "encryption_at_rest"),
    (EC2_IMDS, "imdsv2_required"),
    (EBS_DEFAULT_KEY, "encryption_key"),
    (RDS_DEFAULT_KEY, "encryption_key"),
    (SQS_SSE, "encryption_at_rest"),
    (SQS_SSE, "encryption_key"),
    (SNS_UNENCRYPTED, "encryption_at_rest"),
    (SNS_UNENCRYPTED, "encryption_key"),
    (LOGS_ENCRYPTION, "encryption_at_rest"),
    (LOGS_ENCRYPTION, "encryption_key"),
    (LOGS_RETENTION, "retention_forever"),
    (SECRETS_KEY, "encryption_at_rest"),
    (SECRETS_KEY, "encryption_key"),
    (SECRETS_ROTATION, "rotation_enabled"),
    (ECR_ENCRYPTION, "encryption_at_rest"),
    (ECR_ENCRYPTION, "encryption_key"),
    (ECR_SCAN, "scan_on_push"),
    (ECR_MUTABLE, "image_tags_immutable"),
    (DYNAMODB_KEY, "encryption_at_rest"),
    (DYNAMODB_KEY, "encryption_key"),
    (DYNAMODB_PITR, "point_in_time_recovery"),
    (DYNAMODB_DELETION, "deletion_protection"),
    (LAMBDA_ENV_KEY, "encryption_key"),
    (SEARCH_AT_REST, "encryption_at_rest"),
    (SEARCH_AT_REST, "encryption_key"),
    (SEARCH_NODE_TO_NODE, "node_to_node_encryption"),
    (SEARCH_HTTPS, "https_only"),
    (APIGW_ACCESS_LOGS, "access_logging"),
    (LB_ACCESS_LOGS, "access_logging"),
    (LB_INVALID_HEADERS, "drop_invalid_headers"),
    (LB_DELETION, "deletion_protection"),
    (ELASTICACHE_AT_REST, "encryption_at_rest"),
    (ELASTICACHE_TRANSIT, "encryption_in_transit"),
    (REDSHIFT_ENCRYPTION, "encryption_at_rest"),
    (REDSHIFT_ENCRYPTION, "encryption_key"),
    (REDSHIFT_PRIVATE, "publicly_accessible"),
    (REDSHIFT_AUDIT_LOGS, "audit_logging"),
    (DB_CLUSTER_ENCRYPTION, "encryption_at_rest"),
    (DB_CLUSTER_ENCRYPTION, "encryption_key"),
    (DB_CLUSTER_DELETION, "deletion_protection"),
    (DB_CLUSTER_BACKUP, "backup_retention_days"),
    (SUBNET_PUBLIC_IP, "public_ip_on_launch"),
    (CONFIG_RECORDER_ALL, "records_all_resources"),
    (CONFIG_RECORDER_ALL, "records_global_resources"),
    (EKS_SECRETS_KEY, "encryption_key"),
    (RDS_ENCRYPTION, "encryption_key"),
    (SG_DEFAULT_EGRESS, "egress"),
    (S3_REPLICATION, "replication"),
    (APIGW_METHOD_AUTH, "authorization_type"),
    (AZURE_HTTPS, "https_only"),
    (AZURE_BLOB_PUBLIC, "public_blob_access"),
    (AZURE_NETWORK, "network_default_deny"),
    (AZURE_SOFT_DELETE, "blob_soft_delete_days"),
    (AZURE_ENCRYPTION, "encryption_at_rest"),
    (AZURE_ENCRYPTION, "encryption_key"),
    (AZURE_CONTAINER, "public_access"),
    (AKS_ENDPOINT, "public_endpoint"),
    (AKS_ENDPOINT, "master_authorized_networks"),
    (GKE_ENDPOINT, "public_endpoint"),
    (GKE_ENDPOINT, "master_authorized_networks"),
    (GCS_PUBLIC_ACCESS, "public_access_blocked"),
    (GCS_VERSIONING, "versioning"),
    (GCS_UNIFORM, "uniform_access"),
    (GKE_RELEASE_CHANNEL, "release_channel"),
    (GKE_NODE_MANAGEMENT, "auto_repair"),
    (GKE_NODE_MANAGEMENT, "auto_upgrade"),
    (GKE_NODE_IMAGE, "image_type"),
    (GKE_LEGACY_METADATA, "legacy_metadata_endpoints"),
    (KMS_PROTECTION, "protection_level"),
    (DNS_DNSSEC, "dnssec_enabled"),
    (AZ_TLS12, "min_tls_version"),
    (AZ_SHARED_KEY, "shared_key_access"),
    (AZ_INFRA_ENC, "infrastructure_encryption"),
    (AZ_CONTAINER_SOFT_DELETE, "container_soft_delete_days"),
    (AZ_CROSS_TENANT, "cross_tenant_replication"),
    (AZ_SAS_POLICY, "sas_expiry_policy"),
    (AZ_KV_RBAC, "rbac_authorization"),
    (AZ_KV_PUBLIC, "public_network_access"),
    (AZ_SQL_PUBLIC, "publicly_accessible"),
    (AZ_FLEX_PUBLIC, "publicly_accessible"),
    (AZ_FLEX_GEO, "geo_redundant_backup"),
    (AZ_FLEX_BACKUP, "backup_retention_days"),
    (AZ_APP_HTTPS, "https_only"),
    (AZ_APP_TLS, "min_tls_version"),
    (AZ_APP_DEBUG, "remote_debugging"),
    (AZ_AKS_LOCAL, "local_accounts_disabled"),
    (AZ_COSMOS_PUBLIC, "publicly_accessible"),
    (AZ_COSMOS_META, "key_metadata_write"),
    (AZ_COSMOS_LOCAL, "local_auth_disabled"),
    (AZ_LAW_RETENTION, "retention_days"),
    (AZ_FLEX_TLS, "require_tls"),
    (AZ_BLOB_VERSIONING, "versioning"),
    (AZ_COSMOS_KEY, "encryption_key"),
    (AZ_ACR_ADMIN, "admin_user_enabled"),
    (AZ_ACR_ANON, "anonymous_pull"),
    (AZ_ACR_PUBLIC, "publicly_accessible"),
    (AZ_AKS_UPGRADE, "auto_upgrade_channel"),
    (AZ_KV_SOFT_DELETE, "soft_delete"),
    (AZ_DISK_SSE, "encryption_at_rest"),
    (AZ_DISK_SSE, "disk_encryption"),
    (AZ_DISK_SSE, "encryption_key"),
    (AZ_SQL_ADMIN, "entra_admin"),
    (AZ_SQL_ADMIN, "entra_only_auth"),
    (AZ_SQL_AUDIT, "auditing_enabled"),
    (AZ_SQL_TDE, "encryption_key"),
    (AZ_NO_DIAG, "diagnostic_logs"),
];

/// Every entry, in file order.
pub fn all() -> &'static [ProviderDefault] {
    &table().entries
}

/// The property `name` as the default `id` gives it, pointing at `pointer`
/// (where the setting would be): a known value carrying its basis, or, for
/// an entry without values, unknown with the entry's sentence as the reason.
/// `None` when the table has no such entry or property (the caller then
/// leaves the property out).
pub fn prop(id: &str, name: &str, pointer: impl Into<Pointer>) -> Option<Prop> {
    let d = table().entries.iter().find(|d| d.id == id)?;
    if d.values.is_empty() {
        return Some(Prop::unknown(&d.says, pointer));
    }
    let (_, v) = d.values.iter().find(|(n, _)| *n == name)?;
    Some(Prop::Known { value: Arc::clone(v), pointer: pointer.into() })
}

/// The entry a value rests on, if it is a default's own shared value.
pub fn basis_of(value: &Arc<Value>) -> Option<DefaultId> {
    let t = table();
    if t.by_value.is_empty() {
        return None;
    }
    let at = Arc::as_ptr(value) as usize;
    t.by_value.binary_search_by_key(&at, |(p, _)| *p).ok().and_then(|i| t.by_value.get(i)).map(|(_, id)| *id)
}

/// The entry a property rests on, if any.
pub fn basis(p: &Prop) -> Option<DefaultId> {
    match p {
        Prop::Known { value, .. } => basis_of(value),
        Prop::Unknown { .. } => None,
    }
}

/// What is wrong with the table (empty when it is sound).
pub fn lint() -> Vec<String> {
    let t = table();
    let mut out = t.problems.clone();
    let mut ids = std::collections::HashSet::new();
    let date = |s: &str| {
        let b = s.as_bytes();
        let digits = |r: std::ops::Range<usize>| b.get(r).is_some_and(|x| x.iter().all(u8::is_ascii_digit));
        (b.len() == 7 || b.len() == 10) && digits(0..4) && b.get(4) == Some(&b'-') && digits(5..7) && (b.len() == 7 || (b.get(7) == Some(&b'-') && digits(8..10)))
    };
    for d in &t.entries {
        let id = &d.id;
        if !ids.insert(id.as_str()) {
            out.push(format!("{id}: duplicate id"));
        }
        if id.is_empty() || !id.bytes().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'_') {
            out.push(format!("{id}: ids are snake_case"));
        }
        if !matches!(d.provider.as_str(), "aws" | "azure" | "gcp") {
            out.push(format!("{id}: provider {} is not aws, azure or gcp", d.provider));
        }
        if d.types.is_empty() || d.types.iter().any(|t| t.trim().is_empty()) {
            out.push(format!("{id}: names no resource types"));
        }
        if d.since != "always" && !date(&d.since) {
            out.push(format!("{id}: since is \"always\" or a date (YYYY-MM or YYYY-MM-DD), not {}", d.since));
        }
        if d.verified.as_deref().is_some_and(|v| !date(v) || v.len() != 10) {
            out.push(format!("{id}: verified is \"unverified\" or a date (YYYY-MM-DD)"));
        }
        if !d.source.starts_with("https://") || d.source.contains(char::is_whitespace) {
            out.push(format!("{id}: source must be one https link"));
        }
        let says = d.says.trim();
        if says.len() < 30 || says.len() > 240 || says.contains('\n') || says.ends_with('.') {
            out.push(format!("{id}: says is one sentence of 30–240 characters without a final full stop"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_sound() {
        assert_eq!(lint(), Vec::<String>::new());
        assert!(all().len() >= 10);
    }

    /// Every entry a parser asks for exists and gives the property asked.
    #[test]
    fn parsers_ask_only_for_listed_defaults() {
        for (id, name) in USED {
            let p = prop(id, name, "/x").unwrap_or_else(|| panic!("{id} gives no {name}"));
            if let Prop::Known { .. } = p {
                assert!(basis(&p).and_then(DefaultId::get).is_some_and(|d| d.id == *id), "{id}/{name} keeps its basis");
            }
        }
    }

    #[test]
    fn a_default_is_recognised_by_its_shared_value_only() {
        let p = prop("s3_versioning_off", "versioning", "/resource_changes/0/change/after").expect("listed");
        assert_eq!(p.value(), Some(&Value::Bool(false)));
        assert_eq!(basis(&p).map(DefaultId::token), Some("s3_versioning_off"));
        // The same value read from an input is an observation, not a default.
        assert_eq!(basis(&Prop::known(false, "/x")), None);
        assert!(matches!(prop("ec2_imds_depends_on_ami_and_account", "imdsv2_required", "/x"), Some(Prop::Unknown { .. })));
        assert!(prop("no_such_default", "versioning", "/x").is_none());
    }

    #[test]
    fn a_broken_table_is_reported_not_panicked_on() {
        let t = load("{\"version\": 2, \"default\": [{\"id\": \"Bad Id\", \"provider\": \"x\", \"types\": [], \"applies_to\": \"new\", \"values\": {\"nope\": 1}, \"since\": \"then\", \"says\": \"short\", \"source\": \"http://x\", \"verified\": \"yes\"}]}");
        assert!(t.problems.iter().any(|p| p.contains("version 2")));
        assert!(t.problems.iter().any(|p| p.contains("nope")));
        assert!(load("not json").entries.is_empty());
    }
}
