//! The JSON document's findings and passes as one line each
//! ([`Passes::Counted`](super::Passes)), written by hand (`report::text`):
//! the bytes `#[derive(Serialize)]` and [`OnePerLine`](super::json::OnePerLine)
//! write for [`FindingJson`](super::json::FindingJson) and the passes of a
//! check, without serde's machinery. The texts shared by many findings (a
//! check's title and controls, the file name, the resource kinds and types)
//! are escaped once and copied.
//!
//! **Invariant:** the same bytes as the serde path (tested below on findings
//! with text needing escapes; `tests/report_stream.rs` compares whole
//! documents with the frozen first writer).

use super::json::ObservedJson;
use super::text::{self, Cached, Escaping};
use crate::checks::Finding;
use crate::model::ControlId;
use crate::workspace::decided::Applied;

/// Texts that repeat from one finding to the next, escaped once.
#[derive(Default)]
pub(crate) struct Shared {
    kind: Cached,
    native_type: Cached,
    file: Cached,
}

/// `["id",…]` for control ids.
pub(crate) fn controls(out: &mut Vec<u8>, controls: &[ControlId]) {
    out.push(b'[');
    for (i, c) in controls.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        text::string(out, c.as_str());
    }
    out.push(b']');
}

/// `f` from its `status` on (the fields after check, title and controls),
/// starting with the `,` after the controls and ending with the finding's `}`.
pub(crate) fn finding_tail(out: &mut Vec<u8>, f: &Finding, decision: Option<Applied<'_>>, shared: &mut Shared) -> std::io::Result<()> {
    let r = &f.resource;
    out.extend_from_slice(b",\"status\":");
    text::string(out, f.status.as_str());
    out.extend_from_slice(b",\"severity\":");
    text::string(out, f.severity.as_str());
    out.extend_from_slice(b",\"resource\":{\"id\":");
    text::string(out, &r.id);
    out.extend_from_slice(b",\"name\":");
    text::string(out, &r.name);
    out.extend_from_slice(b",\"kind\":");
    shared.kind.string(out, &r.kind);
    out.extend_from_slice(b",\"native_type\":");
    shared.native_type.string(out, &r.native_type);
    out.extend_from_slice(b",\"provider\":");
    text::string(out, r.provider.as_str());
    out.extend_from_slice(b"},\"source\":{\"file\":");
    shared.file.string(out, &r.source.file);
    out.extend_from_slice(b",\"pointer\":");
    pointer(out, &r.source.pointer);
    out.extend_from_slice(b",\"attribute_pointer\":");
    match f.evidence.iter().map(|e| &e.pointer).find(|p| !p.is_empty()) {
        Some(p) => pointer(out, p),
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(b",\"line\":");
    match r.source.line {
        Some(n) => text::uint(out, u64::from(n)),
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(b"},\"observed\":{");
    for (i, e) in ObservedJson(&f.evidence).entries().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        text::string(out, e.prop());
        out.push(b':');
        match e.observed.as_deref() {
            Some(v) => text::value(out, v)?,
            None => out.extend_from_slice(b"null"),
        }
    }
    out.extend_from_slice(b"},\"expected\":[");
    for (i, e) in f.evidence.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        text::string(out, e.expected());
    }
    out.extend_from_slice(b"],\"message\":\"");
    f.message.write_to(&mut Escaping(out)).map_err(std::io::Error::other)?;
    out.push(b'"');
    if let Some(reason) = f.reason.as_deref() {
        out.extend_from_slice(b",\"reason\":");
        text::string(out, reason);
    }
    let mut defaults = f.evidence.iter().filter_map(|e| e.basis().map(|d| (e, d))).peekable();
    if defaults.peek().is_some() {
        out.extend_from_slice(b",\"defaults\":[");
        for (i, (e, d)) in defaults.enumerate() {
            out.extend_from_slice(if i > 0 { b",{\"prop\":" } else { b"{\"prop\":" });
            text::string(out, e.prop());
            out.extend_from_slice(b",\"default\":");
            text::string(out, &d.id);
            out.extend_from_slice(b",\"says\":");
            text::string(out, &d.says);
            out.extend_from_slice(b",\"source\":");
            text::string(out, &d.source);
            out.extend_from_slice(b",\"verified\":");
            match d.verified.as_deref() {
                Some(v) => text::string(out, v),
                None => out.extend_from_slice(b"null"),
            }
            out.push(b'}');
        }
        out.push(b']');
    }
    // Imported from another scanner: as serde writes it (rare, not hot).
    if let Some(origin) = f.origin.as_deref() {
        out.extend_from_slice(b",\"imported\":");
        serde_json::to_writer(&mut *out, origin)?;
    }
    // A workspace's decision on it (`assess --workspace`; rare, not hot).
    if let Some(d) = decision {
        out.extend_from_slice(b",\"decision\":");
        serde_json::to_writer(&mut *out, &super::json::DecisionJson::new(d))?;
    }
    out.push(b'}');
    Ok(())
}

/// A JSON pointer as a string (its two stored parts escaped in turn).
pub(crate) fn pointer(out: &mut Vec<u8>, p: &crate::inventory::Pointer) {
    let (a, b) = p.parts();
    out.push(b'"');
    text::contents(out, a);
    text::contents(out, b);
    out.push(b'"');
}

/// The passes of one check, `f` the first of them, as one line:
/// `{"check":…,"title":…,"controls":[…],"severity":…,"count":…,"resources":[…]}`,
/// made in `buf` and written to `w` a few KB at a time (a check may pass on
/// every resource of the input).
pub(crate) fn passed_check<'a, W: std::io::Write + ?Sized>(
    w: &mut W,
    buf: &mut Vec<u8>,
    f: &Finding,
    title: &str,
    count: usize,
    ids: impl Iterator<Item = &'a str>,
) -> std::io::Result<()> {
    const FLUSH: usize = 8 * 1024;
    buf.clear();
    buf.extend_from_slice(b"{\"check\":");
    text::string(buf, f.check.as_str());
    buf.extend_from_slice(b",\"title\":");
    text::string(buf, title);
    buf.extend_from_slice(b",\"controls\":");
    controls(buf, &f.controls);
    buf.extend_from_slice(b",\"severity\":");
    text::string(buf, f.severity.as_str());
    buf.extend_from_slice(b",\"count\":");
    text::uint(buf, count as u64);
    buf.extend_from_slice(b",\"resources\":[");
    for (i, id) in ids.enumerate() {
        if buf.len() >= FLUSH {
            w.write_all(buf)?;
            buf.clear();
        }
        if i > 0 {
            buf.push(b',');
        }
        text::string(buf, id);
    }
    buf.extend_from_slice(b"]}");
    w.write_all(buf)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::checks::{Context, Evidence, Message, ResourceRef, RuleSet};
    use crate::ingest::Limits;
    use crate::inventory::{Provider, SourceRef};
    use crate::model::Status;
    use crate::report::json::{FindingTail, OnePerLine};
    use serde::Serialize;
    use serde_json::json;
    use std::sync::Arc;

    /// Findings of the bundled checks on the fixtures (some resting on
    /// provider defaults, some with a line), and copies of them whose texts
    /// need escapes: quotes, backslashes, control characters, U+2028, long
    /// Unicode, several conditions on one property, no evidence, a reason.
    pub(crate) fn hostile_findings() -> Vec<Finding> {
        // Compiled in: the engine's modules do no file I/O, tests included (`tests/architecture.rs`).
        macro_rules! fixtures {
            ($($rel:literal),* $(,)?) => {
                vec![$((concat!("tests/fixtures/ingest/", $rel).to_string(), include_bytes!(concat!("../../tests/fixtures/ingest/", $rel)).to_vec())),*]
            };
        }
        let inputs: Vec<(String, Vec<u8>)> = fixtures![
            "terraform/bucket_sse_infra.json",
            "terraform/full_compute_firewall.tfplan.json",
            "terraform/account_secure_transfer_infra.json",
            "terraform/container_private_access_infra.json",
            "terraform/security_group_no_inbound_22_infra.json",
            "aws-config/AWS_EC2_SecurityGroup.json",
            "aws-config/AWS_S3_Bucket.json",
            "aws-config/AWS_RDS_DBInstance.json",
            "azure/ArmResourceTest.common.json",
            "azure/NetworkSecurityGroupTest.test_open_ports.json",
            "k8s/kube-score_list.yaml",
        ];
        let a = crate::engine::assess_files(inputs, &Limits::default(), RuleSet::bundled(), &Context::on(2026, 6, 1));
        let mut out: Vec<Finding> = a.findings.iter().filter(|f| f.evidence.iter().any(|e| e.basis().is_some())).take(3).cloned().collect();
        assert!(!out.is_empty(), "a finding resting on a provider default");
        out.extend(a.findings.iter().filter(|f| f.resource.source.line.is_some()).take(2).cloned());
        out.extend(a.findings.iter().step_by(97).cloned());
        let long: String = (0..3000).map(|i| ["é", "\"", "🦀", "\\", "\n", "日本", "\u{2028}", "\u{1f}", "x"][i % 9]).collect();
        let tricky = Arc::new(ResourceRef {
            provider: Provider::Azure,
            kind: "object\"bucket".into(),
            native_type: "Microsoft.Storage/storageAccounts\\x".into(),
            id: "/subscriptions/x|y/\"id\"\\with\tescapes\u{1}\u{2028}".into(),
            name: format!("ünïcödé </script> \"name\"\n✓ {long}").into(),
            account: None,
            source: SourceRef { file: "dir/ünïcödé \"file\"\u{7f}.json".into(), pointer: "/a~1b/c~0d/\"0\"".into(), line: Some(0) },
        });
        let ev = |prop: &str, observed: Option<serde_json::Value>, expected: &str| Evidence::new(prop, expected, format!("/props/{prop}\u{b}").into(), observed.map(Arc::new));
        let model = out.first().unwrap().clone();
        let mut f = model.clone();
        f.resource = tricky.clone();
        f.message = Message::template(format!("{{resource}} is \"open\" to {{resource}}\n{long}").into(), tricky.clone());
        f.evidence = [
            ev("zeta", Some(json!({"b": [1, 2.5, null], "a": "x\u{7f}\u{0}"})), "zeta is set"),
            ev("alpha", None, "alpha exists"),
            ev("mid", Some(json!(false)), "mid is true"),
            ev("alpha", Some(json!("second\u{2028}")), "alpha is \"second\""),
            ev("Alpha", Some(json!(-1)), "upper case sorts first"),
            ev("alpha", Some(json!(3)), "the last alpha wins"),
            ev("n", Some(json!(null)), "n\\ is null"),
            ev("t", Some(json!(true)), &long),
        ]
        .into_iter()
        .chain(model.evidence.iter().cloned())
        .collect();
        out.push(f.clone());
        f.evidence.reverse();
        f.check = "unknown_check_\"x\"".parse().unwrap_or_else(|_| model.check.clone());
        out.push(f.clone());
        let mut g = f.clone();
        g.status = Status::Indeterminate;
        g.reason = Some(format!("the export does not say \"why\" {long}").into());
        g.message = Message::unknown(tricky.clone(), g.reason.clone());
        g.evidence = Default::default();
        out.push(g.clone());
        g.status = Status::Pass;
        g.message = Message::from(format!("text\t{long}"));
        g.resource = Arc::new(ResourceRef { source: SourceRef { line: Some(7), ..tricky.source.clone() }, ..(*tricky).clone() });
        g.controls = Arc::from(Vec::new());
        out.push(g);
        out
    }

    #[test]
    fn a_finding_is_what_serde_writes_for_it() {
        let mut shared = Shared::default();
        for f in hostile_findings() {
            // The serde path: the tail with its `{` in place of the `,`.
            let mut expected = Vec::new();
            FindingTail::new(&f).serialize(&mut serde_json::Serializer::with_formatter(&mut expected, OnePerLine::at(2, OnePerLine::PRETTY))).unwrap();
            expected[0] = b',';
            let mut ours = Vec::new();
            finding_tail(&mut ours, &f, None, &mut shared).unwrap();
            assert_eq!(String::from_utf8(ours).unwrap(), String::from_utf8(expected).unwrap());
            let mut ids = Vec::new();
            controls(&mut ids, &f.controls);
            assert_eq!(ids, serde_json::to_vec(&crate::report::json::ControlIds(&f.controls)).unwrap());
        }
    }

    #[test]
    fn a_decided_finding_is_what_serde_writes_for_it() {
        use crate::workspace::decided::Decided;
        use crate::workspace::{DecisionKind, FindingDecision};
        let mut shared = Shared::default();
        for mut f in hostile_findings() {
            f.status = Status::Fail;
            let d = FindingDecision {
                check: f.check.clone(),
                resource_id: f.resource.id.to_string(),
                kind: DecisionKind::Waived,
                reason: "a \"compensating\" control\n\u{1}".into(),
                expires: Some("2026-06-01".parse().unwrap()),
            };
            for today in [0, 30_000] {
                let decided = Decided::new(std::slice::from_ref(&d), today);
                let applied = decided.of(&f);
                assert!(applied.is_some());
                let mut expected = Vec::new();
                FindingTail::with(&f, applied).serialize(&mut serde_json::Serializer::with_formatter(&mut expected, OnePerLine::at(2, OnePerLine::PRETTY))).unwrap();
                expected[0] = b',';
                let mut ours = Vec::new();
                finding_tail(&mut ours, &f, applied, &mut shared).unwrap();
                let text = String::from_utf8(ours).unwrap();
                assert_eq!(text, String::from_utf8(expected).unwrap());
                assert!(text.contains(&format!("\"decision\":{{\"kind\":\"waived\",\"reason\":\"a \\\"compensating\\\" control\\n\\u0001\",\"expires\":\"2026-06-01\",\"in_force\":{}}}", today == 0)), "{text}");
            }
        }
    }

    #[test]
    fn the_passes_of_a_check_are_what_serde_writes_for_them() {
        let findings = hostile_findings();
        let f = findings.last().unwrap();
        let ids: Vec<&str> = findings.iter().map(|f| &*f.resource.id).collect();
        for n in [0, 1, ids.len()] {
            let mut ours = Vec::new();
            let mut buf = Vec::new();
            passed_check(&mut ours, &mut buf, f, "title \"quoted\"", 12345, ids.iter().copied().take(n)).unwrap();
            let expected = json!({"check": f.check.as_str(), "title": "title \"quoted\"", "controls": crate::report::json::ControlIds(&f.controls), "severity": f.severity.as_str(), "count": 12345, "resources": &ids[..n]});
            // serde_json's map sorts its keys: compare the values, then the order.
            assert_eq!(serde_json::from_slice::<serde_json::Value>(&ours).unwrap(), expected);
            let keys = ["\"check\":", "\"title\":", "\"controls\":", "\"severity\":", "\"count\":", "\"resources\":"];
            let text = String::from_utf8(ours).unwrap();
            let at: Vec<usize> = keys.iter().map(|k| text.find(k).unwrap()).collect();
            assert!(at.windows(2).all(|w| w[0] < w[1]), "{text}");
        }
    }
}
