//! AWS ingest: AWS Config items, IAM credential report, account authorization
//! details and CloudFormation templates, read from real exports in
//! `tests/fixtures/ingest/{aws-config,aws-iam,cloudformation}/` (see the
//! SOURCES.md there) through the public `iso27017::ingest::parse`.

use iso27017::checks::policy::holds;
use iso27017::ingest::{parse, Format, Limits, Parsed};
use iso27017::inventory::{DiagnosticLevel, Prop, Resource};
use serde_json::{json, Value};

mod common;
use common::{from_str, judge, judge_doubt, judged_at, load, res, val};
use iso27017::checks::policy::Judgement::{Admin, DeniesInsecureTransport as Tls, Public};

/// The pointer of the AdministratorAccess document in an authorization-details export.
fn admin_doc(p: &Parsed) -> String {
    let e = val(p, "arn:aws:iam::aws:policy/AdministratorAccess", "policies");
    e[0]["pointer"].as_str().unwrap().to_string()
}

fn pointer(p: &Parsed, key: &str, prop: &str) -> String {
    res(p, key).prop(prop).map(|x| x.pointer().to_string()).unwrap_or_default()
}

/// Does the `ingress` of a firewall open `port` (tcp) to the whole internet?
fn open_to_world(p: &Parsed, key: &str, port: u64) -> bool {
    let rules = val(p, key, "ingress");
    rules.as_array().expect("ingress is a list").iter().any(|r| {
        let open = r["sources"].as_array().is_some_and(|s| s.iter().any(|x| x == "0.0.0.0/0" || x == "::/0"));
        let proto = r["protocol"].as_str().unwrap_or("");
        let from = r["from_port"].as_u64().unwrap_or(u64::MAX);
        let to = r["to_port"].as_u64().unwrap_or(0);
        open && (proto == "tcp" || proto == "all") && (from..=to).contains(&port)
    })
}

// ---------------------------------------------------------------- AWS Config

#[test]
fn config_security_group_open_ssh() {
    let p = load("aws-config", "AWS_EC2_SecurityGroup.json");
    assert_eq!(p.format, Format::AwsConfig);
    let sg = res(&p, "arn:aws:ec2:us-east-1:264683526309:security-group/sg-1d56fc66");
    assert_eq!((sg.kind.as_str(), sg.name.as_str()), ("firewall", "launch-wizard-7"));
    assert_eq!(sg.region.as_deref(), Some("us-east-1"));
    assert_eq!(sg.account.as_deref(), Some("264683526309"));
    assert_eq!(val(&p, "launch-wizard-7", "ingress"), json!([{"protocol": "tcp", "from_port": 22, "to_port": 22, "sources": ["0.0.0.0/0"], "action": "allow"}]));
    assert_eq!(pointer(&p, "launch-wizard-7", "ingress"), "/configuration/ipPermissions");
    assert!(open_to_world(&p, "launch-wizard-7", 22));
}

#[test]
fn config_instance_imdsv1() {
    let p = load("aws-config", "AWS_EC2_Instance.json");
    let id = "arn:aws:ec2:us-east-1:681361479661:instance/i-03402838daac1d611";
    assert_eq!(res(&p, id).kind, "virtual_machine");
    assert_eq!(val(&p, id, "imdsv2_required"), json!(false));
    assert_eq!(pointer(&p, id, "imdsv2_required"), "/configuration/metadataOptions/httpTokens");
    assert_eq!(val(&p, id, "public_ip"), json!(true));
}

#[test]
fn config_rds_public_but_encrypted() {
    let p = load("aws-config", "AWS_RDS_DBInstance.json");
    let db = res(&p, "myrdstest");
    assert_eq!((db.kind.as_str(), db.id.as_str()), ("database", "arn:aws:rds:us-east-1:264683526309:db:myrdstest"));
    assert_eq!(val(&p, "myrdstest", "publicly_accessible"), json!(true));
    assert_eq!(val(&p, "myrdstest", "encryption_at_rest"), json!(true));
    assert_eq!(val(&p, "myrdstest", "backup_retention_days"), json!(7));
    assert_eq!(val(&p, "myrdstest", "multi_az"), json!(true));
    assert_eq!(val(&p, "myrdstest", "auto_minor_version_upgrade"), json!(true));
    assert!(res(&p, "myrdstest").prop("deletion_protection").is_none(), "the 2016 item does not record it");
}

#[test]
fn config_cloudtrail_and_kms() {
    let p = load("aws-config", "AWS_Cloudtrail_Trail.json");
    let t = "APJCCloudTrail";
    assert_eq!(res(&p, t).kind, "audit_trail");
    assert_eq!(val(&p, t, "log_file_validation"), json!(true));
    assert_eq!(val(&p, t, "multi_region"), json!(true));
    assert_eq!(val(&p, t, "kms_encrypted"), json!(false));
    assert_eq!(val(&p, t, "cloudwatch_integration"), json!(false));

    let k = load("aws-config", "AWS_KMS_Key.json");
    let key = res(&k, "arn:aws:kms:us-east-1:123456789012:key/test");
    assert_eq!(key.kind, "kms_key");
    assert!(key.prop("rotation_enabled").is_none(), "rotation is not in this CI, so it is left out");
    assert_eq!(val(&k, "test", "enabled"), json!(true));
}

#[test]
fn config_s3_rule_event_style() {
    let p = load("aws-config", "AWS_S3_Bucket.json");
    let b = "mborch-test-bucket-config-item";
    assert_eq!(res(&p, b).id, "arn:aws:s3:::mborch-test-bucket-config-item");
    assert_eq!(res(&p, b).account.as_deref(), Some("934654633380"));
    assert_eq!(val(&p, b, "versioning"), json!(true));
    assert_eq!(val(&p, b, "access_logging"), json!(false));
    // The policy denies non-TLS requests on the bucket ARN only, not on its objects.
    assert_eq!(judge(&p, b, "bucket_policy", Tls), Some(false));
    assert_eq!(pointer(&p, b, "bucket_policy"), "/supplementaryConfiguration/BucketPolicy/policyText");
    assert_eq!(val(&p, b, "bucket_policy")["Statement"][0]["Resource"], json!(["arn:aws:s3:::mborch-test-bucket-config-item"]));
    assert_eq!(val(&p, b, "public_access_blocked"), json!(false));
    assert_eq!(val(&p, b, "encryption_at_rest"), json!(false));
    assert_eq!(val(&p, b, "public_read"), json!(false));
}

#[test]
fn config_s3_api_style_string_encoded() {
    let p = load("aws-config", "custodian_config_s3.json");
    let b = "config-rule-sanity";
    assert_eq!(res(&p, b).id, "arn:aws:s3:::config-rule-sanity");
    assert_eq!(res(&p, b).account.as_deref(), Some("644160558196"));
    assert_eq!(res(&p, b).region.as_deref(), Some("us-east-2"));
    // supplementaryConfiguration values are JSON strings; AccessControlList is double-encoded.
    assert_eq!(val(&p, b, "versioning"), json!(false));
    assert_eq!(pointer(&p, b, "versioning"), "/supplementaryConfiguration/BucketVersioningConfiguration/status");
    assert_eq!(val(&p, b, "access_logging"), json!(false));
    assert_eq!(judge(&p, b, "bucket_policy", Tls), Some(false));
    assert_eq!(judge(&p, b, "bucket_policy", Public), Some(false));
    assert_eq!(val(&p, b, "public_read"), json!(false));
    assert!(p.diagnostics.iter().all(|d| d.level != DiagnosticLevel::Warning), "{:?}", p.diagnostics);
}

#[test]
fn config_rule_event_yields_rds() {
    let p = load("aws-config", "custodian_config_rds-from-rule.json");
    assert_eq!(p.inventory.resources.len(), 1);
    let db = res(&p, "c7n-data-index");
    assert_eq!((db.kind.as_str(), db.id.as_str()), ("database", "arn:aws:rds:us-east-1:644160558196:db:c7n-data-index"));
    assert_eq!(db.account.as_deref(), Some("644160558196"));
    assert_eq!(db.source.pointer, "/invokingEvent/configurationItem");
    assert_eq!(val(&p, "c7n-data-index", "publicly_accessible"), json!(true));
    assert_eq!(val(&p, "c7n-data-index", "encryption_at_rest"), json!(false));
    assert_eq!(val(&p, "c7n-data-index", "multi_az"), json!(false));
}

#[test]
fn config_history_placebo_yields_one_sg() {
    let p = load("aws-config", "custodian_sg_GetResourceConfigHistory_1.json");
    assert_eq!(p.format, Format::AwsConfig);
    // Two history items of the same group → one resource (newest configurationStateId).
    assert_eq!(p.inventory.resources.len(), 1);
    let sg = res(&p, "allow-access");
    assert_eq!(sg.id, "arn:aws:ec2:us-east-1:644160558196:security-group/sg-a38ed1de");
    assert_eq!(sg.source.pointer, "/configurationItems/0");
    assert!(open_to_world(&p, "allow-access", 8080));
    assert!(!open_to_world(&p, "allow-access", 443), "443 is open to 10.42.1.0/24 only");
    assert!(!open_to_world(&p, "allow-access", 22));
}

#[test]
fn config_iam_user_with_administrator_access() {
    let p = load("aws-config", "AWS_IAM_User.json");
    let u = res(&p, "johndoe");
    assert_eq!((u.kind.as_str(), u.id.as_str()), ("iam_user", "arn:aws:iam::112233445566:user/johndoe"));
    assert_eq!(judge(&p, "johndoe", "policies", Admin), Some(true));
    assert_eq!(judged_at(&p, "johndoe", "policies", Admin), "/configuration/attachedManagedPolicies/1");
    assert_eq!(val(&p, "johndoe", "inline_policy_count"), json!(1));
}

#[test]
fn config_malformed_items_are_diagnostics() {
    let text = r#"{"configurationItems": [
        {"resourceType": "AWS::EC2::Volume", "resourceId": "vol-1", "configuration": "{not json"},
        {"resourceType": "AWS::EC2::Volume", "configuration": {"encrypted": true}},
        {"resourceType": "AWS::EC2::Volume", "resourceId": "vol-2", "configuration": {"encrypted": "yes"}}
    ]}"#;
    let p = from_str("broken.json", text);
    assert_eq!(p.inventory.resources.len(), 2);
    assert_eq!(val(&p, "vol-2", "encryption_at_rest"), json!(true));
    assert!(res(&p, "vol-1").prop("encryption_at_rest").is_none());
    let warnings: Vec<_> = p.diagnostics.iter().filter(|d| d.level == DiagnosticLevel::Warning).collect();
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(warnings.iter().all(|d| d.source.as_ref().is_some_and(|s| s.pointer.starts_with("/configurationItems/"))));
}

// ----------------------------------------------------------- Credential report

fn check_credential_report(p: &Parsed) {
    assert_eq!(p.format, Format::AwsCredentialReport);
    let roots: Vec<_> = p.inventory.of_kind("root_account").collect();
    assert_eq!(roots.len(), 1);
    let users: Vec<_> = p.inventory.of_kind("iam_user").collect();
    // 20 user rows, christopher twice (same ARN): 19 users, the later row wins.
    assert_eq!(users.len(), 19);
    assert!(p.diagnostics.iter().any(|d| d.level == DiagnosticLevel::Warning && d.message.contains("christopher")));

    let root = "arn:aws:iam::644160558196:root";
    assert_eq!(res(p, root).name, "<root_account>");
    assert_eq!(res(p, root).source.line, Some(2));
    assert_eq!(val(p, root, "mfa_active"), json!(true));
    assert_eq!(val(p, root, "access_keys_active"), json!(0));
    assert_eq!(val(p, root, "password_last_used"), json!("2016-10-06T15:47:11+00:00"));
    assert_eq!(val(p, root, "access_key_last_used"), Value::Null);

    let with_mfa = ["anthony", "calvin", "chrissy", "david", "joshua", "mandeep", "matt", "rob", "ryanwolfe"];
    let without = ["Jennifer", "andrew", "c7n-iam-test", "c7n-test", "christopher", "jeff", "kapil", "kit", "scot", "steven"];
    for u in with_mfa {
        assert_eq!(val(p, u, "mfa_active"), json!(true), "{u}");
    }
    for u in without {
        assert_eq!(val(p, u, "mfa_active"), json!(false), "{u}");
    }
    assert_eq!(val(p, "c7n-iam-test", "console_access"), json!(false));
    assert_eq!(val(p, "andrew", "console_access"), json!(true));
    assert_eq!(val(p, "kit", "access_keys"), json!([
        {"active": true, "last_rotated": "2016-09-07T14:37:53+00:00", "last_used": "2016-11-22T17:07:00+00:00"},
        {"active": true, "last_rotated": "2016-09-30T12:43:53+00:00", "last_used": "2016-11-23T22:21:00+00:00"}
    ]));
    assert_eq!(val(p, "c7n-test", "access_keys"), json!([]));
    assert_eq!(val(p, "christopher", "password_last_used"), json!("2016-11-21T14:42:22+00:00"));
    assert_eq!(val(p, "jeff", "password_last_used"), Value::Null, "no_information → null");
    assert_eq!(res(p, "steven").source.line, Some(22));
    assert_eq!(pointer(p, "steven", "mfa_active"), "/20/mfa_active");
}

#[test]
fn credential_report_csv() {
    let p = load("aws-iam", "custodian_credential_report_extracted.csv");
    check_credential_report(&p);
}

#[test]
fn credential_report_api_json_wrapper() {
    let p = load("aws-iam", "iam.GetCredentialReport_1.json");
    check_credential_report(&p);
}

#[test]
fn credential_report_base64_content() {
    let csv = std::fs::read_to_string(format!("{}/tests/fixtures/ingest/aws-iam/custodian_credential_report_extracted.csv", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let doc = json!({"Content": base64(csv.as_bytes()), "ReportFormat": "text/csv", "GeneratedTime": "2016-11-25T00:00:00Z"});
    let p = from_str("report.json", &doc.to_string());
    check_credential_report(&p);
}

#[test]
fn credential_report_broken_rows_and_header() {
    let header = "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated";
    let good = "ok,arn:aws:iam::111111111111:user/ok,2020-01-01T00:00:00+00:00,false,N/A,N/A,N/A,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A";
    let text = format!("{header}\nbad,arn:aws:iam::111111111111:user/bad,too,few\n{good}");
    let p = from_str("r.csv", &text);
    assert_eq!(p.inventory.resources.len(), 1);
    assert_eq!(res(&p, "ok").source.line, Some(3));
    let d = p.diagnostics.iter().find(|d| d.level == DiagnosticLevel::Warning).expect("a warning for the short row");
    assert_eq!(d.source.as_ref().and_then(|s| s.line), Some(2));
    let err = parse("r.csv", b"user,arn,foo\nx,y,z\n", &Limits::default()).unwrap_err().to_string();
    assert!(err.contains("expected: user,arn,user_creation_time,password_enabled"), "{err}");
}

fn base64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(A[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

// --------------------------------------------------- Authorization details

#[test]
fn authorization_details_cloudsplaining() {
    let p = load("aws-iam", "example-authz-details.json");
    assert_eq!(p.format, Format::AwsAuthorizationDetails);
    assert_eq!(p.inventory.of_kind("iam_user").count(), 3);
    assert_eq!(p.inventory.of_kind("iam_group").count(), 2);
    assert_eq!(p.inventory.of_kind("iam_role").count(), 3);
    assert_eq!(p.inventory.of_kind("iam_policy").count(), 32);
    // Who is admin: obama (AdministratorAccess directly, and via group admin),
    // userwithlotsofpermissions (via group admin), group admin. Nobody else.
    let admins: Vec<&str> = p
        .inventory
        .resources
        .iter()
        .filter(|r| r.kind != "iam_policy" && holds(r.prop("policies"), Admin) == Some(true))
        .map(|r| r.name.as_str())
        .collect();
    assert_eq!(admins, vec!["admin", "obama", "userwithlotsofpermissions"]);
    // Evidence: the statement of the AdministratorAccess document the export carries.
    assert_eq!(judged_at(&p, "obama", "policies", Admin), format!("{}/Statement/0", admin_doc(&p)));
    assert_eq!(judged_at(&p, "userwithlotsofpermissions", "policies", Admin), format!("{}/Statement/0", admin_doc(&p)));
    for who in ["biden", "MyRole", "MyOtherRole", "OverprivilegedEC2"] {
        assert_eq!(judge(&p, who, "policies", Admin), Some(false), "{who}");
    }
    let group_biden = p.inventory.resources.iter().find(|r| r.kind == "iam_group" && r.name == "biden").unwrap();
    assert_eq!(holds(group_biden.prop("policies"), Admin), Some(false));
    for role in ["MyRole", "MyOtherRole", "OverprivilegedEC2"] {
        assert_eq!(judge(&p, role, "trust_policy", Public), Some(false), "{role}");
    }
    // Policies: only AdministratorAccess is a wildcard admin; PowerUserAccess
    // (Allow NotAction [iam:*, organizations:*, account:*]) keeps IAM out, so it is not.
    let wild: Vec<&str> = p
        .inventory
        .of_kind("iam_policy")
        .filter(|r| holds(r.prop("policies"), Admin) == Some(true))
        .map(|r| r.name.as_str())
        .collect();
    assert_eq!(wild, vec!["AdministratorAccess"]);
    assert_eq!(judge(&p, "arn:aws:iam::aws:policy/PowerUserAccess", "policies", Admin), Some(false));
    assert_eq!(val(&p, "arn:aws:iam::aws:policy/AdministratorAccess", "attached"), json!(true));
    assert_eq!(val(&p, "arn:aws:iam::012345678901:policy/InsecurePolicy", "attached"), json!(true));
}

#[test]
fn authorization_details_small() {
    let p = load("aws-iam", "example_authz_v2.json");
    // BlakeBortles is admin through group GOAT (AdministratorAccess); the roles are not.
    assert_eq!(judge(&p, "BlakeBortles", "policies", Admin), Some(true));
    let via_group = val(&p, "BlakeBortles", "policies");
    assert!(via_group.as_array().unwrap().iter().any(|e| e["group"] == json!("GOAT") && e["attachment"] == json!("/UserDetailList/0/GroupList/0")), "{via_group}");
    assert_eq!(judge(&p, "arn:aws:iam::012345678901:group/GOAT", "policies", Admin), Some(true));
    assert_eq!(judge(&p, "arn:aws:iam::012345678901:role/GOAT", "policies", Admin), Some(false));
    assert_eq!(judge(&p, "MyOtherRole", "policies", Admin), Some(false));
    assert_eq!(judge(&p, "MyOtherRole", "trust_policy", Public), Some(false));
    assert_eq!(judge(&p, "NotYourPolicy", "policies", Admin), Some(false));
    assert_eq!(val(&p, "NotYourPolicy", "attached"), json!(true));
}

#[test]
fn authorization_details_encoded_documents_and_not_action() {
    let admin_doc = "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22*%22%2C%22Resource%22%3A%22*%22%7D%5D%7D";
    let doc = json!({
        "UserDetailList": [
            {"UserName": "enc", "Arn": "arn:aws:iam::111111111111:user/enc", "UserPolicyList": [{"PolicyName": "p", "PolicyDocument": admin_doc}]},
            {"UserName": "na", "Arn": "arn:aws:iam::111111111111:user/na", "UserPolicyList": [{"PolicyName": "p", "PolicyDocument":
                {"Statement": [{"Effect": "Allow", "NotAction": ["s3:DeleteBucket"], "Resource": "*"}]}}]},
            {"UserName": "cust", "Arn": "arn:aws:iam::111111111111:user/cust", "AttachedManagedPolicies": [{"PolicyName": "All", "PolicyArn": "arn:aws:iam::111111111111:policy/All"}]},
            {"UserName": "gone", "Arn": "arn:aws:iam::111111111111:user/gone", "AttachedManagedPolicies": [{"PolicyName": "X", "PolicyArn": "arn:aws:iam::111111111111:policy/NotExported"}]}
        ],
        "RoleDetailList": [
            {"RoleName": "open", "Arn": "arn:aws:iam::111111111111:role/open", "AssumeRolePolicyDocument": "%7B%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Principal%22%3A%22*%22%2C%22Action%22%3A%22sts%3AAssumeRole%22%7D%5D%7D"}
        ],
        "Policies": [
            {"PolicyName": "All", "Arn": "arn:aws:iam::111111111111:policy/All", "DefaultVersionId": "v2", "AttachmentCount": 1,
             "PolicyVersionList": [{"VersionId": "v1", "IsDefaultVersion": false, "Document": {"Statement": []}},
                                   {"VersionId": "v2", "IsDefaultVersion": true, "Document": admin_doc}]}
        ]
    });
    let p = from_str("authz.json", &doc.to_string());
    assert_eq!(judge(&p, "enc", "policies", Admin), Some(true));
    assert_eq!(judge(&p, "na", "policies", Admin), Some(true));
    assert_eq!(judge(&p, "cust", "policies", Admin), Some(true));
    assert_eq!(judge(&p, "All", "policies", Admin), Some(true));
    // The document was URL-encoded text: evidence points at the document.
    assert_eq!(judged_at(&p, "All", "policies", Admin), "/Policies/0/PolicyVersionList/1/Document");
    assert!(judge_doubt(&p, "gone", "policies", Admin).contains("NotExported"));
    assert_eq!(judge(&p, "open", "trust_policy", Public), Some(true));
}

// ------------------------------------------------------------ CloudFormation

#[test]
fn cfn_sample_ssh_location_default_is_open() {
    let p = load("cloudformation", "EC2InstanceWithSecurityGroupSample.yaml");
    assert_eq!(p.format, Format::CloudFormation);
    let sg = res(&p, "InstanceSecurityGroup");
    assert_eq!((sg.kind.as_str(), sg.native_type.as_str()), ("firewall", "AWS::EC2::SecurityGroup"));
    assert_eq!(sg.source.line, Some(91));
    assert_eq!(sg.source.pointer, "/0/Resources/InstanceSecurityGroup");
    // SSHLocation defaults to 192.168.1.0/0: a /0 prefix is the whole internet.
    assert!(open_to_world(&p, "InstanceSecurityGroup", 22));
    assert_eq!(pointer(&p, "InstanceSecurityGroup", "ingress"), "/0/Resources/InstanceSecurityGroup/Properties/SecurityGroupIngress");
    let vm = res(&p, "EC2Instance");
    assert_eq!((vm.kind.as_str(), vm.source.line), ("virtual_machine", Some(79)));
    // No MetadataOptions: the AMI and the account's default decide, neither is in the template.
    assert!(matches!(res(&p, "EC2Instance").prop("imdsv2_required"), Some(iso27017::inventory::Prop::Unknown { reason, .. }) if reason.contains("ImdsSupport")));
}

#[test]
fn cfn_regula_ingress_22() {
    let p = load("cloudformation", "regula_cfn_ingress_22_infra.yaml");
    for sg in ["InvalidSecurityGroup01", "InvalidSecurityGroup02", "InvalidSecurityGroup03"] {
        assert!(open_to_world(&p, sg, 22), "{sg}");
    }
    assert_eq!(val(&p, "ValidSecurityGroup01", "ingress"), json!([]));
    assert!(!open_to_world(&p, "ValidSecurityGroup01", 22));
    assert_eq!(val(&p, "InvalidSecurityGroup04", "ingress"), json!([]));
    // The fixture's InvalidSecurityGroup04Ingress01 names `GroupId: !Ref ValidSecurityGroup04`,
    // so it is joined there (with ValidSecurityGroup04Ingress01's /32 rule): the group is open on 22.
    assert!(inventory_ids(&p).iter().all(|id| !id.ends_with("Ingress01")), "ingress resources are joined into their group");
    let v4 = val(&p, "ValidSecurityGroup04", "ingress");
    assert_eq!(v4.as_array().map(Vec::len), Some(2));
    assert!(open_to_world(&p, "ValidSecurityGroup04", 22));
    // IpProtocol -1 allows every port whatever FromPort/ToPort say (EC2 semantics),
    // so ValidSecurityGroup02/03 (regula only compares the ports 80-80) are open on 22 too.
    for sg in ["ValidSecurityGroup02", "ValidSecurityGroup03"] {
        let rules = val(&p, sg, "ingress");
        assert_eq!(rules[0]["protocol"], json!("all"), "{sg}");
        assert_eq!((rules[0]["from_port"].clone(), rules[0]["to_port"].clone()), (json!(0), json!(65535)), "{sg}");
    }
    assert_eq!(res(&p, "Vpc01").kind, "network");
}

fn inventory_ids(p: &Parsed) -> Vec<String> {
    p.inventory.resources.iter().map(|r| r.id.to_string()).collect()
}

#[test]
fn cfn_regula_log_validation() {
    let p = load("cloudformation", "regula_cfn_invalid_log_validation_with_valid_infra.yaml");
    assert_eq!(res(&p, "InvalidCloudTrailLogging").name, "cf-invalid-trail");
    assert_eq!(val(&p, "InvalidCloudTrailLogging", "log_file_validation"), json!(false));
    assert_eq!(val(&p, "ValidCloudTrailLogging", "log_file_validation"), json!(true));
    assert_eq!(pointer(&p, "ValidCloudTrailLogging", "log_file_validation"), "/0/Resources/ValidCloudTrailLogging/Properties/EnableLogFileValidation");
    assert_eq!(val(&p, "ValidCloudTrailLogging", "logging_enabled"), json!(true));
    assert_eq!(val(&p, "ValidCloudTrailLogging", "multi_region"), json!(false));
    assert_eq!(val(&p, "ValidCloudTrailLogging", "kms_encrypted"), json!(false));
    // The bucket has no Properties; its policy is joined by `Bucket: !Ref LoggingBucket`.
    assert_eq!(res(&p, "LoggingBucket").kind, "object_bucket");
    assert_eq!(judge(&p, "LoggingBucket", "bucket_policy", Tls), Some(false));
    assert_eq!(judge(&p, "LoggingBucket", "bucket_policy", Public), Some(false));
    assert_eq!(val(&p, "LoggingBucket", "public_read"), json!(false));
    assert_eq!(res(&p, "LoggingBucketPolicy").kind, "other");
}

#[test]
fn cfn_guard_s3_templates() {
    // Written before S3's 2023 defaults: a bucket created from it today gets SSE-S3 and
    // Block Public Access, and the properties say they rest on those defaults.
    let p = load("cloudformation", "s3-server-side-encryption-template-non-compliant.yaml");
    assert_eq!(val(&p, "MyBucket", "encryption_at_rest"), json!(true));
    assert_eq!(res(&p, "MyBucket").prop("encryption_at_rest").and_then(iso27017::ingest::defaults::basis).map(|d| d.token()), Some("s3_default_encryption_sse_s3"));
    assert_eq!(val(&p, "MyBucket", "public_access_blocked"), json!(true));
    assert_eq!(val(&p, "MyBucket", "versioning"), json!(true));

    let p = load("cloudformation", "s3-public-read-prohibited-template-non-compliant.yaml");
    assert_eq!(val(&p, "MyBucket", "public_access_blocked"), json!(true));
    assert_eq!(res(&p, "MyBucket").prop("public_access_blocked").and_then(iso27017::ingest::defaults::basis).map(|d| d.token()), Some("s3_block_public_access_new_buckets"));
    assert_eq!(val(&p, "MyBucket", "encryption_at_rest"), json!(true));
    assert_eq!(val(&p, "MyBucket", "encryption_key"), json!("provider"));
    assert_eq!(val(&p, "MyBucket", "versioning"), json!(true));
    assert_eq!(val(&p, "MyBucket", "access_logging"), json!(false));
}

#[test]
fn cfn_compliant_static_website() {
    let p = load("cloudformation", "compliant-static-website.json");
    let buckets: Vec<&Resource> = p.inventory.of_kind("object_bucket").collect();
    assert_eq!(buckets.len(), 6);
    for b in &buckets {
        for prop in ["encryption_at_rest", "public_access_blocked", "versioning"] {
            assert_eq!(b.prop(prop).and_then(Prop::value), Some(&json!(true)), "{} {prop}", b.id);
        }
        assert_eq!(holds(b.prop("bucket_policy"), Tls), Some(true), "{} TLS-only", b.id);
        assert_eq!(b.prop("public_read").and_then(Prop::value), Some(&json!(false)), "{}", b.id);
        assert!(matches!(b.prop("access_logging"), Some(Prop::Known { .. })));
    }
    assert_eq!(val(&p, "ContentBucket", "access_logging"), json!(true));
    assert_eq!(val(&p, "ContentLogBucket", "object_lock"), json!(true));
    assert_eq!(val(&p, "ContentLogBucket", "retention_days"), json!(365));
    // BucketName is a Fn::Sub, so the name stays the logical id.
    assert_eq!(res(&p, "ContentBucket").name, "ContentBucket");
    assert_eq!(res(&p, "Distribution").kind, "other");
    assert_eq!(judge(&p, "ContentReplicationRole", "trust_policy", Public), Some(false));
    assert_eq!(p.inventory.resources.len(), 18);
}

// ------------------------------------------------------------- Robustness

fn pointers(v: &Value, base: String, out: &mut Vec<String>) {
    out.push(base.clone());
    match v {
        Value::Object(o) => o.iter().for_each(|(k, x)| pointers(x, format!("{base}/{}", k.replace('~', "~0").replace('/', "~1")), out)),
        Value::Array(a) => a.iter().enumerate().for_each(|(i, x)| pointers(x, format!("{base}/{i}"), out)),
        _ => {}
    }
}

/// Every node of small real documents replaced by every JSON type: the
/// parsers may refuse the document or report diagnostics, never panic.
#[test]
fn mutated_documents_never_panic() {
    let mut docs: Vec<Value> = Vec::new();
    for (dir, name) in [
        ("aws-config", "AWS_EC2_SecurityGroup.json"),
        ("aws-config", "AWS_S3_Bucket.json"),
        ("aws-config", "AWS_IAM_User.json"),
        ("aws-config", "custodian_config_s3.json"),
        ("aws-config", "AWS_RDS_DBInstance.json"),
        ("aws-iam", "example_authz_v2.json"),
    ] {
        let text = std::fs::read_to_string(format!("{}/tests/fixtures/ingest/{dir}/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap();
        docs.push(serde_json::from_str(&text).unwrap());
    }
    for name in ["regula_cfn_ingress_22_infra.yaml", "EC2InstanceWithSecurityGroupSample.yaml"] {
        let text = std::fs::read_to_string(format!("{}/tests/fixtures/ingest/cloudformation/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap();
        let y = iso27017::ingest::yaml::load(&text, &Limits::default()).unwrap();
        docs.push(y.into_iter().next().unwrap().value);
    }
    docs.push(json!({"Content": "user,arn,mfa_active,password_enabled,access_key_1_active,access_key_2_active\nu,a,true,true,true,false", "ReportFormat": "text/csv"}));
    let replacements = [Value::Null, json!(-1), json!("*"), json!([]), json!({}), json!({"Ref": "X"}), json!("%7B%22Statement%22%3A7%7D")];
    let mut runs = 0;
    for doc in &docs {
        let mut ps = Vec::new();
        pointers(doc, String::new(), &mut ps);
        for p in ps.iter().skip(1) {
            for r in &replacements {
                let mut d = doc.clone();
                if let Some(slot) = d.pointer_mut(p) {
                    *slot = r.clone();
                }
                let _ = parse("m.json", d.to_string().as_bytes(), &Limits::default());
                runs += 1;
            }
        }
    }
    assert!(runs > 1000, "{runs}");
}
