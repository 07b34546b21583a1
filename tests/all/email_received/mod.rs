//! The email_received chain end to end, with the shipped skills and
//! sequences, in a real `baton serve` on loopback (SMTP, the rep's calendar
//! feed and the delivery webhook on loopback too): each branch of an
//! inbound email, and each send-as-rep safety rail. The service and its
//! peers are set up here.

mod branches;
mod content;
mod eval;
mod feedback;
mod rails;
mod superseded;

use baton::registry::Grants;
use baton::store::{JobId, Preferences};
use baton_tests::server::{Server, Setup, env, start};
use baton_tests::{Answer, HttpPeer, SmtpSink, TestDb, root};
use serde_json::{Value, json};

/// A stand-in for proposal_generation run by the `scripted` guest shows the
/// child job; the shipped chain is tested in `proposal_generation.rs`.
const PROPOSAL: &str = r#"
event = "proposal_generation"

[[step]]
skill = "scripted"
"#;

/// A sequence that asks for no approval on a step that drafts an email:
/// the policy gates it anyway.
const UNGATED: &str = r#"
event = "reply_now"

[[step]]
skill = "draft-email-reply"
context = ["org", "contact"]
approval = "none"
"#;

const SKILLS: [&str; 8] = [
    "classify-email-intent",
    "match-to-crm-contact",
    "find-content",
    "draft-email-reply",
    "draft-content-email",
    "parse-scheduling-request",
    "find-available-slots",
    "present-time-options",
];

/// The rep is busy every day 09:00–12:00 UTC.
const REP_ICS: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//baton tests//EN\r\n\
BEGIN:VEVENT\r\nUID:standup@acme.example\r\nDTSTAMP:20260101T000000Z\r\n\
DTSTART:20260101T090000Z\r\nDTEND:20260101T120000Z\r\nRRULE:FREQ=DAILY\r\n\
SUMMARY:Customer calls\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

/// The demo's content library (`examples/demo.json`).
fn demo_library() -> Value {
    let demo: Value = serde_json::from_str(&read("examples/demo.json")).expect("demo JSON");
    demo["content_library"].clone()
}

fn read(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// What the operator grants: each skill what it declares (the classifier
/// its model in its data folder; the reply
/// drafter's `llm` is only used when a model is configured; none is here),
/// and the slot finder the calendar feed's host.
fn grants(calendar_port: u16) -> Grants {
    Grants::parse(&format!(
        r#"
[skills.classify-email-intent]
grant = ["context:contact", "files"]
[skills.match-to-crm-contact]
grant = ["context:contact"]
[skills.draft-email-reply]
grant = ["context:org", "context:contact", "llm"]
[skills.find-content]
grant = ["context:external:content_library"]
[skills.draft-content-email]
grant = ["context:org", "context:contact"]
[skills.parse-scheduling-request]
grant = ["context:org"]
[skills.find-available-slots]
grant = ["context:org", "context:contact", "context:external:calendar", "http:127.0.0.1:{calendar_port}"]
[skills.present-time-options]
grant = ["context:org", "approvals"]
[skills.scripted]
grant = ["context:org", "context:contact", "approvals", "llm", "http:127.0.0.1"]
"#
    ))
    .expect("grants")
}

struct Peers {
    smtp: SmtpSink,
    calendar: HttpPeer,
    delivery: HttpPeer,
    /// The operator's content folder (the security pack).
    content: tempfile::TempDir,
}

/// The service with the shipped sequences, a CRM with two contacts (one
/// with an open deal), the rep in UTC with a signature and a send cap of
/// `cap`, and approved emails held `undo_ms` before they go.
async fn serve(db: &TestDb, cap: i64, undo_ms: i64) -> (Server, Peers) {
    let peers = Peers {
        smtp: SmtpSink::start(),
        calendar: HttpPeer::answering(vec![], Answer::new(200, REP_ICS)),
        delivery: HttpPeer::start(),
        content: tempfile::tempdir().expect("tempdir"),
    };
    std::fs::copy(
        root().join("examples/content/security-pack.pdf"),
        peers.content.path().join("security-pack.pdf"),
    )
    .expect("the security pack");
    let email = read("sequences/email_received.toml");
    let calendar = read("sequences/calendar_find_times.toml");
    let content = read("sequences/content_retrieval.toml");
    let mut setup = Setup {
        sequences: &[&email, &calendar, &content, PROPOSAL, UNGATED],
        skills: &SKILLS,
        env: env(&[
            (
                "BATON_SMTP_URL",
                &format!("smtp://127.0.0.1:{}", peers.smtp.port),
            ),
            (
                "BATON_DELIVERY_URL",
                &format!("http://127.0.0.1:{}/effects", peers.delivery.port),
            ),
            (
                "BATON_CONTENT_DIR",
                &peers.content.path().display().to_string(),
            ),
        ]),
        grants: grants(peers.calendar.port),
        ..Setup::default()
    };
    setup.config.runner.undo_window_ms = undo_ms;
    let s = start(db.store.clone(), setup).await;
    let (status, imported) = s
        .post(
            "/v1/crm/import",
            json!({
                "org": { "slug": "acme", "name": "Acme" },
                "companies": [{ "name": "Harbour Freight", "domain": "harbourfreight.example" }],
                "contacts": [
                    { "name": "Aisha Bello", "email": "aisha.bello@harbourfreight.example",
                      "title": "CFO", "company": "Harbour Freight" },
                    { "name": "Tom Reyes", "email": "tom.reyes@harbourfreight.example",
                      "title": "Ops lead", "company": "Harbour Freight" }
                ],
                "deals": [{ "name": "Harbour rollout", "stage": "proposal", "company": "Harbour Freight",
                            "contact": "aisha.bello@harbourfreight.example", "amount_cents": 4_800_000 }],
                // The demo's library: its security pack is a file of the content folder.
                "content_library": demo_library(),
            }),
        )
        .await;
    assert_eq!(status, 200, "{imported}");
    s.app
        .store()
        .upsert_org(
            "acme",
            "Acme",
            &json!({ "providers": { "calendar": {
                "rep_ics_url": format!("http://127.0.0.1:{}/cal/rep.ics", peers.calendar.port)
            }}}),
        )
        .await
        .expect("calendar provider");
    let prefs = Preferences {
        timezone: "UTC".into(),
        email_signature: Some("Jordan Avery\nAccount Executive, Acme".into()),
        daily_send_cap: cap,
        ..Preferences::default()
    };
    s.app
        .store()
        .set_preferences(&s.org, &s.user, &prefs)
        .await
        .expect("prefs");
    (s, peers)
}

/// Post an inbound email; its job id.
async fn receive(s: &Server, id: &str, from: &str, subject: &str, body: &str) -> String {
    receive_at(s, id, from, subject, body, "2026-11-23T09:12:00Z").await
}

/// Post an inbound email received at `at` (RFC 3339); its job id.
async fn receive_at(
    s: &Server,
    id: &str,
    from: &str,
    subject: &str,
    body: &str,
    at: &str,
) -> String {
    let (status, accepted) = s
        .post(
            "/v1/events",
            json!({ "type": "email_received", "user": "rep1", "payload": {
                "message_id": format!("<{id}@harbourfreight.example>"),
                "references": "<first@acme.example>",
                "from": from, "subject": subject, "body": body,
                "received_at": at,
            }}),
        )
        .await;
    assert_eq!(status, 202, "{accepted}");
    accepted["job_id"].as_str().expect("job").to_owned()
}

async fn decide(s: &Server, gate: &Value, decision: Value) -> (u16, Value) {
    s.post(
        &format!(
            "/v1/approvals/{}/decision",
            gate["id"].as_str().expect("gate id")
        ),
        decision,
    )
    .await
}

/// The one child job of `job`, once it has one.
async fn child_of(s: &Server, job: &str) -> baton::store::Job {
    let parent = s
        .wait_job(job, |j| {
            j["children"].as_array().is_some_and(|c| !c.is_empty())
        })
        .await;
    let id = parent["children"][0].as_str().expect("child id");
    s.app
        .store()
        .job(&s.org, &JobId::from(id))
        .await
        .expect("job")
        .expect("the child exists")
}
