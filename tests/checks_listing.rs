//! The list of checks (`checks::listing`) over the bundled rules: `docs/checks.md` is its Markdown
//! (regenerate with `UPDATE_DOCS=1 cargo test --test checks_listing`), and every output names every
//! check and every control it evidences.

use iso27017::checks::listing::{self, ListFormat, Listing};
use iso27017::checks::RuleSet;
use iso27017::Catalog;
use std::path::Path;

#[test]
fn docs_checks_md_is_the_listings_markdown() {
    let want = listing::to_string(ListFormat::Markdown, RuleSet::bundled(), Catalog::bundled());
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/checks.md");
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(&path, &want).expect("write docs/checks.md");
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default().replace("\r\n", "\n");
    assert!(
        have == want,
        "docs/checks.md differs from the check listing; regenerate it with `UPDATE_DOCS=1 cargo test --test checks_listing` \
         (first differing line: {:?})",
        have.lines().zip(want.lines()).find(|(a, b)| a != b).or_else(|| Some((have.lines().last()?, want.lines().last()?)))
    );
}

#[test]
fn every_output_names_every_check_and_control() {
    let rules = RuleSet::bundled();
    assert!(rules.errors().is_empty(), "{:?}", rules.errors());
    let catalog = Catalog::bundled();
    let l = Listing::bundled();
    let json: serde_json::Value =
        serde_json::from_str(&listing::to_string(ListFormat::Json, rules, catalog)).expect("the JSON listing parses");
    assert_eq!(json["format"], "iso27017-assessor/checks");
    assert_eq!(json["version"], 1);
    assert_eq!(json["checks"].as_array().map(Vec::len), Some(rules.rules().len()));
    let table = listing::to_string(ListFormat::Table, rules, catalog);
    let markdown = listing::to_string(ListFormat::Markdown, rules, catalog);
    for c in l.checks() {
        assert!(table.contains(c.id().as_str()) && markdown.contains(&format!("(`{}`)", c.id())), "{}", c.id());
        for (_, reason) in c.controls() {
            assert!(table.contains(reason), "{}: {reason}", c.id());
        }
    }
    for (id, checks) in l.controls() {
        assert!(catalog.control(id).is_some(), "{id} is not in the catalog");
        assert!(markdown.contains(&format!("\n### {id} ")), "{id}");
        assert!(!checks.is_empty());
    }
}
