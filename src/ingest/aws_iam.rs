//! AWS IAM exports: the credential report (CSV, or the API's JSON wrapper with
//! the CSV as text or base64) and `aws iam get-account-authorization-details`.
//! It also owns the IAM attachment facts shared with the AWS Config and
//! CloudFormation parsers: policy entries (`entry`, read with
//! `crate::policy`), and the join of a principal's inline policies, managed
//! attachments and group memberships into its `policies` (`settle_policies`).
//!
//! Invariant: a credential-report row becomes exactly one resource (`iam_user`
//! or `root_account`), keyed by ARN; a later row for the same ARN replaces the
//! earlier one and says so in a warning.
//! Invariant: parsers state which documents apply to whom; whether they grant
//! admin, trust anyone or require TLS is judged in `checks::policy` only.
//! Invariant: nothing here panics on input: no `unwrap`, no indexing.

use super::{Document, IngestError, ParseOutput};
use crate::ingest::util::ptr;
use crate::inventory::{Diagnostic, DiagnosticLevel, Inventory, Prop, Provider, Resource, SourceRef, Text};
use crate::policy::PolicyDocument;
use serde_json::{json, Map, Value};
use std::collections::HashMap;

// ---------------------------------------------------------------------------
// Policy documents and attachments (shared with aws_config and cloudformation)
// ---------------------------------------------------------------------------

/// Decode a value that holds a policy document or any JSON: an object or
/// array as is; a string holding JSON (possibly JSON-encoded more than once,
/// as AWS Config does); a URL-encoded JSON string (raw IAM API). `None` when
/// the value is not JSON at all.
pub(super) fn decode_json_value(v: &Value) -> Option<Value> {
    let mut cur = v.clone();
    let mut decoded = false;
    // Bounded: at most four layers of encoding are unwrapped.
    for _ in 0..4 {
        let Value::String(s) = &cur else { return Some(cur) };
        let t = s.trim();
        let next = if t.starts_with('{') || t.starts_with('[') || t.starts_with('"') {
            serde_json::from_str::<Value>(t).ok()
        } else if t.starts_with("%7B") || t.starts_with("%7b") || t.starts_with("%5B") || t.starts_with("%5b") {
            serde_json::from_str::<Value>(&percent_decode(t)).ok()
        } else {
            None
        };
        match next {
            Some(n) => {
                cur = n;
                decoded = true;
            }
            None => return decoded.then_some(cur),
        }
    }
    Some(cur)
}

pub(super) use crate::policy::percent_decode;

/// One entry of a `policies` property (docs/inventory.md): `kind` (`inline`,
/// `managed`), name, ARN, the pointer of the document (or of the
/// attachment), and the canonical document when the export has it (or
/// `unknown` with the reason when it has it but it cannot be read).
pub(super) fn entry(kind: &str, name: Option<&str>, arn: Option<&str>, pointer: &str, doc: Option<&Value>) -> Value {
    let mut o = Map::new();
    o.insert("kind".into(), Value::String(kind.into()));
    if let Some(n) = name {
        o.insert("name".into(), Value::String(n.into()));
    }
    if let Some(a) = arn {
        o.insert("arn".into(), Value::String(a.into()));
    }
    o.insert("pointer".into(), Value::String(pointer.into()));
    match doc.filter(|d| !d.is_null()).map(PolicyDocument::normalise) {
        Some(Ok(d)) => {
            o.insert("document".into(), d);
        }
        Some(Err(e)) => {
            o.insert("unknown".into(), Value::String(format!("the document could not be read ({e})")));
        }
        None => {}
    }
    Value::Object(o)
}

/// A property holding one document (`trust_policy`, `bucket_policy`,
/// `key_policy`): the canonical form, or unknown when it cannot be read.
pub(super) fn document_prop(doc: &Value, pointer: &str) -> Prop {
    match PolicyDocument::normalise(doc) {
        Ok(d) => Prop::known(d, pointer),
        Err(e) => Prop::unknown(format!("the policy could not be read: {e}"), pointer),
    }
}

/// Entries of a principal's inline policy list (`UserPolicyList` etc.).
pub(super) fn inline_entries(list: &[Value], base: &str, name_key: &str, doc_key: &str) -> Vec<Value> {
    list.iter()
        .enumerate()
        .map(|(i, e)| {
            let name = e.get(name_key).and_then(Value::as_str);
            match e.get(doc_key) {
                Some(d) => entry("inline", name, None, &format!("{base}/{i}/{doc_key}"), Some(d)),
                None => {
                    let mut x = entry("inline", name, None, &format!("{base}/{i}"), None);
                    if let Value::Object(o) = &mut x {
                        o.insert("unknown".into(), Value::String(format!("no {doc_key}")));
                    }
                    x
                }
            }
        })
        .collect()
}

/// What one principal's policies are, gathered before the joins.
#[derive(Debug, Default)]
pub(super) struct PolicyFacts {
    /// Inline policy entries.
    pub inline: Vec<Value>,
    /// Group memberships: (group key, pointer).
    pub groups: Vec<(String, String)>,
    /// Attached managed policies: (ARN or key, pointer of the attachment).
    pub managed: Vec<(String, String)>,
}

impl PolicyFacts {
    /// The `managed_policy_arns` fact: ARNs (or keys) attached directly.
    pub(super) fn managed_arns(&self) -> Value {
        Value::Array(self.managed.iter().map(|(a, _)| Value::String(a.clone())).collect())
    }
}

/// The `policies` of a principal: its inline entries; each managed
/// attachment, with the managed policy's entry when the export has it
/// (`managed`: ARN or key → entry); and its groups' entries (`groups`: group
/// key → entries), marked with the group. Joins only: nothing is judged.
pub(super) fn settle_policies(facts: &PolicyFacts, managed: &HashMap<String, Value>, groups: &HashMap<String, Vec<Value>>) -> Vec<Value> {
    let mut out = facts.inline.clone();
    for (arn, p) in &facts.managed {
        match managed.get(arn) {
            Some(e) => {
                let mut e = e.clone();
                if let Value::Object(o) = &mut e {
                    o.insert("attachment".into(), Value::String(p.clone()));
                }
                out.push(e);
            }
            None => out.push(json!({"kind": "managed", "arn": arn, "pointer": p})),
        }
    }
    for (g, p) in &facts.groups {
        match groups.get(g) {
            Some(list) => out.extend(list.iter().cloned().map(|mut e| {
                if let Value::Object(o) = &mut e {
                    o.insert("group".into(), Value::String(g.trim_start_matches("logical:").to_string()));
                    o.entry("attachment").or_insert_with(|| Value::String(p.clone()));
                }
                e
            })),
            None => out.push(json!({"kind": "group", "group": g, "pointer": p, "unknown": format!("group {g} is not in the export")})),
        }
    }
    out
}

/// The account id in an ARN, when it is a 12-digit account.
pub(super) fn arn_account(arn: &str) -> Option<String> {
    let acct = arn.split(':').nth(4)?;
    (acct.len() == 12 && acct.bytes().all(|b| b.is_ascii_digit())).then(|| acct.to_string())
}

// ---------------------------------------------------------------------------
// Credential report
// ---------------------------------------------------------------------------

const EXPECTED_HEADER: &str = "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated";

const REQUIRED_COLUMNS: &[&str] = &["user", "arn", "password_enabled", "mfa_active", "access_key_1_active", "access_key_2_active"];

/// Decode standard or URL-safe base64 (padding optional, whitespace ignored).
pub(super) fn base64_decode(s: &str) -> Option<Vec<u8>> {
    fn val(c: u8) -> Option<u32> {
        match c {
            b'A'..=b'Z' => Some(u32::from(c - b'A')),
            b'a'..=b'z' => Some(u32::from(c - b'a') + 26),
            b'0'..=b'9' => Some(u32::from(c - b'0') + 52),
            b'+' | b'-' => Some(62),
            b'/' | b'_' => Some(63),
            _ => None,
        }
    }
    let mut out = Vec::with_capacity(s.len() / 4 * 3);
    let mut acc: u32 = 0;
    let mut bits = 0u32;
    for c in s.bytes() {
        if c.is_ascii_whitespace() || c == b'=' {
            continue;
        }
        acc = (acc << 6) | val(c)?;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(((acc >> bits) & 0xff) as u8);
        }
    }
    Some(out)
}

/// A credential-report cell: sentinels become `null`, booleans booleans.
fn cell(v: &str) -> Value {
    let t = v.trim();
    match t {
        "" | "N/A" | "not_supported" | "no_information" => Value::Null,
        "true" | "TRUE" | "True" => Value::Bool(true),
        "false" | "FALSE" | "False" => Value::Bool(false),
        other => Value::String(other.to_string()),
    }
}

/// The canonical kinds an IAM credential report gives.
/// Checked against what the parser emits on `tests/fixtures/ingest` by `tests/ingest_kinds.rs`.
pub(super) const CREDENTIAL_REPORT_KINDS: &[(Provider, &str)] = &[
    (Provider::Aws, "iam_user"),
    (Provider::Aws, "root_account"),
];

/// Read an IAM credential report: `Document::Csv` text, or the API/CLI JSON
/// wrapper `{Content, ReportFormat, GeneratedTime}` whose `Content` is the CSV
/// as text or base64. `<root_account>` becomes `root_account`, every other row
/// an `iam_user`. Pointers are `/<data row>/<column>`; `source.line` is the
/// CSV line.
pub(super) fn parse_credential_report(file: &str, doc: &Document) -> ParseOutput {
    let mut diags = Vec::new();
    let text: String = match doc {
        Document::Csv(t) => t.clone(),
        Document::Json(v) => {
            let content = v.get("Content").and_then(Value::as_str).ok_or_else(|| {
                IngestError::Unrecognised("a credential report JSON wrapper without a text Content field".into())
            })?;
            if let Some(fmt) = v.get("ReportFormat").and_then(Value::as_str) {
                if !fmt.eq_ignore_ascii_case("text/csv") {
                    diags.push(Diagnostic {
                        level: DiagnosticLevel::Warning,
                        message: format!("ReportFormat is {fmt:?}, not text/csv; reading Content as CSV anyway"),
                        source: Some(SourceRef { file: file.into(), pointer: "/ReportFormat".into(), line: None }),
                    });
                }
            }
            let trimmed = content.trim_start_matches('\u{feff}').trim_start();
            if trimmed.starts_with("user,") || trimmed.contains(",arn,") {
                trimmed.to_string()
            } else {
                let bytes = base64_decode(trimmed).ok_or_else(|| {
                    IngestError::Unrecognised("the credential report Content is neither CSV text nor base64-encoded CSV".into())
                })?;
                String::from_utf8(bytes).map_err(|_| {
                    IngestError::Unrecognised("the credential report Content decodes from base64 to something that is not UTF-8 text".into())
                })?
            }
        }
        _ => return Err(IngestError::Unrecognised("a credential report is CSV (or the GetCredentialReport JSON)".into())),
    };
    let text = text.trim_start_matches('\u{feff}');
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut records = reader.records();
    let header: Vec<String> = match records.next() {
        Some(Ok(h)) => h.iter().map(|s| s.trim().to_ascii_lowercase()).collect(),
        _ => return Err(IngestError::Unrecognised(format!("the credential report has no header line; expected: {EXPECTED_HEADER}"))),
    };
    let col: HashMap<&str, usize> = header.iter().enumerate().map(|(i, h)| (h.as_str(), i)).collect();
    let missing: Vec<&str> = REQUIRED_COLUMNS.iter().copied().filter(|c| !col.contains_key(c)).collect();
    if header.first().map(String::as_str) != Some("user") || !missing.is_empty() {
        return Err(IngestError::Unrecognised(format!(
            "the CSV header is not an IAM credential report header (missing {missing:?}); expected: {EXPECTED_HEADER}"
        )));
    }

    let mut out: Vec<Resource> = Vec::new();
    let mut by_arn: HashMap<String, usize> = HashMap::new();
    let mut row_index = 0usize;
    for rec in records {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map(|p| p.line() as u32);
                diags.push(Diagnostic {
                    level: DiagnosticLevel::Warning,
                    message: format!("unreadable credential report row skipped: {e}"),
                    source: Some(SourceRef { file: file.into(), pointer: String::new().into(), line }),
                });
                continue;
            }
        };
        let line = rec.position().map(|p| p.line() as u32);
        if rec.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let i = row_index;
        row_index += 1;
        let base = format!("/{i}");
        let src = SourceRef { file: file.into(), pointer: base.clone().into(), line };
        if rec.len() != header.len() {
            diags.push(Diagnostic {
                level: DiagnosticLevel::Warning,
                message: format!("credential report row has {} columns, the header has {}; row skipped", rec.len(), header.len()),
                source: Some(src),
            });
            continue;
        }
        let get = |name: &str| -> Value { col.get(name).and_then(|&c| rec.get(c)).map(cell).unwrap_or(Value::Null) };
        let p = |name: &str| ptr(&base, name);
        let user = get("user");
        let Some(user) = user.as_str().map(str::to_string) else {
            diags.push(Diagnostic { level: DiagnosticLevel::Warning, message: "credential report row without a user name; skipped".into(), source: Some(src) });
            continue;
        };
        let arn = get("arn").as_str().map(str::to_string).unwrap_or_else(|| user.clone());
        let is_root = user == "<root_account>";
        let mut r = Resource {
            provider: Provider::Aws,
            kind: if is_root { "root_account" } else { "iam_user" }.into(),
            native_type: "credential_report_row".into(),
            id: arn.clone().into(),
            name: user.clone().into(),
            region: None,
            account: arn_account(&arn).map(|s| Text::interned(&s)),
            source: src.clone(),
            props: Default::default(),
        };
        if let Value::Bool(b) = get("mfa_active") {
            r.set("mfa_active", b, p("mfa_active"));
        }
        let used = get("password_last_used");
        if is_root {
            let active = ["access_key_1_active", "access_key_2_active"].iter().filter(|c| get(c) == Value::Bool(true)).count();
            r.set("access_keys_active", active as u64, base.clone());
            r.set("password_last_used", used, p("password_last_used"));
            let last = ["access_key_1_last_used_date", "access_key_2_last_used_date"]
                .iter()
                .filter_map(|c| get(c).as_str().map(str::to_string))
                .max();
            r.set("access_key_last_used", last.map(Value::String).unwrap_or(Value::Null), base.clone());
        } else {
            match get("password_enabled") {
                Value::Bool(b) => r.set("console_access", b, p("password_enabled")),
                _ => r.set_unknown("console_access", "password_enabled is not true/false", p("password_enabled")),
            }
            r.set("password_last_used", used, p("password_last_used"));
            let mut keys = Vec::new();
            for n in [1, 2] {
                let active = get(&format!("access_key_{n}_active"));
                let rotated = get(&format!("access_key_{n}_last_rotated"));
                if active == Value::Bool(true) || !rotated.is_null() {
                    keys.push(json!({
                        "active": active == Value::Bool(true),
                        "last_rotated": rotated,
                        "last_used": get(&format!("access_key_{n}_last_used_date")),
                    }));
                }
            }
            r.set("access_keys", keys, base.clone());
        }
        match by_arn.get(&arn) {
            Some(&prev) => {
                diags.push(Diagnostic {
                    level: DiagnosticLevel::Warning,
                    message: format!("{user} appears more than once in the credential report; the later row (line {}) is used", line.unwrap_or(0)),
                    source: Some(src),
                });
                if let Some(slot) = out.get_mut(prev) {
                    *slot = r;
                }
            }
            None => {
                by_arn.insert(arn, out.len());
                out.push(r);
            }
        }
    }
    Ok((Inventory { resources: out }, diags))
}

// ---------------------------------------------------------------------------
// Account authorization details
// ---------------------------------------------------------------------------

fn list<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    v.get(key).and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[])
}

fn s<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

/// The default version's document of a managed policy entry (`PolicyVersionList`
/// with `IsDefaultVersion`, or the version named by `DefaultVersionId`), with
/// its pointer suffix. Works for both the CLI's PascalCase and AWS Config's
/// camelCase.
pub(super) fn default_policy_version<'a>(p: &'a Value, pascal: bool) -> Option<(String, &'a Value)> {
    let (list_key, default_key, doc_key, vid_key, def_id_key) = if pascal {
        ("PolicyVersionList", "IsDefaultVersion", "Document", "VersionId", "DefaultVersionId")
    } else {
        ("policyVersionList", "isDefaultVersion", "document", "versionId", "defaultVersionId")
    };
    let versions = list(p, list_key);
    let default_id = s(p, def_id_key);
    versions
        .iter()
        .enumerate()
        .find(|(_, v)| {
            v.get(default_key).and_then(crate::ingest::util::loose_bool) == Some(true)
                || (default_id.is_some() && s(v, vid_key) == default_id)
        })
        .and_then(|(i, v)| v.get(doc_key).map(|d| (format!("/{list_key}/{i}/{doc_key}"), d)))
}

/// The canonical kinds an account authorization details document gives.
/// Checked against what the parser emits on `tests/fixtures/ingest` by `tests/ingest_kinds.rs`.
pub(super) const AUTHORIZATION_DETAILS_KINDS: &[(Provider, &str)] = &[
    (Provider::Aws, "iam_user"),
    (Provider::Aws, "iam_group"),
    (Provider::Aws, "iam_role"),
    (Provider::Aws, "iam_policy"),
];

/// Read `get-account-authorization-details`: users, groups, roles and managed
/// policies, each with its `policies` (documents and attachments), roles with
/// `trust_policy`, principals with `managed_policy_arns` and
/// `inline_policy_count`, policies with `attached`.
pub(super) fn parse_authorization_details(file: &str, doc: &Document) -> ParseOutput {
    let Document::Json(root) = doc else {
        return Err(IngestError::Unrecognised("account authorization details are JSON".into()));
    };
    let Value::Object(obj) = root else {
        return Err(IngestError::Unrecognised("account authorization details are a JSON object".into()));
    };
    let mut diags = Vec::new();
    let warn = |diags: &mut Vec<Diagnostic>, msg: String, pointer: String| {
        diags.push(Diagnostic { level: DiagnosticLevel::Warning, message: msg, source: Some(SourceRef { file: file.into(), pointer: pointer.into(), line: None }) });
    };
    if root.get("IsTruncated").and_then(Value::as_bool) == Some(true) {
        warn(&mut diags, "the export is truncated (IsTruncated=true); combine every page (Marker) or attached policies may be missed".into(), "/IsTruncated".into());
    }
    let empty = Value::Array(Vec::new());
    let section = |k: &str| -> &[Value] { obj.get(k).unwrap_or(&empty).as_array().map(Vec::as_slice).unwrap_or(&[]) };
    let mut resources: Vec<Resource> = Vec::new();
    let new_res = |kind: &str, native: &str, e: &Value, id_key: &str, name_key: &str, pointer: String| -> Option<Resource> {
        let name = s(e, name_key)?.to_string();
        let id = s(e, id_key).map(str::to_string).unwrap_or_else(|| name.clone());
        Some(Resource {
            provider: Provider::Aws,
            kind: kind.into(),
            native_type: native.into(),
            account: arn_account(&id).map(|s| Text::interned(&s)),
            id: id.into(),
            name: name.into(),
            region: None,
            source: SourceRef { file: file.into(), pointer: pointer.into(), line: None },
            props: Default::default(),
        })
    };

    // Managed policies first: their default version's document, by ARN.
    let mut policies: HashMap<String, Value> = HashMap::new();
    let mut policy_res: Vec<(usize, String, Option<u64>)> = Vec::new(); // resource index, ARN, AttachmentCount
    for (i, p) in section("Policies").iter().enumerate() {
        let base = format!("/Policies/{i}");
        let Some(mut r) = new_res("iam_policy", "AWS::IAM::ManagedPolicy", p, "Arn", "PolicyName", base.clone()) else {
            warn(&mut diags, "policy entry without PolicyName skipped".into(), base);
            continue;
        };
        let (name, arn) = (r.name.to_string(), r.id.to_string());
        let e = match default_policy_version(p, true) {
            Some((suffix, d)) => entry("managed", Some(&name), Some(&arn), &format!("{base}{suffix}"), Some(d)),
            None => {
                let mut e = entry("managed", Some(&name), Some(&arn), &base, None);
                if let Value::Object(o) = &mut e {
                    o.insert("unknown".into(), Value::String("no default policy version in the export".into()));
                }
                e
            }
        };
        let ptr_of = e.get("pointer").and_then(Value::as_str).unwrap_or(&base).to_string();
        r.set("policies", Value::Array(vec![e.clone()]), ptr_of);
        policies.insert(arn.clone(), e);
        policy_res.push((resources.len(), arn, p.get("AttachmentCount").and_then(Value::as_u64)));
        resources.push(r);
    }
    let mut referenced: HashMap<String, String> = HashMap::new(); // policy ARN -> first referencing pointer

    let managed_of = |e: &Value, base: &str, referenced: &mut HashMap<String, String>| -> Vec<(String, String)> {
        list(e, "AttachedManagedPolicies")
            .iter()
            .enumerate()
            .filter_map(|(j, m)| {
                let arn = s(m, "PolicyArn")?.to_string();
                let p = format!("{base}/AttachedManagedPolicies/{j}");
                referenced.entry(arn.clone()).or_insert_with(|| p.clone());
                Some((arn, p))
            })
            .collect()
    };
    let principal = |r: &mut Resource, facts: &PolicyFacts, settled: Vec<Value>, inline_len: usize, base: &str| {
        r.set("policies", Value::Array(settled), base);
        r.set("managed_policy_arns", facts.managed_arns(), format!("{base}/AttachedManagedPolicies"));
        r.set("inline_policy_count", inline_len as u64, base);
    };

    // Groups.
    let mut groups: HashMap<String, Vec<Value>> = HashMap::new();
    for (i, g) in section("GroupDetailList").iter().enumerate() {
        let base = format!("/GroupDetailList/{i}");
        let Some(mut r) = new_res("iam_group", "AWS::IAM::Group", g, "Arn", "GroupName", base.clone()) else {
            warn(&mut diags, "group entry without GroupName skipped".into(), base);
            continue;
        };
        let inline = list(g, "GroupPolicyList");
        let facts = PolicyFacts {
            inline: inline_entries(inline, &format!("{base}/GroupPolicyList"), "PolicyName", "PolicyDocument"),
            groups: Vec::new(),
            managed: managed_of(g, &base, &mut referenced),
        };
        let settled = settle_policies(&facts, &policies, &HashMap::new());
        groups.insert(r.name.to_string(), settled.clone());
        principal(&mut r, &facts, settled, inline.len(), &base);
        resources.push(r);
    }

    // Users.
    for (i, u) in section("UserDetailList").iter().enumerate() {
        let base = format!("/UserDetailList/{i}");
        let Some(mut r) = new_res("iam_user", "AWS::IAM::User", u, "Arn", "UserName", base.clone()) else {
            warn(&mut diags, "user entry without UserName skipped".into(), base);
            continue;
        };
        let inline = list(u, "UserPolicyList");
        let facts = PolicyFacts {
            inline: inline_entries(inline, &format!("{base}/UserPolicyList"), "PolicyName", "PolicyDocument"),
            groups: list(u, "GroupList")
                .iter()
                .enumerate()
                .filter_map(|(j, g)| g.as_str().map(|n| (n.to_string(), format!("{base}/GroupList/{j}"))))
                .collect(),
            managed: managed_of(u, &base, &mut referenced),
        };
        let settled = settle_policies(&facts, &policies, &groups);
        principal(&mut r, &facts, settled, inline.len(), &base);
        resources.push(r);
    }

    // Roles.
    for (i, ro) in section("RoleDetailList").iter().enumerate() {
        let base = format!("/RoleDetailList/{i}");
        let Some(mut r) = new_res("iam_role", "AWS::IAM::Role", ro, "Arn", "RoleName", base.clone()) else {
            warn(&mut diags, "role entry without RoleName skipped".into(), base);
            continue;
        };
        let inline = list(ro, "RolePolicyList");
        let facts = PolicyFacts {
            inline: inline_entries(inline, &format!("{base}/RolePolicyList"), "PolicyName", "PolicyDocument"),
            groups: Vec::new(),
            managed: managed_of(ro, &base, &mut referenced),
        };
        let settled = settle_policies(&facts, &policies, &groups);
        principal(&mut r, &facts, settled, inline.len(), &base);
        set_trust(&mut r, ro.get("AssumeRolePolicyDocument"), &format!("{base}/AssumeRolePolicyDocument"));
        resources.push(r);
    }

    // Attachment state of the managed policies.
    for (idx, arn, count) in policy_res {
        let Some(r) = resources.get_mut(idx) else { continue };
        let base = r.source.pointer.clone();
        match (count, referenced.get(&arn)) {
            (_, Some(p)) => r.set("attached", true, p.clone()),
            (Some(n), None) => r.set("attached", n > 0, format!("{base}/AttachmentCount")),
            (None, None) => r.set("attached", false, base.text()),
        }
    }
    if resources.is_empty() && !obj.keys().any(|k| k.ends_with("DetailList") || k == "Policies") {
        return Err(IngestError::Unrecognised("no UserDetailList, GroupDetailList, RoleDetailList or Policies".into()));
    }
    Ok((Inventory { resources }, diags))
}

/// Set `trust_policy` from a role's trust policy (object or encoded string).
pub(super) fn set_trust(r: &mut Resource, doc: Option<&Value>, pointer: &str) {
    if let Some(d) = doc.filter(|d| !d.is_null()) {
        r.props.insert("trust_policy", document_prop(d, pointer));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoding_and_entries() {
        assert_eq!(decode_json_value(&json!("\"{\\\"a\\\":1}\"")), Some(json!({"a": 1})));
        assert_eq!(decode_json_value(&json!("plain")), None);
        assert_eq!(percent_decode("a%2Fb%zz"), "a/b%zz");
        let encoded = "%7B%22Statement%22%3A%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%5B%22*%22%5D%2C%22Resource%22%3A%22*%22%7D%7D";
        let e = entry("inline", Some("all"), None, "/x", Some(&json!(encoded)));
        assert_eq!(e["document"]["Statement"][0]["Action"], json!(["*"]));
        assert!(entry("inline", None, None, "/x", Some(&json!("{"))).get("unknown").is_some());
        let facts = PolicyFacts { inline: vec![], groups: vec![("ops".into(), "/g".into())], managed: vec![("arn:aws:iam::1:policy/p".into(), "/m".into())] };
        let settled = settle_policies(&facts, &HashMap::new(), &HashMap::new());
        assert_eq!(settled.len(), 2);
        assert_eq!(settled[0], json!({"kind": "managed", "arn": "arn:aws:iam::1:policy/p", "pointer": "/m"}));
        assert!(settled[1]["unknown"].as_str().unwrap().contains("group ops"));
    }

    #[test]
    fn base64_and_cells() {
        assert_eq!(base64_decode("dXNlcixhcm4K").as_deref(), Some(&b"user,arn\n"[..]));
        assert_eq!(base64_decode("dXNlcg"), Some(b"user".to_vec()));
        assert_eq!(base64_decode("!!"), None);
        assert_eq!(cell("N/A"), Value::Null);
        assert_eq!(cell("no_information"), Value::Null);
        assert_eq!(cell("true"), Value::Bool(true));
    }

    #[test]
    fn credential_report_edge_cases() {
        let csv = "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated\n\"a,b\",arn:aws:iam::123456789012:user/ab,2020-01-01T00:00:00+00:00,true,N/A,N/A,N/A,true,true,2020-01-01T00:00:00+00:00,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\nshort,row";
        let (inv, diags) = parse_credential_report("r.csv", &Document::Csv(csv.into())).unwrap();
        assert_eq!(inv.resources.len(), 1);
        assert_eq!(inv.resources[0].name, "a,b");
        assert_eq!(inv.resources[0].account.as_deref(), Some("123456789012"));
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].source.as_ref().and_then(|s| s.line), Some(3));
        let err = parse_credential_report("x.csv", &Document::Csv("name,arn\nx,y\n".into())).unwrap_err();
        assert!(err.to_string().contains("expected: user,arn,user_creation_time"), "{err}");
        let b64 = json!({"Content": "dXNlcixhcm4sbWZhX2FjdGl2ZSxwYXNzd29yZF9lbmFibGVkLGFjY2Vzc19rZXlfMV9hY3RpdmUsYWNjZXNzX2tleV8yX2FjdGl2ZQo8cm9vdF9hY2NvdW50Pixhcm46YXdzOmlhbTo6MTExMTExMTExMTExOnJvb3QsZmFsc2Usbm90X3N1cHBvcnRlZCx0cnVlLGZhbHNl", "ReportFormat": "text/csv"});
        let (inv, _) = parse_credential_report("r.json", &Document::Json(b64)).unwrap();
        assert_eq!(inv.resources.len(), 1);
        assert_eq!(inv.resources[0].kind, "root_account");
        assert_eq!(inv.resources[0].prop("access_keys_active").and_then(Prop::value), Some(&json!(1)));
    }
}
