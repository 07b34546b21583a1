//! Each branch of an inbound email: a question answered with a draft the
//! rep approves, a meeting request that finds free times on the rep's
//! calendar, a proposal request, an fyi logged, an unsubscribe honoured.

use super::{child_of, decide, receive, serve};
use baton::store::JobId;
use baton_tests::{Backend, PATIENCE, TestDb, backend_test, until};
use serde_json::json;

backend_test!(
    each_branch_of_an_inbound_email,
    each_branch_of_an_inbound_email_body
);

async fn each_branch_of_an_inbound_email_body(backend: Backend) {
    let db = TestDb::new(backend).await;
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
        s.step_data(&job, "classify-email-intent").await["intent"],
        "needs_response"
    );
    let matched = s.step_data(&job, "match-to-crm-contact").await;
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
    until("the reply reaches SMTP", PATIENCE, async || {
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
        s.step_data(&job, "classify-email-intent").await["intent"],
        "meeting_request"
    );
    assert_eq!(child.event_type, "calendar_find_times");
    assert_eq!(
        child.payload["contact_email"],
        "tom.reyes@harbourfreight.example"
    );
    let child_id = child.id.0.clone();
    s.wait_job(&child_id, |j| j["status"] == "awaiting_approval")
        .await;
    assert!(peers.calendar.hits() >= 1, "the rep's calendar was read");
    let found = s.step_data(&child_id, "find-available-slots").await;
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
    until(
        "the invite reaches the delivery webhook",
        PATIENCE,
        async || peers.delivery.hits() >= 1,
    )
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
    // It went out as an iMIP invitation from the rep first.
    let invitation = peers.smtp.messages();
    assert!(
        invitation.iter().any(
            |m| m["rcpt_tos"] == json!(["tom.reyes@harbourfreight.example"])
                && m["data"]
                    .as_str()
                    .is_some_and(|d| d.contains("text/calendar") && d.contains("method=REQUEST"))
        ),
        "{invitation:#?}"
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
    s.wait_job(child.id.as_str(), |j| j["status"] == "completed")
        .await;

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
        s.step_data(&job, "classify-email-intent").await["intent"],
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
        s.step_data(&job, "classify-email-intent").await["intent"],
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
    assert_eq!(
        listed[0].job_id.as_ref().map(JobId::as_str),
        Some(job.as_str())
    );
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
        2,
        "only Aisha's reply and Tom's invitation (before he opted out) were ever sent"
    );
    s.stop().await;
    db.finish().await;
}
