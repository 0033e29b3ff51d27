use crate::catalog::Filter;
use crate::model::{Role, ServiceModel};
use crate::Catalog;
use leptos::prelude::*;

/// Clause, role, service model and kind filters. Reads the current filter and
/// hands every change to `on_change`; holds no state of its own.
#[component]
pub fn FilterPanel(
    /// The current filter.
    filter: Memo<Filter>,
    /// Called with the new filter on every change.
    on_change: Callback<Filter>,
) -> impl IntoView {
    let catalog = Catalog::bundled();
    let update = move |f: &dyn Fn(&mut Filter)| {
        let mut next = filter.get_untracked();
        f(&mut next);
        on_change.run(next);
    };
    let clause_options = catalog
        .clauses()
        .map(|g| {
            let value = g.id.to_string();
            let n: Option<u8> = g.id.parse().ok();
            view! {
                <option value=value selected=move || filter.with(|f| f.clause == n && n.is_some())>
                    {format!("{} {}", g.id, g.title)}
                </option>
            }
        })
        .collect_view();

    let role_radio = move |role: Option<Role>, label: &'static str, id: &'static str| {
        view! {
            <label class="check" for=id>
                <input type="radio" name="role" id=id
                    prop:checked=move || filter.with(|f| f.role == role)
                    on:change=move |_| update(&|f| f.role = role)/>
                {label}
            </label>
        }
    };

    view! {
        <aside class="filters" aria-label="Filters" data-testid="filters">
            <div class="field">
                <label for="f-clause">"Clause"</label>
                <select id="f-clause" data-testid="filter-clause" on:change=move |ev| {
                    let v = event_target_value(&ev);
                    update(&|f| f.clause = v.parse().ok());
                }>
                    <option value="" selected=move || filter.with(|f| f.clause.is_none())>"All clauses"</option>
                    {clause_options}
                </select>
            </div>
            <fieldset>
                <legend>"Role"</legend>
                {role_radio(None, "Any", "role-any")}
                {role_radio(Some(Role::Csc), "Customer (CSC)", "role-csc")}
                {role_radio(Some(Role::Csp), "Provider (CSP)", "role-csp")}
            </fieldset>
            <fieldset>
                <legend>"Service model"</legend>
                {ServiceModel::ALL.iter().map(|m| {
                    let m = *m;
                    let id = format!("model-{}", m.as_str());
                    let label_for = id.clone();
                    view! {
                        <label class="check" for=label_for>
                            <input type="checkbox" id=id data-testid=format!("filter-model-{}", m.as_str())
                                prop:checked=move || filter.with(|f| f.models.contains(&m))
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    update(&|f| {
                                        f.models.retain(|x| *x != m);
                                        if on { f.models.push(m); f.models.sort(); }
                                    });
                                }/>
                            {m.label()}
                        </label>
                    }
                }).collect_view()}
                <p class="hint">"With a role, keeps the controls where that role has a part under the chosen models."</p>
            </fieldset>
            <fieldset>
                <legend>"Show only"</legend>
                <label class="check" for="f-cloud">
                    <input type="checkbox" id="f-cloud" data-testid="filter-cloud"
                        prop:checked=move || filter.with(|f| f.cloud_guidance_only)
                        on:change=move |ev| { let on = event_target_checked(&ev); update(&|f| f.cloud_guidance_only = on) }/>
                    "Has cloud-specific guidance"
                </label>
                <label class="check" for="f-cld">
                    <input type="checkbox" id="f-cld" data-testid="filter-cld"
                        prop:checked=move || filter.with(|f| f.cld_only)
                        on:change=move |ev| { let on = event_target_checked(&ev); update(&|f| f.cld_only = on) }/>
                    "Cloud extended (CLD) only"
                </label>
            </fieldset>
            <button type="button" class="button secondary" data-testid="filter-clear"
                disabled=move || filter.with(|f| f.is_empty())
                on:click=move |_| on_change.run(Filter::default())>
                "Clear filters"
            </button>
        </aside>
    }
}
