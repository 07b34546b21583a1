//! A whole app added on the seam and nowhere else: a daily stand-up note.
//! It brings its own sequence (`standup`) and its own table (a migration,
//! `tests/data/standup/`), fires the sequence every weekday morning,
//! writes a row to its table with each finished step in the step's own
//! checkpoint, and carries out the Slack post it proposes with its own
//! deliverer, while the deliverer the process was started with carries
//! everything else. Nothing of it lives in an engine file.

use baton_engine::connectors::{ConnectorError, Deliver, DeliverFuture};
use baton_engine::orchestrator::Decider;
use baton_engine::orchestrator::conductor::{Extension, Extensions};
use baton_engine::orchestrator::extension::{Finished, Fire, When};
use baton_engine::orchestrator::scheduler::Scheduler;
use baton_engine::runtime::Decision;
use baton_engine::store::{
    ActionKind, Effect, EffectStatus, JobStatus, Migrations, Param, Pool, Reach, Row, Store,
};
use baton_testkit::engine::{T0, harness_with};
use baton_testkit::{TestDb, backend_test};
use std::sync::{Arc, Mutex};

const HOUR: i64 = 3_600_000;

/// What a deliverer was handed: each effect's kind and preview.
#[derive(Default)]
struct Carried(Mutex<Vec<(ActionKind, String)>>);

impl Carried {
    fn taken(&self) -> Vec<(ActionKind, String)> {
        self.0.lock().expect("carried").clone()
    }
}

impl Deliver for Carried {
    fn deliver<'a>(&'a self, effect: &'a Effect) -> DeliverFuture<'a> {
        let preview = effect.payload["preview"].as_str().unwrap_or("").to_owned();
        self.0.lock().expect("carried").push((effect.kind, preview));
        Box::pin(async { Ok::<(), ConnectorError>(()) })
    }
}

/// The stand-up app's migrations, numbered after the engine's (and the
/// sales app's, so a database may hold both).
static MIGRATIONS: Migrations = Migrations {
    sqlite: &SQLITE,
    postgres: &POSTGRES,
};
static SQLITE: sqlx::migrate::Migrator = sqlx::migrate!("../../../tests/data/standup/sqlite");
static POSTGRES: sqlx::migrate::Migrator = sqlx::migrate!("../../../tests/data/standup/postgres");

/// The stand-up app: its table, its fire, its rows and its deliverer.
#[derive(Default)]
struct Standup {
    posted: Carried,
}

impl Extension for Standup {
    fn name(&self) -> &'static str {
        "standup"
    }

    fn schedule(&self) -> &'static [Fire] {
        &[Fire {
            event: "standup",
            when: When::Daily(9 * 60),
        }]
    }

    fn migrations(&self) -> Option<Migrations> {
        Some(MIGRATIONS)
    }

    fn rows(&self, step: &Finished<'_>) -> Vec<Row> {
        if step.event_type != "standup" {
            return Vec::new();
        }
        vec![Row {
            statement: "INSERT INTO standup_notes (id, org_id, job_id, note, created_at)
                        VALUES ($1, $2, $3, $4, $5)",
            values: vec![
                Param::from(format!("standup-{}-{}", step.job_id, step.skill)),
                step.org_id.as_str().into(),
                step.job_id.as_str().into(),
                format!("stand-up drafted for {}", step.payload["date"]).into(),
                step.now.into(),
            ],
        }]
    }

    fn deliverer(&self, kind: ActionKind) -> Option<&dyn Deliver> {
        (kind == ActionKind::SlackPost).then_some(&self.posted as &dyn Deliver)
    }
}

/// The app's sequence: one step that proposes the Slack post.
const STANDUP: &str = r#"
event = "standup"
[[step]]
name = "note"
skill = "scripted"
params = { actions = [{ kind = "slack_post", preview = "Stand-up: three things today", payload = { channel = "C-TEAM", text = "Three things today." } }] }
"#;

/// Another sequence of the process, whose email is none of the app's.
const ASK: &str = r#"
event = "ask"
[[step]]
name = "draft"
skill = "scripted"
approval = "confirm"
params = { actions = [{ kind = "email_send", preview = "Hi", payload = { to = "a@b.example", subject = "Hi", body = "Hi" } }] }
"#;

/// The notes in the app's own table: each one's job and text.
async fn notes(store: &Store) -> Vec<(String, String)> {
    let sql = "SELECT job_id, note FROM standup_notes ORDER BY created_at";
    match store.pool() {
        Pool::Sqlite(p) => sqlx::query_as(sql).fetch_all(p).await,
        Pool::Postgres(p) => sqlx::query_as(sql).fetch_all(p).await,
    }
    .expect("the app's notes")
}

backend_test!(
    an_app_brings_its_table_its_fire_its_rows_and_its_deliverer,
    |backend| async move {
        let db = TestDb::new(backend).await;
        let app = Arc::new(Standup::default());
        let apps: Extensions = Arc::new([app.clone() as Arc<dyn Extension>]);
        // The process opens its store with every app's migrations: here
        // this one's, on a database the engine alone made.
        let migrations: Vec<Migrations> = apps.iter().filter_map(|e| e.migrations()).collect();
        let store = Store::open_with(&db.url, &migrations)
            .await
            .expect("the app's table");
        let h = harness_with(store, &[STANDUP, ASK], apps).await;
        // T0 is Monday 2026-11-23 15:00 UTC; rep1's zone is UTC.
        let monday_0905 = T0 - 6 * HOUR + 5 * 60_000;
        h.clock.set(monday_0905);
        let scheduler = Scheduler::new(h.orch.clone());
        assert_eq!(scheduler.tick(monday_0905).await.expect("tick"), 1);
        let ask = h.send("ask", serde_json::json!({})).await;
        h.orch.drain().await.expect("drain");
        // The post needs no one's approval (policy lowers a step that only
        // posts to Slack to inform); the email waits for the rep.
        let gates = h.open_gates().await;
        assert_eq!(gates.len(), 1, "{gates:?}");
        assert_eq!(gates[0].job_id, ask);
        for gate in &gates {
            h.orch
                .decide(
                    &h.org,
                    &gate.id,
                    Decision::Approved,
                    &Decider::new("rep1", Reach::Org),
                )
                .await
                .expect("decide");
        }
        h.orch.drain().await.expect("drain");
        // Past the email's undo window.
        h.clock.advance(60_000);
        let base = Carried::default();
        assert_eq!(h.orch.deliver_due(&base).await.expect("deliver"), 2);
        assert_eq!(
            app.posted.taken(),
            vec![(
                ActionKind::SlackPost,
                "Stand-up: three things today".to_owned()
            )],
            "the app carries its own post"
        );
        assert_eq!(
            base.taken(),
            vec![(ActionKind::EmailSend, "Hi".to_owned())],
            "the process's deliverer carries the rest"
        );
        let jobs = h
            .orch
            .store
            .jobs(&h.org, &Reach::Org, 10)
            .await
            .expect("jobs");
        let standup = jobs
            .iter()
            .find(|j| j.event_type == "standup")
            .expect("the fired job");
        assert_eq!(standup.status, JobStatus::Completed, "{:?}", standup.error);
        let effects = h
            .orch
            .store
            .effects(&h.org, None, 10)
            .await
            .expect("effects");
        assert!(
            effects.iter().all(|e| e.status == EffectStatus::Delivered),
            "{effects:?}"
        );
        // The app's row in its own table, written with the step that
        // finished, and only for its own sequence.
        assert_eq!(
            notes(&h.orch.store).await,
            vec![(
                standup.id.to_string(),
                "stand-up drafted for \"2026-11-23\"".to_owned()
            )]
        );
        h.orch.store.close().await;
        db.finish().await;
    }
);
