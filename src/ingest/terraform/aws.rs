//! AWS resource types: S3 buckets, IAM principals and policy documents, EKS, instance metadata.

use super::*;

/// `aws_s3_bucket`. Settings the plan leaves to S3 for a bucket it creates
/// take S3's defaults (`ingest::defaults`); the provider v4 split resources
/// joined later replace them.
pub(super) fn s3_bucket(s: &Src, o: &mut Out) {
    let v = &s.v;
    let conf = v.get("server_side_encryption_configuration");
    match conf.state() {
        St::Known(x) if non_empty(x) => {
            let rule = conf.at(0).block("rule");
            sse_default(s, &rule.block("apply_server_side_encryption_by_default"), &["server_side_encryption_configuration", "rule", "apply_server_side_encryption_by_default", "kms_master_key_id"], o);
        }
        // SSE-S3 applies to every bucket since 2023-01-05, created now or not.
        St::Known(_) | St::Absent => s3_default_encryption(o, &conf),
        St::Unknown if s.left_to_provider(&conf, &["server_side_encryption_configuration"]) => s3_default_encryption(o, &conf),
        St::Unknown => {
            o.put("encryption_at_rest", Some(conf.unknown()));
            o.put("encryption_key", Some(conf.unknown()));
        }
    }
    let ver = v.get("versioning");
    match ver.state() {
        _ if s.left_to_provider(&ver, &["versioning"]) => o.default(dflt::S3_VERSIONING, "versioning", &ver),
        St::Known(Json::Array(a)) if a.is_empty() => o.put("versioning", Some(ver.known(false))),
        St::Absent => {}
        _ => o.bool("versioning", &ver.at(0).get("enabled")),
    }
    let logging = v.get("logging");
    match logging.state() {
        _ if s.left_to_provider(&logging, &["logging"]) => o.default(dflt::S3_ACCESS_LOGGING, "access_logging", &logging),
        St::Absent => {}
        _ => {
            o.present("access_logging", &logging);
            o.str("access_logging_target", &logging.at(0).get("target_bucket"));
        }
    }
    // Block Public Access is a resource of its own (joined later); S3 turns
    // it on for buckets created since April 2023.
    if s.new {
        o.default(dflt::S3_BLOCK_PUBLIC_ACCESS, "public_access_blocked", v);
    }
    // Replication: the inline block (provider v3) or `aws_s3_bucket_replication_configuration`, joined later.
    let rep = v.get("replication_configuration");
    match rep.state() {
        _ if s.left_to_provider(&rep, &["replication_configuration"]) => o.default(dflt::S3_REPLICATION, "replication", &rep),
        St::Absent => {}
        St::Unknown => o.put("replication", Some(rep.unknown())),
        St::Known(_) => o.put("replication", Some(rep.known(!rep.at(0).get("rules").items().is_empty()))),
    }
    let mut sig = Vec::new();
    let (acl, grant) = (v.get("acl"), v.get("grant"));
    if s.left_to_provider(&acl, &["acl"]) && s.left_to_provider(&grant, &["grant"]) {
        sig.push(dflt::prop(dflt::S3_ACLS_DISABLED, "public_read", if acl.val.is_some() { acl.pointer() } else { acl.base.clone() }));
    } else {
        acl_signals(v, &mut sig);
        for g in grant.items() {
            sig.push(g.get("uri").prop(|x| x.as_str().map(|u| Value::Bool(public_grantee(u)))));
        }
        if matches!(grant.state(), St::Unknown) {
            sig.push(Some(grant.unknown()));
        }
    }
    let pol = v.get("policy");
    if s.left_to_provider(&pol, &["policy"]) {
        // A new bucket's computed `policy` that the configuration does not set: the
        // bucket is created without a policy (a separate `aws_s3_bucket_policy` joins later).
        // Points at the attribute when the plan has it, else at the bucket.
        let at = if pol.val.is_some() { pol.pointer() } else { pol.base.clone() };
        o.put("bucket_policy", Some(Prop::Known { value: shared_value(Value::Null), pointer: at }));
    } else if v.val.is_some_and(|x| x.get("policy").is_some()) || matches!(pol.state(), St::Unknown) {
        o.put("bucket_policy", policy_doc(&pol));
    }
    o.put("public_read", fold_or(sig));
    let lock = v.get("object_lock_enabled");
    let olc = v.get("object_lock_configuration");
    match lock.state() {
        _ if s.left_to_provider(&lock, &["object_lock_enabled"]) && s.left_to_provider(&olc, &["object_lock_configuration"]) => {
            o.default(dflt::S3_OBJECT_LOCK, "object_lock", &lock)
        }
        St::Absent | St::Unknown if !matches!(olc.state(), St::Absent) => match olc.state() {
            St::Known(Json::Array(a)) if a.is_empty() => o.put("object_lock", Some(olc.known(false))),
            _ => o.put("object_lock", olc.at(0).get("object_lock_enabled").prop(|x| x.as_str().map(|t| Value::Bool(t.eq_ignore_ascii_case("enabled"))))),
        },
        St::Absent => {}
        _ => o.bool("object_lock", &lock),
    }
}

/// S3's default encryption (SSE-S3), at `at`.
pub(super) fn s3_default_encryption(o: &mut Out, at: &V) {
    for name in ["encryption_at_rest", "encryption_key", "encryption_algorithm"] {
        o.default(dflt::S3_ENCRYPTION, name, at);
    }
}

/// The four Block Public Access flags as an object (each `true`, `false`, or
/// `null` when unknown or not set).
pub(super) fn public_access_flags(v: &V) -> Option<Prop> {
    let flag = |k: &str| match v.get(k).state() {
        St::Known(x) => loose_bool(x),
        _ => None,
    };
    let flags = [flag("block_public_acls"), flag("ignore_public_acls"), flag("block_public_policy"), flag("restrict_public_buckets")];
    Some(Prop::Known { value: crate::ingest::util::public_access_flags(flags), pointer: v.pointer() })
}

/// `apply_server_side_encryption_by_default` block → encryption props.
pub(super) fn sse_default(s: &Src, by_default: &V, key_path: &[&str], o: &mut Out) {
    let alg = by_default.get("sse_algorithm");
    match alg.state() {
        St::Known(x) => {
            let a = x.as_str().unwrap_or("").to_ascii_lowercase();
            o.put("encryption_at_rest", Some(alg.known(!a.is_empty())));
            if !a.is_empty() {
                o.str("encryption_algorithm", &alg);
            }
            // The key id is the evidence of `encryption_key` (its pointer).
            if a.starts_with("aws:kms") {
                let k = by_default.get("kms_master_key_id");
                match k.state() {
                    // `aws:kms` without a key: the AWS managed `aws/s3` key.
                    St::Known(x) if !non_empty(x) => o.put("encryption_key", Some(k.known("provider"))),
                    St::Absent => o.put("encryption_key", Some(alg.known("provider"))),
                    _ => super::aws_services::key_fact(s, o, &k, key_path, dflt::S3_ENCRYPTION),
                }
            } else if !a.is_empty() {
                o.put("encryption_key", Some(alg.known("provider")));
            }
        }
        St::Unknown => {
            o.put("encryption_at_rest", Some(alg.unknown()));
            o.put("encryption_key", Some(alg.unknown()));
        }
        // A configuration that names no algorithm: S3's own default applies.
        St::Absent => s3_default_encryption(o, by_default),
    }
}

/// A GCP IAM member that means everyone.
pub(super) fn gcs_public_member(m: &str) -> bool {
    m == "allUsers" || m == "allAuthenticatedUsers"
}

pub(super) fn public_grantee(uri: &str) -> bool {
    uri.contains("/global/AllUsers") || uri.contains("/global/AuthenticatedUsers")
}

pub(super) fn acl_signals(v: &V, sig: &mut Vec<Option<Prop>>) {
    sig.push(v.get("acl").prop(|x| x.as_str().map(|a| Value::Bool(matches!(a, "public-read" | "public-read-write" | "authenticated-read")))));
}

pub(super) fn grant_public(g: &V) -> Option<Prop> {
    g.block("grantee").get("uri").prop(|x| x.as_str().map(|u| Value::Bool(public_grantee(u))))
}

// ---- IAM policy documents: stated as documents and attachments, judged in `checks::policy`.

/// A policy attribute (JSON string or object) → its canonical document;
/// `null` when absent or empty; unknown when known after apply or unreadable.
pub(super) fn policy_doc(v: &V) -> Option<Prop> {
    match v.state() {
        St::Known(Json::String(t)) if t.trim().is_empty() => Some(v.known(Value::Null)),
        St::Known(x) => Some(crate::ingest::aws_iam::document_prop(&x.to_value(), &v.pointer().text())),
        St::Unknown => Some(v.unknown()),
        // Evidence points at the object that lacks the attribute.
        St::Absent => {
            let parent = v.ptr.rsplit_once('/').map_or("", |(p, _)| p);
            Some(Prop::Known { value: shared_value(Value::Null), pointer: Pointer::within(&v.base, parent) })
        }
    }
}

/// A `policies` entry for a policy attribute.
pub(super) fn policy_entry(kind: &str, name: Option<&str>, arn: Option<&str>, v: &V) -> Value {
    let pointer = v.pointer().text().into_owned();
    let why = match v.state() {
        St::Known(x) => return crate::ingest::aws_iam::entry(kind, name, arn, &pointer, Some(&x.to_value())),
        St::Unknown => UNKNOWN,
        St::Absent => "no policy document",
    };
    let mut e = crate::ingest::aws_iam::entry(kind, name, arn, &pointer, None);
    if let Value::Object(o) = &mut e {
        o.insert("unknown".into(), Value::String(why.into()));
    }
    e
}

/// `aws_iam_user` / `aws_iam_group`: their policies are separate resources
/// (`aws_iam_*_policy`, `_policy_attachment`), joined onto them; with the
/// plan's configuration at hand those are all there are, so the lists start
/// empty. Without it (a state alone) they are left unstated.
pub(super) fn iam_principal(s: &Src, o: &mut Out) {
    if s.has_config {
        let v = &s.v;
        o.put("policies", Some(v.known(Value::Array(Vec::new()))));
        o.put("managed_policy_arns", Some(v.known(Value::Array(Vec::new()))));
        o.put("inline_policy_count", Some(v.known(0)));
    }
}

/// `aws_iam_role`: inline policy blocks, managed policy ARNs, trust policy.
/// A computed (unknown) list the configuration does not set is what the
/// plan's own `aws_iam_role_policy` / `_attachment` resources make it: those
/// are joined, so it counts as empty here.
pub(super) fn iam_role(s: &Src, o: &mut Out) {
    let v = &s.v;
    let mut entries = Vec::new();
    let computed = |attr: &str| !configured(s.cfg, &[attr]) && s.has_config;
    let ip = v.get("inline_policy");
    match ip.state() {
        St::Unknown if computed("inline_policy") => {}
        St::Unknown => entries.push(policy_entry("inline", None, None, &ip)),
        _ => {
            for b in ip.items() {
                let (name, pol) = (b.get("name").str(), b.get("policy"));
                // The provider writes an empty block for a role without inline policies.
                let empty = name.is_none_or(str::is_empty) && matches!(pol.state(), St::Known(Json::String(t)) if t.is_empty());
                if !empty {
                    entries.push(policy_entry("inline", name, None, &pol));
                }
            }
        }
    }
    let arns = v.get("managed_policy_arns");
    match arns.state() {
        St::Known(Json::Array(a)) => {
            for (i, x) in a.iter().enumerate() {
                let p = arns.at(i).pointer().text().into_owned();
                entries.push(match x.as_str() {
                    Some(arn) => serde_json::json!({"kind": "managed", "arn": arn, "pointer": p}),
                    None => serde_json::json!({"kind": "managed", "pointer": p, "unknown": UNKNOWN}),
                });
            }
            o.put("managed_policy_arns", Some(arns.known(Value::Array(a.iter().map(Json::to_value).collect()))));
        }
        St::Unknown if computed("managed_policy_arns") => o.put("managed_policy_arns", Some(arns.known(Value::Array(Vec::new())))),
        St::Unknown => {
            entries.push(serde_json::json!({"kind": "managed", "pointer": arns.pointer().text(), "unknown": UNKNOWN}));
            o.put("managed_policy_arns", Some(arns.unknown()));
        }
        _ => o.put("managed_policy_arns", Some(arns.known(Value::Array(Vec::new())))),
    }
    o.put("policies", Some(v.known(Value::Array(entries))));
    o.put("trust_policy", policy_doc(&v.get("assume_role_policy")));
}

/// `aws_iam_*_policy_attachment`: one managed policy entry (with the address
/// of the plan's `aws_iam_policy` it references, resolved after the joins by
/// [`resolve_managed_policies`]) and its ARN.
pub(super) fn attachment(s: &Src, o: &mut Out, rtype: &str) {
    let v = &s.v;
    let pa = v.get("policy_arn");
    let pointer = pa.pointer().text().into_owned();
    let mut e = match pa.state() {
        St::Known(Json::String(a)) => serde_json::json!({"kind": "managed", "arn": a, "pointer": pointer}),
        _ => serde_json::json!({"kind": "managed", "pointer": pointer, "unknown": UNKNOWN}),
    };
    let module = o.r.id.rsplit_once(&format!("{rtype}.")).map(|(m, _)| m.to_string()).unwrap_or_default();
    let target = references(s.cfg, "policy_arn").into_iter().filter_map(ref_target).find(|(t, _, _)| *t == "aws_iam_policy");
    if let (Some((t, n, _)), Value::Object(m)) = (target, &mut e) {
        m.insert("ref".into(), Value::String(format!("{}{t}.{n}", strip_keys(&module))));
    }
    // An ARN known only after apply is still one attachment: the list is
    // known, its element says what it will be.
    let arn = match (pa.str(), e.get("ref").and_then(Value::as_str)) {
        (Some(a), _) => a.to_string(),
        (None, Some(r)) => format!("{r}.arn ({UNKNOWN})"),
        (None, None) => format!("({UNKNOWN})"),
    };
    o.put("policies", Some(v.known(Value::Array(vec![e]))));
    o.put("managed_policy_arns", Some(pa.known(Value::Array(vec![Value::String(arn)]))));
}

/// Give each principal's managed policy entry the document of the plan's
/// `aws_iam_policy` it names (by ARN, or by configuration reference when the
/// ARN is known only after apply). A join, like the others: nothing is judged.
pub(super) fn resolve_managed_policies(out: &mut [Resource]) {
    let mut by_key: FastMap<String, Option<Value>> = FastMap::default();
    for r in out.iter().filter(|r| r.native_type == "aws_iam_policy") {
        let Some(Value::Array(es)) = r.prop("policies").and_then(Prop::value) else { continue };
        let Some(e) = es.first() else { continue };
        let base = strip_keys(&r.id);
        // Two instances (count / for_each) under one address: ambiguous by reference.
        by_key.entry(format!("ref:{base}")).and_modify(|x| *x = None).or_insert_with(|| Some(e.clone()));
        if let Some(arn) = e.get("arn").and_then(Value::as_str) {
            by_key.insert(format!("arn:{arn}"), Some(e.clone()));
        }
    }
    if by_key.is_empty() {
        return;
    }
    for r in out.iter_mut().filter(|r| matches!(r.kind.as_str(), "iam_user" | "iam_role" | "iam_group")) {
        let Some(Prop::Known { value, .. }) = r.props.get_mut("policies") else { continue };
        let Value::Array(entries) = Arc::make_mut(value) else { continue };
        for e in entries.iter_mut().filter(|e| e.get("document").is_none()) {
            let found = [("arn", "arn:"), ("ref", "ref:")]
                .iter()
                .find_map(|(k, prefix)| e.get(*k).and_then(Value::as_str).and_then(|x| by_key.get(&format!("{prefix}{x}"))).cloned().flatten());
            if let Some(mut policy) = found {
                if let (Value::Object(m), Some(p)) = (&mut policy, e.get("pointer").cloned()) {
                    m.insert("attachment".into(), p);
                }
                *e = policy;
            }
        }
    }
}

/// `aws_eks_cluster`: the API server's public endpoint and who may reach it
/// (`master_authorized_networks`: the CIDRs, as the other clusters give them).
pub(super) fn eks(s: &Src, o: &mut Out) {
    let v = &s.v;
    let vc = v.block("vpc_config");
    let public = vc.get("endpoint_public_access");
    if s.left_to_provider(&public, &["vpc_config", "endpoint_public_access"]) {
        o.default(dflt::EKS_ENDPOINT, "public_endpoint", &public);
    } else {
        o.bool("public_endpoint", &public);
    }
    let cidrs = vc.get("public_access_cidrs");
    match cidrs.state() {
        _ if s.left_to_provider(&cidrs, &["vpc_config", "public_access_cidrs"]) => o.default(dflt::EKS_CIDRS, "master_authorized_networks", &cidrs),
        St::Known(Json::Array(a)) => {
            let list: Vec<Value> = a.iter().filter_map(Json::as_str).map(|c| Value::String(normalise_source(c))).collect();
            o.put("master_authorized_networks", Some(cidrs.known(Value::Array(list))));
        }
        St::Unknown => o.put("master_authorized_networks", Some(cidrs.unknown())),
        _ => {}
    }
    o.present("logging_enabled", &v.get("enabled_cluster_log_types"));
    // Envelope encryption of Kubernetes secrets with a KMS key of the customer's.
    let ec = v.get("encryption_config");
    match ec.state() {
        St::Known(x) if non_empty(x) => {
            let k = ec.at(0).block("provider").get("key_arn");
            match k.state() {
                St::Known(x) if non_empty(x) => super::aws_services::key_fact(s, o, &k, &["encryption_config", "provider", "key_arn"], dflt::EKS_SECRETS_KEY),
                St::Unknown => super::aws_services::key_fact(s, o, &k, &["encryption_config", "provider", "key_arn"], dflt::EKS_SECRETS_KEY),
                _ => o.default(dflt::EKS_SECRETS_KEY, "encryption_key", &ec),
            }
        }
        St::Unknown if configured(s.cfg, &["encryption_config"]) || !s.has_config => o.put("encryption_key", Some(ec.unknown())),
        _ => o.default(dflt::EKS_SECRETS_KEY, "encryption_key", &ec),
    }
}

pub(super) fn imdsv2(mo: &V) -> Option<Prop> {
    match mo.state() {
        St::Known(x) if non_empty(x) => mo.at(0).get("http_tokens").prop(|t| t.as_str().map(|t| Value::Bool(t.eq_ignore_ascii_case("required")))),
        St::Known(_) => Some(mo.known(false)),
        St::Unknown => Some(mo.unknown()),
        St::Absent => None,
    }
}
