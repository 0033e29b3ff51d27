//! The virtualised findings table: only the rows in view (plus a margin) are
//! in the DOM, at fixed heights, so 400,000 findings scroll as smoothly as
//! forty. Rows are keyed, so a row that stays in view keeps its element (and
//! the keyboard focus) while the table scrolls.

use super::{check_source, check_title, effective_label, At, Selection};
use crate::report::workspace_report::fixed;
use crate::ui::pages::assess::sev_class;
use crate::ui::ws::WsCtx;
use leptos::prelude::*;

/// Rows rendered above and below the visible ones.
const OVERSCAN: usize = 8;

/// Row height in CSS pixels: two lines of title plus the check id on wide
/// screens; a card of five or six lines on narrow ones (`style/main.css` lays the
/// cells out to fit).
pub(super) fn row_height(narrow: bool) -> f64 {
    if narrow { 150.0 } else { 64.0 }
}

/// Sortable columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum SortKey {
    /// Failing (decided or not), unknown, passing (then severity).
    Status,
    /// Severity (then status).
    Severity,
    /// Check title.
    Check,
    /// Resource name.
    Resource,
}

fn scroller() -> Option<web_sys::HtmlElement> {
    let el = document().query_selector("[data-testid=\"findings-scroller\"]").ok()??;
    wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el).ok()
}

/// Scroll row `i` into view (no animation) if it is not.
pub(super) fn reveal(i: usize, h: f64, scroll: RwSignal<f64>) {
    let Some(el) = scroller() else { return };
    let top = i as f64 * h;
    let view_h = f64::from(el.client_height());
    let now = f64::from(el.scroll_top());
    let to = if top < now { top } else if top + h > now + view_h { top + h - view_h } else { now };
    if to != now {
        el.set_scroll_top(to as i32);
        // The rows are rendered for the new position before the scroll event arrives.
        scroll.set(to);
    }
}

/// Focus the row of `at` once it is rendered.
pub(super) fn focus_row(at: At) {
    request_animation_frame(move || {
        super::focus_selector(&format!("[data-testid=\"finding-row\"][data-at=\"{}-{}\"]", at.0, at.1));
    });
}

/// The table.
#[component]
pub(super) fn FindingsTable(
    sort: RwSignal<(SortKey, bool)>,
    /// Changes when the search or a filter changes.
    filters: Memo<u64>,
    sel: Selection,
) -> impl IntoView {
    let ctx = WsCtx::expect();
    let today = ctx.today;
    let (rows, scroll) = (sel.rows, sel.scroll);
    let viewport = RwSignal::new(600.0f64);
    let h = Memo::new(move |_| row_height(sel.narrow.get()));
    // DOM sync: a new search, filter or sort shows its first rows (a decision,
    // which also changes the rows, keeps the place).
    Effect::new(move |prev: Option<()>| {
        filters.track();
        sort.track();
        if prev.is_some() {
            if let Some(el) = scroller() {
                el.set_scroll_top(0);
            }
            scroll.set(0.0);
        }
    });

    // The rendered range changes only every row height of scrolling.
    let window = Memo::new(move |_| {
        let n = rows.with(Vec::len);
        let h = h.get();
        let first = ((scroll.get() / h) as usize).saturating_sub(OVERSCAN).min(n);
        let count = (viewport.get() / h).ceil() as usize + 2 * OVERSCAN;
        (first, (first + count).min(n))
    });
    // The one tab stop: the active row when it is rendered, else the first row in view.
    let tab_stop = Memo::new(move |_| {
        let (first, last) = window.get();
        let active = sel.active.get();
        rows.with(|r| {
            let shown = r.get(first..last).unwrap_or(&[]);
            match active {
                Some(at) if shown.contains(&at) => Some(at),
                _ => r.get(((scroll.get() / h.get()).ceil() as usize).min(last.saturating_sub(1))).copied(),
            }
        })
    });
    // Rows are rebuilt when the workspace changes (a decision changes a row's status).
    let revision = Memo::new(move |_| ctx.ws.with(|w| w.active().map(|a| a.modified()).unwrap_or(0)));

    let on_key = move |ev: web_sys::KeyboardEvent| {
        let n = rows.with(Vec::len);
        if n == 0 || ev.alt_key() || ev.ctrl_key() || ev.meta_key() {
            return;
        }
        let current = tab_stop.get_untracked().and_then(|at| rows.with_untracked(|r| r.iter().position(|x| *x == at))).unwrap_or(0);
        let page = ((viewport.get_untracked() / h.get_untracked()) as usize).max(1);
        let to = match ev.key().as_str() {
            "ArrowDown" => (current + 1).min(n - 1),
            "ArrowUp" => current.saturating_sub(1),
            "Home" => 0,
            "End" => n - 1,
            "PageDown" => (current + page).min(n - 1),
            "PageUp" => current.saturating_sub(page),
            "Enter" | " " => {
                ev.prevent_default();
                if let Some(at) = rows.with_untracked(|r| r.get(current).copied()) {
                    sel.open_finding(at);
                }
                return;
            }
            _ => return,
        };
        ev.prevent_default();
        let Some(at) = rows.with_untracked(|r| r.get(to).copied()) else { return };
        sel.active.set(Some(at));
        sel.focus_row(at);
    };

    let header = move |label: &'static str, k: SortKey, class: &'static str| {
        let aria = move || {
            let (key, desc) = sort.get();
            if key == k { if desc { "descending" } else { "ascending" } } else { "none" }
        };
        view! {
            <div role="columnheader" aria-sort=aria class=format!("th {class}")>
                <button type="button" class="sort" on:click=move |_| sort.update(|s| if s.0 == k { s.1 = !s.1 } else { *s = (k, false) })>
                    {label}{move || { let (key, desc) = sort.get(); if key == k { if desc { " ▲" } else { " ▼" } } else { "" } }}
                </button>
            </div>
        }
    };

    view! {
        <div class="vtable" role="table" aria-label="Findings" aria-rowcount=move || (rows.with(Vec::len) + 1).to_string()>
            <div class="vrow vhead" role="row" aria-rowindex="1">
                {header("Check", SortKey::Check, "c-check")}
                {header("Status", SortKey::Status, "c-status")}
                {header("Severity", SortKey::Severity, "c-sev")}
                {header("Resource", SortKey::Resource, "c-res")}
                <div role="columnheader" class="th c-acct">"Account"</div>
                <div role="columnheader" class="th c-file">"File"</div>
            </div>
            <div class="vbody" data-testid="findings-scroller" role="rowgroup"
                on:keydown=on_key
                on:scroll=move |ev| {
                    if let Some(el) = ev.target().and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok()) {
                        scroll.set(f64::from(el.scroll_top()));
                        viewport.set(f64::from(el.client_height()));
                    }
                }>
                <div class="vspacer" style:height=move || format!("{}px", fixed(rows.with(Vec::len) as f64 * h.get(), 0))>
                    <For
                        each=move || {
                            let (first, last) = window.get();
                            let (rev, narrow) = (revision.get(), sel.narrow.get());
                            rows.with(|r| (first..last).filter_map(|i| r.get(i).map(|at| (i, *at, rev, narrow))).collect::<Vec<_>>())
                        }
                        key=|k| *k
                        children=move |(i, at, _, narrow)| {
                            ctx.ws.with_untracked(|w| {
                                let a = w.active()?;
                                let f = a.uploads().get(at.0)?.findings.get(at.1)?;
                                let (eff, label) = effective_label(f, a.decisions(), today);
                                let title = check_title(f);
                                let id = f.resource.id.to_string();
                                let name = (!f.resource.name.is_empty() && f.resource.name != f.resource.id).then(|| f.resource.name.to_string());
                                let account = f.resource.account.as_ref().map(|s| s.to_string());
                                let file = match f.resource.source.line {
                                    Some(l) => format!("{} line {l}", f.resource.source.file),
                                    None => f.resource.source.file.to_string(),
                                };
                                let row_h = row_height(narrow);
                                Some(view! {
                                    <div class="vrow" class:selected=move || sel.selected.get() == Some(at) role="row" data-testid="finding-row"
                                        data-check=f.check.to_string() data-status=eff.as_str() data-at=format!("{}-{}", at.0, at.1)
                                        aria-rowindex=(i + 2).to_string() aria-current=move || (sel.selected.get() == Some(at)).then_some("true")
                                        style:top=format!("{}px", fixed(i as f64 * row_h, 0)) style:height=format!("{}px", fixed(row_h, 0))
                                        tabindex=move || if tab_stop.get() == Some(at) { "0" } else { "-1" }
                                        on:focus=move |_| sel.active.set(Some(at))
                                        on:click=move |_| sel.open_finding(at)>
                                        <div role="cell" class="c-check">
                                            <span class="cell-main" title=title.clone()>{title.clone()}</span>
                                            <code class="cell-sub">{check_source(f)}</code>
                                        </div>
                                        <div role="cell" class="c-status"><span class=format!("st st-{}", eff.as_str())>{label}</span></div>
                                        <div role="cell" class=format!("c-sev sev {}", sev_class(f.severity))>{f.severity.label()}</div>
                                        <div role="cell" class="c-res">
                                            <span class="cell-main" title=id.clone()>{name.clone().unwrap_or_else(|| id.clone())}</span>
                                            {name.is_some().then(|| view! { <span class="cell-sub">{id.clone()}</span> })}
                                        </div>
                                        <div role="cell" class="c-acct">{match account {
                                            Some(a) => view! { <span class="cell-main">{a}</span> }.into_any(),
                                            None => view! { <span class="muted" title="The file does not say">"—"</span> }.into_any(),
                                        }}</div>
                                        <div role="cell" class="c-file"><span class="cell-main" title=file.clone()>{file.clone()}</span></div>
                                    </div>
                                })
                            })
                        }
                    />
                </div>
            </div>
            {move || (rows.with(Vec::is_empty)).then(|| view! { <p class="muted empty">"No finding matches. Drop exports on the assessment page, or clear the filters."</p> })}
        </div>
    }
}
