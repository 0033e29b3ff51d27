//! Helpers shared by the ingest test suites.
#![allow(dead_code)]

use iso27017::ingest::{parse, Limits, Parsed};
use iso27017::inventory::{Prop, Resource};
use serde_json::Value;

/// Parse `tests/fixtures/ingest/<dir>/<name>`.
pub fn load(dir: &str, name: &str) -> Parsed {
    let path = format!("{}/tests/fixtures/ingest/{dir}/{name}", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    parse(name, &bytes, &Limits::default()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Parse an inline document.
pub fn from_str(name: &str, text: &str) -> Parsed {
    parse(name, text.as_bytes(), &Limits::default()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The resource whose id or name is `key`.
pub fn res<'a>(p: &'a Parsed, key: &str) -> &'a Resource {
    p.inventory
        .resources
        .iter()
        .find(|r| r.id == key || r.name == key)
        .unwrap_or_else(|| panic!("no resource {key} in {:?}", p.inventory.resources.iter().map(|r| &r.id).collect::<Vec<_>>()))
}

/// The known value of a property (panics when absent or unknown).
pub fn val(p: &Parsed, key: &str, prop: &str) -> Value {
    let r = res(p, key);
    match r.prop(prop) {
        Some(Prop::Known { value, .. }) => (**value).clone(),
        other => panic!("{key}.{prop} is {other:?}; props: {:?}", r.props.keys().collect::<Vec<_>>()),
    }
}

/// A policy judgement (`checks::policy`) on a property, as the rule ops make
/// it: `Some(true)` holds, `Some(false)` does not, `None` cannot tell.
pub fn judge(p: &Parsed, key: &str, prop: &str, j: iso27017::checks::policy::Judgement) -> Option<bool> {
    iso27017::checks::policy::holds(res(p, key).prop(prop), j)
}

/// The evidence pointer of a judgement that holds (panics otherwise).
pub fn judged_at(p: &Parsed, key: &str, prop: &str, j: iso27017::checks::policy::Judgement) -> String {
    use iso27017::checks::policy::{judge_prop, Verdict};
    match res(p, key).prop(prop).map(|x| judge_prop(x, j)) {
        Some(Verdict::Holds(Some(at))) => at,
        other => panic!("{key}.{prop}: {j:?} gives {other:?}"),
    }
}

/// Why a judgement cannot tell (panics when it can).
pub fn judge_doubt(p: &Parsed, key: &str, prop: &str, j: iso27017::checks::policy::Judgement) -> String {
    use iso27017::checks::policy::{judge_prop, Verdict};
    match res(p, key).prop(prop).map(|x| judge_prop(x, j)) {
        Some(Verdict::Unknown(why)) => why,
        other => panic!("{key}.{prop}: {j:?} gives {other:?}"),
    }
}
pub mod consistency;
