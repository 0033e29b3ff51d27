//! AWS Security Hub findings (ASFF, `SchemaVersion` 2018-10-08): the output of
//! `aws securityhub get-findings` (`{"Findings": […]}`, also wrapped in a
//! recorded response's `data`), a bare list of findings, or EventBridge
//! events (`detail.findings`), one event or a list of them.
//!
//! Status: `Compliance.Status` PASSED / FAILED, WARNING and NOT_AVAILABLE
//! unknown; a finding without `Compliance` (GuardDuty, Inspector, …) is a
//! failure while active. `Workflow.Status` SUPPRESSED is suppressed, an
//! ARCHIVED record muted, RESOLVED a pass. The check id is the Security Hub
//! control id (`Compliance.SecurityControlId`, or `ProductFields.ControlId`),
//! otherwise the `GeneratorId`.

use super::{clean, outer, severity, short, text, ImportedStatus, Imported, Out, Str, Tool};
use crate::ingest::{IngestError, Limits};
use crate::inventory::{Provider, Text};
use serde::Deserialize;
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

/// The outer layers: any of the shapes the module docs list.
#[derive(Deserialize)]
struct Top<'a> {
    #[serde(borrow, rename = "Findings", default)]
    findings: Option<Vec<&'a RawValue>>,
    #[serde(borrow, default)]
    data: Option<Box<Top<'a>>>,
    #[serde(borrow, default)]
    detail: Option<Detail<'a>>,
}

#[derive(Deserialize)]
struct Detail<'a> {
    #[serde(borrow, default)]
    findings: Vec<&'a RawValue>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Finding<'a> {
    #[serde(borrow, default)]
    generator_id: Str<'a>,
    #[serde(borrow, default)]
    product_name: Str<'a>,
    #[serde(borrow, default)]
    company_name: Str<'a>,
    #[serde(borrow, default)]
    aws_account_id: Str<'a>,
    #[serde(borrow, default)]
    region: Str<'a>,
    #[serde(borrow, default)]
    title: Str<'a>,
    #[serde(borrow, default)]
    description: Str<'a>,
    #[serde(borrow, default)]
    severity: Option<Sev<'a>>,
    #[serde(borrow, default)]
    resources: Vec<Res<'a>>,
    #[serde(borrow, default)]
    compliance: Option<Compliance<'a>>,
    #[serde(borrow, default)]
    workflow: Option<Workflow<'a>>,
    #[serde(borrow, default)]
    record_state: Str<'a>,
    #[serde(borrow, default)]
    product_fields: HashMap<Cow<'a, str>, Cow<'a, str>>,
    #[serde(borrow, default)]
    remediation: Option<Remediation<'a>>,
    #[serde(borrow, default)]
    schema_version: Str<'a>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Sev<'a> {
    #[serde(borrow, default)]
    label: Str<'a>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Res<'a> {
    #[serde(borrow, default)]
    r#type: Str<'a>,
    #[serde(borrow, default)]
    id: Str<'a>,
    #[serde(borrow, default)]
    region: Str<'a>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Compliance<'a> {
    #[serde(borrow, default)]
    status: Str<'a>,
    #[serde(borrow, default)]
    related_requirements: Vec<Cow<'a, str>>,
    #[serde(borrow, default)]
    security_control_id: Str<'a>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Workflow<'a> {
    #[serde(borrow, default)]
    status: Str<'a>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Remediation<'a> {
    #[serde(borrow, default)]
    recommendation: Option<Recommendation<'a>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Recommendation<'a> {
    #[serde(borrow, default)]
    text: Str<'a>,
    #[serde(borrow, default)]
    url: Str<'a>,
}

fn status_of(f: &Finding<'_>) -> ImportedStatus {
    let up = |s: Option<&str>| s.map(|s| s.trim().to_ascii_uppercase());
    match up(f.workflow.as_ref().and_then(|w| w.status.as_deref())).as_deref() {
        Some("SUPPRESSED") => return ImportedStatus::Suppressed,
        Some("RESOLVED") => return ImportedStatus::Pass,
        _ => {}
    }
    if up(f.record_state.as_deref()).as_deref() == Some("ARCHIVED") {
        return ImportedStatus::Muted;
    }
    match f.compliance.as_ref() {
        None => ImportedStatus::Fail,
        Some(c) => match up(c.status.as_deref()).as_deref() {
            Some("PASSED") => ImportedStatus::Pass,
            Some("FAILED") => ImportedStatus::Fail,
            _ => ImportedStatus::Unknown,
        },
    }
}

/// Read the findings of any of the shapes.
pub(super) fn parse(out: &mut Out<'_>, limits: &Limits) -> Result<(), IngestError> {
    const WHAT: &str = "AWS Security Hub findings (ASFF)";
    let t = out.text.trim_start();
    // (pointer base, findings); EventBridge events in a list each have their own.
    let mut lists: Vec<(String, Vec<&RawValue>)> = Vec::new();
    if t.starts_with('[') {
        let items: Vec<&RawValue> = outer(out.text, limits, WHAT)?;
        // A list of findings, or of EventBridge events.
        let events = items.first().is_some_and(|first| serde_json::from_str::<Top<'_>>(first.get()).is_ok_and(|t| t.detail.is_some()));
        if events {
            for (i, raw) in items.iter().enumerate() {
                match serde_json::from_str::<Top<'_>>(raw.get()) {
                    Ok(Top { detail: Some(d), .. }) => lists.push((format!("/{i}/detail/findings"), d.findings)),
                    _ => out.problem(format!("event {} has no detail.findings list; skipped", i + 1), None),
                }
            }
        } else {
            lists.push((String::new(), items));
        }
    } else {
        let mut top: Top<'_> = outer(out.text, limits, WHAT)?;
        let mut base = String::new();
        while top.findings.is_none() && top.detail.is_none() {
            match top.data.take() {
                Some(inner) => {
                    base.push_str("/data");
                    top = *inner;
                }
                None => return Err(IngestError::Unrecognised("an ASFF document without a Findings list or an event's detail.findings".into())),
            }
        }
        match (top.findings, top.detail) {
            (Some(f), _) => lists.push((format!("{base}/Findings"), f)),
            (None, Some(d)) => lists.push((format!("{base}/detail/findings"), d.findings)),
            (None, None) => {}
        }
    }
    let mut tools: HashMap<String, Arc<Tool>> = HashMap::new();
    for (base, items) in lists {
        out.each(&items, &base, "finding", |out, f: Finding<'_>, source| {
            if f.schema_version.is_none() && f.generator_id.is_none() {
                out.problem(format!("element {} is not an ASFF finding (no SchemaVersion or GeneratorId); skipped", source.pointer), Some(source));
                return;
            }
            let pf = |k: &str| f.product_fields.get(k).map(|v| v.as_ref());
            let name = f
                .product_name
                .as_deref()
                .or_else(|| pf("aws/securityhub/ProductName"))
                .map(clean)
                .filter(|n| !n.is_empty())
                .unwrap_or_else(|| "Security Hub".into());
            let company = f.company_name.as_deref().or_else(|| pf("aws/securityhub/CompanyName"));
            let name = match company {
                Some(c) if c.trim() != "AWS" && !name.contains(c.trim()) => format!("{} {name}", clean(c)),
                _ => name,
            };
            let tool = tools.entry(name.clone()).or_insert_with(|| Arc::new(Tool { name, version: None })).clone();
            let compliance = f.compliance.as_ref();
            let control_id = compliance.and_then(|c| short(c.security_control_id.as_deref())).or_else(|| short(pf("ControlId")));
            let Some(check) = control_id.clone().or_else(|| short(f.generator_id.as_deref())) else {
                out.problem(format!("finding {} has neither a control id nor a GeneratorId; skipped", source.pointer), Some(source));
                return;
            };
            let res = f.resources.first();
            let resource = res.and_then(|r| short(r.id.as_deref())).unwrap_or_else(|| check.clone());
            let rec = f.remediation.as_ref().and_then(|r| r.recommendation.as_ref());
            let status = status_of(&f);
            let imported = Imported {
                tool,
                title: text(f.title.as_deref()).unwrap_or_else(|| check.clone()),
                severity: severity(f.severity.as_ref().and_then(|s| s.label.as_deref())),
                status,
                message: text(f.description.as_deref()).unwrap_or_default(),
                remediation: text(rec.and_then(|r| r.text.as_deref())),
                remediation_url: text(rec.and_then(|r| r.url.as_deref())),
                provider: Provider::Aws,
                resource_name: Text::from(resource.rsplit([':', '/']).next().filter(|n| !n.is_empty()).unwrap_or(&resource)),
                resource_type: short(res.and_then(|r| r.r#type.as_deref())).unwrap_or_default(),
                account: short(f.aws_account_id.as_deref()),
                region: res.and_then(|r| short(r.region.as_deref())).or_else(|| short(f.region.as_deref())),
                source,
                requirements: compliance.map(|c| c.related_requirements.iter().filter_map(|r| short(Some(r))).collect()).unwrap_or_default(),
                control_id,
                suppression: (status == ImportedStatus::Suppressed).then(|| Text::interned("suppressed in Security Hub (workflow status SUPPRESSED)")),
                resource,
                check,
            };
            out.imported.push(imported);
        });
    }
    Ok(())
}
