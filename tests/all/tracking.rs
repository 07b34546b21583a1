//! Open and click tracking through `baton serve`, off by default: an org
//! that never turned it on sends the text the rep approved and nothing
//! else. Turned on (`PUT /v1/tracking`, audited), a sent email gains an
//! HTML alternative whose links go through `/t/c/{token}` and which loads
//! a pixel from `/t/o/{token}`; the text part is unchanged. A person's
//! first open and first click are activities on the deal (its page shows
//! them); a link-preview robot, `HEAD` and a repeat record nothing; an
//! unknown token is a 404; a click goes on to the link the rep wrote.

use baton::store::{CrmTables, NewDeal};
use baton_tests::server::{Server, Setup, T0, env, start};
use baton_tests::{PATIENCE, SmtpSink, TestDb, backend_test, until};
use mail_parser::MimeHeaders;
use serde_json::{Value, json};

const MARTA: &str = "marta.ruiz@northwind.example";
const LINK: &str = "https://northwind.example/pilot-plan?v=2&who=ops";

/// Marta at Northwind and her open deal, owned by the rep; the deal's id.
async fn crm(s: &Server) -> String {
    let store = s.app.store();
    let company = store
        .upsert_company(&s.org, "Northwind", Some("northwind.example"), None, None)
        .await
        .expect("company");
    let contact = store
        .upsert_contact(&s.org, Some(&company), "Marta Ruiz", MARTA, None)
        .await
        .expect("contact");
    store
        .insert_deal(
            &s.org,
            &NewDeal {
                company_id: Some(&company),
                contact_id: Some(&contact),
                name: "Northwind pilot",
                stage: "discovery",
                currency: "USD",
                owner: Some(&s.user),
                ..NewDeal::default()
            },
            T0,
        )
        .await
        .expect("deal")
}

/// A follow-up to Marta with `LINK` in it, approved; waits until the SMTP
/// server has `n` messages and returns the newest, parsed.
async fn send(s: &Server, smtp: &SmtpSink, meeting: &str, n: usize) -> String {
    let (_, first) = s.event(meeting).await;
    let job = first["job_id"].as_str().expect("job").to_owned();
    let gate = s.open_gate(&job).await;
    let email = json!({ "to": MARTA, "subject": "Pilot plan",
        "body": format!("Hi Marta,\n\nThe plan is here: {LINK}.\n\nJordan") });
    let (status, _) = s
        .post(
            &format!(
                "/v1/approvals/{}/decision",
                gate["id"].as_str().expect("id")
            ),
            json!({ "decision": "edited", "value": email }),
        )
        .await;
    assert_eq!(status, 200);
    until("the email is sent", PATIENCE, async || {
        smtp.messages().len() >= n
    })
    .await;
    smtp.messages()[n - 1]["data"]
        .as_str()
        .expect("data")
        .to_owned()
}

/// The text part of a raw message, and its HTML part if it has one.
fn parts(raw: &str) -> (String, Option<String>) {
    let m = mail_parser::MessageParser::default()
        .parse(raw.as_bytes())
        .expect("a message");
    let text = m.body_text(0).map(|t| t.into_owned()).unwrap_or_default();
    let html = m
        .parts
        .iter()
        .find(|p| p.is_content_type("text", "html"))
        .and_then(|p| p.text_contents())
        .map(str::to_owned);
    (text, html)
}

/// The first `href`/`src` in `html` under `path`.
fn tracked_url(html: &str, path: &str) -> String {
    let at = html
        .find(path)
        .unwrap_or_else(|| panic!("{path} in {html}"));
    let start = html[..at].rfind('"').expect("an attribute") + 1;
    let end = at + html[at..].find('"').expect("its end");
    html[start..end].replace("&amp;", "&")
}

async fn activities(s: &Server, deal: &str) -> Vec<Value> {
    s.app
        .store()
        .deal_activities(&s.org, deal, 50)
        .await
        .expect("activities")
        .into_iter()
        .map(|a| json!({ "kind": a.kind, "summary": a.summary }))
        .collect()
}

fn count(list: &[Value], kind: &str) -> usize {
    list.iter().filter(|a| a["kind"] == kind).count()
}

backend_test!(
    tracking_is_off_until_the_org_turns_it_on_and_counts_people_not_robots,
    |backend| async move {
        let smtp = SmtpSink::start();
        let db = TestDb::new(backend).await;
        let s = start(
            db.store.clone(),
            Setup {
                env: env(&[("BATON_SMTP_URL", &format!("smtp://127.0.0.1:{}", smtp.port))]),
                ..Setup::default()
            },
        )
        .await;
        let deal = crm(&s).await;
        let (status, off) = s.get("/v1/tracking").await;
        assert_eq!(
            (status, off),
            (200, json!({ "opens": false, "clicks": false }))
        );

        // Off: the text as approved, nothing else.
        let raw = send(&s, &smtp, "m-1", 1).await;
        let (text, html) = parts(&raw);
        assert!(html.is_none(), "no HTML part while tracking is off: {raw}");
        assert!(text.contains(LINK), "{text}");
        assert!(!raw.contains("/t/o/") && !raw.contains("/t/c/"), "{raw}");

        let (status, bad) = s.put("/v1/tracking", json!({ "opens": "yes" })).await;
        assert_eq!(status, 422, "{bad}");
        let (status, on) = s
            .put("/v1/tracking", json!({ "opens": true, "clicks": true }))
            .await;
        assert_eq!(
            (status, &on),
            (200, &json!({ "opens": true, "clicks": true }))
        );
        let audit = s.app.store().audit_log(&s.org, 10).await.expect("audit");
        assert!(audit.iter().any(|a| a.kind == "tracking_changed"));

        // On: the same text, and HTML with a wrapped link and a pixel.
        let raw = send(&s, &smtp, "m-2", 2).await;
        let (text, html) = parts(&raw);
        assert!(text.contains(LINK), "the text part is as approved: {text}");
        let html = html.unwrap_or_else(|| panic!("an HTML part: {raw}"));
        assert!(html.contains("The plan is here: "), "{html}");
        let pixel = tracked_url(&html, "/t/o/");
        let click = tracked_url(&html, "/t/c/");
        assert!(
            pixel.starts_with(&s.base) && click.starts_with(&s.base),
            "{pixel} {click}"
        );

        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        let get = |url: &str, agent: &str| {
            http.get(url.to_owned())
                .header("user-agent", agent.to_owned())
                .send()
        };
        const BROWSER: &str =
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 Safari/605.1.15";
        // Robots and HEAD: the answer, nothing recorded.
        let r = get(
            &pixel,
            "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
        )
        .await
        .expect("robot");
        assert_eq!(r.status().as_u16(), 200);
        assert_eq!(r.headers()["content-type"], "image/gif");
        let r = http
            .head(&click)
            .header("user-agent", BROWSER)
            .send()
            .await
            .expect("head");
        assert_eq!(r.status().as_u16(), 302);
        let seen = activities(&s, &deal).await;
        assert_eq!(
            (count(&seen, "email_opened"), count(&seen, "link_clicked")),
            (0, 0),
            "{seen:?}"
        );

        // A person: one open, one click, however often.
        for _ in 0..2 {
            let r = get(&pixel, BROWSER).await.expect("open");
            assert_eq!(r.status().as_u16(), 200);
            assert_eq!(r.headers()["cache-control"], "no-store");
            let r = get(&click, BROWSER).await.expect("click");
            assert_eq!(r.status().as_u16(), 302);
            assert_eq!(
                r.headers()["location"],
                LINK,
                "on to the link the rep wrote"
            );
        }
        let seen = activities(&s, &deal).await;
        assert_eq!(count(&seen, "email_opened"), 1, "{seen:?}");
        assert_eq!(count(&seen, "link_clicked"), 1, "{seen:?}");
        assert_eq!(count(&seen, "email_sent"), 2, "{seen:?}");

        // Unknown or malformed: 404, nothing recorded.
        for bad in [
            "/t/o/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "/t/c/nope",
            "/t/c/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        ] {
            let r = get(&s.url(bad), BROWSER).await.expect("bad");
            assert_eq!(r.status().as_u16(), 404, "{bad}");
        }

        // The deal's page shows them.
        let cookie = s.rep_login().await;
        let (status, page) = s.inbox_get(&cookie, &format!("/inbox/deals/{deal}")).await;
        assert_eq!(status, 200);
        assert!(page.contains("Email activity"), "{page}");
        assert!(page.contains("Opened: Pilot plan"), "{page}");
        assert!(
            page.contains("Clicked a link (northwind.example) in: Pilot plan"),
            "{page}"
        );
        let (_, settings) = s.inbox_get(&cookie, "/inbox/settings").await;
        assert!(settings.contains("opens and clicks"), "{settings}");
        s.stop().await;
        db.finish().await;
    }
);
