//! The first version of `src/report/markdown.rs` (at commit 1250273), which built the
//! whole document before printing it: the reference the streaming writer must equal byte for byte.
//! Verbatim but for `crate::` paths and its module docs.
#![allow(dead_code)]

use iso27017::checks::RuleSet;
use iso27017::engine::Assessment;
use iso27017::model::Status;
use iso27017::Catalog;
use std::fmt::Write as _;

/// Escape text for a Markdown table cell.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// The report.
pub fn to_string(a: &Assessment, rules: &RuleSet) -> String {
    let catalog = Catalog::bundled();
    let t = a.tally();
    let mut out = String::new();
    let _ = writeln!(out, "# ISO/IEC 27017 automated assessment\n");
    let _ = writeln!(out, "{} failing, {} passing, {} undetermined results over {} resources.\n", t.fail, t.pass, t.indeterminate, a.inputs.iter().map(|i| i.resources).sum::<usize>());
    let _ = writeln!(out, "## Inputs\n\n| file | format | resources | notes |\n|---|---|---:|---|");
    for i in &a.inputs {
        let notes = match &i.error {
            Some(e) => format!("**not usable:** {e}"),
            None => format!("{} diagnostic(s)", i.diagnostics.len()),
        };
        let _ = writeln!(out, "| {} | {} | {} | {} |", cell(&i.name), i.format.map_or("—", |f| f.label()), i.resources, cell(&notes));
    }
    let _ = writeln!(out, "\n## Controls with automated evidence\n\n| control | title | result | fail | pass | unknown |\n|---|---|---|---:|---:|---:|");
    for c in a.controls.iter().filter(|c| c.status != Status::NotApplicable) {
        let title = catalog.control(&c.control).map_or("", |x| x.title);
        let _ = writeln!(out, "| {} | {} | {} | {} | {} | {} |", c.control, cell(title), c.status.label(), c.tally.fail, c.tally.pass, c.tally.indeterminate);
    }
    let failing: Vec<_> = a.findings.iter().filter(|f| f.status == Status::Fail).collect();
    let _ = writeln!(out, "\n## Failing checks ({})\n", failing.len());
    for r in rules.rules() {
        let fs: Vec<_> = failing.iter().filter(|f| f.check == r.id).collect();
        if fs.is_empty() {
            continue;
        }
        let controls: Vec<&str> = r.controls.iter().map(|c| c.as_str()).collect();
        let _ = writeln!(out, "### {} — {} ({})\n\nControls: {}. {}\n", r.id, r.title, r.severity.label(), controls.join(", "), r.rationale.trim());
        for f in fs {
            let _ = writeln!(out, "- `{}` in {} at `{}`: {}", f.resource.id, f.resource.source.file, f.resource.source.pointer, f.message);
        }
        let _ = writeln!(out, "\n**Remediation**\n\n{}\n", r.remediation.trim());
    }
    out
}
