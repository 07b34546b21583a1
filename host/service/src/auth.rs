//! Who is calling. API routes take `Authorization: Bearer <org token>`;
//! operator routes take the admin token; the inbox takes a session cookie
//! made by logging in with an org token or a magic link. Every handler gets
//! the caller's org and scopes its queries to it: another org's id is a 404.
//! Within the org an org token reaches every rep; an inbox session signed
//! in by a rep's magic link reaches that rep and their team
//! ([`baton_engine::store::Reach`]): another rep's id is a 404 too.

use super::App;
use super::problem::Problem;
use super::signature::same_secret;
use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use axum_extra::extract::CookieJar;
use baton_engine::orchestrator::Decider;
use baton_engine::store::{ApiToken, Login, Org, Reach, UserId};
use std::sync::Arc;

/// The inbox's session cookie.
pub const SESSION_COOKIE: &str = "baton_session";

fn bearer(parts: &Parts) -> Option<&str> {
    parts
        .headers
        .get(AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
}

/// A caller holding an org's API token.
pub struct OrgCaller {
    pub org: Org,
    /// The token it called with (its name is who decided, in approvals).
    pub token: ApiToken,
}

impl OrgCaller {
    /// Who this caller is, as recorded on what it decides.
    pub fn credential(&self) -> String {
        format!("api:{}", self.token.name)
    }

    /// An org token acts for the whole org.
    pub fn decider(&self, note: Option<String>) -> Decider {
        Decider {
            note,
            ..Decider::new(self.credential(), Reach::Org)
        }
    }
}

impl FromRequestParts<Arc<App>> for OrgCaller {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, app: &Arc<App>) -> Result<Self, Problem> {
        let token = bearer(parts).ok_or_else(|| {
            Problem::unauthorized("send the org's API token as `Authorization: Bearer <token>`")
        })?;
        let token =
            app.store().token(token).await?.ok_or_else(|| {
                Problem::unauthorized("the API token is not valid or was revoked")
            })?;
        let org = app
            .store()
            .org(&token.org_id)
            .await?
            .ok_or_else(|| Problem::unauthorized("the token's org no longer exists"))?;
        Ok(OrgCaller { org, token })
    }
}

/// The operator (admin token).
pub struct Admin;

impl FromRequestParts<Arc<App>> for Admin {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, app: &Arc<App>) -> Result<Self, Problem> {
        let Some(expected) = app.secrets.admin_token.as_deref() else {
            return Err(Problem::forbidden(
                "operator routes are off: set BATON_ADMIN_TOKEN to use them",
            ));
        };
        match bearer(parts) {
            Some(t) if same_secret(t, expected) => Ok(Admin),
            Some(_) => Err(Problem::unauthorized("the admin token is not valid")),
            None => Err(Problem::unauthorized(
                "send the admin token as `Authorization: Bearer <token>`",
            )),
        }
    }
}

/// A scraper of `/metrics`: the metrics token (`BATON_METRICS_TOKEN`) or
/// the admin token. The metrics name the org slugs, so they are not open.
pub struct MetricsReader;

impl FromRequestParts<Arc<App>> for MetricsReader {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, app: &Arc<App>) -> Result<Self, Problem> {
        let tokens = [&app.secrets.metrics_token, &app.secrets.admin_token];
        if tokens.iter().all(|t| t.is_none()) {
            return Err(Problem::forbidden(
                "metrics are off: set BATON_METRICS_TOKEN (or BATON_ADMIN_TOKEN) and send it as `Authorization: Bearer <token>`",
            ));
        }
        match bearer(parts) {
            Some(t)
                if tokens
                    .iter()
                    .any(|e| e.as_deref().is_some_and(|e| same_secret(t, e))) =>
            {
                Ok(MetricsReader)
            }
            Some(_) => Err(Problem::unauthorized("the metrics token is not valid")),
            None => Err(Problem::unauthorized(
                "send the metrics token as `Authorization: Bearer <token>`",
            )),
        }
    }
}

/// A person logged in to the inbox.
pub struct InboxUser {
    pub org: Org,
    pub user: Option<UserId>,
    /// Whom they see and decide for: a magic link's user their own work
    /// and their team's; a token login the whole org.
    pub reach: Reach,
    /// Who this is, as recorded on what they decide: `inbox:<handle>` for a
    /// magic link's user, `inbox:token:<name>` for a token login.
    pub credential: String,
}

impl InboxUser {
    /// Whether this person may see and decide for `user` (a user of
    /// another org never).
    pub async fn reaches(&self, app: &App, user: &UserId) -> Result<bool, Problem> {
        Ok(app.store().reaches(&self.org.id, &self.reach, user).await?)
    }

    /// Who decides, when this person decides.
    pub fn decider(&self) -> Decider {
        Decider::new(self.credential.clone(), self.reach.clone())
    }

    /// The session in the request's cookie, if it is live.
    pub async fn from_jar(app: &App, jar: &CookieJar) -> Result<Option<InboxUser>, Problem> {
        let Some(cookie) = jar.get(SESSION_COOKIE) else {
            return Ok(None);
        };
        let Some(Login {
            org_id,
            user_id,
            token_id,
        }) = app.store().session(cookie.value(), app.now()).await?
        else {
            return Ok(None);
        };
        let Some(org) = app.store().org(&org_id).await? else {
            return Ok(None);
        };
        let credential = match (&user_id, &token_id) {
            (Some(u), _) => match app.store().user(&org.id, u).await? {
                Some(u) => format!("inbox:{}", u.handle),
                None => return Ok(None),
            },
            (None, Some(t)) => match app.store().token_by_id(&org.id, t).await? {
                Some(t) => format!("inbox:token:{}", t.name),
                None => return Ok(None),
            },
            (None, None) => return Ok(None),
        };
        let reach = user_id.clone().map_or(Reach::Org, Reach::Team);
        Ok(Some(InboxUser {
            org,
            user: user_id,
            reach,
            credential,
        }))
    }
}
