//! What each command does with its parsed arguments: read, call the library,
//! write. Each returns the process's exit code.

use crate::args::{AssessArgs, AssessFormat, CatalogArgs, CatalogFormat, ChecksArgs, CompletionsArgs, MergeArgs, MergeFormat, ReportArgs};
use crate::output::{read_input, write_text, write_with};
use iso27017::catalog::{to_json, to_markdown, GuidanceSet};
use iso27017::checks::{days_from_civil, Context, RuleSet};
use iso27017::ingest::Limits;
use iso27017::report::workspace_report::{ExportFormat, InterviewChecklist};
use iso27017::report::{Passes, Report};
use iso27017::workspace::decided::Decided;
use iso27017::workspace::{self, DiagnosticLine, Scope, UploadRecord, Workspace, WorkspaceId, Workspaces};
use iso27017::{engine, report, Catalog};
use std::io::Write;

/// The day `--today` names (days since 1970-01-01) and the milliseconds of
/// the report timestamps: midnight UTC of that day, or today and now.
fn day_and_now(today: Option<jiff::civil::Date>) -> (i64, u64) {
    let days = |d: jiff::civil::Date| days_from_civil(i32::from(d.year()), u32::from(d.month().unsigned_abs()), u32::from(d.day().unsigned_abs()));
    match today {
        Some(d) => {
            let day = days(d);
            (day, u64::try_from(day).unwrap_or(0).saturating_mul(86_400_000))
        }
        None => {
            let now = jiff::Timestamp::now();
            let day = days(jiff::tz::Offset::UTC.to_datetime(now).date());
            (day, u64::try_from(now.as_millisecond()).unwrap_or(0))
        }
    }
}

/// `now` (milliseconds since 1970) as RFC 3339 UTC.
fn rfc3339(now: u64) -> String {
    i64::try_from(now).ok().and_then(|ms| jiff::Timestamp::from_millisecond(ms).ok()).unwrap_or(jiff::Timestamp::UNIX_EPOCH).to_string()
}

/// `iso27017 assess`.
pub fn assess(args: AssessArgs) -> i32 {
    let mut limits = Limits::default();
    if let Some(n) = args.max_size {
        limits.max_input_bytes = n;
        limits.max_decompressed_bytes = limits.max_decompressed_bytes.max(n);
    }
    let (today, now) = day_and_now(args.today);
    let export = args.format.export();
    // The workspace whose decisions (and mappings) apply, read before any input.
    let mut chosen = match &args.workspace {
        Some(path) => match read_workspace(path, args.assessment.as_deref(), limits.max_input_bytes) {
            Ok(c) => Some(c),
            Err(e) => {
                eprintln!("error: {e}");
                return 2;
            }
        },
        None => None,
    };
    if let (Some(out), Some(input)) = (&args.write_workspace, &args.workspace) {
        if !args.force && same_file(out, input) {
            eprintln!("error: --write-workspace {} is the --workspace file itself; write to another file, or add --force to replace it", out.display());
            return 2;
        }
    }
    // Recorded as uploads, inputs are named by their file name, as the app
    // names a dropped file; two of one name would be one upload.
    let record = args.write_workspace.is_some();
    let names: Vec<String> = args.files.iter().map(|f| if record { file_name(f) } else { f.clone() }).collect();
    if record {
        let mut sorted: Vec<&String> = names.iter().collect();
        sorted.sort();
        if let Some(w) = sorted.windows(2).find(|w| w[0] == w[1]) {
            eprintln!("error: two inputs are named {}: --write-workspace records each file by its name; rename one", w[0]);
            return 2;
        }
    }
    // The report formats record each input's SHA-256 (as the app's upload
    // records do): it is taken as the input is read, so that no input
    // outlives its parse.
    let mut digests = Vec::new();
    let mut unreadable = false;
    // Each file is read when the engine asks for the next input and dropped
    // once parsed, so the run holds one input at a time. After a file that
    // cannot be read, the others are still read (each error is reported)
    // but not parsed, and nothing is evaluated.
    let inputs = args.files.iter().zip(&names).filter_map(|(f, name)| match read_input(f, limits.max_input_bytes) {
        Ok(_) if unreadable => None,
        Ok(bytes) => {
            if export.is_some() || record {
                digests.push(workspace::sha256_hex(bytes.as_ref()));
            }
            Some((name.clone(), bytes))
        }
        Err(e) => {
            eprintln!("error: {e}");
            unreadable = true;
            None
        }
    });
    let ingested = engine::Ingested::parse(inputs, &limits);
    if unreadable {
        return 2;
    }
    let rules = RuleSet::bundled();
    for e in rules.errors() {
        eprintln!("warning: check not loaded: {e}");
    }
    // As `Ingested::assess`, but the inventory is not freed once evaluated:
    // its memory goes with the process, as the assessment's does below
    // (freeing a large export's resources one by one would delay the output).
    let engine::Ingested { inputs, inventory, imported } = ingested;
    let user = chosen.as_ref().and_then(|(wss, id)| wss.get(id)).map(|w| w.user_mapping());
    let mut a = engine::assess_with_imports(&inventory, imported, rules, &Context { today }, user.as_ref());
    a.inputs = inputs;
    std::mem::forget(inventory);
    if let Some(w) = chosen.as_ref().and_then(|(wss, id)| wss.get(id)) {
        a.apply_decisions(Decided::new(w.decisions(), today));
    }
    // The workspace exports come whole from the library (`Report::export`
    // returns their text); the other formats are written as they are made.
    let exported = match export {
        Some(format) => match assessment_workspace(&a, &digests, now) {
            Ok(w) => Some(render_report(&w, format, today, now)),
            Err(e) => {
                eprintln!("error: {e}");
                return 2;
            }
        },
        None => None,
    };
    let passes = if args.include_passed { Passes::Full } else { Passes::Counted };
    let written = write_with(args.output.as_deref(), |w| match args.format {
        AssessFormat::Table => report::table::to_writer(w, &a),
        AssessFormat::Json => report::json::to_writer_stamped(w, &a, rules, passes, Some(&rfc3339(now))),
        AssessFormat::Sarif => report::sarif::to_writer(w, &a, rules, passes),
        AssessFormat::Markdown => report::markdown::to_writer(w, &a, rules),
        _ => w.write_all(exported.as_deref().unwrap_or_default().as_bytes()),
    });
    if let Err(e) = written {
        eprintln!("error: {e}");
        return 2;
    }
    if args.format != AssessFormat::Table {
        for i in a.inputs.iter().filter(|i| i.error.is_some()) {
            eprintln!("error: {}: {}", i.name, i.error.as_ref().map(|e| e.to_string()).unwrap_or_default());
        }
    }
    if let (Some(out), Some((wss, id))) = (&args.write_workspace, chosen.as_mut()) {
        let updated = wss.get_mut(id).ok_or_else(|| "internal error: the chosen assessment is missing".to_string()).and_then(|w| record_uploads(w, &a, &digests, now));
        if let Err(e) = updated.and_then(|()| write_text(Some(out), &workspace::export(wss))) {
            eprintln!("error: {e}");
            return 2;
        }
    }
    let code = if a.has_unusable_input() {
        2
    } else if args.fail_on.severity().is_some_and(|s| a.failures_at_least(s) > 0) {
        1
    } else {
        0
    };
    // The process ends here: returning the assessment's memory (millions of
    // small allocations for a large export) to the allocator one by one
    // would only delay the exit.
    std::mem::forget(a);
    code
}

/// An in-memory workspace holding the assessment: one upload record per
/// input (`digests`: the SHA-256 of each input, in order) with the findings
/// read from it, no manual answers.
fn assessment_workspace(a: &engine::Assessment, digests: &[String], now: u64) -> Result<Workspace, String> {
    let mut wss = Workspaces::new();
    let id = wss.create("iso27017 assess", now).map_err(|e| e.to_string())?;
    let w = wss.get_mut(&id).ok_or("internal error: the new assessment is missing")?;
    let mut providers: Vec<_> = a.findings.iter().map(|f| f.resource.provider).collect();
    providers.sort();
    providers.dedup();
    w.set_scope(Scope { providers, ..Scope::default() }, now).map_err(|e| e.to_string())?;
    record_uploads(w, a, digests, now)?;
    Ok(w.clone())
}

/// Record each usable input of `a` in `w` as the app records a dropped file:
/// its name, size, SHA-256 (`digests`, in input order), format, counts, first
/// diagnostics and the findings on its resources (a finding belongs to the
/// input of its resource), in place of an upload of the same name.
fn record_uploads(w: &mut Workspace, a: &engine::Assessment, digests: &[String], now: u64) -> Result<(), String> {
    let names: Vec<&str> = a.inputs.iter().map(|i| i.name.as_str()).collect();
    let per_input = engine::split_by_input(a.findings.iter().cloned(), &names);
    for (i, (input, findings)) in a.inputs.iter().zip(per_input).enumerate() {
        if input.error.is_some() {
            continue;
        }
        let digest = digests.get(i).ok_or_else(|| format!("internal error: no digest of {}", input.name))?;
        let rec = UploadRecord::hashed(input.name.clone(), input.bytes, digest.clone(), input.format, input.resources, input.diagnostics.len(), findings)
            .with_diagnostic_lines(input.diagnostics.iter().map(DiagnosticLine::from));
        w.upsert_upload(rec, now).map_err(|e| format!("{}: {e}", input.name))?;
    }
    Ok(())
}

/// The workspace file `path` and the id of the assessment of it that
/// `key` names (id or name), else the active one (a file with assessments
/// always has one).
fn read_workspace(path: &str, key: Option<&str>, max: usize) -> Result<(Workspaces, WorkspaceId), String> {
    let bytes = read_input(path, max)?;
    if bytes.as_ref().len() > max {
        return Err(format!("{path}: larger than --max-size ({max} bytes)"));
    }
    let text = std::str::from_utf8(bytes.as_ref()).map_err(|_| format!("{path} is not UTF-8 text; expected a workspace JSON file exported from the app"))?;
    let wss = workspace::import_own(text).map_err(|e| format!("{path}: {e}"))?;
    let found = match key {
        Some(k) => wss.list().iter().find(|w| w.id().as_str() == k).or_else(|| wss.list().iter().find(|w| w.name() == k)),
        None => wss.active(),
    };
    match found.map(|w| w.id().clone()) {
        Some(id) => Ok((wss, id)),
        None => {
            let have: Vec<String> = wss.list().iter().map(|w| format!("{} ({:?})", w.id(), w.name())).collect();
            let which = match key {
                Some(k) => format!("no assessment with id or name {k:?}"),
                None => "no assessment to apply".to_string(),
            };
            Err(format!("{path}: {which}; the file has: {}", if have.is_empty() { "none".to_string() } else { have.join(", ") }))
        }
    }
}

/// Are `a` and `b` the same file (both exist and resolve to one path)?
fn same_file(a: &std::path::Path, b: &str) -> bool {
    b != "-" && matches!((std::fs::canonicalize(a), std::fs::canonicalize(b)), (Ok(x), Ok(y)) if x == y)
}

/// The file name of an input path, as the app names a dropped file.
fn file_name(path: &str) -> String {
    std::path::Path::new(path).file_name().map_or_else(|| path.to_string(), |n| n.to_string_lossy().into_owned())
}

fn render_report(w: &Workspace, format: ExportFormat, today: i64, now: u64) -> String {
    // A report built from a workspace exports every format.
    Report::from_workspace(w, Catalog::bundled(), RuleSet::bundled(), today).export(format, now, Some(GuidanceSet::bundled())).unwrap_or_default()
}

/// `iso27017 merge`.
pub fn merge(args: MergeArgs) -> i32 {
    let max = args.max_size.unwrap_or(1 << 32);
    if args.files.iter().filter(|f| *f == "-").count() > 1 {
        eprintln!("error: '-' (standard input) can be given once");
        return 2;
    }
    let mut parts = Vec::with_capacity(args.files.len());
    for f in &args.files {
        match read_input(f, max) {
            Ok(bytes) if bytes.as_ref().len() > max => {
                eprintln!("error: {f}: larger than --max-size ({max} bytes)");
                return 2;
            }
            Ok(bytes) => parts.push((f.as_str(), bytes)),
            Err(e) => {
                eprintln!("error: {e}");
                return 2;
            }
        }
    }
    let merged = match report::merge::merge(parts) {
        Ok(m) => m,
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    let (_, now) = day_and_now(args.today);
    let tool = report::merge::Tool { name: "iso27017-assessor".into(), version: env!("CARGO_PKG_VERSION").into() };
    let at = rfc3339(now);
    let written = write_with(args.output.as_deref(), |w| match args.format {
        MergeFormat::Json => merged.to_writer(w, &tool, Some(&at)),
        MergeFormat::Markdown => merged.to_markdown(w, Some(&at)),
    });
    if let Err(e) = written {
        eprintln!("error: {e}");
        return 2;
    }
    i32::from(args.fail_on.severity().is_some_and(|s| merged.failures_at_least(s) > 0))
}

/// `iso27017 report`.
pub fn report(args: ReportArgs) -> i32 {
    let (today, now) = day_and_now(args.today);
    let bytes = match read_input(&args.file, workspace::store::MAX_IMPORT_BYTES) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    let Ok(text) = std::str::from_utf8(bytes.as_ref()) else {
        eprintln!("error: {} is not UTF-8 text; expected a workspace JSON file exported from the app", args.file);
        return 2;
    };
    let wss = match workspace::import(text) {
        Ok(w) => w,
        Err(e) => {
            eprintln!("error: {}: {e}", args.file);
            return 2;
        }
    };
    let chosen = match &args.workspace {
        Some(key) => wss.list().iter().find(|w| w.id().as_str() == key).or_else(|| wss.list().iter().find(|w| w.name() == key)),
        None => wss.active(),
    };
    let Some(w) = chosen else {
        let names: Vec<String> = wss.list().iter().map(|w| format!("{} ({})", w.name(), w.id())).collect();
        eprintln!(
            "error: {}: no assessment {}; the file has: {}",
            args.file,
            args.workspace.as_deref().map_or("is active".to_string(), |k| format!("with id or name {k:?}")),
            if names.is_empty() { "none".to_string() } else { names.join(", ") }
        );
        return 2;
    };
    let text = render_report(w, args.format.into(), today, now);
    match write_text(args.output.as_deref(), &text) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("error: {e}");
            2
        }
    }
}

/// `iso27017 checks`.
pub fn checks(args: ChecksArgs) -> i32 {
    let result = write_with(args.output.as_deref(), |w| {
        iso27017::checks::listing::write(args.format.listing(), RuleSet::bundled(), Catalog::bundled(), w)
    });
    match result {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("error: {e}");
            2
        }
    }
}

/// `iso27017 catalog`.
pub fn catalog(args: CatalogArgs) -> i32 {
    let catalog = Catalog::bundled();
    let guidance = GuidanceSet::bundled();
    for issue in catalog.issues().iter().chain(guidance.issues()) {
        eprintln!("warning: catalog: {issue}");
    }
    let text = match args.format {
        CatalogFormat::Json => to_json(catalog, guidance),
        CatalogFormat::Markdown => to_markdown(catalog, guidance),
        CatalogFormat::InterviewMarkdown => InterviewChecklist::from_catalog(catalog, guidance).markdown(),
        CatalogFormat::InterviewCsv => InterviewChecklist::from_catalog(catalog, guidance).csv(),
    };
    match write_text(args.output.as_deref(), &text) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("error: {e}");
            2
        }
    }
}

/// `iso27017 completions SHELL`: the script, on standard output.
pub fn completions(args: CompletionsArgs) -> i32 {
    // Made in memory first: clap_complete panics on a write error, and a
    // closed pipe is not an error here either.
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut crate::args::command(), "iso27017", &mut script);
    match write_with(None, |w| w.write_all(&script)) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("error: {e}");
            2
        }
    }
}
