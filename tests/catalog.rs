//! Catalog integrity: the bundled catalog agrees with the reference files
//! (tests/fixtures/reference, a copy of shared/reference, compared with the
//! original when it is beside the checkout) and every control has guidance of
//! the required shape.

use iso27017::catalog::prose::{self, Source};
use iso27017::catalog::{Filter, GuidanceSet, Part};
use iso27017::markdown;
use iso27017::model::{ControlId, ControlKind, MappingBasis, Role, ServiceModel};
use iso27017::workspace::IsoDate;
use iso27017::Catalog;
use std::collections::HashSet;
use std::path::Path;

fn reference(name: &str) -> Vec<Vec<String>> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/reference").join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines().skip(1).filter(|l| !l.is_empty()).map(|l| l.split('\t').map(str::to_string).collect()).collect()
}

#[test]
fn fixture_copy_matches_shared_reference_when_present() {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/reference");
    if !shared.exists() {
        eprintln!("../shared/reference not present; comparing with the committed copy only");
        return;
    }
    for name in ["iso27017-controls.tsv", "iso27002-2022-controls.tsv", "iso27002-2013-structure.tsv"] {
        let a = std::fs::read_to_string(shared.join(name)).unwrap();
        let b = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/reference").join(name)).unwrap();
        assert_eq!(a, b, "tests/fixtures/reference/{name} differs from shared/reference/{name}");
    }
}

#[test]
fn catalog_loads_without_issues() {
    let c = Catalog::bundled();
    let issues: Vec<String> = c.issues().iter().chain(GuidanceSet::bundled().issues()).map(|i| i.to_string()).collect();
    assert!(issues.is_empty(), "{} catalog issues:\n{}", issues.len(), issues.join("\n"));
}

#[test]
fn has_121_unique_controls_with_7_cld() {
    let c = Catalog::bundled();
    assert_eq!(c.controls().len(), 121);
    let ids: HashSet<&str> = c.controls().iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids.len(), 121);
    let cld: Vec<&str> = c.controls().iter().filter(|c| c.id.is_cloud_extended()).map(|c| c.id.as_str()).collect();
    assert_eq!(cld, ["CLD.6.3.1", "CLD.8.1.5", "CLD.9.5.1", "CLD.9.5.2", "CLD.12.1.5", "CLD.12.4.5", "CLD.13.1.4"]);
    assert_eq!(c.controls().iter().filter(|c| c.kind == ControlKind::CloudGuidance).count(), 37);
    assert_eq!(c.controls().iter().filter(|c| c.kind == ControlKind::NoExtraGuidance).count(), 77);
}

#[test]
fn controls_match_reference_rows_in_order() {
    let c = Catalog::bundled();
    let rows = reference("iso27017-controls.tsv");
    assert_eq!(rows.len(), c.controls().len());
    for (row, control) in rows.iter().zip(c.controls()) {
        assert_eq!(control.id.as_str(), row[0]);
        assert_eq!(control.title, row[1], "title of {}", row[0]);
        assert_eq!(control.kind.as_str(), row[2], "kind of {}", row[0]);
        let maps: Vec<&str> = control.mappings.iter().map(|m| m.id).collect();
        assert_eq!(maps.join(";"), row[3], "2022 mapping of {}", row[0]);
        for m in &control.mappings {
            assert_eq!(m.basis.as_str(), row[4], "mapping basis of {}", row[0]);
        }
        assert_eq!(control.has_suggested_mapping(), row[4] == "analyst");
    }
}

#[test]
fn groups_match_reference_structure() {
    let c = Catalog::bundled();
    let rows = reference("iso27002-2013-structure.tsv");
    assert_eq!(rows.len(), c.groups().len());
    for (row, g) in rows.iter().zip(c.groups()) {
        assert_eq!((g.id, g.title), (row[0].as_str(), row[1].as_str()));
    }
    assert_eq!(c.clauses().count(), 14, "clauses 5 to 18");
    for control in c.controls() {
        let cat = c.group(control.category).expect("category exists");
        let clause = c.group(cat.parent.expect("category has a clause")).unwrap();
        assert_eq!(clause.id.trim_start_matches("CLD."), control.clause.to_string());
    }
}

#[test]
fn every_2022_mapping_is_valid_and_titled_as_reference() {
    let c = Catalog::bundled();
    let rows = reference("iso27002-2022-controls.tsv");
    assert_eq!(rows.len(), 93);
    assert_eq!(c.iso2022().len(), 93);
    for (row, k) in rows.iter().zip(c.iso2022()) {
        assert_eq!((k.id, k.title), (row[0].as_str(), row[1].as_str()));
        assert_eq!(k.theme.as_str(), row[2].to_lowercase());
        assert_eq!(k.new_in_2022, row[3] == "yes");
        assert_eq!(k.from_2013.join(";"), row[4]);
    }
    for control in c.controls() {
        assert!(!control.mappings.is_empty(), "{} has no 2022 mapping", control.id);
        for m in &control.mappings {
            let k = c.control_2022(m.id).unwrap_or_else(|| panic!("{} maps to unknown {}", control.id, m.id));
            assert_eq!(m.title, k.title);
        }
    }
    // Every CLD control is marked as a suggested mapping.
    for control in c.controls().iter().filter(|c| c.id.is_cloud_extended()) {
        assert!(control.mappings.iter().all(|m| m.basis == MappingBasis::Analyst));
    }
}

#[test]
fn cloud_controls_have_substantial_csc_and_csp_guidance() {
    for control in Catalog::bundled().controls() {
        let g = GuidanceSet::bundled().get(&control.id).unwrap_or_else(|| panic!("{} has no guidance", control.id));
        assert!(g.summary.len() >= 200, "{} intent too short", control.id);
        let present: Vec<Part> = Part::ALL.iter().copied().filter(|p| g.part(*p).is_some()).collect();
        assert_eq!(present, control.parts(), "{}: parts present differ from those of its kind", control.id);
        assert!(control.default_responsibility.is_some(), "{} has no responsibility split", control.id);
        if control.kind.has_cloud_guidance() {
            for (role, text) in [("customer", g.customer.as_deref()), ("provider", g.provider.as_deref())] {
                let text = text.unwrap_or_else(|| panic!("{} has no {role} guidance", control.id));
                let words = text.split_whitespace().count();
                assert!(words >= 100, "{} {role} guidance has {words} words", control.id);
            }
            let pitfalls = g.pitfalls.as_deref().unwrap();
            for cloud in ["**AWS:**", "**Azure:**", "**GCP:**"] {
                assert!(pitfalls.contains(cloud), "{} pitfalls lack {cloud}", control.id);
            }
        } else {
            assert!(g.customer.is_none() && g.provider.is_none() && g.pitfalls.is_none(), "{}", control.id);
        }
    }
}

#[test]
fn guidance_renders_without_raw_html() {
    for control in Catalog::bundled().controls() {
        let g = GuidanceSet::bundled().get(&control.id).unwrap();
        for part in Part::ALL {
            if let Some(md) = g.part(*part) {
                assert!(!markdown::contains_raw_html(md), "{} {:?} has raw HTML", control.id, part);
                let html = markdown::render_safe(md);
                for tag in ["<script", "<iframe", "<img", "<style", "<div", "<span", "onerror", "javascript:"] {
                    assert!(!html.contains(tag), "{} {:?} renders {tag}", control.id, part);
                }
            }
        }
    }
}

#[test]
fn guidance_does_not_repeat_itself_across_controls() {
    // Catch copy-paste between guidance files: no paragraph of 120+ characters
    // may appear in two controls.
    let mut seen = std::collections::HashMap::new();
    for control in Catalog::bundled().controls() {
        let g = GuidanceSet::bundled().get(&control.id).unwrap();
        for part in Part::ALL {
            for para in g.part(*part).unwrap_or("").split("\n\n").map(str::trim).filter(|p| p.len() >= 120) {
                if let Some(other) = seen.insert(para.to_string(), control.id.to_string()) {
                    assert_eq!(other, control.id.to_string(), "paragraph shared by {other} and {}: {para}", control.id);
                }
            }
        }
    }
}

#[test]
fn every_guidance_file_cites_provider_documentation_and_a_verification_date() {
    // Read the files themselves, so a missing field names the file even if
    // build.rs were to change how it packs them.
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/catalog/guidance");
    let mut files = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if !name.ends_with(".md") || name == "FORMAT.md" {
            continue;
        }
        files += 1;
        let text = std::fs::read_to_string(&path).unwrap();
        let fm = text.strip_prefix("+++\n").and_then(|t| t.split_once("\n+++\n")).map(|(fm, _)| fm);
        let fm: toml::Table = toml::from_str(fm.unwrap_or_else(|| panic!("{name}: no +++ front matter"))).unwrap();
        let date = fm.get("last_verified").unwrap_or_else(|| panic!("{name}: no last_verified"));
        let date = date.as_datetime().unwrap_or_else(|| panic!("{name}: last_verified is not a TOML date"));
        assert!(date.time.is_none() && date.offset.is_none(), "{name}: last_verified is a date without a time");
        let date: IsoDate = date.to_string().parse().unwrap_or_else(|_| panic!("{name}: last_verified {date} is not a real date"));
        assert!(date >= IsoDate::new(2026, 1, 1).unwrap(), "{name}: last verified before 2026");
        let sources = fm.get("sources").and_then(|s| s.as_array()).unwrap_or_else(|| panic!("{name}: no sources list"));
        assert!(!sources.is_empty(), "{name}: sources is empty");
        for s in sources {
            let title = s.get("title").and_then(|t| t.as_str()).unwrap_or_else(|| panic!("{name}: a source without title"));
            let url = s.get("url").and_then(|t| t.as_str()).unwrap_or_else(|| panic!("{name}: a source without url"));
            assert!(!title.trim().is_empty(), "{name}: empty source title");
            let source = Source { title: title.into(), url: url.into() };
            assert!(source.safe_url().is_some(), "{name}: {url} is not https provider documentation");
        }
        let reverify = fm.get("reverify").and_then(|s| s.as_array()).unwrap_or_else(|| panic!("{name}: no reverify list"));
        assert!(!reverify.is_empty() && reverify.iter().all(|r| r.as_str().is_some_and(|r| r.len() >= 15)), "{name}: reverify needs facts");
    }
    assert_eq!(files, Catalog::bundled().controls().len());
    // The same reaches the app: every control's guidance carries them, linted.
    for control in Catalog::bundled().controls() {
        let g = GuidanceSet::bundled().get(&control.id).unwrap();
        assert!(prose::is_iso_date(&g.last_verified), "{}", control.id);
        assert!(!g.sources.is_empty() && g.sources.iter().all(|s| s.safe_url().is_some()), "{}", control.id);
    }
}

fn ids(filter: &Filter) -> Vec<String> {
    Catalog::bundled().search(filter, Some(GuidanceSet::bundled())).iter().map(|h| h.control.id.to_string()).collect()
}

#[test]
fn search_finds_controls_by_id_title_mapping_and_text() {
    let q = |s: &str| ids(&Filter { query: s.into(), ..Filter::default() });
    let virtual_hits = q("virtual");
    assert!(virtual_hits.contains(&"CLD.9.5.1".to_string()), "{virtual_hits:?}");
    assert!(virtual_hits.contains(&"CLD.13.1.4".to_string()));
    assert_eq!(q("CLD.9.5.1")[0], "CLD.9.5.1");
    assert_eq!(q("9.1.2")[0], "9.1.2");
    // 2022 numbers find the controls that map to them.
    let cloud_2022 = q("5.23");
    for id in ["CLD.6.3.1", "CLD.8.1.5", "CLD.9.5.1"] {
        assert!(cloud_2022.contains(&id.to_string()), "5.23 -> {cloud_2022:?}");
    }
    let prefix = q("9.1");
    assert!(prefix.contains(&"9.1.1".to_string()) && prefix.contains(&"9.1.2".to_string()));
    assert!(!prefix.contains(&"9.2.1".to_string()));
    assert!(q("zzzzqqq").is_empty());
    assert_eq!(q("").len(), 121);
    // All terms must match.
    assert!(q("key management").contains(&"10.1.2".to_string()));
    assert_eq!(q("cld").len(), 7);
    // Words written with capitals in the guidance are found whatever the query's case.
    for query in ["CloudTrail", "cloudtrail", "GuardDuty", "MFA", "IMDSv2"] {
        assert!(!q(query).is_empty(), "{query} finds nothing");
    }
    assert!(q("CloudTrail").contains(&"12.4.1".to_string()));
}

#[test]
fn filters_narrow_results() {
    assert_eq!(ids(&Filter { cld_only: true, ..Filter::default() }).len(), 7);
    assert_eq!(ids(&Filter { cloud_guidance_only: true, ..Filter::default() }).len(), 44);
    let clause9 = ids(&Filter { clause: Some(9), ..Filter::default() });
    assert!(clause9.iter().all(|id| id.trim_start_matches("CLD.").starts_with("9.")));
    assert_eq!(clause9.len(), 14 + 2);
    // Under SaaS, physical data-centre controls are the provider's alone.
    let csc_saas = ids(&Filter { role: Some(Role::Csc), models: vec![ServiceModel::Saas], ..Filter::default() });
    assert!(!csc_saas.contains(&"11.1.1".to_string()), "physical perimeter is not the SaaS customer's");
    let csp_any = ids(&Filter { role: Some(Role::Csp), ..Filter::default() });
    assert!(csp_any.contains(&"11.1.1".to_string()));
    let id: ControlId = "CLD.9.5.1".parse().unwrap();
    assert!(Catalog::bundled().control(&id).is_some());
}

#[test]
fn exports_cover_every_control() {
    let c = Catalog::bundled();
    let g = GuidanceSet::bundled();
    let json: serde_json::Value = serde_json::from_str(&iso27017::catalog::to_json(c, g)).unwrap();
    assert_eq!(json["format"], "iso27017-assessor/catalog");
    assert_eq!(json["version"], 2);
    assert_eq!(json["controls"].as_array().unwrap().len(), 121);
    let e = &json["controls"][0]["guidance"];
    assert_eq!((e["evidence"][0]["id"].as_str(), e["questions"][0]["id"].as_str()), (Some("5.1.1-e1"), Some("5.1.1-q1")));
    assert!(e["questions"][0]["text"].as_str().is_some_and(|t| t.len() > 20));
    assert_eq!(json["clauses"].as_array().unwrap().len(), 14);
    assert!(json["controls"].as_array().unwrap().iter().all(|c| c["guidance"]["intent"].as_str().is_some_and(|t| t.len() >= 200)));
    assert!(json["controls"].as_array().unwrap().iter().all(|c| c["responsibility"]["note"].as_str().is_some_and(|t| t.len() >= 20)));
    let md = iso27017::catalog::to_markdown(c, g);
    for control in c.controls() {
        assert!(md.contains(&format!("#### {} {}", control.id, control.title)), "{}", control.id);
        assert!(md.contains(&format!("- **{}-e3** ", control.id)) && md.contains(&format!("- **{}-q3** ", control.id)), "{}", control.id);
    }
}

#[test]
fn search_without_guidance_text_matches_facts_only() {
    let c = Catalog::bundled();
    let q = |s: &str, g: Option<&GuidanceSet>| -> Vec<String> {
        c.search(&Filter { query: s.into(), ..Filter::default() }, g).iter().map(|h| h.control.id.to_string()).collect()
    };
    // Ids, titles and 2022 numbers need no guidance text.
    assert_eq!(q("CLD.9.5.1", None)[0], "CLD.9.5.1");
    assert!(q("virtual", None).contains(&"CLD.9.5.1".to_string()), "title match");
    assert_eq!(q("5.23", None), q("5.23", Some(GuidanceSet::bundled())));
    // A word found only in guidance text needs it, and then has an excerpt.
    let with = c.search(&Filter { query: "hypervisor".into(), ..Filter::default() }, Some(GuidanceSet::bundled()));
    assert!(!with.is_empty());
    assert!(with.iter().any(|h| h.excerpt.as_deref().is_some_and(|e| e.contains("hypervisor"))));
    assert!(q("hypervisor", None).len() < with.len());
}

/// The guidance asset: what the page fetches is what native builds embed,
/// and damaged or foreign assets are refused with a reason, never a panic.
mod guidance_asset {
    use super::*;
    use iso27017::catalog::prose::GuidanceEntryV2;
    use iso27017::catalog::GuidanceError;
    use std::io::Write;

    fn web_asset() -> Vec<u8> {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/web-assets").join(prose::ASSET_NAME);
        std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e} (written by build.rs)", path.display()))
    }

    fn pack(json: &str) -> Vec<u8> {
        let mut e = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
        e.write_all(json.as_bytes()).unwrap();
        e.finish().unwrap()
    }

    #[test]
    fn the_web_asset_reads_as_the_bundled_guidance() {
        // public/boot.js fetches this name for deep links; the page checks the digest.
        assert_eq!(prose::ASSET_NAME, "guidance.bin");
        let boot = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("public/boot.js")).unwrap();
        assert!(boot.contains(&format!("fetch('{}')", prose::ASSET_NAME)), "public/boot.js preloads the asset by name");
        assert_eq!(prose::digest(&web_asset()), prose::ASSET_DIGEST, "the page would refuse the asset it is served");
        let c = Catalog::bundled();
        let read = GuidanceSet::from_asset_linted(&web_asset(), c).expect("the web asset reads");
        assert!(read.issues().is_empty(), "{:?}", read.issues());
        for control in c.controls() {
            assert_eq!(read.get(&control.id), GuidanceSet::bundled().get(&control.id), "{}", control.id);
        }
        let id: ControlId = "CLD.9.5.1".parse().unwrap();
        assert!(read.get(&id).unwrap().customer.as_deref().is_some_and(|t| t.len() >= 600));
    }

    #[test]
    fn unusable_assets_are_refused() {
        let c = Catalog::bundled();
        let err = |bytes: &[u8]| GuidanceSet::from_asset(bytes, c).err().expect("refused");
        assert!(matches!(err(b""), GuidanceError::Damaged { .. }));
        assert!(matches!(err(b"<!doctype html><title>404</title>"), GuidanceError::Damaged { .. }));
        let whole = web_asset();
        assert!(matches!(err(&whole[..whole.len() / 2]), GuidanceError::Damaged { .. }));
        assert!(matches!(err(&pack("[1, 2]")), GuidanceError::Malformed { .. }));
        // Version 1 (no sources), version 2 (no check texts) and a later version are all another format.
        let v1 = r#"{"format":"iso27017-assessor/guidance","version":1,"edition":"iso27017-2015","controls":[]}"#;
        assert_eq!(err(&pack(v1)), GuidanceError::Unsupported { format: "iso27017-assessor/guidance".into(), version: 1 });
        let v2 = r#"{"format":"iso27017-assessor/guidance","version":2,"edition":"iso27017-2015","controls":[]}"#;
        assert_eq!(err(&pack(v2)), GuidanceError::Unsupported { format: "iso27017-assessor/guidance".into(), version: 2 });
        let v4 = r#"{"format":"iso27017-assessor/guidance","version":4,"edition":"iso27017-2015","controls":[],"checks":[]}"#;
        assert_eq!(err(&pack(v4)), GuidanceError::Unsupported { format: "iso27017-assessor/guidance".into(), version: 4 });
        let other = r#"{"format":"iso27017-assessor/guidance","version":3,"edition":"iso27017-2030","controls":[],"checks":[]}"#;
        assert!(matches!(err(&pack(other)), GuidanceError::OtherEdition { .. }));
        assert!(err(&pack(v4)).to_string().contains("version 4"));
        let entry_without_sources = r#"{"format":"iso27017-assessor/guidance","version":3,"edition":"iso27017-2015","controls":[{"id":"5.1.1","responsibility_note":"n","markdown":"m"}]}"#;
        assert!(matches!(err(&pack(entry_without_sources)), GuidanceError::Malformed { .. }));
    }

    #[test]
    fn content_problems_are_issues_naming_the_control() {
        let c = Catalog::bundled();
        let entries = vec![
            GuidanceEntryV2 {
                id: "5.1.1".into(),
                responsibility_note: "short".into(),
                markdown: "Too short.\n\n## Unknown part\n\ntext".into(),
                last_verified: "2026-02-30".into(),
                sources: vec![Source { title: "A page".into(), url: "http://docs.aws.amazon.com/x".into() }],
                reverify: vec![],
            },
            GuidanceEntryV2 {
                id: "99.9.9".into(),
                responsibility_note: "A note long enough to pass.".into(),
                markdown: String::new(),
                last_verified: "2026-12-07".into(),
                sources: vec![],
                reverify: vec![],
            },
            GuidanceEntryV2 {
                id: "5.1.2".into(),
                responsibility_note: "A note long enough to pass.".into(),
                markdown: "Intent.\n\n## Evidence an auditor will ask for\n\n- [e1] one\n- [e1] two\n- no id\n\n## Audit questions\n\n- [q1] Why?\n".into(),
                last_verified: "2026-12-07".into(),
                sources: vec![],
                reverify: vec![],
            },
        ];
        let mut set = GuidanceSet::from_entries(entries, c);
        let read_issues = set.issues().len();
        assert!(set.issues().iter().any(|i| i.message.starts_with("unknown section heading")), "found while reading");
        set.lint(c);
        assert!(set.issues().len() > read_issues, "the lint adds the content rules");
        let text: Vec<String> = set.issues().iter().map(|i| i.to_string()).collect();
        for expected in [
            "5.1.1: responsibility_note",
            "5.1.1: unknown section heading",
            "5.1.1: intent summary has",
            "5.1.1: no \"Audit questions\" section",
            "5.1.1: last_verified \"2026-02-30\" is not a date",
            "5.1.1: source \"http://docs.aws.amazon.com/x\" is not an https link",
            "5.1.1: lists 0 facts to re-verify",
            "99.9.9: guidance text for a control that is not in the catalog",
            "6.1.1: no guidance text",
            "5.1.2: evidence: item id e1 is used twice",
            "5.1.2: evidence: line \"- no id\" is not an item",
            "5.1.2: evidence lists 1 items, needs 3",
            "5.1.2: 1 audit questions, needs 3 to 6",
        ] {
            assert!(text.iter().any(|t| t.starts_with(expected)), "{expected} not in {text:?}");
        }
        assert!(set.get(&"6.1.1".parse().unwrap()).is_none());
        let g = set.get(&"5.1.2".parse().unwrap()).unwrap();
        assert_eq!((g.evidence_items.len(), g.audit_questions[0].id.to_string().as_str(), g.evidence.as_deref()), (1, "q1", Some("- one\n")));
        let unreadable = GuidanceSet::unreadable(c, &GuidanceError::TooLarge { max: 1 });
        assert_eq!(unreadable.issues().len(), 1);
        assert!(unreadable.get(&"5.1.1".parse().unwrap()).is_none());
    }
}

#[test]
fn every_control_has_evidence_items_and_audit_questions_with_unique_ids() {
    for control in Catalog::bundled().controls() {
        let g = GuidanceSet::bundled().get(&control.id).unwrap_or_else(|| panic!("{} has no guidance", control.id));
        let evidence: Vec<String> = g.evidence_items.iter().map(|i| i.id.to_string()).collect();
        let questions: Vec<String> = g.audit_questions.iter().map(|i| i.id.to_string()).collect();
        assert!(evidence.len() >= 3, "{} has {} evidence items, needs 3+", control.id, evidence.len());
        assert!((3..=6).contains(&questions.len()), "{} has {} audit questions, needs 3 to 6", control.id, questions.len());
        for ids in [&evidence, &questions] {
            assert_eq!(ids.iter().collect::<HashSet<_>>().len(), ids.len(), "{}: repeated ids {ids:?}", control.id);
        }
        for text in g.evidence_items.iter().map(|i| &i.text).chain(g.audit_questions.iter().map(|i| &i.text)) {
            assert!(text.len() >= 20 && text.trim() == text, "{}: item {text:?} is too short or has stray spaces", control.id);
        }
        for q in &g.audit_questions {
            assert!(q.text.ends_with('?') || q.text.ends_with('.'), "{}-{}: a question or a request ends with ? or .", control.id, q.id);
        }
    }
}

/// Shipped item ids (`tests/fixtures/catalog/item-ids.tsv`): one qualified
/// id per line (`12.4.2-e1`), `<id>\tretired` for an item taken out.
mod item_ids {
    use super::*;
    use std::collections::BTreeSet;

    const LOCK: &str = "tests/fixtures/catalog/item-ids.tsv";

    /// What is wrong between the shipped ids (`lock`) and the current ones.
    fn problems(lock: &str, current: &BTreeSet<String>) -> Vec<String> {
        let mut out = Vec::new();
        let mut shipped = BTreeSet::new();
        for line in lock.lines().filter(|l| !l.trim().is_empty() && !l.starts_with('#')) {
            let (id, retired) = match line.split_once('\t') {
                Some((id, "retired")) => (id, true),
                Some(_) => {
                    out.push(format!("{LOCK}: line {line:?} is neither an id nor \"<id>\\tretired\""));
                    continue;
                }
                None => (line, false),
            };
            shipped.insert(id.to_string());
            match (retired, current.contains(id)) {
                (false, false) => out.push(format!("{id} was shipped and is gone: ids are never removed or renumbered; if the item was taken out, mark it \"{id}\\tretired\" in {LOCK}")),
                (true, true) => out.push(format!("{id} is retired and may not be used again: give the item the next free number")),
                _ => {}
            }
        }
        for id in current.difference(&shipped) {
            out.push(format!("{id} is new: add it to {LOCK} (UPDATE_IDS=1 cargo test --test catalog item_ids)"));
        }
        out
    }

    fn current() -> BTreeSet<String> {
        let mut ids = BTreeSet::new();
        for c in Catalog::bundled().controls() {
            if let Some(g) = GuidanceSet::bundled().get(&c.id) {
                ids.extend(g.evidence_items.iter().map(|i| i.qualified(&c.id)));
                ids.extend(g.audit_questions.iter().map(|i| i.qualified(&c.id)));
            }
        }
        ids
    }

    #[test]
    fn shipped_ids_are_never_renumbered_or_reused() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(LOCK);
        let mut lock = std::fs::read_to_string(&path).unwrap_or_default();
        let current = current();
        if std::env::var_os("UPDATE_IDS").is_some() {
            // Adds the new ids only: a shipped id is never dropped from the lock.
            let known: BTreeSet<&str> = lock.lines().map(|l| l.split('\t').next().unwrap_or("")).collect();
            let new: Vec<&String> = current.iter().filter(|id| !known.contains(id.as_str())).collect();
            for id in new {
                lock.push_str(id);
                lock.push('\n');
            }
            std::fs::write(&path, &lock).unwrap();
        }
        let problems = problems(&lock, &current);
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    #[test]
    fn a_renumbered_removed_or_reused_id_is_refused() {
        let set = |ids: &[&str]| ids.iter().map(|s| s.to_string()).collect::<BTreeSet<_>>();
        let lock = "# shipped\n1.1.1-e1\n1.1.1-e2\n1.1.1-e3\tretired\n";
        assert!(problems(lock, &set(&["1.1.1-e1", "1.1.1-e2"])).is_empty());
        // An item taken out without retiring its id, or a later one moved up into its number.
        assert!(problems(lock, &set(&["1.1.1-e1"]))[0].contains("1.1.1-e2 was shipped and is gone"));
        assert!(problems(lock, &set(&["1.1.1-e1", "1.1.1-e2", "1.1.1-e3"]))[0].contains("1.1.1-e3 is retired"));
        assert!(problems(lock, &set(&["1.1.1-e1", "1.1.1-e2", "1.1.1-e4"]))[0].contains("1.1.1-e4 is new"));
        assert!(problems("1.1.1-e1\tgone\n", &set(&[]))[0].contains("neither an id"));
    }
}
