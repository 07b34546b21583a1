//! The sales app's inbox pages, server-rendered (maud; no front-end
//! build), standing in the service's inbox shell (`baton_service::inbox`:
//! the page, signing in, the session, the rep's clock, connected
//! accounts). See the gates waiting, each with its preview; approve, edit
//! the draft, skip, cancel or choose; follow a job's timeline (steps,
//! skill versions, fuel, cost, gates, follow-ups, effects); see what is
//! waiting to go out and why (effects held by the undo window or a failed
//! delivery, steps waiting to retry); the rep's latest morning brief heads
//! the front page (`brief.rs`), the briefings of meetings coming up
//! under it (`upcoming.rs`: shown there, a briefing counts as
//! delivered), a manager's notices about their team (`notices.rs`); the org's success metrics with small
//! charts (`metrics.rs`, `chart.rs`).
//! Forms post back with a `SameSite=Strict` session cookie; every query is
//! scoped to the session's org and reach: a rep sees and decides their own
//! work (a manager also their team's), another rep's is "not found".

mod approval;
mod brief;
mod chart;
mod coaching;
mod deal;
mod document;
mod job;
mod list;
mod metrics;
mod notices;
mod proposal_gate;
mod settings;
mod trigger;
mod trigger_view;
mod upcoming;

use super::openapi::Db;
use super::problem::Problem;
use super::{App, Routes};
use crate::web::store::{GateStatus, Job, JobId, JobStatus};
use crate::words;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum_extra::extract::CookieJar;
use baton_engine::orchestrator::JobState;
use baton_engine::orchestrator::state::{StepState, StepStatus};
use baton_service::inbox::{RepClock, login_page, session};
use maud::{Markup, html};
use std::sync::Arc;

/// The app's inbox pages, under the shell's layers.
pub fn routes(app: &Arc<App>) -> Routes {
    let pages = Routes::new()
        .routes(utoipa_axum::routes!(home))
        .routes(utoipa_axum::routes!(approval::approval, approval::decide))
        .routes(utoipa_axum::routes!(job::job))
        .routes(utoipa_axum::routes!(deal::deals))
        .routes(utoipa_axum::routes!(deal::deal))
        .routes(utoipa_axum::routes!(deal::decide))
        .routes(utoipa_axum::routes!(deal::decide_approval))
        .routes(utoipa_axum::routes!(document::document))
        .routes(utoipa_axum::routes!(document::pdf))
        .routes(utoipa_axum::routes!(job::cancel_effect))
        .routes(utoipa_axum::routes!(metrics::metrics))
        .routes(utoipa_axum::routes!(settings::settings, settings::save));
    baton_service::inbox::layered(app, pages)
}

/// The app's own styles, after the shell's on every page of its.
const STYLES: [&str; 5] = [
    crate::web::proposal::render::STYLE,
    trigger_view::STYLE,
    approval::STYLE,
    deal::STYLE,
    crate::documents::html::STYLE,
];

fn page(title: &str, body: Markup) -> Html<String> {
    baton_service::inbox::page(title, &STYLES, body)
}

fn page_with_refresh(title: &str, refresh: bool, body: Markup) -> Html<String> {
    baton_service::inbox::page_with_refresh(title, &STYLES, refresh, body)
}

/// The steps of `jobs` waiting for another attempt, with why the last one
/// failed.
fn retrying_steps(jobs: &[Job]) -> Vec<(&Job, String, StepState)> {
    jobs.iter()
        .flat_map(|j| {
            let state: JobState = serde_json::from_value(j.state.clone()).unwrap_or_default();
            state
                .steps
                .into_iter()
                .filter(|(_, s)| s.status == StepStatus::Retrying)
                .map(move |(name, s)| (j, name, s))
        })
        .collect()
}

#[utoipa::path(get, path = "/inbox", operation_id = "inbox", security(("session" = []), ()),
    summary = "The web approval inbox: open gates and recent jobs, or the sign-in page",
    responses(Db, (status = 200, description = "The inbox, or the sign-in page", body = String, content_type = "text/html")))]
async fn home(State(app): State<Arc<App>>, jar: CookieJar) -> Result<Response, Problem> {
    let Some(me) = session(&app, &jar).await? else {
        return Ok(login_page(StatusCode::OK, None));
    };
    let (org, reach) = (&me.org.id, &me.reach);
    let gates = app
        .store()
        .pending_actions(org, reach, Some(GateStatus::Open), 200)
        .await?;
    let jobs = app.store().jobs(org, reach, 20).await?;
    let outgoing = app.store().waiting_effects(org, reach, 100).await?;
    let pending = app
        .store()
        .jobs_with_status(org, reach, JobStatus::Pending, 200)
        .await?;
    let retrying = retrying_steps(&pending);
    let now = app.now();
    let mut clocks = trigger::Clocks::new(&app, org, me.user.as_ref());
    let ids: Vec<JobId> = gates
        .iter()
        .map(|g| g.job_id.clone())
        .chain(outgoing.iter().map(|e| e.job_id.clone()))
        .collect();
    let whys = trigger::load(&app, org, &mut clocks, &ids).await?;
    // The page's own clock: the signed-in rep's; for a token login, that
    // of the rep the newest thing waiting belongs to.
    let owner = gates
        .first()
        .map(|g| &g.user_id)
        .or(jobs.first().map(|j| &j.user_id));
    let clock = match (me.user.as_ref(), owner) {
        (Some(u), _) | (None, Some(u)) => clocks.of(u).await?,
        (None, None) => RepClock::new("UTC", now),
    };
    let groups = list::groups(&gates, &whys);
    let brief = brief::panel(&app, &me, &clock).await?;
    let coaching = coaching::panel(&app, &me, &clock).await?;
    let notices = notices::panel(&app, &me, &clock).await?;
    let upcoming = upcoming::panel(&app, &me, &clock).await?;
    let mut recent = Vec::with_capacity(jobs.len());
    for j in &jobs {
        recent.push((j, clocks.of(&j.user_id).await?));
    }
    let body = html! {
        h1 { (me.org.name) }
        form.inline method="post" action="/inbox/logout" { button type="submit" { "Sign out" } }
        a href="/inbox/accounts" { "Connected accounts" }
        @if me.user.is_some() { " · " a #settings-link href="/inbox/settings" { "Settings" } }
        " · "
        a #deals-link href="/inbox/deals" { "Deals" }
        " · "
        a #metrics-link href="/inbox/metrics" { "Success metrics" }
        @if me.user.is_some() { (baton_service::inbox::requests::request_box("")) }
        (brief)
        (upcoming)
        (notices)
        (coaching)
        h2 { "Waiting for you (" (gates.len()) ")" }
        @if gates.is_empty() { p.muted { "Nothing to decide." } }
        div #approvals {
            @for g in &groups { (list::group(g)) }
        }
        h2 { "Waiting to go out (" (outgoing.len() + retrying.len()) ")" }
        @if outgoing.is_empty() && retrying.is_empty() { p.muted { "Nothing waiting." } }
        ul #waiting {
            @for e in &outgoing {
                @let why = whys.get(&e.job_id);
                @let c = why.map_or(&clock, |w| &w.clock);
                li.waiting-effect {
                    a href={ "/inbox/jobs/" (e.job_id) } { (list::effect_title(e, why)) }
                    " — " (list::effect_state(e, c))
                    @if let Some(why) = &e.last_error { " " span.error { (why) } }
                }
            }
            @for (job, _, s) in &retrying {
                li.waiting-step {
                    a href={ "/inbox/jobs/" (job.id) } { (words::event_title(&job.event_type)) }
                    " — trying again " (clock.relative(job.scheduled_at.max(now)))
                    ", attempt " (s.attempts + 1)
                    @if let Some(r) = &s.reason {
                        details.operator { summary { "Operator details" } span.error { (r) } }
                    }
                }
            }
        }
        h2 { "Recent jobs" }
        ul #jobs {
            @for (j, c) in &recent {
                li {
                    a href={ "/inbox/jobs/" (j.id) } { (list::job_title(j)) }
                    " — " (words::status_words(j.status))
                    span.muted { " · " (c.relative(j.created_at)) " (" (c.at(j.created_at)) ")" }
                }
            }
        }
    };
    Ok(page("Inbox", body).into_response())
}
