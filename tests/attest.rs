//! What the provider covers and proves: provider attestations and inherited /
//! shared controls through storage (version 5, migrated from 4), the roll-up,
//! the report and its exports (Markdown, CSV, OSCAL validated like
//! `tests/exports.rs`, share links), and the Statement of Applicability in
//! ISO/IEC 27001:2022 Annex A terms (library and CLI).

use iso27017::checks::{days_from_civil, RuleSet};
use iso27017::inventory::Provider;
use iso27017::model::{ControlId, ServiceModel};
use iso27017::report::workspace_report::{
    csv_soa, markdown_report, oscal_assessment_results, soa2022_csv, soa2022_markdown, soa2022_rows, Provider2022, Status2022,
    SOA2022_COLUMNS, SOA2022_RULE, SOA_COLUMNS,
};
use iso27017::report::{ExportFormat, Report};
use iso27017::share::{decode, encode_fitting, ShareOptions, ShareV1, TARGET_FRAGMENT_LEN};
use iso27017::workspace::attest::{AttestProvider, AttestationDraft, DocumentType, Inheritance, Portal, ProviderPart};
use iso27017::workspace::rollup::Outcome;
use iso27017::workspace::*;
use iso27017::Catalog;
use std::path::Path;

const NOW: u64 = 1_780_300_800_000; // 2026-06-01T08:00:00Z

fn today() -> i64 {
    days_from_civil(2026, 6, 1)
}

fn id(s: &str) -> ControlId {
    s.parse().unwrap()
}

fn draft(expires: &str) -> AttestationDraft {
    AttestationDraft {
        provider: AttestProvider::Aws,
        provider_name: String::new(),
        document: DocumentType::Iso27001,
        document_name: String::new(),
        issuer: "EY CertifyPoint".into(),
        issued: "2025-11-01".parse().unwrap(),
        expires: expires.parse().unwrap(),
        services: vec!["Amazon EC2".into(), "Amazon S3".into()],
        regions: vec!["eu-central-1".into()],
        portal: Portal::AwsArtifact,
        reference: "=cmd|' /C calc'!A0 <script>".into(),
    }
}

/// An IaaS assessment on AWS with one attestation, the 11 proposed physical
/// controls inherited from it, 12.4.1 shared with it, and a few answers.
fn assessed(expires: &str) -> Workspaces {
    let mut wss = Workspaces::new();
    wss.create("Provider side", NOW).unwrap();
    let w = wss.active_mut().unwrap();
    w.set_scope(Scope { service_models: vec![ServiceModel::Iaas], providers: vec![Provider::Aws], ..Default::default() }, NOW).unwrap();
    let a = w.add_attestation(draft(expires), NOW).unwrap();
    let proposal = w.inherit_proposal(&a);
    w.inherit(&a, &proposal, NOW).unwrap();
    w.set_inheritance(&id("12.4.1"), Some(Inheritance { part: ProviderPart::Shared, attestations: vec![a] }), NOW).unwrap();
    w.set_answer(&id("12.4.1"), ControlAnswer { status: ManualStatus::Implemented, ..Default::default() }, NOW).unwrap();
    for c in ["5.1.1", "5.1.2"] {
        w.set_answer(&id(c), ControlAnswer { status: ManualStatus::Implemented, ..Default::default() }, NOW).unwrap();
    }
    let excluded = |j: &str| ControlAnswer {
        applicable: Applicability::Excluded { justification: j.into() },
        status: ManualStatus::NotApplicable,
        ..Default::default()
    };
    // 14.2.7 (outsourced development) alone maps to 8.30.
    w.set_answer(&id("14.2.7"), excluded("no outsourced development"), NOW).unwrap();
    w.set_answer(&id("6.1.2"), ControlAnswer { status: ManualStatus::NotImplemented, ..Default::default() }, NOW).unwrap();
    wss
}

fn report(w: &Workspace, day: i64) -> Report<'_> {
    Report::from_workspace(w, Catalog::bundled(), RuleSet::bundled(), day)
}

#[test]
fn a_version_4_document_migrates_with_nothing_lost_and_no_attestations() {
    let v4 = r#"{"format":"iso27017-assessor/workspace","version":4,"active":"ws-1","workspaces":[
      {"id":"ws-1","name":"Prod","created":1,"modified":2,
       "scope":{"organisation":"Acme","roles":["csc"],"service_models":["iaas"],"providers":["aws"]},
       "answers":{"11.1.1":{"applicability":"applicable","status":"implemented","owner":"Ops","notes_md":"badge logs"},
                  "9.1.2":{"applicability":"excluded","justification":"no network","status":"not_applicable"}},
       "decisions":[{"check":"aws_s3_bucket_versioning","resource_id":"b1","kind":"waived","reason":"r","expires":"2026-12-31"}],
       "uploads":[]}]}"#;
    let LoadOutcome::Migrated(wss, 4) = load(v4) else { panic!("{:?}", load(v4)) };
    let w = wss.active().unwrap();
    assert_eq!(w.name(), "Prod");
    assert_eq!(w.scope().providers, vec![Provider::Aws]);
    assert_eq!(w.answers().len(), 2);
    assert_eq!(w.answer(&id("11.1.1")).notes_md, "badge logs");
    assert_eq!(w.decisions().len(), 1);
    assert!(w.attestations().is_empty() && w.inherited().is_empty());
    // Saved again: version 5, and no empty provider object written.
    let saved = save(&wss);
    assert!(saved.starts_with("{\"format\":\"iso27017-assessor/workspace\",\"version\":5,"), "{saved}");
    assert!(!saved.contains("\"attest\""));
    assert_eq!(load(&saved), LoadOutcome::Loaded(wss.clone()));
    // A version-4 document never had provider attestations: refused, raw text kept.
    let edited = v4.replacen("\"uploads\":[]", "\"uploads\":[],\"attest\":{\"attestations\":[]}", 1);
    let with = save(&assessed("2027-01-31")).replacen("\"version\":5", "\"version\":4", 1);
    assert!(matches!(load(&with), LoadOutcome::Corrupt { error: LoadError::NotAWorkspace(_), .. }), "{:?}", load(&with));
    // An empty object is nothing: it migrates.
    assert!(matches!(load(&edited), LoadOutcome::Migrated(_, 4)), "{:?}", load(&edited));
}

#[test]
fn attestations_and_provider_parts_round_trip() {
    let wss = assessed("2027-01-31");
    let saved = save(&wss);
    assert!(saved.contains("\"attest\":{\"attestations\":[{\"id\":\"att-"), "{saved}");
    assert_eq!(load(&saved), LoadOutcome::Loaded(wss.clone()));
    let back = import(&export(&wss)).unwrap();
    assert_eq!(back.list(), wss.list());
    // What the browser saves on every change keeps them.
    assert_eq!(wss.without_findings().active().unwrap().attest(), wss.active().unwrap().attest());
    // Duplicating an assessment copies its provider side.
    let mut copy = wss.clone();
    let src = copy.active_id().unwrap().clone();
    let dup = copy.duplicate(&src, NOW + 1).unwrap();
    assert_eq!(copy.get(&dup).unwrap().inherited().len(), 12);
}

#[test]
fn stored_attestations_are_validated_like_the_setters() {
    let saved = save(&assessed("2027-01-31"));
    let att = saved.split("\"id\":\"att-").nth(1).unwrap().split('"').next().unwrap().to_string();
    let cases = [
        ("\"expires\":\"2027-01-31\"", "\"expires\":\"2027-02-30\""),
        ("\"expires\":\"2027-01-31\"", "\"expires\":\"2025-01-31\""),
        ("\"portal\":\"aws-artifact\"", "\"portal\":\"ftp\""),
        ("\"issuer\":\"EY CertifyPoint\"", "\"issuer\":\"\""),
        ("\"issuer\":\"EY CertifyPoint\"", "\"issuer\":\"EY\\nCertifyPoint\""),
        ("\"part\":\"shared\"", "\"part\":\"partly\""),
        ("\"regions\":[\"eu-central-1\"]", "\"regions\":[\"eu-central-1\"],\"extra\":1"),
    ];
    for (from, to) in cases {
        assert!(saved.contains(from), "{from}");
        let bad = saved.replacen(from, to, 1);
        assert!(matches!(load(&bad), LoadOutcome::Corrupt { .. }), "{to}: {:?}", load(&bad));
    }
    // A citation of an attestation that is not there.
    let bad = saved.replace(&format!("[\"att-{att}\"]"), "[\"att-missing\"]");
    assert!(matches!(load(&bad), LoadOutcome::Corrupt { .. }));
    let long = saved.replacen("\"issuer\":\"EY CertifyPoint\"", &format!("\"issuer\":\"{}\"", "x".repeat(201)), 1);
    assert!(matches!(load(&long), LoadOutcome::Corrupt { .. }));
}

#[test]
fn roll_up_and_report_separate_provider_and_customer_work() {
    let wss = assessed("2027-01-31");
    let w = wss.active().unwrap();
    let r = report(w, today());
    // Outcomes: inherited → covered; shared → the customer's answer.
    let all: std::collections::HashMap<_, _> = w.roll_up_all(today()).into_iter().collect();
    assert_eq!(all[&id("11.1.1")].outcome, Outcome::ProviderCovered);
    assert_eq!(all[&id("12.4.1")].outcome, Outcome::Met);
    for row in &r.soa {
        assert_eq!(row.outcome, all[&row.control.id].outcome, "{}", row.control.id);
    }
    let pc = r.summary.provider;
    assert_eq!((pc.provider, pc.shared, pc.review), (11, 1, 0));
    assert_eq!(pc.customer, 121 - 1 - 12, "121 controls, 1 excluded");
    assert_eq!(w.provider_counts(today()), pc);
    assert_eq!(r.summary.outcomes.get(Outcome::ProviderCovered), 11);
    assert!(r.summary.outcomes.met() >= 14);

    // The exports say so.
    let md = markdown_report(&r);
    assert!(md.contains("11 covered by a provider attestation, 1 shared with the provider, 108 the customer's own, 0 whose provider attestation needs review"), "{md}");
    assert!(md.contains("## Provider attestations"));
    assert!(md.contains("| AWS | ISO/IEC 27001 certificate | EY CertifyPoint | 2025-11-01 | 2027-01-31 |"));
    assert!(!md.contains("<script>"), "user text escaped");
    let csv = csv_soa(&r);
    let mut rd = csv::Reader::from_reader(csv.as_bytes());
    assert_eq!(rd.headers().unwrap().iter().collect::<Vec<_>>(), SOA_COLUMNS);
    let rows: Vec<csv::StringRecord> = rd.records().map(Result::unwrap).collect();
    let row = |c: &str| rows.iter().find(|x| &x[0] == c).unwrap().clone();
    let (part, detail) = (col(SOA_COLUMNS, "provider_part"), col(SOA_COLUMNS, "provider_detail"));
    assert_eq!(&row("11.1.1")[part], "inherited");
    assert!(row("11.1.1")[detail].contains("AWS ISO/IEC 27001 certificate (EY CertifyPoint, valid until 2027-01-31)"));
    assert_eq!(&row("12.4.1")[part], "shared");
    assert_eq!(&row("5.1.1")[part], "");

    // The attestation expires: its controls need review, with the message.
    let later = days_from_civil(2027, 2, 1);
    let r = report(w, later);
    let pc = r.summary.provider;
    assert_eq!((pc.provider, pc.shared, pc.review), (0, 0, 12));
    let all: std::collections::HashMap<_, _> = w.roll_up_all(later).into_iter().collect();
    assert_eq!(all[&id("11.1.1")].outcome, Outcome::ProviderReview);
    assert_eq!(all[&id("12.4.1")].outcome, Outcome::ProviderReview);
    let csv = csv_soa(&r);
    let line = csv.lines().find(|l| l.starts_with("11.1.1,")).unwrap();
    assert!(line.contains("inherited-review") && line.contains("expired on 2027-01-31"), "{line}");
    let msg = w.coverage(&id("11.2.5"), later).message().unwrap();
    assert_eq!(msg, "Provider attestation needs review: AWS ISO/IEC 27001 certificate (EY CertifyPoint, valid until 2027-01-31) expired on 2027-01-31.");
}

#[test]
fn share_links_carry_the_provider_part() {
    for day in [today(), days_from_civil(2027, 2, 1)] {
        let wss = assessed("2027-01-31");
        let w = wss.active().unwrap();
        let share = ShareV1::from_workspace(w, day, &ShareOptions::default());
        let decoded = decode(&encode_fitting(&share, TARGET_FRAGMENT_LEN).unwrap().link).unwrap();
        let sr = Report::from_share(&decoded, Catalog::bundled(), RuleSet::bundled());
        let r = report(w, day);
        assert_eq!(sr.summary, r.summary, "the shared view reads the same");
        let csv = soa2022_csv(&sr);
        assert_eq!(csv, soa2022_csv(&r), "the 2022 SoA of a link equals the original's");
    }
    // A link claiming a covered control without a provider part is refused.
    let wss = assessed("2027-01-31");
    let mut share = ShareV1::from_workspace(wss.active().unwrap(), today(), &ShareOptions::default());
    let c = share.controls.iter_mut().find(|c| c.id == id("11.1.1")).unwrap();
    c.provider = None;
    assert!(share.validate().is_err());
}

#[test]
fn oscal_marks_inherited_controls_and_validates() {
    let wss = assessed("2027-01-31");
    let w = wss.active().unwrap();
    for day in [today(), days_from_civil(2027, 2, 1)] {
        let doc = oscal_assessment_results(&report(w, day), NOW);
        let v: serde_json::Value = serde_json::from_str(&doc).unwrap();
        let findings = v["assessment-results"]["results"][0]["findings"].as_array().cloned().unwrap_or_default();
        let f = findings.iter().find(|f| f["props"].as_array().unwrap().iter().any(|p| p["name"] == "control" && p["value"] == "11.1.1"));
        if day == today() {
            let f = f.expect("a covered control is a finding");
            assert_eq!(f["target"]["status"]["state"], "satisfied");
            let props = f["props"].as_array().unwrap();
            assert!(props.iter().any(|p| p["name"] == "provider-part" && p["value"] == "inherited"), "{props:?}");
            assert!(props.iter().any(|p| p["name"] == "provider-attestations"));
        } else {
            assert!(f.is_none(), "a control waiting for review has no verdict");
        }
        let Ok(python) = std::env::var("OSCAL_VALIDATOR") else {
            eprintln!("notice: OSCAL_VALIDATOR is not set; skipping the OSCAL schema validation");
            continue;
        };
        let dir = std::env::temp_dir().join(format!("iso27017-attest-oscal-{}-{day}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("doc.json");
        std::fs::write(&file, &doc).unwrap();
        let out = std::process::Command::new(python)
            .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/oscal/validate.py"))
            .arg(&file)
            .output()
            .unwrap();
        let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        assert_eq!(out.status.code(), Some(0), "OSCAL validation failed:\n{text}");
        let _ = std::fs::remove_dir_all(dir);
    }
}

#[test]
fn soa_2022_derives_each_annex_a_control_from_the_2015_controls() {
    let wss = assessed("2027-01-31");
    let w = wss.active().unwrap();
    let r = report(w, today());
    let rows = soa2022_rows(&r);
    assert_eq!(rows.len(), 93);
    // The 11 new controls, and only they, need an own answer.
    let own: Vec<&str> = rows.iter().filter(|x| x.status == Status2022::NeedsOwnAnswer).map(|x| x.control.id).collect();
    let new: Vec<&str> = Catalog::bundled().iso2022().iter().filter(|c| c.new_in_2022).map(|c| c.id).collect();
    assert_eq!(own, new);
    assert_eq!(own.len(), 11);
    let row = |c: &str| rows.iter().find(|x| x.control.id == c).unwrap();
    // 5.1 ← 5.1.1 + 5.1.2, both implemented: met.
    assert_eq!(row("5.1").status, Status2022::Met);
    // 5.3 ← 6.1.2 not implemented: not met, decided by it.
    assert_eq!(row("5.3").status, Status2022::NotMet);
    assert_eq!(row("5.3").decided_by.unwrap().control.id, id("6.1.2"));
    // 7.1 ← 11.1.1 inherited from the provider.
    assert_eq!((row("7.1").status, row("7.1").provider), (Status2022::Met, Provider2022::Inherited));
    // 8.30 ← 14.2.7 excluded: not applicable with its justification.
    assert!(!row("8.30").applicable);
    assert_eq!(row("8.30").status, Status2022::NotApplicable);
    assert_eq!(row("8.30").justification, "14.2.7: no outsourced development");
    // 5.2 ← 6.1.1 (not assessed): not fully assessed; CLD.6.3.1 listed as a suggested mapping only.
    assert_eq!(row("5.2").status, Status2022::NotFullyAssessed);
    assert!(row("5.2").suggested.iter().any(|s| s.control.id == id("CLD.6.3.1")));
    assert!(row("5.2").official.iter().all(|s| !s.control.id.as_str().starts_with("CLD")));
    // 5.23 (new) lists its suggested CLD controls.
    assert!(row("5.23").suggested.len() >= 3);

    let csv = soa2022_csv(&r);
    let mut rd = csv::Reader::from_reader(csv.as_bytes());
    assert_eq!(rd.headers().unwrap().iter().collect::<Vec<_>>(), SOA2022_COLUMNS);
    let recs: Vec<csv::StringRecord> = rd.records().map(Result::unwrap).collect();
    assert_eq!(recs.len(), 93);
    let rec = |c: &str| recs.iter().find(|x| &x[0] == c).unwrap().clone();
    assert_eq!(&rec("7.1")[10], "inherited");
    assert_eq!(&rec("5.23")[4], "to_decide");
    assert!(rec("5.23")[11].contains("CLD.6.3.1="));
    assert_eq!(&rec("5.1")[9], "5.1.1=met 5.1.2=met");

    let md = soa2022_markdown(&r);
    for line in SOA2022_RULE {
        assert!(md.contains(line), "the rule is in the header: {line}");
    }
    assert!(md.contains("## Controls needing an own answer (11)"));
    assert!(md.contains("suggested mapping: CLD.6.3.1"));
    // The export list offers both, named for download.
    assert_eq!(r.file_name(ExportFormat::Soa2022Csv), "provider-side-2026-06-01-soa-2022.csv");
    assert_eq!(r.export(ExportFormat::Soa2022Markdown, NOW, None).unwrap(), md);
}

#[test]
fn cli_report_writes_the_2022_soa() {
    let wss = assessed("2027-01-31");
    let dir = std::env::temp_dir().join(format!("iso27017-attest-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("ws.json");
    std::fs::write(&file, export(&wss)).unwrap();
    let expected = soa2022_csv(&report(wss.active().unwrap(), today()));
    for (format, want) in [("soa2022-csv", expected.clone()), ("soa2022-markdown", soa2022_markdown(&report(wss.active().unwrap(), today())))] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_iso27017"))
            .args(["report", file.to_str().unwrap(), "-f", format, "--today", "2026-06-01"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
        assert_eq!(String::from_utf8(out.stdout).unwrap().trim_end(), want.trim_end(), "{format}");
    }
    let _ = std::fs::remove_dir_all(dir);
}

/// The position of the column `name` in `columns` (a test's reading of a CSV by header, so that a column added
/// elsewhere does not move what it checks).
fn col(columns: &[&str], name: &str) -> usize {
    columns.iter().position(|c| *c == name).unwrap_or_else(|| panic!("no column {name}"))
}
