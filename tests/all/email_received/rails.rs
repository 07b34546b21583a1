//! The send-as-rep rails: every send is approved, shows what it sends,
//! can be undone for 30 s, counts against a daily cap, and never reaches a
//! do-not-contact address.

use super::{decide, receive, serve};
use baton::orchestrator::clock::Clock;
use baton::store::{EffectId, EffectStatus, GateId, JobId};
use baton_tests::{Backend, PATIENCE, TestDb, backend_test, stays, until};
use serde_json::json;
use std::time::Duration;

backend_test!(the_send_as_rep_rails_hold, the_send_as_rep_rails_hold_body);

async fn the_send_as_rep_rails_hold_body(backend: Backend) {
    let db = TestDb::new(backend).await;
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
            .pending_action(&s.org, &GateId::from(gate["id"].as_str().expect("id")))
            .await
            .expect("gate")
            .expect("exists"),
        s.app.orch.extensions(),
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
        .cancel_effect(&s.org, &EffectId::from(effect["id"].as_str().expect("id")))
        .await
        .expect("undo inside the window");
    s.clock.advance(31_000);
    stays(
        "an undone email never leaves",
        Duration::from_millis(500),
        async || peers.smtp.messages().is_empty(),
    )
    .await;

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
    until("two emails sent", PATIENCE, async || {
        peers.smtp.messages().len() == 2
    })
    .await;
    // The connector audits a send once the SMTP server has taken it.
    until("both sends audited", PATIENCE, async || {
        let audit = s.app.store().audit_log(&s.org, 20).await.expect("audit");
        audit.iter().filter(|a| a.kind == "email_sent").count() >= 2
    })
    .await;
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
        .effects(&s.org, Some(&JobId::from(job.as_str())), 5)
        .await
        .expect("effects");
    assert_eq!(effect[0].status, EffectStatus::Cancelled, "{queued:#}");
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
        s.step_data(&job, "draft-reply").await["drafted"],
        false,
        "no draft for a flagged sender: {done:#}"
    );
    s.clock.advance(31_000);
    stays(
        "nothing reaches a do-not-contact address",
        Duration::from_millis(500),
        async || {
            peers
                .smtp
                .messages()
                .iter()
                .all(|m| !m["rcpt_tos"].to_string().contains("tom.reyes"))
        },
    )
    .await;
    s.stop().await;
    db.finish().await;
}
