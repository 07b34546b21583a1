//! The conductor: events in, validated; sequences of skills run as durable
//! jobs; gates for people; effects out through the outbox; costs charged to
//! the org's budget.
//!
//! - [`conductor`]: the [`Orchestrator`] and its error, which the rest extend.
//! - [`events`]: validation and job creation (`submit`).
//! - [`sequence`]: the declarative sequences in `sequences/*.toml`;
//!   [`versions`]: their recorded versions; [`plan`]: a dry run;
//!   [`sequence_replay`]: a candidate replayed over recorded jobs.
//! - [`work`]: the worker loops; [`run`]: one job, stage by stage,
//!   checkpointing each. [`budget`]: periods, estimates, charges.
//! - [`approvals`]: decisions on gates; [`feedback`]: a "Not right" on one.
//!   [`policy`]: what always needs one; [`floor`]: what is too unsure
//!   to propose. [`superseded`]: gates withdrawn
//!   because what they were based on moved on.
//! - [`releases`]: which skill versions serve, shared by replicas.
//! - [`delivery`]: the outbox. [`context`]: tier loaders.
//! - [`extension`]: the seam apps plug into (scheduled fires, checkpoint
//!   rows, the rules of kinds they own); [`scheduler`] calls it.
//!
//! This file is the table of contents: no file below imports from it (they
//! import from the file that defines a thing), and it defines nothing. The
//! orchestrator talks to the store and the runtime; it never speaks HTTP to
//! callers and never touches wasmtime directly.

pub mod approvals;
pub mod budget;
pub mod commit;
pub mod composed;
pub mod condition;
pub mod conductor;
pub mod config;
pub mod context;
pub mod delivery;
pub mod edit;
pub mod erasure;
mod event;
pub mod events;
pub mod extension;
pub mod feedback;
pub mod floor;
pub mod notify;
pub mod plan;
pub mod policy;
pub mod quiet;
pub mod releases;
pub mod requests;
pub mod run;
pub mod scheduler;
pub mod sequence;
pub mod sequence_replay;
mod set_aside;
pub mod state;
pub mod superseded;
pub mod versions;
pub mod views;
pub mod work;

pub use crate::store::NONE_OF_THEM;
pub use approvals::Decider;
/// Time, injected; defined in the runtime crate, a leaf every layer reads.
pub use baton_runtime::clock;
pub use clock::{Clock, ClockError, ManualClock, SimulatedClock, SystemClock};
pub use conductor::{Extension, Extensions, Orchestrator, OrchestratorError};
pub use config::{Config, Pricing, RunnerConfig};
pub use events::{Event, FeedCursor, Reason, Submitted};
pub use extension::{Attach, Labels, Prepared, Request, Understood};
pub use feedback::Feedback;
pub use sequence::{Sequence, SequenceError, Sequences};
pub use state::JobState;
