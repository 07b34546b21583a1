//! Accuracy on the shared sets (`emails-dev.jsonl`, and the second author's
//! `emails-extra.jsonl`), with per-label precision and recall printed. Runs
//! the pure classifier with no tier 2, as `baton eval emails` does: the
//! rules alone (what the skill falls back to without its model) and the
//! rules with the shipped model (`data/model.json`). The sets are vendored
//! in the repository (`tests/data/shared/eval/`, sources in its SOURCES.md).

use baton_sdk::Value;
use classify_email_intent::classify::{Email, Intent, Relationship, classify};
use classify_email_intent::judge;
use std::collections::BTreeMap;
use textmodel::Model;

fn set(name: &str) -> String {
    let path = format!(
        "{}/../../tests/data/shared/eval/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn shipped_model() -> Model {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/data/model.json");
    judge::load(path).unwrap_or_else(|e| panic!("{e}"))
}

/// Accuracy on one set, printing misses and per-label figures.
fn accuracy(name: &str, model: Option<&Model>) -> f64 {
    let text = set(name);
    let headers = BTreeMap::new();
    let mut confusion: BTreeMap<(Intent, Intent), u32> = BTreeMap::new();
    let mut total = 0;
    let mut right = 0;
    for line in text.lines() {
        let row: Value = serde_json::from_str(line).expect("json line");
        let field = |k: &str| row[k].as_str().unwrap_or_default();
        let gold = Intent::parse(field("label")).expect("known label");
        let email = Email {
            subject: field("subject"),
            body: field("body"),
            headers: &headers,
        };
        let c = classify(&email, Relationship::Unknown);
        let c = match model {
            Some(m) => judge::decide(m, &email, c, Relationship::Unknown),
            None => c,
        };
        total += 1;
        if c.intent == gold {
            right += 1;
        } else {
            println!(
                "MISS {} gold={} got={} {:?}",
                field("id"),
                gold.as_str(),
                c.intent.as_str(),
                c.reasons
            );
        }
        *confusion.entry((gold, c.intent)).or_default() += 1;
    }
    for label in Intent::ALL {
        let tp = confusion.get(&(label, label)).copied().unwrap_or(0);
        let predicted: u32 = confusion
            .iter()
            .filter(|((_, p), _)| *p == label)
            .map(|(_, n)| n)
            .sum();
        let gold: u32 = confusion
            .iter()
            .filter(|((g, _), _)| *g == label)
            .map(|(_, n)| n)
            .sum();
        let ratio = |a: u32, b: u32| {
            if b == 0 {
                0.0
            } else {
                f64::from(a) / f64::from(b)
            }
        };
        println!(
            "{:<18} P={:.2} R={:.2}",
            label.as_str(),
            ratio(tp, predicted),
            ratio(tp, gold)
        );
    }
    let accuracy = f64::from(right) / f64::from(total);
    println!("{name}: accuracy {right}/{total} = {accuracy:.3}");
    accuracy
}

/// The rules alone, the fallback without a model, still pass the dev set.
#[test]
fn dev_set_accuracy_is_at_least_ninety_percent() {
    let a = accuracy("emails-dev.jsonl", None);
    assert!(a >= 0.90, "accuracy {a:.3} < 0.90");
}

/// With the shipped model (trained on both sets), both sets score high.
/// The unseen-author figures are `cargo xtask train --report`.
#[test]
fn with_the_model_both_sets_score_at_least_ninety_five_percent() {
    let model = shipped_model();
    for name in ["emails-dev.jsonl", "emails-extra.jsonl"] {
        let a = accuracy(name, Some(&model));
        assert!(a >= 0.95, "{name}: accuracy {a:.3} < 0.95");
    }
}
