//! The pre-meeting chain end to end: `baton serve` on loopback with the
//! shipped `sequences/pre_meeting_90min.toml` and its six skills, the demo
//! CRM, an enrichment provider and Slack as loopback peers. A
//! `pre_meeting_90min` event becomes one briefing posted to the rep's Slack
//! channel; when the provider fails, or its host is not granted, the
//! briefing still arrives from CRM data and says enrichment degraded.

use baton::registry::Grants;
use baton::store::JobId;
use baton_tests::server::{Server, Setup, env, start};
use baton_tests::{
    Answer, Backend, HttpPeer, PATIENCE, TestDb, backend_test, body_of, poll, root, validate_blocks,
};
use serde_json::{Value, json};

pub(crate) const SKILLS: [&str; 6] = [
    "enrich-attendees",
    "pull-crm-history",
    "check-previous-action-items",
    "research-company-news",
    "generate-briefing",
    "deliver-slack-briefing",
];

fn read(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The operator's grants: each skill what it needs, and the enrichment
/// skill the provider's host (it declares `http:*`).
fn grants(provider_port: u16) -> Grants {
    granting(&format!(
        r#""context:org", "context:contact", "context:external:apollo", "http:127.0.0.1:{provider_port}""#
    ))
}

/// The grants of every briefing skill, `enrich` (a TOML list's items)
/// those of `enrich-attendees`.
fn granting(enrich: &str) -> Grants {
    Grants::parse(&format!(
        r#"
[skills.enrich-attendees]
grant = [{enrich}]
[skills.pull-crm-history]
grant = ["context:contact"]
[skills.check-previous-action-items]
grant = ["context:contact"]
[skills.research-company-news]
grant = ["context:contact", "context:external:news"]
[skills.generate-briefing]
grant = ["context:org", "context:contact"]
"#
    ))
    .expect("grants")
}

/// An Apollo-style match for the CFO.
fn aisha() -> Value {
    json!({ "person": {
        "name": "Aisha Bello", "title": "Chief Financial Officer", "seniority": "c_suite",
        "linkedin_url": "https://www.linkedin.com/in/aisha-bello-example",
        "city": "Southampton", "country": "United Kingdom",
        "organization": { "name": "Harbour Freight Partners Ltd" }
    }})
}

/// Start the service with the demo org imported as `acme`, the provider at
/// `provider_port`, and rep2 (who owns the Harbour Freight deal) on Slack.
async fn serve(db: &TestDb, slack: &HttpPeer, provider_port: u16, grants: Grants) -> Server {
    serve_with(db, slack, provider_port, grants, None).await
}

const ADMIN: &str = "admin-token-for-the-briefing-test";
const APIFY_TOKEN: &str = "apify_api_7d1c0ffee";

/// [`serve`], with the org's Apify actor on loopback at `apify` when
/// given (its token stored as a provider key the host adds).
async fn serve_with(
    db: &TestDb,
    slack: &HttpPeer,
    provider_port: u16,
    grants: Grants,
    apify: Option<u16>,
) -> Server {
    let sequence = read("sequences/pre_meeting_90min.toml");
    let vault = baton::accounts::Vault::new_key();
    let s = start(
        db.store.clone(),
        Setup {
            sequences: &[&sequence],
            skills: &SKILLS,
            env: env(&[
                ("BATON_SLACK_BOT_TOKEN", "xoxb-test"),
                (
                    "BATON_SLACK_API_URL",
                    &format!("http://127.0.0.1:{}/api", slack.port),
                ),
                ("BATON_SECRET_KEY", vault.as_str()),
                ("BATON_ADMIN_TOKEN", ADMIN),
            ]),
            grants,
            ..Setup::default()
        },
    )
    .await;
    let mut demo: Value = serde_json::from_str(&read("examples/demo.json")).expect("demo JSON");
    demo["org"]["slug"] = json!("acme");
    demo["org"]["profile"]["providers"]["apollo"] = json!({
        "url": format!("http://127.0.0.1:{provider_port}/v1/people/match")
    });
    demo["org"]["profile"]["providers"]["news"] = json!({ "items": [
        { "company": "Harbour Freight Partners", "title": "Harbour Freight opens a Rotterdam hub",
          "url": "https://news.example/harbour-rotterdam", "source": "Freight Weekly", "published_at": "2026-11-12" }
    ]});
    if let Some(port) = apify {
        demo["org"]["profile"]["providers"]["apify"] = json!({
            "url": format!("http://127.0.0.1:{port}"), "actor": "acme~linkedin-profiles"
        });
    }
    let (status, imported) = s.post("/v1/crm/import", demo).await;
    assert_eq!(status, 200, "{imported}");
    if let Some(port) = apify {
        let r = reqwest::Client::new()
            .put(s.url("/v1/admin/orgs/acme/provider-keys/apify"))
            .bearer_auth(ADMIN)
            .json(
                &json!({ "host": format!("http://127.0.0.1:{port}"), "header": "Authorization",
                           "value": format!("Bearer {APIFY_TOKEN}") }),
            )
            .send()
            .await
            .expect("PUT provider key");
        assert!(r.status().is_success(), "{:?}", r.text().await);
    }
    let store = s.app.store();
    let users = store.users(&s.org).await.expect("users");
    let rep2 = users
        .iter()
        .find(|u| u.handle == "rep2")
        .expect("rep2 imported")
        .id
        .clone();
    let mut prefs = store.preferences(&s.org, &rep2).await.expect("prefs");
    prefs.slack_channel = Some("C-PRIYA".into());
    store
        .set_preferences(&s.org, &rep2, &prefs)
        .await
        .expect("prefs");
    s
}

/// Send the example event as rep2 and wait for the job to finish with its
/// Slack post delivered; returns the job view.
async fn brief(s: &Server) -> Value {
    let payload: Value =
        serde_json::from_str(&read("examples/events/pre_meeting_90min.json")).expect("event JSON");
    let (status, accepted) = s
        .post(
            "/v1/events",
            json!({ "type": "pre_meeting_90min", "user": "rep2", "payload": payload }),
        )
        .await;
    assert_eq!(status, 202, "{accepted}");
    let job = accepted["job_id"].as_str().expect("job id").to_owned();
    s.wait_job(&job, |j| {
        j["status"] == "completed" && j["effects"][0]["status"] == "delivered"
    })
    .await
}

/// The `chat.postMessage` bodies Slack received whose text holds `needle`.
async fn posts_with(slack: &HttpPeer, needle: &str) -> Vec<Value> {
    let found = poll(PATIENCE, async || {
        let found: Vec<Value> = slack
            .requests()
            .iter()
            .filter(|r| r.starts_with("POST /api/chat.postMessage"))
            .filter_map(|r| serde_json::from_str::<Value>(body_of(r)).ok())
            .filter(|b| b.to_string().contains(needle))
            .collect();
        (!found.is_empty()).then_some(found)
    })
    .await;
    found.unwrap_or_else(|| panic!("no Slack post holds {needle:?}: {:#?}", slack.requests()))
}

/// The output data of `skill`'s step in job `id`.
async fn output(s: &Server, id: &str, skill: &str) -> Value {
    let runs = s
        .app
        .store()
        .step_runs(&s.org, &JobId::from(id))
        .await
        .expect("runs");
    runs.into_iter()
        .rev()
        .find(|r| r.skill_name == skill)
        .and_then(|r| r.output)
        .map(|o| o["data"].clone())
        .unwrap_or_else(|| panic!("{skill} left no output"))
}

/// Every step of job `id` ran, and its output is what its manifest promises.
async fn all_steps_match_their_schemas(s: &Server, id: &str) {
    for name in SKILLS {
        let data = output(s, id, name).await;
        let skill = s.app.orch.registry.get(name).expect("installed");
        let validator = jsonschema::validator_for(&skill.manifest.output_schema)
            .unwrap_or_else(|e| panic!("{name}: the output schema does not compile: {e}"));
        let errors: Vec<String> = validator
            .iter_errors(&data)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{name}: {errors:#?}\n{data:#}");
    }
}

/// The blocks the briefing proposed (the outbox effect's payload).
async fn proposed_blocks(s: &Server, id: &str) -> Value {
    let effects = s
        .app
        .store()
        .effects(&s.org, Some(&JobId::from(id)), 10)
        .await
        .expect("effects");
    assert_eq!(effects.len(), 1, "one Slack post");
    assert_eq!(effects[0].kind, baton::store::ActionKind::SlackPost);
    effects[0].payload["payload"]["blocks"].clone()
}

backend_test!(
    a_pre_meeting_event_brings_an_enriched_briefing_to_slack,
    a_pre_meeting_event_brings_an_enriched_briefing_to_slack_body
);

async fn a_pre_meeting_event_brings_an_enriched_briefing_to_slack_body(backend: Backend) {
    let provider = HttpPeer::answering(vec![], Answer::json(aisha()));
    let slack = HttpPeer::answering(
        vec![],
        Answer::json(json!({ "ok": true, "channel": "C-PRIYA", "ts": "1700000000.000100" })),
    );
    let db = TestDb::new(backend).await;
    let s = serve(&db, &slack, provider.port, grants(provider.port)).await;
    let job = brief(&s).await;
    let id = job["id"].as_str().expect("id");
    assert_eq!(job["status"], "completed", "{job:#}");
    let failed: Vec<&Value> = job["step_runs"]
        .as_array()
        .expect("runs")
        .iter()
        .filter(|r| r["status"] != "completed")
        .collect();
    assert!(failed.is_empty(), "every step ran: {failed:#?}");
    all_steps_match_their_schemas(&s, id).await;

    // The provider was asked about the customer only, with no credential.
    let asked = provider.requests();
    assert_eq!(
        asked.len(),
        1,
        "the rep's colleague is not looked up: {asked:#?}"
    );
    assert!(
        asked[0].starts_with(
            "GET /v1/people/match?email=aisha.bello%40harbourfreight.example&name=Aisha%20Bello HTTP/1.1"
        ),
        "{}",
        asked[0]
    );
    let head = asked[0].to_lowercase();
    assert!(
        !head.contains("authorization") && !head.contains("api-key") && !head.contains("api_key")
    );

    let enrich = output(&s, id, "enrich-attendees").await;
    assert_eq!(enrich["provider_status"], "ok", "{enrich:#}");
    let briefing = output(&s, id, "generate-briefing").await;
    assert_eq!(briefing["missing"], json!([]), "{briefing:#}");
    assert_eq!(briefing["attendees"][0]["title"], "Chief Financial Officer");
    assert_eq!(briefing["deal"]["name"], "Harbour Freight forecast add-on");
    assert_eq!(briefing["action_items"][0]["overdue"], true);
    assert_eq!(
        briefing["starts_local"], "Tue 24 Nov, 16:00 GMT",
        "rep2 is in London"
    );
    assert_eq!(briefing["talking_points"].as_array().map(Vec::len), Some(3));

    // Slack got the briefing in rep2's channel, with the provider's data.
    let posts = posts_with(
        &slack,
        "Chief Financial Officer at Harbour Freight Partners Ltd",
    )
    .await;
    assert_eq!(posts.len(), 1, "{posts:#?}");
    let post = &posts[0];
    assert_eq!(post["channel"], "C-PRIYA");
    let posted = post.to_string();
    assert!(
        posted.contains("Meeting prep: Harbour Freight forecast review"),
        "{posted}"
    );
    assert!(
        posted.contains("Overdue 32 days:* Send the revised payment schedule"),
        "{posted}"
    );
    assert!(
        posted.contains("Harbour Freight opens a Rotterdam hub"),
        "{posted}"
    );
    assert!(!posted.contains("degraded"), "{posted}");

    // The skill's own blocks and what was posted are valid Block Kit.
    let blocks = proposed_blocks(&s, id).await;
    assert!(
        blocks
            .to_string()
            .contains("<https://www.linkedin.com/in/aisha-bello-example|Aisha Bello>"),
        "{blocks:#}"
    );
    assert_eq!(
        post["blocks"], blocks,
        "the host posts the skill's read-only layout"
    );
    let report = validate_blocks(&json!({ "briefing": blocks, "posted": post["blocks"] }));
    for (name, errors) in report.as_object().expect("report") {
        assert_eq!(errors, &json!([]), "{name} is valid Block Kit");
    }
    // Nothing a rep read in Slack names the machinery (issue 38, 2.3).
    assert!(
        baton_tests::plain::assert_plain_slack(&slack) > 0,
        "Slack was posted to"
    );
    s.stop().await;
    db.finish().await;
}

backend_test!(
    a_failing_provider_still_gives_a_crm_briefing_that_says_it_degraded,
    a_failing_provider_still_gives_a_crm_briefing_that_says_it_degraded_body
);

async fn a_failing_provider_still_gives_a_crm_briefing_that_says_it_degraded_body(
    backend: Backend,
) {
    let provider = HttpPeer::answering(vec![], Answer::new(500, "internal error"));
    let slack = HttpPeer::answering(
        vec![],
        Answer::json(json!({ "ok": true, "channel": "C-PRIYA", "ts": "1700000000.000200" })),
    );
    let db = TestDb::new(backend).await;
    let s = serve(&db, &slack, provider.port, grants(provider.port)).await;
    let job = brief(&s).await;
    let id = job["id"].as_str().expect("id");
    assert_eq!(provider.hits(), 1, "one failure is enough");
    all_steps_match_their_schemas(&s, id).await;
    let enrich = output(&s, id, "enrich-attendees").await;
    assert_eq!(enrich["provider_status"], "failed", "{enrich:#}");
    assert_eq!(enrich["attendees"][0]["source"], "crm");

    let posts = posts_with(&slack, "Meeting prep: Harbour Freight forecast review").await;
    let posted = posts[0].to_string();
    assert!(
        posted.contains("*Aisha Bello*, CFO at Harbour Freight Partners"),
        "CRM data: {posted}"
    );
    assert!(
        posted.contains("enrichment degraded: the provider answered HTTP 500"),
        "{posted}"
    );
    assert!(
        posted.contains("Harbour Freight forecast add-on"),
        "{posted}"
    );
    let blocks = proposed_blocks(&s, id).await;
    let report = validate_blocks(&json!({ "degraded": blocks }));
    assert_eq!(report["degraded"], json!([]), "valid Block Kit");
    // Nothing a rep read in Slack names the machinery (issue 38, 2.3).
    assert!(
        baton_tests::plain::assert_plain_slack(&slack) > 0,
        "Slack was posted to"
    );
    s.stop().await;
    db.finish().await;
}

backend_test!(
    without_a_host_grant_the_provider_is_never_called_and_the_briefing_says_why,
    without_a_host_grant_the_provider_is_never_called_and_the_briefing_says_why_body
);

/// A default install (no grants file: each skill is granted what it
/// declares) runs the chain: `http:*` grants no host, so the provider is
/// never reached and the briefing says which grant is missing.
async fn without_a_host_grant_the_provider_is_never_called_and_the_briefing_says_why_body(
    backend: Backend,
) {
    let provider = HttpPeer::answering(vec![], Answer::json(aisha()));
    let slack = HttpPeer::answering(
        vec![],
        Answer::json(json!({ "ok": true, "channel": "C-PRIYA", "ts": "1700000000.000300" })),
    );
    let db = TestDb::new(backend).await;
    let s = serve(&db, &slack, provider.port, Grants::trust_declared()).await;
    let job = brief(&s).await;
    let id = job["id"].as_str().expect("id");
    assert_eq!(provider.hits(), 0, "no request left the sandbox");
    let enrich = output(&s, id, "enrich-attendees").await;
    let reason = enrich["reason"].as_str().expect("reason");
    assert!(
        reason.contains(&format!("http:127.0.0.1:{}", provider.port)),
        "{reason}"
    );
    let posts = posts_with(&slack, "Meeting prep: Harbour Freight forecast review").await;
    // The rep reads why in their words; the grant is the operator's (above).
    assert!(
        posts[0].to_string().contains("not enabled for briefings")
            && !posts[0].to_string().contains("grants.toml"),
        "{:#}",
        posts[0]
    );
    // Nothing a rep read in Slack names the machinery (issue 38, 2.3).
    assert!(
        baton_tests::plain::assert_plain_slack(&slack) > 0,
        "Slack was posted to"
    );
    s.stop().await;
    db.finish().await;
}

backend_test!(
    linkedin_profiles_are_read_through_the_orgs_apify_actor,
    linkedin_body
);

async fn linkedin_body(backend: Backend) {
    let apollo = HttpPeer::answering(vec![], Answer::json(aisha()));
    // The actor's dataset: Aisha's profile (as the URL she was asked by,
    // dressed differently), and someone else's.
    let apify = HttpPeer::answering(
        vec![],
        Answer::json(json!([
            { "linkedinUrl": "https://linkedin.com/in/aisha-bello-example/", "fullName": "Aisha Bello",
              "headline": "CFO at Harbour Freight Partners | Freight finance, FP&A",
              "about": "I run finance for a 600-person freight forwarder. Before that, KPMG." },
            { "linkedinUrl": "https://www.linkedin.com/in/someone-else", "headline": "Not an attendee" }
        ])),
    );
    let slack = HttpPeer::answering(
        vec![],
        Answer::json(json!({ "ok": true, "channel": "C-PRIYA", "ts": "1700000000.000100" })),
    );
    let grants = granting(&format!(
        r#""context:org", "context:contact", "context:external:apollo", "context:external:apify", "http:127.0.0.1:{}", "http:127.0.0.1:{}""#,
        apollo.port, apify.port
    ));
    let db = TestDb::new(backend).await;
    let s = serve_with(&db, &slack, apollo.port, grants, Some(apify.port)).await;
    let job = brief(&s).await;
    let id = job["id"].as_str().expect("id").to_owned();
    let enriched = output(&s, &id, "enrich-attendees").await;
    assert_eq!(enriched["linkedin"]["status"], "ok", "{enriched:#}");
    assert_eq!(enriched["linkedin"]["read"], 1);
    // One run of the actor, with the profile URL as its input and the
    // token the host keeps.
    let asked = apify.requests();
    assert_eq!(asked.len(), 1, "{asked:#?}");
    assert!(
        asked[0].starts_with(
            "POST /v2/acts/acme~linkedin-profiles/run-sync-get-dataset-items?timeout=20"
        ),
        "{}",
        asked[0]
    );
    assert!(
        asked[0]
            .to_lowercase()
            .contains(&format!("authorization: bearer {APIFY_TOKEN}")),
        "{}",
        asked[0]
    );
    // (Sent chunked: the JSON is between the chunk sizes.)
    let raw = body_of(&asked[0]);
    let json_of = raw
        .find('{')
        .zip(raw.rfind('}'))
        .map_or("", |(a, b)| &raw[a..=b]);
    let input: Value = serde_json::from_str(json_of).expect("JSON input");
    assert_eq!(
        input,
        json!({ "profileUrls": ["https://www.linkedin.com/in/aisha-bello-example"] })
    );
    assert!(!enriched.to_string().contains(APIFY_TOKEN));
    // The brief shows what her profile says, and no note about LinkedIn.
    let post = &posts_with(&slack, "Aisha Bello").await[0];
    let said = post.to_string();
    assert!(
        said.contains("Freight finance, FP&amp;A") || said.contains("Freight finance, FP&A"),
        "{said}"
    );
    assert!(
        said.contains("I run finance for a 600-person freight forwarder."),
        "{said}"
    );
    assert!(
        !said.contains("KPMG"),
        "the first line of the about only: {said}"
    );
    assert!(!said.contains("LinkedIn profiles were not read"), "{said}");
    s.stop().await;
    db.finish().await;

    // Without an actor configured, the brief says LinkedIn was not read.
    let db = TestDb::new(backend).await;
    let slack = HttpPeer::answering(
        vec![],
        Answer::json(json!({ "ok": true, "channel": "C-PRIYA", "ts": "1700000000.000100" })),
    );
    let s = serve(&db, &slack, apollo.port, grants_for_linkedin(apollo.port)).await;
    let job = brief(&s).await;
    let id = job["id"].as_str().expect("id").to_owned();
    let enriched = output(&s, &id, "enrich-attendees").await;
    assert_eq!(
        enriched["linkedin"]["status"], "not_configured",
        "{enriched:#}"
    );
    let post = &posts_with(&slack, "Aisha Bello").await[0];
    assert!(
        post.to_string()
            .contains("LinkedIn profiles were not read: it is not set up for your team."),
        "{post}"
    );
    s.stop().await;
    db.finish().await;
}

/// The usual grants, with the Apify tier granted too.
fn grants_for_linkedin(provider_port: u16) -> Grants {
    granting(&format!(
        r#""context:org", "context:contact", "context:external:apollo", "context:external:apify", "http:127.0.0.1:{provider_port}""#
    ))
}
