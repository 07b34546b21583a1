//! The sales copilot: the app built on the engine through its extension
//! seam (`orchestrator::conductor::Extension`). [`Sales`] is the one value the binary
//! composes with the engine.
//!
//! - `schedule.rs`: the morning brief, the pipeline scan, the weekly
//!   coaching digest, the pre-meeting brief and the daily campaign check.
//! - `rows.rs`: what a finished step writes with its checkpoint (a campaign
//!   check's figures, a meeting's coaching analysis).
//! - `brief.rs`, `coaching_digest.rs` (with `snapshot.rs`), `campaigns.rs`,
//!   `coaching.rs`: what each of those reads and submits.
//! - `timing.rs`: the schedule's lead times.

pub mod brief;
pub mod campaigns;
pub mod coaching_digest;
mod rows;
mod schedule;
mod snapshot;

use crate::orchestrator::conductor::{Due, Extension, Extensions, Orchestrator, OrchestratorError};
use crate::orchestrator::extension::{Finished, Fire, GateDraft, Hook};
use crate::store::{Org, Row};
use crate::words::{self, About};
use std::sync::Arc;

pub use baton_sales::{coaching, timing};

/// The sales app on the engine's seam.
#[derive(Debug, Default, Clone, Copy)]
pub struct Sales;

impl Extension for Sales {
    fn name(&self) -> &'static str {
        "sales"
    }

    fn schedule(&self) -> &'static [Fire] {
        schedule::PLAN
    }

    fn fire<'a>(&'a self, due: Due<'a>) -> Hook<'a, Result<Option<usize>, OrchestratorError>> {
        Box::pin(schedule::fire(due))
    }

    fn pass<'a>(
        &'a self,
        orch: &'a Orchestrator,
        now: i64,
    ) -> Hook<'a, Result<usize, OrchestratorError>> {
        Box::pin(schedule::meetings(orch, now))
    }

    fn org_pass<'a>(
        &'a self,
        orch: &'a Orchestrator,
        org: &'a Org,
        now: i64,
    ) -> Hook<'a, Result<usize, OrchestratorError>> {
        Box::pin(async move {
            Ok::<_, OrchestratorError>(usize::from(campaigns::tick(orch, org, now).await?))
        })
    }

    fn rows(&self, step: &Finished<'_>) -> Vec<Row> {
        rows::of(step)
    }

    /// "Follow-up email to Marta Ruiz (Northwind)", never a kind or step
    /// name (`words.rs`).
    fn gate_title(&self, gate: &GateDraft<'_>) -> Option<String> {
        let about = About::of_job(gate.payload, gate.contact);
        Some(words::describe_gate(gate.body, gate.pattern, gate.title, &about).title)
    }

    fn event_title(&self, event: &str) -> Option<String> {
        Some(words::event_title(event).to_owned())
    }
}

/// The engine's extensions in the `baton` binary: the sales app.
pub fn extensions() -> Extensions {
    Arc::new([Arc::new(Sales) as Arc<dyn Extension>])
}
