//! The first version of `src/report/sarif.rs` (at commit 1250273), which built the
//! whole document before printing it: the reference the streaming writer must equal byte for byte.
//! Verbatim but for `crate::` paths and its module docs.
#![allow(dead_code)]

use iso27017::checks::RuleSet;
use iso27017::engine::Assessment;
use iso27017::model::{Severity, Status};
use serde_json::{json, Value};

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

fn security_severity(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
        Severity::Info => "0.5",
    }
}

/// FNV-1a, for stable fingerprints without a hashing dependency.
fn fingerprint(s: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// The SARIF log as a JSON value.
pub fn document(a: &Assessment, rules: &RuleSet) -> Value {
    let ids: Vec<&str> = rules.rules().iter().map(|r| r.id.as_str()).collect();
    let sarif_rules: Vec<Value> = rules
        .rules()
        .iter()
        .map(|r| {
            json!({
                "id": r.id.as_str(),
                "name": r.id.as_str(),
                "shortDescription": { "text": r.title },
                "fullDescription": { "text": r.rationale.trim() },
                "help": { "text": r.remediation.trim(), "markdown": r.remediation.trim() },
                "defaultConfiguration": { "level": level(r.severity) },
                "properties": {
                    "tags": r.controls.iter().map(|c| format!("ISO27017-{c}")).chain(["security".to_string()]).collect::<Vec<_>>(),
                    "security-severity": security_severity(r.severity),
                    "precision": "high"
                }
            })
        })
        .collect();
    let results: Vec<Value> = a
        .findings
        .iter()
        .filter(|f| matches!(f.status, Status::Fail | Status::Indeterminate))
        .map(|f| {
            let mut physical = json!({ "artifactLocation": { "uri": f.resource.source.file } });
            if let Some(line) = f.resource.source.line {
                physical["region"] = json!({ "startLine": line.max(1) });
            }
            json!({
                "ruleId": f.check.as_str(),
                "ruleIndex": ids.iter().position(|i| *i == f.check.as_str()).unwrap_or(0),
                "level": if f.status == Status::Fail { level(f.severity) } else { "note" },
                "kind": if f.status == Status::Fail { "fail" } else { "review" },
                "message": { "text": f.message },
                "locations": [{
                    "physicalLocation": physical,
                    "logicalLocations": [{ "fullyQualifiedName": f.resource.id, "kind": "resource" }]
                }],
                "partialFingerprints": { "iso27017/v1": fingerprint(&format!("{}|{}|{}", f.check, f.resource.source.file, f.resource.id)) },
                "properties": {
                    "controls": f.controls.iter().map(|c| c.as_str()).collect::<Vec<_>>(),
                    "pointer": f.resource.source.pointer,
                }
            })
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "iso27017",
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://www.iso.org/standard/43757.html",
                "rules": sarif_rules
            }},
            "results": results,
            "columnKind": "unicodeCodePoints"
        }]
    })
}

/// Pretty-printed SARIF.
pub fn to_string(a: &Assessment, rules: &RuleSet) -> String {
    serde_json::to_string_pretty(&document(a, rules)).unwrap_or_default()
}
