//! Views of one attribute (value + `after_unknown` mask + pointer) and of one resource being mapped.

use super::*;

// ---------------------------------------------------------------------------
// A view of one attribute: value + after_unknown mask + pointer.

#[derive(Clone)]
pub(super) struct V<'a> {
    pub(super) val: Option<&'a Json<'a>>,
    pub(super) unk: Option<&'a Json<'a>>,
    pub(super) ptr: String,
    /// The resource's pointer: properties point relative to it.
    pub(super) base: Pointer,
}

pub(super) enum St<'a> {
    Known(&'a Json<'a>),
    Unknown,
    Absent,
}

impl<'a> V<'a> {
    pub(super) fn get(&self, key: &str) -> V<'a> {
        let unk = match self.unk {
            Some(Json::Bool(true)) => self.unk,
            Some(u) => u.get(key),
            None => None,
        };
        V { val: self.val.and_then(|v| v.get(key)), unk, ptr: ptr(&self.ptr, key), base: self.base.clone() }
    }
    pub(super) fn at(&self, i: usize) -> V<'a> {
        let unk = match self.unk {
            Some(Json::Bool(true)) => self.unk,
            Some(u) => u.get(i),
            None => None,
        };
        V { val: self.val.and_then(|v| v.get(i)), unk, ptr: ptr(&self.ptr, i), base: self.base.clone() }
    }
    /// First element of a nested block.
    pub(super) fn block(&self, key: &str) -> V<'a> {
        self.get(key).at(0)
    }
    pub(super) fn state(&self) -> St<'a> {
        if matches!(self.unk, Some(Json::Bool(true))) {
            return St::Unknown;
        }
        match self.val {
            Some(v) if !v.is_null() => St::Known(v),
            _ => St::Absent,
        }
    }
    pub(super) fn str(&self) -> Option<&'a str> {
        match self.state() {
            St::Known(v) => v.as_str(),
            _ => None,
        }
    }
    /// Elements of a known list (each with its own view).
    pub(super) fn items(&self) -> Vec<V<'a>> {
        match self.state() {
            St::Known(Json::Array(a)) => (0..a.len()).map(|i| self.at(i)).collect(),
            _ => Vec::new(),
        }
    }
    /// The value mapped by `f` as a property.
    pub(super) fn prop(&self, f: impl FnOnce(&Json) -> Option<Value>) -> Option<Prop> {
        match self.state() {
            St::Known(v) => f(v).map(|x| self.known(x)),
            St::Unknown => Some(self.unknown()),
            St::Absent => None,
        }
    }
    pub(super) fn pointer(&self) -> Pointer {
        Pointer::within(&self.base, &self.ptr)
    }
    pub(super) fn known(&self, v: impl Into<Value>) -> Prop {
        Prop::Known { value: shared_value(v.into()), pointer: self.pointer() }
    }
    pub(super) fn unknown(&self) -> Prop {
        Prop::unknown(UNKNOWN, self.pointer())
    }
}

/// A number as JSON: integral values as integers.
pub(super) fn num(f: f64) -> Value {
    if f.fract() == 0.0 && f.abs() < 9.0e15 {
        Value::from(f as i64)
    } else {
        serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)
    }
}

pub(super) fn bool_of(v: &Json) -> Option<Value> {
    match v {
        Json::String(s) if s.trim() == "1" => Some(Value::Bool(true)),
        Json::String(s) if s.trim() == "0" => Some(Value::Bool(false)),
        _ => loose_bool(v).map(Value::Bool),
    }
}
pub(super) fn num_of(v: &Json) -> Option<Value> {
    loose_f64(v).map(num)
}
pub(super) fn str_of(v: &Json) -> Option<Value> {
    v.as_str().map(|s| Value::String(s.to_string()))
}
pub(super) fn non_empty(v: &Json) -> bool {
    match v {
        Json::Array(a) => !a.is_empty(),
        Json::Object(o) => !o.is_empty(),
        Json::String(s) => !s.trim().is_empty(),
        Json::Null => false,
        _ => true,
    }
}

/// Set properties on a resource being mapped.
pub(super) struct Out<'r> {
    pub(super) r: &'r mut Resource,
}

impl Out<'_> {
    pub(super) fn put(&mut self, name: &str, p: Option<Prop>) {
        if let Some(p) = p {
            self.r.props.insert(name, p);
        }
    }
    pub(super) fn bool(&mut self, name: &str, v: &V) {
        self.put(name, v.prop(bool_of));
    }
    /// A boolean whose provider default applies when the attribute is absent.
    pub(super) fn bool_or(&mut self, name: &str, v: &V, default: bool) {
        let p = v.prop(bool_of).unwrap_or_else(|| v.known(default));
        self.put(name, Some(p));
    }
    pub(super) fn num(&mut self, name: &str, v: &V) {
        self.put(name, v.prop(num_of));
    }
    pub(super) fn str(&mut self, name: &str, v: &V) {
        self.put(name, v.prop(str_of));
    }
    /// `true` when a list/block is non-empty, `false` when known empty.
    pub(super) fn present(&mut self, name: &str, v: &V) {
        let p = match v.state() {
            St::Known(x) => Some(v.known(non_empty(x))),
            St::Unknown => Some(v.unknown()),
            St::Absent => Some(v.known(false)),
        };
        self.put(name, p);
    }
    pub(super) fn set(&mut self, name: &str, value: impl Into<Value>, pointer: &str) {
        self.r.set(name, value, pointer);
    }
    /// `name` as the provider default `id` gives it (`ingest::defaults`),
    /// pointing at `at`, where the setting would be.
    pub(super) fn default(&mut self, id: &str, name: &str, at: &V) {
        // An attribute the document leaves out entirely has no place of its
        // own: the evidence points at the resource.
        let pointer = if at.val.is_some() { at.pointer() } else { at.base.clone() };
        self.put(name, dflt::prop(id, name, pointer));
    }
}

// ---------------------------------------------------------------------------
// Step 2: map each resource; step 3: join.

/// What each resource needs to be mapped.
pub(super) struct Src<'a> {
    pub(super) v: V<'a>,
    pub(super) cfg: Option<&'a Value>,
    pub(super) has_config: bool,
    /// Created by the plan (see `Raw::new`).
    pub(super) new: bool,
}

impl Src<'_> {
    /// Does the plan leave this attribute to the provider? True for a
    /// resource the plan creates when the attribute is absent, or only known
    /// after apply without the configuration setting it (a computed
    /// attribute: what the provider will choose, i.e. its default).
    pub(super) fn left_to_provider(&self, v: &V, path: &[&str]) -> bool {
        self.new
            && match v.state() {
                St::Absent => true,
                St::Known(x) => !non_empty(x) && !matches!(x, Json::Bool(_)),
                St::Unknown => self.has_config && !configured(self.cfg, path),
            }
    }
    /// A key id attribute → `"customer"`/`"provider"`. An unknown id the
    /// configuration sets is a key made in this configuration (customer); an
    /// unknown id it does not set is the computed default (provider key).
    pub(super) fn key_kind(&self, v: &V, path: &[&str]) -> Option<Prop> {
        match v.state() {
            St::Known(Json::String(s)) if !s.trim().is_empty() => {
                let provider_key = s.contains("alias/aws/");
                Some(v.known(if provider_key { "provider" } else { "customer" }))
            }
            St::Known(_) | St::Absent => Some(v.known("provider")),
            St::Unknown if configured(self.cfg, path) => Some(v.known("customer")),
            St::Unknown if self.has_config => Some(v.known("provider")),
            St::Unknown => Some(v.unknown()),
        }
    }
    /// An attribute that is set (non-empty) → bool. Known after apply counts as
    /// set when the configuration sets it, as unset when the configuration
    /// (present) does not, and stays unknown when there is no configuration.
    pub(super) fn is_set(&self, v: &V, path: &[&str]) -> Prop {
        match v.state() {
            St::Known(x) => v.known(non_empty(x)),
            St::Absent => v.known(false),
            St::Unknown if configured(self.cfg, path) => v.known(true),
            // Not set in the configuration: a computed default, i.e. not set by the user.
            St::Unknown if self.has_config => v.known(false),
            St::Unknown => v.unknown(),
        }
    }
}
