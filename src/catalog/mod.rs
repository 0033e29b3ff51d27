//! The ISO/IEC 27017 control catalog: clauses, categories, controls, their
//! ISO/IEC 27002:2022 correspondence and default responsibility, bundled at
//! compile time (see `build.rs`) and checked by a lint at load; and our own
//! guidance text ([`prose`]), which the browser page loads on demand.
//!
//! **Invariant:** facts (numbers, titles, kinds, mappings) come only from
//! `data/*.toml`, which `tests/catalog.rs` compares with the reference files;
//! prose comes only from `guidance/<ID>.md`, written by us.
//! **Invariant:** loading never panics; problems become [`CatalogIssue`]s.

mod export;
pub mod items;
mod load;
pub mod prose;
mod search;

pub use export::{to_json, to_markdown, CatalogJsonV1, CATALOG_JSON_VERSION};
pub use items::{AuditQuestion, EvidenceId, EvidenceItem, QuestionId};
pub use prose::{Guidance, GuidanceError, GuidanceSet};
pub use search::{Filter, Hit};

use crate::model::{ControlId, ControlKind, MappingBasis, Responsibility, ServiceModel, Theme};
use std::sync::OnceLock;

/// Which edition of 27017 a catalog describes. Controls are keyed by id within
/// an edition, so a second edition can be bundled beside this one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edition {
    /// Stable key, e.g. `iso27017-2015`.
    pub id: &'static str,
    /// Display name, e.g. `ISO/IEC 27017:2015`.
    pub standard: &'static str,
    /// Identical publication elsewhere.
    pub also_published_as: &'static str,
    /// The control set it builds on.
    pub base: &'static str,
}

/// A clause (`9`), a category (`9.1`) or a cloud category (`CLD.9.5`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// Number as in the standard.
    pub id: &'static str,
    /// Enclosing clause for a category; `None` for a clause.
    pub parent: Option<&'static str>,
    /// Title.
    pub title: &'static str,
}

impl Group {
    /// True for a clause (top level).
    pub fn is_clause(&self) -> bool {
        self.parent.is_none()
    }
}

/// An ISO/IEC 27002:2022 control (same numbers as ISO/IEC 27001:2022 Annex A).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Control2022 {
    /// `5.23` etc.
    pub id: &'static str,
    /// 2022 title.
    pub title: &'static str,
    /// 2022 theme.
    pub theme: Theme,
    /// New in 2022 (no 2013 predecessor).
    pub new_in_2022: bool,
    /// The 2013 controls it comes from.
    pub from_2013: &'static [&'static str],
}

/// One correspondence from a 27017 control to a 2022 control.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mapping2022 {
    /// The 2022 control id.
    pub id: &'static str,
    /// Its 2022 title.
    pub title: &'static str,
    /// How the correspondence was established.
    pub basis: MappingBasis,
}

/// Default responsibility for a control under each service model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResponsibilityMatrix {
    /// Under IaaS.
    pub iaas: Responsibility,
    /// Under PaaS.
    pub paas: Responsibility,
    /// Under SaaS.
    pub saas: Responsibility,
}

impl ResponsibilityMatrix {
    /// The split under `model`.
    pub fn get(&self, model: ServiceModel) -> Responsibility {
        match model {
            ServiceModel::Iaas => self.iaas,
            ServiceModel::Paas => self.paas,
            ServiceModel::Saas => self.saas,
        }
    }
}

/// The parts of a control page, with their stable anchor ids (OSCAL-style
/// part ids: `CLD.9.5.1#csc`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Part {
    /// Intent summary.
    Summary,
    /// Customer guidance.
    Customer,
    /// Provider guidance.
    Provider,
    /// Evidence list.
    Evidence,
    /// Provider pitfalls.
    Pitfalls,
    /// Audit questions.
    Questions,
}

impl Part {
    /// All parts in page order.
    pub const ALL: &'static [Part] = &[Part::Summary, Part::Customer, Part::Provider, Part::Evidence, Part::Pitfalls, Part::Questions];
    /// Anchor token.
    pub fn as_str(self) -> &'static str {
        match self {
            Part::Summary => "intent",
            Part::Customer => "csc",
            Part::Provider => "csp",
            Part::Evidence => "evidence",
            Part::Pitfalls => "pitfalls",
            Part::Questions => "questions",
        }
    }
    /// Heading shown on the page.
    pub fn heading(self) -> &'static str {
        match self {
            Part::Summary => "Intent",
            Part::Customer => "Cloud service customer",
            Part::Provider => "Cloud service provider",
            Part::Evidence => "Evidence an auditor will ask for",
            Part::Pitfalls => "Pitfalls in AWS, Azure and GCP",
            Part::Questions => "Audit questions",
        }
    }
    /// Parse an anchor token.
    pub fn from_token(s: &str) -> Option<Part> {
        Part::ALL.iter().copied().find(|p| p.as_str().eq_ignore_ascii_case(s))
    }
    /// The parts the guidance of a control of this kind has, in page order:
    /// all six where 27017 adds cloud content, otherwise the intent, the
    /// evidence and the audit questions (the guidance lint holds every file
    /// to this).
    pub fn for_kind(kind: ControlKind) -> &'static [Part] {
        if kind.has_cloud_guidance() {
            Part::ALL
        } else {
            &[Part::Summary, Part::Evidence, Part::Questions]
        }
    }
}

/// A control of the catalog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Control {
    /// `9.1.2`, `CLD.9.5.1`.
    pub id: ControlId,
    /// Category id (`9.1`, `CLD.9.5`).
    pub category: &'static str,
    /// Clause number (5–18).
    pub clause: u8,
    /// Title.
    pub title: &'static str,
    /// What 27017 does with it.
    pub kind: ControlKind,
    /// ISO/IEC 27002:2022 correspondence.
    pub mappings: Vec<Mapping2022>,
    /// Default split of responsibility (front matter of the guidance file);
    /// `None` only if the guidance file is missing (a lint issue).
    pub default_responsibility: Option<ResponsibilityMatrix>,
}

impl Control {
    /// Default responsibility under `model`, if the guidance file records it.
    pub fn responsibility(&self, model: ServiceModel) -> Option<Responsibility> {
        self.default_responsibility.map(|r| r.get(model))
    }
    /// The parts of this control's guidance, in page order.
    pub fn parts(&self) -> &'static [Part] {
        Part::for_kind(self.kind)
    }
    /// Is any mapping only suggested (no official correspondence)?
    pub fn has_suggested_mapping(&self) -> bool {
        self.mappings.iter().any(|m| m.basis == MappingBasis::Analyst)
    }
}

/// A problem found while loading the catalog. The bundled catalog has none
/// (`tests/catalog.rs`); the app still loads and shows what it can if one slips in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogIssue {
    /// The control, group or file concerned.
    pub subject: String,
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for CatalogIssue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.subject, self.message)
    }
}

/// The loaded catalog.
#[derive(Debug)]
pub struct Catalog {
    edition: Edition,
    groups: Vec<Group>,
    controls: Vec<Control>,
    iso2022: Vec<Control2022>,
    issues: Vec<CatalogIssue>,
    index: OnceLock<search::Index>,
}

impl Catalog {
    /// The catalog compiled into this binary (ISO/IEC 27017:2015), loaded once.
    pub fn bundled() -> &'static Catalog {
        static CATALOG: OnceLock<Catalog> = OnceLock::new();
        CATALOG.get_or_init(load::load_bundled)
    }
    /// Edition described.
    pub fn edition(&self) -> &Edition {
        &self.edition
    }
    /// All controls in the standard's order.
    pub fn controls(&self) -> &[Control] {
        &self.controls
    }
    /// All clauses and categories in the standard's order.
    pub fn groups(&self) -> &[Group] {
        &self.groups
    }
    /// The clauses (5–18) in order.
    pub fn clauses(&self) -> impl Iterator<Item = &Group> {
        self.groups.iter().filter(|g| g.is_clause())
    }
    /// A clause or category by id.
    pub fn group(&self, id: &str) -> Option<&Group> {
        self.groups.iter().find(|g| g.id == id)
    }
    /// A control by id.
    pub fn control(&self, id: &ControlId) -> Option<&Control> {
        self.controls.iter().find(|c| &c.id == id)
    }
    /// The controls of a category, in order.
    pub fn controls_in(&self, category: &str) -> impl Iterator<Item = &Control> + '_ {
        let category = category.to_string();
        self.controls.iter().filter(move |c| c.category == category)
    }
    /// The 27002:2022 control list.
    pub fn iso2022(&self) -> &[Control2022] {
        &self.iso2022
    }
    /// A 27002:2022 control by id.
    pub fn control_2022(&self, id: &str) -> Option<&Control2022> {
        self.iso2022.iter().find(|c| c.id == id)
    }
    /// Controls that map to the given 2022 control.
    pub fn mapped_to_2022<'a>(&'a self, id: &'a str) -> impl Iterator<Item = &'a Control> + 'a {
        self.controls.iter().filter(move |c| c.mappings.iter().any(|m| m.id == id))
    }
    /// The control before and after `id` in the standard's order.
    pub fn neighbours(&self, id: &ControlId) -> (Option<&Control>, Option<&Control>) {
        match self.controls.iter().position(|c| &c.id == id) {
            Some(i) => (i.checked_sub(1).and_then(|j| self.controls.get(j)), self.controls.get(i + 1)),
            None => (None, None),
        }
    }
    /// Problems found at load (empty for the bundled catalog).
    pub fn issues(&self) -> &[CatalogIssue] {
        &self.issues
    }
    /// Controls matching a filter, best first when there is a query, in the
    /// standard's order otherwise. Free text matches ids, titles and 2022
    /// titles, and the guidance text when `guidance` (read for this catalog)
    /// is given; without it, guidance-only matches are missing.
    pub fn search(&self, filter: &Filter, guidance: Option<&GuidanceSet>) -> Vec<Hit<'_>> {
        let index = self.index.get_or_init(|| search::Index::build(&self.controls));
        let text = guidance.map(GuidanceSet::search_text).filter(|t| t.len() == self.controls.len());
        search::run(self, index, text, filter)
    }
}
