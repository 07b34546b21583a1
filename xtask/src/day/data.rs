//! `cargo xtask demo-data`: the rep's day the demo plays, written to
//! `examples/day/*.json` from the bundled examples (`examples/demo.json`,
//! `examples/webhooks/meetingbaas-complete.json`, `examples/events/`), with
//! the day's date and times set here. Deterministic: the same sources give
//! the same bytes, so the files are committed and a change shows in review.
//!
//! The day is Friday 2026-11-20. New York is on EST (UTC−5) and London on
//! GMT (UTC+0) that day, so the times below are written in UTC and the
//! offsets are constants rather than a time-zone database.

use crate::{Result, root};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

/// The day.
pub(crate) const DATE: &str = "2026-11-20";

/// What each file says about how it was made.
const GENERATED: &str = "Made by `cargo xtask demo-data` (xtask/src/day/data.rs) from examples/demo.json, \
examples/webhooks/meetingbaas-complete.json and examples/events/; do not edit by hand: change the generator and run it again.";

/// The demo's moments, UTC (EST = UTC−5, GMT = UTC+0 on the day).
pub(crate) mod at {
    /// The simulated clock starts here: 02:30 in New York, 07:30 in
    /// London — Priya's briefing time.
    pub(crate) const CLOCK_START: &str = "2026-11-20T07:30:00Z";
    /// 08:00 in New York: Jordan's briefing time.
    pub(crate) const REP1_BRIEF: &str = "2026-11-20T13:00:00Z";
    /// 08:30 in New York: 90 minutes before the discovery call.
    pub(crate) const PRE_MEETING: &str = "2026-11-20T13:30:05Z";
    /// The discovery call on Jordan's calendar: 10:00 to 10:30 in New York.
    pub(crate) const MEETING: &str = "2026-11-20T15:00:00Z";
    /// 10:22 in New York: the call ended at 10:21 and Meeting BaaS calls in.
    pub(crate) const MEETING_ENDS: &str = "2026-11-20T15:22:00Z";
    /// 12:05 in New York: Ken (Northwind IT) writes asking to meet.
    pub(crate) const INBOUND_EMAIL: &str = "2026-11-20T17:05:00Z";
    /// 13:40 in New York: a prospect answers a campaign.
    pub(crate) const CAMPAIGN_REPLY: &str = "2026-11-20T18:40:00Z";
    /// 13:50 in New York: Jordan works through the inbox.
    pub(crate) const APPROVALS: &str = "2026-11-20T18:50:00Z";
    /// Monday 09:00 in London: the prospect's morning, when the follow-up
    /// Priya scheduled ("Send at…") goes out.
    pub(crate) const SEND_LATER: &str = "2026-11-23T09:00:00Z";
}

/// The folder the day's files go to.
pub(crate) fn dir() -> PathBuf {
    root().join("examples/day")
}

/// Write every file of the day.
pub(crate) fn generate() -> Result {
    let out = dir();
    std::fs::create_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    let files = [
        ("day.json", day()),
        ("org.json", org()?),
        ("calendar-rep1.json", calendar()),
        ("meeting-ended.json", meeting_ended()?),
        ("inbound-email.json", inbound_email()),
        ("campaign-reply.json", campaign_reply()?),
    ];
    for (name, doc) in files {
        let path = out.join(name);
        let text = with_note(&doc).map_err(|e| format!("{name}: {e}"))?;
        std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
        println!("    wrote {}", crate::service::rel(&path));
    }
    Ok(())
}

/// `doc` as pretty JSON with [`GENERATED`] as its first member (serde_json
/// sorts the others), so the file says at the top how it was made.
fn with_note(doc: &Value) -> std::result::Result<String, serde_json::Error> {
    let body = serde_json::to_string_pretty(doc)?;
    let rest = body.strip_prefix("{\n").unwrap_or(&body);
    Ok(format!(
        "{{\n  \"generated\": {},\n{rest}\n",
        serde_json::to_string(GENERATED)?
    ))
}

fn read(path: &str) -> Result<Value> {
    let full: &Path = &root().join(path);
    let text = std::fs::read_to_string(full).map_err(|e| format!("cannot read {path}: {e}"))?;
    serde_json::from_str(&text).map_err(|e| format!("{path}: {e}"))
}

/// The schedule and the two reps' zones on the day.
fn day() -> Value {
    json!({
        "date": DATE,
        "zones": [
            { "user": "rep1", "name": "Jordan Avery", "zone": "America/New_York", "abbrev": "EST", "utc_offset_min": -300 },
            { "user": "rep2", "name": "Priya Natarajan", "zone": "Europe/London", "abbrev": "GMT", "utc_offset_min": 0 },
        ],
        "at": {
            "clock_start": at::CLOCK_START,
            "rep1_brief": at::REP1_BRIEF,
            "pre_meeting": at::PRE_MEETING,
            "meeting": at::MEETING,
            "meeting_ends": at::MEETING_ENDS,
            "inbound_email": at::INBOUND_EMAIL,
            "campaign_reply": at::CAMPAIGN_REPLY,
            "approvals": at::APPROVALS,
            "send_later": at::SEND_LATER,
        },
    })
}

/// `examples/demo.json` with the day's calendar: the meetings at fixed
/// instants (the discovery call Meeting BaaS records at 10:00 in New York
/// instead of the pricing follow-up), and the calendar provider the
/// scheduling skill reads rep calendars from (`{port}` is the demo's
/// calendar feed, set when it starts).
fn org() -> Result<Value> {
    let mut doc = read("examples/demo.json")?;
    doc["meetings"] = json!([
        { "user": "rep1", "title": "Northwind discovery call", "starts_at": at::MEETING, "minutes": 30,
          "contact": "marta.ruiz@northwind.example", "deal": "Northwind renewals rollout" },
        { "user": "rep2", "title": "Harbour Freight payment schedule", "starts_at": format!("{DATE}T14:00:00Z"),
          "minutes": 30, "contact": "aisha.bello@harbourfreight.example", "deal": "Harbour Freight forecast add-on" },
        { "user": "rep1", "title": "Cobalt order form walkthrough", "starts_at": format!("{DATE}T20:30:00Z"),
          "minutes": 45, "contact": "tomasz.nowak@cobalt-wh.example", "deal": "Cobalt multi-site expansion" },
    ]);
    doc["org"]["profile"]["providers"] = json!({
        "calendar": { "rep_ics_url": "http://127.0.0.1:{port}/calendars/{user}.ics" }
    });
    doc["org"]["features"]["calendar_find_times"] = json!(true);
    doc["org"]["features"]["campaign_reply"] = json!(true);
    Ok(json!({ "import": doc }))
}

/// Jordan's calendar as iCalendar: the day's two meetings and next week's
/// fixed blocks (a daily stand-up, a pipeline review, a legal review on
/// Tuesday afternoon), so the time options come from a real week.
fn calendar() -> Value {
    let events = [
        (
            "day-northwind",
            "Northwind discovery call",
            "20261120T150000Z",
            "20261120T153000Z",
        ),
        (
            "day-cobalt",
            "Cobalt order form walkthrough",
            "20261120T203000Z",
            "20261120T211500Z",
        ),
        (
            "wk-pipeline",
            "Pipeline review",
            "20261123T150000Z",
            "20261123T160000Z",
        ),
        (
            "wk-legal",
            "Cobalt legal review",
            "20261124T180000Z",
            "20261124T200000Z",
        ),
        (
            "wk-training",
            "Team training",
            "20261125T190000Z",
            "20261125T200000Z",
        ),
    ];
    let standups: Vec<(String, String, String)> = [23, 24, 25, 26, 27]
        .iter()
        .map(|d| {
            (
                format!("wk-standup-{d}"),
                format!("202611{d}T143000Z"),
                format!("202611{d}T144500Z"),
            )
        })
        .collect();
    let mut ics =
        String::from("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//baton//demo-data//EN\r\n");
    let mut push = |uid: &str, title: &str, start: &str, end: &str| {
        ics.push_str(&format!(
            "BEGIN:VEVENT\r\nUID:{uid}@demo.example\r\nDTSTAMP:20261119T120000Z\r\nDTSTART:{start}\r\nDTEND:{end}\r\nSUMMARY:{title}\r\nEND:VEVENT\r\n"
        ));
    };
    for (uid, title, start, end) in events {
        push(uid, title, start, end);
    }
    for (uid, start, end) in &standups {
        push(uid, "Team stand-up", start, end);
    }
    ics.push_str("END:VCALENDAR\r\n");
    json!({ "user": "rep1", "ics": ics })
}

/// The Meeting BaaS `complete` webhook for the discovery call, as the
/// bundled sample, its times set to the day.
fn meeting_ended() -> Result<Value> {
    let mut hook = read("examples/webhooks/meetingbaas-complete.json")?;
    hook["data"]["bot_id"] = json!(format!("mtg-{DATE}-northwind"));
    hook["data"]["extra"]["started_at"] = json!(at::MEETING);
    hook["data"]["extra"]["ended_at"] = json!(format!("{DATE}T15:21:19Z"));
    Ok(json!({ "webhook": hook }))
}

/// Ken, Northwind's IT security lead, asks Jordan for a meeting next week.
fn inbound_email() -> Value {
    json!({
        "event": {
            "type": "email_received", "user": "rep1",
            "payload": {
                "message_id": format!("<ken-{DATE}@mail.northwind.example>"),
                "thread_id": "thr-northwind-security",
                "from": "Ken Ito <ken.ito@northwind.example>",
                "subject": "Security review before the rollout",
                "body": "Hi Jordan,\n\nMarta filled me in on your call this morning. Could we set up a meeting next week \
    to walk through your security setup with my team? Tuesday or Wednesday afternoon would suit us best; 30 minutes is plenty.\n\nThanks,\nKen",
                "received_at": format!("{DATE}T17:04:00Z"),
            }
        }
    })
}

/// A positive reply to an outreach campaign, as `monitor-campaigns` hands
/// it on (`examples/events/campaign_reply.json`), received on the day.
fn campaign_reply() -> Result<Value> {
    let mut payload = read("examples/events/campaign_reply.json")?;
    payload["received_at"] = json!(format!("{DATE}T18:38:00Z"));
    payload["message_id"] = json!(format!("<e-james-{DATE}@mail.example>"));
    Ok(json!({
        "event": { "type": "campaign_reply", "user": "rep1", "payload": payload }
    }))
}
