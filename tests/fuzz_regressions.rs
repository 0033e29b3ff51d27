//! Replays the inputs kept in `tests/fixtures/fuzz-regressions/<target>/`
//! (crashes the fuzz targets once found) and the seeds in
//! `tests/fuzz/seeds/<target>/` through the same calls and invariants as the targets in
//! `tests/fuzz/fuzz_targets/`, so a fixed bug stays fixed without nightly.
//!
//! `write_fuzz_seeds` (ignored) writes the seed inputs of the share-link,
//! workspace and worker-message targets into `tests/fuzz/seeds/`:
//! `cargo test --test fuzz_regressions -- --ignored write_fuzz_seeds`.

use iso27017::checks::{Context, RuleSet};
use iso27017::model::Status;
use iso27017::ingest::Limits;
use iso27017::model::{ControlId, Responsibility, Role, ServiceModel};
use iso27017::share::{self, ShareError, ShareOptions, ShareV1};
use iso27017::protocol::{Reply, Request};
use iso27017::workspace::transfer;
use iso27017::workspace::*;
use std::path::{Path, PathBuf};

const NOW: u64 = 1_780_000_000_000;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// What `share_decode` and `share_payload` assert about one link.
fn check_share(link: &str) {
    if let Ok(s) = share::decode(link) {
        s.validate().expect("decode returned an invalid payload");
        match share::encode(&s) {
            Ok(again) => assert_eq!(share::decode(&again).as_ref(), Ok(&s), "re-encoded link does not decode to the same"),
            // A hand-packed link may compress better than ours.
            Err(ShareError::LinkTooLong { .. }) => {}
            Err(e) => panic!("a decoded payload does not re-encode: {e}"),
        }
    }
}

/// What `workspace_load` asserts about one stored or imported text.
fn check_workspace(text: &str) {
    match load(text) {
        LoadOutcome::Corrupt { raw, .. } | LoadOutcome::NewerVersion { raw, .. } => assert_eq!(raw, text, "raw text lost"),
        LoadOutcome::Loaded(x) => {
            assert_eq!(load(&save(&x)), LoadOutcome::Loaded(x.clone()), "save → load");
            if x.trash().is_none() {
                assert_eq!(import(&export(&x)).as_ref(), Ok(&x), "export → import");
            }
        }
        LoadOutcome::Empty | LoadOutcome::Migrated(..) => {}
    }
    let _ = import(text);
}

/// What `transfer_from_json` asserts about one worker message.
fn check_transfer(text: &str) {
    if let Ok(o) = transfer::from_json(text) {
        assert_eq!(transfer::from_json(&transfer::to_json(&o)).as_ref(), Ok(&o), "to_json → from_json");
    }
    if let Ok(r) = Reply::from_head(text) {
        assert_eq!(Reply::from_head(&r.to_head()).as_ref(), Ok(&r), "to_head → from_head");
    }
    let _ = Request::from_head(text);
}

/// The kept regression inputs of `target`, then its seeds.
fn inputs(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dirs = [root().join("tests/fixtures/fuzz-regressions").join(target), root().join("tests/fuzz/seeds").join(target)];
    let mut out: Vec<(PathBuf, Vec<u8>)> = dirs
        .iter()
        .filter_map(|d| std::fs::read_dir(d).ok())
        .flatten()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_none_or(|x| x != "md"))
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect();
    out.sort();
    out
}

#[test]
fn share_decode_regressions() {
    for (path, bytes) in inputs("share_decode") {
        eprintln!("{}", path.display());
        check_share(&String::from_utf8_lossy(&bytes));
    }
}

#[test]
fn workspace_load_regressions() {
    for (path, bytes) in inputs("workspace_load") {
        eprintln!("{}", path.display());
        check_workspace(&String::from_utf8_lossy(&bytes));
    }
}

#[test]
fn transfer_from_json_regressions() {
    for (path, bytes) in inputs("transfer_from_json") {
        eprintln!("{}", path.display());
        check_transfer(&String::from_utf8_lossy(&bytes));
    }
}

/// The ingest targets (`detect`, `parse_*`): decode → detect → parse → every
/// check, with the fuzz targets' limits; must not panic.
#[test]
fn ingest_regressions() {
    let limits = iso27017::ingest::Limits { max_input_bytes: 1 << 20, max_decompressed_bytes: 4 << 20, max_depth: 64, max_yaml_nodes: 200_000 };
    let targets = ["detect", "parse_terraform", "parse_aws_config", "parse_aws_iam", "parse_azure", "parse_gcp_cai", "parse_kubernetes", "parse_cloudformation", "parse_scanners"];
    let mut replayed = 0;
    for target in targets {
        for (path, bytes) in inputs(target) {
            eprintln!("{}", path.display());
            if let Ok(parsed) = iso27017::ingest::parse("fuzz", &bytes, &limits) {
                let _ = iso27017::engine::assess_with_imports(
                    &parsed.inventory,
                    parsed.imported,
                    iso27017::checks::RuleSet::bundled(),
                    &iso27017::checks::Context::on(2026, 6, 1),
                    None,
                );
            }
            replayed += 1;
        }
    }
    assert!(replayed >= 1, "the parse_terraform regression is kept");
}

// ------------------------------------------------------------ seeds

fn cid(s: &str) -> ControlId {
    s.parse().unwrap()
}

fn assessed(fixture: &str) -> transfer::FileOutcome {
    let bytes = std::fs::read(root().join("tests/fixtures/ingest").join(fixture)).unwrap();
    let name = Path::new(fixture).file_name().unwrap().to_str().unwrap();
    transfer::assess_file(name, &bytes, &Limits::default(), RuleSet::bundled(), &Context::on(2026, 6, 1), &mut |_| {})
}

/// Two assessments (one with an upload of real findings, answers of every
/// kind and a decision) and one in the trash.
fn seed_workspaces() -> Workspaces {
    let mut ws = Workspaces::new();
    let a = ws.create("Production ☁", NOW).unwrap();
    let w = ws.get_mut(&a).unwrap();
    w.set_scope(
        Scope {
            organisation: "Acme <GmbH> & \"Co\"".into(),
            roles: vec![Role::Csc, Role::Csp],
            service_models: vec![ServiceModel::Iaas, ServiceModel::Saas],
            providers: vec![iso27017::inventory::Provider::Aws, iso27017::inventory::Provider::Gcp],
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
            notes_md: "## Evidence\n\n- [runbook](https://example.com)\n".into(),
        },
        NOW + 2,
    )
    .unwrap();
    w.set_answer(
        &cid("11.2.7"),
        ControlAnswer {
            applicable: Applicability::Excluded { justification: "No hardware of our own".into() },
            status: ManualStatus::NotApplicable,
            responsible: Some(Responsibility::Csp),
            owner: String::new(),
            target_date: None,
            notes_md: String::new(),
        },
        NOW + 3,
    )
    .unwrap();
    w.set_answer(
        &cid("12.4.1"),
        ControlAnswer { status: ManualStatus::PartiallyImplemented, notes_md: "half".into(), ..ControlAnswer::default() },
        NOW + 4,
    )
    .unwrap();
    let up = assessed("terraform/full_compute_firewall.tfplan.json");
    let failing = up.record.findings.iter().find(|f| f.status == Status::Fail).cloned();
    w.upsert_upload(up.record, NOW + 5).unwrap();
    if let Some(f) = failing {
        w.decide(
            FindingDecision {
                check: f.check.clone(),
                resource_id: f.resource.id.to_string(),
                kind: DecisionKind::RiskAccepted,
                reason: "accepted by the CISO".into(),
                expires: Some("2027-01-31".parse().unwrap()),
            },
            iso27017::checks::days_from_civil(2026, 5, 28),
            NOW + 6,
        )
        .unwrap();
    }
    let b = ws.create("Staging", NOW + 7).unwrap();
    let c = ws.create("Old", NOW + 8).unwrap();
    ws.set_active(&b).unwrap();
    ws.delete(&c).unwrap();
    ws
}

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join(name), text).unwrap();
}

#[test]
#[ignore = "writes tests/fuzz/seeds/; run by hand"]
fn write_fuzz_seeds() {
    let seeds = root().join("tests/fuzz/seeds");
    let ws = seed_workspaces();
    let w = ws.list()[0].clone();
    let today = iso27017::checks::days_from_civil(2026, 6, 1);

    // Share links.
    let dir = seeds.join("share_decode");
    let opts = [
        ("default", ShareOptions::default()),
        ("all", ShareOptions::ALL),
        ("no_findings", ShareOptions { include_findings: false, ..ShareOptions::ALL }),
    ];
    for (name, o) in opts {
        let link = share::encode(&ShareV1::from_workspace(&w, today, &o)).unwrap();
        check_share(&link);
        write(&dir, &format!("{name}.txt"), &link);
    }
    let empty = share::encode(&ShareV1::from_workspace(&ws.list()[1], today, &ShareOptions::ALL)).unwrap();
    write(&dir, "empty_workspace.txt", &empty);
    let fitted = share::encode_fitting(&ShareV1::from_workspace(&w, today, &ShareOptions::ALL), 1150).unwrap();
    write(&dir, "fitted_1150.txt", &fitted.link);

    // Stored and exported workspaces.
    let dir = seeds.join("workspace_load");
    for (name, text) in [
        ("save.json", save(&ws)),
        ("export.json", export(&ws)),
        ("export_workspace.json", export_workspace(&w)),
        ("save_empty.json", save(&Workspaces::new())),
        (
            "v0.json",
            r#"{"version":0,"name":"Prototype","saved_at":1700000000000,"scope":{"organisation":"Acme","roles":["csc"],"service_models":["saas","iaas"]},"answers":{"9.1.2":{"status":"partial","notes":"half done"},"CLD.12.1.5":{"status":"implemented"}}}"#.to_string(),
        ),
    ] {
        check_workspace(&text);
        write(&dir, name, &text);
    }

    // Worker messages.
    let dir = seeds.join("transfer_from_json");
    for fixture in ["terraform/full_compute_firewall.tfplan.json", "k8s", "aws-iam/custodian_credential_report_extracted.csv"] {
        let path = if fixture == "k8s" {
            let d = root().join("tests/fixtures/ingest/k8s");
            let mut files: Vec<_> = std::fs::read_dir(&d).unwrap().map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|x| x != "md")).collect();
            files.sort();
            format!("k8s/{}", files[0].file_name().unwrap().to_str().unwrap())
        } else {
            fixture.to_string()
        };
        let o = assessed(&path);
        let stem = Path::new(&path).file_stem().unwrap().to_str().unwrap().replace('.', "_");
        for (i, part) in transfer::to_json_parts(&o).iter().enumerate() {
            check_transfer(part);
            write(&dir, &format!("{stem}_part{i}.json"), part);
        }
    }
    let refused = transfer::assess_file("x.bin", b"\0\0\0binary", &Limits::default(), RuleSet::bundled(), &Context::on(2026, 6, 1), &mut |_| {});
    write(&dir, "refused.json", &transfer::to_json(&refused));
    let bytes = std::fs::read(root().join("tests/fixtures/ingest/terraform/full_compute_firewall.tfplan.json")).unwrap();
    let fragment = |reply| Reply::Fragment { id: 1, reply }.to_head();
    write(&dir, "fragment_text.json", &fragment(transfer::fragment(&bytes, "/resource_changes/0", None, &Limits::default())));
    write(&dir, "fragment_error.json", &fragment(transfer::fragment(&bytes, "/nope", None, &Limits::default())));
    write(&dir, "fragment_missing.json", &fragment(transfer::FragmentReply::Missing));
    write(&dir, "part_head.json", &Reply::Part { id: 1, file: 0, files: 2, k: 0, n: 1 }.to_head());
    write(&dir, "add_file_head.json", &Request::AddFile { id: 1, workspace: "w".into(), name: "a.json".into(), replaces: None, today: 20_600, mappings: Vec::new() }.to_head());
}
