//! Prowler's findings: the OCSF JSON array of Detection Findings (`class_uid`
//! 2004) that Prowler 4 and 5 write (`-M json-ocsf`), and the `;`-separated CSV.
//!
//! Status: `status_code` PASS / FAIL / MANUAL (unknown); a finding whose OCSF
//! `status` is `Suppressed` (or CSV `MUTED` is true) is muted. The check id is
//! `metadata.event_code` (CSV `CHECK_ID`).

use super::{clean, outer, provider_named, severity, short, text, ImportedStatus, Imported, Out, Str, Tool};
use crate::ingest::{IngestError, Limits};
use crate::inventory::{DiagnosticLevel, Provider, Text};
use serde::Deserialize;
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

#[derive(Deserialize)]
struct Ocsf<'a> {
    #[serde(borrow, default)]
    message: Str<'a>,
    #[serde(borrow, default)]
    metadata: Option<Meta<'a>>,
    #[serde(borrow, default)]
    severity: Str<'a>,
    #[serde(borrow, default)]
    status: Str<'a>,
    #[serde(borrow, default)]
    status_code: Str<'a>,
    #[serde(borrow, default)]
    status_detail: Str<'a>,
    #[serde(borrow, default)]
    finding_info: Option<Info<'a>>,
    #[serde(borrow, default)]
    resources: Vec<Res<'a>>,
    #[serde(borrow, default)]
    cloud: Option<Cloud<'a>>,
    #[serde(borrow, default)]
    remediation: Option<Remediation<'a>>,
    #[serde(borrow, default)]
    unmapped: Option<Unmapped<'a>>,
    #[serde(default)]
    class_uid: Option<u64>,
}

#[derive(Deserialize)]
struct Meta<'a> {
    #[serde(borrow, default)]
    event_code: Str<'a>,
    #[serde(borrow, default)]
    product: Option<Product<'a>>,
}

#[derive(Deserialize)]
struct Product<'a> {
    #[serde(borrow, default)]
    name: Str<'a>,
    #[serde(borrow, default)]
    version: Str<'a>,
}

#[derive(Deserialize)]
struct Info<'a> {
    #[serde(borrow, default)]
    title: Str<'a>,
}

#[derive(Deserialize)]
struct Res<'a> {
    #[serde(borrow, default)]
    uid: Str<'a>,
    #[serde(borrow, default)]
    name: Str<'a>,
    #[serde(borrow, default)]
    r#type: Str<'a>,
    #[serde(borrow, default)]
    region: Str<'a>,
    #[serde(borrow, default)]
    group: Option<Group<'a>>,
}

#[derive(Deserialize)]
struct Group<'a> {
    #[serde(borrow, default)]
    name: Str<'a>,
}

#[derive(Deserialize)]
struct Cloud<'a> {
    #[serde(borrow, default)]
    account: Option<Account<'a>>,
    #[serde(borrow, default)]
    provider: Str<'a>,
    #[serde(borrow, default)]
    region: Str<'a>,
}

#[derive(Deserialize)]
struct Account<'a> {
    #[serde(borrow, default)]
    uid: Str<'a>,
}

#[derive(Deserialize)]
struct Remediation<'a> {
    #[serde(borrow, default)]
    desc: Str<'a>,
    #[serde(borrow, default)]
    references: Vec<Cow<'a, str>>,
}

#[derive(Deserialize)]
struct Unmapped<'a> {
    #[serde(borrow, default)]
    related_url: Str<'a>,
    /// Only the ISO/IEC 27001 entries are kept.
    #[serde(default, deserialize_with = "iso_only")]
    compliance: Vec<String>,
}

/// The requirement ids of a compliance map's ISO/IEC 27001 frameworks
/// (`"ISO27001-2013": ["A.10.1.A", …]`), skipping the other frameworks unread.
fn iso_only<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    struct V;
    impl<'de> serde::de::Visitor<'de> for V {
        type Value = Vec<String>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a map of framework to requirement ids")
        }
        fn visit_unit<E>(self) -> Result<Vec<String>, E> {
            Ok(Vec::new())
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(self, mut m: A) -> Result<Vec<String>, A::Error> {
            let mut out = Vec::new();
            while let Some(k) = m.next_key::<Cow<'de, str>>()? {
                if k.to_ascii_uppercase().replace([' ', '/', '_'], "").starts_with("ISO27001") {
                    let year = if k.contains("2022") { "2022" } else { "2013" };
                    let ids: Vec<Cow<'de, str>> = m.next_value()?;
                    out.extend(ids.iter().map(|id| format!("ISO27001-{year}:{}", id.trim())));
                } else {
                    m.next_value::<serde::de::IgnoredAny>()?;
                }
            }
            Ok(out)
        }
    }
    d.deserialize_any(V)
}

fn status_of(code: Option<&str>, ocsf_status: Option<&str>, muted: bool) -> ImportedStatus {
    if muted || ocsf_status.is_some_and(|s| s.eq_ignore_ascii_case("suppressed")) {
        return ImportedStatus::Muted;
    }
    match code.map(|c| c.trim().to_ascii_uppercase()).as_deref() {
        Some("PASS") => ImportedStatus::Pass,
        Some("FAIL") => ImportedStatus::Fail,
        _ => ImportedStatus::Unknown,
    }
}

/// The version Prowler writes, or none for its example files' placeholder.
fn version(v: Option<&str>) -> Option<String> {
    v.map(str::trim).filter(|v| !v.is_empty() && !v.starts_with('<')).map(clean)
}

/// Read the OCSF JSON array.
pub(super) fn parse_ocsf(out: &mut Out<'_>, limits: &Limits) -> Result<(), IngestError> {
    let items: Vec<&RawValue> = outer(out.text, limits, "Prowler OCSF findings (a JSON array of detection findings)")?;
    let mut tools: HashMap<(String, Option<String>), Arc<Tool>> = HashMap::new();
    out.each(&items, "", "finding", |out, f: Ocsf<'_>, source| {
        if f.class_uid.is_some_and(|c| c != 2004) {
            out.problem(format!("element {} is an OCSF event of class {}, not a detection finding (2004); skipped", source.pointer, f.class_uid.unwrap_or(0)), Some(source));
            return;
        }
        let meta = f.metadata.as_ref();
        let product = meta.and_then(|m| m.product.as_ref());
        let name = product.and_then(|p| p.name.as_deref()).map(clean).filter(|n| !n.is_empty()).unwrap_or_else(|| "Prowler".into());
        let ver = version(product.and_then(|p| p.version.as_deref()));
        let tool = tools.entry((name.clone(), ver.clone())).or_insert_with(|| Arc::new(Tool { name, version: ver })).clone();
        let Some(check) = meta.and_then(|m| m.event_code.as_deref()).and_then(|c| short(Some(c))) else {
            out.problem(format!("finding {} has no check id (metadata.event_code); skipped", source.pointer), Some(source));
            return;
        };
        let res = f.resources.first();
        let cloud = f.cloud.as_ref();
        let provider = cloud.and_then(|c| c.provider.as_deref()).and_then(provider_named).unwrap_or(Provider::Other);
        let resource = res.and_then(|r| short(r.uid.as_deref())).or_else(|| res.and_then(|r| short(r.name.as_deref()))).unwrap_or_else(|| check.clone());
        let resource_name = res.and_then(|r| short(r.name.as_deref())).unwrap_or_else(|| resource.clone());
        let resource_type = res
            .and_then(|r| short(r.r#type.as_deref()).filter(|t| t.as_str() != "Other"))
            .or_else(|| res.and_then(|r| r.group.as_ref()).and_then(|g| short(g.name.as_deref())))
            .unwrap_or_default();
        let rem = f.remediation.as_ref();
        let unmapped = f.unmapped.as_ref();
        let remediation_url = rem
            .and_then(|r| r.references.iter().find(|u| u.starts_with("https://") || u.starts_with("http://")))
            .and_then(|u| text(Some(u)))
            .or_else(|| unmapped.and_then(|u| text(u.related_url.as_deref())));
        let imported = Imported {
            tool,
            title: text(f.finding_info.as_ref().and_then(|i| i.title.as_deref())).unwrap_or_else(|| check.clone()),
            severity: severity(f.severity.as_deref()),
            status: status_of(f.status_code.as_deref(), f.status.as_deref(), false),
            message: text(f.status_detail.as_deref()).or_else(|| text(f.message.as_deref())).unwrap_or_default(),
            remediation: text(rem.and_then(|r| r.desc.as_deref())),
            remediation_url,
            provider,
            resource,
            resource_name,
            resource_type,
            account: cloud.and_then(|c| c.account.as_ref()).and_then(|a| short(a.uid.as_deref())),
            region: res.and_then(|r| short(r.region.as_deref())).or_else(|| cloud.and_then(|c| short(c.region.as_deref()))),
            source,
            requirements: unmapped.map(|u| u.compliance.iter().map(|s| Text::interned(s)).collect()).unwrap_or_default(),
            control_id: None,
            suppression: None,
            check,
        };
        out.imported.push(imported);
    });
    Ok(())
}

/// Read the `;`-separated CSV.
pub(super) fn parse_csv(out: &mut Out<'_>) -> Result<(), IngestError> {
    let mut rdr = csv::ReaderBuilder::new().delimiter(b';').flexible(true).from_reader(out.text.as_bytes());
    let header = rdr.headers().map_err(|e| IngestError::Syntax { format: "CSV", line: 1, column: 1, message: e.to_string() })?.clone();
    let col = |name: &str| header.iter().position(|h| h.trim() == name);
    let (Some(c_check), Some(c_status)) = (col("CHECK_ID"), col("STATUS")) else {
        return Err(IngestError::Unrecognised("a CSV without Prowler's CHECK_ID and STATUS columns".into()));
    };
    let [c_title, c_ext, c_muted, c_sev, c_rtype, c_ruid, c_rname, c_region, c_account, c_provider, c_rem, c_rem_url, c_url, c_compl, c_version] = [
        "CHECK_TITLE",
        "STATUS_EXTENDED",
        "MUTED",
        "SEVERITY",
        "RESOURCE_TYPE",
        "RESOURCE_UID",
        "RESOURCE_NAME",
        "REGION",
        "ACCOUNT_UID",
        "PROVIDER",
        "REMEDIATION_RECOMMENDATION_TEXT",
        "REMEDIATION_RECOMMENDATION_URL",
        "RELATED_URL",
        "COMPLIANCE",
        "PROWLER_VERSION",
    ]
    .map(col);
    let mut tools: HashMap<Option<String>, Arc<Tool>> = HashMap::new();
    let mut record = csv::StringRecord::new();
    let mut row = 0usize;
    loop {
        match rdr.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(0);
                out.note(DiagnosticLevel::Error, format!("the CSV could not be read past line {line}: {e}"));
                break;
            }
        }
        row += 1;
        let line = record.position().map(|p| p.line() as u32);
        let get = |c: Option<usize>| c.and_then(|c| record.get(c)).map(str::trim).filter(|s| !s.is_empty());
        let source = crate::inventory::SourceRef { file: out.file.clone(), pointer: crate::inventory::Pointer::default(), line };
        let Some(check) = short(get(Some(c_check))) else {
            out.problem(format!("row {row} has no CHECK_ID; skipped"), Some(source));
            continue;
        };
        let ver = version(get(c_version));
        let tool = tools.entry(ver.clone()).or_insert_with(|| Arc::new(Tool { name: "Prowler".into(), version: ver })).clone();
        let resource = short(get(c_ruid)).or_else(|| short(get(c_rname))).unwrap_or_else(|| check.clone());
        let muted = get(c_muted).is_some_and(|m| m.eq_ignore_ascii_case("true"));
        let requirements = get(c_compl)
            .map(|c| {
                c.split(" | ")
                    .filter_map(|part| part.split_once(": "))
                    .filter(|(fw, _)| fw.to_ascii_uppercase().replace([' ', '/', '_'], "").starts_with("ISO27001"))
                    .flat_map(|(fw, ids)| {
                        let year = if fw.contains("2022") { "2022" } else { "2013" };
                        ids.split(", ").map(move |id| Text::interned(&format!("ISO27001-{year}:{}", id.trim())))
                    })
                    .collect()
            })
            .unwrap_or_default();
        let imported = Imported {
            tool,
            title: text(get(c_title)).unwrap_or_else(|| check.clone()),
            severity: severity(get(c_sev)),
            status: status_of(get(Some(c_status)), None, muted),
            message: text(get(c_ext)).unwrap_or_default(),
            remediation: text(get(c_rem)),
            remediation_url: text(get(c_rem_url)).or_else(|| text(get(c_url))),
            provider: get(c_provider).and_then(provider_named).unwrap_or(Provider::Other),
            resource_name: short(get(c_rname)).unwrap_or_else(|| resource.clone()),
            resource,
            resource_type: short(get(c_rtype).filter(|t| *t != "Other")).unwrap_or_default(),
            account: short(get(c_account)),
            region: short(get(c_region)),
            source,
            requirements,
            control_id: None,
            suppression: None,
            check,
        };
        out.imported.push(imported);
    }
    Ok(())
}
