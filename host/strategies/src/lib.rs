//! Strategies shared by the property tests next to each parser (conditions,
//! sequences, webhooks, signatures). Test code only.

use proptest::prelude::*;
use serde_json::Value;

/// Any JSON value of bounded depth and size: every kind, odd numbers
/// (extremes of `i64`, floats), any printable text and keys.
pub fn json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        "\\PC{0,8}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map("\\PC{0,6}", inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// `doc` with one value somewhere inside it replaced by `with` (the path
/// picked by `at`): a real payload, structurally mutated.
pub fn replace_somewhere(doc: &mut Value, at: &mut impl Iterator<Item = usize>, with: Value) {
    let children = match doc {
        Value::Array(items) => items.len(),
        Value::Object(map) => map.len(),
        _ => 0,
    };
    let pick = at.next().unwrap_or(0);
    // Stop here one time in four, or at a leaf.
    if children == 0 || pick.is_multiple_of(4) {
        *doc = with;
        return;
    }
    let child = match doc {
        Value::Array(items) => items.get_mut(pick % children),
        Value::Object(map) => map.values_mut().nth(pick % children),
        _ => None,
    };
    if let Some(child) = child {
        replace_somewhere(child, at, with);
    }
}

/// A real payload with one value inside replaced by an arbitrary one.
pub fn mutated(real: Value) -> impl Strategy<Value = Value> {
    (prop::collection::vec(any::<usize>(), 1..12), json()).prop_map(move |(path, with)| {
        let mut doc = real.clone();
        replace_somewhere(&mut doc, &mut path.into_iter(), with);
        doc
    })
}
