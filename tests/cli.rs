//! The `iso27017` binary: exit codes, help, completions and the output of
//! each command.

use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_iso27017"))
}

#[test]
fn catalog_json_is_the_versioned_document() {
    let out = bin().args(["catalog", "--format", "json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["version"], 2);
    assert_eq!(v["controls"].as_array().unwrap().len(), 121);
    assert_eq!(v["controls"][9]["id"], "CLD.6.3.1");
}

#[test]
fn catalog_markdown_lists_controls() {
    let out = bin().args(["catalog", "--format=markdown"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("# ISO/IEC 27017:2015 control catalog"));
    assert!(text.contains("#### CLD.9.5.1 Segregation in virtual computing environments"));
}

#[test]
fn checks_are_listed_in_each_format() {
    let rules = iso27017::checks::RuleSet::bundled();
    let out = bin().args(["checks", "--format", "json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["format"], "iso27017-assessor/checks");
    assert_eq!(v["version"], 1);
    let ids: Vec<&str> = v["checks"].as_array().unwrap().iter().filter_map(|c| c["id"].as_str()).collect();
    assert_eq!(ids.len(), rules.rules().len());
    for rule in rules.rules() {
        assert!(ids.contains(&rule.id.as_str()), "{} is not listed", rule.id);
    }
    // The Markdown is the committed docs/checks.md (tests/checks_listing.rs keeps that file current).
    let md = bin().args(["checks", "-f", "markdown"]).output().unwrap();
    assert_eq!(md.status.code(), Some(0));
    let committed = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/checks.md")).unwrap();
    assert_eq!(String::from_utf8(md.stdout).unwrap(), committed);
    let table = bin().args(["checks"]).output().unwrap();
    assert_eq!(table.status.code(), Some(0));
    let text = String::from_utf8(table.stdout).unwrap();
    assert!(text.contains("audit_trail_multi_region"), "{text}");
}

#[test]
fn catalog_writes_the_interview_checklist_of_every_control() {
    let checklist = iso27017::report::workspace_report::InterviewChecklist::from_catalog(iso27017::Catalog::bundled(), iso27017::catalog::GuidanceSet::bundled());
    let out = bin().args(["catalog", "--format", "interview-csv"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text, checklist.csv());
    let mut rd = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(rd.headers().unwrap().iter().collect::<Vec<_>>(), ["control", "title", "question_id", "question", "answer", "evidence_reference"]);
    let rows: Vec<csv::StringRecord> = rd.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), checklist.question_count());
    assert!(rows.len() >= 121 * 3);
    let md = bin().args(["catalog", "-f", "interview-markdown"]).output().unwrap();
    let md = String::from_utf8(md.stdout).unwrap();
    assert_eq!(md, checklist.markdown());
    assert!(md.contains("## CLD.9.5.1 Segregation in virtual computing environments\n\n| Id | Question | Answer | Evidence reference |"));
}

#[test]
fn output_file_is_written() {
    let dir = std::env::temp_dir().join(format!("iso27017-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("catalog.json");
    let out = bin().args(["catalog", "-o"]).arg(&file).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(std::fs::read_to_string(&file).unwrap().contains("\"iso27017-assessor/catalog\""));
    let bad = bin().args(["catalog", "-o", "/nonexistent-dir/x.json"]).output().unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("cannot write"));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn bad_usage_exits_2_with_a_message() {
    for args in [&["catalog", "--format", "pdf"][..], &["frobnicate"], &["catalog", "--format"], &[], &["assess", "--frobnicate", "x.json"], &["completions", "tcsh"]] {
        let out = bin().args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}: usage errors go to standard error");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.starts_with("error: ") || err.contains("Usage: iso27017"), "{args:?}: {err}");
        assert!(err.contains("--help"), "{args:?}: points to the help: {err}");
    }
    let unknown = bin().args(["assess", "--frobnicate", "x.json"]).output().unwrap();
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("'--frobnicate'"), "the unknown option is named");
    let format = bin().args(["catalog", "--format", "pdf"]).output().unwrap();
    assert!(String::from_utf8_lossy(&format.stderr).starts_with("error: unknown format \"pdf\"; use json, markdown, interview-markdown or interview-csv\n"));
}

/// The long help of `args` (exit 0, on standard output).
fn help(args: &[&str]) -> String {
    let out = bin().args(args).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    assert!(out.stderr.is_empty(), "{args:?}");
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn every_command_has_help_naming_each_option() {
    let commands: [(&str, &[&str]); 5] = [
        (
            "assess",
            &[
                "<FILE>", "--format", "--fail-on", "--include-passed", "--max-size", "--today", "--output", "table", "json", "sarif", "markdown",
                "csv-findings", "csv-soa", "oscal", "workspace", "info", "low", "medium", "high", "critical", "none", "Exit codes:", "Examples:",
            ],
        ),
        ("report", &["<WORKSPACE>", "--format", "--workspace", "--today", "--output", "markdown", "csv-findings", "csv-soa", "oscal", "json", "interview-markdown", "interview-csv", "Exit codes:", "Examples:"]),
        ("catalog", &["--format", "--output", "json", "markdown", "interview-markdown", "interview-csv", "Exit codes:"]),
        ("checks", &["--format", "--output", "table", "json", "markdown", "Exit codes:", "Examples:"]),
        ("completions", &["<SHELL>", "bash", "zsh", "fish", "~/.config/fish/completions/iso27017.fish"]),
    ];
    for (command, mentions) in commands {
        let text = help(&[command, "--help"]);
        assert!(text.contains(&format!("Usage: iso27017 {command}")), "{command}: {text}");
        for m in mentions {
            assert!(text.contains(m), "{command} --help does not mention {m}:\n{text}");
        }
        assert_eq!(help(&["help", command]), text, "'help {command}' is '{command} --help'");
        let short = help(&[command, "-h"]);
        assert!(short.len() < text.len(), "{command} -h is a summary");
    }
    let top = help(&["--help"]);
    for m in ["assess", "report", "checks", "catalog", "completions", "--version", "Exit codes:", "Examples:"] {
        assert!(top.contains(m), "--help does not mention {m}");
    }
    assert_eq!(help(&["help"]), top, "'help' is '--help'");
    // Without a command: the help, as a usage error.
    let bare = bin().output().unwrap();
    assert_eq!(bare.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bare.stderr).contains("Commands:"));
}

#[test]
fn version_is_the_crate_version() {
    for flag in ["--version", "-V"] {
        assert_eq!(help(&[flag]), format!("iso27017 {}\n", env!("CARGO_PKG_VERSION")));
    }
}

#[test]
fn completions_are_written_for_each_shell() {
    for (shell, marker) in [("bash", "complete -F _iso27017"), ("zsh", "#compdef iso27017"), ("fish", "complete -c iso27017")] {
        let script = help(&["completions", shell]);
        assert!(script.contains(marker), "{shell}: {}", &script[..script.len().min(300)]);
        for word in ["assess", "include-passed", "csv-findings"] {
            assert!(script.contains(word), "{shell} completions lack {word}");
        }
    }
}

#[test]
fn a_date_that_is_not_in_the_calendar_is_refused() {
    let sg = fixture("aws-config/AWS_EC2_SecurityGroup.json");
    for (date, why) in [("2026-02-30", "February 2026 has 28 days"), ("2025-04-31", "April 2025 has 30 days"), ("2026-13-01", "there is no month 13 (01 to 12)"), ("1 June", "write it YYYY-MM-DD")] {
        for command in [["assess", sg.as_str()], ["report", sg.as_str()]] {
            let out = bin().args(command).args(["--today", date]).output().unwrap();
            assert_eq!(out.status.code(), Some(2), "{command:?} {date}");
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(err.starts_with(&format!("error: --today needs a date like 2026-06-01, got {date:?}: {why}\n")), "{err}");
        }
    }
    let leap = bin().args(["assess", "--fail-on", "none", "--today", "2028-02-29", &sg]).output().unwrap();
    assert_eq!(leap.status.code(), Some(0), "{}", String::from_utf8_lossy(&leap.stderr));
}

fn fixture(rel: &str) -> String {
    format!("{}/tests/fixtures/ingest/{rel}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn assess_json_follows_the_v2_contract() {
    let out = bin()
        .args(["assess", "--format", "json", "--today", "2026-06-01"])
        .arg(fixture("terraform/bucket_sse_infra.json"))
        .arg(fixture("aws-config/AWS_EC2_SecurityGroup.json"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "failing checks exit 1: {}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["format"], "iso27017-assessor/assessment");
    assert_eq!(v["version"], 2);
    assert_eq!(v["inputs"].as_array().unwrap().len(), 2);
    assert_eq!(v["inputs"][0]["format"], "terraform_plan");
    assert_eq!(v["inputs"][1]["format"], "aws_config");
    assert_eq!(v["controls"].as_array().unwrap().len(), 121);
    let f = v["findings"].as_array().unwrap().iter().find(|f| f["resource"]["id"] == "aws_s3_bucket.unencrypted" && f["check"] == "object_bucket_versioning").unwrap();
    assert_eq!(f["status"], "fail");
    assert_eq!(f["severity"], "medium");
    assert_eq!(f["controls"], serde_json::json!(["12.3.1"]));
    assert!(f["source"]["pointer"].as_str().unwrap().starts_with('/'));
    assert_eq!(f["observed"]["versioning"], false);
    // A bucket the plan creates without versioning: S3's default, named with its source.
    assert_eq!(f["defaults"][0]["default"], "s3_versioning_off");
    assert!(f["defaults"][0]["source"].as_str().unwrap().starts_with("https://"));
    // Every required field of docs/assessment.schema.json is present.
    let schema: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(format!("{}/docs/assessment.schema.json", env!("CARGO_MANIFEST_DIR"))).unwrap()).unwrap();
    for key in schema["required"].as_array().unwrap() {
        assert!(v.get(key.as_str().unwrap()).is_some(), "missing {key}");
    }
    assert_eq!(schema["properties"]["version"]["const"], 2);
    for key in schema["properties"]["findings"]["items"]["required"].as_array().unwrap() {
        assert!(f.get(key.as_str().unwrap()).is_some(), "finding missing {key}");
    }
    // Passes are counted per check, with their resources; not written in full.
    assert!(v["findings"].as_array().unwrap().iter().all(|f| f["status"] != "pass"));
    let passed = v["passed"].as_array().unwrap();
    assert!(!passed.is_empty());
    for p in passed {
        for key in schema["properties"]["passed"]["items"]["required"].as_array().unwrap() {
            assert!(p.get(key.as_str().unwrap()).is_some(), "passed entry missing {key}");
        }
        assert_eq!(p["resources"].as_array().unwrap().len() as u64, p["count"].as_u64().unwrap());
    }
    let encrypted = passed.iter().find(|p| p["check"] == "object_storage_encrypted_at_rest").unwrap();
    assert!(encrypted["resources"].as_array().unwrap().iter().any(|id| id == "aws_s3_bucket.aes_encrypted"), "{encrypted}");
    // No encryption block: S3's default since 2023-01-05 (SSE-S3) encrypts it.
    assert!(encrypted["resources"].as_array().unwrap().iter().any(|id| id == "aws_s3_bucket.unencrypted"), "{encrypted}");
    assert_eq!(passed.iter().map(|p| p["count"].as_u64().unwrap()).sum::<u64>(), v["summary"]["pass"].as_u64().unwrap());
}

#[test]
fn include_passed_writes_every_finding_in_full() {
    let files = [fixture("terraform/bucket_sse_infra.json"), fixture("aws-config/AWS_EC2_SecurityGroup.json")];
    let run = |args: &[&str]| {
        let out = bin().args(["assess", "--fail-on", "none", "--today", "2026-06-01"]).args(args).args(&files).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
        out.stdout
    };
    let full: serde_json::Value = serde_json::from_slice(&run(&["-f", "json", "--include-passed"])).unwrap();
    let compact: serde_json::Value = serde_json::from_slice(&run(&["-f", "json"])).unwrap();
    assert_eq!(full["version"], 2);
    assert!(full.get("passed").is_none(), "no counts beside the passes in full");
    let passes: Vec<&serde_json::Value> = full["findings"].as_array().unwrap().iter().filter(|f| f["status"] == "pass").collect();
    assert_eq!(passes.len() as u64, full["summary"]["pass"].as_u64().unwrap());
    assert!(passes.iter().any(|f| f["resource"]["id"] == "aws_s3_bucket.aes_encrypted" && f["check"] == "object_storage_encrypted_at_rest"));
    let failing = |v: &serde_json::Value| v["findings"].as_array().unwrap().iter().filter(|f| f["status"] != "pass").cloned().collect::<Vec<_>>();
    assert_eq!(failing(&full), failing(&compact));
    assert_eq!(full["summary"], compact["summary"]);

    let sarif = |args: &[&str]| -> Vec<serde_json::Value> {
        let v: serde_json::Value = serde_json::from_slice(&run(args)).unwrap();
        v["runs"][0]["results"].as_array().unwrap().clone()
    };
    let (with, without) = (sarif(&["-f", "sarif", "--include-passed"]), sarif(&["-f", "sarif"]));
    assert!(without.iter().all(|r| r["kind"] != "pass"));
    let pass_results: Vec<_> = with.iter().filter(|r| r["kind"] == "pass").collect();
    assert_eq!(pass_results.len(), passes.len());
    assert!(pass_results.iter().all(|r| r["level"] == "none"));
    assert_eq!(with.len(), without.len() + passes.len());
}

#[test]
fn assess_sarif_is_2_1_0_with_rules_and_locations() {
    let out = bin().args(["assess", "-f", "sarif", "--fail-on", "none"]).arg(fixture("cloudformation/EC2InstanceWithSecurityGroupSample.yaml")).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["version"], "2.1.0");
    let run = &v["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert!(rules.len() >= 60);
    let results = run["results"].as_array().unwrap();
    assert!(!results.is_empty());
    for r in results {
        let idx = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[idx]["id"], r["ruleId"], "ruleIndex points at its rule");
        assert!(["error", "warning", "note"].contains(&r["level"].as_str().unwrap()));
        assert!(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str().unwrap().ends_with(".yaml"));
        assert!(r["message"]["text"].as_str().is_some_and(|t| !t.is_empty()));
    }
}

#[test]
fn assess_exit_codes_and_thresholds() {
    let sg = fixture("aws-config/AWS_EC2_SecurityGroup.json");
    let code = |args: &[&str]| bin().arg("assess").args(args).arg(&sg).output().unwrap().status.code();
    assert_eq!(code(&[]), Some(1), "an open SSH port fails at the default threshold");
    assert_eq!(code(&["--fail-on", "none"]), Some(0));
    assert_eq!(code(&["--fail-on", "critical"]), Some(1), "open admin ports are critical");
    let bad = bin().args(["assess", "--fail-on", "none", "-"]).stdin(std::process::Stdio::piped()).stdout(std::process::Stdio::piped()).spawn().and_then(|mut c| {
        use std::io::Write;
        c.stdin.take().unwrap().write_all(b"not an export")?;
        c.wait_with_output()
    }).unwrap();
    assert_eq!(bad.status.code(), Some(2), "unusable input exits 2");
    assert!(String::from_utf8_lossy(&bad.stdout).contains("plain text"), "{}", String::from_utf8_lossy(&bad.stdout));
    assert_eq!(bin().args(["assess", "--format", "xml", &sg]).output().unwrap().status.code(), Some(2));
    assert_eq!(bin().args(["assess"]).output().unwrap().status.code(), Some(2));
    let big = bin().args(["assess", "--max-size", "100", &sg]).output().unwrap();
    assert_eq!(big.status.code(), Some(2));
}

#[test]
fn assess_markdown_and_table_name_the_failures() {
    let sg = fixture("aws-config/AWS_EC2_SecurityGroup.json");
    let md = String::from_utf8(bin().args(["assess", "-f", "markdown", &sg]).output().unwrap().stdout).unwrap();
    assert!(md.contains("# ISO/IEC 27017 automated assessment"));
    assert!(md.contains("firewall_admin_ports_not_public"));
    assert!(md.contains("**Remediation**"));
    let table = String::from_utf8(bin().args(["assess", &sg]).output().unwrap().stdout).unwrap();
    assert!(table.contains("FAIL") && table.contains("CLD.13.1.4"), "{table}");
}

#[test]
fn assess_writes_each_document_as_the_library_makes_it() {
    use iso27017::report::Passes;
    use iso27017::{checks, engine, ingest, report};
    let files = [fixture("terraform/full_compute_firewall.tfplan.json"), fixture("aws-config/AWS_EC2_SecurityGroup.json"), fixture("k8s/kube-score_list.yaml")];
    let bytes: Vec<Vec<u8>> = files.iter().map(|f| std::fs::read(f).unwrap()).collect();
    let rules = checks::RuleSet::bundled();
    let a = engine::assess_files(files.iter().map(String::as_str).zip(bytes.iter().map(Vec::as_slice)), &ingest::Limits::default(), rules, &checks::Context::on(2026, 6, 1));
    let dir = temp("stream");
    // The JSON says when it was made: at --today, 00:00 UTC.
    let stamped = |passes| {
        let mut out = Vec::new();
        report::json::to_writer_stamped(&mut out, &a, rules, passes, Some("2026-06-01T00:00:00Z")).unwrap();
        String::from_utf8(out).unwrap()
    };
    for (format, extra, text) in [
        ("json", None, stamped(Passes::Counted)),
        ("json", Some("--include-passed"), stamped(Passes::Full)),
        ("sarif", None, report::sarif::to_string(&a, rules, Passes::Counted)),
        ("sarif", Some("--include-passed"), report::sarif::to_string(&a, rules, Passes::Full)),
        ("markdown", None, report::markdown::to_string(&a, rules)),
        ("table", None, report::table::to_string(&a)),
    ] {
        let expected = if text.ends_with('\n') { text } else { text + "\n" };
        let out = bin().args(["assess", "--today", "2026-06-01", "-f", format]).args(extra).args(&files).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{format}: failures at the default threshold");
        assert!(out.stdout == expected.as_bytes(), "{format} {extra:?}: standard output is the library's document and one newline");
        let file = dir.join(format!("out.{format}"));
        let to_file = bin().args(["assess", "--today", "2026-06-01", "-f", format, "-o"]).arg(&file).args(extra).args(&files).output().unwrap();
        assert_eq!(to_file.status.code(), Some(1));
        assert!(std::fs::read(&file).unwrap() == expected.as_bytes(), "{format}: -o writes the same");
    }
}

#[test]
fn assess_reports_every_unreadable_file_and_stops() {
    let sg = fixture("aws-config/AWS_EC2_SecurityGroup.json");
    let dir = temp("unreadable");
    let out = bin().args(["assess", "-f", "json", &sg, "/nonexistent/plan.json"]).arg(&dir).arg(&sg).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty(), "nothing is written when an input cannot be read");
    let err = String::from_utf8(out.stderr).unwrap();
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 2, "{err}");
    assert!(lines.first().is_some_and(|l| l.starts_with("error: cannot open /nonexistent/plan.json: ")), "{err}");
    assert!(lines.get(1).is_some_and(|l| l.starts_with(&format!("error: cannot read {}: ", dir.display()))), "{err}");
}

#[test]
fn assess_into_a_closed_pipe_is_not_an_error() {
    use std::io::Read;
    #[path = "bench/synth.rs"]
    #[allow(dead_code)]
    mod synth;
    // About 10 MB of JSON: far more than a pipe holds, so the writer meets the closed pipe.
    let plan = temp("pipe").join("plan.json");
    std::fs::write(&plan, synth::terraform_plan(2000)).unwrap();
    let mut child = bin()
        .args(["assess", "-f", "json", "--include-passed"])
        .arg(&plan)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut head = [0u8; 100];
    child.stdout.take().unwrap().read_exact(&mut head).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(head.starts_with(b"{\n  \"format\": \"iso27017-assessor/assessment\""));
    assert_eq!(out.status.code(), Some(1), "the exit code says what the assessment found");
    assert!(out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
}

fn temp(tag: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("iso27017-cli-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `assess --format workspace` writes a file `report` (and the app) can import.
fn workspace_file(dir: &std::path::Path) -> std::path::PathBuf {
    let file = dir.join("workspace.json");
    let out = bin()
        .args(["assess", "--format", "workspace", "--today", "2026-06-01", "-o"])
        .arg(&file)
        .arg(fixture("terraform/bucket_sse_infra.json"))
        .arg(fixture("aws-config/AWS_EC2_SecurityGroup.json"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "failing checks still exit 1: {}", String::from_utf8_lossy(&out.stderr));
    file
}

fn report(file: &std::path::Path, args: &[&str]) -> std::process::Output {
    bin().arg("report").arg(file).args(args).output().unwrap()
}

#[test]
fn report_offers_every_export_of_a_workspace_file() {
    let dir = temp("report");
    let file = workspace_file(&dir);
    let text = std::fs::read_to_string(&file).unwrap();
    let imported = iso27017::workspace::import(&text).expect("assess --format workspace is re-importable");
    assert_eq!(imported.list().len(), 1);
    assert_eq!(imported.list()[0].uploads().len(), 2, "one upload record per input");

    let md = report(&file, &["--today", "2026-06-01"]);
    assert_eq!(md.status.code(), Some(0), "{}", String::from_utf8_lossy(&md.stderr));
    let md = String::from_utf8(md.stdout).unwrap();
    assert!(md.starts_with("# iso27017 assess: ISO/IEC 27017:2015 assessment report"), "{}", &md[..200]);
    for part in ["## Executive summary", "## Statement of Applicability", "## Failing findings", "## Shared-responsibility matrix", "**Remediation**"] {
        assert!(md.contains(part), "{part}");
    }

    // Per account: the AWS Config item states its account; the plan does not.
    let accounts = md.split("### Results per account, subscription or project").nth(1).expect("a per-account table");
    let accounts = accounts.split("\n\n#").next().unwrap_or_default();
    assert!(accounts.contains("| aws | 264683526309 |"), "{accounts}");
    assert!(accounts.contains("| aws | account not stated in the exports |"), "{accounts}");

    let csv_out = report(&file, &["-f", "csv-findings"]);
    assert_eq!(csv_out.status.code(), Some(0));
    let mut rd = csv::Reader::from_reader(csv_out.stdout.as_slice());
    assert_eq!(rd.headers().unwrap().get(0), Some("section"));
    assert!(rd.records().count() > 0);

    let soa = report(&file, &["--format=csv-soa"]);
    assert_eq!(csv::Reader::from_reader(soa.stdout.as_slice()).records().count(), 121);

    let oscal_file = dir.join("ar.json");
    let o = bin().arg("report").arg(&file).args(["-f", "oscal", "--today", "2026-06-01", "-o"]).arg(&oscal_file).output().unwrap();
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&oscal_file).unwrap()).unwrap();
    assert_eq!(v["assessment-results"]["metadata"]["oscal-version"], "1.1.2");
    assert_eq!(v["assessment-results"]["metadata"]["last-modified"], "2026-06-01T00:00:00.000Z", "--today fixes the timestamps");

    let json = report(&file, &["-f", "json"]);
    let again = iso27017::workspace::import(&String::from_utf8(json.stdout).unwrap()).unwrap();
    assert_eq!(again, imported, "the JSON export round-trips");

    // The interview checklist of the assessment: the library's, for every applicable control.
    let ws = &imported.list()[0];
    let (catalog, rules, guidance) = (iso27017::Catalog::bundled(), iso27017::checks::RuleSet::bundled(), iso27017::catalog::GuidanceSet::bundled());
    let r = iso27017::report::Report::from_workspace(ws, catalog, rules, iso27017::checks::days_from_civil(2026, 6, 1));
    let checklist = iso27017::report::workspace_report::InterviewChecklist::from_report(&r, guidance);
    let csv_out = report(&file, &["-f", "interview-csv", "--today", "2026-06-01"]);
    assert_eq!(csv_out.status.code(), Some(0), "{}", String::from_utf8_lossy(&csv_out.stderr));
    assert_eq!(String::from_utf8(csv_out.stdout).unwrap(), checklist.csv());
    let md_out = report(&file, &["--format", "interview-md", "--today", "2026-06-01"]);
    assert_eq!(String::from_utf8(md_out.stdout).unwrap(), checklist.markdown());
    assert_eq!(checklist.controls.len(), 121, "assess leaves every control applicable");

    // The same exports straight from `assess` (no manual answers).
    for (format, check) in [("oscal", "\"oscal-version\": \"1.1.2\""), ("csv-soa", "control,title,clause"), ("csv-findings", "section,check")] {
        let out = bin().args(["assess", "--fail-on", "none", "-f", format]).arg(fixture("aws-config/AWS_EC2_SecurityGroup.json")).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{format}");
        assert!(String::from_utf8_lossy(&out.stdout).contains(check), "{format}");
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn report_refuses_bad_input_with_exit_2() {
    let dir = temp("report-bad");
    let file = workspace_file(&dir);
    let not_ws = fixture("aws-config/AWS_EC2_SecurityGroup.json");
    let cases: Vec<(Vec<String>, &str)> = vec![
        (vec![], "needs a WORKSPACE"),
        (vec!["/nonexistent/ws.json".into()], "cannot open"),
        (vec![not_ws], "cannot be imported"),
        (vec![file.display().to_string(), "--workspace".into(), "nope".into()], "no assessment with id or name \"nope\""),
        (vec![file.display().to_string(), "-f".into(), "pdf".into()], "unknown format"),
        (vec![file.display().to_string(), "--today".into(), "yesterday".into()], "--today needs a date"),
        (vec![file.display().to_string(), file.display().to_string()], "one WORKSPACE file"),
    ];
    for (args, msg) in cases {
        let out = bin().arg("report").args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(msg), "{args:?}: {err}");
    }
    // Choosing by name works; '-' reads standard input.
    assert_eq!(report(&file, &["--workspace", "iso27017 assess"]).status.code(), Some(0));
    let piped = bin()
        .args(["report", "-", "-f", "csv-soa"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut c| {
            use std::io::Write;
            c.stdin.take().unwrap().write_all(&std::fs::read(&file).unwrap())?;
            c.wait_with_output()
        })
        .unwrap();
    assert_eq!(piped.status.code(), Some(0));
    assert_eq!(csv::Reader::from_reader(piped.stdout.as_slice()).records().count(), 121);
    let _ = std::fs::remove_dir_all(dir);
}
