//! `/v1/…`: events in, jobs and approvals out, skills, CRM import,
//! preferences and feature settings; operator routes under `/v1/admin`.
//! Every org route takes the caller's org from its token.

use super::App;
use super::auth::{Admin, OrgCaller};
use super::problem::{JsonBody, Problem, QueryArgs};
use crate::address::{MAX_ADDRESS, address_key, is_address};
use crate::orchestrator::import::{ImportDoc, ImportError, import};
use crate::orchestrator::{Decider, Event, Reason, Submitted, views};
use crate::runtime::Decision;
use crate::store::{JobStatus, Login, Preferences};
use axum::Json;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use serde::Deserialize;
use serde_json::{Value, json};
use std::sync::Arc;

/// Longest list a caller can ask for.
const MAX_LIMIT: i64 = 1000;

/// The `/v1` routes.
pub fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/v1/events", post(post_event))
        .route("/v1/jobs", get(list_jobs))
        .route("/v1/jobs/{id}", get(get_job))
        .route("/v1/approvals", get(list_approvals))
        .route("/v1/approvals/{id}", get(get_approval))
        .route("/v1/approvals/{id}/decision", post(decide))
        .route("/v1/skills", get(skills))
        .route("/v1/crm/import", post(crm_import))
        .route("/v1/users", get(users))
        .route(
            "/v1/users/{handle}/preferences",
            get(get_preferences).put(put_preferences),
        )
        .route(
            "/v1/do-not-contact",
            get(do_not_contact_list).post(flag_do_not_contact),
        )
        .route("/v1/features", get(features))
        .route("/v1/features/{event_type}", put(put_feature))
        .route("/v1/admin/orgs", get(admin_orgs))
        .route("/v1/admin/import", post(admin_import))
        .route("/v1/admin/orgs/{slug}/tokens", post(admin_token))
        .route("/v1/admin/orgs/{slug}/magic-links", post(admin_magic_link))
}

/// An event as posted.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct EventIn {
    #[serde(rename = "type")]
    event_type: String,
    /// The user's handle.
    user: String,
    payload: Value,
    idempotency_key: Option<String>,
    /// Where it came from, e.g. `crm`; recorded as `api:<source>`.
    source: Option<String>,
}

async fn post_event(
    State(app): State<Arc<App>>,
    OrgCaller { org, .. }: OrgCaller,
    headers: HeaderMap,
    JsonBody(e): JsonBody<EventIn>,
) -> Result<Response, Problem> {
    let header_key = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let event = Event {
        event_type: e.event_type,
        org: org.slug,
        user: e.user,
        payload: e.payload,
        source: format!("api:{}", e.source.as_deref().unwrap_or("client")),
        idempotency_key: e.idempotency_key.or(header_key),
    };
    Ok(submitted(app.orch.submit(&event).await?))
}

/// How an event's outcome is answered, for the API and every webhook: a
/// new job is 202; a redelivery is 200 naming the job already handling it;
/// a refusal is a problem with its reason code.
pub fn submitted(outcome: Submitted) -> Response {
    match outcome {
        Submitted::Accepted {
            job_id,
            scheduled_at,
            deferred,
        } => (
            StatusCode::ACCEPTED,
            Json(json!({
                "outcome": "accepted", "job_id": job_id,
                "scheduled_at": scheduled_at, "deferred": deferred,
            })),
        )
            .into_response(),
        Submitted::Refused {
            reason: Reason::Duplicate,
            job_id,
            ..
        } => (
            StatusCode::OK,
            Json(json!({ "outcome": "duplicate", "job_id": job_id })),
        )
            .into_response(),
        Submitted::Refused {
            reason,
            detail,
            job_id,
        } => {
            let status = match reason {
                Reason::UnknownOrg | Reason::UnknownUser => StatusCode::NOT_FOUND,
                Reason::UnknownType | Reason::InvalidPayload => StatusCode::UNPROCESSABLE_ENTITY,
                Reason::Budget => StatusCode::PAYMENT_REQUIRED,
                Reason::Disabled | Reason::SequenceUnavailable | Reason::Duplicate => {
                    StatusCode::CONFLICT
                }
            };
            Problem::new(status, detail)
                .with(json!({ "reason": reason.code(), "job_id": job_id }))
                .into_response()
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ListQuery {
    status: Option<String>,
    limit: Option<i64>,
}

fn limit(q: &ListQuery) -> Result<i64, Problem> {
    match q.limit {
        None => Ok(100),
        Some(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
        Some(n) => Err(Problem::bad_request(format!(
            "limit {n} is out of range: 1 to {MAX_LIMIT}"
        ))),
    }
}

async fn list_jobs(
    State(app): State<Arc<App>>,
    OrgCaller { org, .. }: OrgCaller,
    QueryArgs(q): QueryArgs<ListQuery>,
) -> Result<Json<Value>, Problem> {
    let n = limit(&q)?;
    let jobs = match q.status.as_deref() {
        None | Some("all") => app.store().jobs(&org.id, n).await?,
        Some(s) => {
            let status = JobStatus::parse(s)
                .map_err(|_| Problem::bad_request(format!("`{s}` is not a job status")))?;
            app.store().jobs_with_status(&org.id, status, n).await?
        }
    };
    Ok(Json(Value::Array(
        jobs.iter().map(views::job_summary).collect(),
    )))
}

async fn get_job(
    State(app): State<Arc<App>>,
    OrgCaller { org, .. }: OrgCaller,
    Path(id): Path<String>,
) -> Result<Json<Value>, Problem> {
    views::job_view(app.store(), &org.id, &id)
        .await?
        .map(Json)
        .ok_or_else(|| Problem::not_found(format!("job {id} not found")))
}

async fn list_approvals(
    State(app): State<Arc<App>>,
    OrgCaller { org, .. }: OrgCaller,
    QueryArgs(q): QueryArgs<ListQuery>,
) -> Result<Json<Value>, Problem> {
    let n = limit(&q)?;
    let status = match q.status.as_deref() {
        None => Some("open"),
        Some("all") => None,
        Some(s @ ("open" | "decided" | "expired" | "cancelled")) => Some(s),
        Some(s) => {
            return Err(Problem::bad_request(format!(
                "`{s}` is not an approval status: open, decided, expired, cancelled or all"
            )));
        }
    };
    let gates = app.store().pending_actions(&org.id, status, n).await?;
    Ok(Json(
        serde_json::to_value(gates).map_err(Problem::internal)?,
    ))
}

async fn get_approval(
    State(app): State<Arc<App>>,
    OrgCaller { org, .. }: OrgCaller,
    Path(id): Path<String>,
) -> Result<Json<Value>, Problem> {
    let gate = app
        .store()
        .pending_action(&org.id, &id)
        .await?
        .ok_or_else(|| Problem::not_found(format!("approval {id} not found")))?;
    Ok(Json(serde_json::to_value(gate).map_err(Problem::internal)?))
}

/// Read a decision document: `{"decision": "approved" | "edited" |
/// "skipped" | "cancelled" | "chosen" | "per_item", "value": …, "note": …}`.
/// The note is the person's own words (`by` is read as a note too, for
/// older clients); who decided is never taken from the body.
pub fn parse_decision(mut body: Value) -> Result<(Decision, Option<String>), Problem> {
    let mut note = None;
    for key in ["note", "by"] {
        match body.as_object_mut().and_then(|m| m.remove(key)) {
            None | Some(Value::Null) => {}
            Some(Value::String(s)) if note.is_none() => {
                note = Some(s.trim().to_owned()).filter(|s| !s.is_empty())
            }
            Some(Value::String(_)) => {
                return Err(Problem::unprocessable("send `note` or `by`, not both"));
            }
            Some(_) => return Err(Problem::unprocessable(format!("`{key}` must be a string"))),
        }
    }
    let decision: Decision = serde_json::from_value(body).map_err(|e| {
        Problem::unprocessable(format!(
            "not a decision ({e}); send {{\"decision\": \"approved\"}}, \
             {{\"decision\": \"edited\", \"value\": …}}, skipped, cancelled, \
             {{\"decision\": \"chosen\", \"value\": N}} or {{\"decision\": \"per_item\", \"value\": [true, false]}}"
        ))
    })?;
    Ok((decision, note))
}

async fn decide(
    State(app): State<Arc<App>>,
    caller: OrgCaller,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<Value>,
) -> Result<Json<Value>, Problem> {
    let (decision, note) = parse_decision(body)?;
    let who = Decider {
        by: caller.credential(),
        note,
    };
    let org = &caller.org;
    let gate = app.orch.decide(&org.id, &id, decision, &who).await?;
    Ok(Json(json!({
        "id": gate.id, "status": gate.status, "job_id": gate.job_id, "decision": gate.decision,
        "decided_by": gate.decided_by, "decision_note": gate.decision_note,
    })))
}

async fn skills(State(app): State<Arc<App>>, _caller: OrgCaller) -> Json<Value> {
    Json(json!({
        "skills": app.orch.registry.list(),
        "problems": app.orch.registry.problems(),
    }))
}

async fn run_import(app: &App, doc: &ImportDoc) -> Result<Json<Value>, Problem> {
    let summary = import(app.store(), doc).await.map_err(|e| match e {
        ImportError::Invalid(m) => Problem::unprocessable(m),
        ImportError::Store(e) => e.into(),
    })?;
    Ok(Json(
        serde_json::to_value(summary).map_err(Problem::internal)?,
    ))
}

async fn crm_import(
    State(app): State<Arc<App>>,
    OrgCaller { org, .. }: OrgCaller,
    JsonBody(doc): JsonBody<ImportDoc>,
) -> Result<Json<Value>, Problem> {
    if doc.org.slug != org.slug {
        return Err(Problem::forbidden(format!(
            "this token belongs to org `{}`; the document imports `{}`",
            org.slug, doc.org.slug
        )));
    }
    run_import(&app, &doc).await
}

async fn admin_import(
    State(app): State<Arc<App>>,
    _admin: Admin,
    JsonBody(doc): JsonBody<ImportDoc>,
) -> Result<Json<Value>, Problem> {
    run_import(&app, &doc).await
}

async fn users(
    State(app): State<Arc<App>>,
    OrgCaller { org, .. }: OrgCaller,
) -> Result<Json<Value>, Problem> {
    let users = app.store().users(&org.id).await?;
    Ok(Json(
        serde_json::to_value(users).map_err(Problem::internal)?,
    ))
}

async fn user_id(
    app: &App,
    org: &crate::store::Org,
    handle: &str,
) -> Result<crate::store::UserId, Problem> {
    Ok(app
        .store()
        .user_by_handle(&org.id, handle)
        .await?
        .ok_or_else(|| {
            Problem::not_found(format!("user `{handle}` not found in org `{}`", org.slug))
        })?
        .id)
}

async fn get_preferences(
    State(app): State<Arc<App>>,
    OrgCaller { org, .. }: OrgCaller,
    Path(handle): Path<String>,
) -> Result<Json<Preferences>, Problem> {
    let user = user_id(&app, &org, &handle).await?;
    Ok(Json(app.store().preferences(&org.id, &user).await?))
}

async fn put_preferences(
    State(app): State<Arc<App>>,
    OrgCaller { org, .. }: OrgCaller,
    Path(handle): Path<String>,
    JsonBody(prefs): JsonBody<Preferences>,
) -> Result<Json<Preferences>, Problem> {
    let user = user_id(&app, &org, &handle).await?;
    if jiff::tz::TimeZone::get(&prefs.timezone).is_err() {
        return Err(Problem::unprocessable(format!(
            "`{}` is not a time zone (use an IANA name such as Europe/London)",
            prefs.timezone
        )));
    }
    let minutes = [
        ("working_start_min", Some(prefs.working_start_min)),
        ("working_end_min", Some(prefs.working_end_min)),
        ("quiet_start_min", prefs.quiet_start_min),
        ("quiet_end_min", prefs.quiet_end_min),
        ("briefing_time_min", Some(prefs.briefing_time_min)),
    ];
    for (name, v) in minutes {
        if let Some(v) = v
            && !(0..1440).contains(&v)
        {
            return Err(Problem::unprocessable(format!(
                "{name} is {v}: minutes after midnight run from 0 to 1439"
            )));
        }
    }
    if prefs.max_notifications_per_hour < 0 || prefs.daily_send_cap < 0 {
        return Err(Problem::unprocessable(
            "max_notifications_per_hour and daily_send_cap cannot be negative",
        ));
    }
    app.store().set_preferences(&org.id, &user, &prefs).await?;
    Ok(Json(app.store().preferences(&org.id, &user).await?))
}

async fn do_not_contact_list(
    State(app): State<Arc<App>>,
    OrgCaller { org, .. }: OrgCaller,
) -> Result<Json<Value>, Problem> {
    let list = app.store().do_not_contact_list(&org.id).await?;
    Ok(Json(json!(list)))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DoNotContactIn {
    email: String,
    #[serde(default)]
    reason: Option<String>,
}

/// An opt-out that reached the rep another way (a call, a letter, legal).
async fn flag_do_not_contact(
    State(app): State<Arc<App>>,
    OrgCaller { org, .. }: OrgCaller,
    JsonBody(d): JsonBody<DoNotContactIn>,
) -> Result<Json<Value>, Problem> {
    let email = match address_key(&d.email) {
        Some(email) if is_address(&email) => email,
        _ if d.email.chars().count() > MAX_ADDRESS => {
            return Err(Problem::unprocessable(format!(
                "email is longer than {MAX_ADDRESS} characters: not an email address"
            )));
        }
        _ => {
            return Err(Problem::unprocessable(format!(
                "`{}` is not an email address (name@domain.example)",
                d.email
            )));
        }
    };
    let reason = d
        .reason
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .unwrap_or("added by the operator");
    if reason.chars().count() > 200 {
        return Err(Problem::unprocessable(
            "reason is longer than 200 characters",
        ));
    }
    let flagged = app
        .store()
        .flag_do_not_contact(&org.id, &email, reason, app.now())
        .await?;
    Ok(Json(json!({
        "email": email,
        "emails_cancelled": flagged.emails_cancelled,
        "drafts_withdrawn": flagged.drafts_withdrawn,
    })))
}

async fn features(
    State(app): State<Arc<App>>,
    OrgCaller { org, .. }: OrgCaller,
) -> Result<Json<Value>, Problem> {
    let disabled = app.store().disabled_features(&org.id).await?;
    let list: Vec<Value> = app
        .orch
        .sequences
        .iter()
        .map(|s| {
            let missing = app.orch.missing_skills(s);
            json!({
                "event_type": s.event,
                "enabled": !disabled.contains(&s.event),
                "runnable": missing.is_empty(),
                "missing_skills": missing,
            })
        })
        .collect();
    Ok(Json(Value::Array(list)))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FeatureIn {
    enabled: bool,
}

async fn put_feature(
    State(app): State<Arc<App>>,
    OrgCaller { org, .. }: OrgCaller,
    Path(event_type): Path<String>,
    JsonBody(f): JsonBody<FeatureIn>,
) -> Result<Json<Value>, Problem> {
    if app.orch.sequences.get(&event_type).is_none() {
        return Err(Problem::not_found(format!(
            "no sequence handles `{event_type}` events"
        )));
    }
    app.store()
        .set_feature(&org.id, &event_type, f.enabled)
        .await?;
    Ok(Json(
        json!({ "event_type": event_type, "enabled": f.enabled }),
    ))
}

async fn admin_orgs(State(app): State<Arc<App>>, _admin: Admin) -> Result<Json<Value>, Problem> {
    let orgs: Vec<Value> = app
        .store()
        .orgs()
        .await?
        .into_iter()
        .map(|o| json!({ "id": o.id, "slug": o.slug, "name": o.name }))
        .collect();
    Ok(Json(Value::Array(orgs)))
}

async fn org_by_slug(app: &App, slug: &str) -> Result<crate::store::Org, Problem> {
    app.store()
        .org_by_slug(slug)
        .await?
        .ok_or_else(|| Problem::not_found(format!("org `{slug}` not found")))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TokenIn {
    name: String,
}

async fn admin_token(
    State(app): State<Arc<App>>,
    _admin: Admin,
    Path(slug): Path<String>,
    JsonBody(t): JsonBody<TokenIn>,
) -> Result<Response, Problem> {
    let org = org_by_slug(&app, &slug).await?;
    if t.name.trim().is_empty() || t.name.len() > 100 {
        return Err(Problem::unprocessable(
            "a token needs a name of 1 to 100 characters",
        ));
    }
    let (id, token) = app
        .store()
        .create_token(&org.id, t.name.trim(), app.now())
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "id": id, "org": org.slug, "token": token,
            "note": "the token is shown once; store it now" })),
    )
        .into_response())
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MagicLinkIn {
    /// The user's handle.
    user: String,
    /// Minutes the link stays valid (default 15, at most a day).
    minutes: Option<i64>,
}

async fn admin_magic_link(
    State(app): State<Arc<App>>,
    _admin: Admin,
    Path(slug): Path<String>,
    JsonBody(m): JsonBody<MagicLinkIn>,
) -> Result<Response, Problem> {
    let org = org_by_slug(&app, &slug).await?;
    let user = user_id(&app, &org, &m.user).await?;
    let minutes = m.minutes.unwrap_or(15);
    if !(1..=1440).contains(&minutes) {
        return Err(Problem::unprocessable("minutes must be 1 to 1440"));
    }
    let expires_at = app.now() + minutes * 60_000;
    let login = Login {
        org_id: org.id.clone(),
        user_id: Some(user),
        token_id: None,
    };
    let secret = app
        .store()
        .create_login("magic_link", &login, expires_at, app.now())
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({
            "url": format!("{}/inbox/magic/{secret}", app.settings.base_url()),
            "expires_at": expires_at,
        })),
    )
        .into_response())
}
