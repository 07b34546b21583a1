//! One approval gate in the inbox: its preview, the forms for each
//! pattern (approve, edit the draft, choose, per-item, skip, cancel), and
//! reading a posted form into a [`Decision`] for the orchestrator. Every
//! query is scoped to the session's org; it never decides without a session.

use super::{login_page, page, session};
use crate::orchestrator::Decider;
use crate::runtime::Decision;
use crate::service::App;
use crate::service::problem::{FormBody, Problem};
use crate::store::{ActionKind, GateId, GateStatus, Pattern, PendingAction, kind_of};
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
                @if kind_of(a) == Some(ActionKind::EmailSend) {
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

fn decision_forms(g: &PendingAction) -> Markup {
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
                            @if kind == Some(ActionKind::EmailSend) {
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
    Ok(approval_page(&g, StatusCode::OK, None))
}

fn approval_page(g: &PendingAction, status: StatusCode, error: Option<&str>) -> Response {
    let body = html! {
        h1 #title { (g.title) }
        p.muted { "Step " (g.step_name) " of " a href={ "/inbox/jobs/" (g.job_id) } { "job " (g.job_id) } " · " (g.pattern) " · " span #status { (g.status) } }
        @if let Some(e) = error { p.error #error { (e) } }
        (preview(g))
        @if g.status == GateStatus::Open {
            (decision_forms(g))
        } @else {
            p { "Decided: " (g.decision.as_ref().map(|d| d.to_string()).unwrap_or_default()) }
        }
    };
    (status, page(&g.title, body)).into_response()
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
            if kind == Some(ActionKind::EmailSend) {
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
    let decision = match form_decision(&g, &fields) {
        Ok(d) => d,
        Err(m) => {
            return Ok(approval_page(
                &g,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(&m),
            ));
        }
    };
    let who = Decider {
        by: me.credential.clone(),
        note: None,
    };
    match app.orch.decide(&me.org.id, &id, decision, &who).await {
        Ok(g) => Ok(Redirect::to(&format!("/inbox/jobs/{}", g.job_id)).into_response()),
        Err(e) => {
            let status = Problem::from(e);
            let code = status.status;
            Ok(approval_page(&g, code, Some(&status.detail)))
        }
    }
}
