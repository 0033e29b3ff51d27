//! Check definitions as data: the schema of `rules/<provider>/<id>/rule.toml`.
//!
//! **Invariant:** unknown fields are errors (`deny_unknown_fields`), titles
//! state the secure condition (no "Ensure…"), every rule names at least one
//! 27017 control and at least one resource kind, says for every control in one
//! line how the check evidences it (`control_reasons`), and has exactly one of
//! `predicate` or `native`.

use crate::model::{CheckId, ControlId, Severity};
use serde::Deserialize;
use serde_json::Value;

/// How a missing property is judged by a condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Missing {
    /// The export does not say: the result is indeterminate (default).
    #[default]
    Unknown,
    /// Absence means the insecure default: fail.
    Fail,
    /// Absence means the secure default: pass.
    Pass,
}

/// Comparison operators of a condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    /// The property is present (known or unknown).
    Exists,
    /// The property is absent.
    NotExists,
    /// Equal to `value`.
    Eq,
    /// Not equal to `value`.
    Ne,
    /// One of the values in the `value` array.
    In,
    /// None of the values in the `value` array.
    NotIn,
    /// Number ≥ `value`.
    Gte,
    /// Number ≤ `value`.
    Lte,
    /// Empty array, empty string, or null.
    Empty,
    /// Non-empty array or string.
    NotEmpty,
    /// Dotted version ≥ `value` (`"1.2"`; `TLS1_2` and `TLSv1.2` are understood).
    VersionGte,
    /// The array property contains every element of the `value` array.
    ContainsAll,
    /// The array property contains none of the elements of the `value` array.
    ContainsNone,
    /// Every element of the array property is one of the `value` array (an
    /// empty list passes).
    SubsetOf,
    /// For a `firewall.ingress` list: no allow rule opens any of the `value` ports
    /// (array of numbers, or `"any"`) to the whole internet.
    NoOpenIngress,
    /// The policy documents allow every action on every resource (`checks::policy`).
    PolicyAllowsAdmin,
    /// The policy documents allow anyone without a restricting condition.
    PolicyAllowsPublic,
    /// The bucket policy denies every S3 request made without TLS.
    PolicyDeniesInsecureTransport,
    /// The policy documents allow a privilege-escalation method.
    PolicyAllowsPrivilegeEscalation,
    /// The policy documents allow `iam:PassRole` on every resource.
    PolicyAllowsPassRoleOnAll,
    /// The policy documents allow a permissions-management action on every resource.
    PolicyAllowsPermissionsManagementOnAll,
    /// The policy documents allow a data-exfiltration action on every resource.
    PolicyAllowsExfiltrationOnAll,
    /// The policy documents allow a write or permissions-management action
    /// on every resource (`checks/data/aws_access_levels.tsv`).
    PolicyAllowsWriteOnAll,
    /// For an `iam_bindings` list (`{role, members}`, or `{unknown}` for a part
    /// the export does not show): no binding grants a role matching one of
    /// `value.roles` to a member matching one of `value.members` (`*` globs;
    /// `checks::ops`).
    NoIamGrant,
    /// For an object property (Cloud SQL `database_flags`): the entry
    /// `value.key` is one of `value.in`; an absent entry is judged by
    /// `value.absent` (`"pass"`, `"fail"` or `"unknown"`).
    EntryIn,
    /// No element of the string or list property matches any of the `value`
    /// globs (`*` for any run of characters).
    NoneMatch,
}

impl Op {
    /// The policy judgement this op asks for, if it is one.
    pub fn judgement(self) -> Option<super::policy::Judgement> {
        use super::policy::Judgement as J;
        Some(match self {
            Op::PolicyAllowsAdmin => J::Admin,
            Op::PolicyAllowsPublic => J::Public,
            Op::PolicyDeniesInsecureTransport => J::DeniesInsecureTransport,
            Op::PolicyAllowsPrivilegeEscalation => J::PrivilegeEscalation,
            Op::PolicyAllowsPassRoleOnAll => J::PassRoleOnAll,
            Op::PolicyAllowsPermissionsManagementOnAll => J::PermissionsManagementOnAll,
            Op::PolicyAllowsExfiltrationOnAll => J::ExfiltrationOnAll,
            Op::PolicyAllowsWriteOnAll => J::WriteOnAll,
            _ => return None,
        })
    }
}

/// A predicate tree: `all` / `any` / `not` over conditions.
#[derive(Debug, Clone, PartialEq)]
pub enum Predicate {
    /// Every child holds.
    All(Vec<Predicate>),
    /// At least one child holds.
    Any(Vec<Predicate>),
    /// The child does not hold.
    Not(Box<Predicate>),
    /// A condition on one property.
    Cond {
        /// Canonical property name (docs/inventory.md).
        prop: String,
        /// Operator.
        op: Op,
        /// Operand.
        value: Value,
        /// Judgement when the property is absent.
        missing: Missing,
    },
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPredicate {
    all: Option<Vec<RawPredicate>>,
    any: Option<Vec<RawPredicate>>,
    not: Option<Box<RawPredicate>>,
    prop: Option<String>,
    op: Option<Op>,
    value: Option<Value>,
    #[serde(default)]
    missing: Option<Missing>,
}

impl RawPredicate {
    fn build(self) -> Result<Predicate, String> {
        let forms = [self.all.is_some(), self.any.is_some(), self.not.is_some(), self.prop.is_some()]
            .iter()
            .filter(|x| **x)
            .count();
        if forms != 1 {
            return Err("a predicate node needs exactly one of all, any, not, prop".into());
        }
        if let Some(items) = self.all {
            return Ok(Predicate::All(items.into_iter().map(RawPredicate::build).collect::<Result<_, _>>()?));
        }
        if let Some(items) = self.any {
            return Ok(Predicate::Any(items.into_iter().map(RawPredicate::build).collect::<Result<_, _>>()?));
        }
        if let Some(inner) = self.not {
            return Ok(Predicate::Not(Box::new(inner.build()?)));
        }
        let prop = self.prop.unwrap_or_default();
        let op = self.op.ok_or_else(|| format!("condition on {prop} has no op"))?;
        let value = self.value.unwrap_or(Value::Null);
        let needs_value = !matches!(op, Op::Exists | Op::NotExists | Op::Empty | Op::NotEmpty) && op.judgement().is_none();
        if needs_value && value.is_null() {
            return Err(format!("condition on {prop} with op {op:?} needs a value"));
        }
        if matches!(op, Op::In | Op::NotIn | Op::ContainsAll | Op::ContainsNone | Op::SubsetOf | Op::NoneMatch) && !value.is_array() {
            return Err(format!("condition on {prop}: op {op:?} needs an array value"));
        }
        if let Some(problem) = super::ops::value_problem(op, &value) {
            return Err(format!("condition on {prop}: {problem}"));
        }
        if matches!(op, Op::In | Op::NotIn | Op::ContainsAll | Op::ContainsNone | Op::SubsetOf) && !value.is_array() {
            return Err(format!("condition on {prop}: op {op:?} needs an array value"));
        }
        Ok(Predicate::Cond { prop, op, value, missing: self.missing.unwrap_or_default() })
    }
}

/// The on-disk form of a rule.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    id: String,
    title: String,
    severity: Severity,
    #[serde(default)]
    providers: Vec<crate::inventory::Provider>,
    kinds: Vec<String>,
    controls: Vec<String>,
    /// One line per control: how this check evidences it (required for every
    /// control; absent here so that the error can name the control).
    #[serde(default)]
    control_reasons: std::collections::BTreeMap<String, String>,
    /// Absent only in a head ([`Rule::head_from_json`]).
    #[serde(default)]
    rationale: String,
    /// Absent only in a head.
    #[serde(default)]
    remediation: String,
    message_pass: String,
    message_fail: String,
    predicate: Option<RawPredicate>,
    native: Option<String>,
    /// Resources of `kinds` the rule reads only when this holds (or cannot
    /// be decided): an engine-specific database flag, a public DNS zone.
    applies_when: Option<RawPredicate>,
}

/// A check, loaded and validated.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    /// Stable id.
    pub id: CheckId,
    /// The secure condition, as a sentence.
    pub title: String,
    /// Severity of a failure.
    pub severity: Severity,
    /// Providers it applies to (empty: any).
    pub providers: Vec<crate::inventory::Provider>,
    /// Canonical resource kinds it applies to.
    pub kinds: Vec<String>,
    /// 27017 controls it evidences.
    pub controls: Vec<ControlId>,
    /// For each control of `controls` (same order), one line saying how this check evidences it.
    /// Empty in a head ([`Rule::head_from_json`]).
    pub control_reasons: Vec<String>,
    /// Why it matters (Markdown). Empty in a head.
    pub rationale: String,
    /// How to fix it, per cloud (Markdown). Empty in a head.
    pub remediation: String,
    /// Message for a pass (`{resource}` is replaced).
    pub message_pass: String,
    /// Message for a failure.
    pub message_fail: String,
    /// How it is evaluated.
    pub logic: Logic,
    /// The resources of `kinds` the rule reads: those for which this does not
    /// fail (it holds, or the input does not say). `None`: all of them.
    pub applies_when: Option<Predicate>,
}

/// Data predicate or named native evaluator.
#[derive(Debug, Clone, PartialEq)]
pub enum Logic {
    /// A predicate over one resource's properties.
    Predicate(Predicate),
    /// A Rust evaluator in `checks::native`, by name.
    Native(String),
}

impl Rule {
    /// Parse and validate a rule from its JSON form (build.rs converts the TOML).
    pub fn from_json(text: &str) -> Result<Rule, String> {
        Rule::parse(text, true)
    }

    /// Parse and validate a rule's *head*: the rule without its long texts
    /// (rationale, remediation, control reasons), which must be absent and
    /// are left empty. The browser page's rule set is made of heads
    /// ([`RuleSet::bundled_heads`](super::RuleSet::bundled_heads)); it reads
    /// the texts from the guidance asset (`catalog::prose::CheckTexts`).
    pub fn head_from_json(text: &str) -> Result<Rule, String> {
        Rule::parse(text, false)
    }

    fn parse(text: &str, with_texts: bool) -> Result<Rule, String> {
        let raw: RawRule = serde_json::from_str(text).map_err(|e| e.to_string())?;
        let id: CheckId = raw.id.parse().map_err(|e: crate::model::ParseModelError| e.to_string())?;
        let fail = |m: String| Err(format!("{id}: {m}"));
        if raw.title.trim().is_empty() || raw.title.len() > 100 {
            return fail("title must be 1–100 characters".into());
        }
        if raw.title.to_lowercase().starts_with("ensure") {
            return fail("title states the secure condition; do not start with \"Ensure\"".into());
        }
        if raw.kinds.is_empty() {
            return fail("no resource kinds".into());
        }
        if raw.controls.is_empty() {
            return fail("no 27017 controls".into());
        }
        let mut controls: Vec<ControlId> = Vec::new();
        for c in &raw.controls {
            match c.parse::<ControlId>() {
                Ok(c) if controls.contains(&c) => return fail(format!("controls lists {c} twice")),
                Ok(c) => controls.push(c),
                Err(e) => return fail(e.to_string()),
            }
        }
        let mut control_reasons = Vec::new();
        if with_texts {
            for key in raw.control_reasons.keys() {
                if !raw.controls.iter().any(|c| c == key) {
                    return fail(format!("control_reasons names {key}, which is not in controls"));
                }
            }
            control_reasons.reserve(raw.controls.len());
            for c in &raw.controls {
                let Some(why) = raw.control_reasons.get(c) else {
                    return fail(format!("control {c} has no reason: add `\"{c}\" = \"…\"` under [control_reasons] saying how this check evidences it"));
                };
                let why = why.trim();
                let chars = why.chars().count();
                if !(15..=200).contains(&chars) || why.contains('\n') {
                    return fail(format!("control_reasons.\"{c}\" must be one line of 15–200 characters"));
                }
                control_reasons.push(why.to_string());
            }
            for (name, text) in [("rationale", &raw.rationale), ("remediation", &raw.remediation)] {
                if text.trim().len() < 40 {
                    return fail(format!("{name} is too short"));
                }
            }
        } else if !raw.control_reasons.is_empty() || !raw.rationale.is_empty() || !raw.remediation.is_empty() {
            return fail("a rule head carries no rationale, remediation or control reasons".into());
        }
        let logic = match (raw.predicate, raw.native) {
            (Some(p), None) => Logic::Predicate(p.build().map_err(|e| format!("{id}: {e}"))?),
            (None, Some(n)) => Logic::Native(n),
            _ => return fail("needs exactly one of predicate or native".into()),
        };
        let applies_when = match raw.applies_when {
            Some(p) => Some(p.build().map_err(|e| format!("{id}: applies_when: {e}"))?),
            None => None,
        };
        Ok(Rule {
            id,
            title: raw.title,
            severity: raw.severity,
            providers: raw.providers,
            kinds: raw.kinds,
            controls,
            control_reasons,
            rationale: raw.rationale,
            remediation: raw.remediation,
            message_pass: raw.message_pass,
            message_fail: raw.message_fail,
            logic,
            applies_when,
        })
    }

    /// Does this rule look at `resource`?
    pub fn applies_to(&self, resource: &crate::inventory::Resource) -> bool {
        self.kinds.iter().any(|k| resource.kind == *k) && self.reads(resource)
    }
    /// Does the rule read this resource of one of its kinds: its provider
    /// is covered and `applies_when` does not fail on it?
    pub fn reads(&self, resource: &crate::inventory::Resource) -> bool {
        self.applies_to_provider(resource.provider)
            && self.applies_when.as_ref().is_none_or(|p| super::eval::evaluate(p, resource).status != crate::model::Status::Fail)
    }
    /// Does the rule cover this provider (all when it names none)?
    pub fn applies_to_provider(&self, provider: crate::inventory::Provider) -> bool {
        self.providers.is_empty() || self.providers.contains(&provider)
    }
}

#[cfg(test)]
mod tests {
    use super::Rule;

    fn rule(reasons: &str) -> Result<Rule, String> {
        let json = format!(
            r#"{{"id":"sample_rule","title":"Buckets keep versions","severity":"low","kinds":["object_bucket"],
            "controls":["12.3.1","CLD.12.1.5"],{reasons}
            "rationale":"Versions let the customer restore an object that was overwritten or deleted.",
            "remediation":"Turn on versioning for the bucket in the provider's console or in code.",
            "message_pass":"{{resource}} keeps versions","message_fail":"{{resource}} keeps no versions",
            "predicate":{{"prop":"versioning","op":"eq","value":true}}}}"#
        );
        Rule::from_json(&json)
    }

    #[test]
    fn control_reasons_follow_the_controls_order() {
        let r = rule(r#""control_reasons":{"CLD.12.1.5":"Versions are the customer's own undo for operator mistakes.","12.3.1":"Object versions are a backup copy kept by the service."},"#)
            .expect("valid rule");
        assert_eq!(r.control_reasons[0], "Object versions are a backup copy kept by the service.");
        assert_eq!(r.control_reasons[1], "Versions are the customer's own undo for operator mistakes.");
    }

    #[test]
    fn every_control_needs_a_reason_and_the_error_names_rule_and_control() {
        let err = rule("").expect_err("reasons are required");
        assert!(err.starts_with("sample_rule: control 12.3.1 has no reason"), "{err}");
        let err = rule(r#""control_reasons":{"12.3.1":"Object versions are a backup copy kept by the service."},"#)
            .expect_err("CLD.12.1.5 has no reason");
        assert!(err.starts_with("sample_rule: control CLD.12.1.5 has no reason"), "{err}");
        assert!(err.contains("[control_reasons]"), "{err}");
    }

    #[test]
    fn a_control_is_listed_once() {
        let json = r#"{"id":"twice","title":"Buckets keep versions","severity":"low","kinds":["object_bucket"],
            "controls":["12.3.1","12.3.1"],"control_reasons":{"12.3.1":"Object versions are a backup copy kept by the service."},
            "rationale":"Versions let the customer restore an object that was overwritten or deleted.",
            "remediation":"Turn on versioning for the bucket in the provider's console or in code.",
            "message_pass":"{resource} keeps versions","message_fail":"{resource} keeps no versions",
            "predicate":{"prop":"versioning","op":"eq","value":true}}"#;
        assert_eq!(Rule::from_json(json).expect_err("duplicate"), "twice: controls lists 12.3.1 twice");
    }

    #[test]
    fn control_reasons_name_only_listed_controls_in_one_line() {
        // Each case gives the other control a valid line, so only the line under test can fail.
        let with = |first: &str| {
            let first = serde_json::to_string(first).expect("a string");
            rule(&format!(r#""control_reasons":{{"12.3.1":{first},"CLD.12.1.5":"Versions are the customer's own undo."}},"#))
        };
        assert!(with("Object versions are a backup copy kept by the service.").is_ok());
        let err = rule(r#""control_reasons":{"9.4.1":"Not one of the rule's controls at all.","12.3.1":"Object versions are a backup copy kept by the service.","CLD.12.1.5":"Versions are the customer's own undo."},"#)
            .expect_err("9.4.1 is not listed");
        assert!(err.contains("names 9.4.1, which is not in controls"), "{err}");
        assert!(with("short").expect_err("too short").contains("15–200 characters"));
        assert!(with("two lines of text\nare not one line").is_err());
        assert!(with(&"é".repeat(120)).is_ok(), "characters are counted, not bytes");
        assert!(with(&"x".repeat(201)).is_err());
    }
}
