//! Send later through `baton serve`: the rep approves a follow-up with
//! "Send at…" (a local time in their zone), the email waits in the outbox,
//! shows as scheduled on the gate, survives a restart of the service and
//! leaves at its time — inside the rep's quiet hours, which hold
//! notifications, not email the rep timed. A scheduled send is cancelled
//! from the inbox and never leaves. Bad times are refused by name (422)
//! and decide nothing.

use baton::store::Preferences;
use baton_tests::server::{Server, Setup, T0, env, start};
use baton_tests::{PATIENCE, SmtpSink, TestDb, backend_test, until};
use serde_json::json;

const HOUR: i64 = 3_600_000;

/// T0 is Monday 23 November 2026, 15:00 UTC: 10:00 in New York.
const AT_14_NY: &str = "2026-11-23T14:00";
/// 14:00 in New York, as Unix ms.
const AT_14_NY_MS: i64 = T0 + 4 * HOUR;

async fn serve(db: &TestDb, smtp: &SmtpSink) -> Server {
    start(
        db.store.clone(),
        Setup {
            env: env(&[("BATON_SMTP_URL", &format!("smtp://127.0.0.1:{}", smtp.port))]),
            ..Setup::default()
        },
    )
    .await
}

/// A follow-up's gate, opened; returns (job id, gate id).
async fn gate(s: &Server, meeting: &str) -> (String, String) {
    let (_, first) = s.event(meeting).await;
    let job = first["job_id"].as_str().expect("job").to_owned();
    let g = s.open_gate(&job).await;
    (job, g["id"].as_str().expect("gate").to_owned())
}

backend_test!(
    an_email_sent_later_waits_survives_a_restart_and_leaves_at_its_time,
    |backend| async move {
        let smtp = SmtpSink::start();
        let db = TestDb::new(backend).await;
        let s = serve(&db, &smtp).await;
        // The rep is in New York, with quiet hours over the send time.
        let prefs = Preferences {
            timezone: "America/New_York".into(),
            quiet_start_min: Some(13 * 60),
            quiet_end_min: Some(15 * 60),
            ..Preferences::default()
        };
        s.app
            .store()
            .set_preferences(&s.org, &s.user, &prefs)
            .await
            .expect("prefs");
        let cookie = s.rep_login().await;
        let (job, id) = gate(&s, "m-later").await;
        let path = format!("/inbox/approvals/{id}");
        let (status, page) = s.inbox_get(&cookie, &path).await;
        assert_eq!(status, 200);
        assert!(page.contains("Send at…"), "the gate offers Send at: {page}");
        // A time typed but "Approve edited" pressed (no `later`): sent now.
        // (Checked on the page's own forms: only the scheduling buttons
        // carry `later`.)
        assert!(page.contains(r#"name="later" value="1""#), "{page}");

        // Nonsense and the past are named, and decide nothing.
        for (bad, says) in [
            ("", "Choose when to send it"),
            ("next week-ish", "not a date and time"),
            ("2026-11-23T09:00", "has passed"),
            ("2027-02-01T09:00", "more than 30 days"),
        ] {
            let (status, page) = s
                .inbox_post(
                    &cookie,
                    &path,
                    &[("decision", "approve"), ("later", "1"), ("send_at", bad)],
                )
                .await;
            assert_eq!(status, 422, "{bad}: {page}");
            assert!(page.contains(says), "{bad} → {says}: {page}");
        }
        let (status, _) = s
            .inbox_post(
                &cookie,
                &path,
                &[
                    ("decision", "approve"),
                    ("later", "1"),
                    ("send_at", AT_14_NY),
                ],
            )
            .await;
        assert_eq!(status, 303, "approved to send at 14:00 New York");
        let j = s
            .wait_job(&job, |j| j["effects"][0]["status"] == "pending")
            .await;
        assert_eq!(j["effects"][0]["not_before"], AT_14_NY_MS, "{j:#}");
        let (_, page) = s.inbox_get(&cookie, &path).await;
        assert!(
            page.contains("Scheduled: sends") && page.contains("Cancel send"),
            "the gate shows the scheduled send: {page}"
        );
        s.clock.advance(3 * HOUR);
        s.stop().await;
        assert!(smtp.messages().is_empty(), "nothing left before its time");

        // A new process over the same database: the email still waits, and
        // leaves once its time comes (in the rep's quiet hours).
        let s = serve(&db, &smtp).await;
        s.clock.advance(3 * HOUR + 30 * 60_000);
        assert!(smtp.messages().is_empty(), "13:30 New York: still waiting");
        s.clock.advance(31 * 60_000);
        until("the email leaves at its time", PATIENCE, async || {
            !smtp.messages().is_empty()
        })
        .await;
        s.wait_job(&job, |j| j["effects"][0]["status"] == "delivered")
            .await;
        assert_eq!(smtp.messages().len(), 1, "sent once");
        s.stop().await;
        db.finish().await;
    }
);

backend_test!(
    a_scheduled_send_is_cancelled_from_the_inbox_and_never_leaves,
    |backend| async move {
        let smtp = SmtpSink::start();
        let db = TestDb::new(backend).await;
        let s = serve(&db, &smtp).await;
        let cookie = s.rep_login().await;
        let (job, id) = gate(&s, "m-cancel").await;
        // By the API: a time with its offset; bad ones are 422s.
        let (status, bad) = s
            .post(
                &format!("/v1/approvals/{id}/decision"),
                json!({ "decision": "approved", "send_at": "tomorrow" }),
            )
            .await;
        assert_eq!(status, 422, "{bad}");
        assert!(
            bad["detail"].as_str().unwrap_or("").contains("send_at"),
            "{bad}"
        );
        let (status, bad) = s
            .post(
                &format!("/v1/approvals/{id}/decision"),
                json!({ "decision": "skipped", "send_at": "2026-11-24T09:00:00Z" }),
            )
            .await;
        assert_eq!(status, 422, "a time goes with an approval: {bad}");
        let (status, decided) = s
            .post(
                &format!("/v1/approvals/{id}/decision"),
                json!({ "decision": "approved", "send_at": "2026-11-24T09:00:00-05:00" }),
            )
            .await;
        assert_eq!(status, 200, "{decided}");
        let j = s
            .wait_job(&job, |j| j["effects"][0]["status"] == "pending")
            .await;
        let effect = j["effects"][0]["id"].as_str().expect("effect").to_owned();
        assert_eq!(
            j["effects"][0]["not_before"],
            T0 + 23 * HOUR,
            "09:00 in UTC−5 the next day"
        );
        let (status, _) = s
            .inbox_post(
                &cookie,
                &format!("/inbox/effects/{effect}/cancel"),
                &[("back", "/inbox")],
            )
            .await;
        assert_eq!(status, 303);
        s.clock.advance(24 * HOUR);
        let j = s
            .wait_job(&job, |j| j["effects"][0]["status"] == "cancelled")
            .await;
        assert_eq!(j["effects"][0]["delivered_at"], serde_json::Value::Null);
        // The outbox has had its chance to send: it sent nothing.
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        assert!(smtp.messages().is_empty(), "a cancelled send never leaves");
        s.stop().await;
        db.finish().await;
    }
);
