//! The web approval inbox in a real browser: Debian's headless Chromium,
//! driven through ChromeDriver. The rep signs in with the org token, opens
//! the waiting follow-up, edits the draft, approves it, watches the job
//! resume, and the edited email reaches a real SMTP server.

use baton::store::Preferences;
use baton_tests::browser::Browser;
use baton_tests::server::{Setup, env, start};
use baton_tests::{PATIENCE, SmtpSink, TestDb, poll};
use fantoccini::Locator;

/// On SQLite only: this is about the browser and the inbox's pages; the
/// decisions they make are tested on both backends through the API.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rep_edits_and_approves_a_draft_in_the_browser_and_the_email_is_sent() {
    let smtp = SmtpSink::start();
    let db = TestDb::sqlite().await;
    let s = start(
        db.store.clone(),
        Setup {
            env: env(&[("BATON_SMTP_URL", &format!("smtp://127.0.0.1:{}", smtp.port))]),
            ..Setup::default()
        },
    )
    .await;
    let prefs = Preferences {
        email_signature: Some("Jordan Avery".into()),
        ..Preferences::default()
    };
    s.app
        .store()
        .set_preferences(&s.org, &s.user, &prefs)
        .await
        .expect("prefs");
    let (_, first) = s.event("m-browser").await;
    let job = first["job_id"].as_str().expect("job").to_owned();
    s.open_gate(&job).await;

    let c = Browser::start(1280, 900).await;

    // Unsigned: the login form. A wrong token is refused with a message.
    c.goto(&s.url("/inbox")).await.expect("open the inbox");
    c.find(Locator::Css("#token"))
        .await
        .expect("token field")
        .send_keys("bt_wrong")
        .await
        .expect("type");
    c.find(Locator::Css("button[type=submit]"))
        .await
        .expect("sign in")
        .click()
        .await
        .expect("click");
    // A click returns before the next page loads: wait for what it shows.
    let error = c
        .wait()
        .for_element(Locator::Css(".error"))
        .await
        .expect("an error")
        .text()
        .await
        .expect("text");
    assert!(error.contains("not valid"), "{error}");
    c.find(Locator::Css("#token"))
        .await
        .expect("token field")
        .send_keys(&s.token)
        .await
        .expect("type");
    c.find(Locator::Css("button[type=submit]"))
        .await
        .expect("sign in")
        .click()
        .await
        .expect("click");

    // The waiting follow-up, with its preview.
    let link = c
        .wait()
        .for_element(Locator::Css("#approvals a"))
        .await
        .expect("an approval is listed");
    assert!(
        link.text()
            .await
            .expect("text")
            .contains("Follow-up email to Marta")
    );
    link.click().await.expect("open it");
    let preview = c
        .find(Locator::Css("pre.body"))
        .await
        .expect("the draft")
        .text()
        .await
        .expect("text");
    assert!(preview.contains("Thanks for today."), "{preview}");

    // Edit the draft and approve it.
    c.find(Locator::Css("#edit summary"))
        .await
        .expect("edit")
        .click()
        .await
        .expect("open edit");
    let subject = c
        .find(Locator::Css("#subject"))
        .await
        .expect("subject field");
    subject.clear().await.expect("clear");
    subject
        .send_keys("Next steps, as promised")
        .await
        .expect("type");
    let body = c.find(Locator::Css("#body")).await.expect("body field");
    body.clear().await.expect("clear");
    body.send_keys("Hi Marta,\n\nHere is the pricing we discussed.")
        .await
        .expect("type");
    c.find(Locator::Css("#approve-edited"))
        .await
        .expect("approve")
        .click()
        .await
        .expect("click");

    // The job page: it resumes and completes; its email goes out.
    let page = s.url(&format!("/inbox/jobs/{job}"));
    let resumed = poll(PATIENCE, async || {
        c.goto(&page).await.expect("job page");
        // The page reloads itself while the job moves: an element missing
        // or gone stale mid-reload is looked for again on the next round.
        let status = match c.find(Locator::Css("#job-status")).await {
            Ok(e) => e.text().await.unwrap_or_default(),
            Err(_) => return None,
        };
        let delivered = match c.find(Locator::Css(".effect-status")).await {
            Ok(e) => e.text().await.unwrap_or_default().starts_with("Sent "),
            Err(_) => false,
        };
        (status == "completed" && delivered).then_some(())
    })
    .await;
    assert!(
        resumed.is_some(),
        "the job resumed after the decision and its email went out"
    );
    let mail = smtp.messages();
    assert_eq!(mail.len(), 1, "one email reached the SMTP server");
    let data = mail[0]["data"].as_str().expect("data");
    assert!(data.contains("Subject: Next steps, as promised"), "{data}");
    assert!(data.contains("Here is the pricing we discussed."), "{data}");
    assert!(data.contains("Jordan Avery"), "{data}");
    let gate = s
        .app
        .store()
        .pending_actions(
            &s.org,
            &baton::store::Reach::Org,
            Some(baton::store::GateStatus::Decided),
            10,
        )
        .await
        .expect("gates");
    assert_eq!(gate[0].decided_by.as_deref(), Some("inbox:token:tests"));
    c.close().await;
    s.stop().await;
    db.finish().await;
}

/// With JavaScript off the inbox works the same: the list links to each
/// draft, a click on Approve posts the form, the edit disclosure opens and
/// its form posts the edited draft. Only the keys (and their hint) are gone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_javascript_a_rep_still_approves_and_edits() {
    let db = TestDb::sqlite().await;
    let s = start(db.store.clone(), Setup::default()).await;
    let mut jobs = Vec::new();
    for meeting in ["m-nojs-1", "m-nojs-2"] {
        let (_, accepted) = s.event(meeting).await;
        let job = accepted["job_id"].as_str().expect("job").to_owned();
        s.open_gate(&job).await;
        jobs.push(job);
    }
    let c = Browser::without_javascript(1280, 900).await;
    c.goto(&s.url(&s.magic_link().await))
        .await
        .expect("sign in");
    for (n, edit) in [(0, false), (1, true)] {
        c.goto(&s.url("/inbox")).await.expect("the list");
        assert!(
            c.find(Locator::Css(".keys-hint")).await.is_err(),
            "no script ran"
        );
        let open = c
            .find_all(Locator::Css("#approvals .item a.open"))
            .await
            .expect("items");
        assert_eq!(open.len(), 2 - n, "one item fewer after each decision");
        open[0].click().await.expect("open the first");
        c.wait()
            .for_element(Locator::Css("#title"))
            .await
            .expect("its page");
        let gate = c
            .current_url()
            .await
            .expect("url")
            .path()
            .trim_start_matches("/inbox/approvals/")
            .to_owned();
        if edit {
            c.find(Locator::Css("#edit summary"))
                .await
                .expect("edit")
                .click()
                .await
                .expect("open the editor");
            let body = c.find(Locator::Css("#body")).await.expect("body");
            body.clear().await.expect("clear");
            body.send_keys("Hi Marta,\n\nWritten with scripts off.")
                .await
                .expect("type");
            c.find(Locator::Css("#approve-edited"))
                .await
                .expect("approve edited")
                .click()
                .await
                .expect("click");
        } else {
            c.find(Locator::Css("#approve"))
                .await
                .expect("approve")
                .click()
                .await
                .expect("click");
        }
        let decided = poll(PATIENCE, async || {
            let g = s
                .app
                .store()
                .pending_action(&s.org, &gate.as_str().into())
                .await
                .ok()??;
            g.decision
        })
        .await
        .expect("the form's decision landed");
        if edit {
            assert_eq!(decided["decision"], "edited", "{decided:#}");
            assert_eq!(
                decided["value"]["body"], "Hi Marta,\n\nWritten with scripts off.",
                "{decided:#}"
            );
        } else {
            assert_eq!(decided["decision"], "approved", "{decided:#}");
        }
    }
    c.close().await;
    s.stop().await;
    db.finish().await;
}
