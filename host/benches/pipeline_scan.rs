//! The daily pipeline scan's query at size (a plain harness): 500 deals
//! and 50,000 activities over 10 reps, on SQLite and on Postgres (the
//! server at `BATON_TEST_PG`, default the local one; skipped when there is
//! none). For each backend it prints the query's plan (`EXPLAIN`) and the
//! median and p95 of the scan for one rep, after `ANALYZE` (as autovacuum
//! would have done on a live database).
//!
//! `cargo bench -p baton --bench pipeline_scan`

use baton::store::{OrgId, Store, UserId};
use baton::store::{PipelineTables, Scan};
use std::time::{Duration, Instant};

const REPS: usize = 10;
const DEALS: usize = 500;
const ACTIVITIES: usize = 50_000;
const RUNS: usize = 200;
const DAY: i64 = 86_400_000;
/// 2026-11-23 15:00 UTC.
const NOW: i64 = 1_795_446_000_000;

/// Rows as SQL literals (our own ids and numbers only), in batches.
fn fill_sql(org: &OrgId, reps: &[UserId]) -> Vec<String> {
    let mut out = Vec::new();
    let deals: Vec<String> = (0..DEALS)
        .map(|i| {
            // Each rep owns every REPS-th deal; their stages and quiet
            // spells are spread the same for every rep.
            let stage = match (i / REPS) % 10 {
                0 => "closed_won",
                1 => "closed_lost",
                2 | 3 => "proposal",
                _ => "demo",
            };
            format!(
                "('bench-d{i}', '{org}', '{}', 'Bench deal {i}', '{stage}', 'USD', '[]', '[]', 0)",
                reps[i % reps.len()]
            )
        })
        .collect();
    for chunk in deals.chunks(250) {
        out.push(format!(
            "INSERT INTO deals (id, org_id, owner_user_id, name, stage, currency, competitors, stakeholders, created_at) VALUES {}",
            chunk.join(", ")
        ));
    }
    let per_deal = ACTIVITIES / DEALS;
    let acts: Vec<String> = (0..ACTIVITIES)
        .map(|n| {
            let deal = n % DEALS;
            let k = (n / DEALS) as i64;
            // A third of the deals went quiet 15 to 180 days ago; the rest
            // were touched in the last two weeks.
            let newest = if (deal / REPS).is_multiple_of(3) {
                NOW - (15 + (deal as i64 * 7) % 165) * DAY
            } else {
                NOW - (deal as i64 % 13) * DAY
            };
            let at = newest - (per_deal as i64 - 1 - k) * 3 * DAY;
            format!("('bench-a{n}', '{org}', 'bench-d{deal}', 'email', 'Bench touch {k}', {at})")
        })
        .collect();
    for chunk in acts.chunks(1000) {
        out.push(format!(
            "INSERT INTO activities (id, org_id, deal_id, kind, summary, occurred_at) VALUES {}",
            chunk.join(", ")
        ));
    }
    out.push("ANALYZE".into());
    out
}

async fn run(name: &str, store: Store, exec: impl AsyncFn(&str)) {
    let org = store
        .upsert_org("bench", "Bench", &serde_json::json!({}))
        .await
        .expect("org");
    let mut reps = Vec::new();
    for r in 0..REPS {
        reps.push(
            store
                .upsert_user(
                    &org,
                    &format!("rep{r}"),
                    "Rep",
                    &format!("rep{r}@bench.test"),
                    "rep",
                )
                .await
                .expect("rep"),
        );
    }
    let start = Instant::now();
    for sql in fill_sql(&org, &reps) {
        exec(&sql).await;
    }
    println!(
        "{name}: filled {DEALS} deals and {ACTIVITIES} activities over {REPS} reps in {:.1} s",
        start.elapsed().as_secs_f64()
    );
    let scan = |limit| Scan {
        quiet_since: NOW - 14 * DAY,
        meetings_from: NOW,
        meetings_until: NOW + 14 * DAY,
        limit,
    };
    let plan = store
        .explain_stale_deals_of(&org, &reps[0], &scan(3))
        .await
        .expect("plan");
    println!("{name}: plan of the scan for one rep (limit 3):");
    for line in &plan {
        println!("    {line}");
    }
    let all = store
        .stale_deals_of(&org, &reps[0], &scan(1000))
        .await
        .expect("scan");
    println!(
        "{name}: rep0 owns {} deals, {} of them open and stale",
        DEALS / REPS,
        all.len()
    );
    let mut times: Vec<Duration> = Vec::with_capacity(RUNS);
    for i in 0..RUNS {
        let t = Instant::now();
        let found = store
            .stale_deals_of(&org, &reps[i % REPS], &scan(3))
            .await
            .expect("scan");
        times.push(t.elapsed());
        assert!(found.len() <= 3);
    }
    times.sort();
    println!(
        "{name}: scan for one rep (limit 3), {RUNS} runs: median {:.3} ms, p95 {:.3} ms",
        times[RUNS / 2].as_secs_f64() * 1e3,
        times[RUNS * 95 / 100].as_secs_f64() * 1e3
    );
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let data = tempfile::tempdir().expect("tempdir");
    rt.block_on(async {
        let db = data.path().join("scan.db");
        let url = db.display().to_string();
        let store = baton::store::open(&url).await.expect("sqlite");
        let pool = sqlx::SqlitePool::connect(&format!("sqlite://{url}"))
            .await
            .expect("sqlite pool");
        run("sqlite", store, async |sql: &str| {
            sqlx::query(sql).execute(&pool).await.expect("fill");
        })
        .await;
        pool.close().await;

        let admin = std::env::var("BATON_TEST_PG")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
        let name = format!("baton_scan_bench_{}", std::process::id());
        let Ok(mut conn) = <sqlx::PgConnection as sqlx::Connection>::connect(&admin).await else {
            println!("postgres: skipped, no server at {admin}");
            return;
        };
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut conn)
            .await
            .expect("create database");
        let url = format!(
            "{}/{name}",
            admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b)
        );
        let store = baton::store::open(&url).await.expect("postgres");
        let pool = sqlx::PgPool::connect(&url).await.expect("postgres pool");
        run("postgres", store.clone(), async |sql: &str| {
            sqlx::query(sql).execute(&pool).await.expect("fill");
        })
        .await;
        pool.close().await;
        drop(store);
        let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .execute(&mut conn)
            .await;
    });
}
