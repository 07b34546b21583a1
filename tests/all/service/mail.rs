//! Connected Gmail mailboxes through a real `baton serve` and the loopback
//! Gmail: a push asks for a sync, the mail loop reads the history (every
//! page) and each new INBOX message becomes one `email_received` job with
//! the message's own fields. An expired access token is refreshed; a 404 on
//! an old history id reads the recent inbox (bounded) and duplicates make
//! no second job; a revoked grant marks the account `reconnect` and queues
//! nothing.

use baton::accounts::Vault;
use baton::store::{Account, Job, NewAccount};
use baton_tests::server::{Server, Setup, env, start};
use baton_tests::{Backend, GooglePeer, PATIENCE, TestDb, backend_test, until};
use serde_json::{Value, json};

const EMAIL: &str = r#"
event = "email_received"
dedupe_key = "message_id"
[[step]]
skill = "scripted"
"#;

const REP: &str = "jordan.avery@acme.example";

fn mail(id: &str, from: &str, subject: &str, body: &str) -> Vec<u8> {
    format!(
        "From: {from}\r\nTo: Jordan Avery <{REP}>\r\nSubject: {subject}\r\nMessage-ID: <{id}>\r\n\
         Date: Mon, 23 Nov 2026 09:12:00 +0000\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n"
    )
    .into_bytes()
}

async fn jobs(s: &Server) -> Vec<Job> {
    let mut jobs = s
        .app
        .store()
        .jobs(&s.org, &baton::store::Reach::Org, 100)
        .await
        .expect("jobs");
    jobs.reverse();
    jobs
}

async fn push(s: &Server, n: u32) -> (u16, Value) {
    use base64::Engine;
    let note = json!({ "emailAddress": REP, "historyId": 1 }).to_string();
    let data = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(note.as_bytes());
    let body = json!({ "message": { "data": data, "messageId": format!("pubsub-{n}") }, "subscription": "s" });
    let r = s
        .http
        .post(s.url("/v1/webhooks/gmail?token=push-secret"))
        .json(&body)
        .send()
        .await
        .expect("push");
    let status = r.status().as_u16();
    (status, r.json().await.expect("json"))
}

/// Connect the rep's Gmail with tokens the loopback Google issued.
async fn connect(s: &Server, google: &GooglePeer) -> Account {
    connect_with(s, google, baton::accounts::google::GMAIL_READ).await
}

/// Connect the rep's Google account with `scopes` granted.
pub(crate) async fn connect_with(s: &Server, google: &GooglePeer, scopes: &str) -> Account {
    let (access, refresh) = {
        let mut g = google.state();
        (g.issue_access(REP), g.issue_refresh(REP))
    };
    let accounts = &s.app.accounts;
    s.app
        .store()
        .connect_account(
            &NewAccount {
                org_id: &s.org,
                user_id: Some(&s.user),
                provider: "google",
                address: REP,
                scopes,
                settings: &json!({}),
                token_expires_at: Some(i64::MAX / 2),
            },
            |id| {
                accounts
                    .seal(
                        id,
                        &json!({ "access_token": access, "refresh_token": refresh }),
                    )
                    .expect("seal")
            },
            0,
        )
        .await
        .expect("connect")
        .expect("the address is no other rep's")
}

/// `baton serve` on `backend` with the one-step `EMAIL` sequence, reading
/// Google at `google`, with `vars` beside a fresh secret key.
async fn serve(backend: Backend, google: &GooglePeer, vars: &[(&str, &str)]) -> (TestDb, Server) {
    let db = TestDb::new(backend).await;
    let key = Vault::new_key();
    let mut environment = google.env();
    environment.extend(env(&[("BATON_SECRET_KEY", key.as_str())]));
    environment.extend(env(vars));
    let s = start(
        db.store.clone(),
        Setup {
            sequences: &[EMAIL],
            env: environment,
            ..Setup::default()
        },
    )
    .await;
    (db, s)
}

async fn cursor(s: &Server, account: &Account) -> Option<Value> {
    s.app
        .store()
        .sync_cursor(&s.org, &account.id, "gmail")
        .await
        .expect("cursor")
}

backend_test!(
    gmail_push_reads_new_inbox_mail_into_email_received_jobs,
    |backend| async move {
        let google = GooglePeer::start();
        let (db, s) = serve(
            backend,
            &google,
            &[
                ("BATON_GMAIL_PUSH_TOKEN", "push-secret"),
                // Pushes drive this test; the poll is the safety net, not tested here.
                ("BATON_MAIL_POLL_MS", "3600000"),
                ("BATON_GMAIL_PUBSUB_TOPIC", "projects/acme/topics/gmail"),
            ],
        )
        .await;

        // Nobody's mailbox yet: acknowledged, nothing read.
        let (status, body) = push(&s, 0).await;
        assert_eq!(
            (status, body["reason"].as_str()),
            (200, Some("unknown_mailbox"))
        );

        let account = connect(&s, &google).await;

        // Old mail, then the first sync: it starts from now, no flood.
        google.state().deliver(
            REP,
            &mail("old-1@x.example", "a@x.example", "old", "old news"),
            &["INBOX"],
        );
        let (status, body) = push(&s, 1).await;
        assert_eq!(
            (status, body["outcome"].as_str()),
            (202, Some("sync_requested"))
        );
        until("the first sync stores a history id", PATIENCE, async || {
            cursor(&s, &account).await.is_some()
        })
        .await;
        assert!(jobs(&s).await.is_empty(), "old mail is not replayed");
        assert_eq!(
            google.state().mailbox(REP).watches,
            vec!["projects/acme/topics/gmail"],
            "the mailbox is watched into the topic"
        );

        // New mail: a reply, the rep's own sent message, and a second page.
        {
            let mut g = google.state();
            g.mailbox(REP).page_size = 1;
            g.deliver(
            REP,
            &mail(
                "CAF3k2@mail.harbourfreight.example",
                "Aisha Bello <aisha.bello@harbourfreight.example>",
                "Re: pricing",
                "Could you send the security questionnaire before Thursday?\r\n\r\nOn Sun, Jordan wrote:\r\n> Here is the pricing.",
            ),
            &["INBOX", "UNREAD", "CATEGORY_PERSONAL"],
        );
            g.deliver(
                REP,
                &mail("sent-1@acme.example", REP, "Re: pricing", "Sure."),
                &["SENT"],
            );
            g.deliver(
                REP,
                &mail(
                    "second@harbour.example",
                    "kit@harbour.example",
                    "Seats",
                    "Can we add two seats?",
                ),
                &["INBOX"],
            );
        }
        push(&s, 2).await;
        until("two jobs", PATIENCE, async || jobs(&s).await.len() == 2).await;
        let all = jobs(&s).await;
        let by_id = |id: &str| {
            all.iter()
                .find(|j| j.payload["message_id"] == id)
                .unwrap_or_else(|| panic!("a job for {id}"))
        };
        let first = by_id("<CAF3k2@mail.harbourfreight.example>");
        let p = &first.payload;
        assert_eq!(
            p["from"],
            "Aisha Bello <aisha.bello@harbourfreight.example>"
        );
        assert_eq!(p["subject"], "Re: pricing");
        assert_eq!(p["message_id"], "<CAF3k2@mail.harbourfreight.example>");
        assert!(
            p["thread_id"]
                .as_str()
                .is_some_and(|t| t.starts_with("thr-")),
            "{p}"
        );
        assert_eq!(
            p["newest"],
            "Could you send the security questionnaire before Thursday?"
        );
        assert!(
            p["body"]
                .as_str()
                .unwrap_or_default()
                .contains("> Here is the pricing.")
        );
        assert_eq!(p["provider"], "gmail");
        assert_eq!(first.event_source, "mail:gmail");
        by_id("<second@harbour.example>");
        let paged = google
            .state()
            .api_requests
            .iter()
            .any(|r| r.contains("/history?") && r.contains("pageToken="));
        assert!(paged, "the second history page was read");

        // An expired access token: refreshed once, and the sync goes on.
        {
            let mut g = google.state();
            g.expire_access_tokens();
            g.deliver(
                REP,
                &mail(
                    "third@harbour.example",
                    "kit@harbour.example",
                    "Demo",
                    "Tuesday?",
                ),
                &["INBOX"],
            );
        }
        push(&s, 3).await;
        until("a third job", PATIENCE, async || jobs(&s).await.len() == 3).await;
        assert!(
            google
                .state()
                .token_requests
                .iter()
                .any(|g| g == "refresh_token")
        );

        // Gmail forgot the history: a bounded full sync of the recent inbox.
        // What was queued already is a duplicate; the old mail now counts.
        google.state().forget_history(REP);
        push(&s, 4).await;
        until(
            "the old message is read by the full sync",
            PATIENCE,
            async || jobs(&s).await.len() == 4,
        )
        .await;
        // The same push again: nothing new.
        push(&s, 5).await;
        until("the repeated push is served", PATIENCE, async || {
            s.app
                .store()
                .account(&s.org, &account.id)
                .await
                .expect("account")
                .expect("there")
                .sync_requested_at
                .is_none()
        })
        .await;
        let ids: Vec<Value> = jobs(&s)
            .await
            .iter()
            .map(|j| j.payload["message_id"].clone())
            .collect();
        let mut unique = ids.clone();
        unique.sort_by_key(|v| v.to_string());
        unique.dedup();
        assert_eq!(ids.len(), unique.len(), "one job per message: {ids:?}");
        assert_eq!(ids.len(), 4);

        // Revoked: the account is marked, nothing is queued, pushes are ignored.
        {
            let mut g = google.state();
            g.revoke(REP);
            g.deliver(
                REP,
                &mail(
                    "fourth@harbour.example",
                    "kit@harbour.example",
                    "Hi",
                    "Hello",
                ),
                &["INBOX"],
            );
        }
        push(&s, 6).await;
        until("the account needs reconnecting", PATIENCE, async || {
            s.app
                .store()
                .account(&s.org, &account.id)
                .await
                .expect("account")
                .expect("there")
                .status
                == "reconnect"
        })
        .await;
        assert_eq!(jobs(&s).await.len(), 4);
        let (status, body) = push(&s, 7).await;
        assert_eq!(
            (status, body["reason"].as_str()),
            (200, Some("needs_reconnect"))
        );

        s.stop().await;
        db.finish().await;
    }
);

backend_test!(a_mailbox_without_pushes_is_polled, |backend| async move {
    let google = GooglePeer::start();
    let (db, s) = serve(backend, &google, &[("BATON_MAIL_POLL_MS", "100")]).await;
    let account = connect(&s, &google).await;
    until("the first poll stores a history id", PATIENCE, async || {
        cursor(&s, &account).await.is_some()
    })
    .await;
    let raw = mail(
        "polled@harbour.example",
        "kit@harbour.example",
        "Seats",
        "Two more?",
    );
    google.state().deliver(REP, &raw, &["INBOX"]);
    until("the poll queues it", PATIENCE, async || {
        jobs(&s).await.len() == 1
    })
    .await;
    // The same message again (a copy filed twice): still one job.
    google.state().deliver(REP, &raw, &["INBOX"]);
    let seen = google.state().api_requests.len();
    until("two more polls", PATIENCE, async || {
        google
            .state()
            .api_requests
            .iter()
            .skip(seen)
            .filter(|r| r.contains("/history?"))
            .count()
            >= 2
    })
    .await;
    let all = jobs(&s).await;
    assert_eq!(all.len(), 1, "one job per Message-ID");
    assert_eq!(all[0].payload["message_id"], "<polled@harbour.example>");
    assert!(
        google.state().mailbox(REP).watches.is_empty(),
        "no topic, no watch"
    );
    s.stop().await;
    db.finish().await;
});

backend_test!(
    a_calendar_only_grant_is_not_read_as_a_mailbox,
    |backend| async move {
        let google = GooglePeer::start();
        let (db, s) = serve(
            backend,
            &google,
            &[
                ("BATON_MAIL_POLL_MS", "100"),
                ("BATON_CALENDAR_POLL_MS", "100"),
            ],
        )
        .await;
        connect_with(&s, &google, baton::accounts::google::CALENDAR).await;
        // Two calendar reads: the mail loop has polled as often meanwhile.
        until(
            "the calendar loop reads the calendar twice",
            PATIENCE,
            async || {
                google
                    .state()
                    .api_requests
                    .iter()
                    .filter(|r| r.starts_with("GET /calendar/"))
                    .count()
                    >= 2
            },
        )
        .await;
        let gmail: Vec<String> = google
            .state()
            .api_requests
            .iter()
            .filter(|r| r.contains("/gmail/"))
            .cloned()
            .collect();
        assert!(gmail.is_empty(), "no mailbox was granted: {gmail:?}");
        s.stop().await;
        db.finish().await;
    }
);

backend_test!(
    an_imap_mailbox_is_read_by_idle_on_a_real_dovecot,
    |backend| async move {
        let dovecot = baton_tests::dovecot::Dovecot::start(REP, "imap-secret");
        let db = TestDb::new(backend).await;
        let key = Vault::new_key();
        let s = start(
            db.store.clone(),
            Setup {
                sequences: &[EMAIL],
                env: env(&[
                    ("BATON_SECRET_KEY", key.as_str()),
                    // An hour: what arrives is read because IDLE announced it.
                    ("BATON_MAIL_POLL_MS", "3600000"),
                ]),
                ..Setup::default()
            },
        )
        .await;
        // Mail from before the account was connected is not replayed.
        dovecot.deliver(
            REP,
            &mail("before@x.example", "a@x.example", "old", "old news"),
        );
        let account = connect_imap(&s, REP, dovecot.port, "imap-secret").await;
        let feed = "imap:INBOX";
        until(
            "the first IMAP sync stores the UIDs",
            PATIENCE,
            async || {
                s.app
                    .store()
                    .sync_cursor(&s.org, &account.id, feed)
                    .await
                    .expect("cursor")
                    .is_some()
            },
        )
        .await;
        assert!(
            jobs(&s).await.is_empty(),
            "old mail is not replayed: {}",
            dovecot.log()
        );
        dovecot.deliver(
            REP,
            &mail(
                "imap-1@harbour.example",
                "Kit Ames <kit@harbour.example>",
                "Seats",
                "Can we add two seats?",
            ),
        );
        until("the first message is queued", PATIENCE, async || {
            jobs(&s).await.len() == 1
        })
        .await;
        dovecot.deliver(
            REP,
            &mail(
                "imap-2@harbour.example",
                "kit@harbour.example",
                "Demo",
                "Tuesday?",
            ),
        );
        until("the second, announced by IDLE", PATIENCE, async || {
            jobs(&s).await.len() == 2
        })
        .await;
        let all = jobs(&s).await;
        let first = all
            .iter()
            .find(|j| j.payload["message_id"] == "<imap-1@harbour.example>")
            .expect("the first");
        assert_eq!(first.payload["from"], "Kit Ames <kit@harbour.example>");
        assert_eq!(first.payload["provider"], "imap");
        assert_eq!(first.payload["newest"], "Can we add two seats?");
        assert_eq!(first.event_source, "mail:imap");
        let cursor = s
            .app
            .store()
            .sync_cursor(&s.org, &account.id, feed)
            .await
            .expect("cursor")
            .expect("there");
        assert_eq!(cursor["last_uid"], 3, "{cursor}");

        // A password the server refuses marks the mailbox for reconnecting
        // (the inbox says so) instead of being tried again every poll.
        let refused = connect_imap(&s, "second@acme.test", dovecot.port, "not-the-password").await;
        until(
            "the refused mailbox asks to be reconnected",
            PATIENCE,
            async || {
                s.app
                    .store()
                    .account(&s.org, &refused.id)
                    .await
                    .expect("read")
                    .is_some_and(|a| a.status == "reconnect")
            },
        )
        .await;
        s.stop().await;
        db.finish().await;
    }
);

/// Connect the rep's IMAP mailbox `address` on the loopback Dovecot at
/// `port`, logging in as the rep with `password`.
async fn connect_imap(s: &Server, address: &str, port: u16, password: &str) -> Account {
    let accounts = &s.app.accounts;
    s.app
        .store()
        .connect_account(
            &NewAccount {
                org_id: &s.org,
                user_id: Some(&s.user),
                provider: "imap",
                address,
                scopes: "",
                settings: &json!({ "host": "127.0.0.1", "port": port, "tls": "none",
                    "username": REP, "folder": "INBOX" }),
                token_expires_at: None,
            },
            |id| {
                accounts
                    .seal(id, &json!({ "password": password }))
                    .expect("seal")
            },
            0,
        )
        .await
        .expect("connect")
        .expect("the address is no other rep's")
}
