//! Group commit: checkpoints from every job in flight go through one task
//! that writes whatever has queued up in a single transaction, so the
//! number of durable steps per second is not bounded by the disk's fsync
//! rate.

use crate::store::{Checkpoint, Store, StoreError};
use tokio::sync::{mpsc, oneshot};

/// Checkpoints written per transaction at most.
const MAX_BATCH: usize = 256;

type Reply = oneshot::Sender<Result<(), StoreError>>;

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
                match store.commit(&checkpoints).await {
                    Ok(results) => {
                        for (reply, result) in replies.into_iter().zip(results) {
                            let _ = reply.send(result);
                        }
                    }
                    Err(e) => {
                        let message = e.to_string();
                        for reply in replies {
                            let _ = reply.send(Err(StoreError::Batch(message.clone())));
                        }
                    }
                }
            }
        });
        Committer { tx }
    }

    /// Write `checkpoint` durably (with whatever else is waiting).
    pub async fn commit(&self, checkpoint: Checkpoint) -> Result<(), StoreError> {
        let (reply, wait) = oneshot::channel();
        self.tx
            .send((checkpoint, reply))
            .await
            .map_err(|_| StoreError::Batch("the commit task has stopped".into()))?;
        wait.await
            .map_err(|_| StoreError::Batch("the commit task has stopped".into()))?
    }
}
