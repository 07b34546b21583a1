//! Outbound transports, host-side: skills never see a credential. Slack
//! (`chat.postMessage`, Block Kit), email over SMTP or through the rep's
//! own mailbox (Gmail, Microsoft Graph), calendar invitations
//! (iMIP email or Google Calendar), an OpenAI-compatible LLM, and a plain
//! webhook; and the [`Deliver`] trait an effect is carried out through.
//! An email's `attachments` are read from the operator's content folder
//! (`content.rs`) and nowhere else. Which transport carries which effect
//! is the process's choice (its deliverer) and each app's
//! ([`crate::orchestrator::conductor::Extension::deliverer`]). The
//! connectors carry things out; they never decide when (the orchestrator's
//! delivery loop and notifier do) and never import the orchestrator.

pub mod blocks;
pub mod content;
pub mod deadline;
pub mod deliver;
pub mod email;
mod error;
pub mod google_calendar;
pub mod http;
pub mod ics;
pub mod imip;
pub mod llm;
pub mod mailbox;
pub mod slack;
pub mod webhook;

pub use deliver::{Deliver, DeliverFuture};
pub use email::Mailer;
pub use error::ConnectorError;
pub use google_calendar::GoogleCalendar;
pub use llm::OpenAiCompatible;
pub use mailbox::MailboxApis;
pub use slack::Slack;
pub use webhook::Webhook;
