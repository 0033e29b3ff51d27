//! One resource, several formats, one verdict, for the facts that joins and
//! less common inputs carry: a VPC's default security group, write and
//! permissions-management actions on every resource, Azure private endpoints
//! and flow logs, GCP OS Login from project metadata and inline GKE node
//! pools. Each scenario writes the same resource as each format carries it (a
//! Terraform plan as `terraform show -json` writes it, with nulls and
//! `after_unknown`; a CloudFormation template; an AWS Config item; the IAM
//! authorization details; an ARM template or Azure REST export; a Cloud Asset
//! Inventory export). Where a format cannot carry the input, the scenario
//! says what the check then answers and why.

mod common;

use common::consistency::{agree, Scenario};
use iso27017::checks::{Context, RuleSet};
use iso27017::engine;
use iso27017::ingest::Limits;
use iso27017::model::Status::{self, Fail, Indeterminate as Unknown, NotApplicable, Pass};
use serde_json::{json, Value};

// ---------------------------------------------------------------------------
// Scaffolding.

/// A plan resource: `(address, type, after, after_unknown, configuration expressions)`.
type Res = (&'static str, &'static str, Value, Value, Value);

/// A plan of one provider (`aws`, `azurerm`, `google`).
fn plan_of(provider: &str, resources: Vec<Res>) -> Value {
    let full = format!("registry.terraform.io/hashicorp/{provider}");
    let mut changes = Vec::new();
    let mut planned = Vec::new();
    let mut configs = Vec::new();
    for (address, rtype, after, unknown, expressions) in resources {
        let name = address.rsplit('.').next().unwrap_or(address);
        changes.push(json!({
            "address": address, "mode": "managed", "type": rtype, "name": name, "provider_name": full,
            "change": {"actions": ["create"], "before": null, "after": after, "after_unknown": unknown, "before_sensitive": false, "after_sensitive": {}}
        }));
        planned.push(json!({"address": address, "mode": "managed", "type": rtype, "name": name, "provider_name": full, "schema_version": 0, "values": after, "sensitive_values": {}}));
        configs.push(json!({"address": address, "mode": "managed", "type": rtype, "name": name, "provider_config_key": provider, "expressions": expressions, "schema_version": 0}));
    }
    json!({
        "format_version": "1.2", "terraform_version": "1.9.8",
        "planned_values": {"root_module": {"resources": planned}},
        "resource_changes": changes,
        "configuration": {"provider_config": {provider: {"name": provider, "full_name": full}}, "root_module": {"resources": configs}},
        "timestamp": "2026-12-07T10:00:00Z", "applyable": true, "complete": true, "errored": false
    })
}

fn plan(resources: Vec<Res>) -> Value {
    plan_of("aws", resources)
}

fn cfn(resources: Value) -> Value {
    json!({"AWSTemplateFormatVersion": "2010-09-09", "Description": "consistency", "Resources": resources})
}

const ACCOUNT: &str = "111122223333";

/// One configuration item as `GetResourceConfigHistory` returns it
/// (`configuration` and each supplementary value as JSON strings).
fn item(rtype: &str, id: &str, name: &str, arn: &str, configuration: Value) -> Value {
    json!({
        "version": "1.3", "accountId": ACCOUNT, "configurationItemCaptureTime": "2026-12-06T09:12:44.081Z",
        "configurationItemStatus": "ResourceDiscovered", "configurationStateId": "1733476364081", "configurationItemMD5Hash": "",
        "arn": arn, "resourceType": rtype, "resourceId": id, "resourceName": name, "awsRegion": "eu-west-1",
        "availabilityZone": "Not Applicable", "tags": {}, "relatedEvents": [], "relationships": [],
        "configuration": configuration.to_string(), "supplementaryConfiguration": {}
    })
}

fn snapshot(items: Vec<Value>) -> Value {
    json!({"fileVersion": "1.0", "configSnapshotId": "7a1c0e9e-gaps", "configurationItems": items})
}

/// The roll-up of one check over a whole document.
fn check_status(name: &str, doc: &Value, check: &str) -> Status {
    let text = doc.to_string();
    let a = engine::assess_files([(name, text.as_bytes())], &Limits::default(), RuleSet::bundled(), &Context::on(2026, 12, 7));
    if let Some(e) = &a.inputs[0].error {
        panic!("{name}: {e}");
    }
    a.checks.iter().find(|c| c.check.as_str() == check).map(|c| c.status).unwrap_or_else(|| panic!("no check {check}"))
}

// ---------------------------------------------------------------------------
// A VPC's default security group.

const DEFAULT_SG: &str = "aws_vpc_default_security_group_closed";

/// The default group of `vpc-0a1b2c3d` as a Config item.
fn default_sg_item(ingress: Value, egress: Value) -> Value {
    item(
        "AWS::EC2::SecurityGroup",
        "sg-0d1e2f3a",
        "default",
        &format!("arn:aws:ec2:eu-west-1:{ACCOUNT}:security-group/sg-0d1e2f3a"),
        json!({"description": "default VPC security group", "groupName": "default", "ipPermissions": ingress, "ownerId": ACCOUNT,
               "groupId": "sg-0d1e2f3a", "ipPermissionsEgress": egress, "tags": [], "vpcId": "vpc-0a1b2c3d"}),
    )
}

#[test]
fn default_security_group_adopted_without_rules_is_closed() {
    // Terraform adopts the group and removes every rule; the configuration sets none.
    let p = plan(vec![(
        "aws_default_security_group.default",
        "aws_default_security_group",
        json!({"revoke_rules_on_delete": false, "tags": null, "timeouts": null, "vpc_id": "vpc-0a1b2c3d"}),
        json!({"arn": true, "description": true, "egress": true, "id": true, "ingress": true, "name": true, "name_prefix": true, "owner_id": true, "tags_all": true}),
        json!({"vpc_id": {"constant_value": "vpc-0a1b2c3d"}}),
    )]);
    let snap = snapshot(vec![default_sg_item(json!([]), json!([]))]);
    agree(&Scenario {
        name: "closed default group",
        kind: "firewall",
        resource: "",
        docs: vec![("plan.json", p), ("config.json", snap)],
        checks: &[(DEFAULT_SG, Pass, false)],
        except: &[],
    });
}

#[test]
fn default_security_group_as_ec2_makes_it_is_open() {
    // EC2's own rules: members reach each other, and all outbound traffic is allowed.
    let self_ref = json!([{"ipProtocol": "-1", "ipv6Ranges": [], "prefixListIds": [], "userIdGroupPairs": [{"groupId": "sg-0d1e2f3a", "userId": ACCOUNT}], "ipv4Ranges": [], "ipRanges": []}]);
    let all_out = json!([{"ipProtocol": "-1", "ipv6Ranges": [], "prefixListIds": [], "userIdGroupPairs": [], "ipv4Ranges": [{"cidrIp": "0.0.0.0/0"}], "ipRanges": ["0.0.0.0/0"]}]);
    let rule = |self_: bool, cidrs: Value| {
        json!({"cidr_blocks": cidrs, "description": "", "from_port": 0, "ipv6_cidr_blocks": [], "prefix_list_ids": [], "protocol": "-1", "security_groups": [], "self": self_, "to_port": 0})
    };
    let p = plan(vec![(
        "aws_default_security_group.default",
        "aws_default_security_group",
        json!({"ingress": [rule(true, json!([]))], "egress": [rule(false, json!(["0.0.0.0/0"]))], "revoke_rules_on_delete": false, "tags": null, "timeouts": null, "vpc_id": "vpc-0a1b2c3d"}),
        json!({"arn": true, "description": true, "egress": [{"cidr_blocks": [false], "ipv6_cidr_blocks": [], "prefix_list_ids": [], "security_groups": []}], "id": true, "ingress": [{"cidr_blocks": [], "ipv6_cidr_blocks": [], "prefix_list_ids": [], "security_groups": []}], "name": true, "owner_id": true, "tags_all": true}),
        json!({"vpc_id": {"constant_value": "vpc-0a1b2c3d"}, "ingress": [{"self": {"constant_value": true}}], "egress": [{"cidr_blocks": {"constant_value": ["0.0.0.0/0"]}}]}),
    )]);
    let snap = snapshot(vec![default_sg_item(self_ref, all_out)]);
    agree(&Scenario {
        name: "open default group",
        kind: "firewall",
        resource: "",
        docs: vec![("plan.json", p), ("config.json", snap)],
        checks: &[(DEFAULT_SG, Fail, false)],
        except: &[],
    });
}

#[test]
fn a_rule_resource_on_the_adopted_default_group_opens_it() {
    let p = plan(vec![
        (
            "aws_default_security_group.default",
            "aws_default_security_group",
            json!({"revoke_rules_on_delete": false, "tags": null, "timeouts": null, "vpc_id": "vpc-0a1b2c3d"}),
            json!({"arn": true, "egress": true, "id": true, "ingress": true, "name": true, "owner_id": true, "tags_all": true}),
            json!({"vpc_id": {"constant_value": "vpc-0a1b2c3d"}}),
        ),
        (
            "aws_vpc_security_group_ingress_rule.ssh",
            "aws_vpc_security_group_ingress_rule",
            json!({"cidr_ipv4": "10.0.0.0/8", "cidr_ipv6": null, "description": null, "from_port": 22, "ip_protocol": "tcp", "prefix_list_id": null, "referenced_security_group_id": null, "tags": null, "to_port": 22}),
            json!({"arn": true, "id": true, "security_group_id": true, "security_group_rule_id": true, "tags_all": true}),
            json!({"security_group_id": {"references": ["aws_default_security_group.default.id", "aws_default_security_group.default"]}, "cidr_ipv4": {"constant_value": "10.0.0.0/8"}}),
        ),
    ]);
    let snap = snapshot(vec![default_sg_item(
        json!([{"fromPort": 22, "toPort": 22, "ipProtocol": "tcp", "ipv6Ranges": [], "prefixListIds": [], "userIdGroupPairs": [], "ipv4Ranges": [{"cidrIp": "10.0.0.0/8"}], "ipRanges": ["10.0.0.0/8"]}]),
        json!([]),
    )]);
    agree(&Scenario {
        name: "default group opened by a rule resource",
        kind: "firewall",
        resource: "default",
        docs: vec![("plan.json", p), ("config.json", snap)],
        checks: &[(DEFAULT_SG, Fail, false)],
        except: &[],
    });
}

#[test]
fn a_template_cannot_declare_the_default_group() {
    // EC2 makes the default group with the VPC and reserves its name: a
    // template's groups are never it, so the check has nothing to judge there.
    let t = cfn(json!({
        "Vpc": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.0.0.0/16"}},
        "App": {"Type": "AWS::EC2::SecurityGroup", "Properties": {"GroupDescription": "app", "VpcId": {"Ref": "Vpc"}}}
    }));
    assert_eq!(check_status("template.json", &t, DEFAULT_SG), NotApplicable);
    // An ordinary group in a snapshot is not in scope either.
    let own = item(
        "AWS::EC2::SecurityGroup",
        "sg-0a1b2c3d",
        "app",
        &format!("arn:aws:ec2:eu-west-1:{ACCOUNT}:security-group/sg-0a1b2c3d"),
        json!({"description": "app", "groupName": "app", "ipPermissions": [], "ownerId": ACCOUNT, "groupId": "sg-0a1b2c3d", "ipPermissionsEgress": [], "tags": [], "vpcId": "vpc-0a1b2c3d"}),
    );
    assert_eq!(check_status("config.json", &snapshot(vec![own]), DEFAULT_SG), NotApplicable);
    // A partial item without the group's name cannot say, whatever its rules.
    for egress in [json!([]), json!([{"ipProtocol": "-1", "ipv4Ranges": [{"cidrIp": "0.0.0.0/0"}], "ipRanges": ["0.0.0.0/0"]}])] {
        let mut partial = default_sg_item(json!([]), json!([]));
        partial["configuration"] = json!(json!({"groupId": "sg-0d1e2f3a", "ipPermissions": [], "ipPermissionsEgress": egress}).to_string());
        assert_eq!(check_status("config.json", &snapshot(vec![partial]), DEFAULT_SG), Unknown);
    }
}

// ---------------------------------------------------------------------------
// Write and permissions-management actions on every resource.

const WRITE_ALL: &str = "iam_no_write_on_all_resources";

fn url_encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Customer managed policy `p` and role `r` with inline policy `inline`, in
/// the four formats that carry IAM: a plan (`jsonencode` strings, the inline
/// policy a resource of its own joined by reference), a template, AWS Config
/// items and the authorization details (URL-encoded documents).
fn iam_docs(managed: &Value, inline: &Value) -> Vec<(&'static str, Value)> {
    let trust = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]});
    let text = |v: &Value| Value::String(v.to_string());
    let enc = |v: &Value| Value::String(url_encode(&v.to_string()));
    let arn_p = format!("arn:aws:iam::{ACCOUNT}:policy/p");
    let arn_r = format!("arn:aws:iam::{ACCOUNT}:role/r");
    let p = plan(vec![
        (
            "aws_iam_policy.p",
            "aws_iam_policy",
            json!({"name": "p", "path": "/", "description": null, "name_prefix": null, "policy": text(managed), "tags": null}),
            json!({"arn": true, "id": true, "policy_id": true, "tags_all": true, "attachment_count": true}),
            json!({"name": {"constant_value": "p"}, "policy": {}}),
        ),
        (
            "aws_iam_role.r",
            "aws_iam_role",
            json!({"name": "r", "path": "/", "assume_role_policy": text(&trust), "description": null, "force_detach_policies": false, "max_session_duration": 3600, "permissions_boundary": null, "tags": null}),
            json!({"arn": true, "id": true, "inline_policy": true, "managed_policy_arns": true, "unique_id": true, "create_date": true, "tags_all": true}),
            json!({"name": {"constant_value": "r"}, "assume_role_policy": {}}),
        ),
        (
            "aws_iam_role_policy.inline",
            "aws_iam_role_policy",
            json!({"name": "inline", "policy": text(inline)}),
            json!({"id": true, "role": true}),
            json!({"name": {"constant_value": "inline"}, "policy": {}, "role": {"references": ["aws_iam_role.r.id", "aws_iam_role.r"]}}),
        ),
    ]);
    let t = cfn(json!({
        "P": {"Type": "AWS::IAM::ManagedPolicy", "Properties": {"ManagedPolicyName": "p", "PolicyDocument": managed}},
        "R": {"Type": "AWS::IAM::Role", "Properties": {"RoleName": "r", "AssumeRolePolicyDocument": trust, "Policies": [{"PolicyName": "inline", "PolicyDocument": inline}]}}
    }));
    let mut pi = item(
        "AWS::IAM::Policy",
        "ANPAP",
        "p",
        &arn_p,
        json!({"policyName": "p", "policyId": "ANPAP", "arn": arn_p, "path": "/", "defaultVersionId": "v1", "attachmentCount": 0, "isAttachable": true,
               "policyVersionList": [{"document": enc(managed), "versionId": "v1", "isDefaultVersion": true, "createDate": "2026-05-01T10:00:00.000Z"}]}),
    );
    pi["awsRegion"] = json!("global");
    let mut ri = item(
        "AWS::IAM::Role",
        "AROAR",
        "r",
        &arn_r,
        json!({"roleName": "r", "path": "/", "arn": arn_r, "assumeRolePolicyDocument": enc(&trust), "attachedManagedPolicies": [], "instanceProfileList": [],
               "rolePolicyList": [{"policyName": "inline", "policyDocument": enc(inline)}]}),
    );
    ri["awsRegion"] = json!("global");
    let details = json!({
        "UserDetailList": [], "GroupDetailList": [],
        "RoleDetailList": [{"Path": "/", "RoleName": "r", "RoleId": "AROAR", "Arn": arn_r, "CreateDate": "2026-05-01T10:00:00Z",
            "AssumeRolePolicyDocument": enc(&trust), "InstanceProfileList": [], "RolePolicyList": [{"PolicyName": "inline", "PolicyDocument": enc(inline)}],
            "AttachedManagedPolicies": [], "Tags": [], "RoleLastUsed": {}}],
        "Policies": [{"PolicyName": "p", "PolicyId": "ANPAP", "Arn": arn_p, "Path": "/", "DefaultVersionId": "v1", "AttachmentCount": 0,
            "PermissionsBoundaryUsageCount": 0, "IsAttachable": true, "CreateDate": "2026-05-01T10:00:00Z", "UpdateDate": "2026-05-01T10:00:00Z",
            "PolicyVersionList": [{"Document": enc(managed), "VersionId": "v1", "IsDefaultVersion": true, "CreateDate": "2026-05-01T10:00:00Z"}]}],
        "IsTruncated": false
    });
    vec![("plan.json", p), ("template.json", t), ("config.json", snapshot(vec![pi, ri])), ("authorization-details.json", details)]
}

fn iam_agree(name: &str, managed: Value, inline: Value, on_policy: Status, on_role: Status) {
    let docs = iam_docs(&managed, &inline);
    agree(&Scenario { name, kind: "iam_policy", resource: "p", docs: docs.clone(), checks: &[(WRITE_ALL, on_policy, false)], except: &[] });
    agree(&Scenario { name, kind: "iam_role", resource: "r", docs, checks: &[(WRITE_ALL, on_role, false)], except: &[] });
}

#[test]
fn write_actions_on_every_resource_fail_in_every_format() {
    let put_all = json!({"Version": "2012-10-17", "Statement": [{"Sid": "Upload", "Effect": "Allow", "Action": ["s3:Put*", "s3:List*"], "Resource": "*"}]});
    let terminate = json!({"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": ["ec2:Describe*", "ec2:TerminateInstances"], "Resource": "*"}});
    iam_agree("s3:Put* and ec2:TerminateInstances on *", put_all, terminate, Fail, Fail);
    let kms_all = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:*", "Resource": "*"}]});
    let iam_all = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "NotAction": ["s3:*", "ec2:*"], "Resource": "*"}]});
    iam_agree("kms:* and NotAction on *", kms_all, iam_all, Fail, Fail);
}

#[test]
fn scoped_writes_and_reads_on_every_resource_pass_in_every_format() {
    let scoped = json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["s3:PutObject", "s3:DeleteObject"], "Resource": "arn:aws:s3:::uploads/*"},
        {"Effect": "Allow", "Action": ["s3:ListAllMyBuckets", "ec2:Describe*"], "Resource": "*"}]});
    let logs = json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"], "Resource": "*"},
        {"Effect": "Allow", "Action": "dynamodb:*", "Resource": "*"},
        {"Effect": "Deny", "Action": "dynamodb:*", "Resource": "*"}]});
    iam_agree("scoped writes, reads and a cancelling deny", scoped, logs, Pass, Pass);
}

// ---------------------------------------------------------------------------
// Azure: private endpoints, virtual network flow logs.

const SUB: &str = "0f0e0d0c-1111-2222-3333-444455556666";
const PRIVATE: &str = "azure_private_endpoint_only";
const FLOW: &str = "network_flow_logs_enabled";
const NOT_NSG: &str = "azure_flow_log_vnet_not_nsg";

fn rid(rg: &str, provider_type: &str, name: &str) -> String {
    format!("/subscriptions/{SUB}/resourceGroups/{rg}/providers/{provider_type}/{name}")
}

fn arm(resources: Value) -> Value {
    json!({"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "contentVersion": "1.0.0.0", "resources": resources})
}

fn reference(r: &str) -> Value {
    let base = r.rsplit_once('.').map(|(b, _)| b).unwrap_or(r);
    json!({"references": [r, base]})
}

/// Storage account `stdata` with its firewall denying by default, with or
/// without a private endpoint for blobs, in a plan, a template and a REST
/// export.
fn storage_with_endpoint(endpoint: bool) -> Vec<(&'static str, Value)> {
    let id = rid("rg-data", "Microsoft.Storage/storageAccounts", "stdata");
    let mut tf = vec![(
        "azurerm_storage_account.stdata",
        "azurerm_storage_account",
        json!({"name": "stdata", "resource_group_name": "rg-data", "location": "westeurope", "account_kind": "StorageV2", "account_tier": "Standard",
               "account_replication_type": "ZRS", "https_traffic_only_enabled": true, "min_tls_version": "TLS1_2", "allow_nested_items_to_be_public": false,
               "public_network_access_enabled": false, "shared_access_key_enabled": false, "customer_managed_key": [], "sas_policy": [], "tags": null,
               "network_rules": [{"default_action": "Deny", "bypass": ["AzureServices"], "ip_rules": [], "virtual_network_subnet_ids": [], "private_link_access": []}]}),
        json!({"id": true, "identity": [], "blob_properties": true, "primary_blob_endpoint": true, "network_rules": [{"bypass": [false], "ip_rules": [], "virtual_network_subnet_ids": [], "private_link_access": []}]}),
        json!({"name": {"constant_value": "stdata"}, "network_rules": [{"default_action": {"constant_value": "Deny"}}]}),
    )];
    let mut template = vec![json!({"type": "Microsoft.Storage/storageAccounts", "apiVersion": "2023-05-01", "name": "stdata", "location": "westeurope",
        "sku": {"name": "Standard_ZRS"}, "kind": "StorageV2",
        "properties": {"minimumTlsVersion": "TLS1_2", "allowBlobPublicAccess": false, "publicNetworkAccess": "Disabled", "networkAcls": {"defaultAction": "Deny", "bypass": "AzureServices"}}})];
    let mut connections = json!([]);
    if endpoint {
        tf.push((
            "azurerm_private_endpoint.stdata_blob",
            "azurerm_private_endpoint",
            json!({"name": "pe-stdata-blob", "resource_group_name": "rg-data", "location": "westeurope", "custom_network_interface_name": null, "tags": null,
                   "ip_configuration": [], "private_dns_zone_group": [],
                   "private_service_connection": [{"name": "stdata-blob", "is_manual_connection": false, "private_connection_resource_alias": null, "request_message": null, "subresource_names": ["blob"]}]}),
            json!({"id": true, "network_interface": true, "subnet_id": true, "custom_dns_configs": true, "private_dns_zone_configs": true,
                   "private_service_connection": [{"private_connection_resource_id": true, "private_ip_address": true, "subresource_names": [false]}]}),
            json!({"name": {"constant_value": "pe-stdata-blob"}, "subnet_id": reference("azurerm_subnet.endpoints.id"),
                   "private_service_connection": [{"name": {"constant_value": "stdata-blob"}, "is_manual_connection": {"constant_value": false},
                       "private_connection_resource_id": reference("azurerm_storage_account.stdata.id"), "subresource_names": {"constant_value": ["blob"]}}]}),
        ));
        template.push(json!({"type": "Microsoft.Network/privateEndpoints", "apiVersion": "2023-11-01", "name": "pe-stdata-blob", "location": "westeurope",
            "dependsOn": ["[resourceId('Microsoft.Storage/storageAccounts', 'stdata')]"],
            "properties": {"subnet": {"id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet-main', 'endpoints')]"},
                "privateLinkServiceConnections": [{"name": "stdata-blob", "properties": {"privateLinkServiceId": "[resourceId('Microsoft.Storage/storageAccounts', 'stdata')]", "groupIds": ["blob"]}}]}}));
        connections = json!([{"id": format!("{id}/privateEndpointConnections/stdata.0a1b2c"), "name": "stdata.0a1b2c", "type": "Microsoft.Storage/storageAccounts/privateEndpointConnections",
            "properties": {"provisioningState": "Succeeded", "privateEndpoint": {"id": rid("rg-data", "Microsoft.Network/privateEndpoints", "pe-stdata-blob")},
                "privateLinkServiceConnectionState": {"status": "Approved", "description": "Auto-Approved", "actionRequired": "None"}}}]);
    }
    let rest = json!({"value": [{"id": id, "name": "stdata", "type": "Microsoft.Storage/storageAccounts", "location": "westeurope", "kind": "StorageV2",
        "sku": {"name": "Standard_ZRS", "tier": "Standard"},
        "properties": {"minimumTlsVersion": "TLS1_2", "allowBlobPublicAccess": false, "supportsHttpsTrafficOnly": true, "publicNetworkAccess": "Disabled",
            "networkAcls": {"bypass": "AzureServices", "virtualNetworkRules": [], "ipRules": [], "defaultAction": "Deny"},
            "privateEndpointConnections": connections, "provisioningState": "Succeeded"}}]});
    vec![("st.tfplan.json", plan_of("azurerm", tf)), ("st.arm.json", arm(json!(template))), ("st.rest.json", rest)]
}

#[test]
fn a_storage_account_behind_a_private_endpoint_passes_in_every_format() {
    agree(&Scenario { name: "private endpoint", kind: "storage_account", resource: "stdata", docs: storage_with_endpoint(true), checks: &[(PRIVATE, Pass, false)], except: &[] });
    agree(&Scenario { name: "no private endpoint", kind: "storage_account", resource: "stdata", docs: storage_with_endpoint(false), checks: &[(PRIVATE, Fail, false)], except: &[] });
}

#[test]
fn a_private_endpoint_awaiting_approval_is_not_counted() {
    let id = rid("rg-data", "Microsoft.Storage/storageAccounts", "stdata");
    let mut rest = storage_with_endpoint(true).remove(2).1;
    rest["value"][0]["properties"]["privateEndpointConnections"] = json!([{"id": format!("{id}/privateEndpointConnections/x"), "name": "x",
        "properties": {"privateEndpoint": {"id": "/subscriptions/other/resourceGroups/rg/providers/Microsoft.Network/privateEndpoints/pe"},
            "privateLinkServiceConnectionState": {"status": "Pending", "description": "please approve", "actionRequired": "None"}}}]);
    assert_eq!(check_status("st.rest.json", &rest, PRIVATE), Fail);
    // A plan's manual connection: whether the owner approves is not known.
    let mut plan = storage_with_endpoint(true).remove(0).1;
    plan["resource_changes"][1]["change"]["after"]["private_service_connection"][0]["is_manual_connection"] = json!(true);
    plan["configuration"]["root_module"]["resources"][1]["expressions"]["private_service_connection"][0]["is_manual_connection"] = json!({"constant_value": true});
    assert_eq!(check_status("st.tfplan.json", &plan, PRIVATE), Unknown);
}

/// Virtual network `vnet-main` with a flow log on it (`Vnet`), on its NSG
/// only (`Nsg`), or none, in a plan, a template and a REST export.
#[derive(Clone, Copy, PartialEq)]
enum FlowLog {
    Vnet,
    Nsg,
    None,
}

fn vnet_with(flow: FlowLog, enabled: bool) -> Vec<(&'static str, Value)> {
    let vnet_id = rid("rg-net", "Microsoft.Network/virtualNetworks", "vnet-main");
    let nsg_id = rid("rg-net", "Microsoft.Network/networkSecurityGroups", "nsg-app");
    let st_id = rid("rg-logs", "Microsoft.Storage/storageAccounts", "stflowlogs");
    let mut tf = vec![
        (
            "azurerm_virtual_network.main",
            "azurerm_virtual_network",
            json!({"name": "vnet-main", "resource_group_name": "rg-net", "location": "westeurope", "address_space": ["10.10.0.0/16"], "bgp_community": null,
                   "ddos_protection_plan": [], "encryption": [], "edge_zone": null, "flow_timeout_in_minutes": null, "tags": null}),
            json!({"id": true, "dns_servers": true, "guid": true, "subnet": true, "address_space": [false]}),
            json!({"name": {"constant_value": "vnet-main"}, "address_space": {"constant_value": ["10.10.0.0/16"]}}),
        ),
        (
            "azurerm_network_security_group.app",
            "azurerm_network_security_group",
            json!({"name": "nsg-app", "resource_group_name": "rg-net", "location": "westeurope", "tags": null}),
            json!({"id": true, "security_rule": true}),
            json!({"name": {"constant_value": "nsg-app"}}),
        ),
    ];
    let mut template = vec![
        json!({"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-11-01", "name": "vnet-main", "location": "westeurope",
               "properties": {"addressSpace": {"addressPrefixes": ["10.10.0.0/16"]}}}),
        json!({"type": "Microsoft.Network/networkSecurityGroups", "apiVersion": "2023-11-01", "name": "nsg-app", "location": "westeurope", "properties": {"securityRules": []}}),
    ];
    let mut rest = vec![
        json!({"id": vnet_id, "name": "vnet-main", "type": "Microsoft.Network/virtualNetworks", "location": "westeurope",
               "properties": {"provisioningState": "Succeeded", "addressSpace": {"addressPrefixes": ["10.10.0.0/16"]}, "subnets": [], "enableDdosProtection": false}}),
        json!({"id": nsg_id, "name": "nsg-app", "type": "Microsoft.Network/networkSecurityGroups", "location": "westeurope",
               "properties": {"provisioningState": "Succeeded", "securityRules": [], "defaultSecurityRules": []}}),
    ];
    if flow != FlowLog::None {
        let (tf_attr, tf_ref, arm_target, rest_target, name) = match flow {
            FlowLog::Vnet => ("target_resource_id", "azurerm_virtual_network.main.id", "[resourceId('Microsoft.Network/virtualNetworks', 'vnet-main')]", vnet_id.to_ascii_lowercase(), "vnet-main"),
            _ => ("network_security_group_id", "azurerm_network_security_group.app.id", "[resourceId('Microsoft.Network/networkSecurityGroups', 'nsg-app')]", nsg_id.clone(), "nsg-app"),
        };
        let mut after = json!({"name": name, "network_watcher_name": "NetworkWatcher_westeurope", "resource_group_name": "NetworkWatcherRG", "location": "westeurope",
            "enabled": enabled, "version": 2, "retention_policy": [{"enabled": true, "days": 90}], "traffic_analytics": [], "tags": null});
        let mut unknown = json!({"id": true, "storage_account_id": true, "retention_policy": [{}]});
        unknown[tf_attr] = json!(true);
        after[if tf_attr == "target_resource_id" { "network_security_group_id" } else { "target_resource_id" }] = Value::Null;
        let mut expr = json!({"name": {"constant_value": name}, "enabled": {"constant_value": enabled}, "storage_account_id": reference("azurerm_storage_account.flowlogs.id")});
        expr[tf_attr] = reference(tf_ref);
        tf.push(("azurerm_network_watcher_flow_log.main", "azurerm_network_watcher_flow_log", after, unknown, expr));
        template.push(json!({"type": "Microsoft.Network/networkWatchers/flowLogs", "apiVersion": "2023-11-01", "name": format!("NetworkWatcher_westeurope/{name}"), "location": "westeurope",
            "properties": {"targetResourceId": arm_target, "storageId": st_id, "enabled": enabled, "format": {"type": "JSON", "version": 2}, "retentionPolicy": {"days": 90, "enabled": true}}}));
        rest.push(json!({"id": rid("NetworkWatcherRG", "Microsoft.Network/networkWatchers", &format!("NetworkWatcher_westeurope/flowLogs/{name}")), "name": name,
            "type": "Microsoft.Network/networkWatchers/flowLogs", "location": "westeurope",
            "properties": {"targetResourceId": rest_target, "targetResourceGuid": "5d1f0c8e-0000-4000-8000-000000000001", "storageId": st_id, "enabled": enabled,
                "flowAnalyticsConfiguration": {}, "retentionPolicy": {"days": 90, "enabled": true}, "format": {"type": "JSON", "version": 2}, "provisioningState": "Succeeded"}}));
    }
    vec![("net.tfplan.json", plan_of("azurerm", tf)), ("net.arm.json", arm(json!(template))), ("net.rest.json", json!({"value": rest}))]
}

#[test]
fn a_virtual_network_flow_log_counts_in_every_format() {
    let docs = vnet_with(FlowLog::Vnet, true);
    agree(&Scenario { name: "VNet flow log", kind: "network", resource: "vnet-main", docs: docs.clone(), checks: &[(FLOW, Pass, false)], except: &[] });
    agree(&Scenario { name: "VNet flow log", kind: "flow_log", resource: "", docs, checks: &[(NOT_NSG, Pass, false)], except: &[] });
}

#[test]
fn a_disabled_flow_log_does_not_count() {
    agree(&Scenario { name: "disabled VNet flow log", kind: "network", resource: "vnet-main", docs: vnet_with(FlowLog::Vnet, false), checks: &[(FLOW, Fail, false)], except: &[] });
}

#[test]
fn an_nsg_flow_log_is_retiring_and_does_not_record_the_network() {
    let docs = vnet_with(FlowLog::Nsg, true);
    agree(&Scenario { name: "NSG flow log", kind: "network", resource: "vnet-main", docs: docs.clone(), checks: &[(FLOW, Fail, false)], except: &[] });
    agree(&Scenario { name: "NSG flow log", kind: "flow_log", resource: "", docs, checks: &[(NOT_NSG, Fail, false)], except: &[] });
}

#[test]
fn a_network_without_any_flow_log_in_the_input_cannot_be_judged() {
    // Network Watcher keeps flow logs in its own resource group: an input
    // without any flow log does not show whether the network has one.
    agree(&Scenario { name: "no flow logs", kind: "network", resource: "vnet-main", docs: vnet_with(FlowLog::None, true), checks: &[(FLOW, Unknown, false)], except: &[] });
}

// ---------------------------------------------------------------------------
// The benchmark's inputs of every provider are read and judged in full.

#[path = "bench/synth.rs"]
mod synth;

#[test]
fn the_benchmark_inputs_of_every_provider_are_read_and_judged() {
    let inputs: [(&str, fn(usize) -> String, &str); 6] = [
        ("terraform_plan", synth::terraform_plan, "aws"),
        ("aws_config_snapshot", synth::aws_config_snapshot, "aws"),
        ("terraform_plan_azure", synth::terraform_plan_azure, "azure"),
        ("azure_rest", synth::azure_rest, "azure"),
        ("terraform_plan_gcp", synth::terraform_plan_gcp, "gcp"),
        ("gcp_cai", synth::gcp_cai, "gcp"),
    ];
    for (name, make, provider) in inputs {
        let text = make(50);
        let a = engine::assess_files([(name, text.as_bytes())], &Limits::default(), RuleSet::bundled(), &Context::on(2026, 12, 7));
        assert!(a.inputs[0].error.is_none(), "{name}: {:?}", a.inputs[0].error);
        assert_eq!(a.inputs[0].resources, 50, "{name}");
        // Every resource is of a canonical kind that checks read, and is judged.
        let judged: std::collections::BTreeSet<&str> = a.findings.iter().map(|f| f.resource.id.as_str()).collect();
        assert_eq!(judged.len(), 50, "{name}: every resource gets findings");
        assert!(a.findings.iter().all(|f| f.resource.provider.as_str() == provider), "{name}");
        assert!(a.findings.iter().any(|f| f.status == Fail) && a.findings.iter().any(|f| f.status == Pass), "{name}: a mix of verdicts");
    }
}

// ---------------------------------------------------------------------------
// GCP: OS Login from project metadata; a cluster's own node pools.

const OS_LOGIN: &str = "gcp_instance_os_login_enabled";

/// Instance `vm-a` of project `proj-a` (its own `enable-oslogin`, if any) and
/// the project's metadata turning OS Login on, in a plan and a CAI export.
fn oslogin_docs(instance_value: Option<&str>) -> Vec<(&'static str, Value)> {
    let mut md = json!({"block-project-ssh-keys": "true"});
    let mut items = vec![json!({"key": "block-project-ssh-keys", "value": "true"})];
    if let Some(v) = instance_value {
        md["enable-oslogin"] = json!(v);
        items.push(json!({"key": "enable-oslogin", "value": v}));
    }
    let p = plan_of(
        "google",
        vec![
            (
                "google_compute_instance.vm",
                "google_compute_instance",
                json!({"name": "vm-a", "project": "proj-a", "zone": "europe-west1-b", "machine_type": "e2-medium", "can_ip_forward": false, "metadata": md,
                       "shielded_instance_config": [{"enable_secure_boot": true, "enable_vtpm": true, "enable_integrity_monitoring": true}],
                       "boot_disk": [{"auto_delete": true, "initialize_params": [{"image": "debian-cloud/debian-12"}]}],
                       "network_interface": [{"network": "default", "access_config": []}], "service_account": [], "labels": null}),
                json!({"id": true, "instance_id": true, "self_link": true, "metadata_fingerprint": true, "network_interface": [{"network_ip": true}]}),
                json!({"name": {"constant_value": "vm-a"}}),
            ),
            (
                "google_compute_project_metadata_item.oslogin",
                "google_compute_project_metadata_item",
                json!({"key": "enable-oslogin", "value": "TRUE", "project": "proj-a", "timeouts": null}),
                json!({"id": true}),
                json!({"key": {"constant_value": "enable-oslogin"}, "value": {"constant_value": "TRUE"}, "project": {"constant_value": "proj-a"}}),
            ),
        ],
    );
    let cai = json!([
        {"name": "//compute.googleapis.com/projects/proj-a/zones/europe-west1-b/instances/vm-a", "asset_type": "compute.googleapis.com/Instance",
         "ancestors": ["projects/1001", "organizations/1"],
         "resource": {"version": "v1", "discovery_document_uri": "https://www.googleapis.com/discovery/v1/apis/compute/v1/rest", "discovery_name": "Instance",
            "parent": "//cloudresourcemanager.googleapis.com/projects/1001",
            "data": {"name": "vm-a", "status": "RUNNING", "canIpForward": false, "machineType": "zones/europe-west1-b/machineTypes/e2-medium",
                "metadata": {"items": items}, "shieldedInstanceConfig": {"enableSecureBoot": true, "enableVtpm": true, "enableIntegrityMonitoring": true},
                "networkInterfaces": [{"network": "default"}], "serviceAccounts": [], "disks": [{"boot": true}]}}},
        {"name": "//compute.googleapis.com/projects/proj-a", "asset_type": "compute.googleapis.com/Project", "ancestors": ["projects/1001", "organizations/1"],
         "resource": {"version": "v1", "discovery_document_uri": "https://www.googleapis.com/discovery/v1/apis/compute/v1/rest", "discovery_name": "Project",
            "parent": "//cloudresourcemanager.googleapis.com/projects/1001",
            "data": {"name": "proj-a", "commonInstanceMetadata": {"items": [{"key": "enable-oslogin", "value": "TRUE"}], "kind": "compute#metadata"},
                "defaultServiceAccount": "1001-compute@developer.gserviceaccount.com", "xpnProjectStatus": "UNSPECIFIED_XPN_PROJECT_STATUS"}}}
    ]);
    vec![("vm.tfplan.json", p), ("vm.cai.json", cai)]
}

#[test]
fn os_login_from_project_metadata_applies_to_instances_that_do_not_set_it() {
    agree(&Scenario { name: "project OS Login", kind: "virtual_machine", resource: "vm-a", docs: oslogin_docs(None), checks: &[(OS_LOGIN, Pass, false)], except: &[] });
    // The instance's own value wins over the project's.
    agree(&Scenario { name: "instance turns it off", kind: "virtual_machine", resource: "vm-a", docs: oslogin_docs(Some("FALSE")), checks: &[(OS_LOGIN, Fail, false)], except: &[] });
}

#[test]
fn without_project_metadata_in_the_input_os_login_cannot_be_told() {
    for (name, mut doc) in oslogin_docs(None) {
        if name.ends_with("cai.json") {
            doc.as_array_mut().unwrap().truncate(1);
        } else {
            doc["resource_changes"].as_array_mut().unwrap().truncate(1);
        }
        assert_eq!(check_status(name, &doc, OS_LOGIN), Unknown, "{name}");
    }
}

const POOL_CHECKS: &[&str] = &[
    "gke_node_pool_secure_boot",
    "gke_node_pool_integrity_monitoring",
    "gke_node_pool_auto_upgrade",
    "gke_node_pool_auto_repair",
    "gke_node_pool_legacy_metadata_disabled",
    "gke_node_pool_no_default_service_account",
];

/// Cluster `gke-a` with one node pool `apps` declared inside it (hardened or
/// not), in a plan and in the cluster's CAI record.
fn inline_pool_docs(hardened: bool) -> Vec<(&'static str, Value)> {
    let sa = if hardened { json!("gke-nodes@proj-a.iam.gserviceaccount.com") } else { Value::Null };
    let p = plan_of(
        "google",
        vec![(
            "google_container_cluster.gke",
            "google_container_cluster",
            json!({"name": "gke-a", "project": "proj-a", "location": "europe-west1", "enable_autopilot": null, "remove_default_node_pool": null, "initial_node_count": null,
                   "node_pool": [{"name": "apps", "initial_node_count": 1,
                       "management": [{"auto_repair": hardened, "auto_upgrade": hardened}],
                       "node_config": [{"image_type": "COS_CONTAINERD", "machine_type": "e2-standard-4", "service_account": sa,
                           "metadata": {"disable-legacy-endpoints": if hardened { "true" } else { "false" }},
                           "shielded_instance_config": [{"enable_secure_boot": hardened, "enable_integrity_monitoring": hardened}],
                           "workload_metadata_config": [{"mode": "GKE_METADATA"}]}]}]}),
            json!({"id": true, "endpoint": true, "master_version": true, "self_link": true, "node_config": true,
                   "node_pool": [{"instance_group_urls": true, "managed_instance_group_urls": true, "node_count": true, "version": true, "node_config": [{"oauth_scopes": true, "labels": true}], "management": [{}]}]}),
            json!({"name": {"constant_value": "gke-a"},
                   "node_pool": [{"name": {"constant_value": "apps"}, "management": [{"auto_repair": {"constant_value": hardened}, "auto_upgrade": {"constant_value": hardened}}],
                       "node_config": [{"image_type": {"constant_value": "COS_CONTAINERD"}, "service_account": if hardened { json!({"constant_value": sa}) } else { json!(null) },
                           "metadata": {"constant_value": {"disable-legacy-endpoints": if hardened { "true" } else { "false" }}},
                           "shielded_instance_config": [{"enable_secure_boot": {"constant_value": hardened}, "enable_integrity_monitoring": {"constant_value": hardened}}]}]}]}),
        )],
    );
    let mut config = json!({"machineType": "e2-standard-4", "imageType": "COS_CONTAINERD", "metadata": {"disable-legacy-endpoints": if hardened { "true" } else { "false" }},
        "shieldedInstanceConfig": {"enableSecureBoot": hardened, "enableIntegrityMonitoring": hardened}, "workloadMetadataConfig": {"mode": "GKE_METADATA"},
        "oauthScopes": ["https://www.googleapis.com/auth/cloud-platform"]});
    config["serviceAccount"] = if hardened { sa.clone() } else { json!("default") };
    let cai = json!([{"name": "//container.googleapis.com/projects/proj-a/locations/europe-west1/clusters/gke-a", "asset_type": "container.googleapis.com/Cluster",
        "ancestors": ["projects/1001", "organizations/1"],
        "resource": {"version": "v1", "discovery_document_uri": "https://container.googleapis.com/$discovery/rest", "discovery_name": "Cluster",
            "parent": "//cloudresourcemanager.googleapis.com/projects/1001", "location": "europe-west1",
            "data": {"name": "gke-a", "location": "europe-west1", "status": "RUNNING", "currentMasterVersion": "1.30.5-gke.1014001",
                "nodePools": [{"name": "apps", "config": config, "initialNodeCount": 1, "status": "RUNNING", "version": "1.30.5-gke.1014001",
                    "management": {"autoUpgrade": hardened, "autoRepair": hardened}}]}}}]);
    vec![("gke.tfplan.json", p), ("gke.cai.json", cai)]
}

#[test]
fn node_pools_declared_inside_a_cluster_are_judged_like_separate_pools() {
    for (hardened, want) in [(true, Pass), (false, Fail)] {
        let checks: Vec<(&str, Status, bool)> = POOL_CHECKS.iter().map(|c| (*c, want, false)).collect();
        agree(&Scenario { name: "inline pool", kind: "k8s_node_pool", resource: "apps", docs: inline_pool_docs(hardened), checks: &checks, except: &[] });
    }
}

#[test]
fn a_clusters_default_pool_is_judged_from_its_node_config() {
    // No node_pool blocks, default pool kept: the cluster's node_config is the pool's.
    let p = plan_of(
        "google",
        vec![(
            "google_container_cluster.gke",
            "google_container_cluster",
            json!({"name": "gke-a", "project": "proj-a", "location": "europe-west1", "initial_node_count": 1, "remove_default_node_pool": null, "enable_autopilot": null,
                   "node_config": [{"machine_type": "e2-standard-4", "image_type": "COS_CONTAINERD", "service_account": null, "metadata": {"disable-legacy-endpoints": "true"},
                       "shielded_instance_config": [{"enable_secure_boot": true, "enable_integrity_monitoring": true}]}]}),
            json!({"id": true, "endpoint": true, "node_pool": true, "node_config": [{"oauth_scopes": true, "service_account": true, "labels": true}]}),
            json!({"name": {"constant_value": "gke-a"}, "initial_node_count": {"constant_value": 1},
                   "node_config": [{"machine_type": {"constant_value": "e2-standard-4"}, "shielded_instance_config": [{"enable_secure_boot": {"constant_value": true}}]}]}),
        )],
    );
    let v = check_status("gke.tfplan.json", &p, "gke_node_pool_no_default_service_account");
    assert_eq!(v, Fail, "the default pool runs as the Compute Engine default service account");
    assert_eq!(check_status("gke.tfplan.json", &p, "gke_node_pool_secure_boot"), Pass);
    // Removed default pool, no inline pool: nothing to judge here.
    let mut removed = p.clone();
    removed["resource_changes"][0]["change"]["after"]["remove_default_node_pool"] = json!(true);
    assert_eq!(check_status("gke.tfplan.json", &removed, "gke_node_pool_secure_boot"), NotApplicable);
}
