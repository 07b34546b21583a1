//! An approved email goes out through the rep's own mailbox when they
//! connected one that can send: the loopback Gmail's `messages.send` in the
//! prospect's thread, the loopback Graph's `sendMail` for a Microsoft 365
//! mailbox connected through the identity platform's PKCE flow. Each is
//! sent exactly once through a 429 (its `Retry-After` waited) and a lost
//! answer (the redelivery finds the message and sends nothing), with an
//! expired access token refreshed on the way. A revoked grant marks the
//! account `reconnect` and fails the send saying so; nothing goes out by
//! SMTP instead.

use super::mail::connect_with;
use baton::accounts::Vault;
use baton::accounts::google::{GMAIL_READ, GMAIL_SEND};
use baton_tests::google::SendFault;
use baton_tests::microsoft::SendFault as GraphFault;
use baton_tests::server::{Server, Setup, env, start};
use baton_tests::{
    Backend, GooglePeer, MicrosoftPeer, PATIENCE, SmtpSink, TestDb, backend_test, until,
};
use serde_json::{Value, json};

const REP: &str = "jordan.avery@acme.example";
const PARENT: &str = "<q3-plan.77@northwind.example>";

/// `baton serve` with `peer_env`, a secret key and an SMTP relay (which
/// must stay unused).
async fn serve(backend: Backend, peer_env: Vec<(String, String)>) -> (TestDb, Server, SmtpSink) {
    let smtp = SmtpSink::start();
    let db = TestDb::new(backend).await;
    let key = Vault::new_key();
    let mut environment = peer_env;
    environment.extend(env(&[
        ("BATON_SECRET_KEY", key.as_str()),
        ("BATON_SMTP_URL", &format!("smtp://127.0.0.1:{}", smtp.port)),
    ]));
    let s = start(
        db.store.clone(),
        Setup {
            env: environment,
            ..Setup::default()
        },
    )
    .await;
    (db, s, smtp)
}

/// A follow-up approved as a reply to the prospect's `PARENT`; returns
/// the job.
async fn approve_reply(s: &Server, meeting: &str) -> String {
    let (_, first) = s.event(meeting).await;
    let job = first["job_id"].as_str().expect("job").to_owned();
    let gate = s.open_gate(&job).await;
    let reply = json!({ "to": "marta.ruiz@northwind.example", "subject": "Re: Q3 plan",
        "body": "Hi Marta,\n\nThe pilot plan is attached to our notes; Thursday works.",
        "in_reply_to": PARENT });
    let (status, answer) = s
        .post(
            &format!(
                "/v1/approvals/{}/decision",
                gate["id"].as_str().expect("id")
            ),
            json!({ "decision": "edited", "value": reply }),
        )
        .await;
    assert_eq!(status, 200, "{answer}");
    job
}

/// The job once its email effect is `status`, the service's clock moved on
/// so retries come due.
async fn effect_reaches(s: &Server, job: &str, status: &str) -> Value {
    let path = format!("/v1/jobs/{job}");
    until(
        &format!("the email effect is {status}"),
        PATIENCE,
        async || {
            s.clock.advance(120_000);
            let (_, j) = s.get(&path).await;
            j["effects"][0]["status"] == status
        },
    )
    .await;
    s.get(&path).await.1
}

async fn last_sent_audit(s: &Server) -> Value {
    let audit = s.app.store().audit_log(&s.org, 20).await.expect("audit");
    audit
        .into_iter()
        .find(|a| a.kind == "email_sent")
        .map(|a| a.detail)
        .expect("an email_sent audit row")
}

backend_test!(
    an_approved_reply_goes_out_through_gmail_once_in_the_prospects_thread,
    |backend| async move {
        let google = GooglePeer::start();
        let (db, s, smtp) = serve(backend, google.env()).await;
        let thread = {
            let mut g = google.state();
            let raw = format!(
                "From: Marta Ruiz <marta.ruiz@northwind.example>\r\nTo: {REP}\r\nSubject: Q3 plan\r\n\
                 Message-ID: {PARENT}\r\nDate: Mon, 23 Nov 2026 09:12:00 +0000\r\n\r\nCan you send the plan?\r\n"
            );
            let id = g.deliver(REP, raw.as_bytes(), &["INBOX"]);
            let m = g.mailbox(REP);
            m.send_faults.push_back(SendFault::RateLimited(1));
            m.send_faults.push_back(SendFault::LostAnswer);
            m.messages
                .iter()
                .find(|x| x.id == id)
                .map(|x| x.thread_id.clone())
                .expect("the prospect's message")
        };
        connect_with(&s, &google, &format!("{GMAIL_READ} {GMAIL_SEND}")).await;
        // The stored token has expired by the time the rep approves.
        google.state().expire_access_tokens();

        let job = approve_reply(&s, "m-gmail").await;
        effect_reaches(&s, &job, "delivered").await;

        {
            let g = google.state();
            let sent: Vec<_> = g.mail[REP]
                .messages
                .iter()
                .filter(|m| m.label_ids.iter().any(|l| l == "SENT"))
                .collect();
            assert_eq!(sent.len(), 1, "sent once through a 429 and a lost answer");
            assert_eq!(sent[0].thread_id, thread, "in the prospect's thread");
            assert_eq!(sent[0].header("In-Reply-To").as_deref(), Some(PARENT));
            assert!(
                sent[0]
                    .header("From")
                    .is_some_and(|f| f.contains("Jordan Avery") && f.contains(REP)),
                "from the rep: {:?}",
                sent[0].header("From")
            );
            let posts = g
                .api_requests
                .iter()
                .filter(|r| r.starts_with("POST /gmail/v1/users/me/messages/send"))
                .count();
            assert_eq!(
                posts, 2,
                "the 429, then the send whose answer was lost: {:?}",
                g.api_requests
            );
            assert!(
                g.token_requests.iter().any(|t| t == "refresh_token"),
                "the expired token was refreshed"
            );
        }
        let audit = last_sent_audit(&s).await;
        assert_eq!(audit["via"], "gmail", "{audit}");
        assert_eq!(
            audit["already_sent"], true,
            "the redelivery found it sent: {audit}"
        );
        let google_copy = google.state().mail[REP].messages.last().cloned();
        assert_eq!(
            google_copy.and_then(|m| m.header("Message-ID")).as_deref(),
            audit["message_id"].as_str(),
            "the audit names the sent message"
        );
        assert!(smtp.messages().is_empty(), "nothing went out by SMTP");
        s.stop().await;
        db.finish().await;
    }
);

backend_test!(
    a_revoked_gmail_grant_marks_reconnect_and_sends_nothing_any_other_way,
    |backend| async move {
        let google = GooglePeer::start();
        let (db, s, smtp) = serve(backend, google.env()).await;
        let account = connect_with(&s, &google, &format!("{GMAIL_READ} {GMAIL_SEND}")).await;
        google.state().revoke(REP);

        let job = approve_reply(&s, "m-revoked").await;
        let j = effect_reaches(&s, &job, "failed").await;
        let why = j["effects"][0]["last_error"].as_str().unwrap_or_default();
        assert!(
            why.contains("reconnect") || why.contains("connect their"),
            "the failure says what to do: {why}"
        );
        let now = s
            .app
            .store()
            .account(&s.org, &account.id)
            .await
            .expect("account")
            .expect("still there");
        assert_eq!(now.status, "reconnect");
        assert!(smtp.messages().is_empty(), "no silent fallback to SMTP");
        assert!(
            !google
                .state()
                .api_requests
                .iter()
                .any(|r| r.starts_with("POST /gmail/v1/users/me/messages/send")),
            "nothing was sent with a revoked grant"
        );
        // The rep sees why on the job's page, and the banner to reconnect.
        let cookie = s.rep_login().await;
        let (status, page) = s.inbox_get(&cookie, &format!("/inbox/jobs/{job}")).await;
        assert_eq!(status, 200);
        assert!(page.contains("connect their Gmail account again"), "{page}");
        assert!(page.contains("needs reconnecting"), "{page}");
        s.stop().await;
        db.finish().await;
    }
);

backend_test!(
    a_microsoft_365_mailbox_connected_with_pkce_sends_through_graph_once,
    |backend| async move {
        let microsoft = MicrosoftPeer::start();
        let (db, s, smtp) = serve(backend, microsoft.env()).await;
        microsoft.state().consenting = Some(REP.to_owned());
        // The rep connects their mailbox from the inbox.
        let cookie = s.rep_login().await;
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        let r = http
            .get(s.url("/inbox/connect/microsoft"))
            .header("cookie", &cookie)
            .send()
            .await
            .expect("connect");
        assert_eq!(r.status().as_u16(), 302, "on to Microsoft");
        let state_cookie = r
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|c| c.starts_with("baton_oauth_state="))
            .and_then(|c| c.split(';').next())
            .expect("the state cookie")
            .to_owned();
        let location = |r: &reqwest::Response| {
            r.headers()
                .get("location")
                .and_then(|v| v.to_str().ok())
                .expect("a redirect")
                .to_owned()
        };
        let consent = location(&r);
        assert!(consent.starts_with(&microsoft.url), "{consent}");
        for asked in ["Mail.Send", "offline_access", "code_challenge_method=S256"] {
            assert!(consent.contains(asked), "{asked} asked: {consent}");
        }
        let back = http.get(&consent).send().await.expect("consent");
        let callback = location(&back);
        assert!(
            callback.contains("/oauth/microsoft/callback?"),
            "{callback}"
        );
        let r = http
            .get(&callback)
            .header("cookie", format!("{cookie}; {state_cookie}"))
            .send()
            .await
            .expect("callback");
        let status = r.status().as_u16();
        let page = r.text().await.unwrap_or_default();
        assert_eq!(status, 200, "{page}");
        assert!(page.contains("Microsoft 365 account connected"), "{page}");
        let accounts = s
            .app
            .store()
            .accounts(&s.org, Some(&s.user))
            .await
            .expect("accounts");
        assert_eq!(accounts.len(), 1);
        assert_eq!(accounts[0].provider, "microsoft");
        assert!(accounts[0].has_scope("Mail.Send"), "{}", accounts[0].scopes);

        {
            let mut m = microsoft.state();
            m.send_faults.push_back(GraphFault::RateLimited(1));
            m.send_faults.push_back(GraphFault::LostAnswer);
            m.expire_access_tokens();
        }
        let job = approve_reply(&s, "m-graph").await;
        effect_reaches(&s, &job, "delivered").await;
        let sent = microsoft.state().sent.get(REP).cloned().unwrap_or_default();
        {
            let m = microsoft.state();
            assert_eq!(sent.len(), 1, "sent once through a 429 and a lost answer");
            let mime = String::from_utf8_lossy(&sent[0].mime).into_owned();
            assert!(mime.contains(&format!("In-Reply-To: {PARENT}")), "{mime}");
            assert!(mime.contains("Subject: Re: Q3 plan"), "{mime}");
            let posts = m
                .api_requests
                .iter()
                .filter(|r| *r == "POST /v1.0/me/sendMail")
                .count();
            assert_eq!(posts, 2, "{:?}", m.api_requests);
            assert!(
                m.token_requests.iter().any(|t| t == "refresh_token"),
                "the expired token was refreshed"
            );
        }
        let audit = last_sent_audit(&s).await;
        assert_eq!(audit["via"], "microsoft_graph", "{audit}");
        assert_eq!(
            audit["message_id"].as_str(),
            Some(sent[0].internet_message_id.as_str())
        );
        assert!(smtp.messages().is_empty(), "nothing went out by SMTP");
        // No token reached the service's answers or the page.
        for t in microsoft.state().tokens_of(REP) {
            assert!(!page.contains(&t));
        }
        s.stop().await;
        db.finish().await;
    }
);
