//! Choose and batch gates keep what was picked; a gate a skill asks for
//! reruns the skill with the decision, a skip approves nothing, and the
//! skill may ask again.

use baton_engine::orchestrator::Decider;
use baton_engine::runtime::Decision;
use baton_engine::store::{JobStatus, Store};
use baton_testkit::engine::{harness, meta};
use baton_testkit::store_test;
use serde_json::json;

store_test!(
    a_skill_gate_reruns_the_skill_with_the_decision,
    |store: Store| async move {
        let h = harness(
            store,
            &[r#"
event = "ask"
[[step]]
skill = "scripted"
params = { gate = true }
"#],
        )
        .await;
        let id = h.send("ask", json!({ "n": 1 })).await;
        h.orch.drain().await.expect("drain");
        let gates = h.open_gates().await;
        assert_eq!((gates.len(), gates[0].kind.as_str()), (1, "skill"));
        h.orch
            .decide(
                &h.org,
                &gates[0].id,
                Decision::Edited(json!("new text")),
                &Decider::new("test", baton_engine::store::Reach::Org),
            )
            .await
            .expect("decide");
        h.orch.drain().await.expect("drain");
        assert_eq!(h.job(&id).await.status, JobStatus::Completed);
        assert_eq!(
            h.data_of(&id, "scripted").await["decision"],
            json!({ "edited": "new text" })
        );
    }
);

store_test!(
    choose_and_batch_gates_keep_what_was_picked,
    |store: Store| async move {
        let h = harness(
            store,
            &[
                r#"
event = "times"
[[step]]
skill = "scripted"
approval = "choose"
params = { actions = [
  { kind = "calendar_invite", preview = "Tue 10:00", payload = { slot = 1 } },
  { kind = "calendar_invite", preview = "Wed 14:00", payload = { slot = 2 } },
] }
"#,
                r#"
event = "tasks"
[[step]]
skill = "scripted"
approval = "batch"
params = { actions = [
  { kind = "task_create", preview = "Send deck", payload = { t = 1 } },
  { kind = "task_create", preview = "Loop in legal", payload = { t = 2 } },
  { kind = "task_create", preview = "Book demo", payload = { t = 3 } },
] }
"#,
            ],
        )
        .await;
        let times = h.send("times", json!({})).await;
        let tasks = h.send("tasks", json!({})).await;
        h.orch.drain().await.expect("drain");
        let gates = h.open_gates().await;
        let choose = gates
            .iter()
            .find(|g| g.job_id == times)
            .expect("choose gate");
        let batch = gates
            .iter()
            .find(|g| g.job_id == tasks)
            .expect("batch gate");
        assert_eq!(choose.options, vec!["Tue 10:00", "Wed 14:00"]);
        let out_of_range = h
            .orch
            .decide(
                &h.org,
                &choose.id,
                Decision::Chosen(2),
                &Decider::new("test", baton_engine::store::Reach::Org),
            )
            .await;
        assert!(
            out_of_range
                .unwrap_err()
                .to_string()
                .contains("options 0 to 1")
        );
        let short = h
            .orch
            .decide(
                &h.org,
                &batch.id,
                Decision::PerItem(vec![true]),
                &Decider::new("test", baton_engine::store::Reach::Org),
            )
            .await;
        assert!(short.unwrap_err().to_string().contains("has 3 items"));
        h.orch
            .decide(
                &h.org,
                &choose.id,
                Decision::Chosen(1),
                &Decider::new("test", baton_engine::store::Reach::Org),
            )
            .await
            .expect("choose");
        h.orch
            .decide(
                &h.org,
                &batch.id,
                Decision::PerItem(vec![true, false, true]),
                &Decider::new("test", baton_engine::store::Reach::Org),
            )
            .await
            .expect("batch");
        h.orch.drain().await.expect("drain");
        let picked = h
            .orch
            .store
            .effects(&h.org, Some(&times), 10)
            .await
            .expect("effects");
        assert_eq!(picked.len(), 1);
        assert_eq!(picked[0].payload["payload"]["slot"], 2);
        let kept = h
            .orch
            .store
            .effects(&h.org, Some(&tasks), 10)
            .await
            .expect("effects");
        let mut ts: Vec<_> = kept
            .iter()
            .map(|e| e.payload["payload"]["t"].clone())
            .collect();
        ts.sort_by_key(|v| v.as_i64());
        assert_eq!(ts, vec![json!(1), json!(3)]);
    }
);

store_test!(
    a_skip_on_a_skill_gate_approves_nothing,
    |store: Store| async move {
        // The scripted skill proposes an email whatever the decision; after a
        // skip, the policy gates that email again instead of queueing it.
        let h = harness(
            store,
            &[r#"
event = "ask"
[[step]]
skill = "scripted"
params = { gate = true, actions = [{ kind = "email_send", preview = "Hi", payload = {} }] }
"#],
        )
        .await;
        let id = h.send("ask", json!({})).await;
        h.orch.drain().await.expect("drain");
        let gate = h.open_gates().await.remove(0);
        h.orch
            .decide(
                &h.org,
                &gate.id,
                Decision::Skipped,
                &Decider::new("test", baton_engine::store::Reach::Org),
            )
            .await
            .expect("skip");
        h.orch.drain().await.expect("drain");
        assert_eq!(h.job(&id).await.status, JobStatus::AwaitingApproval);
        let gates = h.open_gates().await;
        assert_eq!((gates.len(), gates[0].kind.as_str()), (1, "step"));
        assert!(
            h.orch
                .store
                .effects(&h.org, Some(&id), 10)
                .await
                .expect("e")
                .is_empty()
        );
    }
);

store_test!(
    a_skill_may_ask_again_after_its_first_decision,
    |store: Store| async move {
        let h = harness(
        store,
        &["event = \"ask\"\n[[step]]\nskill = \"scripted\"\nparams = { gate = true, second_gate = true }\n"],
    )
    .await;
        let id = h.send("ask", json!({})).await;
        h.orch.drain().await.expect("drain");
        let first = h.open_gates().await.remove(0);
        assert_eq!(first.gate_key, "ok");
        h.orch
            .decide(
                &h.org,
                &first.id,
                Decision::Approved,
                &Decider::new("test", baton_engine::store::Reach::Org),
            )
            .await
            .expect("first");
        h.orch.drain().await.expect("drain");
        assert_eq!(h.job(&id).await.status, JobStatus::AwaitingApproval);
        let second = h.open_gates().await.remove(0);
        assert_eq!(
            second.gate_key, "second",
            "the new question is asked, not ignored"
        );
        h.orch
            .decide(
                &h.org,
                &second.id,
                Decision::Approved,
                &Decider::new("test", baton_engine::store::Reach::Org),
            )
            .await
            .expect("second");
        h.orch.drain().await.expect("drain");
        assert_eq!(h.job(&id).await.status, JobStatus::Completed);
        assert_eq!(h.data_of(&id, "scripted").await["decision"], "Approved");
        assert_eq!(meta(&h.job(&id).await)["approval_gates_hit"], 2);
    }
);
