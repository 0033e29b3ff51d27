//! The command line: commands, options and their help (clap), and the parsing
//! of their values. Nothing here reads a file or runs the engine.
//!
//! **Invariant:** a usage error is a `clap::Error` (exit code 2, usage shown);
//! the messages that name a value ("unknown format \"pdf\"; use …", "--today
//! needs a date like …") are the command's own, not clap's generic ones.

use clap::builder::{PossibleValue, TypedValueParser};
use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};
use iso27017::model::Severity;
use iso27017::report::ExportFormat;
use std::ffi::OsStr;
use std::marker::PhantomData;
use std::path::PathBuf;

const EXIT_CODES: &str = "\
Exit codes:
  0  success
  1  assess, merge: a check fails at or above --fail-on
  2  usage error, or an input that cannot be read or used";

const MAIN_AFTER: &str = "\
Exit codes:
  0  success
  1  assess, merge: a check fails at or above --fail-on
  2  usage error, or an input that cannot be read or used

Examples:
  iso27017 assess plan.json config-snapshot.json.gz
  iso27017 assess plan.json --format sarif -o results.sarif
  iso27017 report assessment.json --format oscal -o assessment-results.json
  iso27017 merge results/*.json -o organisation.json
  iso27017 catalog --format markdown -o catalog.md
  iso27017 completions bash > ~/.local/share/bash-completion/completions/iso27017

'iso27017 help COMMAND' or 'iso27017 COMMAND --help' describes a command.";

const ASSESS_AFTER: &str = "\
Exit codes:
  0  no check fails at or above --fail-on
  1  a check fails at or above --fail-on
  2  usage error, or an input that cannot be read or used (named in the table,
     or on standard error with the other formats)

Examples:
  iso27017 assess plan.json config-snapshot.json.gz credential-report.csv
  iso27017 assess plan.json --format json -o assessment.json --fail-on high
  iso27017 assess plan.json --format json --include-passed > everything.json
  iso27017 assess plan.json --format sarif -o results.sarif
  terraform show -json plan.out | iso27017 assess - --format markdown
  iso27017 assess plan.json config.json --format workspace -o assessment.json
  iso27017 assess plan.json --workspace assessment.json --format sarif -o results.sarif
  iso27017 assess plan.json --workspace assessment.json --write-workspace updated.json

With --workspace, the assessment's decisions hold as in the app: a waived or
risk-accepted failure is reported as such (SARIF: a suppression of kind
'external', status 'accepted'; JSON: 'decision' on the finding) and does not
count for --fail-on, until its expiry date (judged against --today), from
which it fails again.";

const MERGE_AFTER: &str = "\
Each RESULT is the JSON of one 'iso27017 assess --format json' run (typically
one per account, subscription or project, made by parallel CI jobs) or an
earlier merge. Findings and inputs are copied as written; passes are added up
per check; each control is rolled up again over all parts (it fails when any
part fails it). 'parts' records each part's file, SHA-256, tool version and
time of assessment.

Exit codes:
  0  merged (and no failing finding at or above --fail-on)
  1  merged, and a finding fails at or above --fail-on
  2  usage error, or a part that cannot be read, is not an assessment result,
     is of another catalog edition or is given twice

Examples:
  iso27017 merge results/*.json -o organisation.json
  iso27017 merge prod.json staging.json --fail-on high -o organisation.json
  iso27017 merge results/*.json --format markdown -o summary.md";

const REPORT_AFTER: &str = "\
Exit codes:
  0  the report was written
  2  usage error, or a file that is not a workspace exported from the app

Examples:
  iso27017 report assessment.json
  iso27017 report assessment.json -f csv-findings -o findings.csv
  iso27017 report assessment.json -f csv-soa -o soa.csv --workspace \"Production 2026\"
  iso27017 report assessment.json -f oscal -o assessment-results.json --today 2026-06-30
  iso27017 report assessment.json -f interview-csv -o interview.csv   # questions of the applicable controls
  iso27017 report assessment.json -f soa2022-csv -o soa-2022.csv      # Statement of Applicability, ISO/IEC 27001:2022";

const CHECKS_AFTER: &str = "\
Exit codes:
  0  the list was written
  2  usage error, or the output cannot be written

Examples:
  iso27017 checks                          # one line per check
  iso27017 checks --format markdown -o checks.md
  iso27017 checks --format json            # 'iso27017-assessor/checks' v1: checks, and controls with their checks";

const CATALOG_AFTER: &str = "\
Exit codes:
  0  the catalog was written
  2  usage error, or the output cannot be written

Examples:
  iso27017 catalog > catalog.json
  iso27017 catalog --format markdown -o catalog.md
  iso27017 catalog --format interview-csv -o interview.csv   # every control's audit questions";

const COMPLETIONS_AFTER: &str = "\
Install (then open a new shell):
  bash  iso27017 completions bash > ~/.local/share/bash-completion/completions/iso27017
  zsh   iso27017 completions zsh > ~/.zfunc/_iso27017
        (with 'fpath+=~/.zfunc; autoload -U compinit; compinit' in ~/.zshrc)
  fish  iso27017 completions fish > ~/.config/fish/completions/iso27017.fish";

/// ISO/IEC 27017 cloud security assessor.
///
/// Evaluates cloud configuration exports against checks mapped to the
/// ISO/IEC 27017:2015 controls, prints the bundled control catalog with its
/// guidance, and writes the reports of assessments exported from the app.
#[derive(Debug, Parser)]
#[command(name = "iso27017", bin_name = "iso27017", version, arg_required_else_help = true, after_help = EXIT_CODES, after_long_help = MAIN_AFTER)]
pub struct Cli {
    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Evaluate cloud configuration exports against checks mapped to ISO/IEC 27017 controls.
    ///
    /// Reads Terraform JSON (plan, state), AWS Config snapshots, IAM credential
    /// reports and authorization details, Azure ARM templates and resource
    /// lists, GCP asset inventories, Kubernetes manifests and CloudFormation
    /// templates; gzip is accepted. The format is found from the content.
    #[command(after_help = EXIT_CODES, after_long_help = ASSESS_AFTER)]
    Assess(AssessArgs),
    /// Combine the JSON results of several assessments (one per account,
    /// subscription or project) into one.
    #[command(after_help = EXIT_CODES, after_long_help = MERGE_AFTER)]
    Merge(MergeArgs),
    /// Write the report of an assessment exported from the app (Export → JSON).
    ///
    /// Executive summary, Statement of Applicability, failing and waived
    /// findings with remediation, shared-responsibility matrix; or one of the
    /// app's exports of it.
    #[command(after_help = EXIT_CODES, after_long_help = REPORT_AFTER)]
    Report(ReportArgs),
    /// List every check: id, title, severity, providers, resource kinds, the
    /// controls it evidences (with the reason) and the export formats that
    /// carry its inputs.
    #[command(after_help = EXIT_CODES, after_long_help = CHECKS_AFTER)]
    Checks(ChecksArgs),
    /// Print the bundled ISO/IEC 27017:2015 control catalog with its guidance.
    #[command(after_help = EXIT_CODES, after_long_help = CATALOG_AFTER)]
    Catalog(CatalogArgs),
    /// Print a shell completion script to standard output.
    #[command(after_long_help = COMPLETIONS_AFTER)]
    Completions(CompletionsArgs),
}

/// `iso27017 assess`.
#[derive(Debug, Args)]
pub struct AssessArgs {
    /// Export files to assess ('-' reads standard input).
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<String>,
    /// Output format.
    #[arg(short, long, value_name = "FORMAT", default_value = "table", value_parser = Choice::<AssessFormat>::new("format"))]
    pub format: AssessFormat,
    /// Exit 1 when a check fails at or above this severity ('none': never).
    #[arg(long, value_name = "LEVEL", default_value = "low", value_parser = Choice::<FailOn>::new("level"))]
    pub fail_on: FailOn,
    /// json and sarif: write every passing finding in full, not only the
    /// count and resource ids of the passes of each check (json) or nothing
    /// of them (sarif).
    #[arg(long)]
    pub include_passed: bool,
    /// Refuse inputs larger than this many bytes [default: 536870912].
    #[arg(long, value_name = "BYTES", value_parser = bytes)]
    pub max_size: Option<usize>,
    /// Date to judge key and credential ages against, YYYY-MM-DD; also the
    /// date of the report exports, with their timestamps at 00:00 UTC of that
    /// day [default: today, now (UTC)].
    #[arg(long, value_name = "DATE", value_parser = DateValue)]
    pub today: Option<jiff::civil::Date>,
    /// Write to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// A workspace file exported from the app (#/workspaces → Export): its
    /// decisions (waivers, risk acceptances) apply to the findings (a decided
    /// failure is reported as waived or risk accepted and does not trip
    /// --fail-on; once its expiry date is reached it fails again), and its
    /// mappings of other scanners' check ids to controls are used.
    #[arg(long, value_name = "WORKSPACE")]
    pub workspace: Option<String>,
    /// Which assessment of the --workspace file, by id or name [default: the
    /// active one].
    #[arg(long, value_name = "ID|NAME", requires = "workspace")]
    pub assessment: Option<String>,
    /// Write the --workspace file, with this run's files recorded as uploads
    /// of the assessment (as the app records a dropped file, replacing an
    /// upload of the same file name), to OUT; the app opens it with this
    /// run's findings. Inputs are named by their file name, as in the app.
    #[arg(long, value_name = "OUT", requires = "workspace")]
    pub write_workspace: Option<PathBuf>,
    /// Let --write-workspace replace the --workspace file itself (refused
    /// otherwise, so the input is never overwritten by mistake).
    #[arg(long, requires = "write_workspace")]
    pub force: bool,
}

/// `iso27017 merge`.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Result files of 'iso27017 assess --format json' ('-' reads standard input once).
    #[arg(value_name = "RESULT", required = true)]
    pub files: Vec<String>,
    /// Output format.
    #[arg(short, long, value_name = "FORMAT", default_value = "json", value_parser = Choice::<MergeFormat>::new("format"))]
    pub format: MergeFormat,
    /// Exit 1 when a merged finding fails at or above this severity ('none': never).
    #[arg(long, value_name = "LEVEL", default_value = "none", value_parser = Choice::<FailOn>::new("level"))]
    pub fail_on: FailOn,
    /// Refuse parts larger than this many bytes [default: 4294967296].
    #[arg(long, value_name = "BYTES", value_parser = bytes)]
    pub max_size: Option<usize>,
    /// Time to record as the merge's 'generated_at', YYYY-MM-DD (00:00 UTC
    /// of that day) [default: now (UTC)].
    #[arg(long, value_name = "DATE", value_parser = DateValue)]
    pub today: Option<jiff::civil::Date>,
    /// Write to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// `merge --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MergeFormat {
    /// The merged document 'iso27017-assessor/assessment' v2 with 'parts'.
    Json,
    /// A summary: one row per part, one per control with automated evidence.
    #[value(alias = "md")]
    Markdown,
}

/// `iso27017 report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Workspace file exported from the app, or written by
    /// 'assess --format workspace' ('-' reads standard input).
    #[arg(value_name = "WORKSPACE")]
    pub file: String,
    /// Anything after the one WORKSPACE (refused with a message saying so).
    #[arg(hide = true)]
    pub extra: Vec<String>,
    /// Output format.
    #[arg(short, long, value_name = "FORMAT", default_value = "markdown", value_parser = Choice::<ReportFormat>::new("format"))]
    pub format: ReportFormat,
    /// Which assessment of the file, by id or name [default: the active one].
    #[arg(short, long, value_name = "ID|NAME")]
    pub workspace: Option<String>,
    /// Date that decisions expire against, YYYY-MM-DD; also the report date,
    /// and OSCAL timestamps at 00:00 UTC of that day [default: today, now (UTC)].
    #[arg(long, value_name = "DATE", value_parser = DateValue)]
    pub today: Option<jiff::civil::Date>,
    /// Write to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// `iso27017 checks`.
#[derive(Debug, Args)]
pub struct ChecksArgs {
    /// Output format.
    #[arg(short, long, value_name = "FORMAT", default_value = "table", value_parser = Choice::<ChecksFormat>::new("format"))]
    pub format: ChecksFormat,
    /// Write to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// `checks --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ChecksFormat {
    /// One line per check: id, severity, providers, controls, formats, title.
    Table,
    /// Versioned document 'iso27017-assessor/checks' v1.
    Json,
    /// Tables per provider, per check and per control, with the reasons.
    #[value(alias = "md")]
    Markdown,
}

impl ChecksFormat {
    /// The library's format.
    pub fn listing(self) -> iso27017::checks::listing::ListFormat {
        use iso27017::checks::listing::ListFormat;
        match self {
            ChecksFormat::Table => ListFormat::Table,
            ChecksFormat::Json => ListFormat::Json,
            ChecksFormat::Markdown => ListFormat::Markdown,
        }
    }
}

/// `iso27017 catalog`.
#[derive(Debug, Args)]
pub struct CatalogArgs {
    /// Output format.
    #[arg(short, long, value_name = "FORMAT", default_value = "json", value_parser = Choice::<CatalogFormat>::new("format"))]
    pub format: CatalogFormat,
    /// Write to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// `iso27017 completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete in.
    #[arg(value_name = "SHELL")]
    pub shell: clap_complete::Shell,
}

/// `assess --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AssessFormat {
    /// Inputs, failing and unknown findings one per line, a summary line.
    Table,
    /// Versioned document 'iso27017-assessor/assessment' v2
    /// (docs/assessment.schema.json): failing and unknown findings in full,
    /// passing ones counted per check with their resource ids (every finding
    /// in full with --include-passed).
    Json,
    /// SARIF 2.1.0 for code-scanning tools: failing findings (error, warning
    /// or note by severity) and unknown ones (note); passes with --include-passed.
    Sarif,
    /// Readable report: inputs, control results, failing findings with remediation.
    #[value(alias = "md")]
    Markdown,
    /// The findings as CSV, as the app exports them (no manual answers).
    #[value(alias = "csv")]
    CsvFindings,
    /// Statement of Applicability as CSV (no manual answers).
    #[value(alias = "soa")]
    CsvSoa,
    /// NIST OSCAL 1.1.2 assessment results.
    Oscal,
    /// A workspace file to import into the app and complete, or to give to 'iso27017 report'.
    Workspace,
}

impl AssessFormat {
    /// The workspace export this format is, if it is one.
    pub fn export(self) -> Option<ExportFormat> {
        match self {
            AssessFormat::Table | AssessFormat::Json | AssessFormat::Sarif | AssessFormat::Markdown => None,
            AssessFormat::CsvFindings => Some(ExportFormat::CsvFindings),
            AssessFormat::CsvSoa => Some(ExportFormat::CsvSoa),
            AssessFormat::Oscal => Some(ExportFormat::Oscal),
            AssessFormat::Workspace => Some(ExportFormat::Json),
        }
    }
}

/// `report --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// The report: executive summary, Statement of Applicability, findings with remediation.
    #[value(alias = "md")]
    Markdown,
    /// The findings as CSV.
    #[value(alias = "csv")]
    CsvFindings,
    /// Statement of Applicability as CSV.
    #[value(alias = "soa")]
    CsvSoa,
    /// NIST OSCAL 1.1.2 assessment results.
    Oscal,
    /// The chosen assessment alone, as a workspace file the app re-imports.
    #[value(alias = "workspace")]
    Json,
    /// Interview checklist: the audit questions of the applicable controls
    /// with blank answer and evidence columns, and the evidence to ask for.
    #[value(alias = "interview-md")]
    InterviewMarkdown,
    /// Interview checklist as CSV: control, title, question_id, question,
    /// answer, evidence_reference (one row per question of an applicable control).
    InterviewCsv,
    /// Statement of Applicability in ISO/IEC 27001:2022 Annex A terms: the 93
    /// controls of ISO/IEC 27002:2022 with a status derived from the 2015
    /// controls mapped to them, and the 11 new ones flagged for an own answer.
    #[value(alias = "soa2022-md")]
    Soa2022Markdown,
    /// The 2022 Statement of Applicability as CSV (one row per 2022 control).
    Soa2022Csv,
}

impl From<ReportFormat> for ExportFormat {
    fn from(f: ReportFormat) -> ExportFormat {
        match f {
            ReportFormat::Markdown => ExportFormat::Markdown,
            ReportFormat::CsvFindings => ExportFormat::CsvFindings,
            ReportFormat::CsvSoa => ExportFormat::CsvSoa,
            ReportFormat::Oscal => ExportFormat::Oscal,
            ReportFormat::Json => ExportFormat::Json,
            ReportFormat::InterviewMarkdown => ExportFormat::InterviewMarkdown,
            ReportFormat::InterviewCsv => ExportFormat::InterviewCsv,
            ReportFormat::Soa2022Markdown => ExportFormat::Soa2022Markdown,
            ReportFormat::Soa2022Csv => ExportFormat::Soa2022Csv,
        }
    }
}

/// `catalog --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CatalogFormat {
    /// Versioned document 'iso27017-assessor/catalog' v2.
    Json,
    /// A readable book.
    #[value(alias = "md")]
    Markdown,
    /// Interview checklist of every control: audit questions with blank
    /// answer and evidence columns, and the evidence to ask for.
    #[value(alias = "interview-md")]
    InterviewMarkdown,
    /// Interview checklist as CSV: control, title, question_id, question,
    /// answer, evidence_reference (one row per question).
    InterviewCsv,
}

/// `assess --fail-on`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// Any failing check.
    Info,
    /// Failing checks of low severity or above.
    Low,
    /// Medium or above.
    Medium,
    /// High or critical.
    High,
    /// Critical only.
    Critical,
    /// Never: exit 0 whatever fails.
    None,
}

impl FailOn {
    /// The lowest severity that fails the run, if any does.
    pub fn severity(self) -> Option<Severity> {
        match self {
            FailOn::Info => Some(Severity::Info),
            FailOn::Low => Some(Severity::Low),
            FailOn::Medium => Some(Severity::Medium),
            FailOn::High => Some(Severity::High),
            FailOn::Critical => Some(Severity::Critical),
            FailOn::None => None,
        }
    }
}

/// One of the values of `T` (any case, aliases too), refused as "unknown
/// WHAT "x"; use a, b or c" (the values in the order of the help).
#[derive(Clone)]
struct Choice<T> {
    what: &'static str,
    of: PhantomData<fn() -> T>,
}

impl<T> Choice<T> {
    fn new(what: &'static str) -> Choice<T> {
        Choice { what, of: PhantomData }
    }
}

impl<T: ValueEnum + Clone + Send + Sync + 'static> TypedValueParser for Choice<T> {
    type Value = T;

    fn parse_ref(&self, cmd: &clap::Command, _arg: Option<&clap::Arg>, value: &OsStr) -> Result<T, clap::Error> {
        let text = value.to_string_lossy();
        T::from_str(&text, true).map_err(|_| {
            let names: Vec<String> = T::value_variants().iter().filter_map(|v| v.to_possible_value()).map(|p| p.get_name().to_string()).collect();
            let list = match names.split_last() {
                Some((last, [])) => last.clone(),
                Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
                None => String::new(),
            };
            cmd.clone().error(ErrorKind::InvalidValue, format!("unknown {} {text:?}; use {list}", self.what))
        })
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(T::value_variants().iter().filter_map(ValueEnum::to_possible_value)))
    }
}

/// A calendar date, `YYYY-MM-DD` (`--today`).
#[derive(Clone)]
struct DateValue;

impl TypedValueParser for DateValue {
    type Value = jiff::civil::Date;

    fn parse_ref(&self, cmd: &clap::Command, _arg: Option<&clap::Arg>, value: &OsStr) -> Result<jiff::civil::Date, clap::Error> {
        let text = value.to_string_lossy();
        parse_date(&text).map_err(|why| cmd.clone().error(ErrorKind::ValueValidation, format!("--today needs a date like 2026-06-01, got {text:?}: {why}")))
    }
}

/// A calendar date written `YYYY-MM-DD`, or why it is not one.
pub fn parse_date(text: &str) -> Result<jiff::civil::Date, String> {
    let b = text.as_bytes();
    let shaped = b.len() == 10 && b.iter().enumerate().all(|(i, c)| if i == 4 || i == 7 { *c == b'-' } else { c.is_ascii_digit() });
    if !shaped {
        return Err("write it YYYY-MM-DD".to_string());
    }
    text.parse::<jiff::civil::Date>().map_err(|e| {
        // Say which part is out of range, in the calendar's words.
        let part = |r: std::ops::Range<usize>| text.get(r).and_then(|p| p.parse::<i8>().ok());
        let year = text.get(..4).and_then(|y| y.parse::<i16>().ok());
        match (year, part(5..7), part(8..10)) {
            (_, Some(m), _) if !(1..=12).contains(&m) => format!("there is no month {m:02} (01 to 12)"),
            (_, _, Some(0)) => "days start at 01".to_string(),
            (Some(y), Some(m), Some(d)) => match jiff::civil::Date::new(y, m, 1) {
                Ok(first) if d > first.days_in_month() => format!("{} {y} has {} days", month_name(m), first.days_in_month()),
                _ => e.to_string(),
            },
            _ => e.to_string(),
        }
    })
}

fn month_name(m: i8) -> &'static str {
    const NAMES: [&str; 12] = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
    usize::try_from(m - 1).ok().and_then(|i| NAMES.get(i)).copied().unwrap_or("the month")
}

/// `--max-size`: a number of bytes.
fn bytes(text: &str) -> Result<usize, String> {
    text.parse().map_err(|_| "not a whole number of bytes".to_string())
}

/// Parse the command line, or the error to print (help and `--version` are
/// "errors" printed to standard output with exit code 0).
pub fn parse() -> Result<Cli, clap::Error> {
    let cli = Cli::try_parse().map_err(reword)?;
    if let Command::Report(r) = &cli.command {
        if let Some(extra) = r.extra.first() {
            return Err(usage_error("report", ErrorKind::UnknownArgument, format!("report takes one WORKSPACE file; unexpected {extra:?}")));
        }
    }
    Ok(cli)
}

/// A usage error of `command`, shown with its usage line.
fn usage_error(command: &str, kind: ErrorKind, message: String) -> clap::Error {
    let mut cli = Cli::command();
    cli.build();
    match cli.find_subcommand_mut(command) {
        Some(sub) => sub.error(kind, message),
        None => cli.error(kind, message),
    }
}

/// clap's message for a missing FILE or WORKSPACE, in the command's words.
fn reword(e: clap::Error) -> clap::Error {
    if e.kind() != ErrorKind::MissingRequiredArgument {
        return e;
    }
    let missing = match e.get(ContextKind::InvalidArg) {
        Some(ContextValue::Strings(s)) => s.clone(),
        _ => return e,
    };
    let (command, message) = if missing.iter().any(|a| a.starts_with("<FILE>")) {
        ("assess", "assess needs at least one FILE")
    } else if missing.iter().any(|a| a.starts_with("<WORKSPACE>")) {
        ("report", "report needs a WORKSPACE file (exported from the app)")
    } else if missing.iter().any(|a| a.starts_with("<SHELL>")) {
        ("completions", "completions needs a SHELL: bash, elvish, fish, powershell or zsh")
    } else {
        return e;
    };
    usage_error(command, ErrorKind::MissingRequiredArgument, message.to_string())
}

/// The command-line definition (for completions).
pub fn command() -> clap::Command {
    Cli::command()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn dates_are_calendar_dates() {
        assert_eq!(parse_date("2024-02-29").map(|d| (d.year(), d.month(), d.day())), Ok((2024, 2, 29)));
        assert_eq!(parse_date("2026-02-30"), Err("February 2026 has 28 days".to_string()));
        assert_eq!(parse_date("2026-04-31"), Err("April 2026 has 30 days".to_string()));
        assert_eq!(parse_date("2026-13-01"), Err("there is no month 13 (01 to 12)".to_string()));
        assert_eq!(parse_date("2026-00-10"), Err("there is no month 00 (01 to 12)".to_string()));
        assert_eq!(parse_date("2026-01-00"), Err("days start at 01".to_string()));
        for bad in ["yesterday", "2026-6-1", "2026-06-01T00:00", "", "２０２６-06-01"] {
            assert_eq!(parse_date(bad), Err("write it YYYY-MM-DD".to_string()), "{bad}");
        }
    }
}
