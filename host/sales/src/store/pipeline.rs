//! The daily pipeline scan's query: one rep's open deals with no activity
//! since a cutoff, most stale first, and its plan (`EXPLAIN`) on either
//! backend, so the tests can hold it to its indexes and the bench can show
//! it.
//!
//! A deal with a meeting on the calendar soon is not stale: its next step
//! is booked. Its meetings are found by deal and by contact, each a seek
//! on `meetings_deal_time` or `meetings_contact_time`.
//!
//! There is no `last_activity_at` column: a deal's newest activity is a
//! seek on `activities_deal_time (org_id, deal_id, occurred_at)` per deal,
//! and the rep's open deals come from `deals_owner (org_id, owner_user_id,
//! stage)`, so the scan reads the rep's deals and one index entry or two
//! per deal, never the activity table.

use super::crm::StaleDeal;
use baton_store::{OrgId, Pool, Store, StoreError, UserId, on_pool};

/// The rep's open deals quiet since `$3` with no meeting on the calendar
/// in `[$5, $6)` (on the deal, or with its contact), most stale first
/// (deals that never had an activity, then the longest quiet), at most
/// `$4`.
const SCAN: &str = "SELECT id, name, stage, last_activity_at, owner_user_id FROM (
        SELECT d.id, d.name, d.stage, d.owner_user_id,
            (SELECT MAX(a.occurred_at) FROM activities a
             WHERE a.org_id = d.org_id AND a.deal_id = d.id) AS last_activity_at
        FROM deals d
        WHERE d.org_id = $1 AND d.owner_user_id = $2
          AND d.stage NOT IN ('closed_won', 'closed_lost')
          AND NOT EXISTS (SELECT 1 FROM activities a
              WHERE a.org_id = d.org_id AND a.deal_id = d.id AND a.occurred_at >= $3)
          AND NOT EXISTS (SELECT 1 FROM meetings m
              WHERE m.org_id = d.org_id AND m.deal_id = d.id
                AND m.starts_at >= $5 AND m.starts_at < $6 AND m.status <> 'cancelled')
          AND NOT EXISTS (SELECT 1 FROM meetings m
              WHERE m.org_id = d.org_id AND m.contact_id = d.contact_id
                AND m.starts_at >= $5 AND m.starts_at < $6 AND m.status <> 'cancelled')
    ) quiet
    ORDER BY last_activity_at ASC NULLS FIRST, name
    LIMIT $4";

/// What the pipeline scan asks of one rep's deals (times in Unix ms).
#[derive(Debug, Clone, Copy)]
pub struct Scan {
    /// A deal with activity at or after this is not quiet.
    pub quiet_since: i64,
    /// A deal with a meeting starting in `[meetings_from, meetings_until)`
    /// has its next step booked.
    pub meetings_from: i64,
    pub meetings_until: i64,
    /// At most this many deals.
    pub limit: i64,
}

#[easy_ext::ext(PipelineTables)]
impl Store {
    /// `owner`'s open deals in `org` that `scan` finds quiet and with no
    /// meeting coming, most stale first.
    pub async fn stale_deals_of(
        &self,
        org: &OrgId,
        owner: &UserId,
        scan: &Scan,
    ) -> Result<Vec<StaleDeal>, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_as(SCAN)
            .bind(org).bind(owner).bind(scan.quiet_since).bind(scan.limit)
            .bind(scan.meetings_from).bind(scan.meetings_until)
            .fetch_all(pool).await)?)
    }

    /// The backend's plan for [`Store::stale_deals_of`] with these
    /// arguments, one line per plan node (SQLite's `EXPLAIN QUERY PLAN`,
    /// Postgres's `EXPLAIN`).
    pub async fn explain_stale_deals_of(
        &self,
        org: &OrgId,
        owner: &UserId,
        scan: &Scan,
    ) -> Result<Vec<String>, StoreError> {
        match self.pool() {
            Pool::Sqlite(pool) => {
                let rows: Vec<(i64, i64, i64, String)> =
                    sqlx::query_as(&format!("EXPLAIN QUERY PLAN {SCAN}"))
                        .bind(org)
                        .bind(owner)
                        .bind(scan.quiet_since)
                        .bind(scan.limit)
                        .bind(scan.meetings_from)
                        .bind(scan.meetings_until)
                        .fetch_all(pool)
                        .await?;
                Ok(rows.into_iter().map(|(_, _, _, detail)| detail).collect())
            }
            Pool::Postgres(pool) => {
                let rows: Vec<(String,)> = sqlx::query_as(&format!("EXPLAIN {SCAN}"))
                    .bind(org)
                    .bind(owner)
                    .bind(scan.quiet_since)
                    .bind(scan.limit)
                    .bind(scan.meetings_from)
                    .bind(scan.meetings_until)
                    .fetch_all(pool)
                    .await?;
                Ok(rows.into_iter().map(|(line,)| line).collect())
            }
        }
    }
}
