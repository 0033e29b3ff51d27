//! Storage of evidence checklists, compensating measures and decision
//! batches (workspace version 5), two optional fields of an assessment,
//! left out when empty:
//!
//! - `evidence`: `{"<control>": {"items": {"e1": {status, reference?,
//!   collected_on?, collected_by?}}, "compensation"?: {justification,
//!   reviewer, reviewed_on}}}`; a reference is `{kind: document | link |
//!   ticket | file, text, size?, sha256?}` (`size` and `sha256` for a file
//!   only: never the file itself);
//! - `decision_batches`: `[{id: "b-<n>", created, kind, reason, expires?,
//!   members: [[check, resource_id]], replaced: [decision]}]`, the recent
//!   batches of decisions made on many findings at once (their decisions are
//!   ordinary entries of `decisions`).
//!
//! **Invariant:** loading checks every item id against the bundled guidance,
//! every date, every size and digest (`evidence::EvidenceBook::validate`);
//! nothing here is a domain type serialized directly.

use super::evidence::{BatchId, Compensation, ControlEvidence, DecisionBatch, EvidenceBook, EvidenceEntry, EvidenceRef, EvidenceStatus, ReferenceKind};
use super::model::{FindingDecision, IsoDate, WorkspaceError};
use super::store::{LoadError, StoredDecisionV1};
use crate::catalog::EvidenceId;
use crate::model::{CheckId, ControlId, ParseModelError};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One control's checklist and compensation.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoredControlEvidenceV5 {
    /// Item records by item id (`e1`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub items: BTreeMap<String, StoredEvidenceEntryV5>,
    /// The compensating measure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compensation: Option<StoredCompensationV5>,
}

/// One evidence item's record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoredEvidenceEntryV5 {
    /// Status token.
    pub status: EvidenceStatus,
    /// Where it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<StoredReferenceV5>,
    /// `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collected_on: Option<String>,
    /// Who.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub collected_by: String,
}

/// A reference.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoredReferenceV5 {
    /// Kind token.
    pub kind: ReferenceKind,
    /// Document name, address, ticket or file name.
    pub text: String,
    /// A file's size in bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
    /// A file's SHA-256.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
}

/// A compensating measure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoredCompensationV5 {
    /// The measure and why it covers the failure.
    pub justification: String,
    /// Who reviewed it.
    pub reviewer: String,
    /// `YYYY-MM-DD`.
    pub reviewed_on: String,
}

/// A decision batch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoredBatchV5 {
    /// `b-<n>`.
    pub id: String,
    /// ms since the epoch.
    pub created: u64,
    /// The decision.
    pub kind: super::model::DecisionKind,
    /// Its reason.
    pub reason: String,
    /// `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
    /// (check, resource id) of each finding decided.
    pub members: Vec<(CheckId, String)>,
    /// Decisions the batch replaced.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub replaced: Vec<StoredDecisionV1>,
}

/// The stored form of a workspace's evidence.
pub fn evidence_to_stored(book: &EvidenceBook) -> BTreeMap<String, StoredControlEvidenceV5> {
    book.controls()
        .iter()
        .map(|(c, ce)| {
            let items = ce
                .items
                .iter()
                .map(|(id, e)| {
                    let reference = e.reference.as_ref().map(|r| match r {
                        EvidenceRef::File { name, size, sha256 } => StoredReferenceV5 { kind: ReferenceKind::File, text: name.clone(), size: Some(*size), sha256: Some(sha256.clone()) },
                        other => StoredReferenceV5 { kind: other.kind(), text: other.text().to_string(), size: None, sha256: None },
                    });
                    let entry = StoredEvidenceEntryV5 {
                        status: e.status,
                        reference,
                        collected_on: e.collected_on.map(|d| d.to_string()),
                        collected_by: e.collected_by.clone(),
                    };
                    (id.to_string(), entry)
                })
                .collect();
            let compensation = ce.compensation.as_ref().map(|k| StoredCompensationV5 {
                justification: k.justification.clone(),
                reviewer: k.reviewer.clone(),
                reviewed_on: k.reviewed_on.to_string(),
            });
            (c.to_string(), StoredControlEvidenceV5 { items, compensation })
        })
        .collect()
}

fn shape(message: String) -> LoadError {
    LoadError::Shape { line: 0, column: 0, message }
}

/// The evidence of a stored workspace, validated (`ctx` names the assessment).
pub fn evidence_from_stored(stored: BTreeMap<String, StoredControlEvidenceV5>, ctx: &str) -> Result<EvidenceBook, LoadError> {
    let mut book = EvidenceBook::default();
    for (key, s) in stored {
        let control: ControlId = key.parse().map_err(|e: ParseModelError| shape(format!("{ctx}, evidence: {e}")))?;
        let invalid = |source: WorkspaceError| LoadError::Invalid { context: format!("{ctx}, evidence of {control}"), source };
        let mut ce = ControlEvidence::default();
        for (item, e) in s.items {
            let id = EvidenceId::parse(&item)
                .ok_or_else(|| shape(format!("{ctx}, evidence of {control}: {:?} is not an evidence item id (e1, e2, …)", item.chars().take(20).collect::<String>())))?;
            let reference = match e.reference {
                None => None,
                Some(r) => Some(match (r.kind, r.size, r.sha256) {
                    (ReferenceKind::File, Some(size), Some(sha256)) => EvidenceRef::File { name: r.text, size, sha256 },
                    (ReferenceKind::File, _, _) => return Err(shape(format!("{ctx}, evidence {control}-{id}: a file reference needs its size and sha256"))),
                    (kind, None, None) => EvidenceRef::typed(kind, r.text).ok_or_else(|| shape(format!("{ctx}, evidence {control}-{id}: bad reference")))?,
                    (_, _, _) => return Err(shape(format!("{ctx}, evidence {control}-{id}: only a file reference has a size and sha256"))),
                }),
            };
            let collected_on = e.collected_on.map(|d| d.parse::<IsoDate>()).transpose().map_err(invalid)?;
            let entry = EvidenceEntry { status: e.status, reference, collected_on, collected_by: e.collected_by };
            entry.validate(&control, id).map_err(|e| invalid(e.into()))?;
            if !entry.is_default() {
                ce.items.insert(id, entry);
            }
        }
        if let Some(k) = s.compensation {
            let c = Compensation { justification: k.justification, reviewer: k.reviewer, reviewed_on: k.reviewed_on.parse().map_err(invalid)? };
            c.validate(&control).map_err(|e| invalid(e.into()))?;
            ce.compensation = Some(c);
        }
        if !ce.is_empty() {
            book.controls.insert(control, ce);
        }
    }
    Ok(book)
}

fn decision_to_stored(d: &FindingDecision) -> StoredDecisionV1 {
    StoredDecisionV1 {
        check: d.check.clone(),
        resource_id: d.resource_id.clone(),
        kind: d.kind,
        reason: d.reason.clone(),
        expires: d.expires.map(|e| e.to_string()),
    }
}

/// The stored form of a workspace's decision batches.
pub fn batches_to_stored(batches: &[DecisionBatch]) -> Vec<StoredBatchV5> {
    batches
        .iter()
        .map(|b| StoredBatchV5 {
            id: b.id.to_string(),
            created: b.created,
            kind: b.kind,
            reason: b.reason.clone(),
            expires: b.expires.map(|e| e.to_string()),
            members: b.members.clone(),
            replaced: b.replaced.iter().map(decision_to_stored).collect(),
        })
        .collect()
}

/// The decision batches of a stored workspace (sizes are checked with the
/// workspace, `Workspace::validate`).
pub fn batches_from_stored(stored: Vec<StoredBatchV5>, ctx: &str) -> Result<Vec<DecisionBatch>, LoadError> {
    let mut out = Vec::with_capacity(stored.len());
    for (i, b) in stored.into_iter().enumerate() {
        let here = format!("{ctx}, decision batch {}", i + 1);
        let invalid = |source: WorkspaceError| LoadError::Invalid { context: here.clone(), source };
        let id: BatchId = b.id.parse().map_err(|()| shape(format!("{here}: {:?} is not a batch id (b-<number>)", b.id.chars().take(30).collect::<String>())))?;
        let mut replaced = Vec::with_capacity(b.replaced.len());
        for d in b.replaced {
            let expires = d.expires.map(|e| e.parse::<IsoDate>()).transpose().map_err(invalid)?;
            replaced.push(FindingDecision { check: d.check, resource_id: d.resource_id, kind: d.kind, reason: d.reason, expires });
        }
        let expires = b.expires.map(|e| e.parse::<IsoDate>()).transpose().map_err(invalid)?;
        out.push(DecisionBatch { id, created: b.created, kind: b.kind, reason: b.reason, expires, members: b.members, replaced });
    }
    Ok(out)
}
