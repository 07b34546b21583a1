//! The service running: the skills loaded behind the health checks, the
//! workers started beside the server (jobs, the outbox, approval requests,
//! the scheduler, the folder watches, the release log, and each app's),
//! and a graceful stop.

use super::*;

/// Serve on `listener` until `shutdown` resolves. Health checks answer at
/// once; the skills load meanwhile (`/readyz` says how far), then the
/// workers start beside: jobs, the outbox, approval requests, the
/// scheduler, the folder watches, the skill release log and the apps'
/// workers. On shutdown,
/// new requests stop, then the jobs in flight reach their next checkpoint
/// before this returns.
pub async fn serve(
    app: Arc<App>,
    listener: tokio::net::TcpListener,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), ServiceError> {
    let app_for_shutdown = app.clone();
    let graceful = async move {
        shutdown.await;
        app_for_shutdown.ready.store(false, Ordering::Relaxed);
        tracing::info!("shutting down: finishing requests and in-flight steps");
    };
    let mut server = tokio::spawn(
        axum::serve(
            listener,
            // The client's address, for pages that count their readers.
            router(app.clone()).into_make_service_with_connect_info::<std::net::SocketAddr>(),
        )
        .with_graceful_shutdown(graceful)
        .into_future(),
    );
    let served = |r: Result<std::io::Result<()>, tokio::task::JoinError>| {
        r.map_err(|e| ServiceError::Serve(std::io::Error::other(e)))?
            .map_err(ServiceError::Serve)
    };
    tokio::select! {
        loaded = load_skills(&app) => {
            if let Err(e) = loaded {
                server.abort();
                return Err(e);
            }
        }
        r = &mut server => return served(r),
    }
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let _watches = app
        .orch
        .watch_folders()
        .map_err(|(what, error)| ServiceError::Watch { what, error })?;
    // Ready only once the folders are watched: an edit made after `/readyz`
    // says 200 is always seen.
    app.loading.done.store(true, Ordering::Release);
    app.loading.ready.notify_waiters();
    tracing::info!(
        skills = app.orch.registry.list().len(),
        "skills loaded; ready"
    );
    let mut tasks = tokio::task::JoinSet::new();
    {
        // Skills that started on Winch's code (a cold compile cache) move
        // to Cranelift's, one at a time, while the service serves.
        let registry = app.orch.registry.clone();
        let mut stop = stop_rx.clone();
        tasks.spawn(async move {
            let started = std::time::Instant::now();
            let of = std::sync::atomic::AtomicUsize::new(0);
            let optimize = registry.optimize(|_, n| of.store(n, Ordering::Relaxed));
            tokio::select! {
                () = optimize => {
                    let of = of.load(Ordering::Relaxed);
                    if of > 0 {
                        tracing::info!(skills = of, seconds = started.elapsed().as_secs_f64(), "skills optimized (Cranelift)");
                    }
                }
                _ = stop.wait_for(|s| *s) => {}
            }
        });
    }
    if records_after_ready(&app) {
        // The folder's versions the release log does not name yet (on a
        // new database every component, most of a start's time) are
        // recorded once the service serves.
        let releases = app.orch.releases.clone();
        tasks.spawn(async move {
            if let Err(e) = releases.record_unlogged().await {
                tracing::warn!(error = %e, "could not record the skills folder in the release log; the next start tries again");
            }
        });
    }
    {
        let orch = app.orch.clone();
        let every = Duration::from_millis(app.settings.releases_every_ms.max(50));
        let stop = stop_rx.clone();
        tasks.spawn(async move { orch.releases.follow(every, stop).await });
    }
    {
        let orch = app.orch.clone();
        let every = Duration::from_millis(app.settings.releases_every_ms.max(50));
        let stop = stop_rx.clone();
        tasks.spawn(async move { orch.follow_sequences(every, stop).await });
    }
    {
        let orch = app.orch.clone();
        let deliver = app.deliverer();
        let stop = stop_rx.clone();
        tasks.spawn(async move {
            if let Err(e) = orch.work(deliver, stop).await {
                tracing::error!(error = %e, "worker stopped");
            }
        });
    }
    {
        let notifier = Notifier {
            store: app.store().clone(),
            slack: app.transports.slack.clone(),
            public_url: Some(app.settings.base_url()),
            extensions: app.orch.extensions().clone(),
        };
        let clock = app.orch.clock.clone();
        let every = Duration::from_millis(app.settings.notify_every_ms.max(50));
        let stop = stop_rx.clone();
        let wake = app.orch.to_announce();
        tasks.spawn(async move { notifier.run(clock.as_ref(), every, &wake, stop).await });
    }
    {
        let scheduler = Scheduler::new(app.orch.clone());
        let every = Duration::from_millis(app.settings.schedule_every_ms.max(100));
        let stop = stop_rx.clone();
        tasks.spawn(async move { scheduler.run(every, stop).await });
    }
    {
        // Which connected accounts this replica reads; the apps' source
        // loops read only those.
        let leases = app.leases.clone();
        let stop = stop_rx.clone();
        tasks.spawn(async move { leases.run(stop).await });
    }
    for web in &app.apps {
        if let Err(e) = web.workers(&app, &stop_rx, &mut tasks) {
            let _ = stop_tx.send(true);
            server.abort();
            while tasks.join_next().await.is_some() {}
            return Err(e);
        }
    }
    let result = (&mut server).await;
    let _ = stop_tx.send(true);
    while tasks.join_next().await.is_some() {}
    served(result)
}

/// Load the skills folder (progress in `/readyz`) and settle it against
/// the release log; refuse step params that break their skill's params
/// schema; then report what cannot run. The service is ready once the
/// folders are watched as well (see [`serve`]).
async fn load_skills(app: &App) -> Result<(), ServiceError> {
    let loading = &app.loading;
    app.orch
        .registry
        .load_folder(
            |done, of| {
                loading.loaded.store(done, Ordering::Relaxed);
                loading.of.store(of, Ordering::Relaxed);
            },
            baton_engine::runtime::Compile::QuickFirst,
        )
        .await
        .map_err(|source| ServiceError::Skills {
            dir: app.orch.registry.dir().display().to_string(),
            source,
        })?;
    app.orch
        .releases
        .settle()
        .await
        .map_err(ServiceError::Releases)?;
    if !records_after_ready(app) {
        app.orch
            .releases
            .record_unlogged()
            .await
            .map_err(|e| ServiceError::Releases(e.into()))?;
    }
    let bad = app.orch.settle_sequences();
    if !bad.is_empty() {
        return Err(ServiceError::Params(bad));
    }
    // The folder's new texts recorded as versions; each event's recorded
    // head served (a rollback or a pin outlives a restart).
    let bad = app
        .orch
        .sync_sequences()
        .await
        .map_err(|e| ServiceError::Versions(e.to_string()))?;
    for p in &bad {
        tracing::warn!(problem = %p, "a recorded sequence version does not load; the folder's serves");
    }
    for p in app.orch.registry.problems() {
        tracing::warn!(path = %p.path, reason = %p.reason, "skill not loaded");
    }
    Ok(())
}

/// Whether the folder's versions the release log does not name yet are
/// recorded once the service is ready rather than before. On SQLite, yes:
/// writing a new database's 59 MB of components was most of its start,
/// and serving beside that write showed no cost (docs/service.md). On
/// Postgres, no: the server compresses and writes them for about two
/// seconds, and a ladder run started at readiness saw its 25/s p50 go
/// from 156–358 ms to 800 ms; other replicas read the log as well.
fn records_after_ready(app: &App) -> bool {
    app.orch.store.backend() == baton_engine::store::Backend::Sqlite
}

/// Bind `addr`.
pub async fn listen(addr: &str) -> Result<tokio::net::TcpListener, ServiceError> {
    tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| ServiceError::Listen {
            addr: addr.to_owned(),
            source,
        })
}
