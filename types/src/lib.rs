//! `baton-types`: the vocabulary the host and the skills both speak, defined
//! once. A skill (through `baton-sdk`) creates these values and the host
//! (runtime, orchestrator, inbox) consumes them, or the other way round for
//! [`Decision`]; each type says which.
//!
//! Plain serde data only: this crate must never depend on wasmtime, on the
//! generated WIT bindings or on anything that needs a target (each side
//! converts to and from its own bindings), so both workspaces can use it.

pub mod brief;
pub mod campaigns;
pub mod catalog;
pub mod coaching;
pub mod contract;
pub mod decision;
pub mod evidence;
pub mod flow;
pub mod invoice;
pub mod labels;
pub mod money;
pub mod proposal;
pub mod proposal_viewed;
pub mod slack;
pub mod task;
pub mod tone;
pub mod words;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The kinds of effect a skill may propose. Created by skills
/// ([`ProposedAction::kind`]); the host's policy, inbox and outbox dispatch on
/// it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionKind {
    EmailSend,
    CrmUpdate,
    TaskCreate,
    SlackPost,
    CalendarInvite,
    /// A proposal document, emailed to the prospect or shared as a link.
    ProposalSend,
}

impl ActionKind {
    /// Every kind, in declaration order.
    pub const ALL: [ActionKind; 6] = [
        ActionKind::EmailSend,
        ActionKind::CrmUpdate,
        ActionKind::TaskCreate,
        ActionKind::SlackPost,
        ActionKind::CalendarInvite,
        ActionKind::ProposalSend,
    ];

    /// The wire name (`email_send`, …), as serde writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            ActionKind::EmailSend => "email_send",
            ActionKind::CrmUpdate => "crm_update",
            ActionKind::TaskCreate => "task_create",
            ActionKind::SlackPost => "slack_post",
            ActionKind::CalendarInvite => "calendar_invite",
            ActionKind::ProposalSend => "proposal_send",
        }
    }

    /// The kind with wire name `s`, if there is one.
    pub fn parse(s: &str) -> Option<ActionKind> {
        ActionKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The kinds an action of which may email someone as the rep (whether
    /// one does is [`ActionKind::sends_email`]), for a query to narrow to.
    pub const MAY_EMAIL: [ActionKind; 2] = [ActionKind::EmailSend, ActionKind::ProposalSend];

    /// Whether an action of this kind with `payload` is an email to send as
    /// the rep: every `email_send`, and a `proposal_send` delivered by
    /// email (one published only at its link emails no one). The
    /// send-as-rep rails (the daily send cap, do-not-contact) hold for
    /// exactly these.
    pub fn sends_email(self, payload: &Value) -> bool {
        match self {
            ActionKind::EmailSend => true,
            ActionKind::ProposalSend => {
                proposal::Delivery::deserialize(payload.get("delivery").unwrap_or(&Value::Null))
                    .unwrap_or_default()
                    == proposal::Delivery::Email
            }
            _ => false,
        }
    }
}

impl std::fmt::Display for ActionKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.as_str())
    }
}

/// How an approval gate is presented. Chosen by the skill that asks for the
/// gate; the host's inbox and Slack rendering read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Pattern {
    Confirm,
    Choose,
    Batch,
    Inform,
}

impl Pattern {
    /// Every pattern, in declaration order.
    pub const ALL: [Pattern; 4] = [
        Pattern::Confirm,
        Pattern::Choose,
        Pattern::Batch,
        Pattern::Inform,
    ];

    /// The wire name (`confirm`, …), as serde writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Pattern::Confirm => "confirm",
            Pattern::Choose => "choose",
            Pattern::Batch => "batch",
            Pattern::Inform => "inform",
        }
    }

    /// The pattern with wire name `s`, if there is one.
    pub fn parse(s: &str) -> Option<Pattern> {
        Pattern::ALL.into_iter().find(|p| p.as_str() == s)
    }
}

impl std::fmt::Display for Pattern {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.as_str())
    }
}

/// A person's decision on a gate. Taken in the host (inbox, Slack, API) and
/// handed back to the skill when its step runs again.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "decision", content = "value", rename_all = "snake_case")]
pub enum Decision {
    Approved,
    /// The person edited the draft; the value replaces the proposal.
    Edited(Value),
    Skipped,
    Cancelled,
    /// Index of the option chosen (pattern `choose`).
    Chosen(u32),
    /// Which items to keep (pattern `batch`).
    PerItem(Vec<bool>),
}

/// An effect a skill proposes. Created by skills; the host gates it and sends
/// it through the outbox.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProposedAction {
    pub kind: ActionKind,
    pub preview: String,
    pub payload: Value,
}

/// An event a skill asks the host to queue as a child job.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FollowUp {
    #[serde(rename = "type")]
    pub event_type: String,
    pub payload: Value,
    pub confidence: f32,
    pub reason: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn wire_names_match_serde() {
        for k in ActionKind::ALL {
            assert_eq!(json!(k), json!(k.as_str()));
            assert_eq!(ActionKind::parse(k.as_str()), Some(k));
        }
        for p in Pattern::ALL {
            assert_eq!(json!(p), json!(p.as_str()));
            assert_eq!(Pattern::parse(p.as_str()), Some(p));
        }
        assert_eq!(format!("{:<8}|", Pattern::Batch), "batch   |");
        assert_eq!(ActionKind::parse("email"), None);
        assert_eq!(Pattern::parse("Confirm"), None);
    }

    #[test]
    fn only_emails_and_emailed_proposals_send_email() {
        let to = json!({ "to": ["y@a.example"] });
        assert!(ActionKind::EmailSend.sends_email(&to));
        assert!(!ActionKind::TaskCreate.sends_email(&to));
        let proposal = |delivery: &str| json!({ "delivery": delivery, "to": ["y@a.example"] });
        assert!(ActionKind::ProposalSend.sends_email(&proposal("email")));
        assert!(
            ActionKind::ProposalSend.sends_email(&to),
            "email by default"
        );
        assert!(
            !ActionKind::ProposalSend.sends_email(&proposal("link")),
            "a link emails no one"
        );
        for kind in ActionKind::ALL {
            assert_eq!(
                ActionKind::MAY_EMAIL.contains(&kind),
                kind.sends_email(&to),
                "{kind}"
            );
        }
    }

    #[test]
    fn decisions_keep_their_tagged_shape() {
        assert_eq!(json!(Decision::Approved), json!({ "decision": "approved" }));
        assert_eq!(
            json!(Decision::PerItem(vec![true, false])),
            json!({ "decision": "per_item", "value": [true, false] })
        );
        let d: Decision =
            serde_json::from_value(json!({ "decision": "chosen", "value": 2 })).expect("parses");
        assert_eq!(d, Decision::Chosen(2));
    }
}
