//! The web approval inbox, server-rendered (maud; no front-end build).
//! Log in with an org API token or a magic link; see the gates waiting,
//! each with its preview; approve, edit the draft, skip, cancel or choose;
//! follow a job's timeline (steps, skill versions, fuel, cost, gates,
//! follow-ups, effects); see what is waiting to go out and why (effects
//! held by the undo window or a failed delivery, steps waiting to retry);
//! connect a Google account and see which accounts need reconnecting;
//! the rep's latest morning brief heads the front page (`brief.rs`); the
//! org's success metrics with small charts (`metrics.rs`, `chart.rs`).
//! Forms post back with a `SameSite=Strict` session cookie; every query is
//! scoped to the session's org.

mod accounts;
mod approval;
mod brief;
mod chart;
mod clock;
mod coaching;
pub(crate) mod connect;
mod job;
mod list;
mod login;
mod metrics;
mod proposal_gate;
mod trigger;

use super::App;
use super::auth::InboxUser;
use super::problem::Problem;
use crate::orchestrator::JobState;
use crate::orchestrator::state::{StepState, StepStatus};
use crate::store::{GateStatus, Job, JobId, JobStatus};
use crate::words;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum_extra::extract::CookieJar;
use clock::RepClock;
use maud::{DOCTYPE, Markup, html};
use std::sync::Arc;

/// The inbox routes (and Google's OAuth callback, which ends on a page).
pub fn routes(app: &Arc<App>) -> Router<Arc<App>> {
    Router::new()
        .route("/inbox", get(home))
        .route("/inbox/login", post(login::login))
        .route("/inbox/logout", post(login::logout))
        .route("/inbox/magic/{secret}", get(login::magic))
        .route(
            "/inbox/approvals/{id}",
            get(approval::approval).post(approval::decide),
        )
        .route("/inbox/jobs/{id}", get(job::job))
        .route("/inbox/effects/{id}/cancel", post(job::cancel_effect))
        .route("/inbox/accounts", get(accounts::accounts))
        .route("/inbox/metrics", get(metrics::metrics))
        .route("/inbox/connect/google", get(connect::connect_google))
        // `accounts::google::CALLBACK_PATH`, written out for the route
        // check in tests/all/schema.rs (a unit test keeps them equal).
        .route("/oauth/google/callback", get(connect::google_callback))
        .layer(axum::middleware::from_fn_with_state(
            app.clone(),
            accounts::with_banner,
        ))
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1d1d1f}\
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.4rem;text-align:left;vertical-align:top}\
pre{white-space:pre-wrap;background:#f6f6f6;padding:.8rem}textarea,input[type=text]{width:100%;font:inherit}\
button{margin:.2rem .4rem .2rem 0;padding:.4rem .9rem}.muted{color:#666}.error{color:#a00}form.inline{display:inline}\
.document{border:1px solid #ddd;padding:0 1rem;margin:1rem 0}fieldset{border:1px solid #eee;margin:.6rem 0}\
svg.chart{display:block;margin:.4rem 0}";

fn page(title: &str, body: Markup) -> Html<String> {
    Html(page_markup(title, body).into_string())
}

fn page_markup(title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · baton" }
                style { (maud::PreEscaped(STYLE)) (maud::PreEscaped(crate::service::proposal::render::STYLE)) (maud::PreEscaped(trigger::STYLE)) }
                style { (maud::PreEscaped(approval::STYLE)) }
            }
            body {
                header { a href="/inbox" { "baton inbox" } }
                (body)
            }
        }
    }
}

fn page_with_refresh(title: &str, refresh: bool, body: Markup) -> Html<String> {
    let Html(inner) = page(title, body);
    if !refresh {
        return Html(inner);
    }
    // A job still moving reloads itself so the reader sees it go on.
    Html(inner.replacen(
        "<head>",
        "<head><meta http-equiv=\"refresh\" content=\"2\">",
        1,
    ))
}

fn login_page(status: StatusCode, error: Option<&str>) -> Response {
    let body = html! {
        h1 { "Sign in" }
        @if let Some(e) = error { p.error { (e) } }
        form method="post" action="/inbox/login" {
            label for="token" { "Org API token" }
            input #token type="text" name="token" autocomplete="off";
            button type="submit" { "Sign in" }
        }
        p.muted { "Or open a magic link from your operator." }
    };
    (status, page("Sign in", body)).into_response()
}

async fn session(app: &App, jar: &CookieJar) -> Result<Option<InboxUser>, Problem> {
    InboxUser::from_jar(app, jar).await
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

fn time(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms)
        .map(|t| t.strftime("%Y-%m-%d %H:%M:%S UTC").to_string())
        .unwrap_or_default()
}

async fn home(State(app): State<Arc<App>>, jar: CookieJar) -> Result<Response, Problem> {
    let Some(me) = session(&app, &jar).await? else {
        return Ok(login_page(StatusCode::OK, None));
    };
    let org = &me.org.id;
    let gates = app
        .store()
        .pending_actions(org, Some(GateStatus::Open), 200)
        .await?;
    let jobs = app.store().jobs(org, 20).await?;
    let outgoing = app.store().waiting_effects(org, 100).await?;
    let pending = app
        .store()
        .jobs_with_status(org, JobStatus::Pending, 200)
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
    let mut recent = Vec::with_capacity(jobs.len());
    for j in &jobs {
        recent.push((j, clocks.of(&j.user_id).await?));
    }
    let body = html! {
        h1 { (me.org.name) }
        form.inline method="post" action="/inbox/logout" { button type="submit" { "Sign out" } }
        a href="/inbox/accounts" { "Connected accounts" }
        " · "
        a #metrics-link href="/inbox/metrics" { "Success metrics" }
        (brief)
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
