//! The messages between the page and its Web Worker, as types both
//! WebAssembly modules share: the page sends a [`Request`], the worker
//! answers with [`Reply`]s. Each crosses `postMessage` as an envelope
//! `{head, body}`: `head` is the message as JSON text ([`Request::to_head`],
//! [`Reply::to_head`]), encoded and decoded only here; `body` carries the
//! message's large payload beside it, untouched by any parser on the way —
//! a dropped `File` (or `url`, a bundled sample the worker fetches), pasted
//! text, an assessment's JSON for an export, one `workspace::transfer` part,
//! the text of an exported file. `public/worker.js` only moves bytes: it
//! turns the body into bytes (reading a `File` with progress, fetching a
//! sample), hashes them and hands head and bytes to the worker's module.
//!
//! Which payload a message carries is part of its documentation below
//! ("Body: …"); a message without one has none.
//!
//! **Invariant:** decoding never panics; an unknown message type or field is
//! an error ([`ProtocolError`]), never guessed at.

use crate::workspace::transfer::FragmentReply;
use serde::{Deserialize, Serialize};

/// What the page asks of the worker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Request {
    /// Add a file to assessment `workspace` (replacing its file of the same
    /// name, and the file `replaces` if given) and judge the assessment's
    /// files together. Body: the file's bytes (a `File`, an `ArrayBuffer`, a
    /// string of text, or a same-origin `url` to fetch).
    AddFile {
        /// Message id, echoed in every reply.
        id: u32,
        /// The assessment's id.
        workspace: String,
        /// The file's name.
        name: String,
        /// An upload this file replaces (another name).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        replaces: Option<String>,
        /// Days since the epoch (dated checks, e.g. key age).
        today: i64,
        /// The assessment's own mapping of imported check ids to controls
        /// (`workspace::mapping`), used for this and later evaluations.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        mappings: Vec<crate::workspace::store_mapping::StoredMappingV5>,
    },
    /// Forget a file of assessment `workspace` and judge the files that
    /// remain together again.
    RemoveFile {
        /// Message id.
        id: u32,
        /// The assessment's id.
        workspace: String,
        /// The file's name.
        name: String,
        /// Days since the epoch.
        today: i64,
    },
    /// The part of an uploaded file behind a finding.
    Fragment {
        /// Message id.
        id: u32,
        /// The assessment's id.
        workspace: String,
        /// The file's name.
        name: String,
        /// JSON pointer into the file.
        pointer: String,
        /// Line, for YAML and CSV inputs.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        line: Option<u32>,
    },
    /// An export file of a report. Body: the assessment as
    /// `workspace::export_workspace` writes it, or a share link's payload
    /// (`source`).
    Export {
        /// Message id.
        id: u32,
        /// An `ExportFormat` token.
        format: String,
        /// What the body is.
        source: ExportOf,
        /// Days since the epoch (the report's day).
        today: i64,
        /// Milliseconds since the epoch (the file's timestamp).
        now: u64,
    },
    /// The assessment's mapping of imported check ids to controls changed:
    /// use it for the files held, and map every imported finding of the
    /// assessment again (`workspace::mapping::remap`), sending the uploads
    /// whose findings changed as a joint result. Body: the assessment as
    /// `workspace::export_workspace` writes it.
    Remap {
        /// Message id.
        id: u32,
        /// The assessment's id.
        workspace: String,
    },
    /// A share link of a report. Body: the report as `ShareV1` JSON.
    ShareLink {
        /// Message id.
        id: u32,
        /// Longest payload, in characters.
        max: usize,
    },
    /// The size and SHA-256 of a local evidence file. Body: the `File`,
    /// with the envelope's `hash` flag: the glue streams it through
    /// `workspace::evidence::FileDigest` chunk by chunk and keeps nothing.
    HashFile {
        /// Message id.
        id: u32,
    },
}

/// What an export's body is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExportOf {
    /// An assessment's JSON.
    Workspace,
    /// A share link's payload.
    ShareLink,
}

/// Where the worker is with a file, for the page's progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "stage", rename_all = "snake_case", deny_unknown_fields)]
pub enum Progress {
    /// Bytes read of a dropped file so far.
    Reading {
        /// Read so far.
        loaded: f64,
        /// The file's size.
        total: f64,
    },
    /// Decoding, detecting the format, reading resources.
    Parsing {
        /// The file's size.
        total: f64,
    },
    /// Judging this many resources (of every file of the assessment).
    Evaluating {
        /// Resources.
        resources: usize,
    },
    /// Made this many findings; sending them.
    Sending {
        /// Findings.
        findings: usize,
    },
}

/// What the worker answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Reply {
    /// The worker's module has started.
    Ready,
    /// How far an [`Request::AddFile`] has got.
    Progress {
        /// The request's id.
        id: u32,
        /// Where it is.
        progress: Progress,
    },
    /// The added file is not an export the engine reads (nothing changed).
    Refused {
        /// The request's id.
        id: u32,
        /// The engine's reason.
        message: String,
    },
    /// One part of the joint result of an [`Request::AddFile`] or
    /// [`Request::RemoveFile`]: part `k` of `n` of file `file` of `files`
    /// (every file the worker holds for the assessment, each with the
    /// findings on its resources). Body: the `workspace::transfer` part.
    Part {
        /// The request's id.
        id: u32,
        /// Which file (0-based, in the assessment's order).
        file: u32,
        /// How many files the result has.
        files: u32,
        /// Which part of that file's (0-based).
        k: u32,
        /// How many parts that file has.
        n: u32,
    },
    /// The fragment asked for.
    Fragment {
        /// The request's id.
        id: u32,
        /// What to show.
        reply: FragmentReply,
    },
    /// The export file asked for. Body: its text.
    Exported {
        /// The request's id.
        id: u32,
        /// Its download name.
        name: String,
    },
    /// The share link asked for.
    Link {
        /// The request's id.
        id: u32,
        /// The payload.
        link: String,
        /// Finding summaries kept.
        kept: usize,
        /// Finding summaries left out to fit.
        dropped: usize,
    },
    /// The digest of a [`Request::HashFile`].
    Hashed {
        /// The request's id.
        id: u32,
        /// The file's size in bytes.
        size: u64,
        /// SHA-256, lower-case hex.
        sha256: String,
    },
    /// The request could not be done.
    Failed {
        /// The request's id (0 when it could not be read).
        id: u32,
        /// Why.
        message: String,
    },
}

/// A message that is not one of this protocol's.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a message between the page and its worker could not be read ({0}); reload the page")]
pub struct ProtocolError(String);

fn decode<T: for<'de> Deserialize<'de>>(head: &str) -> Result<T, ProtocolError> {
    serde_json::from_str(head).map_err(|e| ProtocolError(e.to_string()))
}

impl Request {
    /// The message's head (JSON text).
    pub fn to_head(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
    /// Read a head made by [`Request::to_head`].
    pub fn from_head(head: &str) -> Result<Request, ProtocolError> {
        decode(head)
    }
    /// The message's id.
    pub fn id(&self) -> u32 {
        match self {
            Request::AddFile { id, .. }
            | Request::RemoveFile { id, .. }
            | Request::Fragment { id, .. }
            | Request::Export { id, .. }
            | Request::ShareLink { id, .. }
            | Request::Remap { id, .. }
            | Request::HashFile { id } => *id,
        }
    }
}

impl Reply {
    /// The message's head (JSON text).
    pub fn to_head(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
    /// Read a head made by [`Reply::to_head`].
    pub fn from_head(head: &str) -> Result<Reply, ProtocolError> {
        decode(head)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn requests() -> Vec<Request> {
        vec![
            Request::AddFile { id: 1, workspace: "w1".into(), name: "a \"b\".json".into(), replaces: None, today: 20_600, mappings: Vec::new() },
            Request::AddFile { id: 2, workspace: "w1".into(), name: "b.yaml".into(), replaces: Some("old.yaml".into()), today: -3, mappings: vec![crate::workspace::store_mapping::StoredMappingV5 { check: "checkov:CKV_X".into(), controls: vec!["12.4.1".into()] }] },
            Request::RemoveFile { id: 3, workspace: "w1".into(), name: "b.yaml".into(), today: 20_600 },
            Request::Fragment { id: 4, workspace: "w1".into(), name: "a.json".into(), pointer: "/a/b~1c".into(), line: None },
            Request::Fragment { id: 5, workspace: "w1".into(), name: "k.yaml".into(), pointer: String::new(), line: Some(12) },
            Request::Export { id: 6, format: "csv-findings".into(), source: ExportOf::Workspace, today: 20_600, now: 1_780_000_000_000 },
            Request::Export { id: 7, format: "oscal".into(), source: ExportOf::ShareLink, today: 0, now: 0 },
            Request::ShareLink { id: 8, max: 8_000 },
            Request::HashFile { id: 9 },
            Request::Remap { id: 10, workspace: "ws-1".into() },
        ]
    }

    fn replies() -> Vec<Reply> {
        vec![
            Reply::Ready,
            Reply::Progress { id: 1, progress: Progress::Reading { loaded: 10.0, total: 2e8 } },
            Reply::Progress { id: 1, progress: Progress::Parsing { total: 2e8 } },
            Reply::Progress { id: 1, progress: Progress::Evaluating { resources: 12 } },
            Reply::Progress { id: 1, progress: Progress::Sending { findings: 40 } },
            Reply::Refused { id: 2, message: "binary".into() },
            Reply::Part { id: 1, file: 1, files: 2, k: 0, n: 3 },
            Reply::Fragment { id: 4, reply: FragmentReply::Text("{\n  \"x\": true\n}".into(), true) },
            Reply::Fragment { id: 4, reply: FragmentReply::Missing },
            Reply::Fragment { id: 4, reply: FragmentReply::Error("no value at /nope".into()) },
            Reply::Exported { id: 6, name: "report.csv".into() },
            Reply::Link { id: 8, link: "v1.abc".into(), kept: 3, dropped: 1 },
            Reply::Hashed { id: 9, size: 3, sha256: "ab".repeat(32) },
            Reply::Failed { id: 0, message: "x".into() },
        ]
    }

    #[test]
    fn every_message_round_trips() {
        for r in requests() {
            assert_eq!(Request::from_head(&r.to_head()), Ok(r.clone()), "{}", r.to_head());
        }
        for r in replies() {
            assert_eq!(Reply::from_head(&r.to_head()), Ok(r.clone()), "{}", r.to_head());
        }
        assert_eq!(requests().iter().map(Request::id).collect::<Vec<_>>(), (1..=10).collect::<Vec<_>>());
    }

    #[test]
    fn heads_are_small_tagged_json() {
        assert_eq!(
            Request::AddFile { id: 1, workspace: "w".into(), name: "a.json".into(), replaces: None, today: 5, mappings: Vec::new() }.to_head(),
            r#"{"type":"add_file","id":1,"workspace":"w","name":"a.json","today":5}"#
        );
        assert_eq!(Reply::Progress { id: 2, progress: Progress::Evaluating { resources: 7 } }.to_head(), r#"{"type":"progress","id":2,"progress":{"stage":"evaluating","resources":7}}"#);
    }

    #[test]
    fn unknown_or_broken_messages_are_errors() {
        for bad in ["", "{", "null", "[]", r#"{"type":"launch"}"#, r#"{"type":"add_file","id":1}"#, r#"{"type":"remove_file","id":1,"workspace":"w","name":"a","today":1,"extra":true}"#, r#"{"type":"share_link","id":-1,"max":1}"#] {
            let e = Request::from_head(bad).expect_err(bad);
            assert!(e.to_string().contains("reload the page"), "{e}");
        }
        for bad in ["", r#"{"type":"progress","id":1,"progress":{"stage":"dreaming"}}"#, r#"{"type":"part","id":1}"#] {
            assert!(Reply::from_head(bad).is_err(), "{bad}");
        }
    }
}
