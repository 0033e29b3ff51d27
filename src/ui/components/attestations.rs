//! The provider side of an assessment on the assessment page: the provider's
//! attestations (record, edit, delete; where to get them), the one-click
//! "Inherit proposed controls" with its confirmation and undo, the provider
//! coverage counts, and each control's provider part. Every rule is the
//! engine's (`workspace::attest`); this file only renders and calls setters.

use crate::ui::ws::{now_ms, WsCtx};
use crate::workspace::attest::{
    split_list, AttestProvider, Attestation, AttestationDraft, AttestationId, DocumentType, InheritUndo, Inheritance, Portal,
    ProviderCounts, ProviderPart, PORTALS,
};
use crate::workspace::IsoDate;
use crate::model::ControlId;
use crate::Catalog;
use leptos::html;
use leptos::prelude::*;

/// The counts of applicable controls by provider coverage (dashboard and report).
#[component]
pub fn ProviderSummary(counts: ProviderCounts) -> impl IntoView {
    let stat = |testid: &'static str, n: usize, label: &'static str| {
        view! { <div class="stat"><span class="stat-value" data-testid=testid>{n.to_string()}</span><span class="stat-label">{label}</span></div> }
    };
    view! {
        <div class="summary provider-summary" data-testid="provider-summary" aria-label="Provider and customer work">
            {stat("count-provider", counts.provider, "covered by provider attestation")}
            {stat("count-provider-shared", counts.shared, "shared with the provider")}
            {stat("count-customer", counts.customer, "customer's own")}
            {stat("count-provider-review", counts.review, "provider attestation needs review")}
        </div>
    }
}

#[derive(Clone, Copy)]
struct Form {
    provider: RwSignal<String>,
    provider_name: RwSignal<String>,
    document: RwSignal<String>,
    document_name: RwSignal<String>,
    issuer: RwSignal<String>,
    issued: RwSignal<String>,
    expires: RwSignal<String>,
    services: RwSignal<String>,
    regions: RwSignal<String>,
    portal: RwSignal<String>,
    reference: RwSignal<String>,
}

impl Form {
    fn new() -> Form {
        let empty = || RwSignal::new(String::new());
        Form {
            provider: RwSignal::new(AttestProvider::Aws.as_str().into()),
            provider_name: empty(),
            document: RwSignal::new(DocumentType::Iso27001.as_str().into()),
            document_name: empty(),
            issuer: empty(),
            issued: empty(),
            expires: empty(),
            services: empty(),
            regions: empty(),
            portal: RwSignal::new(Portal::AwsArtifact.as_str().into()),
            reference: empty(),
        }
    }
    fn fill(&self, d: Option<&AttestationDraft>) {
        let s = |v: &str| v.to_string();
        self.provider.set(d.map_or(s(AttestProvider::Aws.as_str()), |d| s(d.provider.as_str())));
        self.provider_name.set(d.map_or(String::new(), |d| d.provider_name.clone()));
        self.document.set(d.map_or(s(DocumentType::Iso27001.as_str()), |d| s(d.document.as_str())));
        self.document_name.set(d.map_or(String::new(), |d| d.document_name.clone()));
        self.issuer.set(d.map_or(String::new(), |d| d.issuer.clone()));
        self.issued.set(d.map_or(String::new(), |d| d.issued.to_string()));
        self.expires.set(d.map_or(String::new(), |d| d.expires.to_string()));
        self.services.set(d.map_or(String::new(), |d| d.services.join("\n")));
        self.regions.set(d.map_or(String::new(), |d| d.regions.join("\n")));
        self.portal.set(d.map_or(s(Portal::AwsArtifact.as_str()), |d| s(d.portal.as_str())));
        self.reference.set(d.map_or(String::new(), |d| d.reference.clone()));
    }
    /// The draft, or what is missing.
    fn draft(&self) -> Result<AttestationDraft, String> {
        let date = |v: String, what: &str| v.parse::<IsoDate>().map_err(|_| format!("Enter the {what} (YYYY-MM-DD)."));
        Ok(AttestationDraft {
            provider: self.provider.get_untracked().parse().map_err(|_| "Choose the provider.".to_string())?,
            provider_name: self.provider_name.get_untracked(),
            document: self.document.get_untracked().parse().map_err(|_| "Choose the document type.".to_string())?,
            document_name: self.document_name.get_untracked(),
            issuer: self.issuer.get_untracked(),
            issued: date(self.issued.get_untracked(), "issue date")?,
            expires: date(self.expires.get_untracked(), "expiry date or report period end")?,
            services: split_list(&self.services.get_untracked()),
            regions: split_list(&self.regions.get_untracked()),
            portal: self.portal.get_untracked().parse().map_err(|_| "Choose where it was obtained.".to_string())?,
            reference: self.reference.get_untracked(),
        })
    }
}

fn text_input(label: &'static str, testid: &'static str, sig: RwSignal<String>, kind: &'static str) -> impl IntoView {
    view! {
        <label>{label}" "
            <input type=kind data-testid=testid prop:value=move || sig.get() on:input=move |ev| sig.set(event_target_value(&ev))/>
        </label>
    }
}

/// The "Provider attestations" card.
#[component]
pub fn ProviderAttestations() -> impl IntoView {
    let ctx = WsCtx::expect();
    let today = ctx.today;
    let list = Memo::new(move |_| ctx.ws.with(|w| w.active().map(|a| a.attestations().to_vec()).unwrap_or_default()));
    // None: form closed; Some(None): new; Some(Some(id)): editing.
    let editing = RwSignal::new(None::<Option<AttestationId>>);
    let form = Form::new();
    let form_error = RwSignal::new(None::<String>);
    let confirm = RwSignal::new(None::<(AttestationId, String, Vec<ControlId>)>);
    let undo = RwSignal::new(None::<(String, InheritUndo)>);

    let form_s = form;
    let save = move |_| {
        let draft = match form_s.draft() {
            Ok(d) => d,
            Err(e) => return form_error.set(Some(e)),
        };
        let target = editing.get_untracked().flatten();
        let mut result = Ok(());
        ctx.ws.update(|w| {
            if let Some(a) = w.active_mut() {
                result = match &target {
                    Some(id) => a.update_attestation(id, draft.clone(), now_ms()),
                    None => a.add_attestation(draft.clone(), now_ms()).map(|_| ()),
                };
            }
        });
        match result {
            Ok(()) => {
                form_error.set(None);
                editing.set(None);
            }
            Err(e) => form_error.set(Some(e.to_string())),
        }
    };
    let form_o = form;
    let open_new = move |_| {
        form_o.fill(None);
        form_error.set(None);
        editing.set(Some(None));
    };
    let propose = move |a: &Attestation| {
        let proposal = ctx.ws.with_untracked(|w| w.active().map(|ws| ws.inherit_proposal(&a.id)).unwrap_or_default());
        confirm.set(Some((a.id.clone(), a.draft.title(), proposal)));
    };
    let apply = move |_| {
        let Some((id, title, controls)) = confirm.get_untracked() else { return };
        let mut made = None;
        ctx.ws.update(|w| {
            if let Some(a) = w.active_mut() {
                match a.inherit(&id, &controls, now_ms()) {
                    Ok(u) => made = Some(u),
                    Err(e) => ctx.error(e.to_string()),
                }
            }
        });
        confirm.set(None);
        if let Some(u) = made {
            undo.set(Some((format!("{} control(s) now inherit from {title}.", controls.len()), u)));
        }
    };
    let undo_last = move |_| {
        let Some((_, u)) = undo.get_untracked() else { return };
        ctx.ws.update(|w| {
            if let Some(a) = w.active_mut() {
                if let Err(e) = a.undo_inherit(u, now_ms()) {
                    ctx.error(e.to_string());
                }
            }
        });
        undo.set(None);
    };
    let confirm_ref = NodeRef::<html::Button>::new();
    Effect::new(move |_| {
        if let Some(b) = confirm_ref.get() {
            let _ = b.focus();
        }
    });

    let form_v = form;
    view! {
        <section class="card attestations" aria-labelledby="attest-h" data-testid="attestations">
            <h2 id="attest-h">"Provider attestations"</h2>
            <p class="muted">"Record the certificates and audit reports that prove what your cloud provider covers, then let controls inherit from them. "
                "Get them from the provider's portal (links below; the app never contacts them)."</p>
            <ul class="portal-links">
                {PORTALS.iter().map(|p| view! {
                    <li><a href=p.url target="_blank" rel="noopener noreferrer">{p.portal.label()}</a>
                        <span class="muted">{format!(" — {} (checked {})", p.doc_title, p.last_verified)}</span>" "
                        <a href=p.doc_url target="_blank" rel="noopener noreferrer" class="muted">"documentation"</a></li>
                }).collect_view()}
            </ul>
            <ul class="attestation-list">
                {move || list.get().into_iter().map(|a| {
                    let problems = ctx.ws.with(|w| w.active().map(|ws| a.draft.problems(today, &ws.scope().providers)).unwrap_or_default());
                    let citing = ctx.ws.with(|w| w.active().map(|ws| ws.inherited().values().filter(|i| i.attestations.contains(&a.id)).count()).unwrap_or(0));
                    let title = a.draft.title();
                    let (a_edit, a_inherit, a_del) = (a.clone(), a.clone(), a.id.clone());
                    let form_e = form_v;
                    let scope_text = [a.draft.services.join(", "), a.draft.regions.join(", ")].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join(" · ");
                    let portal = a.draft.portal.info().map(|p| view! { " · "<a href=p.url target="_blank" rel="noopener noreferrer">{p.portal.label()}</a> });
                    let inherit_label = format!("Inherit proposed controls from {title}");
                    view! {
                        <li class="attestation" data-testid="attestation" data-id=a.id.to_string()>
                            <p><strong data-testid="attestation-title">{title.clone()}</strong>
                                {if problems.is_empty() {
                                    view! { " "<span class="badge badge-ok" data-testid="attestation-state">"valid"</span> }.into_any()
                                } else {
                                    view! { " "<span class="badge badge-warn" data-testid="attestation-state">"needs review"</span> }.into_any()
                                }}</p>
                            {(!problems.is_empty()).then(|| view! { <ul class="lint">{problems.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul> })}
                            <p class="muted">{format!("Issued {}", a.draft.issued)}{(!scope_text.is_empty()).then(|| format!(" · {scope_text}"))}{portal}
                                {(!a.draft.reference.is_empty()).then(|| format!(" · reference: {}", a.draft.reference))}
                                {format!(" · cited by {citing} control(s)")}</p>
                            <p class="actions">
                                <button type="button" class="btn btn-small" data-testid="attestation-inherit" on:click=move |_| propose(&a_inherit)>{inherit_label}</button>
                                <button type="button" class="btn btn-small" data-testid="attestation-edit" on:click=move |_| {
                                    form_e.fill(Some(&a_edit.draft));
                                    form_error.set(None);
                                    editing.set(Some(Some(a_edit.id.clone())));
                                }>"Edit"</button>
                                <button type="button" class="btn btn-small" data-testid="attestation-delete" on:click=move |_| {
                                    ctx.ws.update(|w| if let Some(ws) = w.active_mut() {
                                        if let Err(e) = ws.remove_attestation(&a_del, now_ms()) { ctx.error(e.to_string()) }
                                    });
                                }>"Delete"</button>
                            </p>
                        </li>
                    }
                }).collect_view()}
            </ul>
            {move || undo.get().map(|(msg, _)| view! {
                <p class="banner banner-info" role="status" data-testid="inherit-done">{msg}" "
                    <button type="button" class="btn btn-small" data-testid="inherit-undo" on:click=undo_last>"Undo"</button></p>
            })}
            <Show when=move || editing.get().is_none()>
                <p><button type="button" class="btn" data-testid="attestation-add" on:click=open_new>"Record an attestation"</button></p>
            </Show>
            <Show when=move || editing.get().is_some()>
                <AttestationForm form=form save=save error=form_error cancel=move || editing.set(None)/>
            </Show>
            {move || confirm.get().map(|(_, title, controls)| {
                let catalog = Catalog::bundled();
                let n = controls.len();
                let items = controls.iter().map(|c| {
                    let t = catalog.control(c).map_or("", |x| x.title);
                    view! { <li><code>{c.to_string()}</code>" "{t}</li> }
                }).collect_view();
                view! {
                    <div class="dialog-backdrop">
                        <div class="dialog card" role="dialog" aria-modal="true" aria-labelledby="inherit-h" data-testid="inherit-dialog"
                            on:keydown=move |ev: web_sys::KeyboardEvent| if ev.key() == "Escape" { confirm.set(None) }>
                            <h3 id="inherit-h">{format!("Inherit {n} control(s) from {title}?")}</h3>
                            {if n == 0 {
                                view! { <p>"The catalog proposes no further control for the scope's service models: the provider carries none alone, or they already cite this attestation."</p> }.into_any()
                            } else {
                                view! { <p>"The catalog's default responsibility for the scope's service models is the provider's for these controls. Each becomes \u{201c}inherited from the provider\u{201d}, citing this attestation (you can undo this):"</p>
                                    <ul class="inherit-list" data-testid="inherit-list">{items}</ul> }.into_any()
                            }}
                            <p class="actions">
                                <button type="button" class="btn" data-testid="inherit-confirm" node_ref=confirm_ref disabled=n == 0 on:click=apply>{format!("Inherit {n} control(s)")}</button>
                                <button type="button" class="btn btn-small" data-testid="inherit-cancel" on:click=move |_| confirm.set(None)>"Cancel"</button>
                            </p>
                        </div>
                    </div>
                }
            })}
        </section>
    }
}

#[component]
fn AttestationForm(
    form: Form,
    save: impl Fn(web_sys::MouseEvent) + Copy + Send + Sync + 'static,
    error: RwSignal<Option<String>>,
    cancel: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let f = form;
    let other_provider = move || f.provider.get() == AttestProvider::Other.as_str();
    let f2 = form;
    let other_document = move || f2.document.get() == DocumentType::Other.as_str();
    let select = |label: &'static str, testid: &'static str, sig: RwSignal<String>, options: Vec<(&'static str, &'static str)>| {
        view! {
            <label>{label}" "
                <select data-testid=testid on:change=move |ev| sig.set(event_target_value(&ev))>
                    {options.into_iter().map(|(v, l)| view! { <option value=v selected=move || sig.get() == v>{l}</option> }).collect_view()}
                </select>
            </label>
        }
    };
    view! {
        <form class="attestation-form panel-grid" data-testid="attestation-form" on:submit=|ev| ev.prevent_default()>
            {select("Provider", "attestation-provider", form.provider, AttestProvider::ALL.iter().map(|p| (p.as_str(), p.label())).collect())}
            <Show when=other_provider>{text_input("Provider name", "attestation-provider-name", form.provider_name, "text")}</Show>
            {select("Document", "attestation-document", form.document, DocumentType::ALL.iter().map(|p| (p.as_str(), p.label())).collect())}
            <Show when=other_document>{text_input("Document name", "attestation-document-name", form.document_name, "text")}</Show>
            {text_input("Issuer (certification body or auditor)", "attestation-issuer", form.issuer, "text")}
            {text_input("Issue date", "attestation-issued", form.issued, "date")}
            {text_input("Expiry date or report period end", "attestation-expires", form.expires, "date")}
            {select("Obtained from", "attestation-portal", form.portal, Portal::ALL.iter().map(|p| (p.as_str(), p.label())).collect())}
            <label class="wide">"Services in scope (one per line or comma)"
                <textarea rows="2" data-testid="attestation-services" prop:value=move || form.services.get() on:input=move |ev| form.services.set(event_target_value(&ev))></textarea>
            </label>
            <label class="wide">"Regions in scope"
                <textarea rows="2" data-testid="attestation-regions" prop:value=move || form.regions.get() on:input=move |ev| form.regions.set(event_target_value(&ev))></textarea>
            </label>
            <label class="wide">"Reference (file name, document number)"
                <input type="text" data-testid="attestation-reference" prop:value=move || form.reference.get() on:input=move |ev| form.reference.set(event_target_value(&ev))/>
            </label>
            {move || error.get().map(|e| view! { <p class="banner banner-warning wide" role="alert" data-testid="attestation-error">{e}</p> })}
            <p class="actions wide">
                <button type="button" class="btn" data-testid="attestation-save" on:click=save>"Save attestation"</button>
                <button type="button" class="btn btn-small" on:click=move |_| cancel()>"Cancel"</button>
            </p>
        </form>
    }
}

/// The provider state of one control in its row: a short badge, and the
/// message when its attestation needs review.
#[component]
pub fn ControlProviderNote(id: ControlId) -> impl IntoView {
    let ctx = WsCtx::expect();
    let today = ctx.today;
    let coverage = Memo::new(move |_| ctx.ws.with(|w| w.active().map(|a| a.coverage(&id, today))));
    move || {
        let c = coverage.get()?;
        let state = c.state()?;
        let message = c.message();
        Some(view! {
            <span class="provider-badge muted" data-testid="control-provider-state" data-state=state.as_str()>{state.label()}</span>
            {message.map(|m| view! { <p class="provider-note lint" role="note" data-testid="control-provider-message">{m}</p> })}
        })
    }
}

/// A control's provider part in its details panel: none, inherited or
/// shared, and which attestations it cites.
#[component]
pub fn ControlProviderPart(id: ControlId) -> impl IntoView {
    let ctx = WsCtx::expect();
    let id_s = StoredValue::new(id);
    let current = Memo::new(move |_| ctx.ws.with(|w| w.active().and_then(|a| a.inherited().get(&id_s.get_value()).cloned())));
    let all = Memo::new(move |_| ctx.ws.with(|w| w.active().map(|a| a.attestations().iter().map(|x| (x.id.clone(), x.draft.title())).collect::<Vec<_>>()).unwrap_or_default()));
    let set = move |next: Option<Inheritance>| {
        ctx.ws.update(|w| {
            if let Some(a) = w.active_mut() {
                if let Err(e) = a.set_inheritance(&id_s.get_value(), next.clone(), now_ms()) {
                    ctx.error(e.to_string());
                }
            }
        });
    };
    let part_value = move || current.get().map_or(String::new(), |i| i.part.as_str().to_string());
    view! {
        <fieldset class="provider-part wide">
            <legend>"Provider part"</legend>
            <label>"The provider "
                <select data-testid="control-provider-part" on:change=move |ev| {
                    let v = event_target_value(&ev);
                    match v.parse::<ProviderPart>() {
                        Err(_) => set(None),
                        Ok(part) => {
                            let cited = current.get_untracked().map(|i| i.attestations).filter(|l| !l.is_empty())
                                .or_else(|| all.get_untracked().first().map(|(id, _)| vec![id.clone()]));
                            match cited {
                                Some(attestations) => set(Some(Inheritance { part, attestations })),
                                None => ctx.error("Record a provider attestation first: an inherited or shared control cites one.".into()),
                            }
                        }
                    }
                }>
                    <option value="" selected=move || part_value().is_empty()>"covers no part (the customer's control)"</option>
                    {ProviderPart::ALL.iter().map(|p| { let p = *p; view! {
                        <option value=p.as_str() selected=move || part_value() == p.as_str()>{p.label()}</option>
                    }}).collect_view()}
                </select>
            </label>
            <Show when=move || current.get().is_some()>
                <p class="muted">"Cites:"</p>
                {move || all.get().into_iter().map(|(aid, title)| {
                    let aid2 = aid.clone();
                    let checked = move || current.get().is_some_and(|i| i.attestations.contains(&aid));
                    view! {
                        <label class="cite"><input type="checkbox" data-testid="control-provider-cites" prop:checked=checked on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            if let Some(mut i) = current.get_untracked() {
                                i.attestations.retain(|x| *x != aid2);
                                if on { i.attestations.push(aid2.clone()) }
                                set(Some(i));
                            }
                        }/>" "{title}</label>
                    }
                }).collect_view()}
            </Show>
        </fieldset>
    }
}
