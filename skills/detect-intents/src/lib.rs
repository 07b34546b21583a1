//! `detect-intents`: commitments, requests and buying signals in a meeting
//! transcript, speaker-aware, each with the quoted phrase and a confidence.
//! Confident detections queue follow-up events (a proposal to draft, times to
//! find, content to retrieve); the rest are reported for the rep to see.
//!
//! Deterministic rules (see [`rules`]) and, over them, a learned component
//! (see [`judge`]) whose weights are read from the skill's data folder
//! (`files` capability); without it the rules decide alone and the output
//! says so (`method`). With `llm` granted and a model configured, the LLM
//! may confirm or add labels (see [`llm`]); without it the answer is
//! exactly the rules' and the learned component's.

pub mod asked;
pub mod judge;
pub mod llm;
pub mod rules;
pub mod spec;
#[cfg(not(target_arch = "wasm32"))]
pub mod training;

use baton_sdk::events::meeting_ended::{Payload, Speaker, Utterance};
use baton_sdk::meeting::Detection;
use baton_sdk::prelude::*;
use rules::Label;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The transcript with each speaker as written, so a bad one is reported
/// with its utterance's number.
type Transcript = Payload<Utterance<String>>;

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct Params {
    /// Detections below this are not reported.
    #[serde(default = "default_min_confidence")]
    #[schemars(range(min = 0, max = 1), extend("default" = 0.6))]
    min_confidence: f32,
    /// Follow-up events are queued only at or above this.
    #[serde(default = "default_followup_threshold")]
    #[schemars(range(min = 0, max = 1), extend("default" = 0.8))]
    followup_threshold: f32,
    /// Ask the model to confirm or add labels when `llm` is granted and
    /// configured (see [`llm`]).
    #[serde(default = "yes")]
    use_llm: bool,
    /// The model's budget for one run.
    #[serde(default)]
    llm: llm::Budget,
}

fn yes() -> bool {
    true
}

fn default_min_confidence() -> f32 {
    0.6
}

fn default_followup_threshold() -> f32 {
    0.8
}

/// The event a confident detection of `label` queues, if any.
pub(crate) fn follow_up_event(label: Label) -> Option<&'static str> {
    match label {
        Label::SendProposal => Some("proposal_generation"),
        Label::ScheduleMeeting => Some("calendar_find_times"),
        Label::SendContent => Some("content_retrieval"),
        _ => None,
    }
}

/// The output, from which the manifest's output schema is derived.
#[derive(Serialize, JsonSchema)]
struct Detected {
    meeting_id: Option<String>,
    /// Utterances read.
    utterances: usize,
    intents: Vec<Detection>,
    /// Detections per label.
    counts: BTreeMap<&'static str, u32>,
    commitments: Vec<spec::Commitment>,
    buying_signals: Vec<spec::BuyingSignal>,
    follow_up_items: Vec<spec::FollowUpItem>,
    /// `rules+model`, or `rules` when the model could not be read.
    method: &'static str,
    /// Why the model was not used, when it was not.
    #[serde(skip_serializing_if = "Option::is_none")]
    model_unavailable: Option<String>,
    /// What of a transcript too long to read whole was left out.
    #[serde(skip_serializing_if = "Option::is_none")]
    transcript_cut: Option<String>,
    /// What the LLM review did.
    llm: llm::Review,
}

pub struct DetectIntents;

impl Skill for DetectIntents {
    fn manifest() -> Manifest {
        Manifest::new(
            "detect-intents",
            env!("CARGO_PKG_VERSION"),
            "Detects commitments, requests and buying signals in a meeting transcript.",
        )
        .produces(flow::names::MEETING_INTENTS)
        .capability("files")
        .capability("context:attachments")
        .capability("llm")
        .default_fuel(2_000_000_000)
        .params::<Params>()
        .output::<Detected>()
    }

    fn run(input: Input) -> Result<Output, SkillError> {
        let params: Params = input.params()?;
        for (name, v) in [
            ("min_confidence", params.min_confidence),
            ("followup_threshold", params.followup_threshold),
        ] {
            if !(0.0..=1.0).contains(&v) {
                return Err(SkillError::InvalidInput(format!(
                    "{name} must be within [0, 1]"
                )));
            }
        }
        // Unlike the other meeting skills, a payload without a transcript
        // (its words, or the id of the stored one) is refused.
        if input.event.payload.get("utterances").is_none()
            && input.event.payload.get("transcript_id").is_none()
        {
            return Err(SkillError::InvalidInput(
                "event payload: missing field `utterances`".into(),
            ));
        }
        let payload = Transcript::read(&input)?;
        let model = judge::load(judge::MODEL_PATH);
        let mut found = Vec::with_capacity(payload.utterances.len());
        for (i, u) in payload.utterances.iter().enumerate() {
            let speaker = Speaker::parse(&u.speaker).ok_or_else(|| {
                SkillError::InvalidInput(format!(
                    "utterance {i}: speaker `{}` is not `rep` or `prospect`",
                    u.speaker
                ))
            })?;
            let mut ds = judge::detect(model.as_ref().ok(), speaker, &u.text);
            ds.retain(|d| d.confidence >= params.min_confidence);
            found.push((speaker, ds));
        }
        // The model may confirm or add labels, never remove one.
        let review = llm::review(
            params.use_llm,
            params.min_confidence,
            &params.llm,
            &payload.utterances,
            &mut found,
        );
        // What the prospect said about when to meet, for the times to find.
        let when_asked = asked::prospect_words(&payload.utterances, &found);
        let mut intents = Vec::new();
        let mut counts: BTreeMap<&str, u32> = BTreeMap::new();
        // Best detection per follow-up event type.
        let mut best: BTreeMap<&str, (usize, rules::Detection, Detection)> = BTreeMap::new();
        for (i, (u, (speaker, ds))) in payload.utterances.iter().zip(found).enumerate() {
            for d in ds {
                *counts.entry(d.label.as_str()).or_default() += 1;
                let heard = Detection {
                    utterance: Some(i),
                    label: d.label.as_str().to_owned(),
                    speaker,
                    phrase: d.phrase.clone(),
                    confidence: baton_sdk::two_decimals(d.confidence),
                    start: u.start,
                };
                if let Some(event) = follow_up_event(d.label)
                    && d.confidence >= params.followup_threshold
                    && best
                        .get(event)
                        .is_none_or(|(_, b, _)| d.confidence > b.confidence)
                {
                    best.insert(event, (i, d, heard.clone()));
                }
                intents.push(heard);
            }
        }
        let spec = spec::view(&intents);
        let mut output = Output::of(&Detected {
            meeting_id: payload.meeting_id.clone(),
            utterances: payload.utterances.len(),
            intents,
            counts,
            commitments: spec.commitments,
            buying_signals: spec.buying_signals,
            follow_up_items: spec.follow_up_items,
            method: if model.is_ok() {
                judge::RULES_AND_MODEL
            } else {
                judge::RULES
            },
            model_unavailable: model.as_ref().err().cloned(),
            transcript_cut: payload.cut.clone(),
            llm: review,
        })?;
        for (event, (i, d, heard)) in best {
            // The words that asked, so the child can quote them and show
            // them on its gate (see `baton_sdk::events::Request`).
            let mut child = json!({
                "meeting_id": payload.meeting_id,
                "label": d.label.as_str(),
                "trigger_phrase": d.phrase,
                "request": payload.utterances.get(i).map(|u| u.text.as_str()),
                "speaker": payload.utterances.get(i).map(|u| u.speaker.as_str()),
                "utterance": i,
                "evidence": heard.evidence(&payload.utterances),
            });
            // A proposal quotes the prospect's requirements and pain
            // points: it gets the transcript, by the id of the stored one
            // when the meeting has it.
            if event == "proposal_generation" {
                match &payload.transcript_id {
                    Some(id) => child["transcript_id"] = json!(id),
                    None => child["utterances"] = json!(payload.utterances),
                }
            }
            // Times are found for what the prospect asked, read from when
            // the call was, for everyone from outside who was on it.
            if event == "calendar_find_times" {
                if let Some(words) = &when_asked {
                    child["request"] = json!(words);
                }
                if let Some(at) = payload.ended_at.as_ref().or(payload.started_at.as_ref()) {
                    child["event_time"] = json!(at);
                }
                if let Some(list) = input
                    .event
                    .payload
                    .get("attendees")
                    .filter(|v| v.is_array())
                {
                    child["attendees"] = list.clone();
                }
            }
            // The child job loads the same contact and deal as this one.
            for key in [
                "contact_id",
                "contact_email",
                "deal_id",
                "deal_name",
                "title",
            ] {
                if let Some(v) = input.event.payload.get(key).filter(|v| v.is_string()) {
                    child[key] = v.clone();
                }
            }
            output = output.follow_up(
                event,
                child,
                d.confidence,
                format!(
                    "{} detected with confidence {:.2}",
                    d.label.as_str(),
                    d.confidence
                ),
            );
        }
        Ok(output)
    }
}

// A crate that builds on this one as a library (`features = ["library"]`)
// exports its own component.
#[cfg(not(feature = "library"))]
export_skill!(DetectIntents);

#[cfg(test)]
mod tests {
    use super::*;
    use baton_sdk::testing::FakeHost;

    fn transcript(lines: &[(&str, &str)]) -> Input {
        let utterances: Vec<_> = lines
            .iter()
            .map(|(s, t)| json!({ "speaker": s, "text": t }))
            .collect();
        Input::for_event(
            "meeting_ended",
            json!({ "meeting_id": "m-42", "utterances": utterances }),
        )
    }

    fn run(input: Input) -> Result<Output, SkillError> {
        FakeHost::for_skill::<DetectIntents>().run::<DetectIntents>(input)
    }

    /// Issue 40: the times to find are the prospect's words ("Ideally
    /// Tuesday or Wednesday afternoon"), not the rep's "I'll send over a
    /// few times", read from when the call ended, for everyone on it.
    #[test]
    fn times_are_found_for_what_the_prospect_asked() {
        let mut payload: Value = textmodel::serde_json::from_str(include_str!(
            "../../../examples/events/meeting_ended.json"
        ))
        .expect("the demo call");
        payload["attendees"] = json!(["marta.ruiz@northwind.example", "ken.ito@northwind.example"]);
        let out = run(Input::for_event("meeting_ended", payload)).expect("runs");
        let times = out
            .follow_ups
            .iter()
            .find(|f| f.event_type == "calendar_find_times")
            .expect("times to find");
        let request = times.payload["request"].as_str().expect("request");
        assert!(
            request.contains("Ideally Tuesday or Wednesday afternoon")
                && request.contains("Can we find time next week"),
            "{request}"
        );
        assert!(
            !request.contains("I'll send over") && !request.contains("renewal numbers"),
            "{request}"
        );
        assert_eq!(times.payload["event_time"], "2026-11-20T15:21:19Z");
        assert_eq!(
            times.payload["attendees"],
            json!(["marta.ruiz@northwind.example", "ken.ito@northwind.example"])
        );
    }

    #[test]
    fn a_follow_up_carries_the_meetings_contact_and_deal() {
        let mut input = transcript(&[("rep", "I'll send you a proposal by Friday.")]);
        input.event.payload["contact_email"] = json!("marta.ruiz@northwind.example");
        input.event.payload["deal_id"] = json!("d-1");
        let out = run(input).expect("runs");
        let p = &out.follow_ups[0].payload;
        assert_eq!(out.follow_ups[0].event_type, "proposal_generation");
        assert_eq!(p["contact_email"], "marta.ruiz@northwind.example");
        assert_eq!(p["deal_id"], "d-1");
        assert!(p.get("contact_id").is_none());
        // The words that asked ride along, for the child's gate.
        assert_eq!(p["evidence"]["quote"], p["trigger_phrase"]);
        assert_eq!(p["evidence"]["speaker"], "You");
        assert!(p["evidence"]["confidence"].as_f64().is_some(), "{p:#}");
    }

    #[test]
    fn queues_one_follow_up_per_confident_commitment() {
        let out = run(transcript(&[
            (
                "prospect",
                "Could you send us the pricing sheet for the enterprise tier?",
            ),
            (
                "rep",
                "Absolutely, I'll put together a formal quote and send it over by Friday.",
            ),
            (
                "rep",
                "And let's book a call next Tuesday to go through it together.",
            ),
        ]))
        .expect("runs");
        let types: Vec<_> = out
            .follow_ups
            .iter()
            .map(|f| f.event_type.as_str())
            .collect();
        assert!(types.contains(&"proposal_generation"), "{types:?}");
        assert!(types.contains(&"calendar_find_times"), "{types:?}");
        let proposal = out
            .follow_ups
            .iter()
            .find(|f| f.event_type == "proposal_generation")
            .expect("proposal follow-up");
        assert!(proposal.confidence >= 0.8);
        assert_eq!(proposal.payload["meeting_id"], "m-42");
        assert_eq!(proposal.payload["utterance"], 1);
        assert_eq!(proposal.payload["speaker"], "rep");
        assert!(
            proposal.payload["trigger_phrase"]
                .as_str()
                .is_some_and(|p| p.contains("quote"))
        );
    }

    #[test]
    fn a_transcript_without_intents_queues_nothing() {
        let out = run(transcript(&[
            ("rep", "Thanks for joining, how was your weekend?"),
            ("prospect", "Good, thanks. The weather was lovely."),
        ]))
        .expect("runs");
        assert!(out.follow_ups.is_empty());
        assert_eq!(out.data["intents"], json!([]));
        assert_eq!(out.data["utterances"], 2);
    }

    #[test]
    fn bad_input_is_refused_with_a_reason() {
        let err = run(transcript(&[("cfo", "hello")])).expect_err("bad speaker");
        assert!(
            matches!(&err, SkillError::InvalidInput(m) if m.contains("utterance 0")),
            "{err}"
        );
        let err = run(Input::for_event(
            "meeting_ended",
            json!({ "no": "utterances" }),
        ))
        .expect_err("no utterances");
        assert!(matches!(err, SkillError::InvalidInput(_)));
        let err = run(transcript(&[]).with_params(json!({ "min_confidence": 2.0 })))
            .expect_err("bad param");
        assert!(matches!(&err, SkillError::InvalidInput(m) if m.contains("min_confidence")));
    }
}
