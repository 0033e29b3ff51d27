//! Plain-text table for terminals.

use crate::checks::Finding;
use crate::engine::Assessment;
use crate::model::Status;
use std::collections::HashMap;
use std::io::{self, Write};

/// Push `s` as a cell `width` characters wide: padded with spaces, or cut
/// to `width - 1` characters and `…` when longer.
fn push_cell(line: &mut String, s: &str, width: usize) {
    match s.char_indices().nth(width) {
        None => {
            line.push_str(s);
            let n = if s.is_ascii() { s.len() } else { s.chars().count() };
            line.extend(std::iter::repeat_n(' ', width.saturating_sub(n)));
        }
        Some(_) => {
            let cut = s.char_indices().nth(width.saturating_sub(1)).map_or(s.len(), |(i, _)| i);
            line.push_str(s.get(..cut).unwrap_or(s));
            line.push('…');
        }
    }
}

/// `s` on one line: control characters (line breaks included) become spaces.
fn one_line(s: &str) -> String {
    s.chars().map(|c| if c.is_control() { ' ' } else { c }).collect()
}

/// Write the table to `w`: inputs, then non-passing findings (one line each),
/// then a summary line. `w` gets many small writes: give it a buffered writer.
pub fn to_writer<W: Write>(mut out: W, a: &Assessment) -> io::Result<()> {
    for i in &a.inputs {
        match &i.error {
            Some(e) => {
                writeln!(out, "✗ {}: {e}", i.name)?;
            }
            None if i.format.is_some_and(|f| f.is_scanner()) => {
                writeln!(out, "✓ {}: {} — {} finding(s) imported, {} diagnostic(s)", i.name, i.format.map_or("?", |f| f.label()), i.imported, i.diagnostics.len())?;
                for d in i.diagnostics.iter().take(20) {
                    let at = d.source.as_ref().map(|s| format!(" at {}", s.pointer)).unwrap_or_default();
                    writeln!(out, "    {:?}: {}{at}", d.level, d.message)?;
                }
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
    // The non-passing findings by severity (highest first), then check, else
    // in their order. They come in runs of one check (rule order), so the
    // runs are sorted, not each finding: the same order, a stable sort of
    // the findings would give.
    // An imported finding that agrees with ours on the same condition is
    // shown on our row (its tool named after our check), not again.
    let mut also: HashMap<(&str, &str), Vec<&str>> = HashMap::new();
    for f in &a.findings {
        if let Some(o) = f.origin.as_deref() {
            if let Some(same) = o.same_as.as_ref().filter(|s| s.agrees) {
                let tools = also.entry((same.check.as_str(), same.resource.as_str())).or_default();
                if !tools.contains(&o.finding.tool.name.as_str()) {
                    tools.push(o.finding.tool.name.as_str());
                }
            }
        }
    }
    let rows: Vec<&Finding> = a
        .findings
        .iter()
        .filter(|f| f.status != Status::Pass && f.status != Status::NotApplicable)
        .filter(|f| !f.origin.as_ref().and_then(|o| o.same_as.as_ref()).is_some_and(|s| s.agrees))
        .collect();
    let mut runs: Vec<&[&Finding]> = rows.chunk_by(|x, y| x.severity == y.severity && x.check == y.check).collect();
    runs.sort_by(|x, y| match (x.first(), y.first()) {
        (Some(x), Some(y)) => y.severity.cmp(&x.severity).then(x.check.cmp(&y.check)),
        _ => std::cmp::Ordering::Equal,
    });
    if !rows.is_empty() {
        writeln!(out, "\n{:<8} {:<13} {:<40} {:<44} {}", "STATUS", "SEVERITY", "CHECK", "RESOURCE", "CONTROLS")?;
        // Each line is made in one string and written at once.
        let mut line = String::new();
        for f in runs.into_iter().flatten() {
            line.clear();
            let decided = a.decided.of(f);
            let status = match decided {
                Some(d) if d.in_force && d.decision.kind == crate::workspace::DecisionKind::Waived => "WAIVED",
                Some(d) if d.in_force => "ACCEPTED",
                _ if f.status == Status::Fail => "FAIL",
                _ => "UNKNOWN",
            };
            push_cell(&mut line, status, 8);
            line.push(' ');
            push_cell(&mut line, f.severity.label(), 13);
            line.push(' ');
            match also.get(&(f.check.as_str(), f.resource.id.as_str())) {
                Some(tools) => push_cell(&mut line, &format!("{} (+{})", f.check, tools.join(", ")), 40),
                None => push_cell(&mut line, f.check.as_str(), 40),
            }
            line.push(' ');
            push_cell(&mut line, &f.resource.id, 44);
            line.push(' ');
            for (i, c) in f.controls.iter().enumerate() {
                if i > 0 {
                    line.push(',');
                }
                line.push_str(c.as_str());
            }
            if let Some(same) = f.origin.as_ref().and_then(|o| o.same_as.as_ref()) {
                line.push_str(&format!("  (our {} says {})", same.check, same.status.label()));
            }
            if let Some(d) = decided {
                line.push_str("  (");
                line.push_str(&one_line(&d.note()));
                line.push(')');
            }
            line.push('\n');
            out.write_all(line.as_bytes())?;
        }
    }
    let t = a.tally();
    let failing_controls = a.controls.iter().filter(|c| c.status == Status::Fail).count();
    writeln!(out, "\n{} failed, {} passed, {} unknown; {} control(s) failing.", t.fail, t.pass, t.indeterminate, failing_controls)?;
    if !a.decided.is_empty() {
        let (in_force, expired) = a.decided_counts();
        writeln!(out, "{in_force} failing finding(s) waived or risk accepted (not counted as failed); {expired} with an expired decision (failing again).")?;
    }
    let (imported, unmapped) = a.imported_counts();
    if imported > 0 {
        let (mut agree, mut disagree) = (0, 0);
        for s in a.findings.iter().filter_map(|f| f.origin.as_ref()?.same_as.as_ref()) {
            if s.agrees {
                agree += 1;
            } else {
                disagree += 1;
            }
        }
        writeln!(
            out,
            "{imported} imported finding(s): {} mapped to controls, {unmapped} unmapped; {agree} agree with our checks, {disagree} disagree.",
            imported - unmapped
        )?;
    }
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
