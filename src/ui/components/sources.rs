use crate::catalog::Guidance;
use leptos::prelude::*;

/// The provider documentation a control's guidance rests on, the date its
/// facts were last checked, and the facts most likely to have changed since.
/// Titles and facts are text nodes; a link is made only from an address the
/// engine accepts ([`crate::catalog::prose::Source::safe_url`]: https on a
/// provider documentation host), any other address is shown as plain text.
#[component]
pub fn GuidanceSources(
    /// The control's guidance.
    guidance: &'static Guidance,
) -> impl IntoView {
    view! {
        <section class="card part sources" id="part-sources" data-testid="guidance-sources" aria-labelledby="h-sources">
            <h2 id="h-sources">"Sources"</h2>
            <p class="muted" data-testid="last-verified">
                "Facts checked against the providers\u{2019} documentation on "
                <time datetime=guidance.last_verified.as_str()>{guidance.last_verified.as_str()}</time>"."
            </p>
            <ul class="source-list">
                {guidance.sources.iter().map(|s| match s.safe_url() {
                    Some(url) => view! {
                        <li><a href=url target="_blank" rel="noopener noreferrer external">{s.title.as_str()}</a></li>
                    }.into_any(),
                    None => view! { <li>{s.title.as_str()}" ("{s.url.as_str()}")"</li> }.into_any(),
                }).collect_view()}
            </ul>
            <h3>"Most likely to change"</h3>
            <ul class="reverify-list" data-testid="reverify">
                {guidance.reverify.iter().map(|r| view! { <li>{r.as_str()}</li> }).collect_view()}
            </ul>
        </section>
    }
}
