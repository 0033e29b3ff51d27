//! The workspace contract from outside: export → import round trips, what
//! `load` does with broken, truncated, newer, mistyped and hostile data, and
//! the control roll-up rule as a table.

use iso27017::checks::{days_from_civil, Evidence, Finding, ResourceRef};
use iso27017::ingest::Format;
use iso27017::inventory::{Provider, SourceRef};
use iso27017::model::{ControlId, Responsibility, Role, ServiceModel, Severity, Status};
use iso27017::workspace::model::{MAX_NOTES_BYTES, MAX_TEXT_BYTES};
use iso27017::workspace::rollup::{combine, Outcome, RULE};
use iso27017::workspace::store::{MAX_IMPORT_BYTES, VERSION};
use iso27017::workspace::*;
use serde_json::json;

const NOW: u64 = 1_780_000_000_000;

fn cid(s: &str) -> ControlId {
    s.parse().unwrap()
}

fn day(s: &str) -> i64 {
    s.parse::<IsoDate>().unwrap().days()
}

fn finding(check: &str, resource: &str, status: Status, controls: &[&str]) -> Finding {
    Finding {
        check: check.parse().unwrap(),
        controls: controls.iter().map(|c| cid(c)).collect::<Vec<_>>().into(),
        status,
        severity: Severity::High,
        resource: ResourceRef {
            provider: Provider::Aws,
            kind: "object_bucket".into(),
            native_type: "aws_s3_bucket".into(),
            id: resource.into(),
            name: resource.into(),
            account: None,
            source: SourceRef { file: "plan.json".into(), pointer: "/resource_changes/0/change/after".into(), line: Some(3) },
        }
        .into(),
        message: format!("{resource}: {check}").into(),
        reason: (status == Status::Indeterminate).then(|| "known after apply".into()),
        evidence: [Evidence::new(
            "versioning",
            "versioning is enabled",
            "/resource_changes/0/change/after/versioning".into(),
            Some(json!({"enabled": false, "list": [1, 2.5, null, "x"]}).into()),
        )]
        .into_iter()
        .collect(),
        origin: None,
    }
}

/// A workspace using every field.
fn rich() -> Workspaces {
    let mut ws = Workspaces::new();
    let a = ws.create("Production ☁", NOW).unwrap();
    let w = ws.get_mut(&a).unwrap();
    w.set_scope(
        Scope {
            organisation: "Acme <GmbH> & \"Co\"".into(),
            roles: vec![Role::Csp, Role::Csc],
            service_models: vec![ServiceModel::Iaas, ServiceModel::Paas],
            providers: vec![Provider::Gcp, Provider::Aws],
        },
        NOW + 1,
    )
    .unwrap();
    w.set_answer(
        &cid("CLD.9.5.1"),
        ControlAnswer {
            applicable: Applicability::Applicable,
            status: ManualStatus::Implemented,
            responsible: Some(Responsibility::Shared),
            owner: "Platform team".into(),
            target_date: Some("2026-09-30".parse().unwrap()),
            notes_md: "## Evidence\n\n<script>x</script> [link](https://example.com)\n".into(),
        },
        NOW + 2,
    )
    .unwrap();
    w.set_answer(
        &cid("11.2.7"),
        ControlAnswer {
            applicable: Applicability::Excluded { justification: "No physical equipment".into() },
            status: ManualStatus::NotApplicable,
            ..Default::default()
        },
        NOW + 3,
    )
    .unwrap();
    w.decide(
        FindingDecision {
            check: "aws_s3_bucket_versioning".parse().unwrap(),
            resource_id: "aws_s3_bucket.logs".into(),
            kind: DecisionKind::RiskAccepted,
            reason: "Logs are replicated".into(),
            expires: Some("2026-12-31".parse().unwrap()),
        },
        iso27017::checks::days_from_civil(2026, 5, 28),
        NOW + 4,
    )
    .unwrap();
    let fs = vec![
        finding("aws_s3_bucket_versioning", "aws_s3_bucket.logs", Status::Fail, &["12.3.1"]),
        finding("aws_s3_bucket_versioning", "aws_s3_bucket.data", Status::Pass, &["12.3.1"]),
        finding("aws_s3_bucket_default_encryption", "aws_s3_bucket.data", Status::Indeterminate, &["10.1.1", "CLD.9.5.1"]),
    ];
    w.upsert_upload(UploadRecord::new("plan.json", b"{\"format_version\":\"1.2\"}", Some(Format::TerraformPlan), 2, 1, fs), NOW + 5)
        .unwrap();
    w.upsert_upload(UploadRecord::new("notes.txt", b"hello", None, 0, 0, Vec::new()), NOW + 6).unwrap();
    ws.create("Empty", NOW + 7).unwrap();
    let copy = ws.duplicate(&a, NOW + 8).unwrap();
    ws.set_active(&copy).unwrap();
    ws
}

fn corrupt(text: &str) -> LoadError {
    match load(text) {
        LoadOutcome::Corrupt { raw, error } => {
            assert_eq!(raw, text, "the raw text is kept");
            error
        }
        other => panic!("expected Corrupt for {text:.120}, got {other:?}"),
    }
}

fn v1(mut doc: serde_json::Value, edit: impl FnOnce(&mut serde_json::Value)) -> String {
    edit(&mut doc);
    doc.to_string()
}

fn rich_doc() -> serde_json::Value {
    serde_json::from_str(&export(&rich())).unwrap()
}

// ------------------------------------------------------------ round trips

#[test]
fn export_then_import_is_identity() {
    let ws = rich();
    let text = export(&ws);
    assert!(text.contains("\"format\": \"iso27017-assessor/workspace\""), "pretty, with the format tag");
    assert!(text.contains(&format!("\"version\": {VERSION}")));
    assert!(
        text.contains("\n            [0,0,1,\"aws_s3_bucket.logs: aws_s3_bucket_versioning\",null,[[0,\"./versioning\",{\"enabled\":false,"),
        "one table row per line"
    );
    assert_eq!(import(&text).unwrap(), ws);
    // And export is stable: export(import(export(w))) == export(w).
    assert_eq!(export(&import(&text).unwrap()), text);
}

#[test]
fn save_then_load_is_identity_including_trash() {
    let mut ws = rich();
    let empty = ws.list()[1].id().clone();
    ws.delete(&empty).unwrap();
    let text = save(&ws);
    assert!(!text.contains('\n'), "storage form is compact");
    assert_eq!(load(&text), LoadOutcome::Loaded(ws.clone()));
    let LoadOutcome::Loaded(mut back) = load(&text) else { unreachable!() };
    assert_eq!(back.undo_delete().unwrap(), empty);
    // Export leaves the trash out.
    assert!(import(&export(&ws)).unwrap().trash().is_none());
}

#[test]
fn stored_shape_is_the_documented_contract() {
    let doc = rich_doc();
    let w = &doc["workspaces"][0];
    assert_eq!(doc["active"], doc["workspaces"][1]["id"]);
    assert_eq!(w["scope"]["roles"], json!(["csc", "csp"]));
    assert_eq!(w["scope"]["providers"], json!(["aws", "gcp"]));
    assert_eq!(w["answers"]["11.2.7"]["applicability"], "excluded");
    assert_eq!(w["answers"]["11.2.7"]["justification"], "No physical equipment");
    assert_eq!(w["answers"]["CLD.9.5.1"]["status"], "implemented");
    assert_eq!(w["answers"]["CLD.9.5.1"]["target_date"], "2026-09-30");
    assert_eq!(w["decisions"][0]["kind"], "risk_accepted");
    assert_eq!(w["uploads"][0]["format"], "terraform_plan");
    assert_eq!(w["uploads"][0]["sha256"].as_str().unwrap().len(), 64);
    assert_eq!(w["uploads"][1]["format"], serde_json::Value::Null);
    assert_eq!(w["uploads"][0]["file_table"], json!(["plan.json"]));
    // Compact uploads: tables, and findings as rows of indices.
    let u = &w["uploads"][0];
    assert_eq!(u["check_table"][0], json!(["aws_s3_bucket_versioning", "high", ["12.3.1"]]));
    assert_eq!(u["kind_table"], json!([["aws", "object_bucket", "aws_s3_bucket"]]));
    assert_eq!(u["resource_table"][0], json!([0, 0, "aws_s3_bucket.logs", "aws_s3_bucket.logs", "/resource_changes/0/change/after", 3]));
    assert_eq!(u["condition_table"], json!([["versioning", "versioning is enabled"]]));
    assert_eq!(u["reason_table"], json!(["known after apply"]));
    let evidence = json!([[0, "./versioning", {"enabled": false, "list": [1, 2.5, null, "x"]}]]);
    assert_eq!(u["findings"][0], json!([0, 0, 1, "aws_s3_bucket.logs: aws_s3_bucket_versioning", null, evidence]));
    assert_eq!(u["findings"][1], json!([0, 1, 0, "aws_s3_bucket.data: aws_s3_bucket_versioning"]), "no evidence for a pass");
    assert_eq!(u["findings"][2][2], json!(2));
    assert_eq!(u["findings"][2][4], json!(0));
    assert!(w["uploads"][1].get("findings").is_none(), "empty tables are left out");
}

// ------------------------------------------------------------ broken input

#[test]
fn corrupted_json_is_kept_raw() {
    for text in ["{", "not json", "{\"version\":1,}", "\u{0}\u{1}binary", "{\"a\":1}}", "[]", "42", "\"text\"", "true"] {
        let e = corrupt(text);
        assert!(!e.to_string().is_empty());
        assert!(matches!(import(text), Err(ImportError::Invalid(_))), "{text}");
    }
}

#[test]
fn every_truncation_is_corrupt_never_a_panic() {
    let text = save(&rich());
    let mut truncated = 0;
    for cut in 1..text.len() {
        if !text.is_char_boundary(cut) {
            continue;
        }
        let part = &text[..cut];
        match load(part) {
            LoadOutcome::Corrupt { raw, error } => {
                assert_eq!(raw, part);
                if matches!(error, LoadError::Truncated { .. }) {
                    truncated += 1;
                }
            }
            other => panic!("cut at {cut} gave {other:?}"),
        }
        assert!(import(part).is_err());
    }
    assert!(truncated > text.len() / 2, "most cuts are named as truncation ({truncated})");
}

#[test]
fn newer_version_is_set_aside() {
    let text = v1(rich_doc(), |d| {
        d["version"] = json!(VERSION + 1);
        d["new_field"] = json!({"x": 1});
    });
    assert_eq!(load(&text), LoadOutcome::NewerVersion { raw: text.clone(), version: u64::from(VERSION) + 1 });
    let err = import(&text).unwrap_err();
    assert_eq!(err, ImportError::NewerVersion { version: u64::from(VERSION) + 1, supported: VERSION });
    assert!(err.to_string().contains("update the app"));
    let huge = r#"{"format":"iso27017-assessor/workspace","version":18446744073709551615}"#;
    assert!(matches!(load(huge), LoadOutcome::NewerVersion { .. }));
    assert!(matches!(corrupt(r#"{"format":"iso27017-assessor/workspace","version":1.5}"#), LoadError::BadVersion(_)));
}

#[test]
fn wrong_types_are_shape_errors_with_a_position() {
    let cases: Vec<(&str, Box<dyn Fn(&mut serde_json::Value)>)> = vec![
        ("created as text", Box::new(|d| d["workspaces"][0]["created"] = json!("yesterday"))),
        ("negative time", Box::new(|d| d["workspaces"][0]["modified"] = json!(-1))),
        ("status as number", Box::new(|d| d["workspaces"][0]["answers"]["CLD.9.5.1"]["status"] = json!(5))),
        ("unknown status", Box::new(|d| d["workspaces"][0]["answers"]["CLD.9.5.1"]["status"] = json!("done"))),
        ("unknown role", Box::new(|d| d["workspaces"][0]["scope"]["roles"] = json!(["auditor"]))),
        ("workspaces as object", Box::new(|d| d["workspaces"] = json!({}))),
        ("unknown field", Box::new(|d| d["workspaces"][0]["colour"] = json!("red"))),
        ("missing name", Box::new(|d| {
            d["workspaces"][0].as_object_mut().unwrap().remove("name");
        })),
        ("bad check id", Box::new(|d| d["workspaces"][0]["decisions"][0]["check"] = json!("Not A Check"))),
        ("bad finding control", Box::new(|d| d["workspaces"][0]["uploads"][0]["check_table"][0][2] = json!(["x.y"]))),
        ("unknown format token", Box::new(|d| d["workspaces"][0]["uploads"][0]["format"] = json!("excel"))),
        ("malformed answer key", Box::new(|d| d["workspaces"][0]["answers"]["abc"] = json!({"applicability": "applicable", "status": "implemented"}))),
        ("size as text", Box::new(|d| d["workspaces"][0]["uploads"][0]["size"] = json!("big"))),
    ];
    for (what, edit) in cases {
        let text = v1(rich_doc(), |d| edit(d));
        let e = corrupt(&text);
        assert!(matches!(e, LoadError::Shape { .. }), "{what}: {e:?}");
        assert!(matches!(import(&text), Err(ImportError::Invalid(LoadError::Shape { .. }))), "{what}");
    }
}

#[test]
fn invalid_values_name_where_they_are() {
    let cases: Vec<(&str, Box<dyn Fn(&mut serde_json::Value)>, &str)> = vec![
        ("impossible date", Box::new(|d| d["workspaces"][0]["answers"]["CLD.9.5.1"]["target_date"] = json!("2026-02-30")), "2026-02-30"),
        ("date with time", Box::new(|d| d["workspaces"][0]["decisions"][0]["expires"] = json!("2026-12-31T00:00:00Z")), "decision 1"),
        ("bad id", Box::new(|d| d["workspaces"][0]["id"] = json!("<img src=x>")), "not a valid assessment id"),
        ("duplicate id", Box::new(|d| d["workspaces"][1]["id"] = d["workspaces"][0]["id"].clone()), "share the id"),
        ("active missing", Box::new(|d| d["active"] = json!("ws-ghost")), "ws-ghost"),
        ("empty name", Box::new(|d| d["workspaces"][0]["name"] = json!("  ")), "name is empty"),
        ("name with newline", Box::new(|d| d["workspaces"][0]["name"] = json!("a\nb")), "control character"),
        ("bad sha", Box::new(|d| d["workspaces"][0]["uploads"][0]["sha256"] = json!("abc")), "SHA-256"),
        ("wrong format tag", Box::new(|d| d["format"] = json!("iso27017-assessor/catalog")), "not an iso27017-assessor workspace"),
    ];
    for (what, edit, needle) in cases {
        let text = v1(rich_doc(), |d| edit(d));
        let e = corrupt(&text);
        assert!(e.to_string().contains(needle), "{what}: {e}");
        let ie = import(&text).unwrap_err();
        assert!(ie.to_string().contains(needle), "{what}: {ie}");
    }
}

#[test]
fn unknown_control_ids_are_refused() {
    let answer = v1(rich_doc(), |d| {
        d["workspaces"][0]["answers"]["99.9.9"] = json!({"applicability": "applicable", "status": "implemented"})
    });
    let e = import(&answer).unwrap_err();
    assert!(e.to_string().contains("99.9.9 is not a control of ISO/IEC 27017:2015"), "{e}");
    assert!(e.to_string().contains("assessment 1"), "{e}");
    let finding = v1(rich_doc(), |d| d["workspaces"][0]["uploads"][0]["check_table"][0][2] = json!(["CLD.99.1.1"]));
    assert!(import(&finding).unwrap_err().to_string().contains("CLD.99.1.1"));
    assert!(matches!(corrupt(&finding), LoadError::Invalid { source: WorkspaceError::UnknownControl(_), .. }));
}

#[test]
fn hostile_sizes_are_refused() {
    // Total input over 5 MB: refused before parsing.
    let big = format!("{{\"pad\":\"{}\"}}", "x".repeat(MAX_IMPORT_BYTES));
    assert!(matches!(import(&big), Err(ImportError::TooLarge { max: MAX_IMPORT_BYTES, .. })));
    // Notes over 100 KB.
    let notes = v1(rich_doc(), |d| d["workspaces"][0]["answers"]["CLD.9.5.1"]["notes_md"] = json!("n".repeat(MAX_NOTES_BYTES + 1)));
    let e = import(&notes).unwrap_err();
    assert!(e.to_string().contains("100 KB"), "{e}");
    assert!(matches!(corrupt(&notes), LoadError::Invalid { source: WorkspaceError::NotesTooLong { .. }, .. }));
    // Exactly 100 KB is fine.
    let ok = v1(rich_doc(), |d| d["workspaces"][0]["answers"]["CLD.9.5.1"]["notes_md"] = json!("n".repeat(MAX_NOTES_BYTES)));
    assert!(import(&ok).is_ok());
    // Other text over 10 KB.
    let owner = v1(rich_doc(), |d| d["workspaces"][0]["answers"]["CLD.9.5.1"]["owner"] = json!("o".repeat(MAX_TEXT_BYTES + 1)));
    assert!(import(&owner).unwrap_err().to_string().contains("owner of CLD.9.5.1"));
    // Deep nesting inside evidence: a parse error, not a stack overflow.
    let deep = v1(rich_doc(), |d| {
        d["workspaces"][0]["uploads"][0]["findings"][0] = json!([0, 0, 1, null, null, [[0, "", "DEEP"]]]);
    })
    .replacen("\"DEEP\"", &format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)), 1);
    assert!(matches!(load(&deep), LoadOutcome::Corrupt { .. }));
    assert!(import(&deep).is_err());
    // Huge numbers where counts go.
    let huge = v1(rich_doc(), |d| d["workspaces"][0]["uploads"][0]["resources"] = json!(1e300));
    assert!(import(&huge).is_err());
}

#[test]
fn version_0_is_migrated() {
    let v0 = json!({
        "version": 0,
        "name": "Prototype",
        "saved_at": 1_700_000_000_000u64,
        "scope": {"organisation": "Acme", "roles": ["csc"], "service_models": ["saas"]},
        "answers": {
            "9.1.2": {"status": "partial", "notes": "half done"},
            "CLD.12.1.5": {"status": "implemented"}
        }
    })
    .to_string();
    let LoadOutcome::Migrated(ws, 0) = load(&v0) else { panic!("{:?}", load(&v0)) };
    assert_eq!(ws.list().len(), 1);
    let w = ws.active().unwrap();
    assert_eq!(w.name(), "Prototype");
    assert_eq!(w.created(), 1_700_000_000_000);
    assert_eq!(w.answer(&cid("9.1.2")).status, ManualStatus::PartiallyImplemented);
    assert_eq!(w.answer(&cid("9.1.2")).notes_md, "half done");
    assert_eq!(w.answer(&cid("CLD.12.1.5")).status, ManualStatus::Implemented);
    assert_eq!(import(&v0).unwrap(), ws, "import migrates too");
    // An unknown control in version 0 is refused like in version 1.
    let bad = v0.replace("9.1.2", "99.1.2");
    assert!(matches!(corrupt(&bad), LoadError::Invalid { .. }));
}

// ------------------------------------------------------------ the roll-up

#[test]
fn roll_up_table() {
    use ManualStatus as M;
    use Outcome as O;
    use Status as S;
    let rows: &[(bool, M, S, O)] = &[
        (true, M::Implemented, S::Fail, O::NotApplicable),
        (true, M::NotAssessed, S::Pass, O::NotApplicable),
        (false, M::Implemented, S::Fail, O::NotMetAutomated),
        (false, M::NotAssessed, S::Fail, O::NotMetAutomated),
        (false, M::NotApplicable, S::Fail, O::NotMetAutomated),
        (false, M::NotImplemented, S::Pass, O::NotMet),
        (false, M::NotImplemented, S::NotApplicable, O::NotMet),
        (false, M::PartiallyImplemented, S::Pass, O::PartiallyMet),
        (false, M::PartiallyImplemented, S::Indeterminate, O::PartiallyMet),
        (false, M::Implemented, S::Pass, O::Met),
        (false, M::Implemented, S::NotApplicable, O::Met),
        (false, M::Implemented, S::Indeterminate, O::MetWithOpenQuestions),
        (false, M::NotApplicable, S::Pass, O::NotApplicable),
        (false, M::NotAssessed, S::Pass, O::AutomatedPassNeedsReview),
        (false, M::NotAssessed, S::Indeterminate, O::AutomatedUnknownNeedsReview),
        (false, M::NotAssessed, S::NotApplicable, O::NotAssessed),
    ];
    for &(excluded, m, s, want) in rows {
        let app = if excluded { Applicability::Excluded { justification: "j".into() } } else { Applicability::Applicable };
        assert_eq!(combine(&app, m, s, false), want, "{excluded} {m:?} {s:?}");
    }
    assert_eq!(RULE.len(), 8, "seven steps for the customer's answer, one for the provider part");
    assert_eq!(Outcome::ALL.len(), 12);
}

#[test]
fn roll_up_with_waivers_over_time() {
    let mut ws = rich();
    let prod = ws.list()[0].id().clone();
    let w = ws.get_mut(&prod).unwrap();
    let c1231 = cid("12.3.1");
    w.set_answer(&c1231, ControlAnswer { status: ManualStatus::Implemented, ..Default::default() }, NOW).unwrap();
    // The accepted risk on the logs bucket expires 2026-12-31.
    let before = w.roll_up(&c1231, day("2026-12-30"));
    assert_eq!((before.outcome, before.accepted, before.fail, before.pass), (Outcome::Met, 1, 0, 1));
    let on = w.roll_up(&c1231, day("2026-12-31"));
    assert_eq!((on.outcome, on.expired, on.fail), (Outcome::NotMetAutomated, 1, 1));
    assert_eq!(day("2026-12-31"), days_from_civil(2026, 12, 31));
    // Excluded wins even over an expired waiver.
    w.set_answer(
        &c1231,
        ControlAnswer { applicable: Applicability::Excluded { justification: "x".into() }, ..Default::default() },
        NOW,
    )
    .unwrap();
    assert_eq!(w.roll_up(&c1231, day("2027-01-01")).outcome, Outcome::NotApplicable);
    // A finding mapped to two controls counts for both.
    let all = w.roll_up_all(day("2026-01-01"));
    let get = |id: &str| all.iter().find(|(c, _)| c.as_str() == id).unwrap().1;
    assert_eq!(get("CLD.9.5.1").outcome, Outcome::MetWithOpenQuestions);
    assert_eq!(get("10.1.1").outcome, Outcome::AutomatedUnknownNeedsReview);
    assert_eq!(get("5.1.1").outcome, Outcome::NotAssessed);
    // Revoking the decision makes the failure count again at once.
    let check = "aws_s3_bucket_versioning".parse().unwrap();
    assert!(w.revoke_decision(&check, "aws_s3_bucket.logs", NOW));
    w.set_answer(&c1231, ControlAnswer::default(), NOW).unwrap();
    assert_eq!(w.roll_up(&c1231, day("2026-01-01")).outcome, Outcome::NotMetAutomated);
}

// ------------------------------------------------------------ version 1 fixture

/// The workspace behind `tests/fixtures/workspace/v1_saved.json`, which was
/// written by `save` of the version-1 build (commit 02075bd): `rich()` plus
/// real assessments of a Terraform plan and a Kubernetes YAML (line numbers),
/// a finding of a check this build does not bundle (its message is kept as
/// text), and the trash slot.
fn v1_fixture_workspace() -> Workspaces {
    use iso27017::checks::{Context, RuleSet};
    use iso27017::ingest::Limits;
    use iso27017::workspace::transfer::assess_file;
    // What the version-1 build made of each file: its resource count and the
    // checks it bundled (later builds read more resources and bundle more checks).
    let saved: serde_json::Value = serde_json::from_str(include_str!("fixtures/workspace/v1_saved.json")).unwrap();
    let v1_upload = |name: &str| -> (usize, Vec<String>) {
        let u = saved["workspaces"].as_array().into_iter().flatten().flat_map(|w| w["uploads"].as_array().into_iter().flatten()).find(|u| u["name"] == name).unwrap();
        let checks = u["findings"].as_array().into_iter().flatten().filter_map(|f| f["check"].as_str().map(str::to_string)).collect();
        (u["resources"].as_u64().unwrap() as usize, checks)
    };
    let mut ws = rich();
    let prod = ws.list()[0].id().clone();
    let ctx = Context::on(2026, 6, 1);
    let w = ws.get_mut(&prod).unwrap();
    for (name, bytes) in [
        ("full_compute_firewall.tfplan.json", &include_bytes!("fixtures/ingest/terraform/full_compute_firewall.tfplan.json")[..]),
        ("kube-score_list.yaml", &include_bytes!("fixtures/ingest/k8s/kube-score_list.yaml")[..]),
    ] {
        let mut o = assess_file(name, bytes, &Limits::default(), RuleSet::bundled(), &ctx, &mut |_| {});
        let (resources, checks) = v1_upload(name);
        o.record.findings.retain(|f| checks.iter().any(|c| c == f.check.as_str()));
        o.record.resources = resources;
        assert!(!o.record.findings.is_empty(), "{name}");
        w.upsert_upload(o.record, NOW + 10).unwrap();
    }
    let mut custom = finding("custom_retired_check", "bucket-x", Status::Fail, &["12.4.1"]);
    custom.message = "bucket-x: a message no template makes".into();
    w.upsert_upload(UploadRecord::new("custom.json", b"[]", Some(Format::AwsConfig), 1, 0, vec![custom]), NOW + 11).unwrap();
    let trash = ws.create("Deleted one", NOW + 12).unwrap();
    ws.delete(&trash).unwrap();
    ws
}

#[test]
fn version_1_fixture_is_migrated() {
    let text = include_str!("fixtures/workspace/v1_saved.json");
    assert!(text.contains("\"version\":1"));
    let LoadOutcome::Migrated(ws, 1) = load(text) else { panic!("{:?}", load(text)) };
    assert_eq!(ws, v1_fixture_workspace(), "the same workspace, minus the evidence of passing findings");
    assert!(ws.trash().is_some(), "the trash slot survives");
    let w = &ws.list()[0];
    let findings: Vec<&Finding> = w.findings().collect();
    assert!(findings.iter().any(|f| f.status == Status::Fail && !f.evidence.is_empty()), "fail evidence kept");
    assert!(findings.iter().filter(|f| f.status == Status::Pass).all(|f| f.evidence.is_empty()), "pass evidence dropped");
    assert!(findings.iter().any(|f| f.resource.source.line.is_some()), "YAML lines kept");
    let custom = findings.iter().find(|f| f.check.as_str() == "custom_retired_check").unwrap();
    assert_eq!(custom.message.to_string(), "bucket-x: a message no template makes");
    // The v1 document's messages equal the rebuilt ones.
    let raw: serde_json::Value = serde_json::from_str(text).unwrap();
    let v1_messages: Vec<&str> = raw["workspaces"][0]["uploads"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|u| u["findings"].as_array().unwrap().iter().map(|f| f["message"].as_str().unwrap()))
        .collect();
    assert_eq!(findings.iter().map(|f| f.message.to_string()).collect::<Vec<_>>(), v1_messages);
    // Import migrates too (without the trash); saving writes the current version, which loads as current.
    let imported = import(text).unwrap();
    assert_eq!(imported.list(), ws.list());
    let saved = save(&ws);
    assert!(saved.starts_with(&format!("{{\"format\":\"iso27017-assessor/workspace\",\"version\":{VERSION},")));
    assert!(saved.len() < text.len(), "{} < {}", saved.len(), text.len());
    assert_eq!(load(&saved), LoadOutcome::Loaded(ws.clone()));
    assert_eq!(import(&export(&ws)).unwrap().list(), ws.list());
}

#[test]
fn every_fixture_assessment_round_trips() {
    use iso27017::checks::{Context, RuleSet};
    use iso27017::ingest::Limits;
    use iso27017::workspace::transfer::{assess_file, from_json, to_json};
    let mut ws = Workspaces::new();
    let id = ws.create("All fixtures", NOW).unwrap();
    let mut files = 0;
    let mut rebuilt = 0;
    for dir in std::fs::read_dir("tests/fixtures/ingest").unwrap() {
        for entry in std::fs::read_dir(dir.unwrap().path()).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "md") {
                continue;
            }
            let bytes = std::fs::read(&path).unwrap();
            let name = path.strip_prefix("tests/fixtures/ingest").unwrap().to_string_lossy().to_string();
            let o = assess_file(&name, &bytes, &Limits::default(), RuleSet::bundled(), &Context::on(2026, 6, 1), &mut |_| {});
            let wire = to_json(&o);
            assert_eq!(from_json(&wire).unwrap(), o, "{name}: transfer round trip");
            let doc: serde_json::Value = serde_json::from_str(&wire).unwrap();
            for row in doc["record"]["findings"].as_array().into_iter().flatten() {
                let r = row.as_array().unwrap();
                assert!((3..=6).contains(&r.len()), "{name}: {row}");
                if r.len() == 3 || r[3].is_null() {
                    rebuilt += 1;
                }
            }
            ws.get_mut(&id).unwrap().upsert_upload(o.record, NOW + files).unwrap();
            files += 1;
        }
    }
    assert!(files > 40, "{files}");
    let total = ws.active().unwrap().findings().count();
    assert!(total > 200 && rebuilt == total, "every bundled rule's message is rebuilt ({rebuilt} of {total})");
    assert_eq!(import(&export(&ws)).unwrap(), ws);
    assert_eq!(load(&save(&ws)), LoadOutcome::Loaded(ws.clone()));
    assert_eq!(export(&import(&export(&ws)).unwrap()), export(&ws));
}

#[test]
fn observed_null_and_absent_stay_apart() {
    let mut ws = rich();
    let prod = ws.list()[0].id().clone();
    let mut a = finding("x_check", "r1", Status::Fail, &["12.3.1"]);
    a.evidence[0].observed = Some(serde_json::Value::Null.into());
    let mut b = finding("x_check", "r2", Status::Indeterminate, &["12.3.1"]);
    b.evidence[0].observed = None;
    b.evidence[0].pointer = "".into();
    let mut c = finding("x_check", "r3", Status::Fail, &["12.3.1"]);
    c.evidence[0].pointer = "/elsewhere/entirely".into();
    c.resource = ResourceRef { source: SourceRef { file: "other.json".into(), pointer: String::new().into(), line: None }, ..(*c.resource).clone() }.into();
    let mut d = finding("x_check", "r4", Status::Fail, &["12.3.1"]);
    d.evidence.push(Evidence { pointer: ".not/a/pointer".into(), ..d.evidence[0].clone() });
    d.evidence.push(Evidence { pointer: "!bang".into(), ..d.evidence[0].clone() });
    d.evidence.push(Evidence { pointer: "/resource_changes/0/change/after".into(), ..d.evidence[0].clone() });
    let record = UploadRecord::new("x.json", b"x", Some(Format::AwsConfig), 3, 0, vec![a, b, c, d]);
    ws.get_mut(&prod).unwrap().upsert_upload(record, NOW + 20).unwrap();
    assert_eq!(import(&export(&ws)).unwrap(), ws);
    assert_eq!(load(&save(&ws)), LoadOutcome::Loaded(ws.clone()));
}

#[test]
fn hostile_compact_rows_are_shape_errors() {
    fn up(d: &mut serde_json::Value) -> &mut serde_json::Value {
        &mut d["workspaces"][0]["uploads"][0]
    }
    let cases: Vec<(&str, Box<dyn Fn(&mut serde_json::Value)>, &str)> = vec![
        ("check index", Box::new(|d| up(d)["findings"][0][0] = json!(99)), "check table"),
        ("resource index", Box::new(|d| up(d)["findings"][0][1] = json!(99)), "resource table"),
        ("reason index", Box::new(|d| up(d)["findings"][2][4] = json!(7)), "reason table"),
        ("condition index", Box::new(|d| up(d)["findings"][0][5][0][0] = json!(3)), "condition table"),
        ("kind index", Box::new(|d| up(d)["resource_table"][0][0] = json!(4)), "kind table"),
        ("file index", Box::new(|d| up(d)["resource_table"][1][1] = json!(4)), "file table"),
        ("unknown status", Box::new(|d| up(d)["findings"][0][2] = json!(9)), "status code"),
        ("huge status", Box::new(|d| up(d)["findings"][0][2] = json!(u64::MAX)), "status code"),
        ("status as token", Box::new(|d| up(d)["findings"][0][2] = json!("fail")), "expected u64"),
        ("negative index", Box::new(|d| up(d)["findings"][0][0] = json!(-1)), "expected usize"),
        ("fractional index", Box::new(|d| up(d)["findings"][0][1] = json!(0.5)), "expected usize"),
        ("short row", Box::new(|d| up(d)["findings"][0] = json!([0, 0])), "3 to 6 items"),
        ("empty row", Box::new(|d| up(d)["findings"][0] = json!([])), "3 to 6 items"),
        ("long row", Box::new(|d| up(d)["findings"][1] = json!([0, 1, 0, null, null, [], 1])), "3 to 6 items"),
        ("row as object", Box::new(|d| up(d)["findings"][0] = json!({"check": 0})), "finding row"),
        ("message as number", Box::new(|d| up(d)["findings"][1] = json!([0, 1, 0, 5])), "expected a string"),
        ("short evidence", Box::new(|d| up(d)["findings"][0][5][0] = json!([0])), "2 or 3 items"),
        ("long evidence", Box::new(|d| up(d)["findings"][0][5][0] = json!([0, "", 1, 2])), "2 or 3 items"),
        ("short resource", Box::new(|d| up(d)["resource_table"][0] = json!([0, 0, "a"])), "invalid length"),
        ("unknown severity", Box::new(|d| up(d)["check_table"][0][1] = json!("severe")), "critical"),
        ("unknown provider", Box::new(|d| up(d)["kind_table"][0][0] = json!("oracle")), "oracle"),
        ("unknown table", Box::new(|d| up(d)["extra_table"] = json!([])), "extra_table"),
    ];
    for (what, edit, needle) in cases {
        let text = v1(rich_doc(), |d| edit(d));
        let e = corrupt(&text);
        assert!(matches!(e, LoadError::Shape { .. }), "{what}: {e:?}");
        assert!(e.to_string().contains(needle), "{what}: {e}");
        assert!(matches!(import(&text), Err(ImportError::Invalid(LoadError::Shape { .. }))), "{what}");
        // The same upload, hostile, from the worker.
        let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
        let wire = json!({"record": doc["workspaces"][0]["uploads"][0], "diagnostics": []}).to_string();
        let e = iso27017::workspace::transfer::from_json(&wire).unwrap_err();
        assert!(e.to_string().contains(needle), "{what} (transfer): {e}");
    }
}

#[test]
fn a_rule_gone_from_the_build_still_gives_a_message() {
    let text = v1(rich_doc(), |d| {
        let u = &mut d["workspaces"][0]["uploads"][0];
        u["check_table"][0][0] = json!("retired_check_v1");
        u["findings"][0] = json!([0, 0, 1]);
    });
    let ws = import(&text).unwrap();
    let f = ws.list()[0].findings().next().unwrap();
    assert_eq!(f.message.to_string(), "aws_s3_bucket.logs: retired_check_v1: fail");
}
