//! Messages from the Web Worker (defence in depth): `transfer::from_json`
//! and `transfer::fragment_reply` on arbitrary UTF-8 must never panic, and an
//! accepted outcome survives `to_json → from_json`.
//! Seeds: tests/fuzz/seeds/transfer_from_json/ (`to_json_parts` of fixtures).
#![no_main]
use iso27017::workspace::transfer;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(o) = transfer::from_json(text) {
        assert_eq!(transfer::from_json(&transfer::to_json(&o)).as_ref(), Ok(&o), "to_json → from_json");
    }
    let _ = transfer::fragment_reply(text);
});
