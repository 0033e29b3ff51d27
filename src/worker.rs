//! The Web Worker's WebAssembly module (Trunk `data-type="worker"`): the
//! engine without the UI. `public/worker.js` loads it and calls these
//! exports; the page (`src/main.rs`) never parses or evaluates an export,
//! and its own module carries no parser. The worker also makes the files the
//! user asks for on the report page (CSV, Markdown, OSCAL, share links), so
//! the page's module, loaded before its first render, carries no writer or
//! compressor for them.

#[cfg(target_arch = "wasm32")]
mod exports {
    use iso27017::checks::{Context, RuleSet};
    use iso27017::ingest::{IngestError, Limits};
    use iso27017::report::{export_from, ExportFormat, ExportSource};
    use iso27017::share;
    use iso27017::workspace::transfer::{self, Stage};
    use wasm_bindgen::prelude::*;

    /// Largest export the browser app reads (bytes).
    pub const BROWSER_MAX_BYTES: usize = 300 << 20;

    fn limits() -> Limits {
        Limits { max_input_bytes: BROWSER_MAX_BYTES, max_decompressed_bytes: 600 << 20, ..Limits::default() }
    }

    /// Assess one file's bytes (`digest`: their SHA-256 in hex from the
    /// browser, or empty to hash here). `progress(stage, count)` is called with
    /// `"parsed", resources` then `"evaluated", findings`; then
    /// `part(k, n, json)` once per `workspace::transfer` part (at least one),
    /// as soon as each is made.
    #[wasm_bindgen]
    pub fn worker_assess(name: &str, bytes: &[u8], digest: &str, today: f64, progress: &js_sys::Function, part: &js_sys::Function) {
        let ctx = Context { today: today as i64 };
        let digest = (!digest.is_empty()).then_some(digest);
        let outcome = transfer::assess_file_with_digest(name, bytes, digest, &limits(), RuleSet::bundled(), &ctx, &mut |stage| {
            let (label, n) = match stage {
                Stage::Parsed(n) => ("parsed", n),
                Stage::Evaluated(n) => ("evaluated", n),
            };
            let _ = progress.call2(&JsValue::NULL, &JsValue::from_str(label), &JsValue::from_f64(n as f64));
        });
        transfer::for_each_part(&outcome.record, outcome.refused.as_deref(), &mut |k, n, json| {
            let _ = part.call3(&JsValue::NULL, &JsValue::from_f64(k as f64), &JsValue::from_f64(n as f64), &JsValue::from_str(&json));
        });
    }

    /// The message for a file the worker does not read because of its size.
    #[wasm_bindgen]
    pub fn worker_too_large(size: f64) -> String {
        IngestError::TooLarge { size: size as u64, limit: BROWSER_MAX_BYTES as u64 }.to_string()
    }

    /// Largest file size the worker reads.
    #[wasm_bindgen]
    pub fn worker_max_bytes() -> f64 {
        BROWSER_MAX_BYTES as f64
    }

    /// True when an export format needs the guidance text (the worker then
    /// fetches `guidance.bin` and passes its bytes to `worker_export`).
    #[wasm_bindgen]
    pub fn worker_export_needs_guidance(format: &str) -> bool {
        format.parse::<ExportFormat>().is_ok_and(ExportFormat::needs_guidance)
    }

    /// An export of a report, `[file name, text]`: `format` is an
    /// `ExportFormat` token; the report is that of `workspace` (the
    /// assessment as `workspace::export_workspace` writes it, reported on
    /// `today`, days since the epoch) or of `share` (a share link's payload);
    /// `guidance` is the guidance asset, for the formats that need it.
    #[wasm_bindgen]
    pub fn worker_export(format: &str, workspace: Option<String>, share: Option<String>, today: f64, now: f64, guidance: Option<Vec<u8>>) -> Result<js_sys::Array, JsValue> {
        let format: ExportFormat = format.parse().map_err(|e: iso27017::model::ParseModelError| JsValue::from_str(&e.to_string()))?;
        let source = match (&workspace, &share) {
            (Some(json), None) => ExportSource::Workspace { json, today: today as i64 },
            (None, Some(payload)) => ExportSource::ShareLink(payload),
            _ => return Err(JsValue::from_str("an export needs an assessment or a share link")),
        };
        let (name, text) = export_from(source, format, now.max(0.0) as u64, guidance.as_deref()).map_err(|e| JsValue::from_str(&e))?;
        Ok(js_sys::Array::of2(&JsValue::from_str(&name), &JsValue::from_str(&text)))
    }

    /// A share link payload for a report given as `ShareV1` JSON, at most
    /// `max_len` characters: `[payload, findings kept, findings left out]`.
    #[wasm_bindgen]
    pub fn worker_share_link(json: &str, max_len: f64) -> Result<js_sys::Array, JsValue> {
        let fitted = share::encode_fitting_json(json, max_len.max(0.0) as usize).map_err(|e| JsValue::from_str(&e.to_string()))?;
        Ok(js_sys::Array::of3(
            &JsValue::from_str(&fitted.link),
            &JsValue::from_f64(fitted.findings_kept as f64),
            &JsValue::from_f64(fitted.findings_dropped as f64),
        ))
    }

    /// The part of an uploaded file behind a finding, as JSON
    /// (`{"text": …, "clipped": bool}` or `{"error": …}`).
    #[wasm_bindgen]
    pub fn worker_fragment(bytes: &[u8], pointer: &str, line: Option<u32>) -> String {
        transfer::fragment_json(bytes, pointer, line, &limits())
    }
}


#[cfg(target_arch = "wasm32")]
fn main() {
    console_error_panic_hook::set_once();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("iso27017-worker is the browser app's Web Worker; run `trunk build --release` (see README.md), or use the `iso27017` command.");
    std::process::exit(2);
}
