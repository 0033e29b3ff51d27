//! How the browser keeps the workspaces: the storage layout (keys, findings
//! in parts, backups of data this build cannot use) over a small key-value
//! store ([`Kv`]). The page gives it the browser's `localStorage`
//! (`ui::ws`); tests give it [`MemoryKv`], which can be made to run out of
//! room.
//!
//! Layout:
//! - [`STORAGE_KEY`] — the workspaces document ([`super::save`] of
//!   [`Workspaces::without_findings`]), written on every change that alters it;
//! - [`FINDINGS_PREFIX`]`<workspace id>/<sha256>/<file name>` — how many
//!   parts the upload's findings have, and `…#<k>` part `k` (a
//!   `workspace::transfer` part, as the worker made it). Written when the
//!   upload's findings are new (an upload added, or judged again with the
//!   assessment's other files), read back on load
//!   ([`Workspaces::restore_findings`]), removed with the upload;
//! - [`BACKUP_PREFIX`]`<ms>` — stored text this build could not use (corrupt,
//!   from a newer version) or migrated from an older version, set aside
//!   unchanged before anything is written over it.
//!
//! **Invariant:** nothing the user entered is lost. Unreadable stored data is
//! copied aside before the document is written again; when it cannot be
//! copied (storage full) nothing is written until the user has downloaded
//! or discarded it ([`BrowserStore::release_backup`]). A write that does not
//! fit leaves what was stored before as it was, and says so.
//!
//! The trait is synchronous, like `localStorage`. An asynchronous store
//! (IndexedDB, for findings beyond `localStorage`'s few megabytes) fits
//! behind it as a write-behind mirror: read every key into a [`MemoryKv`]
//! before [`BrowserStore::load`], and send each `set`/`remove` to the
//! database in the background (ARCHITECTURE.md, "Browser storage").

use super::model::{WorkspaceId, Workspaces};
use super::store::{load, save, LoadOutcome};
use super::transfer;
use std::collections::{BTreeMap, HashMap, HashSet};

/// The key of the workspaces document.
pub const STORAGE_KEY: &str = "iso27017-assessor.workspaces";
/// Prefix of backup copies of stored data.
pub const BACKUP_PREFIX: &str = "iso27017-assessor.backup.";
/// Prefix of the keys holding each upload's findings (see the module docs).
pub const FINDINGS_PREFIX: &str = "iso27017-assessor.findings.";

/// The key of the findings of upload `name` (digest `sha256`) of workspace `ws`.
pub fn findings_key(ws: &str, sha256: &str, name: &str) -> String {
    format!("{FINDINGS_PREFIX}{ws}/{sha256}/{name}")
}

/// Why a store did not do what it was asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KvError {
    /// No room left (the browser's quota).
    #[error("the browser's storage is full: {0}")]
    Full(String),
    /// The store cannot be used at all (e.g. storage disabled).
    #[error("the browser's storage cannot be used: {0}")]
    Unavailable(String),
}

/// A store of text under text keys, like `localStorage`.
pub trait Kv {
    /// The value of `key`, if any.
    fn get(&self, key: &str) -> Result<Option<String>, KvError>;
    /// Set `key` to `value`; on error the store is as it was.
    fn set(&mut self, key: &str, value: &str) -> Result<(), KvError>;
    /// Remove `key` (nothing if absent).
    fn remove(&mut self, key: &str);
    /// Every key.
    fn keys(&self) -> Vec<String>;
}

/// A [`Kv`] in memory, with an optional quota (bytes of keys and values, as
/// a browser counts them); for tests and as the mirror of an asynchronous store.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MemoryKv {
    map: BTreeMap<String, String>,
    quota: Option<usize>,
}

impl MemoryKv {
    /// An empty store without a quota.
    pub fn new() -> MemoryKv {
        MemoryKv::default()
    }
    /// An empty store that holds at most `bytes`.
    pub fn with_quota(bytes: usize) -> MemoryKv {
        MemoryKv { map: BTreeMap::new(), quota: Some(bytes) }
    }
    /// Change the quota (`None`: no limit).
    pub fn set_quota(&mut self, bytes: Option<usize>) {
        self.quota = bytes;
    }
    /// Bytes used.
    pub fn used(&self) -> usize {
        self.map.iter().map(|(k, v)| k.len() + v.len()).sum()
    }
}

impl Kv for MemoryKv {
    fn get(&self, key: &str) -> Result<Option<String>, KvError> {
        Ok(self.map.get(key).cloned())
    }
    fn set(&mut self, key: &str, value: &str) -> Result<(), KvError> {
        if let Some(quota) = self.quota {
            let old = self.map.get(key).map_or(0, |v| key.len() + v.len());
            if self.used() - old + key.len() + value.len() > quota {
                return Err(KvError::Full(format!("QuotaExceededError: {quota} bytes")));
            }
        }
        self.map.insert(key.to_string(), value.to_string());
        Ok(())
    }
    fn remove(&mut self, key: &str) {
        self.map.remove(key);
    }
    fn keys(&self) -> Vec<String> {
        self.map.keys().cloned().collect()
    }
}

/// `n` bytes in megabytes with one decimal, for messages.
fn megabytes(n: usize) -> String {
    crate::report::workspace_report::fixed(n as f64 / 1e6, 1)
}

/// What loading found, for the page to show.
#[derive(Debug, Default, PartialEq)]
pub struct Loaded {
    /// The workspaces (empty when nothing usable was stored).
    pub workspaces: Workspaces,
    /// Information (data migrated).
    pub notice: Option<String>,
    /// A problem to show.
    pub error: Option<String>,
}

/// The layout's state between calls: which uploads' findings are stored,
/// which could not be, which are waiting to be written, what was last
/// saved, and a backup not yet downloaded.
#[derive(Debug, Default)]
pub struct BrowserStore {
    stored: HashSet<String>,
    unsaved: HashSet<String>,
    pending: HashMap<String, Vec<String>>,
    last_saved: String,
    backup: Option<String>,
    blocked: bool,
}

impl BrowserStore {
    /// A store that has read nothing yet.
    pub fn new() -> BrowserStore {
        BrowserStore::default()
    }

    /// Findings keys of uploads whose findings are not in storage (they did
    /// not fit, or were not found on load): kept for this session only.
    pub fn unsaved(&self) -> &HashSet<String> {
        &self.unsaved
    }

    /// Stored data this build could not use, kept for download.
    pub fn backup(&self) -> Option<&str> {
        self.backup.as_deref()
    }

    /// True while unreadable data could not be set aside: nothing is
    /// written until [`BrowserStore::release_backup`].
    pub fn saving_blocked(&self) -> bool {
        self.blocked
    }

    /// The user downloaded or discarded the backup: saving may resume.
    pub fn release_backup(&mut self) {
        self.backup = None;
        self.blocked = false;
    }

    /// Read the workspaces and each upload's findings. `now` (ms) names a
    /// backup key. Never fails: problems are in [`Loaded::error`].
    pub fn load(&mut self, kv: &mut dyn Kv, now: u64) -> Loaded {
        let mut out = Loaded::default();
        let raw = match kv.get(STORAGE_KEY) {
            Ok(v) => v.unwrap_or_default(),
            Err(e) => {
                out.error = Some(format!(
                    "This browser does not let the app use local storage ({e}); nothing you enter will be kept after this tab closes. Export the workspace to keep it."
                ));
                return out;
            }
        };
        match load(&raw) {
            LoadOutcome::Empty => {}
            LoadOutcome::Loaded(mut w) => {
                self.last_saved = raw;
                self.restore_findings(kv, &mut w);
                out.workspaces = w;
            }
            LoadOutcome::Migrated(mut w, from) => {
                self.restore_findings(kv, &mut w);
                let key = format!("{BACKUP_PREFIX}{now}");
                let _ = kv.set(&key, &raw);
                out.notice = Some(format!(
                    "Your saved assessments were upgraded from storage version {from} to the current version; the original is kept under {key}."
                ));
                out.workspaces = w;
            }
            LoadOutcome::NewerVersion { raw, version } => {
                let why = format!("The saved assessments were written by a newer version of this app (storage version {version}).");
                out.error = Some(self.set_aside(kv, raw, why, now));
            }
            LoadOutcome::Corrupt { raw, error } => {
                out.error = Some(self.set_aside(kv, raw, format!("The saved assessments could not be read: {error}."), now));
            }
        }
        out
    }

    /// Another tab saved `text` under [`STORAGE_KEY`]: the workspaces it
    /// holds (findings read from their keys), or why this tab keeps its own.
    pub fn reload(&mut self, kv: &mut dyn Kv, text: &str) -> Result<Option<Workspaces>, String> {
        match load(text) {
            LoadOutcome::Loaded(mut w) | LoadOutcome::Migrated(mut w, _) => {
                self.last_saved = save(&w);
                self.restore_findings(kv, &mut w);
                Ok(Some(w))
            }
            LoadOutcome::Empty => Ok(None),
            LoadOutcome::NewerVersion { .. } | LoadOutcome::Corrupt { .. } => Err(
                "Another tab saved assessment data this tab cannot read; this tab keeps its own copy. Reload to see what happened.".into(),
            ),
        }
    }

    fn set_aside(&mut self, kv: &mut dyn Kv, raw: String, why: String, now: u64) -> String {
        let key = format!("{BACKUP_PREFIX}{now}");
        let what = if kv.set(&key, &raw).is_ok() {
            format!("They were set aside unchanged (browser storage key {key}) and you are starting with an empty workspace. Download the backup to keep it.")
        } else {
            self.blocked = true;
            "They could not be copied aside (storage is full), so nothing will be saved until you download the backup or discard it.".to_string()
        };
        self.backup = Some(raw);
        format!("{why} {what}")
    }

    /// Read each upload's findings from its keys. A document of the layout
    /// before findings had keys of their own keeps the findings it holds.
    fn restore_findings(&mut self, kv: &dyn Kv, w: &mut Workspaces) {
        let mut wanted = Vec::new();
        for ws in w.list().iter().chain(w.trash()) {
            for u in ws.uploads() {
                if u.findings.is_empty() {
                    wanted.push((ws.id().clone(), u.name.clone(), u.sha256.clone()));
                }
            }
        }
        self.unsaved.clear();
        for (id, name, sha) in wanted {
            let key = findings_key(id.as_str(), &sha, &name);
            match read_findings(kv, &key) {
                Some(o) => {
                    if w.restore_findings(&id, &name, &sha, o.record.findings).is_ok() {
                        self.stored.insert(key);
                    }
                }
                None => {
                    self.unsaved.insert(key);
                }
            }
        }
    }

    /// New findings of upload `name` of workspace `ws`, as the worker's
    /// parts: written at the next [`BrowserStore::save`], over any stored.
    pub fn findings_arrived(&mut self, ws: &WorkspaceId, sha256: &str, name: &str, parts: Vec<String>) {
        let key = findings_key(ws.as_str(), sha256, name);
        self.unsaved.remove(&key);
        self.pending.insert(key, parts);
    }

    /// Write what changed: new findings, then the workspaces document
    /// (unless it equals what was last saved); remove the findings of
    /// uploads that are gone. Returns the problems to show (each says what
    /// was kept); nothing stored before is lost.
    pub fn save(&mut self, kv: &mut dyn Kv, w: &Workspaces) -> Vec<String> {
        let mut problems = Vec::new();
        if self.blocked {
            return problems;
        }
        let text = save(&w.without_findings());
        if text.is_empty() {
            return problems;
        }
        self.sync_findings(kv, w, &mut problems);
        if self.last_saved != text {
            match kv.set(STORAGE_KEY, &text) {
                Ok(()) => self.last_saved = text,
                Err(e) => problems.push(format!(
                    "Could not save in this browser ({e}): the assessment needs {} MB of storage. What was saved before is unchanged. \
                     Export the workspace to a file, or remove large uploads, to keep working safely.",
                    megabytes(text.len())
                )),
            }
        }
        problems
    }

    fn sync_findings(&mut self, kv: &mut dyn Kv, w: &Workspaces, problems: &mut Vec<String>) {
        let mut keep = HashSet::new();
        let mut wanted: Vec<(String, Vec<String>)> = Vec::new();
        for ws in w.list().iter().chain(w.trash()) {
            for u in ws.uploads() {
                let key = findings_key(ws.id().as_str(), &u.sha256, &u.name);
                keep.insert(key.clone());
                // New findings are written even over stored ones.
                if let Some(parts) = self.pending.remove(&key) {
                    wanted.push((key, parts));
                } else if !self.stored.contains(&key) && !self.unsaved.contains(&key) {
                    wanted.push((key, transfer::record_parts(u, None)));
                }
            }
        }
        self.pending.retain(|k, _| keep.contains(k));
        for (key, parts) in wanted {
            // The count goes first and last: while the parts are written it
            // is absent, so a half-written set is never read as whole.
            kv.remove(&key);
            let written = parts.iter().enumerate().try_for_each(|(k, part)| kv.set(&format!("{key}#{k}"), part));
            let written = written.and_then(|()| kv.set(&key, &parts.len().to_string()));
            remove_parts(kv, &key, if written.is_ok() { parts.len() } else { 0 });
            match written {
                Ok(()) => {
                    self.stored.insert(key);
                }
                Err(e) => {
                    self.stored.remove(&key);
                    let name = key.rsplit('/').next().unwrap_or("").to_string();
                    let mb = megabytes(parts.iter().map(String::len).sum());
                    self.unsaved.insert(key);
                    problems.push(format!(
                        "The findings of {name} ({mb} MB) do not fit in this browser's storage ({e}): they are kept for this session only. \
                         Your answers are saved. Export the workspace to a file to keep the findings, or drop the file again after a reload."
                    ));
                }
            }
        }
        // Keys of uploads or assessments that are gone.
        for k in kv.keys() {
            if k.starts_with(FINDINGS_PREFIX) && !keep.contains(k.split('#').next().unwrap_or(&k)) {
                kv.remove(&k);
            }
        }
        self.stored.retain(|k| keep.contains(k));
        self.unsaved.retain(|k| keep.contains(k));
    }
}

/// Remove the parts of `key` from number `from` on (left over from a
/// longer set, or a write that did not fit).
fn remove_parts(kv: &mut dyn Kv, key: &str, from: usize) {
    let prefix = format!("{key}#");
    for k in kv.keys() {
        if let Some(n) = k.strip_prefix(&prefix).and_then(|n| n.parse::<usize>().ok()) {
            if n >= from {
                kv.remove(&k);
            }
        }
    }
}

/// The findings stored under `key`, joined, if all their parts are there.
fn read_findings(kv: &dyn Kv, key: &str) -> Option<transfer::FileOutcome> {
    let n: usize = kv.get(key).ok().flatten()?.parse().ok()?;
    let mut parts = Vec::with_capacity(n);
    for k in 0..n {
        parts.push(transfer::from_json(&kv.get(&format!("{key}#{k}")).ok().flatten()?).ok()?);
    }
    transfer::join(parts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::{Context, RuleSet};
    use crate::ingest::Limits;
    use crate::model::ControlId;
    use crate::workspace::{ControlAnswer, ManualStatus};

    fn with_upload() -> Workspaces {
        let mut w = Workspaces::new();
        let id = w.create("Production", 1_000).unwrap();
        let bytes = include_bytes!("../../tests/fixtures/ingest/aws-config/AWS_EC2_SecurityGroup.json");
        let o = transfer::assess_file("sg.json", bytes, &Limits::default(), RuleSet::bundled(), &Context::on(2026, 6, 1), &mut |_| {});
        assert!(!o.record.findings.is_empty());
        let a = w.get_mut(&id).unwrap();
        a.upsert_upload(o.record, 1_001).unwrap();
        a.set_answer(&"5.1.1".parse::<ControlId>().unwrap(), ControlAnswer { status: ManualStatus::Implemented, ..ControlAnswer::default() }, 1_002).unwrap();
        w
    }

    #[test]
    fn save_then_load_gives_the_same_workspaces() {
        let w = with_upload();
        let mut kv = MemoryKv::new();
        let mut store = BrowserStore::new();
        assert_eq!(store.save(&mut kv, &w), Vec::<String>::new());
        assert!(kv.keys().iter().any(|k| k.starts_with(FINDINGS_PREFIX) && k.ends_with("#0")), "{:?}", kv.keys());
        assert!(!kv.get(STORAGE_KEY).unwrap().unwrap().contains("\"findings\""), "the document leaves the findings out");
        let loaded = BrowserStore::new().load(&mut kv, 5);
        assert_eq!(loaded, Loaded { workspaces: w.clone(), notice: None, error: None });
        // Saving again writes nothing (the same text, findings stored).
        let before = kv.clone();
        assert!(store.save(&mut kv, &w).is_empty());
        assert_eq!(kv, before);
        // An upload removed takes its keys with it.
        let mut gone = w.clone();
        let id = gone.list()[0].id().clone();
        gone.get_mut(&id).unwrap().remove_upload("sg.json", 2_000);
        assert!(store.save(&mut kv, &gone).is_empty());
        assert_eq!(kv.keys(), [STORAGE_KEY]);
    }

    #[test]
    fn new_findings_of_a_stored_upload_are_written_over_the_old() {
        let mut w = with_upload();
        let mut kv = MemoryKv::new();
        let mut store = BrowserStore::new();
        assert!(store.save(&mut kv, &w).is_empty());
        let id = w.list()[0].id().clone();
        let mut record = w.list()[0].uploads()[0].clone();
        let kept = record.findings.len() / 2;
        record.findings.truncate(kept);
        let parts = transfer::record_parts(&record, None);
        w.get_mut(&id).unwrap().upsert_upload(record.clone(), 3_000).unwrap();
        store.findings_arrived(&id, &record.sha256, &record.name, parts);
        assert!(store.save(&mut kv, &w).is_empty());
        let loaded = BrowserStore::new().load(&mut kv, 5).workspaces;
        assert_eq!(loaded.list()[0].uploads()[0].findings.len(), kept);
        assert_eq!(loaded, w);
    }

    #[test]
    fn corrupt_data_is_set_aside_unchanged_before_anything_is_written() {
        let raw = r#"{"format":"iso27017-assessor/workspace","version":3,"workspaces":[{"broken"#;
        let mut kv = MemoryKv::new();
        kv.set(STORAGE_KEY, raw).unwrap();
        let mut store = BrowserStore::new();
        let loaded = store.load(&mut kv, 42);
        assert_eq!(loaded.workspaces, Workspaces::new());
        let error = loaded.error.expect("said");
        assert!(error.contains("could not be read") && error.contains("set aside"), "{error}");
        assert_eq!(kv.get(&format!("{BACKUP_PREFIX}42")).unwrap().as_deref(), Some(raw));
        assert_eq!(store.backup(), Some(raw));
        assert!(!store.saving_blocked());
        // A newer version's data is set aside too.
        let newer = r#"{"format":"iso27017-assessor/workspace","version":99,"workspaces":[]}"#;
        kv.set(STORAGE_KEY, newer).unwrap();
        assert!(BrowserStore::new().load(&mut kv, 43).error.unwrap().contains("newer version"));
        assert_eq!(kv.get(&format!("{BACKUP_PREFIX}43")).unwrap().as_deref(), Some(newer));
    }

    #[test]
    fn corrupt_data_that_cannot_be_set_aside_blocks_saving_until_released() {
        let raw = format!("{{\"broken\":\"{}\"", "x".repeat(500));
        let mut kv = MemoryKv::new();
        kv.set(STORAGE_KEY, &raw).unwrap();
        kv.set_quota(Some(kv.used() + 100));
        let mut store = BrowserStore::new();
        let error = store.load(&mut kv, 42).error.expect("said");
        assert!(error.contains("could not be copied aside"), "{error}");
        assert!(store.saving_blocked());
        let w = with_upload();
        kv.set_quota(None);
        assert!(store.save(&mut kv, &w).is_empty());
        assert_eq!(kv.get(STORAGE_KEY).unwrap(), Some(raw.clone()), "nothing written over it");
        store.release_backup();
        assert!(store.save(&mut kv, &w).is_empty());
        assert_ne!(kv.get(STORAGE_KEY).unwrap(), Some(raw));
    }

    #[test]
    fn running_out_of_room_says_so_and_loses_nothing() {
        let w = with_upload();
        let mut kv = MemoryKv::new();
        let mut store = BrowserStore::new();
        // Room for the answers, not for the findings.
        let document = save(&w.without_findings()).len() + STORAGE_KEY.len();
        kv.set_quota(Some(document + 50));
        let problems = store.save(&mut kv, &w);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].contains("sg.json") && problems[0].contains("do not fit") && problems[0].contains("storage is full"), "{}", problems[0]);
        assert_eq!(store.unsaved().len(), 1);
        assert_eq!(kv.keys(), [STORAGE_KEY], "no part of the findings left behind");
        // The answers are saved; the findings are kept for the session.
        let loaded = BrowserStore::new().load(&mut kv, 5).workspaces;
        assert_eq!(loaded, w.without_findings());
        // Not even room for the document: the earlier one stays as it was.
        let earlier = kv.get(STORAGE_KEY).unwrap();
        let mut more = w.clone();
        let id = more.list()[0].id().clone();
        more.rename(&id, &"P".repeat(100), 9_000).unwrap();
        let problems = store.save(&mut kv, &more);
        assert!(problems.iter().any(|p| p.contains("Could not save in this browser") && p.contains("What was saved before is unchanged")), "{problems:?}");
        assert_eq!(kv.get(STORAGE_KEY).unwrap(), earlier);
        // With room again, everything is written.
        kv.set_quota(None);
        let mut fresh = BrowserStore::new();
        assert!(fresh.save(&mut kv, &more).is_empty());
        assert_eq!(BrowserStore::new().load(&mut kv, 5).workspaces, more);
    }

    #[test]
    fn findings_missing_from_storage_are_reported_not_invented() {
        let w = with_upload();
        let mut kv = MemoryKv::new();
        assert!(BrowserStore::new().save(&mut kv, &w).is_empty());
        let part = kv.keys().into_iter().find(|k| k.ends_with("#0")).unwrap();
        kv.remove(&part);
        let mut store = BrowserStore::new();
        let loaded = store.load(&mut kv, 5);
        assert_eq!(loaded.workspaces, w.without_findings());
        assert_eq!(store.unsaved().len(), 1);
        // They are not written back from nothing at the next save.
        assert!(store.save(&mut kv, &loaded.workspaces).is_empty());
        assert_eq!(store.unsaved().len(), 1);
    }

    #[test]
    fn a_memory_store_keeps_its_quota() {
        let mut kv = MemoryKv::with_quota(10);
        assert!(kv.set("a", "123456789").is_ok());
        assert!(matches!(kv.set("b", "1"), Err(KvError::Full(_))));
        assert!(kv.set("a", "12345678").is_ok(), "replacing counts the old value out");
        kv.remove("a");
        assert_eq!(kv.keys(), Vec::<String>::new());
        assert_eq!(kv.get("a"), Ok(None));
    }
}
