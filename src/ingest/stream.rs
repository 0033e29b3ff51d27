//! Streaming fast path for the two big formats: Terraform plans and AWS
//! Config snapshots (`{"configurationItems": [...]}`).
//!
//! The top-level object is read key by key with serde (never as one
//! `serde_json::Value`), in one pass: a plan's `configuration` is kept as a
//! value, its `resource_changes` list as the borrowed slices of text its
//! elements are (`RawValue`: syntax-checked, nothing allocated but the list of
//! slices), and everything else (`planned_values`, `prior_state`…) is
//! syntax-checked and skipped. The elements are then read one at a time,
//! mapping each as it arrives (`terraform::PlanPart`), so no two elements'
//! values are held at once; a large plan's elements are mapped in contiguous
//! runs on several threads natively and the runs appended in order, so the
//! result is that of one run. A snapshot's items are parsed and mapped one at
//! a time in the same single pass.
//!
//! **Invariant:** for every document the general path (`detect` + parser)
//! reads, the same result; otherwise `None` so the caller runs the general
//! path, which produces the diagnostics and error messages. Syntax errors,
//! an unusual shape (duplicate `configurationItems`, a wrapper, a plan
//! without a `resource_changes` list) or an ambiguous key set all fall back.
//! One deliberate difference: a value this path skips without reading is
//! checked for syntax only, as serde's `IgnoredAny` does, not for the number
//! range or nesting depth that `Value` parsing enforces. A plan whose
//! `planned_values` holds `1e999` is assessed here, where the general path
//! would refuse the whole file over a value nothing reads. Skipping is
//! iterative, so depth cannot exhaust the stack; everything that is read
//! (`configuration`, the kept parts of each change or item) is still parsed
//! with the depth limit (for a plan's changes, and a large snapshot's items,
//! counted from the change or item: two levels more than in the whole
//! document, which only one nested about 128 levels deep can tell).

use super::aws_config::{self, Item};
use super::json::{Json, Keeping, KnownKey, Obj, Scratch, Whole};
use super::util::{split_evenly, worker_threads};
use super::{terraform, Format, Parsed};
use crate::inventory::Diagnostic;
use serde::de::{DeserializeSeed, Deserializer, Error as _, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;
use serde_json::Value;
use std::borrow::Cow;
use std::fmt;

/// Try the fast path; `None` means "use the general path".
pub(super) fn parse(file: &str, text: &str) -> Option<Parsed> {
    parse_in(file, text, None)
}

/// [`parse`], a plan's changes or a snapshot's items mapped in `runs` runs
/// (default: one per worker thread, see `util::worker_threads`).
fn parse_in(file: &str, text: &str, runs: Option<usize>) -> Option<Parsed> {
    let t = text.trim_start_matches('\u{feff}').trim_start();
    if !t.starts_with('{') {
        return None;
    }
    // Only a plan (`resource_changes`) or a snapshot (`configurationItems`) can
    // take this path. A substring search is far cheaper than the streaming
    // pass, so other JSON objects (Azure, ARM, IAM, state files…) are not
    // read twice. An escaped key spelling merely takes the general path.
    if !t.contains("\"resource_changes\"") && !t.contains("\"configurationItems\"") {
        return None;
    }
    let mut de = serde_json::Deserializer::from_str(t);
    // A snapshot's items are mapped as they are read, unless there are
    // threads to map them on: then their texts are kept and mapped in runs
    // (an item is about 1 KB, so the text's length tells whether there will be).
    let item_texts = runs.map_or_else(|| worker_threads(t.len() / 1024) > 1, |r| r > 1);
    let top = de.deserialize_map(Top { file, item_texts }).ok()?;
    de.end().ok()?;
    let has = |k: &str| top.keys.iter().any(|x| x == k);
    if has("status_code") {
        return None;
    }
    if has("format_version") && (has("planned_values") || has("resource_changes")) {
        // Terraform plan: the parser reads `planned_values` only when
        // `resource_changes` is not a list; that case takes the general path.
        // Of duplicate keys the last counts, as in `Value` parsing.
        let changes = top.changes?;
        let config = terraform::PlanConfig::new(top.configuration.as_ref());
        let runs = runs.unwrap_or_else(|| worker_threads(changes.len()));
        let (inventory, diagnostics) = map_changes(file, &config, &changes, runs)?.finish();
        return Some(Parsed { format: Format::TerraformPlan, inventory, diagnostics, imported: Vec::new() });
    }
    if has("format_version") || has("lineage") || has("baseConfigurationItems") || top.items_seen != 1 {
        return None;
    }
    let (acc, diags) = match top.item_texts {
        Some(texts) => map_items(file, &texts, runs.unwrap_or_else(|| worker_threads(texts.len())))?,
        None => top.items?,
    };
    let (inventory, diagnostics) = acc.finish(file, diags);
    Some(Parsed { format: Format::AwsConfig, inventory, diagnostics, imported: Vec::new() })
}

struct Top<'f> {
    file: &'f str,
    /// Keep the snapshot items' texts to map them in runs afterwards (a large
    /// snapshot, natively), instead of mapping each as it is read.
    item_texts: bool,
}

#[derive(Default)]
struct TopOut<'de> {
    keys: Vec<String>,
    /// The text of each element of the last `resource_changes` list (of
    /// duplicate keys the last counts, as in `Value` parsing). A value that is
    /// not a list fails the pass: the general path reads such a plan.
    changes: Option<Vec<&'de RawValue>>,
    configuration: Option<Value>,
    /// How many `configurationItems` keys were read (a duplicate falls back).
    items_seen: usize,
    items: Option<(aws_config::Acc, Vec<Diagnostic>)>,
    /// The items' texts, when kept (see `Top::item_texts`).
    item_texts: Option<Vec<&'de RawValue>>,
}

impl<'de> Visitor<'de> for Top<'_> {
    type Value = TopOut<'de>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<TopOut<'de>, A::Error> {
        let mut out = TopOut::default();
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "resource_changes" => out.changes = Some(map.next_value::<Vec<&'de RawValue>>()?),
                "configuration" => out.configuration = Some(map.next_value()?),
                "configurationItems" => {
                    out.items_seen += 1;
                    if out.items_seen > 1 {
                        return Err(A::Error::custom("duplicate configurationItems"));
                    }
                    if self.item_texts {
                        out.item_texts = Some(map.next_value::<Vec<&'de RawValue>>()?);
                    } else {
                        out.items = Some(map.next_value_seed(Items { file: self.file })?);
                    }
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
            out.keys.push(key);
        }
        Ok(out)
    }
}

/// `configurationItems`: each element parsed and mapped on its own.
struct Items<'f> {
    file: &'f str,
}

impl<'de> DeserializeSeed<'de> for Items<'_> {
    type Value = (aws_config::Acc, Vec<Diagnostic>);
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Items<'_> {
    type Value = (aws_config::Acc, Vec<Diagnostic>);
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of configuration items")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut acc = aws_config::Acc::default();
        let mut diags = Vec::new();
        let mut i = 0usize;
        let mut scratch = Scratch::default();
        while let Some(v) = seq.next_element_seed(Keeping(ITEM_KEYS, &mut scratch))? {
            add_item(&mut acc, self.file, i, v, &mut diags);
            i += 1;
        }
        Ok((acc, diags))
    }
}

/// `configurationItems[i]`, read as `v`, into `acc`.
fn add_item(acc: &mut aws_config::Acc, file: &str, i: usize, v: Json<'_>, diags: &mut Vec<Diagnostic>) {
    let item = Item { pointer: format!("/configurationItems/{i}"), value: Cow::Owned(v) };
    acc.add(file, &item, diags);
}

/// A run of elements mapped on another thread, or here.
enum Job<'s, T> {
    Thread(std::thread::ScopedJoinHandle<'s, T>),
    Here(std::ops::Range<usize>),
}

/// `run` over `0..n` in `runs` contiguous runs, on threads (natively) but the
/// first, each run's result appended to the one before in order (`append`),
/// so the result is that of one run when `append` is faithful. `None` if any
/// run gives `None`.
fn in_runs<T: Send>(n: usize, runs: usize, run: impl Fn(std::ops::Range<usize>) -> Option<T> + Sync, mut append: impl FnMut(&mut T, T)) -> Option<T> {
    let mut ranges = split_evenly(n, runs).into_iter();
    let first = ranges.next()?;
    let rest: Vec<std::ops::Range<usize>> = ranges.collect();
    if rest.is_empty() {
        return run(first);
    }
    let run = &run;
    std::thread::scope(|scope| {
        let jobs: Vec<Job<'_, Option<T>>> = rest
            .into_iter()
            .map(|range| {
                let theirs = range.clone();
                match std::thread::Builder::new().name("iso27017-ingest".into()).spawn_scoped(scope, move || run(theirs)) {
                    Ok(handle) => Job::Thread(handle),
                    // No thread to be had: this run is mapped here, in order.
                    Err(_) => Job::Here(range),
                }
            })
            .collect();
        let mut all = run(first);
        // Every thread is joined here, whatever happens to the others (a
        // thread that panicked gives `None`, not a panic out of the scope).
        for job in jobs {
            let next = match job {
                Job::Thread(handle) => handle.join().ok().flatten(),
                Job::Here(range) => all.as_ref().and_then(|_| run(range)),
            };
            match (&mut all, next) {
                (Some(all), Some(next)) => append(all, next),
                _ => all = None,
            }
        }
        all
    })
}

/// Map a plan's `resource_changes` elements, each trimmed (see [`Trim`]) as
/// it is read, in `runs` runs (see [`in_runs`]).
fn map_changes<'c, 'f, 'x>(
    file: &'f str,
    config: &'x terraform::PlanConfig<'c>,
    elements: &[&RawValue],
    runs: usize,
) -> Option<terraform::PlanPart<'c, 'f, 'x>> {
    let run = |range: std::ops::Range<usize>| -> Option<terraform::PlanPart<'c, 'f, 'x>> {
        // The first run has room for every change's resource (see `in_runs`).
        let mut part = match range.start {
            0 => terraform::PlanPart::with_capacity(file, config, elements.len()),
            _ => terraform::PlanPart::new(file, config),
        };
        let mut scratch = Scratch::default();
        for (i, element) in elements.get(range.clone())?.iter().enumerate() {
            let mut de = serde_json::Deserializer::from_str(element.get());
            let v = Trim(Level::Element, &mut scratch).deserialize(&mut de).ok()?;
            de.end().ok()?;
            part.change(range.start + i, &v);
        }
        Some(part)
    };
    in_runs(elements.len(), runs, run, |all, next| all.append(next))
}

/// Map a snapshot's `configurationItems`, each parsed as it is read, in
/// `runs` runs (see [`in_runs`]).
fn map_items(file: &str, items: &[&RawValue], runs: usize) -> Option<(aws_config::Acc, Vec<Diagnostic>)> {
    let run = |range: std::ops::Range<usize>| -> Option<(aws_config::Acc, Vec<Diagnostic>)> {
        // The first run has room for every item's resource (see `in_runs`).
        let mut acc = match range.start {
            0 => aws_config::Acc::with_capacity(items.len()),
            _ => aws_config::Acc::default(),
        };
        let mut diags = Vec::new();
        let mut scratch = Scratch::default();
        for (i, item) in items.get(range.clone())?.iter().enumerate() {
            let mut de = serde_json::Deserializer::from_str(item.get());
            let v = Keeping(ITEM_KEYS, &mut scratch).deserialize(&mut de).ok()?;
            de.end().ok()?;
            add_item(&mut acc, file, range.start + i, v, &mut diags);
        }
        Some((acc, diags))
    };
    in_runs(items.len(), runs, run, |(all, all_diags), (next, mut diags)| {
        all_diags.append(&mut diags);
        all.append(file, next, all_diags);
    })
}

/// Of each `resource_changes` element, what the Terraform parser reads
/// (`mode`, `module_address`, `index`, `type`, `name`, `address`,
/// `provider_name`, and `change.{actions, after, after_unknown}`); the rest
/// (`before`, the sensitivity masks, …) is validated and skipped. An element
/// or `change` that is not an object becomes `null`, which the parser reports
/// exactly as it reports any other non-object.
#[derive(Clone, Copy, PartialEq)]
enum Level {
    /// One element.
    Element,
    /// Its `change` object.
    Change,
}

struct Trim<'s, 'de>(Level, &'s mut Scratch<'de>);

impl<'de> DeserializeSeed<'de> for Trim<'_, 'de> {
    type Value = Json<'de>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Json<'de>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Trim<'_, 'de> {
    type Value = Json<'de>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<Json<'de>, E> {
        Ok(Json::Null)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Json<'de>, E> {
        Ok(Json::Null)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Json<'de>, E> {
        Ok(Json::Null)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Json<'de>, E> {
        Ok(Json::Null)
    }
    fn visit_str<E>(self, _: &str) -> Result<Json<'de>, E> {
        Ok(Json::Null)
    }
    fn visit_unit<E>(self) -> Result<Json<'de>, E> {
        Ok(Json::Null)
    }
    fn visit_none<E>(self) -> Result<Json<'de>, E> {
        Ok(Json::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json<'de>, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Json::Null)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json<'de>, A::Error> {
        let mut out = Obj::default();
        let names = match self.0 {
            Level::Element => ELEMENT_KEYS,
            Level::Change => CHANGE_KEYS,
        };
        while let Some(key) = map.next_key_seed(KnownKey(names))? {
            let Some(key) = key else {
                map.next_value::<IgnoredAny>()?;
                continue;
            };
            let keep = match (self.0, key) {
                (Level::Element, "change") => Some(map.next_value_seed(Trim(Level::Change, &mut *self.1))?),
                (Level::Element, "mode" | "module_address" | "index" | "type" | "name" | "address" | "provider_name")
                | (Level::Change, "actions" | "after" | "after_unknown") => Some(map.next_value_seed(Whole(&mut *self.1))?),
                _ => {
                    map.next_value::<IgnoredAny>()?;
                    None
                }
            };
            if let Some(v) = keep {
                out.push(Cow::Borrowed(key), v);
            }
        }
        Ok(Json::Object(out))
    }
}

/// The keys of a `resource_changes` element and of its `change` the
/// Terraform parser reads.
const ELEMENT_KEYS: &[&str] = &["change", "mode", "module_address", "index", "type", "name", "address", "provider_name"];
const CHANGE_KEYS: &[&str] = &["actions", "after", "after_unknown"];

/// The keys of a configuration item `aws_config` reads (`Acc::add`,
/// `read_item`); the others (`relatedEvents`, `relationships`, `tags`, …)
/// are validated and skipped.
const ITEM_KEYS: &[&str] = &[
    "resourceType",
    "ARN",
    "arn",
    "resourceId",
    "resourceName",
    "awsRegion",
    "awsAccountId",
    "accountId",
    "configuration",
    "supplementaryConfiguration",
    "configurationItemStatus",
    "configurationStateId",
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{aws_config, detect, Limits};

    fn general(file: &str, text: &str) -> Option<Parsed> {
        let d = detect(text, &Limits::default()).ok()?;
        let (inventory, diagnostics) = match d.format {
            Format::TerraformPlan => terraform::parse(file, d.format, &d.document).ok()?,
            Format::AwsConfig => aws_config::parse(file, &d.document).ok()?,
            _ => return None,
        };
        Some(Parsed { format: d.format, inventory, diagnostics, imported: Vec::new() })
    }

    /// A plan's changes mapped in several runs (on threads) and appended give
    /// what one run gives, and what the general path gives: joins across the
    /// runs' boundaries, repeated addresses (the first keeps its value),
    /// diagnostics and other providers' counts from every run.
    #[test]
    fn plan_runs_appended_give_one_run() {
        let mut doc: Value = serde_json::from_str(include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/ingest/terraform/ingress_anywhere_infra.json"))).unwrap();
        let other: Value = serde_json::from_str(include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/ingest/terraform/bucket_sse_infra.json"))).unwrap();
        let mut list = Vec::new();
        for k in 0..3 {
            list.extend(doc["resource_changes"].as_array().unwrap().iter().cloned());
            list.push(serde_json::json!(42));
            list.extend(other["resource_changes"].as_array().unwrap().iter().cloned());
            list.push(serde_json::json!({"mode": "managed", "type": "random_id", "name": format!("x{k}"), "address": format!("random_id.x{k}"),
                "provider_name": "registry.terraform.io/hashicorp/random", "change": {"actions": ["create"], "after": {}}}));
        }
        // Two buckets named alike in different runs, then a versioning
        // resource naming that bucket: it joins the first bucket.
        for (name, ty, after) in [
            ("first", "aws_s3_bucket", serde_json::json!({"bucket": "shared"})),
            ("second", "aws_s3_bucket", serde_json::json!({"bucket": "shared"})),
            ("v", "aws_s3_bucket_versioning", serde_json::json!({"bucket": "shared", "versioning_configuration": [{"status": "Enabled"}]})),
        ] {
            list.push(serde_json::json!({"mode": "managed", "type": ty, "name": name, "address": format!("{ty}.{name}"),
                "provider_name": "registry.terraform.io/hashicorp/aws", "change": {"actions": ["create"], "after": after}}));
        }
        let n = list.len();
        doc["resource_changes"] = Value::Array(list);
        let text = doc.to_string();
        let want = general("p.json", &text).unwrap();
        assert!(want.inventory.resources.len() > 20 && want.diagnostics.len() >= 4, "{:?}", want.diagnostics);
        let versioned = |id: &str| want.inventory.resources.iter().find(|r| r.id == id).and_then(|r| r.prop("versioning")).is_some_and(|p| p.is_true());
        assert!(versioned("aws_s3_bucket.first") && !versioned("aws_s3_bucket.second"));
        for runs in [1, 2, 3, 5, n - 2, n] {
            let got = parse_in("p.json", &text, Some(runs)).unwrap();
            assert_eq!(got, want, "{runs} runs");
        }
    }

    /// A snapshot's items mapped in several runs (on threads) and appended
    /// give what mapping them as read gives, and what the general path gives:
    /// a resource read again in a later run (the newest state wins, of equal
    /// ones the first, and the count of older items), gone resources,
    /// diagnostics from every run.
    #[test]
    fn snapshot_runs_appended_give_one_run() {
        let item = |text: &str| -> Value { serde_json::from_str(text).unwrap() };
        let fixtures = [
            item(include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/ingest/aws-config/AWS_Cloudtrail_Trail.json"))),
            item(include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/ingest/aws-config/AWS_EC2_Instance.json"))),
            item(include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/ingest/aws-config/AWS_EC2_SecurityGroup.json"))),
            item(include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/ingest/aws-config/AWS_IAM_User.json"))),
            item(include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/ingest/aws-config/AWS_KMS_Key.json"))),
            item(include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/ingest/aws-config/AWS_RDS_DBInstance.json"))),
        ];
        let mut list = Vec::new();
        for round in 0..3u64 {
            for f in &fixtures {
                let mut f = f.clone();
                // Rounds 0 and 2 tie on state; round 1 is older for even ids, newer for odd.
                f["configurationStateId"] = serde_json::json!(match round { 1 => 10 + list.len() as u64 % 2 * 100, _ => 50 });
                if round == 2 && list.len() % 4 == 0 {
                    f["configurationItemStatus"] = serde_json::json!("ResourceDeleted");
                    f["configurationStateId"] = serde_json::json!(200);
                }
                list.push(f);
            }
            list.push(serde_json::json!({"resourceType": 42}));
        }
        let n = list.len();
        let text = serde_json::json!({"fileVersion": "1.0", "configurationItems": list}).to_string();
        let want = general("s.json", &text).unwrap();
        assert!(want.diagnostics.iter().any(|d| d.message.contains("older configuration item")), "{:?}", want.diagnostics);
        assert!(want.diagnostics.iter().any(|d| d.message.contains("ResourceDeleted")), "{:?}", want.diagnostics);
        for runs in [1, 2, 3, 4, n] {
            let got = parse_in("s.json", &text, Some(runs)).unwrap();
            assert_eq!(got, want, "{runs} runs");
        }
    }

    /// The fast path gives exactly what the general path gives, on every JSON fixture.
    #[test]
    fn same_as_general_path_on_fixtures() {
        let fixtures: &[&str] = &[
            include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/ingest/aws-config/AWS_Cloudtrail_Trail.json")),
            include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/ingest/aws-config/AWS_EC2_Instance.json")),
            include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/ingest/aws-config/AWS_EC2_SecurityGroup.json")),
            include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/ingest/aws-config/AWS_IAM_User.json")),
            include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/ingest/aws-config/AWS_KMS_Key.json")),
            include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/ingest/aws-config/AWS_RDS_DBInstance.json")),
            include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/ingest/aws-config/AWS_S3_Bucket.json")),
            include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/ingest/aws-config/custodian_config_rds-from-rule.json")),
            include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/ingest/aws-config/custodian_config_s3.json")),
            include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/ingest/aws-config/custodian_sg_GetResourceConfigHistory_1.json")),
            include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/ingest/terraform/account_secure_transfer_infra.json")),
            include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/ingest/terraform/bucket_sse_infra.json")),
            include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/ingest/terraform/checkov_GoogleComputeBootDiskEncryption_bad.json")),
            include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/ingest/terraform/checkov_GoogleComputeDefaultServiceAccountFullAccess_bad.json")),
            include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/ingest/terraform/checkov_plan_with_child_modules.json")),
            include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/ingest/terraform/container_private_access_infra.json")),
            include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/ingest/terraform/cryptokey_rotate_infra.json")),
            include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/ingest/terraform/firewall_no_inbound_all_infra.json")),
            include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/ingest/terraform/full_compute_firewall.tfplan.json")),
            include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/ingest/terraform/ingress_anywhere_infra.json")),
            include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/ingest/terraform/key_rotation_infra.json")),
            include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/ingest/terraform/log_file_validation_infra.json")),
            include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/ingest/terraform/plan_110_sensitive_values.json")),
            include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/ingest/terraform/security_group_no_inbound_22_infra.json")),
            include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/ingest/terraform/state_110_sensitive_values.json")),
            include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/ingest/terraform/state_has_checks.json")),
            include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/ingest/terraform/state_no_changes.json")),
            include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/ingest/terraform/subnet_flow_log_enabled_infra.json")),
        ];
        let mut fast = 0;
        for (i, text) in fixtures.iter().enumerate() {
            if let Some(got) = parse("f.json", text) {
                fast += 1;
                assert_eq!(Some(got), general("f.json", text), "fixture {i}");
            }
        }
        assert!(fast > 0);
        for doc in [
            r#"{"configurationItems":[{"resourceType":"AWS::S3::Bucket","resourceId":"b"}],"configurationItems":[]}"#,
            r#"{"format_version":"1.0","planned_values":{"root_module":{}}}"#,
            r#"{"configurationItems":{}}"#,
        ] {
            assert!(parse("f.json", doc).is_none(), "{doc}");
        }
    }

    /// A value nothing reads is checked for syntax only: a number out of
    /// range or nesting past the depth limit there does not refuse the plan
    /// (the general path would). Broken syntax anywhere still falls back.
    #[test]
    fn skipped_values_are_checked_for_syntax_only() {
        let deep = format!("{}{}", "[".repeat(5_000), "]".repeat(5_000));
        let change = r#"{"address":"aws_s3_bucket.b","mode":"managed","type":"aws_s3_bucket","name":"b","change":{"actions":["create"],"after":{"bucket":"b"},"after_unknown":{}}}"#;
        for doc in [
            format!(r#"{{"format_version":"1.0","resource_changes":[{change}],"planned_values":{{"x":1e999}}}}"#),
            format!(r#"{{"format_version":"1.0","resource_changes":[{change}],"prior_state":{deep}}}"#),
        ] {
            let got = parse("f.json", &doc).expect("read by the fast path");
            assert_eq!(got.inventory.resources.len(), 1);
            assert!(detect(&doc, &Limits::default()).is_err(), "the general path refuses it");
        }
        for doc in [
            format!(r#"{{"format_version":"1.0","resource_changes":[{change}],"planned_values":{{"x":tru}}}}"#),
            format!(r#"{{"format_version":"1.0","resource_changes":[{change}],"planned_values":{{"x":"\q"}}}}"#),
            format!(r#"{{"format_version":"1.0","resource_changes":[{change}],"planned_values":{{"x":[}}}}"#),
            format!(r#"{{"format_version":"1.0","resource_changes":[{change},],"planned_values":{{}}}}"#),
        ] {
            assert!(parse("f.json", &doc).is_none(), "{doc}");
        }
    }
}
