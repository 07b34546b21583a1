//! The email classifier, shared by the skills that read inbound mail:
//! `classify-email-intent` (one email, the `email_received` chain) and
//! `monitor-campaigns` (a campaign's replies). Pure: no host calls but the
//! judge's read of its model file.
//!
//! - [`classify`]: the labelling rules, in their precedence, over the
//!   newest, unquoted text ([`newest`]) and the auto-reply headers
//!   ([`auto_reply`]), with the cue lexicons in [`cues`] and [`asks`];
//! - [`judge`]: the learned component over the rules (`docs/judgement.md`);
//! - [`forwarded`]: a rule-level reading the model does not know — the
//!   sender passed the message on to someone else;
//! - [`questions`]: questions in mail typed without question marks;
//! - [`disputes`]: an email that contests a bill (an invoice, a charge).

pub mod asks;
pub mod auto_reply;
pub mod classify;
pub mod cues;
pub mod disputes;
pub mod forwarded;
pub mod judge;
pub mod newest;
pub mod questions;
pub mod text;
