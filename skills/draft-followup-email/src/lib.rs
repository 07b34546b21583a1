//! `draft-followup-email`: the follow-up the rep sends after a meeting,
//! grounded in the meeting: a recap in the prospect's own words, the next
//! steps each side committed to (from `detect-intents`), addressed to the
//! contact the CRM knows, threaded when the meeting came from an email.
//!
//! It proposes one `email_send` action; the sequence's `confirm` gate and the
//! host's send rails decide whether it goes out. The host appends the rep's
//! signature when it sends.

pub mod compose;

use baton_sdk::context::{self, ContactTier};
use baton_sdk::events::meeting_ended::MeetingHeader;
use baton_sdk::prelude::*;
use baton_sdk::text::first_word;
use compose::{Facts, Intent, compose};
use serde::{Deserialize, Serialize};

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct Params {
    /// The step whose detections ground the draft.
    #[serde(default = "baton_sdk::meeting::intents_step")]
    intents_step: String,
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
    /// How many detections the draft was built from.
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
        .capability("context:org")
        .capability("context:contact")
        .default_fuel(200_000_000)
        .params::<Params>()
        .output::<Drafted>()
    }

    fn run(input: Input) -> Result<Output, SkillError> {
        let params: Params = input.params()?;
        let payload: MeetingHeader = input.payload()?;
        let intents: Vec<Intent> = match input.previous(&params.intents_step) {
            Some(out) => Vec::<Intent>::deserialize(&out["intents"]).map_err(|e| {
                SkillError::InvalidInput(format!("{}: intents: {e}", params.intents_step))
            })?,
            None => Vec::new(),
        };
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
            intents: &intents,
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
            grounded_in: Some(intents.len()),
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
        input = input.after("detect-intents", json!({ "intents": [
                { "label": "signal:buying_positive", "speaker": "prospect", "phrase": "We have budget set aside for this in Q1", "confidence": 0.85 },
                { "label": "commitment:send_proposal", "speaker": "rep", "phrase": "I'll send you a proposal with pricing for forty seats by Friday", "confidence": 0.9 },
                { "label": "commitment:schedule_meeting", "speaker": "rep", "phrase": "Absolutely, I'll send over a few times", "confidence": 0.9 }
            ]}));
        input
    }

    fn host() -> FakeHost {
        FakeHost::for_skill::<DraftFollowupEmail>()
            .org(json!({ "user": { "name": "Jordan Avery" } }))
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
            body.contains("\u{201c}We have budget set aside for this in Q1.\u{201d}"),
            "{body}"
        );
        assert!(
            body.contains("- I'll send you a proposal with pricing for forty seats by Friday.\n"),
            "{body}"
        );
        assert!(body.contains("- I'll send over a few times.\n"), "{body}");
        assert!(body.ends_with("Best,\nJordan\n"), "{body}");
        assert!(a.preview.contains("Marta Ruiz"), "{}", a.preview);
        assert_eq!(out.data["grounded_in"], 3);
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
