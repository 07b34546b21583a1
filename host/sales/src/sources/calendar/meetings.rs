//! One way a rep's calendar events become `meetings`, whatever the
//! provider: only events with an outside attendee (not the rep, not another
//! user of the org) land; the first attendee who is a CRM-lite contact sets
//! the contact and their open deal. Attendee addresses are used here and
//! dropped: they are never stored on the meeting nor logged.

use crate::store::MeetingTables;
use crate::store::SyncedMeeting;
use baton_store::{Account, OrgId, Store, StoreError, UserId};

/// An event as a provider gave it, reduced to what a meeting needs.
#[derive(Debug, Clone, PartialEq)]
pub struct CalendarEvent {
    /// `provider:account:event[:instance]`, unique in the org.
    pub external_id: String,
    pub title: String,
    pub starts_at: i64,
    pub ends_at: Option<i64>,
    /// Every participant's address (attendees and organizer).
    pub participants: Vec<String>,
    /// Called off (Google's `cancelled`, iCalendar's `STATUS:CANCELLED`).
    pub cancelled: bool,
}

/// What one pass wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Landed {
    /// Meetings written (new or moved).
    pub upserted: usize,
    /// Meetings cancelled.
    pub cancelled: usize,
    /// Events with nobody from outside (not meetings to prepare for).
    pub internal: usize,
}

impl std::ops::AddAssign for Landed {
    fn add_assign(&mut self, o: Landed) {
        self.upserted += o.upserted;
        self.cancelled += o.cancelled;
        self.internal += o.internal;
    }
}

/// The addresses of an org's own people, lowercased.
pub(crate) async fn insiders(
    store: &Store,
    org: &OrgId,
    account: &Account,
) -> Result<Vec<String>, StoreError> {
    let mut own: Vec<String> = store
        .users(org)
        .await?
        .into_iter()
        .map(|u| u.email.to_lowercase())
        .collect();
    own.push(account.address.to_lowercase());
    Ok(own)
}

/// Write one of `user`'s events: a meeting when someone from outside
/// attends, a cancellation when it was called off (or no longer has anyone
/// from outside).
pub async fn land(
    store: &Store,
    org: &OrgId,
    user: &UserId,
    insiders: &[String],
    event: &CalendarEvent,
    now: i64,
) -> Result<Landed, StoreError> {
    let outside: Vec<String> = event
        .participants
        .iter()
        .map(|a| a.trim().to_lowercase())
        .filter(|a| a.contains('@') && !insiders.contains(a))
        .collect();
    if event.cancelled || outside.is_empty() {
        let cancelled = store.cancel_meeting(org, &event.external_id, now).await?;
        return Ok(Landed {
            cancelled: usize::from(cancelled),
            internal: usize::from(!event.cancelled),
            ..Landed::default()
        });
    }
    let matched = store.contact_with_open_deal(org, &outside).await?;
    let (contact, deal) = match &matched {
        Some((c, d)) => (Some(c.as_str()), d.as_deref()),
        None => (None, None),
    };
    store
        .upsert_meeting(
            org,
            &SyncedMeeting {
                user_id: user,
                external_id: &event.external_id,
                title: &event.title,
                starts_at: event.starts_at,
                ends_at: event.ends_at,
                contact_id: contact,
                deal_id: deal,
            },
            now,
        )
        .await?;
    Ok(Landed {
        upserted: 1,
        ..Landed::default()
    })
}

/// Events read from one account in one pass, at most: a month of a busy
/// rep's meetings fits many times over; more is a calendar gone wrong.
pub const MAX_PER_ACCOUNT: usize = 500;

/// Keep at most [`MAX_PER_ACCOUNT`] of `events`, the earliest, saying so in
/// `notes` when some are left out.
pub fn bound(events: &mut Vec<CalendarEvent>, notes: &mut Vec<String>) {
    if events.len() <= MAX_PER_ACCOUNT {
        return;
    }
    events.sort_by_key(|e| e.starts_at);
    notes.push(format!(
        "the calendar has {} events in the window: only the first {MAX_PER_ACCOUNT} are read",
        events.len()
    ));
    events.truncate(MAX_PER_ACCOUNT);
}

/// The account's note from a pass's `notes` (`None`: nothing left out).
pub fn note(notes: &[String]) -> Option<String> {
    (!notes.is_empty()).then(|| notes.join("; ").chars().take(1000).collect())
}
