//! Where connected accounts' servers may be (issue 38, 3.3–3.4): an org
//! names an IMAP host or a CalDAV URL, so by default only public addresses
//! are reached — refused at the API with a 422 naming the field, and again
//! on every connect, before anything is sent; a password never goes out in
//! clear except to a host the operator allowed; CalDAV follows no redirect
//! to another port; and a provider's answer is read only up to its cap.

use baton::accounts::{Accounts, Egress};
use baton::report::Report;
use baton::sources::calendar::Calendars;
use baton::sources::mail::imap;
use baton::store::{Account, NewAccount};
use baton_tests::server::{Server, Setup, env, start};
use baton_tests::{Answer, Backend, HttpPeer, TestDb, backend_test};
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Duration;

/// The service with the default rule (no internal server allowed).
async fn serve(db: &TestDb) -> Server {
    start(
        db.store.clone(),
        Setup {
            env: env(&[
                ("BATON_SECRET_KEY", &baton::accounts::Vault::new_key()),
                ("BATON_ACCOUNTS_ALLOW", ""),
            ]),
            ..Setup::default()
        },
    )
    .await
}

/// Store an account for the rep directly (as if its host had resolved
/// to a public address when it was connected).
async fn stored(s: &Server, provider: &str, address: &str, settings: Value) -> Account {
    let accounts = &s.app.accounts;
    s.app
        .store()
        .connect_account(
            &NewAccount {
                org_id: &s.org,
                user_id: Some(&s.user),
                provider,
                address,
                scopes: "",
                settings: &settings,
                token_expires_at: None,
            },
            |id| {
                accounts
                    .seal(id, &json!({ "password": "pw-not-for-internal-hosts" }))
                    .expect("seal")
            },
            0,
        )
        .await
        .expect("connect")
        .expect("the address is no other rep's")
}

fn calendars(s: &Server, accounts: Accounts) -> Calendars {
    let account_http = accounts
        .egress()
        .http_client(Duration::from_secs(5))
        .expect("client");
    Calendars {
        store: s.app.store().clone(),
        accounts,
        http: reqwest::Client::new(),
        account_http,
        google_api: "http://127.0.0.1:9".into(),
        public_url: None,
        clock: s.app.orch.clock.clone(),
        poll: Duration::from_secs(60),
        wake: Arc::new(tokio::sync::Notify::new()),
        leases: s.app.leases.clone(),
        reads_per_s: 100,
    }
}

backend_test!(
    internal_servers_are_refused_at_the_door,
    |backend: Backend| async move {
        let db = TestDb::new(backend).await;
        let s = serve(&db).await;
        let imap = |host: &str, tls: &str| {
            json!({ "provider": "imap", "address": "jordan.avery@acme.example", "host": host,
                "port": 143, "tls": tls, "username": "jordan", "password": "pw" })
        };
        for host in [
            "127.0.2.1",
            "localhost",
            "0.0.0.0",
            "2130706433",
            "10.1.2.3",
        ] {
            let (status, body) = s.post("/v1/users/rep1/accounts", imap(host, "tls")).await;
            assert_eq!(status, 422, "{host}: {body}");
            assert_eq!(body["field"], "host", "{host}: {body}");
            assert!(
                body["detail"]
                    .as_str()
                    .is_some_and(|d| d.contains("not public")),
                "{body}"
            );
        }
        // A password in clear, even to a public host.
        let (status, body) = s
            .post("/v1/users/rep1/accounts", imap("imap.acme.example", "none"))
            .await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(body["field"], "tls", "{body}");
        let caldav = |url: &str| {
            json!({ "provider": "caldav", "address": "jordan.avery@acme.example", "url": url,
                "username": "jordan", "password": "pw" })
        };
        for url in [
            "https://127.0.0.1:5232/jordan/cal/",
            "https://[::1]/cal/",
            "https://169.254.169.254/latest/",
            "https://0x7f.1/cal/",
            "http://cal.acme.example/dav/",
        ] {
            let (status, body) = s.post("/v1/users/rep1/accounts", caldav(url)).await;
            assert_eq!(status, 422, "{url}: {body}");
            assert_eq!(body["field"], "url", "{url}: {body}");
        }
        let (_, listed) = s.get("/v1/users/rep1/accounts").await;
        assert_eq!(listed, json!([]), "nothing refused was stored");
        s.stop().await;
        db.finish().await;
    }
);

backend_test!(
    an_account_is_checked_again_on_every_connect,
    |backend: Backend| async move {
        let db = TestDb::new(backend).await;
        let s = serve(&db).await;
        // IMAP: a host that is (now) loopback is never dialled, so no
        // password reaches whatever listens there.
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.set_nonblocking(true).expect("nonblocking");
        let port = listener.local_addr().expect("addr").port();
        let account = stored(
            &s,
            "imap",
            "jordan.avery@acme.example",
            json!({ "host": "localhost", "port": port, "tls": "tls",
                "username": "jordan", "folder": "INBOX" }),
        )
        .await;
        let refused = imap::login(&s.app.accounts, &account)
            .await
            .expect_err("refused");
        assert!(
            Report(&refused).to_string().contains("not public"),
            "{}",
            Report(&refused)
        );
        assert!(
            matches!(listener.accept(), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock),
            "nothing connected to the internal listener"
        );
        // The same account with the host allowed by the operator is
        // dialled: the check above is what kept it out.
        let allowed = s
            .app
            .accounts
            .clone()
            .with_egress(Egress::allowing(&["localhost"]).expect("allow"));
        let _ = tokio::time::timeout(Duration::from_secs(2), imap::login(&allowed, &account)).await;
        assert!(listener.accept().is_ok(), "an allowed host is dialled");

        // CalDAV: an internal URL is not asked, and the account's status
        // says nothing of what listens there.
        let dav = HttpPeer::answering(vec![], Answer::new(207, "<multistatus/>"));
        let account = stored(
            &s,
            "caldav",
            "cal@acme.example",
            json!({ "url": format!("http://127.0.0.1:{}/cal/", dav.port), "username": "jordan" }),
        )
        .await;
        let cal = calendars(&s, s.app.accounts.clone());
        let refused = cal.sync_caldav(&account).await.expect_err("refused");
        assert!(
            Report(&refused).to_string().contains("not public"),
            "{}",
            Report(&refused)
        );
        assert_eq!(dav.hits(), 0, "the internal server was never asked");
        let after = s
            .app
            .store()
            .account(&s.org, &account.id)
            .await
            .expect("read")
            .expect("there");
        assert_eq!(
            (after.status.as_str(), after.status_detail),
            ("active", None)
        );

        // Allowed, but redirected to another port: not followed, and the
        // other port never sees the password.
        let elsewhere = HttpPeer::answering(vec![], Answer::new(207, "<multistatus/>"));
        let redirecting = HttpPeer::answering(
            vec![],
            Answer::new(307, "").header(
                "location",
                &format!("http://127.0.0.1:{}/cal/", elsewhere.port),
            ),
        );
        let account = stored(
            &s,
            "caldav",
            "moved@acme.example",
            json!({ "url": format!("http://127.0.0.1:{}/cal/", redirecting.port),
                "username": "jordan" }),
        )
        .await;
        let loopback = s
            .app
            .accounts
            .clone()
            .with_egress(Egress::allowing(&["127.0.0.1"]).expect("allow"));
        let cal = calendars(&s, loopback.clone());
        let refused = cal.sync_caldav(&account).await.expect_err("refused");
        assert!(
            Report(&refused).to_string().contains("redirect"),
            "{}",
            Report(&refused)
        );
        assert_eq!(redirecting.hits(), 1);
        assert_eq!(elsewhere.hits(), 0, "the redirect was not followed");

        // An answer past the cap is refused, not read into memory.
        let huge = HttpPeer::answering(
            vec![],
            Answer::new(207, &"x".repeat(baton::wire::MAX_ANSWER_BYTES + 1)),
        );
        let account = stored(
            &s,
            "caldav",
            "huge@acme.example",
            json!({ "url": format!("http://127.0.0.1:{}/cal/", huge.port), "username": "jordan" }),
        )
        .await;
        let refused = cal.sync_caldav(&account).await.expect_err("refused");
        assert!(
            Report(&refused).to_string().contains("larger than"),
            "{}",
            Report(&refused)
        );
        s.stop().await;
        db.finish().await;
    }
);
