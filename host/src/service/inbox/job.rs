//! A job's timeline in the inbox (steps, skill versions, fuel, cost,
//! denied capabilities, gates, follow-ups, effects; reloading while it
//! moves) and undoing an effect still pending. Every query is scoped to the
//! session's org.

use super::{login_page, page, page_with_refresh, session, time};
use crate::orchestrator::views;
use crate::service::App;
use crate::service::problem::Problem;
use crate::store::{EffectId, EffectStatus, JobId, JobStatus};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use maud::html;
use serde_json::Value;
use std::sync::Arc;

pub(super) async fn job(
    State(app): State<Arc<App>>,
    jar: CookieJar,
    Path(id): Path<JobId>,
) -> Result<Response, Problem> {
    let Some(me) = session(&app, &jar).await? else {
        return Ok(login_page(
            StatusCode::UNAUTHORIZED,
            Some("Sign in to see this job."),
        ));
    };
    let Some(v) = views::job_view(app.store(), &me.org.id, &id).await? else {
        return Ok((
            StatusCode::NOT_FOUND,
            page("Not found", html! { h1 { "No such job" } }),
        )
            .into_response());
    };
    let status = v["status"].as_str().unwrap_or("");
    let moving = matches!(
        JobStatus::parse(status),
        Ok(JobStatus::Pending | JobStatus::Running)
    );
    let effects_moving = v["effects"].as_array().into_iter().flatten().any(|e| {
        matches!(
            effect_status(e),
            Some(EffectStatus::Pending | EffectStatus::Delivering)
        )
    });
    let ex = &v["execution"];
    let body = html! {
        h1 { (v["event_type"].as_str().unwrap_or("")) " " span.muted { (id) } }
        p { "Status: " strong #job-status { (status) }
            @if let Some(e) = v["error"].as_str() { " · " span.error { (e) } } }
        p.muted { "Fuel " (ex["fuel"]) " · cost " (ex["total_cost_micros"]) " µ$ · " (ex["steps_completed"]) " steps completed · "
            (ex["approval_gates_hit"]) " gates · " (ex["followups_queued"]) " follow-ups" }
        h2 { "Steps" }
        table #steps {
            tr { th { "Step" } th { "Skill" } th { "Version" } th { "Attempt" } th { "Status" } th { "Fuel" } th { "Cost µ$" } th { "ms" } }
            @for r in v["step_runs"].as_array().into_iter().flatten() {
                tr {
                    td { (r["step_name"].as_str().unwrap_or("")) }
                    td { (r["skill_name"].as_str().unwrap_or("")) }
                    td { (r["skill_version"].as_str().unwrap_or("")) }
                    td { (r["attempt"]) }
                    td { (r["status"].as_str().unwrap_or("")) }
                    td { (r["fuel"]) }
                    td { (r["cost_micros"]) }
                    td { (r["duration_ms"]) }
                }
            }
        }
        @if let Some(denials) = v["denials"].as_array().filter(|d| !d.is_empty()) {
            h2 { "Denied capabilities" }
            table #denials {
                @for d in denials {
                    tr {
                        td { (d["step_name"].as_str().unwrap_or("")) }
                        td { (d["attempt"]) }
                        td { (d["capability"].as_str().unwrap_or("")) }
                        td.error { (d["message"].as_str().unwrap_or("")) }
                    }
                }
            }
        }
        h2 { "Gates" }
        table #gates {
            @for g in v["approvals"].as_array().into_iter().flatten() {
                tr {
                    td { a href={ "/inbox/approvals/" (g["id"].as_str().unwrap_or("")) } { (g["title"].as_str().unwrap_or("")) } }
                    td { (g["pattern"].as_str().unwrap_or("")) }
                    td { (g["status"].as_str().unwrap_or("")) }
                }
            }
        }
        h2 { "Effects" }
        table #effects {
            @for e in v["effects"].as_array().into_iter().flatten() {
                tr {
                    td { (e["kind"].as_str().unwrap_or("")) }
                    td.effect-status { (e["status"].as_str().unwrap_or("")) }
                    td.muted { "not before " (time(e["not_before"].as_i64().unwrap_or(0))) }
                    td {
                        @if effect_status(e) == Some(EffectStatus::Pending) {
                            form.inline method="post" action={ "/inbox/effects/" (e["id"].as_str().unwrap_or("")) "/cancel" } {
                                button type="submit" { "Undo" }
                            }
                        }
                        @if let Some(err) = e["last_error"].as_str() { span.error { (err) } }
                    }
                }
            }
        }
        @if let Some(children) = v["children"].as_array().filter(|c| !c.is_empty()) {
            h2 { "Follow-ups" }
            ul { @for c in children { li { a href={ "/inbox/jobs/" (c.as_str().unwrap_or("")) } { (c.as_str().unwrap_or("")) } } } }
        }
    };
    Ok(page_with_refresh("Job", moving || effects_moving, body).into_response())
}

/// The status of an effect in a job view, if it names one.
fn effect_status(e: &Value) -> Option<EffectStatus> {
    e["status"]
        .as_str()
        .and_then(|s| EffectStatus::parse(s).ok())
}

pub(super) async fn cancel_effect(
    State(app): State<Arc<App>>,
    jar: CookieJar,
    Path(id): Path<EffectId>,
) -> Result<Response, Problem> {
    let Some(me) = session(&app, &jar).await? else {
        return Ok(login_page(
            StatusCode::UNAUTHORIZED,
            Some("Sign in to undo."),
        ));
    };
    let effect = app
        .store()
        .effects(&me.org.id, None, 1000)
        .await?
        .into_iter()
        .find(|e| e.id == id);
    let Some(effect) = effect else {
        return Ok((
            StatusCode::NOT_FOUND,
            page("Not found", html! { h1 { "No such effect" } }),
        )
            .into_response());
    };
    app.store().cancel_effect(&me.org.id, &id).await?;
    Ok(Redirect::to(&format!("/inbox/jobs/{}", effect.job_id)).into_response())
}
