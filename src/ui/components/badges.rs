use crate::model::{ControlKind, Responsibility, ServiceModel};
use leptos::prelude::*;

/// Badge for what 27017 does with a control.
#[component]
pub fn KindBadge(
    /// The control's kind.
    kind: ControlKind,
) -> impl IntoView {
    let (text, title) = match kind {
        ControlKind::CloudExtended => ("CLD", "Cloud extended control defined by ISO/IEC 27017"),
        ControlKind::CloudGuidance => ("Cloud guidance", "ISO/IEC 27017 adds cloud-specific guidance to this control"),
        ControlKind::NoExtraGuidance => ("27002", "ISO/IEC 27002 control applied without cloud-specific additions"),
    };
    view! { <span class=format!("badge badge-{}", kind.as_str()) title=title>{text}</span> }
}

/// Who carries a control under one service model.
#[component]
pub fn ResponsibilityPill(
    /// Service model.
    model: ServiceModel,
    /// Split under that model.
    responsibility: Responsibility,
) -> impl IntoView {
    view! {
        <span class=format!("pill resp-{}", responsibility.as_str())
            title=format!("Under {}: {}", model.label(), responsibility.label())>
            <span class="pill-key">{model.label()}</span>
            <span class="pill-value">{responsibility.label()}</span>
        </span>
    }
}
