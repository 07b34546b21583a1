//! `GET /p/{token}`: a shared proposal as a clean, printable page, for
//! whoever holds its link (no login: the 192-bit token is the credential).
//! While it awaits an answer the page offers Accept (`POST
//! /p/{token}/accept`: the proposal is accepted and its deal's engagement
//! moves on) and Ask a question (`POST /p/{token}/question`: a task for the
//! rep with the question); a superseded version says a newer one was sent
//! and takes no answer. Another site's form is refused (the guard).
//! A wrong, malformed or expired token is a plain 404 and records nothing.
//! A view is recorded (`proposal_views`; the first moves the proposal to
//! `viewed`) and, at most once per proposal per half hour, submitted as a
//! `proposal_viewed` event so the rep hears of it. Link-preview robots
//! (Slack's unfurler, mail scanners) and `HEAD` get the page without a
//! view. Never cached, indexed or referred on.
//!
//! [`render`] is the one document renderer, shared with the inbox's gate.

pub mod render;

use crate::connectors::proposal::is_share_token;
use crate::lifecycle;
use crate::lifecycle::proposals::{By, proposal_moved, proposal_question};
use crate::web::openapi::Db;
use crate::web::problem::Problem;
use crate::web::store::ProposalTables;
use crate::web::store::{Proposal, ProposalStatus, StoreError, ViewRecorded};
use crate::web::{App, Routes, Sales};
use axum::Extension;
use axum::extract::rejection::FormRejection;
use axum::extract::{ConnectInfo, Form, Path, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use baton_engine::orchestrator::{Event, Submitted};
use baton_types::proposal::ProposalDoc;
use baton_types::proposal_viewed::ProposalViewed;
use maud::{DOCTYPE, Markup, PreEscaped, html};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::net::SocketAddr;
use std::sync::Arc;

/// The public routes.
pub fn routes(app: &Arc<App>) -> Routes {
    Routes::new()
        .routes(utoipa_axum::routes!(show))
        .routes(utoipa_axum::routes!(accept))
        .routes(utoipa_axum::routes!(ask))
        .layer(axum::middleware::from_fn_with_state(
            app.clone(),
            super::guard::guard,
        ))
}

/// The longest question the page takes, in characters.
const QUESTION_MAX: usize = 2000;

/// Where a `proposal_viewed` event says it came from.
pub const SOURCE: &str = "proposal_link";

fn page(title: &str, status: StatusCode, body: Markup) -> Response {
    let markup = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="robots" content="noindex, nofollow";
                title { (title) }
                style { (PreEscaped("body{font-family:Georgia,serif;max-width:48rem;margin:2rem auto;padding:0 1rem;color:#1d1d1f}")) (PreEscaped(render::STYLE)) }
            }
            body { (body) }
        }
    };
    private((status, Html(markup.into_string())).into_response())
}

/// What every answer to a link's holder carries (a share link here, the
/// tracking links of `super::tracking`): never stored, indexed or referred
/// on.
pub(crate) fn private(mut r: Response) -> Response {
    let h = r.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        "x-robots-tag",
        HeaderValue::from_static("noindex, nofollow"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    r
}

fn not_found() -> Response {
    page(
        "Not found",
        StatusCode::NOT_FOUND,
        html! {
            h1 { "This link does not work" }
            p { "The proposal is not here: the link may be mistyped or may have expired. Ask the sender for a new one." }
        },
    )
}

/// Whether the visitor is a robot fetching a preview, not a person.
pub(crate) fn is_robot(user_agent: Option<&str>) -> bool {
    let Some(ua) = user_agent.map(str::to_ascii_lowercase) else {
        return false;
    };
    [
        "bot",
        "preview",
        "crawler",
        "spider",
        "facebookexternalhit",
        "slack",
    ]
    .iter()
    .any(|w| ua.contains(w))
}

/// Who opened the link, as an opaque key: a hash of the client's address
/// and browser (behind a reverse proxy, the proxy's address), so one
/// person reloading counts once, and nothing about them is stored.
fn viewer(peer: Option<SocketAddr>, user_agent: Option<&str>) -> String {
    let mut h = Sha256::new();
    h.update(peer.map(|p| p.ip().to_string()).unwrap_or_default());
    h.update([0]);
    h.update(user_agent.unwrap_or_default());
    hex::encode(&h.finalize()[..16])
}

#[utoipa::path(get, path = "/p/{token}", operation_id = "proposalPage",
    params(("token" = String, Path, description = "A proposal's share token (from its link)", min_length = 1)),
    summary = "A shared proposal as a printable page; each view is recorded and the rep told (at most half-hourly)",
    responses(Db, (status = 200, description = "The proposal", body = String, content_type = "text/html"),
        (status = 404, description = "A wrong, malformed or expired link: nothing is recorded", body = String, content_type = "text/html")))]
async fn show(
    State(app): State<Arc<App>>,
    method: Method,
    headers: HeaderMap,
    Path(token): Path<String>,
    request: Request,
) -> Result<Response, Problem> {
    let (p, doc) = match live(&app, &token).await? {
        Ok(found) => found,
        Err(page) => return Ok(page),
    };
    let now = app.now();
    let agent = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok());
    if method == Method::GET && !is_robot(agent) {
        let peer = request
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0);
        let view = app
            .store()
            .record_proposal_view(&p.org_id, &p.id, &viewer(peer, agent), agent, now)
            .await?;
        if view.notify {
            tell_the_rep(&app, &p, &doc, &view, now).await;
        }
    }
    shown(&app, &p, &doc, &token, None).await
}

/// The document with its answer box (or what became of it) and `notice`
/// above it.
async fn shown(
    app: &App,
    p: &Proposal,
    doc: &ProposalDoc,
    token: &str,
    notice: Option<&str>,
) -> Result<Response, Problem> {
    let rep = app.store().user(&p.org_id, &p.user_id).await?;
    let from = rep.as_ref().map(|u| render::From {
        name: &u.name,
        email: &u.email,
    });
    let body = html! {
        @if let Some(n) = notice { p.notice role="status" { (n) } }
        (render::document(doc, from))
        (answer(p, token))
    };
    Ok(page(&doc.title, StatusCode::OK, body))
}

/// What the prospect can do with the proposal as it stands.
fn answer(p: &Proposal, token: &str) -> Markup {
    match p.status {
        ProposalStatus::Sent | ProposalStatus::Viewed => html! {
            section.answer aria-label="Your answer" {
                h2 { "Your answer" }
                form method="post" action=(format!("{token}/accept")) {
                    button type="submit" { "Accept this proposal" }
                }
                form method="post" action=(format!("{token}/question")) {
                    label for="question" { "Or ask a question" }
                    textarea id="question" name="question" rows="4" maxlength=(QUESTION_MAX) required {}
                    button type="submit" { "Send the question" }
                }
            }
        },
        ProposalStatus::Accepted => html! {
            p.settled { "This proposal has been accepted. The sender will be in touch about the agreement." }
        },
        ProposalStatus::Declined => html! {
            p.settled { "This proposal was declined." }
        },
        ProposalStatus::Superseded => html! {
            p.settled { "A newer version of this proposal has been sent: ask the sender for its link. This version can no longer be accepted." }
        },
        ProposalStatus::Draft => html! {},
    }
}

/// The live proposal behind `token` and its document, or the 404 page.
async fn live(
    app: &App,
    token: &str,
) -> Result<Result<(Proposal, ProposalDoc), Response>, Problem> {
    if !is_share_token(token) {
        return Ok(Err(not_found()));
    }
    let Some(p) = app.store().proposal_by_token(token, app.now()).await? else {
        return Ok(Err(not_found()));
    };
    let doc: ProposalDoc = serde_json::from_value(p.document.clone())
        .map_err(|e| Problem::internal(format!("proposal {}: {e}", p.id)))?;
    Ok(Ok((p, doc)))
}

/// A page that refuses an answer (409): the proposal as it stands, with
/// why above it.
async fn refused(
    app: &App,
    p: &Proposal,
    doc: &ProposalDoc,
    token: &str,
    why: &str,
) -> Result<Response, Problem> {
    let mut r = shown(app, p, doc, token, Some(why)).await?;
    *r.status_mut() = StatusCode::CONFLICT;
    Ok(r)
}

#[utoipa::path(post, path = "/p/{token}/accept", operation_id = "acceptProposal",
    params(("token" = String, Path, description = "A proposal's share token (from its link)", min_length = 1)),
    summary = "The prospect accepts the proposal: it is accepted, and its deal's engagement moves on per the workflow",
    responses(Db, (status = 200, description = "The proposal, accepted", body = String, content_type = "text/html"),
        (status = 404, description = "A wrong, malformed or expired link", body = String, content_type = "text/html"),
        (status = 409, description = "The proposal was already declined, or a newer version superseded it", body = String, content_type = "text/html")))]
async fn accept(
    State(app): State<Arc<App>>,
    Extension(sales): Extension<Arc<Sales>>,
    Path(token): Path<String>,
) -> Result<Response, Problem> {
    let (p, doc) = match live(&app, &token).await? {
        Ok(found) => found,
        Err(page) => return Ok(page),
    };
    let now = app.now();
    let p = match app
        .store()
        .set_proposal_status(&p.org_id, &p.id, ProposalStatus::Accepted, now)
        .await
    {
        Ok(p) => p,
        Err(StoreError::Stale(_)) => {
            let why = match p.status {
                ProposalStatus::Superseded => {
                    "A newer version of this proposal has been sent, so this one cannot be accepted."
                }
                _ => "This proposal can no longer be accepted.",
            };
            return refused(&app, &p, &doc, &token, why).await;
        }
        Err(e) => return Err(e.into()),
    };
    proposal_moved(app.store(), &sales.workflow, &p, By::Prospect, now).await?;
    tracing::info!(proposal = %p.id, "proposal accepted on its link page");
    if let Some(deal) = &p.deal_id {
        lifecycle::follow(
            &app.orch,
            app.store(),
            &sales.workflow,
            (&p.org_id, deal),
            &app.settings.base_url(),
        )
        .await;
    }
    shown(
        &app,
        &p,
        &doc,
        &token,
        Some("Thank you: the proposal is accepted."),
    )
    .await
}

/// The question box's form.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
struct QuestionIn {
    question: String,
}

#[utoipa::path(post, path = "/p/{token}/question", operation_id = "askAboutProposal",
    params(("token" = String, Path, description = "A proposal's share token (from its link)", min_length = 1)),
    request_body(content = QuestionIn, content_type = "application/x-www-form-urlencoded"),
    summary = "The prospect asks a question about the proposal: a task for the rep, and an entry in the deal's engagement log",
    responses(Db, (status = 200, description = "The proposal, with the question received", body = String, content_type = "text/html"),
        (status = 404, description = "A wrong, malformed or expired link", body = String, content_type = "text/html"),
        (status = 409, description = "The proposal no longer takes questions here", body = String, content_type = "text/html"),
        (status = 422, description = "An empty or overlong question", body = String, content_type = "text/html")))]
async fn ask(
    State(app): State<Arc<App>>,
    Extension(sales): Extension<Arc<Sales>>,
    Path(token): Path<String>,
    form: Result<Form<QuestionIn>, FormRejection>,
) -> Result<Response, Problem> {
    let (p, doc) = match live(&app, &token).await? {
        Ok(found) => found,
        Err(page) => return Ok(page),
    };
    let question = match &form {
        Ok(Form(q)) => q.question.trim(),
        Err(_) => "",
    };
    if question.is_empty() || question.chars().count() > QUESTION_MAX {
        let why = format!("Write a question of 1 to {QUESTION_MAX} characters.");
        let mut r = shown(&app, &p, &doc, &token, Some(&why)).await?;
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
        return Ok(r);
    }
    if !p.status.awaiting() {
        return refused(
            &app,
            &p,
            &doc,
            &token,
            "This proposal no longer takes questions here: write to the sender.",
        )
        .await;
    }
    let now = app.now();
    proposal_question(app.store(), &sales.workflow, &p, &doc, question, now).await?;
    shown(
        &app,
        &p,
        &doc,
        &token,
        Some("Thank you: your question was sent."),
    )
    .await
}

/// Submit the `proposal_viewed` event; a refusal (the sequence off or not
/// installed) is logged, never shown to the visitor.
async fn tell_the_rep(app: &App, p: &Proposal, doc: &ProposalDoc, view: &ViewRecorded, now: i64) {
    let (org, rep) = match (
        app.store().org(&p.org_id).await,
        app.store().user(&p.org_id, &p.user_id).await,
    ) {
        (Ok(Some(o)), Ok(Some(u))) => (o, u),
        _ => {
            tracing::warn!(proposal = %p.id, "a proposal was viewed, but its org or rep is gone");
            return;
        }
    };
    let viewed_at = jiff::Timestamp::from_millisecond(now)
        .map(|t| t.to_string())
        .unwrap_or_default();
    let payload = ProposalViewed {
        proposal_id: p.id.clone(),
        view_id: view.view_id.clone(),
        title: p.title.clone(),
        deal_id: p.deal_id.clone(),
        contact_id: p.contact_id.clone(),
        company: doc.company.clone(),
        contact_name: doc.contact_name.clone(),
        version: p.version,
        viewed_at,
        views: view.count,
    };
    let Ok(payload) = serde_json::to_value(&payload) else {
        return;
    };
    let event = Event {
        event_type: "proposal_viewed".into(),
        org: org.slug,
        user: rep.handle,
        payload,
        source: SOURCE.into(),
        idempotency_key: Some(format!("proposal_viewed:{}", view.view_id)),
    };
    match app.orch.submit(&event).await {
        Ok(Submitted::Accepted { job_id, .. }) => {
            tracing::info!(proposal = %p.id, job = %job_id, "proposal viewed: the rep is told");
        }
        Ok(Submitted::Refused { reason, .. }) => {
            tracing::info!(proposal = %p.id, reason = reason.code(), "proposal viewed; no notice");
        }
        Err(e) => {
            tracing::warn!(proposal = %p.id, error = %e, "proposal viewed; the notice failed")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn preview_robots_are_not_views() {
        assert!(is_robot(Some(
            "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)"
        )));
        assert!(is_robot(Some("Mozilla/5.0 (compatible; Googlebot/2.1)")));
        assert!(!is_robot(Some(
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_1) AppleWebKit/605.1.15 Safari/605.1.15"
        )));
        assert!(!is_robot(None));
    }
}
