//! The CLI's documents are written as they are made (`report::{json, sarif,
//! markdown, table}::to_writer`). On a realistic assessment (every fixture, a
//! synthetic plan and snapshot, an unusable input, and findings edited to
//! cover what the fixtures lack) their bytes equal those of the first
//! versions, which built each document whole (kept in `tests/report_stream/`):
//! the JSON with every passing finding (`Passes::Full`, but for its version
//! number), the SARIF without them; the compact JSON (`Passes::Counted`) is
//! the full one less the passing findings plus their count and resource ids
//! per check, and the SARIF with passes is the log plus one `pass` result per
//! passing finding. Writing stops at the writer's first error with that
//! error; and writing the JSON or SARIF document never holds it (peak heap
//! measured on this thread).

#[path = "report_stream/previous_json.rs"]
mod previous_json;
#[path = "report_stream/previous_markdown.rs"]
mod previous_markdown;
#[path = "report_stream/previous_sarif.rs"]
mod previous_sarif;
#[path = "report_stream/previous_table.rs"]
mod previous_table;
#[path = "bench/synth.rs"]
mod synth;

use iso27017::checks::{Context, Evidence, Finding, Message, ResourceRef, RuleSet};
use iso27017::engine::{self, Assessment};
use iso27017::ingest::Limits;
use iso27017::inventory::{Provider, SourceRef};
use iso27017::model::{ControlId, Status};
use iso27017::report::{self, Passes};
use serde_json::json;
use std::sync::{Arc, OnceLock};

/// Counts this thread's heap in use (tests run on several threads at once).
mod heap {
    use std::alloc::{GlobalAlloc, Layout, System};
    use std::cell::Cell;

    pub struct Counting;

    thread_local! {
        static LIVE: Cell<isize> = const { Cell::new(0) };
        static PEAK: Cell<isize> = const { Cell::new(0) };
    }

    fn track(delta: isize) {
        let _ = LIVE.try_with(|live| {
            let now = live.get() + delta;
            live.set(now);
            let _ = PEAK.try_with(|peak| peak.set(peak.get().max(now)));
        });
    }

    // SAFETY: every call is forwarded to the system allocator unchanged; the
    // counters are plain thread-local cells (const-initialised: no allocation).
    unsafe impl GlobalAlloc for Counting {
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            let p = unsafe { System.alloc(layout) };
            if !p.is_null() {
                track(layout.size() as isize);
            }
            p
        }
        unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
            unsafe { System.dealloc(ptr, layout) };
            track(-(layout.size() as isize));
        }
        unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
            let p = unsafe { System.realloc(ptr, layout, new_size) };
            if !p.is_null() {
                track(new_size as isize - layout.size() as isize);
            }
            p
        }
    }

    /// The most heap this thread held at once while `f` ran, beyond what it
    /// held before.
    pub fn peak_during(f: impl FnOnce()) -> usize {
        let before = LIVE.with(Cell::get);
        PEAK.with(|p| p.set(before));
        f();
        usize::try_from(PEAK.with(Cell::get) - before).unwrap_or(0)
    }
}

#[global_allocator]
static HEAP: heap::Counting = heap::Counting;

fn rules() -> &'static RuleSet {
    RuleSet::bundled()
}

/// Every fixture in one run, a synthetic plan and snapshot, an unusable
/// input, and edited copies of real findings for what the fixtures lack.
fn realistic() -> &'static Assessment {
    static A: OnceLock<Assessment> = OnceLock::new();
    A.get_or_init(|| {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ingest");
        let mut dirs: Vec<_> = std::fs::read_dir(&root).unwrap().map(|e| e.unwrap().path()).collect();
        dirs.sort();
        let mut inputs: Vec<(String, Vec<u8>)> = Vec::new();
        for d in dirs {
            let mut files: Vec<_> = std::fs::read_dir(&d).unwrap().map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|x| x != "md")).collect();
            files.sort();
            for f in files {
                let name = f.strip_prefix(&root).unwrap().display().to_string();
                inputs.push((name, std::fs::read(&f).unwrap()));
            }
        }
        inputs.push(("synthetic-plan.json".into(), synth::terraform_plan(1000).into_bytes()));
        inputs.push(("synthetic-config.json".into(), synth::aws_config_snapshot(1000).into_bytes()));
        inputs.push(("broken \"quoted\" ✗.json".into(), b"{\"resource_changes\": [".to_vec()));
        let mut a = engine::assess_files(inputs, &Limits::default(), rules(), &Context::on(2026, 6, 1));
        assert!(a.findings.len() > 10_000, "{} findings", a.findings.len());
        assert!(a.has_unusable_input());
        for status in [Status::Pass, Status::Fail, Status::Indeterminate] {
            assert!(a.findings.iter().any(|f| f.status == status), "no {status:?} finding");
        }
        assert!(a.findings.iter().any(|f| f.resource.source.line.is_some()), "no finding with a line");
        assert!(a.inputs.iter().any(|i| !i.diagnostics.is_empty()), "no diagnostics");
        let extra = edited(&a);
        // Put them at the front, in the middle (between two findings of one
        // check) and at the end.
        let mid = a.findings.len() / 2;
        a.findings.splice(mid..mid, extra.iter().cloned());
        a.findings.splice(0..0, extra.iter().cloned());
        a.findings.extend(extra);
        a
    })
}

/// Findings the fixtures do not produce: several conditions on one property
/// (out of order, with different values), text needing escapes, line 0, an
/// unknown check, no evidence, an indeterminate sentence with a reason.
fn edited(a: &Assessment) -> Vec<Finding> {
    let model = a.findings.iter().find(|f| f.evidence.len() >= 2 && f.status == Status::Fail).expect("a failing finding with two conditions").clone();
    let tricky = Arc::new(ResourceRef {
        provider: Provider::Azure,
        kind: "object_bucket".into(),
        native_type: "Microsoft.Storage/storageAccounts".into(),
        id: "/subscriptions/x|y/\"id\"\\with\tescapes\u{1}".into(),
        name: "ünïcödé </script> \"name\"\n✓".into(),
        account: None,
        source: SourceRef { file: "dir/ünïcödé \"file\".json".into(), pointer: "/a~1b/c~0d/0".into(), line: Some(0) },
    });
    let ev = |prop: &str, observed: Option<serde_json::Value>, expected: &str| {
        Evidence::new(prop, expected, format!("/props/{prop}").into(), observed.map(Arc::new))
    };
    let mut out = Vec::new();
    let mut f = model.clone();
    f.resource = tricky.clone();
    f.message = Message::template("{resource} is \"open\" to {resource}\n".into(), tricky.clone());
    f.evidence = [
        ev("zeta", Some(json!({"b": [1, 2.5, null], "a": "x\u{7f}"})), "zeta is set"),
        ev("alpha", None, "alpha exists"),
        ev("mid", Some(json!(false)), "mid is true"),
        ev("alpha", Some(json!("second")), "alpha is \"second\""),
        ev("Alpha", Some(json!(-1)), "upper case sorts first"),
        ev("alpha", Some(json!(3)), "the last alpha wins"),
    ]
    .into_iter()
    .collect();
    out.push(f.clone());
    f.evidence.reverse();
    out.push(f.clone());
    let mut g = f.clone();
    g.status = Status::Indeterminate;
    g.reason = Some("the export does not say \"why\"".into());
    g.message = Message::unknown(tricky.clone(), g.reason.clone());
    g.evidence = Default::default();
    out.push(g.clone());
    let mut u = model.clone();
    u.check = "unknown_check_not_in_the_rules".parse().unwrap();
    u.controls = Arc::from(vec!["CLD.9.5.1".parse::<ControlId>().unwrap(), "12.4.1".parse().unwrap()]);
    u.resource = Arc::new(ResourceRef { source: SourceRef { line: Some(7), ..tricky.source.clone() }, ..(*tricky).clone() });
    out.push(u.clone());
    u.evidence = [ev("", Some(json!("")), "")].into_iter().collect();
    u.controls = Arc::from(Vec::new());
    out.push(u);
    out.push(model);
    out
}

/// Equal documents, or the first line where they differ (they are megabytes).
fn same(new: &str, old: &str, what: &str) {
    if new == old {
        return;
    }
    let line = new.lines().zip(old.lines()).position(|(a, b)| a != b).unwrap_or_else(|| new.lines().count().min(old.lines().count()));
    let show = |s: &str| s.lines().skip(line.saturating_sub(3)).take(7).collect::<Vec<_>>().join("\n");
    panic!("{what}: differs at line {} ({} vs {} bytes)\n--- streamed:\n{}\n--- whole (previous):\n{}", line + 1, new.len(), old.len(), show(new), show(old));
}

fn written(write: impl FnOnce(&mut Vec<u8>) -> std::io::Result<()>) -> String {
    let mut out = Vec::new();
    write(&mut out).unwrap();
    String::from_utf8(out).unwrap()
}

/// The first version's JSON document, with the version number of today's.
fn previous_json_now(a: &Assessment) -> String {
    let old = previous_json::to_string(a, rules());
    let (from, to) = ("\n  \"version\": 1,\n", format!("\n  \"version\": {},\n", report::json::VERSION));
    assert_eq!(old.matches(from).count(), 1, "one top-level version field");
    old.replacen(from, &to, 1)
}

#[test]
fn full_json_is_the_document_built_whole() {
    let a = realistic();
    let old = previous_json_now(a);
    assert!(old.len() > 1_000_000 && old.contains("unknown_check_not_in_the_rules"), "{} bytes", old.len());
    same(&report::json::to_string(a, rules(), Passes::Full), &old, "json::to_string");
    same(&written(|w| report::json::to_writer(w, a, rules(), Passes::Full)), &old, "json::to_writer");
}

#[test]
fn compact_json_counts_the_passes_per_check() {
    let a = realistic();
    let compact = report::json::to_string(a, rules(), Passes::Counted);
    same(&written(|w| report::json::to_writer(w, a, rules(), Passes::Counted)), &compact, "json::to_writer");
    let mut v: serde_json::Value = serde_json::from_str(&compact).unwrap();
    let full: serde_json::Value = serde_json::from_str(&previous_json_now(a)).unwrap();
    assert_eq!(v["version"], 2);

    // The failing and indeterminate findings are those of the full document,
    // in full and in order; no passing finding is written as a finding.
    let kept: Vec<&serde_json::Value> = full["findings"].as_array().unwrap().iter().filter(|f| f["status"] != "pass").collect();
    let findings = v["findings"].as_array().unwrap();
    assert!(findings.iter().all(|f| f["status"] != "pass"), "a passing finding written in full");
    assert_eq!(findings.iter().collect::<Vec<_>>(), kept);
    // One line per finding, and per check's passes.
    let lines: Vec<&str> = compact.lines().filter(|l| l.starts_with("    {\"check\":") && l.contains("\"status\":")).collect();
    assert_eq!(lines.len(), kept.len());
    assert!(lines.iter().all(|l| !l.contains("\"status\":\"pass\"")));

    // One entry per check with a pass, in the order of the checks' first
    // passing finding: its count and the resource of each passing finding.
    let mut expected: Vec<(&str, Vec<&str>)> = Vec::new();
    for f in a.findings.iter().filter(|f| f.status == Status::Pass) {
        match expected.iter_mut().find(|(c, _)| *c == f.check.as_str()) {
            Some((_, ids)) => ids.push(&f.resource.id),
            None => expected.push((f.check.as_str(), vec![&f.resource.id])),
        }
    }
    let passed = v["passed"].as_array().unwrap();
    assert!(expected.len() > 20, "{} checks pass", expected.len());
    assert_eq!(passed.len(), expected.len());
    for (p, (check, ids)) in passed.iter().zip(&expected) {
        assert_eq!(p["check"], *check);
        assert_eq!(p["count"], ids.len(), "{check}");
        assert_eq!(p["resources"], serde_json::json!(ids), "{check}");
        let rule = rules().rule(check).unwrap();
        assert_eq!(p["title"], rule.title.as_str());
        assert_eq!(p["severity"], rule.severity.as_str());
        assert_eq!(p["controls"], serde_json::json!(rule.controls.iter().map(|c| c.as_str()).collect::<Vec<_>>()));
        let keys: Vec<&str> = p.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys, ["check", "controls", "count", "resources", "severity", "title"]);
    }
    let counted: u64 = passed.iter().map(|p| p["count"].as_u64().unwrap()).sum();
    assert_eq!(counted, v["summary"]["pass"].as_u64().unwrap(), "every pass counted once");
    assert_eq!(counted as usize, a.tally().pass);

    // Everything else is the full document's.
    let keys = |v: &serde_json::Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    v.as_object_mut().unwrap().remove("passed");
    assert_eq!(keys(&v), keys(&full));
    for key in keys(&full).iter().filter(|k| *k != "findings") {
        assert!(v[key] == full[key], "{key} differs");
    }
    assert!(compact.len() * 2 < previous_json_now(a).len(), "compact {} B", compact.len());
}

#[test]
fn sarif_is_the_log_built_whole() {
    let a = realistic();
    let old = previous_sarif::to_string(a, rules());
    assert!(old.len() > 500_000 && old.contains("\"startLine\": 1\n") && old.contains("\"region\""), "{} bytes", old.len());
    same(&report::sarif::to_string(a, rules(), Passes::Counted), &old, "sarif::to_string");
    same(&written(|w| report::sarif::to_writer(w, a, rules(), Passes::Counted)), &old, "sarif::to_writer");
}

/// The realistic assessment with a workspace's decisions on every seventh
/// failing finding: waived or risk accepted, in force or expired on the day,
/// reasons needing escapes.
fn decided() -> (Assessment, usize, usize) {
    use iso27017::workspace::decided::Decided;
    use iso27017::workspace::{DecisionKind, FindingDecision, IsoDate};
    let mut a = realistic().clone();
    let today = IsoDate::new(2026, 6, 1).unwrap().days();
    let decisions: Vec<FindingDecision> = a
        .findings
        .iter()
        .filter(|f| f.status == Status::Fail)
        .step_by(7)
        .enumerate()
        .map(|(i, f)| FindingDecision {
            check: f.check.clone(),
            resource_id: f.resource.id.to_string(),
            kind: if i % 2 == 0 { DecisionKind::Waived } else { DecisionKind::RiskAccepted },
            reason: format!("reason {i}: \"quoted\"\\ \n </script> ✓"),
            expires: Some(if i % 3 == 0 { IsoDate::new(2026, 6, 1).unwrap() } else { IsoDate::new(2027, 1, 1).unwrap() }),
        })
        .collect();
    a.apply_decisions(Decided::new(&decisions, today));
    let (in_force, expired) = a.decided_counts();
    assert!(in_force > 100 && expired > 50, "{in_force} in force, {expired} expired");
    (a, in_force, expired)
}

#[test]
fn decisions_add_their_fields_and_change_nothing_else() {
    let (a, in_force, expired) = decided();
    let plain = realistic();
    // JSON, both layouts: each decided finding carries its decision; removed,
    // the findings are those without decisions; the summary counts the
    // failures in force as not failing.
    for passes in [Passes::Full, Passes::Counted] {
        let text = report::json::to_string(&a, rules(), passes);
        same(&written(|w| report::json::to_writer(w, &a, rules(), passes)), &text, "json::to_writer");
        let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
        let old: serde_json::Value = serde_json::from_str(&report::json::to_string(plain, rules(), passes)).unwrap();
        let findings = v["findings"].as_array_mut().unwrap();
        let mut seen = (0, 0);
        for f in findings.iter_mut() {
            if let Some(d) = f.as_object_mut().unwrap().remove("decision") {
                assert_eq!(f["status"], "fail");
                if d["in_force"] == true { seen.0 += 1 } else { seen.1 += 1 }
                assert!(d["reason"].as_str().unwrap().ends_with("\"quoted\"\\ \n </script> ✓"));
            }
        }
        assert_eq!(seen, (in_force, expired), "{passes:?}");
        assert_eq!(v["findings"], old["findings"], "{passes:?}");
        assert_eq!(v["summary"]["fail"].as_u64().unwrap() as usize + in_force, old["summary"]["fail"].as_u64().unwrap() as usize);
    }
    // SARIF: the results under a decision in force carry one accepted
    // external suppression; those whose decision expired say so in their
    // message; less those, the log without decisions.
    let text = report::sarif::to_string(&a, rules(), Passes::Counted);
    same(&written(|w| report::sarif::to_writer(w, &a, rules(), Passes::Counted)), &text, "sarif::to_writer");
    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let old: serde_json::Value = serde_json::from_str(&previous_sarif::to_string(plain, rules())).unwrap();
    let (mut suppressed, mut lapsed) = (0, 0);
    for r in v["runs"][0]["results"].as_array_mut().unwrap() {
        if let Some(s) = r.as_object_mut().unwrap().remove("suppressions") {
            assert_eq!((s[0]["kind"].as_str(), s[0]["status"].as_str()), (Some("external"), Some("accepted")));
            assert!(s[0]["justification"].as_str().unwrap().contains(" until 2027-01-01: reason "));
            suppressed += 1;
        }
        let m = r["message"]["text"].as_str().unwrap().to_string();
        if let Some(at) = m.find(" (waiver expired on 2026-06-01: ").or_else(|| m.find(" (risk acceptance expired on 2026-06-01: ")) {
            r["message"]["text"] = serde_json::json!(m[..at]);
            lapsed += 1;
        }
    }
    assert_eq!((suppressed, lapsed), (in_force, expired));
    assert_eq!(v, old, "less the decisions, the log without them");
    // Table and Markdown: one line per finding still, each decided one naming its decision.
    let table = report::table::to_string(&a);
    assert_eq!(table.lines().filter(|l| l.starts_with("WAIVED ") || l.starts_with("ACCEPTED")).count(), in_force);
    assert_eq!(table.lines().filter(|l| l.contains(" expired on 2026-06-01: ")).count(), expired);
    assert_eq!(table.lines().count(), report::table::to_string(plain).lines().count() + 1, "one line more: the decisions' count");
    let md = report::markdown::to_string(&a, rules());
    let notes: Vec<&str> = md.lines().filter(|l| l.contains(" — **waived until ") || l.contains(" — **risk accepted until ") || l.contains(" — **fails again**: ")).collect();
    // Markdown lists the failures of our rules and the imported ones.
    let listed = a.findings.iter().filter(|f| a.decided.of(f).is_some() && (rules().rule(f.check.as_str()).is_some() || f.origin.is_some())).count();
    assert!(listed > 100);
    assert_eq!(notes.len(), listed);
    assert!(notes.iter().all(|l| l.ends_with("\\</script\\> ✓**") || l.ends_with("\\</script\\> ✓")), "the reason is escaped: {:?}", notes.first());
    assert_eq!(md.lines().count(), report::markdown::to_string(plain, rules()).lines().count());
}

#[test]
fn sarif_with_passes_adds_one_pass_result_per_passing_finding() {
    let a = realistic();
    let with = report::sarif::to_string(a, rules(), Passes::Full);
    same(&written(|w| report::sarif::to_writer(w, a, rules(), Passes::Full)), &with, "sarif::to_writer");
    let mut v: serde_json::Value = serde_json::from_str(&with).unwrap();
    let results = v["runs"][0]["results"].as_array_mut().unwrap();
    assert_eq!(results.len(), a.findings.iter().filter(|f| f.status != Status::NotApplicable).count(), "one result per finding");
    let passes: Vec<&serde_json::Value> = results.iter().filter(|r| r["kind"] == "pass").collect();
    assert_eq!(passes.len(), a.tally().pass);
    assert!(passes.iter().all(|r| r["level"] == "none"));
    results.retain(|r| r["kind"] != "pass");
    let old: serde_json::Value = serde_json::from_str(&previous_sarif::to_string(a, rules())).unwrap();
    assert_eq!(v, old, "less the passes, the log without them");
}

#[test]
fn markdown_and_table_are_the_text_built_whole() {
    let a = realistic();
    let old = previous_markdown::to_string(a, rules());
    same(&report::markdown::to_string(a, rules()), &old, "markdown::to_string");
    same(&written(|w| report::markdown::to_writer(w, a, rules())), &old, "markdown::to_writer");
    let old = previous_table::to_string(a);
    same(&report::table::to_string(a), &old, "table::to_string");
    same(&written(|w| report::table::to_writer(w, a)), &old, "table::to_writer");
}

/// Takes `room` bytes, then fails every write with `BrokenPipe`.
struct ClosedAfter {
    room: usize,
    taken: usize,
    refused: usize,
}

impl std::io::Write for ClosedAfter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = buf.len().min(self.room - self.taken);
        if n == 0 && !buf.is_empty() {
            self.refused += 1;
            return Err(std::io::ErrorKind::BrokenPipe.into());
        }
        self.taken += n;
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn a_write_error_stops_the_writer_and_comes_back_as_it_was() {
    let a = realistic();
    type Writer = fn(&mut ClosedAfter, &Assessment) -> std::io::Result<()>;
    let writers: [(&str, Writer); 6] = [
        ("json", |w, a| report::json::to_writer(w, a, rules(), Passes::Counted)),
        ("json with passes", |w, a| report::json::to_writer(w, a, rules(), Passes::Full)),
        ("sarif", |w, a| report::sarif::to_writer(w, a, rules(), Passes::Counted)),
        ("sarif with passes", |w, a| report::sarif::to_writer(w, a, rules(), Passes::Full)),
        ("markdown", |w, a| report::markdown::to_writer(w, a, rules())),
        ("table", |w, a| report::table::to_writer(w, a)),
    ];
    for (what, write) in writers {
        let mut w = ClosedAfter { room: 5000, taken: 0, refused: 0 };
        let e = write(&mut w, a).expect_err(what);
        assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "{what}: {e}");
        assert_eq!((w.taken, w.refused), (5000, 1), "{what}: stops at the first refused write");
    }
}

#[test]
fn writing_json_or_sarif_never_holds_the_document() {
    let a = realistic();
    type Writer = fn(std::io::Sink, &Assessment, &RuleSet, Passes) -> std::io::Result<()>;
    let (json, sarif): (Writer, Writer) = (report::json::to_writer::<std::io::Sink>, report::sarif::to_writer::<std::io::Sink>);
    for (what, write, passes) in [("json", json, Passes::Full), ("json", json, Passes::Counted), ("sarif", sarif, Passes::Counted), ("sarif", sarif, Passes::Full)] {
        let mut size = 0;
        let whole = heap::peak_during(|| size = if what == "json" { previous_json::to_string(a, rules()).len() } else { previous_sarif::to_string(a, rules()).len() });
        let streamed = heap::peak_during(|| write(std::io::sink(), a, rules(), passes).unwrap());
        // The previous construction held the document (and more); the
        // stream holds the rules' descriptions (SARIF's rule list, a few
        // hundred bytes a rule) and a few buffers, whatever the findings.
        let bound = 64 * 1024 + 512 * rules().rules().len();
        assert!(whole > size, "{what}: whole {whole} B for a {size} B document");
        assert!(streamed < bound, "{what} ({passes:?}): {streamed} B held while streaming a {size} B document (bound {bound} B)");
        eprintln!("{what} ({passes:?}): {size} B document; peak heap {whole} B built whole, {streamed} B streamed");
    }
}
