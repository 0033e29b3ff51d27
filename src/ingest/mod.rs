//! Ingest: bytes of a cloud configuration export → normalised [`Inventory`]
//! plus diagnostics. Formats are detected by content, never by file name.
//!
//! Pipeline: [`decode`] (gzip, BOM, UTF-16) → [`detect`] (which format) →
//! the format's parser (one file per format) → [`Parsed`].
//!
//! **Invariant:** never panics, never allocates without bound: input size,
//! decompressed size, nesting depth and YAML node count are capped by
//! [`Limits`], and each refusal is an [`IngestError`] that says what to do.
//! **Invariant:** a parser that understands the format returns `Ok` even when
//! some resources are broken; those become [`Diagnostic`]s.

mod aws_config;
mod aws_keys;
mod aws_iam;
mod azure;
mod cloudformation;
mod decode;
pub mod defaults;
mod detect;
pub mod fragment;
mod gcp_cai;
pub mod json;
mod kinds;
mod kubernetes;
pub mod scanners;
mod stream;
mod terraform;
pub mod util;
pub mod yaml;

pub use decode::decode;
pub use detect::{detect, Detected, Document};
pub use fragment::{fragment, Fragment, FragmentError, Place};

use crate::inventory::{Diagnostic, Inventory};
use serde::{Deserialize, Serialize};

/// Resource limits for one input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest accepted input, in bytes (compressed size for gzip).
    pub max_input_bytes: usize,
    /// Largest accepted decompressed size of a gzip input.
    pub max_decompressed_bytes: usize,
    /// Deepest accepted nesting of JSON/YAML.
    pub max_depth: usize,
    /// Most YAML nodes (after alias expansion) accepted in one input.
    pub max_yaml_nodes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_input_bytes: 512 << 20,
            max_decompressed_bytes: 1 << 30,
            max_depth: 128,
            max_yaml_nodes: 5_000_000,
        }
    }
}

/// The export formats we read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// `terraform show -json` of a plan.
    TerraformPlan,
    /// `terraform show -json` of a state.
    TerraformState,
    /// A raw `terraform.tfstate` (version 4).
    TerraformRawState,
    /// AWS Config configuration items (snapshot, history, API results, rule events).
    AwsConfig,
    /// AWS IAM credential report (CSV, or the API's JSON wrapper).
    AwsCredentialReport,
    /// `aws iam get-account-authorization-details`.
    AwsAuthorizationDetails,
    /// Azure Resource Manager template.
    AzureArmTemplate,
    /// Azure resources from ARM REST, `az … list` or Resource Graph.
    AzureResources,
    /// GCP Cloud Asset Inventory export (NDJSON or JSON array).
    GcpAssetInventory,
    /// Kubernetes manifests or `kubectl get -o json|yaml`.
    Kubernetes,
    /// AWS CloudFormation template (JSON or YAML).
    CloudFormation,
    /// Prowler findings, OCSF JSON (`-M json-ocsf`).
    ProwlerOcsf,
    /// Prowler findings, CSV (`;`-separated, `-M csv`).
    ProwlerCsv,
    /// AWS Security Hub findings (ASFF): `get-findings` output, a bare list, or EventBridge events.
    SecurityHubAsff,
    /// Checkov JSON report (`-o json`): one report or a list of them.
    CheckovJson,
    /// SARIF 2.1.0 from any scanner (Trivy, KICS, tfsec, Checkov, …).
    Sarif,
}

impl Format {
    /// Every format.
    pub const ALL: &'static [Format] = &[
        Format::TerraformPlan,
        Format::TerraformState,
        Format::TerraformRawState,
        Format::AwsConfig,
        Format::AwsCredentialReport,
        Format::AwsAuthorizationDetails,
        Format::AzureArmTemplate,
        Format::AzureResources,
        Format::GcpAssetInventory,
        Format::Kubernetes,
        Format::CloudFormation,
    ];
    /// The findings files of other scanners we import (not in [`Format::ALL`],
    /// which lists the configuration exports the checks read).
    pub const SCANNERS: &'static [Format] =
        &[Format::ProwlerOcsf, Format::ProwlerCsv, Format::SecurityHubAsff, Format::CheckovJson, Format::Sarif];
    /// Is this another scanner's findings file (imported, not assessed)?
    pub fn is_scanner(self) -> bool {
        Format::SCANNERS.contains(&self)
    }
    /// A format by its token ([`Format::as_str`]), configuration export or scanner.
    pub fn from_token(token: &str) -> Option<Format> {
        Format::ALL.iter().chain(Format::SCANNERS).copied().find(|f| f.as_str() == token)
    }
    /// Stable token (JSON, CLI).
    pub fn as_str(self) -> &'static str {
        match self {
            Format::TerraformPlan => "terraform_plan",
            Format::TerraformState => "terraform_state",
            Format::TerraformRawState => "terraform_raw_state",
            Format::AwsConfig => "aws_config",
            Format::AwsCredentialReport => "aws_credential_report",
            Format::AwsAuthorizationDetails => "aws_authorization_details",
            Format::AzureArmTemplate => "azure_arm_template",
            Format::AzureResources => "azure_resources",
            Format::GcpAssetInventory => "gcp_asset_inventory",
            Format::Kubernetes => "kubernetes",
            Format::CloudFormation => "cloudformation",
            Format::ProwlerOcsf => "prowler_ocsf",
            Format::ProwlerCsv => "prowler_csv",
            Format::SecurityHubAsff => "securityhub_asff",
            Format::CheckovJson => "checkov_json",
            Format::Sarif => "sarif",
        }
    }
    /// Human name.
    pub fn label(self) -> &'static str {
        match self {
            Format::TerraformPlan => "Terraform plan (terraform show -json)",
            Format::TerraformState => "Terraform state (terraform show -json)",
            Format::TerraformRawState => "Terraform state file (terraform.tfstate)",
            Format::AwsConfig => "AWS Config configuration items",
            Format::AwsCredentialReport => "AWS IAM credential report",
            Format::AwsAuthorizationDetails => "AWS IAM account authorization details",
            Format::AzureArmTemplate => "Azure Resource Manager template",
            Format::AzureResources => "Azure resources (ARM REST / az CLI / Resource Graph)",
            Format::GcpAssetInventory => "GCP Cloud Asset Inventory",
            Format::Kubernetes => "Kubernetes manifests",
            Format::CloudFormation => "AWS CloudFormation template",
            Format::ProwlerOcsf => "Prowler findings (OCSF JSON)",
            Format::ProwlerCsv => "Prowler findings (CSV)",
            Format::SecurityHubAsff => "AWS Security Hub findings (ASFF)",
            Format::CheckovJson => "Checkov report (JSON)",
            Format::Sarif => "SARIF 2.1.0 scanner report",
        }
    }
}

/// Why an input could not be used at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IngestError {
    /// Nothing but whitespace.
    #[error("the file is empty")]
    Empty,
    /// Over the size limit.
    #[error("the file is {size} bytes, over the limit of {limit} bytes; split the export or raise the limit")]
    TooLarge {
        /// Actual size.
        size: u64,
        /// Limit.
        limit: u64,
    },
    /// Gzip expands past the limit.
    #[error("the gzip file expands to more than {limit} bytes; refusing to inflate it further (raise the limit if the export is genuine)")]
    DecompressedTooLarge {
        /// Limit.
        limit: u64,
    },
    /// Broken gzip.
    #[error("the gzip data is damaged or truncated: {0}")]
    Gzip(String),
    /// Binary content.
    #[error("this is a binary file (NUL byte at offset {offset}), not a JSON, YAML or CSV export")]
    Binary {
        /// Where the first NUL byte is.
        offset: u64,
    },
    /// Undecodable text.
    #[error("{0}")]
    Encoding(String),
    /// Syntax error with position.
    #[error("{format} syntax error at line {line}, column {column}: {message}")]
    Syntax {
        /// Format being read (`JSON`, `YAML`, `CSV`).
        format: &'static str,
        /// 1-based line.
        line: u64,
        /// 1-based column.
        column: u64,
        /// Parser message.
        message: String,
    },
    /// Nested too deeply.
    #[error("the document nests deeper than {limit} levels (near line {line}); real exports never do")]
    TooDeep {
        /// Limit.
        limit: usize,
        /// Where.
        line: u64,
    },
    /// Too many nodes.
    #[error("{0}")]
    TooComplex(String),
    /// Valid syntax, but no format we know.
    #[error("not a format we recognise: {0}")]
    Unrecognised(String),
}

/// The result of reading one input.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    /// Detected format.
    pub format: Format,
    /// Resources read.
    pub inventory: Inventory,
    /// What the user should know about the input.
    pub diagnostics: Vec<Diagnostic>,
    /// Another scanner's findings, when the input is a findings file (its
    /// inventory is then empty).
    pub imported: Vec<scanners::Imported>,
}

/// Read one input: decode, detect, parse.
pub fn parse(file: &str, bytes: &[u8], limits: &Limits) -> Result<Parsed, IngestError> {
    parse_text(file, bytes, limits).map(|mut parsed| {
        // The resource and property lists grow while a parser maps (and
        // joins); they are only read from now on (see `Resource::finish`).
        parsed.inventory.resources.shrink_to_fit();
        // AWS keys named only by ARN, settled by the input's own KMS keys.
        aws_keys::settle(&mut parsed.inventory.resources);
        for r in &mut parsed.inventory.resources {
            r.finish();
        }
        parsed
    })
}

fn parse_text(file: &str, bytes: &[u8], limits: &Limits) -> Result<Parsed, IngestError> {
    let text = decode(bytes, limits)?;
    // Other scanners' findings: read typed, element by element, never as one Value.
    if let Some(read) = scanners::sniff(&text) {
        return scanners::parse(file, read, &text, limits);
    }
    // Terraform plans and AWS Config snapshots: streamed, never one document Value.
    if let Some(parsed) = stream::parse(file, &text) {
        return Ok(parsed);
    }
    let detected = detect(&text, limits)?;
    let doc = &detected.document;
    let (inventory, diagnostics) = match detected.format {
        Format::TerraformPlan | Format::TerraformState | Format::TerraformRawState => terraform::parse(file, detected.format, doc)?,
        Format::AwsConfig => aws_config::parse(file, doc)?,
        Format::AwsCredentialReport => aws_iam::parse_credential_report(file, doc)?,
        Format::AwsAuthorizationDetails => aws_iam::parse_authorization_details(file, doc)?,
        Format::AzureArmTemplate => azure::parse_template(file, doc)?,
        Format::AzureResources => azure::parse_resources(file, doc)?,
        Format::GcpAssetInventory => gcp_cai::parse(file, doc)?,
        Format::Kubernetes => kubernetes::parse(file, doc)?,
        Format::CloudFormation => cloudformation::parse(file, doc)?,
        // Recognised on the parsed document (keys in an unusual order): read
        // again from the text, typed.
        f @ (Format::ProwlerOcsf | Format::ProwlerCsv | Format::SecurityHubAsff | Format::CheckovJson | Format::Sarif) => {
            return scanners::parse(file, f, &text, limits)
        }
    };
    Ok(Parsed { format: detected.format, inventory, diagnostics, imported: Vec::new() })
}

/// What every format parser returns: the resources, and what to tell the user.
pub(crate) type ParseOutput = Result<(Inventory, Vec<Diagnostic>), IngestError>;
