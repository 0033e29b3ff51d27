//! AWS Config configuration items → inventory. Owns every container AWS
//! Config hands out: snapshot/history files and `GetResourceConfigHistory`
//! (`configurationItems`), `BatchGetResourceConfig` (`baseConfigurationItems`),
//! `SelectResourceConfig` (`Results` of JSON strings), Config-rule Lambda
//! events (`invokingEvent` JSON string with `configurationItem`), a single
//! item, and an array of items; and both field dialects (`ARN`/`awsAccountId`
//! of rule events and snapshots, `arn`/`accountId` of the API).
//!
//! Invariant: `configuration` and each `supplementaryConfiguration` value are
//! decoded when they are JSON strings (also double-encoded ones) before being
//! read; pointers then address the decoded value (`/configuration/ipPermissions`).
//! Invariant: one resource per (resource type, id): of several items for the
//! same resource (history), the one with the highest `configurationStateId`
//! wins; if that one says `ResourceDeleted`/`ResourceNotRecorded` the resource
//! is dropped with an info diagnostic.
//! Invariant: a malformed item is a warning with its pointer; the others are
//! still read. `Err` only when the document holds no configuration items at all.

use super::aws_iam::{self, PolicyFacts};
use super::defaults as dflt;
use super::{Document, IngestError, ParseOutput};
use crate::ingest::util::{FastMap, loose_bool, loose_f64, normalise_source, ptr};
use crate::inventory::{Diagnostic, DiagnosticLevel, Inventory, Prop, Provider, Resource, SourceRef, Text};
use super::json::Json;
use serde_json::{json, Value};
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};
use smallvec::SmallVec;
use std::hash::BuildHasher;

mod services;

/// One configuration item found in the document, with its pointer.
pub(super) struct Item<'a> {
    pub(super) pointer: String,
    pub(super) value: Cow<'a, Json<'a>>,
}

fn diag(level: DiagnosticLevel, file: &str, pointer: &str, message: impl Into<String>) -> Diagnostic {
    Diagnostic { level, message: message.into(), source: Some(SourceRef { file: file.into(), pointer: pointer.into(), line: None }) }
}

fn is_item(v: &Json) -> bool {
    v.get("resourceType").is_some_and(Json::is_string)
}

/// Find the configuration items in any of the containers AWS Config produces.
fn collect_items<'a>(file: &str, root: &'a Json<'a>, diags: &mut Vec<Diagnostic>) -> Result<Vec<Item<'a>>, IngestError> {
    let mut items = Vec::new();
    let push_list = |key: &str, items: &mut Vec<Item<'a>>, diags: &mut Vec<Diagnostic>| match root.get(key) {
        Some(Json::Array(a)) => {
            for (i, v) in a.iter().enumerate() {
                items.push(Item { pointer: format!("/{key}/{i}"), value: Cow::Borrowed(v) });
            }
        }
        Some(_) => diags.push(diag(DiagnosticLevel::Warning, file, &format!("/{key}"), format!("{key} is not a list; ignored"))),
        None => {}
    };
    match root {
        Json::Object(_) if root.get("configurationItems").is_some() || root.get("baseConfigurationItems").is_some() => {
            push_list("configurationItems", &mut items, diags);
            push_list("baseConfigurationItems", &mut items, diags);
        }
        Json::Object(_) if root.get("Results").is_some() => match root.get("Results") {
            Some(Json::Array(a)) => {
                for (i, v) in a.iter().enumerate() {
                    let pointer = format!("/Results/{i}");
                    match decode_cow(v) {
                        Some(d) if d.is_object() => items.push(Item { pointer, value: d }),
                        _ => diags.push(diag(DiagnosticLevel::Warning, file, &pointer, "a SelectResourceConfig result that is not a JSON object; skipped")),
                    }
                }
            }
            _ => diags.push(diag(DiagnosticLevel::Warning, file, "/Results", "Results is not a list; nothing read")),
        },
        Json::Object(_) if root.get("invokingEvent").is_some() || root.get("configurationItem").is_some() => {
            let (event, base) = match root.get("invokingEvent") {
                Some(e) => (decode_cow(e).unwrap_or(Cow::Owned(Json::Null)), "/invokingEvent"),
                None => (Cow::Borrowed(root), ""),
            };
            match event.get("configurationItem") {
                Some(ci @ Json::Object(_)) => items.push(Item { pointer: format!("{base}/configurationItem"), value: Cow::Owned(ci.clone()) }),
                _ => {
                    let kind = event.get("messageType").and_then(Json::as_str).unwrap_or("unknown");
                    let msg = if kind.starts_with("Oversized") {
                        "this rule event is an OversizedConfigurationItemChangeNotification: the item is not included; fetch it with GetResourceConfigHistory".to_string()
                    } else {
                        format!("this Config rule event ({kind}) carries no configuration item")
                    };
                    diags.push(diag(DiagnosticLevel::Warning, file, base, msg));
                }
            }
        }
        Json::Object(_) if is_item(root) => items.push(Item { pointer: String::new(), value: Cow::Borrowed(root) }),
        Json::Array(a) => {
            for (i, v) in a.iter().enumerate() {
                if is_item(v) {
                    items.push(Item { pointer: format!("/{i}"), value: Cow::Borrowed(v) });
                } else {
                    diags.push(diag(DiagnosticLevel::Warning, file, &format!("/{i}"), "array element is not a configuration item (no resourceType); skipped"));
                }
            }
        }
        _ => return Err(IngestError::Unrecognised("no AWS Config configuration items in this JSON".into())),
    }
    Ok(items)
}

/// [`aws_iam::decode_json_value`] without copying a value that is not encoded.
fn decode_cow<'v, 'a>(v: &'v Json<'a>) -> Option<Cow<'v, Json<'a>>> {
    match v {
        Json::String(s) => aws_iam::decode_json_value(&Value::String(s.to_string())).map(|d| Cow::Owned(Json::from_value(d))),
        other => Some(Cow::Borrowed(other)),
    }
}

/// Field of an item under either dialect's name.
fn field<'v, 'a>(v: &'v Json<'a>, names: &[&str]) -> Option<&'v Json<'a>> {
    names.iter().find_map(|n| v.get(*n).filter(|x| !x.is_null()))
}

fn field_str(v: &Json, names: &[&str]) -> Option<String> {
    field(v, names).and_then(|x| match x {
        Json::String(s) if !s.is_empty() => Some(s.to_string()),
        Json::Number(n) => Some(n.to_string()),
        _ => None,
    })
}

/// Order of items of one resource: `configurationStateId` (number or numeric string).
fn state_id(v: &Json) -> Option<u128> {
    match v.get("configurationStateId") {
        Some(Json::Number(n)) => n.as_u64().map(u128::from),
        Some(Json::String(s)) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A decoded view of one item's `configuration` and `supplementaryConfiguration`.
struct Ci<'v, 'a> {
    /// `{item}/configuration`, `{item}/supplementaryConfiguration`.
    cfg_base: String,
    supp_base: String,
    config: Cow<'v, Json<'a>>,
    supp: BTreeMap<&'v str, Cow<'v, Json<'a>>>,
    /// The item carries a `supplementaryConfiguration` object: a setting it
    /// leaves out there is not configured. Without one (a partial item, e.g.
    /// from SelectResourceConfig) those settings are unknown.
    has_supp: bool,
    /// `configurationItemCaptureTime`, when given.
    captured: Option<String>,
}

impl<'a> Ci<'_, 'a> {
    fn cfg(&self, key: &str) -> Option<&Json<'a>> {
        self.config.get(key).filter(|v| !v.is_null())
    }
    fn cfg_ptr(&self, key: &str) -> String {
        ptr(&self.cfg_base, key)
    }
    fn supp(&self, key: &str) -> Option<&Json<'a>> {
        self.supp.get(key).map(|v| &**v).filter(|v| !v.is_null())
    }
    fn supp_ptr(&self, key: &str) -> String {
        ptr(&self.supp_base, key)
    }
    /// Set a boolean from `configuration.<key>`; leave out when absent.
    fn bool_prop(&self, r: &mut Resource, canon: &str, key: &str) {
        if let Some(v) = self.cfg(key) {
            match loose_bool(v) {
                Some(b) => r.set(canon, b, self.cfg_ptr(key)),
                None => r.set_unknown(canon, format!("unreadable value {v}"), self.cfg_ptr(key)),
            }
        }
    }
}

/// The canonical kinds (besides `other`) AWS Config configuration items can give.
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
    (Provider::Aws, "secret"),
    (Provider::Aws, "container_registry"),
    (Provider::Aws, "nosql_table"),
    (Provider::Aws, "serverless_function"),
    (Provider::Aws, "search_domain"),
    (Provider::Aws, "api_stage"),
    (Provider::Aws, "load_balancer"),
    (Provider::Aws, "lb_listener"),
    (Provider::Aws, "data_warehouse"),
    (Provider::Aws, "db_cluster"),
    (Provider::Aws, "launch_template"),
    (Provider::Aws, "subnet"),
    (Provider::Aws, "threat_detector"),
    (Provider::Aws, "config_recorder"),
];

/// Read AWS Config configuration items (any container, either dialect).
pub(super) fn parse(file: &str, doc: &Document) -> ParseOutput {
    let Document::Json(root) = doc else {
        return Err(IngestError::Unrecognised("AWS Config items are JSON".into()));
    };
    let mut diags = Vec::new();
    // Mapping reads a borrowed tree (`Json`), as the streaming path does.
    let tree = Json::borrow(root);
    let items = collect_items(file, &tree, &mut diags)?;
    let mut acc = Acc::default();
    for it in &items {
        acc.add(file, it, &mut diags);
    }
    Ok(acc.finish(file, diags))
}

/// (resource, state id, deleted?, iam facts) per unique resource.
/// What an item adds beside its resource: the newest item of a resource wins.
struct Slot {
    state: Option<u128>,
    /// `configurationItemStatus` when the resource is gone.
    deleted: Option<&'static str>,
    facts: Option<Box<IamFacts>>,
}

/// Items read so far, one resource per (type, id) (items can be fed one at a
/// time, so a streamed snapshot never holds more than one item's JSON). The
/// resources are collected where the inventory keeps them; the index holds
/// hashes, not copies of the keys.
#[derive(Default)]
pub(super) struct Acc {
    resources: Vec<Resource>,
    slots: Vec<Slot>,
    /// Hash of (type, id) → the resources with that hash.
    index: FastMap<u64, SmallVec<[u32; 1]>>,
    hasher: foldhash::fast::RandomState,
    superseded: usize,
}

impl Acc {
    /// Room for `n` resources: the first of several runs takes the others'
    /// resources on [`Acc::append`] without moving its own.
    pub(super) fn with_capacity(n: usize) -> Acc {
        Acc { resources: Vec::with_capacity(n), slots: Vec::with_capacity(n), ..Acc::default() }
    }

    pub(super) fn add(&mut self, file: &str, it: &Item, diags: &mut Vec<Diagnostic>) {
        let Some((res, facts)) = read_item(file, it, diags) else { return };
        let status = it.value.get("configurationItemStatus").and_then(Json::as_str).unwrap_or("OK");
        let deleted = ["ResourceDeleted", "ResourceNotRecorded", "ResourceDeletedNotRecorded"].into_iter().find(|s| *s == status);
        let slot = Slot { state: state_id(&it.value), deleted, facts: facts.map(Box::new) };
        self.insert(file, res, slot, diags);
    }

    /// Append the items read by `next`, which follow these: as if they had
    /// been added here one by one after them.
    pub(super) fn append(&mut self, file: &str, next: Acc, diags: &mut Vec<Diagnostic>) {
        self.superseded += next.superseded;
        // At most this many more (not twice as many: a large snapshot's
        // resources are the bulk of its memory).
        self.resources.reserve_exact(next.resources.len());
        self.slots.reserve_exact(next.slots.len());
        self.index.reserve(next.index.len());
        for (res, slot) in next.resources.into_iter().zip(next.slots) {
            self.insert(file, res, slot, diags);
        }
    }

    /// A resource read from an item: a new one, or a newer state of one
    /// already read (the newest `configurationStateId` wins; of equal ones, the first).
    fn insert(&mut self, file: &str, res: Resource, slot: Slot, diags: &mut Vec<Diagnostic>) {
        let hash = self.hasher.hash_one((res.native_type.as_str(), &*res.id));
        let same = self.index.get(&hash).and_then(|candidates| {
            candidates.iter().map(|&i| i as usize).find(|&i| {
                self.resources.get(i).is_some_and(|r| r.native_type == res.native_type && r.id == res.id)
            })
        });
        match same {
            Some(i) => {
                self.superseded += 1;
                if let (Some(existing), Some(r)) = (self.slots.get_mut(i), self.resources.get_mut(i)) {
                    if slot.state.is_some() && slot.state > existing.state {
                        *existing = slot;
                        *r = res;
                    }
                }
            }
            None => {
                let Ok(i) = u32::try_from(self.resources.len()) else {
                    diags.push(diag(DiagnosticLevel::Warning, file, &res.source.pointer.text(), "more than 4 billion resources; the rest are not read"));
                    return;
                };
                self.index.entry(hash).or_default().push(i);
                self.resources.push(res);
                self.slots.push(slot);
            }
        }
    }

    pub(super) fn finish(self, file: &str, mut diags: Vec<Diagnostic>) -> (Inventory, Vec<Diagnostic>) {
        let Acc { mut resources, slots, index, superseded, .. } = self;
        drop(index);
        if superseded > 0 {
            diags.push(diag(
                DiagnosticLevel::Info,
                file,
                "",
                format!("{superseded} older configuration item(s) of resources already read were ignored (the newest configurationStateId is used)"),
            ));
        }
        // Gone resources are reported and removed in place; the IAM facts of
        // the others are numbered as the resources end up.
        let mut facts = Vec::new();
        let mut kept = 0usize;
        let mut slots = slots.into_iter();
        resources.retain(|r| {
            let Some(slot) = slots.next() else { return true };
            if let Some(status) = slot.deleted {
                diags.push(diag(DiagnosticLevel::Info, file, &r.source.pointer.text(), format!("{} {} is {status}; not assessed", r.native_type, r.id)));
                return false;
            }
            if let Some(f) = slot.facts {
                facts.push((kept, *f));
            }
            kept += 1;
            true
        });
        settle_iam(&mut resources, facts);
        (Inventory { resources }, diags)
    }
}

/// IAM joins that need other items: group memberships and customer managed policies.
struct IamFacts {
    facts: PolicyFacts,
    /// For groups: the group name.
    group_name: Option<String>,
    /// For managed policies: (ARN, its `policies` entry).
    policy: Option<(String, Value)>,
}

fn settle_iam(resources: &mut [Resource], facts: Vec<(usize, IamFacts)>) {
    if facts.is_empty() {
        return;
    }
    let policies: HashMap<String, Value> = facts.iter().filter_map(|(_, f)| f.policy.clone()).collect();
    let mut groups: HashMap<String, Vec<Value>> = HashMap::new();
    let set = |r: &mut Resource, settled: Vec<Value>| {
        let base = format!("{}/configuration", r.source.pointer.text());
        r.set("policies", Value::Array(settled), base);
    };
    for (idx, f) in facts.iter().filter(|(_, f)| f.group_name.is_some()) {
        let settled = aws_iam::settle_policies(&f.facts, &policies, &HashMap::new());
        if let Some(n) = &f.group_name {
            groups.insert(n.clone(), settled.clone());
        }
        if let Some(r) = resources.get_mut(*idx) {
            set(r, settled);
        }
    }
    for (idx, f) in facts.iter().filter(|(_, f)| f.group_name.is_none() && f.policy.is_none()) {
        let settled = aws_iam::settle_policies(&f.facts, &policies, &groups);
        if let Some(r) = resources.get_mut(*idx) {
            set(r, settled);
        }
    }
}

fn read_item(file: &str, it: &Item, diags: &mut Vec<Diagnostic>) -> Option<(Resource, Option<IamFacts>)> {
    let v = &it.value;
    let base = it.pointer.clone();
    let Some(rtype) = v.get("resourceType").and_then(Json::as_str) else {
        diags.push(diag(DiagnosticLevel::Warning, file, &base, "configuration item without resourceType; skipped"));
        return None;
    };
    let arn = field_str(v, &["ARN", "arn"]);
    let rid = field_str(v, &["resourceId"]);
    let Some(id) = arn.clone().or_else(|| rid.clone()) else {
        diags.push(diag(DiagnosticLevel::Warning, file, &base, format!("{rtype} item without ARN or resourceId; skipped")));
        return None;
    };
    let name = field_str(v, &["resourceName"]).or(rid).unwrap_or_else(|| id.clone());
    let mut res = Resource {
        provider: Provider::Aws,
        kind: Text::interned("other"),
        native_type: Text::interned(rtype),
        id: id.into(),
        name: name.into(),
        region: field_str(v, &["awsRegion"]).map(|s| Text::interned(&s)),
        account: field_str(v, &["awsAccountId", "accountId"]).or_else(|| arn.as_deref().and_then(aws_iam::arn_account)).map(|s| Text::interned(&s)),
        source: SourceRef { file: Text::interned(file), pointer: base.clone().into(), line: None },
        props: Default::default(),
    };
    let config = match v.get("configuration") {
        None | Some(Json::Null) => Cow::Owned(Json::Null),
        Some(c) => match decode_cow(c) {
            Some(d) => d,
            None => {
                diags.push(diag(
                    DiagnosticLevel::Warning,
                    file,
                    &format!("{base}/configuration"),
                    format!("{rtype} {}: configuration is a string that is not JSON; its settings are not assessed", res.id),
                ));
                Cow::Owned(Json::Null)
            }
        },
    };
    let supp_doc: Option<Cow<Json>> = v.get("supplementaryConfiguration").map(|s| decode_cow(s).unwrap_or(Cow::Owned(Json::Null)));
    let mut supp = BTreeMap::new();
    let has_supp = matches!(supp_doc.as_deref(), Some(Json::Object(_)));
    match supp_doc.as_deref() {
        Some(Json::Object(o)) => {
            for (k, sv) in o.iter() {
                supp.insert(k, decode_cow(sv).unwrap_or(Cow::Borrowed(sv)));
            }
        }
        None | Some(Json::Null) => {}
        Some(_) => diags.push(diag(DiagnosticLevel::Warning, file, &format!("{base}/supplementaryConfiguration"), "supplementaryConfiguration is not an object; ignored")),
    }
    let status = v.get("configurationItemStatus").and_then(Json::as_str).unwrap_or("OK");
    let deleted = matches!(status, "ResourceDeleted" | "ResourceNotRecorded" | "ResourceDeletedNotRecorded");
    if config.is_null() && !deleted && !matches!(rtype, "AWS::S3::Bucket" | "AWS::KMS::Key") && v.get("configuration").is_none() {
        // SelectResourceConfig results may hold only some fields.
        diags.push(diag(DiagnosticLevel::Info, file, &base, format!("{rtype} {} has no configuration; only its identity is read", res.id)));
    }
    let captured = v.get("configurationItemCaptureTime").and_then(Json::as_str).map(str::to_string);
    let ci = Ci { cfg_base: format!("{base}/configuration"), supp_base: format!("{base}/supplementaryConfiguration"), config, supp, has_supp, captured };
    let mut iam = None;
    if !deleted {
        match rtype {
            "AWS::S3::Bucket" => map_bucket(&ci, &mut res),
            "AWS::EC2::SecurityGroup" => map_security_group(&ci, &mut res),
            "AWS::EC2::Instance" => map_instance(&ci, &mut res),
            "AWS::EC2::Volume" => map_volume(&ci, &mut res),
            "AWS::RDS::DBInstance" => map_rds(&ci, &mut res),
            "AWS::EKS::Cluster" => map_eks(&ci, &mut res),
            "AWS::CloudTrail::Trail" => map_trail(&ci, &mut res),
            "AWS::KMS::Key" => map_kms(&ci, &mut res),
            "AWS::EC2::VPC" => res.kind = Text::interned("network"),
            "AWS::EC2::FlowLog" => map_flow_log(&ci, &mut res),
            "AWS::IAM::User" | "AWS::IAM::Role" | "AWS::IAM::Group" | "AWS::IAM::Policy" => iam = Some(map_iam(&ci, &mut res, rtype)),
            _ => {
                services::map(&ci, &mut res, rtype);
            }
        }
    }
    Some((res, iam))
}

fn map_bucket(ci: &Ci<'_, '_>, r: &mut Resource) {
    r.kind = Text::interned("object_bucket");
    let supp_base = &ci.supp_base;
    if r.name.is_empty() {
        if let Some(n) = ci.cfg("name").and_then(Json::as_str) {
            r.name = n.to_string().into();
        }
    }
    // The item is a snapshot of the bucket: a setting its supplementary
    // configuration leaves out is not configured (S3 records versioning and
    // logging even when off); without that object the settings are unknown.
    if ci.has_supp {
        s3_settings(ci, r);
    }
    // Bucket policy: the document (judged by the checks).
    let policy_ptr = ptr(&ci.supp_ptr("BucketPolicy"), "policyText");
    let policy = ci.supp("BucketPolicy").and_then(|bp| bp.get("policyText")).filter(|p| !p.is_null());
    match policy.map(Json::to_value) {
        Some(text) => {
            r.props.insert("bucket_policy", aws_iam::document_prop(&text, &policy_ptr));
        }
        None => r.set("bucket_policy", Value::Null, supp_base.clone()),
    }
    // ACL grants to AllUsers (the bucket policy is judged by the checks, not here).
    if let Some(acl) = ci.supp("AccessControlList") {
        let grants = acl.get("grantList").and_then(Json::as_array).map(Vec::as_slice).unwrap_or(&[]);
        let hit = grants.iter().position(|g| g.get("grantee").map(|x| x.to_string()).unwrap_or_default().contains("AllUsers"));
        match hit {
            Some(i) => r.set("public_read", true, format!("{}/grantList/{i}", ci.supp_ptr("AccessControlList"))),
            None => r.set("public_read", false, supp_base),
        }
    }
}

/// Block Public Access, default encryption, versioning and server access
/// logging, from the supplementary configuration.
fn s3_settings(ci: &Ci<'_, '_>, r: &mut Resource) {
    let supp_base = &ci.supp_base;
    match ci.supp("PublicAccessBlockConfiguration") {
        Some(pab) => {
            let at = ci.supp_ptr("PublicAccessBlockConfiguration");
            let flags = ["blockPublicAcls", "ignorePublicAcls", "blockPublicPolicy", "restrictPublicBuckets"];
            let all = flags.iter().all(|f| pab.get(*f).and_then(loose_bool) == Some(true));
            let each = flags.map(|f| pab.get(f).and_then(loose_bool));
            r.props.insert("public_access_block", Prop::Known { value: crate::ingest::util::public_access_flags(each), pointer: at.clone().into() });
            r.set("public_access_blocked", all, at);
        }
        None => r.set("public_access_blocked", false, supp_base),
    }
    match ci.supp("ServerSideEncryptionConfiguration") {
        Some(sse) => {
            let p = ci.supp_ptr("ServerSideEncryptionConfiguration");
            let first = sse.get("rules").and_then(Json::as_array).and_then(|rules| {
                rules.iter().enumerate().find_map(|(i, rule)| {
                    let d = rule.get("applyServerSideEncryptionByDefault")?;
                    let a = d.get("sseAlgorithm").and_then(Json::as_str)?;
                    let key = d.get("kmsMasterKeyID").and_then(Json::as_str).filter(|k| !k.is_empty()).map(str::to_string);
                    Some((i, a.to_string(), key))
                })
            });
            match first {
                Some((i, algo, key)) => {
                    let at = format!("{p}/rules/{i}/applyServerSideEncryptionByDefault");
                    r.set("encryption_at_rest", true, p.clone());
                    // The key id is the evidence of `encryption_key` (its pointer).
                    let kms = algo.to_ascii_lowercase().contains("kms");
                    match (kms, key) {
                        (true, Some(k)) => {
                            let key_at = format!("{at}/kmsMasterKeyID");
                            r.props.insert("encryption_key", crate::ingest::aws_keys::prop_for(&k, key_at.as_str()));
                            r.set("encryption_key_id", k, key_at);
                        }
                        _ => r.set("encryption_key", "provider", p),
                    }
                    r.set("encryption_algorithm", algo, format!("{at}/sseAlgorithm"));
                }
                None => s3_encryption_unset(ci, r, &p),
            }
        }
        None => s3_encryption_unset(ci, r, supp_base),
    }
    match ci.supp("BucketVersioningConfiguration") {
        Some(vc) => {
            let on = vc.get("status").and_then(Json::as_str).is_some_and(|s| s.eq_ignore_ascii_case("Enabled"));
            r.set("versioning", on, ptr(&ci.supp_ptr("BucketVersioningConfiguration"), "status"));
        }
        None => r.set("versioning", false, supp_base),
    }
    match ci.supp("BucketReplicationConfiguration") {
        Some(rc) => {
            let rules = rc.get("rules").is_some_and(|x| match x {
                Json::Array(a) => !a.is_empty(),
                Json::Object(o) => !o.is_empty(),
                _ => false,
            });
            r.set("replication", rules, ci.supp_ptr("BucketReplicationConfiguration"));
        }
        None => r.set("replication", false, supp_base),
    }
    match ci.supp("BucketLoggingConfiguration") {
        Some(lc) => {
            let at = ptr(&ci.supp_ptr("BucketLoggingConfiguration"), "destinationBucketName");
            let target = lc.get("destinationBucketName").and_then(Json::as_str).filter(|s| !s.is_empty());
            r.set("access_logging", target.is_some(), at.clone());
            if let Some(t) = target {
                r.set("access_logging_target", t, at);
            }
        }
        None => r.set("access_logging", false, supp_base),
    }
}

/// No default encryption recorded: before 2023-01-05 the bucket had none; S3
/// has applied SSE-S3 to every bucket since (its own default, `ingest::defaults`).
fn s3_encryption_unset(ci: &Ci<'_, '_>, r: &mut Resource, at: &str) {
    let before = ci.captured.as_deref().and_then(|t| t.get(..10)).is_some_and(|d| d < "2023-01-05");
    if before {
        r.set("encryption_at_rest", false, at);
        return;
    }
    for name in ["encryption_at_rest", "encryption_key", "encryption_algorithm"] {
        if let Some(p) = dflt::prop(dflt::S3_ENCRYPTION, name, at) {
            r.props.insert(name, p);
        }
    }
}

/// `AWS::EKS::Cluster` (the item's configuration in either the API's
/// camelCase or CloudFormation's PascalCase): endpoint exposure and logging,
/// as recorded (absent: unknown).
fn map_eks(ci: &Ci<'_, '_>, r: &mut Resource) {
    r.kind = Text::interned("k8s_cluster");
    fn pick<'j, 'a>(o: &'j Json<'a>, keys: &[&str]) -> Option<(String, &'j Json<'a>)> {
        keys.iter().find_map(|k| o.get(k).filter(|v| !v.is_null()).map(|v| (k.to_string(), v)))
    }
    let Some((vk, vc)) = pick(&ci.config, &["resourcesVpcConfig", "ResourcesVpcConfig"]) else { return };
    let vp = ci.cfg_ptr(&vk);
    if let Some((k, v)) = pick(vc, &["endpointPublicAccess", "EndpointPublicAccess"]) {
        match loose_bool(v) {
            Some(b) => r.set("public_endpoint", b, ptr(&vp, &k)),
            None => r.set_unknown("public_endpoint", format!("unreadable value {}", v.to_value()), ptr(&vp, &k)),
        }
    }
    if let Some((k, v)) = pick(vc, &["publicAccessCidrs", "PublicAccessCidrs"]) {
        let list: Vec<Value> = v.as_array().map(|a| a.iter().filter_map(Json::as_str).map(|c| Value::String(normalise_source(c))).collect()).unwrap_or_default();
        r.set("master_authorized_networks", list, ptr(&vp, &k));
    }
    match pick(&ci.config, &["encryptionConfig", "EncryptionConfig"]) {
        Some((ek, ec)) => {
            let first = ec.as_array().and_then(|a| a.first()).or(Some(ec).filter(|e| e.is_object()));
            let key = first.and_then(|e| pick(e, &["provider", "Provider"])).and_then(|(pk, p)| pick(p, &["keyArn", "KeyArn"]).map(|(kk, k)| (pk, kk, k)));
            match key {
                Some((pk, kk, Json::String(k))) => {
                    let at = if ec.is_array() { format!("{}/0/{pk}/{kk}", ci.cfg_ptr(&ek)) } else { format!("{}/{pk}/{kk}", ci.cfg_ptr(&ek)) };
                    r.props.insert("encryption_key", crate::ingest::aws_keys::prop_for(k, at.as_str()));
                    r.set("encryption_key_id", k.to_string(), at);
                }
                _ => r.set("encryption_key", "provider", ci.cfg_ptr(&ek)),
            }
        }
        None => {
            if let Some(p) = dflt::prop(dflt::EKS_SECRETS_KEY, "encryption_key", ci.cfg_base.as_str()) {
                r.props.insert("encryption_key", p);
            }
        }
    }
    if let Some((lk, logging)) = pick(&ci.config, &["logging", "Logging"]) {
        if let Some((ck, cl)) = pick(logging, &["clusterLogging", "ClusterLogging"]) {
            let on = cl.as_array().is_some_and(|a| {
                a.iter().any(|e| {
                    let enabled = pick(e, &["enabled", "Enabled"]).and_then(|(_, v)| loose_bool(v)) == Some(true);
                    let types = pick(e, &["types", "Types"]).is_some_and(|(_, t)| t.as_array().is_some_and(|t| !t.is_empty()));
                    enabled && types
                })
            });
            r.set("logging_enabled", on, format!("{}/{ck}", ci.cfg_ptr(&lk)));
        }
    }
}

/// Canonical protocol name from an EC2 `ipProtocol`.
fn protocol(v: Option<&Json>) -> String {
    let s = match v {
        Some(Json::String(s)) => s.trim().to_ascii_lowercase(),
        Some(Json::Number(n)) => n.to_string(),
        _ => return "all".into(),
    };
    match s.as_str() {
        "-1" | "all" => "all".into(),
        "6" | "tcp" => "tcp".into(),
        "17" | "udp" => "udp".into(),
        "1" | "icmp" | "58" | "icmpv6" => "icmp".into(),
        other => other.to_string(),
    }
}

fn map_security_group(ci: &Ci<'_, '_>, r: &mut Resource) {
    r.kind = Text::interned("firewall");
    match ci.cfg("groupName").and_then(Json::as_str) {
        Some(n) => {
            r.name = n.to_string().into();
            // EC2 names every VPC's default group "default" and lets no other group take the name.
            r.set("default_group", n == "default", ci.cfg_ptr("groupName"));
        }
        None => r.set_unknown("default_group", "the item does not give the group's name (groupName)", ci.cfg_ptr("groupName")),
    }
    if !ci.config.is_null() {
        match ci.cfg("ipPermissionsEgress").and_then(Json::as_array) {
            Some(perms) => r.set("egress", perms.iter().map(permission).collect::<Vec<_>>(), ci.cfg_ptr("ipPermissionsEgress")),
            None => r.set("egress", Vec::<Value>::new(), ci.cfg_ptr("ipPermissionsEgress")),
        }
    }
    let Some(perms) = ci.cfg("ipPermissions") else {
        if !ci.config.is_null() {
            r.set("ingress", Vec::<Value>::new(), ci.cfg_ptr("ipPermissions"));
        }
        return;
    };
    let Some(perms) = perms.as_array() else {
        r.set_unknown("ingress", "ipPermissions is not a list", ci.cfg_ptr("ipPermissions"));
        return;
    };
    let rules: Vec<Value> = perms.iter().map(permission).collect();
    r.set("ingress", rules, ci.cfg_ptr("ipPermissions"));
}


/// One EC2 permission (`ipPermissions` / `ipPermissionsEgress` entry) in canonical form
/// (for egress, `sources` are the destinations).
fn permission(p: &Json) -> Value {
    let proto = protocol(p.get("ipProtocol"));
    let mut sources: Vec<Value> = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    for key in ["ipRanges", "ipv6Ranges", "ipv4Ranges"] {
        for x in p.get(key).and_then(Json::as_array).map(Vec::as_slice).unwrap_or(&[]) {
            let cidr = match x {
                Json::String(s) => Some(s.as_ref()),
                Json::Object(_) => x.get("cidrIp").or_else(|| x.get("cidrIpv6")).and_then(Json::as_str),
                _ => None,
            };
            if let Some(c) = cidr {
                let n = normalise_source(c);
                if seen.insert(n.clone()) {
                    sources.push(Value::String(n));
                }
            }
        }
    }
    for x in p.get("userIdGroupPairs").and_then(Json::as_array).map(Vec::as_slice).unwrap_or(&[]) {
        if let Some(g) = x.get("groupId").and_then(Json::as_str) {
            sources.push(Value::String(g.to_string()));
        }
    }
    for x in p.get("prefixListIds").and_then(Json::as_array).map(Vec::as_slice).unwrap_or(&[]) {
        if let Some(g) = x.get("prefixListId").and_then(Json::as_str).or_else(|| x.as_str()) {
            sources.push(Value::String(g.to_string()));
        }
    }
    let mut rule = json!({"protocol": proto, "sources": sources, "action": "allow"});
    if proto == "all" {
        rule["from_port"] = json!(0);
        rule["to_port"] = json!(65535);
    } else if proto == "tcp" || proto == "udp" {
        let from = p.get("fromPort").and_then(Json::as_i64);
        let to = p.get("toPort").and_then(Json::as_i64);
        match (from, to) {
            (Some(f), Some(t)) if f < 0 || t < 0 => {
                rule["from_port"] = json!(0);
                rule["to_port"] = json!(65535);
            }
            (Some(f), Some(t)) => {
                rule["from_port"] = json!(f);
                rule["to_port"] = json!(t);
            }
            _ => {}
        }
    }
    rule
}

fn map_instance(ci: &Ci<'_, '_>, r: &mut Resource) {
    r.kind = Text::interned("virtual_machine");
    match ci.cfg("metadataOptions") {
        Some(mo) => match mo.get("httpTokens").and_then(Json::as_str) {
            Some(t) => r.set("imdsv2_required", t.eq_ignore_ascii_case("required"), ptr(&ci.cfg_ptr("metadataOptions"), "httpTokens")),
            None => r.set("imdsv2_required", false, ci.cfg_ptr("metadataOptions")),
        },
        // Items recorded before IMDSv2 existed: v1 was the only option.
        None if !ci.config.is_null() => r.set("imdsv2_required", false, &ci.cfg_base),
        None => {}
    }
    if !ci.config.is_null() {
        let ip = ci.cfg("publicIpAddress").and_then(Json::as_str).is_some_and(|s| !s.is_empty());
        r.set("public_ip", ip, ci.cfg_ptr("publicIpAddress"));
    }
    if let Some(m) = ci.cfg("monitoring").and_then(|m| m.get("state")).and_then(Json::as_str) {
        r.set("detailed_monitoring", m.eq_ignore_ascii_case("enabled"), ptr(&ci.cfg_ptr("monitoring"), "state"));
    }
}

fn map_volume(ci: &Ci<'_, '_>, r: &mut Resource) {
    r.kind = Text::interned("block_volume");
    ci.bool_prop(r, "encryption_at_rest", "encrypted");
    // The item gives a key ARN for every encrypted volume, which does not say
    // whether it is the AWS managed aws/ebs key: the snapshot's KMS key items
    // settle it (`aws_keys::settle`).
    item_key(ci, r, "kmsKeyId");
}

/// `encryption_key` of an encrypted resource from its key field; `none` when not encrypted.
fn item_key(ci: &Ci<'_, '_>, r: &mut Resource, field: &str) {
    match r.prop("encryption_at_rest").and_then(Prop::value) {
        Some(Value::Bool(true)) => match ci.cfg(field).and_then(Json::as_str).filter(|k| !k.is_empty()) {
            Some(k) => {
                let p = ci.cfg_ptr(field);
                r.props.insert("encryption_key", crate::ingest::aws_keys::prop_for(k, p.as_str()));
                r.set("encryption_key_id", k, p);
            }
            None => r.set_unknown("encryption_key", "the item names no key for an encrypted resource", ci.cfg_ptr(field)),
        },
        Some(Value::Bool(false)) => {
            let p = r.prop("encryption_at_rest").map(|p| p.pointer().to_string()).unwrap_or_default();
            r.set("encryption_key", "none", p);
        }
        _ => {}
    }
}

fn map_rds(ci: &Ci<'_, '_>, r: &mut Resource) {
    r.kind = Text::interned("database");
    ci.bool_prop(r, "encryption_at_rest", "storageEncrypted");
    item_key(ci, r, "kmsKeyId");
    ci.bool_prop(r, "publicly_accessible", "publiclyAccessible");
    ci.bool_prop(r, "multi_az", "multiAZ");
    ci.bool_prop(r, "deletion_protection", "deletionProtection");
    ci.bool_prop(r, "auto_minor_version_upgrade", "autoMinorVersionUpgrade");
    if let Some(v) = ci.cfg("backupRetentionPeriod") {
        match loose_f64(v) {
            Some(n) => r.set("backup_retention_days", n as i64, ci.cfg_ptr("backupRetentionPeriod")),
            None => r.set_unknown("backup_retention_days", format!("unreadable value {v}"), ci.cfg_ptr("backupRetentionPeriod")),
        }
    }
}

fn map_trail(ci: &Ci<'_, '_>, r: &mut Resource) {
    r.kind = Text::interned("audit_trail");
    ci.bool_prop(r, "multi_region", "isMultiRegionTrail");
    ci.bool_prop(r, "log_file_validation", "logFileValidationEnabled");
    if ci.config.is_null() {
        return;
    }
    let kms = ci.cfg("kmsKeyId").and_then(Json::as_str).is_some_and(|s| !s.is_empty());
    r.set("kms_encrypted", kms, ci.cfg_ptr("kmsKeyId"));
    let cw = ci.cfg("cloudWatchLogsLogGroupArn").and_then(Json::as_str).is_some_and(|s| !s.is_empty());
    r.set("cloudwatch_integration", cw, ci.cfg_ptr("cloudWatchLogsLogGroupArn"));
    // Logging status is in supplementaryConfiguration in newer items.
    if let Some(st) = ci.supp("TrailStatus").and_then(|s| s.get("isLogging")).and_then(loose_bool) {
        r.set("logging_enabled", st, ptr(&ci.supp_ptr("TrailStatus"), "isLogging"));
    }
}

fn map_kms(ci: &Ci<'_, '_>, r: &mut Resource) {
    r.kind = Text::interned("kms_key");
    if let Some(v) = ci.supp("KeyRotationStatus") {
        let b = loose_bool(v).or_else(|| v.get("keyRotationEnabled").and_then(loose_bool));
        match b {
            Some(b) => r.set("rotation_enabled", b, ci.supp_ptr("KeyRotationStatus")),
            None => r.set_unknown("rotation_enabled", format!("unreadable KeyRotationStatus {v}"), ci.supp_ptr("KeyRotationStatus")),
        }
    }
    ci.bool_prop(r, "enabled", "enabled");
    if let Some(m) = ci.cfg("keyManager").and_then(Json::as_str) {
        r.set("key_manager", m.to_ascii_lowercase(), ci.cfg_ptr("keyManager"));
    }
    let ids: Vec<Value> = [ci.cfg("arn"), ci.cfg("keyId")].into_iter().flatten().filter_map(Json::as_str).map(|s| Value::String(s.to_string())).chain(std::iter::once(Value::String(r.id.to_string()))).collect();
    r.set("key_ids", ids, &ci.cfg_base);
}

fn map_flow_log(ci: &Ci<'_, '_>, r: &mut Resource) {
    r.kind = Text::interned("flow_log");
    if let Some(t) = ci.cfg("resourceId").and_then(Json::as_str) {
        r.set("target_id", t, ci.cfg_ptr("resourceId"));
    }
    if let Some(t) = ci.cfg("trafficType").and_then(Json::as_str) {
        r.set("traffic_type", t, ci.cfg_ptr("trafficType"));
    }
}

fn map_iam(ci: &Ci<'_, '_>, r: &mut Resource, rtype: &str) -> IamFacts {
    let cfg_base = &ci.cfg_base;
    // IAM items are few: their policies are read with the `Value`-based
    // policy helpers shared with the IAM parsers.
    let config = ci.config.to_value();
    let cfg = |key: &str| config.get(key).filter(|v| !v.is_null());
    let managed: Vec<(String, String)> = cfg("attachedManagedPolicies")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .enumerate()
                .filter_map(|(i, m)| m.get("policyArn").and_then(Value::as_str).map(|arn| (arn.to_string(), format!("{cfg_base}/attachedManagedPolicies/{i}"))))
                .collect()
        })
        .unwrap_or_default();
    let inline_key = match rtype {
        "AWS::IAM::User" => "userPolicyList",
        "AWS::IAM::Role" => "rolePolicyList",
        _ => "groupPolicyList",
    };
    let inline = cfg(inline_key).and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[]);
    let mut facts = PolicyFacts { inline: aws_iam::inline_entries(inline, &ptr(cfg_base, inline_key), "policyName", "policyDocument"), groups: Vec::new(), managed };
    let mut out = IamFacts { facts: PolicyFacts::default(), group_name: None, policy: None };
    if rtype != "AWS::IAM::Policy" {
        r.set("managed_policy_arns", facts.managed_arns(), ci.cfg_ptr("attachedManagedPolicies"));
        r.set("inline_policy_count", inline.len() as u64, ci.cfg_ptr(inline_key));
    }
    match rtype {
        "AWS::IAM::User" => {
            r.kind = Text::interned("iam_user");
            facts.groups = cfg("groupList")
                .and_then(Value::as_array)
                .map(|a| a.iter().enumerate().filter_map(|(i, g)| g.as_str().map(|n| (n.to_string(), format!("{cfg_base}/groupList/{i}")))).collect())
                .unwrap_or_default();
        }
        "AWS::IAM::Role" => {
            r.kind = Text::interned("iam_role");
            aws_iam::set_trust(r, cfg("assumeRolePolicyDocument"), &ci.cfg_ptr("assumeRolePolicyDocument"));
        }
        "AWS::IAM::Group" => {
            r.kind = Text::interned("iam_group");
            out.group_name = cfg("groupName").and_then(Value::as_str).map(str::to_string).or_else(|| Some(r.name.to_string()));
        }
        _ => {
            r.kind = Text::interned("iam_policy");
            let arn = cfg("arn").and_then(Value::as_str).map(str::to_string).unwrap_or_else(|| r.id.to_string());
            let name = cfg("policyName").and_then(Value::as_str).map(str::to_string).unwrap_or_else(|| r.name.to_string());
            let e = match aws_iam::default_policy_version(&config, false) {
                Some((suffix, d)) => aws_iam::entry("managed", Some(&name), Some(&arn), &format!("{cfg_base}{suffix}"), Some(d)),
                None => {
                    let mut e = aws_iam::entry("managed", Some(&name), Some(&arn), cfg_base, None);
                    if let Value::Object(o) = &mut e {
                        o.insert("unknown".into(), Value::String("no default policy version in the item".into()));
                    }
                    e
                }
            };
            let p = e.get("pointer").and_then(Value::as_str).unwrap_or(cfg_base).to_string();
            r.set("policies", Value::Array(vec![e.clone()]), p);
            if let Some(n) = cfg("attachmentCount").and_then(Value::as_u64) {
                r.set("attached", n > 0, ci.cfg_ptr("attachmentCount"));
            }
            out.policy = Some((arn, e));
            return out;
        }
    }
    out.facts = facts;
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(v: Value) -> (Inventory, Vec<Diagnostic>) {
        parse("t.json", &Document::Json(v)).unwrap()
    }

    #[test]
    fn select_results_and_deleted_items() {
        let ci = json!({"resourceType": "AWS::EC2::Volume", "resourceId": "vol-1", "awsRegion": "eu-west-1", "accountId": "111111111111",
            "configuration": {"encrypted": true, "kmsKeyId": "arn:aws:kms:eu-west-1:111111111111:key/abc"}});
        let (inv, _) = run(json!({"Results": [ci.to_string(), "not json"], "QueryInfo": {}}));
        assert_eq!(inv.resources.len(), 1);
        let r = &inv.resources[0];
        assert_eq!((r.kind.as_str(), r.id.as_str()), ("block_volume", "vol-1"));
        // A key ARN alone does not say whether it is aws/ebs: unknown until a key item settles it.
        assert!(matches!(r.prop("encryption_key"), Some(Prop::Unknown { reason, .. }) if &**reason == crate::ingest::aws_keys::BY_ARN));
        assert_eq!(r.prop("encryption_at_rest").map(|p| p.pointer().to_string()).as_deref(), Some("/Results/0/configuration/encrypted"));

        let gone = json!({"configurationItems": [
            {"resourceType": "AWS::EC2::VPC", "resourceId": "vpc-1", "configurationStateId": 2, "configurationItemStatus": "ResourceDeleted"},
            {"resourceType": "AWS::EC2::VPC", "resourceId": "vpc-1", "configurationStateId": 1, "configurationItemStatus": "OK", "configuration": {}},
            {"resourceType": "AWS::EC2::VPC", "resourceId": "vpc-2", "configurationItemStatus": "OK", "configuration": {}},
            7
        ]});
        let (inv, diags) = run(gone);
        assert_eq!(inv.resources.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(), vec!["vpc-2"]);
        assert!(diags.iter().any(|d| d.message.contains("ResourceDeleted")));
        assert!(diags.iter().any(|d| d.level == DiagnosticLevel::Warning), "{diags:?}");
    }

    #[test]
    fn iam_joins_across_items() {
        let doc = json!([
            {"resourceType": "AWS::IAM::Policy", "resourceId": "P", "arn": "arn:aws:iam::111111111111:policy/all",
             "configuration": {"arn": "arn:aws:iam::111111111111:policy/all", "attachmentCount": 1, "defaultVersionId": "v1",
               "policyVersionList": [{"versionId": "v1", "isDefaultVersion": true,
                 "document": "%7B%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22*%22%2C%22Resource%22%3A%22*%22%7D%5D%7D"}]}},
            {"resourceType": "AWS::IAM::Group", "resourceId": "G", "resourceName": "ops",
             "configuration": {"groupName": "ops", "attachedManagedPolicies": [{"policyArn": "arn:aws:iam::111111111111:policy/all"}]}},
            {"resourceType": "AWS::IAM::User", "resourceId": "U1", "resourceName": "ann", "configuration": {"groupList": ["ops"]}},
            {"resourceType": "AWS::IAM::User", "resourceId": "U2", "resourceName": "bob", "configuration": {"groupList": ["missing"]}},
            {"resourceType": "AWS::IAM::Role", "resourceId": "R", "resourceName": "r",
             "configuration": {"assumeRolePolicyDocument": "%7B%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Principal%22%3A%7B%22AWS%22%3A%22*%22%7D%2C%22Action%22%3A%22sts%3AAssumeRole%22%7D%5D%7D"}}
        ]);
        let (inv, _) = run(doc);
        let get = |n: &str, p: &str| inv.resources.iter().find(|r| r.name == n).and_then(|r| r.prop(p)).cloned();
        use crate::checks::policy::{holds, Judgement};
        let admin = |n: &str| holds(get(n, "policies").as_ref(), Judgement::Admin);
        assert_eq!(admin("P"), Some(true));
        assert_eq!(admin("ops"), Some(true));
        assert_eq!(admin("ann"), Some(true), "through the group");
        assert_eq!(admin("bob"), None, "a group not in the snapshot");
        assert_eq!(holds(get("r", "trust_policy").as_ref(), Judgement::Public), Some(true));
    }

    #[test]
    fn not_config() {
        assert!(parse("x", &Document::Json(json!(3))).is_err());
        assert!(parse("x", &Document::Csv(String::new())).is_err());
    }
}
