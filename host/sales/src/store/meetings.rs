//! Meetings as calendar sync writes them: one row per event (or recurrence
//! instance) with an outside attendee, keyed by its external id, so a moved
//! event keeps its row id and a cancelled one keeps its row but never fires.
//! Attendee addresses are matched to CRM-lite contacts here and not kept.

use baton_store::{OrgId, Store, StoreError, UserId, new_id, on_pool};
use serde::Serialize;

/// A meeting that is on.
pub const CONFIRMED: &str = "confirmed";
/// A meeting called off (the scheduler skips it).
pub const CANCELLED: &str = "cancelled";

/// An event read from a rep's calendar.
#[derive(Debug, Clone)]
pub struct SyncedMeeting<'a> {
    pub user_id: &'a UserId,
    /// `provider:account:event[:instance]`: unique in the org.
    pub external_id: &'a str,
    pub title: &'a str,
    pub starts_at: i64,
    pub ends_at: Option<i64>,
    pub contact_id: Option<&'a str>,
    pub deal_id: Option<&'a str>,
}

/// A meeting of one day, for the morning brief.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct DayMeeting {
    pub id: String,
    pub title: String,
    pub starts_at: i64,
    pub ends_at: Option<i64>,
    pub contact_id: Option<String>,
    pub deal_id: Option<String>,
}

/// A meeting about to start, for `pre_meeting_90min`.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UpcomingMeeting {
    pub id: String,
    pub org_id: OrgId,
    pub user_id: UserId,
    pub external_id: Option<String>,
    pub contact_id: Option<String>,
    pub deal_id: Option<String>,
    pub title: String,
    pub starts_at: i64,
}

#[easy_ext::ext(MeetingTables)]
impl Store {
    /// Meetings with an owner starting in `[from, to)`, across orgs.
    pub async fn meetings_starting(
        &self,
        from: i64,
        to: i64,
    ) -> Result<Vec<UpcomingMeeting>, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_as(
                "SELECT id, org_id, user_id, external_id, contact_id, deal_id, title, starts_at FROM meetings
                 WHERE user_id IS NOT NULL AND status <> 'cancelled' AND starts_at >= $1 AND starts_at < $2 ORDER BY starts_at, id")
            .bind(from).bind(to).fetch_all(pool).await)?)
    }

    /// Write a synced event: a new row, or the same row (same id) with the
    /// event's new title, times and contact, confirmed again. Returns its id.
    pub async fn upsert_meeting(
        &self,
        org: &OrgId,
        m: &SyncedMeeting<'_>,
        now: i64,
    ) -> Result<String, StoreError> {
        let id = new_id();
        let title = baton_store::text::storable(m.title);
        on_pool!(self, pool => sqlx::query(
                "INSERT INTO meetings (id, org_id, external_id, user_id, contact_id, deal_id, title,
                     starts_at, ends_at, status, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'confirmed', $10)
                 ON CONFLICT (org_id, external_id) DO UPDATE SET
                     user_id = excluded.user_id, contact_id = excluded.contact_id,
                     deal_id = excluded.deal_id, title = excluded.title,
                     starts_at = excluded.starts_at, ends_at = excluded.ends_at,
                     status = 'confirmed', updated_at = excluded.updated_at")
            .bind(&id).bind(org).bind(m.external_id).bind(m.user_id).bind(m.contact_id)
            .bind(m.deal_id).bind(title.as_ref()).bind(m.starts_at).bind(m.ends_at).bind(now)
            .execute(pool).await.map(drop))?;
        let kept: String = on_pool!(self, pool => sqlx::query_scalar(
                "SELECT id FROM meetings WHERE org_id = $1 AND external_id = $2")
            .bind(org).bind(m.external_id).fetch_one(pool).await)?;
        Ok(kept)
    }

    /// Mark the meeting with `external_id` cancelled (if there is one).
    pub async fn cancel_meeting(
        &self,
        org: &OrgId,
        external_id: &str,
        now: i64,
    ) -> Result<bool, StoreError> {
        let n = on_pool!(self, pool => sqlx::query(
                "UPDATE meetings SET status = 'cancelled', updated_at = $1
                 WHERE org_id = $2 AND external_id = $3 AND status <> 'cancelled'")
            .bind(now).bind(org).bind(external_id).execute(pool).await.map(|r| r.rows_affected()))?;
        Ok(n > 0)
    }

    /// After a full read of a calendar's window `[from, to)`: cancel the
    /// meetings under `prefix` in that window that the read did not see
    /// (deleted, or no longer with an outside attendee). Returns how many.
    pub async fn cancel_meetings_not_seen(
        &self,
        org: &OrgId,
        prefix: &str,
        from: i64,
        to: i64,
        seen: &[String],
        now: i64,
    ) -> Result<usize, StoreError> {
        let rows: Vec<String> = on_pool!(self, pool => sqlx::query_scalar(
                "SELECT external_id FROM meetings WHERE org_id = $1
                 AND substr(external_id, 1, length($2)) = $2
                 AND starts_at >= $3 AND starts_at < $4 AND status <> 'cancelled'")
            .bind(org).bind(prefix).bind(from).bind(to).fetch_all(pool).await)?;
        let mut n = 0;
        for external in rows.iter().filter(|e| !seen.contains(e)) {
            n += usize::from(self.cancel_meeting(org, external, now).await?);
        }
        Ok(n)
    }

    /// A rep's confirmed meetings starting in `[from, to)`, earliest first.
    pub async fn meetings_between(
        &self,
        org: &OrgId,
        user: &UserId,
        from: i64,
        to: i64,
    ) -> Result<Vec<DayMeeting>, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_as(
                "SELECT id, title, starts_at, ends_at, contact_id, deal_id FROM meetings
                 WHERE org_id = $1 AND user_id = $2 AND starts_at >= $3 AND starts_at < $4
                 AND status <> 'cancelled' ORDER BY starts_at, id")
            .bind(org).bind(user).bind(from).bind(to).fetch_all(pool).await)?)
    }

    /// The CRM-lite contact with one of `emails` (case-insensitive), first
    /// in `emails` order, with that contact's newest open deal.
    pub async fn contact_with_open_deal(
        &self,
        org: &OrgId,
        emails: &[String],
    ) -> Result<Option<(String, Option<String>)>, StoreError> {
        for email in emails {
            let contact: Option<String> = on_pool!(self, pool => sqlx::query_scalar(
                    "SELECT id FROM contacts WHERE org_id = $1 AND lower(email) = lower($2)
                     ORDER BY id LIMIT 1")
                .bind(org).bind(email).fetch_optional(pool).await)?;
            let Some(contact) = contact else { continue };
            let deal: Option<String> = on_pool!(self, pool => sqlx::query_scalar(
                    "SELECT id FROM deals WHERE org_id = $1 AND contact_id = $2
                     AND stage NOT IN ('closed_won', 'closed_lost') ORDER BY created_at DESC, id LIMIT 1")
                .bind(org).bind(&contact).fetch_optional(pool).await)?;
            return Ok(Some((contact, deal)));
        }
        Ok(None)
    }
}
