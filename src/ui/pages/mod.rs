//! One file per route.

mod about;
mod control_detail;
mod controls;
mod mappings;
mod not_found;

pub use about::AboutPage;
pub use control_detail::ControlDetailPage;
pub use controls::ControlsPage;
pub use mappings::MappingsPage;
pub use not_found::NotFoundPage;

/// Set the document title (`<title>`), which screen readers announce and tabs show.
fn set_title(title: &str) {
    leptos::prelude::document().set_title(&format!("{title} · ISO/IEC 27017 Assessor"));
}
