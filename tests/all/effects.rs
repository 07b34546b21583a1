//! Effects that land (issue 17): through a real `baton serve`, an approved
//! CRM update and task land in CRM-lite and in a HubSpot-shaped peer (once,
//! through a 429); an approved invite goes out as an iMIP email that
//! Python's `icalendar` reads as a REQUEST, or onto a Google-connected
//! rep's calendar (once, even delivered twice); a sent email becomes an
//! activity that takes its deal off the stale list.

use baton::store::{ContextTables, CrmTables};
use baton::store::{JobId, NewAccount, NewActivity, NewDeal, OrgId, Store};
use baton_tests::server::{Server, Setup, T0, env, start};

use baton_tests::{Backend, GooglePeer, HubSpotPeer, SmtpSink, TestDb, backend_test, python, root};
use serde_json::{Value, json};

/// `BATON_SECRET_KEY`: base64 of 32 bytes (a test key).
const SECRET_KEY: &str = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
const MARTA: &str = "marta.ruiz@northwind.example";
const DEAL: &str = "Northwind expansion";
const PAT: &str = "pat-na1-11111111-2222-3333-4444-555555555555";

/// Org `acme` with Marta at Northwind and her open deal (last touched a
/// month before T0); the deal's and contact's ids.
async fn crm(store: &Store) -> (OrgId, String, String) {
    let org = store
        .upsert_org("acme", "Acme", &json!({}))
        .await
        .expect("org");
    let company = store
        .upsert_company(&org, "Northwind", Some("northwind.example"), None, None)
        .await
        .expect("company");
    let contact = store
        .upsert_contact(
            &org,
            Some(&company),
            "Marta Ruiz",
            MARTA,
            Some("VP Operations"),
        )
        .await
        .expect("contact");
    let deal = store
        .insert_deal(
            &org,
            &NewDeal {
                company_id: Some(&company),
                contact_id: Some(&contact),
                name: DEAL,
                stage: "discovery",
                amount_cents: Some(4_000_000),
                currency: "USD",
                ..NewDeal::default()
            },
            T0,
        )
        .await
        .expect("deal");
    store
        .insert_activity(
            &org,
            &NewActivity {
                deal_id: Some(&deal),
                contact_id: Some(&contact),
                kind: "meeting",
                summary: "Discovery call",
                occurred_at: T0 - 30 * 86_400_000,
                ..NewActivity::default()
            },
        )
        .await
        .expect("activity");
    (org, deal, contact)
}

/// A meeting ends and one step proposes `actions` (TOML), which the rep
/// approves.
fn sequence(actions: &str) -> String {
    format!(
        r#"
event = "meeting_ended"
dedupe_key = "meeting_id"

[[step]]
name = "propose"
skill = "scripted"
params = {{ actions = [{}] }}
"#,
        // An inline table stays on one line.
        actions.replace('\n', " ")
    )
}

/// The org connects HubSpot as an operator would: its private app token
/// through the accounts route.
async fn connect_hubspot(s: &Server) {
    let (status, connected) = s
        .post(
            "/v1/accounts",
            json!({ "provider": "hubspot", "address": "portal-4451", "token": PAT }),
        )
        .await;
    assert_eq!(status, 201, "{connected}");
}

/// Send the event, approve the gate; the job's id.
async fn approve(s: &Server) -> String {
    let (_, first) = s.event("m-1").await;
    let job = first["job_id"].as_str().expect("job").to_owned();
    let gate = s.open_gate(&job).await;
    let (status, body) = s
        .post(
            &format!(
                "/v1/approvals/{}/decision",
                gate["id"].as_str().expect("id")
            ),
            json!({ "decision": "approved" }),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    job
}

fn effects(job: &Value) -> Vec<Value> {
    job["effects"].as_array().cloned().unwrap_or_default()
}

backend_test!(
    an_approved_crm_update_lands_in_crm_lite_and_in_hubspot_once_through_a_429,
    an_approved_crm_update_lands_in_crm_lite_and_in_hubspot_once_through_a_429_body
);

async fn an_approved_crm_update_lands_in_crm_lite_and_in_hubspot_once_through_a_429_body(
    backend: Backend,
) {
    let hubspot = HubSpotPeer::start(PAT);
    let hs_deal = {
        let mut p = hubspot.state();
        p.add_deal("Some other deal", "appointmentscheduled");
        p.add_deal(DEAL, "appointmentscheduled")
    };
    let db = TestDb::new(backend).await;
    let (org, deal, contact) = crm(&db.store).await;
    let actions = format!(
        r#"{{ kind = "crm_update", preview = "stage", payload = {{ entity = "deal", deal_id = "{deal}", field = "stage", value = "proposal", stage = "proposal", previous = "discovery" }} }},
           {{ kind = "crm_update", preview = "next step", payload = {{ entity = "deal", deal_id = "{deal}", field = "next_step", value = "Send the pricing proposal (due 2026-11-27)", evidence = "I'll send pricing by Friday" }} }},
           {{ kind = "crm_update", preview = "competitors", payload = {{ entity = "deal", deal_id = "{deal}", field = "competitors", value = ["Globex", "Initech"], evidence = "we're also looking at Globex and Initech" }} }},
           {{ kind = "crm_update", preview = "close", payload = {{ entity = "deal", deal_id = "{deal}", field = "close_date", value = "2026-12-15" }} }},
           {{ kind = "task_create", preview = "task", payload = {{ title = "Send the pricing proposal", due_date = "2026-11-27", deal_id = "{deal}", contact_id = "{contact}", quote = "I'll send pricing by Friday", assignee = "rep" }} }}"#
    );
    let seq = sequence(&actions);
    let s = start(
        db.store.clone(),
        Setup {
            sequences: &[&seq],
            env: env(&[
                ("BATON_SECRET_KEY", SECRET_KEY),
                ("BATON_HUBSPOT_API_URL", &hubspot.url),
            ]),
            ..Setup::default()
        },
    )
    .await;
    assert_eq!(s.org, org);
    // The org connects HubSpot as an operator would: its private app token
    // through the accounts route (tried with one read).
    connect_hubspot(&s).await;
    // The first call HubSpot sees next is refused: 429, Retry-After 10 s.
    hubspot.state().throttle = 1;
    let job = approve(&s).await;

    // The one effect HubSpot throttled (its first call, a read before a
    // change or a write) waits for the time HubSpot asked for; the others
    // land at once.
    let limited = s
        .wait_job(&job, |j| {
            effects(j).iter().any(|e| {
                e["last_error"]
                    .as_str()
                    .is_some_and(|m| m.contains("rate limited; retry in 10000 ms"))
            }) && effects(j)
                .iter()
                .filter(|e| e["status"] == "delivered")
                .count()
                == 4
        })
        .await;
    let waiting: Vec<Value> = effects(&limited)
        .into_iter()
        .filter(|e| e["status"] != "delivered")
        .collect();
    assert_eq!(waiting.len(), 1, "{limited:#}");
    assert!(
        waiting[0]["not_before"].as_i64().expect("next attempt") >= T0 + 10_000,
        "the retry waits at least as long as Retry-After: {limited:#}"
    );

    s.clock.advance(60_000);
    s.wait_job(&job, |j| {
        effects(j).iter().all(|e| e["status"] == "delivered")
    })
    .await;
    let d = s
        .app
        .store()
        .deal(&org, &deal)
        .await
        .expect("read")
        .expect("deal");
    assert_eq!(d.stage, "proposal");
    assert_eq!(
        d.next_step.as_deref(),
        Some("Send the pricing proposal (due 2026-11-27)")
    );
    assert_eq!(d.competitors.0, vec!["Globex", "Initech"]);
    assert_eq!(d.close_date.as_deref(), Some("2026-12-15"));
    assert_eq!(d.amount_cents, Some(4_000_000), "untouched");

    // Tier 2 shows the deal as approved, and its task.
    let tier2 = s
        .app
        .store()
        .contact_context(
            &org,
            &baton::store::ContactRef {
                contact_email: Some(MARTA),
                ..Default::default()
            },
        )
        .await
        .expect("context")
        .expect("known");
    assert_eq!(tier2["deal"]["stage"], "proposal");
    assert_eq!(tier2["deal"]["competitors"], json!(["Globex", "Initech"]));
    assert_eq!(
        tier2["deal"]["next_step"],
        "Send the pricing proposal (due 2026-11-27)"
    );
    assert_eq!(tier2["tasks"][0]["title"], "Send the pricing proposal");
    assert_eq!(tier2["tasks"][0]["due_date"], "2026-11-27");
    let tasks = s.app.store().deal_tasks(&org, &deal).await.expect("tasks");
    assert_eq!(tasks.len(), 1);
    // And so does the API.
    let (status, view) = s.get(&format!("/v1/crm/deals/{deal}")).await;
    assert_eq!(status, 200, "{view}");
    assert_eq!(view["deal"]["stage"], "proposal");
    assert_eq!(view["deal"]["close_date"], "2026-12-15");
    assert_eq!(view["tasks"][0]["title"], "Send the pricing proposal");
    let (status, _) = s.get("/v1/crm/deals/no-such-deal").await;
    assert_eq!(status, 404);
    // And the rep sees it on the job's page in the inbox.
    let cookie = s.inbox_login(&s.token).await;
    let page = s
        .http
        .get(s.url(&format!("/inbox/jobs/{job}")))
        .header("cookie", cookie)
        .send()
        .await
        .expect("job page")
        .text()
        .await
        .expect("html");
    for shown in [
        "Deal: ",
        "proposal",
        "2026-12-15",
        "Send the pricing proposal (due 2026-11-27)",
        "Globex, Initech",
    ] {
        assert!(
            page.contains(shown),
            "the job page shows {shown:?}:\n{page}"
        );
    }

    // HubSpot: the deal patched, one note, one task on the deal.
    {
        let p = hubspot.state();
        let hs = p
            .all("deals")
            .into_iter()
            .find(|o| o["id"] == hs_deal.as_str())
            .expect("deal");
        assert_eq!(hs["properties"]["dealstage"], "decisionmakerboughtin");
        assert_eq!(
            hs["properties"]["hs_next_step"],
            "Send the pricing proposal (due 2026-11-27)"
        );
        assert_eq!(hs["properties"]["closedate"], "2026-12-15");
        let other = p
            .all("deals")
            .into_iter()
            .find(|o| o["id"] != hs_deal.as_str())
            .expect("other");
        assert_eq!(
            other["properties"]["dealstage"], "appointmentscheduled",
            "only the named deal changes"
        );
        let notes = p.all("notes");
        assert_eq!(notes.len(), 1, "{notes:#?}");
        let note = notes[0]["properties"]["hs_note_body"]
            .as_str()
            .expect("body");
        assert!(note.contains("Competitors: Globex, Initech"), "{note}");
        assert_eq!(notes[0]["associations"][0]["to"]["id"], hs_deal.as_str());
        assert_eq!(
            notes[0]["associations"][0]["types"][0]["associationTypeId"],
            214
        );
        let tasks = p.all("tasks");
        assert_eq!(tasks.len(), 1, "{tasks:#?}");
        assert_eq!(
            tasks[0]["properties"]["hs_task_subject"],
            "Send the pricing proposal"
        );
        assert_eq!(
            tasks[0]["properties"]["hs_timestamp"], "1795737600000",
            "due 2026-11-27"
        );
        assert_eq!(tasks[0]["associations"][0]["to"]["id"], hs_deal.as_str());
        assert_eq!(
            tasks[0]["associations"][0]["types"][0]["associationTypeId"],
            216
        );
        assert_eq!(
            p.calls(&format!("PATCH /crm/v3/objects/deals/{hs_deal}")),
            3,
            "stage, next step and close date: each once: {:#?}",
            p.requests
        );
    }

    // Delivered again (an outbox retry after a lost acknowledgement): the
    // note and task are found, not made again.
    let all = s
        .app
        .store()
        .effects(&org, Some(&JobId::from(job.as_str())), 10)
        .await
        .expect("effects");
    for e in &all {
        s.app
            .deliverer()
            .expect("a deliverer")
            .deliver(e)
            .await
            .expect("redelivered");
    }
    {
        let p = hubspot.state();
        assert_eq!(p.all("notes").len(), 1);
        assert_eq!(p.all("tasks").len(), 1);
    }
    assert_eq!(
        s.app
            .store()
            .deal_tasks(&org, &deal)
            .await
            .expect("tasks")
            .len(),
        1
    );
    s.stop().await;
    db.finish().await;
}

backend_test!(
    a_hubspot_redelivery_within_a_second_creates_nothing_twice,
    a_hubspot_redelivery_within_a_second_body
);

async fn a_hubspot_redelivery_within_a_second_body(backend: Backend) {
    // HubSpot's search does not yet see what was just created: a
    // redelivery (another replica's, after a lease ran out mid-send) finds
    // the note and the task by the ids baton recorded, and updates them.
    let hubspot = HubSpotPeer::start(PAT);
    let hs_deal = hubspot.state().add_deal(DEAL, "appointmentscheduled");
    hubspot.state().search_lags = true;
    let db = TestDb::new(backend).await;
    let (_, deal, contact) = crm(&db.store).await;
    let actions = format!(
        r#"{{ kind = "crm_update", preview = "competitors", payload = {{ entity = "deal", deal_id = "{deal}", field = "competitors", value = ["Globex"], evidence = "we're also looking at Globex" }} }},
           {{ kind = "task_create", preview = "task", payload = {{ title = "Send the pricing proposal", due_date = "2026-11-27", deal_id = "{deal}", contact_id = "{contact}", quote = "I'll send pricing by Friday", assignee = "rep" }} }}"#
    );
    let seq = sequence(&actions);
    let s = start(
        db.store.clone(),
        Setup {
            sequences: &[&seq],
            env: env(&[
                ("BATON_SECRET_KEY", SECRET_KEY),
                ("BATON_HUBSPOT_API_URL", &hubspot.url),
            ]),
            ..Setup::default()
        },
    )
    .await;
    connect_hubspot(&s).await;
    let job = approve(&s).await;
    s.wait_job(&job, |j| {
        let e = effects(j);
        e.len() == 2 && e.iter().all(|e| e["status"] == "delivered")
    })
    .await;
    let all = s
        .app
        .store()
        .effects(&s.org, Some(&JobId::from(job.as_str())), 10)
        .await
        .expect("effects");
    let started = std::time::Instant::now();
    for e in &all {
        s.app
            .deliverer()
            .expect("a deliverer")
            .deliver(e)
            .await
            .expect("redelivered");
    }
    let within = started.elapsed();
    let (notes, tasks, requests) = {
        let p = hubspot.state();
        (p.all("notes"), p.all("tasks"), p.requests.clone())
    };
    assert_eq!(notes.len(), 1, "one note: {notes:#?}");
    assert_eq!(tasks.len(), 1, "one task: {tasks:#?}");
    assert_eq!(notes[0]["associations"][0]["to"]["id"], hs_deal.as_str());
    for (object, made) in [("notes", &notes[0]), ("tasks", &tasks[0])] {
        let id = made["id"].as_str().expect("id");
        let patch = format!("PATCH /crm/v3/objects/{object}/{id}");
        assert_eq!(
            requests.iter().filter(|r| r.starts_with(&patch)).count(),
            1,
            "the redelivery updated the {object} it made: {requests:#?}"
        );
    }
    println!(
        "hubspot: redelivered in {within:?} with the search index behind; nothing created twice"
    );
    s.stop().await;
    db.finish().await;
}

backend_test!(
    a_revoked_hubspot_token_fails_the_update_with_the_fix,
    a_revoked_hubspot_token_fails_the_update_with_the_fix_body
);

async fn a_revoked_hubspot_token_fails_the_update_with_the_fix_body(backend: Backend) {
    let hubspot = HubSpotPeer::start(PAT);
    hubspot.state().add_deal(DEAL, "appointmentscheduled");
    let db = TestDb::new(backend).await;
    let (org, deal, _) = crm(&db.store).await;
    let seq = sequence(&format!(
        r#"{{ kind = "crm_update", preview = "stage", payload = {{ deal_id = "{deal}", field = "stage", value = "demo", stage = "demo" }} }}"#
    ));
    let s = start(
        db.store.clone(),
        Setup {
            sequences: &[&seq],
            env: env(&[
                ("BATON_SECRET_KEY", SECRET_KEY),
                ("BATON_HUBSPOT_API_URL", &hubspot.url),
            ]),
            ..Setup::default()
        },
    )
    .await;
    // The org connects HubSpot as an operator would: its private app token
    // through the accounts route (tried on connect); then the token is
    // revoked in HubSpot, a new one made.
    connect_hubspot(&s).await;
    hubspot.state().token = "pat-the-new-one".into();
    let job = approve(&s).await;
    let done = s
        .wait_job(&job, |j| {
            effects(j).first().is_some_and(|e| e["status"] == "failed")
        })
        .await;
    let error = done["effects"][0]["last_error"].as_str().expect("error");
    assert!(
        error.contains("401") && error.contains("reconnect HubSpot"),
        "{error}"
    );
    assert!(!error.contains(PAT), "the token is never shown");
    // The account now asks to be reconnected.
    let (_, listed) = s.get("/v1/accounts").await;
    let hubspot_account = listed
        .as_array()
        .and_then(|a| a.iter().find(|a| a["provider"] == "hubspot"))
        .cloned()
        .unwrap_or_else(|| panic!("HubSpot listed: {listed}"));
    assert_eq!(hubspot_account["status"], "reconnect", "{hubspot_account}");
    assert_eq!(
        hubspot.state().calls("POST /crm/v3/objects/deals/search"),
        1,
        "not retried"
    );
    // The revoked token is refused when it is connected again, naming the
    // field, and the account is left as it was.
    let (status, problem) = s
        .post(
            "/v1/accounts",
            json!({ "provider": "hubspot", "address": "portal-4451", "token": PAT }),
        )
        .await;
    assert_eq!(status, 422, "{problem}");
    assert_eq!(problem["field"], "token", "{problem}");
    assert!(
        problem["detail"]
            .as_str()
            .is_some_and(|d| d.contains("401")),
        "{problem}"
    );
    let (_, listed) = s.get("/v1/accounts").await;
    assert_eq!(
        listed
            .as_array()
            .map(|a| a.iter().filter(|a| a["status"] == "reconnect").count()),
        Some(1),
        "still waiting to be reconnected: {listed}"
    );
    // CRM-lite took it all the same.
    let d = s
        .app
        .store()
        .deal(&org, &deal)
        .await
        .expect("read")
        .expect("deal");
    assert_eq!(d.stage, "demo");
    s.stop().await;
    db.finish().await;
}

/// The invite the scheduling chain proposes: 10:00–10:30 in Madrid.
const INVITE: &str = r#"{ kind = "calendar_invite", preview = "Invite", payload = { title = "Pricing call, Northwind", start = "2026-11-25T10:00:00", end = "2026-11-25T10:30:00", timezone = "Europe/Madrid", attendees = ["Marta Ruiz <marta.ruiz@northwind.example>", "ops@northwind.example"], description = "Pricing walk-through; agenda: scope, terms" } }"#;

backend_test!(
    an_approved_invite_is_an_imip_request_that_icalendar_reads,
    an_approved_invite_is_an_imip_request_that_icalendar_reads_body
);

async fn an_approved_invite_is_an_imip_request_that_icalendar_reads_body(backend: Backend) {
    let smtp = SmtpSink::start();
    let db = TestDb::new(backend).await;
    let (org, deal, _) = crm(&db.store).await;
    let seq = sequence(INVITE);
    let s = start(
        db.store.clone(),
        Setup {
            sequences: &[&seq],
            env: env(&[("BATON_SMTP_URL", &format!("smtp://127.0.0.1:{}", smtp.port))]),
            ..Setup::default()
        },
    )
    .await;
    let before = now() - 14 * 86_400_000;
    let stale = s
        .app
        .store()
        .stale_deals(&org, before, 10)
        .await
        .expect("stale");
    assert!(
        stale.iter().any(|d| d.id == deal),
        "stale before the email: {stale:?}"
    );
    let job = approve(&s).await;
    s.wait_job(&job, |j| {
        effects(j)
            .first()
            .is_some_and(|e| e["status"] == "delivered")
    })
    .await;
    let mail = smtp.messages();
    assert_eq!(mail.len(), 1);
    assert_eq!(mail[0]["mail_from"], "jordan.avery@acme.example");
    assert_eq!(mail[0]["rcpt_tos"], json!([MARTA, "ops@northwind.example"]));
    let dir = tempfile::tempdir().expect("dir");
    let eml = dir.path().join("invite.eml");
    std::fs::write(&eml, mail[0]["data"].as_str().expect("data")).expect("write");
    let out = std::process::Command::new(python())
        .arg(root().join("tests/python/read_invite.py"))
        .arg(&eml)
        .output()
        .expect("python");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let ics: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(ics["content_type_method"], "REQUEST");
    assert_eq!(ics["method"], "REQUEST");
    assert_eq!(ics["version"], "2.0");
    assert_eq!(ics["summary"], "Pricing call, Northwind");
    assert_eq!(
        ics["description"],
        "Pricing walk-through; agenda: scope, terms"
    );
    assert_eq!(
        ics["dtstart"], "2026-11-25T09:00:00+00:00",
        "10:00 in Madrid, in UTC"
    );
    assert_eq!(ics["dtend"], "2026-11-25T09:30:00+00:00");
    assert_eq!(ics["sequence"], 0);
    assert_eq!(ics["organizer"], "mailto:jordan.avery@acme.example");
    assert_eq!(ics["organizer_cn"], "Jordan Avery");
    assert_eq!(
        ics["attendees"],
        json!([format!("mailto:{MARTA}"), "mailto:ops@northwind.example"])
    );
    assert_eq!(ics["rsvp"], json!(["TRUE", "TRUE"]));
    let uid = ics["uid"].as_str().expect("uid");
    assert!(uid.ends_with("@baton") && uid.len() == 64 + 6, "{uid}");
    assert!(
        ics["plain"]
            .as_str()
            .is_some_and(|p| p.contains("Wed 25 Nov 2026 10:00 (Europe/Madrid)")),
        "{ics:#}"
    );
    // The same effect always names the same event.
    let audit = s.app.store().audit_log(&org, 10).await.expect("audit");
    let sent = audit
        .iter()
        .find(|a| a.kind == "email_sent")
        .expect("audited");
    assert_eq!(sent.detail["invite"], uid);

    // Sent email is an activity on Marta and her deal: no longer stale.
    let stale = s
        .app
        .store()
        .stale_deals(&org, before, 10)
        .await
        .expect("stale");
    assert!(
        !stale.iter().any(|d| d.id == deal),
        "the email counts: {stale:?}"
    );
    let tier2 = s
        .app
        .store()
        .contact_context(
            &org,
            &baton::store::ContactRef {
                contact_email: Some(MARTA),
                ..Default::default()
            },
        )
        .await
        .expect("context")
        .expect("known");
    let latest = &tier2["activities"][0];
    assert_eq!(latest["kind"], "email_sent");
    assert_eq!(latest["deal_id"], deal.as_str());
    s.stop().await;
    db.finish().await;
}

fn now() -> i64 {
    baton::store::now_ms()
}

backend_test!(
    a_google_connected_reps_invite_lands_on_their_calendar_once,
    a_google_connected_reps_invite_lands_on_their_calendar_once_body
);

async fn a_google_connected_reps_invite_lands_on_their_calendar_once_body(backend: Backend) {
    let google = GooglePeer::start();
    let smtp = SmtpSink::start();
    let db = TestDb::new(backend).await;
    let (org, _, _) = crm(&db.store).await;
    let seq = sequence(INVITE);
    let mut vars = google.env();
    vars.extend(env(&[
        ("BATON_SECRET_KEY", SECRET_KEY),
        ("BATON_SMTP_URL", &format!("smtp://127.0.0.1:{}", smtp.port)),
    ]));
    let s = start(
        db.store.clone(),
        Setup {
            sequences: &[&seq],
            env: vars,
            ..Setup::default()
        },
    )
    .await;
    let rep = "jordan.avery@acme.example";
    let (access, refresh) = {
        let mut g = google.state();
        (g.issue_access(rep), g.issue_refresh(rep))
    };
    // The stored access token expires at Google as the insert arrives: the
    // insert refreshes it and tries again. (Expiring it here instead raced
    // the calendar loop, whose first pass may start after the account is
    // connected, read the calendar and refresh the token before the insert.)
    google.state().expire_on_insert = true;
    let accounts = s.app.accounts.clone();
    s.app
        .store()
        .connect_account(
            &NewAccount {
                org_id: &org,
                user_id: Some(&s.user),
                provider: "google",
                address: rep,
                scopes: &format!("email {}", baton::accounts::google::CALENDAR),
                settings: &json!({}),
                token_expires_at: Some(now() + 3_600_000),
            },
            |id| {
                accounts
                    .seal(
                        id,
                        &json!({ "access_token": access, "refresh_token": refresh }),
                    )
                    .expect("sealed")
            },
            T0,
        )
        .await
        .expect("Google connected")
        .expect("the address is no other rep's");
    let job = approve(&s).await;
    s.wait_job(&job, |j| {
        effects(j)
            .first()
            .is_some_and(|e| e["status"] == "delivered")
    })
    .await;
    let inserted = |g: &GooglePeer| {
        g.state()
            .calendars
            .get(rep)
            .map(|c| c.inserted.clone())
            .unwrap_or_default()
    };
    let events = inserted(&google);
    assert_eq!(events.len(), 1, "{events:#?}");
    let e = &events[0];
    assert_eq!(e["summary"], "Pricing call, Northwind");
    assert_eq!(e["start"]["dateTime"], "2026-11-25T09:00:00Z");
    assert_eq!(e["start"]["timeZone"], "Europe/Madrid");
    assert_eq!(
        e["attendees"],
        json!([{ "email": MARTA }, { "email": "ops@northwind.example" }])
    );
    assert!(
        google
            .state()
            .api_requests
            .iter()
            .any(|r| r == "POST /calendar/v3/calendars/primary/events?sendUpdates=all"),
        "Google sends the invitations"
    );
    assert!(smtp.messages().is_empty(), "no iMIP email beside it");

    // Delivered a second time (a retry after a lost answer): Google says
    // 409 for the same id, which counts as done.
    let all = s
        .app
        .store()
        .effects(&org, Some(&JobId::from(job.as_str())), 10)
        .await
        .expect("effects");
    s.app
        .deliverer()
        .expect("a deliverer")
        .deliver(&all[0])
        .await
        .expect("redelivered");
    assert_eq!(inserted(&google).len(), 1, "still one event");
    // Counted exactly: the calendar loop's watch requests
    // (`…/events/watch`) are not inserts.
    let inserts = google
        .state()
        .api_requests
        .iter()
        .filter(|r| *r == "POST /calendar/v3/calendars/primary/events?sendUpdates=all")
        .count();
    assert_eq!(inserts, 3, "401, then the insert, then the 409");
    s.stop().await;
    db.finish().await;
}

backend_test!(
    an_approved_invite_waits_out_the_undo_window_and_can_be_undone,
    an_approved_invite_waits_out_the_undo_window_body
);

/// An invite goes to the prospect by email as the rep, so it waits out the
/// undo window like an email (issue 38: it went at once), and undone in
/// the window it never goes.
async fn an_approved_invite_waits_out_the_undo_window_body(backend: Backend) {
    let smtp = SmtpSink::start();
    let db = TestDb::new(backend).await;
    crm(&db.store).await;
    let seq = sequence(INVITE);
    let mut setup = Setup {
        sequences: &[&seq],
        env: env(&[("BATON_SMTP_URL", &format!("smtp://127.0.0.1:{}", smtp.port))]),
        ..Setup::default()
    };
    setup.config.runner.undo_window_ms = 600_000;
    let s = start(db.store.clone(), setup).await;
    let job = approve(&s).await;
    let done = s.wait_job(&job, |j| !effects(j).is_empty()).await;
    let effect = &effects(&done)[0];
    assert_eq!(effect["kind"], "calendar_invite");
    assert_eq!(effect["status"], "pending", "{effect:#}");
    let wait = effect["not_before"].as_i64().expect("not_before")
        - effect["created_at"].as_i64().expect("created_at");
    assert_eq!(wait, 600_000, "the undo window: {effect:#}");
    let id = effect["id"].as_str().expect("id");
    // Undo, in the inbox, inside the window.
    let cookie = s.inbox_login(&s.token).await;
    let undone = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
        .post(s.url(&format!("/inbox/effects/{id}/cancel")))
        .header("cookie", &cookie)
        .form(&[("back", "/inbox")])
        .send()
        .await
        .expect("undo");
    assert_eq!(undone.status().as_u16(), 303);
    // The window passes on the clock: nothing goes.
    s.clock.advance(700_000);
    let after = s
        .wait_job(&job, |j| effects(j)[0]["status"] == "cancelled")
        .await;
    assert_eq!(effects(&after)[0]["status"], "cancelled");
    assert!(smtp.messages().is_empty(), "the undone invite never went");
    s.stop().await;
    db.finish().await;
}

backend_test!(
    a_crm_change_whose_field_moved_since_the_draft_is_a_conflict_and_writes_nothing,
    a_crm_change_whose_field_moved_since_the_draft_is_a_conflict_and_writes_nothing_body
);

/// Compare-and-set: an approved change applies only where its field still
/// holds what the draft saw, in CRM-lite and in HubSpot (read before any
/// PATCH); otherwise the effect fails naming the conflict and nothing is
/// written anywhere.
async fn a_crm_change_whose_field_moved_since_the_draft_is_a_conflict_and_writes_nothing_body(
    backend: Backend,
) {
    let hubspot = HubSpotPeer::start(PAT);
    let hs_deal = hubspot.state().add_deal(DEAL, "appointmentscheduled");
    let db = TestDb::new(backend).await;
    let (org, deal, _) = crm(&db.store).await;
    let seq = sequence(&format!(
        r#"{{ kind = "crm_update", preview = "stage", payload = {{ entity = "deal", deal_id = "{deal}", field = "stage", value = "proposal", stage = "proposal", previous = "discovery" }} }},
           {{ kind = "crm_update", preview = "next step", payload = {{ entity = "deal", deal_id = "{deal}", field = "next_step", value = "Send the pricing proposal" }} }}"#
    ));
    let s = start(
        db.store.clone(),
        Setup {
            sequences: &[&seq],
            env: env(&[
                ("BATON_SECRET_KEY", SECRET_KEY),
                ("BATON_HUBSPOT_API_URL", &hubspot.url),
            ]),
            ..Setup::default()
        },
    )
    .await;
    connect_hubspot(&s).await;
    let store = s.app.store();
    let stage = |d: Option<baton::store::Deal>| d.expect("deal").stage;

    // 1. In CRM-lite a colleague moved the deal on to negotiation after the
    //    draft was made (it saw discovery).
    let (_, first) = s.event("m-1").await;
    let job = first["job_id"].as_str().expect("job").to_owned();
    let gate = s.open_gate(&job).await;
    store
        .update_deal(
            &org,
            &deal,
            &baton::store::DealChange::Stage("negotiation".into()),
            T0,
        )
        .await
        .expect("a colleague's change");
    let decide = |gate: Value| {
        let s = &s;
        async move {
            let (status, body) = s
                .post(
                    &format!(
                        "/v1/approvals/{}/decision",
                        gate["id"].as_str().expect("id")
                    ),
                    json!({ "decision": "approved" }),
                )
                .await;
            assert_eq!(status, 200, "{body}");
        }
    };
    decide(gate).await;
    let done = s
        .wait_job(&job, |j| {
            effects(j).len() == 2
                && effects(j)
                    .iter()
                    .all(|e| e["status"] == "delivered" || e["status"] == "failed")
        })
        .await;
    // The effect of the step's action `n` (its key ends `:<step>:<n>`).
    let by_preview = |j: &Value, preview: &str| {
        let n = if preview == "stage" { ":0" } else { ":1" };
        effects(j)
            .into_iter()
            .find(|e| {
                e["idempotency_key"]
                    .as_str()
                    .is_some_and(|k| k.ends_with(n))
            })
            .unwrap_or_else(|| panic!("no {preview} effect: {j:#}"))
    };
    let refused = by_preview(&done, "stage");
    assert_eq!(refused["status"], "failed", "{done:#}");
    assert_eq!(
        refused["last_error"],
        "conflict: Northwind expansion's stage is now “negotiation”, not “discovery” as when this change was drafted; nothing was changed"
    );
    assert_eq!(
        stage(store.deal(&org, &deal).await.expect("read")),
        "negotiation"
    );
    assert_eq!(
        by_preview(&done, "next step")["status"],
        "delivered",
        "{done:#}"
    );
    {
        let portal = hubspot.state();
        let hs = portal
            .all("deals")
            .into_iter()
            .find(|d| d["id"] == hs_deal.as_str())
            .expect("hs deal");
        assert_eq!(
            hs["properties"]["dealstage"], "appointmentscheduled",
            "HubSpot untouched"
        );
        assert_eq!(
            hs["properties"]["hs_next_step"],
            "Send the pricing proposal"
        );
    }

    // 2. In HubSpot someone moved the deal to contract sent; CRM-lite is
    //    back at discovery, as the draft saw it. Nothing is written.
    store
        .update_deal(
            &org,
            &deal,
            &baton::store::DealChange::Stage("discovery".into()),
            T0,
        )
        .await
        .expect("back");
    {
        let mut portal = hubspot.state();
        let deals = portal.objects.get_mut("deals").expect("deals");
        for d in deals.iter_mut().filter(|d| d["id"] == hs_deal.as_str()) {
            d["properties"]["dealstage"] = json!("contractsent");
        }
    }
    let patches_before = hubspot.state().calls("PATCH");
    let (_, second) = s.event("m-2").await;
    let job = second["job_id"].as_str().expect("job").to_owned();
    decide(s.open_gate(&job).await).await;
    let done = s
        .wait_job(&job, |j| {
            effects(j).len() == 2
                && effects(j)
                    .iter()
                    .all(|e| e["status"] == "delivered" || e["status"] == "failed")
        })
        .await;
    let refused = by_preview(&done, "stage");
    assert_eq!(refused["status"], "failed", "{done:#}");
    assert_eq!(
        refused["last_error"],
        "conflict: Northwind expansion's stage in HubSpot is now “contractsent”, not “discovery” as when this change was drafted; nothing was changed"
    );
    assert_eq!(
        stage(store.deal(&org, &deal).await.expect("read")),
        "discovery",
        "CRM-lite untouched"
    );
    assert!(
        hubspot.state().calls("GET /crm/v3/objects/deals/") >= 1,
        "HubSpot was read before any write"
    );
    // Only the next step (already as approved) was written again.
    assert_eq!(hubspot.state().calls("PATCH") - patches_before, 1);
    s.stop().await;
    db.finish().await;
}
