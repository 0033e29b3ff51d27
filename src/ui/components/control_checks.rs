//! The automated checks that evidence one control, read from the engine's per-control index
//! (`checks::listing`), each with the one line saying how it evidences the control.

use crate::checks::listing::{provider_label, Listing};
use crate::model::ControlId;
use crate::route::Route;
use crate::ui::guidance::GuidanceCtx;
use crate::ui::ws::WsCtx;
use leptos::prelude::*;

/// The "Automated checks" card of a control page; with a link to the control's findings when the
/// active assessment has uploads.
#[component]
pub fn ControlChecks(
    /// The control.
    control: &'static ControlId,
) -> impl IntoView {
    // The page's listing is of rule heads: each reason comes with the guidance asset.
    let checks = Listing::bundled_heads().for_control(control);
    let guidance = GuidanceCtx::expect();
    let ws = WsCtx::expect();
    // Only whether there is something to show on the findings page is read here, so the card is
    // not rebuilt when the assessment's answers change.
    let has_uploads = Memo::new(move |_| ws.ws.with(|w| w.active().is_some_and(|a| !a.uploads().is_empty())));
    let count = checks.len();
    let items = checks
        .into_iter()
        .map(|c| {
            let rule = c.check.rule;
            let id = rule.id.clone();
            let reason = move || guidance.check_texts(&id).map(|t| t.reason(control).to_string());
            let severity = rule.severity;
            let providers = c.check.providers.iter().map(|p| provider_label(*p)).collect::<Vec<_>>().join(", ");
            view! {
                <li data-testid="control-check" data-check=rule.id.to_string()>
                    <strong data-testid="control-check-title">{rule.title.clone()}</strong>
                    <div class="muted">
                        <span class=format!("sev s-{}", severity.as_str()) data-testid="control-check-severity">{severity.label()}</span>
                        " · "<span data-testid="control-check-providers">{providers}</span>
                        " · "<code>{rule.id.to_string()}</code>
                    </div>
                    <p data-testid="control-check-reason">{reason}</p>
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="card control-checks" aria-labelledby="checks-h" data-testid="control-checks">
            <h2 id="checks-h">"Automated checks"</h2>
            {if count == 0 {
                view! { <p class="muted">"No automated check evidences this control: it is assessed by its answer in the assessment."</p> }.into_any()
            } else {
                view! {
                    <p class="muted">{format!("{count} check{} read uploaded exports for this control:", if count == 1 { "" } else { "s" })}</p>
                    <ul class="mapping-list">{items}</ul>
                }.into_any()
            }}
            {move || (count > 0 && has_uploads.get()).then(|| view! {
                <p><a href=Route::Findings(Some(control.clone())).to_hash() data-testid="control-findings-link">
                    {format!("Findings for {control} in this assessment")}</a></p>
            })}
        </section>
    }
}
