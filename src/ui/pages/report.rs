//! The report: the active assessment's report (with the share link and the
//! exports) and the read-only view of a shared link. Both render the same
//! [`ShareV1`] snapshot, so what the user sees is exactly what a link
//! carries, and the summary block is identical in both.

use crate::catalog::Catalog;
use crate::checks::RuleSet;
use crate::markdown::{render_safe, to_plain_text};
use crate::model::{Responsibility, ServiceModel, Severity};
use crate::route::{control_href, Route, SHARE_PREFIX};
use crate::report::{ExportFormat, Report};
use crate::share::{self, adopt, ShareOptions, ShareV1, ADOPT_NOTE, TARGET_FRAGMENT_LEN};
use crate::ui::components::charts::{StackRow, StackedBars};
use crate::ui::pages::assess::{outcome_class, sev_class, PROVIDERS};
use crate::ui::state::RouterCtx;
use crate::ui::ws::{download, now_ms, WsCtx};
use crate::workspace::{ManualStatus, Outcome};
use leptos::prelude::*;
use std::collections::BTreeMap;

/// The active assessment's report.
#[component]
pub fn ReportPage() -> impl IntoView {
    super::set_title("Report");
    let ctx = WsCtx::expect();
    let today = ctx.today;
    let snapshot = Memo::new(move |_| ctx.ws.with(|w| w.active().map(|a| ShareV1::from_workspace(a, today, &ShareOptions::ALL))));
    let name = move || ctx.ws.with(|w| w.active().map(|a| a.name().to_string()).unwrap_or_default());
    move || match snapshot.get() {
        Some(share) => view! {
            <div class="page report">
                <header class="page-head">
                    <h1>{format!("Report: {}", name())}</h1>
                    <p class="muted no-print">"What a share link carries, and what the exports contain. "
                        <button type="button" class="btn btn-small" data-testid="print-button" on:click=move |_| { let _ = window().print(); }>"Print or save as PDF"</button></p>
                </header>
                <SharePanel/>
                <ExportPanel/>
                <ReportBody share=share/>
            </div>
        }
        .into_any(),
        None => view! { <div class="page narrow"><p>"No assessment is open. "<a href="#/workspaces">"Create one"</a>"."</p></div> }.into_any(),
    }
}

/// A shared link, read-only.
#[component]
pub fn SharedPage() -> impl IntoView {
    super::set_title("Shared report");
    let router = RouterCtx::expect();
    let decoded = Memo::new(move |_| match router.route.get() {
        Route::Shared(payload) => Some(share::decode(&payload).map_err(|e| e.to_string())),
        _ => None,
    });
    move || match decoded.get() {
        Some(Ok(share)) => view! {
            <div class="page report shared">
                <SharedBanner share=share.clone()/>
                <header class="page-head"><h1>"Shared ISO/IEC 27017 assessment report"</h1></header>
                <ExportPanel shared=share.clone()/>
                <ReportBody share=share/>
            </div>
        }
        .into_any(),
        Some(Err(e)) => view! {
            <div class="page narrow">
                <h1>"This share link cannot be opened"</h1>
                <p class="banner banner-warning" role="alert" data-testid="error-banner">{e}</p>
                <p>"Ask the sender for a new link (copy the whole address: links are long). Nothing from the link was shown or stored. "
                    <a href="#/assess">"Open your own assessment"</a></p>
            </div>
        }
        .into_any(),
        None => ().into_any(),
    }
}

#[component]
fn SharedBanner(share: ShareV1) -> impl IntoView {
    let ctx = WsCtx::expect();
    let router = RouterCtx::expect();
    let saved = RwSignal::new(false);
    let mut left_out = Vec::new();
    if !share.included.notes {
        left_out.push("evidence notes".to_string());
    }
    if !share.included.resource_ids {
        left_out.push("resource names".to_string());
    }
    if !share.included.findings {
        left_out.push("finding details".to_string());
    } else if (share.findings.len() as u32) < share.finding_count {
        left_out.push(format!("{} of {} finding summaries (to keep the link short)", share.finding_count as usize - share.findings.len(), share.finding_count));
    }
    let share2 = share.clone();
    view! {
        <div class="banner banner-info shared-banner" role="status" data-testid="shared-banner">
            <p><strong>"Read-only report from a share link."</strong>
                {format!(" Assessed on {}. ", share.date)}
                "Everything shown here was inside the link itself; nothing was sent to or loaded from a server."
                {(!left_out.is_empty()).then(|| format!(" The sender left out: {}.", left_out.join(", ")))}</p>
            <p class="no-print">
                <button type="button" class="btn" data-testid="save-shared" disabled=move || saved.get() on:click=move |_| {
                    let name = if share2.scope.organisation.is_empty() { format!("Shared report of {}", share2.date) } else { format!("{} (shared {})", share2.scope.organisation, share2.date) };
                    let mut result = Ok(());
                    ctx.ws.update(|w| { result = adopt(&share2, w, &name, now_ms()).map(|_| ()); });
                    match result {
                        Ok(()) => { saved.set(true); router.go(Route::Assess); }
                        Err(e) => ctx.error(format!("The report could not be saved as an assessment: {e}")),
                    }
                }>"Save as my assessment"</button>
                " "<span class="muted">{ADOPT_NOTE}</span>
            </p>
        </div>
    }
}

#[component]
fn SharePanel() -> impl IntoView {
    let ctx = WsCtx::expect();
    let notes = RwSignal::new(false);
    let ids = RwSignal::new(false);
    let findings = RwSignal::new(true);
    let link = RwSignal::new(None::<Result<(String, usize, usize, usize), String>>);
    let make = move |_| {
        let opts = ShareOptions { include_notes: notes.get_untracked(), include_resource_ids: ids.get_untracked(), include_findings: findings.get_untracked() };
        let loc = window().location();
        let base = format!("{}{}", loc.origin().unwrap_or_default(), loc.pathname().unwrap_or_default());
        let budget = TARGET_FRAGMENT_LEN.saturating_sub(base.len() + SHARE_PREFIX.len());
        let result = ctx.ws.with_untracked(|w| {
            let Some(a) = w.active() else { return Err("no assessment is open".to_string()) };
            let snapshot = ShareV1::from_workspace(a, ctx.today, &opts);
            share::encode_fitting(&snapshot, budget)
                .map(|f| {
                    let url = format!("{base}{SHARE_PREFIX}{}", f.link);
                    let len = url.len();
                    (url, len, f.findings_kept, f.findings_dropped)
                })
                .map_err(|e| format!("{e}. Leave out the notes and try again."))
        });
        link.set(Some(result));
    };
    view! {
        <section class="card share no-print" aria-labelledby="share-h">
            <h2 id="share-h">"Share as a link"</h2>
            <p class="muted">"The report goes into the link itself, after the #, which browsers never send to a server. Raw uploads are never included. Choose what goes in:"</p>
            <div class="scope-grid">
                <label><input type="checkbox" data-testid="share-include-findings" prop:checked=move || findings.get() on:change=move |ev| { findings.set(event_target_checked(&ev)); link.set(None) }/>" failing and waived findings (summaries)"</label>
                <label><input type="checkbox" data-testid="share-include-ids" prop:checked=move || ids.get() on:change=move |ev| { ids.set(event_target_checked(&ev)); link.set(None) }/>" resource names (otherwise redacted)"</label>
                <label><input type="checkbox" data-testid="share-include-notes" prop:checked=move || notes.get() on:change=move |ev| { notes.set(event_target_checked(&ev)); link.set(None) }/>" evidence notes"</label>
            </div>
            <p><button type="button" class="btn" data-testid="share-button" on:click=make>"Create the link"</button></p>
            {move || link.get().map(|r| match r {
                Ok((url, len, kept, dropped)) => {
                    let url2 = url.clone();
                    view! {
                        <textarea class="share-url" data-testid="share-url" readonly rows="4" aria-label="Share link" prop:value=url></textarea>
                        <p class="muted" data-testid="share-info">{format!("{:.1} KB link.", len as f64 / 1024.0)}
                            {(dropped > 0).then(|| format!(" To stay under {} KB it carries every control result and the {kept} most severe finding summaries; {dropped} less severe ones are counted but left out.", TARGET_FRAGMENT_LEN / 1024))}</p>
                        <button type="button" class="btn btn-small" on:click=move |_| {
                            let _ = window().navigator().clipboard().write_text(&url2);
                        }>"Copy"</button>
                    }.into_any()
                }
                Err(e) => view! { <p class="banner banner-warning" role="alert" data-testid="error-banner">{e}</p> }.into_any(),
            })}
        </section>
    }
}

/// Download buttons: every export of the engine's `Report` (the same code as
/// the CLI's `iso27017 report`). For a shared link, the formats a link can
/// feed (not the re-importable workspace JSON).
#[component]
fn ExportPanel(#[prop(optional)] shared: Option<ShareV1>) -> impl IntoView {
    let ctx = WsCtx::expect();
    let shared = StoredValue::new(shared);
    let formats: Vec<ExportFormat> = ExportFormat::ALL
        .iter()
        .copied()
        .filter(|f| shared.with_value(|s| s.is_none()) || f.available_for_share())
        .collect();
    let export = move |format: ExportFormat| {
        let catalog = Catalog::bundled();
        let rules = RuleSet::bundled();
        let now = now_ms();
        let made = shared.with_value(|s| match s {
            Some(share) => {
                let r = Report::from_share(share, catalog, rules);
                r.export(format, now).map(|t| (r.file_name(format), t))
            }
            None => ctx.ws.with_untracked(|w| {
                w.active().and_then(|a| {
                    let r = Report::from_workspace(a, catalog, rules, ctx.today);
                    r.export(format, now).map(|t| (r.file_name(format), t))
                })
            }),
        });
        match made {
            Some((name, text)) => {
                if let Err(e) = download(&name, format.mime(), &text) {
                    ctx.error(format!("The export could not be offered for download: {e}"));
                }
            }
            None => ctx.error(format!("{} cannot be made from this report.", format.label())),
        }
    };
    view! {
        <section class="card exports no-print" aria-labelledby="exports-h">
            <h2 id="exports-h">"Export"</h2>
            <p class="muted">"Files are made here, in the browser. The CSV files are safe to open in a spreadsheet (cells that look like formulas are neutralised); OSCAL is assessment-results JSON, version 1.1.2."</p>
            <div class="upload-actions">
                {formats.into_iter().map(|f| view! {
                    <button type="button" class="btn" data-testid=format!("export-{}", f.as_str()) on:click=move |_| export(f)>{f.label()}</button>
                }).collect_view()}
            </div>
        </section>
    }
}

/// Outcome buckets in report order.
const BUCKETS: &[(&str, &str)] = &[
    ("o-met", "Met"),
    ("o-partial", "Partially met"),
    ("o-notmet", "Not met"),
    ("o-review", "Needs review"),
    ("o-unassessed", "Not assessed"),
    ("o-na", "Not applicable"),
];

fn bucket_index(o: Outcome) -> usize {
    let class = outcome_class(o);
    BUCKETS.iter().position(|(c, _)| *c == class).unwrap_or(BUCKETS.len() - 1)
}

/// Everything below the header: the same for the original and a shared link.
#[component]
fn ReportBody(share: ShareV1) -> impl IntoView {
    let catalog = Catalog::bundled();
    let rules = RuleSet::bundled();
    let mut overall = [0usize; 6];
    let mut per_clause: BTreeMap<u8, [usize; 6]> = BTreeMap::new();
    for c in &share.controls {
        let b = bucket_index(c.outcome);
        overall[b] += 1;
        per_clause.entry(c.id.clause()).or_default()[b] += 1;
    }
    let total = share.controls.len();
    let assessed = total - overall[3] - overall[4];
    let pct = 100.0 * assessed as f64 / total.max(1) as f64;
    let scope = share.scope.clone();
    let models: Vec<ServiceModel> = if scope.service_models.is_empty() { ServiceModel::ALL.to_vec() } else { scope.service_models.clone() };
    let join = |v: Vec<String>| if v.is_empty() { "not set".to_string() } else { v.join(", ") };
    let roles = join(scope.roles.iter().map(|r| r.label().to_string()).collect());
    let model_text = join(scope.service_models.iter().map(|m| m.label().to_string()).collect());
    let providers = join(scope.providers.iter().map(|p| PROVIDERS.iter().find(|(q, _)| q == p).map(|(_, l)| l.to_string()).unwrap_or_default()).collect());
    let clause_rows: Vec<StackRow> = per_clause
        .iter()
        .map(|(clause, counts)| StackRow {
            label: format!("{clause} {}", catalog.group(&clause.to_string()).map(|g| g.title).unwrap_or("")).chars().take(24).collect(),
            href: None,
            segments: BUCKETS.iter().zip(counts.iter()).map(|((c, l), v)| crate::ui::components::charts::Segment { class: c, label: l, value: *v }).collect(),
        })
        .collect();
    let failing: Vec<_> = share.findings.iter().filter(|f| f.decision.is_none()).cloned().collect();
    let decided: Vec<_> = share.findings.iter().filter(|f| f.decision.is_some()).cloned().collect();
    let top: Vec<_> = failing.iter().take(5).cloned().collect();
    let mut by_check: BTreeMap<(std::cmp::Reverse<Severity>, String), Vec<crate::share::ShareFindingV1>> = BTreeMap::new();
    for f in &failing {
        by_check.entry((std::cmp::Reverse(f.severity), f.check.to_string())).or_default().push(f.clone());
    }
    view! {
        <section class="card report-summary" data-testid="report-summary" aria-labelledby="sum-h">
            <h2 id="sum-h">"Executive summary"</h2>
            <dl class="facts">
                <dt>"Organisation"</dt><dd data-testid="summary-organisation">{if scope.organisation.is_empty() { "not set".to_string() } else { scope.organisation.clone() }}</dd>
                <dt>"Assessment date"</dt><dd data-testid="summary-date">{share.date.clone()}</dd>
                <dt>"Role"</dt><dd>{roles}</dd>
                <dt>"Service models"</dt><dd>{model_text}</dd>
                <dt>"Clouds"</dt><dd>{providers}</dd>
                <dt>"Standard"</dt><dd>{format!("{} ({} controls)", catalog.edition().standard, total)}</dd>
            </dl>
            <div class="summary">
                <div class="stat"><span class="stat-value" data-testid="summary-progress">{format!("{pct:.0} %")}</span><span class="stat-label">"controls assessed"</span></div>
                {BUCKETS.iter().enumerate().map(|(i, (class, label))| view! {
                    <div class="stat"><span class=format!("stat-value {class}-text") data-testid=format!("summary-{}", &class[2..])>{overall[i].to_string()}</span><span class="stat-label">{*label}</span></div>
                }).collect_view()}
                <div class="stat"><span class="stat-value" data-testid="summary-failing">{share.finding_count.to_string()}</span><span class="stat-label">"failing or decided findings"</span></div>
            </div>
            <table class="clause-table">
                <caption class="visually-hidden">"Results by clause"</caption>
                <thead><tr><th scope="col">"Clause"</th>{BUCKETS.iter().map(|(_, l)| view! { <th scope="col">{*l}</th> }).collect_view()}</tr></thead>
                <tbody>
                    {per_clause.iter().map(|(clause, counts)| view! {
                        <tr><th scope="row">{format!("{clause} {}", catalog.group(&clause.to_string()).map(|g| g.title).unwrap_or(""))}</th>
                            {counts.iter().map(|n| view! { <td>{n.to_string()}</td> }).collect_view()}</tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
        <section class="card report-charts">
            <h2>"Charts"</h2>
            <div class="charts"><StackedBars title="Control results by clause".into() rows=clause_rows testid="report-chart-clauses"/></div>
        </section>
        <section class="card top-risks page-break">
            <h2>"Top risks"</h2>
            {if top.is_empty() {
                view! { <p class="muted">{if share.included.findings { "No failing finding." } else { "Finding details were left out of this link." }}</p> }.into_any()
            } else {
                view! { <ol>{top.into_iter().map(|f| view! {
                    <li><span class=sev_class(f.severity)>{f.severity.label()}</span>" — "{f.message.clone()}" "<code>{f.check.to_string()}</code></li>
                }).collect_view()}</ol> }.into_any()
            }}
        </section>
        <section class="card soa page-break" aria-labelledby="soa-h">
            <h2 id="soa-h">"Statement of Applicability"</h2>
            <table class="soa-table" data-testid="soa-table">
                <thead><tr><th scope="col">"Control"</th><th scope="col">"Applicable"</th><th scope="col">"Status"</th><th scope="col">"Result"</th><th scope="col">"Responsibility"</th><th scope="col">"Evidence"</th></tr></thead>
                <tbody>
                    {share.controls.iter().map(|c| {
                        let title = catalog.control(&c.id).map(|x| x.title).unwrap_or("");
                        let [pass, fail, unknown, accepted] = c.counts;
                        let mut evidence = Vec::new();
                        if pass + fail + unknown + accepted > 0 {
                            evidence.push(format!("checks: {pass} pass, {fail} fail{}{}", if unknown > 0 { format!(", {unknown} unknown") } else { String::new() }, if accepted > 0 { format!(", {accepted} accepted") } else { String::new() }));
                        }
                        let plain = to_plain_text(&c.notes_md);
                        if !plain.trim().is_empty() {
                            let short: String = plain.chars().take(160).collect();
                            evidence.push(if plain.chars().count() > 160 { format!("{short}…") } else { short });
                        }
                        view! {
                            <tr data-testid="soa-row" data-control=c.id.to_string()>
                                <th scope="row"><a href=control_href(&c.id)>{c.id.to_string()}</a>" "{title}</th>
                                <td>{match &c.excluded { None => "Yes".to_string(), Some(j) => format!("No — {}", if j.is_empty() { "no justification given" } else { j }) }}</td>
                                <td>{if c.status == ManualStatus::NotAssessed { "—".to_string() } else { c.status.label().to_string() }}</td>
                                <td><span class=format!("outcome {}", outcome_class(c.outcome))>{c.outcome.label()}</span></td>
                                <td>{c.responsibility.map(|r| r.label()).unwrap_or("—")}</td>
                                <td class="evidence-cell">{evidence.join(" · ")}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </section>
        <section class="card report-findings page-break">
            <h2>"Failing findings and remediation"</h2>
            {if by_check.is_empty() {
                view! { <p class="muted">{if share.included.findings { "None." } else { "Finding details were left out of this link." }}</p> }.into_any()
            } else {
                by_check.into_iter().map(|((_, check), fs)| {
                    let rule = rules.rule(&check);
                    view! {
                        <article class="check-block">
                            <h3><span class=sev_class(fs[0].severity)>{fs[0].severity.label()}</span>" "{rule.map(|r| r.title.clone()).unwrap_or_else(|| check.clone())}" "<code>{check.clone()}</code></h3>
                            <p class="muted">{format!("Controls: {}", fs[0].controls.iter().map(|c| c.to_string()).collect::<Vec<_>>().join(", "))}</p>
                            <ul>{fs.iter().map(|f| view! { <li>{f.message.clone()}</li> }).collect_view()}</ul>
                            {rule.map(|r| view! { <div class="prose remediation" inner_html=render_safe(&r.remediation)></div> })}
                        </article>
                    }
                }).collect_view().into_any()
            }}
            {(!decided.is_empty()).then(|| view! {
                <h3>"Waived or accepted"</h3>
                <ul>{decided.iter().map(|f| view! { <li>{format!("{}: {} ", f.decision.map(|d| d.label()).unwrap_or(""), f.message)}<code>{f.check.to_string()}</code></li> }).collect_view()}</ul>
            })}
        </section>
        <section class="card matrix page-break">
            <h2>"Shared responsibility"</h2>
            <p class="muted">"Who carries each control under the chosen service models (our catalog's defaults; the assessment's own choice is in the Statement of Applicability)."</p>
            <table class="matrix-table" data-testid="responsibility-matrix">
                <thead><tr><th scope="col">"Control"</th>{models.iter().map(|m| view! { <th scope="col">{m.label()}</th> }).collect_view()}</tr></thead>
                <tbody>
                    {catalog.controls().iter().map(|c| view! {
                        <tr><th scope="row">{c.id.to_string()}</th>
                            {models.iter().map(|m| {
                                let r = c.responsibility(*m);
                                let class = match r { Some(Responsibility::Csc) => "r-csc", Some(Responsibility::Csp) => "r-csp", Some(Responsibility::Shared) => "r-shared", None => "" };
                                view! { <td class=format!("resp {class}")>{r.map(|r| r.label()).unwrap_or("—")}</td> }
                            }).collect_view()}
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}
