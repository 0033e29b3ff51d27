//! The full report as one Markdown document: executive summary, Statement of
//! Applicability, failing and decided findings with remediation, and the
//! shared-responsibility matrix.
//!
//! **Invariant:** user text (organisation, names, justifications, owners,
//! notes, resource ids and names, file names, messages, decision reasons)
//! only enters through `md_inline` / `md_cell`, so it renders as the same
//! text: never as HTML, a link, an image, a heading or a table break. Only
//! the bundled rule texts (rationale, remediation) are inserted as Markdown.

use super::text::{md_cell, md_inline};
use super::{AutomatedCounts, Carried, FindingGroup, FindingItem, FindingsSection, Report, ReportSource, SoaApplicability};
use crate::workspace::rollup::Outcome;
use std::fmt::Write as _;

fn list<T: Copy>(items: &[T], label: impl Fn(T) -> &'static str) -> String {
    if items.is_empty() {
        "—".to_string()
    } else {
        items.iter().map(|i| label(*i)).collect::<Vec<_>>().join(", ")
    }
}

fn absent_parts(report: &Report<'_>) -> Vec<&'static str> {
    match report.source {
        ReportSource::Workspace => Vec::new(),
        ReportSource::ShareLink { notes, resource_ids, findings, findings_complete } => {
            let mut v = vec!["the assessment name", "owners", "target dates", "decision reasons and expiry dates", "resource names and sources", "results per account"];
            if !notes {
                v.push("evidence notes");
            }
            if !resource_ids {
                v.push("resource ids");
            }
            if !findings {
                v.push("the findings");
            } else if !findings_complete {
                v.push("some of the least severe findings");
            }
            v
        }
    }
}

/// The report as Markdown (CommonMark with GFM tables).
pub fn markdown_report(report: &Report<'_>) -> String {
    let mut out = String::new();
    let s = &report.summary;
    let title = match report.name {
        Carried::Present(n) => md_inline(n),
        Carried::Absent => "Shared assessment".to_string(),
    };
    let _ = writeln!(out, "# {title}: {} assessment report\n", report.edition);
    let org = if s.organisation.trim().is_empty() { "—".to_string() } else { md_inline(s.organisation) };
    let _ = writeln!(out, "- **Organisation:** {org}");
    let _ = writeln!(out, "- **Date:** {}", s.date);
    let _ = writeln!(out, "- **Roles:** {}", list(s.roles, |r| r.label()));
    let models = if s.service_models.is_empty() { "— (all three for default responsibilities)".to_string() } else { list(s.service_models, |m| m.label()) };
    let _ = writeln!(out, "- **Service models:** {models}");
    let _ = writeln!(out, "- **Providers:** {}\n", list(s.providers, |p| p.as_str()));
    let absent = absent_parts(report);
    if !absent.is_empty() {
        let _ = writeln!(out, "> Opened from a share link. Not in the link: {}.\n", absent.join(", "));
    }

    // Executive summary.
    let o = &s.outcomes;
    let _ = writeln!(out, "## Executive summary\n");
    let _ = writeln!(
        out,
        "{} of {} controls have a verdict ({} %): {} met, {} not or partially met, {} not applicable ({} excluded from the Statement of Applicability), {} waiting for review. {} failing finding(s), {} of them waived or risk-accepted.\n",
        o.assessed(),
        o.total(),
        o.progress_percent(),
        o.met(),
        o.not_met(),
        o.get(Outcome::NotApplicable),
        s.excluded,
        o.open(),
        s.failing_or_decided_findings,
        report.decided.count(),
    );
    let pc = &s.provider;
    let _ = writeln!(
        out,
        "Provider and customer: of the {} applicable controls, {} covered by a provider attestation, {} shared with the provider, {} the customer's own, {} whose provider attestation needs review.\n",
        pc.provider + pc.shared + pc.customer + pc.review,
        pc.provider,
        pc.shared,
        pc.customer,
        pc.review,
    );
    if let Some(p) = report.evidence_progress() {
        let _ = writeln!(out, "Evidence: {} of {} checklist items collected over the controls in the Statement of Applicability.\n", p.collected, p.total);
    }
    let _ = writeln!(out, "| Outcome | Controls |\n|---|---:|");
    for (outcome, n) in o.iter() {
        let _ = writeln!(out, "| {} | {n} |", outcome.label());
    }
    let _ = writeln!(out, "\n### Results per clause\n");
    let _ = writeln!(out, "| Clause | Title | Met | Not met | Open | Not applicable | Controls |\n|---|---|---:|---:|---:|---:|---:|");
    for c in &s.clauses {
        let co = &c.outcomes;
        let _ = writeln!(out, "| {} | {} | {} | {} | {} | {} | {} |", c.clause, md_cell(c.title), co.met(), co.not_met(), co.open(), co.get(Outcome::NotApplicable), co.total());
    }
    if let Carried::Present(accounts) = &report.accounts {
        if !accounts.is_empty() {
            let _ = writeln!(out, "\n### Results per account, subscription or project\n");
            let _ = writeln!(out, "| Cloud | Account | Resources | Failing | Accepted | Unknown | Passing |\n|---|---|---:|---:|---:|---:|---:|");
            for a in accounts {
                let _ = writeln!(out, "| {} | {} | {} | {} | {} | {} | {} |", a.provider.as_str(), md_cell(&a.label()), a.resources, a.fail, a.accepted, a.unknown, a.pass);
            }
        }
    }
    let _ = writeln!(out, "\n### Top risks\n");
    if report.top_risks.is_empty() {
        let _ = writeln!(out, "{}\n", if report.findings_complete() { "No failing findings." } else { "The share link does not list the failing findings." });
    }
    for (i, r) in report.top_risks.iter().enumerate() {
        let controls = r.controls.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(", ");
        let _ = writeln!(out, "{}. **{}**: {} (`{}`); controls {}. See its remediation under *Failing findings*.", i + 1, r.severity.label(), md_inline(&r.headline()), r.check.as_str(), md_inline(&controls));
    }
    out.push('\n');

    // Statement of Applicability.
    let _ = writeln!(out, "## Statement of Applicability\n");
    let _ = writeln!(out, "| Control | Title | Applicable | Justification | Status | Outcome | Responsibility | Provider part | Owner | Target date | Evidence |\n|---|---|---|---|---|---|---|---|---|---|---|");
    for r in &report.soa {
        let (app, just) = match r.applicability {
            SoaApplicability::Applicable => ("Yes", "—".to_string()),
            SoaApplicability::Excluded { justification } => ("No", md_cell(justification)),
        };
        let owner = match r.owner {
            Carried::Present(o) => md_cell(o),
            Carried::Absent => "not in link".into(),
        };
        let target = match r.target_date {
            Carried::Present(Some(d)) => d.to_string(),
            Carried::Present(None) => "—".into(),
            Carried::Absent => "not in link".into(),
        };
        let mut parts = Vec::new();
        if let Carried::Present(t) = &r.evidence_summary {
            if !t.is_empty() {
                parts.push(md_inline(t));
            }
        }
        let c = r.counts;
        if c != AutomatedCounts::default() {
            parts.push(format!("automated: {} pass, {} fail, {} unknown, {} accepted", c.pass, c.fail, c.unknown, c.accepted));
        }
        if let Carried::Present(p) = r.evidence {
            if p.total > 0 {
                parts.push(format!("checklist: {}", p.label()));
            }
        }
        if let Carried::Present(Some(k)) = r.compensation {
            parts.push(format!(
                "compensated: {} (reviewed by {} on {})",
                md_inline(&k.justification),
                md_inline(&k.reviewer),
                k.reviewed_on
            ));
        }
        let evidence = if parts.is_empty() { "—".to_string() } else { parts.join("; ") };
        let _ = writeln!(
            out,
            "| {} | {} | {app} | {just} | {} | {} | {} | {} | {owner} | {target} | {evidence} |",
            md_inline(r.control.id.as_str()),
            md_cell(r.control.title),
            r.status.label(),
            r.outcome.label(),
            r.responsibility.map_or("—", |x| x.label()),
            provider_cell(r.provider.as_ref()),
        );
    }
    out.push('\n');
    attestations(&mut out, report);

    section(&mut out, "Failing findings", &report.failing, report);
    section(&mut out, "Waived and risk-accepted findings", &report.decided, report);

    // Shared-responsibility matrix.
    let _ = writeln!(out, "## Shared-responsibility matrix\n");
    let _ = writeln!(out, "Catalog defaults per service model, and what applies in this assessment (the assessor's choice, else the default for the scope).\n");
    let mut header = String::from("| Control | Title |");
    let mut rule = String::from("|---|---|");
    for m in &report.matrix.models {
        let _ = write!(header, " {} |", m.label());
        rule.push_str("---|");
    }
    let _ = writeln!(out, "{header} This assessment |\n{rule}---|");
    for row in &report.matrix.rows {
        let mut line = format!("| {} | {} |", md_inline(row.control.id.as_str()), md_cell(row.control.title));
        for m in &report.matrix.models {
            let _ = write!(line, " {} |", row.default_for(*m).map_or("—", |r| r.label()));
        }
        let _ = writeln!(out, "{line} {} |", row.applied.map_or("—", |r| r.label()));
    }
    out
}

fn provider_cell(p: Option<&super::RowProvider>) -> String {
    match p {
        None => "—".to_string(),
        Some(p) => match &p.detail {
            Carried::Present(d) if !d.is_empty() => format!("{}: {}", p.state.label(), md_cell(d)),
            _ => p.state.label().to_string(),
        },
    }
}

/// The provider attestations of a workspace (a share link carries none).
fn attestations(out: &mut String, report: &Report<'_>) {
    let Some(ws) = report.workspace else { return };
    if ws.attestations().is_empty() {
        return;
    }
    let _ = writeln!(out, "## Provider attestations\n");
    let _ = writeln!(out, "| Provider | Document | Issuer | Issued | Valid until | Services | Regions | Obtained from | Reference | Controls citing it |\n|---|---|---|---|---|---|---|---|---|---:|");
    for a in ws.attestations() {
        let d = &a.draft;
        let citing = ws.inherited().values().filter(|i| i.attestations.contains(&a.id)).count();
        let join = |l: &[String]| if l.is_empty() { "—".to_string() } else { md_cell(&l.join(", ")) };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {citing} |",
            md_cell(d.provider_label()),
            md_cell(d.document_label()),
            md_cell(&d.issuer),
            d.issued,
            d.expires,
            join(&d.services),
            join(&d.regions),
            d.portal.label(),
            if d.reference.is_empty() { "—".to_string() } else { md_cell(&d.reference) },
        );
    }
    out.push('\n');
}

fn section(out: &mut String, heading: &str, s: &FindingsSection<'_>, report: &Report<'_>) {
    let _ = writeln!(out, "## {heading} ({})\n", s.count());
    if s.groups.is_empty() {
        let _ = writeln!(out, "{}\n", if report.findings_complete() { "None." } else { "Not in the share link." });
        return;
    }
    for g in &s.groups {
        group(out, g);
    }
}

fn group(out: &mut String, g: &FindingGroup<'_>) {
    let controls = g.controls.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(", ");
    // Check ids are validated snake_case tokens: safe in a code span.
    let _ = writeln!(out, "### `{}`: {} ({})\n", g.check.as_str(), md_inline(g.title()), g.severity.label());
    let _ = writeln!(out, "Controls: {}. {} finding(s).\n", md_inline(&controls), g.items.len());
    if let Some(rule) = g.rule {
        let rationale = rule.rationale.trim();
        if !rationale.is_empty() {
            let _ = writeln!(out, "{rationale}\n");
        }
    }
    let _ = writeln!(out, "| Resource | Source | Message | Decision |\n|---|---|---|---|");
    for item in &g.items {
        let _ = writeln!(out, "| {} | {} | {} | {} |", resource(item), source(item), md_cell(&item.message()), decision(item));
    }
    out.push('\n');
    let remediation = g.remediation_md();
    if !remediation.is_empty() {
        let _ = writeln!(out, "**Remediation**\n\n{remediation}\n");
    }
}

fn resource(item: &FindingItem<'_>) -> String {
    match (item.resource_id(), item.resource_name()) {
        (Carried::Present(id), Carried::Present(name)) if !name.is_empty() && name != id => {
            format!("{} ({})", md_inline(id), md_inline(name))
        }
        (Carried::Present(id), _) => md_cell(id),
        (Carried::Absent, _) => "not in link".into(),
    }
}

fn source(item: &FindingItem<'_>) -> String {
    match item.source() {
        Carried::Present(s) => {
            let line = s.line.map(|l| format!(", line {l}")).unwrap_or_default();
            if s.pointer.is_empty() {
                format!("{}{line}", md_cell(&s.file))
            } else {
                format!("{} at {}{line}", md_cell(&s.file), md_inline(&s.pointer.text()))
            }
        }
        Carried::Absent => "not in link".into(),
    }
}

fn decision(item: &FindingItem<'_>) -> String {
    let Some(d) = item.decision() else { return "—".into() };
    let mut text = d.kind.label().to_string();
    if d.expired {
        text.push_str(" (expired)");
    }
    match d.expires {
        Carried::Present(Some(e)) => {
            let _ = write!(text, " until {e}");
        }
        Carried::Present(None) => text.push_str(", no expiry"),
        Carried::Absent => {}
    }
    if let Carried::Present(reason) = d.reason {
        if !reason.trim().is_empty() {
            let _ = write!(text, ": {}", md_inline(reason));
        }
    }
    text
}
