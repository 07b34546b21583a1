//! `/baton …`: a Slack slash command taking a rep's request in their own
//! words. The command (signed like every Slack request, and refused if its
//! signature was seen before) is read by the apps
//! ([`Orchestrator::understand`](baton_engine::orchestrator::Orchestrator)):
//! the rep sees, privately, what would run (the sequence's plan: its
//! stages, the gates they will meet, the cost to expect) with "Run it" and
//! "Cancel" buttons, or a question back when the request names nobody
//! known or reads more than one way. Only "Run it" submits the event, as
//! the rep who clicked, once however often it is clicked.

use super::slack_reply::{answer, trusted};
use crate::App;
use baton_engine::orchestrator::plan::Plan;
use baton_engine::orchestrator::requests::Answer;
use baton_engine::orchestrator::{OrchestratorError, Submitted};
use baton_engine::store::{Org, OrgId, StoreError, User};
use serde_json::{Value, json};
use std::sync::Arc;

/// The block the request's buttons sit in, and their action ids.
const BLOCK: &str = "baton.request";
const RUN: &str = "baton.request.run";
const CANCEL: &str = "baton.request.cancel";

/// A slash command as Slack posts it.
#[derive(Debug, Clone, PartialEq)]
pub struct Command {
    pub slack_user: String,
    pub text: String,
}

/// A click on a request's "Run it" or "Cancel".
#[derive(Debug, Clone, PartialEq)]
pub struct Confirm {
    pub slack_user: String,
    pub org: OrgId,
    pub text: String,
    pub run: bool,
    pub response_url: Option<String>,
    /// The message the buttons sit in (a second click on it runs nothing
    /// new).
    pub message: String,
}

/// Read a slash command's form fields; `None` without a `command`.
pub fn command(form: &[(String, String)]) -> Option<Command> {
    let field = |k: &str| {
        form.iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    form.iter().any(|(k, _)| k == "command").then(|| Command {
        slack_user: field("user_id"),
        text: field("text"),
    })
}

/// Read a click on a request's buttons from a `block_actions` payload.
pub fn confirm(payload: &Value) -> Option<Confirm> {
    let action = payload["actions"]
        .as_array()?
        .iter()
        .find(|a| a["action_id"] == RUN || a["action_id"] == CANCEL)?;
    let (org, text) = action["value"].as_str()?.split_once('\n')?;
    if org.is_empty() {
        return None;
    }
    let response_url = payload["response_url"].as_str().map(str::to_owned);
    Some(Confirm {
        slack_user: payload["user"]["id"].as_str().unwrap_or("").to_owned(),
        org: OrgId::from(org),
        text: text.to_owned(),
        run: action["action_id"] == RUN,
        message: payload["container"]["message_ts"]
            .as_str()
            .map(str::to_owned)
            .or(response_url.clone())
            .unwrap_or_default(),
        response_url,
    })
}

/// The rep a Slack user is, with their org: `Err` with what to tell them
/// when they are nobody known, or known in more than one org.
async fn who(app: &App, slack_user: &str) -> Result<Result<(Org, User), String>, StoreError> {
    let store = app.store();
    let found = if slack_user.is_empty() {
        Vec::new()
    } else {
        store.users_by_slack_id(slack_user).await?
    };
    let (org_id, user_id) = match found.as_slice() {
        [one] => one.clone(),
        [] => {
            return Ok(Err("I don't know who you are here: your Slack user id is not in anyone's baton preferences (`slack_user_id`). Ask your admin to add it.".into()));
        }
        _ => {
            return Ok(Err("Your Slack user is linked to more than one baton org, so I cannot tell which you mean: use the request box in your inbox.".into()));
        }
    };
    match (
        store.org(&org_id).await?,
        store.user(&org_id, &user_id).await?,
    ) {
        (Some(org), Some(user)) => Ok(Ok((org, user))),
        _ => Ok(Err("Your baton account is gone.".into())),
    }
}

/// `text` safe inside Slack mrkdwn.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A private answer to the person who typed the command.
fn private(text: &str) -> Value {
    json!({ "response_type": "ephemeral", "text": text })
}

/// The plan in a few lines of mrkdwn: the stages, the gates, the cost.
fn plan_lines(plan: &Plan) -> String {
    let stages: Vec<String> = plan
        .stages
        .iter()
        .enumerate()
        .map(|(n, st)| {
            let steps: Vec<String> = st
                .iter()
                .filter(|p| p.runs != "skipped")
                .map(|p| format!("`{}`", p.name))
                .collect();
            format!("{}. {}", n + 1, steps.join(" + "))
        })
        .collect();
    let gates: Vec<String> = plan
        .stages
        .iter()
        .flatten()
        .filter(|p| p.runs != "skipped")
        .filter_map(|p| {
            let g = p
                .gate
                .and_then(|g| serde_json::to_value(g).ok())
                .and_then(|g| g.as_str().map(str::to_owned));
            match g {
                Some(g) if g != "inform" => Some(format!("`{}` ({g})", p.name)),
                Some(_) => None,
                None => p.asks.then(|| format!("`{}` (its own question)", p.name)),
            }
        })
        .collect();
    let e = &plan.estimate;
    format!(
        "*Plan* (`{}`): {}\n*You will be asked:* {}\n*Expected cost:* ${:.4} (p90 ${:.4})",
        plan.event,
        stages.join(" → "),
        if gates.is_empty() {
            "nothing".to_owned()
        } else {
            gates.join(", ")
        },
        e.cost_micros.p50 as f64 / 1e6,
        e.cost_micros.p90 as f64 / 1e6,
    )
}

/// Answer a slash command: the plan with its buttons, or a question.
pub async fn answer_command(app: &Arc<App>, c: &Command) -> Value {
    let (org, user) = match who(app, &c.slack_user).await {
        Ok(Ok(found)) => found,
        Ok(Err(tell)) => return private(&tell),
        Err(e) => {
            tracing::warn!(error = %e, "Slack command: cannot read who sent it");
            return private("baton cannot read its database just now; try again in a minute.");
        }
    };
    match app.orch.understand(&org, &user, &c.text).await {
        Ok(Answer::Question(q)) => private(&q),
        Ok(Answer::Plan { summary, plan, .. }) => {
            let value = format!("{}\n{}", org.id, c.text.trim());
            let said = format!("I'll {}.", escape(&summary));
            json!({
                "response_type": "ephemeral",
                "text": said,
                "blocks": [
                    { "type": "section", "text": { "type": "mrkdwn",
                        "text": format!("{said}\n{}", plan_lines(&plan)) } },
                    { "type": "actions", "block_id": BLOCK, "elements": [
                        { "type": "button", "action_id": RUN, "style": "primary",
                          "text": { "type": "plain_text", "text": "Run it" }, "value": value },
                        { "type": "button", "action_id": CANCEL,
                          "text": { "type": "plain_text", "text": "Cancel" }, "value": value },
                    ] },
                ],
            })
        }
        Err(e) => {
            tracing::warn!(error = %e, "Slack command: cannot read the request");
            private(&format!("I could not work that out: {e}"))
        }
    }
}

/// Act on a click on a request's buttons, answering through its message.
pub async fn apply_confirm(app: &Arc<App>, c: Confirm) {
    let outcome = match decide(app, &c).await {
        Ok(text) => text,
        Err(e) => {
            tracing::warn!(error = %e, "Slack request: not run");
            format!("Not run: {e}")
        }
    };
    if let Some(url) = c.response_url.as_deref().filter(|u| trusted(app, u)) {
        answer(url, &json!({ "replace_original": true, "text": outcome })).await;
    }
}

/// What a click comes to, in words.
async fn decide(app: &Arc<App>, c: &Confirm) -> Result<String, OrchestratorError> {
    let (org, user) = match who(app, &c.slack_user).await? {
        Ok(found) if found.0.id == c.org => found,
        Ok(_) => return Ok("This request isn't yours to run. Nothing was changed.".into()),
        Err(tell) => return Ok(tell),
    };
    if !c.run {
        return Ok(format!("Cancelled: “{}”.", escape(&c.text)));
    }
    let submitted = app
        .orch
        .run_request(&org, &user, &c.text, "slack", &c.message)
        .await;
    let link = |job: &baton_engine::store::JobId| {
        app.settings
            .public_url
            .as_deref()
            .map(|base| {
                format!(
                    " <{}/inbox/jobs/{job}|Follow it>.",
                    base.trim_end_matches('/')
                )
            })
            .unwrap_or_default()
    };
    Ok(match submitted {
        Ok(Submitted::Accepted { job_id, .. }) => {
            format!("Running: “{}”.{}", escape(&c.text), link(&job_id))
        }
        // Clicked before: the job it started.
        Ok(Submitted::Refused {
            job_id: Some(job_id),
            reason: baton_engine::orchestrator::Reason::Duplicate,
            ..
        }) => format!("Already running: “{}”.{}", escape(&c.text), link(&job_id)),
        Ok(Submitted::Refused { detail, .. }) => format!("Not run: {detail}"),
        Err(OrchestratorError::Invalid(q)) => q,
        Err(e) => return Err(e),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_command_and_a_confirmation_are_read_from_their_forms() {
        let form = vec![
            ("command".to_owned(), "/baton".to_owned()),
            ("text".to_owned(), "find times with Marta".to_owned()),
            ("user_id".to_owned(), "U1".to_owned()),
        ];
        assert_eq!(
            command(&form),
            Some(Command {
                slack_user: "U1".into(),
                text: "find times with Marta".into()
            })
        );
        assert_eq!(command(&form[1..]), None);
        let click = json!({ "type": "block_actions", "user": { "id": "U1" },
            "container": { "message_ts": "17.1" }, "response_url": "https://hooks.slack.com/x",
            "actions": [{ "action_id": RUN, "value": "org1\nfind times with Marta" }] });
        let c = confirm(&click).unwrap();
        assert_eq!(
            (c.org.0.as_str(), c.text.as_str(), c.run),
            ("org1", "find times with Marta", true)
        );
        assert_eq!(c.message, "17.1");
        let junk = json!({ "actions": [{ "action_id": RUN, "value": "no newline" }] });
        assert_eq!(confirm(&junk), None);
    }
}
