//! The report: the active assessment's report (with the share link and the
//! exports) and the read-only view of a shared link. Both render the same
//! [`ShareV1`] snapshot, so what the user sees is exactly what a link
//! carries, and the summary block is identical in both.

use crate::report::workspace_report::fixed;
use crate::catalog::Catalog;
use crate::checks::RuleSet;
use crate::markdown::render_safe;
use crate::model::{ControlId, Responsibility, Severity};
use crate::route::{control_href, Route, SHARE_PREFIX};
use crate::report::workspace_report::{Carried, OutcomeCounts, ReportSource, SoaApplicability};
use crate::report::{ExportFormat, Report};
use crate::share::{self, adopt, ShareOptions, ShareV1, ADOPT_NOTE, TARGET_FRAGMENT_LEN};
use crate::ui::components::charts::{Segment, StackRow, StackedBars};
use crate::ui::pages::assess::{outcome_class, sev_class, PROVIDERS};
use crate::ui::guidance::GuidanceCtx;
use crate::ui::state::RouterCtx;
use crate::ui::ws::{download, now_ms, ExportInput, WsCtx};
use crate::workspace::ManualStatus;
use leptos::prelude::*;

/// The active assessment's report.
#[component]
pub fn ReportPage() -> impl IntoView {
    super::set_title("Report");
    let ctx = WsCtx::expect();
    let today = ctx.today;
    let name = move || ctx.ws.with(|w| w.active().map(|a| a.name().to_string()).unwrap_or_default());
    move || match ctx.ws.with(|w| w.active().map(|a| report_body(&Report::from_workspace(a, Catalog::bundled(), RuleSet::bundled_heads(), today)))) {
        Some(body) => view! {
            <div class="page report">
                <header class="page-head">
                    <h1>{format!("Report: {}", name())}</h1>
                    <p class="muted no-print">"What a share link carries, and what the exports contain. "
                        <button type="button" class="btn btn-small" data-testid="print-button" on:click=move |_| { let _ = window().print(); }>"Print or save as PDF"</button></p>
                </header>
                <SharePanel/>
                <ExportPanel/>
                {body}
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
                <ExportPanel shared=match router.route.get_untracked() { Route::Shared(payload) => payload, _ => String::new() }/>
                {report_body(&Report::from_share(&share, Catalog::bundled(), RuleSet::bundled_heads()))}
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
    let making = RwSignal::new(false);
    // The page builds the report the link carries; the worker compresses it.
    let make = move |_| {
        if making.get_untracked() {
            return;
        }
        let opts = ShareOptions { include_notes: notes.get_untracked(), include_resource_ids: ids.get_untracked(), include_findings: findings.get_untracked() };
        let loc = window().location();
        let base = format!("{}{}", loc.origin().unwrap_or_default(), loc.pathname().unwrap_or_default());
        let budget = TARGET_FRAGMENT_LEN.saturating_sub(base.len() + SHARE_PREFIX.len());
        let snapshot = ctx.ws.with_untracked(|w| {
            let a = w.active().ok_or_else(|| "no assessment is open".to_string())?;
            serde_json::to_string(&ShareV1::from_workspace(a, ctx.today, &opts)).map_err(|e| e.to_string())
        });
        let json = match snapshot {
            Ok(json) => json,
            Err(e) => return link.set(Some(Err(e))),
        };
        link.set(None);
        making.set(true);
        ctx.share_link_in_worker(json, budget, move |made| {
            making.set(false);
            link.set(Some(
                made.map(|m| {
                    let url = format!("{base}{SHARE_PREFIX}{}", m.payload);
                    let len = url.len();
                    (url, len, m.kept, m.dropped)
                })
                .map_err(|e| format!("{e}. Leave out the notes and try again.")),
            ));
        });
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
            <p><button type="button" class="btn" data-testid="share-button" disabled=move || making.get() on:click=make>"Create the link"</button>
                {move || making.get().then(|| view! { " "<span class="muted" role="status">"Making the link…"</span> })}</p>
            {move || link.get().map(|r| match r {
                Ok((url, len, kept, dropped)) => {
                    let url2 = url.clone();
                    view! {
                        <textarea class="share-url" data-testid="share-url" readonly rows="4" aria-label="Share link" prop:value=url></textarea>
                        <p class="muted" data-testid="share-info">{format!("{} KB link.", fixed(len as f64 / 1024.0, 1))}
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
/// the CLI's `iso27017 report`). The assessment's own JSON is written here;
/// the other files are made by the worker (`report::export_from`), from that
/// JSON or from the link, so the page's module carries no writer for them.
/// For a shared link (`shared`: its payload), the formats a link can feed
/// (not the re-importable workspace JSON).
#[component]
fn ExportPanel(#[prop(optional, into)] shared: Option<String>) -> impl IntoView {
    let ctx = WsCtx::expect();
    let shared = StoredValue::new(shared);
    let making = RwSignal::new(None::<ExportFormat>);
    let formats: Vec<ExportFormat> = ExportFormat::ALL
        .iter()
        .copied()
        .filter(|f| shared.with_value(|s| s.is_none()) || f.available_for_share())
        .collect();
    let offer = move |format: ExportFormat, made: Result<(String, String), String>| match made {
        Ok((name, text)) => {
            if let Err(e) = download(&name, format.mime(), &text) {
                ctx.error(format!("The export could not be offered for download: {e}"));
            }
        }
        Err(e) => ctx.error(format!("{} could not be made: {e}.", format.label())),
    };
    let export = move |format: ExportFormat| {
        if making.get_untracked().is_some() {
            return;
        }
        let input = match shared.get_value() {
            Some(payload) => ExportInput::ShareLink(payload),
            None => {
                let Some(json) = ctx.ws.with_untracked(|w| w.active().map(crate::workspace::export_workspace)) else {
                    return offer(format, Err("no assessment is open".into()));
                };
                if format == ExportFormat::Json {
                    let name = ctx.ws.with_untracked(|w| {
                        w.active().map(|a| Report::from_workspace(a, Catalog::bundled(), RuleSet::bundled_heads(), ctx.today).file_name(format))
                    });
                    return offer(format, Ok((name.unwrap_or_default(), json)));
                }
                ExportInput::Workspace(json)
            }
        };
        making.set(Some(format));
        ctx.export_in_worker(format, input, move |made| {
            making.set(None);
            offer(format, made);
        });
    };
    view! {
        <section class="card exports no-print" aria-labelledby="exports-h">
            <h2 id="exports-h">"Export"</h2>
            <p class="muted">"Files are made here, in the browser. The CSV files are safe to open in a spreadsheet (cells that look like formulas are neutralised); OSCAL is assessment-results JSON, version 1.1.2. The interview checklist lists the audit questions of every applicable control, with blank answer and evidence columns, and the evidence to ask for."</p>
            <div class="upload-actions">
                {formats.into_iter().map(|f| view! {
                    <button type="button" class="btn" data-testid=format!("export-{}", f.as_str()) disabled=move || making.get().is_some() on:click=move |_| export(f)>{f.label()}</button>
                }).collect_view()}
            </div>
            {move || making.get().map(|f| view! {
                <p class="muted" role="status" data-testid="export-status">{format!("Making the {} file…", f.label())}</p>
            })}
        </section>
    }
}

/// Outcome buckets in report order (chart and clause table).
const BUCKETS: &[(&str, &str)] = &[
    ("o-met", "Met"),
    ("o-partial", "Partially met"),
    ("o-notmet", "Not met"),
    ("o-review", "Needs review"),
    ("o-unassessed", "Not assessed"),
    ("o-na", "Not applicable"),
];

fn buckets(counts: &OutcomeCounts) -> [usize; 6] {
    let mut out = [0usize; 6];
    for (o, n) in counts.iter() {
        let class = outcome_class(o);
        let i = BUCKETS.iter().position(|(c, _)| *c == class).unwrap_or(BUCKETS.len() - 1);
        out[i] += n;
    }
    out
}

fn absent<T: ToString>(c: Carried<T>, missing: &str) -> String {
    match c {
        Carried::Present(v) => v.to_string(),
        Carried::Absent => missing.to_string(),
    }
}

/// Everything below the header, from the engine's [`Report`] (the same one
/// the exports use): the same for the original and a shared link, which
/// marks what a link does not carry.
fn report_body(r: &Report<'_>) -> AnyView {
    let guidance = GuidanceCtx::expect();
    let s = &r.summary;
    let join = |v: Vec<String>| if v.is_empty() { "not set".to_string() } else { v.join(", ") };
    let roles = join(s.roles.iter().map(|x| x.label().to_string()).collect());
    let models = join(s.service_models.iter().map(|m| m.label().to_string()).collect());
    let providers = join(s.providers.iter().map(|p| PROVIDERS.iter().find(|(q, _)| q == p).map(|(_, l)| l.to_string()).unwrap_or_default()).collect());
    let overall = buckets(&s.outcomes);
    let clause_rows: Vec<StackRow> = s
        .clauses
        .iter()
        .map(|c| StackRow {
            label: format!("{} {}", c.clause, c.title),
            segments: BUCKETS.iter().zip(buckets(&c.outcomes)).map(|((class, label), v)| Segment { class, label, value: v }).collect(),
        })
        .collect();
    let clause_table: Vec<(String, [usize; 6])> = s.clauses.iter().map(|c| (format!("{} {}", c.clause, c.title), buckets(&c.outcomes))).collect();
    let has_findings = !matches!(r.source, ReportSource::ShareLink { findings: false, .. });
    let provider_label = |p| PROVIDERS.iter().find(|(q, _)| *q == p).map_or("", |(_, l)| *l);
    let accounts: Vec<(&str, String, [usize; 5])> = match &r.accounts {
        Carried::Present(rows) => rows.iter().map(|a| (provider_label(a.provider), a.label(), [a.resources, a.fail, a.accepted, a.unknown, a.pass])).collect(),
        Carried::Absent => Vec::new(),
    };
    let top: Vec<(Severity, String, String, String)> = r
        .top_risks
        .iter()
        .map(|k| (k.severity, k.headline(), k.check.to_string(), k.controls.iter().map(|c| c.to_string()).collect::<Vec<_>>().join(", ")))
        .collect();
    let soa: Vec<_> = r
        .soa
        .iter()
        .map(|row| {
            let applicable = match row.applicability {
                SoaApplicability::Applicable => "Yes".to_string(),
                SoaApplicability::Excluded { justification } => format!("No — {}", if justification.is_empty() { "no justification given" } else { justification }),
            };
            let c = row.counts;
            let mut evidence = Vec::new();
            if c.pass + c.fail + c.unknown + c.accepted > 0 {
                evidence.push(format!(
                    "checks: {} pass, {} fail{}{}",
                    c.pass,
                    c.fail,
                    if c.unknown > 0 { format!(", {} unknown", c.unknown) } else { String::new() },
                    if c.accepted > 0 { format!(", {} accepted", c.accepted) } else { String::new() }
                ));
            }
            if let Carried::Present(p) = row.evidence {
                if p.total > 0 {
                    evidence.push(format!("checklist: {}", p.label()));
                }
            }
            if let Carried::Present(Some(k)) = row.compensation {
                evidence.push(format!("compensated: {} (reviewed by {} on {})", k.justification, k.reviewer, k.reviewed_on));
            }
            match &row.evidence_summary {
                Carried::Present(t) if !t.is_empty() => evidence.push(t.clone()),
                Carried::Present(_) => {}
                Carried::Absent => evidence.push("notes not in link".into()),
            }
            (
                row.control.id.clone(),
                row.control.title,
                applicable,
                if row.status == ManualStatus::NotAssessed { "—".to_string() } else { row.status.label().to_string() },
                row.outcome,
                row.responsibility.map(|x| x.label()).unwrap_or("—"),
                absent(row.owner, "not in link"),
                absent(row.target_date.map(|d| d.map(|d| d.to_string()).unwrap_or_default()), "not in link"),
                evidence.join(" · "),
            )
        })
        .collect();
    let groups = |section: &crate::report::workspace_report::FindingsSection<'_>| -> Vec<(Severity, String, String, String, String, Vec<String>)> {
        section
            .groups
            .iter()
            .map(|g| {
                let items = g
                    .items
                    .iter()
                    .map(|i| {
                        let decision = i.decision().map(|d| {
                            format!(
                                " — {}{}{}{}",
                                d.kind.label(),
                                if d.expired { " (expired)" } else { "" },
                                absent(d.reason.map(|x| format!(": {x}")), ""),
                                absent(d.expires.map(|e| e.map(|e| format!(", until {e}")).unwrap_or_default()), "")
                            )
                        });
                        format!("{}{}", i.message(), decision.unwrap_or_default())
                    })
                    .collect();
                (
                    g.severity,
                    g.title().to_string(),
                    g.check.to_string(),
                    g.controls.iter().map(|c| c.to_string()).collect::<Vec<_>>().join(", "),
                    // The page's rules are heads: the remediation comes with the guidance asset.
                    guidance.check_texts(g.check).map_or_else(String::new, |t| render_safe(&t.remediation)),
                    items,
                )
            })
            .collect()
    };
    let failing = groups(&r.failing);
    let decided = groups(&r.decided);
    let matrix_models = r.matrix.models.clone();
    let matrix: Vec<(ControlId, Vec<Option<Responsibility>>)> = r
        .matrix
        .rows
        .iter()
        .map(|m| (m.control.id.clone(), matrix_models.iter().map(|x| m.default_for(*x)).collect()))
        .collect();
    let truncated = !r.findings_complete();
    view! {
        <section class="card report-summary" data-testid="report-summary" aria-labelledby="sum-h">
            <h2 id="sum-h">"Executive summary"</h2>
            <dl class="facts">
                <dt>"Organisation"</dt><dd data-testid="summary-organisation">{if s.organisation.is_empty() { "not set".to_string() } else { s.organisation.to_string() }}</dd>
                <dt>"Assessment date"</dt><dd data-testid="summary-date">{s.date.to_string()}</dd>
                <dt>"Role"</dt><dd>{roles}</dd>
                <dt>"Service models"</dt><dd>{models}</dd>
                <dt>"Clouds"</dt><dd>{providers}</dd>
                <dt>"Standard"</dt><dd>{format!("{} ({} controls, {} excluded from the SoA)", r.edition, s.outcomes.total(), s.excluded)}</dd>
            </dl>
            <div class="summary">
                <div class="stat"><span class="stat-value" data-testid="summary-progress">{format!("{} %", s.outcomes.progress_percent())}</span><span class="stat-label">"controls assessed"</span></div>
                {BUCKETS.iter().enumerate().map(|(i, (class, label))| view! {
                    <div class="stat"><span class=format!("stat-value {class}-text") data-testid=format!("summary-{}", &class[2..])>{overall[i].to_string()}</span><span class="stat-label">{*label}</span></div>
                }).collect_view()}
                <div class="stat"><span class="stat-value" data-testid="summary-failing">{s.failing_or_decided_findings.to_string()}</span><span class="stat-label">"failing or decided findings"</span></div>
            </div>
            <crate::ui::components::attestations::ProviderSummary counts=s.provider/>
            <div class="table-scroll"><table class="clause-table">
                <caption class="visually-hidden">"Results by clause"</caption>
                <thead><tr><th scope="col">"Clause"</th>{BUCKETS.iter().map(|(_, l)| view! { <th scope="col">{*l}</th> }).collect_view()}</tr></thead>
                <tbody>
                    {clause_table.into_iter().map(|(title, counts)| view! {
                        <tr><th scope="row">{title}</th>{counts.iter().map(|n| view! { <td>{n.to_string()}</td> }).collect_view()}</tr>
                    }).collect_view()}
                </tbody>
            </table></div>
        </section>
        <p class="muted report-evidence" data-testid="report-evidence">
            {r.evidence_progress().map(|p| view! { <span data-testid="summary-evidence">{format!("Evidence: {} of {} checklist items collected. ", p.collected, p.total)}</span> })}
            {(s.outcomes.get(crate::workspace::Outcome::MetCompensated) > 0).then(|| view! {
                <span data-testid="summary-compensated">{format!("{} met (compensated).", s.outcomes.get(crate::workspace::Outcome::MetCompensated))}</span>
            })}
        </p>
        <section class="card report-charts">
            <h2>"Charts"</h2>
            <div class="charts"><StackedBars title="Control results by clause".into() rows=clause_rows testid="report-chart-clauses" wide=true/></div>
        </section>
        {(!accounts.is_empty()).then(|| view! {
            <section class="card report-accounts" aria-labelledby="acc-h">
                <h2 id="acc-h">"Results per account"</h2>
                <p class="muted">"Findings by AWS account, Azure subscription, Google Cloud project or cluster, as the exports state them; most failing first."</p>
                <div class="table-scroll"><table class="account-table" data-testid="account-table">
                    <thead><tr><th scope="col">"Cloud"</th><th scope="col">"Account"</th><th scope="col">"Resources"</th><th scope="col">"Failing"</th><th scope="col">"Accepted"</th><th scope="col">"Unknown"</th><th scope="col">"Passing"</th></tr></thead>
                    <tbody>
                        {accounts.into_iter().map(|(cloud, account, n)| view! {
                            <tr><td>{cloud}</td><th scope="row">{account}</th>{n.iter().map(|v| view! { <td>{v.to_string()}</td> }).collect_view()}</tr>
                        }).collect_view()}
                    </tbody>
                </table></div>
            </section>
        })}
        <section class="card top-risks page-break">
            <h2>"Top risks"</h2>
            {if top.is_empty() {
                view! { <p class="muted">{if has_findings { "No failing finding." } else { "Finding details were left out of this link." }}</p> }.into_any()
            } else {
                view! { <ol data-testid="top-risks">{top.into_iter().map(|(sev, headline, check, controls)| view! {
                    <li><span class=sev_class(sev)>{sev.label()}</span>{format!(" — {headline}.")}
                        <br/><span class="muted">{format!("Controls {controls} · check ")}<code>{check}</code></span></li>
                }).collect_view()}</ol> }.into_any()
            }}
            {truncated.then(|| view! { <p class="muted">"The link left out the least severe finding summaries to stay short; the counts above include them."</p> })}
        </section>
        <section class="card soa page-break" aria-labelledby="soa-h">
            <h2 id="soa-h">"Statement of Applicability"</h2>
            <div class="table-scroll"><table class="soa-table" data-testid="soa-table">
                <thead><tr><th scope="col">"Control"</th><th scope="col">"Applicable"</th><th scope="col">"Status"</th><th scope="col">"Result"</th><th scope="col">"Responsibility"</th><th scope="col">"Owner"</th><th scope="col">"Target"</th><th scope="col">"Evidence"</th></tr></thead>
                <tbody>
                    {soa.into_iter().map(|(id, title, applicable, status, outcome, resp, owner, target, evidence)| view! {
                        <tr data-testid="soa-row" data-control=id.to_string()>
                            <th scope="row"><a href=control_href(&id)>{id.to_string()}</a>" "{title}</th>
                            <td>{applicable}</td>
                            <td>{status}</td>
                            <td><span class=format!("outcome {}", outcome_class(outcome))>{outcome.label()}</span></td>
                            <td>{resp}</td>
                            <td>{owner}</td>
                            <td>{target}</td>
                            <td class="evidence-cell">{evidence}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table></div>
        </section>
        <section class="card report-findings page-break">
            <h2>"Failing findings and remediation"</h2>
            {if failing.is_empty() {
                view! { <p class="muted">{if has_findings { "None." } else { "Finding details were left out of this link." }}</p> }.into_any()
            } else {
                failing.into_iter().map(|(sev, title, check, controls, remediation, items)| view! {
                    <article class="check-block">
                        <h3><span class=sev_class(sev)>{sev.label()}</span>" "{title}" "<code>{check}</code></h3>
                        <p class="muted">{format!("Controls: {controls}")}</p>
                        <ul>{items.into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}</ul>
                        <div class="prose remediation" inner_html=remediation></div>
                    </article>
                }).collect_view().into_any()
            }}
            {(!decided.is_empty()).then(|| view! {
                <h3>"Waived or risk-accepted"</h3>
                {decided.into_iter().map(|(sev, title, check, _, _, items)| view! {
                    <article class="check-block">
                        <h4><span class=sev_class(sev)>{sev.label()}</span>" "{title}" "<code>{check}</code></h4>
                        <ul>{items.into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}</ul>
                    </article>
                }).collect_view()}
            })}
        </section>
        <section class="card matrix page-break">
            <h2>"Shared responsibility"</h2>
            <p class="muted">"Who carries each control under the chosen service models (the catalog's defaults; the assessment's own choice is in the Statement of Applicability)."</p>
            <div class="table-scroll"><table class="matrix-table" data-testid="responsibility-matrix">
                <thead><tr><th scope="col">"Control"</th>{matrix_models.iter().map(|m| view! { <th scope="col">{m.label()}</th> }).collect_view()}</tr></thead>
                <tbody>
                    {matrix.into_iter().map(|(id, cells)| view! {
                        <tr><th scope="row">{id.to_string()}</th>
                            {cells.into_iter().map(|r| {
                                let class = match r { Some(Responsibility::Csc) => "r-csc", Some(Responsibility::Csp) => "r-csp", Some(Responsibility::Shared) => "r-shared", None => "" };
                                view! { <td class=format!("resp {class}")>{r.map(|r| r.label()).unwrap_or("—")}</td> }
                            }).collect_view()}
                        </tr>
                    }).collect_view()}
                </tbody>
            </table></div>
        </section>
    }
    .into_any()
}
