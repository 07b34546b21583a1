//! Spending limits: the monthly budget halts a sequence mid-way and refuses
//! the next event; the daily send cap refuses one email too many.

use baton_engine::orchestrator::{Decider, Reason, Submitted};
use baton_engine::runtime::Decision;
use baton_engine::store::{JobStatus, Preferences, Store};
use baton_testkit::engine::{T0, harness};
use baton_testkit::store_test;
use serde_json::json;

store_test!(
    the_spend_the_budget_reads_is_every_charged_call,
    |store: Store| async move {
        let h = harness(
            store,
            &["event = \"costly\"\n[[step]]\nname = \"one\"\nskill = \"scripted\"\n[[step]]\nname = \"two\"\nskill = \"scripted\"\n"],
        )
        .await;
        let mut ids = Vec::new();
        for n in 0..3 {
            ids.push(h.send("costly", json!({ "n": n })).await);
        }
        h.orch.drain().await.expect("drain");
        // What the calls were charged, step run by step run ...
        let mut charged = 0;
        for id in &ids {
            assert_eq!(h.job(id).await.status, JobStatus::Completed);
            for run in h.orch.store.step_runs(&h.org, id).await.expect("runs") {
                charged += run.cost_micros;
            }
        }
        assert!(charged > 0, "fuel is priced");
        // ... is what the budget check reads, kept as the checkpoints commit.
        let period = baton_engine::orchestrator::budget::period(T0);
        let spent = h.orch.store.spent(&h.org, &period).await.expect("spent");
        assert_eq!(spent, charged);
        let other = baton_engine::orchestrator::budget::period(T0 + 40 * 86_400_000);
        assert_eq!(h.orch.store.spent(&h.org, &other).await.expect("spent"), 0);
    }
);

store_test!(
    the_budget_halts_a_sequence_mid_way,
    |store: Store| async move {
        let h = harness(
        store,
        &["event = \"costly\"\n[[step]]\nname = \"one\"\nskill = \"scripted\"\n[[step]]\nname = \"two\"\nskill = \"scripted\"\n"],
    )
    .await;
        // One micro-dollar: the first step's fuel spends it.
        h.orch
            .store
            .set_budget(&h.org, Some(1))
            .await
            .expect("budget");
        let id = h.send("costly", json!({ "n": 1 })).await;
        h.orch.drain().await.expect("drain");
        let job = h.job(&id).await;
        assert_eq!(job.status, JobStatus::BudgetExceeded);
        assert_eq!(job.current_step, 1, "halted before step two");
        assert_eq!(job.state["steps"]["one"]["status"], "completed");
        assert!(job.state["steps"].get("two").is_none());
        let spent = h
            .orch
            .store
            .spent(&h.org, &baton_engine::orchestrator::budget::period(T0))
            .await
            .expect("spent");
        assert!(spent >= 1);
        // The next event is refused at the door; one notification in all.
        let next = h
            .orch
            .submit(&h.event("costly", json!({ "n": 2 })))
            .await
            .expect("submit");
        assert!(
            matches!(
                next,
                Submitted::Refused {
                    reason: Reason::Budget,
                    ..
                }
            ),
            "{next:?}"
        );
        let notes = h.orch.store.notifications(&h.org, 10).await.expect("notes");
        assert_eq!(notes.len(), 1);
        assert_eq!(notes[0].kind, "budget_exceeded");
    }
);

store_test!(
    the_daily_send_cap_refuses_one_email_too_many,
    |store: Store| async move {
        let h = harness(
            store,
            &[r#"
event = "send"
[[step]]
skill = "scripted"
params = { actions = [{ kind = "email_send", preview = "Hi", payload = { to = "a@b.example" } }] }
"#],
        )
        .await;
        let prefs = Preferences {
            daily_send_cap: 1,
            ..Preferences::default()
        };
        h.orch
            .store
            .set_preferences(&h.org, &h.user, &prefs)
            .await
            .expect("prefs");
        for n in 0..2 {
            h.send("send", json!({ "n": n })).await;
        }
        h.orch.drain().await.expect("drain");
        let gates = h.open_gates().await;
        assert_eq!(gates.len(), 2);
        h.orch
            .decide(
                &h.org,
                &gates[0].id,
                Decision::Approved,
                &Decider::new("test", baton_engine::store::Reach::Org),
            )
            .await
            .expect("first");
        h.orch.drain().await.expect("drain");
        let second = h
            .orch
            .decide(
                &h.org,
                &gates[1].id,
                Decision::Approved,
                &Decider::new("test", baton_engine::store::Reach::Org),
            )
            .await;
        assert!(
            second
                .unwrap_err()
                .to_string()
                .contains("daily send cap is 1")
        );
        h.orch
            .decide(
                &h.org,
                &gates[1].id,
                Decision::Skipped,
                &Decider::new("test", baton_engine::store::Reach::Org),
            )
            .await
            .expect("skipping is always allowed");
    }
);
