//! The assessment page: uploads, scope, dashboard and one row per control
//! with its manual answer. Everything is read from and written to the
//! workspace signal; the engine computes every result.

use crate::report::workspace_report::{fixed, OutcomeCounts};
use crate::catalog::{Control, Part};
use crate::inventory::Provider;
use crate::markdown::render_safe;
use crate::model::{ControlId, Responsibility, Role, ServiceModel, Severity, Status};
use crate::route::control_href;
use crate::ui::components::charts::{Segment, StackRow, StackedBars, ValueBars};
use crate::ui::components::{CompensationForm, EvidenceChecklist};
use crate::ui::ws::{defer_once, now_ms, Stage, WsCtx};
use crate::workspace::rollup::RULE;
use crate::workspace::{Applicability, ControlAnswer, ControlRollUp, IsoDate, ManualStatus, Outcome, Scope};
use crate::Catalog;
use leptos::prelude::*;
use std::collections::BTreeMap;
use wasm_bindgen::JsCast;

/// Bundled demo exports (`public/samples/`), from the test corpus.
pub const SAMPLES: &[(&str, &str)] = &[
    ("sample-terraform-plan.json", "samples/sample-terraform-plan.json"),
    ("sample-aws-config.json", "samples/sample-aws-config.json"),
    ("sample-iam-credential-report.csv", "samples/sample-iam-credential-report.csv"),
    ("sample-kubernetes.yaml", "samples/sample-kubernetes.yaml"),
];

pub(crate) const PROVIDERS: &[(Provider, &str)] =
    &[(Provider::Aws, "AWS"), (Provider::Azure, "Azure"), (Provider::Gcp, "Google Cloud"), (Provider::Kubernetes, "Kubernetes")];

/// Chart class of an outcome.
pub(crate) fn outcome_class(o: Outcome) -> &'static str {
    match o {
        Outcome::Met | Outcome::MetWithOpenQuestions | Outcome::ProviderCovered | Outcome::MetCompensated => "o-met",
        Outcome::ProviderReview => "o-review",
        Outcome::PartiallyMet => "o-partial",
        Outcome::NotMet | Outcome::NotMetAutomated => "o-notmet",
        Outcome::AutomatedPassNeedsReview | Outcome::AutomatedUnknownNeedsReview => "o-review",
        Outcome::NotAssessed => "o-unassessed",
        Outcome::NotApplicable => "o-na",
    }
}

fn bucket_segments(counts: [usize; 6]) -> Vec<Segment> {
    vec![
        Segment { class: "o-met", label: "Met", value: counts[0] },
        Segment { class: "o-partial", label: "Partially met", value: counts[1] },
        Segment { class: "o-notmet", label: "Not met", value: counts[2] },
        Segment { class: "o-review", label: "Needs review", value: counts[3] },
        Segment { class: "o-unassessed", label: "Not assessed", value: counts[4] },
        Segment { class: "o-na", label: "Not applicable", value: counts[5] },
    ]
}

fn bucket(o: Outcome) -> usize {
    match outcome_class(o) {
        "o-met" => 0,
        "o-partial" => 1,
        "o-notmet" => 2,
        "o-review" => 3,
        "o-unassessed" => 4,
        _ => 5,
    }
}

/// The page.
#[component]
pub fn AssessPage() -> impl IntoView {
    super::set_title("Assessment");
    let ctx = WsCtx::expect();
    let today = ctx.today;
    // One pass over every finding per change; rows and charts read this.
    // Results are recomputed in a task of their own right after a change, so
    // the arrival of a very large upload and the recomputation over all its
    // findings are two shorter tasks instead of one long one.
    let tick = RwSignal::new(0u64);
    let scheduled = StoredValue::new(false);
    Effect::new(move |_| {
        ctx.ws.track();
        defer_once(scheduled, move || tick.update(|t| *t += 1));
    });
    let rollups = Memo::new(move |_| {
        tick.track();
        ctx.ws
            .with_untracked(|w| w.active().map(|a| a.roll_up_all(today).into_iter().collect::<BTreeMap<ControlId, ControlRollUp>>()))
            .unwrap_or_default()
    });
    let name = move || ctx.ws.with(|w| w.active().map(|a| a.name().to_string()).unwrap_or_default());
    view! {
        <div class="page assess">
            <header class="page-head">
                <h1>{name}</h1>
                <p class="muted">"Drop your cloud exports, set the scope, and record what configuration cannot show. "
                    "Everything stays in this browser. "<a href="#/workspaces">"Manage assessments"</a>" · "
                    <a href="#/findings">"All findings"</a>" · "<a href="#/report">"Report"</a></p>
            </header>
            <Upload/>
            <Files/>
            <crate::ui::components::UnmappedChecks/>
            <ScopeForm/>
            <crate::ui::components::attestations::ProviderAttestations/>
            <Dashboard rollups=rollups tick=tick/>
            <ControlTable rollups=rollups/>
        </div>
    }
}

fn file_list(input: &web_sys::HtmlInputElement) -> Vec<web_sys::File> {
    let mut out = Vec::new();
    if let Some(list) = input.files() {
        for i in 0..list.length() {
            if let Some(f) = list.get(i) {
                out.push(f);
            }
        }
    }
    out
}

#[component]
fn Upload() -> impl IntoView {
    let ctx = WsCtx::expect();
    let paste = RwSignal::new(String::new());
    let paste_name = RwSignal::new(String::from("pasted.json"));
    let on_pick = move |ev: leptos::ev::Event| {
        if let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
            ctx.add_files(file_list(&input), None);
            input.set_value("");
        }
    };
    view! {
        <section class="card upload" aria-labelledby="upload-h">
            <h2 id="upload-h">"1. Add exports"</h2>
            <label class="dropzone" data-testid="dropzone">
                <span class="dz-title">"Drop export files anywhere on this page"</span>
                <span class="dz-sub">"or "<span class="linkish">"choose files"</span>
                    " — Terraform plan/state JSON, AWS Config, IAM credential report or authorization details, Azure, GCP Cloud Asset Inventory, Kubernetes YAML/JSON, CloudFormation (also .gz); or findings of Prowler (OCSF JSON, CSV), AWS Security Hub (ASFF), Checkov (JSON) and any SARIF scanner, mapped to the controls"</span>
                <input type="file" multiple class="visually-hidden" data-testid="upload-input" on:change=on_pick/>
            </label>
            <div class="upload-actions">
                <button type="button" class="btn" data-testid="sample-button" on:click=move |_| {
                    for (name, url) in SAMPLES {
                        ctx.add_sample(name, url);
                    }
                }>"Load sample data"</button>
                <details class="paste">
                    <summary>"Paste JSON or YAML"</summary>
                    <label>"Name "<input type="text" prop:value=move || paste_name.get() on:input=move |ev| paste_name.set(event_target_value(&ev))/></label>
                    <textarea rows="6" data-testid="paste-input" aria-label="Export text"
                        prop:value=move || paste.get() on:input=move |ev| paste.set(event_target_value(&ev))></textarea>
                    <button type="button" class="btn" data-testid="paste-button" disabled=move || paste.with(|p| p.trim().is_empty())
                        on:click=move |_| {
                            let name = paste_name.get_untracked();
                            let name = if name.trim().is_empty() { "pasted.txt".to_string() } else { name };
                            ctx.add_text(name, paste.get_untracked());
                            paste.set(String::new());
                        }>"Assess pasted text"</button>
                </details>
            </div>
        </section>
    }
}

/// What a file row shows of a stored upload (findings are counted, not cloned).
#[derive(Debug, Clone, PartialEq)]
struct UploadSummary {
    size: u64,
    sha256: String,
    format: Option<crate::ingest::Format>,
    resources: usize,
    diagnostics: usize,
    diagnostic_lines: Vec<crate::workspace::DiagnosticLine>,
    findings: usize,
    failing: usize,
}

impl UploadSummary {
    fn of(u: &crate::workspace::UploadRecord) -> UploadSummary {
        UploadSummary {
            size: u.size,
            sha256: u.sha256.clone(),
            format: u.format,
            resources: u.resources,
            diagnostics: u.diagnostics,
            diagnostic_lines: u.diagnostic_lines.clone(),
            findings: u.findings.len(),
            failing: u.findings.iter().filter(|f| f.status == Status::Fail).count(),
        }
    }
}

/// One line per file: this session's jobs, then stored uploads without a job.
#[component]
fn Files() -> impl IntoView {
    let ctx = WsCtx::expect();
    let uploads = Memo::new(move |_| {
        ctx.ws.with(|w| {
            w.active()
                .map(|a| a.uploads().iter().map(|u| (u.name.clone(), UploadSummary::of(u))).collect::<Vec<_>>())
                .unwrap_or_default()
        })
    });
    let rows = move || {
        let jobs = ctx.jobs.get();
        let uploads = uploads.get();
        let mut out = Vec::new();
        for j in &jobs {
            let stored = uploads.iter().find(|u| u.0 == j.name).map(|u| u.1.clone());
            out.push((j.name.clone(), Some(j.clone()), stored));
        }
        for (name, u) in uploads {
            if !jobs.iter().any(|j| j.name == name) {
                out.push((name, None, Some(u)));
            }
        }
        out
    };
    view! {
        <section class="card files" aria-labelledby="files-h">
            <h2 id="files-h">"Files"</h2>
            {move || {
                let rows = rows();
                if rows.is_empty() {
                    return view! { <p class="muted">"No file yet. Drop an export, choose a file, or load the sample data."</p> }.into_any();
                }
                view! {
                    <ul class="file-list">
                        {rows.into_iter().map(|(name, job, stored)| view! { <FileRow name=name job=job stored=stored/> }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn FileRow(name: String, job: Option<crate::ui::ws::FileJob>, stored: Option<UploadSummary>) -> impl IntoView {
    let ctx = WsCtx::expect();
    let stage = job.as_ref().map(|j| j.stage.clone()).unwrap_or(Stage::Done);
    let state = match &stage {
        s if s.busy() => "busy",
        Stage::Refused(_) | Stage::Failed(_) => "refused",
        _ => "done",
    };
    let format = stored.as_ref().and_then(|u| u.format).or(job.as_ref().and_then(|j| j.format));
    let resources = stored.as_ref().map(|u| u.resources).or(job.as_ref().map(|j| j.resources)).unwrap_or(0);
    let findings = stored.as_ref().map(|u| u.findings).unwrap_or(0);
    let failing = stored.as_ref().map(|u| u.failing).unwrap_or(0);
    let size = stored.as_ref().map(|u| u.size as f64).or(job.as_ref().map(|j| j.size)).unwrap_or(0.0);
    let sha = stored.as_ref().map(|u| u.sha256.clone()).unwrap_or_default();
    let diag_total = stored.as_ref().map(|u| u.diagnostics).or(job.as_ref().map(|j| j.diagnostics_total)).unwrap_or(0);
    // Kept with the upload, so they are shown after a reload too.
    let diags = stored
        .as_ref()
        .map(|u| u.diagnostic_lines.clone())
        .filter(|d| !d.is_empty())
        .or_else(|| job.as_ref().map(|j| j.diagnostics.clone()))
        .unwrap_or_default();
    let elapsed = job.as_ref().and_then(|j| j.elapsed_ms);
    let marks = job.as_ref().map(|j| j.marks).unwrap_or_default();
    let suffix = format!("/{sha}/{name}");
    let not_kept = ctx.unsaved_findings.with(|s| s.iter().any(|k| k.ends_with(&suffix)));
    let in_memory = job.is_some();
    let name_remove = name.clone();
    let name_replace = name.clone();
    let percent = stage.percent();
    let detail = match &stage {
        Stage::Refused(reason) | Stage::Failed(reason) => Some(reason.clone()),
        _ => None,
    };
    view! {
        <li class=format!("file-status {state}") data-testid="file-status" data-state=state data-name=name.clone()>
            <div class="file-head">
                <strong class="file-name">{name.clone()}</strong>
                <span class="muted">{format!("{} KB", fixed(size / 1024.0, 1))}</span>
                {(!sha.is_empty()).then(|| view! { <code class="muted" title=format!("SHA-256 {sha}")>{format!("sha256 {}…", &sha[..12.min(sha.len())])}</code> })}
                <span class="spacer"></span>
                <label class="btn btn-small">"Replace"
                    <input type="file" class="visually-hidden" data-testid="replace-input" on:change=move |ev| {
                        if let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
                            ctx.add_files(file_list(&input), Some(name_replace.clone()));
                        }
                    }/>
                </label>
                <button type="button" class="btn btn-small" data-testid="remove-file" on:click=move |_| ctx.remove_upload(&name_remove)>"Remove"</button>
            </div>
            {stage.busy().then(|| view! {
                <div class="progress" role="progressbar" aria-valuemin="0" aria-valuemax="100" aria-valuenow=fixed(percent, 0) aria-label=format!("Assessing {}", name)>
                    <div class="progress-bar" style:width=format!("{}%", fixed(percent, 0))></div>
                </div>
                <p class="muted" aria-live="polite">{stage.label()}</p>
            })}
            {detail.map(|d| view! { <p class="file-error" role="alert" data-testid="error-banner">{format!("{}: {d}", stage.label())}</p> })}
            {matches!(stage, Stage::Done).then(|| view! {
                <p class="file-facts">
                    <span data-testid="file-format">{format.map(|f| f.label()).unwrap_or("unknown format")}</span>
                    " · "<span data-testid="file-resources">{
                        // A scanner's findings file gives findings, not resources.
                        if format.is_some_and(|f| f.is_scanner()) { "findings imported".to_string() } else { format!("{resources} resources") }
                    }</span>
                    " · "<span>{format!("{findings} findings, {failing} failing")}</span>
                    {(diag_total > 0).then(|| view! { " · "<span>{format!("{diag_total} diagnostics")}</span> })}
                    {elapsed.map(|ms| view! { " · "<span class="muted" data-testid="file-elapsed" data-ms=fixed(ms, 0)
                        data-marks=marks.map(|m| fixed(m, 0)).join(",")
                        title=format!("read {} ms, parsed {} ms, evaluated {} ms, results received {} ms", fixed(marks[0], 0), fixed(marks[1], 0), fixed(marks[2], 0), fixed(marks[3], 0))>{format!("{} s", fixed(ms / 1000.0, 2))}</span> })}
                    {(!in_memory).then(|| view! { " · "<span class="muted">"assessed in an earlier session (drop it again to see file fragments)"</span> })}
                    {not_kept.then(|| view! { " · "<span class="file-warning" data-testid="findings-not-kept">"findings not kept in browser storage (too large): they are lost on reload unless you export the workspace or drop the file again"</span> })}
                </p>
            })}
            {(!diags.is_empty()).then(|| view! {
                <details class="diagnostics">
                    <summary>{format!("Diagnostics ({diag_total})")}</summary>
                    <ul>
                        {diags.into_iter().map(|d| view! {
                            <li class=format!("diag diag-{}", d.level)><span class="diag-level">{d.level.clone()}</span>" "{d.message.clone()}
                                {d.place.clone().map(|p| view! { " "<code>{p}</code> })}</li>
                        }).collect_view()}
                    </ul>
                </details>
            })}
        </li>
    }
}

#[component]
fn ScopeForm() -> impl IntoView {
    let ctx = WsCtx::expect();
    let scope = move || ctx.ws.with(|w| w.active().map(|a| a.scope().clone()).unwrap_or_default());
    let update = move |f: &dyn Fn(&mut Scope)| {
        ctx.ws.update(|w| {
            if let Some(a) = w.active_mut() {
                let mut s = a.scope().clone();
                f(&mut s);
                if let Err(e) = a.set_scope(s, now_ms()) {
                    ctx.error(e.to_string());
                }
            }
        });
    };
    view! {
        <section class="card scope" aria-labelledby="scope-h">
            <h2 id="scope-h">"2. Scope"</h2>
            <div class="scope-grid">
                <label>"Organisation "
                    <input type="text" data-testid="scope-organisation" prop:value=move || scope().organisation
                        on:change=move |ev| { let v = event_target_value(&ev); update(&|s: &mut Scope| s.organisation = v.clone()) }/>
                </label>
                <fieldset><legend>"Role"</legend>
                    {Role::ALL.iter().map(|r| { let r = *r; view! {
                        <label><input type="checkbox" data-testid=format!("scope-role-{}", r.as_str()) prop:checked=move || scope().roles.contains(&r)
                            on:change=move |ev| { let on = event_target_checked(&ev); update(&|s: &mut Scope| toggle(&mut s.roles, r, on)) }/>
                            {format!(" {} ({})", r.label(), r.as_str().to_uppercase())}</label>
                    }}).collect_view()}
                </fieldset>
                <fieldset><legend>"Service models"</legend>
                    {ServiceModel::ALL.iter().map(|m| { let m = *m; view! {
                        <label><input type="checkbox" data-testid=format!("scope-model-{}", m.as_str()) prop:checked=move || scope().service_models.contains(&m)
                            on:change=move |ev| { let on = event_target_checked(&ev); update(&|s: &mut Scope| toggle(&mut s.service_models, m, on)) }/>
                            {format!(" {}", m.label())}</label>
                    }}).collect_view()}
                </fieldset>
                <fieldset><legend>"Clouds in use"</legend>
                    {PROVIDERS.iter().map(|(p, label)| { let p = *p; view! {
                        <label><input type="checkbox" data-testid=format!("scope-provider-{}", p.as_str()) prop:checked=move || scope().providers.contains(&p)
                            on:change=move |ev| { let on = event_target_checked(&ev); update(&|s: &mut Scope| toggle(&mut s.providers, p, on)) }/>
                            {format!(" {label}")}</label>
                    }}).collect_view()}
                </fieldset>
            </div>
            <p class="muted">"The service models set each control's default responsibility; the role picks which guidance each control links to."</p>
        </section>
    }
}

fn toggle<T: PartialEq>(list: &mut Vec<T>, v: T, on: bool) {
    list.retain(|x| *x != v);
    if on {
        list.push(v);
    }
}

#[component]
fn Dashboard(rollups: Memo<BTreeMap<ControlId, ControlRollUp>>, tick: RwSignal<u64>) -> impl IntoView {
    let ctx = WsCtx::expect();
    let catalog = Catalog::bundled();
    view! {
        <section class="card dashboard" aria-labelledby="dash-h">
            <h2 id="dash-h">"3. Results"</h2>
            {move || {
                tick.track();
                let r = rollups.get();
                let mut overall = [0usize; 6];
                let mut per_clause: BTreeMap<u8, [usize; 6]> = BTreeMap::new();
                for c in catalog.controls() {
                    let o = r.get(&c.id).map(|x| x.outcome).unwrap_or(Outcome::NotAssessed);
                    overall[bucket(o)] += 1;
                    per_clause.entry(c.clause).or_default()[bucket(o)] += 1;
                }
                // The report's rule, from the same outcomes (one number on both pages).
                let progress = catalog
                    .controls()
                    .iter()
                    .map(|c| r.get(&c.id).map(|x| x.outcome).unwrap_or(Outcome::NotAssessed))
                    .collect::<OutcomeCounts>()
                    .progress_percent();
                let clause_rows: Vec<StackRow> = per_clause
                    .iter()
                    .map(|(clause, counts)| StackRow {
                        label: format!("{clause} {}", catalog.group(&clause.to_string()).map(|g| g.title).unwrap_or("")),
                        segments: bucket_segments(*counts),
                    })
                    .collect();
                // Evidence collected over the SoA's controls, and the controls met by compensation.
                let evidence = ctx.ws.with_untracked(|w| w.active().map(|a| a.evidence_progress_all(r.iter())).unwrap_or_default());
                let compensated = r.values().filter(|x| x.outcome == Outcome::MetCompensated).count();
                let (sev, resp) = ctx.ws.with_untracked(|w| {
                    let mut sev: BTreeMap<Severity, usize> = BTreeMap::new();
                    let mut resp: BTreeMap<&'static str, usize> = BTreeMap::new();
                    if let Some(a) = w.active() {
                        let mut failing_checks = std::collections::BTreeSet::new();
                        for f in a.findings() {
                            if f.status == Status::Fail && crate::workspace::rollup::effective(f, a.decisions(), ctx.today).status == Status::Fail {
                                failing_checks.insert((f.severity, f.check.clone()));
                            }
                        }
                        for (s, _) in failing_checks {
                            *sev.entry(s).or_default() += 1;
                        }
                        for c in catalog.controls() {
                            let key = match a.responsibility(&c.id) {
                                Some(Responsibility::Csc) => "Customer",
                                Some(Responsibility::Csp) => "Provider",
                                Some(Responsibility::Shared) => "Shared",
                                None => "Not set",
                            };
                            *resp.entry(key).or_default() += 1;
                        }
                    }
                    (sev, resp)
                });
                let sev_rows: Vec<(&'static str, String, usize)> = Severity::ALL
                    .iter()
                    .rev()
                    .map(|s| (sev_class(*s), s.label().to_string(), sev.get(s).copied().unwrap_or(0)))
                    .collect();
                let resp_rows = vec![StackRow {
                    label: "All controls".into(),
                    segments: vec![
                        Segment { class: "r-csc", label: "Customer", value: resp.get("Customer").copied().unwrap_or(0) },
                        Segment { class: "r-shared", label: "Shared", value: resp.get("Shared").copied().unwrap_or(0) },
                        Segment { class: "r-csp", label: "Provider", value: resp.get("Provider").copied().unwrap_or(0) },
                        Segment { class: "o-na", label: "Not set", value: resp.get("Not set").copied().unwrap_or(0) },
                    ],
                }];
                view! {
                    <div class="summary" data-testid="dashboard-summary">
                        <div class="stat"><span class="stat-value" data-testid="progress-percent">{format!("{progress} %")}</span><span class="stat-label">"controls assessed"</span></div>
                        <div class="stat"><span class="stat-value o-met-text" data-testid="count-met">{overall[0].to_string()}</span><span class="stat-label">"met"</span></div>
                        <div class="stat"><span class="stat-value" data-testid="count-partial">{overall[1].to_string()}</span><span class="stat-label">"partially met"</span></div>
                        <div class="stat"><span class="stat-value o-notmet-text" data-testid="count-notmet">{overall[2].to_string()}</span><span class="stat-label">"not met"</span></div>
                        <div class="stat"><span class="stat-value" data-testid="count-review">{overall[3].to_string()}</span><span class="stat-label">"automated, need review"</span></div>
                        <div class="stat"><span class="stat-value" data-testid="count-unassessed">{overall[4].to_string()}</span><span class="stat-label">"not assessed"</span></div>
                        <div class="stat"><span class="stat-value">{overall[5].to_string()}</span><span class="stat-label">"not applicable"</span></div>
                    </div>
                    <crate::ui::components::attestations::ProviderSummary counts=ctx.ws.with_untracked(|w| w.active().map(|a| a.provider_counts(ctx.today)).unwrap_or_default())/>
                    <p class="muted evidence-summary">
                        <span data-testid="evidence-overall">{format!("Evidence: {} of {} checklist items collected", evidence.collected, evidence.total)}</span>
                        {(compensated > 0).then(|| view! { " · "<span data-testid="count-compensated">{format!("{compensated} met (compensated)")}</span> })}
                    </p>
                    <div class="charts">
                        <StackedBars title="Control results by clause".into() rows=clause_rows testid="chart-clauses" wide=true/>
                        <ValueBars title="Failing checks by severity".into() rows=sev_rows testid="chart-severity"/>
                        <StackedBars title="Responsibility split (scope's service models)".into() rows=resp_rows testid="chart-responsibility"/>
                    </div>
                }
            }}
            <details class="rule">
                <summary>"How a control's result is decided"</summary>
                <ol>{RULE.iter().map(|r| view! { <li>{*r}</li> }).collect_view()}</ol>
            </details>
        </section>
    }
}

pub(crate) fn sev_class(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "s-critical",
        Severity::High => "s-high",
        Severity::Medium => "s-medium",
        Severity::Low => "s-low",
        Severity::Info => "s-info",
    }
}

#[component]
fn ControlTable(rollups: Memo<BTreeMap<ControlId, ControlRollUp>>) -> impl IntoView {
    let catalog = Catalog::bundled();
    let query = RwSignal::new(String::new());
    let only = RwSignal::new(String::from("all"));
    view! {
        <section class="card controls-assess" aria-labelledby="ctl-h">
            <h2 id="ctl-h">"4. Controls"</h2>
            <div class="table-tools">
                <label>"Filter "<input type="search" placeholder="id or title" prop:value=move || query.get() on:input=move |ev| query.set(event_target_value(&ev))/></label>
                <label>"Show "
                    <select on:change=move |ev| only.set(event_target_value(&ev))>
                        <option value="all">"All controls"</option>
                        <option value="notmet">"Not met"</option>
                        <option value="review">"Needing review"</option>
                        <option value="unassessed">"Not assessed"</option>
                        <option value="cld">"Cloud (CLD) controls"</option>
                    </select>
                </label>
            </div>
            <div class="control-rows" role="list">
                {catalog.controls().iter().map(|c| {
                    let id = c.id.clone();
                    let id2 = c.id.clone();
                    let visible = move || {
                        let q = query.get().to_lowercase();
                        let o = rollups.with(|r| r.get(&id2).map(|x| x.outcome)).unwrap_or(Outcome::NotAssessed);
                        let text_ok = q.trim().is_empty() || c.id.as_str().to_lowercase().starts_with(q.trim()) || c.title.to_lowercase().contains(q.trim());
                        let kind_ok = match only.get().as_str() {
                            "notmet" => outcome_class(o) == "o-notmet",
                            "review" => outcome_class(o) == "o-review",
                            "unassessed" => o == Outcome::NotAssessed,
                            "cld" => c.id.as_str().starts_with("CLD"),
                            _ => true,
                        };
                        text_ok && kind_ok
                    };
                    view! { <ControlRow control=c rollups=rollups visible=Signal::derive(visible) id=id/> }
                }).collect_view()}
            </div>
        </section>
    }
}

#[component]
fn ControlRow(control: &'static Control, rollups: Memo<BTreeMap<ControlId, ControlRollUp>>, visible: Signal<bool>, id: ControlId) -> impl IntoView {
    let ctx = WsCtx::expect();
    let open = RwSignal::new(false);
    let id_r = id.clone();
    let rollup = Memo::new(move |_| rollups.with(|r| r.get(&id_r).copied()));
    let id_a = id.clone();
    let answer = Memo::new(move |_| ctx.ws.with(|w| w.active().map(|a| a.answer(&id_a)).unwrap_or_default()));
    let id_s = StoredValue::new(id.clone());
    let set = move |f: &dyn Fn(&mut ControlAnswer)| {
        let id_s = id_s.get_value();
        ctx.ws.update(|w| {
            if let Some(a) = w.active_mut() {
                let mut ans = a.answer(&id_s);
                f(&mut ans);
                if let Err(e) = a.set_answer(&id_s, ans, now_ms()) {
                    ctx.error(e.to_string());
                }
            }
        });
    };
    let outcome = move || rollup.get().map(|r| r.outcome).unwrap_or(Outcome::NotAssessed);
    let auto = move || {
        rollup.get().map(|r| {
            if r.pass + r.fail + r.indeterminate + r.accepted == 0 {
                "no automated checks".to_string()
            } else {
                let mut parts = vec![format!("{} pass", r.pass), format!("{} fail", r.fail)];
                if r.indeterminate > 0 {
                    parts.push(format!("{} unknown", r.indeterminate));
                }
                if r.accepted > 0 {
                    parts.push(format!("{} accepted/waived", r.accepted));
                }
                parts.join(" · ")
            }
        })
    };
    let panel_id = format!("ctl-panel-{}", id.as_str().replace('.', "-"));
    let id_link = id.clone();
    let guidance_href = move || {
        let roles = ctx.ws.with(|w| w.active().map(|a| a.scope().roles.clone()).unwrap_or_default());
        let part = match roles.as_slice() {
            [Role::Csc] => Some(Part::Customer),
            [Role::Csp] => Some(Part::Provider),
            _ => None,
        };
        match part {
            Some(p) if control.parts().contains(&p) => format!("{}/{}", control_href(&id_link), p.as_str()),
            _ => control_href(&id_link),
        }
    };
    let default_resp = {
        let id = id.clone();
        Signal::derive(move || ctx.ws.with(|w| w.active().and_then(|a| a.scope().default_responsibility(&id))))
    };
    let id_panel = StoredValue::new(id.clone());
    let panel_id2 = panel_id.clone();
    view! {
        <div class="control-row" role="listitem" data-testid="control-row" data-control=id.to_string() data-outcome=move || outcome().as_str() style:display=move || if visible.get() { "" } else { "none" }>
            <div class="row-main">
                <button type="button" class="expander" aria-expanded=move || open.get().to_string() aria-controls=panel_id.clone()
                    on:click=move |_| open.update(|o| *o = !*o) aria-label="Details" title="Details">{move || if open.get() { "▾" } else { "▸" }}</button>
                <a class="ctl-id" href=guidance_href>{id.to_string()}</a>
                <span class="ctl-title">{control.title}</span>
                <span class=move || format!("outcome {}", outcome_class(outcome())) data-testid="control-outcome">{move || outcome().label()}</span>
                <span class="auto muted" data-testid="control-automated">{auto}</span>
                <crate::ui::components::attestations::ControlProviderNote id=id.clone()/>
                <label class="status-label"><span class="visually-hidden">{format!("Status of {id}")}</span>
                    <select data-testid="control-status" on:change=move |ev| {
                        let v = event_target_value(&ev);
                        if let Ok(s) = v.parse::<ManualStatus>() { set(&|a: &mut ControlAnswer| a.status = s) }
                    }>
                        {ManualStatus::ALL.iter().map(|s| { let s = *s; view! {
                            <option value=s.as_str() selected=move || answer.get().status == s>{s.label()}</option>
                        }}).collect_view()}
                    </select>
                </label>
            </div>
            <Show when=move || open.get()>
                <ControlPanel id=id_panel.get_value() answer=answer set=set default_resp=default_resp panel_id=panel_id2.clone()/>
            </Show>
        </div>
    }
}

#[component]
fn ControlPanel(
    id: ControlId,
    answer: Memo<ControlAnswer>,
    set: impl Fn(&dyn Fn(&mut ControlAnswer)) + Copy + Send + Sync + 'static,
    default_resp: Signal<Option<Responsibility>>,
    panel_id: String,
) -> impl IntoView {
    let initial = answer.get_untracked();
    let notes = RwSignal::new(initial.notes_md.clone());
    let preview = Memo::new(move |_| notes.with(|n| render_safe(n)));
    let lint = move || answer.get().lint();
    let excluded = move || answer.get().applicable.is_excluded();
    let justification = move || match answer.get().applicable {
        Applicability::Excluded { justification } => justification,
        Applicability::Applicable => String::new(),
    };
    let resp_value = move || answer.get().responsible.map(|r| r.as_str().to_string()).unwrap_or_default();
    let default_label = move || default_resp.get().map(|r| r.label()).unwrap_or("none recorded");
    view! {
        <div class="control-panel" id=panel_id>
            <div class="panel-grid">
                <label>"Applicability "
                    <select data-testid="control-applicability" on:change=move |ev| {
                        let v = event_target_value(&ev);
                        set(&|a: &mut ControlAnswer| {
                            a.applicable = if v == "excluded" {
                                Applicability::Excluded { justification: String::new() }
                            } else {
                                Applicability::Applicable
                            }
                        })
                    }>
                        <option value="applicable" selected=move || !excluded()>"Applicable"</option>
                        <option value="excluded" selected=excluded>"Excluded from the SoA"</option>
                    </select>
                </label>
                <Show when=excluded>
                    <label class="wide">"Justification for excluding "
                        <input type="text" data-testid="control-justification" prop:value=justification on:input=move |ev| {
                            let v = event_target_value(&ev);
                            set(&|a: &mut ControlAnswer| a.applicable = Applicability::Excluded { justification: v.clone() })
                        }/>
                    </label>
                </Show>
                <label>"Responsible "
                    <select data-testid="control-responsible" on:change=move |ev| {
                        let v = event_target_value(&ev);
                        set(&|a: &mut ControlAnswer| a.responsible = v.parse::<Responsibility>().ok())
                    }>
                        <option value="" selected=move || resp_value().is_empty()>{move || format!("Default for the scope ({})", default_label())}</option>
                        {Responsibility::ALL.iter().map(|r| { let r = *r; view! {
                            <option value=r.as_str() selected=move || resp_value() == r.as_str()>{r.label()}</option>
                        }}).collect_view()}
                    </select>
                </label>
                <label>"Owner "
                    <input type="text" data-testid="control-owner" prop:value=initial.owner.clone() on:input=move |ev| {
                        let v = event_target_value(&ev);
                        set(&|a: &mut ControlAnswer| a.owner = v.clone())
                    }/>
                </label>
                <label>"Target date "
                    <input type="date" data-testid="control-target" prop:value=initial.target_date.map(|d| d.to_string()).unwrap_or_default() on:change=move |ev| {
                        let v = event_target_value(&ev);
                        set(&|a: &mut ControlAnswer| a.target_date = v.parse::<IsoDate>().ok())
                    }/>
                </label>
            </div>
            <div class="notes-grid">
                <label class="notes">"Evidence notes (Markdown)"
                    <textarea rows="6" data-testid="control-notes" prop:value=initial.notes_md on:input=move |ev| {
                        let v = event_target_value(&ev);
                        notes.set(v.clone());
                        set(&|a: &mut ControlAnswer| a.notes_md = v.clone())
                    }></textarea>
                </label>
                <div class="notes-preview">
                    <span class="muted">"Preview"</span>
                    <div class="prose" data-testid="control-notes-preview" inner_html=move || preview.get()></div>
                </div>
            </div>
            {move || {
                let l = lint();
                (!l.is_empty()).then(|| view! { <ul class="lint">{l.into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}</ul> })
            }}
            <crate::ui::components::attestations::ControlProviderPart id=id.clone()/>
            <p><a href=format!("#/findings?control={id}")>{format!("Findings for {id}")}</a></p>
            <EvidenceChecklist control=id.clone()/>
            <CompensationForm control=id.clone()/>
        </div>
    }
}
