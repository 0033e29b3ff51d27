use super::ResponsibilityPill;
use crate::catalog::ResponsibilityMatrix;
use crate::model::ServiceModel;
use leptos::prelude::*;

/// The default split of responsibility for one control under IaaS, PaaS and SaaS.
#[component]
pub fn ResponsibilityTable(
    /// The control's split (a catalog fact, shown at once).
    responsibility: ResponsibilityMatrix,
    /// Why the split is so (guidance text: `None` until it has loaded).
    #[prop(into)]
    note: Signal<Option<&'static str>>,
) -> impl IntoView {
    view! {
        <section class="card responsibility" aria-labelledby="resp-h" data-testid="responsibility">
            <h2 id="resp-h">"Default responsibility"</h2>
            <div class="resp-grid">
                {ServiceModel::ALL.iter().map(|m| view! {
                    <ResponsibilityPill model=*m responsibility=responsibility.get(*m)/>
                }).collect_view()}
            </div>
            {move || note.get().map(|n| view! { <p class="muted" data-testid="responsibility-note">{n}</p> })}
        </section>
    }
}
