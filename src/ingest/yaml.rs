//! YAML → JSON values with budgets: a bounded number of nodes (alias
//! expansion counted, so "billion laughs" documents are refused), bounded
//! depth, CloudFormation short-form tags (`!Ref x` → `{"Ref": "x"}`), merge
//! keys, and the line of every node near the top (for source pointers).

use super::{IngestError, Limits};
use serde_json::{Map, Number, Value};
use std::collections::{BTreeMap, HashMap};
use yaml_rust2::parser::{Event, Parser, Tag};
use yaml_rust2::scanner::TScalarStyle;

/// One YAML document.
#[derive(Debug, Clone, PartialEq)]
pub struct YamlDoc {
    /// Its JSON equivalent.
    pub value: Value,
    /// 1-based line of nodes up to depth 4, by JSON pointer within the document.
    pub lines: BTreeMap<String, u32>,
}

enum Frame {
    Seq { items: Vec<Value>, anchor: usize, tag: Option<Tag>, pointer: String, nodes: usize },
    Map { map: Map<String, Value>, key: Option<String>, key_line: u32, anchor: usize, tag: Option<Tag>, pointer: String, nodes: usize },
}

/// Parse every document of a YAML stream.
pub fn load(text: &str, limits: &Limits) -> Result<Vec<YamlDoc>, IngestError> {
    let budget = limits.max_yaml_nodes;
    let mut parser = Parser::new_from_str(text);
    let mut docs = Vec::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut anchors: HashMap<usize, (Value, usize)> = HashMap::new();
    let mut lines = BTreeMap::new();
    let mut total = 0usize;
    let mut root: Option<Value> = None;
    loop {
        let (event, mark) = parser.next_token().map_err(|e| IngestError::Syntax {
            format: "YAML",
            line: e.marker().line() as u64,
            column: e.marker().col() as u64 + 1,
            message: e.info().to_string(),
        })?;
        let line = mark.line() as u32;
        // The pointer of the node this event starts, if it is a value.
        let child_pointer = |stack: &Vec<Frame>| -> String {
            match stack.last() {
                None => String::new(),
                Some(Frame::Seq { items, pointer, .. }) => format!("{pointer}/{}", items.len()),
                Some(Frame::Map { key, pointer, .. }) => {
                    format!("{pointer}/{}", crate::inventory::pointer_token(key.as_deref().unwrap_or("")))
                }
            }
        };
        let mut finished: Option<(Value, usize, usize, Option<Tag>)> = None; // value, nodes, anchor, tag
        let is_seq = matches!(event, Event::SequenceStart(..));
        match event {
            Event::StreamEnd => break,
            Event::StreamStart | Event::Nothing => {}
            Event::DocumentStart => {
                lines = BTreeMap::new();
                root = None;
            }
            Event::DocumentEnd => {
                docs.push(YamlDoc { value: root.take().unwrap_or(Value::Null), lines: std::mem::take(&mut lines) });
                anchors.clear();
            }
            Event::Alias(id) => {
                let (v, n) = anchors.get(&id).cloned().ok_or_else(|| IngestError::Syntax {
                    format: "YAML",
                    line: line as u64,
                    column: mark.col() as u64 + 1,
                    message: "alias to an unknown anchor".into(),
                })?;
                total = total.saturating_add(n);
                if total > budget {
                    return Err(alias_bomb(budget));
                }
                finished = Some((v, n, 0, None));
            }
            Event::Scalar(s, style, anchor, tag) => {
                total += 1;
                if total > budget {
                    return Err(alias_bomb(budget));
                }
                let v = scalar(s, style, tag.as_ref());
                finished = Some((v, 1, anchor, tag));
            }
            Event::SequenceStart(anchor, tag) | Event::MappingStart(anchor, tag) => {
                if stack.len() >= limits.max_depth {
                    return Err(IngestError::TooDeep { limit: limits.max_depth, line: line as u64 });
                }
                let pointer = child_pointer(&stack);
                if stack.len() <= 4 {
                    // A mapping value starts where its key is written.
                    let at = match stack.last() {
                        Some(Frame::Map { key_line, .. }) => *key_line,
                        _ => line,
                    };
                    lines.insert(pointer.clone(), at);
                }
                total += 1;
                if total > budget {
                    return Err(alias_bomb(budget));
                }
                stack.push(if is_seq {
                    Frame::Seq { items: Vec::new(), anchor, tag, pointer, nodes: 1 }
                } else {
                    Frame::Map { map: Map::new(), key: None, key_line: line, anchor, tag, pointer, nodes: 1 }
                });
            }
            Event::SequenceEnd | Event::MappingEnd => match stack.pop() {
                Some(Frame::Seq { items, anchor, tag, nodes, .. }) => finished = Some((Value::Array(items), nodes, anchor, tag)),
                Some(Frame::Map { map, anchor, tag, nodes, .. }) => finished = Some((Value::Object(map), nodes, anchor, tag)),
                None => {}
            },
        }
        if let Some((mut value, nodes, anchor, tag)) = finished {
            if let Some(t) = &tag {
                value = apply_tag(t, value);
            }
            if anchor > 0 {
                anchors.insert(anchor, (value.clone(), nodes));
            }
            match stack.last_mut() {
                None => root = Some(value),
                Some(Frame::Seq { items, nodes: n, .. }) => {
                    *n += nodes;
                    items.push(value);
                }
                Some(Frame::Map { map, key, key_line, nodes: n, .. }) => {
                    *n += nodes;
                    match key.take() {
                        None => {
                            *key = Some(key_string(value));
                            *key_line = line;
                        }
                        Some(k) if k == "<<" => merge(map, value),
                        Some(k) => {
                            map.insert(k, value);
                        }
                    }
                }
            }
        }
    }
    Ok(docs)
}

fn alias_bomb(budget: usize) -> IngestError {
    IngestError::TooComplex(format!(
        "the YAML expands to more than {budget} nodes (aliases included); this looks like an alias bomb or an unusually large document"
    ))
}

/// A mapping key as text. A mapping or sequence used as a key (legal YAML,
/// meaningless in the formats read here) becomes a fixed text: written out
/// as JSON, nested ones would double their escapes at every level (found by
/// fuzzing: 875 bytes took minutes).
fn key_string(v: Value) -> String {
    match v {
        Value::String(s) => s,
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::Array(_) => "[sequence key]".into(),
        Value::Object(_) => "[mapping key]".into(),
    }
}

fn merge(map: &mut Map<String, Value>, value: Value) {
    let sources = match value {
        Value::Object(o) => vec![o],
        Value::Array(a) => a.into_iter().filter_map(|v| if let Value::Object(o) = v { Some(o) } else { None }).collect(),
        _ => Vec::new(),
    };
    for src in sources {
        for (k, v) in src {
            map.entry(k).or_insert(v);
        }
    }
}

fn scalar(s: String, style: TScalarStyle, tag: Option<&Tag>) -> Value {
    if let Some(t) = tag {
        if t.handle == "tag:yaml.org,2002:" || t.handle == "!!" {
            return match t.suffix.as_str() {
                "str" => Value::String(s),
                "int" | "float" => plain_number(&s).unwrap_or(Value::String(s)),
                "bool" => plain_bool(&s).map(Value::Bool).unwrap_or(Value::String(s)),
                "null" => Value::Null,
                _ => Value::String(s),
            };
        }
    }
    if style != TScalarStyle::Plain {
        return Value::String(s);
    }
    match s.as_str() {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        _ => {}
    }
    if let Some(b) = plain_bool(&s) {
        return Value::Bool(b);
    }
    plain_number(&s).unwrap_or(Value::String(s))
}

fn plain_bool(s: &str) -> Option<bool> {
    match s {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

fn plain_number(s: &str) -> Option<Value> {
    let t = s.trim();
    let first = t.bytes().next()?;
    if !(first.is_ascii_digit() || first == b'-' || first == b'+' || first == b'.') {
        return None;
    }
    if let Some(hex) = t.strip_prefix("0x") {
        return i64::from_str_radix(hex, 16).ok().map(Value::from);
    }
    if let Some(oct) = t.strip_prefix("0o") {
        return i64::from_str_radix(oct, 8).ok().map(Value::from);
    }
    if let Ok(i) = t.parse::<i64>() {
        return Some(Value::from(i));
    }
    if t.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E')) {
        return t.parse::<f64>().ok().and_then(Number::from_f64).map(Value::Number);
    }
    None
}

/// CloudFormation short-form intrinsic functions → their long JSON form.
fn apply_tag(tag: &Tag, value: Value) -> Value {
    if tag.handle != "!" {
        return value;
    }
    let name = tag.suffix.as_str();
    match name {
        "Ref" => single("Ref", value),
        "Condition" => single("Condition", value),
        "GetAtt" => match value {
            Value::String(s) => match s.split_once('.') {
                Some((a, b)) => single("Fn::GetAtt", Value::Array(vec![a.into(), b.into()])),
                None => single("Fn::GetAtt", Value::Array(vec![s.into()])),
            },
            other => single("Fn::GetAtt", other),
        },
        "Sub" | "Join" | "Select" | "Split" | "FindInMap" | "If" | "Equals" | "And" | "Or" | "Not" | "Base64"
        | "Cidr" | "GetAZs" | "ImportValue" | "Transform" | "Length" | "ToJsonString" => {
            single(&format!("Fn::{name}"), value)
        }
        _ => value,
    }
}

fn single(key: &str, value: Value) -> Value {
    let mut m = Map::new();
    m.insert(key.to_string(), value);
    Value::Object(m)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn one(text: &str) -> Value {
        let docs = load(text, &Limits::default()).unwrap();
        docs.into_iter().next().unwrap().value
    }

    #[test]
    fn scalars_follow_the_core_schema() {
        assert_eq!(
            one("a: 1\nb: true\nc: '1'\nd: ~\ne: 1.5\nf: hello\ng: \"true\"\nh: 0x1F\n"),
            json!({"a": 1, "b": true, "c": "1", "d": null, "e": 1.5, "f": "hello", "g": "true", "h": 31})
        );
    }

    #[test]
    fn complex_keys_are_fixed_texts() {
        assert_eq!(one("? [a, b]\n: 1\n? {k: v}\n: 2\n3: x\ntrue: y\n"), json!({"[sequence key]": 1, "[mapping key]": 2, "3": "x", "true": "y"}));
        // Keys nested 60 deep: written out as JSON they would double in size at each level.
        let deep = format!("{}a{}: 1\n", "{".repeat(60), ": 1}".repeat(60));
        assert_eq!(one(&deep), json!({"[mapping key]": 1}));
    }

    #[test]
    fn multi_document_and_lines() {
        let docs = load("a: 1\n---\nkind: Pod\nspec:\n  x: [1, 2]\n", &Limits::default()).unwrap();
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[1].value, json!({"kind": "Pod", "spec": {"x": [1, 2]}}));
        assert_eq!(docs[1].lines.get("/spec"), Some(&4));
    }

    #[test]
    fn cloudformation_short_forms() {
        let v = one("A: !Ref P\nB: !GetAtt R.Arn\nC: !Sub 'x-${AWS::Region}'\nD: !Join [',', [a, b]]\n");
        assert_eq!(v, json!({
            "A": {"Ref": "P"},
            "B": {"Fn::GetAtt": ["R", "Arn"]},
            "C": {"Fn::Sub": "x-${AWS::Region}"},
            "D": {"Fn::Join": [",", ["a", "b"]]}
        }));
    }

    #[test]
    fn anchors_aliases_and_merge_keys() {
        let v = one("base: &b {x: 1, y: 2}\nother:\n  <<: *b\n  y: 3\nlist: [*b]\n");
        assert_eq!(v["other"], json!({"x": 1, "y": 3}));
        assert_eq!(v["list"][0], json!({"x": 1, "y": 2}));
    }

    #[test]
    fn alias_bombs_and_deep_nesting_are_refused() {
        let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 0..12 {
            let prev = if i == 0 { "a".to_string() } else { format!("l{}", i - 1) };
            bomb.push_str(&format!("l{i}: &l{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
        }
        assert!(matches!(load(&bomb, &Limits::default()), Err(IngestError::TooComplex(_))));
        let deep = "[".repeat(10_000);
        assert!(matches!(load(&deep, &Limits::default()), Err(IngestError::TooDeep { .. }) | Err(IngestError::Syntax { .. })));
    }

    #[test]
    fn syntax_errors_have_a_line() {
        match load("a: [1, 2\nb: }", &Limits::default()) {
            Err(IngestError::Syntax { line, .. }) => assert!(line >= 1),
            other => panic!("{other:?}"),
        }
    }
}
