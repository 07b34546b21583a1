//! A structural diff of two outputs: what changed, where (a JSON pointer)
//! and from what to what. Computed as an RFC 6902 patch by `json-patch`, so
//! a tool can also apply it.

use json_patch::PatchOperation;
use serde::Serialize;
use serde_json::Value;

/// One difference between the live output and the candidate's.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// `add`, `remove` or `replace` (the candidate against the live output).
    pub op: &'static str,
    /// Where, as a JSON pointer (`/data/intents/2/label`).
    pub path: String,
    /// The live output's value there (none for `add`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub live: Option<Value>,
    /// The candidate's value there (none for `remove`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub candidate: Option<Value>,
}

/// The changes that turn `live` into `candidate`; empty when they are equal.
pub fn changes(live: &Value, candidate: &Value) -> Vec<Change> {
    json_patch::diff(live, candidate)
        .0
        .into_iter()
        .filter_map(|op| {
            let (op, path, value) = match op {
                PatchOperation::Add(a) => ("add", a.path, Some(a.value)),
                PatchOperation::Remove(r) => ("remove", r.path, None),
                PatchOperation::Replace(r) => ("replace", r.path, Some(r.value)),
                // `diff` writes only the three above.
                _ => return None,
            };
            let path = path.as_str().to_owned();
            let before = (op != "add")
                .then(|| live.pointer(&path).cloned())
                .flatten();
            Some(Change {
                op,
                path,
                live: before,
                candidate: value,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn equal_outputs_have_no_changes() {
        let v = json!({ "data": { "intents": [{ "label": "pricing" }] }, "actions": [] });
        assert!(changes(&v, &v.clone()).is_empty());
    }

    #[test]
    fn a_dropped_intent_and_a_changed_count_are_named_by_path() {
        let live = json!({ "data": { "intents": ["a", "b"], "counts": { "pricing": 2 } } });
        let candidate = json!({ "data": { "intents": ["a"], "counts": { "pricing": 1 } } });
        let found = changes(&live, &candidate);
        assert!(found.contains(&Change {
            op: "replace",
            path: "/data/counts/pricing".into(),
            live: Some(json!(2)),
            candidate: Some(json!(1)),
        }));
        assert!(found.contains(&Change {
            op: "remove",
            path: "/data/intents/1".into(),
            live: Some(json!("b")),
            candidate: None,
        }));
        assert_eq!(found.len(), 2, "{found:?}");
    }

    #[test]
    fn an_added_field_has_no_live_value() {
        let found = changes(&json!({}), &json!({ "new": true }));
        assert_eq!(
            found,
            vec![Change {
                op: "add",
                path: "/new".into(),
                live: None,
                candidate: Some(json!(true)),
            }]
        );
    }
}
