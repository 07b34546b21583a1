//! Google Calendar's REST API (v3), as documented: `events.list` with sync
//! tokens, `events.watch`, `channels.stop` and `events.insert`.

use super::Shared;
use axum::Router;

/// One account's calendars.
#[derive(Debug, Default)]
pub struct Calendars {}

/// An event on a calendar.
#[derive(Debug, Clone)]
pub struct CalendarEvent {}

pub(super) fn routes() -> Router<Shared> {
    Router::new()
}
