//! Why a share link could not be made or read. Every failure a tampered,
//! truncated, oversized or foreign link can produce has its own variant, and
//! each message says what happened and what to do, in words for the person
//! who opened the link.
//!
//! **Invariant:** a message quotes at most 200 characters of the input (the
//! JSON parser's detail, clipped; other quotes are 40 characters or less), so
//! an error page cannot be made to show a payload's text at length. The UI
//! shows messages as plain text.

use crate::model::ControlId;

/// A share link that could not be encoded or decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ShareError {
    /// Nothing after the `#`.
    #[error("the link holds no report: it ends where the report should start; ask for the link again")]
    Empty,
    /// The text does not start with a `v<number>.` prefix.
    #[error("this is not a report link of this app (it does not start with \"v1.\"); check that the whole link was copied")]
    NotAShareLink,
    /// A well-formed prefix with a version this app does not read.
    #[error("this report link has format version {version}, which this version of the app cannot read; open it with the app version that made it, or ask for a new link")]
    UnsupportedVersion {
        /// The version text after `v` (at most 20 characters).
        version: String,
    },
    /// [`crate::share::encode`] would make a link longer than the limit.
    #[error("the report link would be {len} characters long; links over {max} characters do not work reliably in browsers: leave out the notes or the findings and try again")]
    LinkTooLong {
        /// Length the link would have.
        len: usize,
        /// The limit ([`crate::share::MAX_FRAGMENT_LEN`] or the caller's).
        max: usize,
    },
    /// A link longer than any link this app makes.
    #[error("the report link is {len} characters long, more than the {max} this app ever makes; it is damaged or was not made by this app")]
    FragmentTooLong {
        /// Length received.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// Not base64url: a character outside `A–Z a–z 0–9 - _`, or a length that
    /// cannot be base64 (typically a truncated link).
    #[error("the report link is damaged (not valid base64url: {detail}); it was probably cut off or changed when it was copied, so copy it again in full")]
    Base64 {
        /// What the decoder saw.
        detail: String,
    },
    /// The bytes are not a complete deflate stream.
    #[error("the report link is damaged (its compressed data is incomplete or corrupt: {detail}); copy it again in full")]
    Decompress {
        /// What the inflater saw.
        detail: String,
    },
    /// The data inflates to more than the cap (a "deflate bomb" or garbage).
    #[error("the report link expands to more than {max} bytes, more than any report this app makes; it was refused without being unpacked")]
    DecompressedTooLarge {
        /// The cap in bytes.
        max: usize,
    },
    /// The unpacked data is not the JSON of a version-1 report.
    #[error("the report link is damaged or was made by another program (its content is not a version-1 report: {detail})")]
    Json {
        /// serde_json's message (at most 200 characters).
        detail: String,
    },
    /// A control id the bundled catalog does not know.
    #[error("the report names control {0}, which is not a control of ISO/IEC 27017:2015; the link was changed or made by another program")]
    UnknownControl(ControlId),
    /// A control listed twice.
    #[error("the report lists control {0} twice; the link was changed or made by another program")]
    DuplicateControl(ControlId),
    /// A date that is not a real `YYYY-MM-DD` calendar date.
    #[error("the report's date {value:?} is not a valid date (YYYY-MM-DD); the link was changed or made by another program")]
    InvalidDate {
        /// The rejected text (first 40 characters).
        value: String,
    },
    /// A text field over its limit.
    #[error("{field} in the report is {bytes} bytes long; the limit is {max} bytes, so the link was changed or made by another program")]
    TextTooLong {
        /// Which field, for people ("the notes of 9.1.2").
        field: String,
        /// Size received.
        bytes: usize,
        /// The limit.
        max: usize,
    },
    /// Other content that a link made by this app never has (duplicates in
    /// the scope, too many findings, a finding without controls…).
    #[error("the report is inconsistent ({0}); the link was changed or made by another program")]
    Invalid(String),
    /// Serialising or compressing failed (cannot happen with in-memory
    /// buffers; kept so that `encode` never panics).
    #[error("the report link could not be made: {0}")]
    Internal(String),
}

/// First `n` characters of `s`.
pub(crate) fn clip(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}
