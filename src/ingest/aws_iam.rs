//! AWS IAM exports: the credential report (CSV, or the API's JSON wrapper with
//! the CSV as text or base64) and `aws iam get-account-authorization-details`.
//! It also owns the small IAM policy-language reading shared with the AWS
//! Config and CloudFormation parsers: decoding policy documents (object, JSON
//! string, URL-encoded JSON string), "does this grant admin", "does this trust
//! any principal", "does this bucket policy require TLS / allow the public".
//!
//! Invariant: a credential-report row becomes exactly one resource (`iam_user`
//! or `root_account`), keyed by ARN; a later row for the same ARN replaces the
//! earlier one and says so in a warning.
//! Invariant: `admin` is `true` only with evidence (a pointer to the
//! attachment, group membership or statement), `false` only when every
//! attached policy and group was seen in the export, and `Prop::Unknown`
//! when a customer managed policy or group it depends on is missing.
//! Invariant: nothing here panics on input: no `unwrap`, no indexing.

use super::{Document, IngestError, ParseOutput};
use crate::ingest::util::ptr;
use crate::inventory::{Diagnostic, DiagnosticLevel, Inventory, Prop, Provider, Resource, SourceRef, Text};
use serde_json::{json, Value};
use std::collections::HashMap;

// ---------------------------------------------------------------------------
// Policy language helpers (shared with aws_config and cloudformation)
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

/// Percent-decoding (RFC 3986) as the IAM API applies it to policy documents.
/// Malformed escapes are kept literally.
pub(super) fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes.get(i).copied().unwrap_or(0);
        if b == b'%' {
            let hi = bytes.get(i + 1).and_then(|c| (*c as char).to_digit(16));
            let lo = bytes.get(i + 2).and_then(|c| (*c as char).to_digit(16));
            if let (Some(h), Some(l)) = (hi, lo) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(b);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The statements of a policy document value (object, string, URL-encoded
/// string, or an array of documents as AWS Config sometimes writes), each with
/// its index path suffix (e.g. `/Statement/0`).
pub(super) fn statements(doc: &Value) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    let Some(decoded) = decode_json_value(doc) else { return out };
    let docs: Vec<(String, &Value)> = match &decoded {
        Value::Array(a) => a.iter().enumerate().map(|(i, d)| (format!("/{i}"), d)).collect(),
        other => vec![(String::new(), other)],
    };
    for (prefix, d) in docs {
        match d.get("Statement") {
            Some(Value::Array(a)) => {
                for (i, s) in a.iter().enumerate() {
                    out.push((format!("{prefix}/Statement/{i}"), s.clone()));
                }
            }
            Some(s @ Value::Object(_)) => out.push((format!("{prefix}/Statement"), s.clone())),
            _ => {}
        }
    }
    out
}

/// A string-or-list IAM field as a list of strings (non-strings are skipped).
pub(super) fn str_list(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).map(str::to_string).collect(),
        _ => Vec::new(),
    }
}

fn effect_is(s: &Value, want: &str) -> bool {
    s.get("Effect").and_then(Value::as_str).is_some_and(|e| e.eq_ignore_ascii_case(want))
}

fn has_condition(s: &Value) -> bool {
    match s.get("Condition") {
        None | Some(Value::Null) => false,
        Some(Value::Object(o)) => !o.is_empty(),
        Some(_) => true,
    }
}

fn is_star_action(a: &str) -> bool {
    let t = a.trim();
    t == "*" || t == "*:*"
}

/// Does this statement allow every action (or, with `NotAction`, everything
/// but a list that still leaves IAM open, which is enough to become admin)?
fn allows_all_actions(s: &Value) -> bool {
    if let Some(a) = s.get("Action") {
        return str_list(Some(a)).iter().any(|x| is_star_action(x));
    }
    if let Some(na) = s.get("NotAction") {
        // Allow + NotAction grants everything not listed. Unless the list takes
        // away IAM itself, the principal can grant itself the rest.
        let excluded = str_list(Some(na));
        return !excluded.iter().any(|x| is_star_action(x) || x.trim().eq_ignore_ascii_case("iam:*"));
    }
    false
}

fn covers_all_resources(s: &Value) -> bool {
    if let Some(r) = s.get("Resource") {
        return str_list(Some(r)).iter().any(|x| x.trim() == "*");
    }
    if let Some(nr) = s.get("NotResource") {
        return !str_list(Some(nr)).iter().any(|x| x.trim() == "*");
    }
    false
}

/// Does a policy document grant administrator access: an `Allow` of every
/// action on every resource (`Action:"*"`/`"*:*"`, or a `NotAction` that does
/// not exclude `iam:*`; `Resource:"*"` or a `NotResource`), not cancelled by a
/// unconditional `Deny` of everything in the same document? Returns the
/// pointer suffix of the granting statement.
pub(super) fn grants_admin(doc: &Value) -> Option<String> {
    let stmts = statements(doc);
    let deny_all = stmts.iter().any(|(_, s)| {
        effect_is(s, "Deny")
            && !has_condition(s)
            && s.get("Action").is_some_and(|a| str_list(Some(a)).iter().any(|x| is_star_action(x)))
            && s.get("Resource").is_some_and(|r| str_list(Some(r)).iter().any(|x| x == "*"))
    });
    if deny_all {
        return None;
    }
    stmts
        .into_iter()
        .find(|(_, s)| effect_is(s, "Allow") && allows_all_actions(s) && covers_all_resources(s))
        .map(|(p, _)| p)
}

fn principal_is_anyone(p: &Value) -> bool {
    match p {
        Value::String(s) => s.trim() == "*",
        Value::Object(o) => o.get("AWS").is_some_and(|a| str_list(Some(a)).iter().any(|x| x.trim() == "*")),
        _ => false,
    }
}

/// Does a trust (resource) policy allow anyone (`Principal:"*"`, `{"AWS":"*"}`
/// or an `Allow` with `NotPrincipal`) without a `Condition`? Returns the
/// pointer suffix of the statement.
pub(super) fn allows_any_principal(doc: &Value) -> Option<String> {
    statements(doc)
        .into_iter()
        .find(|(_, s)| {
            effect_is(s, "Allow")
                && !has_condition(s)
                && (s.get("Principal").is_some_and(principal_is_anyone) || s.get("NotPrincipal").is_some())
        })
        .map(|(p, _)| p)
}

/// Does a bucket policy deny requests made without TLS
/// (`Deny` with `Bool: {"aws:SecureTransport": "false"}`)? Returns the
/// pointer suffix of the statement.
pub(super) fn denies_insecure_transport(doc: &Value) -> Option<String> {
    statements(doc)
        .into_iter()
        .find(|(_, s)| {
            effect_is(s, "Deny")
                && s.get("Condition").and_then(Value::as_object).is_some_and(|c| {
                    c.iter().any(|(op, body)| {
                        op.eq_ignore_ascii_case("Bool")
                            && body.as_object().is_some_and(|b| {
                                b.iter().any(|(k, v)| k.eq_ignore_ascii_case("aws:SecureTransport") && is_false_value(v))
                            })
                    })
                })
        })
        .map(|(p, _)| p)
}

fn is_false_value(v: &Value) -> bool {
    match v {
        Value::Bool(b) => !b,
        Value::String(s) => s.trim().eq_ignore_ascii_case("false"),
        Value::Array(a) => !a.is_empty() && a.iter().all(is_false_value),
        _ => false,
    }
}

/// Is an ARN the AWS managed `AdministratorAccess` policy (any partition)?
pub(super) fn is_admin_policy_arn(arn: &str) -> bool {
    let t = arn.trim();
    t.starts_with("arn:aws") && t.ends_with(":iam::aws:policy/AdministratorAccess")
}

fn is_aws_managed_arn(arn: &str) -> bool {
    arn.contains(":iam::aws:policy/")
}

/// The account id in an ARN, when it is a 12-digit account.
pub(super) fn arn_account(arn: &str) -> Option<String> {
    let acct = arn.split(':').nth(4)?;
    (acct.len() == 12 && acct.bytes().all(|b| b.is_ascii_digit())).then(|| acct.to_string())
}

/// What one principal's admin status depends on, gathered before the joins.
#[derive(Debug, Default)]
pub(super) struct AdminFacts {
    /// Pointer to direct evidence (AdministratorAccess attached, admin inline policy).
    pub direct: Option<String>,
    /// Group memberships: (group name, pointer).
    pub groups: Vec<(String, String)>,
    /// Attached managed policies: (ARN, pointer).
    pub managed: Vec<(String, String)>,
    /// Pointer used when the answer is `false` or unknown.
    pub fallback: String,
}

/// Decide `admin` for principals. `policies` maps a managed policy ARN to
/// (grants admin, pointer); `groups` maps a group name to its decided `admin`.
pub(super) fn settle_admin(facts: &AdminFacts, policies: &HashMap<String, (bool, String)>, groups: &HashMap<String, Prop>) -> Prop {
    if let Some(p) = &facts.direct {
        return Prop::known(true, p.clone());
    }
    let mut missing: Vec<String> = Vec::new();
    for (arn, p) in &facts.managed {
        if is_admin_policy_arn(arn) {
            return Prop::known(true, p.clone());
        }
        match policies.get(arn) {
            Some((true, _)) => return Prop::known(true, p.clone()),
            Some((false, _)) => {}
            None if is_aws_managed_arn(arn) => {} // AWS managed, not AdministratorAccess
            None => missing.push(format!("attached policy {arn}")),
        }
    }
    for (name, p) in &facts.groups {
        match groups.get(name) {
            Some(prop) if prop.is_true() => return Prop::known(true, p.clone()),
            Some(Prop::Known { .. }) => {}
            Some(Prop::Unknown { .. }) => missing.push(format!("group {name} (its policies are not all in the export)")),
            None => missing.push(format!("group {name}")),
        }
    }
    if missing.is_empty() {
        Prop::known(false, facts.fallback.clone())
    } else {
        Prop::unknown(format!("not in the export: {}", missing.join(", ")), facts.fallback.clone())
    }
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

/// Evidence of admin in a principal's inline policies (`UserPolicyList` etc.).
pub(super) fn inline_admin(entries: &[Value], base: &str, doc_key: &str) -> Option<String> {
    entries
        .iter()
        .enumerate()
        .find_map(|(i, e)| e.get(doc_key).and_then(grants_admin).map(|suffix| format!("{base}/{i}/{doc_key}{suffix}")))
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
/// policies with `admin`, `trust_any_principal` (roles), `admin_wildcard` and
/// `attached` (policies).
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
        warn(&mut diags, "the export is truncated (IsTruncated=true); combine every page (Marker) or admin rights may be missed".into(), "/IsTruncated".into());
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

    // Managed policies first: what each grants, and who references them.
    let mut policies: HashMap<String, (bool, String)> = HashMap::new();
    let mut policy_res: Vec<(usize, String, Option<u64>)> = Vec::new(); // resource index, ARN, AttachmentCount
    for (i, p) in section("Policies").iter().enumerate() {
        let base = format!("/Policies/{i}");
        let Some(mut r) = new_res("iam_policy", "AWS::IAM::ManagedPolicy", p, "Arn", "PolicyName", base.clone()) else {
            warn(&mut diags, "policy entry without PolicyName skipped".into(), base);
            continue;
        };
        match default_policy_version(p, true) {
            Some((suffix, d)) => match grants_admin(d) {
                Some(st) => r.set("admin_wildcard", true, format!("{base}{suffix}{st}")),
                None if statements(d).is_empty() => {
                    r.set_unknown("admin_wildcard", "the policy document could not be read", format!("{base}{suffix}"))
                }
                None => r.set("admin_wildcard", false, format!("{base}{suffix}")),
            },
            None => r.set_unknown("admin_wildcard", "no default policy version in the export", base.clone()),
        }
        let admin = r.prop("admin_wildcard").is_some_and(Prop::is_true);
        policies.insert(r.id.to_string(), (admin, r.prop("admin_wildcard").map(|x| x.pointer().to_string()).unwrap_or_default()));
        policy_res.push((resources.len(), r.id.to_string(), p.get("AttachmentCount").and_then(Value::as_u64)));
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

    // Groups.
    let mut groups: HashMap<String, Prop> = HashMap::new();
    for (i, g) in section("GroupDetailList").iter().enumerate() {
        let base = format!("/GroupDetailList/{i}");
        let Some(mut r) = new_res("iam_group", "AWS::IAM::Group", g, "Arn", "GroupName", base.clone()) else {
            warn(&mut diags, "group entry without GroupName skipped".into(), base);
            continue;
        };
        let facts = AdminFacts {
            direct: inline_admin(list(g, "GroupPolicyList"), &format!("{base}/GroupPolicyList"), "PolicyDocument"),
            groups: Vec::new(),
            managed: managed_of(g, &base, &mut referenced),
            fallback: base.clone(),
        };
        let admin = settle_admin(&facts, &policies, &HashMap::new());
        groups.insert(r.name.to_string(), admin.clone());
        r.props.insert("admin", admin);
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
        let facts = AdminFacts {
            direct: inline_admin(inline, &format!("{base}/UserPolicyList"), "PolicyDocument"),
            groups: list(u, "GroupList")
                .iter()
                .enumerate()
                .filter_map(|(j, g)| g.as_str().map(|n| (n.to_string(), format!("{base}/GroupList/{j}"))))
                .collect(),
            managed: managed_of(u, &base, &mut referenced),
            fallback: base.clone(),
        };
        r.props.insert("admin", settle_admin(&facts, &policies, &groups));
        r.set("inline_policy_count", inline.len() as u64, base.clone());
        resources.push(r);
    }

    // Roles.
    for (i, ro) in section("RoleDetailList").iter().enumerate() {
        let base = format!("/RoleDetailList/{i}");
        let Some(mut r) = new_res("iam_role", "AWS::IAM::Role", ro, "Arn", "RoleName", base.clone()) else {
            warn(&mut diags, "role entry without RoleName skipped".into(), base);
            continue;
        };
        let facts = AdminFacts {
            direct: inline_admin(list(ro, "RolePolicyList"), &format!("{base}/RolePolicyList"), "PolicyDocument"),
            groups: Vec::new(),
            managed: managed_of(ro, &base, &mut referenced),
            fallback: base.clone(),
        };
        r.props.insert("admin", settle_admin(&facts, &policies, &groups));
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

/// Set `trust_any_principal` from a role's trust policy (object or encoded string).
pub(super) fn set_trust(r: &mut Resource, doc: Option<&Value>, pointer: &str) {
    match doc {
        None | Some(Value::Null) => {}
        Some(d) => match allows_any_principal(d) {
            Some(st) => r.set("trust_any_principal", true, format!("{pointer}{st}")),
            None if statements(d).is_empty() => r.set_unknown("trust_any_principal", "the trust policy could not be read", pointer),
            None => r.set("trust_any_principal", false, pointer),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_language() {
        let admin = json!({"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]});
        assert_eq!(grants_admin(&admin).as_deref(), Some("/Statement/0"));
        let encoded = "%7B%22Statement%22%3A%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%5B%22*%22%5D%2C%22Resource%22%3A%22*%22%7D%7D";
        assert_eq!(grants_admin(&json!(encoded)).as_deref(), Some("/Statement"));
        let power = json!({"Statement": [{"Effect": "Allow", "NotAction": ["iam:*", "organizations:*"], "Resource": "*"}]});
        assert_eq!(grants_admin(&power), None);
        let not_action = json!({"Statement": [{"Effect": "Allow", "NotAction": "s3:DeleteBucket", "Resource": "*"}]});
        assert!(grants_admin(&not_action).is_some());
        let scoped = json!({"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "arn:aws:s3:::b"}]});
        assert_eq!(grants_admin(&scoped), None);
        let denied = json!({"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}, {"Effect": "Deny", "Action": "*", "Resource": "*"}]});
        assert_eq!(grants_admin(&denied), None);
        let trust = json!({"Statement": [{"Effect": "Allow", "Principal": {"AWS": ["*"]}, "Action": "sts:AssumeRole"}]});
        assert!(allows_any_principal(&trust).is_some());
        let cond = json!({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "x"}}}]});
        assert!(allows_any_principal(&cond).is_none());
        let tls = json!({"Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Condition": {"Bool": {"aws:SecureTransport": false}}}]});
        assert!(denies_insecure_transport(&tls).is_some());
        assert_eq!(decode_json_value(&json!("\"{\\\"a\\\":1}\"")), Some(json!({"a": 1})));
        assert_eq!(decode_json_value(&json!("plain")), None);
        assert_eq!(percent_decode("a%2Fb%zz"), "a/b%zz");
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
