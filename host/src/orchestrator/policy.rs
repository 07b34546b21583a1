//! The non-negotiable approval policy. No preference and no sequence can
//! override it:
//!
//! - every email send needs approval;
//! - a deal stage change needs approval;
//! - tasks (from detected intents, or any other source) need approval;
//! - calendar invites reach outside people, so they need approval too;
//! - summaries (Slack posts) are inform-only: they never wait for a person.

use super::sequence::Approval;
use crate::runtime::{ActionKind, ProposedAction};

/// Whether this effect may only happen after a person approved it.
pub fn needs_approval(action: &ProposedAction) -> bool {
    match action.kind {
        ActionKind::EmailSend | ActionKind::TaskCreate | ActionKind::CalendarInvite => true,
        ActionKind::CrmUpdate => action.payload.get("stage").is_some(),
        ActionKind::SlackPost => false,
    }
}

/// The gate a step's result gets: the sequence's choice, raised to a
/// confirm when an effect needs approval, lowered to inform when the step
/// only posts summaries.
pub fn effective_gate(declared: Approval, actions: &[ProposedAction]) -> Approval {
    if actions.iter().any(needs_approval) {
        return match declared {
            Approval::None | Approval::Inform => Approval::Confirm,
            other => other,
        };
    }
    let summaries_only =
        !actions.is_empty() && actions.iter().all(|a| a.kind == ActionKind::SlackPost);
    if summaries_only && declared != Approval::None {
        return Approval::Inform;
    }
    declared
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn action(kind: ActionKind, payload: serde_json::Value) -> ProposedAction {
        ProposedAction {
            kind,
            preview: "p".into(),
            payload,
        }
    }

    #[test]
    fn no_sequence_can_send_email_unapproved() {
        let email = [action(ActionKind::EmailSend, json!({}))];
        assert_eq!(effective_gate(Approval::None, &email), Approval::Confirm);
        assert_eq!(effective_gate(Approval::Inform, &email), Approval::Confirm);
        assert_eq!(effective_gate(Approval::Choose, &email), Approval::Choose);
    }

    #[test]
    fn stage_changes_and_tasks_need_approval_other_crm_writes_do_not() {
        let stage = [action(
            ActionKind::CrmUpdate,
            json!({"deal": "d", "stage": "won"}),
        )];
        let note = [action(
            ActionKind::CrmUpdate,
            json!({"deal": "d", "note": "met"}),
        )];
        let task = [action(
            ActionKind::TaskCreate,
            json!({"title": "send deck"}),
        )];
        assert_eq!(effective_gate(Approval::None, &stage), Approval::Confirm);
        assert_eq!(effective_gate(Approval::None, &note), Approval::None);
        assert_eq!(effective_gate(Approval::None, &task), Approval::Confirm);
    }

    #[test]
    fn summaries_never_wait() {
        let post = [action(ActionKind::SlackPost, json!({"text": "summary"}))];
        assert_eq!(effective_gate(Approval::Confirm, &post), Approval::Inform);
        assert_eq!(effective_gate(Approval::None, &post), Approval::None);
        assert_eq!(effective_gate(Approval::Confirm, &[]), Approval::Confirm);
    }
}
