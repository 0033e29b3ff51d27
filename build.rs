//! Turns the catalog data (`src/catalog/data/*.toml`) and the front matter of
//! the guidance files (`src/catalog/guidance/<ID>.md`) into Rust statics, so
//! the app ships no TOML parser and pays no parse cost at start-up.
//!
//! The guidance text itself (each file's Markdown body and responsibility
//! note) becomes the *guidance asset*: compact JSON, raw-deflated, written to
//! `OUT_DIR/guidance.bin` (embedded by native builds, see `catalog::prose`) and
//! to `target/web-assets/guidance.bin`, which Trunk's post-build hook copies
//! into `dist/` for the page to fetch. Its FNV-1a digest is emitted as
//! `GUIDANCE_ASSET_DIGEST`, so a page only ever uses the asset made from its
//! own sources (a cached copy from another version is fetched again).
//!
//! Only splits and escapes: all checking of the content happens in
//! `catalog::load`, `catalog::prose` and `tests/catalog.rs`, where a failure
//! names the control at fault.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CatalogFile {
    edition: Edition,
    group: Vec<Group>,
    control: Vec<Control>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Edition {
    id: String,
    standard: String,
    also_published_as: String,
    base: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Group {
    id: String,
    parent: Option<String>,
    title: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Control {
    id: String,
    parent: String,
    title: String,
    kind: String,
    iso27002_2022: Vec<String>,
    mapping_basis: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File2022 {
    control: Vec<Control2022>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Control2022 {
    id: String,
    title: String,
    theme: String,
    new_in_2022: bool,
    from_2013: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    responsibility: BTreeMap<String, String>,
    responsibility_note: String,
    last_verified: toml::value::Datetime,
    sources: Vec<Source>,
    reverify: Vec<String>,
}

/// A provider documentation page behind a guidance file's facts.
#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct Source {
    title: String,
    url: String,
}

/// The guidance asset, version 3 (read by `catalog::prose::GuidanceAssetV3`).
#[derive(Serialize)]
struct GuidanceAsset<'a> {
    format: &'static str,
    version: u32,
    edition: &'a str,
    controls: Vec<GuidanceEntry>,
    checks: Vec<CheckText>,
}

/// The long texts of one check (`rule.toml`), which the page reads from the
/// guidance asset instead of carrying them in its WebAssembly.
#[derive(Serialize)]
struct CheckText {
    id: String,
    rationale: String,
    remediation: String,
    control_reasons: serde_json::Map<String, serde_json::Value>,
}

#[derive(Serialize)]
struct GuidanceEntry {
    id: String,
    responsibility_note: String,
    markdown: String,
    last_verified: String,
    sources: Vec<Source>,
    reverify: Vec<String>,
}

/// Where the page's copy of the guidance asset goes (relative to the crate
/// root; `Trunk.toml`'s post-build hook copies it from here into `dist/`).
const WEB_ASSETS_DIR: &str = "target/web-assets";

/// FNV-1a, 64 bits: identifies the asset's content (a version check, not
/// security); `catalog::prose::digest` is the same function.
fn fnv64(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3))
}

fn lit(s: &str) -> String {
    // Debug formatting of a str is a valid Rust string literal.
    format!("{s:?}")
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/catalog");
    println!("cargo:rerun-if-changed=src/catalog/data");
    println!("cargo:rerun-if-changed=src/catalog/guidance");

    let cat_src = std::fs::read_to_string(root.join("data/iso27017-2015.toml"))
        .expect("read src/catalog/data/iso27017-2015.toml");
    let cat: CatalogFile =
        toml::from_str(&cat_src).unwrap_or_else(|e| panic!("iso27017-2015.toml: {e}"));
    let src22 = std::fs::read_to_string(root.join("data/iso27002-2022.toml"))
        .expect("read src/catalog/data/iso27002-2022.toml");
    let c22: File2022 = toml::from_str(&src22).unwrap_or_else(|e| panic!("iso27002-2022.toml: {e}"));

    let mut out = String::new();
    let e = &cat.edition;
    writeln!(
        out,
        "pub(super) static EDITION: RawEdition = RawEdition {{ id: {}, standard: {}, also_published_as: {}, base: {} }};",
        lit(&e.id), lit(&e.standard), lit(&e.also_published_as), lit(&e.base)
    )
    .unwrap();

    out.push_str("pub(super) static GROUPS: &[RawGroup] = &[\n");
    for g in &cat.group {
        let parent = g.parent.as_deref().map_or("None".to_string(), |p| format!("Some({})", lit(p)));
        writeln!(out, "  RawGroup {{ id: {}, parent: {parent}, title: {} }},", lit(&g.id), lit(&g.title)).unwrap();
    }
    out.push_str("];\n");

    out.push_str("pub(super) static CONTROLS: &[RawControl] = &[\n");
    for c in &cat.control {
        let maps: Vec<String> = c.iso27002_2022.iter().map(|m| lit(m)).collect();
        writeln!(
            out,
            "  RawControl {{ id: {}, parent: {}, title: {}, kind: {}, iso27002_2022: &[{}], mapping_basis: {} }},",
            lit(&c.id), lit(&c.parent), lit(&c.title), lit(&c.kind), maps.join(", "), lit(&c.mapping_basis)
        )
        .unwrap();
    }
    out.push_str("];\n");

    out.push_str("pub(super) static ISO2022: &[Raw2022] = &[\n");
    for c in &c22.control {
        let from: Vec<String> = c.from_2013.iter().map(|m| lit(m)).collect();
        writeln!(
            out,
            "  Raw2022 {{ id: {}, title: {}, theme: {}, new_in_2022: {}, from_2013: &[{}] }},",
            lit(&c.id), lit(&c.title), lit(&c.theme), c.new_in_2022, from.join(", ")
        )
        .unwrap();
    }
    out.push_str("];\n");

    let mut files: Vec<_> = std::fs::read_dir(root.join("guidance"))
        .expect("read src/catalog/guidance")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "md") && p.file_stem().is_some_and(|s| s != "FORMAT"))
        .collect();
    files.sort();
    out.push_str("pub(super) static GUIDANCE: &[RawGuidance] = &[\n");
    let mut entries = Vec::new();
    // The numbers of each file's evidence items (`- [e3] …` lines), so that a
    // stored checklist is validated before the guidance text has loaded.
    let mut evidence_ids = String::from("pub(super) static EVIDENCE_IDS: &[(&str, &[u16])] = &[\n");
    for path in files {
        let id = path.file_stem().unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let text = text.replace("\r\n", "\n");
        let (fm, body) = split_front_matter(&text)
            .unwrap_or_else(|| panic!("guidance/{id}.md: missing +++ front matter +++ block"));
        let fm: FrontMatter =
            toml::from_str(fm).unwrap_or_else(|e| panic!("guidance/{id}.md front matter: {e}"));
        let get = |k: &str| fm.responsibility.get(k).cloned().unwrap_or_default();
        let extra: Vec<&String> =
            fm.responsibility.keys().filter(|k| !["iaas", "paas", "saas"].contains(&k.as_str())).collect();
        if !extra.is_empty() {
            panic!("guidance/{id}.md: unknown service models in responsibility: {extra:?}");
        }
        writeln!(
            out,
            "  RawGuidance {{ id: {}, iaas: {}, paas: {}, saas: {} }},",
            lit(&id),
            lit(&get("iaas")),
            lit(&get("paas")),
            lit(&get("saas")),
        )
        .unwrap();
        let numbers: Vec<String> = body
            .lines()
            .filter_map(|l| l.strip_prefix("- [e")?.split_once(']')?.0.parse::<u16>().ok())
            .map(|n| n.to_string())
            .collect();
        writeln!(evidence_ids, "  ({}, &[{}]),", lit(&id), numbers.join(", ")).unwrap();
        entries.push(GuidanceEntry {
            id,
            responsibility_note: fm.responsibility_note.trim().to_string(),
            markdown: body.trim().to_string(),
            last_verified: fm.last_verified.to_string(),
            sources: fm.sources,
            reverify: fm.reverify,
        });
    }
    out.push_str("];\n");
    evidence_ids.push_str("];\n");
    out.push_str(&evidence_ids);

    let checks = rules();
    let asset = GuidanceAsset { format: "iso27017-assessor/guidance", version: 3, edition: &cat.edition.id, controls: entries, checks };
    let json = serde_json::to_vec(&asset).expect("strings serialise");
    let packed = {
        let mut enc = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
        enc.write_all(&json).expect("deflate into memory");
        enc.finish().expect("deflate into memory")
    };
    writeln!(out, "pub(super) const GUIDANCE_ASSET_DIGEST: u64 = {:#018x};", fnv64(&packed)).unwrap();
    let out_dir = std::env::var("OUT_DIR").unwrap();
    std::fs::write(Path::new(&out_dir).join("guidance.bin"), &packed).expect("write guidance.bin");
    write_web_asset("guidance.bin", &packed);

    let dest = Path::new(&std::env::var("OUT_DIR").unwrap()).join("catalog_data.rs");
    std::fs::write(dest, out).expect("write catalog_data.rs");

    defaults();
}

/// Embeds `src/ingest/defaults.toml` (the providers' documented defaults) as
/// JSON; `ingest::defaults` reads and lints it at first use.
fn defaults() {
    println!("cargo:rerun-if-changed=src/ingest/defaults.toml");
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/ingest/defaults.toml");
    let text = std::fs::read_to_string(&path).expect("read src/ingest/defaults.toml");
    let value: toml::Value = toml::from_str(&text).unwrap_or_else(|e| panic!("src/ingest/defaults.toml: {e}"));
    let json = serde_json::to_string(&value).expect("TOML values are JSON-representable");
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap()).join("defaults_data.rs");
    std::fs::write(dest, format!("pub(super) static DEFAULTS_JSON: &str = {};\n", lit(&json))).expect("write defaults_data.rs");
}

/// Embeds every `src/checks/rules/**/rule.toml` as JSON (the runtime parses it
/// with serde_json, so the app ships no TOML parser), twice: whole (`RULES`:
/// the engine, the worker, the CLI) and without the long texts (`RULE_HEADS`:
/// the page, which reads rationale, remediation and control reasons from the
/// guidance asset). Returns those texts for the asset. A TOML syntax error
/// fails the build with the file name.
fn rules() -> Vec<CheckText> {
    println!("cargo:rerun-if-changed=src/checks/rules");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/checks/rules");
    let mut files = Vec::new();
    collect(&root, &mut files);
    files.sort();
    let mut out = String::from("pub(super) static RULES: &[(&str, &str)] = &[\n");
    let mut heads = String::from("pub(super) static RULE_HEADS: &[(&str, &str)] = &[\n");
    let mut texts = Vec::new();
    for path in files {
        let rel = path.strip_prefix(Path::new(env!("CARGO_MANIFEST_DIR"))).unwrap().to_string_lossy().replace('\\', "/");
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{rel}: {e}"));
        let value: toml::Value = toml::from_str(&text).unwrap_or_else(|e| panic!("{rel}: {e}"));
        let json = serde_json::to_value(&value).expect("TOML values are JSON-representable");
        writeln!(out, "  ({}, {}),", lit(&rel), lit(&json.to_string())).unwrap();
        let mut head = json.as_object().cloned().unwrap_or_default();
        let string = |v: Option<serde_json::Value>| v.and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
        let id = head.get("id").and_then(|v| v.as_str()).unwrap_or_default().to_string();
        let rationale = string(head.remove("rationale"));
        let remediation = string(head.remove("remediation"));
        let control_reasons = match head.remove("control_reasons") {
            Some(serde_json::Value::Object(m)) => m,
            _ => serde_json::Map::new(),
        };
        writeln!(heads, "  ({}, {}),", lit(&rel), lit(&serde_json::Value::Object(head).to_string())).unwrap();
        texts.push(CheckText { id, rationale, remediation, control_reasons });
    }
    out.push_str("];\n");
    heads.push_str("];\n");
    out.push_str(&heads);
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap()).join("rules_data.rs");
    std::fs::write(dest, out).expect("write rules_data.rs");
    texts
}

fn collect(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect(&p, out);
        } else if p.file_name().is_some_and(|n| n == "rule.toml") {
            out.push(p);
        }
    }
}

/// Write the page's copy of the guidance asset to [`WEB_ASSETS_DIR`] (only
/// when it changed, through a temporary file, so concurrent builds never see
/// half a file).
fn write_web_asset(name: &str, bytes: &[u8]) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(WEB_ASSETS_DIR);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("create {}: {e}", dir.display()));
    let dest = dir.join(name);
    if std::fs::read(&dest).ok().as_deref() != Some(bytes) {
        let tmp = dir.join(format!(".{name}.{}", std::process::id()));
        std::fs::write(&tmp, bytes).unwrap_or_else(|e| panic!("write {}: {e}", tmp.display()));
        std::fs::rename(&tmp, &dest).unwrap_or_else(|e| panic!("write {}: {e}", dest.display()));
    }
}

fn split_front_matter(text: &str) -> Option<(&str, &str)> {
    let rest = text.trim_start_matches('\u{feff}').strip_prefix("+++\n")?;
    let end = rest.find("\n+++")?;
    let fm = &rest[..end];
    let body = rest[end + 4..].trim_start_matches('\n');
    Some((fm, body))
}
