use super::{KindBadge, ResponsibilityPill};
use crate::catalog::{Filter, Hit};
use crate::route::control_href;
use crate::Catalog;
use leptos::prelude::*;

/// The search results: grouped by clause and category when browsing, ranked
/// when there is a query.
#[component]
pub fn ControlList(
    /// Results of the current filter.
    hits: Memo<Vec<Hit<'static>>>,
    /// The current filter (for the responsibility columns and the layout).
    filter: Memo<Filter>,
) -> impl IntoView {
    let catalog = Catalog::bundled();
    move || {
        let f = filter.get();
        let hits = hits.get();
        if hits.is_empty() {
            return view! {
                <div class="empty" data-testid="no-results">
                    <p><strong>"No control matches."</strong></p>
                    <p class="muted">"Try fewer words, a control number such as 9.4.1, an ISO/IEC 27002:2022 number such as 5.23, or clear the filters."</p>
                </div>
            }
            .into_any();
        }
        if !f.query.trim().is_empty() {
            return view! {
                <ol class="control-list ranked">
                    {hits.into_iter().map(|h| view! { <ControlRow hit=h filter=f.clone()/> }).collect_view()}
                </ol>
            }
            .into_any();
        }
        let sections = catalog
            .clauses()
            .filter_map(|clause| {
                let in_clause: Vec<&Hit> = hits.iter().filter(|h| {
                    catalog.group(h.control.category).and_then(|g| g.parent) == Some(clause.id)
                }).collect();
                if in_clause.is_empty() {
                    return None;
                }
                let categories = catalog
                    .groups()
                    .iter()
                    .filter(|g| g.parent == Some(clause.id))
                    .filter_map(|cat| {
                        let rows: Vec<Hit<'static>> =
                            in_clause.iter().filter(|h| h.control.category == cat.id).map(|h| (*h).clone()).collect();
                        (!rows.is_empty()).then(|| {
                            let f = f.clone();
                            view! {
                                <section class="category">
                                    <h3>{format!("{} {}", cat.id, cat.title)}</h3>
                                    <ol class="control-list">
                                        {rows.into_iter().map(|h| view! { <ControlRow hit=h filter=f.clone()/> }).collect_view()}
                                    </ol>
                                </section>
                            }
                        })
                    })
                    .collect_view();
                Some(view! {
                    <section class="clause" aria-label=format!("Clause {} {}", clause.id, clause.title)>
                        <h2>{format!("{} {}", clause.id, clause.title)}</h2>
                        {categories}
                    </section>
                })
            })
            .collect_view();
        view! { <div class="grouped">{sections}</div> }.into_any()
    }
}

/// One control in the list.
#[component]
fn ControlRow(
    /// The result.
    hit: Hit<'static>,
    /// The filter (service models to show).
    filter: Filter,
) -> impl IntoView {
    let c = hit.control;
    let models = filter.effective_models();
    view! {
        <li class="control-row" data-testid="control-row" data-control-id=c.id.to_string()>
            <a class="control-link" href=control_href(&c.id)>
                <span class="control-id">{c.id.to_string()}</span>
                <span class="control-title">{c.title}</span>
            </a>
            <div class="control-meta">
                <KindBadge kind=c.kind/>
                <span class="mapping-chips" title="ISO/IEC 27002:2022 / ISO/IEC 27001:2022 Annex A">
                    {c.mappings.iter().map(|m| view! { <span class="chip">{m.id}</span> }).collect_view()}
                </span>
                <span class="resp-inline">
                    {models.into_iter().filter_map(|m| c.responsibility(m).map(|r| view! {
                        <ResponsibilityPill model=m responsibility=r/>
                    })).collect_view()}
                </span>
            </div>
            {hit.excerpt.map(|e| view! { <p class="excerpt">{e}</p> })}
        </li>
    }
}
