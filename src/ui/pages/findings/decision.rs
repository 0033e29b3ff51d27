//! Waive or accept a failing finding. What the form shows is what it saves:
//! the decision `<select>` and its signal start from the same option. The
//! reason and an expiry after today are required; the engine's setter
//! (`Workspace::decide`) refuses the rest, and its message is shown inline
//! under the form, next to the field it concerns.

use crate::checks::Finding;
use crate::ui::ws::{now_ms, WsCtx};
use crate::workspace::{DecisionKind, FindingDecision, IsoDate, WorkspaceError};
use leptos::prelude::*;

/// A sentence from an engine message (which starts in lower case).
fn sentence(message: &str) -> String {
    let mut chars = message.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Which field a refusal concerns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Reason,
    Expires,
    Other,
}

/// The form.
#[component]
pub(super) fn DecisionForm(finding: Finding) -> impl IntoView {
    let ctx = WsCtx::expect();
    let today = ctx.today;
    let kind = RwSignal::new(DecisionKind::ALL[0]);
    let reason = RwSignal::new(String::new());
    let expires = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<(Field, String)>);
    let saved = RwSignal::new(false);
    let tomorrow = IsoDate::from_days(today + 1).map(|d| d.to_string()).unwrap_or_default();
    let f_current = finding.clone();
    let current = Memo::new(move |_| ctx.ws.with(|w| w.active().and_then(|a| a.decision_for(&f_current).cloned())));
    let f_revoke = finding.clone();
    let invalid = move |field: Field| move || problem.with(|p| p.as_ref().is_some_and(|(f, _)| *f == field)).to_string();

    let save = move || {
        saved.set(false);
        let why = reason.get_untracked();
        if why.trim().is_empty() {
            problem.set(Some((Field::Reason, "Give the reason for the decision.".into())));
            return;
        }
        let text = expires.get_untracked();
        let expires_on = if text.is_empty() {
            None
        } else {
            match text.parse::<IsoDate>() {
                Ok(d) => Some(d),
                Err(e) => {
                    problem.set(Some((Field::Expires, sentence(&e.to_string()))));
                    return;
                }
            }
        };
        let d = FindingDecision {
            check: finding.check.clone(),
            resource_id: finding.resource.id.to_string(),
            kind: kind.get_untracked(),
            reason: why,
            expires: expires_on,
        };
        let mut outcome = Ok(());
        ctx.ws.update(|w| {
            if let Some(a) = w.active_mut() {
                outcome = a.decide(d, today, now_ms());
            }
        });
        match outcome {
            Ok(()) => {
                problem.set(None);
                reason.set(String::new());
                expires.set(String::new());
                saved.set(true);
            }
            Err(e) => {
                let field = match e {
                    WorkspaceError::ExpiryMissing { .. } | WorkspaceError::ExpiryNotInFuture { .. } | WorkspaceError::InvalidDate { .. } => Field::Expires,
                    WorkspaceError::TextTooLong { .. } => Field::Reason,
                    _ => Field::Other,
                };
                problem.set(Some((field, sentence(&e.to_string()))));
            }
        }
    };

    view! {
        <form class="decision" data-testid="decision-form" aria-labelledby="decision-heading" novalidate
            on:submit=move |ev| { ev.prevent_default(); save() }>
            <h3 id="decision-heading">"Accept or waive"</h3>
            <div role="status">
                {move || current.get().map(|d| view! {
                    <p data-testid="decision-current" data-kind=d.kind.as_str()>
                        {format!("{}: {}{}", d.kind.label(), d.reason, d.expires.map(|e| format!(" (until {e})")).unwrap_or_default())}
                    </p>
                })}
                {move || saved.get().then(|| view! { <p class="muted" data-testid="decision-saved">"Decision recorded."</p> })}
            </div>
            {move || current.get().map(|_| {
                let f = f_revoke.clone();
                view! {
                    <button type="button" class="btn btn-small" data-testid="decision-revoke" on:click=move |_| {
                        saved.set(false);
                        ctx.ws.update(|w| { if let Some(a) = w.active_mut() { a.revoke_decision(&f.check, &f.resource.id, now_ms()); } });
                    }>"Revoke"</button>
                }
            })}
            <label>"Decision "
                <select data-testid="decision-kind" prop:value=move || kind.get().as_str()
                    on:change=move |ev| { if let Ok(k) = event_target_value(&ev).parse() { kind.set(k) } }>
                    {DecisionKind::ALL.iter().map(|k| view! { <option value=k.as_str() selected=move || kind.get() == *k>{k.label()}</option> }).collect_view()}
                </select>
            </label>
            <label>"Reason "
                <input type="text" data-testid="decision-reason" required aria-invalid=invalid(Field::Reason) aria-describedby="decision-problem"
                    prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev))/>
            </label>
            <label>"Expires on "
                <input type="date" data-testid="decision-expires" required min=tomorrow.clone() aria-invalid=invalid(Field::Expires)
                    aria-describedby="decision-expires-hint decision-problem"
                    prop:value=move || expires.get() on:input=move |ev| expires.set(event_target_value(&ev))/>
            </label>
            <p class="muted" id="decision-expires-hint">{format!("Required: a day after today ({tomorrow} or later). From that day the finding counts as failing again.")}</p>
            <p id="decision-problem" class="field-error" data-testid="decision-error" role="alert">{move || problem.get().map(|(_, m)| m)}</p>
            <button type="submit" class="btn" data-testid="decision-save">"Record decision"</button>
        </form>
    }
}
