//! An emailed ask for what the content library holds goes to the content
//! chain: the reply drafter hands it to `content_retrieval`, which drafts
//! the email with the security pack attached, in the prospect's thread, at
//! a confirm gate — no holding reply. An ask for something the library
//! does not hold stays a reply draft.

use super::{child_of, decide, receive, serve};
use baton_tests::{PATIENCE, TestDb, backend_test, until};
use serde_json::json;

backend_test!(
    an_emailed_ask_for_the_security_pack_reaches_the_content_gate_with_the_attachment,
    |backend| async move {
        let db = TestDb::new(backend).await;
        let (s, peers) = serve(&db, 50, 0).await;
        let job = receive(
            &s,
            "c1",
            "Aisha Bello <aisha.bello@harbourfreight.example>",
            "Security review",
            "Thanks for the demo yesterday.\n\nCould you send me your security questionnaire answers \
             and the data processing agreement? Our IT team meets on Friday.",
        )
        .await;
        s.wait_job(&job, |j| {
            j["status"] != "pending" && j["status"] != "running"
        })
        .await;
        let found = s.step_data(&job, "find-content").await;
        assert_eq!(
            found["matched"].as_array().map(Vec::len),
            Some(2),
            "{found:#}"
        );
        let child = child_of(&s, &job).await;
        assert_eq!(
            s.step_data(&job, "classify-email-intent").await["intent"],
            "needs_response"
        );
        let reply = s.step_data(&job, "draft-reply").await;
        assert_eq!(reply["routed_to"], "content_retrieval", "{reply:#}");
        assert_eq!(reply["drafted"], false, "no holding reply: {reply:#}");
        assert_eq!(child.event_type, "content_retrieval");
        assert_eq!(
            child.payload["contact_email"],
            "aisha.bello@harbourfreight.example"
        );
        let request = child.payload["request"].as_str().unwrap_or_default();
        assert!(
            request.contains("security questionnaire") && !request.contains("IT team"),
            "the asking sentence only: {request}"
        );
        s.wait_job(&job, |j| j["status"] == "completed").await;
        let child_id = child.id.0.clone();
        let gate = s.open_gate(&child_id).await;
        let draft = &gate["body"]["actions"][0]["payload"];
        assert_eq!(draft["to"], "aisha.bello@harbourfreight.example");
        assert_eq!(draft["in_reply_to"], "<c1@harbourfreight.example>");
        assert_eq!(draft["subject"], "Re: Security review");
        assert_eq!(
            draft["attachments"][0]["file"], "security-pack.pdf",
            "{draft:#}"
        );
        let body = draft["body"].as_str().unwrap_or_default();
        assert!(body.contains("Data Processing Agreement"), "{body}");
        let (status, decided) = decide(&s, &gate, json!({ "decision": "approved" })).await;
        assert_eq!(status, 200, "{decided}");
        until("the pack reaches SMTP", PATIENCE, async || {
            !peers.smtp.messages().is_empty()
        })
        .await;
        let data = peers.smtp.messages()[0]["data"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        assert!(
            data.contains("In-Reply-To: <c1@harbourfreight.example>"),
            "{data}"
        );
        assert!(data.contains("security-pack.pdf"), "attached: {data}");

        // Asked for something the library does not hold: the reply is
        // drafted here, as for any question, and nothing is queued.
        let job = receive(
            &s,
            "c2",
            "Tom Reyes <tom.reyes@harbourfreight.example>",
            "Visit",
            "Could you send me the parking instructions for your office? We arrive at 9.",
        )
        .await;
        s.wait_job(&job, |j| j["status"] == "awaiting_approval")
            .await;
        let found = s.step_data(&job, "find-content").await;
        assert_eq!(found["matched"], json!([]), "{found:#}");
        let gate = s.open_gate(&job).await;
        let draft = &gate["body"]["actions"][0]["payload"];
        assert_eq!(draft["to"], "tom.reyes@harbourfreight.example");
        assert!(draft["attachments"].is_null(), "a plain reply: {draft:#}");
        let (_, j) = s.get(&format!("/v1/jobs/{job}")).await;
        assert_eq!(j["children"], json!([]), "no content chain: {j:#}");
        s.stop().await;
        db.finish().await;
    }
);
