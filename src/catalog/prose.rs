//! Our guidance text: the Markdown of every control's guidance parts, its
//! responsibility note and the provider documentation its facts rest on
//! (sources, the date they were last checked, the facts to check again),
//! kept apart from the catalog facts.
//!
//! `build.rs` packs the bodies of `guidance/<ID>.md`, and the long texts of
//! the checks ([`CheckTexts`]: rationale, remediation, control reasons), into
//! the *guidance asset* ([`GuidanceAssetV3`]: compact JSON, raw deflate). Native builds
//! embed it ([`GuidanceSet::bundled`]); the browser page does not: it fetches
//! the same bytes (`dist/`[`ASSET_NAME`]) and reads them with
//! [`GuidanceSet::from_asset`], so the page and the CLI go through one
//! parser. The content lint (lengths, sections per kind, links, raw HTML:
//! [`GuidanceSet::from_asset_linted`]) runs natively, in `tests/catalog.rs`
//! and the CLI, on those same bytes; the page, which uses only the asset of
//! its own build ([`ASSET_DIGEST`]), does not repeat it on every load.
//!
//! **Invariant:** reading never panics: an unusable asset is a
//! [`GuidanceError`], content problems are [`CatalogIssue`]s (none for the
//! bundled guidance, `tests/catalog.rs`); inflation stops at
//! [`MAX_ASSET_INFLATED_BYTES`].
//! **Invariant:** only prose lives here; which parts a control has follows
//! from its kind ([`Part::for_kind`]) and its responsibility split is a
//! catalog fact, so pages can lay out a control before its text arrives.

use super::items::{self, AuditQuestion, EvidenceItem};
use super::search::SearchText;
use super::{Catalog, CatalogIssue, Part};
use crate::markdown;
use crate::model::{ControlId, ControlKind};
use serde::Deserialize;
use std::io::Read;
use std::sync::OnceLock;

/// File name of the guidance asset beside the page (`dist/guidance.bin`).
pub const ASSET_NAME: &str = "guidance.bin";

/// [`digest`] of the asset this build made: a page reads no other (a copy
/// from another version, say from a cache after an update, is fetched again).
pub const ASSET_DIGEST: u64 = super::load::GUIDANCE_ASSET_DIGEST;

/// FNV-1a (64 bits) of `bytes`: tells this build's asset from another's (a
/// version check, not security; `build.rs` computes the same).
pub fn digest(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3))
}

/// Version of the guidance asset format this build reads.
pub const ASSET_VERSION: u32 = 3;

/// The most the asset may inflate to (the bundled text is about 0.3 MiB).
pub const MAX_ASSET_INFLATED_BYTES: usize = 8 << 20;

/// Minimum length of the customer and provider parts of a cloud control's guidance.
pub const MIN_ROLE_GUIDANCE_CHARS: usize = 600;
/// Minimum length of a control's intent summary.
pub const MIN_SUMMARY_CHARS: usize = 200;
/// Minimum length of a responsibility note.
pub const MIN_NOTE_CHARS: usize = 20;
/// Fewest items of a control's evidence list.
pub const MIN_EVIDENCE_ITEMS: usize = 3;
/// Fewest and most audit questions per control.
pub const AUDIT_QUESTIONS: std::ops::RangeInclusive<usize> = 3..=6;

#[cfg(not(target_arch = "wasm32"))]
static EMBEDDED: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/guidance.bin"));

/// Why a guidance asset could not be read at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GuidanceError {
    /// Not a complete raw deflate stream.
    #[error("the guidance file is damaged ({detail})")]
    Damaged {
        /// What the inflater said.
        detail: String,
    },
    /// Inflates past [`MAX_ASSET_INFLATED_BYTES`].
    #[error("the guidance file unpacks to more than {max} bytes")]
    TooLarge {
        /// The cap.
        max: usize,
    },
    /// Not the JSON of [`GuidanceAssetV3`].
    #[error("the guidance file is not readable ({detail})")]
    Malformed {
        /// What the JSON parser said.
        detail: String,
    },
    /// Another format or version.
    #[error("the guidance file is {format} version {version}; this app reads iso27017-assessor/guidance version {ASSET_VERSION}")]
    Unsupported {
        /// Its `format`.
        format: String,
        /// Its `version`.
        version: u32,
    },
    /// Written for another edition of the catalog.
    #[error("the guidance file is for {found}, not {expected}")]
    OtherEdition {
        /// Its edition.
        found: String,
        /// The catalog's.
        expected: String,
    },
}

/// The guidance asset, version 3 (written by `build.rs`; version 1 had no
/// sources, verification date or facts to re-verify, version 2 no check
/// texts).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GuidanceAssetV3 {
    /// Always `iso27017-assessor/guidance`.
    pub format: String,
    /// [`ASSET_VERSION`].
    pub version: u32,
    /// The catalog edition it belongs to (`iso27017-2015`).
    pub edition: String,
    /// One entry per guidance file.
    pub controls: Vec<GuidanceEntryV2>,
    /// The long texts of every bundled check, by check id (absent before
    /// version 3, so that an older asset is refused for its version).
    #[serde(default)]
    pub checks: Vec<CheckTextEntry>,
}

/// The long texts of one check as the asset holds them.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckTextEntry {
    /// Check id.
    pub id: String,
    /// Why it matters (Markdown).
    pub rationale: String,
    /// How to fix it (Markdown).
    pub remediation: String,
    /// Control id → how the check evidences it (one line).
    pub control_reasons: std::collections::BTreeMap<String, String>,
}

/// The long texts of one check: what [`Rule`](crate::checks::Rule) holds
/// natively and a rule head leaves out (the page shows them from here).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckTexts {
    /// Why it matters (Markdown, trimmed).
    pub rationale: String,
    /// How to fix it (Markdown, trimmed).
    pub remediation: String,
    /// Control id → how the check evidences it (one line, trimmed).
    pub control_reasons: std::collections::BTreeMap<String, String>,
}

impl CheckTexts {
    /// How the check evidences `control` (empty if the asset does not say).
    pub fn reason(&self, control: &ControlId) -> &str {
        self.control_reasons.get(control.as_str()).map_or("", String::as_str)
    }
}

/// One guidance file's text.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GuidanceEntryV2 {
    /// Control id.
    pub id: String,
    /// Why the default split of responsibility is so (front matter).
    pub responsibility_note: String,
    /// The Markdown body: intent, then the `##` parts.
    pub markdown: String,
    /// When the facts were last checked against the sources (`YYYY-MM-DD`).
    pub last_verified: String,
    /// The provider documentation behind the facts stated.
    pub sources: Vec<Source>,
    /// The facts most likely to change, to check first.
    pub reverify: Vec<String>,
}

/// One provider documentation page a guidance file's facts rest on.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// What the page is (plain text).
    pub title: String,
    /// Its `https://` address.
    pub url: String,
}

/// Hosts whose pages may back a guidance fact: the providers' own
/// documentation (a source's host is one of these or a subdomain of one).
pub const SOURCE_HOSTS: &[&str] = &[
    "docs.aws.amazon.com",
    "aws.amazon.com",
    "learn.microsoft.com",
    "azure.microsoft.com",
    "cloud.google.com",
    "kubernetes.io",
];

impl Source {
    /// The address if it is safe to link and points at provider
    /// documentation: `https://` on a [`SOURCE_HOSTS`] host, with no
    /// whitespace, quotes, angle brackets, credentials or port.
    pub fn safe_url(&self) -> Option<&str> {
        let rest = self.url.strip_prefix("https://")?;
        if self.url.chars().any(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '\'' | '<' | '>' | '`' | '\\')) {
            return None;
        }
        let host = rest.split(['/', '?', '#']).next().unwrap_or("");
        if host.contains('@') {
            return None;
        }
        let listed = SOURCE_HOSTS.iter().any(|h| host == *h || host.strip_suffix(h).is_some_and(|p| p.ends_with('.')));
        listed.then_some(self.url.as_str())
    }
}

/// Our guidance for one control, split into the fixed parts of a guidance file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Guidance {
    /// Intent in our own words (Markdown).
    pub summary: String,
    /// For the cloud service customer (Markdown); cloud-guidance and CLD controls.
    pub customer: Option<String>,
    /// For the cloud service provider (Markdown); cloud-guidance and CLD controls.
    pub provider: Option<String>,
    /// Evidence an auditor will ask for: [`Guidance::evidence_items`] as a
    /// Markdown list without their ids.
    pub evidence: Option<String>,
    /// Pitfalls in AWS, Azure and GCP (Markdown).
    pub pitfalls: Option<String>,
    /// Audit questions: [`Guidance::audit_questions`] as a Markdown list
    /// without their ids.
    pub questions: Option<String>,
    /// The evidence list, item by item with stable ids (`e1`, …).
    pub evidence_items: Vec<EvidenceItem>,
    /// The questions an auditor asks in an interview, with stable ids (`q1`, …).
    pub audit_questions: Vec<AuditQuestion>,
    /// Why the default split of responsibility is so (plain text).
    pub responsibility_note: String,
    /// When the facts were last checked against the sources (`YYYY-MM-DD`).
    pub last_verified: String,
    /// The provider documentation behind the facts stated.
    pub sources: Vec<Source>,
    /// The facts most likely to change (plain text).
    pub reverify: Vec<String>,
}

impl Guidance {
    /// The Markdown of one part, if present.
    pub fn part(&self, part: Part) -> Option<&str> {
        match part {
            Part::Summary => Some(self.summary.as_str()),
            Part::Customer => self.customer.as_deref(),
            Part::Provider => self.provider.as_deref(),
            Part::Evidence => self.evidence.as_deref(),
            Part::Pitfalls => self.pitfalls.as_deref(),
            Part::Questions => self.questions.as_deref(),
        }
    }

    /// The items of a part that is a list with ids, as (id, text): the
    /// evidence items (`e1`, …) and the audit questions (`q1`, …); `None`
    /// for the parts that are prose.
    pub fn items(&self, part: Part) -> Option<Vec<(String, &str)>> {
        match part {
            Part::Evidence => Some(self.evidence_items.iter().map(|i| (i.id.to_string(), i.text.as_str())).collect()),
            Part::Questions => Some(self.audit_questions.iter().map(|i| (i.id.to_string(), i.text.as_str())).collect()),
            Part::Summary | Part::Customer | Part::Provider | Part::Pitfalls => None,
        }
    }
}

/// The guidance of every control of one catalog, in the catalog's order.
#[derive(Debug)]
pub struct GuidanceSet {
    entries: Vec<(ControlId, Option<Guidance>)>,
    checks: std::collections::HashMap<String, CheckTexts>,
    issues: Vec<CatalogIssue>,
    search_text: OnceLock<Vec<SearchText>>,
}

impl GuidanceSet {
    /// The guidance compiled into this (native) binary, read and linted
    /// once. The browser page has none: it fetches [`ASSET_NAME`] instead.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn bundled() -> &'static GuidanceSet {
        static SET: OnceLock<GuidanceSet> = OnceLock::new();
        SET.get_or_init(|| {
            let catalog = Catalog::bundled();
            GuidanceSet::from_asset_linted(EMBEDDED, catalog).unwrap_or_else(|e| GuidanceSet::unreadable(catalog, &e))
        })
    }

    /// Read a guidance asset (as `build.rs` writes it) for `catalog`. Its
    /// [`issues`](Self::issues) are what reading met: controls without
    /// text, text for unknown controls, unknown or misordered sections.
    /// `Err` only when the bytes are unusable.
    pub fn from_asset(packed: &[u8], catalog: &Catalog) -> Result<GuidanceSet, GuidanceError> {
        let (controls, checks) = read_asset(packed, catalog)?;
        let mut set = GuidanceSet::from_entries(controls, catalog);
        set.checks = checks
            .into_iter()
            .map(|c| {
                let texts = CheckTexts {
                    rationale: c.rationale.trim().to_string(),
                    remediation: c.remediation.trim().to_string(),
                    control_reasons: c.control_reasons.into_iter().map(|(k, v)| (k, v.trim().to_string())).collect(),
                };
                (c.id, texts)
            })
            .collect();
        Ok(set)
    }

    /// The long texts of the check `id` (none in a set made by
    /// [`from_entries`](Self::from_entries), or for an unknown check).
    pub fn check_texts(&self, id: &str) -> Option<&CheckTexts> {
        self.checks.get(id)
    }

    /// [`from_asset`](Self::from_asset), and lint each control's text
    /// against the rules of `guidance/FORMAT.md` (lengths, the sections of
    /// its kind, https links only, no raw HTML, no "Ensure that…").
    pub fn from_asset_linted(packed: &[u8], catalog: &Catalog) -> Result<GuidanceSet, GuidanceError> {
        let mut set = GuidanceSet::from_asset(packed, catalog)?;
        set.lint(catalog);
        Ok(set)
    }

    /// Check each control's text against the rules of `guidance/FORMAT.md`
    /// for its kind in `catalog`, adding what fails to the issues.
    pub fn lint(&mut self, catalog: &Catalog) {
        let mut issue = |subject: &str, message: String| self.issues.push(CatalogIssue { subject: subject.to_string(), message });
        for (id, g) in &self.entries {
            if let (Some(g), Some(c)) = (g, catalog.control(id)) {
                lint_text(id.as_str(), c.kind, g, &mut issue);
            }
        }
    }

    /// Build from entries (the asset's, or a test's), reading each one's parts.
    pub fn from_entries(entries: Vec<GuidanceEntryV2>, catalog: &Catalog) -> GuidanceSet {
        let mut issues = Vec::new();
        let mut issue = |subject: &str, message: String| issues.push(CatalogIssue { subject: subject.to_string(), message });
        for e in &entries {
            if !catalog.controls().iter().any(|c| c.id.as_str() == e.id) {
                issue(&e.id, "guidance text for a control that is not in the catalog".into());
            }
        }
        let by_id: std::collections::HashMap<&str, &GuidanceEntryV2> = entries.iter().map(|e| (e.id.as_str(), e)).collect();
        let mut out = Vec::with_capacity(catalog.controls().len());
        for c in catalog.controls() {
            let g = match by_id.get(c.id.as_str()) {
                Some(e) => Some(read(c.id.as_str(), e, &mut issue)),
                None => {
                    issue(c.id.as_str(), format!("no guidance text (src/catalog/guidance/{}.md)", c.id));
                    None
                }
            };
            out.push((c.id.clone(), g));
        }
        GuidanceSet { entries: out, checks: Default::default(), issues, search_text: OnceLock::new() }
    }

    /// A set without text for any control, with the reason as its one issue.
    pub fn unreadable(catalog: &Catalog, error: &GuidanceError) -> GuidanceSet {
        GuidanceSet {
            entries: catalog.controls().iter().map(|c| (c.id.clone(), None)).collect(),
            checks: Default::default(),
            issues: vec![CatalogIssue { subject: "guidance".into(), message: error.to_string() }],
            search_text: OnceLock::new(),
        }
    }

    /// The guidance of a control.
    pub fn get(&self, id: &ControlId) -> Option<&Guidance> {
        self.entries.iter().find(|(i, _)| i == id).and_then(|(_, g)| g.as_ref())
    }

    /// Problems found while reading (empty for the bundled guidance).
    pub fn issues(&self) -> &[CatalogIssue] {
        &self.issues
    }

    /// Plain text of each control's guidance with whitespace collapsed, in
    /// catalog order (what search matches and quotes), built on first use.
    pub(super) fn search_text(&self) -> &[SearchText] {
        self.search_text.get_or_init(|| {
            self.entries
                .iter()
                .map(|(_, g)| {
                    let mut body = String::new();
                    if let Some(g) = g {
                        for part in Part::ALL {
                            if let Some(md) = g.part(*part) {
                                body.push_str(&markdown::to_plain_text(md));
                                body.push('\n');
                            }
                        }
                    }
                    SearchText::new(body.split_whitespace().collect::<Vec<_>>().join(" "))
                })
                .collect()
        })
    }
}

/// The entries of a guidance asset for `catalog`: the controls' and the checks'.
fn read_asset(packed: &[u8], catalog: &Catalog) -> Result<(Vec<GuidanceEntryV2>, Vec<CheckTextEntry>), GuidanceError> {
    let json = inflate(packed)?;
    let asset: GuidanceAssetV3 =
        serde_json::from_slice(&json).map_err(|e| GuidanceError::Malformed { detail: e.to_string() })?;
    if asset.format != "iso27017-assessor/guidance" || asset.version != ASSET_VERSION {
        return Err(GuidanceError::Unsupported { format: asset.format, version: asset.version });
    }
    if asset.edition != catalog.edition().id {
        return Err(GuidanceError::OtherEdition { found: asset.edition, expected: catalog.edition().id.to_string() });
    }
    Ok((asset.controls, asset.checks))
}

/// Inflate a raw deflate stream, refusing more than [`MAX_ASSET_INFLATED_BYTES`],
/// a truncated stream, or bytes after its end.
fn inflate(packed: &[u8]) -> Result<Vec<u8>, GuidanceError> {
    let mut decoder = flate2::bufread::DeflateDecoder::new(packed);
    let mut out = Vec::new();
    (&mut decoder)
        .take(MAX_ASSET_INFLATED_BYTES as u64 + 1)
        .read_to_end(&mut out)
        .map_err(|e| GuidanceError::Damaged { detail: e.to_string() })?;
    if out.len() > MAX_ASSET_INFLATED_BYTES {
        return Err(GuidanceError::TooLarge { max: MAX_ASSET_INFLATED_BYTES });
    }
    if decoder.total_in() != packed.len() as u64 {
        return Err(GuidanceError::Damaged { detail: "data after the end of the compressed stream".into() });
    }
    Ok(out)
}

/// Headings of a guidance file, in their required order.
const HEADINGS: [&str; 5] = [
    "Cloud service customer",
    "Cloud service provider",
    "Evidence an auditor will ask for",
    "Pitfalls in AWS, Azure and GCP",
    "Audit questions",
];

/// One entry's parts, by their headings (unknown, repeated or misordered
/// headings are issues).
fn read(id: &str, entry: &GuidanceEntryV2, issue: &mut impl FnMut(&str, String)) -> Guidance {
    let (summary, sections) = split_sections(&entry.markdown);
    let mut parts: [Option<&str>; 5] = [None; 5];
    let mut last = None;
    for (heading, text) in sections {
        match HEADINGS.iter().position(|h| *h == heading) {
            Some(i) => {
                if last.is_some_and(|l| l >= i) {
                    issue(id, format!("section \"{heading}\" is out of order or repeated"));
                }
                last = Some(i);
                parts[i] = Some(text);
            }
            None => issue(id, format!("unknown section heading \"## {heading}\"")),
        }
    }
    let [customer, provider, evidence, pitfalls, questions] = parts;
    let evidence_items: Vec<EvidenceItem> = evidence.map_or_else(Vec::new, |t| {
        items::parse_items(t, &mut |m| issue(id, format!("evidence: {m}")))
    });
    let audit_questions: Vec<AuditQuestion> = questions.map_or_else(Vec::new, |t| {
        items::parse_items(t, &mut |m| issue(id, format!("audit questions: {m}")))
    });
    Guidance {
        summary: summary.to_string(),
        customer: customer.map(str::to_string),
        provider: provider.map(str::to_string),
        evidence: evidence.map(|_| items::to_markdown_list(&evidence_items)),
        pitfalls: pitfalls.map(str::to_string),
        questions: questions.map(|_| items::to_markdown_list(&audit_questions)),
        evidence_items,
        audit_questions,
        responsibility_note: entry.responsibility_note.clone(),
        last_verified: entry.last_verified.clone(),
        sources: entry.sources.clone(),
        reverify: entry.reverify.clone(),
    }
}

/// The content rules of `guidance/FORMAT.md` for one control's guidance.
fn lint_text(id: &str, kind: ControlKind, g: &Guidance, issue: &mut impl FnMut(&str, String)) {
    if g.responsibility_note.chars().count() < MIN_NOTE_CHARS {
        issue(id, "responsibility_note is missing or too short".into());
    }
    lint_sources(id, g, issue);
    if g.summary.len() < MIN_SUMMARY_CHARS {
        issue(id, format!("intent summary has {} characters, needs {MIN_SUMMARY_CHARS}", g.summary.len()));
    }
    if g.evidence.is_none() {
        issue(id, "no \"Evidence an auditor will ask for\" section".into());
    } else if g.evidence_items.len() < MIN_EVIDENCE_ITEMS {
        issue(id, format!("evidence lists {} items, needs {MIN_EVIDENCE_ITEMS}", g.evidence_items.len()));
    }
    if g.questions.is_none() {
        issue(id, "no \"Audit questions\" section".into());
    } else if !AUDIT_QUESTIONS.contains(&g.audit_questions.len()) {
        issue(id, format!("{} audit questions, needs {} to {}", g.audit_questions.len(), AUDIT_QUESTIONS.start(), AUDIT_QUESTIONS.end()));
    }
    if kind.has_cloud_guidance() {
        for (name, part) in [("customer", &g.customer), ("provider", &g.provider)] {
            let len = part.as_deref().map_or(0, |p| p.chars().count());
            if len < MIN_ROLE_GUIDANCE_CHARS {
                issue(id, format!("{name} guidance has {len} characters, needs {MIN_ROLE_GUIDANCE_CHARS}"));
            }
        }
        match &g.pitfalls {
            None => issue(id, "no \"Pitfalls in AWS, Azure and GCP\" section".into()),
            Some(p) => {
                for cloud in ["AWS", "Azure", "GCP"] {
                    if !p.contains(cloud) {
                        issue(id, format!("pitfalls do not mention {cloud}"));
                    }
                }
            }
        }
    } else if g.customer.is_some() || g.provider.is_some() || g.pitfalls.is_some() {
        issue(id, "a control without cloud-specific guidance has only an intent, evidence and audit questions".into());
    }
    for text in Part::ALL.iter().filter_map(|p| g.part(*p)) {
        if markdown::contains_raw_html(text) {
            issue(id, "guidance contains raw HTML".into());
        }
        for link in markdown::link_targets(text) {
            if !link.starts_with("https://") {
                issue(id, format!("link {link:?} is not https"));
            }
        }
        if text.contains("Ensure that") || text.contains("ensure that") {
            issue(id, "guidance uses the \"Ensure that…\" phrasing".into());
        }
    }
}

/// The most sources or facts to re-verify a guidance file lists.
pub const MAX_SOURCES: usize = 12;

/// Whether `s` is a real calendar date written `YYYY-MM-DD`.
pub fn is_iso_date(s: &str) -> bool {
    let b = s.as_bytes();
    let shape = b.len() == 10 && b.iter().enumerate().all(|(i, c)| if i == 4 || i == 7 { *c == b'-' } else { c.is_ascii_digit() });
    let num = |r: std::ops::Range<usize>| s.get(r).and_then(|p| p.parse::<u32>().ok()).unwrap_or(0);
    let (y, m, d) = (num(0..4), num(5..7), num(8..10));
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let len = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => 0,
    };
    shape && y >= 1 && (1..=len).contains(&d)
}

/// Sources, verification date and facts to re-verify (`guidance/FORMAT.md`).
fn lint_sources(id: &str, g: &Guidance, issue: &mut impl FnMut(&str, String)) {
    if !is_iso_date(&g.last_verified) {
        issue(id, format!("last_verified {:?} is not a date (YYYY-MM-DD)", g.last_verified));
    }
    if g.sources.is_empty() || g.sources.len() > MAX_SOURCES {
        issue(id, format!("lists {} sources, needs 1 to {MAX_SOURCES}", g.sources.len()));
    }
    let mut seen = std::collections::HashSet::new();
    for s in &g.sources {
        if s.safe_url().is_none() {
            issue(id, format!("source {:?} is not an https link to provider documentation", s.url));
        }
        if !seen.insert(s.url.as_str()) {
            issue(id, format!("source {:?} is listed twice", s.url));
        }
        let t = s.title.trim();
        if t.len() < 5 || t.len() > 160 || t != s.title || t.contains(['\n', '<', '>']) {
            issue(id, format!("source title {:?} is not one plain line of 5-160 characters", s.title));
        }
    }
    if g.reverify.is_empty() || g.reverify.len() > MAX_SOURCES {
        issue(id, format!("lists {} facts to re-verify, needs 1 to {MAX_SOURCES}", g.reverify.len()));
    }
    for r in &g.reverify {
        let t = r.trim();
        if t.len() < 15 || t.len() > 240 || t != r || t.contains(['\n', '<', '>']) {
            issue(id, format!("fact to re-verify {r:?} is not one plain line of 15-240 characters"));
        }
    }
}

/// Split a guidance body into its intent (before the first `## `) and its
/// `## ` sections. Lines inside fenced code blocks are not headings.
fn split_sections(body: &str) -> (&str, Vec<(&str, &str)>) {
    let mut starts = Vec::new(); // (heading line start, heading text, content start)
    let mut offset = 0;
    let mut fenced = false;
    for line in body.split_inclusive('\n') {
        let t = line.trim_end();
        if t.starts_with("```") || t.starts_with("~~~") {
            fenced = !fenced;
        } else if !fenced {
            if let Some(h) = t.strip_prefix("## ") {
                starts.push((offset, h.trim(), offset + line.len()));
            }
        }
        offset += line.len();
    }
    let summary_end = starts.first().map_or(body.len(), |s| s.0);
    let mut sections = Vec::new();
    for (i, (_, heading, content)) in starts.iter().enumerate() {
        let end = starts.get(i + 1).map_or(body.len(), |s| s.0);
        sections.push((*heading, body.get(*content..end).unwrap_or("").trim()));
    }
    (body.get(..summary_end).unwrap_or("").trim(), sections)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_split_on_level_two_headings_only() {
        let body = "Intent.\n\n## A\n\ntext a\n### sub\nmore\n\n```\n## not a heading\n```\n## B\nb\n";
        let (summary, sections) = split_sections(body);
        assert_eq!(summary, "Intent.");
        assert_eq!(sections.len(), 2);
        assert_eq!(sections[0].0, "A");
        assert!(sections[0].1.contains("## not a heading"));
        assert_eq!(sections[1], ("B", "b"));
    }

    #[test]
    fn only_https_provider_documentation_is_a_safe_source() {
        let url = |u: &str| Source { title: "A page".into(), url: u.into() }.safe_url().map(str::to_string);
        for ok in [
            "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/Using_ChangingDisableAPITermination.html",
            "https://learn.microsoft.com/en-us/azure/storage/common/transport-layer-security-configure-minimum-version",
            "https://cloud.google.com/resource-manager/docs/project-liens",
            "https://kubernetes.io/docs/concepts/security/pod-security-standards/",
            "https://aws.amazon.com/compliance/shared-responsibility-model/",
        ] {
            assert_eq!(url(ok).as_deref(), Some(ok));
        }
        for bad in [
            "http://docs.aws.amazon.com/x",
            "javascript:alert(1)//https://docs.aws.amazon.com/",
            "https://docs.aws.amazon.com.evil.example/x",
            "https://evilaws.amazon.com/x",
            "https://user@docs.aws.amazon.com/x",
            "https://docs.aws.amazon.com:8443/x",
            "https://docs.aws.amazon.com/x y",
            "https://docs.aws.amazon.com/\"onmouseover=x",
            "https://example.com/docs.aws.amazon.com",
            "HTTPS://docs.aws.amazon.com/x",
            "",
        ] {
            assert_eq!(url(bad), None, "{bad}");
        }
    }

    #[test]
    fn verification_dates_are_real_calendar_dates() {
        for ok in ["2026-12-07", "2024-02-29", "2000-02-29"] {
            assert!(is_iso_date(ok), "{ok}");
        }
        for bad in ["2026-13-01", "2026-02-29", "1900-02-29", "2026-12-7", "2026-12-07T00:00:00", "07/12/2026", "", "0000-01-01", "2026-00-10"] {
            assert!(!is_iso_date(bad), "{bad}");
        }
    }

    #[test]
    fn inflation_is_capped_and_checked() {
        use flate2::write::DeflateEncoder;
        use std::io::Write;
        let pack = |b: &[u8]| {
            let mut e = DeflateEncoder::new(Vec::new(), flate2::Compression::best());
            e.write_all(b).unwrap();
            e.finish().unwrap()
        };
        assert_eq!(inflate(&pack(b"{}")).unwrap(), b"{}");
        let big = vec![b' '; MAX_ASSET_INFLATED_BYTES + 1];
        assert_eq!(inflate(&pack(&big)), Err(GuidanceError::TooLarge { max: MAX_ASSET_INFLATED_BYTES }));
        let mut trailing = pack(b"{}");
        trailing.push(0);
        assert!(matches!(inflate(&trailing), Err(GuidanceError::Damaged { .. })));
        let whole = pack(&[b'x'; 4096]);
        assert!(matches!(inflate(&whole[..whole.len() / 2]), Err(GuidanceError::Damaged { .. })));
    }
}
