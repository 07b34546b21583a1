//! Proposals the reps sent, their share links and who opened them: one row
//! per version of a deal's proposal (`proposals`), one per opening of its
//! link (`proposal_views`).
//!
//! A proposal is recorded when its `proposal_send` effect is delivered,
//! keyed by the effect's idempotency key (`source_key`), so a redelivery
//! adds nothing. Its status moves `sent → viewed` on the first opening and
//! `sent|viewed → accepted|declined` when the rep says so; each move is
//! one guarded `UPDATE`. Every query is scoped to an org except the share
//! token's lookup, where the token is the whole credential (it answers
//! only a live link).

use super::crm::CrmTables;
use baton_store::text_enum;
use baton_store::{JobId, OrgId, Store, StoreError, UserId, new_id, on_pool};
use baton_types::task::TaskAbout;
use serde::Serialize;

text_enum!(
    /// Where a proposal stands (`proposals.status`).
    ProposalStatus, "proposal status" {
        /// At its gate, not yet sent.
        Draft => "draft",
        /// Emailed, or published at its link.
        Sent => "sent",
        /// Its link was opened.
        Viewed => "viewed",
        Accepted => "accepted",
        Declined => "declined",
        /// A newer version was sent for the same deal: this one can no
        /// longer be answered.
        Superseded => "superseded",
    }
);

impl ProposalStatus {
    /// Whether the prospect may still answer it (it is out and undecided).
    pub fn awaiting(self) -> bool {
        matches!(self, ProposalStatus::Sent | ProposalStatus::Viewed)
    }
}

/// How long after one `proposal_viewed` notice the next may be sent (ms).
pub const NOTICE_EVERY_MS: i64 = 30 * 60 * 1000;

/// A stored proposal.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Proposal {
    pub id: String,
    pub org_id: OrgId,
    pub user_id: UserId,
    pub job_id: Option<JobId>,
    pub deal_id: Option<String>,
    pub contact_id: Option<String>,
    pub version: i64,
    pub status: ProposalStatus,
    pub title: String,
    pub amount_cents: Option<i64>,
    pub currency: String,
    /// The document as approved (a `baton_types::proposal::ProposalDoc`).
    pub document: serde_json::Value,
    #[serde(skip)]
    pub share_token: Option<String>,
    pub expires_at: Option<i64>,
    pub created_at: i64,
    pub sent_at: Option<i64>,
    pub first_viewed_at: Option<i64>,
    /// Why it is a fork beside the deal's main line (`separate audience:
    /// the CFO's version`); `None` on the main line.
    pub fork_reason: Option<String>,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: String,
    org_id: OrgId,
    user_id: UserId,
    job_id: Option<JobId>,
    deal_id: Option<String>,
    contact_id: Option<String>,
    version: i64,
    status: String,
    title: String,
    amount_cents: Option<i64>,
    currency: String,
    document: String,
    share_token: Option<String>,
    expires_at: Option<i64>,
    created_at: i64,
    sent_at: Option<i64>,
    first_viewed_at: Option<i64>,
    fork_reason: Option<String>,
}

impl TryFrom<Row> for Proposal {
    type Error = StoreError;
    fn try_from(r: Row) -> Result<Proposal, StoreError> {
        Ok(Proposal {
            status: ProposalStatus::parse(&r.status)?,
            document: serde_json::from_str(&r.document)
                .map_err(StoreError::json(format!("proposal {}", r.id)))?,
            id: r.id,
            org_id: r.org_id,
            user_id: r.user_id,
            job_id: r.job_id,
            deal_id: r.deal_id,
            contact_id: r.contact_id,
            version: r.version,
            title: r.title,
            amount_cents: r.amount_cents,
            currency: r.currency,
            share_token: r.share_token,
            expires_at: r.expires_at,
            created_at: r.created_at,
            sent_at: r.sent_at,
            first_viewed_at: r.first_viewed_at,
            fork_reason: r.fork_reason,
        })
    }
}

const COLUMNS: &str = "id, org_id, user_id, job_id, deal_id, contact_id,
    CAST(version AS BIGINT) AS version, status, title, amount_cents, currency, document,
    share_token, expires_at, created_at, sent_at, first_viewed_at, fork_reason";

/// A proposal going out, from its delivered effect.
#[derive(Debug, Clone)]
pub struct NewProposal<'a> {
    pub user: &'a UserId,
    pub job: &'a JobId,
    /// Kept only when the org's CRM has it.
    pub deal_id: Option<&'a str>,
    pub contact_id: Option<&'a str>,
    pub title: &'a str,
    pub amount_cents: i64,
    pub currency: &'a str,
    pub document: &'a serde_json::Value,
    pub share_token: &'a str,
    pub expires_at: i64,
    /// The effect's idempotency key.
    pub source_key: &'a str,
    /// Why it is a fork, when it is one (`separate scope: …`).
    pub fork_reason: Option<&'a str>,
}

/// One opening of a proposal's link.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct ProposalView {
    pub id: String,
    pub viewed_at: i64,
    pub user_agent: Option<String>,
}

/// What recording a view found.
#[derive(Debug, Clone, PartialEq)]
pub struct ViewRecorded {
    /// This view's row, or the one it was counted in (the same viewer
    /// within the window).
    pub view_id: String,
    /// Views so far, this one included once per viewer per window.
    pub count: i64,
    /// Whether this opening was counted (not the same viewer again
    /// within [`NOTICE_EVERY_MS`]).
    pub counted: bool,
    /// Whether the rep is to be told (no notice in the last
    /// [`NOTICE_EVERY_MS`]); claimed, so only one caller is told yes.
    pub notify: bool,
}

/// Proposal value waiting for the prospect's answer, in one currency.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct Awaiting {
    pub currency: String,
    /// The sum of their amounts, in minor units.
    pub amount_cents: i64,
    pub proposals: i64,
}

#[easy_ext::ext(ProposalTables)]
impl Store {
    /// Record a proposal sent (status `sent`, version the deal's next),
    /// or find the one its effect already recorded.
    pub async fn record_proposal(
        &self,
        org: &OrgId,
        p: &NewProposal<'_>,
        now: i64,
    ) -> Result<Proposal, StoreError> {
        let id = new_id();
        let document = p.document.to_string();
        on_pool!(self, pool => sqlx::query(
                "INSERT INTO proposals (id, org_id, user_id, job_id, deal_id, contact_id, version,
                     status, title, amount_cents, currency, document, share_token, expires_at,
                     source_key, created_at, sent_at, fork_reason)
                 SELECT $1, $2, $3, $4, d.id, c.id,
                     COALESCE((SELECT MAX(q.version) FROM proposals q
                               WHERE q.org_id = $2 AND q.deal_id = d.id), 0) + 1,
                     'sent', $7, $8, $9, $10, $11, $12, $13, $14, $14, $15
                 FROM (SELECT 1 AS one) AS x
                 LEFT JOIN deals d ON d.org_id = $2 AND d.id = $5
                 LEFT JOIN contacts c ON c.org_id = $2 AND c.id = $6
                 WHERE true
                 ON CONFLICT (org_id, source_key) DO NOTHING")
            .bind(&id).bind(org).bind(p.user).bind(p.job).bind(p.deal_id).bind(p.contact_id)
            .bind(p.title).bind(p.amount_cents).bind(p.currency).bind(&document)
            .bind(p.share_token).bind(p.expires_at).bind(p.source_key).bind(now)
            .bind(p.fork_reason)
            .execute(pool).await.map(drop))?;
        let sql = format!("SELECT {COLUMNS} FROM proposals WHERE org_id = $1 AND source_key = $2");
        let row: Row = on_pool!(self, pool => sqlx::query_as(&sql)
            .bind(org).bind(p.source_key).fetch_one(pool).await)?;
        let proposal = Proposal::try_from(row)?;
        // The proposal is out: the earlier versions of the main line still
        // awaiting an answer are superseded (one current proposal per deal;
        // a fork supersedes nothing and is superseded by nothing), and the
        // deal's "send the proposal" tasks are done.
        if let Some(deal) = &proposal.deal_id {
            if proposal.fork_reason.is_none() {
                on_pool!(self, pool => sqlx::query(
                        "UPDATE proposals SET status = 'superseded'
                         WHERE org_id = $1 AND deal_id = $2 AND version < $3
                           AND status IN ('sent', 'viewed') AND fork_reason IS NULL")
                    .bind(org).bind(deal).bind(proposal.version).execute(pool).await.map(drop))?;
            }
            self.close_tasks_about(org, deal, TaskAbout::Proposal, now)
                .await?;
        }
        Ok(proposal)
    }

    /// The live proposal behind a share token: sent, not expired at `now`.
    pub async fn proposal_by_token(
        &self,
        token: &str,
        now: i64,
    ) -> Result<Option<Proposal>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM proposals WHERE share_token = $1 AND expires_at > $2
             AND status IN ('sent', 'viewed', 'accepted', 'declined', 'superseded')"
        );
        let row: Option<Row> = on_pool!(self, pool => sqlx::query_as(&sql)
            .bind(token).bind(now).fetch_optional(pool).await)?;
        row.map(Proposal::try_from).transpose()
    }

    /// One of `org`'s proposals.
    pub async fn proposal(&self, org: &OrgId, id: &str) -> Result<Option<Proposal>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM proposals WHERE org_id = $1 AND id = $2");
        let row: Option<Row> = on_pool!(self, pool => sqlx::query_as(&sql)
            .bind(org).bind(id).fetch_optional(pool).await)?;
        row.map(Proposal::try_from).transpose()
    }

    /// `org`'s proposals, newest first: one rep's, or everyone's; in one
    /// status, or any.
    pub async fn proposals(
        &self,
        org: &OrgId,
        user: Option<&UserId>,
        status: Option<ProposalStatus>,
        limit: i64,
    ) -> Result<Vec<Proposal>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM proposals WHERE org_id = $1
             AND ($2 = '' OR user_id = $2) AND ($3 = '' OR status = $3)
             ORDER BY created_at DESC, id DESC LIMIT $4"
        );
        let user = user.map(UserId::as_str).unwrap_or("");
        let status = status.map(ProposalStatus::as_str).unwrap_or("");
        let rows: Vec<Row> = on_pool!(self, pool => sqlx::query_as(&sql)
            .bind(org).bind(user).bind(status).bind(limit).fetch_all(pool).await)?;
        rows.into_iter().map(Proposal::try_from).collect()
    }

    /// The versions of a deal's proposal, oldest first.
    pub async fn proposals_of_deal(
        &self,
        org: &OrgId,
        deal: &str,
    ) -> Result<Vec<Proposal>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM proposals WHERE org_id = $1 AND deal_id = $2
             ORDER BY version, created_at, id"
        );
        let rows: Vec<Row> = on_pool!(self, pool => sqlx::query_as(&sql)
            .bind(org).bind(deal).fetch_all(pool).await)?;
        rows.into_iter().map(Proposal::try_from).collect()
    }

    /// The proposals one of `org`'s jobs sent, oldest first.
    pub async fn proposals_of_job(
        &self,
        org: &OrgId,
        job: &JobId,
    ) -> Result<Vec<Proposal>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM proposals WHERE org_id = $1 AND job_id = $2
             ORDER BY created_at, id"
        );
        let rows: Vec<Row> = on_pool!(self, pool => sqlx::query_as(&sql)
            .bind(org).bind(job).fetch_all(pool).await)?;
        rows.into_iter().map(Proposal::try_from).collect()
    }

    /// Every opening of one of `org`'s proposals, oldest first.
    pub async fn proposal_views(
        &self,
        org: &OrgId,
        proposal: &str,
    ) -> Result<Vec<ProposalView>, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_as(
                "SELECT id, viewed_at, user_agent FROM proposal_views
                 WHERE org_id = $1 AND proposal_id = $2 ORDER BY viewed_at, id")
            .bind(org).bind(proposal).fetch_all(pool).await)?)
    }

    /// Record an opening of the link by `viewer` (an opaque key for one
    /// client): a view row, one per viewer per [`NOTICE_EVERY_MS`] window
    /// (a reload or a burst from one client is counted once); the first
    /// sets `first_viewed_at` and moves `sent` to `viewed`; and claim the
    /// notice when none went out in the last [`NOTICE_EVERY_MS`].
    pub async fn record_proposal_view(
        &self,
        org: &OrgId,
        proposal: &str,
        viewer: &str,
        user_agent: Option<&str>,
        now: i64,
    ) -> Result<ViewRecorded, StoreError> {
        let fresh_id = new_id();
        let agent: Option<String> = user_agent.map(|a| {
            baton_store::text::storable(&a.chars().take(300).collect::<String>()).into_owned()
        });
        let bucket = now.div_euclid(NOTICE_EVERY_MS);
        let (view_id, counted, count, notify) = on_pool!(self, pool => async {
            let mut tx = pool.begin().await?;
            let counted = sqlx::query(
                    "INSERT INTO proposal_views (id, org_id, proposal_id, viewed_at, user_agent, viewer, bucket)
                     VALUES ($1, $2, $3, $4, $5, $6, $7)
                     ON CONFLICT (org_id, proposal_id, viewer, bucket) DO NOTHING")
                .bind(&fresh_id).bind(org).bind(proposal).bind(now).bind(&agent)
                .bind(viewer).bind(bucket)
                .execute(&mut *tx).await?.rows_affected() == 1;
            if !counted {
                let view_id: String = sqlx::query_scalar(
                        "SELECT id FROM proposal_views
                         WHERE org_id = $1 AND proposal_id = $2 AND viewer = $3 AND bucket = $4")
                    .bind(org).bind(proposal).bind(viewer).bind(bucket)
                    .fetch_one(&mut *tx).await?;
                let count: i64 = sqlx::query_scalar(
                        "SELECT COUNT(*) FROM proposal_views WHERE org_id = $1 AND proposal_id = $2")
                    .bind(org).bind(proposal).fetch_one(&mut *tx).await?;
                tx.commit().await?;
                return Ok::<_, sqlx::Error>((view_id, false, count, false));
            }
            sqlx::query("UPDATE proposals SET first_viewed_at = COALESCE(first_viewed_at, $3),
                             status = CASE WHEN status = 'sent' THEN 'viewed' ELSE status END
                         WHERE org_id = $1 AND id = $2")
                .bind(org).bind(proposal).bind(now).execute(&mut *tx).await?;
            let notify = sqlx::query("UPDATE proposals SET notified_at = $3
                         WHERE org_id = $1 AND id = $2
                           AND (notified_at IS NULL OR notified_at <= $4)")
                .bind(org).bind(proposal).bind(now).bind(now - NOTICE_EVERY_MS)
                .execute(&mut *tx).await?.rows_affected() == 1;
            let count: i64 = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM proposal_views WHERE org_id = $1 AND proposal_id = $2")
                .bind(org).bind(proposal).fetch_one(&mut *tx).await?;
            tx.commit().await?;
            Ok::<_, sqlx::Error>((fresh_id, true, count, notify))
        }.await)?;
        Ok(ViewRecorded {
            view_id,
            count,
            counted,
            notify,
        })
    }

    /// The prospect's answer: only an undecided proposal that is out
    /// (`sent` or `viewed`) takes one; the same answer again is the
    /// proposal as it stands (a retry). [`StoreError::NotFound`] for none
    /// of `org`'s; [`StoreError::Stale`] from any other state.
    pub async fn set_proposal_status(
        &self,
        org: &OrgId,
        id: &str,
        to: ProposalStatus,
        now: i64,
    ) -> Result<Proposal, StoreError> {
        if !matches!(to, ProposalStatus::Accepted | ProposalStatus::Declined) {
            return Err(StoreError::Stale(format!(
                "a proposal cannot be set to `{to}`: only accepted or declined"
            )));
        }
        let moved = on_pool!(self, pool => sqlx::query(
                "UPDATE proposals SET status = $3
                 WHERE org_id = $1 AND id = $2 AND status IN ('sent', 'viewed')")
            .bind(org).bind(id).bind(to.as_str()).execute(pool).await
            .map(|r| r.rows_affected()))?;
        let p = self
            .proposal(org, id)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("proposal {id}")))?;
        if moved == 0 && p.status != to {
            return Err(StoreError::Stale(format!(
                "proposal {id} is {}; only a sent or viewed proposal can be {to}",
                p.status
            )));
        }
        // Accepted, it was certainly sent: a "send the proposal" task made
        // after it went out is done too.
        if let (ProposalStatus::Accepted, Some(deal)) = (to, &p.deal_id) {
            self.close_tasks_about(org, deal, TaskAbout::Proposal, now)
                .await?;
        }
        Ok(p)
    }

    /// Proposal value awaiting the prospect's answer (`sent` or `viewed`),
    /// summed per currency: the rep's, or the org's when `user` is `None`.
    pub async fn proposals_awaiting(
        &self,
        org: &OrgId,
        user: Option<&UserId>,
    ) -> Result<Vec<Awaiting>, StoreError> {
        let user = user.map(UserId::as_str).unwrap_or("");
        Ok(on_pool!(self, pool => sqlx::query_as(
                "SELECT currency, CAST(COALESCE(SUM(amount_cents), 0) AS BIGINT) AS amount_cents,
                        COUNT(*) AS proposals
                 FROM proposals WHERE org_id = $1 AND ($2 = '' OR user_id = $2)
                   AND status IN ('sent', 'viewed')
                 GROUP BY currency ORDER BY currency")
            .bind(org).bind(user).fetch_all(pool).await)?)
    }
}
