//! Browser storage and user-chosen import files: `workspace::load` and
//! `workspace::import` on arbitrary UTF-8 (corrupt, truncated, wrong version,
//! hostile sizes) must never panic; `load` never loses the text it cannot use
//! (Corrupt / NewerVersion carry `raw == input`); what it loads survives
//! `save → load` and, without trash, `export → import`.
//! Seeds: tests/fuzz/seeds/workspace_load/.
#![no_main]
use iso27017::workspace::{export, import, load, save, LoadOutcome};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match load(text) {
        LoadOutcome::Corrupt { raw, .. } | LoadOutcome::NewerVersion { raw, .. } => assert_eq!(raw, text, "raw text lost"),
        LoadOutcome::Loaded(x) => {
            assert_eq!(load(&save(&x)), LoadOutcome::Loaded(x.clone()), "save → load");
            if x.trash().is_none() {
                assert_eq!(import(&export(&x)).as_ref(), Ok(&x), "export → import");
            }
        }
        LoadOutcome::Empty | LoadOutcome::Migrated(..) => {}
    }
    let _ = import(text);
});
