//! Messages between the page and its Web Worker (defence in depth):
//! `transfer::from_json` and the protocol's `Reply::from_head` /
//! `Request::from_head` on arbitrary UTF-8 must never panic, and what they
//! accept survives a round trip.
//! Seeds: tests/fuzz/seeds/transfer_from_json/ (`to_json_parts` of fixtures).
#![no_main]
use iso27017::protocol::{Reply, Request};
use iso27017::workspace::transfer;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(o) = transfer::from_json(text) {
        assert_eq!(transfer::from_json(&transfer::to_json(&o)).as_ref(), Ok(&o), "to_json → from_json");
    }
    if let Ok(r) = Reply::from_head(text) {
        assert_eq!(Reply::from_head(&r.to_head()).as_ref(), Ok(&r), "to_head → from_head");
    }
    let _ = Request::from_head(text);
});
