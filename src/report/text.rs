//! JSON text written by hand into a byte buffer, byte for byte as serde_json
//! writes it: strings quoted and escaped (`"`, `\` and the control characters
//! U+0000–U+001F, with serde_json's short forms `\b \t \n \f \r` and
//! lower-case `\u00xx` for the others; nothing else is escaped, not even
//! U+2028 or U+007F), unsigned integers in decimal. The findings of the JSON
//! and SARIF documents are written with these (`report::json`,
//! `report::sarif`): most of their strings need no escape, and are found to
//! need none eight bytes at a time, then copied whole.
//!
//! **Invariant:** [`string`] writes exactly what `serde_json::to_writer`
//! writes for the same `&str` (tested below on every ASCII character and on
//! long Unicode text).

use std::fmt;

/// What serde_json writes after `\` for each byte (0: the byte as it is;
/// `u`: `\u00` and two lower-case hex digits).
const ESCAPE: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 0x20 {
        t[b] = b'u';
        b += 1;
    }
    t[0x08] = b'b';
    t[0x09] = b't';
    t[0x0a] = b'n';
    t[0x0c] = b'f';
    t[0x0d] = b'r';
    t[b'"' as usize] = b'"';
    t[b'\\' as usize] = b'\\';
    t
};

const LOW: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;

/// The index of the first of these eight bytes that needs an escape, if any.
/// (`x - LOW & !x & HIGH` marks the zero bytes of `x`, the lowest one
/// exactly; the same with `0x20 * LOW` marks the bytes below 0x20.)
#[inline]
fn first_escape(word: u64) -> Option<usize> {
    let quote = word ^ (LOW * u64::from(b'"'));
    let backslash = word ^ (LOW * u64::from(b'\\'));
    let marks = (word.wrapping_sub(LOW * 0x20) & !word | quote.wrapping_sub(LOW) & !quote | backslash.wrapping_sub(LOW) & !backslash) & HIGH;
    (marks != 0).then(|| (marks.trailing_zeros() / 8) as usize)
}

/// The index of the first byte of `bytes` at or after `from` that needs an escape.
#[inline]
fn next_escape(bytes: &[u8], from: usize) -> Option<usize> {
    let rest = bytes.get(from..)?;
    let mut words = rest.chunks_exact(8);
    let mut at = from;
    for w in words.by_ref() {
        let word = u64::from_le_bytes([w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]]);
        if let Some(i) = first_escape(word) {
            return Some(at + i);
        }
        at += 8;
    }
    words.remainder().iter().position(|&b| ESCAPE[usize::from(b)] != 0).map(|i| at + i)
}

/// `s` escaped, without quotes.
#[inline]
pub(crate) fn contents(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    let mut start = 0;
    while let Some(i) = next_escape(bytes, start) {
        out.extend_from_slice(bytes.get(start..i).unwrap_or_default());
        let b = bytes.get(i).copied().unwrap_or(0);
        match ESCAPE[usize::from(b)] {
            b'u' => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.extend_from_slice(b"\\u00");
                out.push(HEX[usize::from(b >> 4)]);
                out.push(HEX[usize::from(b & 0xf)]);
            }
            e => out.extend_from_slice(&[b'\\', e]),
        }
        start = i + 1;
    }
    out.extend_from_slice(bytes.get(start..).unwrap_or_default());
}

/// `s` as a JSON string.
#[inline]
pub(crate) fn string(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    contents(out, s);
    out.push(b'"');
}

/// `s` as a JSON string, from the last one written through this cache when
/// `s` is that same text (the same address and length: a shared text such
/// as a file name or a resource kind, written for every finding).
#[derive(Default)]
pub(crate) struct Cached {
    key: (usize, usize),
    json: Vec<u8>,
}

impl Cached {
    #[inline]
    pub fn string(&mut self, out: &mut Vec<u8>, s: &str) {
        let key = (s.as_ptr() as usize, s.len());
        if key != self.key || self.json.is_empty() {
            self.json.clear();
            string(&mut self.json, s);
            self.key = key;
        }
        out.extend_from_slice(&self.json);
    }
}

/// Escapes what is written to it into the buffer (for text made by
/// `Display`, such as a finding's message), without quotes.
pub(crate) struct Escaping<'a>(pub &'a mut Vec<u8>);

impl fmt::Write for Escaping<'_> {
    #[inline]
    fn write_str(&mut self, s: &str) -> fmt::Result {
        contents(self.0, s);
        Ok(())
    }
}

/// `n` in decimal.
#[inline]
pub(crate) fn uint(out: &mut Vec<u8>, n: u64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    let mut n = n;
    loop {
        i -= 1;
        if let Some(d) = digits.get_mut(i) {
            *d = b'0' + (n % 10) as u8;
        }
        n /= 10;
        if n == 0 || i == 0 {
            break;
        }
    }
    out.extend_from_slice(digits.get(i..).unwrap_or_default());
}

/// `v` compact, as serde_json writes it (numbers by serde_json; the rest
/// without its machinery). Values are parsed with a depth limit, so the
/// recursion is bounded as serde_json's own is.
pub(crate) fn value(out: &mut Vec<u8>, v: &serde_json::Value) -> std::io::Result<()> {
    use serde_json::Value;
    match v {
        Value::Bool(true) => out.extend_from_slice(b"true"),
        Value::Bool(false) => out.extend_from_slice(b"false"),
        Value::Null => out.extend_from_slice(b"null"),
        Value::String(s) => string(out, s),
        Value::Number(n) => serde_json::to_writer(&mut *out, n)?,
        Value::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                value(out, item)?;
            }
            out.push(b']');
        }
        Value::Object(entries) => {
            out.push(b'{');
            for (i, (k, item)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                string(out, k);
                out.push(b':');
                value(out, item)?;
            }
            out.push(b'}');
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ours(s: &str) -> String {
        let mut out = Vec::new();
        string(&mut out, s);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        // Every ASCII character, alone and at every offset of a word (the
        // eight-byte scan), and text needing no escape at all.
        for c in (0u8..=0x7f).map(char::from) {
            for pad in 0..17 {
                let s = format!("{}{c}{}", "a".repeat(pad), "b".repeat(17 - pad));
                assert_eq!(ours(&s), serde_json::to_string(&s).unwrap(), "{c:?} after {pad}");
            }
        }
        let hostile = [
            "",
            "plain",
            "\"quoted\" \\back\\slash\\",
            "\u{0}\u{1}\u{8}\u{9}\u{a}\u{b}\u{c}\u{d}\u{1f}\u{7f}",
            "line\u{2028}separator\u{2029}paragraph",
            "ünïcödé ✓ 日本語 🦀 \u{10ffff} </script>",
            "\\u0000 \\\" looks escaped",
        ];
        for s in hostile {
            assert_eq!(ours(s), serde_json::to_string(s).unwrap(), "{s:?}");
        }
        // Long text: many words, escapes and multi-byte characters across word boundaries.
        let long: String = (0..5000).map(|i| ["é", "a\"", "🦀", "\\", "\n", "xyz", "\u{2028}", "\u{1}"][i % 8]).collect();
        assert_eq!(ours(&long), serde_json::to_string(&long).unwrap());
        let mut escaped = Vec::new();
        fmt::Write::write_str(&mut Escaping(&mut escaped), &long).unwrap();
        assert_eq!(format!("\"{}\"", String::from_utf8(escaped).unwrap()), serde_json::to_string(&long).unwrap());
    }

    #[test]
    fn a_cached_string_is_the_text_it_is_given() {
        let mut cache = Cached::default();
        let a = String::from("dir/\"a\".json");
        let b = String::from("b.json");
        let mut out = Vec::new();
        for s in [&a, &a, &b, &a, &String::new(), &b] {
            let before = out.len();
            cache.string(&mut out, s);
            assert_eq!(out[before..], *serde_json::to_string(s).unwrap().as_bytes());
        }
    }

    #[test]
    fn integers_and_values_are_written_as_serde_json_writes_them() {
        for n in [0u64, 1, 9, 10, 99, 100, 12345, u64::from(u32::MAX), u64::MAX] {
            let mut out = Vec::new();
            uint(&mut out, n);
            assert_eq!(out, n.to_string().into_bytes());
        }
        let values = serde_json::json!([true, false, null, "x\"y", 1.5, -3, 1e300, u64::MAX, -0.0, {"b": [1, {"a": null, "k\n": {}}], "a": "\u{1}"}, [], [[[]]], {}]);
        for v in values.as_array().unwrap() {
            let mut out = Vec::new();
            value(&mut out, v).unwrap();
            assert_eq!(out, serde_json::to_vec(v).unwrap());
        }
    }
}
