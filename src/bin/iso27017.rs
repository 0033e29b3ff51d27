//! The `iso27017` command: thin glue over the library.
//!
//! ```text
//! iso27017 catalog [--format json|markdown] [--output FILE]
//! ```
//! Exit codes: 0 success, 2 usage or I/O error.

#[cfg(not(target_arch = "wasm32"))]
mod cli {
    use iso27017::catalog::{to_json, to_markdown};
    use iso27017::Catalog;
    use std::io::Write;

    const USAGE: &str = "\
iso27017 — ISO/IEC 27017 cloud security assessor

USAGE:
    iso27017 catalog [--format json|markdown] [--output FILE]
    iso27017 --help | --version

COMMANDS:
    catalog    Print the bundled ISO/IEC 27017:2015 control catalog with our guidance
               (json: versioned document 'iso27017-assessor/catalog' v1; markdown: a readable book)

OPTIONS:
    -f, --format FORMAT   json (default) or markdown
    -o, --output FILE     write to FILE instead of standard output
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
        let mut it = args.iter();
        while let Some(a) = it.next() {
            let (flag, inline) = match a.split_once('=') {
                Some((f, v)) if f.starts_with("--") => (f, Some(v.to_string())),
                _ => (a.as_str(), None),
            };
            match flag {
                "-f" | "--format" => {
                    let v = inline.or_else(|| it.next().cloned()).ok_or("--format needs a value: json or markdown")?;
                    format = match v.to_ascii_lowercase().as_str() {
                        "json" => Format::Json,
                        "markdown" | "md" => Format::Markdown,
                        other => return Err(format!("unknown format {other:?}; use json or markdown")),
                    };
                }
                "-o" | "--output" => {
                    let v = inline.or_else(|| it.next().cloned()).ok_or("--output needs a file name")?;
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

    fn catalog(args: CatalogArgs) -> i32 {
        let catalog = Catalog::bundled();
        for issue in catalog.issues() {
            eprintln!("warning: catalog: {issue}");
        }
        let mut text = match args.format {
            Format::Json => to_json(catalog),
            Format::Markdown => to_markdown(catalog),
        };
        if !text.ends_with('\n') {
            text.push('\n');
        }
        let result = match &args.output {
            Some(path) => std::fs::write(path, text.as_bytes()).map_err(|e| format!("cannot write {}: {e}", path.display())),
            None => {
                let mut out = std::io::stdout().lock();
                match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
                    Ok(()) => Ok(()),
                    // A closed pipe (`| head`) is not an error for the user.
                    Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                    Err(e) => Err(format!("cannot write to standard output: {e}")),
                }
            }
        };
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
