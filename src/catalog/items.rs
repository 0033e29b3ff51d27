//! The two lists of a guidance file that people tick off one item at a time:
//! the evidence an auditor will ask for ([`EvidenceItem`]) and the questions
//! an auditor asks in an interview ([`AuditQuestion`]). Each item carries an
//! id of its own, written in the file as the first thing on its line:
//!
//! ```text
//! ## Evidence an auditor will ask for
//!
//! - [e1] Logging architecture diagram showing the central log archive
//! - [e2] Configuration exports showing immutability: S3 Object Lock, …
//! ```
//!
//! An id is the list's letter (`e` or `q`) and a number; outside its file it
//! is written after the control's id: `12.4.2-e1` ([`Item::qualified`]).
//!
//! **Invariant:** an id, once shipped, always names the same item: items are
//! never renumbered; a removed item's number is not used again and a new
//! item takes the next number (`tests/fixtures/catalog/item-ids.tsv` holds
//! every shipped id; `tests/catalog.rs` compares).
//! **Invariant:** reading never panics; anything that is not an item line is
//! an issue naming the control, and the item is left out.

use crate::model::ControlId;
use std::fmt;

/// Letter of the evidence list's ids.
pub const EVIDENCE: char = 'e';
/// Letter of the audit questions' ids.
pub const QUESTION: char = 'q';

/// The id of an item within one control's list of kind `L` (`e1`, `q3`):
/// a number from 1, never reused (see the module's invariant).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ItemId<const L: char>(u16);

/// The id of an evidence item (`e1`).
pub type EvidenceId = ItemId<EVIDENCE>;
/// The id of an audit question (`q1`).
pub type QuestionId = ItemId<QUESTION>;

impl<const L: char> ItemId<L> {
    /// Largest item number.
    pub const MAX: u16 = 999;

    /// The id with number `n`, if in 1..=[`Self::MAX`].
    pub fn new(n: u16) -> Option<Self> {
        (1..=Self::MAX).contains(&n).then_some(ItemId(n))
    }

    /// Its number.
    pub fn number(self) -> u16 {
        self.0
    }

    /// Read `e12` (for `L = 'e'`): the letter, then a number from 1 without
    /// leading zeros, so that each id has one spelling.
    pub fn parse(text: &str) -> Option<Self> {
        parse_number(text, L, Self::MAX).map(ItemId)
    }
}

impl<const L: char> fmt::Display for ItemId<L> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{L}{}", self.0)
    }
}

/// One item of a control's list: its id and its text (one line of inline
/// Markdown, written by us).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item<const L: char> {
    /// Stable id within the control.
    pub id: ItemId<L>,
    /// The text (inline Markdown: `code` spans at most).
    pub text: String,
}

/// Something an auditor will ask to see for a control.
pub type EvidenceItem = Item<EVIDENCE>;
/// A question an auditor asks about a control in an interview.
pub type AuditQuestion = Item<QUESTION>;

impl<const L: char> Item<L> {
    /// The id as written outside the guidance file: `12.4.2-e1`.
    pub fn qualified(&self, control: &ControlId) -> String {
        format!("{control}-{}", self.id)
    }
}

/// Read a section of item lines (`- [e1] text`), reporting through `issue`
/// every line that is not one, a malformed or repeated id and an empty text.
/// Blank lines are allowed between items.
pub fn parse_items<const L: char>(section: &str, issue: &mut impl FnMut(String)) -> Vec<Item<L>> {
    // The reading itself is not generic, so the page carries one copy of it.
    parse_lines(section, L, ItemId::<L>::MAX, &mut |m| issue(m))
        .into_iter()
        .map(|(n, text)| Item { id: ItemId(n), text })
        .collect()
}

/// Items of the list with letter `letter` as (number, text).
fn parse_lines(section: &str, letter: char, max: u16, issue: &mut dyn FnMut(String)) -> Vec<(u16, String)> {
    let mut items: Vec<(u16, String)> = Vec::new();
    for line in section.lines().map(str::trim_end).filter(|l| !l.trim().is_empty()) {
        let Some(rest) = line.strip_prefix("- [") else {
            issue(format!("line {line:?} is not an item \"- [{letter}N] text\""));
            continue;
        };
        let Some((id, text)) = rest.split_once(']') else {
            issue(format!("line {line:?} has no closing ] after its id"));
            continue;
        };
        let Some(n) = parse_number(id, letter, max) else {
            issue(format!("item id [{id}] is not {letter} and a number from 1 to {max} without leading zeros"));
            continue;
        };
        let text = text.trim();
        if text.is_empty() {
            issue(format!("item {letter}{n} has no text"));
            continue;
        }
        if items.iter().any(|(i, _)| *i == n) {
            issue(format!("item id {letter}{n} is used twice"));
            continue;
        }
        items.push((n, text.to_string()));
    }
    items
}

/// The number of id `text` of the list with letter `letter`: the letter, then
/// 1 to `max` without leading zeros, so that each id has one spelling.
fn parse_number(text: &str, letter: char, max: u16) -> Option<u16> {
    let digits = text.strip_prefix(letter)?;
    if digits.is_empty() || digits.len() > 3 || digits.starts_with('0') || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok().filter(|n| (1..=max).contains(n))
}

/// The items as a Markdown bullet list without their ids (what search reads
/// and the catalog book prints).
pub fn to_markdown_list<const L: char>(items: &[Item<L>]) -> String {
    let mut out = String::new();
    for item in items {
        out.push_str("- ");
        out.push_str(&item.text);
        out.push('\n');
    }
    out
}

/// The evidence item ids of `control` in the bundled guidance, in the file's
/// order, known without the guidance text (from `build.rs`): what a stored
/// evidence checklist may name. Empty for an unknown control.
/// `tests/evidence.rs` holds it equal to the items `GuidanceSet::bundled()` reads.
pub fn bundled_evidence_ids(control: &ControlId) -> impl Iterator<Item = EvidenceId> {
    super::load::EVIDENCE_IDS
        .iter()
        .find(|(id, _)| *id == control.as_str())
        .map_or(&[][..], |(_, numbers)| *numbers)
        .iter()
        .filter_map(|n| EvidenceId::new(*n))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(section: &str) -> (Vec<EvidenceItem>, Vec<String>) {
        let mut issues = Vec::new();
        let items = parse_items(section, &mut |m| issues.push(m));
        (items, issues)
    }

    #[test]
    fn ids_have_one_spelling() {
        assert_eq!(EvidenceId::parse("e1").map(EvidenceId::number), Some(1));
        assert_eq!(EvidenceId::parse("e999").map(|i| i.to_string()), Some("e999".into()));
        for bad in ["e0", "e01", "e1000", "q1", "e", "E1", "e1a", "e-1", " e1"] {
            assert_eq!(EvidenceId::parse(bad), None, "{bad}");
        }
        assert_eq!(QuestionId::parse("q12").map(|q| q.to_string()), Some("q12".into()));
    }

    #[test]
    fn items_are_read_with_their_ids_and_problems_named() {
        let (items, issues) = read("- [e1] First thing\n\n- [e3]   Third, `code`  \n- [e2] Second\n");
        assert_eq!(items.iter().map(|i| (i.id.to_string(), i.text.as_str())).collect::<Vec<_>>(), [
            ("e1".to_string(), "First thing"),
            ("e3".to_string(), "Third, `code`"),
            ("e2".to_string(), "Second"),
        ]);
        assert!(issues.is_empty(), "{issues:?}");
        let control: ControlId = "12.4.2".parse().unwrap();
        assert_eq!(items[0].qualified(&control), "12.4.2-e1");

        let (items, issues) = read("- [e1] one\n- [e1] again\n- no id\n- [e2]\n- [q3] wrong list\n- [e4 unclosed\nprose\n- [e5] five\n");
        assert_eq!(items.iter().map(|i| i.id.number()).collect::<Vec<_>>(), [1, 5]);
        assert_eq!(issues.len(), 6, "{issues:?}");
        assert!(issues[0].contains("e1 is used twice"));
        assert!(issues[1].contains("is not an item"));
        assert!(issues[2].contains("e2 has no text"));
        assert!(issues[3].contains("[q3]"));
        assert!(issues[4].contains("no closing ]"));
        assert!(issues[5].contains("\"prose\""));
    }

    #[test]
    fn the_list_reads_as_markdown_without_ids() {
        let (items, _) = read("- [e2] b\n- [e1] a\n");
        assert_eq!(to_markdown_list(&items), "- b\n- a\n");
    }
}
