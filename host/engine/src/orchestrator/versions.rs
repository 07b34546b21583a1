//! Sequences versioned like skills: every text served is recorded as a
//! numbered version of its event's sequence, with who published it and
//! when (`sequence_versions`); each event serves its head version
//! (`sequence_heads`), which a publish moves forward, a rollback moves
//! back, and a pin holds. A job records the version it started on and
//! finishes on it, here or on another replica after a restart. The folder
//! is one way in (a file's new text is published by `folder`), the admin
//! API and `baton sequences publish` the others; every replica follows the
//! heads ([`Orchestrator::follow_sequences`]).

use super::conductor::{Orchestrator, OrchestratorError};
use super::sequence::{self, Head, Sequence, SequenceError, Sequences};
use crate::store::{Job, Published, StoreError};
use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

/// Who publishes a folder file's new text.
pub const FOLDER: &str = "folder";

/// What publishing a sequence came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Publication {
    pub event: String,
    pub version: i64,
    /// Whether it serves now (not when its event is pinned, or when the
    /// text was already a version).
    pub served: bool,
    /// The text was already this version: nothing changed.
    pub known: bool,
}

impl Orchestrator {
    /// Record each folder sequence whose text is new as the next version
    /// of its event (served unless the event is pinned), then serve every
    /// event's head. Returns the problems of what could not be served.
    pub async fn sync_sequences(&self) -> Result<Vec<SequenceError>, OrchestratorError> {
        let now = self.clock.now_ms();
        // The folder as it is (what serves may be another version).
        let folder = match self.sequences().dir() {
            Some(dir) => Sequences::load(dir).map_err(|e| {
                OrchestratorError::Invalid(format!("cannot read the sequences folder: {e}"))
            })?,
            None => (*self.sequences()).clone(),
        };
        for seq in folder.iter() {
            self.store
                .publish_sequence(&seq.event, &seq.file_hash, &seq.source, FOLDER, now)
                .await?;
        }
        self.refresh_heads().await
    }

    /// Serve the recorded heads (read again from the database).
    pub async fn refresh_heads(&self) -> Result<Vec<SequenceError>, OrchestratorError> {
        let heads = self.read_heads().await?;
        Ok(self
            .live_sequences
            .set_heads(heads, |s| sequence::check_against(&self.registry, s)))
    }

    async fn read_heads(&self) -> Result<BTreeMap<String, Head>, StoreError> {
        Ok(self
            .store
            .sequence_heads()
            .await?
            .into_iter()
            .map(|(head, v)| {
                let h = Head {
                    version: head.version,
                    hash: v.hash,
                    text: v.text.into(),
                    from_folder: v.published_by == FOLDER,
                };
                (head.event, h)
            })
            .collect())
    }

    /// Publish `text` as a sequence by `by`: checked as `baton serve`
    /// checks a folder file (its payload schema from the folder, laid out
    /// from the skills' data flow, params against the skills), recorded as
    /// its event's next version, and served unless the event is pinned.
    /// A text that does not load is `Invalid`, naming `line:col` and why.
    pub async fn publish_sequence(
        &self,
        text: &str,
        by: &str,
    ) -> Result<Publication, OrchestratorError> {
        let seq = self.checked_sequence(text)?;
        let now = self.clock.now_ms();
        let outcome = self
            .store
            .publish_sequence(&seq.event, &seq.file_hash, text, by, now)
            .await?;
        let problems = self.refresh_heads().await?;
        for p in &problems {
            tracing::warn!(problem = %p, "a published sequence version does not load");
        }
        Ok(match outcome {
            Published::New { version, served } => Publication {
                event: seq.event,
                version,
                served,
                known: false,
            },
            Published::Known { version } => Publication {
                event: seq.event,
                version,
                served: false,
                known: true,
            },
        })
    }

    /// `text` as a sequence, checked as `baton serve` checks a folder file
    /// (its payload schema from the folder, laid out from the skills' data
    /// flow, params against the skills); `Invalid`, naming `line:col` and
    /// why, if it does not load.
    pub fn checked_sequence(&self, text: &str) -> Result<Sequence, OrchestratorError> {
        let all = self.sequences();
        let dir = all.dir().map(Path::to_owned);
        let file = Path::new("published.toml");
        let parsed = match &dir {
            Some(d) => Sequences::parse_in(d, file, text),
            None => sequence::parse(file, text),
        };
        let refuse = |errors: Vec<SequenceError>| {
            OrchestratorError::Invalid(format!(
                "the sequence does not load:{}",
                sequence::lines(&errors)
            ))
        };
        let seq = parsed.map_err(|e| refuse(vec![e]))?;
        let mut one = Sequences::default();
        one.insert(seq.clone());
        let problems = sequence::check_against(&self.registry, &mut one);
        if !problems.is_empty() {
            return Err(refuse(problems));
        }
        one.get(&seq.event)
            .cloned()
            .ok_or_else(|| OrchestratorError::Invalid("the sequence does not load".into()))
    }

    /// Serve version `to` of `event` again (default: the one before the
    /// version serving), by `by`; returns the version now serving.
    pub async fn roll_back_sequence(
        &self,
        event: &str,
        to: Option<i64>,
        by: &str,
    ) -> Result<i64, OrchestratorError> {
        let head = self
            .store
            .sequence_head(event)
            .await?
            .ok_or_else(|| OrchestratorError::NotFound(format!("sequence `{event}`")))?;
        let to = match to {
            Some(v) => v,
            None => self
                .store
                .sequence_versions(event)
                .await?
                .iter()
                .map(|v| v.version)
                .find(|&v| v < head.version)
                .ok_or_else(|| {
                    OrchestratorError::Invalid(format!(
                        "`{event}` serves version {}, its first: there is nothing to roll back to",
                        head.version
                    ))
                })?,
        };
        let why = format!("rolled back from version {}", head.version);
        self.store
            .move_sequence_head(event, to, by, &why, self.clock.now_ms())
            .await
            .map_err(stale_is_refused)?;
        self.refresh_heads().await?;
        Ok(to)
    }

    /// Pin `event` to `version` (which serves, and stays while later
    /// versions are published), or unpin it (`None`).
    pub async fn pin_sequence(
        &self,
        event: &str,
        version: Option<i64>,
        by: &str,
    ) -> Result<(), OrchestratorError> {
        self.store
            .pin_sequence(event, version, by, self.clock.now_ms())
            .await?;
        self.refresh_heads().await?;
        Ok(())
    }

    /// The sequence `job` runs: the version it started on (kept in this
    /// process, or read back from the database after a restart or on
    /// another replica), else the one serving now for its event.
    pub(crate) async fn sequence_for_job(&self, job: &Job) -> Option<Sequence> {
        let here = self
            .live_sequences
            .for_job(&job.sequence_name, &job.sequence_hash);
        if here.as_ref().is_some_and(|s| s.hash == job.sequence_hash) {
            return here;
        }
        let Some(version) = job.sequence_version else {
            return here;
        };
        match self.version_of(&job.sequence_name, version).await {
            Ok(Some(seq)) => {
                if seq.hash != job.sequence_hash {
                    tracing::warn!(job = %job.id, version, "the job's sequence version lays out differently now (a skill's data flow changed); it runs as laid out now");
                }
                self.live_sequences.keep_served(&seq);
                Some(seq)
            }
            Ok(None) => here,
            Err(e) => {
                tracing::warn!(job = %job.id, version, error = %e, "cannot read the job's sequence version; the version serving runs it");
                here
            }
        }
    }

    /// Version `version` of `event`'s sequence, parsed and laid out.
    pub(crate) async fn version_of(
        &self,
        event: &str,
        version: i64,
    ) -> Result<Option<Sequence>, OrchestratorError> {
        let Some(v) = self.store.sequence_version(event, version).await? else {
            return Ok(None);
        };
        let all = self.sequences();
        let file = all
            .get(event)
            .map(|s| s.file.clone())
            .unwrap_or_else(|| format!("{event}.toml").into());
        let parsed = match all.dir() {
            Some(d) => Sequences::parse_in(d, &file, &v.text),
            None => sequence::parse(&file, &v.text),
        };
        let mut seq = parsed.map_err(|e| OrchestratorError::Invalid(e.to_string()))?;
        seq.version = Some(version);
        let seq = seq
            .lay_out(|s| self.registry.get(s).map(|k| k.manifest.flow.clone()))
            .map_err(|e| OrchestratorError::Invalid(sequence::lines(&e)))?;
        Ok(Some(seq))
    }

    /// Follow the recorded heads every `every` until `stop` turns true
    /// (what another replica or `baton sequences` published, rolled back
    /// or pinned).
    pub async fn follow_sequences(
        &self,
        every: Duration,
        mut stop: tokio::sync::watch::Receiver<bool>,
    ) {
        let mut seen: Vec<(String, i64)> = Vec::new();
        loop {
            if *stop.borrow() {
                return;
            }
            match self.store.sequence_head_versions().await {
                Ok(now) => {
                    if now != seen {
                        match self.refresh_heads().await {
                            Ok(problems) => {
                                for p in &problems {
                                    tracing::warn!(problem = %p, "a sequence version does not load; the previous one serves");
                                }
                                seen = now;
                            }
                            Err(e) => {
                                tracing::warn!(error = %e, "cannot serve the sequence versions")
                            }
                        }
                    }
                }
                Err(e) => tracing::warn!(error = %e, "cannot read the sequence versions"),
            }
            tokio::select! {
                _ = tokio::time::sleep(every) => {}
                _ = stop.changed() => {}
            }
        }
    }
}

/// A store's `Stale` (the event is pinned elsewhere) as a refusal.
fn stale_is_refused(e: StoreError) -> OrchestratorError {
    match e {
        StoreError::Stale(m) => OrchestratorError::Refused(m),
        StoreError::NotFound(m) => OrchestratorError::NotFound(m),
        other => OrchestratorError::Store(other),
    }
}
