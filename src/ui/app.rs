//! Root component: providers, page chrome and the route table.

use super::pages::{AboutPage, ControlDetailPage, ControlsPage, MappingsPage, NotFoundPage};
use super::state::{PageKind, RouterCtx};
use crate::route::Route;
use crate::Catalog;
use leptos::prelude::*;

/// The whole app.
#[component]
pub fn App() -> impl IntoView {
    let router = RouterCtx::install();
    let catalog = Catalog::bundled();

    // `/` focuses the search box from anywhere, as on most documentation sites.
    let handle = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.key() == "/" && !ev.ctrl_key() && !ev.meta_key() && !ev.alt_key() {
            let typing = document()
                .active_element()
                .map(|el| matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"))
                .unwrap_or(false);
            if !typing {
                ev.prevent_default();
                match document().get_element_by_id("search") {
                    Some(el) => {
                        if let Ok(el) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el) {
                            let _ = el.focus();
                        }
                    }
                    // Not on the catalog page: go there (the search box is its first field).
                    None => router.replace(Route::default()),
                }
            }
        }
    });
    std::mem::forget(handle);

    // A control page belongs to the Controls section of the navigation.
    let nav_class = move |kind: PageKind| {
        move || {
            let page = router.page.get();
            let current = page == kind || (kind == PageKind::Controls && page == PageKind::Control);
            if current { "nav-link active" } else { "nav-link" }
        }
    };

    view! {
        <a class="skip-link" href="#main" on:click=move |ev| {
            ev.prevent_default();
            if let Some(el) = document().get_element_by_id("main") {
                if let Ok(el) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el) {
                    let _ = el.focus();
                }
            }
        }>"Skip to content"</a>
        <header class="site-header">
            <a class="brand" href="#/controls" data-testid="brand">
                <span class="brand-mark" aria-hidden="true">"27017"</span>
                <span class="brand-name">"ISO/IEC 27017 Assessor"</span>
            </a>
            <nav aria-label="Main">
                <a class=nav_class(PageKind::Controls) href="#/controls">"Controls"</a>
                <a class=nav_class(PageKind::Mappings) href="#/mappings">"2022 mapping"</a>
                <a class=nav_class(PageKind::About) href="#/about">"About"</a>
            </nav>
        </header>
        {move || {
            let issues = catalog.issues();
            (!issues.is_empty()).then(|| view! {
                <div class="banner banner-warning" role="alert" data-testid="error-banner">
                    {format!("The bundled catalog has {} problem(s); some guidance may be missing. First: {}", issues.len(), issues[0])}
                </div>
            })
        }}
        <main id="main" tabindex="-1">
            {move || match router.page.get() {
                PageKind::Controls => view! { <ControlsPage/> }.into_any(),
                PageKind::Control => view! { <ControlDetailPage/> }.into_any(),
                PageKind::Mappings => view! { <MappingsPage/> }.into_any(),
                PageKind::About => view! { <AboutPage/> }.into_any(),
                PageKind::NotFound => view! { <NotFoundPage/> }.into_any(),
            }}
        </main>
        <footer class="site-footer">
            <p>
                {format!("{} · {} controls · ", catalog.edition().standard, catalog.controls().len())}
                "Runs entirely in your browser: nothing you do here is sent anywhere. "
                "Guidance is our own writing; control numbers and titles are those of the standard."
            </p>
        </footer>
    }
}
