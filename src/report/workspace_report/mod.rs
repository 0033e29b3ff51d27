//! The assessment report of a workspace ("Reports and exports"): one typed
//! view-model, [`Report`], that the browser's report page, the share view and
//! the CLI all render, and the exports built from it:
//! [`csv_findings`], [`csv_soa`] (spreadsheet-safe CSV), [`markdown_report`],
//! [`oscal_assessment_results`] (NIST OSCAL 1.1.2) and the
//! [`InterviewChecklist`] (Markdown and CSV, with the guidance text's audit
//! questions and evidence items). The full, re-importable
//! JSON export is `workspace::export` / `workspace::store::export_workspace`.
//!
//! A [`Report`] has four parts: the executive [`Summary`] (scope, date, counts
//! per outcome overall and per clause, progress), the Statement of
//! Applicability ([`SoaRow`], every catalog control in catalog order), the
//! findings sections ([`FindingsSection`]: failing, and waived / risk-accepted,
//! grouped by check with the rule's remediation, worst first, with the
//! [`Report::top_risks`] drawn from them) and the shared-responsibility
//! [`Matrix`] for the chosen service models.
//!
//! It is built from a [`Workspace`] ([`Report::from_workspace`]) or from a
//! decoded share link ([`Report::from_share`]). A link carries less than a
//! workspace; what it leaves out is [`Carried::Absent`] (owners, target dates,
//! decision reasons and expiries, resource names and sources, and notes,
//! resource ids or findings when the sender left them out), never a made-up
//! value. The [`Summary`] of a workspace and of a link made from it are equal.
//!
//! Cost: building reads each finding once, keeps references (never clones a
//! finding) and aggregates per check, so it can run on every change in the UI
//! (121 controls, 100 000 findings).
//!
//! **Invariant:** no evaluation of its own: a control's outcome is
//! `workspace::rollup::combine` of its answer and its finding counts after
//! decisions (rule steps 1–2, counted in the same single pass that groups the
//! findings; `tests/exports.rs` checks them against `Workspace::roll_up_all`).
//! No I/O, no clock (callers pass `today` and `now`), no randomness (OSCAL
//! UUIDs derive from SHA-256 of stable inputs).
//! **Invariant:** building and exporting never panic on any valid workspace or
//! decoded link; user text is escaped for its target format (Markdown, CSV,
//! OSCAL markup) and never becomes HTML.

mod accounts;
mod csv;
mod interview;
mod markdown;
mod oscal;
mod soa2022;
mod text;

pub use self::accounts::AccountRow;
pub use self::csv::{csv_findings, csv_soa, FINDINGS_COLUMNS, SOA_COLUMNS};
pub use self::interview::{InterviewChecklist, InterviewControl, INTERVIEW_COLUMNS};
pub use self::markdown::markdown_report;
pub use self::oscal::{control_token, oscal_assessment_results, OSCAL_VERSION};
pub use self::soa2022::{soa2022_csv, soa2022_markdown, soa2022_rows, Provider2022, Soa2022Row, Status2022, SOA2022_COLUMNS, SOA2022_RULE};
pub use self::text::{fixed, md_inline, md_text, neutralise_formula, short_plain_text};

use crate::catalog::{Catalog, Control, GuidanceSet};
use crate::checks::{Finding, Rule, RuleSet};
use crate::inventory::{Provider, SourceRef};
use crate::model::{CheckId, ControlId, Responsibility, Role, ServiceModel, Severity, Status};
use crate::share::{ShareControlV1, ShareFindingV1, ShareV1};
use crate::workspace::rollup::{combine, with_provider, Outcome};
use crate::workspace::attest::{ProviderCounts, ProviderState};
use crate::workspace::{Applicability, ControlAnswer, DecisionKind, FindingDecision, IsoDate, ManualStatus, Workspace};
use std::collections::HashMap;

crate::model::string_enum!(
    /// The exports of a report, for download buttons and the CLI's `--format`.
    ExportFormat, "export format", "json, csv-findings, csv-soa, markdown, oscal, interview-markdown, interview-csv, soa2022-markdown or soa2022-csv", {
        /// The assessment itself, re-importable (`workspace::store::export_workspace`).
        Json = "json", "JSON (full, re-importable)";
        /// [`csv_findings`].
        CsvFindings = "csv-findings", "CSV: findings";
        /// [`csv_soa`].
        CsvSoa = "csv-soa", "CSV: Statement of Applicability";
        /// [`markdown_report`].
        Markdown = "markdown", "Markdown report";
        /// [`oscal_assessment_results`].
        Oscal = "oscal", "OSCAL assessment results (JSON)";
        /// [`InterviewChecklist::markdown`] (needs the guidance text).
        InterviewMarkdown = "interview-markdown", "Interview checklist (Markdown)";
        /// [`InterviewChecklist::csv`] (needs the guidance text).
        InterviewCsv = "interview-csv", "Interview checklist (CSV)";
        /// [`soa2022_markdown`].
        Soa2022Markdown = "soa2022-markdown", "Statement of Applicability, ISO/IEC 27001:2022 (Markdown)";
        /// [`soa2022_csv`].
        Soa2022Csv = "soa2022-csv", "Statement of Applicability, ISO/IEC 27001:2022 (CSV)";
    }
);

impl ExportFormat {
    /// File name extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Json | ExportFormat::Oscal => "json",
            ExportFormat::CsvFindings | ExportFormat::CsvSoa | ExportFormat::InterviewCsv | ExportFormat::Soa2022Csv => "csv",
            ExportFormat::Markdown | ExportFormat::InterviewMarkdown | ExportFormat::Soa2022Markdown => "md",
        }
    }
    /// Media type for a download.
    pub fn mime(self) -> &'static str {
        match self {
            ExportFormat::Json | ExportFormat::Oscal => "application/json",
            ExportFormat::CsvFindings | ExportFormat::CsvSoa | ExportFormat::InterviewCsv | ExportFormat::Soa2022Csv => "text/csv;charset=utf-8",
            ExportFormat::Markdown | ExportFormat::InterviewMarkdown | ExportFormat::Soa2022Markdown => "text/markdown;charset=utf-8",
        }
    }
    /// What a link-built report can export: everything but the JSON, which
    /// needs the workspace.
    pub fn available_for_share(self) -> bool {
        self != ExportFormat::Json
    }
    /// True for the formats made from the guidance text as well as the
    /// report (the interview checklist's questions and evidence items).
    pub fn needs_guidance(self) -> bool {
        matches!(self, ExportFormat::InterviewMarkdown | ExportFormat::InterviewCsv)
    }
    fn suffix(self) -> &'static str {
        match self {
            ExportFormat::Json => "assessment",
            ExportFormat::CsvFindings => "findings",
            ExportFormat::CsvSoa => "soa",
            ExportFormat::Markdown => "report",
            ExportFormat::Oscal => "oscal-assessment-results",
            ExportFormat::InterviewMarkdown | ExportFormat::InterviewCsv => "interview",
            ExportFormat::Soa2022Markdown | ExportFormat::Soa2022Csv => "soa-2022",
        }
    }
}

/// How many checks [`Report::top_risks`] lists at most.
pub const TOP_RISKS: usize = 10;

/// Longest evidence summary ([`SoaRow::evidence_summary`]), in characters.
pub const EVIDENCE_SUMMARY_CHARS: usize = 160;

/// A part of the report that its source may not carry: a share link leaves
/// out owners, target dates, decision reasons, resource details and, if the
/// sender chose so, notes, resource ids and findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Carried<T> {
    /// The source carries the value.
    Present(T),
    /// The source does not carry it (show "not in the link", not a default).
    Absent,
}

impl<T> Carried<T> {
    /// The value, if carried.
    pub fn present(self) -> Option<T> {
        match self {
            Carried::Present(v) => Some(v),
            Carried::Absent => None,
        }
    }
    /// A reference to the value, if carried.
    pub fn as_ref(&self) -> Carried<&T> {
        match self {
            Carried::Present(v) => Carried::Present(v),
            Carried::Absent => Carried::Absent,
        }
    }
    /// True when carried.
    pub fn is_present(&self) -> bool {
        matches!(self, Carried::Present(_))
    }
    /// Transform the value when present.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Carried<U> {
        match self {
            Carried::Present(v) => Carried::Present(f(v)),
            Carried::Absent => Carried::Absent,
        }
    }
}

/// Where the report comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportSource {
    /// A workspace: everything is present.
    Workspace,
    /// A share link, with what its sender included.
    ShareLink {
        /// Evidence notes were included.
        notes: bool,
        /// Resource ids were included.
        resource_ids: bool,
        /// Finding summaries were included.
        findings: bool,
        /// Every failing or decided finding is listed (none was left out to fit the link).
        findings_complete: bool,
    },
}

/// Number of controls per [`Outcome`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OutcomeCounts([usize; 12]);

fn outcome_index(o: Outcome) -> usize {
    Outcome::ALL.iter().position(|x| *x == o).unwrap_or(0)
}

impl OutcomeCounts {
    fn add(&mut self, o: Outcome) {
        self.0[outcome_index(o)] += 1;
    }
    /// Controls with outcome `o`.
    pub fn get(&self, o: Outcome) -> usize {
        self.0[outcome_index(o)]
    }
    /// Every outcome with its count, in `Outcome::ALL` order (worst first).
    pub fn iter(&self) -> impl Iterator<Item = (Outcome, usize)> + '_ {
        Outcome::ALL.iter().map(move |o| (*o, self.get(*o)))
    }
    /// All controls counted.
    pub fn total(&self) -> usize {
        self.0.iter().sum()
    }
    /// Met, met with open questions, met (compensated), or covered by a provider attestation.
    pub fn met(&self) -> usize {
        self.get(Outcome::Met) + self.get(Outcome::MetWithOpenQuestions) + self.get(Outcome::MetCompensated) + self.get(Outcome::ProviderCovered)
    }
    /// Not met (automated or manual) or partially met.
    pub fn not_met(&self) -> usize {
        self.get(Outcome::NotMetAutomated) + self.get(Outcome::NotMet) + self.get(Outcome::PartiallyMet)
    }
    /// Waiting for a person's verdict (the outcomes that are not `is_assessed`).
    pub fn open(&self) -> usize {
        self.iter().filter(|(o, _)| !o.is_assessed()).map(|(_, n)| n).sum()
    }
    /// Controls with a verdict (`Outcome::is_assessed`), excluded ones included.
    pub fn assessed(&self) -> usize {
        self.total() - self.open()
    }
    /// Share of controls with a verdict, in whole percent: the one rule
    /// every page and export shows ([`crate::workspace::rollup::progress_percent`]).
    pub fn progress_percent(&self) -> u8 {
        crate::workspace::rollup::progress_percent(self.assessed(), self.total())
    }
}

impl FromIterator<Outcome> for OutcomeCounts {
    /// Count outcomes (one per control), as the assessment page does from
    /// `Workspace::roll_up_all`.
    fn from_iter<I: IntoIterator<Item = Outcome>>(iter: I) -> Self {
        let mut counts = OutcomeCounts::default();
        for o in iter {
            counts.add(o);
        }
        counts
    }
}

/// One clause's results (clauses 5–18, catalog order).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClauseSummary {
    /// Clause number.
    pub clause: u8,
    /// Clause title from the catalog.
    pub title: &'static str,
    /// Controls per outcome in this clause.
    pub outcomes: OutcomeCounts,
}

/// The executive summary: exactly the numbers a share link carries, so the
/// shared view reads the same as the original.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary<'a> {
    /// Organisation (may be empty).
    pub organisation: &'a str,
    /// Roles in scope.
    pub roles: &'a [Role],
    /// Service models in scope (empty = all three for default responsibilities).
    pub service_models: &'a [ServiceModel],
    /// Providers in scope.
    pub providers: &'a [Provider],
    /// Assessment date.
    pub date: IsoDate,
    /// Controls per outcome, all clauses.
    pub outcomes: OutcomeCounts,
    /// Per clause, catalog order.
    pub clauses: Vec<ClauseSummary>,
    /// Controls excluded from the Statement of Applicability.
    pub excluded: usize,
    /// Failing findings, counting those covered by a decision (`ShareV1::finding_count`).
    pub failing_or_decided_findings: usize,
    /// Applicable controls by provider coverage: covered by a provider
    /// attestation, shared, customer's own, provider attestation needing review.
    pub provider: ProviderCounts,
}

/// A control's provider part in the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowProvider {
    /// Inherited or shared, holding or needing review.
    pub state: ProviderState,
    /// The attestations cited (titles), or why they need review (a link carries neither).
    pub detail: Carried<String>,
}

/// Applicability of a control in the Statement of Applicability.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SoaApplicability<'a> {
    /// In scope.
    Applicable,
    /// Excluded, with the justification (possibly empty: a lint problem).
    Excluded {
        /// Why.
        justification: &'a str,
    },
}

/// Automated finding counts of a control after decisions.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AutomatedCounts {
    /// Passing findings.
    pub pass: usize,
    /// Failing findings that count.
    pub fail: usize,
    /// Indeterminate findings.
    pub unknown: usize,
    /// Failing findings covered by a decision in force.
    pub accepted: usize,
}

/// One row of the Statement of Applicability.
#[derive(Debug, Clone, PartialEq)]
pub struct SoaRow<'a> {
    /// The catalog control (id, title, clause, guidance).
    pub control: &'a Control,
    /// Applicable or excluded with justification.
    pub applicability: SoaApplicability<'a>,
    /// The assessor's status.
    pub status: ManualStatus,
    /// The combined outcome.
    pub outcome: Outcome,
    /// Automated result after decisions.
    pub automated: Status,
    /// Who carries it (answer, else catalog default for the scope).
    pub responsibility: Option<Responsibility>,
    /// Owner (empty when none given).
    pub owner: Carried<&'a str>,
    /// Target date.
    pub target_date: Carried<Option<IsoDate>>,
    /// Evidence notes in Markdown (render only with `markdown::render_safe`).
    pub notes_md: Carried<&'a str>,
    /// Short plain text of the notes (first line, at most
    /// [`EVIDENCE_SUMMARY_CHARS`] characters).
    pub evidence_summary: Carried<String>,
    /// Automated counts.
    pub counts: AutomatedCounts,
    /// The compensating measure behind "Met (compensated)" (`workspace::evidence`);
    /// a share link carries only the outcome.
    pub compensation: Carried<Option<&'a crate::workspace::evidence::Compensation>>,
    /// Evidence items collected of those counted (`workspace::evidence`'s
    /// rule); a share link does not carry the checklists.
    pub evidence: Carried<crate::workspace::evidence::EvidenceProgress>,
    /// The provider part (`None`: the customer's control).
    pub provider: Option<RowProvider>,
}

/// The decision on a listed finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecisionView<'a> {
    /// Waived or risk accepted.
    pub kind: DecisionKind,
    /// True when its expiry date has been reached (the finding fails again).
    pub expired: bool,
    /// Why.
    pub reason: Carried<&'a str>,
    /// Expiry (`None` = until revoked).
    pub expires: Carried<Option<IsoDate>>,
}

/// One listed finding: a reference into the workspace or the link, never a copy.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FindingItem<'a> {
    /// From a workspace.
    Workspace {
        /// The finding.
        finding: &'a Finding,
        /// Its decision, if any.
        decision: Option<&'a FindingDecision>,
        /// `today` the report was built for (to tell expired decisions).
        today: i64,
    },
    /// From a share link.
    Shared(&'a ShareFindingV1),
}

impl<'a> FindingItem<'a> {
    /// For a finding imported from another scanner: the tool's finding and
    /// the basis of its controls (a share link does not carry it).
    pub fn imported(&self) -> Option<&'a crate::ingest::scanners::Origin> {
        match self {
            FindingItem::Workspace { finding, .. } => finding.origin.as_deref(),
            FindingItem::Shared(_) => None,
        }
    }
    /// Who found it: the tool and its version for an imported finding,
    /// `iso27017-assessor` for ours.
    pub fn found_by(&self) -> String {
        match self.imported() {
            Some(o) => match &o.finding.tool.version {
                Some(v) => format!("{} {v}", o.finding.tool.name),
                None => o.finding.tool.name.clone(),
            },
            None => "iso27017-assessor".to_string(),
        }
    }
    /// The check.
    pub fn check(&self) -> &'a CheckId {
        match self {
            FindingItem::Workspace { finding, .. } => &finding.check,
            FindingItem::Shared(f) => &f.check,
        }
    }
    /// Controls it evidences.
    pub fn controls(&self) -> &'a [ControlId] {
        match self {
            FindingItem::Workspace { finding, .. } => &finding.controls,
            FindingItem::Shared(f) => &f.controls,
        }
    }
    /// Severity.
    pub fn severity(&self) -> Severity {
        match self {
            FindingItem::Workspace { finding, .. } => finding.severity,
            FindingItem::Shared(f) => f.severity,
        }
    }
    /// The message for people (a link without resource ids carries it redacted).
    /// A workspace finding's message is written out here (findings keep it
    /// as the rule's template and resource).
    pub fn message(&self) -> std::borrow::Cow<'a, str> {
        match self {
            FindingItem::Workspace { finding, .. } => std::borrow::Cow::Owned(finding.message.to_string()),
            FindingItem::Shared(f) => std::borrow::Cow::Borrowed(&f.message),
        }
    }
    /// Resource id or address.
    pub fn resource_id(&self) -> Carried<&'a str> {
        match self {
            FindingItem::Workspace { finding, .. } => Carried::Present(&finding.resource.id),
            FindingItem::Shared(f) => f.resource_id.as_deref().map_or(Carried::Absent, Carried::Present),
        }
    }
    /// Resource name.
    pub fn resource_name(&self) -> Carried<&'a str> {
        match self {
            FindingItem::Workspace { finding, .. } => Carried::Present(&finding.resource.name),
            FindingItem::Shared(_) => Carried::Absent,
        }
    }
    /// Provider.
    pub fn provider(&self) -> Carried<Provider> {
        match self {
            FindingItem::Workspace { finding, .. } => Carried::Present(finding.resource.provider),
            FindingItem::Shared(_) => Carried::Absent,
        }
    }
    /// Where in the input.
    pub fn source(&self) -> Carried<&'a SourceRef> {
        match self {
            FindingItem::Workspace { finding, .. } => Carried::Present(&finding.resource.source),
            FindingItem::Shared(_) => Carried::Absent,
        }
    }
    /// The decision (in force or expired), if any.
    pub fn decision(&self) -> Option<DecisionView<'a>> {
        match *self {
            FindingItem::Workspace { decision, today, .. } => decision.map(|d| DecisionView {
                kind: d.kind,
                expired: !d.in_force(today),
                reason: Carried::Present(&d.reason),
                expires: Carried::Present(d.expires),
            }),
            FindingItem::Shared(f) => f.decision.map(|kind| DecisionView {
                kind,
                expired: false,
                reason: Carried::Absent,
                expires: Carried::Absent,
            }),
        }
    }
}

/// The findings of one check in a section.
#[derive(Debug, Clone, PartialEq)]
pub struct FindingGroup<'a> {
    /// The check.
    pub check: &'a CheckId,
    /// The rule (title, rationale, remediation), when the rule set knows it.
    pub rule: Option<&'a Rule>,
    /// Severity of the check.
    pub severity: Severity,
    /// Controls it evidences.
    pub controls: &'a [ControlId],
    /// The findings, in workspace (upload, then evaluation) order.
    pub items: Vec<FindingItem<'a>>,
}

impl FindingGroup<'_> {
    /// The rule's title, or the check id when the rule is unknown.
    pub fn title(&self) -> &str {
        match self.rule {
            Some(r) => r.title.as_str(),
            // An imported check: the tool's title.
            None => self.items.first().and_then(|i| i.imported()).map_or(self.check.as_str(), |o| o.finding.title.as_str()),
        }
    }
    /// The rule's remediation (bundled Markdown), empty when unknown.
    pub fn remediation_md(&self) -> &str {
        self.rule.map_or("", |r| r.remediation.trim())
    }
}

/// A findings section: groups worst first (severity, then count, then check id).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FindingsSection<'a> {
    /// One group per check.
    pub groups: Vec<FindingGroup<'a>>,
}

impl FindingsSection<'_> {
    /// Findings listed.
    pub fn count(&self) -> usize {
        self.groups.iter().map(|g| g.items.len()).sum()
    }
}

/// One of the top risks: a check with failing findings.
#[derive(Debug, Clone, PartialEq)]
pub struct Risk<'a> {
    /// The check.
    pub check: &'a CheckId,
    /// Rule title (or the check id).
    pub title: &'a str,
    /// Severity.
    pub severity: Severity,
    /// Failing findings of the check.
    pub failing: usize,
    /// Controls concerned.
    pub controls: &'a [ControlId],
    /// The rule's remediation (bundled Markdown; empty when unknown).
    pub remediation_md: &'a str,
}

impl Risk<'_> {
    /// The risk in words. A rule's title states the secure condition
    /// ("Administrative ports … are not open to the internet"), so the risk
    /// is that resources do not meet it: `5 resources do not meet
    /// “Administrative ports … are not open to the internet”`.
    pub fn headline(&self) -> String {
        let (resources, verb) = if self.failing == 1 { ("resource", "does") } else { ("resources", "do") };
        format!("{} {resources} {verb} not meet \u{201c}{}\u{201d}", self.failing, self.title)
    }
}

/// One row of the shared-responsibility matrix.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MatrixRow<'a> {
    /// The control.
    pub control: &'a Control,
    /// Catalog default per service model, in `ServiceModel::ALL` order.
    pub defaults: [Option<Responsibility>; 3],
    /// What applies in this assessment (answer, else default for the scope).
    pub applied: Option<Responsibility>,
}

impl MatrixRow<'_> {
    /// The catalog's default under `model`.
    pub fn default_for(&self, model: ServiceModel) -> Option<Responsibility> {
        ServiceModel::ALL.iter().position(|m| *m == model).and_then(|i| self.defaults[i])
    }
}

/// The shared-responsibility matrix: control × chosen service models.
#[derive(Debug, Clone, PartialEq)]
pub struct Matrix<'a> {
    /// The columns: the scope's service models, or all three when none chosen.
    pub models: Vec<ServiceModel>,
    /// One row per catalog control, catalog order.
    pub rows: Vec<MatrixRow<'a>>,
}

/// The report view-model. Build with [`Report::from_workspace`] or
/// [`Report::from_share`]; render with the export functions or the UI.
#[derive(Debug, Clone, PartialEq)]
pub struct Report<'a> {
    /// Where it comes from (and what a link left out).
    pub source: ReportSource,
    /// The workspace it was built from (`None` for a share link); the JSON export needs it.
    pub workspace: Option<&'a Workspace>,
    /// The assessment's name (a link does not carry it).
    pub name: Carried<&'a str>,
    /// Catalog edition, e.g. `ISO/IEC 27017:2015`.
    pub edition: &'static str,
    /// Executive summary.
    pub summary: Summary<'a>,
    /// Statement of Applicability, catalog order.
    pub soa: Vec<SoaRow<'a>>,
    /// Failing findings (no decision, or an expired one).
    pub failing: FindingsSection<'a>,
    /// Failing findings covered by a decision in force (waived or risk accepted).
    pub decided: FindingsSection<'a>,
    /// The shared-responsibility matrix.
    pub matrix: Matrix<'a>,
    /// The [`TOP_RISKS`] worst checks with failing findings (severity, then count).
    pub top_risks: Vec<Risk<'a>>,
    /// Findings per account, subscription or project, most failing first (a
    /// share link does not carry them).
    pub accounts: Carried<Vec<AccountRow<'a>>>,
}

/// Accumulates findings into per-check groups in one pass.
struct Grouper<'a> {
    index: HashMap<&'a CheckId, usize>,
    groups: Vec<FindingGroup<'a>>,
}

impl<'a> Grouper<'a> {
    fn new() -> Self {
        Grouper { index: HashMap::new(), groups: Vec::new() }
    }
    fn push(&mut self, rules: &'a RuleSet, item: FindingItem<'a>) {
        let check = item.check();
        // Findings come in runs of one check: skip the hash for a repeat.
        if let Some(g) = self.groups.last_mut().filter(|g| g.check == check) {
            g.items.push(item);
            return;
        }
        let i = *self.index.entry(check).or_insert_with(|| {
            self.groups.push(FindingGroup {
                check,
                rule: rules.rule(check.as_str()),
                severity: item.severity(),
                controls: item.controls(),
                items: Vec::new(),
            });
            self.groups.len() - 1
        });
        if let Some(g) = self.groups.get_mut(i) {
            g.items.push(item);
        }
    }
    fn finish(mut self) -> FindingsSection<'a> {
        self.groups.sort_by(|a, b| {
            (std::cmp::Reverse(a.severity), std::cmp::Reverse(a.items.len()), a.check).cmp(&(
                std::cmp::Reverse(b.severity),
                std::cmp::Reverse(b.items.len()),
                b.check,
            ))
        });
        FindingsSection { groups: self.groups }
    }
}

fn top_risks<'a>(failing: &FindingsSection<'a>) -> Vec<Risk<'a>> {
    failing
        .groups
        .iter()
        .take(TOP_RISKS)
        .map(|g| Risk {
            check: g.check,
            title: g.rule.map_or(g.check.as_str(), |r| r.title.as_str()),
            severity: g.severity,
            failing: g.items.len(),
            controls: g.controls,
            remediation_md: g.rule.map_or("", |r| r.remediation.trim()),
        })
        .collect()
}

fn clause_title(catalog: &Catalog, clause: u8) -> &'static str {
    let id = clause.to_string();
    catalog.clauses().find(|g| g.id == id).map_or("", |g| g.title)
}

fn summarise(catalog: &Catalog, rows: &[SoaRow<'_>]) -> (OutcomeCounts, Vec<ClauseSummary>, usize, ProviderCounts) {
    let mut all = OutcomeCounts::default();
    let mut clauses: Vec<ClauseSummary> = Vec::new();
    let mut excluded = 0;
    let mut provider = ProviderCounts::default();
    for r in rows {
        all.add(r.outcome);
        if matches!(r.applicability, SoaApplicability::Excluded { .. }) {
            excluded += 1;
        } else {
            let state = r.provider.as_ref().map(|p| p.state);
            provider.add(state.map(ProviderState::part), state.is_none_or(ProviderState::holds));
        }
        let clause = r.control.clause;
        let i = match clauses.iter().position(|c| c.clause == clause) {
            Some(i) => i,
            None => {
                clauses.push(ClauseSummary { clause, title: clause_title(catalog, clause), outcomes: OutcomeCounts::default() });
                clauses.len() - 1
            }
        };
        if let Some(c) = clauses.get_mut(i) {
            c.outcomes.add(r.outcome);
        }
    }
    clauses.sort_by_key(|c| c.clause);
    (all, clauses, excluded, provider)
}

fn matrix<'a>(models: &[ServiceModel], rows: &[SoaRow<'a>]) -> Matrix<'a> {
    let models = if models.is_empty() { ServiceModel::ALL.to_vec() } else { models.to_vec() };
    Matrix {
        models,
        rows: rows
            .iter()
            .map(|r| MatrixRow {
                control: r.control,
                defaults: [
                    r.control.responsibility(ServiceModel::Iaas),
                    r.control.responsibility(ServiceModel::Paas),
                    r.control.responsibility(ServiceModel::Saas),
                ],
                applied: r.responsibility,
            })
            .collect(),
    }
}

impl<'a> Report<'a> {
    /// Evidence collected over the controls in the Statement of
    /// Applicability (`workspace::evidence`'s rule; the same figure as
    /// `Workspace::evidence_progress_all`); `None` for a share link.
    pub fn evidence_progress(&self) -> Option<crate::workspace::evidence::EvidenceProgress> {
        self.workspace?;
        let mut all = crate::workspace::evidence::EvidenceProgress::default();
        for r in self.soa.iter().filter(|r| matches!(r.applicability, SoaApplicability::Applicable)) {
            if let Carried::Present(p) = r.evidence {
                all.collected += p.collected;
                all.total += p.total;
            }
        }
        Some(all)
    }
    /// The report of `ws` on `today` (days since 1970-01-01). One pass over
    /// the findings: it counts each control's findings after decisions (steps
    /// 1–2 of `workspace::rollup`, the same counts as `Workspace::roll_up_all`,
    /// which `tests/exports.rs` checks) and applies `rollup::combine`; it keeps
    /// references into `ws`, `catalog` and `rules`.
    pub fn from_workspace(ws: &'a Workspace, catalog: &'a Catalog, rules: &'a RuleSet, today: i64) -> Report<'a> {
        let controls = catalog.controls();
        let position: HashMap<&ControlId, usize> = controls.iter().enumerate().map(|(i, c)| (&c.id, i)).collect();
        let decisions: HashMap<(&CheckId, &str), &FindingDecision> =
            ws.decisions().iter().map(|d| ((&d.check, d.resource_id.as_str()), d)).collect();
        let mut counts = vec![AutomatedCounts::default(); controls.len()];
        let mut failing = Grouper::new();
        let mut decided = Grouper::new();
        let mut counted = 0;
        let mut accounts = accounts::AccountTally::default();
        // Findings come in runs of one check with the same controls: resolve
        // the control positions once per run.
        let mut run: (&[ControlId], Vec<usize>) = (&[], Vec::new());
        for f in ws.findings() {
            if *f.controls != *run.0 {
                run = (&f.controls, f.controls.iter().filter_map(|c| position.get(c).copied()).collect());
            }
            // Step 1: a failure under a decision in force is neutral (accepted).
            let decision = match f.status {
                Status::Fail => decisions.get(&(&f.check, f.resource.id.as_str())).copied(),
                _ => None,
            };
            let accepted = decision.is_some_and(|d| d.in_force(today));
            accounts.add(f, accepted);
            for &i in &run.1 {
                if let Some(c) = counts.get_mut(i) {
                    match f.status {
                        Status::Pass => c.pass += 1,
                        Status::Fail if accepted => c.accepted += 1,
                        Status::Fail => c.fail += 1,
                        Status::Indeterminate => c.unknown += 1,
                        Status::NotApplicable => {}
                    }
                }
            }
            // The same findings `ShareV1::finding_count` counts.
            if f.status != Status::Fail || f.controls.is_empty() {
                continue;
            }
            counted += 1;
            let item = FindingItem::Workspace { finding: f, decision, today };
            if accepted {
                decided.push(rules, item);
            } else {
                failing.push(rules, item);
            }
        }
        let failing = failing.finish();
        let decided = decided.finish();

        let applicable = Applicability::Applicable;
        let soa: Vec<SoaRow<'a>> = controls
            .iter()
            .zip(counts)
            .map(|(c, counts)| {
                let answer: Option<&'a ControlAnswer> = ws.answers().get(&c.id);
                // Step 2: the engine's roll-up (fail dominates, then unknown,
                // then pass; none = nothing to check), over the counts left
                // after decisions.
                let automated = crate::engine::Tally { pass: counts.pass, fail: counts.fail, indeterminate: counts.unknown }.status();
                let applicability = match answer.map(|a| &a.applicable) {
                    Some(Applicability::Excluded { justification }) => {
                        SoaApplicability::Excluded { justification: justification.as_str() }
                    }
                    Some(Applicability::Applicable) | None => SoaApplicability::Applicable,
                };
                let status = answer.map_or(ManualStatus::NotAssessed, |a| a.status);
                let notes: &'a str = answer.map_or("", |a| a.notes_md.as_str());
                let coverage = ws.coverage(&c.id, today);
                let provider = coverage.state().map(|state| RowProvider {
                    state,
                    detail: Carried::Present(coverage.message().unwrap_or_else(|| ws.cited_titles(&c.id).join("; "))),
                });
                SoaRow {
                    control: c,
                    applicability,
                    status,
                    // Steps 3 and 4, the one implementation of the rule.
                    outcome: with_provider(
                        combine(answer.map_or(&applicable, |a| &a.applicable), status, automated, ws.evidence().compensated(&c.id)),
                        coverage.part().zip(coverage.holds()),
                    ),
                    provider,
                    automated,
                    responsibility: ws.responsibility(&c.id),
                    owner: Carried::Present(answer.map_or("", |a| a.owner.as_str())),
                    target_date: Carried::Present(answer.and_then(|a| a.target_date)),
                    notes_md: Carried::Present(notes),
                    evidence_summary: Carried::Present(short_plain_text(notes, EVIDENCE_SUMMARY_CHARS)),
                    counts,
                    compensation: Carried::Present(ws.compensation(&c.id)),
                    evidence: Carried::Present(ws.evidence_progress(
                        &c.id,
                        crate::workspace::evidence::AutomatedItem::of(&c.id, counts.pass, counts.fail, counts.unknown, counts.accepted),
                    )),
                }
            })
            .collect();

        let scope = ws.scope();
        let (outcomes, clauses, excluded, provider) = summarise(catalog, &soa);
        let date = crate::share::payload::date_from_days(today).unwrap_or_else(epoch);
        Report {
            source: ReportSource::Workspace,
            workspace: Some(ws),
            name: Carried::Present(ws.name()),
            edition: catalog.edition().standard,
            summary: Summary {
                organisation: &scope.organisation,
                roles: &scope.roles,
                service_models: &scope.service_models,
                providers: &scope.providers,
                date,
                outcomes,
                clauses,
                excluded,
                failing_or_decided_findings: counted,
                provider,
            },
            matrix: matrix(&scope.service_models, &soa),
            top_risks: top_risks(&failing),
            accounts: Carried::Present(accounts.finish()),
            soa,
            failing,
            decided,
        }
    }

    /// The report a share link shows. Controls the link does not list count
    /// as not assessed; parts the link does not carry are [`Carried::Absent`].
    pub fn from_share(share: &'a ShareV1, catalog: &'a Catalog, rules: &'a RuleSet) -> Report<'a> {
        let by_id: HashMap<&ControlId, &'a ShareControlV1> = share.controls.iter().map(|c| (&c.id, c)).collect();
        let notes_carried = share.included.notes;
        let soa: Vec<SoaRow<'a>> = catalog
            .controls()
            .iter()
            .map(|c| {
                let sc = by_id.get(&c.id).copied();
                let applicability = match sc.and_then(|s| s.excluded.as_deref()) {
                    Some(j) => SoaApplicability::Excluded { justification: j },
                    None => SoaApplicability::Applicable,
                };
                let status = sc.map_or(ManualStatus::NotAssessed, |s| s.status);
                let automated = sc.map_or(Status::NotApplicable, |s| s.automated());
                let outcome = sc.map_or(Outcome::NotAssessed, |s| s.outcome);
                let notes = sc.map_or("", |s| s.notes_md.as_str());
                let [pass, fail, unknown, accepted] = sc.map_or([0; 4], |s| s.counts);
                SoaRow {
                    control: c,
                    applicability,
                    status,
                    outcome,
                    automated,
                    provider: sc.and_then(|s| s.provider).map(|state| RowProvider { state, detail: Carried::Absent }),
                    responsibility: sc.and_then(|s| s.responsibility),
                    owner: Carried::Absent,
                    target_date: Carried::Absent,
                    notes_md: if notes_carried { Carried::Present(notes) } else { Carried::Absent },
                    evidence_summary: if notes_carried {
                        Carried::Present(short_plain_text(notes, EVIDENCE_SUMMARY_CHARS))
                    } else {
                        Carried::Absent
                    },
                    compensation: Carried::Absent,
                    evidence: Carried::Absent,
                    counts: AutomatedCounts {
                        pass: pass as usize,
                        fail: fail as usize,
                        unknown: unknown as usize,
                        accepted: accepted as usize,
                    },
                }
            })
            .collect();

        let mut failing = Grouper::new();
        let mut decided = Grouper::new();
        for f in &share.findings {
            let item = FindingItem::Shared(f);
            if f.decision.is_some() {
                decided.push(rules, item);
            } else {
                failing.push(rules, item);
            }
        }
        let failing = failing.finish();
        let decided = decided.finish();
        let (outcomes, clauses, excluded, provider) = summarise(catalog, &soa);
        let date = share.assessed().unwrap_or_else(epoch);
        Report {
            workspace: None,
            source: ReportSource::ShareLink {
                notes: share.included.notes,
                resource_ids: share.included.resource_ids,
                findings: share.included.findings,
                findings_complete: share.included.findings && share.findings.len() == share.finding_count as usize,
            },
            name: Carried::Absent,
            edition: catalog.edition().standard,
            summary: Summary {
                organisation: &share.scope.organisation,
                roles: &share.scope.roles,
                service_models: &share.scope.service_models,
                providers: &share.scope.providers,
                date,
                outcomes,
                clauses,
                excluded,
                failing_or_decided_findings: share.finding_count as usize,
                provider,
            },
            matrix: matrix(&share.scope.service_models, &soa),
            top_risks: top_risks(&failing),
            accounts: Carried::Absent,
            soa,
            failing,
            decided,
        }
    }

    /// The document for `format`; `now_ms` (milliseconds since the Unix epoch)
    /// stamps OSCAL; `guidance` is the guidance text, which the interview
    /// checklist needs ([`ExportFormat::needs_guidance`]). `None` for
    /// [`ExportFormat::Json`] of a share link (see
    /// [`ExportFormat::available_for_share`]) and for the checklist without
    /// `guidance`.
    pub fn export(&self, format: ExportFormat, now_ms: u64, guidance: Option<&GuidanceSet>) -> Option<String> {
        Some(match format {
            ExportFormat::Json => crate::workspace::store::export_workspace(self.workspace?),
            ExportFormat::CsvFindings => csv_findings(self),
            ExportFormat::CsvSoa => csv_soa(self),
            ExportFormat::Markdown => markdown_report(self),
            ExportFormat::Oscal => oscal_assessment_results(self, now_ms),
            ExportFormat::InterviewMarkdown => InterviewChecklist::from_report(self, guidance?).markdown(),
            ExportFormat::InterviewCsv => InterviewChecklist::from_report(self, guidance?).csv(),
            ExportFormat::Soa2022Markdown => soa2022_markdown(self),
            ExportFormat::Soa2022Csv => soa2022_csv(self),
        })
    }

    /// A download file name: `<name>-<date>-<part>.<ext>`, the name reduced to
    /// lower-case ASCII letters, digits and `-` (at most 40), `assessment` when
    /// nothing is left (or for a share link), e.g.
    /// `production-2026-2026-06-01-soa.csv`.
    pub fn file_name(&self, format: ExportFormat) -> String {
        let mut slug = String::new();
        for c in self.name.present().unwrap_or("").chars().flat_map(char::to_lowercase) {
            if c.is_ascii_alphanumeric() {
                slug.push(c);
            } else if !slug.is_empty() && !slug.ends_with('-') {
                slug.push('-');
            }
            if slug.len() >= 40 {
                break;
            }
        }
        let slug = slug.trim_end_matches('-');
        let slug = if slug.is_empty() { "assessment" } else { slug };
        format!("{slug}-{}-{}.{}", self.summary.date, format.suffix(), format.extension())
    }

    /// True when every failing and decided finding is listed (always for a
    /// workspace; for a link only when it carries all of them).
    pub fn findings_complete(&self) -> bool {
        match self.source {
            ReportSource::Workspace => true,
            ReportSource::ShareLink { findings_complete, .. } => findings_complete,
        }
    }
}

fn epoch() -> IsoDate {
    IsoDate::EPOCH
}

/// What an export is made from when it is made away from the report page
/// (in the browser, by the page's Web Worker): text that crosses
/// `postMessage`, read back and validated here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportSource<'a> {
    /// An assessment as [`crate::workspace::export_workspace`] wrote it, and
    /// the day it is reported on (days since the epoch).
    Workspace {
        /// The assessment's JSON.
        json: &'a str,
        /// Today.
        today: i64,
    },
    /// A share link's payload (the text after its route prefix).
    ShareLink(&'a str),
}

/// An export file made from `source`: its download name and its text,
/// exactly what [`Report::file_name`] and [`Report::export`] give on the
/// report the page shows. `guidance` is the guidance asset's bytes (the
/// worker fetches `catalog::prose::ASSET_NAME` for the formats that
/// [need it](ExportFormat::needs_guidance)); only this build's asset is read
/// (`catalog::prose::ASSET_DIGEST`). `Err` says why the source cannot be read
/// or the format cannot be made from it.
pub fn export_from(source: ExportSource<'_>, format: ExportFormat, now_ms: u64, guidance: Option<&[u8]>) -> Result<(String, String), String> {
    let (catalog, rules) = (Catalog::bundled(), RuleSet::bundled()); // (worker only): export files are made there
    let unavailable = || format!("{} cannot be made from this report", format.label());
    let guidance = match guidance.filter(|_| format.needs_guidance()) {
        Some(bytes) if crate::catalog::prose::digest(bytes) != crate::catalog::prose::ASSET_DIGEST => {
            return Err("the server has the guidance file of another version of this app; reload the page".into());
        }
        Some(bytes) => Some(GuidanceSet::from_asset(bytes, catalog).map_err(|e| e.to_string())?),
        None if format.needs_guidance() => return Err(format!("{} needs the guidance text", format.label())),
        None => None,
    };
    match source {
        ExportSource::Workspace { json, today } => {
            let all = crate::workspace::import_own(json).map_err(|e| e.to_string())?;
            let w = all.active().ok_or("the assessment to export is missing")?;
            let report = Report::from_workspace(w, catalog, rules, today);
            let text = report.export(format, now_ms, guidance.as_ref()).ok_or_else(unavailable)?;
            Ok((report.file_name(format), text))
        }
        ExportSource::ShareLink(payload) => {
            let share = crate::share::decode(payload).map_err(|e| e.to_string())?;
            let report = Report::from_share(&share, catalog, rules);
            let text = report.export(format, now_ms, guidance.as_ref()).ok_or_else(unavailable)?;
            Ok((report.file_name(format), text))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_risk_reads_as_resources_not_meeting_the_secure_condition() {
        let check: CheckId = "firewall_admin_ports_not_public".parse().unwrap();
        let title = "Administrative ports (22, 3389) are not open to the internet";
        let risk = |failing| Risk { check: &check, title, severity: Severity::Critical, failing, controls: &[], remediation_md: "" };
        assert_eq!(risk(5).headline(), "5 resources do not meet \u{201c}Administrative ports (22, 3389) are not open to the internet\u{201d}");
        assert_eq!(risk(1).headline(), "1 resource does not meet \u{201c}Administrative ports (22, 3389) are not open to the internet\u{201d}");
    }

    #[test]
    fn outcome_counts_from_outcomes() {
        let counts: OutcomeCounts = std::iter::repeat_n(Outcome::Met, 30).chain(std::iter::repeat_n(Outcome::NotAssessed, 91)).collect();
        assert_eq!((counts.total(), counts.assessed(), counts.progress_percent()), (121, 30, 25));
    }
}
