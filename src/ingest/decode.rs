//! Bytes → text: gzip (bounded), UTF-8 with or without BOM, UTF-16 LE/BE with BOM.

use super::{IngestError, Limits};
use std::borrow::Cow;
use std::io::Read;

/// Decode an input to text, inflating gzip first (never beyond `limits.max_decompressed_bytes`).
pub fn decode<'a>(bytes: &'a [u8], limits: &Limits) -> Result<Cow<'a, str>, IngestError> {
    if bytes.len() > limits.max_input_bytes {
        return Err(IngestError::TooLarge { size: bytes.len() as u64, limit: limits.max_input_bytes as u64 });
    }
    if bytes.starts_with(&[0x1f, 0x8b]) {
        let inflated = gunzip(bytes, limits)?;
        return decode_text(Cow::Owned(inflated)).map(|c| Cow::Owned(c.into_owned()));
    }
    decode_text(Cow::Borrowed(bytes))
}

fn gunzip(bytes: &[u8], limits: &Limits) -> Result<Vec<u8>, IngestError> {
    let cap = limits.max_decompressed_bytes as u64;
    let mut out = Vec::with_capacity(bytes.len().saturating_mul(4).min(cap as usize));
    // MultiGzDecoder: AWS Config delivers concatenated members in some tools' output.
    let mut reader = flate2::read::MultiGzDecoder::new(bytes).take(cap + 1);
    reader.read_to_end(&mut out).map_err(|e| IngestError::Gzip(e.to_string()))?;
    if out.len() as u64 > cap {
        return Err(IngestError::DecompressedTooLarge { limit: cap });
    }
    Ok(out)
}

fn decode_text(bytes: Cow<'_, [u8]>) -> Result<Cow<'_, str>, IngestError> {
    if bytes.is_empty() || bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(IngestError::Empty);
    }
    let b: &[u8] = &bytes;
    if b.starts_with(&[0xFF, 0xFE]) || b.starts_with(&[0xFE, 0xFF]) {
        let le = b[0] == 0xFF;
        let body = &b[2..];
        if body.len() % 2 != 0 {
            return Err(IngestError::Encoding("UTF-16 text with an odd number of bytes (truncated file?)".into()));
        }
        let units = body.chunks_exact(2).map(|c| if le { u16::from_le_bytes([c[0], c[1]]) } else { u16::from_be_bytes([c[0], c[1]]) });
        let text: Result<String, _> = char::decode_utf16(units).collect();
        return text
            .map(Cow::Owned)
            .map_err(|e| IngestError::Encoding(format!("invalid UTF-16 ({e})")));
    }
    if let Some(pos) = b.iter().take(8192).position(|&c| c == 0) {
        return Err(IngestError::Binary { offset: pos as u64 });
    }
    let utf8_error = |e: std::str::Utf8Error| {
        IngestError::Encoding(format!(
            "not UTF-8: invalid byte at offset {} (save the export as UTF-8, or UTF-16 with a byte order mark)",
            e.valid_up_to()
        ))
    };
    match bytes {
        Cow::Borrowed(orig) => {
            let body = orig.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(orig);
            std::str::from_utf8(body).map(Cow::Borrowed).map_err(utf8_error)
        }
        Cow::Owned(mut v) => {
            if v.starts_with(&[0xEF, 0xBB, 0xBF]) {
                v.drain(..3);
            }
            String::from_utf8(v).map(Cow::Owned).map_err(|e| utf8_error(e.utf8_error()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(b: &[u8]) -> Result<String, IngestError> {
        decode(b, &Limits::default()).map(|c| c.into_owned())
    }

    #[test]
    fn encodings() {
        assert_eq!(d(b"\xEF\xBB\xBF{}").unwrap(), "{}");
        assert_eq!(d(&[0xFF, 0xFE, b'{', 0, b'}', 0]).unwrap(), "{}");
        assert_eq!(d(&[0xFE, 0xFF, 0, b'{', 0, b'}']).unwrap(), "{}");
        assert!(matches!(d(b""), Err(IngestError::Empty)));
        assert!(matches!(d(b"  \n"), Err(IngestError::Empty)));
        assert!(matches!(d(b"{\0}"), Err(IngestError::Binary { .. })));
        assert!(matches!(d(b"\xC3\x28"), Err(IngestError::Encoding(_))));
        assert!(matches!(d(&[0xFF, 0xFE, b'{']), Err(IngestError::Encoding(_))));
    }

    #[test]
    fn gzip_is_inflated_and_bounded() {
        use std::io::Write;
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        enc.write_all(&vec![b' '; 1 << 20]).unwrap();
        enc.write_all(b"{}").unwrap();
        let gz = enc.finish().unwrap();
        assert_eq!(d(&gz).unwrap().trim(), "{}");
        let small = Limits { max_decompressed_bytes: 1000, ..Limits::default() };
        assert!(matches!(decode(&gz, &small), Err(IngestError::DecompressedTooLarge { .. })));
        assert!(matches!(d(&gz[..gz.len() / 2]), Err(IngestError::Gzip(_))));
        let tiny = Limits { max_input_bytes: 10, ..Limits::default() };
        assert!(matches!(decode(&gz, &tiny), Err(IngestError::TooLarge { .. })));
    }
}
