//! Which KMS key protects an AWS resource, as one typed fact for every format:
//! `encryption_key` is `"customer"` (a customer managed key), `"provider"` (an
//! AWS owned or AWS managed key: SSE-S3, SSE-SQS, `aws/ebs`, …) or `"none"`
//! (not encrypted), and `encryption_key_id` the key as the input names it (ARN,
//! key id or alias). A parser states what the input says; a key named only by
//! its ARN or id (what a live snapshot or a state records for every encrypted
//! resource, whichever key it is) is settled here by the KMS keys of the same
//! input (`key_manager` of a `kms_key`), and stays unknown, with the reason,
//! when the input does not hold that key.
//!
//! Also here: the minimum TLS version a named TLS security policy of Elastic
//! Load Balancing or OpenSearch Service accepts (a fact of the policy's name).
//!
//! **Invariant:** nothing is guessed from the shape of an ARN: only the
//! `alias/aws/…` names are AWS managed by definition, and only a key of the
//! input says what another ARN is.

use crate::inventory::{Prop, Provider, Resource};
use crate::ingest::util::FastMap;
use serde_json::Value;

/// Why a key named by ARN or id stays unknown when the input lacks the key.
pub(crate) const BY_ARN: &str =
    "the key is named by its ARN or id only, and this input does not hold that key: whether it is a customer managed key or the service's AWS managed key (aws/…) is not known";

/// What a key reference says on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum KeyRef {
    /// `alias/aws/<service>`: the service's AWS managed key.
    AwsManaged,
    /// Another alias (`alias/app-data`): customers name their own keys; AWS
    /// managed aliases all start `alias/aws/`.
    CustomerAlias,
    /// An ARN or a key id: the key itself must say.
    ById,
}

/// Classify a key reference by its text.
pub(crate) fn classify(key: &str) -> KeyRef {
    let k = key.trim();
    let alias = k.strip_prefix("alias/").or_else(|| k.find(":alias/").and_then(|i| k.get(i + 7..)));
    match alias {
        Some(a) if a.starts_with("aws/") => KeyRef::AwsManaged,
        Some(_) => KeyRef::CustomerAlias,
        None => KeyRef::ById,
    }
}

/// The key's id (the part after `key/` of an ARN, else the text), for matching.
fn key_token(key: &str) -> &str {
    let k = key.trim();
    match k.rfind(":key/") {
        Some(i) => k.get(i + 5..).unwrap_or(k),
        None => k.strip_prefix("key/").unwrap_or(k),
    }
}

/// `encryption_key` for a key reference known as text, pointing at `pointer`.
pub(crate) fn prop_for(key: &str, pointer: impl Into<crate::inventory::Pointer>) -> Prop {
    match classify(key) {
        KeyRef::AwsManaged => Prop::known("provider", pointer),
        KeyRef::CustomerAlias => Prop::known("customer", pointer),
        KeyRef::ById => Prop::unknown(BY_ARN, pointer),
    }
}

/// Settle every `encryption_key` left unknown for [`BY_ARN`] by the input's
/// KMS keys (`key_manager`, matched on `key_ids`). Linear; a no-op when no
/// resource waits for it.
pub(crate) fn settle(resources: &mut [Resource]) {
    let waiting = |r: &Resource| matches!(r.props.get("encryption_key"), Some(Prop::Unknown { reason, .. }) if &**reason == BY_ARN);
    if !resources.iter().any(|r| r.provider == Provider::Aws && waiting(r)) {
        return;
    }
    let mut managers: FastMap<String, &'static str> = FastMap::default();
    for r in resources.iter().filter(|r| r.kind == "kms_key" && r.provider == Provider::Aws) {
        let Some(manager) = r.prop("key_manager").and_then(Prop::value).and_then(Value::as_str) else { continue };
        let kind = if manager.eq_ignore_ascii_case("customer") { "customer" } else { "provider" };
        if let Some(Value::Array(ids)) = r.prop("key_ids").and_then(Prop::value) {
            for id in ids.iter().filter_map(Value::as_str) {
                managers.insert(key_token(id).to_ascii_lowercase(), kind);
            }
        }
    }
    if managers.is_empty() {
        return;
    }
    for r in resources.iter_mut().filter(|r| waiting(r)) {
        let Some(id) = r.prop("encryption_key_id").and_then(Prop::value).and_then(Value::as_str) else { continue };
        let Some(kind) = managers.get(&key_token(id).to_ascii_lowercase()).copied() else { continue };
        let pointer = r.props.get("encryption_key").map(|p| p.pointer().to_string()).unwrap_or_default();
        r.set("encryption_key", kind, pointer);
    }
}

/// Minimum TLS version of an OpenSearch endpoint policy name.
pub(crate) fn search_tls_min(policy: &str) -> Option<&'static str> {
    let p = policy.to_ascii_uppercase();
    if p.contains("TLS-1-2") {
        Some("1.2")
    } else if p.contains("TLS-1-0") {
        Some("1.0")
    } else {
        None
    }
}

/// Minimum TLS version of an Elastic Load Balancing security policy name
/// (`ELBSecurityPolicy-TLS13-1-2-2021-06` → 1.2; `ELBSecurityPolicy-2016-08` → 1.0).
pub(crate) fn elb_tls_min(policy: &str) -> Option<&'static str> {
    let p = policy.to_ascii_uppercase();
    for (needle, v) in [("TLS13-1-3", "1.3"), ("TLS13-1-2", "1.2"), ("TLS-1-2", "1.2"), ("FS-1-2", "1.2"), ("TLS13-1-1", "1.1"), ("TLS-1-1", "1.1"), ("FS-1-1", "1.1"), ("TLS13-1-0", "1.0"), ("TLS-1-0", "1.0")] {
        if p.contains(needle) {
            return Some(v);
        }
    }
    // The dated policies without a version in their name accept TLS 1.0.
    if ["ELBSECURITYPOLICY-2016-08", "ELBSECURITYPOLICY-2015-05", "ELBSECURITYPOLICY-FS-2018-06"].contains(&p.as_str()) {
        return Some("1.0");
    }
    None
}


/// A Lambda permission (`aws_lambda_permission`, `AWS::Lambda::Permission`) as the statement it adds
/// to the function's resource policy: principal (`*` is anyone; a service name; an account), action,
/// and the conditions its source ARN, source account and organization give. Returned as the JSON text
/// of a one-statement policy, so the statement carries no pointer into the input (it is not written
/// there as a document).
pub(crate) fn lambda_permission_policy(principal: &str, action: &str, source_arn: Option<&str>, source_account: Option<&str>, org: Option<&str>) -> Value {
    let p = principal.trim();
    let principal = if p == "*" {
        serde_json::json!({"AWS": "*"})
    } else if p.ends_with(".amazonaws.com") || p.ends_with(".amazonaws.com.cn") {
        serde_json::json!({"Service": p})
    } else {
        serde_json::json!({"AWS": p})
    };
    let mut condition = serde_json::Map::new();
    if let Some(a) = source_arn.filter(|a| !a.is_empty()) {
        condition.insert("ArnLike".into(), serde_json::json!({"AWS:SourceArn": a}));
    }
    let mut equals = serde_json::Map::new();
    if let Some(a) = source_account.filter(|a| !a.is_empty()) {
        equals.insert("AWS:SourceAccount".into(), Value::String(a.to_string()));
    }
    if let Some(o) = org.filter(|o| !o.is_empty()) {
        equals.insert("aws:PrincipalOrgID".into(), Value::String(o.to_string()));
    }
    if !equals.is_empty() {
        condition.insert("StringEquals".into(), Value::Object(equals));
    }
    let mut st = serde_json::json!({"Effect": "Allow", "Principal": principal, "Action": action, "Resource": "*"});
    if !condition.is_empty() {
        st["Condition"] = Value::Object(condition);
    }
    Value::String(serde_json::json!({"Version": "2012-10-17", "Statement": [st]}).to_string())
}

/// Two canonical policy documents as one (statements and problems appended).
pub(crate) fn append_statements(a: &Value, b: &Value) -> Value {
    let mut out = a.clone();
    for key in ["Statement", "Problems"] {
        if let Some(extra) = b.get(key).and_then(Value::as_array) {
            match out.get_mut(key) {
                Some(Value::Array(list)) => list.extend(extra.iter().cloned()),
                _ => {
                    if let Value::Object(o) = &mut out {
                        o.insert(key.into(), Value::Array(extra.clone()));
                    }
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::{SourceRef, Text};

    fn res(kind: &str, props: &[(&str, Prop)]) -> Resource {
        let mut r = Resource {
            provider: Provider::Aws,
            kind: Text::interned(kind),
            native_type: Text::interned("t"),
            id: "r".into(),
            name: "r".into(),
            region: None,
            account: None,
            source: SourceRef { file: "f".into(), pointer: "".into(), line: None },
            props: Default::default(),
        };
        for (n, p) in props {
            r.props.insert(n, p.clone());
        }
        r
    }

    #[test]
    fn aliases_say_what_they_are_and_arns_wait_for_their_key() {
        assert_eq!(classify("alias/aws/s3"), KeyRef::AwsManaged);
        assert_eq!(classify("arn:aws:kms:eu-west-1:111122223333:alias/aws/ebs"), KeyRef::AwsManaged);
        assert_eq!(classify("alias/app-data"), KeyRef::CustomerAlias);
        assert_eq!(classify("arn:aws:kms:eu-west-1:111122223333:key/0f2b"), KeyRef::ById);
        assert_eq!(classify("0f2b6c1e-8d7a-4c39-9e55-2a1d3c4b5e6f"), KeyRef::ById);
    }

    #[test]
    fn a_key_of_the_input_settles_an_arn() {
        let arn = "arn:aws:kms:eu-west-1:111122223333:key/0F2B";
        let mut rs = vec![
            res("message_queue", &[("encryption_key", prop_for(arn, "/a")), ("encryption_key_id", Prop::known(arn, "/a"))]),
            res("message_queue", &[("encryption_key", prop_for("arn:aws:kms:eu-west-1:1:key/other", "/b")), ("encryption_key_id", Prop::known("arn:aws:kms:eu-west-1:1:key/other", "/b"))]),
            res("kms_key", &[("key_manager", Prop::known("CUSTOMER", "/k")), ("key_ids", Prop::known(vec!["0f2b"], "/k"))]),
        ];
        settle(&mut rs);
        assert_eq!(rs[0].prop("encryption_key").and_then(Prop::value), Some(&Value::from("customer")));
        assert_eq!(rs[0].prop("encryption_key").map(|p| p.pointer().to_string()).as_deref(), Some("/a"));
        assert!(matches!(rs[1].prop("encryption_key"), Some(Prop::Unknown { reason, .. }) if &**reason == BY_ARN));
        rs[2].props.insert("key_manager", Prop::known("AWS", "/k"));
        rs[0].props.insert("encryption_key", prop_for(arn, "/a"));
        settle(&mut rs);
        assert_eq!(rs[0].prop("encryption_key").and_then(Prop::value), Some(&Value::from("provider")));
    }

    #[test]
    fn tls_policies_by_name() {
        assert_eq!(elb_tls_min("ELBSecurityPolicy-TLS13-1-2-2021-06"), Some("1.2"));
        assert_eq!(elb_tls_min("ELBSecurityPolicy-2016-08"), Some("1.0"));
        assert_eq!(elb_tls_min("ELBSecurityPolicy-TLS-1-1-2017-01"), Some("1.1"));
        assert_eq!(elb_tls_min("ELBSecurityPolicy-FS-1-2-Res-2020-10"), Some("1.2"));
        assert_eq!(elb_tls_min("custom"), None);
        assert_eq!(search_tls_min("Policy-Min-TLS-1-2-PFS-2023-10"), Some("1.2"));
        assert_eq!(search_tls_min("Policy-Min-TLS-1-0-2019-07"), Some("1.0"));
    }
}
