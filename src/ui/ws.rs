//! The assessment workspace on the page: the [`Workspaces`] signal, its
//! persistence in `localStorage` (gloo-storage), other tabs' changes
//! (storage events), and the Web Worker that assesses dropped files and
//! makes the report's export files and share links.
//!
//! **Invariant:** this module only moves data: files go to the worker as
//! `File` objects, results come back as `workspace::transfer` JSON and are
//! validated by the engine; stored text is read by `workspace::load`, which
//! never fails. Nothing the user entered is lost: unreadable stored data is
//! set aside (a backup key and a download) before anything is written.

use crate::report::workspace_report::fixed;
use crate::ingest::Format;
use crate::report::ExportFormat;
use crate::workspace::transfer::{self, DiagnosticLine, FragmentReply};
use crate::workspace::{self, LoadOutcome, Workspaces};
use gloo_storage::{LocalStorage, Storage};
use std::collections::{HashMap, HashSet};
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The localStorage key of the workspaces document.
pub const STORAGE_KEY: &str = "iso27017-assessor.workspaces";
/// Prefix of backup copies of stored data this build could not use.
pub const BACKUP_PREFIX: &str = "iso27017-assessor.backup.";
/// Prefix of the keys holding each upload's findings. The workspaces
/// document (saved on every change) leaves findings out; each upload's
/// findings are written once, as the worker's `transfer` parts:
/// `<prefix><workspace id>/<sha256>/<file name>` holds the number of parts,
/// `…#<k>` part `k`.
pub const FINDINGS_PREFIX: &str = "iso27017-assessor.findings.";

fn findings_key(ws: &str, sha256: &str, name: &str) -> String {
    format!("{FINDINGS_PREFIX}{ws}/{sha256}/{name}")
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

/// A reply awaited from the worker for a user action, by message id.
type Reply = Box<dyn FnOnce(Result<JsValue, String>)>;

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
    replies: StoredValue<HashMap<u32, Reply>, ThreadLocal>,
    parts: StoredValue<HashMap<u32, (transfer::FileOutcome, Vec<String>)>>,
    pending: StoredValue<HashMap<String, Vec<String>>>,
    stored_keys: StoredValue<HashSet<String>>,
    save_scheduled: StoredValue<bool>,
    next_id: StoredValue<u32>,
    last_saved: StoredValue<String>,
}

/// Leptos's storage for values that are not `Send` (the `Worker`); named apart
/// from gloo's `LocalStorage`, the browser's.
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

fn get_f64(obj: &JsValue, key: &str) -> Option<f64> {
    js_sys::Reflect::get(obj, &JsValue::from_str(key)).ok().and_then(|v| v.as_f64())
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
            parts: StoredValue::new(HashMap::new()),
            pending: StoredValue::new(HashMap::new()),
            stored_keys: StoredValue::new(HashSet::new()),
            save_scheduled: StoredValue::new(false),
            next_id: StoredValue::new(1),
            last_saved: StoredValue::new(String::new()),
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
            match workspace::load(&text) {
                LoadOutcome::Loaded(mut w) | LoadOutcome::Migrated(mut w, _) => {
                    ctx.last_saved.set_value(workspace::save(&w));
                    ctx.restore_all_findings(&mut w);
                    ctx.ws.set(w);
                    ctx.ensure_active();
                }
                LoadOutcome::Empty => {}
                LoadOutcome::NewerVersion { .. } | LoadOutcome::Corrupt { .. } => {
                    ctx.error("Another tab saved assessment data this tab cannot read; this tab keeps its own copy. Reload to see what happened.".into());
                }
            }
        });
        std::mem::forget(handle);
        provide_context(ctx);
        ctx
    }

    /// Write what changed: each new upload's findings, then the workspaces
    /// document (unless it equals what was last saved).
    pub fn save_now(&self) {
        self.save_scheduled.set_value(false);
        if self.saving_blocked.get_untracked() {
            return;
        }
        let text = self.ws.with_untracked(|w| workspace::save(&w.without_findings()));
        if text.is_empty() {
            return;
        }
        self.sync_findings();
        if self.last_saved.with_value(|s| *s == text) {
            return;
        }
        match LocalStorage::raw().set_item(STORAGE_KEY, &text) {
            Ok(()) => {
                self.last_saved.set_value(text);
            }
            Err(e) => {
                self.error(format!(
                    "Could not save in this browser ({}): the assessment needs {} MB of storage. What was saved before is unchanged. \
                     Export the workspace to a file, or remove large uploads, to keep working safely.",
                    js_error(&e),
                    fixed(text.len() as f64 / 1e6, 1)
                ));
            }
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
        let raw = match LocalStorage::raw().get_item(STORAGE_KEY) {
            Ok(v) => v.unwrap_or_default(),
            Err(e) => {
                self.error(format!(
                    "This browser does not let the app use local storage ({}); nothing you enter will be kept after this tab closes. Export the workspace to keep it.",
                    js_error(&e)
                ));
                String::new()
            }
        };
        match workspace::load(&raw) {
            LoadOutcome::Empty => {}
            LoadOutcome::Loaded(mut w) => {
                self.last_saved.set_value(raw);
                self.restore_all_findings(&mut w);
                self.ws.set(w);
            }
            LoadOutcome::Migrated(mut w, from) => {
                self.restore_all_findings(&mut w);
                let key = format!("{BACKUP_PREFIX}{}", now_ms());
                let _ = LocalStorage::raw().set_item(&key, &raw);
                self.notice.set(Some(format!(
                    "Your saved assessments were upgraded from storage version {from} to the current version; the original is kept under {key}."
                )));
                self.ws.set(w);
            }
            LoadOutcome::NewerVersion { raw, version } => self.set_aside(
                raw,
                format!("The saved assessments were written by a newer version of this app (storage version {version})."),
            ),
            LoadOutcome::Corrupt { raw, error } => {
                self.set_aside(raw, format!("The saved assessments could not be read: {error}."))
            }
        }
    }

    /// Read each upload's findings from its keys (see [`FINDINGS_PREFIX`]).
    /// A document of the previous layout (findings inside) keeps them.
    fn restore_all_findings(&self, w: &mut Workspaces) {
        let storage = LocalStorage::raw();
        let mut wanted = Vec::new();
        for ws in w.list().iter().chain(w.trash()) {
            for u in ws.uploads() {
                if u.findings.is_empty() {
                    wanted.push((ws.id().clone(), u.name.clone(), u.sha256.clone()));
                }
            }
        }
        let mut missing = HashSet::new();
        for (id, name, sha) in wanted {
            let key = findings_key(id.as_str(), &sha, &name);
            let n: usize = storage.get_item(&key).ok().flatten().and_then(|v| v.parse().ok()).unwrap_or(0);
            let mut parts = Vec::with_capacity(n);
            for k in 0..n {
                match storage.get_item(&format!("{key}#{k}")).ok().flatten().map(|t| transfer::from_json(&t)) {
                    Some(Ok(p)) => parts.push(p),
                    _ => break,
                }
            }
            let joined = if n > 0 && parts.len() == n { transfer::join(parts) } else { None };
            match joined {
                Some(o) => {
                    if w.restore_findings(&id, &name, &sha, o.record.findings).is_ok() {
                        self.stored_keys.update_value(|s| {
                            s.insert(key);
                        });
                    }
                }
                None => {
                    missing.insert(key);
                }
            }
        }
        self.unsaved_findings.set(missing);
    }

    /// Write the findings of every upload that has none stored yet, and
    /// remove the keys of uploads that are gone.
    fn sync_findings(&self) {
        let storage = LocalStorage::raw();
        let mut wanted: Vec<(String, Option<Vec<String>>)> = Vec::new();
        let mut keep = HashSet::new();
        let known = self.stored_keys.get_value();
        let unsaved = self.unsaved_findings.get_untracked();
        self.ws.with_untracked(|w| {
            for ws in w.list().iter().chain(w.trash()) {
                for u in ws.uploads() {
                    let key = findings_key(ws.id().as_str(), &u.sha256, &u.name);
                    keep.insert(key.clone());
                    if known.contains(&key) || unsaved.contains(&key) {
                        continue;
                    }
                    let pending = self.pending.try_update_value(|p| p.remove(&key)).flatten();
                    let parts = pending.or_else(|| Some(transfer::record_parts(u, None)));
                    wanted.push((key, parts));
                }
            }
        });
        for (key, parts) in wanted {
            let Some(parts) = parts else { continue };
            let mut ok = true;
            for (k, part) in parts.iter().enumerate() {
                if storage.set_item(&format!("{key}#{k}"), part).is_err() {
                    ok = false;
                    break;
                }
            }
            ok = ok && storage.set_item(&key, &parts.len().to_string()).is_ok();
            if ok {
                self.stored_keys.update_value(|s| {
                    s.insert(key);
                });
            } else {
                for k in 0..parts.len() {
                    let _ = storage.remove_item(&format!("{key}#{k}"));
                }
                let mb = fixed(parts.iter().map(String::len).sum::<usize>() as f64 / 1e6, 1);
                let name = key.rsplit('/').next().unwrap_or("").to_string();
                self.unsaved_findings.update(|s| {
                    s.insert(key);
                });
                self.error(format!(
                    "The findings of {name} ({mb} MB) do not fit in this browser's storage: they are kept for this session only. \
                     Your answers are saved. Export the workspace to a file to keep the findings, or drop the file again after a reload."
                ));
            }
        }
        // Keys of uploads or assessments that are gone.
        let len = storage.length().unwrap_or(0);
        let mut stale = Vec::new();
        for i in 0..len {
            if let Ok(Some(k)) = storage.key(i) {
                if let Some(base) = k.strip_prefix(FINDINGS_PREFIX).map(|_| k.split('#').next().unwrap_or(&k).to_string()) {
                    if !keep.contains(&base) {
                        stale.push(k);
                    }
                }
            }
        }
        for k in stale {
            let _ = storage.remove_item(&k);
        }
        self.stored_keys.update_value(|s| s.retain(|k| keep.contains(k)));
    }

    fn set_aside(&self, raw: String, why: String) {
        let key = format!("{BACKUP_PREFIX}{}", now_ms());
        let kept = LocalStorage::raw().set_item(&key, &raw).is_ok();
        let what = if kept {
            format!("They were set aside unchanged (browser storage key {key}) and you are starting with an empty workspace. Download the backup to keep it.")
        } else {
            self.saving_blocked.set(true);
            "They could not be copied aside (storage is full), so nothing will be saved until you download the backup or discard it.".to_string()
        };
        self.error(format!("{why} {what}"));
        self.backup.set(Some(raw));
    }

    /// The user downloaded or discarded the backup: saving may resume.
    pub fn release_backup(&self) {
        self.backup.set(None);
        self.saving_blocked.set(false);
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
            let waiting: Vec<Reply> = ctx.replies.try_update_value(|r| r.drain().map(|(_, f)| f).collect()).unwrap_or_default();
            for reply in waiting {
                reply(Err("the background worker stopped (out of memory?)".into()));
            }
        });
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        on_error.forget();
        self.worker.set_value(Some(worker));
    }

    fn post(&self, msg: &js_sys::Object) -> Result<(), String> {
        self.worker.with_value(|w| match w {
            Some(w) => w.post_message(msg).map_err(|e| js_error(&e)),
            None => Err("the background worker is not running".into()),
        })
    }

    fn take_id(&self) -> u32 {
        let id = self.next_id.get_value();
        self.next_id.set_value(id + 1);
        id
    }

    /// Post `msg` with a new id; `reply` gets the worker's answer, or why
    /// there is none.
    fn request(&self, msg: js_sys::Object, reply: impl FnOnce(Result<JsValue, String>) + 'static) {
        let id = self.take_id();
        set(&msg, "id", &JsValue::from_f64(id as f64));
        self.replies.update_value(|r| {
            r.insert(id, Box::new(reply));
        });
        if let Err(e) = self.post(&msg) {
            if let Some(reply) = self.replies.try_update_value(|r| r.remove(&id)).flatten() {
                reply(Err(e));
            }
        }
    }

    /// Have the worker make an export file of the report (the page carries
    /// no CSV, Markdown or OSCAL writer); `done` gets its download name and
    /// text, or why not.
    pub fn export_in_worker(&self, format: ExportFormat, input: ExportInput, done: impl FnOnce(Result<(String, String), String>) + 'static) {
        let msg = js_sys::Object::new();
        set(&msg, "type", &"export".into());
        set(&msg, "format", &format.as_str().into());
        set(&msg, "today", &JsValue::from_f64(self.today as f64));
        set(&msg, "now", &JsValue::from_f64(now_ms() as f64));
        match input {
            ExportInput::Workspace(json) => set(&msg, "workspace", &json.into()),
            ExportInput::ShareLink(payload) => set(&msg, "share", &payload.into()),
        }
        self.request(msg, move |reply| {
            done(reply.map(|d| (get_str(&d, "name").unwrap_or_default(), get_str(&d, "text").unwrap_or_default())))
        });
    }

    /// Have the worker compress a report (`ShareV1` JSON) into a share link
    /// payload of at most `max_len` characters.
    pub fn share_link_in_worker(&self, json: String, max_len: usize, done: impl FnOnce(Result<MadeLink, String>) + 'static) {
        let msg = js_sys::Object::new();
        set(&msg, "type", &"share-link".into());
        set(&msg, "json", &json.into());
        set(&msg, "max", &JsValue::from_f64(max_len as f64));
        self.request(msg, move |reply| {
            done(reply.map(|d| MadeLink {
                payload: get_str(&d, "link").unwrap_or_default(),
                kept: get_f64(&d, "kept").unwrap_or(0.0) as usize,
                dropped: get_f64(&d, "dropped").unwrap_or(0.0) as usize,
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
        };
        self.jobs.update(|j| {
            // A new run of the same file name replaces its old status line.
            j.retain(|x| x.name != job.name || x.stage.busy());
            j.push(job);
        });
        id
    }

    fn send(&self, id: u32, name: &str, key: &str, payload: &JsValue) {
        let msg = js_sys::Object::new();
        set(&msg, "type", &"assess".into());
        set(&msg, "id", &JsValue::from_f64(id as f64));
        set(&msg, "name", &name.into());
        set(&msg, "today", &JsValue::from_f64(self.today as f64));
        set(&msg, key, payload);
        if let Err(e) = self.post(&msg) {
            self.update_job(id, |j| j.stage = Stage::Failed(e.clone()));
        }
    }

    /// Assess dropped or picked files.
    pub fn add_files(&self, files: Vec<web_sys::File>, replaces: Option<String>) {
        for f in files {
            let id = self.new_job(f.name(), f.size(), replaces.clone());
            self.send(id, &f.name(), "file", &f);
        }
    }

    /// Assess pasted text.
    pub fn add_text(&self, name: String, text: String) {
        let id = self.new_job(name.clone(), text.len() as f64, None);
        self.send(id, &name, "text", &JsValue::from_str(&text));
    }

    /// Assess a bundled sample (served with the app).
    pub fn add_sample(&self, name: &str, url: &str) {
        let id = self.new_job(name.to_string(), 0.0, None);
        self.send(id, name, "url", &JsValue::from_str(url));
    }

    /// Remove an upload (and its findings).
    pub fn remove_upload(&self, name: &str) {
        self.ws.update(|w| {
            if let Some(a) = w.active_mut() {
                a.remove_upload(name, now_ms());
            }
        });
        self.jobs.update(|j| j.retain(|x| x.name != name));
        let msg = js_sys::Object::new();
        set(&msg, "type", &"forget".into());
        set(&msg, "name", &name.into());
        let _ = self.post(&msg);
    }

    /// Ask the worker for the fragment of `file` behind a finding.
    pub fn request_fragment(&self, file: &str, pointer: &str, line: Option<u32>) {
        self.fragment.set(Some(FragmentState::Loading));
        let msg = js_sys::Object::new();
        set(&msg, "type", &"fragment".into());
        set(&msg, "id", &JsValue::from_f64(0.0));
        set(&msg, "name", &file.into());
        set(&msg, "pointer", &pointer.into());
        set(&msg, "line", &line.map(|l| JsValue::from_f64(l as f64)).unwrap_or(JsValue::NULL));
        if self.post(&msg).is_err() {
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
        let id = get_f64(&data, "id").unwrap_or(0.0) as u32;
        match get_str(&data, "type").as_deref() {
            Some("progress") => {
                let stage = match get_str(&data, "stage").as_deref() {
                    Some("reading") => Stage::Reading(get_f64(&data, "loaded").unwrap_or(0.0), get_f64(&data, "total").unwrap_or(0.0)),
                    Some("parsing") => Stage::Parsing,
                    Some("evaluating") => Stage::Evaluating(get_f64(&data, "count").unwrap_or(0.0) as usize),
                    _ => Stage::Rendering,
                };
                let size = get_f64(&data, "total");
                let now = perf_now();
                self.update_job(id, |j| {
                    let mark = match stage {
                        Stage::Parsing => Some(0),
                        Stage::Evaluating(_) => Some(1),
                        Stage::Rendering => Some(2),
                        _ => None,
                    };
                    if let Some(m) = mark {
                        j.marks[m] = now - j.started;
                    }
                    j.stage = stage;
                    if let Some(s) = size {
                        j.size = s;
                    }
                });
            }
            Some("refused") => {
                let message = get_str(&data, "message").unwrap_or_default();
                self.update_job(id, |j| j.stage = Stage::Refused(message));
            }
            Some("failed") => {
                let message = get_str(&data, "message").unwrap_or_default();
                match self.replies.try_update_value(|r| r.remove(&id)).flatten() {
                    Some(reply) => reply(Err(message)),
                    None => self.update_job(id, |j| j.stage = Stage::Failed(message)),
                }
            }
            Some("export" | "share-link") => {
                if let Some(reply) = self.replies.try_update_value(|r| r.remove(&id)).flatten() {
                    reply(Ok(data));
                }
            }
            Some("part") => {
                if get_f64(&data, "k") == Some(0.0) {
                    let now = perf_now();
                    self.update_job(id, |j| j.marks[3] = now - j.started);
                }
                let json = get_str(&data, "json").unwrap_or_default();
                let k = get_f64(&data, "k").unwrap_or(0.0) as usize;
                let n = get_f64(&data, "n").unwrap_or(1.0) as usize;
                match transfer::from_json(&json) {
                    Ok(mut part) => {
                        // Findings are appended as parts arrive: nothing left to join at the end.
                        let mut ok = true;
                        self.parts.update_value(|m| match m.get_mut(&id) {
                            Some((acc, texts)) if k > 0 => {
                                ok = transfer::append(acc, part);
                                texts.push(json);
                            }
                            None if k == 0 => {
                                part.record.findings.reserve(n.saturating_sub(1) * transfer::PART_FINDINGS);
                                m.insert(id, (part, vec![json]));
                            }
                            // A part without its beginning, or a second beginning.
                            _ => ok = false,
                        });
                        if !ok {
                            self.parts.update_value(|m| {
                                m.remove(&id);
                            });
                            self.update_job(id, |j| j.stage = Stage::Failed("the worker's result was mixed up with another file's".into()));
                        } else if k + 1 >= n {
                            match self.parts.try_update_value(|m| m.remove(&id)).flatten() {
                                Some((outcome, texts)) => self.take_result(id, outcome, texts),
                                None => self.update_job(id, |j| j.stage = Stage::Failed("the worker's result was incomplete".into())),
                            }
                        }
                    }
                    Err(e) => {
                        self.parts.update_value(|m| {
                            m.remove(&id);
                        });
                        self.update_job(id, |j| j.stage = Stage::Failed(format!("the worker's result could not be read: {e}")));
                    }
                }
            }
            Some("fragment") => {
                let json = get_str(&data, "json").unwrap_or_default();
                let state = match transfer::fragment_reply(&json) {
                    FragmentReply::Text(t, clipped) => FragmentState::Text(t, clipped),
                    FragmentReply::Missing => FragmentState::Missing,
                    FragmentReply::Error(e) => FragmentState::Error(e),
                };
                self.fragment.set(Some(state));
            }
            _ => {}
        }
    }

    fn take_result(&self, id: u32, outcome: transfer::FileOutcome, texts: Vec<String>) {
        let replaces = self.jobs.with_untracked(|jobs| jobs.iter().find(|j| j.id == id).and_then(|j| j.replaces.clone()));
        if let Some(reason) = &outcome.refused {
            let reason = reason.clone();
            self.update_job(id, |j| j.stage = Stage::Refused(reason));
            return;
        }
        let format = outcome.record.format;
        let resources = outcome.record.resources;
        let diagnostics_total = outcome.record.diagnostics;
        let diagnostics = outcome.record.diagnostic_lines.clone();
        let name = outcome.record.name.clone();
        let sha = outcome.record.sha256.clone();
        let mut problem = None;
        if let Some(ws_id) = self.ws.with_untracked(|w| w.active_id().cloned()) {
            let key = findings_key(ws_id.as_str(), &sha, &name);
            self.pending.update_value(|p| {
                p.insert(key.clone(), texts);
            });
            self.unsaved_findings.update(|s| {
                s.remove(&key);
            });
        }
        self.ws.update(|w| {
            let now = now_ms();
            if let Some(a) = w.active_mut() {
                if let Some(old) = replaces.as_deref().filter(|o| *o != name) {
                    a.remove_upload(old, now);
                }
                if let Err(e) = a.upsert_upload(outcome.record, now) {
                    problem = Some(e.to_string());
                }
            }
        });
        let started = self.jobs.with_untracked(|jobs| jobs.iter().find(|j| j.id == id).map(|j| j.started)).unwrap_or(0.0);
        self.update_job(id, move |j| {
            j.format = format;
            j.resources = resources;
            j.diagnostics = diagnostics;
            j.diagnostics_total = diagnostics_total;
            j.stage = match problem {
                Some(p) => Stage::Failed(p),
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
