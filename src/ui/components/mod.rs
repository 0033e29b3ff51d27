//! Shared widgets, one family per file.

pub mod attestations;
mod badges;
mod bulk_decisions;
pub mod charts;
mod compensation;
mod control_checks;
mod control_list;
mod evidence_checklist;
mod filter_panel;
mod item_list;
mod markdown_view;
mod responsibility;
mod sources;
mod unmapped;

pub use badges::{KindBadge, ResponsibilityPill};
pub use bulk_decisions::BulkDecisions;
pub use compensation::CompensationForm;
pub use evidence_checklist::EvidenceChecklist;
pub use control_checks::ControlChecks;
pub use control_list::ControlList;
pub use filter_panel::FilterPanel;
pub use item_list::ItemList;
pub use markdown_view::MarkdownView;
pub use responsibility::ResponsibilityTable;
pub use sources::GuidanceSources;
pub use unmapped::UnmappedChecks;
