//! Where the providers publish their attestations: one portal per provider,
//! its sign-in address (shown as a link, never fetched by the app) and the
//! provider's documentation page that describes it, with the day we last
//! checked both. Data only; `attest` reads it.

crate::model::string_enum!(
    /// Where an attestation was obtained.
    Portal, "portal", "aws-artifact, microsoft-stp, google-crm or other", {
        /// AWS Artifact (AWS console).
        AwsArtifact = "aws-artifact", "AWS Artifact";
        /// Microsoft Service Trust Portal.
        MicrosoftStp = "microsoft-stp", "Microsoft Service Trust Portal";
        /// Google Cloud Compliance Reports Manager.
        GoogleCrm = "google-crm", "Google Cloud Compliance Reports Manager";
        /// Elsewhere (the provider, the certification body, the auditor).
        Other = "other", "Elsewhere";
    }
);

/// A provider's attestation portal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PortalInfo {
    /// Which portal.
    pub portal: Portal,
    /// Where to sign in and download (https; a link for people, never fetched).
    pub url: &'static str,
    /// The provider's page describing the portal.
    pub doc_url: &'static str,
    /// Its title.
    pub doc_title: &'static str,
    /// Day both links were last checked.
    pub last_verified: &'static str,
}

/// The three portals.
pub const PORTALS: &[PortalInfo] = &[
    PortalInfo {
        portal: Portal::AwsArtifact,
        url: "https://console.aws.amazon.com/artifact/",
        doc_url: "https://docs.aws.amazon.com/artifact/latest/ug/what-is-aws-artifact.html",
        doc_title: "AWS Artifact User Guide: what is AWS Artifact",
        last_verified: "2026-12-07",
    },
    PortalInfo {
        portal: Portal::MicrosoftStp,
        url: "https://servicetrust.microsoft.com/",
        doc_url: "https://learn.microsoft.com/en-us/purview/get-started-with-service-trust-portal",
        doc_title: "Microsoft Service Trust Portal: get started",
        last_verified: "2026-12-07",
    },
    PortalInfo {
        portal: Portal::GoogleCrm,
        url: "https://cloud.google.com/security/compliance/compliance-reports-manager",
        doc_url: "https://cloud.google.com/security/compliance/compliance-reports-manager",
        doc_title: "Google Cloud Compliance Reports Manager",
        last_verified: "2026-12-07",
    },
];

impl Portal {
    /// The portal's links, `None` for [`Portal::Other`].
    pub fn info(self) -> Option<&'static PortalInfo> {
        PORTALS.iter().find(|p| p.portal == self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_named_portal_has_https_links_and_a_real_date() {
        for p in Portal::ALL.iter().filter(|p| **p != Portal::Other) {
            let info = p.info().unwrap();
            assert!(info.url.starts_with("https://") && info.doc_url.starts_with("https://"), "{p:?}");
            assert!(info.last_verified.parse::<crate::workspace::IsoDate>().is_ok());
        }
        assert!(Portal::Other.info().is_none());
    }
}
