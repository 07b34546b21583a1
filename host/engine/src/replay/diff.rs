//! A structural diff of two outputs: what changed, where (a JSON pointer)
//! and from what to what. Objects are compared key by key; arrays are
//! aligned on their longest common run of equal elements, so an element
//! dropped from the middle of a list shows as one `remove` at its own
//! index, not as every later element shifting. Paths name the place in the
//! live output; an `add`'s names the place in the candidate's.
//!
//! Written here rather than taken from `json-patch`: an RFC 6902 patch is
//! a sequence of edits whose paths each refer to the document as the edits
//! before left it (ten removals at `/intents/0`), which is right for
//! applying and wrong for a person reading where two outputs differ.

use serde::Serialize;
use serde_json::Value;

/// Arrays longer than this are compared index by index (the alignment is
/// quadratic).
const MAX_ALIGNED: usize = 512;

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

/// The changes from `live` to `candidate`; empty when they are equal.
pub fn changes(live: &Value, candidate: &Value) -> Vec<Change> {
    let mut out = Vec::new();
    diff(live, candidate, "", &mut out);
    out
}

fn diff(live: &Value, candidate: &Value, path: &str, out: &mut Vec<Change>) {
    if live == candidate {
        return;
    }
    match (live, candidate) {
        (Value::Object(l), Value::Object(c)) => {
            for (key, lv) in l {
                let at = format!("{path}/{}", escape(key));
                match c.get(key) {
                    Some(cv) => diff(lv, cv, &at, out),
                    None => out.push(remove(at, lv)),
                }
            }
            for (key, cv) in c.iter().filter(|(k, _)| !l.contains_key(*k)) {
                out.push(add(format!("{path}/{}", escape(key)), cv));
            }
        }
        (Value::Array(l), Value::Array(c)) => diff_arrays(l, c, path, out),
        _ => out.push(Change {
            op: "replace",
            path: path.to_owned(),
            live: Some(live.clone()),
            candidate: Some(candidate.clone()),
        }),
    }
}

/// Align `l` and `c` on their longest common subsequence; between two
/// matches, pair the leftovers in order (compared in depth), then remove
/// or add the rest.
fn diff_arrays(l: &[Value], c: &[Value], path: &str, out: &mut Vec<Change>) {
    let matches = if l.len() <= MAX_ALIGNED && c.len() <= MAX_ALIGNED {
        common(l, c)
    } else {
        Vec::new()
    };
    let (mut i, mut j) = (0, 0);
    for (mi, mj) in matches.into_iter().chain([(l.len(), c.len())]) {
        let paired = (mi - i).min(mj - j);
        for k in 0..paired {
            diff(&l[i + k], &c[j + k], &format!("{path}/{}", i + k), out);
        }
        for (k, lv) in l.iter().enumerate().take(mi).skip(i + paired) {
            out.push(remove(format!("{path}/{k}"), lv));
        }
        for (k, cv) in c.iter().enumerate().take(mj).skip(j + paired) {
            out.push(add(format!("{path}/{k}"), cv));
        }
        (i, j) = (mi + 1, mj + 1);
    }
}

/// The index pairs of a longest common subsequence of equal elements.
fn common(l: &[Value], c: &[Value]) -> Vec<(usize, usize)> {
    // len[i][j]: the LCS of l[i..] and c[j..].
    let mut len = vec![vec![0u32; c.len() + 1]; l.len() + 1];
    for i in (0..l.len()).rev() {
        for j in (0..c.len()).rev() {
            len[i][j] = if l[i] == c[j] {
                len[i + 1][j + 1] + 1
            } else {
                len[i + 1][j].max(len[i][j + 1])
            };
        }
    }
    let (mut i, mut j, mut pairs) = (0, 0, Vec::new());
    while i < l.len() && j < c.len() {
        if l[i] == c[j] {
            pairs.push((i, j));
            (i, j) = (i + 1, j + 1);
        } else if len[i + 1][j] >= len[i][j + 1] {
            i += 1;
        } else {
            j += 1;
        }
    }
    pairs
}

fn remove(path: String, live: &Value) -> Change {
    Change {
        op: "remove",
        path,
        live: Some(live.clone()),
        candidate: None,
    }
}

fn add(path: String, candidate: &Value) -> Change {
    Change {
        op: "add",
        path,
        live: None,
        candidate: Some(candidate.clone()),
    }
}

/// A key as a JSON pointer token (RFC 6901).
fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
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
    fn a_dropped_element_is_one_remove_at_its_own_index() {
        let live = json!({ "intents": ["a", "b", "c", "d"], "counts": { "pricing": 4 } });
        let candidate = json!({ "intents": ["a", "c", "d"], "counts": { "pricing": 3 } });
        assert_eq!(
            changes(&live, &candidate),
            vec![
                Change {
                    op: "replace",
                    path: "/counts/pricing".into(),
                    live: Some(json!(4)),
                    candidate: Some(json!(3)),
                },
                remove("/intents/1".into(), &json!("b")),
            ]
        );
    }

    #[test]
    fn every_element_dropped_is_named_by_its_index() {
        let found = changes(&json!([1, 2, 3]), &json!([]));
        let paths: Vec<&str> = found.iter().map(|c| c.path.as_str()).collect();
        assert_eq!(paths, ["/0", "/1", "/2"]);
        assert_eq!(found[2].live, Some(json!(3)));
    }

    #[test]
    fn a_changed_element_is_compared_in_depth_and_an_added_one_is_named() {
        let live = json!([{ "label": "a", "confidence": 0.7 }, { "label": "b" }]);
        let candidate =
            json!([{ "label": "a", "confidence": 0.9 }, { "label": "b" }, { "label": "c" }]);
        assert_eq!(
            changes(&live, &candidate),
            vec![
                Change {
                    op: "replace",
                    path: "/0/confidence".into(),
                    live: Some(json!(0.7)),
                    candidate: Some(json!(0.9)),
                },
                add("/2".into(), &json!({ "label": "c" })),
            ]
        );
    }

    #[test]
    fn keys_are_escaped_and_a_new_key_has_no_live_value() {
        let found = changes(&json!({}), &json!({ "a/b~c": true }));
        assert_eq!(found, vec![add("/a~1b~0c".into(), &json!(true))]);
    }
}
