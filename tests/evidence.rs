//! Evidence per control, compensating measures and bulk decisions from
//! outside: the checklist's item ids are the guidance's, storage version 5
//! (migration from version 4, round trips, refusals), the progress rule,
//! "Met (compensated)" in the roll-up and in every export, and a batch of
//! decisions made and undone.

use iso27017::catalog::items::bundled_evidence_ids;
use iso27017::catalog::{EvidenceId, GuidanceSet};
use iso27017::checks::{Finding, ResourceRef, RuleSet};
use iso27017::inventory::{Provider, SourceRef};
use iso27017::model::{CheckId, ControlId, Severity, Status};
use iso27017::report::workspace_report::{csv_soa, markdown_report, oscal_assessment_results, SOA_COLUMNS};
use iso27017::report::Report;
use iso27017::share::{decode, encode, ShareOptions, ShareV1};
use iso27017::workspace::evidence::{AutomatedItem, BatchId, Compensation, EvidenceEntry, EvidenceRef, EvidenceStatus};
use iso27017::workspace::rollup::Outcome;
use iso27017::workspace::*;
use iso27017::Catalog;

const NOW: u64 = 1_780_000_000_000;
/// A version-4 document as the app saved it (an answer, a decision, an
/// upload with five findings), before evidence existed.
const FIXTURE_V4: &str = include_str!("fixtures/workspace/v4_saved.json");

fn cid(s: &str) -> ControlId {
    s.parse().unwrap()
}
fn e(n: u16) -> EvidenceId {
    EvidenceId::new(n).unwrap()
}
fn day(s: &str) -> i64 {
    s.parse::<IsoDate>().unwrap().days()
}
fn today() -> i64 {
    day("2026-06-01")
}

fn finding(check: &str, resource: &str, account: &str, status: Status, control: &str) -> Finding {
    Finding {
        check: check.parse().unwrap(),
        controls: vec![cid(control)].into(),
        status,
        severity: Severity::High,
        resource: ResourceRef {
            provider: Provider::Aws,
            kind: "object_bucket".into(),
            native_type: "aws_s3_bucket".into(),
            id: resource.into(),
            name: resource.into(),
            account: Some(account.into()),
            source: SourceRef { file: "plan.json".into(), pointer: "/0".into(), line: None },
        }
        .into(),
        message: format!("{resource} fails {check}").into(),
        reason: None,
        evidence: Default::default(),
        origin: None,
    }
}

/// One assessment: three failing buckets and one passing on 12.3.1, a
/// failing finding on 12.4.1.
fn workspaces() -> Workspaces {
    let mut ws = Workspaces::new();
    ws.create("Prod", NOW).unwrap();
    let w = ws.active_mut().unwrap();
    let fs = vec![
        finding("aws_s3_bucket_versioning", "b1", "111", Status::Fail, "12.3.1"),
        finding("aws_s3_bucket_versioning", "b2", "111", Status::Fail, "12.3.1"),
        finding("aws_s3_bucket_versioning", "b3", "222", Status::Fail, "12.3.1"),
        finding("aws_s3_bucket_versioning", "b4", "222", Status::Pass, "12.3.1"),
        finding("aws_s3_bucket_logging", "b1", "111", Status::Fail, "12.4.1"),
    ];
    w.upsert_upload(UploadRecord::new("plan.json", b"{}", None, 4, 0, fs), NOW).unwrap();
    w.set_answer(&cid("12.3.1"), ControlAnswer { status: ManualStatus::Implemented, owner: "Ops".into(), ..Default::default() }, NOW).unwrap();
    ws
}

fn file_ref() -> EvidenceRef {
    EvidenceRef::File { name: "backup-policy.pdf".into(), size: 1234, sha256: "ab".repeat(32) }
}

fn with_evidence() -> Workspaces {
    let mut ws = workspaces();
    let w = ws.active_mut().unwrap();
    let c = cid("12.3.1");
    let collected = EvidenceEntry {
        status: EvidenceStatus::Collected,
        reference: Some(file_ref()),
        collected_on: Some("2026-05-30".parse().unwrap()),
        collected_by: "Dana".into(),
    };
    w.set_evidence(&c, e(1), collected, NOW).unwrap();
    w.set_evidence(&c, e(2), EvidenceEntry { status: EvidenceStatus::Requested, reference: Some(EvidenceRef::Ticket("SEC-42".into())), ..Default::default() }, NOW).unwrap();
    w.set_evidence(&c, e(3), EvidenceEntry { status: EvidenceStatus::NotApplicable, reference: Some(EvidenceRef::Link("https://wiki.example/backup".into())), ..Default::default() }, NOW).unwrap();
    w.set_compensation(
        &c,
        Some(Compensation { justification: "Nightly snapshots | to a locked vault".into(), reviewer: "Kim".into(), reviewed_on: "2026-05-31".parse().unwrap() }),
        NOW,
    )
    .unwrap();
    ws
}

#[test]
fn checklist_items_are_the_guidance_evidence_items() {
    let guidance = GuidanceSet::bundled();
    for c in Catalog::bundled().controls() {
        let from_text: Vec<EvidenceId> = guidance.get(&c.id).map(|g| g.evidence_items.iter().map(|i| i.id).collect()).unwrap_or_default();
        let bundled: Vec<EvidenceId> = bundled_evidence_ids(&c.id).collect();
        assert_eq!(bundled, from_text, "{}", c.id);
        assert!(bundled.len() >= 3, "{}", c.id);
    }
    assert_eq!(bundled_evidence_ids(&cid("CLD.99.9.9")).count(), 0, "an unknown control has none");
}

#[test]
fn version_4_documents_migrate_with_empty_evidence() {
    assert!(FIXTURE_V4.contains("\"version\":4"));
    let LoadOutcome::Migrated(ws, 4) = load(FIXTURE_V4) else { panic!("not migrated: {:?}", load(FIXTURE_V4)) };
    let w = ws.active().unwrap();
    // Nothing lost: the answer, the decision, the upload and its findings.
    assert_eq!(w.answer(&cid("12.3.1")).owner, "Ops");
    assert_eq!(w.decisions().len(), 1);
    assert_eq!(w.findings().count(), 5);
    // The new data is empty.
    assert!(w.evidence().controls().is_empty());
    assert!(w.batches().is_empty());
    // Saved again it is version 5, and loads as current.
    let again = save(&ws);
    assert!(again.contains(&format!("\"version\":{}", store::VERSION)));
    assert_eq!(store::VERSION, 5);
    assert_eq!(load(&again), LoadOutcome::Loaded(ws.clone()));
    // A version-4 document never had evidence: one that has was changed by hand.
    let v4_with = save(&with_evidence()).replacen("\"version\":5", "\"version\":4", 1);
    assert!(matches!(load(&v4_with), LoadOutcome::Corrupt { error: LoadError::NotAWorkspace(_), .. }), "{:?}", load(&v4_with));
}

#[test]
fn evidence_compensation_and_batches_round_trip() {
    let mut ws = with_evidence();
    let w = ws.active_mut().unwrap();
    let targets = vec![("aws_s3_bucket_versioning".parse::<CheckId>().unwrap(), "b1".to_string())];
    w.decide_batch(&targets, DecisionKind::Waived, "false positive", Some("2026-12-31".parse().unwrap()), today(), NOW + 5).unwrap();
    let text = save(&ws);
    assert!(text.contains("\"evidence\":{\"12.3.1\""), "{text}");
    assert!(text.contains("\"decision_batches\":[{\"id\":\"b-"), "{text}");
    assert!(text.contains(&"ab".repeat(32)));
    assert_eq!(load(&text), LoadOutcome::Loaded(ws.clone()));
    assert_eq!(import(&export(&ws)).unwrap().list(), ws.list());
    // The browser's light save keeps them too.
    assert_eq!(ws.without_findings().active().unwrap().evidence(), ws.active().unwrap().evidence());
    // An untouched workspace writes neither field.
    assert!(!save(&workspaces()).contains("\"evidence\""));
    assert!(!save(&workspaces()).contains("decision_batches"));
}

#[test]
fn stored_evidence_is_validated() {
    let good = save(&with_evidence());
    let cases = [
        ("\"e1\":{", "\"e99\":{", "no evidence item e99"),
        ("\"e1\":{", "\"x1\":{", "not an evidence item id"),
        ("\"collected_on\":\"2026-05-30\"", "\"collected_on\":\"2026-02-30\"", "not a valid date"),
        ("\"reviewed_on\":\"2026-05-31\"", "\"reviewed_on\":\"yesterday\"", "not a valid date"),
        (&"ab".repeat(32), &"AB".repeat(32), "not a SHA-256 digest"),
        (",\"size\":1234", "", "needs its size and sha256"),
        ("\"reviewer\":\"Kim\"", "\"reviewer\":\"\"", "reviewer"),
        ("\"collected_by\":\"Dana\"", &format!("\"collected_by\":\"{}\"", "D".repeat(201)), "the limit is 200 bytes"),
        ("\"status\":\"collected\"", "\"status\":\"done\"", "wrong shape"),
    ];
    for (from, to, says) in cases {
        assert!(good.contains(from), "{from}");
        let bad = good.replacen(from, to, 1);
        match load(&bad) {
            LoadOutcome::Corrupt { error, .. } => assert!(error.to_string().contains(says), "{from} → {to}: {error}"),
            other => panic!("{from} → {to}: accepted: {other:?}"),
        }
    }
    // Evidence under a control that is not in the catalog.
    let bad = good.replacen("\"evidence\":{\"12.3.1\"", "\"evidence\":{\"99.9.9\"", 1);
    assert!(matches!(load(&bad), LoadOutcome::Corrupt { .. }));
}

#[test]
fn progress_counts_collected_items_and_the_automated_item() {
    let ws = with_evidence();
    let w = ws.active().unwrap();
    let c = cid("12.3.1");
    let items = bundled_evidence_ids(&c).count();
    let r = w.roll_up(&c, today());
    let auto = AutomatedItem::of_rollup(&c, &r).expect("12.3.1 has checks");
    assert_eq!(auto.label(), "Automated checks: 1 pass, 3 fail");
    assert!(!auto.collected(), "a failing check is not collected evidence, compensated or not");
    // e1 collected, e2 requested, e3 not applicable (not counted), + the automatic item.
    let p = w.evidence_progress(&c, Some(auto));
    assert_eq!((p.collected, p.total), (1, items - 1 + 1));
    assert_eq!(p.label(), format!("1 of {} collected", items));
    // Once no failure counts (all waived), the automatic item is collected.
    let mut ws2 = ws.clone();
    let w2 = ws2.active_mut().unwrap();
    let fails: Vec<(CheckId, String)> = ["b1", "b2", "b3"].iter().map(|b| ("aws_s3_bucket_versioning".parse().unwrap(), b.to_string())).collect();
    w2.decide_batch(&fails, DecisionKind::RiskAccepted, "accepted by the CISO", Some("2027-01-01".parse().unwrap()), today(), NOW).unwrap();
    let r2 = w2.roll_up(&c, today());
    assert!(AutomatedItem::of_rollup(&c, &r2).unwrap().collected());
    assert_eq!(w2.evidence_progress(&c, AutomatedItem::of_rollup(&c, &r2)).collected, 2);
    // A control no check covers has no automatic item; one not run is not collected.
    let org = cid("5.1.1");
    assert_eq!(AutomatedItem::of_rollup(&org, &w.roll_up(&org, today())), None);
    // Overall: the sum over the controls in the SoA; an excluded control drops out.
    let all = w.roll_up_all(today());
    let overall = w.evidence_progress_all(all.iter().map(|(c, r)| (c, r)));
    let sum: usize = all.iter().map(|(c, r)| w.evidence_progress(c, AutomatedItem::of_rollup(c, r)).total).sum();
    assert_eq!(overall.total, sum);
    let mut ws3 = ws.clone();
    let w3 = ws3.active_mut().unwrap();
    w3.set_answer(&c, ControlAnswer { applicable: Applicability::Excluded { justification: "no backups here".into() }, ..Default::default() }, NOW).unwrap();
    let all3 = w3.roll_up_all(today());
    assert_eq!(w3.evidence_progress_all(all3.iter().map(|(c, r)| (c, r))).total, sum - p.total);
    // The report shows the same figures.
    let report = Report::from_workspace(w, Catalog::bundled(), RuleSet::bundled(), today());
    assert_eq!(report.evidence_progress(), Some(overall));
}

#[test]
fn a_compensated_failure_is_met_compensated_everywhere() {
    let plain = workspaces();
    let c = cid("12.3.1");
    let today = today();
    assert_eq!(plain.active().unwrap().roll_up(&c, today).outcome, Outcome::NotMetAutomated, "the default: a failing finding overrides the answer");
    let ws = with_evidence();
    let w = ws.active().unwrap();
    assert_eq!(w.roll_up(&c, today).outcome, Outcome::MetCompensated);
    assert_eq!(w.roll_up_all(today).iter().find(|(id, _)| *id == c).unwrap().1.outcome, Outcome::MetCompensated);
    // Not implemented still says so: the compensation covers the automated result only.
    let mut ws2 = ws.clone();
    ws2.active_mut().unwrap().set_answer(&c, ControlAnswer { status: ManualStatus::NotImplemented, ..Default::default() }, NOW).unwrap();
    assert_eq!(ws2.active().unwrap().roll_up(&c, today).outcome, Outcome::NotMet);

    let report = Report::from_workspace(w, Catalog::bundled(), RuleSet::bundled(), today);
    let row = report.soa.iter().find(|r| r.control.id == c).unwrap();
    assert_eq!(row.outcome, Outcome::MetCompensated);
    assert_eq!(report.summary.outcomes.get(Outcome::MetCompensated), 1);
    // CSV SoA: outcome token and label, the compensation column.
    let csv = csv_soa(&report);
    let mut rdr = csv::Reader::from_reader(csv.as_bytes());
    let header: Vec<String> = rdr.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header, SOA_COLUMNS);
    let at = |name: &str| header.iter().position(|h| h == name).unwrap();
    let rec = rdr.records().map(Result::unwrap).find(|r| &r[0] == "12.3.1").unwrap();
    assert_eq!((&rec[at("outcome")], &rec[at("outcome_label")]), ("met_compensated", "Met (compensated)"));
    assert_eq!(&rec[at("compensation")], "Nightly snapshots | to a locked vault (reviewed by Kim on 2026-05-31)");
    assert_eq!(&rec[at("evidence_collected")], "1");
    // Markdown: the label, and the justification escaped inside the table.
    let md = markdown_report(&report);
    assert!(md.contains("| Met (compensated) | 1 |"), "{md}");
    assert!(md.contains("compensated: Nightly snapshots \\| to a locked vault (reviewed by Kim on 2026-05-31)"), "{md}");
    assert!(md.contains("Evidence: "));
    // OSCAL: satisfied, with the compensation as the finding's remarks.
    let oscal: serde_json::Value = serde_json::from_str(&oscal_assessment_results(&report, NOW)).unwrap();
    let findings = oscal["assessment-results"]["results"][0]["findings"].as_array().unwrap();
    let is_control = |f: &&serde_json::Value| f["props"].as_array().unwrap().iter().any(|p| p["name"] == "control" && p["value"] == "12.3.1");
    let f = findings.iter().find(is_control).unwrap();
    assert_eq!(f["target"]["status"]["state"], "satisfied");
    assert!(f["remarks"].as_str().unwrap().contains("reviewed by Kim"), "{f}");
    // The document with remarks still passes the OSCAL 1.1.2 models (when the validator is installed: `.ci/setup`).
    if let Some(python) = std::env::var("OSCAL_VALIDATOR").ok().filter(|v| !v.trim().is_empty()) {
        let dir = std::env::temp_dir().join(format!("iso27017-evidence-oscal-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("compensated.json");
        std::fs::write(&file, oscal_assessment_results(&report, NOW)).unwrap();
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/oscal/validate.py");
        let out = std::process::Command::new(python).arg(script).arg(&file).output().unwrap();
        assert!(out.status.success(), "{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    }
    // Share link: the outcome and the flag travel; the link's report shows the same.
    let share = ShareV1::from_workspace(w, today, &ShareOptions::default());
    let decoded = decode(&encode(&share).unwrap()).unwrap();
    let shared = Report::from_share(&decoded, Catalog::bundled(), RuleSet::bundled());
    assert_eq!(shared.summary, report.summary);
    assert_eq!(shared.soa.iter().find(|r| r.control.id == c).unwrap().outcome, Outcome::MetCompensated);
    // A link claiming a compensation that does not explain its outcome is refused.
    let mut forged = share.clone();
    forged.controls.iter_mut().find(|x| x.id == c).unwrap().compensated = false;
    assert!(forged.validate().is_err());
}

#[test]
fn a_batch_of_decisions_is_made_and_undone_as_one() {
    let mut ws = workspaces();
    let c = cid("12.3.1");
    let w = ws.active_mut().unwrap();
    // An earlier single decision on b3, which the batch replaces.
    let earlier = FindingDecision {
        check: "aws_s3_bucket_versioning".parse().unwrap(),
        resource_id: "b3".into(),
        kind: DecisionKind::RiskAccepted,
        reason: "earlier".into(),
        expires: Some("2026-09-01".parse().unwrap()),
    };
    w.decide(earlier.clone(), today(), NOW).unwrap();
    let before = w.roll_up(&c, today());
    assert_eq!((before.fail, before.accepted), (2, 1));
    let decisions_before = w.decisions().to_vec();

    let check: CheckId = "aws_s3_bucket_versioning".parse().unwrap();
    let selected: Vec<(CheckId, String)> = ["b1", "b2", "b3", "b1"].iter().map(|b| (check.clone(), b.to_string())).collect();
    let expiry = Some("2026-12-31".parse().unwrap());
    // Validation as for one decision, and nothing changes when refused.
    let refused = [
        w.clone().decide_batch(&selected, DecisionKind::Waived, "  ", expiry, today(), NOW).unwrap_err(),
        w.clone().decide_batch(&selected, DecisionKind::Waived, "why", None, today(), NOW).unwrap_err(),
        w.clone().decide_batch(&selected, DecisionKind::Waived, "why", Some("2026-06-01".parse().unwrap()), today(), NOW).unwrap_err(),
        w.clone().decide_batch(&[], DecisionKind::Waived, "why", expiry, today(), NOW).unwrap_err(),
        w.clone().decide_batch(&selected, DecisionKind::Waived, &"r".repeat(10_001), expiry, today(), NOW).unwrap_err(),
    ];
    assert!(matches!(refused[1], WorkspaceError::ExpiryMissing { .. }));
    assert!(matches!(refused[2], WorkspaceError::ExpiryNotInFuture { .. }));
    assert_eq!(w.decisions(), &decisions_before[..]);

    let id = w.decide_batch(&selected, DecisionKind::Waived, "compensated by the vault", expiry, today(), NOW + 10).unwrap();
    assert_eq!(id, BatchId(NOW + 10));
    // One ordinary decision per finding (the duplicate counted once).
    assert_eq!(w.decisions().len(), 3);
    assert!(w.decisions().iter().all(|d| d.kind == DecisionKind::Waived && d.reason == "compensated by the vault"));
    let after = w.roll_up(&c, today());
    assert_eq!((after.fail, after.accepted, after.outcome), (0, 3, Outcome::Met));
    assert_eq!(w.batches().len(), 1);
    assert_eq!(w.batches()[0].members.len(), 3);

    // Undo: exactly that batch, and b3's earlier decision is back.
    assert_eq!(w.undo_batch(id, NOW + 20).unwrap(), 3);
    assert_eq!(w.roll_up(&c, today()), before);
    assert_eq!(w.decisions(), &[earlier.clone()][..]);
    assert!(w.batches().is_empty());
    assert!(w.undo_batch(id, NOW + 21).is_err(), "a batch is undone once");

    // A finding decided again after the batch keeps its newer decision.
    let id = w.decide_batch(&selected, DecisionKind::Waived, "batch", expiry, today(), NOW + 30).unwrap();
    let newer = FindingDecision { reason: "looked at again".into(), ..earlier.clone() };
    let newer = FindingDecision { resource_id: "b2".into(), ..newer };
    w.decide(newer.clone(), today(), NOW + 31).unwrap();
    assert_eq!(w.undo_batch(id, NOW + 32).unwrap(), 2);
    let mut left: Vec<_> = w.decisions().to_vec();
    left.sort_by(|a, b| a.resource_id.cmp(&b.resource_id));
    assert_eq!(left, vec![newer, earlier]);
}

#[test]
fn only_recent_batches_are_kept() {
    let mut ws = workspaces();
    let w = ws.active_mut().unwrap();
    let t = vec![("aws_s3_bucket_logging".parse::<CheckId>().unwrap(), "b1".to_string())];
    for i in 0..25 {
        w.decide_batch(&t, DecisionKind::Waived, &format!("r{i}"), Some("2027-01-01".parse().unwrap()), today(), NOW + i).unwrap();
    }
    assert_eq!(w.batches().len(), iso27017::workspace::evidence::MAX_BATCHES);
    assert_eq!(w.batches()[0].reason, "r5");
    assert_eq!(w.decisions().len(), 1);
}
