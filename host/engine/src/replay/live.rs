//! Shadow mode on new calls: for a while, each call a live version of a
//! skill serves here is given to a candidate version too, off the job's
//! path, and the two outcomes are compared as replay compares them. The
//! candidate runs without effects (see [`super::without_effects`]); the job
//! only ever sees the live version's outcome. Shadows are per process:
//! each replica compares the calls it runs.

use super::{LiveOutcome, Report, RunOf, RunReport, Side, compare, without_effects};
use crate::registry::LoadedSkill;
use crate::runtime::{CallContext, CallInput, CallResult, Limits};
use crate::store::OrgId;
use serde::Serialize;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Comparisons kept per shadow; later ones are counted, not kept.
pub const MAX_KEPT: usize = 1_000;

/// The shadows running in this process, by skill name.
#[derive(Default)]
pub struct Shadows {
    by_skill: Mutex<HashMap<String, Arc<Shadow>>>,
}

struct Shadow {
    candidate: LoadedSkill,
    since: i64,
    until: i64,
    runs: Mutex<Vec<RunReport>>,
    dropped: std::sync::atomic::AtomicUsize,
}

/// A shadow's report so far.
#[derive(Debug, Clone, Serialize)]
pub struct ShadowReport {
    /// When the shadow stops taking calls (ms since the epoch).
    pub until: i64,
    /// Calls compared but not kept (beyond [`MAX_KEPT`]).
    pub not_kept: usize,
    #[serde(flatten)]
    pub report: Report,
}

/// Which call of which job the live version just ran.
#[derive(Debug, Clone)]
pub struct LiveCall<'a> {
    pub org: &'a OrgId,
    pub job: &'a str,
    pub step: &'a str,
    pub attempt: i64,
    pub now: i64,
}

impl Shadows {
    /// Shadow `candidate`'s skill from `now` until `until`, in place of any
    /// shadow of it before.
    pub fn start(&self, candidate: &LoadedSkill, now: i64, until: i64) -> ShadowReport {
        let shadow = Arc::new(Shadow {
            candidate: without_effects(candidate),
            since: now,
            until,
            runs: Mutex::default(),
            dropped: Default::default(),
        });
        let report = shadow.report();
        self.lock().insert(candidate.manifest.name.clone(), shadow);
        report
    }

    /// The shadow of `skill` so far, if there is one.
    pub fn report(&self, skill: &str) -> Option<ShadowReport> {
        self.lock().get(skill).map(|s| s.report())
    }

    /// Stop shadowing `skill`; its report, if it had a shadow.
    pub fn stop(&self, skill: &str) -> Option<ShadowReport> {
        self.lock().remove(skill).map(|s| s.report())
    }

    /// The live version `live` just ran `input`: if its skill is shadowed
    /// now, run the candidate on the same call in the background and keep
    /// the comparison. Costs a map lookup when nothing is shadowed.
    pub(crate) fn observe(
        &self,
        live: &LoadedSkill,
        call: LiveCall<'_>,
        input: &CallInput,
        context: &CallContext,
        limits: &Limits,
        result: &CallResult,
    ) {
        let Some(shadow) = self.lock().get(&live.manifest.name).cloned() else {
            return;
        };
        if call.now >= shadow.until {
            return;
        }
        let of = RunOf {
            org: call.org.clone(),
            job: call.job.to_owned(),
            step: call.step.to_owned(),
            attempt: call.attempt,
            started_at: call.now,
        };
        let outcome = LiveOutcome {
            draft_only: false,
            side: Side {
                version: live.manifest.version.to_string(),
                sha256: live.sha256.clone(),
                fuel: result.report.fuel_used,
                duration_ms: result.report.duration.as_secs_f64() * 1000.0,
                error: result
                    .outcome
                    .as_ref()
                    .err()
                    .map(|e| format!("{}: {}", e.kind_name(), e.report())),
            },
            output: result
                .outcome
                .as_ref()
                .ok()
                .and_then(|o| serde_json::to_value(o).ok()),
            error_kind: result
                .outcome
                .as_ref()
                .err()
                .map(|e| e.kind_name().to_owned()),
        };
        let input = input.clone();
        // No LLM nor provider keys for the candidate: it would spend the
        // org's budget and quota.
        let context = CallContext {
            llm: None,
            keys: None,
            ..context.clone()
        };
        let limits = *limits;
        tokio::spawn(async move {
            let result = shadow
                .candidate
                .call(&input, &limits, Arc::new(context))
                .await;
            let one = compare(of, outcome, &shadow.candidate, result);
            let mut runs = shadow.runs.lock().unwrap_or_else(|e| e.into_inner());
            if runs.len() < MAX_KEPT {
                runs.push(one);
            } else {
                shadow
                    .dropped
                    .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
        });
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Arc<Shadow>>> {
        self.by_skill.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Shadow {
    fn report(&self) -> ShadowReport {
        let runs = self.runs.lock().unwrap_or_else(|e| e.into_inner()).clone();
        ShadowReport {
            until: self.until,
            not_kept: self.dropped.load(std::sync::atomic::Ordering::Relaxed),
            report: Report::of(&self.candidate, self.since, runs),
        }
    }
}
