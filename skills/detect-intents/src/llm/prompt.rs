//! What the model is told: the labelling rules, condensed from the eval
//! set's README (the label table and its rules), and one batch of numbered
//! utterances with the labels the rules gave them.

use crate::rules::{Label, Speaker};
use baton_sdk::Value;
use baton_sdk::host::CompletionRequest;

/// Characters of one utterance sent; a quote must come from these.
const MAX_UTTERANCE_CHARS: usize = 600;

/// The instructions and the labelling rules.
const SYSTEM: &str = r#"You check an intent tagger for sales-meeting transcripts. Label each numbered utterance on its own (no context from other turns) by these rules.

Labels (who may carry each):
- commitment:send_proposal (rep only): the rep or the rep's team commits to send a proposal, quote, pricing, costing, estimate or SOW with costs. Not decks, recordings, case studies, contracts, or answers to questions.
- commitment:schedule_meeting (either): proposes, asks for or commits to a future meeting, call, demo or workshop, or to send an invite or time slots. A question proposing a meeting counts ("does the ninth work?").
- request:send_content (prospect only): asks the rep to send or share something (document, deck, recording, case study, spec, references, questionnaire answers, proposal, quote, price list). A question to answer live does not count.
- signal:multi_stakeholder (prospect only): someone else must still review, approve or be involved (CFO, legal, IT/security, procurement, board, boss, team).
- signal:competitive (prospect only): currently evaluating, trialling or using an alternative for the same need (named vendor, incumbent, tool already in use, in-house build, status quo stated as a real option). Not past employers, customers, long-dead evaluations, or "not looking at anyone else".
- signal:buying_positive (prospect only): budget approved, existing or ring-fenced; spend signed off; top priority; explicit intent to go ahead. Mild approval ("looks nice") does not count.
- signal:buying_negative (prospect only): budget tight, cut, frozen or uncertain; nothing allocated; deprioritised or on hold; "if we had budget…".
- signal:timeline (prospect only): a concrete future date or period for the deal or project (day, date, week, month, quarter, dated event, bounded period). Not "ASAP", not past dates, not the due date of a follow-up or meeting, unless the follow-up is the purchase decision.
- commitment:prospect_followup (prospect only): the prospect commits to get back, or to send something, by a stated time ("by Friday", "tomorrow", "early next week").

Rules:
- Speaker constraints are hard: a rep restating or asking about the prospect's situation carries no signal; a prospect never carries send_proposal.
- Commitments must be affirmative and present or future: no past actions, negations, cancellations, retractions, hypotheticals ("if you ever wanted…"). Offers phrased as questions ("Would you like me to send the deck?") are not commitments. Routine dependencies ("once I have the headcount, I'll send the quote") count.
- Acknowledging, declining or already having content is not a request. Small talk is nothing.
- Assign every label that applies; most utterances carry none.

Answer with one JSON object and nothing else:
{"labels":[{"label":"<label>","quote":"<the words that carry it, copied exactly from that utterance>","utterance":<number>}]}
List every label you find, including the tagger's labels you agree with. Leave out tagger labels you disagree with. Answer {"labels":[]} when none apply. A label whose quote is not copied exactly from its utterance is discarded."#;

/// One utterance as sent.
pub struct Sent<'a> {
    pub utterance: usize,
    pub speaker: Speaker,
    pub text: &'a str,
    /// The rules' labels on it.
    pub labels: &'a [Label],
}

/// The request for one batch.
pub fn request(batch: &[Sent], max_tokens: u32) -> CompletionRequest {
    let mut prompt = String::from("Utterances:\n");
    for s in batch {
        let text = match s.text.char_indices().nth(MAX_UTTERANCE_CHARS) {
            Some((i, _)) => &s.text[..i],
            None => s.text,
        };
        let quoted = Value::from(text).to_string();
        prompt.push_str(&format!(
            "[{}] {}: {quoted}\n",
            s.utterance,
            s.speaker.as_str()
        ));
    }
    prompt.push_str("\nThe tagger's labels:\n");
    let mut any = false;
    for s in batch {
        for l in s.labels {
            prompt.push_str(&format!("[{}] {}\n", s.utterance, l.as_str()));
            any = true;
        }
    }
    if !any {
        prompt.push_str("(none)\n");
    }
    CompletionRequest {
        system: Some(SYSTEM.to_owned()),
        prompt,
        max_tokens,
        temperature: Some(0.0),
    }
}
