//! A borrowed JSON tree for the parsers' hot paths.
//!
//! `serde_json::Value` owns every string and keeps each object in a B-tree:
//! reading a 100 MB Terraform plan that way spends most of its time
//! allocating and freeing. [`Json`] borrows every string that has no escape
//! from the input text and keeps an object as a list of entries, so an
//! attribute tree costs one allocation per object or array. Its accessors
//! mirror `Value`'s (`get`, `as_str`, `as_array`, …) so mapping code reads the
//! same; [`Json::borrow`] views an existing `Value` the same way, so one
//! mapping serves the streaming and the general path.
//!
//! **Invariant:** reads exactly as `Value` would: of duplicate keys the last
//! counts, and [`Obj::iter`] yields entries sorted by key, as a B-tree map
//! does. Parsing keeps serde_json's depth limit.

use serde::de::{Deserialize, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::{Number, Value};
use std::borrow::Cow;
use std::fmt;

/// A JSON value whose strings borrow from the input where they can.
#[derive(Debug, Clone, PartialEq)]
pub enum Json<'a> {
    /// `null`.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// A number (as serde_json keeps it: integer or float).
    Number(Number),
    /// A string.
    String(Cow<'a, str>),
    /// A list.
    Array(Vec<Json<'a>>),
    /// An object.
    Object(Obj<'a>),
}

/// An object: entries in document order (see the module invariant).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Obj<'a>(Vec<(Cow<'a, str>, Json<'a>)>);

impl<'a> Obj<'a> {
    /// The value of `key` (the last one, if repeated).
    pub fn get(&self, key: &str) -> Option<&Json<'a>> {
        self.0.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v)
    }
    /// Entries sorted by key, each key once (its last value).
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Json<'a>)> {
        let mut entries: Vec<(&str, &Json<'a>)> = Vec::with_capacity(self.0.len());
        for (k, v) in self.0.iter().rev() {
            if !entries.iter().any(|(e, _)| *e == k.as_ref()) {
                entries.push((k.as_ref(), v));
            }
        }
        entries.sort_by(|a, b| a.0.cmp(b.0));
        entries.into_iter()
    }
    /// Number of distinct keys.
    pub fn len(&self) -> usize {
        self.iter().count()
    }
    /// No entries?
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    /// Add an entry (a repeated key's last value counts).
    pub fn push(&mut self, key: Cow<'a, str>, value: Json<'a>) {
        self.0.push((key, value));
    }
}

/// What [`Json::get`] accepts: a key or an index.
pub trait JsonIndex {
    /// The element this names in `v`.
    fn index_into<'v, 'a>(&self, v: &'v Json<'a>) -> Option<&'v Json<'a>>;
}

impl JsonIndex for str {
    fn index_into<'v, 'a>(&self, v: &'v Json<'a>) -> Option<&'v Json<'a>> {
        match v {
            Json::Object(o) => o.get(self),
            _ => None,
        }
    }
}

impl JsonIndex for String {
    fn index_into<'v, 'a>(&self, v: &'v Json<'a>) -> Option<&'v Json<'a>> {
        self.as_str().index_into(v)
    }
}

impl JsonIndex for usize {
    fn index_into<'v, 'a>(&self, v: &'v Json<'a>) -> Option<&'v Json<'a>> {
        match v {
            Json::Array(a) => a.get(*self),
            _ => None,
        }
    }
}

impl<T: JsonIndex + ?Sized> JsonIndex for &T {
    fn index_into<'v, 'a>(&self, v: &'v Json<'a>) -> Option<&'v Json<'a>> {
        (**self).index_into(v)
    }
}

impl<'a> Json<'a> {
    /// A view of `v` (strings borrowed; the tree's lists are rebuilt).
    pub fn borrow(v: &'a Value) -> Json<'a> {
        match v {
            Value::Null => Json::Null,
            Value::Bool(b) => Json::Bool(*b),
            Value::Number(n) => Json::Number(n.clone()),
            Value::String(s) => Json::String(Cow::Borrowed(s)),
            Value::Array(a) => Json::Array(a.iter().map(Json::borrow).collect()),
            Value::Object(m) => Json::Object(Obj(m.iter().map(|(k, v)| (Cow::Borrowed(k.as_str()), Json::borrow(v))).collect())),
        }
    }
    /// An owned tree from a `Value` (its strings moved, not copied).
    pub fn from_value(v: Value) -> Json<'static> {
        match v {
            Value::Null => Json::Null,
            Value::Bool(b) => Json::Bool(b),
            Value::Number(n) => Json::Number(n),
            Value::String(s) => Json::String(Cow::Owned(s)),
            Value::Array(a) => Json::Array(a.into_iter().map(Json::from_value).collect()),
            Value::Object(m) => Json::Object(Obj(m.into_iter().map(|(k, v)| (Cow::Owned(k), Json::from_value(v))).collect())),
        }
    }
    /// The owned `Value` this is.
    pub fn to_value(&self) -> Value {
        match self {
            Json::Null => Value::Null,
            Json::Bool(b) => Value::Bool(*b),
            Json::Number(n) => Value::Number(n.clone()),
            Json::String(s) => Value::String(s.to_string()),
            Json::Array(a) => Value::Array(a.iter().map(Json::to_value).collect()),
            Json::Object(o) => Value::Object(o.0.iter().map(|(k, v)| (k.to_string(), v.to_value())).collect()),
        }
    }
    /// Element by key or index.
    pub fn get<I: JsonIndex>(&self, i: I) -> Option<&Json<'a>> {
        i.index_into(self)
    }
    /// RFC 6901 pointer lookup, as `Value::pointer`.
    pub fn pointer(&self, pointer: &str) -> Option<&Json<'a>> {
        if pointer.is_empty() {
            return Some(self);
        }
        let rest = pointer.strip_prefix('/')?;
        let mut cur = self;
        for token in rest.split('/') {
            let token = token.replace("~1", "/").replace("~0", "~");
            cur = match cur {
                Json::Object(o) => o.get(&token)?,
                Json::Array(a) => {
                    if token.starts_with('+') || (token.len() > 1 && token.starts_with('0')) {
                        return None;
                    }
                    a.get(token.parse::<usize>().ok()?)?
                }
                _ => return None,
            };
        }
        Some(cur)
    }
    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(s) => Some(s),
            _ => None,
        }
    }
    /// The boolean, if this is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Json::Bool(b) => Some(*b),
            _ => None,
        }
    }
    /// The number as f64, if this is one.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Json::Number(n) => n.as_f64(),
            _ => None,
        }
    }
    /// The number as i64, if it is one that fits.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Json::Number(n) => n.as_i64(),
            _ => None,
        }
    }
    /// The number as u64, if it is one that fits.
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Json::Number(n) => n.as_u64(),
            _ => None,
        }
    }
    /// The list, if this is one.
    pub fn as_array(&self) -> Option<&Vec<Json<'a>>> {
        match self {
            Json::Array(a) => Some(a),
            _ => None,
        }
    }
    /// The object, if this is one.
    pub fn as_object(&self) -> Option<&Obj<'a>> {
        match self {
            Json::Object(o) => Some(o),
            _ => None,
        }
    }
    /// `null`?
    pub fn is_null(&self) -> bool {
        matches!(self, Json::Null)
    }
    /// An object?
    pub fn is_object(&self) -> bool {
        matches!(self, Json::Object(_))
    }
    /// A list?
    pub fn is_array(&self) -> bool {
        matches!(self, Json::Array(_))
    }
    /// A string?
    pub fn is_string(&self) -> bool {
        matches!(self, Json::String(_))
    }
}

/// Written as JSON, as `Value`'s `Display` does.
impl fmt::Display for Json<'_> {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        fmt::Display::fmt(&self.to_value(), f)
    }
}

impl<'de> Deserialize<'de> for Json<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(JsonVisitor { keep: None, scratch: &mut Scratch::default() })
    }
}

/// Stacks on which the lists and objects being read collect their elements,
/// so each is allocated once at its exact length (a list or object grown
/// element by element reallocates several times). Reuse one for many values.
#[derive(Default)]
pub(crate) struct Scratch<'de> {
    entries: Vec<(Cow<'de, str>, Json<'de>)>,
    items: Vec<Json<'de>>,
}

/// A value read whole (see [`Scratch`]).
pub(crate) struct Whole<'s, 'de>(pub(crate) &'s mut Scratch<'de>);

impl<'de> DeserializeSeed<'de> for Whole<'_, 'de> {
    type Value = Json<'de>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Json<'de>, D::Error> {
        d.deserialize_any(JsonVisitor { keep: None, scratch: self.0 })
    }
}

/// A value read whole, except that an object at the top keeps only the
/// keys listed (the others are syntax-checked and skipped, unallocated). Of
/// repeated keys the last counts, as always.
pub(crate) struct Keeping<'s, 'de>(pub(crate) &'static [&'static str], pub(crate) &'s mut Scratch<'de>);

impl<'de> DeserializeSeed<'de> for Keeping<'_, 'de> {
    type Value = Json<'de>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Json<'de>, D::Error> {
        d.deserialize_any(JsonVisitor { keep: Some(self.0), scratch: self.1 })
    }
}

struct JsonVisitor<'s, 'de> {
    /// Keys an object keeps (`None`: all).
    keep: Option<&'static [&'static str]>,
    scratch: &'s mut Scratch<'de>,
}

impl<'de> Visitor<'de> for JsonVisitor<'_, 'de> {
    type Value = Json<'de>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, b: bool) -> Result<Json<'de>, E> {
        Ok(Json::Bool(b))
    }
    fn visit_i64<E>(self, n: i64) -> Result<Json<'de>, E> {
        Ok(Json::Number(n.into()))
    }
    fn visit_u64<E>(self, n: u64) -> Result<Json<'de>, E> {
        Ok(Json::Number(n.into()))
    }
    fn visit_f64<E>(self, n: f64) -> Result<Json<'de>, E> {
        Ok(Number::from_f64(n).map_or(Json::Null, Json::Number))
    }
    fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Json<'de>, E> {
        Ok(Json::String(Cow::Borrowed(s)))
    }
    fn visit_str<E>(self, s: &str) -> Result<Json<'de>, E> {
        Ok(Json::String(Cow::Owned(s.to_string())))
    }
    fn visit_string<E>(self, s: String) -> Result<Json<'de>, E> {
        Ok(Json::String(Cow::Owned(s)))
    }
    fn visit_unit<E>(self) -> Result<Json<'de>, E> {
        Ok(Json::Null)
    }
    fn visit_none<E>(self) -> Result<Json<'de>, E> {
        Ok(Json::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json<'de>, A::Error> {
        let scratch = self.scratch;
        let mark = scratch.items.len();
        let mut read = || -> Result<(), A::Error> {
            while let Some(v) = seq.next_element_seed(Whole(&mut *scratch))? {
                scratch.items.push(v);
            }
            Ok(())
        };
        let done = read();
        // On an error, this list's elements are dropped with the rest.
        let out: Vec<Json<'de>> = scratch.items.drain(mark..).collect();
        done.map(|()| Json::Array(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json<'de>, A::Error> {
        let scratch = self.scratch;
        let mark = scratch.entries.len();
        let keep = self.keep;
        let mut read = || -> Result<(), A::Error> {
            match keep {
                None => {
                    while let Some(k) = map.next_key_seed(Key)? {
                        let v = map.next_value_seed(Whole(&mut *scratch))?;
                        scratch.entries.push((k, v));
                    }
                }
                Some(keys) => {
                    while let Some(k) = map.next_key_seed(KnownKey(keys))? {
                        match k {
                            Some(k) => {
                                let v = map.next_value_seed(Whole(&mut *scratch))?;
                                scratch.entries.push((Cow::Borrowed(k), v));
                            }
                            None => {
                                map.next_value::<IgnoredAny>()?;
                            }
                        }
                    }
                }
            }
            Ok(())
        };
        let done = read();
        let out: Vec<(Cow<'de, str>, Json<'de>)> = scratch.entries.drain(mark..).collect();
        done.map(|()| Json::Object(Obj(out)))
    }
}

/// A map key: one of `names` (without allocating), or `None`.
pub(crate) struct KnownKey(pub(crate) &'static [&'static str]);

impl<'de> DeserializeSeed<'de> for KnownKey {
    type Value = Option<&'static str>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KnownKey {
    type Value = Option<&'static str>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string key")
    }
    fn visit_str<E>(self, s: &str) -> Result<Self::Value, E> {
        Ok(self.0.iter().find(|k| **k == s).copied())
    }
}

/// An object key, borrowed when it has no escape (serde's own `Cow`
/// deserialisation always copies).
struct Key;

impl<'de> DeserializeSeed<'de> for Key {
    type Value = Cow<'de, str>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Key {
    type Value = Cow<'de, str>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string key")
    }
    fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(s))
    }
    fn visit_str<E>(self, s: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(s.to_string()))
    }
    fn visit_string<E>(self, s: String) -> Result<Self::Value, E> {
        Ok(Cow::Owned(s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_as_value_does() {
        let text = r#"{"b":[1,-2,3.5,"x\u0041"],"a":{"k":true,"k":null},"z":"\/"}"#;
        let v: Value = serde_json::from_str(text).unwrap();
        let j: Json = serde_json::from_str(text).unwrap();
        assert_eq!(j.to_value(), v);
        assert_eq!(Json::borrow(&v).to_value(), v);
        assert_eq!(Json::from_value(v.clone()).to_value(), v);
        assert_eq!(j.get("a").and_then(|a| a.get("k")), Some(&Json::Null), "last duplicate wins");
        assert_eq!(j.get("a").and_then(Json::as_object).map(Obj::len), Some(1));
        assert_eq!(j.pointer("/b/3").and_then(Json::as_str), Some("xA"));
        assert_eq!(j.pointer("/b/01"), None);
        assert_eq!(j.get("b").and_then(|b| b.get(1)).and_then(Json::as_i64), Some(-2));
        let keys: Vec<&str> = j.as_object().unwrap().iter().map(|(k, _)| k).collect();
        assert_eq!(keys, ["a", "b", "z"], "sorted like a B-tree map");
        assert_eq!(j.to_string(), v.to_string());
        // Strings without escapes borrow from the text.
        assert!(matches!(j.get("a"), Some(Json::Object(o)) if matches!(o.0.first(), Some((Cow::Borrowed(_), _)))));
    }

    #[test]
    fn keeps_the_depth_limit() {
        let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
        assert!(serde_json::from_str::<Json>(&deep).is_err());
    }
}
