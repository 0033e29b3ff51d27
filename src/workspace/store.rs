//! The storage and exchange contract of workspaces: one JSON document,
//! `{"format": "iso27017-assessor/workspace", "version": 5, …}` ([`StoredV2`]),
//! written compact by [`save`] (browser storage) and pretty by [`export`]
//! (a file the user keeps; one table row per line). [`load`] reads browser
//! storage and never fails: it says what it found ([`LoadOutcome`]) and hands
//! back the raw text of anything it cannot use. [`import`] reads a user's
//! file and validates everything before the caller replaces anything.
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
//! - **1** — several named assessments ([`StoredV1`]). Each upload carried
//!   its findings in full: `{"check", "controls", "status", "severity",
//!   "resource": {"provider", "kind", "native_type", "id", "name", "file",
//!   "pointer", "line"?}, "message", "reason"?, "evidence": [{"prop",
//!   "pointer", "observed", "expected"}]}`, about 500 bytes per finding.
//! - **2** — version 1 with compact uploads ([`StoredUploadV2`]), about 40
//!   bytes per finding; workspaces, scope, answers, decisions and the trash
//!   keep the version-1 shape and meaning. An upload is
//!   `{"name", "size", "sha256", "format", "resources", "diagnostics",`
//!   `"check_table", "kind_table", "file_table", "resource_table",
//!   "condition_table", "reason_table", "findings"}` (empty tables left out):
//!   - `check_table`: `[check id, severity, [control ids]]`, each
//!     combination once;
//!   - `kind_table`: `[provider, kind, native type]`;
//!   - `file_table`: input file names;
//!   - `resource_table`: `[kind index, file index, id, name, pointer, line
//!     or null, account?]`, each distinct resource once (the account,
//!     subscription or project left out when the input does not say);
//!   - `condition_table`: `[property, expected]` of evidence;
//!   - `reason_table`: why findings are indeterminate, each text once;
//!   - `findings`: rows `[check index, resource index, status, message?,
//!     reason index?, evidence?]`, trailing absent items left out and inner
//!     ones `null`. Status codes: 0 pass, 1 fail, 2 indeterminate, 3 not
//!     applicable. The message is left out (`null`) when it is the standard
//!     sentence for the check, resource and status
//!     (`checks::push_standard_message`), and rebuilt on load from the
//!     bundled rule (from the reason for indeterminate findings); were the
//!     rule gone from a later build, the message becomes
//!     `<resource>: <check id>: <status>`. Evidence entries are
//!     `[condition index, pointer]` (nothing observed) or `[condition index,
//!     pointer, observed]`; a pointer starting with `.` continues the
//!     resource's pointer (`./versioning` under `/resource_changes/3`), one
//!     starting with `!` is the rest as given (a text starting with `.` or
//!     `!`, which no RFC 6901 pointer does), any other is absolute.
//!
//! - **3** — version 2 with each upload's first diagnostics
//!   (`model::MAX_DIAGNOSTICS`) kept beside their count, so they are shown
//!   again after a reload: `"diagnostic_lines": [{"level": "error" |
//!   "warning" | "info", "message", "place"?}]`, left out when empty. The
//!   `StoredV2` types describe both versions; a version-2 document with
//!   `diagnostic_lines` is refused, and one without migrates unchanged.
//!
//! - **4** — version 3 with other scanners' findings: an upload of a
//!   findings file adds `import_check_table` and `imported`
//!   (`store_imported`), left out when empty. A version-2 or 3 document has
//!   none and migrates unchanged; one with them is refused.
//!
//! - **5** — version 4 with the provider side of each assessment: an
//!   optional `attest` object (provider attestations and the controls that
//!   inherit from or share with them; `store_attest`), left out when empty. A
//!   version-2, 3 or 4 document has none and migrates unchanged; one with it
//!   is refused.
//!   The same version adds per assessment evidence checklists, compensating
//!   measures and decision batches (`evidence`, `decision_batches`:
//!   `store_evidence`), left out when empty; a version-2, 3 or 4 document
//!   with them is refused.
//!
//!   Passing findings have no evidence: it is dropped when the record is
//!   made ([`UploadRecord::new`], [`Workspace::upsert_upload`]) and when
//!   version 1 is migrated, and the evidence view says so
//!   (`model::EVIDENCE_NOT_KEPT`).
//!
//! **Invariant:** [`load`] and [`import`] never panic; whatever they return
//! as `Workspaces` passed the same validation as the domain setters (ids,
//! dates, control ids in `Catalog::bundled()`, notes ≤ 100 KB, other text ≤
//! 10 KB, every table index in range); [`load`] never loses the raw text of
//! data it does not use.
//! **Invariant:** `import(&export(w)) == w` and `load(&save(w)) == w` for
//! every `w` (export leaves the trash out): messages left out are rebuilt
//! equal, and pass evidence is never in a `Workspaces` to begin with.

use super::model::{
    clean_name, Applicability, ControlAnswer, DecisionKind, DiagnosticLine, FindingDecision, IsoDate, ManualStatus, Scope, Trashed,
    UploadRecord, Workspace, WorkspaceError, WorkspaceId, Workspaces,
};
use crate::checks::{push_message, push_standard_message, Condition, Evidence, EvidenceList, Finding, Message, ResourceRef, Rule, RuleSet};
use crate::ingest::Format;
use crate::inventory::{Pointer, Provider, SourceRef, Text};
use crate::model::{CheckId, ControlId, Responsibility, Role, ServiceModel, Severity, Status};
use serde::de::IgnoredAny;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// The `format` field of every document.
pub const FORMAT: &str = "iso27017-assessor/workspace";
/// The version [`save`] and [`export`] write.
pub const VERSION: u32 = 5;
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

// ---------------------------------------------------------------- version 2

/// Version 2 of the document: version 1 with compact uploads
/// ([`StoredUploadV2`]); everything else has the version-1 shape.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoredV2 {
    /// Always [`FORMAT`].
    pub format: String,
    /// Always 2.
    pub version: u32,
    /// Id of the active assessment.
    #[serde(default)]
    pub active: Option<String>,
    /// The assessments, in list order.
    pub workspaces: Vec<StoredWorkspaceV2>,
    /// The last deleted assessment (browser storage only; export leaves it out).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trash: Option<StoredTrashV2>,
}

/// The trash slot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoredTrashV2 {
    /// Position it had in the list.
    pub index: usize,
    /// The deleted assessment.
    pub workspace: StoredWorkspaceV2,
}

/// One assessment: as [`StoredWorkspaceV1`], with compact uploads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoredWorkspaceV2 {
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
    pub uploads: Vec<StoredUploadV2>,
    /// Evidence checklists and compensations by control (version 5; `store_evidence`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub evidence: BTreeMap<String, super::store_evidence::StoredControlEvidenceV5>,
    /// Recent decision batches (version 5; `store_evidence`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub decision_batches: Vec<super::store_evidence::StoredBatchV5>,
    /// Provider attestations and provider parts (version 5; `store_attest`).
    #[serde(default, skip_serializing_if = "super::store_attest::StoredAttestV5::is_empty")]
    pub attest: super::store_attest::StoredAttestV5,
    /// Imported check ids mapped to controls by the user (version 5; left
    /// out when none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mappings: Vec<super::store_mapping::StoredMappingV5>,
}

/// An upload record with its findings in compact form: each check, resource
/// kind, file, resource, evidence condition and indeterminate reason once, in
/// a table; findings are rows of indices into them (see the module docs).
/// Also the shape `transfer::to_json` sends from the worker to the page.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoredUploadV2 {
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
    /// The first diagnostics (`model::MAX_DIAGNOSTICS`): `{"level", "message", "place"?}`.
    /// Version 3 and later; a version-2 document never has them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub diagnostic_lines: Vec<DiagnosticLine>,
    /// `[check id, severity, [control ids]]` rows.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub check_table: Vec<StoredCheckV2>,
    /// `[provider, kind, native type]` rows.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub kind_table: Vec<StoredKindV2>,
    /// Input file names (`SourceRef::file`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub file_table: Vec<String>,
    /// `[kind index, file index, id, name, pointer, line or null, account?]` rows.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub resource_table: Vec<StoredResourceV2>,
    /// `[property, expected]` rows: the conditions evidence refers to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub condition_table: Vec<StoredConditionV2>,
    /// Why findings are indeterminate (each text once).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reason_table: Vec<String>,
    /// `[check, resource, status, message?, reason?, evidence?]` rows.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub findings: Vec<StoredFindingV2>,
    /// Imported checks (version 4; `store_imported`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub import_check_table: Vec<super::store_imported::StoredImportCheckV4>,
    /// What imported findings add to their rows (version 4).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub imported: Vec<super::store_imported::StoredImportedV4>,
}

/// A check-table row: `[id, severity, [controls]]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredCheckV2(
    /// Check id.
    pub CheckId,
    /// Severity token.
    pub Severity,
    /// Control ids.
    pub Vec<ControlId>,
);

/// A kind-table row: `[provider, kind, native type]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredKindV2(
    /// Provider token.
    pub Provider,
    /// Canonical kind.
    pub String,
    /// Native type.
    pub String,
);

/// A resource-table row: `[kind index, file index, id, name, pointer, line or
/// null, account?]`; the account is left out when unknown (and in data saved
/// before it was kept).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredResourceV2(
    /// Index into the kind table.
    pub usize,
    /// Index into the file table.
    pub usize,
    /// Id or address.
    pub String,
    /// Name.
    pub String,
    /// JSON pointer into the input.
    pub String,
    /// 1-based line, if known.
    pub Option<u32>,
    /// Account, subscription or project, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub Option<String>,
);

/// A condition-table row: `[property, expected]`, or `[property, expected,
/// default]` when the observed values rest on a provider default (its token,
/// `ingest::defaults`; an unknown token reads as none).
#[derive(Debug, Clone, PartialEq)]
pub struct StoredConditionV2(
    /// Canonical property.
    pub String,
    /// The condition, in words.
    pub String,
    /// The provider default the observed values rest on.
    pub Option<String>,
);

impl Serialize for StoredConditionV2 {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = s.serialize_seq(Some(2 + usize::from(self.2.is_some())))?;
        seq.serialize_element(&self.0)?;
        seq.serialize_element(&self.1)?;
        if let Some(b) = &self.2 {
            seq.serialize_element(b)?;
        }
        seq.end()
    }
}

impl<'de> Deserialize<'de> for StoredConditionV2 {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Row;
        impl<'de> serde::de::Visitor<'de> for Row {
            type Value = StoredConditionV2;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("[property, expected] or [property, expected, default]")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<StoredConditionV2, A::Error> {
                let prop: String = seq.next_element()?.ok_or_else(|| serde::de::Error::invalid_length(0, &self))?;
                let expected: String = seq.next_element()?.ok_or_else(|| serde::de::Error::invalid_length(1, &self))?;
                let basis: Option<String> = seq.next_element()?;
                if seq.next_element::<serde::de::IgnoredAny>()?.is_some() {
                    return Err(serde::de::Error::invalid_length(4, &self));
                }
                Ok(StoredConditionV2(prop, expected, basis))
            }
        }
        d.deserialize_seq(Row)
    }
}

/// A finding row: `[check, resource, status, message?, reason?, evidence?]`,
/// trailing absent items left out, inner ones `null`.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredFindingV2 {
    /// Index into the check table.
    pub check: usize,
    /// Index into the resource table.
    pub resource: usize,
    /// Status code: 0 pass, 1 fail, 2 indeterminate, 3 not applicable.
    pub status: Status,
    /// The message; `None` when it is the standard one
    /// (`checks::push_standard_message`), rebuilt on load.
    pub message: Option<String>,
    /// Index into the reason table.
    pub reason: Option<usize>,
    /// Evidence (never for passing findings).
    pub evidence: Vec<StoredEvidenceV2>,
}

/// An evidence entry: `[condition, pointer]` (nothing observed) or
/// `[condition, pointer, observed]`. A pointer starting with `.` is relative
/// to the resource's pointer (`.` + the rest); one starting with `!` is the
/// rest, as given.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredEvidenceV2 {
    /// Index into the condition table.
    pub condition: usize,
    /// JSON pointer of the native attribute (absolute, empty, or `.`-relative).
    pub pointer: String,
    /// Observed value (present, possibly `null`, or absent); shared with the
    /// findings it comes from or goes to, never copied.
    pub observed: Option<Arc<Value>>,
}

/// The status codes of finding rows, in code order.
const STATUS_CODES: [Status; 4] = [Status::Pass, Status::Fail, Status::Indeterminate, Status::NotApplicable];

fn status_code(s: Status) -> u8 {
    match s {
        Status::Pass => 0,
        Status::Fail => 1,
        Status::Indeterminate => 2,
        Status::NotApplicable => 3,
    }
}

mod rows {
    //! Hand-written serde for the variable-length rows (clear errors for
    //! wrong arity and unknown status codes).
    use super::{status_code, StoredEvidenceV2, StoredFindingV2, STATUS_CODES};
    use serde::de::{self, IgnoredAny, SeqAccess, Visitor};
    use serde::ser::SerializeSeq;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    use serde_json::Value;
    use std::fmt;

    impl Serialize for StoredFindingV2 {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            let len = if !self.evidence.is_empty() {
                6
            } else if self.reason.is_some() {
                5
            } else if self.message.is_some() {
                4
            } else {
                3
            };
            let mut seq = s.serialize_seq(Some(len))?;
            seq.serialize_element(&self.check)?;
            seq.serialize_element(&self.resource)?;
            seq.serialize_element(&status_code(self.status))?;
            if len > 3 {
                seq.serialize_element(&self.message)?;
            }
            if len > 4 {
                seq.serialize_element(&self.reason)?;
            }
            if len > 5 {
                seq.serialize_element(&self.evidence)?;
            }
            seq.end()
        }
    }

    struct FindingVisitor;

    impl<'de> Visitor<'de> for FindingVisitor {
        type Value = StoredFindingV2;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a finding row [check, resource, status, message?, reason?, evidence?] of 3 to 6 items")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<StoredFindingV2, A::Error> {
            let check: usize = seq.next_element()?.ok_or_else(|| de::Error::invalid_length(0, &self))?;
            let resource: usize = seq.next_element()?.ok_or_else(|| de::Error::invalid_length(1, &self))?;
            let code: u64 = seq.next_element()?.ok_or_else(|| de::Error::invalid_length(2, &self))?;
            let status = usize::try_from(code).ok().and_then(|c| STATUS_CODES.get(c)).copied().ok_or_else(|| {
                de::Error::custom(format_args!(
                    "unknown finding status code {code}; expected 0 (pass), 1 (fail), 2 (indeterminate) or 3 (not applicable)"
                ))
            })?;
            let message: Option<String> = seq.next_element::<Option<String>>()?.flatten();
            let reason: Option<usize> = seq.next_element::<Option<usize>>()?.flatten();
            let evidence: Vec<StoredEvidenceV2> = seq.next_element()?.unwrap_or_default();
            if seq.next_element::<IgnoredAny>()?.is_some() {
                return Err(de::Error::invalid_length(7, &self));
            }
            Ok(StoredFindingV2 { check, resource, status, message, reason, evidence })
        }
    }

    impl<'de> Deserialize<'de> for StoredFindingV2 {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            d.deserialize_seq(FindingVisitor)
        }
    }

    impl Serialize for StoredEvidenceV2 {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            let mut seq = s.serialize_seq(Some(if self.observed.is_some() { 3 } else { 2 }))?;
            seq.serialize_element(&self.condition)?;
            seq.serialize_element(&self.pointer)?;
            if let Some(v) = &self.observed {
                seq.serialize_element(v)?;
            }
            seq.end()
        }
    }

    struct EvidenceVisitor;

    impl<'de> Visitor<'de> for EvidenceVisitor {
        type Value = StoredEvidenceV2;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("an evidence entry [condition, pointer, observed?] of 2 or 3 items")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<StoredEvidenceV2, A::Error> {
            let condition: usize = seq.next_element()?.ok_or_else(|| de::Error::invalid_length(0, &self))?;
            let pointer: String = seq.next_element()?.ok_or_else(|| de::Error::invalid_length(1, &self))?;
            let observed: Option<std::sync::Arc<Value>> = seq.next_element::<Value>()?.map(std::sync::Arc::new);
            if seq.next_element::<IgnoredAny>()?.is_some() {
                return Err(de::Error::invalid_length(4, &self));
            }
            Ok(StoredEvidenceV2 { condition, pointer, observed })
        }
    }

    impl<'de> Deserialize<'de> for StoredEvidenceV2 {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            d.deserialize_seq(EvidenceVisitor)
        }
    }
}

impl TryFrom<StoredV1> for StoredV2 {
    type Error = LoadError;
    /// Compacts the uploads (dropping the evidence of passing findings and
    /// messages that can be rebuilt); nothing else changes.
    fn try_from(v1: StoredV1) -> Result<Self, LoadError> {
        fn workspace(w: StoredWorkspaceV1, ctx: &str) -> Result<StoredWorkspaceV2, LoadError> {
            let mut uploads = Vec::with_capacity(w.uploads.len());
            for (i, u) in w.uploads.into_iter().enumerate() {
                let mut record = upload_from_v1(u, &format!("{ctx}, upload {}", i + 1))?;
                record.drop_pass_evidence();
                uploads.push(StoredUploadV2::from(&record));
            }
            Ok(StoredWorkspaceV2 {
                id: w.id,
                name: w.name,
                created: w.created,
                modified: w.modified,
                scope: w.scope,
                answers: w.answers,
                decisions: w.decisions,
                uploads,
                evidence: BTreeMap::new(),
                decision_batches: Vec::new(),
                attest: Default::default(),
                mappings: Vec::new(),
            })
        }
        let mut workspaces = Vec::with_capacity(v1.workspaces.len());
        for (i, w) in v1.workspaces.into_iter().enumerate() {
            workspaces.push(workspace(w, &format!("assessment {}", i + 1))?);
        }
        let trash = match v1.trash {
            None => None,
            Some(t) => Some(StoredTrashV2 { index: t.index, workspace: workspace(t.workspace, "the deleted assessment")? }),
        };
        Ok(StoredV2 { format: v1.format, version: VERSION, active: v1.active, workspaces, trash })
    }
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
    /// Now the current shape ([`StoredV2`] types, version [`VERSION`]); `from` is the version found ([`VERSION`] = no migration).
    Current {
        /// The document in the current shape (not yet validated).
        doc: StoredV2,
        /// Version found.
        from: u32,
    },
    /// Written by a newer build; left alone.
    Newer(u64),
}

/// The fields [`migrate`] reads before choosing a version's shape (present =
/// `Some`, even when `null`); the rest is only checked for syntax here, not
/// built, so a large document is parsed into values once, not twice.
#[derive(Deserialize)]
struct Header {
    #[serde(default, deserialize_with = "present")]
    format: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    version: Option<Value>,
    #[serde(default, deserialize_with = "present_any")]
    workspaces: Option<()>,
    #[serde(default, deserialize_with = "present_any")]
    answers: Option<()>,
}

fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(d).map(Some)
}

fn present_any<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<()>, D::Error> {
    IgnoredAny::deserialize(d).map(|_| Some(()))
}

/// Read the version of a document (after checking it is one of ours) and
/// bring it to the current shape through the migration chain (0 → 1 → 2 →
/// 3 → 4 → 5; 2 → 3, 3 → 4 and 4 → 5 only add optional fields). A future
/// version that changes a shape adds its own `Stored…` and a step from this
/// shape here.
pub fn migrate(json: &str) -> Result<Migration, LoadError> {
    if !json.trim_start().starts_with('{') {
        serde_json::from_str::<IgnoredAny>(json).map_err(|e| syntax(&e))?;
        return Err(LoadError::NotAWorkspace("the top level is not an object".into()));
    }
    let obj: Header = serde_json::from_str(json).map_err(|e| syntax(&e))?;
    match &obj.format {
        None => {}
        Some(Value::String(f)) if f == FORMAT => {}
        Some(Value::String(f)) => return Err(LoadError::WrongFormat { found: clip(f, 80) }),
        Some(other) => return Err(LoadError::WrongFormat { found: clip(&other.to_string(), 80) }),
    }
    let version = match &obj.version {
        Some(Value::Number(n)) => n.as_u64().ok_or_else(|| LoadError::BadVersion(clip(&n.to_string(), 40)))?,
        Some(other) => return Err(LoadError::BadVersion(clip(&other.to_string(), 40))),
        None if obj.workspaces.is_some() => {
            return Err(LoadError::NotAWorkspace("the \"version\" field is missing".into()))
        }
        None => 0,
    };
    if version > u64::from(VERSION) {
        return Ok(Migration::Newer(version));
    }
    if version >= 1 && obj.format.is_none() {
        return Err(LoadError::NotAWorkspace("the \"format\" field is missing".into()));
    }
    if version == 0 {
        if obj.answers.is_none() {
            return Err(LoadError::NotAWorkspace(
                "it has neither a \"workspaces\" list nor the \"answers\" of a version-0 assessment".into(),
            ));
        }
        let v0: StoredV0 = serde_json::from_str(json).map_err(|e| shape(&e))?;
        return Ok(Migration::Current { doc: StoredV2::try_from(StoredV1::try_from(v0)?)?, from: 0 });
    }
    if version == 1 {
        let v1: StoredV1 = serde_json::from_str(json).map_err(|e| shape(&e))?;
        return Ok(Migration::Current { doc: StoredV2::try_from(v1)?, from: 1 });
    }
    let mut doc: StoredV2 = serde_json::from_str(json).map_err(|e| shape(&e))?;
    if (2..=4).contains(&version) {
        let kept = doc.workspaces.iter().chain(doc.trash.as_ref().map(|t| &t.workspace));
        if kept.clone().any(|w| !w.evidence.is_empty() || !w.decision_batches.is_empty()) {
            return Err(LoadError::NotAWorkspace(format!("a version-{version} document has no evidence checklists or decision batches; this one was changed by hand")));
        }
        if kept.clone().any(|w| !w.mappings.is_empty()) {
            return Err(LoadError::NotAWorkspace(format!("a version-{version} document has no \"mappings\"; this one was changed by hand")));
        }
        doc.version = VERSION;
    }
    if version == 2 || version == 3 {
        let uploads = doc.workspaces.iter().chain(doc.trash.as_ref().map(|t| &t.workspace)).flat_map(|w| &w.uploads);
        if version == 2 && uploads.clone().any(|u| !u.diagnostic_lines.is_empty()) {
            return Err(LoadError::NotAWorkspace("a version-2 document has no \"diagnostic_lines\"; this one was changed by hand".into()));
        }
        if uploads.clone().any(|u| !u.imported.is_empty() || !u.import_check_table.is_empty()) {
            return Err(LoadError::NotAWorkspace(format!("a version-{version} document has no imported findings; this one was changed by hand")));
        }
        doc.version = VERSION;
    }
    if version <= 4 {
        if doc.workspaces.iter().chain(doc.trash.as_ref().map(|t| &t.workspace)).any(|w| !w.attest.is_empty()) {
            return Err(LoadError::NotAWorkspace(format!("a version-{version} document has no provider attestations; this one was changed by hand")));
        }
        doc.version = VERSION;
    }
    Ok(Migration::Current { doc, from: version as u32 })
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
    import_own(json)
}

/// [`import`] without its size cap, for text this app made from an
/// assessment it already holds: what the page hands its worker to make an
/// export ([`export_workspace`]). Everything is still validated.
pub fn import_own(json: &str) -> Result<Workspaces, ImportError> {
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
    serde_json::to_string(&StoredV2::from(ws)).unwrap_or_default()
}

/// The document for a file the user keeps (pretty; trash left out).
pub fn export(ws: &Workspaces) -> String {
    let mut doc = StoredV2::from(ws);
    doc.trash = None;
    let mut out = Vec::new();
    let mut ser = serde_json::Serializer::with_formatter(&mut out, RowsFormatter::default());
    match doc.serialize(&mut ser) {
        Ok(()) => String::from_utf8(out).unwrap_or_default(),
        Err(_) => String::new(),
    }
}

/// serde_json's pretty layout (two-space indent), except that an array
/// directly inside an array — a row of a compact table — is written on one
/// line with everything in it. Keeps an exported file readable (one finding
/// per line) and about as small as the stored form.
#[derive(Default)]
struct RowsFormatter {
    indent: usize,
    has_value: bool,
    /// For each open container: is it an array?
    open: Vec<bool>,
    /// Open containers inside the current one-line row (0 = not in a row).
    in_row: usize,
}

impl RowsFormatter {
    fn newline<W: ?Sized + std::io::Write>(&self, w: &mut W) -> std::io::Result<()> {
        w.write_all(b"\n")?;
        for _ in 0..self.indent {
            w.write_all(b"  ")?;
        }
        Ok(())
    }
    fn begin<W: ?Sized + std::io::Write>(&mut self, w: &mut W, array: bool) -> std::io::Result<()> {
        let row = self.in_row > 0 || (array && self.open.last() == Some(&true));
        self.open.push(array);
        if row {
            self.in_row += 1;
        } else {
            self.indent += 1;
            self.has_value = false;
        }
        w.write_all(if array { b"[" } else { b"{" })
    }
    fn end<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        let array = self.open.pop().unwrap_or(true);
        if self.in_row > 0 {
            self.in_row -= 1;
        } else {
            self.indent = self.indent.saturating_sub(1);
            if self.has_value {
                self.newline(w)?;
            }
        }
        w.write_all(if array { b"]" } else { b"}" })
    }
    fn item<W: ?Sized + std::io::Write>(&mut self, w: &mut W, first: bool) -> std::io::Result<()> {
        if !first {
            w.write_all(b",")?;
        }
        if self.in_row == 0 {
            self.newline(w)?;
        }
        Ok(())
    }
}

impl serde_json::ser::Formatter for RowsFormatter {
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.begin(w, true)
    }
    fn end_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.end(w)
    }
    fn begin_array_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W, first: bool) -> std::io::Result<()> {
        self.item(w, first)
    }
    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, _w: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
    fn begin_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.begin(w, false)
    }
    fn end_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.end(w)
    }
    fn begin_object_key<W: ?Sized + std::io::Write>(&mut self, w: &mut W, first: bool) -> std::io::Result<()> {
        self.item(w, first)
    }
    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        w.write_all(if self.in_row > 0 { b":" } else { b": " })
    }
    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, _w: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// The document for one assessment (pretty; re-importable with [`import`],
/// where it becomes a list of one, active). The "JSON (full)" report export.
pub fn export_workspace(w: &Workspace) -> String {
    let doc = StoredV2 {
        format: FORMAT.to_string(),
        version: VERSION,
        active: Some(w.id.as_str().to_string()),
        workspaces: vec![StoredWorkspaceV2::from(w)],
        trash: None,
    };
    let mut out = Vec::new();
    let mut ser = serde_json::Serializer::with_formatter(&mut out, RowsFormatter::default());
    match doc.serialize(&mut ser) {
        Ok(()) => String::from_utf8(out).unwrap_or_default(),
        Err(_) => String::new(),
    }
}

// ---------------------------------------------------------------- domain → stored

impl From<&Workspaces> for StoredV2 {
    fn from(ws: &Workspaces) -> Self {
        StoredV2 {
            format: FORMAT.to_string(),
            version: VERSION,
            active: ws.active.as_ref().map(|id| id.as_str().to_string()),
            workspaces: ws.list.iter().map(StoredWorkspaceV2::from).collect(),
            trash: ws
                .trash
                .as_ref()
                .map(|t| StoredTrashV2 { index: t.index, workspace: StoredWorkspaceV2::from(&t.workspace) }),
        }
    }
}

impl From<&Workspace> for StoredWorkspaceV2 {
    fn from(w: &Workspace) -> Self {
        StoredWorkspaceV2 {
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
            uploads: w.uploads.iter().map(StoredUploadV2::from).collect(),
            evidence: super::store_evidence::evidence_to_stored(&w.evidence),
            decision_batches: super::store_evidence::batches_to_stored(&w.batches),
            attest: super::store_attest::StoredAttestV5::from(&w.attest),
            mappings: super::store_mapping::to_stored(&w.mappings),
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

impl From<&UploadRecord> for StoredUploadV2 {
    /// The compact form: tables built in order of first use; a message is
    /// left out when it equals the standard one for the bundled rule.
    fn from(u: &UploadRecord) -> Self {
        stored_upload(u, &u.findings)
    }
}

/// [`StoredUploadV2`] of `u`'s metadata with `findings` (a slice of its
/// findings, for the worker's parts: nothing is cloned).
pub(super) fn stored_upload(u: &UploadRecord, findings: &[Finding]) -> StoredUploadV2 {
    {
        // The heads carry the message templates, all this needs (and all the page holds).
        let rules = RuleSet::bundled_heads();
        let mut out = StoredUploadV2 {
            name: u.name.clone(),
            size: u.size,
            sha256: u.sha256.clone(),
            format: u.format.map(|f| f.as_str().to_string()),
            resources: u.resources,
            diagnostics: u.diagnostics,
            diagnostic_lines: u.diagnostic_lines.clone(),
            ..StoredUploadV2::default()
        };
        let mut checks: HashMap<(&str, Severity, &[ControlId]), usize> = HashMap::new();
        let mut check_rules: Vec<Option<&Rule>> = Vec::new();
        let mut kinds: HashMap<(Provider, &str, &str), usize> = HashMap::new();
        let mut files: HashMap<&str, usize> = HashMap::new();
        type ResKey<'a> = (usize, usize, &'a str, &'a str, &'a Pointer, Option<u32>, Option<&'a str>);
        let mut resources: HashMap<ResKey<'_>, usize> = HashMap::new();
        // Findings about one resource share its `Arc`: look it up by address first.
        let mut by_address: HashMap<*const ResourceRef, usize> = HashMap::new();
        let mut conditions: HashMap<(&str, &str, Option<crate::ingest::defaults::DefaultId>), usize> = HashMap::new();
        let mut reasons: HashMap<&str, usize> = HashMap::new();
        let mut buf = String::new();
        out.findings.reserve_exact(findings.len());
        for f in findings {
            let next = checks.len();
            let check = *checks.entry((f.check.as_str(), f.severity, &f.controls)).or_insert_with(|| {
                out.check_table.push(StoredCheckV2(f.check.clone(), f.severity, f.controls.to_vec()));
                check_rules.push(rules.rule(f.check.as_str()));
                next
            });
            let r = &f.resource;
            let resource = match by_address.get(&Arc::as_ptr(r)) {
                Some(&i) => i,
                None => {
                    let next = kinds.len();
                    let kind = *kinds.entry((r.provider, r.kind.as_str(), r.native_type.as_str())).or_insert_with(|| {
                        out.kind_table.push(StoredKindV2(r.provider, r.kind.to_string(), r.native_type.to_string()));
                        next
                    });
                    let next = files.len();
                    let file = *files.entry(&r.source.file).or_insert_with(|| {
                        out.file_table.push(r.source.file.to_string());
                        next
                    });
                    let next = resources.len();
                    let i = *resources.entry((kind, file, &r.id, &r.name, &r.source.pointer, r.source.line, r.account.as_deref())).or_insert_with(|| {
                        out.resource_table.push(StoredResourceV2(
                            kind,
                            file,
                            r.id.to_string(),
                            r.name.to_string(),
                            r.source.pointer.to_string(),
                            r.source.line,
                            r.account.as_deref().map(str::to_string),
                        ));
                        next
                    });
                    by_address.insert(Arc::as_ptr(r), i);
                    i
                }
            };
            let rule = check_rules.get(check).copied().flatten();
            // A message the evaluation keeps as the rule's template is the
            // standard one without writing it out.
            let template = match (rule, f.status) {
                (Some(rule), Status::Pass) => Some(rule.message_pass.as_str()),
                (Some(rule), Status::Fail) => Some(rule.message_fail.as_str()),
                _ => None,
            };
            let message = if template.is_some_and(|t| f.message.is_template(t, &r.name, &r.id)) {
                None
            } else {
                buf.clear();
                let standard = push_standard_message(&mut buf, rule, f.status, &r.name, &r.id, f.reason.as_deref());
                (!standard || !f.message.eq_str(&buf)).then(|| f.message.to_string())
            };
            let reason = f.reason.as_deref().map(|text| {
                let next = reasons.len();
                *reasons.entry(text).or_insert_with(|| {
                    out.reason_table.push(text.to_string());
                    next
                })
            });
            let evidence = f
                .evidence
                .iter()
                .map(|e| {
                    let next = conditions.len();
                    let basis = e.condition.basis;
                    let condition = *conditions.entry((e.prop(), e.expected(), basis)).or_insert_with(|| {
                        out.condition_table.push(StoredConditionV2(e.prop().to_string(), e.expected().to_string(), basis.map(|b| b.token().to_string())));
                        next
                    });
                    let pointer = match e.pointer.rest_under(&r.source.pointer) {
                        Some(rest) => format!(".{rest}"),
                        // Not a pointer, but kept as given.
                        _ if e.pointer.starts_with(".") || e.pointer.starts_with("!") => format!("!{}", e.pointer),
                        _ => e.pointer.to_string(),
                    };
                    StoredEvidenceV2 { condition, pointer, observed: e.observed.clone() }
                })
                .collect();
            out.findings.push(StoredFindingV2 { check, resource, status: f.status, message, reason, evidence });
        }
        if findings.iter().any(|f| f.origin.is_some()) {
            let (checks, imported) = super::store_imported::tables(findings);
            out.import_check_table = checks;
            out.imported = imported;
        }
        out
    }
}

/// A compact upload record back in the domain, every index checked (the
/// rest is validated with the workspace, or by [`UploadRecord::validate`]).
/// Left-out messages are rebuilt from the bundled rule; should the rule be
/// gone, the message says which check gave which status.
pub(super) fn upload_from_stored(u: StoredUploadV2, ctx: &str) -> Result<UploadRecord, LoadError> {
    let bad = |message: String| LoadError::Shape { line: 0, column: 0, message: format!("{ctx}: {message}") };
    let format = format_from_token(u.format, ctx)?;
    // The heads carry the message templates, all this needs (and all the page holds).
    let rules = RuleSet::bundled_heads();
    // Per check-table row: what every finding of it shares, and its rule.
    // The rule's pass and fail templates are shared by the rebuilt messages.
    type CheckRow<'r> = (CheckId, Severity, Arc<[ControlId]>, Option<(&'r Rule, Arc<str>, Arc<str>)>);
    let checks: Vec<CheckRow<'_>> = u
        .check_table
        .into_iter()
        .map(|StoredCheckV2(id, severity, controls)| {
            let rule = rules
                .rule(id.as_str())
                .map(|rule| (rule, Arc::from(rule.message_pass.as_str()), Arc::from(rule.message_fail.as_str())));
            (id, severity, Arc::from(controls), rule)
        })
        .collect();
    // One shared copy of each kind and native type.
    let kind_texts: Vec<(Text, Text)> =
        u.kind_table.iter().map(|StoredKindV2(_, kind, native_type)| (Text::from(kind), Text::from(native_type))).collect();
    let index = |what: &str, i: usize, table: &str, len: usize| {
        bad(format!("{what} refers to entry {i} of the {table}, which has {len} entries"))
    };
    let mut resources: Vec<Arc<ResourceRef>> = Vec::with_capacity(u.resource_table.len());
    // Accounts repeat across a file's resources: one shared copy of each.
    let mut accounts: HashMap<String, Text> = HashMap::new();
    for (n, StoredResourceV2(kind, file, id, name, pointer, line, account)) in u.resource_table.into_iter().enumerate() {
        let what = || format!("resource {}", n + 1);
        let StoredKindV2(provider, ..) =
            u.kind_table.get(kind).ok_or_else(|| index(&what(), kind, "kind table", u.kind_table.len()))?;
        let (kind, native_type) = kind_texts.get(kind).ok_or_else(|| index(&what(), kind, "kind table", kind_texts.len()))?;
        let file = u.file_table.get(file).ok_or_else(|| index(&what(), file, "file table", u.file_table.len()))?;
        resources.push(Arc::new(ResourceRef {
            provider: *provider,
            kind: kind.clone(),
            native_type: native_type.clone(),
            id: id.into(),
            name: name.into(),
            account: account.map(|a| accounts.entry(a).or_insert_with_key(|a| Text::from(a.as_str())).clone()),
            source: SourceRef { file: file.clone().into(), pointer: pointer.into(), line },
        }));
    }
    let conditions: Vec<Arc<Condition>> = u
        .condition_table
        .into_iter()
        .map(|StoredConditionV2(prop, expected, basis)| {
            let basis = basis.as_deref().and_then(crate::ingest::defaults::DefaultId::find);
            Arc::new(Condition { prop: prop.into(), expected: expected.into(), basis })
        })
        .collect();
    let empty = Pointer::default();
    let mut findings = Vec::with_capacity(u.findings.len());
    for (n, row) in u.findings.into_iter().enumerate() {
        let what = || format!("finding {}", n + 1);
        let (check, severity, controls, rule) =
            checks.get(row.check).ok_or_else(|| index(&what(), row.check, "check table", checks.len()))?;
        let resource =
            resources.get(row.resource).ok_or_else(|| index(&what(), row.resource, "resource table", resources.len()))?;
        let reason = match row.reason {
            None => None,
            Some(i) => Some(u.reason_table.get(i).ok_or_else(|| index(&what(), i, "reason table", u.reason_table.len()))?.clone()),
        };
        let message = match (row.message, rule, row.status) {
            (Some(m), ..) => Message::from(m),
            (None, Some((_, pass, _)), Status::Pass) => Message::template(pass.clone(), resource.clone()),
            (None, Some((_, _, fail)), Status::Fail) => Message::template(fail.clone(), resource.clone()),
            (None, ..) => {
                let mut m = String::new();
                let rule = rule.as_ref().map(|(rule, ..)| *rule);
                if !push_standard_message(&mut m, rule, row.status, &resource.name, &resource.id, reason.as_deref()) {
                    push_message(&mut m, "{resource}", &resource.name, &resource.id);
                    m.push_str(": ");
                    m.push_str(check.as_str());
                    m.push_str(": ");
                    m.push_str(row.status.as_str());
                }
                Message::from(m)
            }
        };
        let mut evidence = EvidenceList::with_capacity(row.evidence.len());
        for e in row.evidence {
            let condition =
                conditions.get(e.condition).ok_or_else(|| index(&what(), e.condition, "condition table", conditions.len()))?;
            let pointer = match e.pointer.strip_prefix('.') {
                _ if e.pointer.is_empty() => empty.clone(),
                None if e.pointer.starts_with('!') => Pointer::from(e.pointer.get(1..).unwrap_or("")),
                Some(rest) => Pointer::under(&resource.source.pointer, rest),
                None => Pointer::from(e.pointer),
            };
            evidence.push(Evidence { condition: condition.clone(), pointer, observed: e.observed });
        }
        findings.push(Finding {
            check: check.clone(),
            controls: controls.clone(),
            status: row.status,
            severity: *severity,
            resource: resource.clone(),
            message,
            reason: reason.map(Arc::from),
            evidence,
            origin: None,
        });
    }
    super::store_imported::restore(&mut findings, u.import_check_table, u.imported, ctx)?;
    Ok(UploadRecord {
        name: u.name,
        size: u.size,
        sha256: u.sha256,
        format,
        resources: u.resources,
        diagnostics: u.diagnostics,
        diagnostic_lines: u.diagnostic_lines,
        findings,
    })
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
                id: r.id.into(),
                name: r.name.into(),
                account: None,
                source: SourceRef { file: r.file.into(), pointer: r.pointer.into(), line: r.line },
            }
            .into(),
            message: f.message.into(),
            reason: f.reason.map(Arc::from),
            evidence: f
                .evidence
                .into_iter()
                .map(|e| Evidence::new(&e.prop, &e.expected, e.pointer.into(), e.observed.map(Arc::new)))
                .collect(),
            origin: None,
        }
    }
}

// ---------------------------------------------------------------- stored → domain

fn date(s: Option<String>) -> Result<Option<IsoDate>, WorkspaceError> {
    s.map(|d| d.parse::<IsoDate>()).transpose()
}

fn workspace_from(s: StoredWorkspaceV2, context: &str) -> Result<Workspace, LoadError> {
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
        uploads.push(upload_from_stored(u, &format!("{ctx}, upload {}", i + 1))?);
    }
    let evidence = super::store_evidence::evidence_from_stored(s.evidence, &ctx)?;
    let batches = super::store_evidence::batches_from_stored(s.decision_batches, &ctx)?;
    let attest = super::store_attest::restore(s.attest, &ctx)?;
    let mappings = super::store_mapping::from_stored(s.mappings).map_err(invalid)?;
    let w = Workspace { id, name, created: s.created, modified: s.modified, scope, answers, decisions, uploads, evidence, batches, attest, mappings };
    w.validate().map_err(invalid)?;
    Ok(w)
}

fn format_from_token(token: Option<String>, ctx: &str) -> Result<Option<Format>, LoadError> {
    match token {
        None => Ok(None),
        Some(token) => Ok(Some(Format::from_token(&token).ok_or_else(|| LoadError::Shape {
            line: 0,
            column: 0,
            message: format!("{ctx}: {:?} is not a known export format", clip(&token, 40)),
        })?)),
    }
}

/// A version-1 upload record in the domain, with its format token checked.
fn upload_from_v1(u: StoredUploadV1, ctx: &str) -> Result<UploadRecord, LoadError> {
    Ok(UploadRecord {
        name: u.name,
        size: u.size,
        sha256: u.sha256,
        format: format_from_token(u.format, ctx)?,
        resources: u.resources,
        diagnostics: u.diagnostics,
        diagnostic_lines: Vec::new(),
        findings: u.findings.into_iter().map(Finding::from).collect(),
    })
}

impl TryFrom<StoredV2> for Workspaces {
    type Error = LoadError;
    fn try_from(s: StoredV2) -> Result<Self, LoadError> {
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
    use crate::workspace::model::MAX_TEXT_BYTES;

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
        assert_eq!(import(newer), Err(ImportError::NewerVersion { version: 7, supported: VERSION }));
        let catalog = r#"{"format":"iso27017-assessor/catalog","version":1}"#;
        assert!(matches!(load(catalog), LoadOutcome::Corrupt { error: LoadError::WrongFormat { .. }, .. }));
        assert!(matches!(load("[1]"), LoadOutcome::Corrupt { error: LoadError::NotAWorkspace(_), .. }));
        assert!(matches!(load("{}"), LoadOutcome::Corrupt { error: LoadError::NotAWorkspace(_), .. }));
        assert!(matches!(load(r#"{"version":-1}"#), LoadOutcome::Corrupt { error: LoadError::BadVersion(_), .. }));
        assert!(matches!(load(r#"{"version":"1"}"#), LoadOutcome::Corrupt { error: LoadError::BadVersion(_), .. }));
        assert!(matches!(load(r#"{"version":1,"workspaces":[]}"#), LoadOutcome::Corrupt { error: LoadError::NotAWorkspace(_), .. }));
    }

    fn with_diagnostics() -> Workspaces {
        let mut ws = sample();
        let lines = vec![
            DiagnosticLine { level: "info".into(), message: "1 resource was not assessed".into(), place: None },
            DiagnosticLine { level: "warning".into(), message: "odd value".into(), place: Some("plan.json#/resource_changes/3".into()) },
        ];
        let record = UploadRecord::new("plan.json", b"{}", Some(Format::TerraformPlan), 0, 5, Vec::new()).with_diagnostic_lines(lines);
        ws.active_mut().unwrap().upsert_upload(record, 1_700_000_000_003).unwrap();
        ws
    }

    #[test]
    fn diagnostics_are_kept_with_the_upload() {
        let ws = with_diagnostics();
        let text = save(&ws);
        assert!(text.starts_with("{\"format\":\"iso27017-assessor/workspace\",\"version\":5,"));
        assert!(text.contains("\"diagnostic_lines\":[{\"level\":\"info\""));
        assert_eq!(load(&text), LoadOutcome::Loaded(ws.clone()));
        assert_eq!(import(&export(&ws)).unwrap().list(), ws.list());
        // What the browser saves on every change keeps them too.
        let light = ws.without_findings();
        assert_eq!(light.active().unwrap().uploads()[0].diagnostic_lines.len(), 2);
    }

    #[test]
    fn version_2_migrates_to_3_unchanged_and_never_has_diagnostic_lines() {
        let ws = sample();
        let v2 = save(&ws).replacen("\"version\":5", "\"version\":2", 1);
        assert_eq!(load(&v2), LoadOutcome::Migrated(ws.clone(), 2));
        assert_eq!(import(&v2).unwrap().list(), ws.list());
        // Saved again, it is the current version.
        let LoadOutcome::Migrated(migrated, 2) = load(&v2) else { panic!() };
        assert!(save(&migrated).contains("\"version\":5"));
        // Version 3 (no imported findings) migrates unchanged too.
        let v3 = save(&with_diagnostics()).replacen("\"version\":5", "\"version\":3", 1);
        assert_eq!(load(&v3), LoadOutcome::Migrated(with_diagnostics(), 3));
        // A version-2 document was never written with diagnostic lines.
        let edited = save(&with_diagnostics()).replacen("\"version\":5", "\"version\":2", 1);
        assert!(matches!(load(&edited), LoadOutcome::Corrupt { error: LoadError::NotAWorkspace(_), .. }), "{:?}", load(&edited));
    }

    #[test]
    fn hostile_diagnostic_lines_are_refused() {
        let text = save(&with_diagnostics());
        for (from, to) in [
            ("\"level\":\"info\"", "\"level\":\"x onmouseover\""),
            ("\"diagnostics\":5", "\"diagnostics\":1"),
            ("\"message\":\"odd value\"", "\"message\":1"),
        ] {
            let bad = text.replacen(from, to, 1);
            assert_ne!(bad, text, "{from}");
            assert!(matches!(load(&bad), LoadOutcome::Corrupt { .. }), "{to}: {:?}", load(&bad));
        }
        let long = text.replacen("odd value", &"x".repeat(MAX_TEXT_BYTES + 1), 1);
        assert!(matches!(load(&long), LoadOutcome::Corrupt { .. }));
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
