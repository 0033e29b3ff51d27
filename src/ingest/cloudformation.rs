//! AWS CloudFormation templates (JSON, or YAML with short-form tags already
//! turned into their long form by `yaml.rs`) → inventory. Owns: resolving
//! values (`Ref` to a parameter's `Default`; everything else that is an
//! intrinsic function becomes `Prop::Unknown` naming the function), the
//! documented defaults of the mapped properties, and the joins a template
//! spreads over several resources (`AWS::EC2::SecurityGroupIngress` into its
//! group, `AWS::S3::BucketPolicy` into its bucket, IAM policies, groups and
//! managed policies into the principals they attach to).
//!
//! Invariant: every resource of the `Resources` map appears once (kind
//! `other` for types we do not assess), with id = logical id, except a
//! `SecurityGroupIngress` that was joined into a group of the same template.
//! Invariant: a value we cannot evaluate is `Prop::Unknown`, never a default;
//! a default is applied only when the property is absent.
//! Invariant: pointers are into the template (`/Resources/X/Properties/Y`),
//! prefixed with the YAML document index (`/0/Resources/...`) for YAML;
//! `source.line` is set for YAML resources.

use super::aws_iam::{self, PolicyFacts};
use super::defaults as dflt;
use super::yaml::YamlDoc;
use super::{Document, IngestError, ParseOutput};
use crate::ingest::util::{loose_bool, loose_f64, normalise_source, ptr};
use crate::inventory::{Diagnostic, DiagnosticLevel, Inventory, Prop, Provider, Resource, SourceRef, Text};
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, HashMap, HashSet};

mod services;

/// A template value after resolution.
enum Res<'a> {
    /// A literal (or a parameter default).
    Known(&'a Value),
    /// An expression we do not evaluate; the reason names it.
    Unknown(String),
    /// `Ref` to another resource of the template (its logical id).
    Resource(&'a str),
}

struct Tpl<'a> {
    file: &'a str,
    /// Pointer prefix of the document (`""` for JSON, `/N` for YAML document N).
    base: String,
    params: Option<&'a Map<String, Value>>,
    resources: &'a Map<String, Value>,
    lines: Option<&'a BTreeMap<String, u32>>,
}

fn single_key(v: &Value) -> Option<(&str, &Value)> {
    let o = v.as_object()?;
    if o.len() != 1 {
        return None;
    }
    o.iter().next().map(|(k, v)| (k.as_str(), v))
}

fn rtype(r: &Value) -> &str {
    r.get("Type").and_then(Value::as_str).unwrap_or("")
}

fn props_of(r: &Value) -> Option<&Value> {
    r.get("Properties").filter(|p| p.is_object())
}

impl<'a> Tpl<'a> {
    fn resolve(&self, v: &'a Value) -> Res<'a> {
        let Some((k, arg)) = single_key(v) else { return Res::Known(v) };
        match k {
            "Ref" => {
                let Some(name) = arg.as_str() else { return Res::Unknown("Ref with a non-string argument".into()) };
                if let Some(p) = self.params.and_then(|p| p.get(name)) {
                    return match p.get("Default") {
                        Some(d) if !d.is_null() => Res::Known(d),
                        _ => Res::Unknown(format!("unresolved parameter {name}")),
                    };
                }
                if name.starts_with("AWS::") {
                    return Res::Unknown(format!("pseudo parameter {name}"));
                }
                if self.resources.contains_key(name) {
                    return Res::Resource(name);
                }
                Res::Unknown(format!("Ref to {name}, which the template does not declare"))
            }
            "Fn::Sub" => match arg {
                Value::String(s) if !s.contains("${") => Res::Known(arg),
                _ => Res::Unknown("Fn::Sub with variables".into()),
            },
            "Fn::GetAtt" => {
                let what = match arg {
                    Value::Array(a) => a.iter().filter_map(Value::as_str).collect::<Vec<_>>().join("."),
                    Value::String(s) => s.clone(),
                    _ => String::new(),
                };
                Res::Unknown(format!("Fn::GetAtt {what}"))
            }
            k if k.starts_with("Fn::") || k == "Condition" => Res::Unknown(format!("{k} is not evaluated")),
            _ => Res::Known(v),
        }
    }

    fn res_pointer(&self, logical: &str) -> String {
        ptr(&format!("{}/Resources", self.base), logical)
    }

    fn line(&self, logical: &str) -> Option<u32> {
        self.lines.and_then(|l| l.get(&ptr("/Resources", logical)).copied())
    }

    fn diag(&self, level: DiagnosticLevel, logical: &str, message: String) -> Diagnostic {
        Diagnostic {
            level,
            message,
            source: Some(SourceRef { file: self.file.into(), pointer: self.res_pointer(logical).into(), line: self.line(logical) }),
        }
    }

    /// Set `canon` from `props[key]` converted by `conv`; when the key is
    /// absent use `absent` (the documented default), pointing at the
    /// `Properties` object.
    fn set_from(&self, r: &mut Resource, canon: &str, props: Option<&'a Value>, pp: &str, key: &str, absent: Option<Value>, conv: fn(&Value) -> Option<Value>) {
        match props.and_then(|p| p.get(key)).filter(|v| !v.is_null()) {
            None => {
                if let Some(d) = absent {
                    r.set(canon, d, pp);
                }
            }
            Some(v) => {
                let p = ptr(pp, key);
                match self.resolve(v) {
                    Res::Known(x) => match conv(x) {
                        Some(c) => r.set(canon, c, p),
                        None => r.set_unknown(canon, format!("unreadable value {x}"), p),
                    },
                    Res::Unknown(why) => r.set_unknown(canon, why, p),
                    Res::Resource(n) => r.set_unknown(canon, format!("value of resource {n}"), p),
                }
            }
        }
    }

    /// A resolved string (literal or parameter default), or the reason it is not.
    fn string(&self, v: Option<&'a Value>) -> Result<Option<String>, String> {
        match v.filter(|x| !x.is_null()) {
            None => Ok(None),
            Some(v) => match self.resolve(v) {
                Res::Known(Value::String(s)) => Ok(Some(s.clone())),
                Res::Known(Value::Number(n)) => Ok(Some(n.to_string())),
                Res::Known(other) => Err(format!("unexpected value {other}")),
                Res::Unknown(why) => Err(why),
                Res::Resource(n) => Ok(Some(n.to_string())),
            },
        }
    }

    /// The logical id a value refers to (`Ref X`, `Fn::GetAtt [X, ..]`), if X is a resource.
    fn target(&self, v: Option<&Value>) -> Option<String> {
        let (k, arg) = single_key(v?)?;
        let name = match (k, arg) {
            ("Ref", Value::String(s)) => s.as_str(),
            ("Fn::GetAtt", Value::Array(a)) => a.first()?.as_str()?,
            ("Fn::GetAtt", Value::String(s)) => s.split('.').next()?,
            _ => return None,
        };
        self.resources.contains_key(name).then(|| name.to_string())
    }
}

fn conv_bool(v: &Value) -> Option<Value> {
    loose_bool(v).map(Value::Bool)
}

fn conv_int(v: &Value) -> Option<Value> {
    loose_f64(v).map(|f| Value::from(f as i64))
}

fn conv_str(v: &Value) -> Option<Value> {
    match v {
        Value::String(s) => Some(Value::String(s.clone())),
        Value::Number(n) => Some(Value::String(n.to_string())),
        _ => None,
    }
}

/// The canonical kinds (besides `other`) a CloudFormation template can give.
/// Checked against what the parser emits on `tests/fixtures/ingest` by `tests/ingest_kinds.rs`.
pub(super) const KINDS: &[(Provider, &str)] = &[
    (Provider::Aws, "object_bucket"),
    (Provider::Aws, "firewall"),
    (Provider::Aws, "virtual_machine"),
    (Provider::Aws, "block_volume"),
    (Provider::Aws, "database"),
    (Provider::Aws, "kms_key"),
    (Provider::Aws, "audit_trail"),
    (Provider::Aws, "network"),
    (Provider::Aws, "flow_log"),
    (Provider::Aws, "iam_user"),
    (Provider::Aws, "iam_group"),
    (Provider::Aws, "iam_role"),
    (Provider::Aws, "iam_policy"),
    (Provider::Aws, "k8s_cluster"),
    (Provider::Aws, "message_queue"),
    (Provider::Aws, "notification_topic"),
    (Provider::Aws, "log_group"),
    (Provider::Aws, "secret"),
    (Provider::Aws, "container_registry"),
    (Provider::Aws, "nosql_table"),
    (Provider::Aws, "serverless_function"),
    (Provider::Aws, "search_domain"),
    (Provider::Aws, "api_stage"),
    (Provider::Aws, "api_method"),
    (Provider::Aws, "load_balancer"),
    (Provider::Aws, "lb_listener"),
    (Provider::Aws, "cache_cluster"),
    (Provider::Aws, "data_warehouse"),
    (Provider::Aws, "db_cluster"),
    (Provider::Aws, "launch_template"),
    (Provider::Aws, "subnet"),
    (Provider::Aws, "threat_detector"),
    (Provider::Aws, "config_recorder"),
];

/// Read a CloudFormation template (JSON, or each YAML document that has `Resources`).
pub(super) fn parse(file: &str, doc: &Document) -> ParseOutput {
    let mut resources = Vec::new();
    let mut diags = Vec::new();
    match doc {
        Document::Json(v) => match v.get("Resources").and_then(Value::as_object) {
            Some(map) => parse_template(file, v, map, String::new(), None, &mut resources, &mut diags),
            None => return Err(IngestError::Unrecognised("the template's Resources is not a map of logical ids".into())),
        },
        Document::Yaml(docs) => {
            let mut any = false;
            for (i, YamlDoc { value, lines }) in docs.iter().enumerate() {
                if let Some(map) = value.get("Resources").and_then(Value::as_object) {
                    any = true;
                    parse_template(file, value, map, format!("/{i}"), Some(lines), &mut resources, &mut diags);
                } else if !value.is_null() {
                    diags.push(Diagnostic {
                        level: DiagnosticLevel::Warning,
                        message: "YAML document without a Resources map; ignored".into(),
                        source: Some(SourceRef { file: file.into(), pointer: format!("/{i}").into(), line: None }),
                    });
                }
            }
            if !any {
                return Err(IngestError::Unrecognised("no YAML document with a CloudFormation Resources section".into()));
            }
        }
        _ => return Err(IngestError::Unrecognised("a CloudFormation template is JSON or YAML".into())),
    }
    Ok((Inventory { resources }, diags))
}

fn parse_template(
    file: &str,
    root: &Value,
    res_map: &Map<String, Value>,
    base: String,
    lines: Option<&BTreeMap<String, u32>>,
    out: &mut Vec<Resource>,
    diags: &mut Vec<Diagnostic>,
) {
    let t = Tpl { file, base, params: root.get("Parameters").and_then(Value::as_object), resources: res_map, lines };
    if root.get("Transform").is_some_and(|v| !v.is_null()) {
        diags.push(Diagnostic {
            level: DiagnosticLevel::Info,
            message: "the template uses a Transform (e.g. SAM or macros); resources the transform would create are not assessed, only those declared".into(),
            source: Some(SourceRef { file: file.into(), pointer: format!("{}/Transform", t.base).into(), line: None }),
        });
    }

    // ---- Pass 1: the joins.
    let mut sg_by_name: HashMap<String, String> = HashMap::new();
    let mut buckets_by_name: HashMap<String, String> = HashMap::new(); // raw BucketName (as JSON text) → logical id
    for (id, r) in res_map {
        match rtype(r) {
            "AWS::EC2::SecurityGroup" => {
                if let Ok(Some(n)) = t.string(props_of(r).and_then(|p| p.get("GroupName"))) {
                    sg_by_name.insert(n, id.clone());
                }
            }
            "AWS::S3::Bucket" => {
                if let Some(n) = props_of(r).and_then(|p| p.get("BucketName")) {
                    buckets_by_name.entry(n.to_string()).or_insert_with(|| id.clone());
                }
            }
            _ => {}
        }
    }
    let mut ingress_of: HashMap<String, Vec<&str>> = HashMap::new();
    let mut orphan_ingress: HashSet<&str> = HashSet::new();
    let mut policy_of_bucket: HashMap<String, &str> = HashMap::new();
    let mut unjoined_bucket_policy = false;
    for (id, r) in res_map {
        let p = props_of(r);
        match rtype(r) {
            "AWS::EC2::SecurityGroupIngress" => {
                let by_id = t.target(p.and_then(|p| p.get("GroupId")));
                let by_name = || match p.and_then(|p| p.get("GroupName")) {
                    Some(v) => t.target(Some(v)).or_else(|| t.string(Some(v)).ok().flatten().and_then(|n| sg_by_name.get(&n).cloned())),
                    None => None,
                };
                match by_id.or_else(by_name).filter(|g| res_map.get(g).map(rtype) == Some("AWS::EC2::SecurityGroup")) {
                    Some(g) => ingress_of.entry(g).or_default().push(id),
                    None => {
                        orphan_ingress.insert(id);
                    }
                }
            }
            "AWS::S3::BucketPolicy" => {
                let b = p.and_then(|p| p.get("Bucket"));
                // `Ref` to the bucket, or the same BucketName expression (literal or Fn::Sub).
                let joined = t.target(b).or_else(|| buckets_by_name.get(&b?.to_string()).cloned());
                match joined {
                    Some(l) => {
                        policy_of_bucket.insert(l, id);
                    }
                    None => unjoined_bucket_policy = true,
                }
            }
            _ => {}
        }
    }
    let iam = IamIndex::build(&t);
    let service_children = services::children(&t);

    // ---- Pass 2: one resource per logical id.
    let mut iam_facts: Vec<(usize, PolicyFacts, Option<String>)> = Vec::new(); // index, facts, group logical id
    for (id, r) in res_map {
        let ty = rtype(r);
        if r.get("Type").and_then(Value::as_str).is_none() {
            diags.push(t.diag(DiagnosticLevel::Warning, id, format!("resource {id} has no Type; skipped")));
            continue;
        }
        if ty == "AWS::EC2::SecurityGroupIngress" && !orphan_ingress.contains(id.as_str()) {
            continue;
        }
        let rp = t.res_pointer(id);
        let pp = format!("{rp}/Properties");
        let props = props_of(r);
        if r.get("Properties").is_some_and(|p| !p.is_object() && !p.is_null()) {
            diags.push(t.diag(DiagnosticLevel::Warning, id, format!("resource {id}: Properties is not a map; its settings are not read")));
        }
        let mut res = Resource {
            provider: Provider::Aws,
            kind: Text::interned("other"),
            native_type: Text::interned(ty),
            id: id.clone().into(),
            name: literal_name(&t, ty, props).unwrap_or_else(|| id.clone()).into(),
            region: None,
            account: None,
            source: SourceRef { file: file.into(), pointer: rp.clone().into(), line: t.line(id) },
            props: Default::default(),
        };
        match ty {
            "AWS::S3::Bucket" => {
                let policy = policy_of_bucket.get(id).map(|pid| (*pid, res_map.get(*pid)));
                map_bucket(&t, &mut res, props, &pp, policy, unjoined_bucket_policy);
            }
            "AWS::EC2::SecurityGroup" => {
                res.kind = Text::interned("firewall");
                // A template cannot declare a VPC's default group (EC2 makes it with the VPC and reserves its name).
                res.set("default_group", false, rp.as_str());
                let mut rules = Vec::new();
                let ingress = props.and_then(|p| p.get("SecurityGroupIngress")).filter(|v| !v.is_null());
                let ip = ptr(&pp, "SecurityGroupIngress");
                let mut unknown = None;
                match ingress.map(|v| t.resolve(v)) {
                    None => {}
                    Some(Res::Known(Value::Array(a))) => rules.extend(a.iter().map(|x| ingress_rule(&t, x))),
                    Some(Res::Known(other)) => unknown = Some(format!("SecurityGroupIngress is not a list: {other}")),
                    Some(Res::Unknown(why)) => unknown = Some(why),
                    Some(Res::Resource(n)) => unknown = Some(format!("value of resource {n}")),
                }
                for ing in ingress_of.get(id).map(Vec::as_slice).unwrap_or(&[]) {
                    if let Some(p) = res_map.get(*ing).and_then(props_of) {
                        rules.push(ingress_rule(&t, p));
                    }
                }
                match unknown {
                    Some(why) => res.set_unknown("ingress", why, ip),
                    None => res.set("ingress", rules, if ingress.is_some() { ip } else { pp.clone() }),
                }
                // Egress: EC2 gives a new group an allow-all egress rule unless the template lists its own.
                let ep = ptr(&pp, "SecurityGroupEgress");
                match props.and_then(|p| p.get("SecurityGroupEgress")).filter(|v| !v.is_null()).map(|v| t.resolve(v)) {
                    None => {
                        if let Some(p) = dflt::prop(dflt::SG_DEFAULT_EGRESS, "egress", pp.as_str()) {
                            res.props.insert("egress", p);
                        }
                    }
                    Some(Res::Known(Value::Array(a))) => res.set("egress", a.iter().map(|x| ingress_rule(&t, x)).collect::<Vec<_>>(), ep),
                    Some(Res::Known(other)) => res.set_unknown("egress", format!("SecurityGroupEgress is not a list: {other}"), ep),
                    Some(Res::Unknown(why)) => res.set_unknown("egress", why, ep),
                    Some(Res::Resource(n)) => res.set_unknown("egress", format!("value of resource {n}"), ep),
                }
            }
            "AWS::EC2::SecurityGroupIngress" => {
                // Not joinable to a group of this template: keep it as its own firewall.
                res.kind = Text::interned("firewall");
                let rule = props.map(|p| ingress_rule(&t, p)).unwrap_or(Value::Null);
                res.set("ingress", vec![rule], pp.clone());
                diags.push(t.diag(
                    DiagnosticLevel::Info,
                    id,
                    format!("{id}: its security group is not declared in this template; the rule is assessed on its own"),
                ));
            }
            "AWS::EC2::Instance" => map_instance(&t, &mut res, props, &pp),
            "AWS::EC2::Volume" => {
                res.kind = Text::interned("block_volume");
                t.set_from(&mut res, "encryption_at_rest", props, &pp, "Encrypted", Some(json!(false)), conv_bool);
                match res.prop("encryption_at_rest").and_then(Prop::value) {
                    Some(Value::Bool(true)) => services::key_of(&t, &mut res, props, &pp, &["KmsKeyId"], Some(dflt::EBS_DEFAULT_KEY)),
                    Some(Value::Bool(false)) => res.set("encryption_key", "none", pp.clone()),
                    _ => {}
                }
            }
            "AWS::RDS::DBInstance" => map_rds(&t, &mut res, props, &pp),
            "AWS::EKS::Cluster" => map_eks(&t, &mut res, props, &pp),
            "AWS::CloudTrail::Trail" => {
                res.kind = Text::interned("audit_trail");
                t.set_from(&mut res, "log_file_validation", props, &pp, "EnableLogFileValidation", Some(json!(false)), conv_bool);
                t.set_from(&mut res, "multi_region", props, &pp, "IsMultiRegionTrail", Some(json!(false)), conv_bool);
                t.set_from(&mut res, "logging_enabled", props, &pp, "IsLogging", None, conv_bool);
                set_present(&mut res, "kms_encrypted", props, &pp, "KMSKeyId");
                set_present(&mut res, "cloudwatch_integration", props, &pp, "CloudWatchLogsLogGroupArn");
            }
            "AWS::KMS::Key" => {
                res.kind = Text::interned("kms_key");
                t.set_from(&mut res, "rotation_enabled", props, &pp, "EnableKeyRotation", Some(json!(false)), conv_bool);
                t.set_from(&mut res, "rotation_period_days", props, &pp, "RotationPeriodInDays", None, conv_int);
                t.set_from(&mut res, "enabled", props, &pp, "Enabled", Some(json!(true)), conv_bool);
                t.set_from(&mut res, "deletion_window_days", props, &pp, "PendingWindowInDays", Some(json!(30)), conv_int);
                // No KeyPolicy: KMS gives the key its default policy (the account only), stated as `null`.
                match props.and_then(|p| p.get("KeyPolicy")).filter(|d| !d.is_null()) {
                    Some(doc) => {
                        res.props.insert("key_policy", aws_iam::document_prop(doc, &ptr(&pp, "KeyPolicy")));
                    }
                    None => res.set("key_policy", Value::Null, pp.clone()),
                }
            }
            "AWS::EC2::VPC" => res.kind = Text::interned("network"),
            "AWS::EC2::FlowLog" => {
                res.kind = Text::interned("flow_log");
                match props.and_then(|p| p.get("ResourceId")) {
                    Some(v) => match t.string(Some(v)) {
                        Ok(Some(s)) => res.set("target_id", s, ptr(&pp, "ResourceId")),
                        Ok(None) => {}
                        Err(why) => res.set_unknown("target_id", why, ptr(&pp, "ResourceId")),
                    },
                    None => {}
                }
                t.set_from(&mut res, "traffic_type", props, &pp, "TrafficType", None, conv_str);
            }
            "AWS::IAM::User" | "AWS::IAM::Role" | "AWS::IAM::Group" => {
                res.kind = match ty {
                    "AWS::IAM::User" => "iam_user",
                    "AWS::IAM::Role" => "iam_role",
                    _ => "iam_group",
                }
                .into();
                let facts = iam.facts_for(&t, id, props, &pp);
                if ty == "AWS::IAM::User" {
                    let n = props.and_then(|p| p.get("Policies")).and_then(Value::as_array).map_or(0, Vec::len);
                    res.set("inline_policy_count", n as u64, pp.clone());
                    let login = props.and_then(|p| p.get("LoginProfile")).is_some_and(|v| !v.is_null());
                    res.set("console_access", login, if login { ptr(&pp, "LoginProfile") } else { pp.clone() });
                }
                if ty == "AWS::IAM::Role" {
                    aws_iam::set_trust(&mut res, props.and_then(|p| p.get("AssumeRolePolicyDocument")), &ptr(&pp, "AssumeRolePolicyDocument"));
                }
                iam_facts.push((out.len(), facts, (ty == "AWS::IAM::Group").then(|| id.clone())));
            }
            "AWS::IAM::Policy" | "AWS::IAM::ManagedPolicy" => {
                res.kind = Text::interned("iam_policy");
                match iam.policies.get(&format!("logical:{id}")) {
                    Some(e) => res.set("policies", Value::Array(vec![e.clone()]), ptr(&pp, "PolicyDocument")),
                    None => res.set_unknown("policies", "no PolicyDocument", pp.clone()),
                }
                let attached = iam.attached.get(id.as_str()).cloned();
                match attached {
                    Some(p) => res.set("attached", true, p),
                    None => res.set("attached", false, pp.clone()),
                }
            }
            _ => {
                let joined = service_children.get(id.as_str()).map(Vec::as_slice).unwrap_or(&[]);
                services::map(&t, &mut res, ty, props, &pp, joined);
            }
        }
        out.push(res);
    }

    // ---- IAM policies in force, after every policy and group is known.
    let mut groups: HashMap<String, Vec<Value>> = HashMap::new();
    for (idx, f, g) in iam_facts.iter().filter(|(_, _, g)| g.is_some()) {
        let settled = aws_iam::settle_policies(f, &iam.policies, &HashMap::new());
        if let Some(g) = g {
            groups.insert(format!("logical:{g}"), settled.clone());
        }
        if let Some(r) = out.get_mut(*idx) {
            set_principal(r, f, settled);
        }
    }
    for (idx, f, _) in iam_facts.iter().filter(|(_, _, g)| g.is_none()) {
        let settled = aws_iam::settle_policies(f, &iam.policies, &groups);
        if let Some(r) = out.get_mut(*idx) {
            set_principal(r, f, settled);
        }
    }
}

/// `policies` and `managed_policy_arns` of a user, group or role.
fn set_principal(r: &mut Resource, f: &PolicyFacts, settled: Vec<Value>) {
    let pp = format!("{}/Properties", r.source.pointer.text());
    r.set("policies", Value::Array(settled), &pp);
    r.set("managed_policy_arns", f.managed_arns(), ptr(&pp, "ManagedPolicyArns"));
}

/// The physical name when the template gives it as a literal.
fn literal_name(t: &Tpl, ty: &str, props: Option<&Value>) -> Option<String> {
    let key = match ty {
        "AWS::S3::Bucket" => "BucketName",
        "AWS::EC2::SecurityGroup" => "GroupName",
        "AWS::CloudTrail::Trail" => "TrailName",
        "AWS::RDS::DBInstance" => "DBInstanceIdentifier",
        "AWS::IAM::User" => "UserName",
        "AWS::IAM::Role" => "RoleName",
        "AWS::IAM::Group" => "GroupName",
        "AWS::IAM::ManagedPolicy" => "ManagedPolicyName",
        "AWS::IAM::Policy" => "PolicyName",
        "AWS::DynamoDB::Table" => "TableName",
        _ => return None,
    };
    match t.resolve(props?.get(key)?) {
        Res::Known(Value::String(s)) if !s.is_empty() => Some(s.clone()),
        _ => None,
    }
}

/// `canon` is true when `key` is set to anything (a value or an expression), false when absent.
fn set_present(r: &mut Resource, canon: &str, props: Option<&Value>, pp: &str, key: &str) {
    let present = props.and_then(|p| p.get(key)).is_some_and(|v| !v.is_null() && v.as_str() != Some(""));
    r.set(canon, present, if present { ptr(pp, key) } else { pp.to_string() });
}

/// One ingress rule (inline `SecurityGroupIngress` item or a
/// `SecurityGroupIngress` resource's properties) in canonical form. A source
/// or port we cannot resolve is left out, so checks see it as unknown.
fn ingress_rule(t: &Tpl, x: &Value) -> Value {
    if single_key(x).is_some_and(|(k, _)| k.starts_with("Fn::") || k == "Ref") {
        // The whole rule is an expression (`Fn::If [..]`): no sources or ports,
        // so checks see it as unknown.
        return json!({"protocol": "unknown", "action": "allow"});
    }
    let proto = match t.resolve(x.get("IpProtocol").unwrap_or(&Value::Null)) {
        Res::Known(v) => match v {
            Value::Number(n) => n.to_string(),
            Value::String(s) => s.trim().to_ascii_lowercase(),
            _ => "all".into(),
        },
        _ => "unknown".into(),
    };
    let proto = match proto.as_str() {
        "-1" | "all" => "all".to_string(),
        "6" | "tcp" => "tcp".into(),
        "17" | "udp" => "udp".into(),
        "1" | "icmp" | "58" | "icmpv6" => "icmp".into(),
        other => other.to_string(),
    };
    let mut rule = json!({"protocol": proto, "action": "allow"});
    let mut sources = Vec::new();
    let mut unknown_source = false;
    for key in ["CidrIp", "CidrIpv6", "SourceSecurityGroupId", "SourceSecurityGroupName", "SourcePrefixListId"] {
        match t.string(x.get(key)) {
            Ok(Some(s)) if key.starts_with("Cidr") => sources.push(Value::String(normalise_source(&s))),
            Ok(Some(s)) => sources.push(Value::String(s)),
            Ok(None) => {}
            Err(_) => unknown_source = true,
        }
    }
    if !unknown_source {
        rule["sources"] = Value::Array(sources);
    }
    if proto == "all" {
        // EC2: protocol -1 allows every port whatever FromPort/ToPort say.
        rule["from_port"] = json!(0);
        rule["to_port"] = json!(65535);
    } else if proto == "tcp" || proto == "udp" {
        let port = |k: &str| match x.get(k).map(|v| t.resolve(v)) {
            Some(Res::Known(v)) => loose_f64(v).map(|f| f as i64),
            _ => None,
        };
        match (port("FromPort"), port("ToPort")) {
            (Some(f), Some(tp)) if f < 0 || tp < 0 => {
                rule["from_port"] = json!(0);
                rule["to_port"] = json!(65535);
            }
            (Some(f), Some(tp)) => {
                rule["from_port"] = json!(f);
                rule["to_port"] = json!(tp);
            }
            (Some(f), None) if f < 0 => {
                rule["from_port"] = json!(0);
                rule["to_port"] = json!(65535);
            }
            _ => {}
        }
    }
    rule
}

fn map_bucket(t: &Tpl, r: &mut Resource, props: Option<&Value>, pp: &str, policy: Option<(&str, Option<&Value>)>, unjoined: bool) {
    r.kind = Text::interned("object_bucket");
    let get = |k: &str| props.and_then(|p| p.get(k)).filter(|v| !v.is_null());
    // A template creates the bucket: what it leaves out is S3's default for a new bucket.
    let put = |r: &mut Resource, id: &str, name: &str, at: &str| {
        if let Some(p) = dflt::prop(id, name, at) {
            r.props.insert(name, p);
        }
    };
    // Public access block: all four flags true.
    match get("PublicAccessBlockConfiguration") {
        None => put(r, dflt::S3_BLOCK_PUBLIC_ACCESS, "public_access_blocked", pp),
        Some(pab) => {
            let p = ptr(pp, "PublicAccessBlockConfiguration");
            let mut all = Some(true);
            let mut why = None;
            let flag = |f: &str| match pab.get(f).map(|v| t.resolve(v)) {
                Some(Res::Known(v)) => loose_bool(v),
                _ => None,
            };
            let flags = [flag("BlockPublicAcls"), flag("IgnorePublicAcls"), flag("BlockPublicPolicy"), flag("RestrictPublicBuckets")];
            for f in ["BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"] {
                match pab.get(f).map(|v| t.resolve(v)) {
                    Some(Res::Known(v)) if loose_bool(v) == Some(true) => {}
                    Some(Res::Unknown(w)) => why = Some(format!("{f}: {w}")),
                    _ => all = Some(false),
                }
            }
            r.props.insert("public_access_block", Prop::Known { value: crate::ingest::util::public_access_flags(flags), pointer: p.clone().into() });
            match (all, why) {
                (Some(false), _) => r.set("public_access_blocked", false, p),
                (_, Some(w)) => r.set_unknown("public_access_blocked", w, p),
                _ => r.set("public_access_blocked", true, p),
            }
        }
    }
    // Default encryption.
    let s3_default = |r: &mut Resource, at: &str| {
        for name in ["encryption_at_rest", "encryption_key", "encryption_algorithm"] {
            put(r, dflt::S3_ENCRYPTION, name, at);
        }
    };
    match get("BucketEncryption") {
        None => s3_default(r, pp),
        Some(be) => {
            let p = ptr(pp, "BucketEncryption");
            let rules = be.get("ServerSideEncryptionConfiguration").and_then(Value::as_array);
            let first = rules.and_then(|a| a.iter().find_map(|x| x.get("ServerSideEncryptionByDefault")));
            match first {
                None => s3_default(r, &p),
                Some(d) => {
                    r.set("encryption_at_rest", true, p.clone());
                    let algo = t.string(d.get("SSEAlgorithm"));
                    let key = d.get("KMSMasterKeyID").filter(|k| !k.is_null());
                    match algo {
                        Ok(Some(a)) => {
                            if a.to_ascii_lowercase().contains("kms") && key.is_some() {
                                let idx = rules.and_then(|rs| rs.iter().position(|x| x.get("ServerSideEncryptionByDefault").is_some())).unwrap_or(0);
                                let path = ["ServerSideEncryptionConfiguration", &idx.to_string(), "ServerSideEncryptionByDefault"];
                                services::key_of(t, r, Some(be), &p, &[path[0], path[1], path[2], "KMSMasterKeyID"], None);
                            } else {
                                r.set("encryption_key", "provider", p.clone());
                            }
                            r.set("encryption_algorithm", a, p);
                        }
                        Ok(None) => {}
                        Err(w) => r.set_unknown("encryption_key", w, p),
                    }
                }
            }
        }
    }
    match get("VersioningConfiguration") {
        None => put(r, dflt::S3_VERSIONING, "versioning", pp),
        Some(vc) => {
            let p = ptr(&ptr(pp, "VersioningConfiguration"), "Status");
            match t.string(vc.get("Status")) {
                Ok(s) => r.set("versioning", s.is_some_and(|s| s.eq_ignore_ascii_case("Enabled")), p),
                Err(w) => r.set_unknown("versioning", w, p),
            }
        }
    }
    match get("LoggingConfiguration") {
        None => put(r, dflt::S3_ACCESS_LOGGING, "access_logging", pp),
        Some(lc) => {
            let p = ptr(pp, "LoggingConfiguration");
            r.set("access_logging", true, p.clone());
            match lc.get("DestinationBucketName").map(|v| t.resolve(v)) {
                Some(Res::Known(v)) if v.is_string() => r.set("access_logging_target", v.clone(), ptr(&p, "DestinationBucketName")),
                Some(Res::Unknown(w)) => r.set_unknown("access_logging_target", w, ptr(&p, "DestinationBucketName")),
                Some(Res::Resource(n)) => r.set("access_logging_target", format!("resource {n}"), ptr(&p, "DestinationBucketName")),
                _ => {}
            }
        }
    }
    match get("ReplicationConfiguration") {
        None => put(r, dflt::S3_REPLICATION, "replication", pp),
        Some(rc) => {
            let rules = rc.get("Rules").and_then(Value::as_array).is_some_and(|a| !a.is_empty());
            r.set("replication", rules, ptr(pp, "ReplicationConfiguration"));
        }
    }
    match get("ObjectLockEnabled") {
        None => put(r, dflt::S3_OBJECT_LOCK, "object_lock", pp),
        Some(_) => t.set_from(r, "object_lock", props, pp, "ObjectLockEnabled", None, conv_bool),
    }
    if let Some(ret) = get("ObjectLockConfiguration").and_then(|c| c.get("Rule")).and_then(|r| r.get("DefaultRetention")) {
        let p = format!("{}/Rule/DefaultRetention", ptr(pp, "ObjectLockConfiguration"));
        let n = |k: &str| match ret.get(k).map(|v| t.resolve(v)) {
            Some(Res::Known(v)) => loose_f64(v),
            _ => None,
        };
        if let Some(d) = n("Days").or_else(|| n("Years").map(|y| y * 365.0)) {
            r.set("retention_days", d as i64, p);
        }
    }
    // Public read: canned ACL, or a bucket policy that allows anyone.
    match get("AccessControl").map(|v| t.resolve(v)) {
        None => put(r, dflt::S3_ACLS_DISABLED, "public_read", pp),
        Some(Res::Known(v)) => {
            let s = v.as_str().unwrap_or("");
            r.set("public_read", s.eq_ignore_ascii_case("PublicRead") || s.eq_ignore_ascii_case("PublicReadWrite"), ptr(pp, "AccessControl"));
        }
        Some(Res::Unknown(w)) => r.set_unknown("public_read", w, ptr(pp, "AccessControl")),
        Some(Res::Resource(n)) => r.set_unknown("public_read", format!("value of resource {n}"), ptr(pp, "AccessControl")),
    }
    match policy {
        Some((pid, Some(pres))) => {
            let dp = format!("{}/Properties/PolicyDocument", t.res_pointer(pid));
            match props_of(pres).and_then(|p| p.get("PolicyDocument")).filter(|d| !d.is_null()) {
                Some(doc) => r.props.insert("bucket_policy", aws_iam::document_prop(doc, &dp)),
                None => r.props.insert("bucket_policy", Prop::unknown("the bucket policy has no PolicyDocument", dp)),
            };
        }
        _ if unjoined => r.set_unknown("bucket_policy", "a bucket policy in the template names a bucket we could not resolve", pp),
        _ => r.set("bucket_policy", Value::Null, pp),
    }
}

fn map_instance(t: &Tpl, r: &mut Resource, props: Option<&Value>, pp: &str) {
    r.kind = Text::interned("virtual_machine");
    let mo = props.and_then(|p| p.get("MetadataOptions")).filter(|v| !v.is_null());
    let lt = props.and_then(|p| p.get("LaunchTemplate")).filter(|v| !v.is_null());
    match (mo, lt) {
        (Some(m), _) => match m.get("HttpTokens") {
            Some(v) => {
                let p = ptr(&ptr(pp, "MetadataOptions"), "HttpTokens");
                match t.string(Some(v)) {
                    Ok(s) => r.set("imdsv2_required", s.is_some_and(|s| s.eq_ignore_ascii_case("required")), p),
                    Err(w) => r.set_unknown("imdsv2_required", w, p),
                }
            }
            None => r.set("imdsv2_required", false, ptr(pp, "MetadataOptions")),
        },
        (None, Some(_)) => r.set_unknown("imdsv2_required", "metadata options come from the launch template", ptr(pp, "LaunchTemplate")),
        (None, None) => {
            if let Some(p) = dflt::prop(dflt::EC2_IMDS, "imdsv2_required", pp) {
                r.props.insert("imdsv2_required", p);
            }
        }
    }
    if let Some(nis) = props.and_then(|p| p.get("NetworkInterfaces")).and_then(Value::as_array) {
        for (i, ni) in nis.iter().enumerate() {
            if let Some(v) = ni.get("AssociatePublicIpAddress") {
                if let Res::Known(b) = t.resolve(v) {
                    if loose_bool(b) == Some(true) {
                        r.set("public_ip", true, format!("{}/{i}/AssociatePublicIpAddress", ptr(pp, "NetworkInterfaces")));
                    }
                }
            }
        }
    }
    t.set_from(r, "detailed_monitoring", props, pp, "Monitoring", Some(json!(false)), conv_bool);
}

/// `AWS::EKS::Cluster`: the API server's public endpoint, who may reach it,
/// and control plane logging (defaults: `ingest::defaults`).
fn map_eks(t: &Tpl, r: &mut Resource, props: Option<&Value>, pp: &str) {
    r.kind = Text::interned("k8s_cluster");
    let vc = props.and_then(|p| p.get("ResourcesVpcConfig")).filter(|v| !v.is_null());
    let vp = ptr(pp, "ResourcesVpcConfig");
    let at = if vc.is_some() { vp.clone() } else { pp.to_string() };
    match vc.and_then(|v| v.get("EndpointPublicAccess")).filter(|v| !v.is_null()) {
        None => {
            if let Some(p) = dflt::prop(dflt::EKS_ENDPOINT, "public_endpoint", at.clone()) {
                r.props.insert("public_endpoint", p);
            }
        }
        Some(_) => t.set_from(r, "public_endpoint", vc, &vp, "EndpointPublicAccess", None, conv_bool),
    }
    match vc.and_then(|v| v.get("PublicAccessCidrs")).filter(|v| !v.is_null()).map(|v| t.resolve(v)) {
        None => {
            if let Some(p) = dflt::prop(dflt::EKS_CIDRS, "master_authorized_networks", at) {
                r.props.insert("master_authorized_networks", p);
            }
        }
        Some(Res::Known(v)) => {
            let p = ptr(&vp, "PublicAccessCidrs");
            match v.as_array() {
                Some(list) => {
                    let mut cidrs = Vec::new();
                    let mut why = None;
                    for c in list {
                        match t.resolve(c) {
                            Res::Known(Value::String(c)) => cidrs.push(Value::String(normalise_source(c))),
                            Res::Known(x) => why = Some(format!("unreadable value {x}")),
                            Res::Unknown(w) => why = Some(w),
                            Res::Resource(n) => why = Some(format!("value of resource {n}")),
                        }
                    }
                    match why {
                        Some(w) => r.set_unknown("master_authorized_networks", w, p),
                        None => r.set("master_authorized_networks", cidrs, p),
                    }
                }
                None => r.set_unknown("master_authorized_networks", format!("unreadable value {v}"), p),
            }
        }
        Some(Res::Unknown(w)) => r.set_unknown("master_authorized_networks", w, ptr(&vp, "PublicAccessCidrs")),
        Some(Res::Resource(n)) => r.set_unknown("master_authorized_networks", format!("value of resource {n}"), ptr(&vp, "PublicAccessCidrs")),
    }
    let types = props.and_then(|p| p.get("Logging")).and_then(|l| l.get("ClusterLogging")).and_then(|c| c.get("EnabledTypes"));
    match types {
        Some(Value::Array(a)) => r.set("logging_enabled", !a.is_empty(), format!("{pp}/Logging/ClusterLogging/EnabledTypes")),
        Some(_) => r.set_unknown("logging_enabled", "EnabledTypes is not a list", format!("{pp}/Logging/ClusterLogging/EnabledTypes")),
        // Control plane logging is off unless types are enabled.
        None => r.set("logging_enabled", false, pp),
    }
    // Envelope encryption of Kubernetes secrets with a customer's KMS key.
    match props.and_then(|p| p.get("EncryptionConfig")).and_then(Value::as_array).and_then(|a| a.first()) {
        Some(_) => services::key_of(t, r, props, pp, &["EncryptionConfig", "0", "Provider", "KeyArn"], Some(dflt::EKS_SECRETS_KEY)),
        None => {
            if let Some(p) = dflt::prop(dflt::EKS_SECRETS_KEY, "encryption_key", pp) {
                r.props.insert("encryption_key", p);
            }
        }
    }
}

fn map_rds(t: &Tpl, r: &mut Resource, props: Option<&Value>, pp: &str) {
    r.kind = Text::interned("database");
    let has = |k: &str| props.and_then(|p| p.get(k)).is_some_and(|v| !v.is_null());
    // Aurora members and restores inherit encryption from the cluster/snapshot.
    let inherited = has("DBClusterIdentifier") || has("SourceDBInstanceIdentifier") || has("DBSnapshotIdentifier");
    match props.and_then(|p| p.get("StorageEncrypted")).filter(|v| !v.is_null()) {
        None if !inherited => {
            if let Some(p) = dflt::prop(dflt::RDS_ENCRYPTION, "encryption_at_rest", pp) {
                r.props.insert("encryption_at_rest", p);
            }
        }
        _ => t.set_from(r, "encryption_at_rest", props, pp, "StorageEncrypted", None, conv_bool),
    }
    match r.prop("encryption_at_rest").and_then(Prop::value) {
        Some(Value::Bool(true)) => services::key_of(t, r, props, pp, &["KmsKeyId"], Some(dflt::RDS_DEFAULT_KEY)),
        Some(Value::Bool(false)) if props.and_then(|p| p.get("StorageEncrypted")).is_none() => {
            if let Some(p) = dflt::prop(dflt::RDS_ENCRYPTION, "encryption_key", pp) {
                r.props.insert("encryption_key", p);
            }
        }
        Some(Value::Bool(false)) => r.set("encryption_key", "none", ptr(pp, "StorageEncrypted")),
        _ => {}
    }
    t.set_from(r, "publicly_accessible", props, pp, "PubliclyAccessible", None, conv_bool);
    t.set_from(r, "backup_retention_days", props, pp, "BackupRetentionPeriod", (!has("DBClusterIdentifier")).then(|| json!(1)), conv_int);
    t.set_from(r, "multi_az", props, pp, "MultiAZ", (!has("DBClusterIdentifier")).then(|| json!(false)), conv_bool);
    t.set_from(r, "deletion_protection", props, pp, "DeletionProtection", Some(json!(false)), conv_bool);
    t.set_from(r, "auto_minor_version_upgrade", props, pp, "AutoMinorVersionUpgrade", Some(json!(true)), conv_bool);
}

/// Who in the template grants what: managed/inline policy resources by
/// logical id, and which principals they attach to.
struct IamIndex {
    /// `logical:<id>` of policy resources → their `policies` entry.
    policies: HashMap<String, Value>,
    /// Principal logical id → policies attached by a policy resource's `Users`/`Roles`/`Groups`.
    attached_to: HashMap<String, Vec<(String, String)>>,
    /// Policy logical id → pointer to the first attachment.
    attached: HashMap<String, String>,
    /// Literal names of users/roles/groups → logical id.
    names: HashMap<(String, String), String>,
}

impl IamIndex {
    fn build(t: &Tpl) -> IamIndex {
        let mut idx = IamIndex { policies: HashMap::new(), attached_to: HashMap::new(), attached: HashMap::new(), names: HashMap::new() };
        for (id, r) in t.resources {
            let kind = match rtype(r) {
                "AWS::IAM::User" => ("Users", "UserName"),
                "AWS::IAM::Role" => ("Roles", "RoleName"),
                "AWS::IAM::Group" => ("Groups", "GroupName"),
                _ => continue,
            };
            if let Ok(Some(n)) = t.string(props_of(r).and_then(|p| p.get(kind.1))) {
                idx.names.insert((kind.0.to_string(), n), id.clone());
            }
        }
        for (id, r) in t.resources {
            if !matches!(rtype(r), "AWS::IAM::Policy" | "AWS::IAM::ManagedPolicy") {
                continue;
            }
            let pp = format!("{}/Properties", t.res_pointer(id));
            let props = props_of(r);
            let key = format!("logical:{id}");
            if let Some(doc) = props.and_then(|p| p.get("PolicyDocument")).filter(|d| !d.is_null()) {
                let kind = if rtype(r) == "AWS::IAM::Policy" { "inline" } else { "managed" };
                let name = literal_name(t, rtype(r), props).unwrap_or_else(|| id.clone());
                idx.policies.insert(key.clone(), aws_iam::entry(kind, Some(&name), None, &format!("{pp}/PolicyDocument"), Some(doc)));
            }
            for list in ["Users", "Roles", "Groups"] {
                for (i, v) in props.and_then(|p| p.get(list)).and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[]).iter().enumerate() {
                    let p = format!("{pp}/{list}/{i}");
                    idx.attached.entry(id.clone()).or_insert_with(|| p.clone());
                    let target = t.target(Some(v)).or_else(|| t.string(Some(v)).ok().flatten().and_then(|n| idx.names.get(&(list.to_string(), n)).cloned()));
                    if let Some(target) = target {
                        idx.attached_to.entry(target).or_default().push((key.clone(), p));
                    }
                }
            }
        }
        // Managed policies referenced by a principal's ManagedPolicyArns.
        for (id, r) in t.resources {
            for (i, v) in props_of(r).and_then(|p| p.get("ManagedPolicyArns")).and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[]).iter().enumerate() {
                if let Some(target) = t.target(Some(v)) {
                    let p = format!("{}/Properties/ManagedPolicyArns/{i}", t.res_pointer(id));
                    idx.attached.entry(target).or_insert(p);
                }
            }
        }
        idx
    }

    fn facts_for(&self, t: &Tpl, id: &str, props: Option<&Value>, pp: &str) -> PolicyFacts {
        let get = |k: &str| props.and_then(|p| p.get(k)).and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[]);
        let inline = aws_iam::inline_entries(get("Policies"), &ptr(pp, "Policies"), "PolicyName", "PolicyDocument");
        let mut managed: Vec<(String, String)> = Vec::new();
        for (i, v) in get("ManagedPolicyArns").iter().enumerate() {
            let p = format!("{}/{i}", ptr(pp, "ManagedPolicyArns"));
            if let Some(target) = t.target(Some(v)) {
                managed.push((format!("logical:{target}"), p));
                continue;
            }
            // `Fn::Sub "arn:${AWS::Partition}:iam::aws:policy/X"` names an AWS managed policy.
            let text = match single_key(v) {
                Some(("Fn::Sub", Value::String(s))) => Some(s.replace("${AWS::Partition}", "aws")),
                _ => t.string(Some(v)).ok().flatten(),
            };
            match text {
                Some(arn) => managed.push((arn, p)),
                None => managed.push((format!("an unresolved ManagedPolicyArns entry ({})", v), p)),
            }
        }
        managed.extend(self.attached_to.get(id).cloned().unwrap_or_default());
        let mut groups = Vec::new();
        for (i, v) in get("Groups").iter().enumerate() {
            let p = format!("{}/{i}", ptr(pp, "Groups"));
            let target = t.target(Some(v)).or_else(|| t.string(Some(v)).ok().flatten().and_then(|n| self.names.get(&("Groups".to_string(), n)).cloned()));
            match target {
                Some(g) => groups.push((format!("logical:{g}"), p)),
                None => groups.push((t.string(Some(v)).ok().flatten().unwrap_or_else(|| v.to_string()), p)),
            }
        }
        PolicyFacts { inline, groups, managed }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::policy::{holds, Judgement};

    fn run(v: Value) -> Inventory {
        parse("t.json", &Document::Json(v)).unwrap().0
    }

    #[test]
    fn intrinsics_and_joins() {
        let inv = run(json!({
            "Parameters": {"Cidr": {"Type": "String"}, "Open": {"Type": "String", "Default": "0.0.0.0/0"}},
            "Resources": {
                "Sg": {"Type": "AWS::EC2::SecurityGroup", "Properties": {"SecurityGroupIngress": [
                    {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": {"Ref": "Cidr"}}]}},
                "In": {"Type": "AWS::EC2::SecurityGroupIngress", "Properties": {"GroupId": {"Fn::GetAtt": ["Sg", "GroupId"]},
                    "IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIp": {"Ref": "Open"}}},
                "Lone": {"Type": "AWS::EC2::SecurityGroupIngress", "Properties": {"GroupId": "sg-123", "IpProtocol": 6, "FromPort": 3389, "ToPort": 3389, "CidrIp": "0.0.0.0/0"}},
                "B": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": {"Fn::Sub": "${AWS::StackName}-b"}, "AccessControl": {"Fn::If": ["C", "PublicRead", "Private"]}}},
                "BP": {"Type": "AWS::S3::BucketPolicy", "Properties": {"Bucket": {"Fn::Sub": "${AWS::StackName}-b"}, "PolicyDocument": {"Statement": [
                    {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": [{"Fn::GetAtt": ["B", "Arn"]}, {"Fn::Sub": "${B.Arn}/*"}],
                    "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}}},
                "K": {"Type": "AWS::KMS::Key", "Properties": {"EnableKeyRotation": {"Ref": "Cidr"}}},
                "T": {"Type": "AWS::DynamoDB::Table", "Properties": {"TableName": "tbl"}},
                "If": {"Type": "AWS::EC2::SecurityGroup", "Properties": {"SecurityGroupIngress": [{"Fn::If": ["C", {"CidrIp": "0.0.0.0/0"}, {"Ref": "AWS::NoValue"}]}]}}
            }
        }));
        let get = |id: &str| inv.resources.iter().find(|r| r.id == id).unwrap();
        let ingress = get("Sg").prop("ingress").and_then(Prop::value).unwrap().as_array().unwrap().clone();
        assert_eq!(ingress.len(), 2);
        assert!(ingress[0].get("sources").is_none(), "unresolved source must stay unknown");
        assert_eq!(ingress[1]["sources"], json!(["0.0.0.0/0"]));
        assert!(inv.resources.iter().all(|r| r.id != "In"));
        assert_eq!(get("Lone").prop("ingress").and_then(Prop::value), Some(&json!([{"protocol": "tcp", "action": "allow", "sources": ["0.0.0.0/0"], "from_port": 3389, "to_port": 3389}])));
        assert_eq!(holds(get("B").prop("bucket_policy"), Judgement::DeniesInsecureTransport), Some(true));
        assert!(matches!(get("B").prop("public_read"), Some(Prop::Unknown { reason, .. }) if reason.contains("Fn::If")));
        assert!(matches!(get("K").prop("rotation_enabled"), Some(Prop::Unknown { reason, .. }) if &**reason == "unresolved parameter Cidr"));
        assert_eq!((get("T").kind.as_str(), get("T").name.as_str()), ("nosql_table", "tbl"));
        assert_eq!(get("If").prop("ingress").and_then(Prop::value), Some(&json!([{"protocol": "unknown", "action": "allow"}])));
    }

    #[test]
    fn iam_in_templates() {
        let inv = run(json!({"Resources": {
            "Admins": {"Type": "AWS::IAM::Group", "Properties": {"ManagedPolicyArns": [{"Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/AdministratorAccess"}]}},
            "Ann": {"Type": "AWS::IAM::User", "Properties": {"Groups": [{"Ref": "Admins"}], "LoginProfile": {"Password": "x"}}},
            "Bob": {"Type": "AWS::IAM::User", "Properties": {}},
            "Carl": {"Type": "AWS::IAM::User", "Properties": {"ManagedPolicyArns": ["arn:aws:iam::111111111111:policy/elsewhere"]}},
            "All": {"Type": "AWS::IAM::ManagedPolicy", "Properties": {"Roles": [{"Ref": "R"}], "PolicyDocument": {"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}}},
            "R": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {"Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}]}}}
        }}));
        let val = |id: &str, p: &str| inv.resources.iter().find(|r| r.id == id).and_then(|r| r.prop(p)).cloned();
        let admin = |id: &str| holds(val(id, "policies").as_ref(), Judgement::Admin);
        assert_eq!(admin("Admins"), Some(true));
        assert_eq!(admin("Ann"), Some(true), "through the group");
        assert_eq!(val("Ann", "console_access").as_ref().and_then(Prop::value), Some(&json!(true)));
        assert_eq!(admin("Bob"), Some(false));
        assert_eq!(admin("Carl"), None, "a customer managed policy outside the template");
        assert_eq!(admin("R"), Some(true));
        assert_eq!(holds(val("R", "trust_policy").as_ref(), Judgement::Public), Some(true));
        assert_eq!(val("Carl", "managed_policy_arns").as_ref().and_then(Prop::value), Some(&json!(["arn:aws:iam::111111111111:policy/elsewhere"])));
        assert_eq!(val("All", "attached").as_ref().and_then(Prop::value), Some(&json!(true)));
    }

    #[test]
    fn not_a_template() {
        assert!(parse("x", &Document::Json(json!({"Resources": []}))).is_err());
        assert!(parse("x", &Document::Csv(String::new())).is_err());
    }
}
