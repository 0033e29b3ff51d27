//! The assessment workspace on the page: the [`Workspaces`] signal, its
//! persistence in `localStorage` (the layout is `workspace::kv`'s; this
//! module gives it the browser's store, [`LocalKv`]), other tabs' changes
//! (storage events), and the Web Worker that judges the files of each
//! assessment together and makes the report's export files and share links.
//!
//! **Invariant:** this module only moves data: requests go to the worker as
//! typed `protocol::Request` heads with the file (a `File`) or text beside
//! them, and `protocol::Reply`s come back with `workspace::transfer` parts,
//! validated by the engine; stored text is read by `workspace::kv`, which
//! never fails and sets unreadable data aside before anything is written.
//!
//! After a reload the worker holds no file: the stored findings are shown as
//! they were stored, and the files are judged together again when one of
//! this session's files is added or removed (the files added earlier, which
//! the worker no longer has, keep their stored findings until dropped again).

use crate::report::workspace_report::fixed;
use crate::ingest::Format;
use crate::protocol::{ExportOf, Progress, Reply, Request};
use crate::report::ExportFormat;
use crate::workspace::kv::{BrowserStore, Kv, KvError, STORAGE_KEY};
use crate::workspace::transfer::{self, DiagnosticLine, FileOutcome, FragmentReply};
use crate::model::{CheckId, ControlId};
use crate::workspace::{WorkspaceId, Workspaces};
use std::collections::{HashMap, HashSet};
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The browser's `localStorage` as the [`Kv`] the storage layout
/// (`workspace::kv`) writes to.
struct LocalKv(Option<web_sys::Storage>);

impl LocalKv {
    fn open() -> LocalKv {
        LocalKv(web_sys::window().and_then(|w| w.local_storage().ok().flatten()))
    }
    fn storage(&self) -> Result<&web_sys::Storage, KvError> {
        self.0.as_ref().ok_or_else(|| KvError::Unavailable("localStorage is not available".into()))
    }
}

impl Kv for LocalKv {
    fn get(&self, key: &str) -> Result<Option<String>, KvError> {
        self.storage()?.get_item(key).map_err(|e| KvError::Unavailable(js_error(&e)))
    }
    fn set(&mut self, key: &str, value: &str) -> Result<(), KvError> {
        self.storage()?.set_item(key, value).map_err(|e| KvError::Full(js_error(&e)))
    }
    fn remove(&mut self, key: &str) {
        if let Ok(s) = self.storage() {
            let _ = s.remove_item(key);
        }
    }
    fn keys(&self) -> Vec<String> {
        let Ok(s) = self.storage() else { return Vec::new() };
        (0..s.length().unwrap_or(0)).filter_map(|i| s.key(i).ok().flatten()).collect()
    }
}

/// Where one file is.
#[derive(Debug, Clone, PartialEq)]
pub enum Stage {
    /// Waiting for the worker.
    Queued,
    /// Being read (bytes so far, total).
    Reading(f64, f64),
    /// Being decoded, detected and parsed.
    Parsing,
    /// Parsed (resources); being evaluated.
    Evaluating(usize),
    /// Evaluated; the page is taking the results.
    Rendering,
    /// In the workspace.
    Done,
    /// Not an export we can read (the engine's reason).
    Refused(String),
    /// Something went wrong outside the engine (reading the file, the worker).
    Failed(String),
}

impl Stage {
    /// Progress from 0 to 100.
    pub fn percent(&self) -> f64 {
        match self {
            Stage::Queued => 0.0,
            Stage::Reading(l, t) if *t > 0.0 => 40.0 * (l / t).min(1.0),
            Stage::Reading(..) => 0.0,
            Stage::Parsing => 45.0,
            Stage::Evaluating(_) => 75.0,
            Stage::Rendering => 92.0,
            Stage::Done | Stage::Refused(_) | Stage::Failed(_) => 100.0,
        }
    }
    /// In the worker still?
    pub fn busy(&self) -> bool {
        matches!(self, Stage::Queued | Stage::Reading(..) | Stage::Parsing | Stage::Evaluating(_) | Stage::Rendering)
    }
    /// Words for the status line.
    pub fn label(&self) -> String {
        match self {
            Stage::Queued => "Waiting…".into(),
            Stage::Reading(l, t) => format!("Reading… {} of {} MB", fixed(l / 1e6, 0), fixed(t / 1e6, 1)),
            Stage::Parsing => "Detecting the format and reading resources…".into(),
            Stage::Evaluating(n) => format!("Evaluating {n} resources…"),
            Stage::Rendering => "Showing results…".into(),
            Stage::Done => "Assessed".into(),
            Stage::Refused(_) => "Refused".into(),
            Stage::Failed(_) => "Failed".into(),
        }
    }
}

/// One file of this session (stored uploads survive reloads; jobs do not).
#[derive(Debug, Clone, PartialEq)]
pub struct FileJob {
    /// Message id.
    pub id: u32,
    /// File name.
    pub name: String,
    /// Size in bytes.
    pub size: f64,
    /// Where it is.
    pub stage: Stage,
    /// Detected format.
    pub format: Option<Format>,
    /// Resources read.
    pub resources: usize,
    /// First diagnostics.
    pub diagnostics: Vec<DiagnosticLine>,
    /// Number of diagnostics.
    pub diagnostics_total: usize,
    /// `performance.now()` at the start.
    pub started: f64,
    /// Drop-to-results time, when done.
    pub elapsed_ms: Option<f64>,
    /// Milliseconds from the start until: read, parsed, evaluated, first part received.
    pub marks: [f64; 4],
    /// An upload this file replaces (removed when the new one is in).
    pub replaces: Option<String>,
    /// The assessment the file was added to.
    pub workspace: Option<WorkspaceId>,
}

/// What a report export is made from, as it is sent to the worker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExportInput {
    /// The assessment, as `workspace::export_workspace` writes it.
    Workspace(String),
    /// A share link's payload.
    ShareLink(String),
}

/// A share link the worker made: the payload, finding summaries kept and left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MadeLink {
    /// The payload (after the route prefix).
    pub payload: String,
    /// Finding summaries in the link.
    pub kept: usize,
    /// Finding summaries left out to fit.
    pub dropped: usize,
}

/// A reply awaited from the worker for a user action, by message id: the
/// reply and its body's text.
type Awaiting = Box<dyn FnOnce(Result<(Reply, String), String>)>;

/// The body of a request, beside its typed head (see `protocol`).
enum Body {
    /// None.
    Empty,
    /// A dropped or picked file, read by the worker.
    File(web_sys::File),
    /// Text.
    Text(String),
    /// A bundled sample the worker fetches from the app's origin.
    Url(String),
    /// Text, and a file of the app's origin the worker fetches beside it.
    TextAndUrl(String, &'static str),
    /// A local evidence file the worker hashes as it reads it (never keeps).
    Hash(web_sys::File),
}

/// The parts of a joint result arriving from the worker: per file, its
/// outcome so far, the parts' texts (stored as they are), and whether its
/// last part is in.
#[derive(Default)]
struct Arriving {
    files: Vec<Option<(FileOutcome, Vec<String>, bool)>>,
}

/// The evidence fragment request shown in the evidence panel.
#[derive(Debug, Clone, PartialEq)]
pub enum FragmentState {
    /// Asked the worker.
    Loading,
    /// The text (and whether it was clipped).
    Text(String, bool),
    /// The file is not in memory (uploaded in an earlier session).
    Missing,
    /// Could not show it.
    Error(String),
}

/// The workspace context.
#[derive(Clone, Copy)]
pub struct WsCtx {
    /// All assessments.
    pub ws: RwSignal<Workspaces>,
    /// Files of this session.
    pub jobs: RwSignal<Vec<FileJob>>,
    /// User-facing problems (shown in the error banner until dismissed).
    pub errors: RwSignal<Vec<String>>,
    /// Information (e.g. data migrated).
    pub notice: RwSignal<Option<String>>,
    /// Stored data this build could not use, kept for download.
    pub backup: RwSignal<Option<String>>,
    /// True while unreadable stored data could not be set aside: nothing is
    /// written until the user downloads or discards it.
    pub saving_blocked: RwSignal<bool>,
    /// Evidence fragment of the selected finding.
    pub fragment: RwSignal<Option<FragmentState>>,
    /// Uploads whose findings could not be kept in browser storage, or were
    /// not found there on load (findings key).
    pub unsaved_findings: RwSignal<HashSet<String>>,
    /// Days since the epoch (today, local clock).
    pub today: i64,
    worker: StoredValue<Option<web_sys::Worker>, ThreadLocal>,
    replies: StoredValue<HashMap<u32, Awaiting>, ThreadLocal>,
    parts: StoredValue<HashMap<u32, Arriving>, ThreadLocal>,
    /// Re-evaluations after a removal, by message id: the assessment.
    reevaluations: StoredValue<HashMap<u32, WorkspaceId>>,
    /// The storage layout's state (`workspace::kv`).
    store: StoredValue<BrowserStore>,
    save_scheduled: StoredValue<bool>,
    next_id: StoredValue<u32>,
}

/// Leptos's storage for values that are not `Send` (the `Worker`); not the
/// browser's `localStorage` ([`LocalKv`]).
type ThreadLocal = leptos::prelude::LocalStorage;

/// Run `f` soon, in a task of its own, unless a run is already pending:
/// changes in one task coalesce into one run, and the work is not part of
/// the task that made the change.
pub fn defer_once(pending: StoredValue<bool>, f: impl FnOnce() + 'static) {
    if pending.get_value() {
        return;
    }
    pending.set_value(true);
    set_timeout(
        move || {
            pending.set_value(false);
            f();
        },
        std::time::Duration::ZERO,
    );
}

/// Milliseconds since the epoch.
pub fn now_ms() -> u64 {
    js_sys::Date::now().max(0.0) as u64
}

/// `performance.now()`.
pub fn perf_now() -> f64 {
    window().performance().map(|p| p.now()).unwrap_or(0.0)
}

fn set(obj: &js_sys::Object, key: &str, value: &JsValue) {
    let _ = js_sys::Reflect::set(obj, &JsValue::from_str(key), value);
}

fn get_str(obj: &JsValue, key: &str) -> Option<String> {
    js_sys::Reflect::get(obj, &JsValue::from_str(key)).ok().and_then(|v| v.as_string())
}

fn js_error(e: &JsValue) -> String {
    e.as_string()
        .or_else(|| js_sys::Reflect::get(e, &JsValue::from_str("message")).ok().and_then(|m| m.as_string()))
        .unwrap_or_else(|| "unknown error".into())
}

/// Offer `text` as a file download (a `blob:` URL; nothing leaves the browser).
pub fn download(name: &str, mime: &str, text: &str) -> Result<(), String> {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts).map_err(|e| js_error(&e))?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|e| js_error(&e))?;
    let a: web_sys::HtmlAnchorElement =
        document().create_element("a").map_err(|e| js_error(&e))?.unchecked_into();
    a.set_href(&url);
    a.set_download(name);
    a.set_attribute("data-testid", "download-link").ok();
    if let Some(body) = document().body() {
        let _ = body.append_child(&a);
        a.click();
        let _ = body.remove_child(&a);
    }
    // Revoke later: the download has started by then.
    let url2 = url.clone();
    set_timeout(move || { let _ = web_sys::Url::revoke_object_url(&url2); }, std::time::Duration::from_secs(30));
    Ok(())
}

impl WsCtx {
    /// Load stored data, start the worker, listen to other tabs, save on change.
    pub fn install() -> WsCtx {
        // The user's local calendar day (waiver expiry dates are local dates).
        let offset_ms = js_sys::Date::new_0().get_timezone_offset() * 60_000.0;
        let today = ((js_sys::Date::now() - offset_ms) / 86_400_000.0).floor() as i64;
        let ctx = WsCtx {
            ws: RwSignal::new(Workspaces::new()),
            jobs: RwSignal::new(Vec::new()),
            errors: RwSignal::new(Vec::new()),
            notice: RwSignal::new(None),
            backup: RwSignal::new(None),
            saving_blocked: RwSignal::new(false),
            fragment: RwSignal::new(None),
            unsaved_findings: RwSignal::new(HashSet::new()),
            today,
            worker: StoredValue::new_local(None),
            replies: StoredValue::new_local(HashMap::new()),
            parts: StoredValue::new_local(HashMap::new()),
            reevaluations: StoredValue::new(HashMap::new()),
            store: StoredValue::new(BrowserStore::new()),
            save_scheduled: StoredValue::new(false),
            next_id: StoredValue::new(1),
        };
        ctx.load_from_storage();
        ctx.ensure_active();
        ctx.start_worker();

        // Save whenever anything changes (typing included): in a task of its
        // own right after the change (so a large upload's arrival and its
        // saving are not one long task), and at once when the page is hidden
        // or closed.
        Effect::new(move |_| {
            ctx.ws.track();
            if !ctx.saving_blocked.get() {
                defer_once(ctx.save_scheduled, move || ctx.save_now());
            }
        });
        let flush = window_event_listener(leptos::ev::pagehide, move |_| ctx.save_now());
        std::mem::forget(flush);

        // Another tab saved: take its version.
        let handle = window_event_listener(leptos::ev::storage, move |ev: web_sys::StorageEvent| {
            if ev.key().as_deref() != Some(STORAGE_KEY) {
                return;
            }
            let text = ev.new_value().unwrap_or_default();
            let reloaded = ctx.store.try_update_value(|s| s.reload(&mut LocalKv::open(), &text));
            ctx.sync_store_signals();
            match reloaded {
                Some(Ok(Some(w))) => {
                    ctx.ws.set(w);
                    ctx.ensure_active();
                }
                Some(Err(e)) => ctx.error(e),
                _ => {}
            }
        });
        std::mem::forget(handle);
        provide_context(ctx);
        ctx
    }

    /// Write what changed (`workspace::kv::BrowserStore::save`): new
    /// findings, then the workspaces document.
    pub fn save_now(&self) {
        self.save_scheduled.set_value(false);
        let problems = self.ws.with_untracked(|w| self.store.try_update_value(|s| s.save(&mut LocalKv::open(), w))).unwrap_or_default();
        self.sync_store_signals();
        for p in problems {
            self.error(p);
        }
    }

    /// Copy what the store knows into the signals the pages show.
    fn sync_store_signals(&self) {
        let (unsaved, backup, blocked) =
            self.store.with_value(|s| (s.unsaved().clone(), s.backup().map(str::to_string), s.saving_blocked()));
        if self.unsaved_findings.with_untracked(|u| *u != unsaved) {
            self.unsaved_findings.set(unsaved);
        }
        if self.backup.with_untracked(|b| *b != backup) {
            self.backup.set(backup);
        }
        if self.saving_blocked.get_untracked() != blocked {
            self.saving_blocked.set(blocked);
        }
    }

    /// Fetch the context.
    pub fn expect() -> WsCtx {
        expect_context::<WsCtx>()
    }

    /// Show an error in the banner.
    pub fn error(&self, message: String) {
        self.errors.update(|e| {
            if !e.contains(&message) {
                e.push(message);
            }
        });
    }

    fn load_from_storage(&self) {
        let loaded = self.store.try_update_value(|s| s.load(&mut LocalKv::open(), now_ms())).unwrap_or_default();
        self.sync_store_signals();
        if let Some(e) = loaded.error {
            self.error(e);
        }
        if loaded.notice.is_some() {
            self.notice.set(loaded.notice);
        }
        self.ws.set(loaded.workspaces);
    }

    /// The user downloaded or discarded the backup: saving may resume.
    pub fn release_backup(&self) {
        self.store.update_value(BrowserStore::release_backup);
        self.sync_store_signals();
    }

    /// Make sure there is an active assessment.
    pub fn ensure_active(&self) {
        if self.ws.with_untracked(|w| w.active().is_some()) {
            return;
        }
        self.ws.update(|w| {
            if let Some(first) = w.list().first().map(|x| x.id().clone()) {
                let _ = w.set_active(&first);
            } else {
                let _ = w.create("My assessment", now_ms());
            }
        });
    }

    fn start_worker(&self) {
        let ctx = *self;
        // Only when started by boot.js (not, e.g., in a unit-test page).
        if document().query_selector("script[data-wasm]").ok().flatten().is_none() {
            return;
        }
        let worker = match web_sys::Worker::new("worker.js") {
            Ok(w) => w,
            Err(e) => {
                ctx.error(format!("The background worker could not start ({}); files cannot be assessed in this browser.", js_error(&e)));
                return;
            }
        };
        let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
            ctx.on_worker_message(ev.data());
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        on_message.forget();
        let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(move |_ev: web_sys::Event| {
            ctx.jobs.update(|jobs| {
                for j in jobs.iter_mut().filter(|j| j.stage.busy()) {
                    j.stage = Stage::Failed("the background worker stopped (out of memory?); try a smaller file".into());
                }
            });
            let waiting: Vec<Awaiting> = ctx.replies.try_update_value(|r| r.drain().map(|(_, f)| f).collect()).unwrap_or_default();
            for reply in waiting {
                reply(Err("the background worker stopped (out of memory?)".into()));
            }
        });
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        on_error.forget();
        self.worker.set_value(Some(worker));
    }

    /// Post a request: its typed head, and its body beside it (see `protocol`).
    fn post(&self, request: &Request, body: Body) -> Result<(), String> {
        let msg = js_sys::Object::new();
        set(&msg, "head", &JsValue::from_str(&request.to_head()));
        match body {
            Body::Empty => {}
            Body::File(f) => set(&msg, "body", &f),
            Body::Text(t) => set(&msg, "body", &JsValue::from_str(&t)),
            Body::Url(u) => set(&msg, "url", &JsValue::from_str(&u)),
            Body::Hash(f) => {
                set(&msg, "body", &f);
                set(&msg, "hash", &JsValue::TRUE);
            }
            Body::TextAndUrl(t, u) => {
                set(&msg, "body", &JsValue::from_str(&t));
                set(&msg, "url", &JsValue::from_str(u));
            }
        }
        self.worker.with_value(|w| match w {
            Some(w) => w.post_message(&msg).map_err(|e| js_error(&e)),
            None => Err("the background worker is not running".into()),
        })
    }

    fn take_id(&self) -> u32 {
        let id = self.next_id.get_value();
        self.next_id.set_value(id + 1);
        id
    }

    /// Post the request `make(id)` with a new id; `reply` gets the worker's
    /// answer and its body, or why there is none.
    fn request(&self, make: impl FnOnce(u32) -> Request, body: Body, reply: impl FnOnce(Result<(Reply, String), String>) + 'static) {
        let id = self.take_id();
        self.replies.update_value(|r| {
            r.insert(id, Box::new(reply));
        });
        if let Err(e) = self.post(&make(id), body) {
            if let Some(reply) = self.replies.try_update_value(|r| r.remove(&id)).flatten() {
                reply(Err(e));
            }
        }
    }

    /// Have the worker make an export file of the report (the page carries
    /// no CSV, Markdown or OSCAL writer); `done` gets its download name and
    /// text, or why not.
    pub fn export_in_worker(&self, format: ExportFormat, input: ExportInput, done: impl FnOnce(Result<(String, String), String>) + 'static) {
        let (source, text) = match input {
            ExportInput::Workspace(json) => (ExportOf::Workspace, json),
            ExportInput::ShareLink(payload) => (ExportOf::ShareLink, payload),
        };
        let (today, now) = (self.today, now_ms());
        let make = move |id| Request::Export { id, format: format.as_str().to_string(), source, today, now };
        // The interview checklist also needs the guidance text: the app's
        // own guidance file, usually from the cache the page filled.
        let body = if format.needs_guidance() { Body::TextAndUrl(text, crate::catalog::prose::ASSET_NAME) } else { Body::Text(text) };
        self.request(make, body, move |reply| {
            done(reply.and_then(|(r, body)| match r {
                Reply::Exported { name, .. } => Ok((name, body)),
                other => Err(unexpected(&other)),
            }))
        });
    }

    /// Have the worker compress a report (`ShareV1` JSON) into a share link
    /// payload of at most `max_len` characters.
    pub fn share_link_in_worker(&self, json: String, max_len: usize, done: impl FnOnce(Result<MadeLink, String>) + 'static) {
        self.request(move |id| Request::ShareLink { id, max: max_len }, Body::Text(json), move |reply| {
            done(reply.and_then(|(r, _)| match r {
                Reply::Link { link, kept, dropped, .. } => Ok(MadeLink { payload: link, kept, dropped }),
                other => Err(unexpected(&other)),
            }))
        });
    }

    /// Have the worker compute a local evidence file's size and SHA-256,
    /// reading it in chunks (nothing is uploaded or kept); `done` gets them,
    /// or why not.
    pub fn hash_file_in_worker(&self, file: web_sys::File, done: impl FnOnce(Result<(u64, String), String>) + 'static) {
        self.request(|id| Request::HashFile { id }, Body::Hash(file), move |reply| {
            done(reply.and_then(|(r, _)| match r {
                Reply::Hashed { size, sha256, .. } => Ok((size, sha256)),
                other => Err(unexpected(&other)),
            }))
        });
    }

    fn new_job(&self, name: String, size: f64, replaces: Option<String>) -> u32 {
        let id = self.take_id();
        let job = FileJob {
            id,
            name,
            size,
            stage: Stage::Queued,
            format: None,
            resources: 0,
            diagnostics: Vec::new(),
            diagnostics_total: 0,
            started: perf_now(),
            elapsed_ms: None,
            marks: [0.0; 4],
            replaces,
            workspace: self.ws.with_untracked(|w| w.active_id().cloned()),
        };
        self.jobs.update(|j| {
            // A new run of the same file name replaces its old status line.
            j.retain(|x| x.name != job.name || x.stage.busy());
            j.push(job);
        });
        id
    }

    /// Add a file to the active assessment: the worker judges it with the
    /// assessment's other files of this session.
    fn send(&self, id: u32, name: &str, body: Body) {
        let Some((workspace, replaces)) = self.jobs.with_untracked(|jobs| {
            jobs.iter().find(|j| j.id == id).and_then(|j| Some((j.workspace.clone()?, j.replaces.clone())))
        }) else {
            self.update_job(id, |j| j.stage = Stage::Failed("there is no assessment to add the file to".into()));
            return;
        };
        let mappings = self.ws.with_untracked(|w| w.get(&workspace).map(|a| crate::workspace::store_mapping::to_stored(a.mappings())).unwrap_or_default());
        let request = Request::AddFile { id, workspace: workspace.as_str().to_string(), name: name.to_string(), replaces, today: self.today, mappings };
        if let Err(e) = self.post(&request, body) {
            self.update_job(id, |j| j.stage = Stage::Failed(e.clone()));
        }
    }

    /// Assess dropped or picked files.
    pub fn add_files(&self, files: Vec<web_sys::File>, replaces: Option<String>) {
        for f in files {
            let id = self.new_job(f.name(), f.size(), replaces.clone());
            self.send(id, &f.name(), Body::File(f));
        }
    }

    /// Assess pasted text.
    pub fn add_text(&self, name: String, text: String) {
        let id = self.new_job(name.clone(), text.len() as f64, None);
        self.send(id, &name, Body::Text(text));
    }

    /// Assess a bundled sample (served with the app).
    pub fn add_sample(&self, name: &str, url: &str) {
        let id = self.new_job(name.to_string(), 0.0, None);
        self.send(id, name, Body::Url(url.to_string()));
    }

    /// Remove an upload (and its findings); the worker judges the files of
    /// this session that remain together again.
    pub fn remove_upload(&self, name: &str) {
        let Some(workspace) = self.ws.with_untracked(|w| w.active_id().cloned()) else { return };
        self.ws.update(|w| {
            if let Some(a) = w.get_mut(&workspace) {
                a.remove_upload(name, now_ms());
            }
        });
        self.jobs.update(|j| j.retain(|x| x.name != name));
        let id = self.take_id();
        self.reevaluations.update_value(|r| {
            r.insert(id, workspace.clone());
        });
        let request = Request::RemoveFile { id, workspace: workspace.as_str().to_string(), name: name.to_string(), today: self.today };
        if self.post(&request, Body::Empty).is_err() {
            self.reevaluations.update_value(|r| {
                r.remove(&id);
            });
        }
    }

    /// Map an imported check id of the active assessment to `controls` (none:
    /// remove its mapping), then have the worker map the assessment's
    /// imported findings again (and use the mapping for the files it holds):
    /// the uploads whose findings change come back as a joint result, so the
    /// findings move to their controls without the files being dropped again.
    pub fn set_mapping(&self, check: CheckId, controls: Vec<ControlId>) -> Result<(), String> {
        let Some(workspace) = self.ws.with_untracked(|w| w.active_id().cloned()) else { return Err("no assessment is open".into()) };
        let mut outcome = Err(String::new());
        self.ws.update(|w| {
            if let Some(a) = w.get_mut(&workspace) {
                outcome = a.set_mapping(check, controls, now_ms()).map(|()| crate::workspace::export_workspace(a)).map_err(|e| e.to_string());
            }
        });
        let json = outcome?;
        let id = self.take_id();
        self.reevaluations.update_value(|r| {
            r.insert(id, workspace.clone());
        });
        let request = Request::Remap { id, workspace: workspace.as_str().to_string() };
        self.post(&request, Body::Text(json)).inspect_err(|_| {
            self.reevaluations.update_value(|r| {
                r.remove(&id);
            });
        })
    }

    /// Ask the worker for the fragment of `file` (of the active assessment)
    /// behind a finding.
    pub fn request_fragment(&self, file: &str, pointer: &str, line: Option<u32>) {
        self.fragment.set(Some(FragmentState::Loading));
        let workspace = self.ws.with_untracked(|w| w.active_id().map(|i| i.as_str().to_string())).unwrap_or_default();
        let request = Request::Fragment { id: self.take_id(), workspace, name: file.to_string(), pointer: pointer.to_string(), line };
        if self.post(&request, Body::Empty).is_err() {
            self.fragment.set(Some(FragmentState::Missing));
        }
    }

    fn update_job(&self, id: u32, f: impl FnOnce(&mut FileJob)) {
        self.jobs.update(|jobs| {
            if let Some(j) = jobs.iter_mut().find(|j| j.id == id) {
                f(j);
            }
        });
    }

    fn on_worker_message(&self, data: JsValue) {
        let head = get_str(&data, "head").unwrap_or_default();
        let body = get_str(&data, "body");
        let reply = match Reply::from_head(&head) {
            Ok(r) => r,
            Err(e) => {
                self.error(e.to_string());
                return;
            }
        };
        match reply {
            Reply::Ready => {}
            Reply::Progress { id, progress } => {
                let now = perf_now();
                self.update_job(id, |j| {
                    let (stage, mark) = match progress {
                        Progress::Reading { loaded, total } => {
                            j.size = total;
                            (Stage::Reading(loaded, total), None)
                        }
                        Progress::Parsing { total } => {
                            j.size = total;
                            (Stage::Parsing, Some(0))
                        }
                        Progress::Evaluating { resources } => (Stage::Evaluating(resources), Some(1)),
                        Progress::Sending { .. } => (Stage::Rendering, Some(2)),
                    };
                    if let Some(m) = mark {
                        j.marks[m] = now - j.started;
                    }
                    j.stage = stage;
                });
            }
            Reply::Refused { id, message } => self.update_job(id, |j| j.stage = Stage::Refused(message)),
            Reply::Failed { id, message } => match self.replies.try_update_value(|r| r.remove(&id)).flatten() {
                Some(reply) => reply(Err(message)),
                None => {
                    self.reevaluations.update_value(|r| {
                        r.remove(&id);
                    });
                    self.update_job(id, |j| j.stage = Stage::Failed(message))
                }
            },
            r @ (Reply::Exported { .. } | Reply::Link { .. } | Reply::Hashed { .. }) => {
                let id = match &r {
                    Reply::Exported { id, .. } | Reply::Link { id, .. } | Reply::Hashed { id, .. } => *id,
                    _ => 0,
                };
                if let Some(reply) = self.replies.try_update_value(|w| w.remove(&id)).flatten() {
                    reply(Ok((r, body.unwrap_or_default())));
                }
            }
            Reply::Part { id, file, files, k, n } => self.take_part(id, file as usize, files as usize, k as usize, n as usize, body.unwrap_or_default()),
            Reply::Fragment { reply, .. } => {
                let state = match reply {
                    FragmentReply::Text(t, clipped) => FragmentState::Text(t, clipped),
                    FragmentReply::Missing => FragmentState::Missing,
                    FragmentReply::Error(e) => FragmentState::Error(e),
                };
                self.fragment.set(Some(state));
            }
        }
    }

    /// Part `k` of `n` of file `file` of `files` of the joint result of
    /// request `id`; once every file's last part is in, the result is taken.
    fn take_part(&self, id: u32, file: usize, files: usize, k: usize, n: usize, json: String) {
        if file == 0 && k == 0 {
            let now = perf_now();
            self.update_job(id, |j| j.marks[3] = now - j.started);
        }
        let fail = |why: String| {
            self.parts.update_value(|m| {
                m.remove(&id);
            });
            self.reevaluations.update_value(|r| {
                r.remove(&id);
            });
            self.update_job(id, |j| j.stage = Stage::Failed(why));
        };
        let mut part = match transfer::from_json(&json) {
            Ok(p) => p,
            Err(e) => return fail(format!("the worker's result could not be read: {e}")),
        };
        // Findings are appended as parts arrive: nothing left to join at the end.
        let mut ok = file < files;
        let mut complete = false;
        self.parts.update_value(|m| {
            let arriving = m.entry(id).or_default();
            if arriving.files.is_empty() {
                arriving.files.resize_with(files, || None);
            }
            ok = ok && arriving.files.len() == files;
            if !ok {
                return;
            }
            let slot = &mut arriving.files[file];
            if slot.is_none() && k == 0 {
                part.record.findings.reserve(n.saturating_sub(1) * transfer::PART_FINDINGS);
                *slot = Some((part, vec![json], k + 1 >= n));
            } else if let Some((acc, texts, last)) = slot.as_mut().filter(|s| k > 0 && !s.2) {
                ok = transfer::append(acc, part);
                texts.push(json);
                *last = k + 1 >= n;
            } else {
                // A part without its beginning, a second beginning, or one after the last.
                ok = false;
            }
            complete = ok && arriving.files.iter().all(|f| f.as_ref().is_some_and(|f| f.2));
        });
        if !ok {
            return fail("the worker's result was mixed up with another file's".into());
        }
        if complete {
            let outcomes: Vec<(FileOutcome, Vec<String>)> = self
                .parts
                .try_update_value(|m| m.remove(&id))
                .flatten()
                .map(|a| a.files.into_iter().flatten().map(|(o, texts, _)| (o, texts)).collect())
                .unwrap_or_default();
            self.take_result(id, outcomes);
        }
    }

    /// The joint result of request `id`: the added file's record goes into
    /// its assessment (replacing the upload it replaces), and every other
    /// file of the result updates its upload's findings — unless that upload
    /// has been removed or replaced meanwhile.
    fn take_result(&self, id: u32, outcomes: Vec<(FileOutcome, Vec<String>)>) {
        let job = self.jobs.with_untracked(|jobs| jobs.iter().find(|j| j.id == id).map(|j| (j.name.clone(), j.replaces.clone(), j.workspace.clone(), j.started)));
        let reevaluated = self.reevaluations.try_update_value(|r| r.remove(&id)).flatten();
        let Some(ws_id) = job.as_ref().and_then(|j| j.2.clone()).or(reevaluated) else { return };
        let added = job.as_ref().map(|j| j.0.clone());
        let replaces = job.as_ref().and_then(|j| j.1.clone());
        let mut problem = None;
        let mut summary = None;
        self.ws.update(|w| {
            let now = now_ms();
            let Some(a) = w.get_mut(&ws_id) else { return };
            for (outcome, texts) in outcomes {
                let record = outcome.record;
                let is_added = added.as_deref() == Some(record.name.as_str());
                if is_added {
                    if let Some(old) = replaces.as_deref().filter(|o| *o != record.name) {
                        a.remove_upload(old, now);
                    }
                    summary = Some((record.format, record.resources, record.diagnostics, record.diagnostic_lines.clone()));
                } else if !a.uploads().iter().any(|u| u.name == record.name && u.sha256 == record.sha256) {
                    continue;
                }
                let (sha, name) = (record.sha256.clone(), record.name.clone());
                match a.upsert_upload(record, now) {
                    Ok(()) => self.store.update_value(|s| s.findings_arrived(&ws_id, &sha, &name, texts)),
                    Err(e) if is_added => problem = Some(e.to_string()),
                    Err(_) => {}
                }
            }
        });
        let Some((_, _, _, started)) = job else { return };
        let (format, resources, diagnostics_total, diagnostics) = summary.unwrap_or_default();
        self.update_job(id, move |j| {
            j.format = format;
            j.resources = resources;
            j.diagnostics = diagnostics;
            j.diagnostics_total = diagnostics_total;
            j.stage = match problem {
                Some(p) => Stage::Failed(p),
                None if format.is_none() => Stage::Failed("the worker's result did not include the file".into()),
                None => Stage::Done,
            };
        });
        // Record drop-to-rendered time once the DOM has been updated.
        let ctx = *self;
        request_animation_frame(move || {
            let elapsed = perf_now() - started;
            ctx.update_job(id, |j| j.elapsed_ms = Some(elapsed));
        });
    }
}

/// The words for a reply that does not answer the request it came for.
fn unexpected(reply: &Reply) -> String {
    format!("the background worker answered with something else ({})", reply.to_head().chars().take(60).collect::<String>())
}
