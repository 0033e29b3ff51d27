//! Storage benchmark: the worker → page transfer JSON (`workspace::transfer`)
//! and the stored workspace (`workspace::save` / `load` / `export`) for
//! synthetic Terraform plans of 1k, 10k and 100k resources.
//!
//!     cargo bench --bench storage           (release build; prints a Markdown table)
//!
//! Not a test: it never fails on a number. Targets for the 10k plan
//! (48,000 findings): transfer JSON ≤ 3 MB, `from_json` ≤ 40 ms, `save` ≤ 3.5 MB
//! (browser storage holds ~5 MB per origin).

#[path = "synth.rs"]
#[allow(dead_code)]
mod synth;

use iso27017::checks::{Context, RuleSet};
use iso27017::ingest::Limits;
use iso27017::workspace::transfer::{assess_file, from_json, to_json};
use iso27017::workspace::{export, import, load, save, LoadOutcome, Workspaces};
use std::time::Instant;

fn median(mut runs: Vec<f64>) -> f64 {
    runs.sort_by(|a, b| a.total_cmp(b));
    runs[runs.len() / 2]
}

fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> (f64, T) {
    let mut times = Vec::with_capacity(runs);
    let mut last = None;
    for _ in 0..runs {
        let t = Instant::now();
        let v = f();
        times.push(t.elapsed().as_secs_f64() * 1e3);
        last = Some(v);
    }
    (median(times), last.expect("at least one run"))
}

fn main() {
    let ctx = Context::on(2026, 6, 1);
    println!("| plan | findings | transfer MB | to_json ms | from_json ms | save MB | load ms | export MB | bytes/finding (save) |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    for n in [1_000usize, 10_000, 100_000] {
        let plan = synth::terraform_plan(n);
        let outcome = assess_file("plan.json", plan.as_bytes(), &Limits::default(), RuleSet::bundled(), &ctx, &mut |_| {});
        drop(plan);
        let findings = outcome.record.findings.len();
        let runs = if n >= 100_000 { 3 } else { 9 };
        let (to_ms, wire) = time(runs, || to_json(&outcome));
        let (from_ms, back) = time(runs, || from_json(&wire).expect("transfer round trip"));
        assert_eq!(back, outcome, "transfer round trip");
        let mut ws = Workspaces::new();
        let id = ws.create("Bench", 1_780_000_000_000).expect("create");
        ws.get_mut(&id).expect("created").upsert_upload(outcome.record, 1_780_000_000_001).expect("upload");
        let saved = save(&ws);
        let (load_ms, loaded) = time(runs, || load(&saved));
        assert_eq!(loaded, LoadOutcome::Loaded(ws.clone()), "save/load round trip");
        let exported = export(&ws);
        if exported.len() <= iso27017::workspace::store::MAX_IMPORT_BYTES {
            assert_eq!(import(&exported).expect("import"), ws, "export/import round trip");
        }
        println!(
            "| {n} resources | {findings} | {:.2} | {to_ms:.1} | {from_ms:.1} | {:.2} | {load_ms:.1} | {:.2} | {:.0} |",
            wire.len() as f64 / 1e6,
            saved.len() as f64 / 1e6,
            exported.len() as f64 / 1e6,
            saved.len() as f64 / findings as f64,
        );
    }
}
