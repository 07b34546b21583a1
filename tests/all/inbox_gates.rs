//! Each gate in its natural form, through a real `baton serve` and plain
//! HTTP (no script, as a browser without JavaScript posts): an email shown
//! as the email that goes out (From, To, Cc, Subject, the signature), an
//! edit previewed and then approved; the undo window after an approval,
//! Undo, and "Sent" once delivered; a CRM update as field / before / after;
//! a batch ticked all or none; a choice of times in both zones; the job's
//! history as a timeline in order. No rep-facing page shows a kind name,
//! step name or id outside the collapsed operator details.

use baton::store::CrmTables;
use baton::store::{
    DealChange, EffectStatus, GateId, GateStatus, JobId, NewDeal, Preferences, Store,
};
use baton_tests::server::{Server, Setup, env, start};
use baton_tests::{Backend, PATIENCE, SmtpSink, TestDb, backend_test, poll, root, until};
use serde_json::json;

/// The follow-up email, drafted at a step with a name a rep never sees.
const EMAIL: &str = r#"
event = "meeting_ended"
dedupe_key = "meeting_id"

[[step]]
name = "compose-the-followup"
skill = "scripted"
params = { actions = [{ kind = "email_send", preview = "Follow-up to Marta", payload = { to = "Marta Ruiz <marta.ruiz@northwind.example>", cc = "ops@northwind.example", subject = "Next steps", body = "Hi Marta,\n\nThanks for today." } }] }
"#;

/// CRM changes, a batch of tasks, then a follow-up job.
const REVIEW: &str = r#"
event = "meeting_ended"
dedupe_key = "meeting_id"

[[step]]
name = "update-the-crm"
skill = "scripted"
approval = "confirm"
params = { actions = [
  { kind = "crm_update", preview = "Northwind renewals rollout: next step", payload = { deal_name = "Northwind renewals rollout", field = "next_step", value = "Send the security pack", previous = "Book the discovery call", evidence = "Can you send the security pack?" } },
  { kind = "crm_update", preview = "Northwind renewals rollout: close date", payload = { deal_name = "Northwind renewals rollout", field = "close_date", value = "2026-12-15" } },
] }

[[step]]
name = "make-the-tasks"
skill = "scripted"
approval = "batch"
params = { actions = [
  { kind = "task_create", preview = "Send Marta the security pack", payload = { title = "Send Marta the security pack" } },
  { kind = "task_create", preview = "Loop in legal", payload = { title = "Loop in legal" } },
  { kind = "task_create", preview = "Book the demo", payload = { title = "Book the demo" } },
] }

[[step]]
name = "queue-the-content"
skill = "scripted"
params = { follow_ups = [{ type = "content_retrieval", payload = { title = "Security pack for Northwind" } }] }
"#;

const CONTENT: &str = r#"
event = "content_retrieval"

[[step]]
name = "find-the-pack"
skill = "scripted"
"#;

/// Step names used here: none may show outside the operator details.
const STEPS: [&str; 5] = [
    "compose-the-followup",
    "update-the-crm",
    "make-the-tasks",
    "queue-the-content",
    "find-the-pack",
];

const KINDS: [&str; 6] = [
    "email_send",
    "crm_update",
    "task_create",
    "slack_post",
    "calendar_invite",
    "proposal_send",
];

/// The text a person sees: the page without its operator details,
/// scripts, styles, tags and attributes.
fn visible(html: &str) -> String {
    let mut text = html.to_owned();
    for (open, close) in [
        ("<details class=\"operator\">", "</details>"),
        ("<script>", "</script>"),
        ("<style>", "</style>"),
    ] {
        while let Some(a) = text.find(open) {
            let Some(b) = text[a..].find(close) else {
                break;
            };
            text.replace_range(a..a + b + close.len(), " ");
        }
    }
    let mut out = String::new();
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// Whether `text` holds a UUID (8-4-4-4-12 hex digits).
fn has_uuid(text: &str) -> bool {
    let b = text.as_bytes();
    (0..b.len().saturating_sub(35)).any(|i| {
        b[i..i + 36].iter().enumerate().all(|(j, c)| match j {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
    })
}

/// No kind name, step name or UUID in what a rep sees on `html`.
fn rep_facing(what: &str, html: &str) {
    let text = visible(html);
    for word in KINDS.iter().chain(STEPS.iter()) {
        assert!(!text.contains(word), "{what} shows `{word}`:\n{text}");
    }
    assert!(!has_uuid(&text), "{what} shows an id:\n{text}");
}

async fn get(s: &Server, cookie: &str, path: &str) -> (u16, String) {
    let r = s
        .http
        .get(s.url(path))
        .header("cookie", cookie)
        .send()
        .await
        .expect("GET");
    (r.status().as_u16(), r.text().await.expect("html"))
}

/// Post a form as a browser without script does; the status, the page
/// (when not redirected) and where a redirect leads.
async fn post(
    s: &Server,
    cookie: &str,
    path: &str,
    form: &[(&str, &str)],
) -> (u16, String, String) {
    let r = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
        .post(s.url(path))
        .header("cookie", cookie)
        .form(form)
        .send()
        .await
        .expect("POST");
    let status = r.status().as_u16();
    let location = r
        .headers()
        .get("location")
        .and_then(|l| l.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    (status, r.text().await.unwrap_or_default(), location)
}

/// Poll `path` until its page contains `needle`.
async fn page_with(s: &Server, cookie: &str, path: &str, needle: &str) -> String {
    let found = poll(PATIENCE, async || {
        let (_, html) = get(s, cookie, path).await;
        html.contains(needle).then_some(html)
    })
    .await;
    match found {
        Some(html) => html,
        None => panic!(
            "{path} never showed {needle:?}:\n{}",
            get(s, cookie, path).await.1
        ),
    }
}

async fn set_rep(store: &Store, s: &Server) {
    let prefs = Preferences {
        timezone: "America/New_York".into(),
        email_signature: Some("Jordan Avery\nAccount Executive, Acme".into()),
        ..Preferences::default()
    };
    store
        .set_preferences(&s.org, &s.user, &prefs)
        .await
        .expect("prefs");
}

/// A meeting ends; its job's id and its open gate's id.
async fn meeting(s: &Server, id: &str) -> (String, String) {
    let (status, accepted) = s
        .post(
            "/v1/events",
            json!({ "type": "meeting_ended", "user": "rep1",
                    "payload": { "meeting_id": id, "title": "Northwind discovery call" } }),
        )
        .await;
    assert_eq!(status, 202, "{accepted}");
    let job = accepted["job_id"].as_str().expect("job").to_owned();
    let gate = s.open_gate(&job).await;
    (job, gate["id"].as_str().expect("gate id").to_owned())
}

backend_test!(
    an_email_gate_reads_as_the_email_and_can_be_undone,
    an_email_gate_reads_as_the_email_and_can_be_undone_body
);

async fn an_email_gate_reads_as_the_email_and_can_be_undone_body(backend: Backend) {
    let db = TestDb::new(backend).await;
    let smtp = SmtpSink::start();
    let mut setup = Setup {
        sequences: &[EMAIL],
        env: env(&[("BATON_SMTP_URL", &format!("smtp://127.0.0.1:{}", smtp.port))]),
        ..Setup::default()
    };
    setup.config.runner.undo_window_ms = 30_000;
    let s = start(db.store.clone(), setup).await;
    set_rep(&db.store, &s).await;
    let cookie = s.inbox_login(&s.token).await;

    // The email as it will go out: from the rep, to Marta, cc ops, with
    // the signature; part of the meeting's follow-up; expiry in New York.
    let (job, gate) = meeting(&s, "m1").await;
    let path = format!("/inbox/approvals/{gate}");
    let (status, html) = get(&s, &cookie, &path).await;
    assert_eq!(status, 200);
    for shown in [
        "<h1 id=\"title\">Follow-up email to Marta Ruiz</h1>",
        "Jordan Avery &lt;jordan.avery@acme.example&gt;",
        "Marta Ruiz &lt;marta.ruiz@northwind.example&gt;",
        "ops@northwind.example",
        ">Next steps</dd>",
        "Thanks for today.\n\n-- \nJordan Avery\nAccount Executive, Acme\n</pre>",
        "Meeting follow-up — Northwind discovery call",
        &format!("href=\"/inbox/jobs/{job}\""),
        "summary class=\"button\">Not right</summary>",
    ] {
        assert!(html.contains(shown), "the gate shows {shown:?}:\n{html}");
    }
    // 2026-11-23 15:00 UTC is 10:00 in New York; the gate expires a day on.
    assert!(html.contains("expires in 24 h (tomorrow 10:00)"), "{html}");
    rep_facing("the email gate", &html);

    // Preview an edit without script: the page again, the edit shown as it
    // would go out and still in the form; nothing decided.
    let edit = [
        ("decision", "edit"),
        ("subject", "Next steps, as promised"),
        ("body", "Hi Marta,\r\n\r\nHere is the pricing we discussed."),
    ];
    let mut previewed = edit.to_vec();
    previewed.push(("preview", "1"));
    let (status, html, _) = post(&s, &cookie, &path, &previewed).await;
    assert_eq!(status, 200, "{html}");
    for shown in [
        "Preview of your edit",
        ">Next steps, as promised</dd>",
        "Here is the pricing we discussed.\n\n-- \nJordan Avery",
        "value=\"Next steps, as promised\"",
        "<details id=\"edit\" open>",
    ] {
        assert!(html.contains(shown), "the preview shows {shown:?}:\n{html}");
    }
    let open = s
        .app
        .store()
        .pending_action(&s.org, &GateId::from(gate.as_str()))
        .await
        .expect("gate")
        .expect("there");
    assert_eq!(open.status, GateStatus::Open, "a preview decides nothing");

    // Approve the edit: the rep lands back on the gate, which counts down
    // the undo window (the clock stands at 10:00, so 0:30 to 10:00).
    let (status, _, location) = post(&s, &cookie, &path, &edit).await;
    assert_eq!((status, location.as_str()), (303, path.as_str()));
    let html = page_with(&s, &cookie, &path, "Sending in").await;
    assert!(
        html.contains("Sending in <span class=\"countdown\""),
        "{html}"
    );
    assert!(html.contains(">0:30</span> (at today 10:00)"), "{html}");
    assert!(
        html.contains("Approved with edits</strong> by tests (org token) in the inbox"),
        "{html}"
    );
    rep_facing("the landing page", &html);
    let effects = s
        .app
        .store()
        .effects(&s.org, Some(&JobId::from(job.as_str())), 10)
        .await
        .expect("effects");
    let effect = effects[0].id.to_string();
    assert!(
        html.contains(&format!("action=\"/inbox/effects/{effect}/cancel\"")),
        "{html}"
    );

    // Undo: back on the gate, the email undone, never sent.
    let (status, _, location) = post(
        &s,
        &cookie,
        &format!("/inbox/effects/{effect}/cancel"),
        &[("back", &path)],
    )
    .await;
    assert_eq!((status, location.as_str()), (303, path.as_str()));
    let effects = s
        .app
        .store()
        .effects(&s.org, Some(&JobId::from(job.as_str())), 10)
        .await
        .expect("effects");
    assert_eq!(effects[0].status, EffectStatus::Cancelled);
    let (_, html) = get(&s, &cookie, &path).await;
    assert!(html.contains("Undone: not sent"), "{html}");

    // Another approved as it is: once the window passes it is sent, and
    // the gate says when.
    let (_, gate) = meeting(&s, "m2").await;
    let path = format!("/inbox/approvals/{gate}");
    let (status, _, _) = post(&s, &cookie, &path, &[("decision", "approve")]).await;
    assert_eq!(status, 303);
    page_with(&s, &cookie, &path, "Sending in").await;
    s.clock.advance(31_000);
    until("the email reaches SMTP", PATIENCE, async || {
        !smtp.messages().is_empty()
    })
    .await;
    let html = page_with(&s, &cookie, &path, "Sent today 10:00").await;
    rep_facing("the sent gate", &html);
    let mail = smtp.messages();
    assert_eq!(mail.len(), 1, "only the one not undone went out");
    let data = mail[0]["data"].as_str().expect("data");
    assert!(data.contains("Account Executive, Acme"), "{data}");
    s.stop().await;
    db.finish().await;
}

backend_test!(
    crm_and_batch_gates_then_the_timeline,
    crm_and_batch_gates_then_the_timeline_body
);

async fn crm_and_batch_gates_then_the_timeline_body(backend: Backend) {
    let db = TestDb::new(backend).await;
    let s = start(
        db.store.clone(),
        Setup {
            sequences: &[REVIEW, CONTENT],
            ..Setup::default()
        },
    )
    .await;
    set_rep(&db.store, &s).await;
    let deal = db
        .store
        .insert_deal(
            &s.org,
            &NewDeal {
                name: "Northwind renewals rollout",
                stage: "discovery",
                currency: "USD",
                close_date: Some("2026-12-31"),
                ..NewDeal::default()
            },
            0,
        )
        .await
        .expect("deal");
    db.store
        .update_deal(
            &s.org,
            &deal,
            &DealChange::NextStep("Book the discovery call".into()),
            0,
        )
        .await
        .expect("next step");
    let cookie = s.inbox_login(&s.token).await;

    // The CRM gate: field, before (the payload's `previous`, else what
    // CRM-lite holds), after.
    let (job, gate) = meeting(&s, "m1").await;
    let path = format!("/inbox/approvals/{gate}");
    let (_, html) = get(&s, &cookie, &path).await;
    for row in [
        "<th scope=\"row\">Next step</th><td class=\"before\">Book the discovery call</td><td class=\"after\"><strong>Send the security pack</strong></td>",
        "<th scope=\"row\">Close date</th><td class=\"before\">2026-12-31</td><td class=\"after\"><strong>2026-12-15</strong></td>",
        "Northwind renewals rollout",
        "Can you send the security pack?",
    ] {
        assert!(html.contains(row), "the CRM gate shows {row:?}:\n{html}");
    }
    rep_facing("the CRM gate", &html);
    s.clock.advance(60_000);
    let (status, _, _) = post(&s, &cookie, &path, &[("decision", "approve")]).await;
    assert_eq!(status, 303);

    // The batch: all ticked; "Select none" and "Select all" redraw it so
    // without script; then two of three approved.
    let gate = poll(PATIENCE, async || {
        let (_, gates) = s.get("/v1/approvals").await;
        gates
            .as_array()?
            .iter()
            .find(|g| g["job_id"] == job.as_str() && g["pattern"] == "batch")
            .and_then(|g| g["id"].as_str().map(str::to_owned))
    })
    .await
    .expect("the batch gate");
    let path = format!("/inbox/approvals/{gate}");
    let ticked = |html: &str| {
        (0..3)
            .filter(|i| html.contains(&format!("name=\"item\" value=\"{i}\" checked")))
            .count()
    };
    let (_, html) = get(&s, &cookie, &path).await;
    assert_eq!(html.matches("name=\"item\"").count(), 3, "{html}");
    assert_eq!(ticked(&html), 3, "all ticked at first: {html}");
    assert!(
        html.contains("Select all") && html.contains("Select none"),
        "{html}"
    );
    rep_facing("the batch gate", &html);
    let all = [
        ("decision", "items"),
        ("item", "0"),
        ("item", "1"),
        ("item", "2"),
    ];
    let mut none = all.to_vec();
    none.push(("select", "none"));
    let (status, html, _) = post(&s, &cookie, &path, &none).await;
    assert_eq!(status, 200);
    assert_eq!(ticked(&html), 0, "none ticked: {html}");
    let (status, html, _) = post(
        &s,
        &cookie,
        &path,
        &[("decision", "items"), ("select", "all")],
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(ticked(&html), 3, "all ticked: {html}");
    s.clock.advance(60_000);
    let (status, _, _) = post(
        &s,
        &cookie,
        &path,
        &[("decision", "items"), ("item", "0"), ("item", "2")],
    )
    .await;
    assert_eq!(status, 303);
    let done = s.wait_job(&job, |j| j["status"] == "completed").await;
    let child = done["children"][0]
        .as_str()
        .expect("a follow-up")
        .to_owned();

    // The timeline: started, each step, each decision with who, the
    // effects, the follow-up by its title, finished; in that order.
    let html = page_with(&s, &cookie, &format!("/inbox/jobs/{job}"), "Saved today").await;
    rep_facing("the job timeline", &html);
    let order = [
        "Started: The meeting “Northwind discovery call” ended",
        "Step 1 ",
        "Approved</strong> by <span class=\"who\">tests (org token) in the inbox</span>",
        "Step 2 ",
        "Approved 2 of 3</strong> by <span class=\"who\">tests (org token) in the inbox</span>",
        "Step 3 ",
        &format!("href=\"/inbox/jobs/{child}\">Content to share — Security pack for Northwind</a>"),
        "Finished: completed",
    ];
    let mut at = 0;
    for needle in order {
        let Some(i) = html[at..].find(needle) else {
            panic!("the timeline shows {needle:?} after what came before:\n{html}");
        };
        at += i + needle.len();
    }
    let timeline = &html[html.find("id=\"timeline\"").expect("a timeline")..];
    assert!(
        timeline.contains("· version <span class=\"version\">0.1.0</span>"),
        "{timeline}"
    );
    assert!(timeline.contains(" fuel · "), "{timeline}");
    for effect in [
        "Send Marta the security pack</span> — ",
        "Book the demo</span> — ",
        "Northwind renewals rollout: next step</span> — ",
    ] {
        assert!(
            timeline.contains(effect),
            "the effect {effect:?}: {timeline}"
        );
    }
    assert!(
        !timeline.contains("Loop in legal</span>"),
        "the unticked task made no effect"
    );
    assert!(timeline.contains("Saved today"), "{timeline}");
    // The child links back.
    let (_, html) = get(&s, &cookie, &format!("/inbox/jobs/{child}")).await;
    assert!(
        html.contains(&format!("queued by <a href=\"/inbox/jobs/{job}\">")),
        "{html}"
    );
    rep_facing("the follow-up's timeline", &html);
    s.stop().await;
    db.finish().await;
}

backend_test!(
    a_choice_of_times_shows_both_zones,
    a_choice_of_times_shows_both_zones_body
);

async fn a_choice_of_times_shows_both_zones_body(backend: Backend) {
    let db = TestDb::new(backend).await;
    let calendar = std::fs::read_to_string(root().join("sequences/calendar_find_times.toml"))
        .expect("the shipped sequence");
    let s = start(
        db.store.clone(),
        Setup {
            sequences: &[&calendar],
            skills: &[
                "parse-scheduling-request",
                "find-available-slots",
                "present-time-options",
            ],
            ..Setup::default()
        },
    )
    .await;
    set_rep(&db.store, &s).await;
    let (status, accepted) = s
        .post(
            "/v1/events",
            json!({ "type": "calendar_find_times", "user": "rep1", "payload": {
                "request": "Could we find 30 minutes next week? Afternoons London time work best.",
                "contact_email": "marta.ruiz@northwind.example", "duration_minutes": 30 } }),
        )
        .await;
    assert_eq!(status, 202, "{accepted}");
    let job = accepted["job_id"].as_str().expect("job");
    let gate = s.open_gate(job).await;
    let cookie = s.inbox_login(&s.token).await;
    let (_, html) = get(
        &s,
        &cookie,
        &format!("/inbox/approvals/{}", gate["id"].as_str().expect("id")),
    )
    .await;
    let rows: Vec<&str> = html
        .split("<tr class=\"option\">")
        .skip(1)
        .filter(|r| r.contains("class=\"rep-time\""))
        .collect();
    assert!(rows.len() >= 3, "three times or more: {html}");
    for row in &rows {
        let cell = |class: &str| {
            let from = row.find(&format!("<td class=\"{class}\">")).expect(class);
            row[from..]
                .split("</td>")
                .next()
                .unwrap_or_default()
                .to_owned()
        };
        assert!(
            cell("rep-time").contains(" EST"),
            "your time in New York: {row}"
        );
        assert!(
            cell("their-time").contains(" GMT"),
            "their time in London: {row}"
        );
    }
    rep_facing("the choice gate", &html);
    s.stop().await;
    db.finish().await;
}

#[test]
fn the_visible_text_leaves_out_markup_and_operator_details() {
    let html = "<p title=\"email_send\">Hi <b>there</b></p><details class=\"operator\"><summary>x</summary>crm_update</details><script>var a='<b>';</script>";
    let text = visible(html);
    assert!(text.contains("Hi") && text.contains("there"));
    assert!(!text.contains("email_send") && !text.contains("crm_update") && !text.contains("var"));
    assert!(has_uuid("job 0192f3a4-5b6c-7d8e-9f01-23456789abcd here"));
    assert!(!has_uuid("2026-11-23 15:00"));
}
