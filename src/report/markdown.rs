//! Markdown report: inputs, control results, failing findings with remediation.

use crate::checks::{Finding, RuleSet};
use crate::engine::Assessment;
use crate::model::Status;
use crate::Catalog;
use std::collections::HashMap;
use std::io::{self, Write};

/// Escape text for a Markdown table cell.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// Write the report to `w`, one finding per line as it goes (the failing
/// findings are as many lines). `w` gets many small writes: give it a
/// buffered writer.
pub fn to_writer<W: Write>(mut out: W, a: &Assessment, rules: &RuleSet) -> io::Result<()> {
    let catalog = Catalog::bundled();
    let t = a.tally();
    writeln!(out, "# ISO/IEC 27017 automated assessment\n")?;
    writeln!(out, "{} failing, {} passing, {} undetermined results over {} resources.\n", t.fail, t.pass, t.indeterminate, a.inputs.iter().map(|i| i.resources).sum::<usize>())?;
    writeln!(out, "## Inputs\n\n| file | format | resources | notes |\n|---|---|---:|---|")?;
    for i in &a.inputs {
        let notes = match &i.error {
            Some(e) => format!("**not usable:** {e}"),
            None => format!("{} diagnostic(s)", i.diagnostics.len()),
        };
        writeln!(out, "| {} | {} | {} | {} |", cell(&i.name), i.format.map_or("—", |f| f.label()), i.resources, cell(&notes))?;
    }
    writeln!(out, "\n## Controls with automated evidence\n\n| control | title | result | fail | pass | unknown |\n|---|---|---|---:|---:|---:|")?;
    for c in a.controls.iter().filter(|c| c.status != Status::NotApplicable) {
        let title = catalog.control(&c.control).map_or("", |x| x.title);
        writeln!(out, "| {} | {} | {} | {} | {} | {} |", c.control, cell(title), c.status.label(), c.tally.fail, c.tally.pass, c.tally.indeterminate)?;
    }
    // The failing findings of each check, in their order (one pass over the
    // findings, not one per check).
    let mut failing: HashMap<&str, Vec<&Finding>> = HashMap::new();
    let mut count = 0;
    for f in a.findings.iter().filter(|f| f.status == Status::Fail) {
        failing.entry(f.check.as_str()).or_default().push(f);
        count += 1;
    }
    writeln!(out, "\n## Failing checks ({count})\n")?;
    for r in rules.rules() {
        let Some(fs) = failing.get(r.id.as_str()) else { continue };
        let controls: Vec<&str> = r.controls.iter().map(|c| c.as_str()).collect();
        writeln!(out, "### {} — {} ({})\n\nControls: {}. {}\n", r.id, r.title, r.severity.label(), controls.join(", "), r.rationale.trim())?;
        for f in fs {
            writeln!(out, "- `{}` in {} at `{}`: {}", f.resource.id, f.resource.source.file, f.resource.source.pointer, f.message)?;
        }
        writeln!(out, "\n**Remediation**\n\n{}\n", r.remediation.trim())?;
    }
    Ok(())
}

/// The report ([`to_writer`] into memory).
pub fn to_string(a: &Assessment, rules: &RuleSet) -> String {
    let mut out = Vec::new();
    match to_writer(&mut out, a, rules) {
        Ok(()) => String::from_utf8(out).unwrap_or_default(),
        Err(_) => String::new(),
    }
}
