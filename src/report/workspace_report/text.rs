//! Text helpers shared by the exports: plain-text summaries of Markdown,
//! Markdown escaping of user text, spreadsheet formula neutralisation; and
//! [`fixed`], the page's number formatting.
//!
//! **Invariant:** every piece of user text that reaches a Markdown document
//! goes through [`md_inline`] (or [`md_cell`]), so it renders as the same
//! text and never as HTML, a link, an image or table structure.

use crate::markdown::to_plain_text;

/// The plain text of the first line of `markdown` that has any text (a
/// heading, list item or paragraph line; rules and fences are skipped),
/// whitespace collapsed, cut to `max_chars` characters (ending in `…` when
/// cut). Only that line is parsed, so a 100 KB note costs no more than a
/// short one.
pub fn short_plain_text(markdown: &str, max_chars: usize) -> String {
    let line = markdown
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(50)
        .map(|l| collapse_whitespace(&to_plain_text(l)))
        .find(|t| !t.is_empty())
        .unwrap_or_default();
    if line.chars().count() <= max_chars {
        return line;
    }
    let mut out: String = line.chars().take(max_chars.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// Every run of whitespace (line breaks, tabs, …) as one space, trimmed;
/// other control characters dropped.
pub fn collapse_whitespace(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if c.is_whitespace() {
            space = true;
        } else if c.is_control() {
            continue;
        } else {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    out
}

/// A cell safe to open in a spreadsheet: text starting with `=`, `+`, `-`,
/// `@`, a tab or a carriage return gets a leading `'`, so Excel, LibreOffice
/// and Google Sheets show it as text instead of evaluating it as a formula
/// (OWASP "CSV injection").
pub fn neutralise_formula(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => std::borrow::Cow::Owned(format!("'{cell}")),
        _ => std::borrow::Cow::Borrowed(cell),
    }
}

/// The characters that can open inline markup (escapes, code, emphasis,
/// strikethrough, links and images, autolinks and HTML, entities, table
/// cells, heading closers, math). Block markers (`-`, `+`, `1.`, `>` …) only
/// count at the start of a line, and exports always put their own text there.
const MD_SPECIAL: &[char] = &['\\', '`', '*', '_', '[', ']', '<', '>', '&', '|', '#', '!', '~', '$', '^'];

/// User text as inline Markdown that renders as exactly this text: line
/// breaks become spaces, and every character that could open markup
/// ([`MD_SPECIAL`]) is backslash-escaped.
pub fn md_inline(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in collapse_whitespace(s).chars() {
        if MD_SPECIAL.contains(&c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// [`md_inline`] for a table cell; an empty value shows as `—`.
pub(crate) fn md_cell(s: &str) -> String {
    let t = md_inline(s);
    if t.is_empty() {
        "—".to_string()
    } else {
        t
    }
}

/// User or engine text as one line of CommonMark that reads as exactly this
/// text, escaping only where a character would otherwise start markup, so
/// text without markup comes out unchanged (`aws_security_group.web`, not
/// `aws\_security\_group.web`): for fields that OSCAL types as markup but
/// that tools often show as they are. Line breaks become spaces. Escaped:
/// `` ` ``, `<` and `[` always; `\` before ASCII punctuation; `&` before a
/// letter, digit or `#` (entities); `_` unless between two letters or digits
/// (CommonMark never opens emphasis there); `*` and `~` unless spaces (or the
/// ends) surround them; at the start, `#`, `>`, `-`, `+`, `*` and the `.` or
/// `)` after leading digits (headings, quotes, lists, breaks).
pub fn md_text(s: &str) -> String {
    let line = collapse_whitespace(s);
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len() + 4);
    let digits = chars.iter().take_while(|c| c.is_ascii_digit()).count();
    for (i, &c) in chars.iter().enumerate() {
        let prev = i.checked_sub(1).map(|j| chars[j]);
        let next = chars.get(i + 1).copied();
        let space = |c: Option<char>| c.is_none_or(char::is_whitespace);
        let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
        let escape = match c {
            '`' | '<' | '[' => true,
            '\\' => next.is_some_and(|n| n.is_ascii_punctuation()),
            '&' => next.is_some_and(|n| n.is_ascii_alphanumeric() || n == '#'),
            '_' => !(word(prev) && word(next)),
            '*' | '~' => i == 0 || !(space(prev) && space(next)),
            '#' | '>' | '-' | '+' => i == 0,
            '.' | ')' => i == digits && digits > 0,
            _ => false,
        };
        if escape {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// `x` with `places` decimals (at most 6): `fixed(2.345, 1)` is `"2.3"`,
/// `fixed(1999.6, 0)` is `"2000"`; `"0"` when `x` is not finite or too large.
/// The browser page formats sizes, times and SVG coordinates with it rather
/// than with `{:.1}`: Rust's float formatting would add about 10 KB of code
/// to the page's WebAssembly (docs/benchmarks.md, "Web app: size and time to first render").
pub fn fixed(x: f64, places: u32) -> String {
    let places = places.min(6);
    let scale = 10u64.pow(places);
    let scaled = (x * scale as f64).round();
    if !scaled.is_finite() || scaled.abs() >= 9.0e15 {
        return "0".into();
    }
    let n = scaled as i64;
    let sign = if n < 0 { "-" } else { "" };
    let (whole, frac) = (n.unsigned_abs() / scale, n.unsigned_abs() % scale);
    if places == 0 {
        format!("{sign}{whole}")
    } else {
        format!("{sign}{whole}.{frac:0width$}", width = places as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_point_numbers() {
        assert_eq!(fixed(2.345, 1), "2.3");
        assert_eq!(fixed(0.05, 1), "0.1");
        assert_eq!(fixed(1999.6, 0), "2000");
        assert_eq!(fixed(12.0, 2), "12.00");
        assert_eq!(fixed(-3.25, 1), "-3.3");
        assert_eq!(fixed(-0.01, 1), "0.0");
        assert_eq!(fixed(0.0, 0), "0");
        assert_eq!(fixed(f64::NAN, 1), "0");
        assert_eq!(fixed(1e300, 1), "0");
        assert_eq!(fixed(1.5, 9), "1.500000");
        assert_eq!(fixed(420.0 * 3.0 / 7.0, 1), format!("{:.1}", 420.0 * 3.0 / 7.0));
    }

    #[test]
    fn formulas_are_neutralised() {
        for bad in ["=1+1", "+cmd", "-2", "@SUM(A1)", "\tx", "\rx"] {
            assert!(neutralise_formula(bad).starts_with('\''), "{bad:?}");
        }
        for ok in ["bucket", "", "1-2", " =x"] {
            assert_eq!(neutralise_formula(ok), ok);
        }
    }

    #[test]
    fn short_text_takes_the_first_line() {
        assert_eq!(short_plain_text("# Title\n\nMore *text*", 100), "Title");
        assert_eq!(short_plain_text("\n\n  **Bold** and `code`\nsecond", 100), "Bold and code");
        assert_eq!(short_plain_text("---\n- item one\n- two", 100), "item one");
        assert_eq!(short_plain_text("", 10), "");
        let long = "word ".repeat(100);
        let s = short_plain_text(&long, 20);
        assert_eq!(s.chars().count(), 20);
        assert!(s.ends_with('…'));
        assert_eq!(short_plain_text(&"é".repeat(50_000), 5).chars().count(), 5);
    }

    #[test]
    fn markdown_text_is_left_alone_unless_it_would_be_markup() {
        for plain in [
            "aws_security_group.web",
            "Administrative ports (22, 3389) are not open to the internet",
            "arn:aws:iam::123456789012:role/admin",
            "a * b ~ c",
            "x > y - z + 1",
            "2026-06-01 #3",
        ] {
            assert_eq!(md_text(plain), plain);
        }
        assert_eq!(md_text("_private *bold* `code` <b> [x](y) &amp; a\\*"), "\\_private \\*bold\\* \\`code\\` \\<b> \\[x](y) \\&amp; a\\\\\\*");
        assert_eq!(md_text("# h"), "\\# h");
        assert_eq!(md_text("- item"), "\\- item");
        assert_eq!(md_text("12. item"), "12\\. item");
        assert_eq!(md_text("> quote\nnext"), "\\> quote next");
    }

    /// Every text made of the characters that matter renders, under the
    /// app's Markdown options, as one paragraph of exactly that text.
    #[test]
    fn markdown_text_always_reads_as_the_text() {
        use pulldown_cmark::{Event, Parser, Tag, TagEnd};
        let alphabet: Vec<char> = "a1 _*~`<>[]()!&#;\\|-+.=:/$^".chars().collect();
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..60_000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let len = 1 + (seed % 9) as usize;
            let text: String = (0..len).map(|k| alphabet[((seed >> (k * 5 + 8)) % alphabet.len() as u64) as usize]).collect();
            let want = collapse_whitespace(&text);
            let escaped = md_text(&text);
            let mut got = String::new();
            for ev in Parser::new_ext(&escaped, crate::markdown::options()) {
                match ev {
                    Event::Text(t) => got.push_str(&t),
                    Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph) => {}
                    other => panic!("{text:?} → {escaped:?} gives {other:?}"),
                }
            }
            assert_eq!(got, want, "{text:?} → {escaped:?}");
        }
    }

    #[test]
    fn markdown_escaping_covers_markup() {
        assert_eq!(md_inline("<b>x</b>"), "\\<b\\>x\\</b\\>");
        assert_eq!(md_inline("a|b\nc"), "a\\|b c");
        assert_eq!(md_cell(""), "—");
    }
}
