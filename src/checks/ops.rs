//! Judgements over facts that are lists or maps rather than one value: IAM
//! bindings (who holds which role), a database's flags, names matched by
//! pattern. Each is one function, reached by a rule through its op
//! (`no_iam_grant`, `entry_in`, `none_match`), with its tests here.
//!
//! **Invariant:** three-valued like every condition: a part of the input the
//! export does not show (an `{"unknown": …}` binding, a value of the wrong
//! shape) makes a negative answer indeterminate, never a pass.

use super::rule::Op;
use crate::model::Status;
use serde_json::Value;
use std::sync::Arc;

/// What is wrong with an op's operand, for the ops of this module (checked
/// when a rule loads).
pub fn value_problem(op: Op, value: &Value) -> Option<String> {
    let strings = |v: Option<&Value>| v.and_then(Value::as_array).is_some_and(|a| !a.is_empty() && a.iter().all(Value::is_string));
    match op {
        Op::NoIamGrant if !(strings(value.get("roles")) && strings(value.get("members"))) => {
            Some("no_iam_grant needs { roles = [...], members = [...] } (non-empty lists of strings)".into())
        }
        Op::EntryIn => {
            let absent_ok = value.get("absent").is_none_or(|a| matches!(a.as_str(), Some("pass" | "fail" | "unknown")));
            (!(value.get("key").is_some_and(Value::is_string) && strings(value.get("in")) && absent_ok))
                .then(|| "entry_in needs { key = \"…\", in = [...], absent = \"pass\"|\"fail\"|\"unknown\" }".into())
        }
        Op::NoneMatch if !strings(Some(value)) => Some("none_match needs a non-empty list of patterns".into()),
        _ => None,
    }
}

/// `*` matches any run of characters (also none); the rest compares case-insensitively.
pub fn glob(pattern: &str, text: &str) -> bool {
    let (p, t) = (pattern.as_bytes(), text.as_bytes());
    let (mut pi, mut ti) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        match p.get(pi) {
            Some(b'*') => {
                star = Some((pi, ti));
                pi += 1;
            }
            Some(c) if c.eq_ignore_ascii_case(&t[ti]) => {
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
    p.get(pi..).is_some_and(|rest| rest.iter().all(|c| *c == b'*'))
}

fn strs(v: Option<&Value>) -> Vec<&str> {
    v.and_then(Value::as_array).map(|a| a.iter().filter_map(Value::as_str).collect()).unwrap_or_default()
}

/// `no_iam_grant`: Fail when a binding grants a matching role to a matching
/// member; else Indeterminate when part of the policy is not shown; else Pass.
pub fn no_iam_grant(bindings: &Value, wanted: &Value, why: &mut Vec<Arc<str>>, prop: &str) -> Status {
    let Some(list) = bindings.as_array() else {
        why.push(Arc::from(format!("{prop} is not a list of bindings")));
        return Status::Indeterminate;
    };
    let (roles, members) = (strs(wanted.get("roles")), strs(wanted.get("members")));
    let mut unknown: Option<&str> = None;
    for b in list {
        if let Some(reason) = b.get("unknown") {
            unknown.get_or_insert(reason.as_str().unwrap_or("part of the policy is not in the export"));
            continue;
        }
        let role = b.get("role").and_then(Value::as_str);
        let Some(role) = role else {
            unknown.get_or_insert("a binding without a known role");
            continue;
        };
        if !roles.iter().any(|r| glob(r, role)) {
            continue;
        }
        match b.get("members") {
            Some(Value::Array(ms)) => {
                for m in ms {
                    match m.as_str() {
                        Some(m) if members.iter().any(|p| glob(p, m)) => return Status::Fail,
                        Some(_) => {}
                        None => {
                            unknown.get_or_insert("a member known only after apply");
                        }
                    }
                }
            }
            _ => {
                unknown.get_or_insert("a binding whose members are not known");
            }
        }
    }
    match unknown {
        Some(reason) => {
            why.push(Arc::from(format!("{prop}: {reason}")));
            Status::Indeterminate
        }
        None => Status::Pass,
    }
}

/// `entry_in`: the map's entry `key` (its value as a string, compared
/// case-insensitively) is one of `in`; an absent entry as `absent` says.
pub fn entry_in(map: &Value, wanted: &Value, why: &mut Vec<Arc<str>>, prop: &str) -> Status {
    let Some(map) = map.as_object() else {
        why.push(Arc::from(format!("{prop} is not a map of names to values")));
        return Status::Indeterminate;
    };
    let key = wanted.get("key").and_then(Value::as_str).unwrap_or("");
    let allowed = strs(wanted.get("in"));
    match map.get(key) {
        None => match wanted.get("absent").and_then(Value::as_str) {
            Some("pass") => Status::Pass,
            Some("fail") => Status::Fail,
            _ => {
                why.push(Arc::from(format!("{prop} does not set {key}, whose default the export does not show")));
                Status::Indeterminate
            }
        },
        Some(v) => {
            let text = match v {
                Value::String(s) => s.trim().to_string(),
                Value::Number(n) => n.to_string(),
                Value::Bool(b) => if *b { "on" } else { "off" }.to_string(),
                _ => {
                    why.push(Arc::from(format!("{prop}: {key} is not a value ({v})")));
                    return Status::Indeterminate;
                }
            };
            if allowed.iter().any(|a| a.eq_ignore_ascii_case(&text)) {
                Status::Pass
            } else {
                Status::Fail
            }
        }
    }
}

/// `none_match`: no string of the property (one string, or a list) matches a pattern.
pub fn none_match(observed: &Value, patterns: &Value, why: &mut Vec<Arc<str>>, prop: &str) -> Status {
    let pats = strs(Some(patterns));
    let items: Vec<&Value> = match observed {
        Value::Array(a) => a.iter().collect(),
        Value::Null => Vec::new(),
        v => vec![v],
    };
    let mut unknown = false;
    for i in items {
        match i.as_str() {
            Some(s) if pats.iter().any(|p| glob(p, s)) => return Status::Fail,
            Some(_) => {}
            None => unknown = true,
        }
    }
    if unknown {
        why.push(Arc::from(format!("{prop} holds a value that is not a name")));
        return Status::Indeterminate;
    }
    Status::Pass
}

/// The words of a condition of this module's ops.
pub fn describe(prop: &str, op: Op, value: &Value) -> Option<String> {
    let list = |v: Option<&Value>| strs(v).join(", ");
    Some(match op {
        Op::NoIamGrant => format!("{prop} grant none of [{}] to any of [{}]", list(value.get("roles")), list(value.get("members"))),
        Op::EntryIn => format!(
            "{prop}: {} in [{}]",
            value.get("key").and_then(Value::as_str).unwrap_or(""),
            list(value.get("in"))
        ),
        Op::NoneMatch => format!("{prop} matches none of [{}]", list(Some(value))),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn globs_match_whole_names() {
        assert!(glob("serviceAccount:*-compute@developer.gserviceaccount.com", "serviceAccount:123-compute@developer.gserviceaccount.com"));
        assert!(!glob("serviceAccount:*-compute@developer.gserviceaccount.com", "serviceAccount:app@p.iam.gserviceaccount.com"));
        assert!(glob("user:*", "user:a@example.com"));
        assert!(glob("*", ""));
        assert!(glob("roles/owner", "ROLES/OWNER"));
        assert!(!glob("roles/owner", "roles/ownerx"));
        assert!(glob("a*b*c", "axxbyyc"));
        assert!(!glob("a*b*c", "axxbyy"));
    }

    #[test]
    fn iam_grants_fail_pass_or_stay_unknown() {
        let want = json!({"roles": ["roles/owner", "roles/editor"], "members": ["user:*"]});
        let mut why = Vec::new();
        let owner = json!([{"role": "roles/owner", "members": ["user:a@example.com"]}]);
        assert_eq!(no_iam_grant(&owner, &want, &mut why, "iam_bindings"), Status::Fail);
        let sa = json!([{"role": "roles/owner", "members": ["serviceAccount:x@p.iam.gserviceaccount.com"]}, {"role": "roles/viewer", "members": ["user:a@example.com"]}]);
        assert_eq!(no_iam_grant(&sa, &want, &mut why, "iam_bindings"), Status::Pass);
        assert!(why.is_empty());
        // A part of the policy the export does not show: no pass by silence, but a grant seen still fails.
        let partial = json!([{"unknown": "the project's IAM policy is not in a Terraform google_project"}]);
        assert_eq!(no_iam_grant(&partial, &want, &mut why, "iam_bindings"), Status::Indeterminate);
        assert!(why[0].contains("not in a Terraform google_project"));
        let partial_fail = json!([{"unknown": "x"}, {"role": "roles/editor", "members": ["user:b@example.com"]}]);
        assert_eq!(no_iam_grant(&partial_fail, &want, &mut why, "iam_bindings"), Status::Fail);
        let unknown_member = json!([{"role": "roles/owner", "members": [null]}]);
        assert_eq!(no_iam_grant(&unknown_member, &want, &mut why, "iam_bindings"), Status::Indeterminate);
        assert_eq!(no_iam_grant(&json!("x"), &want, &mut why, "iam_bindings"), Status::Indeterminate);
        assert_eq!(no_iam_grant(&json!([]), &want, &mut why, "iam_bindings"), Status::Pass);
    }

    #[test]
    fn flags_compare_as_text_with_a_stated_default() {
        let mut why = Vec::new();
        let want = json!({"key": "log_connections", "in": ["on"], "absent": "fail"});
        assert_eq!(entry_in(&json!({"log_connections": "on"}), &want, &mut why, "database_flags"), Status::Pass);
        assert_eq!(entry_in(&json!({"log_connections": "OFF"}), &want, &mut why, "database_flags"), Status::Fail);
        assert_eq!(entry_in(&json!({}), &want, &mut why, "database_flags"), Status::Fail);
        let pass_absent = json!({"key": "cross db ownership chaining", "in": ["off"], "absent": "pass"});
        assert_eq!(entry_in(&json!({}), &pass_absent, &mut why, "database_flags"), Status::Pass);
        let num = json!({"key": "log_min_duration_statement", "in": ["-1"], "absent": "pass"});
        assert_eq!(entry_in(&json!({"log_min_duration_statement": -1}), &num, &mut why, "database_flags"), Status::Pass);
        assert_eq!(entry_in(&json!({"log_min_duration_statement": "250"}), &num, &mut why, "database_flags"), Status::Fail);
        let unknown = json!({"key": "k", "in": ["on"]});
        assert_eq!(entry_in(&json!({}), &unknown, &mut why, "database_flags"), Status::Indeterminate);
        assert_eq!(entry_in(&json!([]), &want, &mut why, "database_flags"), Status::Indeterminate);
    }

    #[test]
    fn none_match_reads_strings_and_lists() {
        let mut why = Vec::new();
        let pats = json!(["*-compute@developer.gserviceaccount.com", "default"]);
        assert_eq!(none_match(&json!(["app@p.iam.gserviceaccount.com"]), &pats, &mut why, "p"), Status::Pass);
        assert_eq!(none_match(&json!("default"), &pats, &mut why, "p"), Status::Fail);
        assert_eq!(none_match(&json!([]), &pats, &mut why, "p"), Status::Pass);
        assert_eq!(none_match(&json!([1]), &pats, &mut why, "p"), Status::Indeterminate);
    }

    #[test]
    fn operands_are_checked_when_a_rule_loads() {
        assert!(value_problem(Op::NoIamGrant, &json!({"roles": ["r"]})).is_some());
        assert!(value_problem(Op::NoIamGrant, &json!({"roles": ["r"], "members": ["m"]})).is_none());
        assert!(value_problem(Op::EntryIn, &json!({"key": "k", "in": ["on"], "absent": "maybe"})).is_some());
        assert!(value_problem(Op::EntryIn, &json!({"key": "k", "in": ["on"]})).is_none());
        assert!(value_problem(Op::NoneMatch, &json!([])).is_some());
    }
}
