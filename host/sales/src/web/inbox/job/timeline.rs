//! A job's history as one chronological list, Temporal's history view as
//! the model: the job started (its trigger in words), each step with its
//! skill version, fuel, time and outcome, each gate with who decided what
//! and when, each effect with where it stands, the follow-up jobs it
//! queued (linked, by their titles), the job finished. Times in the rep's
//! zone; step and skill names only in the collapsed operator details.

use super::lines::{
    decision_words, effect_state, gate_heading, job_heading, subject, ticking, who,
};
use crate::web::store::{
    Effect, GateStatus, Job, JobStatus, PendingAction, StepRun, StepRunStatus,
};
use baton_engine::runtime::Decision;
use baton_service::inbox::RepClock;
use maud::{Markup, html};

/// What the timeline shows, read before drawing.
pub(super) struct History {
    pub job: Job,
    pub parent: Option<Job>,
    pub runs: Vec<StepRun>,
    pub gates: Vec<PendingAction>,
    pub effects: Vec<Effect>,
    pub children: Vec<Job>,
}

/// A job's status in words (`#job-status`): "completed", "waiting for you".
pub(super) fn status_words(s: JobStatus) -> &'static str {
    match s {
        JobStatus::Pending => "queued",
        JobStatus::Running => "running",
        JobStatus::AwaitingApproval => "waiting for you",
        JobStatus::Completed => "completed",
        JobStatus::Failed => "failed",
        JobStatus::Cancelled => "stopped",
        JobStatus::Skipped => "skipped",
        JobStatus::BudgetExceeded => "stopped: over its budget",
    }
}

fn outcome(s: StepRunStatus) -> &'static str {
    match s {
        StepRunStatus::Completed => "done",
        StepRunStatus::Failed => "failed",
        StepRunStatus::Skipped => "skipped",
        StepRunStatus::AwaitingApproval => "waiting for a decision",
        StepRunStatus::Declined => "declined",
    }
}

/// Fuel as a person reads it: "950", "12.5 k", "3.1 M".
fn fuel(n: i64) -> String {
    match n {
        n if n < 1_000 => n.to_string(),
        n if n < 1_000_000 => format!("{:.1} k", n as f64 / 1e3),
        n if n < 1_000_000_000 => format!("{:.1} M", n as f64 / 1e6),
        n => format!("{:.1} G", n as f64 / 1e9),
    }
}

/// What started the job, in words.
fn trigger(job: &Job) -> String {
    match (job.event_type.as_str(), subject(job)) {
        ("meeting_ended", Some(t)) => format!("The meeting “{t}” ended"),
        ("email_received", Some(s)) => format!("An email came in: “{s}”"),
        _ => job_heading(job),
    }
}

/// One line of the timeline: when, its class, what it says.
struct Entry {
    at: i64,
    class: &'static str,
    body: Markup,
}

/// The run of a step as a line: its outcome, skill version, fuel and time.
fn run_entry(r: &StepRun) -> Entry {
    Entry {
        at: r.started_at,
        class: "step",
        body: html! {
            "Step " (r.step_index + 1) " — " (crate::words::skill_words(&r.skill_name)) ": " strong.outcome { (outcome(r.status)) }
            @if r.attempt > 1 { " (attempt " (r.attempt) ")" }
            " · version " span.version { (r.skill_version) }
            " · " (fuel(r.fuel)) " fuel · " (r.duration_ms) " ms"
            details.operator {
                summary { "Operator details" }
                "step " code { (r.step_name) } ", skill " code { (r.skill_name) } " " (r.skill_version)
                " (" (r.skill_sha256.get(..12).unwrap_or(r.skill_sha256.as_str())) ") · fuel " (r.fuel) " · cost " (r.cost_micros) " µ$"
                @if let Some(k) = &r.error_kind { " · " (k) }
                @if let Some(e) = &r.error { br; span.error { (e) } }
            }
        },
    }
}

/// Step `step`: the runs that parked at a gate, the gates and their
/// decisions, then the runs after them.
fn step_entries(h: &History, step: i64, out: &mut Vec<Entry>) {
    let runs = || h.runs.iter().filter(|r| r.step_index == step);
    out.extend(
        runs()
            .filter(|r| r.status == StepRunStatus::AwaitingApproval)
            .map(run_entry),
    );
    for g in h.gates.iter().filter(|g| g.step_index == step) {
        let link = format!("/inbox/approvals/{}", g.id);
        out.push(Entry {
            at: g.created_at,
            class: "gate",
            body: html! { "Waited for a decision: " a href=(link) { (gate_heading(g)) } },
        });
        let decision = g
            .decision
            .clone()
            .and_then(|d| serde_json::from_value::<Decision>(d).ok());
        let (at, what) = match (g.status, decision, g.decided_at) {
            (GateStatus::Expired, _, at) => (at.unwrap_or(g.expires_at), "Expired".to_owned()),
            (GateStatus::Cancelled, _, Some(at)) => (at, "Cancelled".to_owned()),
            // Its note is why.
            (GateStatus::Superseded, _, Some(at)) => (at, "Withdrawn".to_owned()),
            (_, Some(d), Some(at)) => (at, decision_words(g, &d)),
            _ => continue,
        };
        out.push(Entry {
            at,
            class: "decision",
            body: html! {
                strong.decided { (what) }
                @if let Some(by) = &g.decided_by { " by " span.who { (who(by)) } }
                ": " a href=(link) { (gate_heading(g)) }
                @if let Some(n) = &g.decision_note { " · “" (n) "”" }
            },
        });
    }
    out.extend(
        runs()
            .filter(|r| r.status != StepRunStatus::AwaitingApproval)
            .map(run_entry),
    );
}

fn entries(h: &History, clock: &RepClock) -> Vec<Entry> {
    let job = &h.job;
    // A job posted through the API is stamped by the wall clock, its runs
    // by the orchestrator's: it started at the earliest of them.
    let started = h
        .runs
        .iter()
        .map(|r| r.started_at)
        .chain([job.created_at, job.scheduled_at])
        .min()
        .unwrap_or(job.created_at);
    let mut out = vec![Entry {
        at: started,
        class: "started",
        body: html! {
            "Started: " (trigger(job))
            @if let Some(p) = &h.parent {
                " · queued by " a href={ "/inbox/jobs/" (p.id) } { (job_heading(p)) }
            }
        },
    }];
    // Step by step (each run, then its gates and their decisions), so that
    // a stable sort by time keeps cause before effect at equal times.
    let mut steps: Vec<i64> = h.runs.iter().map(|r| r.step_index).collect();
    steps.extend(h.gates.iter().map(|g| g.step_index));
    steps.sort_unstable();
    steps.dedup();
    for step in steps {
        step_entries(h, step, &mut out);
    }
    let back = format!("/inbox/jobs/{}", job.id);
    for e in &h.effects {
        out.push(Entry {
            at: e.created_at,
            class: "effect",
            body: effect_state(e, clock, &back),
        });
    }
    for c in &h.children {
        out.push(Entry {
            at: c.created_at,
            class: "child",
            body: html! {
                "Queued a follow-up: " a.child href={ "/inbox/jobs/" (c.id) } { (job_heading(c)) }
                " · " span.muted { (status_words(c.status)) }
            },
        });
    }
    if let Some(at) = job.finished_at {
        out.push(Entry {
            at,
            class: "finished",
            body: html! {
                "Finished: " (status_words(job.status))
                @if let Some(e) = &job.error {
                    details.operator { summary { "Operator details" } span.error { (e) } }
                }
            },
        });
    }
    out.sort_by_key(|e| e.at);
    out
}

/// The timeline as an ordered list, each line with its time.
pub(super) fn view(h: &History, clock: &RepClock) -> Markup {
    html! {
        ol #timeline {
            @for e in entries(h, clock) {
                li class={ "event " (e.class) } {
                    time.when title=(clock.zone_name(e.at)) { (clock.at(e.at)) }
                    " " (e.body)
                }
            }
        }
        @if !h.effects.is_empty() { (ticking()) }
    }
}

#[cfg(test)]
mod tests {
    use super::fuel;

    #[test]
    fn fuel_reads_in_round_units() {
        assert_eq!(fuel(950), "950");
        assert_eq!(fuel(12_500), "12.5 k");
        assert_eq!(fuel(3_100_000), "3.1 M");
    }
}
