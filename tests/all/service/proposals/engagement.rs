//! After the proposal (issue 41): a second proposal on a deal revises the
//! first (v2 current, v1 superseded and no longer answerable); the
//! prospect asks a question and accepts on the link page; the deal's
//! engagement moves from proposal to contract (the CRM stage with it), the
//! accepted terms become facts, the commercial track starts, and every
//! step is in the deal's event log — shown by `GET /v1/deals/{id}/state`
//! and the inbox's deal page. Bad input: an empty question, another
//! site's form, an answer to a superseded or decided version, an unknown
//! deal. The contract's gate waits for a legal approval: held while the
//! signatory is missing, refused outside its class or scope, given in
//! part (the signed contract still waits), reopened in full (the earlier
//! decision superseded), decided from the inbox by the deal's rep only.
//! A conflicting seat count stops the commercial track and is asked of
//! the rep in Slack (the shipped `decision_needed` sequence) as well as on
//! the deal's page.

use super::*;
use baton::store::{CrmTables, NewDeal};
use baton_tests::{Backend, PATIENCE, TestDb, backend_test, poll};

/// The shipped sequence that asks a conflict's decision in Slack.
const DECISION_SEQUENCE: &str = include_str!("../../../../sequences/decision_needed.toml");
use serde_json::json;

/// A form POST to the link page, as the prospect's browser sends it.
async fn form(s: &Server, url: &str, body: &str) -> (u16, String) {
    let r = s
        .http
        .post(url)
        .header("user-agent", FIREFOX)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body.to_owned())
        .send()
        .await
        .expect("POST the form");
    let status = r.status().as_u16();
    (status, r.text().await.expect("html"))
}

/// An inbox page as the signed-in rep reads it: its text.
async fn inbox(s: &Server, path: &str, cookie: &str) -> String {
    s.http
        .get(s.url(path))
        .header("cookie", cookie)
        .send()
        .await
        .expect("inbox page")
        .text()
        .await
        .expect("html")
}

fn kinds(state: &Value) -> Vec<String> {
    state["events"]
        .as_array()
        .expect("events")
        .iter()
        .map(|e| e["event_type"].as_str().expect("type").to_owned())
        .collect()
}

backend_test!(
    an_accepted_proposal_moves_the_deal_to_contract_and_a_second_one_revises_the_first,
    an_accepted_proposal_moves_the_deal_to_contract_and_a_second_one_revises_the_first_body
);

async fn an_accepted_proposal_moves_the_deal_to_contract_and_a_second_one_revises_the_first_body(
    backend: Backend,
) {
    let db = TestDb::new(backend).await;
    let org = db
        .store
        .upsert_org("acme", "Acme", &json!({}))
        .await
        .expect("org");
    let deal = db
        .store
        .insert_deal(
            &org,
            &NewDeal {
                name: "Northwind expansion",
                stage: "proposal",
                currency: "USD",
                ..NewDeal::default()
            },
            0,
        )
        .await
        .expect("deal");
    let seq = proposing("link").replace(
        "title = \"Renewals Hub for Northwind\"",
        &format!("title = \"Renewals Hub for Northwind\"\ndeal_id = \"{deal}\""),
    );
    let slack = slack_peer();
    let pairs = slack_env(&slack);
    let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let s = start(
        db.store.clone(),
        Setup {
            sequences: &[&seq, DECISION_SEQUENCE],
            skills: &["notify-proposal-viewed", "notify-decision-needed"],
            env: env(&pairs),
            ..Setup::default()
        },
    )
    .await;
    rep_slack_channel(&s).await;

    // Before anything happened: where it would start.
    let (status, state) = s.get(&format!("/v1/deals/{deal}/state")).await;
    assert_eq!(status, 200, "{state}");
    assert_eq!(state["started"], false);
    assert_eq!(state["state"]["stage"], "proposal");

    // v1 goes out, then a second request on the deal: v2 revises it.
    sent(&s, "northwind").await;
    sent(&s, "northwind, again").await;
    let list = proposals(&s).await;
    let version = |v: i64| {
        list.iter()
            .find(|p| p["version"] == v)
            .unwrap_or_else(|| panic!("no v{v}: {list:?}"))
            .clone()
    };
    let (v1, v2) = (version(1), version(2));
    assert_eq!(v1["status"], "superseded");
    assert_eq!(v2["status"], "sent");
    let (_, state) = s.get(&format!("/v1/deals/{deal}/state")).await;
    assert_eq!(state["started"], true);
    let artifacts: Vec<(i64, String)> = state["artifacts"]
        .as_array()
        .expect("artifacts")
        .iter()
        .map(|a| {
            (
                a["version"].as_i64().expect("v"),
                a["status"].as_str().expect("s").to_owned(),
            )
        })
        .collect();
    assert_eq!(
        artifacts,
        [(1, "superseded".to_owned()), (2, "current".to_owned())]
    );
    assert_eq!(kinds(&state), ["artifact_created", "artifact_revised"]);

    // The superseded version's page says so and takes no answer.
    let old = v1["link"].as_str().expect("link").to_owned();
    let page = open(&s, &old).await.text().await.expect("html");
    assert!(
        page.contains("A newer version of this proposal has been sent"),
        "{page}"
    );
    assert!(!page.contains("Accept this proposal"), "{page}");
    let (status, page) = form(&s, &format!("{old}/accept"), "").await;
    assert_eq!(status, 409, "{page}");

    // The current one offers Accept and a question box.
    let link = v2["link"].as_str().expect("link").to_owned();
    let page = open(&s, &link).await.text().await.expect("html");
    assert!(page.contains("Accept this proposal"), "{page}");
    let (status, page) = form(&s, &format!("{link}/question"), "question=+++").await;
    assert_eq!(status, 422, "an empty question: {page}");
    let (status, page) = form(
        &s,
        &format!("{link}/question"),
        "question=Does+the+price+include+onboarding%3F",
    )
    .await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("your question was sent"), "{page}");
    let tasks = s
        .app
        .store()
        .deal_tasks(&s.org, &deal)
        .await
        .expect("tasks");
    assert!(
        tasks.iter().any(|t| t.status == "open"
            && t.title.contains("Marta Ruiz's question")
            && t.title.contains("Does the price include onboarding?")),
        "{tasks:?}"
    );

    // Another site's form cannot accept it.
    let r = s
        .http
        .post(format!("{link}/accept"))
        .header("origin", "https://evil.example")
        .send()
        .await
        .expect("POST");
    assert_eq!(r.status().as_u16(), 403);

    // The prospect accepts.
    let (status, page) = form(&s, &format!("{link}/accept"), "").await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("the proposal is accepted"), "{page}");
    let (_, state) = s.get(&format!("/v1/deals/{deal}/state")).await;
    let st = &state["state"];
    assert_eq!(st["stage"], "contract", "{state}");
    // The contract's legal approval is asked: the engagement is in review.
    assert_eq!(st["status"], "in_review");
    assert_eq!(st["approvals"][0]["class"], "legal_or_contract", "{state}");
    assert_eq!(st["facts"]["fees"]["value"]["amount_cents"], 2160000);
    assert_eq!(st["facts"]["accepted_proposal"]["value"]["version"], 2);
    let commercial = st["tracks"]
        .as_array()
        .expect("tracks")
        .iter()
        .find(|t| t["name"] == "commercial")
        .expect("commercial")
        .clone();
    assert_eq!(commercial["status"], "active");
    let moved = state["events"]
        .as_array()
        .expect("events")
        .iter()
        .find(|e| e["happening"] == "proposal_accepted" && e["event_type"] == "decision_recorded")
        .unwrap_or_else(|| panic!("no acceptance in {state}"))
        .clone();
    assert_eq!(
        (moved["from_stage"].as_str(), moved["to_stage"].as_str()),
        (Some("proposal"), Some("contract"))
    );
    assert_eq!(moved["actor"], "prospect");
    assert_eq!(moved["related_artifact"], v2["id"]);
    let crm = s
        .app
        .store()
        .deal(&s.org, &deal)
        .await
        .expect("deal")
        .expect("deal");
    assert_eq!(crm.stage, "negotiation", "the CRM follows the stage");

    // Accepting again changes nothing; declining now is refused.
    let before = kinds(&state).len();
    let (status, _) = form(&s, &format!("{link}/accept"), "").await;
    assert_eq!(status, 200);
    let id = v2["id"].as_str().expect("id");
    let (status, r) = s
        .post(
            &format!("/v1/proposals/{id}/status"),
            json!({ "status": "accepted" }),
        )
        .await;
    assert_eq!(status, 200, "{r}");
    let (_, state) = s.get(&format!("/v1/deals/{deal}/state")).await;
    assert_eq!(kinds(&state).len(), before, "{state}");
    let (status, r) = s
        .post(
            &format!("/v1/proposals/{id}/status"),
            json!({ "status": "declined" }),
        )
        .await;
    assert_eq!(status, 409, "{r}");

    // The accepted proposal priced 40 seats; the next call says 45: the
    // commercial track stops until someone decides.
    assert_eq!(st["facts"]["seats"]["value"], 40, "{state}");
    let (status, state) = s
        .post(
            &format!("/v1/deals/{deal}/facts"),
            json!({ "name": "seats", "value": 45, "source": "the kickoff call, 24 Nov", "kind": "conversation" }),
        )
        .await;
    assert_eq!(status, 200, "{state}");
    let st = &state["state"];
    assert_eq!(st["status"], "blocked", "{state}");
    assert_eq!(st["conflicts"][0]["fact"], "seats");
    assert_eq!(
        st["conflicts"][0]["likely"], "held",
        "the accepted document is the likelier truth"
    );
    let track = |st: &Value, name: &str| {
        st["tracks"]
            .as_array()
            .expect("tracks")
            .iter()
            .find(|t| t["name"] == name)
            .expect("track")
            .clone()
    };
    assert_eq!(track(st, "commercial")["status"], "blocked");
    let ask = st["next_decision"].as_str().expect("a decision is asked");
    assert!(ask.contains("Decide seats: 40 or 45?"), "{ask}");
    // And asked of the rep in Slack, with the deal's page to decide on.
    let asked = |slack: &HttpPeer| {
        slack
            .requests()
            .iter()
            .filter(|r| r.contains("two sources disagree on seats"))
            .cloned()
            .collect::<Vec<_>>()
    };
    let posted = poll(PATIENCE, async || {
        let found = asked(&slack);
        (!found.is_empty()).then_some(found)
    })
    .await
    .expect("the decision is asked in Slack");
    assert!(
        posted[0].contains("Decide seats: 40 or 45?")
            && posted[0].contains(&format!("/inbox/deals/{deal}")),
        "{posted:?}"
    );
    // Bad reports and decisions.
    for (body, want) in [
        (json!({ "name": "colour", "value": 1, "source": "x" }), 422),
        (
            json!({ "name": "seats", "value": null, "source": "x" }),
            422,
        ),
        (json!({ "name": "seats", "value": 1, "source": " " }), 422),
        (
            json!({ "name": "seats", "value": 1, "source": "x", "kind": "rumour" }),
            400,
        ),
    ] {
        let (status, r) = s
            .post(&format!("/v1/deals/{deal}/facts"), body.clone())
            .await;
        assert!(
            status == want || (want == 400 && status == 422),
            "{body}: {status} {r}"
        );
    }
    let (status, r) = s
        .post(
            &format!("/v1/deals/{deal}/decisions"),
            json!({ "fact": "fees", "keep": "held" }),
        )
        .await;
    assert_eq!(status, 409, "no conflict on fees: {r}");
    let (status, r) = s
        .post(
            "/v1/deals/no-such-deal/facts",
            json!({ "name": "seats", "value": 1, "source": "x" }),
        )
        .await;
    assert_eq!(status, 404, "{r}");

    // The rep decides on the deal's page: the call was right.
    let cookie = s.inbox_login(&s.token).await;
    let page = inbox(&s, &format!("/inbox/deals/{deal}"), &cookie).await;
    assert!(page.contains("Conflict on Seats"), "{page}");
    assert!(page.contains("likely right"), "{page}");
    let r = s
        .http
        .post(s.url(&format!("/inbox/deals/{deal}/decide")))
        .header("cookie", &cookie)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("fact=seats&keep=other")
        .send()
        .await
        .expect("decide");
    // Redirected back to the deal's page (the client follows it).
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(r.url().path(), format!("/inbox/deals/{deal}"));
    let (_, state) = s.get(&format!("/v1/deals/{deal}/state")).await;
    let st = &state["state"];
    assert_eq!(st["facts"]["seats"]["value"], 45, "{state}");
    // Not blocked any more: the contract's legal approval is what waits.
    assert_eq!(st["status"], "in_review");
    assert_eq!(track(st, "commercial")["status"], "active");
    let next = st["next_decision"].as_str().expect("next decision");
    assert!(
        next.contains("approval #1 legal_or_contract for contract_signed"),
        "{state}"
    );
    let tail: Vec<String> = kinds(&state).into_iter().rev().take(2).collect();
    assert_eq!(tail, ["blocker_removed", "decision_recorded"], "{state}");

    // The same report on another deal is that deal's own (a retry is
    // recognised per deal, not per org).
    let other = db
        .store
        .insert_deal(
            &org,
            &NewDeal {
                name: "Contoso pilot",
                stage: "negotiation",
                currency: "USD",
                ..NewDeal::default()
            },
            0,
        )
        .await
        .expect("deal");
    let (status, r) = s
        .post(
            &format!("/v1/deals/{other}/facts"),
            json!({ "name": "seats", "value": 45, "source": "the kickoff call, 24 Nov", "kind": "conversation" }),
        )
        .await;
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["state"]["facts"]["seats"]["value"], 45, "{r}");

    // The deal is in the deals list, and its page shows it.
    let list = inbox(&s, "/inbox/deals", &cookie).await;
    assert!(
        list.contains(&format!("href=\"/inbox/deals/{deal}\"")),
        "{list}"
    );
    assert!(
        list.contains("Northwind expansion</a> — Contract"),
        "{list}"
    );
    let page = inbox(&s, &format!("/inbox/deals/{deal}"), &cookie).await;
    assert!(page.contains("aria-current=\"step\">Contract<"), "{page}");
    assert!(page.contains("Proposal v1"), "{page}");
    assert!(page.contains("superseded"), "{page}");
    let anonymous = s
        .http
        .get(s.url(&format!("/inbox/deals/{deal}")))
        .send()
        .await
        .expect("deal page");
    assert_eq!(anonymous.status().as_u16(), 401);

    // A change order: a third version, accepted too, replaces the accepted
    // terms rather than disputing them; but it still prices 40 seats against
    // the 45 the rep decided on, which is a new conflict, and the
    // acceptance does not unblock the track it holds.
    sent(&s, "northwind, change order").await;
    let v3 = proposals(&s)
        .await
        .into_iter()
        .find(|p| p["version"] == 3)
        .expect("v3");
    let link3 = v3["link"].as_str().expect("link").to_owned();
    let (status, page) = form(&s, &format!("{link3}/accept"), "").await;
    assert_eq!(status, 200, "{page}");
    let (_, state) = s.get(&format!("/v1/deals/{deal}/state")).await;
    let st = &state["state"];
    assert_eq!(
        st["facts"]["accepted_proposal"]["value"]["version"], 3,
        "{state}"
    );
    let disputed: Vec<&str> = st["conflicts"]
        .as_array()
        .expect("conflicts")
        .iter()
        .map(|c| c["fact"].as_str().expect("fact"))
        .collect();
    assert_eq!(disputed, ["seats"], "{state}");
    assert_eq!(st["status"], "blocked", "{state}");
    assert_eq!(track(st, "commercial")["status"], "blocked", "{state}");

    // A fork for another audience, with its reason, stands beside the
    // accepted v3: it supersedes nothing and says why it is one.
    let (status, r) = s
        .post(
            "/v1/events",
            json!({ "type": "proposal_generation", "user": "rep1", "payload": {
                "deal": "northwind, for the CFO",
                "fork": { "reason": "separate_audience", "note": "the CFO's budget version" } } }),
        )
        .await;
    assert_eq!(status, 202, "{r}");
    let job = r["job_id"].as_str().expect("job").to_owned();
    let gate = s.open_gate(&job).await;
    let (status, r) = decide(&s, &gate, json!({ "decision": "approved" })).await;
    assert_eq!(status, 200, "{r}");
    s.wait_job(&job, |j| j["effects"][0]["status"] == "delivered")
        .await;
    let (_, state) = s.get(&format!("/v1/deals/{deal}/state")).await;
    let versions: Vec<(i64, String, String, Value)> = state["artifacts"]
        .as_array()
        .expect("artifacts")
        .iter()
        .filter(|a| a["artifact"] == "proposal")
        .map(|a| {
            (
                a["version"].as_i64().expect("version"),
                a["status"].as_str().expect("status").to_owned(),
                a["detail"].as_str().expect("detail").to_owned(),
                a["supersedes"].clone(),
            )
        })
        .collect();
    let v = |n: i64| {
        versions
            .iter()
            .find(|v| v.0 == n)
            .unwrap_or_else(|| panic!("no v{n}: {versions:?}"))
            .clone()
    };
    assert_eq!(
        v(3).1,
        "current",
        "the fork does not supersede v3: {versions:?}"
    );
    assert_eq!(
        (v(4).1.as_str(), v(4).2.as_str(), &v(4).3),
        (
            "forked",
            "sent, a fork (separate audience: the CFO's budget version)",
            &Value::Null
        ),
        "{versions:?}"
    );

    // An unknown deal is a 404, on the API and the page.
    let (status, r) = s.get("/v1/deals/no-such-deal/state").await;
    assert_eq!(status, 404, "{r}");
    let r = s
        .http
        .get(s.url("/inbox/deals/no-such-deal"))
        .header("cookie", &cookie)
        .send()
        .await
        .expect("page");
    assert_eq!(r.status().as_u16(), 404);
    s.stop().await;
    db.finish().await;
}

backend_test!(
    the_contract_gate_waits_for_its_legal_approval_by_class_and_scope,
    the_contract_gate_waits_for_its_legal_approval_by_class_and_scope_body
);

async fn the_contract_gate_waits_for_its_legal_approval_by_class_and_scope_body(backend: Backend) {
    let db = TestDb::new(backend).await;
    let s = serve(&db, &[], &[]).await;
    let deal = s
        .app
        .store()
        .insert_deal(
            &s.org,
            &NewDeal {
                name: "Cobalt rollout",
                stage: "negotiation",
                currency: "EUR",
                owner: Some(&s.user),
                ..NewDeal::default()
            },
            0,
        )
        .await
        .expect("deal");
    let fact = |name: &str, value: Value| json!({ "name": name, "value": value, "source": "the order form", "kind": "document" });
    let decide = |class: &str, state: &str, permits: &[&str]| {
        json!({ "class": class, "state": state, "permits": permits,
            "evidence": "clauses 4 to 9 reviewed" })
    };
    let approval = |st: &Value, n: usize| st["state"]["approvals"][n].clone();

    // The first thing reported starts the engagement at the contract stage,
    // which asks for the gate's legal approval: held, the signatory missing.
    let (status, st) = s
        .post(
            &format!("/v1/deals/{deal}/facts"),
            fact("parties", json!("Acme Services Ltd and Cobalt SA")),
        )
        .await;
    assert_eq!(status, 200, "{st}");
    let a = approval(&st, 0);
    assert_eq!(
        (a["id"].as_i64(), a["class"].as_str(), a["state"].as_str()),
        (Some(1), Some("legal_or_contract"), Some("blocked")),
        "{st}"
    );
    assert_eq!(
        a["blockers"],
        json!(["signatory is missing", "effective_date is missing"])
    );
    assert_eq!(st["state"]["status"], "in_review");
    let decision = format!("/v1/deals/{deal}/approvals/1/decision");
    let (status, r) = s
        .post(&decision, decide("legal_or_contract", "approved", &[]))
        .await;
    assert_eq!(status, 409, "{r}");
    assert!(
        r["detail"].as_str().is_some_and(
            |d| d.contains("cannot be given yet") && d.contains("signatory is missing")
        ),
        "{r}"
    );

    // The rep's inbox page names the gap and offers no way to approve.
    let rep = s.rep_login().await;
    let (status, page) = s.inbox_get(&rep, &format!("/inbox/deals/{deal}")).await;
    assert_eq!(status, 200);
    assert!(
        page.contains("Cannot be given until filled: signatory is missing"),
        "{page}"
    );
    assert!(!page.contains("Approve all"), "{page}");

    // Filled, it waits for a decision.
    for (name, value) in [
        ("signatory", json!("Inès Moreau, CFO")),
        ("effective_date", json!("2027-01-04")),
    ] {
        let (status, st) = s
            .post(&format!("/v1/deals/{deal}/facts"), fact(name, value))
            .await;
        assert_eq!(status, 200, "{st}");
    }
    let (_, st) = s.get(&format!("/v1/deals/{deal}/state")).await;
    assert_eq!(approval(&st, 0)["state"], "requested", "{st}");

    // Outside its class or its scope, or not a decision: refused, naming why.
    for (body, want, says) in [
        (
            decide("commercial", "approved", &[]),
            409,
            "is a legal_or_contract approval, not commercial",
        ),
        (
            decide("legal_or_contract", "partial", &["send_invoice"]),
            409,
            "`send_invoice` is outside approval #1",
        ),
        (
            decide("legal_or_contract", "requested", &[]),
            422,
            "not a decision",
        ),
        (
            decide("legal_or_contract", "partial", &[]),
            409,
            "names what it permits",
        ),
        (
            decide("sales", "approved", &[]),
            422,
            "unknown variant `sales`",
        ),
    ] {
        let (status, r) = s.post(&decision, body.clone()).await;
        assert_eq!(status, want, "{body}: {r}");
        assert!(r.to_string().contains(says), "{body}: {r}");
    }
    let (status, r) = s
        .post(
            &format!("/v1/deals/{deal}/approvals/9/decision"),
            decide("legal_or_contract", "approved", &[]),
        )
        .await;
    assert_eq!(status, 409, "{r}");

    // A colleague cannot decide the rep's gate from the inbox.
    let rep2 = s
        .app
        .store()
        .upsert_user(&s.org, "rep2", "Rep Two", "rep2@acme.example", "rep")
        .await
        .expect("rep2");
    let colleague = s.login_as(&rep2).await;
    let form_body = [
        ("class", "legal_or_contract"),
        ("state", "partial"),
        ("permit", "send_for_signature"),
        ("evidence", "clause 7 reviewed"),
    ];
    let path = format!("/inbox/deals/{deal}/approvals/1");
    let (status, _) = s.inbox_post(&colleague, &path, &form_body).await;
    assert_eq!(status, 404);
    let (_, st) = s.get(&format!("/v1/deals/{deal}/state")).await;
    assert_eq!(approval(&st, 0)["state"], "requested", "{st}");

    // The rep approves only sending it for signature, on the page.
    let (_, page) = s.inbox_get(&rep, &format!("/inbox/deals/{deal}")).await;
    assert!(page.contains("Approve only the ticked"), "{page}");
    let (status, _) = s.inbox_post(&rep, &path, &form_body).await;
    assert_eq!(status, 303, "decided, back to the deal's page");
    let (_, st) = s.get(&format!("/v1/deals/{deal}/state")).await;
    let a = approval(&st, 0);
    assert_eq!(
        (a["state"].as_str(), a["permits"].clone()),
        (Some("partial"), json!(["send_for_signature"])),
        "{st}"
    );
    assert_eq!(a["decided_by"], "inbox:rep1", "{st}");

    // The signed contract comes back: the partial approval does not
    // permit the move, so the stage stays and says why.
    let signed = json!({ "event": "contract_signed", "evidence": "envelope 8812 completed" });
    let (status, st) = s
        .post(&format!("/v1/deals/{deal}/events"), signed.clone())
        .await;
    assert_eq!(status, 200, "{st}");
    assert_eq!(st["state"]["stage"], "contract", "{st}");
    let lifecycle = st["state"]["tracks"][0]["blockers"].to_string();
    assert!(
        lifecycle.contains("contract_signed waits for approval #1"),
        "{st}"
    );

    // Reopened in full: #1 is kept, superseded by #2; the event reported
    // again now moves the deal on, and the CRM follows.
    let (status, st) = s
        .post(&decision, decide("legal_or_contract", "approved", &[]))
        .await;
    assert_eq!(status, 200, "{st}");
    assert_eq!(approval(&st, 0)["state"], "superseded");
    assert_eq!(approval(&st, 1)["supersedes"], 1);
    assert_eq!(approval(&st, 1)["state"], "approved");
    let (status, st) = s.post(&format!("/v1/deals/{deal}/events"), signed).await;
    assert_eq!(status, 200, "{st}");
    assert_eq!(st["state"]["stage"], "delivery", "{st}");
    let crm = s
        .app
        .store()
        .deal(&s.org, &deal)
        .await
        .expect("deal")
        .expect("deal");
    assert_eq!(crm.stage, "closed_won");
    let logged: Vec<String> = st["events"]
        .as_array()
        .expect("events")
        .iter()
        .filter_map(|e| {
            e["notes"]
                .as_str()
                .or(e["decision"].as_str())
                .map(str::to_owned)
        })
        .collect();
    for want in [
        "#1 legal_or_contract for contract_signed requested",
        "permits send_for_signature",
        "reopening #1",
        "contract_signed: contract → delivery",
    ] {
        assert!(
            logged.iter().any(|l| l.contains(want)),
            "{want}: {logged:?}"
        );
    }

    // Bad events: not the workflow's, or without evidence; an unknown deal.
    for (body, want) in [
        (json!({ "event": "party", "evidence": "x" }), 422),
        (json!({ "event": "contract_signed", "evidence": " " }), 422),
    ] {
        let (status, r) = s
            .post(&format!("/v1/deals/{deal}/events"), body.clone())
            .await;
        assert_eq!(status, want, "{body}: {r}");
    }
    let (status, _) = s
        .post(
            "/v1/deals/nope/approvals",
            json!({ "class": "commercial", "subject": "discount", "scope": ["offer_discount"] }),
        )
        .await;
    assert_eq!(status, 404);
    let (status, r) = s
        .post(
            &format!("/v1/deals/{deal}/approvals"),
            json!({ "class": "commercial", "subject": "discount", "scope": [] }),
        )
        .await;
    assert_eq!(status, 422, "{r}");
    let (status, st) = s
        .post(
            &format!("/v1/deals/{deal}/approvals"),
            json!({ "class": "commercial", "subject": "discount above 15%", "scope": ["offer_discount"], "needs": ["fees"] }),
        )
        .await;
    assert_eq!(status, 200, "{st}");
    let asked = approval(&st, 2);
    assert_eq!(
        (asked["class"].as_str(), asked["state"].as_str()),
        (Some("commercial"), Some("blocked")),
        "held until the fees are known: {st}"
    );
    s.stop().await;
    db.finish().await;
}
