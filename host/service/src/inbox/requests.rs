//! The inbox's request box: a rep types what they want ("find times with
//! Marta next week"); the apps read it
//! ([`Orchestrator::understand`](baton_engine::orchestrator::Orchestrator)),
//! and the rep sees what would run, as a diagram of the sequence's plan
//! (stages side by side, what each step waits on, the gates they will
//! meet, the cost to expect) with a button to run it, or a question back.
//! Only the button runs it, as the signed-in rep, once per shown plan.
//! `GET /inbox/sequences/{event}/plan` draws any sequence's plan.

use super::{login_page, page, session};
use crate::App;
use crate::auth::InboxUser;
use crate::openapi::{Db, Invalid, TooLarge, Unsupported};
use crate::problem::{FormBody, Problem};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use baton_engine::orchestrator::plan::{Plan, PlanError, PlannedStep};
use baton_engine::orchestrator::requests::{Answer, MAX_REQUEST};
use baton_engine::orchestrator::{OrchestratorError, Reason, Submitted};
use baton_engine::store::{Org, User};
use maud::{Markup, html};
use std::sync::Arc;

/// The plan diagram's style: stages left to right (stacked on a phone),
/// steps as boxes in each.
const STYLE: &str = ".plan{display:flex;flex-wrap:wrap;align-items:stretch;gap:.5rem;margin:1rem 0}\
.plan .stage{flex:1 1 12rem;border:1px solid #c7c7cc;border-radius:8px;padding:.5rem .6rem;background:#fafafa}\
.plan .stage h3{margin:0 0 .4rem;font-size:.95rem}\
.plan .arrow{align-self:center;font-size:1.4rem;color:#6e6e73}\
.plan .step{border:1px solid #8a8a8e;border-radius:6px;padding:.35rem .5rem;margin:.35rem 0;background:#fff}\
.plan .step.gate{border-color:#0b57d0;border-width:2px}\
.plan .step.skipped{opacity:.55;border-style:dashed}\
.plan .why{display:block;font-size:.85rem;color:#545458}\
.muted{color:#545458}";

/// The request form's fields.
#[derive(serde::Deserialize, utoipa::ToSchema)]
pub(super) struct RequestForm {
    /// What the rep asks for, in their words.
    text: String,
    /// Set on "Run it": the plan shown (so confirming twice runs it once).
    #[serde(default)]
    shown: Option<String>,
}

/// The box to type a request in (the home page shows it too).
pub fn request_box(text: &str) -> Markup {
    html! {
        form #request method="post" action="/inbox/requests" {
            label for="request-text" { "Ask baton" }
            input #request-text type="text" name="text" value=(text) maxlength=(MAX_REQUEST)
                placeholder="find times with Marta next week";
            button type="submit" { "Plan it" }
        }
    }
}

/// One step's box in the diagram.
fn step_box(p: &PlannedStep) -> Markup {
    let gate = p.gate.and_then(|g| {
        serde_json::to_value(g)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
    });
    let class = match (p.runs, &gate) {
        ("skipped", _) => "step skipped",
        (_, Some(g)) if g != "inform" => "step gate",
        (_, None) if p.asks => "step gate",
        _ => "step",
    };
    html! {
        div class=(class) data-step=(p.name) {
            strong { (p.name) }
            @if p.skill != p.name { " " span.muted { "(" (p.skill) ")" } }
            @if let Some(g) = &gate { span.why { "gate: " (g) } }
            @if gate.is_none() && p.asks { span.why { "asks you its own question" } }
            @if p.runs == "skipped" { span.why { "skipped on this event" } }
            @if p.runs == "decided" {
                span.why { "if " code { (p.condition.as_deref().unwrap_or_default()) } }
            }
            @for w in &p.waits_on { span.why { "after " (w.step) ": " (w.because) } }
            @if let Some(f) = &p.fallback { span.why { "falls back to " (f) } }
        }
    }
}

/// The plan as a diagram, with its gates and estimate.
pub fn diagram(plan: &Plan) -> Markup {
    let e = &plan.estimate;
    let dollars = |m: i64| format!("${:.4}", m as f64 / 1e6);
    html! {
        div.plan role="list" aria-label=(format!("The stages of {}", plan.event)) {
            @for (n, stage) in plan.stages.iter().enumerate() {
                @if n > 0 { span.arrow aria-hidden="true" { "→" } }
                section.stage role="listitem" {
                    h3 { "Stage " (n + 1) @if stage.len() > 1 { span.muted { ", side by side" } } }
                    @for p in stage { (step_box(p)) }
                }
            }
        }
        p #estimate {
            "Expected: fuel " (e.fuel.p50) " (p90 " (e.fuel.p90) "), LLM tokens " (e.tokens.p50)
            " (p90 " (e.tokens.p90) "), cost " (dollars(e.cost_micros.p50)) " (p90 "
            (dollars(e.cost_micros.p90)) ")"
            @if e.steps_without_history > 0 {
                span.muted { "; " (e.steps_without_history) " step(s) with no recorded run" }
            }
            "."
        }
    }
}

/// The signed-in rep, or the page to show instead.
async fn rep(app: &App, me: &InboxUser) -> Result<Result<(Org, User), Response>, Problem> {
    let Some(user_id) = &me.user else {
        let body = html! {
            h1 { "Requests are made as a rep" }
            p { "You signed in with an org token. Sign in with your own magic link to ask baton for something as yourself." }
        };
        return Ok(Err((
            StatusCode::FORBIDDEN,
            page("Requests", &[STYLE], body),
        )
            .into_response()));
    };
    match app.store().user(&me.org.id, user_id).await? {
        Some(user) => Ok(Ok((me.org.clone(), user))),
        None => Err(Problem::not_found("your user is gone")),
    }
}

/// `POST /inbox/requests`: plan a request, or run it (`shown` set).
#[utoipa::path(post, path = "/inbox/requests", operation_id = "inboxRequest",
    summary = "A request in the rep's words: what would run (its plan) with a button to run it, or a question back; with `shown`, run it",
    security(("session" = []), ()),
    request_body(content = inline(RequestForm), content_type = "application/x-www-form-urlencoded"),
    responses(Db, TooLarge, Unsupported, Invalid,
        (status = 200, description = "The plan to confirm, or a question", body = String, content_type = "text/html"),
        (status = 303, description = "Run: on to the job", headers(("Location" = String, description = "The job's page"))),
        (status = 401, description = "Not signed in: the sign-in page", body = String, content_type = "text/html"),
        (status = 403, description = "Signed in with an org token, not as a rep", body = String, content_type = "text/html")))]
pub(super) async fn request(
    State(app): State<Arc<App>>,
    jar: CookieJar,
    FormBody(f): FormBody<RequestForm>,
) -> Result<Response, Problem> {
    let Some(me) = session(&app, &jar).await? else {
        return Ok(login_page(
            StatusCode::UNAUTHORIZED,
            Some("Sign in to ask baton for something."),
        ));
    };
    let (org, user) = match rep(&app, &me).await? {
        Ok(found) => found,
        Err(page) => return Ok(page),
    };
    if f.text.contains('\0') {
        return Err(Problem::unprocessable("the request holds a NUL"));
    }
    if let Some(shown) = f.shown.as_deref().filter(|s| !s.is_empty()) {
        let question = match app
            .orch
            .run_request(&org, &user, &f.text, "inbox", shown)
            .await
        {
            Ok(Submitted::Accepted { job_id, .. })
            | Ok(Submitted::Refused {
                job_id: Some(job_id),
                reason: Reason::Duplicate,
                ..
            }) => {
                return Ok(Redirect::to(&format!("/inbox/jobs/{job_id}")).into_response());
            }
            Ok(Submitted::Refused { detail, .. }) => format!("Not run: {detail}"),
            Err(OrchestratorError::Invalid(q)) => q,
            Err(e) => return Err(e.into()),
        };
        return Ok(question_page(&f.text, &question));
    }
    match app.orch.understand(&org, &user, &f.text).await? {
        Answer::Question(q) => Ok(question_page(&f.text, &q)),
        Answer::Plan { summary, plan, .. } => {
            // Names this showing: the button's click runs it once.
            let shown = baton_engine::store::new_id();
            let body = html! {
                h1 { "I'll " (summary) "." }
                p.muted { "“" (f.text.trim()) "” → the " code { (plan.event) } " sequence. Nothing runs until you say so." }
                (diagram(&plan))
                form #run method="post" action="/inbox/requests" {
                    input type="hidden" name="text" value=(f.text.trim());
                    input type="hidden" name="shown" value=(shown);
                    button.primary type="submit" { "Run it" }
                    a.button href="/inbox" { "Cancel" }
                }
            };
            Ok(page("Request", &[STYLE], body).into_response())
        }
    }
}

/// A question back, with the box to answer in.
fn question_page(text: &str, question: &str) -> Response {
    let body = html! {
        h1 { "One question first" }
        p #question { (question) }
        (request_box(text))
    };
    page("Request", &[STYLE], body).into_response()
}

/// `GET /inbox/sequences/{event}/plan`: a sequence's plan as a diagram.
#[utoipa::path(get, path = "/inbox/sequences/{event}/plan", operation_id = "inboxSequencePlan",
    summary = "A sequence's plan as a diagram: its stages, what each step waits on, its gates, the cost to expect",
    security(("session" = []), ()),
    params(("event" = String, Path, description = "The event type the sequence handles")),
    responses(Db, (status = 200, description = "The page", body = String, content_type = "text/html"),
        (status = 401, description = "Not signed in: the sign-in page", body = String, content_type = "text/html"),
        (status = 404, description = "No sequence handles that event")))]
pub(super) async fn sequence_plan(
    State(app): State<Arc<App>>,
    jar: CookieJar,
    Path(event): Path<String>,
) -> Result<Response, Problem> {
    let Some(me) = session(&app, &jar).await? else {
        return Ok(login_page(
            StatusCode::UNAUTHORIZED,
            Some("Sign in to see a sequence's plan."),
        ));
    };
    let plan = match app.orch.plan(&me.org.id, &event, None).await {
        Ok(p) => p,
        Err(e @ PlanError::Unknown(_)) => return Err(Problem::not_found(e.to_string())),
        Err(PlanError::Payload { why, .. }) => return Err(Problem::unprocessable(why)),
        Err(PlanError::Orchestrator(e)) => return Err(e.into()),
    };
    let body = html! {
        p { a href="/inbox" { "← Inbox" } }
        h1 { "The " code { (plan.event) } " sequence" }
        p.muted { (plan.description) }
        (diagram(&plan))
    };
    Ok(page("Sequence plan", &[STYLE], body).into_response())
}
