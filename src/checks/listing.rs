//! The list of checks: for each check its id, title, severity, providers, resource kinds, controls
//! (each with the one line saying how the check evidences it) and the input formats that can feed
//! it; and the per-control index (control → the checks that evidence it). Written as a plain-text
//! table, versioned JSON (`iso27017-assessor/checks`, version 1) or Markdown (`docs/checks.md` is
//! this module's Markdown, kept equal by `tests/checks_listing.rs`).
//!
//! **Invariant:** derived from data only: the rules (`rule.toml`) and the kinds each format's
//! parser declares (`ingest::Format::kinds`); nothing here is a hand list per check. No I/O beyond
//! the given writer.

use super::{Rule, RuleSet};
use crate::catalog::Catalog;
use crate::ingest::Format;
use crate::inventory::Provider;
use crate::model::{string_enum, CheckId, ControlId, Severity};
use serde::Serialize;
use std::io::{self, Write};
use std::sync::OnceLock;

/// The `format` field of the JSON document.
pub const JSON_FORMAT: &str = "iso27017-assessor/checks";
/// The `version` field of the JSON document.
pub const JSON_VERSION: u32 = 1;

string_enum!(
    /// How the list is written.
    ListFormat, "check list format", "table, json or markdown", {
        /// Plain text for a terminal.
        Table = "table", "Table";
        /// Versioned JSON (`iso27017-assessor/checks`, version 1).
        Json = "json", "JSON";
        /// Markdown (`docs/checks.md`).
        Markdown = "markdown", "Markdown";
    }
);

/// Every provider, in display order.
const PROVIDERS: [Provider; 4] = [Provider::Aws, Provider::Azure, Provider::Gcp, Provider::Kubernetes];

/// A provider's name for people.
pub fn provider_label(p: Provider) -> &'static str {
    match p {
        Provider::Aws => "AWS",
        Provider::Azure => "Azure",
        Provider::Gcp => "Google Cloud",
        Provider::Kubernetes => "Kubernetes",
        Provider::Other => "Other",
    }
}

/// One check, with what follows from the data.
#[derive(Debug, Clone)]
pub struct CheckEntry<'a> {
    /// The rule.
    pub rule: &'a Rule,
    /// Providers whose resources it can read: the rule's own (all when it names none), kept where
    /// some format gives one of its kinds for that provider.
    pub providers: Vec<Provider>,
    /// The formats whose parser can give one of its kinds for one of its providers, in
    /// `Format::ALL` order.
    pub formats: Vec<Format>,
}

impl<'a> CheckEntry<'a> {
    fn new(rule: &'a Rule) -> CheckEntry<'a> {
        let gives = |f: &Format, p: Provider| f.kinds().iter().any(|(fp, k)| *fp == p && rule.kinds.iter().any(|rk| rk == k));
        let providers = PROVIDERS
            .into_iter()
            .filter(|p| rule.applies_to_provider(*p) && Format::ALL.iter().any(|f| gives(f, *p)))
            .collect::<Vec<_>>();
        let formats = Format::ALL.iter().copied().filter(|f| providers.iter().any(|p| gives(f, *p))).collect();
        CheckEntry { rule, providers, formats }
    }
    /// Check id.
    pub fn id(&self) -> &'a CheckId {
        &self.rule.id
    }
    /// The controls with their one-line reasons, in the rule's order.
    pub fn controls(&self) -> impl Iterator<Item = (&'a ControlId, &'a str)> + 'a {
        let rule = self.rule;
        rule.controls.iter().zip(rule.control_reasons.iter().map(String::as_str))
    }
    /// The formats' short names, each once (the Terraform plan and state formats are one "Terraform").
    pub fn format_labels(&self) -> Vec<&'static str> {
        short_labels(self.formats.iter().copied())
    }
    /// The formats that can give this check a resource of `provider`.
    pub fn formats_for(&self, provider: Provider) -> Vec<Format> {
        let rule = self.rule;
        self.formats
            .iter()
            .copied()
            .filter(|f| f.kinds().iter().any(|(p, k)| *p == provider && rule.kinds.iter().any(|rk| rk == k)))
            .collect()
    }
}

fn short_labels(formats: impl Iterator<Item = Format>) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    for f in formats {
        if !out.contains(&f.short_label()) {
            out.push(f.short_label());
        }
    }
    out
}

/// One check as the index of a control shows it.
#[derive(Debug, Clone, Copy)]
pub struct ControlCheck<'l, 'a> {
    /// The check.
    pub check: &'l CheckEntry<'a>,
    /// How it evidences the control, in one line (empty in a listing of rule heads).
    pub reason: &'a str,
}

/// Every check, and the per-control index.
#[derive(Debug)]
pub struct Listing<'a> {
    checks: Vec<CheckEntry<'a>>,
    /// Controls in document order (`ControlId::sort_key`), each with (check, control position).
    by_control: Vec<(ControlId, Vec<(usize, usize)>)>,
}

impl<'a> Listing<'a> {
    /// The listing of `rules` (in id order, as the set keeps them).
    pub fn new(rules: &'a RuleSet) -> Listing<'a> {
        let checks: Vec<CheckEntry<'a>> = rules.rules().iter().map(CheckEntry::new).collect();
        let mut by_control: Vec<(ControlId, Vec<(usize, usize)>)> = Vec::new();
        for (ci, c) in checks.iter().enumerate() {
            for (pos, control) in c.rule.controls.iter().enumerate() {
                match by_control.iter_mut().find(|(id, _)| id == control) {
                    Some((_, list)) => list.push((ci, pos)),
                    None => by_control.push((control.clone(), vec![(ci, pos)])),
                }
            }
        }
        by_control.sort_by(|(a, _), (b, _)| a.sort_key().cmp(&b.sort_key()).then_with(|| a.cmp(b)));
        Listing { checks, by_control }
    }
    /// Every check, in id order.
    pub fn checks(&self) -> &[CheckEntry<'a>] {
        &self.checks
    }
    /// The checks that evidence `control`, each with its reason (none for a control no check evidences).
    pub fn for_control(&self, control: &ControlId) -> Vec<ControlCheck<'_, 'a>> {
        self.by_control.iter().find(|(id, _)| id == control).map(|(_, list)| self.resolve(list)).unwrap_or_default()
    }
    /// Does some check evidence `control`?
    pub fn evidences(&self, control: &ControlId) -> bool {
        self.by_control.iter().any(|(id, _)| id == control)
    }
    /// Every control some check evidences, in document order, with its checks.
    pub fn controls(&self) -> impl Iterator<Item = (&ControlId, Vec<ControlCheck<'_, 'a>>)> + '_ {
        self.by_control.iter().map(|(id, list)| (id, self.resolve(list)))
    }
    fn resolve(&self, list: &[(usize, usize)]) -> Vec<ControlCheck<'_, 'a>> {
        list.iter()
            .filter_map(|&(ci, pos)| {
                let check = self.checks.get(ci)?;
                // A rule head has no reasons: the page reads them from the guidance asset.
                Some(ControlCheck { check, reason: check.rule.control_reasons.get(pos).map_or("", String::as_str) })
            })
            .collect()
    }
    /// The checks that can read resources of `provider`.
    pub fn for_provider(&self, provider: Provider) -> impl Iterator<Item = &CheckEntry<'a>> + '_ {
        self.checks.iter().filter(move |c| c.providers.contains(&provider))
    }
}

impl Listing<'static> {
    /// The listing of the bundled checks, made once.
    pub fn bundled() -> &'static Listing<'static> {
        static LISTING: OnceLock<Listing<'static>> = OnceLock::new();
        LISTING.get_or_init(|| Listing::new(RuleSet::bundled()))
    }
    /// The listing of the bundled rule heads ([`RuleSet::bundled_heads`]): the
    /// page's, whose reasons are empty (it reads them from the guidance asset).
    pub fn bundled_heads() -> &'static Listing<'static> {
        static LISTING: OnceLock<Listing<'static>> = OnceLock::new();
        LISTING.get_or_init(|| Listing::new(RuleSet::bundled_heads()))
    }
}

/// Write the list of `rules` as `format` to `out` (control titles come from `catalog`).
/// The CLI's `iso27017 checks --format table|json|markdown` is this call with the bundled sets.
pub fn write(format: ListFormat, rules: &RuleSet, catalog: &Catalog, out: &mut impl Write) -> io::Result<()> {
    let listing = Listing::new(rules);
    match format {
        ListFormat::Table => write_table(&listing, catalog, out),
        ListFormat::Json => write_json(&listing, catalog, out),
        ListFormat::Markdown => write_markdown(&listing, catalog, out),
    }
}

/// [`write`] into a string.
pub fn to_string(format: ListFormat, rules: &RuleSet, catalog: &Catalog) -> String {
    let mut out = Vec::new();
    match write(format, rules, catalog, &mut out) {
        Ok(()) => String::from_utf8(out).unwrap_or_default(),
        Err(_) => String::new(),
    }
}

fn providers_tokens(c: &CheckEntry<'_>) -> String {
    c.providers.iter().map(|p| p.as_str()).collect::<Vec<_>>().join(",")
}

fn title_of(catalog: &Catalog, id: &ControlId) -> &'static str {
    catalog.control(id).map_or("", |c| c.title)
}

fn write_table(l: &Listing<'_>, catalog: &Catalog, out: &mut impl Write) -> io::Result<()> {
    let w = l.checks.iter().map(|c| c.id().as_str().len()).max().unwrap_or(5).max(5);
    let kw = l.checks.iter().map(|c| c.rule.kinds.join(",").len()).max().unwrap_or(5).max(5);
    writeln!(out, "{:<w$}  {:<8}  {:<25}  {:<kw$}  FORMATS", "CHECK", "SEVERITY", "PROVIDERS", "KINDS")?;
    for c in &l.checks {
        writeln!(
            out,
            "{:<w$}  {:<8}  {:<25}  {:<kw$}  {}",
            c.id().as_str(),
            c.rule.severity.label(),
            providers_tokens(c),
            c.rule.kinds.join(","),
            c.format_labels().join(", ")
        )?;
        writeln!(out, "    {}", c.rule.title)?;
        for (control, reason) in c.controls() {
            writeln!(out, "    {:<11} {reason}", control.as_str())?;
        }
    }
    writeln!(out)?;
    writeln!(out, "{:<11} {:<6}  CHECKS", "CONTROL", "COUNT")?;
    for (id, checks) in l.controls() {
        let ids: Vec<&str> = checks.iter().map(|c| c.check.id().as_str()).collect();
        writeln!(out, "{:<11} {:<6}  {}  ({})", id.as_str(), checks.len(), ids.join(", "), title_of(catalog, id))?;
    }
    writeln!(out)?;
    writeln!(out, "{} checks; {} controls evidenced by at least one check.", l.checks.len(), l.by_control.len())
}

/// The JSON document (`iso27017-assessor/checks`, version 1); fields in this order.
#[derive(Serialize)]
struct ChecksJsonV1<'a> {
    format: &'static str,
    version: u32,
    edition: &'static str,
    formats: Vec<FormatJson>,
    checks: Vec<CheckJson<'a>>,
    controls: Vec<ControlJson<'a>>,
}

#[derive(Serialize)]
struct FormatJson {
    id: &'static str,
    label: &'static str,
    short_label: &'static str,
}

#[derive(Serialize)]
struct CheckJson<'a> {
    id: &'a str,
    title: &'a str,
    severity: &'static str,
    providers: Vec<&'static str>,
    kinds: &'a [String],
    formats: Vec<&'static str>,
    controls: Vec<ControlReasonJson<'a>>,
}

#[derive(Serialize)]
struct ControlReasonJson<'a> {
    id: &'a str,
    reason: &'a str,
}

#[derive(Serialize)]
struct ControlJson<'a> {
    id: &'a str,
    title: &'static str,
    checks: Vec<&'a str>,
}

fn write_json(l: &Listing<'_>, catalog: &Catalog, out: &mut impl Write) -> io::Result<()> {
    let doc = ChecksJsonV1 {
        format: JSON_FORMAT,
        version: JSON_VERSION,
        edition: catalog.edition().id,
        formats: Format::ALL.iter().map(|f| FormatJson { id: f.as_str(), label: f.label(), short_label: f.short_label() }).collect(),
        checks: l
            .checks
            .iter()
            .map(|c| CheckJson {
                id: c.id().as_str(),
                title: &c.rule.title,
                severity: c.rule.severity.as_str(),
                providers: c.providers.iter().map(|p| p.as_str()).collect(),
                kinds: &c.rule.kinds,
                formats: c.formats.iter().map(|f| f.as_str()).collect(),
                controls: c.controls().map(|(id, reason)| ControlReasonJson { id: id.as_str(), reason }).collect(),
            })
            .collect(),
        controls: l
            .controls()
            .map(|(id, checks)| ControlJson {
                id: id.as_str(),
                title: title_of(catalog, id),
                checks: checks.iter().map(|c| c.check.id().as_str()).collect(),
            })
            .collect(),
    };
    serde_json::to_writer_pretty(&mut *out, &doc).map_err(io::Error::other)?;
    writeln!(out)
}

/// A Markdown table cell: pipes escaped, one line.
fn cell(s: &str) -> String {
    s.replace('\\', "\\\\").replace('|', "\\|").replace(['\n', '\r'], " ")
}

fn severity_counts(checks: &[&CheckEntry<'_>]) -> String {
    Severity::ALL
        .iter()
        .rev()
        .filter_map(|s| {
            let n = checks.iter().filter(|c| c.rule.severity == *s).count();
            (n > 0).then(|| format!("{n} {}", s.as_str()))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn write_markdown(l: &Listing<'_>, catalog: &Catalog, out: &mut impl Write) -> io::Result<()> {
    let evidenced = l.by_control.len();
    let total = catalog.controls().len();
    writeln!(out, "# Checks")?;
    writeln!(out)?;
    writeln!(
        out,
        "Generated from the rules in `src/checks/rules` and the kinds each input format gives (`iso27017 checks --format markdown`); \
         `tests/checks_listing.rs` keeps this file equal to it."
    )?;
    writeln!(out)?;
    writeln!(
        out,
        "{} checks evidence {evidenced} of the {total} controls of {}. A check reads canonical resource kinds (`docs/inventory.md`); \
         the formats are the inputs whose parser gives those kinds for the check's providers.",
        l.checks.len(),
        catalog.edition().standard
    )?;
    writeln!(out)?;
    writeln!(out, "## Checks per provider")?;
    writeln!(out)?;
    writeln!(out, "| Provider | Checks | By severity | Formats |")?;
    writeln!(out, "|---|---:|---|---|")?;
    for p in PROVIDERS {
        let checks: Vec<&CheckEntry<'_>> = l.for_provider(p).collect();
        let formats = short_labels(Format::ALL.iter().copied().filter(|f| checks.iter().any(|c| c.formats_for(p).contains(f))));
        writeln!(out, "| {} | {} | {} | {} |", provider_label(p), checks.len(), severity_counts(&checks), formats.join(", "))?;
    }
    for p in PROVIDERS {
        let checks: Vec<&CheckEntry<'_>> = l.for_provider(p).collect();
        if checks.is_empty() {
            continue;
        }
        writeln!(out)?;
        writeln!(out, "### {} ({} checks)", provider_label(p), checks.len())?;
        writeln!(out)?;
        writeln!(out, "| Check | Severity | Kinds | Controls | Formats |")?;
        writeln!(out, "|---|---|---|---|---|")?;
        for c in checks {
            let controls: Vec<&str> = c.rule.controls.iter().map(ControlId::as_str).collect();
            writeln!(
                out,
                "| {} (`{}`) | {} | {} | {} | {} |",
                cell(&c.rule.title),
                c.id().as_str(),
                c.rule.severity.label(),
                c.rule.kinds.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", "),
                controls.join(", "),
                short_labels(c.formats_for(p).into_iter()).join(", ")
            )?;
        }
    }
    writeln!(out)?;
    writeln!(out, "## Checks per control")?;
    writeln!(out)?;
    writeln!(out, "| Control | Title | Checks |")?;
    writeln!(out, "|---|---|---:|")?;
    for (id, checks) in l.controls() {
        writeln!(out, "| {} | {} | {} |", id.as_str(), cell(title_of(catalog, id)), checks.len())?;
    }
    for (id, checks) in l.controls() {
        writeln!(out)?;
        writeln!(out, "### {} {}", id.as_str(), title_of(catalog, id))?;
        writeln!(out)?;
        writeln!(out, "| Check | Severity | Providers | How it evidences the control |")?;
        writeln!(out, "|---|---|---|---|")?;
        for c in checks {
            let providers: Vec<&str> = c.check.providers.iter().map(|p| provider_label(*p)).collect();
            writeln!(
                out,
                "| {} (`{}`) | {} | {} | {} |",
                cell(&c.check.rule.title),
                c.check.id().as_str(),
                c.check.rule.severity.label(),
                providers.join(", "),
                cell(c.reason)
            )?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(id: &str, providers: &str, kinds: &str, controls: &[(&str, &str)]) -> Rule {
        let reasons: serde_json::Map<String, serde_json::Value> = controls.iter().map(|(c, r)| (c.to_string(), (*r).into())).collect();
        let json = serde_json::json!({
            "id": id, "title": format!("Title of {id} | with a pipe"), "severity": "high",
            "providers": providers.split_whitespace().collect::<Vec<_>>(),
            "kinds": kinds.split_whitespace().collect::<Vec<_>>(),
            "controls": controls.iter().map(|(c, _)| *c).collect::<Vec<_>>(),
            "control_reasons": reasons,
            "rationale": "A rationale long enough to pass the length lint of rules.",
            "remediation": "A remediation long enough to pass the length lint of rules.",
            "message_pass": "{resource} ok", "message_fail": "{resource} not ok",
            "predicate": { "prop": "x", "op": "eq", "value": true }
        });
        Rule::from_json(&json.to_string()).expect("valid rule")
    }

    fn set() -> RuleSet {
        RuleSet::from_rules(vec![
            rule("a_trail", "aws", "audit_trail", &[("12.4.1", "The trail is the account's event log here."), ("9.1.2", "Second control, second line.")]),
            rule("b_gcp_firewall", "gcp", "firewall", &[("12.4.1", "Firewall logs record connections here.")]),
            rule("c_any_firewall", "", "firewall", &[("13.1.3", "Firewalls keep segments apart here.")]),
            rule("d_nothing_gives", "kubernetes", "audit_trail", &[("CLD.12.4.5", "No format gives this kind for this provider.")]),
        ])
    }

    #[test]
    fn providers_and_formats_follow_the_format_tables() {
        let rules = set();
        let l = Listing::new(&rules);
        let c = &l.checks()[0];
        assert_eq!(c.providers, [Provider::Aws]);
        assert!(c.formats.contains(&Format::CloudFormation) && c.formats.contains(&Format::AwsConfig));
        assert!(!c.formats.contains(&Format::AzureResources));
        assert_eq!(c.format_labels().iter().filter(|l| **l == "Terraform").count(), 1, "plan and state are one Terraform");
        let gcp = &l.checks()[1];
        assert_eq!(gcp.providers, [Provider::Gcp]);
        assert!(!gcp.formats.contains(&Format::CloudFormation), "a GCP check is not fed by CloudFormation");
        assert!(gcp.formats.contains(&Format::GcpAssetInventory));
        let any = &l.checks()[2];
        assert_eq!(any.providers, [Provider::Aws, Provider::Azure, Provider::Gcp], "no format gives a Kubernetes firewall");
        assert_eq!(any.formats_for(Provider::Azure), [Format::TerraformPlan, Format::TerraformState, Format::TerraformRawState, Format::AzureArmTemplate, Format::AzureResources]);
        let none = &l.checks()[3];
        assert!(none.providers.is_empty() && none.formats.is_empty());
    }

    #[test]
    fn the_control_index_is_in_document_order_with_each_checks_reason() {
        let rules = set();
        let l = Listing::new(&rules);
        let order: Vec<&str> = l.controls().map(|(id, _)| id.as_str()).collect();
        assert_eq!(order, ["9.1.2", "12.4.1", "CLD.12.4.5", "13.1.3"]);
        let c: ControlId = "12.4.1".parse().expect("id");
        let checks = l.for_control(&c);
        let got: Vec<(&str, &str)> = checks.iter().map(|c| (c.check.id().as_str(), c.reason)).collect();
        assert_eq!(got, [("a_trail", "The trail is the account's event log here."), ("b_gcp_firewall", "Firewall logs record connections here.")]);
        let second: ControlId = "9.1.2".parse().expect("id");
        assert_eq!(l.for_control(&second)[0].reason, "Second control, second line.");
        assert!(l.for_control(&"5.1.1".parse().expect("id")).is_empty());
    }

    #[test]
    fn json_is_versioned_and_carries_reasons_and_formats() {
        let rules = set();
        let text = to_string(ListFormat::Json, &rules, Catalog::bundled());
        let v: serde_json::Value = serde_json::from_str(&text).expect("JSON");
        assert!(text.starts_with("{\n  \"format\": \"iso27017-assessor/checks\",\n  \"version\": 1,"), "{text}");
        assert_eq!(v["format"], JSON_FORMAT);
        assert_eq!(v["version"], 1);
        assert_eq!(v["checks"].as_array().map(Vec::len), Some(4));
        assert_eq!(v["checks"][0]["controls"][1], serde_json::json!({"id": "9.1.2", "reason": "Second control, second line."}));
        assert_eq!(v["checks"][1]["formats"], serde_json::json!(["terraform_plan", "terraform_state", "terraform_raw_state", "gcp_asset_inventory"]));
        assert_eq!(v["controls"][1], serde_json::json!({"id": "12.4.1", "title": "Event logging", "checks": ["a_trail", "b_gcp_firewall"]}));
        assert_eq!(v["formats"].as_array().map(Vec::len), Some(Format::ALL.len()));
    }

    #[test]
    fn markdown_escapes_cells_and_lists_per_provider_and_per_control() {
        let rules = set();
        let md = to_string(ListFormat::Markdown, &rules, Catalog::bundled());
        assert!(md.contains("| Title of a_trail \\| with a pipe (`a_trail`) | High | `audit_trail` | 12.4.1, 9.1.2 | Terraform, AWS Config, CloudFormation |"), "{md}");
        assert!(md.contains("### Google Cloud (2 checks)"), "{md}");
        assert!(md.contains("| 12.4.1 | Event logging | 2 |"), "{md}");
        assert!(md.contains("### 13.1.3 Segregation in networks"), "{md}");
        assert!(md.contains("| Title of c_any_firewall \\| with a pipe (`c_any_firewall`) | High | AWS, Azure, Google Cloud | Firewalls keep segments apart here. |"), "{md}");
        assert!(!md.contains("### Kubernetes ("), "no check reads Kubernetes resources here: {md}");
    }

    #[test]
    fn the_table_shows_every_check_its_reasons_and_the_control_index() {
        let rules = set();
        let t = to_string(ListFormat::Table, &rules, Catalog::bundled());
        let lines: Vec<&str> = t.lines().collect();
        assert!(lines[0].starts_with("CHECK") && lines[0].contains("SEVERITY") && lines[0].ends_with("FORMATS"));
        assert!(lines[1].starts_with("a_trail ") && lines[1].contains("High") && lines[1].ends_with("Terraform, AWS Config, CloudFormation"), "{t}");
        assert_eq!(lines[2], "    Title of a_trail | with a pipe");
        assert_eq!(lines[3], "    12.4.1      The trail is the account's event log here.");
        assert!(t.contains("12.4.1      2       a_trail, b_gcp_firewall  (Event logging)"), "{t}");
        assert!(t.ends_with("4 checks; 4 controls evidenced by at least one check.\n"), "{t}");
    }

    #[test]
    fn formats_parse_from_their_tokens() {
        for f in ListFormat::ALL {
            assert_eq!(f.as_str().parse::<ListFormat>().ok(), Some(*f));
        }
        assert!("yaml".parse::<ListFormat>().is_err());
    }

    #[test]
    fn every_bundled_check_has_a_format_a_provider_and_a_reason_per_control() {
        let l = Listing::bundled();
        assert!(!l.checks().is_empty());
        for c in l.checks() {
            assert!(!c.formats.is_empty(), "{}: no input format gives any of its kinds {:?}", c.id(), c.rule.kinds);
            assert!(!c.providers.is_empty(), "{}", c.id());
            assert!(c.controls().all(|(_, r)| !r.is_empty()), "{}", c.id());
        }
        let every: usize = l.controls().map(|(_, checks)| checks.len()).sum();
        assert_eq!(every, l.checks().iter().map(|c| c.rule.controls.len()).sum::<usize>());
    }
}
