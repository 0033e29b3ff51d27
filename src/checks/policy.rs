//! Judgements over IAM policy documents, written once for every format: the
//! parsers only store documents (`crate::policy`, canonical form), and the
//! rule ops `policy_*` (`rule::Op`) call the functions here.
//!
//! A property read here holds one document (`trust_policy`, `bucket_policy`,
//! `key_policy`), `null` (the export says there is none), or a list of
//! policy entries (`policies` of users, groups, roles and managed policies):
//! `{"kind", "name"?, "arn"?, "group"?, "pointer"?, "document"? | "unknown"?}`.
//! The statements of every entry are judged together, as IAM evaluates them:
//! a Deny in one policy cancels an Allow in another.
//!
//! Three-valued: a judgement that finds what it looks for in the known
//! statements holds, with the statement as evidence; otherwise, when a
//! document is unknown, could only partly be read, or (for every judgement
//! but admin) is an AWS managed policy whose text the export lacks, it is
//! indeterminate with the reason; otherwise it does not hold. An unknown
//! document is never assumed to cancel what a known one grants.
//!
//! Sources of the action lists: privilege escalation after Rhino Security
//! Labs, "AWS IAM Privilege Escalation – Methods and Mitigation"
//! (<https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/>);
//! permissions management and write after the "Permissions management" and
//! "Write" access levels of the AWS Service Authorization Reference, as data
//! in `data/aws_access_levels.tsv` (with the date it was verified)
//! (<https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html>);
//! data exfiltration after Cloudsplaining's risk categories
//! (<https://github.com/salesforce/cloudsplaining>).
//!
//! **Invariant:** no judgement anywhere else; parsers never decide these.

use crate::policy::{wildcard_match, Effect, PolicyDocument, SetQualifier, Statement};
use serde_json::{json, Value};

/// What a judgement found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// It holds; the pointer of the statement (or entry) that shows it, when known.
    Holds(Option<String>),
    /// It does not hold.
    DoesNot,
    /// The documents do not say; why.
    Unknown(String),
}

/// One judgement over a property holding policy documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Judgement {
    /// Every action (or every action but a list that leaves IAM) on every resource.
    Admin,
    /// Anyone (`*`, `{"AWS": "*"}`, or an Allow with `NotPrincipal`) without a restricting condition.
    Public,
    /// A Deny to anyone of `s3:*` on the bucket and its objects when `aws:SecureTransport` is false.
    DeniesInsecureTransport,
    /// A privilege-escalation method (Rhino Security Labs).
    PrivilegeEscalation,
    /// `iam:PassRole` on every resource.
    PassRoleOnAll,
    /// A permissions-management action on every resource.
    PermissionsManagementOnAll,
    /// A data-exfiltration action on every resource.
    ExfiltrationOnAll,
    /// A write or permissions-management action on every resource.
    WriteOnAll,
}

/// Privilege-escalation methods: each needs every action of its list.
/// Rhino Security Labs' 21 methods; attaching or putting a role policy counts
/// alone, since a role can change its own policies.
pub const ESCALATION: &[&[&str]] = &[
    &["iam:CreatePolicyVersion"],
    &["iam:SetDefaultPolicyVersion"],
    &["iam:PassRole", "ec2:RunInstances"],
    &["iam:CreateAccessKey"],
    &["iam:CreateLoginProfile"],
    &["iam:UpdateLoginProfile"],
    &["iam:AttachUserPolicy"],
    &["iam:AttachGroupPolicy"],
    &["iam:AttachRolePolicy"],
    &["iam:PutUserPolicy"],
    &["iam:PutGroupPolicy"],
    &["iam:PutRolePolicy"],
    &["iam:AddUserToGroup"],
    &["iam:UpdateAssumeRolePolicy", "sts:AssumeRole"],
    &["iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"],
    &["iam:PassRole", "lambda:CreateFunction", "lambda:CreateEventSourceMapping"],
    &["lambda:UpdateFunctionCode"],
    &["iam:PassRole", "glue:CreateDevEndpoint"],
    &["glue:UpdateDevEndpoint"],
    &["iam:PassRole", "cloudformation:CreateStack"],
    &["iam:PassRole", "datapipeline:CreatePipeline", "datapipeline:PutPipelineDefinition"],
];

/// Access levels of the AWS Service Authorization Reference that the
/// judgements read (`data/aws_access_levels.tsv`: exact action names with the
/// level the reference gives them, its source and the date it was verified).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccessLevel {
    /// Changes who may do what: policies, ACLs, grants, resource policies.
    PermissionsManagement,
    /// Creates, changes, deletes or stops resources and their data.
    Write,
}

/// The table, as shipped.
pub const ACCESS_LEVELS_TSV: &str = include_str!("data/aws_access_levels.tsv");

/// The table's rows, `(action, level)`, in file order; a line that is not a
/// row (comment, header, unknown level) is not one (`tests` read them all).
pub fn access_levels() -> &'static [(&'static str, AccessLevel)] {
    static ROWS: std::sync::OnceLock<Vec<(&'static str, AccessLevel)>> = std::sync::OnceLock::new();
    ROWS.get_or_init(|| ACCESS_LEVELS_TSV.lines().filter_map(access_row).collect())
}

fn access_row(line: &'static str) -> Option<(&'static str, AccessLevel)> {
    let (action, level) = line.split_once('\t')?;
    let level = match level.trim() {
        "permissions-management" => AccessLevel::PermissionsManagement,
        "write" => AccessLevel::Write,
        _ => return None,
    };
    Some((action.trim(), level))
}

/// The actions of the table at one of `levels`.
fn actions_at(levels: &[AccessLevel]) -> Vec<&'static str> {
    access_levels().iter().filter(|(_, l)| levels.contains(l)).map(|(a, _)| *a).collect()
}

/// Actions that change who may do what ("Permissions management" access level).
pub fn permissions_management() -> &'static [&'static str] {
    static LIST: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    LIST.get_or_init(|| actions_at(&[AccessLevel::PermissionsManagement]))
}

/// Actions that change resources or who may use them ("Write" and
/// "Permissions management" access levels).
pub fn write_or_permissions_management() -> &'static [&'static str] {
    static LIST: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    LIST.get_or_init(|| actions_at(&[AccessLevel::PermissionsManagement, AccessLevel::Write]))
}

/// Actions that read data out of the account.
pub const EXFILTRATION: &[&str] = &[
    "s3:GetObject",
    "kms:Decrypt",
    "secretsmanager:GetSecretValue",
    "ssm:GetParameter",
    "ssm:GetParameters",
    "ssm:GetParametersByPath",
];

/// Condition keys that limit who can act (a positive test of one of them
/// narrows "anyone" to an account, organisation, network or named caller).
pub const RESTRICTING_KEYS: &[&str] = &[
    "aws:SourceArn",
    "aws:SourceAccount",
    "aws:SourceOwner",
    "aws:SourceOrgID",
    "aws:SourceOrgPaths",
    "aws:SourceVpc",
    "aws:SourceVpce",
    "aws:SourceIp",
    "aws:PrincipalOrgID",
    "aws:PrincipalOrgPaths",
    "aws:PrincipalAccount",
    "aws:PrincipalArn",
    "aws:PrincipalServiceName",
    "aws:userid",
    "aws:username",
    "kms:CallerAccount",
];

const POSITIVE_OPS: &[&str] = &["StringEquals", "StringEqualsIgnoreCase", "StringLike", "ArnEquals", "ArnLike", "IpAddress"];
const NEGATED_OPS: &[&str] = &["StringNotEquals", "StringNotEqualsIgnoreCase", "StringNotLike", "ArnNotEquals", "ArnNotLike", "NotIpAddress"];

/// Known AWS managed policies, for attachments whose text the export lacks.
fn builtin(arn: &str) -> Option<Value> {
    let name = arn.trim().rsplit_once(":iam::aws:policy/").map(|(_, n)| n)?;
    Some(match name.rsplit('/').next().unwrap_or(name) {
        "AdministratorAccess" => json!({"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}),
        "IAMFullAccess" => json!({"Statement": [{"Effect": "Allow", "Action": ["iam:*", "organizations:DescribeAccount", "organizations:DescribeOrganization",
            "organizations:DescribeOrganizationalUnit", "organizations:DescribePolicy", "organizations:ListChildren", "organizations:ListParents",
            "organizations:ListPoliciesForTarget", "organizations:ListRoots", "organizations:ListPolicies", "organizations:ListTargetsForPolicy"], "Resource": "*"}]}),
        "PowerUserAccess" => json!({"Statement": [
            {"Effect": "Allow", "NotAction": ["iam:*", "organizations:*", "account:*"], "Resource": "*"},
            {"Effect": "Allow", "Action": ["iam:CreateServiceLinkedRole", "iam:DeleteServiceLinkedRole", "iam:ListRoles", "organizations:DescribeOrganization",
                "account:ListRegions", "account:GetAccountInformation"], "Resource": "*"}]}),
        _ => return None,
    })
}

fn is_aws_managed(arn: &str) -> bool {
    arn.contains(":iam::aws:policy/")
}

/// The documents of a property, read once.
#[derive(Debug, Default)]
pub struct PolicySet {
    /// Each document with the pointer its statements' `at` extends.
    docs: Vec<(PolicyDocument, Option<String>)>,
    /// Entries whose document is not known (reason each).
    unknown: Vec<String>,
    /// AWS managed policies attached whose text is neither in the export nor known here.
    unread_aws_managed: Vec<String>,
    /// Pointer of the whole property (fallback evidence).
    pointer: String,
}

impl PolicySet {
    /// Read a property value: one document, `null`, or a list of entries.
    /// `pointer` is the property's pointer (whole text).
    pub fn read(v: &Value, pointer: &str) -> PolicySet {
        let mut set = PolicySet { pointer: pointer.to_string(), ..PolicySet::default() };
        match v {
            Value::Null => {}
            Value::Array(entries) => {
                for e in entries {
                    set.entry(e);
                }
            }
            doc => set.document(doc, Some(pointer.to_string()), "the policy"),
        }
        set
    }

    fn document(&mut self, doc: &Value, base: Option<String>, label: &str) {
        match PolicyDocument::from_canonical(doc) {
            Ok(d) => self.docs.push((d, base)),
            Err(e) => self.unknown.push(format!("{label} could not be read ({e})")),
        }
    }

    fn entry(&mut self, e: &Value) {
        let s = |k: &str| e.get(k).and_then(Value::as_str);
        let label = match (s("name"), s("arn")) {
            (Some(n), _) => format!("policy {n}"),
            (None, Some(a)) => format!("policy {a}"),
            (None, None) => "a policy".to_string(),
        };
        let base = s("pointer").map(str::to_string);
        if let Some(doc) = e.get("document").filter(|d| !d.is_null()) {
            self.document(doc, base, &label);
        } else if let Some(why) = s("unknown") {
            self.unknown.push(format!("{label}: {why}"));
        } else if let Some(arn) = s("arn") {
            match builtin(arn) {
                Some(doc) => {
                    // Evidence: the attachment itself.
                    let d = PolicyDocument::parse(&doc).unwrap_or_default();
                    let d = PolicyDocument { statements: d.statements.into_iter().map(|st| Statement { at: Some(String::new()), ..st }).collect(), ..d };
                    self.docs.push((d, base));
                }
                None if is_aws_managed(arn) => self.unread_aws_managed.push(arn.to_string()),
                None => self.unknown.push(format!("{label} is not in the export")),
            }
        } else {
            self.unknown.push(format!("{label}: its document is not in the export"));
        }
    }

    fn statements(&self) -> impl Iterator<Item = (&Statement, Option<&str>)> {
        self.docs.iter().flat_map(|(d, base)| d.statements.iter().map(move |s| (s, base.as_deref())))
    }

    /// Why a negative answer is not certain, if it is not.
    fn doubt(&self, judgement: Judgement) -> Option<String> {
        let mut why: Vec<String> = self.unknown.clone();
        for (d, _) in &self.docs {
            if let Some(p) = d.problems.first() {
                why.push(format!("part of a policy could not be read: {p}"));
            }
        }
        if judgement != Judgement::Admin {
            for arn in &self.unread_aws_managed {
                why.push(format!("the text of AWS managed policy {arn} is not in the export"));
            }
        }
        (!why.is_empty()).then(|| why.join("; "))
    }

    /// Judge the set.
    pub fn judge(&self, j: Judgement) -> Verdict {
        let found = match j {
            Judgement::Admin => self.admin(),
            Judgement::Public => self.public(),
            Judgement::DeniesInsecureTransport => self.statements().find(|(s, _)| tls_deny(s)).map(|(s, b)| evidence(s, b)),
            Judgement::PrivilegeEscalation => self.escalation(),
            Judgement::PassRoleOnAll => self.on_all(&["iam:PassRole"]),
            Judgement::PermissionsManagementOnAll => self.on_all(permissions_management()),
            Judgement::WriteOnAll => self.on_all(write_or_permissions_management()),
            Judgement::ExfiltrationOnAll => self.on_all(EXFILTRATION),
        };
        match found {
            Some(at) => Verdict::Holds(at.or_else(|| Some(self.pointer.clone()).filter(|p| !p.is_empty()))),
            None => match self.doubt(j) {
                Some(why) => Verdict::Unknown(why),
                None => Verdict::DoesNot,
            },
        }
    }

    fn admin(&self) -> Option<Option<String>> {
        let cancelled = self.statements().any(|(s, _)| s.effect == Effect::Deny && s.conditions.is_empty() && all_resources(s) && denies_iam(s));
        if cancelled {
            return None;
        }
        self.statements().find(|(s, _)| s.effect == Effect::Allow && all_resources(s) && grants_everything(s)).map(|(s, b)| evidence(s, b))
    }

    fn public(&self) -> Option<Option<String>> {
        self.statements()
            .filter(|(s, _)| s.effect == Effect::Allow && to_anyone(s) && !s.conditions.iter().any(restricting))
            .find(|(allow, _)| !self.statements().any(|(d, _)| cancels_public(d, allow)))
            .map(|(s, b)| evidence(s, b))
    }

    /// Allowed somewhere, and not denied everywhere without condition?
    fn allowed(&self, action: &str) -> Option<(&Statement, Option<&str>)> {
        if self.statements().any(|(s, _)| s.effect == Effect::Deny && s.conditions.is_empty() && all_resources(s) && matches_action(s, action)) {
            return None;
        }
        self.statements().find(|(s, _)| s.effect == Effect::Allow && matches_action(s, action))
    }

    fn escalation(&self) -> Option<Option<String>> {
        ESCALATION.iter().find_map(|method| {
            let hits: Option<Vec<_>> = method.iter().map(|a| self.allowed(a)).collect();
            hits.and_then(|h| h.first().map(|(s, b)| evidence(s, *b)))
        })
    }

    fn on_all(&self, actions: &[&str]) -> Option<Option<String>> {
        actions.iter().find_map(|a| {
            if self.statements().any(|(s, _)| s.effect == Effect::Deny && s.conditions.is_empty() && all_resources(s) && matches_action(s, a)) {
                return None;
            }
            self.statements().find(|(s, _)| s.effect == Effect::Allow && all_resources(s) && matches_action(s, a)).map(|(s, b)| evidence(s, b))
        })
    }
}

/// Judge a property as a rule op would (an unknown property is [`Verdict::Unknown`]).
pub fn judge_prop(p: &crate::inventory::Prop, j: Judgement) -> Verdict {
    match p {
        crate::inventory::Prop::Known { value, pointer } => PolicySet::read(value, &pointer.text()).judge(j),
        crate::inventory::Prop::Unknown { reason, .. } => Verdict::Unknown(reason.to_string()),
    }
}

/// [`judge_prop`] as an optional boolean (None: cannot tell).
pub fn holds(p: Option<&crate::inventory::Prop>, j: Judgement) -> Option<bool> {
    match judge_prop(p?, j) {
        Verdict::Holds(_) => Some(true),
        Verdict::DoesNot => Some(false),
        Verdict::Unknown(_) => None,
    }
}

/// The pointer of a statement: its document's pointer plus its place.
fn evidence(s: &Statement, base: Option<&str>) -> Option<String> {
    match (base, &s.at) {
        (Some(b), Some(at)) => Some(format!("{b}{at}")),
        (Some(b), None) => Some(b.to_string()),
        (None, _) => None,
    }
}

/// Does the statement's action list cover `action` (`Action` matches, or
/// `NotAction` does not)?
pub fn matches_action(s: &Statement, action: &str) -> bool {
    match (&s.action, &s.not_action) {
        (Some(a), _) => a.iter().any(|p| wildcard_match(p, action)),
        (None, Some(na)) => !na.iter().any(|p| wildcard_match(p, action)),
        (None, None) => false,
    }
}

/// `Resource: "*"`, or a `NotResource` that does not exclude everything.
pub fn all_resources(s: &Statement) -> bool {
    match (&s.resource, &s.not_resource) {
        (Some(r), _) => r.iter().any(|x| x.trim() == "*"),
        (None, Some(nr)) => !nr.iter().any(|x| x.trim() == "*"),
        (None, None) => false,
    }
}

/// Does a pattern stand for every IAM action (`*`, `iam:*`, `i*`)?
fn covers_iam(p: &str) -> bool {
    wildcard_match(p, "iam:*")
}

/// `Action: "*"`, or a `NotAction` that leaves IAM open (whoever has IAM
/// can grant itself the rest).
pub fn grants_everything(s: &Statement) -> bool {
    match (&s.action, &s.not_action) {
        (Some(a), _) => a.iter().any(|p| matches!(p.trim(), "*" | "*:*")),
        (None, Some(na)) => !na.iter().any(|p| covers_iam(p)),
        (None, None) => false,
    }
}

/// Does a Deny take away all of IAM (and so admin)?
fn denies_iam(s: &Statement) -> bool {
    match (&s.action, &s.not_action) {
        (Some(a), _) => a.iter().any(|p| covers_iam(p)),
        (None, Some(na)) => !na.iter().any(|p| covers_iam(p)),
        (None, None) => false,
    }
}

/// `Principal` anyone, or an Allow with `NotPrincipal` (everyone but a list).
pub fn to_anyone(s: &Statement) -> bool {
    s.principal.as_ref().is_some_and(|p| p.is_anyone()) || (s.effect == Effect::Allow && s.not_principal.is_some())
}

fn restricting_key(key: &str) -> bool {
    RESTRICTING_KEYS.iter().any(|k| k.eq_ignore_ascii_case(key.trim()))
}

/// Does this condition narrow who can act? A positive test of a restricting
/// key, required to exist (no `IfExists`, no `ForAllValues:`, which both hold
/// when the key is absent, as it is for anonymous callers), with values that
/// are not a wildcard for everyone.
pub fn restricting(c: &crate::policy::Condition) -> bool {
    restricting_key(&c.key)
        && !c.if_exists
        && c.set != Some(SetQualifier::ForAllValues)
        && POSITIVE_OPS.iter().any(|op| c.base_is(op))
        && !c.values.is_empty()
        && c.values.iter().all(|v| !matches!(v.trim(), "*" | "0.0.0.0/0" | "::/0"))
}

/// A negated test of a restricting key: a Deny with it refuses everyone outside.
fn negated_restricting(c: &crate::policy::Condition) -> bool {
    restricting_key(&c.key) && NEGATED_OPS.iter().any(|op| c.base_is(op)) && !c.values.is_empty()
}

/// Does Deny `d` refuse anyone outside everything Allow `a` grants?
fn cancels_public(d: &Statement, a: &Statement) -> bool {
    if d.effect != Effect::Deny || !to_anyone(d) || !d.conditions.iter().all(negated_restricting) {
        return false;
    }
    let actions = match (&d.action, &a.action) {
        (Some(da), _) if da.iter().any(|p| p.trim() == "*") => true,
        (Some(da), Some(aa)) => aa.iter().all(|x| da.iter().any(|p| wildcard_match(p, x))),
        _ => false,
    };
    let resources = match (&d.resource, &a.resource) {
        (Some(dr), _) if dr.iter().any(|r| r.trim() == "*") => true,
        (Some(dr), Some(ar)) => ar.iter().all(|x| dr.iter().any(|p| wildcard_match(p, x))),
        (Some(_), None) | (None, None) => a.resource.is_none() && d.resource.is_none(),
        (None, Some(_)) => false,
    };
    actions && resources
}

/// A Deny to anyone of all S3 actions on a bucket and its objects when the
/// request is not over TLS (`Bool`/`BoolIfExists` `aws:SecureTransport` =
/// false, and no other condition).
pub fn tls_deny(s: &Statement) -> bool {
    let secure_transport_false = |c: &crate::policy::Condition| {
        c.key_is("aws:SecureTransport") && c.base_is("Bool") && c.set.is_none() && c.values.iter().any(|v| v.trim().eq_ignore_ascii_case("false"))
    };
    let resources = s.resource.as_deref().unwrap_or_default();
    let bucket = resources.iter().any(|r| r.trim() == "*" || !r.contains('/'));
    let objects = resources.iter().any(|r| {
        let r = r.trim();
        r == "*" || r.rsplit_once('/').is_some_and(|(_, tail)| tail == "*")
    });
    s.effect == Effect::Deny
        && s.principal.as_ref().is_some_and(|p| p.is_anyone())
        && s.action.as_ref().is_some_and(|a| a.iter().any(|p| wildcard_match(p, "s3:*")))
        && bucket
        && objects
        && !s.conditions.is_empty()
        && s.conditions.iter().all(secure_transport_false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_access_level_table_reads_whole() {
        let rows: Vec<&str> = ACCESS_LEVELS_TSV.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty() && *l != "action\tlevel").collect();
        assert_eq!(rows.len(), access_levels().len(), "every row has an action and a known level");
        let mut seen = std::collections::HashSet::new();
        for (action, _) in access_levels() {
            let (service, name) = action.split_once(':').unwrap_or_default();
            assert!(!service.is_empty() && !name.is_empty() && !action.contains('*') && !action.contains(' '), "{action}: an exact action name");
            assert!(seen.insert(action.to_ascii_lowercase()), "{action} listed twice");
        }
        assert!(ACCESS_LEVELS_TSV.contains("https://docs.aws.amazon.com/service-authorization/") && ACCESS_LEVELS_TSV.contains("Verified against the reference on 20"));
        assert!(permissions_management().contains(&"s3:PutBucketPolicy") && !permissions_management().contains(&"s3:PutObject"));
        assert!(write_or_permissions_management().contains(&"s3:PutObject"));
    }

    fn judge(doc: Value, j: Judgement) -> Verdict {
        PolicySet::read(&doc, "/p").judge(j)
    }
    fn holds(doc: Value, j: Judgement) -> bool {
        matches!(judge(doc, j), Verdict::Holds(_))
    }
    fn stmt(s: Value) -> Value {
        json!({"Statement": [s]})
    }

    #[test]
    fn admin_needs_every_action_on_every_resource() {
        use Judgement::Admin;
        assert!(holds(stmt(json!({"Effect": "Allow", "Action": "*", "Resource": "*"})), Admin));
        assert!(holds(stmt(json!({"Effect": "Allow", "Action": ["s3:GetObject", "*:*"], "Resource": ["*"]})), Admin));
        assert!(!holds(stmt(json!({"Effect": "Allow", "Action": "iam:*", "Resource": "*"})), Admin), "iam:* alone is not every action");
        assert!(!holds(stmt(json!({"Effect": "Allow", "Action": "*", "Resource": "arn:aws:s3:::b"})), Admin));
        assert!(holds(stmt(json!({"Effect": "Allow", "NotAction": "s3:*", "Resource": "*"})), Admin), "NotAction leaving IAM open");
        assert!(!holds(stmt(json!({"Effect": "Allow", "NotAction": ["iam:*", "organizations:*"], "Resource": "*"})), Admin), "PowerUserAccess");
        assert!(holds(stmt(json!({"Effect": "Allow", "Action": "*", "NotResource": "arn:aws:s3:::secret"})), Admin));
        // A Deny without condition of everything, or of IAM, cancels.
        let with = |deny: Value| json!({"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}, deny]});
        assert!(!holds(with(json!({"Effect": "Deny", "Action": "*", "Resource": "*"})), Admin));
        assert!(!holds(with(json!({"Effect": "Deny", "Action": "iam:*", "Resource": "*"})), Admin));
        assert!(holds(with(json!({"Effect": "Deny", "Action": "s3:DeleteBucket", "Resource": "*"})), Admin));
        assert!(holds(with(json!({"Effect": "Deny", "Action": "*", "Resource": "*", "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "false"}}})), Admin));
        // Across entries: a Deny in one policy cancels an Allow in another.
        let entries = json!([
            {"kind": "inline", "name": "all", "pointer": "/u/0", "document": {"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}},
            {"kind": "inline", "name": "guard", "document": {"Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*"}]}}]);
        assert_eq!(judge(entries, Admin), Verdict::DoesNot);
        // Evidence: the statement of the entry.
        let one = json!([{"kind": "inline", "name": "all", "pointer": "/u/0/PolicyDocument", "document": {"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*", "at": "/Statement/0"}]}}]);
        assert_eq!(judge(one, Admin), Verdict::Holds(Some("/u/0/PolicyDocument/Statement/0".into())));
        // AdministratorAccess by ARN; other AWS managed policies are not admin.
        assert!(holds(json!([{"kind": "managed", "arn": "arn:aws:iam::aws:policy/AdministratorAccess", "pointer": "/a"}]), Admin));
        assert_eq!(judge(json!([{"kind": "managed", "arn": "arn:aws:iam::aws:policy/ReadOnlyAccess"}]), Admin), Verdict::DoesNot);
        // A customer managed policy missing from the export: indeterminate.
        assert!(matches!(judge(json!([{"kind": "managed", "arn": "arn:aws:iam::1:policy/x"}]), Admin), Verdict::Unknown(w) if w.contains("not in the export")));
        assert_eq!(judge(Value::Null, Admin), Verdict::DoesNot);
        assert_eq!(judge(json!([]), Admin), Verdict::DoesNot);
        assert!(matches!(judge(json!("{oops"), Admin), Verdict::Unknown(_)));
    }

    #[test]
    fn public_means_anyone_without_a_restricting_condition() {
        use Judgement::Public;
        let allow = |principal: Value, cond: Value| stmt(json!({"Effect": "Allow", "Principal": principal, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*", "Condition": cond}));
        assert!(holds(allow(json!("*"), Value::Null), Public));
        assert!(holds(allow(json!({"AWS": "*"}), Value::Null), Public));
        assert!(holds(allow(json!({"AWS": ["arn:aws:iam::111111111111:root", "*"]}), Value::Null), Public));
        assert!(!holds(allow(json!({"AWS": "arn:aws:iam::111111111111:root"}), Value::Null), Public));
        assert!(!holds(allow(json!({"Service": "cloudfront.amazonaws.com"}), Value::Null), Public));
        // Conditions that restrict, and ones that do not.
        assert!(!holds(allow(json!("*"), json!({"StringEquals": {"aws:SourceArn": "arn:aws:cloudfront::1:distribution/E1"}})), Public));
        assert!(!holds(allow(json!("*"), json!({"StringEquals": {"aws:PrincipalOrgID": "o-abc"}})), Public));
        assert!(!holds(allow(json!("*"), json!({"StringEquals": {"AWS:SourceAccount": "111111111111"}})), Public));
        assert!(holds(allow(json!("*"), json!({"Bool": {"aws:SecureTransport": "true"}})), Public), "TLS does not restrict who");
        assert!(holds(allow(json!("*"), json!({"StringEqualsIfExists": {"aws:PrincipalOrgID": "o-abc"}})), Public), "IfExists holds for anonymous callers");
        assert!(holds(allow(json!("*"), json!({"StringEquals": {"aws:PrincipalOrgID": "*"}})), Public));
        assert!(holds(allow(json!("*"), json!({"IpAddress": {"aws:SourceIp": "0.0.0.0/0"}})), Public));
        assert!(!holds(allow(json!("*"), json!({"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}})), Public));
        assert!(holds(allow(json!("*"), json!({"StringEquals": {"sts:ExternalId": "abc"}})), Public), "an external id is not an identity");
        assert!(holds(allow(json!("*"), json!({"ForAllValues:StringEquals": {"aws:PrincipalOrgPaths": ["o-1/r-1/"]}})), Public));
        // NotPrincipal with Allow: everyone but a list.
        assert!(holds(stmt(json!({"Effect": "Allow", "NotPrincipal": {"AWS": "arn:aws:iam::1:root"}, "Action": "s3:*", "Resource": "*"})), Public));
        // A Deny to everyone outside the organisation cancels the public Allow.
        let both = json!({"Statement": [
            {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"},
            {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": ["arn:aws:s3:::b", "arn:aws:s3:::b/*"], "Condition": {"StringNotEquals": {"aws:PrincipalOrgID": "o-abc"}}}]});
        assert!(!holds(both, Public));
        // A TLS deny does not.
        let tls = json!({"Statement": [
            {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"},
            {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]});
        assert!(holds(tls, Public));
    }

    #[test]
    fn tls_only_needs_a_deny_of_s3_on_bucket_and_objects() {
        use Judgement::DeniesInsecureTransport as Tls;
        let deny = |cond: Value, resource: Value| stmt(json!({"Effect": "Deny", "Principal": {"AWS": "*"}, "Action": "s3:*", "Resource": resource, "Condition": cond}));
        let both = json!(["arn:aws:s3:::b", "arn:aws:s3:::b/*"]);
        assert!(holds(deny(json!({"Bool": {"aws:SecureTransport": "false"}}), both.clone()), Tls));
        assert!(holds(deny(json!({"Bool": {"aws:SecureTransport": false}}), both.clone()), Tls));
        assert!(holds(deny(json!({"BoolIfExists": {"aws:SecureTransport": ["false"]}}), both.clone()), Tls));
        assert!(holds(deny(json!({"Bool": {"AWS:securetransport": "FALSE"}}), json!("*")), Tls));
        assert!(holds(deny(json!({"Bool": {"aws:SecureTransport": "false"}}), json!(["${B.Arn}", "${B.Arn}/*"])), Tls));
        assert!(!holds(deny(json!({"Bool": {"aws:SecureTransport": "true"}}), both.clone()), Tls));
        assert!(!holds(deny(json!({"Bool": {"aws:SecureTransport": "false"}}), json!("arn:aws:s3:::b/*")), Tls), "objects only");
        assert!(!holds(deny(json!({"Bool": {"aws:SecureTransport": "false"}, "StringEquals": {"aws:PrincipalAccount": "1"}}), both.clone()), Tls));
        assert!(!holds(stmt(json!({"Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "true"}}})), Tls));
        assert!(!holds(stmt(json!({"Effect": "Deny", "Principal": "*", "Action": "s3:GetObject", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}})), Tls));
        assert_eq!(judge(Value::Null, Tls), Verdict::DoesNot);
    }

    #[test]
    fn escalation_pass_role_management_exfiltration() {
        use Judgement::*;
        let allow = |action: Value, resource: &str| stmt(json!({"Effect": "Allow", "Action": action, "Resource": resource}));
        assert!(holds(allow(json!("iam:CreatePolicyVersion"), "arn:aws:iam::1:policy/p"), PrivilegeEscalation));
        assert!(holds(allow(json!("iam:Put*"), "*"), PrivilegeEscalation));
        assert!(!holds(allow(json!("iam:PassRole"), "*"), PrivilegeEscalation), "PassRole alone");
        assert!(holds(allow(json!(["iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"]), "*"), PrivilegeEscalation));
        assert!(holds(allow(json!("lambda:UpdateFunctionCode"), "*"), PrivilegeEscalation));
        assert!(!holds(allow(json!(["s3:GetObject", "ec2:Describe*"]), "*"), PrivilegeEscalation));
        let denied = json!({"Statement": [{"Effect": "Allow", "Action": "iam:*", "Resource": "*"}, {"Effect": "Deny", "Action": "iam:*", "Resource": "*"}]});
        assert!(!holds(denied, PrivilegeEscalation));
        assert!(holds(allow(json!("iam:PassRole"), "*"), PassRoleOnAll));
        assert!(!holds(allow(json!("iam:PassRole"), "arn:aws:iam::1:role/app"), PassRoleOnAll));
        assert!(holds(allow(json!("s3:PutBucketPolicy"), "*"), PermissionsManagementOnAll));
        assert!(!holds(allow(json!("s3:PutBucketPolicy"), "arn:aws:s3:::b"), PermissionsManagementOnAll));
        assert!(!holds(allow(json!("iam:Get*"), "*"), PermissionsManagementOnAll));
        assert!(holds(allow(json!("s3:Put*"), "*"), WriteOnAll), "s3:PutObject");
        assert!(holds(allow(json!("kms:*"), "*"), WriteOnAll));
        assert!(holds(allow(json!("ec2:TerminateInstances"), "*"), WriteOnAll));
        assert!(holds(allow(json!("iam:PutRolePolicy"), "*"), WriteOnAll), "permissions management counts too");
        assert!(!holds(allow(json!("s3:PutObject"), "arn:aws:s3:::b/*"), WriteOnAll));
        assert!(!holds(allow(json!(["s3:Get*", "s3:List*", "ec2:Describe*", "logs:PutLogEvents"]), "*"), WriteOnAll));
        let scoped_deny = json!({"Statement": [{"Effect": "Allow", "Action": "dynamodb:*", "Resource": "*"}, {"Effect": "Deny", "Action": "dynamodb:*", "Resource": "*"}]});
        assert!(!holds(scoped_deny, WriteOnAll));
        assert!(holds(allow(json!("s3:Get*"), "*"), ExfiltrationOnAll));
        assert!(holds(allow(json!("ssm:GetParameter*"), "*"), ExfiltrationOnAll));
        assert!(!holds(allow(json!("s3:GetObject"), "arn:aws:s3:::b/*"), ExfiltrationOnAll));
        assert!(!holds(allow(json!("s3:ListBucket"), "*"), ExfiltrationOnAll));
        // An AWS managed policy not in the export: cannot tell (except for admin).
        assert!(matches!(judge(json!([{"kind": "managed", "arn": "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"}]), ExfiltrationOnAll), Verdict::Unknown(_)));
        assert!(holds(json!([{"kind": "managed", "arn": "arn:aws:iam::aws:policy/IAMFullAccess"}]), PrivilegeEscalation));
        // A document read only in part: a negative answer becomes indeterminate.
        let partial = json!({"Statement": [{"Effect": "Allow", "Action": [{"Fn::If": ["c", "s3:*", "*"]}], "Resource": "*"}]});
        assert!(matches!(judge(partial, Admin), Verdict::Unknown(w) if w.contains("could not be read")));
    }
}
