//! Other scanners' check ids that no table maps to a control (and those the
//! user mapped): one row per id, with a searchable list of the catalog's
//! controls to map it to (several allowed) and "Remove mapping". The choice
//! is the assessment's (`Workspace::set_mapping`, remembered per check id);
//! the worker maps the findings again at once (`WsCtx::set_mapping`).
//!
//! **Invariant:** the list comes from the engine (`Workspace::mappable_checks`,
//! `Catalog::search`); the scanner's texts are rendered as text.

use crate::catalog::Filter;
use crate::model::{CheckId, ControlId};
use crate::ui::ws::WsCtx;
use crate::workspace::mapping::ImportedCheck;
use crate::Catalog;
use leptos::prelude::*;
use wasm_bindgen::JsValue;

/// The card listing the assessment's unmapped imported check ids; nothing
/// when there is none.
#[component]
pub fn UnmappedChecks() -> impl IntoView {
    let ctx = WsCtx::expect();
    let checks = Memo::new(move |_| ctx.ws.with(|w| w.active().map(|a| a.mappable_checks()).unwrap_or_default()));
    move || {
        let list = checks.get();
        let unmapped = list.iter().filter(|c| c.mapped.is_empty()).count();
        (!list.is_empty()).then(|| {
            view! {
                <section class="card unmapped" aria-labelledby="unmapped-h" data-testid="unmapped-checks">
                    <h2 id="unmapped-h">"Imported checks without controls"</h2>
                    <p class="muted">{format!(
                        "{unmapped} check id{} of other scanners no mapping table knows: their findings are listed and counted, but under no control. Map a check id to the controls it evidences; the choice is kept in this assessment for every file with that check.",
                        if unmapped == 1 { "" } else { "s" }
                    )}</p>
                    <ul class="unmapped-list">
                        {list.into_iter().map(|c| view! { <UnmappedRow check=c/> }).collect_view()}
                    </ul>
                </section>
            }
        })
    }
}

/// One check id: what it is, its mapping, and the picker.
#[component]
fn UnmappedRow(check: ImportedCheck) -> impl IntoView {
    let ctx = WsCtx::expect();
    let query = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let select = NodeRef::<leptos::html::Select>::new();
    let mapped = StoredValue::new(check.mapped.clone());
    let id = StoredValue::new(check.check.clone());
    let choices = move || {
        let filter = Filter { query: query.get(), ..Filter::default() };
        Catalog::bundled().search(&filter, None).into_iter().map(|h| (h.control.id.clone(), h.control.title)).collect::<Vec<_>>()
    };
    let save = move |controls: Vec<ControlId>| {
        let check: CheckId = id.get_value();
        problem.set(ctx.set_mapping(check, controls).err());
    };
    let on_map = move |_| {
        let Some(el) = select.get() else { return };
        // `selectedOptions`, read as an array of elements (the option values are control ids).
        let options = js_sys::Reflect::get(&el, &JsValue::from_str("selectedOptions")).unwrap_or(JsValue::UNDEFINED);
        let chosen: Vec<ControlId> = js_sys::Array::from(&options)
            .iter()
            .filter_map(|o| js_sys::Reflect::get(&o, &JsValue::from_str("value")).ok()?.as_string())
            .filter_map(|v| v.parse().ok())
            .collect();
        if chosen.is_empty() {
            problem.set(Some("Choose one or more controls first.".into()));
            return;
        }
        save(chosen);
    };
    let search_id = format!("map-q-{}", check.check.as_str().replace(|c: char| !c.is_ascii_alphanumeric(), "-"));
    let list_id = format!("{search_id}-list");
    let counts = format!(
        "{} finding{}, {} failing",
        check.findings,
        if check.findings == 1 { "" } else { "s" },
        check.failing
    );
    let is_mapped = !check.mapped.is_empty();
    view! {
        <li class="unmapped-row" data-testid="unmapped-check" data-check=check.check.to_string() data-mapped=is_mapped.to_string()>
            <div><code>{check.check.to_string()}</code>
                {(!check.title.is_empty()).then(|| view! { " — "<span>{check.title.clone()}</span> })}
                <span class="muted">{format!(" ({}; {counts})", check.tool)}</span></div>
            {is_mapped.then(|| view! {
                <p data-testid="mapping-current">"Mapped to "
                    {check.mapped.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")}
                    " (your mapping)"</p>
            })}
            <div class="mapping-picker">
                <label for=search_id.clone()>"Find controls"</label>
                <input id=search_id type="search" data-testid="mapping-search" placeholder="id or words, e.g. logging"
                    prop:value=move || query.get() on:input=move |ev| query.set(event_target_value(&ev))/>
                <label for=list_id.clone()>"Controls (several allowed)"</label>
                <select id=list_id multiple size="6" data-testid="mapping-controls" node_ref=select>
                    {move || choices().into_iter().map(|(c, title)| {
                        let selected = mapped.with_value(|m| m.contains(&c));
                        view! { <option value=c.to_string() selected=selected>{format!("{c} — {title}")}</option> }
                    }).collect_view()}
                </select>
                <button type="button" data-testid="mapping-save" on:click=on_map>"Map to the selected controls"</button>
                {is_mapped.then(|| view! {
                    <button type="button" data-testid="mapping-remove" on:click=move |_| save(Vec::new())>"Remove mapping"</button>
                })}
            </div>
            {move || problem.get().map(|p| view! { <p class="file-error" role="alert" data-testid="error-banner">{p}</p> })}
        </li>
    }
}
