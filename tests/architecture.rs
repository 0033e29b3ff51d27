//! Tidy test for the layering rule: the engine modules are plain Rust. They
//! never import the web stack, touch the file system, the network or the
//! terminal (in-memory `std::io::Read` for gzip is fine).

use std::path::Path;

const ENGINE: &[&str] = &["src/catalog", "src/model.rs", "src/markdown.rs", "src/route.rs", "src/ingest", "src/inventory.rs", "src/policy.rs", "src/checks", "src/engine.rs", "src/report", "src/workspace", "src/share", "src/protocol.rs"];
const FORBIDDEN: &[&str] = &["leptos", "web_sys", "wasm_bindgen", "gloo", "js_sys", "std::fs", "std::net", "std::env", "std::process", "stdin", "stdout", "stderr", "println!", "eprintln!", "web-sys"];

fn rust_files(path: &Path, out: &mut Vec<std::path::PathBuf>) {
    if path.is_dir() {
        for e in std::fs::read_dir(path).unwrap() {
            rust_files(&e.unwrap().path(), out);
        }
    } else if path.extension().is_some_and(|e| e == "rs") {
        out.push(path.to_path_buf());
    }
}

#[test]
fn engine_has_no_web_or_io_dependency() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for p in ENGINE {
        rust_files(&root.join(p), &mut files);
    }
    assert!(files.len() >= 6, "engine files found: {files:?}");
    let mut bad = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            for word in FORBIDDEN {
                if code.contains(word) {
                    bad.push(format!("{}:{}: {word}", f.display(), n + 1));
                }
            }
        }
    }
    assert!(bad.is_empty(), "engine modules must stay free of web and I/O code:\n{}", bad.join("\n"));
}

#[test]
fn ui_does_not_parse_or_evaluate() {
    // The UI renders what the engine computes; it never touches serde_json::Value or pulldown_cmark directly.
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/ui");
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        for word in ["serde_json::Value", "pulldown_cmark"] {
            assert!(!text.contains(word), "{} uses {word}", f.display());
        }
    }
}

/// The page holds the checks' heads, not their long texts (`RuleSet::bundled_heads`; the texts come with the
/// guidance asset). Code that the page runs — the UI, the workspace, share links, the report it renders — must
/// not reach the whole rule set, or the page's WebAssembly carries every rationale and remediation again. Test
/// modules (from `#[cfg(test)]` on) may, and so may a line marked `(worker only)`: code that only the worker runs.
#[test]
fn page_code_reads_rule_heads_only() {
    const PAGE: &[&str] = &["src/ui", "src/workspace", "src/share", "src/report/workspace_report", "src/main.rs"];
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for p in PAGE {
        rust_files(&root.join(p), &mut files);
    }
    assert!(files.len() >= 10, "page files found: {files:?}");
    let mut bad = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        let code = text.split("#[cfg(test)]").next().unwrap_or("");
        for (n, raw) in code.lines().enumerate() {
            let line = raw.split("//").next().unwrap_or("");
            if ["RuleSet::bundled()", "Listing::bundled()"].iter().any(|w| line.contains(w)) && !raw.contains("(worker only)") {
                bad.push(format!("{}:{}", f.display(), n + 1));
            }
        }
    }
    assert!(bad.is_empty(), "page code must use RuleSet::bundled_heads() / Listing::bundled_heads():\n{}", bad.join("\n"));
}
