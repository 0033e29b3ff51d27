//! The Statement of Applicability in ISO/IEC 27001:2022 Annex A terms: the
//! 93 controls of ISO/IEC 27002:2022, each with an applicability, a
//! justification and a status derived from the ISO/IEC 27017:2015 controls
//! that map to it ([`SOA2022_RULE`]), as Markdown ([`soa2022_markdown`]) and
//! CSV ([`soa2022_csv`], columns [`SOA2022_COLUMNS`]).
//!
//! The correspondence is the catalog's: `Control::mappings`, official
//! (ISO/IEC 27002:2022 Annex B) for the 27002-based controls, suggested
//! (`MappingBasis::Analyst`) for the cloud-only CLD controls. Only official
//! correspondences derive a status; CLD controls are listed under the 2022
//! controls they are suggested to map to, marked "suggested mapping".
//!
//! **Invariant:** formatting only: every 2015 outcome is the report's
//! ([`SoaRow::outcome`]); user text (justifications) is escaped for its target
//! (`md_cell`, `neutralise_formula`).

use super::csv::{record, write};
use super::text::md_cell;
use super::{Report, SoaApplicability, SoaRow};
use crate::catalog::Control2022;
use crate::model::MappingBasis;
use crate::workspace::attest::ProviderState;
use crate::workspace::rollup::Outcome;
use std::fmt::Write as _;

/// The derivation rule, one line per step, written into both exports' header
/// (Markdown) and ARCHITECTURE.md.
pub const SOA2022_RULE: &[&str] = &[
    "Only official correspondences (ISO/IEC 27002:2022 Annex B) derive a status; suggested mappings of CLD controls are listed, not counted.",
    "No official 2015 control maps to the 2022 control (the 11 controls new in 2022) → Needs an own answer.",
    "Every 2015 control behind it excluded from the Statement of Applicability or not applicable → Not applicable, with their justifications.",
    "Otherwise the weakest of the remaining 2015 outcomes decides: any Not met (automated or manual) → Not met; else any Partially met → Partially met; else any still waiting for a verdict (not assessed, needs review, provider attestation needs review) → Not fully assessed; else (all Met, Met with open questions or Covered by provider attestation) → Met.",
    "Provider part: Needs review if any of them has a provider attestation needing review; Inherited if all are covered by a provider attestation; Shared if some are inherited or shared; otherwise none (the customer's own).",
];

crate::model::string_enum!(
    /// A 2022 control's derived status.
    Status2022, "2022 status", "met, partially_met, not_met, not_fully_assessed, not_applicable or needs_own_answer", {
        /// Every 2015 control behind it met.
        Met = "met", "Met";
        /// Weakest is partially met.
        PartiallyMet = "partially_met", "Partially met";
        /// Weakest is not met.
        NotMet = "not_met", "Not met";
        /// Some still wait for a verdict.
        NotFullyAssessed = "not_fully_assessed", "Not fully assessed";
        /// All excluded or not applicable.
        NotApplicable = "not_applicable", "Not applicable";
        /// No 2015 control maps to it: answer it on its own.
        NeedsOwnAnswer = "needs_own_answer", "Needs an own answer";
    }
);

crate::model::string_enum!(
    /// A 2022 control's provider part, from the 2015 controls behind it.
    Provider2022, "2022 provider part", "none, shared, inherited or needs_review", {
        /// The customer's own.
        None = "none", "None";
        /// Some inherited or shared.
        Shared = "shared", "Shared with the provider";
        /// All covered by a provider attestation.
        Inherited = "inherited", "Inherited from the provider";
        /// A provider attestation needs review.
        NeedsReview = "needs_review", "Provider attestation needs review";
    }
);

/// One 2022 control in the Statement of Applicability.
#[derive(Debug, Clone, PartialEq)]
pub struct Soa2022Row<'r, 'a> {
    /// The 2022 control.
    pub control: &'a Control2022,
    /// Applicable (false when every 2015 control behind it is excluded or not applicable).
    pub applicable: bool,
    /// Why not applicable (the 2015 justifications), or what to do.
    pub justification: String,
    /// Derived status.
    pub status: Status2022,
    /// The 2015 control that decided the status, when one did.
    pub decided_by: Option<&'r SoaRow<'a>>,
    /// The 2015 controls mapped officially.
    pub official: Vec<&'r SoaRow<'a>>,
    /// CLD controls suggested to map to it.
    pub suggested: Vec<&'r SoaRow<'a>>,
    /// Provider part.
    pub provider: Provider2022,
}

fn rank(o: Outcome) -> u8 {
    match o {
        Outcome::NotMetAutomated | Outcome::NotMet => 0,
        Outcome::PartiallyMet => 1,
        Outcome::ProviderReview | Outcome::AutomatedUnknownNeedsReview | Outcome::AutomatedPassNeedsReview | Outcome::NotAssessed => 2,
        Outcome::Met | Outcome::MetWithOpenQuestions | Outcome::MetCompensated | Outcome::ProviderCovered => 3,
        Outcome::NotApplicable => 4,
    }
}

fn is_out(r: &SoaRow<'_>) -> bool {
    matches!(r.applicability, SoaApplicability::Excluded { .. }) || r.outcome == Outcome::NotApplicable
}

/// The 93 rows of `report`, in the 2022 catalog's order.
pub fn soa2022_rows<'r, 'a>(report: &'r Report<'a>) -> Vec<Soa2022Row<'r, 'a>> {
    let catalog = crate::Catalog::bundled();
    catalog
        .iso2022()
        .iter()
        .map(|c| {
            let mapped = |basis: MappingBasis| -> Vec<&'r SoaRow<'a>> {
                report.soa.iter().filter(|r| r.control.mappings.iter().any(|m| m.id == c.id && m.basis == basis)).collect()
            };
            let official = mapped(MappingBasis::OfficialAnnexB);
            let suggested = mapped(MappingBasis::Analyst);
            let inside: Vec<&'r SoaRow<'a>> = official.iter().copied().filter(|r| !is_out(r)).collect();
            let (applicable, status, decided_by, justification) = if official.is_empty() {
                let j = "No ISO/IEC 27017:2015 control maps to it officially (new in ISO/IEC 27002:2022): decide and record its applicability and status on its own.";
                (true, Status2022::NeedsOwnAnswer, None, j.to_string())
            } else if inside.is_empty() {
                let j: Vec<String> = official
                    .iter()
                    .map(|r| match r.applicability {
                        SoaApplicability::Excluded { justification } => format!("{}: {}", r.control.id, justification.trim()),
                        SoaApplicability::Applicable => format!("{}: not applicable", r.control.id),
                    })
                    .collect();
                (false, Status2022::NotApplicable, None, j.join("; "))
            } else {
                let weakest = inside.iter().copied().min_by_key(|r| rank(r.outcome));
                let status = match weakest.map(|r| rank(r.outcome)) {
                    Some(0) => Status2022::NotMet,
                    Some(1) => Status2022::PartiallyMet,
                    Some(2) => Status2022::NotFullyAssessed,
                    _ => Status2022::Met,
                };
                (true, status, weakest, String::new())
            };
            let states: Vec<Option<ProviderState>> = inside.iter().map(|r| r.provider.as_ref().map(|p| p.state)).collect();
            let provider = if states.iter().flatten().any(|s| !s.holds()) {
                Provider2022::NeedsReview
            } else if !states.is_empty() && states.iter().all(|s| *s == Some(ProviderState::Inherited)) {
                Provider2022::Inherited
            } else if states.iter().any(Option::is_some) {
                Provider2022::Shared
            } else {
                Provider2022::None
            };
            Soa2022Row { control: c, applicable, justification, status, decided_by, official, suggested, provider }
        })
        .collect()
}

fn outcome_list(rows: &[&SoaRow<'_>]) -> String {
    rows.iter().map(|r| format!("{} ({})", r.control.id, r.outcome.label())).collect::<Vec<_>>().join(", ")
}

fn title(report: &Report<'_>) -> String {
    match report.name {
        super::Carried::Present(n) => super::text::md_inline(n),
        super::Carried::Absent => "Shared assessment".to_string(),
    }
}

/// The Statement of Applicability in ISO/IEC 27001:2022 Annex A terms, as Markdown.
pub fn soa2022_markdown(report: &Report<'_>) -> String {
    let rows = soa2022_rows(report);
    let mut out = String::new();
    let _ = writeln!(out, "# {}: Statement of Applicability, ISO/IEC 27001:2022 Annex A\n", title(report));
    let _ = writeln!(out, "- **Date:** {}", report.summary.date);
    let _ = writeln!(out, "- **Assessed against:** {} (this tool's control catalog)\n", report.edition);
    let _ = writeln!(out, "Each ISO/IEC 27002:2022 control's status is derived from the ISO/IEC 27017:2015 controls that map to it:\n");
    for (i, line) in SOA2022_RULE.iter().enumerate() {
        let _ = writeln!(out, "{}. {line}", i + 1);
    }
    let count = |s: Status2022| rows.iter().filter(|r| r.status == s).count();
    let _ = writeln!(
        out,
        "\n{} controls: {} met, {} partially met, {} not met, {} not fully assessed, {} not applicable, {} needing an own answer.\n",
        rows.len(),
        count(Status2022::Met),
        count(Status2022::PartiallyMet),
        count(Status2022::NotMet),
        count(Status2022::NotFullyAssessed),
        count(Status2022::NotApplicable),
        count(Status2022::NeedsOwnAnswer),
    );
    let _ = writeln!(out, "| Control | Title | Theme | Applicable | Justification | Status | ISO/IEC 27017:2015 controls | Provider part | Suggested mapping (CLD) |\n|---|---|---|---|---|---|---|---|---|");
    for r in &rows {
        let applicable = match (r.status, r.applicable) {
            (Status2022::NeedsOwnAnswer, _) => "To decide",
            (_, true) => "Yes",
            (_, false) => "No",
        };
        let official = if r.official.is_empty() { "—".to_string() } else { md_cell(&outcome_list(&r.official)) };
        let suggested = if r.suggested.is_empty() { "—".to_string() } else { format!("suggested mapping: {}", md_cell(&outcome_list(&r.suggested))) };
        let new = if r.control.new_in_2022 { " (new in 2022)" } else { "" };
        let _ = writeln!(
            out,
            "| {} | {}{new} | {} | {applicable} | {} | {} | {official} | {} | {suggested} |",
            r.control.id,
            md_cell(r.control.title),
            r.control.theme.label(),
            if r.justification.is_empty() { "—".to_string() } else { md_cell(&r.justification) },
            r.status.label(),
            if r.provider == Provider2022::None { "—" } else { r.provider.label() },
        );
    }
    let own: Vec<&Soa2022Row<'_, '_>> = rows.iter().filter(|r| r.status == Status2022::NeedsOwnAnswer).collect();
    if !own.is_empty() {
        let _ = writeln!(out, "\n## Controls needing an own answer ({})\n", own.len());
        let _ = writeln!(out, "No ISO/IEC 27017:2015 control maps to these officially; the CLD controls suggested for them give a starting point, not a status.\n");
        for r in own {
            let hint = if r.suggested.is_empty() { String::new() } else { format!(" — suggested mapping: {}", md_cell(&outcome_list(&r.suggested))) };
            let _ = writeln!(out, "- **{}** {}{hint}", r.control.id, md_cell(r.control.title));
        }
    }
    out
}

/// Header of [`soa2022_csv`].
pub const SOA2022_COLUMNS: &[&str] = &[
    "control_2022",
    "title",
    "theme",
    "new_in_2022",
    "applicability",
    "justification",
    "status",
    "status_label",
    "decided_by",
    "controls_2015",
    "provider_part",
    "suggested_mappings",
];

fn token_list(rows: &[&SoaRow<'_>]) -> String {
    rows.iter().map(|r| format!("{}={}", r.control.id, r.outcome.as_str())).collect::<Vec<_>>().join(" ")
}

/// The Statement of Applicability in ISO/IEC 27001:2022 Annex A terms, as
/// CSV: one row per 2022 control. `applicability` is `applicable`,
/// `not_applicable` or `to_decide`; `decided_by` is the 2015 control whose
/// outcome gave the status (the weakest); `controls_2015` and
/// `suggested_mappings` are `id=outcome` pairs separated by spaces
/// (suggested mappings are CLD controls and derive nothing).
pub fn soa2022_csv(report: &Report<'_>) -> String {
    let rows = soa2022_rows(report);
    write(|w| {
        record(w, SOA2022_COLUMNS)?;
        for r in &rows {
            let applicability = match (r.status, r.applicable) {
                (Status2022::NeedsOwnAnswer, _) => "to_decide",
                (_, true) => "applicable",
                (_, false) => "not_applicable",
            };
            record(
                w,
                &[
                    r.control.id,
                    r.control.title,
                    r.control.theme.as_str(),
                    if r.control.new_in_2022 { "yes" } else { "no" },
                    applicability,
                    &r.justification,
                    r.status.as_str(),
                    r.status.label(),
                    r.decided_by.map_or("", |d| d.control.id.as_str()),
                    &token_list(&r.official),
                    r.provider.as_str(),
                    &token_list(&r.suggested),
                ],
            )?;
        }
        Ok(())
    })
}
