//! Storage of imported findings (workspace version 4): what a finding row and
//! its resource row do not already hold of an [`Origin`]. An upload of a
//! scanner's findings file adds two tables:
//!
//! - `import_check_table`: `{tool, version?, check, title, remediation?, url?,
//!   basis, note, mapped?}`, each imported check of a tool (with its mapping) once;
//! - `imported`: `{row, check, status, severity?, region?, requirements?,
//!   control_id?, suppression?, same_as?}` per imported finding: `row` is the
//!   index of its finding row, `check` of its `import_check_table` row.
//!
//! The tool's finding is rebuilt from both and from the row: the message is
//! the row's, the resource (provider, id, name, type, account, file, pointer,
//! line) the resource row's, the controls the check row's.
//!
//! **Invariant:** every index is checked on load; a text is at most
//! `MAX_TEXT_BYTES`; tokens are checked (status, basis); nothing here is a
//! domain type serialized directly.

use super::store::LoadError;
use crate::checks::Finding;
use crate::ingest::scanners::mapping::{Basis, Mapping};
use crate::ingest::scanners::{Imported, ImportedStatus, Origin, SameAs, Tool};
use crate::inventory::Text;
use crate::model::{CheckId, Severity, Status};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::Arc;

/// Longest stored text of an imported finding (bytes).
const MAX_TEXT_BYTES: usize = 16 * 1024;

/// An imported check of a tool, with its mapping.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoredImportCheckV4 {
    /// Tool name.
    pub tool: String,
    /// Tool version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// The tool's check id, as written.
    pub check: String,
    /// Its title.
    pub title: String,
    /// The tool's remediation text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remediation: Option<String>,
    /// The tool's link.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Basis token (`user`, `published`, `in_file`, `ours`, `unmapped`).
    pub basis: String,
    /// The mapping's one line.
    pub note: String,
    /// Our check judging the same condition.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mapped: Option<CheckId>,
}

/// What one imported finding adds to its row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoredImportedV4 {
    /// Index of the finding row.
    pub row: usize,
    /// Index into the import check table.
    pub check: usize,
    /// The tool's status token (`pass`, `fail`, `unknown`, `muted`, `suppressed`).
    pub status: String,
    /// The tool's severity, when it gave one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<Severity>,
    /// Region.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// ISO/IEC 27001 requirements the file named.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub requirements: Vec<String>,
    /// Security Hub control id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub control_id: Option<String>,
    /// Why muted or suppressed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suppression: Option<String>,
    /// Our finding on the same condition: `[check, resource, status, agrees]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub same_as: Option<(CheckId, String, Status, bool)>,
}

fn status_from(token: &str) -> Option<ImportedStatus> {
    [ImportedStatus::Pass, ImportedStatus::Fail, ImportedStatus::Unknown, ImportedStatus::Muted, ImportedStatus::Suppressed]
        .into_iter()
        .find(|s| s.as_str() == token)
}

fn basis_from(token: &str) -> Option<Basis> {
    [Basis::User, Basis::Published, Basis::InFile, Basis::Ours, Basis::Unmapped].into_iter().find(|b| b.as_str() == token)
}

/// The two tables of `findings` (rows in the order of `findings`).
pub(super) fn tables(findings: &[Finding]) -> (Vec<StoredImportCheckV4>, Vec<StoredImportedV4>) {
    let mut checks: Vec<StoredImportCheckV4> = Vec::new();
    let mut index: HashMap<(*const Tool, &str, *const Mapping), usize> = HashMap::new();
    let mut rows = Vec::new();
    for (row, f) in findings.iter().enumerate() {
        let Some(o) = f.origin.as_deref() else { continue };
        let i = &o.finding;
        let key = (Arc::as_ptr(&i.tool), i.check.as_str(), Arc::as_ptr(&o.mapping));
        let next = checks.len();
        let check = *index.entry(key).or_insert_with(|| {
            checks.push(StoredImportCheckV4 {
                tool: i.tool.name.clone(),
                version: i.tool.version.clone(),
                check: i.check.to_string(),
                title: i.title.to_string(),
                remediation: i.remediation.as_deref().map(str::to_string),
                url: i.remediation_url.as_deref().map(str::to_string),
                basis: o.mapping.basis.as_str().to_string(),
                note: o.mapping.note.to_string(),
                mapped: o.mapping.check.clone(),
            });
            next
        });
        rows.push(StoredImportedV4 {
            row,
            check,
            status: i.status.as_str().to_string(),
            severity: i.severity,
            region: i.region.as_deref().map(str::to_string),
            requirements: i.requirements.iter().map(|r| r.to_string()).collect(),
            control_id: i.control_id.as_deref().map(str::to_string),
            suppression: i.suppression.as_deref().map(str::to_string),
            same_as: o.same_as.as_ref().map(|s| (s.check.clone(), s.resource.to_string(), s.status, s.agrees)),
        });
    }
    (checks, rows)
}

/// Put the origins back on `findings` (the rows of the same upload).
pub(super) fn restore(
    findings: &mut [Finding],
    checks: Vec<StoredImportCheckV4>,
    rows: Vec<StoredImportedV4>,
    ctx: &str,
) -> Result<(), LoadError> {
    let bad = |message: String| LoadError::Shape { line: 0, column: 0, message: format!("{ctx}: {message}") };
    let long = |s: &str| s.len() > MAX_TEXT_BYTES;
    let mut tools: HashMap<(String, Option<String>), Arc<Tool>> = HashMap::new();
    let mut shared: Vec<(Arc<Tool>, Text, Text, Option<Text>, Option<Text>, Arc<Mapping>)> = Vec::with_capacity(checks.len());
    for (n, c) in checks.into_iter().enumerate() {
        let texts = [Some(&c.tool), c.version.as_ref(), Some(&c.check), Some(&c.title), c.remediation.as_ref(), c.url.as_ref(), Some(&c.note)];
        if texts.into_iter().flatten().any(|t| long(t)) {
            return Err(bad(format!("imported check {} has a text over {MAX_TEXT_BYTES} bytes", n + 1)));
        }
        let basis = basis_from(&c.basis).ok_or_else(|| bad(format!("imported check {} has the unknown basis {:?}", n + 1, c.basis)))?;
        let tool = tools.entry((c.tool.clone(), c.version.clone())).or_insert_with(|| Arc::new(Tool { name: c.tool, version: c.version })).clone();
        // The controls are the finding's (its check row); filled per finding below.
        let mapping = Arc::new(Mapping { controls: Arc::from(Vec::new()), check: c.mapped, basis, note: Arc::from(c.note) });
        shared.push((tool, Text::from(c.check.as_str()), Text::from(c.title.as_str()), c.remediation.map(|r| Text::from(r.as_str())), c.url.map(|u| Text::from(u.as_str())), mapping));
    }
    // One mapping per (check row, controls allocation), as when assessed.
    let mut mappings: HashMap<(usize, *const [crate::model::ControlId]), Arc<Mapping>> = HashMap::new();
    for (n, r) in rows.into_iter().enumerate() {
        let what = || format!("imported finding {}", n + 1);
        let (tool, check, title, remediation, url, mapping) =
            shared.get(r.check).ok_or_else(|| bad(format!("{} refers to entry {} of the import check table, which has {} entries", what(), r.check, shared.len())))?;
        let len = findings.len();
        let f = findings.get_mut(r.row).ok_or_else(|| bad(format!("{} refers to finding row {}, of {len}", what(), r.row)))?;
        if f.origin.is_some() {
            return Err(bad(format!("{} is the second for finding row {}", what(), r.row)));
        }
        let status = status_from(&r.status).ok_or_else(|| bad(format!("{} has the unknown status {:?}", what(), r.status)))?;
        let texts = [r.region.as_ref(), r.control_id.as_ref(), r.suppression.as_ref()];
        if texts.into_iter().flatten().any(|t| long(t)) || r.requirements.iter().any(|t| long(t)) || r.requirements.len() > 200 {
            return Err(bad(format!("{} has a text over {MAX_TEXT_BYTES} bytes", what())));
        }
        let mapping = mappings
            .entry((r.check, Arc::as_ptr(&f.controls)))
            .or_insert_with(|| Arc::new(Mapping { controls: f.controls.clone(), ..(**mapping).clone() }))
            .clone();
        let res = &f.resource;
        let finding = Imported {
            tool: tool.clone(),
            check: check.clone(),
            title: title.clone(),
            severity: r.severity,
            status,
            message: Text::from(f.message.to_string().as_str()),
            remediation: remediation.clone(),
            remediation_url: url.clone(),
            provider: res.provider,
            resource: res.id.clone(),
            resource_name: res.name.clone(),
            resource_type: res.native_type.clone(),
            account: res.account.clone(),
            region: r.region.map(|s| Text::from(s.as_str())),
            source: res.source.clone(),
            requirements: r.requirements.iter().map(|s| Text::from(s.as_str())).collect(),
            control_id: r.control_id.map(|s| Text::from(s.as_str())),
            suppression: r.suppression.map(|s| Text::from(s.as_str())),
        };
        let same_as = r.same_as.map(|(check, resource, status, agrees)| SameAs { check, resource: Text::from(resource.as_str()), status, agrees });
        f.origin = Some(Arc::new(Origin { finding, mapping, same_as }));
    }
    Ok(())
}
