//! CloudFormation resource types of AWS services beyond storage, compute and
//! IAM (queues, topics, log groups, secrets, registries, tables, functions,
//! search domains, API stages and methods, load balancers and listeners,
//! caches, warehouses, database clusters, launch templates, subnets,
//! GuardDuty, AWS Config recorders). A template creates what it declares:
//! a property it leaves out is the service's default for a new resource
//! (`ingest::defaults`).

use super::*;
use crate::ingest::aws_keys::{self, KeyRef};

/// Resource types joined onto another resource of the template: (type, property naming the parent(s)).
pub(super) const CHILDREN: &[(&str, &str)] = &[
    ("AWS::SQS::QueuePolicy", "Queues"),
    ("AWS::SNS::TopicPolicy", "Topics"),
    ("AWS::SecretsManager::RotationSchedule", "SecretId"),
    ("AWS::SecretsManager::ResourcePolicy", "SecretId"),
    ("AWS::Lambda::Permission", "FunctionName"),
];

/// Children found in pass 1: parent logical id → (child logical id, its type).
pub(super) fn children<'a>(t: &Tpl<'a>) -> HashMap<String, Vec<(&'a str, &'a str)>> {
    let mut out: HashMap<String, Vec<(&'a str, &'a str)>> = HashMap::new();
    for (id, r) in t.resources {
        let ty = rtype(r);
        let Some((_, attr)) = CHILDREN.iter().find(|(c, _)| *c == ty) else { continue };
        let Some(v) = props_of(r).and_then(|p| p.get(*attr)) else { continue };
        let targets: Vec<String> = match v {
            Value::Array(a) => a.iter().filter_map(|x| t.target(Some(x))).collect(),
            x => t.target(Some(x)).into_iter().collect(),
        };
        for target in targets {
            out.entry(target).or_default().push((id.as_str(), ty));
        }
    }
    out
}

/// The value at a path under `props` (not null).
fn at<'v>(props: Option<&'v Value>, path: &[&str]) -> Option<&'v Value> {
    let mut cur = props?;
    for k in path {
        cur = match cur {
            Value::Array(a) => k.parse::<usize>().ok().and_then(|i| a.get(i)),
            _ => cur.get(*k),
        }
        .filter(|v| !v.is_null())?;
    }
    Some(cur)
}

fn path_ptr(pp: &str, path: &[&str]) -> String {
    path.iter().fold(pp.to_string(), |acc, k| ptr(&acc, k))
}

/// Insert a default's property, pointing at `at`.
fn default(r: &mut Resource, id: &str, name: &str, at: &str) {
    if let Some(p) = dflt::prop(id, name, at) {
        r.props.insert(name, p);
    }
}

/// A boolean at `path`; its default (`ingest::defaults`) when absent.
fn flag(t: &Tpl, r: &mut Resource, canon: &str, props: Option<&Value>, pp: &str, path: &[&str], absent: Option<&str>) {
    let p = path_ptr(pp, path);
    match at(props, path) {
        None => {
            if let Some(id) = absent {
                default(r, id, canon, pp);
            }
        }
        Some(v) => match t.resolve(v) {
            Res::Known(x) => match loose_bool(x) {
                Some(b) => r.set(canon, b, p),
                None => r.set_unknown(canon, format!("unreadable value {x}"), p),
            },
            Res::Unknown(why) => r.set_unknown(canon, why, p),
            Res::Resource(n) => r.set_unknown(canon, format!("value of resource {n}"), p),
        },
    }
}

/// A string at `path`, resolved.
fn text(t: &Tpl, props: Option<&Value>, path: &[&str]) -> Option<Result<String, String>> {
    at(props, path).map(|v| t.string(Some(v)).and_then(|s| s.ok_or_else(|| "no value".to_string())))
}

/// [`key`] for the other mappings of the template.
pub(super) fn key_of(t: &Tpl, r: &mut Resource, props: Option<&Value>, pp: &str, path: &[&str], absent: Option<&str>) {
    key(t, r, props, pp, path, absent);
}

/// `encryption_key` / `encryption_key_id` from a key property at `path`;
/// `absent`: the default when the template names no key.
fn key(t: &Tpl, r: &mut Resource, props: Option<&Value>, pp: &str, path: &[&str], absent: Option<&str>) {
    let p = path_ptr(pp, path);
    let Some(v) = at(props, path) else {
        if let Some(id) = absent {
            default(r, id, "encryption_key", pp);
        }
        return;
    };
    // A key of the template (`Ref`/`GetAtt` of an AWS::KMS::Key or Alias) is the customer's.
    if let Some(target) = t.target(Some(v)) {
        let ty = t.resources.get(&target).map(rtype).unwrap_or("");
        if matches!(ty, "AWS::KMS::Key" | "AWS::KMS::Alias" | "AWS::KMS::ReplicaKey") {
            r.set("encryption_key", "customer", &p);
            r.set("encryption_key_id", format!("resource {target}"), &p);
            return;
        }
    }
    let literal = match single_key(v) {
        Some(("Fn::Sub", Value::String(s))) => Some(s.clone()),
        _ => t.string(Some(v)).ok().flatten(),
    };
    match literal {
        Some(k) if !k.trim().is_empty() => {
            if aws_keys::classify(&k) == KeyRef::ById && k.contains("${") {
                r.set_unknown("encryption_key", "Fn::Sub with variables", &p);
            } else {
                r.props.insert("encryption_key", aws_keys::prop_for(&k, p.as_str()));
            }
            r.set("encryption_key_id", k.trim(), &p);
        }
        Some(_) => {
            if let Some(id) = absent {
                default(r, id, "encryption_key", &p);
            }
        }
        None => match t.resolve(v) {
            Res::Unknown(why) => r.set_unknown("encryption_key", why, &p),
            _ => r.set_unknown("encryption_key", format!("unreadable key {v}"), &p),
        },
    }
}

/// A policy document property → `resource_policy`.
fn policy(r: &mut Resource, doc: Option<&Value>, pointer: &str) {
    match doc {
        Some(d) => {
            r.props.insert("resource_policy", aws_iam::document_prop(d, pointer));
        }
        None => r.set("resource_policy", Value::Null, pointer),
    }
}

/// Map one service resource; `false` when the type is not one of these.
pub(super) fn map(t: &Tpl, r: &mut Resource, ty: &str, props: Option<&Value>, pp: &str, joined: &[(&str, &str)]) -> bool {
    let kind = match ty {
        "AWS::SQS::Queue" => {
            match at(props, &["KmsMasterKeyId"]) {
                Some(_) => {
                    r.set("encryption_at_rest", true, ptr(pp, "KmsMasterKeyId"));
                    key(t, r, props, pp, &["KmsMasterKeyId"], None);
                }
                None => match at(props, &["SqsManagedSseEnabled"]) {
                    None => {
                        default(r, dflt::SQS_SSE, "encryption_at_rest", pp);
                        default(r, dflt::SQS_SSE, "encryption_key", pp);
                    }
                    Some(_) => {
                        flag(t, r, "encryption_at_rest", props, pp, &["SqsManagedSseEnabled"], None);
                        let p = ptr(pp, "SqsManagedSseEnabled");
                        match r.prop("encryption_at_rest").cloned() {
                            Some(Prop::Known { value, .. }) => r.set("encryption_key", if *value == Value::Bool(true) { "provider" } else { "none" }, p),
                            Some(Prop::Unknown { reason, .. }) => r.set_unknown("encryption_key", &*reason, p),
                            None => {}
                        }
                    }
                },
            }
            joined_policy(t, r, joined, "AWS::SQS::QueuePolicy", pp);
            "message_queue"
        }
        "AWS::SNS::Topic" => {
            match at(props, &["KmsMasterKeyId"]) {
                Some(_) => {
                    r.set("encryption_at_rest", true, ptr(pp, "KmsMasterKeyId"));
                    key(t, r, props, pp, &["KmsMasterKeyId"], None);
                }
                None => {
                    default(r, dflt::SNS_UNENCRYPTED, "encryption_at_rest", pp);
                    default(r, dflt::SNS_UNENCRYPTED, "encryption_key", pp);
                }
            }
            joined_policy(t, r, joined, "AWS::SNS::TopicPolicy", pp);
            "notification_topic"
        }
        "AWS::Logs::LogGroup" => {
            key(t, r, props, pp, &["KmsKeyId"], Some(dflt::LOGS_ENCRYPTION));
            match at(props, &["RetentionInDays"]).map(|v| t.resolve(v)) {
                None => default(r, dflt::LOGS_RETENTION, "retention_forever", pp),
                Some(Res::Known(v)) => match loose_f64(v) {
                    Some(d) => {
                        r.set("retention_forever", false, ptr(pp, "RetentionInDays"));
                        r.set("retention_days", d as i64, ptr(pp, "RetentionInDays"));
                    }
                    None => r.set_unknown("retention_forever", format!("unreadable value {v}"), ptr(pp, "RetentionInDays")),
                },
                Some(Res::Unknown(why)) => r.set_unknown("retention_forever", why, ptr(pp, "RetentionInDays")),
                Some(Res::Resource(n)) => r.set_unknown("retention_forever", format!("value of resource {n}"), ptr(pp, "RetentionInDays")),
            }
            "log_group"
        }
        "AWS::SecretsManager::Secret" => {
            key(t, r, props, pp, &["KmsKeyId"], Some(dflt::SECRETS_KEY));
            match joined.iter().find(|(_, ty)| *ty == "AWS::SecretsManager::RotationSchedule") {
                Some((cid, _)) => {
                    let cp = format!("{}/Properties", t.res_pointer(cid));
                    let cprops = t.resources.get(*cid).and_then(props_of);
                    r.set("rotation_enabled", true, &cp);
                    if let Some(Res::Known(d)) = at(cprops, &["RotationRules", "AutomaticallyAfterDays"]).map(|v| t.resolve(v)) {
                        if let Some(d) = loose_f64(d) {
                            r.set("rotation_period_days", d as i64, path_ptr(&cp, &["RotationRules", "AutomaticallyAfterDays"]));
                        }
                    }
                }
                None => default(r, dflt::SECRETS_ROTATION, "rotation_enabled", pp),
            }
            match joined.iter().find(|(_, ty)| *ty == "AWS::SecretsManager::ResourcePolicy") {
                Some((cid, _)) => {
                    let dp = format!("{}/Properties/ResourcePolicy", t.res_pointer(cid));
                    let doc = t.resources.get(*cid).and_then(props_of).and_then(|p| p.get("ResourcePolicy")).filter(|d| !d.is_null());
                    match doc {
                        Some(d) => {
                            r.props.insert("resource_policy", aws_iam::document_prop(d, &dp));
                        }
                        None => r.set_unknown("resource_policy", "the resource policy has no ResourcePolicy document", dp),
                    }
                }
                None => r.set("resource_policy", Value::Null, pp),
            }
            "secret"
        }
        "AWS::ECR::Repository" => {
            match text(t, props, &["EncryptionConfiguration", "EncryptionType"]) {
                Some(Ok(e)) if e.to_ascii_uppercase().starts_with("KMS") => {
                    r.set("encryption_at_rest", true, path_ptr(pp, &["EncryptionConfiguration", "EncryptionType"]));
                    if at(props, &["EncryptionConfiguration", "KmsKey"]).is_some() {
                        key(t, r, props, pp, &["EncryptionConfiguration", "KmsKey"], None);
                    } else {
                        r.set("encryption_key", "provider", path_ptr(pp, &["EncryptionConfiguration", "EncryptionType"]));
                    }
                }
                Some(Ok(_)) => {
                    let p = path_ptr(pp, &["EncryptionConfiguration", "EncryptionType"]);
                    r.set("encryption_at_rest", true, &p);
                    r.set("encryption_key", "provider", p);
                }
                Some(Err(why)) => r.set_unknown("encryption_key", why, path_ptr(pp, &["EncryptionConfiguration", "EncryptionType"])),
                None => {
                    default(r, dflt::ECR_ENCRYPTION, "encryption_at_rest", pp);
                    default(r, dflt::ECR_ENCRYPTION, "encryption_key", pp);
                }
            }
            flag(t, r, "scan_on_push", props, pp, &["ImageScanningConfiguration", "ScanOnPush"], Some(dflt::ECR_SCAN));
            match text(t, props, &["ImageTagMutability"]) {
                None => default(r, dflt::ECR_MUTABLE, "image_tags_immutable", pp),
                Some(Ok(m)) => r.set("image_tags_immutable", m.to_ascii_uppercase().starts_with("IMMUTABLE"), ptr(pp, "ImageTagMutability")),
                Some(Err(why)) => r.set_unknown("image_tags_immutable", why, ptr(pp, "ImageTagMutability")),
            }
            policy(r, at(props, &["RepositoryPolicyText"]), &if at(props, &["RepositoryPolicyText"]).is_some() { ptr(pp, "RepositoryPolicyText") } else { pp.to_string() });
            "container_registry"
        }
        "AWS::DynamoDB::Table" => {
            match at(props, &["SSESpecification", "SSEEnabled"]).map(|v| t.resolve(v)) {
                Some(Res::Known(v)) if loose_bool(v) == Some(true) => {
                    r.set("encryption_at_rest", true, path_ptr(pp, &["SSESpecification", "SSEEnabled"]));
                    if at(props, &["SSESpecification", "KMSMasterKeyId"]).is_some() {
                        key(t, r, props, pp, &["SSESpecification", "KMSMasterKeyId"], None);
                    } else {
                        r.set("encryption_key", "provider", path_ptr(pp, &["SSESpecification", "SSEEnabled"]));
                    }
                }
                Some(Res::Unknown(why)) => r.set_unknown("encryption_key", why, path_ptr(pp, &["SSESpecification", "SSEEnabled"])),
                _ => {
                    let at_ = if at(props, &["SSESpecification"]).is_some() { ptr(pp, "SSESpecification") } else { pp.to_string() };
                    default(r, dflt::DYNAMODB_KEY, "encryption_at_rest", &at_);
                    default(r, dflt::DYNAMODB_KEY, "encryption_key", &at_);
                }
            }
            flag(t, r, "point_in_time_recovery", props, pp, &["PointInTimeRecoverySpecification", "PointInTimeRecoveryEnabled"], Some(dflt::DYNAMODB_PITR));
            flag(t, r, "deletion_protection", props, pp, &["DeletionProtectionEnabled"], Some(dflt::DYNAMODB_DELETION));
            "nosql_table"
        }
        "AWS::Lambda::Function" => {
            match at(props, &["VpcConfig", "SubnetIds"]).map(|v| t.resolve(v)) {
                None => r.set("in_vpc", false, pp),
                Some(Res::Known(Value::Array(a))) => r.set("in_vpc", !a.is_empty(), path_ptr(pp, &["VpcConfig", "SubnetIds"])),
                Some(Res::Known(_)) | Some(Res::Resource(_)) => r.set("in_vpc", true, path_ptr(pp, &["VpcConfig", "SubnetIds"])),
                Some(Res::Unknown(why)) => r.set_unknown("in_vpc", why, path_ptr(pp, &["VpcConfig", "SubnetIds"])),
            }
            env_vars(t, r, at(props, &["Environment", "Variables"]), &path_ptr(pp, &["Environment", "Variables"]), pp);
            key(t, r, props, pp, &["KmsKeyArn"], Some(dflt::LAMBDA_ENV_KEY));
            lambda_permissions(t, r, joined, pp);
            "serverless_function"
        }
        "AWS::OpenSearchService::Domain" | "AWS::Elasticsearch::Domain" => {
            flag(t, r, "encryption_at_rest", props, pp, &["EncryptionAtRestOptions", "Enabled"], Some(dflt::SEARCH_AT_REST));
            match r.prop("encryption_at_rest").and_then(Prop::value) {
                Some(Value::Bool(true)) => {
                    if at(props, &["EncryptionAtRestOptions", "KmsKeyId"]).is_some() {
                        key(t, r, props, pp, &["EncryptionAtRestOptions", "KmsKeyId"], None);
                    } else {
                        r.set("encryption_key", "provider", path_ptr(pp, &["EncryptionAtRestOptions", "Enabled"]));
                    }
                }
                Some(Value::Bool(false)) if at(props, &["EncryptionAtRestOptions", "Enabled"]).is_none() => default(r, dflt::SEARCH_AT_REST, "encryption_key", pp),
                Some(Value::Bool(false)) => r.set("encryption_key", "none", path_ptr(pp, &["EncryptionAtRestOptions", "Enabled"])),
                _ => {}
            }
            flag(t, r, "node_to_node_encryption", props, pp, &["NodeToNodeEncryptionOptions", "Enabled"], Some(dflt::SEARCH_NODE_TO_NODE));
            flag(t, r, "https_only", props, pp, &["DomainEndpointOptions", "EnforceHTTPS"], Some(dflt::SEARCH_HTTPS));
            match text(t, props, &["DomainEndpointOptions", "TLSSecurityPolicy"]) {
                Some(Ok(pol)) => {
                    if let Some(v) = crate::ingest::aws_keys::search_tls_min(&pol) {
                        r.set("min_tls_version", v, path_ptr(pp, &["DomainEndpointOptions", "TLSSecurityPolicy"]));
                    }
                }
                Some(Err(why)) => r.set_unknown("min_tls_version", why, path_ptr(pp, &["DomainEndpointOptions", "TLSSecurityPolicy"])),
                None => {}
            }
            let vpc = "VPCOptions";
            match at(props, &[vpc, "SubnetIds"]).map(|v| t.resolve(v)) {
                None => r.set("in_vpc", false, pp),
                Some(Res::Known(Value::Array(a))) => r.set("in_vpc", !a.is_empty(), path_ptr(pp, &[vpc, "SubnetIds"])),
                Some(Res::Unknown(why)) => r.set_unknown("in_vpc", why, path_ptr(pp, &[vpc, "SubnetIds"])),
                Some(_) => r.set("in_vpc", true, path_ptr(pp, &[vpc, "SubnetIds"])),
            }
            match at(props, &["LogPublishingOptions", "AUDIT_LOGS"]) {
                None => r.set("audit_logging", false, pp),
                Some(_) => flag(t, r, "audit_logging", props, pp, &["LogPublishingOptions", "AUDIT_LOGS", "Enabled"], None),
            }
            if at(props, &["LogPublishingOptions", "AUDIT_LOGS"]).is_some() && at(props, &["LogPublishingOptions", "AUDIT_LOGS", "Enabled"]).is_none() {
                r.set("audit_logging", true, path_ptr(pp, &["LogPublishingOptions", "AUDIT_LOGS"]));
            }
            "search_domain"
        }
        "AWS::ApiGateway::Stage" | "AWS::ApiGatewayV2::Stage" => {
            let (key_, dest) = if ty == "AWS::ApiGateway::Stage" { ("AccessLogSetting", "DestinationArn") } else { ("AccessLogSettings", "DestinationArn") };
            match at(props, &[key_, dest]) {
                None => default(r, dflt::APIGW_ACCESS_LOGS, "access_logging", pp),
                Some(_) => r.set("access_logging", true, path_ptr(pp, &[key_, dest])),
            }
            if ty == "AWS::ApiGateway::Stage" {
                let has = at(props, &["ClientCertificateId"]).is_some();
                r.set("client_certificate", has, if has { ptr(pp, "ClientCertificateId") } else { pp.to_string() });
            }
            "api_stage"
        }
        "AWS::ApiGateway::Method" => {
            match at(props, &["AuthorizationType"]) {
                None => default(r, dflt::APIGW_METHOD_AUTH, "authorization_type", pp),
                Some(_) => t.set_from(r, "authorization_type", props, pp, "AuthorizationType", None, conv_str),
            }
            t.set_from(r, "http_method", props, pp, "HttpMethod", None, conv_str);
            t.set_from(r, "api_key_required", props, pp, "ApiKeyRequired", None, conv_bool);
            "api_method"
        }
        "AWS::ElasticLoadBalancingV2::LoadBalancer" => {
            let lb_type = text(t, props, &["Type"]).and_then(Result::ok).unwrap_or_else(|| "application".into()).to_ascii_lowercase();
            r.set("lb_type", lb_type, if at(props, &["Type"]).is_some() { ptr(pp, "Type") } else { pp.to_string() });
            let attrs = at(props, &["LoadBalancerAttributes"]).and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[]);
            let attr = |name: &str| {
                attrs.iter().enumerate().find(|(_, a)| a.get("Key").and_then(Value::as_str) == Some(name)).map(|(i, a)| (i, a.get("Value")))
            };
            for (name, canon, id) in [
                ("access_logs.s3.enabled", "access_logging", dflt::LB_ACCESS_LOGS),
                ("routing.http.drop_invalid_header_fields.enabled", "drop_invalid_headers", dflt::LB_INVALID_HEADERS),
                ("deletion_protection.enabled", "deletion_protection", dflt::LB_DELETION),
            ] {
                match attr(name) {
                    None => default(r, id, canon, pp),
                    Some((i, v)) => {
                        let p = format!("{}/{i}/Value", ptr(pp, "LoadBalancerAttributes"));
                        match v.map(|v| t.resolve(v)) {
                            Some(Res::Known(x)) => match loose_bool(x) {
                                Some(b) => r.set(canon, b, p),
                                None => r.set_unknown(canon, format!("unreadable value {x}"), p),
                            },
                            Some(Res::Unknown(why)) => r.set_unknown(canon, why, p),
                            _ => r.set_unknown(canon, "no value", p),
                        }
                    }
                }
            }
            "load_balancer"
        }
        "AWS::ElasticLoadBalancingV2::Listener" => {
            match text(t, props, &["Protocol"]) {
                Some(Ok(p)) => r.set("protocol", p.to_ascii_uppercase(), ptr(pp, "Protocol")),
                Some(Err(why)) => r.set_unknown("protocol", why, ptr(pp, "Protocol")),
                None => r.set_unknown("protocol", "no Protocol: the load balancer's type decides it", pp),
            }
            match text(t, props, &["SslPolicy"]) {
                Some(Ok(pol)) => {
                    if let Some(v) = crate::ingest::aws_keys::elb_tls_min(&pol) {
                        r.set("min_tls_version", v, ptr(pp, "SslPolicy"));
                    }
                    r.set("tls_policy", pol, ptr(pp, "SslPolicy"));
                }
                Some(Err(why)) => r.set_unknown("min_tls_version", why, ptr(pp, "SslPolicy")),
                None => {}
            }
            let actions = at(props, &["DefaultActions"]).and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[]);
            let redirect = !actions.is_empty()
                && actions.iter().all(|a| {
                    a.get("Type").and_then(Value::as_str).is_some_and(|x| x.eq_ignore_ascii_case("redirect"))
                        && a.get("RedirectConfig").and_then(|c| c.get("Protocol")).and_then(Value::as_str).is_some_and(|x| x.eq_ignore_ascii_case("HTTPS"))
                });
            r.set("redirects_to_https", redirect, if actions.is_empty() { pp.to_string() } else { ptr(pp, "DefaultActions") });
            "lb_listener"
        }
        "AWS::ElastiCache::ReplicationGroup" => {
            flag(t, r, "encryption_at_rest", props, pp, &["AtRestEncryptionEnabled"], Some(dflt::ELASTICACHE_AT_REST));
            flag(t, r, "encryption_in_transit", props, pp, &["TransitEncryptionEnabled"], Some(dflt::ELASTICACHE_TRANSIT));
            match r.prop("encryption_at_rest").and_then(Prop::value) {
                Some(Value::Bool(true)) if at(props, &["KmsKeyId"]).is_some() => key(t, r, props, pp, &["KmsKeyId"], None),
                Some(Value::Bool(true)) => r.set("encryption_key", "provider", ptr(pp, "AtRestEncryptionEnabled")),
                Some(Value::Bool(false)) => {
                    let p = r.prop("encryption_at_rest").map(|p| p.pointer().to_string()).unwrap_or_default();
                    r.set("encryption_key", "none", p);
                }
                _ => {}
            }
            "cache_cluster"
        }
        "AWS::Redshift::Cluster" => {
            flag(t, r, "encryption_at_rest", props, pp, &["Encrypted"], Some(dflt::REDSHIFT_ENCRYPTION));
            if r.prop("encryption_at_rest").and_then(Prop::value) == Some(&Value::Bool(true)) {
                key(t, r, props, pp, &["KmsKeyId"], Some(dflt::REDSHIFT_ENCRYPTION));
            }
            flag(t, r, "publicly_accessible", props, pp, &["PubliclyAccessible"], Some(dflt::REDSHIFT_PRIVATE));
            match at(props, &["LoggingProperties"]) {
                None => default(r, dflt::REDSHIFT_AUDIT_LOGS, "audit_logging", pp),
                Some(_) => r.set("audit_logging", true, ptr(pp, "LoggingProperties")),
            }
            "data_warehouse"
        }
        "AWS::RDS::DBCluster" | "AWS::DocDB::DBCluster" | "AWS::Neptune::DBCluster" => {
            let restored = at(props, &["SnapshotIdentifier"]).is_some() || at(props, &["SourceDBClusterIdentifier"]).is_some();
            match at(props, &["StorageEncrypted"]) {
                None if !restored => {
                    default(r, dflt::DB_CLUSTER_ENCRYPTION, "encryption_at_rest", pp);
                    default(r, dflt::DB_CLUSTER_ENCRYPTION, "encryption_key", pp);
                }
                _ => {
                    flag(t, r, "encryption_at_rest", props, pp, &["StorageEncrypted"], None);
                    match r.prop("encryption_at_rest").and_then(Prop::value) {
                        Some(Value::Bool(true)) if at(props, &["KmsKeyId"]).is_some() => key(t, r, props, pp, &["KmsKeyId"], None),
                        Some(Value::Bool(true)) => r.set("encryption_key", "provider", ptr(pp, "StorageEncrypted")),
                        Some(Value::Bool(false)) => r.set("encryption_key", "none", ptr(pp, "StorageEncrypted")),
                        _ => {}
                    }
                }
            }
            flag(t, r, "deletion_protection", props, pp, &["DeletionProtection"], Some(dflt::DB_CLUSTER_DELETION));
            match at(props, &["BackupRetentionPeriod"]) {
                None => default(r, dflt::DB_CLUSTER_BACKUP, "backup_retention_days", pp),
                Some(_) => t.set_from(r, "backup_retention_days", props, pp, "BackupRetentionPeriod", None, conv_int),
            }
            match at(props, &["EnableCloudwatchLogsExports"]).map(|v| t.resolve(v)) {
                None => r.set("log_exports", Value::Array(Vec::new()), pp),
                Some(Res::Known(Value::Array(a))) => r.set("log_exports", Value::Array(a.clone()), ptr(pp, "EnableCloudwatchLogsExports")),
                Some(Res::Unknown(why)) => r.set_unknown("log_exports", why, ptr(pp, "EnableCloudwatchLogsExports")),
                Some(_) => r.set_unknown("log_exports", "not a list", ptr(pp, "EnableCloudwatchLogsExports")),
            }
            "db_cluster"
        }
        "AWS::EC2::LaunchTemplate" => {
            let data = at(props, &["LaunchTemplateData"]);
            let dp = ptr(pp, "LaunchTemplateData");
            match at(data, &["MetadataOptions"]) {
                None => default(r, dflt::EC2_IMDS, "imdsv2_required", if data.is_some() { &dp } else { pp }),
                Some(mo) => match mo.get("HttpTokens") {
                    Some(v) => {
                        let p = path_ptr(&dp, &["MetadataOptions", "HttpTokens"]);
                        match t.string(Some(v)) {
                            Ok(s) => r.set("imdsv2_required", s.is_some_and(|s| s.eq_ignore_ascii_case("required")), p),
                            Err(w) => r.set_unknown("imdsv2_required", w, p),
                        }
                    }
                    None => default(r, dflt::EC2_IMDS, "imdsv2_required", &ptr(&dp, "MetadataOptions")),
                },
            }
            if let Some(nis) = at(data, &["NetworkInterfaces"]).and_then(Value::as_array) {
                let np = ptr(&dp, "NetworkInterfaces");
                let mut seen = None;
                for (i, ni) in nis.iter().enumerate() {
                    if let Some(v) = ni.get("AssociatePublicIpAddress") {
                        let p = format!("{np}/{i}/AssociatePublicIpAddress");
                        match t.resolve(v) {
                            Res::Known(b) if loose_bool(b) == Some(true) => {
                                seen = Some((true, p));
                                break;
                            }
                            Res::Known(_) => seen = seen.or(Some((false, p))),
                            _ => {
                                r.set_unknown("public_ip", "AssociatePublicIpAddress is an expression", &p);
                            }
                        }
                    }
                }
                if let Some((b, p)) = seen {
                    r.set("public_ip", b, p);
                }
            }
            "launch_template"
        }
        "AWS::EC2::Subnet" => {
            flag(t, r, "public_ip_on_launch", props, pp, &["MapPublicIpOnLaunch"], Some(dflt::SUBNET_PUBLIC_IP));
            "subnet"
        }
        "AWS::GuardDuty::Detector" => {
            t.set_from(r, "enabled", props, pp, "Enable", None, conv_bool);
            "threat_detector"
        }
        "AWS::Config::ConfigurationRecorder" => {
            match at(props, &["RecordingGroup"]) {
                None => {
                    default(r, dflt::CONFIG_RECORDER_ALL, "records_all_resources", pp);
                    default(r, dflt::CONFIG_RECORDER_ALL, "records_global_resources", pp);
                }
                Some(_) => {
                    let gp = ptr(pp, "RecordingGroup");
                    let g = at(props, &["RecordingGroup"]);
                    t.set_from(r, "records_all_resources", g, &gp, "AllSupported", Some(json!(false)), conv_bool);
                    t.set_from(r, "records_global_resources", g, &gp, "IncludeGlobalResourceTypes", Some(json!(false)), conv_bool);
                }
            }
            "config_recorder"
        }
        _ => return false,
    };
    r.kind = Text::interned(kind);
    true
}

/// `resource_policy` from a joined policy resource of type `ty`, else none.
fn joined_policy(t: &Tpl, r: &mut Resource, joined: &[(&str, &str)], ty: &str, pp: &str) {
    match joined.iter().find(|(_, cty)| *cty == ty) {
        Some((cid, _)) => {
            let dp = format!("{}/Properties/PolicyDocument", t.res_pointer(cid));
            let doc = t.resources.get(*cid).and_then(props_of).and_then(|p| p.get("PolicyDocument")).filter(|d| !d.is_null());
            match doc {
                Some(d) => {
                    r.props.insert("resource_policy", aws_iam::document_prop(d, &dp));
                }
                None => r.set_unknown("resource_policy", "the policy resource has no PolicyDocument", dp),
            }
        }
        None => r.set("resource_policy", Value::Null, pp),
    }
}

/// Environment variables of a function: how many, and the names of those whose literal value looks like a secret.
fn env_vars(t: &Tpl, r: &mut Resource, vars: Option<&Value>, vp: &str, pp: &str) {
    match vars.map(|v| t.resolve(v)) {
        None => {
            r.set("env_variable_count", 0, pp);
            r.set("env_literal_secrets", Value::Array(Vec::new()), pp);
        }
        Some(Res::Known(Value::Object(m))) => {
            r.set("env_variable_count", m.len() as u64, vp);
            let names: Vec<Value> = m
                .iter()
                .filter(|(n, v)| match t.resolve(v) {
                    Res::Known(Value::String(s)) => crate::ingest::kubernetes::secret_like(n, s),
                    _ => false,
                })
                .map(|(n, _)| Value::String(n.clone()))
                .collect();
            r.set("env_literal_secrets", Value::Array(names), vp);
        }
        Some(Res::Unknown(why)) => {
            r.set_unknown("env_variable_count", &why, vp);
            r.set_unknown("env_literal_secrets", why, vp);
        }
        Some(_) => {
            r.set_unknown("env_variable_count", "Variables is not a map", vp);
            r.set_unknown("env_literal_secrets", "Variables is not a map", vp);
        }
    }
}

/// The function's resource policy: the statements of the template's `AWS::Lambda::Permission`s that name it.
fn lambda_permissions(t: &Tpl, r: &mut Resource, joined: &[(&str, &str)], pp: &str) {
    let mut doc: Option<(Value, String)> = None;
    for (cid, _) in joined.iter().filter(|(_, ty)| *ty == "AWS::Lambda::Permission") {
        let cp = format!("{}/Properties", t.res_pointer(cid));
        let props = t.resources.get(*cid).and_then(props_of);
        let field = |k: &str| t.string(props.and_then(|p| p.get(k)));
        let (principal, action) = match (field("Principal"), field("Action")) {
            (Ok(Some(p)), Ok(Some(a))) => (p, a),
            (Err(why), _) | (_, Err(why)) => {
                r.set_unknown("resource_policy", format!("permission {cid}: {why}"), &cp);
                return;
            }
            _ => {
                r.set_unknown("resource_policy", format!("permission {cid} gives no principal or action"), &cp);
                return;
            }
        };
        let opt = |k: &str| field(k).ok().flatten();
        let text = aws_keys::lambda_permission_policy(&principal, &action, opt("SourceArn").as_deref(), opt("SourceAccount").as_deref(), opt("PrincipalOrgID").as_deref());
        let Prop::Known { value, .. } = aws_iam::document_prop(&text, &cp) else { continue };
        doc = Some(match doc {
            None => ((*value).clone(), cp),
            Some((d, p)) => (aws_keys::append_statements(&d, &value), p),
        });
    }
    match doc {
        Some((d, p)) => r.set("resource_policy", d, p),
        None => r.set("resource_policy", Value::Null, pp),
    }
}
