//! NIST OSCAL 1.1.2 assessment results (JSON) of a [`Report`].
//!
//! Shape: `assessment-results` with `metadata` (title, last-modified, version
//! = the assessment date, oscal-version `1.1.2`), `import-ap`, one `result`
//! (reviewed controls, observations, findings, local inventory items) and a
//! `back-matter` resource.
//!
//! - **import-ap**: the tool has no OSCAL assessment plan, so `import-ap.href`
//!   is `#<uuid>`, pointing at a `back-matter` resource that says so and names
//!   the catalog assessed against (the schema requires the import).
//! - **Control ids** become OSCAL tokens with [`control_token`]: `CLD.6.3.1`
//!   → `cld.6.3.1`; numeric ids, which a token may not start with, get the
//!   ISO/IEC 27001:2013 Annex A prefix: `9.1.2` → `a.9.1.2`.
//! - **reviewed-controls**: `include-controls` lists the applicable controls,
//!   `exclude-controls` the excluded ones.
//! - **observations**: one per failing or decided finding (method `TEST`,
//!   type `finding`), its resource as an `inventory-item` subject (defined in
//!   `local-definitions`), its input file and pointer as `relevant-evidence`.
//! - **findings**: one per control with a verdict: target
//!   `objective-id` `<token>_obj`, state `not-satisfied` for Not met
//!   (automated), Not met and Partially met; `satisfied` for Met and Met
//!   (with open questions); linked to the control's observations. Controls
//!   waiting for review, not assessed or not applicable get none. A control
//!   covered by a provider attestation is `satisfied`, with the props
//!   `provider-part` (`inherited` / `shared`, `-review` when an attestation
//!   needs review) and `provider-attestations` (what it cites): OSCAL's
//!   `by-components` / `provided` / `inherited` belong to system security
//!   plans, not to assessment results, so they are properties in our namespace.
//! - **UUIDs** are version-4 shaped, derived from SHA-256 of stable inputs
//!   (organisation, name, date, check, resource, source), so the same report
//!   gives the same document.
//!
//! **Invariant:** user text enters markup fields escaped (`md_text`: only
//! where it would be markup, so plain text stays plain, `aws_s3_bucket` not
//! `aws\_s3\_bucket`) and
//! string fields whitespace-normalised and non-empty, as the schema's
//! patterns require; times are UTC with a `Z` offset.

use super::text::{collapse_whitespace, md_text};
use super::{Carried, FindingItem, Report, ReportSource, SoaApplicability};
use crate::model::ControlId;
use crate::share::payload::date_from_days;
use crate::workspace::rollup::Outcome;
use crate::workspace::IsoDate;
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap, HashSet};

/// The OSCAL version the document conforms to.
pub const OSCAL_VERSION: &str = "1.1.2";

/// Namespace of this tool's OSCAL properties.
/// An identifier, not a location: `.invalid` is reserved (RFC 2606), so it never clashes.
const NS: &str = "https://iso27017-assessor.invalid/ns/oscal";

/// A control id as an OSCAL token (see the module docs).
pub fn control_token(id: &ControlId) -> String {
    let lower = id.as_str().to_ascii_lowercase();
    if lower.starts_with(|c: char| c.is_ascii_digit()) {
        format!("a.{lower}")
    } else {
        lower
    }
}

/// A version-4-shaped UUID from SHA-256 of `parts` (length-prefixed, so
/// `["ab","c"]` and `["a","bc"]` differ).
fn uuid_of(parts: &[&str]) -> String {
    let mut h = Sha256::new();
    h.update(b"iso27017-assessor/oscal/1");
    for p in parts {
        h.update((p.len() as u64).to_le_bytes());
        h.update(p.as_bytes());
    }
    let d = h.finalize();
    let mut b = [0u8; 16];
    b.copy_from_slice(&d[..16]);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &hex[0..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..32])
}

/// Unique UUIDs: a collision (same stable inputs twice) gets a counter.
#[derive(Default)]
struct Uuids(HashSet<String>);

impl Uuids {
    fn make(&mut self, parts: &[&str]) -> String {
        let mut u = uuid_of(parts);
        let mut n = 1u64;
        while !self.0.insert(u.clone()) {
            n += 1;
            let counter = n.to_string();
            let mut p: Vec<&str> = parts.to_vec();
            p.push(&counter);
            u = uuid_of(&p);
        }
        u
    }
}

/// `now` (milliseconds since the Unix epoch) as an OSCAL date-time, UTC,
/// clamped to the years the schema's pattern accepts (1900–2999).
fn timestamp(now_ms: u64) -> String {
    const DAY: u64 = 86_400_000;
    let last = IsoDate::new(2999, 12, 31).map_or(376_199, IsoDate::days);
    let days = i64::try_from(now_ms / DAY).unwrap_or(i64::MAX);
    let (days, rem) = if days > last { (last, DAY - 1) } else { (days, now_ms % DAY) };
    let date = date_from_days(days).map_or_else(|| "2999-12-31".to_string(), |d| d.to_string());
    let (h, m, s, milli) = (rem / 3_600_000, rem / 60_000 % 60, rem / 1000 % 60, rem % 1000);
    format!("{date}T{h:02}:{m:02}:{s:02}.{milli:03}Z")
}

/// A string the schema's `StringDatatype` accepts: one line, no leading or
/// trailing space, not empty.
fn string(s: &str) -> String {
    let c = collapse_whitespace(s);
    if c.is_empty() {
        "(none)".to_string()
    } else {
        c
    }
}

/// A markup value: text escaped only where it would otherwise be markup, so
/// that it reads the same rendered or not (`md_text`).
fn markup(s: &str) -> String {
    let m = md_text(s);
    if m.is_empty() {
        "(none)".to_string()
    } else {
        m
    }
}

fn prop(name: &str, value: &str) -> Value {
    json!({ "name": name, "ns": NS, "value": string(value) })
}

/// An observation's properties: the check and severity; for a finding
/// imported from another scanner, which tool found it (name and version), the
/// tool's own check id and the basis of the mapping to controls.
fn props(item: &FindingItem<'_>) -> Value {
    let mut p = vec![prop("check", item.check().as_str()), prop("severity", item.severity().as_str())];
    if let Some(o) = item.imported() {
        p.push(prop("found-by", &item.found_by()));
        p.push(prop("tool-check", &o.finding.check));
        p.push(prop("mapping-basis", o.mapping.basis.as_str()));
    }
    Value::Array(p)
}

/// A finding's properties: its outcome and control; for a control with a
/// provider part, `provider-part` (`inherited`, `shared`, with `-review` when
/// an attestation needs review) and, from a workspace, `provider-attestations`
/// (the attestations cited, or why they need review).
fn finding_props(r: &super::SoaRow<'_>) -> Value {
    let mut p = vec![prop("outcome", r.outcome.as_str()), prop("control", r.control.id.as_str())];
    if let Some(pr) = &r.provider {
        p.push(prop("provider-part", pr.state.as_str()));
        if let Carried::Present(d) = &pr.detail {
            if !d.trim().is_empty() {
                p.push(prop("provider-attestations", d));
            }
        }
    }
    Value::Array(p)
}

fn satisfied(o: Outcome) -> Option<&'static str> {
    match o {
        Outcome::NotMetAutomated | Outcome::NotMet | Outcome::PartiallyMet => Some("not-satisfied"),
        Outcome::Met | Outcome::MetWithOpenQuestions | Outcome::ProviderCovered | Outcome::MetCompensated => Some("satisfied"),
        Outcome::ProviderReview
        | Outcome::NotApplicable
        | Outcome::AutomatedPassNeedsReview
        | Outcome::AutomatedUnknownNeedsReview
        | Outcome::NotAssessed => None,
    }
}

/// The OSCAL 1.1.2 assessment-results document (pretty JSON) for `report`,
/// stamped with `now_ms` (milliseconds since the Unix epoch; the engine has
/// no clock) as last-modified, result start and observation collection time.
pub fn oscal_assessment_results(report: &Report<'_>, now_ms: u64) -> String {
    serde_json::to_string_pretty(&document(report, now_ms)).unwrap_or_default()
}

fn document(report: &Report<'_>, now_ms: u64) -> Value {
    let s = &report.summary;
    let now = timestamp(now_ms);
    let date = s.date.to_string();
    let name = report.name.present().unwrap_or("");
    let seed = [s.organisation, name, date.as_str(), report.edition];
    let mut uuids = Uuids::default();
    let doc_uuid = uuids.make(&[&seed[..], &["assessment-results"]].concat());
    let plan_uuid = uuids.make(&[&seed[..], &["plan"]].concat());
    let result_uuid = uuids.make(&[&seed[..], &["result"]].concat());

    // Observations (and their subjects), grouped per control for the findings.
    let mut observations = Vec::new();
    let mut inventory: BTreeMap<String, Value> = BTreeMap::new();
    let mut inventory_uuid: HashMap<String, String> = HashMap::new();
    let mut by_control: HashMap<&ControlId, Vec<String>> = HashMap::new();
    for (section, sec) in [("failing", &report.failing), ("decided", &report.decided)] {
        for g in &sec.groups {
            for (i, item) in g.items.iter().enumerate() {
                let (obs, uuid) = observation(&mut uuids, &mut inventory, &mut inventory_uuid, &seed, section, g.title(), i, item, &now);
                observations.push(obs);
                for c in item.controls() {
                    by_control.entry(c).or_default().push(uuid.clone());
                }
            }
        }
    }

    let mut include = Vec::new();
    let mut exclude = Vec::new();
    let mut findings = Vec::new();
    for r in &report.soa {
        let token = control_token(&r.control.id);
        match r.applicability {
            SoaApplicability::Applicable => include.push(json!({ "control-id": token })),
            SoaApplicability::Excluded { .. } => exclude.push(json!({ "control-id": token })),
        }
        let Some(state) = satisfied(r.outcome) else { continue };
        let c = r.counts;
        let mut f = json!({
            "uuid": uuids.make(&[&seed[..], &["finding", r.control.id.as_str()]].concat()),
            "title": markup(&format!("{} {}", r.control.id, r.control.title)),
            "description": markup(&format!(
                "Outcome: {}. Manual status: {}. Automated findings: {} pass, {} fail, {} unknown, {} waived or risk-accepted.",
                r.outcome.label(), r.status.label(), c.pass, c.fail, c.unknown, c.accepted
            )),
            "props": finding_props(r),
            "target": {
                "type": "objective-id",
                "target-id": format!("{token}_obj"),
                "status": { "state": state }
            }
        });
        if let (Outcome::MetCompensated, Carried::Present(Some(k))) = (r.outcome, r.compensation) {
            f["remarks"] = Value::String(markup(&format!(
                "The failing automated result is compensated: {} (reviewed by {} on {}).",
                k.justification, k.reviewer, k.reviewed_on
            )));
        }
        if let Some(obs) = by_control.get(&r.control.id) {
            f["related-observations"] = obs.iter().map(|u| json!({ "observation-uuid": u })).collect();
        }
        findings.push(f);
    }
    let mut selection = Map::new();
    if include.is_empty() {
        selection.insert("include-all".into(), json!({}));
    } else {
        selection.insert("include-controls".into(), Value::Array(include));
    }
    if !exclude.is_empty() {
        selection.insert("exclude-controls".into(), Value::Array(exclude));
    }

    let o = &s.outcomes;
    let mut result = json!({
        "uuid": result_uuid,
        "title": markup(&format!("{} assessment", report.edition)),
        "description": markup(&format!(
            "{} of {} controls have a verdict: {} met, {} not or partially met, {} not applicable, {} waiting for review; {} failing finding(s), {} waived or risk-accepted.",
            o.assessed(), o.total(), o.met(), o.not_met(), o.get(Outcome::NotApplicable), o.open(),
            s.failing_or_decided_findings, report.decided.count()
        )),
        "start": now,
        "props": [prop("assessment-date", &date)],
        "reviewed-controls": { "control-selections": [Value::Object(selection)] },
    });
    if !inventory.is_empty() {
        result["local-definitions"] = json!({ "inventory-items": inventory.into_values().collect::<Vec<_>>() });
    }
    if !observations.is_empty() {
        result["observations"] = Value::Array(observations);
    }
    if !findings.is_empty() {
        result["findings"] = Value::Array(findings);
    }
    if let ReportSource::ShareLink { notes, resource_ids, findings, findings_complete } = report.source {
        result["remarks"] = json!(format!(
            "Built from a share link (notes {}, resource ids {}, findings {}{}).",
            if notes { "included" } else { "left out" },
            if resource_ids { "included" } else { "left out" },
            if findings { "included" } else { "left out" },
            if findings && !findings_complete { ", some left out to fit the link" } else { "" }
        ));
    }

    let org = if s.organisation.trim().is_empty() { String::new() } else { format!(" — {}", s.organisation) };
    let title = match report.name {
        Carried::Present(n) => format!("{n}{org}: {} assessment results", report.edition),
        Carried::Absent => format!("Shared assessment{org}: {} assessment results", report.edition),
    };
    json!({
        "assessment-results": {
            "uuid": doc_uuid,
            "metadata": {
                "title": markup(&title),
                "last-modified": now,
                "version": date,
                "oscal-version": OSCAL_VERSION,
                "remarks": format!("Generated by iso27017-assessor {}.", env!("CARGO_PKG_VERSION")),
            },
            "import-ap": { "href": format!("#{plan_uuid}") },
            "results": [result],
            "back-matter": {
                "resources": [{
                    "uuid": plan_uuid,
                    "title": markup(&format!("Assessment plan: {} control catalog", report.edition)),
                    "description": markup(&format!(
                        "No OSCAL assessment plan exists for this assessment. It assessed every control of {} as bundled in iso27017-assessor {}, with the scope recorded in the results.",
                        report.edition, env!("CARGO_PKG_VERSION")
                    )),
                }]
            }
        }
    })
}

#[allow(clippy::too_many_arguments)]
fn observation(
    uuids: &mut Uuids,
    inventory: &mut BTreeMap<String, Value>,
    inventory_uuid: &mut HashMap<String, String>,
    seed: &[&str],
    section: &str,
    title: &str,
    index: usize,
    item: &FindingItem<'_>,
    now: &str,
) -> (Value, String) {
    let check = item.check().as_str();
    let source = item.source().present();
    let resource = item.resource_id().present();
    let index = index.to_string();
    let mut key: Vec<&str> = seed.to_vec();
    key.extend(["observation", section, check]);
    let pointer = source.map(|s| s.pointer.text());
    match (resource, source) {
        (Some(r), Some(s)) => key.extend([r, s.file.as_str(), pointer.as_deref().unwrap_or("")]),
        (Some(r), None) => key.push(r),
        (None, _) => key.push(&index),
    }
    let uuid = uuids.make(&key);
    let mut obs = json!({
        "uuid": uuid,
        "title": markup(&format!("{check}: {title}")),
        "description": markup(&item.message()),
        "props": props(item),
        "methods": ["TEST"],
        "types": ["finding"],
        "collected": now,
    });
    if let Some(r) = resource {
        let inv = match inventory_uuid.get(r) {
            Some(u) => u.clone(),
            None => {
                let mut k: Vec<&str> = seed.to_vec();
                k.extend(["inventory-item", r]);
                let u = uuids.make(&k);
                let name = item.resource_name().present().filter(|n| !n.is_empty() && *n != r);
                let provider = item.provider().present().map(|p| p.as_str());
                let mut description = format!("Cloud resource {r}");
                if let Some(n) = name {
                    description.push_str(&format!(" ({n})"));
                }
                if let Some(p) = provider {
                    description.push_str(&format!(" on {p}"));
                }
                inventory.insert(u.clone(), json!({ "uuid": u, "description": markup(&description) }));
                inventory_uuid.insert(r.to_string(), u.clone());
                u
            }
        };
        obs["subjects"] = json!([{ "subject-uuid": inv, "type": "inventory-item", "title": markup(r) }]);
    }
    let evidence = match source {
        Some(s) => {
            let line = s.line.map(|l| format!(", line {l}")).unwrap_or_default();
            if s.pointer.is_empty() {
                format!("Input file {}{line}", s.file)
            } else {
                format!("Input file {} at {}{line}", s.file, s.pointer)
            }
        }
        None => "The source of this finding is not in the share link.".to_string(),
    };
    obs["relevant-evidence"] = json!([{ "description": markup(&evidence) }]);
    if let Some(d) = item.decision() {
        let mut text = format!("{}{}", d.kind.label(), if d.expired { " (expired)" } else { "" });
        if let Carried::Present(Some(e)) = d.expires {
            text.push_str(&format!(" until {e}"));
        }
        if let Carried::Present(reason) = d.reason {
            if !reason.trim().is_empty() {
                text.push_str(": ");
                text.push_str(reason);
            }
        }
        obs["remarks"] = json!(markup(&text));
    }
    (obs, uuid)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_start_with_a_letter() {
        assert_eq!(control_token(&"CLD.6.3.1".parse().unwrap()), "cld.6.3.1");
        assert_eq!(control_token(&"9.1.2".parse().unwrap()), "a.9.1.2");
    }

    #[test]
    fn uuids_are_v4_shaped_and_stable() {
        let u = uuid_of(&["a", "b"]);
        assert_eq!(u, uuid_of(&["a", "b"]));
        assert_ne!(u, uuid_of(&["ab", ""]));
        let b = u.as_bytes();
        assert_eq!((u.len(), b[14], b[8], b[13]), (36, b'4', b'-', b'-'));
        assert!(matches!(b[19], b'8' | b'9' | b'a' | b'b'), "{u}");
        let mut set = Uuids::default();
        assert_ne!(set.make(&["x"]), set.make(&["x"]));
    }

    #[test]
    fn timestamps_are_utc_and_clamped() {
        assert_eq!(timestamp(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(timestamp(1_780_000_000_123), "2026-05-28T20:26:40.123Z");
        assert!(timestamp(u64::MAX).starts_with("2999-12-31T23:59:59"));
    }
}
