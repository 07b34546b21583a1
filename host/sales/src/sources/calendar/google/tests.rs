//! Google Calendar's events read as its documentation shows them.

use super::*;

fn account() -> Account {
    Account {
        id: "acc1".into(),
        org_id: baton_store::OrgId("org".into()),
        user_id: None,
        provider: "google".into(),
        address: "rep@acme.example".into(),
        scopes: String::new(),
        status: "active".into(),
        status_detail: None,
        secret: String::new(),
        token_expires_at: None,
        settings: "{}".into(),
        sync_requested_at: None,
        created_at: 0,
        updated_at: 0,
    }
}

#[test]
fn google_events_as_documented() {
    let a = account();
    let timed = json!({ "id": "ev1_20261123T160000Z", "status": "confirmed", "summary": "Review",
        "start": { "dateTime": "2026-11-23T16:00:00Z" }, "end": { "dateTime": "2026-11-23T16:30:00-00:00" },
        "organizer": { "email": "rep@acme.example", "self": true },
        "attendees": [{ "email": "buyer@client.example" }, { "email": "room@resource.calendar.google.com", "resource": true }] });
    let e = event(&a, &timed).expect("timed");
    assert_eq!(e.external_id, "gcal:acc1:ev1_20261123T160000Z");
    assert_eq!(e.starts_at, 1_795_449_600_000);
    assert_eq!(e.ends_at, Some(1_795_451_400_000));
    assert_eq!(e.participants, ["buyer@client.example", "rep@acme.example"]);
    assert!(!e.cancelled);
    let all_day = json!({ "id": "x", "status": "confirmed", "start": { "date": "2026-11-23" } });
    assert!(event(&a, &all_day).is_none());
    let gone = json!({ "id": "ev2", "status": "cancelled" });
    assert!(event(&a, &gone).expect("cancelled").cancelled);
    let declined = json!({ "id": "ev3", "status": "confirmed", "start": { "dateTime": "2026-11-23T16:00:00Z" },
        "attendees": [{ "email": "rep@acme.example", "self": true, "responseStatus": "declined" }] });
    assert!(event(&a, &declined).expect("declined").cancelled);
}
