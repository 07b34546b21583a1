//! A job's page in the inbox: its history as a timeline
//! (`job/timeline.rs`), the deals its CRM updates changed as CRM-lite now
//! has them, the proposals it sent with their share links, and an
//! operator's details (steps, skills, fuel, cost, denied capabilities) in a
//! collapsed section; reloading while it moves. Undoing an effect still in
//! its undo window. Every query is scoped to the session's org.

mod lines;
mod timeline;

pub(super) use lines::{decision_words, effect_state, gate_heading, job_heading, ticking, who};

use super::{login_page, page, page_with_refresh, session};
use crate::connectors::crm_lite;
use crate::web::App;
use crate::web::problem::{FormBody, Problem};
use crate::web::store::{ActionKind, Deal, EffectId, EffectStatus, JobId, JobStatus, Task};
use crate::web::store::{CrmTables, ProposalTables};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use baton_engine::orchestrator::views;
use baton_service::inbox::RepClock;
use baton_types::money::money;
use maud::html;
use std::sync::Arc;

#[utoipa::path(get, path = "/inbox/jobs/{id}", operation_id = "inboxJob",
    summary = "A job's page: steps, gates, effects, follow-ups", security(("session" = []), ()),
    responses(crate::web::openapi::Db, (status = 200, description = "The job", body = String, content_type = "text/html"), (status = 401, description = "Not signed in: the sign-in page", body = String, content_type = "text/html"),
        (status = 404, description = "No such job", body = String, content_type = "text/html")))]
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
    let store = app.store();
    let org = &me.org.id;
    // Another rep's job is not read further than its owner.
    let view = match store.job(org, &id).await? {
        Some(j) if me.reaches(&app, &j.user_id).await? => {
            views::job_view(store, org, &id).await?.map(|v| (j, v))
        }
        _ => None,
    };
    let Some((job, v)) = view else {
        return Ok((
            StatusCode::NOT_FOUND,
            page("Not found", html! { h1 { "No such job" } }),
        )
            .into_response());
    };
    let clock = RepClock::of(&app, org, &job.user_id).await?;
    let mut children = Vec::new();
    for c in store.children(org, &id).await? {
        children.extend(store.job(org, &c).await?);
    }
    let parent = match &job.parent_job_id {
        Some(p) => store.job(org, p).await?,
        None => None,
    };
    let history = timeline::History {
        parent,
        runs: store.step_runs(org, &id).await?,
        gates: store.job_actions(org, &id).await?,
        effects: store.effects(org, Some(&id), 1000).await?,
        children,
        job,
    };
    let moving = matches!(history.job.status, JobStatus::Pending | JobStatus::Running);
    let effects_moving = history
        .effects
        .iter()
        .any(|e| matches!(e.status, EffectStatus::Pending | EffectStatus::Delivering));
    let deals = deals_changed(&app, org, &id).await?;
    let proposals = store.proposals_of_job(org, &id).await?;
    let base = app.settings.base_url();
    let ex = &v["execution"];
    let heading = job_heading(&history.job);
    let body = html! {
        h1 { (heading) }
        p { "Status: " strong #job-status data-status=(history.job.status.as_str()) { (timeline::status_words(history.job.status)) } }
        // What the job read was erased since: its tombstone, in place of
        // the words.
        @for e in v["erased"].as_array().into_iter().flatten() {
            @let words = e["erased"].as_str().unwrap_or_default();
            p.erased { (erased_heading(e["kind"].as_str())) " " (words.strip_prefix("erased ").unwrap_or(words)) }
        }
        h2 { "What happened" }
        (timeline::view(&history, &clock))
        @if !proposals.is_empty() {
            h2 { "Proposals" }
            table #proposals {
                tr { th { "Title" } th { "Version" } th { "Status" } th { "Total" } th { "Link (send it on)" } }
                @for p in &proposals {
                    tr {
                        td { (p.title) }
                        td { (p.version) }
                        td { (p.status) }
                        td { (p.amount_cents.map(|a| money(a, &p.currency)).unwrap_or_default()) }
                        td { @if let Some(t) = &p.share_token { @let link = format!("{base}/p/{t}"); a.share href=(link) { (link) } } }
                    }
                }
            }
        }
        @for (deal, tasks) in &deals {
            h2 { "Deal: " (deal.name) }
            (deal_table(deal, tasks))
        }
        details.operator {
            summary { "Operator details" }
            p { "Job " (id) " · " (history.job.event_type) " · sequence " (history.job.sequence_name) }
            @if let Some(e) = &history.job.error { p.error { (e) } }
            p.muted { "Fuel " (ex["fuel"]) " · cost " (ex["total_cost_micros"]) " µ$ · " (ex["steps_completed"]) " steps completed · "
                (ex["approval_gates_hit"]) " gates · " (ex["followups_queued"]) " follow-ups" }
            table #steps {
                tr { th { "Step" } th { "Skill" } th { "Version" } th { "Attempt" } th { "Status" } th { "Fuel" } th { "Cost µ$" } th { "ms" } }
                @for r in &history.runs {
                    tr {
                        td { (r.step_name) }
                        td { (r.skill_name) }
                        td { (r.skill_version) }
                        td { (r.attempt) }
                        td { (r.status.as_str()) }
                        td { (r.fuel) }
                        td { (r.cost_micros) }
                        td { (r.duration_ms) }
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
        }
    };
    Ok(page_with_refresh(&heading, moving || effects_moving, body).into_response())
}

/// The CRM-lite deals this job's CRM updates and tasks name, as they stand
/// now (what approved changes wrote), with their tasks.
async fn deals_changed(
    app: &App,
    org: &crate::web::store::OrgId,
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

/// A deal's fields as the inbox shows them: (field, label, value).
pub(super) fn deal_fields(deal: &Deal) -> [(&'static str, &'static str, Option<String>); 8] {
    let names = |n: &[String]| Some(n.join(", ")).filter(|s| !s.is_empty());
    [
        ("stage", "Stage", Some(deal.stage.clone())),
        (
            "amount",
            "Amount",
            deal.amount_cents.map(|c| money(c, &deal.currency)),
        ),
        ("close_date", "Close date", deal.close_date.clone()),
        ("next_step", "Next step", deal.next_step.clone()),
        ("competitors", "Competitors", names(&deal.competitors.0)),
        ("stakeholders", "Stakeholders", names(&deal.stakeholders.0)),
        ("timeline", "Timeline", deal.timeline.clone()),
        ("budget_signal", "Budget", deal.budget_signal.clone()),
    ]
}

/// A deal's CRM-lite fields and open tasks.
fn deal_table(deal: &Deal, tasks: &[Task]) -> maud::Markup {
    let rows = deal_fields(deal);
    html! {
        table.deal {
            @for (_, label, value) in &rows {
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

/// Where Undo returns: the inbox page it was pressed on, else the job.
fn back_to(fields: &[(String, String)]) -> Option<&str> {
    fields
        .iter()
        .find(|(n, _)| n == "back")
        .map(|(_, v)| v.as_str())
        .filter(|b| b.starts_with("/inbox/") && !b.contains("//") && !b.contains('\\'))
}

#[utoipa::path(post, path = "/inbox/effects/{id}/cancel", operation_id = "inboxUndo",
    summary = "Undo an effect inside its undo window", security(("session" = []), ()),
    request_body(content = crate::web::openapi::UndoForm, content_type = "application/x-www-form-urlencoded"),
    responses(crate::web::openapi::Conflict, crate::web::openapi::Db, crate::web::openapi::TooLarge,
        crate::web::openapi::Unsupported,
        (status = 303, description = "Cancelled: back to the page it was pressed on, or the job",
            headers(("Location" = String, description = "Where to go next"))),
        (status = 401, description = "Not signed in: the sign-in page", body = String, content_type = "text/html"), (status = 404, description = "No such effect", body = String, content_type = "text/html")))]
pub(super) async fn cancel_effect(
    State(app): State<Arc<App>>,
    jar: CookieJar,
    Path(id): Path<EffectId>,
    FormBody(fields): FormBody<Vec<(String, String)>>,
) -> Result<Response, Problem> {
    let Some(me) = session(&app, &jar).await? else {
        return Ok(login_page(
            StatusCode::UNAUTHORIZED,
            Some("Sign in to undo."),
        ));
    };
    let effect = match app.store().effect(&me.org.id, &id).await? {
        Some(e) if me.reaches(&app, &e.user_id).await? => Some(e),
        _ => None,
    };
    let Some(effect) = effect else {
        return Ok((
            StatusCode::NOT_FOUND,
            page("Not found", html! { h1 { "No such effect" } }),
        )
            .into_response());
    };
    app.store().cancel_effect(&me.org.id, &id).await?;
    let job = format!("/inbox/jobs/{}", effect.job_id);
    Ok(Redirect::to(back_to(&fields).unwrap_or(&job)).into_response())
}

/// What a job page calls an erased attachment of `kind`.
fn erased_heading(kind: Option<&str>) -> &'static str {
    match kind {
        Some(crate::transcripts::KIND) => "The call's transcript was erased",
        _ => "Part of what this job read was erased",
    }
}
