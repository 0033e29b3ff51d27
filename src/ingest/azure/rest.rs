//! Runtime Azure resources: ARM REST list bodies, `az … list` arrays, one resource, Resource
//! Graph results (object-array or table form) and recorded VCR cassettes of those calls.

use super::*;

/// Read runtime Azure resources: ARM REST list bodies, `az … list` output,
/// one resource, Resource Graph results, or a VCR cassette of those calls.
pub(in crate::ingest) fn parse_resources(file: &str, doc: &Document) -> ParseOutput {
    let Document::Json(root) = doc else {
        return Err(IngestError::Unrecognised("Azure resource exports are JSON".into()));
    };
    let mut diags = Vec::new();
    // Stage 1: response bodies (cassette string bodies parsed into `bodies`).
    let mut bodies: Vec<(Value, String)> = Vec::new();
    let mut roots: Vec<(usize, Option<&Value>, String)> = Vec::new(); // (seq, borrowed root or None = bodies[k])
    let mut owned_roots: Vec<(usize, usize)> = Vec::new(); // (seq, index into bodies)
    let mut seq = 0usize;
    match root.get("interactions").and_then(Value::as_array) {
        Some(interactions) => {
            for (i, it) in interactions.iter().enumerate() {
                let resp = it.get("response");
                let status = resp.and_then(|r| r.get("status")).and_then(|s| s.get("code").or(Some(s))).and_then(Value::as_u64);
                if status.is_some_and(|c| !(200..300).contains(&c)) {
                    continue;
                }
                let Some(body) = resp.and_then(|r| r.get("body")) else { continue };
                let base = format!("/interactions/{i}/response/body");
                if let Some(data) = body.get("data").filter(|d| !d.is_null()) {
                    roots.push((seq, Some(data), format!("{base}/data")));
                } else if let Some(s) = body.get("string").and_then(Value::as_str) {
                    if s.trim().is_empty() {
                        continue;
                    }
                    match serde_json::from_str::<Value>(s) {
                        Ok(v) => {
                            owned_roots.push((seq, bodies.len()));
                            bodies.push((v, format!("{base}/string")));
                        }
                        Err(e) => diags.push(Diagnostic {
                            level: DiagnosticLevel::Warning,
                            message: format!("a recorded response body is not JSON ({e}); skipped"),
                            source: Some(SourceRef { file: file.to_string().into(), pointer: format!("{base}/string").into(), line: None }),
                        }),
                    }
                }
                seq += 1;
            }
        }
        None => roots.push((0, Some(root), String::new())),
    }
    // Stage 2: resources in each body; Resource Graph tables are zipped into `rows`.
    let mut items: Vec<(usize, &Value, String)> = Vec::new();
    let mut rows: Vec<(usize, Value, String)> = Vec::new();
    let all_roots = roots
        .iter()
        .filter_map(|(s, v, p)| v.map(|v| (*s, v, p.as_str())))
        .chain(owned_roots.iter().filter_map(|(s, k)| bodies.get(*k).map(|(v, p)| (*s, v, p.as_str()))));
    for (s, v, p) in all_roots {
        collect(file, s, v, p, &mut items, &mut rows, &mut diags);
    }
    let mut all: Vec<(usize, &Value, String)> = items;
    all.extend(rows.iter().map(|(s, v, p)| (*s, v, p.clone())));
    all.sort_by_key(|(s, _, _)| *s);

    let resolver = Resolver::runtime();
    let mut b = Builder::new(file, &resolver);
    b.diags = diags;
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (_, r, pointer) in all {
        let Some(rtype) = r.get("type").and_then(Value::as_str) else { continue };
        let name = r.get("name").and_then(Value::as_str).unwrap_or_default().to_string();
        let id = r.get("id").and_then(Value::as_str).map(str::to_string).unwrap_or_else(|| format!("{rtype}/{name}"));
        let key = id.to_ascii_lowercase();
        let before = b.out.len();
        b.add(r, &pointer, rtype, id, &name, None);
        if let Some(&old) = seen.get(&key) {
            // Same resource recorded again: the later record replaces it.
            if let (Some(newer), Some(rule), Some(link)) = (b.out.pop(), b.rules.pop(), b.links.pop()) {
                if let Some(slot) = b.out.get_mut(old) {
                    *slot = newer;
                }
                if let Some(slot) = b.rules.get_mut(old) {
                    *slot = rule;
                }
                if let Some(slot) = b.links.get_mut(old) {
                    *slot = link;
                }
            }
        } else {
            seen.insert(key, before);
        }
    }
    if b.out.is_empty() {
        b.diags.push(Diagnostic {
            level: DiagnosticLevel::Info,
            message: "no Azure resources (objects with id and type) were found in this file".into(),
            source: None,
        });
    }
    Ok(b.finish())
}

/// Is this object an Azure resource record?
pub(super) fn is_resource(v: &Value) -> bool {
    v.get("type").and_then(Value::as_str).is_some_and(|t| t.contains('/')) && (v.get("id").is_some_and(Value::is_string) || v.get("name").is_some_and(Value::is_string))
}

/// Find resource records in one response body.
pub(super) fn collect<'a>(
    file: &str,
    seq: usize,
    v: &'a Value,
    p: &str,
    items: &mut Vec<(usize, &'a Value, String)>,
    rows: &mut Vec<(usize, Value, String)>,
    diags: &mut Vec<Diagnostic>,
) {
    let list = |a: &'a Vec<Value>, base: String, items: &mut Vec<(usize, &'a Value, String)>| {
        for (i, x) in a.iter().enumerate() {
            if is_resource(x) {
                items.push((seq, x, format!("{base}/{i}")));
            }
        }
    };
    match v {
        Value::Array(a) => list(a, p.to_string(), items),
        Value::Object(o) => {
            if is_resource(v) {
                items.push((seq, v, p.to_string()));
                return;
            }
            if let Some(a) = o.get("value").and_then(Value::as_array) {
                list(a, format!("{p}/value"), items);
                if o.get("nextLink").and_then(Value::as_str).is_some_and(|s| !s.is_empty()) {
                    diags.push(Diagnostic {
                        level: DiagnosticLevel::Info,
                        message: "this list has more pages (nextLink); only the resources in this file are assessed".into(),
                        source: Some(SourceRef { file: file.to_string().into(), pointer: ptr(p, "nextLink").into(), line: None }),
                    });
                }
            }
            match o.get("data") {
                Some(Value::Array(a)) => list(a, format!("{p}/data"), items),
                Some(Value::Object(t)) => {
                    // Resource Graph table form: zip columns with each row.
                    let cols: Vec<Option<&str>> = t
                        .get("columns")
                        .and_then(Value::as_array)
                        .map(|c| c.iter().map(|c| c.get("name").and_then(Value::as_str)).collect())
                        .unwrap_or_default();
                    if let Some(rs) = t.get("rows").and_then(Value::as_array) {
                        for (i, row) in rs.iter().enumerate() {
                            let Some(cells) = row.as_array() else { continue };
                            let obj: Map<String, Value> =
                                cols.iter().zip(cells).filter_map(|(c, x)| c.map(|c| (c.to_string(), x.clone()))).collect();
                            let obj = Value::Object(obj);
                            if is_resource(&obj) {
                                rows.push((seq, obj, format!("{p}/data/rows/{i}")));
                            }
                        }
                        let total = o.get("totalRecords").or_else(|| o.get("total_records")).and_then(Value::as_u64);
                        if let Some(total) = total.filter(|t| *t > rs.len() as u64) {
                            diags.push(Diagnostic {
                                level: DiagnosticLevel::Info,
                                message: format!(
                                    "the Resource Graph result holds {} of {total} records (paged or truncated); only those are assessed",
                                    rs.len()
                                ),
                                source: Some(SourceRef { file: file.to_string().into(), pointer: ptr(p, "totalRecords").into(), line: None }),
                            });
                        }
                    }
                }
                _ => {}
            }
        }
        _ => {}
    }
}
