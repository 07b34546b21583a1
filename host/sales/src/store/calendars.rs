//! The calendars a rep's meetings are read from: the sources synced (a
//! CalDAV or ICS location, a connected Google account), their push
//! channels, and the sync requests the calendar loop claims.

use baton_store::{OrgId, Param, Row, Store, StoreError, UserId, on_pool};

/// Cancel the meetings read from `account` (their external ids under one
/// of `prefixes`) that are not cancelled yet, and their fires already
/// queued and not started (jobs keyed `fires` + the meeting's id).
/// Bound: org, now, prefix, fires, why, account.
const CANCEL_FIRES: &str = "UPDATE sequence_jobs SET status = 'cancelled', error = $5,
        finished_at = $2, updated_at = $2
    WHERE org_id = $1 AND status = 'pending' AND idempotency_key IN
      (SELECT $4 || m.id FROM meetings m
        WHERE m.org_id = $1 AND m.status <> 'cancelled'
          AND substr(m.external_id, 1, length($3)) = $3)
      AND EXISTS (SELECT 1 FROM connected_accounts WHERE org_id = $1 AND id = $6)";
/// Bound: org, now, prefix, account.
const CANCEL_MEETINGS: &str = "UPDATE meetings SET status = 'cancelled', updated_at = $2
    WHERE org_id = $1 AND status <> 'cancelled'
      AND substr(external_id, 1, length($3)) = $3
      AND EXISTS (SELECT 1 FROM connected_accounts WHERE org_id = $1 AND id = $4)";
/// Bound: org, account.
const DROP_SOURCES: &str = "DELETE FROM calendar_sources WHERE account_id IN
    (SELECT id FROM connected_accounts WHERE org_id = $1 AND id = $2)";

/// What a disconnected account of `org` takes with it, written with its
/// deletion at `now`: the meetings read from it (under `prefixes`, the
/// ones its calendar sources give them) are cancelled, so none fires
/// again, with their fires already queued (keyed `fires` + the meeting's
/// id) and not started; its calendar sources go.
pub fn disconnect_rows(
    org: &OrgId,
    account: &str,
    prefixes: &[String],
    fires: &str,
    now: i64,
) -> Vec<Row> {
    let mut rows = Vec::new();
    for prefix in prefixes {
        let p = |v: &str| Param::from(v);
        rows.push(Row {
            statement: CANCEL_FIRES,
            values: vec![
                p(org.as_str()),
                now.into(),
                p(prefix),
                p(fires),
                p("the meeting's calendar was disconnected"),
                p(account),
            ],
        });
        rows.push(Row {
            statement: CANCEL_MEETINGS,
            values: vec![p(org.as_str()), now.into(), p(prefix), p(account)],
        });
    }
    rows.push(Row {
        statement: DROP_SOURCES,
        values: vec![org.as_str().into(), account.into()],
    });
    rows
}

/// A calendar a push channel watches.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CalendarSource {
    pub id: String,
    pub org_id: OrgId,
    pub user_id: UserId,
    pub kind: String,
    pub location: String,
    pub channel_id: Option<String>,
    pub channel_token: Option<String>,
    /// The connected account whose calendar this is (Google watch channels).
    pub account_id: Option<String>,
    /// Google's id of the watched resource (to stop the channel).
    pub resource_id: Option<String>,
    /// When the channel expires (ms).
    pub expires_at: Option<i64>,
}

/// A watch channel Google opened.
#[derive(Debug, Clone)]
pub struct Channel<'a> {
    pub id: &'a str,
    pub token: &'a str,
    pub resource_id: &'a str,
    pub expires_at: i64,
}

const SOURCE_COLUMNS: &str = "id, org_id, user_id, kind, location, channel_id, channel_token, account_id, resource_id, expires_at";

#[easy_ext::ext(CalendarTables)]
impl Store {
    /// Add a calendar source watched by push channel `channel_id`.
    pub async fn add_calendar_source(
        &self,
        org: &OrgId,
        user: &UserId,
        kind: &str,
        location: &str,
        channel: Option<(&str, &str)>,
    ) -> Result<String, StoreError> {
        let id = baton_store::new_id();
        on_pool!(self, pool => sqlx::query(
                "INSERT INTO calendar_sources (id, org_id, user_id, kind, location, channel_id, channel_token)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)")
            .bind(&id).bind(org).bind(user).bind(kind).bind(location)
            .bind(channel.map(|c| c.0)).bind(channel.map(|c| c.1)).execute(pool).await.map(drop))?;
        Ok(id)
    }

    /// The calendar source a push channel belongs to. Channel ids are ours
    /// (set when watching), unique across orgs.
    pub async fn calendar_by_channel(
        &self,
        channel_id: &str,
    ) -> Result<Option<CalendarSource>, StoreError> {
        let sql = format!("SELECT {SOURCE_COLUMNS} FROM calendar_sources WHERE channel_id = $1");
        Ok(on_pool!(self, pool => sqlx::query_as(&sql)
            .bind(channel_id).fetch_optional(pool).await)?)
    }

    /// Mark a calendar as changed: the next sync re-reads it.
    pub async fn request_calendar_sync(
        &self,
        org: &OrgId,
        id: &str,
        now: i64,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => sqlx::query(
                "UPDATE calendar_sources SET sync_requested_at = $1 WHERE org_id = $2 AND id = $3")
            .bind(now).bind(org).bind(id).execute(pool).await.map(drop))?;
        Ok(())
    }

    /// Calendars whose sync was requested and not yet taken up.
    pub async fn calendars_to_sync(&self) -> Result<Vec<CalendarSource>, StoreError> {
        let sql = format!(
            "SELECT {SOURCE_COLUMNS} FROM calendar_sources
             WHERE sync_requested_at IS NOT NULL"
        );
        Ok(on_pool!(self, pool => sqlx::query_as(&sql).fetch_all(pool).await)?)
    }

    /// The calendar source of a connected account's calendar `location`.
    pub async fn account_calendar(
        &self,
        account_id: &str,
        location: &str,
    ) -> Result<Option<CalendarSource>, StoreError> {
        let sql = format!(
            "SELECT {SOURCE_COLUMNS} FROM calendar_sources WHERE account_id = $1 AND location = $2"
        );
        Ok(on_pool!(self, pool => sqlx::query_as(&sql)
            .bind(account_id).bind(location).fetch_optional(pool).await)?)
    }

    /// Record the watch channel now open on an account's calendar
    /// (creating its source row the first time).
    pub async fn set_calendar_channel(
        &self,
        org: &OrgId,
        user: &UserId,
        account_id: &str,
        kind: &str,
        location: &str,
        channel: &Channel<'_>,
    ) -> Result<(), StoreError> {
        let id = baton_store::new_id();
        on_pool!(self, pool => sqlx::query(
                "INSERT INTO calendar_sources (id, org_id, user_id, kind, location, channel_id,
                     channel_token, account_id, resource_id, expires_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                 ON CONFLICT (account_id, location) DO UPDATE SET
                     channel_id = excluded.channel_id, channel_token = excluded.channel_token,
                     resource_id = excluded.resource_id, expires_at = excluded.expires_at")
            .bind(&id).bind(org).bind(user).bind(kind).bind(location).bind(channel.id)
            .bind(channel.token).bind(account_id).bind(channel.resource_id).bind(channel.expires_at)
            .execute(pool).await.map(drop))?;
        Ok(())
    }

    /// Take up a calendar's sync request before reading it: true for
    /// exactly one caller. A push arriving during the read asks again.
    pub async fn claim_calendar_sync(&self, id: &str, now: i64) -> Result<bool, StoreError> {
        let n = on_pool!(self, pool => sqlx::query(
                "UPDATE calendar_sources SET sync_requested_at = NULL, synced_at = $1
                 WHERE id = $2 AND sync_requested_at IS NOT NULL")
            .bind(now).bind(id).execute(pool).await.map(|r| r.rows_affected()))?;
        Ok(n == 1)
    }
}
