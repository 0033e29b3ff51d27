use crate::catalog::{Filter, Hit};
use crate::route::Route;
use crate::ui::components::{ControlList, FilterPanel};
use crate::ui::guidance::{GuidanceCtx, GuidanceState};
use crate::ui::state::RouterCtx;
use crate::Catalog;
use leptos::prelude::*;

/// The catalog browser: search box, filters, results.
#[component]
pub fn ControlsPage() -> impl IntoView {
    let router = RouterCtx::expect();
    let catalog = Catalog::bundled();
    let filter = Memo::new(move |_| match router.route.get() {
        Route::Controls(f) => f,
        _ => Filter::default(),
    });
    let guidance = GuidanceCtx::expect();
    // Ids, titles and 2022 numbers match at once; guidance text joins the
    // search when it has loaded (this memo then runs again).
    let hits: Memo<Vec<Hit<'static>>> = Memo::new(move |_| {
        let text = guidance.ready();
        filter.with(|f| catalog.search(f, text))
    });
    let on_change = Callback::new(move |f: Filter| router.replace(Route::Controls(f)));
    super::set_title("Controls");

    let count = move || {
        let n = hits.with(Vec::len);
        let total = catalog.controls().len();
        if n == total { format!("{total} controls") } else { format!("{n} of {total} controls") }
    };

    view! {
        <div class="page controls-page">
            <div class="page-head">
                <h1>{format!("{} controls", catalog.edition().standard)}</h1>
                <p class="lede">
                    "The 114 ISO/IEC 27002:2013 controls that ISO/IEC 27017 builds on and its 7 cloud extended controls, "
                    "with our guidance for cloud customers and providers on AWS, Azure and GCP."
                </p>
            </div>
            <div class="search-bar" role="search">
                <label for="search" class="visually-hidden">"Search controls"</label>
                <input id="search" type="search" data-testid="search-input" autocomplete="off" spellcheck="false"
                    placeholder="Search ids, titles, guidance, 2022 numbers (press / to focus)"
                    prop:value=move || filter.with(|f| f.query.clone())
                    on:input=move |ev| {
                        let mut f = filter.get_untracked();
                        f.query = event_target_value(&ev);
                        on_change.run(f);
                    }
                    on:keydown=move |ev| {
                        if ev.key() == "Escape" {
                            let mut f = filter.get_untracked();
                            f.query.clear();
                            on_change.run(f);
                        }
                    }/>
                <p class="result-count" aria-live="polite" data-testid="result-count">{count}</p>
                {move || {
                    let query = filter.with(|f| !f.query.trim().is_empty());
                    match guidance.state() {
                        GuidanceState::Loading if query => Some(view! {
                            <p class="search-scope muted" data-testid="search-scope">"Matching numbers and titles; the guidance text is still loading."</p>
                        }.into_any()),
                        GuidanceState::Failed(_) if query => Some(view! {
                            <p class="search-scope muted" data-testid="search-scope">
                                "The guidance text could not be loaded, so only numbers and titles were searched. "
                                <button type="button" class="btn btn-small" data-testid="guidance-retry" on:click=move |_| guidance.retry()>"Try again"</button>
                            </p>
                        }.into_any()),
                        _ => None,
                    }
                }}
            </div>
            <div class="layout">
                <FilterPanel filter=filter on_change=on_change/>
                <div class="results">
                    <ControlList hits=hits filter=filter/>
                </div>
            </div>
        </div>
    }
}
