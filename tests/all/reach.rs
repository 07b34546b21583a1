//! A rep acts only for themself (issue 38): a rep's inbox session sees and
//! decides only that rep's gates, jobs and effects — every inbox route
//! tried with another rep's session answers 404, never 200 or a refusal
//! that shows the thing — a manager's session sees and decides for the
//! reps who report to them (the lines set through the API and by import),
//! an org token's session keeps org-wide reach, and a Slack click acts
//! only for the rep whose Slack user id is in their preferences: anyone
//! else is told, privately, that it is not theirs, and nothing changes.

use baton::store::{GateId, UserId};
use baton_tests::server::{Server, Setup, env, start};
use baton_tests::{
    Answer, Backend, HttpPeer, PATIENCE, TestDb, backend_test, body_of, is_problem, service_test,
    until,
};
use serde_json::{Value, json};

const SLACK_SECRET: &str = "reach-slack-secret";

/// Add a user of the org; their id.
async fn add_user(s: &Server, handle: &str, name: &str, role: &str) -> UserId {
    s.app
        .store()
        .upsert_user(
            &s.org,
            handle,
            name,
            &format!("{handle}@acme.example"),
            role,
        )
        .await
        .expect("user")
}

/// A follow-up job of `rep`'s, waiting at its gate: (job id, gate id).
async fn gated(s: &Server, rep: &str, meeting: &str) -> (String, String) {
    let (status, accepted) = s
        .post(
            "/v1/events",
            json!({ "type": "meeting_ended", "user": rep, "payload": { "meeting_id": meeting } }),
        )
        .await;
    assert_eq!(status, 202, "{accepted:#}");
    let job = accepted["job_id"].as_str().expect("job").to_owned();
    let gate = s.open_gate(&job).await;
    (job, gate["id"].as_str().expect("gate").to_owned())
}

/// GET `path` with a session cookie: the status and the page.
async fn page(s: &Server, cookie: &str, path: &str) -> (u16, String) {
    s.inbox_get(cookie, path).await
}

/// POST a form to `path` with a session cookie (no redirects followed).
async fn form(s: &Server, cookie: &str, path: &str, fields: &[(&str, &str)]) -> (u16, String) {
    s.inbox_post(cookie, path, fields).await
}

async fn gate_status(s: &Server, gate: &str) -> Value {
    let (_, g) = s.get(&format!("/v1/approvals/{gate}")).await;
    g
}

service_test!(
    another_reps_session_finds_nothing_of_a_rep,
    Setup::default(),
    another_reps_session_body
);

async fn another_reps_session_body(s: &Server) {
    let priya = add_user(s, "rep2", "Priya Shah", "rep").await;
    let (job, gate) = gated(s, "rep1", "m-jordan").await;
    // An effect of Jordan's: a second gate approved through the API.
    let (_, sent) = gated(s, "rep1", "m-jordan-sent").await;
    let (status, body) = s
        .post(
            &format!("/v1/approvals/{sent}/decision"),
            json!({ "decision": "approved" }),
        )
        .await;
    assert_eq!(status, 200, "{body:#}");
    let effect = first_effect(s, &body).await;
    let (_, priyas_gate) = gated(s, "rep2", "m-priya").await;

    let priya_cookie = s.login_as(&priya).await;
    // Every page and form that names a thing of Jordan's: "not found".
    let (status, html) = page(s, &priya_cookie, &format!("/inbox/approvals/{gate}")).await;
    assert_eq!(status, 404, "another rep's gate: {html}");
    assert!(!html.contains("m-jordan"), "nothing of it shown: {html}");
    let (status, html) = page(s, &priya_cookie, &format!("/inbox/jobs/{job}")).await;
    assert_eq!(status, 404, "another rep's job: {html}");
    for decision in ["approve", "skip", "cancel", "not_right"] {
        let (status, html) = form(
            s,
            &priya_cookie,
            &format!("/inbox/approvals/{gate}"),
            &[("decision", decision), ("reason", "wrong_intent")],
        )
        .await;
        assert_eq!(status, 404, "{decision} on another rep's gate: {html}");
    }
    let (status, html) = form(
        s,
        &priya_cookie,
        &format!("/inbox/effects/{effect}/cancel"),
        &[],
    )
    .await;
    assert_eq!(status, 404, "another rep's effect: {html}");
    assert_eq!(
        gate_status(s, &gate).await["status"],
        "open",
        "nothing decided"
    );
    // Her inbox lists her gate and none of his.
    let (status, home) = page(s, &priya_cookie, "/inbox").await;
    assert_eq!(status, 200);
    assert!(home.contains(&priyas_gate), "her own gate is listed");
    for theirs in [&gate, &job] {
        assert!(
            !home.contains(theirs.as_str()),
            "{theirs} is not hers: {home}"
        );
    }
    // Her own gate she sees and decides.
    let (status, _) = page(s, &priya_cookie, &format!("/inbox/approvals/{priyas_gate}")).await;
    assert_eq!(status, 200);
    let (status, _) = form(
        s,
        &priya_cookie,
        &format!("/inbox/approvals/{priyas_gate}"),
        &[("decision", "skip")],
    )
    .await;
    assert_eq!(status, 303, "her own gate is hers to decide");
    let decided = gate_status(s, &priyas_gate).await;
    assert_eq!(decided["decided_by"], "inbox:rep2", "{decided:#}");

    // Jordan's own session still sees and decides his.
    let jordan = s.rep_login().await;
    // Success metrics are of what a session reaches: Priya's skip is in
    // her figures and Jordan's approval in his, neither in the other's
    // (both were the org's).
    let week = |p: &str| {
        p.split("data-window=\"7\">")
            .nth(1)
            .and_then(|r| r.split("</tr>").next())
            .map(str::to_owned)
            .unwrap_or_default()
    };
    let counts = |accepted: u32, dismissed: u32| {
        format!(
            "<td class=\"accepted\">{accepted}</td><td class=\"edited\">0</td><td class=\"dismissed\">{dismissed}</td>"
        )
    };
    let (status, hers) = page(s, &priya_cookie, "/inbox/metrics").await;
    assert_eq!(status, 200);
    assert!(week(&hers).contains(&counts(0, 1)), "{}", week(&hers));
    let (status, his) = page(s, &jordan, "/inbox/metrics").await;
    assert_eq!(status, 200);
    assert!(week(&his).contains(&counts(1, 0)), "{}", week(&his));
    let (status, home) = page(s, &jordan, "/inbox").await;
    assert_eq!(status, 200);
    assert!(
        home.contains(&gate) && !home.contains(&priyas_gate),
        "{home}"
    );
    let (status, _) = form(
        s,
        &jordan,
        &format!("/inbox/approvals/{gate}"),
        &[("decision", "skip")],
    )
    .await;
    assert_eq!(status, 303);
    assert_eq!(gate_status(s, &gate).await["decided_by"], "inbox:rep1");
}

/// The id of an effect the approved gate `decided` queued.
async fn first_effect(s: &Server, decided: &Value) -> String {
    let job = decided["job_id"].as_str().expect("job").to_owned();
    let done = s
        .wait_job(&job, |j| {
            j["effects"].as_array().is_some_and(|e| !e.is_empty())
        })
        .await;
    done["effects"][0]["id"]
        .as_str()
        .expect("effect")
        .to_owned()
}

service_test!(
    a_manager_sees_and_decides_for_their_team_and_a_token_for_the_org,
    Setup::default(),
    manager_body
);

async fn manager_body(s: &Server) {
    let sam = add_user(s, "mgr", "Sam Lee", "manager").await;
    add_user(s, "rep2", "Priya Shah", "rep").await;
    let outsider = add_user(s, "rep3", "Ken Ito", "rep").await;
    // Jordan reports to Priya, who reports to Sam; Ken to nobody.
    let (status, body) = s
        .put("/v1/users/rep1/manager", json!({ "manager": "rep2" }))
        .await;
    assert_eq!(status, 200, "{body:#}");
    assert_eq!(body["manager"], "rep2");
    let (status, _) = s
        .put("/v1/users/rep2/manager", json!({ "manager": "mgr" }))
        .await;
    assert_eq!(status, 200);
    // Bad lines are refused, naming the problem.
    let (status, body) = s
        .put("/v1/users/mgr/manager", json!({ "manager": "rep1" }))
        .await;
    is_problem(status, &body, 422);
    assert!(
        body["detail"].as_str().unwrap_or("").contains("circle"),
        "{body:#}"
    );
    let (status, body) = s
        .put("/v1/users/rep1/manager", json!({ "manager": "rep1" }))
        .await;
    is_problem(status, &body, 422);
    let (status, body) = s
        .put("/v1/users/rep1/manager", json!({ "manager": "nobody" }))
        .await;
    is_problem(status, &body, 422);
    let (status, body) = s
        .put("/v1/users/nobody/manager", json!({ "manager": "mgr" }))
        .await;
    is_problem(status, &body, 404);
    let (status, body) = s
        .put("/v1/users/rep1/manager", json!({ "boss": "mgr" }))
        .await;
    is_problem(status, &body, 422);
    let (_, users) = s.get("/v1/users").await;
    let line = |h: &str| {
        users
            .as_array()
            .and_then(|a| a.iter().find(|u| u["handle"] == h))
            .map(|u| u["manager"].clone())
    };
    assert_eq!(line("rep1"), Some(json!("rep2")));
    assert_eq!(line("rep2"), Some(json!("mgr")));
    assert_eq!(line("mgr"), Some(Value::Null));

    let (_, jordans) = gated(s, "rep1", "m-jordan").await;
    let (_, kens) = gated(s, "rep3", "m-ken").await;
    let manager = s.login_as(&sam).await;
    let (status, home) = page(s, &manager, "/inbox").await;
    assert_eq!(status, 200);
    assert!(
        home.contains(&jordans),
        "a report's report is the manager's to see"
    );
    assert!(!home.contains(&kens), "Ken is not on Sam's team: {home}");
    let (status, _) = page(s, &manager, &format!("/inbox/approvals/{kens}")).await;
    assert_eq!(status, 404);
    let (status, _) = form(
        s,
        &manager,
        &format!("/inbox/approvals/{jordans}"),
        &[("decision", "skip")],
    )
    .await;
    assert_eq!(status, 303, "the manager decides for the team");
    assert_eq!(gate_status(s, &jordans).await["decided_by"], "inbox:mgr");
    // Ken's own session does not see Sam's team.
    let ken = s.login_as(&outsider).await;
    let (status, _) = page(s, &ken, &format!("/inbox/approvals/{jordans}")).await;
    assert_eq!(status, 404);

    // An org token's session reaches everyone, recorded as the token.
    let cookie = s.inbox_login(&s.token).await;
    let (status, home) = page(s, &cookie, "/inbox").await;
    assert_eq!(status, 200);
    assert!(home.contains(&kens), "the org token sees Ken's gate");
    let (status, _) = form(
        s,
        &cookie,
        &format!("/inbox/approvals/{kens}"),
        &[("decision", "skip")],
    )
    .await;
    assert_eq!(status, 303);
    assert_eq!(
        gate_status(s, &kens).await["decided_by"],
        "inbox:token:tests"
    );
}

backend_test!(a_slack_click_acts_only_for_the_rep_it_maps_to, slack_body);

/// Post a signed Slack click on `value` by `slack_user`.
async fn click(s: &Server, slack: &HttpPeer, slack_user: &str, value: &str) {
    let payload = json!({ "type": "block_actions", "user": { "id": slack_user },
        "response_url": format!("http://127.0.0.1:{}/api/respond", slack.port),
        "actions": [{ "type": "button", "action_id": "baton.approve", "value": value }] });
    let status = s
        .slack_interaction(SLACK_SECRET, s.app.now(), &payload)
        .await;
    assert_eq!(status, 200);
}

/// The answers posted to the response URL so far.
fn answers(slack: &HttpPeer) -> Vec<Value> {
    slack
        .requests()
        .iter()
        .filter(|r| r.starts_with("POST /api/respond"))
        .map(|r| serde_json::from_str(body_of(r)).expect("JSON answer"))
        .collect()
}

async fn slack_body(backend: Backend) {
    let slack = HttpPeer::answering(vec![], Answer::json(json!({ "ok": true })));
    let db = TestDb::new(backend).await;
    let s = start(
        db.store.clone(),
        Setup {
            env: env(&[
                ("BATON_SLACK_SIGNING_SECRET", SLACK_SECRET),
                (
                    "BATON_SLACK_API_URL",
                    &format!("http://127.0.0.1:{}/api", slack.port),
                ),
            ]),
            ..Setup::default()
        },
    )
    .await;
    s.map_slack_user("U0REP1").await;
    add_user(&s, "rep2", "Priya Shah", "rep").await;
    let (status, body) = s
        .put(
            "/v1/users/rep2/preferences",
            json!({ "timezone": "Europe/London", "slack_user_id": "U0REP2" }),
        )
        .await;
    assert_eq!(status, 200, "{body:#}");
    // One Slack user acts for one rep.
    let (status, body) = s
        .put(
            "/v1/users/rep2/preferences",
            json!({ "slack_user_id": "U0REP1" }),
        )
        .await;
    is_problem(status, &body, 422);
    let (status, body) = s
        .put(
            "/v1/users/rep2/preferences",
            json!({ "slack_user_id": "U0 REP2\n" }),
        )
        .await;
    is_problem(status, &body, 422);

    let (_, gate) = gated(&s, "rep1", "m-slack").await;
    let value = format!("{}:{gate}:approve", s.org.0);
    // Priya, and a Slack user mapped to nobody: told it is not theirs.
    for (n, stranger) in ["U0REP2", "U0NOBODY"].into_iter().enumerate() {
        click(&s, &slack, stranger, &value).await;
        until("the stranger is answered", PATIENCE, async || {
            answers(&slack).len() > n
        })
        .await;
        let answer = &answers(&slack)[n];
        assert_eq!(answer["response_type"], "ephemeral", "{answer:#}");
        assert_eq!(answer["replace_original"], false, "{answer:#}");
        assert!(
            answer["text"]
                .as_str()
                .is_some_and(|t| t.contains("isn't yours") && t.contains("Jordan Avery")),
            "{answer:#}"
        );
        assert_eq!(
            gate_status(&s, &gate).await["status"],
            "open",
            "{stranger} changed nothing"
        );
    }
    // Jordan's own click decides it.
    click(&s, &slack, "U0REP1", &value).await;
    until("Jordan's click decides the gate", PATIENCE, async || {
        gate_status(&s, &gate).await["status"] == "decided"
    })
    .await;
    let stored = s
        .app
        .store()
        .pending_action(&s.org, &GateId::from(gate.as_str()))
        .await
        .expect("gate")
        .expect("exists");
    assert_eq!(stored.decided_by.as_deref(), Some("slack:U0REP1"));
    // A manager's Slack click decides for the team.
    let (status, _) = s
        .put("/v1/users/rep1/manager", json!({ "manager": "rep2" }))
        .await;
    assert_eq!(status, 200);
    let (_, second) = gated(&s, "rep1", "m-slack-2").await;
    click(
        &s,
        &slack,
        "U0REP2",
        &format!("{}:{second}:approve", s.org.0),
    )
    .await;
    until(
        "the manager's click decides the gate",
        PATIENCE,
        async || gate_status(&s, &second).await["status"] == "decided",
    )
    .await;
    s.stop().await;
    db.finish().await;
}
