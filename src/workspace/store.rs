//! The storage and exchange contract of workspaces: one JSON document,
//! `{"format": "iso27017-assessor/workspace", "version": 1, …}` ([`StoredV1`]),
//! written compact by [`save`] (browser storage) and pretty by [`export`]
//! (a file the user keeps). [`load`] reads browser storage and never fails:
//! it says what it found ([`LoadOutcome`]) and hands back the raw text of
//! anything it cannot use. [`import`] reads a user's file and validates
//! everything before the caller replaces anything.
//!
//! Serialization is a contract: the `Stored*` types are separate from the
//! domain types; a change of shape means a new version and a step in
//! [`migrate`], never a silent change.
//!
//! **Version history.**
//! - **0** — the prototype stored one assessment, not a list: a single
//!   object `{"version": 0 (or absent), "name", "saved_at" (ms, optional),
//!   "scope": {"organisation", "roles", "service_models"} (optional),
//!   "answers": {"<control id>": {"status", "notes"}}}` where `status` was
//!   `implemented`, `partial`, `not_implemented`, `not_applicable` or
//!   `not_assessed`, with no format field, no applicability, owner, dates,
//!   decisions or uploads. See [`StoredV0`].
//! - **1** — several named assessments ([`StoredV1`]).
//!
//! **Invariant:** [`load`] and [`import`] never panic; whatever they return
//! as `Workspaces` passed the same validation as the domain setters (ids,
//! dates, control ids in `Catalog::bundled()`, notes ≤ 100 KB, other text ≤
//! 10 KB); [`load`] never loses the raw text of data it does not use.
//! **Invariant:** `import(&export(w)) == w` for every `w` without trash
//! (export leaves the trash out).

use super::model::{
    clean_name, Applicability, ControlAnswer, DecisionKind, FindingDecision, IsoDate, ManualStatus, Scope, Trashed,
    UploadRecord, Workspace, WorkspaceError, WorkspaceId, Workspaces,
};
use crate::checks::{Evidence, Finding, ResourceRef};
use crate::ingest::Format;
use crate::inventory::{Provider, SourceRef};
use crate::model::{CheckId, ControlId, Responsibility, Role, ServiceModel, Severity, Status};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::Arc;

/// The `format` field of every document.
pub const FORMAT: &str = "iso27017-assessor/workspace";
/// The version [`save`] and [`export`] write.
pub const VERSION: u32 = 1;
/// Largest file [`import`] accepts, in bytes (5 MB).
pub const MAX_IMPORT_BYTES: usize = 5_000_000;

// ---------------------------------------------------------------- version 1

/// Version 1 of the document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoredV1 {
    /// Always [`FORMAT`].
    pub format: String,
    /// Always 1.
    pub version: u32,
    /// Id of the active assessment.
    #[serde(default)]
    pub active: Option<String>,
    /// The assessments, in list order.
    pub workspaces: Vec<StoredWorkspaceV1>,
    /// The last deleted assessment (browser storage only; export leaves it out).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trash: Option<StoredTrashV1>,
}

/// The trash slot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoredTrashV1 {
    /// Position it had in the list.
    pub index: usize,
    /// The deleted assessment.
    pub workspace: StoredWorkspaceV1,
}

/// One assessment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoredWorkspaceV1 {
    /// Id (`ws-…`).
    pub id: String,
    /// Name.
    pub name: String,
    /// Created, ms since the Unix epoch.
    pub created: u64,
    /// Last changed, ms since the Unix epoch.
    pub modified: u64,
    /// Scope.
    pub scope: StoredScopeV1,
    /// Non-default answers by control id.
    #[serde(default)]
    pub answers: BTreeMap<String, StoredAnswerV1>,
    /// Decisions on findings.
    #[serde(default)]
    pub decisions: Vec<StoredDecisionV1>,
    /// Upload records.
    #[serde(default)]
    pub uploads: Vec<StoredUploadV1>,
}

/// Scope.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoredScopeV1 {
    /// Organisation.
    #[serde(default)]
    pub organisation: String,
    /// `csc`, `csp`.
    #[serde(default)]
    pub roles: Vec<Role>,
    /// `iaas`, `paas`, `saas`.
    #[serde(default)]
    pub service_models: Vec<ServiceModel>,
    /// `aws`, `azure`, `gcp`, `kubernetes`.
    #[serde(default)]
    pub providers: Vec<Provider>,
}

/// `applicable` or `excluded`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StoredApplicabilityV1 {
    /// In the Statement of Applicability.
    Applicable,
    /// Excluded (with `justification`).
    Excluded,
}

/// One control's answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoredAnswerV1 {
    /// Applicability.
    pub applicability: StoredApplicabilityV1,
    /// Why excluded (written only when excluded).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub justification: String,
    /// Manual status token.
    pub status: ManualStatus,
    /// `csc`, `csp`, `shared`, or absent for the catalog default.
    #[serde(default)]
    pub responsible: Option<Responsibility>,
    /// Owner.
    #[serde(default)]
    pub owner: String,
    /// `YYYY-MM-DD`.
    #[serde(default)]
    pub target_date: Option<String>,
    /// Markdown notes.
    #[serde(default)]
    pub notes_md: String,
}

/// A decision on a finding.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoredDecisionV1 {
    /// Check id.
    pub check: CheckId,
    /// Resource id or address.
    pub resource_id: String,
    /// `risk_accepted` or `waived`.
    pub kind: DecisionKind,
    /// Why.
    pub reason: String,
    /// `YYYY-MM-DD`, or absent for no expiry.
    #[serde(default)]
    pub expires: Option<String>,
}

/// An upload record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoredUploadV1 {
    /// File name.
    pub name: String,
    /// Bytes.
    pub size: u64,
    /// SHA-256, lower-case hex.
    pub sha256: String,
    /// Format token (`Format::as_str`), absent if refused.
    #[serde(default)]
    pub format: Option<String>,
    /// Resources read.
    pub resources: usize,
    /// Diagnostics count.
    pub diagnostics: usize,
    /// Findings.
    #[serde(default)]
    pub findings: Vec<StoredFindingV1>,
}

/// A finding.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoredFindingV1 {
    /// Check id.
    pub check: CheckId,
    /// Control ids.
    pub controls: Vec<ControlId>,
    /// `pass`, `fail`, `indeterminate`, `not_applicable`.
    pub status: Status,
    /// Severity token.
    pub severity: Severity,
    /// The resource.
    pub resource: StoredResourceV1,
    /// Message.
    pub message: String,
    /// Why indeterminate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Evidence.
    #[serde(default)]
    pub evidence: Vec<StoredEvidenceV1>,
}

/// The resource of a finding, with its place in the input.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoredResourceV1 {
    /// Provider token.
    pub provider: Provider,
    /// Canonical kind.
    pub kind: String,
    /// Native type.
    pub native_type: String,
    /// Id or address.
    pub id: String,
    /// Name.
    pub name: String,
    /// Input file name.
    pub file: String,
    /// JSON pointer into the input.
    pub pointer: String,
    /// 1-based line, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
}

/// One evaluated property.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoredEvidenceV1 {
    /// Canonical property.
    pub prop: String,
    /// JSON pointer of the native attribute.
    pub pointer: String,
    /// Observed value.
    #[serde(default)]
    pub observed: Option<Value>,
    /// The condition, in words.
    pub expected: String,
}

// ---------------------------------------------------------------- version 0

/// Version 0: the prototype's single assessment (see the module docs).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoredV0 {
    /// 0 or absent.
    #[serde(default)]
    pub version: Option<u32>,
    /// Name (may be empty).
    #[serde(default)]
    pub name: String,
    /// Last save, ms since the Unix epoch.
    #[serde(default)]
    pub saved_at: u64,
    /// Scope.
    #[serde(default)]
    pub scope: StoredScopeV0,
    /// Answers by control id.
    pub answers: BTreeMap<String, StoredAnswerV0>,
}

/// Version 0 scope (no providers).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoredScopeV0 {
    /// Organisation.
    #[serde(default)]
    pub organisation: String,
    /// Roles.
    #[serde(default)]
    pub roles: Vec<Role>,
    /// Service models.
    #[serde(default)]
    pub service_models: Vec<ServiceModel>,
}

/// Version 0 answer.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoredAnswerV0 {
    /// `implemented`, `partial`, `not_implemented`, `not_applicable`, `not_assessed`.
    pub status: String,
    /// Notes (Markdown).
    #[serde(default)]
    pub notes: String,
}

/// Name given to a version-0 assessment saved without one.
pub const V0_DEFAULT_NAME: &str = "My assessment";

impl TryFrom<StoredV0> for StoredV1 {
    type Error = LoadError;
    fn try_from(v0: StoredV0) -> Result<Self, LoadError> {
        let mut answers = BTreeMap::new();
        for (control, a) in v0.answers {
            let status = match a.status.trim() {
                "partial" => ManualStatus::PartiallyImplemented,
                other => other.parse::<ManualStatus>().map_err(|_| LoadError::Shape {
                    line: 0,
                    column: 0,
                    message: format!(
                        "the version-0 answer for {} has the unknown status {:?}",
                        clip(&control, 40),
                        clip(&a.status, 40)
                    ),
                })?,
            };
            answers.insert(
                control,
                StoredAnswerV1 {
                    applicability: StoredApplicabilityV1::Applicable,
                    justification: String::new(),
                    status,
                    responsible: None,
                    owner: String::new(),
                    target_date: None,
                    notes_md: a.notes,
                },
            );
        }
        let name = if v0.name.trim().is_empty() { V0_DEFAULT_NAME.to_string() } else { v0.name };
        let id = format!("ws-{:x}", v0.saved_at);
        Ok(StoredV1 {
            format: FORMAT.to_string(),
            version: 1,
            active: Some(id.clone()),
            workspaces: vec![StoredWorkspaceV1 {
                id,
                name,
                created: v0.saved_at,
                modified: v0.saved_at,
                scope: StoredScopeV1 {
                    organisation: v0.scope.organisation,
                    roles: v0.scope.roles,
                    service_models: v0.scope.service_models,
                    providers: Vec::new(),
                },
                answers,
                decisions: Vec::new(),
                uploads: Vec::new(),
            }],
            trash: None,
        })
    }
}

// ---------------------------------------------------------------- errors

/// Why stored or imported data cannot be used. Every message says where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LoadError {
    /// The JSON ends early.
    #[error("the data ends early (line {line}, column {column}): it was probably cut off when saved or copied")]
    Truncated {
        /// Line of the end.
        line: usize,
        /// Column of the end.
        column: usize,
    },
    /// Not JSON.
    #[error("the data is not valid JSON (line {line}, column {column}): {message}")]
    Syntax {
        /// Line.
        line: usize,
        /// Column.
        column: usize,
        /// The parser's message.
        message: String,
    },
    /// JSON, but not a workspace document.
    #[error("the data is JSON but not an iso27017-assessor workspace: {0}")]
    NotAWorkspace(String),
    /// Another document type (e.g. the catalog export).
    #[error("the data is a {found:?} document, not an iso27017-assessor workspace ({FORMAT:?})")]
    WrongFormat {
        /// The `format` field found.
        found: String,
    },
    /// `version` is not a whole number.
    #[error("the \"version\" field must be a whole number, found {0}")]
    BadVersion(String),
    /// Wrong types, missing or unknown fields.
    #[error("the data has the wrong shape (line {line}, column {column}): {message}")]
    Shape {
        /// Line (0 when unknown).
        line: usize,
        /// Column (0 when unknown).
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// Well-formed, but a value breaks a rule.
    #[error("{context}: {source}")]
    Invalid {
        /// Where ("assessment 2 (\"Prod\")").
        context: String,
        /// What.
        source: WorkspaceError,
    },
}

/// Why a file cannot be imported. Nothing has been replaced when this is returned.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    /// Nothing but whitespace.
    #[error("the file is empty")]
    Empty,
    /// Over [`MAX_IMPORT_BYTES`].
    #[error("the file is {bytes} bytes; a workspace file is at most {max} bytes (5 MB)")]
    TooLarge {
        /// Size given.
        bytes: usize,
        /// The limit.
        max: usize,
    },
    /// Written by a newer app.
    #[error("the file was written by a newer version of iso27017-assessor (workspace version {version}; this app reads up to {supported}); update the app to import it")]
    NewerVersion {
        /// Version found.
        version: u64,
        /// Newest version this build reads.
        supported: u32,
    },
    /// Unreadable or invalid.
    #[error("the file cannot be imported: {0}")]
    Invalid(#[from] LoadError),
}

/// What [`load`] found in browser storage.
#[derive(Debug, Clone, PartialEq)]
pub enum LoadOutcome {
    /// Nothing stored (empty text or JSON `null`): start fresh.
    Empty,
    /// Current version, valid.
    Loaded(Workspaces),
    /// An older version, migrated; the second field is the version found.
    /// Save the result (and keep the raw text as a backup if you like).
    Migrated(Workspaces, u32),
    /// Written by a newer app. Keep `raw` (offer it for download), do not
    /// overwrite it without asking.
    NewerVersion {
        /// The stored text, unchanged.
        raw: String,
        /// Version found.
        version: u64,
    },
    /// Unreadable or invalid. Keep `raw` (offer it for download).
    Corrupt {
        /// The stored text, unchanged.
        raw: String,
        /// What is wrong.
        error: LoadError,
    },
}

// ---------------------------------------------------------------- parsing

fn clip(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}

fn syntax(e: &serde_json::Error) -> LoadError {
    if e.classify() == serde_json::error::Category::Eof {
        LoadError::Truncated { line: e.line(), column: e.column() }
    } else {
        LoadError::Syntax { line: e.line(), column: e.column(), message: clip(&e.to_string(), 200) }
    }
}

/// An error of the typed parse. The text already parsed as JSON, so whatever
/// serde reports here (even as "syntax", e.g. a number where an enum token
/// goes) is a shape error.
fn shape(e: &serde_json::Error) -> LoadError {
    LoadError::Shape { line: e.line(), column: e.column(), message: clip(&e.to_string(), 300) }
}

enum Parsed {
    Empty,
    Newer(u64),
    Ready(Workspaces, Option<u32>),
}

/// A document brought to the current version by [`migrate`].
#[derive(Debug, Clone, PartialEq)]
pub enum Migration {
    /// Now [`StoredV1`]; `from` is the version found (1 = no migration).
    Current {
        /// The document in the current shape (not yet validated).
        doc: StoredV1,
        /// Version found.
        from: u32,
    },
    /// Written by a newer build; left alone.
    Newer(u64),
}

/// Read the version of a document (after checking it is one of ours) and
/// bring it to [`StoredV1`] through the migration chain (0 → 1). A future
/// version 2 adds a `StoredV2` and a `StoredV1 → StoredV2` step here.
pub fn migrate(json: &str) -> Result<Migration, LoadError> {
    let value: Value = serde_json::from_str(json).map_err(|e| syntax(&e))?;
    let Some(obj) = value.as_object() else {
        return Err(LoadError::NotAWorkspace("the top level is not an object".into()));
    };
    match obj.get("format") {
        None => {}
        Some(Value::String(f)) if f == FORMAT => {}
        Some(Value::String(f)) => return Err(LoadError::WrongFormat { found: clip(f, 80) }),
        Some(other) => return Err(LoadError::WrongFormat { found: clip(&other.to_string(), 80) }),
    }
    let version = match obj.get("version") {
        Some(Value::Number(n)) => n.as_u64().ok_or_else(|| LoadError::BadVersion(clip(&n.to_string(), 40)))?,
        Some(other) => return Err(LoadError::BadVersion(clip(&other.to_string(), 40))),
        None if obj.contains_key("workspaces") => {
            return Err(LoadError::NotAWorkspace("the \"version\" field is missing".into()))
        }
        None => 0,
    };
    if version > u64::from(VERSION) {
        return Ok(Migration::Newer(version));
    }
    if version >= 1 && !obj.contains_key("format") {
        return Err(LoadError::NotAWorkspace("the \"format\" field is missing".into()));
    }
    if version == 0 {
        if !obj.contains_key("answers") {
            return Err(LoadError::NotAWorkspace(
                "it has neither a \"workspaces\" list nor the \"answers\" of a version-0 assessment".into(),
            ));
        }
        let v0: StoredV0 = serde_json::from_str(json).map_err(|e| shape(&e))?;
        return Ok(Migration::Current { doc: StoredV1::try_from(v0)?, from: 0 });
    }
    let v1: StoredV1 = serde_json::from_str(json).map_err(|e| shape(&e))?;
    Ok(Migration::Current { doc: v1, from: 1 })
}

fn parse(json: &str) -> Result<Parsed, LoadError> {
    let text = json.trim_start_matches('\u{feff}').trim();
    if text.is_empty() || text == "null" {
        return Ok(Parsed::Empty);
    }
    match migrate(text)? {
        Migration::Newer(newer) => Ok(Parsed::Newer(newer)),
        Migration::Current { doc, from } => {
            let ws = Workspaces::try_from(doc)?;
            Ok(Parsed::Ready(ws, (from != VERSION).then_some(from)))
        }
    }
}

/// Read what browser storage holds. Never panics, never drops the text of
/// data it cannot use. Pass `""` when nothing is stored.
pub fn load(json: &str) -> LoadOutcome {
    match parse(json) {
        Ok(Parsed::Empty) => LoadOutcome::Empty,
        Ok(Parsed::Ready(ws, None)) => LoadOutcome::Loaded(ws),
        Ok(Parsed::Ready(ws, Some(from))) => LoadOutcome::Migrated(ws, from),
        Ok(Parsed::Newer(version)) => LoadOutcome::NewerVersion { raw: json.to_string(), version },
        Err(error) => LoadOutcome::Corrupt { raw: json.to_string(), error },
    }
}

/// Read a workspace file chosen by the user: at most [`MAX_IMPORT_BYTES`],
/// any version this build reads (older ones migrated), everything validated.
/// The trash slot of an imported file is dropped.
pub fn import(json: &str) -> Result<Workspaces, ImportError> {
    if json.len() > MAX_IMPORT_BYTES {
        return Err(ImportError::TooLarge { bytes: json.len(), max: MAX_IMPORT_BYTES });
    }
    match parse(json)? {
        Parsed::Empty => Err(ImportError::Empty),
        Parsed::Newer(version) => Err(ImportError::NewerVersion { version, supported: VERSION }),
        Parsed::Ready(mut ws, _) => {
            ws.trash = None;
            Ok(ws)
        }
    }
}

/// The document for browser storage (compact; trash included). Serialising
/// these types cannot fail (string keys, finite numbers); should it ever, the
/// result is empty — never write an empty string over saved data.
pub fn save(ws: &Workspaces) -> String {
    serde_json::to_string(&StoredV1::from(ws)).unwrap_or_default()
}

/// The document for a file the user keeps (pretty; trash left out).
pub fn export(ws: &Workspaces) -> String {
    let mut doc = StoredV1::from(ws);
    doc.trash = None;
    serde_json::to_string_pretty(&doc).unwrap_or_default()
}

// ---------------------------------------------------------------- domain → stored

impl From<&Workspaces> for StoredV1 {
    fn from(ws: &Workspaces) -> Self {
        StoredV1 {
            format: FORMAT.to_string(),
            version: VERSION,
            active: ws.active.as_ref().map(|id| id.as_str().to_string()),
            workspaces: ws.list.iter().map(StoredWorkspaceV1::from).collect(),
            trash: ws
                .trash
                .as_ref()
                .map(|t| StoredTrashV1 { index: t.index, workspace: StoredWorkspaceV1::from(&t.workspace) }),
        }
    }
}

impl From<&Workspace> for StoredWorkspaceV1 {
    fn from(w: &Workspace) -> Self {
        StoredWorkspaceV1 {
            id: w.id.as_str().to_string(),
            name: w.name.clone(),
            created: w.created,
            modified: w.modified,
            scope: StoredScopeV1 {
                organisation: w.scope.organisation.clone(),
                roles: w.scope.roles.clone(),
                service_models: w.scope.service_models.clone(),
                providers: w.scope.providers.clone(),
            },
            answers: w.answers.iter().map(|(c, a)| (c.to_string(), StoredAnswerV1::from(a))).collect(),
            decisions: w
                .decisions
                .iter()
                .map(|d| StoredDecisionV1 {
                    check: d.check.clone(),
                    resource_id: d.resource_id.clone(),
                    kind: d.kind,
                    reason: d.reason.clone(),
                    expires: d.expires.map(|e| e.to_string()),
                })
                .collect(),
            uploads: w.uploads.iter().map(StoredUploadV1::from).collect(),
        }
    }
}

impl From<&ControlAnswer> for StoredAnswerV1 {
    fn from(a: &ControlAnswer) -> Self {
        let (applicability, justification) = match &a.applicable {
            Applicability::Applicable => (StoredApplicabilityV1::Applicable, String::new()),
            Applicability::Excluded { justification } => (StoredApplicabilityV1::Excluded, justification.clone()),
        };
        StoredAnswerV1 {
            applicability,
            justification,
            status: a.status,
            responsible: a.responsible,
            owner: a.owner.clone(),
            target_date: a.target_date.map(|d| d.to_string()),
            notes_md: a.notes_md.clone(),
        }
    }
}

impl From<&UploadRecord> for StoredUploadV1 {
    fn from(u: &UploadRecord) -> Self {
        StoredUploadV1 {
            name: u.name.clone(),
            size: u.size,
            sha256: u.sha256.clone(),
            format: u.format.map(|f| f.as_str().to_string()),
            resources: u.resources,
            diagnostics: u.diagnostics,
            findings: u.findings.iter().map(StoredFindingV1::from).collect(),
        }
    }
}

impl From<&Finding> for StoredFindingV1 {
    fn from(f: &Finding) -> Self {
        StoredFindingV1 {
            check: f.check.clone(),
            controls: f.controls.to_vec(),
            status: f.status,
            severity: f.severity,
            resource: StoredResourceV1 {
                provider: f.resource.provider,
                kind: f.resource.kind.to_string(),
                native_type: f.resource.native_type.to_string(),
                id: f.resource.id.clone(),
                name: f.resource.name.clone(),
                file: f.resource.source.file.clone(),
                pointer: f.resource.source.pointer.clone(),
                line: f.resource.source.line,
            },
            message: f.message.to_string(),
            reason: f.reason.clone(),
            evidence: f
                .evidence
                .iter()
                .map(|e| StoredEvidenceV1 {
                    prop: e.prop.to_string(),
                    pointer: e.pointer.to_string(),
                    observed: e.observed.as_deref().cloned(),
                    expected: e.expected.to_string(),
                })
                .collect(),
        }
    }
}

impl From<StoredFindingV1> for Finding {
    fn from(f: StoredFindingV1) -> Self {
        let r = f.resource;
        Finding {
            check: f.check,
            controls: f.controls.into(),
            status: f.status,
            severity: f.severity,
            resource: ResourceRef {
                provider: r.provider,
                kind: r.kind.into(),
                native_type: r.native_type.into(),
                id: r.id,
                name: r.name,
                source: SourceRef { file: r.file, pointer: r.pointer, line: r.line },
            }
            .into(),
            message: f.message.into(),
            reason: f.reason,
            evidence: f
                .evidence
                .into_iter()
                .map(|e| Evidence { prop: e.prop.into(), pointer: e.pointer.into(), observed: e.observed.map(Arc::new), expected: e.expected.into() })
                .collect(),
        }
    }
}

// ---------------------------------------------------------------- stored → domain

fn date(s: Option<String>) -> Result<Option<IsoDate>, WorkspaceError> {
    s.map(|d| d.parse::<IsoDate>()).transpose()
}

fn workspace_from(s: StoredWorkspaceV1, context: &str) -> Result<Workspace, LoadError> {
    let ctx = format!("{context} ({:?})", clip(&s.name, 60));
    let invalid = |source: WorkspaceError| LoadError::Invalid { context: ctx.clone(), source };
    let id: WorkspaceId = s.id.parse().map_err(invalid)?;
    let name = clean_name(&s.name).map_err(invalid)?;
    let mut scope = Scope {
        organisation: s.scope.organisation,
        roles: s.scope.roles,
        service_models: s.scope.service_models,
        providers: s.scope.providers,
    };
    scope.normalise();
    let mut answers = BTreeMap::new();
    for (key, a) in s.answers {
        let in_answer = |source: WorkspaceError| LoadError::Invalid {
            context: format!("{ctx}, answer for {:?}", clip(&key, 40)),
            source,
        };
        let control: ControlId = key.parse().map_err(|e: crate::model::ParseModelError| LoadError::Shape {
            line: 0,
            column: 0,
            message: format!("{ctx}: {e}"),
        })?;
        let applicable = match a.applicability {
            StoredApplicabilityV1::Applicable => Applicability::Applicable,
            StoredApplicabilityV1::Excluded => Applicability::Excluded { justification: a.justification },
        };
        let answer = ControlAnswer {
            applicable,
            status: a.status,
            responsible: a.responsible,
            owner: a.owner,
            target_date: date(a.target_date).map_err(in_answer)?,
            notes_md: a.notes_md,
        };
        if !answer.is_default() {
            answers.insert(control, answer);
        }
    }
    let mut decisions = Vec::with_capacity(s.decisions.len());
    for (i, d) in s.decisions.into_iter().enumerate() {
        let in_decision = |source: WorkspaceError| LoadError::Invalid {
            context: format!("{ctx}, decision {} (on {})", i + 1, d.check),
            source,
        };
        let expires = date(d.expires.clone()).map_err(in_decision)?;
        decisions.push(FindingDecision {
            check: d.check,
            resource_id: d.resource_id,
            kind: d.kind,
            reason: d.reason,
            expires,
        });
    }
    let mut uploads = Vec::with_capacity(s.uploads.len());
    for (i, u) in s.uploads.into_iter().enumerate() {
        let format = match u.format {
            None => None,
            Some(token) => Some(Format::ALL.iter().copied().find(|f| f.as_str() == token).ok_or_else(|| {
                LoadError::Shape {
                    line: 0,
                    column: 0,
                    message: format!("{ctx}, upload {}: {:?} is not a known export format", i + 1, clip(&token, 40)),
                }
            })?),
        };
        uploads.push(UploadRecord {
            name: u.name,
            size: u.size,
            sha256: u.sha256,
            format,
            resources: u.resources,
            diagnostics: u.diagnostics,
            findings: u.findings.into_iter().map(Finding::from).collect(),
        });
    }
    let w = Workspace { id, name, created: s.created, modified: s.modified, scope, answers, decisions, uploads };
    w.validate().map_err(invalid)?;
    Ok(w)
}

impl TryFrom<StoredV1> for Workspaces {
    type Error = LoadError;
    fn try_from(s: StoredV1) -> Result<Self, LoadError> {
        if s.format != FORMAT {
            return Err(LoadError::WrongFormat { found: clip(&s.format, 80) });
        }
        let mut list = Vec::with_capacity(s.workspaces.len());
        for (i, w) in s.workspaces.into_iter().enumerate() {
            list.push(workspace_from(w, &format!("assessment {}", i + 1))?);
        }
        let trash = match s.trash {
            None => None,
            Some(t) => Some(Trashed { index: t.index, workspace: workspace_from(t.workspace, "the deleted assessment")? }),
        };
        let active = match s.active {
            None => None,
            Some(a) => Some(a.parse::<WorkspaceId>().map_err(|source| LoadError::Invalid {
                context: "the active assessment".into(),
                source,
            })?),
        };
        let mut ws = Workspaces { list, active, trash };
        ws.validate().map_err(|source| LoadError::Invalid { context: "the assessment list".into(), source })?;
        Ok(ws)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Workspaces {
        let mut ws = Workspaces::new();
        let a = ws.create("Production", 1_700_000_000_000).unwrap();
        let w = ws.get_mut(&a).unwrap();
        w.set_answer(
            &"9.1.2".parse().unwrap(),
            ControlAnswer {
                applicable: Applicability::Excluded { justification: "no network".into() },
                status: ManualStatus::NotApplicable,
                responsible: Some(Responsibility::Csc),
                owner: "Ops".into(),
                target_date: Some("2026-12-31".parse().unwrap()),
                notes_md: "# Evidence\n\n- link".into(),
            },
            1_700_000_000_001,
        )
        .unwrap();
        ws.create("Staging", 1_700_000_000_002).unwrap();
        ws
    }

    #[test]
    fn save_load_round_trip_keeps_trash() {
        let mut ws = sample();
        let id = ws.list()[1].id().clone();
        ws.delete(&id).unwrap();
        let text = save(&ws);
        assert_eq!(load(&text), LoadOutcome::Loaded(ws.clone()));
        let exported = import(&export(&ws)).unwrap();
        assert!(exported.trash().is_none());
        assert_eq!(exported.list(), ws.list());
    }

    #[test]
    fn empty_and_null_are_empty() {
        assert_eq!(load(""), LoadOutcome::Empty);
        assert_eq!(load("  \n"), LoadOutcome::Empty);
        assert_eq!(load("null"), LoadOutcome::Empty);
        assert_eq!(import(" "), Err(ImportError::Empty));
    }

    #[test]
    fn v0_migrates() {
        let v0 = r#"{"name":"","saved_at":255,"scope":{"organisation":"Acme","roles":["csc"],"service_models":["saas","iaas"]},
            "answers":{"9.1.2":{"status":"partial","notes":"half"},"CLD.9.5.1":{"status":"implemented"},"5.1.1":{"status":"not_assessed"}}}"#;
        let LoadOutcome::Migrated(ws, 0) = load(v0) else { panic!("not migrated: {:?}", load(v0)) };
        let w = ws.active().unwrap();
        assert_eq!(w.id().as_str(), "ws-ff");
        assert_eq!(w.name(), V0_DEFAULT_NAME);
        assert_eq!(w.scope().service_models, [ServiceModel::Iaas, ServiceModel::Saas]);
        let a = w.answer(&"9.1.2".parse().unwrap());
        assert_eq!((a.status, a.notes_md.as_str()), (ManualStatus::PartiallyImplemented, "half"));
        assert_eq!(w.answers().len(), 2, "default answers are dropped");
        // A migrated document saves as version 1 and then loads as current.
        assert!(matches!(load(&save(&ws)), LoadOutcome::Loaded(_)));
        // Version 0 with an explicit number, and a bad status.
        assert!(matches!(load(r#"{"version":0,"name":"x","answers":{}}"#), LoadOutcome::Migrated(_, 0)));
        let bad = load(r#"{"name":"x","answers":{"9.1.2":{"status":"done"}}}"#);
        assert!(matches!(&bad, LoadOutcome::Corrupt { error: LoadError::Shape { .. }, .. }), "{bad:?}");
    }

    #[test]
    fn newer_and_foreign_documents_are_kept_raw() {
        let newer = r#"{"format":"iso27017-assessor/workspace","version":7,"anything":[1,2]}"#;
        assert_eq!(load(newer), LoadOutcome::NewerVersion { raw: newer.into(), version: 7 });
        assert_eq!(import(newer), Err(ImportError::NewerVersion { version: 7, supported: 1 }));
        let catalog = r#"{"format":"iso27017-assessor/catalog","version":1}"#;
        assert!(matches!(load(catalog), LoadOutcome::Corrupt { error: LoadError::WrongFormat { .. }, .. }));
        assert!(matches!(load("[1]"), LoadOutcome::Corrupt { error: LoadError::NotAWorkspace(_), .. }));
        assert!(matches!(load("{}"), LoadOutcome::Corrupt { error: LoadError::NotAWorkspace(_), .. }));
        assert!(matches!(load(r#"{"version":-1}"#), LoadOutcome::Corrupt { error: LoadError::BadVersion(_), .. }));
        assert!(matches!(load(r#"{"version":"1"}"#), LoadOutcome::Corrupt { error: LoadError::BadVersion(_), .. }));
        assert!(matches!(load(r#"{"version":1,"workspaces":[]}"#), LoadOutcome::Corrupt { error: LoadError::NotAWorkspace(_), .. }));
    }

    #[test]
    fn truncation_is_named() {
        let text = save(&sample());
        let cut = &text[..text.len() / 2];
        let LoadOutcome::Corrupt { raw, error } = load(cut) else { panic!() };
        assert_eq!(raw, cut);
        assert!(matches!(error, LoadError::Truncated { .. }), "{error}");
        assert!(error.to_string().contains("cut off"));
    }
}
