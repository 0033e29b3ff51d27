//! The normalised inventory: the one model between the parsers (`ingest`) and
//! the checks. Every parser maps its format's native attributes onto the
//! canonical kinds and property names documented in `docs/inventory.md`, so a
//! check about "object storage is not public" is written once for S3, Azure
//! Storage and GCS.
//!
//! **Invariant:** a property the source does not know (Terraform
//! `after_unknown`, an unresolved ARM or CloudFormation expression) is
//! [`Prop::Unknown`], never a default: checks turn it into `Indeterminate`.
//! **Invariant:** every resource and every property keeps a pointer back to
//! the place in the input it came from.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// Where a resource or value came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceRef {
    /// Name of the input (file name as given by the user).
    pub file: String,
    /// RFC 6901 JSON pointer into the (decoded) document, e.g.
    /// `/resource_changes/3/change/after`. For YAML it points into the
    /// document's JSON equivalent, prefixed with the document index (`/2/spec`).
    pub pointer: String,
    /// 1-based line, where the format gives one (CSV, YAML, NDJSON).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
}

/// Cloud or platform a resource belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Provider {
    /// Amazon Web Services.
    Aws,
    /// Microsoft Azure.
    Azure,
    /// Google Cloud.
    Gcp,
    /// Kubernetes (any distribution).
    Kubernetes,
}

impl Provider {
    /// Stable token.
    pub fn as_str(self) -> &'static str {
        match self {
            Provider::Aws => "aws",
            Provider::Azure => "azure",
            Provider::Gcp => "gcp",
            Provider::Kubernetes => "kubernetes",
        }
    }
}

/// A property value as the source states it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Prop {
    /// The source gives this value.
    Known {
        /// The value (normalised: booleans are booleans, numbers numbers).
        value: Value,
        /// Pointer to the native attribute it was read from.
        #[serde(default, skip_serializing_if = "String::is_empty")]
        pointer: String,
    },
    /// The source says the value exists but cannot be known yet.
    Unknown {
        /// Why (e.g. "known after apply", "unresolved expression [parameters('x')]").
        reason: String,
        /// Pointer to the native attribute.
        #[serde(default, skip_serializing_if = "String::is_empty")]
        pointer: String,
    },
}

impl Prop {
    /// A known value with its origin.
    pub fn known(value: impl Into<Value>, pointer: impl Into<String>) -> Prop {
        Prop::Known { value: value.into(), pointer: pointer.into() }
    }
    /// An unknown value with its reason and origin.
    pub fn unknown(reason: impl Into<String>, pointer: impl Into<String>) -> Prop {
        Prop::Unknown { reason: reason.into(), pointer: pointer.into() }
    }
    /// The value, if known.
    pub fn value(&self) -> Option<&Value> {
        match self {
            Prop::Known { value, .. } => Some(value),
            Prop::Unknown { .. } => None,
        }
    }
    /// Pointer to the native attribute.
    pub fn pointer(&self) -> &str {
        match self {
            Prop::Known { pointer, .. } | Prop::Unknown { pointer, .. } => pointer,
        }
    }
}

/// One cloud resource, normalised.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Resource {
    /// Cloud or platform.
    pub provider: Provider,
    /// Canonical kind (see `docs/inventory.md`), e.g. `object_bucket`.
    pub kind: String,
    /// The source's own type name (`aws_s3_bucket`, `AWS::S3::Bucket`, `Microsoft.Storage/storageAccounts`…).
    pub native_type: String,
    /// Stable id: Terraform address, ARN, ARM id, CAI name, `namespace/Kind/name`, logical id.
    pub id: String,
    /// Human name.
    pub name: String,
    /// Region or location, where known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// Account, subscription or project, where known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    /// Where the resource is in the input.
    pub source: SourceRef,
    /// Canonical properties (names in `docs/inventory.md`).
    #[serde(default)]
    pub props: BTreeMap<String, Prop>,
}

impl Resource {
    /// Look up a property by name.
    pub fn prop(&self, name: &str) -> Option<&Prop> {
        self.props.get(name)
    }
    /// Set a known property.
    pub fn set(&mut self, name: &str, value: impl Into<Value>, pointer: impl Into<String>) {
        self.props.insert(name.to_string(), Prop::known(value, pointer));
    }
    /// Set an unknown property.
    pub fn set_unknown(&mut self, name: &str, reason: impl Into<String>, pointer: impl Into<String>) {
        self.props.insert(name.to_string(), Prop::unknown(reason, pointer));
    }
}

/// How serious a parser diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DiagnosticLevel {
    /// Informational (e.g. a resource type we do not assess).
    Info,
    /// Part of the input was skipped.
    Warning,
    /// Part of the input could not be read.
    Error,
}

/// Something a parser wants the user to know about part of the input.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// Severity.
    pub level: DiagnosticLevel,
    /// What happened and what to do, in a sentence.
    pub message: String,
    /// Where.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<SourceRef>,
}

/// All resources read from the inputs.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Inventory {
    /// Resources in input order.
    pub resources: Vec<Resource>,
}

impl Inventory {
    /// Resources of one canonical kind.
    pub fn of_kind<'a>(&'a self, kind: &'a str) -> impl Iterator<Item = &'a Resource> + 'a {
        self.resources.iter().filter(move |r| r.kind == kind)
    }
    /// Append another inventory.
    pub fn extend(&mut self, other: Inventory) {
        self.resources.extend(other.resources);
    }
}

/// Escape one JSON pointer token (RFC 6901).
pub fn pointer_token(s: &str) -> String {
    s.replace('~', "~0").replace('/', "~1")
}
