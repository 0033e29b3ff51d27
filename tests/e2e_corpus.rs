//! Parser → checks integration on real exports (tests/fixtures/ingest, copied
//! from shared/corpus with their sources): the resources that the fixtures'
//! own projects call valid or invalid must pass or fail the matching check,
//! as SOURCES.md says. One table, one helper.

use iso27017::checks::{Context, RuleSet};
use iso27017::engine::{self, Assessment};
use iso27017::ingest::Limits;
use iso27017::model::Status;
use std::path::Path;

fn assess(rel: &str) -> Assessment {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ingest").join(rel);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let a = engine::assess_files([(rel, bytes.as_slice())], &Limits::default(), RuleSet::bundled(), &Context::on(2026, 6, 1));
    if let Some(e) = &a.inputs[0].error {
        panic!("{rel}: {e}");
    }
    a
}

/// Does a finding's resource match `want`: its full id, its name, or the last
/// segment of its address (`aws_s3_bucket.b`, `…/b`)? Empty matches any.
fn names(id: &str, name: &str, want: &str) -> bool {
    want.is_empty()
        || id == want
        || name == want
        || id.ends_with(&format!(".{want}"))
        || id.ends_with(&format!("/{want}"))
}

/// (fixture, check, resource id, name or address tail, expected status)
fn check(rows: &[(&str, &str, &str, Status)]) {
    let mut failures = Vec::new();
    let mut cache: Vec<(&str, Assessment)> = Vec::new();
    for (file, check, resource, want) in rows {
        if !cache.iter().any(|(f, _)| f == file) {
            cache.push((file, assess(file)));
        }
        let a = &cache.iter().find(|(f, _)| f == file).unwrap().1;
        let matching: Vec<_> = a
            .findings
            .iter()
            .filter(|f| f.check.as_str() == *check && names(&f.resource.id, &f.resource.name, resource))
            .collect();
        if matching.is_empty() {
            let ids: Vec<_> = a.findings.iter().filter(|f| f.check.as_str() == *check).map(|f| f.resource.id.clone()).collect();
            failures.push(format!("{file}: no {check} finding for {resource} (have {ids:?})"));
            continue;
        }
        let got = Status::combine(matching.iter().map(|f| f.status));
        if got != *want {
            failures.push(format!("{file}: {check} on {resource}: expected {}, got {} — {}", want.as_str(), got.as_str(), matching[0].message));
        }
    }
    assert!(failures.is_empty(), "{} mismatch(es):\n{}", failures.len(), failures.join("\n"));
}

use Status::{Fail, Indeterminate, Pass};

#[test]
fn terraform_fixtures_match_their_sources() {
    check(&[
        // No encryption block: S3 has encrypted every new object with SSE-S3 since 2023-01-05
        // (the fixture predates it; `ingest::defaults`), so the bucket passes and says why.
        ("terraform/bucket_sse_infra.json", "object_storage_encrypted_at_rest", "aws_s3_bucket.unencrypted", Pass),
        ("terraform/bucket_sse_infra.json", "object_storage_encrypted_at_rest", "aws_s3_bucket.aes_encrypted", Pass),
        ("terraform/bucket_sse_infra.json", "object_storage_encrypted_at_rest", "aws_s3_bucket.kms_encrypted", Pass),
        ("terraform/ingress_anywhere_infra.json", "firewall_only_web_ports_public", "aws_security_group.invalid_allow_all", Fail),
        ("terraform/ingress_anywhere_infra.json", "firewall_only_web_ports_public", "aws_security_group.invalid_include_443", Fail),
        ("terraform/ingress_anywhere_infra.json", "firewall_only_web_ports_public", "aws_security_group.invalid_include_80", Fail),
        ("terraform/ingress_anywhere_infra.json", "firewall_only_web_ports_public", "aws_security_group.valid_exact_443", Pass),
        ("terraform/ingress_anywhere_infra.json", "firewall_only_web_ports_public", "aws_security_group.valid_exact_80", Pass),
        ("terraform/key_rotation_infra.json", "kms_key_rotation_enabled", "aws_kms_key.invalid", Fail),
        ("terraform/key_rotation_infra.json", "kms_key_rotation_enabled", "aws_kms_key.valid", Pass),
        ("terraform/log_file_validation_infra.json", "audit_trail_log_file_validation", "aws_cloudtrail.invalid_trail", Fail),
        ("terraform/log_file_validation_infra.json", "audit_trail_log_file_validation", "aws_cloudtrail.valid_trail", Pass),
        ("terraform/account_secure_transfer_infra.json", "storage_account_https_only", "invalidstorageaccount1", Fail),
        ("terraform/account_secure_transfer_infra.json", "storage_account_https_only", "invalidstorageaccount2", Fail),
        ("terraform/account_secure_transfer_infra.json", "storage_account_https_only", "validstorageaccount1", Pass),
        ("terraform/container_private_access_infra.json", "blob_container_not_public", "invalidcontainer1", Fail),
        ("terraform/container_private_access_infra.json", "blob_container_not_public", "validcontainer1", Pass),
        ("terraform/cryptokey_rotate_infra.json", "kms_key_rotation_enabled", "google_kms_crypto_key.valid_key_1", Pass),
        ("terraform/cryptokey_rotate_infra.json", "kms_key_rotation_enabled", "google_kms_crypto_key.invalid_key_1", Fail),
        ("terraform/subnet_flow_log_enabled_infra.json", "network_flow_logs_enabled", "valid-subnet-1", Pass),
        ("terraform/subnet_flow_log_enabled_infra.json", "network_flow_logs_enabled", "valid-subnet-2", Pass),
        ("terraform/subnet_flow_log_enabled_infra.json", "network_flow_logs_enabled", "invalid-subnet-1", Fail),
        ("terraform/checkov_GoogleComputeDefaultServiceAccountFullAccess_bad.json", "gcp_instance_no_default_sa_full_access", "google_compute_instance.bad3", Fail),
    ]);
}

#[test]
fn aws_fixtures_match_their_sources() {
    check(&[
        ("aws-config/AWS_EC2_SecurityGroup.json", "firewall_admin_ports_not_public", "launch-wizard-7", Fail),
        ("aws-config/AWS_EC2_Instance.json", "aws_instance_imdsv2_required", "", Fail),
        ("aws-config/AWS_RDS_DBInstance.json", "database_not_publicly_accessible", "", Fail),
        ("aws-config/AWS_RDS_DBInstance.json", "database_encrypted_at_rest", "", Pass),
        ("aws-config/AWS_Cloudtrail_Trail.json", "audit_trail_log_file_validation", "", Pass),
        ("aws-config/AWS_S3_Bucket.json", "object_bucket_versioning", "", Pass),
        ("aws-config/AWS_S3_Bucket.json", "object_bucket_access_logging", "", Fail),
        // Its policy denies non-TLS requests on the bucket ARN only, not on `bucket/*`: object
        // reads and writes over plain HTTP are still allowed, so the bucket is not TLS-only.
        ("aws-config/AWS_S3_Bucket.json", "object_bucket_tls_only", "", Fail),
        ("cloudformation/EC2InstanceWithSecurityGroupSample.yaml", "firewall_admin_ports_not_public", "InstanceSecurityGroup", Fail),
        // No MetadataOptions: the AMI and the account's default decide, neither is in the template.
        ("cloudformation/EC2InstanceWithSecurityGroupSample.yaml", "aws_instance_imdsv2_required", "EC2Instance", Indeterminate),
        ("cloudformation/regula_cfn_invalid_log_validation_with_valid_infra.yaml", "audit_trail_log_file_validation", "InvalidCloudTrailLogging", Fail),
        ("cloudformation/regula_cfn_invalid_log_validation_with_valid_infra.yaml", "audit_trail_log_file_validation", "ValidCloudTrailLogging", Pass),
        // Written before S3's 2023 defaults: a bucket created from them today is encrypted
        // (SSE-S3) and blocks public access (all four settings on for new buckets).
        ("cloudformation/s3-server-side-encryption-template-non-compliant.yaml", "object_storage_encrypted_at_rest", "", Pass),
        ("cloudformation/s3-public-read-prohibited-template-non-compliant.yaml", "object_bucket_public_access_blocked", "", Pass),
    ]);
}

#[test]
fn azure_gcp_and_kubernetes_fixtures_match_their_sources() {
    check(&[
        ("azure/security_group_no_inbound_22_infra.json", "firewall_admin_ports_not_public", "RegulaSG1", Fail),
        ("azure/account_secure_transfer_infra.json", "storage_account_https_only", "invalid", Fail),
        ("azure/account_secure_transfer_infra.json", "storage_account_https_only", "invaliddefault", Fail),
        ("azure/account_secure_transfer_infra.json", "storage_account_https_only", "valid", Pass),
        ("azure/account_secure_transfer_infra.json", "storage_account_https_only", "validdefault", Pass),
        ("azure/account_secure_transfer_infra.json", "storage_account_https_only", "validolder", Pass),
        // regula's "no disk encryption" means no key of the customer's (no disk encryption
        // set, no Azure Disk Encryption): Azure encrypts every managed disk with platform keys.
        ("azure/disk_encryption_infra.json", "block_volume_encrypted", "reguladisk4", Pass),
        ("azure/disk_encryption_infra.json", "azure_managed_disk_customer_key", "reguladisk4", Fail),
        ("azure/disk_encryption_infra.json", "azure_managed_disk_customer_key", "reguladisk2", Pass),
        ("azure/disk_encryption_infra.json", "vm_disk_encrypted", "regulavm3", Pass),
        ("azure/disk_encryption_infra.json", "azure_vm_disk_customer_key_or_host_encryption", "regulavm3", Fail),
        ("azure/storageAccountDefaultNetworkAccessDeny-FAILED2.json", "storage_account_network_default_deny", "", Fail),
        ("azure/custodian_storageAccounts_list_extracted.json", "storage_account_https_only", "", Fail),
        ("gcp-cai/storage_bucket_world_readable_data.json", "object_storage_not_public", "my-test-bucket", Fail),
        ("gcp-cai/storage_bucket_world_readable_data.json", "object_storage_not_public", "my-second-test-bucket", Fail),
        ("gcp-cai/sql_ssl_data.json", "database_require_tls", "sql-instance-without-ssl", Fail),
        ("gcp-cai/sql_ssl_data.json", "database_require_tls", "sql-instance-without-ipconfig", Fail),
        ("gcp-cai/cmek_rotation_data.json", "kms_key_rotation_enabled", "rotation-never", Fail),
        ("gcp-cai/cmek_rotation_data.json", "kms_key_rotation_enabled", "rotation-400-days", Fail),
        ("gcp-cai/cmek_rotation_data.json", "kms_key_rotation_enabled", "rotation-30-days", Pass),
        ("gcp-cai/restricted_firewall_rules_sources_data.json", "firewall_no_unrestricted_ingress", "", Fail),
        ("k8s/regula_privileged_containers_invalid_example.yaml", "k8s_no_privileged_containers", "", Fail),
        ("k8s/checkov_privilegedPod-FAILED.yaml", "k8s_no_privileged_containers", "", Fail),
        ("k8s/regula_root_containers_invalid_example.yaml", "k8s_no_root_containers", "", Fail),
        ("k8s/regula_role_wildcards_invalid_example.yaml", "k8s_rbac_no_wildcards", "", Fail),
        ("k8s/checkov_ReadOnlyFilesystem_frontend-replicaset-FAILED.yaml", "k8s_container_read_only_root_filesystem", "", Fail),
        ("k8s/checkov_ReadOnlyFilesystem_pod-readonly-PASSED.yaml", "k8s_container_read_only_root_filesystem", "", Pass),
        ("k8s/checkov_Seccomp_pod-seccomp-FAILED.yaml", "k8s_container_seccomp_profile", "", Fail),
        ("k8s/checkov_Seccomp_cronjob-seccomp-securityContext-PASSED.yaml", "k8s_container_seccomp_profile", "", Pass),
        ("k8s/checkov_RbacBindRoleBindings_clusterrole-failed-1.yaml", "k8s_rbac_no_escalation_verbs", "", Fail),
        ("k8s/checkov_RbacBindRoleBindings_role-passed-2.yaml", "k8s_rbac_no_escalation_verbs", "", Pass),
        ("k8s/checkov_AllowedCapabilitiesSysAdmin_pod-FAILED.yaml", "k8s_container_no_sys_admin", "", Fail),
        ("k8s/checkov_ServiceAccountTokensFAILED.yaml", "k8s_workload_no_service_account_token", "pod1", Fail),
        ("k8s/checkov_ServiceAccountTokensFAILED.yaml", "k8s_workload_no_service_account_token", "pod2", Fail),
        ("k8s/checkov_ServiceAccountTokensPASSED.yaml", "k8s_workload_no_service_account_token", "", Pass),
        ("k8s/checkov_DefaultServiceAccountBinding-FAILED.yaml", "k8s_rbac_default_service_account_unbound", "", Fail),
        ("k8s/checkov_DefaultServiceAccountBinding-PASSED.yaml", "k8s_rbac_default_service_account_unbound", "", Pass),
    ]);
}

#[test]
fn iam_reports_find_admins_and_missing_mfa() {
    let a = assess("aws-iam/custodian_credential_report_extracted.csv");
    let root: Vec<_> = a.findings.iter().filter(|f| f.resource.kind == "root_account").collect();
    assert!(!root.is_empty(), "the root account is assessed");
    assert!(a.findings.iter().any(|f| f.check.as_str() == "iam_user_console_mfa" && f.status == Fail), "some console users lack MFA");
    let authz = assess("aws-iam/example-authz-details.json");
    assert!(authz.findings.iter().any(|f| f.check.as_str() == "iam_user_no_direct_admin" && f.resource.name == "obama" && f.status == Fail));
}

#[test]
fn every_fixture_loads_and_every_finding_points_into_its_input() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ingest");
    let mut total = 0;
    for dir in std::fs::read_dir(&root).unwrap().flatten() {
        for file in std::fs::read_dir(dir.path()).unwrap().flatten() {
            let p = file.path();
            if p.extension().is_some_and(|e| e == "md") {
                continue;
            }
            let rel = p.strip_prefix(&root).unwrap().to_string_lossy().to_string();
            let a = assess(&rel);
            total += a.inputs[0].resources;
            for f in &a.findings {
                assert_eq!(f.resource.source.file, rel);
                assert!(f.resource.source.pointer.starts_with("/") || f.resource.source.pointer.is_empty(), "{rel}: {}", f.resource.source.pointer);
                assert!(!f.controls.is_empty());
            }
        }
    }
    assert!(total > 100, "resources read from the fixtures: {total}");
}
