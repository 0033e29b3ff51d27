//! ARM values: template expressions resolved (`[parameters(…)]`, `[variables(…)]`), and the
//! field of a record at a path with the pointer to its native attribute.

use super::*;

// ---------------------------------------------------------------------------
// Values, with ARM expression resolution.

/// A value read from the document.
pub(super) enum Val<'a> {
    Absent,
    Known(Cow<'a, Value>),
    Unknown(String),
}

/// Resolves template expressions; a no-op for runtime records.
pub(super) struct Resolver<'a> {
    pub(super) params: Option<&'a Map<String, Value>>,
    pub(super) vars: Option<&'a Map<String, Value>>,
    pub(super) template: bool,
}

/// `func('name')` → `name` (function name case-insensitive).
pub(super) fn call_arg<'s>(expr: &'s str, func: &str) -> Option<&'s str> {
    let head = expr.get(..func.len())?;
    if !head.eq_ignore_ascii_case(func) {
        return None;
    }
    let rest = expr.get(func.len()..)?.trim_start().strip_prefix('(')?.strip_suffix(')')?.trim();
    let name = rest.strip_prefix('\'')?.strip_suffix('\'')?;
    if name.contains('\'') {
        None
    } else {
        Some(name)
    }
}

/// Case-insensitive key lookup (exact match first).
pub(super) fn get_ci<'a>(m: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    m.get(key).or_else(|| m.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)).map(|(_, v)| v))
}

impl<'a> Resolver<'a> {
    pub(super) fn runtime() -> Self {
        Resolver { params: None, vars: None, template: false }
    }

    pub(super) fn resolve(&self, v: &'a Value) -> Val<'a> {
        self.resolve_at(v, 0)
    }

    pub(super) fn resolve_at(&self, v: &'a Value, depth: usize) -> Val<'a> {
        let Value::String(s) = v else { return Val::Known(Cow::Borrowed(v)) };
        if !self.template {
            return Val::Known(Cow::Borrowed(v));
        }
        if let Some(rest) = s.strip_prefix("[[") {
            // Escaped literal bracket.
            return Val::Known(Cow::Owned(Value::String(format!("[{rest}"))));
        }
        let Some(inner) = s.strip_prefix('[').and_then(|x| x.strip_suffix(']')) else {
            return Val::Known(Cow::Borrowed(v));
        };
        if depth >= MAX_EXPR_DEPTH {
            return Val::Unknown(format!("unresolved ARM expression {s} (too many indirections)"));
        }
        let inner = inner.trim();
        if let Some(name) = call_arg(inner, "parameters") {
            return match self.params.and_then(|p| get_ci(p, name)) {
                Some(decl) => match decl.get("defaultValue") {
                    Some(d) if !d.is_null() => self.resolve_at(d, depth + 1),
                    _ => Val::Unknown(format!("unresolved ARM expression {s}: parameter '{name}' has no defaultValue")),
                },
                None => Val::Unknown(format!("unresolved ARM expression {s}: parameter '{name}' is not declared")),
            };
        }
        if let Some(name) = call_arg(inner, "variables") {
            return match self.vars.and_then(|p| get_ci(p, name)) {
                Some(val) => self.resolve_at(val, depth + 1),
                None => Val::Unknown(format!("unresolved ARM expression {s}: variable '{name}' is not declared")),
            };
        }
        Val::Unknown(format!("unresolved ARM expression {s}"))
    }

    /// Walk `path` from `base`, resolving every step.
    pub(super) fn field(&self, base: &'a Value, base_ptr: &str, path: &[&str]) -> Field<'a> {
        let mut cur: &'a Value = base;
        let mut p = base_ptr.to_string();
        for key in path {
            let next = match cur {
                Value::Object(m) => get_ci(m, key),
                _ => None,
            };
            p = ptr(&p, key);
            let Some(next) = next else { return Field { val: Val::Absent, ptr: p } };
            match self.resolve(next) {
                Val::Known(Cow::Borrowed(v)) => cur = v,
                Val::Known(Cow::Owned(v)) => {
                    // Only literal strings are produced owned; they have no fields.
                    return Field { val: Val::Known(Cow::Owned(v)), ptr: p };
                }
                other => return Field { val: other, ptr: p },
            }
        }
        Field { val: if cur.is_null() { Val::Absent } else { Val::Known(Cow::Borrowed(cur)) }, ptr: p }
    }
}

/// A resolved value and the pointer to its native attribute.
pub(super) struct Field<'a> {
    pub(super) val: Val<'a>,
    pub(super) ptr: String,
}

impl<'a> Field<'a> {
    pub(super) fn value(&self) -> Option<&Value> {
        match &self.val {
            Val::Known(v) => Some(v.as_ref()),
            _ => None,
        }
    }
    pub(super) fn str(&self) -> Option<&str> {
        self.value().and_then(Value::as_str)
    }
    pub(super) fn bool(&self) -> Option<bool> {
        self.value().and_then(loose_bool)
    }
    pub(super) fn is_absent(&self) -> bool {
        matches!(self.val, Val::Absent)
    }
    pub(super) fn present(&self) -> bool {
        match &self.val {
            Val::Absent => false,
            Val::Unknown(_) => true,
            Val::Known(v) => match v.as_ref() {
                Value::String(s) => !s.trim().is_empty(),
                Value::Object(o) => !o.is_empty(),
                Value::Array(a) => !a.is_empty(),
                Value::Null => false,
                _ => true,
            },
        }
    }
    /// Convert a known value; an unknown one becomes `Prop::Unknown`; an
    /// absent one or one `f` rejects is `None`.
    pub(super) fn prop(&self, f: impl FnOnce(&Value) -> Option<Value>) -> Option<Prop> {
        match &self.val {
            Val::Absent => None,
            Val::Unknown(r) => Some(Prop::unknown(r.clone(), self.ptr.clone())),
            Val::Known(v) => f(v.as_ref()).map(|x| Prop::known(x, self.ptr.clone())),
        }
    }
    pub(super) fn prop_bool(&self) -> Option<Prop> {
        self.prop(|v| loose_bool(v).map(Value::Bool))
    }
}
