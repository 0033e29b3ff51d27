//! AWS service resource types beyond storage, compute and IAM: queues, topics,
//! log groups, secrets, registries, tables, functions, search domains, API
//! stages and methods, load balancers and listeners, caches, warehouses,
//! database clusters, launch templates, subnets, GuardDuty and AWS Config
//! recorders. Settings a plan leaves to AWS for a resource it creates take
//! the documented defaults of `ingest::defaults`.

use super::*;
use crate::ingest::aws_keys::{self, elb_tls_min, search_tls_min, KeyRef};

/// Map an `aws_*` type not handled in `map.rs`; `"other"` when it is not assessed.
pub(super) fn map(rtype: &str, s: &Src, o: &mut Out) -> &'static str {
    let v = &s.v;
    match rtype {
        "aws_sqs_queue" => {
            let key = v.get("kms_master_key_id");
            let path = ["kms_master_key_id"];
            if customer_key_given(s, &key, &path) {
                o.put("encryption_at_rest", Some(key.known(true)));
                key_fact(s, o, &key, &path, dflt::SQS_SSE);
            } else if matches!(key.state(), St::Unknown) && !s.has_config {
                o.put("encryption_at_rest", Some(key.unknown()));
                o.put("encryption_key", Some(key.unknown()));
            } else {
                let sse = v.get("sqs_managed_sse_enabled");
                if s.left_to_provider(&sse, &["sqs_managed_sse_enabled"]) {
                    o.default(dflt::SQS_SSE, "encryption_at_rest", &sse);
                    o.default(dflt::SQS_SSE, "encryption_key", &sse);
                } else {
                    match sse.state() {
                        St::Known(x) => {
                            let on = loose_bool(x) == Some(true);
                            o.put("encryption_at_rest", Some(sse.known(on)));
                            o.put("encryption_key", Some(sse.known(if on { "provider" } else { "none" })));
                        }
                        St::Unknown => {
                            o.put("encryption_at_rest", Some(sse.unknown()));
                            o.put("encryption_key", Some(sse.unknown()));
                        }
                        // A live queue without the attribute: not encrypted.
                        St::Absent => {
                            o.put("encryption_at_rest", Some(sse.known(false)));
                            o.put("encryption_key", Some(sse.known("none")));
                        }
                    }
                }
            }
            resource_policy(s, o, "policy");
            "message_queue"
        }
        "aws_sns_topic" => {
            let key = v.get("kms_master_key_id");
            let path = ["kms_master_key_id"];
            if customer_key_given(s, &key, &path) {
                o.put("encryption_at_rest", Some(key.known(true)));
                key_fact(s, o, &key, &path, dflt::SNS_UNENCRYPTED);
            } else if matches!(key.state(), St::Unknown) && !s.has_config {
                o.put("encryption_at_rest", Some(key.unknown()));
                o.put("encryption_key", Some(key.unknown()));
            } else {
                o.default(dflt::SNS_UNENCRYPTED, "encryption_at_rest", &key);
                o.default(dflt::SNS_UNENCRYPTED, "encryption_key", &key);
            }
            resource_policy(s, o, "policy");
            "notification_topic"
        }
        "aws_cloudwatch_log_group" => {
            key_fact(s, o, &v.get("kms_key_id"), &["kms_key_id"], dflt::LOGS_ENCRYPTION);
            let ret = v.get("retention_in_days");
            match ret.state() {
                _ if s.left_to_provider(&ret, &["retention_in_days"]) => o.default(dflt::LOGS_RETENTION, "retention_forever", &ret),
                St::Known(x) => match loose_f64(x) {
                    Some(0.0) => o.put("retention_forever", Some(ret.known(true))),
                    Some(d) => {
                        o.put("retention_forever", Some(ret.known(false)));
                        o.put("retention_days", Some(ret.known(num(d))));
                    }
                    None => o.put("retention_forever", Some(Prop::unknown(format!("unreadable retention {}", x.to_value()), ret.pointer()))),
                },
                St::Unknown => o.put("retention_forever", Some(ret.unknown())),
                St::Absent => o.default(dflt::LOGS_RETENTION, "retention_forever", &ret),
            }
            "log_group"
        }
        "aws_secretsmanager_secret" => {
            key_fact(s, o, &v.get("kms_key_id"), &["kms_key_id"], dflt::SECRETS_KEY);
            resource_policy(s, o, "policy");
            // Rotation is its own resource (`aws_secretsmanager_secret_rotation`), joined later.
            if s.new || s.has_config {
                o.default(dflt::SECRETS_ROTATION, "rotation_enabled", v);
            }
            "secret"
        }
        "aws_secretsmanager_secret_rotation" => {
            let rules = v.block("rotation_rules");
            o.put("rotation_enabled", Some(v.known(true)));
            o.num("rotation_period_days", &rules.get("automatically_after_days"));
            "other"
        }
        "aws_ecr_repository" => {
            let enc = v.block("encryption_configuration");
            match enc.get("encryption_type").state() {
                St::Known(Json::String(t)) if t.to_ascii_uppercase().starts_with("KMS") => {
                    o.put("encryption_at_rest", Some(enc.get("encryption_type").known(true)));
                    let k = enc.get("kms_key");
                    match k.state() {
                        St::Known(x) if non_empty(x) => key_fact(s, o, &k, &["encryption_configuration", "kms_key"], dflt::ECR_ENCRYPTION),
                        St::Unknown if configured(s.cfg, &["encryption_configuration", "kms_key"]) => key_fact(s, o, &k, &["encryption_configuration", "kms_key"], dflt::ECR_ENCRYPTION),
                        // KMS without a key: the AWS managed `aws/ecr` key.
                        _ => o.put("encryption_key", Some(enc.get("encryption_type").known("provider"))),
                    }
                }
                St::Known(_) => {
                    o.put("encryption_at_rest", Some(enc.get("encryption_type").known(true)));
                    o.put("encryption_key", Some(enc.get("encryption_type").known("provider")));
                }
                St::Unknown if configured(s.cfg, &["encryption_configuration", "encryption_type"]) => {
                    o.put("encryption_key", Some(enc.get("encryption_type").unknown()));
                }
                _ => {
                    o.default(dflt::ECR_ENCRYPTION, "encryption_at_rest", &v.get("encryption_configuration"));
                    o.default(dflt::ECR_ENCRYPTION, "encryption_key", &v.get("encryption_configuration"));
                }
            }
            let scan = v.block("image_scanning_configuration").get("scan_on_push");
            if s.left_to_provider(&scan, &["image_scanning_configuration", "scan_on_push"]) || matches!(scan.state(), St::Absent) && s.new {
                o.default(dflt::ECR_SCAN, "scan_on_push", &v.get("image_scanning_configuration"));
            } else {
                o.bool("scan_on_push", &scan);
            }
            let m = v.get("image_tag_mutability");
            if s.left_to_provider(&m, &["image_tag_mutability"]) {
                o.default(dflt::ECR_MUTABLE, "image_tags_immutable", &m);
            } else {
                o.put("image_tags_immutable", m.prop(|x| x.as_str().map(|t| Value::Bool(t.to_ascii_uppercase().starts_with("IMMUTABLE")))));
            }
            if s.new || s.has_config {
                // The repository policy is its own resource (`aws_ecr_repository_policy`), joined later.
                o.put("resource_policy", Some(v.known(Value::Null)));
            }
            "container_registry"
        }
        "aws_ecr_repository_policy" | "aws_sqs_queue_policy" | "aws_sns_topic_policy" | "aws_secretsmanager_secret_policy" => {
            o.put("resource_policy", policy_doc(&v.get("policy")));
            "other"
        }
        "aws_dynamodb_table" => {
            let sse = v.get("server_side_encryption");
            let enabled = sse.at(0).get("enabled");
            match enabled.state() {
                _ if s.left_to_provider(&sse, &["server_side_encryption"]) => {
                    o.default(dflt::DYNAMODB_KEY, "encryption_at_rest", &sse);
                    o.default(dflt::DYNAMODB_KEY, "encryption_key", &sse);
                }
                St::Known(x) if loose_bool(x) == Some(true) => {
                    o.put("encryption_at_rest", Some(enabled.known(true)));
                    let k = sse.at(0).get("kms_key_arn");
                    match k.state() {
                        St::Known(x) if non_empty(x) => key_fact(s, o, &k, &["server_side_encryption", "kms_key_arn"], dflt::DYNAMODB_KEY),
                        St::Unknown if configured(s.cfg, &["server_side_encryption", "kms_key_arn"]) || !s.has_config => {
                            key_fact(s, o, &k, &["server_side_encryption", "kms_key_arn"], dflt::DYNAMODB_KEY)
                        }
                        // Enabled without a key: the AWS managed `aws/dynamodb` key.
                        _ => o.put("encryption_key", Some(enabled.known("provider"))),
                    }
                }
                St::Unknown => o.put("encryption_key", Some(enabled.unknown())),
                // Off or absent: DynamoDB encrypts with an AWS owned key.
                _ => {
                    o.default(dflt::DYNAMODB_KEY, "encryption_at_rest", &sse);
                    o.default(dflt::DYNAMODB_KEY, "encryption_key", &sse);
                }
            }
            let pitr = v.get("point_in_time_recovery");
            let pe = pitr.at(0).get("enabled");
            if s.left_to_provider(&pitr, &["point_in_time_recovery"]) || (s.new && matches!(pe.state(), St::Absent)) {
                o.default(dflt::DYNAMODB_PITR, "point_in_time_recovery", &pitr);
            } else if matches!(pitr.state(), St::Known(Json::Array(a)) if a.is_empty()) {
                o.put("point_in_time_recovery", Some(pitr.known(false)));
            } else {
                o.bool("point_in_time_recovery", &pe);
            }
            let dp = v.get("deletion_protection_enabled");
            if s.left_to_provider(&dp, &["deletion_protection_enabled"]) {
                o.default(dflt::DYNAMODB_DELETION, "deletion_protection", &dp);
            } else {
                o.bool("deletion_protection", &dp);
            }
            "nosql_table"
        }
        "aws_lambda_function" => {
            lambda(s, o);
            if s.new || s.has_config {
                // Permissions are their own resources (`aws_lambda_permission`), joined later.
                o.put("resource_policy", Some(v.known(Value::Null)));
            }
            "serverless_function"
        }
        "aws_lambda_permission" => {
            let (principal, action) = (v.get("principal"), v.get("action"));
            let p = match (principal.state(), action.state()) {
                (St::Known(Json::String(pr)), St::Known(Json::String(ac))) => {
                    let text = |k: &str| v.get(k).str();
                    let doc = aws_keys::lambda_permission_policy(pr, ac, text("source_arn"), text("source_account"), text("principal_org_id"));
                    crate::ingest::aws_iam::document_prop(&doc, &v.pointer().text())
                }
                (St::Unknown, _) => principal.unknown(),
                _ => action.unknown(),
            };
            o.put("resource_policy", Some(p));
            "other"
        }
        "aws_opensearch_domain" | "aws_elasticsearch_domain" => {
            search_domain(s, o);
            "search_domain"
        }
        "aws_api_gateway_stage" | "aws_apigatewayv2_stage" => {
            let als = v.get("access_log_settings");
            if s.left_to_provider(&als, &["access_log_settings"]) || matches!(als.state(), St::Absent) {
                o.default(dflt::APIGW_ACCESS_LOGS, "access_logging", &als);
            } else {
                o.put("access_logging", Some(s.is_set(&als.at(0).get("destination_arn"), &["access_log_settings", "destination_arn"])));
            }
            if rtype == "aws_api_gateway_stage" {
                o.put("client_certificate", Some(s.is_set(&v.get("client_certificate_id"), &["client_certificate_id"])));
            }
            "api_stage"
        }
        "aws_api_gateway_method" => {
            o.str("authorization_type", &v.get("authorization"));
            o.str("http_method", &v.get("http_method"));
            o.bool("api_key_required", &v.get("api_key_required"));
            "api_method"
        }
        "aws_lb" | "aws_alb" => {
            load_balancer(s, o);
            "load_balancer"
        }
        "aws_lb_listener" | "aws_alb_listener" => {
            listener(s, o);
            "lb_listener"
        }
        "aws_elasticache_replication_group" => {
            let at = v.get("at_rest_encryption_enabled");
            if s.left_to_provider(&at, &["at_rest_encryption_enabled"]) {
                o.default(dflt::ELASTICACHE_AT_REST, "encryption_at_rest", &at);
            } else {
                o.bool("encryption_at_rest", &at);
            }
            match o.r.prop("encryption_at_rest").and_then(Prop::value) {
                Some(Value::Bool(true)) => {
                    let k = v.get("kms_key_id");
                    match k.state() {
                        St::Known(x) if non_empty(x) => key_fact(s, o, &k, &["kms_key_id"], dflt::ELASTICACHE_AT_REST),
                        St::Unknown if configured(s.cfg, &["kms_key_id"]) || !s.has_config => key_fact(s, o, &k, &["kms_key_id"], dflt::ELASTICACHE_AT_REST),
                        // Encrypted without a key: a key ElastiCache manages.
                        _ => o.put("encryption_key", Some(k.known("provider"))),
                    }
                }
                Some(Value::Bool(false)) => o.put("encryption_key", Some(at.known("none"))),
                _ => {}
            }
            let tr = v.get("transit_encryption_enabled");
            if s.left_to_provider(&tr, &["transit_encryption_enabled"]) {
                o.default(dflt::ELASTICACHE_TRANSIT, "encryption_in_transit", &tr);
            } else {
                o.bool("encryption_in_transit", &tr);
            }
            "cache_cluster"
        }
        "aws_redshift_cluster" => {
            let enc = v.get("encrypted");
            if s.left_to_provider(&enc, &["encrypted"]) {
                o.default(dflt::REDSHIFT_ENCRYPTION, "encryption_at_rest", &enc);
            } else {
                o.bool("encryption_at_rest", &enc);
            }
            if matches!(enc.state(), St::Known(x) if loose_bool(x) == Some(true)) {
                key_fact(s, o, &v.get("kms_key_id"), &["kms_key_id"], dflt::REDSHIFT_ENCRYPTION);
            }
            let public = v.get("publicly_accessible");
            if s.left_to_provider(&public, &["publicly_accessible"]) {
                o.default(dflt::REDSHIFT_PRIVATE, "publicly_accessible", &public);
            } else {
                o.bool("publicly_accessible", &public);
            }
            // The `logging` block (provider v4 and v5); `aws_redshift_logging` joins over it.
            let lg = v.get("logging");
            match lg.state() {
                St::Known(x) if non_empty(x) => o.bool("audit_logging", &lg.at(0).get("enable")),
                St::Unknown if configured(s.cfg, &["logging"]) || !s.has_config => o.put("audit_logging", Some(lg.unknown())),
                _ => o.default(dflt::REDSHIFT_AUDIT_LOGS, "audit_logging", &lg),
            }
            "data_warehouse"
        }
        "aws_redshift_logging" => {
            o.put("audit_logging", Some(v.known(true)));
            "other"
        }
        "aws_rds_cluster" | "aws_docdb_cluster" | "aws_neptune_cluster" => {
            db_cluster(s, o);
            "db_cluster"
        }
        "aws_launch_template" => {
            let mo = v.get("metadata_options");
            if s.left_to_provider(&mo, &["metadata_options"]) || matches!(mo.state(), St::Absent) {
                o.default(dflt::EC2_IMDS, "imdsv2_required", &mo);
            } else {
                o.put("imdsv2_required", imdsv2(&mo));
            }
            let nis = v.get("network_interfaces");
            let mut sig = Vec::new();
            for ni in nis.items() {
                sig.push(ni.get("associate_public_ip_address").prop(bool_of));
            }
            match nis.state() {
                St::Unknown => o.put("public_ip", Some(nis.unknown())),
                // No interface settings: the subnet decides (`public_ip_on_launch`).
                _ if sig.iter().all(Option::is_none) => {}
                _ => o.put("public_ip", fold_or(sig)),
            }
            "launch_template"
        }
        "aws_subnet" => {
            let m = v.get("map_public_ip_on_launch");
            if s.left_to_provider(&m, &["map_public_ip_on_launch"]) {
                o.default(dflt::SUBNET_PUBLIC_IP, "public_ip_on_launch", &m);
            } else {
                o.bool("public_ip_on_launch", &m);
            }
            "subnet"
        }
        "aws_guardduty_detector" => {
            o.bool_or("enabled", &v.get("enable"), true);
            "threat_detector"
        }
        "aws_config_configuration_recorder" => {
            let rg = v.get("recording_group");
            let all = rg.at(0).get("all_supported");
            match rg.state() {
                St::Known(x) if non_empty(x) => {
                    o.bool_or("records_all_resources", &all, true);
                    o.bool_or("records_global_resources", &rg.at(0).get("include_global_resource_types"), false);
                }
                St::Unknown if configured(s.cfg, &["recording_group"]) || !s.has_config => {
                    o.put("records_all_resources", Some(rg.unknown()));
                    o.put("records_global_resources", Some(rg.unknown()));
                }
                _ => {
                    o.default(dflt::CONFIG_RECORDER_ALL, "records_all_resources", &rg);
                    o.default(dflt::CONFIG_RECORDER_ALL, "records_global_resources", &rg);
                }
            }
            "config_recorder"
        }
        "aws_s3_bucket_replication_configuration" => {
            o.present("replication", &v.get("rule"));
            "other"
        }
        "aws_vpc_security_group_egress_rule" => {
            let e = aws_perm(v, "ip_protocol", &["cidr_ipv4", "cidr_ipv6"]);
            o.put("egress", Some(v.known(Value::Array(vec![e]))));
            "firewall"
        }
        _ => "other",
    }
}

/// Does the resource name a key (known, or known after apply but set in the configuration)?
fn customer_key_given(s: &Src, k: &V, path: &[&str]) -> bool {
    match k.state() {
        St::Known(x) => non_empty(x),
        St::Unknown => configured(s.cfg, path),
        St::Absent => false,
    }
}

/// `encryption_key` and `encryption_key_id` from a key attribute. No key:
/// the service's own key, as the default `absent` says. A key named in the
/// configuration by reference to a KMS key resource of the plan is a
/// customer managed key; an ARN or key id waits for the key
/// (`aws_keys::settle`).
pub(super) fn key_fact(s: &Src, o: &mut Out, k: &V, path: &[&str], absent: &str) {
    match k.state() {
        St::Known(Json::String(id)) if !id.trim().is_empty() => {
            o.put("encryption_key_id", Some(k.known(id.trim())));
            let p = match aws_keys::classify(id) {
                KeyRef::ById if kms_reference(s.cfg, path) => k.known("customer"),
                _ => aws_keys::prop_for(id, k.pointer()),
            };
            o.put("encryption_key", Some(p));
        }
        St::Unknown if kms_reference(s.cfg, path) => o.put("encryption_key", Some(k.known("customer"))),
        St::Unknown if configured(s.cfg, path) || !s.has_config => o.put("encryption_key", Some(k.unknown())),
        _ => o.default(absent, "encryption_key", k),
    }
}

/// Does the configuration set this attribute from a KMS key (or alias) resource of the plan?
pub(super) fn kms_reference(cfg: Option<&Value>, path: &[&str]) -> bool {
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
    cur.get("references").and_then(Value::as_array).is_some_and(|refs| {
        refs.iter().filter_map(Value::as_str).filter_map(ref_target).any(|(t, _, _)| matches!(t, "aws_kms_key" | "aws_kms_replica_key" | "aws_kms_alias"))
    })
}

/// A resource policy attribute (`policy`): the document, `null` for none.
/// A computed policy the configuration does not set is the service's own
/// (none, or the owner-only default of SNS): `null`; a separate policy
/// resource joins over it.
fn resource_policy(s: &Src, o: &mut Out, attr: &str) {
    let pol = s.v.get(attr);
    match pol.state() {
        St::Unknown if s.has_config && !configured(s.cfg, &[attr]) => o.put("resource_policy", Some(pol.known(Value::Null))),
        St::Absent if !s.new && !s.has_config => {}
        _ => o.put("resource_policy", policy_doc(&pol)),
    }
}

/// `aws_lambda_function`: network placement, environment variables and their key.
fn lambda(s: &Src, o: &mut Out) {
    let v = &s.v;
    let vpc = v.get("vpc_config");
    match vpc.state() {
        St::Known(x) if non_empty(x) => {
            let subnets = vpc.at(0).get("subnet_ids");
            o.put("in_vpc", subnets.prop(|x| Some(Value::Bool(non_empty(x)))).or(Some(subnets.known(false))));
        }
        St::Unknown if configured(s.cfg, &["vpc_config"]) || !s.has_config => o.put("in_vpc", Some(vpc.unknown())),
        _ => o.put("in_vpc", Some(vpc.known(false))),
    }
    let vars = v.block("environment").get("variables");
    match vars.state() {
        St::Known(Json::Object(m)) => {
            o.put("env_variable_count", Some(vars.known(m.len())));
            let names: Vec<Value> = m
                .iter()
                .filter(|(n, val)| val.as_str().is_some_and(|t| crate::ingest::kubernetes::secret_like(n, t)))
                .map(|(n, _)| Value::String(n.to_string()))
                .collect();
            o.put("env_literal_secrets", Some(vars.known(Value::Array(names))));
        }
        St::Unknown => {
            o.put("env_variable_count", Some(vars.unknown()));
            o.put("env_literal_secrets", Some(vars.unknown()));
        }
        _ => {
            o.put("env_variable_count", Some(vars.known(0)));
            o.put("env_literal_secrets", Some(vars.known(Value::Array(Vec::new()))));
        }
    }
    key_fact(s, o, &v.get("kms_key_arn"), &["kms_key_arn"], dflt::LAMBDA_ENV_KEY);
}

/// `aws_opensearch_domain` / `aws_elasticsearch_domain`.
fn search_domain(s: &Src, o: &mut Out) {
    let v = &s.v;
    let flag = |o: &mut Out, block: &str, attr: &str, canon: &str, default: &str| {
        let b = v.get(block);
        let e = b.at(0).get(attr);
        if s.left_to_provider(&b, &[block]) || (s.new && matches!(e.state(), St::Absent)) {
            o.default(default, canon, &b);
        } else if matches!(b.state(), St::Known(Json::Array(a)) if a.is_empty()) {
            o.put(canon, Some(b.known(false)));
        } else {
            o.bool(canon, &e);
        }
    };
    flag(o, "encrypt_at_rest", "enabled", "encryption_at_rest", dflt::SEARCH_AT_REST);
    flag(o, "node_to_node_encryption", "enabled", "node_to_node_encryption", dflt::SEARCH_NODE_TO_NODE);
    flag(o, "domain_endpoint_options", "enforce_https", "https_only", dflt::SEARCH_HTTPS);
    let policy = v.block("domain_endpoint_options").get("tls_security_policy");
    o.put("min_tls_version", policy.prop(|x| x.as_str().and_then(search_tls_min).map(|t| Value::String(t.into()))));
    let vpc = v.get("vpc_options");
    match vpc.state() {
        St::Known(x) if non_empty(x) => {
            let subnets = vpc.at(0).get("subnet_ids");
            o.put("in_vpc", subnets.prop(|x| Some(Value::Bool(non_empty(x)))).or(Some(subnets.known(false))));
        }
        St::Unknown if configured(s.cfg, &["vpc_options"]) || !s.has_config => o.put("in_vpc", Some(vpc.unknown())),
        _ => o.put("in_vpc", Some(vpc.known(false))),
    }
    let logs = v.get("log_publishing_options");
    match logs.state() {
        St::Unknown if configured(s.cfg, &["log_publishing_options"]) || !s.has_config => o.put("audit_logging", Some(logs.unknown())),
        St::Unknown | St::Absent => o.put("audit_logging", Some(logs.known(false))),
        St::Known(_) => {
            let mut sig = Vec::new();
            for l in logs.items() {
                let audit = l.get("log_type").str().is_some_and(|t| t.eq_ignore_ascii_case("AUDIT_LOGS"));
                if audit {
                    sig.push(Some(l.get("enabled").prop(bool_of).unwrap_or_else(|| l.known(true))));
                }
            }
            o.put("audit_logging", fold_or(sig).or(Some(logs.known(false))));
        }
    }
    key_fact_if_encrypted(s, o, &v.block("encrypt_at_rest").get("kms_key_id"), &["encrypt_at_rest", "kms_key_id"]);
}

fn key_fact_if_encrypted(s: &Src, o: &mut Out, k: &V, path: &[&str]) {
    if o.r.prop("encryption_at_rest").is_some_and(Prop::is_true) {
        match k.state() {
            St::Known(x) if non_empty(x) => key_fact(s, o, k, path, dflt::SEARCH_AT_REST),
            St::Unknown if configured(s.cfg, path) || !s.has_config => key_fact(s, o, k, path, dflt::SEARCH_AT_REST),
            // Encrypted without a key: the AWS managed `aws/es` key.
            _ => o.put("encryption_key", Some(k.known("provider"))),
        }
    } else if o.r.prop("encryption_at_rest").and_then(Prop::value) == Some(&Value::Bool(false)) {
        o.put("encryption_key", Some(k.known("none")));
    }
}

/// `aws_lb`: type, access logs, invalid header handling, deletion protection.
fn load_balancer(s: &Src, o: &mut Out) {
    let v = &s.v;
    let t = v.get("load_balancer_type");
    match t.state() {
        St::Known(Json::String(x)) => o.put("lb_type", Some(t.known(x.to_ascii_lowercase()))),
        St::Unknown => o.put("lb_type", Some(t.unknown())),
        _ => o.put("lb_type", Some(t.known("application"))),
    }
    let logs = v.get("access_logs");
    match logs.state() {
        St::Known(x) if non_empty(x) => {
            let l = logs.at(0);
            let en = l.get("enabled");
            let on = match en.state() {
                St::Known(b) => en.known(loose_bool(b) == Some(true) && non_empty_str(&l.get("bucket"))),
                St::Unknown => en.unknown(),
                St::Absent => l.known(non_empty_str(&l.get("bucket"))),
            };
            o.put("access_logging", Some(on));
        }
        St::Unknown if configured(s.cfg, &["access_logs"]) || !s.has_config => o.put("access_logging", Some(logs.unknown())),
        _ => o.default(dflt::LB_ACCESS_LOGS, "access_logging", &logs),
    }
    let d = v.get("drop_invalid_header_fields");
    if s.left_to_provider(&d, &["drop_invalid_header_fields"]) {
        o.default(dflt::LB_INVALID_HEADERS, "drop_invalid_headers", &d);
    } else {
        o.bool("drop_invalid_headers", &d);
    }
    let dp = v.get("enable_deletion_protection");
    if s.left_to_provider(&dp, &["enable_deletion_protection"]) {
        o.default(dflt::LB_DELETION, "deletion_protection", &dp);
    } else {
        o.bool("deletion_protection", &dp);
    }
}

fn non_empty_str(v: &V) -> bool {
    matches!(v.state(), St::Known(Json::String(s)) if !s.trim().is_empty())
}

/// `aws_lb_listener`: protocol, TLS policy, redirect to HTTPS.
fn listener(s: &Src, o: &mut Out) {
    let v = &s.v;
    let p = v.get("protocol");
    match p.state() {
        St::Known(Json::String(x)) => o.put("protocol", Some(p.known(x.to_ascii_uppercase()))),
        St::Unknown => o.put("protocol", Some(p.unknown())),
        // Left out: HTTP for an application load balancer, required for a network one; the listener alone does not say which.
        _ => o.put("protocol", Some(Prop::unknown("no protocol: the load balancer's type decides it", p.pointer()))),
    }
    let pol = v.get("ssl_policy");
    o.put("min_tls_version", pol.prop(|x| x.as_str().and_then(elb_tls_min).map(|t| Value::String(t.into()))));
    o.str("tls_policy", &pol);
    let mut sig = Vec::new();
    for a in v.get("default_action").items() {
        let is_redirect = a.get("type").str().is_some_and(|t| t.eq_ignore_ascii_case("redirect"));
        if is_redirect {
            sig.push(a.block("redirect").get("protocol").prop(|x| x.as_str().map(|t| Value::Bool(t.eq_ignore_ascii_case("HTTPS")))));
        } else {
            sig.push(Some(a.known(false)));
        }
    }
    o.put("redirects_to_https", fold_and(sig).or(Some(v.known(false))));
}

/// All signals true → true; any false → false; else unknown.
fn fold_and(sig: Vec<Option<Prop>>) -> Option<Prop> {
    let mut out: Option<Prop> = None;
    for p in sig.into_iter().flatten() {
        match (&out, &p) {
            (_, Prop::Known { value, .. }) if **value == Value::Bool(false) => return Some(p),
            (None, _) | (Some(Prop::Known { .. }), Prop::Unknown { .. }) => out = Some(p),
            _ => {}
        }
    }
    out
}

/// `aws_rds_cluster`, `aws_docdb_cluster`, `aws_neptune_cluster`.
fn db_cluster(s: &Src, o: &mut Out) {
    let v = &s.v;
    let enc = v.get("storage_encrypted");
    if s.left_to_provider(&enc, &["storage_encrypted"]) {
        o.default(dflt::DB_CLUSTER_ENCRYPTION, "encryption_at_rest", &enc);
        o.default(dflt::DB_CLUSTER_ENCRYPTION, "encryption_key", &enc);
    } else {
        o.bool("encryption_at_rest", &enc);
        match enc.state() {
            St::Known(x) if loose_bool(x) == Some(true) => {
                let k = v.get("kms_key_id");
                match k.state() {
                    St::Known(x) if non_empty(x) => key_fact(s, o, &k, &["kms_key_id"], dflt::DB_CLUSTER_ENCRYPTION),
                    St::Unknown if configured(s.cfg, &["kms_key_id"]) || !s.has_config => key_fact(s, o, &k, &["kms_key_id"], dflt::DB_CLUSTER_ENCRYPTION),
                    _ => o.put("encryption_key", Some(k.known("provider"))),
                }
            }
            St::Known(_) => o.put("encryption_key", Some(enc.known("none"))),
            _ => {}
        }
    }
    let dp = v.get("deletion_protection");
    if s.left_to_provider(&dp, &["deletion_protection"]) {
        o.default(dflt::DB_CLUSTER_DELETION, "deletion_protection", &dp);
    } else {
        o.bool("deletion_protection", &dp);
    }
    let br = v.get("backup_retention_period");
    if s.left_to_provider(&br, &["backup_retention_period"]) {
        o.default(dflt::DB_CLUSTER_BACKUP, "backup_retention_days", &br);
    } else {
        o.num("backup_retention_days", &br);
    }
    let logs = v.get("enabled_cloudwatch_logs_exports");
    match logs.state() {
        St::Known(Json::Array(a)) => o.put("log_exports", Some(logs.known(Value::Array(a.iter().map(Json::to_value).collect())))),
        St::Unknown if configured(s.cfg, &["enabled_cloudwatch_logs_exports"]) || !s.has_config => o.put("log_exports", Some(logs.unknown())),
        _ => o.put("log_exports", Some(logs.known(Value::Array(Vec::new())))),
    }
}
