//! Who may call: per-org API tokens and inbox sessions (magic links and
//! logins). Only the SHA-256 of a secret is stored; the secret is shown once.

use super::{OrgId, Store, StoreError, UserId, new_id, on_pool};
use serde::Serialize;
use sha2::{Digest, Sha256};

/// The stored form of a secret.
pub fn secret_hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// A fresh random secret with a readable prefix, e.g. `bt_…`.
pub fn new_secret(prefix: &str) -> String {
    let a = uuid::Uuid::new_v4().simple().to_string();
    let b = uuid::Uuid::new_v4().simple().to_string();
    format!("{prefix}_{a}{b}")
}

/// An API token as listed (never its secret).
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ApiToken {
    pub id: String,
    pub org_id: OrgId,
    pub name: String,
    pub created_at: i64,
    pub revoked_at: Option<i64>,
}

/// Who an inbox session or magic link belongs to, and the credential it
/// lives by: its user (a magic link's), or the API token it was opened with.
/// A session ends when that credential does.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Login {
    pub org_id: OrgId,
    pub user_id: Option<UserId>,
    pub token_id: Option<String>,
}

impl Store {
    /// Make an API token for `org`; returns its id and its secret.
    pub async fn create_token(
        &self,
        org: &OrgId,
        name: &str,
        now: i64,
    ) -> Result<(String, String), StoreError> {
        let id = new_id();
        let secret = new_secret("bt");
        on_pool!(self, pool => sqlx::query(
                "INSERT INTO api_tokens (id, org_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(&id).bind(org).bind(name).bind(secret_hash(&secret)).bind(now)
            .execute(pool).await.map(drop))?;
        Ok((id, secret))
    }

    /// The live token with this secret.
    pub async fn token(&self, secret: &str) -> Result<Option<ApiToken>, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_as(
                "SELECT id, org_id, name, created_at, revoked_at FROM api_tokens
                 WHERE token_hash = $1 AND revoked_at IS NULL")
            .bind(secret_hash(secret)).fetch_optional(pool).await)?)
    }

    /// One of the org's tokens by id, live or revoked.
    pub async fn token_by_id(&self, org: &OrgId, id: &str) -> Result<Option<ApiToken>, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_as(
                "SELECT id, org_id, name, created_at, revoked_at FROM api_tokens
                 WHERE org_id = $1 AND id = $2")
            .bind(org).bind(id).fetch_optional(pool).await)?)
    }

    /// The org's tokens, newest first.
    pub async fn tokens(&self, org: &OrgId) -> Result<Vec<ApiToken>, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_as(
                "SELECT id, org_id, name, created_at, revoked_at FROM api_tokens WHERE org_id = $1
                 ORDER BY created_at DESC, id DESC")
            .bind(org).fetch_all(pool).await)?)
    }

    /// Revoke one of the org's tokens.
    pub async fn revoke_token(&self, org: &OrgId, id: &str, now: i64) -> Result<(), StoreError> {
        let done = on_pool!(self, pool => sqlx::query(
                "UPDATE api_tokens SET revoked_at = $1 WHERE org_id = $2 AND id = $3 AND revoked_at IS NULL")
            .bind(now).bind(org).bind(id).execute(pool).await.map(|r| r.rows_affected()))?;
        if done == 0 {
            return Err(StoreError::NotFound(format!("live token {id}")));
        }
        Ok(())
    }

    /// Make a login secret of `kind` (`magic_link` or `session`) valid until
    /// `expires_at`; returns the secret.
    pub async fn create_login(
        &self,
        kind: &str,
        login: &Login,
        expires_at: i64,
        now: i64,
    ) -> Result<String, StoreError> {
        let secret = new_secret(if kind == "session" { "bs" } else { "bm" });
        on_pool!(self, pool => sqlx::query(
                "INSERT INTO inbox_sessions (secret_hash, kind, org_id, user_id, token_id, expires_at, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)")
            .bind(secret_hash(&secret)).bind(kind).bind(&login.org_id).bind(&login.user_id)
            .bind(&login.token_id).bind(expires_at).bind(now).execute(pool).await.map(drop))?;
        Ok(secret)
    }

    /// The live session with `secret`: unexpired, and its credential still
    /// live (the token not revoked, the user still in the org).
    pub async fn session(&self, secret: &str, now: i64) -> Result<Option<Login>, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_as(
                "SELECT s.org_id, s.user_id, s.token_id FROM inbox_sessions s
                 WHERE s.secret_hash = $1 AND s.kind = 'session' AND s.expires_at > $2
                   AND (s.token_id IS NOT NULL OR s.user_id IS NOT NULL)
                   AND (s.token_id IS NULL OR EXISTS (
                        SELECT 1 FROM api_tokens t
                        WHERE t.id = s.token_id AND t.org_id = s.org_id AND t.revoked_at IS NULL))
                   AND (s.user_id IS NULL OR EXISTS (
                        SELECT 1 FROM users u WHERE u.id = s.user_id AND u.org_id = s.org_id))")
            .bind(secret_hash(secret)).bind(now).fetch_optional(pool).await)?)
    }

    /// Use a magic link once: returns its login if it was live and unused.
    pub async fn redeem_magic_link(
        &self,
        secret: &str,
        now: i64,
    ) -> Result<Option<Login>, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_as(
                "UPDATE inbox_sessions SET used_at = $1
                 WHERE secret_hash = $2 AND kind = 'magic_link' AND used_at IS NULL AND expires_at > $1
                 RETURNING org_id, user_id, token_id")
            .bind(now).bind(secret_hash(secret)).fetch_optional(pool).await)?)
    }

    /// End a session.
    pub async fn end_session(&self, secret: &str) -> Result<(), StoreError> {
        on_pool!(self, pool => sqlx::query("DELETE FROM inbox_sessions WHERE secret_hash = $1 AND kind = 'session'")
            .bind(secret_hash(secret)).execute(pool).await.map(drop))?;
        Ok(())
    }
}
