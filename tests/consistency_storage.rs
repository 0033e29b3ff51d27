//! One resource, several formats, one verdict. Each scenario writes the same
//! storage account, bucket or cluster as the formats would really carry it: a
//! Terraform plan (`terraform show -json`: nulls, `after_unknown`, the
//! configuration, `prior_state` for a resource that already exists, the AWS
//! provider v4 split `aws_s3_bucket_*` resources joined onto their bucket),
//! a CloudFormation or ARM template, and the live snapshot of what the
//! provider then holds (an AWS Config item, an Azure REST export, a GCP Cloud
//! Asset Inventory line). Every check named must give each format the same
//! status; where the plan and the template both leave a setting to the
//! provider, both findings must say they rest on the provider's default.

mod common;

use common::consistency::{agree, Scenario};
use iso27017::checks::{Context, RuleSet};
use iso27017::engine;
use iso27017::ingest::Limits;
use iso27017::model::Status;
use serde_json::{json, Value};

// ---------------------------------------------------------------------------
// Terraform plan scaffolding.

/// A `resource_changes` element.
fn change(address: &str, rtype: &str, actions: &[&str], before: Value, after: Value, after_unknown: Value) -> Value {
    let name = address.rsplit('.').next().unwrap_or(address);
    let provider = match rtype.split('_').next() {
        Some("azurerm") => "registry.terraform.io/hashicorp/azurerm",
        Some("google") => "registry.terraform.io/hashicorp/google",
        _ => "registry.terraform.io/hashicorp/aws",
    };
    json!({
        "address": address, "mode": "managed", "type": rtype, "name": name, "provider_name": provider,
        "change": {
            "actions": actions, "before": before, "after": after, "after_unknown": after_unknown,
            "before_sensitive": if actions == ["create"] { json!(false) } else { json!({}) }, "after_sensitive": {}
        }
    })
}

/// A `configuration.root_module.resources` element (expressions as written).
fn config(address: &str, rtype: &str, expressions: Value) -> Value {
    let name = address.rsplit('.').next().unwrap_or(address);
    json!({"address": address, "mode": "managed", "type": rtype, "name": name, "provider_config_key": rtype.split('_').next(), "expressions": expressions, "schema_version": 0})
}

/// A plan: its changes, their configuration, and the prior state of the
/// resources that already exist.
fn plan(changes: Vec<Value>, configs: Vec<Value>, prior: Vec<Value>) -> Value {
    let planned: Vec<Value> = changes
        .iter()
        .map(|c| json!({"address": c["address"], "mode": "managed", "type": c["type"], "name": c["name"], "provider_name": c["provider_name"], "schema_version": 0, "values": c["change"]["after"], "sensitive_values": {}}))
        .collect();
    let mut p = json!({
        "format_version": "1.2", "terraform_version": "1.9.8",
        "planned_values": {"root_module": {"resources": planned}},
        "resource_changes": changes,
        "configuration": {"provider_config": {}, "root_module": {"resources": configs}},
        "timestamp": "2026-12-07T10:00:00Z", "applyable": true, "complete": true, "errored": false
    });
    if !prior.is_empty() {
        p["prior_state"] = json!({"format_version": "1.0", "terraform_version": "1.9.8", "values": {"root_module": {"resources": prior}}});
    }
    p
}

fn cfn(resources: Value) -> Value {
    json!({"AWSTemplateFormatVersion": "2010-09-09", "Description": "consistency", "Resources": resources})
}

/// An AWS Config item as `GetResourceConfigHistory` returns it (strings for
/// `configuration` and each supplementary value, as the API encodes them).
fn config_item(rtype: &str, id: &str, name: &str, configuration: Value, supplementary: Value) -> Value {
    let supp: serde_json::Map<String, Value> = supplementary.as_object().cloned().unwrap_or_default().into_iter().map(|(k, v)| (k, Value::String(v.to_string()))).collect();
    json!({"configurationItems": [{
        "version": "1.3", "accountId": "111122223333", "configurationItemCaptureTime": "2026-12-06T09:12:44.081Z",
        "configurationItemStatus": "OK", "configurationStateId": "1733476364081", "configurationItemMD5Hash": "",
        "arn": format!("arn:aws:{}:eu-west-1:111122223333:{id}", if rtype.contains("S3") { "s3" } else { "eks" }),
        "resourceType": rtype, "resourceId": name, "resourceName": name, "awsRegion": "eu-west-1",
        "availabilityZone": "Regional", "resourceCreationTime": "2026-12-06T09:10:02.000Z", "tags": {},
        "relatedEvents": [], "relationships": [],
        "configuration": configuration.to_string(), "supplementaryConfiguration": supp
    }]})
}

// ---------------------------------------------------------------------------
// AWS: S3.

const S3_COMPUTED: &str = r#"{"acceleration_status": true, "acl": true, "arn": true, "bucket_domain_name": true, "bucket_prefix": true,
    "bucket_regional_domain_name": true, "cors_rule": true, "grant": true, "hosted_zone_id": true, "id": true, "lifecycle_rule": true,
    "logging": true, "object_lock_configuration": true, "object_lock_enabled": true, "policy": true, "region": true,
    "replication_configuration": true, "request_payer": true, "server_side_encryption_configuration": true, "tags_all": true,
    "versioning": true, "website": true, "website_domain": true, "website_endpoint": true}"#;

fn s3_create(address: &str, bucket: &str, object_lock: Option<bool>) -> Value {
    let mut unknown: Value = serde_json::from_str(S3_COMPUTED).expect("valid");
    let mut after = json!({"bucket": bucket, "force_destroy": false, "tags": null, "timeouts": null});
    if let Some(on) = object_lock {
        after["object_lock_enabled"] = json!(on);
        unknown["object_lock_enabled"] = json!(false);
    }
    change(address, "aws_s3_bucket", &["create"], Value::Null, after, unknown)
}

fn bare_bucket() -> Scenario<'static> {
    let tf = plan(
        vec![s3_create("aws_s3_bucket.logs", "acme-consistency-logs", None)],
        vec![config("aws_s3_bucket.logs", "aws_s3_bucket", json!({"bucket": {"constant_value": "acme-consistency-logs"}}))],
        vec![],
    );
    let template = cfn(json!({"Logs": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "acme-consistency-logs"}}}));
    // What AWS Config records for that bucket once S3 has created it.
    let item = config_item(
        "AWS::S3::Bucket",
        "acme-consistency-logs",
        "acme-consistency-logs",
        json!({"name": "acme-consistency-logs", "owner": {"id": "f00d"}, "creationDate": "2026-12-06T09:10:02.000Z"}),
        json!({
            "AccessControlList": {"grantSet": null, "grantList": [{"grantee": {"id": "f00d", "displayName": null}, "permission": "FullControl"}], "owner": {"id": "f00d"}},
            "BucketLoggingConfiguration": {"destinationBucketName": null, "logFilePrefix": null},
            "BucketVersioningConfiguration": {"status": "Off", "isMfaDeleteEnabled": null},
            "IsRequesterPaysEnabled": false,
            "PublicAccessBlockConfiguration": {"blockPublicAcls": true, "ignorePublicAcls": true, "blockPublicPolicy": true, "restrictPublicBuckets": true},
            "ServerSideEncryptionConfiguration": {"rules": [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": "AES256", "kmsMasterKeyID": null}, "bucketKeyEnabled": false}]}
        }),
    );
    Scenario {
        name: "bucket left to S3's defaults",
        kind: "object_bucket",
        resource: "",
        except: &[],
        docs: vec![("bare.tfplan.json", tf), ("bare.cfn.json", template), ("bare.config.json", item)],
        checks: &[
            ("object_bucket_versioning", Status::Fail, true),
            ("object_bucket_access_logging", Status::Fail, true),
            ("object_bucket_public_access_blocked", Status::Pass, true),
            ("object_storage_encrypted_at_rest", Status::Pass, true),
            ("object_storage_not_public", Status::Pass, true),
        ],
    }
}

fn hardened_bucket() -> Scenario<'static> {
    let kms = "arn:aws:kms:eu-west-1:111122223333:key/0f2b6c1e-8d7a-4c39-9e55-2a1d3c4b5e6f";
    let tf = plan(
        vec![
            s3_create("aws_s3_bucket.records", "acme-consistency-records", Some(true)),
            change(
                "aws_s3_bucket_versioning.records",
                "aws_s3_bucket_versioning",
                &["create"],
                Value::Null,
                json!({"bucket": "acme-consistency-records", "expected_bucket_owner": null, "mfa": null, "versioning_configuration": [{"status": "Enabled"}]}),
                json!({"id": true, "versioning_configuration": [{"mfa_delete": true}]}),
            ),
            change(
                "aws_s3_bucket_server_side_encryption_configuration.records",
                "aws_s3_bucket_server_side_encryption_configuration",
                &["create"],
                Value::Null,
                json!({"bucket": "acme-consistency-records", "expected_bucket_owner": null, "rule": [{"apply_server_side_encryption_by_default": [{"kms_master_key_id": kms, "sse_algorithm": "aws:kms"}], "bucket_key_enabled": true}]}),
                json!({"id": true, "rule": [{"apply_server_side_encryption_by_default": [{}]}]}),
            ),
            change(
                "aws_s3_bucket_public_access_block.records",
                "aws_s3_bucket_public_access_block",
                &["create"],
                Value::Null,
                json!({"bucket": "acme-consistency-records", "block_public_acls": true, "block_public_policy": true, "ignore_public_acls": true, "restrict_public_buckets": true}),
                json!({"id": true}),
            ),
            change(
                "aws_s3_bucket_logging.records",
                "aws_s3_bucket_logging",
                &["create"],
                Value::Null,
                json!({"bucket": "acme-consistency-records", "expected_bucket_owner": null, "target_bucket": "acme-consistency-logs", "target_grant": [], "target_object_key_format": [], "target_prefix": "records/"}),
                json!({"id": true, "target_grant": [], "target_object_key_format": []}),
            ),
            change(
                "aws_s3_bucket_object_lock_configuration.records",
                "aws_s3_bucket_object_lock_configuration",
                &["create"],
                Value::Null,
                json!({"bucket": "acme-consistency-records", "expected_bucket_owner": null, "object_lock_enabled": "Enabled", "rule": [{"default_retention": [{"days": 365, "mode": "COMPLIANCE", "years": null}]}], "token": null}),
                json!({"id": true, "rule": [{"default_retention": [{}]}]}),
            ),
        ],
        vec![
            config("aws_s3_bucket.records", "aws_s3_bucket", json!({"bucket": {"constant_value": "acme-consistency-records"}, "object_lock_enabled": {"constant_value": true}})),
            config("aws_s3_bucket_versioning.records", "aws_s3_bucket_versioning", json!({"bucket": {"references": ["aws_s3_bucket.records.id", "aws_s3_bucket.records"]}})),
        ],
        vec![],
    );
    let template = cfn(json!({"Records": {"Type": "AWS::S3::Bucket", "Properties": {
        "BucketName": "acme-consistency-records",
        "VersioningConfiguration": {"Status": "Enabled"},
        "BucketEncryption": {"ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": kms}, "BucketKeyEnabled": true}]},
        "PublicAccessBlockConfiguration": {"BlockPublicAcls": true, "BlockPublicPolicy": true, "IgnorePublicAcls": true, "RestrictPublicBuckets": true},
        "LoggingConfiguration": {"DestinationBucketName": "acme-consistency-logs", "LogFilePrefix": "records/"},
        "ObjectLockEnabled": true,
        "ObjectLockConfiguration": {"ObjectLockEnabled": "Enabled", "Rule": {"DefaultRetention": {"Mode": "COMPLIANCE", "Days": 365}}}
    }}}));
    let item = config_item(
        "AWS::S3::Bucket",
        "acme-consistency-records",
        "acme-consistency-records",
        json!({"name": "acme-consistency-records", "owner": {"id": "f00d"}, "creationDate": "2026-12-06T09:10:02.000Z"}),
        json!({
            "AccessControlList": {"grantList": [{"grantee": {"id": "f00d"}, "permission": "FullControl"}], "owner": {"id": "f00d"}},
            "BucketLoggingConfiguration": {"destinationBucketName": "acme-consistency-logs", "logFilePrefix": "records/"},
            "BucketVersioningConfiguration": {"status": "Enabled", "isMfaDeleteEnabled": false},
            "PublicAccessBlockConfiguration": {"blockPublicAcls": true, "ignorePublicAcls": true, "blockPublicPolicy": true, "restrictPublicBuckets": true},
            "ServerSideEncryptionConfiguration": {"rules": [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": "aws:kms", "kmsMasterKeyID": kms}, "bucketKeyEnabled": true}]}
        }),
    );
    Scenario {
        name: "bucket that sets everything",
        kind: "object_bucket",
        resource: "",
        except: &[],
        docs: vec![("records.tfplan.json", tf), ("records.cfn.json", template), ("records.config.json", item)],
        checks: &[
            ("object_bucket_versioning", Status::Pass, false),
            ("object_bucket_access_logging", Status::Pass, false),
            ("object_bucket_public_access_blocked", Status::Pass, false),
            ("object_storage_encrypted_at_rest", Status::Pass, false),
        ],
    }
}

/// A bucket the plan leaves unchanged: the plan shows its live state (what
/// the provider read), which must be judged as its Config item is.
fn existing_bucket() -> Scenario<'static> {
    let live = json!({
        "acceleration_status": "", "acl": null, "arn": "arn:aws:s3:::acme-consistency-legacy", "bucket": "acme-consistency-legacy",
        "bucket_domain_name": "acme-consistency-legacy.s3.amazonaws.com", "bucket_prefix": "", "cors_rule": [], "force_destroy": false,
        "grant": [{"id": "f00d", "permissions": ["FULL_CONTROL"], "type": "CanonicalUser", "uri": ""}], "id": "acme-consistency-legacy",
        "lifecycle_rule": [], "logging": [], "object_lock_configuration": [], "object_lock_enabled": false, "policy": "", "region": "eu-west-1",
        "replication_configuration": [], "request_payer": "BucketOwner",
        "server_side_encryption_configuration": [{"rule": [{"apply_server_side_encryption_by_default": [{"kms_master_key_id": "", "sse_algorithm": "AES256"}], "bucket_key_enabled": false}]}],
        "tags": {}, "tags_all": {}, "timeouts": null, "versioning": [{"enabled": false, "mfa_delete": false}], "website": []
    });
    let pab = json!({"block_public_acls": false, "block_public_policy": true, "bucket": "acme-consistency-legacy", "id": "acme-consistency-legacy", "ignore_public_acls": false, "restrict_public_buckets": true});
    let tf = plan(
        vec![
            change("aws_s3_bucket.legacy", "aws_s3_bucket", &["no-op"], live.clone(), live.clone(), json!({})),
            change("aws_s3_bucket_public_access_block.legacy", "aws_s3_bucket_public_access_block", &["no-op"], pab.clone(), pab.clone(), json!({})),
        ],
        vec![config("aws_s3_bucket.legacy", "aws_s3_bucket", json!({"bucket": {"constant_value": "acme-consistency-legacy"}}))],
        vec![
            json!({"address": "aws_s3_bucket.legacy", "mode": "managed", "type": "aws_s3_bucket", "name": "legacy", "provider_name": "registry.terraform.io/hashicorp/aws", "schema_version": 0, "values": live}),
            json!({"address": "aws_s3_bucket_public_access_block.legacy", "mode": "managed", "type": "aws_s3_bucket_public_access_block", "name": "legacy", "provider_name": "registry.terraform.io/hashicorp/aws", "schema_version": 0, "values": pab}),
        ],
    );
    // The same bucket described by a template: everything it has is written out.
    let template = cfn(json!({"Legacy": {"Type": "AWS::S3::Bucket", "Properties": {
        "BucketName": "acme-consistency-legacy",
        "VersioningConfiguration": {"Status": "Suspended"},
        "BucketEncryption": {"ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]},
        "PublicAccessBlockConfiguration": {"BlockPublicAcls": false, "BlockPublicPolicy": true, "IgnorePublicAcls": false, "RestrictPublicBuckets": true}
    }}}));
    let item = config_item(
        "AWS::S3::Bucket",
        "acme-consistency-legacy",
        "acme-consistency-legacy",
        json!({"name": "acme-consistency-legacy", "owner": {"id": "f00d"}, "creationDate": "2019-03-01T08:00:00.000Z"}),
        json!({
            "AccessControlList": {"grantList": [{"grantee": {"id": "f00d"}, "permission": "FullControl"}], "owner": {"id": "f00d"}},
            "BucketLoggingConfiguration": {"destinationBucketName": null, "logFilePrefix": null},
            "BucketVersioningConfiguration": {"status": "Suspended", "isMfaDeleteEnabled": false},
            "PublicAccessBlockConfiguration": {"blockPublicAcls": false, "ignorePublicAcls": false, "blockPublicPolicy": true, "restrictPublicBuckets": true},
            "ServerSideEncryptionConfiguration": {"rules": [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": "AES256"}, "bucketKeyEnabled": false}]}
        }),
    );
    Scenario {
        name: "existing bucket, unchanged by the plan",
        kind: "object_bucket",
        resource: "",
        except: &[],
        docs: vec![("legacy.tfplan.json", tf), ("legacy.cfn.json", template), ("legacy.config.json", item)],
        checks: &[
            ("object_bucket_versioning", Status::Fail, false),
            ("object_bucket_public_access_blocked", Status::Fail, false),
            ("object_storage_encrypted_at_rest", Status::Pass, false),
        ],
    }
}

// ---------------------------------------------------------------------------
// AWS: EKS.

fn eks(public_cidrs: Option<&[&str]>, private_only: bool) -> Vec<(&'static str, Value)> {
    let vpc_after = if private_only {
        json!([{"endpoint_private_access": true, "endpoint_public_access": false, "public_access_cidrs": ["0.0.0.0/0"], "security_group_ids": null, "subnet_ids": ["subnet-0a1", "subnet-0b2"]}])
    } else {
        // The provider's schema default for endpoint_public_access is written into the plan.
        let cidrs = public_cidrs.map(|c| json!(c)).unwrap_or(Value::Null);
        json!([{"endpoint_private_access": false, "endpoint_public_access": true, "public_access_cidrs": cidrs, "security_group_ids": null, "subnet_ids": ["subnet-0a1", "subnet-0b2"]}])
    };
    let vpc_unknown = json!([{"cluster_security_group_id": true, "public_access_cidrs": public_cidrs.is_none() && !private_only, "subnet_ids": [false, false], "vpc_id": true}]);
    let mut expr = json!({"name": {"constant_value": "platform"}, "vpc_config": [{"subnet_ids": {"constant_value": ["subnet-0a1", "subnet-0b2"]}}]});
    if let Some(c) = public_cidrs {
        expr["vpc_config"][0]["public_access_cidrs"] = json!({"constant_value": c});
    }
    let tf = plan(
        vec![change(
            "aws_eks_cluster.platform",
            "aws_eks_cluster",
            &["create"],
            Value::Null,
            json!({"name": "platform", "enabled_cluster_log_types": null, "role_arn": "arn:aws:iam::111122223333:role/eks", "vpc_config": vpc_after, "version": "1.31"}),
            json!({"arn": true, "certificate_authority": true, "endpoint": true, "id": true, "identity": true, "kubernetes_network_config": true, "platform_version": true, "status": true, "version": false, "vpc_config": vpc_unknown}),
        )],
        vec![config("aws_eks_cluster.platform", "aws_eks_cluster", expr)],
        vec![],
    );
    let mut vpc = json!({"SubnetIds": ["subnet-0a1", "subnet-0b2"]});
    if private_only {
        vpc["EndpointPublicAccess"] = json!(false);
        vpc["EndpointPrivateAccess"] = json!(true);
    }
    if let Some(c) = public_cidrs {
        vpc["PublicAccessCidrs"] = json!(c);
    }
    let template = cfn(json!({"Platform": {"Type": "AWS::EKS::Cluster", "Properties": {"Name": "platform", "RoleArn": "arn:aws:iam::111122223333:role/eks", "ResourcesVpcConfig": vpc}}}));
    let live_cidrs = public_cidrs.map(|c| json!(c)).unwrap_or(json!(["0.0.0.0/0"]));
    let item = config_item(
        "AWS::EKS::Cluster",
        "cluster/platform",
        "platform",
        json!({"Name": "platform", "RoleArn": "arn:aws:iam::111122223333:role/eks", "Version": "1.31",
            "ResourcesVpcConfig": {"SubnetIds": ["subnet-0a1", "subnet-0b2"], "EndpointPublicAccess": !private_only, "EndpointPrivateAccess": private_only, "PublicAccessCidrs": live_cidrs},
            "Logging": {"ClusterLogging": [{"Types": ["api", "audit", "authenticator", "controllerManager", "scheduler"], "Enabled": false}]}}),
        json!({}),
    );
    vec![("eks.tfplan.json", tf), ("eks.cfn.json", template), ("eks.config.json", item)]
}

// ---------------------------------------------------------------------------
// Azure: storage accounts and AKS.

fn azure_account(hardened: bool) -> Vec<(&'static str, Value)> {
    let id = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-data/providers/Microsoft.Storage/storageAccounts/stconsistency";
    let mut after = json!({
        "name": "stconsistency", "resource_group_name": "rg-data", "location": "westeurope", "account_kind": "StorageV2", "account_tier": "Standard",
        "account_replication_type": "ZRS", "access_tier": "Hot", "https_traffic_only_enabled": true, "min_tls_version": "TLS1_2",
        "allow_nested_items_to_be_public": false, "shared_access_key_enabled": true, "public_network_access_enabled": true,
        "infrastructure_encryption_enabled": false, "cross_tenant_replication_enabled": false, "tags": null
    });
    let mut unknown = json!({"blob_properties": true, "id": true, "identity": [], "network_rules": true, "primary_blob_endpoint": true, "queue_properties": true, "share_properties": true, "static_website": true});
    let mut expr = json!({"name": {"constant_value": "stconsistency"}, "min_tls_version": {"constant_value": "TLS1_2"}, "allow_nested_items_to_be_public": {"constant_value": false}});
    if hardened {
        after["blob_properties"] = json!([{"delete_retention_policy": [{"days": 14, "permanent_delete_enabled": false}], "versioning_enabled": true, "container_delete_retention_policy": []}]);
        after["network_rules"] = json!([{"default_action": "Deny", "bypass": ["AzureServices"], "ip_rules": ["203.0.113.0/24"], "virtual_network_subnet_ids": []}]);
        unknown["blob_properties"] = json!([{"delete_retention_policy": [{}]}]);
        unknown["network_rules"] = json!([{"bypass": [false], "ip_rules": [false]}]);
        expr["blob_properties"] = json!([{"delete_retention_policy": [{"days": {"constant_value": 14}}]}]);
    }
    let tf = plan(
        vec![change("azurerm_storage_account.data", "azurerm_storage_account", &["create"], Value::Null, after, unknown)],
        vec![config("azurerm_storage_account.data", "azurerm_storage_account", expr)],
        vec![],
    );
    let mut props = json!({"minimumTlsVersion": "TLS1_2", "accessTier": "Hot"});
    let mut resources = vec![];
    if hardened {
        props["networkAcls"] = json!({"defaultAction": "Deny", "bypass": "AzureServices", "ipRules": [{"value": "203.0.113.0/24", "action": "Allow"}]});
    }
    resources.push(json!({"type": "Microsoft.Storage/storageAccounts", "apiVersion": "2023-05-01", "name": "stconsistency", "location": "westeurope", "sku": {"name": "Standard_ZRS"}, "kind": "StorageV2", "properties": props}));
    if hardened {
        resources.push(json!({"type": "Microsoft.Storage/storageAccounts/blobServices", "apiVersion": "2023-05-01", "name": "stconsistency/default",
            "dependsOn": ["[resourceId('Microsoft.Storage/storageAccounts', 'stconsistency')]"],
            "properties": {"deleteRetentionPolicy": {"enabled": true, "days": 14}, "isVersioningEnabled": true}}));
    }
    let arm = json!({"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "contentVersion": "1.0.0.0", "resources": resources});
    // What `GET …/storageAccounts` and `GET …/blobServices` return for that account.
    let acl = if hardened {
        json!({"bypass": "AzureServices", "virtualNetworkRules": [], "ipRules": [{"value": "203.0.113.0/24", "action": "Allow"}], "defaultAction": "Deny"})
    } else {
        json!({"bypass": "AzureServices", "virtualNetworkRules": [], "ipRules": [], "defaultAction": "Allow"})
    };
    let rest = json!({"value": [
        {"id": id, "name": "stconsistency", "type": "Microsoft.Storage/storageAccounts", "location": "westeurope", "kind": "StorageV2",
         "sku": {"name": "Standard_ZRS", "tier": "Standard"},
         "properties": {"minimumTlsVersion": "TLS1_2", "allowBlobPublicAccess": false, "supportsHttpsTrafficOnly": true, "networkAcls": acl,
            "encryption": {"services": {"blob": {"keyType": "Account", "enabled": true}, "file": {"keyType": "Account", "enabled": true}}, "keySource": "Microsoft.Storage", "requireInfrastructureEncryption": false},
            "accessTier": "Hot", "provisioningState": "Succeeded", "allowCrossTenantReplication": false}},
        {"id": format!("{id}/blobServices/default"), "name": "default", "type": "Microsoft.Storage/storageAccounts/blobServices",
         "properties": {"deleteRetentionPolicy": if hardened { json!({"allowPermanentDelete": false, "enabled": true, "days": 14}) } else { json!({"allowPermanentDelete": false, "enabled": false}) },
            "isVersioningEnabled": hardened, "cors": {"corsRules": []}}}
    ]});
    vec![("account.tfplan.json", tf), ("account.arm.json", arm), ("account.rest.json", rest)]
}

fn aks() -> Vec<(&'static str, Value)> {
    let tf = plan(
        vec![change(
            "azurerm_kubernetes_cluster.apps",
            "azurerm_kubernetes_cluster",
            &["create"],
            Value::Null,
            json!({"name": "aks-apps", "location": "westeurope", "resource_group_name": "rg-apps", "dns_prefix": "apps", "private_cluster_enabled": false,
                "role_based_access_control_enabled": true, "api_server_access_profile": [], "default_node_pool": [{"name": "system", "vm_size": "Standard_D4s_v5", "node_count": 3}]}),
            json!({"api_server_access_profile": [], "fqdn": true, "id": true, "kube_config": true, "network_profile": true, "oms_agent": [], "private_fqdn": true}),
        )],
        vec![config("azurerm_kubernetes_cluster.apps", "azurerm_kubernetes_cluster", json!({"name": {"constant_value": "aks-apps"}, "dns_prefix": {"constant_value": "apps"}}))],
        vec![],
    );
    let arm = json!({"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "contentVersion": "1.0.0.0", "resources": [
        {"type": "Microsoft.ContainerService/managedClusters", "apiVersion": "2024-05-01", "name": "aks-apps", "location": "westeurope", "identity": {"type": "SystemAssigned"},
         "properties": {"dnsPrefix": "apps", "enableRBAC": true, "agentPoolProfiles": [{"name": "system", "count": 3, "vmSize": "Standard_D4s_v5", "mode": "System"}]}}
    ]});
    let rest = json!({"value": [
        {"id": "/subscriptions/00000000-0000-0000-0000-000000000001/resourcegroups/rg-apps/providers/Microsoft.ContainerService/managedClusters/aks-apps",
         "name": "aks-apps", "type": "Microsoft.ContainerService/ManagedClusters", "location": "westeurope",
         "properties": {"provisioningState": "Succeeded", "kubernetesVersion": "1.30.5", "dnsPrefix": "apps", "fqdn": "apps-1a2b3c.hcp.westeurope.azmk8s.io", "enableRBAC": true,
            "agentPoolProfiles": [{"name": "system", "count": 3, "vmSize": "Standard_D4s_v5", "mode": "System"}],
            "networkProfile": {"networkPlugin": "kubenet", "loadBalancerSku": "standard"}}}
    ]});
    vec![("aks.tfplan.json", tf), ("aks.arm.json", arm), ("aks.rest.json", rest)]
}

// ---------------------------------------------------------------------------
// GCP: GKE (Terraform plan vs Cloud Asset Inventory; the plan comes twice
// so the first two documents, which are compared for the default flag, are
// both plans).

fn gke(private_endpoint: bool) -> Vec<(&'static str, Value)> {
    let mut after = json!({"name": "gke-apps", "location": "europe-west1", "project": "acme-prod", "initial_node_count": 1, "enable_legacy_abac": false,
        "logging_service": "logging.googleapis.com/kubernetes", "network_policy": [{"enabled": true, "provider": "CALICO"}]});
    let mut unknown = json!({"endpoint": true, "id": true, "master_auth": true, "master_authorized_networks_config": true, "private_cluster_config": true, "self_link": true});
    let mut expr = json!({"name": {"constant_value": "gke-apps"}});
    let mut data = json!({"name": "gke-apps", "location": "europe-west1", "status": "RUNNING", "endpoint": "203.0.113.10", "legacyAbac": {},
        "loggingService": "logging.googleapis.com/kubernetes", "networkPolicy": {"enabled": true, "provider": "CALICO"}});
    if private_endpoint {
        after["private_cluster_config"] = json!([{"enable_private_endpoint": true, "enable_private_nodes": true, "master_ipv4_cidr_block": "172.16.0.0/28"}]);
        unknown["private_cluster_config"] = json!([{"peering_name": true, "private_endpoint": true, "public_endpoint": true}]);
        expr["private_cluster_config"] = json!([{"enable_private_endpoint": {"constant_value": true}}]);
        data["privateClusterConfig"] = json!({"enablePrivateNodes": true, "enablePrivateEndpoint": true, "masterIpv4CidrBlock": "172.16.0.0/28", "privateEndpoint": "172.16.0.2"});
    }
    let tf = plan(
        vec![change("google_container_cluster.apps", "google_container_cluster", &["create"], Value::Null, after, unknown)],
        vec![config("google_container_cluster.apps", "google_container_cluster", expr)],
        vec![],
    );
    let cai = json!([{"name": "//container.googleapis.com/projects/acme-prod/locations/europe-west1/clusters/gke-apps",
        "asset_type": "container.googleapis.com/Cluster", "ancestors": ["projects/123456789012", "organizations/111"],
        "resource": {"version": "v1", "discovery_document_uri": "https://container.googleapis.com/$discovery/rest", "discovery_name": "Cluster",
            "parent": "//cloudresourcemanager.googleapis.com/projects/123456789012", "location": "europe-west1", "data": data}}]);
    vec![("gke.tfplan.json", tf.clone()), ("gke-again.tfplan.json", tf), ("gke.cai.json", cai)]
}

#[test]
fn s3_buckets_are_judged_alike_in_every_format() {
    agree(&bare_bucket());
    agree(&hardened_bucket());
    agree(&existing_bucket());
}

#[test]
fn eks_endpoints_are_judged_alike_in_every_format() {
    agree(&Scenario {
        name: "EKS cluster left to its defaults",
        kind: "k8s_cluster",
        resource: "",
        except: &[],
        docs: eks(None, false),
        checks: &[("k8s_cluster_private_endpoint", Status::Fail, false), ("k8s_cluster_master_authorized_networks", Status::Fail, true), ("k8s_cluster_logging_enabled", Status::Fail, false)],
    });
    agree(&Scenario {
        name: "EKS cluster with an allow-list",
        kind: "k8s_cluster",
        resource: "",
        except: &[],
        docs: eks(Some(&["203.0.113.0/24"]), false),
        checks: &[("k8s_cluster_private_endpoint", Status::Fail, false), ("k8s_cluster_master_authorized_networks", Status::Pass, false)],
    });
    agree(&Scenario {
        name: "EKS cluster with a private endpoint only",
        kind: "k8s_cluster",
        resource: "",
        except: &[],
        docs: eks(None, true),
        checks: &[("k8s_cluster_private_endpoint", Status::Pass, false), ("k8s_cluster_master_authorized_networks", Status::Pass, false)],
    });
}

#[test]
fn azure_storage_accounts_are_judged_alike_in_every_format() {
    agree(&Scenario {
        name: "storage account with Azure's defaults",
        kind: "storage_account",
        resource: "",
        except: &[],
        docs: azure_account(false),
        checks: &[
            ("storage_account_https_only", Status::Pass, false),
            ("storage_account_min_tls_12", Status::Pass, false),
            ("storage_account_no_public_blob_access", Status::Pass, false),
            ("storage_account_blob_soft_delete", Status::Fail, true),
            ("storage_account_network_default_deny", Status::Fail, false),
            ("object_storage_encrypted_at_rest", Status::Pass, true),
        ],
    });
    agree(&Scenario {
        name: "storage account that sets everything",
        kind: "storage_account",
        resource: "",
        except: &[],
        docs: azure_account(true),
        checks: &[
            ("storage_account_https_only", Status::Pass, false),
            ("storage_account_min_tls_12", Status::Pass, false),
            ("storage_account_no_public_blob_access", Status::Pass, false),
            ("storage_account_blob_soft_delete", Status::Pass, false),
            ("storage_account_network_default_deny", Status::Pass, false),
        ],
    });
}

#[test]
fn aks_and_gke_endpoints_are_judged_alike_in_every_format() {
    agree(&Scenario {
        name: "AKS cluster left to its defaults",
        kind: "k8s_cluster",
        resource: "",
        except: &[],
        docs: aks(),
        checks: &[("k8s_cluster_private_endpoint", Status::Fail, false), ("k8s_cluster_master_authorized_networks", Status::Fail, true)],
    });
    agree(&Scenario {
        name: "GKE cluster left to its defaults",
        kind: "k8s_cluster",
        resource: "",
        except: &[],
        docs: gke(false),
        checks: &[("k8s_cluster_private_endpoint", Status::Fail, true), ("k8s_cluster_master_authorized_networks", Status::Fail, true)],
    });
    agree(&Scenario {
        name: "GKE cluster with a private endpoint",
        kind: "k8s_cluster",
        resource: "",
        except: &[],
        docs: gke(true),
        checks: &[("k8s_cluster_private_endpoint", Status::Pass, false), ("k8s_cluster_master_authorized_networks", Status::Pass, false)],
    });
}

/// A finding that rests on a default says which one, in the report's JSON.
#[test]
fn the_report_names_the_default_a_finding_rests_on() {
    let (name, doc) = bare_bucket().docs.remove(1);
    let text = doc.to_string();
    let a = engine::assess_files([(name, text.as_bytes())], &Limits::default(), RuleSet::bundled(), &Context::on(2026, 12, 7));
    let json: Value = serde_json::from_str(&iso27017::report::json::to_string(&a, RuleSet::bundled(), iso27017::report::Passes::Full)).expect("JSON");
    let f = json["findings"].as_array().expect("findings").iter().find(|f| f["check"] == "object_bucket_versioning").expect("versioning finding").clone();
    assert_eq!(f["status"], "fail");
    assert!(f["message"].as_str().is_some_and(|m| m.ends_with("does not keep previous object versions")), "{}", f["message"]);
    assert_eq!(f["defaults"][0]["default"], "s3_versioning_off");
    assert!(f["defaults"][0]["source"].as_str().is_some_and(|s| s.starts_with("https://docs.aws.amazon.com/")));
    let enc = json["findings"].as_array().expect("findings").iter().find(|f| f["check"] == "object_storage_encrypted_at_rest").expect("encryption finding").clone();
    assert_eq!(enc["status"], "pass", "S3 encrypts new objects by default");
    assert_eq!(enc["defaults"][0]["verified"], "2026-12-07");
}

/// The basis survives the worker → page handover (the workspace's compact
/// condition table), and rows written before it existed still read.
#[test]
fn the_default_survives_the_handover_to_the_page() {
    use iso27017::workspace::transfer;
    let (name, doc) = bare_bucket().docs.remove(1);
    let text = doc.to_string();
    let o = transfer::assess_file(name, text.as_bytes(), &Limits::default(), RuleSet::bundled(), &Context::on(2026, 12, 7), &mut |_| {});
    let back = transfer::from_json(&transfer::to_json(&o)).expect("reads back");
    let based = |o: &transfer::FileOutcome| -> Vec<(String, Option<String>)> {
        o.record.findings.iter().flat_map(|f| f.evidence.iter().map(|e| (e.prop().to_string(), e.basis().map(|d| d.id.clone())))).collect()
    };
    assert_eq!(based(&back), based(&o));
    assert!(based(&back).iter().any(|(p, d)| p == "versioning" && d.as_deref() == Some("s3_versioning_off")));
    use iso27017::workspace::store::StoredConditionV2;
    let old: StoredConditionV2 = serde_json::from_str(r#"["versioning","versioning = true"]"#).expect("two columns");
    assert_eq!(old.2, None);
    let new: StoredConditionV2 = serde_json::from_str(r#"["versioning","versioning = true","s3_versioning_off"]"#).expect("three columns");
    assert_eq!(serde_json::to_string(&new).expect("writes"), r#"["versioning","versioning = true","s3_versioning_off"]"#);
    assert_eq!(serde_json::to_string(&old).expect("writes"), r#"["versioning","versioning = true"]"#);
    assert!(serde_json::from_str::<StoredConditionV2>(r#"["a","b","c","d"]"#).is_err());
    assert!(serde_json::from_str::<StoredConditionV2>(r#"["a"]"#).is_err());
}
