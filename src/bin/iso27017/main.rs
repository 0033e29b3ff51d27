//! The `iso27017` command: thin glue over the library. `args` defines the
//! command line (clap: help for every command and option, `--version`),
//! `commands` runs each command, `output` reads inputs and writes documents.
//!
//! ```text
//! iso27017 assess FILE... [-f table|json|sarif|markdown|csv-findings|csv-soa|oscal|workspace]
//!                 [--fail-on info|low|medium|high|critical|none] [--include-passed]
//!                 [--max-size BYTES] [--today YYYY-MM-DD] [-o FILE]
//!                 [--workspace WORKSPACE [--assessment ID|NAME] [--write-workspace OUT [--force]]]
//! iso27017 merge RESULT... [--fail-on LEVEL] [--max-size BYTES] [--today YYYY-MM-DD] [-o FILE]
//! iso27017 report WORKSPACE [-f markdown|csv-findings|csv-soa|oscal|json]
//!                 [-w ID|NAME] [--today YYYY-MM-DD] [-o FILE]
//! iso27017 checks [-f table|json|markdown] [-o FILE]
//! iso27017 catalog [-f json|markdown] [-o FILE]
//! iso27017 completions bash|zsh|fish|elvish|powershell
//! iso27017 help [COMMAND] | COMMAND --help | --version
//! ```
//! `assess --format json` writes failing and unknown findings in full and the
//! passing ones counted per check with their resource ids; `--include-passed`
//! writes every finding in full (json) or adds the passes (sarif).
//!
//! Exit codes: 0 success; 1 failing checks at or above `--fail-on` (assess, merge); 2 usage
//! error, unreadable or unusable input.

/// mimalloc: the engine allocates many small values (parsed attributes,
/// properties, findings); it runs 15–25 % faster than with glibc's malloc
/// (`cargo bench --bench ingest` uses it too, so the README's numbers are
/// the CLI's).
#[cfg(not(target_arch = "wasm32"))]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[cfg(not(target_arch = "wasm32"))]
mod args;
#[cfg(not(target_arch = "wasm32"))]
mod commands;
#[cfg(not(target_arch = "wasm32"))]
mod output;

#[cfg(not(target_arch = "wasm32"))]
fn run() -> i32 {
    use args::Command;
    let cli = match args::parse() {
        Ok(cli) => cli,
        Err(e) => {
            // Help and --version go to standard output with 0; usage errors
            // to standard error with 2.
            let _ = e.print();
            return if e.use_stderr() { 2 } else { 0 };
        }
    };
    match cli.command {
        Command::Assess(a) => commands::assess(a),
        Command::Merge(a) => commands::merge(a),
        Command::Report(a) => commands::report(a),
        Command::Checks(a) => commands::checks(a),
        Command::Catalog(a) => commands::catalog(a),
        Command::Completions(a) => commands::completions(a),
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    std::process::exit(run());
}

#[cfg(target_arch = "wasm32")]
fn main() {}
