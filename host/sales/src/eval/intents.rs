//! Intent detection: the labelled utterance format, the transcript input
//! built from it, and per-label precision and recall.

use baton_engine::runtime::{CallInput, EventInput, SkillOutput};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// The nine labels, in the order of the labelling rules.
pub use baton_types::labels::INTENT_LABELS as LABELS;

/// One labelled utterance.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Example {
    pub id: String,
    pub speaker: String,
    pub text: String,
    pub labels: Vec<String>,
}

pub use super::ParseError;

/// Parse JSON Lines; every line must be an [`Example`] with known labels and
/// a `rep` or `prospect` speaker.
pub fn parse_jsonl(text: &str) -> Result<Vec<Example>, ParseError> {
    super::parse_jsonl(text, |ex: &Example| {
        if ex.speaker != "rep" && ex.speaker != "prospect" {
            return Err(format!(
                "speaker `{}` is not `rep` or `prospect`",
                ex.speaker
            ));
        }
        match ex.labels.iter().find(|l| !LABELS.contains(&l.as_str())) {
            Some(bad) => Err(format!("unknown label `{bad}`")),
            None => Ok(()),
        }
    })
}

/// All examples as one `meeting_ended` transcript, one utterance each.
pub fn transcript_input(examples: &[Example]) -> CallInput {
    let utterances: Vec<_> = examples
        .iter()
        .map(|e| serde_json::json!({ "speaker": e.speaker, "text": e.text }))
        .collect();
    CallInput {
        event: EventInput {
            id: "eval".into(),
            event_type: "meeting_ended".into(),
            source: "eval".into(),
            org: "eval".into(),
            user: "eval".into(),
            payload: serde_json::json!({ "meeting_id": "eval", "utterances": utterances }).into(),
            chain_depth: 0,
        },
        params: serde_json::json!({}),
        previous: Vec::new(),
    }
}

/// The labels the skill reported for each utterance, by index.
pub fn predictions(output: &SkillOutput, n: usize) -> Result<Vec<BTreeSet<String>>, String> {
    let mut out = vec![BTreeSet::new(); n];
    let intents = output
        .data
        .get("intents")
        .and_then(|v| v.as_array())
        .ok_or("the skill's output has no `intents` array")?;
    for intent in intents {
        let index = intent
            .get("utterance")
            .and_then(|v| v.as_u64())
            .and_then(|i| usize::try_from(i).ok())
            .filter(|i| *i < n)
            .ok_or("an intent has no valid `utterance` index")?;
        let label = intent
            .get("label")
            .and_then(|v| v.as_str())
            .ok_or("an intent has no `label`")?;
        out[index].insert(label.to_owned());
    }
    Ok(out)
}

/// Precision, recall and support of one label.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LabelScore {
    pub precision: f64,
    pub recall: f64,
    pub support: usize,
    #[serde(skip)]
    pub predicted: usize,
}

/// Micro-averaged figures over all labels.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Micro {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

/// The whole evaluation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scores {
    pub labels: BTreeMap<String, LabelScore>,
    pub micro: Micro,
    /// Share of utterances with no gold label that got at least one label.
    pub false_positive_rate: f64,
}

fn ratio(num: usize, den: usize) -> f64 {
    if den == 0 {
        0.0
    } else {
        num as f64 / den as f64
    }
}

/// Score predictions against the gold labels. An undefined ratio (nothing
/// predicted, or no support) counts as 0.
pub fn score(examples: &[Example], predicted: &[BTreeSet<String>]) -> Scores {
    let mut labels = BTreeMap::new();
    let (mut tp_all, mut pred_all, mut gold_all) = (0, 0, 0);
    for label in LABELS {
        let (mut tp, mut pred, mut gold) = (0, 0, 0);
        for (ex, p) in examples.iter().zip(predicted) {
            let is_gold = ex.labels.iter().any(|l| l == label);
            let is_pred = p.contains(label);
            gold += usize::from(is_gold);
            pred += usize::from(is_pred);
            tp += usize::from(is_gold && is_pred);
        }
        tp_all += tp;
        pred_all += pred;
        gold_all += gold;
        labels.insert(
            label.to_owned(),
            LabelScore {
                precision: ratio(tp, pred),
                recall: ratio(tp, gold),
                support: gold,
                predicted: pred,
            },
        );
    }
    let precision = ratio(tp_all, pred_all);
    let recall = ratio(tp_all, gold_all);
    let f1 = if precision + recall == 0.0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    };
    let negatives: Vec<_> = examples
        .iter()
        .zip(predicted)
        .filter(|(ex, _)| ex.labels.is_empty())
        .collect();
    let false_positives = negatives.iter().filter(|(_, p)| !p.is_empty()).count();
    Scores {
        labels,
        micro: Micro {
            precision,
            recall,
            f1,
        },
        false_positive_rate: ratio(false_positives, negatives.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ex(labels: &[&str]) -> Example {
        Example {
            id: "x".into(),
            speaker: "rep".into(),
            text: "t".into(),
            labels: labels.iter().map(|s| s.to_string()).collect(),
        }
    }

    fn set(labels: &[&str]) -> BTreeSet<String> {
        labels.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn scores_per_label_micro_and_false_positives() {
        let gold = vec![
            ex(&["signal:timeline"]),
            ex(&["signal:timeline", "signal:competitive"]),
            ex(&[]),
            ex(&[]),
        ];
        let pred = vec![
            set(&["signal:timeline"]),
            set(&["signal:competitive"]),
            set(&["signal:timeline"]),
            set(&[]),
        ];
        let s = score(&gold, &pred);
        let t = &s.labels["signal:timeline"];
        assert_eq!((t.precision, t.recall, t.support), (0.5, 0.5, 2));
        let c = &s.labels["signal:competitive"];
        assert_eq!((c.precision, c.recall, c.support), (1.0, 1.0, 1));
        assert!((s.micro.precision - 2.0 / 3.0).abs() < 1e-9);
        assert!((s.micro.recall - 2.0 / 3.0).abs() < 1e-9);
        assert_eq!(s.false_positive_rate, 0.5);
    }

    #[test]
    fn rejects_unknown_labels_and_speakers_with_line_numbers() {
        let e =
            parse_jsonl("{\"id\":\"a\",\"speaker\":\"rep\",\"text\":\"t\",\"labels\":[\"nope\"]}")
                .unwrap_err();
        assert_eq!(e.line, 1);
        assert!(e.message.contains("nope"));
        let e = parse_jsonl("\n{\"id\":\"a\",\"speaker\":\"cfo\",\"text\":\"t\",\"labels\":[]}")
            .unwrap_err();
        assert_eq!(e.line, 2);
        assert!(parse_jsonl("").is_err());
        assert!(parse_jsonl("{not json").is_err());
    }
}
