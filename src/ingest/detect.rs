//! Format detection by content. The document is parsed once here (JSON,
//! newline-delimited JSON, YAML or CSV) and handed to the format's parser.

use super::yaml::{self, YamlDoc};
use super::{Format, IngestError, Limits};
use serde_json::Value;

/// The parsed document, in the shape its syntax gave.
#[derive(Debug, Clone, PartialEq)]
pub enum Document {
    /// One JSON value.
    Json(Value),
    /// Newline-delimited JSON: (1-based line, value); lines that failed to
    /// parse are kept as errors for the parser to report.
    Lines(Vec<(u32, Result<Value, String>)>),
    /// YAML documents.
    Yaml(Vec<YamlDoc>),
    /// CSV text.
    Csv(String),
}

/// A detected input.
#[derive(Debug, Clone, PartialEq)]
pub struct Detected {
    /// The format.
    pub format: Format,
    /// Its content.
    pub document: Document,
}

/// Work out the format of a decoded text and parse its syntax.
pub fn detect(text: &str, limits: &Limits) -> Result<Detected, IngestError> {
    let t = text.trim_start_matches('\u{feff}').trim_start();
    if t.is_empty() {
        return Err(IngestError::Empty);
    }
    if t.lines().next().is_some_and(|l| l.contains(";CHECK_ID;") && l.contains(";STATUS;")) {
        return Ok(Detected { format: Format::ProwlerCsv, document: Document::Csv(t.to_string()) });
    }
    if t.starts_with("user,arn,") {
        return Ok(Detected { format: Format::AwsCredentialReport, document: Document::Csv(t.to_string()) });
    }
    if t.starts_with('{') || t.starts_with('[') {
        return detect_json(t, limits);
    }
    let docs = yaml::load(t, limits)?;
    let first = docs.iter().map(|d| &d.value).find(|v| !v.is_null());
    let format = match first {
        Some(v) if is_kubernetes(v) => Format::Kubernetes,
        Some(v) if is_cloudformation(v) => Format::CloudFormation,
        Some(Value::String(_)) | Some(Value::Number(_)) | Some(Value::Bool(_)) | None => {
            return Err(IngestError::Unrecognised(
                "this is plain text, not a JSON, YAML or CSV export (expected e.g. terraform show -json output, an AWS Config snapshot, Kubernetes YAML)".into(),
            ))
        }
        Some(_) => {
            return Err(IngestError::Unrecognised(
                "a YAML document that is neither Kubernetes (apiVersion + kind) nor CloudFormation (Resources with AWS:: types)".into(),
            ))
        }
    };
    Ok(Detected { format, document: Document::Yaml(docs) })
}

/// A JSON syntax error as the user reads it: too deep, or where it is and
/// whether the file ends early.
pub(super) fn json_error(e: serde_json::Error, limits: &Limits) -> IngestError {
    let msg = e.to_string();
    if msg.contains("recursion limit") {
        return IngestError::TooDeep { limit: limits.max_depth, line: e.line() as u64 };
    }
    let hint = if e.is_eof() { " (the file ends early: was it truncated?)" } else { "" };
    let message = msg.split(" at line ").next().unwrap_or(&msg).to_string();
    IngestError::Syntax { format: "JSON", line: e.line() as u64, column: e.column() as u64, message: format!("{message}{hint}") }
}

fn detect_json(t: &str, limits: &Limits) -> Result<Detected, IngestError> {
    match serde_json::from_str::<Value>(t) {
        Ok(v) => classify(v).map(|(format, v)| Detected { format, document: Document::Json(v) }),
        Err(e) if e.line() > 1 && e.to_string().starts_with("trailing characters") => {
            // Newline-delimited JSON (GCP Cloud Asset Inventory export).
            let mut lines = Vec::new();
            for (i, line) in t.lines().enumerate() {
                if line.trim().is_empty() {
                    continue;
                }
                let v = serde_json::from_str::<Value>(line).map_err(|e| json_error(e, limits).to_string());
                lines.push((i as u32 + 1, v));
            }
            let first = lines.iter().find_map(|(_, v)| v.as_ref().ok());
            match first {
                Some(v) if is_cai_asset(v) => Ok(Detected { format: Format::GcpAssetInventory, document: Document::Lines(lines) }),
                _ => Err(IngestError::Unrecognised(
                    "newline-delimited JSON whose lines are not Cloud Asset Inventory assets (asset_type/assetType and name)".into(),
                )),
            }
        }
        Err(e) => Err(json_error(e, limits)),
    }
}

fn has(v: &Value, key: &str) -> bool {
    v.get(key).is_some()
}

fn is_kubernetes(v: &Value) -> bool {
    v.get("apiVersion").is_some_and(Value::is_string) && v.get("kind").is_some_and(Value::is_string)
}

fn is_cloudformation(v: &Value) -> bool {
    has(v, "AWSTemplateFormatVersion")
        || v.get("Resources").and_then(Value::as_object).is_some_and(|r| {
            r.values().any(|x| x.get("Type").and_then(Value::as_str).is_some_and(|t| t.starts_with("AWS::") || t.starts_with("Custom::")))
        })
}

fn is_cai_asset(v: &Value) -> bool {
    (has(v, "asset_type") || has(v, "assetType")) && v.get("name").is_some_and(Value::is_string)
}

fn is_config_item(v: &Value) -> bool {
    v.get("resourceType").and_then(Value::as_str).is_some_and(|t| t.starts_with("AWS::"))
        && (has(v, "configuration") || has(v, "configurationItemCaptureTime") || has(v, "resourceId"))
}

fn is_azure_resource(v: &Value) -> bool {
    v.get("id").and_then(Value::as_str).is_some_and(|id| id.to_ascii_lowercase().starts_with("/subscriptions/"))
        && v.get("type").and_then(Value::as_str).is_some_and(|t| t.contains('/'))
}

/// Recognise a JSON document. Test-recording wrappers (`{status_code, data}`)
/// are unwrapped so recorded API responses can be used directly.
fn classify(v: Value) -> Result<(Format, Value), IngestError> {
    if let Value::Object(o) = &v {
        if o.len() == 2 && o.contains_key("status_code") {
            if let Some(data) = o.get("data") {
                return classify(data.clone());
            }
        }
    }
    let format = match &v {
        Value::Object(_) if has(&v, "format_version") && (has(&v, "planned_values") || has(&v, "resource_changes")) => Format::TerraformPlan,
        Value::Object(_) if has(&v, "format_version") && (has(&v, "values") || has(&v, "terraform_version")) => Format::TerraformState,
        Value::Object(_) if v.get("version").and_then(Value::as_u64).is_some_and(|n| n >= 3) && has(&v, "lineage") => Format::TerraformRawState,
        Value::Object(_)
            if has(&v, "configurationItems")
                || has(&v, "configurationItem")
                || has(&v, "baseConfigurationItems")
                || has(&v, "invokingEvent")
                || (has(&v, "Results") && has(&v, "QueryInfo"))
                || is_config_item(&v) =>
        {
            Format::AwsConfig
        }
        Value::Object(_) if has(&v, "Content") && has(&v, "ReportFormat") => Format::AwsCredentialReport,
        Value::Object(_) if has(&v, "UserDetailList") || has(&v, "RoleDetailList") || has(&v, "GroupDetailList") => {
            Format::AwsAuthorizationDetails
        }
        Value::Object(_)
            if v.get("$schema").and_then(Value::as_str).is_some_and(|s| s.contains("deploymentTemplate"))
                || (has(&v, "contentVersion") && v.get("resources").is_some_and(Value::is_array)) =>
        {
            Format::AzureArmTemplate
        }
        Value::Object(_)
            if v.get("value").and_then(Value::as_array).is_some_and(|a| a.iter().any(is_azure_resource))
                || (has(&v, "data") && (has(&v, "totalRecords") || has(&v, "total_records") || has(&v, "count")))
                || has(&v, "interactions")
                || is_azure_resource(&v) =>
        {
            Format::AzureResources
        }
        Value::Object(_) if is_kubernetes(&v) => Format::Kubernetes,
        Value::Object(_) if is_cloudformation(&v) => Format::CloudFormation,
        Value::Object(_) if is_cai_asset(&v) => Format::GcpAssetInventory,
        Value::Array(a) if a.iter().any(is_cai_asset) => Format::GcpAssetInventory,
        Value::Array(a) if a.iter().any(is_config_item) => Format::AwsConfig,
        Value::Array(a) if a.iter().any(is_azure_resource) => Format::AzureResources,
        Value::Array(a) if a.iter().any(is_kubernetes) => Format::Kubernetes,
        _ => match scanner_format(&v) {
            Some(f) => f,
            None => return Err(IngestError::Unrecognised(explain_unknown(&v))),
        },
    };
    Ok((format, v))
}

/// Another scanner's findings file (`ingest::scanners` reads it from the text).
fn scanner_format(v: &Value) -> Option<Format> {
    let first = match v {
        Value::Array(a) => a.first().unwrap_or(&Value::Null),
        other => other,
    };
    if first.get("class_uid").is_some() && first.get("finding_info").is_some() {
        return Some(Format::ProwlerOcsf);
    }
    let event = |e: &Value| e.get("detail").and_then(|d| d.get("findings")).is_some_and(Value::is_array);
    if v.get("Findings").is_some_and(Value::is_array)
        || (first.get("SchemaVersion").is_some() && first.get("ProductArn").is_some())
        || event(first)
    {
        return Some(Format::SecurityHubAsff);
    }
    if v.get("runs").is_some_and(Value::is_array) && v.get("version").and_then(Value::as_str).is_some_and(|s| s.starts_with("2.")) {
        return Some(Format::Sarif);
    }
    if first.get("check_type").is_some() && first.get("results").is_some_and(Value::is_object) {
        return Some(Format::CheckovJson);
    }
    None
}

/// A specific message for JSON we do not recognise.
fn explain_unknown(v: &Value) -> String {
    match v {
        Value::Object(o) => {
            let keys: Vec<&str> = o.keys().take(6).map(String::as_str).collect();
            format!(
                "JSON object with keys {keys:?}; expected terraform show -json output, AWS Config items, an IAM report, Azure or GCP resources, Kubernetes or CloudFormation"
            )
        }
        Value::Array(a) => format!("JSON array of {} items that are not cloud resources we know", a.len()),
        _ => "a bare JSON value, not an export".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(s: &str) -> Result<Format, IngestError> {
        detect(s, &Limits::default()).map(|d| d.format)
    }

    #[test]
    fn detects_by_content() {
        assert_eq!(fmt(r#"{"format_version":"1.1","terraform_version":"1.4.6","planned_values":{}}"#), Ok(Format::TerraformPlan));
        assert_eq!(fmt(r#"{"format_version":"0.1","terraform_version":"0.12.0","values":{}}"#), Ok(Format::TerraformState));
        assert_eq!(fmt(r#"{"version":4,"serial":1,"lineage":"x","resources":[]}"#), Ok(Format::TerraformRawState));
        assert_eq!(fmt(r#"{"configurationItems":[]}"#), Ok(Format::AwsConfig));
        assert_eq!(fmt(r#"{"status_code":200,"data":{"Content":"x","ReportFormat":"text/csv"}}"#), Ok(Format::AwsCredentialReport));
        assert_eq!(fmt("user,arn,user_creation_time\n"), Ok(Format::AwsCredentialReport));
        assert_eq!(fmt(r#"{"UserDetailList":[]}"#), Ok(Format::AwsAuthorizationDetails));
        assert_eq!(fmt(r#"{"$schema":"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#","resources":[]}"#), Ok(Format::AzureArmTemplate));
        assert_eq!(fmt(r#"{"value":[{"id":"/subscriptions/1/resourceGroups/g/providers/Microsoft.Storage/storageAccounts/a","type":"Microsoft.Storage/storageAccounts"}]}"#), Ok(Format::AzureResources));
        assert_eq!(fmt("{\"name\":\"//x\",\"asset_type\":\"a\"}\n{\"name\":\"//y\",\"asset_type\":\"b\"}\n"), Ok(Format::GcpAssetInventory));
        assert_eq!(fmt("apiVersion: v1\nkind: Pod\nmetadata: {name: x}\n"), Ok(Format::Kubernetes));
        assert_eq!(fmt("Resources:\n  B:\n    Type: AWS::S3::Bucket\n"), Ok(Format::CloudFormation));
        // Other scanners' findings, whatever the order of their keys.
        assert_eq!(fmt(r#"[{"finding_info":{},"class_uid":2004}]"#), Ok(Format::ProwlerOcsf));
        assert_eq!(fmt(r#"{"runs":[],"version":"2.1.0"}"#), Ok(Format::Sarif));
        assert_eq!(fmt(r#"{"Findings":[]}"#), Ok(Format::SecurityHubAsff));
        assert_eq!(fmt(r#"{"source":"aws.securityhub","detail":{"findings":[]}}"#), Ok(Format::SecurityHubAsff));
        assert_eq!(fmt(r#"[{"summary":{},"results":{},"check_type":"terraform"}]"#), Ok(Format::CheckovJson));
    }

    #[test]
    fn explains_what_it_cannot_use() {
        for (input, needle) in [
            ("{\"a\":1", "truncated"),
            ("hello world", "plain text"),
            ("{\"foo\":1}", "keys [\"foo\"]"),
            ("a: 1\n", "neither Kubernetes"),
        ] {
            let err = fmt(input).unwrap_err().to_string();
            assert!(err.contains(needle), "{input} -> {err}");
        }
        let deep = format!("{}{}", "[".repeat(500), "]".repeat(500));
        assert!(matches!(fmt(&deep), Err(IngestError::TooDeep { .. })));
    }
}
