//! The non-negotiable approval policy. No preference and no sequence can
//! override it:
//!
//! - every email send needs approval;
//! - a deal stage change needs approval;
//! - tasks (from detected intents, or any other source) need approval;
//! - calendar invites and proposals reach outside people, so they need
//!   approval too;
//! - summaries (Slack posts) are inform-only: they never wait for a person;
//! - an opt-out (a CRM update setting `do_not_contact`) is applied at once:
//!   it only ever stops email, so it needs nobody's approval, and no email
//!   to a flagged address is approved or sent afterwards.

use super::sequence::Approval;
use crate::address::address_key;
use crate::runtime::{ActionKind, ProposedAction};
use crate::store::NewSuppression;

/// Whether this effect may only happen after a person approved it.
pub fn needs_approval(action: &ProposedAction) -> bool {
    match action.kind {
        ActionKind::EmailSend
        | ActionKind::TaskCreate
        | ActionKind::CalendarInvite
        | ActionKind::ProposalSend => true,
        ActionKind::CrmUpdate => action.payload.get("stage").is_some(),
        ActionKind::SlackPost => false,
    }
}

/// The do-not-contact flag an action sets, if it is a CRM update with
/// `do_not_contact: true` and an `email` (or `contact_email`) address.
pub fn suppression(action: &ProposedAction) -> Option<NewSuppression> {
    let p = &action.payload;
    if action.kind != ActionKind::CrmUpdate || p.get("do_not_contact") != Some(&true.into()) {
        return None;
    }
    let email = p
        .get("email")
        .or_else(|| p.get("contact_email"))?
        .as_str()?;
    Some(NewSuppression {
        email: address_key(email)?,
        reason: p
            .get("reason")
            .and_then(|r| r.as_str())
            .filter(|r| !r.trim().is_empty())
            .unwrap_or("asked not to be contacted")
            .chars()
            .take(200)
            .collect(),
    })
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
    fn an_opt_out_is_a_suppression_without_a_gate() {
        let opt_out = action(
            ActionKind::CrmUpdate,
            json!({"email": "Ann <ANN@x.example>", "do_not_contact": true, "reason": "unsubscribe"}),
        );
        assert_eq!(
            suppression(&opt_out),
            Some(NewSuppression {
                email: "ann@x.example".into(),
                reason: "unsubscribe".into()
            })
        );
        assert_eq!(effective_gate(Approval::None, &[opt_out]), Approval::None);
        let not_set = action(
            ActionKind::CrmUpdate,
            json!({"email": "ann@x.example", "do_not_contact": false}),
        );
        assert_eq!(suppression(&not_set), None);
        let no_address = action(ActionKind::CrmUpdate, json!({"do_not_contact": true}));
        assert_eq!(suppression(&no_address), None);
        let email = action(
            ActionKind::EmailSend,
            json!({"email": "ann@x.example", "do_not_contact": true}),
        );
        assert_eq!(suppression(&email), None, "only a CRM update flags");
    }

    #[test]
    fn summaries_never_wait() {
        let post = [action(ActionKind::SlackPost, json!({"text": "summary"}))];
        assert_eq!(effective_gate(Approval::Confirm, &post), Approval::Inform);
        assert_eq!(effective_gate(Approval::None, &post), Approval::None);
        assert_eq!(effective_gate(Approval::Confirm, &[]), Approval::Confirm);
    }
}
