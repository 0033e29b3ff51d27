//! Structured variant of `share_decode`: a valid link is made with
//! `share::encode` from the `ShareV1` of a small workspace (one real upload,
//! answers, a decision), its JSON is unpacked, and the input is read as edit
//! operations on that JSON (or on the compressed bytes) before it is packed
//! again and decoded, so the fuzzer works past base64 and deflate on content
//! `validate` must judge. Same invariants as `share_decode`.
//!
//! Input: byte 0 picks the base link (default options, everything, no
//! findings); then 4-byte operations `[op, pos_lo, pos_hi, val]`:
//! 0 overwrite, 1 insert, 2 delete, 3 truncate, 4 duplicate `val` bytes,
//! 5 flip bits of the compressed stream.
#![no_main]
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use flate2::write::DeflateEncoder;
use flate2::Compression;
use iso27017::checks::{Context, RuleSet};
use iso27017::ingest::Limits;
use iso27017::model::Status;
use iso27017::share::{self, ShareError, ShareOptions, ShareV1};
use iso27017::workspace::transfer;
use iso27017::workspace::*;
use libfuzzer_sys::fuzz_target;
use std::io::Write;
use std::sync::OnceLock;

const NOW: u64 = 1_780_000_000_000;
const PLAN: &[u8] = include_bytes!("../../fixtures/ingest/terraform/full_compute_firewall.tfplan.json");

fn bases() -> &'static [Vec<u8>; 3] {
    static BASES: OnceLock<[Vec<u8>; 3]> = OnceLock::new();
    BASES.get_or_init(|| {
        let mut ws = Workspaces::new();
        let id = ws.create("Fuzz", NOW).unwrap();
        let w = ws.get_mut(&id).unwrap();
        let cid = |s: &str| s.parse().unwrap();
        w.set_answer(&cid("9.1.2"), ControlAnswer { status: ManualStatus::Implemented, notes_md: "# ok\n\n- [x](https://e.x)".into(), ..ControlAnswer::default() }, NOW).unwrap();
        w.set_answer(
            &cid("11.2.7"),
            ControlAnswer { applicable: Applicability::Excluded { justification: "no hardware".into() }, ..ControlAnswer::default() },
            NOW,
        )
        .unwrap();
        let up = transfer::assess_file("plan.json", PLAN, &Limits::default(), RuleSet::bundled(), &Context::on(2026, 6, 1), &mut |_| {});
        let failing = up.record.findings.iter().find(|f| f.status == Status::Fail).cloned();
        w.upsert_upload(up.record, NOW).unwrap();
        if let Some(f) = failing {
            let d = FindingDecision { check: f.check.clone(), resource_id: f.resource.id.to_string(), kind: DecisionKind::Waived, reason: "r".into(), expires: Some("2027-01-01".parse().unwrap()) };
            w.decide(d, iso27017::checks::days_from_civil(2026, 6, 1), NOW).unwrap();
        }
        let w = ws.active().unwrap();
        let today = iso27017::checks::days_from_civil(2026, 6, 1);
        let json = |o: ShareOptions| {
            let link = share::encode(&ShareV1::from_workspace(w, today, &o)).unwrap();
            let packed = URL_SAFE_NO_PAD.decode(&link[share::PREFIX.len()..]).unwrap();
            share::codec::inflate_capped(&packed, share::MAX_DECOMPRESSED_BYTES).unwrap()
        };
        [
            json(ShareOptions::default()),
            json(ShareOptions::ALL),
            json(ShareOptions { include_findings: false, ..ShareOptions::ALL }),
        ]
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, ops)) = data.split_first() else { return };
    let mut json = bases()[usize::from(pick) % 3].clone();
    let mut flips = Vec::new();
    for op in ops.chunks_exact(4).take(64) {
        let pos = usize::from(u16::from_le_bytes([op[1], op[2]]));
        let val = op[3];
        let len = json.len();
        let at = pos % (len + 1);
        match op[0] % 6 {
            0 if at < len => json[at] = val,
            1 => json.insert(at, val),
            2 if at < len => {
                json.remove(at);
            }
            3 => json.truncate(at),
            4 => {
                let end = (at + usize::from(val)).min(len);
                let span = json[at..end].to_vec();
                json.splice(at..at, span);
            }
            5 => flips.push((pos, val)),
            _ => {}
        }
    }
    // Any level decodes the same; fast keeps executions up.
    let mut e = DeflateEncoder::new(Vec::new(), Compression::fast());
    e.write_all(&json).unwrap();
    let mut packed = e.finish().unwrap();
    for (pos, val) in flips {
        if !packed.is_empty() {
            let i = pos % packed.len();
            packed[i] ^= val;
        }
    }
    let link = format!("{}{}", share::PREFIX, URL_SAFE_NO_PAD.encode(&packed));
    if let Ok(s) = share::decode(&link) {
        s.validate().expect("decode returned an invalid payload");
        match share::encode(&s) {
            Ok(again) => assert_eq!(share::decode(&again).as_ref(), Ok(&s), "re-encoded link decodes differently"),
            Err(ShareError::LinkTooLong { .. }) => {}
            Err(e) => panic!("a decoded payload does not re-encode: {e}"),
        }
    }
});
