//! Accuracy on the shared dev set (`emails-dev.jsonl`), with per-label
//! precision and recall printed. Runs the pure classifier with no tier 2,
//! as `baton eval emails` does. The set is vendored in the repository
//! (`tests/data/shared/eval/`, sources in its SOURCES.md).

use baton_sdk::Value;
use classify_email_intent::classify::{Email, Intent, Relationship, classify};
use std::collections::BTreeMap;

#[test]
fn dev_set_accuracy_is_at_least_ninety_percent() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/data/shared/eval/emails-dev.jsonl"
    );
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let headers = BTreeMap::new();
    let mut confusion: BTreeMap<(Intent, Intent), u32> = BTreeMap::new();
    let mut total = 0;
    let mut right = 0;
    for line in text.lines() {
        let row: Value = serde_json::from_str(line).expect("json line");
        let field = |k: &str| row[k].as_str().unwrap_or_default();
        let gold = Intent::parse(field("label")).expect("known label");
        let c = classify(
            &Email {
                subject: field("subject"),
                body: field("body"),
                headers: &headers,
            },
            Relationship::Unknown,
        );
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
    println!("accuracy {right}/{total} = {accuracy:.3}");
    assert!(accuracy >= 0.90, "accuracy {accuracy:.3} < 0.90");
}
