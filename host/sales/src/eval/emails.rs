//! Email classification: the labelled email format, the `email_received`
//! input built from one email, and accuracy with per-label precision and
//! recall (single label per email).

use super::intents::LabelScore;
use baton_engine::runtime::{CallInput, EventInput, SkillOutput};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::collections::BTreeMap;

pub use super::ParseError;

/// The eight labels, in the order of the precedence rule (highest first).
pub use baton_types::labels::EMAIL_LABELS as LABELS;

/// One labelled email.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Example {
    pub id: String,
    pub from: String,
    pub subject: String,
    pub body: String,
    /// Headers, when the set has them (`Auto-Submitted`, …).
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    pub label: String,
}

/// Parse JSON Lines; every line must be an [`Example`] with a known label.
pub fn parse_jsonl(text: &str) -> Result<Vec<Example>, ParseError> {
    super::parse_jsonl(text, |ex: &Example| {
        if LABELS.contains(&ex.label.as_str()) {
            Ok(())
        } else {
            Err(format!(
                "unknown label `{}` (expected one of {})",
                ex.label,
                LABELS.join(", ")
            ))
        }
    })
}

/// One email as an `email_received` event, as a mailbox webhook delivers it.
pub fn email_input(ex: &Example) -> CallInput {
    let mut payload = json!({
        "message_id": ex.id,
        "from": ex.from,
        "subject": ex.subject,
        "body": ex.body,
    });
    if !ex.headers.is_empty() {
        payload["headers"] = json!(ex.headers);
    }
    CallInput {
        event: EventInput {
            id: format!("eval-{}", ex.id),
            event_type: "email_received".into(),
            source: "eval".into(),
            org: "eval".into(),
            user: "eval".into(),
            payload: payload.into(),
            chain_depth: 0,
        },
        params: json!({}),
        previous: Vec::new(),
    }
}

/// The label the skill gave (`data.intent`).
pub fn prediction(output: &SkillOutput) -> Result<String, String> {
    output
        .data
        .get("intent")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| "the skill's output has no `intent`".into())
}

/// One email the skill got wrong.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Miss {
    pub id: String,
    pub expected: String,
    pub predicted: String,
}

/// The whole evaluation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scores {
    pub accuracy: f64,
    pub labels: BTreeMap<String, LabelScore>,
    #[serde(skip)]
    pub misses: Vec<Miss>,
}

fn ratio(num: usize, den: usize) -> f64 {
    if den == 0 {
        0.0
    } else {
        num as f64 / den as f64
    }
}

/// Score one predicted label per email against the gold labels. An
/// undefined ratio (a label never predicted, or with no support) is 0.
pub fn score(examples: &[Example], predicted: &[String]) -> Scores {
    let labels = LABELS
        .iter()
        .map(|&label| {
            let (mut tp, mut pred, mut gold) = (0, 0, 0);
            for (ex, p) in examples.iter().zip(predicted) {
                let is_gold = ex.label == label;
                let is_pred = p == label;
                gold += usize::from(is_gold);
                pred += usize::from(is_pred);
                tp += usize::from(is_gold && is_pred);
            }
            let s = LabelScore {
                precision: ratio(tp, pred),
                recall: ratio(tp, gold),
                support: gold,
                predicted: pred,
            };
            (label.to_owned(), s)
        })
        .collect();
    let misses: Vec<Miss> = examples
        .iter()
        .zip(predicted)
        .filter(|(ex, p)| ex.label != **p)
        .map(|(ex, p)| Miss {
            id: ex.id.clone(),
            expected: ex.label.clone(),
            predicted: p.clone(),
        })
        .collect();
    Scores {
        accuracy: ratio(examples.len() - misses.len(), examples.len()),
        labels,
        misses,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ex(id: &str, label: &str) -> Example {
        Example {
            id: id.into(),
            from: "a@b.example".into(),
            subject: "s".into(),
            body: "b".into(),
            headers: BTreeMap::new(),
            label: label.into(),
        }
    }

    #[test]
    fn accuracy_precision_and_recall_per_label() {
        let gold = [
            ex("1", "fyi"),
            ex("2", "fyi"),
            ex("3", "unsubscribe"),
            ex("4", "meeting_request"),
        ];
        let pred = ["fyi", "unsubscribe", "unsubscribe", "meeting_request"].map(String::from);
        let s = score(&gold, &pred);
        assert_eq!(s.accuracy, 0.75);
        assert_eq!(s.labels["fyi"].precision, 1.0);
        assert_eq!(s.labels["fyi"].recall, 0.5);
        assert_eq!(s.labels["unsubscribe"].precision, 0.5);
        assert_eq!(s.labels["unsubscribe"].recall, 1.0);
        assert_eq!(s.labels["out_of_office"].support, 0);
        assert_eq!(
            s.misses,
            [Miss {
                id: "2".into(),
                expected: "fyi".into(),
                predicted: "unsubscribe".into()
            }]
        );
        let json = serde_json::to_value(&s).expect("json");
        assert_eq!(
            json["labels"]["fyi"],
            json!({ "precision": 1.0, "recall": 0.5, "support": 2 })
        );
        assert!(json.get("misses").is_none());
    }

    #[test]
    fn bad_lines_are_named() {
        let err = parse_jsonl(
            "{\"id\":\"x\",\"from\":\"a\",\"subject\":\"s\",\"body\":\"b\",\"label\":\"spam\"}",
        )
        .expect_err("unknown label");
        assert!(
            err.to_string().contains("line 1") && err.to_string().contains("spam"),
            "{err}"
        );
        assert!(parse_jsonl("not json").is_err());
        let empty = parse_jsonl("\n").expect_err("no examples");
        assert!(
            empty.to_string().starts_with("holds no cases"),
            "an empty file says so, with no line 0: {empty}"
        );
    }
}
