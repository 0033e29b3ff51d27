//! The typed domain of an assessment workspace: several named assessments
//! ([`Workspaces`]), each with a [`Scope`], a [`ControlAnswer`] per control,
//! [`FindingDecision`]s on failing findings and [`UploadRecord`]s of what was
//! assessed (raw uploads are not kept, only what they produced).
//!
//! **Invariant:** a [`Workspace`] or [`Workspaces`] can only be changed through
//! methods that validate: control ids exist in `Catalog::bundled()`, dates are
//! real calendar dates, notes are at most [`MAX_NOTES_BYTES`], other free text
//! at most [`MAX_TEXT_BYTES`], names at most [`MAX_NAME_CHARS`] characters,
//! ids are unique and well-formed, `active` names a listed workspace (and is
//! `None` only when the list is empty).
//! **Invariant:** a deleted workspace stays in the one `trash` slot until the
//! next delete replaces it, so the latest delete can always be undone.
//! **Invariant:** no clock, no randomness: callers pass `now` (milliseconds
//! since the Unix epoch); ids derive from it.

use crate::checks::{days_from_civil, Finding};
use crate::ingest::Format;
use crate::inventory::Provider;
use crate::model::{CheckId, ControlId, Responsibility, Role, ServiceModel, Status};
use crate::Catalog;
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

/// Largest evidence note per control, in bytes of UTF-8 (100 KB).
pub const MAX_NOTES_BYTES: usize = 100_000;
/// Largest other free-text field (owner, justification, reason, organisation,
/// file name, resource id), in bytes of UTF-8.
pub const MAX_TEXT_BYTES: usize = 10_000;
/// Longest assessment name, in characters.
pub const MAX_NAME_CHARS: usize = 120;

/// Why a workspace change or a stored workspace was refused. Each message says
/// what is wrong and, where it helps, what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WorkspaceError {
    /// No workspace has this id.
    #[error("there is no assessment with id {0:?}")]
    NotFound(String),
    /// Malformed workspace id.
    #[error("{0:?} is not a valid assessment id; ids are 1 to 64 letters, digits, '-' or '_'")]
    InvalidId(String),
    /// Two workspaces share an id.
    #[error("two assessments share the id {0:?}")]
    DuplicateId(String),
    /// Name is empty after trimming.
    #[error("the assessment name is empty; give it a name")]
    EmptyName,
    /// Name is too long.
    #[error("the assessment name is {chars} characters long; the limit is {max}")]
    NameTooLong {
        /// Length given.
        chars: usize,
        /// The limit.
        max: usize,
    },
    /// Name has a line break, tab or other control character.
    #[error("the assessment name contains a line break or other control character; use one line of plain text")]
    NameControlChar,
    /// A control id that the bundled catalog does not know.
    #[error("{0} is not a control of ISO/IEC 27017:2015")]
    UnknownControl(ControlId),
    /// Evidence notes over [`MAX_NOTES_BYTES`].
    #[error("the notes for {control} are {bytes} bytes; the limit is {max} bytes (100 KB): keep long evidence in a document and link to it")]
    NotesTooLong {
        /// The control.
        control: ControlId,
        /// Size given.
        bytes: usize,
        /// The limit.
        max: usize,
    },
    /// Another free-text field over [`MAX_TEXT_BYTES`].
    #[error("{field} is {bytes} bytes; the limit is {max} bytes")]
    TextTooLong {
        /// Which field (for people: "the owner of 9.1.2").
        field: String,
        /// Size given.
        bytes: usize,
        /// The limit.
        max: usize,
    },
    /// Not a `YYYY-MM-DD` calendar date.
    #[error("{value:?} is not a valid date; expected YYYY-MM-DD, e.g. 2026-06-30")]
    InvalidDate {
        /// The rejected text (first 40 characters).
        value: String,
    },
    /// A new decision without an expiry date.
    #[error("the decision on {check} needs an expiry date: the day from which the finding counts as failing again")]
    ExpiryMissing {
        /// The check decided on.
        check: CheckId,
    },
    /// A new decision whose expiry date is today or earlier.
    #[error("the expiry date {expires} is not in the future; choose a day after today")]
    ExpiryNotInFuture {
        /// The date given.
        expires: IsoDate,
    },
    /// Not 64 lower-case hex digits.
    #[error("{0:?} is not a SHA-256 digest; expected 64 lower-case hex digits")]
    InvalidSha256(String),
    /// `undo_delete` with an empty trash.
    #[error("there is no deleted assessment to restore")]
    NothingToUndo,
    /// `active` names a workspace that is not in the list.
    #[error("the active assessment {0:?} is not in the list")]
    ActiveMissing(String),
    /// An upload's diagnostics: too many, or a level that is not `error`, `warning` or `info`.
    #[error("the diagnostics of {file:?} are not valid: {problem}")]
    InvalidDiagnostics {
        /// The uploaded file.
        file: String,
        /// What is wrong.
        problem: String,
    },
    /// An evidence record, compensation or decision batch was refused (`evidence`).
    #[error(transparent)]
    Evidence(super::evidence::EvidenceError),
    /// A provider attestation or a control's provider part (`attest`).
    #[error("{0}")]
    Attest(super::attest::AttestError),
    /// A mapping of an imported check id to controls that cannot be kept
    /// (`workspace::mapping`).
    #[error("the mapping of {check:?} is not valid: {problem}")]
    InvalidMapping {
        /// The check id, as given (clipped).
        check: String,
        /// What is wrong.
        problem: String,
    },
}

pub(in crate::workspace) fn clip(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}

fn check_text(field: impl FnOnce() -> String, text: &str, max: usize) -> Result<(), WorkspaceError> {
    if text.len() > max {
        Err(WorkspaceError::TextTooLong { field: field(), bytes: text.len(), max })
    } else {
        Ok(())
    }
}

pub(in crate::workspace) fn check_control(id: &ControlId) -> Result<(), WorkspaceError> {
    match Catalog::bundled().control(id) {
        Some(_) => Ok(()),
        None => Err(WorkspaceError::UnknownControl(id.clone())),
    }
}

/// Trim and check an assessment name.
pub fn clean_name(name: &str) -> Result<String, WorkspaceError> {
    let t = name.trim();
    if t.is_empty() {
        return Err(WorkspaceError::EmptyName);
    }
    let chars = t.chars().count();
    if chars > MAX_NAME_CHARS {
        return Err(WorkspaceError::NameTooLong { chars, max: MAX_NAME_CHARS });
    }
    if t.chars().any(char::is_control) {
        return Err(WorkspaceError::NameControlChar);
    }
    Ok(t.to_string())
}

/// SHA-256 of `bytes` as 64 lower-case hex digits (for [`UploadRecord::sha256`]).
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(bytes);
    let mut out = String::with_capacity(64);
    for b in digest.iter() {
        out.push(char::from(b"0123456789abcdef"[usize::from(b >> 4)]));
        out.push(char::from(b"0123456789abcdef"[usize::from(b & 0x0f)]));
    }
    out
}

fn is_sha256_hex(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// A calendar date written `YYYY-MM-DD` (years 0001–9999, real month lengths,
/// leap years). Used for target dates and decision expiries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct IsoDate {
    year: u16,
    month: u8,
    day: u8,
}

impl IsoDate {
    /// 1970-01-01, day 0 of the engine's day numbers.
    pub const EPOCH: IsoDate = IsoDate { year: 1970, month: 1, day: 1 };
    /// A date from its parts, if it exists.
    pub fn new(year: u16, month: u8, day: u8) -> Option<IsoDate> {
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let len = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        ((1..=9999).contains(&year) && (1..=len).contains(&day)).then_some(IsoDate { year, month, day })
    }
    /// Days since 1970-01-01, comparable with `checks::Context::today`.
    pub fn days(self) -> i64 {
        days_from_civil(i32::from(self.year), u32::from(self.month), u32::from(self.day))
    }
    /// The date `days` days after 1970-01-01 (the inverse of [`IsoDate::days`]),
    /// if it is within years 0001–9999.
    pub fn from_days(days: i64) -> Option<IsoDate> {
        // Howard Hinnant's `civil_from_days`.
        let z = days.checked_add(719_468)?;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        IsoDate::new(u16::try_from(year).ok()?, u8::try_from(month).ok()?, u8::try_from(day).ok()?)
    }
}

impl FromStr for IsoDate {
    type Err = WorkspaceError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || WorkspaceError::InvalidDate { value: clip(s, 40) };
        let b = s.as_bytes();
        let shape = b.len() == 10
            && b[4] == b'-'
            && b[7] == b'-'
            && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
        if !shape {
            return Err(err());
        }
        let num = |r: std::ops::Range<usize>| s.get(r).and_then(|p| p.parse::<u16>().ok());
        match (num(0..4), num(5..7), num(8..10)) {
            (Some(y), Some(m), Some(d)) => {
                let (m, d) = (u8::try_from(m).map_err(|_| err())?, u8::try_from(d).map_err(|_| err())?);
                IsoDate::new(y, m, d).ok_or_else(err)
            }
            _ => Err(err()),
        }
    }
}

impl fmt::Display for IsoDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// Id of a workspace: 1–64 ASCII letters, digits, `-` or `_`. Minted by
/// [`Workspaces::create`] from the creation time (`ws-<hex millis>`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct WorkspaceId(String);

impl WorkspaceId {
    /// The id.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for WorkspaceId {
    type Err = WorkspaceError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let ok = (1..=64).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if ok {
            Ok(WorkspaceId(s.to_string()))
        } else {
            Err(WorkspaceError::InvalidId(clip(s, 70)))
        }
    }
}

impl fmt::Display for WorkspaceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What the assessment covers. Scope filters which guidance and
/// responsibilities the UI shows and sets the default responsibility.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scope {
    /// Organisation assessed (may be empty).
    pub organisation: String,
    /// Roles the organisation plays (CSC, CSP or both); sorted, no duplicates.
    pub roles: Vec<Role>,
    /// Service models in use; sorted, no duplicates.
    pub service_models: Vec<ServiceModel>,
    /// Cloud providers in use; sorted, no duplicates.
    pub providers: Vec<Provider>,
}

impl Scope {
    /// Sort and de-duplicate the lists (done by every setter and loader).
    pub fn normalise(&mut self) {
        self.roles.sort();
        self.roles.dedup();
        self.service_models.sort();
        self.service_models.dedup();
        self.providers.sort();
        self.providers.dedup();
    }
    /// Check sizes.
    pub fn validate(&self) -> Result<(), WorkspaceError> {
        check_text(|| "the organisation name".into(), &self.organisation, MAX_TEXT_BYTES)
    }
    /// The catalog's default responsibility for `control` under the chosen
    /// service models: if they all agree, that split; if they differ,
    /// `Shared`. No model chosen counts as all three. `None` if the catalog
    /// records no split for the control.
    pub fn default_responsibility(&self, control: &ControlId) -> Option<Responsibility> {
        let c = Catalog::bundled().control(control)?;
        let models: &[ServiceModel] = if self.service_models.is_empty() { ServiceModel::ALL } else { &self.service_models };
        let mut splits = models.iter().filter_map(|m| c.responsibility(*m));
        let first = splits.next()?;
        Some(if splits.all(|r| r == first) { first } else { Responsibility::Shared })
    }
}

/// Is a control part of the Statement of Applicability?
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Applicability {
    /// In scope (the default).
    #[default]
    Applicable,
    /// Excluded; the justification goes into the Statement of Applicability.
    /// An empty justification is allowed while typing; [`ControlAnswer::lint`] flags it.
    Excluded {
        /// Why the control does not apply.
        justification: String,
    },
}

impl Applicability {
    /// Stable token: `applicable` or `excluded`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Applicability::Applicable => "applicable",
            Applicability::Excluded { .. } => "excluded",
        }
    }
    /// True for `Excluded`.
    pub fn is_excluded(&self) -> bool {
        matches!(self, Applicability::Excluded { .. })
    }
}

crate::model::string_enum!(
    /// The assessor's own status for a control.
    ManualStatus, "status", "implemented, partially_implemented, not_implemented, not_applicable or not_assessed", {
        /// In place and working.
        Implemented = "implemented", "Implemented";
        /// Partly in place.
        PartiallyImplemented = "partially_implemented", "Partially implemented";
        /// Not in place.
        NotImplemented = "not_implemented", "Not implemented";
        /// Does not apply (prefer excluding the control with a justification).
        NotApplicable = "not_applicable", "Not applicable";
        /// Not looked at yet (the default).
        NotAssessed = "not_assessed", "Not assessed";
    }
);

crate::model::string_enum!(
    /// What was decided about a failing finding.
    DecisionKind, "decision", "risk_accepted or waived", {
        /// The risk is known and accepted by its owner.
        RiskAccepted = "risk_accepted", "Risk accepted";
        /// The finding does not apply here (false positive, compensating control).
        Waived = "waived", "Waived";
    }
);

/// The assessor's answer for one control.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ControlAnswer {
    /// In the Statement of Applicability or excluded.
    pub applicable: Applicability,
    /// Manual status.
    pub status: ManualStatus,
    /// Who carries the control; `None` = the default from the catalog for the
    /// scope's service models ([`Scope::default_responsibility`]).
    pub responsible: Option<Responsibility>,
    /// Owner (person or team), free text.
    pub owner: String,
    /// Target date for implementation.
    pub target_date: Option<IsoDate>,
    /// Evidence notes in Markdown; render only with `markdown::render_safe`.
    pub notes_md: String,
}

impl Default for ControlAnswer {
    fn default() -> Self {
        ControlAnswer {
            applicable: Applicability::Applicable,
            status: ManualStatus::NotAssessed,
            responsible: None,
            owner: String::new(),
            target_date: None,
            notes_md: String::new(),
        }
    }
}

impl ControlAnswer {
    /// Is this the untouched default (not worth storing)?
    pub fn is_default(&self) -> bool {
        *self == ControlAnswer::default()
    }
    /// Check the control id and the sizes of the free-text fields.
    pub fn validate(&self, control: &ControlId) -> Result<(), WorkspaceError> {
        check_control(control)?;
        if self.notes_md.len() > MAX_NOTES_BYTES {
            return Err(WorkspaceError::NotesTooLong {
                control: control.clone(),
                bytes: self.notes_md.len(),
                max: MAX_NOTES_BYTES,
            });
        }
        check_text(|| format!("the owner of {control}"), &self.owner, MAX_TEXT_BYTES)?;
        if let Applicability::Excluded { justification } = &self.applicable {
            check_text(|| format!("the exclusion justification of {control}"), justification, MAX_TEXT_BYTES)?;
        }
        Ok(())
    }
    /// Completeness warnings for people (not errors: the answer is still
    /// saved): an exclusion without justification, "not applicable" without an
    /// exclusion.
    pub fn lint(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        if let Applicability::Excluded { justification } = &self.applicable {
            if justification.trim().is_empty() {
                out.push("excluded without a justification; the Statement of Applicability needs one");
            }
        }
        if self.status == ManualStatus::NotApplicable && !self.applicable.is_excluded() {
            out.push("status is \"not applicable\" but the control is not excluded; exclude it with a justification");
        }
        out
    }
}

/// A decision on one failing finding (one check on one resource): the risk is
/// accepted or the finding waived, with a reason and an optional expiry. See
/// `rollup` for how it counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FindingDecision {
    /// The check.
    pub check: CheckId,
    /// The resource id or address, as in `Finding::resource.id`.
    pub resource_id: String,
    /// Accepted risk or waiver.
    pub kind: DecisionKind,
    /// Why.
    pub reason: String,
    /// Last day before which the decision holds: in force while today is
    /// strictly before this date; `None` = until revoked.
    pub expires: Option<IsoDate>,
}

impl FindingDecision {
    /// Does this decision concern `finding` (same check, same resource id)?
    pub fn matches(&self, finding: &Finding) -> bool {
        self.check == finding.check && finding.resource.id == self.resource_id
    }
    /// Check sizes.
    pub fn validate(&self) -> Result<(), WorkspaceError> {
        check_text(|| format!("the resource id of the decision on {}", self.check), &self.resource_id, MAX_TEXT_BYTES)?;
        check_text(|| format!("the reason of the decision on {}", self.check), &self.reason, MAX_TEXT_BYTES)
    }
}

/// Shown in the evidence view of a passing finding: its evidence is not kept
/// (see [`UploadRecord`]).
pub const EVIDENCE_NOT_KEPT: &str =
    "The evidence of passing checks is not kept in the workspace; upload the file again to see it.";

/// Is the evidence of a finding with this status kept in an [`UploadRecord`]?
/// True for fail, indeterminate and not applicable; false for pass.
pub fn evidence_kept(status: Status) -> bool {
    status != Status::Pass
}

/// Most diagnostics kept per uploaded file (the count, [`UploadRecord::diagnostics`], is always exact).
pub const MAX_DIAGNOSTICS: usize = 200;

/// One parser diagnostic of an uploaded file, flattened for display and
/// kept with its [`UploadRecord`] (so it is still shown after a reload).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DiagnosticLine {
    /// `error`, `warning` or `info`.
    pub level: String,
    /// The sentence.
    pub message: String,
    /// Where (`file#pointer` or `file:line`), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
}

impl DiagnosticLine {
    /// The levels a line may have.
    pub const LEVELS: [&'static str; 3] = ["error", "warning", "info"];
}

impl From<&crate::inventory::Diagnostic> for DiagnosticLine {
    fn from(d: &crate::inventory::Diagnostic) -> Self {
        use crate::inventory::DiagnosticLevel;
        let level = match d.level {
            DiagnosticLevel::Error => "error",
            DiagnosticLevel::Warning => "warning",
            DiagnosticLevel::Info => "info",
        };
        let place = d.source.as_ref().map(|s| match s.line {
            Some(l) if s.pointer.is_empty() => format!("{}:{l}", s.file),
            _ if s.pointer.is_empty() => s.file.to_string(),
            _ => format!("{}#{}", s.file, s.pointer),
        });
        DiagnosticLine { level: level.to_string(), message: d.message.clone(), place }
    }
}

/// What is kept of one uploaded file: enough to know what was assessed and to
/// show its findings again; the raw bytes are not kept. Nor is the evidence
/// of passing findings ([`evidence_kept`]): [`UploadRecord::new`] and
/// [`Workspace::upsert_upload`] drop it, so what is in memory equals what is
/// stored (a 10,000-resource plan has ~28,000 passing findings; their
/// evidence alone would fill most of the browser's storage quota).
#[derive(Debug, Clone, PartialEq)]
pub struct UploadRecord {
    /// File name as given.
    pub name: String,
    /// Size in bytes.
    pub size: u64,
    /// SHA-256 of the raw bytes, 64 lower-case hex digits.
    pub sha256: String,
    /// Detected format (`None` when the file was refused).
    pub format: Option<Format>,
    /// Resources read.
    pub resources: usize,
    /// Number of parser diagnostics.
    pub diagnostics: usize,
    /// The first [`MAX_DIAGNOSTICS`] of them.
    pub diagnostic_lines: Vec<DiagnosticLine>,
    /// The findings this file produced.
    pub findings: Vec<Finding>,
}

impl UploadRecord {
    /// A record for `bytes`, hashing them.
    pub fn new(
        name: impl Into<String>,
        bytes: &[u8],
        format: Option<Format>,
        resources: usize,
        diagnostics: usize,
        findings: Vec<Finding>,
    ) -> UploadRecord {
        UploadRecord::with_digest(name, bytes, None, format, resources, diagnostics, findings)
    }

    /// [`UploadRecord::new`] with the SHA-256 of `bytes` already computed by
    /// the caller (the browser's `crypto.subtle`, several times faster than
    /// hashing in WebAssembly). A digest that is not 64 hex digits is ignored
    /// and the bytes are hashed here.
    pub fn with_digest(
        name: impl Into<String>,
        bytes: &[u8],
        digest: Option<&str>,
        format: Option<Format>,
        resources: usize,
        diagnostics: usize,
        findings: Vec<Finding>,
    ) -> UploadRecord {
        let sha256 = match digest.map(str::to_ascii_lowercase) {
            Some(d) if is_sha256_hex(&d) => d,
            _ => sha256_hex(bytes),
        };
        UploadRecord::hashed(name, bytes.len() as u64, sha256, format, resources, diagnostics, findings)
    }

    /// A record for a file of `size` bytes whose SHA-256 ([`sha256_hex`]) the
    /// caller took before letting the bytes go (the CLI frees each input once
    /// parsed). The digest is not checked here; [`Workspace::upsert_upload`]
    /// refuses one that is not 64 lower-case hex digits.
    pub fn hashed(
        name: impl Into<String>,
        size: u64,
        sha256: String,
        format: Option<Format>,
        resources: usize,
        diagnostics: usize,
        findings: Vec<Finding>,
    ) -> UploadRecord {
        let mut record =
            UploadRecord { name: name.into(), size, sha256, format, resources, diagnostics, diagnostic_lines: Vec::new(), findings };
        record.drop_pass_evidence();
        record
    }
    /// Drop the evidence of passing findings (see [`evidence_kept`]).
    pub fn drop_pass_evidence(&mut self) {
        for f in &mut self.findings {
            if !evidence_kept(f.status) && !f.evidence.is_empty() {
                f.evidence = Default::default();
            }
        }
    }
    /// The same record without its findings (they are not cloned).
    pub fn clone_without_findings(&self) -> UploadRecord {
        UploadRecord {
            name: self.name.clone(),
            size: self.size,
            sha256: self.sha256.clone(),
            format: self.format,
            resources: self.resources,
            diagnostics: self.diagnostics,
            diagnostic_lines: self.diagnostic_lines.clone(),
            findings: Vec::new(),
        }
    }
    /// Keep the first [`MAX_DIAGNOSTICS`] of `lines` (the count stays as it is).
    pub fn with_diagnostic_lines(mut self, lines: impl IntoIterator<Item = DiagnosticLine>) -> UploadRecord {
        self.diagnostic_lines = lines.into_iter().take(MAX_DIAGNOSTICS).collect();
        self
    }
    /// Check the digest, the name size, the diagnostics and every finding's control ids.
    pub fn validate(&self) -> Result<(), WorkspaceError> {
        check_text(|| "an uploaded file name".into(), &self.name, MAX_TEXT_BYTES)?;
        if !is_sha256_hex(&self.sha256) {
            return Err(WorkspaceError::InvalidSha256(clip(&self.sha256, 70)));
        }
        let bad = |problem: String| WorkspaceError::InvalidDiagnostics { file: clip(&self.name, 200), problem };
        if self.diagnostic_lines.len() > MAX_DIAGNOSTICS.min(self.diagnostics) {
            return Err(bad(format!("{} lines for {} diagnostics (at most {MAX_DIAGNOSTICS} are kept)", self.diagnostic_lines.len(), self.diagnostics)));
        }
        for d in &self.diagnostic_lines {
            if !DiagnosticLine::LEVELS.contains(&d.level.as_str()) {
                return Err(bad(format!("the level {:?} is not error, warning or info", clip(&d.level, 40))));
            }
            check_text(|| format!("a diagnostic of {}", clip(&self.name, 200)), &d.message, MAX_TEXT_BYTES)?;
            check_text(|| format!("a diagnostic's place in {}", clip(&self.name, 200)), d.place.as_deref().unwrap_or(""), MAX_TEXT_BYTES)?;
        }
        // Findings of one check share their control list: check each list once.
        let mut last: Option<*const ControlId> = None;
        for f in &self.findings {
            let list = f.controls.as_ptr();
            if last == Some(list) {
                continue;
            }
            for c in f.controls.iter() {
                check_control(c)?;
            }
            last = Some(list);
        }
        Ok(())
    }
}

/// One named assessment. Fields are read through getters and changed through
/// validating setters, each stamping `modified`.
#[derive(Debug, Clone, PartialEq)]
pub struct Workspace {
    pub(in crate::workspace) id: WorkspaceId,
    pub(in crate::workspace) name: String,
    pub(in crate::workspace) created: u64,
    pub(in crate::workspace) modified: u64,
    pub(in crate::workspace) scope: Scope,
    pub(in crate::workspace) answers: BTreeMap<ControlId, ControlAnswer>,
    pub(in crate::workspace) decisions: Vec<FindingDecision>,
    pub(in crate::workspace) uploads: Vec<UploadRecord>,
    /// Evidence checklists and compensations (`evidence`).
    pub(in crate::workspace) evidence: super::evidence::EvidenceBook,
    /// Recent decision batches, for undo (`evidence`).
    pub(in crate::workspace) batches: Vec<super::evidence::DecisionBatch>,
    /// Provider attestations and the controls inheriting from them (`attest`).
    pub(in crate::workspace) attest: super::attest::Attest,
    /// Imported check ids mapped to controls by the user (`workspace::mapping`).
    pub(in crate::workspace) mappings: crate::ingest::scanners::mapping::UserMapping,
}

impl Workspace {
    fn empty(id: WorkspaceId, name: String, now: u64) -> Workspace {
        Workspace {
            id,
            name,
            created: now,
            modified: now,
            scope: Scope::default(),
            answers: BTreeMap::new(),
            decisions: Vec::new(),
            uploads: Vec::new(),
            evidence: Default::default(),
            batches: Vec::new(),
            attest: Default::default(),
            mappings: Default::default(),
        }
    }
    /// Id.
    pub fn id(&self) -> &WorkspaceId {
        &self.id
    }
    /// Name.
    pub fn name(&self) -> &str {
        &self.name
    }
    /// Created, milliseconds since the Unix epoch.
    pub fn created(&self) -> u64 {
        self.created
    }
    /// Last changed, milliseconds since the Unix epoch.
    pub fn modified(&self) -> u64 {
        self.modified
    }
    /// Scope.
    pub fn scope(&self) -> &Scope {
        &self.scope
    }
    /// Answers that differ from the default, by control.
    pub fn answers(&self) -> &BTreeMap<ControlId, ControlAnswer> {
        &self.answers
    }
    /// The answer for `control` (the default if none was given).
    pub fn answer(&self, control: &ControlId) -> ControlAnswer {
        self.answers.get(control).cloned().unwrap_or_default()
    }
    /// Decisions on findings.
    pub fn decisions(&self) -> &[FindingDecision] {
        &self.decisions
    }
    /// Upload records, in upload order.
    pub fn uploads(&self) -> &[UploadRecord] {
        &self.uploads
    }
    /// Every finding of every upload.
    pub fn findings(&self) -> impl Iterator<Item = &Finding> {
        self.uploads.iter().flat_map(|u| u.findings.iter())
    }
    /// Who carries `control`: the answer's choice, else the scope's default.
    pub fn responsibility(&self, control: &ControlId) -> Option<Responsibility> {
        self.answers.get(control).and_then(|a| a.responsible).or_else(|| self.scope.default_responsibility(control))
    }
    /// The decision on `finding`, if any.
    pub fn decision_for(&self, finding: &Finding) -> Option<&FindingDecision> {
        self.decisions.iter().find(|d| d.matches(finding))
    }

    /// Replace the scope (lists are normalised).
    pub fn set_scope(&mut self, mut scope: Scope, now: u64) -> Result<(), WorkspaceError> {
        scope.validate()?;
        scope.normalise();
        self.scope = scope;
        self.modified = now;
        Ok(())
    }
    /// Set the answer for `control`; a default answer removes the entry.
    /// Refused (nothing changes) for an unknown control or oversized text.
    pub fn set_answer(&mut self, control: &ControlId, answer: ControlAnswer, now: u64) -> Result<(), WorkspaceError> {
        answer.validate(control)?;
        if answer.is_default() {
            self.answers.remove(control);
        } else {
            self.answers.insert(control.clone(), answer);
        }
        self.modified = now;
        Ok(())
    }
    /// Record a decision made on the day `today` (days since 1970-01-01, as
    /// `checks::Context::today`), replacing any earlier one on the same check
    /// and resource. Refused (nothing changes) without an expiry date or with
    /// one that is not after `today`: a decision always ends, and one that ends
    /// today would never be in force (see `rollup`). Stored and imported
    /// decisions are not held to this: an expired one is kept and counts as
    /// failing again.
    pub fn decide(&mut self, decision: FindingDecision, today: i64, now: u64) -> Result<(), WorkspaceError> {
        decision.validate()?;
        match decision.expires {
            None => return Err(WorkspaceError::ExpiryMissing { check: decision.check.clone() }),
            Some(expires) if expires.days() <= today => return Err(WorkspaceError::ExpiryNotInFuture { expires }),
            Some(_) => {}
        }
        match self.decisions.iter_mut().find(|d| d.check == decision.check && d.resource_id == decision.resource_id) {
            Some(d) => *d = decision,
            None => self.decisions.push(decision),
        }
        self.modified = now;
        Ok(())
    }
    /// Remove the decision on a check and resource; false if there was none.
    pub fn revoke_decision(&mut self, check: &CheckId, resource_id: &str, now: u64) -> bool {
        let before = self.decisions.len();
        self.decisions.retain(|d| !(d.check == *check && d.resource_id == resource_id));
        let changed = self.decisions.len() != before;
        if changed {
            self.modified = now;
        }
        changed
    }
    /// Add an upload record, replacing the one with the same file name. The
    /// evidence of passing findings is dropped ([`evidence_kept`]).
    pub fn upsert_upload(&mut self, mut record: UploadRecord, now: u64) -> Result<(), WorkspaceError> {
        record.validate()?;
        record.drop_pass_evidence();
        match self.uploads.iter_mut().find(|u| u.name == record.name) {
            Some(u) => *u = record,
            None => self.uploads.push(record),
        }
        self.modified = now;
        Ok(())
    }
    /// Remove the upload record with this file name; false if there was none.
    pub fn remove_upload(&mut self, name: &str, now: u64) -> bool {
        let before = self.uploads.len();
        self.uploads.retain(|u| u.name != name);
        let changed = self.uploads.len() != before;
        if changed {
            self.modified = now;
        }
        changed
    }
    /// Check every invariant of one workspace (used when loading).
    pub fn validate(&self) -> Result<(), WorkspaceError> {
        clean_name(&self.name)?;
        self.scope.validate()?;
        for (c, a) in &self.answers {
            a.validate(c)?;
        }
        for d in &self.decisions {
            d.validate()?;
        }
        for u in &self.uploads {
            u.validate()?;
        }
        self.evidence.validate()?;
        let mut batch_ids = std::collections::HashSet::new();
        for b in &self.batches {
            if !batch_ids.insert(b.id) {
                return Err(super::evidence::EvidenceError::DuplicateBatch(b.id).into());
            }
            b.validate()?;
        }
        self.attest.validate()?;
        super::mapping::validate(&self.mappings)?;
        Ok(())
    }
}

/// The deleted workspace kept for undo.
#[derive(Debug, Clone, PartialEq)]
pub(in crate::workspace) struct Trashed {
    pub(in crate::workspace) workspace: Workspace,
    pub(in crate::workspace) index: usize,
}

/// All of a user's assessments, the active one, and the last deleted one.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Workspaces {
    pub(in crate::workspace) list: Vec<Workspace>,
    pub(in crate::workspace) active: Option<WorkspaceId>,
    pub(in crate::workspace) trash: Option<Trashed>,
}

impl Workspaces {
    /// No assessments.
    pub fn new() -> Workspaces {
        Workspaces::default()
    }
    /// All assessments, in list order.
    pub fn list(&self) -> &[Workspace] {
        &self.list
    }
    /// Id of the active assessment (`None` only when there is none).
    pub fn active_id(&self) -> Option<&WorkspaceId> {
        self.active.as_ref()
    }
    /// The active assessment.
    pub fn active(&self) -> Option<&Workspace> {
        self.active.as_ref().and_then(|id| self.get(id))
    }
    /// The active assessment, to edit through its validating setters.
    pub fn active_mut(&mut self) -> Option<&mut Workspace> {
        let id = self.active.clone()?;
        self.get_mut(&id)
    }
    /// An assessment by id.
    pub fn get(&self, id: &WorkspaceId) -> Option<&Workspace> {
        self.list.iter().find(|w| w.id == *id)
    }
    /// An assessment by id, to edit through its validating setters.
    pub fn get_mut(&mut self, id: &WorkspaceId) -> Option<&mut Workspace> {
        self.list.iter_mut().find(|w| w.id == *id)
    }
    /// The last deleted assessment, which [`Workspaces::undo_delete`] restores.
    pub fn trash(&self) -> Option<&Workspace> {
        self.trash.as_ref().map(|t| &t.workspace)
    }
    /// Make `id` the active assessment.
    pub fn set_active(&mut self, id: &WorkspaceId) -> Result<(), WorkspaceError> {
        self.index_of(id)?;
        self.active = Some(id.clone());
        Ok(())
    }

    fn index_of(&self, id: &WorkspaceId) -> Result<usize, WorkspaceError> {
        self.list.iter().position(|w| w.id == *id).ok_or_else(|| WorkspaceError::NotFound(id.0.clone()))
    }

    fn taken(&self, id: &str) -> bool {
        self.list.iter().any(|w| w.id.0 == id) || self.trash.as_ref().is_some_and(|t| t.workspace.id.0 == id)
    }

    /// A fresh id from `now`: `ws-<hex millis>`, with `-2`, `-3`… if taken
    /// (by a listed or the trashed workspace).
    fn fresh_id(&self, now: u64) -> WorkspaceId {
        let base = format!("ws-{now:x}");
        let mut candidate = base.clone();
        let mut n = 2u64;
        while self.taken(&candidate) {
            candidate = format!("{base}-{n}");
            n += 1;
        }
        WorkspaceId(candidate)
    }

    /// Create an empty assessment named `name` and make it active.
    pub fn create(&mut self, name: &str, now: u64) -> Result<WorkspaceId, WorkspaceError> {
        let name = clean_name(name)?;
        let id = self.fresh_id(now);
        self.list.push(Workspace::empty(id.clone(), name, now));
        self.active = Some(id.clone());
        Ok(id)
    }
    /// Rename an assessment.
    pub fn rename(&mut self, id: &WorkspaceId, name: &str, now: u64) -> Result<(), WorkspaceError> {
        let name = clean_name(name)?;
        let i = self.index_of(id)?;
        self.list[i].name = name;
        self.list[i].modified = now;
        Ok(())
    }
    /// Copy an assessment (scope, answers, decisions, uploads) under a new id
    /// and the name "<name> (copy)", insert it after the original and make it active.
    pub fn duplicate(&mut self, id: &WorkspaceId, now: u64) -> Result<WorkspaceId, WorkspaceError> {
        let i = self.index_of(id)?;
        let mut copy = self.list[i].clone();
        let suffix = " (copy)";
        let keep = MAX_NAME_CHARS - suffix.chars().count();
        copy.name = format!("{}{suffix}", clip(&copy.name, keep).trim_end());
        copy.id = self.fresh_id(now);
        copy.created = now;
        copy.modified = now;
        let new_id = copy.id.clone();
        self.list.insert(i + 1, copy);
        self.active = Some(new_id.clone());
        Ok(new_id)
    }
    /// Delete an assessment into the trash slot (replacing, and so
    /// permanently dropping, whatever was there). If it was active, its
    /// neighbour (next, else previous) becomes active.
    pub fn delete(&mut self, id: &WorkspaceId) -> Result<(), WorkspaceError> {
        let i = self.index_of(id)?;
        let w = self.list.remove(i);
        if self.active.as_ref() == Some(id) {
            self.active = self.list.get(i).or_else(|| i.checked_sub(1).and_then(|j| self.list.get(j))).map(|w| w.id.clone());
        }
        self.trash = Some(Trashed { workspace: w, index: i });
        Ok(())
    }
    /// Restore the last deleted assessment at its old place and make it
    /// active; returns its id (a fresh one if its id was taken meanwhile).
    pub fn undo_delete(&mut self) -> Result<WorkspaceId, WorkspaceError> {
        let Trashed { mut workspace, index } = self.trash.take().ok_or(WorkspaceError::NothingToUndo)?;
        if self.taken(&workspace.id.0) {
            workspace.id = self.fresh_id(workspace.modified);
        }
        let id = workspace.id.clone();
        self.list.insert(index.min(self.list.len()), workspace);
        self.active = Some(id.clone());
        Ok(id)
    }
    /// Forget the trashed assessment (no undo any more).
    pub fn discard_trash(&mut self) {
        self.trash = None;
    }
    /// Add the assessments of an imported file (`store::import`) after the
    /// ones here, as new assessments: nothing here changes. One whose id is
    /// taken gets a fresh id from `now`; one whose name is taken is named
    /// "<name> (imported)". The first added becomes active. Returns the ids
    /// added, in order.
    pub fn add_imported(&mut self, imported: Workspaces, now: u64) -> Vec<WorkspaceId> {
        let mut added = Vec::with_capacity(imported.list.len());
        for mut w in imported.list {
            if self.taken(&w.id.0) {
                w.id = self.fresh_id(now);
            }
            if self.list.iter().any(|x| x.name == w.name) {
                let suffix = " (imported)";
                let keep = MAX_NAME_CHARS - suffix.chars().count();
                w.name = format!("{}{suffix}", clip(&w.name, keep).trim_end());
            }
            added.push(w.id.clone());
            self.list.push(w);
        }
        if let Some(first) = added.first() {
            self.active = Some(first.clone());
        }
        added
    }
    /// Put the assessments of an imported file in place of every assessment
    /// here (the trash slot is kept unless the file reuses its id) and return what was here, so that the
    /// caller can offer to undo: setting the returned value back restores
    /// everything as it was.
    pub fn replace_all(&mut self, imported: Workspaces) -> Workspaces {
        let trash = self.trash.take();
        let before = std::mem::replace(self, Workspaces { list: imported.list, active: imported.active, trash: None });
        self.trash = trash.clone().filter(|t| !self.list.iter().any(|w| w.id == t.workspace.id));
        if self.active.is_none() {
            self.active = self.list.first().map(|w| w.id.clone());
        }
        Workspaces { trash, ..before }
    }
    /// Check every invariant: each workspace, unique ids (trash included), a
    /// valid active id. An unset `active` with a non-empty list is repaired to
    /// the first workspace.
    pub fn validate(&mut self) -> Result<(), WorkspaceError> {
        let mut seen = std::collections::BTreeSet::new();
        let trashed = self.trash.as_ref().map(|t| &t.workspace);
        for w in self.list.iter().chain(trashed) {
            w.validate()?;
            if !seen.insert(w.id.0.as_str()) {
                return Err(WorkspaceError::DuplicateId(w.id.0.clone()));
            }
        }
        match &self.active {
            Some(id) => {
                self.index_of(id).map_err(|_| WorkspaceError::ActiveMissing(id.0.clone()))?;
            }
            None => self.active = self.list.first().map(|w| w.id.clone()),
        }
        Ok(())
    }

    /// A copy with every upload's findings left out (metadata kept): what
    /// the browser saves on each change, its findings being stored once per
    /// upload beside it (see `ui::ws`). Cheap: findings are not cloned.
    pub fn without_findings(&self) -> Workspaces {
        fn strip(w: &Workspace) -> Workspace {
            Workspace {
                id: w.id.clone(),
                name: w.name.clone(),
                created: w.created,
                modified: w.modified,
                scope: w.scope.clone(),
                answers: w.answers.clone(),
                decisions: w.decisions.clone(),
                uploads: w
                    .uploads
                    .iter()
                    .map(UploadRecord::clone_without_findings)
                    .collect(),
                evidence: w.evidence.clone(),
                batches: w.batches.clone(),
                attest: w.attest.clone(),
                mappings: w.mappings.clone(),
            }
        }
        Workspaces {
            list: self.list.iter().map(strip).collect(),
            active: self.active.clone(),
            trash: self.trash.as_ref().map(|t| Trashed { workspace: strip(&t.workspace), index: t.index }),
        }
    }

    /// Give the upload `name` (matched with its digest) of workspace `id`
    /// its findings back; false when there is no such upload. The findings'
    /// control ids are checked like every other way in.
    pub fn restore_findings(&mut self, id: &WorkspaceId, name: &str, sha256: &str, findings: Vec<Finding>) -> Result<bool, WorkspaceError> {
        for f in &findings {
            for c in f.controls.iter() {
                check_control(c)?;
            }
        }
        let trashed = self.trash.as_mut().map(|t| &mut t.workspace);
        let Some(w) = self.list.iter_mut().chain(trashed).find(|w| &w.id == id) else { return Ok(false) };
        match w.uploads.iter_mut().find(|u| u.name == name && u.sha256 == sha256) {
            Some(u) => {
                u.findings = findings;
                Ok(true)
            }
            None => Ok(false),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn importing_adds_new_assessments_and_keeps_what_is_here() {
        let mut here = Workspaces::new();
        let a = here.create("Production", 1_000).unwrap();
        here.get_mut(&a).unwrap().set_scope(Scope { organisation: "Acme".into(), ..Scope::default() }, 1_001).unwrap();
        here.create("Staging", 1_002).unwrap();
        // The file holds a copy of "Production" (same id and name) and a new one.
        let mut file = Workspaces::new();
        file.list.push(here.list[0].clone());
        let other = file.create("Audit 2026", 1_003).unwrap();
        let before = here.clone();
        let added = here.add_imported(file.clone(), 5_000);
        assert_eq!(added.len(), 2);
        assert_eq!(&here.list()[..2], before.list(), "nothing here changed");
        assert_eq!(here.list().len(), 4);
        let copy = here.get(&added[0]).unwrap();
        assert_ne!(copy.id(), &a, "a taken id is replaced");
        assert_eq!(copy.name(), "Production (imported)");
        assert_eq!(copy.scope().organisation, "Acme", "the content is the file's");
        assert_eq!(added[1], other, "a free id is kept");
        assert_eq!(here.active_id(), Some(&added[0]));
        assert!(here.validate().is_ok());
        // Importing the same file again adds again, with fresh ids.
        let again = here.add_imported(file, 5_000);
        assert!(again.iter().all(|id| !added.contains(id)));
        assert!(here.validate().is_ok());
    }

    #[test]
    fn replacing_everything_can_be_undone() {
        let mut here = Workspaces::new();
        here.create("Production", 1_000).unwrap();
        let gone = here.create("Old", 1_001).unwrap();
        here.delete(&gone).unwrap();
        let mut file = Workspaces::new();
        file.create("From the file", 2_000).unwrap();
        let before = here.clone();
        let previous = here.replace_all(file.clone());
        assert_eq!(here.list(), file.list());
        assert_eq!(here.active_id(), file.active_id());
        assert_eq!(here.trash().map(Workspace::name), Some("Old"), "the trash slot is kept");
        assert!(here.validate().is_ok());
        assert_eq!(previous, before, "what was here comes back whole");
        here = previous;
        assert_eq!(here, before);
    }

    fn cid(s: &str) -> ControlId {
        s.parse().unwrap()
    }

    #[test]
    fn create_rename_and_activate() {
        let mut ws = Workspaces::new();
        assert!(ws.active().is_none());
        let a = ws.create("  Production  ", 1000).unwrap();
        assert_eq!(a.as_str(), "ws-3e8");
        assert_eq!(ws.active().unwrap().name(), "Production");
        let b = ws.create("Staging", 1000).unwrap();
        assert_eq!(b.as_str(), "ws-3e8-2", "same millisecond gets a suffix");
        assert_eq!(ws.active_id(), Some(&b));
        ws.rename(&a, "Prod", 2000).unwrap();
        assert_eq!(ws.get(&a).unwrap().name(), "Prod");
        assert_eq!(ws.get(&a).unwrap().modified(), 2000);
        assert_eq!(ws.rename(&a, "   ", 1), Err(WorkspaceError::EmptyName));
        assert_eq!(ws.rename(&a, "a\nb", 1), Err(WorkspaceError::NameControlChar));
        assert!(matches!(ws.create(&"x".repeat(121), 1), Err(WorkspaceError::NameTooLong { chars: 121, .. })));
        assert!(ws.create(&"é".repeat(120), 1).is_ok(), "the limit counts characters, not bytes");
        let ghost: WorkspaceId = "nope".parse().unwrap();
        assert_eq!(ws.rename(&ghost, "x", 1), Err(WorkspaceError::NotFound("nope".into())));
        ws.set_active(&a).unwrap();
        assert_eq!(ws.active_id(), Some(&a));
        assert!(ws.set_active(&ghost).is_err());
    }

    #[test]
    fn duplicate_copies_content_under_a_new_id() {
        let mut ws = Workspaces::new();
        let a = ws.create("Prod", 1).unwrap();
        let _b = ws.create("Other", 2).unwrap();
        let ans = ControlAnswer { status: ManualStatus::Implemented, owner: "Ops".into(), ..Default::default() };
        ws.get_mut(&a).unwrap().set_answer(&cid("9.1.2"), ans.clone(), 3).unwrap();
        let c = ws.duplicate(&a, 10).unwrap();
        assert_ne!(c, a);
        assert_eq!(ws.list().iter().map(|w| w.name()).collect::<Vec<_>>(), ["Prod", "Prod (copy)", "Other"]);
        let copy = ws.get(&c).unwrap();
        assert_eq!(copy.answer(&cid("9.1.2")), ans);
        assert_eq!((copy.created(), copy.modified()), (10, 10));
        assert_eq!(ws.active_id(), Some(&c));
        let long = ws.create(&"n".repeat(MAX_NAME_CHARS), 20).unwrap();
        let d = ws.duplicate(&long, 21).unwrap();
        assert_eq!(ws.get(&d).unwrap().name().chars().count(), MAX_NAME_CHARS);
        assert!(ws.get(&d).unwrap().name().ends_with(" (copy)"));
    }

    #[test]
    fn delete_and_undo_restore_position_and_active() {
        let mut ws = Workspaces::new();
        let a = ws.create("A", 1).unwrap();
        let b = ws.create("B", 2).unwrap();
        let c = ws.create("C", 3).unwrap();
        ws.set_active(&b).unwrap();
        ws.delete(&b).unwrap();
        assert_eq!(ws.active_id(), Some(&c), "next neighbour becomes active");
        assert_eq!(ws.trash().unwrap().name(), "B");
        assert_eq!(ws.undo_delete().unwrap(), b);
        assert_eq!(ws.list().iter().map(|w| w.name()).collect::<Vec<_>>(), ["A", "B", "C"]);
        assert_eq!(ws.active_id(), Some(&b));
        assert_eq!(ws.undo_delete(), Err(WorkspaceError::NothingToUndo));

        // The next delete replaces the trash: only the latest can be undone.
        ws.delete(&a).unwrap();
        ws.delete(&c).unwrap();
        assert_eq!(ws.trash().unwrap().name(), "C");
        assert_eq!(ws.active_id(), Some(&b));
        ws.undo_delete().unwrap();
        assert_eq!(ws.list().iter().map(|w| w.name()).collect::<Vec<_>>(), ["B", "C"]);
        assert!(ws.trash().is_none());

        // Deleting the last one leaves nothing active.
        let mut one = Workspaces::new();
        let x = one.create("X", 1).unwrap();
        one.delete(&x).unwrap();
        assert!(one.active().is_none() && one.list().is_empty());
        // A new workspace in the same millisecond does not reuse the trashed id.
        let y = one.create("Y", 1).unwrap();
        assert_ne!(x, y);
        assert_eq!(one.undo_delete().unwrap(), x);
        assert_eq!(one.list().len(), 2);
        one.delete(&x).unwrap();
        one.discard_trash();
        assert_eq!(one.undo_delete(), Err(WorkspaceError::NothingToUndo));
    }

    #[test]
    fn answers_are_validated_and_defaults_not_stored() {
        let mut ws = Workspaces::new();
        ws.create("A", 1).unwrap();
        let w = ws.active_mut().unwrap();
        let unknown = cid("99.9.9");
        assert_eq!(
            w.set_answer(&unknown, ControlAnswer::default(), 2),
            Err(WorkspaceError::UnknownControl(unknown.clone()))
        );
        let big = ControlAnswer { notes_md: "x".repeat(MAX_NOTES_BYTES + 1), ..Default::default() };
        assert!(matches!(w.set_answer(&cid("9.1.2"), big, 2), Err(WorkspaceError::NotesTooLong { .. })));
        let ok = ControlAnswer { notes_md: "x".repeat(MAX_NOTES_BYTES), ..Default::default() };
        w.set_answer(&cid("9.1.2"), ok, 3).unwrap();
        assert_eq!(w.answers().len(), 1);
        w.set_answer(&cid("9.1.2"), ControlAnswer::default(), 4).unwrap();
        assert!(w.answers().is_empty(), "default answers are not stored");
        assert_eq!(w.modified(), 4);
        let long_owner = ControlAnswer { owner: "o".repeat(MAX_TEXT_BYTES + 1), ..Default::default() };
        assert!(matches!(w.set_answer(&cid("9.1.2"), long_owner, 5), Err(WorkspaceError::TextTooLong { .. })));
    }

    #[test]
    fn lint_flags_incomplete_exclusions() {
        let a = ControlAnswer {
            applicable: Applicability::Excluded { justification: " ".into() },
            ..Default::default()
        };
        assert_eq!(a.lint().len(), 1);
        let b = ControlAnswer { status: ManualStatus::NotApplicable, ..Default::default() };
        assert_eq!(b.lint().len(), 1);
        assert!(ControlAnswer::default().lint().is_empty());
        for s in ManualStatus::ALL {
            assert_eq!(s.as_str().parse::<ManualStatus>().unwrap(), *s);
        }
        let e = "done".parse::<ManualStatus>().unwrap_err().to_string();
        assert!(e.contains("not_assessed"), "{e}");
        assert_eq!("WAIVED".parse::<DecisionKind>().unwrap(), DecisionKind::Waived);
    }

    #[test]
    fn dates_are_real_calendar_dates() {
        assert_eq!("2024-02-29".parse::<IsoDate>().unwrap().to_string(), "2024-02-29");
        assert_eq!("1970-01-02".parse::<IsoDate>().unwrap().days(), 1);
        for bad in ["2023-02-29", "2026-13-01", "2026-00-10", "2026-04-31", "26-01-01", "2026-1-01", "2026-01-01T00:00", "", "0000-01-01", "２０２６-01-01", "+026-01-01"] {
            assert!(bad.parse::<IsoDate>().is_err(), "{bad} should be rejected");
        }
        assert!(IsoDate::new(1900, 2, 29).is_none());
        for d in ["0001-01-01", "1969-12-31", "1970-01-01", "2000-02-29", "2026-12-31", "9999-12-31"] {
            let date: IsoDate = d.parse().unwrap();
            assert_eq!(IsoDate::from_days(date.days()), Some(date), "{d}");
        }
        assert_eq!(IsoDate::from_days(IsoDate::new(9999, 12, 31).unwrap().days() + 1), None);
        assert_eq!(IsoDate::from_days(i64::MAX), None);
        assert!(IsoDate::new(2000, 2, 29).is_some());
    }

    #[test]
    fn ids_are_checked() {
        assert!("ws-18f0a".parse::<WorkspaceId>().is_ok());
        for bad in ["", "a b", "<x>", &"a".repeat(65)] {
            assert!(bad.parse::<WorkspaceId>().is_err());
        }
    }

    #[test]
    fn default_responsibility_follows_service_models() {
        let cat = Catalog::bundled();
        // Find a control whose split differs between models, and one where it agrees.
        let differs = cat
            .controls()
            .iter()
            .find(|c| c.default_responsibility.is_some_and(|r| r.iaas != r.saas))
            .expect("the catalog has a control whose split depends on the model");
        let g = differs.default_responsibility.unwrap();
        let mut scope = Scope { service_models: vec![ServiceModel::Iaas], ..Default::default() };
        assert_eq!(scope.default_responsibility(&differs.id), Some(g.iaas));
        scope.service_models = vec![ServiceModel::Iaas, ServiceModel::Saas];
        assert_eq!(scope.default_responsibility(&differs.id), Some(Responsibility::Shared));
        scope.service_models.clear();
        assert_eq!(scope.default_responsibility(&differs.id), Some(Responsibility::Shared), "none chosen = all three");
        assert_eq!(scope.default_responsibility(&cid("99.9.9")), None);

        let mut ws = Workspaces::new();
        ws.create("A", 1).unwrap();
        let w = ws.active_mut().unwrap();
        w.set_scope(Scope { service_models: vec![ServiceModel::Saas, ServiceModel::Saas], ..Default::default() }, 2).unwrap();
        assert_eq!(w.scope().service_models, [ServiceModel::Saas], "normalised");
        assert_eq!(w.responsibility(&differs.id), Some(g.saas));
        let over = ControlAnswer { responsible: Some(Responsibility::Csp), ..Default::default() };
        w.set_answer(&differs.id, over, 3).unwrap();
        assert_eq!(w.responsibility(&differs.id), Some(Responsibility::Csp));
    }

    #[test]
    fn sha256_is_hex() {
        assert_eq!(sha256_hex(b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assert!(is_sha256_hex(&sha256_hex(b"")));
        assert!(!is_sha256_hex("BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD"));
        let rec = UploadRecord::new("plan.json", b"{}", None, 0, 0, Vec::new());
        assert_eq!(rec.size, 2);
        assert!(rec.validate().is_ok());
        // A digest taken before the bytes were dropped makes the same record.
        assert_eq!(UploadRecord::hashed("plan.json", 2, sha256_hex(b"{}"), None, 0, 0, Vec::new()), rec);
    }

    #[test]
    fn decisions_and_uploads_replace_by_key() {
        let mut ws = Workspaces::new();
        ws.create("A", 1).unwrap();
        let w = ws.active_mut().unwrap();
        let check: CheckId = "aws_s3_bucket_versioning".parse().unwrap();
        let d = FindingDecision {
            check: check.clone(),
            resource_id: "b1".into(),
            kind: DecisionKind::Waived,
            reason: "test".into(),
            expires: Some(IsoDate::new(2026, 6, 30).unwrap()),
        };
        let today = IsoDate::new(2026, 6, 1).unwrap().days();
        w.decide(d.clone(), today, 2).unwrap();
        w.decide(FindingDecision { kind: DecisionKind::RiskAccepted, ..d.clone() }, today, 3).unwrap();
        assert_eq!(w.decisions().len(), 1);
        assert_eq!(w.decisions()[0].kind, DecisionKind::RiskAccepted);
        assert!(w.revoke_decision(&check, "b1", 4));
        assert!(!w.revoke_decision(&check, "b1", 5));
        assert_eq!(w.modified(), 4);

        w.upsert_upload(UploadRecord::new("a.json", b"1", None, 0, 0, Vec::new()), 6).unwrap();
        w.upsert_upload(UploadRecord::new("a.json", b"22", None, 0, 0, Vec::new()), 7).unwrap();
        assert_eq!(w.uploads().len(), 1);
        assert_eq!(w.uploads()[0].size, 2);
        let bad = UploadRecord { sha256: "zz".into(), ..UploadRecord::new("b", b"", None, 0, 0, Vec::new()) };
        assert!(matches!(w.upsert_upload(bad, 8), Err(WorkspaceError::InvalidSha256(_))));
        assert!(w.remove_upload("a.json", 9));
        assert!(w.uploads().is_empty());
    }

    #[test]
    fn a_new_decision_needs_an_expiry_after_today() {
        let mut ws = Workspaces::new();
        ws.create("A", 1).unwrap();
        let w = ws.active_mut().unwrap();
        let check: CheckId = "aws_s3_bucket_versioning".parse().unwrap();
        let today = IsoDate::new(2026, 6, 1).unwrap().days();
        let on = |expires: Option<IsoDate>| FindingDecision {
            check: check.clone(),
            resource_id: "b1".into(),
            kind: DecisionKind::RiskAccepted,
            reason: "owner accepts".into(),
            expires,
        };
        assert_eq!(w.decide(on(None), today, 2), Err(WorkspaceError::ExpiryMissing { check: check.clone() }));
        for past in [IsoDate::new(2026, 6, 1).unwrap(), IsoDate::new(2026, 5, 31).unwrap(), IsoDate::new(1999, 1, 1).unwrap()] {
            let err = w.decide(on(Some(past)), today, 3).unwrap_err();
            assert_eq!(err, WorkspaceError::ExpiryNotInFuture { expires: past });
            assert!(err.to_string().contains(&past.to_string()), "{err}");
        }
        assert!(w.decisions().is_empty(), "a refused decision changes nothing");
        assert_eq!(w.modified(), 1);
        let tomorrow = IsoDate::new(2026, 6, 2).unwrap();
        w.decide(on(Some(tomorrow)), today, 4).unwrap();
        assert_eq!(w.decisions()[0].expires, Some(tomorrow));
        // A refused change leaves the recorded decision as it was.
        assert!(w.decide(FindingDecision { kind: DecisionKind::Waived, ..on(None) }, today, 5).is_err());
        assert_eq!(w.decisions()[0].kind, DecisionKind::RiskAccepted);
    }

    #[test]
    fn validate_repairs_unset_active_and_rejects_duplicates() {
        let mut ws = Workspaces::new();
        let a = ws.create("A", 1).unwrap();
        ws.active = None;
        ws.validate().unwrap();
        assert_eq!(ws.active_id(), Some(&a));
        let dup = ws.list[0].clone();
        ws.list.push(dup);
        assert_eq!(ws.validate(), Err(WorkspaceError::DuplicateId(a.as_str().into())));
        ws.list.pop();
        ws.active = Some("ghost".parse().unwrap());
        assert_eq!(ws.validate(), Err(WorkspaceError::ActiveMissing("ghost".into())));
    }
}
