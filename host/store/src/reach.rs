//! Who a caller may act for inside its org: everyone (an org token, the
//! operator), or one user and the users who report to them, directly or
//! through others (a rep's session reaches the rep alone; a manager's,
//! the team). The reporting lines live on `users.manager_id`; every list
//! a session reads filters by [`team_filter`], and every single thing it
//! opens or decides is checked with [`Store::reaches`]. Nothing here
//! decides what a role may do: reach follows the reporting lines only.

use super::{OrgId, Store, StoreError, UserId, on_pool};

/// Whom a caller acts for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reach {
    /// Every user of the org (an org token, the CLI, the operator).
    Org,
    /// This user and everyone who reports to them, directly or not.
    Team(UserId),
}

impl Reach {
    /// The team's head, to bind where [`team_filter`] takes it (`None`:
    /// the whole org).
    pub fn head(&self) -> Option<&UserId> {
        match self {
            Reach::Org => None,
            Reach::Team(u) => Some(u),
        }
    }
}

/// An SQL condition true when `column` (a user id) is within the reach
/// whose [`Reach::head`] is bound at `param` (`$3`): a NULL head is the
/// whole org. The same text runs on SQLite and Postgres; `UNION` (not
/// `UNION ALL`) ends the walk even if the lines ever formed a circle.
pub fn team_filter(column: &str, param: &str) -> String {
    format!(
        "(CAST({param} AS TEXT) IS NULL OR {column} IN (
            WITH RECURSIVE team(id) AS (
                SELECT CAST({param} AS TEXT)
                UNION SELECT users.id FROM users JOIN team ON users.manager_id = team.id)
            SELECT id FROM team))"
    )
}

/// Why a reporting line was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum LineRefused {
    #[error("a user cannot report to themself")]
    Self_,
    #[error(
        "`{0}` already reports to this user, directly or through others: that would be a circle"
    )]
    Circle(String),
}

impl Store {
    /// Whether `reach` covers the user `user` of `org` (a user of another
    /// org, or none, is never covered).
    pub async fn reaches(
        &self,
        org: &OrgId,
        reach: &Reach,
        user: &UserId,
    ) -> Result<bool, StoreError> {
        let sql = format!(
            "SELECT COUNT(*) FROM users WHERE org_id = $1 AND id = $2 AND {}",
            team_filter("id", "$3")
        );
        let n: i64 = on_pool!(self, pool => sqlx::query_scalar(&sql)
            .bind(org).bind(user).bind(reach.head()).fetch_one(pool).await)?;
        Ok(n > 0)
    }

    /// Make `user` report to `manager` (`None`: to nobody). Both are users
    /// of `org`, checked by the caller; a line that would close a circle is
    /// refused.
    pub async fn set_manager(
        &self,
        org: &OrgId,
        user: &UserId,
        manager: Option<&UserId>,
    ) -> Result<Result<(), LineRefused>, StoreError> {
        if let Some(m) = manager {
            if m == user {
                return Ok(Err(LineRefused::Self_));
            }
            if self.reaches(org, &Reach::Team(user.clone()), m).await? {
                let handle = self
                    .user(org, m)
                    .await?
                    .map_or_else(|| m.to_string(), |u| u.handle);
                return Ok(Err(LineRefused::Circle(handle)));
            }
        }
        on_pool!(self, pool => sqlx::query(
                "UPDATE users SET manager_id = $3 WHERE org_id = $1 AND id = $2")
            .bind(org).bind(user).bind(manager).execute(pool).await.map(drop))?;
        Ok(Ok(()))
    }

    /// Every (org, user) whose preferences record the Slack user id
    /// `slack_user`: who a chat command signed for that Slack user comes
    /// from (a command names no org). The one read across orgs, by an
    /// identity the chat provider signed.
    pub async fn users_by_slack_id(
        &self,
        slack_user: &str,
    ) -> Result<Vec<(OrgId, UserId)>, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_as(
                "SELECT org_id, user_id FROM user_preferences WHERE slack_user_id = $1
                 ORDER BY org_id LIMIT 10")
            .bind(slack_user).fetch_all(pool).await)?)
    }

    /// Whether this is the first sighting of the signed request whose
    /// signature digests to `digest` (kept until `expires_at`, when its
    /// window closes); a replay inside the window is not. Forgets what
    /// expired before `now`.
    pub async fn first_sighting(
        &self,
        digest: &str,
        expires_at: i64,
        now: i64,
    ) -> Result<bool, StoreError> {
        on_pool!(self, pool => sqlx::query("DELETE FROM signatures_seen WHERE expires_at < $1")
            .bind(now).execute(pool).await.map(drop))?;
        let added = on_pool!(self, pool => sqlx::query(
                "INSERT INTO signatures_seen (digest, expires_at) VALUES ($1, $2)
                 ON CONFLICT (digest) DO NOTHING")
            .bind(digest).bind(expires_at).execute(pool).await.map(|r| r.rows_affected()))?;
        Ok(added == 1)
    }

    /// The user of `org` whose preferences record the Slack user id
    /// `slack_user`, if one does.
    pub async fn user_by_slack_id(
        &self,
        org: &OrgId,
        slack_user: &str,
    ) -> Result<Option<UserId>, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_scalar(
                "SELECT user_id FROM user_preferences WHERE org_id = $1 AND slack_user_id = $2")
            .bind(org).bind(slack_user).fetch_optional(pool).await)?)
    }
}
