//! The report exports checked against their formats: the report built from a
//! realistic workspace (the corpus fixtures in `tests/fixtures/ingest/`
//! assessed by `engine::assess_files`, plus manual answers, decisions and
//! hostile user text) has the same summary as the share link made from it;
//! the CSV files parse back with the right rows and neutralised formulas; the
//! Markdown renders with pulldown-cmark without any HTML; the OSCAL document
//! passes a real validator (`tests/oscal/validate.py`, compliance-trestle's
//! OSCAL 1.1.2 models), and a broken one does not.

use iso27017::checks::{days_from_civil, Context, Evidence, Finding, ResourceRef, RuleSet};
use iso27017::engine;
use iso27017::ingest::Limits;
use iso27017::inventory::{Provider, SourceRef};
use iso27017::model::{ControlId, Responsibility, Role, ServiceModel, Status};
use iso27017::report::workspace_report::{
    control_token, csv_findings, csv_soa, markdown_report, oscal_assessment_results, Carried, InterviewChecklist, ReportSource,
    SoaApplicability, FINDINGS_COLUMNS, INTERVIEW_COLUMNS, SOA_COLUMNS,
};
use iso27017::report::Report;
use iso27017::share::{decode, encode_fitting, ShareOptions, ShareV1, TARGET_FRAGMENT_LEN};
use iso27017::workspace::*;
use iso27017::catalog::GuidanceSet;
use iso27017::Catalog;
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[path = "support/scaling.rs"]
mod scaling;

const NOW: u64 = 1_780_300_800_000; // 2026-06-01T08:00:00Z

fn today() -> i64 {
    days_from_civil(2026, 6, 1)
}

/// Text a hostile user could type: formulas, HTML, Markdown structure.
const HOSTILE: &[&str] = &[
    "=HYPERLINK(\"http://evil.example\",\"x\")",
    "+1+1",
    "-2+3",
    "@SUM(A1:A9)",
    "\tcmd",
    "\r=1",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    "a | b | c",
    "[click](javascript:alert(3))",
    "# heading\n\n---\n| x |",
    "`code` **bold** &amp; &lt;b&gt;",
];

fn fixtures() -> Vec<PathBuf> {
    let mut out = Vec::new();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ingest");
    let mut dirs: Vec<_> = std::fs::read_dir(&root).unwrap().map(|e| e.unwrap().path()).collect();
    dirs.sort();
    for d in dirs.into_iter().filter(|d| d.is_dir()) {
        let mut files: Vec<_> = std::fs::read_dir(&d).unwrap().map(|e| e.unwrap().path()).collect();
        files.sort();
        out.extend(files.into_iter().filter(|f| f.extension().is_some_and(|e| e != "md")));
    }
    out
}

fn hostile_finding(rule: &iso27017::checks::Rule, i: usize) -> Finding {
    let text = HOSTILE[i % HOSTILE.len()];
    Finding {
        check: rule.id.clone(),
        controls: Arc::from(rule.controls.as_slice()),
        status: Status::Fail,
        severity: rule.severity,
        resource: Arc::new(ResourceRef {
            provider: Provider::Aws,
            kind: rule.kinds.first().cloned().unwrap_or_default().into(),
            native_type: "aws_s3_bucket".into(),
            id: format!("{text}#{i}").into(),
            name: text.into(),
            account: None,
            source: SourceRef { file: format!("{text}.json").into(), pointer: format!("/{i}").into(), line: Some(3) },
        }),
        message: format!("Bucket {text} is public").into(),
        reason: None,
        evidence: [Evidence::new("public", "is false", "/0".into(), None)].into_iter().collect(),
        origin: None,
    }
}

/// Every corpus fixture assessed (one upload each), a hostile upload, answers
/// for most controls, and decisions in force and expired.
fn realistic() -> Workspace {
    let mut wss = Workspaces::new();
    let id = wss.create("Production <b>2026</b>", NOW).unwrap();
    let w = wss.get_mut(&id).unwrap();
    w.set_scope(
        Scope {
            organisation: "=Acme | Cloud <i>GmbH</i>".into(),
            roles: vec![Role::Csc],
            service_models: vec![ServiceModel::Iaas, ServiceModel::Paas],
            providers: vec![Provider::Aws, Provider::Azure, Provider::Gcp, Provider::Kubernetes],
        },
        NOW,
    )
    .unwrap();
    let ctx = Context { today: today() };
    for path in fixtures() {
        let bytes = std::fs::read(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let a = engine::assess_files([(name.as_str(), bytes.as_slice())], &Limits::default(), RuleSet::bundled(), &ctx);
        let input = &a.inputs[0];
        let rec = UploadRecord::new(name.clone(), &bytes, input.format, input.resources, input.diagnostics.len(), a.findings);
        w.upsert_upload(rec, NOW).unwrap();
    }
    // The most severe checks first: a share link that must drop findings drops the least severe,
    // so the hostile text stays in the link whatever findings the corpus gives.
    let mut rules: Vec<&iso27017::checks::Rule> = RuleSet::bundled().rules().iter().collect();
    rules.sort_by_key(|r| std::cmp::Reverse(r.severity));
    let hostile: Vec<Finding> = (0..HOSTILE.len() * 2).map(|i| hostile_finding(rules[i % rules.len()], i)).collect();
    w.upsert_upload(UploadRecord::new("hostile.json", b"{}", None, 1, 0, hostile), NOW).unwrap();

    let statuses = [ManualStatus::Implemented, ManualStatus::PartiallyImplemented, ManualStatus::NotImplemented, ManualStatus::NotAssessed];
    for (i, c) in Catalog::bundled().controls().iter().enumerate() {
        let excluded = i % 19 == 4;
        let hostile = HOSTILE[i % HOSTILE.len()];
        let answer = ControlAnswer {
            applicable: if excluded {
                Applicability::Excluded { justification: format!("{hostile} not in scope") }
            } else {
                Applicability::Applicable
            },
            status: if excluded { ManualStatus::NotApplicable } else { statuses[i % statuses.len()] },
            responsible: (i % 7 == 0).then_some(Responsibility::Shared),
            owner: if i % 3 == 0 { hostile.to_string() } else { "Security team".into() },
            target_date: (i % 2 == 0).then(|| "2026-12-31".parse().unwrap()),
            notes_md: format!("{hostile}\n\nEvidence in **DOC-{i:03}**."),
        };
        w.set_answer(&c.id, answer, NOW).unwrap();
    }
    let failing: Vec<Finding> = w.findings().filter(|f| f.status == Status::Fail).cloned().collect();
    assert!(failing.len() > 30, "the corpus has failing findings: {}", failing.len());
    for (i, f) in failing.iter().enumerate().filter(|(i, _)| i % 5 == 1) {
        w.decide(
            FindingDecision {
                check: f.check.clone(),
                resource_id: f.resource.id.to_string(),
                kind: if i % 2 == 0 { DecisionKind::Waived } else { DecisionKind::RiskAccepted },
                reason: format!("{} compensating control", HOSTILE[i % HOSTILE.len()]),
                expires: Some(if i % 3 == 0 { "2026-01-01" } else { "2027-01-01" }.parse().unwrap()),
            },
            // Decided before the earliest expiry, which has passed by `today()`.
            days_from_civil(2025, 12, 1),
            NOW,
        )
        .unwrap();
    }
    wss.get(&id).unwrap().clone()
}

fn report(ws: &Workspace) -> Report<'_> {
    Report::from_workspace(ws, Catalog::bundled(), RuleSet::bundled(), today())
}

#[test]
fn summary_of_a_share_link_equals_the_original() {
    let ws = realistic();
    let original = report(&ws);
    assert_eq!(original.summary.outcomes.total(), 121);
    assert_eq!(original.soa.len(), 121);
    assert!(original.failing.count() > 0 && original.decided.count() > 0);
    assert_eq!(original.summary.failing_or_decided_findings, original.failing.count() + original.decided.count());
    let options = [
        ShareOptions::default(),
        ShareOptions::ALL,
        ShareOptions { include_findings: false, ..ShareOptions::default() },
    ];
    for opts in options {
        let share = ShareV1::from_workspace(&ws, today(), &opts);
        let link = encode_fitting(&share, TARGET_FRAGMENT_LEN).unwrap().link;
        let decoded = decode(&link).unwrap();
        let shared = Report::from_share(&decoded, Catalog::bundled(), RuleSet::bundled());
        assert_eq!(shared.summary, original.summary, "{opts:?}");
        assert!(matches!(shared.source, ReportSource::ShareLink { .. }));
        assert_eq!(shared.name, Carried::Absent);
        for (a, b) in original.soa.iter().zip(&shared.soa) {
            assert_eq!((a.control.id.as_str(), a.outcome, a.status, a.responsibility, a.counts), (b.control.id.as_str(), b.outcome, b.status, b.responsibility, b.counts));
            assert_eq!(b.owner, Carried::Absent);
            assert_eq!(b.notes_md.is_present(), opts.include_notes);
        }
        if opts.include_findings && shared.findings_complete() {
            assert_eq!(shared.failing.count(), original.failing.count());
            assert_eq!(shared.decided.count(), original.decided.count());
        }
        // Every export also works on the shared view.
        for text in [csv_findings(&shared), csv_soa(&shared), markdown_report(&shared), oscal_assessment_results(&shared, NOW)] {
            assert!(!text.is_empty());
        }
    }
}

#[test]
fn report_parts_follow_the_workspace() {
    let ws = realistic();
    let r = report(&ws);
    let catalog = Catalog::bundled();
    let ids: Vec<&str> = r.soa.iter().map(|s| s.control.id.as_str()).collect();
    let want: Vec<&str> = catalog.controls().iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, want, "SoA in catalog order");
    same_as_roll_up_all(&r, &ws);
    let clauses: usize = r.summary.clauses.iter().map(|c| c.outcomes.total()).sum();
    assert_eq!(clauses, 121);
    assert_eq!(r.summary.clauses.first().map(|c| c.clause), Some(5));
    assert!(r.summary.clauses.iter().all(|c| !c.title.is_empty()));
    // Failing groups worst first; top risks are the first groups.
    let sev: Vec<_> = r.failing.groups.iter().map(|g| g.severity).collect();
    assert!(sev.windows(2).all(|w| w[0] >= w[1]), "{sev:?}");
    assert!(!r.top_risks.is_empty() && r.top_risks.len() <= 10);
    assert_eq!(r.top_risks[0].check, r.failing.groups[0].check);
    assert!(r.top_risks.iter().all(|t| !t.remediation_md.is_empty()), "bundled rules have remediation");
    // Expired decisions count as failing, flagged expired.
    let expired = r.failing.groups.iter().flat_map(|g| &g.items).filter(|i| i.decision().is_some_and(|d| d.expired)).count();
    assert!(expired > 0);
    assert!(r.decided.groups.iter().flat_map(|g| &g.items).all(|i| i.decision().is_some_and(|d| !d.expired)));
    // Matrix: the scope's models as columns, defaults from the catalog.
    assert_eq!(r.matrix.models, [ServiceModel::Iaas, ServiceModel::Paas]);
    for row in &r.matrix.rows {
        assert_eq!(row.default_for(ServiceModel::Saas), row.control.responsibility(ServiceModel::Saas));
        assert_eq!(row.applied, ws.responsibility(&row.control.id));
    }
    assert!(r.summary.outcomes.progress_percent() > 0 && r.summary.outcomes.progress_percent() <= 100);
}

#[test]
fn empty_workspace_reports_without_panicking() {
    let mut wss = Workspaces::new();
    wss.create("Empty", NOW).unwrap();
    let ws = wss.active().unwrap();
    let r = report(ws);
    assert_eq!(r.summary.outcomes.get(iso27017::workspace::Outcome::NotAssessed), 121);
    assert_eq!(r.summary.outcomes.progress_percent(), 0);
    assert_eq!(r.matrix.models.len(), 3, "no model chosen = all three");
    assert_eq!(csv::Reader::from_reader(csv_findings(&r).as_bytes()).records().count(), 0);
    assert!(markdown_report(&r).contains("No failing findings."));
    let oscal: serde_json::Value = serde_json::from_str(&oscal_assessment_results(&r, 0)).unwrap();
    assert!(oscal["assessment-results"]["results"][0].get("observations").is_none(), "no empty arrays");
    for today in [i64::MIN, -1, 0, i64::MAX] {
        let r = Report::from_workspace(ws, Catalog::bundled(), RuleSet::bundled(), today);
        let _ = (csv_soa(&r), markdown_report(&r), oscal_assessment_results(&r, u64::MAX));
    }
}

const FORMULA_START: &[char] = &['=', '+', '-', '@', '\t', '\r'];

fn parse_csv(text: &str) -> (Vec<String>, Vec<csv::StringRecord>) {
    let mut rd = csv::Reader::from_reader(text.as_bytes());
    let header = rd.headers().unwrap().iter().map(String::from).collect();
    let rows = rd.records().collect::<Result<Vec<_>, _>>().unwrap();
    (header, rows)
}

#[test]
fn csv_findings_parse_back_and_neutralise_formulas() {
    let ws = realistic();
    let r = report(&ws);
    let (header, rows) = parse_csv(&csv_findings(&r));
    assert_eq!(header, FINDINGS_COLUMNS);
    assert_eq!(rows.len(), r.failing.count() + r.decided.count());
    for row in &rows {
        assert_eq!(row.len(), FINDINGS_COLUMNS.len());
        for cell in row.iter() {
            assert!(!cell.starts_with(FORMULA_START), "formula not neutralised: {cell:?}");
        }
        assert!(["failing", "decided"].contains(&&row[0]));
    }
    // Hostile resource ids survive as text, prefixed with '.
    let ids: Vec<&str> = rows.iter().map(|r| r.get(6).unwrap()).collect();
    assert!(ids.contains(&"'=HYPERLINK(\"http://evil.example\",\"x\")#0"), "{:?}", &ids[..5.min(ids.len())]);
    assert!(ids.contains(&"'@SUM(A1:A9)#3"));
    assert!(ids.contains(&"'\tcmd#4"));
    assert!(ids.iter().any(|i| i.starts_with("<script>")), "non-formula text is kept as is");
    assert!(rows.iter().any(|r| &r[0] == "decided" && !r[14].is_empty() && !r[15].is_empty()));
}

#[test]
fn csv_soa_has_every_control_and_safe_cells() {
    let ws = realistic();
    let r = report(&ws);
    let (header, rows) = parse_csv(&csv_soa(&r));
    assert_eq!(header, SOA_COLUMNS);
    assert_eq!(rows.len(), 121);
    for (row, c) in rows.iter().zip(Catalog::bundled().controls()) {
        assert_eq!(&row[0], c.id.as_str());
        assert!(row.iter().all(|cell| !cell.starts_with(FORMULA_START)), "{row:?}");
    }
    assert!(rows.iter().any(|r| &r[3] == "excluded" && &r[4] == "'+1+1 not in scope"), "hostile justification neutralised");
    assert!(rows.iter().any(|r| &r[9] == "'+1+1" || &r[9] == "'@SUM(A1:A9)"), "hostile owner neutralised");
    assert!(rows.iter().any(|r| r[11].contains("<script>")), "evidence summary is plain text of the notes");
}

fn md_options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH
}

#[test]
fn markdown_renders_without_html_from_user_input() {
    let ws = realistic();
    let r = report(&ws);
    for md in [markdown_report(&r), {
        let share = ShareV1::from_workspace(&ws, today(), &ShareOptions::ALL);
        let decoded = decode(&encode_fitting(&share, TARGET_FRAGMENT_LEN).unwrap().link).unwrap();
        markdown_report(&Report::from_share(&decoded, Catalog::bundled(), RuleSet::bundled()))
    }] {
        let mut text = String::new();
        let mut tables = Vec::new();
        let (mut cells, mut header_cells) = (0usize, 0usize);
        let mut in_head = false;
        for ev in Parser::new_ext(&md, md_options()) {
            match ev {
                Event::Html(h) | Event::InlineHtml(h) => panic!("raw HTML in the report: {h}"),
                Event::Start(Tag::Link { dest_url, .. }) => panic!("a link in the report: {dest_url}"),
                Event::Start(Tag::Image { .. }) => panic!("an image in the report"),
                Event::Text(t) => text.push_str(&t),
                Event::Start(Tag::Table(_)) => tables.push(0usize),
                Event::Start(Tag::TableHead) => {
                    in_head = true;
                    header_cells = 0;
                }
                Event::End(TagEnd::TableHead) => in_head = false,
                Event::Start(Tag::TableRow) => cells = 0,
                Event::Start(Tag::TableCell) => {
                    if in_head {
                        header_cells += 1
                    } else {
                        cells += 1
                    }
                }
                Event::End(TagEnd::TableRow) => {
                    assert_eq!(cells, header_cells, "a table row has the wrong number of cells");
                    if let Some(t) = tables.last_mut() {
                        *t += 1;
                    }
                }
                _ => {}
            }
        }
        for h in ["<script>alert(1)</script>", "<img src=x onerror=alert(2)>", "[click](javascript:alert(3))", "a | b | c"] {
            assert!(text.contains(h), "user text shown literally: {h}");
        }
        // Outcomes, clauses, SoA (121 rows), …, matrix (121 rows).
        assert!(tables.iter().filter(|n| **n == 121).count() >= 2, "{tables:?}");
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, Parser::new_ext(&md, md_options()));
        for bad in ["<script", "<img", "<i>", "<b>", "href=\"javascript"] {
            assert!(!html.contains(bad), "{bad} in rendered HTML");
        }
        assert!(html.contains("&lt;script&gt;"));
    }
}

/// The OSCAL validator command (`OSCAL_VALIDATOR`, a Python with
/// compliance-trestle, set by `.ci/env`). `None` only outside CI.
fn validator() -> Option<String> {
    match std::env::var("OSCAL_VALIDATOR") {
        Ok(v) if !v.trim().is_empty() => Some(v),
        _ if std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false") => {
            panic!("CI must validate OSCAL: OSCAL_VALIDATOR is not set (see .ci/env and .ci/setup)")
        }
        _ => {
            eprintln!("notice: OSCAL_VALIDATOR is not set; skipping the OSCAL schema validation (run `bash .ci/setup` and `source .ci/env`)");
            None
        }
    }
}

fn run_validator(python: &str, files: &[PathBuf]) -> std::process::Output {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/oscal/validate.py");
    std::process::Command::new(python)
        .arg(script)
        .args(files)
        .output()
        .unwrap_or_else(|e| panic!("cannot run the OSCAL validator {python:?}: {e} (run `bash .ci/setup`)"))
}

fn temp_dir(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("iso27017-exports-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn oscal_documents() -> Vec<(String, String)> {
    let ws = realistic();
    let r = report(&ws);
    let mut docs = vec![("workspace".to_string(), oscal_assessment_results(&r, NOW))];
    for (tag, opts) in [("share-default", ShareOptions::default()), ("share-all", ShareOptions::ALL)] {
        let share = ShareV1::from_workspace(&ws, today(), &opts);
        let decoded = decode(&encode_fitting(&share, TARGET_FRAGMENT_LEN).unwrap().link).unwrap();
        let sr = Report::from_share(&decoded, Catalog::bundled(), RuleSet::bundled());
        docs.push((tag.to_string(), oscal_assessment_results(&sr, NOW)));
    }
    let mut wss = Workspaces::new();
    wss.create("Empty", NOW).unwrap();
    docs.push(("empty".into(), oscal_assessment_results(&report(wss.active().unwrap()), NOW)));
    docs
}

#[test]
fn oscal_is_deterministic_and_consistent() {
    let ws = realistic();
    let r = report(&ws);
    let a = oscal_assessment_results(&r, NOW);
    assert_eq!(a, oscal_assessment_results(&report(&ws), NOW), "same input, same document");
    let v: serde_json::Value = serde_json::from_str(&a).unwrap();
    let ar = &v["assessment-results"];
    assert_eq!(ar["metadata"]["oscal-version"], "1.1.2");
    assert_eq!(ar["metadata"]["last-modified"], "2026-06-01T08:00:00.000Z");
    let result = &ar["results"][0];
    let obs = result["observations"].as_array().unwrap();
    assert_eq!(obs.len(), r.failing.count() + r.decided.count());
    let mut uuids = std::collections::HashSet::new();
    let mut all = vec![ar["uuid"].as_str().unwrap(), result["uuid"].as_str().unwrap()];
    all.extend(obs.iter().map(|o| o["uuid"].as_str().unwrap()));
    for u in &all {
        assert!(uuids.insert(*u), "duplicate uuid {u}");
        assert_eq!(&u[14..15], "4");
    }
    let findings = result["findings"].as_array().unwrap();
    for f in findings {
        for o in f["related-observations"].as_array().into_iter().flatten() {
            assert!(uuids.contains(o["observation-uuid"].as_str().unwrap()));
        }
        let state = f["target"]["status"]["state"].as_str().unwrap();
        assert!(["satisfied", "not-satisfied"].contains(&state));
    }
    let include = result["reviewed-controls"]["control-selections"][0]["include-controls"].as_array().unwrap();
    let exclude = result["reviewed-controls"]["control-selections"][0]["exclude-controls"].as_array().unwrap();
    assert_eq!(include.len() + exclude.len(), 121);
    let c: ControlId = "CLD.6.3.1".parse().unwrap();
    assert!(include.iter().chain(exclude).any(|x| x["control-id"] == control_token(&c).as_str()));
    assert!(a.contains("\\\\<script>"), "the hostile text is there, escaped");
    assert!(!a.replace("\\\\<", "").contains('<'), "user text is escaped in OSCAL markup: no < opens HTML");
    // Plain text stays plain: resource types, check ids and messages carry no Markdown escapes.
    let titles: Vec<&str> = obs.iter().map(|o| o["title"].as_str().unwrap()).collect();
    assert!(titles.iter().any(|t| t.contains('_')), "{titles:?}");
    assert!(titles.iter().all(|t| !t.contains("\\_")), "{titles:?}");
    let subjects: Vec<&str> = obs.iter().filter_map(|o| o["subjects"][0]["title"].as_str()).collect();
    assert!(subjects.iter().any(|t| t.contains("aws_security_group.")), "{subjects:?}");
    assert!(!a.contains("aws\\\\_"), "no escaped resource type anywhere");
    let href = ar["import-ap"]["href"].as_str().unwrap();
    assert_eq!(&href[1..], ar["back-matter"]["resources"][0]["uuid"].as_str().unwrap());
}

#[test]
fn oscal_validates_with_the_official_models() {
    let Some(python) = validator() else { return };
    let dir = temp_dir("oscal");
    let mut files = Vec::new();
    for (tag, doc) in oscal_documents() {
        let p = dir.join(format!("{tag}.json"));
        std::fs::write(&p, doc).unwrap();
        files.push(p);
    }
    let out = run_validator(&python, &files);
    let report = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert_eq!(out.status.code(), Some(0), "OSCAL validation failed:\n{report}");
    assert_eq!(report.lines().filter(|l| l.starts_with("ok: ")).count(), files.len(), "{report}");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn oscal_validator_rejects_broken_documents() {
    let Some(python) = validator() else { return };
    let ws = realistic();
    let good: serde_json::Value = serde_json::from_str(&oscal_assessment_results(&report(&ws), NOW)).unwrap();
    type Breaker = fn(&mut serde_json::Value);
    let breakers: &[(&str, Breaker)] = &[
        ("no-oscal-version", |v| {
            v["assessment-results"]["metadata"].as_object_mut().unwrap().remove("oscal-version");
        }),
        ("bad-uuid", |v| v["assessment-results"]["uuid"] = "not-a-uuid".into()),
        ("digit-token", |v| {
            v["assessment-results"]["results"][0]["reviewed-controls"]["control-selections"][0]["include-controls"][0]["control-id"] = "9.1.2".into()
        }),
        ("unknown-field", |v| v["assessment-results"]["metadata"]["colour"] = "blue".into()),
        ("no-timezone", |v| v["assessment-results"]["metadata"]["last-modified"] = "2026-06-01T08:00:00".into()),
        ("empty-array", |v| v["assessment-results"]["results"][0]["props"] = serde_json::json!([])),
        ("wrong-version", |v| v["assessment-results"]["metadata"]["oscal-version"] = "1.0.0".into()),
        ("unknown-method", |v| v["assessment-results"]["results"][0]["observations"][0]["methods"] = serde_json::json!(["GUESS"])),
        ("bad-state", |v| v["assessment-results"]["results"][0]["findings"][0]["target"]["status"]["state"] = "maybe".into()),
        ("dangling-observation", |v| {
            v["assessment-results"]["results"][0]["observations"].as_array_mut().unwrap().clear();
            v["assessment-results"]["results"][0]["observations"] = serde_json::json!([{"uuid": "00000000-0000-4000-8000-000000000000", "description": "x", "methods": ["TEST"], "collected": "2026-06-01T00:00:00Z"}]);
        }),
    ];
    let dir = temp_dir("broken");
    let good_path = dir.join("good.json");
    std::fs::write(&good_path, good.to_string()).unwrap();
    assert_eq!(run_validator(&python, std::slice::from_ref(&good_path)).status.code(), Some(0), "the unbroken document validates");
    for (name, brk) in breakers {
        let mut v = good.clone();
        brk(&mut v);
        let p = dir.join(format!("{name}.json"));
        std::fs::write(&p, v.to_string()).unwrap();
        let out = run_validator(&python, std::slice::from_ref(&p));
        assert_eq!(out.status.code(), Some(1), "{name} should be rejected: {}", String::from_utf8_lossy(&out.stdout));
    }
    let _ = std::fs::remove_dir_all(dir);
}

/// A workspace of `uploads` uploads of `each` findings (half failing, every
/// 10th failing one decided).
fn big_workspace(uploads: usize, each: usize) -> Workspaces {
    let rules = RuleSet::bundled().rules();
    let mut wss = Workspaces::new();
    wss.create("Big", NOW).unwrap();
    let w = wss.active_mut().unwrap();
    for u in 0..uploads {
        let findings: Vec<Finding> = (0..each)
            .map(|i| {
                // Rule-major, as `RuleSet::evaluate` produces them.
                let mut f = hostile_finding(&rules[i * rules.len() / each], i);
                f.resource = Arc::new(ResourceRef { id: format!("res-{u}-{i}").into(), ..(*f.resource).clone() });
                f.status = if i % 2 == 0 { Status::Fail } else { Status::Pass };
                f
            })
            .collect();
        w.upsert_upload(UploadRecord::new(format!("big-{u}.json"), b"x", None, each, 0, findings), NOW).unwrap();
    }
    let decisions: Vec<FindingDecision> = w
        .findings()
        .filter(|f| f.status == Status::Fail)
        .step_by(10)
        .map(|f| FindingDecision { check: f.check.clone(), resource_id: f.resource.id.to_string(), kind: DecisionKind::Waived, reason: "ok".into(), expires: Some("2027-01-01".parse().unwrap()) })
        .collect();
    for d in decisions {
        w.decide(d, today(), NOW).unwrap();
    }
    wss
}

/// 100 000 findings (half failing, 5 000 decided): the report is rebuilt on
/// every change in the UI, so its cost must grow with the findings, not
/// faster: four times the findings cost about four times as much (sixteen
/// times, were each finding compared with the others or with each
/// decision), measured as a ratio in one test so that the machine's load
/// does not decide (the time itself: `cargo test --release --test exports
/// report_of_100k -- --nocapture`).
#[test]
fn report_of_100k_findings_is_cheap() {
    let (small, large) = (big_workspace(1, 25_000), big_workspace(4, 25_000));
    let (small, large) = (small.active().unwrap(), large.active().unwrap());
    let (s, took, ratio) = scaling::ratio(3, || drop(report(small)), || drop(report(large)));
    eprintln!("Report::from_workspace, 25k findings: {s:?}, 100k findings: {took:?} ({ratio:.1}×)");
    assert!(ratio < 9.0, "25k findings: {s:?}, 100k: {took:?} ({ratio:.1}×)");
    let r = report(large);
    assert_eq!(r.failing.count() + r.decided.count(), 50_000);
    assert_eq!(r.decided.count(), 5_000);
    same_as_roll_up_all(&r, large);
}

/// The report's single pass gives the same outcomes and counts as the
/// workspace's own roll-up.
fn same_as_roll_up_all(r: &Report<'_>, ws: &Workspace) {
    let all = ws.roll_up_all(today());
    assert_eq!(r.soa.len(), all.len());
    for (row, (id, u)) in r.soa.iter().zip(all) {
        assert_eq!(row.control.id, id);
        assert_eq!(row.outcome, u.outcome, "{id}");
        assert_eq!(row.automated, u.automated, "{id}");
        let c = row.counts;
        assert_eq!((c.pass, c.fail, c.unknown, c.accepted), (u.pass, u.fail, u.indeterminate, u.accepted), "{id}");
    }
}

#[test]
fn export_formats_dispatch_to_the_exports() {
    use iso27017::report::ExportFormat;
    let ws = realistic();
    let r = report(&ws);
    for f in ExportFormat::ALL {
        assert_eq!(f.as_str().parse::<ExportFormat>().unwrap(), *f);
        let text = r.export(*f, NOW, Some(GuidanceSet::bundled())).expect("a workspace report exports every format");
        let want = match f {
            ExportFormat::Json => export_workspace(&ws),
            ExportFormat::CsvFindings => csv_findings(&r),
            ExportFormat::CsvSoa => csv_soa(&r),
            ExportFormat::Markdown => markdown_report(&r),
            ExportFormat::Oscal => oscal_assessment_results(&r, NOW),
            ExportFormat::InterviewMarkdown => InterviewChecklist::from_report(&r, GuidanceSet::bundled()).markdown(),
            ExportFormat::InterviewCsv => InterviewChecklist::from_report(&r, GuidanceSet::bundled()).csv(),
            ExportFormat::Soa2022Markdown => iso27017::report::workspace_report::soa2022_markdown(&r),
            ExportFormat::Soa2022Csv => iso27017::report::workspace_report::soa2022_csv(&r),
        };
        assert_eq!(r.export(*f, NOW, None).is_some(), !f.needs_guidance(), "{f:?} without the guidance text");
        assert_eq!(text, want, "{f:?}");
        assert!(r.file_name(*f).ends_with(&format!(".{}", f.extension())));
    }
    let back = import(&r.export(ExportFormat::Json, NOW, None).unwrap()).unwrap();
    assert_eq!(back.active().unwrap(), &ws, "the JSON export re-imports to the same assessment");
    assert_eq!(r.file_name(ExportFormat::CsvSoa), "production-b-2026-b-2026-06-01-soa.csv");
    assert_eq!(r.file_name(ExportFormat::Oscal), "production-b-2026-b-2026-06-01-oscal-assessment-results.json");
    assert_eq!(r.file_name(ExportFormat::InterviewCsv), "production-b-2026-b-2026-06-01-interview.csv");
    assert_eq!(r.file_name(ExportFormat::InterviewMarkdown), "production-b-2026-b-2026-06-01-interview.md");

    let share = ShareV1::from_workspace(&ws, today(), &ShareOptions::default());
    let decoded = decode(&encode_fitting(&share, TARGET_FRAGMENT_LEN).unwrap().link).unwrap();
    let shared = Report::from_share(&decoded, Catalog::bundled(), RuleSet::bundled());
    for f in ExportFormat::ALL {
        assert_eq!(shared.export(*f, NOW, Some(GuidanceSet::bundled())).is_some(), f.available_for_share(), "{f:?}");
    }
    assert_eq!(shared.file_name(ExportFormat::Markdown), "assessment-2026-06-01-report.md");
}

/// The report inserts the bundled rule texts as Markdown under its own `###`
/// headings: they must be plain Markdown without HTML or headings.
#[test]
fn rule_texts_fit_into_the_report() {
    for rule in RuleSet::bundled().rules() {
        for (what, md) in [("rationale", &rule.rationale), ("remediation", &rule.remediation)] {
            for ev in Parser::new_ext(md, md_options()) {
                match ev {
                    Event::Html(_) | Event::InlineHtml(_) => panic!("{} {what}: raw HTML", rule.id),
                    Event::Start(Tag::Heading { .. }) => panic!("{} {what}: a heading would break the report's outline", rule.id),
                    _ => {}
                }
            }
        }
    }
}

/// The browser page has its worker make the files (`report::export_from`,
/// `share::encode_fitting_json`) from text it hands over: the files must be
/// those of the report the page shows.
#[test]
fn files_made_from_the_handed_over_text_equal_the_reports() {
    use iso27017::report::workspace_report::ExportFormat;
    use iso27017::report::{export_from, ExportSource};
    let ws = realistic();
    let original = report(&ws);
    let json = export_workspace(&ws);
    // The worker is handed the guidance asset the page is served.
    let asset = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("target/web-assets/guidance.bin")).expect("written by build.rs");
    let guidance = Some(GuidanceSet::bundled());
    for format in ExportFormat::ALL.iter().copied() {
        let made = export_from(ExportSource::Workspace { json: &json, today: today() }, format, NOW, Some(&asset)).expect("made");
        assert_eq!(made, (original.file_name(format), original.export(format, NOW, guidance).unwrap()), "{}", format.as_str());
    }
    let needs_text = export_from(ExportSource::Workspace { json: &json, today: today() }, ExportFormat::InterviewCsv, NOW, None);
    assert!(needs_text.unwrap_err().contains("needs the guidance text"));
    let mut other = asset.clone();
    other.push(0);
    let other_version = export_from(ExportSource::Workspace { json: &json, today: today() }, ExportFormat::InterviewCsv, NOW, Some(&other));
    assert!(other_version.unwrap_err().contains("another version"));
    // A share link: the page builds the report, the worker compresses it.
    let opts = ShareOptions { include_notes: true, include_resource_ids: true, include_findings: true };
    let snapshot = ShareV1::from_workspace(&ws, today(), &opts);
    let made = iso27017::share::encode_fitting_json(&serde_json::to_string(&snapshot).unwrap(), TARGET_FRAGMENT_LEN).unwrap();
    assert_eq!(made, encode_fitting(&snapshot, TARGET_FRAGMENT_LEN).unwrap());
    let shared = decode(&made.link).unwrap();
    let from_link = Report::from_share(&shared, Catalog::bundled(), RuleSet::bundled());
    for format in ExportFormat::ALL.iter().copied().filter(|f| f.available_for_share()) {
        let file = export_from(ExportSource::ShareLink(&made.link), format, NOW, Some(&asset)).expect("made from a link");
        assert_eq!(file, (from_link.file_name(format), from_link.export(format, NOW, guidance).unwrap()), "{}", format.as_str());
    }
    // What cannot be read or made says why.
    assert!(export_from(ExportSource::Workspace { json: "{", today: today() }, ExportFormat::Oscal, NOW, None).is_err());
    assert!(export_from(ExportSource::ShareLink("v1.AAAA"), ExportFormat::Markdown, NOW, None).is_err());
    assert!(export_from(ExportSource::ShareLink(&made.link), ExportFormat::Json, NOW, None).unwrap_err().contains("cannot be made"));
    assert!(iso27017::share::encode_fitting_json("[]", TARGET_FRAGMENT_LEN).is_err());
}

/// The interview checklist of an assessment: the applicable controls' audit
/// questions, one CSV row each with blank answer and evidence columns; the
/// excluded controls left out of the CSV and listed with their justification
/// in the Markdown.
#[test]
fn interview_checklist_asks_about_the_controls_in_scope() {
    let ws = realistic();
    let r = report(&ws);
    let g = GuidanceSet::bundled();
    let checklist = InterviewChecklist::from_report(&r, g);
    let applicable: Vec<&str> = r.soa.iter().filter(|s| s.applicability == SoaApplicability::Applicable).map(|s| s.control.id.as_str()).collect();
    let excluded: Vec<&str> = r.soa.iter().filter(|s| s.applicability != SoaApplicability::Applicable).map(|s| s.control.id.as_str()).collect();
    assert!(!excluded.is_empty() && applicable.len() + excluded.len() == 121);

    let (header, rows) = parse_csv(&checklist.csv());
    assert_eq!(header, INTERVIEW_COLUMNS);
    assert_eq!(header, ["control", "title", "question_id", "question", "answer", "evidence_reference"]);
    let asked: usize = applicable.iter().map(|id| g.get(&id.parse().unwrap()).unwrap().audit_questions.len()).sum();
    assert_eq!(rows.len(), asked);
    let mut ids = std::collections::HashSet::new();
    for row in &rows {
        assert!(applicable.contains(&&row[0]), "{} is excluded or unknown", &row[0]);
        assert!(row[2].starts_with(&format!("{}-q", &row[0])) && ids.insert(row[2].to_string()), "{row:?}");
        assert!(row[3].len() > 20 && !row[3].contains('`'), "plain text: {row:?}");
        assert_eq!((&row[4], &row[5]), ("", ""));
    }
    let first = &rows[0];
    assert_eq!((&first[0], &first[1], &first[2]), ("5.1.1", "Policies for information security", "5.1.1-q1"));

    let md = checklist.markdown();
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, Parser::new_ext(&md, md_options()));
    for ev in Parser::new_ext(&md, md_options()) {
        assert!(!matches!(ev, Event::Html(_) | Event::InlineHtml(_) | Event::Start(Tag::Link { .. })), "{ev:?}");
    }
    assert!(md.starts_with("# Interview checklist: Production \\<b\\>2026\\</b\\>\n"), "{}", &md[..80]);
    assert!(html.contains("Organisation: =Acme | Cloud &lt;i&gt;GmbH&lt;/i&gt;") && html.contains("Date: 2026-06-01"));
    for id in &applicable {
        assert!(md.contains(&format!("\n## {id} ")), "{id}");
        assert!(md.contains(&format!("| {id}-q1 | ")) && md.contains(&format!("- [ ] **{id}-e1** ")), "{id}");
    }
    let (_, not_asked) = md.split_once("## Not asked: excluded from the Statement of Applicability").expect("excluded controls listed");
    for id in &excluded {
        assert!(!md.contains(&format!("| {id}-q1 |")) && not_asked.contains(&format!("- **{id}** ")), "{id}");
    }
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; not in scope") || html.contains("+1+1 not in scope"));
    assert!(!html.contains("<script") && !html.contains("<img"));

    // The whole catalog, for `iso27017 catalog`: every control, nothing excluded.
    let all = InterviewChecklist::from_catalog(Catalog::bundled(), g);
    assert_eq!((all.controls.len(), all.excluded.len()), (121, 0));
    assert_eq!(parse_csv(&all.csv()).1.len(), all.question_count());
    assert!(all.markdown().starts_with("# Interview checklist\n\nISO/IEC 27017:2015 · 121 controls, "));
}

/// A question that reads as a formula is neutralised in the CSV, as in the
/// other CSV exports.
#[test]
fn interview_csv_neutralises_formulas() {
    use iso27017::catalog::prose::GuidanceEntryV2;
    let c = Catalog::bundled();
    let questions: String = ["=HYPERLINK(\"http://evil.example\")", "+1+1 asked?", "-2+3 asked?", "@SUM(A1:A9)"].iter().enumerate().map(|(i, q)| format!("- [q{}] {q}\n", i + 1)).collect();
    let entry = GuidanceEntryV2 {
        id: "5.1.1".into(),
        responsibility_note: "n".into(),
        markdown: format!("Intent.\n\n## Evidence an auditor will ask for\n\n- [e1] =cmd\n\n## Audit questions\n\n{questions}"),
        last_verified: "2026-12-07".into(),
        sources: Vec::new(),
        reverify: Vec::new(),
    };
    let g = GuidanceSet::from_entries(vec![entry], c);
    let (_, rows) = parse_csv(&InterviewChecklist::from_catalog(c, &g).csv());
    assert_eq!(rows.len(), 4, "only 5.1.1 has text");
    assert_eq!(rows.iter().map(|r| r[3].to_string()).collect::<Vec<_>>(), ["'=HYPERLINK(\"http://evil.example\")", "'+1+1 asked?", "'-2+3 asked?", "'@SUM(A1:A9)"]);
    assert!(rows.iter().flat_map(|r| r.iter()).all(|cell| !cell.starts_with(FORMULA_START)));
    let md = InterviewChecklist::from_catalog(c, &g).markdown();
    assert!(md.contains("## 5.1.2 Review of the policies for information security\n\nNo audit questions: the guidance text of this control is missing."));
}
