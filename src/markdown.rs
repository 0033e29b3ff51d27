//! Safe Markdown rendering for everything the app shows as formatted text:
//! our bundled guidance today, user-written notes later.
//!
//! **Invariant:** the HTML produced never contains markup that came from the
//! input: raw HTML blocks and inline HTML are emitted as escaped text, images
//! are reduced to their alt text, and links keep their target only for
//! `https:`, `http:`, `mailto:` and in-page `#` fragments.

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};

/// The Markdown dialect of the app: CommonMark with tables and strikethrough.
pub(crate) fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH
}

/// Is `dest` a link target we allow in rendered output?
pub fn is_safe_link(dest: &str) -> bool {
    let d = dest.trim();
    if d.starts_with('#') {
        return true;
    }
    let lower = d.to_ascii_lowercase();
    // Reject anything with control characters or whitespace a browser could strip
    // to reveal a different scheme.
    if d.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return false;
    }
    lower.starts_with("https://") || lower.starts_with("http://") || lower.starts_with("mailto:")
}

/// Render Markdown to HTML that is safe to insert into the page.
pub fn render_safe(markdown: &str) -> String {
    let mut in_unsafe_link = Vec::new();
    let mut in_image = 0usize;
    let events = Parser::new_ext(markdown, options()).filter_map(|ev| match ev {
        Event::Html(html) | Event::InlineHtml(html) => Some(Event::Text(html)),
        Event::Start(Tag::Image { .. }) => {
            in_image += 1;
            None
        }
        Event::End(TagEnd::Image) => {
            in_image = in_image.saturating_sub(1);
            None
        }
        Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
            let safe = is_safe_link(&dest_url);
            in_unsafe_link.push(!safe);
            if safe {
                Some(Event::Start(Tag::Link { link_type, dest_url, title, id }))
            } else {
                None
            }
        }
        Event::End(TagEnd::Link) => match in_unsafe_link.pop() {
            Some(false) => Some(Event::End(TagEnd::Link)),
            _ => None,
        },
        other => Some(other),
    });
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events);
    // Links open outside the app without leaking the page address.
    html.replace("<a href=\"http", "<a rel=\"noopener noreferrer nofollow\" target=\"_blank\" href=\"http")
        .replace("<a href=\"mailto", "<a rel=\"noopener noreferrer nofollow\" href=\"mailto")
}

/// The text of a Markdown document without markup (for search and plain output).
pub fn to_plain_text(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    for ev in Parser::new_ext(markdown, options()) {
        match ev {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::Heading(_) | TagEnd::TableCell) => out.push('\n'),
            Event::Html(h) | Event::InlineHtml(h) => out.push_str(&h),
            _ => {}
        }
    }
    out
}

/// Does the Markdown contain raw HTML (blocks or inline)? Used by the catalog lint:
/// our own guidance must not rely on HTML.
pub fn contains_raw_html(markdown: &str) -> bool {
    Parser::new_ext(markdown, options()).any(|ev| matches!(ev, Event::Html(_) | Event::InlineHtml(_)))
}

/// Every link target in the Markdown (for the catalog lint).
pub fn link_targets(markdown: &str) -> Vec<String> {
    Parser::new_ext(markdown, options())
        .filter_map(|ev| match ev {
            Event::Start(Tag::Link { dest_url, .. }) | Event::Start(Tag::Image { dest_url, .. }) => {
                Some(CowStr::into_string(dest_url))
            }
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_html_is_escaped() {
        let html = render_safe("hi <script>alert(1)</script>\n\n<div onclick=x>block</div>\n");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<div"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
    }

    #[test]
    fn unsafe_links_lose_their_target() {
        for md in [
            "[x](javascript:alert(1))",
            "[x](JaVaScRiPt:alert(1))",
            "[x](data:text/html,hi)",
            "[x](vbscript:x)",
            "<javascript:alert(1)>",
            "[x]( java\tscript:alert(1))",
        ] {
            let html = render_safe(md);
            assert!(!html.to_ascii_lowercase().contains("href=\"javascript"), "{md} -> {html}");
            assert!(!html.contains("href=\"data"), "{md} -> {html}");
            assert!(!html.contains("href=\"vbscript"), "{md} -> {html}");
        }
    }

    #[test]
    fn safe_links_and_formatting_survive() {
        let html = render_safe("**bold** [docs](https://example.org) [me](mailto:a@b.c) [top](#x)\n\n- item\n");
        assert!(html.contains("<strong>bold</strong>"));
        assert!(html.contains("href=\"https://example.org\""));
        assert!(html.contains("rel=\"noopener noreferrer nofollow\""));
        assert!(html.contains("href=\"mailto:a@b.c\""));
        assert!(html.contains("href=\"#x\""));
        assert!(html.contains("<li>item</li>"));
    }

    #[test]
    fn images_become_text() {
        let html = render_safe("![alt text](https://tracker.example/p.gif)");
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("alt text"));
    }

    #[test]
    fn plain_text_strips_markup() {
        assert_eq!(to_plain_text("**a** `b`").trim(), "a b");
        assert!(contains_raw_html("x <b>y</b>"));
        assert!(!contains_raw_html("x **y**"));
    }
}
