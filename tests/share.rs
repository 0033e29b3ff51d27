//! The share-link contract from outside: a realistic assessment round-trips
//! under the size limit, the options really leave things out (checked on the
//! JSON inside the link), and hostile links (empty, foreign, newer, damaged,
//! truncated, bombs, unknown controls, huge strings, deep nesting) are refused
//! with the right error and never panic.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use flate2::write::DeflateEncoder;
use flate2::Compression;
use iso27017::checks::{days_from_civil, Evidence, Finding, ResourceRef, RuleSet};
use iso27017::inventory::{Provider, SourceRef};
use iso27017::model::{ControlId, Responsibility, Role, ServiceModel, Status};
use iso27017::share::codec::inflate_capped;
use iso27017::share::*;
use iso27017::workspace::*;
use iso27017::Catalog;
use std::io::Write;
use std::sync::Arc;

const NOW: u64 = 1_780_000_000_000;

fn today() -> i64 {
    days_from_civil(2026, 6, 1)
}

fn deflate(bytes: &[u8]) -> Vec<u8> {
    let mut e = DeflateEncoder::new(Vec::new(), Compression::best());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

/// A link payload for arbitrary JSON text, as a forger would make it.
fn pack(json: &str) -> String {
    format!("v1.{}", URL_SAFE_NO_PAD.encode(deflate(json.as_bytes())))
}

/// The JSON inside a link made by `encode`.
fn unpack(link: &str) -> String {
    let body = link.strip_prefix("v1.").unwrap();
    let bytes = inflate_capped(&URL_SAFE_NO_PAD.decode(body).unwrap(), MAX_DECOMPRESSED_BYTES).unwrap();
    String::from_utf8(bytes).unwrap()
}

/// Deterministic pseudo-random numbers (no dependency, no clock).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
    fn word(&mut self, n: usize) -> String {
        (0..n).map(|_| char::from(b"abcdefghijklmnopqrstuvwxyz0123456789"[(self.next() % 36) as usize])).collect()
    }
}

fn finding(rule: &iso27017::checks::Rule, provider: Provider, id: &str, name: &str, status: Status) -> Finding {
    let template = if status == Status::Fail { &rule.message_fail } else { &rule.message_pass };
    Finding {
        check: rule.id.clone(),
        controls: Arc::from(rule.controls.as_slice()),
        status,
        severity: rule.severity,
        resource: Arc::new(ResourceRef {
            provider,
            kind: rule.kinds.first().cloned().unwrap_or_default().into(),
            native_type: "native_type".into(),
            id: id.into(),
            name: name.into(),
            account: None,
            source: SourceRef { file: "export.json".into(), pointer: "/resources/0".into(), line: Some(12) },
        }),
        message: template.replace("{resource}", &format!("{name} ({id})")).into(),
        reason: None,
        evidence: [Evidence::new("encryption_at_rest", "is true", "/resources/0/properties/encryption".into(), Some(serde_json::json!(false).into()))]
            .into_iter()
            .collect(),
        origin: None,
    }
}

const NOTE_MARKER: &str = "NOTE-MARKER";
const RESOURCE_MARKER: &str = "acmeprod";

/// 121 controls with answers, 200 failing findings (some waived, accepted or
/// expired) and 100 passing ones over three uploads.
fn realistic() -> Workspace {
    let mut wss = Workspaces::new();
    let id = wss.create("Production 2026", NOW).unwrap();
    let w = wss.get_mut(&id).unwrap();
    w.set_scope(
        Scope {
            organisation: "Acme Cloud Services GmbH".into(),
            roles: vec![Role::Csc],
            service_models: vec![ServiceModel::Iaas, ServiceModel::Paas],
            providers: vec![Provider::Aws, Provider::Azure, Provider::Gcp],
        },
        NOW,
    )
    .unwrap();
    let statuses = [
        ManualStatus::Implemented,
        ManualStatus::Implemented,
        ManualStatus::PartiallyImplemented,
        ManualStatus::NotImplemented,
        ManualStatus::Implemented,
        ManualStatus::NotAssessed,
    ];
    for (i, c) in Catalog::bundled().controls().iter().enumerate() {
        let excluded = i % 17 == 5;
        let answer = ControlAnswer {
            applicable: if excluded {
                Applicability::Excluded { justification: format!("No {} in scope: the service runs on managed platforms only.", c.id) }
            } else {
                Applicability::Applicable
            },
            status: if excluded { ManualStatus::NotApplicable } else { statuses[i % statuses.len()] },
            responsible: (i % 7 == 0).then_some(Responsibility::Shared),
            owner: "Security team".into(),
            target_date: Some("2026-12-31".parse().unwrap()),
            notes_md: format!(
                "{NOTE_MARKER} {}: evidence in policy **DOC-{:03}**, reviewed {} by the ISMS team; see ticket SEC-{}.",
                c.id,
                i,
                if i % 2 == 0 { "quarterly" } else { "yearly" },
                1000 + i * 7
            ),
        };
        w.set_answer(&c.id, answer, NOW).unwrap();
    }
    let rules = RuleSet::bundled().rules();
    assert!(rules.len() >= 20, "bundled rules: {}", rules.len());
    let mut rng = Lcg(7);
    let mut uploads: Vec<Vec<Finding>> = vec![Vec::new(), Vec::new(), Vec::new()];
    let mut failing = Vec::new();
    for n in 0..300 {
        let rule = &rules[(n * 7) % rules.len()];
        let provider = rule.providers.first().copied().unwrap_or(Provider::Aws);
        let name = format!("{RESOURCE_MARKER}-{}-{:03}", rng.word(5), n);
        let id = match provider {
            Provider::Aws => format!("arn:aws:s3:::{name}"),
            Provider::Azure => format!("/subscriptions/0f3c/resourceGroups/rg-prod/providers/Microsoft.Storage/storageAccounts/{name}"),
            Provider::Gcp => format!("//storage.googleapis.com/projects/acme-prod/buckets/{name}"),
            Provider::Kubernetes | Provider::Other => format!("prod/Deployment/{name}"),
        };
        let status = if n < 200 { Status::Fail } else { Status::Pass };
        let f = finding(rule, provider, &id, &name, status);
        if status == Status::Fail {
            failing.push(f.clone());
        }
        uploads[n % 3].push(f);
    }
    for (i, fs) in uploads.into_iter().enumerate() {
        w.upsert_upload(UploadRecord::new(format!("export-{i}.json"), format!("{i}").as_bytes(), None, 100, 0, fs), NOW).unwrap();
    }
    for (i, f) in failing.iter().enumerate().filter(|(i, _)| i % 8 == 3) {
        w.decide(
            FindingDecision {
                check: f.check.clone(),
                resource_id: f.resource.id.to_string(),
                kind: if i % 16 == 3 { DecisionKind::Waived } else { DecisionKind::RiskAccepted },
                reason: "Compensating control: private network only.".into(),
                expires: Some(if i % 48 == 3 { "2026-01-01" } else { "2027-01-01" }.parse().unwrap()),
            },
            // Decided before the earliest expiry, which has passed by `today()`.
            days_from_civil(2025, 12, 1),
            NOW,
        )
        .unwrap();
    }
    wss.get(&id).unwrap().clone()
}

#[test]
fn realistic_assessment_round_trips_under_the_limit() {
    let ws = realistic();
    let share = ShareV1::from_workspace(&ws, today(), &ShareOptions::ALL);
    assert_eq!(share.controls.len(), 121);
    assert_eq!(share.findings.len(), 200);
    assert_eq!(share.finding_count, 200);
    assert!(share.findings.iter().any(|f| f.decision == Some(DecisionKind::Waived)));
    assert!(share.findings.iter().any(|f| f.decision == Some(DecisionKind::RiskAccepted)));
    let link = encode(&share).unwrap();
    assert!(link.len() <= MAX_FRAGMENT_LEN);
    assert!(link.starts_with("v1.") && link[3..].bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
    assert_eq!(decode(&link).unwrap(), share);

    // The summary numbers equal the workspace's own roll-up.
    let rolled = ws.roll_up_all(today());
    for (o, n) in share.outcome_counts() {
        assert_eq!(n, rolled.iter().filter(|(_, r)| r.outcome == o).count(), "{o:?}");
    }

    let json = unpack(&link);
    let json_len = json.len();
    if let Some(i) = json.find("\"f\":[") {
        println!("sample: {}", &json[i..(i + 400).min(json.len())]);
    }
    let sizes: Vec<(&str, ShareOptions)> = vec![
        ("everything", ShareOptions::ALL),
        ("default (findings, no notes, no resource ids)", ShareOptions::default()),
        ("notes + findings, no resource ids", ShareOptions { include_resource_ids: false, ..ShareOptions::ALL }),
        ("controls only", ShareOptions { include_notes: false, include_resource_ids: false, include_findings: false }),
    ];
    println!("realistic workspace (121 controls, 200 failing findings): JSON {json_len} bytes");
    for (label, opts) in sizes {
        let s = ShareV1::from_workspace(&ws, today(), &opts);
        let l = encode(&s).unwrap();
        assert_eq!(decode(&l).unwrap(), s);
        println!("  {label}: link payload {} characters", l.len());
    }
    let fitted = encode_fitting(&share, TARGET_FRAGMENT_LEN).unwrap();
    println!(
        "  everything fitted to {TARGET_FRAGMENT_LEN}: {} characters, {} findings kept, {} left out",
        fitted.link.len(),
        fitted.findings_kept,
        fitted.findings_dropped
    );
}

#[test]
fn encode_fitting_keeps_every_control_and_drops_the_least_severe_findings() {
    let ws = realistic();
    let share = ShareV1::from_workspace(&ws, today(), &ShareOptions::ALL);
    let fitted = encode_fitting(&share, TARGET_FRAGMENT_LEN).unwrap();
    assert!(fitted.link.len() <= TARGET_FRAGMENT_LEN);
    assert_eq!(fitted.findings_kept + fitted.findings_dropped, 200);
    let back = decode(&fitted.link).unwrap();
    assert_eq!(back.controls, share.controls, "every control result is kept");
    assert_eq!(back.finding_count, 200, "the count still says how many there were");
    assert_eq!(back.findings[..], share.findings[..fitted.findings_kept], "a prefix of the worst-first list");
    // Already fitting: nothing dropped.
    let all = encode_fitting(&share, MAX_FRAGMENT_LEN).unwrap();
    assert_eq!((all.findings_kept, all.findings_dropped), (200, 0));
    assert_eq!(all.link, encode(&share).unwrap());
    // Findings are worst first: no failing finding after a decided one, severity descending within each.
    let fs = &share.findings;
    assert!(fs.windows(2).all(|w| (w[0].decision.is_some(), std::cmp::Reverse(w[0].severity))
        <= (w[1].decision.is_some(), std::cmp::Reverse(w[1].severity))));
}

#[test]
fn options_leave_out_notes_resource_ids_and_findings() {
    let ws = realistic();
    let full = unpack(&encode(&ShareV1::from_workspace(&ws, today(), &ShareOptions::ALL)).unwrap());
    assert!(full.contains(NOTE_MARKER) && full.contains(RESOURCE_MARKER) && full.contains("\"f\":["));

    let no_notes = unpack(&encode(&ShareV1::from_workspace(&ws, today(), &ShareOptions { include_notes: false, ..ShareOptions::ALL })).unwrap());
    assert!(!no_notes.contains(NOTE_MARKER) && !no_notes.contains("\"n\":\""), "notes left out");
    assert!(no_notes.contains("\"i\":{\"n\":false"));

    let no_ids = unpack(&encode(&ShareV1::from_workspace(&ws, today(), &ShareOptions { include_resource_ids: false, ..ShareOptions::ALL })).unwrap());
    assert!(!no_ids.contains(RESOURCE_MARKER), "neither ids nor names, not even inside messages");
    assert!(!no_ids.contains("arn:aws") && !no_ids.contains("/subscriptions/"));
    assert!(no_ids.contains(REDACTED_RESOURCE));
    assert!(no_ids.contains("\"f\":["), "findings are still there");

    let no_findings = unpack(&encode(&ShareV1::from_workspace(&ws, today(), &ShareOptions { include_findings: false, ..ShareOptions::ALL })).unwrap());
    assert!(!no_findings.contains("\"f\":[") && !no_findings.contains("\"k\":"), "no finding summaries");
    assert!(no_findings.contains("\"f\":false"), "and the link says so");
    assert!(no_findings.contains("\"fc\":200"), "but their number");

    // Never shared, whatever the options: name, owners, target dates, reasons, file names, digests, evidence.
    for json in [&full, &no_notes, &no_ids, &no_findings] {
        for secret in ["Production 2026", "Security team", "2026-12-31", "Compensating control", "export-0.json", "encryption_at_rest", "/resources/0", "ws-"] {
            assert!(!json.contains(secret), "{secret} leaked");
        }
    }
}

fn valid_json(controls: &str) -> String {
    format!(r#"{{"d":"2026-06-01","i":{{"n":true,"r":true,"f":true}},"s":{{"o":"Acme"}},"c":{controls},"fc":0}}"#)
}

#[test]
fn a_forged_but_consistent_payload_is_accepted() {
    let share = decode(&pack(&valid_json(r#"[{"i":"9.1.2","o":"met","s":"implemented","a":[3,0,0,1]}]"#))).unwrap();
    assert_eq!(share.controls.len(), 1);
    assert_eq!(share.assessed().unwrap().to_string(), "2026-06-01");
}

fn refused(link: &str) -> ShareError {
    match decode(link) {
        Ok(s) => panic!("accepted a hostile link: {s:?}"),
        Err(e) => {
            let msg = e.to_string();
            assert!(!msg.is_empty() && msg.len() < 600, "{msg}");
            e
        }
    }
}

#[test]
fn hostile_prefixes_and_encodings_are_refused() {
    assert_eq!(refused(""), ShareError::Empty);
    assert_eq!(refused("v1."), ShareError::Empty);
    assert_eq!(refused("hello"), ShareError::NotAShareLink);
    assert_eq!(refused("/controls?q=x"), ShareError::NotAShareLink);
    assert_eq!(refused("V1.abc"), ShareError::NotAShareLink);
    assert_eq!(refused("v9.abcdef"), ShareError::UnsupportedVersion { version: "9".into() });
    assert_eq!(refused("v0.abcdef"), ShareError::UnsupportedVersion { version: "0".into() });
    assert!(matches!(refused("v1.ab$cd"), ShareError::Base64 { .. }));
    assert!(matches!(refused("v1.abc=="), ShareError::Base64 { .. }), "padding is not part of the format");
    assert!(matches!(refused("v1.abc+/"), ShareError::Base64 { .. }), "standard alphabet is not url-safe");
    assert!(matches!(refused("v1.é€😀"), ShareError::Base64 { .. }));
    assert!(matches!(refused("v1.a"), ShareError::Base64 { .. }), "a length no base64 has");
    // Valid base64 of garbage.
    assert!(matches!(refused(&format!("v1.{}", URL_SAFE_NO_PAD.encode(b"\xff\xfe garbage \x00\x01 not deflate"))), ShareError::Decompress { .. }));
    // Valid deflate of garbage.
    assert!(matches!(refused(&format!("v1.{}", URL_SAFE_NO_PAD.encode(deflate(b"\xff\x00binary")))), ShareError::Json { .. }));
    assert!(matches!(refused(&pack("not json at all")), ShareError::Json { .. }));
    assert!(matches!(refused(&pack("[]")), ShareError::Json { .. }));
    assert!(matches!(refused(&pack("{}")), ShareError::Json { .. }));
}

#[test]
fn truncated_and_altered_links_never_panic() {
    let ws = realistic();
    let link = encode(&ShareV1::from_workspace(&ws, today(), &ShareOptions::ALL)).unwrap();
    // Every truncation (sampled) is refused.
    let step = (link.len() / 300).max(1);
    for end in (0..link.len()).step_by(step) {
        let e = refused(&link[..end]);
        assert!(!matches!(e, ShareError::Internal(_)), "{e}");
    }
    // Changing one character anywhere never panics (it is almost always refused).
    let alphabet = b"AZaz09-_";
    let bytes = link.as_bytes();
    for i in (3..bytes.len()).step_by(step) {
        for &c in alphabet {
            if bytes[i] == c {
                continue;
            }
            let mut b = bytes.to_vec();
            b[i] = c;
            let s = String::from_utf8(b).unwrap();
            let _ = decode(&s);
        }
    }
    // Trailing data after the compressed stream is refused.
    let mut packed = URL_SAFE_NO_PAD.decode(&link[3..]).unwrap();
    packed.extend_from_slice(b"more");
    assert!(matches!(refused(&format!("v1.{}", URL_SAFE_NO_PAD.encode(&packed))), ShareError::Decompress { .. }));
}

#[test]
fn deflate_bombs_are_refused_by_size() {
    // 50 MiB of zeros: either the link is already too long to read, or inflating stops at the cap.
    let bomb = deflate(&vec![0u8; 50 * 1024 * 1024]);
    let link = format!("v1.{}", URL_SAFE_NO_PAD.encode(&bomb));
    let e = refused(&link);
    assert!(
        matches!(e, ShareError::FragmentTooLong { .. } | ShareError::DecompressedTooLarge { .. }),
        "size error expected, got {e:?}"
    );
    // With no length limit, the inflation cap itself stops it.
    let unlimited = Limits { max_fragment_len: usize::MAX, ..Limits::default() };
    assert_eq!(decode_with(&link, &unlimited), Err(ShareError::DecompressedTooLarge { max: MAX_DECOMPRESSED_BYTES }));
    // 30 MiB fits in a link of normal length and is stopped by the cap.
    let small_bomb = format!("v1.{}", URL_SAFE_NO_PAD.encode(deflate(&vec![0u8; 30 * 1024 * 1024])));
    assert!(small_bomb.len() <= MAX_FRAGMENT_LEN, "{}", small_bomb.len());
    assert_eq!(refused(&small_bomb), ShareError::DecompressedTooLarge { max: MAX_DECOMPRESSED_BYTES });
    // A JSON document just over the cap, made of one long string.
    let big = format!(r#"{{"d":"{}"}}"#, "x".repeat(MAX_DECOMPRESSED_BYTES));
    assert_eq!(refused(&pack(&big)), ShareError::DecompressedTooLarge { max: MAX_DECOMPRESSED_BYTES });
    // Too long a link is refused before anything else.
    assert!(matches!(refused(&"v1.".repeat(MAX_FRAGMENT_LEN)), ShareError::FragmentTooLong { .. }));
}

#[test]
fn invalid_content_is_refused() {
    let unknown: ControlId = "99.9.9".parse().unwrap();
    assert_eq!(refused(&pack(&valid_json(r#"[{"i":"99.9.9","o":"not_assessed"}]"#))), ShareError::UnknownControl(unknown.clone()));
    assert!(matches!(refused(&pack(&valid_json(r#"[{"i":"not a control","o":"not_assessed"}]"#))), ShareError::Json { .. }));
    assert!(matches!(
        refused(&pack(&valid_json(r#"[{"i":"9.1.2","o":"not_assessed"},{"i":"9.1.2","o":"not_assessed"}]"#))),
        ShareError::DuplicateControl(_)
    ));
    assert!(matches!(refused(&pack(&valid_json(r#"[{"i":"9.1.2","o":"brilliant"}]"#))), ShareError::Json { .. }));
    assert!(matches!(refused(&pack(&valid_json(r#"[{"i":"9.1.2","o":"met"}]"#))), ShareError::Invalid(_)), "met without implemented");
    assert!(matches!(refused(&pack(&valid_json(r#"[{"i":"9.1.2","o":"not_assessed","z":1}]"#))), ShareError::Json { .. }), "unknown field");
    let with_finding = |controls: &str| {
        format!(
            r#"{{"d":"2026-06-01","i":{{"n":false,"r":false,"f":true}},"c":[],"fc":1,"f":[{{"k":"aws_s3_bucket_versioning","c":{controls},"v":"high","m":"x"}}]}}"#
        )
    };
    assert_eq!(refused(&pack(&with_finding(r#"["99.9.9"]"#))), ShareError::UnknownControl(unknown));
    assert!(matches!(refused(&pack(&with_finding("[]"))), ShareError::Invalid(_)));
    for bad_date in ["2026-02-30", "2026-6-1", "yesterday", "", "9999999999-01-01"] {
        let json = valid_json("[]").replace("2026-06-01", bad_date);
        assert!(matches!(refused(&pack(&json)), ShareError::InvalidDate { .. }), "{bad_date}");
    }
    // Content the sender did not include cannot be smuggled in.
    let notes = r#"{"d":"2026-06-01","i":{"n":false,"r":false,"f":false},"c":[{"i":"9.1.2","o":"not_assessed","n":"hi"}]}"#;
    assert!(matches!(refused(&pack(notes)), ShareError::Invalid(_)));
    let ids = r#"{"d":"2026-06-01","i":{"n":false,"r":false,"f":true},"c":[],"fc":1,"f":[{"k":"abc","c":["9.1.2"],"v":"low","m":"x","r":"arn"}]}"#;
    assert!(matches!(refused(&pack(ids)), ShareError::Invalid(_)));
    let findings = r#"{"d":"2026-06-01","i":{"n":false,"r":false,"f":false},"c":[],"fc":1,"f":[{"k":"abc","c":["9.1.2"],"v":"low","m":"x"}]}"#;
    assert!(matches!(refused(&pack(findings)), ShareError::Invalid(_)));
    // Script in a text field is just text: accepted as data (the UI renders it as text / via render_safe).
    let script = valid_json(r#"[{"i":"9.1.2","o":"not_assessed","n":"<script>alert(1)</script>","x":"<img src=x onerror=alert(1)>"}]"#)
        .replace(r#""o":"not_assessed""#, r#""o":"not_applicable""#);
    let s = decode(&pack(&script)).unwrap();
    assert_eq!(s.controls[0].notes_md, "<script>alert(1)</script>");
}

#[test]
fn extremely_long_strings_are_refused() {
    let notes = "n".repeat(1_000_000);
    let e = refused(&pack(&valid_json(&format!(r#"[{{"i":"9.1.2","o":"not_assessed","n":"{notes}"}}]"#))));
    assert!(matches!(e, ShareError::TextTooLong { bytes: 1_000_000, .. }), "{e:?}");
    let org = valid_json("[]").replace(r#""o":"Acme""#, &format!(r#""o":"{}""#, "o".repeat(20_000)));
    assert!(matches!(refused(&pack(&org)), ShareError::TextTooLong { .. }));
    let just = valid_json(&format!(r#"[{{"i":"9.1.2","o":"not_applicable","x":"{}"}}]"#, "j".repeat(10_001)));
    assert!(matches!(refused(&pack(&just)), ShareError::TextTooLong { .. }));
    let id = valid_json(&format!(r#"[{{"i":"{}","o":"not_assessed"}}]"#, "9".repeat(500_000)));
    assert!(matches!(refused(&pack(&id)), ShareError::Json { .. }));
}

#[test]
fn deeply_nested_json_is_refused() {
    for depth in [200usize, 100_000] {
        let nested = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        assert!(matches!(refused(&pack(&nested)), ShareError::Json { .. }));
        let inside = valid_json(&format!("{}{}", "[".repeat(depth), "]".repeat(depth)));
        assert!(matches!(refused(&pack(&inside)), ShareError::Json { .. }));
        let objects = format!("{}1{}", r#"{"d":"#.repeat(depth), "}".repeat(depth));
        assert!(matches!(refused(&pack(&objects)), ShareError::Json { .. }));
    }
}

#[test]
fn encode_refuses_links_that_would_be_too_long() {
    let mut wss = Workspaces::new();
    let id = wss.create("Big notes", NOW).unwrap();
    let w = wss.get_mut(&id).unwrap();
    let mut rng = Lcg(42);
    for c in Catalog::bundled().controls() {
        let notes_md = (0..400).map(|_| rng.word(6)).collect::<Vec<_>>().join(" ");
        w.set_answer(&c.id, ControlAnswer { notes_md, ..Default::default() }, NOW).unwrap();
    }
    let share = ShareV1::from_workspace(w, today(), &ShareOptions::ALL);
    match encode(&share) {
        Err(e @ ShareError::LinkTooLong { len, max }) => {
            assert!(len > max && max == MAX_FRAGMENT_LEN);
            assert!(e.to_string().contains("leave out the notes"), "{e}");
        }
        other => panic!("expected LinkTooLong, got {other:?}"),
    }
    assert!(matches!(encode_fitting(&share, TARGET_FRAGMENT_LEN), Err(ShareError::LinkTooLong { .. })), "findings cannot make notes fit");
    let without = ShareV1::from_workspace(w, today(), &ShareOptions::default());
    assert_eq!(decode(&encode(&without).unwrap()).unwrap(), without);

    // Highly compressible notes that would inflate past the decoder's cap are refused too.
    let mut wss = Workspaces::new();
    let id = wss.create("Repetitive", NOW).unwrap();
    let w = wss.get_mut(&id).unwrap();
    for c in Catalog::bundled().controls() {
        w.set_answer(&c.id, ControlAnswer { notes_md: "a".repeat(MAX_NOTES), ..Default::default() }, NOW).unwrap();
    }
    let share = ShareV1::from_workspace(w, today(), &ShareOptions::ALL);
    assert!(matches!(encode(&share), Err(ShareError::LinkTooLong { .. })));
}

const MAX_NOTES: usize = iso27017::workspace::model::MAX_NOTES_BYTES;

#[test]
fn encode_validates_hand_built_payloads() {
    let mut wss = Workspaces::new();
    wss.create("A", NOW).unwrap();
    let mut share = ShareV1::from_workspace(wss.active().unwrap(), today(), &ShareOptions::default());
    share.controls[0].notes_md = "not chosen".into();
    assert!(matches!(encode(&share), Err(ShareError::Invalid(_))));
}
