//! The kinds each format declares (`Format::kinds`, a table beside each parser) are the kinds its
//! parser emits: every fixture in `tests/fixtures/ingest` is parsed, and
//! - a kind emitted but not declared fails (the check listing would not name that format), and
//! - a kind declared but emitted by no input fails (the listing would promise what the parser
//!   never gives). Where the fixtures hold no resource of a declared kind, a small document below
//!   supplies one.

use iso27017::ingest::{parse, Format, Limits};
use iso27017::inventory::Provider;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).expect("fixture dir").flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            files(&p, out);
        } else if p.extension().is_some_and(|e| e != "md") {
            out.push(p);
        }
    }
}

/// Documents giving kinds no fixture has (name, text): one resource of each such type, nothing else.
const EXTRA: &[(&str, &str)] = &[
    // terraform plan
    ("plan.json", r#"{"format_version": "1.2", "terraform_version": "1.9.0", "resource_changes": [
        {"address": "aws_ebs_volume.k", "mode": "managed", "type": "aws_ebs_volume", "name": "k", "provider_name": "registry.terraform.io/hashicorp/aws", "change": {"actions": ["create"], "before": null, "after": {}, "after_unknown": {}}},
        {"address": "aws_db_instance.k", "mode": "managed", "type": "aws_db_instance", "name": "k", "provider_name": "registry.terraform.io/hashicorp/aws", "change": {"actions": ["create"], "before": null, "after": {}, "after_unknown": {}}},
        {"address": "aws_flow_log.k", "mode": "managed", "type": "aws_flow_log", "name": "k", "provider_name": "registry.terraform.io/hashicorp/aws", "change": {"actions": ["create"], "before": null, "after": {}, "after_unknown": {}}},
        {"address": "aws_iam_group.k", "mode": "managed", "type": "aws_iam_group", "name": "k", "provider_name": "registry.terraform.io/hashicorp/aws", "change": {"actions": ["create"], "before": null, "after": {}, "after_unknown": {}}},
        {"address": "aws_iam_policy.k", "mode": "managed", "type": "aws_iam_policy", "name": "k", "provider_name": "registry.terraform.io/hashicorp/aws", "change": {"actions": ["create"], "before": null, "after": {}, "after_unknown": {}}},
        {"address": "aws_iam_role.k", "mode": "managed", "type": "aws_iam_role", "name": "k", "provider_name": "registry.terraform.io/hashicorp/aws", "change": {"actions": ["create"], "before": null, "after": {}, "after_unknown": {}}},
        {"address": "aws_iam_user.k", "mode": "managed", "type": "aws_iam_user", "name": "k", "provider_name": "registry.terraform.io/hashicorp/aws", "change": {"actions": ["create"], "before": null, "after": {}, "after_unknown": {}}},
        {"address": "aws_eks_cluster.k", "mode": "managed", "type": "aws_eks_cluster", "name": "k", "provider_name": "registry.terraform.io/hashicorp/aws", "change": {"actions": ["create"], "before": null, "after": {}, "after_unknown": {}}},
        {"address": "aws_vpc.k", "mode": "managed", "type": "aws_vpc", "name": "k", "provider_name": "registry.terraform.io/hashicorp/aws", "change": {"actions": ["create"], "before": null, "after": {}, "after_unknown": {}}},
        {"address": "aws_instance.k", "mode": "managed", "type": "aws_instance", "name": "k", "provider_name": "registry.terraform.io/hashicorp/aws", "change": {"actions": ["create"], "before": null, "after": {}, "after_unknown": {}}},
        {"address": "azurerm_managed_disk.k", "mode": "managed", "type": "azurerm_managed_disk", "name": "k", "provider_name": "registry.terraform.io/hashicorp/azurerm", "change": {"actions": ["create"], "before": null, "after": {}, "after_unknown": {}}},
        {"address": "azurerm_kubernetes_cluster.k", "mode": "managed", "type": "azurerm_kubernetes_cluster", "name": "k", "provider_name": "registry.terraform.io/hashicorp/azurerm", "change": {"actions": ["create"], "before": null, "after": {}, "after_unknown": {}}},
        {"address": "azurerm_key_vault.k", "mode": "managed", "type": "azurerm_key_vault", "name": "k", "provider_name": "registry.terraform.io/hashicorp/azurerm", "change": {"actions": ["create"], "before": null, "after": {}, "after_unknown": {}}},
        {"address": "azurerm_key_vault_key.k", "mode": "managed", "type": "azurerm_key_vault_key", "name": "k", "provider_name": "registry.terraform.io/hashicorp/azurerm", "change": {"actions": ["create"], "before": null, "after": {}, "after_unknown": {}}},
        {"address": "azurerm_linux_virtual_machine.k", "mode": "managed", "type": "azurerm_linux_virtual_machine", "name": "k", "provider_name": "registry.terraform.io/hashicorp/azurerm", "change": {"actions": ["create"], "before": null, "after": {}, "after_unknown": {}}},
        {"address": "google_compute_disk.k", "mode": "managed", "type": "google_compute_disk", "name": "k", "provider_name": "registry.terraform.io/hashicorp/google", "change": {"actions": ["create"], "before": null, "after": {}, "after_unknown": {}}},
        {"address": "google_sql_database_instance.k", "mode": "managed", "type": "google_sql_database_instance", "name": "k", "provider_name": "registry.terraform.io/hashicorp/google", "change": {"actions": ["create"], "before": null, "after": {}, "after_unknown": {}}},
        {"address": "google_container_cluster.k", "mode": "managed", "type": "google_container_cluster", "name": "k", "provider_name": "registry.terraform.io/hashicorp/google", "change": {"actions": ["create"], "before": null, "after": {}, "after_unknown": {}}},
        {"address": "google_storage_bucket.k", "mode": "managed", "type": "google_storage_bucket", "name": "k", "provider_name": "registry.terraform.io/hashicorp/google", "change": {"actions": ["create"], "before": null, "after": {}, "after_unknown": {}}},
        {"address": "google_project.k", "mode": "managed", "type": "google_project", "name": "k", "provider_name": "registry.terraform.io/hashicorp/google", "change": {"actions": ["create"], "before": null, "after": {}, "after_unknown": {}}}
    ]}"#),
    // AWS Config snapshot
    ("config.json", r#"{"fileVersion": "1.0", "configSnapshotId": "kinds", "configurationItems": [
        {"resourceType": "AWS::EC2::Volume", "resourceId": "vol-1", "resourceName": "vol-1", "awsRegion": "eu-west-1", "awsAccountId": "111111111111", "configurationItemStatus": "OK", "configuration": {}},
        {"resourceType": "AWS::EC2::FlowLog", "resourceId": "fl-1", "resourceName": "fl-1", "awsRegion": "eu-west-1", "awsAccountId": "111111111111", "configurationItemStatus": "OK", "configuration": {}},
        {"resourceType": "AWS::IAM::Group", "resourceId": "G", "resourceName": "G", "awsRegion": "eu-west-1", "awsAccountId": "111111111111", "configurationItemStatus": "OK", "configuration": {}},
        {"resourceType": "AWS::IAM::Policy", "resourceId": "P", "resourceName": "P", "awsRegion": "eu-west-1", "awsAccountId": "111111111111", "configurationItemStatus": "OK", "configuration": {}},
        {"resourceType": "AWS::IAM::Role", "resourceId": "R", "resourceName": "R", "awsRegion": "eu-west-1", "awsAccountId": "111111111111", "configurationItemStatus": "OK", "configuration": {}},
        {"resourceType": "AWS::EC2::VPC", "resourceId": "vpc-1", "resourceName": "vpc-1", "awsRegion": "eu-west-1", "awsAccountId": "111111111111", "configurationItemStatus": "OK", "configuration": {}},
        {"resourceType": "AWS::EKS::Cluster", "resourceId": "eks-1", "resourceName": "eks-1", "awsRegion": "eu-west-1", "awsAccountId": "111111111111", "configurationItemStatus": "OK", "configuration": {}}
    ]}"#),
    // CloudFormation template
    ("template.json", r#"{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {
        "Vol": {"Type": "AWS::EC2::Volume", "Properties": {}},
        "Db": {"Type": "AWS::RDS::DBInstance", "Properties": {}},
        "Fl": {"Type": "AWS::EC2::FlowLog", "Properties": {}},
        "Grp": {"Type": "AWS::IAM::Group", "Properties": {}},
        "Pol": {"Type": "AWS::IAM::ManagedPolicy", "Properties": {}},
        "Usr": {"Type": "AWS::IAM::User", "Properties": {}},
        "Key": {"Type": "AWS::KMS::Key", "Properties": {}},
        "Eks": {"Type": "AWS::EKS::Cluster", "Properties": {}}
    }}"#),
    // ARM template
    ("arm.json", r#"{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "contentVersion": "1.0.0.0", "resources": [
        {"type": "Microsoft.Sql/servers/firewallRules", "apiVersion": "2021-11-01", "name": "srv/all", "properties": {"startIpAddress": "0.0.0.0", "endIpAddress": "255.255.255.255"}},
        {"type": "Microsoft.ContainerService/managedClusters", "apiVersion": "2024-01-01", "name": "aks", "properties": {}}
    ]}"#),
    // Cloud Asset Inventory
    ("assets.ndjson", r#"{"name": "//compute.googleapis.com/projects/p/regions/r/subnetworks/s", "asset_type": "compute.googleapis.com/Subnetwork", "resource": {"data": {"name": "s"}}}
{"name": "//compute.googleapis.com/projects/p/zones/z/instances/i", "asset_type": "compute.googleapis.com/Instance", "resource": {"data": {"name": "i"}}}"#),
];

/// (format, provider, kind) → the first input that gave it.
fn emitted() -> BTreeMap<(&'static str, &'static str, String), String> {
    let mut inputs: Vec<(String, Vec<u8>)> = Vec::new();
    let mut paths = Vec::new();
    files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ingest"), &mut paths);
    for p in paths {
        let name = p.strip_prefix(env!("CARGO_MANIFEST_DIR")).unwrap_or(&p).display().to_string();
        inputs.push((name, std::fs::read(&p).expect("read fixture")));
    }
    inputs.extend(EXTRA.iter().map(|(n, t)| (format!("tests/ingest_kinds.rs: {n}"), t.as_bytes().to_vec())));
    let mut out = BTreeMap::new();
    for (name, bytes) in inputs {
        let Ok(parsed) = parse(&name, &bytes, &Limits::default()) else { continue };
        for r in &parsed.inventory.resources {
            if r.kind != "other" {
                out.entry((parsed.format.as_str(), r.provider.as_str(), r.kind.as_str().to_string())).or_insert_with(|| name.clone());
            }
        }
    }
    out
}

/// Formats read by one parser share its table: they are judged together.
fn family(f: Format) -> Vec<Format> {
    const SHARED: &[&[Format]] = &[
        &[Format::TerraformPlan, Format::TerraformState, Format::TerraformRawState],
        &[Format::AzureArmTemplate, Format::AzureResources],
    ];
    SHARED.iter().find(|fam| fam.contains(&f)).map_or_else(|| vec![f], |fam| fam.to_vec())
}

#[test]
fn every_kind_a_parser_emits_is_declared_for_its_format() {
    let mut wrong = Vec::new();
    for ((format, provider, kind), input) in emitted() {
        let f = Format::ALL.iter().copied().find(|f| f.as_str() == format).expect("known format");
        if !f.kinds().iter().any(|(p, k)| p.as_str() == provider && *k == kind) {
            wrong.push(format!("{input}: {format} gave ({provider}, {kind}), which its table in src/ingest (Format::kinds) does not list"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn every_declared_kind_is_emitted_by_some_input() {
    let emitted = emitted();
    let mut missing = BTreeSet::new();
    for f in Format::ALL {
        let fam = family(*f);
        for (p, k) in f.kinds() {
            let seen = fam.iter().any(|g| emitted.contains_key(&(g.as_str(), p.as_str(), k.to_string())));
            if !seen {
                missing.insert(format!(
                    "({}, {k}) is declared for {} but no fixture gives it: add a fixture or a document to EXTRA, or drop it from the table",
                    p.as_str(),
                    fam.iter().map(|g| g.as_str()).collect::<Vec<_>>().join("/")
                ));
            }
        }
    }
    assert!(missing.is_empty(), "{}", missing.into_iter().collect::<Vec<_>>().join("\n"));
}

#[test]
fn providers_are_the_formats_own() {
    // A cross-check of the tables against what each format is for.
    for f in Format::ALL {
        let allowed: &[Provider] = match f {
            Format::TerraformPlan | Format::TerraformState | Format::TerraformRawState => &[Provider::Aws, Provider::Azure, Provider::Gcp, Provider::Kubernetes],
            Format::AwsConfig | Format::AwsCredentialReport | Format::AwsAuthorizationDetails | Format::CloudFormation => &[Provider::Aws],
            Format::AzureArmTemplate | Format::AzureResources => &[Provider::Azure],
            Format::GcpAssetInventory => &[Provider::Gcp],
            Format::Kubernetes => &[Provider::Kubernetes],
            // Findings files declare no kinds (they give findings, not resources).
            Format::ProwlerOcsf | Format::ProwlerCsv | Format::SecurityHubAsff | Format::CheckovJson | Format::Sarif => &[],
        };
        for (p, k) in f.kinds() {
            assert!(allowed.contains(p), "{} declares {k} for {}", f.as_str(), p.as_str());
        }
    }
}
