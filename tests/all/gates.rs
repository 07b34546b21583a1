//! A confirm gate with the sales app on the engine's seam: the policy gates
//! a proposed email and the job parks under the title the app's words give
//! it; an edit resumes it (the engine's own gate tests, with no app, are in
//! the engine's test binary).

use baton::orchestrator::Decider;
use baton::runtime::Decision;
use baton::store::{ActionKind, JobStatus, Pattern, Store};
use baton_testkit::engine::{T0, harness_with, meta};
use baton_tests::store_test;
use serde_json::json;

store_test!(
    a_gate_parks_the_job_and_an_edit_resumes_it,
    |store: Store| async move {
        // With the sales app, whose words name the gate.
        let h = harness_with(
        store,
        &[r#"
event = "meeting_ended"
dedupe_key = "meeting_id"

[[step]]
name = "extract"
skill = "scripted"
context = ["org"]

[[step]]
# Proposes an email with no approval declared: the policy adds the gate.
name = "draft"
skill = "scripted"
context = ["org", "contact"]
params = { actions = [{ kind = "email_send", preview = "Next steps", payload = { to = "marta@northwind.example", subject = "Next steps", body = "Draft" } }] }

[[step]]
name = "summary"
skill = "scripted"
"#],
        baton::sales::extensions(),
    )
    .await;
        let id = h
            .send("meeting_ended", json!({ "meeting_id": "m-1" }))
            .await;
        h.orch.drain().await.expect("drain");
        let job = h.job(&id).await;
        assert_eq!(job.status, JobStatus::AwaitingApproval);
        assert_eq!(job.current_step, 1, "parked at the draft step");
        let gates = h.open_gates().await;
        assert_eq!(gates.len(), 1);
        assert_eq!(gates[0].pattern, Pattern::Confirm);
        assert_eq!(gates[0].body["actions"][0]["kind"], "email_send");
        // The stored title is what a person reads (Slack, the inbox).
        assert_eq!(gates[0].title, "Email to marta@northwind.example");
        assert!(
            h.orch
                .store
                .effects(&h.org, Some(&id), 10)
                .await
                .expect("effects")
                .is_empty(),
            "nothing is queued before the decision"
        );
        assert_eq!(h.data_of(&id, "extract").await["saw_org"], true);

        // A decision that does not fit a confirm gate is refused.
        let wrong = h
            .orch
            .decide(
                &h.org,
                &gates[0].id,
                Decision::Chosen(0),
                &Decider::new("test", baton::store::Reach::Org),
            )
            .await;
        assert!(
            wrong
                .unwrap_err()
                .to_string()
                .contains("cannot take `choose`")
        );

        // An edit is a whole email: without its recipients it is refused.
        let headless = json!({ "subject": "Next steps (edited)", "body": "Better draft" });
        let refused = h
            .orch
            .decide(
                &h.org,
                &gates[0].id,
                Decision::Edited(headless),
                &Decider::new("rep1", baton::store::Reach::Org),
            )
            .await;
        assert!(refused.unwrap_err().to_string().contains("`to`"));
        let edited = json!({ "to": "marta@northwind.example", "subject": "Next steps (edited)",
                             "body": "Better draft" });
        h.orch
            .decide(
                &h.org,
                &gates[0].id,
                Decision::Edited(edited.clone()),
                &Decider::new("rep1", baton::store::Reach::Org),
            )
            .await
            .expect("decide");
        let again = h
            .orch
            .decide(
                &h.org,
                &gates[0].id,
                Decision::Approved,
                &Decider::new("test", baton::store::Reach::Org),
            )
            .await;
        assert!(
            again
                .unwrap_err()
                .to_string()
                .contains("already decided by rep1"),
            "deciding twice is refused"
        );
        h.clock.advance(1_000);
        h.orch.drain().await.expect("drain");
        let job = h.job(&id).await;
        assert_eq!(job.status, JobStatus::Completed, "{:?}", job.error);
        let effects = h
            .orch
            .store
            .effects(&h.org, Some(&id), 10)
            .await
            .expect("effects");
        assert_eq!(effects.len(), 1);
        assert_eq!(effects[0].kind, ActionKind::EmailSend);
        assert_eq!(
            effects[0].payload["payload"], edited,
            "the edit replaced the draft"
        );
        assert_eq!(
            effects[0].not_before,
            T0 + 1_000 + 30_000,
            "an approved email waits out the undo window"
        );
        assert_eq!(
            h.data_of(&id, "summary").await["previous"],
            json!(["extract", "draft"]),
            "later steps see earlier outputs"
        );
        let m = meta(&job);
        assert_eq!(m["steps_completed"], 3);
        assert_eq!(m["approval_gates_hit"], 1);
        assert!(m["cost_micros"].as_i64().expect("cost") > 0);
        // The undo window: cancel before delivery.
        h.orch
            .store
            .cancel_effect(&h.org, &effects[0].id)
            .await
            .expect("undo");
        let twice = h.orch.store.cancel_effect(&h.org, &effects[0].id).await;
        assert!(twice.unwrap_err().to_string().contains("is cancelled"));
    }
);
