//! Other scanners' findings files (`ingest::scanners`): every format on real
//! samples (`tests/fixtures/scanners/`, sources in `SOURCES.md`), the mapping
//! to controls and its basis, the join with our own findings, the roll-up,
//! and hostile or truncated files.

use iso27017::catalog::Catalog;
use iso27017::checks::{Context, RuleSet};
use iso27017::engine::{self, Ingested};
use iso27017::ingest::scanners::mapping::{self, Basis, UserMapping};
use iso27017::ingest::scanners::{ImportedStatus, Imported};
use iso27017::ingest::{parse, Format, IngestError, Limits, Parsed};
use iso27017::inventory::{DiagnosticLevel, Provider};
use iso27017::model::{CheckId, ControlId, Severity, Status};
use serde_json::{json, Value};

fn bytes(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/scanners/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn load(name: &str) -> Parsed {
    parse(name, &bytes(name), &Limits::default()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn text(name: &str, s: &str) -> Result<Parsed, IngestError> {
    parse(name, s.as_bytes(), &Limits::default())
}

fn json_of(name: &str) -> Value {
    serde_json::from_slice(&bytes(name)).expect("fixture is JSON")
}

fn statuses(p: &Parsed) -> [usize; 5] {
    let mut n = [0; 5];
    for f in &p.imported {
        n[match f.status {
            ImportedStatus::Pass => 0,
            ImportedStatus::Fail => 1,
            ImportedStatus::Unknown => 2,
            ImportedStatus::Muted => 3,
            ImportedStatus::Suppressed => 4,
        }] += 1;
    }
    n
}

#[test]
fn every_sample_is_read_as_its_format() {
    // (file, format, findings, [pass, fail, unknown, muted, suppressed])
    let cases: &[(&str, Format, usize, [usize; 5])] = &[
        ("prowler_example_output_aws.ocsf.json", Format::ProwlerOcsf, 5, [0, 2, 3, 0, 0]),
        ("prowler_example_output_azure.ocsf.json", Format::ProwlerOcsf, 5, [0, 5, 0, 0, 0]),
        ("prowler_example_output_gcp.ocsf.json", Format::ProwlerOcsf, 5, [3, 2, 0, 0, 0]),
        ("prowler_example_output_aws.csv", Format::ProwlerCsv, 4, [0, 2, 2, 0, 0]),
        ("prowler_example_output_kubernetes.csv", Format::ProwlerCsv, 4, [1, 3, 0, 0, 0]),
        ("custodian_securityhub_GetFindings_insight.json", Format::SecurityHubAsff, 5, [0, 5, 0, 0, 0]),
        ("custodian_securityhub_GetFindings_ecr.json", Format::SecurityHubAsff, 20, [0, 0, 0, 20, 0]),
        ("custodian_event-securityhub-iamkey-finding-action.json", Format::SecurityHubAsff, 1, [0, 1, 0, 0, 0]),
        ("checkov_bucket_sse.json", Format::CheckovJson, 41, [25, 16, 0, 0, 0]),
        ("checkov_plan_and_pod.json", Format::CheckovJson, 166, [119, 47, 0, 0, 0]),
        ("checkov_plan.sarif", Format::Sarif, 26, [0, 26, 0, 0, 0]),
        ("checkov_openapi_results.sarif", Format::Sarif, 12, [0, 12, 0, 0, 0]),
        ("trivy_alpine-310.sarif", Format::Sarif, 0, [0, 0, 0, 0, 0]),
    ];
    for (name, format, n, st) in cases {
        let p = load(name);
        assert_eq!(p.format, *format, "{name}");
        if *n > 0 {
            assert_eq!(p.imported.len(), *n, "{name}");
            assert_eq!(statuses(&p), *st, "{name}");
        }
        assert!(p.inventory.resources.is_empty(), "{name}");
        assert!(p.diagnostics.iter().all(|d| d.level != DiagnosticLevel::Error), "{name}: {:?}", p.diagnostics);
        // Every finding points back into its file: the pointer resolves there.
        if name.ends_with(".json") || name.ends_with(".sarif") {
            let doc = json_of(name);
            for f in &p.imported {
                let ptr = f.source.pointer.to_string();
                assert!(doc.pointer(&ptr).is_some(), "{name}: {ptr} does not resolve");
                assert!(f.source.line.is_some_and(|l| l >= 1), "{name}: no line");
            }
        } else {
            assert!(p.imported.iter().all(|f| f.source.line.is_some_and(|l| l >= 2)), "{name}");
        }
    }
    // Trivy's image scan: every vulnerability is a result.
    let trivy = load("trivy_alpine-310.sarif");
    assert!(trivy.imported.len() >= 2);
    assert!(trivy.imported.iter().all(|f| f.tool.name == "Trivy" && f.check.starts_with("CVE-") && f.provider == Provider::Other));
}

#[test]
fn prowler_fields_are_kept() {
    let p = load("prowler_example_output_aws.ocsf.json");
    let f = &p.imported[0];
    assert_eq!(f.tool.name, "Prowler");
    assert_eq!(f.tool.version, None, "the example's <prowler_version> placeholder is not a version");
    assert_eq!(f.check.as_str(), "accessanalyzer_enabled");
    assert_eq!(f.status, ImportedStatus::Fail);
    assert_eq!(f.severity, Some(Severity::Low));
    assert_eq!(f.provider, Provider::Aws);
    assert_eq!(f.title.as_str(), "Check if IAM Access Analyzer is enabled");
    assert!(f.message.contains("not enabled"));
    assert!(f.remediation.as_deref().is_some_and(|r| r.starts_with("Enable IAM Access Analyzer")));
    assert!(f.remediation_url.as_deref().is_some_and(|u| u.starts_with("https://")));
    assert_eq!(f.account.as_deref(), Some("<account_uid>"));
    assert_eq!(f.source.pointer.to_string(), "/0");
    assert_eq!(f.source.line, Some(2));
    // MANUAL is unknown; the CSV says the same as the OCSF.
    assert_eq!(p.imported[1].status, ImportedStatus::Unknown);
    let csv = load("prowler_example_output_aws.csv");
    for (a, b) in p.imported.iter().zip(&csv.imported) {
        assert_eq!((a.check.as_str(), a.status, a.severity), (b.check.as_str(), b.status, b.severity));
    }
    assert_eq!(csv.imported[0].source.line, Some(2));
    // Muted findings (CSV MUTED, OCSF status Suppressed).
    let muted = String::from_utf8(bytes("prowler_example_output_aws.csv")).unwrap().replacen(";FAIL;IAM Access Analyzer in account <account_uid> is not enabled.;False;", ";FAIL;IAM Access Analyzer in account <account_uid> is not enabled.;True;", 1);
    assert_eq!(text("m.csv", &muted).unwrap().imported[0].status, ImportedStatus::Muted);
    let mut doc = json_of("prowler_example_output_aws.ocsf.json");
    doc[0]["status"] = json!("Suppressed");
    assert_eq!(text("m.json", &doc.to_string()).unwrap().imported[0].status, ImportedStatus::Muted);
}

#[test]
fn asff_in_every_shape() {
    let wrapped = load("custodian_securityhub_GetFindings_insight.json");
    assert_eq!(wrapped.imported[0].source.pointer.to_string(), "/data/Findings/0");
    assert_eq!(wrapped.imported[0].account.as_deref(), Some("644160558196"));
    let findings = json_of("custodian_securityhub_GetFindings_insight.json")["data"]["Findings"].clone();
    // get-findings output, a bare list, an EventBridge event and a list of events.
    let shapes = [
        json!({ "Findings": findings }),
        findings.clone(),
        json!({ "source": "aws.securityhub", "detail-type": "Security Hub Findings - Imported", "detail": { "findings": findings } }),
        json!([{ "detail-type": "Security Hub Findings - Imported", "detail": { "findings": findings } }]),
    ];
    for (i, doc) in shapes.iter().enumerate() {
        let p = text("f.json", &serde_json::to_string_pretty(doc).unwrap()).unwrap_or_else(|e| panic!("shape {i}: {e}"));
        assert_eq!((p.format, p.imported.len()), (Format::SecurityHubAsff, 5), "shape {i}");
        let doc_ptr = p.imported[4].source.pointer.to_string();
        assert!(doc.pointer(&doc_ptr).is_some(), "shape {i}: {doc_ptr}");
    }
    // Security Hub controls: compliance status and the control id.
    let control = json!({"Findings": [
        {"SchemaVersion": "2018-10-08", "Id": "a", "ProductArn": "arn:aws:securityhub:eu-west-1::product/aws/securityhub",
         "GeneratorId": "security-control/S3.5", "AwsAccountId": "111122223333", "Title": "S3 general purpose buckets should require requests to use SSL",
         "Severity": {"Label": "MEDIUM"}, "Resources": [{"Type": "AwsS3Bucket", "Id": "arn:aws:s3:::logs", "Region": "eu-west-1"}],
         "Compliance": {"Status": "FAILED", "SecurityControlId": "S3.5", "RelatedRequirements": ["NIST.800-53.r5 AC-17(2)"]},
         "Remediation": {"Recommendation": {"Text": "See the docs", "Url": "https://docs.aws.amazon.com/console/securityhub/S3.5/remediation"}},
         "Workflow": {"Status": "NEW"}, "RecordState": "ACTIVE", "ProductFields": {"aws/securityhub/ProductName": "Security Hub", "aws/securityhub/CompanyName": "AWS"}},
        {"SchemaVersion": "2018-10-08", "GeneratorId": "security-control/S3.5", "Title": "x", "Resources": [{"Type": "AwsS3Bucket", "Id": "arn:aws:s3:::b"}],
         "Compliance": {"Status": "PASSED", "SecurityControlId": "S3.5"}},
        {"SchemaVersion": "2018-10-08", "GeneratorId": "security-control/S3.5", "Title": "x", "Resources": [{"Type": "AwsS3Bucket", "Id": "arn:aws:s3:::c"}],
         "Compliance": {"Status": "FAILED", "SecurityControlId": "S3.5"}, "Workflow": {"Status": "SUPPRESSED"}},
        {"SchemaVersion": "2018-10-08", "GeneratorId": "security-control/S3.5", "Title": "x", "Resources": [{"Type": "AwsS3Bucket", "Id": "arn:aws:s3:::d"}],
         "Compliance": {"Status": "WARNING", "SecurityControlId": "S3.5"}}
    ]});
    let p = text("sh.json", &control.to_string()).unwrap();
    let st: Vec<ImportedStatus> = p.imported.iter().map(|f| f.status).collect();
    assert_eq!(st, [ImportedStatus::Fail, ImportedStatus::Pass, ImportedStatus::Suppressed, ImportedStatus::Unknown]);
    let f = &p.imported[0];
    assert_eq!((f.check.as_str(), f.control_id.as_deref(), f.tool.name.as_str()), ("S3.5", Some("S3.5"), "Security Hub"));
    assert_eq!((f.resource.as_str(), f.resource_name.as_str(), f.region.as_deref()), ("arn:aws:s3:::logs", "logs", Some("eu-west-1")));
    assert_eq!(f.remediation_url.as_deref(), Some("https://docs.aws.amazon.com/console/securityhub/S3.5/remediation"));
}

#[test]
fn checkov_reports_one_or_many() {
    let one = load("checkov_bucket_sse.json");
    assert_eq!(one.imported[0].tool.version.as_deref(), Some("3.3.30"));
    assert!(one.imported.iter().all(|f| f.provider == Provider::Aws));
    let many = load("checkov_plan_and_pod.json");
    assert!(many.imported.iter().any(|f| f.provider == Provider::Kubernetes && f.check.starts_with("CKV_K8S_")));
    assert!(many.imported.iter().any(|f| f.source.pointer.to_string().starts_with("/1/results/failed_checks/")));
    // A skipped check is suppressed, with the comment.
    let mut doc = json_of("checkov_bucket_sse.json");
    let failed = doc["results"]["failed_checks"][0].clone();
    let mut skipped = failed.clone();
    skipped["check_result"] = json!({"result": "SKIPPED", "suppress_comment": "public static site <b>ok</b>"});
    doc["results"]["skipped_checks"] = json!([skipped]);
    let p = text("c.json", &doc.to_string()).unwrap();
    let s = p.imported.iter().find(|f| f.status == ImportedStatus::Suppressed).expect("the skipped check");
    // Scanner text is kept as text, never interpreted.
    assert_eq!(s.suppression.as_deref(), Some("public static site <b>ok</b>"));
}

#[test]
fn sarif_results_status_and_severity() {
    let p = load("checkov_plan.sarif");
    assert_eq!((p.imported[0].tool.name.as_str(), p.imported[0].tool.version.as_deref()), ("Checkov", Some("3.3.30")));
    assert!(p.imported[0].resource.contains(".json:"));
    let doc = json!({"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "KICS", "version": "2.1.0", "rules": [
            {"id": "6726dcc0-5ff5-459d-b473-a780bef7665c", "shortDescription": {"text": "S3 Bucket Without Server-side-encryption"},
             "properties": {"security-severity": "7.5"}, "helpUri": "https://docs.kics.io/"}]}},
        "results": [
            {"ruleId": "6726dcc0-5ff5-459d-b473-a780bef7665c", "level": "error", "message": {"text": "no SSE"},
             "locations": [{"physicalLocation": {"artifactLocation": {"uri": "main.tf"}, "region": {"startLine": 3}}}]},
            {"ruleIndex": 0, "kind": "pass", "message": {"text": "ok"}},
            {"ruleIndex": 0, "suppressions": [{"kind": "inSource", "justification": "accepted"}], "message": {"text": "s"}},
            {"ruleIndex": 0, "kind": "review", "message": {"text": "r"}},
            {"message": {"text": "no rule"}}
        ]}]});
    let p = text("k.sarif", &doc.to_string()).unwrap();
    let st: Vec<ImportedStatus> = p.imported.iter().map(|f| f.status).collect();
    assert_eq!(st, [ImportedStatus::Fail, ImportedStatus::Pass, ImportedStatus::Suppressed, ImportedStatus::Unknown]);
    assert_eq!(p.imported[0].severity, Some(Severity::High));
    assert_eq!(p.imported[0].resource.as_str(), "main.tf:3");
    assert_eq!(p.imported[2].suppression.as_deref(), Some("accepted"));
    // The result without a rule is listed as a problem, not dropped silently.
    assert!(p.diagnostics.iter().any(|d| d.level == DiagnosticLevel::Error && d.message.contains("names no rule")));
}

#[test]
fn hostile_and_truncated_files_get_specific_errors() {
    for name in [
        "prowler_example_output_aws.ocsf.json",
        "custodian_securityhub_GetFindings_insight.json",
        "checkov_plan_and_pod.json",
        "checkov_plan.sarif",
    ] {
        let b = bytes(name);
        let cut = &b[..b.len() / 2];
        match parse(name, cut, &Limits::default()) {
            Err(IngestError::Syntax { message, .. }) => assert!(message.contains("truncated"), "{name}: {message}"),
            other => panic!("{name}: {other:?}"),
        }
    }
    // Deep nesting inside a finding.
    let deep = format!("[{{\"class_uid\":2004,\"finding_info\":{{}},\"x\":{}{}}}]", "[".repeat(300), "]".repeat(300));
    assert!(matches!(text("d.json", &deep), Err(IngestError::TooDeep { .. })));
    // The right signs, the wrong layout.
    let err = text("s.sarif", r#"{"version":"2.1.0","runs":{"results":[]}}"#).unwrap_err().to_string();
    assert!(err.contains("SARIF") && err.contains("layout"), "{err}");
    let err = text("s.sarif", r#"{"$schema":"sarif-schema","version":"1.0.0","runs":[]}"#).unwrap_err().to_string();
    assert!(err.contains("only 2.1.0"), "{err}");
    // One unreadable finding is a diagnostic; the others are read.
    let mut doc = json_of("prowler_example_output_aws.ocsf.json");
    doc[1]["finding_info"] = json!(42);
    doc[2]["metadata"]["event_code"] = json!(null);
    let p = text("p.json", &doc.to_string()).unwrap();
    assert_eq!(p.imported.len(), 3);
    let errors: Vec<&str> = p.diagnostics.iter().filter(|d| d.level == DiagnosticLevel::Error).map(|d| d.message.as_str()).collect();
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(errors[0].starts_with("finding 2 could not be read"), "{errors:?}");
    assert!(errors[1].contains("no check id"), "{errors:?}");
    // Broken CSV: the rows before the break are kept, the break is reported.
    let csv = String::from_utf8(bytes("prowler_example_output_aws.csv")).unwrap();
    let broken = format!("{}\n<auth>;2025;acct;;;;;;uid;aws;x_check;\"unterminated\n", csv.trim_end());
    let p = text("b.csv", &broken).unwrap();
    assert!(p.imported.len() >= 5);
    // An empty findings list is read and said to be empty.
    let p = text("e.json", r#"{"Findings": [], "SchemaVersion": "2018-10-08"}"#).unwrap();
    assert!(p.imported.is_empty() && p.diagnostics.iter().any(|d| d.message.contains("no findings")));
    // Control characters and huge strings are cleaned and clipped.
    let mut doc = json_of("prowler_example_output_aws.ocsf.json");
    doc[0]["status_detail"] = json!(format!("\u{1b}[31m{}", "x".repeat(10_000)));
    let p = text("h.json", &doc.to_string()).unwrap();
    assert!(!p.imported[0].message.contains('\u{1b}'));
    assert!(p.imported[0].message.chars().count() <= iso27017::ingest::scanners::MAX_TEXT + 1);
}

#[test]
fn mapping_tables_name_existing_checks_and_controls() {
    let problems = mapping::lint(RuleSet::bundled(), Catalog::bundled());
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    let data: Value = serde_json::from_str(mapping::PROWLER_DATA).unwrap();
    assert_eq!(data["source"]["repository"], "prowler-cloud/prowler");
    assert_eq!(data["source"]["licence"], "Apache-2.0");
    assert_eq!(data["source"]["commit"].as_str().map(str::len), Some(40));
}

fn assess_with(inputs: &[(&str, Vec<u8>)], user: Option<&UserMapping>) -> engine::Assessment {
    Ingested::parse(inputs.iter().map(|(n, b)| (*n, b.as_slice())), &Limits::default()).assess_with(RuleSet::bundled(), &Context::on(2026, 6, 1), user)
}

fn imported_of(a: &engine::Assessment) -> Vec<&iso27017::checks::Finding> {
    a.findings.iter().filter(|f| f.origin.is_some()).collect()
}

#[test]
fn each_basis_of_a_mapping() {
    // Published: a Prowler AWS check in its ISO/IEC 27001:2013 mapping.
    let mut doc = json_of("prowler_example_output_aws.ocsf.json");
    doc[0]["metadata"]["event_code"] = json!("cloudtrail_multi_region_enabled");
    // In file: an unmapped check whose compliance list names an Annex A 2013 control.
    doc[1]["metadata"]["event_code"] = json!("some_new_check");
    doc[1]["unmapped"]["compliance"] = json!({"ISO27001-2013": ["A.12.4.3"], "CIS-2.0": ["1.1"]});
    let a = assess_with(&[("p.json", doc.to_string().into_bytes())], None);
    let imp = imported_of(&a);
    let o = |i: usize| imp[i].origin.as_deref().unwrap();
    assert_eq!(o(0).mapping.basis, Basis::Published);
    assert_eq!(imp[0].controls.iter().map(ControlId::as_str).collect::<Vec<_>>(), ["12.4.1"]);
    assert!(o(0).mapping.note.contains("A.12.4.T"), "{}", o(0).mapping.note);
    assert_eq!(o(1).mapping.basis, Basis::InFile);
    assert_eq!(imp[1].controls.iter().map(ControlId::as_str).collect::<Vec<_>>(), ["12.4.3"]);
    // Unmapped: listed and counted, no controls.
    assert_eq!(o(2).mapping.basis, Basis::Unmapped);
    assert!(imp[2].controls.is_empty());
    assert_eq!(a.imported_counts(), (5, 3));
    // The 2022 files of the other providers, through the catalog.
    let az = assess_with(&[("az.json", bytes("prowler_example_output_azure.ocsf.json"))], None);
    assert!(imported_of(&az).iter().any(|f| f.origin.as_ref().unwrap().mapping.basis == Basis::Published && !f.controls.is_empty()));
    // Ours: a Security Hub control id, a Checkov id.
    let sh = json!({"Findings": [{"SchemaVersion": "2018-10-08", "GeneratorId": "security-control/S3.5", "Title": "t",
        "Resources": [{"Type": "AwsS3Bucket", "Id": "arn:aws:s3:::logs"}], "Compliance": {"Status": "FAILED", "SecurityControlId": "S3.5"}}]});
    let a = assess_with(&[("sh.json", sh.to_string().into_bytes())], None);
    let f = imported_of(&a)[0];
    let m = &f.origin.as_ref().unwrap().mapping;
    assert_eq!((m.basis, m.check.as_ref().map(CheckId::as_str)), (Basis::Ours, Some("object_bucket_tls_only")));
    assert_eq!(f.check.as_str(), "security_hub:S3.5");
    assert_eq!(*f.controls, *RuleSet::bundled().rule("object_bucket_tls_only").unwrap().controls);
    // User: the workspace's own mapping comes first.
    let mut user = UserMapping::default();
    user.set("security_hub:S3.5".parse().unwrap(), vec!["13.2.1".parse().unwrap()]);
    let a = assess_with(&[("sh.json", sh.to_string().into_bytes())], Some(&user));
    let f = imported_of(&a)[0];
    assert_eq!(f.origin.as_ref().unwrap().mapping.basis, Basis::User);
    assert_eq!(f.controls.iter().map(ControlId::as_str).collect::<Vec<_>>(), ["13.2.1"]);
    let c = a.controls.iter().find(|c| c.control.as_str() == "13.2.1").unwrap();
    assert_eq!((c.status, c.tally.fail), (Status::Fail, 1));
    assert!(c.checks.iter().any(|id| id.as_str() == "security_hub:S3.5"));
}

#[test]
fn imports_join_our_findings_and_roll_up_once() {
    let plan = std::fs::read(format!("{}/tests/fixtures/ingest/terraform/bucket_sse_infra.json", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let ours = assess_with(&[("plan.json", plan.clone())], None);
    let both = assess_with(&[("plan.json", plan), ("checkov.json", bytes("checkov_bucket_sse.json"))], None);
    assert_eq!(both.inputs[1].imported, 41);
    let imp = imported_of(&both);
    // Versioning: Checkov and our check fail the same three buckets: one item each.
    let versioning: Vec<_> = imp.iter().filter(|f| f.check.as_str() == "checkov:CKV_AWS_21").collect();
    assert_eq!(versioning.len(), 3);
    for f in &versioning {
        let same = f.origin.as_ref().unwrap().same_as.as_ref().expect("joined to our finding");
        assert_eq!((same.check.as_str(), same.status, same.agrees), ("object_bucket_versioning", Status::Fail, true));
    }
    // ... so control 12.3.1 counts those failures once.
    let count = |a: &engine::Assessment, id: &str, check: &str| -> usize {
        a.findings.iter().filter(|f| f.check.as_str() == check && f.status == Status::Fail && f.controls.iter().any(|c| c.as_str() == id)).count()
    };
    assert_eq!(count(&ours, "12.3.1", "object_bucket_versioning"), 3);
    let c = |a: &engine::Assessment, id: &str| a.controls.iter().find(|c| c.control.as_str() == id).unwrap().tally;
    // 12.3.1 also gets CKV_AWS_144 (replication, 3 fails, ours has no such check).
    assert_eq!(c(&both, "12.3.1").fail, c(&ours, "12.3.1").fail + 3);
    // Disagreement: Checkov wants a public access block resource, our check
    // passes new buckets on the S3 default. Both stay visible; the fail counts.
    let pab: Vec<_> = imp.iter().filter(|f| f.check.as_str() == "checkov:CKV2_AWS_6").collect();
    assert_eq!(pab.len(), 3);
    for f in &pab {
        let same = f.origin.as_ref().unwrap().same_as.as_ref().unwrap();
        assert_eq!((same.status, same.agrees), (Status::Pass, false));
    }
    let ctl = RuleSet::bundled().rule("object_bucket_public_access_blocked").unwrap().controls[0].clone();
    let t = both.controls.iter().find(|c| c.control == ctl).unwrap();
    assert_eq!(t.status, Status::Fail);
    // Every imported check has its result after ours.
    assert!(both.checks.iter().any(|c| c.check.as_str() == "checkov:CKV_AWS_21" && c.status == Status::Fail));
    assert_eq!(both.checks.len() - ours.checks.len(), imp.iter().map(|f| f.check.as_str()).collect::<std::collections::BTreeSet<_>>().len());
    // Unmapped checks are counted (CKV2_AWS_62: event notifications).
    let (n, unmapped) = both.imported_counts();
    assert_eq!(n, 41);
    assert!(unmapped > 0 && imp.iter().any(|f| f.check.as_str() == "checkov:CKV2_AWS_62" && f.controls.is_empty()));
}

#[test]
fn imported_findings_round_trip_as_json() {
    let p = load("custodian_securityhub_GetFindings_insight.json");
    let f: &Imported = &p.imported[0];
    let back: Imported = serde_json::from_str(&serde_json::to_string(f).unwrap()).unwrap();
    assert_eq!(&back, f);
}

#[test]
fn imported_findings_survive_storage_and_reach_the_exports() {
    use iso27017::report::workspace_report::{ExportFormat, Report};
    use iso27017::workspace::{self, UploadRecord, Workspaces};
    let plan = std::fs::read(format!("{}/tests/fixtures/ingest/terraform/bucket_sse_infra.json", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let a = assess_with(&[("plan.json", plan), ("checkov.json", bytes("checkov_bucket_sse.json"))], None);
    let mut wss = Workspaces::new();
    let id = wss.create("imports", 1_780_000_000_000).unwrap();
    let w = wss.get_mut(&id).unwrap();
    for input in &a.inputs {
        let findings: Vec<_> = a.findings.iter().filter(|f| *f.resource.source.file == *input.name).cloned().collect();
        let rec = UploadRecord::new(input.name.clone(), input.name.as_bytes(), input.format, input.resources, input.diagnostics.len(), findings);
        w.upsert_upload(rec, 1_780_000_000_000).unwrap();
    }
    let imported: Vec<_> = w.findings().filter(|f| f.origin.is_some()).cloned().collect();
    // Failing findings and passes (passes keep their origin too).
    assert!(imported.len() >= 16, "{}", imported.len());
    // Storage (version 4 on) and the exchange file keep every imported field.
    let text = workspace::export(&wss);
    let current = format!("\"version\": {}", workspace::store::VERSION);
    assert!(text.contains(&current));
    assert!(text.contains("\"import_check_table\""));
    let back = workspace::import(&text).unwrap();
    assert_eq!(back.list()[0].findings().cloned().collect::<Vec<_>>(), wss.list()[0].findings().cloned().collect::<Vec<_>>());
    assert_eq!(workspace::load(&workspace::save(&wss)), workspace::LoadOutcome::Loaded(wss.clone()));
    // An older document with imported tables was changed by hand: refused.
    let old = text.replacen(&current, "\"version\": 3", 1);
    assert!(workspace::import(&old).is_err());
    // Exports: CSV says who found each finding and how it is mapped; OSCAL too.
    let w = &wss.list()[0];
    let report = Report::from_workspace(w, Catalog::bundled(), RuleSet::bundled(), 20_600);
    let csv = report.export(ExportFormat::CsvFindings, 1_780_000_000_000, None).unwrap();
    let mut rdr = ::csv::Reader::from_reader(csv.as_bytes());
    let header = rdr.headers().unwrap().clone();
    let col = |n: &str| header.iter().position(|h| h == n).unwrap();
    let rows: Vec<::csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    let checkov = rows.iter().find(|r| &r[col("check")] == "checkov:CKV2_AWS_6").expect("an imported failing finding");
    assert_eq!((&checkov[col("found_by")], &checkov[col("tool_check")], &checkov[col("mapping_basis")]), ("Checkov 3.3.30", "CKV2_AWS_6", "ours"));
    assert!(rows.iter().any(|r| &r[col("found_by")] == "iso27017-assessor"));
    let oscal = report.export(ExportFormat::Oscal, 1_780_000_000_000, None).unwrap();
    assert!(oscal.contains("\"found-by\"") && oscal.contains("Checkov 3.3.30"));
    // A share link carries the mapped failing imported findings (check `tool:ID`), never the unmapped ones.
    let opts = iso27017::share::ShareOptions { include_resource_ids: true, ..Default::default() };
    let share = iso27017::share::ShareV1::from_workspace(w, 20_600, &opts);
    assert!(share.findings.iter().any(|f| f.check.as_str() == "checkov:CKV2_AWS_6"));
    assert!(!share.findings.iter().any(|f| f.check.as_str() == "checkov:CKV2_AWS_62"));
    let link = iso27017::share::encode(&share).unwrap();
    assert_eq!(iso27017::share::decode(&link).unwrap(), share);
}

#[test]
fn the_worker_imports_a_findings_file_and_hands_it_to_the_page() {
    use iso27017::workspace::transfer;
    let o = transfer::assess_file("prowler.json", &bytes("prowler_example_output_azure.ocsf.json"), &Limits::default(), RuleSet::bundled(), &Context::on(2026, 6, 1), &mut |_| {});
    assert_eq!(o.refused, None);
    assert_eq!(o.record.format, Some(Format::ProwlerOcsf));
    assert_eq!(o.record.findings.len(), 5);
    assert!(o.record.findings.iter().all(|f| f.imported().is_some_and(|i| i.tool.name == "Prowler")));
    let parts = transfer::to_json_parts(&o);
    let read: Vec<_> = parts.iter().map(|p| transfer::from_json(p).expect("part")).collect();
    assert_eq!(transfer::join(read), Some(o));
}
