//! Markdown report: inputs, control results, failing findings with remediation.

use crate::checks::{Finding, RuleSet};
use crate::engine::Assessment;
use crate::model::Status;
use crate::report::workspace_report::md_inline;
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
            None if i.imported > 0 => format!("{} finding(s) imported, {} diagnostic(s)", i.imported, i.diagnostics.len()),
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
            writeln!(out, "- `{}` in {} at `{}`: {}{}", f.resource.id, f.resource.source.file, f.resource.source.pointer, f.message, decision_note(a, f))?;
        }
        writeln!(out, "\n**Remediation**\n\n{}\n", r.remediation.trim())?;
    }
    imported_section(&mut out, a)
}

/// ` — **waived** until DATE: reason` after a failing finding with a
/// decision (`waiver expired on DATE: reason` once it has lapsed); the reason
/// is the user's text, escaped. Empty without a decision.
fn decision_note(a: &Assessment, f: &Finding) -> String {
    match a.decided.of(f) {
        Some(d) if d.in_force => format!(" — **{}**", md_inline(&d.note())),
        Some(d) => format!(" — **fails again**: {}", md_inline(&d.note())),
        None => String::new(),
    }
}

/// The failing and undecided findings imported from other scanners, per
/// check: the tool, the basis of the controls, each resource, and whether our
/// check on the same condition agrees. Every scanner string is escaped: it
/// renders as the text it is, never as markup.
fn imported_section<W: Write>(out: &mut W, a: &Assessment) -> io::Result<()> {
    let (imported, unmapped) = a.imported_counts();
    if imported == 0 {
        return Ok(());
    }
    let mut by_check: Vec<(&str, Vec<&Finding>)> = Vec::new();
    let mut index: HashMap<&str, usize> = HashMap::new();
    let (mut agree, mut disagree) = (0, 0);
    for f in a.findings.iter().filter(|f| f.origin.is_some()) {
        if let Some(same) = f.origin.as_ref().and_then(|o| o.same_as.as_ref()) {
            if same.agrees {
                agree += 1;
            } else {
                disagree += 1;
            }
        }
        if matches!(f.status, Status::Fail | Status::Indeterminate) {
            let i = *index.entry(f.check.as_str()).or_insert_with(|| {
                by_check.push((f.check.as_str(), Vec::new()));
                by_check.len() - 1
            });
            if let Some((_, fs)) = by_check.get_mut(i) {
                fs.push(f);
            }
        }
    }
    writeln!(
        out,
        "\n## Imported findings\n\n{imported} finding(s) imported from other scanners: {} mapped to controls, {unmapped} unmapped (listed, counted in no control); {agree} agree with our checks on the same resource, {disagree} disagree.\n",
        imported - unmapped
    )?;
    for (check, fs) in by_check {
        let Some(first) = fs.first() else { continue };
        let Some(o) = first.origin.as_deref() else { continue };
        let i = &o.finding;
        let tool = match &i.tool.version {
            Some(v) => format!("{} {}", md_inline(&i.tool.name), md_inline(v)),
            None => md_inline(&i.tool.name),
        };
        let controls: Vec<&str> = first.controls.iter().map(|c| c.as_str()).collect();
        let controls = if controls.is_empty() { "none (unmapped)".to_string() } else { controls.join(", ") };
        writeln!(out, "### {} — {} ({})\n", md_inline(check), md_inline(&i.title), first.severity.label())?;
        writeln!(out, "Found by {tool}. Controls: {controls}; basis: {} — {}.\n", o.mapping.basis.label(), md_inline(&o.mapping.note))?;
        for f in &fs {
            let Some(o) = f.origin.as_deref() else { continue };
            let same = match &o.same_as {
                Some(s) if s.agrees => format!(" (our {} agrees)", s.check),
                Some(s) => format!(" (**our {} says {}**)", s.check, s.status.label()),
                None => String::new(),
            };
            writeln!(
                out,
                "- {} `{}` in {} at `{}`: {}{same}{}",
                o.finding.status.as_str(),
                f.resource.id.replace('`', "'"),
                md_inline(&f.resource.source.file),
                f.resource.source.pointer.to_string().replace('`', "'"),
                md_inline(&f.message.to_string()),
                decision_note(a, f)
            )?;
        }
        if let Some(r) = &i.remediation {
            writeln!(out, "\n**Remediation** (from {}): {}", md_inline(&i.tool.name), md_inline(r))?;
        }
        if let Some(u) = &i.remediation_url {
            writeln!(out, "\nMore: {}", md_inline(u))?;
        }
        writeln!(out)?;
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
