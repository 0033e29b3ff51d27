//! The `iso27017` binary: exit codes and output of `catalog`.

use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_iso27017"))
}

#[test]
fn catalog_json_is_the_versioned_document() {
    let out = bin().args(["catalog", "--format", "json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["version"], 1);
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
    for args in [&["catalog", "--format", "pdf"][..], &["frobnicate"], &["catalog", "--format"], &[]] {
        let out = bin().args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(!out.stderr.is_empty() || !out.stdout.is_empty());
    }
    assert_eq!(bin().arg("--help").output().unwrap().status.code(), Some(0));
}
