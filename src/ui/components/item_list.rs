use super::MarkdownView;
use crate::model::ControlId;
use leptos::prelude::*;

/// A guidance list whose items have ids (the evidence to ask for, the audit
/// questions): each item shows its id as cited elsewhere (`12.4.2-e1`) and
/// its text, rendered by the engine's safe Markdown renderer. Read-only.
#[component]
pub fn ItemList(
    /// The control the items belong to.
    control: ControlId,
    /// (id within the control, inline Markdown text), in file order.
    items: Vec<(String, &'static str)>,
) -> impl IntoView {
    view! {
        <ul class="item-list">
            {items.into_iter().map(|(id, text)| {
                let qualified = format!("{control}-{id}");
                let label = qualified.clone();
                view! {
                    <li data-testid="guidance-item" data-item-id=qualified>
                        <span class="item-id">{label}</span>
                        <MarkdownView markdown=text class="item-text"/>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}
