//! What a load run found: per meeting the time from its webhook to the
//! first approval request of its job in Slack, the webhooks the server did
//! not accept, and the server process's CPU while they were sent (read
//! from `/proc/<pid>/stat`); and the ways a run can fail.

use crate::{Backend, NoPostgres};
use std::collections::BTreeMap;
use std::time::Duration;

/// Linux reports a process's CPU time in `/proc` in ticks of `USER_HZ`,
/// which is 100 per second on every architecture it runs on.
const TICKS_PER_SECOND: u64 = 100;

/// The outcome of one [`LoadRun`](super::LoadRun).
#[derive(Debug, Clone)]
pub struct LoadReport {
    pub backend: Backend,
    /// Webhooks per second.
    pub rate: f64,
    /// Webhooks sent.
    pub sent: usize,
    /// The jobs the accepted webhooks started, in the order they were due.
    pub jobs: Vec<String>,
    /// The webhooks not answered 202.
    pub rejected: Vec<Rejected>,
    /// Per job whose approval request reached Slack: from when its webhook
    /// was due to when the first approval request of the job arrived.
    pub latencies: BTreeMap<String, Duration>,
    /// The server's CPU while the webhooks were sent.
    pub cpu: CpuUse,
    /// How long Slack could stay silent before the run stopped waiting
    /// for the approval requests still missing.
    pub settle: Duration,
    /// The end of the server's log (it logs at `warn`).
    pub server_log: String,
    /// What the server said, before it stopped, of the first job whose
    /// approval request never came: its status, step and error, and its
    /// last step run's.
    pub first_undelivered: Option<String>,
}

/// A webhook the server did not accept.
#[derive(Debug, Clone)]
pub struct Rejected {
    /// Its place in the run (0 is the first).
    pub n: usize,
    /// The answer's status; `None` when there was no answer.
    pub status: Option<u16>,
    /// The answer's body, or why there was none.
    pub detail: String,
}

/// CPU time a process used over a stretch of wall time.
#[derive(Debug, Clone, Copy)]
pub struct CpuUse {
    /// User plus system time.
    pub busy: Duration,
    /// The wall time it was measured over.
    pub window: Duration,
}

impl CpuUse {
    /// Cores kept busy on average (2.0: two cores all the time).
    pub fn cores(&self) -> f64 {
        if self.window.is_zero() {
            return 0.0;
        }
        self.busy.as_secs_f64() / self.window.as_secs_f64()
    }
}

impl LoadReport {
    /// Jobs whose approval request reached Slack.
    pub fn delivered(&self) -> usize {
        self.latencies.len()
    }

    /// The jobs whose approval request never reached Slack.
    pub fn undelivered(&self) -> Vec<&str> {
        self.jobs
            .iter()
            .filter(|job| !self.latencies.contains_key(*job))
            .map(String::as_str)
            .collect()
    }

    /// The `p`th percentile (0–100) of the latencies, nearest rank; `None`
    /// when no job got through.
    pub fn percentile(&self, p: f64) -> Option<Duration> {
        let mut sorted: Vec<Duration> = self.latencies.values().copied().collect();
        sorted.sort();
        let last = sorted.len().checked_sub(1)?;
        let rank = (p.clamp(0.0, 100.0) / 100.0 * last as f64).round() as usize;
        sorted.get(rank.min(last)).copied()
    }

    /// Whether every webhook was accepted and every job's approval request
    /// reached Slack.
    pub fn check(&self) -> Result<(), LoadError> {
        if let Some(first) = self.rejected.first() {
            return Err(LoadError::Rejected {
                count: self.rejected.len(),
                sent: self.sent,
                first: first.clone(),
            });
        }
        let missing = self.undelivered();
        if let Some(example) = missing.first() {
            return Err(LoadError::Undelivered {
                missing: missing.len(),
                jobs: self.jobs.len(),
                settle: self.settle,
                example: (*example).to_owned(),
                state: self
                    .first_undelivered
                    .clone()
                    .unwrap_or_else(|| "not asked".to_owned()),
            });
        }
        Ok(())
    }
}

/// How a load run fails.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{0}")]
    Arguments(String),
    #[error(transparent)]
    NoPostgres(#[from] NoPostgres),
    #[error("{0}: {1}")]
    Io(String, #[source] std::io::Error),
    #[error("setting up the run: {0}")]
    Setup(String),
    #[error("{0}: {1}")]
    Http(String, #[source] reqwest::Error),
    #[error("{0}")]
    Server(String),
    #[error("the server's CPU time, {0}")]
    Cpu(String),
    #[error(
        "{count} of {sent} webhooks were not accepted; the first, #{}, got {}: {}",
        .first.n,
        answer(.first.status),
        .first.detail
    )]
    Rejected {
        count: usize,
        sent: usize,
        first: Rejected,
    },
    #[error(
        "{missing} of {jobs} jobs did not ask for approval in Slack: none came for {settle:?}, or {:?} passed after the last webhook (one: job {example}, {state})",
        super::LIMIT
    )]
    Undelivered {
        missing: usize,
        jobs: usize,
        settle: Duration,
        example: String,
        state: String,
    },
}

/// A status as a rejection names it.
fn answer(status: Option<u16>) -> String {
    status.map_or("no answer".to_owned(), |s| s.to_string())
}

/// The CPU time (user + system) process `pid` has used so far.
pub(super) fn cpu_time(pid: u32) -> Result<Duration, LoadError> {
    let path = format!("/proc/{pid}/stat");
    let stat =
        std::fs::read_to_string(&path).map_err(|e| LoadError::Cpu(format!("{path}: {e}")))?;
    // `pid (comm) state ppid …`: comm may hold spaces and parentheses, so
    // count the fields after its last `)`; utime and stime are fields 14
    // and 15 of the line, the 12th and 13th after it.
    let ticks = stat
        .rsplit_once(')')
        .map(|(_, rest)| rest.split_whitespace().skip(11).take(2))
        .map(|fields| fields.map(str::parse::<u64>).collect::<Result<Vec<_>, _>>());
    match ticks {
        Some(Ok(t)) if t.len() == 2 => Ok(Duration::from_millis(
            (t[0] + t[1]) * 1000 / TICKS_PER_SECOND,
        )),
        _ => Err(LoadError::Cpu(format!("{path} is not understood: {stat}"))),
    }
}
