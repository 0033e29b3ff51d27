//! App-wide state shared by context: the current route, derived from
//! `location.hash`, and the one way to change it.

use crate::route::Route;
use leptos::prelude::*;

/// Which page is shown. Kept apart from the route's data so that typing in the
/// search box (which changes the route's filter) does not rebuild the page
/// and steal focus from the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKind {
    /// The start page.
    Home,
    /// Catalog browser.
    Controls,
    /// A control page.
    Control,
    /// 2022 correspondence.
    Mappings,
    /// About.
    About,
    /// Assessment workspace.
    Assess,
    /// Findings table.
    Findings,
    /// Manage assessments.
    Workspaces,
    /// Report of the active assessment.
    Report,
    /// A shared (read-only) report.
    Shared,
    /// Unknown route.
    NotFound,
}

impl PageKind {
    fn of(route: &Route) -> PageKind {
        match route {
            Route::Home => PageKind::Home,
            Route::Controls(_) => PageKind::Controls,
            Route::Control { .. } => PageKind::Control,
            Route::Mappings => PageKind::Mappings,
            Route::About => PageKind::About,
            Route::Assess => PageKind::Assess,
            Route::Findings(_) => PageKind::Findings,
            Route::Workspaces => PageKind::Workspaces,
            Route::Report => PageKind::Report,
            Route::Shared(_) => PageKind::Shared,
            Route::NotFound(_) => PageKind::NotFound,
        }
    }
}

/// The router context: read the route, change it.
#[derive(Clone, Copy)]
pub struct RouterCtx {
    /// Current route.
    pub route: RwSignal<Route>,
    /// Current page kind (changes only when the page changes).
    pub page: Memo<PageKind>,
}

impl RouterCtx {
    /// Build from the current location and listen to `hashchange`.
    pub fn install() -> RouterCtx {
        let route = RwSignal::new(Route::parse(&current_hash()));
        let page = Memo::new(move |_| route.with(PageKind::of));
        let handle = window_event_listener(leptos::ev::hashchange, move |_| {
            route.set(Route::parse(&current_hash()));
        });
        // The listener lives as long as the app (the whole page).
        std::mem::forget(handle);
        let ctx = RouterCtx { route, page };
        provide_context(ctx);
        ctx
    }

    /// Fetch the context provided by `App`.
    pub fn expect() -> RouterCtx {
        expect_context::<RouterCtx>()
    }

    /// Go to `route` (a new history entry).
    pub fn go(&self, route: Route) {
        let _ = window().location().set_hash(&route.to_hash());
        self.route.set(route);
    }

    /// Show `route`, replacing the history entry (used while typing in
    /// filters, so Back leaves the page instead of undoing keystrokes).
    pub fn replace(&self, route: Route) {
        let hash = route.to_hash();
        if let Ok(history) = window().history() {
            let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&hash));
        }
        self.route.set(route);
    }
}

fn current_hash() -> String {
    window().location().hash().unwrap_or_default()
}
