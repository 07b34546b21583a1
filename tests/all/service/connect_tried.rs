//! Credentials tried when they are connected, through `baton serve`'s
//! accounts route: an IMAP login on a real Dovecot over TLS, STARTTLS and
//! plain IMAP (its certificate signed by a test CA the service trusts
//! through `BATON_ACCOUNTS_CA`), a CalDAV `PROPFIND` on a real Radicale. A
//! refused password or URL is a 422 naming the field, a server that
//! cannot be reached a 502, and neither stores anything. Each stored
//! mailbox is then read; a UIDVALIDITY change re-reads the folder without
//! queueing old mail again.

use baton::accounts::Vault;
use baton_tests::Radicale;
use baton_tests::dovecot::Dovecot;
use baton_tests::server::{Server, Setup, env, start};
use baton_tests::{PATIENCE, TestDb, backend_test, free_port, stays, until};
use serde_json::{Value, json};
use std::time::Duration;

const EMAIL: &str =
    "event = \"email_received\"\ndedupe_key = \"message_id\"\n[[step]]\nskill = \"scripted\"\n";

const LOGIN: &str = "jordan.avery@acme.example";

fn mail(id: &str) -> Vec<u8> {
    format!(
        "From: Kit Ames <kit@harbour.example>\r\nTo: {LOGIN}\r\nSubject: Seats\r\nMessage-ID: <{id}>\r\n\
         Date: Mon, 23 Nov 2026 09:12:00 +0000\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nCan we add two seats?\r\n"
    )
    .into_bytes()
}

fn imap(address: &str, port: u16, tls: &str, password: &str) -> Value {
    json!({ "provider": "imap", "address": address, "host": "127.0.0.1", "port": port,
            "tls": tls, "username": LOGIN, "password": password })
}

async fn email_jobs(s: &Server) -> usize {
    s.app
        .store()
        .jobs(&s.org, &baton::store::Reach::Org, 100)
        .await
        .expect("jobs")
        .len()
}

/// The addresses of rep1's connected accounts.
async fn connected(s: &Server) -> Vec<String> {
    let (_, listed) = s.get("/v1/users/rep1/accounts").await;
    let mut out: Vec<String> = listed
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|a| a["address"].as_str().map(str::to_owned))
        .collect();
    out.sort();
    out
}

backend_test!(
    imap_and_caldav_credentials_are_tried_on_connect,
    |backend| async move {
        let dovecot = Dovecot::start(LOGIN, "imap-secret");
        let radicale = Radicale::start("jordan", "cal-secret").await;
        radicale.mkcalendar("/jordan/work/").await;
        let db = TestDb::new(backend).await;
        let key = Vault::new_key();
        let ca = dovecot.ca().display().to_string();
        let s = start(
            db.store.clone(),
            Setup {
                sequences: &[EMAIL],
                env: env(&[
                    ("BATON_SECRET_KEY", key.as_str()),
                    ("BATON_ACCOUNTS_CA", ca.as_str()),
                    ("BATON_MAIL_POLL_MS", "1000"),
                ]),
                ..Setup::default()
            },
        )
        .await;

        // TLS, STARTTLS and plain IMAP: each logs in, and is stored.
        let modes = [
            ("tls@acme.example", dovecot.tls_port, "tls"),
            ("starttls@acme.example", dovecot.port, "starttls"),
            ("plain@acme.example", dovecot.port, "none"),
        ];
        for (address, port, tls) in modes {
            let (status, body) = s
                .post(
                    "/v1/users/rep1/accounts",
                    imap(address, port, tls, "imap-secret"),
                )
                .await;
            assert_eq!(status, 201, "{tls}: {body}\n{}", dovecot.log());
        }
        // A password the server refuses: 422 naming it.
        let (status, problem) = s
            .post(
                "/v1/users/rep1/accounts",
                imap(
                    "wrong@acme.example",
                    dovecot.tls_port,
                    "tls",
                    "not-the-password",
                ),
            )
            .await;
        assert_eq!(status, 422, "{problem}");
        assert_eq!(problem["field"], "password", "{problem}");
        assert!(
            problem["detail"]
                .as_str()
                .is_some_and(|d| d.contains("refused the username and password")),
            "{problem}"
        );
        // Nothing listens there: 502, naming the server.
        let gone = free_port();
        let (status, problem) = s
            .post(
                "/v1/users/rep1/accounts",
                imap("gone@acme.example", gone, "tls", "imap-secret"),
            )
            .await;
        assert_eq!(status, 502, "{problem}");
        assert!(
            problem["detail"]
                .as_str()
                .is_some_and(|d| d.contains(&format!("127.0.0.1:{gone}"))),
            "{problem}"
        );

        // CalDAV: the calendar's own URL with the right password is
        // stored; a wrong password, a URL with no calendar, and a server
        // that is not there are not.
        let caldav = |address: &str, url: &str, password: &str| {
            json!({ "provider": "caldav", "address": address, "url": url,
                    "username": "jordan", "password": password })
        };
        let calendar = format!("{}/jordan/work/", radicale.url);
        let (status, body) = s
            .post(
                "/v1/users/rep1/accounts",
                caldav("cal@acme.example", &calendar, "cal-secret"),
            )
            .await;
        assert_eq!(status, 201, "{body}");
        let (status, problem) = s
            .post(
                "/v1/users/rep1/accounts",
                caldav("cal-wrong@acme.example", &calendar, "nope"),
            )
            .await;
        assert_eq!(status, 422, "{problem}");
        assert_eq!(problem["field"], "password", "{problem}");
        let (status, problem) = s
            .post(
                "/v1/users/rep1/accounts",
                caldav(
                    "cal-home@acme.example",
                    &format!("{}/jordan/", radicale.url),
                    "cal-secret",
                ),
            )
            .await;
        assert_eq!(status, 422, "not a calendar: {problem}");
        assert_eq!(problem["field"], "url", "{problem}");
        let (status, problem) = s
            .post(
                "/v1/users/rep1/accounts",
                caldav(
                    "cal-gone@acme.example",
                    &format!("http://127.0.0.1:{}/cal/", free_port()),
                    "cal-secret",
                ),
            )
            .await;
        assert_eq!(status, 502, "{problem}");

        assert_eq!(
            connected(&s).await,
            [
                "cal@acme.example",
                "plain@acme.example",
                "starttls@acme.example",
                "tls@acme.example"
            ],
            "only what was tried and taken is stored"
        );

        // Each mailbox is read (over its own kind of connection): its cursor
        // set; a message in the folder is one job, however many read it.
        let accounts = s
            .app
            .store()
            .accounts(&s.org, None)
            .await
            .expect("accounts");
        until("every mailbox read once", PATIENCE, async || {
            let mut all = true;
            for a in accounts.iter().filter(|a| a.provider == "imap") {
                all &= s
                    .app
                    .store()
                    .sync_cursor(&s.org, &a.id, "imap:INBOX")
                    .await
                    .expect("cursor")
                    .is_some();
            }
            all
        })
        .await;
        dovecot.deliver(LOGIN, &mail("seats-1@harbour.example"));
        until("the message is queued", PATIENCE, async || {
            email_jobs(&s).await == 1
        })
        .await;

        // The server renews the folder's UIDVALIDITY: the mailbox is read
        // again (its newest messages), the old message makes no second job,
        // and what arrives next is read.
        dovecot.renew_uidvalidity(LOGIN, 4242);
        dovecot.deliver(LOGIN, &mail("seats-2@harbour.example"));
        until(
            "the message after the change is queued",
            PATIENCE,
            async || email_jobs(&s).await == 2,
        )
        .await;
        let tls_account = accounts
            .iter()
            .find(|a| a.address == "tls@acme.example")
            .expect("tls");
        until(
            "the cursor follows the new UIDVALIDITY",
            PATIENCE,
            async || {
                s.app
                    .store()
                    .sync_cursor(&s.org, &tls_account.id, "imap:INBOX")
                    .await
                    .expect("cursor")
                    .is_some_and(|c| c["uid_validity"] == 4242)
            },
        )
        .await;
        stays(
            "no message queued twice",
            Duration::from_secs(2),
            async || email_jobs(&s).await == 2,
        )
        .await;
        s.stop().await;
        db.finish().await;
    }
);
