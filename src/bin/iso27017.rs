//! The `iso27017` command: thin glue over the library.
//!
//! ```text
//! iso27017 catalog [--format json|markdown] [--output FILE]
//! iso27017 assess FILE... [--format table|json|sarif|markdown|csv-findings|csv-soa|oscal|workspace]
//!                 [--fail-on SEVERITY|none] [--max-size BYTES] [--today YYYY-MM-DD] [--output FILE]
//! iso27017 report WORKSPACE.json [--format markdown|csv-findings|csv-soa|oscal|json]
//!                 [--workspace ID|NAME] [--today YYYY-MM-DD] [--output FILE]
//! ```
//! Exit codes: 0 success; 1 failing checks at or above `--fail-on`; 2 usage
//! error, unreadable or unusable input.

/// mimalloc: the engine allocates many small values (parsed attributes,
/// properties, findings); it runs 15–25 % faster than with glibc's malloc
/// (`cargo bench --bench ingest` uses it too, so the README's numbers are
/// the CLI's).
#[cfg(not(target_arch = "wasm32"))]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[cfg(not(target_arch = "wasm32"))]
mod cli {
    use iso27017::catalog::{to_json, to_markdown, GuidanceSet};
    use iso27017::checks::{parse_iso_date, Context, RuleSet};
    use iso27017::ingest::Limits;
    use iso27017::model::Severity;
    use iso27017::report::workspace_report::ExportFormat;
    use iso27017::report::Report;
    use iso27017::workspace::{self, Scope, UploadRecord, Workspace, Workspaces};
    use iso27017::{engine, report, Catalog};
    use std::io::{BufWriter, Read, Write};

    /// Command-line flags, `--flag value` or `--flag=value`.
    struct Flags<'a> {
        it: std::slice::Iter<'a, String>,
        inline: Option<String>,
    }

    impl<'a> Flags<'a> {
        fn new(args: &'a [String]) -> Flags<'a> {
            Flags { it: args.iter(), inline: None }
        }
        /// The next flag (or positional argument).
        fn next_flag(&mut self) -> Option<&'a str> {
            let arg = self.it.next()?;
            match arg.split_once('=') {
                Some((f, v)) if f.starts_with("--") => {
                    self.inline = Some(v.to_string());
                    Some(f)
                }
                _ => {
                    self.inline = None;
                    Some(arg.as_str())
                }
            }
        }
        /// The value of the flag just read.
        fn value(&mut self, name: &str) -> Result<String, String> {
            self.inline.take().or_else(|| self.it.next().cloned()).ok_or(format!("{name} needs a value"))
        }
    }

    const USAGE: &str = "\
iso27017 — ISO/IEC 27017 cloud security assessor

USAGE:
    iso27017 catalog [--format json|markdown] [--output FILE]
    iso27017 assess FILE... [--format table|json|sarif|markdown|csv-findings|csv-soa|oscal|workspace]
                    [--fail-on SEVERITY|none] [--max-size BYTES] [--today YYYY-MM-DD] [--output FILE]
    iso27017 report WORKSPACE.json [--format markdown|csv-findings|csv-soa|oscal|json]
                    [--workspace ID|NAME] [--today YYYY-MM-DD] [--output FILE]
    iso27017 --help | --version

COMMANDS:
    catalog    Print the bundled ISO/IEC 27017:2015 control catalog with our guidance
               (json: versioned document 'iso27017-assessor/catalog' v1; markdown: a readable book)
    assess     Evaluate cloud configuration exports (Terraform JSON, AWS Config, IAM reports,
               Azure, GCP asset inventory, Kubernetes, CloudFormation; gzip accepted) against
               checks mapped to ISO/IEC 27017 controls. FILE '-' reads standard input.
    report     The report of an assessment exported from the app (Export → JSON): executive
               summary, Statement of Applicability, failing and waived findings with
               remediation, shared-responsibility matrix. WORKSPACE '-' reads standard input.

OPTIONS:
    -f, --format FORMAT   catalog: json (default) | markdown
                          assess: table (default) | json | sarif | markdown, or as report
                            (no manual answers): csv-findings | csv-soa | oscal | workspace
                          report: markdown (default) | csv-findings | csv-soa
                            | oscal (NIST OSCAL 1.1.2 assessment results) | json (re-importable)
    -o, --output FILE     write to FILE instead of standard output
        --fail-on LEVEL   assess: exit 1 when a check fails at or above LEVEL
                          (info|low|medium|high|critical; default low; 'none' never)
        --max-size BYTES  assess: refuse inputs larger than this (default 536870912)
        --today DATE      assess: date to judge key ages against; report: date decisions
                          expire against; both: the report date, and OSCAL timestamps at
                          00:00 UTC of that day (default: today, now, UTC)
        --workspace ID    report: which assessment of the file (id or name; default: the active one)

EXIT CODES:
    0 ok   1 failing checks at or above --fail-on (assess)   2 usage error or unusable input
";

    #[derive(Debug, PartialEq)]
    enum Format {
        Json,
        Markdown,
    }

    #[derive(Debug)]
    struct CatalogArgs {
        format: Format,
        output: Option<std::path::PathBuf>,
    }

    fn parse_catalog_args(args: &[String]) -> Result<CatalogArgs, String> {
        let mut format = Format::Json;
        let mut output = None;
        let mut flags = Flags::new(args);
        while let Some(flag) = flags.next_flag() {
            match flag {
                "-f" | "--format" => {
                    let v = flags.value("--format").map_err(|e| format!("{e}: json or markdown"))?;
                    format = match v.to_ascii_lowercase().as_str() {
                        "json" => Format::Json,
                        "markdown" | "md" => Format::Markdown,
                        other => return Err(format!("unknown format {other:?}; use json or markdown")),
                    };
                }
                "-o" | "--output" => {
                    let v = flags.value("--output").map_err(|e| format!("{e}: a file name"))?;
                    output = Some(v.into());
                }
                other => return Err(format!("unexpected argument {other:?}")),
            }
        }
        Ok(CatalogArgs { format, output })
    }

    pub fn run() -> i32 {
        let args: Vec<String> = std::env::args().skip(1).collect();
        match args.first().map(String::as_str) {
            None | Some("-h" | "--help" | "help") => {
                print!("{USAGE}");
                if args.is_empty() { 2 } else { 0 }
            }
            Some("-V" | "--version") => {
                println!("iso27017 {}", env!("CARGO_PKG_VERSION"));
                0
            }
            Some("assess") => match parse_assess_args(&args[1..]) {
                Ok(a) => assess(a),
                Err(e) => {
                    eprintln!("error: {e}\n\n{USAGE}");
                    2
                }
            },
            Some("report") => match parse_report_args(&args[1..]) {
                Ok(a) => report_cmd(a),
                Err(e) => {
                    eprintln!("error: {e}\n\n{USAGE}");
                    2
                }
            },
            Some("catalog") => match parse_catalog_args(&args[1..]) {
                Ok(a) => catalog(a),
                Err(e) => {
                    eprintln!("error: {e}\n\n{USAGE}");
                    2
                }
            },
            Some(other) => {
                eprintln!("error: unknown command {other:?}\n\n{USAGE}");
                2
            }
        }
    }

    #[derive(Debug, PartialEq, Clone, Copy)]
    enum AssessFormat {
        Table,
        Json,
        Sarif,
        Markdown,
        /// One of the workspace-report exports, over an in-memory workspace.
        Report(ExportFormat),
    }

    /// `--format` of `report` (and the report formats of `assess`): the
    /// library's export formats, with a few short aliases.
    fn parse_report_format(v: &str) -> Option<ExportFormat> {
        match v {
            "md" => Some(ExportFormat::Markdown),
            "csv" => Some(ExportFormat::CsvFindings),
            "soa" => Some(ExportFormat::CsvSoa),
            "workspace" => Some(ExportFormat::Json),
            other => other.parse().ok(),
        }
    }

    #[derive(Debug)]
    struct AssessArgs {
        files: Vec<String>,
        format: AssessFormat,
        fail_on: Option<Severity>,
        limits: Limits,
        today: i64,
        /// Milliseconds since the epoch for OSCAL timestamps (midnight of `--today` when given).
        now: u64,
        output: Option<std::path::PathBuf>,
    }

    fn now_ms() -> u64 {
        let ms = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis()).unwrap_or(0);
        u64::try_from(ms).unwrap_or(u64::MAX)
    }

    fn midnight_ms(days: i64) -> u64 {
        u64::try_from(days).unwrap_or(0).saturating_mul(86_400_000)
    }

    fn today_utc() -> i64 {
        let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
        (secs / 86_400) as i64
    }

    fn parse_assess_args(args: &[String]) -> Result<AssessArgs, String> {
        let mut a = AssessArgs {
            files: Vec::new(),
            format: AssessFormat::Table,
            fail_on: Some(Severity::Low),
            limits: Limits::default(),
            today: today_utc(),
            now: now_ms(),
            output: None,
        };
        let mut flags = Flags::new(args);
        while let Some(flag) = flags.next_flag() {
            let mut value = |name: &str| flags.value(name);
            match flag {
                "-f" | "--format" => {
                    a.format = match value("--format")?.to_ascii_lowercase().as_str() {
                        "table" => AssessFormat::Table,
                        "json" => AssessFormat::Json,
                        "sarif" => AssessFormat::Sarif,
                        "markdown" | "md" => AssessFormat::Markdown,
                        other => match parse_report_format(other) {
                            Some(r) => AssessFormat::Report(r),
                            None => {
                                return Err(format!(
                                    "unknown format {other:?}; use table, json, sarif, markdown, csv-findings, csv-soa, oscal or workspace"
                                ))
                            }
                        },
                    }
                }
                "--fail-on" => {
                    let v = value("--fail-on")?;
                    a.fail_on = if v.eq_ignore_ascii_case("none") { None } else { Some(v.parse::<Severity>().map_err(|e| e.to_string())?) };
                }
                "--max-size" => {
                    let v = value("--max-size")?;
                    let n: usize = v.parse().map_err(|_| format!("--max-size needs a number of bytes, got {v:?}"))?;
                    a.limits.max_input_bytes = n;
                    a.limits.max_decompressed_bytes = a.limits.max_decompressed_bytes.max(n);
                }
                "--today" => {
                    let v = value("--today")?;
                    a.today = parse_iso_date(&v).ok_or(format!("--today needs a date like 2026-06-01, got {v:?}"))?;
                    a.now = midnight_ms(a.today);
                }
                "-o" | "--output" => a.output = Some(value("--output")?.into()),
                "-" => a.files.push("-".into()),
                f if f.starts_with('-') => return Err(format!("unexpected option {f:?}")),
                _ => a.files.push(flag.to_string()),
            }
        }
        if a.files.is_empty() {
            return Err("assess needs at least one FILE".into());
        }
        Ok(a)
    }

    fn read_input(name: &str, max: usize) -> Result<Vec<u8>, String> {
        let cap = max as u64 + 1;
        let mut buf = Vec::new();
        let res = if name == "-" {
            std::io::stdin().lock().take(cap).read_to_end(&mut buf)
        } else {
            match std::fs::File::open(name) {
                Ok(f) => f.take(cap).read_to_end(&mut buf),
                Err(e) => return Err(format!("cannot open {name}: {e}")),
            }
        };
        res.map_err(|e| format!("cannot read {name}: {e}"))?;
        Ok(buf)
    }

    fn assess(args: AssessArgs) -> i32 {
        // The report formats record each input's SHA-256 (as the app's upload
        // records do): it is taken as the input is read, so that no input
        // outlives its parse.
        let wants_digest = matches!(args.format, AssessFormat::Report(_));
        let mut digests = Vec::new();
        let mut unreadable = false;
        // Each file is read when the engine asks for the next input and dropped
        // once parsed, so the run holds one input at a time. After a file that
        // cannot be read, the others are still read (each error is reported)
        // but not parsed, and nothing is evaluated.
        let inputs = args.files.iter().filter_map(|f| match read_input(f, args.limits.max_input_bytes) {
            Ok(_) if unreadable => None,
            Ok(bytes) => {
                if wants_digest {
                    digests.push(workspace::sha256_hex(&bytes));
                }
                Some((f.clone(), bytes))
            }
            Err(e) => {
                eprintln!("error: {e}");
                unreadable = true;
                None
            }
        });
        let ingested = engine::Ingested::parse(inputs, &args.limits);
        if unreadable {
            return 2;
        }
        let rules = RuleSet::bundled();
        for e in rules.errors() {
            eprintln!("warning: check not loaded: {e}");
        }
        let a = ingested.assess(rules, &Context { today: args.today });
        // The workspace exports come whole from the library (`Report::export`
        // returns their text); the other formats are written as they are made.
        let report = match args.format {
            AssessFormat::Report(format) => match assessment_workspace(&a, &digests, args.now) {
                Ok(w) => Some(render_report(&w, format, args.today, args.now)),
                Err(e) => {
                    eprintln!("error: {e}");
                    return 2;
                }
            },
            _ => None,
        };
        let written = write_output_with(args.output.as_deref(), |w| match args.format {
            AssessFormat::Table => report::table::to_writer(w, &a),
            AssessFormat::Json => report::json::to_writer(w, &a, rules),
            AssessFormat::Sarif => report::sarif::to_writer(w, &a, rules),
            AssessFormat::Markdown => report::markdown::to_writer(w, &a, rules),
            AssessFormat::Report(_) => w.write_all(report.as_deref().unwrap_or_default().as_bytes()),
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
        if a.has_unusable_input() {
            2
        } else if args.fail_on.is_some_and(|s| a.failures_at_least(s) > 0) {
            1
        } else {
            0
        }
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
        let mut per_input: Vec<Vec<iso27017::checks::Finding>> = vec![Vec::new(); a.inputs.len()];
        for f in &a.findings {
            let i = a.inputs.iter().position(|i| f.resource.source.file == i.name).unwrap_or(0);
            if let Some(findings) = per_input.get_mut(i) {
                findings.push(f.clone());
            }
        }
        for (i, (input, findings)) in a.inputs.iter().zip(per_input).enumerate() {
            let digest = digests.get(i).ok_or_else(|| format!("internal error: no digest of {}", input.name))?;
            let rec = UploadRecord::hashed(input.name.clone(), input.bytes, digest.clone(), input.format, input.resources, input.diagnostics.len(), findings);
            w.upsert_upload(rec, now).map_err(|e| format!("{}: {e}", input.name))?;
        }
        Ok(w.clone())
    }

    fn render_report(w: &Workspace, format: ExportFormat, today: i64, now: u64) -> String {
        // A report built from a workspace exports every format.
        Report::from_workspace(w, Catalog::bundled(), RuleSet::bundled(), today).export(format, now).unwrap_or_default()
    }

    #[derive(Debug)]
    struct ReportArgs {
        file: String,
        format: ExportFormat,
        workspace: Option<String>,
        today: i64,
        now: u64,
        output: Option<std::path::PathBuf>,
    }

    fn parse_report_args(args: &[String]) -> Result<ReportArgs, String> {
        let mut file = None;
        let mut a = ReportArgs {
            file: String::new(),
            format: ExportFormat::Markdown,
            workspace: None,
            today: today_utc(),
            now: now_ms(),
            output: None,
        };
        let mut flags = Flags::new(args);
        while let Some(flag) = flags.next_flag() {
            let mut value = |name: &str| flags.value(name);
            match flag {
                "-f" | "--format" => {
                    let v = value("--format")?.to_ascii_lowercase();
                    a.format = parse_report_format(&v)
                        .ok_or(format!("unknown format {v:?}; use markdown, csv-findings, csv-soa, oscal or json"))?;
                }
                "-w" | "--workspace" => a.workspace = Some(value("--workspace")?),
                "--today" => {
                    let v = value("--today")?;
                    a.today = parse_iso_date(&v).ok_or(format!("--today needs a date like 2026-06-01, got {v:?}"))?;
                    a.now = midnight_ms(a.today);
                }
                "-o" | "--output" => a.output = Some(value("--output")?.into()),
                f if f.starts_with('-') && f != "-" => return Err(format!("unexpected option {f:?}")),
                _ if file.is_some() => return Err(format!("report takes one WORKSPACE file; unexpected {flag:?}")),
                _ => file = Some(flag.to_string()),
            }
        }
        a.file = file.ok_or("report needs a WORKSPACE file (exported from the app)")?;
        Ok(a)
    }

    fn report_cmd(args: ReportArgs) -> i32 {
        let bytes = match read_input(&args.file, workspace::store::MAX_IMPORT_BYTES) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("error: {e}");
                return 2;
            }
        };
        let Ok(text) = String::from_utf8(bytes) else {
            eprintln!("error: {} is not UTF-8 text; expected a workspace JSON file exported from the app", args.file);
            return 2;
        };
        let wss = match workspace::import(&text) {
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
        let text = render_report(w, args.format, args.today, args.now);
        match write_output(args.output.as_deref(), &text) {
            Ok(()) => 0,
            Err(e) => {
                eprintln!("error: {e}");
                2
            }
        }
    }

    /// A writer that remembers the last byte written, so that the output can
    /// end with a newline (JSON documents are printed without one).
    struct Terminated<W: Write> {
        inner: W,
        last: Option<u8>,
    }

    impl<W: Write> Write for Terminated<W> {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            let n = self.inner.write(buf)?;
            if let Some(&b) = buf.get(..n).and_then(<[u8]>::last) {
                self.last = Some(b);
            }
            Ok(n)
        }
        fn flush(&mut self) -> std::io::Result<()> {
            self.inner.flush()
        }
    }

    impl<W: Write> Terminated<W> {
        /// End with a newline if the text does not, and flush.
        fn finish(mut self) -> std::io::Result<()> {
            if self.last != Some(b'\n') {
                self.inner.write_all(b"\n")?;
            }
            self.inner.flush()
        }
    }

    /// Write what `write` produces, ended with a newline, to `path` (created
    /// or truncated) or to standard output, through a buffer: documents are
    /// written as they are made, never held whole.
    fn write_output_with(path: Option<&std::path::Path>, write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> Result<(), String> {
        const BUFFER: usize = 1 << 16;
        match path {
            Some(path) => {
                let cannot = |e: std::io::Error| format!("cannot write {}: {e}", path.display());
                let file = std::fs::File::create(path).map_err(cannot)?;
                let mut out = Terminated { inner: BufWriter::with_capacity(BUFFER, file), last: None };
                write(&mut out).and_then(|()| out.finish()).map_err(cannot)
            }
            None => {
                let mut out = Terminated { inner: BufWriter::with_capacity(BUFFER, std::io::stdout().lock()), last: None };
                match write(&mut out).and_then(|()| out.finish()) {
                    Ok(()) => Ok(()),
                    // A closed pipe (`| head`) is not an error for the user.
                    Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                    Err(e) => Err(format!("cannot write to standard output: {e}")),
                }
            }
        }
    }

    /// Write `text`, ended with a newline, to `path` or standard output.
    fn write_output(path: Option<&std::path::Path>, text: &str) -> Result<(), String> {
        write_output_with(path, |w| w.write_all(text.as_bytes()))
    }

    fn catalog(args: CatalogArgs) -> i32 {
        let catalog = Catalog::bundled();
        let guidance = GuidanceSet::bundled();
        for issue in catalog.issues().iter().chain(guidance.issues()) {
            eprintln!("warning: catalog: {issue}");
        }
        let text = match args.format {
            Format::Json => to_json(catalog, guidance),
            Format::Markdown => to_markdown(catalog, guidance),
        };
        let result = write_output(args.output.as_deref(), &text);
        match result {
            Ok(()) => 0,
            Err(e) => {
                eprintln!("error: {e}");
                2
            }
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    std::process::exit(cli::run());
}

#[cfg(target_arch = "wasm32")]
fn main() {}
