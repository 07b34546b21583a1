//! What an accepted event says already happened, written with its job in
//! the same transaction (the seam's `admitted`): a call that ended is a
//! meeting held, and an email that came in is an email received, on the
//! contact and their deal, at the time it happened (the meeting's, the
//! message's; not the webhook's). So the brief, the pipeline and revival
//! scans, the next pre-meeting brief and a suggestion's check of its
//! inputs see it as soon as it is in, not when a step gets to it. A
//! duplicate delivery inserts no job and so no row.

use crate::store::{ContactRef, ContextTables, NewActivity, activity_row, address_of};
use crate::success::stats::instant;
use baton_store::{NewJob, Row, Store, StoreError};
use serde_json::Value;

/// The activity kind of a call held.
pub(crate) const MEETING_HELD: &str = "meeting";
/// The activity kind of an email that came in.
pub(crate) const EMAIL_RECEIVED: &str = "email_received";

/// The rows `job` writes when it is inserted at `now`.
pub(super) async fn rows(store: &Store, job: &NewJob, now: i64) -> Result<Vec<Row>, StoreError> {
    let p = &job.payload;
    let text = |k: &str| {
        p.get(k)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|t| !t.is_empty())
    };
    let (kind, summary, at) = match job.event_type.as_str() {
        "meeting_ended" => (
            MEETING_HELD,
            text("title").map_or_else(
                || "Meeting held".to_owned(),
                |t| format!("Meeting held: {t}"),
            ),
            time_of(p, &["started_at", "ended_at"]),
        ),
        "email_received" => (
            EMAIL_RECEIVED,
            text("subject").map_or_else(
                || "Email received".to_owned(),
                |t| format!("Email received: {t}"),
            ),
            time_of(p, &["received_at"]),
        ),
        _ => return Ok(Vec::new()),
    };
    let email = address_of(p);
    let (contact, deal) = store
        .subject(&job.org_id, &ContactRef::of_payload(p, email.as_deref()))
        .await?;
    if contact.is_none() && deal.is_none() {
        return Ok(Vec::new());
    }
    let happened = NewActivity {
        deal_id: deal.as_ref().map(|d| d.id.as_str()),
        contact_id: contact.as_ref().map(|c| c.id.as_str()),
        user: Some(&job.user_id),
        kind,
        summary: &summary,
        occurred_at: at.unwrap_or(now),
    };
    Ok(vec![activity_row(&job.org_id, &happened)])
}

/// When it happened (Unix ms): the first of `keys` the payload gives as an
/// RFC 3339 time (a meeting's start, else its end).
pub(crate) fn time_of(p: &Value, keys: &[&str]) -> Option<i64> {
    keys.iter().find_map(|k| instant(p.get(*k)?.as_str()?))
}

#[cfg(test)]
mod tests {
    use super::time_of;
    use serde_json::json;

    #[test]
    fn a_meeting_is_held_at_its_start_else_its_end() {
        let both =
            json!({ "started_at": "2026-11-20T15:00:00Z", "ended_at": "2026-11-20T15:21:19Z" });
        let held = ["started_at", "ended_at"];
        assert_eq!(time_of(&both, &held), Some(1_795_186_800_000));
        let end = json!({ "started_at": "half past ten", "ended_at": "2026-11-20T15:21:19Z" });
        assert_eq!(time_of(&end, &held), Some(1_795_188_079_000));
        assert_eq!(time_of(&json!({ "title": "call" }), &held), None);
    }
}
