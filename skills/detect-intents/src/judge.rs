//! The learned component over the rules (`docs/judgement.md`): per label, a
//! logistic regression on the rules' detections and cues, the speaker and
//! the utterance's word and character n-grams decides whether the label
//! applies. The speaker constraints of the labelling rules stay hard rules.
//! The weights are shipped in the skill's data folder (`files` capability);
//! without them the rules decide alone.

use crate::rules::{self, Detection, Label, Reading, Speaker};
use textmodel::{Builder, Model, Sparse};

/// Where the model file is inside the sandbox.
pub const MODEL_PATH: &str = "/data/model.json";

/// Which method decided.
pub const RULES: &str = "rules";
pub const RULES_AND_MODEL: &str = "rules+model";

/// A label found by the model where the rules found nothing is reported at
/// a confidence in `[0.6, 0.75]`, under the default follow-up threshold
/// (0.8): it is shown to the rep but queues nothing on its own.
const MODEL_ONLY_CONFIDENCE: (f32, f32) = (0.6, 0.75);

/// Whether `label` can apply to what `speaker` says (the "Who" column of
/// the labelling rules).
pub fn allowed(label: Label, speaker: Speaker) -> bool {
    match label {
        Label::SendProposal => speaker == Speaker::Rep,
        Label::ScheduleMeeting => true,
        _ => speaker == Speaker::Prospect,
    }
}

/// Reads the shipped model; the reason when there is none.
pub fn load(path: &str) -> Result<Model, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("no model at {path}: {e}"))?;
    Model::from_json(&text).map_err(|e| format!("{path}: {e}"))
}

/// One utterance's features: the rules' cues (lexicon hits, clause flags,
/// date kinds), the speaker, and the text's n-grams. The rules' detections
/// themselves are left out: trained on a set the rules were written
/// against, a model given them only learns to copy them
/// (`docs/judgement.md`).
pub fn features(bits: u32, speaker: Speaker, text: &str) -> Sparse {
    features_in(bits, speaker, &Reading::new(text))
}

/// [`features`] of an utterance the rules already read.
fn features_in(bits: u32, speaker: Speaker, reading: &Reading) -> Sparse {
    let mut b = Builder::new(bits);
    b.cue(
        match speaker {
            Speaker::Rep => "speaker:rep",
            Speaker::Prospect => "speaker:prospect",
        },
        1.0,
    );
    for c in rules::cues_in(reading) {
        b.cue(&c, 1.0);
    }
    b.text("u", reading.text());
    b.finish()
}

/// The labels of one utterance: the rules' detections, and with a model
/// the labels it adds (it never removes one; see [`decide`]).
pub fn detect(model: Option<&Model>, speaker: Speaker, text: &str) -> Vec<Detection> {
    // Read once: the rules and the model's cues share the analysis.
    let reading = Reading::new(text);
    let found = rules::detect_in(&reading, speaker);
    match model {
        Some(m) => decide_in(m, speaker, &reading, found),
        None => found,
    }
}

/// Labels that contradict each other: the model adds neither when the
/// rules found the other.
fn contradicts(a: Label, b: Label) -> bool {
    matches!(
        (a, b),
        (Label::BuyingPositive, Label::BuyingNegative)
            | (Label::BuyingNegative, Label::BuyingPositive)
    )
}

/// The rules' detections `found`, plus each allowed label whose probability
/// clears its threshold. An added label quotes the utterance, at a
/// confidence under the follow-up threshold.
pub fn decide(
    model: &Model,
    speaker: Speaker,
    text: &str,
    found: Vec<Detection>,
) -> Vec<Detection> {
    decide_in(model, speaker, &Reading::new(text), found)
}

/// [`decide`] on an utterance the rules already read.
fn decide_in(
    model: &Model,
    speaker: Speaker,
    reading: &Reading,
    mut found: Vec<Detection>,
) -> Vec<Detection> {
    let text = reading.text();
    // No label the model may add here: the rules' answer, with no vector
    // built (most of the model's cost).
    let ruled: Vec<Label> = found.iter().map(|d| d.label).collect();
    let open = Label::ALL.into_iter().any(|label| {
        allowed(label, speaker)
            && !ruled.contains(&label)
            && model.label(label.as_str()).is_some_and(|(_, lm)| lm.gate)
    });
    if !open {
        return found;
    }
    let x = features_in(model.bits, speaker, reading);
    let probabilities = model.probabilities(&x);
    let mut added: Vec<(Label, f32)> = Vec::new();
    for label in Label::ALL {
        if !allowed(label, speaker)
            || ruled.contains(&label)
            || ruled.iter().any(|r| contradicts(*r, label))
        {
            continue;
        }
        // A label whose gate training left shut stays the rules' alone.
        let Some((k, lm)) = model.label(label.as_str()).filter(|(_, lm)| lm.gate) else {
            continue;
        };
        let p = probabilities.get(k).copied().unwrap_or(0.0);
        if p >= lm.threshold {
            let over = ((p - lm.threshold) / (1.0 - lm.threshold).max(1e-3)).clamp(0.0, 1.0);
            added.push((label, over));
        }
    }
    // Of two contradicting labels the model found, the surer one.
    let kept: Vec<(Label, f32)> = added
        .iter()
        .filter(|(l, over)| {
            !added
                .iter()
                .any(|(o, o_over)| contradicts(*l, *o) && o_over > over)
        })
        .copied()
        .collect();
    let (lo, hi) = MODEL_ONLY_CONFIDENCE;
    found.extend(kept.into_iter().map(|(label, over)| Detection {
        label,
        phrase: text.trim().to_owned(),
        confidence: lo + (hi - lo) * over,
    }));
    found.sort_by_key(|d| d.label);
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use baton_sdk::hash::Fnv;
    use std::hash::Hasher;
    use textmodel::serde_json::{self, Value};

    /// The demo call's feature vectors, and what the shipped model makes of
    /// them, bit for bit: a change meant to be only faster must leave both
    /// digests as they are. (Retraining the model changes the second.)
    #[test]
    fn the_demo_calls_vectors_and_verdicts_stay_the_same() {
        let model = load(concat!(env!("CARGO_MANIFEST_DIR"), "/data/model.json")).expect("model");
        let call: Value =
            serde_json::from_str(include_str!("../../../examples/events/meeting_ended.json"))
                .expect("json");
        let (mut vectors, mut verdicts) = (Fnv::default(), Fnv::default());
        let mut found = 0;
        for u in call["utterances"].as_array().expect("utterances") {
            let speaker = u["speaker"]
                .as_str()
                .and_then(Speaker::parse)
                .expect("speaker");
            let text = u["text"].as_str().expect("text");
            let x = features(model.bits, speaker, text);
            for (slot, value) in &x {
                vectors.write(&slot.to_le_bytes());
                vectors.write(&value.to_bits().to_le_bytes());
            }
            for p in model.probabilities(&x) {
                verdicts.write(&p.to_bits().to_le_bytes());
            }
            for d in detect(Some(&model), speaker, text) {
                verdicts.write(d.label.as_str().as_bytes());
                verdicts.write(d.phrase.as_bytes());
                verdicts.write(&d.confidence.to_bits().to_le_bytes());
                found += 1;
            }
        }
        assert_eq!(
            (vectors.finish(), verdicts.finish(), found),
            (7230606762511416574, 1837069373685833908, 17)
        );
    }
}
