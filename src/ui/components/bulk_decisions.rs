//! Decide on many findings at once: select the failing findings the table
//! shows by check, resource, account or file (or all of them), and record
//! one waiver or risk acceptance, with one reason and one expiry, for every
//! one. The engine makes one ordinary decision per finding, grouped as a
//! batch (`Workspace::decide_batch`), so "Undo" — right after, or from the
//! list of recent batches — removes exactly that batch.

use crate::checks::Finding;
use crate::model::{CheckId, Status};
use crate::ui::ws::{now_ms, WsCtx};
use crate::workspace::evidence::BatchId;
use crate::workspace::{DecisionKind, IsoDate};
use leptos::prelude::*;
use std::collections::BTreeMap;

/// How findings are picked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum By {
    Check,
    Resource,
    Account,
    File,
    AllShown,
}

impl By {
    const ALL: [By; 5] = [By::Check, By::Resource, By::Account, By::File, By::AllShown];
    fn as_str(self) -> &'static str {
        match self {
            By::Check => "check",
            By::Resource => "resource",
            By::Account => "account",
            By::File => "file",
            By::AllShown => "all",
        }
    }
    fn label(self) -> &'static str {
        match self {
            By::Check => "By check",
            By::Resource => "By resource",
            By::Account => "By account",
            By::File => "By file",
            By::AllShown => "All shown",
        }
    }
    fn parse(s: &str) -> By {
        By::ALL.into_iter().find(|b| b.as_str() == s).unwrap_or(By::Check)
    }
    /// The value a finding has for this choice.
    fn key(self, f: &Finding) -> String {
        match self {
            By::Check => f.check.to_string(),
            By::Resource => f.resource.id.to_string(),
            By::Account => f.resource.account.as_deref().unwrap_or("(no account)").to_string(),
            By::File => f.resource.source.file.to_string(),
            By::AllShown => String::new(),
        }
    }
}

/// The bulk form over the table's shown rows (upload index, finding index).
#[component]
pub fn BulkDecisions(
    /// The rows the table shows, filtered and sorted.
    rows: Memo<Vec<(usize, usize)>>,
) -> impl IntoView {
    let ctx = WsCtx::expect();
    let today = ctx.today;
    let by = RwSignal::new(By::Check);
    let value = RwSignal::new(String::new());
    let selected = RwSignal::new(Vec::<(CheckId, String)>::new());
    let kind = RwSignal::new(DecisionKind::Waived);
    let reason = RwSignal::new(String::new());
    let expires = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let last = RwSignal::new(None::<(BatchId, usize)>);
    let tomorrow = IsoDate::from_days(today + 1).map(|d| d.to_string()).unwrap_or_default();

    // The failing findings shown, with the chosen key of each.
    let shown_failing = move |b: By| -> Vec<(String, (CheckId, String))> {
        rows.with(|rows| {
            ctx.ws.with(|w| {
                let Some(a) = w.active() else { return Vec::new() };
                rows.iter()
                    .filter_map(|(u, i)| a.uploads().get(*u).and_then(|up| up.findings.get(*i)))
                    .filter(|f| f.status == Status::Fail)
                    .map(|f| (b.key(f), (f.check.clone(), f.resource.id.to_string())))
                    .collect()
            })
        })
    };
    let values = Memo::new(move |_| {
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for (k, _) in shown_failing(by.get()) {
            *counts.entry(k).or_default() += 1;
        }
        counts.into_iter().collect::<Vec<_>>()
    });
    let select = move |_| {
        let b = by.get_untracked();
        let v = value.get_untracked();
        let v = if v.is_empty() { values.with_untracked(|vs| vs.first().map(|(k, _)| k.clone()).unwrap_or_default()) } else { v };
        let picked: Vec<_> = shown_failing(b).into_iter().filter(|(k, _)| b == By::AllShown || *k == v).map(|(_, t)| t).collect();
        selected.update(|s| {
            for t in picked {
                if !s.contains(&t) {
                    s.push(t);
                }
            }
        });
    };
    let save = move || {
        let expiry = match expires.get_untracked() {
            t if t.is_empty() => None,
            t => match t.parse::<IsoDate>() {
                Ok(d) => Some(d),
                Err(e) => return problem.set(Some(e.to_string())),
            },
        };
        let targets = selected.get_untracked();
        let mut outcome = Err(crate::workspace::WorkspaceError::NothingToUndo);
        ctx.ws.update(|w| {
            if let Some(a) = w.active_mut() {
                outcome = a.decide_batch(&targets, kind.get_untracked(), &reason.get_untracked(), expiry, today, now_ms());
            }
        });
        match outcome {
            Ok(id) => {
                problem.set(None);
                last.set(Some((id, targets.len())));
                selected.set(Vec::new());
                reason.set(String::new());
            }
            Err(e) => problem.set(Some(e.to_string())),
        }
    };
    let undo = move |id: BatchId| {
        let mut outcome = Ok(0);
        ctx.ws.update(|w| {
            if let Some(a) = w.active_mut() {
                outcome = a.undo_batch(id, now_ms());
            }
        });
        if let Err(e) = outcome {
            ctx.error(e.to_string());
        }
        if last.get_untracked().is_some_and(|(l, _)| l == id) {
            last.set(None);
        }
    };
    let batches = Memo::new(move |_| ctx.ws.with(|w| w.active().map(|a| a.batches().to_vec()).unwrap_or_default()));

    view! {
        <details class="card bulk-decisions" data-testid="bulk-decisions">
            <summary>"Decide on many findings at once"</summary>
            <div class="table-tools">
                <label>"Select failing findings shown "
                    <select data-testid="bulk-by" on:change=move |ev| { by.set(By::parse(&event_target_value(&ev))); value.set(String::new()); }>
                        {By::ALL.iter().map(|b| view! { <option value=b.as_str() selected=move || by.get() == *b>{b.label()}</option> }).collect_view()}
                    </select>
                </label>
                <Show when=move || by.get() != By::AllShown>
                    <select data-testid="bulk-value" aria-label="Value" prop:value=move || value.get() on:change=move |ev| value.set(event_target_value(&ev))>
                        {move || values.get().into_iter().map(|(k, n)| {
                            let label = format!("{k} ({n})");
                            let k2 = k.clone();
                            view! { <option value=k selected=move || value.get() == k2>{label}</option> }
                        }).collect_view()}
                    </select>
                </Show>
                <button type="button" class="btn btn-small" data-testid="bulk-select" on:click=select>"Select"</button>
                <span data-testid="bulk-count" role="status">{move || format!("{} findings selected", selected.with(Vec::len))}</span>
                <button type="button" class="btn btn-small" data-testid="bulk-clear" on:click=move |_| selected.set(Vec::new())>"Clear"</button>
            </div>
            <form class="decision bulk-form" novalidate on:submit=move |ev| { ev.prevent_default(); save() }>
                <label>"Decision "
                    <select data-testid="bulk-kind" on:change=move |ev| { if let Ok(k) = event_target_value(&ev).parse() { kind.set(k) } }>
                        {DecisionKind::ALL.iter().map(|k| view! { <option value=k.as_str() selected=move || kind.get() == *k>{k.label()}</option> }).collect_view()}
                    </select>
                </label>
                <label>"Reason "<input type="text" data-testid="bulk-reason" prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev))/></label>
                <label>"Expires on "<input type="date" data-testid="bulk-expires" min=tomorrow prop:value=move || expires.get() on:input=move |ev| expires.set(event_target_value(&ev))/></label>
                <button type="submit" class="btn" data-testid="bulk-save">{move || format!("Record for {} findings", selected.with(Vec::len))}</button>
                <p class="field-error" data-testid="bulk-error" role="alert">{move || problem.get()}</p>
            </form>
            {move || last.get().map(|(id, n)| view! {
                <p data-testid="bulk-saved" role="status">{format!("Recorded for {n} findings. ")}
                    <button type="button" class="btn btn-small" data-testid="bulk-undo" on:click=move |_| undo(id)>"Undo"</button>
                </p>
            })}
            <h4>"Recent batches"</h4>
            <ul class="bulk-batches">
                {move || batches.get().into_iter().rev().map(|b| {
                    let id = b.id;
                    let text = format!("{} · {} · {} finding(s){}", b.kind.label(), b.reason, b.members.len(), b.expires.map(|e| format!(" · until {e}")).unwrap_or_default());
                    view! {
                        <li data-testid="bulk-batch" data-batch=id.to_string()>{text}" "
                            <button type="button" class="btn btn-small" data-testid="bulk-batch-undo" on:click=move |_| undo(id)>"Undo"</button>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </details>
    }
}
