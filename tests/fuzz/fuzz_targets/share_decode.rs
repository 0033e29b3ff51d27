//! Share links are attacker-controlled URL fragments: `share::decode` on
//! arbitrary UTF-8 (tampered, truncated, oversized, deflate bombs) must never
//! panic, and whatever it accepts must be valid and re-encode to a link that
//! decodes to the same report. Seeds: tests/fuzz/seeds/share_decode/.
#![no_main]
use iso27017::share::{self, ShareError};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(link) = std::str::from_utf8(data) else { return };
    if let Ok(s) = share::decode(link) {
        s.validate().expect("decode returned an invalid payload");
        match share::encode(&s) {
            Ok(again) => assert_eq!(share::decode(&again).as_ref(), Ok(&s), "re-encoded link decodes differently"),
            // A hand-packed link may compress better than ours.
            Err(ShareError::LinkTooLong { .. }) => {}
            Err(e) => panic!("a decoded payload does not re-encode: {e}"),
        }
    }
});
