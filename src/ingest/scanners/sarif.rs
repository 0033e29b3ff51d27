//! SARIF 2.1.0 from any tool (Trivy, KICS, tfsec, Checkov, …): every run's
//! results, with the rule each names (`ruleId`, or the rule at `ruleIndex`).
//!
//! Status: `kind` `pass` is a pass, `open` / `review` / `informational` unknown,
//! `notApplicable` skipped; a result with a `suppressions` entry (not
//! rejected) is suppressed; everything else is a failure. Severity: the rule's
//! `security-severity` property (CVSS-like: 9+ critical, 7+ high, 4+ medium,
//! above 0 low), else the result's or rule's `level` (error high, warning
//! medium, note low). The resource is the first location's file and line
//! (SARIF names no cloud resource).

use super::{clean, outer, outer_depth, provider_of, severity, short, text, ImportedStatus, Imported, Out, Str, Tool};
use crate::ingest::{IngestError, Limits};
use crate::inventory::{Provider, Text};
use crate::model::Severity;
use serde::Deserialize;
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

#[derive(Deserialize)]
struct Top<'a> {
    #[serde(borrow, default)]
    version: Str<'a>,
    #[serde(borrow, default)]
    runs: Option<Vec<&'a RawValue>>,
}

/// [`Top`] with every run read in the same pass: what a well-formed report
/// gives (one walk of its results' text fewer). Any error reads [`Top`]
/// again, then each run on its own, so that a run that cannot be read is
/// reported and the others are kept.
#[derive(Deserialize)]
struct TopRuns<'a> {
    #[serde(borrow, default)]
    version: Str<'a>,
    #[serde(borrow, default)]
    runs: Option<Vec<Run<'a>>>,
}

/// A run read, or its text and why it could not be.
type RunRead<'a> = Result<Run<'a>, (&'a RawValue, serde_json::Error)>;

#[derive(Deserialize)]
struct Run<'a> {
    #[serde(borrow, default)]
    tool: Option<ToolObj<'a>>,
    #[serde(borrow, default)]
    results: Vec<&'a RawValue>,
}

#[derive(Deserialize)]
struct ToolObj<'a> {
    #[serde(borrow, default)]
    driver: Option<Driver<'a>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    #[serde(borrow, default)]
    name: Str<'a>,
    #[serde(borrow, default)]
    version: Str<'a>,
    #[serde(borrow, default)]
    semantic_version: Str<'a>,
    #[serde(borrow, default)]
    rules: Vec<Rule<'a>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Rule<'a> {
    #[serde(borrow, default)]
    id: Str<'a>,
    #[serde(borrow, default)]
    name: Str<'a>,
    #[serde(borrow, default)]
    short_description: Option<Msg<'a>>,
    #[serde(borrow, default)]
    full_description: Option<Msg<'a>>,
    #[serde(borrow, default)]
    help: Option<Msg<'a>>,
    #[serde(borrow, default)]
    help_uri: Str<'a>,
    #[serde(borrow, default)]
    default_configuration: Option<Config<'a>>,
    #[serde(default)]
    properties: Option<Props>,
}

#[derive(Deserialize)]
struct Msg<'a> {
    #[serde(borrow, default)]
    text: Str<'a>,
}

#[derive(Deserialize)]
struct Config<'a> {
    #[serde(borrow, default)]
    level: Str<'a>,
}

#[derive(Deserialize)]
struct Props {
    /// A number or a numeric string, depending on the tool.
    #[serde(rename = "security-severity", default)]
    security_severity: Option<serde_json::Value>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Result_<'a> {
    #[serde(borrow, default)]
    rule_id: Str<'a>,
    #[serde(default)]
    rule_index: Option<usize>,
    #[serde(borrow, default)]
    rule: Option<RuleRef<'a>>,
    #[serde(borrow, default)]
    level: Str<'a>,
    #[serde(borrow, default)]
    kind: Str<'a>,
    #[serde(borrow, default)]
    message: Option<Msg<'a>>,
    #[serde(borrow, default)]
    locations: Vec<Location<'a>>,
    #[serde(borrow, default)]
    suppressions: Vec<Suppression<'a>>,
}

#[derive(Deserialize)]
struct RuleRef<'a> {
    #[serde(borrow, default)]
    id: Str<'a>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Location<'a> {
    #[serde(borrow, default)]
    physical_location: Option<Physical<'a>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Physical<'a> {
    #[serde(borrow, default)]
    artifact_location: Option<Artifact<'a>>,
    #[serde(default)]
    region: Option<Region>,
}

#[derive(Deserialize)]
struct Artifact<'a> {
    #[serde(borrow, default)]
    uri: Str<'a>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    #[serde(default)]
    start_line: Option<u64>,
}

#[derive(Deserialize)]
struct Suppression<'a> {
    #[serde(borrow, default)]
    status: Str<'a>,
    #[serde(borrow, default)]
    justification: Str<'a>,
    #[serde(borrow, default)]
    kind: Str<'a>,
}

/// What every result of one rule shares.
struct RuleInfo {
    title: Option<Text>,
    remediation: Option<Text>,
    url: Option<Text>,
    severity: Option<Severity>,
    level: Option<Severity>,
}

fn cvss(v: &serde_json::Value) -> Option<Severity> {
    let n = match v {
        serde_json::Value::Number(n) => n.as_f64()?,
        serde_json::Value::String(s) => s.trim().parse::<f64>().ok()?,
        _ => return None,
    };
    Some(if n >= 9.0 {
        Severity::Critical
    } else if n >= 7.0 {
        Severity::High
    } else if n >= 4.0 {
        Severity::Medium
    } else if n > 0.0 {
        Severity::Low
    } else {
        Severity::Info
    })
}

/// Read every run.
pub(super) fn parse(out: &mut Out<'_>, limits: &Limits) -> Result<(), IngestError> {
    const WHAT: &str = "a SARIF report";
    let doc = out.text;
    let (version, runs): (Str<'_>, Option<Vec<RunRead<'_>>>) =
        match outer_depth(doc, limits).and_then(|()| serde_json::from_str::<TopRuns<'_>>(doc).ok()) {
            Some(top) => (top.version, top.runs.map(|runs| runs.into_iter().map(Ok).collect())),
            None => {
                let top: Top<'_> = outer(doc, limits, WHAT)?;
                let runs = top.runs.map(|runs| runs.into_iter().map(|raw| serde_json::from_str(raw.get()).map_err(|e| (raw, e))).collect());
                (top.version, runs)
            }
        };
    let Some(runs) = runs else {
        return Err(IngestError::Unrecognised("a SARIF document without a runs list".into()));
    };
    if let Some(v) = version.as_deref().filter(|v| !v.starts_with("2.")) {
        return Err(IngestError::Unrecognised(format!("SARIF version {:?}; only 2.1.0 is read", clean(v))));
    }
    for (ri, run) in runs.into_iter().enumerate() {
        let base = format!("/runs/{ri}");
        let run: Run<'_> = match run {
            Ok(r) => r,
            Err((raw, e)) => {
                let source = out.source(base, Some(raw.get()));
                out.problem(format!("run {} could not be read: {e}", ri + 1), Some(source));
                continue;
            }
        };
        let driver = run.tool.and_then(|t| t.driver);
        let name = driver.as_ref().and_then(|d| d.name.as_deref()).map(clean).filter(|n| !n.is_empty()).unwrap_or_else(|| "SARIF".into());
        let version = driver
            .as_ref()
            .and_then(|d| d.semantic_version.as_deref().or(d.version.as_deref()))
            .map(clean)
            .filter(|v| !v.is_empty());
        let tool = Arc::new(Tool { name, version });
        let rules: Vec<(Option<Cow<'_, str>>, RuleInfo)> = driver
            .map(|d| d.rules)
            .unwrap_or_default()
            .into_iter()
            .map(|r| {
                let title = text(r.short_description.as_ref().and_then(|m| m.text.as_deref()))
                    .or_else(|| text(r.name.as_deref()))
                    .or_else(|| text(r.full_description.as_ref().and_then(|m| m.text.as_deref())));
                let info = RuleInfo {
                    title,
                    remediation: text(r.help.as_ref().and_then(|m| m.text.as_deref())),
                    url: text(r.help_uri.as_deref()).filter(|u| u.starts_with("https://") || u.starts_with("http://")),
                    severity: r.properties.as_ref().and_then(|p| p.security_severity.as_ref()).and_then(cvss),
                    level: severity(r.default_configuration.as_ref().and_then(|c| c.level.as_deref())),
                };
                (r.id, info)
            })
            .collect();
        let by_id: HashMap<&str, usize> = rules.iter().enumerate().filter_map(|(i, (id, _))| id.as_deref().map(|id| (id, i))).collect();
        out.each(&run.results, &format!("{base}/results"), "result", |out, r: Result_<'_>, source| {
            let id = r.rule_id.as_deref().or_else(|| r.rule.as_ref().and_then(|x| x.id.as_deref()));
            let rule = id
                .and_then(|id| by_id.get(id).copied())
                .or(r.rule_index)
                .and_then(|i| rules.get(i));
            let Some(check) = short(id.or_else(|| rule.and_then(|(id, _)| id.as_deref()))) else {
                out.problem(format!("result {} names no rule; skipped", source.pointer), Some(source));
                return;
            };
            let info = rule.map(|(_, info)| info);
            let kind = r.kind.as_deref().unwrap_or("fail");
            let suppression = r.suppressions.iter().find(|s| !s.status.as_deref().is_some_and(|st| st == "rejected" || st == "underReview"));
            let status = if suppression.is_some() {
                ImportedStatus::Suppressed
            } else {
                match kind {
                    "pass" => ImportedStatus::Pass,
                    "notApplicable" => ImportedStatus::Suppressed,
                    "open" | "review" | "informational" => ImportedStatus::Unknown,
                    _ => ImportedStatus::Fail,
                }
            };
            let phys = r.locations.first().and_then(|l| l.physical_location.as_ref());
            let uri = phys.and_then(|p| p.artifact_location.as_ref()).and_then(|a| short(a.uri.as_deref()));
            let line = phys.and_then(|p| p.region.as_ref()).and_then(|r| r.start_line);
            let resource = match (&uri, line) {
                (Some(u), Some(l)) => Text::from(format!("{u}:{l}").as_str()),
                (Some(u), None) => u.clone(),
                _ => check.clone(),
            };
            let provider = provider_of(&check).unwrap_or(Provider::Other);
            let imported = Imported {
                tool: tool.clone(),
                title: info.and_then(|i| i.title.clone()).unwrap_or_else(|| check.clone()),
                severity: info.and_then(|i| i.severity).or_else(|| severity(r.level.as_deref())).or_else(|| info.and_then(|i| i.level)),
                status,
                message: text(r.message.as_ref().and_then(|m| m.text.as_deref())).unwrap_or_default(),
                remediation: info.and_then(|i| i.remediation.clone()),
                remediation_url: info.and_then(|i| i.url.clone()),
                provider,
                resource_name: resource.clone(),
                resource,
                resource_type: Text::default(),
                account: None,
                region: None,
                source,
                requirements: Vec::new(),
                control_id: None,
                suppression: suppression.map(|s| {
                    text(s.justification.as_deref())
                        .unwrap_or_else(|| Text::from(format!("suppressed ({})", clean(s.kind.as_deref().unwrap_or("in source"))).as_str()))
                }),
                check,
            };
            out.imported.push(imported);
        });
    }
    Ok(())
}
