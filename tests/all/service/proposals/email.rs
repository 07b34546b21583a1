//! Emailed proposals: as the rep, with the document and its link; edits
//! at the gate; the daily send cap; do-not-contact.

use super::*;
use baton::orchestrator::Clock;
use baton::store::ProposalTables;
use baton_tests::server::{Setup, env, start};
use baton_tests::{Backend, PATIENCE, SmtpSink, TestDb, backend_test, until};
use serde_json::json;

backend_test!(
    an_approved_proposal_is_emailed_as_the_rep_with_its_document_and_a_working_link,
    an_approved_proposal_is_emailed_as_the_rep_with_its_document_and_a_working_link_body
);

async fn an_approved_proposal_is_emailed_as_the_rep_with_its_document_and_a_working_link_body(
    backend: Backend,
) {
    let smtp = SmtpSink::start();
    let db = TestDb::new(backend).await;
    let seq = proposing("email");
    let s = serve(&db, &[&seq], &[smtp_env(&smtp)]).await;
    let (job, gate) = at_the_gate(&s, "northwind").await;
    assert_eq!(gate["body"]["actions"][0]["kind"], "proposal_send");
    assert!(
        proposals(&s).await.is_empty(),
        "nothing is out before approval"
    );
    let (status, r) = decide(&s, &gate, json!({ "decision": "approved" })).await;
    assert_eq!(status, 200, "{r}");
    until(
        "the proposal reaches the SMTP server",
        PATIENCE,
        async || !smtp.messages().is_empty(),
    )
    .await;
    let mail = smtp.messages();
    assert_eq!(mail.len(), 1, "one email");
    assert_eq!(mail[0]["mail_from"], "jordan.avery@acme.example");
    assert_eq!(mail[0]["rcpt_tos"], json!([MARTA]));
    let data = mail[0]["data"].as_str().expect("data");
    assert!(
        data.contains("Subject: Your Renewals Hub proposal"),
        "{data}"
    );
    let text = mail_text(data);
    assert!(
        text.starts_with("Hi Marta,"),
        "the cover note first: {text}"
    );
    for part in [
        "Renewals Hub for Northwind",
        "Prepared for Marta Ruiz, Northwind",
        "> Renewals slip every quarter",
        "- One view of every renewal",
        "$540 = $21,600",
        "Total: $21,600",
        "Valid until 2026-12-31",
    ] {
        assert!(text.contains(part), "`{part}` is in the email: {text}");
    }
    let link = link_in(&text, &s.base);
    s.wait_job(&job, |j| j["effects"][0]["status"] == "delivered")
        .await;
    let list = proposals(&s).await;
    assert_eq!(list.len(), 1, "{list:#?}");
    let p = &list[0];
    assert_eq!(p["status"], "sent");
    assert_eq!(p["amount_cents"], 2_160_000);
    assert_eq!(p["currency"], "USD");
    assert_eq!(p["version"], 1);
    assert_eq!(p["job_id"], job.as_str());
    assert_eq!(
        p["link"],
        link.as_str(),
        "the emailed link is the stored one"
    );
    assert!(
        p.get("share_token").is_none(),
        "the token shows only in the link"
    );
    let page = open(&s, &link).await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.expect("html");
    assert!(html.contains("Renewals Hub for Northwind") && html.contains("$21,600"));
    assert!(
        html.contains("jordan.avery@acme.example"),
        "the rep signs it"
    );
    let audit = s.app.store().audit_log(&s.org, 10).await.expect("audit");
    let kinds: Vec<&str> = audit.iter().map(|a| a.kind.as_str()).collect();
    assert!(
        kinds.contains(&"email_sent") && kinds.contains(&"proposal_sent"),
        "{kinds:?}"
    );
    s.stop().await;
    db.finish().await;
}

backend_test!(
    an_edit_at_the_gate_is_what_is_stored_and_sent_and_a_malformed_edit_is_refused,
    an_edit_at_the_gate_is_what_is_stored_and_sent_and_a_malformed_edit_is_refused_body
);

async fn an_edit_at_the_gate_is_what_is_stored_and_sent_and_a_malformed_edit_is_refused_body(
    backend: Backend,
) {
    let smtp = SmtpSink::start();
    let db = TestDb::new(backend).await;
    let seq = proposing("email");
    let s = serve(&db, &[&seq], &[smtp_env(&smtp)]).await;
    let (job, gate) = at_the_gate(&s, "northwind").await;
    // Through the API: prices that do not add up are refused, naming the
    // problem, and so is an edit that is no proposal.
    let mut bad = gate["body"]["actions"][0]["payload"].clone();
    bad["proposal"]["pricing"][0]["quantity"] = json!(50);
    bad["proposal"]["pricing"][0]["total"] = json!(2_700_000);
    let (status, problem) = decide(&s, &gate, json!({ "decision": "edited", "value": bad })).await;
    assert_eq!(status, 422, "{problem}");
    assert!(
        problem["detail"]
            .as_str()
            .is_some_and(|d| d.contains("add up")),
        "{problem}"
    );
    let (status, problem) = decide(
        &s,
        &gate,
        json!({ "decision": "edited", "value": { "subject": "only a subject" } }),
    )
    .await;
    assert_eq!(status, 422, "{problem}");
    assert!(smtp.messages().is_empty());
    // The inbox page shows the document with the one renderer.
    let cookie = s.inbox_login(&s.token).await;
    let page = s
        .http
        .get(s.url(&format!(
            "/inbox/approvals/{}",
            gate["id"].as_str().expect("id")
        )))
        .header("cookie", &cookie)
        .send()
        .await
        .expect("inbox");
    let html = page.text().await.expect("html");
    assert!(
        html.contains("<blockquote>Renewals slip every quarter"),
        "{html}"
    );
    assert!(html.contains("$21,600") && html.contains(MARTA), "{html}");
    // The rep edits a section and a quantity in the inbox's form; the
    // totals are worked out there and the edit is checked as any other.
    let form = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let gate_page = s.url(&format!(
        "/inbox/approvals/{}",
        gate["id"].as_str().expect("id")
    ));
    let refused = form
        .post(&gate_page)
        .header("cookie", &cookie)
        .form(&[("decision", "edit"), ("price_quantity_0", "fifty")])
        .send()
        .await
        .expect("post a bad edit");
    assert_eq!(refused.status().as_u16(), 422);
    let html = refused.text().await.expect("html");
    assert!(html.contains("not a whole number"), "{html}");
    let posted = form
        .post(&gate_page)
        .header("cookie", &cookie)
        .form(&[
            ("decision", "edit"),
            ("section_body_0", "Edited at the gate: 50 seats."),
            ("price_quantity_0", "50"),
            ("price_unit_0", "540.00"),
        ])
        .send()
        .await
        .expect("post the edit");
    assert_eq!(posted.status().as_u16(), 303, "decided, on to the job");
    until("the edited proposal is sent", PATIENCE, async || {
        !smtp.messages().is_empty()
    })
    .await;
    let text = mail_text(smtp.messages()[0]["data"].as_str().expect("data"));
    assert!(text.contains("Edited at the gate: 50 seats."), "{text}");
    assert!(text.contains("Total: $27,000"), "{text}");
    assert!(
        !text.contains("Renewals slip"),
        "the original is not sent: {text}"
    );
    s.wait_job(&job, |j| j["effects"][0]["status"] == "delivered")
        .await;
    let p = proposals(&s).await.remove(0);
    assert_eq!(p["amount_cents"], 2_700_000);
    assert_eq!(
        p["document"]["sections"][0]["body"],
        "Edited at the gate: 50 seats."
    );
    s.stop().await;
    db.finish().await;
}

backend_test!(
    do_not_contact_stops_an_emailed_proposal_at_the_gate_and_in_the_undo_window,
    do_not_contact_stops_an_emailed_proposal_at_the_gate_and_in_the_undo_window_body
);

async fn do_not_contact_stops_an_emailed_proposal_at_the_gate_and_in_the_undo_window_body(
    backend: Backend,
) {
    let smtp = SmtpSink::start();
    let db = TestDb::new(backend).await;
    let seq = proposing("email");
    let mut config = Setup::default().config;
    config.runner.undo_window_ms = 60_000;
    let pairs = [("BATON_SMTP_URL", format!("smtp://127.0.0.1:{}", smtp.port))];
    let s = start(
        db.store.clone(),
        Setup {
            sequences: &[&seq],
            env: env(&[(pairs[0].0, pairs[0].1.as_str())]),
            config,
            ..Setup::default()
        },
    )
    .await;
    // Approved, then held by the undo window like any email; the address
    // is flagged meanwhile: the queued proposal is cancelled.
    let (job, gate) = at_the_gate(&s, "northwind").await;
    let (status, r) = decide(&s, &gate, json!({ "decision": "approved" })).await;
    assert_eq!(status, 200, "{r}");
    let held = s
        .wait_job(&job, |j| j["effects"][0]["status"] == "pending")
        .await;
    assert!(
        held["effects"][0]["not_before"].as_i64() > Some(s.clock.now_ms()),
        "the undo window holds an emailed proposal: {held:#}"
    );
    let flagged = s
        .app
        .store()
        .flag_do_not_contact(&s.org, MARTA, "unsubscribed", s.app.now())
        .await
        .expect("flag");
    assert_eq!(flagged.emails_cancelled, 1, "{flagged:?}");
    s.clock.advance(61_000);
    s.wait_job(&job, |j| j["effects"][0]["status"] == "cancelled")
        .await;
    // A new proposal to a listed address is refused at the gate.
    let (_, gate) = at_the_gate(&s, "northwind-2").await;
    let (status, problem) = decide(&s, &gate, json!({ "decision": "approved" })).await;
    assert_eq!(status, 409, "{problem}");
    assert!(
        problem["detail"]
            .as_str()
            .is_some_and(|d| d.contains("do-not-contact")),
        "{problem}"
    );
    assert!(smtp.messages().is_empty(), "nothing was sent");
    assert!(proposals(&s).await.is_empty(), "nothing was published");
    s.stop().await;
    db.finish().await;
}

backend_test!(
    an_emailed_proposal_counts_against_the_daily_send_cap_and_a_link_does_not,
    an_emailed_proposal_counts_against_the_daily_send_cap_and_a_link_does_not_body
);

async fn an_emailed_proposal_counts_against_the_daily_send_cap_and_a_link_does_not_body(
    backend: Backend,
) {
    let smtp = SmtpSink::start();
    let db = TestDb::new(backend).await;
    let emailed = proposing("email");
    let linked = proposing_on("content_retrieval", "link");
    let s = serve(&db, &[&emailed, &linked], &[smtp_env(&smtp)]).await;
    let prefs = baton::store::Preferences {
        daily_send_cap: 1,
        ..baton::store::Preferences::default()
    };
    s.app
        .store()
        .set_preferences(&s.org, &s.user, &prefs)
        .await
        .expect("prefs");
    sent(&s, "northwind").await;
    assert_eq!(smtp.messages().len(), 1);
    // The cap (1 recipient a day) is used: a second emailed proposal waits.
    let (_, gate) = at_the_gate(&s, "northwind-2").await;
    let (status, problem) = decide(&s, &gate, json!({ "decision": "approved" })).await;
    assert_eq!(status, 409, "{problem}");
    assert!(
        problem["detail"]
            .as_str()
            .is_some_and(|d| d.contains("daily send cap")),
        "{problem}"
    );
    // A proposal only published at its link emails no one: not capped.
    let (status, r) = s
        .post(
            "/v1/events",
            json!({ "type": "content_retrieval", "user": "rep1", "payload": { "deal": "northwind-3" } }),
        )
        .await;
    assert_eq!(status, 202, "{r}");
    let job = r["job_id"].as_str().expect("job").to_owned();
    let gate = s.open_gate(&job).await;
    let (status, r) = decide(&s, &gate, json!({ "decision": "approved" })).await;
    assert_eq!(status, 200, "{r}");
    s.wait_job(&job, |j| j["effects"][0]["status"] == "delivered")
        .await;
    assert_eq!(smtp.messages().len(), 1, "still one email");
    assert_eq!(proposals(&s).await.len(), 2);
    let awaiting = s
        .app
        .store()
        .proposals_awaiting(&s.org, Some(&s.user))
        .await
        .expect("awaiting");
    assert_eq!(awaiting.len(), 1);
    assert_eq!(
        (
            awaiting[0].currency.as_str(),
            awaiting[0].amount_cents,
            awaiting[0].proposals
        ),
        ("USD", 4_320_000, 2),
        "proposal value awaiting response, per currency"
    );
    s.stop().await;
    db.finish().await;
}
