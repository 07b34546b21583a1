//! The notifier's queue: one pass announces every gate waiting, not only
//! its first page, and gates deferred for one rep do not hold back another
//! rep's queued behind them.

use baton::connectors::Slack;
use baton::orchestrator::commit::commit_group;
use baton::orchestrator::notify::Notifier;
use baton::store::{
    Checkpoint, GateKind, Inserted, NewJob, NewPendingAction, OnExpiry, OrgId, Pattern,
    Preferences, Store, Transition, UserId,
};
use baton_tests::{Answer, HttpPeer, store_test};
use serde_json::json;

/// The org the tests' reps belong to.
async fn acme(store: &Store) -> OrgId {
    store
        .upsert_org("acme", "Acme", &json!({}))
        .await
        .expect("org")
}

/// A notifier posting to the loopback Slack `slack`.
fn notifier(store: &Store, slack: &HttpPeer) -> Notifier {
    Notifier {
        store: store.clone(),
        slack: Some(
            Slack::new(&format!("http://127.0.0.1:{}/api", slack.port), "xoxb-test")
                .expect("slack"),
        ),
        public_url: None,
        extensions: baton::sales::extensions(),
    }
}

/// A rep of `org` whose requests go to Slack `channel`, at most `per_hour`.
async fn rep(store: &Store, org: &OrgId, handle: &str, channel: &str, per_hour: i64) -> UserId {
    let user = store
        .upsert_user(org, handle, handle, &format!("{handle}@acme.test"), "rep")
        .await
        .expect("user");
    let prefs = Preferences {
        slack_channel: Some(channel.into()),
        max_notifications_per_hour: per_hour,
        ..Preferences::default()
    };
    store
        .set_preferences(org, &user, &prefs)
        .await
        .expect("prefs");
    user
}

/// A job of `user`'s, claimed and parked at `gates` gates opened at `now`.
async fn park_with_gates(store: &Store, org: &OrgId, user: &UserId, gates: usize, now: i64) {
    let job = NewJob {
        org_id: org.clone(),
        user_id: user.clone(),
        event_type: "meeting_ended".into(),
        event_source: "test".into(),
        idempotency_key: format!("k-{}", user.0),
        parent_job_id: None,
        chain_depth: 0,
        payload: json!({}),
        sequence_name: "meeting_ended".into(),
        sequence_hash: "h".into(),
        sequence_version: None,
        scheduled_at: 0,
        rows: Vec::new(),
    };
    let Inserted::New(id) = store
        .insert_job(&job, baton::store::now_ms())
        .await
        .expect("insert")
    else {
        panic!("a new job")
    };
    let claimed = store
        .claim_jobs("worker", 1, 60_000, now)
        .await
        .expect("claim");
    assert_eq!(claimed.len(), 1);
    assert_eq!(claimed[0].id, id);
    let mut cp = Checkpoint::new(
        org.clone(),
        user.clone(),
        id,
        claimed[0].lease().expect("leased"),
        now,
        Transition::Park,
    );
    for i in 0..gates {
        cp.gates.push(NewPendingAction {
            step_index: i as i64,
            step_name: format!("step-{i}"),
            gate_key: "g".into(),
            kind: GateKind::Step,
            pattern: Pattern::Confirm,
            title: format!("Gate {i}"),
            body: json!({}),
            options: vec![],
            expires_at: i64::MAX,
            on_expiry: OnExpiry::Skip,
            basis: None,
        });
    }
    let results = commit_group(store, &[cp]).await;
    assert!(results[0].is_ok(), "{:?}", results[0]);
}

store_test!(
    one_pass_announces_the_whole_queue_past_a_reps_deferred_gates,
    |store: Store| async move {
        let now = baton::store::now_ms();
        let org = acme(&store).await;
        // Dana may be told nothing this hour: her 70 gates, the oldest in
        // the queue, are deferred. Lee's 90 come after them.
        let dana = rep(&store, &org, "dana", "D-DANA", 0).await;
        let lee = rep(&store, &org, "lee", "D-LEE", 1_000).await;
        park_with_gates(&store, &org, &dana, 70, now - 2).await;
        park_with_gates(&store, &org, &lee, 90, now - 1).await;
        let slack = HttpPeer::answering(
            vec![],
            Answer::json(json!({ "ok": true, "channel": "D-LEE", "ts": "1.2" })),
        );
        let notifier = notifier(&store, &slack);
        let sent = notifier.pass(now).await.expect("pass");
        assert_eq!(sent, 90, "every one of Lee's gates in one pass");
        assert_eq!(slack.hits(), 90);
        let left = store.unnotified_actions(None, 1_000).await.expect("queue");
        assert_eq!(left.len(), 70, "Dana's wait for the next hour");
        assert!(left.iter().all(|g| g.user_id == dana));
        // A pass over a queue of deferred gates alone sends nothing and ends.
        assert_eq!(notifier.pass(now).await.expect("again"), 0);
        assert_eq!(slack.hits(), 90);
    }
);

store_test!(
    a_request_slack_refuses_is_left_to_the_inbox_and_the_others_are_recorded,
    |store: Store| async move {
        let now = baton::store::now_ms();
        let org = acme(&store).await;
        let lee = rep(&store, &org, "lee", "D-LEE", 1_000).await;
        park_with_gates(&store, &org, &lee, 5, now - 1).await;
        // Slack refuses one request for good (a retry cannot help) and
        // takes the other four; which one is refused depends on which
        // arrives first, the counts do not.
        let slack = HttpPeer::answering(
            vec![Answer::json(
                json!({ "ok": false, "error": "channel_not_found" }),
            )],
            Answer::json(json!({ "ok": true, "channel": "D-LEE", "ts": "1.2" })),
        );
        let notifier = notifier(&store, &slack);
        assert_eq!(notifier.pass(now).await.expect("pass"), 4);
        assert_eq!(
            slack.hits(),
            5,
            "each request once: a refusal is not retried"
        );
        assert!(
            store
                .unnotified_actions(None, 100)
                .await
                .expect("queue")
                .is_empty(),
            "the refused one waits in the inbox alone, not for Slack again"
        );
        let recorded = store.notifications(&org, 100).await.expect("notifications");
        let requests: Vec<_> = recorded
            .iter()
            .filter(|n| n.kind == "approval_request")
            .collect();
        assert_eq!(requests.len(), 4, "one row per request Slack took");
        assert!(requests.iter().all(|n| n.message.contains("posted as 1.2")));
        assert_eq!(notifier.pass(now).await.expect("again"), 0);
        assert_eq!(slack.hits(), 5);
    }
);
