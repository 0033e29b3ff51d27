//! What each input format can give the checks: the canonical resource kinds its parser emits,
//! per provider, declared beside the parser (`terraform::KINDS`, …), and a short name for lists.
//!
//! **Invariant:** a table lists exactly the kinds its parser emits: `tests/ingest_kinds.rs` parses
//! every fixture in `tests/fixtures/ingest` and fails on a kind emitted but not declared, or declared
//! but emitted by no fixture (nor by the small documents that test adds where the fixtures have none).

use super::{aws_config, aws_iam, azure, cloudformation, gcp_cai, kubernetes, terraform, Format};
use crate::inventory::Provider;

impl Format {
    /// The canonical resource kinds (besides `other`) this format's parser can emit, with the
    /// provider of each (docs/inventory.md). Formats read by one parser share its table.
    pub fn kinds(self) -> &'static [(Provider, &'static str)] {
        match self {
            Format::TerraformPlan | Format::TerraformState | Format::TerraformRawState => terraform::KINDS,
            Format::AwsConfig => aws_config::KINDS,
            Format::AwsCredentialReport => aws_iam::CREDENTIAL_REPORT_KINDS,
            Format::AwsAuthorizationDetails => aws_iam::AUTHORIZATION_DETAILS_KINDS,
            Format::AzureArmTemplate | Format::AzureResources => azure::KINDS,
            Format::GcpAssetInventory => gcp_cai::KINDS,
            Format::Kubernetes => kubernetes::KINDS,
            Format::CloudFormation => cloudformation::KINDS,
            // Findings files give findings, not resources.
            Format::ProwlerOcsf | Format::ProwlerCsv | Format::SecurityHubAsff | Format::CheckovJson | Format::Sarif => &[],
        }
    }

    /// Can this format give a resource of `kind` for a check of `providers` (empty: any)?
    pub fn gives(self, kind: &str, providers: &[Provider]) -> bool {
        self.kinds().iter().any(|(p, k)| *k == kind && (providers.is_empty() || providers.contains(p)))
    }

    /// A short name for lists of formats (the Terraform plan and state formats share "Terraform").
    pub fn short_label(self) -> &'static str {
        match self {
            Format::TerraformPlan | Format::TerraformState | Format::TerraformRawState => "Terraform",
            Format::AwsConfig => "AWS Config",
            Format::AwsCredentialReport => "IAM credential report",
            Format::AwsAuthorizationDetails => "IAM authorization details",
            Format::AzureArmTemplate => "ARM template",
            Format::AzureResources => "Azure REST / Resource Graph",
            Format::GcpAssetInventory => "GCP Cloud Asset Inventory",
            Format::Kubernetes => "Kubernetes",
            Format::CloudFormation => "CloudFormation",
            Format::ProwlerOcsf | Format::ProwlerCsv => "Prowler",
            Format::SecurityHubAsff => "Security Hub",
            Format::CheckovJson => "Checkov",
            Format::Sarif => "SARIF",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_name_each_kind_once_and_never_other() {
        for f in Format::ALL {
            let kinds = f.kinds();
            assert!(!kinds.is_empty(), "{}", f.as_str());
            for (i, pair) in kinds.iter().enumerate() {
                assert_ne!(pair.1, "other", "{}", f.as_str());
                assert!(!kinds[..i].contains(pair), "{} lists {:?} twice", f.as_str(), pair);
            }
        }
    }

    #[test]
    fn gives_respects_the_checks_providers() {
        assert!(Format::TerraformPlan.gives("firewall", &[]));
        assert!(Format::TerraformPlan.gives("firewall", &[Provider::Gcp]));
        assert!(!Format::CloudFormation.gives("firewall", &[Provider::Gcp]));
        assert!(Format::AzureResources.gives("k8s_cluster", &[]));
        assert!(!Format::Kubernetes.gives("k8s_cluster", &[]));
    }
}
