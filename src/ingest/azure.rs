//! PLACEHOLDER: the azure parser is being written.

use super::{Document, IngestError, ParseOutput};

/// PLACEHOLDER, replaced by the parser author.
pub(super) fn parse_template(file: &str, doc: &Document) -> ParseOutput {
    let _ = (file, doc);
    Err(IngestError::Unrecognised("parser not written yet".into()))
}

/// PLACEHOLDER, replaced by the parser author.
pub(super) fn parse_resources(file: &str, doc: &Document) -> ParseOutput {
    let _ = (file, doc);
    Err(IngestError::Unrecognised("parser not written yet".into()))
}
