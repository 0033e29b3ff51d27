//! Small helpers shared by the parsers: JSON pointers, loose booleans and
//! numbers as exports write them, CIDR normalisation, ARM id parsing.

use super::json::Json;
use serde_json::Value;

/// A hash map with a fast, randomly seeded hasher (foldhash) for the hot
/// paths: parser joins and check evaluation. Seeded per map, so crafted keys
/// cannot force collisions.
pub type FastMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;

/// Threads for work over `n` independent items (mapping a plan's changes,
/// evaluating resources): one in the browser (WebAssembly has none) and for
/// small inputs; natively up to the machine's cores (4 at most) for large ones.
pub fn worker_threads(n: usize) -> usize {
    if cfg!(target_arch = "wasm32") || n < 512 {
        1
    } else {
        std::thread::available_parallelism().map_or(1, |p| p.get().min(4))
    }
}

/// `0..n` in `parts` contiguous ranges of near-equal length (at least one range).
pub fn split_evenly(n: usize, parts: usize) -> Vec<std::ops::Range<usize>> {
    let parts = parts.max(1);
    (0..parts).map(|i| (n * i / parts)..(n * (i + 1) / parts)).collect()
}

/// Append a token to a JSON pointer.
pub fn ptr(base: &str, token: impl std::fmt::Display) -> String {
    use std::fmt::Write as _;
    // One allocation in the usual case (no `~` or `/` in the token).
    let mut out = String::with_capacity(base.len() + 24);
    out.push_str(base);
    out.push('/');
    let start = out.len();
    let _ = write!(out, "{token}");
    if let Some(tok) = out.get(start..).filter(|t| t.contains(['~', '/'])) {
        let escaped = crate::inventory::pointer_token(tok);
        out.truncate(start);
        out.push_str(&escaped);
    }
    out
}

/// A scalar as the loose readers below see it, from a `Value` or a [`Json`].
pub enum Scalar<'v> {
    /// A boolean.
    Bool(bool),
    /// A number.
    Number(&'v serde_json::Number),
    /// A string.
    Str(&'v str),
    /// Null, a list or an object.
    Other,
}

/// A JSON value the loose readers accept.
pub trait AsScalar {
    /// This value as a scalar.
    fn scalar(&self) -> Scalar<'_>;
}

impl AsScalar for Value {
    fn scalar(&self) -> Scalar<'_> {
        match self {
            Value::Bool(b) => Scalar::Bool(*b),
            Value::Number(n) => Scalar::Number(n),
            Value::String(s) => Scalar::Str(s),
            _ => Scalar::Other,
        }
    }
}

impl<T: AsScalar + ?Sized> AsScalar for &T {
    fn scalar(&self) -> Scalar<'_> {
        (**self).scalar()
    }
}

impl AsScalar for std::borrow::Cow<'_, Value> {
    fn scalar(&self) -> Scalar<'_> {
        (**self).scalar()
    }
}

impl AsScalar for Json<'_> {
    fn scalar(&self) -> Scalar<'_> {
        match self {
            Json::Bool(b) => Scalar::Bool(*b),
            Json::Number(n) => Scalar::Number(n),
            Json::String(s) => Scalar::Str(s),
            _ => Scalar::Other,
        }
    }
}

/// A boolean as exports write it: `true`, `"true"`, `"True"`, `"Enabled"`, `1`.
pub fn loose_bool<T: AsScalar + ?Sized>(v: &T) -> Option<bool> {
    match v.scalar() {
        Scalar::Bool(b) => Some(b),
        Scalar::Number(n) => n.as_i64().map(|i| i != 0),
        Scalar::Str(s) => {
            let t = s.trim();
            let is = |words: &[&str]| words.iter().any(|w| t.eq_ignore_ascii_case(w));
            if is(&["true", "yes", "enabled", "on"]) {
                Some(true)
            } else if is(&["false", "no", "disabled", "off", "suspended"]) {
                Some(false)
            } else {
                None
            }
        }
        Scalar::Other => None,
    }
}

/// A number as exports write it: `7`, `"7"`, `"7776000s"` (GCP durations → seconds).
pub fn loose_f64<T: AsScalar + ?Sized>(v: &T) -> Option<f64> {
    match v.scalar() {
        Scalar::Number(n) => n.as_f64(),
        Scalar::Str(s) => {
            let t = s.trim();
            t.strip_suffix('s').unwrap_or(t).parse::<f64>().ok().filter(|f| f.is_finite())
        }
        _ => None,
    }
}

/// Normalise a network source: `*`, `Internet`, `Any`, `0.0.0.0` → `0.0.0.0/0`;
/// any IPv4 prefix of length 0 (`192.168.1.0/0`) is the whole space too.
pub fn normalise_source(s: &str) -> String {
    let t = s.trim();
    match t.to_ascii_lowercase().as_str() {
        "*" | "internet" | "any" | "0.0.0.0" | "0.0.0.0/0" => return "0.0.0.0/0".into(),
        "::/0" => return "::/0".into(),
        _ => {}
    }
    if let Some((addr, len)) = t.split_once('/') {
        if len.trim() == "0" {
            return if addr.contains(':') { "::/0".into() } else { "0.0.0.0/0".into() };
        }
    }
    t.to_string()
}

/// Is this normalised source the whole internet?
pub fn is_open_source(s: &str) -> bool {
    s == "0.0.0.0/0" || s == "::/0"
}

/// Parts of an ARM resource id: (subscription, resource group).
pub fn arm_id_parts(id: &str) -> (Option<String>, Option<String>) {
    let parts: Vec<&str> = id.split('/').collect();
    let mut sub = None;
    let mut rg = None;
    for w in parts.windows(2) {
        if w[0].eq_ignore_ascii_case("subscriptions") && sub.is_none() {
            sub = Some(w[1].to_string());
        }
        if w[0].eq_ignore_ascii_case("resourceGroups") && rg.is_none() {
            rg = Some(w[1].to_string());
        }
    }
    (sub, rg)
}

/// Parse a port range as exports write it: `22`, `"22"`, `"20-23"`, `"*"`, `-1` (all).
pub fn port_range<T: AsScalar + ?Sized>(v: &T) -> Option<(u16, u16)> {
    match v.scalar() {
        Scalar::Number(n) => {
            let i = n.as_i64()?;
            if i < 0 {
                Some((0, 65535))
            } else {
                u16::try_from(i).ok().map(|p| (p, p))
            }
        }
        Scalar::Str(s) => {
            let t = s.trim();
            if t == "*" || t.eq_ignore_ascii_case("all") {
                return Some((0, 65535));
            }
            match t.split_once('-') {
                Some((a, b)) => Some((a.trim().parse().ok()?, b.trim().parse().ok()?)),
                None => t.parse::<u16>().ok().map(|p| (p, p)),
            }
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn helpers() {
        assert_eq!(ptr("/a", "b/c"), "/a/b~1c");
        assert_eq!(loose_bool(&json!("Enabled")), Some(true));
        assert_eq!(loose_bool(&json!("Suspended")), Some(false));
        assert_eq!(loose_f64(&json!("7776000s")), Some(7776000.0));
        assert_eq!(normalise_source("192.168.1.0/0"), "0.0.0.0/0");
        assert_eq!(normalise_source("Internet"), "0.0.0.0/0");
        assert_eq!(normalise_source("10.0.0.0/8"), "10.0.0.0/8");
        assert_eq!(port_range(&json!("20-23")), Some((20, 23)));
        assert_eq!(port_range(&json!(-1)), Some((0, 65535)));
        assert_eq!(port_range(&json!("*")), Some((0, 65535)));
        let (s, g) = arm_id_parts("/subscriptions/abc/resourceGroups/rg1/providers/X/y/z");
        assert_eq!((s.as_deref(), g.as_deref()), (Some("abc"), Some("rg1")));
    }
}

// ---- Helpers added for the Azure, GCP CAI and Kubernetes parsers. ----

/// Normalise a firewall protocol as providers write it (`"*"`, `"-1"`, `"Tcp"`,
/// `"6"`, `"all"`) to `tcp` / `udp` / `icmp` / `all`; other names are lower-cased.
pub fn normalise_protocol(p: &str) -> String {
    match p.trim().to_ascii_lowercase().as_str() {
        "*" | "-1" | "all" | "any" => "all".into(),
        "6" | "tcp" => "tcp".into(),
        "17" | "udp" => "udp".into(),
        "1" | "58" | "icmp" | "icmpv6" | "ipv6-icmp" => "icmp".into(),
        other => other.to_string(),
    }
}

/// One canonical `ingress` entry (see `docs/inventory.md`). `ports` is
/// ignored for ICMP; `sources: None` means the sources are not known;
/// `rule` names the native rule the entry came from (evidence only).
pub fn ingress_entry(protocol: &str, ports: Option<(u16, u16)>, sources: Option<Vec<String>>, allow: bool, priority: Option<i64>, rule: Option<&str>) -> Value {
    let mut e = serde_json::Map::new();
    e.insert("protocol".into(), Value::String(protocol.to_string()));
    if protocol != "icmp" {
        if let Some((from, to)) = ports {
            e.insert("from_port".into(), Value::from(from));
            e.insert("to_port".into(), Value::from(to));
        }
    }
    if let Some(s) = sources {
        e.insert("sources".into(), Value::Array(s.into_iter().map(Value::String).collect()));
    }
    e.insert("action".into(), Value::String(if allow { "allow" } else { "deny" }.into()));
    if let Some(p) = priority {
        e.insert("priority".into(), Value::from(p));
    }
    if let Some(r) = rule {
        e.insert("rule".into(), Value::String(r.to_string()));
    }
    Value::Object(e)
}

/// A TLS version as providers write it (`TLS1_2`, `TLS_1_2`, `1.2`, `tls1.2`) → `"1.2"`.
pub fn tls_version_text(s: &str) -> String {
    let t = s.trim();
    let t = t.strip_prefix("TLS").or_else(|| t.strip_prefix("tls")).or_else(|| t.strip_prefix("Tls")).unwrap_or(t);
    t.trim_start_matches(['_', 'v', 'V']).replace('_', ".")
}

/// ISO 8601 duration (`P90D`, `P1Y`, `P3M`) → days.
pub fn iso_duration_days(s: &str) -> Option<f64> {
    let body = s.trim().strip_prefix('P')?;
    let date = body.split('T').next().unwrap_or(body);
    let mut days = 0.0;
    let mut n = String::new();
    for c in date.chars() {
        if c.is_ascii_digit() || c == '.' {
            n.push(c);
            continue;
        }
        let x: f64 = n.parse().ok()?;
        n.clear();
        days += x * match c {
            'Y' => 365.0,
            'M' => 30.0,
            'W' => 7.0,
            'D' => 1.0,
            _ => return None,
        };
    }
    Some(days)
}

// ---- End of Azure / GCP CAI / Kubernetes helpers. ----

/// The four S3 Block Public Access flags as the `public_access_block` value
/// (`{block_public_acls, ignore_public_acls, block_public_policy,
/// restrict_public_buckets}`, each `true`, `false` or `null`): one shared copy
/// per combination, so a snapshot of many buckets holds 81 objects at most.
pub fn public_access_flags(flags: [Option<bool>; 4]) -> std::sync::Arc<Value> {
    use std::sync::{Arc, OnceLock};
    const NAMES: [&str; 4] = ["block_public_acls", "ignore_public_acls", "block_public_policy", "restrict_public_buckets"];
    static ALL: OnceLock<Vec<Arc<Value>>> = OnceLock::new();
    let code = |f: Option<bool>| match f {
        None => 0,
        Some(false) => 1,
        Some(true) => 2,
    };
    let all = ALL.get_or_init(|| {
        (0..81usize)
            .map(|mut n| {
                let mut m = serde_json::Map::new();
                for name in NAMES {
                    let v = match n % 3 {
                        1 => Value::Bool(false),
                        2 => Value::Bool(true),
                        _ => Value::Null,
                    };
                    n /= 3;
                    m.insert(name.to_string(), v);
                }
                Arc::new(Value::Object(m))
            })
            .collect()
    });
    let index = flags.iter().rev().fold(0usize, |acc, f| acc * 3 + code(*f));
    all.get(index).map(Arc::clone).unwrap_or_else(|| Arc::new(Value::Null))
}

#[cfg(test)]
mod flag_tests {
    use super::public_access_flags;
    use serde_json::json;

    #[test]
    fn block_public_access_flags_are_shared_per_combination() {
        let a = public_access_flags([Some(true), None, Some(false), Some(true)]);
        assert_eq!(*a, json!({"block_public_acls": true, "ignore_public_acls": null, "block_public_policy": false, "restrict_public_buckets": true}));
        assert!(std::sync::Arc::ptr_eq(&a, &public_access_flags([Some(true), None, Some(false), Some(true)])));
        assert_eq!(*public_access_flags([None; 4]), json!({"block_public_acls": null, "ignore_public_acls": null, "block_public_policy": null, "restrict_public_buckets": null}));
    }
}
