//! `iso27017 merge`: the results of separate `assess --format json` runs
//! (one per account) merged into one, and the CI pipeline scripts of
//! `docs/ci/` that produce and merge them.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_iso27017"))
}

fn fixture(rel: &str) -> String {
    format!("{}/tests/fixtures/ingest/{rel}", env!("CARGO_MANIFEST_DIR"))
}

fn temp(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("iso27017-merge-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `assess --format json` of `files` into `out`.
fn assess(files: &[String], out: &Path) {
    let o = bin().args(["assess", "--format", "json", "--today", "2026-06-01", "--fail-on", "none", "-o"]).arg(out).args(files).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
}

fn read(p: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap()
}

fn sha256(p: &Path) -> String {
    iso27017::workspace::sha256_hex(&std::fs::read(p).unwrap())
}

/// Exports that share no resource: assessing them together or apart and
/// merging gives the same results.
fn independent() -> (Vec<String>, Vec<String>) {
    (
        vec![fixture("aws-config/AWS_EC2_SecurityGroup.json"), fixture("terraform/bucket_sse_infra.json")],
        vec![fixture("k8s/kube-score_list.yaml")],
    )
}

#[test]
fn merged_parts_equal_one_joint_assessment_of_independent_exports() {
    let dir = temp("joint");
    let (a, b) = independent();
    let (pa, pb, joint) = (dir.join("prod.json"), dir.join("dev.json"), dir.join("joint.json"));
    assess(&a, &pa);
    assess(&b, &pb);
    assess(&[a.clone(), b.clone()].concat(), &joint);
    let merged = dir.join("org.json");
    let o = bin().args(["merge", "--today", "2026-06-02", "-o"]).arg(&merged).arg(&pa).arg(&pb).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let (m, j) = (read(&merged), read(&joint));
    assert_eq!(m["format"], "iso27017-assessor/assessment");
    assert_eq!(m["version"], 2);
    assert_eq!(m["generated_at"], "2026-06-02T00:00:00Z");
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(format!("{}/docs/assessment.schema.json", env!("CARGO_MANIFEST_DIR"))).unwrap()).unwrap();
    for key in schema["required"].as_array().unwrap() {
        assert!(m.get(key.as_str().unwrap()).is_some(), "{key} missing from the merge");
    }
    for key in schema["properties"]["parts"]["items"]["required"].as_array().unwrap() {
        assert!(m["parts"][0].get(key.as_str().unwrap()).is_some(), "parts[0].{key} missing");
    }
    assert_eq!(m["summary"], j["summary"], "the counts and the control roll-up are the joint run's");
    assert_eq!(m["controls"], j["controls"]);
    assert_eq!(m["inputs"], j["inputs"]);
    let mut mf: Vec<String> = m["findings"].as_array().unwrap().iter().map(Value::to_string).collect();
    let mut jf: Vec<String> = j["findings"].as_array().unwrap().iter().map(Value::to_string).collect();
    mf.sort();
    jf.sort();
    assert_eq!(mf, jf, "the same findings");
    let count = |v: &Value| v["passed"].as_array().unwrap().iter().map(|p| p["count"].as_u64().unwrap()).sum::<u64>();
    assert_eq!(count(&m), count(&j));
    // Provenance: each part's file, digest, tool and time.
    let parts = m["parts"].as_array().unwrap();
    assert_eq!(parts.len(), 2);
    assert_eq!(parts[0]["file"], pa.to_str().unwrap());
    assert_eq!(parts[0]["sha256"], sha256(&pa));
    assert_eq!(parts[1]["sha256"], sha256(&pb));
    assert_eq!(parts[0]["tool"]["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(parts[0]["generated_at"], "2026-06-01T00:00:00Z");
    assert_eq!(parts[1]["inputs"], 1);
    // Each list element on one line, as `assess` writes them.
    let text = std::fs::read_to_string(&merged).unwrap();
    let finding_lines = text.lines().filter(|l| l.starts_with("    {\"check\":")).count();
    assert!(finding_lines >= mf.len(), "{finding_lines} lines for {} findings", mf.len());
}

#[test]
fn merge_gates_on_severity_and_refuses_what_it_cannot_merge() {
    let dir = temp("gate");
    let (a, b) = independent();
    let (pa, pb) = (dir.join("a.json"), dir.join("b.json"));
    assess(&a, &pa);
    assess(&b, &pb);
    let run = |args: &[&str], files: &[&Path]| {
        let o = bin().arg("merge").args(args).args(files).output().unwrap();
        (o.status.code(), String::from_utf8_lossy(&o.stderr).to_string(), o.stdout)
    };
    let (code, _, out) = run(&["--fail-on", "low"], &[&pa, &pb]);
    assert_eq!(code, Some(1), "a failing finding at or above low");
    assert!(serde_json::from_slice::<Value>(&out).is_ok(), "the merge is still written");
    assert_eq!(run(&[], &[&pa, &pb]).0, Some(0), "--fail-on none by default");
    let (code, err, _) = run(&[], &[&pa, &pa]);
    assert_eq!(code, Some(2));
    assert!(err.contains("has the same content as"), "{err}");
    let truncated = dir.join("truncated.json");
    let bytes = std::fs::read(&pa).unwrap();
    std::fs::write(&truncated, &bytes[..bytes.len() / 3]).unwrap();
    let (code, err, _) = run(&[], &[&pb, &truncated]);
    assert_eq!(code, Some(2));
    assert!(err.contains("truncated.json: not an assessment result: the file ends early"), "{err}");
    let workspace = dir.join("ws.json");
    let o = bin().args(["assess", "--format", "workspace", "--today", "2026-06-01", "-o"]).arg(&workspace).args(&b).output().unwrap();
    assert!(o.status.code().is_some_and(|c| c < 2));
    let (code, err, _) = run(&[], &[&workspace]);
    assert_eq!(code, Some(2));
    assert!(err.contains("is a \"iso27017-assessor/workspace\" document, not an assessment result"), "{err}");
    let (code, err, _) = run(&[], &[&dir.join("missing.json")]);
    assert_eq!(code, Some(2));
    assert!(err.contains("cannot open"), "{err}");
}

/// The pipeline examples call `docs/ci/assess-account.sh` per account and
/// `docs/ci/merge-results.sh` once; run both as the pipelines do.
#[test]
fn ci_pipeline_scripts_assess_accounts_and_merge_them() {
    let root = env!("CARGO_MANIFEST_DIR");
    let dir = temp("ci");
    let (a, b) = independent();
    for (account, files) in [("111111111111", &a), ("222222222222", &b)] {
        let exports = dir.join("exports").join(account);
        std::fs::create_dir_all(&exports).unwrap();
        for f in files.iter() {
            std::fs::copy(f, exports.join(Path::new(f).file_name().unwrap())).unwrap();
        }
        let o = Command::new("bash")
            .arg(format!("{root}/docs/ci/assess-account.sh"))
            .args([account, exports.to_str().unwrap(), dir.join("results").to_str().unwrap()])
            .env("ISO27017", env!("CARGO_BIN_EXE_iso27017"))
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(0), "{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
        assert!(dir.join("results").join(format!("{account}.json")).is_file());
    }
    let o = Command::new("bash")
        .arg(format!("{root}/docs/ci/merge-results.sh"))
        .args([dir.join("results").to_str().unwrap(), dir.join("report").to_str().unwrap()])
        .env("ISO27017", env!("CARGO_BIN_EXE_iso27017"))
        .env("FAIL_ON", "none")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
    let m = read(&dir.join("report/organisation.json"));
    assert_eq!(m["parts"].as_array().map(Vec::len), Some(2));
    let md = std::fs::read_to_string(dir.join("report/summary.md")).unwrap();
    assert!(md.contains("111111111111") && md.contains("222222222222"), "{md}");
    // The pipelines call these scripts, and every iso27017 command they name exists.
    for pipeline in ["github-actions.yml", "gitlab-ci.yml"] {
        let text = std::fs::read_to_string(format!("{root}/docs/ci/{pipeline}")).unwrap();
        let docs = yaml_rust2::YamlLoader::load_from_str(&text).unwrap_or_else(|e| panic!("{pipeline}: {e}"));
        assert_eq!(docs.len(), 1, "{pipeline}: one YAML document");
        assert!(text.contains("docs/ci/assess-account.sh") && text.contains("docs/ci/merge-results.sh"), "{pipeline}");
    }
}
