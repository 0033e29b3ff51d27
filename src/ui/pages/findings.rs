//! Every finding of the active assessment: a virtualised table (only the
//! visible rows are in the DOM, so 100,000 findings scroll smoothly), with
//! sort, filter and search, and an evidence panel showing the finding's
//! properties, the fragment of the uploaded file behind it, and the waiver /
//! risk-acceptance form.

use crate::report::workspace_report::fixed;
use crate::checks::{Finding, RuleSet};
use crate::markdown::render_safe;
use crate::model::{ControlId, Severity, Status};
use crate::route::{control_href, Route};
use crate::ui::pages::assess::sev_class;
use crate::ui::state::RouterCtx;
use crate::ui::ws::{now_ms, FragmentState, WsCtx};
use crate::workspace::rollup::{effective, DecisionState};
use crate::workspace::{DecisionKind, FindingDecision, IsoDate};
use leptos::prelude::*;

const ROW_H: f64 = 34.0;
const OVERSCAN: usize = 12;

/// (upload index, finding index) of a finding in the active workspace.
type At = (usize, usize);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SortKey {
    Severity,
    Status,
    Check,
    Resource,
}

fn status_rank(s: Status) -> u8 {
    match s {
        Status::Fail => 0,
        Status::Indeterminate => 1,
        Status::Pass => 2,
        Status::NotApplicable => 3,
    }
}

fn effective_label(f: &Finding, decisions: &[FindingDecision], today: i64) -> (&'static str, &'static str) {
    let e = effective(f, decisions, today);
    match (f.status, e.decision) {
        (Status::Fail, DecisionState::InForce(DecisionKind::Waived)) => ("waived", "Waived"),
        (Status::Fail, DecisionState::InForce(DecisionKind::RiskAccepted)) => ("accepted", "Risk accepted"),
        (Status::Fail, DecisionState::Expired(_)) => ("fail", "Fail (decision expired)"),
        (Status::Fail, _) => ("fail", "Fail"),
        (Status::Indeterminate, _) => ("unknown", "Unknown"),
        (Status::Pass, _) => ("pass", "Pass"),
        (Status::NotApplicable, _) => ("na", "Not applicable"),
    }
}

/// Does `hay` contain `needle` (already lower-case), ignoring case, without
/// allocating for ASCII text (the usual case for resource ids and checks)?
fn contains_ci(hay: &str, needle: &str) -> bool {
    if needle.is_ascii() {
        let (h, n) = (hay.as_bytes(), needle.as_bytes());
        n.is_empty() || h.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n))
    } else {
        hay.to_lowercase().contains(needle)
    }
}

/// The page.
#[component]
pub fn FindingsPage() -> impl IntoView {
    super::set_title("Findings");
    let ctx = WsCtx::expect();
    let router = RouterCtx::expect();
    let today = ctx.today;
    let control = Memo::new(move |_| match router.route.get() {
        Route::Findings(c) => c,
        _ => None,
    });
    let query = RwSignal::new(String::new());
    let status = RwSignal::new(String::from("all"));
    let severity = RwSignal::new(String::from("all"));
    let sort = RwSignal::new((SortKey::Severity, false));
    let selected = RwSignal::new(None::<At>);
    let scroll = RwSignal::new(0.0f64);
    let viewport = RwSignal::new(600.0f64);

    // Filter and sort indices only; rows read the findings in place.
    let rows = Memo::new(move |_| {
        let q = query.get().trim().to_lowercase();
        let st = status.get();
        let sv = severity.get();
        let ctl = control.get();
        let (key, desc) = sort.get();
        ctx.ws.with(|w| {
            let Some(a) = w.active() else { return Vec::new() };
            let mut out: Vec<At> = Vec::new();
            for (ui, u) in a.uploads().iter().enumerate() {
                for (fi, f) in u.findings.iter().enumerate() {
                    if let Some(c) = &ctl {
                        if !f.controls.contains(c) {
                            continue;
                        }
                    }
                    let (eff, _) = effective_label(f, a.decisions(), today);
                    let status_ok = match st.as_str() {
                        "all" => true,
                        "open" => eff == "fail" || eff == "unknown",
                        "decided" => eff == "waived" || eff == "accepted",
                        other => eff == other,
                    };
                    if !status_ok {
                        continue;
                    }
                    if sv != "all" && f.severity.as_str() != sv {
                        continue;
                    }
                    // The message is written out only when the cheaper fields do not match.
                    if !q.is_empty()
                        && !(contains_ci(&f.resource.id, &q)
                            || contains_ci(&f.resource.name, &q)
                            || contains_ci(f.check.as_str(), &q)
                            || contains_ci(&f.message.to_string(), &q))
                    {
                        continue;
                    }
                    out.push((ui, fi));
                }
            }
            let get = |at: &At| &a.uploads()[at.0].findings[at.1];
            out.sort_by(|x, y| {
                let (fx, fy) = (get(x), get(y));
                let ord = match key {
                    SortKey::Severity => fy.severity.cmp(&fx.severity).then(status_rank(fx.status).cmp(&status_rank(fy.status))),
                    SortKey::Status => status_rank(fx.status).cmp(&status_rank(fy.status)).then(fy.severity.cmp(&fx.severity)),
                    SortKey::Check => fx.check.as_str().cmp(fy.check.as_str()),
                    SortKey::Resource => fx.resource.id.cmp(&fy.resource.id),
                };
                let ord = ord.then(fx.resource.id.cmp(&fy.resource.id));
                if desc { ord.reverse() } else { ord }
            });
            out
        })
    });
    let total = move || ctx.ws.with(|w| w.active().map(|a| a.uploads().iter().map(|u| u.findings.len()).sum::<usize>()).unwrap_or(0));

    let window_rows = move || {
        let n = rows.with(Vec::len);
        let first = ((scroll.get() / ROW_H) as usize).saturating_sub(OVERSCAN).min(n);
        let count = (viewport.get() / ROW_H) as usize + 2 * OVERSCAN;
        let last = (first + count).min(n);
        (first, last)
    };
    let header = move |label: &'static str, k: SortKey| {
        let aria = move || {
            let (key, desc) = sort.get();
            if key == k { if desc { "descending" } else { "ascending" } } else { "none" }
        };
        view! {
            <div role="columnheader" aria-sort=aria class="th">
                <button type="button" class="sort" on:click=move |_| sort.update(|s| if s.0 == k { s.1 = !s.1 } else { *s = (k, false) })>
                    {label}{move || { let (key, desc) = sort.get(); if key == k { if desc { " ▲" } else { " ▼" } } else { "" } }}
                </button>
            </div>
        }
    };

    view! {
        <div class="page findings-page">
            <header class="page-head">
                <h1>"Findings"</h1>
                <p class="muted">{move || match control.get() {
                    Some(c) => format!("Findings of control {c}. "),
                    None => String::new(),
                }}
                {move || control.get().map(|_| view! { <a href="#/findings">"Show all findings"</a> })}
                " "<a href="#/assess">"Back to the assessment"</a></p>
            </header>
            <div class="table-tools">
                <label>"Search "<input type="search" data-testid="findings-search" placeholder="resource, check or message"
                    prop:value=move || query.get() on:input=move |ev| { query.set(event_target_value(&ev)); scroll.set(0.0) }/></label>
                <label>"Status "
                    <select data-testid="findings-status" on:change=move |ev| status.set(event_target_value(&ev))>
                        <option value="all">"All"</option>
                        <option value="open">"Failing or unknown"</option>
                        <option value="fail">"Failing"</option>
                        <option value="unknown">"Unknown"</option>
                        <option value="decided">"Waived or accepted"</option>
                        <option value="pass">"Passing"</option>
                    </select>
                </label>
                <label>"Severity "
                    <select data-testid="findings-severity" on:change=move |ev| severity.set(event_target_value(&ev))>
                        <option value="all">"All"</option>
                        {Severity::ALL.iter().rev().map(|s| view! { <option value=s.as_str()>{s.label()}</option> }).collect_view()}
                    </select>
                </label>
                <span class="muted" data-testid="findings-count">{move || format!("{} of {} findings", rows.with(Vec::len), total())}</span>
            </div>
            <div class="findings-layout">
                <div class="vtable" role="table" aria-label="Findings" aria-rowcount=move || rows.with(Vec::len).to_string()>
                    <div class="vrow vhead" role="row">
                        {header("Severity", SortKey::Severity)}
                        {header("Status", SortKey::Status)}
                        {header("Check", SortKey::Check)}
                        {header("Resource", SortKey::Resource)}
                    </div>
                    <div class="vbody" data-testid="findings-scroller"
                        on:scroll=move |ev| {
                            if let Some(el) = ev.target().and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok()) {
                                scroll.set(el.scroll_top() as f64);
                                viewport.set(el.client_height() as f64);
                            }
                        }>
                        <div class="vspacer" style:height=move || format!("{}px", fixed(rows.with(Vec::len) as f64 * ROW_H, 0))>
                            {move || {
                                let (first, last) = window_rows();
                                let slice: Vec<(usize, At)> = rows.with(|r| (first..last).map(|i| (i, r[i])).collect());
                                ctx.ws.with(|w| {
                                    let Some(a) = w.active() else { return Vec::new() };
                                    slice.into_iter().filter_map(|(i, at)| {
                                        let f = a.uploads().get(at.0)?.findings.get(at.1)?;
                                        let (cls, label) = effective_label(f, a.decisions(), today);
                                        let resource = if f.resource.name.is_empty() || f.resource.name == f.resource.id {
                                            f.resource.id.to_string()
                                        } else {
                                            format!("{} ({})", f.resource.id, f.resource.name)
                                        };
                                        Some(view! {
                                            <div class=move || if selected.get() == Some(at) { "vrow selected" } else { "vrow" } role="row" data-testid="finding-row"
                                                data-check=f.check.to_string() data-status=cls aria-rowindex=(i + 2).to_string()
                                                style:top=format!("{}px", fixed(i as f64 * ROW_H, 0)) tabindex="0"
                                                on:click=move |_| { selected.set(Some(at)); ctx.fragment.set(None) }
                                                on:keydown=move |ev| if ev.key() == "Enter" { selected.set(Some(at)); ctx.fragment.set(None) }>
                                                <div role="cell" class=format!("sev {}", sev_class(f.severity))>{f.severity.label()}</div>
                                                <div role="cell" class=format!("st st-{cls}")>{label}</div>
                                                <div role="cell" class="chk" title=f.message.to_string()>{f.check.to_string()}</div>
                                                <div role="cell" class="res" title=resource.clone()>{resource.clone()}</div>
                                            </div>
                                        })
                                    }).collect::<Vec<_>>()
                                })
                            }}
                        </div>
                    </div>
                    {move || (rows.with(Vec::is_empty)).then(|| view! { <p class="muted empty">"No finding matches. Drop exports on the assessment page, or clear the filters."</p> })}
                </div>
                <EvidencePanel selected=selected/>
            </div>
        </div>
    }
}

#[component]
fn EvidencePanel(selected: RwSignal<Option<At>>) -> impl IntoView {
    let ctx = WsCtx::expect();
    let today = ctx.today;
    let reason = RwSignal::new(String::new());
    let kind = RwSignal::new(DecisionKind::Waived);
    let expires = RwSignal::new(String::new());
    let finding = Memo::new(move |_| {
        let at = selected.get()?;
        ctx.ws.with(|w| w.active().and_then(|a| a.uploads().get(at.0)).and_then(|u| u.findings.get(at.1)).cloned())
    });
    move || {
        let Some(f) = finding.get() else {
            return view! { <aside class="evidence card muted" data-testid="evidence-panel">"Select a finding to see its evidence."</aside> }.into_any();
        };
        let rule = RuleSet::bundled().rule(f.check.as_str());
        let decision = ctx.ws.with_untracked(|w| w.active().and_then(|a| a.decision_for(&f).cloned()));
        let (cls, label) = ctx.ws.with_untracked(|w| w.active().map(|a| effective_label(&f, a.decisions(), today)).unwrap_or(("", "")));
        let file = f.resource.source.file.clone();
        let pointer = f.resource.source.pointer.to_string();
        let line = f.resource.source.line;
        let f_decide = f.clone();
        let f_revoke = f.clone();
        view! {
            <aside class="evidence card" data-testid="evidence-panel" aria-live="polite">
                <h2>{rule.map(|r| r.title.clone()).unwrap_or_else(|| f.check.to_string())}</h2>
                <p><span class=format!("st st-{cls}")>{label}</span>" · "<span class=sev_class(f.severity)>{f.severity.label()}</span>" · "<code>{f.check.to_string()}</code></p>
                <p data-testid="evidence-message">{f.message.to_string()}</p>
                {f.reason.clone().map(|r| view! { <p class="muted">"Why unknown: "{r}</p> })}
                <p>"Controls: "{f.controls.iter().map(|c: &ControlId| view! { <a href=control_href(c)>{c.to_string()}</a>" " }).collect_view()}</p>
                <dl class="facts">
                    <dt>"Resource"</dt><dd data-testid="evidence-resource">{f.resource.id.to_string()}</dd>
                    <dt>"Type"</dt><dd>{format!("{} ({})", f.resource.native_type, f.resource.kind)}</dd>
                    <dt>"Source"</dt><dd><code>{format!("{}{}{}", file, if pointer.is_empty() { "" } else { "#" }, pointer)}{line.map(|l| format!(" line {l}")).unwrap_or_default()}</code></dd>
                </dl>
                {(f.evidence.is_empty() && !crate::workspace::evidence_kept(f.status)).then(|| view! { <p class="muted">{crate::workspace::EVIDENCE_NOT_KEPT}</p> })}
                {(!f.evidence.is_empty()).then(|| view! {
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
                {rule.map(|r| view! {
                    <details open=f.status == Status::Fail>
                        <summary>"Remediation"</summary>
                        <div class="prose" inner_html=render_safe(&r.remediation)></div>
                    </details>
                    <details>
                        <summary>"Why it matters"</summary>
                        <div class="prose" inner_html=render_safe(&r.rationale)></div>
                    </details>
                })}
                {(f.status == Status::Fail).then(move || view! {
                    <div class="decision" data-testid="decision-form">
                        <h3>"Accept or waive"</h3>
                        {decision.clone().map(|d| view! {
                            <p data-testid="decision-current">{format!("{}: {}{}", d.kind.label(), d.reason, d.expires.map(|e| format!(" (until {e})")).unwrap_or_default())}</p>
                            <button type="button" class="btn btn-small" on:click=move |_| {
                                ctx.ws.update(|w| { if let Some(a) = w.active_mut() { a.revoke_decision(&f_revoke.check, &f_revoke.resource.id, now_ms()); } });
                            }>"Revoke"</button>
                        })}
                        <label>"Decision "
                            <select on:change=move |ev| kind.set(event_target_value(&ev).parse().unwrap_or(DecisionKind::Waived))>
                                {DecisionKind::ALL.iter().map(|k| view! { <option value=k.as_str()>{k.label()}</option> }).collect_view()}
                            </select>
                        </label>
                        <label>"Reason "<input type="text" data-testid="decision-reason" prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev))/></label>
                        <label>"Expires "<input type="date" data-testid="decision-expires" prop:value=move || expires.get() on:input=move |ev| expires.set(event_target_value(&ev))/></label>
                        <button type="button" class="btn" data-testid="decision-save" disabled=move || reason.with(|r| r.trim().is_empty()) on:click=move |_| {
                            let exp = expires.get_untracked();
                            let expires_on = if exp.is_empty() { None } else {
                                match exp.parse::<IsoDate>() { Ok(d) => Some(d), Err(e) => { ctx.error(format!("Expiry date: {e}")); return; } }
                            };
                            let d = FindingDecision { check: f_decide.check.clone(), resource_id: f_decide.resource.id.to_string(), kind: kind.get_untracked(), reason: reason.get_untracked(), expires: expires_on };
                            ctx.ws.update(|w| { if let Some(a) = w.active_mut() { if let Err(e) = a.decide(d, now_ms()) { ctx.error(e.to_string()); } } });
                            reason.set(String::new());
                        }>"Record decision"</button>
                        <p class="muted">"Until it expires, the finding does not count as failing; from the expiry date it counts again."</p>
                    </div>
                })}
            </aside>
        }.into_any()
    }
}
