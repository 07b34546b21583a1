//! The load run (`cargo xtask bench --load`) in small: three seconds of
//! Meeting BaaS webhooks at 5 a second against the real `baton serve` with
//! the shipped skills. Every webhook is accepted, every meeting's job asks
//! for approval in the loopback Slack, and each job's latency is measured
//! once. How fast is the bench's business, not the suite's.

use baton_tests::backend_test;
use baton_tests::load::LoadRun;
use std::collections::BTreeSet;

backend_test!(
    a_short_load_run_gets_every_meeting_to_an_approval_request_in_slack,
    |backend| async move {
        let report = LoadRun::new(backend, 5.0, 15)
            .run()
            .await
            .unwrap_or_else(|e| panic!("the load run: {e}"));
        assert_eq!(report.sent, 15);
        assert!(
            report.rejected.is_empty(),
            "every webhook accepted: {:#?}",
            report.rejected
        );
        let jobs: BTreeSet<&String> = report.jobs.iter().collect();
        assert_eq!(jobs.len(), 15, "a job per meeting: {:?}", report.jobs);
        let measured: BTreeSet<&String> = report.latencies.keys().collect();
        assert_eq!(
            measured, jobs,
            "every job's approval request reached Slack, measured once; the server's log ends:\n{}",
            report.server_log
        );
        assert!(report.check().is_ok());
        assert!(report.percentile(99.0).is_some());
        assert!(!report.cpu.window.is_zero(), "{:?}", report.cpu);
    }
);
