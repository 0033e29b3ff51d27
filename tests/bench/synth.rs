//! Synthetic exports for benchmarks: realistic Terraform plans and AWS Config
//! snapshots of any size (deterministic; no randomness).

use std::fmt::Write as _;

/// A `terraform show -json` plan with `n` resources (a mix of S3 buckets,
/// security groups, instances, databases and KMS keys), about 1.1 KB each.
pub fn terraform_plan(n: usize) -> String {
    let mut planned = String::with_capacity(n * 600);
    let mut changes = String::with_capacity(n * 900);
    for i in 0..n {
        let (ty, values) = match i % 5 {
            0 => ("aws_s3_bucket", format!(r#"{{"bucket":"data-{i}","acl":"private","force_destroy":false,"tags":{{"env":"prod","team":"t{t}"}},"versioning":[{{"enabled":{v},"mfa_delete":false}}],"server_side_encryption_configuration":[{{"rule":[{{"apply_server_side_encryption_by_default":[{{"sse_algorithm":"aws:kms","kms_master_key_id":"arn:aws:kms:eu-west-1:111122223333:key/{i}"}}],"bucket_key_enabled":true}}]}}],"logging":[]}}"#, t = i % 7, v = i % 3 != 0)),
            1 => ("aws_security_group", format!(r#"{{"name":"sg-{i}","description":"service {i}","vpc_id":"vpc-{v}","ingress":[{{"from_port":443,"to_port":443,"protocol":"tcp","cidr_blocks":["0.0.0.0/0"],"ipv6_cidr_blocks":[],"description":"https","prefix_list_ids":[],"security_groups":[],"self":false}},{{"from_port":22,"to_port":22,"protocol":"tcp","cidr_blocks":["{c}"],"ipv6_cidr_blocks":[],"description":"ssh","prefix_list_ids":[],"security_groups":[],"self":false}}],"egress":[{{"from_port":0,"to_port":0,"protocol":"-1","cidr_blocks":["0.0.0.0/0"]}}],"tags":{{"env":"prod"}}}}"#, v = i % 13, c = if i % 4 == 0 { "0.0.0.0/0" } else { "10.0.0.0/8" })),
            2 => ("aws_instance", format!(r#"{{"ami":"ami-0abcdef{i}","instance_type":"t3.medium","associate_public_ip_address":{p},"monitoring":true,"metadata_options":[{{"http_endpoint":"enabled","http_tokens":"{tok}","http_put_response_hop_limit":1}}],"root_block_device":[{{"encrypted":true,"volume_size":50,"volume_type":"gp3"}}],"tags":{{"Name":"app-{i}"}}}}"#, p = i % 2 == 0, tok = if i % 3 == 0 { "optional" } else { "required" })),
            3 => ("aws_db_instance", format!(r#"{{"identifier":"db-{i}","engine":"postgres","engine_version":"15.4","instance_class":"db.t3.medium","allocated_storage":100,"storage_encrypted":{e},"publicly_accessible":false,"backup_retention_period":{b},"multi_az":true,"deletion_protection":true,"auto_minor_version_upgrade":true,"tags":{{"env":"prod"}}}}"#, e = i % 4 != 0, b = i % 10)),
            _ => ("aws_kms_key", format!(r#"{{"description":"key {i}","enable_key_rotation":{r},"deletion_window_in_days":30,"is_enabled":true,"key_usage":"ENCRYPT_DECRYPT","customer_master_key_spec":"SYMMETRIC_DEFAULT","tags":{{"env":"prod"}}}}"#, r = i % 2 == 0)),
        };
        let addr = format!("{ty}.r{i}");
        if i > 0 {
            planned.push(',');
            changes.push(',');
        }
        let _ = write!(planned, r#"{{"address":"{addr}","mode":"managed","type":"{ty}","name":"r{i}","provider_name":"registry.terraform.io/hashicorp/aws","schema_version":0,"values":{values},"sensitive_values":{{}}}}"#);
        let _ = write!(changes, r#"{{"address":"{addr}","mode":"managed","type":"{ty}","name":"r{i}","provider_name":"registry.terraform.io/hashicorp/aws","change":{{"actions":["create"],"before":null,"after":{values},"after_unknown":{{"id":true,"arn":true}},"before_sensitive":false,"after_sensitive":{{}}}}}}"#);
    }
    format!(r#"{{"format_version":"1.2","terraform_version":"1.6.6","planned_values":{{"root_module":{{"resources":[{planned}]}}}},"resource_changes":[{changes}],"configuration":{{"provider_config":{{"aws":{{"name":"aws","full_name":"registry.terraform.io/hashicorp/aws"}}}}}}}}"#)
}

/// An AWS Config delivered snapshot with `n` configuration items.
pub fn aws_config_snapshot(n: usize) -> String {
    let mut items = String::with_capacity(n * 1400);
    for i in 0..n {
        if i > 0 {
            items.push(',');
        }
        let (ty, id, conf, supp) = match i % 3 {
            0 => ("AWS::S3::Bucket", format!("bucket-{i}"), format!(r#"{{"name":"bucket-{i}","owner":{{"displayName":null,"id":"abc"}},"creationDate":"2024-01-01T00:00:00.000Z"}}"#), format!(r#"{{"BucketVersioningConfiguration":{{"status":"{v}","isMfaDeleteEnabled":null}},"BucketLoggingConfiguration":{{"destinationBucketName":null,"logFilePrefix":null}},"ServerSideEncryptionConfiguration":{{"rules":[{{"applyServerSideEncryptionByDefault":{{"sseAlgorithm":"AES256","kmsMasterKeyID":null}},"bucketKeyEnabled":false}}]}},"PublicAccessBlockConfiguration":{{"blockPublicAcls":true,"ignorePublicAcls":true,"blockPublicPolicy":true,"restrictPublicBuckets":true}}}}"#, v = if i % 2 == 0 { "Enabled" } else { "Off" })),
            1 => ("AWS::EC2::SecurityGroup", format!("sg-{i:08x}"), format!(r#"{{"description":"sg {i}","groupName":"sg-{i}","ipPermissions":[{{"fromPort":22,"ipProtocol":"tcp","ipv6Ranges":[],"prefixListIds":[],"toPort":22,"userIdGroupPairs":[],"ipv4Ranges":[{{"cidrIp":"{c}"}}],"ipRanges":["{c}"]}}],"ownerId":"111122223333","groupId":"sg-{i:08x}","ipPermissionsEgress":[],"tags":[],"vpcId":"vpc-1"}}"#, c = if i % 5 == 0 { "0.0.0.0/0" } else { "10.1.0.0/16" }), "{}".to_string()),
            _ => ("AWS::EC2::Instance", format!("i-{i:016x}"), format!(r#"{{"instanceId":"i-{i:016x}","instanceType":"m5.large","imageId":"ami-1","metadataOptions":{{"state":"applied","httpTokens":"{t}","httpPutResponseHopLimit":1,"httpEndpoint":"enabled"}},"publicIpAddress":{p},"monitoring":{{"state":"disabled"}},"state":{{"code":16,"name":"running"}}}}"#, t = if i % 2 == 0 { "required" } else { "optional" }, p = if i % 4 == 0 { "\"54.1.2.3\"" } else { "null" }), "{}".to_string()),
        };
        let _ = write!(items, r#"{{"relatedEvents":[],"relationships":[],"configuration":{conf},"supplementaryConfiguration":{supp},"tags":{{"env":"prod"}},"configurationItemVersion":"1.3","configurationItemCaptureTime":"2026-01-01T00:00:00.000Z","configurationStateId":{i},"awsAccountId":"111122223333","configurationItemStatus":"OK","resourceType":"{ty}","resourceId":"{id}","resourceName":"{id}","ARN":"arn:aws:x:eu-west-1:111122223333:{id}","awsRegion":"eu-west-1","availabilityZone":"Not Applicable","configurationStateMd5Hash":""}}"#);
    }
    format!(r#"{{"fileVersion":"1.0","configSnapshotId":"00000000-0000-0000-0000-000000000000","configurationItems":[{items}]}}"#)
}
