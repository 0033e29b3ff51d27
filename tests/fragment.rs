//! The evidence view: for every finding `engine::assess_files` makes on every
//! fixture of every format, `ingest::fragment` finds the part of the file
//! behind the resource and behind each evidence pointer — also gzipped.

use iso27017::checks::{Context, RuleSet};
use iso27017::engine;
use iso27017::ingest::{fragment, Fragment, FragmentError, Limits, Place};
use iso27017::inventory::SourceRef;
use std::io::Write as _;

const MAX_CHARS: usize = 4_000;

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

#[test]
fn every_finding_of_every_fixture_has_a_fragment() {
    let limits = Limits::default();
    let (mut files, mut resources, mut evidence, mut absent, mut lines, mut yaml_json) = (0, 0, 0, 0, 0, 0);
    let mut dirs: Vec<_> = std::fs::read_dir("tests/fixtures/ingest").unwrap().map(|d| d.unwrap().path()).collect();
    dirs.sort();
    let mut formats = std::collections::BTreeSet::new();
    for dir in dirs {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "md") {
                continue;
            }
            let bytes = std::fs::read(&path).unwrap();
            let name = path.to_string_lossy().to_string();
            let a = engine::assess_files([(name.as_str(), bytes.as_slice())], &limits, RuleSet::bundled(), &Context::on(2026, 6, 1));
            let Some(format) = a.inputs[0].format else { continue };
            formats.insert(format.as_str());
            files += 1;
            let gz = gzip(&bytes);
            for f in &a.findings {
                let src = &f.resource.source;
                let got = fragment(&bytes, src, &limits, MAX_CHARS).unwrap_or_else(|e| panic!("{name} {} {src:?}: {e}", f.check));
                assert!(!got.text.is_empty(), "{name} {src:?}");
                assert!(got.text.chars().count() <= MAX_CHARS);
                assert_eq!(fragment(&gz, src, &limits, MAX_CHARS).unwrap(), got, "{name}: gzip gives the same");
                resources += 1;
                if matches!(got.place, Place::Lines { .. }) {
                    lines += 1;
                    // YAML pointers resolve in the JSON equivalent too.
                    if name.ends_with(".yaml") || name.ends_with(".yml") {
                        let no_line = SourceRef { line: None, ..src.clone() };
                        fragment(&bytes, &no_line, &limits, MAX_CHARS).unwrap_or_else(|e| panic!("{name} {no_line:?}: {e}"));
                        yaml_json += 1;
                    }
                }
                for e in f.evidence.iter().filter(|e| !e.pointer.is_empty()) {
                    let at = SourceRef { file: src.file.clone(), pointer: e.pointer.clone(), line: src.line };
                    match fragment(&bytes, &at, &limits, MAX_CHARS) {
                        Ok(_) => evidence += 1,
                        // The documented reason: the export leaves the attribute out (the
                        // check saw nothing there, or derived a value from its absence, e.g.
                        // no log group ARN = no CloudWatch integration); the nearest existing
                        // parent is shown instead, and it must resolve.
                        Err(FragmentError::NotFound { found, .. }) => {
                            let parent = SourceRef { pointer: found.into(), ..at.clone() };
                            fragment(&bytes, &parent, &limits, MAX_CHARS).unwrap_or_else(|e| panic!("{name} {parent:?}: {e}"));
                            absent += 1;
                        }
                        Err(other) => panic!("{name} {} evidence {:?}: {other}", f.check, e.pointer),
                    }
                }
            }
        }
    }
    println!("{files} files, {resources} resource fragments ({lines} by line, {yaml_json} YAML as JSON), {evidence} evidence fragments, {absent} evidence pointers to attributes the export leaves out");
    assert!(formats.len() >= 10, "{formats:?}");
    assert!(resources > 500 && evidence > 200 && lines > 20, "{resources} {evidence} {lines}");
}

#[test]
fn stream_parsed_pointers_resolve_in_large_synthetic_exports() {
    #[path = "bench/synth.rs"]
    #[allow(dead_code)]
    mod synth;
    let limits = Limits::default();
    for text in [synth::terraform_plan(300), synth::aws_config_snapshot(300)] {
        let a = engine::assess_files([("big.json", text.as_bytes())], &limits, RuleSet::bundled(), &Context::on(2026, 6, 1));
        assert!(a.findings.len() > 300);
        for f in a.findings.iter().step_by(7) {
            let got: Fragment = fragment(text.as_bytes(), &f.resource.source, &limits, 50_000).unwrap();
            assert!(got.text.starts_with('{'), "{:?}", f.resource.source);
            assert!(got.text.contains(&*f.resource.name) || got.text.contains(&*f.resource.id), "{:?}", f.resource.source);
            for e in f.evidence.iter().filter(|e| !e.pointer.is_empty()) {
                let at = SourceRef { pointer: e.pointer.clone(), ..f.resource.source.clone() };
                assert!(fragment(text.as_bytes(), &at, &limits, 1000).is_ok(), "{at:?}");
            }
        }
    }
}

#[test]
fn clipping_and_errors_are_reported() {
    let limits = Limits::default();
    let bytes = std::fs::read("tests/fixtures/ingest/terraform/full_compute_firewall.tfplan.json").unwrap();
    let src = |p: &str| SourceRef { file: "p".into(), pointer: p.into(), line: None };
    let small = fragment(&bytes, &src("/resource_changes/0"), &limits, 40).unwrap();
    assert!(small.clipped && small.text.chars().count() == 40);
    let e = fragment(&bytes, &src("/resource_changes/99/change"), &limits, 40).unwrap_err();
    assert_eq!(e, FragmentError::NotFound { pointer: "/resource_changes/99/change".into(), found: "/resource_changes".into() });
    assert!(e.to_string().contains("changed since it was assessed"));
    assert!(matches!(fragment(&bytes[..bytes.len() / 2], &src("/zzz"), &limits, 40), Err(FragmentError::NotJson { .. })));
    let tiny = Limits { max_input_bytes: 10, ..Limits::default() };
    assert!(matches!(fragment(&bytes, &src(""), &tiny, 40), Err(FragmentError::Unreadable(_))));
    assert!(matches!(fragment(b"", &src("/a"), &limits, 40), Err(FragmentError::Unreadable(_) | FragmentError::NotFound { .. })));
}
