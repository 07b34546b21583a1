//! Campaign days: each campaign's figures for one day as the daily
//! `campaign_check` read them from the provider (`monitor-campaigns`'s
//! output), written with the step's checkpoint and read back by the next
//! day's check to compare with (`host/sales/src/campaigns.rs`). Scoped to an
//! org; a re-run of the same day replaces the day's row.

use baton_store::{JobId, OrgId, Store, StoreError, on_pool};
use baton_store::{Param, Row};
use baton_types::campaigns::CampaignDay;

/// Insert or replace one day of one campaign (bound: org, campaign, day,
/// name, sent, opened, clicked, replied, job, now).
const UPSERT_DAY: &str =
    "INSERT INTO campaign_days (org_id, campaign_id, day, name, sent, opened, clicked, replied,
         job_id, recorded_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
     ON CONFLICT (org_id, campaign_id, day) DO UPDATE SET name = excluded.name,
         sent = excluded.sent, opened = excluded.opened, clicked = excluded.clicked,
         replied = excluded.replied, job_id = excluded.job_id, recorded_at = excluded.recorded_at";

/// The row that keeps `day` of job `job`'s org, written with the job's
/// checkpoint at `now`.
pub fn day_row(org: &OrgId, job: &JobId, now: i64, day: &CampaignDay) -> Row {
    let values: Vec<Param> = vec![
        org.as_str().into(),
        day.campaign_id.as_str().into(),
        day.date.as_str().into(),
        day.name.as_str().into(),
        day.sent.into(),
        day.opened.into(),
        day.clicked.into(),
        day.replied.into(),
        job.as_str().into(),
        now.into(),
    ];
    Row {
        statement: UPSERT_DAY,
        values,
    }
}

#[derive(sqlx::FromRow)]
struct DayRow {
    campaign_id: String,
    name: String,
    day: String,
    sent: i64,
    opened: i64,
    clicked: i64,
    replied: i64,
}

#[easy_ext::ext(CampaignTables)]
impl Store {
    /// The figures stored for `day` (`YYYY-MM-DD`), by campaign id.
    pub async fn campaign_days(
        &self,
        org: &OrgId,
        day: &str,
    ) -> Result<Vec<CampaignDay>, StoreError> {
        let rows: Vec<DayRow> = on_pool!(self, pool => sqlx::query_as(
                "SELECT campaign_id, name, day, sent, opened, clicked, replied FROM campaign_days
                 WHERE org_id = $1 AND day = $2 ORDER BY campaign_id")
            .bind(org).bind(day).fetch_all(pool).await)?;
        Ok(rows
            .into_iter()
            .map(|r| CampaignDay {
                campaign_id: r.campaign_id,
                name: r.name,
                date: r.day,
                sent: r.sent,
                opened: r.opened,
                clicked: r.clicked,
                replied: r.replied,
            })
            .collect())
    }
}
