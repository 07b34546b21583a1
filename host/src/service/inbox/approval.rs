//! One approval gate in the inbox: its preview, the forms for each
//! pattern (approve, edit the draft, choose, per-item, skip, cancel, and
//! "Not right": a skip with a reason, the right labels and a note), and
//! reading a posted form into a [`Decision`] for the orchestrator. Every
//! query is scoped to the session's org; it never decides without a session.

use super::{login_page, page, proposal_gate, session};
use crate::eval::{emails, intents};
use crate::orchestrator::feedback::suggested;
use crate::orchestrator::{Decider, Feedback, SuggestedKind};
use crate::runtime::Decision;
use crate::service::App;
use crate::service::problem::{FormBody, Problem};
use crate::store::{
    ActionKind, FeedbackReason, GateFeedback, GateId, GateStatus, Pattern, PendingAction, kind_of,
};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use maud::{Markup, html};
use serde_json::Value;
use std::sync::Arc;

/// The first action's kind (if it names one) and payload, if the gate
/// holds one.
fn draft(g: &PendingAction) -> Option<(Option<ActionKind>, &Value)> {
    let a = g.body["actions"].as_array()?.first()?;
    Some((kind_of(a), &a["payload"]))
}

fn preview(g: &PendingAction) -> Markup {
    html! {
        @for a in g.body["actions"].as_array().into_iter().flatten() {
            section.action {
                h3 { (a["kind"].as_str().unwrap_or("action")) ": " (a["preview"].as_str().unwrap_or("")) }
                @let p = &a["payload"];
                @if kind_of(a) == Some(ActionKind::ProposalSend) {
                    (proposal_gate::preview(p))
                } @else if kind_of(a) == Some(ActionKind::EmailSend) {
                    p { "To: " (crate::address::recipients(&p["to"]).unwrap_or_default().join(", ")) }
                    p { "Subject: " strong.subject { (p["subject"].as_str().unwrap_or("")) } }
                    pre.body { (p["body"].as_str().unwrap_or("")) }
                } @else {
                    pre { (serde_json::to_string_pretty(p).unwrap_or_default()) }
                }
            }
        }
        @if g.body["actions"].as_array().is_none_or(|a| a.is_empty()) && !g.body["data"].is_null() {
            pre { (serde_json::to_string_pretty(&g.body["data"]).unwrap_or_default()) }
        }
    }
}

/// The "Not right" form: a reason, the labels the suggestion should have
/// had (from the vocabulary of what it suggested), a note.
fn not_right_form(action: &str, kind: SuggestedKind) -> Markup {
    html! {
        details #not-right {
            summary { "Not right" }
            form method="post" action=(action) {
                input type="hidden" name="decision" value="not_right";
                label for="reason" { "What was wrong" }
                select #reason name="reason" required {
                    option value="" { "Pick one" }
                    @for r in FeedbackReason::ALL {
                        option value=(r.as_str()) { (r.describe()) }
                    }
                }
                @match kind {
                    SuggestedKind::Intent => {
                        fieldset #labels {
                            legend { "With “wrong intent or label”: what this line should have had (leave all unticked if unsure)" }
                            @for l in intents::LABELS {
                                label { input type="checkbox" name="label" value=(l); " " (l) } br;
                            }
                            label { input type="checkbox" name="label" value="none"; " none of these" }
                        }
                    }
                    SuggestedKind::Email => {
                        label for="label" { "With “wrong intent or label”: what this email is" }
                        select #label name="label" {
                            option value="" { "Not sure" }
                            @for l in emails::LABELS { option value=(l) { (l) } }
                        }
                    }
                    SuggestedKind::Other => {}
                }
                label for="note" { "Anything else (optional)" }
                textarea #note name="note" rows="3" maxlength=(crate::orchestrator::approvals::MAX_NOTE) {}
                button #not-right-submit type="submit" { "Skip as not right" }
            }
        }
    }
}

fn decision_forms(g: &PendingAction, kind: SuggestedKind) -> Markup {
    let action = format!("/inbox/approvals/{}", g.id);
    html! {
        @match g.pattern {
            Pattern::Choose => {
                form method="post" action=(action) {
                    input type="hidden" name="decision" value="choose";
                    @for (i, o) in g.options.iter().enumerate() {
                        label { input type="radio" name="option" value=(i) required; " " (o) } br;
                    }
                    button type="submit" name="go" value="choose" { "Choose" }
                }
            }
            Pattern::Batch => {
                form method="post" action=(action) {
                    input type="hidden" name="decision" value="items";
                    @for (i, o) in g.options.iter().enumerate() {
                        label { input type="checkbox" name="item" value=(i) checked; " " (o) } br;
                    }
                    button type="submit" { "Approve checked" }
                }
            }
            Pattern::Confirm | Pattern::Inform => {
                form method="post" action=(action) {
                    input type="hidden" name="decision" value="approve";
                    button #approve type="submit" { "Approve" }
                }
                @if let Some((kind, payload)) = draft(g) {
                    details #edit {
                        summary { "Edit the draft" }
                        form method="post" action=(action) {
                            input type="hidden" name="decision" value="edit";
                            @if let Some(fields) = (kind == Some(ActionKind::ProposalSend)).then(|| proposal_gate::edit_fields(payload)).flatten() {
                                (fields)
                            } @else if kind == Some(ActionKind::EmailSend) {
                                label for="subject" { "Subject" }
                                input #subject type="text" name="subject" value=(payload["subject"].as_str().unwrap_or(""));
                                label for="body" { "Body" }
                                textarea #body name="body" rows="14" { (payload["body"].as_str().unwrap_or("")) }
                            } @else {
                                label for="payload" { "Payload (JSON)" }
                                textarea #payload name="payload" rows="14" { (serde_json::to_string_pretty(payload).unwrap_or_default()) }
                            }
                            button #approve-edited type="submit" { "Approve edited" }
                        }
                    }
                }
            }
        }
        form.inline method="post" action=(action) {
            input type="hidden" name="decision" value="skip";
            button #skip type="submit" { "Skip" }
        }
        form.inline method="post" action=(action) {
            input type="hidden" name="decision" value="cancel";
            button #cancel type="submit" { "Cancel sequence" }
        }
        (not_right_form(&action, kind))
    }
}

pub(super) async fn approval(
    State(app): State<Arc<App>>,
    jar: CookieJar,
    Path(id): Path<GateId>,
) -> Result<Response, Problem> {
    let Some(me) = session(&app, &jar).await? else {
        return Ok(login_page(
            StatusCode::UNAUTHORIZED,
            Some("Sign in to see this approval."),
        ));
    };
    let Some(g) = app.store().pending_action(&me.org.id, &id).await? else {
        return Ok((
            StatusCode::NOT_FOUND,
            page("Not found", html! { h1 { "No such approval" } }),
        )
            .into_response());
    };
    approval_page(&app, &g, StatusCode::OK, None).await
}

/// The gate's page, with what the "Not right" form needs (what the gate
/// suggested) and the feedback already given.
async fn approval_page(
    app: &App,
    g: &PendingAction,
    status: StatusCode,
    error: Option<&str>,
) -> Result<Response, Problem> {
    let kind = suggested(app.store(), &g.org_id, &g.job_id).await?.kind();
    let feedback = app.store().gate_feedback(&g.org_id, &g.id).await?;
    let why = super::trigger::of_gate(app, g).await?;
    Ok(render(
        g,
        kind,
        feedback.as_ref(),
        why.as_ref(),
        status,
        error,
    ))
}

fn render(
    g: &PendingAction,
    kind: SuggestedKind,
    feedback: Option<&GateFeedback>,
    why: Option<&super::trigger::Trigger>,
    status: StatusCode,
    error: Option<&str>,
) -> Response {
    let body = html! {
        h1 #title { (g.title) }
        @if let Some(t) = why { (super::trigger::panel(t)) }
        p.muted { "Step " (g.step_name) " of " a href={ "/inbox/jobs/" (g.job_id) } { "job " (g.job_id) } " · " (g.pattern) " · " span #status { (g.status) } }
        @if let Some(e) = error { p.error #error { (e) } }
        (preview(g))
        @if g.status == GateStatus::Open {
            (decision_forms(g, kind))
        } @else {
            p { "Decided: " (g.decision.as_ref().map(|d| d.to_string()).unwrap_or_default()) }
        }
        @if let Some(f) = feedback {
            p #feedback {
                "Marked not right: " (f.reason.describe())
                @if let Some(labels) = &f.labels {
                    " · should have been: " @if labels.is_empty() { "none" } @else { (labels.join(", ")) }
                }
                @if let Some(n) = &f.note { " · " (n) }
            }
        }
    };
    (status, page(&g.title, body)).into_response()
}

/// Read a posted "Not right" form.
fn form_feedback(fields: &[(String, String)]) -> Result<Feedback, String> {
    let get = |k: &str| fields.iter().find(|(n, _)| n == k).map(|(_, v)| v.trim());
    let reason = match get("reason") {
        None | Some("") => return Err("pick what was wrong".into()),
        Some(r) => FeedbackReason::from_wire(r)?,
    };
    let ticked: Vec<String> = fields
        .iter()
        .filter(|(n, v)| n == "label" && !v.trim().is_empty())
        .map(|(_, v)| v.trim().to_owned())
        .collect();
    let labels = match ticked.iter().any(|l| l == "none") {
        true if ticked.len() > 1 => {
            return Err("tick “none of these” alone, or the labels it should have had".into());
        }
        true => Some(Vec::new()),
        false if ticked.is_empty() => None,
        false => Some(ticked),
    };
    Ok(Feedback {
        reason,
        labels,
        note: get("note").filter(|n| !n.is_empty()).map(str::to_owned),
    })
}

/// Read the decision a form posted.
fn form_decision(g: &PendingAction, fields: &[(String, String)]) -> Result<Decision, String> {
    let get = |k: &str| fields.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    match get("decision").unwrap_or("") {
        "approve" => Ok(Decision::Approved),
        "skip" => Ok(Decision::Skipped),
        "cancel" => Ok(Decision::Cancelled),
        "choose" => get("option")
            .and_then(|o| o.parse().ok())
            .map(Decision::Chosen)
            .ok_or_else(|| "pick one option".to_owned()),
        "items" => {
            let checked: Vec<usize> = fields
                .iter()
                .filter(|(n, _)| n == "item")
                .filter_map(|(_, v)| v.parse().ok())
                .collect();
            Ok(Decision::PerItem(
                (0..g.options.len()).map(|i| checked.contains(&i)).collect(),
            ))
        }
        "edit" => {
            let Some((kind, payload)) = draft(g) else {
                return Err("this approval holds no draft to edit".into());
            };
            if kind == Some(ActionKind::ProposalSend) && get("payload").is_none() {
                proposal_gate::edited(payload, &|k| get(k).map(str::to_owned)).map(Decision::Edited)
            } else if kind == Some(ActionKind::EmailSend) {
                let mut p = payload.clone();
                let subject = get("subject").unwrap_or("").trim();
                let body = get("body").unwrap_or("");
                if subject.is_empty() || body.trim().is_empty() {
                    return Err("the subject and the body cannot be empty".into());
                }
                p["subject"] = Value::String(subject.to_owned());
                p["body"] = Value::String(body.replace("\r\n", "\n"));
                Ok(Decision::Edited(p))
            } else {
                serde_json::from_str(get("payload").unwrap_or(""))
                    .map(Decision::Edited)
                    .map_err(|e| format!("the payload is not JSON: {e}"))
            }
        }
        other => Err(format!("`{other}` is not a decision")),
    }
}

pub(super) async fn decide(
    State(app): State<Arc<App>>,
    jar: CookieJar,
    Path(id): Path<GateId>,
    FormBody(fields): FormBody<Vec<(String, String)>>,
) -> Result<Response, Problem> {
    let Some(me) = session(&app, &jar).await? else {
        return Ok(login_page(
            StatusCode::UNAUTHORIZED,
            Some("Sign in to decide."),
        ));
    };
    let Some(g) = app.store().pending_action(&me.org.id, &id).await? else {
        return Ok((
            StatusCode::NOT_FOUND,
            page("Not found", html! { h1 { "No such approval" } }),
        )
            .into_response());
    };
    let not_right = fields
        .iter()
        .any(|(n, v)| n == "decision" && v == "not_right");
    let read = if not_right {
        form_feedback(&fields).map(|f| (Decision::Skipped, Some(f)))
    } else {
        form_decision(&g, &fields).map(|d| (d, None))
    };
    let (decision, feedback) = match read {
        Ok(d) => d,
        Err(m) => {
            return approval_page(&app, &g, StatusCode::UNPROCESSABLE_ENTITY, Some(&m)).await;
        }
    };
    let who = Decider {
        by: me.credential.clone(),
        note: None,
    };
    let decided = match &feedback {
        Some(f) => app.orch.mark_not_right(&me.org.id, &id, f, &who).await,
        None => app.orch.decide(&me.org.id, &id, decision, &who).await,
    };
    match decided {
        Ok(g) => Ok(Redirect::to(&format!("/inbox/jobs/{}", g.job_id)).into_response()),
        Err(e) => {
            let status = Problem::from(e);
            let code = status.status;
            approval_page(&app, &g, code, Some(&status.detail)).await
        }
    }
}
