use crate::catalog::Guidance;
use leptos::prelude::*;

/// The provider documentation a control's guidance rests on, the date its
/// facts were last checked, and the facts most likely to have changed since.
/// Titles and facts are text nodes; a link is made only from an address the
/// engine accepts ([`crate::catalog::prose::Source::safe_url`]: https on a
/// provider documentation host), and a source with any other address is left
/// out (the lint refuses such sources, so the bundled text has none).
#[component]
pub fn GuidanceSources(
    /// The control's guidance.
    guidance: &'static Guidance,
) -> impl IntoView {
    view! {
        <section class="card part sources" id="part-sources" data-testid="guidance-sources" aria-labelledby="h-sources">
            <h2 id="h-sources">"Sources"</h2>
            <p class="muted" data-testid="last-verified">
                {format!("Facts checked against the providers\u{2019} documentation on {}.", guidance.last_verified)}
            </p>
            <ul class="source-list">
                {guidance.sources.iter().filter_map(|s| s.safe_url().map(|url| (s.title.as_str(), url.to_string()))).map(|(title, url)| view! {
                    <li><a href=url rel="noopener noreferrer" target="_blank">{title}</a></li>
                }).collect_view()}
            </ul>
            <h3>"Most likely to change"</h3>
            <ul class="reverify-list" data-testid="reverify">
                {guidance.reverify.iter().map(|r| view! { <li>{r.as_str()}</li> }).collect_view()}
            </ul>
        </section>
    }
}
