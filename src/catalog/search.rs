//! Full-text search and filters over the catalog. The index is built once (a
//! few milliseconds) and searching is a linear scan of 121 small records,
//! which is instant on any device.
//!
//! Ranking: every query term must match somewhere (AND). A term that looks like
//! a control number (`9.1`, `5.23`, `CLD.9.5`) matches control ids by prefix and
//! 2022 mapping ids exactly; other terms match ids, titles, mapping titles and
//! guidance text (when the caller has it: see [`super::GuidanceSet`]),
//! weighted in that order.

use super::{Catalog, Control};
use crate::model::{Role, ServiceModel};
use serde::{Deserialize, Serialize};

/// What the user asked for. Empty fields filter nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Filter {
    /// Free text.
    pub query: String,
    /// Only this clause (5–18).
    pub clause: Option<u8>,
    /// Only controls where this role carries a part (under `models`, or under any model if none is chosen).
    pub role: Option<Role>,
    /// Service models the role filter and the responsibility display refer to.
    pub models: Vec<ServiceModel>,
    /// Only controls where 27017 adds cloud-specific content (incl. CLD controls).
    pub cloud_guidance_only: bool,
    /// Only the seven CLD controls.
    pub cld_only: bool,
}

impl Filter {
    /// Is anything set?
    pub fn is_empty(&self) -> bool {
        *self == Filter::default()
    }
    /// Service models that apply: the chosen ones, or all three.
    pub fn effective_models(&self) -> Vec<ServiceModel> {
        if self.models.is_empty() {
            ServiceModel::ALL.to_vec()
        } else {
            self.models.clone()
        }
    }
}

/// One search result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit<'a> {
    /// The control.
    pub control: &'a Control,
    /// Relevance (0 when there is no query).
    pub score: u32,
    /// A short excerpt of guidance text around the first body match, if the
    /// match was in the guidance rather than the id or title.
    pub excerpt: Option<String>,
}

#[derive(Debug)]
struct Entry {
    id: String,
    numeric_id: String,
    title: String,
    mapping_ids: Vec<&'static str>,
    mapping_titles: String,
}

/// A control's guidance text as shown (for excerpts) and case-folded (for
/// matching): query terms are lower-cased, so the text they are matched
/// against must be too ("CloudTrail", "MFA", "IMDSv2"). Folding maps each
/// character to one character, so a match's character offset in the folded
/// text is its offset in the shown text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct SearchText {
    text: String,
    folded: String,
}

impl SearchText {
    pub(super) fn new(text: String) -> SearchText {
        let folded = fold(&text);
        SearchText { text, folded }
    }
}

/// Lower-case `s` one character for one character (a character whose lower
/// case is several, such as 'İ', keeps the first), as [`terms`] does.
fn fold(s: &str) -> String {
    s.chars().map(|c| c.to_lowercase().next().unwrap_or(c)).collect()
}

/// Pre-lowercased facts of every control (the guidance text is indexed by
/// the `GuidanceSet` it comes with).
#[derive(Debug)]
pub(super) struct Index {
    entries: Vec<Entry>,
}

impl Index {
    pub(super) fn build(controls: &[Control]) -> Index {
        let entries = controls
            .iter()
            .map(|c| {
                let id = c.id.as_str().to_lowercase();
                let numeric_id = id.trim_start_matches("cld.").to_string();
                Entry {
                    id,
                    numeric_id,
                    title: c.title.to_lowercase(),
                    mapping_ids: c.mappings.iter().map(|m| m.id).collect(),
                    mapping_titles: c.mappings.iter().map(|m| m.title.to_lowercase()).collect::<Vec<_>>().join(" | "),
                }
            })
            .collect();
        Index { entries }
    }
}

fn looks_like_number(term: &str) -> bool {
    let t = term.trim_start_matches("cld.").trim_start_matches("cld");
    !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit() || b == b'.') && t.bytes().next().is_some_and(|b| b.is_ascii_digit())
}

fn id_prefix(id: &str, term: &str) -> bool {
    id == term || (id.starts_with(term) && (term.ends_with('.') || id.as_bytes().get(term.len()) == Some(&b'.')))
}

/// Score one term against one entry and its folded guidance text (may be empty);
/// `None` when it does not match.
fn score_term(e: &Entry, body: &str, term: &str) -> Option<(u32, bool)> {
    if looks_like_number(term) {
        let is_cld = term.starts_with("cld");
        let numeric = term.trim_start_matches("cld.").trim_start_matches("cld");
        let mut best = 0;
        let id_to_match = if is_cld { &e.id } else { &e.numeric_id };
        let wanted = if is_cld { term } else { numeric };
        if id_to_match == wanted {
            best = 100;
        } else if id_prefix(id_to_match, wanted) {
            best = 60;
        }
        if !is_cld && e.mapping_ids.iter().any(|m| *m == numeric) {
            best = best.max(50);
        }
        return (best > 0).then_some((best, false));
    }
    if term == "cld" {
        return e.id.starts_with("cld.").then_some((40, false));
    }
    let mut score = 0;
    if e.title.split(|c: char| !c.is_alphanumeric()).any(|w| w.starts_with(term)) {
        score += 30;
    } else if e.title.contains(term) {
        score += 20;
    }
    if e.mapping_titles.contains(term) {
        score += 10;
    }
    let hits = body.matches(term).take(5).count() as u32;
    let body_only = score == 0 && hits > 0;
    score += hits * 2;
    (score > 0).then_some((score, body_only))
}

/// About 60 characters before the first match of `term` in `body` and 80
/// after, from the shown (not folded) text.
fn excerpt(body: &SearchText, term: &str) -> Option<String> {
    let folded_pos = body.folded.find(term)?;
    let char_pos = body.folded[..folded_pos].chars().count();
    let term_chars = term.chars().count();
    let text = body.text.as_str();
    let byte_at = |n: usize| text.char_indices().nth(n).map_or(text.len(), |(i, _)| i);
    let start = byte_at(char_pos.saturating_sub(60));
    let end = byte_at(char_pos + term_chars + 80);
    let body = text;
    let mut s = String::new();
    if start > 0 {
        s.push('…');
    }
    s.push_str(&body[start..end]);
    if end < body.len() {
        s.push('…');
    }
    Some(s)
}

/// Split a query into lower-case terms, dropping punctuation around them.
pub fn terms(query: &str) -> Vec<String> {
    query
        .split_whitespace()
        .map(|t| fold(t.trim_matches(|c: char| !c.is_alphanumeric() && c != '.').trim_end_matches('.')))
        .filter(|t| !t.is_empty())
        .take(16)
        .collect()
}

/// `text`: the guidance text of each control, in catalog order, if known.
pub(super) fn run<'a>(catalog: &'a Catalog, index: &Index, text: Option<&[SearchText]>, filter: &Filter) -> Vec<Hit<'a>> {
    let terms = terms(&filter.query);
    let models = filter.effective_models();
    let mut hits: Vec<(usize, Hit<'a>)> = Vec::new();
    for (pos, (c, e)) in catalog.controls().iter().zip(&index.entries).enumerate() {
        if filter.clause.is_some_and(|cl| cl != c.clause)
            || (filter.cld_only && !c.id.is_cloud_extended())
            || (filter.cloud_guidance_only && !c.kind.has_cloud_guidance())
        {
            continue;
        }
        if let Some(role) = filter.role {
            let involved = models.iter().any(|m| c.responsibility(*m).is_some_and(|r| r.involves(role)));
            if !involved {
                continue;
            }
        }
        let body = text.and_then(|t| t.get(pos));
        let folded = body.map_or("", |b| b.folded.as_str());
        let mut score = 0;
        let mut body_term = None;
        let mut matched_all = true;
        for t in &terms {
            match score_term(e, folded, t) {
                Some((s, body_only)) => {
                    score += s;
                    if body_only && body_term.is_none() {
                        body_term = Some(t.as_str());
                    }
                }
                None => {
                    matched_all = false;
                    break;
                }
            }
        }
        if !matched_all {
            continue;
        }
        let excerpt = body_term.zip(body).and_then(|(t, b)| excerpt(b, t));
        hits.push((pos, Hit { control: c, score, excerpt }));
    }
    if !terms.is_empty() {
        hits.sort_by(|a, b| b.1.score.cmp(&a.1.score).then(a.0.cmp(&b.0)));
    }
    hits.into_iter().map(|(_, h)| h).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_are_cleaned() {
        assert_eq!(terms("  \"Virtual\" machines, 5.23. "), vec!["virtual", "machines", "5.23"]);
        assert!(terms("   ").is_empty());
    }

    #[test]
    fn guidance_words_with_capitals_are_found() {
        let body = SearchText::new("Turn on CloudTrail in every Region and require IMDSv2 and MFA.".into());
        for (query, written) in [("CloudTrail", "CloudTrail"), ("cloudtrail", "CloudTrail"), ("IMDSv2", "IMDSv2"), ("imdsv2", "IMDSv2"), ("MFA", "MFA")] {
            let t = &terms(query)[0];
            assert!(body.folded.contains(t.as_str()), "{query}");
            assert!(excerpt(&body, t).unwrap().contains(written), "{query}");
        }
        // The excerpt quotes the text as written.
        assert_eq!(excerpt(&body, "imdsv2").unwrap(), body.text);
        // One character for one: offsets stay aligned past a character whose lower case is longer.
        let odd = SearchText::new("İstanbul region logs to CloudTrail".into());
        assert_eq!(odd.folded.chars().count(), odd.text.chars().count());
        assert!(excerpt(&odd, "cloudtrail").unwrap().ends_with("CloudTrail"));
    }

    #[test]
    fn numbers_are_recognised() {
        assert!(looks_like_number("5.23"));
        assert!(looks_like_number("cld.9.5"));
        assert!(looks_like_number("9"));
        assert!(!looks_like_number("vm"));
        assert!(id_prefix("9.1.2", "9.1"));
        assert!(!id_prefix("9.10.2", "9.1"));
        assert!(id_prefix("9.1.2", "9.1."));
    }
}
