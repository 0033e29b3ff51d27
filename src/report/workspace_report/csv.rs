//! CSV exports of a [`Report`]: the findings and the Statement of
//! Applicability, one header row then one row per finding / control, RFC 4180
//! quoting (the `csv` crate), UTF-8, `\n` line ends.
//!
//! **Spreadsheet safety.** Every text cell goes through
//! [`neutralise_formula`]: a cell starting with `=`, `+`, `-`, `@`, a tab or a
//! carriage return gets a leading `'`, so a hostile resource name or note
//! cannot run as a formula when the file is opened in a spreadsheet.
//!
//! **Findings columns** ([`FINDINGS_COLUMNS`]): `section` (`failing` or
//! `decided`), `check`, `title`, `severity` (token), `controls` (ids separated
//! by spaces), `provider`, `resource_id`, `resource_name`, `file`, `pointer`,
//! `line`, `message`, `decision` (`waived` / `risk_accepted`, empty if none),
//! `decision_expired` (`true`/`false`, empty if none), `decision_reason`,
//! `decision_expires` (`YYYY-MM-DD`, empty = none), `found_by` (the tool and
//! version of an imported finding, `iso27017-assessor` for ours),
//! `tool_check` (the tool's own check id, empty for ours), `mapping_basis`
//! (`published`, `in_file`, `ours`, `user` or `unmapped` for an imported
//! finding, empty for ours). Columns a share link does not carry are empty.
//!
//! **SoA columns** ([`SOA_COLUMNS`]): `control`, `title`, `clause`,
//! `applicability` (`applicable` / `excluded`), `justification`, `status`
//! (manual status token), `outcome` (outcome token), `outcome_label`,
//! `responsibility` (`csc` / `csp` / `shared`, empty if none), `owner`,
//! `target_date`, `evidence_summary` (first line of the notes as plain text),
//! `automated_pass`, `automated_fail`, `automated_unknown`, `accepted`,
//! `evidence_collected`, `evidence_total` (the checklist, `workspace::evidence`'s
//! rule; empty from a share link), `compensation` (the compensating measure
//! behind "Met (compensated)": justification, reviewer, review date).
//! `provider_part` (`inherited`, `shared`, `inherited-review`,
//! `shared-review`, empty for the customer's own control) and
//! `provider_detail` (the attestations cited, or why they need review; empty
//! from a share link).
//!
//! **Invariant:** the writer targets a `Vec<u8>`, so writing cannot fail;
//! each export returns the whole document.

use super::text::neutralise_formula;
use super::{Carried, FindingItem, Report, SoaApplicability};

/// Header of [`csv_findings`].
pub const FINDINGS_COLUMNS: &[&str] = &[
    "section",
    "check",
    "title",
    "severity",
    "controls",
    "provider",
    "resource_id",
    "resource_name",
    "file",
    "pointer",
    "line",
    "message",
    "decision",
    "decision_expired",
    "decision_reason",
    "decision_expires",
    "found_by",
    "tool_check",
    "mapping_basis",
];

/// Header of [`csv_soa`].
pub const SOA_COLUMNS: &[&str] = &[
    "control",
    "title",
    "clause",
    "applicability",
    "justification",
    "status",
    "outcome",
    "outcome_label",
    "responsibility",
    "owner",
    "target_date",
    "evidence_summary",
    "automated_pass",
    "automated_fail",
    "automated_unknown",
    "accepted",
    "evidence_collected",
    "evidence_total",
    "compensation",
    "provider_part",
    "provider_detail",
];

pub(super) fn write(rows: impl FnOnce(&mut ::csv::Writer<Vec<u8>>) -> Result<(), ::csv::Error>) -> String {
    let mut w = ::csv::WriterBuilder::new().terminator(::csv::Terminator::Any(b'\n')).from_writer(Vec::new());
    // Writing into memory only fails on I/O, which a Vec never reports.
    let _ = rows(&mut w);
    let bytes = w.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

pub(super) fn record(w: &mut ::csv::Writer<Vec<u8>>, cells: &[&str]) -> Result<(), ::csv::Error> {
    w.write_record(cells.iter().map(|c| neutralise_formula(c).into_owned()))
}

fn carried(c: Carried<&str>) -> &str {
    c.present().unwrap_or("")
}

/// The failing and decided findings of `report`, one row each (failing
/// first, groups worst first). Columns: [`FINDINGS_COLUMNS`].
pub fn csv_findings(report: &Report<'_>) -> String {
    write(|w| {
        record(w, FINDINGS_COLUMNS)?;
        for (section, s) in [("failing", &report.failing), ("decided", &report.decided)] {
            for g in &s.groups {
                let controls = g.controls.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(" ");
                for item in &g.items {
                    finding_row(w, section, g.title(), &controls, item)?;
                }
            }
        }
        Ok(())
    })
}

fn finding_row(
    w: &mut ::csv::Writer<Vec<u8>>,
    section: &str,
    title: &str,
    controls: &str,
    item: &FindingItem<'_>,
) -> Result<(), ::csv::Error> {
    let source = item.source().present();
    let line = source.and_then(|s| s.line).map(|l| l.to_string()).unwrap_or_default();
    let found_by = match item {
        FindingItem::Shared(_) => String::new(),
        _ => item.found_by(),
    };
    let decision = item.decision();
    let expires = decision
        .and_then(|d| d.expires.present())
        .flatten()
        .map(|d| d.to_string())
        .unwrap_or_default();
    record(
        w,
        &[
            section,
            item.check().as_str(),
            title,
            item.severity().as_str(),
            controls,
            item.provider().present().map_or("", |p| p.as_str()),
            carried(item.resource_id()),
            carried(item.resource_name()),
            source.map_or("", |s| s.file.as_str()),
            &source.map_or(std::borrow::Cow::Borrowed(""), |s| s.pointer.text()),
            &line,
            &item.message(),
            decision.map_or("", |d| d.kind.as_str()),
            decision.map_or("", |d| if d.expired { "true" } else { "false" }),
            decision.map_or("", |d| carried(d.reason)),
            &expires,
            &found_by,
            item.imported().map_or("", |o| o.finding.check.as_str()),
            item.imported().map_or("", |o| o.mapping.basis.as_str()),
        ],
    )
}

/// The Statement of Applicability: one row per catalog control, catalog
/// order. Columns: [`SOA_COLUMNS`].
pub fn csv_soa(report: &Report<'_>) -> String {
    write(|w| {
        record(w, SOA_COLUMNS)?;
        for r in &report.soa {
            let (applicability, justification) = match r.applicability {
                SoaApplicability::Applicable => ("applicable", ""),
                SoaApplicability::Excluded { justification } => ("excluded", justification),
            };
            let target = r.target_date.present().flatten().map(|d| d.to_string()).unwrap_or_default();
            let summary = r.evidence_summary.as_ref().present().map_or("", |s| s.as_str());
            let n = |v: usize| v.to_string();
            let (collected, total) = r.evidence.present().map_or((String::new(), String::new()), |p| (n(p.collected), n(p.total)));
            let compensation = match r.compensation {
                Carried::Present(Some(k)) => format!("{} (reviewed by {} on {})", k.justification, k.reviewer, k.reviewed_on),
                _ => String::new(),
            };
            record(
                w,
                &[
                    r.control.id.as_str(),
                    r.control.title,
                    &r.control.clause.to_string(),
                    applicability,
                    justification,
                    r.status.as_str(),
                    r.outcome.as_str(),
                    r.outcome.label(),
                    r.responsibility.map_or("", |x| x.as_str()),
                    carried(r.owner),
                    &target,
                    summary,
                    &n(r.counts.pass),
                    &n(r.counts.fail),
                    &n(r.counts.unknown),
                    &n(r.counts.accepted),
                    &collected,
                    &total,
                    &compensation,
                    r.provider.as_ref().map_or("", |p| p.state.as_str()),
                    r.provider.as_ref().and_then(|p| p.detail.as_ref().present()).map_or("", |d| d.as_str()),
                ],
            )?;
        }
        Ok(())
    })
}
