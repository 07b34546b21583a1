//! Events at the door, validated in the spec's order (after a check that
//! every text can be stored: no NUL anywhere): the org and user
//! exist; the type is enabled for the org (and its sequence can run); the
//! payload is an object of the shape the sequence declares; quiet
//! hours defer the job to the next active window (never drop it); the
//! budget allows the sequence's estimate; a duplicate is skipped. Every
//! refusal is recorded with its reason.

use super::budget::{self, period};
use super::conductor::{Orchestrator, OrchestratorError};
pub use super::event::{Event, FeedCursor, Reason, Submitted};
use super::quiet::quiet_until;
use super::sequence::{Sequence, SequenceError};
use crate::store::text::{has_nul, nul_at, nul_message, storable};
use crate::store::{Inserted, NewJob, NewRefusal, OrgId};
use serde_json::Value;
use sha2::{Digest, Sha256};

/// Longest accepted idempotency key.
const MAX_KEY: usize = 200;

impl Orchestrator {
    /// Validate `event` and create its job, or record why not.
    pub async fn submit(&self, event: &Event) -> Result<Submitted, OrchestratorError> {
        let outcome = self.admit(event).await?;
        count(&outcome);
        Ok(outcome)
    }

    /// Submit `events` and record how far their feed was read in the same
    /// transaction (a mailbox's history id): a crash before it leaves both
    /// undone, after it both done. Each event is checked as by
    /// [`Orchestrator::submit`]; refusals do not hold the cursor back.
    pub async fn submit_and_advance(
        &self,
        events: &[Event],
        cursor: &FeedCursor<'_>,
    ) -> Result<Vec<Submitted>, OrchestratorError> {
        let mut checked = Vec::with_capacity(events.len());
        for event in events {
            checked.push(self.check(event).await?);
        }
        let jobs: Vec<&NewJob> = checked.iter().filter_map(|c| c.as_ref().ok()).collect();
        let mut inserted = self
            .store
            .insert_jobs_and_cursor(
                &jobs,
                cursor.account,
                cursor.feed,
                cursor.cursor,
                cursor.lease,
                self.clock.now_ms(),
            )
            .await?
            .into_iter();
        let mut out = Vec::with_capacity(events.len());
        for (event, checked) in events.iter().zip(checked) {
            let outcome = match checked {
                Err(refused) => refused,
                Ok(job) => {
                    let Some(ins) = inserted.next() else {
                        return Err(crate::store::StoreError::Corrupt(
                            "fewer insert results than jobs".into(),
                        )
                        .into());
                    };
                    self.settle(event, &job, ins).await?
                }
            };
            count(&outcome);
            out.push(outcome);
        }
        Ok(out)
    }

    async fn admit(&self, event: &Event) -> Result<Submitted, OrchestratorError> {
        match self.check(event).await? {
            Err(refused) => Ok(refused),
            Ok(job) => {
                let inserted = self.store.insert_job(&job, self.clock.now_ms()).await?;
                self.settle(event, &job, inserted).await
            }
        }
    }

    /// Every check but the duplicate one: the job to insert, or the
    /// refusal (recorded).
    async fn check(&self, event: &Event) -> Result<Result<NewJob, Submitted>, OrchestratorError> {
        let now = self.clock.now_ms();
        // 0. Text the store can hold: nothing else is looked at before it.
        if let Some(field) = nul_field(event) {
            let key = event.idempotency_key.as_deref().unwrap_or_default();
            let detail = nul_message(&field);
            self.store
                .record_refusal(&NewRefusal {
                    org_slug: &storable(&event.org),
                    org_id: None,
                    user_handle: &storable(&event.user),
                    event_type: &storable(&event.event_type),
                    event_source: &storable(&event.source),
                    idempotency_key: &storable(key),
                    reason: Reason::InvalidPayload.code(),
                    detail: &detail,
                    now,
                })
                .await?;
            return Ok(Err(Submitted::Refused {
                reason: Reason::InvalidPayload,
                detail,
                job_id: None,
            }));
        }
        let key = event.idempotency_key.clone().unwrap_or_default();
        let refuse = |org_id: Option<OrgId>, reason: Reason, detail: String, job_id| async move {
            self.store
                .record_refusal(&NewRefusal {
                    org_slug: &event.org,
                    org_id: org_id.as_ref(),
                    user_handle: &event.user,
                    event_type: &event.event_type,
                    event_source: &event.source,
                    idempotency_key: &key,
                    reason: reason.code(),
                    detail: &detail,
                    now,
                })
                .await?;
            Ok::<_, OrchestratorError>(Submitted::Refused {
                reason,
                detail,
                job_id,
            })
        };
        // 1. Org and user.
        let Some(org) = self.store.org_by_slug(&event.org).await? else {
            let detail = format!("no org `{}`", event.org);
            return refuse(None, Reason::UnknownOrg, detail, None)
                .await
                .map(Err);
        };
        let Some(user) = self.store.user_by_handle(&org.id, &event.user).await? else {
            let detail = format!("org `{}` has no user `{}`", event.org, event.user);
            return refuse(Some(org.id), Reason::UnknownUser, detail, None)
                .await
                .map(Err);
        };
        // 2. The type: enabled, with a sequence whose skills are installed.
        let sequences = self.sequences();
        let Some(seq) = sequences.get(&event.event_type) else {
            let known: Vec<_> = sequences.iter().map(|s| s.event.as_str()).collect();
            let detail = format!(
                "no sequence handles `{}` (known: {})",
                event.event_type,
                known.join(", ")
            );
            return refuse(Some(org.id), Reason::UnknownType, detail, None)
                .await
                .map(Err);
        };
        if self.store.feature(&org.id, &event.event_type).await? == Some(false) {
            let detail = format!("`{}` is disabled for org `{}`", event.event_type, org.slug);
            return refuse(Some(org.id), Reason::Disabled, detail, None)
                .await
                .map(Err);
        }
        let missing = self.missing_skills(seq);
        if !missing.is_empty() {
            let detail = format!(
                "the {} sequence needs skills that are not installed: {}",
                seq.event,
                missing.join(", ")
            );
            return refuse(Some(org.id), Reason::SequenceUnavailable, detail, None)
                .await
                .map(Err);
        }
        if !event.payload.is_object() {
            let detail = "the payload must be a JSON object".to_owned();
            return refuse(Some(org.id), Reason::InvalidPayload, detail, None)
                .await
                .map(Err);
        }
        // The shape the sequence declares for its payload, when it does.
        if let Some(schema) = &seq.payload
            && let Err(violations) = schema.check(&event.payload)
        {
            let detail = format!(
                "the `{}` payload is not the shape its sequence takes: {violations}",
                event.event_type
            );
            return refuse(Some(org.id), Reason::InvalidPayload, detail, None)
                .await
                .map(Err);
        }
        let key = match idempotency_key(event, seq) {
            Ok(k) => k,
            Err(detail) => {
                return refuse(Some(org.id), Reason::InvalidPayload, detail, None)
                    .await
                    .map(Err);
            }
        };
        // 3. Quiet hours defer; they never drop.
        let prefs = self.store.preferences(&org.id, &user.id).await?;
        let mut scheduled_at = now;
        if let (Some(start), Some(end)) = (prefs.quiet_start_min, prefs.quiet_end_min)
            && let Ok(tz) = jiff::tz::TimeZone::get(&prefs.timezone)
            && let Some(until) = quiet_until(now, &tz, start, end)
        {
            scheduled_at = until;
        }
        // 4. Budget: the estimate must fit in what is left.
        if let Some(limit) = self.store.budget(&org.id).await? {
            let left = limit - self.store.spent(&org.id, &period(now)).await?;
            let estimate = self.estimate(&org.id, seq).await?;
            if left <= 0 || estimate > left {
                let detail = format!(
                    "the {} sequence is estimated at ${:.4}; ${:.4} of the budget is left for {}",
                    seq.event,
                    estimate as f64 / 1e6,
                    left.max(0) as f64 / 1e6,
                    period(now)
                );
                return refuse(Some(org.id), Reason::Budget, detail, None)
                    .await
                    .map(Err);
            }
        }
        // 5. Duplicates: the key is unique per org, found when inserting.
        let mut job = NewJob {
            org_id: org.id.clone(),
            user_id: user.id,
            event_type: event.event_type.clone(),
            event_source: event.source.clone(),
            idempotency_key: key.clone(),
            parent_job_id: None,
            chain_depth: 1,
            payload: event.payload.clone(),
            sequence_name: seq.event.clone(),
            sequence_hash: seq.hash.clone(),
            sequence_version: seq.version,
            scheduled_at,
            rows: Vec::new(),
        };
        // What an app stores once leaves the payload first, so the rows
        // the apps write read the job as it will be held.
        let attached = super::set_aside::set_aside(
            self.extensions(),
            &job.org_id,
            &job.event_type,
            &mut job.payload,
            now,
        );
        job.rows = attached.into_iter().collect();
        let admitted = self.admitted_rows(&job, now).await;
        job.rows.extend(admitted);
        Ok(Ok(job))
    }

    /// What the apps write with `job` when it is inserted
    /// ([`super::conductor::Extension::admitted`]). An app that cannot say
    /// refuses nothing: the event is taken without its rows, and why is
    /// logged.
    async fn admitted_rows(&self, job: &NewJob, now: i64) -> Vec<crate::store::Row> {
        let mut rows = Vec::new();
        for app in self.extensions().iter() {
            match app.admitted(&self.store, job, now).await {
                Ok(r) => rows.extend(r),
                Err(e) => tracing::warn!(
                    app = app.name(),
                    event = %job.event_type,
                    error = %crate::runtime::report::Report(&e),
                    "an app's rows for a new job could not be read; the job is taken without them"
                ),
            }
        }
        rows
    }

    /// What became of a checked event's insert.
    async fn settle(
        &self,
        event: &Event,
        job: &NewJob,
        inserted: Inserted,
    ) -> Result<Submitted, OrchestratorError> {
        let (now, scheduled_at, key) =
            (self.clock.now_ms(), job.scheduled_at, &job.idempotency_key);
        let org_id = &job.org_id;
        match inserted {
            Inserted::New(job_id) => {
                if scheduled_at <= now {
                    self.to_run.notify_one();
                }
                // What the app recorded may move an open suggestion's
                // inputs on; a failed check waits for the next pass.
                if !job.rows.is_empty()
                    && let Err(e) = self.supersede_moved_on(Some(org_id)).await
                {
                    tracing::warn!(error = %e, "open suggestions not checked after a new event; the scheduler's pass will");
                }
                Ok(Submitted::Accepted {
                    job_id,
                    scheduled_at,
                    deferred: scheduled_at > now,
                })
            }
            Inserted::Duplicate(existing) => {
                let detail = format!("job {existing} already handles `{key}`");
                self.store
                    .record_refusal(&NewRefusal {
                        org_slug: &event.org,
                        org_id: Some(org_id),
                        user_handle: &event.user,
                        event_type: &event.event_type,
                        event_source: &event.source,
                        idempotency_key: key,
                        reason: Reason::Duplicate.code(),
                        detail: &detail,
                        now,
                    })
                    .await?;
                Ok(Submitted::Refused {
                    reason: Reason::Duplicate,
                    detail,
                    job_id: Some(existing),
                })
            }
        }
    }

    /// Skills `seq` names that the registry does not have.
    pub fn missing_skills(&self, seq: &Sequence) -> Vec<String> {
        let mut out: Vec<String> = seq
            .skills()
            .map(|(s, _)| s)
            .filter(|s| self.registry.get(s).is_none())
            .map(str::to_owned)
            .collect();
        out.dedup();
        out
    }

    /// Steps of the serving sequences whose params break the params schema
    /// of their skill's live version, at their `file:line:col`.
    pub fn invalid_params(&self) -> Vec<SequenceError> {
        self.sequences()
            .invalid_params(|s| self.registry.get(s).map(|k| k.params_schema.clone()))
    }

    /// Once the skills have loaded or changed: lay the flow sequences out
    /// from the skills' declared data flow and check every step's params
    /// against its skill; returns the problems (each such file keeps its
    /// previous sequence, or is not served).
    pub fn settle_sequences(&self) -> Vec<SequenceError> {
        self.live_sequences
            .settle(|s| super::sequence::check_against(&self.registry, s))
    }

    /// The expected cost of running `seq` for `org`: each step's recent mean,
    /// or the sequence's per-step estimate for a skill with no history.
    pub(crate) async fn estimate(
        &self,
        org: &OrgId,
        seq: &Sequence,
    ) -> Result<i64, OrchestratorError> {
        Ok(budget::estimate(&self.store, org, seq).await?)
    }
}

/// Count an outcome in `/metrics`.
fn count(outcome: &Submitted) {
    crate::metrics::event(match outcome {
        Submitted::Accepted { .. } => None,
        Submitted::Refused { reason, .. } => Some(reason.code()),
    });
}

/// The first field of `event` whose text holds a NUL character.
fn nul_field(event: &Event) -> Option<String> {
    let texts = [
        ("org", event.org.as_str()),
        ("user", event.user.as_str()),
        ("type", event.event_type.as_str()),
        ("source", event.source.as_str()),
        (
            "idempotency_key",
            event.idempotency_key.as_deref().unwrap_or(""),
        ),
    ];
    texts
        .iter()
        .find(|(_, t)| has_nul(t))
        .map(|(name, _)| (*name).to_owned())
        .or_else(|| nul_at(&event.payload, "payload"))
}

/// The key that makes a redelivered event a duplicate: the caller's, or
/// `type:value-of-dedupe_key`, or `type:sha256(payload)`.
fn idempotency_key(event: &Event, seq: &Sequence) -> Result<String, String> {
    if let Some(k) = &event.idempotency_key {
        if k.is_empty() || k.len() > MAX_KEY || k.chars().any(char::is_control) {
            return Err(format!(
                "an idempotency key must be 1 to {MAX_KEY} printable characters"
            ));
        }
        return Ok(k.clone());
    }
    match &seq.dedupe_key {
        Some(field) => match event.payload.get(field) {
            Some(Value::String(s)) if !s.is_empty() => Ok(format!("{}:{s}", event.event_type)),
            Some(Value::Number(n)) => Ok(format!("{}:{n}", event.event_type)),
            _ => Err(format!(
                "the payload needs `{field}` (a string or number) to tell one {} event from another, \
                 or pass an idempotency key",
                event.event_type
            )),
        },
        None => {
            let digest = Sha256::digest(event.payload.to_string().as_bytes());
            Ok(format!("{}:{}", event.event_type, hex::encode(digest)))
        }
    }
}
