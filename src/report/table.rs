//! Plain-text table for terminals.

use crate::engine::Assessment;
use crate::model::Status;
use std::io::{self, Write};

fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// Write the table to `w`: inputs, then non-passing findings (one line each),
/// then a summary line. `w` gets many small writes: give it a buffered writer.
pub fn to_writer<W: Write>(mut out: W, a: &Assessment) -> io::Result<()> {
    for i in &a.inputs {
        match &i.error {
            Some(e) => {
                writeln!(out, "✗ {}: {e}", i.name)?;
            }
            None => {
                writeln!(out, "✓ {}: {} — {} resources, {} diagnostic(s)", i.name, i.format.map_or("?", |f| f.label()), i.resources, i.diagnostics.len())?;
                for d in i.diagnostics.iter().take(20) {
                    let at = d.source.as_ref().map(|s| format!(" at {}", s.pointer)).unwrap_or_default();
                    writeln!(out, "    {:?}: {}{at}", d.level, d.message)?;
                }
            }
        }
    }
    let mut rows: Vec<_> = a.findings.iter().filter(|f| f.status != Status::Pass).collect();
    rows.sort_by(|x, y| y.severity.cmp(&x.severity).then(x.check.cmp(&y.check)));
    if !rows.is_empty() {
        writeln!(out, "\n{:<8} {:<13} {:<40} {:<44} {}", "STATUS", "SEVERITY", "CHECK", "RESOURCE", "CONTROLS")?;
        for f in rows {
            let controls: Vec<&str> = f.controls.iter().map(|c| c.as_str()).collect();
            writeln!(
                out,
                "{:<8} {:<13} {:<40} {:<44} {}",
                if f.status == Status::Fail { "FAIL" } else { "UNKNOWN" },
                f.severity.label(),
                clip(f.check.as_str(), 40),
                clip(&f.resource.id, 44),
                controls.join(",")
            )?;
        }
    }
    let t = a.tally();
    let failing_controls = a.controls.iter().filter(|c| c.status == Status::Fail).count();
    writeln!(out, "\n{} failed, {} passed, {} unknown; {} control(s) failing.", t.fail, t.pass, t.indeterminate, failing_controls)?;
    Ok(())
}

/// The table ([`to_writer`] into memory).
pub fn to_string(a: &Assessment) -> String {
    let mut out = Vec::new();
    match to_writer(&mut out, a) {
        Ok(()) => String::from_utf8(out).unwrap_or_default(),
        Err(_) => String::new(),
    }
}
