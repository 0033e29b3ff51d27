//! Firewall rules of every provider: AWS security groups, Azure NSG rules, Google firewalls.

use super::*;

// ---- Firewalls.

pub(super) fn proto_norm(p: &str) -> String {
    match p.trim().to_ascii_lowercase().as_str() {
        "-1" | "all" | "*" | "any" => "all".into(),
        "6" | "tcp" => "tcp".into(),
        "17" | "udp" => "udp".into(),
        "1" | "58" | "icmp" | "icmpv6" => "icmp".into(),
        other => other.to_string(),
    }
}

/// Collect sources from attributes that are strings or lists of strings;
/// `None` when unknown and none of the known ones is open.
pub(super) fn sources(views: &[V]) -> Option<Vec<Value>> {
    let mut out = Vec::new();
    let mut unknown = false;
    let mut add = |s: &str| {
        if !s.trim().is_empty() {
            out.push(Value::String(normalise_source(s)));
        }
    };
    for v in views {
        match v.state() {
            St::Known(Json::String(s)) => add(s),
            St::Known(Json::Array(_)) => {
                for item in v.items() {
                    match item.state() {
                        St::Known(Json::String(s)) => add(s),
                        St::Unknown => unknown = true,
                        _ => {}
                    }
                }
            }
            St::Unknown => unknown = true,
            _ => {}
        }
    }
    let open = out.iter().any(|s| s.as_str().is_some_and(crate::ingest::util::is_open_source));
    if unknown && !open {
        None
    } else {
        Some(out)
    }
}

pub(super) fn entry(protocol: Option<String>, ports: Option<(u16, u16)>, src: Option<Vec<Value>>, action: &str, priority: Option<Value>) -> Value {
    let mut e = Map::new();
    if let Some(p) = &protocol {
        e.insert("protocol".into(), Value::String(p.clone()));
    }
    if protocol.as_deref() != Some("icmp") {
        if let Some((f, t)) = ports {
            e.insert("from_port".into(), Value::from(f));
            e.insert("to_port".into(), Value::from(t));
        }
    }
    if let Some(s) = src {
        e.insert("sources".into(), Value::Array(s));
    }
    e.insert("action".into(), Value::String(action.into()));
    if let Some(p) = priority {
        e.insert("priority".into(), p);
    }
    Value::Object(e)
}

/// One AWS permission (inline ingress block or a rule resource).
pub(super) fn aws_perm(v: &V, proto_key: &str, cidr_keys: &[&str]) -> Value {
    let protocol = v.get(proto_key).str().map(proto_norm);
    let ports = if protocol.as_deref() == Some("all") {
        Some((0, 65535))
    } else {
        match (v.get("from_port").state(), v.get("to_port").state()) {
            (St::Known(f), St::Known(t)) => match (port_range(f), port_range(t)) {
                (Some((a, _)), Some((_, b))) => Some((a, b)),
                _ => None,
            },
            _ => None,
        }
    };
    let views: Vec<V> = cidr_keys.iter().map(|k| v.get(k)).collect();
    entry(protocol, ports, sources(&views), "allow", None)
}

pub(super) fn aws_sg_ingress(list: &V) -> Option<Prop> {
    match list.state() {
        St::Known(_) => Some(list.known(Value::Array(list.items().iter().map(|i| aws_perm(i, "protocol", &["cidr_blocks", "ipv6_cidr_blocks"])).collect()))),
        St::Unknown => Some(list.unknown()),
        St::Absent => None,
    }
}

/// Azure NSG rule (inline `security_rule` item or a rule resource) → inbound entries.
pub(super) fn azure_rule(v: &V) -> Vec<Value> {
    let dir = v.get("direction").str().unwrap_or("Inbound");
    if !dir.eq_ignore_ascii_case("inbound") {
        return Vec::new();
    }
    let action = match v.get("access").str() {
        Some(a) if a.eq_ignore_ascii_case("deny") => "deny",
        _ => "allow",
    };
    let protocol = v.get("protocol").str().map(proto_norm);
    let priority = match v.get("priority").state() {
        St::Known(x) => num_of(x),
        _ => None,
    };
    let src = sources(&[v.get("source_address_prefix"), v.get("source_address_prefixes")]);
    let mut ranges: Vec<Option<(u16, u16)>> = Vec::new();
    let mut unknown_ports = false;
    for pv in [v.get("destination_port_range"), v.get("destination_port_ranges")] {
        match pv.state() {
            St::Known(x @ Json::String(s)) if !s.trim().is_empty() => ranges.push(port_range(x)),
            St::Known(Json::Array(_)) => {
                for item in pv.items() {
                    match item.state() {
                        St::Known(x) => ranges.push(port_range(x)),
                        St::Unknown => unknown_ports = true,
                        St::Absent => {}
                    }
                }
            }
            St::Unknown => unknown_ports = true,
            _ => {}
        }
    }
    if ranges.is_empty() || unknown_ports {
        ranges.push(None);
    }
    ranges.into_iter().map(|r| entry(protocol.clone(), r, src.clone(), action, priority.clone())).collect()
}

pub(super) fn gcp_firewall(v: &V, o: &mut Out) {
    let dir = v.get("direction");
    let egress = dir.str().is_some_and(|d| d.eq_ignore_ascii_case("egress"));
    let disabled = matches!(v.get("disabled").state(), St::Known(x) if loose_bool(x) == Some(true));
    let mut entries = Vec::new();
    if !egress && !disabled {
        let src_ranges = v.get("source_ranges");
        let src = match src_ranges.state() {
            St::Absent => {
                let other = ["source_tags", "source_service_accounts"].iter().any(|k| match v.get(k).state() {
                    St::Known(x) => non_empty(x),
                    St::Unknown => true,
                    St::Absent => false,
                });
                // Documented default: no source at all means 0.0.0.0/0.
                Some(if other { Vec::new() } else { vec![Value::String("0.0.0.0/0".into())] })
            }
            _ => sources(&[src_ranges]),
        };
        let priority = match v.get("priority").state() {
            St::Known(x) => num_of(x),
            _ => None,
        };
        for (key, action) in [("allow", "allow"), ("deny", "deny")] {
            for b in v.get(key).items() {
                let protocol = b.get("protocol").str().map(proto_norm);
                let ports_v = b.get("ports");
                let mut ranges: Vec<Option<(u16, u16)>> = match ports_v.state() {
                    St::Known(Json::Array(a)) if a.is_empty() => vec![Some((0, 65535))],
                    St::Known(Json::Array(_)) => ports_v.items().iter().map(|p| if let St::Known(x) = p.state() { port_range(x) } else { None }).collect(),
                    St::Absent => vec![Some((0, 65535))],
                    _ => vec![None],
                };
                if ranges.is_empty() {
                    ranges.push(None);
                }
                for r in ranges {
                    entries.push(entry(protocol.clone(), r, src.clone(), action, priority.clone()));
                }
            }
        }
    }
    let allow = v.get("allow");
    if !egress && !disabled && matches!(allow.state(), St::Unknown) {
        o.put("ingress", Some(allow.unknown()));
    } else {
        o.put("ingress", Some(allow.known(Value::Array(entries))));
    }
    let lc = v.get("log_config");
    match lc.state() {
        St::Known(x) if non_empty(x) => o.put("logging", Some(lc.known(true))),
        _ => match v.get("enable_logging").state() {
            St::Known(x) => o.put("logging", Some(v.get("enable_logging").known(loose_bool(x) == Some(true)))),
            _ => o.present("logging", &lc),
        },
    }
}
