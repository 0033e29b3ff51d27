//! PLACEHOLDER: the terraform parser is being written.

use super::{Document, Format, IngestError, ParseOutput};

/// PLACEHOLDER, replaced by the parser author.
pub(super) fn parse(file: &str, format: Format, doc: &Document) -> ParseOutput {
    let _ = (file, format, doc);
    Err(IngestError::Unrecognised("parser not written yet".into()))
}
