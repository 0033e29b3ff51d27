//! What an assessor collects to show a control works, beside the answer:
//! the guidance's evidence items as a checklist ([`EvidenceEntry`] per item:
//! status, reference, collected on, collected by), a compensating measure
//! for a failing automated result ([`Compensation`]), and decisions taken on
//! many findings at once ([`DecisionBatch`]), kept so that "Undo" removes
//! exactly that batch.
//!
//! **The evidence progress rule** ([`EvidenceProgress`]): per control, the
//! items counted are the guidance's evidence items not marked "not
//! applicable", plus — when the bundled checks or imported findings cover the
//! control — one automatic item, "Automated checks: N pass, M fail". An item
//! is collected when its status is "collected"; the automatic item when the
//! checks ran on the control (at least one finding) and none of its findings
//! counts as failing (`rollup` step 1: a failure waived or accepted in force
//! does not count; compensating a failure does not make it collected). The
//! overall figure adds up the controls in the Statement of Applicability
//! (excluded controls are left out).
//!
//! **Invariant:** every entry names an evidence item the bundled guidance
//! has for its control (`catalog::items::bundled_evidence_ids`); dates are
//! real calendar dates; texts are bounded ([`MAX_REFERENCE_BYTES`],
//! [`MAX_PERSON_BYTES`], `model::MAX_TEXT_BYTES`); a file reference's digest
//! is 64 lower-case hex digits. A file itself is never kept: only its name,
//! size and SHA-256.
//! **Invariant:** a batch's findings each get one ordinary
//! [`FindingDecision`]; undoing it removes those that still hold the
//! batch's decision and puts back what the batch replaced.

use super::model::{DecisionKind, FindingDecision, IsoDate, Workspace, WorkspaceError, MAX_TEXT_BYTES};
use super::rollup::ControlRollUp;
use crate::catalog::items::bundled_evidence_ids;
use crate::catalog::EvidenceId;
use crate::checks::listing::Listing;
use crate::model::{CheckId, ControlId};
use crate::Catalog;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;

/// Longest reference (document name, link, ticket, file name), in bytes.
pub const MAX_REFERENCE_BYTES: usize = 2_000;
/// Longest person's name (collected by, reviewer), in bytes.
pub const MAX_PERSON_BYTES: usize = 200;
/// How many recent batches are kept for undo (older ones are forgotten;
/// their decisions stay).
pub const MAX_BATCHES: usize = 20;

crate::model::string_enum!(
    /// Where an evidence item stands.
    #[derive(Default)]
    EvidenceStatus, "evidence status", "not_started, requested, collected or not_applicable", {
        /// Nothing done yet (the default).
        #[default]
        NotStarted = "not_started", "Not started";
        /// Asked for from its owner.
        Requested = "requested", "Requested";
        /// In hand.
        Collected = "collected", "Collected";
        /// Does not apply here (not counted).
        NotApplicable = "not_applicable", "Not applicable";
    }
);

crate::model::string_enum!(
    /// What kind of reference points at an evidence item.
    ReferenceKind, "reference kind", "document, link, ticket or file", {
        /// A document's name.
        Document = "document", "Document";
        /// A web address (shown as a link only when https or http).
        Link = "link", "Link";
        /// A ticket or request id.
        Ticket = "ticket", "Ticket";
        /// A local file, kept as name, size and SHA-256 (never the file).
        File = "file", "Local file";
    }
);

/// Where an evidence item is to be found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EvidenceRef {
    /// A document's name.
    Document(String),
    /// A web address as typed.
    Link(String),
    /// A ticket or request id.
    Ticket(String),
    /// A local file the user picked: its digest was computed in the worker.
    File {
        /// The file's name.
        name: String,
        /// Its size in bytes.
        size: u64,
        /// SHA-256, 64 lower-case hex digits.
        sha256: String,
    },
}

impl EvidenceRef {
    /// Its kind.
    pub fn kind(&self) -> ReferenceKind {
        match self {
            EvidenceRef::Document(_) => ReferenceKind::Document,
            EvidenceRef::Link(_) => ReferenceKind::Link,
            EvidenceRef::Ticket(_) => ReferenceKind::Ticket,
            EvidenceRef::File { .. } => ReferenceKind::File,
        }
    }
    /// The text: document name, address, ticket or file name.
    pub fn text(&self) -> &str {
        match self {
            EvidenceRef::Document(t) | EvidenceRef::Link(t) | EvidenceRef::Ticket(t) => t,
            EvidenceRef::File { name, .. } => name,
        }
    }
    /// A reference of `kind` with `text` (a file needs its digest: `None`).
    pub fn typed(kind: ReferenceKind, text: String) -> Option<EvidenceRef> {
        match kind {
            ReferenceKind::Document => Some(EvidenceRef::Document(text)),
            ReferenceKind::Link => Some(EvidenceRef::Link(text)),
            ReferenceKind::Ticket => Some(EvidenceRef::Ticket(text)),
            ReferenceKind::File => None,
        }
    }
    /// The address to show as a link: only an `https:` or `http:` address
    /// without spaces or control characters; anything else is shown as text.
    pub fn safe_url(&self) -> Option<&str> {
        let EvidenceRef::Link(url) = self else { return None };
        let url = url.trim();
        let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
        let scheme_ok = lower.starts_with("https://") || lower.starts_with("http://");
        let host_ok = url.split_once("://").is_some_and(|(_, rest)| !rest.is_empty() && !rest.starts_with('/'));
        (scheme_ok && host_ok && !url.chars().any(|c| c.is_whitespace() || c.is_control())).then_some(url)
    }
    /// One line for reports: `Link: https://…`, `Local file: a.pdf (1,024 bytes, SHA-256 ab12…)`.
    pub fn summary(&self) -> String {
        match self {
            EvidenceRef::File { name, size, sha256 } => format!("{}: {name} ({size} bytes, SHA-256 {sha256})", ReferenceKind::File.label()),
            other => format!("{}: {}", other.kind().label(), other.text()),
        }
    }
}

/// One evidence item's record.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EvidenceEntry {
    /// Where it stands.
    pub status: EvidenceStatus,
    /// Where it is.
    pub reference: Option<EvidenceRef>,
    /// When it was collected.
    pub collected_on: Option<IsoDate>,
    /// Who collected it.
    pub collected_by: String,
}

impl EvidenceEntry {
    /// Untouched (not worth storing)?
    pub fn is_default(&self) -> bool {
        *self == EvidenceEntry::default()
    }
}

/// A failing automated result compensated by another measure, reviewed by
/// a named person on a date: the control is then "Met (compensated)"
/// (`rollup`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Compensation {
    /// The measure and why it covers the failure.
    pub justification: String,
    /// Who reviewed it.
    pub reviewer: String,
    /// When.
    pub reviewed_on: IsoDate,
}

/// The checklist and compensation of one control.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ControlEvidence {
    /// Records of the items touched, by item id.
    pub items: BTreeMap<EvidenceId, EvidenceEntry>,
    /// A compensating measure, if one is recorded.
    pub compensation: Option<Compensation>,
}

impl ControlEvidence {
    /// Nothing recorded?
    pub fn is_empty(&self) -> bool {
        self.items.is_empty() && self.compensation.is_none()
    }
}

/// Why evidence, a compensation or a batch was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EvidenceError {
    /// The bundled guidance has no such evidence item for the control.
    #[error("{control} has no evidence item {item} in the guidance")]
    UnknownItem {
        /// The control.
        control: ControlId,
        /// The item id as given.
        item: String,
    },
    /// A text over its limit.
    #[error("{field} is {bytes} bytes; the limit is {max} bytes")]
    TooLong {
        /// Which field.
        field: String,
        /// Size given.
        bytes: usize,
        /// The limit.
        max: usize,
    },
    /// A file reference without a proper digest.
    #[error("{0:?} is not a SHA-256 digest; expected 64 lower-case hex digits")]
    BadDigest(String),
    /// A compensation without a justification or reviewer.
    #[error("a compensating measure for {control} needs {missing}")]
    Incomplete {
        /// The control.
        control: ControlId,
        /// What is missing.
        missing: &'static str,
    },
    /// A batch with no finding.
    #[error("no failing finding is selected")]
    NothingSelected,
    /// A batch reason left empty.
    #[error("give the reason for the decision")]
    ReasonMissing,
    /// Two batches share an id.
    #[error("two decision batches share the id {0}")]
    DuplicateBatch(BatchId),
    /// Undo of a batch that is not kept.
    #[error("there is no decision batch {0} to undo")]
    NoSuchBatch(BatchId),
}

impl From<EvidenceError> for WorkspaceError {
    fn from(e: EvidenceError) -> Self {
        WorkspaceError::Evidence(e)
    }
}

fn bounded(field: impl FnOnce() -> String, text: &str, max: usize) -> Result<(), EvidenceError> {
    if text.len() > max {
        Err(EvidenceError::TooLong { field: field(), bytes: text.len(), max })
    } else {
        Ok(())
    }
}

fn is_sha256_hex(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Is `item` one of `control`'s evidence items in the bundled guidance?
pub fn item_exists(control: &ControlId, item: EvidenceId) -> bool {
    bundled_evidence_ids(control).any(|i| i == item)
}

impl EvidenceEntry {
    /// Check the item exists for `control`, the texts' sizes and the digest.
    pub fn validate(&self, control: &ControlId, item: EvidenceId) -> Result<(), EvidenceError> {
        if Catalog::bundled().control(control).is_none() || !item_exists(control, item) {
            return Err(EvidenceError::UnknownItem { control: control.clone(), item: item.to_string() });
        }
        bounded(|| format!("the person who collected {control}-{item}"), &self.collected_by, MAX_PERSON_BYTES)?;
        if let Some(r) = &self.reference {
            bounded(|| format!("the reference of {control}-{item}"), r.text(), MAX_REFERENCE_BYTES)?;
            if let EvidenceRef::File { sha256, .. } = r {
                if !is_sha256_hex(sha256) {
                    return Err(EvidenceError::BadDigest(sha256.chars().take(70).collect()));
                }
            }
        }
        Ok(())
    }
}

impl Compensation {
    /// Justification and reviewer given and within their limits.
    pub fn validate(&self, control: &ControlId) -> Result<(), EvidenceError> {
        if self.justification.trim().is_empty() {
            return Err(EvidenceError::Incomplete { control: control.clone(), missing: "a justification" });
        }
        if self.reviewer.trim().is_empty() {
            return Err(EvidenceError::Incomplete { control: control.clone(), missing: "the reviewer's name" });
        }
        bounded(|| format!("the compensation justification of {control}"), &self.justification, MAX_TEXT_BYTES)?;
        bounded(|| format!("the reviewer of {control}"), &self.reviewer, MAX_PERSON_BYTES)
    }
}

/// The evidence of every control of a workspace.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EvidenceBook {
    pub(in crate::workspace) controls: BTreeMap<ControlId, ControlEvidence>,
}

impl EvidenceBook {
    /// The controls with something recorded.
    pub fn controls(&self) -> &BTreeMap<ControlId, ControlEvidence> {
        &self.controls
    }
    /// Is a compensating measure recorded for `control`?
    pub fn compensated(&self, control: &ControlId) -> bool {
        self.controls.get(control).is_some_and(|c| c.compensation.is_some())
    }
    /// Check every entry and compensation.
    pub fn validate(&self) -> Result<(), EvidenceError> {
        for (control, ce) in &self.controls {
            if Catalog::bundled().control(control).is_none() {
                return Err(EvidenceError::UnknownItem { control: control.clone(), item: "(any)".into() });
            }
            for (item, entry) in &ce.items {
                entry.validate(control, *item)?;
            }
            if let Some(c) = &ce.compensation {
                c.validate(control)?;
            }
        }
        Ok(())
    }
}

/// Id of a decision batch (`b-<n>`, from the time it was made).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BatchId(pub u64);

impl fmt::Display for BatchId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "b-{}", self.0)
    }
}

impl std::str::FromStr for BatchId {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        s.strip_prefix("b-").and_then(|n| n.parse().ok()).map(BatchId).ok_or(())
    }
}

/// One decision recorded on many findings at once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionBatch {
    /// Its id.
    pub id: BatchId,
    /// When it was made (ms since the epoch).
    pub created: u64,
    /// The decision every finding got.
    pub kind: DecisionKind,
    /// Its reason.
    pub reason: String,
    /// Its expiry.
    pub expires: Option<IsoDate>,
    /// The findings (check, resource id) it decided.
    pub members: Vec<(CheckId, String)>,
    /// The decisions it replaced, put back by undo.
    pub replaced: Vec<FindingDecision>,
}

impl DecisionBatch {
    /// Does `d` still hold this batch's decision?
    fn holds(&self, d: &FindingDecision) -> bool {
        d.kind == self.kind && d.reason == self.reason && d.expires == self.expires
    }
    /// Sizes of the reason and resource ids.
    pub fn validate(&self) -> Result<(), WorkspaceError> {
        bounded(|| format!("the reason of decision batch {}", self.id), &self.reason, MAX_TEXT_BYTES)?;
        for (check, resource) in &self.members {
            bounded(|| format!("a resource id of decision batch {} (on {check})", self.id), resource, MAX_TEXT_BYTES)?;
        }
        for d in &self.replaced {
            d.validate()?;
        }
        Ok(())
    }
}

/// The SHA-256 of a file read in chunks (the worker streams a picked
/// evidence file through it; the file itself is never kept).
#[derive(Clone, Default)]
pub struct FileDigest {
    hasher: sha2::Sha256,
    size: u64,
}

impl FileDigest {
    /// A digest of nothing yet.
    pub fn new() -> FileDigest {
        FileDigest::default()
    }
    /// Add the next chunk.
    pub fn update(&mut self, chunk: &[u8]) {
        use sha2::Digest;
        self.hasher.update(chunk);
        self.size += chunk.len() as u64;
    }
    /// The size in bytes and the SHA-256 in lower-case hex.
    pub fn finish(self) -> (u64, String) {
        use sha2::Digest;
        let digest = self.hasher.finalize();
        let mut hex = String::with_capacity(64);
        for b in digest.iter() {
            hex.push(char::from(b"0123456789abcdef"[usize::from(b >> 4)]));
            hex.push(char::from(b"0123456789abcdef"[usize::from(b & 0x0f)]));
        }
        (self.size, hex)
    }
}

/// Collected items of a control or of the whole assessment.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EvidenceProgress {
    /// Items collected.
    pub collected: usize,
    /// Items counted (not "not applicable").
    pub total: usize,
}

impl EvidenceProgress {
    /// `collected of total`, for people.
    pub fn label(self) -> String {
        format!("{} of {} collected", self.collected, self.total)
    }
}

/// The automatic item of a control: shown when checks cover the control.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AutomatedItem {
    /// Passing findings.
    pub pass: usize,
    /// Failing findings that count (no decision in force).
    pub fail: usize,
    /// Did the checks run on this control (any finding at all)?
    pub ran: bool,
}

impl AutomatedItem {
    /// The item of a control from its automated counts after decisions
    /// (passing, failing, unknown, failing under a decision in force), if
    /// checks cover the control (bundled rules mapped to it, or findings of
    /// it). `None` when not.
    pub fn of(control: &ControlId, pass: usize, fail: usize, unknown: usize, accepted: usize) -> Option<AutomatedItem> {
        let ran = pass + fail + unknown + accepted > 0;
        // The per-control index of the checks (of the heads: what the page holds).
        let covered = ran || Listing::bundled_heads().evidences(control);
        covered.then_some(AutomatedItem { pass, fail, ran })
    }
    /// [`AutomatedItem::of`] from a control's roll-up.
    pub fn of_rollup(control: &ControlId, r: &ControlRollUp) -> Option<AutomatedItem> {
        AutomatedItem::of(control, r.pass, r.fail, r.indeterminate, r.accepted)
    }
    /// Counted as collected: the checks ran and none failed.
    pub fn collected(self) -> bool {
        self.ran && self.fail == 0
    }
    /// "Automated checks: N pass, M fail" (or "not run").
    pub fn label(self) -> String {
        if self.ran {
            format!("Automated checks: {} pass, {} fail", self.pass, self.fail)
        } else {
            "Automated checks: not run (no export covers this control)".into()
        }
    }
}

impl Workspace {
    /// The evidence of every control.
    pub fn evidence(&self) -> &EvidenceBook {
        &self.evidence
    }
    /// The record of one evidence item (the default if none).
    pub fn evidence_entry(&self, control: &ControlId, item: EvidenceId) -> EvidenceEntry {
        self.evidence.controls.get(control).and_then(|c| c.items.get(&item)).cloned().unwrap_or_default()
    }
    /// The compensating measure of `control`, if any.
    pub fn compensation(&self, control: &ControlId) -> Option<&Compensation> {
        self.evidence.controls.get(control).and_then(|c| c.compensation.as_ref())
    }
    /// Record an evidence item (a default entry removes the record).
    /// Refused (nothing changes) for an item the guidance does not have,
    /// oversized text or a malformed digest.
    pub fn set_evidence(&mut self, control: &ControlId, item: EvidenceId, entry: EvidenceEntry, now: u64) -> Result<(), WorkspaceError> {
        entry.validate(control, item)?;
        let ce = self.evidence.controls.entry(control.clone()).or_default();
        if entry.is_default() {
            ce.items.remove(&item);
        } else {
            ce.items.insert(item, entry);
        }
        if ce.is_empty() {
            self.evidence.controls.remove(control);
        }
        self.modified = now;
        Ok(())
    }
    /// Record (or with `None` remove) the compensating measure of `control`.
    pub fn set_compensation(&mut self, control: &ControlId, compensation: Option<Compensation>, now: u64) -> Result<(), WorkspaceError> {
        if Catalog::bundled().control(control).is_none() {
            return Err(WorkspaceError::UnknownControl(control.clone()));
        }
        if let Some(c) = &compensation {
            c.validate(control)?;
        }
        let ce = self.evidence.controls.entry(control.clone()).or_default();
        ce.compensation = compensation;
        if ce.is_empty() {
            self.evidence.controls.remove(control);
        }
        self.modified = now;
        Ok(())
    }
    /// Progress of one control's checklist (see the module's rule); `auto`
    /// is its automatic item ([`AutomatedItem::of`]).
    pub fn evidence_progress(&self, control: &ControlId, auto: Option<AutomatedItem>) -> EvidenceProgress {
        let mut p = EvidenceProgress::default();
        for item in bundled_evidence_ids(control) {
            match self.evidence_entry(control, item).status {
                EvidenceStatus::NotApplicable => {}
                EvidenceStatus::Collected => {
                    p.collected += 1;
                    p.total += 1;
                }
                EvidenceStatus::NotStarted | EvidenceStatus::Requested => p.total += 1,
            }
        }
        if let Some(auto) = auto {
            p.total += 1;
            p.collected += usize::from(auto.collected());
        }
        p
    }
    /// Progress over every control in the Statement of Applicability, from
    /// the roll-ups of `Workspace::roll_up_all`.
    pub fn evidence_progress_all<'a>(&self, rollups: impl IntoIterator<Item = (&'a ControlId, &'a ControlRollUp)>) -> EvidenceProgress {
        let mut all = EvidenceProgress::default();
        for (control, r) in rollups {
            if self.answers.get(control).is_some_and(|a| a.applicable.is_excluded()) {
                continue;
            }
            let p = self.evidence_progress(control, AutomatedItem::of_rollup(control, r));
            all.collected += p.collected;
            all.total += p.total;
        }
        all
    }

    /// The recent decision batches, oldest first.
    pub fn batches(&self) -> &[DecisionBatch] {
        &self.batches
    }
    /// Record one decision on every finding of `targets` (check, resource
    /// id) on the day `today`: one [`FindingDecision`] each, replacing any
    /// earlier one, grouped as a batch for undo. Validated as
    /// [`Workspace::decide`] (reason and an expiry after `today` required);
    /// refused as a whole, nothing changed, when any part is refused.
    pub fn decide_batch(
        &mut self,
        targets: &[(CheckId, String)],
        kind: DecisionKind,
        reason: &str,
        expires: Option<IsoDate>,
        today: i64,
        now: u64,
    ) -> Result<BatchId, WorkspaceError> {
        let mut seen = HashSet::new();
        let members: Vec<(CheckId, String)> = targets.iter().filter(|t| seen.insert((&t.0, t.1.as_str()))).cloned().collect();
        let Some(first) = members.first() else { return Err(EvidenceError::NothingSelected.into()) };
        if reason.trim().is_empty() {
            return Err(EvidenceError::ReasonMissing.into());
        }
        match expires {
            None => return Err(WorkspaceError::ExpiryMissing { check: first.0.clone() }),
            Some(e) if e.days() <= today => return Err(WorkspaceError::ExpiryNotInFuture { expires: e }),
            Some(_) => {}
        }
        let decision = |(check, resource_id): &(CheckId, String)| FindingDecision {
            check: check.clone(),
            resource_id: resource_id.clone(),
            kind,
            reason: reason.to_string(),
            expires,
        };
        for m in &members {
            decision(m).validate()?;
        }
        let mut id = BatchId(now);
        while self.batches.iter().any(|b| b.id == id) {
            id = BatchId(id.0 + 1);
        }
        let index: HashMap<(&CheckId, &str), usize> = members.iter().enumerate().map(|(i, (c, r))| ((c, r.as_str()), i)).collect();
        let mut replaced = Vec::new();
        let mut decided = vec![false; members.len()];
        for d in &mut self.decisions {
            if let Some(&i) = index.get(&(&d.check, d.resource_id.as_str())) {
                replaced.push(std::mem::replace(d, decision(&members[i])));
                decided[i] = true;
            }
        }
        for (m, done) in members.iter().zip(decided) {
            if !done {
                self.decisions.push(decision(m));
            }
        }
        self.batches.push(DecisionBatch { id, created: now, kind, reason: reason.to_string(), expires, members, replaced });
        if self.batches.len() > MAX_BATCHES {
            let extra = self.batches.len() - MAX_BATCHES;
            self.batches.drain(..extra);
        }
        self.modified = now;
        Ok(id)
    }
    /// Undo batch `id`: remove the decisions that still hold it (a finding
    /// decided again since keeps its newer decision), put back those it
    /// replaced, and forget the batch. Returns how many decisions it removed.
    pub fn undo_batch(&mut self, id: BatchId, now: u64) -> Result<usize, WorkspaceError> {
        let Some(pos) = self.batches.iter().position(|b| b.id == id) else {
            return Err(EvidenceError::NoSuchBatch(id).into());
        };
        let batch = self.batches.remove(pos);
        let members: HashSet<(&CheckId, &str)> = batch.members.iter().map(|(c, r)| (c, r.as_str())).collect();
        let before = self.decisions.len();
        let mut freed = HashSet::new();
        self.decisions.retain(|d| {
            let undo = members.contains(&(&d.check, d.resource_id.as_str())) && batch.holds(d);
            if undo {
                freed.insert((d.check.clone(), d.resource_id.clone()));
            }
            !undo
        });
        let removed = before - self.decisions.len();
        for old in batch.replaced {
            if freed.contains(&(old.check.clone(), old.resource_id.clone())) {
                self.decisions.push(old);
            }
        }
        self.modified = now;
        Ok(removed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workspace::Workspaces;

    fn cid(s: &str) -> ControlId {
        s.parse().unwrap()
    }
    fn e(n: u16) -> EvidenceId {
        EvidenceId::new(n).unwrap()
    }

    #[test]
    fn links_are_links_only_when_http_or_https() {
        let ok = ["https://wiki.example/page", "HTTP://intranet/x", "  https://a.b/c?d=e  "];
        for u in ok {
            assert!(EvidenceRef::Link(u.into()).safe_url().is_some(), "{u}");
        }
        let bad = ["javascript:alert(1)", "data:text/html,x", "ftp://a/b", "https://", "https:///x", "https://a b", "//a/b", "file:///etc/passwd", "wiki page"];
        for u in bad {
            assert_eq!(EvidenceRef::Link(u.into()).safe_url(), None, "{u}");
        }
        assert_eq!(EvidenceRef::Document("https://x.y".into()).safe_url(), None, "only links are links");
    }

    #[test]
    fn entries_are_validated() {
        let mut ws = Workspaces::new();
        ws.create("A", 1).unwrap();
        let w = ws.active_mut().unwrap();
        let c = cid("12.4.2");
        let collected = EvidenceEntry { status: EvidenceStatus::Collected, ..Default::default() };
        w.set_evidence(&c, e(1), collected.clone(), 2).unwrap();
        assert_eq!(w.evidence_entry(&c, e(1)).status, EvidenceStatus::Collected);
        let unknown = w.set_evidence(&c, e(99), collected.clone(), 3).unwrap_err();
        assert!(unknown.to_string().contains("no evidence item e99"), "{unknown}");
        let bad_digest = EvidenceEntry { reference: Some(EvidenceRef::File { name: "a".into(), size: 1, sha256: "AB".repeat(32) }), ..Default::default() };
        assert!(w.set_evidence(&c, e(2), bad_digest, 3).is_err(), "upper-case hex is refused");
        let long = EvidenceEntry { collected_by: "x".repeat(MAX_PERSON_BYTES + 1), ..Default::default() };
        assert!(w.set_evidence(&c, e(2), long, 3).is_err());
        // A default entry removes the record, and the control with it.
        w.set_evidence(&c, e(1), EvidenceEntry::default(), 4).unwrap();
        assert!(w.evidence().controls().is_empty());
    }

    #[test]
    fn compensation_needs_justification_and_reviewer() {
        let mut ws = Workspaces::new();
        ws.create("A", 1).unwrap();
        let w = ws.active_mut().unwrap();
        let c = cid("12.3.1");
        let mut comp = Compensation { justification: " ".into(), reviewer: "Dana".into(), reviewed_on: "2026-01-02".parse().unwrap() };
        assert!(w.set_compensation(&c, Some(comp.clone()), 2).is_err());
        comp.justification = "Nightly snapshots to a locked vault".into();
        comp.reviewer = String::new();
        assert!(w.set_compensation(&c, Some(comp.clone()), 2).is_err());
        comp.reviewer = "Dana".into();
        w.set_compensation(&c, Some(comp), 2).unwrap();
        assert!(w.evidence().compensated(&c));
        w.set_compensation(&c, None, 3).unwrap();
        assert!(!w.evidence().compensated(&c));
    }

    #[test]
    fn a_file_hashed_in_chunks_has_its_whole_digest() {
        let bytes: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        let mut d = FileDigest::new();
        for chunk in bytes.chunks(65_536) {
            d.update(chunk);
        }
        assert_eq!(d.finish(), (200_000, crate::workspace::sha256_hex(&bytes)));
        assert_eq!(FileDigest::new().finish().1, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    #[test]
    fn batch_ids_print_and_parse() {
        assert_eq!(BatchId(17).to_string(), "b-17");
        assert_eq!("b-17".parse::<BatchId>(), Ok(BatchId(17)));
        assert!("17".parse::<BatchId>().is_err());
    }
}
