//! Group commit: checkpoints from every job in flight go through one task
//! that writes whatever has queued up in a single transaction, so the
//! number of durable steps per second is not bounded by the disk's fsync
//! rate. When a group fails as a whole, each checkpoint in it is written
//! again on its own, so one job's bad row fails that job alone, with its
//! own reason, and never the other jobs (or tenants) that shared its group.

use crate::store::{Checkpoint, Store, StoreError};
use tokio::sync::{mpsc, oneshot};

/// Checkpoints written per transaction at most.
const MAX_BATCH: usize = 256;

/// The outcome of one checkpoint; a failed one comes back with its error,
/// so the caller can write it again without having kept a copy.
type Reply = oneshot::Sender<Result<(), (StoreError, Box<Checkpoint>)>>;

/// A handle to the commit task.
#[derive(Clone)]
pub struct Committer {
    tx: mpsc::Sender<(Checkpoint, Reply)>,
}

impl Committer {
    /// Start the commit task on the current tokio runtime.
    pub fn start(store: Store) -> Committer {
        let (tx, mut rx) = mpsc::channel::<(Checkpoint, Reply)>(MAX_BATCH * 4);
        tokio::spawn(async move {
            let mut batch = Vec::with_capacity(MAX_BATCH);
            while rx.recv_many(&mut batch, MAX_BATCH).await > 0 {
                let (checkpoints, replies): (Vec<_>, Vec<_>) = batch.drain(..).unzip();
                let results = commit_group(&store, &checkpoints).await;
                for ((reply, result), cp) in replies.into_iter().zip(results).zip(checkpoints) {
                    let _ = reply.send(result.map_err(|e| (e, Box::new(cp))));
                }
            }
        });
        Committer { tx }
    }

    /// Write `checkpoint` durably (with whatever else is waiting).
    pub async fn commit(&self, checkpoint: Checkpoint) -> Result<(), StoreError> {
        self.try_commit(checkpoint).await.map_err(|(e, _)| e)
    }

    /// Write `checkpoint` durably; when it could not be, the error and the
    /// checkpoint (`None` when the commit task itself has stopped).
    pub(crate) async fn try_commit(
        &self,
        checkpoint: Checkpoint,
    ) -> Result<(), (StoreError, Option<Box<Checkpoint>>)> {
        let stopped = || StoreError::Batch("the commit task has stopped".into());
        let (reply, wait) = oneshot::channel();
        self.tx
            .send((checkpoint, reply))
            .await
            .map_err(|_| (stopped(), None))?;
        match wait.await {
            Ok(result) => result.map_err(|(e, cp)| (e, Some(cp))),
            Err(_) => Err((stopped(), None)),
        }
    }
}

/// Commit `group` in one transaction; if that fails, commit each checkpoint
/// alone, so each gets its own outcome. One result per checkpoint, in order.
pub async fn commit_group(store: &Store, group: &[Checkpoint]) -> Vec<Result<(), StoreError>> {
    match store.commit(group).await {
        Ok(results) => results,
        Err(e) if group.len() == 1 => vec![Err(e)],
        Err(e) => {
            tracing::warn!(error = %e, checkpoints = group.len(), "group commit failed; writing its checkpoints one by one");
            let mut results = Vec::with_capacity(group.len());
            for cp in group {
                results.push(match store.commit(std::slice::from_ref(cp)).await {
                    Ok(mut one) => one.pop().unwrap_or(Ok(())),
                    Err(e) => Err(e),
                });
            }
            results
        }
    }
}
