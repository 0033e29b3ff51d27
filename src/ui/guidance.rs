//! The guidance text on the page. The page's WebAssembly carries the catalog
//! facts only; the Markdown of the guidance (about 0.1 MB compressed) is the
//! asset `catalog::prose::ASSET_NAME`, requested from the app's own origin as
//! the app mounts (its first render never waits for it), read by the engine
//! (`GuidanceSet::from_asset`) once the first render is done, and kept for
//! the session. A deep link to a control therefore shows the control's facts
//! in the first render and its text a frame or two later.
//!
//! **Invariant:** pages never wait for the text to lay out a control (parts
//! follow from its kind) and show a loading state or, if the fetch failed,
//! an error with a way to try again; nothing here panics.

use crate::catalog::prose::ASSET_NAME;
use crate::catalog::GuidanceSet;
use crate::Catalog;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Where the guidance text is.
#[derive(Debug, Clone)]
pub enum GuidanceState {
    /// Being fetched.
    Loading,
    /// Read (kept for the whole session, hence `'static`).
    Ready(&'static GuidanceSet),
    /// The fetch or the reading failed; the detail says why.
    Failed(String),
}

/// The guidance context: the text's state and a way to retry.
#[derive(Clone, Copy)]
pub struct GuidanceCtx {
    state: RwSignal<GuidanceState>,
}

impl GuidanceCtx {
    /// Provide the context and start fetching the text.
    pub fn install() -> GuidanceCtx {
        let ctx = GuidanceCtx { state: RwSignal::new(GuidanceState::Loading) };
        provide_context(ctx);
        ctx.load();
        ctx
    }

    /// Fetch the context provided by `App`.
    pub fn expect() -> GuidanceCtx {
        expect_context::<GuidanceCtx>()
    }

    /// The current state (tracked).
    pub fn state(&self) -> GuidanceState {
        self.state.get()
    }

    /// The text, once read (tracked).
    pub fn ready(&self) -> Option<&'static GuidanceSet> {
        match self.state.get() {
            GuidanceState::Ready(set) => Some(set),
            _ => None,
        }
    }

    /// Fetch again after a failure.
    pub fn retry(&self) {
        if matches!(self.state.get_untracked(), GuidanceState::Failed(_)) {
            self.state.set(GuidanceState::Loading);
            self.load();
        }
    }

    fn load(&self) {
        let state = self.state;
        // The request goes out now, while the app is still mounting, rather
        // than when the task below first runs (after the first render).
        let request = window().fetch_with_str(ASSET_NAME);
        leptos::task::spawn_local(async move {
            let read = match fetch_bytes(request, ASSET_NAME).await {
                Ok(bytes) => GuidanceSet::from_asset(&bytes, Catalog::bundled()).map_err(|e| e.to_string()),
                Err(e) => Err(e),
            };
            // Read at most once per session, so leaking gives the pages
            // `&'static` text, like the bundled catalog's.
            state.set(match read {
                Ok(set) => GuidanceState::Ready(Box::leak(Box::new(set))),
                Err(e) => GuidanceState::Failed(e),
            });
        });
    }
}

/// The bytes of the response to `request` (a `fetch` of `url`), or why not.
async fn fetch_bytes(request: js_sys::Promise, url: &str) -> Result<Vec<u8>, String> {
    let fail = |e: wasm_bindgen::JsValue| {
        e.as_string()
            .or_else(|| js_sys::Reflect::get(&e, &"message".into()).ok().and_then(|m| m.as_string()))
            .unwrap_or_else(|| "network error".into())
    };
    let response: web_sys::Response = JsFuture::from(request).await.map_err(fail)?.unchecked_into();
    if !response.ok() {
        return Err(format!("HTTP {} for {url}", response.status()));
    }
    let buffer = JsFuture::from(response.array_buffer().map_err(fail)?).await.map_err(fail)?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// What a page shows in place of guidance text that is not there: a loading
/// line, or the error with a button to try again. Nothing once it is read.
#[component]
pub fn GuidanceNotice() -> impl IntoView {
    let ctx = GuidanceCtx::expect();
    move || match ctx.state() {
        GuidanceState::Ready(_) => ().into_any(),
        GuidanceState::Loading => view! {
            <p class="guidance-loading muted" role="status" data-testid="guidance-loading">"Loading the guidance text…"</p>
        }
        .into_any(),
        GuidanceState::Failed(detail) => view! {
            <div class="banner banner-warning" role="alert" data-testid="error-banner">
                <p data-testid="guidance-error">
                    {format!("The guidance text could not be loaded ({detail}). The control's number, title, mapping and responsibility are shown above and beside; the rest needs the text.")}
                </p>
                <button type="button" class="btn btn-small" data-testid="guidance-retry" on:click=move |_| ctx.retry()>"Try again"</button>
            </div>
        }
        .into_any(),
    }
}
