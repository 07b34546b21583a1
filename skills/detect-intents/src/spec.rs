//! The detections in the plan's JSON shape (`commitments`, `buying_signals`,
//! `follow_up_items`), for readers that want them grouped rather than as
//! one labelled list. Derived from the `intents` list only: one source of
//! truth, two views.

use crate::rules::Label;
use baton_sdk::JsonSchema;
use baton_sdk::meeting::{Detection, Speaker};
use serde::Serialize;

/// The three groups of the plan's shape.
pub struct SpecView {
    pub commitments: Vec<Commitment>,
    pub buying_signals: Vec<BuyingSignal>,
    pub follow_up_items: Vec<FollowUpItem>,
}

/// A commitment or request, by whoever said it.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Commitment {
    pub speaker: Speaker,
    pub phrase: String,
    /// The label without its `commitment:`/`request:` prefix.
    #[schemars(extend("enum" = ["send_proposal", "schedule_meeting", "send_content", "prospect_followup"]))]
    pub intent: &'static str,
    pub confidence: f64,
}

/// A buying signal the prospect gave.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct BuyingSignal {
    /// Its polarity.
    #[serde(rename = "type")]
    #[schemars(extend("enum" = ["positive", "negative", "neutral"]))]
    pub kind: &'static str,
    #[schemars(extend("enum" = ["budget", "timeline", "authority", "competition"]))]
    pub signal: &'static str,
    pub phrase: String,
    pub confidence: f64,
    pub speaker: Speaker,
}

/// Something someone has to do after the meeting.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct FollowUpItem {
    pub owner: Speaker,
    pub action: String,
    /// Always `null`: detections carry no dates (`extract-action-items` does).
    pub deadline: Option<String>,
    /// The follow-up event the commitment queues when confident, if any.
    pub intent_type: Option<&'static str>,
}

/// Group `intents` (the skill's `intents` output) into the plan's shape; a
/// label this skill does not write is left out.
pub fn view(intents: &[Detection]) -> SpecView {
    let mut v = SpecView {
        commitments: Vec::new(),
        buying_signals: Vec::new(),
        follow_up_items: Vec::new(),
    };
    for (i, label) in intents
        .iter()
        .filter_map(|i| Some((i, Label::parse(&i.label)?)))
    {
        match signal(label) {
            Some((kind, signal)) => v.buying_signals.push(BuyingSignal {
                kind,
                signal,
                phrase: i.phrase.clone(),
                confidence: i.confidence,
                speaker: i.speaker,
            }),
            None => {
                let intent = label.as_str().split_once(':').map_or("", |(_, n)| n);
                v.commitments.push(Commitment {
                    speaker: i.speaker,
                    phrase: i.phrase.clone(),
                    intent,
                    confidence: i.confidence,
                });
                // A request is the rep's to do; a commitment its speaker's.
                let owner = if label == Label::SendContent {
                    Speaker::Rep
                } else {
                    i.speaker
                };
                v.follow_up_items.push(FollowUpItem {
                    owner,
                    action: i.phrase.clone(),
                    deadline: None,
                    intent_type: crate::follow_up_event(label),
                });
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
    use baton_sdk::json;

    #[test]
    fn detections_split_into_the_three_groups() {
        let intent = |label: Label, speaker, phrase: &str, confidence| Detection {
            utterance: Some(0),
            label: label.as_str().to_owned(),
            speaker,
            phrase: phrase.to_owned(),
            confidence,
            start: None,
        };
        let intents = [
            intent(Label::SendProposal, Speaker::Rep, "I'll send a quote", 0.9),
            intent(
                Label::SendContent,
                Speaker::Prospect,
                "Can you send the case study?",
                0.85,
            ),
            intent(
                Label::Competitive,
                Speaker::Prospect,
                "We're also looking at Gainsight",
                0.8,
            ),
        ];
        let v = view(&intents);
        assert_eq!(v.commitments.len(), 2);
        assert_eq!(v.commitments[0].intent, "send_proposal");
        assert_eq!(
            baton_sdk::to_data(&v.buying_signals).expect("serializes"),
            json!([{
                "type": "negative", "signal": "competition", "phrase": "We're also looking at Gainsight",
                "confidence": 0.8, "speaker": "prospect",
            }])
        );
        let items = baton_sdk::to_data(&v.follow_up_items).expect("serializes");
        assert_eq!(items[0]["intent_type"], "proposal_generation");
        assert_eq!(items[1]["owner"], "rep");
        assert_eq!(items[1]["intent_type"], "content_retrieval");
    }
}
