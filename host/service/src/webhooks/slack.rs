//! `POST /v1/webhooks/slack/interactions`: Slack interactivity. The body is
//! form-encoded (`payload=<json>`), signed with the app's signing secret
//! (`BATON_SLACK_SIGNING_SECRET`, v0 scheme, 5-minute window). Button
//! clicks (`block_actions`) on approval requests become decisions; "Not
//! right…" opens a modal whose submission (`view_submission`) is a skip
//! with the reason, the corrected labels and a note (`slack_not_right.rs`;
//! a reason picked in the menu older messages carry is a skip with it). A click
//! acts only for the rep whose preferences hold the clicker's Slack user
//! id (`slack_user_id`), on that rep's gates or their team's; anyone else
//! is told, privately, that the gate is not theirs, and nothing changes.
//! A slash command (`/baton <request>`, the same signature, refused when
//! replayed) is a request in the rep's words: `slack_command.rs`. Slack
//! wants an answer within 3 s, so the request is acknowledged at once and
//! the decision is applied after; the message is then replaced through its
//! `response_url` so nobody answers it twice.

pub use super::slack_click::{Click, parse_value};
use super::slack_click::{acting_for, not_yours};
use super::slack_reply::{answer, trusted};
use super::{header, now_s, slack_command, slack_not_right};
use crate::App;
use crate::openapi::{Invalid, Verified};
use crate::problem::{Problem, RawBody, refuse_nul};
use crate::signature::verify_slack;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use baton_engine::connectors::blocks;
use baton_engine::orchestrator::{Decider, Feedback};
use baton_engine::runtime::Decision;
use baton_engine::store::{FeedbackReason, Reach};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::sync::Arc;

/// Slack's form, as documented: an interaction or a slash command (the
/// handler reads it only once the signature holds).
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
struct SlackForm {
    /// The interaction, as JSON
    #[schema(required = false)]
    payload: String,
    /// A slash command (`/baton <request>`), with `text` and `user_id`
    #[schema(required = false)]
    command: String,
}

/// What a slash command (or a refused modal) is answered with.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
struct SlackNote {
    #[schema(required = false)]
    response_type: String,
    #[schema(required = false)]
    text: String,
    /// `errors`, for a modal's submission refused
    #[schema(required = false)]
    response_action: String,
    /// The message to show under each refused field, by its block id
    #[schema(required = false, value_type = Object)]
    errors: serde_json::Value,
}

/// Receive one interaction.
#[utoipa::path(post, path = "/v1/webhooks/slack/interactions", operation_id = "slackInteractions",
    summary = "Slack interactivity (v0-signed form); buttons decide approvals, acknowledged at once",
    params(("x-slack-request-timestamp" = String, Header, description = "Seconds since the epoch, within the tolerance"),
        ("x-slack-signature" = String, Header, description = "`v0=<hex HMAC-SHA256>` with BATON_SLACK_SIGNING_SECRET")),
    request_body(content = inline(SlackForm), content_type = "application/x-www-form-urlencoded"),
    responses(Verified, Invalid,
        (status = 200, description = "Acknowledged (an empty body); a slash command's private answer: what would run, with Run it / Cancel buttons, or a question; or, for a \"Not right\" modal's submission, the errors to show on its fields (`response_action: errors`)", body = inline(SlackNote))))]
pub async fn receive(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    RawBody(body): RawBody,
) -> Result<Response, Problem> {
    let secret = app.secrets.slack_signing_secret.as_deref().ok_or_else(|| {
        Problem::forbidden("Slack interactivity is off: set BATON_SLACK_SIGNING_SECRET")
    })?;
    verify_slack(
        secret,
        header(&headers, "x-slack-request-timestamp"),
        header(&headers, "x-slack-signature"),
        &body,
        now_s(&app),
        app.settings.webhook_tolerance_s,
    )
    .map_err(|e| Problem::unauthorized(format!("Slack signature: {e}")))?;
    match interaction(&body)? {
        // A request in the rep's words: answered at once, privately, with
        // what would run. A signature seen before is a replay.
        Interaction::Command(c) => {
            let signature = header(&headers, "x-slack-signature").unwrap_or_default();
            let digest = hex::encode(Sha256::digest(signature.as_bytes()));
            let now = app.orch.clock.real_ms();
            let window = app.settings.webhook_tolerance_s.saturating_mul(2000);
            if !app
                .store()
                .first_sighting(&digest, now + window, now)
                .await?
            {
                return Err(Problem::unauthorized(
                    "Slack signature: already used (a replayed request)",
                ));
            }
            Ok(axum::Json(slack_command::answer_command(&app, &c).await).into_response())
        }
        Interaction::Confirm(c) => {
            tokio::spawn(async move { slack_command::apply_confirm(&app, c).await });
            Ok(StatusCode::OK.into_response())
        }
        Interaction::Ignored => Ok(StatusCode::OK.into_response()),
        // Slack waits for the answer to show a refusal on its field.
        Interaction::NotRight(submitted) => match slack_not_right::submit(&app, &submitted).await {
            Some(errors) => Ok(axum::Json(errors).into_response()),
            None => Ok(StatusCode::OK.into_response()),
        },
        Interaction::Clicks {
            slack_user,
            response_url,
            trigger_id,
            clicks,
            blocks,
        } => {
            // A click in a message an app keeps (several items in one) is
            // answered beside it; any other message is replaced.
            let apps = app.orch.extensions();
            let replace = !blocks
                .iter()
                .any(|b| apps.iter().any(|e| e.keeps_message(b)));
            // Acknowledge now; decide after.
            tokio::spawn(async move {
                let at = Reply {
                    response_url: response_url.as_deref(),
                    trigger_id: trigger_id.as_deref(),
                    replace,
                };
                for click in clicks {
                    apply(&app, &click, &slack_user, &at).await;
                }
            });
            Ok(StatusCode::OK.into_response())
        }
    }
}

/// What a signed interaction body asks for.
#[derive(Debug, Clone, PartialEq)]
pub enum Interaction {
    /// A slash command: a request in the rep's words.
    Command(slack_command::Command),
    /// A click on a request's "Run it" or "Cancel".
    Confirm(slack_command::Confirm),
    /// Anything but a click on one of our buttons: acknowledged, no effect.
    Ignored,
    /// A submitted "Not right" modal.
    NotRight(slack_not_right::Submitted),
    /// Clicks on approval buttons, by the Slack user id Slack signed for,
    /// where to answer, and the ids of the blocks clicked in (an app may
    /// keep the message they sit in: see `Extension::keeps_message`).
    Clicks {
        slack_user: String,
        response_url: Option<String>,
        /// What a modal opens on (a click's trigger lasts three seconds).
        trigger_id: Option<String>,
        clicks: Vec<Click>,
        blocks: Vec<String>,
    },
}

/// Read an interaction's form body (`payload=<json>`): 400 for a form
/// without a JSON `payload`, 422 for text holding a NUL.
pub fn interaction(body: &[u8]) -> Result<Interaction, Problem> {
    let form: Vec<(String, String)> = form_urlencoded::parse(body).into_owned().collect();
    if let Some(c) = slack_command::command(&form) {
        if c.text.contains('\0') {
            return Err(Problem::unprocessable("the command's text holds a NUL"));
        }
        return Ok(Interaction::Command(c));
    }
    let payload = form
        .into_iter()
        .find(|(k, _)| k == "payload")
        .map(|(_, v)| v)
        .ok_or_else(|| Problem::bad_request("the form has no `payload` field"))?;
    let payload: Value = serde_json::from_str(&payload)
        .map_err(|e| Problem::bad_request(format!("`payload` is not JSON: {e}")))?;
    refuse_nul(&payload, "payload")?;
    if let Some(s) = slack_not_right::submission(&payload) {
        return Ok(Interaction::NotRight(s));
    }
    if payload["type"] != "block_actions" {
        return Ok(Interaction::Ignored);
    }
    if let Some(c) = slack_command::confirm(&payload) {
        return Ok(Interaction::Confirm(c));
    }
    // Who decided is the Slack user id Slack signed for, never a name.
    let slack_user = payload["user"]["id"].as_str().unwrap_or("").to_owned();
    let clicks: Vec<Click> = payload["actions"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|a| {
            a["value"]
                .as_str()
                .or(a["selected_option"]["value"].as_str())
                .and_then(parse_value)
        })
        .collect();
    if clicks.is_empty() {
        return Ok(Interaction::Ignored);
    }
    let blocks = payload["actions"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|a| a["block_id"].as_str().map(str::to_owned))
        .collect();
    Ok(Interaction::Clicks {
        slack_user,
        response_url: payload["response_url"].as_str().map(str::to_owned),
        trigger_id: payload["trigger_id"].as_str().map(str::to_owned),
        clicks,
        blocks,
    })
}

/// Where a click is answered: its response URL, the trigger a modal
/// opens on, and whether the message is replaced (else answered beside).
struct Reply<'a> {
    response_url: Option<&'a str>,
    trigger_id: Option<&'a str>,
    replace: bool,
}

async fn apply(app: &App, click: &Click, slack_user: &str, at: &Reply<'_>) {
    let (response_url, replace) = (at.response_url, at.replace);
    let store = app.store();
    let gate = match store.pending_action(&click.org, &click.approval).await {
        Ok(Some(g)) => g,
        Ok(None) => {
            tracing::warn!(approval = %click.approval, "Slack click on an unknown approval");
            return;
        }
        Err(e) => {
            tracing::warn!(error = %e, "Slack click: cannot read the approval");
            return;
        }
    };
    let by = format!("slack:{slack_user}");
    let rep = match acting_for(app, &click.org, slack_user, &gate).await {
        Ok(Some(rep)) => rep,
        Ok(None) => {
            // Not this person's to decide: say so to them alone, and leave
            // the message as it is for the rep it is for.
            let owner = store.user(&click.org, &gate.user_id).await.ok().flatten();
            let text = not_yours(owner.as_ref().map(|u| u.name.as_str()));
            if let Some(url) = response_url.filter(|u| trusted(app, u)) {
                let body = json!({ "replace_original": false, "response_type": "ephemeral", "text": text });
                answer(url, &body).await;
            }
            return;
        }
        Err(e) => {
            tracing::warn!(error = %e, "Slack click: cannot read who clicked");
            return;
        }
    };
    // "Not right…": the modal says the rest.
    if click.decision == blocks::NOT_RIGHT {
        slack_not_right::open(app, click, &gate, at.trigger_id, response_url).await;
        return;
    }
    // The outcome names the person, not their Slack id.
    let name = match store.user(&click.org, &rep).await {
        Ok(Some(u)) => u.name,
        _ => by.clone(),
    };
    let who = Decider::new(&by, Reach::Team(rep));
    let decided = if let Some(reason) = click.decision.strip_prefix("not_right:") {
        let Ok(reason) = FeedbackReason::from_wire(reason) else {
            tracing::warn!(
                decision = click.decision.as_str(),
                "Slack \"Not right\" with an unknown reason"
            );
            return;
        };
        let feedback = Feedback {
            reason,
            labels: None,
            note: None,
        };
        app.orch
            .mark_not_right(&click.org, &click.approval, &feedback, &who)
            .await
            .map(|_| {
                format!(
                    "Marked not right ({}) by {name}; skipped",
                    reason.describe().to_lowercase()
                )
            })
    } else {
        let decision = match click.decision.as_str() {
            "approve" => Decision::Approved,
            "skip" => Decision::Skipped,
            "cancel" => Decision::Cancelled,
            "all" => Decision::PerItem(vec![true; gate.options.len()]),
            other => match other.strip_prefix("choose:").and_then(|n| n.parse().ok()) {
                Some(n) => Decision::Chosen(n),
                None => {
                    tracing::warn!(decision = other, "Slack click with an unknown decision");
                    return;
                }
            },
        };
        app.orch
            .decide(&click.org, &click.approval, decision, &who)
            .await
            .map(|_| format!("{} by {name}", past(&click.decision)))
    };
    let applied = decided.is_ok();
    let outcome = decided.unwrap_or_else(|e| format!("not applied: {e}"));
    if let Some(url) = response_url.filter(|u| trusted(app, u)) {
        let (text, blocks) = blocks::decided(&gate.title, &outcome);
        let body = if replace {
            json!({ "replace_original": true, "text": text, "blocks": blocks })
        } else {
            json!({ "replace_original": false, "response_type": "ephemeral", "text": text })
        };
        answer(url, &body).await;
        // The message says what became of the gate: the notifier need not.
        if replace
            && applied
            && let Err(e) = store
                .mark_chat_closed(&click.org, &click.approval, app.now())
                .await
        {
            tracing::warn!(error = %e, "Slack click: the request's message is told again");
        }
    }
}

fn past(decision: &str) -> &'static str {
    match decision {
        "approve" | "all" => "Approved",
        "skip" => "Skipped",
        "cancel" => "Sequence cancelled",
        _ => "Chosen",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn button_values_round_trip_and_junk_is_refused() {
        let c = parse_value("org1:act9:choose:2").unwrap();
        assert_eq!(c.org.0, "org1");
        assert_eq!(c.approval.as_str(), "act9");
        assert_eq!(c.decision, "choose:2");
        assert!(parse_value("org1:act9").is_none());
        assert!(parse_value("::approve").is_none());
        assert!(parse_value("click_me_123").is_none());
        let menu = parse_value("org1:act9:not_right:wrong_intent").unwrap();
        assert_eq!(menu.decision, "not_right:wrong_intent");
    }

    #[test]
    fn a_not_right_menu_choice_is_read_from_its_selected_option() {
        let payload = json!({ "type": "block_actions", "user": { "id": "U7" },
            "actions": [{ "type": "static_select", "action_id": "baton.not_right",
                "selected_option": { "text": { "type": "plain_text", "text": "Bad draft" },
                                     "value": "org1:act9:not_right:bad_draft" } }] });
        let body = format!(
            "payload={}",
            form_urlencoded::byte_serialize(payload.to_string().as_bytes()).collect::<String>()
        );
        match interaction(body.as_bytes()).unwrap() {
            Interaction::Clicks {
                slack_user, clicks, ..
            } => {
                assert_eq!(slack_user, "U7");
                assert_eq!(clicks[0].decision, "not_right:bad_draft");
            }
            other => panic!("{other:?}"),
        }
    }
}
