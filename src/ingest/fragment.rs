//! The exact part of an uploaded file behind a finding — the evidence view.
//! [`fragment`] takes the file's bytes again and a [`SourceRef`] (a
//! resource's, or an evidence entry's pointer with the resource's line) and
//! returns:
//! - for JSON inputs, the value at `source.pointer` (RFC 6901, `~0`/`~1`
//!   escapes), pretty-printed. The document is walked, not loaded: values
//!   off the path are skipped and the walk stops at the target, so a large
//!   Terraform plan or AWS Config snapshot costs one partial scan and memory
//!   for the target only. Pointers of the stream parsers (plans, Config
//!   snapshots) are into the original document, like every other parser's;
//!   those of recorded API responses (`{"status_code", "data"}`, unwrapped
//!   by detection) are relative to `data`, and are looked up there;
//! - for newline-delimited JSON (GCP Cloud Asset Inventory), the value in
//!   the line `source.line`, the pointer's first token being the asset's
//!   index;
//! - for the JSON form of the IAM credential report, the CSV lines of its
//!   `Content` as below;
//! - for YAML and CSV inputs with a line, the lines around `source.line`
//!   (± [`CONTEXT_LINES`]) with their numbers, the line itself marked `>`;
//!   YAML without a line: the JSON equivalent of the value at the pointer
//!   (first token = document index);
//!
//! clipped to `max_chars` characters, with [`Fragment::clipped`] saying so.
//! Gzip and UTF-16 inputs are decoded first ([`decode`](super::decode)).
//! Line numbers shown are the file's own (parsers count from the first
//! non-blank line; the difference is added back).
//!
//! **Invariant:** never panics; work is bounded by [`Limits`] (input and
//! inflated size, depth) and one pass over the text; every failure is a
//! specific [`FragmentError`].
//!
//! An evidence pointer may name an attribute the export leaves out (the
//! check saw nothing there, or derived a value from its absence): that is
//! [`FragmentError::NotFound`], whose `found` is the nearest parent that
//! exists, to show instead.

use super::{decode, yaml, IngestError, Limits};
use crate::inventory::SourceRef;
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::Value;
use std::cell::RefCell;
use std::fmt;

/// Lines shown before and after `source.line` for YAML and CSV inputs.
pub const CONTEXT_LINES: u32 = 8;

/// Where a fragment was taken from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// The JSON value at this pointer (for YAML: of its JSON equivalent).
    Pointer(String),
    /// Lines `first..=last` of the file (the file's own numbering), around `focus`.
    Lines {
        /// First line shown.
        first: u32,
        /// Last line shown.
        last: u32,
        /// The line the source names.
        focus: u32,
    },
}

/// A part of an uploaded file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fragment {
    /// Pretty JSON, or numbered lines (`> 12 | text` for the focus line,
    /// `  13 | text` for the others).
    pub text: String,
    /// Where it is.
    pub place: Place,
    /// True when `text` was cut to `max_chars` characters.
    pub clipped: bool,
}

/// Why no fragment could be shown. Each message says what went wrong where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FragmentError {
    /// The bytes cannot be decoded (gzip, size, encoding).
    #[error("the file cannot be read: {0}")]
    Unreadable(IngestError),
    /// The pointer is not an RFC 6901 JSON pointer.
    #[error("{pointer:?} is not a JSON pointer: {why}")]
    BadPointer {
        /// The pointer (first 200 characters).
        pointer: String,
        /// What is wrong.
        why: &'static str,
    },
    /// The path leads nowhere in this file.
    #[error("nothing at {pointer:?} in the file (it exists up to {found:?}); was the file changed since it was assessed?")]
    NotFound {
        /// The pointer (first 200 characters).
        pointer: String,
        /// The longest prefix that exists.
        found: String,
    },
    /// JSON expected, but the text is not.
    #[error("the file is not valid JSON (line {line}, column {column}): {message}")]
    NotJson {
        /// Line.
        line: usize,
        /// Column.
        column: usize,
        /// The parser's message.
        message: String,
    },
    /// The line is past the end of the file.
    #[error("line {line} is past the end of the file ({lines} lines); was the file changed since it was assessed?")]
    LineOutOfRange {
        /// The line asked for.
        line: u32,
        /// Lines in the file.
        lines: u32,
    },
    /// A CSV input and a source without a line.
    #[error("this source has no line number, and the file is not JSON or YAML, so there is no place to show")]
    NoLine,
}

/// The part of `bytes` that `source` names, at most `max_chars` characters
/// of it (see the module docs).
pub fn fragment(bytes: &[u8], source: &SourceRef, limits: &Limits, max_chars: usize) -> Result<Fragment, FragmentError> {
    let text = decode(bytes, limits).map_err(FragmentError::Unreadable)?;
    let untrimmed = text.trim_start_matches('\u{feff}');
    let t = untrimmed.trim_start();
    // Parsers number lines from the first non-blank one.
    let lead = untrimmed.get(..untrimmed.len().saturating_sub(t.len())).unwrap_or("");
    let skipped = u32::try_from(lead.matches('\n').count()).unwrap_or(0);
    let source_pointer = source.pointer.text();
    let tokens = parse_pointer(&source_pointer)?;
    let is_json = t.starts_with('{') || t.starts_with('[');
    match (is_json, source.line) {
        (true, Some(line)) if is_ndjson(t) => {
            let (line_text, _) = nth_line(t, line)?;
            let rest = tokens.get(1..).unwrap_or(&[]);
            let v = walk(line_text, rest, &source_pointer, limits)?;
            json_fragment(&v, &source_pointer, max_chars)
        }
        (true, Some(line)) if t.contains("\"Content\"") => {
            // The GetCredentialReport JSON: the CSV is in `Content` (text or
            // base64); `line` is its line there.
            let csv = ["/Content", "/data/Content"]
                .iter()
                .filter_map(|p| parse_pointer(p).ok())
                .find_map(|toks| walk(t, &toks, "", limits).ok())
                .and_then(|v| v.as_str().map(credential_report_text))
                .ok_or_else(|| FragmentError::NotFound { pointer: "/Content".into(), found: String::new() })?;
            lines_fragment(&csv, line, 0, max_chars)
        }
        (true, _) => match walk(t, &tokens, &source_pointer, limits) {
            Ok(v) => json_fragment(&v, &source_pointer, max_chars),
            // Detection unwraps recorded API responses (`{"status_code", "data"}`),
            // so their pointers are relative to `data`.
            Err(FragmentError::NotFound { found, .. }) if found.is_empty() && !tokens.is_empty() => {
                let mut under: Vec<String> = Vec::with_capacity(tokens.len() + 1);
                under.push("data".to_string());
                under.extend(tokens.iter().cloned());
                let pointer = format!("/data{}", source.pointer);
                let v = walk(t, &under, &source_pointer, limits).map_err(|e| match e {
                    FragmentError::NotFound { pointer, .. } => FragmentError::NotFound { pointer, found: String::new() },
                    other => other,
                })?;
                json_fragment(&v, &pointer, max_chars)
            }
            Err(e) => Err(e),
        },
        (false, Some(line)) => lines_fragment(t, line, skipped, max_chars),
        (false, None) if t.starts_with("user,arn,") => Err(FragmentError::NoLine),
        (false, None) => {
            let docs = yaml::load(t, limits).map_err(FragmentError::Unreadable)?;
            let root = Value::Array(docs.into_iter().map(|d| d.value).collect());
            let v = find_owned(root, &tokens, 0, &source_pointer)?;
            json_fragment(&v, &source_pointer, max_chars)
        }
    }
}

/// The CSV of a credential report's `Content`, as the parser reads it.
fn credential_report_text(content: &str) -> String {
    let trimmed = content.trim_start_matches('\u{feff}').trim_start();
    if trimmed.starts_with("user,") || trimmed.contains(",arn,") {
        return trimmed.to_string();
    }
    super::aws_iam::base64_decode(trimmed).and_then(|b| String::from_utf8(b).ok()).unwrap_or_default()
}

/// Is this JSON text several values, one per line?
fn is_ndjson(t: &str) -> bool {
    let mut de = serde_json::Deserializer::from_str(t).into_iter::<IgnoredAny>();
    matches!(de.next(), Some(Ok(_))) && matches!(de.next(), Some(Ok(_)))
}

/// Split an RFC 6901 pointer into its unescaped tokens.
fn parse_pointer(p: &str) -> Result<Vec<String>, FragmentError> {
    if p.is_empty() {
        return Ok(Vec::new());
    }
    let bad = |why| FragmentError::BadPointer { pointer: p.chars().take(200).collect(), why };
    let Some(rest) = p.strip_prefix('/') else { return Err(bad("it must be empty or start with '/'")) };
    rest.split('/')
        .map(|tok| {
            let mut out = String::with_capacity(tok.len());
            let mut chars = tok.chars();
            while let Some(c) = chars.next() {
                match c {
                    '~' => match chars.next() {
                        Some('0') => out.push('~'),
                        Some('1') => out.push('/'),
                        _ => return Err(bad("'~' must be followed by 0 or 1")),
                    },
                    c => out.push(c),
                }
            }
            Ok(out)
        })
        .collect()
}

/// The pointer made of the first `n` tokens (escaped again).
fn prefix(tokens: &[String], n: usize) -> String {
    tokens.iter().take(n).map(|t| format!("/{}", t.replace('~', "~0").replace('/', "~1"))).collect()
}

fn array_index(tok: &str) -> Option<usize> {
    let ok = !tok.is_empty() && tok.bytes().all(|b| b.is_ascii_digit()) && (tok == "0" || !tok.starts_with('0'));
    if ok {
        tok.parse().ok()
    } else {
        None
    }
}

/// The value at `tokens[depth..]` in `v`. A string on the way that holds
/// JSON (AWS Config rule events carry their configuration item as a JSON
/// string; IAM policies may be URL-encoded) is decoded and walked into, as
/// the parsers do.
fn find_owned(mut v: Value, tokens: &[String], depth: usize, pointer: &str) -> Result<Value, FragmentError> {
    for (d, tok) in tokens.iter().enumerate().skip(depth) {
        if v.is_string() {
            v = super::aws_iam::decode_json_value(&v).unwrap_or(Value::Null);
        }
        let next = match v {
            Value::Object(mut m) => m.remove(tok),
            Value::Array(a) => array_index(tok).and_then(|i| a.into_iter().nth(i)),
            _ => None,
        };
        v = next.ok_or_else(|| FragmentError::NotFound { pointer: pointer.chars().take(200).collect(), found: prefix(tokens, d) })?;
    }
    Ok(v)
}

/// The sentinel error that ends the walk once the target is read.
const FOUND: &str = "\u{0}fragment found";

struct Walk<'a> {
    tokens: &'a [String],
    depth: usize,
    state: &'a RefCell<WalkState>,
}

/// What a [`Walk`] found: the deepest level reached, the target once read,
/// and a string met on the way (with its depth), which may hold JSON.
type WalkState = (usize, Option<Value>, Option<(usize, String)>);

impl<'de> DeserializeSeed<'de> for Walk<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        if let Ok(mut s) = self.state.try_borrow_mut() {
            s.0 = s.0.max(self.depth);
        }
        if self.depth >= self.tokens.len() {
            let v = Value::deserialize(d)?;
            if let Ok(mut s) = self.state.try_borrow_mut() {
                s.1 = Some(v);
            }
            return Err(de::Error::custom(FOUND));
        }
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Walk<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let want = self.tokens.get(self.depth).map(String::as_str);
        while let Some(key) = map.next_key::<String>()? {
            if Some(key.as_str()) == want {
                map.next_value_seed(Walk { tokens: self.tokens, depth: self.depth + 1, state: self.state })?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let want = self.tokens.get(self.depth).and_then(|t| array_index(t));
        let mut i = 0usize;
        loop {
            let more = if Some(i) == want {
                seq.next_element_seed(Walk { tokens: self.tokens, depth: self.depth + 1, state: self.state })?.is_some()
            } else {
                seq.next_element::<IgnoredAny>()?.is_some()
            };
            if !more {
                return Ok(());
            }
            i += 1;
        }
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        if let Ok(mut s) = self.state.try_borrow_mut() {
            s.2 = Some((self.depth, v.to_string()));
        }
        Err(de::Error::custom(FOUND))
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
}

/// The value at `tokens` in the JSON text `t`, read without loading the rest.
fn walk(t: &str, tokens: &[String], pointer: &str, limits: &Limits) -> Result<Value, FragmentError> {
    let state = RefCell::new((0usize, None, None));
    let mut de = serde_json::Deserializer::from_str(t);
    let result = Walk { tokens, depth: 0, state: &state }.deserialize(&mut de);
    let (reached, found, embedded) = state.into_inner();
    match (found, result) {
        (Some(v), _) => Ok(v),
        (None, _) if embedded.is_some() => {
            let (depth, text) = embedded.unwrap_or_default();
            find_owned(Value::String(text), tokens, depth, pointer)
        }
        (None, Err(e)) => {
            if e.to_string().contains("recursion limit") {
                return Err(FragmentError::Unreadable(IngestError::TooDeep { limit: limits.max_depth, line: e.line() as u64 }));
            }
            Err(FragmentError::NotJson { line: e.line(), column: e.column(), message: e.to_string().chars().take(200).collect() })
        }
        (None, _) => Err(FragmentError::NotFound {
            pointer: pointer.chars().take(200).collect(),
            found: prefix(tokens, reached.min(tokens.len())),
        }),
    }
}

/// `s` cut to `max` characters.
fn clip(mut s: String, max: usize) -> (String, bool) {
    match s.char_indices().nth(max) {
        Some((i, _)) => {
            s.truncate(i);
            (s, true)
        }
        None => (s, false),
    }
}

/// A buffer that refuses to grow past `cap` bytes (pretty-printing a large
/// value stops there instead of writing it all).
struct Capped {
    buf: Vec<u8>,
    cap: usize,
}

impl std::io::Write for Capped {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        let room = self.cap.saturating_sub(self.buf.len());
        if room == 0 {
            return Err(std::io::Error::other("fragment cap reached"));
        }
        let n = room.min(data.len());
        self.buf.extend_from_slice(data.get(..n).unwrap_or(data));
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn json_fragment(v: &Value, pointer: &str, max_chars: usize) -> Result<Fragment, FragmentError> {
    // A character is at most 4 bytes: this many bytes hold `max_chars` + 1 characters.
    let mut out = Capped { buf: Vec::new(), cap: max_chars.saturating_add(1).saturating_mul(4) };
    let _ = serde_json::to_writer_pretty(&mut out, v);
    let pretty = String::from_utf8_lossy(&out.buf).into_owned();
    let (text, clipped) = clip(pretty, max_chars);
    Ok(Fragment { text, place: Place::Pointer(pointer.to_string()), clipped })
}

/// Line `n` (1-based) of `t` and the number of lines.
fn nth_line(t: &str, n: u32) -> Result<(&str, u32), FragmentError> {
    let count = || u32::try_from(t.lines().count()).unwrap_or(u32::MAX);
    match n.checked_sub(1).and_then(|i| t.lines().nth(i as usize)) {
        Some(l) => Ok((l, count())),
        None => Err(FragmentError::LineOutOfRange { line: n, lines: count() }),
    }
}

fn lines_fragment(t: &str, line: u32, skipped: u32, max_chars: usize) -> Result<Fragment, FragmentError> {
    nth_line(t, line)?;
    let first = line.saturating_sub(CONTEXT_LINES).max(1);
    let last = line.saturating_add(CONTEXT_LINES);
    let mut shown: Vec<(u32, &str)> = Vec::new();
    let mut bytes = 0usize;
    for (i, l) in t.lines().enumerate().skip(first as usize - 1).take((last - first + 1) as usize) {
        shown.push((u32::try_from(i + 1).unwrap_or(u32::MAX), l));
        bytes += l.len();
        if bytes > max_chars.saturating_mul(4) {
            break;
        }
    }
    let shown_last = shown.last().map_or(line, |(n, _)| *n);
    let width = shown_last.saturating_add(skipped).to_string().len();
    let mut out = String::new();
    for (n, l) in shown {
        let mark = if n == line { '>' } else { ' ' };
        out.push_str(&format!("{mark} {:>width$} | {l}\n", n.saturating_add(skipped)));
    }
    let (text, clipped) = clip(out, max_chars);
    Ok(Fragment {
        text,
        place: Place::Lines { first: first.saturating_add(skipped), last: shown_last.saturating_add(skipped), focus: line.saturating_add(skipped) },
        clipped,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn src(pointer: &str, line: Option<u32>) -> SourceRef {
        SourceRef { file: "f".into(), pointer: pointer.into(), line }
    }

    #[test]
    fn json_pointer_with_escapes() {
        let doc = br#"{"a/b": {"m~n": [10, {"x": true}]}, "z": 1}"#;
        let f = fragment(doc, &src("/a~1b/m~0n/1", None), &Limits::default(), 1000).unwrap();
        assert_eq!(f.text, "{\n  \"x\": true\n}");
        assert!(!f.clipped);
        let whole = fragment(doc, &src("", None), &Limits::default(), 5).unwrap();
        assert!(whole.clipped && whole.text.chars().count() == 5);
        let e = fragment(doc, &src("/a~1b/m~0n/7", None), &Limits::default(), 1000).unwrap_err();
        assert_eq!(e, FragmentError::NotFound { pointer: "/a~1b/m~0n/7".into(), found: "/a~1b/m~0n".into() });
        assert!(matches!(fragment(doc, &src("a", None), &Limits::default(), 9), Err(FragmentError::BadPointer { .. })));
        assert!(matches!(fragment(doc, &src("/~2", None), &Limits::default(), 9), Err(FragmentError::BadPointer { .. })));
        assert!(matches!(fragment(doc, &src("/z/0", None), &Limits::default(), 9), Err(FragmentError::NotFound { .. })));
        assert!(matches!(fragment(doc, &src("/a~1b/m~0n/01", None), &Limits::default(), 9), Err(FragmentError::NotFound { .. })));
    }

    #[test]
    fn broken_and_hostile_inputs_are_errors() {
        let l = Limits::default();
        assert!(matches!(fragment(b"{\"a\": [1, 2", &src("/b", None), &l, 9), Err(FragmentError::NotJson { .. })));
        let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        assert!(fragment(deep.as_bytes(), &src("/0/0/0", None), &l, 9).is_err());
        assert!(matches!(fragment(b"\x1f\x8b\x08garbage", &src("", None), &l, 9), Err(FragmentError::Unreadable(_))));
        assert!(matches!(fragment(b"a: 1\nb: 2\n", &src("/0/a", Some(9)), &l, 99), Err(FragmentError::LineOutOfRange { line: 9, lines: 2 })));
        assert!(matches!(fragment(b"a: 1\n", &src("/0/a", Some(0)), &l, 99), Err(FragmentError::LineOutOfRange { .. })));
        assert!(matches!(fragment(b"user,arn,x\nroot,a,b\n", &src("/0", None), &l, 99), Err(FragmentError::NoLine)));
    }

    #[test]
    fn yaml_lines_use_the_files_numbering() {
        let text = b"\n\n# c\nkind: Pod\nmetadata:\n  name: x\n";
        // The parser counts from the first non-blank line: "# c" is line 1.
        let f = fragment(text, &src("/0", Some(2)), &Limits::default(), 1000).unwrap();
        assert_eq!(f.place, Place::Lines { first: 3, last: 6, focus: 4 });
        assert!(f.text.contains("> 4 | kind: Pod"), "{}", f.text);
        let v = fragment(text, &src("/0/metadata", None), &Limits::default(), 1000).unwrap();
        assert_eq!(v.text, "{\n  \"name\": \"x\"\n}");
    }

    #[test]
    fn ndjson_line_then_pointer() {
        let text = b"{\"name\":\"a\",\"v\":1}\n\n{\"name\":\"b\",\"v\":{\"k\":2}}\n";
        let f = fragment(text, &src("/1/v", Some(3)), &Limits::default(), 100).unwrap();
        assert_eq!(f.text, "{\n  \"k\": 2\n}");
    }
}
