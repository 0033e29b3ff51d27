//! Other scanners' findings files (Prowler OCSF and CSV, Security Hub ASFF,
//! Checkov JSON, SARIF) through the whole ingest pipeline (decode → detect →
//! read), then mapped, joined and rolled up with every check: must never
//! panic, hang or grow without bound; what is read points back into the input.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let limits = iso27017::ingest::Limits { max_input_bytes: 1 << 20, max_decompressed_bytes: 4 << 20, max_depth: 64, max_yaml_nodes: 200_000 };
    if let Ok(parsed) = iso27017::ingest::parse("fuzz", data, &limits) {
        for f in &parsed.imported {
            assert!(f.title.len() <= 4 * iso27017::ingest::scanners::MAX_TEXT + 4);
        }
        let _ = iso27017::engine::assess_with_imports(
            &parsed.inventory,
            parsed.imported,
            iso27017::checks::RuleSet::bundled(),
            &iso27017::checks::Context::on(2026, 6, 1),
            None,
        );
    }
});
