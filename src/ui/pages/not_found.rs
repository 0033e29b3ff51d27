use crate::route::Route;
use crate::ui::state::RouterCtx;
use leptos::prelude::*;

/// Shown for a link the app does not understand.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    let router = RouterCtx::expect();
    super::set_title("Page not found");
    let what = move || match router.route.get() {
        Route::NotFound(s) => s.chars().take(120).collect::<String>(),
        _ => String::new(),
    };
    view! {
        <div class="page narrow" role="alert" data-testid="error-banner">
            <h1>"Page not found"</h1>
            <p>"This link does not point to a page of the app: " <code>{what}</code></p>
            <p><a href="#/controls">"Browse all controls"</a></p>
        </div>
    }
}
