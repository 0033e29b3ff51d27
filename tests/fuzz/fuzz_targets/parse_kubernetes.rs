//! Whole ingest pipeline (decode → detect → parse) seeded with kubernetes inputs, then
//! evaluated by every check: must never panic, hang or grow without bound.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let limits = iso27017::ingest::Limits { max_input_bytes: 1 << 20, max_decompressed_bytes: 4 << 20, max_depth: 64, max_yaml_nodes: 200_000 };
    if let Ok(parsed) = iso27017::ingest::parse("fuzz", data, &limits) {
        let _ = iso27017::engine::assess(&parsed.inventory, iso27017::checks::RuleSet::bundled(), &iso27017::checks::Context::on(2026, 6, 1));
    }
});
