//! Terraform JSON ingest (`src/ingest/terraform/`) against real plan, state
//! and raw state files (`tests/fixtures/ingest/terraform/`, origins in its
//! SOURCES.md) and a few plans built here for the cases the corpus lacks
//! (AWS provider v4 split S3 resources, deletes, unknown values).

use iso27017::checks::policy::{holds, Judgement};
use iso27017::ingest::{parse, Format, Limits, Parsed};
use iso27017::inventory::{DiagnosticLevel, Prop, Provider, Resource};
use serde_json::{json, Value};

#[path = "support/scaling.rs"]
mod scaling;

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/ingest/terraform/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn load(name: &str) -> Parsed {
    parse(name, &fixture(name), &Limits::default()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn load_json(name: &str, v: &Value) -> Parsed {
    parse(name, v.to_string().as_bytes(), &Limits::default()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn res<'a>(p: &'a Parsed, id: &str) -> &'a Resource {
    p.inventory.resources.iter().find(|r| r.id == id).unwrap_or_else(|| {
        let ids: Vec<&str> = p.inventory.resources.iter().map(|r| r.id.as_str()).collect();
        panic!("no resource {id}; have {ids:?}")
    })
}

fn known<'a>(r: &'a Resource, prop: &str) -> &'a Value {
    match r.prop(prop) {
        Some(Prop::Known { value, .. }) => value,
        other => panic!("{}: {prop} is {other:?}, expected a known value", r.id),
    }
}

fn is_unknown(r: &Resource, prop: &str) -> bool {
    matches!(r.prop(prop), Some(Prop::Unknown { .. }))
}

/// Does an allow entry of `ingress` open `port` (tcp) to the whole internet?
fn opens(r: &Resource, port: u64) -> bool {
    let Some(rules) = known(r, "ingress").as_array() else { panic!("{}: ingress is not a list", r.id) };
    rules.iter().any(|e| {
        let allow = e["action"] == "allow";
        let open = e["sources"].as_array().is_some_and(|s| s.iter().any(|x| x == "0.0.0.0/0" || x == "::/0"));
        let proto = e["protocol"].as_str().unwrap_or("all");
        let (from, to) = match (e["from_port"].as_u64(), e["to_port"].as_u64()) {
            (Some(f), Some(t)) => (f, t),
            _ if proto == "all" => (0, 65535),
            _ => return false,
        };
        allow && open && proto != "icmp" && proto != "udp" && (from..=to).contains(&port)
    })
}

// ---------------------------------------------------------------------------
// AWS fixtures.

#[test]
fn s3_bucket_encryption_from_inline_configuration() {
    let p = load("bucket_sse_infra.json");
    assert_eq!(p.format, Format::TerraformPlan);
    let un = res(&p, "aws_s3_bucket.unencrypted");
    assert_eq!(un.kind, "object_bucket");
    assert_eq!(un.provider, Provider::Aws);
    // No encryption block: S3's default since 2023-01-05 (SSE-S3), and the property says so.
    assert_eq!(known(un, "encryption_at_rest"), &json!(true));
    assert_eq!(known(un, "encryption_key"), &json!("provider"));
    assert_eq!(un.prop("encryption_at_rest").and_then(iso27017::ingest::defaults::basis).map(|d| d.token()), Some("s3_default_encryption_sse_s3"));
    assert!(un.source.pointer.starts_with("/resource_changes/"));
    assert!(un.prop("encryption_at_rest").is_some_and(|p| p.pointer().ends_with("/change/after/server_side_encryption_configuration")));
    let aes = res(&p, "aws_s3_bucket.aes_encrypted");
    assert_eq!(known(aes, "encryption_at_rest"), &json!(true));
    assert_eq!(known(aes, "encryption_key"), &json!("provider"));
    assert!(aes
        .prop("encryption_at_rest")
        .is_some_and(|p| p.pointer().ends_with("/server_side_encryption_configuration/0/rule/0/apply_server_side_encryption_by_default/0/sse_algorithm")));
    let kms = res(&p, "aws_s3_bucket.kms_encrypted");
    assert_eq!(known(kms, "encryption_at_rest"), &json!(true));
    assert_eq!(known(kms, "encryption_key"), &json!("customer"), "the key id references aws_kms_key.key");
    // Region from the provider block; versioning/acl known from the plan.
    assert_eq!(un.region.as_deref(), Some("us-east-1"));
    assert_eq!(known(un, "public_read"), &json!(false));
    assert_eq!(known(un, "access_logging"), &json!(false));
    assert_eq!(known(res(&p, "aws_kms_key.key"), "rotation_enabled"), &json!(false));
}

#[test]
fn security_group_ingress_ranges() {
    let p = load("ingress_anywhere_infra.json");
    let sg = |n: &str| res(&p, &format!("aws_security_group.{n}"));
    assert!(["invalid_allow_all", "invalid_include_443", "invalid_include_80", "valid_exact_443", "valid_exact_80"].iter().all(|n| sg(n).kind == "firewall"));
    assert!(opens(sg("invalid_allow_all"), 22) && opens(sg("invalid_allow_all"), 3389));
    assert!(opens(sg("invalid_include_443"), 442) && opens(sg("invalid_include_443"), 444));
    assert!(opens(sg("invalid_include_80"), 79) && opens(sg("invalid_include_80"), 81));
    assert!(opens(sg("valid_exact_443"), 443) && !opens(sg("valid_exact_443"), 442) && !opens(sg("valid_exact_443"), 444));
    assert!(opens(sg("valid_exact_80"), 80) && !opens(sg("valid_exact_80"), 79) && !opens(sg("valid_exact_80"), 22));
    let e = &known(sg("invalid_allow_all"), "ingress")[0];
    assert_eq!(e, &json!({"protocol": "tcp", "from_port": 0, "to_port": 65535, "sources": ["0.0.0.0/0"], "action": "allow"}));
    assert!(sg("invalid_allow_all").prop("ingress").is_some_and(|p| p.pointer().ends_with("/change/after/ingress")));
}

#[test]
fn kms_key_rotation() {
    let p = load("key_rotation_infra.json");
    assert_eq!(known(res(&p, "aws_kms_key.invalid"), "rotation_enabled"), &json!(false));
    assert_eq!(known(res(&p, "aws_kms_key.blank-invalid"), "rotation_enabled"), &json!(false));
    let valid = res(&p, "aws_kms_key.valid");
    assert_eq!(valid.kind, "kms_key");
    assert_eq!(known(valid, "rotation_enabled"), &json!(true));
    assert_eq!(known(valid, "rotation_period_days"), &json!(365));
    assert_eq!(known(valid, "deletion_window_days"), &json!(30));
}

#[test]
fn cloudtrail_log_validation_and_policy_join_by_reference() {
    let p = load("log_file_validation_infra.json");
    let invalid = res(&p, "aws_cloudtrail.invalid_trail");
    assert_eq!(invalid.kind, "audit_trail");
    assert_eq!(known(invalid, "log_file_validation"), &json!(false));
    assert_eq!(known(res(&p, "aws_cloudtrail.valid_trail"), "log_file_validation"), &json!(true));
    assert_eq!(known(invalid, "kms_encrypted"), &json!(false));
    assert_eq!(invalid.region.as_deref(), Some("us-east-2"));
    // The data source is not a resource.
    assert!(p.inventory.resources.iter().all(|r| !r.id.starts_with("data.")));
    // aws_s3_bucket_policy.policy (bucket known after apply) joins trail_bucket via configuration references;
    // its policy is known after apply, so the bucket policy is unknown, not absent.
    let policy = res(&p, "aws_s3_bucket_policy.policy");
    assert_eq!(policy.kind, "other");
    let bucket = res(&p, "aws_s3_bucket.trail_bucket");
    assert!(is_unknown(bucket, "bucket_policy"), "{:?}", bucket.prop("bucket_policy"));
    assert!(bucket.prop("bucket_policy").is_some_and(|p| p.pointer().ends_with("/change/after/policy")));
}

#[test]
fn plan_with_child_modules_keeps_module_addresses() {
    let p = load("checkov_plan_with_child_modules.json");
    let r = res(&p, "module.iam_groups.aws_iam_account_password_policy.main");
    assert_eq!(r.kind, "other");
    assert_eq!(r.provider, Provider::Aws, "bare provider_name `aws`");
    assert_eq!(r.region.as_deref(), Some("eu-west-1"));
    assert_eq!(r.source.pointer, "/resource_changes/0");
    // Without resource_changes the parser falls back to planned_values (recursing child_modules).
    let mut v: Value = serde_json::from_slice(&fixture("checkov_plan_with_child_modules.json")).expect("fixture JSON");
    v.as_object_mut().map(|o| o.remove("resource_changes"));
    let p = load_json("planned_values.json", &v);
    let r = res(&p, "module.iam_groups.aws_iam_account_password_policy.main");
    assert_eq!(r.source.pointer, "/planned_values/root_module/child_modules/0/resources/0");
}

// ---------------------------------------------------------------------------
// Azure fixtures.

#[test]
fn storage_account_secure_transfer() {
    let p = load("account_secure_transfer_infra.json");
    for n in ["invalidstorageaccount1", "invalidstorageaccount2"] {
        let r = res(&p, &format!("azurerm_storage_account.{n}"));
        assert_eq!(r.kind, "storage_account");
        assert_eq!(r.provider, Provider::Azure);
        assert_eq!(known(r, "https_only"), &json!(false));
    }
    let valid = res(&p, "azurerm_storage_account.validstorageaccount1");
    assert_eq!(known(valid, "https_only"), &json!(true));
    assert_eq!(known(valid, "min_tls_version"), &json!("1.0"));
    assert_eq!(known(valid, "public_blob_access"), &json!(false));
    assert_eq!(valid.region.as_deref(), Some("westeurope"));
    // network_rules is in after_unknown and the configuration does not set it: the
    // account is created with Azure's default (Allow), and the property says so.
    assert_eq!(known(valid, "network_default_deny"), &json!(false));
    assert_eq!(valid.prop("network_default_deny").and_then(iso27017::ingest::defaults::basis).map(|d| d.token()), Some("azure_storage_network_allow"));
    assert_eq!(res(&p, "azurerm_resource_group.example").kind, "other");
}

#[test]
fn storage_container_access() {
    let p = load("container_private_access_infra.json");
    let bad = res(&p, "azurerm_storage_container.invalidcontainer1");
    assert_eq!(bad.kind, "blob_container");
    assert_ne!(known(bad, "public_access"), &json!("none"));
    assert_eq!(known(bad, "public_access"), &json!("container"));
    assert_eq!(known(res(&p, "azurerm_storage_container.validcontainer1"), "public_access"), &json!("none"));
}

#[test]
fn sql_firewall_rules() {
    let p = load("firewall_no_inbound_all_infra.json");
    let r = res(&p, "azurerm_sql_firewall_rule.invalidrule3");
    assert_eq!(r.kind, "db_firewall_rule");
    assert_eq!((known(r, "start_ip"), known(r, "end_ip")), (&json!("0.0.0.0"), &json!("255.255.255.255")));
    // Every invalid* rule starts at 0.0.0.0 or ends at 255.255.255.255 (regula's wider test).
    for n in ["invalidrule1", "invalidrule2", "invalidrule3", "invalidrule4"] {
        let r = res(&p, &format!("azurerm_sql_firewall_rule.{n}"));
        assert!(known(r, "start_ip") == "0.0.0.0" || known(r, "end_ip") == "255.255.255.255", "{n}");
        assert!(r.prop("start_ip").is_some_and(|p| p.pointer().ends_with("/change/after/start_ip_address")));
    }
    let valid = res(&p, "azurerm_sql_firewall_rule.validrule1");
    assert_eq!((known(valid, "start_ip"), known(valid, "end_ip")), (&json!("10.0.17.62"), &json!("10.0.17.62")));
    assert_eq!(res(&p, "azurerm_sql_server.example").kind, "sql_server");
}

#[test]
fn nsg_inbound_22_inline_and_joined_rules() {
    let p = load("security_group_no_inbound_22_infra.json");
    assert!(opens(res(&p, "azurerm_network_security_group.invalidnsg1"), 22));
    assert!(opens(res(&p, "azurerm_network_security_group.invalidnsg2"), 22));
    let valid = res(&p, "azurerm_network_security_group.validnsg1");
    assert!(!opens(valid, 22) && opens(valid, 20));
    // Rule resources keep their own ingress; joined ones are listed as `other`.
    for n in ["invalidrule1", "invalidrule2", "invalidrule3"] {
        let r = res(&p, &format!("azurerm_network_security_rule.{n}"));
        assert!(opens(r, 22), "{n}");
        assert_eq!(r.kind, "other", "{n} is joined to testnsg");
    }
    for n in ["validrule1", "validrule2"] {
        assert!(!opens(res(&p, &format!("azurerm_network_security_rule.{n}")), 22), "{n}");
    }
    // testnsg's inline security_rule is known after apply; the joined rules make its list.
    let nsg = res(&p, "azurerm_network_security_group.testnsg");
    assert_eq!(nsg.kind, "firewall");
    assert!(opens(nsg, 22));
    let rules = known(nsg, "ingress").as_array().map(Vec::len).unwrap_or(0);
    assert!(rules >= 5, "{rules} entries");
    assert!(known(nsg, "ingress").as_array().is_some_and(|a| a.iter().any(|e| e["rule"] == "azurerm_network_security_rule.invalidrule1")));
    let e = known(res(&p, "azurerm_network_security_rule.invalidrule2"), "ingress");
    assert_eq!(e[0], json!({"protocol": "tcp", "from_port": 22, "to_port": 22, "sources": ["0.0.0.0/0"], "action": "allow", "priority": 100}));
}

// ---------------------------------------------------------------------------
// Google fixtures.

#[test]
fn crypto_key_rotation_period() {
    let p = load("cryptokey_rotate_infra.json");
    let valid = res(&p, "google_kms_crypto_key.valid_key_1");
    assert_eq!(valid.kind, "kms_key");
    assert_eq!(valid.provider, Provider::Gcp);
    assert_eq!(known(valid, "rotation_enabled"), &json!(true));
    assert_eq!(known(valid, "rotation_period_days"), &json!(90));
    assert_eq!(known(res(&p, "google_kms_crypto_key.invalid_key_1"), "rotation_enabled"), &json!(false));
    // "7776002s" is two seconds over 90 days: kept exact, so a 90-day limit fails it.
    let d = known(res(&p, "google_kms_crypto_key.invalid_key_2"), "rotation_period_days").as_f64().unwrap_or(0.0);
    assert!(d > 90.0 && d < 90.001, "{d}");
}

#[test]
fn subnetwork_flow_logs() {
    let p = load("subnet_flow_log_enabled_infra.json");
    for n in ["valid-subnet-1", "valid-subnet-2"] {
        let r = res(&p, &format!("google_compute_subnetwork.{n}"));
        assert_eq!(r.kind, "network");
        assert_eq!(known(r, "flow_logs"), &json!(true));
        assert_eq!(r.region.as_deref(), Some("us-central1"));
    }
    assert_eq!(known(res(&p, "google_compute_subnetwork.invalid-subnet-1"), "flow_logs"), &json!(false));
}

#[test]
fn compute_instance_disk_key_and_default_service_account() {
    let p = load("checkov_GoogleComputeBootDiskEncryption_bad.json");
    let vm = res(&p, "google_compute_instance.bad3");
    assert_eq!(vm.kind, "virtual_machine");
    assert_eq!(known(vm, "encryption_key"), &json!("provider"), "no CSEK/CMEK on the boot disk");
    assert_eq!(known(vm, "default_service_account_full_access"), &json!(false), "example@ is not the default SA");
    assert_eq!(known(vm, "secure_boot"), &json!(false));
    assert_eq!(known(vm, "os_login"), &json!(false));
    assert_eq!(known(vm, "public_ip"), &json!(false));
    assert_eq!(vm.account.as_deref(), Some("blah"));
    let p = load("checkov_GoogleComputeDefaultServiceAccountFullAccess_bad.json");
    let vm = res(&p, "google_compute_instance.bad3");
    assert_eq!(known(vm, "default_service_account_full_access"), &json!(true));
}

#[test]
fn compute_firewall_allow_deny_and_disabled() {
    let p = load("full_compute_firewall.tfplan.json");
    let f1 = res(&p, "google_compute_firewall.full_list_default_1");
    assert_eq!(known(f1, "ingress"), &json!([]), "disabled rule");
    let f2 = res(&p, "google_compute_firewall.full_list_default_2");
    let rules = known(f2, "ingress").as_array().cloned().unwrap_or_default();
    assert!(rules.iter().all(|e| e["action"] == "deny"));
    assert!(rules.iter().any(|e| e["from_port"] == 1000 && e["to_port"] == 2000 && e["sources"] == json!(["192.168.0.44/32", "192.168.0.45/32"])));
    let f3 = res(&p, "google_compute_firewall.full_list_default_3");
    assert_eq!(known(f3, "ingress")[0]["sources"], json!([]), "source tags only: no CIDR");
    assert!(!opens(f3, 22));
}

// ---------------------------------------------------------------------------
// States and raw state.

#[test]
fn states_and_raw_state_parse() {
    for name in ["state_no_changes.json", "state_has_checks.json", "state_110_sensitive_values.json"] {
        let p = load(name);
        assert_eq!(p.format, Format::TerraformState, "{name}");
        // null/local/random providers: not listed, but counted in an info diagnostic.
        assert!(p.inventory.resources.is_empty(), "{name}");
        assert!(p.diagnostics.iter().any(|d| d.level == DiagnosticLevel::Info && d.message.contains("not assessed")), "{name}");
        assert!(p.diagnostics.iter().all(|d| d.level == DiagnosticLevel::Info), "{name}: {:?}", p.diagnostics);
    }
    let p = load("state_has_checks.json");
    assert!(p.diagnostics.iter().any(|d| d.message.contains("of the \"local\" provider (")));
    let p = load("terraform_110_sensitive_values.tfstate");
    assert_eq!(p.format, Format::TerraformRawState);
    assert!(p.diagnostics.iter().any(|d| d.message.contains("of the \"null\" provider (null_resource")), "{:?}", p.diagnostics);
    let p = load("plan_110_sensitive_values.json");
    assert_eq!(p.format, Format::TerraformPlan);
}

#[test]
fn state_with_child_modules_and_raw_state_with_modules() {
    let state = json!({
        "format_version": "1.0", "terraform_version": "1.5.0",
        "values": {"root_module": {
            "resources": [{"address": "google_storage_bucket.logs", "mode": "managed", "type": "google_storage_bucket", "name": "logs",
                "provider_name": "registry.terraform.io/hashicorp/google",
                "values": {"name": "logs-b", "location": "EU", "project": "p1", "uniform_bucket_level_access": true, "public_access_prevention": "enforced",
                           "versioning": [{"enabled": true}], "logging": [], "encryption": [], "retention_policy": [{"retention_period": 864000, "is_locked": false}]}}],
            "child_modules": [{"address": "module.net", "resources": [], "child_modules": [{"address": "module.net.module.fw",
                "resources": [{"address": "module.net.module.fw.google_compute_firewall.ssh[\"a\"]", "mode": "managed", "type": "google_compute_firewall",
                    "name": "ssh", "index": "a", "provider_name": "registry.terraform.io/hashicorp/google",
                    "values": {"name": "ssh", "direction": "INGRESS", "allow": [{"protocol": "tcp", "ports": ["22"]}], "deny": [], "source_ranges": ["0.0.0.0/0"], "log_config": []}}]}]}]
        }}
    });
    let p = load_json("state.json", &state);
    let b = res(&p, "google_storage_bucket.logs");
    assert_eq!(b.source.pointer, "/values/root_module/resources/0");
    assert_eq!((known(b, "uniform_access"), known(b, "public_access_blocked"), known(b, "versioning")), (&json!(true), &json!(true), &json!(true)));
    assert_eq!((known(b, "encryption_key"), known(b, "retention_days"), known(b, "access_logging")), (&json!("provider"), &json!(10), &json!(false)));
    let fw = res(&p, "module.net.module.fw.google_compute_firewall.ssh[\"a\"]");
    assert_eq!(fw.source.pointer, "/values/root_module/child_modules/0/child_modules/0/resources/0");
    assert!(opens(fw, 22));
    assert_eq!(known(fw, "logging"), &json!(false));

    let raw = json!({
        "version": 4, "terraform_version": "1.6.0", "serial": 3, "lineage": "x",
        "resources": [
            {"mode": "managed", "type": "aws_s3_bucket", "name": "b", "module": "module.store[0]", "provider": "provider[\"registry.terraform.io/hashicorp/aws\"]",
             "instances": [{"schema_version": 0, "attributes": {"bucket": "my-bucket", "id": "my-bucket", "arn": "arn:aws:s3:::my-bucket", "region": "eu-west-1",
                 "server_side_encryption_configuration": [{"rule": [{"apply_server_side_encryption_by_default": [{"sse_algorithm": "AES256", "kms_master_key_id": ""}], "bucket_key_enabled": false}]}],
                 "versioning": [{"enabled": false, "mfa_delete": false}], "logging": [], "acl": null, "grant": [], "policy": "", "object_lock_enabled": false}}]},
            {"mode": "managed", "type": "aws_s3_bucket_public_access_block", "name": "b", "module": "module.store[0]",
             "provider": "provider[\"registry.terraform.io/hashicorp/aws\"]",
             "instances": [{"schema_version": 0, "attributes": {"bucket": "my-bucket", "block_public_acls": true, "block_public_policy": true, "ignore_public_acls": true, "restrict_public_buckets": true}}]},
            {"mode": "data", "type": "aws_caller_identity", "name": "me", "provider": "provider[\"registry.terraform.io/hashicorp/aws\"]", "instances": [{"attributes": {}}]},
            {"mode": "managed", "type": "aws_instance", "name": "web", "provider": "provider[\"registry.terraform.io/hashicorp/aws\"]",
             "instances": [{"index_key": 1, "schema_version": 1, "attributes": {"arn": "arn:aws:ec2:eu-west-1:123456789012:instance/i-1",
                 "metadata_options": [{"http_tokens": "optional", "http_endpoint": "enabled"}], "associate_public_ip_address": true,
                 "root_block_device": [{"encrypted": true, "kms_key_id": "arn:aws:kms:eu-west-1:123456789012:key/abc"}], "monitoring": false}}]}
        ]
    });
    let p = load_json("terraform.tfstate", &raw);
    assert_eq!(p.format, Format::TerraformRawState);
    let b = res(&p, "module.store[0].aws_s3_bucket.b");
    assert_eq!(b.source.pointer, "/resources/0/instances/0");
    assert_eq!(b.region.as_deref(), Some("eu-west-1"));
    assert_eq!(known(b, "public_access_blocked"), &json!(true), "joined by bucket name");
    assert!(b.prop("public_access_blocked").is_some_and(|p| p.pointer() == "/resources/1/instances/0/attributes"));
    assert_eq!((known(b, "encryption_at_rest"), known(b, "encryption_key")), (&json!(true), &json!("provider")));
    assert_eq!((known(b, "versioning"), known(b, "bucket_policy")), (&json!(false), &Value::Null), "an empty policy is no policy");
    assert!(b.prop("public_read").is_none(), "acl is null and no grant: the ACL is not stated");
    assert_eq!(res(&p, "module.store[0].aws_s3_bucket_public_access_block.b").kind, "other");
    let vm = res(&p, "aws_instance.web[1]");
    assert_eq!(vm.account.as_deref(), Some("123456789012"));
    assert_eq!((known(vm, "imdsv2_required"), known(vm, "public_ip")), (&json!(false), &json!(true)));
    assert_eq!((known(vm, "disk_encryption"), known(vm, "encryption_key")), (&json!(true), &json!("customer")));
    assert!(vm.prop("imdsv2_required").is_some_and(|p| p.pointer() == "/resources/3/instances/0/attributes/metadata_options/0/http_tokens"));
    assert_eq!(p.inventory.resources.len(), 3);
}

// ---------------------------------------------------------------------------
// Plans built here.

/// A plan resource change.
fn rc(address: &str, actions: &[&str], after: Value, unknown: Value) -> Value {
    let (module, local) = match address.rfind("module.") {
        Some(_) => {
            let parts: Vec<&str> = address.split('.').collect();
            let split = parts.len() - 2;
            (Some(parts[..split].join(".")), parts[split..].join("."))
        }
        None => (None, address.to_string()),
    };
    let (rtype, name) = local.split_once('.').unwrap();
    let name = name.split('[').next().unwrap();
    let mut v = json!({
        "address": address, "mode": "managed", "type": rtype, "name": name,
        "provider_name": format!("registry.terraform.io/hashicorp/{}", rtype.split('_').next().unwrap()),
        "change": {"actions": actions, "before": null, "after": after, "after_unknown": unknown}
    });
    if let Some(m) = module {
        v["module_address"] = json!(m);
    }
    v
}

fn plan(changes: Vec<Value>, configuration: Value) -> Value {
    json!({"format_version": "1.2", "terraform_version": "1.7.0", "planned_values": {"root_module": {}}, "resource_changes": changes, "configuration": configuration})
}

fn cfg_res(rtype: &str, name: &str, expressions: Value) -> Value {
    json!({"address": format!("{rtype}.{name}"), "mode": "managed", "type": rtype, "name": name, "provider_config_key": "aws", "expressions": expressions})
}

#[test]
fn after_unknown_is_unknown_never_false() {
    let p = load_json(
        "unknown.json",
        &plan(
            vec![
                rc("aws_instance.a", &["create"], json!({"ami": "ami-1", "monitoring": null}), json!({"metadata_options": true, "associate_public_ip_address": true, "root_block_device": true, "monitoring": true})),
                rc("aws_kms_key.k", &["create"], json!({"is_enabled": true}), json!({"enable_key_rotation": true})),
                rc("aws_ebs_volume.v", &["create"], json!({"encrypted": true}), json!({"kms_key_id": true})),
            ],
            json!({"root_module": {"resources": [cfg_res("aws_instance", "a", json!({})), cfg_res("aws_ebs_volume", "v", json!({"kms_key_id": {"references": ["aws_kms_key.k.arn", "aws_kms_key.k"]}}))]}}),
        ),
    );
    let vm = res(&p, "aws_instance.a");
    for prop in ["imdsv2_required", "public_ip", "disk_encryption", "detailed_monitoring"] {
        match vm.prop(prop) {
            // Metadata options the configuration does not set are EC2's choice, made from the
            // AMI and the account's default: unknown, and the reason says so.
            Some(Prop::Unknown { reason, pointer }) if prop == "imdsv2_required" => {
                assert!(reason.contains("ImdsSupport"), "{reason}");
                assert!(pointer.starts_with("/resource_changes/0"), "{pointer}");
            }
            Some(Prop::Unknown { reason, pointer }) => {
                assert_eq!(&**reason, "known after apply");
                assert!(pointer.starts_with("/resource_changes/0/change/after/"), "{pointer}");
            }
            other => panic!("{prop}: {other:?}"),
        }
    }
    assert!(vm.prop("imdsv2_required").is_some_and(|p| p.pointer() == "/resource_changes/0"));
    assert!(is_unknown(res(&p, "aws_kms_key.k"), "rotation_enabled"));
    let vol = res(&p, "aws_ebs_volume.v");
    assert_eq!((known(vol, "encryption_at_rest"), known(vol, "encryption_key")), (&json!(true), &json!("customer")));
}

#[test]
fn deletes_are_skipped_and_replacements_kept() {
    let p = load_json(
        "delete.json",
        &plan(
            vec![
                rc("aws_kms_key.gone", &["delete"], Value::Null, json!({})),
                rc("aws_kms_key.replaced", &["delete", "create"], json!({"enable_key_rotation": true}), json!({})),
                rc("aws_kms_key.same", &["no-op"], json!({"enable_key_rotation": false}), json!({})),
                rc("aws_kms_key.odd", &["update"], Value::Null, json!({})),
            ],
            json!({}),
        ),
    );
    let ids: Vec<&str> = p.inventory.resources.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["aws_kms_key.replaced", "aws_kms_key.same"]);
    assert_eq!(known(res(&p, "aws_kms_key.replaced"), "rotation_enabled"), &json!(true));
    assert_eq!(res(&p, "aws_kms_key.replaced").source.pointer, "/resource_changes/1");
}

#[test]
fn provider_v4_split_resources_join_by_reference() {
    let unknown_bucket = json!({"bucket": true, "id": true});
    let changes = vec![
        rc("module.store.aws_s3_bucket.b", &["create"], json!({"bucket_prefix": "x", "force_destroy": false}),
           json!({"bucket": true, "id": true, "arn": true, "server_side_encryption_configuration": true, "versioning": true, "logging": true, "acl": true, "grant": true, "policy": true})),
        rc("module.store.aws_s3_bucket_server_side_encryption_configuration.b", &["create"], json!({"expected_bucket_owner": null,
            "rule": [{"apply_server_side_encryption_by_default": [{"sse_algorithm": "aws:kms"}], "bucket_key_enabled": true}]}),
           json!({"bucket": true, "id": true, "rule": [{"apply_server_side_encryption_by_default": [{"kms_master_key_id": true}]}]})),
        rc("module.store.aws_s3_bucket_versioning.b", &["create"], json!({"versioning_configuration": [{"status": "Enabled"}]}), unknown_bucket.clone()),
        rc("module.store.aws_s3_bucket_public_access_block.b", &["create"],
           json!({"block_public_acls": true, "block_public_policy": true, "ignore_public_acls": true, "restrict_public_buckets": false}), unknown_bucket.clone()),
        rc("module.store.aws_s3_bucket_policy.b", &["create"],
           json!({"policy": "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:*\",\"Resource\":\"*\",\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"false\"}}}]}"}),
           unknown_bucket.clone()),
        rc("aws_security_group.web", &["create"], json!({"name": "web"}), json!({"id": true, "ingress": true})),
        rc("aws_security_group_rule.ssh", &["create"], json!({"type": "ingress", "protocol": "tcp", "from_port": 22, "to_port": 22, "cidr_blocks": ["0.0.0.0/0"]}), json!({"security_group_id": true})),
        rc("aws_vpc_security_group_ingress_rule.https", &["create"], json!({"ip_protocol": "-1", "cidr_ipv4": "10.0.0.0/8"}), json!({"security_group_id": true})),
        rc("aws_vpc.main", &["create"], json!({"cidr_block": "10.0.0.0/16"}), json!({"id": true})),
        rc("aws_flow_log.main", &["create"], json!({"traffic_type": "ALL"}), json!({"vpc_id": true, "id": true})),
        rc("aws_vpc.other", &["create"], json!({"cidr_block": "10.1.0.0/16"}), json!({"id": true})),
        rc("aws_iam_policy.admin", &["create"], json!({"policy": "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}"}), json!({"arn": true})),
        rc("aws_iam_role.r", &["create"], json!({"name": "r", "assume_role_policy": "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"ec2.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}",
            "inline_policy": [], "managed_policy_arns": ["arn:aws:iam::aws:policy/AdministratorAccess"]}), json!({})),
    ];
    let bucket_ref = json!({"bucket": {"references": ["aws_s3_bucket.b.id", "aws_s3_bucket.b"]}});
    let store = json!({"resources": [
        cfg_res("aws_s3_bucket", "b", json!({})),
        cfg_res("aws_s3_bucket_server_side_encryption_configuration", "b", json!({"bucket": {"references": ["aws_s3_bucket.b.id", "aws_s3_bucket.b"]},
            "rule": [{"apply_server_side_encryption_by_default": [{"kms_master_key_id": {"references": ["var.key_arn"]}, "sse_algorithm": {"constant_value": "aws:kms"}}]}]})),
        cfg_res("aws_s3_bucket_versioning", "b", bucket_ref.clone()),
        cfg_res("aws_s3_bucket_public_access_block", "b", bucket_ref.clone()),
        cfg_res("aws_s3_bucket_policy", "b", bucket_ref),
    ]});
    let configuration = json!({
        "provider_config": {"aws": {"name": "aws", "expressions": {"region": {"constant_value": "eu-central-1"}}}},
        "root_module": {
            "resources": [
                cfg_res("aws_security_group", "web", json!({})),
                cfg_res("aws_security_group_rule", "ssh", json!({"security_group_id": {"references": ["aws_security_group.web.id", "aws_security_group.web"]}})),
                cfg_res("aws_vpc_security_group_ingress_rule", "https", json!({"security_group_id": {"references": ["aws_security_group.web.id", "aws_security_group.web"]}})),
                cfg_res("aws_flow_log", "main", json!({"vpc_id": {"references": ["aws_vpc.main.id", "aws_vpc.main"]}})),
            ],
            "module_calls": {"store": {"source": "./store", "module": store}}
        }
    });
    let p = load_json("v4.json", &plan(changes, configuration));
    let b = res(&p, "module.store.aws_s3_bucket.b");
    assert_eq!(b.kind, "object_bucket");
    assert_eq!(known(b, "encryption_at_rest"), &json!(true));
    // The key comes from a variable: which key it is (customer managed or aws/s3) is not known.
    assert!(matches!(b.prop("encryption_key"), Some(Prop::Unknown { .. })), "{:?}", b.prop("encryption_key"));
    assert!(b.prop("encryption_at_rest").is_some_and(|p| p.pointer() == "/resource_changes/1/change/after/rule/0/apply_server_side_encryption_by_default/0/sse_algorithm"));
    assert_eq!(known(b, "versioning"), &json!(true));
    assert_eq!(known(b, "public_access_blocked"), &json!(false), "restrict_public_buckets is false");
    // The inline policy (known after apply) is superseded by the joined one.
    assert_eq!(holds(b.prop("bucket_policy"), Judgement::DeniesInsecureTransport), Some(true));
    assert_eq!(holds(b.prop("bucket_policy"), Judgement::Public), Some(false));
    assert!(b.prop("bucket_policy").is_some_and(|p| p.pointer() == "/resource_changes/4/change/after/policy"));
    assert_eq!(known(b, "public_read"), &json!(false), "ACLs are disabled for new buckets by default");
    // No aws_s3_bucket_logging for a bucket the plan creates: S3's default (off), said so.
    assert_eq!(known(b, "access_logging"), &json!(false));
    assert_eq!(b.prop("access_logging").and_then(iso27017::ingest::defaults::basis).map(|d| d.token()), Some("s3_access_logging_off"));
    assert_eq!(b.region.as_deref(), Some("eu-central-1"));
    for t in ["server_side_encryption_configuration", "versioning", "public_access_block", "policy"] {
        assert_eq!(res(&p, &format!("module.store.aws_s3_bucket_{t}.b")).kind, "other");
    }
    let sg = res(&p, "aws_security_group.web");
    assert!(opens(sg, 22) && !opens(sg, 80));
    assert_eq!(known(sg, "ingress").as_array().map(Vec::len), Some(2));
    assert_eq!(known(sg, "ingress")[1], json!({"protocol": "all", "from_port": 0, "to_port": 65535, "sources": ["10.0.0.0/8"], "action": "allow", "rule": "aws_vpc_security_group_ingress_rule.https"}));
    assert_eq!(res(&p, "aws_security_group_rule.ssh").kind, "other");
    let fl = res(&p, "aws_flow_log.main");
    assert_eq!(fl.kind, "flow_log");
    assert_eq!(known(fl, "target_id"), &json!("aws_vpc.main"));
    assert_eq!(known(res(&p, "aws_vpc.main"), "flow_logs"), &json!(true));
    assert!(res(&p, "aws_vpc.other").prop("flow_logs").is_none());
    assert_eq!(holds(res(&p, "aws_iam_policy.admin").prop("policies"), Judgement::Admin), Some(true));
    let role = res(&p, "aws_iam_role.r");
    assert_eq!(holds(role.prop("policies"), Judgement::Admin), Some(true), "AdministratorAccess by ARN");
    assert_eq!(holds(role.prop("trust_policy"), Judgement::Public), Some(false));
    assert_eq!(known(role, "managed_policy_arns"), &json!(["arn:aws:iam::aws:policy/AdministratorAccess"]));
}

// ---------------------------------------------------------------------------
// Encodings and broken input.

#[test]
fn utf16_bom_plan_reads_like_utf8() {
    let bytes = fixture("bucket_sse_infra.json");
    let text = String::from_utf8(bytes).expect("fixture is UTF-8");
    let mut utf16 = vec![0xFF, 0xFE];
    for u in text.encode_utf16() {
        utf16.extend_from_slice(&u.to_le_bytes());
    }
    let a = load("bucket_sse_infra.json");
    let b = parse("bucket_sse_infra.json", &utf16, &Limits::default()).expect("UTF-16LE plan");
    assert_eq!(b.format, Format::TerraformPlan);
    assert_eq!(a.inventory, b.inventory);
    assert_eq!(known(res(&b, "aws_s3_bucket.unencrypted"), "encryption_at_rest"), &json!(true));
}

#[test]
fn truncated_plan_is_an_error_with_a_line() {
    let bytes = fixture("ingress_anywhere_infra.json");
    let cut = &bytes[..bytes.len() / 2];
    let err = parse("ingress_anywhere_infra.json", cut, &Limits::default()).expect_err("truncated");
    let msg = err.to_string();
    assert!(msg.contains("line"), "{msg}");
    assert!(msg.contains("truncated"), "{msg}");
}

#[test]
fn one_malformed_resource_is_a_warning_and_the_rest_are_read() {
    let mut v: Value = serde_json::from_slice(&fixture("ingress_anywhere_infra.json")).expect("fixture JSON");
    v["resource_changes"][1]["change"]["after"] = json!("not an object");
    v["resource_changes"][3] = json!(42);
    let p = load_json("malformed.json", &v);
    let warnings: Vec<_> = p.diagnostics.iter().filter(|d| d.level == DiagnosticLevel::Warning).collect();
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    let pointers: Vec<String> = warnings.iter().filter_map(|d| d.source.as_ref()).map(|s| s.pointer.to_string()).collect();
    assert_eq!(pointers, ["/resource_changes/1", "/resource_changes/3"]);
    assert!(warnings.iter().all(|d| d.source.as_ref().is_some_and(|s| s.file == "malformed.json")));
    assert_eq!(p.inventory.resources.len(), 3);
    assert!(opens(res(&p, "aws_security_group.invalid_allow_all"), 22));
}

#[test]
fn broken_structure_is_a_warning_and_an_empty_plan_is_fine() {
    // resource_changes that is not a list: warn, read planned_values instead.
    let mut v: Value = serde_json::from_slice(&fixture("checkov_plan_with_child_modules.json")).expect("fixture JSON");
    v["resource_changes"] = json!({"x": 1});
    let p = load_json("bad.json", &v);
    assert!(p.diagnostics.iter().any(|d| d.level == DiagnosticLevel::Warning && d.source.as_ref().is_some_and(|s| s.pointer == "/resource_changes")));
    assert_eq!(res(&p, "module.iam_groups.aws_iam_account_password_policy.main").kind, "other");
    // A document that is not an object at all is refused by detection; an empty plan is fine.
    assert!(parse("list.json", b"[1, 2]", &Limits::default()).is_err());
    let empty = json!({"format_version": "1.0", "planned_values": {"root_module": {}}});
    let p = load_json("empty.json", &empty);
    assert!(p.inventory.resources.is_empty() && p.diagnostics.is_empty());
}


/// A plan of `n` counted security groups, each with a counted rule that
/// names its group (`aws_security_group.sg`, no index): the rule `[7]` opens
/// port 22, the others 443.
fn counted_rules_plan(n: usize) -> Vec<u8> {
    let mut changes = Vec::with_capacity(2 * n);
    for i in 0..n {
        changes.push(rc(&format!("aws_security_group.sg[{i}]"), &["create"], json!({"name": format!("sg{i}")}), json!({"id": true, "ingress": true})));
        let port = if i == 7 { 22 } else { 443 };
        changes.push(rc(
            &format!("aws_security_group_rule.r[{i}]"),
            &["create"],
            json!({"type": "ingress", "protocol": "tcp", "from_port": port, "to_port": port, "cidr_blocks": ["0.0.0.0/0"]}),
            json!({"security_group_id": true}),
        ));
    }
    for c in changes.iter_mut() {
        if let Some(i) = c["address"].as_str().and_then(|a| a.split('[').nth(1)).and_then(|k| k.trim_end_matches(']').parse::<u64>().ok()) {
            c["index"] = json!(i);
        }
    }
    let configuration = json!({"root_module": {"resources": [
        cfg_res("aws_security_group", "sg", json!({})),
        cfg_res("aws_security_group_rule", "r", json!({"security_group_id": {"references": ["aws_security_group.sg"]}})),
    ]}});
    plan(changes, configuration).to_string().into_bytes()
}

#[test]
fn counted_rules_join_their_own_instance_in_linear_time() {
    const N: usize = 20_000;
    let (small, large) = (counted_rules_plan(N / 4), counted_rules_plan(N));
    // Four times the rules cost about four times as much (a join that looked
    // at every group for each rule: sixteen times), whatever the load.
    let read = |text: &[u8]| parse("big.json", text, &Limits::default()).unwrap();
    let (s, l, ratio) = scaling::ratio(3, || drop(read(&small)), || drop(read(&large)));
    assert!(ratio < 9.0, "{} resources: {s:?}, {}: {l:?} ({ratio:.1}×)", N / 2, 2 * N);
    let p = read(&large);
    assert_eq!(p.inventory.resources.len(), 2 * N);
    assert!(opens(res(&p, "aws_security_group.sg[7]"), 22));
    assert!(!opens(res(&p, "aws_security_group.sg[8]"), 22) && opens(res(&p, "aws_security_group.sg[8]"), 443));
    assert_eq!(known(res(&p, "aws_security_group.sg[8]"), "ingress").as_array().map(Vec::len), Some(1));
}

#[test]
fn gcs_bucket_iam_resources_join_onto_their_bucket() {
    let changes = vec![
        rc("google_storage_bucket.site", &["create"], json!({"name": "acme-site", "location": "EU", "uniform_bucket_level_access": true}), json!({})),
        rc("google_storage_bucket_iam_member.public", &["create"], json!({"bucket": "b/acme-site", "role": "roles/storage.objectViewer", "member": "allUsers"}), json!({})),
        rc("google_storage_bucket.data", &["create"], json!({"name": "acme-data", "location": "EU"}), json!({})),
        rc("google_storage_bucket_iam_binding.readers", &["create"], json!({"bucket": "acme-data", "role": "roles/storage.objectViewer", "members": ["group:data@acme.example"]}), json!({})),
        rc("google_storage_bucket.new", &["create"], json!({"location": "EU"}), json!({"name": true})),
        rc("google_storage_bucket_iam_policy.p", &["create"], json!({"policy_data": "{\"bindings\":[{\"role\":\"roles/storage.objectViewer\",\"members\":[\"allAuthenticatedUsers\"]}]}"}), json!({"bucket": true})),
        rc("google_storage_bucket_iam_member.elsewhere", &["create"], json!({"bucket": "not-in-this-plan", "role": "r", "member": "allUsers"}), json!({})),
        rc("google_storage_bucket.unbound", &["create"], json!({"name": "acme-logs", "location": "EU"}), json!({})),
    ];
    let configuration = json!({"root_module": {"resources": [
        cfg_res("google_storage_bucket", "new", json!({})),
        cfg_res("google_storage_bucket_iam_policy", "p", json!({"bucket": {"references": ["google_storage_bucket.new.name", "google_storage_bucket.new"]}})),
    ]}});
    let p = load_json("gcs.json", &plan(changes, configuration));
    assert_eq!(known(res(&p, "google_storage_bucket.site"), "public_read"), &json!(true), "allUsers member, bucket named b/<name>");
    assert_eq!(known(res(&p, "google_storage_bucket.data"), "public_read"), &json!(false));
    assert_eq!(known(res(&p, "google_storage_bucket.new"), "public_read"), &json!(true), "joined by configuration reference");
    assert!(res(&p, "google_storage_bucket.unbound").prop("public_read").is_none(), "no IAM resource in the plan: not stated");
    assert_eq!(res(&p, "google_storage_bucket_iam_member.public").kind, "other");
    assert!(p.diagnostics.iter().any(|d| d.message.contains("google_storage_bucket_iam_member.elsewhere")), "{:?}", p.diagnostics);
}
