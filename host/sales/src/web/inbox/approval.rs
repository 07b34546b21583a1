//! One approval gate in the inbox, each in its natural form: an email as
//! the email that goes out (edited inline, with a preview), a CRM update as
//! field / before / after, a batch as a checklist, a choice of times in
//! both zones, a proposal as its document. Its forms (`approval/forms.rs`)
//! post back here and become a [`Decision`] for the orchestrator; after a
//! decision the rep lands back on the gate, which shows what goes out: the
//! undo window counting down with an Undo button, then when it was sent.
//! Every query is scoped to the session's org; it never decides without a
//! session. No kind name, step name or id in the visible text (those stay
//! in the collapsed operator details).

mod choice;
mod crm;
mod email;
mod forms;
mod posted;
mod redraft;
mod send_later;

use super::job::{decision_words, effect_state, gate_heading, job_heading, ticking, who};
use super::{login_page, page, page_with_refresh, proposal_gate, session};
use crate::suggested::SuggestedKind;
use crate::suggested::suggested;
use crate::web::App;
use crate::web::auth::InboxUser;
use crate::web::problem::{FormBody, Problem};
use crate::web::store::{
    ActionKind, Effect, EffectStatus, GateFeedback, GateId, GateStatus, Job, JobStatus, Pattern,
    PendingAction, User, kind_of,
};
use crate::words;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use baton_engine::orchestrator::Decider;
use baton_engine::runtime::Decision;
use baton_service::inbox::RepClock;
use baton_types::evidence::Evidence;
use maud::{Markup, html};
use serde_json::Value;
use std::sync::Arc;

/// The gate pages' own styles (appended to the inbox's).
pub(super) const STYLE: &str = ".email{border:1px solid #ddd;border-radius:6px;padding:.6rem 1rem;margin:1rem 0;background:#fff}\
.email dl.headers{display:grid;grid-template-columns:max-content 1fr;gap:.2rem .8rem;margin:0 0 .6rem}\
.email dt{color:#666}.email dd{margin:0}\
.email pre.body{font-family:Georgia,'Iowan Old Style',serif;font-size:1.05rem;line-height:1.5;background:none;padding:0;white-space:pre-wrap}\
.decide{margin:1rem 0}.decide details{display:inline-block;vertical-align:top;margin:.2rem .4rem .2rem 0}\
.decide details[open]{display:block;border:1px solid #eee;padding:.4rem}\
summary.button{display:inline-flex;align-items:center;min-height:44px;margin:.25rem .4rem .25rem 0;padding:.5rem 1rem;border:1px solid #8a8a8e;border-radius:8px;background:#f5f5f7;color:#1d1d1f;cursor:pointer;list-style:none;font-weight:400}\
summary.button::before{display:none}summary.button:hover{background:#e8e8ed}\
summary.button::-webkit-details-marker{display:none}\
ul.checklist{list-style:none;padding:0}ul.checklist li{padding:.3rem 0}\
table.crm-change td.before{color:#666;text-decoration:line-through}\
blockquote.evidence{border-left:3px solid #ccc;margin:.6rem 0;padding:.2rem .8rem;color:#444}\
.effect{margin:.4rem 0}.countdown{font-variant-numeric:tabular-nums;font-weight:bold}";

/// The first action's kind (if it names one) and payload, if the gate
/// holds one.
fn draft(g: &PendingAction) -> Option<(Option<ActionKind>, &Value)> {
    let a = g.body["actions"].as_array()?.first()?;
    Some((kind_of(a), &a["payload"]))
}

fn actions(g: &PendingAction) -> &[Value] {
    g.body["actions"].as_array().map_or(&[], Vec::as_slice)
}

/// What a gate's page shows beyond the gate, read before drawing.
struct Seen {
    clock: RepClock,
    job: Option<Job>,
    rep: Option<User>,
    signature: Option<String>,
    /// Per action, what a CRM update changes.
    crm: Vec<Option<crm::Change>>,
    /// The job's effects made since the decision (newest first).
    effects: Vec<Effect>,
    suggested: SuggestedKind,
    feedback: Option<GateFeedback>,
    /// Why the gate waits: the meeting or thread, the CRM records, the words.
    why: Option<super::trigger::Trigger>,
    /// When to send later, suggested from the prospect's zone.
    later: Option<send_later::Suggestion>,
}

async fn seen(app: &App, g: &PendingAction) -> Result<Seen, Problem> {
    let store = app.store();
    let mut crm = Vec::new();
    for a in actions(g) {
        crm.push(match kind_of(a) {
            Some(ActionKind::CrmUpdate) => Some(crm::read(store, &g.org_id, &a["payload"]).await?),
            _ => None,
        });
    }
    let effects = match g.decided_at {
        Some(at) => store
            .effects(&g.org_id, Some(&g.job_id), 100)
            .await?
            .into_iter()
            .filter(|e| e.created_at >= at)
            .collect(),
        None => Vec::new(),
    };
    let job = store.job(&g.org_id, &g.job_id).await?;
    let later = match g.status {
        GateStatus::Open => {
            send_later::suggestion(&g.body, job.as_ref().map(|j| &j.payload), app.now())
        }
        _ => None,
    };
    Ok(Seen {
        clock: RepClock::of(app, &g.org_id, &g.user_id).await?,
        job,
        later,
        rep: store.user(&g.org_id, &g.user_id).await?,
        signature: store
            .preferences(&g.org_id, &g.user_id)
            .await?
            .email_signature,
        crm,
        effects,
        suggested: suggested(store, &g.org_id, &g.job_id).await?.kind(),
        feedback: store.gate_feedback(&g.org_id, &g.id).await?,
        why: super::trigger::of_gate(app, g).await?,
    })
}

/// How the page is drawn beyond the gate: an error to show, an edited
/// draft being previewed, the batch ticked all or none.
#[derive(Default)]
struct Shown<'a> {
    error: Option<&'a str>,
    draft: Option<Value>,
    ticked: Option<bool>,
    /// Where this gate stands among those waiting for the person.
    around: Option<Around>,
}

/// The open gates before and after one, in the front page's order.
struct Around {
    previous: Option<GateId>,
    next: Option<GateId>,
    /// From 1.
    position: usize,
    of: usize,
}

impl Around {
    /// Where `id` stands among the open gates `me` reaches (`None` when
    /// it is not one of them: decided, or past the first 200).
    async fn of(app: &App, me: &InboxUser, id: &GateId) -> Result<Option<Around>, Problem> {
        let (org, reach) = (&me.org.id, &me.reach);
        let gates = app
            .store()
            .pending_actions(org, reach, Some(GateStatus::Open), 200)
            .await?;
        let mut clocks = super::trigger::Clocks::new(app, org, me.user.as_ref());
        let ids: Vec<_> = gates.iter().map(|g| g.job_id.clone()).collect();
        let whys = super::trigger::load(app, org, &mut clocks, &ids).await?;
        let order = super::list::order(&super::list::groups(&gates, &whys));
        let Some(i) = order.iter().position(|g| g == id) else {
            return Ok(None);
        };
        Ok(Some(Around {
            previous: i.checked_sub(1).map(|p| order[p].clone()),
            next: order.get(i + 1).cloned(),
            position: i + 1,
            of: order.len(),
        }))
    }

    fn markup(&self) -> Markup {
        html! {
            nav #pager aria-label="Approvals waiting" {
                @if let Some(p) = &self.previous { a rel="prev" href={ "/inbox/approvals/" (p) } { "← Previous" } " · " }
                span.muted { (self.position) " of " (self.of) " waiting" }
                @if let Some(n) = &self.next { " · " a rel="next" href={ "/inbox/approvals/" (n) } { "Next →" } }
            }
        }
    }
}

/// Each proposed action in its natural form, `draft` in place of the
/// first one's payload (an edit previewed, or the edit approved).
fn preview(g: &PendingAction, seen: &Seen, draft: Option<&Value>) -> Markup {
    let clock = &seen.clock;
    html! {
        @if g.pattern != Pattern::Batch {
            @for (i, a) in actions(g).iter().enumerate() {
                @let p = if i == 0 { draft.unwrap_or(&a["payload"]) } else { &a["payload"] };
                @let kind = kind_of(a);
                section.action {
                    @if actions(g).len() > 1 {
                        h2 { (words::action_title(kind, a["preview"].as_str().unwrap_or(""), p)) }
                    }
                    @match kind {
                        Some(ActionKind::ProposalSend) => { (proposal_gate::preview(p)) }
                        Some(ActionKind::EmailSend) => { (email::view(p, seen.rep.as_ref(), seen.signature.as_deref())) }
                        Some(ActionKind::CrmUpdate) => {
                            @if let Some(Some(c)) = seen.crm.get(i) { (crm::view(c)) }
                        }
                        Some(ActionKind::CalendarInvite) => {
                            p.invite { strong { (p["title"].as_str().unwrap_or("Meeting")) }
                                @if let Some(ms) = p["start"].as_str().and_then(|s| s.parse::<jiff::Timestamp>().ok()).map(|t| t.as_millisecond()) {
                                    " · " (clock.at(ms)) " " (clock.zone_name(ms))
                                } }
                        }
                        _ => {
                            @if actions(g).len() == 1 {
                                p { (words::action_title(kind, a["preview"].as_str().unwrap_or(""), p)) }
                            }
                        }
                    }
                    // The words each of several actions rests on (a CRM
                    // change shows its own; one action's are the trigger's).
                    @if actions(g).len() > 1 && kind != Some(ActionKind::CrmUpdate) {
                        @if let Some(e) = Evidence::of(p) { (super::trigger_view::evidence_markup(&e)) }
                    }
                }
            }
        }
        details.operator {
            summary { "Operator details" }
            p { "Step " (g.step_name) " of job " (g.job_id) " · " (g.pattern) " · gate " (g.id) }
            pre { (serde_json::to_string_pretty(&g.body).unwrap_or_default()) }
        }
    }
}

/// What was decided, by whom and when; then what goes out because of it.
fn decided(g: &PendingAction, seen: &Seen) -> Markup {
    let clock = &seen.clock;
    let decision = g
        .decision
        .clone()
        .and_then(|d| serde_json::from_value::<Decision>(d).ok());
    let what = match (&g.status, decision) {
        (GateStatus::Expired, _) => "Expired".to_owned(),
        (GateStatus::Cancelled, _) => "Cancelled".to_owned(),
        (GateStatus::Superseded, _) => format!(
            "Withdrawn: {}",
            g.decision_note
                .as_deref()
                .unwrap_or("what it was based on moved on")
        ),
        (_, Some(d)) => decision_words(g, &d),
        (_, None) => "Decided".to_owned(),
    };
    let back = format!("/inbox/approvals/{}", g.id);
    let moving = seen
        .job
        .as_ref()
        .is_some_and(|j| matches!(j.status, JobStatus::Pending | JobStatus::Running));
    html! {
        p #decided {
            strong { (what) }
            @if let Some(by) = &g.decided_by { " by " (who(by)) }
            @if let Some(at) = g.decided_at { " · " (clock.at(at)) }
        }
        @if redraft::redraftable(g) {
            form #redraft method="post" action=(back) {
                button type="submit" name="redraft" value="1" { "Redraft" }
                " a reply to the newest message"
            }
        }
        @if !seen.effects.is_empty() || moving {
            section #outgoing {
                h2 { "Going out" }
                @for e in &seen.effects { (effect_state(e, clock, &back)) }
                @if seen.effects.is_empty() { p.muted { "On its way…" } }
                (ticking())
            }
        }
    }
}

/// The gate's status in words (the element `#status`).
fn status_words(s: GateStatus) -> &'static str {
    match s {
        GateStatus::Open => "Waiting for you",
        GateStatus::Decided => "Decided",
        GateStatus::Expired => "Expired",
        GateStatus::Cancelled => "Cancelled",
        GateStatus::Superseded => "Withdrawn: out of date",
    }
}

fn render(g: &PendingAction, seen: &Seen, status: StatusCode, shown: &Shown<'_>) -> Response {
    let clock = &seen.clock;
    // The title knowing who and what the job is about when the trigger is
    // known ("Follow-up email to Marta Ruiz (Northwind)").
    let title = match &seen.why {
        Some(t) => t.words(g).title,
        None => gate_heading(g),
    };
    // A decided edit shows as it went out.
    let approved_edit = g
        .decision
        .clone()
        .and_then(|d| serde_json::from_value::<Decision>(d).ok())
        .and_then(|d| match d {
            Decision::Edited(v) => Some(v),
            _ => None,
        });
    let heading = seen.job.as_ref().map(job_heading);
    let body = html! {
        @if let Some(a) = &shown.around { (a.markup()) }
        h1 #title { (title) }
        p.context {
            "Part of: " a #part-of href={ "/inbox/jobs/" (g.job_id) } { (heading.as_deref().unwrap_or("this follow-up")) }
            " · " span #status data-status=(g.status.as_str()) { (status_words(g.status)) }
            @if g.status == GateStatus::Open {
                " · " span #expires {
                    @if g.expires_at > clock.now() { "expires " (clock.relative(g.expires_at)) " (" (clock.at(g.expires_at)) ")" }
                    @else { "past its expiry (" (clock.at(g.expires_at)) ")" }
                }
            }
        }
        @if let Some(t) = &seen.why { (super::trigger_view::panel(t)) }
        @if let Some(e) = shown.error { p.error #error role="alert" { (e) } }
        @if shown.draft.is_some() { p.note #previewing { "Preview of your edit — not sent yet. Approve it below." } }
        (preview(g, seen, shown.draft.as_ref().or(approved_edit.as_ref())))
        @if g.status == GateStatus::Open {
            (forms::decision(g, seen.suggested, clock, seen.later.as_ref(), shown))
        } @else {
            (decided(g, seen))
        }
        @if let Some(f) = &seen.feedback {
            p #feedback {
                "Marked not right: " (f.reason.describe())
                @if let Some(labels) = &f.labels {
                    " · should have been: " @if labels.is_empty() { "none" } @else { (labels.join(", ")) }
                }
                @if let Some(n) = &f.note { " · " (n) }
            }
        }
    };
    let going = seen
        .effects
        .iter()
        .any(|e| matches!(e.status, EffectStatus::Pending | EffectStatus::Delivering));
    let moving = g.status == GateStatus::Decided
        && seen
            .job
            .as_ref()
            .is_some_and(|j| matches!(j.status, JobStatus::Pending | JobStatus::Running));
    (status, page_with_refresh(&title, going || moving, body)).into_response()
}

async fn approval_page(
    app: &App,
    g: &PendingAction,
    status: StatusCode,
    shown: &Shown<'_>,
) -> Result<Response, Problem> {
    let seen = seen(app, g).await?;
    Ok(render(g, &seen, status, shown))
}

fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        page("Not found", html! { h1 { "No such approval" } }),
    )
        .into_response()
}

/// Gate `id`, if it is this person's (or their team's) to see.
async fn visible_gate(
    app: &App,
    me: &InboxUser,
    id: &GateId,
) -> Result<Option<PendingAction>, Problem> {
    match app.store().pending_action(&me.org.id, id).await? {
        Some(g) if me.reaches(app, &g.user_id).await? => Ok(Some(g)),
        _ => Ok(None),
    }
}

#[utoipa::path(get, path = "/inbox/approvals/{id}", operation_id = "inboxApproval",
    summary = "An approval's page: preview and decision forms", security(("session" = []), ()),
    responses(crate::web::openapi::Db, (status = 200, description = "The approval", body = String, content_type = "text/html"), (status = 401, description = "Not signed in: the sign-in page", body = String, content_type = "text/html"),
        (status = 404, description = "No such approval", body = String, content_type = "text/html")))]
pub(super) async fn approval(
    State(app): State<Arc<App>>,
    jar: CookieJar,
    Path(id): Path<GateId>,
) -> Result<Response, Problem> {
    let Some(me) = session(&app, &jar).await? else {
        return Ok(login_page(
            StatusCode::UNAUTHORIZED,
            Some("Sign in to see this approval."),
        ));
    };
    let Some(g) = visible_gate(&app, &me, &id).await? else {
        return Ok(not_found());
    };
    let shown = Shown {
        around: Around::of(&app, &me, &id).await?,
        ..Shown::default()
    };
    approval_page(&app, &g, StatusCode::OK, &shown).await
}

#[utoipa::path(post, path = "/inbox/approvals/{id}", operation_id = "inboxDecide",
    summary = "Decide an approval from its page", security(("session" = []), ()),
    request_body(content = crate::web::openapi::DecideForm, content_type = "application/x-www-form-urlencoded"),
    responses(crate::web::openapi::TooLarge, crate::web::openapi::Unsupported,
        (status = 200, description = "Nothing decided: the page redrawn with a previewed edit (`preview`) or the checklist ticked all or none (`select`)", body = String, content_type = "text/html"),
        (status = 303, description = "Decided: back to the gate, showing what goes out and its undo window",
            headers(("Location" = String, description = "Where to go next"))),
        (status = 401, description = "Not signed in: the sign-in page", body = String, content_type = "text/html"),
        (status = 404, description = "No such approval", body = String, content_type = "text/html"),
        (status = 409, description = "Already decided or expired, or over the daily send cap: the page, saying so", body = String, content_type = "text/html"),
        (status = 422, description = "Not a decision this gate takes: the page, saying why", body = String, content_type = "text/html"),
        (status = 503, description = "The database is busy or unreachable; retry",
            content((String = "text/html"), (crate::web::openapi::Problem = "application/problem+json")))))]
pub(super) async fn decide(
    State(app): State<Arc<App>>,
    jar: CookieJar,
    Path(id): Path<GateId>,
    FormBody(fields): FormBody<Vec<(String, String)>>,
) -> Result<Response, Problem> {
    let Some(me) = session(&app, &jar).await? else {
        return Ok(login_page(
            StatusCode::UNAUTHORIZED,
            Some("Sign in to decide."),
        ));
    };
    let Some(g) = visible_gate(&app, &me, &id).await? else {
        return Ok(not_found());
    };
    let get = |k: &str| fields.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    // "Redraft" on a reply a newer message withdrew: the reply to that one.
    if get("redraft").is_some() {
        return match redraft::redraft(&app, &me, &g).await? {
            redraft::Redraft::Go(to) => Ok(Redirect::to(&to).into_response()),
            redraft::Redraft::Refused(m) => {
                let shown = Shown {
                    error: Some(m.as_str()),
                    ..Shown::default()
                };
                approval_page(&app, &g, StatusCode::CONFLICT, &shown).await
            }
        };
    }
    // "Select all" / "Select none": the checklist again, ticked so.
    if let Some(which) = get("select") {
        let shown = Shown {
            ticked: Some(which == "all"),
            ..Shown::default()
        };
        return approval_page(&app, &g, StatusCode::OK, &shown).await;
    }
    let not_right = get("decision") == Some("not_right");
    let read = if not_right {
        posted::feedback(&fields).map(|f| (Decision::Skipped, Some(f)))
    } else {
        posted::decision(&g, &fields).map(|d| (d, None))
    };
    let (decision, feedback) = match read {
        Ok(d) => d,
        Err(m) => {
            let shown = Shown {
                error: Some(m.as_str()),
                ..Shown::default()
            };
            return approval_page(&app, &g, StatusCode::UNPROCESSABLE_ENTITY, &shown).await;
        }
    };
    // "Preview": the page again with the edited draft, the form still
    // filled; nothing is decided.
    if get("preview").is_some()
        && let Decision::Edited(draft) = &decision
    {
        let shown = Shown {
            draft: Some(draft.clone()),
            ..Shown::default()
        };
        return approval_page(&app, &g, StatusCode::OK, &shown).await;
    }
    // "Send at…" (or "Approve edited and send then"): the time, read in
    // the gate's rep's zone; without `later` a typed time is not read.
    let later = get(send_later::LATER).is_some();
    let send_at = match get(send_later::FIELD)
        .map(str::trim)
        .filter(|v| !v.is_empty())
    {
        _ if !later => None,
        None => {
            let shown = Shown {
                error: Some("Choose when to send it, or approve to send now."),
                ..Shown::default()
            };
            return approval_page(&app, &g, StatusCode::UNPROCESSABLE_ENTITY, &shown).await;
        }
        Some(v) => {
            let clock = RepClock::of(&app, &g.org_id, &g.user_id).await?;
            match send_later::read(v, clock.zone()) {
                Ok(ms) => Some(ms),
                Err(m) => {
                    let shown = Shown {
                        error: Some(m.as_str()),
                        ..Shown::default()
                    };
                    return approval_page(&app, &g, StatusCode::UNPROCESSABLE_ENTITY, &shown).await;
                }
            }
        }
    };
    let who = Decider {
        send_at,
        ..me.decider()
    };
    let decided = match &feedback {
        Some(f) => app.orch.mark_not_right(&me.org.id, &id, f, &who).await,
        None => app.orch.decide(&me.org.id, &id, decision, &who).await,
    };
    match decided {
        // The rep lands on the gate, which shows what goes out and the
        // undo window.
        Ok(g) => Ok(Redirect::to(&format!("/inbox/approvals/{}", g.id)).into_response()),
        Err(e) => {
            let status = Problem::from(e);
            let shown = Shown {
                error: Some(status.detail.as_str()),
                ..Shown::default()
            };
            approval_page(&app, &g, status.status, &shown).await
        }
    }
}
