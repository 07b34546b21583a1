//! The orchestrator end to end, on SQLite and on Postgres: real sequences
//! over the real `scripted` test guest, a manual clock for time.

use baton::orchestrator::{
    Config, Decider, Event, ManualClock, Orchestrator, Reason, Sequences, Submitted, sequence,
};
use baton::registry::{Grants, Registry};
use baton::runtime::{Decision, Runtime, RuntimeConfig};
use baton::store::{JobStatus, OrgId, Preferences, Store, UserId};
use baton_tests::{HttpPeer, guest, store_test};
use serde_json::{Value, json};
use std::path::Path;
use std::sync::Arc;

/// 2026-11-23 15:00 UTC, a Monday afternoon.
const T0: i64 = 1_795_446_000_000;

struct Harness {
    orch: Arc<Orchestrator>,
    clock: Arc<ManualClock>,
    org: OrgId,
    user: UserId,
    _skills: tempfile::TempDir,
}

/// An org `acme` with rep `rep1`, the `scripted` guest installed, and the
/// given sequences (TOML texts).
async fn harness(store: Store, sequences: &[&str]) -> Harness {
    let org = store
        .upsert_org("acme", "Acme", &json!({}))
        .await
        .expect("org");
    let user = store
        .upsert_user(&org, "rep1", "Rep One", "rep1@acme.example", "rep")
        .await
        .expect("user");
    let skills = tempfile::tempdir().expect("tempdir");
    std::fs::copy(guest("scripted"), skills.path().join("scripted.wasm")).expect("copy guest");
    let runtime = Runtime::new(RuntimeConfig {
        pooling: false,
        cache_dir: std::env::var_os("BATON_CACHE_DIR").map(Into::into),
        ..RuntimeConfig::default()
    })
    .expect("runtime");
    let registry = Registry::open(runtime, skills.path(), Grants::trust_declared())
        .await
        .expect("registry");
    assert!(registry.problems().is_empty(), "{:?}", registry.problems());
    let mut all = Sequences::default();
    for (n, text) in sequences.iter().enumerate() {
        let file = format!("seq{n}.toml");
        all.insert(sequence::parse(Path::new(&file), text).expect("sequence parses"));
    }
    let clock = ManualClock::at(T0);
    let orch = Orchestrator::new(store, registry, all, clock.clone(), Config::default());
    Harness {
        orch,
        clock,
        org,
        user,
        _skills: skills,
    }
}

impl Harness {
    fn event(&self, event_type: &str, payload: Value) -> Event {
        Event {
            event_type: event_type.into(),
            org: "acme".into(),
            user: "rep1".into(),
            payload,
            source: "test".into(),
            idempotency_key: None,
        }
    }

    async fn send(&self, event_type: &str, payload: Value) -> String {
        match self
            .orch
            .submit(&self.event(event_type, payload))
            .await
            .expect("submit")
        {
            Submitted::Accepted { job_id, .. } => job_id,
            other => panic!("event refused: {other:?}"),
        }
    }

    async fn job(&self, id: &str) -> baton::store::Job {
        self.orch
            .store
            .job(&self.org, id)
            .await
            .expect("job")
            .expect("job exists")
    }

    async fn open_gates(&self) -> Vec<baton::store::PendingAction> {
        self.orch
            .store
            .pending_actions(&self.org, Some("open"), 100)
            .await
            .expect("gates")
    }

    async fn data_of(&self, job: &str, step: &str) -> Value {
        let runs = self
            .orch
            .store
            .step_runs(&self.org, job)
            .await
            .expect("runs");
        runs.into_iter()
            .rev()
            .find(|r| r.step_name == step && r.status == "completed")
            .and_then(|r| r.output)
            .map(|o| o["data"].clone())
            .unwrap_or(Value::Null)
    }
}

fn meta(job: &baton::store::Job) -> Value {
    job.state["meta"].clone()
}

store_test!(
    a_gate_parks_the_job_and_an_edit_resumes_it,
    |store: Store| async move {
        let h = harness(
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
        assert_eq!(gates[0].pattern, "confirm");
        assert_eq!(gates[0].body["actions"][0]["kind"], "email_send");
        assert!(gates[0].title.contains("Next steps"), "{}", gates[0].title);
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
                &Decider::new("test"),
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
                &Decider::new("rep1"),
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
                &Decider::new("rep1"),
            )
            .await
            .expect("decide");
        let again = h
            .orch
            .decide(
                &h.org,
                &gates[0].id,
                Decision::Approved,
                &Decider::new("test"),
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
        assert_eq!(effects[0].kind, "email_send");
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
                &Decider::new("test"),
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

store_test!(a_cancel_ends_the_sequence, |store: Store| async move {
    let h = harness(
        store,
        &[r#"
event = "ask"
[[step]]
skill = "scripted"
approval = "confirm"
[[step]]
name = "after"
skill = "scripted"
"#],
    )
    .await;
    let id = h.send("ask", json!({ "n": 1 })).await;
    h.orch.drain().await.expect("drain");
    let gate = h.open_gates().await.remove(0);
    h.orch
        .decide(&h.org, &gate.id, Decision::Cancelled, &Decider::new("rep1"))
        .await
        .expect("decide");
    h.orch.drain().await.expect("drain");
    let job = h.job(&id).await;
    assert_eq!(job.status, JobStatus::Cancelled);
    assert!(job.error.unwrap_or_default().contains("by rep1"));
    assert_eq!(
        h.data_of(&id, "after").await,
        Value::Null,
        "no step after a cancel"
    );
});

store_test!(retry_backs_off_then_succeeds, |store: Store| async move {
    let peer = HttpPeer::failing(2);
    let h = harness(
        store,
        &[&format!(
            r#"
event = "flaky"
[[step]]
skill = "scripted"
on_failure = "retry"
max_attempts = 3
backoff_ms = 1000
params = {{ flaky = "127.0.0.1:{}" }}
"#,
            peer.port
        )],
    )
    .await;
    let id = h.send("flaky", json!({})).await;
    h.orch.drain().await.expect("drain");
    let job = h.job(&id).await;
    assert_eq!(job.status, JobStatus::Pending);
    assert_eq!(job.scheduled_at, T0 + 1_000, "first backoff");
    h.clock.advance(999);
    assert_eq!(
        h.orch.drain().await.expect("drain"),
        0,
        "not due before its backoff"
    );
    h.clock.advance(1);
    h.orch.drain().await.expect("drain");
    let job = h.job(&id).await;
    assert_eq!(job.scheduled_at, T0 + 1_000 + 2_000, "the backoff doubles");
    h.clock.advance(2_000);
    h.orch.drain().await.expect("drain");
    let job = h.job(&id).await;
    assert_eq!(job.status, JobStatus::Completed, "{:?}", job.error);
    let runs = h.orch.store.step_runs(&h.org, &id).await.expect("runs");
    let statuses: Vec<_> = runs
        .iter()
        .map(|r| (r.attempt, r.status.as_str()))
        .collect();
    assert_eq!(
        statuses,
        vec![(1, "failed"), (2, "failed"), (3, "completed")]
    );
    assert_eq!(runs[0].error_kind.as_deref(), Some("skill"));
    assert_eq!(peer.hits(), 3);
});

store_test!(
    retries_run_out_and_the_sequence_stops,
    |store: Store| async move {
        let h = harness(
            store,
            &[r#"
event = "down"
[[step]]
skill = "scripted"
on_failure = "retry"
max_attempts = 2
backoff_ms = 10
params = { fail = "unavailable" }
[[step]]
name = "never"
skill = "scripted"
"#],
        )
        .await;
        let id = h.send("down", json!({})).await;
        h.orch.drain().await.expect("drain");
        h.clock.advance(10);
        h.orch.drain().await.expect("drain");
        let job = h.job(&id).await;
        assert_eq!(job.status, JobStatus::Failed);
        assert!(job.error.unwrap_or_default().contains("after 2 attempt(s)"));
        let notes = h.orch.store.notifications(&h.org, 10).await.expect("notes");
        assert_eq!(notes.len(), 1);
        assert_eq!(notes[0].kind, "sequence_failed");
    }
);

store_test!(on_failure_continue_goes_on, |store: Store| async move {
    let h = harness(
        store,
        &[r#"
event = "best_effort"
[[step]]
name = "enrich"
skill = "scripted"
on_failure = "continue"
params = { fail = "failed" }
[[step]]
name = "brief"
skill = "scripted"
"#],
    )
    .await;
    let id = h.send("best_effort", json!({})).await;
    h.orch.drain().await.expect("drain");
    let job = h.job(&id).await;
    assert_eq!(job.status, JobStatus::Completed);
    assert_eq!(job.state["steps"]["enrich"]["status"], "failed");
    assert_eq!(meta(&job)["steps_failed"], 1);
    assert_eq!(h.data_of(&id, "brief").await["previous"], json!([]));
});

store_test!(a_false_condition_skips_a_step, |store: Store| async move {
    let h = harness(
        store,
        &[r#"
event = "email_received"
[[step]]
name = "classify"
skill = "scripted"
params = { intent = "fyi" }
[[step]]
name = "reply"
skill = "scripted"
condition = 'steps.classify.data.params.intent == "needs_response"'
[[step]]
name = "log"
skill = "scripted"
condition = 'event.payload.from != null && steps.classify.status == "completed"'
"#],
    )
    .await;
    let id = h.send("email_received", json!({ "from": "x" })).await;
    h.orch.drain().await.expect("drain");
    let job = h.job(&id).await;
    assert_eq!(job.status, JobStatus::Completed);
    assert_eq!(job.state["steps"]["reply"]["status"], "skipped");
    assert_eq!(job.state["steps"]["log"]["status"], "completed");
    assert_eq!(meta(&job)["steps_skipped"], 1);
});

store_test!(
    parallel_groups_run_together_and_checkpoint_once,
    |store: Store| async move {
        let h = harness(
            store,
            &[r#"
event = "prep"
[[step]]
name = "a"
skill = "scripted"
group = "research"
params = { sleep_ms = 300 }
[[step]]
name = "b"
skill = "scripted"
group = "research"
params = { sleep_ms = 300 }
[[step]]
name = "brief"
skill = "scripted"
"#],
        )
        .await;
        let id = h.send("prep", json!({})).await;
        let started = std::time::Instant::now();
        h.orch.drain().await.expect("drain");
        let elapsed = started.elapsed();
        assert_eq!(h.job(&id).await.status, JobStatus::Completed);
        assert!(
            elapsed < std::time::Duration::from_millis(580),
            "two 300 ms steps of one group overlap ({elapsed:?})"
        );
        assert_eq!(h.data_of(&id, "brief").await["previous"], json!(["a", "b"]));
    }
);

store_test!(
    follow_ups_chain_to_depth_three_and_no_further,
    |store: Store| async move {
        let h = harness(
            store,
            &[r#"
event = "chain"
[[step]]
skill = "scripted"
params = { follow_ups = [{ type = "chain", payload = { from = "parent" } }] }
"#],
        )
        .await;
        let root = h.send("chain", json!({ "n": 0 })).await;
        h.orch.drain().await.expect("drain");
        let jobs = h.orch.store.jobs(&h.org, 100).await.expect("jobs");
        assert_eq!(jobs.len(), 3, "event → follow-up → follow-up, then stop");
        assert!(jobs.iter().all(|j| j.status == JobStatus::Completed));
        let child = h
            .orch
            .store
            .children(&h.org, &root)
            .await
            .expect("children");
        assert_eq!(child.len(), 1);
        let child_job = h.job(&child[0]).await;
        assert_eq!(child_job.parent_job_id.as_deref(), Some(root.as_str()));
        assert_eq!(child_job.chain_depth, 2);
        assert_eq!(child_job.event_source, "orchestrator:chain");
        let deepest = jobs.iter().find(|j| j.chain_depth == 3).expect("depth 3");
        assert_eq!(meta(deepest)["followups_dropped"], 1);
        assert_eq!(meta(deepest)["followups_queued"], 0);
    }
);

store_test!(a_duplicate_event_makes_one_job, |store: Store| async move {
    let h = harness(
        store,
        &["event = \"meeting_ended\"\ndedupe_key = \"meeting_id\"\n[[step]]\nskill = \"scripted\"\n"],
    )
    .await;
    let first = h
        .send("meeting_ended", json!({ "meeting_id": "m-7" }))
        .await;
    let second = h
        .orch
        .submit(&h.event(
            "meeting_ended",
            json!({ "meeting_id": "m-7", "retry": true }),
        ))
        .await
        .expect("submit");
    match second {
        Submitted::Refused { reason, job_id, .. } => {
            assert_eq!(reason, Reason::Duplicate);
            assert_eq!(job_id.as_deref(), Some(first.as_str()));
        }
        other => panic!("expected a duplicate: {other:?}"),
    }
    assert_eq!(h.orch.store.jobs(&h.org, 10).await.expect("jobs").len(), 1);
    let refused = h.orch.store.refusals("acme", 10).await.expect("refusals");
    assert_eq!(refused[0].reason, "duplicate");
    // Without the dedupe field the event is refused, and says why.
    let bad = h
        .orch
        .submit(&h.event("meeting_ended", json!({ "title": "x" })))
        .await
        .expect("submit");
    assert!(
        matches!(&bad, Submitted::Refused { reason: Reason::InvalidPayload, detail, .. } if detail.contains("meeting_id")),
        "{bad:?}"
    );
});

store_test!(
    every_refusal_is_recorded_with_its_reason,
    |store: Store| async move {
        let h = harness(
        store,
        &[
            "event = \"ok\"\n[[step]]\nskill = \"scripted\"\n",
            "event = \"needs_more\"\n[[step]]\nskill = \"scripted\"\n[[step]]\nskill = \"not-built-yet\"\n",
        ],
    )
    .await;
        h.orch
            .store
            .set_feature(&h.org, "ok", false)
            .await
            .expect("feature");
        let cases = [
            (
                Event {
                    org: "nope".into(),
                    ..h.event("ok", json!({}))
                },
                Reason::UnknownOrg,
            ),
            (
                Event {
                    user: "ghost".into(),
                    ..h.event("ok", json!({}))
                },
                Reason::UnknownUser,
            ),
            (h.event("no_such_type", json!({})), Reason::UnknownType),
            (h.event("ok", json!({})), Reason::Disabled),
            (
                h.event("needs_more", json!({})),
                Reason::SequenceUnavailable,
            ),
        ];
        for (event, want) in cases {
            match h.orch.submit(&event).await.expect("submit") {
                Submitted::Refused { reason, detail, .. } => {
                    assert_eq!(reason, want, "{detail}");
                    if want == Reason::SequenceUnavailable {
                        assert!(detail.contains("not-built-yet"), "{detail}");
                    }
                }
                other => panic!("expected {want:?}: {other:?}"),
            }
        }
        let recorded = h.orch.store.refusals("acme", 10).await.expect("refusals");
        assert_eq!(
            recorded.len(),
            4,
            "the unknown org's refusal is kept under its slug"
        );
        assert_eq!(h.orch.store.refusals("nope", 10).await.expect("r").len(), 1);
        assert!(
            h.orch
                .store
                .jobs(&h.org, 10)
                .await
                .expect("jobs")
                .is_empty()
        );
    }
);

store_test!(quiet_hours_defer_then_run, |store: Store| async move {
    let h = harness(
        store,
        &["event = \"ping\"\n[[step]]\nskill = \"scripted\"\n"],
    )
    .await;
    // T0 is 15:00 UTC = 10:00 in New York; quiet 09:00–11:00 there.
    let prefs = Preferences {
        timezone: "America/New_York".into(),
        quiet_start_min: Some(9 * 60),
        quiet_end_min: Some(11 * 60),
        ..Preferences::default()
    };
    h.orch
        .store
        .set_preferences(&h.org, &h.user, &prefs)
        .await
        .expect("prefs");
    let submitted = h
        .orch
        .submit(&h.event("ping", json!({})))
        .await
        .expect("submit");
    let Submitted::Accepted {
        job_id,
        scheduled_at,
        deferred,
    } = submitted
    else {
        panic!("quiet hours defer, they never drop: {submitted:?}");
    };
    assert!(deferred);
    assert_eq!(scheduled_at, T0 + 3_600_000, "11:00 New York");
    assert_eq!(h.orch.drain().await.expect("drain"), 0);
    assert_eq!(h.job(&job_id).await.status, JobStatus::Pending);
    h.clock.advance(3_600_000);
    h.orch.drain().await.expect("drain");
    assert_eq!(h.job(&job_id).await.status, JobStatus::Completed);
});

store_test!(
    an_unanswered_gate_expires_and_the_step_is_skipped,
    |store: Store| async move {
        let h = harness(
        store,
        &["event = \"ask\"\n[[step]]\nskill = \"scripted\"\napproval = \"confirm\"\nexpires_after_minutes = 60\n[[step]]\nname = \"after\"\nskill = \"scripted\"\n"],
    )
    .await;
        let id = h.send("ask", json!({})).await;
        h.orch.drain().await.expect("drain");
        let gate = h.open_gates().await.remove(0);
        h.clock.advance(3_600_000);
        h.orch.drain().await.expect("drain");
        let job = h.job(&id).await;
        assert_eq!(job.status, JobStatus::Completed);
        assert_eq!(job.state["steps"]["scripted"]["status"], "skipped");
        let late = h
            .orch
            .decide(&h.org, &gate.id, Decision::Approved, &Decider::new("test"))
            .await;
        assert!(late.unwrap_err().to_string().contains("expired"));
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
            .spent(&h.org, &baton::orchestrator::budget::period(T0))
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
                &Decider::new("test"),
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
                &Decider::new("test"),
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
                &Decider::new("test"),
            )
            .await
            .expect("skipping is always allowed");
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
                &Decider::new("test"),
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
                &Decider::new("test"),
            )
            .await;
        assert!(short.unwrap_err().to_string().contains("has 3 items"));
        h.orch
            .decide(
                &h.org,
                &choose.id,
                Decision::Chosen(1),
                &Decider::new("test"),
            )
            .await
            .expect("choose");
        h.orch
            .decide(
                &h.org,
                &batch.id,
                Decision::PerItem(vec![true, false, true]),
                &Decider::new("test"),
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
            .decide(&h.org, &gate.id, Decision::Skipped, &Decider::new("test"))
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
            .decide(&h.org, &first.id, Decision::Approved, &Decider::new("test"))
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
                &Decider::new("test"),
            )
            .await
            .expect("second");
        h.orch.drain().await.expect("drain");
        assert_eq!(h.job(&id).await.status, JobStatus::Completed);
        assert_eq!(h.data_of(&id, "scripted").await["decision"], "Approved");
        assert_eq!(meta(&h.job(&id).await)["approval_gates_hit"], 2);
    }
);
