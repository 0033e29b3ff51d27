//! Synthetic findings files of other scanners for the benchmarks: `n`
//! findings shaped like the real samples in `tests/fixtures/scanners/`
//! (Prowler OCSF, Security Hub ASFF, Checkov JSON, SARIF), over a few dozen
//! check ids (mapped and unmapped) and `n` distinct resources.

use std::fmt::Write;

const PROWLER: [&str; 6] = [
    "s3_bucket_default_encryption",
    "cloudtrail_multi_region_enabled",
    "ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_22",
    "iam_user_mfa_enabled_console_access",
    "rds_instance_storage_encrypted",
    "accessanalyzer_enabled",
];
const CHECKOV: [&str; 6] = ["CKV_AWS_19", "CKV_AWS_21", "CKV_AWS_18", "CKV2_AWS_6", "CKV2_AWS_62", "CKV_AWS_144"];
const SH: [&str; 6] = ["S3.5", "S3.8", "EC2.19", "IAM.5", "CloudTrail.2", "Lambda.1"];

/// A Prowler OCSF array of `n` detection findings (about 1.9 KB each).
pub fn prowler_ocsf(n: usize) -> String {
    let mut s = String::with_capacity(n * 2_000);
    s.push('[');
    for i in 0..n {
        let check = PROWLER[i % PROWLER.len()];
        let status = if i % 3 == 0 { "PASS" } else { "FAIL" };
        if i > 0 {
            s.push(',');
        }
        let _ = write!(
            s,
            r#"
  {{
    "message": "Resource bucket-{i} \"{check}\" finding \u00e9 with escapes\\n.",
    "metadata": {{"event_code": "{check}", "product": {{"name": "Prowler", "uid": "prowler", "vendor_name": "Prowler", "version": "5.4.0"}}, "profiles": ["cloud", "datetime"], "tenant_uid": "", "version": "1.4.0"}},
    "severity_id": 3, "severity": "Medium", "status": "New", "status_code": "{status}", "status_detail": "Bucket bucket-{i} is checked by {check}.", "status_id": 1,
    "unmapped": {{"related_url": "https://docs.aws.amazon.com/AmazonS3/latest/userguide/", "categories": ["encryption"], "depends_on": [], "related_to": [], "additional_urls": [], "notes": "",
      "compliance": {{"CIS-2.0": ["2.1.1"], "ISO27001-2013": ["A.10.1"], "KISA-ISMS-P-2023": ["2.7.1", "2.10.2"], "NIST-800-53-Revision-5": ["sc_28", "sc_13", "au_9_3"], "ENS-RD2022": ["mp.si.2.aws.s3.1"]}}}},
    "activity_name": "Create", "activity_id": 1,
    "finding_info": {{"created_time": 1739539623, "created_time_dt": "2025-02-14T14:27:03.913874", "desc": "Check S3 Bucket default encryption", "product_uid": "prowler", "title": "Check if S3 buckets have default encryption (SSE) enabled", "types": ["Data Protection"], "uid": "prowler-aws-{check}-123456789012-eu-west-1-bucket-{i}"}},
    "resources": [{{"cloud_partition": "aws", "region": "eu-west-1", "data": {{"details": "", "metadata": {{"name": "bucket-{i}", "arn": "arn:aws:s3:::bucket-{i}"}}}}, "group": {{"name": "s3"}}, "labels": [], "name": "bucket-{i}", "type": "AwsS3Bucket", "uid": "arn:aws:s3:::bucket-{i}"}}],
    "category_name": "Findings", "category_uid": 2, "class_name": "Detection Finding", "class_uid": 2004,
    "cloud": {{"account": {{"name": "", "type": "AWS Account", "type_id": 10, "uid": "123456789012", "labels": []}}, "org": {{"name": "", "uid": ""}}, "provider": "aws", "region": "eu-west-1"}},
    "remediation": {{"desc": "Ensure that S3 buckets have encryption at rest enabled.", "references": ["aws s3api put-bucket-encryption --bucket <bucket_name>", "https://docs.aws.amazon.com/AmazonS3/latest/userguide/default-bucket-encryption.html"]}},
    "risk_details": "Amazon S3 default encryption provides a way to set the default encryption behavior for an S3 bucket.",
    "time": 1739539623, "time_dt": "2025-02-14T14:27:03.913874", "type_uid": 200401, "type_name": "Detection Finding: Create"
  }}"#
        );
    }
    s.push_str("\n]\n");
    s
}

/// `aws securityhub get-findings` output with `n` findings (about 1.6 KB each).
pub fn securityhub_asff(n: usize) -> String {
    let mut s = String::with_capacity(n * 1_700);
    s.push_str("{\n  \"Findings\": [");
    for i in 0..n {
        let control = SH[i % SH.len()];
        let status = if i % 3 == 0 { "PASSED" } else { "FAILED" };
        if i > 0 {
            s.push(',');
        }
        let _ = write!(
            s,
            r#"
    {{
      "SchemaVersion": "2018-10-08", "Id": "arn:aws:securityhub:eu-west-1:123456789012:security-control/{control}/finding/{i:08x}-0000-4000-8000-000000000000",
      "ProductArn": "arn:aws:securityhub:eu-west-1::product/aws/securityhub", "ProductName": "Security Hub", "CompanyName": "AWS", "Region": "eu-west-1",
      "GeneratorId": "security-control/{control}", "AwsAccountId": "123456789012", "Types": ["Software and Configuration Checks/Industry and Regulatory Standards"],
      "FirstObservedAt": "2025-01-01T00:00:00.000Z", "LastObservedAt": "2025-02-01T00:00:00.000Z", "CreatedAt": "2025-01-01T00:00:00.000Z", "UpdatedAt": "2025-02-01T00:00:00.000Z",
      "Severity": {{"Label": "MEDIUM", "Normalized": 40, "Original": "MEDIUM"}},
      "Title": "Control {control} title", "Description": "This control checks whether resource {i} meets {control}.",
      "Remediation": {{"Recommendation": {{"Text": "For information on how to correct this issue, consult the AWS Security Hub controls documentation.", "Url": "https://docs.aws.amazon.com/console/securityhub/{control}/remediation"}}}},
      "ProductFields": {{"RelatedAWSResources:0/name": "securityhub-rule-{i}", "aws/securityhub/ProductName": "Security Hub", "aws/securityhub/CompanyName": "AWS", "aws/securityhub/FindingId": "x-{i}"}},
      "Resources": [{{"Type": "AwsS3Bucket", "Id": "arn:aws:s3:::bucket-{i}", "Partition": "aws", "Region": "eu-west-1", "Details": {{"AwsS3Bucket": {{"OwnerId": "abc", "CreatedAt": "2024-01-01T00:00:00.000Z"}}}}}}],
      "Compliance": {{"Status": "{status}", "RelatedRequirements": ["NIST.800-53.r5 SC-8", "NIST.800-53.r5 SC-13"], "SecurityControlId": "{control}", "AssociatedStandards": [{{"StandardsId": "standards/aws-foundational-security-best-practices/v/1.0.0"}}]}},
      "WorkflowState": "NEW", "Workflow": {{"Status": "NEW"}}, "RecordState": "ACTIVE"
    }}"#
        );
    }
    s.push_str("\n  ]\n}\n");
    s
}

/// A Checkov report with `n` results (about 1.2 KB each, `code_block` short).
pub fn checkov(n: usize) -> String {
    let mut passed = String::new();
    let mut failed = String::new();
    for i in 0..n {
        let check = CHECKOV[i % CHECKOV.len()];
        let (list, result) = if i % 3 == 0 { (&mut passed, "PASSED") } else { (&mut failed, "FAILED") };
        if !list.is_empty() {
            list.push(',');
        }
        let _ = write!(
            list,
            r#"
   {{"check_id": "{check}", "bc_check_id": "BC_AWS_S3_{i}", "check_name": "Ensure the S3 bucket condition {check}", "check_result": {{"result": "{result}", "evaluated_keys": ["server_side_encryption_configuration/[0]/rule/[0]/apply_server_side_encryption_by_default/[0]/sse_algorithm"]}},
    "code_block": [[1, "resource \"aws_s3_bucket\" \"b{i}\" {{\n"], [2, "  bucket = \"bucket-{i}\"\n"], [3, "}}\n"]], "file_path": "/main.tf", "file_abs_path": "/src/main.tf", "repo_file_path": "/main.tf", "file_line_range": [1, 3],
    "resource": "aws_s3_bucket.b{i}", "evaluations": null, "check_class": "checkov.terraform.checks.resource.aws.S3Encryption", "fixed_definition": null, "entity_tags": null, "caller_file_path": null, "caller_file_line_range": null,
    "resource_address": "aws_s3_bucket.b{i}", "severity": null, "bc_category": null, "benchmarks": null, "description": null, "short_description": null, "vulnerability_details": null, "connected_node": null,
    "guideline": "https://docs.prismacloud.io/en/enterprise-edition/policy-reference/aws-policies/s3-policies/s3-14-data-encrypted-at-rest", "details": [], "check_len": null, "definition_context_file_path": "/src/main.tf"}}"#
        );
    }
    format!(
        "{{\n \"check_type\": \"terraform\",\n \"results\": {{\n  \"passed_checks\": [{passed}\n  ],\n  \"failed_checks\": [{failed}\n  ],\n  \"skipped_checks\": [],\n  \"parsing_errors\": []\n }},\n \"summary\": {{\"passed\": 0, \"failed\": 0, \"skipped\": 0, \"parsing_errors\": 0, \"resource_count\": {n}, \"checkov_version\": \"3.3.30\"}},\n \"url\": \"Add an api key '--bc-api-key <api-key>' to see more detailed insights via https://bridgecrew.cloud\"\n}}\n"
    )
}

/// A SARIF log of one run (Trivy-like misconfiguration results) with `n` results.
pub fn sarif(n: usize) -> String {
    let ids = ["AVD-AWS-0088", "AVD-AWS-0089", "AVD-AWS-0090", "AVD-AWS-0107", "AVD-AWS-0086", "AVD-AWS-0999"];
    let mut s = String::with_capacity(n * 800 + 4_000);
    s.push_str(r#"{"version": "2.1.0", "$schema": "https://raw.githubusercontent.com/oasis-tcs/sarif-spec/main/sarif-2.1/schema/sarif-schema-2.1.0.json", "runs": [{"tool": {"driver": {"name": "Trivy", "version": "0.58.1", "informationUri": "https://github.com/aquasecurity/trivy", "rules": ["#);
    for (i, id) in ids.iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        let _ = write!(
            s,
            r#"
  {{"id": "{id}", "name": "Misconfiguration", "shortDescription": {{"text": "Rule {id}"}}, "fullDescription": {{"text": "Rule {id} in full."}}, "defaultConfiguration": {{"level": "error"}}, "helpUri": "https://avd.aquasec.com/misconfig/{id}", "help": {{"text": "Misconfiguration {id}\nType: Terraform Security Check", "markdown": "**Misconfiguration {id}**"}}, "properties": {{"precision": "very-high", "security-severity": "8.0", "tags": ["misconfiguration", "security", "HIGH"]}}}}"#
        );
    }
    s.push_str("]}}, \"results\": [");
    for i in 0..n {
        let r = i % ids.len();
        if i > 0 {
            s.push(',');
        }
        let _ = write!(
            s,
            r#"
  {{"ruleId": "{}", "ruleIndex": {r}, "level": "error", "message": {{"text": "Artifact: main.tf\nType: terraform\nVulnerability {}\nSeverity: HIGH\nMessage: Bucket b{i} does not have encryption enabled\nLink: [{}](https://avd.aquasec.com/misconfig/{})"}},
   "locations": [{{"physicalLocation": {{"artifactLocation": {{"uri": "modules/m{}/main.tf", "uriBaseId": "ROOTPATH"}}, "region": {{"startLine": {}, "startColumn": 1, "endLine": {}, "endColumn": 1}}}}, "message": {{"text": "modules/m{}/main.tf"}}}}]}}"#,
            ids[r], ids[r], ids[r], ids[r], i / 50, 1 + i % 400, 5 + i % 400, i / 50
        );
    }
    s.push_str("\n], \"columnKind\": \"utf16CodeUnits\", \"originalUriBaseIds\": {\"ROOTPATH\": {\"uri\": \"file:///src/\"}}}]}\n");
    s
}
