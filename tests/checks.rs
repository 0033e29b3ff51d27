//! One harness for every check: walks `src/checks/rules/**/cases.toml`, builds
//! the normalised inventory each case describes, evaluates the rule beside it,
//! and compares the check's roll-up with `expect`.
//!
//! Case format:
//! ```toml
//! [[case]]
//! name = "what this case shows"
//! expect = "pass" | "fail" | "indeterminate" | "not_applicable"
//! today = "2026-06-01"            # optional, for age checks
//! [[case.resource]]
//! kind = "object_bucket"
//! provider = "aws"
//! id = "aws_s3_bucket.b"          # optional
//! props = { encryption_at_rest = true, other = "?unknown", unset = "?null" }
//! ```
//! (`"?unknown"`: a value the export does not know; `"?null"`: JSON `null`, which TOML cannot write.)

use iso27017::checks::{evaluate_rule, parse_iso_date, Context, RuleSet};
use iso27017::inventory::{Inventory, Provider, Resource, SourceRef};
use iso27017::model::Status;
use iso27017::Catalog;
use serde::Deserialize;
use std::path::{Path, PathBuf};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Cases {
    case: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    expect: Status,
    today: Option<String>,
    #[serde(default)]
    resource: Vec<CaseResource>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseResource {
    kind: String,
    provider: Provider,
    id: Option<String>,
    native_type: Option<String>,
    #[serde(default)]
    props: toml::Table,
}

fn to_json(v: &toml::Value) -> serde_json::Value {
    serde_json::to_value(v).expect("TOML is JSON-representable")
}

fn inventory(case: &Case) -> Inventory {
    let mut inv = Inventory::default();
    for (i, cr) in case.resource.iter().enumerate() {
        let id = cr.id.clone().unwrap_or_else(|| format!("{}.r{i}", cr.kind));
        let mut r = Resource {
            provider: cr.provider,
            kind: cr.kind.clone().into(),
            native_type: cr.native_type.clone().unwrap_or_else(|| cr.kind.clone()).into(),
            id: id.clone().into(),
            name: id.into(),
            region: None,
            account: None,
            source: SourceRef { file: "cases.toml".into(), pointer: format!("/case/resource/{i}").into(), line: None },
            props: Default::default(),
        };
        for (k, v) in &cr.props {
            if v.as_str() == Some("?unknown") {
                r.set_unknown(k, "known after apply", format!("/props/{k}"));
            } else if v.as_str() == Some("?null") {
                r.set(k, serde_json::Value::Null, format!("/props/{k}"));
            } else {
                r.set(k, to_json(v), format!("/props/{k}"));
            }
        }
        inv.resources.push(r);
    }
    inv
}

fn rule_dirs() -> Vec<PathBuf> {
    fn walk(p: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(p).unwrap().flatten() {
            let path = e.path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.file_name().is_some_and(|n| n == "rule.toml") {
                out.push(path.parent().unwrap().to_path_buf());
            }
        }
    }
    let mut out = Vec::new();
    walk(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src/checks/rules"), &mut out);
    out.sort();
    out
}

#[test]
fn every_rule_loads() {
    let set = RuleSet::bundled();
    assert!(set.errors().is_empty(), "rules that failed to load:\n{}", set.errors().join("\n"));
    assert_eq!(set.rules().len(), rule_dirs().len(), "every rule.toml is embedded");
}

#[test]
fn rule_ids_match_their_folder_and_controls_exist() {
    let catalog = Catalog::bundled();
    for dir in rule_dirs() {
        let name = dir.file_name().unwrap().to_string_lossy().to_string();
        let rule = RuleSet::bundled().rule(&name).unwrap_or_else(|| panic!("{} has no rule with id {name}", dir.display()));
        for c in &rule.controls {
            assert!(catalog.control(c).is_some(), "{name} maps to unknown control {c}");
        }
    }
}

#[test]
fn every_rule_passes_its_cases() {
    let mut failures = Vec::new();
    let mut count = 0;
    for dir in rule_dirs() {
        let name = dir.file_name().unwrap().to_string_lossy().to_string();
        let Some(rule) = RuleSet::bundled().rule(&name) else { continue };
        let path = dir.join("cases.toml");
        let text = std::fs::read_to_string(&path).unwrap_or_else(|_| panic!("{name}: cases.toml is missing"));
        let cases: Cases = toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let expects: Vec<Status> = cases.case.iter().map(|c| c.expect).collect();
        for needed in [Status::Pass, Status::Fail, Status::NotApplicable] {
            assert!(expects.contains(&needed), "{name}: cases.toml needs at least one `{}` case", needed.as_str());
        }
        for case in &cases.case {
            count += 1;
            let today = case.today.as_deref().and_then(parse_iso_date).unwrap_or_else(|| parse_iso_date("2026-06-01").unwrap());
            let mut findings = Vec::new();
            evaluate_rule(rule, &inventory(case), &Context { today }, &mut findings);
            let got = Status::combine(findings.iter().map(|f| f.status));
            if got != case.expect {
                failures.push(format!("{name} / {}: expected {}, got {} ({:?})", case.name, case.expect.as_str(), got.as_str(),
                    findings.iter().map(|f| (&f.message, &f.reason)).collect::<Vec<_>>()));
            }
            for f in &findings {
                assert!(!f.message.is_empty() && !f.evidence.is_empty(), "{name} / {}: finding without message or evidence", case.name);
            }
        }
    }
    assert!(count > 0);
    assert!(failures.is_empty(), "{} case(s) failed:\n{}", failures.len(), failures.join("\n"));
}

/// The page holds rule heads and reads the long texts from the guidance asset: both together must
/// be exactly the bundled rules, check by check.
#[test]
fn rule_heads_and_the_guidance_asset_texts_make_the_whole_rules() {
    let (full, heads) = (RuleSet::bundled(), RuleSet::bundled_heads());
    assert!(heads.errors().is_empty(), "{:?}", heads.errors());
    assert_eq!(heads.rules().len(), full.rules().len());
    let guidance = iso27017::catalog::GuidanceSet::bundled();
    for (f, h) in full.rules().iter().zip(heads.rules()) {
        assert!(h.rationale.is_empty() && h.remediation.is_empty() && h.control_reasons.is_empty(), "{} head has texts", h.id);
        let texts = guidance.check_texts(f.id.as_str()).unwrap_or_else(|| panic!("{}: no texts in the guidance asset", f.id));
        assert_eq!(texts.rationale, f.rationale.trim(), "{}", f.id);
        assert_eq!(texts.remediation, f.remediation.trim(), "{}", f.id);
        for (control, reason) in f.controls.iter().zip(&f.control_reasons) {
            assert_eq!(texts.reason(control), reason, "{} {control}", f.id);
        }
        assert_eq!(texts.control_reasons.len(), f.controls.len(), "{}", f.id);
        let mut whole = h.clone();
        whole.rationale = f.rationale.clone();
        whole.remediation = f.remediation.clone();
        whole.control_reasons = f.control_reasons.clone();
        assert_eq!(&whole, f);
    }
}

#[test]
fn a_rule_head_carrying_texts_or_a_rule_missing_them_is_refused() {
    let rule = r#"{"id":"x_y","title":"Things are safe","severity":"low","kinds":["object_bucket"],"controls":["12.4.1"],
        "message_pass":"{resource} ok","message_fail":"{resource} not ok","predicate":{"prop":"a","op":"eq","value":true}"#;
    let head = format!("{rule}}}");
    assert!(iso27017::checks::Rule::head_from_json(&head).is_ok(), "{:?}", iso27017::checks::Rule::head_from_json(&head));
    let err = iso27017::checks::Rule::from_json(&head).unwrap_err();
    assert!(err.contains("has no reason"), "{err}");
    let with_text = format!("{rule},\"rationale\":\"{}\"}}", "r".repeat(50));
    let err = iso27017::checks::Rule::head_from_json(&with_text).unwrap_err();
    assert!(err.contains("a rule head carries no"), "{err}");
}
