//! Share links (engine side): a read-only snapshot of an
//! assessment's report, carried entirely in a link's URL fragment (`#…`),
//! which browsers never send to a server.
//!
//! - [`payload`] — [`ShareV1`], the versioned DTO a link carries, built from a
//!   [`Workspace`](crate::workspace::Workspace) with [`ShareOptions`] (what the
//!   user chose to share), and its validation.
//! - [`codec`] — [`encode`] / [`decode`]: `v1.` + base64url(deflate(compact
//!   JSON)), with size caps; [`encode_fitting`] leaves out the least severe
//!   findings to meet a length target.
//! - [`error`] — [`ShareError`], one variant per way a link can be refused.
//!
//! **Invariant:** nothing outside the payload is shared: a link holds only the
//! fields of [`ShareV1`], filled by [`ShareV1::from_workspace`]; notes,
//! resource ids and findings only when their [`ShareOptions`] flag is on.
//! **Invariant:** [`decode`] never panics, never allocates past its caps
//! ([`MAX_FRAGMENT_LEN`] characters in, [`MAX_DECOMPRESSED_BYTES`] inflated),
//! and returns only validated content (known control ids, real dates, texts
//! within the workspace limits, outcomes consistent with their answers).
//! **Invariant:** plain Rust: no I/O, no clock, no web dependency; callers
//! pass `today`.

pub mod adopt;
pub mod codec;
pub mod error;
pub mod payload;

pub use adopt::{adopt, ADOPT_NOTE};
pub use codec::{
    decode, decode_with, encode, encode_fitting, encode_fitting_json, Fitted, Limits, MAX_DECOMPRESSED_BYTES, MAX_FRAGMENT_LEN, PREFIX,
    TARGET_FRAGMENT_LEN,
};
pub use error::ShareError;
pub use payload::{
    IncludedV1, ShareControlV1, ShareFindingV1, ShareOptions, ShareScopeV1, ShareV1, FORMAT_DOC, REDACTED_RESOURCE,
};
