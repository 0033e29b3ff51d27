//! A control's evidence checklist: the guidance's evidence items, each with
//! its status, reference, date and collector, plus the automatic item of the
//! control's checks, and the progress the engine counts
//! (`workspace::evidence`). A local file is hashed by the worker in chunks;
//! only its name, size and SHA-256 are kept. A link is a link only when the
//! engine says it is safe (`EvidenceRef::safe_url`): https or http.

use super::MarkdownView;
use crate::catalog::items::bundled_evidence_ids;
use crate::catalog::EvidenceId;
use crate::model::ControlId;
use crate::ui::guidance::GuidanceCtx;
use crate::ui::ws::{now_ms, WsCtx};
use crate::workspace::evidence::{AutomatedItem, EvidenceEntry, EvidenceRef, EvidenceStatus, ReferenceKind};
use crate::workspace::IsoDate;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// The checklist of `control` in the active assessment.
#[component]
pub fn EvidenceChecklist(
    /// The control.
    control: ControlId,
) -> impl IntoView {
    let ctx = WsCtx::expect();
    let today = ctx.today;
    let id = StoredValue::new(control.clone());
    // One control's roll-up and progress, recomputed when the assessment changes.
    let progress = Memo::new(move |_| {
        ctx.ws.with(|w| {
            w.active().map(|a| {
                let c = id.get_value();
                let auto = AutomatedItem::of_rollup(&c, &a.roll_up(&c, today));
                (auto, a.evidence_progress(&c, auto))
            })
        })
    });
    let items: Vec<EvidenceId> = bundled_evidence_ids(&control).collect();
    let qualified = control.to_string();
    view! {
        <section class="evidence-checklist" data-testid="evidence-checklist" data-control=qualified aria-label=format!("Evidence checklist of {control}")>
            <h3>"Evidence checklist "
                <span class="muted" data-testid="evidence-progress" role="status">
                    {move || progress.get().map(|(_, p)| p.label()).unwrap_or_default()}
                </span>
            </h3>
            <ul class="evidence-items">
                {items.into_iter().map(|item| view! { <EvidenceItemRow control=control.clone() item=item/> }).collect_view()}
                {move || progress.get().and_then(|(auto, _)| auto).map(|a| view! {
                    <li class="evidence-item evidence-auto" data-testid="evidence-auto" data-collected=a.collected().to_string()>
                        <span class="item-id">"auto"</span>
                        <span>{a.label()}</span>
                        <span class="muted">{if a.collected() { " — counted as collected" } else { " — not counted until the checks ran and none failed" }}</span>
                    </li>
                })}
            </ul>
        </section>
    }
}

/// One item: its text and the fields of its record.
#[component]
fn EvidenceItemRow(control: ControlId, item: EvidenceId) -> impl IntoView {
    let ctx = WsCtx::expect();
    let guidance = GuidanceCtx::expect();
    let id = StoredValue::new(control.clone());
    let entry = Memo::new(move |_| ctx.ws.with(|w| w.active().map(|a| a.evidence_entry(&id.get_value(), item)).unwrap_or_default()));
    let initial = entry.get_untracked();
    let kind = RwSignal::new(initial.reference.as_ref().map(EvidenceRef::kind));
    let text = RwSignal::new(initial.reference.as_ref().filter(|r| r.kind() != ReferenceKind::File).map(|r| r.text().to_string()).unwrap_or_default());
    let hashing = RwSignal::new(None::<String>);
    let set = move |f: &dyn Fn(&mut EvidenceEntry)| {
        let c = id.get_value();
        ctx.ws.update(|w| {
            if let Some(a) = w.active_mut() {
                let mut e = a.evidence_entry(&c, item);
                f(&mut e);
                if let Err(err) = a.set_evidence(&c, item, e, now_ms()) {
                    ctx.error(err.to_string());
                }
            }
        });
    };
    let item_text = move || {
        guidance.ready().and_then(|set| set.get(&id.get_value())).and_then(|g| g.evidence_items.iter().find(|i| i.id == item)).map(|i| i.text.as_str())
    };
    let on_file = move |ev: leptos::ev::Event| {
        let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return };
        let Some(file) = input.files().and_then(|l| l.get(0)) else { return };
        let name = file.name();
        hashing.set(Some(format!("Computing the SHA-256 of {name}…")));
        ctx.hash_file_in_worker(file, move |result| match result {
            Ok((size, sha256)) => {
                hashing.set(None);
                set(&|e: &mut EvidenceEntry| e.reference = Some(EvidenceRef::File { name: name.clone(), size, sha256: sha256.clone() }));
            }
            Err(why) => hashing.set(Some(format!("The file could not be read: {why}"))),
        });
    };
    let qualified = format!("{control}-{item}");
    view! {
        <li class="evidence-item" data-testid="evidence-item" data-item-id=qualified.clone() data-status=move || entry.get().status.as_str()>
            <span class="item-id">{item.to_string()}</span>
            {move || item_text().map(|t| view! { <MarkdownView markdown=t class="item-text"/> })}
            <div class="evidence-fields">
                <label>"Status "
                    <select data-testid="evidence-status" on:change=move |ev| {
                        if let Ok(s) = event_target_value(&ev).parse::<EvidenceStatus>() { set(&|e: &mut EvidenceEntry| e.status = s) }
                    }>
                        {EvidenceStatus::ALL.iter().map(|s| { let s = *s; view! {
                            <option value=s.as_str() selected=move || entry.get().status == s>{s.label()}</option>
                        }}).collect_view()}
                    </select>
                </label>
                <label>"Reference "
                    <select data-testid="evidence-ref-kind" on:change=move |ev| {
                        let k = event_target_value(&ev).parse::<ReferenceKind>().ok();
                        kind.set(k);
                        let t = text.get_untracked();
                        set(&|e: &mut EvidenceEntry| {
                            e.reference = k.and_then(|k| if t.trim().is_empty() { None } else { EvidenceRef::typed(k, t.clone()) });
                        });
                    }>
                        <option value="" selected=move || kind.get().is_none()>"None"</option>
                        {ReferenceKind::ALL.iter().map(|k| { let k = *k; view! {
                            <option value=k.as_str() selected=move || kind.get() == Some(k)>{k.label()}</option>
                        }}).collect_view()}
                    </select>
                </label>
                <Show when=move || kind.get().is_some_and(|k| k != ReferenceKind::File)>
                    <label>{move || kind.get().map(|k| k.label()).unwrap_or_default()}" "
                        <input type="text" data-testid="evidence-ref-text" prop:value=move || text.get() on:change=move |ev| {
                            let t = event_target_value(&ev);
                            text.set(t.clone());
                            let k = kind.get_untracked();
                            set(&|e: &mut EvidenceEntry| e.reference = k.and_then(|k| if t.trim().is_empty() { None } else { EvidenceRef::typed(k, t.clone()) }));
                        }/>
                    </label>
                </Show>
                <Show when=move || kind.get() == Some(ReferenceKind::File)>
                    <label>"File (hashed here, never uploaded) "
                        <input type="file" data-testid="evidence-file" on:change=on_file/>
                    </label>
                </Show>
                <label>"Collected on "
                    <input type="date" data-testid="evidence-collected-on" prop:value=initial.collected_on.map(|d| d.to_string()).unwrap_or_default() on:change=move |ev| {
                        let d = event_target_value(&ev).parse::<IsoDate>().ok();
                        set(&|e: &mut EvidenceEntry| e.collected_on = d)
                    }/>
                </label>
                <label>"Collected by "
                    <input type="text" data-testid="evidence-collected-by" prop:value=initial.collected_by.clone() on:change=move |ev| {
                        let v = event_target_value(&ev);
                        set(&|e: &mut EvidenceEntry| e.collected_by = v.clone())
                    }/>
                </label>
            </div>
            <p class="muted evidence-hashing" role="status">{move || hashing.get()}</p>
            {move || entry.get().reference.map(|r| reference_view(&r))}
        </li>
    }
}

/// The stored reference: a link only when safe; a file as name, size, digest.
fn reference_view(r: &EvidenceRef) -> AnyView {
    match r {
        EvidenceRef::File { name, size, sha256 } => view! {
            <p class="evidence-ref" data-testid="evidence-ref">
                {format!("{name} · {size} bytes · SHA-256 ")}<code data-testid="evidence-digest">{sha256.clone()}</code>
            </p>
        }
        .into_any(),
        other => match other.safe_url() {
            Some(url) => view! {
                <p class="evidence-ref" data-testid="evidence-ref">
                    <a data-testid="evidence-ref-link" href=url.to_string() target="_blank" rel="noopener noreferrer">{url.to_string()}</a>
                </p>
            }
            .into_any(),
            None => view! { <p class="evidence-ref" data-testid="evidence-ref">{other.summary()}</p> }.into_any(),
        },
    }
}
