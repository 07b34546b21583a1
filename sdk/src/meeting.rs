//! The `meeting_ended` payload as skills read it: who said what, when, in a
//! meeting that started and ended at known instants.
//!
//! Webhook adapters in the host turn each source's layout (Meeting BaaS v1
//! and v2, the API) into this one shape, with speakers already labelled
//! `rep` or `prospect`; skills never see the source's own format.

use crate::SkillError;
use baton_types::evidence::Evidence;
use serde::de::{DeserializeOwned, IgnoredAny};
use serde::{Deserialize, Serialize};

/// Which side of the table a line came from: `rep`, the org's own person
/// (the rep, or a colleague on the call), or `prospect`, anyone on the
/// customer's side.
// The variants carry no doc comments of their own, so the schema is a
// plain `enum` and a wrong value is named as "not one of rep, prospect".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Speaker {
    Rep,
    Prospect,
}

impl Speaker {
    /// `rep` or `prospect`, as on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Speaker::Rep => "rep",
            Speaker::Prospect => "prospect",
        }
    }

    /// The other side.
    pub fn other(self) -> Speaker {
        match self {
            Speaker::Rep => Speaker::Prospect,
            Speaker::Prospect => Speaker::Rep,
        }
    }

    /// `rep` or `prospect` in any case, surrounding space ignored.
    pub fn parse(s: &str) -> Option<Speaker> {
        match s.trim().to_ascii_lowercase().as_str() {
            "rep" => Some(Speaker::Rep),
            "prospect" => Some(Speaker::Prospect),
            _ => None,
        }
    }
}

/// One utterance of the transcript. A skill that reports a bad speaker in
/// its own words reads `Utterance<String>` and checks with
/// [`Speaker::parse`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Utterance<S = Speaker> {
    pub speaker: S,
    pub text: String,
    /// Seconds from the start of the meeting.
    #[serde(default)]
    pub start: Option<f64>,
    /// Seconds from the start of the meeting to the end of the line, when
    /// the source says.
    #[serde(default)]
    pub end: Option<f64>,
    /// The speaker's name or label as the source shows it (`Marta`,
    /// `spk2`); the webhook adapters write it as `speaker_name`.
    #[serde(default, alias = "speaker_name")]
    pub name: Option<String>,
}

/// A finished meeting: its ids, times and transcript (the `meeting_ended`
/// payload). `U` is how each utterance is read: [`Utterance`] by default,
/// [`IgnoredAny`] for a skill that only needs the header ([`MeetingHeader`]).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Meeting<U = Utterance> {
    #[serde(default)]
    pub meeting_id: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub contact_id: Option<String>,
    #[serde(default)]
    pub contact_email: Option<String>,
    #[serde(default)]
    pub deal_id: Option<String>,
    /// RFC 3339 instant the meeting started, when the source says.
    #[serde(default)]
    pub started_at: Option<String>,
    /// RFC 3339 instant the meeting ended, when the source says.
    #[serde(default)]
    pub ended_at: Option<String>,
    /// The addresses of everyone from outside who was on the meeting, when
    /// the source says (`contact_email` among them or not): who a meeting
    /// it leads to invites.
    #[serde(default)]
    pub attendees: Vec<String>,
    /// When the meeting was booked from an email thread: its subject and
    /// the Message-IDs a follow-up replies to.
    #[serde(default)]
    pub thread_subject: Option<String>,
    #[serde(default)]
    pub in_reply_to: Option<String>,
    #[serde(default)]
    pub references: Option<String>,
    /// The id of the call's transcript, stored once for the org: the host
    /// moves `utterances` there when an event comes in and leaves this id
    /// ([`Meeting::read`] reads them back, needing `context:attachments`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transcript_id: Option<String>,
    // A named default: plain `default` would make serde require `U: Default`.
    #[serde(default = "Vec::new")]
    // The same default, typed, for the schema.
    #[schemars(default)]
    pub utterances: Vec<U>,
    /// What reading left out of a transcript past [`MAX_TRANSCRIPT_CHARS`]
    /// or [`MAX_UTTERANCE_CHARS`], in words a rep can be shown; `None` when
    /// the whole transcript was read. Never part of the payload.
    #[serde(skip)]
    pub cut: Option<String>,
}

/// A meeting read without its transcript, for skills that only need the
/// ids, title and thread (the utterances are skipped, not copied).
pub type MeetingHeader = Meeting<IgnoredAny>;

/// Longest transcript a meeting skill accepts, in utterances.
pub const MAX_UTTERANCES: usize = 50_000;

/// Longest utterance analysed, in characters: past the longest turn of the
/// bundled 55-minute call (13,147) with room; a longer one is analysed up
/// to here.
pub const MAX_UTTERANCE_CHARS: usize = 16_000;

/// Most of a transcript analysed, in characters: eight times the bundled
/// 55-minute call (50,887), some eight hours of talk, which the meeting
/// skills analyse within their default fuel; later utterances are left
/// out, and the skills say so rather than run out.
pub const MAX_TRANSCRIPT_CHARS: usize = 400_000;

impl<S: DeserializeOwned> Meeting<Utterance<S>> {
    /// Read the event payload as a meeting with speakers read as `S` (its
    /// utterances from the stored transcript when the payload refers to
    /// one),
    /// refusing transcripts past [`MAX_UTTERANCES`] with `invalid-input`,
    /// and keeping what is analysed within [`MAX_UTTERANCE_CHARS`] and
    /// [`MAX_TRANSCRIPT_CHARS`] ([`Meeting::cut`] says what was left out).
    pub fn read(input: &crate::Input) -> Result<Meeting<Utterance<S>>, SkillError> {
        let mut meeting = input.payload::<Meeting<Utterance<S>>>()?.resolved()?;
        if meeting.utterances.len() > MAX_UTTERANCES {
            return Err(SkillError::InvalidInput(format!(
                "{} utterances; at most {MAX_UTTERANCES} are accepted",
                meeting.utterances.len()
            )));
        }
        meeting.bound(MAX_UTTERANCE_CHARS, MAX_TRANSCRIPT_CHARS);
        Ok(meeting)
    }

    /// Cut each utterance to `per_utterance` characters and leave out the
    /// utterances past `total`, saying so in [`Meeting::cut`].
    pub fn bound(&mut self, per_utterance: usize, total: usize) {
        let all = self.utterances.len();
        let mut shortened = 0;
        let mut used = 0;
        let mut kept = 0;
        for u in &mut self.utterances {
            if used >= total {
                break;
            }
            if let Some((at, _)) = u.text.char_indices().nth(per_utterance) {
                u.text.truncate(at);
                shortened += 1;
            }
            used += u.text.chars().count();
            kept += 1;
        }
        self.utterances.truncate(kept);
        let mut said = Vec::new();
        if kept < all {
            let upto = self
                .utterances
                .last()
                .and_then(|u| u.start)
                .map_or_else(String::new, |s| {
                    format!(" (up to {} min in)", (s / 60.0).round())
                });
            said.push(format!(
                "only the first {kept} of {all} utterances were read{upto}"
            ));
        }
        if shortened > 0 {
            let them = if shortened == 1 {
                "one utterance was"
            } else {
                "some utterances were"
            };
            said.push(format!(
                "{them} longer than {per_utterance} characters and read only that far"
            ));
        }
        self.cut = (!said.is_empty()).then(|| {
            format!(
                "The transcript was too long to read whole: {}.",
                said.join("; ")
            )
        });
    }
}

impl<U: DeserializeOwned> Meeting<U> {
    /// The meeting with the utterances of its stored transcript, when the
    /// payload refers to one and carries none itself (needs
    /// `context:attachments`).
    pub fn resolved(mut self) -> Result<Self, SkillError> {
        if self.utterances.is_empty()
            && let Some(id) = &self.transcript_id
        {
            self.utterances = stored_utterances(id)?;
        }
        Ok(self)
    }
}

/// The utterances of the stored transcript `id`. One that is gone (erased,
/// or never the org's) is `invalid-input`: a retry will not bring it back.
pub(crate) fn stored_utterances<U: DeserializeOwned>(id: &str) -> Result<Vec<U>, SkillError> {
    #[derive(Deserialize)]
    struct Stored<U> {
        #[serde(default = "Vec::new")]
        utterances: Vec<U>,
    }
    let doc = crate::host::attachment(id).map_err(|e| match e {
        crate::host::HostError::NotFound(m) => {
            SkillError::InvalidInput(format!("the meeting's transcript: {m}"))
        }
        other => SkillError::from(other),
    })?;
    Stored::deserialize(doc)
        .map(|s| s.utterances)
        .map_err(|e| SkillError::InvalidInput(format!("the meeting's stored transcript: {e}")))
}

impl Meeting {
    /// [`Meeting::read`] with the usual utterances.
    pub fn from_input(input: &crate::Input) -> Result<Meeting, SkillError> {
        Meeting::read(input)
    }

    /// The meeting's length in minutes, from its timestamps or, failing
    /// that, from the last utterance's offset.
    pub fn minutes_from_offsets(&self) -> Option<f64> {
        self.utterances
            .iter()
            .filter_map(|u| u.start)
            .fold(None, |m: Option<f64>, s| Some(m.map_or(s, |m| m.max(s))))
            .map(|s| s / 60.0)
    }
}

/// A deadline as `extract-action-items` reports it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Due {
    /// The words that said it, e.g. `by friday`.
    pub text: String,
    /// The date they mean (`YYYY-MM-DD`), when the meeting's day is known.
    #[serde(default)]
    #[schemars(extend("format" = "date"))]
    pub date: Option<String>,
}

/// One action item from `extract-action-items` (its output's
/// `action_items`, from which that skill's output schema is derived).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ActionItem {
    pub owner: Speaker,
    /// The task line, e.g. `Send Marta a proposal by Friday`.
    pub action: String,
    /// `commitment`, `request` or `handoff`.
    #[schemars(extend("enum" = ["commitment", "request", "handoff"]))]
    pub kind: String,
    /// The clause it came from.
    pub quote: String,
    /// Index of the utterance in the transcript.
    pub utterance: usize,
    /// Seconds from the start of the meeting to that utterance, when known.
    #[serde(default)]
    pub start: Option<f64>,
    #[serde(default)]
    pub deadline: Option<Due>,
    pub confidence: f32,
}

/// Who said utterance `i` of `lines`, as the rep reads it: "You" for the
/// rep, else the name the source gives (none for a bare label such as
/// `spk2`, or when the lines are not at hand).
fn speaker_of<S>(lines: &[Utterance<S>], i: Option<usize>, side: Speaker) -> Option<String> {
    match side {
        Speaker::Rep => Some("You".to_owned()),
        Speaker::Prospect => i
            .and_then(|i| lines.get(i))
            .and_then(|u| u.name.as_deref())
            .filter(|n| !n.trim().is_empty() && !n.starts_with("spk"))
            .map(str::to_owned),
    }
}

impl ActionItem {
    /// The words the item rests on, placed in the call (`lines`, its transcript), for a suggestion
    /// made of it.
    pub fn evidence<S>(&self, lines: &[Utterance<S>]) -> Evidence {
        Evidence {
            quote: self.quote.clone(),
            speaker: speaker_of(lines, Some(self.utterance), self.said_by()),
            at: self.start,
            line: None,
            confidence: Some((f64::from(self.confidence) * 100.0).round() / 100.0),
        }
    }

    /// Who said the words the item came from: its owner for a commitment,
    /// the other side for a request or a handoff ("Could you send me …"
    /// said by the prospect is the rep's item).
    pub fn said_by(&self) -> Speaker {
        if self.kind == "commitment" {
            self.owner
        } else {
            self.owner.other()
        }
    }
}

/// One detection as `detect-intents` writes it (its output's `intents`, from
/// which that skill's output schema is derived) and later steps read it: a
/// label heard in one utterance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Detection {
    /// Index of the utterance in the transcript.
    // `detect-intents` always writes it; readers' fixtures may leave it out.
    #[serde(default)]
    pub utterance: Option<usize>,
    /// e.g. `commitment:send_proposal`, `signal:competitive`.
    pub label: String,
    pub speaker: Speaker,
    /// The words that triggered it, verbatim.
    pub phrase: String,
    /// From 0 to 1, two decimals.
    // An `f64`, so that it is written as rounded: through a `Value`, the
    // `f32` 0.85 is written `0.8500000238418579`.
    pub confidence: f64,
    /// Seconds from the start of the meeting, when known.
    #[serde(default)]
    pub start: Option<f64>,
}

impl Detection {
    /// The words it was heard in, placed in the call (`lines`, its transcript), for a suggestion
    /// made of it.
    pub fn evidence<S>(&self, lines: &[Utterance<S>]) -> Evidence {
        Evidence {
            quote: self.phrase.clone(),
            speaker: speaker_of(lines, self.utterance, self.speaker),
            at: self.start,
            line: None,
            confidence: Some(self.confidence),
        }
    }

    /// Whether its words speak only of other people ("Monday is pipeline
    /// review with their team lead": the prospect describing their staff's
    /// week): a third-person pronoun and no first-person word. What the
    /// prospect says of their own situation names themselves ("we", "our",
    /// "I") or no one; replayed to them as "You mentioned …" or filed as
    /// their signal, the words of others read wrong.
    pub fn of_others(&self) -> bool {
        let words: Vec<String> = self
            .phrase
            .split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '\u{2019}')
            .map(|w| w.replace('\u{2019}', "'").to_lowercase())
            .collect();
        let any = |list: &[&str]| words.iter().any(|w| list.contains(&w.as_str()));
        any(&[
            "they", "they're", "they've", "they'd", "they'll", "them", "their", "theirs", "he",
            "he's", "she", "she's", "his", "her", "hers", "him",
        ]) && !any(&[
            "i", "i'm", "i've", "i'd", "i'll", "me", "my", "we", "we're", "we've", "we'd", "we'll",
            "us", "our", "ours",
        ])
    }
}

/// The params of a skill that reads the action items and the detections of
/// earlier steps: which steps those are.
// A skill with params of its own takes these with `#[serde(flatten)]`
// (its params then carry a description of their own).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StepRefs {
    /// The `extract-action-items` step.
    #[serde(default = "actions_step")]
    pub actions_step: String,
    /// The `detect-intents` step.
    #[serde(default = "intents_step")]
    pub intents_step: String,
}

impl StepRefs {
    /// The action items and the detections those steps output (see
    /// [`from_step`]).
    pub fn read(
        &self,
        input: &crate::Input,
    ) -> Result<(Vec<ActionItem>, Vec<Detection>), SkillError> {
        Ok((
            from_step(input, &self.actions_step, "action_items")?,
            from_step(input, &self.intents_step, "intents")?,
        ))
    }
}

/// Default names of the `meeting_ended` steps whose outputs later steps
/// read (each a skill's `*_step` param default).
pub fn actions_step() -> String {
    "extract-action-items".to_owned()
}

/// See [`actions_step`].
pub fn intents_step() -> String {
    "detect-intents".to_owned()
}

/// See [`actions_step`].
pub fn suggestions_step() -> String {
    "suggest-next-actions".to_owned()
}

/// The list at `field` of the earlier step `step`'s output; empty when that
/// step did not run (a step that failed and was continued past), an error
/// when it ran and its output is not what it should be.
pub fn from_step<T: serde::de::DeserializeOwned>(
    input: &crate::Input,
    step: &str,
    field: &str,
) -> Result<Vec<T>, SkillError> {
    match input.previous(step).and_then(|d| d.get(field)) {
        None | Some(serde_json::Value::Null) => Ok(Vec::new()),
        Some(v) => Vec::<T>::deserialize(v).map_err(|e| {
            SkillError::InvalidInput(format!("output of step `{step}`: {field}: {e}"))
        }),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn words_about_other_people_are_told_apart() {
        let d = |phrase: &str| super::Detection {
            utterance: None,
            label: "signal:multi_stakeholder".into(),
            speaker: super::Speaker::Prospect,
            phrase: phrase.into(),
            confidence: 0.9,
            start: None,
        };
        assert!(d("Monday is pipeline review with their team lead.").of_others());
        assert!(d("He signs off on anything over fifty thousand").of_others());
        assert!(!d("Our IT security team will need to review whatever we pick").of_others());
        assert!(!d("The CFO signs off on anything over 50k").of_others());
        assert!(!d("They'll want to see it, and I agree").of_others());
    }

    #[test]
    fn a_stored_transcript_is_read_by_its_id_and_an_erased_one_is_named() {
        use crate::testing::FakeHost;
        let input = crate::Input::for_event(
            "meeting_ended",
            serde_json::json!({ "meeting_id": "m1", "transcript_id": "att_1" }),
        );
        let words = serde_json::json!({ "utterances": [
            { "speaker": "prospect", "text": "Send me the proposal." }
        ] });
        let (m, _) = FakeHost::default()
            .grant("context:attachments")
            .attachment("att_1", words.clone())
            .install(|| super::Meeting::read(&input));
        let m: super::Meeting = m.expect("read");
        assert_eq!(m.utterances.len(), 1);
        assert_eq!(m.utterances[0].speaker, Speaker::Prospect);
        assert_eq!(m.transcript_id.as_deref(), Some("att_1"));

        let (m, _) = FakeHost::default()
            .grant("context:attachments")
            .erased_attachment("att_1", "erased 2026-11-29 by dpo: asked")
            .install(|| super::Meeting::from_input(&input));
        match m {
            Err(SkillError::InvalidInput(msg)) => assert!(msg.contains("was erased"), "{msg}"),
            other => panic!("expected invalid-input, got {other:?}"),
        }

        // Without the capability, the call is denied, not skipped.
        let (m, host) = FakeHost::default()
            .attachment("att_1", words)
            .install(|| super::Meeting::from_input(&input));
        assert!(matches!(m, Err(SkillError::Failed(_))), "{m:?}");
        assert_eq!(host.denied, ["context:attachments"]);
    }

    #[test]
    fn a_transcript_past_the_limits_is_cut_and_says_so() {
        let meeting = |texts: Vec<String>| -> super::Meeting {
            let utterances: Vec<serde_json::Value> = texts
                .iter()
                .enumerate()
                .map(|(i, t)| serde_json::json!({ "speaker": "rep", "text": t, "start": i as f64 * 60.0 }))
                .collect();
            serde_json::from_value(serde_json::json!({ "utterances": utterances }))
                .expect("a meeting")
        };
        let mut m = meeting(vec!["twelve chars".to_owned(); 10]);
        m.bound(100, 30);
        assert_eq!(m.utterances.len(), 3);
        assert_eq!(
            m.cut.as_deref(),
            Some(
                "The transcript was too long to read whole: only the first 3 of 10 utterances were read (up to 2 min in)."
            )
        );
        let mut one = meeting(vec!["é".repeat(50)]);
        one.bound(20, 1000);
        assert_eq!(one.utterances[0].text.chars().count(), 20);
        assert!(
            one.cut
                .as_deref()
                .is_some_and(|c| c.contains("one utterance was longer than 20"))
        );
        let mut short = meeting(vec!["fine".to_owned()]);
        short.bound(20, 1000);
        assert_eq!(short.cut, None);
    }

    use super::*;
    use serde_json::json;

    #[test]
    fn a_speaker_outside_rep_and_prospect_is_invalid_input() {
        let input = crate::Input::for_event(
            "meeting_ended",
            json!({ "utterances": [{ "speaker": "host", "text": "hi" }] }),
        );
        let err = Meeting::from_input(&input).expect_err("refused");
        assert!(matches!(err, SkillError::InvalidInput(m) if m.contains("host")));
    }

    #[test]
    fn a_name_and_an_end_are_read_as_the_webhook_adapters_write_them() {
        let input = crate::Input::for_event(
            "meeting_ended",
            json!({ "utterances": [
                { "speaker": "rep", "speaker_name": "Jordan", "text": "a", "start": 1.5, "end": 2.4 },
                { "speaker": "prospect", "name": "Marta", "text": "b" },
                { "speaker": "prospect", "text": "c" }
            ] }),
        );
        let m = Meeting::from_input(&input).expect("parses");
        let u = &m.utterances;
        assert_eq!(
            (u[0].name.as_deref(), u[0].end),
            (Some("Jordan"), Some(2.4))
        );
        assert_eq!((u[1].name.as_deref(), u[1].end), (Some("Marta"), None));
        assert_eq!(u[2].name, None);
    }

    #[test]
    fn length_comes_from_the_last_offset() {
        let input = crate::Input::for_event(
            "meeting_ended",
            json!({ "utterances": [
                { "speaker": "rep", "text": "a", "start": 0.0 },
                { "speaker": "prospect", "text": "b", "start": 1500.0 }
            ] }),
        );
        let m = Meeting::from_input(&input).expect("parses");
        assert_eq!(m.minutes_from_offsets(), Some(25.0));
        assert_eq!(m.utterances[1].speaker, Speaker::Prospect);
    }

    #[test]
    fn a_detection_is_written_as_rounded_and_read_without_its_position() {
        let d = Detection {
            utterance: Some(3),
            label: "signal:competitive".into(),
            speaker: Speaker::Prospect,
            phrase: "We're also looking at Gainsight".into(),
            confidence: crate::two_decimals(0.85f32),
            start: None,
        };
        let written = crate::to_data(&d).expect("serializes");
        assert_eq!(written["confidence"].to_string(), "0.85");
        assert_eq!(written["start"], serde_json::Value::Null);
        let read: Detection = serde_json::from_value(json!({
            "label": "signal:competitive", "speaker": "prospect",
            "phrase": "We're also looking at Gainsight", "confidence": 0.85
        }))
        .expect("reads");
        assert_eq!(
            read,
            Detection {
                utterance: None,
                ..d
            }
        );
    }
}
