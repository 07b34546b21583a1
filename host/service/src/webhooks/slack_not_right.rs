//! "Not right" in Slack: the request's "Not right…" button opens a modal
//! (`views.open` on the click's trigger) that takes what was wrong, the
//! labels the suggestion should have had (the vocabulary its app names,
//! when it names one) and a note; its submission (`view_submission`) marks
//! the gate as the inbox's form does, through the same checks. A refusal
//! (labels without "Wrong intent", a label not in the vocabulary) is shown
//! on the field, in the modal, and nothing changes; the request's message
//! then says what became of the gate. The modal's `private_metadata`
//! carries which gate (`org:gate`) and the message's response URL.

use super::slack_click::{Click, acting_for, not_yours, parse_value};
use super::slack_reply::{answer, trusted};
use crate::App;
use baton_engine::connectors::blocks::{
    self, LABELS_BLOCK, NOT_RIGHT, NOT_RIGHT_VIEW, NOTE_BLOCK, REASON_BLOCK,
};
use baton_engine::orchestrator::approvals::MAX_NOTE;
use baton_engine::orchestrator::{Decider, Feedback, OrchestratorError};
use baton_engine::store::{GateId, OrgId, PendingAction, Reach, UserId};
use serde_json::{Value, json};

/// A submitted "Not right" modal, as Slack sent it.
#[derive(Debug, Clone, PartialEq)]
pub struct Submitted {
    /// The Slack user id Slack signed for.
    pub slack_user: String,
    pub org: OrgId,
    pub gate: GateId,
    /// The request's response URL, when the click gave one.
    pub response_url: Option<String>,
    pub reason: Option<String>,
    pub labels: Vec<String>,
    pub note: Option<String>,
}

/// The modal's metadata: which gate, and where to answer.
fn metadata(click: &Click, response_url: Option<&str>) -> String {
    let gate = blocks::gate_button_value(&click.org, &click.approval, NOT_RIGHT);
    match response_url {
        Some(url) => format!("{gate}\n{url}"),
        None => gate,
    }
}

/// Read a `view_submission` payload: `None` when it is not our modal's.
pub fn submission(payload: &Value) -> Option<Submitted> {
    let view = &payload["view"];
    if payload["type"] != "view_submission" || view["callback_id"] != NOT_RIGHT_VIEW {
        return None;
    }
    let meta = view["private_metadata"].as_str()?;
    let (gate, url) = match meta.split_once('\n') {
        Some((g, u)) => (g, Some(u.to_owned())),
        None => (meta, None),
    };
    let click = parse_value(gate).filter(|c| c.decision == NOT_RIGHT)?;
    let values = &view["state"]["values"];
    let field = |block: &str| &values[block][block];
    let labels = match &field(LABELS_BLOCK)["selected_options"] {
        Value::Array(all) => all
            .iter()
            .filter_map(|o| o["value"].as_str().map(str::to_owned))
            .collect(),
        _ => field(LABELS_BLOCK)["selected_option"]["value"]
            .as_str()
            .map(|v| vec![v.to_owned()])
            .unwrap_or_default(),
    };
    Some(Submitted {
        slack_user: payload["user"]["id"].as_str().unwrap_or("").to_owned(),
        org: click.org,
        gate: click.approval,
        response_url: url,
        reason: field(REASON_BLOCK)["selected_option"]["value"]
            .as_str()
            .map(str::to_owned),
        labels,
        note: field(NOTE_BLOCK)["value"].as_str().map(str::to_owned),
    })
}

/// Open the modal for `gate` on the click's `trigger_id`; where Slack
/// cannot show it, the person is told privately to use the inbox.
pub(super) async fn open(
    app: &App,
    click: &Click,
    gate: &PendingAction,
    trigger_id: Option<&str>,
    response_url: Option<&str>,
) {
    let opened = async {
        let slack = app
            .transports
            .slack
            .as_ref()
            .ok_or_else(|| "no Slack bot token is set".to_owned())?;
        let trigger = trigger_id.ok_or_else(|| "the click carried no trigger".to_owned())?;
        let labels = app.orch.labels_of(gate).await.map_err(|e| e.to_string())?;
        let vocabulary = labels.map(|l| blocks::Vocabulary {
            labels: l.vocabulary,
            one: l.one,
        });
        let view =
            blocks::not_right_modal(gate, vocabulary, MAX_NOTE, &metadata(click, response_url));
        slack
            .open_view(trigger, &view)
            .await
            .map_err(|e| e.to_string())
    }
    .await;
    if let Err(why) = opened {
        tracing::warn!(approval = %click.approval, why = %why, "Slack \"Not right\": the form did not open");
        if let Some(url) = response_url.filter(|u| trusted(app, u)) {
            let text = "The form to say what was wrong could not open here; use \u{201c}Edit in inbox\u{201d}. Nothing was changed.";
            let body =
                json!({ "replace_original": false, "response_type": "ephemeral", "text": text });
            answer(url, &body).await;
        }
    }
}

/// What Slack is answered for a submission: `None` to close the modal
/// (done, or nothing more to say), else the errors to show on its fields.
pub async fn submit(app: &App, s: &Submitted) -> Option<Value> {
    let errors = |block: &str, text: String| {
        Some(json!({ "response_action": "errors", "errors": { block: text } }))
    };
    let store = app.store();
    let gate = match store.pending_action(&s.org, &s.gate).await {
        Ok(Some(g)) => g,
        Ok(None) => return errors(REASON_BLOCK, "This request no longer exists.".into()),
        Err(e) => {
            tracing::warn!(error = %e, "Slack \"Not right\": cannot read the approval");
            return errors(
                REASON_BLOCK,
                "baton cannot read this request now; try again.".into(),
            );
        }
    };
    let rep: UserId = match acting_for(app, &s.org, &s.slack_user, &gate).await {
        Ok(Some(rep)) => rep,
        Ok(None) => {
            let owner = store.user(&s.org, &gate.user_id).await.ok().flatten();
            return errors(
                REASON_BLOCK,
                not_yours(owner.as_ref().map(|u| u.name.as_str())),
            );
        }
        Err(e) => {
            tracing::warn!(error = %e, "Slack \"Not right\": cannot read who submitted");
            return errors(
                REASON_BLOCK,
                "baton cannot read this request now; try again.".into(),
            );
        }
    };
    let feedback = match Feedback::read(s.reason.as_deref(), &s.labels, s.note.as_deref()) {
        Ok(f) => f,
        Err(why) if s.reason.as_deref().is_none_or(|r| r.trim().is_empty()) => {
            return errors(REASON_BLOCK, why);
        }
        Err(why) => return errors(LABELS_BLOCK, why),
    };
    let by = format!("slack:{}", s.slack_user);
    let who = Decider::new(&by, Reach::Team(rep.clone()));
    match app
        .orch
        .mark_not_right(&s.org, &s.gate, &feedback, &who)
        .await
    {
        Ok(_) => {}
        Err(OrchestratorError::Invalid(why)) => {
            let block = if why.contains("note") {
                NOTE_BLOCK
            } else {
                LABELS_BLOCK
            };
            return errors(block, why);
        }
        Err(e) => return errors(REASON_BLOCK, format!("Not applied: {e}")),
    }
    // The request says what became of it.
    let name = match store.user(&s.org, &rep).await {
        Ok(Some(u)) => u.name,
        _ => by,
    };
    let outcome = format!(
        "Marked not right ({}) by {name}; skipped",
        feedback.reason.describe().to_lowercase()
    );
    if let Some(url) = s.response_url.as_deref().filter(|u| trusted(app, u)) {
        let (text, blocks) = blocks::decided(&gate.title, &outcome);
        answer(
            url,
            &json!({ "replace_original": true, "text": text, "blocks": blocks }),
        )
        .await;
        if let Err(e) = store.mark_chat_closed(&s.org, &s.gate, app.now()).await {
            tracing::warn!(error = %e, "Slack \"Not right\": the request's message is told again");
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn payload(meta: &str, state: Value) -> Value {
        json!({ "type": "view_submission", "user": { "id": "U1" },
            "view": { "callback_id": NOT_RIGHT_VIEW, "private_metadata": meta, "state": { "values": state } } })
    }

    #[test]
    fn a_submission_is_read_with_its_labels_note_and_where_to_answer() {
        let state = json!({
            "reason": { "reason": { "type": "static_select", "selected_option": { "value": "wrong_intent" } } },
            "labels": { "labels": { "type": "checkboxes", "selected_options": [
                { "value": "buying_positive" }, { "value": "timeline" } ] } },
            "note": { "note": { "type": "plain_text_input", "value": "they asked for a case study" } } });
        let s = submission(&payload(
            "acme:g1:not_right\nhttps://hooks.slack.com/x",
            state,
        ))
        .expect("ours");
        assert_eq!((s.org.as_str(), s.gate.as_str()), ("acme", "g1"));
        assert_eq!(s.response_url.as_deref(), Some("https://hooks.slack.com/x"));
        assert_eq!(s.reason.as_deref(), Some("wrong_intent"));
        assert_eq!(s.labels, ["buying_positive", "timeline"]);
        assert_eq!(s.note.as_deref(), Some("they asked for a case study"));
        // One label, from a select.
        let one = json!({ "labels": { "labels": { "selected_option": { "value": "pricing" } } } });
        let s = submission(&payload("acme:g1:not_right", one)).expect("ours");
        assert_eq!(s.labels, ["pricing"]);
        assert_eq!((s.reason, s.response_url), (None, None));
    }

    #[test]
    fn anything_but_our_modal_is_not_read() {
        assert!(submission(&payload("acme:g1:approve", json!({}))).is_none());
        assert!(submission(&payload("junk", json!({}))).is_none());
        let mut other = payload("acme:g1:not_right", json!({}));
        other["view"]["callback_id"] = json!("someone.else");
        assert!(submission(&other).is_none());
        assert!(submission(&json!({ "type": "block_actions" })).is_none());
    }
}
