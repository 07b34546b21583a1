//! The rules of the action kinds the sales app owns: a CRM update (a deal
//! stage change waits for a person; an opt-out puts the address on the
//! do-not-contact list at once; an edit keeps the record it updates) and a
//! proposal (it waits for a person; an edit keeps its document; a chat
//! request shows its title, total, sections and how it goes out).

use baton_engine::orchestrator::extension::{Edit, KindRules};
use baton_store::NewSuppression;
use baton_store::address::address_key;
use serde::Deserialize;
use serde_json::Value;

/// `crm_update`.
pub(crate) struct CrmUpdate;

impl KindRules for CrmUpdate {
    /// Only a deal stage change waits for a person.
    fn needs_approval(&self, payload: &Value) -> bool {
        payload.get("stage").is_some()
    }

    fn check_edit(&self, edit: &Edit<'_>, original: &Value) -> Result<(), String> {
        // Which record is updated is not the rep's to change in an edit.
        for key in ["entity", "deal_id", "contact_id", "email", "contact_email"] {
            if let Some(was) = original.get(key)
                && edit.get(key) != Some(was)
            {
                return Err(format!("must keep `{key}` as {was}"));
            }
        }
        if original.get("field").is_some() {
            edit.text("field")?;
            if edit.get("value").is_none() {
                return Err("has no `value`".into());
            }
        } else if edit.is_empty() {
            return Err("changes no field".into());
        }
        Ok(())
    }

    /// What the field held when the change was drafted, for the person
    /// deciding it ("Was: discovery").
    fn summary(&self, payload: &Value) -> Option<String> {
        let was = payload.get("previous")?;
        Some(format!("Was: {}\n", crate::words::value_words(was)))
    }

    /// An update setting `do_not_contact: true` with an `email` (or
    /// `contact_email`) address: an opt-out only ever stops email, so it
    /// needs nobody's approval.
    fn suppression(&self, p: &Value) -> Option<NewSuppression> {
        if p.get("do_not_contact") != Some(&true.into()) {
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
}

/// `proposal_send`: it reaches outside people, so it always waits.
pub(crate) struct ProposalSend;

impl KindRules for ProposalSend {
    /// A proposal keeps its document, and an emailed one its recipients.
    fn check_edit(&self, edit: &Edit<'_>, _original: &Value) -> Result<(), String> {
        let p = baton_types::proposal::ProposalSend::deserialize(edit.value())
            .map_err(|e| format!("is not a proposal: {e}"))?;
        if let Some(m) = p.problem() {
            return Err(format!("is not a proposal that can be sent: {m}"));
        }
        edit.recipients("to", false)?;
        edit.recipients("cc", false)
    }

    fn summary(&self, payload: &Value) -> Option<String> {
        Some(proposal_summary(payload))
    }
}

/// A `proposal_send` draft in a few lines: the document's title, for
/// whom, its total and sections, and how it goes out.
fn proposal_summary(p: &Value) -> String {
    let Ok(send) = baton_types::proposal::ProposalSend::deserialize(p) else {
        return "(a proposal that cannot be read: open it in the inbox)\n".into();
    };
    let doc = &send.proposal;
    let mut out = format!("*{}*", doc.title);
    let whom: Vec<&str> = [doc.contact_name.as_deref(), doc.company.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    if !whom.is_empty() {
        out.push_str(&format!(" for {}", whom.join(", ")));
    }
    out.push_str(&format!(
        "\nTotal: {}",
        baton_types::money::money(doc.amount, &doc.currency)
    ));
    if let Some(d) = &doc.valid_until {
        out.push_str(&format!(" · valid until {d}"));
    }
    let headings: Vec<&str> = doc.sections.iter().map(|s| s.heading.as_str()).collect();
    out.push_str(&format!("\nSections: {}\n", headings.join(", ")));
    for n in &send.notes_for_rep {
        out.push_str(&format!("Before you send: {n}\n"));
    }
    match send.delivery {
        baton_types::proposal::Delivery::Email => {
            out.push_str(&format!(
                "Emailed as you to {} — subject: {}\n",
                send.to.join(", "),
                send.subject
            ));
        }
        baton_types::proposal::Delivery::Link => {
            out.push_str("Published at a private link for you to send on (no email)\n");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extensions;
    use baton_engine::orchestrator::policy::{effective_gate, suppression};
    use baton_engine::orchestrator::sequence::Approval;
    use baton_engine::runtime::{ActionKind, ProposedAction};
    use serde_json::json;

    fn action(kind: ActionKind, payload: serde_json::Value) -> ProposedAction {
        ProposedAction {
            kind,
            preview: "p".into(),
            payload,
        }
    }

    #[test]
    fn a_crm_edit_keeps_its_record_and_names_a_value() {
        let d = json!({ "entity": "deal", "deal_id": "d1", "field": "amount", "value": 100 });
        let shape = |edit: &Value| {
            let edit = Edit::of(edit).expect("an object");
            CrmUpdate.check_edit(&edit, &d)
        };
        assert!(
            shape(&json!({ "entity": "deal", "deal_id": "d1", "field": "amount", "value": 90 }))
                .is_ok()
        );
        assert!(
            shape(&json!({ "entity": "deal", "deal_id": "d2", "field": "amount", "value": 90 }))
                .unwrap_err()
                .contains("deal_id")
        );
        assert!(
            shape(&json!({ "entity": "deal", "deal_id": "d1", "field": "amount" }))
                .unwrap_err()
                .contains("value")
        );
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
        assert_eq!(
            effective_gate(&extensions(), Approval::None, &stage),
            Approval::Confirm
        );
        assert_eq!(
            effective_gate(&extensions(), Approval::None, &note),
            Approval::None
        );
        assert_eq!(
            effective_gate(&extensions(), Approval::None, &task),
            Approval::Confirm
        );
    }

    #[test]
    fn an_opt_out_is_a_suppression_without_a_gate() {
        let opt_out = action(
            ActionKind::CrmUpdate,
            json!({"email": "Ann <ANN@x.example>", "do_not_contact": true, "reason": "unsubscribe"}),
        );
        assert_eq!(
            suppression(&extensions(), &opt_out),
            Some(NewSuppression {
                email: "ann@x.example".into(),
                reason: "unsubscribe".into()
            })
        );
        assert_eq!(
            effective_gate(&extensions(), Approval::None, &[opt_out]),
            Approval::None
        );
        let not_set = action(
            ActionKind::CrmUpdate,
            json!({"email": "ann@x.example", "do_not_contact": false}),
        );
        assert_eq!(suppression(&extensions(), &not_set), None);
        let no_address = action(ActionKind::CrmUpdate, json!({"do_not_contact": true}));
        assert_eq!(suppression(&extensions(), &no_address), None);
        let email = action(
            ActionKind::EmailSend,
            json!({"email": "ann@x.example", "do_not_contact": true}),
        );
        assert_eq!(
            suppression(&extensions(), &email),
            None,
            "only a CRM update flags"
        );
    }
}
