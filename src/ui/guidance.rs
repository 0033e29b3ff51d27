//! The guidance text on the page. The page's WebAssembly carries the catalog
//! facts and the checks' heads only; the Markdown of the guidance and of the
//! checks' rationale, remediation and control reasons (about 0.2 MB
//! compressed) is the asset `catalog::prose::ASSET_NAME` beside the page, read by the engine
//! (`GuidanceSet::from_asset`) and kept for the session. On a deep link to a
//! control, `public/boot.js` has fetched it along with the app, and it is read
//! before the first render; everywhere else it is requested as the app
//! mounts and read once the first render is done, so no other page waits
//! for it.
//!
//! **Invariant:** only the asset of this build is used (`ASSET_DIGEST`: a copy
//! of another version is fetched again, bypassing caches); pages never wait
//! for the text to lay out a control (parts follow from its kind) and show a
//! loading state or, if the fetch failed, an error with a way to try again;
//! nothing here panics.

use crate::catalog::prose::{digest, CheckTexts, ASSET_DIGEST, ASSET_NAME};
use crate::catalog::GuidanceSet;
use crate::model::CheckId;
use crate::Catalog;
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Where boot.js leaves the bytes it fetched for a deep link.
const PRELOADED: &str = "__iso27017Guidance";

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
    /// Provide the context: the text boot.js fetched, or start fetching it.
    pub fn install() -> GuidanceCtx {
        let ctx = GuidanceCtx { state: RwSignal::new(GuidanceState::Loading) };
        provide_context(ctx);
        match take_preloaded().filter(|b| digest(b) == ASSET_DIGEST) {
            Some(bytes) => ctx.state.set(read(&bytes)),
            None => ctx.load(),
        }
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

    /// The long texts of a check (rationale, remediation, control reasons),
    /// once the asset is read (tracked): the page's rules are heads without
    /// them (`RuleSet::bundled_heads`).
    pub fn check_texts(&self, check: &CheckId) -> Option<&'static CheckTexts> {
        self.ready().and_then(|set| set.check_texts(check.as_str()))
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
            let mut bytes = fetch_bytes(request).await;
            if bytes.as_ref().is_ok_and(|b| digest(b) != ASSET_DIGEST) {
                // Another version's copy, say from a cache after an update.
                let init = web_sys::RequestInit::new();
                init.set_cache(web_sys::RequestCache::Reload);
                bytes = fetch_bytes(window().fetch_with_str_and_init(ASSET_NAME, &init)).await;
            }
            state.set(match bytes {
                Ok(b) if digest(&b) == ASSET_DIGEST => read(&b),
                Ok(_) => GuidanceState::Failed("the server has the guidance file of another version of this app; reload the page".into()),
                Err(e) => GuidanceState::Failed(e),
            });
        });
    }
}

/// The bytes boot.js fetched with the app (a deep link to a control), once.
fn take_preloaded() -> Option<Vec<u8>> {
    let key = JsValue::from_str(PRELOADED);
    let value = js_sys::Reflect::get(&window(), &key).ok()?;
    let _ = js_sys::Reflect::delete_property(&window(), &key);
    value.is_instance_of::<js_sys::ArrayBuffer>().then(|| js_sys::Uint8Array::new(&value).to_vec())
}

/// The state once `bytes` (this build's asset) are read.
fn read(bytes: &[u8]) -> GuidanceState {
    match GuidanceSet::from_asset(bytes, Catalog::bundled()) {
        // Read at most once per session, so leaking gives the pages
        // `&'static` text, like the bundled catalog's.
        Ok(set) => GuidanceState::Ready(Box::leak(Box::new(set))),
        Err(e) => GuidanceState::Failed(e.to_string()),
    }
}

/// The bytes of the response to `request` (a `fetch` of the asset), or why not.
async fn fetch_bytes(request: js_sys::Promise) -> Result<Vec<u8>, String> {
    let fail = |e: JsValue| {
        e.as_string()
            .or_else(|| js_sys::Reflect::get(&e, &"message".into()).ok().and_then(|m| m.as_string()))
            .unwrap_or_else(|| "network error".into())
    };
    let response: web_sys::Response = JsFuture::from(request).await.map_err(fail)?.unchecked_into();
    if !response.ok() {
        return Err(format!("HTTP {} for {ASSET_NAME}", response.status()));
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
