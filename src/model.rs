//! Shared vocabulary of the engine: typed ids and the small enums every module
//! speaks (roles, service models, responsibility, control kinds).
//!
//! **Invariant:** no I/O, no web dependency; every enum has one `as_str()` used
//! for CSS classes, URLs and serialised forms, and a matching `FromStr`.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Error for a string that is not a valid value of one of the model's types.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{value:?} is not a valid {what}; expected {expected}")]
pub struct ParseModelError {
    /// The rejected input (trimmed to 60 characters).
    pub value: String,
    /// What was being parsed ("control id", "role", …).
    pub what: &'static str,
    /// A human description of the accepted values.
    pub expected: &'static str,
}

impl ParseModelError {
    pub(crate) fn new(value: &str, what: &'static str, expected: &'static str) -> Self {
        Self { value: value.chars().take(60).collect(), what, expected }
    }
}

/// A control id of the catalog: `9.1.2` (27002:2013 numbering) or `CLD.9.5.1`
/// (27017 cloud extended control). Syntax-checked, not existence-checked: ask
/// the catalog whether it knows the id.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ControlId(String);

impl ControlId {
    /// The id as written in the standard.
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// True for the seven `CLD.` controls that 27017 adds.
    pub fn is_cloud_extended(&self) -> bool {
        self.0.starts_with("CLD.")
    }
    /// The clause number (5–18) the control sits in.
    pub fn clause(&self) -> u8 {
        let numeric = self.0.strip_prefix("CLD.").unwrap_or(&self.0);
        // Syntax was validated on construction: first segment is 1–2 digits.
        numeric.split('.').next().and_then(|s| s.parse().ok()).unwrap_or(0)
    }
    /// Sort key following the standard's numbering (9.2.10 after 9.2.9; CLD
    /// controls sort among their numeric neighbours).
    pub fn sort_key(&self) -> Vec<u32> {
        let numeric = self.0.strip_prefix("CLD.").unwrap_or(&self.0);
        numeric.split('.').filter_map(|s| s.parse().ok()).collect()
    }
}

impl FromStr for ControlId {
    type Err = ParseModelError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        let (prefix, numeric) = match t.get(..4) {
            Some(p) if p.eq_ignore_ascii_case("CLD.") => ("CLD.", &t[4..]),
            _ => ("", t),
        };
        let parts: Vec<&str> = numeric.split('.').collect();
        let ok = parts.len() == 3
            && parts.iter().all(|p| !p.is_empty() && p.len() <= 2 && p.bytes().all(|b| b.is_ascii_digit()));
        if !ok {
            return Err(ParseModelError::new(s, "control id", "a number like 9.1.2 or CLD.9.5.1"));
        }
        Ok(ControlId(format!("{prefix}{numeric}")))
    }
}

impl TryFrom<String> for ControlId {
    type Error = ParseModelError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<ControlId> for String {
    fn from(id: ControlId) -> String {
        id.0
    }
}

impl fmt::Display for ControlId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Declares an enum of stable lower-case tokens with labels, serde names,
/// `ALL`, `as_str()`, `label()`, `FromStr` and `Display`.
macro_rules! string_enum {
    ($(#[$m:meta])* $name:ident, $what:literal, $expected:literal, { $($(#[$vm:meta])* $var:ident = $s:literal, $label:literal;)+ }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        pub enum $name {
            $($(#[$vm])* #[serde(rename = $s)] $var,)+
        }
        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name] = &[$($name::$var,)+];
            /// Stable lower-case token (URLs, CSS classes, JSON).
            pub fn as_str(self) -> &'static str {
                match self { $($name::$var => $s,)+ }
            }
            /// Human label.
            pub fn label(self) -> &'static str {
                match self { $($name::$var => $label,)+ }
            }
        }
        impl std::str::FromStr for $name {
            type Err = $crate::model::ParseModelError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                let t = s.trim();
                $(if t.eq_ignore_ascii_case($s) { return Ok($name::$var); })+
                Err($crate::model::ParseModelError::new(s, $what, $expected))
            }
        }
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.label())
            }
        }
    };
}
/// Shared by every module that needs a token enum (one `as_str`/`label`/`FromStr` shape).
pub(crate) use string_enum;

string_enum!(
    /// The two parties 27017 writes guidance for.
    Role, "role", "csc or csp", {
        /// Cloud service customer.
        Csc = "csc", "Cloud service customer";
        /// Cloud service provider.
        Csp = "csp", "Cloud service provider";
    }
);

string_enum!(
    /// Cloud service models whose responsibility split the catalog records.
    ServiceModel, "service model", "iaas, paas or saas", {
        /// Infrastructure as a service.
        Iaas = "iaas", "IaaS";
        /// Platform as a service.
        Paas = "paas", "PaaS";
        /// Software as a service.
        Saas = "saas", "SaaS";
    }
);

string_enum!(
    /// Who carries a control for the customer's use of a service.
    Responsibility, "responsibility", "csc, csp or shared", {
        /// The customer.
        Csc = "csc", "Customer";
        /// The provider.
        Csp = "csp", "Provider";
        /// Both, each for its own part.
        Shared = "shared", "Shared";
    }
);

impl Responsibility {
    /// Does this split give `role` something to do?
    pub fn involves(self, role: Role) -> bool {
        matches!(
            (self, role),
            (Responsibility::Shared, _) | (Responsibility::Csc, Role::Csc) | (Responsibility::Csp, Role::Csp)
        )
    }
}

string_enum!(
    /// What 27017 does with a control.
    ControlKind, "control kind", "cloud-guidance, cloud-extended or no-extra-guidance", {
        /// A 27002 control for which 27017 adds cloud-specific guidance.
        CloudGuidance = "cloud-guidance", "Cloud-specific guidance";
        /// One of the seven `CLD.` controls 27017 defines.
        CloudExtended = "cloud-extended", "Cloud extended control";
        /// A 27002 control applied as is.
        NoExtraGuidance = "no-extra-guidance", "27002 control, no cloud additions";
    }
);

impl ControlKind {
    /// Does 27017 add cloud-specific content for this control?
    pub fn has_cloud_guidance(self) -> bool {
        !matches!(self, ControlKind::NoExtraGuidance)
    }
}

string_enum!(
    /// How a 2013→2022 correspondence was established.
    MappingBasis, "mapping basis", "official-annex-b or analyst", {
        /// From the correspondence table published in ISO/IEC 27002:2022.
        OfficialAnnexB = "official-annex-b", "Official correspondence (ISO/IEC 27002:2022)";
        /// Suggested by analysts; no official mapping exists (CLD controls).
        Analyst = "analyst", "Suggested mapping";
    }
);

string_enum!(
    /// ISO/IEC 27002:2022 control themes.
    Theme, "theme", "organizational, people, physical or technological", {
        /// Clause 5.
        Organizational = "organizational", "Organizational";
        /// Clause 6.
        People = "people", "People";
        /// Clause 7.
        Physical = "physical", "Physical";
        /// Clause 8.
        Technological = "technological", "Technological";
    }
);

string_enum!(
    /// How bad a failing check is.
    Severity, "severity", "info, low, medium, high or critical", {
        /// Worth knowing.
        Info = "info", "Info";
        /// Minor weakness.
        Low = "low", "Low";
        /// Should be fixed.
        Medium = "medium", "Medium";
        /// Fix soon.
        High = "high", "High";
        /// Fix now.
        Critical = "critical", "Critical";
    }
);

string_enum!(
    /// Result of one check on one resource, and of a control's roll-up.
    Status, "status", "pass, fail, indeterminate or not_applicable", {
        /// The secure condition holds.
        Pass = "pass", "Pass";
        /// The secure condition does not hold.
        Fail = "fail", "Fail";
        /// The export does not say (value unknown or absent); the reason is in the finding.
        Indeterminate = "indeterminate", "Unknown";
        /// No resource the check applies to.
        NotApplicable = "not_applicable", "Not applicable";
    }
);

impl Status {
    /// Roll-up of several results: Fail dominates, then Indeterminate, then
    /// Pass; NotApplicable is neutral. The empty roll-up is NotApplicable.
    pub fn combine(results: impl IntoIterator<Item = Status>) -> Status {
        let mut acc = Status::NotApplicable;
        for s in results {
            acc = match (acc, s) {
                (Status::Fail, _) | (_, Status::Fail) => Status::Fail,
                (Status::Indeterminate, _) | (_, Status::Indeterminate) => Status::Indeterminate,
                (Status::Pass, _) | (_, Status::Pass) => Status::Pass,
                _ => Status::NotApplicable,
            };
        }
        acc
    }
}

/// A check id: `aws_s3_bucket_default_encryption`, `any_object_storage_not_public`.
/// Lower-case snake_case, 3–80 characters; ids never change meaning (mint `_v2`).
/// An imported scanner's check is `tool:ID` (`prowler:s3_bucket_default_encryption`,
/// `checkov:CKV_AWS_19`, `trivy:AVD-AWS-0086`): the tool's name, then its id as written.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CheckId(std::sync::Arc<str>);

impl CheckId {
    /// An id built by the engine in the check id syntax (no check made).
    pub(crate) fn trusted(s: &str) -> CheckId {
        CheckId(std::sync::Arc::from(s))
    }
    /// The id.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for CheckId {
    type Err = ParseModelError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let ours = |s: &str| {
            (3..=80).contains(&s.len())
                && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
                && s.as_bytes()[0].is_ascii_lowercase()
        };
        // An imported scanner's check: `tool:ID`, the tool in our syntax and
        // the id as the tool writes it (`checkov:CKV_AWS_19`, `securityhub:S3.1`).
        let imported = |s: &str| {
            s.split_once(':').is_some_and(|(tool, id)| {
                (1..=30).contains(&tool.len())
                    && tool.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
                    && tool.as_bytes()[0].is_ascii_lowercase()
                    && (1..=120).contains(&id.len())
                    && id.bytes().all(|b| b.is_ascii_alphanumeric() || b"_.-/:+".contains(&b))
            })
        };
        if ours(s) || imported(s) {
            Ok(CheckId(std::sync::Arc::from(s)))
        } else {
            Err(ParseModelError::new(s, "check id", "lower-case snake_case like aws_s3_bucket_versioning, or tool:ID like checkov:CKV_AWS_19"))
        }
    }
}

impl TryFrom<String> for CheckId {
    type Error = ParseModelError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<CheckId> for String {
    fn from(id: CheckId) -> String {
        id.0.to_string()
    }
}

impl fmt::Display for CheckId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_ids_parse_and_normalise() {
        assert_eq!("cld.9.5.1".parse::<ControlId>().unwrap().as_str(), "CLD.9.5.1");
        assert_eq!(" 12.4.1 ".parse::<ControlId>().unwrap().as_str(), "12.4.1");
        for bad in ["", "9.1", "9.1.2.3", "CLD.", "a.b.c", "9..2", "123.1.1", "9.1.2<script>"] {
            assert!(bad.parse::<ControlId>().is_err(), "{bad} should be rejected");
        }
    }

    #[test]
    fn sort_key_is_numeric() {
        let a: ControlId = "9.2.9".parse().unwrap();
        let b: ControlId = "9.2.10".parse().unwrap();
        assert!(a.sort_key() < b.sort_key());
        assert_eq!("CLD.12.4.5".parse::<ControlId>().unwrap().clause(), 12);
    }

    #[test]
    fn status_combine_fail_dominates() {
        use Status::*;
        assert_eq!(Status::combine([]), NotApplicable);
        assert_eq!(Status::combine([Pass, NotApplicable]), Pass);
        assert_eq!(Status::combine([Pass, Indeterminate]), Indeterminate);
        assert_eq!(Status::combine([Indeterminate, Fail, Pass]), Fail);
        assert!("Bad-Id".parse::<CheckId>().is_err());
        assert!("aws_s3_bucket_versioning".parse::<CheckId>().is_ok());
        for ok in ["checkov:CKV_AWS_19", "securityhub:S3.1", "trivy:AVD-AWS-0086", "kics:a227ec01-f97a-4084-91a4-47b350c1db54"] {
            assert!(ok.parse::<CheckId>().is_ok(), "{ok}");
        }
        for bad in ["Checkov:CKV_AWS_19", ":x", "checkov:", "checkov:<b>", "checkov:a b", "x:\u{e9}"] {
            assert!(bad.parse::<CheckId>().is_err(), "{bad}");
        }
    }

    #[test]
    fn enums_round_trip() {
        for m in ServiceModel::ALL {
            assert_eq!(m.as_str().parse::<ServiceModel>().unwrap(), *m);
        }
        assert!("PAAS".parse::<ServiceModel>().is_ok());
        assert!("faas".parse::<ServiceModel>().is_err());
        assert!(Responsibility::Shared.involves(Role::Csp));
        assert!(!Responsibility::Csc.involves(Role::Csp));
    }
}
