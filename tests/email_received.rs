//! The email_received chain end to end, with the shipped skills and
//! sequences, in a real `baton serve` on loopback (SMTP, the rep's calendar
//! feed and the delivery webhook on loopback too): each branch of an
//! inbound email, and each send-as-rep safety rail.

use baton::orchestrator::clock::Clock;
use baton::registry::Grants;
use baton::store::Preferences;
use baton_tests::server::{Server, Setup, env, start};
use baton_tests::{Answer, HttpPeer, SmtpSink, TestDb, root};
use serde_json::{Value, json};
use std::time::Duration;

/// proposal_generation's own skills ship with a later issue: a stand-in
/// run by the `scripted` guest shows the child job.
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

const SKILLS: [&str; 6] = [
    "classify-email-intent",
    "match-to-crm-contact",
    "draft-email-reply",
    "parse-scheduling-request",
    "find-available-slots",
    "present-time-options",
];

/// The rep is busy every day 09:00–12:00 UTC.
const REP_ICS: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//baton tests//EN\r\n\
BEGIN:VEVENT\r\nUID:standup@acme.example\r\nDTSTAMP:20260101T000000Z\r\n\
DTSTART:20260101T090000Z\r\nDTEND:20260101T120000Z\r\nRRULE:FREQ=DAILY\r\n\
SUMMARY:Customer calls\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

fn read(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// What the operator grants: each skill what it declares (the reply
/// drafter's `llm` is only used when a model is configured; none is here),
/// and the slot finder the calendar feed's host.
fn grants(calendar_port: u16) -> Grants {
    Grants::parse(&format!(
        r#"
[skills.classify-email-intent]
grant = ["context:contact"]
[skills.match-to-crm-contact]
grant = ["context:contact"]
[skills.draft-email-reply]
grant = ["context:org", "context:contact", "llm"]
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
}

/// The service with the shipped sequences, a CRM with two contacts (one
/// with an open deal), the rep in UTC with a signature and a send cap of
/// `cap`, and approved emails held `undo_ms` before they go.
async fn serve(db: &TestDb, cap: i64, undo_ms: i64) -> (Server, Peers) {
    let peers = Peers {
        smtp: SmtpSink::start(),
        calendar: HttpPeer::answering(vec![], Answer::new(200, REP_ICS)),
        delivery: HttpPeer::start(),
    };
    let email = read("sequences/email_received.toml");
    let calendar = read("sequences/calendar_find_times.toml");
    let mut setup = Setup {
        sequences: &[&email, &calendar, PROPOSAL, UNGATED],
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
    let (status, accepted) = s
        .post(
            "/v1/events",
            json!({ "type": "email_received", "user": "rep1", "payload": {
                "message_id": format!("<{id}@harbourfreight.example>"),
                "references": "<first@acme.example>",
                "from": from, "subject": subject, "body": body,
                "received_at": "2026-11-23T09:12:00Z",
            }}),
        )
        .await;
    assert_eq!(status, 202, "{accepted}");
    accepted["job_id"].as_str().expect("job").to_owned()
}

/// The completed output data of `step` in `job`.
async fn data_of(s: &Server, job: &str, step: &str) -> Value {
    let runs = s.app.store().step_runs(&s.org, job).await.expect("runs");
    runs.into_iter()
        .rev()
        .find(|r| r.step_name == step && r.output.is_some())
        .and_then(|r| r.output)
        .map(|o| o["data"].clone())
        .unwrap_or_else(|| panic!("step {step} of {job} has no output"))
}

/// Poll `check` for at most 20 s.
async fn until(what: &str, mut check: impl AsyncFnMut() -> bool) {
    for _ in 0..400 {
        if check().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("never happened: {what}");
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
        .job(&s.org, id)
        .await
        .expect("job")
        .expect("the child exists")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_branch_of_an_inbound_email() {
    let db = TestDb::sqlite().await;
    let (s, peers) = serve(&db, 50, 0).await;

    // needs_response: a reply drafted, threaded, held at a confirm gate
    // that shows to / subject / body.
    let job = receive(
        &s,
        "q1",
        "Aisha Bello <Aisha.Bello@harbourfreight.example>",
        "Re: security review",
        "Does your EU region keep backups inside the EU? Our IT team needs to know before Friday.\n\n\
         On Fri, 20 Nov 2026, Jordan Avery wrote:\n> Here is the security pack. Any questions?",
    )
    .await;
    s.wait_job(&job, |j| j["status"] == "awaiting_approval")
        .await;
    assert_eq!(
        data_of(&s, &job, "classify-email-intent").await["intent"],
        "needs_response"
    );
    let matched = data_of(&s, &job, "match-to-crm-contact").await;
    assert_eq!(matched["matched"], true, "{matched:#}");
    assert_eq!(matched["deal"]["name"], "Harbour rollout");
    let gate = s.open_gate(&job).await;
    assert_eq!(gate["pattern"], "confirm");
    let draft = &gate["body"]["actions"][0]["payload"];
    assert_eq!(draft["to"], "aisha.bello@harbourfreight.example");
    assert_eq!(draft["subject"], "Re: security review");
    assert_eq!(draft["in_reply_to"], "<q1@harbourfreight.example>");
    assert_eq!(
        draft["references"],
        "<first@acme.example> <q1@harbourfreight.example>"
    );
    let body = draft["body"].as_str().expect("body");
    assert!(body.starts_with("Hi Aisha,"), "{body}");
    assert!(body.contains("EU region keep backups"), "{body}");
    assert!(
        !body.contains("Any questions?"),
        "the quoted history is not answered: {body}"
    );
    assert!(
        peers.smtp.messages().is_empty(),
        "nothing is sent before approval"
    );
    let (status, decided) = decide(&s, &gate, json!({ "decision": "approved" })).await;
    assert_eq!(status, 200, "{decided}");
    until("the reply reaches SMTP", async || {
        !peers.smtp.messages().is_empty()
    })
    .await;
    let mail = peers.smtp.messages();
    let data = mail[0]["data"].as_str().expect("data");
    assert_eq!(
        mail[0]["rcpt_tos"],
        json!(["aisha.bello@harbourfreight.example"])
    );
    assert!(
        data.contains("In-Reply-To: <q1@harbourfreight.example>"),
        "{data}"
    );
    assert!(
        data.contains("References: <first@acme.example> <q1@harbourfreight.example>"),
        "{data}"
    );
    assert!(
        data.contains("Account Executive, Acme"),
        "signature appended: {data}"
    );
    s.wait_job(&job, |j| j["status"] == "completed").await;

    // meeting_request: calendar_find_times runs as a child job on the rep's
    // real calendar feed and offers slots clear of the busy mornings; the
    // rep's pick becomes a calendar invite.
    let job = receive(
        &s,
        "m1",
        "Tom Reyes <tom.reyes@harbourfreight.example>",
        "Walkthrough for the ops team",
        "Could we book a 30 minute call next week to walk my team through the rollout? Afternoons are best.",
    )
    .await;
    let child = child_of(&s, &job).await;
    assert_eq!(
        data_of(&s, &job, "classify-email-intent").await["intent"],
        "meeting_request"
    );
    assert_eq!(child.event_type, "calendar_find_times");
    assert_eq!(
        child.payload["contact_email"],
        "tom.reyes@harbourfreight.example"
    );
    let child_id = child.id.clone();
    s.wait_job(&child_id, |j| j["status"] == "awaiting_approval")
        .await;
    assert!(peers.calendar.hits() >= 1, "the rep's calendar was read");
    let found = data_of(&s, &child_id, "find-available-slots").await;
    assert_eq!(found["calendar"], "read", "{found:#}");
    assert_eq!(found["duration_min"], 30);
    let slots = found["slots"].as_array().expect("slots");
    assert!((3..=5).contains(&slots.len()), "{found:#}");
    for slot in slots {
        let start = slot["start"].as_str().expect("start");
        let hhmm = &start[11..16];
        assert!(
            ("12:15".."18:00").contains(&hhmm),
            "a slot clear of 09:00–12:00 plus the buffer, in working hours: {slot:#}"
        );
    }
    let choose = s.open_gate(&child_id).await;
    assert_eq!(choose["pattern"], "choose");
    let options = choose["options"].as_array().expect("options");
    assert_eq!(
        options.len(),
        slots.len() + 1,
        "each slot, then email the times"
    );
    let (status, decided) = decide(&s, &choose, json!({ "decision": "chosen", "value": 0 })).await;
    assert_eq!(status, 200, "{decided}");
    let done = s.wait_job(&child_id, |j| j["status"] == "completed").await;
    let invite = &done["effects"][0];
    assert_eq!(invite["kind"], "calendar_invite", "{done:#}");
    until("the invite reaches the delivery webhook", async || {
        peers.delivery.hits() >= 1
    })
    .await;
    let delivered = peers.delivery.requests().join("\n");
    assert!(
        delivered.contains(slots[0]["start"].as_str().expect("start")),
        "{delivered}"
    );
    assert!(
        delivered.contains("tom.reyes@harbourfreight.example"),
        "{delivered}"
    );

    // proposal_request: a proposal_generation child job for the sender.
    let job = receive(
        &s,
        "p1",
        "aisha.bello@harbourfreight.example",
        "Pricing for 60 seats",
        "Could you send me a quote for 60 seats on the annual plan?",
    )
    .await;
    let child = child_of(&s, &job).await;
    assert_eq!(child.event_type, "proposal_generation");
    assert_eq!(
        child.payload["contact_email"],
        "aisha.bello@harbourfreight.example"
    );
    s.wait_job(&child.id, |j| j["status"] == "completed").await;

    // fyi: logged, nothing else.
    let job = receive(
        &s,
        "f1",
        "aisha.bello@harbourfreight.example",
        "Re: order form",
        "Got it, thanks. I'll pass it to our finance team for their records.",
    )
    .await;
    let done = s.wait_job(&job, |j| j["status"] == "completed").await;
    assert_eq!(
        data_of(&s, &job, "classify-email-intent").await["intent"],
        "fyi"
    );
    assert_eq!(done["effects"], json!([]), "{done:#}");
    assert_eq!(done["approvals"], json!([]), "{done:#}");
    assert_eq!(done["children"], json!([]), "{done:#}");

    // unsubscribe: flagged do-not-contact, and the draft still waiting for
    // them is withdrawn.
    let pending = receive(
        &s,
        "q2",
        "Tom Reyes <tom.reyes@harbourfreight.example>",
        "Re: onboarding",
        "Which SSO providers do you support for the admin console?",
    )
    .await;
    s.wait_job(&pending, |j| j["status"] == "awaiting_approval")
        .await;
    let pending_gate = s.open_gate(&pending).await;
    let job = receive(
        &s,
        "u1",
        "Tom Reyes <tom.reyes@harbourfreight.example>",
        "Re: onboarding",
        "Please remove me from your mailing list and stop emailing me.",
    )
    .await;
    let done = s.wait_job(&job, |j| j["status"] == "completed").await;
    assert_eq!(
        data_of(&s, &job, "classify-email-intent").await["intent"],
        "unsubscribe"
    );
    assert_eq!(done["approvals"], json!([]), "an opt-out waits for nobody");
    let listed = s
        .app
        .store()
        .do_not_contact(&s.org, &["tom.reyes@harbourfreight.example".into()])
        .await
        .expect("list");
    assert_eq!(listed.len(), 1, "flagged");
    assert_eq!(listed[0].job_id.as_deref(), Some(job.as_str()));
    // The pending draft's gate expires on the next sweep and its step is skipped.
    let (status, refused) = decide(&s, &pending_gate, json!({ "decision": "approved" })).await;
    assert_eq!(status, 409, "{refused}");
    assert!(
        refused.to_string().contains("do-not-contact") || refused.to_string().contains("expired"),
        "{refused}"
    );
    s.clock.advance(1_000);
    let skipped = s.wait_job(&pending, |j| j["status"] == "completed").await;
    assert_eq!(skipped["effects"], json!([]), "{skipped:#}");
    assert_eq!(
        peers.smtp.messages().len(),
        1,
        "only Aisha's reply was ever sent"
    );
    s.stop().await;
    db.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_send_as_rep_rails_hold() {
    let db = TestDb::sqlite().await;
    // A cap of two a day, and the 30 s undo window of production.
    let (s, peers) = serve(&db, 2, 30_000).await;
    let question =
        |n: u32| format!("Quick one ({n}): does the API support webhooks for status changes?");

    // Every send needs approval: even a sequence that declares none.
    let (status, accepted) = s
        .post(
            "/v1/events",
            json!({ "type": "reply_now", "user": "rep1", "payload": {
                "from": "aisha.bello@harbourfreight.example", "subject": "API", "body": question(0),
            }}),
        )
        .await;
    assert_eq!(status, 202, "{accepted}");
    let ungated = accepted["job_id"].as_str().expect("job").to_owned();
    s.wait_job(&ungated, |j| j["status"] == "awaiting_approval")
        .await;
    assert_eq!(s.open_gate(&ungated).await["pattern"], "confirm");
    let (status, _) = decide(
        &s,
        &s.open_gate(&ungated).await,
        json!({ "decision": "skipped" }),
    )
    .await;
    assert_eq!(status, 200);

    // The approval shows to / subject / body, and nothing leaves before it.
    let job = receive(
        &s,
        "r1",
        "aisha.bello@harbourfreight.example",
        "API",
        &question(1),
    )
    .await;
    s.wait_job(&job, |j| j["status"] == "awaiting_approval")
        .await;
    let gate = s.open_gate(&job).await;
    let (_, shown) = s
        .get(&format!(
            "/v1/approvals/{}",
            gate["id"].as_str().expect("id")
        ))
        .await;
    let email = &shown["body"]["actions"][0]["payload"];
    for field in ["to", "subject", "body"] {
        assert!(
            email[field].as_str().is_some_and(|v| !v.is_empty()),
            "{field}: {shown:#}"
        );
    }
    let (_, request) = baton::connectors::blocks::approval_request(
        &s.app
            .store()
            .pending_action(&s.org, gate["id"].as_str().expect("id"))
            .await
            .expect("gate")
            .expect("exists"),
        None,
    );
    let text = request.to_string();
    assert!(
        text.contains("To: aisha.bello@harbourfreight.example"),
        "{text}"
    );
    assert!(text.contains("Subject: Re: API"), "{text}");
    assert!(text.contains("webhooks for status changes"), "{text}");
    assert!(peers.smtp.messages().is_empty());

    // 30 s to undo: approved, held, cancelled, never sent.
    let (status, _) = decide(&s, &gate, json!({ "decision": "approved" })).await;
    assert_eq!(status, 200);
    let held = s.wait_job(&job, |j| j["status"] == "completed").await;
    let effect = &held["effects"][0];
    assert_eq!(effect["status"], "pending");
    let decided_at = s.clock.now_ms();
    assert_eq!(
        effect["not_before"].as_i64(),
        Some(decided_at + 30_000),
        "{effect:#}"
    );
    // `baton outbox cancel` and the inbox's Undo button do this.
    s.app
        .store()
        .cancel_effect(&s.org, effect["id"].as_str().expect("id"))
        .await
        .expect("undo inside the window");
    s.clock.advance(31_000);
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(
        peers.smtp.messages().is_empty(),
        "an undone email never leaves"
    );

    // The daily cap (2): a cancelled send does not count; two go, the third
    // is refused with the reason.
    for n in 2..=4 {
        let job = receive(
            &s,
            &format!("r{n}"),
            "aisha.bello@harbourfreight.example",
            "API",
            &question(n),
        )
        .await;
        s.wait_job(&job, |j| j["status"] == "awaiting_approval")
            .await;
        let gate = s.open_gate(&job).await;
        let (status, answer) = decide(&s, &gate, json!({ "decision": "approved" })).await;
        if n < 4 {
            assert_eq!(status, 200, "{answer}");
        } else {
            assert_eq!(status, 409, "{answer}");
            assert!(
                answer.to_string().contains("daily send cap is 2"),
                "{answer}"
            );
        }
    }
    // Both approved emails go after the window, as the rep, signed, and on
    // the audit trail.
    s.clock.advance(31_000);
    until("two emails sent", async || peers.smtp.messages().len() == 2).await;
    let audit = s.app.store().audit_log(&s.org, 20).await.expect("audit");
    let sent: Vec<_> = audit.iter().filter(|a| a.kind == "email_sent").collect();
    assert_eq!(sent.len(), 2, "every send is audited");
    for m in peers.smtp.messages() {
        assert_eq!(m["mail_from"], "jordan.avery@acme.example");
        assert!(
            m["data"]
                .as_str()
                .is_some_and(|d| d.contains("Account Executive, Acme"))
        );
    }

    // Do-not-contact: an email approved but still in its undo window is
    // cancelled when the address is flagged, a new draft to it cannot be
    // approved, and nothing reaches them.
    let mut prefs = s
        .app
        .store()
        .preferences(&s.org, &s.user)
        .await
        .expect("prefs");
    prefs.daily_send_cap = 50;
    s.app
        .store()
        .set_preferences(&s.org, &s.user, &prefs)
        .await
        .expect("prefs");
    let job = receive(
        &s,
        "t1",
        "tom.reyes@harbourfreight.example",
        "API",
        &question(5),
    )
    .await;
    s.wait_job(&job, |j| j["status"] == "awaiting_approval")
        .await;
    let (status, _) = decide(
        &s,
        &s.open_gate(&job).await,
        json!({ "decision": "approved" }),
    )
    .await;
    assert_eq!(status, 200);
    let queued = s.wait_job(&job, |j| j["status"] == "completed").await;
    // An opt-out by phone, entered over the API.
    let (status, bad) = s
        .post("/v1/do-not-contact", json!({ "email": "not an address" }))
        .await;
    assert_eq!(status, 422, "{bad}");
    let (status, flagged) = s
        .post(
            "/v1/do-not-contact",
            json!({ "email": "Tom Reyes <Tom.Reyes@harbourfreight.example>", "reason": "asked by phone" }),
        )
        .await;
    assert_eq!(status, 200, "{flagged}");
    assert_eq!(flagged["email"], "tom.reyes@harbourfreight.example");
    assert_eq!(
        flagged["emails_cancelled"], 1,
        "the queued email is cancelled"
    );
    let (_, list) = s.get("/v1/do-not-contact").await;
    assert_eq!(
        list[0]["email"], "tom.reyes@harbourfreight.example",
        "{list}"
    );
    assert_eq!(list[0]["reason"], "asked by phone");
    let effect = s
        .app
        .store()
        .effects(&s.org, Some(&job), 5)
        .await
        .expect("effects");
    assert_eq!(effect[0].status, "cancelled", "{queued:#}");
    let job = receive(
        &s,
        "t2",
        "tom.reyes@harbourfreight.example",
        "API",
        &question(6),
    )
    .await;
    let done = s.wait_job(&job, |j| j["status"] == "completed").await;
    assert_eq!(
        data_of(&s, &job, "draft-reply").await["drafted"],
        false,
        "no draft for a flagged sender: {done:#}"
    );
    s.clock.advance(31_000);
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(
        peers
            .smtp
            .messages()
            .iter()
            .all(|m| !m["rcpt_tos"].to_string().contains("tom.reyes")),
        "nothing reaches a do-not-contact address"
    );
    s.stop().await;
    db.finish().await;
}

/// `baton eval emails` on the shared dev set: the built classifier, the
/// promised JSON shape, and the accuracy target; and a clear refusal of a
/// file that is not a labelled email set.
#[test]
fn eval_emails_scores_the_dev_set_per_label() {
    let dev = baton_tests::shared_data().join("eval/emails-dev.jsonl");
    let skill = baton_tests::skill("classify-email-intent");
    let skill = skill.to_str().expect("utf-8 path");
    let run = baton_tests::baton([
        "eval",
        "emails",
        dev.to_str().expect("utf-8 path"),
        "--skill",
        skill,
        "--json",
    ]);
    let scores = run.json();
    let accuracy = scores["accuracy"].as_f64().expect("accuracy");
    assert!(accuracy >= 0.9, "{scores:#}");
    let labels = scores["labels"].as_object().expect("labels");
    assert_eq!(labels.len(), 8, "{scores:#}");
    for (label, s) in labels {
        assert_eq!(s["support"], 20, "{label}");
        for k in ["precision", "recall"] {
            let v = s[k].as_f64().expect(k);
            assert!((0.0..=1.0).contains(&v), "{label} {k} {v}");
        }
    }
    let wrong = baton_tests::shared_data().join("eval/intents-dev.jsonl");
    let run = baton_tests::baton([
        "eval",
        "emails",
        wrong.to_str().expect("utf-8 path"),
        "--skill",
        skill,
    ]);
    assert_eq!(run.code, 2, "a usage error: {}", run.stderr);
    assert!(run.stderr.contains("line 1"), "{}", run.stderr);
}
