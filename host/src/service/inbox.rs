//! The web approval inbox, server-rendered (maud; no front-end build).
//! Log in with an org API token or a magic link; see the gates waiting,
//! each with its preview; approve, edit the draft, skip, cancel or choose;
//! follow a job's timeline (steps, skill versions, fuel, cost, gates,
//! follow-ups, effects). Forms post back with a `SameSite=Strict` session
//! cookie; every query is scoped to the session's org.

use super::App;
use super::auth::{InboxUser, SESSION_COOKIE};
use super::problem::{FormBody, Problem};
use crate::orchestrator::{Decider, views};
use crate::runtime::Decision;
use crate::store::{Login, PendingAction};
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use maud::{DOCTYPE, Markup, html};
use serde_json::Value;
use std::sync::Arc;

/// The inbox routes.
pub fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/inbox", get(home))
        .route("/inbox/login", post(login))
        .route("/inbox/logout", post(logout))
        .route("/inbox/magic/{secret}", get(magic))
        .route("/inbox/approvals/{id}", get(approval).post(decide))
        .route("/inbox/jobs/{id}", get(job))
        .route("/inbox/effects/{id}/cancel", post(cancel_effect))
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1d1d1f}\
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.4rem;text-align:left;vertical-align:top}\
pre{white-space:pre-wrap;background:#f6f6f6;padding:.8rem}textarea,input[type=text]{width:100%;font:inherit}\
button{margin:.2rem .4rem .2rem 0;padding:.4rem .9rem}.muted{color:#666}.error{color:#a00}form.inline{display:inline}";

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
                style { (maud::PreEscaped(STYLE)) }
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

fn time(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms)
        .map(|t| t.strftime("%Y-%m-%d %H:%M:%S UTC").to_string())
        .unwrap_or_default()
}

async fn home(State(app): State<Arc<App>>, jar: CookieJar) -> Result<Response, Problem> {
    let Some(me) = session(&app, &jar).await? else {
        return Ok(login_page(StatusCode::OK, None));
    };
    let gates = app
        .store()
        .pending_actions(&me.org.id, Some("open"), 200)
        .await?;
    let jobs = app.store().jobs(&me.org.id, 20).await?;
    let body = html! {
        h1 { (me.org.name) }
        form.inline method="post" action="/inbox/logout" { button type="submit" { "Sign out" } }
        h2 { "Waiting for you (" (gates.len()) ")" }
        @if gates.is_empty() { p.muted { "Nothing to decide." } }
        table #approvals {
            @for g in &gates {
                tr {
                    td { a href={ "/inbox/approvals/" (g.id) } { (g.title) } }
                    td { (g.pattern) }
                    td.muted { "step " (g.step_name) }
                    td.muted { "expires " (time(g.expires_at)) }
                }
            }
        }
        h2 { "Recent jobs" }
        table #jobs {
            @for j in &jobs {
                tr {
                    td { a href={ "/inbox/jobs/" (j.id) } { (j.event_type) } }
                    td { (j.status.as_str()) }
                    td.muted { (time(j.created_at)) }
                }
            }
        }
    };
    Ok(page("Inbox", body).into_response())
}

#[derive(serde::Deserialize)]
struct LoginForm {
    token: String,
}

fn session_cookie(secret: String) -> Cookie<'static> {
    Cookie::build((SESSION_COOKIE, secret))
        .path("/inbox")
        .http_only(true)
        .same_site(SameSite::Strict)
        .build()
}

async fn start_session(app: &App, jar: CookieJar, login: Login) -> Result<Response, Problem> {
    let hours = app.settings.session_hours;
    let secret = app
        .store()
        .create_login("session", &login, app.now() + hours * 3_600_000, app.now())
        .await?;
    Ok((jar.add(session_cookie(secret)), Redirect::to("/inbox")).into_response())
}

async fn login(
    State(app): State<Arc<App>>,
    jar: CookieJar,
    FormBody(f): FormBody<LoginForm>,
) -> Result<Response, Problem> {
    match app.store().token(f.token.trim()).await? {
        Some(token) => {
            start_session(
                &app,
                jar,
                Login {
                    org_id: token.org_id,
                    user_id: None,
                    token_id: Some(token.id),
                },
            )
            .await
        }
        None => Ok(login_page(
            StatusCode::UNAUTHORIZED,
            Some("That token is not valid or was revoked."),
        )),
    }
}

async fn magic(
    State(app): State<Arc<App>>,
    jar: CookieJar,
    Path(secret): Path<String>,
) -> Result<Response, Problem> {
    match app.store().redeem_magic_link(&secret, app.now()).await? {
        Some(login) => start_session(&app, jar, login).await,
        None => Ok(login_page(
            StatusCode::UNAUTHORIZED,
            Some("That link is not valid, was used already, or has expired."),
        )),
    }
}

async fn logout(State(app): State<Arc<App>>, jar: CookieJar) -> Result<Response, Problem> {
    if let Some(c) = jar.get(SESSION_COOKIE) {
        app.store().end_session(c.value()).await?;
    }
    let jar = jar.remove(Cookie::build(SESSION_COOKIE).path("/inbox"));
    Ok((jar, Redirect::to("/inbox")).into_response())
}

/// The first action's payload, if the gate holds one.
fn draft(g: &PendingAction) -> Option<(&str, &Value)> {
    let a = g.body["actions"].as_array()?.first()?;
    Some((a["kind"].as_str().unwrap_or("action"), &a["payload"]))
}

fn preview(g: &PendingAction) -> Markup {
    html! {
        @for a in g.body["actions"].as_array().into_iter().flatten() {
            section.action {
                h3 { (a["kind"].as_str().unwrap_or("action")) ": " (a["preview"].as_str().unwrap_or("")) }
                @let p = &a["payload"];
                @if a["kind"] == "email_send" {
                    p { "To: " (crate::connectors::email::recipients(&p["to"]).unwrap_or_default().join(", ")) }
                    p { "Subject: " strong.subject { (p["subject"].as_str().unwrap_or("")) } }
                    pre.body { (p["body"].as_str().unwrap_or("")) }
                } @else {
                    pre { (serde_json::to_string_pretty(p).unwrap_or_default()) }
                }
            }
        }
        @if g.body["actions"].as_array().is_none_or(|a| a.is_empty()) && !g.body["data"].is_null() {
            pre { (serde_json::to_string_pretty(&g.body["data"]).unwrap_or_default()) }
        }
    }
}

fn decision_forms(g: &PendingAction) -> Markup {
    let action = format!("/inbox/approvals/{}", g.id);
    html! {
        @match g.pattern.as_str() {
            "choose" => {
                form method="post" action=(action) {
                    input type="hidden" name="decision" value="choose";
                    @for (i, o) in g.options.iter().enumerate() {
                        label { input type="radio" name="option" value=(i) required; " " (o) } br;
                    }
                    button type="submit" name="go" value="choose" { "Choose" }
                }
            }
            "batch" => {
                form method="post" action=(action) {
                    input type="hidden" name="decision" value="items";
                    @for (i, o) in g.options.iter().enumerate() {
                        label { input type="checkbox" name="item" value=(i) checked; " " (o) } br;
                    }
                    button type="submit" { "Approve checked" }
                }
            }
            _ => {
                form method="post" action=(action) {
                    input type="hidden" name="decision" value="approve";
                    button #approve type="submit" { "Approve" }
                }
                @if let Some((kind, payload)) = draft(g) {
                    details #edit {
                        summary { "Edit the draft" }
                        form method="post" action=(action) {
                            input type="hidden" name="decision" value="edit";
                            @if kind == "email_send" {
                                label for="subject" { "Subject" }
                                input #subject type="text" name="subject" value=(payload["subject"].as_str().unwrap_or(""));
                                label for="body" { "Body" }
                                textarea #body name="body" rows="14" { (payload["body"].as_str().unwrap_or("")) }
                            } @else {
                                label for="payload" { "Payload (JSON)" }
                                textarea #payload name="payload" rows="14" { (serde_json::to_string_pretty(payload).unwrap_or_default()) }
                            }
                            button #approve-edited type="submit" { "Approve edited" }
                        }
                    }
                }
            }
        }
        form.inline method="post" action=(action) {
            input type="hidden" name="decision" value="skip";
            button #skip type="submit" { "Skip" }
        }
        form.inline method="post" action=(action) {
            input type="hidden" name="decision" value="cancel";
            button #cancel type="submit" { "Cancel sequence" }
        }
    }
}

async fn approval(
    State(app): State<Arc<App>>,
    jar: CookieJar,
    Path(id): Path<String>,
) -> Result<Response, Problem> {
    let Some(me) = session(&app, &jar).await? else {
        return Ok(login_page(
            StatusCode::UNAUTHORIZED,
            Some("Sign in to see this approval."),
        ));
    };
    let Some(g) = app.store().pending_action(&me.org.id, &id).await? else {
        return Ok((
            StatusCode::NOT_FOUND,
            page("Not found", html! { h1 { "No such approval" } }),
        )
            .into_response());
    };
    Ok(approval_page(&g, StatusCode::OK, None))
}

fn approval_page(g: &PendingAction, status: StatusCode, error: Option<&str>) -> Response {
    let body = html! {
        h1 #title { (g.title) }
        p.muted { "Step " (g.step_name) " of " a href={ "/inbox/jobs/" (g.job_id) } { "job " (g.job_id) } " · " (g.pattern) " · " span #status { (g.status) } }
        @if let Some(e) = error { p.error #error { (e) } }
        (preview(g))
        @if g.status == "open" {
            (decision_forms(g))
        } @else {
            p { "Decided: " (g.decision.as_ref().map(|d| d.to_string()).unwrap_or_default()) }
        }
    };
    (status, page(&g.title, body)).into_response()
}

/// Read the decision a form posted.
fn form_decision(g: &PendingAction, fields: &[(String, String)]) -> Result<Decision, String> {
    let get = |k: &str| fields.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    match get("decision").unwrap_or("") {
        "approve" => Ok(Decision::Approved),
        "skip" => Ok(Decision::Skipped),
        "cancel" => Ok(Decision::Cancelled),
        "choose" => get("option")
            .and_then(|o| o.parse().ok())
            .map(Decision::Chosen)
            .ok_or_else(|| "pick one option".to_owned()),
        "items" => {
            let checked: Vec<usize> = fields
                .iter()
                .filter(|(n, _)| n == "item")
                .filter_map(|(_, v)| v.parse().ok())
                .collect();
            Ok(Decision::PerItem(
                (0..g.options.len()).map(|i| checked.contains(&i)).collect(),
            ))
        }
        "edit" => {
            let Some((kind, payload)) = draft(g) else {
                return Err("this approval holds no draft to edit".into());
            };
            if kind == "email_send" {
                let mut p = payload.clone();
                let subject = get("subject").unwrap_or("").trim();
                let body = get("body").unwrap_or("");
                if subject.is_empty() || body.trim().is_empty() {
                    return Err("the subject and the body cannot be empty".into());
                }
                p["subject"] = Value::String(subject.to_owned());
                p["body"] = Value::String(body.replace("\r\n", "\n"));
                Ok(Decision::Edited(p))
            } else {
                serde_json::from_str(get("payload").unwrap_or(""))
                    .map(Decision::Edited)
                    .map_err(|e| format!("the payload is not JSON: {e}"))
            }
        }
        other => Err(format!("`{other}` is not a decision")),
    }
}

async fn decide(
    State(app): State<Arc<App>>,
    jar: CookieJar,
    Path(id): Path<String>,
    FormBody(fields): FormBody<Vec<(String, String)>>,
) -> Result<Response, Problem> {
    let Some(me) = session(&app, &jar).await? else {
        return Ok(login_page(
            StatusCode::UNAUTHORIZED,
            Some("Sign in to decide."),
        ));
    };
    let Some(g) = app.store().pending_action(&me.org.id, &id).await? else {
        return Ok((
            StatusCode::NOT_FOUND,
            page("Not found", html! { h1 { "No such approval" } }),
        )
            .into_response());
    };
    let decision = match form_decision(&g, &fields) {
        Ok(d) => d,
        Err(m) => {
            return Ok(approval_page(
                &g,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(&m),
            ));
        }
    };
    let who = Decider {
        by: me.credential.clone(),
        note: None,
    };
    match app.orch.decide(&me.org.id, &id, decision, &who).await {
        Ok(g) => Ok(Redirect::to(&format!("/inbox/jobs/{}", g.job_id)).into_response()),
        Err(e) => {
            let status = Problem::from(e);
            let code = status.status;
            Ok(approval_page(&g, code, Some(&status.detail)))
        }
    }
}

async fn job(
    State(app): State<Arc<App>>,
    jar: CookieJar,
    Path(id): Path<String>,
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
    let moving = matches!(status, "pending" | "running");
    let effects_moving = v["effects"]
        .as_array()
        .into_iter()
        .flatten()
        .any(|e| matches!(e["status"].as_str(), Some("pending" | "delivering")));
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
                        @if e["status"] == "pending" {
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

async fn cancel_effect(
    State(app): State<Arc<App>>,
    jar: CookieJar,
    Path(id): Path<String>,
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
