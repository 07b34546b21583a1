//! Connecting accounts and provider keys through a real `baton serve`
//! (the binary, `BATON_LOG=debug`) on both backends: a rep connects Google
//! through the OAuth routes against the loopback Google, the operator
//! stores an IMAP password and a provider key, a skill calls the provider
//! (the `echo-headers` guest: the key reaches the provider, never the
//! skill, and each use is audited), a revoked account shows the reconnect
//! banner — then the server's whole log is searched for every token,
//! password and key: none appears.

use baton::store::Backend;
use baton_tests::{GooglePeer, HttpPeer, Replica, ReplicaSetup, TestDb, until};
use serde_json::{Value, json};
use std::time::Duration;

const SEQUENCE: &str = r#"
event = "provider_call"

[[step]]
name = "call"
skill = "echo-headers"
"#;

const ADMIN: &str = "admin-token-for-the-keys-test";
const KEY_VALUE: &str = "apollo-live-key-7f3a9c";
const IMAP_PASSWORD: &str = "imap-password-q8Lz";
const REP: &str = "jordan.avery@acme.example";

fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

fn location(r: &reqwest::Response) -> String {
    r.headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_else(|| panic!("a redirect: {}", r.status()))
        .to_owned()
}

/// The cookie that ties a Google authorization to the browser that began
/// it, as a `cookie` header value.
fn state_cookie(r: &reqwest::Response) -> String {
    r.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("baton_oauth_state="))
        .and_then(|c| c.split(';').next())
        .unwrap_or_else(|| panic!("no state cookie: {:?}", r.headers()))
        .to_owned()
}

async fn send(b: reqwest::RequestBuilder) -> (u16, Value) {
    let r = b.send().await.expect("request");
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

baton_tests::backend_test!(
    accounts_and_provider_keys_end_to_end_with_nothing_secret_in_the_log,
    |backend: Backend| async move {
        let db = TestDb::new(backend).await;
        let store = db.store.clone();
        let org = store
            .upsert_org("acme", "Acme", &json!({}))
            .await
            .expect("org");
        store
            .upsert_user(&org, "rep1", "Jordan Avery", REP, "rep")
            .await
            .expect("user");
        let (_, token) = store.create_token(&org, "tests", 0).await.expect("token");
        let google = GooglePeer::start();
        let provider = HttpPeer::start();
        // Another service on the same host, another port: not the key's.
        let other = HttpPeer::start();
        let secret_key = baton::accounts::Vault::new_key();
        let mut env: Vec<(String, String)> = google.env();
        env.extend([
            ("BATON_SECRET_KEY".to_owned(), secret_key.clone()),
            ("BATON_ADMIN_TOKEN".to_owned(), ADMIN.to_owned()),
            // baton's debug, and the libraries' that carry requests and
            // credentials (a bare level is baton's alone).
            (
                "BATON_LOG".to_owned(),
                "debug,sqlx=debug,hyper=debug,reqwest=debug,rustls=debug,async_imap=debug,lettre=debug,axum=debug,tower=debug"
                    .to_owned(),
            ),
            ("BATON_LOG_FORMAT".to_owned(), "text".to_owned()),
        ]);
        let env_refs: Vec<(&str, &str)> =
            env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let serve = Replica::start(
            &db.url,
            &ReplicaSetup {
                sequences: &[("provider_call.toml", SEQUENCE)],
                guests: &["echo-headers"],
                config: "[runner]\npoll_ms = 50\nundo_window_ms = 0\n",
                env: &env_refs,
                args: &[],
                shared_cache: true,
                ..ReplicaSetup::default()
            },
        );
        let http = no_redirects();
        serve.ready(&http).await;
        let url = |p: &str| format!("{}{p}", serve.base);

        // A rep signs in (a magic link) and connects Google.
        let (status, link) = send(
            http.post(url("/v1/admin/orgs/acme/magic-links"))
                .bearer_auth(ADMIN)
                .json(&json!({ "user": "rep1" })),
        )
        .await;
        assert_eq!(status, 201, "{link}");
        let r = http
            .get(link["url"].as_str().expect("url"))
            .send()
            .await
            .expect("magic");
        let cookie = r
            .headers()
            .get("set-cookie")
            .and_then(|v| v.to_str().ok())
            .and_then(|c| c.split(';').next())
            .expect("a session")
            .to_owned();
        // The rep declines on Google's page: a 403 page, nothing stored.
        let start = |http: &reqwest::Client| {
            http.get(url("/inbox/connect/google"))
                .header("cookie", &cookie)
                .send()
        };
        let r = start(&http).await.expect("connect");
        let bound = state_cookie(&r);
        let declined = http.get(location(&r)).send().await.expect("consent");
        let r = http
            .get(location(&declined))
            .header("cookie", &bound)
            .send()
            .await
            .expect("callback");
        assert_eq!(r.status().as_u16(), 403);
        assert!(
            r.text()
                .await
                .unwrap_or_default()
                .contains("did not grant access")
        );
        assert!(
            store
                .accounts(&org, None)
                .await
                .expect("accounts")
                .is_empty()
        );
        google.state().consenting = Some(REP.to_owned());
        let r = http
            .get(url("/inbox/connect/google"))
            .header("cookie", &cookie)
            .send()
            .await
            .expect("connect");
        assert_eq!(r.status().as_u16(), 302, "on to Google");
        let bound = state_cookie(&r);
        assert!(
            r.headers()
                .get_all("set-cookie")
                .iter()
                .filter_map(|v| v.to_str().ok())
                .any(|c| c.starts_with("baton_oauth_state=")
                    && c.contains("HttpOnly")
                    && c.contains("Path=/oauth/google/callback")),
            "the state cookie is HTTP-only and read by the callback alone: {:?}",
            r.headers()
        );
        let consent = location(&r);
        assert!(consent.starts_with(&google.url), "{consent}");
        for scope in [
            "gmail.readonly",
            "calendar.events",
            "email",
            "code_challenge_method=S256",
        ] {
            assert!(consent.contains(scope), "{scope} asked: {consent}");
        }
        let r = http.get(&consent).send().await.expect("consent");
        let callback = location(&r);
        assert!(callback.contains("/oauth/google/callback?"), "{callback}");
        // Finished in another browser (no cookie of this authorization),
        // the consent connects nothing, and leaves the rep's own to finish.
        let elsewhere = http.get(&callback).send().await.expect("callback");
        assert_eq!(elsewhere.status().as_u16(), 400);
        assert!(
            elsewhere
                .text()
                .await
                .unwrap_or_default()
                .contains("not started in this browser")
        );
        assert!(
            store
                .accounts(&org, None)
                .await
                .expect("accounts")
                .is_empty(),
            "nothing connected from another browser"
        );
        let r = http
            .get(&callback)
            .header("cookie", &bound)
            .send()
            .await
            .expect("callback");
        assert_eq!(r.status().as_u16(), 200);
        let page = r.text().await.expect("page");
        assert!(
            page.contains("Google account connected") && page.contains(REP),
            "{page}"
        );
        // The state is used once: the same callback again is a 400 page.
        let again = http
            .get(&callback)
            .header("cookie", &bound)
            .send()
            .await
            .expect("again");
        assert_eq!(again.status().as_u16(), 400);
        assert!(
            again
                .text()
                .await
                .unwrap_or_default()
                .contains("used already")
        );

        let (status, accounts) =
            send(http.get(url("/v1/users/rep1/accounts")).bearer_auth(&token)).await;
        assert_eq!(status, 200, "{accounts}");
        let g = &accounts[0];
        assert_eq!(g["provider"], "google");
        assert_eq!(g["address"], REP);
        assert_eq!(g["status"], "active");
        assert!(
            g["scopes"].as_array().is_some_and(|s| s.len() == 4),
            "scopes as granted: {g}"
        );
        assert!(
            !accounts.to_string().contains("ya29"),
            "no token: {accounts}"
        );
        let stored = store
            .accounts_by_address("google", REP)
            .await
            .expect("accounts");
        // The first sync is asked for, and made at once: the account is
        // claimed by this replica as it is connected.
        until("the first sync", Duration::from_secs(20), async || {
            store
                .sync_cursor(&stored[0].org_id, &stored[0].id, "gmail")
                .await
                .expect("cursor")
                .is_some()
        })
        .await;
        // The operator's link for the rep begins only in the rep's own
        // signed-in browser.
        let (status, link) = send(
            http.post(url("/v1/users/rep1/accounts/google"))
                .bearer_auth(&token),
        )
        .await;
        assert_eq!(status, 201, "{link}");
        let handed = link["url"].as_str().expect("url");
        assert_eq!(handed, url("/inbox/connect/google?rep=rep1"));
        let r = http.get(handed).send().await.expect("signed out");
        assert_eq!(r.status().as_u16(), 401, "signed out: the login page");
        let r = http
            .get(handed)
            .header("cookie", &cookie)
            .send()
            .await
            .expect("signed in");
        assert_eq!(r.status().as_u16(), 302, "the rep, signed in: on to Google");
        assert!(location(&r).starts_with(&google.url));

        // The operator stores an IMAP password: validated, tried on the
        // server (a real Dovecot), sealed.
        let dovecot = baton_tests::dovecot::Dovecot::start("jordan", IMAP_PASSWORD);
        let imap = json!({ "provider": "imap", "address": REP, "host": "127.0.0.1",
            "port": dovecot.port, "tls": "none", "username": "jordan", "password": IMAP_PASSWORD });
        let (status, bad) = send(
            http.post(url("/v1/users/rep1/accounts"))
                .bearer_auth(&token)
                .json(
                    &json!({ "provider": "imap", "address": REP, "host": "imap.acme.example",
                    "port": 993, "tls": "ssl", "username": "jordan", "password": "x" }),
                ),
        )
        .await;
        assert_eq!(status, 422, "{bad}");
        assert_eq!(bad["field"], "tls");
        let (status, account) = send(
            http.post(url("/v1/users/rep1/accounts"))
                .bearer_auth(&token)
                .json(&imap),
        )
        .await;
        assert_eq!(status, 201, "{account}");
        assert_eq!(account["settings"]["host"], "127.0.0.1");
        assert!(!account.to_string().contains(IMAP_PASSWORD));
        let (status, _) = send(
            http.post(url("/v1/users/rep1/accounts"))
                .bearer_auth(&token)
                .json(&imap),
        )
        .await;
        assert_eq!(
            status, 200,
            "the same address again replaces the credential"
        );

        // The org's provider key: kept sealed, listed without its value.
        let (status, kept) = send(
            http.put(url("/v1/admin/orgs/acme/provider-keys/apollo"))
                .bearer_auth(ADMIN)
                .json(
                    &json!({ "host": format!("http://127.0.0.1:{}", provider.port),
                               "header": "X-Api-Key", "value": KEY_VALUE }),
                ),
        )
        .await;
        assert_eq!(status, 201, "{kept}");
        let (status, listed) = send(
            http.get(url("/v1/admin/orgs/acme/provider-keys"))
                .bearer_auth(ADMIN),
        )
        .await;
        assert_eq!(status, 200);
        assert_eq!(listed[0]["name"], "apollo");
        assert!(!listed.to_string().contains(KEY_VALUE), "{listed}");

        // A skill granted the host calls it: the provider gets the key,
        // the skill's own output does not hold it.
        let (status, accepted) = send(http.post(url("/v1/events")).bearer_auth(&token).json(
            &json!({
                "type": "provider_call", "user": "rep1",
                "payload": { "authority": format!("127.0.0.1:{}", provider.port) } }),
        ))
        .await;
        assert_eq!(status, 202, "{accepted}");
        let job = accepted["job_id"].as_str().expect("job").to_owned();
        until("the job completes", Duration::from_secs(60), async || {
            let (_, j) = send(
                http.get(url(&format!("/v1/jobs/{job}")))
                    .bearer_auth(&token),
            )
            .await;
            j["status"] == "completed"
        })
        .await;
        let received = provider.requests();
        assert_eq!(received.len(), 1, "{received:?}");
        let lower = received[0].to_ascii_lowercase();
        assert!(
            lower.contains(&format!("x-api-key: {}", KEY_VALUE.to_ascii_lowercase())),
            "the provider got the key: {}",
            received[0]
        );
        assert!(
            !received[0].contains("made-up-by-the-skill"),
            "the skill's own header was replaced"
        );
        let runs = store
            .step_runs(&org, &baton::store::JobId::from(job.as_str()))
            .await
            .expect("runs");
        let output = runs
            .iter()
            .find_map(|r| r.output.clone())
            .expect("an output");
        assert_eq!(output["data"]["status"], 200, "{output}");
        assert!(
            output.to_string().contains("made-up-by-the-skill"),
            "the skill sees its own request: {output}"
        );
        assert!(
            !output.to_string().contains(KEY_VALUE),
            "never the key: {output}"
        );
        let audit = store.audit_log(&org, 50).await.expect("audit");
        let used: Vec<_> = audit
            .iter()
            .filter(|e| e.kind == "provider_key_used")
            .collect();
        assert_eq!(used.len(), 1, "one use, audited: {audit:?}");
        assert_eq!(used[0].detail["key"], "apollo");
        assert_eq!(used[0].detail["host"], "127.0.0.1");
        assert_eq!(used[0].detail["skill"], "echo-headers");
        assert_eq!(
            used[0].job_id.as_ref().map(|j| j.0.as_str()),
            Some(job.as_str())
        );
        assert!(!used[0].detail.to_string().contains(KEY_VALUE));
        assert_eq!(
            used[0].detail["origin"],
            format!("http://127.0.0.1:{}", provider.port)
        );

        // The same skill calls the other port of the same host: no key
        // goes there, and none is audited (issue 38: keys were matched by
        // host alone).
        let (status, accepted) = send(http.post(url("/v1/events")).bearer_auth(&token).json(
            &json!({
                "type": "provider_call", "user": "rep1",
                "payload": { "authority": format!("127.0.0.1:{}", other.port) } }),
        ))
        .await;
        assert_eq!(status, 202, "{accepted}");
        let job = accepted["job_id"].as_str().expect("job").to_owned();
        until(
            "the second job completes",
            Duration::from_secs(60),
            async || {
                let (_, j) = send(
                    http.get(url(&format!("/v1/jobs/{job}")))
                        .bearer_auth(&token),
                )
                .await;
                j["status"] == "completed"
            },
        )
        .await;
        let got = other.requests();
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(
            !got[0]
                .to_ascii_lowercase()
                .contains(&KEY_VALUE.to_ascii_lowercase()),
            "another port never gets the key: {}",
            got[0]
        );
        let audit = store.audit_log(&org, 50).await.expect("audit");
        assert_eq!(
            audit
                .iter()
                .filter(|e| e.kind == "provider_key_used")
                .count(),
            1,
            "no second use"
        );

        let mut secrets: Vec<String> = google.state().tokens_of(REP);
        assert!(secrets.len() >= 2, "tokens were issued: {secrets:?}");

        // Google revokes the grant: once a refresh is refused, every inbox
        // page says so and links to reconnecting.
        google.state().revoke(REP);
        let accounts_api = baton::accounts::Accounts::new(
            store.clone(),
            Some(baton::accounts::Vault::from_key(&secret_key).expect("vault")),
            Some(
                baton::accounts::OAuthApp::new(
                    baton::accounts::Provider::Google,
                    baton_tests::google::CLIENT_ID,
                    baton_tests::google::CLIENT_SECRET,
                    &format!("{}/o/oauth2/v2/auth", google.url),
                    &format!("{}/token", google.url),
                    &format!("{}/oauth/google/callback", serve.base),
                )
                .expect("client"),
            ),
        );
        let refused = accounts_api.refresh(&stored[0]).await;
        assert!(matches!(
            refused,
            Err(baton::accounts::AccountError::Reconnect { .. })
        ));
        for path in ["/inbox", "/inbox/accounts", &format!("/inbox/jobs/{job}")] {
            let page = http
                .get(url(path))
                .header("cookie", &cookie)
                .send()
                .await
                .expect("page")
                .text()
                .await
                .expect("text");
            assert!(
                page.contains("Your Google account") && page.contains("needs reconnecting"),
                "{path}: {page}"
            );
            assert!(page.contains("href=\"/inbox/connect/google\""), "{path}");
        }

        // Nothing secret reached the log, at debug level.
        secrets.extend([
            KEY_VALUE.to_owned(),
            IMAP_PASSWORD.to_owned(),
            secret_key.clone(),
        ]);
        drop(http);
        let log_path = serve.dir.path().join("serve.log");
        let log = std::fs::read_to_string(&log_path).expect("log");
        assert!(
            log.contains("DEBUG"),
            "the log is at debug: {}",
            serve.log()
        );
        assert!(
            log.contains("provider key used") && log.contains("account connected"),
            "the log saw the run: {}",
            serve.log()
        );
        for s in &secrets {
            assert!(!log.contains(s.as_str()), "`{s}` is in the log");
        }
        assert!(!log.contains(REP), "the rep's address is not logged");
        drop(serve);
        db.finish().await;
    }
);

baton_tests::backend_test!(
    baton_secret_reads_the_key_from_stdin_and_never_prints_it,
    |backend: Backend| async move {
        use std::io::Write;
        use std::process::{Command, Stdio};
        let db = TestDb::new(backend).await;
        let org = db
            .store
            .upsert_org("acme", "Acme", &json!({}))
            .await
            .expect("org");
        let key = baton_tests::baton(["secret", "key"]);
        assert_eq!(key.code, 0, "{}", key.stderr);
        let secret_key = key.stdout.trim().to_owned();
        let vault = baton::accounts::Vault::from_key(&secret_key).expect("a usable key");
        let secret = |args: &[&str], stdin: Option<&str>| {
            let mut child = Command::new(baton_tests::baton_bin())
                .arg("secret")
                .args(args)
                .args(["--database", &db.url])
                .env("BATON_SECRET_KEY", &secret_key)
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("baton secret");
            if let Some(text) = stdin {
                child
                    .stdin
                    .take()
                    .expect("stdin")
                    .write_all(text.as_bytes())
                    .expect("write");
            }
            drop(child.stdin.take());
            let out = child.wait_with_output().expect("wait");
            (
                out.status.code().unwrap_or(-1),
                String::from_utf8_lossy(&out.stdout).into_owned()
                    + &String::from_utf8_lossy(&out.stderr),
            )
        };
        let set = [
            "set",
            "apollo",
            "--host",
            "API.Apollo.io",
            "--header",
            "X-Api-Key",
        ];
        let (code, out) = secret(&set, Some(&format!("{KEY_VALUE}\n")));
        assert_eq!(code, 0, "{out}");
        assert!(!out.contains(KEY_VALUE), "{out}");
        let (code, out) = secret(
            &[
                "set",
                "apollo",
                "--host",
                "api.apollo.io",
                "--header",
                "Bad Header",
            ],
            Some("k"),
        );
        assert_ne!(code, 0, "a bad header is refused: {out}");
        assert!(out.contains("header"), "{out}");
        let (code, out) = secret(&["list"], None);
        assert_eq!(code, 0, "{out}");
        assert!(
            out.contains("apollo") && out.contains("api.apollo.io"),
            "{out}"
        );
        assert!(!out.contains(KEY_VALUE), "{out}");
        // The operator's key serves every org, sealed; it opens to what
        // was piped in (without the newline).
        let kept = db
            .store
            .provider_key_for(&org, "https://api.apollo.io:443", "/v1/people")
            .await
            .expect("read")
            .expect("the operator's key");
        // Only its origin: not plain HTTP, not another port.
        for other in ["http://api.apollo.io:80", "https://api.apollo.io:8443"] {
            let none = db
                .store
                .provider_key_for(&org, other, "/v1/people")
                .await
                .expect("read");
            assert!(none.is_none(), "{other}");
        }
        assert!(!kept.value.contains(KEY_VALUE));
        let opened = vault.open(&kept.id, &kept.value).expect("opens");
        assert_eq!(opened, KEY_VALUE.as_bytes());
        let (code, out) = secret(&["rm", "apollo"], None);
        assert_eq!(code, 0, "{out}");
        let (code, _) = secret(&["rm", "apollo"], None);
        assert_ne!(code, 0, "removing it again is an error");
        assert!(
            db.store
                .provider_key_for(&org, "https://api.apollo.io:443", "/")
                .await
                .expect("read")
                .is_none()
        );
        db.finish().await;
    }
);

baton_tests::backend_test!(
    a_key_rotation_while_the_service_runs_leaves_everything_opening_under_the_new_key_alone,
    |backend: Backend| async move {
        use baton::store::SealedColumn;
        let db = TestDb::new(backend).await;
        let store = db.store.clone();
        let org = store
            .upsert_org("acme", "Acme", &json!({}))
            .await
            .expect("org");
        store
            .upsert_user(&org, "rep1", "Jordan Avery", REP, "rep")
            .await
            .expect("user");
        let (_, token) = store.create_token(&org, "tests", 0).await.expect("token");
        let provider = HttpPeer::start();
        let (old, new) = (
            baton::accounts::Vault::new_key(),
            baton::accounts::Vault::new_key(),
        );
        let new_id = baton::accounts::Vault::from_key(&new)
            .expect("key")
            .key_id()
            .to_owned();
        let serve_with = |keys: &str| {
            let env = [("BATON_SECRET_KEY", keys), ("BATON_ADMIN_TOKEN", ADMIN)];
            Replica::start(
                &db.url,
                &ReplicaSetup {
                    sequences: &[("provider_call.toml", SEQUENCE)],
                    guests: &["echo-headers"],
                    config: "[runner]\npoll_ms = 50\nundo_window_ms = 0\n",
                    env: &env,
                    args: &[],
                    shared_cache: true,
                    ..ReplicaSetup::default()
                },
            )
        };
        let http = no_redirects();
        // Each call a new event (the same payload twice is one event).
        let calls = std::sync::atomic::AtomicUsize::new(0);
        let call = async |serve: &Replica| {
            let n = calls.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let (status, accepted) = send(
                http.post(format!("{}/v1/events", serve.base))
                    .bearer_auth(&token)
                    .json(&json!({
                        "type": "provider_call", "user": "rep1",
                        "payload": { "authority": format!("127.0.0.1:{}", provider.port), "n": n } })),
            )
            .await;
            assert_eq!(status, 202, "{accepted}");
            accepted["job_id"].as_str().expect("job").to_owned()
        };
        let completed = async |serve: &Replica, jobs: &[String]| {
            for job in jobs {
                until("the job completes", Duration::from_secs(60), async || {
                    let (_, j) = send(
                        http.get(format!("{}/v1/jobs/{job}", serve.base))
                            .bearer_auth(&token),
                    )
                    .await;
                    j["status"] == "completed"
                })
                .await;
            }
        };

        // Under the old key: a provider key and twelve IMAP passwords.
        let serve = serve_with(&old);
        serve.ready(&http).await;
        let (status, kept) = send(
            http.put(format!(
                "{}/v1/admin/orgs/acme/provider-keys/apollo",
                serve.base
            ))
            .bearer_auth(ADMIN)
            .json(
                &json!({ "host": format!("http://127.0.0.1:{}", provider.port),
                               "header": "X-Api-Key", "value": KEY_VALUE }),
            ),
        )
        .await;
        assert_eq!(status, 201, "{kept}");
        // Each password is tried on a real Dovecot as it is connected.
        let logins: Vec<(String, String)> = (0..12)
            .map(|i| (format!("box{i}"), format!("{IMAP_PASSWORD}-{i}")))
            .collect();
        let users: Vec<(&str, &str)> = logins
            .iter()
            .map(|(u, p)| (u.as_str(), p.as_str()))
            .collect();
        let dovecot = baton_tests::dovecot::Dovecot::start_many(&users);
        for i in 0..12 {
            let (status, account) = send(
                http.post(format!("{}/v1/users/rep1/accounts", serve.base))
                    .bearer_auth(&token)
                    .json(&json!({ "provider": "imap", "address": format!("box{i}@acme.example"),
                        "host": "127.0.0.1", "port": dovecot.port, "tls": "none",
                        "username": format!("box{i}"), "password": format!("{IMAP_PASSWORD}-{i}") })),
            )
            .await;
            assert_eq!(status, 201, "{account}");
        }
        drop(serve);

        // The new key first, the old one listed for reading: the rotation
        // runs while skills keep using the provider key.
        let both = format!("{new},{old}");
        let serve = serve_with(&both);
        serve.ready(&http).await;
        let rotation = {
            let (url, keys) = (db.url.clone(), both.clone());
            tokio::task::spawn_blocking(move || {
                std::process::Command::new(baton_tests::baton_bin())
                    .args(["secret", "rotate", "--batch", "1", "--database", &url])
                    .env("BATON_SECRET_KEY", keys)
                    .output()
                    .expect("baton secret rotate")
            })
        };
        let mut jobs = Vec::new();
        while !rotation.is_finished() {
            jobs.push(call(&serve).await);
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let out = rotation.await.expect("join");
        let (stdout, stderr) = (
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr),
        );
        assert_eq!(out.status.code(), Some(0), "{stdout}{stderr}");
        assert!(
            stdout.contains("13 value(s) sealed again") && stdout.contains(&new_id),
            "{stdout}"
        );
        assert!(
            stderr.contains("connected accounts: 12 sealed again"),
            "{stderr}"
        );
        for secret in [KEY_VALUE, IMAP_PASSWORD, &old, &new] {
            assert!(!stdout.contains(secret) && !stderr.contains(secret));
        }
        jobs.push(call(&serve).await);
        completed(&serve, &jobs).await;
        for column in SealedColumn::ALL {
            for v in store.sealed_values(column, "", 1000).await.expect("read") {
                assert_eq!(
                    baton::accounts::Vault::sealed_under(&v.value),
                    Some(new_id.as_str()),
                    "{column:?} {}",
                    v.key
                );
            }
        }
        drop(serve);

        // The old key removed: the provider key still reaches the provider,
        // every password still opens, and a second rotation has nothing to do.
        let before = provider.requests().len();
        assert!(
            before >= jobs.len(),
            "every call during the rotation had the key"
        );
        let serve = serve_with(&new);
        serve.ready(&http).await;
        let job = call(&serve).await;
        completed(&serve, std::slice::from_ref(&job)).await;
        let received = provider.requests();
        assert!(
            received[before..].iter().any(|r| r
                .to_ascii_lowercase()
                .contains(&format!("x-api-key: {}", KEY_VALUE.to_ascii_lowercase()))),
            "the key opened under the new key alone: {:?}",
            &received[before..]
        );
        for r in &received {
            assert!(
                r.to_ascii_lowercase()
                    .contains(&format!("x-api-key: {}", KEY_VALUE.to_ascii_lowercase())),
                "every request had the key: {r}"
            );
        }
        let vault = baton::accounts::Vault::from_key(&new).expect("vault");
        let accounts = store.accounts(&org, None).await.expect("accounts");
        assert_eq!(accounts.len(), 12);
        for a in &accounts {
            let secret = vault.open_json(&a.id, &a.secret).expect("opens");
            assert!(secret.to_string().contains(IMAP_PASSWORD), "{}", a.address);
        }
        let again = baton_tests::baton_env(
            ["secret", "rotate", "--database", &db.url],
            [("BATON_SECRET_KEY", new.as_str())],
        );
        assert_eq!(again.code, 0, "{again:?}");
        assert!(
            again.stdout.contains("0 value(s) sealed again"),
            "{again:?}"
        );
        // Only the old key: nothing opens, and each row is named.
        let stale = baton_tests::baton_env(
            ["secret", "rotate", "--database", &db.url],
            [("BATON_SECRET_KEY", old.as_str())],
        );
        assert_eq!(stale.code, 2, "{stale:?}");
        assert!(
            stale.stderr.contains("13 sealed value(s) did not open")
                && stale.stderr.contains(&new_id)
                && stale.stderr.contains("provider keys"),
            "{stale:?}"
        );
        drop(serve);
        db.finish().await;
    }
);
