//! Storage of provider attestations and provider parts (workspace version
//! 5): one optional object per assessment, left out when empty,
//!
//! ```json
//! "attest": {
//!   "attestations": [{"id", "provider", "provider_name"?, "document", "document_name"?,
//!                     "issuer", "issued", "expires", "services"?, "regions"?, "portal", "reference"?}],
//!   "inherited": {"<control id>": {"part": "inherited" | "shared", "attestations": ["<id>", …]}}
//! }
//! ```
//!
//! Tokens are `attest::AttestProvider`, `DocumentType`, `Portal` and
//! `ProviderPart`; dates are `YYYY-MM-DD`.
//! **Invariant:** nothing here is a domain type serialized directly; loading
//! checks every field as the setters do (`attest::Attest::validate`).

use super::attest::{AttestProvider, Attest, Attestation, AttestationDraft, DocumentType, Inheritance, Portal, ProviderPart};
use super::model::{IsoDate, WorkspaceError};
use super::store::LoadError;
use crate::model::ControlId;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The provider side of one assessment.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoredAttestV5 {
    /// The attestations, in the order recorded.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attestations: Vec<StoredAttestationV5>,
    /// Provider parts by control id.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub inherited: BTreeMap<String, StoredInheritanceV5>,
}

impl StoredAttestV5 {
    /// Nothing recorded (the field is left out).
    pub fn is_empty(&self) -> bool {
        self.attestations.is_empty() && self.inherited.is_empty()
    }
}

/// One attestation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoredAttestationV5 {
    /// `att-…`.
    pub id: String,
    /// `aws`, `azure`, `gcp` or `other`.
    pub provider: AttestProvider,
    /// The other provider's name.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub provider_name: String,
    /// Document type token.
    pub document: DocumentType,
    /// The other document's name.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub document_name: String,
    /// Certification body or auditor.
    pub issuer: String,
    /// `YYYY-MM-DD`.
    pub issued: String,
    /// `YYYY-MM-DD` (expiry or report period end).
    pub expires: String,
    /// Services in scope.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub services: Vec<String>,
    /// Regions in scope.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub regions: Vec<String>,
    /// Portal token.
    pub portal: Portal,
    /// Reference to the copy kept.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reference: String,
}

/// A control's provider part.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoredInheritanceV5 {
    /// `inherited` or `shared`.
    pub part: ProviderPart,
    /// Attestation ids cited.
    pub attestations: Vec<String>,
}

impl From<&Attest> for StoredAttestV5 {
    fn from(a: &Attest) -> Self {
        StoredAttestV5 {
            attestations: a
                .attestations()
                .iter()
                .map(|a| {
                    let d = &a.draft;
                    StoredAttestationV5 {
                        id: a.id.as_str().to_string(),
                        provider: d.provider,
                        provider_name: d.provider_name.clone(),
                        document: d.document,
                        document_name: d.document_name.clone(),
                        issuer: d.issuer.clone(),
                        issued: d.issued.to_string(),
                        expires: d.expires.to_string(),
                        services: d.services.clone(),
                        regions: d.regions.clone(),
                        portal: d.portal,
                        reference: d.reference.clone(),
                    }
                })
                .collect(),
            inherited: a
                .inherited()
                .iter()
                .map(|(c, i)| {
                    (
                        c.to_string(),
                        StoredInheritanceV5 { part: i.part, attestations: i.attestations.iter().map(|a| a.as_str().to_string()).collect() },
                    )
                })
                .collect(),
        }
    }
}

/// The domain value of a stored provider side, validated; `ctx` names the assessment in errors.
pub fn restore(s: StoredAttestV5, ctx: &str) -> Result<Attest, LoadError> {
    let invalid = |source: WorkspaceError| LoadError::Invalid { context: format!("{ctx}, provider attestations"), source };
    let mut attestations = Vec::with_capacity(s.attestations.len());
    for a in s.attestations {
        let date = |t: &str| t.parse::<IsoDate>().map_err(invalid);
        attestations.push(Attestation {
            id: a.id.parse().map_err(|e| invalid(WorkspaceError::from(e)))?,
            draft: AttestationDraft {
                provider: a.provider,
                provider_name: a.provider_name,
                document: a.document,
                document_name: a.document_name,
                issuer: a.issuer,
                issued: date(&a.issued)?,
                expires: date(&a.expires)?,
                services: a.services,
                regions: a.regions,
                portal: a.portal,
                reference: a.reference,
            },
        });
    }
    let mut inherited = BTreeMap::new();
    for (key, i) in s.inherited {
        let control: ControlId = key.parse().map_err(|e: crate::model::ParseModelError| LoadError::Shape {
            line: 0,
            column: 0,
            message: format!("{ctx}: {e}"),
        })?;
        let mut ids = Vec::with_capacity(i.attestations.len());
        for id in i.attestations {
            ids.push(id.parse().map_err(|e| invalid(WorkspaceError::from(e)))?);
        }
        inherited.insert(control, Inheritance { part: i.part, attestations: ids });
    }
    let attest = Attest::from_parts(attestations, inherited);
    attest.validate().map_err(invalid)?;
    Ok(attest)
}
