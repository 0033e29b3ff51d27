//! One file per route.

mod about;
pub(crate) mod assess;
mod control_detail;
mod controls;
mod findings;
mod home;
mod mappings;
mod not_found;
mod report;
mod workspaces;

pub use about::AboutPage;
pub use assess::AssessPage;
pub use control_detail::ControlDetailPage;
pub use controls::ControlsPage;
pub use findings::FindingsPage;
pub use home::HomePage;
pub use mappings::MappingsPage;
pub use not_found::NotFoundPage;
pub use report::{ReportPage, SharedPage};
pub use workspaces::WorkspacesPage;

/// Set the document title (`<title>`), which screen readers announce and tabs show.
fn set_title(title: &str) {
    leptos::prelude::document().set_title(&format!("{title} · ISO/IEC 27017 Assessor"));
}
