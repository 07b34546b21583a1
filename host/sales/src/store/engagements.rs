//! Engagements and their event logs (`engagements`, `engagement_events`,
//! `engagement_inputs`). [`EngagementTables::advance_engagement`] is the
//! one way an engagement changes: in one transaction it takes the
//! happening's key (a retry changes nothing twice), holds the deal's row,
//! applies the happening to the state (starting one at the deal's CRM
//! stage if there is none), appends the log entries, and moves the deal's
//! CRM stage when the engagement's stage maps to another. Every query is
//! scoped to an org.

use crate::engagement::{Engagement, EventType, Happening, Outcome, Workflow};
use baton_store::reach::team_filter;
use baton_store::{OrgId, Reach, Store, StoreError, new_id, on_pool};
use serde::Serialize;

/// An entry of an engagement's event log.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct EngagementEvent {
    pub id: String,
    pub seq: i64,
    #[sqlx(try_from = "String")]
    pub event_type: EventTypeText,
    pub actor: String,
    pub at: i64,
    /// The workflow event that made it, e.g. `proposal_accepted`.
    pub happening: String,
    pub related_artifact: Option<String>,
    pub related_track: Option<String>,
    pub decision: Option<String>,
    pub evidence: Option<String>,
    pub notes: Option<String>,
    pub from_stage: Option<String>,
    pub to_stage: Option<String>,
}

/// An [`EventType`] read from its column.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(transparent)]
pub struct EventTypeText(pub EventType);

impl TryFrom<String> for EventTypeText {
    type Error = StoreError;
    fn try_from(s: String) -> Result<Self, StoreError> {
        EventType::parse(&s).map(EventTypeText)
    }
}

/// An open deal in a rep's reach and where its engagement stands.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct DealLine {
    pub id: String,
    pub name: String,
    pub crm_stage: String,
    /// `None` until something happened to its engagement.
    pub stage: Option<String>,
    pub status: Option<String>,
}

/// What [`EngagementTables::advance_engagement`] did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Advanced {
    /// `None` when the happening's key was already taken: nothing changed.
    pub outcome: Option<Outcome>,
    pub state: Engagement,
}

#[derive(sqlx::FromRow)]
struct StateRow {
    state: String,
}

fn read(row: StateRow, deal: &str) -> Result<Engagement, StoreError> {
    serde_json::from_str(&row.state).map_err(StoreError::json(format!("engagement of deal {deal}")))
}

const EVENT_COLUMNS: &str = "id, CAST(seq AS BIGINT) AS seq, event_type, actor,
    CAST(at AS BIGINT) AS at, happening, related_artifact, related_track, decision, evidence,
    notes, from_stage, to_stage";

#[easy_ext::ext(EngagementTables)]
impl Store {
    /// The deal's engagement, if one has started.
    pub async fn engagement(
        &self,
        org: &OrgId,
        deal: &str,
    ) -> Result<Option<Engagement>, StoreError> {
        let row: Option<StateRow> = on_pool!(self, pool => sqlx::query_as(
                "SELECT state FROM engagements WHERE org_id = $1 AND deal_id = $2")
            .bind(org).bind(deal).fetch_optional(pool).await)?;
        row.map(|r| read(r, deal)).transpose()
    }

    /// `org`'s open deals owned within `reach`, those whose engagement is
    /// blocked first, then the most recently moved, then by name.
    pub async fn deal_lines(
        &self,
        org: &OrgId,
        reach: &Reach,
        limit: i64,
    ) -> Result<Vec<DealLine>, StoreError> {
        let sql = format!(
            "SELECT d.id, d.name, d.stage AS crm_stage, e.stage, e.status
             FROM deals d LEFT JOIN engagements e ON e.org_id = d.org_id AND e.deal_id = d.id
             WHERE d.org_id = $1 AND d.stage NOT IN ('closed_won', 'closed_lost')
               AND (CAST($3 AS TEXT) IS NULL OR (d.owner_user_id IS NOT NULL AND {}))
             ORDER BY CASE WHEN e.status = 'blocked' THEN 0 ELSE 1 END,
                      COALESCE(e.updated_at, 0) DESC, d.name, d.id
             LIMIT $2",
            team_filter("d.owner_user_id", "$3")
        );
        Ok(on_pool!(self, pool => sqlx::query_as(&sql)
            .bind(org).bind(limit).bind(reach.head()).fetch_all(pool).await)?)
    }

    /// The deal's event log, oldest first.
    pub async fn engagement_events(
        &self,
        org: &OrgId,
        deal: &str,
    ) -> Result<Vec<EngagementEvent>, StoreError> {
        let sql = format!(
            "SELECT {EVENT_COLUMNS} FROM engagement_events WHERE org_id = $1 AND deal_id = $2
             ORDER BY seq"
        );
        Ok(on_pool!(self, pool => sqlx::query_as(&sql)
            .bind(org).bind(deal).fetch_all(pool).await)?)
    }

    /// Apply `h` to `deal`'s engagement under `w`, once per `key` on that
    /// deal:
    /// [`StoreError::NotFound`] when `org` has no such deal,
    /// [`StoreError::Stale`] when the state refuses it (a decision on a
    /// conflict that does not stand), and nothing is stored.
    pub async fn advance_engagement(
        &self,
        org: &OrgId,
        deal: &str,
        w: &Workflow,
        key: &str,
        h: &Happening,
        now: i64,
    ) -> Result<Advanced, StoreError> {
        let done: Result<Option<(Outcome, Engagement)>, StoreError> = on_pool!(self, pool => async {
            let mut tx = pool.begin().await?;
            let fresh = sqlx::query(
                    "INSERT INTO engagement_inputs (org_id, key, deal_id, at) VALUES ($1, $2, $3, $4)
                     ON CONFLICT (org_id, deal_id, key) DO NOTHING")
                .bind(org).bind(key).bind(deal).bind(now)
                .execute(&mut *tx).await?.rows_affected() == 1;
            if !fresh {
                tx.rollback().await?;
                return Ok(None);
            }
            // Held to the commit (a row lock on Postgres, the write lock on
            // SQLite): two happenings on one deal apply one after the other.
            let crm_stage: Option<String> = sqlx::query_scalar(
                    "UPDATE deals SET updated_at = updated_at WHERE org_id = $1 AND id = $2
                     RETURNING stage")
                .bind(org).bind(deal).fetch_optional(&mut *tx).await?;
            let Some(crm_stage) = crm_stage else {
                tx.rollback().await?;
                return Err(StoreError::NotFound(format!("deal {deal}")));
            };
            let held: Option<StateRow> = sqlx::query_as(
                    "SELECT state FROM engagements WHERE org_id = $1 AND deal_id = $2")
                .bind(org).bind(deal).fetch_optional(&mut *tx).await?;
            let mut state = match held {
                Some(row) => read(row, deal)?,
                None => Engagement::start(w, deal, &crm_stage),
            };
            let (outcome, log) = match state.apply(w, h, now) {
                Ok(done) => done,
                Err(refused) => {
                    tx.rollback().await?;
                    return Err(StoreError::Stale(refused.0));
                }
            };
            let json = serde_json::to_string(&state)
                .map_err(StoreError::json(format!("engagement of deal {deal}")))?;
            sqlx::query(
                    "INSERT INTO engagements (org_id, deal_id, workflow_type, workflow_version,
                         stage, status, state, revision, created_at, updated_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $8)
                     ON CONFLICT (org_id, deal_id) DO UPDATE SET
                         workflow_type = excluded.workflow_type,
                         workflow_version = excluded.workflow_version,
                         stage = excluded.stage, status = excluded.status,
                         state = excluded.state,
                         revision = engagements.revision + 1,
                         updated_at = excluded.updated_at")
                .bind(org).bind(deal).bind(&state.workflow_type)
                .bind(i64::from(state.workflow_version)).bind(&state.stage)
                .bind(state.status.as_str()).bind(&json).bind(now)
                .execute(&mut *tx).await?;
            let last: i64 = sqlx::query_scalar(
                    "SELECT CAST(COALESCE(MAX(seq), 0) AS BIGINT) FROM engagement_events
                     WHERE org_id = $1 AND deal_id = $2")
                .bind(org).bind(deal).fetch_one(&mut *tx).await?;
            for (n, e) in (last + 1..).zip(&log) {
                sqlx::query(
                        "INSERT INTO engagement_events (id, org_id, deal_id, seq, event_type, actor,
                             at, happening, related_artifact, related_track, decision, evidence,
                             notes, from_stage, to_stage)
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)")
                    .bind(new_id()).bind(org).bind(deal).bind(n)
                    .bind(e.event_type.as_str()).bind(&h.actor).bind(now).bind(&h.event)
                    .bind(&e.artifact).bind(&e.track).bind(&e.decision).bind(&e.evidence)
                    .bind(&e.notes).bind(&e.from_stage).bind(&e.to_stage)
                    .execute(&mut *tx).await?;
            }
            // The CRM follows the stage, when the workflow maps it.
            if let Outcome::Moved { to, .. } = &outcome
                && let Some(mapped) = w.stage(to).and_then(|s| s.crm_stage.as_deref())
                && mapped != crm_stage
            {
                sqlx::query("UPDATE deals SET stage = $3, updated_at = $4
                             WHERE org_id = $1 AND id = $2")
                    .bind(org).bind(deal).bind(mapped).bind(now)
                    .execute(&mut *tx).await?;
            }
            tx.commit().await?;
            Ok(Some((outcome, state)))
        }.await);
        match done? {
            Some((outcome, state)) => Ok(Advanced {
                outcome: Some(outcome),
                state,
            }),
            None => {
                let state = self
                    .engagement(org, deal)
                    .await?
                    .ok_or_else(|| StoreError::NotFound(format!("engagement of deal {deal}")))?;
                Ok(Advanced {
                    outcome: None,
                    state,
                })
            }
        }
    }
}
