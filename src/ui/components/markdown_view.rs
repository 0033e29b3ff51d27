use crate::markdown::render_safe;
use leptos::prelude::*;

/// Renders Markdown through the engine's safe renderer (raw HTML escaped,
/// only http(s)/mailto/# links), so the HTML inserted here never carries
/// markup from the source text.
#[component]
pub fn MarkdownView(
    /// Markdown source.
    markdown: &'static str,
    /// Extra CSS class.
    #[prop(optional)]
    class: &'static str,
) -> impl IntoView {
    let html = render_safe(markdown);
    view! { <div class=format!("prose {class}") inner_html=html></div> }
}
