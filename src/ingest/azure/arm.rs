//! ARM templates: `resources[]` (nested children flattened with their full type and name).

use super::*;

/// Read an ARM template (`$schema` deploymentTemplate, `resources[]`).
/// Nested child resources are flattened with their full type and name.
pub(in crate::ingest) fn parse_template(file: &str, doc: &Document) -> ParseOutput {
    let Document::Json(root) = doc else {
        return Err(IngestError::Unrecognised("an ARM template is a JSON document".into()));
    };
    let Some(resources) = root.get("resources").and_then(Value::as_array) else {
        return Err(IngestError::Unrecognised("an ARM template needs a resources array".into()));
    };
    let resolver = Resolver {
        params: root.get("parameters").and_then(Value::as_object),
        vars: root.get("variables").and_then(Value::as_object),
        template: true,
    };
    let mut b = Builder::new(file, &resolver);
    let mut stack: Vec<(&Value, String, Option<(String, String)>, usize)> =
        resources.iter().enumerate().rev().map(|(i, r)| (r, format!("/resources/{i}"), None, 0)).collect();
    while let Some((r, pointer, parent, depth)) = stack.pop() {
        let Some(obj) = r.as_object() else {
            b.warn(&pointer, "a template resource is not an object; skipped".into());
            continue;
        };
        let rtype = match obj.get("type").map(|t| resolver.resolve(t)) {
            Some(Val::Known(t)) => match t.as_str() {
                Some(s) if !s.trim().is_empty() => s.trim().to_string(),
                _ => {
                    b.warn(&pointer, "a template resource has no type; skipped".into());
                    continue;
                }
            },
            _ => {
                b.warn(&pointer, "a template resource has no literal type; skipped".into());
                continue;
            }
        };
        // A name that does not resolve to a string keeps its expression text.
        let raw_name = obj.get("name").and_then(Value::as_str).unwrap_or_default();
        let name = match obj.get("name").map(|n| resolver.resolve(n)) {
            Some(Val::Known(n)) => n.as_str().unwrap_or(raw_name).to_string(),
            _ => raw_name.to_string(),
        };
        // Child types inside a parent are relative ("blobServices/containers").
        let (full_type, full_name) = match &parent {
            Some((pt, pn)) if !rtype.split('/').next().unwrap_or("").contains('.') => (format!("{pt}/{rtype}"), format!("{pn}/{name}")),
            _ => (rtype, name),
        };
        let api = match obj.get("apiVersion").map(|a| resolver.resolve(a)) {
            Some(Val::Known(a)) => a.as_str().map(str::to_string),
            _ => None,
        };
        if obj.contains_key("copy") {
            b.diags.push(Diagnostic {
                level: DiagnosticLevel::Info,
                message: format!("{full_type}/{full_name} is deployed in a copy loop; it is assessed once for all its instances"),
                source: Some(b.src(&pointer)),
            });
        }
        let id = format!("{full_type}/{full_name}");
        b.add(r, &pointer, &full_type, id, &full_name, api.as_deref());
        if let Some(children) = obj.get("resources").and_then(Value::as_array) {
            if depth + 1 >= MAX_NESTING {
                b.warn(&pointer, "nested resources deeper than 32 levels were skipped".into());
                continue;
            }
            for (i, c) in children.iter().enumerate().rev() {
                stack.push((c, format!("{pointer}/resources/{i}"), Some((full_type.clone(), full_name.clone())), depth + 1));
            }
        }
    }
    Ok(b.finish())
}
