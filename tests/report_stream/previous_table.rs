//! The first version of `src/report/table.rs` (at commit 1250273), which built the
//! whole document before printing it: the reference the streaming writer must equal byte for byte.
//! Verbatim but for `crate::` paths and its module docs.
#![allow(dead_code)]

use iso27017::engine::Assessment;
use iso27017::model::Status;
use std::fmt::Write as _;

fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// The table: inputs, then non-passing findings, then a summary line.
pub fn to_string(a: &Assessment) -> String {
    let mut out = String::new();
    for i in &a.inputs {
        match &i.error {
            Some(e) => {
                let _ = writeln!(out, "✗ {}: {e}", i.name);
            }
            None => {
                let _ = writeln!(out, "✓ {}: {} — {} resources, {} diagnostic(s)", i.name, i.format.map_or("?", |f| f.label()), i.resources, i.diagnostics.len());
                for d in i.diagnostics.iter().take(20) {
                    let at = d.source.as_ref().map(|s| format!(" at {}", s.pointer)).unwrap_or_default();
                    let _ = writeln!(out, "    {:?}: {}{at}", d.level, d.message);
                }
            }
        }
    }
    let mut rows: Vec<_> = a.findings.iter().filter(|f| f.status != Status::Pass).collect();
    rows.sort_by(|x, y| y.severity.cmp(&x.severity).then(x.check.cmp(&y.check)));
    if !rows.is_empty() {
        let _ = writeln!(out, "\n{:<8} {:<13} {:<40} {:<44} {}", "STATUS", "SEVERITY", "CHECK", "RESOURCE", "CONTROLS");
        for f in rows {
            let controls: Vec<&str> = f.controls.iter().map(|c| c.as_str()).collect();
            let _ = writeln!(
                out,
                "{:<8} {:<13} {:<40} {:<44} {}",
                if f.status == Status::Fail { "FAIL" } else { "UNKNOWN" },
                f.severity.label(),
                clip(f.check.as_str(), 40),
                clip(&f.resource.id, 44),
                controls.join(",")
            );
        }
    }
    let t = a.tally();
    let failing_controls = a.controls.iter().filter(|c| c.status == Status::Fail).count();
    let _ = writeln!(out, "\n{} failed, {} passed, {} unknown; {} control(s) failing.", t.fail, t.pass, t.indeterminate, failing_controls);
    out
}
