use super::ResponsibilityPill;
use crate::catalog::Guidance;
use crate::model::ServiceModel;
use leptos::prelude::*;

/// The default split of responsibility for one control under IaaS, PaaS and SaaS.
#[component]
pub fn ResponsibilityTable(
    /// The control's guidance.
    guidance: &'static Guidance,
) -> impl IntoView {
    view! {
        <section class="card responsibility" aria-labelledby="resp-h" data-testid="responsibility">
            <h2 id="resp-h">"Default responsibility"</h2>
            <div class="resp-grid">
                {ServiceModel::ALL.iter().map(|m| view! {
                    <ResponsibilityPill model=*m responsibility=guidance.responsibility.get(*m)/>
                }).collect_view()}
            </div>
            <p class="muted">{guidance.responsibility_note}</p>
        </section>
    }
}
