//! A checkpoint: everything one stage of a job produced, written in one
//! transaction — the step runs, the job's new state and status, the effects
//! for the outbox, the cost charged, child jobs, gates, notifications and
//! do-not-contact flags, the capabilities its skills were denied, and the
//! rows extensions write with its steps (`rows.rs`).
//! Several checkpoints commit together (a group commit); each is guarded by
//! its worker's lease — owner, fencing token, not expired at the
//! checkpoint's `now` (see `jobs.rs`) — so a stale worker's checkpoint
//! writes nothing.

use super::do_not_contact::flag_in_tx;
use super::jobs::stale;
use super::rows::write_rows;
use super::text::{storable, storable_opt};
use super::{EffectId, GateId, JobId, JobStatus, OrgId, Store, StoreError, new_id, on_pool};
use serde_json::Value;

mod parts;

pub use parts::{
    Checkpoint, NewCharge, NewEffect, NewNotification, NewPendingAction, NewStepRun, Transition,
};

/// A job row's new values for one checkpoint.
struct JobWrite<'a> {
    status: JobStatus,
    scheduled: Option<i64>,
    owner: Option<&'a str>,
    lease: Option<i64>,
    error: Option<&'a str>,
    finished: Option<i64>,
}

impl<'a> JobWrite<'a> {
    fn of(cp: &'a Checkpoint) -> JobWrite<'a> {
        let mut w = JobWrite {
            status: JobStatus::Running,
            scheduled: None,
            owner: None,
            lease: None,
            error: None,
            finished: None,
        };
        match &cp.transition {
            Transition::Continue { lease_ms } => {
                w.owner = Some(&cp.lease.owner);
                w.lease = Some(cp.now + lease_ms);
            }
            Transition::Park => w.status = JobStatus::AwaitingApproval,
            Transition::Reschedule { at } => {
                w.status = JobStatus::Pending;
                w.scheduled = Some(*at);
            }
            Transition::Finish { status, error } => {
                w.status = *status;
                w.error = error.as_deref();
                w.finished = Some(cp.now);
            }
        }
        w
    }
}

/// The job's new state as stored: JSON text, or `None` (`Value::Null`) to
/// keep what is stored.
fn state(v: &Value) -> Option<String> {
    (!v.is_null()).then(|| v.to_string())
}

/// Rows per multi-row INSERT (18 parameters each stays far below both
/// backends' limits).
const ROWS_PER_INSERT: usize = 500;

impl Store {
    /// Commit checkpoints in one transaction. Each result says whether that
    /// checkpoint took (`Stale` if its worker had lost the lease: nothing of
    /// it is written). A database error fails them all.
    pub async fn commit(
        &self,
        batch: &[Checkpoint],
    ) -> Result<Vec<Result<(), StoreError>>, StoreError> {
        let results = on_pool!(self, pool => async {
            let mut tx = pool.begin().await?;
            let mut results = Vec::with_capacity(batch.len());
            let mut ok: Vec<&Checkpoint> = Vec::with_capacity(batch.len());
            // Every job's guarded UPDATE in one statement per chunk; the ids
            // it returns are the checkpoints that took.
            let mut taken = std::collections::HashSet::new();
            for chunk in batch.chunks(ROWS_PER_INSERT) {
                let mut q = sqlx::QueryBuilder::new(
                    "UPDATE sequence_jobs SET state = COALESCE(v.new_state, sequence_jobs.state), current_step = v.new_step, status = v.new_status,
                         scheduled_at = COALESCE(v.new_scheduled, sequence_jobs.scheduled_at),
                         lease_owner = v.new_owner, lease_expires_at = v.new_lease,
                         error = COALESCE(v.new_error, sequence_jobs.error), finished_at = v.new_finished,
                         updated_at = v.new_updated
                     FROM (SELECT column1 AS job_id, column2 AS job_org, column3 AS worker, column4 AS new_state,
                                  column5 AS new_step, column6 AS new_status, column7 AS new_scheduled,
                                  column8 AS new_owner, column9 AS new_lease, column10 AS new_error,
                                  column11 AS new_finished, column12 AS new_updated, column13 AS token FROM (");
                q.push_values(chunk, |mut b, cp| {
                    let t = JobWrite::of(cp);
                    b.push_bind(&cp.job_id).push_bind(&cp.org_id).push_bind(&cp.lease.owner)
                        .push_bind(state(&cp.state)).push_bind(cp.current_step).push_bind(t.status.as_str())
                        .push_bind(t.scheduled).push_bind(t.owner).push_bind(t.lease)
                        .push_bind(storable_opt(t.error).map(|e| e.into_owned()))
                        .push_bind(t.finished).push_bind(cp.now).push_bind(cp.lease.token);
                });
                q.push(") AS vv) AS v
                     WHERE sequence_jobs.id = v.job_id AND sequence_jobs.org_id = v.job_org
                       AND sequence_jobs.status = 'running' AND sequence_jobs.lease_owner = v.worker
                       AND sequence_jobs.lease_token = v.token AND sequence_jobs.lease_expires_at >= v.new_updated
                     RETURNING id");
                let ids: Vec<JobId> = q.build_query_scalar().fetch_all(&mut *tx).await?;
                taken.extend(ids);
            }
            for cp in batch {
                if !taken.contains(&cp.job_id) {
                    results.push(Err(stale(&cp.job_id, &cp.lease)));
                    continue;
                }
                for e in &cp.effects {
                    sqlx::query(
                        "INSERT INTO outbox (id, org_id, job_id, user_id, idempotency_key, kind, payload, status,
                             not_before, created_at, step_index, recipients)
                         VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', $8, $9, $10, $11)
                         ON CONFLICT (org_id, idempotency_key) DO NOTHING")
                        .bind(EffectId::fresh()).bind(&cp.org_id).bind(&cp.job_id).bind(&cp.user_id)
                        .bind(storable(&e.idempotency_key)).bind(e.kind.as_str()).bind(e.payload.to_string()).bind(e.not_before)
                        .bind(cp.now).bind(e.step_index).bind(e.recipients())
                        .execute(&mut *tx).await?;
                }
                for g in &cp.gates {
                    sqlx::query(
                        "INSERT INTO pending_actions (id, org_id, job_id, user_id, step_index, step_name, gate_key,
                             kind, pattern, title, body, options, status, expires_at, on_expiry, created_at, basis)
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'open', $13, $14, $15, $16)
                         ON CONFLICT (job_id, step_index, gate_key) DO NOTHING")
                        .bind(GateId::fresh()).bind(&cp.org_id).bind(&cp.job_id).bind(&cp.user_id).bind(g.step_index)
                        .bind(storable(&g.step_name)).bind(storable(&g.gate_key)).bind(g.kind.as_str()).bind(g.pattern.as_str())
                        .bind(storable(&g.title))
                        .bind(g.body.to_string()).bind(Value::from(g.options.clone()).to_string())
                        .bind(g.expires_at).bind(g.on_expiry.as_str()).bind(cp.now)
                        .bind(g.basis.as_ref().map(Value::to_string))
                        .execute(&mut *tx).await?;
                }
                for j in &cp.children {
                    let inserted = sqlx::query(
                        "INSERT INTO sequence_jobs (id, org_id, user_id, event_type, event_source, idempotency_key,
                             parent_job_id, chain_depth, payload, state, status, sequence_name, sequence_hash,
                             scheduled_at, created_at, updated_at, sequence_version)
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, '{}', 'pending', $10, $11, $12, $13, $13, $14)
                         ON CONFLICT (org_id, idempotency_key) DO NOTHING")
                        .bind(JobId::fresh()).bind(&j.org_id).bind(&j.user_id).bind(storable(&j.event_type))
                        .bind(storable(&j.event_source)).bind(storable(&j.idempotency_key)).bind(&j.parent_job_id).bind(j.chain_depth)
                        .bind(j.payload.to_string()).bind(&j.sequence_name).bind(&j.sequence_hash)
                        .bind(j.scheduled_at).bind(cp.now).bind(j.sequence_version)
                        .execute(&mut *tx).await?.rows_affected();
                    if inserted == 1 {
                        write_rows!(tx, &j.rows);
                    }
                }
                for n in &cp.notifications {
                    sqlx::query(
                        "INSERT INTO notifications (id, org_id, user_id, job_id, kind, channel, created_at,
                             dedupe_key, message)
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                         ON CONFLICT (org_id, dedupe_key) DO NOTHING")
                        .bind(new_id()).bind(&cp.org_id).bind(&cp.user_id).bind(&cp.job_id).bind(&n.kind)
                        .bind(&n.channel).bind(cp.now).bind(storable_opt(n.dedupe_key.as_deref()))
                        .bind(storable(&n.message))
                        .execute(&mut *tx).await?;
                }
                for d in &cp.denials {
                    sqlx::query(
                        "INSERT INTO capability_denials (id, org_id, job_id, step_index, step_name, attempt,
                             skill_name, capability, message, created_at)
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)")
                        .bind(new_id()).bind(&cp.org_id).bind(&cp.job_id).bind(d.step_index)
                        .bind(storable(&d.step_name)).bind(d.attempt).bind(&d.skill_name)
                        .bind(storable(&d.capability)).bind(storable(&d.message)).bind(cp.now)
                        .execute(&mut *tx).await?;
                }
                write_rows!(tx, &cp.rows);
                for sup in &cp.suppressions {
                    let job = Some(&cp.job_id);
                    let _flagged = flag_in_tx!(tx, &cp.org_id, sup, job, cp.now);
                }
                results.push(Ok(()));
                ok.push(cp);
            }
            // The per-step rows of the whole batch, a few statements in all.
            let runs: Vec<(&Checkpoint, &NewStepRun)> =
                ok.iter().flat_map(|cp| cp.step_runs.iter().map(move |r| (*cp, r))).collect();
            for chunk in runs.chunks(ROWS_PER_INSERT) {
                let mut q = sqlx::QueryBuilder::new(
                    "INSERT INTO step_runs (id, org_id, job_id, step_index, step_name, attempt, skill_name,
                         skill_version, skill_sha256, status, error_kind, error, fuel, cost_micros, duration_ms,
                         output, input, started_at, finished_at) ");
                q.push_values(chunk, |mut b, (cp, r)| {
                    b.push_bind(new_id()).push_bind(&cp.org_id).push_bind(&cp.job_id).push_bind(r.step_index)
                        .push_bind(storable(&r.step_name).into_owned()).push_bind(r.attempt).push_bind(&r.skill_name)
                        .push_bind(&r.skill_version).push_bind(&r.skill_sha256).push_bind(r.status.as_str())
                        .push_bind(&r.error_kind).push_bind(storable_opt(r.error.as_deref()).map(|e| e.into_owned())).push_bind(r.fuel).push_bind(r.cost_micros)
                        .push_bind(r.duration_ms).push_bind(r.output.as_ref().map(Value::to_string))
                        .push_bind(r.input.as_ref().map(Value::to_string)).push_bind(r.started_at).push_bind(cp.now);
                });
                q.push(" ON CONFLICT (job_id, step_index, attempt) DO UPDATE SET status = excluded.status,
                         error_kind = excluded.error_kind, error = excluded.error, output = excluded.output,
                         input = COALESCE(excluded.input, step_runs.input), finished_at = excluded.finished_at");
                q.build().execute(&mut *tx).await?;
            }
            let charges: Vec<(&Checkpoint, &NewCharge)> =
                ok.iter().flat_map(|cp| cp.charges.iter().map(move |c| (*cp, c))).collect();
            for chunk in charges.chunks(ROWS_PER_INSERT) {
                let mut q = sqlx::QueryBuilder::new(
                    "INSERT INTO cost_ledger (id, org_id, period, job_id, step_index, kind, quantity,
                         amount_micros, created_at) ");
                q.push_values(chunk, |mut b, (cp, c)| {
                    b.push_bind(new_id()).push_bind(&cp.org_id).push_bind(&c.period).push_bind(&cp.job_id)
                        .push_bind(c.step_index).push_bind(&c.kind).push_bind(c.quantity)
                        .push_bind(c.amount_micros).push_bind(cp.now);
                });
                q.build().execute(&mut *tx).await?;
            }
            // The running totals the budget check reads, in the same
            // transaction as the ledger rows they sum: one row per org,
            // period and writer, upserted in key order.
            let mut spend: std::collections::BTreeMap<(&OrgId, &str, &str), i64> =
                std::collections::BTreeMap::new();
            for (cp, c) in &charges {
                *spend
                    .entry((&cp.org_id, c.period.as_str(), cp.lease.owner.as_str()))
                    .or_default() += c.amount_micros;
            }
            let spend: Vec<_> = spend.into_iter().collect();
            for chunk in spend.chunks(ROWS_PER_INSERT) {
                let mut q = sqlx::QueryBuilder::new(
                    "INSERT INTO org_spend (org_id, period, writer, spent_micros) ");
                q.push_values(chunk, |mut b, ((org, period, writer), amount)| {
                    b.push_bind(*org).push_bind(*period).push_bind(*writer).push_bind(*amount);
                });
                q.push(" ON CONFLICT (org_id, period, writer) DO UPDATE
                         SET spent_micros = org_spend.spent_micros + excluded.spent_micros");
                q.build().execute(&mut *tx).await?;
            }
            tx.commit().await?;
            Ok::<_, sqlx::Error>(results)
        }.await)?;
        Ok(results)
    }
}
