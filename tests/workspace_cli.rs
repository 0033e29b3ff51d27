//! `iso27017 assess --workspace`: an assessment exported from the app brings
//! its decisions (waivers, risk acceptances) and its mappings of other
//! scanners' check ids to the command line, and `--write-workspace` brings the
//! run back to the app. The workspace files are made here as the app makes
//! them (`workspace::export` of a `Workspaces` changed through its setters).

use iso27017::workspace::{self, DecisionKind, FindingDecision, Workspaces};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BUCKET: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/ingest/aws-config/AWS_S3_Bucket.json");
const PROWLER: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/scanners/prowler_example_output_aws.ocsf.json");
const ARN: &str = "arn:aws:s3:::mborch-test-bucket-config-item";
/// The bucket's two high-severity failures.
const HIGH: [&str; 2] = ["object_bucket_public_access_blocked", "object_storage_encrypted_at_rest"];

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_iso27017")).args(args).output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

fn dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("iso27017-workspace-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// A workspace file with one assessment ("Production", active) in which
/// the bucket's high failures are waived (the first) and risk accepted (the
/// second) until 2026-07-01, and a second assessment; optionally a mapping.
fn workspace_file(at: &Path, mapping: Option<(&str, &[&str])>) -> String {
    let mut wss = Workspaces::new();
    let prod = wss.create("Production", 1).unwrap();
    let w = wss.get_mut(&prod).unwrap();
    for (check, kind) in HIGH.iter().zip([DecisionKind::Waived, DecisionKind::RiskAccepted]) {
        let d = FindingDecision {
            check: check.parse().unwrap(),
            resource_id: ARN.into(),
            kind,
            reason: format!("bucket {check} handled by the \"landing zone\""),
            expires: Some("2026-07-01".parse().unwrap()),
        };
        w.decide(d, 0, 2).unwrap();
    }
    if let Some((check, controls)) = mapping {
        w.set_mapping(check.parse().unwrap(), controls.iter().map(|c| c.parse().unwrap()).collect(), 3).unwrap();
    }
    wss.create("Staging", 4).unwrap();
    wss.set_active(&prod).unwrap();
    let path = at.join("assessment.json");
    std::fs::write(&path, workspace::export(&wss)).unwrap();
    path.to_str().unwrap().to_string()
}

fn json_findings(text: &str) -> Vec<Value> {
    let doc: Value = serde_json::from_str(text).unwrap();
    doc["findings"].as_array().unwrap().clone()
}

#[test]
fn decisions_in_force_are_reported_and_do_not_fail_the_build() {
    let d = dir("in-force");
    let ws = workspace_file(&d, None);
    // Without the workspace, the high failures fail the build.
    let plain = run(&["assess", BUCKET, "--fail-on", "high", "--today", "2026-06-15"]);
    assert_eq!(plain.status.code(), Some(1), "{}", stderr(&plain));
    // With it, they are decided: exit 0 at --fail-on high, still 1 at low.
    let table = run(&["assess", BUCKET, "--workspace", &ws, "--fail-on", "high", "--today", "2026-06-15"]);
    assert_eq!(table.status.code(), Some(0), "{}", stderr(&table));
    let text = stdout(&table);
    assert!(text.contains("WAIVED   High          object_bucket_public_access_blocked"), "{text}");
    assert!(text.contains("ACCEPTED High          object_storage_encrypted_at_rest"), "{text}");
    assert!(text.contains("(waived until 2026-07-01: bucket object_bucket_public_access_blocked handled by the \"landing zone\")"), "{text}");
    assert!(text.contains("3 failed, 2 passed, 2 unknown;"), "{text}");
    assert!(text.contains("2 failing finding(s) waived or risk accepted (not counted as failed); 0 with an expired decision"), "{text}");
    let low = run(&["assess", BUCKET, "--workspace", &ws, "--fail-on", "low", "--today", "2026-06-15"]);
    assert_eq!(low.status.code(), Some(1));

    // JSON: the decision on the finding, the summary without them.
    let json = run(&["assess", BUCKET, "--workspace", &ws, "-f", "json", "--today", "2026-06-15"]);
    let text = stdout(&json);
    let doc: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(doc["summary"]["fail"], 3);
    let decided: Vec<Value> = json_findings(&text).into_iter().filter(|f| f.get("decision").is_some()).collect();
    assert_eq!(decided.len(), 2);
    let waived = decided.iter().find(|f| f["check"] == HIGH[0]).unwrap();
    assert_eq!(waived["status"], "fail", "the finding keeps its status");
    assert_eq!(
        waived["decision"],
        serde_json::json!({"kind": "waived", "reason": "bucket object_bucket_public_access_blocked handled by the \"landing zone\"", "expires": "2026-07-01", "in_force": true})
    );
    assert_eq!(decided.iter().find(|f| f["check"] == HIGH[1]).unwrap()["decision"]["kind"], "risk_accepted");
    // A control whose only failure is waived no longer fails: its pass decides.
    let c941 = doc["controls"].as_array().unwrap().iter().find(|c| c["id"] == "9.4.1").unwrap();
    assert_eq!((c941["status"].as_str(), c941["fail"].as_u64(), c941["pass"].as_u64()), (Some("pass"), Some(0), Some(1)), "{c941}");
    // With every pass too (the serde path), the same decision.
    let full = run(&["assess", BUCKET, "--workspace", &ws, "-f", "json", "--include-passed", "--today", "2026-06-15"]);
    let full = json_findings(&stdout(&full));
    assert_eq!(full.iter().find(|f| f["check"] == HIGH[0]).unwrap()["decision"], waived["decision"]);

    // SARIF: decided results are suppressed (external, accepted, the reason).
    let sarif = run(&["assess", BUCKET, "--workspace", &ws, "-f", "sarif", "--today", "2026-06-15"]);
    let log: Value = serde_json::from_str(&stdout(&sarif)).unwrap();
    let results = log["runs"][0]["results"].as_array().unwrap();
    let suppressed: Vec<&Value> = results.iter().filter(|r| r.get("suppressions").is_some()).collect();
    assert_eq!(suppressed.len(), 2);
    let s = suppressed.iter().find(|r| r["ruleId"] == HIGH[1]).unwrap();
    assert_eq!(
        s["suppressions"],
        serde_json::json!([{"kind": "external", "status": "accepted", "justification": "risk accepted until 2026-07-01: bucket object_storage_encrypted_at_rest handled by the \"landing zone\""}])
    );

    // Markdown names the decision, escaped.
    let md = stdout(&run(&["assess", BUCKET, "--workspace", &ws, "-f", "markdown", "--today", "2026-06-15"]));
    assert!(md.contains("— **waived until 2026-07-01: bucket object\\_bucket\\_public\\_access\\_blocked handled by the \"landing zone\"**"), "{md}");
}

#[test]
fn an_expired_decision_fails_again_and_says_since_when() {
    let d = dir("expired");
    let ws = workspace_file(&d, None);
    // On the expiry date itself the decision no longer holds (as in the app).
    let table = run(&["assess", BUCKET, "--workspace", &ws, "--fail-on", "high", "--today", "2026-07-01"]);
    assert_eq!(table.status.code(), Some(1));
    let text = stdout(&table);
    assert!(text.contains("FAIL     High          object_bucket_public_access_blocked"), "{text}");
    assert!(text.contains("(waiver expired on 2026-07-01: "), "{text}");
    assert!(text.contains("(risk acceptance expired on 2026-07-01: "), "{text}");
    assert!(text.contains("5 failed,"), "{text}");
    assert!(text.contains("0 failing finding(s) waived or risk accepted (not counted as failed); 2 with an expired decision (failing again)."), "{text}");
    let sarif = run(&["assess", BUCKET, "--workspace", &ws, "-f", "sarif", "--today", "2026-07-01"]);
    let log: Value = serde_json::from_str(&stdout(&sarif)).unwrap();
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert!(results.iter().all(|r| r.get("suppressions").is_none()));
    let r = results.iter().find(|r| r["ruleId"] == HIGH[0]).unwrap();
    assert!(r["message"]["text"].as_str().unwrap().ends_with("(waiver expired on 2026-07-01: bucket object_bucket_public_access_blocked handled by the \"landing zone\")"), "{r}");
    let json = stdout(&run(&["assess", BUCKET, "--workspace", &ws, "-f", "json", "--today", "2026-07-01"]));
    let f = json_findings(&json).into_iter().find(|f| f["check"] == HIGH[0]).unwrap();
    assert_eq!(f["decision"]["in_force"], false);
    let md = stdout(&run(&["assess", BUCKET, "--workspace", &ws, "-f", "markdown", "--today", "2026-07-01"]));
    assert!(md.contains("— **fails again**: waiver expired on 2026-07-01"), "{md}");
}

#[test]
fn the_assessment_is_chosen_by_id_or_name_and_an_unknown_one_is_named() {
    let d = dir("choose");
    let ws = workspace_file(&d, None);
    // "Staging" has no decisions: the failures count.
    let staging = run(&["assess", BUCKET, "--workspace", &ws, "--assessment", "Staging", "--fail-on", "high", "--today", "2026-06-15"]);
    assert_eq!(staging.status.code(), Some(1));
    let missing = run(&["assess", BUCKET, "--workspace", &ws, "--assessment", "Nope", "--today", "2026-06-15"]);
    assert_eq!(missing.status.code(), Some(2));
    let err = stderr(&missing);
    assert!(err.contains("no assessment with id or name \"Nope\"") && err.contains("\"Production\"") && err.contains("\"Staging\""), "{err}");
    // A file without assessments: nothing to choose from.
    let empty = d.join("empty.json");
    std::fs::write(&empty, workspace::export(&Workspaces::new())).unwrap();
    let o = run(&["assess", BUCKET, "--workspace", empty.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("the file has: none"), "{}", stderr(&o));
    // Not a workspace.
    let o = run(&["assess", BUCKET, "--workspace", BUCKET]);
    assert_eq!(o.status.code(), Some(2));
    // --assessment and --write-workspace need --workspace.
    assert_eq!(run(&["assess", BUCKET, "--assessment", "x"]).status.code(), Some(2));
    assert_eq!(run(&["assess", BUCKET, "--write-workspace", "x.json"]).status.code(), Some(2));
}

#[test]
fn write_workspace_records_the_run_and_never_replaces_the_input_unasked() {
    let d = dir("write");
    let ws = workspace_file(&d, None);
    let before = std::fs::read_to_string(&ws).unwrap();
    // The input itself: refused, untouched.
    let o = run(&["assess", BUCKET, "--workspace", &ws, "--write-workspace", &ws, "--today", "2026-06-15"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("is the --workspace file itself"), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&ws).unwrap(), before);
    // Another file: the assessment with this run's upload, the rest kept.
    let out = d.join("updated.json");
    let o = run(&["assess", BUCKET, PROWLER, "--workspace", &ws, "--write-workspace", out.to_str().unwrap(), "--fail-on", "none", "--today", "2026-06-15"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = std::fs::read_to_string(&out).unwrap();
    let wss = workspace::import_own(&text).unwrap();
    assert_eq!(wss.list().len(), 2);
    let prod = wss.active().unwrap();
    assert_eq!(prod.name(), "Production");
    assert_eq!(prod.decisions().len(), 2, "decisions kept");
    let names: Vec<&str> = prod.uploads().iter().map(|u| u.name.as_str()).collect();
    assert_eq!(names, ["AWS_S3_Bucket.json", "prowler_example_output_aws.ocsf.json"], "named as the app names a dropped file");
    let bytes = std::fs::read(BUCKET).unwrap();
    let bucket = &prod.uploads()[0];
    assert_eq!((bucket.size, bucket.sha256.as_str()), (bytes.len() as u64, workspace::sha256_hex(&bytes).as_str()));
    // The findings the app would show: those of `--format workspace` for the same files.
    let same = run(&["assess", BUCKET, PROWLER, "--format", "workspace", "--today", "2026-06-15"]);
    assert_eq!(same.status.code(), Some(1));
    let alone = workspace::import_own(&stdout(&same)).unwrap();
    let alone = alone.active().unwrap();
    for (u, v) in prod.uploads().iter().zip(alone.uploads()) {
        assert_eq!(u.findings.len(), v.findings.len(), "{}", u.name);
        assert!(u.findings.iter().zip(&v.findings).all(|(a, b)| a.check == b.check && a.status == b.status && a.resource.id == b.resource.id));
    }
    // The app's roll-up of the written workspace applies the waiver as the CLI did.
    let today = "2026-06-15".parse::<workspace::IsoDate>().unwrap().days();
    let r = prod.roll_up(&"9.4.1".parse().unwrap(), today);
    assert_eq!((r.accepted, r.fail), (1, 0));
    // Run again on the written file: the upload is replaced, not added.
    let again = d.join("again.json");
    let o = run(&["assess", BUCKET, "--workspace", out.to_str().unwrap(), "--write-workspace", again.to_str().unwrap(), "--fail-on", "none"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let wss = workspace::import_own(&std::fs::read_to_string(&again).unwrap()).unwrap();
    assert_eq!(wss.active().unwrap().uploads().len(), 2);
    // --force replaces the input.
    let o = run(&["assess", BUCKET, "--workspace", &ws, "--write-workspace", &ws, "--force", "--fail-on", "none"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(workspace::import_own(&std::fs::read_to_string(&ws).unwrap()).unwrap().active().unwrap().uploads().len(), 1);
    // Two inputs of one file name would be one upload: refused.
    let copy = d.join("sub");
    std::fs::create_dir_all(&copy).unwrap();
    std::fs::copy(BUCKET, copy.join("AWS_S3_Bucket.json")).unwrap();
    let o = run(&["assess", BUCKET, copy.join("AWS_S3_Bucket.json").to_str().unwrap(), "--workspace", &ws, "--write-workspace", d.join("x.json").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("two inputs are named AWS_S3_Bucket.json"), "{}", stderr(&o));
}

#[test]
fn the_workspace_mapping_gives_unmapped_imported_checks_their_controls() {
    let d = dir("mapping");
    let check = "prowler:accessanalyzer_enabled";
    let plain = stdout(&run(&["assess", PROWLER, "-f", "json", "--fail-on", "none"]));
    let f = json_findings(&plain).into_iter().find(|f| f["check"] == check).unwrap();
    assert_eq!(f["controls"], serde_json::json!([]));
    assert_eq!(f["imported"]["mapping"]["basis"], "unmapped");

    let ws = workspace_file(&d, Some((check, &["12.4.1", "CLD.12.4.5"])));
    let mapped = stdout(&run(&["assess", PROWLER, "--workspace", &ws, "-f", "json", "--fail-on", "none"]));
    let doc: Value = serde_json::from_str(&mapped).unwrap();
    let f = doc["findings"].as_array().unwrap().iter().find(|f| f["check"] == check).unwrap().clone();
    assert_eq!(f["controls"], serde_json::json!(["12.4.1", "CLD.12.4.5"]));
    assert_eq!(f["imported"]["mapping"]["basis"], "user");
    let c = doc["controls"].as_array().unwrap().iter().find(|c| c["id"] == "CLD.12.4.5").unwrap();
    assert!(c["checks"].as_array().unwrap().iter().any(|x| x == check), "{c}");
    let table = stdout(&run(&["assess", PROWLER, "--workspace", &ws, "--fail-on", "none"]));
    assert!(table.contains("5 imported finding(s): 1 mapped to controls, 4 unmapped"), "{table}");
}
