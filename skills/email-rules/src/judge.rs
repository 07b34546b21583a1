//! The learned component over the rules (`docs/judgement.md`): one-vs-rest
//! logistic regression on the subject's and the newest text's word and
//! character n-grams. The model's top label replaces the rules' when its
//! share of the probabilities clears that label's precision-first
//! threshold (chosen on the model's own out-of-fold predictions);
//! otherwise the rules' verdict stands, and so it does for a label whose
//! gate is shut (training opens it only where the grouped evaluation
//! showed overriding with it helps). An absence notice marked by
//! headers or subject stays a rule, and so does an active contact's
//! question (rule 5). The weights
//! are shipped in the skill's data folder (`files` capability); without
//! them the rules decide alone.

use crate::classify::{Classification, Email, Intent, Relationship};
use textmodel::{Builder, Model, Sparse};

/// Where the model file is inside the sandbox.
pub const MODEL_PATH: &str = "/data/model.json";

/// Which method decided.
pub const RULES: &str = "rules";
pub const RULES_AND_MODEL: &str = "rules+model";

/// Characters of the newest text the features read (as the rules).
const MAX_CHARS: usize = 2000;

/// Reads the shipped model; the reason when there is none.
pub fn load(path: &str) -> Result<Model, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("no model at {path}: {e}"))?;
    Model::from_json(&text).map_err(|e| format!("{path}: {e}"))
}

/// One email's features: whether it quotes or forwards an earlier message,
/// and the n-grams of its subject and newest text (as the rules cut it).
/// The rules' verdict and reasons are left out: trained on a set the rules
/// were written against, a model given them only learns to copy them
/// (`docs/judgement.md`).
pub fn features(bits: u32, email: &Email, c: &Classification) -> Sparse {
    let mut b = Builder::new(bits);
    let body_head = email
        .body
        .char_indices()
        .nth(8 * MAX_CHARS)
        .map_or(email.body, |(i, _)| &email.body[..i]);
    let parts = crate::newest::extract(body_head);
    if parts.quoted {
        b.cue("quoted", 1.0);
    }
    if parts.forwarded {
        b.cue("forwarded", 1.0);
    }
    b.text("s", email.subject);
    let newest = c
        .newest
        .char_indices()
        .nth(MAX_CHARS)
        .map_or(c.newest.as_str(), |(i, _)| &c.newest[..i]);
    b.text("b", newest);
    b.finish()
}

/// The verdict: the rules' `c`, or the model's top label when it is sure
/// enough (its confidence is then the model's share).
pub fn decide(
    model: &Model,
    email: &Email,
    mut c: Classification,
    rel: Relationship,
) -> Classification {
    // Headers or an auto-reply subject decided it: a hard rule.
    if c.intent == Intent::OutOfOffice && c.auto_reply && c.confidence >= 0.95 {
        return c;
    }
    let x = features(model.bits, email, &c);
    let probabilities = model.probabilities(&x);
    let Some((k, share)) = textmodel::train::top(&probabilities) else {
        return c;
    };
    // A label whose gate training left shut never overrides the rules.
    let Some(lm) = model
        .labels
        .get(k)
        .filter(|l| l.gate && share >= l.threshold)
    else {
        return c;
    };
    let Some(intent) = Intent::parse(&lm.name) else {
        return c;
    };
    let p = share;
    // Rule 5 is about the relationship, which tier 2 knows better than
    // the words: an active contact's question needs a response.
    let relationship_says_so = rel == Relationship::Active
        && c.intent == Intent::NeedsResponse
        && intent == Intent::PositiveInterest;
    if intent == c.intent || relationship_says_so {
        return c;
    }
    c.reasons.push(format!(
        "model: {} at {p:.2} over the rules' {}",
        intent.as_str(),
        c.intent.as_str()
    ));
    c.intent = intent;
    c.confidence = p;
    c
}
