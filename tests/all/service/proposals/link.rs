//! Proposals shared at a link: told to the rep, views recorded and
//! reported, expired and wrong tokens, another org.

use super::*;
use baton::store::OrgId;
use baton::store::ProposalTables;
use baton_tests::{Backend, PATIENCE, SmtpSink, TestDb, backend_test, until};
use serde_json::json;

backend_test!(
    a_shared_link_is_told_to_the_rep_and_each_view_is_recorded_and_reported_at_most_half_hourly,
    a_shared_link_is_told_to_the_rep_and_each_view_is_recorded_and_reported_at_most_half_hourly_body
);

async fn a_shared_link_is_told_to_the_rep_and_each_view_is_recorded_and_reported_at_most_half_hourly_body(
    backend: Backend,
) {
    let smtp = SmtpSink::start();
    let slack = slack_peer();
    let db = TestDb::new(backend).await;
    let seq = proposing("link");
    let mut vars = slack_env(&slack);
    vars.push(smtp_env(&smtp));
    let s = serve(&db, &[&seq, VIEWED], &vars).await;
    rep_slack_channel(&s).await;
    let job = sent(&s, "northwind").await;
    assert!(smtp.messages().is_empty(), "a link emails no one");
    let list = proposals(&s).await;
    assert_eq!(list.len(), 1);
    let link = list[0]["link"].as_str().expect("a link").to_owned();
    let id = list[0]["id"].as_str().expect("id").to_owned();
    assert_eq!(list[0]["status"], "sent");
    let posted = |needle: &str| {
        slack
            .requests()
            .iter()
            .filter(|r| r.contains(needle))
            .count()
    };
    assert_eq!(posted(&link), 1, "the rep is told the link in Slack");
    // And it is on the job's page in the inbox.
    let cookie = s.inbox_login(&s.token).await;
    let page = s
        .http
        .get(s.url(&format!("/inbox/jobs/{job}")))
        .header("cookie", &cookie)
        .send()
        .await
        .expect("job page")
        .text()
        .await
        .expect("html");
    assert!(page.contains(&format!("href=\"{link}\"")), "{page}");
    // The prospect opens it.
    let page = open(&s, &link).await;
    assert_eq!(page.status(), 200);
    let h = page.headers();
    assert_eq!(h["cache-control"], "no-store");
    assert!(
        h["x-robots-tag"]
            .to_str()
            .is_ok_and(|v| v.contains("noindex"))
    );
    assert_eq!(h["referrer-policy"], "no-referrer");
    let html = page.text().await.expect("html");
    assert!(
        html.contains("<blockquote>Renewals slip every quarter"),
        "{html}"
    );
    let (_, one) = s.get(&format!("/v1/proposals/{id}")).await;
    assert_eq!(one["status"], "viewed");
    assert_eq!(one["views"].as_array().map(Vec::len), Some(1));
    assert!(one["first_viewed_at"].is_i64());
    let viewed = jobs_of(&s, "proposal_viewed").await;
    assert_eq!(viewed.len(), 1, "one proposal_viewed event");
    s.wait_job(viewed[0]["id"].as_str().expect("id"), |j| {
        j["status"] == "completed"
    })
    .await;
    until("the rep hears of the view in Slack", PATIENCE, async || {
        posted("opened your proposal") == 1
    })
    .await;
    assert_eq!(
        posted(
            "Northwind opened your proposal \\u201cRenewals Hub for Northwind\\u201d (1st view)"
        ) + posted(
            "Northwind opened your proposal \u{201c}Renewals Hub for Northwind\u{201d} (1st view)"
        ),
        1,
        "{:?}",
        slack.requests().last()
    );
    // The same client again within the half hour — a reload, or a burst
    // of 40 at once — is counted once.
    let mut burst = tokio::task::JoinSet::new();
    for _ in 0..40 {
        let (http, link) = (s.http.clone(), link.clone());
        burst.spawn(async move {
            http.get(&link)
                .header("user-agent", super::FIREFOX)
                .send()
                .await
                .map(|r| r.status().as_u16())
        });
    }
    while let Some(r) = burst.join_next().await {
        assert_eq!(r.expect("joined").expect("GET"), 200);
    }
    let (_, one) = s.get(&format!("/v1/proposals/{id}")).await;
    assert_eq!(
        one["views"].as_array().map(Vec::len),
        Some(1),
        "one viewer, one view per half hour"
    );
    // Another viewer (another browser) within the half hour: a second
    // view, and no second event.
    let other = s
        .http
        .get(&link)
        .header(
            "user-agent",
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_1) Safari/605.1.15",
        )
        .send()
        .await
        .expect("another viewer");
    assert_eq!(other.status(), 200);
    let (_, one) = s.get(&format!("/v1/proposals/{id}")).await;
    assert_eq!(one["views"].as_array().map(Vec::len), Some(2));
    assert_eq!(
        jobs_of(&s, "proposal_viewed").await.len(),
        1,
        "at most one event per half hour (the event is submitted before the page is answered)"
    );
    // A preview robot gets the page and counts for nothing.
    let robot = s
        .http
        .get(&link)
        .header(
            "user-agent",
            "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
        )
        .send()
        .await
        .expect("robot");
    assert_eq!(robot.status(), 200);
    // Half an hour on, the next view is told again.
    s.clock.advance(31 * 60 * 1000);
    assert_eq!(open(&s, &link).await.status(), 200);
    let (_, one) = s.get(&format!("/v1/proposals/{id}")).await;
    assert_eq!(
        one["views"].as_array().map(Vec::len),
        Some(3),
        "the robot is not a view"
    );
    assert_eq!(jobs_of(&s, "proposal_viewed").await.len(), 2);
    until("the third view is told", PATIENCE, async || {
        posted("(3rd view)") == 1
    })
    .await;
    // Nothing a rep read in Slack names the machinery (issue 38, 2.3).
    assert!(
        baton_tests::plain::assert_plain_slack(&slack) > 0,
        "Slack was posted to"
    );
    s.stop().await;
    db.finish().await;
}

backend_test!(
    an_expired_wrong_or_malformed_token_is_a_404_that_records_nothing,
    an_expired_wrong_or_malformed_token_is_a_404_that_records_nothing_body
);

async fn an_expired_wrong_or_malformed_token_is_a_404_that_records_nothing_body(backend: Backend) {
    let db = TestDb::new(backend).await;
    let seq = proposing("link");
    let s = serve(&db, &[&seq, VIEWED], &[]).await;
    sent(&s, "northwind").await;
    let p = proposals(&s).await.remove(0);
    let link = p["link"].as_str().expect("link").to_owned();
    let id = p["id"].as_str().expect("id").to_owned();
    let token = link.rsplit('/').next().expect("token").to_owned();
    let mut wrong: Vec<char> = token.chars().collect();
    wrong[0] = if wrong[0] == 'A' { 'B' } else { 'A' };
    let wrong: String = wrong.into_iter().collect();
    for bad in [
        format!("/p/{wrong}"),
        "/p/not-a-token".to_owned(),
        format!("/p/{token}x"),
        format!("/p/{}", "A".repeat(500)),
    ] {
        let r = open(&s, &s.url(&bad)).await;
        assert_eq!(r.status(), 404, "{bad}");
        assert_eq!(r.headers()["cache-control"], "no-store");
        let html = r.text().await.expect("html");
        assert!(html.contains("This link does not work"), "{html}");
        assert!(!html.contains("Renewals Hub"), "{html}");
    }
    // Thirty days on (the default), the link has expired.
    s.clock.advance(30 * 24 * 60 * 60 * 1000 + 1000);
    let r = open(&s, &link).await;
    assert_eq!(r.status(), 404, "expired");
    let (_, one) = s.get(&format!("/v1/proposals/{id}")).await;
    assert_eq!(one["views"], json!([]), "nothing recorded");
    assert_eq!(one["status"], "sent");
    assert!(jobs_of(&s, "proposal_viewed").await.is_empty());
    s.stop().await;
    db.finish().await;
}

backend_test!(
    another_org_can_neither_read_nor_answer_a_proposal,
    another_org_can_neither_read_nor_answer_a_proposal_body
);

async fn another_org_can_neither_read_nor_answer_a_proposal_body(backend: Backend) {
    let db = TestDb::new(backend).await;
    let seq = proposing("link");
    let s = serve(&db, &[&seq], &[]).await;
    sent(&s, "northwind").await;
    let id = proposals(&s).await[0]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let other: OrgId = s
        .app
        .store()
        .upsert_org("globex", "Globex", &json!({}))
        .await
        .expect("org");
    let (_, theirs) = s
        .app
        .store()
        .create_token(&other, "globex", 0)
        .await
        .expect("token");
    let as_them = |r: reqwest::RequestBuilder| r.bearer_auth(&theirs).send();
    let r = as_them(s.http.get(s.url("/v1/proposals")))
        .await
        .expect("list");
    assert_eq!(r.status(), 200);
    assert_eq!(r.json::<Value>().await.expect("json"), json!([]));
    let r = as_them(s.http.get(s.url(&format!("/v1/proposals/{id}"))))
        .await
        .expect("one");
    assert_eq!(r.status(), 404);
    let r = as_them(
        s.http
            .post(s.url(&format!("/v1/proposals/{id}/status")))
            .json(&json!({ "status": "accepted" })),
    )
    .await
    .expect("answer");
    assert_eq!(r.status(), 404);
    let (_, one) = s.get(&format!("/v1/proposals/{id}")).await;
    assert_eq!(one["status"], "sent", "untouched");
    // The owner answers it once; a second answer is a conflict, and a
    // status that is not an answer is refused.
    let path = format!("/v1/proposals/{id}/status");
    let (status, r) = s.post(&path, json!({ "status": "sent" })).await;
    assert_eq!(status, 422, "{r}");
    let (status, r) = s.post(&path, json!({ "status": "accepted" })).await;
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["status"], "accepted");
    let (status, r) = s.post(&path, json!({ "status": "declined" })).await;
    assert_eq!(status, 409, "{r}");
    let (status, r) = s.get("/v1/proposals?status=accepted").await;
    assert_eq!((status, r.as_array().map(Vec::len)), (200, Some(1)));
    let awaiting = s
        .app
        .store()
        .proposals_awaiting(&s.org, Some(&s.user))
        .await
        .expect("awaiting");
    assert!(awaiting.is_empty(), "an accepted proposal awaits nothing");
    s.stop().await;
    db.finish().await;
}
