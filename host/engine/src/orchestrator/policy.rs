//! The non-negotiable approval policy. No preference and no sequence can
//! override it:
//!
//! - every email send needs approval;
//! - tasks (from detected intents, or any other source) need approval;
//! - calendar invites reach outside people, so they need approval too;
//! - summaries (Slack posts) are inform-only: they never wait for a person;
//! - a kind an app owns follows the app's [`super::extension::KindRules`] (which may put an
//!   address on the do-not-contact list at once, without a person); a kind
//!   no app owns waits for a person.

use super::composed::kind_rules;
use super::conductor::Extension;
use super::sequence::Approval;
use crate::runtime::{ActionKind, ProposedAction};
use crate::store::NewSuppression;
use std::sync::Arc;

/// Whether this effect may only happen after a person approved it.
pub fn needs_approval(apps: &[Arc<dyn Extension>], action: &ProposedAction) -> bool {
    match action.kind {
        ActionKind::EmailSend | ActionKind::TaskCreate | ActionKind::CalendarInvite => true,
        ActionKind::SlackPost => false,
        kind => kind_rules(apps, kind).is_none_or(|r| r.needs_approval(&action.payload)),
    }
}

/// The do-not-contact flag an action sets at once, if its kind's app says
/// so.
pub fn suppression(apps: &[Arc<dyn Extension>], action: &ProposedAction) -> Option<NewSuppression> {
    kind_rules(apps, action.kind)?.suppression(&action.payload)
}

/// The gate a step's result gets: the sequence's choice, raised to a
/// confirm when an effect needs approval, lowered to inform when the step
/// only posts summaries.
pub fn effective_gate(
    apps: &[Arc<dyn Extension>],
    declared: Approval,
    actions: &[ProposedAction],
) -> Approval {
    if actions.iter().any(|a| needs_approval(apps, a)) {
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
        assert_eq!(
            effective_gate(&[], Approval::None, &email),
            Approval::Confirm
        );
        assert_eq!(
            effective_gate(&[], Approval::Inform, &email),
            Approval::Confirm
        );
        assert_eq!(
            effective_gate(&[], Approval::Choose, &email),
            Approval::Choose
        );
    }

    #[test]
    fn summaries_never_wait() {
        let post = [action(ActionKind::SlackPost, json!({"text": "summary"}))];
        assert_eq!(
            effective_gate(&[], Approval::Confirm, &post),
            Approval::Inform
        );
        assert_eq!(effective_gate(&[], Approval::None, &post), Approval::None);
        assert_eq!(
            effective_gate(&[], Approval::Confirm, &[]),
            Approval::Confirm
        );
    }
}
