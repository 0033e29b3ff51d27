//! One AWS service resource, several formats, one verdict. Each scenario
//! writes the same queue, topic, log group, secret, repository, table,
//! function, search domain, API, load balancer, cache, warehouse, database
//! cluster, launch template, subnet, security group, detector, recorder or
//! encrypted volume as the formats carry it: a Terraform plan (`terraform
//! show -json`: nulls, `after_unknown`, the configuration with references),
//! or a state; a CloudFormation template; and the AWS Config item of what
//! AWS then holds (with the KMS key items of the same snapshot where a key is
//! named by ARN). Every check named must give each format the same status;
//! where the plan and the template both leave a setting to AWS, both findings
//! must say they rest on the provider's default. Where a format cannot carry
//! an input (AWS Config records no log groups, ElastiCache replication groups
//! or API methods; a Config item has no ECR repository policy), the scenario
//! leaves that format out or expects indeterminate, and says why.

mod common;

use common::consistency::{agree, Scenario};
use iso27017::model::Status::{Fail, Indeterminate as Unknown, Pass};
use serde_json::{json, Value};

// ---------------------------------------------------------------------------
// Scaffolding.

/// A plan resource: `(address, type, after, after_unknown, configuration expressions)`.
type Res = (&'static str, &'static str, Value, Value, Value);

fn plan(resources: Vec<Res>) -> Value {
    let mut changes = Vec::new();
    let mut planned = Vec::new();
    let mut configs = Vec::new();
    for (address, rtype, after, unknown, expressions) in resources {
        let name = address.rsplit('.').next().unwrap_or(address);
        let provider = "registry.terraform.io/hashicorp/aws";
        changes.push(json!({
            "address": address, "mode": "managed", "type": rtype, "name": name, "provider_name": provider,
            "change": {"actions": ["create"], "before": null, "after": after, "after_unknown": unknown, "before_sensitive": false, "after_sensitive": {}}
        }));
        planned.push(json!({"address": address, "mode": "managed", "type": rtype, "name": name, "provider_name": provider, "schema_version": 0, "values": after, "sensitive_values": {}}));
        configs.push(json!({"address": address, "mode": "managed", "type": rtype, "name": name, "provider_config_key": "aws", "expressions": expressions, "schema_version": 0}));
    }
    json!({
        "format_version": "1.2", "terraform_version": "1.9.8",
        "planned_values": {"root_module": {"resources": planned}},
        "resource_changes": changes,
        "configuration": {"provider_config": {"aws": {"name": "aws", "full_name": "registry.terraform.io/hashicorp/aws", "expressions": {"region": {"constant_value": "eu-west-1"}}}}, "root_module": {"resources": configs}},
        "timestamp": "2026-12-07T10:00:00Z", "applyable": true, "complete": true, "errored": false
    })
}

/// A state (`terraform show -json`): `(address, type, values)`.
fn state(resources: Vec<(&str, &str, Value)>) -> Value {
    let rs: Vec<Value> = resources
        .into_iter()
        .map(|(address, rtype, values)| {
            let name = address.rsplit('.').next().unwrap_or(address);
            json!({"address": address, "mode": "managed", "type": rtype, "name": name, "provider_name": "registry.terraform.io/hashicorp/aws", "schema_version": 0, "values": values, "sensitive_values": {}})
        })
        .collect();
    json!({"format_version": "1.0", "terraform_version": "1.9.8", "values": {"root_module": {"resources": rs}}})
}

fn cfn(resources: Value) -> Value {
    json!({"AWSTemplateFormatVersion": "2010-09-09", "Description": "consistency", "Resources": resources})
}

const ACCOUNT: &str = "111122223333";
const KEY_ID: &str = "0f2b6c1e-8d7a-4c39-9e55-2a1d3c4b5e6f";

fn key_arn() -> String {
    format!("arn:aws:kms:eu-west-1:{ACCOUNT}:key/{KEY_ID}")
}

/// One configuration item as `GetResourceConfigHistory` returns it
/// (`configuration` and each supplementary value as JSON strings).
fn item(rtype: &str, name: &str, arn: &str, configuration: Value, supplementary: Value) -> Value {
    let supp: serde_json::Map<String, Value> = supplementary.as_object().cloned().unwrap_or_default().into_iter().map(|(k, v)| (k, Value::String(v.to_string()))).collect();
    json!({
        "version": "1.3", "accountId": ACCOUNT, "configurationItemCaptureTime": "2026-12-06T09:12:44.081Z",
        "configurationItemStatus": "OK", "configurationStateId": "1733476364081", "configurationItemMD5Hash": "",
        "arn": arn, "resourceType": rtype, "resourceId": name, "resourceName": name, "awsRegion": "eu-west-1",
        "availabilityZone": "Regional", "resourceCreationTime": "2026-12-06T09:10:02.000Z", "tags": {},
        "relatedEvents": [], "relationships": [],
        "configuration": configuration.to_string(), "supplementaryConfiguration": supp
    })
}

/// The KMS key item a snapshot holds for the customer managed key.
fn key_item(manager: &str) -> Value {
    item(
        "AWS::KMS::Key",
        KEY_ID,
        &key_arn(),
        json!({"aWSAccountId": ACCOUNT, "keyId": KEY_ID, "arn": key_arn(), "enabled": true, "keyUsage": "ENCRYPT_DECRYPT", "keyState": "Enabled", "origin": "AWS_KMS", "keyManager": manager, "keySpec": "SYMMETRIC_DEFAULT"}),
        json!({"KeyRotationStatus": true}),
    )
}

fn snapshot(items: Vec<Value>) -> Value {
    json!({"fileVersion": "1.0", "configSnapshotId": "7a1c0e9e-consistency", "configurationItems": items})
}

/// The plan's customer managed key, referenced as `aws_kms_key.data.arn`.
fn plan_key() -> Res {
    (
        "aws_kms_key.data",
        "aws_kms_key",
        json!({"bypass_policy_lockout_safety_check": false, "customer_master_key_spec": "SYMMETRIC_DEFAULT", "deletion_window_in_days": 30, "description": "data", "enable_key_rotation": true, "is_enabled": true, "key_usage": "ENCRYPT_DECRYPT", "tags": null}),
        json!({"arn": true, "id": true, "key_id": true, "multi_region": true, "policy": true, "rotation_period_in_days": true, "tags_all": true}),
        json!({"description": {"constant_value": "data"}, "enable_key_rotation": {"constant_value": true}}),
    )
}

fn key_ref(attr: &str) -> Value {
    json!({attr: {"references": ["aws_kms_key.data.arn", "aws_kms_key.data"]}})
}

fn merge(mut a: Value, b: Value) -> Value {
    if let (Value::Object(x), Value::Object(y)) = (&mut a, b) {
        x.extend(y);
    }
    a
}

fn template_key() -> (String, Value) {
    ("DataKey".into(), json!({"Type": "AWS::KMS::Key", "Properties": {"EnableKeyRotation": true, "KeyPolicy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": {"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"}}, "Action": "kms:*", "Resource": "*"}]}}}))
}

fn with_key(resources: Value) -> Value {
    let (k, v) = template_key();
    merge(resources, json!({k: v}))
}

// ---------------------------------------------------------------------------
// SQS and SNS.

#[test]
fn queue_with_a_customer_managed_key() {
    let tf = plan(vec![
        plan_key(),
        (
            "aws_sqs_queue.orders",
            "aws_sqs_queue",
            json!({"name": "orders", "delay_seconds": 0, "fifo_queue": false, "kms_data_key_reuse_period_seconds": 300, "message_retention_seconds": 345600, "tags": null}),
            json!({"arn": true, "id": true, "kms_master_key_id": true, "policy": true, "sqs_managed_sse_enabled": true, "url": true, "tags_all": true, "redrive_policy": true}),
            merge(json!({"name": {"constant_value": "orders"}}), key_ref("kms_master_key_id")),
        ),
    ]);
    let template = cfn(with_key(json!({"orders": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": "orders", "KmsMasterKeyId": {"Fn::GetAtt": ["DataKey", "Arn"]}}}})));
    let queue = item(
        "AWS::SQS::Queue",
        "orders",
        &format!("arn:aws:sqs:eu-west-1:{ACCOUNT}:orders"),
        json!({"QueueUrl": format!("https://sqs.eu-west-1.amazonaws.com/{ACCOUNT}/orders"), "QueueArn": format!("arn:aws:sqs:eu-west-1:{ACCOUNT}:orders"), "KmsMasterKeyId": key_arn(), "KmsDataKeyReusePeriodSeconds": "300", "MessageRetentionPeriod": "345600", "SqsManagedSseEnabled": "false"}),
        json!({}),
    );
    let checks = [("aws_sqs_queue_encrypted", Pass, false), ("aws_sqs_queue_cmk_encryption", Pass, false), ("aws_sqs_queue_policy_not_public", Pass, false)];
    agree(&Scenario {
        name: "queue under the customer's key",
        kind: "message_queue",
        resource: "orders",
        docs: vec![("orders.tfplan.json", tf), ("orders.cfn.json", template), ("orders.config.json", snapshot(vec![queue.clone(), key_item("CUSTOMER")]))],
        checks: &checks,
        except: &[],
    });
    // The same item without its key: the ARN alone does not say whose key it is.
    agree(&Scenario {
        name: "queue whose key is not in the snapshot",
        kind: "message_queue",
        resource: "orders",
        docs: vec![("orders-alone.config.json", snapshot(vec![queue.clone()]))],
        checks: &[("aws_sqs_queue_cmk_encryption", Unknown, false)],
        except: &[],
    });
    // An AWS managed key found in the snapshot settles it the other way.
    agree(&Scenario {
        name: "queue under an AWS managed key",
        kind: "message_queue",
        resource: "orders",
        docs: vec![("orders-aws.config.json", snapshot(vec![queue, key_item("AWS")]))],
        checks: &[("aws_sqs_queue_cmk_encryption", Fail, false)],
        except: &[],
    });
}

#[test]
fn queue_left_to_sqs_with_a_public_policy() {
    let public = json!({"Version": "2012-10-17", "Statement": [{"Sid": "anyone", "Effect": "Allow", "Principal": "*", "Action": "sqs:SendMessage", "Resource": format!("arn:aws:sqs:eu-west-1:{ACCOUNT}:events")}]});
    let tf = plan(vec![
        (
            "aws_sqs_queue.events",
            "aws_sqs_queue",
            json!({"name": "events", "delay_seconds": 0, "fifo_queue": false, "kms_master_key_id": null, "message_retention_seconds": 345600, "tags": null}),
            json!({"arn": true, "id": true, "kms_data_key_reuse_period_seconds": true, "policy": true, "sqs_managed_sse_enabled": true, "url": true, "tags_all": true}),
            json!({"name": {"constant_value": "events"}}),
        ),
        (
            "aws_sqs_queue_policy.events",
            "aws_sqs_queue_policy",
            json!({"policy": public.to_string()}),
            json!({"id": true, "queue_url": true}),
            json!({"queue_url": {"references": ["aws_sqs_queue.events.id", "aws_sqs_queue.events"]}, "policy": {"references": ["data.aws_iam_policy_document.events.json"]}}),
        ),
    ]);
    let template = cfn(json!({
        "events": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": "events"}},
        "EventsPolicy": {"Type": "AWS::SQS::QueuePolicy", "Properties": {"Queues": [{"Ref": "events"}], "PolicyDocument": public}}
    }));
    let queue = item(
        "AWS::SQS::Queue",
        "events",
        &format!("arn:aws:sqs:eu-west-1:{ACCOUNT}:events"),
        json!({"QueueUrl": format!("https://sqs.eu-west-1.amazonaws.com/{ACCOUNT}/events"), "QueueArn": format!("arn:aws:sqs:eu-west-1:{ACCOUNT}:events"), "SqsManagedSseEnabled": "true", "Policy": public.to_string()}),
        json!({}),
    );
    agree(&Scenario {
        name: "queue left to SQS's defaults, public policy",
        kind: "message_queue",
        resource: "events",
        docs: vec![("events.tfplan.json", tf), ("events.cfn.json", template), ("events.config.json", snapshot(vec![queue]))],
        checks: &[("aws_sqs_queue_encrypted", Pass, true), ("aws_sqs_queue_cmk_encryption", Fail, true), ("aws_sqs_queue_policy_not_public", Fail, false)],
        except: &[],
    });
}

#[test]
fn topic_left_to_sns() {
    let owner_only = json!({"Version": "2008-10-17", "Id": "__default_policy_ID", "Statement": [{"Sid": "__default_statement_ID", "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": ["SNS:Publish", "SNS:Subscribe"], "Resource": format!("arn:aws:sns:eu-west-1:{ACCOUNT}:alerts"), "Condition": {"StringEquals": {"AWS:SourceOwner": ACCOUNT}}}]});
    let tf = plan(vec![(
        "aws_sns_topic.alerts",
        "aws_sns_topic",
        json!({"name": "alerts", "kms_master_key_id": null, "fifo_topic": false, "tags": null}),
        json!({"arn": true, "id": true, "owner": true, "policy": true, "signature_version": true, "tags_all": true, "beginning_archive_time": true}),
        json!({"name": {"constant_value": "alerts"}}),
    )]);
    let template = cfn(json!({"alerts": {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": "alerts"}}}));
    let topic = item(
        "AWS::SNS::Topic",
        "alerts",
        &format!("arn:aws:sns:eu-west-1:{ACCOUNT}:alerts"),
        json!({"TopicArn": format!("arn:aws:sns:eu-west-1:{ACCOUNT}:alerts"), "Owner": ACCOUNT, "Policy": owner_only.to_string(), "DisplayName": ""}),
        json!({}),
    );
    agree(&Scenario {
        name: "topic left to SNS's defaults",
        kind: "notification_topic",
        resource: "alerts",
        docs: vec![("alerts.tfplan.json", tf), ("alerts.cfn.json", template), ("alerts.config.json", snapshot(vec![topic]))],
        checks: &[("aws_sns_topic_encrypted", Fail, true), ("aws_sns_topic_cmk_encryption", Fail, true), ("aws_sns_topic_policy_not_public", Pass, false)],
        except: &[],
    });
}

// ---------------------------------------------------------------------------
// Log groups (AWS Config does not record them), secrets, registries.

#[test]
fn log_groups() {
    let tf = plan(vec![(
        "aws_cloudwatch_log_group.app",
        "aws_cloudwatch_log_group",
        json!({"name": "app", "retention_in_days": 30, "kms_key_id": null, "skip_destroy": false, "tags": null}),
        json!({"arn": true, "id": true, "log_group_class": true, "name_prefix": true, "tags_all": true}),
        json!({"name": {"constant_value": "app"}, "retention_in_days": {"constant_value": 30}}),
    )]);
    let template = cfn(json!({"app": {"Type": "AWS::Logs::LogGroup", "Properties": {"LogGroupName": "app", "RetentionInDays": 30}}}));
    agree(&Scenario {
        name: "log group kept a month under the service's key",
        kind: "log_group",
        resource: "app",
        docs: vec![("app.tfplan.json", tf), ("app.cfn.json", template)],
        checks: &[("aws_log_group_cmk_encryption", Fail, true), ("aws_log_group_retention_365_days", Fail, false)],
        except: &[],
    });
    // A state (no configuration): the key is named by ARN and settled by the state's own key.
    let tf_state = state(vec![
        ("aws_kms_key.data", "aws_kms_key", json!({"arn": key_arn(), "key_id": KEY_ID, "id": KEY_ID, "enable_key_rotation": true, "is_enabled": true, "deletion_window_in_days": 30, "policy": ""})),
        ("aws_cloudwatch_log_group.audit", "aws_cloudwatch_log_group", json!({"name": "audit", "arn": format!("arn:aws:logs:eu-west-1:{ACCOUNT}:log-group:audit"), "retention_in_days": 0, "kms_key_id": key_arn(), "id": "audit"})),
    ]);
    let template = cfn(with_key(json!({"audit": {"Type": "AWS::Logs::LogGroup", "Properties": {"LogGroupName": "audit", "KmsKeyId": {"Fn::GetAtt": ["DataKey", "Arn"]}}}})));
    agree(&Scenario {
        name: "log group kept forever under the customer's key",
        kind: "log_group",
        resource: "audit",
        docs: vec![("audit.tfstate.json", tf_state), ("audit.cfn.json", template)],
        checks: &[("aws_log_group_cmk_encryption", Pass, false), ("aws_log_group_retention_365_days", Pass, false)],
        except: &[],
    });
}

#[test]
fn rotated_secret_under_the_aws_managed_key() {
    let tf = plan(vec![
        (
            "aws_secretsmanager_secret.db",
            "aws_secretsmanager_secret",
            json!({"name": "db", "kms_key_id": null, "recovery_window_in_days": 30, "force_overwrite_replica_secret": false, "tags": null}),
            json!({"arn": true, "id": true, "name_prefix": true, "policy": true, "replica": true, "tags_all": true}),
            json!({"name": {"constant_value": "db"}}),
        ),
        (
            "aws_secretsmanager_secret_rotation.db",
            "aws_secretsmanager_secret_rotation",
            json!({"rotation_lambda_arn": format!("arn:aws:lambda:eu-west-1:{ACCOUNT}:function:rotate"), "rotate_immediately": true, "rotation_rules": [{"automatically_after_days": 30, "duration": null, "schedule_expression": null}]}),
            json!({"id": true, "rotation_enabled": true, "secret_id": true, "rotation_rules": [{}]}),
            json!({"secret_id": {"references": ["aws_secretsmanager_secret.db.id", "aws_secretsmanager_secret.db"]}}),
        ),
    ]);
    let template = cfn(json!({
        "db": {"Type": "AWS::SecretsManager::Secret", "Properties": {"Name": "db", "GenerateSecretString": {"PasswordLength": 32}}},
        "DbRotation": {"Type": "AWS::SecretsManager::RotationSchedule", "Properties": {"SecretId": {"Ref": "db"}, "RotationLambdaARN": format!("arn:aws:lambda:eu-west-1:{ACCOUNT}:function:rotate"), "RotationRules": {"AutomaticallyAfterDays": 30}}}
    }));
    let secret = item(
        "AWS::SecretsManager::Secret",
        "db",
        &format!("arn:aws:secretsmanager:eu-west-1:{ACCOUNT}:secret:db-AbCdEf"),
        json!({"ARN": format!("arn:aws:secretsmanager:eu-west-1:{ACCOUNT}:secret:db-AbCdEf"), "Name": "db", "RotationEnabled": true, "RotationLambdaARN": format!("arn:aws:lambda:eu-west-1:{ACCOUNT}:function:rotate"), "RotationRules": {"AutomaticallyAfterDays": 30}}),
        json!({}),
    );
    agree(&Scenario {
        name: "secret rotated monthly, aws/secretsmanager key",
        kind: "secret",
        resource: "db",
        docs: vec![("db.tfplan.json", tf), ("db.cfn.json", template), ("db.config.json", snapshot(vec![secret]))],
        checks: &[("aws_secret_rotation_enabled", Pass, false), ("aws_secret_cmk_encryption", Fail, true), ("aws_secret_policy_not_public", Pass, false)],
        // AWS Config does not record a secret's resource policy.
        except: &[("db.config.json", "aws_secret_policy_not_public", Unknown)],
    });
}

#[test]
fn registries() {
    let tf = plan(vec![
        plan_key(),
        (
            "aws_ecr_repository.api",
            "aws_ecr_repository",
            json!({"name": "api", "force_delete": null, "image_tag_mutability": "IMMUTABLE", "encryption_configuration": [{"encryption_type": "KMS"}], "image_scanning_configuration": [{"scan_on_push": true}], "tags": null, "timeouts": null}),
            json!({"arn": true, "id": true, "registry_id": true, "repository_url": true, "tags_all": true, "encryption_configuration": [{"kms_key": true}], "image_scanning_configuration": [{}]}),
            json!({"name": {"constant_value": "api"}, "image_tag_mutability": {"constant_value": "IMMUTABLE"}, "encryption_configuration": [{"encryption_type": {"constant_value": "KMS"}, "kms_key": {"references": ["aws_kms_key.data.arn", "aws_kms_key.data"]}}], "image_scanning_configuration": [{"scan_on_push": {"constant_value": true}}]}),
        ),
    ]);
    let template = cfn(with_key(json!({"api": {"Type": "AWS::ECR::Repository", "Properties": {
        "RepositoryName": "api", "ImageTagMutability": "IMMUTABLE", "ImageScanningConfiguration": {"ScanOnPush": true},
        "EncryptionConfiguration": {"EncryptionType": "KMS", "KmsKey": {"Fn::GetAtt": ["DataKey", "Arn"]}}}}})));
    let repo = item(
        "AWS::ECR::Repository",
        "api",
        &format!("arn:aws:ecr:eu-west-1:{ACCOUNT}:repository/api"),
        json!({"RepositoryName": "api", "Arn": format!("arn:aws:ecr:eu-west-1:{ACCOUNT}:repository/api"), "ImageTagMutability": "IMMUTABLE", "ImageScanningConfiguration": {"ScanOnPush": true}, "EncryptionConfiguration": {"EncryptionType": "KMS", "KmsKey": key_arn()}}),
        json!({}),
    );
    agree(&Scenario {
        name: "hardened repository",
        kind: "container_registry",
        resource: "api",
        docs: vec![("api.tfplan.json", tf), ("api.cfn.json", template), ("api.config.json", snapshot(vec![repo, key_item("CUSTOMER")]))],
        checks: &[("aws_ecr_scan_on_push", Pass, false), ("aws_ecr_immutable_tags", Pass, false), ("aws_ecr_repository_cmk_encryption", Pass, false), ("aws_ecr_repository_policy_not_public", Pass, false)],
        // The Config item carries no repository policy.
        except: &[("api.config.json", "aws_ecr_repository_policy_not_public", Unknown)],
    });
    let tf = plan(vec![(
        "aws_ecr_repository.scratch",
        "aws_ecr_repository",
        json!({"name": "scratch", "force_delete": null, "image_tag_mutability": "MUTABLE", "tags": null, "timeouts": null}),
        json!({"arn": true, "id": true, "registry_id": true, "repository_url": true, "tags_all": true, "encryption_configuration": true, "image_scanning_configuration": true}),
        json!({"name": {"constant_value": "scratch"}}),
    )]);
    let template = cfn(json!({"scratch": {"Type": "AWS::ECR::Repository", "Properties": {"RepositoryName": "scratch"}}}));
    let repo = item(
        "AWS::ECR::Repository",
        "scratch",
        &format!("arn:aws:ecr:eu-west-1:{ACCOUNT}:repository/scratch"),
        json!({"RepositoryName": "scratch", "ImageTagMutability": "MUTABLE", "ImageScanningConfiguration": {"ScanOnPush": false}, "EncryptionConfiguration": {"EncryptionType": "AES256"}}),
        json!({}),
    );
    agree(&Scenario {
        name: "repository left to ECR's defaults",
        kind: "container_registry",
        resource: "scratch",
        docs: vec![("scratch.tfplan.json", tf), ("scratch.cfn.json", template), ("scratch.config.json", snapshot(vec![repo]))],
        // The provider writes `MUTABLE` into the plan itself: only the template rests on a default for it.
        checks: &[("aws_ecr_scan_on_push", Fail, true), ("aws_ecr_immutable_tags", Fail, false), ("aws_ecr_repository_cmk_encryption", Fail, true)],
        except: &[],
    });
}

// ---------------------------------------------------------------------------
// Tables and functions.

#[test]
fn table_with_point_in_time_recovery() {
    let tf = plan(vec![(
        "aws_dynamodb_table.orders",
        "aws_dynamodb_table",
        json!({"name": "orders", "billing_mode": "PAY_PER_REQUEST", "hash_key": "id", "attribute": [{"name": "id", "type": "S"}], "point_in_time_recovery": [{"enabled": true}], "deletion_protection_enabled": null, "tags": null}),
        json!({"arn": true, "id": true, "server_side_encryption": true, "stream_arn": true, "tags_all": true, "point_in_time_recovery": [{"recovery_period_in_days": true}], "deletion_protection_enabled": true}),
        json!({"name": {"constant_value": "orders"}, "point_in_time_recovery": [{"enabled": {"constant_value": true}}]}),
    )]);
    let template = cfn(json!({"orders": {"Type": "AWS::DynamoDB::Table", "Properties": {
        "TableName": "orders", "BillingMode": "PAY_PER_REQUEST", "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}], "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": true}}}}));
    let table = item(
        "AWS::DynamoDB::Table",
        "orders",
        &format!("arn:aws:dynamodb:eu-west-1:{ACCOUNT}:table/orders"),
        json!({"tableName": "orders", "tableStatus": "ACTIVE", "tableArn": format!("arn:aws:dynamodb:eu-west-1:{ACCOUNT}:table/orders"), "billingModeSummary": {"billingMode": "PAY_PER_REQUEST"}, "deletionProtectionEnabled": false}),
        json!({"ContinuousBackupsDescription": {"continuousBackupsStatus": "ENABLED", "pointInTimeRecoveryDescription": {"pointInTimeRecoveryStatus": "ENABLED", "earliestRestorableDateTime": "2026-12-06T09:10:02.000Z"}}}),
    );
    agree(&Scenario {
        name: "table with PITR, AWS owned key",
        kind: "nosql_table",
        resource: "orders",
        docs: vec![("orders.tfplan.json", tf), ("orders.cfn.json", template), ("orders.config.json", snapshot(vec![table]))],
        checks: &[("aws_dynamodb_pitr_enabled", Pass, false), ("aws_dynamodb_table_cmk_encryption", Fail, true), ("aws_dynamodb_deletion_protection", Fail, true)],
        except: &[],
    });
}

#[test]
fn function_with_a_password_in_its_environment() {
    let vars = json!({"DB_PASSWORD": "s3cr3t-Passw0rd!", "LOG_LEVEL": "info", "DB_SECRET_ARN": format!("arn:aws:secretsmanager:eu-west-1:{ACCOUNT}:secret:db")});
    let tf = plan(vec![(
        "aws_lambda_function.worker",
        "aws_lambda_function",
        json!({"function_name": "worker", "handler": "index.handler", "runtime": "nodejs20.x", "kms_key_arn": null, "environment": [{"variables": vars}], "vpc_config": [], "tags": null}),
        json!({"arn": true, "id": true, "invoke_arn": true, "last_modified": true, "qualified_arn": true, "version": true, "environment": [{"variables": {}}], "vpc_config": [], "tags_all": true}),
        json!({"function_name": {"constant_value": "worker"}, "environment": [{"variables": {"constant_value": vars}}]}),
    )]);
    let template = cfn(json!({"worker": {"Type": "AWS::Lambda::Function", "Properties": {
        "FunctionName": "worker", "Handler": "index.handler", "Runtime": "nodejs20.x", "Role": {"Fn::GetAtt": ["WorkerRole", "Arn"]},
        "Code": {"ZipFile": "exports.handler = async () => 1"}, "Environment": {"Variables": vars}}}}));
    let function = item(
        "AWS::Lambda::Function",
        "worker",
        &format!("arn:aws:lambda:eu-west-1:{ACCOUNT}:function:worker"),
        json!({"functionName": "worker", "functionArn": format!("arn:aws:lambda:eu-west-1:{ACCOUNT}:function:worker"), "runtime": "nodejs20.x", "handler": "index.handler", "environment": {"variables": vars}, "vpcConfig": {"subnetIds": [], "securityGroupIds": []}}),
        json!({"Concurrency": {"reservedConcurrentExecutions": null}}),
    );
    agree(&Scenario {
        name: "function outside a VPC with a literal password",
        kind: "serverless_function",
        resource: "worker",
        docs: vec![("worker.tfplan.json", tf), ("worker.cfn.json", template), ("worker.config.json", snapshot(vec![function]))],
        checks: &[("aws_lambda_in_vpc", Fail, false), ("aws_lambda_no_secrets_in_environment", Fail, false), ("aws_lambda_env_cmk_encryption", Fail, true)],
        except: &[],
    });
}

#[test]
fn function_permissions() {
    let function = |name: &str| {
        (
            if name == "thumbs" { "aws_lambda_function.thumbs" } else { "aws_lambda_function.hook" },
            "aws_lambda_function",
            json!({"function_name": name, "handler": "index.handler", "runtime": "nodejs20.x", "kms_key_arn": null, "environment": [], "vpc_config": [], "tags": null}),
            json!({"arn": true, "id": true, "invoke_arn": true, "qualified_arn": true, "version": true, "environment": [], "vpc_config": [], "tags_all": true}),
            json!({"function_name": {"constant_value": name}}),
        )
    };
    let tf = plan(vec![
        function("thumbs"),
        (
            "aws_lambda_permission.from_bucket",
            "aws_lambda_permission",
            json!({"action": "lambda:InvokeFunction", "principal": "s3.amazonaws.com", "source_arn": "arn:aws:s3:::acme-uploads", "source_account": ACCOUNT, "statement_id": "s3", "function_name": "thumbs", "qualifier": null}),
            json!({"id": true, "statement_id_prefix": true}),
            json!({"function_name": {"references": ["aws_lambda_function.thumbs.function_name", "aws_lambda_function.thumbs"]}, "principal": {"constant_value": "s3.amazonaws.com"}}),
        ),
        function("hook"),
        (
            "aws_lambda_permission.anyone",
            "aws_lambda_permission",
            json!({"action": "lambda:InvokeFunction", "principal": "*", "source_arn": null, "source_account": null, "statement_id": "anyone", "function_name": "hook", "qualifier": null}),
            json!({"id": true, "statement_id_prefix": true}),
            json!({"function_name": {"references": ["aws_lambda_function.hook.function_name", "aws_lambda_function.hook"]}, "principal": {"constant_value": "*"}}),
        ),
    ]);
    let code = json!({"ZipFile": "exports.handler = async () => 1"});
    let template = cfn(json!({
        "thumbs": {"Type": "AWS::Lambda::Function", "Properties": {"FunctionName": "thumbs", "Handler": "index.handler", "Runtime": "nodejs20.x", "Role": {"Fn::GetAtt": ["Role", "Arn"]}, "Code": code}},
        "FromBucket": {"Type": "AWS::Lambda::Permission", "Properties": {"FunctionName": {"Ref": "thumbs"}, "Action": "lambda:InvokeFunction", "Principal": "s3.amazonaws.com", "SourceArn": "arn:aws:s3:::acme-uploads", "SourceAccount": ACCOUNT}},
        "hook": {"Type": "AWS::Lambda::Function", "Properties": {"FunctionName": "hook", "Handler": "index.handler", "Runtime": "nodejs20.x", "Role": {"Fn::GetAtt": ["Role", "Arn"]}, "Code": code}},
        "Anyone": {"Type": "AWS::Lambda::Permission", "Properties": {"FunctionName": {"Fn::GetAtt": ["hook", "Arn"]}, "Action": "lambda:InvokeFunction", "Principal": "*"}}
    }));
    let item_of = |name: &str| {
        item(
            "AWS::Lambda::Function",
            name,
            &format!("arn:aws:lambda:eu-west-1:{ACCOUNT}:function:{name}"),
            json!({"functionName": name, "functionArn": format!("arn:aws:lambda:eu-west-1:{ACCOUNT}:function:{name}"), "runtime": "nodejs20.x", "handler": "index.handler", "vpcConfig": {"subnetIds": []}}),
            json!({}),
        )
    };
    let items = snapshot(vec![item_of("thumbs"), item_of("hook")]);
    let docs = vec![("fns.tfplan.json", tf), ("fns.cfn.json", template), ("fns.config.json", items)];
    // AWS Config does not record a function's resource policy.
    agree(&Scenario {
        name: "function invoked by one bucket",
        kind: "serverless_function",
        resource: "thumbs",
        docs: docs.clone(),
        checks: &[("aws_lambda_function_not_public", Pass, false)],
        except: &[("fns.config.json", "aws_lambda_function_not_public", Unknown)],
    });
    agree(&Scenario {
        name: "function anyone may invoke",
        kind: "serverless_function",
        resource: "hook",
        docs,
        checks: &[("aws_lambda_function_not_public", Fail, false)],
        except: &[("fns.config.json", "aws_lambda_function_not_public", Unknown)],
    });
}

// ---------------------------------------------------------------------------
// Search domains.

#[test]
fn search_domains() {
    let tf = plan(vec![(
        "aws_opensearch_domain.logs",
        "aws_opensearch_domain",
        json!({"domain_name": "logs", "engine_version": "OpenSearch_2.13",
            "encrypt_at_rest": [{"enabled": true}], "node_to_node_encryption": [{"enabled": true}],
            "domain_endpoint_options": [{"enforce_https": true, "tls_security_policy": "Policy-Min-TLS-1-2-2019-07", "custom_endpoint_enabled": false}],
            "vpc_options": [{"subnet_ids": ["subnet-0a1b2c3d"], "security_group_ids": ["sg-0a1b2c3d"]}],
            "log_publishing_options": [{"log_type": "AUDIT_LOGS", "enabled": true, "cloudwatch_log_group_arn": format!("arn:aws:logs:eu-west-1:{ACCOUNT}:log-group:os-audit")}], "tags": null}),
        json!({"arn": true, "id": true, "domain_id": true, "endpoint": true, "encrypt_at_rest": [{"kms_key_id": true}], "domain_endpoint_options": [{"custom_endpoint": true}], "vpc_options": [{"availability_zones": true, "vpc_id": true}], "tags_all": true}),
        json!({"domain_name": {"constant_value": "logs"}}),
    )]);
    let template = cfn(json!({"logs": {"Type": "AWS::OpenSearchService::Domain", "Properties": {
        "DomainName": "logs", "EngineVersion": "OpenSearch_2.13",
        "EncryptionAtRestOptions": {"Enabled": true}, "NodeToNodeEncryptionOptions": {"Enabled": true},
        "DomainEndpointOptions": {"EnforceHTTPS": true, "TLSSecurityPolicy": "Policy-Min-TLS-1-2-2019-07"},
        "VPCOptions": {"SubnetIds": ["subnet-0a1b2c3d"], "SecurityGroupIds": ["sg-0a1b2c3d"]},
        "LogPublishingOptions": {"AUDIT_LOGS": {"CloudWatchLogsLogGroupArn": format!("arn:aws:logs:eu-west-1:{ACCOUNT}:log-group:os-audit"), "Enabled": true}}}}}));
    let domain = item(
        "AWS::OpenSearch::Domain",
        "logs",
        &format!("arn:aws:es:eu-west-1:{ACCOUNT}:domain/logs"),
        json!({"DomainName": "logs", "Arn": format!("arn:aws:es:eu-west-1:{ACCOUNT}:domain/logs"), "EngineVersion": "OpenSearch_2.13",
            "EncryptionAtRestOptions": {"Enabled": true, "KmsKeyId": format!("arn:aws:kms:eu-west-1:{ACCOUNT}:key/aws-es")}, "NodeToNodeEncryptionOptions": {"Enabled": true},
            "DomainEndpointOptions": {"EnforceHTTPS": true, "TLSSecurityPolicy": "Policy-Min-TLS-1-2-2019-07", "CustomEndpointEnabled": false},
            "VPCOptions": {"SubnetIds": ["subnet-0a1b2c3d"], "SecurityGroupIds": ["sg-0a1b2c3d"]},
            "LogPublishingOptions": {"AUDIT_LOGS": {"CloudWatchLogsLogGroupArn": format!("arn:aws:logs:eu-west-1:{ACCOUNT}:log-group:os-audit"), "Enabled": true}}}),
        json!({}),
    );
    let all_pass = [
        ("aws_opensearch_encrypted_at_rest", Pass, false),
        ("aws_opensearch_node_to_node_encryption", Pass, false),
        ("aws_opensearch_https_enforced", Pass, false),
        ("aws_opensearch_tls12", Pass, false),
        ("aws_opensearch_in_vpc", Pass, false),
        ("aws_opensearch_audit_logging", Pass, false),
        ("aws_opensearch_cmk_encryption", Fail, false),
    ];
    agree(&Scenario {
        name: "hardened search domain",
        kind: "search_domain",
        resource: "logs",
        docs: vec![("logs.tfplan.json", tf), ("logs.cfn.json", template), ("logs.config.json", snapshot(vec![domain]))],
        checks: &all_pass,
        // The live domain names its aws/es key by ARN, and the snapshot holds no item for that key.
        except: &[("logs.config.json", "aws_opensearch_cmk_encryption", Unknown)],
    });
    let tf = plan(vec![(
        "aws_opensearch_domain.scratch",
        "aws_opensearch_domain",
        json!({"domain_name": "scratch", "engine_version": "OpenSearch_2.13", "log_publishing_options": [], "vpc_options": [], "tags": null}),
        json!({"arn": true, "id": true, "domain_id": true, "endpoint": true, "encrypt_at_rest": true, "node_to_node_encryption": true, "domain_endpoint_options": true, "tags_all": true}),
        json!({"domain_name": {"constant_value": "scratch"}}),
    )]);
    let template = cfn(json!({"scratch": {"Type": "AWS::OpenSearchService::Domain", "Properties": {"DomainName": "scratch", "EngineVersion": "OpenSearch_2.13"}}}));
    let domain = item(
        "AWS::OpenSearch::Domain",
        "scratch",
        &format!("arn:aws:es:eu-west-1:{ACCOUNT}:domain/scratch"),
        json!({"DomainName": "scratch", "EncryptionAtRestOptions": {"Enabled": false}, "NodeToNodeEncryptionOptions": {"Enabled": false},
            "DomainEndpointOptions": {"EnforceHTTPS": false, "TLSSecurityPolicy": "Policy-Min-TLS-1-0-2019-07"}, "LogPublishingOptions": {}}),
        json!({}),
    );
    agree(&Scenario {
        name: "search domain left to the service's defaults",
        kind: "search_domain",
        resource: "scratch",
        docs: vec![("scratch.tfplan.json", tf), ("scratch.cfn.json", template), ("scratch.config.json", snapshot(vec![domain]))],
        checks: &[
            ("aws_opensearch_encrypted_at_rest", Fail, true),
            ("aws_opensearch_node_to_node_encryption", Fail, true),
            ("aws_opensearch_https_enforced", Fail, true),
            ("aws_opensearch_in_vpc", Fail, false),
            ("aws_opensearch_audit_logging", Fail, false),
            // The TLS policy a new domain gets is not documented as a default we can rely on:
            // unknown in the plan and the template; the live domain says which.
            ("aws_opensearch_tls12", Unknown, false),
        ],
        except: &[("scratch.config.json", "aws_opensearch_tls12", Fail)],
    });
}

// ---------------------------------------------------------------------------
// API Gateway (AWS Config records stages, not methods).

#[test]
fn api_stage_and_method() {
    let tf = plan(vec![
        (
            "aws_api_gateway_stage.prod",
            "aws_api_gateway_stage",
            json!({"stage_name": "prod", "client_certificate_id": null, "xray_tracing_enabled": false, "access_log_settings": [{"destination_arn": format!("arn:aws:logs:eu-west-1:{ACCOUNT}:log-group:api-access"), "format": "$context.requestId $context.identity.sourceIp"}], "tags": null}),
            json!({"arn": true, "id": true, "invoke_url": true, "execution_arn": true, "rest_api_id": true, "deployment_id": true, "web_acl_arn": true, "tags_all": true, "access_log_settings": [{}]}),
            json!({"stage_name": {"constant_value": "prod"}}),
        ),
        (
            "aws_api_gateway_method.get_orders",
            "aws_api_gateway_method",
            json!({"http_method": "GET", "authorization": "NONE", "api_key_required": false, "authorizer_id": null}),
            json!({"id": true, "resource_id": true, "rest_api_id": true}),
            json!({"http_method": {"constant_value": "GET"}, "authorization": {"constant_value": "NONE"}}),
        ),
    ]);
    let template = cfn(json!({
        "prod": {"Type": "AWS::ApiGateway::Stage", "Properties": {"StageName": "prod", "RestApiId": {"Ref": "Api"}, "DeploymentId": {"Ref": "Deployment"},
            "AccessLogSetting": {"DestinationArn": format!("arn:aws:logs:eu-west-1:{ACCOUNT}:log-group:api-access"), "Format": "$context.requestId $context.identity.sourceIp"}}},
        "get_orders": {"Type": "AWS::ApiGateway::Method", "Properties": {"HttpMethod": "GET", "AuthorizationType": "NONE", "RestApiId": {"Ref": "Api"}, "ResourceId": {"Ref": "Orders"}}}
    }));
    let stage = item(
        "AWS::ApiGateway::Stage",
        "prod",
        "arn:aws:apigateway:eu-west-1::/restapis/a1b2c3/stages/prod",
        json!({"stageName": "prod", "deploymentId": "d1", "tracingEnabled": false, "accessLogSettings": {"destinationArn": format!("arn:aws:logs:eu-west-1:{ACCOUNT}:log-group:api-access"), "format": "$context.requestId"}}),
        json!({}),
    );
    agree(&Scenario {
        name: "stage with access logs, no client certificate",
        kind: "api_stage",
        resource: "prod",
        docs: vec![("api.tfplan.json", tf.clone()), ("api.cfn.json", template.clone()), ("api.config.json", snapshot(vec![stage]))],
        checks: &[("aws_api_stage_access_logging", Pass, false), ("aws_api_stage_client_certificate", Fail, false)],
        except: &[],
    });
    agree(&Scenario {
        name: "GET method without authorization",
        kind: "api_method",
        resource: "get_orders",
        docs: vec![("api.tfplan.json", tf), ("api.cfn.json", template)],
        checks: &[("aws_api_method_authorization", Fail, false)],
        except: &[],
    });
}

// ---------------------------------------------------------------------------
// Load balancers and listeners.

#[test]
fn load_balancer_and_listeners() {
    let lb_arn = format!("arn:aws:elasticloadbalancing:eu-west-1:{ACCOUNT}:loadbalancer/app/web/50dc6c495c0c9188");
    let tf = plan(vec![
        (
            "aws_lb.web",
            "aws_lb",
            json!({"name": "web", "internal": false, "load_balancer_type": "application", "drop_invalid_header_fields": true, "enable_deletion_protection": false,
                "access_logs": [{"bucket": "acme-lb-logs", "enabled": true, "prefix": "web"}], "subnets": ["subnet-1", "subnet-2"], "tags": null}),
            json!({"arn": true, "id": true, "dns_name": true, "security_groups": true, "zone_id": true, "tags_all": true, "access_logs": [{}]}),
            json!({"name": {"constant_value": "web"}, "drop_invalid_header_fields": {"constant_value": true}}),
        ),
        (
            "aws_lb_listener.http",
            "aws_lb_listener",
            json!({"port": 80, "protocol": "HTTP", "ssl_policy": null, "certificate_arn": null, "default_action": [{"type": "redirect", "redirect": [{"protocol": "HTTPS", "port": "443", "status_code": "HTTP_301", "host": "#{host}", "path": "/#{path}", "query": "#{query}"}], "target_group_arn": null, "forward": [], "fixed_response": []}], "tags": null}),
            json!({"arn": true, "id": true, "load_balancer_arn": true, "default_action": [{"redirect": [{}]}], "tags_all": true}),
            json!({"port": {"constant_value": 80}, "protocol": {"constant_value": "HTTP"}}),
        ),
        (
            "aws_lb_listener.https",
            "aws_lb_listener",
            json!({"port": 443, "protocol": "HTTPS", "ssl_policy": "ELBSecurityPolicy-2016-08", "certificate_arn": format!("arn:aws:acm:eu-west-1:{ACCOUNT}:certificate/abc"), "default_action": [{"type": "forward", "redirect": [], "forward": [], "fixed_response": []}], "tags": null}),
            json!({"arn": true, "id": true, "load_balancer_arn": true, "default_action": [{"target_group_arn": true}], "tags_all": true}),
            json!({"port": {"constant_value": 443}, "protocol": {"constant_value": "HTTPS"}, "ssl_policy": {"constant_value": "ELBSecurityPolicy-2016-08"}}),
        ),
    ]);
    let template = cfn(json!({
        "web": {"Type": "AWS::ElasticLoadBalancingV2::LoadBalancer", "Properties": {"Name": "web", "Subnets": ["subnet-1", "subnet-2"], "LoadBalancerAttributes": [
            {"Key": "access_logs.s3.enabled", "Value": "true"}, {"Key": "access_logs.s3.bucket", "Value": "acme-lb-logs"},
            {"Key": "routing.http.drop_invalid_header_fields.enabled", "Value": "true"}]}},
        "http": {"Type": "AWS::ElasticLoadBalancingV2::Listener", "Properties": {"LoadBalancerArn": {"Ref": "web"}, "Port": 80, "Protocol": "HTTP",
            "DefaultActions": [{"Type": "redirect", "RedirectConfig": {"Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"}}]}},
        "https": {"Type": "AWS::ElasticLoadBalancingV2::Listener", "Properties": {"LoadBalancerArn": {"Ref": "web"}, "Port": 443, "Protocol": "HTTPS", "SslPolicy": "ELBSecurityPolicy-2016-08",
            "Certificates": [{"CertificateArn": format!("arn:aws:acm:eu-west-1:{ACCOUNT}:certificate/abc")}], "DefaultActions": [{"Type": "forward", "TargetGroupArn": {"Ref": "Targets"}}]}}
    }));
    let lb = item(
        "AWS::ElasticLoadBalancingV2::LoadBalancer",
        "web",
        &lb_arn,
        json!({"loadBalancerArn": lb_arn, "loadBalancerName": "web", "scheme": "internet-facing", "type": "application", "vpcId": "vpc-1", "state": {"code": "active"}}),
        json!({"LoadBalancerAttributes": [
            {"key": "access_logs.s3.enabled", "value": "true"}, {"key": "access_logs.s3.bucket", "value": "acme-lb-logs"},
            {"key": "deletion_protection.enabled", "value": "false"}, {"key": "routing.http.drop_invalid_header_fields.enabled", "value": "true"}]}),
    );
    let listener = |name: &str, protocol: &str, policy: Option<&str>, actions: Value| {
        let arn = format!("arn:aws:elasticloadbalancing:eu-west-1:{ACCOUNT}:listener/app/web/50dc6c495c0c9188/{name}");
        let mut c = json!({"ListenerArn": arn, "LoadBalancerArn": lb_arn, "Protocol": protocol, "DefaultActions": actions});
        if let Some(p) = policy {
            c["SslPolicy"] = json!(p);
        }
        item("AWS::ElasticLoadBalancingV2::Listener", name, &arn, c, json!({}))
    };
    let items = snapshot(vec![
        lb,
        listener("http", "HTTP", None, json!([{"Type": "redirect", "Order": 1, "RedirectConfig": {"Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"}}])),
        listener("https", "HTTPS", Some("ELBSecurityPolicy-2016-08"), json!([{"Type": "forward", "Order": 1, "TargetGroupArn": "arn:tg"}])),
    ]);
    let docs = vec![("web.tfplan.json", tf), ("web.cfn.json", template), ("web.config.json", items)];
    agree(&Scenario {
        name: "application load balancer",
        kind: "load_balancer",
        resource: "web",
        docs: docs.clone(),
        // The provider writes `enable_deletion_protection = false` into the plan: only the template rests on a default.
        checks: &[("aws_lb_access_logging", Pass, false), ("aws_lb_drop_invalid_headers", Pass, false), ("aws_lb_deletion_protection", Fail, false)],
        except: &[],
    });
    agree(&Scenario {
        name: "HTTP listener redirecting to HTTPS",
        kind: "lb_listener",
        resource: "http",
        docs: docs.clone(),
        checks: &[("aws_lb_listener_https", Pass, false), ("aws_lb_listener_tls12", Pass, false)],
        except: &[],
    });
    agree(&Scenario {
        name: "HTTPS listener with the 2016 policy",
        kind: "lb_listener",
        resource: "https",
        docs,
        checks: &[("aws_lb_listener_https", Pass, false), ("aws_lb_listener_tls12", Fail, false)],
        except: &[],
    });
}

// ---------------------------------------------------------------------------
// Caches (not recorded by AWS Config), warehouses, database clusters.

#[test]
fn cache_without_transit_encryption() {
    let tf = plan(vec![(
        "aws_elasticache_replication_group.sessions",
        "aws_elasticache_replication_group",
        json!({"replication_group_id": "sessions", "description": "sessions", "engine": "redis", "node_type": "cache.t4g.small", "at_rest_encryption_enabled": true, "transit_encryption_enabled": false, "tags": null}),
        json!({"arn": true, "id": true, "kms_key_id": true, "primary_endpoint_address": true, "tags_all": true}),
        json!({"replication_group_id": {"constant_value": "sessions"}, "at_rest_encryption_enabled": {"constant_value": true}}),
    )]);
    let template = cfn(json!({"sessions": {"Type": "AWS::ElastiCache::ReplicationGroup", "Properties": {
        "ReplicationGroupId": "sessions", "ReplicationGroupDescription": "sessions", "Engine": "redis", "CacheNodeType": "cache.t4g.small", "AtRestEncryptionEnabled": true}}}));
    agree(&Scenario {
        name: "cache encrypted at rest, plain in transit",
        kind: "cache_cluster",
        resource: "sessions",
        docs: vec![("sessions.tfplan.json", tf), ("sessions.cfn.json", template)],
        // The plan states `false` (the provider's default written out); the template leaves it to ElastiCache.
        checks: &[("aws_elasticache_encrypted_at_rest", Pass, false), ("aws_elasticache_encryption_in_transit", Fail, false), ("aws_elasticache_cmk_encryption", Fail, false)],
        except: &[],
    });
}

#[test]
fn warehouse_under_the_customers_key() {
    let tf = plan(vec![
        plan_key(),
        (
            "aws_redshift_cluster.bi",
            "aws_redshift_cluster",
            json!({"cluster_identifier": "bi", "node_type": "ra3.xlplus", "encrypted": true, "publicly_accessible": false, "master_username": "admin", "logging": [{"enable": true, "log_destination_type": "cloudwatch", "log_exports": ["connectionlog", "userlog", "useractivitylog"], "bucket_name": null, "s3_key_prefix": null}], "tags": null}),
            json!({"arn": true, "id": true, "kms_key_id": true, "endpoint": true, "tags_all": true, "logging": [{"log_exports": [false, false, false]}]}),
            merge(json!({"cluster_identifier": {"constant_value": "bi"}, "encrypted": {"constant_value": true}}), key_ref("kms_key_id")),
        ),
    ]);
    let template = cfn(with_key(json!({"bi": {"Type": "AWS::Redshift::Cluster", "Properties": {
        "ClusterIdentifier": "bi", "NodeType": "ra3.xlplus", "ClusterType": "single-node", "DBName": "bi", "MasterUsername": "admin", "ManageMasterPassword": true,
        "Encrypted": true, "KmsKeyId": {"Ref": "DataKey"}, "PubliclyAccessible": false,
        "LoggingProperties": {"DestinationType": "cloudwatch", "LogExports": ["connectionlog", "userlog", "useractivitylog"]}}}})));
    let cluster = item(
        "AWS::Redshift::Cluster",
        "bi",
        &format!("arn:aws:redshift:eu-west-1:{ACCOUNT}:cluster:bi"),
        json!({"clusterIdentifier": "bi", "nodeType": "ra3.xlplus", "encrypted": true, "kmsKeyId": key_arn(), "publiclyAccessible": false, "clusterStatus": "available"}),
        json!({"LoggingStatus": {"loggingEnabled": true, "logDestinationType": "cloudwatch"}}),
    );
    agree(&Scenario {
        name: "private, encrypted, logged warehouse",
        kind: "data_warehouse",
        resource: "bi",
        docs: vec![("bi.tfplan.json", tf), ("bi.cfn.json", template), ("bi.config.json", snapshot(vec![cluster, key_item("CUSTOMER")]))],
        checks: &[("aws_redshift_encrypted", Pass, false), ("aws_redshift_cmk_encryption", Pass, false), ("aws_redshift_not_public", Pass, false), ("aws_redshift_audit_logging", Pass, false)],
        except: &[],
    });
}

#[test]
fn aurora_cluster_on_defaults() {
    let tf = plan(vec![(
        "aws_rds_cluster.app",
        "aws_rds_cluster",
        json!({"cluster_identifier": "app", "engine": "aurora-postgresql", "engine_mode": "provisioned", "master_username": "app", "manage_master_user_password": true,
            "storage_encrypted": true, "deletion_protection": null, "backup_retention_period": 1, "enabled_cloudwatch_logs_exports": ["postgresql"], "skip_final_snapshot": false, "tags": null}),
        json!({"arn": true, "id": true, "kms_key_id": true, "endpoint": true, "reader_endpoint": true, "tags_all": true, "enabled_cloudwatch_logs_exports": [false]}),
        json!({"cluster_identifier": {"constant_value": "app"}, "storage_encrypted": {"constant_value": true}, "enabled_cloudwatch_logs_exports": {"constant_value": ["postgresql"]}}),
    )]);
    let template = cfn(json!({"app": {"Type": "AWS::RDS::DBCluster", "Properties": {
        "DBClusterIdentifier": "app", "Engine": "aurora-postgresql", "MasterUsername": "app", "ManageMasterUserPassword": true,
        "StorageEncrypted": true, "EnableCloudwatchLogsExports": ["postgresql"]}}}));
    let cluster = item(
        "AWS::RDS::DBCluster",
        "app",
        &format!("arn:aws:rds:eu-west-1:{ACCOUNT}:cluster:app"),
        json!({"dBClusterIdentifier": "app", "engine": "aurora-postgresql", "storageEncrypted": true, "kmsKeyId": format!("arn:aws:kms:eu-west-1:{ACCOUNT}:key/aws-rds-managed"),
            "deletionProtection": false, "backupRetentionPeriod": 1, "enabledCloudwatchLogsExports": ["postgresql"]}),
        json!({}),
    );
    agree(&Scenario {
        name: "Aurora cluster with the API's defaults",
        kind: "db_cluster",
        resource: "app",
        docs: vec![("app.tfplan.json", tf), ("app.cfn.json", template), ("app.config.json", snapshot(vec![cluster]))],
        checks: &[
            ("aws_db_cluster_encrypted", Pass, false),
            ("aws_db_cluster_deletion_protection", Fail, true),
            ("aws_db_cluster_backup_retention_7_days", Fail, false),
            ("aws_db_cluster_logs_exported", Pass, false),
            ("aws_db_cluster_cmk_encryption", Fail, false),
        ],
        // The live cluster names its key by ARN only, and the snapshot lacks that key.
        except: &[("app.config.json", "aws_db_cluster_cmk_encryption", Unknown)],
    });
}

// ---------------------------------------------------------------------------
// Launch templates, subnets, security group egress.

#[test]
fn launch_template_and_subnet() {
    let tf = plan(vec![
        (
            "aws_launch_template.web",
            "aws_launch_template",
            json!({"name": "web", "image_id": "ami-0abcdef1234567890", "instance_type": "t3.micro", "metadata_options": [{"http_endpoint": "enabled", "http_tokens": "required", "http_put_response_hop_limit": 1}], "network_interfaces": [], "tags": null}),
            json!({"arn": true, "id": true, "latest_version": true, "default_version": true, "metadata_options": [{"http_protocol_ipv6": true, "instance_metadata_tags": true}], "tags_all": true}),
            json!({"name": {"constant_value": "web"}, "metadata_options": [{"http_tokens": {"constant_value": "required"}}]}),
        ),
        (
            "aws_subnet.public",
            "aws_subnet",
            json!({"vpc_id": "vpc-0a1b2c3d", "cidr_block": "10.0.1.0/24", "map_public_ip_on_launch": true, "tags": null}),
            json!({"arn": true, "id": true, "availability_zone": true, "owner_id": true, "tags_all": true}),
            json!({"cidr_block": {"constant_value": "10.0.1.0/24"}, "map_public_ip_on_launch": {"constant_value": true}}),
        ),
    ]);
    let template = cfn(json!({
        "web": {"Type": "AWS::EC2::LaunchTemplate", "Properties": {"LaunchTemplateName": "web", "LaunchTemplateData": {"ImageId": "ami-0abcdef1234567890", "InstanceType": "t3.micro", "MetadataOptions": {"HttpTokens": "required", "HttpEndpoint": "enabled"}}}},
        "public": {"Type": "AWS::EC2::Subnet", "Properties": {"VpcId": "vpc-0a1b2c3d", "CidrBlock": "10.0.1.0/24", "MapPublicIpOnLaunch": true}}
    }));
    let items = snapshot(vec![
        item(
            "AWS::EC2::LaunchTemplate",
            "web",
            &format!("arn:aws:ec2:eu-west-1:{ACCOUNT}:launch-template/lt-0a1b2c3d"),
            json!({"LaunchTemplateName": "web", "LaunchTemplateData": {"ImageId": "ami-0abcdef1234567890", "InstanceType": "t3.micro", "MetadataOptions": {"HttpTokens": "required", "HttpEndpoint": "enabled"}}}),
            json!({}),
        ),
        item(
            "AWS::EC2::Subnet",
            "public",
            &format!("arn:aws:ec2:eu-west-1:{ACCOUNT}:subnet/subnet-0a1b2c3d"),
            json!({"subnetId": "subnet-0a1b2c3d", "vpcId": "vpc-0a1b2c3d", "cidrBlock": "10.0.1.0/24", "mapPublicIpOnLaunch": true, "state": "available"}),
            json!({}),
        ),
    ]);
    let docs = vec![("net.tfplan.json", tf), ("net.cfn.json", template), ("net.config.json", items)];
    agree(&Scenario { name: "template requiring IMDSv2", kind: "launch_template", resource: "web", docs: docs.clone(), checks: &[("aws_launch_template_imdsv2", Pass, false)], except: &[] });
    agree(&Scenario { name: "subnet mapping public IPs", kind: "subnet", resource: "public", docs, checks: &[("aws_subnet_no_public_ip_on_launch", Fail, false)], except: &[] });
}

#[test]
fn security_group_egress() {
    let all = json!([{"cidr_blocks": ["0.0.0.0/0"], "description": "", "from_port": 0, "ipv6_cidr_blocks": [], "prefix_list_ids": [], "protocol": "-1", "security_groups": [], "self": false, "to_port": 0}]);
    let tf = plan(vec![(
        "aws_security_group.app",
        "aws_security_group",
        json!({"name": "app", "description": "app", "vpc_id": "vpc-0a1b2c3d", "ingress": [], "egress": all, "revoke_rules_on_delete": false, "tags": null}),
        json!({"arn": true, "id": true, "owner_id": true, "name_prefix": true, "tags_all": true, "egress": [{"cidr_blocks": [false], "ipv6_cidr_blocks": [], "prefix_list_ids": [], "security_groups": []}], "ingress": []}),
        json!({"name": {"constant_value": "app"}, "egress": {"constant_value": all}}),
    )]);
    let template = cfn(json!({"app": {"Type": "AWS::EC2::SecurityGroup", "Properties": {"GroupName": "app", "GroupDescription": "app", "VpcId": "vpc-0a1b2c3d"}}}));
    let sg = |name: &str, egress: Value| {
        item(
            "AWS::EC2::SecurityGroup",
            name,
            &format!("arn:aws:ec2:eu-west-1:{ACCOUNT}:security-group/sg-{name}"),
            json!({"groupName": name, "groupId": format!("sg-{name}"), "vpcId": "vpc-0a1b2c3d", "description": name, "ipPermissions": [], "ipPermissionsEgress": egress}),
            json!({}),
        )
    };
    let open = json!([{"ipProtocol": "-1", "ipv6Ranges": [], "prefixListIds": [], "userIdGroupPairs": [], "ipv4Ranges": [{"cidrIp": "0.0.0.0/0"}], "ipRanges": ["0.0.0.0/0"]}]);
    agree(&Scenario {
        name: "group allowing all egress",
        kind: "firewall",
        resource: "app",
        docs: vec![("sg.tfplan.json", tf), ("sg.cfn.json", template), ("sg.config.json", snapshot(vec![sg("app", open)]))],
        checks: &[("aws_firewall_no_unrestricted_egress", Fail, false)],
        except: &[],
    });
    // Terraform removes AWS's default egress rule from a group whose configuration lists none.
    let tf = plan(vec![(
        "aws_security_group.db",
        "aws_security_group",
        json!({"name": "db", "description": "db", "vpc_id": "vpc-0a1b2c3d", "revoke_rules_on_delete": false, "tags": null}),
        json!({"arn": true, "id": true, "owner_id": true, "name_prefix": true, "tags_all": true, "egress": true, "ingress": true}),
        json!({"name": {"constant_value": "db"}}),
    )]);
    let template = cfn(json!({"db": {"Type": "AWS::EC2::SecurityGroup", "Properties": {"GroupName": "db", "GroupDescription": "db", "VpcId": "vpc-0a1b2c3d",
        "SecurityGroupEgress": [{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": "10.0.0.0/8"}]}}}));
    let narrow = json!([{"ipProtocol": "tcp", "fromPort": 443, "toPort": 443, "ipv6Ranges": [], "prefixListIds": [], "userIdGroupPairs": [], "ipv4Ranges": [{"cidrIp": "10.0.0.0/8"}], "ipRanges": ["10.0.0.0/8"]}]);
    agree(&Scenario {
        name: "group without open egress",
        kind: "firewall",
        resource: "db",
        docs: vec![("db.tfplan.json", tf), ("db.cfn.json", template), ("db.config.json", snapshot(vec![sg("db", narrow)]))],
        checks: &[("aws_firewall_no_unrestricted_egress", Pass, false)],
        except: &[],
    });
}

// ---------------------------------------------------------------------------
// Detection and recording services.

#[test]
fn guardduty_and_config_recorder() {
    let tf = plan(vec![
        (
            "aws_guardduty_detector.primary",
            "aws_guardduty_detector",
            json!({"enable": true, "finding_publishing_frequency": "SIX_HOURS", "tags": null}),
            json!({"account_id": true, "arn": true, "id": true, "datasources": true, "tags_all": true}),
            json!({"enable": {"constant_value": true}}),
        ),
        (
            "aws_config_configuration_recorder.main",
            "aws_config_configuration_recorder",
            json!({"name": "main", "role_arn": format!("arn:aws:iam::{ACCOUNT}:role/config"), "recording_group": [{"all_supported": true, "include_global_resource_types": true, "exclusion_by_resource_types": [], "recording_strategy": [{"use_only": "ALL_SUPPORTED_RESOURCE_TYPES"}], "resource_types": []}], "recording_mode": []}),
            json!({"id": true, "recording_group": [{"exclusion_by_resource_types": [], "recording_strategy": [{}], "resource_types": []}], "recording_mode": []}),
            json!({"name": {"constant_value": "main"}, "recording_group": [{"all_supported": {"constant_value": true}, "include_global_resource_types": {"constant_value": true}}]}),
        ),
    ]);
    let template = cfn(json!({
        "primary": {"Type": "AWS::GuardDuty::Detector", "Properties": {"Enable": true, "FindingPublishingFrequency": "SIX_HOURS"}},
        "main": {"Type": "AWS::Config::ConfigurationRecorder", "Properties": {"Name": "main", "RoleARN": format!("arn:aws:iam::{ACCOUNT}:role/config"), "RecordingGroup": {"AllSupported": true, "IncludeGlobalResourceTypes": true}}}
    }));
    let items = snapshot(vec![
        item("AWS::GuardDuty::Detector", "primary", &format!("arn:aws:guardduty:eu-west-1:{ACCOUNT}:detector/12abc34d567e8fa901bc2d34e56789f0"), json!({"Enable": true, "FindingPublishingFrequency": "SIX_HOURS", "Id": "12abc34d567e8fa901bc2d34e56789f0"}), json!({})),
        item("AWS::Config::ConfigurationRecorder", "main", &format!("arn:aws:config:eu-west-1:{ACCOUNT}:config-recorder/main"), json!({"Name": "main", "RoleARN": format!("arn:aws:iam::{ACCOUNT}:role/config"), "RecordingGroup": {"AllSupported": true, "IncludeGlobalResourceTypes": true, "ResourceTypes": []}, "Recording": true}), json!({})),
    ]);
    let docs = vec![("detect.tfplan.json", tf), ("detect.cfn.json", template), ("detect.config.json", items)];
    agree(&Scenario { name: "enabled detector", kind: "threat_detector", resource: "primary", docs: docs.clone(), checks: &[("aws_guardduty_enabled", Pass, false)], except: &[] });
    agree(&Scenario { name: "recorder of everything", kind: "config_recorder", resource: "main", docs, checks: &[("aws_config_recorder_all_resources", Pass, false)], except: &[] });
}

// ---------------------------------------------------------------------------
// Keys of volumes, buckets, databases and clusters.

#[test]
fn customer_keys_of_storage_and_clusters() {
    // EBS: a state with its key; the template's key; the snapshot's key item.
    let tf_state = state(vec![
        ("aws_kms_key.data", "aws_kms_key", json!({"arn": key_arn(), "key_id": KEY_ID, "id": KEY_ID, "enable_key_rotation": true, "is_enabled": true, "deletion_window_in_days": 30, "policy": ""})),
        ("aws_ebs_volume.data", "aws_ebs_volume", json!({"id": "vol-0a1b2c3d", "availability_zone": "eu-west-1a", "size": 100, "encrypted": true, "kms_key_id": key_arn(), "type": "gp3"})),
    ]);
    let template = cfn(with_key(json!({"data": {"Type": "AWS::EC2::Volume", "Properties": {"AvailabilityZone": "eu-west-1a", "Size": 100, "Encrypted": true, "KmsKeyId": {"Ref": "DataKey"}}}})));
    let volume = item("AWS::EC2::Volume", "data", &format!("arn:aws:ec2:eu-west-1:{ACCOUNT}:volume/vol-0a1b2c3d"), json!({"volumeId": "vol-0a1b2c3d", "size": 100, "encrypted": true, "kmsKeyId": key_arn(), "volumeType": "gp3"}), json!({}));
    agree(&Scenario {
        name: "volume under the customer's key",
        kind: "block_volume",
        resource: "data",
        docs: vec![("vol.tfstate.json", tf_state), ("vol.cfn.json", template), ("vol.config.json", snapshot(vec![volume, key_item("CUSTOMER")]))],
        checks: &[("aws_ebs_volume_cmk_encryption", Pass, false)],
        except: &[],
    });
    // S3: the split encryption resource naming the plan's key.
    let tf = plan(vec![
        plan_key(),
        (
            "aws_s3_bucket.records",
            "aws_s3_bucket",
            json!({"bucket": "acme-records", "force_destroy": false, "tags": null, "timeouts": null}),
            json!({"acceleration_status": true, "acl": true, "arn": true, "bucket_domain_name": true, "grant": true, "id": true, "logging": true, "object_lock_configuration": true, "object_lock_enabled": true, "policy": true, "region": true, "server_side_encryption_configuration": true, "tags_all": true, "versioning": true}),
            json!({"bucket": {"constant_value": "acme-records"}}),
        ),
        (
            "aws_s3_bucket_server_side_encryption_configuration.records",
            "aws_s3_bucket_server_side_encryption_configuration",
            json!({"bucket": "acme-records", "expected_bucket_owner": null, "rule": [{"apply_server_side_encryption_by_default": [{"sse_algorithm": "aws:kms"}], "bucket_key_enabled": true}]}),
            json!({"id": true, "rule": [{"apply_server_side_encryption_by_default": [{"kms_master_key_id": true}]}]}),
            json!({"bucket": {"references": ["aws_s3_bucket.records.id", "aws_s3_bucket.records"]}, "rule": [{"apply_server_side_encryption_by_default": [{"sse_algorithm": {"constant_value": "aws:kms"}, "kms_master_key_id": {"references": ["aws_kms_key.data.arn", "aws_kms_key.data"]}}]}]}),
        ),
    ]);
    let template = cfn(with_key(json!({"records": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "acme-records",
        "BucketEncryption": {"ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": {"Fn::GetAtt": ["DataKey", "Arn"]}}, "BucketKeyEnabled": true}]}}}})));
    let bucket = item(
        "AWS::S3::Bucket",
        "acme-records",
        "arn:aws:s3:::acme-records",
        json!({"name": "acme-records", "owner": {"id": "f00d"}, "creationDate": "2026-12-06T09:10:02.000Z"}),
        json!({
            "BucketVersioningConfiguration": {"status": "Off"}, "BucketLoggingConfiguration": {"destinationBucketName": null},
            "PublicAccessBlockConfiguration": {"blockPublicAcls": true, "ignorePublicAcls": true, "blockPublicPolicy": true, "restrictPublicBuckets": true},
            "ServerSideEncryptionConfiguration": {"rules": [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": "aws:kms", "kmsMasterKeyID": key_arn()}, "bucketKeyEnabled": true}]}
        }),
    );
    agree(&Scenario {
        name: "bucket under the customer's key",
        kind: "object_bucket",
        resource: "acme-records",
        docs: vec![("records.tfplan.json", tf), ("records.cfn.json", template), ("records.config.json", snapshot(vec![bucket, key_item("CUSTOMER")]))],
        checks: &[("aws_s3_bucket_cmk_encryption", Pass, false), ("aws_s3_bucket_replication", Fail, true)],
        except: &[],
    });
    // RDS: encrypted without a key names aws/rds.
    let tf = plan(vec![(
        "aws_db_instance.app",
        "aws_db_instance",
        json!({"identifier": "app", "engine": "postgres", "instance_class": "db.t4g.micro", "allocated_storage": 20, "storage_encrypted": true, "publicly_accessible": false, "tags": null}),
        json!({"arn": true, "id": true, "kms_key_id": true, "endpoint": true, "tags_all": true}),
        json!({"identifier": {"constant_value": "app"}, "storage_encrypted": {"constant_value": true}}),
    )]);
    let template = cfn(json!({"app": {"Type": "AWS::RDS::DBInstance", "Properties": {"DBInstanceIdentifier": "app", "Engine": "postgres", "DBInstanceClass": "db.t4g.micro", "AllocatedStorage": "20", "StorageEncrypted": true}}}));
    agree(&Scenario {
        name: "database under aws/rds",
        kind: "database",
        resource: "app",
        docs: vec![("rds.tfplan.json", tf), ("rds.cfn.json", template)],
        checks: &[("aws_rds_instance_cmk_encryption", Fail, true)],
        except: &[],
    });
    // EKS: envelope encryption with the plan's key.
    let tf = plan(vec![
        plan_key(),
        (
            "aws_eks_cluster.main",
            "aws_eks_cluster",
            json!({"name": "main", "role_arn": format!("arn:aws:iam::{ACCOUNT}:role/eks"), "enabled_cluster_log_types": ["api", "audit"], "encryption_config": [{"resources": ["secrets"], "provider": [{}]}], "vpc_config": [{"endpoint_private_access": true, "endpoint_public_access": false, "subnet_ids": ["subnet-1", "subnet-2"]}], "tags": null}),
            json!({"arn": true, "id": true, "endpoint": true, "encryption_config": [{"provider": [{"key_arn": true}], "resources": [false]}], "vpc_config": [{"cluster_security_group_id": true, "public_access_cidrs": true, "vpc_id": true, "subnet_ids": [false, false]}], "tags_all": true}),
            json!({"name": {"constant_value": "main"}, "encryption_config": [{"resources": {"constant_value": ["secrets"]}, "provider": [{"key_arn": {"references": ["aws_kms_key.data.arn", "aws_kms_key.data"]}}]}]}),
        ),
    ]);
    let template = cfn(with_key(json!({"main": {"Type": "AWS::EKS::Cluster", "Properties": {"Name": "main", "RoleArn": format!("arn:aws:iam::{ACCOUNT}:role/eks"),
        "ResourcesVpcConfig": {"SubnetIds": ["subnet-1", "subnet-2"], "EndpointPublicAccess": false, "EndpointPrivateAccess": true},
        "EncryptionConfig": [{"Resources": ["secrets"], "Provider": {"KeyArn": {"Fn::GetAtt": ["DataKey", "Arn"]}}}]}}})));
    let cluster = item(
        "AWS::EKS::Cluster",
        "main",
        &format!("arn:aws:eks:eu-west-1:{ACCOUNT}:cluster/main"),
        json!({"Name": "main", "Arn": format!("arn:aws:eks:eu-west-1:{ACCOUNT}:cluster/main"), "ResourcesVpcConfig": {"EndpointPublicAccess": false, "EndpointPrivateAccess": true, "SubnetIds": ["subnet-1", "subnet-2"]},
            "EncryptionConfig": [{"Resources": ["secrets"], "Provider": {"KeyArn": key_arn()}}]}),
        json!({}),
    );
    agree(&Scenario {
        name: "cluster envelope-encrypting its secrets",
        kind: "k8s_cluster",
        resource: "main",
        docs: vec![("eks.tfplan.json", tf), ("eks.cfn.json", template), ("eks.config.json", snapshot(vec![cluster, key_item("CUSTOMER")]))],
        checks: &[("aws_eks_secrets_cmk_encryption", Pass, false)],
        except: &[],
    });
}
