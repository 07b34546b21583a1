//! Capability denials are stored with the job: a skill that reads a context
//! tier it was not granted fails its step, and the job as the API and
//! `baton jobs show` and the inbox present it lists the denial (the capability and the
//! fix, nothing the skill held).

use baton::registry::Grants;
use baton_tests::server::{Setup, start};
use baton_tests::{TestDb, backend_test, baton_bin};
use serde_json::json;

const DENIED: &str = r#"
event = "denied_test"
[[step]]
name = "reads_contact"
skill = "denied-capability"
context = ["org", "contact"]
"#;

backend_test!(
    a_denied_capability_is_shown_with_its_job,
    |backend| async move {
        let db = TestDb::new(backend).await;
        // It declares context:org and context:contact; only the first is granted.
        let grants = Grants::parse("[skills.denied-capability]\ngrant = [\"context:org\"]\n")
            .expect("grants");
        let s = start(
            db.store.clone(),
            Setup {
                sequences: &[DENIED],
                guests: &["denied-capability"],
                grants,
                ..Setup::default()
            },
        )
        .await;
        let (status, sent) = s
            .post(
                "/v1/events",
                json!({ "type": "denied_test", "user": "rep1", "payload": { "n": 1 } }),
            )
            .await;
        assert!(status < 300, "{status} {sent}");
        let id = sent["job_id"].as_str().expect("job id").to_owned();
        let job = s
            .wait_job(&id, |j| {
                j["denials"].as_array().is_some_and(|d| !d.is_empty())
            })
            .await;
        let denials = job["denials"].as_array().expect("denials");
        assert_eq!(denials.len(), 1, "{job:#}");
        let d = &denials[0];
        assert_eq!(
            (
                &d["step_name"],
                &d["step_index"],
                &d["attempt"],
                &d["skill_name"],
                &d["capability"]
            ),
            (
                &json!("reads_contact"),
                &json!(0),
                &json!(1),
                &json!("denied-capability"),
                &json!("context:contact")
            ),
            "{d:#}"
        );
        let message = d["message"].as_str().expect("message");
        assert!(
            message.contains("grants.toml"),
            "the message names the fix: {message}"
        );

        // The CLI shows the same job the same way.
        let out = std::process::Command::new(baton_bin())
            .args(["jobs", "show", &id, "--org", "acme", "--database", &db.url])
            .output()
            .expect("baton jobs show");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            text.contains("denied step 0 attempt 1") && text.contains("context:contact"),
            "{text}"
        );

        // So does the inbox's job page.
        let cookie = s.inbox_login(&s.token).await;
        let page = s
            .http
            .get(s.url(&format!("/inbox/jobs/{id}")))
            .header("cookie", cookie)
            .send()
            .await
            .expect("GET the job page")
            .text()
            .await
            .expect("html");
        assert!(
            page.contains("Denied capabilities") && page.contains("context:contact"),
            "{page}"
        );

        // Another org sees no such job, let alone its denials.
        let other = db
            .store
            .upsert_org("globex", "Globex", &json!({}))
            .await
            .expect("org");
        assert!(
            db.store
                .denials(&other, &baton::store::JobId::from(id.as_str()))
                .await
                .expect("denials")
                .is_empty()
        );
        s.stop().await;
        db.finish().await;
    }
);
