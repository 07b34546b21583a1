//! The detections in the plan's JSON shape (`commitments`, `buying_signals`,
//! `follow_up_items`), for readers that want them grouped rather than as
//! one labelled list. Derived from the `intents` list only: one source of
//! truth, two views.

use crate::rules::Label;
use baton_sdk::{Value, json};

/// The three groups of the plan's shape.
pub struct SpecView {
    pub commitments: Vec<Value>,
    pub buying_signals: Vec<Value>,
    pub follow_up_items: Vec<Value>,
}

/// Group `intents` (the skill's `intents` output) into the plan's shape.
pub fn view(intents: &[Value]) -> SpecView {
    let mut v = SpecView {
        commitments: Vec::new(),
        buying_signals: Vec::new(),
        follow_up_items: Vec::new(),
    };
    for i in intents {
        let Some(label) = Label::ALL
            .into_iter()
            .find(|l| Some(l.as_str()) == i["label"].as_str())
        else {
            continue;
        };
        let (speaker, phrase, confidence) = (&i["speaker"], &i["phrase"], &i["confidence"]);
        match signal(label) {
            Some((kind, signal)) => v.buying_signals.push(json!({
                "type": kind, "signal": signal, "phrase": phrase, "confidence": confidence,
                "speaker": speaker,
            })),
            None => {
                let intent = label.as_str().split_once(':').map_or("", |(_, n)| n);
                v.commitments.push(json!({
                    "speaker": speaker, "phrase": phrase, "intent": intent,
                    "confidence": confidence,
                }));
                // A request is the rep's to do; a commitment its speaker's.
                let owner = if label == Label::SendContent {
                    json!("rep")
                } else {
                    speaker.clone()
                };
                v.follow_up_items.push(json!({
                    "owner": owner,
                    "action": phrase,
                    "deadline": null,
                    "intent_type": crate::follow_up_event(label),
                }));
            }
        }
    }
    v
}

/// A buying signal's polarity and kind; `None` for commitments and requests.
fn signal(label: Label) -> Option<(&'static str, &'static str)> {
    match label {
        Label::BuyingPositive => Some(("positive", "budget")),
        Label::BuyingNegative => Some(("negative", "budget")),
        Label::Timeline => Some(("positive", "timeline")),
        Label::MultiStakeholder => Some(("neutral", "authority")),
        Label::Competitive => Some(("negative", "competition")),
        Label::SendProposal
        | Label::ScheduleMeeting
        | Label::SendContent
        | Label::ProspectFollowup => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detections_split_into_the_three_groups() {
        let intents = [
            json!({ "label": "commitment:send_proposal", "speaker": "rep", "phrase": "I'll send a quote", "confidence": 0.9 }),
            json!({ "label": "request:send_content", "speaker": "prospect", "phrase": "Can you send the case study?", "confidence": 0.85 }),
            json!({ "label": "signal:competitive", "speaker": "prospect", "phrase": "We're also looking at Gainsight", "confidence": 0.8 }),
        ];
        let v = view(&intents);
        assert_eq!(v.commitments.len(), 2);
        assert_eq!(v.commitments[0]["intent"], "send_proposal");
        assert_eq!(
            v.buying_signals,
            vec![json!({
                "type": "negative", "signal": "competition", "phrase": "We're also looking at Gainsight",
                "confidence": 0.8, "speaker": "prospect",
            })]
        );
        assert_eq!(v.follow_up_items[0]["intent_type"], "proposal_generation");
        assert_eq!(v.follow_up_items[1]["owner"], "rep");
        assert_eq!(v.follow_up_items[1]["intent_type"], "content_retrieval");
    }
}
