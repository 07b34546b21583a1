//! `/inbox/deals/{id}`: a deal's engagement for the rep who owns it (or
//! their manager): the stages with the current one marked, the status and
//! the next decision, the tracks with their blockers, what is known and
//! from where, the artifacts' versions, the tasks and the event log.
//! A conflict between two sources has a button for each side
//! (`POST /inbox/deals/{id}/decide`); an approval waiting for a decision
//! has approve, approve-the-ticked-part and reject buttons with the
//! evidence (`POST /inbox/deals/{id}/approvals/{n}`). Another rep's deal is
//! "not found".

use super::page;
use crate::engagement::{Approval, ApprovalClass, ApprovalState, Decision, Side};
use crate::lifecycle;
use crate::lifecycle::approvals::{self, ApprovalError};
use crate::lifecycle::facts;
use crate::lifecycle::proposals::By;
use crate::lifecycle::view::{DealState, VersionStatus, deal_state};
use crate::store::{Activity, CrmTables, EngagementTables};
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
        return Ok(not_found("No such deal"));
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
    let activities = app.store().deal_activities(org, &d.deal.id, 50).await?;
    let of = |kinds: &[&str]| -> Vec<&Activity> {
        activities
            .iter()
            .filter(|a| kinds.contains(&a.kind.as_str()))
            .take(10)
            .collect()
    };
    let (mail, rivals) = (of(&EMAIL_ACTIVITY), of(&[crate::rows::RESEARCH_ACTIVITY]));
    let markup = html! {
        (body(&d, &stages, &clock))
        @if !mail.is_empty() {
            section #email-activity aria-label="Email activity" {
                h2 { "Email activity" }
                ul {
                    @for a in &mail {
                        li data-kind=(a.kind) { (a.summary) " · " span.muted { (clock.at(a.occurred_at)) } }
                    }
                }
            }
        }
        @if !rivals.is_empty() {
            section #competitive-research aria-label="Competitive research" {
                h2 { "Competitive research" }
                ul {
                    @for a in &rivals {
                        li { (a.summary) " · " span.muted { (clock.at(a.occurred_at)) } }
                    }
                }
            }
        }
    };
    Ok(page(&d.deal.name, markup).into_response())
}

/// The activities the deal's page lists under "Email activity": sends,
/// and opens and clicks where the org tracks them.
const EMAIL_ACTIVITY: [&str; 3] = ["email_sent", "email_opened", "link_clicked"];

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
    let me = match deciding(&app, &jar, &id, "Sign in to decide.").await? {
        Ok(me) => me,
        Err(page) => return Ok(page),
    };
    let org = &me.org.id;
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
    lifecycle::follow(
        &app.orch,
        app.store(),
        &sales.workflow,
        (org, &id),
        &app.settings.base_url(),
    )
    .await;
    Ok(Redirect::to(&format!("/inbox/deals/{id}")).into_response())
}

/// The approval form's fields (`permit` repeats, one per ticked part of
/// the scope). It documents the form; the handler reads the pairs, since a
/// repeated field does not fit a struct.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[allow(dead_code)]
pub(crate) struct ApprovalForm {
    /// The class decided under (the approval's).
    class: String,
    /// `approved`, `partial` or `rejected`.
    state: String,
    /// What the decision rests on.
    evidence: String,
    /// A part of the scope a partial approval permits (repeated).
    permit: Option<String>,
}

#[utoipa::path(post, path = "/inbox/deals/{id}/approvals/{n}", operation_id = "inboxDecideApproval",
    summary = "Decide one of a deal's approvals from its page: in full, the ticked part, or not", security(("session" = []), ()),
    params(("id" = String, Path, description = "The deal's id", min_length = 1),
        ("n" = String, Path, description = "The approval's number on the deal (1, 2, …)", min_length = 1)),
    request_body(content = ApprovalForm, content_type = "application/x-www-form-urlencoded"),
    responses(crate::web::openapi::Db, crate::web::openapi::Body, crate::web::openapi::Conflict,
        (status = 303, description = "Decided: back to the deal's page",
            headers(("Location" = String, description = "The deal's page"))),
        (status = 401, description = "Not signed in: the sign-in page", body = String, content_type = "text/html"),
        (status = 404, description = "No such deal, or another rep's", body = String, content_type = "text/html")))]
pub(super) async fn decide_approval(
    State(app): State<Arc<App>>,
    Extension(sales): Extension<Arc<Sales>>,
    jar: CookieJar,
    Path((id, n)): Path<(String, String)>,
    FormBody(pairs): FormBody<Vec<(String, String)>>,
) -> Result<Response, Problem> {
    let me = match deciding(&app, &jar, &id, "Sign in to decide.").await? {
        Ok(me) => me,
        Err(page) => return Ok(page),
    };
    let org = &me.org.id;
    let field = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .ok_or_else(|| Problem::unprocessable(format!("the form has no `{name}`")))
    };
    let class = ApprovalClass::parse(field("class")?)
        .map_err(|_| Problem::unprocessable("`class` is not an approval class"))?;
    let state = ApprovalState::parse(field("state")?)
        .ok()
        .filter(|s| crate::web::api::DECISIONS.contains(s))
        .ok_or_else(|| {
            Problem::unprocessable("`state` is not a decision: approved, partial or rejected")
        })?;
    let d = Decision {
        id: crate::web::api::approval_number(&n)?,
        class,
        state,
        permits: pairs
            .iter()
            .filter(|(k, _)| k == "permit")
            .map(|(_, v)| v.clone())
            .collect(),
        conditions: Vec::new(),
        evidence: field("evidence")?.to_owned(),
    };
    approvals::decide(
        app.store(),
        &sales.workflow,
        org,
        &id,
        d,
        By::Caller(&me.credential),
        app.now(),
    )
    .await
    .map_err(|e| match e {
        ApprovalError::Store(e) => Problem::from(e),
        other => Problem::unprocessable(other.to_string()),
    })?;
    lifecycle::follow(
        &app.orch,
        app.store(),
        &sales.workflow,
        (org, &id),
        &app.settings.base_url(),
    )
    .await;
    Ok(Redirect::to(&format!("/inbox/deals/{id}")).into_response())
}

/// The signed-in user who may see deal `id`, or the page to answer with
/// instead: the sign-in page (saying `why`), or "not found" for a deal
/// that is not there or is another rep's.
pub(super) async fn deciding(
    app: &App,
    jar: &CookieJar,
    id: &str,
    why: &str,
) -> Result<Result<InboxUser, Response>, Problem> {
    let Some(me) = session(app, jar).await? else {
        return Ok(Err(login_page(StatusCode::UNAUTHORIZED, Some(why))));
    };
    let deal = app.store().deal(&me.org.id, id).await?;
    if !sees(app, &me, deal.as_ref().map(|d| &d.owner_user_id)).await? {
        return Ok(Err(not_found("No such deal")));
    }
    Ok(Ok(me))
}

/// The "not found" page, saying `what`.
pub(super) fn not_found(what: &str) -> Response {
    (
        StatusCode::NOT_FOUND,
        page("Not found", html! { h1 { (what) } }),
    )
        .into_response()
}

/// Whether `me` may see a deal owned by `owner` (`None`: no such deal): a
/// deal is its owner's and their manager's; one with no owner only the
/// whole org's.
pub(super) async fn sees(
    app: &App,
    me: &InboxUser,
    owner: Option<&Option<UserId>>,
) -> Result<bool, Problem> {
    Ok(match owner {
        Some(Some(owner)) => me.reaches(app, owner).await?,
        Some(None) => matches!(me.reach, Reach::Org),
        None => false,
    })
}

/// One live approval: its class, subject and state, what it permits and
/// what holds it; a form to decide it while it waits and nothing holds it.
fn approval(deal: &str, a: &Approval, clock: &RepClock) -> Markup {
    let form_id = format!("approval-{}", a.id);
    html! {
        section.approval #(form_id) aria-label={ "Approval " (a.id) } {
            p {
                strong { (words(a.class.as_str())) " approval" } " for " (words(&a.subject)) " — "
                span class=(if a.state == ApprovalState::Blocked { "blocked" } else { "" }) { (a.state) }
                @if let (Some(by), Some(at)) = (&a.decided_by, a.decided_at) {
                    span.muted { " by " (by) ", " (clock.at(at)) }
                }
            }
            @if !a.permits.is_empty() { p { "Permits: " (a.permits.join(", ")) } }
            @if let Some(e) = &a.evidence { p.muted { "Evidence: " (e) } }
            @if !a.blockers.is_empty() {
                p.blocked { "Cannot be given until filled: " (a.blockers.join("; ")) }
            }
            @if a.is_open() && a.blockers.is_empty() {
                form method="post" action={ "/inbox/deals/" (deal) "/approvals/" (a.id) } {
                    input type="hidden" name="class" value=(a.class.as_str());
                    @if a.scope.len() > 1 {
                        fieldset {
                            legend { "Permit, when approving only part" }
                            @for (i, s) in a.scope.iter().enumerate() {
                                @let id = format!("{form_id}-permit-{i}");
                                input type="checkbox" name="permit" value=(s) id=(id);
                                label for=(id) { (words(s)) } " "
                            }
                        }
                    }
                    @let evidence = format!("{form_id}-evidence");
                    label for=(evidence) { "Evidence" }
                    " " input type="text" name="evidence" id=(evidence) required maxlength="500";
                    " " button type="submit" name="state" value="approved" { "Approve all" }
                    @if a.scope.len() > 1 {
                        " " button type="submit" name="state" value="partial" { "Approve only the ticked" }
                    }
                    " " button type="submit" name="state" value="rejected" { "Reject" }
                }
            }
        }
    }
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
        @let live: Vec<&Approval> = s.approvals.iter().filter(|a| a.is_live()).collect();
        @if !live.is_empty() {
            h2 { "Approvals" }
            @for a in live { (approval(&d.deal.id, a, clock)) }
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
                        VersionStatus::Forked => "forked",
                        VersionStatus::Draft => "draft",
                    })
                    " (" (a.detail) ")"
                    @if let Some(v) = a.supersedes { span.muted { " · replaces v" (v) } }
                    @if a.artifact != "proposal" {
                        " · " a href={ "/inbox/deals/" (d.deal.id) "/documents/" (a.id) } { "read" }
                        " · " a href={ "/inbox/deals/" (d.deal.id) "/documents/" (a.id) "/pdf" } { "PDF" }
                    }
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
