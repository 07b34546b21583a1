//! A job's timeline in the inbox (steps, skill versions, fuel, cost,
//! denied capabilities, gates, follow-ups, effects, the deals its CRM
//! updates changed as CRM-lite now has them, the proposals it sent with
//! their share links; reloading while it moves) and undoing an effect still pending. Every query is scoped to the
//! session's org.

use super::{login_page, page, page_with_refresh, session, time};
use crate::connectors::crm_lite;
use crate::orchestrator::views;
use crate::service::App;
use crate::service::problem::Problem;
use crate::store::{ActionKind, Deal, EffectId, EffectStatus, JobId, JobStatus, Task};
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
    let deals = deals_changed(&app, &me.org.id, &id).await?;
    let proposals = app.store().proposals_of_job(&me.org.id, &id).await?;
    let base = app.settings.base_url();
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
        @if !proposals.is_empty() {
            h2 { "Proposals" }
            table #proposals {
                tr { th { "Title" } th { "Version" } th { "Status" } th { "Total" } th { "Link (send it on)" } }
                @for p in &proposals {
                    tr {
                        td { (p.title) }
                        td { (p.version) }
                        td { (p.status) }
                        td { (p.amount_cents.map(|a| crate::connectors::proposal::money(a, &p.currency)).unwrap_or_default()) }
                        td { @if let Some(t) = &p.share_token { @let link = format!("{base}/p/{t}"); a.share href=(link) { (link) } } }
                    }
                }
            }
        }
        @for (deal, tasks) in &deals {
            h2 { "Deal: " (deal.name) }
            (deal_table(deal, tasks))
        }
        @if let Some(children) = v["children"].as_array().filter(|c| !c.is_empty()) {
            h2 { "Follow-ups" }
            ul { @for c in children { li { a href={ "/inbox/jobs/" (c.as_str().unwrap_or("")) } { (c.as_str().unwrap_or("")) } } } }
        }
    };
    Ok(page_with_refresh("Job", moving || effects_moving, body).into_response())
}

/// The CRM-lite deals this job's CRM updates and tasks name, as they stand
/// now (what approved changes wrote), with their tasks.
async fn deals_changed(
    app: &App,
    org: &crate::store::OrgId,
    job: &JobId,
) -> Result<Vec<(Deal, Vec<Task>)>, Problem> {
    let mut out: Vec<(Deal, Vec<Task>)> = Vec::new();
    for e in app.store().effects(org, Some(job), 1000).await? {
        if !matches!(e.kind, ActionKind::CrmUpdate | ActionKind::TaskCreate) {
            continue;
        }
        // A payload naming a deal CRM-lite does not know shows nothing here
        // (its effect says why it failed).
        let Ok(Some(deal)) = crm_lite::named_deal(app.store(), &e, &e.payload["payload"]).await
        else {
            continue;
        };
        if out.iter().any(|(d, _)| d.id == deal.id) {
            continue;
        }
        let tasks = app.store().deal_tasks(org, &deal.id).await?;
        out.push((deal, tasks));
    }
    Ok(out)
}

/// A deal's CRM-lite fields and open tasks.
fn deal_table(deal: &Deal, tasks: &[Task]) -> maud::Markup {
    let amount = deal
        .amount_cents
        .map(|c| format!("{} {}.{:02}", deal.currency, c / 100, (c % 100).abs()));
    let rows: [(&str, Option<String>); 8] = [
        ("Stage", Some(deal.stage.clone())),
        ("Amount", amount),
        ("Close date", deal.close_date.clone()),
        ("Next step", deal.next_step.clone()),
        (
            "Competitors",
            Some(deal.competitors.0.join(", ")).filter(|s| !s.is_empty()),
        ),
        (
            "Stakeholders",
            Some(deal.stakeholders.0.join(", ")).filter(|s| !s.is_empty()),
        ),
        ("Timeline", deal.timeline.clone()),
        ("Budget", deal.budget_signal.clone()),
    ];
    html! {
        table.deal {
            @for (label, value) in &rows {
                tr { th { (label) } td { (value.as_deref().unwrap_or("—")) } }
            }
        }
        @if !tasks.is_empty() {
            h3 { "Tasks" }
            ul.tasks {
                @for t in tasks {
                    li { (t.title)
                        @if let Some(due) = &t.due_date { span.muted { " · due " (due) } }
                        @if t.status != "open" { span.muted { " · " (t.status) } } }
                }
            }
        }
    }
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
