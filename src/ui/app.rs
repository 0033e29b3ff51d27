//! Root component: providers, page chrome and the route table.

use super::guidance::GuidanceCtx;
use super::pages::{AboutPage, AssessPage, ControlDetailPage, ControlsPage, FindingsPage, MappingsPage, NotFoundPage, ReportPage, SharedPage, WorkspacesPage};
use super::state::{PageKind, RouterCtx};
use super::ws::{download, WsCtx};
use crate::route::Route;
use crate::Catalog;
use leptos::prelude::*;

/// The whole app.
#[component]
pub fn App() -> impl IntoView {
    let router = RouterCtx::install();
    // First: its request goes out while the rest of the app mounts.
    let guidance = GuidanceCtx::install();
    let ws = WsCtx::install();
    let catalog = Catalog::bundled();

    // The whole window accepts dropped files; the drop zone shows where.
    let dragging = RwSignal::new(false);
    let h1 = window_event_listener(leptos::ev::dragover, move |ev: web_sys::DragEvent| {
        let has_files = ev.data_transfer().map(|d| d.types().includes(&"Files".into(), 0)).unwrap_or(false);
        if has_files {
            ev.prevent_default();
            dragging.set(true);
        }
    });
    let h2 = window_event_listener(leptos::ev::dragleave, move |ev: web_sys::DragEvent| {
        if ev.related_target().is_none() {
            dragging.set(false);
        }
    });
    let h3 = window_event_listener(leptos::ev::drop, move |ev: web_sys::DragEvent| {
        dragging.set(false);
        let Some(dt) = ev.data_transfer() else { return };
        let Some(list) = dt.files() else { return };
        if list.length() == 0 {
            return;
        }
        ev.prevent_default();
        let files: Vec<web_sys::File> = (0..list.length()).filter_map(|i| list.get(i)).collect();
        ws.add_files(files, None);
        if router.page.get_untracked() != PageKind::Assess {
            router.go(Route::Assess);
        }
    });
    std::mem::forget((h1, h2, h3));

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

    // After a navigation the focus moves to the new page's heading (or `main`),
    // so keyboard and screen-reader users start there, not on the link they
    // left. Typing in a search box, which changes only the route's filter, is
    // not a navigation: only a new page kind or a new control page is.
    let landing = Memo::new(move |_| {
        let control = router.route.with(|r| match r {
            Route::Control { id, .. } => Some(id.to_string()),
            _ => None,
        });
        (router.page.get(), control)
    });
    Effect::new(move |prev: Option<(PageKind, Option<String>)>| {
        let now = landing.get();
        if prev.is_some_and(|p| p != now) {
            request_animation_frame(focus_page_heading);
        }
        now
    });

    // A control page belongs to the Controls section of the navigation.
    let nav_class = move |kind: PageKind| {
        move || {
            let page = router.page.get();
            let current = page == kind || (kind == PageKind::Controls && page == PageKind::Control);
            let current = current || (kind == PageKind::Assess && page == PageKind::Workspaces);
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
                <a class=nav_class(PageKind::Assess) href="#/assess" data-testid="nav-assess">"Assess"</a>
                <a class=nav_class(PageKind::Findings) href="#/findings">"Findings"</a>
                <a class=nav_class(PageKind::Report) href="#/report" data-testid="nav-report">"Report"</a>
                <a class=nav_class(PageKind::Controls) href="#/controls">"Controls"</a>
                <a class=nav_class(PageKind::Mappings) href="#/mappings">"2022 mapping"</a>
                <a class=nav_class(PageKind::About) href="#/about">"About"</a>
            </nav>
        </header>
        {move || {
            let text_issues = guidance.ready().map_or(&[][..], |g| g.issues());
            let issues: Vec<_> = catalog.issues().iter().chain(text_issues).collect();
            (!issues.is_empty()).then(|| view! {
                <div class="banner banner-warning" role="alert" data-testid="error-banner">
                    {format!("The bundled catalog has {} problem(s); some guidance may be missing. First: {}", issues.len(), issues[0])}
                </div>
            })
        }}
        <div class="drop-overlay" class:visible=move || dragging.get() aria-hidden="true">
            <div class="drop-overlay-box">"Drop to assess — files stay in this browser"</div>
        </div>
        {move || {
            let errors = ws.errors.get();
            (!errors.is_empty()).then(|| view! {
                <div class="banner banner-warning" role="alert" data-testid="error-banner">
                    <ul>{errors.into_iter().map(|e| view! { <li>{e}</li> }).collect_view()}</ul>
                    {move || ws.backup.get().map(|raw| {
                        let raw2 = raw.clone();
                        view! {
                            <button type="button" class="btn btn-small" data-testid="backup-download" on:click=move |_| {
                                if download("iso27017-backup.json", "application/json", &raw2).is_ok() {
                                    ws.release_backup();
                                }
                            }>"Download the backup"</button>
                            <button type="button" class="btn btn-small" data-testid="backup-discard" on:click=move |_| ws.release_backup()>"Discard it"</button>
                        }
                    })}
                    <button type="button" class="btn btn-small" data-testid="dismiss-errors" on:click=move |_| ws.errors.set(Vec::new())>"Dismiss"</button>
                </div>
            })
        }}
        {move || ws.notice.get().map(|n| view! {
            <div class="banner banner-info" role="status" data-testid="notice-banner">{n}
                " "<button type="button" class="btn btn-small" on:click=move |_| ws.notice.set(None)>"OK"</button></div>
        })}
        <main id="main" tabindex="-1">
            {move || match router.page.get() {
                PageKind::Controls => view! { <ControlsPage/> }.into_any(),
                PageKind::Control => view! { <ControlDetailPage/> }.into_any(),
                PageKind::Mappings => view! { <MappingsPage/> }.into_any(),
                PageKind::About => view! { <AboutPage/> }.into_any(),
                PageKind::Assess => view! { <AssessPage/> }.into_any(),
                PageKind::Findings => view! { <FindingsPage/> }.into_any(),
                PageKind::Workspaces => view! { <WorkspacesPage/> }.into_any(),
                PageKind::Report => view! { <ReportPage/> }.into_any(),
                PageKind::Shared => view! { <SharedPage/> }.into_any(),
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

/// Focus the page's main heading (made focusable by script only), or `main`;
/// without scrolling, so a page that scrolls to a part keeps its place.
fn focus_page_heading() {
    use wasm_bindgen::JsCast;
    let doc = document();
    let target = doc.query_selector("main h1").ok().flatten().or_else(|| doc.get_element_by_id("main"));
    let Some(el) = target.and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok()) else { return };
    if !el.has_attribute("tabindex") {
        let _ = el.set_attribute("tabindex", "-1");
    }
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"preventScroll".into(), &wasm_bindgen::JsValue::TRUE);
    if let Some(focus) = js_sys::Reflect::get(&el, &"focus".into()).ok().and_then(|f| f.dyn_into::<js_sys::Function>().ok()) {
        let _ = focus.call1(&el, &options);
    }
}
