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
//! scoped to the session's org and reach: a rep sees and decides their own
//! work (a manager also their team's), another rep's is "not found".

mod accounts;
mod approval;
mod brief;
mod chart;
mod clock;
mod coaching;
pub(crate) mod connect;
mod job;
mod keys;
mod list;
mod login;
mod metrics;
mod proposal_gate;
mod trigger;
mod trigger_view;

use super::App;
use super::auth::InboxUser;
use super::problem::Problem;
use crate::web::store::{GateStatus, Job, JobId, JobStatus};
use crate::words;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum_extra::extract::CookieJar;
use baton_engine::orchestrator::JobState;
use baton_engine::orchestrator::state::{StepState, StepStatus};
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
        .layer(axum::middleware::from_fn_with_state(
            app.clone(),
            super::guard::guard,
        ))
}

/// The base style of every inbox page: calm, readable, with good contrast,
/// and usable at phone width (390 px): nothing scrolls sideways (long words
/// wrap, tables shrink or stack their rows, wide blocks scroll in their own
/// box), fields are full width and tap targets at least 44 px high.
const STYLE: &str = "*,*::before,*::after{box-sizing:border-box}\
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}\
body{font:1rem/1.55 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;max-width:60rem;margin:0 auto;padding:0 1.25rem 3rem;color:#1d1d1f;background:#fff}\
header.top{display:flex;flex-wrap:wrap;align-items:center;gap:.25rem 1rem;min-height:3.5rem;border-bottom:1px solid #e2e2e7;margin-bottom:1.25rem}\
header.top .brand{font-weight:600;text-decoration:none;color:#1d1d1f;display:inline-flex;align-items:center;min-height:44px}\
main{display:block}\
h1{font-size:1.6rem;line-height:1.25;margin:.5rem 0 1rem}h2{font-size:1.25rem;margin:2rem 0 .6rem}h3{font-size:1.05rem;margin:1.2rem 0 .4rem}\
h1,h2,h3,p,li,dd,td,th,label,summary,legend,a{overflow-wrap:break-word}\
a{color:#0b57d0;text-underline-offset:.15em}a:hover{color:#083e94}\
:focus-visible{outline:3px solid #0b57d0;outline-offset:2px;border-radius:2px}\
table{border-collapse:collapse;width:100%;margin:.4rem 0 1rem}\
td,th{border-bottom:1px solid #e2e2e7;padding:.55rem .5rem;text-align:left;vertical-align:top}th{font-weight:600}\
pre{white-space:pre-wrap;overflow-wrap:anywhere;background:#f5f5f7;border-radius:6px;padding:.8rem 1rem;overflow-x:auto}\
pre.body{font-family:inherit;font-size:1rem;line-height:1.6}\
code,kbd{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9em}\
kbd{border:1px solid #8a8a8e;border-bottom-width:2px;border-radius:4px;padding:0 .35em;background:#fff}\
img,svg,video{max-width:100%;height:auto}\
label{display:block;margin:.6rem 0 .2rem;font-weight:500}\
label:has(>input[type=checkbox]),label:has(>input[type=radio]){display:flex;align-items:center;gap:.6rem;min-height:44px;margin:0;font-weight:400}\
input,select,textarea,button{font:inherit;color:inherit;max-width:100%}\
input[type=text],input[type=email],input[type=search],input[type=url],input[type=password],input[type=number],input[type=datetime-local],input[type=date],input:not([type]),select,textarea{\
display:block;width:100%;min-height:44px;padding:.5rem .65rem;border:1px solid #8a8a8e;border-radius:6px;background:#fff}\
textarea{line-height:1.5;resize:vertical}\
input[type=checkbox],input[type=radio]{width:1.25rem;height:1.25rem;margin:0;flex:none;accent-color:#0b57d0}\
button,a.button{display:inline-flex;align-items:center;justify-content:center;min-height:44px;min-width:44px;padding:.5rem 1rem;margin:.25rem .4rem .25rem 0;\
border:1px solid #8a8a8e;border-radius:8px;background:#f5f5f7;color:#1d1d1f;text-decoration:none;cursor:pointer;line-height:1.2}\
button:hover,a.button:hover{background:#e8e8ed}\
button#approve,button#approve-edited,button.primary,a.button.primary{background:#0b57d0;border-color:#0b57d0;color:#fff}\
button#approve:hover,button#approve-edited:hover,button.primary:hover,a.button.primary:hover{background:#083e94}\
details{margin:.6rem 0}summary{display:flex;align-items:center;gap:.6rem;min-height:44px;cursor:pointer;font-weight:500;color:#0b57d0}\
summary::before{content:'';flex:none;width:.45rem;height:.45rem;border:solid currentColor;border-width:0 2px 2px 0;transform:rotate(-45deg);transition:transform .15s}\
details[open]>summary::before{transform:rotate(45deg)}@media (prefers-reduced-motion:reduce){summary::before{transition:none}}\
details[open]>summary{margin-bottom:.4rem}\
fieldset{border:1px solid #e2e2e7;border-radius:6px;margin:.6rem 0;padding:.4rem .9rem .7rem;min-width:0}\
.muted{color:#5f6368}.error{color:#b3261e}form.inline{display:inline}\
.document{border:1px solid #e2e2e7;border-radius:6px;padding:0 1rem;margin:1rem 0}\
svg.chart{display:block;margin:.4rem 0}\
#approvals .item.current{outline:3px solid #0b57d0;outline-offset:2px;border-radius:4px;background:#f0f5ff}\
dialog#keys-help{border:1px solid #8a8a8e;border-radius:10px;padding:1rem 1.25rem;max-width:min(26rem,calc(100vw - 2rem));color:#1d1d1f}\
dialog#keys-help::backdrop{background:rgb(0 0 0 / .35)}\
dialog#keys-help h2{margin-top:0}dialog#keys-help dl{display:grid;grid-template-columns:auto 1fr;gap:.4rem 1rem;margin:.5rem 0 1rem}dialog#keys-help dd{margin:0}\
.keys-hint{margin-top:2.5rem;font-size:.9rem}\
@media (max-width:40rem){\
body{padding:0 .9rem 2rem}h1{font-size:1.35rem}\
table{display:block;overflow-x:auto;max-width:100%}td,th,p,li,dd,a,label{overflow-wrap:anywhere}table:has(th){font-size:.875rem}\
table:not(:has(th)),table:not(:has(th)) tbody,table:not(:has(th)) tr,table:not(:has(th)) td{display:block;width:100%}\
table:not(:has(th)) tr{border-bottom:1px solid #e2e2e7;padding:.4rem 0}\
table:not(:has(th)) td{border:0;padding:.1rem 0}\
form.inline{display:block}form.inline button,form:not(.inline)>button[type=submit]{width:100%}\
}";

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
                style { (maud::PreEscaped(STYLE)) (maud::PreEscaped(crate::web::proposal::render::STYLE)) (maud::PreEscaped(trigger_view::STYLE)) }
                style { (maud::PreEscaped(approval::STYLE)) }
            }
            body {
                header.top { a.brand href="/inbox" { "baton inbox" } }
                main #main { (body) }
                (keys::script())
            }
        }
    }
}

fn page_with_refresh(title: &str, refresh: bool, body: Markup) -> Html<String> {
    let Html(inner) = page(title, body);
    if !refresh {
        return Html(inner);
    }
    // A job still moving reloads itself so the reader sees it go on:
    // without JavaScript by a meta refresh (inside `noscript`, so a browser
    // running scripts never sees a timed refresh, WCAG 2.2.1), with it by a
    // script that waits while the reader types or reads the help.
    Html(inner.replacen("<head>", REFRESH, 1))
}

/// What [`page_with_refresh`] puts at the top of `<head>`.
const REFRESH: &str = "<head><noscript><meta http-equiv=\"refresh\" content=\"2\"></noscript>\
<script>(function(){function again(){var a=document.activeElement;\
if((a&&/^(INPUT|TEXTAREA|SELECT)$/.test(a.tagName))||document.querySelector('dialog[open]')){setTimeout(again,2000);return;}\
location.reload();}setTimeout(again,2000);})();</script>";

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
