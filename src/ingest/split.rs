//! The members of a large top-level JSON object, and the elements of one of
//! its lists, found by their brackets and quotes alone, so that their syntax
//! can be checked on several threads at once, each part as it is parsed
//! (`stream`).
//!
//! Nothing here checks syntax inside a value: [`members`] and [`elements`]
//! only cut the text where a JSON parser would, checking the punctuation
//! between the parts (`{`, `:`, `,`, `}`, `[`, `]` and whitespace as JSON
//! defines it). The caller must parse every part as one complete JSON value
//! (`serde_json::from_str`, or a deserializer and its `end`): when every
//! part is one and the punctuation between them is right, the text is the
//! JSON document made of those parts, so the parts are exactly what a
//! parser reading the whole text finds. Whatever does not fit (a part that
//! does not end, a missing comma) gives `None`, and the caller reads the
//! text the ordinary way, which explains the error.

use memchr::memchr2;

/// JSON whitespace (RFC 8259): space, tab, line feed, carriage return.
fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while b.get(i).copied().is_some_and(is_ws) {
        i += 1;
    }
    i
}

/// The end of the string whose opening quote is at `i - 1` (the index after
/// its closing quote).
fn string_end(b: &[u8], mut i: usize) -> Option<usize> {
    loop {
        let at = i + memchr2(b'"', b'\\', b.get(i..)?)?;
        match b.get(at)? {
            b'"' => return Some(at + 1),
            // A backslash and the byte it escapes.
            _ => i = at + 2,
        }
    }
}

/// The end of the value that starts at `i` (not checked, see the module).
fn value_end(b: &[u8], i: usize) -> Option<usize> {
    match *b.get(i)? {
        b'"' => string_end(b, i + 1),
        b'[' | b'{' => {
            let (mut depth, mut j) = (0usize, i);
            loop {
                match *b.get(j)? {
                    b'"' => j = string_end(b, j + 1)?,
                    b'[' | b'{' => {
                        depth += 1;
                        j += 1;
                    }
                    b']' | b'}' => {
                        depth -= 1;
                        j += 1;
                        if depth == 0 {
                            return Some(j);
                        }
                    }
                    _ => j += 1,
                }
            }
        }
        // A number or a literal: up to the next delimiter.
        _ => {
            let mut j = i;
            while b.get(j).is_some_and(|&c| !is_ws(c) && !matches!(c, b',' | b']' | b'}' | b'[' | b'{' | b':' | b'"')) {
                j += 1;
            }
            (j > i).then_some(j)
        }
    }
}

/// The text of each member of the object `text` (nothing but whitespace
/// after it): its key as written (quotes included) and its value.
pub(super) fn members(text: &str) -> Option<Vec<(&str, &str)>> {
    let b = text.as_bytes();
    let mut i = skip_ws(b, 0);
    if b.get(i) != Some(&b'{') {
        return None;
    }
    i = skip_ws(b, i + 1);
    let mut out = Vec::new();
    if b.get(i) == Some(&b'}') {
        i += 1;
    } else {
        loop {
            if b.get(i) != Some(&b'"') {
                return None;
            }
            let key_end = string_end(b, i + 1)?;
            let key = text.get(i..key_end)?;
            i = skip_ws(b, key_end);
            if b.get(i) != Some(&b':') {
                return None;
            }
            i = skip_ws(b, i + 1);
            let end = value_end(b, i)?;
            out.push((key, text.get(i..end)?));
            i = skip_ws(b, end);
            match b.get(i)? {
                b',' => i = skip_ws(b, i + 1),
                b'}' => {
                    i += 1;
                    break;
                }
                _ => return None,
            }
        }
    }
    (skip_ws(b, i) == b.len()).then_some(out)
}

/// The text of each element of the list `text` (a value from [`members`]).
pub(super) fn elements(text: &str) -> Option<Vec<&str>> {
    let b = text.as_bytes();
    if b.first() != Some(&b'[') {
        return None;
    }
    let mut i = skip_ws(b, 1);
    let mut out = Vec::new();
    if b.get(i) == Some(&b']') {
        return (i + 1 == b.len()).then_some(out);
    }
    loop {
        let end = value_end(b, i)?;
        out.push(text.get(i..end)?);
        i = skip_ws(b, end);
        match b.get(i)? {
            b',' => i = skip_ws(b, i + 1),
            b']' => return (i + 1 == b.len()).then_some(out),
            _ => return None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_and_elements_are_cut_where_a_parser_would() {
        let doc = " {\"a\" : [1, {\"x]\":\"}\\\"\"}, \"s\\\\\" ,true] ,\"b\\\"c\":{\"d\":[]},\"e\":-1.5e3 , \"f\":null}\n";
        let m = members(doc).unwrap();
        let keys: Vec<&str> = m.iter().map(|(k, _)| *k).collect();
        assert_eq!(keys, ["\"a\"", "\"b\\\"c\"", "\"e\"", "\"f\""]);
        assert_eq!(m[0].1, "[1, {\"x]\":\"}\\\"\"}, \"s\\\\\" ,true]");
        assert_eq!(m[2].1, "-1.5e3");
        assert_eq!(elements(m[0].1).unwrap(), ["1", "{\"x]\":\"}\\\"\"}", "\"s\\\\\"", "true"]);
        assert_eq!(elements("[ ]").unwrap(), Vec::<&str>::new());
        assert_eq!(members("{}").unwrap(), Vec::<(&str, &str)>::new());
        // Every value a parser finds, in order.
        let v: serde_json::Value = serde_json::from_str(doc).unwrap();
        for (k, text) in &m {
            let key: String = serde_json::from_str(k).unwrap();
            assert_eq!(serde_json::from_str::<serde_json::Value>(text).unwrap(), v[&key], "{key}");
        }
    }

    #[test]
    fn broken_punctuation_is_not_cut() {
        for doc in [
            "", "[]", "{", "{\"a\":1", "{\"a\" 1}", "{\"a\":1,}", "{\"a\":1 \"b\":2}", "{a:1}", "{\"a\":}", "{\"a\":\"open}", "{\"a\":1}x", "{\"a\":[1}",
            "{\"a\":1}}", "{,\"a\":1}",
        ] {
            assert!(members(doc).is_none(), "{doc:?}");
        }
        for list in ["[1,]", "[,1]", "[1 2]", "[1", "[1]]", "[\"a]", "{}", "[1],"] {
            assert!(elements(list).is_none(), "{list:?}");
        }
    }
}
