//! PLACEHOLDER: the aws_iam parser is being written.

use super::{Document, IngestError, ParseOutput};

/// PLACEHOLDER, replaced by the parser author.
pub(super) fn parse_credential_report(file: &str, doc: &Document) -> ParseOutput {
    let _ = (file, doc);
    Err(IngestError::Unrecognised("parser not written yet".into()))
}

/// PLACEHOLDER, replaced by the parser author.
pub(super) fn parse_authorization_details(file: &str, doc: &Document) -> ParseOutput {
    let _ = (file, doc);
    Err(IngestError::Unrecognised("parser not written yet".into()))
}
