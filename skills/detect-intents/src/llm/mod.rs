//! The LLM review, never required: with `llm` granted and a model
//! configured, the utterances the rules labelled or nearly labelled
//! ([`rules::near_miss`]) go to the model in batches, with the rules'
//! labels and the labelling rules, and the model may confirm labels or add
//! them. What it adds is kept only when the label is known, the speaker may
//! carry it, and its quote occurs in that utterance (see
//! [`baton_sdk::llm::find_quote`]); an added label carries
//! [`ADDED_CONFIDENCE`]. The model never removes a rules label: one it does
//! not repeat is kept and listed as `unconfirmed`. Not granted, not
//! configured, denied, timed out, failed, malformed or over budget, the
//! answer is exactly the rules', and [`Review::path`] says which path was
//! taken. Logs carry counts only, never text.

mod prompt;

use crate::rules::{self, Label, Speaker};
use baton_sdk::JsonSchema;
use baton_sdk::Value;
use baton_sdk::host::{self, Level};
use baton_sdk::llm::{Meter, find_quote, strict_json};
use baton_sdk::meeting::Utterance;
use prompt::Sent;
use serde::{Deserialize, Serialize};

/// The confidence of a label the model adds: reported at the default
/// `min_confidence` (0.6), below the default `followup_threshold` (0.8), so
/// it queues no follow-up unless the operator lowers that.
pub const ADDED_CONFIDENCE: f32 = 0.7;

/// The model's budget for one run (the step's `llm` param).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Budget {
    /// Most tokens the model may answer in one call.
    #[schemars(range(min = 1), extend("default" = 300))]
    pub max_tokens: u32,
    /// Most tokens (prompts and answers) one run may spend; a call that
    /// would go past it is not made.
    #[schemars(extend("default" = 4000))]
    pub run_tokens: u32,
    /// Utterances sent in one call.
    #[schemars(range(min = 1), extend("default" = 12))]
    pub batch: usize,
    /// Most utterances sent in one run: the labelled ones and the near
    /// misses, in transcript order.
    #[schemars(extend("default" = 24))]
    pub max_utterances: usize,
}

impl Default for Budget {
    fn default() -> Self {
        Budget {
            max_tokens: 300,
            run_tokens: 4000,
            batch: 12,
            max_utterances: 24,
        }
    }
}

/// A label on an utterance.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Mark {
    pub utterance: usize,
    pub label: &'static str,
}

/// A label the model gave that was not kept, and why.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Dropped {
    /// The utterance it named, when it named one.
    pub utterance: Option<i64>,
    /// The label as the model wrote it.
    pub label: String,
    pub reason: &'static str,
}

/// What the review did (the output's `llm`).
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Review {
    /// `off`, `skipped: …` (nothing to review), `unavailable: …`,
    /// `denied: …`, `malformed: …`, `budget: …` (the rules' answer stands),
    /// or, when the model answered: `confirmed` (it added nothing and
    /// repeated every rules label), `unconfirmed` (it added nothing and
    /// left a rules label out; kept) or `added`.
    pub path: String,
    /// Completions received.
    pub calls: u32,
    /// Tokens counted for them (the host charges them to the org).
    pub tokens: u32,
    /// Utterances the model answered for.
    pub reviewed: Vec<usize>,
    pub added: Vec<Mark>,
    pub unconfirmed: Vec<Mark>,
    pub dropped: Vec<Dropped>,
    /// Calls that failed after another was answered, and why.
    pub failures: Vec<String>,
}

impl Review {
    fn on(path: String) -> Review {
        Review {
            path,
            calls: 0,
            tokens: 0,
            reviewed: Vec::new(),
            added: Vec::new(),
            unconfirmed: Vec::new(),
            dropped: Vec::new(),
            failures: Vec::new(),
        }
    }
}

/// The model's answer.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Answer {
    labels: Vec<Value>,
}

/// One label of the answer.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Item {
    label: String,
    quote: String,
    utterance: usize,
}

/// Review `found` (the rules' reported labels, with each utterance's
/// speaker) and add what the model adds and the checks let through.
pub fn review(
    use_llm: bool,
    min_confidence: f32,
    budget: &Budget,
    utterances: &[Utterance<String>],
    found: &mut [(Speaker, Vec<rules::Detection>)],
) -> Review {
    if !use_llm {
        return Review::on("off".into());
    }
    if ADDED_CONFIDENCE < min_confidence {
        return Review::on(format!(
            "off: min_confidence is above {ADDED_CONFIDENCE}, the confidence of a label the model adds"
        ));
    }
    let labels: Vec<Vec<Label>> = found
        .iter()
        .map(|(_, ds)| ds.iter().map(|d| d.label).collect())
        .collect();
    let window: Vec<Sent> = utterances
        .iter()
        .zip(found.iter())
        .zip(&labels)
        .enumerate()
        .filter(|(_, ((u, (speaker, ds)), _))| {
            !ds.is_empty() || rules::near_miss(*speaker, &u.text)
        })
        .map(|(i, ((u, (speaker, _)), labels))| Sent {
            utterance: i,
            speaker: *speaker,
            text: &u.text,
            labels,
        })
        .take(budget.max_utterances)
        .collect();
    if window.is_empty() {
        return Review::on("skipped: nothing to review".into());
    }
    let mut meter = Meter::new(budget.run_tokens);
    let mut r = Review::on(String::new());
    let mut additions: Vec<(usize, rules::Detection)> = Vec::new();
    for batch in window.chunks(budget.batch.max(1)) {
        let answer = match meter.ask(prompt::request(batch, budget.max_tokens)) {
            Ok(c) => strict_json::<Answer>(&c.text).map_err(|e| format!("malformed: {e}")),
            Err(refusal) => {
                r.failures.push(refusal.to_string());
                // The model is not there or the budget is spent: ask no more.
                break;
            }
        };
        let answer = match answer {
            Ok(a) => a,
            Err(why) => {
                r.failures.push(why);
                continue;
            }
        };
        let mut confirmed: Vec<(usize, Label)> = Vec::new();
        for value in answer.labels {
            match check(value, batch) {
                Ok((i, d))
                    if batch
                        .iter()
                        .any(|s| s.utterance == i && s.labels.contains(&d.label)) =>
                {
                    confirmed.push((i, d.label));
                }
                Ok((i, d)) => {
                    if !additions.iter().any(|(j, a)| *j == i && a.label == d.label) {
                        additions.push((i, d));
                    }
                }
                Err(dropped) => r.dropped.push(dropped),
            }
        }
        for s in batch {
            r.reviewed.push(s.utterance);
            for l in s.labels {
                if !confirmed.contains(&(s.utterance, *l)) {
                    r.unconfirmed.push(Mark {
                        utterance: s.utterance,
                        label: l.as_str(),
                    });
                }
            }
        }
    }
    (r.calls, r.tokens) = (meter.calls(), meter.spent());
    r.path = if r.reviewed.is_empty() {
        match r.failures.is_empty() {
            true => "skipped: nothing to review".into(),
            false => r.failures.remove(0),
        }
    } else if !additions.is_empty() {
        "added".into()
    } else if r.unconfirmed.is_empty() {
        "confirmed".into()
    } else {
        "unconfirmed".into()
    };
    for (i, d) in additions {
        r.added.push(Mark {
            utterance: i,
            label: d.label.as_str(),
        });
        if let Some((_, ds)) = found.get_mut(i) {
            ds.push(d);
            ds.sort_by_key(|d| d.label);
        }
    }
    host::log(
        Level::Info,
        &format!(
            "llm review: {}; {} call(s), {} token(s), {} utterance(s) reviewed, {} added, {} dropped",
            r.path.split(':').next().unwrap_or_default(),
            r.calls,
            r.tokens,
            r.reviewed.len(),
            r.added.len(),
            r.dropped.len()
        ),
    );
    r
}

/// One label of the answer as a detection on a sent utterance, or why it
/// is dropped.
fn check(value: Value, batch: &[Sent]) -> Result<(usize, rules::Detection), Dropped> {
    let utterance = value.get("utterance").and_then(|u| u.as_i64());
    let named = value
        .get("label")
        .and_then(|l| l.as_str())
        .unwrap_or_default()
        .to_owned();
    let drop = |reason| Dropped {
        utterance,
        label: named.clone(),
        reason,
    };
    let item = Item::deserialize(value).map_err(|_| drop("malformed item"))?;
    let label = Label::parse(&item.label).ok_or_else(|| drop("unknown label"))?;
    let sent = batch
        .iter()
        .find(|s| s.utterance == item.utterance)
        .ok_or_else(|| drop("utterance not sent"))?;
    if !may_carry(sent.speaker, label) {
        return Err(drop("the speaker may not carry this label"));
    }
    let phrase =
        find_quote(sent.text, &item.quote).ok_or_else(|| drop("quote not in the utterance"))?;
    Ok((
        item.utterance,
        rules::Detection {
            label,
            phrase: phrase.to_owned(),
            confidence: ADDED_CONFIDENCE,
        },
    ))
}

/// The labelling rules' speaker constraints: a proposal commitment is the
/// rep's, a meeting either side's, every other label the prospect's.
pub fn may_carry(speaker: Speaker, label: Label) -> bool {
    match label {
        Label::SendProposal => speaker == Speaker::Rep,
        Label::ScheduleMeeting => true,
        _ => speaker == Speaker::Prospect,
    }
}

#[cfg(test)]
mod tests;
