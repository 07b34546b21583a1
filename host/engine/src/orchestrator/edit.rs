//! The shape an edit must keep. An edit replaces the draft a gate shows (its
//! first action's payload, or the step's data when it proposes no action),
//! so it must be a draft of the same kind: an email keeps recipients, a
//! subject and a body (and its attachments name plain files of the content
//! folder); a task keeps a title; an invite keeps its times and attendees;
//! a chat post keeps its text. A kind an app owns is checked by the app's
//! [`KindRules::check_edit`]. Anything else is refused with the problem
//! named, before it is recorded, so nothing malformed reaches the outbox.

use super::composed::kind_rules;
use super::conductor::{Extension, OrchestratorError};
use super::extension::{Edit, KindRules};
use crate::runtime::ActionKind;
use crate::store::{PendingAction, kind_of};
use serde_json::Value;
use std::sync::Arc;

/// Check `value` as an edit of `action`'s draft, by the rules of `apps`
/// for the kinds they own.
pub fn check(
    apps: &[Arc<dyn Extension>],
    action: &PendingAction,
    value: &Value,
) -> Result<(), OrchestratorError> {
    let draft = action.body["actions"]
        .as_array()
        .and_then(|a| a.first())
        .and_then(|a| Some((kind_of(a)?, &a["payload"])));
    let rules = draft.and_then(|(kind, _)| kind_rules(apps, kind));
    shape(draft, rules, value).map_err(|m| OrchestratorError::Invalid(format!("the edit {m}")))
}

/// What is wrong with `value` as an edit of `draft` (kind and payload),
/// whose kind an app owns when `rules` is given.
fn shape(
    draft: Option<(ActionKind, &Value)>,
    rules: Option<&dyn KindRules>,
    value: &Value,
) -> Result<(), String> {
    if value.is_null() {
        return Err("is empty: send the edited draft as `value`".into());
    }
    let Some((kind, original)) = draft else {
        // The step's data, or a skill's own gate: the skill reads it.
        return Ok(());
    };
    let edit =
        Edit::of(value).ok_or_else(|| format!("of a `{}` must be a JSON object", kind.as_str()))?;
    if let Some(rules) = rules {
        return rules.check_edit(&edit, original);
    }
    match kind {
        ActionKind::EmailSend => email(&edit),
        ActionKind::TaskCreate => edit.text("title").map(drop),
        ActionKind::CalendarInvite => invite(&edit),
        ActionKind::SlackPost => edit.text("text").map(drop),
        // A kind no app owns: any object.
        _ => Ok(()),
    }
}

fn email(edit: &Edit<'_>) -> Result<(), String> {
    edit.recipients("to", true)?;
    edit.recipients("cc", false)?;
    edit.text("subject")?;
    match edit.get("body") {
        Some(Value::String(_)) => {}
        Some(_) => return Err("has a `body` that is not text".into()),
        None => return Err("has no `body`".into()),
    }
    crate::connectors::email::attachments(edit.get("attachments").unwrap_or(&Value::Null))
        .map(drop)
        .map_err(|m| format!("has bad `attachments`: {m}"))
}

fn invite(edit: &Edit<'_>) -> Result<(), String> {
    edit.text("title")?;
    for field in ["start", "end"] {
        let at = edit.text(field)?;
        if at.parse::<jiff::Timestamp>().is_err() && at.parse::<jiff::civil::DateTime>().is_err() {
            return Err(format!(
                "has a `{field}` that is not a date and time: `{at}`"
            ));
        }
    }
    edit.recipients("attendees", true)
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
        assert!(shape(draft, None, &email_draft()).is_ok());
        assert!(
            shape(draft, None, &Value::Null)
                .unwrap_err()
                .contains("empty")
        );
        assert!(
            shape(draft, None, &json!("hi"))
                .unwrap_err()
                .contains("object")
        );
        let mut no_to = email_draft();
        no_to["to"] = json!([]);
        assert!(shape(draft, None, &no_to).unwrap_err().contains("`to`"));
        let mut bad_to = email_draft();
        bad_to["to"] = json!(["marta"]);
        assert!(
            shape(draft, None, &bad_to)
                .unwrap_err()
                .contains("not an email address")
        );
        let mut no_subject = email_draft();
        no_subject["subject"] = json!(" ");
        assert!(
            shape(draft, None, &no_subject)
                .unwrap_err()
                .contains("subject")
        );
        let mut no_body = email_draft();
        no_body.as_object_mut().map(|m| m.remove("body"));
        assert!(shape(draft, None, &no_body).unwrap_err().contains("body"));
    }

    #[test]
    fn an_email_edit_keeps_its_attachments_inside_the_content_folder() {
        let d = email_draft();
        let draft = Some((ActionKind::EmailSend, &d));
        let mut with = email_draft();
        with["attachments"] = json!([{ "file": "security-pack.pdf", "title": "Security pack" }]);
        assert!(shape(draft, None, &with).is_ok());
        with["attachments"] = json!([{ "file": "../../etc/passwd" }]);
        let e = shape(draft, None, &with).unwrap_err();
        assert!(e.contains("../../etc/passwd"), "{e}");
        with["attachments"] = json!("security-pack.pdf");
        assert!(
            shape(draft, None, &with)
                .unwrap_err()
                .contains("attachments")
        );
    }

    #[test]
    fn tasks_and_invites_keep_their_essentials() {
        let t = json!({ "title": "Send the quote" });
        assert!(
            shape(
                Some((ActionKind::TaskCreate, &t)),
                None,
                &json!({ "title": "" })
            )
            .is_err()
        );
        let i = json!({});
        let ok = json!({ "title": "Call", "start": "2026-11-24T15:00:00Z", "end": "2026-11-24T15:30:00Z",
                         "attendees": ["marta@northwind.example"] });
        assert!(shape(Some((ActionKind::CalendarInvite, &i)), None, &ok).is_ok());
        let mut bad = ok.clone();
        bad["start"] = json!("tomorrow");
        assert!(
            shape(Some((ActionKind::CalendarInvite, &i)), None, &bad)
                .unwrap_err()
                .contains("start")
        );
    }

    #[test]
    fn a_gate_without_a_draft_takes_any_value_but_nothing() {
        assert!(shape(None, None, &json!({ "anything": 1 })).is_ok());
        assert!(shape(None, None, &Value::Null).is_err());
    }
}
