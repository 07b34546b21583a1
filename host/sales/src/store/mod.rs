//! The sales app's tables, beside the engine's in the same database: one
//! file per table group, each an extension trait on the engine's
//! [`Store`](baton_store::Store) over the pool it lends
//! ([`baton_store::on_pool!`]), as Restate keeps a small trait per table
//! group. Callers bring a group's trait into scope (`use
//! baton_sales::store::CrmTables`) and call `store.deal(…)` as before.
//! Every query is scoped to an org. The tables' migrations are the app's
//! (`host/sales/migrations/`, [`MIGRATIONS`]), numbered in the engine's
//! sequence and applied with the engine's through the seam; the first
//! tables came with the engine's first migrations, which stay whole.

// Each trait is implemented for the concrete `Store` only, and called on
// it, so every caller sees the concrete future and whether it is `Send`;
// the lint warns of generic callers, which there are none of.
#![allow(async_fn_in_trait)]

/// The sales app's migrations, for each backend.
pub static MIGRATIONS: baton_store::Migrations = baton_store::Migrations {
    sqlite: &SQLITE,
    postgres: &POSTGRES,
};
static SQLITE: sqlx::migrate::Migrator = sqlx::migrate!("migrations/sqlite");
static POSTGRES: sqlx::migrate::Migrator = sqlx::migrate!("migrations/postgres");

pub mod brief;
pub mod calendars;
pub mod campaigns;
pub mod coaching;
mod context;
mod crm;
mod deal_change;
pub mod documents;
pub mod engagements;
pub mod hubspot;
pub mod meetings;
pub mod outbox;
mod pipeline;
pub mod preferences;
pub mod proposals;
pub mod requests;
pub mod success;
pub mod tracking;

pub use brief::BriefTables;
pub use calendars::{CalendarSource, CalendarTables, Channel};
pub use campaigns::CampaignTables;
pub use coaching::{Coaching, CoachingAnalysis, CoachingTables, NewCoachingAnalysis};
pub use context::{ContactRef, ContextTables, address_of};
pub use crm::{
    Activity, Contact, CrmTables, Deal, DealChange, Expected, Moved, NewActivity, NewDeal, NewTask,
    StaleDeal, Task, activity_row,
};
pub use documents::{Document, DocumentTables, NewDraft, draft_id, draft_rows};
pub use engagements::{Advanced, DealLine, EngagementEvent, EngagementTables};
pub use hubspot::HubSpotTables;
pub use meetings::{DayMeeting, MeetingTables, SyncedMeeting, UpcomingMeeting};
pub use outbox::{OutboxTables, Pending, outbox_row};
pub use pipeline::{PipelineTables, Scan};
pub use preferences::{PreferenceTables, SalesPreferences};
pub use proposals::{
    Awaiting, NewProposal, Proposal, ProposalStatus, ProposalTables, ProposalView, ViewRecorded,
};
pub use requests::{NamedContact, NamedDeal, RequestTables};
pub use success::SuccessTables;
pub use tracking::{Tracked, TrackingChoice, TrackingTables};
