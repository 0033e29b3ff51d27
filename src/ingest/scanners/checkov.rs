//! Checkov's JSON report (`checkov -o json`): one report object when one
//! framework ran, a list of them when several did. Each report's
//! `results.passed_checks`, `failed_checks` and `skipped_checks` (skipped =
//! suppressed by a `checkov:skip` comment or `--skip-check`) are read; the
//! version is `summary.checkov_version`. Severity is often `null` (Checkov
//! gives it only with a platform key).

use super::{outer, provider_of, severity, short, text, ImportedStatus, Imported, Out, Str, Tool};
use crate::ingest::{IngestError, Limits};
use crate::inventory::{Provider, Text};
use serde::Deserialize;
use serde_json::value::RawValue;
use std::sync::Arc;

#[derive(Deserialize)]
struct Report<'a> {
    #[serde(borrow, default)]
    check_type: Str<'a>,
    #[serde(borrow, default)]
    results: Option<Results<'a>>,
    #[serde(borrow, default)]
    summary: Option<Summary<'a>>,
}

#[derive(Deserialize)]
struct Results<'a> {
    #[serde(borrow, default)]
    passed_checks: Vec<&'a RawValue>,
    #[serde(borrow, default)]
    failed_checks: Vec<&'a RawValue>,
    #[serde(borrow, default)]
    skipped_checks: Vec<&'a RawValue>,
}

#[derive(Deserialize)]
struct Summary<'a> {
    #[serde(borrow, default)]
    checkov_version: Str<'a>,
}

#[derive(Deserialize)]
struct Check<'a> {
    #[serde(borrow, default)]
    check_id: Str<'a>,
    #[serde(borrow, default)]
    check_name: Str<'a>,
    #[serde(borrow, default)]
    check_result: Option<CheckResult<'a>>,
    #[serde(borrow, default)]
    resource: Str<'a>,
    #[serde(borrow, default)]
    file_path: Str<'a>,
    #[serde(default)]
    file_line_range: Vec<serde_json::Value>,
    #[serde(borrow, default)]
    guideline: Str<'a>,
    #[serde(borrow, default)]
    severity: Str<'a>,
}

#[derive(Deserialize)]
struct CheckResult<'a> {
    #[serde(borrow, default)]
    result: Str<'a>,
    #[serde(borrow, default)]
    suppress_comment: Str<'a>,
}

/// Read one report or a list of them.
pub(super) fn parse(out: &mut Out<'_>, limits: &Limits) -> Result<(), IngestError> {
    const WHAT: &str = "a Checkov JSON report";
    let reports: Vec<(String, &RawValue)> = if out.text.trim_start().starts_with('[') {
        let list: Vec<&RawValue> = outer(out.text, limits, WHAT)?;
        list.into_iter().enumerate().map(|(i, r)| (format!("/{i}"), r)).collect()
    } else {
        vec![(String::new(), outer::<&RawValue>(out.text, limits, WHAT)?)]
    };
    for (base, raw) in reports {
        let report: Report<'_> = match serde_json::from_str(raw.get()) {
            Ok(r) => r,
            Err(e) => {
                let source = out.source(base.clone(), Some(raw.get()));
                out.problem(format!("the report at {} could not be read: {e}", if base.is_empty() { "the top" } else { &base }), Some(source));
                continue;
            }
        };
        let Some(results) = report.results else {
            // A report with only a summary (nothing of this framework found).
            continue;
        };
        let version = report.summary.and_then(|s| s.checkov_version).map(|v| super::clean(&v)).filter(|v| !v.is_empty());
        let tool = Arc::new(Tool { name: "Checkov".into(), version });
        let check_type = short(report.check_type.as_deref());
        for (list, items, status) in [
            ("passed_checks", &results.passed_checks, ImportedStatus::Pass),
            ("failed_checks", &results.failed_checks, ImportedStatus::Fail),
            ("skipped_checks", &results.skipped_checks, ImportedStatus::Suppressed),
        ] {
            let base = format!("{base}/results/{list}");
            out.each(items, &base, "check result", |out, c: Check<'_>, source| {
                let Some(check) = short(c.check_id.as_deref()) else {
                    out.problem(format!("check result {} has no check_id; skipped", source.pointer), Some(source));
                    return;
                };
                let status = match c.check_result.as_ref().and_then(|r| r.result.as_deref()).map(str::to_ascii_uppercase).as_deref() {
                    Some("PASSED") => ImportedStatus::Pass,
                    Some("FAILED") => ImportedStatus::Fail,
                    Some("SKIPPED") => ImportedStatus::Suppressed,
                    Some(_) => ImportedStatus::Unknown,
                    None => status,
                };
                let file = short(c.file_path.as_deref());
                let resource = short(c.resource.as_deref()).or_else(|| file.clone()).unwrap_or_else(|| check.clone());
                let first_line = c.file_line_range.first().and_then(serde_json::Value::as_u64);
                let resource_type = Text::interned(resource.split('.').next().filter(|t| t.contains('_') && *t != resource.as_str()).unwrap_or(""));
                let provider = provider_of(&check)
                    .or_else(|| provider_of(&resource_type))
                    .or_else(|| check_type.as_deref().filter(|t| *t == "kubernetes" || *t == "helm").map(|_| Provider::Kubernetes))
                    .unwrap_or(Provider::Other);
                let message = match (&file, first_line) {
                    (Some(f), Some(l)) => format!("{} for {resource} ({f}, line {l})", status_word(status)),
                    (Some(f), None) => format!("{} for {resource} ({f})", status_word(status)),
                    _ => format!("{} for {resource}", status_word(status)),
                };
                let imported = Imported {
                    tool: tool.clone(),
                    title: text(c.check_name.as_deref()).unwrap_or_else(|| check.clone()),
                    severity: severity(c.severity.as_deref()),
                    status,
                    message: Text::from(super::clean(&message).as_str()),
                    remediation: None,
                    remediation_url: text(c.guideline.as_deref()).filter(|u| u.starts_with("https://") || u.starts_with("http://")),
                    provider,
                    resource_name: resource.clone(),
                    resource,
                    resource_type,
                    account: None,
                    region: None,
                    source,
                    requirements: Vec::new(),
                    control_id: None,
                    suppression: text(c.check_result.as_ref().and_then(|r| r.suppress_comment.as_deref())),
                    check,
                };
                out.imported.push(imported);
            });
        }
    }
    Ok(())
}

fn status_word(s: ImportedStatus) -> &'static str {
    match s {
        ImportedStatus::Pass => "Passed",
        ImportedStatus::Fail => "Failed",
        ImportedStatus::Suppressed => "Skipped",
        ImportedStatus::Muted => "Muted",
        ImportedStatus::Unknown => "Not decided",
    }
}
