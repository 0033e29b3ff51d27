//! The IAM policy language as typed facts: one reading of an AWS policy
//! document (identity policy, role trust policy, resource policy such as an S3
//! bucket or KMS key policy) for every parser, and one canonical JSON form of
//! it that parsers store as a property (`docs/inventory.md`, "Policy
//! documents").
//!
//! A document is read from every shape IAM and the exports allow: an object,
//! a JSON string (Terraform's `jsonencode`, AWS Config's `policyText`, possibly
//! encoded more than once), a URL-encoded JSON string (the IAM API and its
//! authorization-details export), an array of documents (some AWS Config
//! items); `Statement` as one object or a list; `Action`, `Resource`,
//! principals and condition values as one value or a list; `"Principal": "*"`.
//! A CloudFormation intrinsic function where a string is expected is kept as
//! a `${…}` placeholder (`{"Fn::GetAtt": ["B", "Arn"]}` → `${B.Arn}`,
//! `Fn::Sub` → its template), so the shape of an ARN stays readable.
//!
//! The canonical form is itself an IAM-shaped document: `Statement` is a
//! list; `Effect` is `Allow` or `Deny`; `Action`/`NotAction`,
//! `Resource`/`NotResource` are lists of strings; `Principal`/`NotPrincipal`
//! are maps of `AWS`, `Service`, `Federated`, `CanonicalUser` to lists
//! (`"*"` is written `{"AWS": ["*"]}`, which AWS treats alike); `Condition`
//! maps each operator as written (`ForAnyValue:StringLikeIfExists`) to keys
//! and lists of string values (`false` becomes `"false"`). Each statement
//! read from an object keeps `at`, its pointer inside the source document
//! (`/Statement/0`), for evidence. Parts that could not be read are listed
//! under `Problems` (one sentence each): a judgement that would pass on such a
//! document is indeterminate instead.
//!
//! Judgements over documents live in `checks::policy`; this module only reads.
//!
//! **Invariant:** never panics on any input; bounded (at most four layers of
//! string encoding, [`MAX_STATEMENTS`] statements, [`MAX_ITEMS`] items per list).

use serde_json::{Map, Value};

/// Statements read from one document (beyond: a problem is recorded).
pub const MAX_STATEMENTS: usize = 2_000;
/// Items read from one list (actions, resources, principals, values).
pub const MAX_ITEMS: usize = 2_000;

/// `Allow` or `Deny`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    /// Grants.
    Allow,
    /// Refuses (wins over any Allow).
    Deny,
}

/// Who a statement is about (`Principal` / `NotPrincipal`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Principals {
    /// AWS accounts, users, roles (`*` for anyone).
    pub aws: Vec<String>,
    /// AWS services (`lambda.amazonaws.com`).
    pub service: Vec<String>,
    /// Identity providers (OIDC, SAML, Cognito).
    pub federated: Vec<String>,
    /// S3 canonical user ids.
    pub canonical_user: Vec<String>,
}

impl Principals {
    /// Does it name anyone at all (`*`)?
    pub fn is_anyone(&self) -> bool {
        self.aws.iter().chain(&self.canonical_user).any(|p| p.trim() == "*")
    }
    fn is_empty(&self) -> bool {
        self.aws.is_empty() && self.service.is_empty() && self.federated.is_empty() && self.canonical_user.is_empty()
    }
}

/// `ForAnyValue:` / `ForAllValues:` before a condition operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetQualifier {
    /// True when any value of the request's multivalued key matches.
    ForAnyValue,
    /// True when every value matches (and when the key is absent).
    ForAllValues,
}

/// One test of a `Condition` block: operator, key, values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition {
    /// The operator as written (`ForAnyValue:StringEqualsIfExists`).
    pub operator: String,
    /// The operator without qualifier and `IfExists` (`StringEquals`).
    pub base: String,
    /// `ForAnyValue:` or `ForAllValues:`.
    pub set: Option<SetQualifier>,
    /// `…IfExists`: true when the key is absent from the request.
    pub if_exists: bool,
    /// The condition key as written (keys compare without case).
    pub key: String,
    /// The values, as strings.
    pub values: Vec<String>,
}

impl Condition {
    /// Is the key `key` (without case)?
    pub fn key_is(&self, key: &str) -> bool {
        self.key.trim().eq_ignore_ascii_case(key)
    }
    /// Is the base operator `op` (without case)?
    pub fn base_is(&self, op: &str) -> bool {
        self.base.eq_ignore_ascii_case(op)
    }
}

/// One statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// `Sid`, if any.
    pub sid: Option<String>,
    /// Allow or Deny.
    pub effect: Effect,
    /// `Action` (None when the statement uses `NotAction` or neither).
    pub action: Option<Vec<String>>,
    /// `NotAction`.
    pub not_action: Option<Vec<String>>,
    /// `Principal` (resource and trust policies).
    pub principal: Option<Principals>,
    /// `NotPrincipal`.
    pub not_principal: Option<Principals>,
    /// `Resource`.
    pub resource: Option<Vec<String>>,
    /// `NotResource`.
    pub not_resource: Option<Vec<String>>,
    /// Every condition test (all must hold).
    pub conditions: Vec<Condition>,
    /// Pointer of the statement inside the source document (`/Statement/0`),
    /// when the document was an object there.
    pub at: Option<String>,
}

/// A policy document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PolicyDocument {
    /// `Version`, if given.
    pub version: Option<String>,
    /// The statements, in order.
    pub statements: Vec<Statement>,
    /// What could not be read, one sentence each (the rest was read).
    pub problems: Vec<String>,
}

/// Why a value is not a policy document at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotADocument(pub String);

impl std::fmt::Display for NotADocument {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Decode a value that holds JSON as text: an object or array as is; a string
/// holding JSON (possibly encoded more than once) or URL-encoded JSON.
/// Returns the value and whether it was read from text. `None` when a string
/// is not JSON.
pub fn decode(v: &Value) -> Option<(Value, bool)> {
    let mut cur = v.clone();
    let mut from_text = false;
    for _ in 0..4 {
        let Value::String(s) = &cur else { return Some((cur, from_text)) };
        let t = s.trim();
        let lower = t.get(..3).map(str::to_ascii_lowercase).unwrap_or_default();
        let next = if t.starts_with('{') || t.starts_with('[') || t.starts_with('"') {
            serde_json::from_str::<Value>(t).ok()
        } else if lower == "%7b" || lower == "%5b" || lower == "%22" {
            serde_json::from_str::<Value>(&percent_decode(t)).ok()
        } else {
            None
        };
        match next {
            Some(n) => {
                cur = n;
                from_text = true;
            }
            None => return None,
        }
    }
    matches!(cur, Value::Object(_) | Value::Array(_)).then_some((cur, from_text))
}

/// Percent-decoding (RFC 3986) as the IAM API applies it to policy documents
/// Malformed escapes are kept literally.
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
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

impl PolicyDocument {
    /// Read a document from any shape the exports use (see the module
    /// documentation). `Err` when the value is not a policy document at all
    /// (not JSON, or JSON without `Statement`); parts of a document that
    /// cannot be read are [`PolicyDocument::problems`].
    pub fn parse(v: &Value) -> Result<PolicyDocument, NotADocument> {
        PolicyDocument::read(v, false)
    }

    /// Read a document in the canonical form a parser stored: the same as
    /// [`PolicyDocument::parse`], except that each statement's `at` is the
    /// stored one (none for a document that was text in its source).
    pub fn from_canonical(v: &Value) -> Result<PolicyDocument, NotADocument> {
        PolicyDocument::read(v, true)
    }

    fn read(v: &Value, canonical: bool) -> Result<PolicyDocument, NotADocument> {
        let (decoded, from_text) = decode(v).ok_or_else(|| NotADocument("the policy is not JSON".into()))?;
        let mut doc = PolicyDocument::default();
        let docs: Vec<(String, &Value)> = match &decoded {
            Value::Array(a) => a.iter().enumerate().map(|(i, d)| (format!("/{i}"), d)).collect(),
            other => vec![(String::new(), other)],
        };
        let mut any_statement_key = false;
        for (prefix, d) in docs {
            let Some(obj) = d.as_object() else {
                doc.problems.push(format!("{} is not an object", if prefix.is_empty() { "the document" } else { prefix.as_str() }));
                continue;
            };
            if doc.version.is_none() {
                doc.version = get_ci(obj, "Version").and_then(Value::as_str).map(str::to_string);
            }
            // The canonical form keeps what an earlier reading could not read.
            if let Some(Value::Array(earlier)) = obj.get("Problems") {
                doc.problems.extend(earlier.iter().take(MAX_ITEMS).filter_map(Value::as_str).map(str::to_string));
            }
            let Some(st) = get_ci(obj, "Statement") else { continue };
            any_statement_key = true;
            let list: Vec<(String, &Value)> = match st {
                Value::Array(a) => a.iter().enumerate().map(|(i, s)| (format!("{prefix}/Statement/{i}"), s)).collect(),
                Value::Null => Vec::new(),
                s => vec![(format!("{prefix}/Statement"), s)],
            };
            for (at, s) in list {
                if doc.statements.len() >= MAX_STATEMENTS {
                    doc.problems.push(format!("more than {MAX_STATEMENTS} statements; the rest were not read"));
                    break;
                }
                if let Some(st) = read_statement(s, &at, &mut doc.problems) {
                    let at = if canonical { s.get("at").and_then(Value::as_str).map(str::to_string) } else { (!from_text).then_some(at) };
                    doc.statements.push(Statement { at, ..st });
                }
            }
        }
        if !any_statement_key {
            return Err(NotADocument("the policy has no Statement".into()));
        }
        Ok(doc)
    }

    /// The canonical JSON form (module documentation).
    pub fn to_value(&self) -> Value {
        let mut o = Map::new();
        if let Some(v) = &self.version {
            o.insert("Version".into(), Value::String(v.clone()));
        }
        o.insert("Statement".into(), Value::Array(self.statements.iter().map(Statement::to_value).collect()));
        if !self.problems.is_empty() {
            o.insert("Problems".into(), Value::Array(self.problems.iter().cloned().map(Value::String).collect()));
        }
        Value::Object(o)
    }

    /// [`PolicyDocument::parse`] then [`PolicyDocument::to_value`]: what
    /// parsers store.
    pub fn normalise(v: &Value) -> Result<Value, NotADocument> {
        PolicyDocument::parse(v).map(|d| d.to_value())
    }
}

impl Statement {
    fn to_value(&self) -> Value {
        let mut o = Map::new();
        if let Some(s) = &self.sid {
            o.insert("Sid".into(), Value::String(s.clone()));
        }
        o.insert("Effect".into(), Value::String(if self.effect == Effect::Allow { "Allow" } else { "Deny" }.into()));
        let strings = |l: &[String]| Value::Array(l.iter().cloned().map(Value::String).collect());
        for (k, v) in [("Action", &self.action), ("NotAction", &self.not_action), ("Resource", &self.resource), ("NotResource", &self.not_resource)] {
            if let Some(l) = v {
                o.insert(k.into(), strings(l));
            }
        }
        for (k, v) in [("Principal", &self.principal), ("NotPrincipal", &self.not_principal)] {
            if let Some(p) = v {
                let mut m = Map::new();
                for (name, l) in [("AWS", &p.aws), ("Service", &p.service), ("Federated", &p.federated), ("CanonicalUser", &p.canonical_user)] {
                    if !l.is_empty() {
                        m.insert(name.into(), strings(l));
                    }
                }
                o.insert(k.into(), Value::Object(m));
            }
        }
        if !self.conditions.is_empty() {
            let mut c = Map::new();
            for cond in &self.conditions {
                let entry = c.entry(cond.operator.clone()).or_insert_with(|| Value::Object(Map::new()));
                if let Value::Object(keys) = entry {
                    keys.insert(cond.key.clone(), strings(&cond.values));
                }
            }
            o.insert("Condition".into(), Value::Object(c));
        }
        if let Some(at) = &self.at {
            o.insert("at".into(), Value::String(at.clone()));
        }
        Value::Object(o)
    }
}

/// A key of an object, exact first, then without case (IAM element names are
/// case-sensitive, but exports and hand-written templates vary).
fn get_ci<'a>(o: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    o.get(key).or_else(|| o.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)).map(|(_, v)| v))
}

fn read_statement(s: &Value, at: &str, problems: &mut Vec<String>) -> Option<Statement> {
    let Some(o) = s.as_object() else {
        problems.push(format!("{at} is not an object"));
        return None;
    };
    let effect = match get_ci(o, "Effect").and_then(Value::as_str).map(str::trim) {
        Some(e) if e.eq_ignore_ascii_case("Allow") => Effect::Allow,
        Some(e) if e.eq_ignore_ascii_case("Deny") => Effect::Deny,
        other => {
            problems.push(format!("{at}: Effect is {}, not Allow or Deny; the statement was not read", other.map_or("missing".to_string(), |e| format!("\"{e}\""))));
            return None;
        }
    };
    let mut list = |key: &str| get_ci(o, key).filter(|v| !v.is_null()).map(|v| strings(v, &format!("{at}/{key}"), problems));
    let action = list("Action");
    let not_action = list("NotAction");
    let resource = list("Resource");
    let not_resource = list("NotResource");
    let principal = get_ci(o, "Principal").filter(|v| !v.is_null()).map(|v| principals(v, &format!("{at}/Principal"), problems));
    let not_principal = get_ci(o, "NotPrincipal").filter(|v| !v.is_null()).map(|v| principals(v, &format!("{at}/NotPrincipal"), problems));
    if action.is_none() && not_action.is_none() {
        problems.push(format!("{at} has neither Action nor NotAction"));
    }
    let mut conditions = Vec::new();
    match get_ci(o, "Condition") {
        None | Some(Value::Null) => {}
        Some(Value::Object(ops)) => {
            for (operator, body) in ops {
                let Some(keys) = body.as_object() else {
                    problems.push(format!("{at}/Condition/{operator} is not a map of keys"));
                    continue;
                };
                let (set, rest) = split_qualifier(operator);
                let (base, if_exists) = match rest.len().checked_sub(8).and_then(|i| rest.get(i..).map(|t| (i, t))) {
                    Some((i, tail)) if tail.eq_ignore_ascii_case("IfExists") => (rest.get(..i).unwrap_or(rest).to_string(), true),
                    _ => (rest.to_string(), false),
                };
                for (key, vals) in keys {
                    conditions.push(Condition {
                        operator: operator.clone(),
                        base: base.clone(),
                        set,
                        if_exists,
                        key: key.clone(),
                        values: strings(vals, &format!("{at}/Condition/{operator}/{key}"), problems),
                    });
                }
            }
        }
        Some(_) => problems.push(format!("{at}/Condition is not a map")),
    }
    let sid = get_ci(o, "Sid").and_then(Value::as_str).map(str::to_string);
    Some(Statement { sid, effect, action, not_action, principal, not_principal, resource, not_resource, conditions, at: None })
}

fn split_qualifier(op: &str) -> (Option<SetQualifier>, &str) {
    match op.split_once(':') {
        Some((q, rest)) if q.eq_ignore_ascii_case("ForAnyValue") => (Some(SetQualifier::ForAnyValue), rest),
        Some((q, rest)) if q.eq_ignore_ascii_case("ForAllValues") => (Some(SetQualifier::ForAllValues), rest),
        _ => (None, op),
    }
}

/// One value or a list, as strings (numbers and booleans as written in JSON;
/// CloudFormation intrinsics as `${…}` placeholders).
fn strings(v: &Value, at: &str, problems: &mut Vec<String>) -> Vec<String> {
    let items: &[Value] = match v {
        Value::Array(a) => a,
        single => std::slice::from_ref(single),
    };
    if items.len() > MAX_ITEMS {
        problems.push(format!("{at} has more than {MAX_ITEMS} items; the rest were not read"));
    }
    items
        .iter()
        .take(MAX_ITEMS)
        .filter_map(|x| match scalar(x) {
            Some(s) => Some(s),
            None => {
                problems.push(format!("{at}: {} could not be read", short(x)));
                None
            }
        })
        .collect()
}

fn short(v: &Value) -> String {
    let t = v.to_string();
    match t.char_indices().nth(80) {
        Some((i, _)) => format!("{}…", t.get(..i).unwrap_or("")),
        None => t,
    }
}

/// A scalar as text, or a CloudFormation intrinsic as a `${…}` placeholder.
fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::Object(o) if o.len() == 1 => {
            let (k, arg) = o.iter().next()?;
            match (k.as_str(), arg) {
                ("Ref", Value::String(r)) => Some(format!("${{{r}}}")),
                ("Fn::GetAtt", Value::Array(a)) => {
                    let parts: Option<Vec<&str>> = a.iter().map(Value::as_str).collect();
                    Some(format!("${{{}}}", parts?.join(".")))
                }
                ("Fn::GetAtt", Value::String(s)) => Some(format!("${{{s}}}")),
                ("Fn::Sub", Value::String(s)) => Some(s.clone()),
                ("Fn::Sub", Value::Array(a)) => a.first().and_then(Value::as_str).map(str::to_string),
                ("Fn::Join", Value::Array(a)) => {
                    let sep = a.first()?.as_str()?;
                    let parts = a.get(1)?.as_array()?;
                    let texts: Option<Vec<String>> = parts.iter().map(scalar).collect();
                    Some(texts?.join(sep))
                }
                ("Fn::ImportValue", x) => scalar(x).map(|s| format!("${{import:{s}}}")),
                _ => None,
            }
        }
        _ => None,
    }
}

fn principals(v: &Value, at: &str, problems: &mut Vec<String>) -> Principals {
    let mut p = Principals::default();
    match v {
        Value::String(s) if s.trim() == "*" => p.aws.push("*".into()),
        Value::String(s) => {
            problems.push(format!("{at}: \"{s}\" is not \"*\" or a map of principal types; read as an AWS principal"));
            p.aws.push(s.clone());
        }
        Value::Object(o) => {
            for (k, vals) in o {
                let list = strings(vals, &format!("{at}/{k}"), problems);
                match k.to_ascii_lowercase().as_str() {
                    "aws" => p.aws.extend(list),
                    "service" => p.service.extend(list),
                    "federated" => p.federated.extend(list),
                    "canonicaluser" => p.canonical_user.extend(list),
                    _ => problems.push(format!("{at}: unknown principal type {k}")),
                }
            }
            if p.is_empty() && !o.is_empty() {
                problems.push(format!("{at} names no principal that could be read"));
            }
        }
        other => problems.push(format!("{at}: {} is not a principal", short(other))),
    }
    p
}

/// Does the IAM wildcard `pattern` (`*` any run, `?` one character; no case)
/// match `text`? Iterative, linear in practice.
pub fn wildcard_match(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.trim().chars().flat_map(char::to_lowercase).collect();
    let t: Vec<char> = text.trim().chars().flat_map(char::to_lowercase).collect();
    let (mut pi, mut ti) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        match p.get(pi) {
            Some('*') => {
                star = Some((pi, ti));
                pi += 1;
            }
            Some(&c) if c == '?' || Some(&c) == t.get(ti) => {
                pi += 1;
                ti += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    pi = sp + 1;
                    ti = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    p.get(pi..).is_some_and(|rest| rest.iter().all(|c| *c == '*'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_shape_reads_to_one_form() {
        let canonical = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": ["*"], "Principal": {"AWS": ["*"]}}]});
        let shapes = [
            json!({"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Principal": "*"}}),
            json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": ["*"], "Principal": {"AWS": "*"}}]}),
        ];
        for s in &shapes {
            let mut v = PolicyDocument::normalise(s).unwrap();
            // Read from an object: the statement keeps where it was.
            let at = v["Statement"][0].as_object_mut().unwrap().remove("at");
            assert!(at.is_some());
            assert_eq!(v, canonical);
        }
        // Terraform's jsonencode string, and the IAM API's URL-encoded text: no `at`.
        let text = shapes[0].to_string();
        assert_eq!(PolicyDocument::normalise(&json!(text)).unwrap(), canonical);
        let encoded = "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22s3%3AGetObject%22%2C%22Resource%22%3A%22*%22%2C%22Principal%22%3A%22*%22%7D%7D";
        assert_eq!(PolicyDocument::normalise(&json!(encoded)).unwrap(), canonical);
        // Encoded twice, as AWS Config writes some documents.
        assert_eq!(PolicyDocument::normalise(&json!(json!(text).to_string())).unwrap(), canonical);
    }

    #[test]
    fn conditions_split_qualifier_and_if_exists() {
        let d = PolicyDocument::parse(&json!({"Statement": [{"Effect": "Deny", "Action": "s3:*", "Resource": "*", "Principal": "*",
            "Condition": {"BoolIfExists": {"aws:SecureTransport": false}, "ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": ["o-1/*", "o-2/*"]}}}]}))
        .unwrap();
        let c = &d.statements[0].conditions;
        assert_eq!(c.len(), 2);
        let b = c.iter().find(|c| c.key_is("aws:securetransport")).unwrap();
        assert_eq!((b.base.as_str(), b.if_exists, b.set, b.values.clone()), ("Bool", true, None, vec!["false".to_string()]));
        let s = c.iter().find(|c| c.key_is("aws:PrincipalOrgPaths")).unwrap();
        assert_eq!((s.base.as_str(), s.if_exists, s.set), ("StringLike", false, Some(SetQualifier::ForAnyValue)));
        assert_eq!(d.to_value()["Statement"][0]["Condition"]["BoolIfExists"]["aws:SecureTransport"], json!(["false"]));
    }

    #[test]
    fn cloudformation_intrinsics_become_placeholders() {
        let d = PolicyDocument::parse(&json!({"Statement": [{"Effect": "Deny", "Action": "s3:*", "Principal": "*",
            "Resource": [{"Fn::GetAtt": ["B", "Arn"]}, {"Fn::Sub": "${B.Arn}/*"}, {"Fn::Join": ["", ["arn:aws:s3:::", {"Ref": "B"}, "/*"]]}, {"Fn::If": ["c", "a", "b"]}]}]}))
        .unwrap();
        assert_eq!(d.statements[0].resource.as_deref().unwrap(), ["${B.Arn}", "${B.Arn}/*", "arn:aws:s3:::${B}/*"]);
        assert_eq!(d.problems.len(), 1, "{:?}", d.problems);
        assert!(d.problems[0].contains("Fn::If"));
        // Read again from the canonical form, the problem is still there.
        assert_eq!(PolicyDocument::parse(&d.to_value()).unwrap().problems, d.problems);
    }

    #[test]
    fn malformed_parts_are_problems_never_panics() {
        assert!(PolicyDocument::parse(&json!("not json")).is_err());
        assert!(PolicyDocument::parse(&json!({"Version": "2012-10-17"})).is_err());
        assert!(PolicyDocument::parse(&json!(42)).is_err());
        let d = PolicyDocument::parse(&json!({"Statement": [7, {"Effect": "Maybe", "Action": "*"}, {"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": [1]},
            {"Effect": "Allow", "Principal": {"Martian": "x"}, "Action": "*"}]}))
        .unwrap();
        assert_eq!(d.statements.len(), 2);
        assert_eq!(d.problems.len(), 5, "{:?}", d.problems);
        // Deeply nested strings stop after four layers.
        let mut v = json!({"Statement": []}).to_string();
        for _ in 0..6 {
            v = json!(v).to_string();
        }
        assert!(PolicyDocument::parse(&json!(v)).is_err());
        for junk in ["%7B", "%zz", "[", "\"", "%22%22"] {
            let _ = PolicyDocument::parse(&json!(junk));
        }
    }

    #[test]
    fn wildcards() {
        assert!(wildcard_match("*", "iam:PassRole"));
        assert!(wildcard_match("iam:*", "IAM:PassRole"));
        assert!(wildcard_match("iam:Pass*", "iam:passrole"));
        assert!(wildcard_match("s3:Get?bject", "s3:GetObject"));
        assert!(!wildcard_match("iam:Get*", "iam:PassRole"));
        assert!(wildcard_match("iam:*", "iam:*"));
        assert!(!wildcard_match("iam:Put*", "iam:*"));
        assert!(wildcard_match("*Object*", "s3:GetObjectAcl"));
        assert!(!wildcard_match("", "x"));
    }
}
