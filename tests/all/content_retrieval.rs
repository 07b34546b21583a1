//! The content chain end to end: `baton serve` on loopback with the shipped
//! `sequences/content_retrieval.toml` (and the meeting chain that queues
//! it), the demo CRM and content library, a content folder holding the
//! security pack, and a real SMTP server. The demo call's ask for "the
//! security documentation" becomes a draft at a confirm gate with the
//! security pack attached; approved, the pack reaches
//! the SMTP server as an attachment. A request nothing fits drafts
//! nothing and says why; a file name reaching out of the content folder is
//! refused at the gate and at send time.

use baton::store::JobId;
use baton_tests::server::{Server, Setup, env, start};
use baton_tests::{Backend, PATIENCE, SmtpSink, TestDb, backend_test, poll, root, until};
use serde_json::{Value, json};

const MEETING_SKILLS: [&str; 9] = [
    "extract-action-items",
    "detect-intents",
    "suggest-next-actions",
    "draft-followup-email",
    "update-crm-from-meeting",
    "create-tasks-from-actions",
    "notify-slack-summary",
    "coaching-analysis",
    "notify-coaching-feedback",
];

fn read(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A content folder with the demo's security pack, a file beside it (not in
/// it), and a link in it pointing at that file.
fn content_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let folder = dir.path().join("content");
    std::fs::create_dir(&folder).expect("mkdir");
    std::fs::copy(
        root().join("examples/content/security-pack.pdf"),
        folder.join("security-pack.pdf"),
    )
    .expect("copy the pack");
    std::fs::write(dir.path().join("outside.txt"), "not for sending").expect("write");
    std::os::unix::fs::symlink(dir.path().join("outside.txt"), folder.join("notes.pdf"))
        .expect("symlink");
    dir
}

/// The service with both sequences, the demo imported as `acme` and quiet
/// hours off for rep1.
async fn serve(db: &TestDb, smtp: &SmtpSink, content: &std::path::Path) -> Server {
    let meeting = read("sequences/meeting_ended.toml");
    let sequence = read("sequences/content_retrieval.toml");
    let mut skills = MEETING_SKILLS.to_vec();
    skills.extend(["find-content", "draft-content-email"]);
    let s = start(
        db.store.clone(),
        Setup {
            sequences: &[&meeting, &sequence],
            skills: &skills,
            env: env(&[
                ("BATON_SMTP_URL", &format!("smtp://127.0.0.1:{}", smtp.port)),
                ("BATON_CONTENT_DIR", &content.display().to_string()),
            ]),
            ..Setup::default()
        },
    )
    .await;
    let mut demo: Value = serde_json::from_str(&read("examples/demo.json")).expect("demo JSON");
    demo["org"]["slug"] = json!("acme");
    let (status, imported) = s.post("/v1/crm/import", demo).await;
    assert_eq!(status, 200, "{imported}");
    // Six items for prospects, and the Gainsight battlecard for the rep.
    assert_eq!(imported["content_items"], 7, "{imported}");
    let mut prefs = s
        .app
        .store()
        .preferences(&s.org, &s.user)
        .await
        .expect("prefs");
    prefs.quiet_start_min = None;
    prefs.quiet_end_min = None;
    s.app
        .store()
        .set_preferences(&s.org, &s.user, &prefs)
        .await
        .expect("prefs");
    s
}

/// The demo call as rep1; the `content_retrieval` job it queued.
async fn demo_call_content_job(s: &Server) -> String {
    let (parent, _) = crate::meeting_ended::post_demo_call(s).await;
    let child = poll(PATIENCE, async || {
        let children = s
            .app
            .store()
            .children(&s.org, &JobId::from(parent.as_str()))
            .await
            .ok()?;
        for c in children {
            let (_, job) = s.get(&format!("/v1/jobs/{c}")).await;
            if job["event_type"] == "content_retrieval" {
                return Some(c.to_string());
            }
        }
        None
    })
    .await;
    child.unwrap_or_else(|| panic!("the demo call queued no content_retrieval job"))
}

backend_test!(
    the_demo_call_s_security_pack_arrives_attached_once_approved,
    |backend: Backend| async move {
        let smtp = SmtpSink::start();
        let content = content_folder();
        let db = TestDb::new(backend).await;
        let s = serve(&db, &smtp, &content.path().join("content")).await;
        let job = demo_call_content_job(&s).await;
        let gate = s.open_gate(&job).await;
        assert_eq!(gate["step_name"], "draft-content-email");
        let found = s.step_data(&job, "find-content").await;
        let ids: Vec<&str> = found["matched"]
            .as_array()
            .expect("matched")
            .iter()
            .filter_map(|m| m["id"].as_str())
            .collect();
        // The call's ask: "He'll want your security questionnaire … Could
        // you send me the security documentation?"
        assert!(
            found["request"]
                .as_str()
                .is_some_and(|r| r.contains("security documentation")),
            "{found:#}"
        );
        assert_eq!(ids, ["security-pack"], "{found:#}");

        let email = &gate["body"]["actions"][0]["payload"];
        assert_eq!(email["to"], "marta.ruiz@northwind.example");
        assert_eq!(
            email["attachments"],
            json!([{ "file": "security-pack.pdf", "title": "Security pack" }])
        );
        let body = email["body"].as_str().expect("body");
        assert!(body.starts_with("Hi Marta,"), "{body}");
        assert!(body.contains("- Security pack (attached)"), "{body}");

        let (status, _) = s
            .post(
                &format!(
                    "/v1/approvals/{}/decision",
                    gate["id"].as_str().expect("id")
                ),
                json!({ "decision": "approved" }),
            )
            .await;
        assert_eq!(status, 200);
        until("the email reaches the SMTP server", PATIENCE, async || {
            !smtp.messages().is_empty()
        })
        .await;
        let mail = smtp.messages();
        assert_eq!(mail.len(), 1, "one email");
        assert_eq!(mail[0]["rcpt_tos"], json!(["marta.ruiz@northwind.example"]));
        let data = mail[0]["data"].as_str().expect("data");
        assert!(data.contains("multipart/mixed"), "{data}");
        assert!(data.contains("Content-Disposition: attachment"), "{data}");
        assert!(data.contains("security-pack.pdf"), "{data}");
        assert!(data.contains("Content-Type: application/pdf"), "{data}");
        // The PDF's first bytes, base64: `%PDF-1.4`.
        assert!(data.contains("JVBERi0xLjQ"), "the file itself: {data}");
        let view = s
            .wait_job(&job, |j| j["effects"][0]["status"] == "delivered")
            .await;
        assert_eq!(view["status"], "completed");
        s.stop().await;
        db.finish().await;
    }
);

backend_test!(
    a_request_nothing_fits_drafts_no_email_and_says_why,
    |backend: Backend| async move {
        let smtp = SmtpSink::start();
        let content = content_folder();
        let db = TestDb::new(backend).await;
        let s = serve(&db, &smtp, &content.path().join("content")).await;
        let (status, accepted) = s
            .post(
                "/v1/events",
                json!({ "type": "content_retrieval", "user": "rep1", "payload": {
                    "meeting_id": "m-roadmap", "contact_email": "marta.ruiz@northwind.example",
                    "request": "I'll send over the integration roadmap next week.",
                    "trigger_phrase": "send over the integration roadmap"
                }}),
            )
            .await;
        assert_eq!(status, 202, "{accepted}");
        let job = accepted["job_id"].as_str().expect("job").to_owned();
        let view = s.wait_job(&job, |j| j["status"] == "completed").await;
        let found = s.step_data(&job, "find-content").await;
        assert_eq!(found["matched"], json!([]));
        assert_eq!(
            found["reason"],
            "nothing in the content library is about integration"
        );
        assert_eq!(
            view["steps"]["draft-content-email"]["status"], "skipped",
            "{view:#}"
        );
        assert_eq!(view["effects"], json!([]));
        assert_eq!(view["approvals"], json!([]));
        assert!(smtp.messages().is_empty());
        s.stop().await;
        db.finish().await;
    }
);

backend_test!(
    an_attachment_reaching_out_of_the_content_folder_is_refused,
    |backend: Backend| async move {
        let smtp = SmtpSink::start();
        let content = content_folder();
        let db = TestDb::new(backend).await;
        let s = serve(&db, &smtp, &content.path().join("content")).await;
        let (status, accepted) = s
            .post(
                "/v1/events",
                json!({ "type": "content_retrieval", "user": "rep1", "payload": {
                    "meeting_id": "m-sec", "contact_email": "marta.ruiz@northwind.example",
                    "request": "Could you send your security questionnaire answers?"
                }}),
            )
            .await;
        assert_eq!(status, 202, "{accepted}");
        let job = accepted["job_id"].as_str().expect("job").to_owned();
        let gate = s.open_gate(&job).await;
        let decide = format!(
            "/v1/approvals/{}/decision",
            gate["id"].as_str().expect("id")
        );
        let mut edited = gate["body"]["actions"][0]["payload"].clone();
        assert_eq!(edited["attachments"][0]["file"], "security-pack.pdf");

        // A path out of the folder is refused at the gate, naming it.
        edited["attachments"] = json!([{ "file": "../outside.txt", "title": "Notes" }]);
        let (status, problem) = s
            .post(&decide, json!({ "decision": "edited", "value": edited }))
            .await;
        assert!((400..500).contains(&status), "{status}: {problem}");
        assert!(problem.to_string().contains("../outside.txt"), "{problem}");

        // A plain name that is a link out of the folder passes the gate, and
        // the sender refuses it: nothing reaches the SMTP server.
        edited["attachments"] = json!([{ "file": "notes.pdf", "title": "Notes" }]);
        let (status, decided) = s
            .post(&decide, json!({ "decision": "edited", "value": edited }))
            .await;
        assert_eq!(status, 200, "{decided}");
        let view = s
            .wait_job(&job, |j| j["effects"][0]["status"] == "failed")
            .await;
        let error = view["effects"][0]["last_error"].as_str().expect("error");
        assert!(error.contains("notes.pdf"), "{error}");
        assert!(smtp.messages().is_empty(), "nothing was sent");
        s.stop().await;
        db.finish().await;
    }
);
