//! The named assessments: create, switch, rename, duplicate, delete with
//! undo, and the whole workspace as a JSON file (export, validated import).

use crate::report::workspace_report::fixed;
use crate::ui::ws::{download, now_ms, WsCtx};
use crate::workspace::{self, WorkspaceId};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// The page.
#[component]
pub fn WorkspacesPage() -> impl IntoView {
    super::set_title("Assessments");
    let ctx = WsCtx::expect();
    let new_name = RwSignal::new(String::new());
    let import_msg = RwSignal::new(None::<Result<String, String>>);
    let run = move |f: &dyn Fn(&mut workspace::Workspaces) -> Result<(), workspace::WorkspaceError>| {
        let mut err = None;
        ctx.ws.update(|w| {
            if let Err(e) = f(w) {
                err = Some(e.to_string());
            }
        });
        if let Some(e) = err {
            ctx.error(e);
        }
    };
    // A file read and validated, waiting for the user's choice (add or
    // replace): its name and assessment names (shown) and its content.
    let pending = RwSignal::new(None::<(String, Vec<String>)>);
    let pending_ws = StoredValue::new(None::<workspace::Workspaces>);
    let take_pending = move || {
        let file = pending.get_untracked().map(|(file, _)| file);
        pending.set(None);
        file.zip(pending_ws.try_update_value(Option::take).flatten())
    };
    // What a replace removed, for its undo (kept for this page's life).
    let replaced = StoredValue::new(None::<workspace::Workspaces>);
    let can_undo_replace = RwSignal::new(false);
    let add = move |file: String, imported: workspace::Workspaces| {
        let n = imported.list().len();
        ctx.ws.update(|w| {
            w.add_imported(imported, now_ms());
        });
        // An undo of an earlier replace would now drop these too.
        replaced.set_value(None);
        can_undo_replace.set(false);
        ctx.ensure_active();
        import_msg.set(Some(Ok(format!("Added {n} assessment(s) from {file}; nothing was replaced. The first one is open."))));
    };
    let on_import = move |ev: leptos::ev::Event| {
        let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return };
        let Some(file) = input.files().and_then(|l| l.get(0)) else { return };
        input.set_value("");
        take_pending();
        if file.size() > workspace::store::MAX_IMPORT_BYTES as f64 * 4.0 {
            import_msg.set(Some(Err(format!("{} is {} MB; a workspace file is at most 5 MB.", file.name(), fixed(file.size() / 1e6, 1)))));
            return;
        }
        let name = file.name();
        leptos::task::spawn_local(async move {
            let text = wasm_bindgen_futures::JsFuture::from(file.text()).await;
            let Some(text) = text.ok().and_then(|t| t.as_string()) else {
                import_msg.set(Some(Err(format!("{name} could not be read as text."))));
                return;
            };
            match workspace::import(&text) {
                // Nothing here to lose (only empty assessments): add without asking.
                Ok(imported) if ctx.ws.with_untracked(|w| w.list().iter().all(|a| a.uploads().is_empty() && a.answers().is_empty() && a.decisions().is_empty())) => {
                    add(name, imported);
                }
                Ok(imported) => {
                    let names = imported.list().iter().map(|a| a.name().to_string()).collect();
                    import_msg.set(None);
                    pending_ws.set_value(Some(imported));
                    pending.set(Some((name, names)));
                }
                Err(e) => import_msg.set(Some(Err(format!("{name}: {e}. Nothing was changed.")))),
            }
        });
    };
    let choose_add = move |_| {
        if let Some((file, imported)) = take_pending() {
            add(file, imported);
        }
    };
    let choose_replace = move |_| {
        if let Some((file, imported)) = take_pending() {
            let n = imported.list().len();
            let mut before = None;
            ctx.ws.update(|w| before = Some(w.replace_all(imported)));
            ctx.ensure_active();
            replaced.set_value(before);
            can_undo_replace.set(true);
            import_msg.set(Some(Ok(format!("Replaced every assessment with the {n} from {file}."))));
        }
    };
    let undo_replace = move |_| {
        if let Some(before) = replaced.get_value() {
            ctx.ws.set(before);
            ctx.ensure_active();
            replaced.set_value(None);
            can_undo_replace.set(false);
            import_msg.set(Some(Ok("The assessments are back as they were before the import.".into())));
        }
    };
    view! {
        <div class="page narrow workspaces">
            <h1>"Assessments"</h1>
            <p class="muted">"Each assessment keeps its scope, answers, decisions and the findings of its files, in this browser only."</p>
            <ul class="ws-list">
                {move || {
                    let active = ctx.ws.with(|w| w.active_id().cloned());
                    ctx.ws.with(|w| w.list().iter().map(|a| (a.id().clone(), a.name().to_string(), a.uploads().len(), a.answers().len())).collect::<Vec<_>>())
                        .into_iter()
                        .map(|(id, name, files, answers)| {
                            let is_active = active.as_ref() == Some(&id);
                            let (id1, id2, id3, id4) = (id.clone(), id.clone(), id.clone(), id.clone());
                            let rename = RwSignal::new(name.clone());
                            view! {
                                <li class=if is_active { "ws-item active" } else { "ws-item" } data-testid="workspace-item">
                                    <input type="text" aria-label="Assessment name" data-testid="workspace-name" prop:value=name.clone()
                                        on:input=move |ev| rename.set(event_target_value(&ev))
                                        on:change=move |_| { let n = rename.get_untracked(); let id = id1.clone(); run(&move |w| w.rename(&id, &n, now_ms())) }/>
                                    <span class="muted">{format!("{files} file(s), {answers} answered control(s)")}</span>
                                    {if is_active {
                                        view! { <span class="badge">"Open"</span> }.into_any()
                                    } else {
                                        view! { <button type="button" class="btn btn-small" on:click=move |_| { let id = id2.clone(); run(&move |w| w.set_active(&id)) }>"Open"</button> }.into_any()
                                    }}
                                    <button type="button" class="btn btn-small" on:click=move |_| { let id = id3.clone(); run(&move |w| w.duplicate(&id, now_ms()).map(|_| ())) }>"Duplicate"</button>
                                    <button type="button" class="btn btn-small danger" data-testid="workspace-delete" on:click=move |_| {
                                        let id: WorkspaceId = id4.clone();
                                        run(&move |w| w.delete(&id));
                                        ctx.ensure_active();
                                    }>"Delete"</button>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
            {move || ctx.ws.with(|w| w.trash().map(|t| t.name().to_string())).map(|name| view! {
                <p class="banner banner-info" role="status">{format!("Deleted \u{201c}{name}\u{201d}. ")}
                    <button type="button" class="btn btn-small" data-testid="undo-delete" on:click=move |_| run(&|w| w.undo_delete().map(|_| ()))>"Undo"</button></p>
            })}
            <form class="inline-form" on:submit=move |ev| {
                ev.prevent_default();
                let n = new_name.get_untracked();
                let n = if n.trim().is_empty() { "New assessment".to_string() } else { n };
                run(&move |w| w.create(&n, now_ms()).map(|_| ()));
                new_name.set(String::new());
            }>
                <label>"New assessment "<input type="text" data-testid="workspace-new-name" prop:value=move || new_name.get() on:input=move |ev| new_name.set(event_target_value(&ev))/></label>
                <button type="submit" class="btn" data-testid="workspace-create">"Create"</button>
            </form>
            <h2>"Keep a copy"</h2>
            <p>"Export writes every assessment to a JSON file you keep (re-importable here or with the "<code>"iso27017"</code>" command). Import checks the whole file first, then asks whether to add its assessments beside yours or to replace yours (which you can undo)."</p>
            <div class="upload-actions">
                <button type="button" class="btn" data-testid="workspace-export" on:click=move |_| {
                    let text = ctx.ws.with(workspace::export);
                    if let Err(e) = download("iso27017-workspace.json", "application/json", &text) {
                        ctx.error(format!("The export could not be offered for download: {e}"));
                    }
                }>"Export all assessments"</button>
                <label class="btn">"Import a workspace file"
                    <input type="file" accept=".json,application/json" class="visually-hidden" data-testid="workspace-import" on:change=on_import/>
                </label>
            </div>
            {move || pending.get().map(|(file, names)| {
                let here = ctx.ws.with(|w| w.list().len());
                view! {
                    <div class="banner banner-info import-choice" role="group" aria-labelledby="import-q" data-testid="import-choice">
                        <p id="import-q"><strong>{format!("{file} holds {} assessment(s): {}.", names.len(), names.join(", "))}</strong>
                            {format!(" You have {here} assessment(s) here. What should the import do?")}</p>
                        <div class="upload-actions">
                            <button type="button" class="btn" data-testid="import-add" on:click=choose_add>"Add them as new assessments"</button>
                            <button type="button" class="btn danger" data-testid="import-replace" on:click=choose_replace>{format!("Replace all {here} assessment(s) here")}</button>
                            <button type="button" class="btn" data-testid="import-cancel" on:click=move |_| { take_pending(); }>"Cancel"</button>
                        </div>
                        <p class="muted">"Adding keeps everything here. Replacing can be undone until you leave this page."</p>
                    </div>
                }
            })}
            {move || import_msg.get().map(|m| match m {
                Ok(t) => view! { <p class="banner banner-info" role="status" data-testid="import-result">{t}
                    {move || can_undo_replace.get().then(|| view! { " "<button type="button" class="btn btn-small" data-testid="undo-import" on:click=undo_replace>"Undo"</button> })}
                </p> }.into_any(),
                Err(t) => view! { <p class="banner banner-warning" role="alert" data-testid="error-banner">{t}</p> }.into_any(),
            })}
        </div>
    }
}
