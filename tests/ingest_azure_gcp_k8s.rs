//! Azure, GCP Cloud Asset Inventory and Kubernetes ingest, read from real
//! exports in `tests/fixtures/ingest/{azure,gcp-cai,k8s}/` (see the
//! SOURCES.md there) through the public `iso27017::ingest::parse`. Expected
//! values are the pass/fail verdicts the source projects' own tests give.

use iso27017::ingest::{parse, Format, Limits};
use iso27017::inventory::{DiagnosticLevel, Prop, Resource};
use serde_json::{json, Value};

mod common;
use common::{from_str, load, res, val};

/// Does any allow entry of `ingress` open `port` (tcp) to the internet?
fn opens(ingress: &Value, port: u64) -> bool {
    ingress.as_array().into_iter().flatten().any(|e| {
        e["action"] == "allow"
            && e["sources"].as_array().is_some_and(|s| s.iter().any(|x| x == "0.0.0.0/0" || x == "::/0"))
            && e["protocol"] != "icmp"
            && e["from_port"].as_u64().is_some_and(|f| f <= port)
            && e["to_port"].as_u64().is_some_and(|t| t >= port)
    })
}

fn entries_of_rule(ingress: &Value, rule: &str) -> Value {
    Value::Array(ingress.as_array().into_iter().flatten().filter(|e| e["rule"] == rule).cloned().collect())
}

// ---------------------------------------------------------------- Azure ARM

#[test]
fn arm_nsg_child_rules_are_joined_and_port_22_is_found() {
    let p = load("azure", "security_group_no_inbound_22_infra.json");
    assert_eq!(p.format, Format::AzureArmTemplate);
    let sg = res(&p, "RegulaSG1");
    assert_eq!(sg.kind, "firewall");
    let ingress = val(&p, "RegulaSG1", "ingress");
    assert!(opens(&ingress, 22), "RegulaSG1 fails");
    for rule in ["Rule3", "Rule4"] {
        assert!(opens(&entries_of_rule(&ingress, rule), 22), "{rule} opens 22");
        assert!(opens(&val(&p, rule, "ingress"), 22), "{rule} resource opens 22");
        assert_eq!(res(&p, rule).kind, "other", "joined child rules are not counted twice");
    }
    for rule in ["Rule2", "Rule5", "Rule6"] {
        let e = entries_of_rule(&ingress, rule);
        assert!(!e.as_array().is_some_and(Vec::is_empty), "{rule} joined");
        assert!(!opens(&e, 22), "{rule} does not open 22");
    }
    // Rule2 is a deny, Rule6 is from a private range only.
    assert_eq!(entries_of_rule(&ingress, "Rule2")[0]["action"], "deny");
    assert_eq!(entries_of_rule(&ingress, "Rule6")[0]["sources"], json!(["10.0.0.0/24"]));
    assert_eq!(entries_of_rule(&ingress, "Rule4").as_array().map(Vec::len), Some(2));
    assert_eq!(res(&p, "RegulaSG1").region.as_deref(), Some("switzerlandnorth"));
}

#[test]
fn arm_storage_https_default_depends_on_api_version() {
    let p = load("azure", "account_secure_transfer_infra.json");
    for (name, want) in [("valid", true), ("validdefault", true), ("validolder", true), ("invalid", false), ("invaliddefault", false)] {
        assert_eq!(val(&p, name, "https_only"), json!(want), "{name}");
    }
    // Defaults point at the apiVersion that decided them.
    assert!(res(&p, "invaliddefault").prop("https_only").is_some_and(|x| x.pointer().ends_with("/apiVersion")));
    assert_eq!(val(&p, "valid", "encryption_at_rest"), json!(true));
    assert_eq!(val(&p, "valid", "network_default_deny"), json!(false));
    assert_eq!(res(&p, "valid").region, None, "[resourceGroup().location] is not a region");
}

#[test]
fn arm_disk_and_vm_encryption() {
    let p = load("azure", "disk_encryption_infra.json");
    assert_eq!(val(&p, "reguladisk2", "encryption_at_rest"), json!(true));
    assert_eq!(val(&p, "reguladisk2", "encryption_key"), json!("customer"));
    assert_eq!(val(&p, "reguladisk1", "encryption_at_rest"), json!(true));
    // Every managed disk is encrypted at rest (platform keys); what these
    // lack is a key of the customer's (no disk encryption set, no ADE).
    for d in ["reguladisk3", "reguladisk4", "reguladisk5"] {
        assert_eq!(val(&p, d, "encryption_at_rest"), json!(true), "{d}");
        assert_eq!(val(&p, d, "encryption_key"), json!("provider"), "{d}");
        assert_eq!(res(&p, d).kind, "block_volume");
    }
    assert!(res(&p, "reguladisk3").prop("encryption_at_rest").and_then(|x| x.value()).is_some());
    assert_eq!(val(&p, "regulavm3", "disk_encryption"), json!(true));
    assert_eq!(val(&p, "regulavm3", "encryption_key"), json!("provider"));
    assert_eq!(val(&p, "regulavm3", "encryption_at_host"), json!(false));
    assert_eq!(res(&p, "regulavm3").kind, "virtual_machine");
    // regulavm2 only attaches an existing disk: that disk's key is assessed on the disk itself.
    assert!(res(&p, "regulavm2").prop("encryption_key").is_none());
    // osProfile without linuxConfiguration: password login allowed.
    assert_eq!(val(&p, "regulavm3", "password_auth_disabled"), json!(false));
    assert_eq!(val(&p, "regulavault3", "purge_protection"), json!(true));
    assert_eq!(res(&p, "regulavault3").kind, "key_vault");
    // Child resources of the vault get full types.
    assert_eq!(res(&p, "Microsoft.KeyVault/vaults/keys/regulavault3/key1").native_type, "Microsoft.KeyVault/vaults/keys");
}

#[test]
fn arm_blob_container_public_access() {
    let p = load("azure", "disable_public_access_infra.json");
    let c = res(&p, "Microsoft.Storage/storageAccounts/blobServices/containers/storage/default/invalid");
    assert_eq!(c.kind, "blob_container");
    assert_eq!(val(&p, "invalid", "public_access"), json!("blob"));
    assert_eq!(val(&p, "valid", "public_access"), json!("none"));
    assert_eq!(val(&p, "validUnset", "public_access"), json!("none"));
}

#[test]
fn arm_large_template_with_parameters_variables_and_copy_loops() {
    let p = load("azure", "storageAccountDefaultNetworkAccessDeny-FAILED2.json");
    assert_eq!(p.format, Format::AzureArmTemplate);
    let accounts: Vec<&Resource> = p.inventory.of_kind("storage_account").collect();
    assert_eq!(accounts.len(), 3);
    for a in accounts {
        assert_eq!(a.prop("network_default_deny").and_then(Prop::value), Some(&json!(false)), "{}", a.id);
    }
    assert!(p.inventory.resources.len() > 100);
    assert!(p.diagnostics.iter().any(|d| d.message.contains("copy loop")));
    // [variables('loadBalancerName')] is an object variable, so the name stays the expression.
    assert!(p.inventory.resources.iter().any(|r| r.native_type == "Microsoft.Network/networkSecurityGroups" && r.name.contains("variables(")));
    assert_eq!(val(&p, "sto725", "https_only"), json!(true));
    assert_eq!(val(&p, "cdsdf", "https_only"), json!(false), "2016-01-01 default");
}

#[test]
fn arm_managed_disk_without_encryption_fails() {
    let p = load("azure", "azureManagedDiscEncryption-FAILED.json");
    assert_eq!(val(&p, "Microsoft.Compute/disks/default", "encryption_at_rest"), json!(true));
    assert_eq!(val(&p, "Microsoft.Compute/disks/default", "encryption_key"), json!("provider"));
    // [variables('Front VM')] resolves to the literal variable.
    assert_eq!(res(&p, "Demo-VM").kind, "virtual_machine");
    assert!(res(&p, "frontNsg").prop("ingress").is_some());
}

#[test]
fn arm_unresolved_expressions_are_unknown_not_guessed() {
    let p = from_str(
        "t.json",
        r#"{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "contentVersion": "1.0.0.0",
            "parameters": {"ranges": {"type": "array"}, "port": {"type": "string", "defaultValue": "3389"}},
            "resources": [
              {"type": "Microsoft.Network/networkSecurityGroups", "apiVersion": "2021-03-01", "name": "nsg",
               "properties": {"securityRules": [
                 {"name": "a", "properties": {"access": "Allow", "direction": "Inbound", "protocol": "Tcp",
                  "sourceAddressPrefixes": "[parameters('ranges')]", "destinationPortRange": "[parameters('port')]", "priority": 100}},
                 {"name": "b", "properties": {"access": "Allow", "direction": "Inbound", "protocol": "Tcp",
                  "sourceAddressPrefix": "Internet", "destinationPortRange": "[parameters('port')]", "priority": 110}}]}},
              {"type": "Microsoft.Sql/servers", "apiVersion": "2021-11-01", "name": "sql",
               "properties": {"minimalTlsVersion": "1.2", "publicNetworkAccess": "Disabled"},
               "resources": [{"type": "firewallRules", "apiVersion": "2021-11-01", "name": "all",
                              "properties": {"startIpAddress": "0.0.0.0", "endIpAddress": "255.255.255.255"}}]},
              {"type": "Microsoft.ContainerService/managedClusters", "apiVersion": "2023-01-01", "name": "aks",
               "properties": {"enableRBAC": true, "apiServerAccessProfile": {"authorizedIPRanges": ["1.2.3.0/24"]}}}
            ]}"#,
    );
    let ingress = val(&p, "nsg", "ingress");
    let a = entries_of_rule(&ingress, "a");
    assert!(a[0].get("sources").is_none(), "unknown sources are left out: {a}");
    assert_eq!(a[0]["from_port"], 3389);
    assert!(opens(&entries_of_rule(&ingress, "b"), 3389));
    assert_eq!(val(&p, "sql", "publicly_accessible"), json!(false));
    assert_eq!(val(&p, "sql", "min_tls_version"), json!("1.2"));
    assert_eq!(res(&p, "all").kind, "db_firewall_rule");
    assert_eq!(val(&p, "all", "end_ip"), json!("255.255.255.255"));
    assert_eq!(val(&p, "aks", "master_authorized_networks"), json!(["1.2.3.0/24"]));
    assert_eq!(val(&p, "aks", "public_endpoint"), json!(true));
    assert_eq!(val(&p, "aks", "rbac_enabled"), json!(true));

    let p = from_str(
        "t.json",
        r#"{"contentVersion": "1.0.0.0", "parameters": {"https": {"type": "bool"}},
            "resources": [{"type": "Microsoft.Storage/storageAccounts", "apiVersion": "2021-04-01", "name": "s",
                           "properties": {"supportsHttpsTrafficOnly": "[parameters('https')]"}}]}"#,
    );
    match res(&p, "s").prop("https_only") {
        Some(Prop::Unknown { reason, pointer }) => {
            assert!(reason.contains("parameters('https')"), "{reason}");
            assert_eq!(pointer, "/resources/0/properties/supportsHttpsTrafficOnly");
        }
        other => panic!("{other:?}"),
    }
}

// ------------------------------------------------------------ Azure runtime

#[test]
fn runtime_storage_cassette_arm_list_and_resource_graph_table() {
    let p = load("azure", "ResourceGraphSource.test_resource_graph_and_arm_sources_storage_are_equivalent.json");
    assert_eq!(p.format, Format::AzureResources);
    // The ARM list and the Resource Graph row are the same account: one resource, last state.
    let accounts: Vec<&Resource> = p.inventory.of_kind("storage_account").collect();
    assert_eq!(accounts.len(), 1);
    let a = accounts[0];
    assert_eq!(a.name, "cctstoragey6akyqpagdt3o");
    assert_eq!(a.account.as_deref(), Some("ea42f556-5106-4743-99b0-c129bfa71a47"));
    assert_eq!(a.region.as_deref(), Some("southcentralus"));
    assert!(a.source.pointer.starts_with("/interactions/1/response/body/data/data/rows/0"), "{}", a.source.pointer);
    assert_eq!(a.native_type, "microsoft.storage/storageaccounts");
    assert_eq!(val(&p, "cctstoragey6akyqpagdt3o", "https_only"), json!(false));
    assert_eq!(val(&p, "cctstoragey6akyqpagdt3o", "network_default_deny"), json!(false));
    assert_eq!(val(&p, "cctstoragey6akyqpagdt3o", "encryption_key"), json!("provider"));
    // The recording holds 1 of 18 records: the user is told.
    assert!(p.diagnostics.iter().any(|d| d.level == DiagnosticLevel::Info && d.message.contains("1 of 18")), "{:?}", p.diagnostics);
}

#[test]
fn runtime_storage_list_body() {
    let p = load("azure", "custodian_storageAccounts_list_extracted.json");
    assert_eq!(p.format, Format::AzureResources);
    assert_eq!(val(&p, "cctstoragey6akyqpagdt3o", "https_only"), json!(false));
    assert_eq!(val(&p, "cctstoragey6akyqpagdt3o", "network_default_deny"), json!(false));
    assert_eq!(res(&p, "cctstoragey6akyqpagdt3o").source.pointer, "/value/0");
}

#[test]
fn runtime_vm_cassette() {
    let p = load("azure", "ResourceGraphSource.test_resource_graph_and_arm_sources_vm_are_equivalent.json");
    let vms: Vec<&Resource> = p.inventory.of_kind("virtual_machine").collect();
    assert!(!vms.is_empty());
    assert_eq!(val(&p, "cctestvm", "password_auth_disabled"), json!(false));
    assert_eq!(val(&p, "cctestvm", "disk_encryption"), json!(true));
    assert_eq!(val(&p, "cctestvm", "encryption_at_host"), json!(false));
    assert_eq!(val(&p, "cctestvm", "encryption_key"), json!("provider"));
}

#[test]
fn runtime_nsg_cassette_open_ports() {
    let p = load("azure", "NetworkSecurityGroupTest.test_open_ports.json");
    let nsg = res(&p, "c7n-nsg");
    assert_eq!(p.inventory.of_kind("firewall").count(), 1, "one NSG, recorded twice, counted once");
    assert!(nsg.source.pointer.starts_with("/interactions/2/"), "last recorded state: {}", nsg.source.pointer);
    let ingress = val(&p, "c7n-nsg", "ingress");
    assert!(opens(&ingress, 80), "test1 opens 80");
    assert!(opens(&ingress, 8083), "test2 opens 8080-8084");
    assert!(opens(&ingress, 89), "test6 opens 88-90");
    assert!(opens(&ingress, 1050), "the rule created by the policy opens 1000-1100");
    assert!(!opens(&ingress, 22), "22 is denied inbound and allowed only outbound");
    assert!(entries_of_rule(&ingress, "test5").as_array().is_some_and(Vec::is_empty), "outbound rules are not ingress");
    // The PUT rule response is joined to its NSG once (it is also inline in the last list).
    let policy_rule = entries_of_rule(&ingress, "c7n-policy-baea42b8-85e7-11eb-b168-00155d1e47af");
    assert_eq!(policy_rule.as_array().map(Vec::len), Some(1));
    // Default rules are read too (DenyAllInBound).
    assert!(ingress.as_array().is_some_and(|a| a.iter().any(|e| e["rule"] == "DenyAllInBound" && e["action"] == "deny")));
}

#[test]
fn runtime_generic_resource_list_has_no_defaulted_properties() {
    let p = load("azure", "ArmResourceTest.common.json");
    assert!(!p.inventory.resources.is_empty());
    for r in &p.inventory.resources {
        assert_eq!(r.account.as_deref(), Some("ea42f556-5106-4743-99b0-c129bfa71a47"));
        if r.kind == "block_volume" {
            assert!(r.prop("encryption_at_rest").is_none(), "summary record: {:?}", r.props);
        }
    }
    assert!(p.inventory.resources.iter().all(|r| !r.native_type.is_empty()));
}

#[test]
fn runtime_az_cli_array_and_string_bodies() {
    let p = from_str(
        "az.json",
        r#"[{"id": "/subscriptions/s1/resourceGroups/g/providers/Microsoft.KeyVault/vaults/kv", "name": "kv", "type": "Microsoft.KeyVault/vaults",
             "location": "westeurope", "properties": {"enablePurgeProtection": null, "enableSoftDelete": true, "networkAcls": {"defaultAction": "Deny"}}},
            {"id": "/subscriptions/s1/resourceGroups/g/providers/Microsoft.Network/networkSecurityGroups/n", "name": "n",
             "type": "Microsoft.Network/networkSecurityGroups", "provisioningState": "Succeeded",
             "securityRules": [{"name": "ssh", "access": "Allow", "direction": "Inbound", "protocol": "Tcp", "sourceAddressPrefix": "*", "destinationPortRange": "22", "priority": 100}]}]"#,
    );
    assert_eq!(val(&p, "kv", "network_default_deny"), json!(true));
    assert_eq!(val(&p, "kv", "soft_delete"), json!(true));
    assert_eq!(val(&p, "kv", "purge_protection"), json!(false));
    assert!(opens(&val(&p, "n", "ingress"), 22));

    let cassette = r#"{"interactions": [
        {"request": {"method": "GET"}, "response": {"status": {"code": 404}, "body": {"string": "{\"error\": {}}"}}},
        {"request": {"method": "GET"}, "response": {"status": {"code": 200}, "body": {"string": "{\"value\": [{\"id\": \"/subscriptions/s2/resourceGroups/g/providers/Microsoft.Storage/storageAccounts/st\", \"name\": \"st\", \"type\": \"Microsoft.Storage/storageAccounts\", \"properties\": {\"minimumTlsVersion\": \"TLS1_0\", \"allowBlobPublicAccess\": true}}]}"}}},
        {"request": {"method": "GET"}, "response": {"status": {"code": 200}, "body": {"string": "not json"}}}]}"#;
    let p = from_str("c.json", cassette);
    assert_eq!(val(&p, "st", "min_tls_version"), json!("1.0"));
    assert_eq!(val(&p, "st", "public_blob_access"), json!(true));
    assert_eq!(res(&p, "st").account.as_deref(), Some("s2"));
    assert!(p.diagnostics.iter().any(|d| d.level == DiagnosticLevel::Warning && d.message.contains("not JSON")));
}

#[test]
fn runtime_resource_graph_object_array() {
    let p = from_str(
        "rg.json",
        r#"{"count": 1, "data": [{"id": "/subscriptions/s3/resourceGroups/g/providers/Microsoft.ContainerService/managedClusters/k",
             "name": "k", "type": "microsoft.containerservice/managedclusters", "subscriptionId": "s3",
             "properties": {"apiServerAccessProfile": {"enablePrivateCluster": true}, "networkProfile": {"networkPolicy": "calico"}}}], "skip_token": null, "total_records": 1}"#,
    );
    assert_eq!(res(&p, "k").kind, "k8s_cluster");
    assert_eq!(val(&p, "k", "public_endpoint"), json!(false));
    assert_eq!(val(&p, "k", "network_policy"), json!(true));
}

// ----------------------------------------------------------------- GCP CAI

#[test]
fn gcp_world_readable_buckets() {
    let p = load("gcp-cai", "storage_bucket_world_readable_data.json");
    assert_eq!(p.format, Format::GcpAssetInventory);
    assert_eq!(val(&p, "my-test-bucket", "public_read"), json!(true));
    assert_eq!(val(&p, "my-second-test-bucket", "public_read"), json!(true));
    assert_eq!(val(&p, "my-third-test-bucket", "public_read"), json!(false));
    assert_eq!(val(&p, "my-test-bucket", "encryption_at_rest"), json!(true));
    assert_eq!(res(&p, "my-test-bucket").kind, "object_bucket");
    assert!(res(&p, "my-test-bucket").prop("public_read").is_some_and(|x| x.pointer().starts_with("/0/iam_policy/bindings/1/members/")));
}

#[test]
fn gcp_sql_ssl() {
    let p = load("gcp-cai", "sql_ssl_data.json");
    assert_eq!(val(&p, "sql-instance-with-ssl", "require_tls"), json!(true));
    assert_eq!(val(&p, "sql-instance-without-ssl", "require_tls"), json!(false));
    assert_eq!(val(&p, "sql-instance-without-ipconfig", "require_tls"), json!(false));
    assert_eq!(res(&p, "sql-instance-with-ssl").account.as_deref(), Some("test-project"));
    assert_eq!(val(&p, "sql-instance-with-ssl", "publicly_accessible"), json!(false));
}

#[test]
fn gcp_kms_rotation() {
    let p = load("gcp-cai", "cmek_rotation_data.json");
    assert_eq!(val(&p, "rotation-never", "rotation_enabled"), json!(false));
    assert!(res(&p, "rotation-never").prop("rotation_period_days").is_none());
    let days = |k: &str| val(&p, k, "rotation_period_days").as_f64().unwrap_or(f64::NAN);
    assert!(days("rotation-400-days") > 365.0);
    assert!(days("rotation-30-days") <= 365.0);
    assert_eq!(days("rotation-90-days"), 90.0);
    assert_eq!(val(&p, "rotation-30-days", "rotation_enabled"), json!(true));
    assert_eq!(res(&p, "rotation-30-days").region, None);
    assert_eq!(res(&p, "rotation-30-days").account.as_deref(), Some("test-project"));
}

#[test]
fn gcp_firewall_sources() {
    let p = load("gcp-cai", "restricted_firewall_rules_sources_data.json");
    let fw: Vec<&Resource> = p.inventory.of_kind("firewall").collect();
    assert_eq!(fw.len(), 12);
    // Enabled INGRESS allow-all from 0.0.0.0/0.
    assert!(opens(&val(&p, "cf-test-fw-rule-source-0", "ingress"), 22));
    assert!(opens(&val(&p, "cf-test-fw-rule-source-2", "ingress"), 3389));
    // Disabled and egress rules have no ingress.
    assert_eq!(val(&p, "cf-test-fw-rule-source-1", "ingress"), json!([]));
    assert_eq!(val(&p, "cf-test-fw-rule-source-8", "ingress"), json!([]));
    assert_eq!(val(&p, "cf-test-fw-rule-source-0", "logging"), json!(false));
    let open = fw.iter().filter(|r| r.prop("ingress").and_then(Prop::value).is_some_and(|i| opens(i, 443))).count();
    assert!(open >= 2, "open ingress found: {open}");
}

#[test]
fn gcp_project_audit_configs() {
    let p = load("gcp-cai", "iam_audit_log_data.json");
    let by = |k: &str| val(&p, k, "audit_log_types_by_service");
    assert_eq!(by("good")["cloudasset.googleapis.com"], json!(["DATA_WRITE", "DATA_READ"]));
    let wrong = by("wrong-log-type");
    let types = wrong["cloudasset.googleapis.com"].as_array().cloned().unwrap_or_default();
    assert!(!types.contains(&json!("DATA_WRITE")), "wrong-log-type lacks DATA_WRITE: {types:?}");
    assert_eq!(val(&p, "unexpected-exemption", "audit_exempted_members"), json!(["user:user2@org.com"]));
    assert_eq!(val(&p, "wrong-log-type", "audit_exempted_members"), json!([]));
    // No allServices config in these policies.
    assert_eq!(val(&p, "good", "audit_log_types"), json!([]));
    assert_eq!(val(&p, "good", "public_members"), json!([]));
    assert_eq!(res(&p, "good").kind, "project");
    assert_eq!(res(&p, "good").account.as_deref(), Some("good"));
    // A bucket asset in the same file stays a bucket.
    assert_eq!(res(&p, "//cloudresourcemanager.googleapis.com/projects/ignore-asset-type").kind, "object_bucket");
}

#[test]
fn gcp_gke_master_authorized_networks() {
    let p = load("gcp-cai", "gke_master_authorized_networks_data.json");
    assert_eq!(val(&p, "public", "master_authorized_networks"), json!(false));
    assert_eq!(val(&p, "public", "public_endpoint"), json!(true));
    assert_eq!(val(&p, "private-endpoint-public", "master_authorized_networks"), json!(false));
    assert_eq!(val(&p, "private-endpoint-private", "master_authorized_networks"), json!(true));
    assert_eq!(val(&p, "private-endpoint-private", "public_endpoint"), json!(false));
    assert_eq!(val(&p, "private-endpoint-restricted", "master_authorized_networks"), json!(["11.1.11.0/24"]));
    assert_eq!(val(&p, "private-endpoint-restricted-bad", "master_authorized_networks"), json!(["111.1.20.0/24"]));
    assert_eq!(val(&p, "public", "network_policy"), json!(false));
    assert_eq!(val(&p, "public", "logging_enabled"), json!(true));
    assert_eq!(res(&p, "public").account.as_deref(), Some("gkeexposure"));
}

#[test]
fn gcp_ndjson_merges_iam_policy_lines() {
    let text = concat!(
        r#"{"name":"//cloudresourcemanager.googleapis.com/projects/p1","asset_type":"cloudresourcemanager.googleapis.com/Project","resource":{"data":{"projectId":"p1"}},"ancestors":["projects/123"]}"#,
        "\n",
        r#"{"name":"//cloudresourcemanager.googleapis.com/projects/p1","assetType":"cloudresourcemanager.googleapis.com/Project","iamPolicy":{"bindings":[{"role":"roles/viewer","members":["allAuthenticatedUsers"]}],"auditConfigs":[{"service":"allServices","auditLogConfigs":[{"logType":"ADMIN_READ"},{"logType":"DATA_READ","exemptedMembers":["user:a@x"]}]}]}}"#,
        "\n",
        r#"{"name":"//compute.googleapis.com/projects/p1/regions/r/subnetworks/s","asset_type":"compute.googleapis.com/Subnetwork","resource":{"location":"europe-west1","data":{"logConfig":{"enable":true}}}}"#,
        "\n",
        "{broken\n",
    );
    let p = from_str("export.json", text);
    assert_eq!(p.format, Format::GcpAssetInventory);
    assert_eq!(p.inventory.resources.len(), 2);
    assert_eq!(val(&p, "p1", "public_members"), json!(["allAuthenticatedUsers"]));
    assert_eq!(val(&p, "p1", "audit_log_types"), json!(["ADMIN_READ", "DATA_READ"]));
    assert_eq!(val(&p, "p1", "audit_exempted_members"), json!(["user:a@x"]));
    assert_eq!(res(&p, "p1").source.line, Some(1));
    assert_eq!(val(&p, "s", "flow_logs"), json!(true));
    assert_eq!(res(&p, "s").region.as_deref(), Some("europe-west1"));
    assert!(p.diagnostics.iter().any(|d| d.level == DiagnosticLevel::Warning && d.source.as_ref().and_then(|s| s.line) == Some(4)));
}

#[test]
fn gcp_bucket_and_instance_data() {
    let p = from_str(
        "a.json",
        r#"[{"name":"//storage.googleapis.com/b1","asset_type":"storage.googleapis.com/Bucket","resource":{"data":{
              "iamConfiguration":{"uniformBucketLevelAccess":{"enabled":true},"publicAccessPrevention":"enforced"},
              "encryption":{"defaultKmsKeyName":"projects/p/locations/l/keyRings/r/cryptoKeys/k"},"versioning":{"enabled":true},
              "logging":{"logBucket":"logs"},"retentionPolicy":{"retentionPeriod":"864000","isLocked":true}}}},
            {"name":"//compute.googleapis.com/projects/p/zones/z/instances/vm","asset_type":"compute.googleapis.com/Instance","resource":{"data":{
              "networkInterfaces":[{"accessConfigs":[{"natIP":"1.2.3.4"}]}],"metadata":{"items":[{"key":"serial-port-enable","value":"true"}]},
              "shieldedInstanceConfig":{"enableSecureBoot":true},
              "serviceAccounts":[{"email":"1-compute@developer.gserviceaccount.com","scopes":["https://www.googleapis.com/auth/cloud-platform"]}]}}}]"#,
    );
    for (k, v) in [
        ("uniform_access", json!(true)),
        ("public_access_blocked", json!(true)),
        ("encryption_key", json!("customer")),
        ("versioning", json!(true)),
        ("access_logging", json!(true)),
        ("retention_days", json!(10)),
        ("object_lock", json!(true)),
    ] {
        assert_eq!(val(&p, "b1", k), v, "{k}");
    }
    assert_eq!(val(&p, "vm", "public_ip"), json!(true));
    assert_eq!(val(&p, "vm", "serial_port_enabled"), json!(true));
    assert_eq!(val(&p, "vm", "secure_boot"), json!(true));
    assert_eq!(val(&p, "vm", "default_service_account_full_access"), json!(true));
    assert_eq!(res(&p, "vm").account.as_deref(), Some("p"));
}

// -------------------------------------------------------------- Kubernetes

#[test]
fn k8s_privileged_containers() {
    let p = load("k8s", "regula_privileged_containers_invalid_example.yaml");
    assert_eq!(p.format, Format::Kubernetes);
    assert_eq!(res(&p, "default/Pod/privileged").kind, "k8s_workload");
    assert_eq!(val(&p, "privileged", "privileged_containers"), json!(["pause2"]));
    assert_eq!(val(&p, "privileged", "privilege_escalation_containers"), json!(["pause1", "pause2"]));
    assert_eq!(res(&p, "privileged").source.line, Some(1));
    assert_eq!(res(&p, "privileged").source.pointer, "/0");
}

#[test]
fn k8s_root_containers() {
    let p = load("k8s", "regula_root_containers_invalid_example.yaml");
    let w: Vec<&Resource> = p.inventory.of_kind("k8s_workload").collect();
    assert_eq!(w.len(), 5);
    assert_eq!(val(&p, "invalid1", "root_containers"), json!(["pause1", "pause2"]));
    assert_eq!(val(&p, "invalid2", "root_containers"), json!(["pause2"]));
    assert_eq!(val(&p, "invalid3", "root_containers"), json!(["pause1"]));
    assert_eq!(val(&p, "invalid4", "root_containers"), json!(["pause1"]));
    assert_eq!(val(&p, "invalid5", "root_containers"), json!(["pause1", "pause2"]));
    // Lines of later documents are in the file's numbering.
    let l2 = res(&p, "invalid2").source.line.unwrap_or(0);
    assert!(l2 > res(&p, "invalid1").source.line.unwrap_or(0) && l2 > 10, "{l2}");
}

#[test]
fn k8s_role_wildcards() {
    let p = load("k8s", "regula_role_wildcards_invalid_example.yaml");
    let r = res(&p, "default/Role/RELEASE-NAME-promtail");
    assert_eq!(r.kind, "k8s_role");
    assert_eq!(val(&p, "RELEASE-NAME-promtail", "wildcard_verbs"), json!(true));
    assert_eq!(val(&p, "RELEASE-NAME-promtail", "wildcard_resources"), json!(false));
    assert_eq!(val(&p, "RELEASE-NAME-promtail", "cluster_scope"), json!(false));
}

#[test]
fn k8s_checkov_privileged_pod() {
    let p = load("k8s", "checkov_privilegedPod-FAILED.yaml");
    assert_eq!(val(&p, "privileged", "privileged_containers"), json!(["busybox"]));
    assert_eq!(val(&p, "privileged", "host_network"), json!(true));
    assert_eq!(val(&p, "privileged", "host_pid"), json!(true));
    assert_eq!(val(&p, "privileged", "host_ipc"), json!(false));
    assert_eq!(val(&p, "privileged", "host_path_volumes"), json!(["host-root-volume"]));
    assert_eq!(val(&p, "privileged", "root_containers"), json!(["busybox"]));
}

#[test]
fn k8s_list_wrapper() {
    let p = load("k8s", "kube-score_list.yaml");
    // The Service, the Deployment and the Deployment's one container.
    assert_eq!(p.inventory.resources.len(), 3);
    assert_eq!(p.inventory.of_kind("k8s_container").count(), 1);
    let svc = res(&p, "default/Service/list-service-test");
    assert_eq!(svc.kind, "other");
    assert_eq!(svc.source.pointer, "/0/items/0");
    assert_eq!(svc.source.line, Some(4));
    let dep = res(&p, "default/Deployment/list-deployment-test");
    assert_eq!(dep.kind, "k8s_workload");
    assert_eq!(dep.source.line, Some(14));
    assert_eq!(val(&p, "list-deployment-test", "root_containers"), json!(["nginx"]));
    assert_eq!(val(&p, "list-deployment-test", "added_capabilities"), json!([]));
}

#[test]
fn k8s_json_list_cluster_role_and_broken_items() {
    let p = from_str(
        "get.json",
        r#"{"apiVersion": "v1", "kind": "List", "items": [
            {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": {"name": "admin-all"},
             "rules": [{"apiGroups": ["*"], "resources": ["*"], "verbs": ["get"]}]},
            {"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": {"name": "ds", "namespace": "kube-system"}},
            "junk"]}"#,
    );
    assert_eq!(val(&p, "ClusterRole/admin-all", "wildcard_resources"), json!(true));
    assert_eq!(val(&p, "admin-all", "wildcard_verbs"), json!(false));
    assert_eq!(val(&p, "admin-all", "cluster_scope"), json!(true));
    assert_eq!(res(&p, "kube-system/DaemonSet/ds").kind, "k8s_workload");
    assert_eq!(p.diagnostics.iter().filter(|d| d.level == DiagnosticLevel::Warning).count(), 2);
}

#[test]
fn garbage_never_panics() {
    for text in [
        r#"{"$schema": "deploymentTemplate.json#", "contentVersion": "1", "resources": [null, 3, {"type": 5}, {"type": "Microsoft.Network/networkSecurityGroups", "name": "x", "properties": {"securityRules": [1, {"properties": {"destinationPortRanges": [null, "99999", "a-b"]}}]}}]}"#,
        r#"{"value": [{"id": "/subscriptions/x", "type": "a/b", "properties": 5}], "nextLink": "https://next"}"#,
        r#"{"interactions": [{"response": {"body": {"data": {"totalRecords": 5, "data": {"columns": 3, "rows": [[1], 2]}}}}}]}"#,
        r#"[{"name": "//x", "asset_type": "compute.googleapis.com/Firewall", "resource": {"data": {"allowed": [{"ports": [1, "x"]}], "sourceRanges": 4}}}]"#,
        r#"[{"name": "//y", "asset_type": "sqladmin.googleapis.com/Instance", "resource": {"data": {"settings": 7}}}]"#,
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [1, {securityContext: 3}], volumes: 5}\n",
    ] {
        let _ = parse("g.json", text.as_bytes(), &Limits::default());
    }
}

#[test]
fn azure_list_joins_blob_services_and_network_interfaces() {
    let sub = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg";
    let doc = json!({"value": [
        {"id": format!("{sub}/providers/Microsoft.Storage/storageAccounts/keeps"), "name": "keeps", "type": "Microsoft.Storage/storageAccounts", "location": "westeurope", "properties": {"supportsHttpsTrafficOnly": true}},
        {"id": format!("{sub}/providers/Microsoft.Storage/storageAccounts/keeps/blobServices/default"), "name": "default", "type": "Microsoft.Storage/storageAccounts/blobServices",
         "properties": {"deleteRetentionPolicy": {"enabled": true, "days": 14}}},
        {"id": format!("{sub}/providers/Microsoft.Storage/storageAccounts/forgets"), "name": "forgets", "type": "Microsoft.Storage/storageAccounts", "location": "westeurope", "properties": {"supportsHttpsTrafficOnly": true}},
        {"id": format!("{sub}/providers/Microsoft.Storage/storageAccounts/FORGETS/blobServices/default"), "name": "default", "type": "Microsoft.Storage/storageAccounts/blobServices",
         "properties": {"deleteRetentionPolicy": {"enabled": false}}},
        {"id": format!("{sub}/providers/Microsoft.Storage/storageAccounts/unknown"), "name": "unknown", "type": "Microsoft.Storage/storageAccounts", "location": "westeurope", "properties": {}},
        {"id": format!("{sub}/providers/Microsoft.Network/networkInterfaces/nic-pub"), "name": "nic-pub", "type": "Microsoft.Network/networkInterfaces",
         "properties": {"ipConfigurations": [{"name": "c1", "properties": {"privateIPAddress": "10.0.0.4", "publicIPAddress": {"id": format!("{sub}/providers/Microsoft.Network/publicIPAddresses/pip")}}}]}},
        {"id": format!("{sub}/providers/Microsoft.Network/networkInterfaces/nic-priv"), "name": "nic-priv", "type": "Microsoft.Network/networkInterfaces",
         "properties": {"ipConfigurations": [{"name": "c1", "properties": {"privateIPAddress": "10.0.0.5"}}]}},
        {"id": format!("{sub}/providers/Microsoft.Compute/virtualMachines/web"), "name": "web", "type": "Microsoft.Compute/virtualMachines", "location": "westeurope",
         "properties": {"networkProfile": {"networkInterfaces": [{"id": format!("{sub}/providers/Microsoft.Network/networkInterfaces/nic-priv")}, {"id": format!("{sub}/providers/Microsoft.Network/networkInterfaces/NIC-PUB")}]}}},
        {"id": format!("{sub}/providers/Microsoft.Compute/virtualMachines/db"), "name": "db", "type": "Microsoft.Compute/virtualMachines", "location": "westeurope",
         "properties": {"networkProfile": {"networkInterfaces": [{"id": format!("{sub}/providers/Microsoft.Network/networkInterfaces/nic-priv")}]}}},
        {"id": format!("{sub}/providers/Microsoft.Compute/virtualMachines/elsewhere"), "name": "elsewhere", "type": "Microsoft.Compute/virtualMachines", "location": "westeurope",
         "properties": {"networkProfile": {"networkInterfaces": [{"id": format!("{sub}/providers/Microsoft.Network/networkInterfaces/not-exported")}]}}}
    ]});
    let p = from_str("azure-list.json", &doc.to_string());
    assert_eq!(p.format, Format::AzureResources);
    assert_eq!(val(&p, "keeps", "blob_soft_delete_days"), json!(14));
    assert_eq!(val(&p, "forgets", "blob_soft_delete_days"), json!(0), "ids match case-insensitively");
    assert!(res(&p, "unknown").prop("blob_soft_delete_days").is_none(), "no blobServices record: not stated");
    assert_eq!(val(&p, "web", "public_ip"), json!(true));
    assert!(res(&p, "web").prop("public_ip").is_some_and(|x| x.pointer().ends_with("/ipConfigurations/0/properties/publicIPAddress")));
    assert_eq!(val(&p, "db", "public_ip"), json!(false));
    assert!(res(&p, "elsewhere").prop("public_ip").is_none(), "its interface is not in the file");
}
