//! `/inbox/deals/{id}`: a deal's engagement for the rep who owns it (or
//! their manager): the stages with the current one marked, the status and
//! the next decision, the tracks with their blockers, what is known and
//! from where, the artifacts' versions, the tasks and the event log.
//! A conflict between two sources has a button for each side
//! (`POST /inbox/deals/{id}/decide`). Another rep's deal is "not found".

use super::page;
use crate::engagement::Side;
use crate::lifecycle::facts;
use crate::lifecycle::proposals::By;
use crate::lifecycle::view::{DealState, VersionStatus, deal_state};
use crate::store::{CrmTables, EngagementTables};
use crate::web::problem::{FormBody, Problem};
use crate::web::{App, Sales};
use axum::Extension;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use baton_service::auth::InboxUser;
use baton_service::inbox::{RepClock, login_page, session};
use baton_store::{Reach, UserId};
use maud::{Markup, html};
use serde::Deserialize;
use std::sync::Arc;

/// The page's own styles.
pub(super) const STYLE: &str = "ol.stages{display:flex;flex-wrap:wrap;gap:.3rem;list-style:none;padding:0}\
ol.stages li{padding:.2rem .6rem;border:1px solid #c9c9cf;border-radius:1rem}\
ol.stages li.current{background:#1d1d1f;color:#fff;border-color:#1d1d1f}\
table.tracks td,table.tracks th,table.log td,table.log th{text-align:left;padding:.2rem .6rem .2rem 0;vertical-align:top}\
.blocked{color:#a4262c;font-weight:600}";

#[utoipa::path(get, path = "/inbox/deals", operation_id = "inboxDeals",
    summary = "The rep's open deals (a manager's team's too), those waiting on a decision first", security(("session" = []), ()),
    responses(crate::web::openapi::Db, (status = 200, description = "The deals", body = String, content_type = "text/html"),
        (status = 401, description = "Not signed in: the sign-in page", body = String, content_type = "text/html")))]
pub(super) async fn deals(
    State(app): State<Arc<App>>,
    jar: CookieJar,
) -> Result<Response, Problem> {
    let Some(me) = session(&app, &jar).await? else {
        return Ok(login_page(
            StatusCode::UNAUTHORIZED,
            Some("Sign in to see your deals."),
        ));
    };
    let lines = app.store().deal_lines(&me.org.id, &me.reach, 500).await?;
    let body = html! {
        p { a href="/inbox" { "← Inbox" } }
        h1 { "Deals" }
        @if lines.is_empty() { p.muted { "No open deals." } }
        ul #deals {
            @for l in &lines {
                li {
                    a href={ "/inbox/deals/" (l.id) } { (l.name) }
                    " — " (words(l.stage.as_deref().unwrap_or(&l.crm_stage)))
                    @if l.status.as_deref() == Some("blocked") { " — " span.blocked { "waiting on a decision" } }
                }
            }
        }
    };
    Ok(page("Deals", body).into_response())
}

#[utoipa::path(get, path = "/inbox/deals/{id}", operation_id = "inboxDeal",
    summary = "A deal's engagement: stage, tracks, facts, artifacts, tasks and event log", security(("session" = []), ()),
    params(("id" = String, Path, description = "The deal's id", min_length = 1)),
    responses(crate::web::openapi::Db, (status = 200, description = "The deal", body = String, content_type = "text/html"),
        (status = 401, description = "Not signed in: the sign-in page", body = String, content_type = "text/html"),
        (status = 404, description = "No such deal, or another rep's", body = String, content_type = "text/html")))]
pub(super) async fn deal(
    State(app): State<Arc<App>>,
    Extension(sales): Extension<Arc<Sales>>,
    jar: CookieJar,
    Path(id): Path<String>,
) -> Result<Response, Problem> {
    let Some(me) = session(&app, &jar).await? else {
        return Ok(login_page(
            StatusCode::UNAUTHORIZED,
            Some("Sign in to see this deal."),
        ));
    };
    let org = &me.org.id;
    let found = deal_state(app.store(), &sales.workflow, org, &id).await?;
    let visible = sees(&app, &me, found.as_ref().map(|d| &d.deal.owner_user_id)).await?;
    let Some(d) = found.filter(|_| visible) else {
        return Ok((
            StatusCode::NOT_FOUND,
            page("Not found", html! { h1 { "No such deal" } }),
        )
            .into_response());
    };
    let clock = match &d.deal.owner_user_id {
        Some(owner) => RepClock::of(&app, org, owner).await?,
        None => RepClock::new("UTC", app.now()),
    };
    let stages: Vec<&str> = sales
        .workflow
        .stages
        .iter()
        .map(|s| s.name.as_str())
        .collect();
    Ok(page(&d.deal.name, body(&d, &stages, &clock)).into_response())
}

/// The conflict form's fields.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub(crate) struct ConflictForm {
    fact: String,
    /// `held` or `other`.
    keep: String,
}

#[utoipa::path(post, path = "/inbox/deals/{id}/decide", operation_id = "inboxDecideConflict",
    summary = "Decide a conflict on a deal's fact from its page", security(("session" = []), ()),
    params(("id" = String, Path, description = "The deal's id", min_length = 1)),
    request_body(content = ConflictForm, content_type = "application/x-www-form-urlencoded"),
    responses(crate::web::openapi::Db, crate::web::openapi::Body, crate::web::openapi::Conflict,
        (status = 303, description = "Decided: back to the deal's page",
            headers(("Location" = String, description = "The deal's page"))),
        (status = 401, description = "Not signed in: the sign-in page", body = String, content_type = "text/html"),
        (status = 404, description = "No such deal, or another rep's", body = String, content_type = "text/html")))]
pub(super) async fn decide(
    State(app): State<Arc<App>>,
    Extension(sales): Extension<Arc<Sales>>,
    jar: CookieJar,
    Path(id): Path<String>,
    FormBody(form): FormBody<ConflictForm>,
) -> Result<Response, Problem> {
    let Some(me) = session(&app, &jar).await? else {
        return Ok(login_page(
            StatusCode::UNAUTHORIZED,
            Some("Sign in to decide."),
        ));
    };
    let org = &me.org.id;
    let deal = app.store().deal(org, &id).await?;
    if !sees(&app, &me, deal.as_ref().map(|d| &d.owner_user_id)).await? {
        return Ok((
            StatusCode::NOT_FOUND,
            page("Not found", html! { h1 { "No such deal" } }),
        )
            .into_response());
    }
    let keep = match form.keep.as_str() {
        "held" => Side::Held,
        "other" => Side::Other,
        other => {
            return Err(Problem::unprocessable(format!(
                "keep `{other}` is neither `held` nor `other`"
            )));
        }
    };
    facts::decide(
        app.store(),
        &sales.workflow,
        org,
        &id,
        &form.fact,
        keep,
        By::Caller(&me.credential),
        app.now(),
    )
    .await?;
    Ok(Redirect::to(&format!("/inbox/deals/{id}")).into_response())
}

/// Whether `me` may see a deal owned by `owner` (`None`: no such deal): a
/// deal is its owner's and their manager's; one with no owner only the
/// whole org's.
async fn sees(app: &App, me: &InboxUser, owner: Option<&Option<UserId>>) -> Result<bool, Problem> {
    Ok(match owner {
        Some(Some(owner)) => me.reaches(app, owner).await?,
        Some(None) => matches!(me.reach, Reach::Org),
        None => false,
    })
}

/// `discovery` → "Discovery", `customer_success` → "Customer success".
fn words(name: &str) -> String {
    let spaced = name.replace('_', " ");
    let mut c = spaced.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

fn body(d: &DealState, stages: &[&str], clock: &RepClock) -> Markup {
    let s = &d.state;
    html! {
        p { a href="/inbox" { "← Inbox" } " · " a href="/inbox/deals" { "Deals" } }
        h1 { (d.deal.name) }
        ol.stages aria-label="Stages" {
            @for name in stages {
                @if *name == s.stage.as_str() {
                    li.current aria-current="step" { (words(name)) }
                } @else {
                    li { (words(name)) }
                }
            }
        }
        p #deal-status {
            "Status: " strong { (words(s.status.as_str())) }
            " · CRM stage " (d.deal.stage)
            @if !d.started { span.muted { " · nothing has happened on it yet" } }
        }
        @if let Some(n) = &s.next_decision { p.blocked #next-decision { "Next decision: " (n) } }
        @if !s.missing_info.is_empty() {
            p #missing { "Missing: " (s.missing_info.join(", ")) }
        }
        @for c in &s.conflicts {
            section.conflict aria-label={ "Conflict on " (words(&c.fact)) } {
                p.blocked {
                    "Conflict on " (words(&c.fact)) ": " (c.held.value) " (" (c.held.source) ") against "
                    (c.other.value) " (" (c.other.source) "); the " (c.track) " track waits for your decision."
                }
                @for (keep, value, source) in [("held", &c.held.value, &c.held.source), ("other", &c.other.value, &c.other.source)] {
                    form.inline method="post" action={ "/inbox/deals/" (d.deal.id) "/decide" } {
                        input type="hidden" name="fact" value=(c.fact);
                        input type="hidden" name="keep" value=(keep);
                        button type="submit" {
                            "Keep " (value) " (" (source) ")"
                            @if (keep == "held") == (c.likely == Side::Held) { " — likely right" }
                        }
                    }
                }
            }
        }
        h2 { "Tracks" }
        table.tracks #tracks {
            tr { th { "Track" } th { "Status" } th { "Owner" } th { "Blockers" } }
            @for t in &s.tracks {
                tr {
                    td { (words(&t.name)) }
                    td class=(if t.status.as_str() == "blocked" { "blocked" } else { "" }) { (t.status) }
                    td { (t.owner) }
                    td { (t.blockers.join("; ")) }
                }
            }
        }
        @if !s.facts.is_empty() {
            h2 { "What is known" }
            ul #facts {
                @for (name, f) in &s.facts {
                    li { strong { (words(name)) } ": " code { (f.value) } span.muted { " — " (f.source) } }
                }
            }
        }
        h2 { "Documents" }
        @if d.artifacts.is_empty() { p.muted { "None yet." } }
        ul #artifacts {
            @for a in &d.artifacts {
                li class=(if a.status == VersionStatus::Current { "current" } else { "old" }) {
                    (words(a.artifact)) " v" (a.version) " — " (a.title) " — "
                    (match a.status {
                        VersionStatus::Current => "current",
                        VersionStatus::Superseded => "superseded",
                        VersionStatus::Archived => "archived",
                        VersionStatus::Draft => "draft",
                    })
                    " (" (a.detail) ")"
                    @if let Some(v) = a.supersedes { span.muted { " · replaces v" (v) } }
                }
            }
        }
        h2 { "Tasks" }
        @if d.tasks.is_empty() { p.muted { "None." } }
        ul #tasks {
            @for t in &d.tasks {
                li { (if t.status == "done" { "✓ " } else { "○ " }) (t.title) }
            }
        }
        h2 { "What happened" }
        @if d.events.is_empty() { p.muted { "Nothing yet." } }
        table.log #events {
            @for e in &d.events {
                tr {
                    td.muted { (clock.at(e.at)) }
                    td { (words(e.event_type.0.as_str())) }
                    td { (words(e.decision.as_deref().or(e.notes.as_deref()).unwrap_or(&e.happening))) }
                    td.muted { (e.actor) }
                }
            }
        }
    }
}
