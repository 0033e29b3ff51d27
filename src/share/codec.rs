//! The share-link codec: [`ShareV1`] ⇄ the text after `#` in a link.
//!
//! Format: `v1.` + base64url without padding (RFC 4648 §5) of the raw
//! deflate (RFC 1951, best compression) of the compact JSON of [`ShareV1`].
//! The prefix carries the version, so a later format is `v2.…` and this
//! version can say "made by a newer version" instead of "damaged".
//!
//! **Invariant:** [`decode`] never panics, checks the length before doing any
//! work, never inflates more than `max_decompressed + 1` bytes (output is read
//! in 16 KiB steps into a buffer whose capacity never exceeds the cap plus one
//! step), and returns only values that passed [`ShareV1::validate`].
//! **Invariant:** [`encode`] validates first and refuses what [`decode`]
//! would refuse (too long a link, too large a report), so every link it makes
//! opens: `decode(&encode(s)?) == Ok(s)`.

use super::error::{clip, ShareError};
use super::payload::ShareV1;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use flate2::bufread::{DeflateDecoder, DeflateEncoder};
use flate2::Compression;
use std::io::Read;

/// The prefix of every version-1 link payload.
pub const PREFIX: &str = "v1.";

/// The longest payload [`encode`] makes and [`decode`] reads, in characters
/// (64 KiB). Browsers accept longer URLs, but chat tools, mail clients and
/// address bars cut or refuse them.
pub const MAX_FRAGMENT_LEN: usize = 64 * 1024;

/// The size a link should stay under to paste anywhere (8 KiB);
/// [`encode_fitting`] with this limit keeps every control and leaves out the
/// least severe findings until the link fits.
pub const TARGET_FRAGMENT_LEN: usize = 8 * 1024;

/// The most a payload may inflate to (2 MiB of JSON); anything larger is
/// refused without inflating further.
pub const MAX_DECOMPRESSED_BYTES: usize = 2 * 1024 * 1024;

/// Size limits of [`decode_with`]; [`decode`] uses the default
/// ([`MAX_FRAGMENT_LEN`], [`MAX_DECOMPRESSED_BYTES`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Longest payload text accepted, in bytes.
    pub max_fragment_len: usize,
    /// Most bytes the payload may inflate to.
    pub max_decompressed: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_fragment_len: MAX_FRAGMENT_LEN, max_decompressed: MAX_DECOMPRESSED_BYTES }
    }
}

/// The link payload for `share` (to put after `#` or a route prefix).
/// Refused when the report is invalid or the link would exceed
/// [`MAX_FRAGMENT_LEN`] (the error tells the user to leave out notes or
/// findings).
pub fn encode(share: &ShareV1) -> Result<String, ShareError> {
    encode_max(share, MAX_FRAGMENT_LEN)
}

fn encode_max(share: &ShareV1, max_len: usize) -> Result<String, ShareError> {
    share.validate()?;
    let json = serde_json::to_vec(share).map_err(|e| ShareError::Internal(e.to_string()))?;
    if json.len() > MAX_DECOMPRESSED_BYTES {
        // Would inflate past decode's cap: as good as too long.
        return Err(ShareError::LinkTooLong { len: json.len(), max: max_len.min(MAX_FRAGMENT_LEN) });
    }
    let mut packed = Vec::with_capacity(json.len() / 4 + 64);
    DeflateEncoder::new(json.as_slice(), Compression::best())
        .read_to_end(&mut packed)
        .map_err(|e| ShareError::Internal(e.to_string()))?;
    let mut out = String::with_capacity(PREFIX.len() + packed.len().div_ceil(3) * 4);
    out.push_str(PREFIX);
    URL_SAFE_NO_PAD.encode_string(&packed, &mut out);
    let max = max_len.min(MAX_FRAGMENT_LEN);
    if out.len() > max {
        return Err(ShareError::LinkTooLong { len: out.len(), max });
    }
    Ok(out)
}

/// A link made by [`encode_fitting`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fitted {
    /// The link payload.
    pub link: String,
    /// Finding summaries in the link.
    pub findings_kept: usize,
    /// Finding summaries left out (the least severe, decided ones first) to
    /// fit; the UI must say so. `ShareV1::finding_count` still counts them.
    pub findings_dropped: usize,
}

/// [`encode`], but when the link would be longer than `max_len` (capped at
/// [`MAX_FRAGMENT_LEN`]), leave out finding summaries from the end of the
/// list (decided before failing, then the least severe) until it fits.
/// Every control is kept. Fails with [`ShareError::LinkTooLong`] when even no
/// findings do not fit (then notes must go).
pub fn encode_fitting(share: &ShareV1, max_len: usize) -> Result<Fitted, ShareError> {
    let total = share.findings.len();
    match encode_max(share, max_len) {
        Ok(link) => return Ok(Fitted { link, findings_kept: total, findings_dropped: 0 }),
        Err(ShareError::LinkTooLong { .. }) => {}
        Err(e) => return Err(e),
    }
    let with = |k: usize| {
        let mut s = share.clone();
        s.findings.truncate(k);
        encode_max(&s, max_len)
    };
    // Largest k in [0, total) whose link fits: binary search, as the length
    // grows (almost) monotonically with k; the result is re-checked.
    let mut best = with(0).map(|l| (0, l))?;
    let (mut lo, mut hi) = (1usize, total);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        match with(mid) {
            Ok(link) => {
                best = (mid, link);
                lo = mid + 1;
            }
            Err(ShareError::LinkTooLong { .. }) => hi = mid,
            Err(e) => return Err(e),
        }
    }
    let (kept, link) = best;
    Ok(Fitted { link, findings_kept: kept, findings_dropped: total - kept })
}

/// [`encode_fitting`] of a report given as the JSON of [`ShareV1`]: how the
/// browser page has its worker make a link (the page builds the report, the
/// worker compresses it, so the page carries no compressor).
pub fn encode_fitting_json(json: &str, max_len: usize) -> Result<Fitted, ShareError> {
    if json.len() > MAX_DECOMPRESSED_BYTES {
        return Err(ShareError::LinkTooLong { len: json.len(), max: max_len.min(MAX_FRAGMENT_LEN) });
    }
    let share: ShareV1 = serde_json::from_str(json).map_err(|e| ShareError::Json { detail: clip(&e.to_string(), 200) })?;
    encode_fitting(&share, max_len)
}

/// Read a link payload (the text after `#`, or after the UI's route prefix)
/// with the default [`Limits`]. Never panics.
pub fn decode(fragment: &str) -> Result<ShareV1, ShareError> {
    decode_with(fragment, &Limits::default())
}

/// [`decode`] with explicit limits (tests and tools).
pub fn decode_with(fragment: &str, limits: &Limits) -> Result<ShareV1, ShareError> {
    if fragment.is_empty() {
        return Err(ShareError::Empty);
    }
    if fragment.len() > limits.max_fragment_len {
        return Err(ShareError::FragmentTooLong { len: fragment.len(), max: limits.max_fragment_len });
    }
    let body = strip_prefix(fragment)?;
    if body.is_empty() {
        return Err(ShareError::Empty);
    }
    let packed = URL_SAFE_NO_PAD.decode(body).map_err(|e| ShareError::Base64 { detail: clip(&e.to_string(), 80) })?;
    let json = inflate_capped(&packed, limits.max_decompressed)?;
    let share: ShareV1 =
        serde_json::from_slice(&json).map_err(|e| ShareError::Json { detail: clip(&e.to_string(), 200) })?;
    share.validate()?;
    Ok(share)
}

/// The base64 body after a `v1.` prefix; other `v<digits>.` prefixes are
/// newer (or older) versions, anything else is not a link of this app.
fn strip_prefix(fragment: &str) -> Result<&str, ShareError> {
    if let Some(body) = fragment.strip_prefix(PREFIX) {
        return Ok(body);
    }
    let rest = fragment.strip_prefix('v').ok_or(ShareError::NotAShareLink)?;
    let dot = rest.find('.').ok_or(ShareError::NotAShareLink)?;
    let version = rest.get(..dot).unwrap_or("");
    if version.is_empty() || version.len() > 20 || !version.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ShareError::NotAShareLink);
    }
    Err(ShareError::UnsupportedVersion { version: version.to_string() })
}

/// Inflate a raw deflate stream, refusing (without inflating further) once
/// the output would exceed `cap` bytes, and refusing a truncated stream or
/// bytes after its end.
pub fn inflate_capped(packed: &[u8], cap: usize) -> Result<Vec<u8>, ShareError> {
    const STEP: usize = 16 * 1024;
    let mut decoder = DeflateDecoder::new(packed);
    let mut out: Vec<u8> = Vec::new();
    let mut buf = [0u8; STEP];
    loop {
        let n = match decoder.read(&mut buf) {
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(ShareError::Decompress { detail: clip(&e.to_string(), 80) }),
        };
        if n == 0 {
            break;
        }
        let chunk = buf.get(..n).unwrap_or(&[]);
        let new_len = out.len().saturating_add(n);
        if new_len > cap {
            return Err(ShareError::DecompressedTooLarge { max: cap });
        }
        if new_len > out.capacity() {
            // Grow by doubling, but never past the cap.
            let want = out.capacity().saturating_mul(2).max(new_len).max(STEP).min(cap);
            out.reserve_exact(want - out.len());
        }
        out.extend_from_slice(chunk);
    }
    if decoder.total_in() != packed.len() as u64 {
        return Err(ShareError::Decompress { detail: "data after the end of the compressed stream".into() });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::write::DeflateEncoder as WriteEncoder;
    use std::io::Write;

    fn deflate(bytes: &[u8]) -> Vec<u8> {
        let mut e = WriteEncoder::new(Vec::new(), Compression::best());
        e.write_all(bytes).unwrap();
        e.finish().unwrap()
    }

    #[test]
    fn inflate_round_trips_and_caps() {
        let data = b"hello hello hello".repeat(100);
        assert_eq!(inflate_capped(&deflate(&data), data.len()).unwrap(), data);
        assert_eq!(inflate_capped(&deflate(&data), data.len() - 1), Err(ShareError::DecompressedTooLarge { max: data.len() - 1 }));
        let zeros = deflate(&vec![0u8; 5 * 1024 * 1024]);
        assert_eq!(inflate_capped(&zeros, 1024 * 1024), Err(ShareError::DecompressedTooLarge { max: 1024 * 1024 }));
    }

    #[test]
    fn inflate_refuses_truncated_and_trailing_data() {
        let packed = deflate(&b"some text to compress".repeat(50));
        let truncated = &packed[..packed.len() / 2];
        assert!(matches!(inflate_capped(truncated, 1 << 20), Err(ShareError::Decompress { .. })));
        let mut trailing = packed.clone();
        trailing.extend_from_slice(b"xyz");
        assert!(matches!(inflate_capped(&trailing, 1 << 20), Err(ShareError::Decompress { .. })));
        assert!(matches!(inflate_capped(&[], 1 << 20), Err(ShareError::Decompress { .. })));
    }

    #[test]
    fn prefixes() {
        assert_eq!(strip_prefix("v1.abc"), Ok("abc"));
        assert_eq!(strip_prefix("v2.abc"), Err(ShareError::UnsupportedVersion { version: "2".into() }));
        assert_eq!(strip_prefix("v10.abc"), Err(ShareError::UnsupportedVersion { version: "10".into() }));
        for bad in ["abc", "v.abc", "vx.abc", "v1abc", "V1.abc", "1.abc", "v-1.x", "v1 .x"] {
            assert_eq!(strip_prefix(bad), Err(ShareError::NotAShareLink), "{bad}");
        }
    }

    #[test]
    fn decode_checks_length_first() {
        let long = format!("v1.{}", "A".repeat(MAX_FRAGMENT_LEN));
        assert!(matches!(decode(&long), Err(ShareError::FragmentTooLong { .. })));
        assert_eq!(decode(""), Err(ShareError::Empty));
        assert_eq!(decode("v1."), Err(ShareError::Empty));
    }
}
