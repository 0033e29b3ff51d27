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
        {"address": "azurerm_virtual_network.k", "mode": "managed", "type": "azurerm_virtual_network", "name": "k", "provider_name": "registry.terraform.io/hashicorp/azurerm", "change": {"actions": ["create"], "before": null, "after": {}, "after_unknown": {}}},
        {"address": "azurerm_network_watcher_flow_log.k", "mode": "managed", "type": "azurerm_network_watcher_flow_log", "name": "k", "provider_name": "registry.terraform.io/hashicorp/azurerm", "change": {"actions": ["create"], "before": null, "after": {"enabled": true}, "after_unknown": {}}},
        {"address": "azurerm_managed_disk.k", "mode": "managed", "type": "azurerm_managed_disk", "name": "k", "provider_name": "registry.terraform.io/hashicorp/azurerm", "change": {"actions": ["create"], "before": null, "after": {}, "after_unknown": {}}},
        {"address": "azurerm_kubernetes_cluster.k", "mode": "managed", "type": "azurerm_kubernetes_cluster", "name": "k", "provider_name": "registry.terraform.io/hashicorp/azurerm", "change": {"actions": ["create"], "before": null, "after": {}, "after_unknown": {}}},
        {"address": "azurerm_key_vault.k", "mode": "managed", "type": "azurerm_key_vault", "name": "k", "provider_name": "registry.terraform.io/hashicorp/azurerm", "change": {"actions": ["create"], "before": null, "after": {}, "after_unknown": {}}},
        {"address": "azurerm_key_vault_key.k", "mode": "managed", "type": "azurerm_key_vault_key", "name": "k", "provider_name": "registry.terraform.io/hashicorp/azurerm", "change": {"actions": ["create"], "before": null, "after": {}, "after_unknown": {}}},
        {"address": "azurerm_linux_virtual_machine.k", "mode": "managed", "type": "azurerm_linux_virtual_machine", "name": "k", "provider_name": "registry.terraform.io/hashicorp/azurerm", "change": {"actions": ["create"], "before": null, "after": {}, "after_unknown": {}}},
        {"address": "google_compute_disk.k", "mode": "managed", "type": "google_compute_disk", "name": "k", "provider_name": "registry.terraform.io/hashicorp/google", "change": {"actions": ["create"], "before": null, "after": {}, "after_unknown": {}}},
        {"address": "google_sql_database_instance.k", "mode": "managed", "type": "google_sql_database_instance", "name": "k", "provider_name": "registry.terraform.io/hashicorp/google", "change": {"actions": ["create"], "before": null, "after": {}, "after_unknown": {}}},
        {"address": "google_container_cluster.k", "mode": "managed", "type": "google_container_cluster", "name": "k", "provider_name": "registry.terraform.io/hashicorp/google", "change": {"actions": ["create"], "before": null, "after": {}, "after_unknown": {}}},
        {"address": "google_storage_bucket.k", "mode": "managed", "type": "google_storage_bucket", "name": "k", "provider_name": "registry.terraform.io/hashicorp/google", "change": {"actions": ["create"], "before": null, "after": {}, "after_unknown": {}}},
        {"address": "google_project.k", "mode": "managed", "type": "google_project", "name": "k", "provider_name": "registry.terraform.io/hashicorp/google", "change": {"actions": ["create"], "before": null, "after": {}, "after_unknown": {}}},
        {"address": "google_project_iam_member.k", "mode": "managed", "type": "google_project_iam_member", "name": "k", "provider_name": "registry.terraform.io/hashicorp/google", "change": {"actions": ["create"], "before": null, "after": {}, "after_unknown": {}}},
        {"address": "google_container_node_pool.k", "mode": "managed", "type": "google_container_node_pool", "name": "k", "provider_name": "registry.terraform.io/hashicorp/google", "change": {"actions": ["create"], "before": null, "after": {}, "after_unknown": {}}},
        {"address": "google_compute_network.k", "mode": "managed", "type": "google_compute_network", "name": "k", "provider_name": "registry.terraform.io/hashicorp/google", "change": {"actions": ["create"], "before": null, "after": {}, "after_unknown": {}}},
        {"address": "google_dns_managed_zone.k", "mode": "managed", "type": "google_dns_managed_zone", "name": "k", "provider_name": "registry.terraform.io/hashicorp/google", "change": {"actions": ["create"], "before": null, "after": {}, "after_unknown": {}}},
        {"address": "google_logging_project_bucket_config.k", "mode": "managed", "type": "google_logging_project_bucket_config", "name": "k", "provider_name": "registry.terraform.io/hashicorp/google", "change": {"actions": ["create"], "before": null, "after": {}, "after_unknown": {}}},
        {"address": "google_bigquery_dataset.k", "mode": "managed", "type": "google_bigquery_dataset", "name": "k", "provider_name": "registry.terraform.io/hashicorp/google", "change": {"actions": ["create"], "before": null, "after": {}, "after_unknown": {}}},
        {"address": "google_cloud_run_v2_service.k", "mode": "managed", "type": "google_cloud_run_v2_service", "name": "k", "provider_name": "registry.terraform.io/hashicorp/google", "change": {"actions": ["create"], "before": null, "after": {}, "after_unknown": {}}},
        {"address": "google_cloudfunctions2_function.k", "mode": "managed", "type": "google_cloudfunctions2_function", "name": "k", "provider_name": "registry.terraform.io/hashicorp/google", "change": {"actions": ["create"], "before": null, "after": {}, "after_unknown": {}}},
        {"address": "google_service_account_key.k", "mode": "managed", "type": "google_service_account_key", "name": "k", "provider_name": "registry.terraform.io/hashicorp/google", "change": {"actions": ["create"], "before": null, "after": {}, "after_unknown": {}}},
        {"address": "google_logging_project_sink.k", "mode": "managed", "type": "google_logging_project_sink", "name": "k", "provider_name": "registry.terraform.io/hashicorp/google", "change": {"actions": ["create"], "before": null, "after": {}, "after_unknown": {}}},
        {"address": "azurerm_linux_web_app.k", "mode": "managed", "type": "azurerm_linux_web_app", "name": "k", "provider_name": "registry.terraform.io/hashicorp/azurerm", "change": {"actions": ["create"], "before": null, "after": {}, "after_unknown": {}}},
        {"address": "azurerm_cosmosdb_account.k", "mode": "managed", "type": "azurerm_cosmosdb_account", "name": "k", "provider_name": "registry.terraform.io/hashicorp/azurerm", "change": {"actions": ["create"], "before": null, "after": {}, "after_unknown": {}}},
        {"address": "azurerm_role_definition.k", "mode": "managed", "type": "azurerm_role_definition", "name": "k", "provider_name": "registry.terraform.io/hashicorp/azurerm", "change": {"actions": ["create"], "before": null, "after": {}, "after_unknown": {}}},
        {"address": "azurerm_log_analytics_workspace.k", "mode": "managed", "type": "azurerm_log_analytics_workspace", "name": "k", "provider_name": "registry.terraform.io/hashicorp/azurerm", "change": {"actions": ["create"], "before": null, "after": {}, "after_unknown": {}}},
        {"address": "azurerm_security_center_subscription_pricing.k", "mode": "managed", "type": "azurerm_security_center_subscription_pricing", "name": "k", "provider_name": "registry.terraform.io/hashicorp/azurerm", "change": {"actions": ["create"], "before": null, "after": {}, "after_unknown": {}}},
        {"address": "azurerm_mssql_server.k", "mode": "managed", "type": "azurerm_mssql_server", "name": "k", "provider_name": "registry.terraform.io/hashicorp/azurerm", "change": {"actions": ["create"], "before": null, "after": {}, "after_unknown": {}}},
        {"address": "azurerm_postgresql_flexible_server.k", "mode": "managed", "type": "azurerm_postgresql_flexible_server", "name": "k", "provider_name": "registry.terraform.io/hashicorp/azurerm", "change": {"actions": ["create"], "before": null, "after": {}, "after_unknown": {}}},
        {"address": "azurerm_key_vault_secret.k", "mode": "managed", "type": "azurerm_key_vault_secret", "name": "k", "provider_name": "registry.terraform.io/hashicorp/azurerm", "change": {"actions": ["create"], "before": null, "after": {}, "after_unknown": {}}},
        {"address": "azurerm_container_registry.k", "mode": "managed", "type": "azurerm_container_registry", "name": "k", "provider_name": "registry.terraform.io/hashicorp/azurerm", "change": {"actions": ["create"], "before": null, "after": {}, "after_unknown": {}}}
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
    // AWS services: one resource of each type the AWS mappings read (plan, AWS Config, template).
    ("aws_services_plan.json", r#"{"format_version": "1.2", "terraform_version": "1.9.0", "resource_changes": [
        {"address": "aws_sqs_queue.k", "mode": "managed", "type": "aws_sqs_queue", "name": "k", "provider_name": "registry.terraform.io/hashicorp/aws", "change": {"actions": ["create"], "before": null, "after": {}, "after_unknown": {}}},
        {"address": "aws_sns_topic.k", "mode": "managed", "type": "aws_sns_topic", "name": "k", "provider_name": "registry.terraform.io/hashicorp/aws", "change": {"actions": ["create"], "before": null, "after": {}, "after_unknown": {}}},
        {"address": "aws_cloudwatch_log_group.k", "mode": "managed", "type": "aws_cloudwatch_log_group", "name": "k", "provider_name": "registry.terraform.io/hashicorp/aws", "change": {"actions": ["create"], "before": null, "after": {}, "after_unknown": {}}},
        {"address": "aws_secretsmanager_secret.k", "mode": "managed", "type": "aws_secretsmanager_secret", "name": "k", "provider_name": "registry.terraform.io/hashicorp/aws", "change": {"actions": ["create"], "before": null, "after": {}, "after_unknown": {}}},
        {"address": "aws_ecr_repository.k", "mode": "managed", "type": "aws_ecr_repository", "name": "k", "provider_name": "registry.terraform.io/hashicorp/aws", "change": {"actions": ["create"], "before": null, "after": {}, "after_unknown": {}}},
        {"address": "aws_dynamodb_table.k", "mode": "managed", "type": "aws_dynamodb_table", "name": "k", "provider_name": "registry.terraform.io/hashicorp/aws", "change": {"actions": ["create"], "before": null, "after": {}, "after_unknown": {}}},
        {"address": "aws_lambda_function.k", "mode": "managed", "type": "aws_lambda_function", "name": "k", "provider_name": "registry.terraform.io/hashicorp/aws", "change": {"actions": ["create"], "before": null, "after": {}, "after_unknown": {}}},
        {"address": "aws_opensearch_domain.k", "mode": "managed", "type": "aws_opensearch_domain", "name": "k", "provider_name": "registry.terraform.io/hashicorp/aws", "change": {"actions": ["create"], "before": null, "after": {}, "after_unknown": {}}},
        {"address": "aws_api_gateway_stage.k", "mode": "managed", "type": "aws_api_gateway_stage", "name": "k", "provider_name": "registry.terraform.io/hashicorp/aws", "change": {"actions": ["create"], "before": null, "after": {}, "after_unknown": {}}},
        {"address": "aws_api_gateway_method.k", "mode": "managed", "type": "aws_api_gateway_method", "name": "k", "provider_name": "registry.terraform.io/hashicorp/aws", "change": {"actions": ["create"], "before": null, "after": {}, "after_unknown": {}}},
        {"address": "aws_lb.k", "mode": "managed", "type": "aws_lb", "name": "k", "provider_name": "registry.terraform.io/hashicorp/aws", "change": {"actions": ["create"], "before": null, "after": {}, "after_unknown": {}}},
        {"address": "aws_lb_listener.k", "mode": "managed", "type": "aws_lb_listener", "name": "k", "provider_name": "registry.terraform.io/hashicorp/aws", "change": {"actions": ["create"], "before": null, "after": {}, "after_unknown": {}}},
        {"address": "aws_elasticache_replication_group.k", "mode": "managed", "type": "aws_elasticache_replication_group", "name": "k", "provider_name": "registry.terraform.io/hashicorp/aws", "change": {"actions": ["create"], "before": null, "after": {}, "after_unknown": {}}},
        {"address": "aws_redshift_cluster.k", "mode": "managed", "type": "aws_redshift_cluster", "name": "k", "provider_name": "registry.terraform.io/hashicorp/aws", "change": {"actions": ["create"], "before": null, "after": {}, "after_unknown": {}}},
        {"address": "aws_rds_cluster.k", "mode": "managed", "type": "aws_rds_cluster", "name": "k", "provider_name": "registry.terraform.io/hashicorp/aws", "change": {"actions": ["create"], "before": null, "after": {}, "after_unknown": {}}},
        {"address": "aws_launch_template.k", "mode": "managed", "type": "aws_launch_template", "name": "k", "provider_name": "registry.terraform.io/hashicorp/aws", "change": {"actions": ["create"], "before": null, "after": {}, "after_unknown": {}}},
        {"address": "aws_subnet.k", "mode": "managed", "type": "aws_subnet", "name": "k", "provider_name": "registry.terraform.io/hashicorp/aws", "change": {"actions": ["create"], "before": null, "after": {}, "after_unknown": {}}},
        {"address": "aws_guardduty_detector.k", "mode": "managed", "type": "aws_guardduty_detector", "name": "k", "provider_name": "registry.terraform.io/hashicorp/aws", "change": {"actions": ["create"], "before": null, "after": {}, "after_unknown": {}}},
        {"address": "aws_config_configuration_recorder.k", "mode": "managed", "type": "aws_config_configuration_recorder", "name": "k", "provider_name": "registry.terraform.io/hashicorp/aws", "change": {"actions": ["create"], "before": null, "after": {}, "after_unknown": {}}}
    ]}"#),
    ("aws_services_config.json", r#"{"fileVersion": "1.0", "configSnapshotId": "kinds-aws-services", "configurationItems": [
        {"resourceType": "AWS::SQS::Queue", "resourceId": "r0", "resourceName": "r0", "awsRegion": "eu-west-1", "awsAccountId": "111111111111", "configurationItemStatus": "OK", "configuration": {}},
        {"resourceType": "AWS::SNS::Topic", "resourceId": "r1", "resourceName": "r1", "awsRegion": "eu-west-1", "awsAccountId": "111111111111", "configurationItemStatus": "OK", "configuration": {}},
        {"resourceType": "AWS::SecretsManager::Secret", "resourceId": "r2", "resourceName": "r2", "awsRegion": "eu-west-1", "awsAccountId": "111111111111", "configurationItemStatus": "OK", "configuration": {}},
        {"resourceType": "AWS::ECR::Repository", "resourceId": "r3", "resourceName": "r3", "awsRegion": "eu-west-1", "awsAccountId": "111111111111", "configurationItemStatus": "OK", "configuration": {}},
        {"resourceType": "AWS::DynamoDB::Table", "resourceId": "r4", "resourceName": "r4", "awsRegion": "eu-west-1", "awsAccountId": "111111111111", "configurationItemStatus": "OK", "configuration": {}},
        {"resourceType": "AWS::Lambda::Function", "resourceId": "r5", "resourceName": "r5", "awsRegion": "eu-west-1", "awsAccountId": "111111111111", "configurationItemStatus": "OK", "configuration": {}},
        {"resourceType": "AWS::OpenSearch::Domain", "resourceId": "r6", "resourceName": "r6", "awsRegion": "eu-west-1", "awsAccountId": "111111111111", "configurationItemStatus": "OK", "configuration": {}},
        {"resourceType": "AWS::ApiGateway::Stage", "resourceId": "r7", "resourceName": "r7", "awsRegion": "eu-west-1", "awsAccountId": "111111111111", "configurationItemStatus": "OK", "configuration": {}},
        {"resourceType": "AWS::ElasticLoadBalancingV2::LoadBalancer", "resourceId": "r8", "resourceName": "r8", "awsRegion": "eu-west-1", "awsAccountId": "111111111111", "configurationItemStatus": "OK", "configuration": {}},
        {"resourceType": "AWS::ElasticLoadBalancingV2::Listener", "resourceId": "r9", "resourceName": "r9", "awsRegion": "eu-west-1", "awsAccountId": "111111111111", "configurationItemStatus": "OK", "configuration": {}},
        {"resourceType": "AWS::Redshift::Cluster", "resourceId": "r10", "resourceName": "r10", "awsRegion": "eu-west-1", "awsAccountId": "111111111111", "configurationItemStatus": "OK", "configuration": {}},
        {"resourceType": "AWS::RDS::DBCluster", "resourceId": "r11", "resourceName": "r11", "awsRegion": "eu-west-1", "awsAccountId": "111111111111", "configurationItemStatus": "OK", "configuration": {}},
        {"resourceType": "AWS::EC2::LaunchTemplate", "resourceId": "r12", "resourceName": "r12", "awsRegion": "eu-west-1", "awsAccountId": "111111111111", "configurationItemStatus": "OK", "configuration": {}},
        {"resourceType": "AWS::EC2::Subnet", "resourceId": "r13", "resourceName": "r13", "awsRegion": "eu-west-1", "awsAccountId": "111111111111", "configurationItemStatus": "OK", "configuration": {}},
        {"resourceType": "AWS::GuardDuty::Detector", "resourceId": "r14", "resourceName": "r14", "awsRegion": "eu-west-1", "awsAccountId": "111111111111", "configurationItemStatus": "OK", "configuration": {}},
        {"resourceType": "AWS::Config::ConfigurationRecorder", "resourceId": "r15", "resourceName": "r15", "awsRegion": "eu-west-1", "awsAccountId": "111111111111", "configurationItemStatus": "OK", "configuration": {}}
    ]}"#),
    ("aws_services_template.json", r#"{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {
        "R0": {"Type": "AWS::SQS::Queue", "Properties": {}},
        "R1": {"Type": "AWS::SNS::Topic", "Properties": {}},
        "R2": {"Type": "AWS::SecretsManager::Secret", "Properties": {}},
        "R3": {"Type": "AWS::ECR::Repository", "Properties": {}},
        "R4": {"Type": "AWS::DynamoDB::Table", "Properties": {}},
        "R5": {"Type": "AWS::Lambda::Function", "Properties": {}},
        "R6": {"Type": "AWS::Logs::LogGroup", "Properties": {}},
        "R7": {"Type": "AWS::OpenSearchService::Domain", "Properties": {}},
        "R8": {"Type": "AWS::ApiGateway::Stage", "Properties": {}},
        "R9": {"Type": "AWS::ApiGateway::Method", "Properties": {}},
        "R10": {"Type": "AWS::ElasticLoadBalancingV2::LoadBalancer", "Properties": {}},
        "R11": {"Type": "AWS::ElasticLoadBalancingV2::Listener", "Properties": {}},
        "R12": {"Type": "AWS::ElastiCache::ReplicationGroup", "Properties": {}},
        "R13": {"Type": "AWS::Redshift::Cluster", "Properties": {}},
        "R14": {"Type": "AWS::RDS::DBCluster", "Properties": {}},
        "R15": {"Type": "AWS::EC2::LaunchTemplate", "Properties": {}},
        "R16": {"Type": "AWS::EC2::Subnet", "Properties": {}},
        "R17": {"Type": "AWS::GuardDuty::Detector", "Properties": {}},
        "R18": {"Type": "AWS::Config::ConfigurationRecorder", "Properties": {}}
    }}"#),
    // ARM template
    ("arm.json", r#"{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "contentVersion": "1.0.0.0", "resources": [
        {"type": "Microsoft.Network/networkWatchers/flowLogs", "apiVersion": "2023-11-01", "name": "nw/fl", "properties": {"enabled": true, "targetResourceId": "[resourceId('Microsoft.Network/virtualNetworks', 'v')]"}},
        {"type": "Microsoft.Sql/servers/firewallRules", "apiVersion": "2021-11-01", "name": "srv/all", "properties": {"startIpAddress": "0.0.0.0", "endIpAddress": "255.255.255.255"}},
        {"type": "Microsoft.ContainerService/managedClusters", "apiVersion": "2024-01-01", "name": "aks", "properties": {}},
        {"type": "Microsoft.Sql/servers", "apiVersion": "2023-08-01-preview", "name": "srv", "properties": {}},
        {"type": "Microsoft.DBforPostgreSQL/flexibleServers", "apiVersion": "2024-08-01", "name": "pg", "properties": {}},
        {"type": "Microsoft.KeyVault/vaults/secrets", "apiVersion": "2023-07-01", "name": "kv/secret", "properties": {}},
        {"type": "Microsoft.ContainerRegistry/registries", "apiVersion": "2023-07-01", "name": "acr", "properties": {}},
        {"type": "Microsoft.KeyVault/vaults/keys", "apiVersion": "2023-07-01", "name": "kv/key", "properties": {}},
        {"type": "Microsoft.Web/sites", "apiVersion": "2023-12-01", "name": "app", "properties": {}},
        {"type": "Microsoft.DocumentDB/databaseAccounts", "apiVersion": "2024-05-15", "name": "cosmos", "properties": {}},
        {"type": "Microsoft.Authorization/roleDefinitions", "apiVersion": "2022-04-01", "name": "role", "properties": {}},
        {"type": "Microsoft.OperationalInsights/workspaces", "apiVersion": "2023-09-01", "name": "law", "properties": {}},
        {"type": "Microsoft.Security/pricings", "apiVersion": "2024-01-01", "name": "VirtualMachines", "properties": {"pricingTier": "Standard"}}
    ]}"#),
    // Cloud Asset Inventory
    ("assets.ndjson", r#"{"name": "//compute.googleapis.com/projects/p/regions/r/subnetworks/s", "asset_type": "compute.googleapis.com/Subnetwork", "resource": {"data": {"name": "s"}}}
{"name": "//compute.googleapis.com/projects/p/zones/z/instances/i", "asset_type": "compute.googleapis.com/Instance", "resource": {"data": {"name": "i"}}}
{"name": "//x.googleapis.com/projects/p/disks/d", "asset_type": "compute.googleapis.com/Disk", "resource": {"data": {"name": "x"}}}
{"name": "//x.googleapis.com/projects/p/nodePools/n", "asset_type": "container.googleapis.com/NodePool", "resource": {"data": {"name": "x"}}}
{"name": "//x.googleapis.com/projects/p/networks/n", "asset_type": "compute.googleapis.com/Network", "resource": {"data": {"name": "x"}}}
{"name": "//x.googleapis.com/projects/p/managedZones/z", "asset_type": "dns.googleapis.com/ManagedZone", "resource": {"data": {"name": "x"}}}
{"name": "//x.googleapis.com/projects/p/buckets/b", "asset_type": "logging.googleapis.com/LogBucket", "resource": {"data": {"name": "x"}}}
{"name": "//x.googleapis.com/projects/p/datasets/d", "asset_type": "bigquery.googleapis.com/Dataset", "resource": {"data": {"name": "x"}}}
{"name": "//x.googleapis.com/projects/p/services/s", "asset_type": "run.googleapis.com/Service", "resource": {"data": {"name": "x"}}}
{"name": "//x.googleapis.com/projects/p/functions/f", "asset_type": "cloudfunctions.googleapis.com/Function", "resource": {"data": {"name": "x"}}}
{"name": "//x.googleapis.com/projects/p/keys/k", "asset_type": "iam.googleapis.com/ServiceAccountKey", "resource": {"data": {"name": "x"}}}
{"name": "//logging.googleapis.com/projects/p/sinks/s", "asset_type": "logging.googleapis.com/LogSink", "resource": {"data": {"name": "s"}}}"#),
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
