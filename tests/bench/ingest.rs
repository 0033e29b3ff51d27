//! Ingest benchmark: detect + parse + evaluate synthetic inputs of every
//! provider with the full rule set — Terraform plans (aws, azurerm, google),
//! AWS Config snapshots, Azure REST exports and Cloud Asset Inventory exports
//! — at 1k, 10k and 100k resources; reports MB/s,
//! resources/s and peak heap (counting allocator) relative to the input.
//! Allocates with mimalloc, as the `iso27017` CLI does.
//!
//! Times come from runs with the counter off (its atomic updates on every
//! allocation would be measured too); the peak from one more run with it on,
//! the input counted: once with the input held by the caller throughout
//! (`engine::assess_files`), once handed over and freed as soon as it is
//! parsed, as the CLI does (`engine::assess_files` given owned inputs).
//!
//!     cargo bench --bench ingest            (release build; prints a Markdown table)
//!
//! Not a test: it never fails on a number. Results go in docs/benchmarks.md.

#[path = "synth.rs"]
mod synth;
#[path = "synth_scanners.rs"]
mod synth_scanners;

use iso27017::checks::{Context, RuleSet};
use iso27017::engine;
use iso27017::ingest::{self, Limits};
use std::alloc::{GlobalAlloc, Layout};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Instant;

struct Counting;
static COUNTING: AtomicBool = AtomicBool::new(false);
static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        let p = unsafe { mimalloc::MiMalloc.alloc(l) };
        if !p.is_null() && COUNTING.load(Ordering::Relaxed) {
            let now = CURRENT.fetch_add(l.size(), Ordering::Relaxed) + l.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        unsafe { mimalloc::MiMalloc.dealloc(p, l) };
        if COUNTING.load(Ordering::Relaxed) {
            CURRENT.fetch_sub(l.size(), Ordering::Relaxed);
        }
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, new: usize) -> *mut u8 {
        let q = unsafe { mimalloc::MiMalloc.realloc(p, l, new) };
        if !q.is_null() && COUNTING.load(Ordering::Relaxed) {
            if new > l.size() {
                let now = CURRENT.fetch_add(new - l.size(), Ordering::Relaxed) + (new - l.size());
                PEAK.fetch_max(now, Ordering::Relaxed);
            } else {
                CURRENT.fetch_sub(l.size() - new, Ordering::Relaxed);
            }
        }
        q
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Peak heap (bytes) allocated by `f` beyond what was allocated before it.
fn peak_of(f: impl FnOnce()) -> usize {
    // Counted from a high base, so that freeing something allocated before
    // counting began cannot wrap the counter below zero.
    const BASE: usize = 1 << 48;
    CURRENT.store(BASE, Ordering::Relaxed);
    PEAK.store(BASE, Ordering::Relaxed);
    COUNTING.store(true, Ordering::SeqCst);
    f();
    COUNTING.store(false, Ordering::SeqCst);
    PEAK.load(Ordering::Relaxed).saturating_sub(BASE)
}

fn main() {
    // The allocator keeps the memory a run freed for the next run, instead of
    // returning it to the kernel after 10 ms and faulting it in again (fresh
    // pages are zeroed by the kernel): without this, whether a run finds its
    // memory still mapped depends on timing, and the median of one process
    // came out at 130 or 220 MB/s for the same 1k plan. mimalloc reads its
    // options when the process starts, so the bench runs itself once more
    // with the option set. The first-run column still shows fresh memory, as
    // one `iso27017 assess` of the file sees it.
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        let me = std::env::current_exe();
        let status = me.and_then(|exe| std::process::Command::new(exe).args(std::env::args_os().skip(1)).env("MIMALLOC_PURGE_DELAY", "-1").status());
        match status {
            Ok(s) => std::process::exit(s.code().unwrap_or(1)),
            Err(e) => eprintln!("could not run the bench with MIMALLOC_PURGE_DELAY=-1 ({e}); running as is"),
        }
    }
    // `cargo bench --bench ingest -- --emit DIR`: write the synthetic exports
    // used by the browser benchmark (tests/e2e/bench-workspace.mjs) and stop.
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--emit") {
        let Some(dir) = args.get(i + 1) else {
            eprintln!("--emit needs a directory");
            std::process::exit(2);
        };
        let dir = std::path::Path::new(dir);
        if let Err(e) = std::fs::create_dir_all(dir) {
            eprintln!("{}: {e}", dir.display());
            std::process::exit(2);
        }
        for (file, text) in [
            ("plan-10k.json", synth::terraform_plan(10_000)),
            ("plan-85k.json", synth::terraform_plan(85_000)),
            ("config-100k.json", synth::aws_config_snapshot(100_000)),
        ] {
            let path = dir.join(file);
            if let Err(e) = std::fs::write(&path, text.as_bytes()) {
                eprintln!("{}: {e}", path.display());
                std::process::exit(2);
            }
            println!("{} {:.1} MB", path.display(), text.len() as f64 / 1e6);
        }
        return;
    }
    let rules = RuleSet::bundled();
    let ctx = Context::on(2026, 6, 1);
    let limits = Limits::default();
    // Optional filters (cargo passes `--bench`): words of the input's name
    // (`plan`, `config`, `azure`, `google`, `asset`, …) and/or sizes,
    // e.g. `cargo bench --bench ingest -- plan 100000` for profiling one case.
    let filters: Vec<&String> = args.iter().skip(1).filter(|a| !a.starts_with("--")).collect();
    let wanted = |name: &str, n: usize| {
        let kinds: Vec<&&String> = filters.iter().filter(|f| f.parse::<usize>().is_err()).collect();
        let sizes: Vec<usize> = filters.iter().filter_map(|f| f.parse().ok()).collect();
        (kinds.is_empty() || kinds.iter().any(|k| name.to_lowercase().contains(k.as_str())))
            && (sizes.is_empty() || sizes.contains(&n))
    };
    println!(
        "| input | resources | size MB | first run s | median s | MB/s (median) | resources/s | peak heap / input, input held | peak heap / input, input freed once parsed (CLI) | findings |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    let inputs: [(&str, fn(usize) -> String); 6] = [
        ("Terraform plan", synth::terraform_plan),
        ("AWS Config snapshot", synth::aws_config_snapshot),
        ("Terraform plan (azurerm)", synth::terraform_plan_azure),
        ("Azure REST export", synth::azure_rest),
        ("Terraform plan (google)", synth::terraform_plan_gcp),
        ("GCP Cloud Asset Inventory", synth::gcp_cai),
    ];
    for (name, make) in inputs {
        for n in [1_000usize, 10_000, 100_000] {
            if !wanted(name, n) {
                continue;
            }
            let text = make(n);
            let bytes = text.into_bytes();
            // More runs of the small inputs: a run of 1k resources takes a few ms, and
            // one slow stretch of this shared VM would otherwise be the median.
            let runs = match n { 0..=1_000 => 25, 1_001..=10_000 => 11, _ => 5 };
            let mut times = Vec::new();
            let mut findings = 0;
            let mut resources = 0;
            for _ in 0..runs {
                let t = Instant::now();
                let a = engine::assess_files([("bench.json", bytes.as_slice())], &limits, rules, &ctx);
                times.push(t.elapsed().as_secs_f64());
                findings = a.findings.len();
                resources = a.inputs[0].resources;
                if let Some(e) = &a.inputs[0].error {
                    eprintln!("{name} {n}: {e}");
                }
            }
            // Peak heap, the input counted: held by the caller throughout…
            let held = peak_of(|| drop(engine::assess_files([("bench.json", bytes.as_slice())], &limits, rules, &ctx))) + bytes.len();
            // …or handed over (a copy made while counting) and freed once parsed.
            let freed = peak_of(|| {
                let owned = bytes.clone();
                drop(engine::assess_files([("bench.json".to_string(), owned)], &limits, rules, &ctx));
            });
            let first = times.first().copied().unwrap_or_default();
            times.sort_by(|a, b| a.total_cmp(b));
            let med = times[times.len() / 2];
            let mb = bytes.len() as f64 / 1e6;
            let ratio = |peak: usize| peak as f64 / bytes.len() as f64;
            println!(
                "| {name} | {resources} | {mb:.1} | {first:.3} | {med:.3} | {:.0} | {:.0} | {:.2}× | {:.2}× | {findings} |",
                mb / med,
                resources as f64 / med,
                ratio(held),
                ratio(freed),
            );
        }
    }
    // Other scanners' findings files: read (decode, detect, parse) and the
    // whole assessment (read, map to controls, join, roll up).
    println!();
    println!("| findings file | findings | size MB | read: median s | read MB/s | assess: median s | assess MB/s | unmapped |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    let scanners: [(&str, fn(usize) -> String); 4] = [
        ("Prowler OCSF", synth_scanners::prowler_ocsf),
        ("Security Hub ASFF", synth_scanners::securityhub_asff),
        ("Checkov JSON", synth_scanners::checkov),
        ("SARIF (Trivy)", synth_scanners::sarif),
    ];
    for (name, make) in scanners {
        for n in [10_000usize, 100_000] {
            if !wanted(name, n) {
                continue;
            }
            let bytes = make(n).into_bytes();
            let runs = if n <= 10_000 { 11 } else { 5 };
            let mut read = Vec::new();
            let mut whole = Vec::new();
            let mut found = 0;
            let mut unmapped = 0;
            for _ in 0..runs {
                let t = Instant::now();
                match ingest::parse("bench.json", &bytes, &limits) {
                    Ok(p) => found = p.imported.len(),
                    Err(e) => eprintln!("{name} {n}: {e}"),
                }
                read.push(t.elapsed().as_secs_f64());
                let t = Instant::now();
                let a = engine::assess_files([("bench.json", bytes.as_slice())], &limits, rules, &ctx);
                whole.push(t.elapsed().as_secs_f64());
                unmapped = a.imported_counts().1;
            }
            let med = |v: &mut Vec<f64>| {
                v.sort_by(|a, b| a.total_cmp(b));
                v[v.len() / 2]
            };
            let (r, w) = (med(&mut read), med(&mut whole));
            let mb = bytes.len() as f64 / 1e6;
            println!("| {name} | {found} | {mb:.1} | {r:.3} | {:.0} | {w:.3} | {:.0} | {unmapped} |", mb / r, mb / w);
        }
    }
}
