//! The interview checklist: every audit question of the controls in scope,
//! with blank answer and evidence-reference columns to fill in during an
//! audit interview, and (Markdown) the evidence items to ask for, each with
//! the id an answer can cite (`12.4.2-e1`).
//!
//! **Scope.** Built from a [`Report`] ([`InterviewChecklist::from_report`]):
//! the controls its Statement of Applicability marks applicable, in catalog
//! order; a control excluded there is not asked about: the Markdown lists it
//! at the end with its justification, the CSV leaves it out. Built from the
//! catalog alone ([`InterviewChecklist::from_catalog`], `iso27017 catalog`):
//! every control.
//!
//! **CSV columns** ([`INTERVIEW_COLUMNS`]): `control`, `title`,
//! `question_id` (`12.4.2-q1`), `question` (plain text), `answer` and
//! `evidence_reference` (both empty). Every cell goes through
//! [`neutralise_formula`](super::neutralise_formula), as in the other CSV exports.
//!
//! **Invariant:** user text (assessment name, organisation, justifications)
//! enters the Markdown only through `md_inline`; the questions and evidence
//! items are our bundled text, inserted as Markdown with `|` escaped in
//! table cells. Formatting only: applicability is the report's.

use super::csv::{record, write};
use super::text::{collapse_whitespace, md_inline};
use super::{Carried, Report, SoaApplicability};
use crate::catalog::{AuditQuestion, Catalog, Control, EvidenceItem, GuidanceSet};
use crate::markdown::to_plain_text;
use crate::workspace::IsoDate;
use std::fmt::Write as _;

/// Header of [`InterviewChecklist::csv`].
pub const INTERVIEW_COLUMNS: &[&str] = &["control", "title", "question_id", "question", "answer", "evidence_reference"];

/// One control to ask about: its questions and the evidence to ask for.
#[derive(Debug, Clone, Copy)]
pub struct InterviewControl<'a> {
    /// The control.
    pub control: &'a Control,
    /// Its audit questions (empty if its guidance text is missing).
    pub questions: &'a [AuditQuestion],
    /// The evidence an auditor will ask for.
    pub evidence: &'a [EvidenceItem],
}

/// The interview checklist of an assessment or of the whole catalog.
#[derive(Debug, Clone)]
pub struct InterviewChecklist<'a> {
    /// Name of the standard (`ISO/IEC 27017:2015`).
    pub standard: &'static str,
    /// Assessment name, when the checklist is an assessment's.
    pub name: Option<&'a str>,
    /// Organisation (may be empty).
    pub organisation: &'a str,
    /// Date of the assessment, when the checklist is an assessment's.
    pub date: Option<IsoDate>,
    /// Controls to ask about, in catalog order.
    pub controls: Vec<InterviewControl<'a>>,
    /// Controls excluded from the Statement of Applicability, with the justification.
    pub excluded: Vec<(&'a Control, &'a str)>,
}

impl<'a> InterviewChecklist<'a> {
    /// Every control of `catalog`.
    pub fn from_catalog(catalog: &'a Catalog, guidance: &'a GuidanceSet) -> InterviewChecklist<'a> {
        InterviewChecklist {
            standard: catalog.edition().standard,
            name: None,
            organisation: "",
            date: None,
            controls: catalog.controls().iter().map(|c| entry(c, guidance)).collect(),
            excluded: Vec::new(),
        }
    }

    /// The controls `report`'s Statement of Applicability marks applicable;
    /// the excluded ones are kept apart with their justification.
    pub fn from_report(report: &Report<'a>, guidance: &'a GuidanceSet) -> InterviewChecklist<'a> {
        let mut controls = Vec::new();
        let mut excluded = Vec::new();
        for row in &report.soa {
            match row.applicability {
                SoaApplicability::Applicable => controls.push(entry(row.control, guidance)),
                SoaApplicability::Excluded { justification } => excluded.push((row.control, justification)),
            }
        }
        InterviewChecklist {
            standard: report.edition,
            name: match report.name {
                Carried::Present(n) => Some(n),
                Carried::Absent => None,
            },
            organisation: report.summary.organisation,
            date: Some(report.summary.date),
            controls,
            excluded,
        }
    }

    /// Number of questions asked.
    pub fn question_count(&self) -> usize {
        self.controls.iter().map(|c| c.questions.len()).sum()
    }

    /// The checklist as CSV: one row per question ([`INTERVIEW_COLUMNS`]).
    pub fn csv(&self) -> String {
        write(|w| {
            record(w, INTERVIEW_COLUMNS)?;
            for c in &self.controls {
                let id = c.control.id.to_string();
                for q in c.questions {
                    let text = collapse_whitespace(&to_plain_text(&q.text));
                    record(w, &[&id, c.control.title, &q.qualified(&c.control.id), &text, "", ""])?;
                }
            }
            Ok(())
        })
    }

    /// The checklist as Markdown: per control, a table of its questions with
    /// blank answer and evidence columns, then the evidence to ask for as a
    /// task list; the excluded controls at the end.
    pub fn markdown(&self) -> String {
        let mut out = String::new();
        match self.name {
            Some(name) if !name.trim().is_empty() => {
                let _ = writeln!(out, "# Interview checklist: {}\n", md_inline(name));
            }
            _ => out.push_str("# Interview checklist\n\n"),
        }
        let mut facts = vec![self.standard.to_string()];
        if !self.organisation.trim().is_empty() {
            facts.push(format!("Organisation: {}", md_inline(self.organisation)));
        }
        if let Some(d) = self.date {
            facts.push(format!("Date: {d}"));
        }
        facts.push(format!("{} controls, {} questions", self.controls.len(), self.question_count()));
        let _ = writeln!(out, "{}\n", facts.join(" · "));
        out.push_str(
            "Answers and evidence references are left blank, to be filled in during the interview. \
             Cite the evidence seen by its id (for example `5.1.1-e1`).\n\n",
        );
        for c in &self.controls {
            let _ = writeln!(out, "## {} {}\n", c.control.id, c.control.title);
            if c.questions.is_empty() {
                out.push_str("No audit questions: the guidance text of this control is missing.\n\n");
            } else {
                out.push_str("| Id | Question | Answer | Evidence reference |\n|---|---|---|---|\n");
                for q in c.questions {
                    let _ = writeln!(out, "| {} | {} |  |  |", q.qualified(&c.control.id), cell(&q.text));
                }
                out.push('\n');
            }
            if !c.evidence.is_empty() {
                out.push_str("Evidence to ask for:\n\n");
                for e in c.evidence {
                    let _ = writeln!(out, "- [ ] **{}** {}", e.qualified(&c.control.id), collapse_whitespace(&e.text));
                }
                out.push('\n');
            }
        }
        if !self.excluded.is_empty() {
            out.push_str("## Not asked: excluded from the Statement of Applicability\n\n");
            for (c, justification) in &self.excluded {
                let why = if justification.trim().is_empty() { "no justification given".to_string() } else { md_inline(justification) };
                let _ = writeln!(out, "- **{}** {}: {}", c.id, c.title, why);
            }
            out.push('\n');
        }
        out
    }
}

fn entry<'a>(control: &'a Control, guidance: &'a GuidanceSet) -> InterviewControl<'a> {
    let g = guidance.get(&control.id);
    InterviewControl {
        control,
        questions: g.map_or(&[][..], |g| g.audit_questions.as_slice()),
        evidence: g.map_or(&[][..], |g| g.evidence_items.as_slice()),
    }
}

/// Bundled inline Markdown as one table cell: one line, `|` escaped.
fn cell(text: &str) -> String {
    collapse_whitespace(text).replace('|', "\\|")
}
