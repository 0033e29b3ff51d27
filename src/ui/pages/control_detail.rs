use crate::catalog::{Control, Part};
use crate::model::{ControlId, MappingBasis};
use crate::route::{control_href, percent_encode, Route};
use crate::ui::components::{CompensationForm, ControlChecks, EvidenceChecklist, GuidanceSources, ItemList, KindBadge, MarkdownView, ResponsibilityTable};
use crate::ui::guidance::{GuidanceCtx, GuidanceNotice};
use crate::ui::state::RouterCtx;
use crate::Catalog;
use leptos::prelude::*;

/// One control: facts, mapping, responsibility and our guidance.
#[component]
pub fn ControlDetailPage() -> impl IntoView {
    let router = RouterCtx::expect();
    let catalog = Catalog::bundled();
    let id = Memo::new(move |_| match router.route.get() {
        Route::Control { id, .. } => Some(id),
        _ => None,
    });
    let part = Memo::new(move |_| match router.route.get() {
        Route::Control { part, .. } => part,
        _ => None,
    });

    let guidance = GuidanceCtx::expect();
    let text_ready = Memo::new(move |_| guidance.ready().is_some());

    // DOM sync only: scroll to the requested part (or the top) once the page
    // for the current id has rendered, and to the part again when the
    // guidance text arrives (but not to the top: the reader may have scrolled).
    Effect::new(move |prev: Option<(Option<ControlId>, Option<Part>)>| {
        let key = (id.get(), part.get());
        let _ = text_ready.get();
        let target = key.1.map(|p| format!("part-{}", p.as_str()));
        if prev.as_ref() != Some(&key) || target.is_some() {
            request_animation_frame(move || {
                match target.and_then(|t| document().get_element_by_id(&t)) {
                    Some(el) => el.scroll_into_view(),
                    None => window().scroll_to_with_x_and_y(0.0, 0.0),
                }
            });
        }
        key
    });

    move || match id.get() {
        Some(id) => match catalog.control(&id) {
            Some(control) => {
                super::set_title(&format!("{} {}", control.id, control.title));
                view! { <ControlView control=control/> }.into_any()
            }
            None => {
                super::set_title("Unknown control");
                view! { <UnknownControl id=id/> }.into_any()
            }
        },
        None => ().into_any(),
    }
}

#[component]
fn UnknownControl(id: ControlId) -> impl IntoView {
    view! {
        <div class="page narrow" data-testid="error-banner">
            <h1>"No such control"</h1>
            <p>{format!("{} has no control {id}.", Catalog::bundled().edition().standard)}</p>
            <p><a href=Route::Controls(crate::catalog::Filter { query: id.to_string(), ..Default::default() }).to_hash()>
                {format!("Search for \u{201c}{id}\u{201d}")}</a>" or "<a href="#/controls">"browse all controls"</a>"."</p>
        </div>
    }
}

#[component]
fn ControlView(control: &'static Control) -> impl IntoView {
    let catalog = Catalog::bundled();
    let category = catalog.group(control.category);
    let clause = category.and_then(|c| c.parent).and_then(|p| catalog.group(p));
    let (prev, next) = catalog.neighbours(&control.id);
    let guidance = GuidanceCtx::expect();
    let ws_ctx = crate::ui::ws::WsCtx::expect();
    let parts = control.parts();
    let part_href = move |p: Part| Route::Control { id: control.id.clone(), part: Some(p) }.to_hash();
    let suggested = control.has_suggested_mapping();

    view! {
        <article class="page control-page" data-testid="control-page" data-control-id=control.id.to_string()>
            <nav class="breadcrumbs" aria-label="Breadcrumb">
                <a href="#/controls">"Controls"</a>
                {clause.map(|c| view! {
                    <span aria-hidden="true">" / "</span>
                    <a href=Route::Controls(crate::catalog::Filter { clause: c.id.parse().ok(), ..Default::default() }).to_hash()>
                        {format!("{} {}", c.id, c.title)}
                    </a>
                })}
                {category.map(|c| view! { <span aria-hidden="true">" / "</span><span>{format!("{} {}", c.id, c.title)}</span> })}
            </nav>
            <header class="control-header">
                <p class="control-id-large">{control.id.to_string()}</p>
                <h1 data-testid="control-title">{control.title}</h1>
                <div class="control-meta"><KindBadge kind=control.kind/></div>
            </header>

            <div class="control-layout">
                <div class="control-main">
                    <GuidanceNotice/>
                    {move || guidance.ready().map(|set| match set.get(&control.id) {
                        Some(g) => view! {
                            {parts.iter().filter_map(|p| g.part(*p).map(|md| (*p, md))).map(|(p, md)| view! {
                                <section class=format!("card part part-{}", p.as_str()) id=format!("part-{}", p.as_str())
                                    data-testid=format!("guidance-{}", p.as_str()) aria-labelledby=format!("h-{}", p.as_str())>
                                    <h2 id=format!("h-{}", p.as_str())>{p.heading()}</h2>
                                    {match g.items(p) {
                                        Some(items) => view! { <ItemList control=control.id.clone() items=items/> }.into_any(),
                                        None => view! { <MarkdownView markdown=md/> }.into_any(),
                                    }}
                                </section>
                            }).collect_view()}
                            <GuidanceSources guidance=g/>
                        }.into_any(),
                        None => view! {
                            <p class="banner banner-warning" data-testid="error-banner">"Guidance for this control is missing from this build."</p>
                        }.into_any(),
                    })}
                    <ControlChecks control=&control.id/>
                    {move || ws_ctx.ws.with(|w| w.active().is_some()).then(|| view! {
                        <section class="card" data-testid="control-evidence" aria-label="Evidence in the active assessment">
                            <EvidenceChecklist control=control.id.clone()/>
                            <CompensationForm control=control.id.clone()/>
                        </section>
                    })}
                </div>
                <aside class="control-side">
                    <nav class="card toc" aria-label="On this page">
                        <h2>"On this page"</h2>
                        <ul>
                            {parts.iter().map(|p| view! { <li><a href=part_href(*p)>{p.heading()}</a></li> }).collect_view()}
                        </ul>
                    </nav>
                    {control.default_responsibility.map(|r| view! {
                        <ResponsibilityTable responsibility=r note=Signal::derive(move || {
                            guidance.ready().and_then(|set| set.get(&control.id)).map(|g| g.responsibility_note.as_str())
                        })/>
                    })}
                    <section class="card mapping" aria-labelledby="map-h" data-testid="mapping">
                        <h2 id="map-h">"ISO/IEC 27002:2022 / 27001:2022 Annex A"</h2>
                        <ul class="mapping-list">
                            {control.mappings.iter().map(|m| view! {
                                <li>
                                    <a class="chip" href=format!("#/controls?q={}", percent_encode(m.id))
                                        title=format!("Controls that map to {}", m.id)>{m.id}</a>
                                    " " {m.title}
                                </li>
                            }).collect_view()}
                        </ul>
                        <p class="muted">
                            {if suggested {
                                "Suggested mapping: no official correspondence exists for the cloud extended controls."
                            } else {
                                MappingBasis::OfficialAnnexB.label()
                            }}
                        </p>
                    </section>
                </aside>
            </div>

            <nav class="pager" aria-label="Previous and next control">
                {prev.map(|p| view! { <a class="prev" href=control_href(&p.id) rel="prev">{format!("\u{2190} {} {}", p.id, p.title)}</a> })}
                {next.map(|n| view! { <a class="next" href=control_href(&n.id) rel="next">{format!("{} {} \u{2192}", n.id, n.title)}</a> })}
            </nav>
        </article>
    }
}
