//! How far one draft is from another: the measure of an edit (how far a
//! rep's edit moved a draft) and of a candidate version against a rep's
//! decision (`baton skill replay --against-decisions`). A draft is what an
//! edit replaces: a gate's (or an output's) first action's payload, or its
//! data when it proposes no action.

use serde_json::Value;

/// The draft a gate body or a skill output (`{data, actions}`) shows.
pub fn draft(shown: &Value) -> &Value {
    match shown["actions"].get(0) {
        Some(a) => &a["payload"],
        None => &shown["data"],
    }
}

/// The word-level edit distance (Levenshtein, `strsim`) between the texts
/// of `a` and `b`, over the longer one's words: 0 the same words, 1 all
/// different. A value's text is every string in it, in order.
pub fn distance(a: &Value, b: &Value) -> f64 {
    let (before, after) = (words(a), words(b));
    let longest = before.len().max(after.len());
    if longest == 0 {
        return 0.0;
    }
    let moved = strsim::generic_levenshtein::<Vec<&str>, Vec<&str>, _, _>(&before, &after);
    moved as f64 / longest as f64
}

/// The words of every text in `v`, in order.
fn words(v: &Value) -> Vec<&str> {
    match v {
        Value::String(s) => s.split_whitespace().collect(),
        Value::Array(a) => a.iter().flat_map(words).collect(),
        Value::Object(m) => m.values().flat_map(words).collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_distance_counts_words_over_the_longer_text() {
        let a = json!({ "subject": "Next steps", "body": "Hi Marta, thanks for today." });
        let b = json!({ "subject": "Next steps", "body": "Hi Marta, thanks for the call today." });
        assert!((distance(&a, &b) - 2.0 / 9.0).abs() < 1e-9);
        assert_eq!(distance(&a, &a), 0.0);
        assert_eq!(distance(&json!({}), &json!(null)), 0.0);
        assert_eq!(distance(&json!("a b"), &json!("c d")), 1.0);
    }

    #[test]
    fn a_draft_is_the_first_actions_payload_or_the_data() {
        let with = json!({ "data": { "x": 1 }, "actions": [{ "payload": { "to": "a" } }] });
        assert_eq!(draft(&with), &json!({ "to": "a" }));
        let without = json!({ "data": { "x": 1 }, "actions": [] });
        assert_eq!(draft(&without), &json!({ "x": 1 }));
    }
}
