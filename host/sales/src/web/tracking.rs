//! The public ends of open and click tracking (`connectors/tracking.rs`
//! puts them in emails, only for an org that turned tracking on):
//! `GET /t/o/{token}` answers a 1×1 transparent GIF, `GET /t/c/{token}`
//! sends the browser on to the link's own address (the one stored with
//! the token, never one from the request: no open redirect). A person's
//! first hit on a token is recorded as an activity (`email_opened`,
//! `link_clicked`) on the recipients' contacts and deals, where the deal's
//! page shows it; later hits are only counted. Link-preview robots and
//! mail scanners (as for `/p/{token}`) and `HEAD` get the answer without
//! a hit. An unknown or malformed token is a 404 that records nothing.
//! Never cached or referred on.

use super::proposal::{is_robot, private};
use crate::connectors::proposal::is_share_token;
use crate::connectors::record_on_recipients;
use crate::store::{Tracked, TrackingTables, tracking};
use crate::web::openapi::Db;
use crate::web::problem::Problem;
use crate::web::{App, Routes};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

/// The public tracking routes.
pub fn routes() -> Routes {
    Routes::new()
        .routes(utoipa_axum::routes!(open))
        .routes(utoipa_axum::routes!(click))
}

/// A 1×1 transparent GIF.
const PIXEL: &[u8] = &[
    0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00,
    0xff, 0xff, 0xff, 0x21, 0xf9, 0x04, 0x01, 0x00, 0x00, 0x00, 0x00, 0x2c, 0x00, 0x00, 0x00, 0x00,
    0x01, 0x00, 0x01, 0x00, 0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3b,
];

fn not_found() -> Response {
    private((StatusCode::NOT_FOUND, "This link does not work.").into_response())
}

/// The token's row, when it is one of `kind`.
async fn find(app: &App, token: &str, kind: &str) -> Result<Option<Tracked>, Problem> {
    if !is_share_token(token) {
        return Ok(None);
    }
    Ok(app.store().tracked(token).await?.filter(|t| t.kind == kind))
}

/// Count a person's hit on `t`; the first is an activity on its
/// recipients' contacts and deals.
async fn hit(
    app: &App,
    t: &Tracked,
    method: &Method,
    headers: &HeaderMap,
    summary: &str,
) -> Result<(), Problem> {
    let agent = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok());
    if *method != Method::GET || is_robot(agent) {
        return Ok(());
    }
    let now = app.now();
    if app.store().hit_tracked(&t.token, now).await? {
        let kind = if t.kind == tracking::OPEN {
            "email_opened"
        } else {
            "link_clicked"
        };
        let to: Vec<String> = t.recipients.split_whitespace().map(str::to_owned).collect();
        record_on_recipients(
            app.store(),
            &t.org_id,
            &t.user_id,
            &to,
            (kind, summary),
            now,
        )
        .await;
    }
    Ok(())
}

#[utoipa::path(get, path = "/t/o/{token}", operation_id = "trackOpen",
    params(("token" = String, Path, description = "The pixel's token (from a sent email)", min_length = 1)),
    summary = "Open tracking's pixel: a 1×1 GIF; a person's first load is recorded on the recipients' deals",
    responses(Db, (status = 200, description = "The pixel", body = Vec<u8>, content_type = "image/gif"),
        (status = 404, description = "A wrong or malformed token: nothing is recorded", body = String, content_type = "text/plain")))]
async fn open(
    State(app): State<Arc<App>>,
    method: Method,
    headers: HeaderMap,
    Path(token): Path<String>,
) -> Result<Response, Problem> {
    let Some(t) = find(&app, &token, tracking::OPEN).await? else {
        return Ok(not_found());
    };
    hit(
        &app,
        &t,
        &method,
        &headers,
        &format!("Opened: {}", t.subject),
    )
    .await?;
    Ok(private(
        ([(header::CONTENT_TYPE, "image/gif")], PIXEL).into_response(),
    ))
}

#[utoipa::path(get, path = "/t/c/{token}", operation_id = "trackClick",
    params(("token" = String, Path, description = "A wrapped link's token (from a sent email)", min_length = 1)),
    summary = "Click tracking: on to the link's address; a person's first click is recorded on the recipients' deals",
    responses(Db,
        (status = 302, description = "On to the link", headers(("Location" = String, description = "The link as the rep wrote it"))),
        (status = 404, description = "A wrong or malformed token: nothing is recorded", body = String, content_type = "text/plain")))]
async fn click(
    State(app): State<Arc<App>>,
    method: Method,
    headers: HeaderMap,
    Path(token): Path<String>,
) -> Result<Response, Problem> {
    let Some(t) = find(&app, &token, tracking::CLICK).await? else {
        return Ok(not_found());
    };
    let Some(to) = t.url.as_deref().and_then(|u| HeaderValue::from_str(u).ok()) else {
        return Ok(not_found());
    };
    let host = reqwest::Url::parse(t.url.as_deref().unwrap_or_default())
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
        .unwrap_or_default();
    let summary = format!("Clicked a link ({host}) in: {}", t.subject);
    hit(&app, &t, &method, &headers, &summary).await?;
    Ok(private(
        (StatusCode::FOUND, [(header::LOCATION, to)]).into_response(),
    ))
}
