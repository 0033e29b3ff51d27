//! The Web Worker's WebAssembly module (Trunk `data-type="worker"`): the
//! engine without the UI. `public/worker.js` hands it each message of the
//! page (a `protocol::Request` head and the body's bytes or text) and posts
//! what it answers (`protocol::Reply` heads and bodies); the page
//! (`src/main.rs`) never parses or evaluates an export, and its own module
//! carries no parser. The worker also makes the files the user asks for on
//! the report page (CSV, Markdown, OSCAL, share links), so the page's module,
//! loaded before its first render, carries no writer or compressor for them.
//!
//! It holds, per assessment, the files added in this session
//! (`workspace::joint::Joint`: their bytes for the evidence view and their
//! parsed inventories), and judges them together whenever one is added,
//! replaced or removed.

#[cfg(target_arch = "wasm32")]
mod exports {
    use iso27017::checks::{Context, RuleSet};
    use iso27017::ingest::{IngestError, Limits};
    use iso27017::protocol::{ExportOf, Progress, Reply, Request};
    use iso27017::report::{export_from, ExportFormat, ExportSource};
    use iso27017::share;
    use iso27017::workspace::evidence::FileDigest;
    use iso27017::workspace::joint::Joint;
    use iso27017::workspace::transfer::{self, FragmentReply, Stage};
    use std::cell::RefCell;
    use std::collections::HashMap;
    use wasm_bindgen::prelude::*;

    /// Largest export the browser app reads (bytes).
    pub const BROWSER_MAX_BYTES: usize = 300 << 20;

    thread_local! {
        /// The files held, per assessment id.
        static HELD: RefCell<HashMap<String, Joint>> = RefCell::new(HashMap::new());
    }

    fn limits() -> Limits {
        Limits { max_input_bytes: BROWSER_MAX_BYTES, max_decompressed_bytes: 600 << 20, ..Limits::default() }
    }

    /// The sender: `post(head, body)` posts one reply (`body` a string or
    /// undefined).
    struct Out<'a>(&'a js_sys::Function);

    impl Out<'_> {
        fn send(&self, reply: &Reply, body: Option<&str>) {
            let body = body.map(JsValue::from_str).unwrap_or(JsValue::UNDEFINED);
            let _ = self.0.call2(&JsValue::NULL, &JsValue::from_str(&reply.to_head()), &body);
        }
    }

    fn id_of(head: &str) -> u32 {
        Request::from_head(head).map(|r| r.id()).unwrap_or(0)
    }

    /// The reply to post while the glue reads a dropped file.
    #[wasm_bindgen]
    pub fn worker_reading(head: &str, loaded: f64, total: f64) -> String {
        Reply::Progress { id: id_of(head), progress: Progress::Reading { loaded, total } }.to_head()
    }

    /// The refusal to post instead of reading a file of `size` bytes, if it
    /// is too large for the browser.
    #[wasm_bindgen]
    pub fn worker_check_size(head: &str, size: f64) -> Option<String> {
        (size > BROWSER_MAX_BYTES as f64).then(|| {
            let message = IngestError::TooLarge { size: size as u64, limit: BROWSER_MAX_BYTES as u64 }.to_string();
            Reply::Refused { id: id_of(head), message }.to_head()
        })
    }

    /// The reply for a request the glue could not complete (reading the
    /// file failed, the sample could not be fetched).
    #[wasm_bindgen]
    pub fn worker_failed(head: &str, message: &str) -> String {
        Reply::Failed { id: id_of(head), message: message.to_string() }.to_head()
    }

    /// A local evidence file's digest, fed chunk by chunk by the glue as it
    /// reads the file (`Request::HashFile`): only the running digest and the
    /// size are held, never the file.
    #[wasm_bindgen]
    pub struct FileHasher(FileDigest);

    #[wasm_bindgen]
    impl FileHasher {
        /// A hasher for the request whose head the glue holds.
        #[wasm_bindgen(constructor)]
        pub fn new() -> FileHasher {
            FileHasher(FileDigest::new())
        }
        /// The next chunk read.
        pub fn update(&mut self, chunk: &[u8]) {
            self.0.update(chunk);
        }
        /// The reply to post for request `head`.
        pub fn finish(self, head: &str) -> String {
            let (size, sha256) = self.0.finish();
            Reply::Hashed { id: id_of(head), size, sha256 }.to_head()
        }
    }

    /// The reply that says the module has started.
    #[wasm_bindgen]
    pub fn worker_ready() -> String {
        Reply::Ready.to_head()
    }

    /// Handle one request: `head` is its `protocol::Request`, `bytes` the
    /// body's bytes (a file's content), `text` the body when it is text,
    /// `digest` the SHA-256 of `bytes` in hex (empty: hashed here). Replies
    /// go to `post(head, body)`.
    #[wasm_bindgen]
    pub fn worker_handle(head: &str, bytes: Option<Vec<u8>>, text: Option<String>, digest: &str, post: &js_sys::Function) {
        let out = Out(post);
        let request = match Request::from_head(head) {
            Ok(r) => r,
            Err(e) => return out.send(&Reply::Failed { id: 0, message: e.to_string() }, None),
        };
        match request {
            Request::AddFile { id, workspace, name, replaces, today, mappings } => {
                // The page sends a valid mapping; one that is not is left unused.
                let mapping = iso27017::workspace::store_mapping::from_stored(mappings).unwrap_or_default();
                HELD.with_borrow_mut(|held| held.entry(workspace.clone()).or_default().set_mapping(mapping));
                let Some(bytes) = bytes.or_else(|| text.map(String::into_bytes)) else {
                    return out.send(&Reply::Failed { id, message: "nothing to assess".into() }, None);
                };
                out.send(&Reply::Progress { id, progress: Progress::Parsing { total: bytes.len() as f64 } }, None);
                let digest = (!digest.is_empty()).then_some(digest);
                let added = HELD.with_borrow_mut(|held| held.entry(workspace.clone()).or_default().add(&name, bytes, digest, replaces.as_deref(), &limits()));
                match added {
                    Ok(_) => evaluate(id, &workspace, Some(&name), today, &out),
                    Err(refused) => out.send(&Reply::Refused { id, message: refused.refused.unwrap_or_default() }, None),
                }
            }
            Request::RemoveFile { id, workspace, name, today } => {
                let removed = HELD.with_borrow_mut(|held| held.get_mut(&workspace).is_some_and(|j| j.remove(&name)));
                // What is left is judged again only when the file was one of
                // this session's: otherwise nothing held has changed.
                if removed {
                    evaluate(id, &workspace, None, today, &out);
                }
            }
            Request::Fragment { id, workspace, name, pointer, line } => {
                let reply = HELD.with_borrow(|held| match held.get(&workspace).and_then(|j| j.bytes(&name)) {
                    Some(bytes) => transfer::fragment(bytes, &pointer, line, &limits()),
                    None => FragmentReply::Missing,
                });
                out.send(&Reply::Fragment { id, reply }, None);
            }
            Request::Export { id, format, source, today, now } => {
                let made = format
                    .parse::<ExportFormat>()
                    .map_err(|e| e.to_string())
                    .and_then(|format| {
                        let text = text.as_deref().unwrap_or_default();
                        let source = match source {
                            ExportOf::Workspace => ExportSource::Workspace { json: text, today },
                            ExportOf::ShareLink => ExportSource::ShareLink(text),
                        };
                        // The interview checklist's guidance text comes as
                        // the body's bytes (`guidance.bin`, fetched by the glue).
                        export_from(source, format, now, bytes.as_deref())
                    });
                match made {
                    Ok((name, text)) => out.send(&Reply::Exported { id, name }, Some(&text)),
                    Err(message) => out.send(&Reply::Failed { id, message }, None),
                }
            }
            // The glue feeds a local evidence file to `FileHasher` chunk by chunk; a file is never
            // read whole to be hashed.
            Request::HashFile { id } => {
                out.send(&Reply::Failed { id, message: "a file to hash is read chunk by chunk (FileHasher), not sent whole".into() }, None)
            }
            Request::Remap { id, workspace } => remap(id, &workspace, text.as_deref().unwrap_or_default(), &out),
            Request::ShareLink { id, max } => match share::encode_fitting_json(text.as_deref().unwrap_or_default(), max) {
                Ok(f) => out.send(&Reply::Link { id, link: f.link, kept: f.findings_kept, dropped: f.findings_dropped }, None),
                Err(e) => out.send(&Reply::Failed { id, message: e.to_string() }, None),
            },
        }
    }

    /// The assessment's mapping of imported check ids changed (`json`: the
    /// assessment): the files held use it from now on, and every imported
    /// finding is mapped again from what the assessment stores
    /// (`Workspace::remap`, no file read again); the uploads whose findings
    /// changed are sent as a joint result.
    fn remap(id: u32, workspace: &str, json: &str, out: &Out) {
        let mut wss = match iso27017::workspace::import_own(json) {
            Ok(w) => w,
            Err(e) => return out.send(&Reply::Failed { id, message: e.to_string() }, None),
        };
        let Some(w) = wss.active_mut() else {
            return out.send(&Reply::Failed { id, message: "the assessment was not sent".into() }, None);
        };
        HELD.with_borrow_mut(|held| {
            if let Some(j) = held.get_mut(workspace) {
                j.set_mapping(w.user_mapping());
            }
        });
        let changed = w.remap(RuleSet::bundled());
        let records: Vec<_> = w.uploads().iter().filter(|u| changed.contains(&u.name)).collect();
        let files = records.len() as u32;
        for (i, r) in records.iter().enumerate() {
            HELD.with_borrow_mut(|held| {
                if let Some(j) = held.get_mut(workspace) {
                    j.mark_sent(&r.name, &r.findings);
                }
            });
            transfer::for_each_part(r, None, &mut |k, n, json| {
                out.send(&Reply::Part { id, file: i as u32, files, k: k as u32, n: n as u32 }, Some(&json));
            });
        }
    }

    /// Judge the files held for `workspace` together and send the findings
    /// of each file they changed: the file `added` always, streamed (the page
    /// reads part k in its own task while part k + 1 is being made), then
    /// every other file whose findings differ from those last sent.
    fn evaluate(id: u32, workspace: &str, added: Option<&str>, today: i64, out: &Out) {
        let ctx = Context { today };
        HELD.with_borrow_mut(|held| {
            let Some(joint) = held.get_mut(workspace) else { return };
            let outcomes = joint.evaluate(RuleSet::bundled(), &ctx, &mut |stage| {
                let progress = match stage {
                    Stage::Parsed(resources) => Progress::Evaluating { resources },
                    Stage::Evaluated(findings) => Progress::Sending { findings },
                };
                out.send(&Reply::Progress { id, progress }, None);
            });
            // Which other files' findings changed, by digest: only those are
            // written out, after the added file's, which goes first.
            let mut first = None;
            let mut others = Vec::new();
            for o in &outcomes {
                if Some(o.record.name.as_str()) == added {
                    first = Some(o);
                } else if joint.mark_sent(&o.record.name, &o.record.findings) {
                    others.push(o);
                }
            }
            let files = (first.is_some() as u32) + others.len() as u32;
            if let Some(o) = first {
                transfer::for_each_part(&o.record, None, &mut |k, n, json| {
                    out.send(&Reply::Part { id, file: 0, files, k: k as u32, n: n as u32 }, Some(&json));
                });
                joint.mark_sent(&o.record.name, &o.record.findings);
            }
            let offset = first.is_some() as u32;
            for (i, o) in others.iter().enumerate() {
                transfer::for_each_part(&o.record, None, &mut |k, n, json| {
                    out.send(&Reply::Part { id, file: offset + i as u32, files, k: k as u32, n: n as u32 }, Some(&json));
                });
            }
        });
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
