//! The engine's extension seam with a stub app of the test's own (as Spin
//! tests a factor with its own small struct): its scheduled fires are
//! claimed once per user and local day, a fire it leaves to the engine is
//! submitted plainly, one it handles itself submits what it says, its
//! passes run every tick, and the rows it writes with a finished step
//! commit with that step.

use baton_engine::orchestrator::conductor::{Due, Extension, OrchestratorError};
use baton_engine::orchestrator::extension::{Finished, Fire, GateDraft, Hook, When};
use baton_engine::orchestrator::scheduler::Scheduler;
use baton_engine::orchestrator::{Orchestrator, Submitted};
use baton_engine::store::{JobStatus, Param, Row, Store};
use baton_testkit::engine::{T0, harness_with};
use baton_testkit::store_test;
use jiff::civil::Weekday;
use serde_json::json;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

const HOUR: i64 = 3_600_000;

/// A stub app: `tick` every day at 07:00 (left to the engine), `weekly`
/// on Mondays at 09:00 (submitted by the app as two `tick`s of its own),
/// a count of its passes, and a notification row with each `tick` step.
#[derive(Default)]
struct Stub {
    passes: AtomicUsize,
}

impl Extension for Stub {
    fn name(&self) -> &'static str {
        "stub"
    }

    fn schedule(&self) -> &'static [Fire] {
        &[
            Fire {
                event: "tick",
                when: When::Daily(7 * 60),
            },
            Fire {
                event: "weekly",
                when: When::Weekly(Weekday::Monday, 9 * 60),
            },
        ]
    }

    fn fire<'a>(&'a self, due: Due<'a>) -> Hook<'a, Result<Option<usize>, OrchestratorError>> {
        Box::pin(async move {
            if due.event != "weekly" {
                return Ok(None);
            }
            for n in 0..2 {
                let key = format!("weekly:{}:{n}", due.date);
                let payload = json!({ "from": "weekly", "n": n });
                let outcome = due
                    .orch
                    .submit_scheduled(due.org, due.user, "tick", payload, key)
                    .await?;
                assert!(matches!(outcome, Submitted::Accepted { .. }), "{outcome:?}");
            }
            Ok(Some(2))
        })
    }

    fn pass<'a>(
        &'a self,
        _orch: &'a Orchestrator,
        _now: i64,
    ) -> Hook<'a, Result<usize, OrchestratorError>> {
        self.passes.fetch_add(1, Ordering::SeqCst);
        Box::pin(async { Ok(0) })
    }

    fn rows(&self, step: &Finished<'_>) -> Vec<Row> {
        if step.event_type != "tick" {
            return Vec::new();
        }
        vec![Row {
            statement: "INSERT INTO notifications (id, org_id, user_id, job_id, kind, channel,
                            created_at, dedupe_key, message)
                        VALUES ($1, $2, $3, $4, 'stub', 'test', $5, NULL, $6)",
            values: vec![
                Param::from(format!("stub-{}", step.job_id)),
                step.org_id.as_str().into(),
                step.user_id.as_str().into(),
                step.job_id.as_str().into(),
                step.now.into(),
                format!("{} ran {}", step.skill, step.data["params"]["n"]).into(),
            ],
        }]
    }
}

const TICK: &str = r#"
event = "tick"
[[step]]
name = "one"
skill = "scripted"
params = { n = 1 }
"#;

const WEEKLY: &str = r#"
event = "weekly"
[[step]]
name = "one"
skill = "scripted"
"#;

store_test!(
    an_apps_fires_passes_and_rows_go_through_the_seam,
    |store: Store| async move {
        let stub = Arc::new(Stub::default());
        let h = harness_with(
            store,
            &[TICK, WEEKLY],
            Arc::new([stub.clone() as Arc<dyn Extension>]),
        )
        .await;
        let scheduler = Scheduler::new(h.orch.clone());
        // T0 is Monday 2026-11-23 15:00 UTC; rep1's zone is UTC.
        let monday_0705 = T0 - 8 * HOUR + 5 * 60_000;
        assert_eq!(
            scheduler.tick(monday_0705).await.expect("tick"),
            1,
            "the daily tick"
        );
        assert_eq!(
            scheduler
                .tick(monday_0705 + 10 * 60_000)
                .await
                .expect("tick"),
            0,
            "claimed once a day"
        );
        assert_eq!(
            scheduler.tick(monday_0705 + 2 * HOUR).await.expect("tick"),
            2,
            "the weekly fire, done by the app: its two ticks"
        );
        assert_eq!(stub.passes.load(Ordering::SeqCst), 3, "a pass every tick");
        h.orch.drain().await.expect("drain");
        let jobs = h
            .orch
            .store
            .jobs(&h.org, &baton_engine::store::Reach::Org, 100)
            .await
            .expect("jobs");
        let ticks: Vec<_> = jobs.iter().filter(|j| j.event_type == "tick").collect();
        assert_eq!(ticks.len(), 3, "{jobs:?}");
        assert!(ticks.iter().all(|j| j.status == JobStatus::Completed));
        assert!(
            jobs.iter().all(|j| j.event_type != "weekly"),
            "a fire the app handles is not submitted again by the engine"
        );
        // One row per finished `tick` step, written with its checkpoint.
        let notes = h
            .orch
            .store
            .notifications(&h.org, 100)
            .await
            .expect("notes");
        let mut stubs: Vec<_> = notes
            .iter()
            .filter(|n| n.kind == "stub")
            .map(|n| (n.job_id.clone().expect("job"), n.message.clone()))
            .collect();
        stubs.sort();
        let mut want: Vec<_> = ticks
            .iter()
            .map(|j| (j.id.clone(), "scripted ran 1".to_owned()))
            .collect();
        want.sort();
        assert_eq!(stubs, want);
    }
);

/// An app that names every gate after its pattern and the skill's title.
struct Namer;

impl Extension for Namer {
    fn name(&self) -> &'static str {
        "namer"
    }

    fn gate_title(&self, gate: &GateDraft<'_>) -> Option<String> {
        Some(format!("{:?} [{}]", gate.pattern, gate.title))
    }
}

const GATED: &str = r#"
event = "ask"
[[step]]
name = "draft"
skill = "scripted"
params = { actions = [{ kind = "email_send", preview = "Hi", payload = { to = "a@b.example", subject = "Hi", body = "Hi" } }] }
"#;

store_test!(
    a_gate_takes_the_apps_title_or_else_the_steps_name,
    |store: Store| async move {
        let named = harness_with(
            store.clone(),
            &[GATED],
            Arc::new([Arc::new(Namer) as Arc<dyn Extension>]),
        )
        .await;
        named.send("ask", json!({})).await;
        named.orch.drain().await.expect("drain");
        let gates = named.open_gates().await;
        assert_eq!(gates.len(), 1);
        assert_eq!(gates[0].title, "Confirm []", "the app's words");
        drop(named);
        // The engine alone names a step gate after its step.
        let bare = harness_with(store, &[GATED], Arc::new([])).await;
        bare.send("ask", json!({ "n": 2 })).await;
        bare.orch.drain().await.expect("drain");
        let titles: Vec<String> = bare
            .open_gates()
            .await
            .into_iter()
            .map(|g| g.title)
            .collect();
        assert!(titles.contains(&"draft".to_owned()), "{titles:?}");
    }
);
