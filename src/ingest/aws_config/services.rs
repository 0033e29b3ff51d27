//! AWS Config items of AWS services beyond storage, compute and IAM. An item
//! is a live snapshot: a setting its `configuration` leaves out is not set
//! (unless the service's own default holds for every resource, from
//! `ingest::defaults`); an item without a `configuration` is partial and
//! gives nothing. Field names are matched without regard to case: Config
//! writes some types in the API's camelCase, others in CloudFormation's
//! PascalCase, and some in both over time (`sSEDescription`, `SSEDescription`).
//!
//! Not recorded by AWS Config, so not read here: CloudWatch Logs log groups,
//! ElastiCache replication groups, API Gateway methods (see `docs/inventory.md`).

use super::*;
use crate::ingest::aws_keys;

/// `(key as written, value)` of a field, whatever its case; null is absent.
fn geti<'v, 'a>(v: &'v Json<'a>, key: &str) -> Option<(&'v str, &'v Json<'a>)> {
    v.as_object()?.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)).filter(|(_, x)| !x.is_null())
}

/// The value at a path and its pointer under `base`.
fn path<'v, 'a>(root: &'v Json<'a>, base: &str, keys: &[&str]) -> Option<(String, &'v Json<'a>)> {
    let mut cur = root;
    let mut p = base.to_string();
    for k in keys {
        let (name, v) = geti(cur, k)?;
        p = ptr(&p, name);
        cur = v;
    }
    Some((p, cur))
}

fn default(r: &mut Resource, id: &str, name: &str, at: &str) {
    if let Some(p) = dflt::prop(id, name, at) {
        r.props.insert(name, p);
    }
}

fn set_bool(r: &mut Resource, canon: &str, found: Option<(String, &Json)>) -> bool {
    match found {
        Some((p, v)) => {
            match loose_bool(v) {
                Some(b) => r.set(canon, b, p),
                None => r.set_unknown(canon, format!("unreadable value {}", v.to_value()), p),
            }
            true
        }
        None => false,
    }
}

/// `encryption_key` / `encryption_key_id` from a key field; `absent` when none.
fn key(r: &mut Resource, found: Option<(String, &Json)>, absent: impl FnOnce(&mut Resource)) {
    match found {
        Some((p, Json::String(k))) if !k.trim().is_empty() => {
            r.props.insert("encryption_key", aws_keys::prop_for(k, p.as_str()));
            r.set("encryption_key_id", k.trim(), p);
        }
        _ => absent(r),
    }
}

/// A policy field (JSON string, possibly encoded) → `resource_policy`.
fn policy(r: &mut Resource, found: Option<(String, &Json)>, absent: impl FnOnce(&mut Resource)) {
    match found {
        Some((p, v)) => {
            r.props.insert("resource_policy", aws_iam::document_prop(&v.to_value(), &p));
        }
        None => absent(r),
    }
}

/// Map one item of a service type; `false` when the type is not one of these.
pub(super) fn map(ci: &Ci<'_, '_>, r: &mut Resource, rtype: &str) -> bool {
    let kind = match rtype {
        "AWS::SQS::Queue" => "message_queue",
        "AWS::SNS::Topic" => "notification_topic",
        "AWS::SecretsManager::Secret" => "secret",
        "AWS::ECR::Repository" => "container_registry",
        "AWS::DynamoDB::Table" => "nosql_table",
        "AWS::Lambda::Function" => "serverless_function",
        "AWS::OpenSearch::Domain" | "AWS::Elasticsearch::Domain" => "search_domain",
        "AWS::ApiGateway::Stage" | "AWS::ApiGatewayV2::Stage" => "api_stage",
        "AWS::ElasticLoadBalancingV2::LoadBalancer" => "load_balancer",
        "AWS::ElasticLoadBalancingV2::Listener" => "lb_listener",
        "AWS::Redshift::Cluster" => "data_warehouse",
        "AWS::RDS::DBCluster" => "db_cluster",
        "AWS::EC2::LaunchTemplate" => "launch_template",
        "AWS::EC2::Subnet" => "subnet",
        "AWS::GuardDuty::Detector" => "threat_detector",
        "AWS::Config::ConfigurationRecorder" => "config_recorder",
        _ => return false,
    };
    r.kind = Text::interned(kind);
    if ci.config.is_null() {
        return true;
    }
    let c = &*ci.config;
    let base = ci.cfg_base.as_str();
    let at = |keys: &[&str]| path(c, base, keys);
    match rtype {
        "AWS::SQS::Queue" => {
            match at(&["KmsMasterKeyId"]) {
                Some((p, Json::String(k))) if !k.trim().is_empty() => {
                    r.set("encryption_at_rest", true, &p);
                    key(r, Some((p, &Json::String(k.clone()))), |_| {});
                }
                _ => {
                    let sse = at(&["SqsManagedSseEnabled"]);
                    let on = sse.as_ref().and_then(|(_, v)| loose_bool(*v)) == Some(true);
                    let p = sse.map(|(p, _)| p).unwrap_or_else(|| base.to_string());
                    r.set("encryption_at_rest", on, &p);
                    r.set("encryption_key", if on { "provider" } else { "none" }, p);
                }
            }
            policy(r, at(&["Policy"]), |r| r.set("resource_policy", Value::Null, base));
        }
        "AWS::SNS::Topic" => {
            match at(&["KmsMasterKeyId"]) {
                Some((p, Json::String(k))) if !k.trim().is_empty() => {
                    r.set("encryption_at_rest", true, &p);
                    key(r, Some((p, &Json::String(k.clone()))), |_| {});
                }
                _ => {
                    default(r, dflt::SNS_UNENCRYPTED, "encryption_at_rest", base);
                    default(r, dflt::SNS_UNENCRYPTED, "encryption_key", base);
                }
            }
            // Every topic has an access policy; an item without it does not say what it is.
            policy(r, at(&["Policy"]), |r| r.set_unknown("resource_policy", "the item does not carry the topic's access policy", base));
        }
        "AWS::SecretsManager::Secret" => {
            key(r, at(&["KMSKeyId"]), |r| default(r, dflt::SECRETS_KEY, "encryption_key", base));
            if !set_bool(r, "rotation_enabled", at(&["RotationEnabled"])) {
                r.set("rotation_enabled", false, base);
            }
            if let Some((p, v)) = at(&["RotationRules", "AutomaticallyAfterDays"]) {
                if let Some(d) = loose_f64(v) {
                    r.set("rotation_period_days", d as i64, p);
                }
            }
            r.set_unknown("resource_policy", "AWS Config does not record a secret's resource policy", base);
        }
        "AWS::ECR::Repository" => {
            match at(&["EncryptionConfiguration", "EncryptionType"]) {
                Some((p, Json::String(t))) if t.to_ascii_uppercase().starts_with("KMS") => {
                    r.set("encryption_at_rest", true, &p);
                    key(r, at(&["EncryptionConfiguration", "KmsKey"]), |r| r.set("encryption_key", "provider", &p));
                }
                Some((p, _)) => {
                    r.set("encryption_at_rest", true, &p);
                    r.set("encryption_key", "provider", p);
                }
                None => {
                    default(r, dflt::ECR_ENCRYPTION, "encryption_at_rest", base);
                    default(r, dflt::ECR_ENCRYPTION, "encryption_key", base);
                }
            }
            if !set_bool(r, "scan_on_push", at(&["ImageScanningConfiguration", "ScanOnPush"])) {
                r.set("scan_on_push", false, base);
            }
            match at(&["ImageTagMutability"]) {
                Some((p, v)) => r.set("image_tags_immutable", v.as_str().is_some_and(|m| m.to_ascii_uppercase().starts_with("IMMUTABLE")), p),
                None => r.set("image_tags_immutable", false, base),
            }
            policy(r, at(&["RepositoryPolicyText"]), |r| r.set_unknown("resource_policy", "the item does not carry the repository policy", base));
        }
        "AWS::DynamoDB::Table" => {
            let status = at(&["SSEDescription", "Status"]);
            let enabled = status.as_ref().and_then(|(_, v)| v.as_str()).is_some_and(|s| s.eq_ignore_ascii_case("ENABLED") || s.eq_ignore_ascii_case("UPDATING"));
            if enabled {
                let (p, _) = status.unwrap_or_else(|| (base.to_string(), &Json::Null));
                r.set("encryption_at_rest", true, &p);
                key(r, at(&["SSEDescription", "KMSMasterKeyArn"]), |r| r.set("encryption_key", "provider", &p));
            } else {
                default(r, dflt::DYNAMODB_KEY, "encryption_at_rest", base);
                default(r, dflt::DYNAMODB_KEY, "encryption_key", base);
            }
            let supp = ci.supp("ContinuousBackupsDescription");
            match supp.and_then(|s| path(s, &ci.supp_ptr("ContinuousBackupsDescription"), &["pointInTimeRecoveryDescription", "pointInTimeRecoveryStatus"])) {
                Some((p, v)) => r.set("point_in_time_recovery", v.as_str().is_some_and(|s| s.eq_ignore_ascii_case("ENABLED")), p),
                None if ci.has_supp => r.set("point_in_time_recovery", false, &ci.supp_base),
                None => {}
            }
            if !set_bool(r, "deletion_protection", at(&["DeletionProtectionEnabled"])) {
                r.set("deletion_protection", false, base);
            }
        }
        "AWS::Lambda::Function" => {
            match at(&["VpcConfig", "SubnetIds"]) {
                Some((p, v)) => r.set("in_vpc", v.as_array().is_some_and(|a| !a.is_empty()), p),
                None => r.set("in_vpc", false, base),
            }
            // Environment variables: read when the item carries them.
            if let Some((p, vars)) = at(&["Environment", "Variables"]) {
                let m = vars.as_object();
                r.set("env_variable_count", m.map_or(0, |m| m.len()) as u64, &p);
                let names: Vec<Value> = m
                    .map(|m| m.iter().filter(|(n, v)| v.as_str().is_some_and(|t| crate::ingest::kubernetes::secret_like(n, t))).map(|(n, _)| Value::String(n.to_string())).collect())
                    .unwrap_or_default();
                r.set("env_literal_secrets", Value::Array(names), p);
            }
            key(r, at(&["KMSKeyArn"]), |r| default(r, dflt::LAMBDA_ENV_KEY, "encryption_key", base));
            r.set_unknown("resource_policy", "AWS Config does not record a function's resource policy", base);
        }
        "AWS::OpenSearch::Domain" | "AWS::Elasticsearch::Domain" => {
            if !set_bool(r, "encryption_at_rest", at(&["EncryptionAtRestOptions", "Enabled"])) {
                r.set("encryption_at_rest", false, base);
            }
            if r.prop("encryption_at_rest").is_some_and(Prop::is_true) {
                let p = at(&["EncryptionAtRestOptions", "Enabled"]).map(|(p, _)| p).unwrap_or_else(|| base.to_string());
                key(r, at(&["EncryptionAtRestOptions", "KmsKeyId"]), |r| r.set("encryption_key", "provider", &p));
            } else {
                r.set("encryption_key", "none", base);
            }
            if !set_bool(r, "node_to_node_encryption", at(&["NodeToNodeEncryptionOptions", "Enabled"])) {
                r.set("node_to_node_encryption", false, base);
            }
            if !set_bool(r, "https_only", at(&["DomainEndpointOptions", "EnforceHTTPS"])) {
                r.set("https_only", false, base);
            }
            if let Some((p, Json::String(pol))) = at(&["DomainEndpointOptions", "TLSSecurityPolicy"]) {
                if let Some(v) = aws_keys::search_tls_min(pol) {
                    r.set("min_tls_version", v, p);
                }
            }
            match at(&["VPCOptions", "SubnetIds"]) {
                Some((p, v)) => r.set("in_vpc", v.as_array().is_some_and(|a| !a.is_empty()), p),
                None => r.set("in_vpc", false, base),
            }
            match at(&["LogPublishingOptions", "AUDIT_LOGS"]) {
                Some((p, v)) => r.set("audit_logging", geti(v, "Enabled").and_then(|(_, e)| loose_bool(e)).unwrap_or(true), p),
                None => r.set("audit_logging", false, base),
            }
        }
        "AWS::ApiGateway::Stage" | "AWS::ApiGatewayV2::Stage" => {
            match at(&["AccessLogSettings", "DestinationArn"]) {
                Some((p, v)) => r.set("access_logging", v.as_str().is_some_and(|s| !s.is_empty()), p),
                None => r.set("access_logging", false, base),
            }
            if rtype == "AWS::ApiGateway::Stage" {
                match at(&["ClientCertificateId"]) {
                    Some((p, v)) => r.set("client_certificate", v.as_str().is_some_and(|s| !s.is_empty()), p),
                    None => r.set("client_certificate", false, base),
                }
            }
        }
        "AWS::ElasticLoadBalancingV2::LoadBalancer" => {
            if let Some((p, Json::String(t))) = at(&["Type"]) {
                r.set("lb_type", t.to_ascii_lowercase(), p);
            }
            // Attributes are in the supplementary configuration: a list of {key, value}.
            let list = ci.supp("LoadBalancerAttributes").and_then(Json::as_array);
            let lp = ci.supp_ptr("LoadBalancerAttributes");
            for (name, canon) in [
                ("access_logs.s3.enabled", "access_logging"),
                ("routing.http.drop_invalid_header_fields.enabled", "drop_invalid_headers"),
                ("deletion_protection.enabled", "deletion_protection"),
            ] {
                let hit = list.and_then(|l| l.iter().enumerate().find(|(_, a)| geti(a, "key").and_then(|(_, k)| k.as_str()) == Some(name)));
                match hit {
                    Some((i, a)) => set_bool(r, canon, geti(a, "value").map(|(k, v)| (format!("{lp}/{i}/{k}"), v))),
                    None => false,
                };
            }
        }
        "AWS::ElasticLoadBalancingV2::Listener" => {
            match at(&["Protocol"]) {
                Some((p, Json::String(t))) => r.set("protocol", t.to_ascii_uppercase(), p),
                _ => r.set_unknown("protocol", "the item gives no protocol", base),
            }
            if let Some((p, Json::String(pol))) = at(&["SslPolicy"]) {
                if let Some(v) = aws_keys::elb_tls_min(pol) {
                    r.set("min_tls_version", v, &p);
                }
                r.set("tls_policy", pol.to_string(), p);
            }
            let actions = at(&["DefaultActions"]);
            let redirect = actions.as_ref().and_then(|(_, a)| a.as_array()).is_some_and(|a| {
                !a.is_empty()
                    && a.iter().all(|x| {
                        geti(x, "Type").and_then(|(_, t)| t.as_str()).is_some_and(|t| t.eq_ignore_ascii_case("redirect"))
                            && path(x, "", &["RedirectConfig", "Protocol"]).and_then(|(_, p)| p.as_str().map(|p| p.eq_ignore_ascii_case("HTTPS"))) == Some(true)
                    })
            });
            r.set("redirects_to_https", redirect, actions.map(|(p, _)| p).unwrap_or_else(|| base.to_string()));
        }
        "AWS::Redshift::Cluster" => {
            if !set_bool(r, "encryption_at_rest", at(&["Encrypted"])) {
                r.set("encryption_at_rest", false, base);
            }
            if r.prop("encryption_at_rest").is_some_and(Prop::is_true) {
                key(r, at(&["KmsKeyId"]), |r| r.set("encryption_key", "provider", base));
            } else {
                r.set("encryption_key", "none", base);
            }
            if !set_bool(r, "publicly_accessible", at(&["PubliclyAccessible"])) {
                r.set("publicly_accessible", false, base);
            }
            match ci.supp("LoggingStatus").and_then(|s| geti(s, "loggingEnabled")) {
                Some((k, v)) => {
                    set_bool(r, "audit_logging", Some((ptr(&ci.supp_ptr("LoggingStatus"), k), v)));
                }
                None if ci.has_supp => r.set("audit_logging", false, &ci.supp_base),
                None => {}
            }
        }
        "AWS::RDS::DBCluster" => {
            if !set_bool(r, "encryption_at_rest", at(&["StorageEncrypted"])) {
                r.set("encryption_at_rest", false, base);
            }
            if r.prop("encryption_at_rest").is_some_and(Prop::is_true) {
                key(r, at(&["KmsKeyId"]), |r| r.set("encryption_key", "provider", base));
            } else {
                r.set("encryption_key", "none", base);
            }
            if !set_bool(r, "deletion_protection", at(&["DeletionProtection"])) {
                r.set("deletion_protection", false, base);
            }
            if let Some((p, v)) = at(&["BackupRetentionPeriod"]) {
                match loose_f64(v) {
                    Some(n) => r.set("backup_retention_days", n as i64, p),
                    None => r.set_unknown("backup_retention_days", format!("unreadable value {}", v.to_value()), p),
                }
            }
            match at(&["EnabledCloudwatchLogsExports"]) {
                Some((p, v)) => r.set("log_exports", v.to_value(), p),
                None => r.set("log_exports", Value::Array(Vec::new()), base),
            }
        }
        "AWS::EC2::LaunchTemplate" => {
            match at(&["LaunchTemplateData", "MetadataOptions"]) {
                Some((p, mo)) => match geti(mo, "HttpTokens") {
                    Some((k, Json::String(t))) => r.set("imdsv2_required", t.eq_ignore_ascii_case("required"), ptr(&p, k)),
                    _ => default(r, dflt::EC2_IMDS, "imdsv2_required", &p),
                },
                None => default(r, dflt::EC2_IMDS, "imdsv2_required", base),
            }
            if let Some((p, Json::Array(nis))) = at(&["LaunchTemplateData", "NetworkInterfaces"]) {
                let mut seen: Option<(bool, String)> = None;
                for (i, ni) in nis.iter().enumerate() {
                    if let Some((k, v)) = geti(ni, "AssociatePublicIpAddress") {
                        let b = loose_bool(v) == Some(true);
                        if b || seen.is_none() {
                            seen = Some((b, format!("{p}/{i}/{k}")));
                        }
                        if b {
                            break;
                        }
                    }
                }
                if let Some((b, p)) = seen {
                    r.set("public_ip", b, p);
                }
            }
        }
        "AWS::EC2::Subnet" => {
            if !set_bool(r, "public_ip_on_launch", at(&["MapPublicIpOnLaunch"])) {
                r.set("public_ip_on_launch", false, base);
            }
        }
        "AWS::GuardDuty::Detector" => {
            if !set_bool(r, "enabled", at(&["Enable"])) {
                match at(&["Status"]) {
                    Some((p, v)) => r.set("enabled", v.as_str().is_some_and(|s| s.eq_ignore_ascii_case("ENABLED")), p),
                    None => r.set_unknown("enabled", "the item gives neither Enable nor Status", base),
                }
            }
        }
        "AWS::Config::ConfigurationRecorder" => {
            if !set_bool(r, "records_all_resources", at(&["RecordingGroup", "AllSupported"])) {
                r.set("records_all_resources", false, base);
            }
            if !set_bool(r, "records_global_resources", at(&["RecordingGroup", "IncludeGlobalResourceTypes"])) {
                r.set("records_global_resources", false, base);
            }
        }
        _ => {}
    }
    true
}
