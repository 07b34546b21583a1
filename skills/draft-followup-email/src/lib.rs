//! `draft-followup-email`: the follow-up the rep sends after a meeting,
//! grounded in the meeting and written as the rep would send it: what the
//! prospect said played back in the second person (never pasted whole),
//! one line per thing each side took on (from `extract-action-items`, with
//! dates in the reader's terms, and `detect-intents`), in the rep's tone and
//! ending with the rep's signature; addressed to the contact the CRM knows,
//! threaded when the meeting came from an email.
//!
//! It proposes one `email_send` action; the sequence's `confirm` gate and the
//! host's send rails decide whether it goes out. A draft that ends with the
//! rep's signature is sent without a second copy of it.

pub mod compose;
pub mod voice;

use baton_sdk::context::{self, ContactTier, OrgTier};
use baton_sdk::events::meeting_ended::MeetingHeader;
use baton_sdk::meeting::StepRefs;
use baton_sdk::prelude::*;
use baton_sdk::text::first_word;
use compose::{Facts, Intent, compose};
use serde::{Deserialize, Serialize};

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct Params {
    /// The steps whose action items and detections ground the draft.
    #[serde(flatten)]
    steps: StepRefs,
}

/// The output, from which the manifest's output schema is derived: the
/// draft, or why there is none.
#[derive(Serialize, JsonSchema)]
struct Drafted<'a> {
    meeting_id: Option<String>,
    drafted: bool,
    /// Why nothing was drafted.
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    to: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    subject: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    body: Option<&'a str>,
    /// How many detections and action items the draft was built from.
    #[serde(skip_serializing_if = "Option::is_none")]
    grounded_in: Option<usize>,
}

pub struct DraftFollowupEmail;

impl Skill for DraftFollowupEmail {
    fn manifest() -> Manifest {
        Manifest::new(
            "draft-followup-email",
            env!("CARGO_PKG_VERSION"),
            "Drafts the rep's follow-up email after a meeting, grounded in what was said.",
        )
        .needs(flow::names::MEETING_ACTION_ITEMS)
        .uses(flow::names::MEETING_INTENTS)
        .capability("context:org")
        .capability("context:contact")
        .default_fuel(200_000_000)
        .params::<Params>()
        .output::<Drafted>()
    }

    fn run(input: Input) -> Result<Output, SkillError> {
        let params: Params = input.params()?;
        let payload: MeetingHeader = input.payload()?;
        let (items, intents): (_, Vec<Intent>) = params.steps.read(&input)?;
        // The meeting's day in the rep's zone, as the action items' dates
        // were resolved against it.
        let meeting_date = input
            .previous(&params.steps.actions_step)
            .and_then(|out| out["meeting_date"].as_str()?.parse().ok());
        let org = context::org()?;
        let contact = context::contact()?;
        let person = contact.as_ref().and_then(|c| c.contact.as_ref());
        let to = person
            .and_then(|p| p.email.as_deref())
            .or(payload.contact_email.as_deref())
            .map(str::trim)
            .filter(|t| t.contains('@'));
        let Some(to) = to else {
            return Output::of(&Drafted {
                meeting_id: payload.meeting_id,
                drafted: false,
                reason: Some("the meeting names no contact with an email address"),
                to: None,
                subject: None,
                body: None,
                grounded_in: None,
            });
        };

        let draft = compose(&Facts {
            first_name: first_word(contact.as_ref().and_then(ContactTier::contact_name)),
            meeting_title: payload.title.as_deref(),
            thread_subject: payload.thread_subject.as_deref(),
            rep_first_name: first_word(org.as_ref().and_then(|o| o.rep_name())),
            signature: org.as_ref().and_then(OrgTier::signature),
            tone: org.as_ref().map(OrgTier::tone).unwrap_or_default(),
            intents: &intents,
            items: &items,
            meeting_date,
        });
        let name = person.and_then(|p| p.name.as_deref()).unwrap_or(to);
        let preview = format!("Follow-up to {name}: {}", draft.subject);
        let mut send = json!({ "to": to, "subject": draft.subject, "body": draft.body });
        if let Some(id) = payload
            .in_reply_to
            .as_deref()
            .filter(|s| !s.trim().is_empty())
        {
            send["in_reply_to"] = json!(id);
            send["references"] = json!(payload.references.as_deref().unwrap_or(id));
        }
        Ok(Output::of(&Drafted {
            meeting_id: payload.meeting_id,
            drafted: true,
            reason: None,
            to: Some(to),
            subject: Some(&draft.subject),
            body: Some(&draft.body),
            grounded_in: Some(intents.len() + items.len()),
        })?
        .action(ActionKind::EmailSend, preview, send))
    }
}

export_skill!(DraftFollowupEmail);

#[cfg(test)]
mod tests {
    use super::*;
    use baton_sdk::testing::FakeHost;

    fn meeting() -> Input {
        let mut input = Input::for_event(
            "meeting_ended",
            json!({
                "meeting_id": "m-7",
                "title": "Northwind discovery call",
                "contact_email": "marta.ruiz@northwind.example",
            }),
        );
        input = input.after("extract-action-items", json!({ "meeting_date": "2026-11-20", "action_items": [
                { "owner": "rep", "action": "Send Marta a proposal with pricing for forty seats by Friday", "kind": "commitment",
                  "quote": "I'll send you a proposal with pricing for forty seats by Friday", "utterance": 3, "confidence": 0.9,
                  "deadline": { "text": "by friday", "date": "2026-11-27" } }
            ]}));
        input = input.after("detect-intents", json!({ "intents": [
                { "label": "signal:buying_positive", "speaker": "prospect", "phrase": "We have budget set aside for this in Q1", "confidence": 0.85 },
                { "label": "commitment:send_proposal", "speaker": "rep", "phrase": "I'll send you a proposal with pricing for forty seats by Friday", "confidence": 0.9 },
                { "label": "commitment:schedule_meeting", "speaker": "rep", "phrase": "Absolutely, I'll send over a few times", "confidence": 0.9 }
            ]}));
        input
    }

    fn host() -> FakeHost {
        FakeHost::for_skill::<DraftFollowupEmail>()
            .org(json!({ "user": { "name": "Jordan Avery" },
                         "preferences": { "email_signature": "Jordan Avery\nAccount Executive" } }))
            .contact(json!({ "contact": { "name": "Marta Ruiz", "email": "marta.ruiz@northwind.example" } }))
    }

    #[test]
    fn drafts_a_grounded_follow_up_for_the_contact() {
        let out = host().run::<DraftFollowupEmail>(meeting()).expect("runs");
        assert_eq!(out.actions.len(), 1);
        let a = &out.actions[0];
        assert_eq!(a.kind, ActionKind::EmailSend);
        assert_eq!(a.payload["to"], "marta.ruiz@northwind.example");
        assert_eq!(
            a.payload["subject"],
            "Following up: Northwind discovery call"
        );
        let body = a.payload["body"].as_str().expect("body");
        assert!(body.starts_with("Hi Marta,\n\n"), "{body}");
        assert!(
            body.contains("- You mentioned you have budget set aside for this in Q1.\n"),
            "{body}"
        );
        assert!(
            body.contains(
                "- I'll send you a proposal with pricing for forty seats by Friday, 27 November.\n"
            ),
            "{body}"
        );
        assert!(
            body.contains("- I'll send you a few times for our next conversation.\n"),
            "{body}"
        );
        assert!(
            body.ends_with("Best,\nJordan Avery\nAccount Executive\n"),
            "{body}"
        );
        assert!(a.preview.contains("Marta Ruiz"), "{}", a.preview);
        assert_eq!(out.data["grounded_in"], 4);
        assert!(a.payload.get("in_reply_to").is_none());
    }

    #[test]
    fn a_meeting_from_a_thread_is_a_reply_in_it() {
        let mut input = meeting();
        input.event.payload["thread_subject"] = json!("Renewals Hub pricing");
        input.event.payload["in_reply_to"] = json!("<t1@northwind.example>");
        let out = host().run::<DraftFollowupEmail>(input).expect("runs");
        let p = &out.actions[0].payload;
        assert_eq!(p["subject"], "Re: Renewals Hub pricing");
        assert_eq!(p["in_reply_to"], "<t1@northwind.example>");
        assert_eq!(p["references"], "<t1@northwind.example>");
    }

    #[test]
    fn no_known_address_means_no_draft_and_says_why() {
        let mut input = meeting();
        input.event.payload["contact_email"] = json!(null);
        let out = FakeHost::for_skill::<DraftFollowupEmail>()
            .run::<DraftFollowupEmail>(input)
            .expect("runs");
        assert!(out.actions.is_empty());
        assert_eq!(out.data["drafted"], false);
        assert!(
            out.data["reason"]
                .as_str()
                .is_some_and(|r| r.contains("email"))
        );
    }

    #[test]
    fn without_detections_it_still_thanks_and_offers_help() {
        let mut input = meeting();
        input.previous.clear();
        let out = host().run::<DraftFollowupEmail>(input).expect("runs");
        let body = out.actions[0].payload["body"].as_str().expect("body");
        assert!(body.contains("If any questions come up"), "{body}");
        assert!(!body.contains("Next steps"), "{body}");
    }

    #[test]
    fn a_denied_context_is_an_error_not_a_silent_gap() {
        let r = host()
            .revoke("context:contact")
            .run::<DraftFollowupEmail>(meeting());
        assert!(matches!(r, Err(SkillError::Failed(m)) if m.contains("denied")));
    }
}
