//! Shared widgets, one family per file.

mod badges;
pub mod charts;
mod control_checks;
mod control_list;
mod filter_panel;
mod item_list;
mod markdown_view;
mod responsibility;
mod sources;
mod unmapped;

pub use badges::{KindBadge, ResponsibilityPill};
pub use control_checks::ControlChecks;
pub use control_list::ControlList;
pub use filter_panel::FilterPanel;
pub use item_list::ItemList;
pub use markdown_view::MarkdownView;
pub use responsibility::ResponsibilityTable;
pub use sources::GuidanceSources;
pub use unmapped::UnmappedChecks;
