//! `GET /p/{token}`: a shared proposal as a clean, printable page, for
//! whoever holds its link (no login: the 192-bit token is the credential).
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
use crate::web::openapi::Db;
use crate::web::problem::Problem;
use crate::web::store::ProposalTables;
use crate::web::store::{Proposal, ViewRecorded};
use crate::web::{App, Routes};
use axum::extract::{ConnectInfo, Path, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use baton_engine::orchestrator::{Event, Submitted};
use baton_types::proposal::ProposalDoc;
use baton_types::proposal_viewed::ProposalViewed;
use maud::{DOCTYPE, Markup, PreEscaped, html};
use sha2::{Digest, Sha256};
use std::net::SocketAddr;
use std::sync::Arc;

/// The public route.
pub fn routes() -> Routes {
    Routes::new()
        .routes(utoipa_axum::routes!(show))
        .layer(axum::middleware::from_fn(super::guard::headers))
}

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
    let mut r = (status, Html(markup.into_string())).into_response();
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
fn is_robot(user_agent: Option<&str>) -> bool {
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
    if !is_share_token(&token) {
        return Ok(not_found());
    }
    let now = app.now();
    let Some(p) = app.store().proposal_by_token(&token, now).await? else {
        return Ok(not_found());
    };
    let doc: ProposalDoc = serde_json::from_value(p.document.clone())
        .map_err(|e| Problem::internal(format!("proposal {}: {e}", p.id)))?;
    let rep = app.store().user(&p.org_id, &p.user_id).await?;
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
    let from = rep.as_ref().map(|u| render::From {
        name: &u.name,
        email: &u.email,
    });
    Ok(page(
        &doc.title,
        StatusCode::OK,
        render::document(&doc, from),
    ))
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
