//! The evidence panel of the selected finding: its status (after decisions,
//! updated as soon as one is recorded), message, resource, the evidence
//! table, the fragment of the uploaded file, remediation, and the decision
//! form. Beside the table on wide screens; a sheet over the page on narrow
//! ones, with a close button. Escape gives the focus back to the row.

use super::decision::DecisionForm;
use super::{check_title, effective_label, Selection};
use crate::checks::RuleSet;
use crate::markdown::render_safe;
use crate::model::{ControlId, Status};
use crate::route::control_href;
use crate::ui::pages::assess::sev_class;
use crate::ui::guidance::{GuidanceCtx, GuidanceNotice};
use crate::ui::ws::{FragmentState, WsCtx};
use leptos::prelude::*;

/// The panel.
#[component]
pub(super) fn EvidencePanel(sel: Selection) -> impl IntoView {
    let ctx = WsCtx::expect();
    let guidance = GuidanceCtx::expect();
    let today = ctx.today;
    // The finding itself does not change when a decision is recorded, so the
    // panel (and the focus inside it) stays; the status line below follows.
    let finding = Memo::new(move |_| {
        let at = sel.selected.get()?;
        ctx.ws.with(|w| w.active().and_then(|a| a.uploads().get(at.0)).and_then(|u| u.findings.get(at.1)).cloned())
    });
    let sheet = move || sel.narrow.get() && sel.open.get() && finding.with(Option::is_some);
    let on_key = move |ev: web_sys::KeyboardEvent| match ev.key().as_str() {
        "Escape" => {
            ev.prevent_default();
            sel.back_to_row();
        }
        // The sheet is modal: Tab cycles inside it.
        "Tab" if sheet() => {
            if let Some(to) = wrap_focus(ev.shift_key()) {
                ev.prevent_default();
                let _ = to.focus();
            }
        }
        _ => {}
    };

    view! {
        <div class="sheet-backdrop" class:visible=sheet aria-hidden="true" on:click=move |_| sel.back_to_row()></div>
        <aside class="evidence card" class:open=sheet data-testid="evidence-panel" aria-labelledby="evidence-title"
            role=move || if sheet() { "dialog" } else { "complementary" } aria-modal=move || sheet().then_some("true")
            on:keydown=on_key>
            {move || {
                let Some(f) = finding.get() else {
                    return view! { <h2 id="evidence-title" class="muted" tabindex="-1">"Select a finding to see its evidence."</h2> }.into_any();
                };
                // The page's rules are heads: their texts come with the guidance asset.
                let rule = RuleSet::bundled_heads().rule(f.check.as_str());
                let check = f.check.clone();
                let file = f.resource.source.file.clone();
                let pointer = f.resource.source.pointer.to_string();
                let line = f.resource.source.line;
                let f_status = f.clone();
                let status_line = move || {
                    ctx.ws.with(|w| w.active().map(|a| effective_label(&f_status, a.decisions(), today))).map(|(eff, label)| {
                        view! { <span class=format!("st st-{}", eff.as_str()) data-testid="evidence-status" data-status=eff.as_str()>{label}</span> }
                    })
                };
                view! {
                    <div class="evidence-head">
                        <h2 id="evidence-title" tabindex="-1">{check_title(&f)}</h2>
                        <button type="button" class="btn btn-small sheet-close" data-testid="evidence-close" on:click=move |_| sel.back_to_row()>
                            "Close"<span class="visually-hidden">" the evidence"</span>
                        </button>
                    </div>
                    <p>{status_line}" · "<span class=sev_class(f.severity)>{f.severity.label()}</span>" · "<code>{f.check.to_string()}</code></p>
                    <p data-testid="evidence-message">{f.message.to_string()}</p>
                    {f.reason.clone().map(|r| view! { <p class="muted">"Why unknown: "{r}</p> })}
                    <p>"Controls: "{f.controls.iter().map(|c: &ControlId| view! { <a href=control_href(c)>{c.to_string()}</a>" " }).collect_view()}</p>
                    <dl class="facts">
                        <dt>"Resource"</dt><dd data-testid="evidence-resource">{f.resource.id.to_string()}</dd>
                        {(!f.resource.name.is_empty() && f.resource.name != f.resource.id).then(|| view! { <dt>"Name"</dt><dd>{f.resource.name.to_string()}</dd> })}
                        <dt>"Type"</dt><dd>{format!("{} ({})", f.resource.native_type, f.resource.kind)}</dd>
                        {f.resource.account.clone().map(|a| view! { <dt>"Account"</dt><dd data-testid="evidence-account">{a.to_string()}</dd> })}
                        <dt>"Source"</dt><dd><code>{format!("{}{}{}", file, if pointer.is_empty() { "" } else { "#" }, pointer)}{line.map(|l| format!(" line {l}")).unwrap_or_default()}</code></dd>
                    </dl>
                    {(f.evidence.is_empty() && !crate::workspace::evidence_kept(f.status)).then(|| view! { <p class="muted">{crate::workspace::EVIDENCE_NOT_KEPT}</p> })}
                    {(!f.evidence.is_empty()).then(|| view! {
                        <div class="evidence-scroll">
                            <table class="evidence-table">
                                <thead><tr><th>"Property"</th><th>"Observed"</th><th>"Expected"</th></tr></thead>
                                <tbody>
                                    {f.evidence.iter().map(|e| view! {
                                        <tr>
                                            <td><code>{e.prop().to_string()}</code>{(!e.pointer.is_empty()).then(|| view! { <br/><code class="muted">{e.pointer.to_string()}</code> })}</td>
                                            <td>
                                                <code>{e.observed.as_ref().map(|v| v.to_string()).unwrap_or_else(|| "absent or unknown".into())}</code>
                                                {e.basis().map(|d| view! {
                                                    <br/><span class="muted" data-testid="evidence-default">{d.note()}</span>" "
                                                    <a href=d.source.clone() rel="noopener noreferrer" target="_blank">"source"</a>
                                                    {d.verified.is_none().then_some(" (not verified)")}
                                                })}
                                            </td>
                                            <td>{e.expected().to_string()}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    })}
                    <div class="fragment">
                        <button type="button" class="btn btn-small" data-testid="show-fragment" on:click=move |_| ctx.request_fragment(&file, &pointer, line)>"Show the file fragment"</button>
                        {move || ctx.fragment.get().map(|s| match s {
                            FragmentState::Loading => view! { <p class="muted">"Loading…"</p> }.into_any(),
                            FragmentState::Missing => view! { <p class="muted">"The file is not in memory (it was assessed in an earlier session; raw uploads are not stored). Drop it again to see the fragment."</p> }.into_any(),
                            FragmentState::Error(e) => view! { <p class="muted">{e}</p> }.into_any(),
                            FragmentState::Text(t, clipped) => view! {
                                <pre class="code" data-testid="evidence-fragment">{t}</pre>
                                {clipped.then(|| view! { <p class="muted">"(clipped)"</p> })}
                            }.into_any(),
                        })}
                    </div>
                    {rule.map(|_| {
                        let check2 = check.clone();
                        view! {
                            <GuidanceNotice/>
                            <details open=f.status == Status::Fail>
                                <summary>"Remediation"</summary>
                                <div class="prose" inner_html=move || guidance.check_texts(&check).map(|t| render_safe(&t.remediation))></div>
                            </details>
                            <details>
                                <summary>"Why it matters"</summary>
                                <div class="prose" inner_html=move || guidance.check_texts(&check2).map(|t| render_safe(&t.rationale))></div>
                            </details>
                        }
                    })}
                    {(f.status == Status::Fail).then(|| view! { <DecisionForm finding=f.clone()/> })}
                }.into_any()
            }}
        </aside>
    }
}

/// The element Tab should move to from the sheet's last focusable element
/// (or Shift+Tab from its first): the other end. `None` when Tab can go its
/// usual way.
fn wrap_focus(backwards: bool) -> Option<web_sys::HtmlElement> {
    use wasm_bindgen::JsCast;
    let doc = document();
    // `querySelectorAll` through JS: the page's web-sys build has no `NodeList`.
    let panel = doc.query_selector("[data-testid=\"evidence-panel\"]").ok()??;
    let query = js_sys::Reflect::get(&panel, &"querySelectorAll".into()).ok()?.dyn_into::<js_sys::Function>().ok()?;
    let list = query.call1(&panel, &":is(a[href], button:not([disabled]), input, select, textarea, summary, [tabindex=\"0\"])".into()).ok()?;
    let items: Vec<web_sys::HtmlElement> = js_sys::Array::from(&list).iter().filter_map(|v| v.dyn_into().ok()).collect();
    let (first, last) = (items.first()?, items.last()?);
    let active = doc.active_element();
    let at = |el: &web_sys::HtmlElement| active.as_ref().is_some_and(|a| a == el.unchecked_ref::<web_sys::Element>());
    let heading = active.as_ref().is_some_and(|a| a.id() == "evidence-title");
    if backwards && (at(first) || heading) {
        Some(last.clone())
    } else if !backwards && at(last) {
        Some(first.clone())
    } else {
        None
    }
}
