//! A control's compensating measure: when an automated check fails but
//! another measure covers the risk, the assessor records the measure, who
//! reviewed it and when; the engine then rolls the control up to "Met
//! (compensated)" (`workspace::rollup`). Without one, a failing finding
//! keeps the control at "Not met (automated)".

use crate::model::ControlId;
use crate::ui::ws::{now_ms, WsCtx};
use crate::workspace::evidence::Compensation;
use crate::workspace::IsoDate;
use leptos::prelude::*;

/// The form of `control` in the active assessment.
#[component]
pub fn CompensationForm(
    /// The control.
    control: ControlId,
) -> impl IntoView {
    let ctx = WsCtx::expect();
    let id = StoredValue::new(control.clone());
    let current = Memo::new(move |_| ctx.ws.with(|w| w.active().and_then(|a| a.compensation(&id.get_value()).cloned())));
    let initial = current.get_untracked();
    let justification = RwSignal::new(initial.as_ref().map(|c| c.justification.clone()).unwrap_or_default());
    let reviewer = RwSignal::new(initial.as_ref().map(|c| c.reviewer.clone()).unwrap_or_default());
    let reviewed = RwSignal::new(initial.as_ref().map(|c| c.reviewed_on.to_string()).unwrap_or_default());
    let problem = RwSignal::new(None::<String>);
    let store = move |value: Option<Compensation>| {
        let mut outcome = Ok(());
        ctx.ws.update(|w| {
            if let Some(a) = w.active_mut() {
                outcome = a.set_compensation(&id.get_value(), value.clone(), now_ms());
            }
        });
        problem.set(outcome.err().map(|e| e.to_string()));
    };
    let save = move || {
        let date = match reviewed.get_untracked().parse::<IsoDate>() {
            Ok(d) => d,
            Err(_) => {
                problem.set(Some("Give the review date.".into()));
                return;
            }
        };
        store(Some(Compensation { justification: justification.get_untracked(), reviewer: reviewer.get_untracked(), reviewed_on: date }));
    };
    view! {
        <form class="compensation" data-testid="compensation-form" novalidate on:submit=move |ev| { ev.prevent_default(); save() }>
            <h3>"Compensating measure"</h3>
            <p class="muted">"Only when an automated check fails but another measure covers the risk: the control then counts as Met (compensated) instead of Not met, shown as such in the report and every export."</p>
            {move || current.get().map(|c| view! {
                <p data-testid="compensation-current">{format!("Compensated: {} — reviewed by {} on {}", c.justification, c.reviewer, c.reviewed_on)}</p>
            })}
            <label class="wide">"Measure and justification "
                <textarea rows="2" data-testid="compensation-justification" prop:value=move || justification.get()
                    on:input=move |ev| justification.set(event_target_value(&ev))></textarea>
            </label>
            <label>"Reviewer "
                <input type="text" data-testid="compensation-reviewer" prop:value=move || reviewer.get() on:input=move |ev| reviewer.set(event_target_value(&ev))/>
            </label>
            <label>"Review date "
                <input type="date" data-testid="compensation-date" prop:value=move || reviewed.get() on:input=move |ev| reviewed.set(event_target_value(&ev))/>
            </label>
            <p class="field-error" data-testid="compensation-error" role="alert">{move || problem.get()}</p>
            <button type="submit" class="btn btn-small" data-testid="compensation-save">"Record compensation"</button>
            {move || current.get().map(|_| view! {
                <button type="button" class="btn btn-small" data-testid="compensation-remove" on:click=move |_| store(None)>"Remove"</button>
            })}
        </form>
    }
}
