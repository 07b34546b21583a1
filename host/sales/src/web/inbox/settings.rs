//! `/inbox/settings`: a rep's own settings, in their words — time zone,
//! morning brief time, quiet hours, how drafts sound, coaching, revivals
//! a day, Slack channel — with a link to their connected accounts. The
//! form posts through the same checks as `PUT
//! /v1/users/{handle}/preferences` (`baton_service::api::replace_preferences`):
//! a mistake comes back on the page naming the field (422), and fields the
//! page does not show keep their values. A post from another site is
//! refused before it is read (the shell's guard); only a rep signed in by
//! their link has settings to change (a token session is told so, and its
//! post is 403).

use crate::store::{TrackingChoice, TrackingTables};
use crate::web::App;
use crate::web::problem::{FormBody, Problem};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use baton_service::inbox::{login_page, session};
use baton_types::coaching::Coaching;
use baton_types::tone::Tone;
use maud::{Markup, html};
use serde::Deserialize;
use serde_json::{Map, Value, json};
use std::sync::Arc;

/// `?saved=1` after a change.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct Shown {
    /// Set after a change: the page says it was saved.
    saved: Option<String>,
}

#[utoipa::path(get, path = "/inbox/settings", operation_id = "inboxSettings", security(("session" = []), ()),
    summary = "The signed-in rep's settings, as a form", params(Shown),
    responses(crate::web::openapi::Db,
        (status = 200, description = "The settings page (for a token session, what to do instead)", body = String, content_type = "text/html"),
        (status = 401, description = "Not signed in: the sign-in page", body = String, content_type = "text/html")))]
pub(super) async fn settings(
    State(app): State<Arc<App>>,
    jar: CookieJar,
    Query(shown): Query<Shown>,
) -> Result<Response, Problem> {
    let Some(me) = session(&app, &jar).await? else {
        return Ok(login_page(
            StatusCode::UNAUTHORIZED,
            Some("Sign in to change your settings."),
        ));
    };
    let Some(user) = me.user.as_ref() else {
        return Ok(token_session());
    };
    let doc = app.orch.preferences_doc(&me.org.id, user).await?;
    let note = shown.saved.map(|_| Note::Saved);
    let tracking = app.store().tracking(&me.org.id).await?;
    Ok(super::page("Settings", form(&doc, note, tracking)).into_response())
}

#[utoipa::path(post, path = "/inbox/settings", operation_id = "inboxSaveSettings", security(("session" = []), ()),
    summary = "Change the signed-in rep's settings (checked as PUT /v1/users/{handle}/preferences)",
    request_body(content = crate::web::openapi::SettingsForm, content_type = "application/x-www-form-urlencoded"),
    responses(crate::web::openapi::Db, crate::web::openapi::TooLarge, crate::web::openapi::Unsupported,
        crate::web::openapi::Forbidden,
        (status = 303, description = "Saved: back to the page", headers(("Location" = String, description = "/inbox/settings?saved=1"))),
        (status = 401, description = "Not signed in: the sign-in page", body = String, content_type = "text/html"),
        (status = 422, description = "A value that does not read: the page again, naming it", body = String, content_type = "text/html")))]
pub(super) async fn save(
    State(app): State<Arc<App>>,
    jar: CookieJar,
    FormBody(fields): FormBody<Vec<(String, String)>>,
) -> Result<Response, Problem> {
    let Some(me) = session(&app, &jar).await? else {
        return Ok(login_page(
            StatusCode::UNAUTHORIZED,
            Some("Sign in to change your settings."),
        ));
    };
    let Some(user) = me.user.as_ref() else {
        return Err(Problem::forbidden(TOKEN_SESSION));
    };
    let mut doc = app.orch.preferences_doc(&me.org.id, user).await?;
    let tracking = app.store().tracking(&me.org.id).await?;
    let refused = |doc: &Map<String, Value>, why: String| {
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            super::page("Settings", form(doc, Some(Note::Refused(why)), tracking)),
        )
            .into_response()
    };
    if let Err(why) = apply(&mut doc, &fields) {
        return Ok(refused(&doc, why));
    }
    match baton_service::api::replace_preferences(&app, &me.org.id, user, &doc).await {
        Ok(_) => Ok(Redirect::to("/inbox/settings?saved=1").into_response()),
        Err(p) if p.status.is_client_error() => Ok(refused(&doc, p.detail)),
        Err(p) => Err(p),
    }
}

/// Why a token session has no settings.
const TOKEN_SESSION: &str = "settings belong to a rep: sign in with your own link to change yours";

/// What a token session reads instead of the form.
fn token_session() -> Response {
    super::page(
        "Settings",
        html! {
            h1 { "Settings" }
            p { "Settings belong to a rep: sign in with your own link to change yours." }
            p { a href="/inbox" { "Back to the inbox" } }
        },
    )
    .into_response()
}

/// What the page says above the form.
enum Note {
    Saved,
    Refused(String),
}

/// The form's fields over `doc`: times read as `HH:MM` (a quiet hour left
/// empty is none), numbers as whole numbers, a channel left empty is none.
/// What does not read names the field.
fn apply(doc: &mut Map<String, Value>, fields: &[(String, String)]) -> Result<(), String> {
    let get = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim())
    };
    if let Some(tz) = get("timezone") {
        doc.insert("timezone".into(), json!(tz));
    }
    if let Some(t) = get("briefing_time") {
        let m =
            minutes(t).ok_or_else(|| format!("Morning brief at `{t}` is not a time (HH:MM)"))?;
        doc.insert("briefing_time_min".into(), json!(m));
    }
    for (field, key, label) in [
        ("quiet_start", "quiet_start_min", "Quiet from"),
        ("quiet_end", "quiet_end_min", "Quiet until"),
    ] {
        match get(field) {
            None => {}
            Some("") => {
                doc.insert(key.into(), Value::Null);
            }
            Some(t) => {
                let m = minutes(t).ok_or_else(|| format!("{label} `{t}` is not a time (HH:MM)"))?;
                doc.insert(key.into(), json!(m));
            }
        }
    }
    for key in ["tone", "coaching"] {
        if let Some(v) = get(key) {
            doc.insert(key.into(), json!(v));
        }
    }
    if let Some(n) = get("max_revivals_per_day") {
        let n: i64 = n
            .parse()
            .ok()
            .filter(|n| *n >= 0)
            .ok_or_else(|| format!("Deals revived a day `{n}` is not a whole number from 0"))?;
        doc.insert("max_revivals_per_day".into(), json!(n));
    }
    if let Some(c) = get("slack_channel") {
        let channel = if c.is_empty() { Value::Null } else { json!(c) };
        doc.insert("slack_channel".into(), channel);
    }
    Ok(())
}

/// `HH:MM` as minutes after midnight.
fn minutes(t: &str) -> Option<i64> {
    let (h, m) = t.split_once(':')?;
    let (h, m): (i64, i64) = (h.parse().ok()?, m.parse().ok()?);
    ((0..24).contains(&h) && (0..60).contains(&m)).then_some(h * 60 + m)
}

/// Minutes after midnight as `HH:MM` (empty when unset).
fn clock(v: &Value) -> String {
    v.as_i64()
        .map(|m| format!("{:02}:{:02}", m / 60, m % 60))
        .unwrap_or_default()
}

fn form(doc: &Map<String, Value>, note: Option<Note>, tracking: TrackingChoice) -> Markup {
    let text = |k: &str| doc.get(k).and_then(Value::as_str).unwrap_or("").to_owned();
    let tone = text("tone");
    let coaching = text("coaching");
    html! {
        h1 { "Your settings" }
        p { a href="/inbox" { "Back to the inbox" } " · " a href="/inbox/accounts" { "Connected accounts" } }
        @match note {
            Some(Note::Saved) => p #saved.muted { "Saved." },
            Some(Note::Refused(why)) => p #refused.error role="alert" { "Not saved: " (why) },
            None => {},
        }
        form #settings method="post" action="/inbox/settings" {
            fieldset {
                legend { "When" }
                label { "Time zone " input name="timezone" value=(text("timezone")) required placeholder="Europe/London"; }
                label { "Morning brief at " input type="time" name="briefing_time" value=(clock(&doc["briefing_time_min"])) required; }
                label { "Quiet from " input type="time" name="quiet_start" value=(clock(&doc["quiet_start_min"])); }
                label { "until " input type="time" name="quiet_end" value=(clock(&doc["quiet_end_min"])); }
                p.muted { "Nothing reaches you in Slack during quiet hours; it waits until they end." }
            }
            fieldset {
                legend { "Drafts and coaching" }
                label { "Drafts sound " select name="tone" {
                    @for t in Tone::ALL { option value=(t.as_str()) selected[t.as_str() == tone] { (t.as_str()) } }
                } }
                label { "Coaching " select name="coaching" {
                    @for c in Coaching::ALL { option value=(c.as_str()) selected[c.as_str() == coaching] { (c.as_str().replace('_', " ")) } }
                } }
                label { "Stale deals revived a day " input type="number" min="0" name="max_revivals_per_day"
                    value=(doc.get("max_revivals_per_day").and_then(Value::as_i64).unwrap_or(0)); }
            }
            fieldset {
                legend { "Slack" }
                label { "Channel " input name="slack_channel" value=(text("slack_channel")) placeholder="D0123ABCD"; }
                p.muted { "Where your briefs, recaps and approvals are posted; empty keeps them in this inbox." }
            }
            button type="submit" { "Save" }
        }
        section #tracking aria-label="Email tracking" {
            h2 { "Email tracking" }
            p {
                "Your organization tracks "
                strong { @match (tracking.opens, tracking.clicks) {
                    (false, false) => "nothing",
                    (true, false) => "opens",
                    (false, true) => "clicks",
                    (true, true) => "opens and clicks",
                } }
                " in the email you send."
            }
            p.muted { "Off unless your organization turns it on (PUT /v1/tracking): the people you write to are not asked, so it is a privacy choice. When on, opens (a 1×1 image) and clicks (links through this service) show on the deal; link-preview robots are not counted." }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_forms_times_and_numbers_read_or_name_the_field() {
        let mut doc = Map::new();
        let fields = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        apply(
            &mut doc,
            &fields(&[
                ("briefing_time", "07:45"),
                ("quiet_start", ""),
                ("quiet_end", "07:00"),
                ("slack_channel", ""),
            ]),
        )
        .expect("reads");
        assert_eq!(doc["briefing_time_min"], 465);
        assert_eq!(doc["quiet_start_min"], Value::Null);
        assert_eq!(doc["quiet_end_min"], 420);
        assert_eq!(doc["slack_channel"], Value::Null);
        let why =
            apply(&mut doc, &fields(&[("briefing_time", "25:00")])).expect_err("no such time");
        assert!(why.contains("Morning brief"), "{why}");
        let why =
            apply(&mut doc, &fields(&[("max_revivals_per_day", "-1")])).expect_err("negative");
        assert!(why.contains("revived"), "{why}");
        assert_eq!(clock(&json!(465)), "07:45");
        assert_eq!(clock(&Value::Null), "");
    }
}
