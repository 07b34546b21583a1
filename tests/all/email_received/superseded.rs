//! A reply draft knows the message it answers: a newer message from the
//! same person withdraws it (superseded, with the reason), the newer one
//! gets its own draft, and a late approval of the old one is refused.

use super::{decide, receive_at, serve};
use baton_tests::server::Server;
use baton_tests::{Backend, TestDb, backend_test};
use serde_json::json;

/// Aisha writes `body` as message `id` at `at`; its job id.
async fn from_aisha(s: &Server, id: &str, body: &str, at: &str) -> String {
    let from = "Aisha Bello <aisha.bello@harbourfreight.example>";
    receive_at(s, id, from, "Re: security review", body, at).await
}

backend_test!(
    a_reply_draft_is_superseded_by_a_newer_message,
    |backend: Backend| async move {
        let db = TestDb::new(backend).await;
        let (s, peers) = serve(&db, 50, 0).await;
        let first = from_aisha(
            &s,
            "q1",
            "Does your EU region keep backups inside the EU?",
            "2026-11-23T09:12:00Z",
        )
        .await;
        let old = s.open_gate(&first).await;
        assert_eq!(old["basis"]["draft"], "reply", "{old:#}");

        // Twenty minutes later she writes again, before Jordan answered.
        let second = from_aisha(
            &s,
            "q2",
            "Also: can backups be restored into a second EU region? Our auditors ask.",
            "2026-11-23T09:32:00Z",
        )
        .await;
        let id = old["id"].as_str().expect("id");
        let (status, withdrawn) = s.get(&format!("/v1/approvals/{id}")).await;
        assert_eq!(status, 200, "{withdrawn}");
        assert_eq!(withdrawn["status"], "superseded", "{withdrawn:#}");
        assert_eq!(
            withdrawn["decision_note"],
            "a newer message arrived (Email received: Re: security review on 2026-11-23)"
        );
        let (status, refused) = decide(&s, &old, json!({ "decision": "approved" })).await;
        assert_eq!(status, 409, "{refused}");
        assert!(
            refused.to_string().contains("a newer message arrived"),
            "{refused}"
        );

        // The newer message has its own draft, which still holds.
        let new = s.open_gate(&second).await;
        assert_eq!(new["status"], "open");
        // In the inbox the withdrawn draft says why and offers "Redraft",
        // which leads to the reply to the newest message.
        let cookie = s.rep_login().await;
        let page_of = |id: &str| format!("/inbox/approvals/{id}");
        let (status, page) = s.inbox_get(&cookie, &page_of(id)).await;
        assert_eq!(status, 200);
        assert!(
            page.contains("Withdrawn: a newer message arrived") && page.contains(">Redraft<"),
            "{page}"
        );
        let r = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client")
            .post(s.url(&page_of(id)))
            .header("cookie", &cookie)
            .form(&[("redraft", "1")])
            .send()
            .await
            .expect("redraft");
        assert_eq!(r.status().as_u16(), 303, "to the newer draft");
        let new_id = new["id"].as_str().expect("id");
        assert_eq!(
            r.headers().get("location").and_then(|l| l.to_str().ok()),
            Some(page_of(new_id).as_str())
        );
        // A draft that still holds has nothing to redraft.
        let (status, page) = s
            .inbox_post(&cookie, &page_of(new_id), &[("redraft", "1")])
            .await;
        assert_eq!(status, 409, "{page}");
        assert!(page.contains("Only a reply withdrawn"), "{page}");
        let withdrawn = s.app.orch.supersede_moved_on(None).await.expect("a check");
        assert_eq!(withdrawn, 0, "nothing is newer than the second message");
        let (status, decided) = decide(&s, &new, json!({ "decision": "approved" })).await;
        assert_eq!(status, 200, "{decided}");
        let done = s.wait_job(&first, |j| j["status"] == "completed").await;
        assert_eq!(
            done["steps"]["draft-reply"]["status"], "skipped",
            "{done:#}"
        );
        baton_tests::until(
            "the newer reply reaches SMTP",
            baton_tests::PATIENCE,
            async || peers.smtp.messages().len() == 1,
        )
        .await;
        let data = peers.smtp.messages()[0]["data"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        assert!(
            data.contains("In-Reply-To: <q2@harbourfreight.example>"),
            "{data}"
        );
        s.stop().await;
        db.finish().await;
    }
);
