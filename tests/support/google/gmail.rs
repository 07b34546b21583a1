//! Gmail's REST API (v1), as documented: `users.history.list`,
//! `users.messages.list` and `users.messages.get`.

use super::Shared;
use axum::Router;

/// One mailbox: its messages and history.
#[derive(Debug, Default)]
pub struct Mailbox {}

/// A message in a mailbox.
#[derive(Debug, Clone)]
pub struct GmailMessage {}

pub(super) fn routes() -> Router<Shared> {
    Router::new()
}
