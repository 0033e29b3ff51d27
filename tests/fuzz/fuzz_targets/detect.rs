//! Decoding (gzip, BOM, UTF-16) and format detection on arbitrary bytes.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let limits = iso27017::ingest::Limits { max_input_bytes: 1 << 20, max_decompressed_bytes: 4 << 20, max_depth: 64, max_yaml_nodes: 200_000 };
    if let Ok(text) = iso27017::ingest::decode(data, &limits) {
        let _ = iso27017::ingest::detect(&text, &limits);
    }
});
