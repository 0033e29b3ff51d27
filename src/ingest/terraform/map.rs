//! Step 2: map each resource type's attributes onto canonical kinds and properties.

use super::*;

// ---------------------------------------------------------------------------
// Per-type mapping.

pub(super) fn map_props(rtype: &str, s: &Src, o: &mut Out) -> &'static str {
    let v = &s.v;
    match rtype {
        // ---- AWS
        "aws_s3_bucket" => {
            s3_bucket(s, o);
            "object_bucket"
        }
        "aws_s3_bucket_server_side_encryption_configuration" => {
            let rule = v.block("rule");
            match rule.state() {
                St::Unknown => {
                    o.put("encryption_at_rest", Some(rule.unknown()));
                    o.put("encryption_key", Some(rule.unknown()));
                }
                _ => sse_default(s, &rule.block("apply_server_side_encryption_by_default"), &["rule", "apply_server_side_encryption_by_default", "kms_master_key_id"], o),
            }
            "other"
        }
        "aws_s3_bucket_versioning" => {
            o.put("versioning", v.block("versioning_configuration").get("status").prop(|x| x.as_str().map(|t| Value::Bool(t.eq_ignore_ascii_case("enabled")))));
            "other"
        }
        "aws_s3_bucket_public_access_block" => {
            o.put("public_access_blocked", all_true(v, &["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"]));
            o.put("public_access_block", public_access_flags(v));
            "other"
        }
        "aws_s3_bucket_logging" => {
            let target = v.get("target_bucket");
            o.put("access_logging", Some(s.is_set(&target, &["target_bucket"])));
            o.str("access_logging_target", &target);
            "other"
        }
        // Bucket IAM (joined onto `google_storage_bucket`): public when a member
        // is allUsers / allAuthenticatedUsers.
        "google_storage_bucket_iam_member" => {
            o.put("public_read", v.get("member").prop(|x| x.as_str().map(|m| Value::Bool(gcs_public_member(m)))));
            "other"
        }
        "google_storage_bucket_iam_binding" => {
            o.put("public_read", v.get("members").prop(|x| x.as_array().map(|a| Value::Bool(a.iter().filter_map(Json::as_str).any(gcs_public_member)))));
            "other"
        }
        "google_storage_bucket_iam_policy" => {
            let public = |doc: &Value| {
                doc.get("bindings").and_then(Value::as_array).is_some_and(|b| {
                    b.iter().any(|binding| binding.get("members").and_then(Value::as_array).is_some_and(|m| m.iter().filter_map(Value::as_str).any(gcs_public_member)))
                })
            };
            o.put("public_read", v.get("policy_data").prop(|x| x.as_str().and_then(|t| serde_json::from_str::<Value>(t).ok()).map(|doc| Value::Bool(public(&doc)))));
            "other"
        }
        "aws_s3_bucket_acl" => {
            let mut sig = Vec::new();
            acl_signals(v, &mut sig);
            let grants: Vec<V> = v.block("access_control_policy").get("grant").items();
            for g in grants {
                sig.push(grant_public(&g));
            }
            o.put("public_read", fold_or(sig));
            "other"
        }
        "aws_s3_bucket_policy" => {
            o.put("bucket_policy", policy_doc(&v.get("policy")));
            "other"
        }
        "aws_s3_bucket_object_lock_configuration" => {
            o.put("object_lock", v.get("object_lock_enabled").prop(|x| x.as_str().map(|t| Value::Bool(t.eq_ignore_ascii_case("enabled")))).or(Some(v.known(true))));
            "other"
        }
        "aws_security_group" => {
            o.put("ingress", aws_sg_ingress(&v.get("ingress")));
            // Terraform removes the default allow-all egress rule of a group it
            // creates: egress the configuration does not set is none.
            let eg = v.get("egress");
            match eg.state() {
                St::Unknown if s.has_config && !configured(s.cfg, &["egress"]) => o.put("egress", Some(eg.known(Value::Array(Vec::new())))),
                St::Absent if s.new => o.put("egress", Some(eg.known(Value::Array(Vec::new())))),
                _ => o.put("egress", aws_sg_ingress(&eg)),
            }
            // EC2 reserves the name "default": a group Terraform creates is never a VPC's default group.
            o.put("default_group", Some(v.known(false)));
            "firewall"
        }
        // A VPC's default security group, adopted: Terraform removes every
        // rule it holds and adds those of the configuration, so a list the
        // configuration does not set is empty once applied.
        "aws_default_security_group" => {
            for dir in ["ingress", "egress"] {
                let l = v.get(dir);
                match l.state() {
                    St::Unknown if s.has_config && !configured(s.cfg, &[dir]) => o.put(dir, Some(l.known(Value::Array(Vec::new())))),
                    St::Absent if s.new => o.put(dir, Some(l.known(Value::Array(Vec::new())))),
                    _ => o.put(dir, aws_sg_ingress(&l)),
                }
            }
            o.put("default_group", Some(v.known(true)));
            "firewall"
        }
        "aws_security_group_rule" => {
            let e = || Value::Array(vec![aws_perm(v, "protocol", &["cidr_blocks", "ipv6_cidr_blocks"])]);
            match v.get("type").str() {
                Some(t) if t.eq_ignore_ascii_case("ingress") => {
                    o.put("ingress", Some(v.known(e())));
                    o.put("egress", Some(v.known(Value::Array(Vec::new()))));
                }
                Some(_) => {
                    o.put("ingress", Some(v.known(Value::Array(Vec::new()))));
                    o.put("egress", Some(v.known(e())));
                }
                None => {
                    o.put("ingress", Some(v.get("type").unknown()));
                    o.put("egress", Some(v.get("type").unknown()));
                }
            }
            "firewall"
        }
        "aws_vpc_security_group_ingress_rule" => {
            let e = aws_perm(v, "ip_protocol", &["cidr_ipv4", "cidr_ipv6"]);
            o.put("ingress", Some(v.known(Value::Array(vec![e]))));
            "firewall"
        }
        "aws_instance" => {
            let mo = v.get("metadata_options");
            if s.left_to_provider(&mo, &["metadata_options"]) {
                o.default(dflt::EC2_IMDS, "imdsv2_required", &mo);
            } else {
                o.put("imdsv2_required", imdsv2(&mo));
            }
            o.bool("public_ip", &v.get("associate_public_ip_address"));
            let root = v.block("root_block_device");
            o.bool("disk_encryption", &root.get("encrypted"));
            if let St::Known(Json::Bool(true)) = root.get("encrypted").state() {
                o.put("encryption_key", s.key_kind(&root.get("kms_key_id"), &["root_block_device", "kms_key_id"]));
            }
            o.bool("detailed_monitoring", &v.get("monitoring"));
            "virtual_machine"
        }
        "aws_ebs_volume" => {
            o.bool("encryption_at_rest", &v.get("encrypted"));
            match v.get("encrypted").state() {
                St::Known(x) if loose_bool(x) == Some(true) => aws_services::key_fact(s, o, &v.get("kms_key_id"), &["kms_key_id"], dflt::EBS_DEFAULT_KEY),
                St::Known(_) => o.put("encryption_key", Some(v.get("encrypted").known("none"))),
                _ => {}
            }
            "block_volume"
        }
        "aws_db_instance" => {
            let enc = v.get("storage_encrypted");
            if s.left_to_provider(&enc, &["storage_encrypted"]) {
                o.default(dflt::RDS_ENCRYPTION, "encryption_at_rest", &enc);
            } else {
                o.bool("encryption_at_rest", &enc);
            }
            match o.r.prop("encryption_at_rest").and_then(Prop::value) {
                Some(Value::Bool(true)) => aws_services::key_fact(s, o, &v.get("kms_key_id"), &["kms_key_id"], dflt::RDS_DEFAULT_KEY),
                Some(Value::Bool(false)) if s.left_to_provider(&enc, &["storage_encrypted"]) => o.default(dflt::RDS_ENCRYPTION, "encryption_key", &enc),
                Some(Value::Bool(false)) => o.put("encryption_key", Some(enc.known("none"))),
                _ => {}
            }
            o.bool_or("publicly_accessible", &v.get("publicly_accessible"), false);
            o.num("backup_retention_days", &v.get("backup_retention_period"));
            o.bool("multi_az", &v.get("multi_az"));
            o.bool_or("deletion_protection", &v.get("deletion_protection"), false);
            o.bool_or("auto_minor_version_upgrade", &v.get("auto_minor_version_upgrade"), true);
            "database"
        }
        "aws_kms_key" => {
            let rot = v.get("enable_key_rotation");
            o.bool_or("rotation_enabled", &rot, false);
            match v.get("rotation_period_in_days").state() {
                St::Absent if matches!(rot.state(), St::Known(x) if loose_bool(x) == Some(true)) => o.set("rotation_period_days", 365, &rot.ptr),
                _ => o.num("rotation_period_days", &v.get("rotation_period_in_days")),
            }
            o.bool_or("enabled", &v.get("is_enabled"), true);
            // Keys a configuration creates are customer managed keys.
            o.put("key_manager", Some(v.known("customer")));
            let ids: Vec<Value> = ["arn", "key_id", "id"].iter().filter_map(|k| v.get(k).str()).filter(|x| !x.is_empty()).map(|x| Value::String(x.to_string())).collect();
            if !ids.is_empty() {
                o.put("key_ids", Some(v.known(Value::Array(ids))));
            }
            let dw = v.get("deletion_window_in_days");
            o.put("deletion_window_days", dw.prop(num_of).or_else(|| Some(dw.known(30))));
            // A policy the configuration does not set is KMS's default (the account only): `null`.
            let kp = v.get("policy");
            match kp.state() {
                St::Unknown if !configured(s.cfg, &["policy"]) && s.has_config => o.put("key_policy", Some(v.known(Value::Null))),
                _ => o.put("key_policy", policy_doc(&kp)),
            }
            "kms_key"
        }
        "aws_cloudtrail" => {
            o.bool_or("multi_region", &v.get("is_multi_region_trail"), false);
            o.bool_or("log_file_validation", &v.get("enable_log_file_validation"), false);
            o.put("kms_encrypted", Some(s.is_set(&v.get("kms_key_id"), &["kms_key_id"])));
            o.bool_or("logging_enabled", &v.get("enable_logging"), true);
            o.put("cloudwatch_integration", Some(s.is_set(&v.get("cloud_watch_logs_group_arn"), &["cloud_watch_logs_group_arn"])));
            "audit_trail"
        }
        "aws_vpc" => "network",
        "aws_flow_log" => {
            let target = ["vpc_id", "subnet_id", "eni_id", "transit_gateway_id", "transit_gateway_attachment_id"]
                .iter()
                .map(|k| v.get(k))
                .find(|t| !matches!(t.state(), St::Absent) && !matches!(t.state(), St::Known(Json::String(x)) if x.is_empty()));
            if let Some(t) = target {
                o.str("target_id", &t);
            }
            o.str("traffic_type", &v.get("traffic_type"));
            "flow_log"
        }
        "aws_iam_user" => {
            iam_principal(s, o);
            "iam_user"
        }
        "aws_iam_group" => {
            iam_principal(s, o);
            "iam_group"
        }
        "aws_iam_policy" => {
            let e = policy_entry("managed", v.get("name").str(), v.get("arn").str(), &v.get("policy"));
            o.put("policies", Some(v.get("policy").known(Value::Array(vec![e]))));
            "iam_policy"
        }
        "aws_iam_role" => {
            iam_role(s, o);
            "iam_role"
        }
        "aws_iam_user_policy" | "aws_iam_role_policy" | "aws_iam_group_policy" => {
            let e = policy_entry("inline", v.get("name").str(), None, &v.get("policy"));
            o.put("policies", Some(v.known(Value::Array(vec![e]))));
            o.put("inline_policy_count", Some(v.known(1)));
            "other"
        }
        "aws_iam_user_policy_attachment" | "aws_iam_role_policy_attachment" | "aws_iam_group_policy_attachment" => {
            attachment(s, o, rtype);
            "other"
        }
        "aws_eks_cluster" => {
            eks(s, o);
            "k8s_cluster"
        }
        // ---- Azure
        "azurerm_storage_account" => {
            azure_storage(s, o);
            azs::storage_more(s, o);
            // Set when an azurerm_private_endpoint of the input connects to it (joined).
            o.put("private_endpoint", Some(v.known(false)));
            "storage_account"
        }
        "azurerm_storage_account_customer_managed_key" => {
            o.set("encryption_key", "customer", &v.ptr);
            "other"
        }
        "azurerm_mssql_server_extended_auditing_policy" => {
            o.bool_or("auditing_enabled", &v.get("enabled"), true);
            "other"
        }
        "azurerm_mssql_server_transparent_data_encryption" => {
            let key = [("key_vault_key_id", v.get("key_vault_key_id")), ("managed_hsm_key_id", v.get("managed_hsm_key_id"))]
                .into_iter()
                .map(|(k, x)| s.is_set(&x, &[k]))
                .fold(None::<Prop>, |acc, p| match acc {
                    None => Some(p),
                    Some(a) => Some(merge_or(&a, p)),
                });
            o.put("encryption_key", key.map(customer_if_set));
            "other"
        }
        "azurerm_postgresql_flexible_server_configuration" | "azurerm_mysql_flexible_server_configuration" => {
            if v.get("name").str().is_some_and(|n| n.eq_ignore_ascii_case("require_secure_transport")) {
                o.put("require_tls", v.get("value").prop(|x| x.as_str().map(|t| Value::Bool(t.trim().eq_ignore_ascii_case("on")))));
            }
            "other"
        }
        "azurerm_postgresql_flexible_server" | "azurerm_mysql_flexible_server" => {
            azs::flexible_server(s, o);
            "database"
        }
        "azurerm_linux_web_app" | "azurerm_windows_web_app" | "azurerm_linux_function_app" | "azurerm_windows_function_app" | "azurerm_app_service" | "azurerm_function_app" => {
            azs::web_app(s, o);
            "web_app"
        }
        "azurerm_cosmosdb_account" => {
            azs::cosmos(s, o);
            "cosmos_account"
        }
        "azurerm_role_definition" => {
            azs::role_definition(s, o);
            "role_definition"
        }
        "azurerm_log_analytics_workspace" => {
            azs::log_workspace(s, o);
            "log_workspace"
        }
        "azurerm_security_center_subscription_pricing" => {
            azs::pricing(s, o);
            "other"
        }
        "azurerm_monitor_diagnostic_setting" => {
            azs::diagnostic_setting(s, o);
            "other"
        }
        "azurerm_storage_account_network_rules" => {
            let action = v.get("default_action");
            o.put("network_default_deny", action.prop(|a| a.as_str().map(|a| Value::Bool(a.eq_ignore_ascii_case("deny")))));
            "other"
        }
        "azurerm_storage_container" => {
            let t = v.get("container_access_type");
            if s.left_to_provider(&t, &["container_access_type"]) {
                o.default(dflt::AZURE_CONTAINER, "public_access", &t);
            } else {
                o.put("public_access", t.prop(|x| x.as_str().map(|a| Value::String(if a.eq_ignore_ascii_case("private") { "none".into() } else { a.to_ascii_lowercase() }))));
            }
            "blob_container"
        }
        "azurerm_network_security_group" => {
            let rules = v.get("security_rule");
            let p = match rules.state() {
                St::Known(_) => Some(rules.known(Value::Array(rules.items().iter().flat_map(azure_rule).collect()))),
                St::Unknown => Some(rules.unknown()),
                St::Absent => None,
            };
            o.put("ingress", p);
            if s.new {
                o.default(dflt::AZ_NO_DIAG, "diagnostic_logs", v);
            }
            "firewall"
        }
        "azurerm_network_security_rule" => {
            o.put("ingress", Some(v.known(Value::Array(azure_rule(v)))));
            "firewall"
        }
        "azurerm_virtual_network" => "network",
        "azurerm_network_watcher_flow_log" => {
            azure_services::flow_log(s, o);
            "flow_log"
        }
        "azurerm_private_endpoint" => {
            azure_services::private_endpoint(s, o);
            "other"
        }
        "azurerm_sql_firewall_rule"
        | "azurerm_mssql_firewall_rule"
        | "azurerm_postgresql_firewall_rule"
        | "azurerm_postgresql_flexible_server_firewall_rule"
        | "azurerm_mysql_firewall_rule"
        | "azurerm_mysql_flexible_server_firewall_rule"
        | "azurerm_mariadb_firewall_rule" => {
            o.str("start_ip", &v.get("start_ip_address"));
            o.str("end_ip", &v.get("end_ip_address"));
            "db_firewall_rule"
        }
        "azurerm_mssql_server" | "azurerm_sql_server" => {
            o.str("min_tls_version", &v.get("minimum_tls_version"));
            let pna = v.get("public_network_access_enabled");
            azs::fact(s, o, "publicly_accessible", (&pna, &["public_network_access_enabled"]), bool_of, azs::Dflt::New(dflt::AZ_SQL_PUBLIC));
            if !o.r.props.contains_key("publicly_accessible") {
                o.bool_or("publicly_accessible", &pna, true);
            }
            azs::mssql_more(s, o);
            // Set when an azurerm_private_endpoint of the input connects to it (joined).
            o.put("private_endpoint", Some(v.known(false)));
            "sql_server"
        }
        "azurerm_managed_disk" => {
            o.default(dflt::AZ_DISK_SSE, "encryption_at_rest", v);
            o.put("encryption_key", Some(s.is_set(&v.get("disk_encryption_set_id"), &["disk_encryption_set_id"])).map(customer_if_set));
            "block_volume"
        }
        "azurerm_linux_virtual_machine" | "azurerm_windows_virtual_machine" | "azurerm_virtual_machine" => {
            azure_vm(s, o, rtype);
            "virtual_machine"
        }
        "azurerm_key_vault" => {
            // Set when an azurerm_private_endpoint of the input connects to it (joined).
            o.put("private_endpoint", Some(v.known(false)));
            o.bool_or("purge_protection", &v.get("purge_protection_enabled"), false);
            let sd = v.get("soft_delete_enabled");
            // Removed from azurerm 3.x: soft delete is always on.
            if matches!(sd.state(), St::Absent) {
                o.default(dflt::AZ_KV_SOFT_DELETE, "soft_delete", &sd);
            } else {
                o.bool("soft_delete", &sd);
            }
            let acls = v.get("network_acls");
            o.put("network_default_deny", default_deny(&acls));
            azs::key_vault_more(s, o);
            "key_vault"
        }
        "azurerm_key_vault_key" => {
            let pol = v.get("rotation_policy");
            // A nested block: a list of one object in plans and states.
            let auto = match pol.state() {
                St::Known(Json::Array(_)) => pol.at(0).block("automatic"),
                _ => pol.block("automatic"),
            };
            match pol.state() {
                St::Unknown => o.put("rotation_enabled", Some(pol.unknown())),
                St::Known(_) if !matches!(auto.state(), St::Absent) => {
                    o.put("rotation_enabled", Some(auto.known(true)));
                    o.put("rotation_period_days", auto.get("time_after_creation").prop(|x| x.as_str().and_then(iso_days).map(num)));
                }
                _ => o.put("rotation_enabled", Some(pol.known(false))),
            }
            o.bool_or("enabled", &v.get("enabled"), true);
            azs::vault_key_expiry(s, o);
            "kms_key"
        }
        "azurerm_key_vault_secret" => {
            azs::vault_key_expiry(s, o);
            "vault_secret"
        }
        "azurerm_container_registry" => {
            azs::registry(s, o);
            "container_registry"
        }
        "azurerm_kubernetes_cluster" => {
            aks(s, o);
            azs::aks_more(s, o);
            "k8s_cluster"
        }
        // ---- Google
        "google_storage_bucket" => {
            let ub = v.get("uniform_bucket_level_access");
            if s.left_to_provider(&ub, &["uniform_bucket_level_access"]) {
                o.default(dflt::GCS_UNIFORM, "uniform_access", &ub);
            } else {
                o.bool("uniform_access", &ub);
            }
            let pap = v.get("public_access_prevention");
            if s.left_to_provider(&pap, &["public_access_prevention"]) {
                o.default(dflt::GCS_PUBLIC_ACCESS, "public_access_blocked", &pap);
            } else {
                o.put("public_access_blocked", pap.prop(|x| x.as_str().map(|p| Value::Bool(p.eq_ignore_ascii_case("enforced")))));
            }
            let ver = v.get("versioning");
            match ver.state() {
                _ if s.left_to_provider(&ver, &["versioning"]) => o.default(dflt::GCS_VERSIONING, "versioning", &ver),
                St::Known(Json::Array(a)) if a.is_empty() => o.put("versioning", Some(ver.known(false))),
                _ => o.bool("versioning", &ver.at(0).get("enabled")),
            }
            o.present("access_logging", &v.get("logging"));
            o.set("encryption_at_rest", true, &v.ptr);
            let key = v.block("encryption").get("default_kms_key_name");
            o.put("encryption_key", Some(s.is_set(&key, &["encryption", "default_kms_key_name"])).map(customer_if_set));
            let rp = v.get("retention_policy");
            o.put("retention_days", rp.at(0).get("retention_period").prop(|x| loose_f64(x).map(|sec| num(sec / 86400.0))));
            match rp.state() {
                St::Known(x) if non_empty(x) => o.bool_or("object_lock", &rp.at(0).get("is_locked"), false),
                St::Unknown => o.put("object_lock", Some(rp.unknown())),
                _ => o.put("object_lock", Some(rp.known(false))),
            }
            iam_start(s, o, "bucket");
            "object_bucket"
        }
        "google_compute_firewall" => {
            gcp_firewall(v, o);
            "firewall"
        }
        "google_compute_subnetwork" => {
            let lc = v.get("log_config");
            let p = match lc.state() {
                St::Known(x) if non_empty(x) => Some(lc.known(true)),
                St::Unknown => Some(lc.unknown()),
                _ => match v.get("enable_flow_logs").state() {
                    St::Known(x) if loose_bool(x) == Some(true) => Some(v.get("enable_flow_logs").known(true)),
                    _ => Some(lc.known(false)),
                },
            };
            o.put("flow_logs", p);
            o.bool_or("private_google_access", &v.get("private_ip_google_access"), false);
            "network"
        }
        "google_compute_instance" => {
            gce_instance(s, o);
            "virtual_machine"
        }
        "google_compute_disk" => {
            o.set("encryption_at_rest", true, &v.ptr);
            let dek = v.block("disk_encryption_key");
            let p = ["kms_key_self_link", "raw_key", "rsa_encrypted_key"].iter().map(|k| s.is_set(&dek.get(k), &["disk_encryption_key", k])).fold(None::<Prop>, |acc, p| match acc {
                None => Some(p),
                Some(a) => Some(merge_or(&a, p)),
            });
            o.put("encryption_key", p.map(customer_if_set));
            "block_volume"
        }
        "google_kms_crypto_key" => {
            let rp = v.get("rotation_period");
            match rp.state() {
                St::Known(x) => match loose_f64(x) {
                    Some(sec) => {
                        o.put("rotation_enabled", Some(rp.known(true)));
                        o.put("rotation_period_days", Some(rp.known(num(sec / 86400.0))));
                    }
                    None => o.put("rotation_enabled", Some(rp.known(false))),
                },
                St::Unknown => {
                    o.put("rotation_enabled", Some(rp.unknown()));
                    o.put("rotation_period_days", Some(rp.unknown()));
                }
                St::Absent => o.put("rotation_enabled", Some(rp.known(false))),
            }
            let pl = v.block("version_template").get("protection_level");
            match pl.state() {
                St::Known(Json::String(l)) if !l.is_empty() => o.put("protection_level", Some(pl.known(l.to_ascii_uppercase()))),
                St::Unknown if configured(s.cfg, &["version_template", "protection_level"]) || !s.has_config => o.put("protection_level", Some(pl.unknown())),
                _ => o.default(dflt::KMS_PROTECTION, "protection_level", &pl),
            }
            iam_start(s, o, "KMS key");
            "kms_key"
        }
        "google_sql_database_instance" => {
            cloud_sql(v, o);
            cloud_sql_more(s, o);
            "database"
        }
        "google_container_cluster" => {
            gke(s, o);
            gke_more(s, o);
            "k8s_cluster"
        }
        "google_project" => {
            project(s, o);
            "project"
        }
        t if t.starts_with("aws_") => aws_services::map(t, s, o),
        t if t.starts_with("google_") => map_google(t, s, o),
        _ => "other",
    }
}

pub(super) fn customer_if_set(p: Prop) -> Prop {
    match p {
        Prop::Known { value, pointer } => Prop::known(if *value == Value::Bool(true) { "customer" } else { "provider" }, pointer),
        u => u,
    }
}

/// ISO 8601 duration (`P90D`, `P1Y`, `P3M`) → days.
pub(super) fn iso_days(s: &str) -> Option<f64> {
    crate::ingest::util::iso_duration_days(s)
}

/// All flags known true → true; any known false → false; else unknown.
pub(super) fn all_true(v: &V, keys: &[&str]) -> Option<Prop> {
    let mut unknown = None;
    for k in keys {
        let f = v.get(k);
        match f.state() {
            St::Known(x) if loose_bool(x) == Some(true) => {}
            St::Unknown => unknown = Some(f.unknown()),
            _ => return Some(f.known(false)),
        }
    }
    Some(unknown.unwrap_or_else(|| v.known(true)))
}

/// Fold tri-state signals: any true → true, else any unknown → unknown, else false.
pub(super) fn fold_or(sig: Vec<Option<Prop>>) -> Option<Prop> {
    sig.into_iter().flatten().fold(None, |acc, p| match acc {
        None => Some(p),
        Some(a) => Some(merge_or(&a, p)),
    })
}
