//! One judgement per check, whatever the export: the same managed policy,
//! role (trust policy and inline policy), user (with the managed policy
//! attached) and S3 bucket policy, written as a Terraform plan (`terraform
//! show -json`: `jsonencode` strings, `after_unknown`, nulls, joins by
//! configuration reference), a CloudFormation template (objects, intrinsic
//! functions), AWS Config items (URL-encoded and string documents) and the
//! IAM authorization-details export (URL-encoded documents), must get the same
//! status for every IAM and bucket-policy check. Each scenario also states the
//! status it expects, so a format that agreed with the others on a wrong
//! verdict fails too.

use iso27017::checks::{Context, RuleSet};
use iso27017::engine;
use iso27017::ingest::Limits;
use iso27017::model::Status;
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// The checks compared, with the kind of resource each judges here.
const CHECKS: &[(&str, &[&str])] = &[
    ("iam_policy_no_admin_wildcard", &["iam_policy"]),
    ("iam_user_no_direct_admin", &["iam_user"]),
    ("iam_role_trust_not_public", &["iam_role"]),
    ("iam_no_privilege_escalation", &["iam_policy", "iam_user", "iam_role"]),
    ("iam_no_pass_role_on_all_resources", &["iam_policy", "iam_user", "iam_role"]),
    ("iam_no_permissions_management_on_all_resources", &["iam_policy", "iam_user", "iam_role"]),
    ("iam_no_data_read_on_all_resources", &["iam_policy", "iam_user", "iam_role"]),
    ("iam_user_no_inline_policies", &["iam_user"]),
    ("iam_user_no_attached_policies", &["iam_user"]),
    ("object_bucket_tls_only", &["object_bucket"]),
    ("object_storage_not_public", &["object_bucket"]),
];

/// The documents of one scenario.
struct Docs {
    /// Customer managed policy `p`, attached to user `u`.
    managed: Value,
    /// Inline policy of role `r`.
    inline: Value,
    /// Trust policy of role `r`.
    trust: Value,
    /// Policy of bucket `b`.
    bucket: Value,
}

const ACCOUNT: &str = "111111111111";

fn ok_managed() -> Value {
    json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": ["arn:aws:s3:::b", "arn:aws:s3:::b/*"]}]})
}
fn ok_inline() -> Value {
    json!({"Version": "2012-10-17", "Statement": {"Sid": "Logs", "Effect": "Allow", "Action": "logs:PutLogEvents", "Resource": "arn:aws:logs:eu-west-1:111111111111:log-group:app:*"}})
}
fn ok_trust() -> Value {
    json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]})
}
fn tls_bucket(cond: Value) -> Value {
    json!({"Version": "2012-10-17", "Statement": [{"Sid": "TLS", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
        "Resource": ["arn:aws:s3:::b", "arn:aws:s3:::b/*"], "Condition": cond}]})
}
fn ok_bucket() -> Value {
    tls_bucket(json!({"Bool": {"aws:SecureTransport": "false"}}))
}
fn base() -> Docs {
    Docs { managed: ok_managed(), inline: ok_inline(), trust: ok_trust(), bucket: ok_bucket() }
}

// ---------------------------------------------------------------------------
// The four exports.

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

fn plan(d: &Docs) -> Value {
    let rc = |address: &str, rtype: &str, name: &str, after: Value, unknown: Value| {
        json!({"address": address, "mode": "managed", "type": rtype, "name": name, "provider_name": "registry.terraform.io/hashicorp/aws",
            "change": {"actions": ["create"], "before": null, "after": after, "after_unknown": unknown, "before_sensitive": false, "after_sensitive": {}}})
    };
    let cfg = |rtype: &str, name: &str, expressions: Value| {
        json!({"address": format!("{rtype}.{name}"), "mode": "managed", "type": rtype, "name": name, "provider_config_key": "aws", "expressions": expressions, "schema_version": 0})
    };
    let text = |v: &Value| Value::String(v.to_string());
    // An existing bucket that gets a policy: its attributes are known, its inline `policy` is the current one (none).
    let mut bucket = rc("aws_s3_bucket.b", "aws_s3_bucket", "b",
        json!({"bucket": "b", "id": "b", "arn": "arn:aws:s3:::b", "acl": null, "grant": [{"id": "abc", "type": "CanonicalUser", "permissions": ["FULL_CONTROL"], "uri": ""}],
               "policy": "", "force_destroy": false, "tags": null, "object_lock_enabled": false, "region": "eu-west-1"}),
        json!({}));
    bucket["change"]["actions"] = json!(["no-op"]);
    bucket["change"]["before"] = bucket["change"]["after"].clone();
    json!({
        "format_version": "1.2",
        "terraform_version": "1.6.6",
        "planned_values": {"root_module": {}},
        "resource_changes": [
            rc("aws_iam_policy.p", "aws_iam_policy", "p",
               json!({"name": "p", "path": "/", "description": null, "name_prefix": null, "policy": text(&d.managed), "tags": null}),
               json!({"arn": true, "id": true, "policy_id": true, "tags_all": true, "attachment_count": true})),
            rc("aws_iam_role.r", "aws_iam_role", "r",
               json!({"name": "r", "path": "/", "assume_role_policy": text(&d.trust), "description": null, "force_detach_policies": false,
                      "max_session_duration": 3600, "permissions_boundary": null, "tags": null}),
               json!({"arn": true, "id": true, "inline_policy": true, "managed_policy_arns": true, "unique_id": true, "create_date": true, "tags_all": true})),
            rc("aws_iam_role_policy.inline", "aws_iam_role_policy", "inline",
               json!({"name": "inline", "policy": text(&d.inline)}), json!({"id": true, "role": true})),
            rc("aws_iam_user.u", "aws_iam_user", "u",
               json!({"name": "u", "path": "/", "force_destroy": false, "permissions_boundary": null, "tags": null}),
               json!({"arn": true, "id": true, "unique_id": true, "tags_all": true})),
            rc("aws_iam_user_policy_attachment.p", "aws_iam_user_policy_attachment", "p",
               json!({"user": "u"}), json!({"id": true, "policy_arn": true})),
            bucket,
            rc("aws_s3_bucket_policy.b", "aws_s3_bucket_policy", "b",
               json!({"policy": text(&d.bucket)}), json!({"bucket": true, "id": true})),
        ],
        "configuration": {
            "provider_config": {"aws": {"name": "aws", "full_name": "registry.terraform.io/hashicorp/aws", "expressions": {"region": {"constant_value": "eu-west-1"}}}},
            "root_module": {"resources": [
                cfg("aws_iam_policy", "p", json!({"name": {"constant_value": "p"}, "policy": {}})),
                cfg("aws_iam_role", "r", json!({"name": {"constant_value": "r"}, "assume_role_policy": {}})),
                cfg("aws_iam_role_policy", "inline", json!({"name": {"constant_value": "inline"}, "policy": {},
                    "role": {"references": ["aws_iam_role.r.id", "aws_iam_role.r"]}})),
                cfg("aws_iam_user", "u", json!({"name": {"constant_value": "u"}})),
                cfg("aws_iam_user_policy_attachment", "p", json!({"policy_arn": {"references": ["aws_iam_policy.p.arn", "aws_iam_policy.p"]},
                    "user": {"references": ["aws_iam_user.u.name", "aws_iam_user.u"]}})),
                cfg("aws_s3_bucket", "b", json!({"bucket": {"constant_value": "b"}})),
                cfg("aws_s3_bucket_policy", "b", json!({"bucket": {"references": ["aws_s3_bucket.b.id", "aws_s3_bucket.b"]}, "policy": {}})),
            ]}
        }
    })
}

/// CloudFormation writes ARNs of the template's own bucket with intrinsics.
fn with_intrinsics(v: &Value) -> Value {
    match v {
        Value::String(s) if s == "arn:aws:s3:::b" => json!({"Fn::GetAtt": ["B", "Arn"]}),
        Value::String(s) if s == "arn:aws:s3:::b/*" => json!({"Fn::Sub": "${B.Arn}/*"}),
        Value::Array(a) => Value::Array(a.iter().map(with_intrinsics).collect()),
        Value::Object(o) => Value::Object(o.iter().map(|(k, x)| (k.clone(), with_intrinsics(x))).collect()),
        other => other.clone(),
    }
}

fn template(d: &Docs) -> Value {
    json!({
        "AWSTemplateFormatVersion": "2010-09-09",
        "Resources": {
            "P": {"Type": "AWS::IAM::ManagedPolicy", "Properties": {"ManagedPolicyName": "p", "PolicyDocument": d.managed}},
            "R": {"Type": "AWS::IAM::Role", "Properties": {"RoleName": "r", "AssumeRolePolicyDocument": d.trust,
                "Policies": [{"PolicyName": "inline", "PolicyDocument": d.inline}]}},
            "U": {"Type": "AWS::IAM::User", "Properties": {"UserName": "u", "ManagedPolicyArns": [{"Ref": "P"}]}},
            "B": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "b"}},
            "BP": {"Type": "AWS::S3::BucketPolicy", "Properties": {"Bucket": {"Ref": "B"}, "PolicyDocument": with_intrinsics(&d.bucket)}}
        }
    })
}

fn config_items(d: &Docs) -> Value {
    let arn_p = format!("arn:aws:iam::{ACCOUNT}:policy/p");
    let item = |rtype: &str, id: &str, name: &str, arn: &str, configuration: Value, supp: Value| {
        json!({"version": "1.3", "accountId": ACCOUNT, "configurationItemCaptureTime": "2026-05-01T10:00:00.000Z",
            "configurationItemStatus": "OK", "configurationStateId": "1", "arn": arn, "resourceType": rtype, "resourceId": id,
            "resourceName": name, "awsRegion": "eu-west-1", "availabilityZone": "Not Applicable", "tags": {}, "relationships": [],
            "configuration": configuration, "supplementaryConfiguration": supp})
    };
    let enc = |v: &Value| Value::String(url_encode(&v.to_string()));
    json!({"configurationItems": [
        item("AWS::IAM::Policy", "ANPAP", "p", &arn_p, json!({"policyName": "p", "policyId": "ANPAP", "arn": arn_p, "path": "/",
            "defaultVersionId": "v1", "attachmentCount": 1, "isAttachable": true,
            "policyVersionList": [{"document": enc(&d.managed), "versionId": "v1", "isDefaultVersion": true, "createDate": "2026-05-01T10:00:00.000Z"}]}), json!({})),
        item("AWS::IAM::Role", "AROAR", "r", &format!("arn:aws:iam::{ACCOUNT}:role/r"), json!({"roleName": "r", "path": "/", "arn": format!("arn:aws:iam::{ACCOUNT}:role/r"),
            "assumeRolePolicyDocument": enc(&d.trust), "attachedManagedPolicies": [], "instanceProfileList": [],
            "rolePolicyList": [{"policyName": "inline", "policyDocument": enc(&d.inline)}]}), json!({})),
        item("AWS::IAM::User", "AIDAU", "u", &format!("arn:aws:iam::{ACCOUNT}:user/u"), json!({"userName": "u", "path": "/", "arn": format!("arn:aws:iam::{ACCOUNT}:user/u"),
            "attachedManagedPolicies": [{"policyName": "p", "policyArn": arn_p}], "groupList": [], "userPolicyList": []}), json!({})),
        item("AWS::S3::Bucket", "b", "b", "arn:aws:s3:::b", json!({"name": "b", "owner": {"id": "abc"}, "creationDate": "2026-05-01T10:00:00.000Z"}),
            json!({"BucketPolicy": {"policyText": d.bucket.to_string()},
                   "AccessControlList": json!({"grantSet": null, "grantList": [{"grantee": {"id": "abc", "displayName": null}, "permission": "FullControl"}],
                        "owner": {"id": "abc"}, "isRequesterCharged": false}).to_string()})),
    ]})
}

fn authorization_details(d: &Docs) -> Value {
    let arn_p = format!("arn:aws:iam::{ACCOUNT}:policy/p");
    let enc = |v: &Value| Value::String(url_encode(&v.to_string()));
    json!({
        "UserDetailList": [{"Path": "/", "UserName": "u", "UserId": "AIDAU", "Arn": format!("arn:aws:iam::{ACCOUNT}:user/u"),
            "CreateDate": "2026-05-01T10:00:00Z", "GroupList": [], "UserPolicyList": [],
            "AttachedManagedPolicies": [{"PolicyName": "p", "PolicyArn": arn_p}], "Tags": []}],
        "GroupDetailList": [],
        "RoleDetailList": [{"Path": "/", "RoleName": "r", "RoleId": "AROAR", "Arn": format!("arn:aws:iam::{ACCOUNT}:role/r"),
            "CreateDate": "2026-05-01T10:00:00Z", "AssumeRolePolicyDocument": enc(&d.trust), "InstanceProfileList": [],
            "RolePolicyList": [{"PolicyName": "inline", "PolicyDocument": enc(&d.inline)}], "AttachedManagedPolicies": [], "Tags": [], "RoleLastUsed": {}}],
        "Policies": [{"PolicyName": "p", "PolicyId": "ANPAP", "Arn": arn_p, "Path": "/", "DefaultVersionId": "v1", "AttachmentCount": 1,
            "PermissionsBoundaryUsageCount": 0, "IsAttachable": true, "CreateDate": "2026-05-01T10:00:00Z", "UpdateDate": "2026-05-01T10:00:00Z",
            "PolicyVersionList": [{"Document": enc(&d.managed), "VersionId": "v1", "IsDefaultVersion": true, "CreateDate": "2026-05-01T10:00:00Z"}]}],
        "IsTruncated": false
    })
}

// ---------------------------------------------------------------------------
// Assessing and comparing.

type Statuses = BTreeMap<(&'static str, String), Status>;

fn statuses(name: &str, doc: &Value) -> Statuses {
    let bytes = serde_json::to_vec_pretty(doc).unwrap();
    let a = engine::assess_files([(name, bytes.as_slice())], &Limits::default(), RuleSet::bundled(), &Context::on(2026, 6, 1));
    if let Some(e) = &a.inputs[0].error {
        panic!("{name}: {e}");
    }
    let mut out = Statuses::new();
    for (check, kinds) in CHECKS {
        for kind in *kinds {
            let found: Vec<Status> = a.findings.iter().filter(|f| f.check.as_str() == *check && f.resource.kind.as_str() == *kind).map(|f| f.status).collect();
            match found.as_slice() {
                [] => {}
                [one] => {
                    out.insert((check, kind.to_string()), *one);
                }
                many => panic!("{name}: {check} judged {} {kind} resources, expected one", many.len()),
            }
        }
    }
    out
}

/// Assess the scenario in every format; every check must agree across formats
/// and equal `expect` where it names one. `(check, kind, status)`.
fn scenario(title: &str, d: &Docs, expect: &[(&str, &str, Status)]) {
    let runs = [
        ("plan.json", statuses("plan.json", &plan(d))),
        ("template.json", statuses("template.json", &template(d))),
        ("config.json", statuses("config.json", &config_items(d))),
        ("authz.json", statuses("authz.json", &authorization_details(d))),
    ];
    let mut failures = Vec::new();
    for (check, kinds) in CHECKS {
        for kind in *kinds {
            let key = (*check, kind.to_string());
            let seen: Vec<(&str, Status)> = runs.iter().filter_map(|(f, s)| s.get(&key).map(|st| (*f, *st))).collect();
            // Every format that has the resource judges it (buckets are not in the IAM export).
            let expected_formats = if *kind == "object_bucket" { 3 } else { 4 };
            if seen.len() != expected_formats {
                failures.push(format!("{check} on {kind}: judged in {:?} only", seen.iter().map(|(f, _)| *f).collect::<Vec<_>>()));
                continue;
            }
            if seen.windows(2).any(|w| w[0].1 != w[1].1) {
                failures.push(format!("{check} on {kind} differs: {:?}", seen.iter().map(|(f, s)| format!("{f}={}", s.as_str())).collect::<Vec<_>>()));
            }
            if let Some((_, _, want)) = expect.iter().find(|(c, k, _)| c == check && k == kind) {
                for (f, got) in &seen {
                    if got != want {
                        failures.push(format!("{check} on {kind} in {f}: expected {}, got {}", want.as_str(), got.as_str()));
                    }
                }
            }
        }
    }
    assert!(failures.is_empty(), "scenario \"{title}\":\n{}", failures.join("\n"));
}

use Status::{Fail, Pass};

#[test]
fn least_privilege_passes_everywhere() {
    scenario("least privilege", &base(), &[
        ("iam_policy_no_admin_wildcard", "iam_policy", Pass),
        ("iam_user_no_direct_admin", "iam_user", Pass),
        ("iam_role_trust_not_public", "iam_role", Pass),
        ("iam_no_privilege_escalation", "iam_user", Pass),
        ("iam_no_privilege_escalation", "iam_role", Pass),
        ("iam_no_data_read_on_all_resources", "iam_policy", Pass),
        ("iam_user_no_inline_policies", "iam_user", Pass),
        ("iam_user_no_attached_policies", "iam_user", Fail),
        ("object_bucket_tls_only", "object_bucket", Pass),
        ("object_storage_not_public", "object_bucket", Pass),
    ]);
}

#[test]
fn admin_by_star_and_not_by_iam_star_alone() {
    let star = Docs { managed: json!({"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}), ..base() };
    scenario("admin via *", &star, &[
        ("iam_policy_no_admin_wildcard", "iam_policy", Fail),
        ("iam_user_no_direct_admin", "iam_user", Fail),
        ("iam_no_privilege_escalation", "iam_user", Fail),
        ("iam_no_data_read_on_all_resources", "iam_user", Fail),
    ]);
    let star_colon = Docs { managed: json!({"Statement": [{"Effect": "Allow", "Action": ["*:*"], "Resource": ["*"]}]}), ..base() };
    scenario("admin via *:*", &star_colon, &[("iam_policy_no_admin_wildcard", "iam_policy", Fail), ("iam_user_no_direct_admin", "iam_user", Fail)]);
    let iam_only = Docs { managed: json!({"Statement": [{"Effect": "Allow", "Action": "iam:*", "Resource": "*"}]}), ..base() };
    scenario("iam:* only", &iam_only, &[
        ("iam_policy_no_admin_wildcard", "iam_policy", Pass),
        ("iam_user_no_direct_admin", "iam_user", Pass),
        ("iam_no_privilege_escalation", "iam_policy", Fail),
        ("iam_no_pass_role_on_all_resources", "iam_user", Fail),
        ("iam_no_permissions_management_on_all_resources", "iam_policy", Fail),
        ("iam_no_data_read_on_all_resources", "iam_policy", Pass),
    ]);
}

#[test]
fn not_action_and_cancelling_deny() {
    let not_action = Docs { managed: json!({"Statement": [{"Effect": "Allow", "NotAction": ["s3:DeleteBucket", "ec2:TerminateInstances"], "Resource": "*"}]}), ..base() };
    scenario("NotAction allow", &not_action, &[("iam_policy_no_admin_wildcard", "iam_policy", Fail), ("iam_user_no_direct_admin", "iam_user", Fail)]);
    let power_user = Docs { managed: json!({"Statement": [{"Effect": "Allow", "NotAction": ["iam:*", "organizations:*", "account:*"], "Resource": "*"}]}), ..base() };
    scenario("NotAction that excludes IAM", &power_user, &[
        ("iam_policy_no_admin_wildcard", "iam_policy", Pass),
        ("iam_no_privilege_escalation", "iam_policy", Fail),
        ("iam_no_data_read_on_all_resources", "iam_policy", Fail),
    ]);
    let cancelled = Docs {
        managed: json!({"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}, {"Sid": "Guard", "Effect": "Deny", "Action": "*", "Resource": "*"}]}),
        ..base()
    };
    scenario("cancelling Deny", &cancelled, &[
        ("iam_policy_no_admin_wildcard", "iam_policy", Pass),
        ("iam_user_no_direct_admin", "iam_user", Pass),
        ("iam_no_privilege_escalation", "iam_user", Pass),
    ]);
    let conditional_deny = Docs {
        managed: json!({"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"},
            {"Effect": "Deny", "Action": "*", "Resource": "*", "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": false}}}]}),
        ..base()
    };
    scenario("Deny with a condition does not cancel", &conditional_deny, &[("iam_policy_no_admin_wildcard", "iam_policy", Fail)]);
}

#[test]
fn secure_transport_denies_as_bool_and_as_string() {
    for (title, cond, want) in [
        ("Bool \"false\"", json!({"Bool": {"aws:SecureTransport": "false"}}), Pass),
        ("Bool false", json!({"Bool": {"aws:SecureTransport": false}}), Pass),
        ("BoolIfExists \"false\"", json!({"BoolIfExists": {"aws:SecureTransport": "false"}}), Pass),
        ("BoolIfExists [false]", json!({"BoolIfExists": {"aws:SecureTransport": [false]}}), Pass),
        ("Bool \"true\" is not a deny of plain HTTP", json!({"Bool": {"aws:SecureTransport": "true"}}), Fail),
    ] {
        scenario(title, &Docs { bucket: tls_bucket(cond), ..base() }, &[("object_bucket_tls_only", "object_bucket", want)]);
    }
    let bucket_only = Docs {
        bucket: json!({"Statement": [{"Effect": "Deny", "Principal": {"AWS": "*"}, "Action": "s3:*", "Resource": "arn:aws:s3:::b",
            "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}),
        ..base()
    };
    scenario("deny on the bucket ARN only", &bucket_only, &[("object_bucket_tls_only", "object_bucket", Fail)]);
}

#[test]
fn public_principals_with_and_without_restricting_conditions() {
    let read = |principal: Value, cond: Option<Value>| {
        let mut st = json!({"Sid": "Read", "Effect": "Allow", "Principal": principal, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"});
        if let Some(c) = cond {
            st["Condition"] = c;
        }
        let mut doc = ok_bucket();
        doc["Statement"].as_array_mut().unwrap().push(st);
        doc
    };
    let trust = |principal: Value, cond: Option<Value>| {
        let mut st = json!({"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole"});
        if let Some(c) = cond {
            st["Condition"] = c;
        }
        json!({"Version": "2012-10-17", "Statement": [st]})
    };
    for (title, principal, cond, want) in [
        ("Principal *", json!("*"), None, Fail),
        ("Principal AWS *", json!({"AWS": "*"}), None, Fail),
        ("Principal AWS [*] with an account", json!({"AWS": ["arn:aws:iam::222222222222:root", "*"]}), None, Fail),
        ("Principal * within the organisation", json!("*"), Some(json!({"StringEquals": {"aws:PrincipalOrgID": "o-abc123"}})), Pass),
        ("Principal * from one source account", json!({"AWS": "*"}), Some(json!({"StringEquals": {"aws:SourceAccount": ACCOUNT}})), Pass),
        ("Principal * only over TLS is still anyone", json!("*"), Some(json!({"Bool": {"aws:SecureTransport": "true"}})), Fail),
        ("Principal * with IfExists is still anyone", json!("*"), Some(json!({"StringEqualsIfExists": {"aws:PrincipalOrgID": "o-abc123"}})), Fail),
        ("named account", json!({"AWS": "arn:aws:iam::222222222222:root"}), None, Pass),
    ] {
        let d = Docs { bucket: read(principal.clone(), cond.clone()), trust: trust(principal, cond), ..base() };
        scenario(title, &d, &[("object_storage_not_public", "object_bucket", want), ("iam_role_trust_not_public", "iam_role", want)]);
    }
    let not_principal = Docs {
        trust: json!({"Statement": [{"Effect": "Allow", "NotPrincipal": {"AWS": "arn:aws:iam::222222222222:root"}, "Action": "sts:AssumeRole"}]}),
        ..base()
    };
    scenario("NotPrincipal with Allow", &not_principal, &[("iam_role_trust_not_public", "iam_role", Fail)]);
}

#[test]
fn inline_role_policies_pass_role_and_data_reading() {
    let escalate = Docs {
        inline: json!({"Statement": [{"Effect": "Allow", "Action": ["iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"], "Resource": "*"}]}),
        ..base()
    };
    scenario("PassRole with Lambda", &escalate, &[
        ("iam_no_privilege_escalation", "iam_role", Fail),
        ("iam_no_pass_role_on_all_resources", "iam_role", Fail),
        ("iam_no_privilege_escalation", "iam_policy", Pass),
    ]);
    let read_all = Docs {
        inline: json!({"Statement": [{"Effect": "Allow", "Action": ["secretsmanager:GetSecretValue", "ssm:GetParameters"], "Resource": "*"}]}),
        ..base()
    };
    scenario("secrets on *", &read_all, &[("iam_no_data_read_on_all_resources", "iam_role", Fail), ("iam_no_permissions_management_on_all_resources", "iam_role", Pass)]);
    let grants = Docs { inline: json!({"Statement": [{"Effect": "Allow", "Action": "kms:CreateGrant", "Resource": "*"}]}), ..base() };
    scenario("kms grants on *", &grants, &[("iam_no_permissions_management_on_all_resources", "iam_role", Fail)]);
}
