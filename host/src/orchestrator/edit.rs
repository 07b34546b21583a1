//! The shape an edit must keep. An edit replaces the draft a gate shows (its
//! first action's payload, or the step's data when it proposes no action),
//! so it must be a draft of the same kind: an email keeps recipients, a
//! subject and a body (and its attachments name plain files of the content
//! folder); a CRM update keeps the record it updates and names a
//! field and a value; a task keeps a title; an invite keeps its times and
//! attendees. Anything else is refused with the problem named, before it is
//! recorded, so nothing malformed reaches the outbox.

use super::conductor::OrchestratorError;
use crate::address::{is_address, recipients};
use crate::runtime::ActionKind;
use crate::store::{PendingAction, kind_of};
use serde::Deserialize;
use serde_json::{Map, Value};

/// Check `value` as an edit of `action`'s draft.
pub fn check(action: &PendingAction, value: &Value) -> Result<(), OrchestratorError> {
    let draft = action.body["actions"]
        .as_array()
        .and_then(|a| a.first())
        .and_then(|a| Some((kind_of(a)?, &a["payload"])));
    shape(draft, value).map_err(|m| OrchestratorError::Invalid(format!("the edit {m}")))
}

/// What is wrong with `value` as an edit of `draft` (kind and payload).
fn shape(draft: Option<(ActionKind, &Value)>, value: &Value) -> Result<(), String> {
    if value.is_null() {
        return Err("is empty: send the edited draft as `value`".into());
    }
    let Some((kind, original)) = draft else {
        // The step's data, or a skill's own gate: the skill reads it.
        return Ok(());
    };
    let edit = value
        .as_object()
        .ok_or_else(|| format!("of a `{}` must be a JSON object", kind.as_str()))?;
    match kind {
        ActionKind::EmailSend => email(edit),
        ActionKind::CrmUpdate => crm_update(edit, original),
        ActionKind::TaskCreate => text(edit, "title").map(drop),
        ActionKind::CalendarInvite => invite(edit),
        ActionKind::SlackPost => text(edit, "text").map(drop),
        ActionKind::ProposalSend => proposal(value),
    }
}

/// A non-empty string field.
fn text<'a>(edit: &'a Map<String, Value>, field: &str) -> Result<&'a str, String> {
    match edit.get(field) {
        Some(Value::String(s)) if !s.trim().is_empty() => Ok(s),
        Some(Value::String(_)) => Err(format!("has an empty `{field}`")),
        Some(_) => Err(format!("has a `{field}` that is not text")),
        None => Err(format!("has no `{field}`")),
    }
}

/// Every address in a recipients field is an address; `required` needs one.
fn addresses(edit: &Map<String, Value>, field: &str, required: bool) -> Result<(), String> {
    let list = recipients(edit.get(field).unwrap_or(&Value::Null))
        .map_err(|m| format!("has a bad `{field}`: {m}"))?;
    if required && list.is_empty() {
        return Err(format!("has no recipient in `{field}`"));
    }
    match list.iter().find(|a| !is_address(a)) {
        Some(bad) => Err(format!(
            "has `{bad}` in `{field}`, which is not an email address"
        )),
        None => Ok(()),
    }
}

/// A proposal keeps its document, and an emailed one its recipients.
fn proposal(value: &Value) -> Result<(), String> {
    let p = baton_types::proposal::ProposalSend::deserialize(value)
        .map_err(|e| format!("is not a proposal: {e}"))?;
    if let Some(m) = p.problem() {
        return Err(format!("is not a proposal that can be sent: {m}"));
    }
    if let Some(edit) = value.as_object() {
        addresses(edit, "to", false)?;
        addresses(edit, "cc", false)?;
    }
    Ok(())
}

fn email(edit: &Map<String, Value>) -> Result<(), String> {
    addresses(edit, "to", true)?;
    addresses(edit, "cc", false)?;
    text(edit, "subject")?;
    match edit.get("body") {
        Some(Value::String(_)) => {}
        Some(_) => return Err("has a `body` that is not text".into()),
        None => return Err("has no `body`".into()),
    }
    crate::connectors::email::attachments(edit.get("attachments").unwrap_or(&Value::Null))
        .map(drop)
        .map_err(|m| format!("has bad `attachments`: {m}"))
}

fn crm_update(edit: &Map<String, Value>, original: &Value) -> Result<(), String> {
    // Which record is updated is not the rep's to change in an edit.
    for key in ["entity", "deal_id", "contact_id", "email", "contact_email"] {
        if let Some(was) = original.get(key)
            && edit.get(key) != Some(was)
        {
            return Err(format!("must keep `{key}` as {was}"));
        }
    }
    if original.get("field").is_some() {
        text(edit, "field")?;
        if !edit.contains_key("value") {
            return Err("has no `value`".into());
        }
    } else if edit.is_empty() {
        return Err("changes no field".into());
    }
    Ok(())
}

fn invite(edit: &Map<String, Value>) -> Result<(), String> {
    text(edit, "title")?;
    for field in ["start", "end"] {
        let at = text(edit, field)?;
        if at.parse::<jiff::Timestamp>().is_err() && at.parse::<jiff::civil::DateTime>().is_err() {
            return Err(format!(
                "has a `{field}` that is not a date and time: `{at}`"
            ));
        }
    }
    addresses(edit, "attendees", true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn email_draft() -> Value {
        json!({ "to": "marta@northwind.example", "subject": "Next steps", "body": "Hi" })
    }

    #[test]
    fn an_email_edit_keeps_recipients_subject_and_body() {
        let d = email_draft();
        let draft = Some((ActionKind::EmailSend, &d));
        assert!(shape(draft, &email_draft()).is_ok());
        assert!(shape(draft, &Value::Null).unwrap_err().contains("empty"));
        assert!(shape(draft, &json!("hi")).unwrap_err().contains("object"));
        let mut no_to = email_draft();
        no_to["to"] = json!([]);
        assert!(shape(draft, &no_to).unwrap_err().contains("`to`"));
        let mut bad_to = email_draft();
        bad_to["to"] = json!(["marta"]);
        assert!(
            shape(draft, &bad_to)
                .unwrap_err()
                .contains("not an email address")
        );
        let mut no_subject = email_draft();
        no_subject["subject"] = json!(" ");
        assert!(shape(draft, &no_subject).unwrap_err().contains("subject"));
        let mut no_body = email_draft();
        no_body.as_object_mut().map(|m| m.remove("body"));
        assert!(shape(draft, &no_body).unwrap_err().contains("body"));
    }

    #[test]
    fn an_email_edit_keeps_its_attachments_inside_the_content_folder() {
        let d = email_draft();
        let draft = Some((ActionKind::EmailSend, &d));
        let mut with = email_draft();
        with["attachments"] = json!([{ "file": "security-pack.pdf", "title": "Security pack" }]);
        assert!(shape(draft, &with).is_ok());
        with["attachments"] = json!([{ "file": "../../etc/passwd" }]);
        let e = shape(draft, &with).unwrap_err();
        assert!(e.contains("../../etc/passwd"), "{e}");
        with["attachments"] = json!("security-pack.pdf");
        assert!(shape(draft, &with).unwrap_err().contains("attachments"));
    }

    #[test]
    fn a_crm_edit_keeps_its_record_and_names_a_value() {
        let d = json!({ "entity": "deal", "deal_id": "d1", "field": "amount", "value": 100 });
        let draft = Some((ActionKind::CrmUpdate, &d));
        assert!(
            shape(
                draft,
                &json!({ "entity": "deal", "deal_id": "d1", "field": "amount", "value": 90 })
            )
            .is_ok()
        );
        assert!(
            shape(
                draft,
                &json!({ "entity": "deal", "deal_id": "d2", "field": "amount", "value": 90 })
            )
            .unwrap_err()
            .contains("deal_id")
        );
        assert!(
            shape(
                draft,
                &json!({ "entity": "deal", "deal_id": "d1", "field": "amount" })
            )
            .unwrap_err()
            .contains("value")
        );
    }

    #[test]
    fn tasks_and_invites_keep_their_essentials() {
        let t = json!({ "title": "Send the quote" });
        assert!(shape(Some((ActionKind::TaskCreate, &t)), &json!({ "title": "" })).is_err());
        let i = json!({});
        let ok = json!({ "title": "Call", "start": "2026-11-24T15:00:00Z", "end": "2026-11-24T15:30:00Z",
                         "attendees": ["marta@northwind.example"] });
        assert!(shape(Some((ActionKind::CalendarInvite, &i)), &ok).is_ok());
        let mut bad = ok.clone();
        bad["start"] = json!("tomorrow");
        assert!(
            shape(Some((ActionKind::CalendarInvite, &i)), &bad)
                .unwrap_err()
                .contains("start")
        );
    }

    #[test]
    fn a_gate_without_a_draft_takes_any_value_but_nothing() {
        assert!(shape(None, &json!({ "anything": 1 })).is_ok());
        assert!(shape(None, &Value::Null).is_err());
    }
}
