//! What the cloud provider covers and proves: the provider's attestations
//! (certificates and audit reports, recorded once per assessment) and the
//! controls whose provider part rests on them ("inherited" whole, or
//! "shared": the provider's part covered, the customer's part answered as
//! any other control).
//!
//! **The coverage rule** ([`Workspace::coverage`]): a control with a provider
//! part cites one or more attestations. It is covered while *every* cited
//! attestation holds on `today`: issued on or before `today`, `today` not
//! after its expiry date (or report period end), and its provider among the
//! scope's providers (when the scope names providers and the attestation is
//! for AWS, Azure or Google Cloud). Otherwise the control **needs review**,
//! with one sentence per attestation naming it and the reason. The engine has
//! no clock: the UI passes `today` (days since 1970-01-01).
//!
//! How coverage changes a control's outcome is `rollup::with_provider`.
//!
//! **Invariant:** every text is bounded ([`MAX_TEXT_BYTES`] for the issuer and
//! reference, [`MAX_LINE_CHARS`] per one-line field and list entry, at most
//! [`MAX_LIST_ITEMS`] services or regions), dates are real calendar dates and
//! the expiry is not before the issue date; a control's provider part cites
//! at least one attestation of the same workspace, each once; an attestation
//! that controls cite cannot be deleted.

use super::model::{IsoDate, Workspace, WorkspaceError, MAX_TEXT_BYTES};
use crate::inventory::Provider;
use crate::model::{ControlId, Responsibility};
use crate::Catalog;
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

pub use super::attest_portals::{Portal, PortalInfo, PORTALS};

/// Longest one-line field (provider name, document name, a service or a region), in characters.
pub const MAX_LINE_CHARS: usize = 200;
/// Most services or regions listed in an attestation's scope.
pub const MAX_LIST_ITEMS: usize = 500;
/// Most attestations per assessment.
pub const MAX_ATTESTATIONS: usize = 200;

crate::model::string_enum!(
    /// Who issued the service the attestation covers.
    AttestProvider, "provider", "aws, azure, gcp or other", {
        /// Amazon Web Services.
        Aws = "aws", "AWS";
        /// Microsoft Azure.
        Azure = "azure", "Microsoft Azure";
        /// Google Cloud.
        Gcp = "gcp", "Google Cloud";
        /// Another provider, named in [`Attestation::provider_name`].
        Other = "other", "Other provider";
    }
);

impl AttestProvider {
    /// The scope's provider this is, for the three the scope can name.
    pub fn scope_provider(self) -> Option<Provider> {
        match self {
            AttestProvider::Aws => Some(Provider::Aws),
            AttestProvider::Azure => Some(Provider::Azure),
            AttestProvider::Gcp => Some(Provider::Gcp),
            AttestProvider::Other => None,
        }
    }
}

crate::model::string_enum!(
    /// What kind of document the attestation is.
    DocumentType, "document type", "iso27001, iso27017, iso27018, soc2-type2, soc1, c5, ismap or other", {
        /// ISO/IEC 27001 certificate.
        Iso27001 = "iso27001", "ISO/IEC 27001 certificate";
        /// ISO/IEC 27017 certificate.
        Iso27017 = "iso27017", "ISO/IEC 27017 certificate";
        /// ISO/IEC 27018 certificate.
        Iso27018 = "iso27018", "ISO/IEC 27018 certificate";
        /// SOC 2 Type II report.
        Soc2Type2 = "soc2-type2", "SOC 2 Type II report";
        /// SOC 1 report.
        Soc1 = "soc1", "SOC 1 report";
        /// BSI C5 attestation.
        C5 = "c5", "C5 attestation";
        /// ISMAP registration.
        Ismap = "ismap", "ISMAP registration";
        /// Another document, named in [`Attestation::document_name`].
        Other = "other", "Other document";
    }
);

crate::model::string_enum!(
    /// A control's provider part.
    ProviderPart, "provider part", "inherited or shared", {
        /// The whole control is the provider's, evidenced by its attestations.
        Inherited = "inherited", "Inherited from the provider";
        /// The provider's part is covered by its attestations; the customer answers its own part.
        Shared = "shared", "Shared with the provider";
    }
);

crate::model::string_enum!(
    /// A control's provider part and whether it holds: what reports and share links carry.
    ProviderState, "provider state", "inherited, shared, inherited-review or shared-review", {
        /// Inherited, attestations holding.
        Inherited = "inherited", "Covered by provider attestation";
        /// Shared, attestations holding.
        Shared = "shared", "Shared with the provider";
        /// Inherited, an attestation needing review.
        InheritedReview = "inherited-review", "Inherited; provider attestation needs review";
        /// Shared, an attestation needing review.
        SharedReview = "shared-review", "Shared; provider attestation needs review";
    }
);

impl ProviderState {
    /// From a part and whether its attestations hold.
    pub fn new(part: ProviderPart, holds: bool) -> ProviderState {
        match (part, holds) {
            (ProviderPart::Inherited, true) => ProviderState::Inherited,
            (ProviderPart::Shared, true) => ProviderState::Shared,
            (ProviderPart::Inherited, false) => ProviderState::InheritedReview,
            (ProviderPart::Shared, false) => ProviderState::SharedReview,
        }
    }
    /// The part.
    pub fn part(self) -> ProviderPart {
        match self {
            ProviderState::Inherited | ProviderState::InheritedReview => ProviderPart::Inherited,
            ProviderState::Shared | ProviderState::SharedReview => ProviderPart::Shared,
        }
    }
    /// Do its attestations hold?
    pub fn holds(self) -> bool {
        matches!(self, ProviderState::Inherited | ProviderState::Shared)
    }
}

/// Why an attestation change was refused. Each message says what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AttestError {
    /// A one-line field is empty, too long or has a line break.
    #[error("{field} {problem}")]
    Field {
        /// Which field.
        field: String,
        /// What is wrong.
        problem: String,
    },
    /// Expiry before issue.
    #[error("the expiry date {expires} is before the issue date {issued}")]
    ExpiresBeforeIssue {
        /// Issue date.
        issued: IsoDate,
        /// Expiry date.
        expires: IsoDate,
    },
    /// No attestation with this id.
    #[error("there is no provider attestation with id {0:?}")]
    NotFound(String),
    /// Malformed or repeated id.
    #[error("{0:?} is not a valid attestation id, or it is used twice")]
    InvalidId(String),
    /// Too many attestations.
    #[error("an assessment holds at most {MAX_ATTESTATIONS} provider attestations")]
    TooMany,
    /// Deleting an attestation that controls cite.
    #[error("{title} is cited by {count} control(s) ({first}…); remove their provider part first")]
    Cited {
        /// The attestation.
        title: String,
        /// How many controls cite it.
        count: usize,
        /// The first of them.
        first: ControlId,
    },
    /// A provider part citing nothing, or citing an attestation twice.
    #[error("the provider part of {0} must cite one or more attestations, each once")]
    BadCitation(ControlId),
}

impl From<AttestError> for WorkspaceError {
    fn from(e: AttestError) -> Self {
        WorkspaceError::Attest(e)
    }
}

/// Id of an attestation within its workspace: `att-<hex millis>` (1–64
/// letters, digits, `-` or `_`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AttestationId(String);

impl AttestationId {
    /// The id.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for AttestationId {
    type Err = AttestError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let ok = (1..=64).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if ok {
            Ok(AttestationId(s.to_string()))
        } else {
            Err(AttestError::InvalidId(s.chars().take(70).collect()))
        }
    }
}

impl fmt::Display for AttestationId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What an attestation says, as the user enters it ([`Workspace::add_attestation`]
/// gives it an id).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttestationDraft {
    /// AWS, Azure, Google Cloud or another provider.
    pub provider: AttestProvider,
    /// The other provider's name (required for [`AttestProvider::Other`], else empty).
    pub provider_name: String,
    /// Certificate or report type.
    pub document: DocumentType,
    /// The other document's name (required for [`DocumentType::Other`], else empty).
    pub document_name: String,
    /// Certification body or auditor.
    pub issuer: String,
    /// Issue date.
    pub issued: IsoDate,
    /// Expiry date, or the end of the report period.
    pub expires: IsoDate,
    /// Services in scope (one per entry, trimmed, no empty entries).
    pub services: Vec<String>,
    /// Regions in scope.
    pub regions: Vec<String>,
    /// Where it was obtained.
    pub portal: Portal,
    /// Reference to the copy kept (file name, document number), free text.
    pub reference: String,
}

/// A recorded attestation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attestation {
    /// Id within the workspace.
    pub id: AttestationId,
    /// What it says.
    pub draft: AttestationDraft,
}

fn field_err(field: &str, problem: impl Into<String>) -> AttestError {
    AttestError::Field { field: field.to_string(), problem: problem.into() }
}

fn one_line(field: &str, text: &str, required: bool) -> Result<(), AttestError> {
    if required && text.trim().is_empty() {
        return Err(field_err(field, "is empty"));
    }
    let chars = text.chars().count();
    if chars > MAX_LINE_CHARS {
        return Err(field_err(field, format!("is {chars} characters long; the limit is {MAX_LINE_CHARS}")));
    }
    if text.chars().any(char::is_control) {
        return Err(field_err(field, "contains a line break or other control character; use one line"));
    }
    Ok(())
}

/// Split a free-text list (one entry per line or comma) into trimmed,
/// non-empty entries, in order, without repeats.
pub fn split_list(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for part in text.split(['\n', ',', ';']) {
        let t = part.trim();
        if !t.is_empty() && !out.iter().any(|o| o == t) {
            out.push(t.to_string());
        }
    }
    out
}

impl AttestationDraft {
    /// Trim the one-line fields and the list entries (done by every setter).
    pub fn normalise(&mut self) {
        for s in [&mut self.provider_name, &mut self.document_name, &mut self.issuer, &mut self.reference] {
            let t = s.trim();
            if t.len() != s.len() {
                *s = t.to_string();
            }
        }
        self.services = split_list(&self.services.join("\n"));
        self.regions = split_list(&self.regions.join("\n"));
        if self.provider != AttestProvider::Other {
            self.provider_name.clear();
        }
        if self.document != DocumentType::Other {
            self.document_name.clear();
        }
    }
    /// Check every field.
    pub fn validate(&self) -> Result<(), AttestError> {
        one_line("the provider name", &self.provider_name, self.provider == AttestProvider::Other)?;
        one_line("the document name", &self.document_name, self.document == DocumentType::Other)?;
        one_line("the issuer", &self.issuer, true)?;
        if self.reference.len() > MAX_TEXT_BYTES {
            return Err(field_err("the reference", format!("is {} bytes; the limit is {MAX_TEXT_BYTES}", self.reference.len())));
        }
        if self.expires < self.issued {
            return Err(AttestError::ExpiresBeforeIssue { issued: self.issued, expires: self.expires });
        }
        for (name, list) in [("services", &self.services), ("regions", &self.regions)] {
            if list.len() > MAX_LIST_ITEMS {
                return Err(field_err(&format!("the list of {name}"), format!("has {} entries; the limit is {MAX_LIST_ITEMS}", list.len())));
            }
            for entry in list {
                one_line(&format!("an entry of the {name}"), entry, true)?;
            }
        }
        Ok(())
    }
    /// The provider as people name it.
    pub fn provider_label(&self) -> &str {
        match self.provider {
            AttestProvider::Other => &self.provider_name,
            p => p.label(),
        }
    }
    /// The document type as people name it.
    pub fn document_label(&self) -> &str {
        match self.document {
            DocumentType::Other => &self.document_name,
            d => d.label(),
        }
    }
    /// `AWS ISO/IEC 27001 certificate (EY CertifyPoint, valid until 2027-01-31)`.
    pub fn title(&self) -> String {
        format!("{} {} ({}, valid until {})", self.provider_label(), self.document_label(), self.issuer, self.expires)
    }
    /// Why this attestation does not hold on `today` for `scope_providers`
    /// (empty when it holds).
    pub fn problems(&self, today: i64, scope_providers: &[Provider]) -> Vec<String> {
        let mut out = Vec::new();
        let title = self.title();
        if today > self.expires.days() {
            out.push(format!("{title} expired on {}", self.expires));
        }
        if today < self.issued.days() {
            out.push(format!("{title} is dated {}, after today", self.issued));
        }
        if let Some(p) = self.provider.scope_provider() {
            if !scope_providers.is_empty() && !scope_providers.contains(&p) {
                let listed: Vec<&str> = scope_providers.iter().map(|p| scope_provider_label(*p)).collect();
                out.push(format!("{title} is for {}, which is not among the assessment's providers ({})", scope_provider_label(p), listed.join(", ")));
            }
        }
        out
    }
}

fn scope_provider_label(p: Provider) -> &'static str {
    match p {
        Provider::Aws => "AWS",
        Provider::Azure => "Azure",
        Provider::Gcp => "Google Cloud",
        Provider::Kubernetes => "Kubernetes",
        Provider::Other => "other",
    }
}

/// A control's provider part: inherited or shared, with the attestations it rests on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inheritance {
    /// Inherited or shared.
    pub part: ProviderPart,
    /// The attestations cited (at least one, each once).
    pub attestations: Vec<AttestationId>,
}

/// The provider side of one workspace: its attestations and the controls that cite them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Attest {
    pub(in crate::workspace) attestations: Vec<Attestation>,
    pub(in crate::workspace) inherited: BTreeMap<ControlId, Inheritance>,
}

impl Attest {
    /// Nothing recorded.
    pub fn is_empty(&self) -> bool {
        self.attestations.is_empty() && self.inherited.is_empty()
    }
    /// Build from parts (storage), then [`Attest::validate`].
    pub fn from_parts(attestations: Vec<Attestation>, inherited: BTreeMap<ControlId, Inheritance>) -> Attest {
        Attest { attestations, inherited }
    }
    /// The attestations, in the order recorded.
    pub fn attestations(&self) -> &[Attestation] {
        &self.attestations
    }
    /// Provider parts by control.
    pub fn inherited(&self) -> &BTreeMap<ControlId, Inheritance> {
        &self.inherited
    }
    /// An attestation by id.
    pub fn get(&self, id: &AttestationId) -> Option<&Attestation> {
        self.attestations.iter().find(|a| a.id == *id)
    }
    fn check_inheritance(&self, control: &ControlId, i: &Inheritance) -> Result<(), WorkspaceError> {
        if Catalog::bundled().control(control).is_none() {
            return Err(WorkspaceError::UnknownControl(control.clone()));
        }
        let mut seen = std::collections::BTreeSet::new();
        if i.attestations.is_empty() || !i.attestations.iter().all(|a| seen.insert(a)) {
            return Err(AttestError::BadCitation(control.clone()).into());
        }
        for a in &i.attestations {
            if self.get(a).is_none() {
                return Err(AttestError::NotFound(a.0.clone()).into());
            }
        }
        Ok(())
    }
    /// Check every invariant (used when loading).
    pub fn validate(&self) -> Result<(), WorkspaceError> {
        if self.attestations.len() > MAX_ATTESTATIONS {
            return Err(AttestError::TooMany.into());
        }
        let mut ids = std::collections::BTreeSet::new();
        for a in &self.attestations {
            if !ids.insert(&a.id) {
                return Err(AttestError::InvalidId(a.id.0.clone()).into());
            }
            a.draft.validate()?;
        }
        for (c, i) in &self.inherited {
            self.check_inheritance(c, i)?;
        }
        Ok(())
    }
}

/// A control's provider coverage on a given day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Coverage {
    /// No provider part: the customer answers the whole control.
    Customer,
    /// The provider part holds.
    Covered(ProviderPart),
    /// The provider part rests on an attestation that does not hold today.
    Review {
        /// Inherited or shared.
        part: ProviderPart,
        /// One sentence per problem, naming the attestation and the reason.
        reasons: Vec<String>,
    },
}

impl Coverage {
    /// The provider part, if any.
    pub fn part(&self) -> Option<ProviderPart> {
        match self {
            Coverage::Customer => None,
            Coverage::Covered(p) | Coverage::Review { part: p, .. } => Some(*p),
        }
    }
    /// Does the provider part hold (`None` without one)?
    pub fn holds(&self) -> Option<bool> {
        match self {
            Coverage::Customer => None,
            Coverage::Covered(_) => Some(true),
            Coverage::Review { .. } => Some(false),
        }
    }
    /// The part and whether it holds, `None` without a provider part.
    pub fn state(&self) -> Option<ProviderState> {
        Some(ProviderState::new(self.part()?, self.holds()?))
    }
    /// The message a control needing review shows.
    pub fn message(&self) -> Option<String> {
        match self {
            Coverage::Review { reasons, .. } => Some(format!("Provider attestation needs review: {}.", reasons.join("; "))),
            _ => None,
        }
    }
}

/// Controls per provider coverage (excluded controls are not counted).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ProviderCounts {
    /// Inherited, attestations holding.
    pub provider: usize,
    /// Shared, attestations holding.
    pub shared: usize,
    /// No provider part.
    pub customer: usize,
    /// A provider part whose attestation needs review.
    pub review: usize,
}

impl ProviderCounts {
    /// Count one control.
    pub fn add(&mut self, part: Option<ProviderPart>, holds: bool) {
        match (part, holds) {
            (None, _) => self.customer += 1,
            (Some(_), false) => self.review += 1,
            (Some(ProviderPart::Inherited), true) => self.provider += 1,
            (Some(ProviderPart::Shared), true) => self.shared += 1,
        }
    }
}

/// What [`Workspace::inherit`] replaced, to give back to [`Workspace::undo_inherit`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InheritUndo {
    /// Each control changed, with its provider part before.
    pub before: Vec<(ControlId, Option<Inheritance>)>,
}

impl Workspace {
    /// The provider side: attestations and provider parts.
    pub fn attest(&self) -> &Attest {
        &self.attest
    }
    /// The attestations, in the order recorded.
    pub fn attestations(&self) -> &[Attestation] {
        &self.attest.attestations
    }
    /// Provider parts by control.
    pub fn inherited(&self) -> &BTreeMap<ControlId, Inheritance> {
        &self.attest.inherited
    }
    fn fresh_attestation_id(&self, now: u64) -> AttestationId {
        let base = format!("att-{now:x}");
        let mut candidate = base.clone();
        let mut n = 2u64;
        while self.attest.attestations.iter().any(|a| a.id.0 == candidate) {
            candidate = format!("{base}-{n}");
            n += 1;
        }
        AttestationId(candidate)
    }
    /// Record a new attestation (fields trimmed, then validated).
    pub fn add_attestation(&mut self, mut draft: AttestationDraft, now: u64) -> Result<AttestationId, WorkspaceError> {
        draft.normalise();
        draft.validate()?;
        if self.attest.attestations.len() >= MAX_ATTESTATIONS {
            return Err(AttestError::TooMany.into());
        }
        let id = self.fresh_attestation_id(now);
        self.attest.attestations.push(Attestation { id: id.clone(), draft });
        self.modified = now;
        Ok(id)
    }
    /// Change what an attestation says (its citations stay).
    pub fn update_attestation(&mut self, id: &AttestationId, mut draft: AttestationDraft, now: u64) -> Result<(), WorkspaceError> {
        draft.normalise();
        draft.validate()?;
        let a = self.attest.attestations.iter_mut().find(|a| a.id == *id).ok_or_else(|| AttestError::NotFound(id.0.clone()))?;
        a.draft = draft;
        self.modified = now;
        Ok(())
    }
    /// Delete an attestation no control cites.
    pub fn remove_attestation(&mut self, id: &AttestationId, now: u64) -> Result<(), WorkspaceError> {
        let a = self.attest.get(id).ok_or_else(|| AttestError::NotFound(id.0.clone()))?;
        let citing: Vec<&ControlId> = self.attest.inherited.iter().filter(|(_, i)| i.attestations.contains(id)).map(|(c, _)| c).collect();
        if let Some(first) = citing.first() {
            return Err(AttestError::Cited { title: a.draft.title(), count: citing.len(), first: (*first).clone() }.into());
        }
        self.attest.attestations.retain(|a| a.id != *id);
        self.modified = now;
        Ok(())
    }
    /// Set or clear (`None`) the provider part of `control`.
    pub fn set_inheritance(&mut self, control: &ControlId, inheritance: Option<Inheritance>, now: u64) -> Result<(), WorkspaceError> {
        match inheritance {
            Some(i) => {
                self.attest.check_inheritance(control, &i)?;
                self.attest.inherited.insert(control.clone(), i);
            }
            None => {
                if Catalog::bundled().control(control).is_none() {
                    return Err(WorkspaceError::UnknownControl(control.clone()));
                }
                self.attest.inherited.remove(control);
            }
        }
        self.modified = now;
        Ok(())
    }
    /// The controls the catalog proposes to inherit from `attestation`: those
    /// whose default responsibility under the scope's service models is the
    /// provider's ([`crate::workspace::Scope::default_responsibility`]), that
    /// are not excluded and do not already cite it. Catalog order.
    pub fn inherit_proposal(&self, attestation: &AttestationId) -> Vec<ControlId> {
        if self.attest.get(attestation).is_none() {
            return Vec::new();
        }
        Catalog::bundled()
            .controls()
            .iter()
            .map(|c| &c.id)
            .filter(|c| self.scope.default_responsibility(c) == Some(Responsibility::Csp))
            .filter(|c| !self.answers.get(*c).is_some_and(|a| a.applicable.is_excluded()))
            .filter(|c| !self.attest.inherited.get(*c).is_some_and(|i| i.attestations.contains(attestation)))
            .cloned()
            .collect()
    }
    /// Mark `controls` inherited from `attestation` (an existing citation
    /// list gains it). Returns what to give [`Workspace::undo_inherit`].
    pub fn inherit(&mut self, attestation: &AttestationId, controls: &[ControlId], now: u64) -> Result<InheritUndo, WorkspaceError> {
        if self.attest.get(attestation).is_none() {
            return Err(AttestError::NotFound(attestation.0.clone()).into());
        }
        if let Some(c) = controls.iter().find(|c| Catalog::bundled().control(c).is_none()) {
            return Err(WorkspaceError::UnknownControl(c.clone()));
        }
        let mut before = Vec::with_capacity(controls.len());
        for c in controls {
            let old = self.attest.inherited.get(c).cloned();
            let mut attestations = old.as_ref().map(|i| i.attestations.clone()).unwrap_or_default();
            if !attestations.contains(attestation) {
                attestations.push(attestation.clone());
            }
            self.attest.inherited.insert(c.clone(), Inheritance { part: ProviderPart::Inherited, attestations });
            before.push((c.clone(), old));
        }
        self.modified = now;
        Ok(InheritUndo { before })
    }
    /// Put back the provider parts [`Workspace::inherit`] replaced.
    pub fn undo_inherit(&mut self, undo: InheritUndo, now: u64) -> Result<(), WorkspaceError> {
        for (c, old) in &undo.before {
            if let Some(i) = old {
                self.attest.check_inheritance(c, i)?;
            }
        }
        for (c, old) in undo.before {
            match old {
                Some(i) => self.attest.inherited.insert(c, i),
                None => self.attest.inherited.remove(&c),
            };
        }
        self.modified = now;
        Ok(())
    }
    /// The provider coverage of `control` on `today` (see the module docs).
    pub fn coverage(&self, control: &ControlId, today: i64) -> Coverage {
        let Some(i) = self.attest.inherited.get(control) else { return Coverage::Customer };
        let mut reasons = Vec::new();
        for id in &i.attestations {
            match self.attest.get(id) {
                Some(a) => reasons.extend(a.draft.problems(today, &self.scope.providers)),
                None => reasons.push(format!("the attestation {id} is missing")),
            }
        }
        if reasons.is_empty() {
            Coverage::Covered(i.part)
        } else {
            Coverage::Review { part: i.part, reasons }
        }
    }
    /// Titles of the attestations `control` cites (empty without a provider part).
    pub fn cited_titles(&self, control: &ControlId) -> Vec<String> {
        self.attest
            .inherited
            .get(control)
            .map(|i| i.attestations.iter().filter_map(|id| self.attest.get(id)).map(|a| a.draft.title()).collect())
            .unwrap_or_default()
    }
    /// Controls per provider coverage on `today` (excluded controls left out).
    pub fn provider_counts(&self, today: i64) -> ProviderCounts {
        let mut counts = ProviderCounts::default();
        for c in Catalog::bundled().controls() {
            if self.answers.get(&c.id).is_some_and(|a| a.applicable.is_excluded()) {
                continue;
            }
            let cov = self.coverage(&c.id, today);
            counts.add(cov.part(), cov.holds().unwrap_or(true));
        }
        counts
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ServiceModel;
    use crate::workspace::{Scope, Workspaces};

    pub(crate) fn draft(expires: &str) -> AttestationDraft {
        AttestationDraft {
            provider: AttestProvider::Aws,
            provider_name: String::new(),
            document: DocumentType::Iso27001,
            document_name: String::new(),
            issuer: "EY CertifyPoint".into(),
            issued: "2025-11-01".parse().unwrap(),
            expires: expires.parse().unwrap(),
            services: vec!["Amazon EC2".into(), "Amazon S3".into()],
            regions: vec!["eu-central-1".into()],
            portal: Portal::AwsArtifact,
            reference: "iso27001-cert.pdf".into(),
        }
    }

    fn day(s: &str) -> i64 {
        s.parse::<IsoDate>().unwrap().days()
    }

    #[test]
    fn drafts_are_validated() {
        let mut d = draft("2027-01-31");
        assert!(d.validate().is_ok());
        d.issuer = "  ".into();
        assert!(matches!(d.validate(), Err(AttestError::Field { .. })));
        let mut d = draft("2025-10-01");
        assert_eq!(d.validate(), Err(AttestError::ExpiresBeforeIssue { issued: d.issued, expires: d.expires }));
        d = draft("2027-01-31");
        d.provider = AttestProvider::Other;
        assert!(d.validate().is_err(), "another provider needs a name");
        d.provider_name = "Hetzner".into();
        assert!(d.validate().is_ok());
        d.services = vec!["a\nb".into()];
        assert!(d.validate().is_err());
        d.services = vec!["x".repeat(MAX_LINE_CHARS + 1)];
        assert!(d.validate().is_err());
        assert_eq!(split_list(" EC2, S3\n\nS3;Lambda "), vec!["EC2", "S3", "Lambda"]);
    }

    #[test]
    fn proposal_follows_the_scope_and_inherit_is_undoable() {
        let mut ws = Workspaces::new();
        ws.create("A", 1).unwrap();
        let w = ws.active_mut().unwrap();
        w.set_scope(Scope { service_models: vec![ServiceModel::Iaas], providers: vec![Provider::Aws], ..Default::default() }, 2).unwrap();
        let a = w.add_attestation(draft("2027-01-31"), 3).unwrap();
        let proposal = w.inherit_proposal(&a);
        let ids: Vec<&str> = proposal.iter().map(|c| c.as_str()).collect();
        assert_eq!(ids.len(), 11, "{ids:?}");
        assert!(ids.iter().all(|c| c.starts_with("11.")), "{ids:?}");
        let undo = w.inherit(&a, &proposal, 4).unwrap();
        let c: ControlId = "11.1.1".parse().unwrap();
        assert_eq!(w.coverage(&c, day("2026-06-01")), Coverage::Covered(ProviderPart::Inherited));
        assert_eq!(w.provider_counts(day("2026-06-01")).provider, 11);
        assert!(w.inherit_proposal(&a).is_empty(), "nothing left to propose");
        assert!(w.remove_attestation(&a, 5).is_err(), "cited");
        w.undo_inherit(undo, 6).unwrap();
        assert_eq!(w.coverage(&c, 0), Coverage::Customer);
        w.remove_attestation(&a, 7).unwrap();
        assert!(w.attestations().is_empty());
    }

    #[test]
    fn expired_or_foreign_attestations_need_review_with_a_message() {
        let mut ws = Workspaces::new();
        ws.create("A", 1).unwrap();
        let w = ws.active_mut().unwrap();
        w.set_scope(Scope { providers: vec![Provider::Aws], ..Default::default() }, 2).unwrap();
        let a = w.add_attestation(draft("2026-01-31"), 3).unwrap();
        let c: ControlId = "11.1.1".parse().unwrap();
        w.inherit(&a, std::slice::from_ref(&c), 4).unwrap();
        assert_eq!(w.coverage(&c, day("2026-01-31")).holds(), Some(true), "valid on its expiry date");
        let cov = w.coverage(&c, day("2026-02-01"));
        let msg = cov.message().unwrap();
        assert!(msg.contains("AWS ISO/IEC 27001 certificate (EY CertifyPoint") && msg.contains("expired on 2026-01-31"), "{msg}");
        assert_eq!(w.provider_counts(day("2026-02-01")).review, 1);
        // A provider the scope does not list.
        w.set_scope(Scope { providers: vec![Provider::Azure], ..Default::default() }, 5).unwrap();
        let msg = w.coverage(&c, day("2026-01-01")).message().unwrap();
        assert!(msg.contains("not among the assessment's providers (Azure)"), "{msg}");
        // Citations must exist and be unique.
        let bad = Inheritance { part: ProviderPart::Shared, attestations: vec![a.clone(), a.clone()] };
        assert!(w.set_inheritance(&c, Some(bad), 6).is_err());
        let missing = Inheritance { part: ProviderPart::Shared, attestations: vec!["att-0".parse().unwrap()] };
        assert!(w.set_inheritance(&c, Some(missing), 6).is_err());
    }
}
