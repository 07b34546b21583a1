//! Erasing what an event carried by reference (a meeting's transcript)
//! everywhere its words went: the attachment keeps a tombstone (who, when,
//! why); the jobs that read it and their follow-ups have every stored text
//! that repeats its words rewritten ([`Words`]), in their payloads and
//! state, their steps' recorded inputs and outputs, their gates, effects,
//! notices and audit lines; what they still had to do is cancelled (a
//! draft made from erased words must not go out); so are the columns each
//! app names ([`super::conductor::Extension::erasable`]). A job with a step
//! running now refuses the erasure until it parks or ends. Asked again,
//! an erased attachment answers with its tombstone.

pub mod words;

use super::conductor::{Extension, Orchestrator, OrchestratorError};
use crate::store::{Content, Erase, Erasure, JobStatus, OrgId, Store, Tombstone};
use std::sync::Arc;
pub use words::Words;

/// What an erasure did.
#[derive(Debug, Clone, PartialEq)]
pub struct Erased {
    pub tombstone: Tombstone,
    /// The jobs that had read it.
    pub jobs: usize,
    pub rows: Erasure,
    /// It had been erased before: nothing was done this time.
    pub already: bool,
}

impl Orchestrator {
    /// Erase `org`'s attachment `id`, by `by`, for `why` (see the module).
    pub async fn erase_attachment(
        &self,
        org: &OrgId,
        id: &str,
        by: &str,
        why: &str,
    ) -> Result<Erased, OrchestratorError> {
        erase(
            &self.store,
            self.extensions(),
            org,
            (id, by, why),
            self.clock.now_ms(),
        )
        .await
    }
}

/// Erase `org`'s attachment `id` at `now`, by `by`, for `why`, with the
/// columns `apps` name (see the module): for a command that has a store
/// and its apps but no running orchestrator.
pub async fn erase(
    store: &Store,
    apps: &[Arc<dyn Extension>],
    org: &OrgId,
    (id, by, why): (&str, &str, &str),
    now: i64,
) -> Result<Erased, OrchestratorError> {
    let found = store
        .attachment(org, id)
        .await?
        .ok_or_else(|| OrchestratorError::NotFound(format!("attachment {id}")))?;
    let body = match found.content {
        Content::Erased(tombstone) => {
            return Ok(Erased {
                tombstone,
                jobs: 0,
                rows: Erasure::default(),
                already: true,
            });
        }
        Content::Body(body) => body,
    };
    let words = Words::of(&body);
    let jobs = store.job_tree_naming(org, id).await?;
    for job in &jobs {
        let Some(j) = store.job(org, job).await? else {
            continue;
        };
        if j.status == JobStatus::Running && j.lease_expires_at.is_some_and(|t| t > now) {
            return Err(OrchestratorError::Refused(format!(
                "a step of job {job}, which read it, is running now: erase again once it \
                     has parked or ended"
            )));
        }
    }
    let columns: Vec<_> = apps
        .iter()
        .flat_map(|a| a.erasable().iter().copied())
        .collect();
    let tombstone = Tombstone {
        erased_at: now,
        erased_by: by.to_owned(),
        why: why.to_owned(),
    };
    let reason = format!(
        "what it was drafted from was {}",
        crate::attachments::erased_words(&tombstone)
    );
    let scrub = |text: &str| words.scrub_column(text);
    let done = store
        .erase(&Erase {
            org,
            id,
            jobs: &jobs,
            columns: &columns,
            scrub: &scrub,
            tombstone: &tombstone,
            reason: &reason,
        })
        .await?;
    tracing::info!(
        attachment = id,
        jobs = jobs.len(),
        rewritten = done.rewritten,
        cancelled = done.cancelled,
        "an attachment was erased"
    );
    Ok(Erased {
        tombstone,
        jobs: jobs.len(),
        rows: done,
        already: false,
    })
}
