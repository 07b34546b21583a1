//! Every hostile guest is contained: the call fails with the right exit code
//! and reason, and the host goes on serving normal calls. Each guest in
//! `tests/guests/` has a module of tests named for it, and the build checks
//! that every guest has one.

use baton::registry::{Grants, load_skill};
use baton::runtime::{
    CallContext, Capability, LimitKind, Limits, Runtime, RuntimeConfig, RuntimeError, TrapKind,
};
use baton_tests::{HttpPeer, baton, guest, input};
use std::sync::Arc;
use std::time::Duration;

// The guests in tests/guests/Cargo.toml, written by build.rs.
include!(concat!(env!("OUT_DIR"), "/guests.rs"));

/// Each guest has its tests in a module named for it: a guest added to
/// `tests/guests/Cargo.toml` without one fails to compile here.
macro_rules! assert_test_exists {
    ($name:ident) => {
        #[allow(unused_imports)]
        use self::$name as _;
    };
}

foreach_guest!(assert_test_exists);

/// `scripted` runs whatever its params say: it drives the orchestrator's
/// tests (the engine's test binary, and here the gates the sales app names),
/// the service's, and the crash test's worker.
use crate::gates as scripted;

/// `off-schema` breaks its own output schema on request: its tests are the
/// boundary checks of params and outputs.
use crate::off_schema;

/// `echo-headers` returns the headers of its own request: its tests are
/// provider-key injection's (the key reaches the provider, not the skill).
use crate::service::keys as echo_headers;

/// `intents-strict` is a changed detect-intents: its tests are shadow
/// replay's.
use crate::replay as intents_strict;

fn run_guest(name: &str, extra: &[&str]) -> baton_tests::Run {
    let path = guest(name);
    let mut args = vec![
        "skill".to_owned(),
        "run".to_owned(),
        path.display().to_string(),
    ];
    args.extend([
        "--input".to_owned(),
        input("meeting_ended", serde_json::json!({})),
    ]);
    args.extend(extra.iter().map(|s| s.to_string()));
    baton(args)
}

mod r#loop {
    use super::*;

    #[test]
    fn runs_out_of_fuel() {
        let r = run_guest("loop", &["--fuel", "50000000"]);
        assert_eq!(r.code, 4, "{r:#?}");
        assert!(r.stderr.contains("fuel"), "{r:#?}");
    }

    #[test]
    fn with_ample_fuel_hits_the_deadline() {
        let r = run_guest("loop", &["--fuel", "100000000000", "--timeout-ms", "200"]);
        assert_eq!(r.code, 4, "{r:#?}");
        assert!(r.stderr.contains("deadline"), "{r:#?}");
    }
}

mod memory_bomb {
    use super::*;

    #[test]
    fn hits_the_memory_cap() {
        let r = run_guest("memory-bomb", &["--memory-mib", "32"]);
        assert_eq!(r.code, 4, "{r:#?}");
        assert!(r.stderr.contains("memory"), "{r:#?}");
    }
}

mod recursion {
    use super::*;

    #[test]
    fn overflows_the_stack() {
        let r = run_guest("recursion", &[]);
        assert_eq!(r.code, 6, "{r:#?}");
        assert!(r.stderr.contains("stack overflow"), "{r:#?}");
    }
}

mod huge_output {
    use super::*;

    #[test]
    fn hits_the_output_cap() {
        let r = run_guest(
            "huge-output",
            &["--memory-mib", "512", "--max-output-kib", "1024"],
        );
        assert_eq!(r.code, 4, "{r:#?}");
        assert!(r.stderr.contains("output"), "{r:#?}");
        assert!(r.stdout.is_empty(), "nothing of the output is printed");
    }
}

mod panic {
    use super::*;

    #[test]
    fn is_a_trap_with_its_message() {
        let r = run_guest("panic", &[]);
        assert_eq!(r.code, 6, "{r:#?}");
        assert!(r.stderr.contains("panic"), "{r:#?}");
        assert!(
            r.stderr
                .contains("deliberate panic while handling meeting_ended"),
            "{r:#?}"
        );
    }
}

mod denied_capability {
    use super::*;

    #[test]
    fn is_refused_and_named() {
        let context = r#"{"org": {"name": "Acme"}, "contact": {"name": "Dana"}}"#;
        // Granted the org tier only: the contact read is denied at call time.
        let r = run_guest(
            "denied-capability",
            &["--grant", "context:org", "--context", context],
        );
        assert_eq!(r.code, 5, "{r:#?}");
        assert!(
            r.stderr.contains("denied") && r.stderr.contains("context:contact"),
            "{r:#?}"
        );
        // Granted nothing: refused at load, naming the interface.
        let r = run_guest("denied-capability", &[]);
        assert_eq!(r.code, 5, "{r:#?}");
        assert!(
            r.stderr.contains("denied") && r.stderr.contains("baton:skill/context"),
            "{r:#?}"
        );
        // Granted both: it runs and sees both tiers.
        let r = run_guest(
            "denied-capability",
            &[
                "--grant",
                "context:org",
                "--grant",
                "context:contact",
                "--context",
                context,
            ],
        );
        assert_eq!(r.code, 0, "{r:#?}");
        assert_eq!(r.json()["data"]["contact"]["name"], "Dana");
    }
}

mod fs_escape {
    use super::*;

    #[test]
    fn reads_only_its_own_folder() {
        let data = tempfile::tempdir().expect("tempdir");
        std::fs::write(data.path().join("allowed.txt"), "own data").expect("write");
        let dir = data.path().display().to_string();
        let r = run_guest("fs-escape", &["--grant", "files", "--data", &dir]);
        assert_eq!(r.code, 3, "{r:#?}");
        assert!(r.stderr.contains("own data read (own data)"), "{r:#?}");
        assert!(
            r.stderr.contains("4 escapes and one write blocked"),
            "{r:#?}"
        );
        assert!(!r.stdout.contains("root:"), "{r:#?}");
        assert_eq!(
            std::fs::read_to_string(data.path().join("allowed.txt")).expect("read"),
            "own data"
        );
        // Without the `files` grant the folder is not even mounted.
        let r = run_guest("fs-escape", &["--data", &dir]);
        assert_eq!(r.code, 3, "{r:#?}");
        assert!(r.stderr.contains("cannot read own data"), "{r:#?}");
    }
}

mod http_denied {
    use super::*;

    #[test]
    fn reaches_only_the_granted_host() {
        let peer = HttpPeer::start();
        let payload = serde_json::json!({
            "allowed": format!("127.0.0.1:{}", peer.port),
            "denied": format!("localhost:{}", peer.port),
        });
        let r = baton([
            "skill".to_owned(),
            "run".to_owned(),
            guest("http-denied").display().to_string(),
            "--input".to_owned(),
            input("meeting_ended", payload),
            "--grant".to_owned(),
            format!("http:127.0.0.1:{}", peer.port),
        ]);
        assert_eq!(r.code, 5, "{r:#?}");
        assert!(
            r.stderr.contains("denied")
                && r.stderr.contains(&format!("http:localhost:{}", peer.port)),
            "{r:#?}"
        );
        assert_eq!(peer.hits(), 1, "only the granted request reached the peer");
    }
}

mod sockets {
    use super::*;
    use std::net::{TcpListener, UdpSocket};

    /// A component importing `wasi:sockets` loads (interpreters built by
    /// componentize-py import it whole), and every use is denied at run time.
    #[test]
    fn loads_but_every_socket_is_denied() {
        let path = guest("sockets").display().to_string();
        let r = baton(["skill", "check", &path]);
        assert_eq!(r.code, 0, "{r:#?}");
        let listener = TcpListener::bind("127.0.0.1:0").expect("listen");
        listener.set_nonblocking(true).expect("nonblocking");
        let port = listener.local_addr().expect("addr").port();
        let r = baton([
            "skill".to_owned(),
            "run".to_owned(),
            path,
            "--input".to_owned(),
            input("meeting_ended", serde_json::json!({ "port": port })),
        ]);
        assert_eq!(r.code, 0, "{r:#?}");
        let data = &r.json()["data"];
        assert_eq!(data["tcp"], "access-denied", "{r:#?}");
        assert_eq!(data["udp"], "access-denied", "{r:#?}");
        assert_ne!(data["lookup"], "ok", "{r:#?}");
        assert!(
            matches!(listener.accept(), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock),
            "the guest reached the listener"
        );
        // The denial is the sandbox's, not the machine's: the host itself
        // can bind UDP on loopback.
        UdpSocket::bind("127.0.0.1:0").expect("the host can bind UDP");
    }
}

mod gatekeeper {
    use super::*;

    #[test]
    fn requests_a_gate_then_honours_the_edit() {
        let r = run_guest("gatekeeper", &["--grant", "approvals"]);
        assert_eq!(r.code, 0, "{r:#?}");
        let out = r.json();
        assert_eq!(out["gates"][0]["key"], "send-email");
        assert_eq!(out["gates"][0]["pattern"], "confirm");
        assert_eq!(out["actions"], serde_json::json!([]));
        let decided = r#"{"decisions": {"send-email": {"decision": "edited", "value": {"subject": "Edited"}}}}"#;
        let r = run_guest(
            "gatekeeper",
            &["--grant", "approvals", "--context", decided],
        );
        assert_eq!(r.code, 0, "{r:#?}");
        let out = r.json();
        assert_eq!(out["gates"], serde_json::json!([]));
        assert_eq!(out["actions"][0]["kind"], "email_send");
        assert_eq!(out["actions"][0]["payload"]["subject"], "Edited");
    }
}

mod trivial {
    use super::*;

    #[test]
    fn runs_and_reports_stats() {
        let r = run_guest("trivial", &["--stats"]);
        assert_eq!(r.code, 0, "{r:#?}");
        assert_eq!(
            r.json()["data"],
            serde_json::json!({ "event": "meeting_ended", "version": "1.0.0" })
        );
        assert!(r.stderr.contains("fuel_used="), "{r:#?}");
    }
}

mod foreign {
    use super::*;

    #[test]
    fn command_is_refused_by_check_and_run() {
        let path = guest("foreign").display().to_string();
        let r = baton(["skill", "check", &path]);
        assert_eq!(r.code, 2, "{r:#?}");
        assert!(
            r.stderr.contains("not a baton skill") && r.stderr.contains("wasi:cli"),
            "{r:#?}"
        );
        assert_eq!(r.stderr.lines().count(), 1, "one-line reason: {r:#?}");
        let r = run_guest("foreign", &[]);
        assert_eq!(r.code, 2, "{r:#?}");
    }
}

/// What a hostile guest's error must look like.
type Expect = fn(&RuntimeError) -> bool;

/// Every hostile guest through one pooled runtime, each followed by a normal
/// call that must succeed: the host keeps serving.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_host_keeps_serving_after_every_hostile_guest() {
    let runtime = Runtime::new(RuntimeConfig {
        max_instances: 8,
        ..RuntimeConfig::default()
    })
    .expect("runtime");
    let mut grants = Grants::none();
    for cap in ["context:org", "files"] {
        grants.grant_all(cap.parse::<Capability>().expect("cap"));
    }
    let trivial = load_skill(&runtime, &guest("trivial"), &grants)
        .await
        .expect("trivial");
    let call_input: baton::runtime::CallInput =
        serde_json::from_str(&input("meeting_ended", serde_json::json!({}))).expect("input");
    let limits = Limits {
        fuel: 2_000_000_000,
        memory_bytes: 32 << 20,
        timeout: Duration::from_millis(500),
        output_bytes: 1 << 20,
    };
    let context = Arc::new(CallContext {
        org: Some(serde_json::json!({ "name": "Acme" })),
        contact: Some(serde_json::json!({ "name": "Dana" })),
        ..CallContext::default()
    });
    let cases: [(&str, Expect); 6] = [
        ("loop", |e| {
            matches!(
                e,
                RuntimeError::Limit {
                    kind: LimitKind::Fuel | LimitKind::Deadline,
                    ..
                }
            )
        }),
        ("memory-bomb", |e| {
            matches!(
                e,
                RuntimeError::Limit {
                    kind: LimitKind::Memory,
                    ..
                }
            )
        }),
        ("recursion", |e| {
            matches!(
                e,
                RuntimeError::Trap {
                    kind: TrapKind::StackOverflow,
                    ..
                }
            )
        }),
        ("huge-output", |e| {
            matches!(
                e,
                RuntimeError::Limit {
                    kind: LimitKind::Memory | LimitKind::Output,
                    ..
                }
            )
        }),
        ("panic", |e| {
            matches!(
                e,
                RuntimeError::Trap {
                    kind: TrapKind::Panic,
                    ..
                }
            )
        }),
        (
            "denied-capability",
            |e| matches!(e, RuntimeError::Denied { capability, .. } if capability == "context:contact"),
        ),
    ];
    for (name, expected) in cases {
        let hostile = load_skill(&runtime, &guest(name), &grants)
            .await
            .expect(name);
        let result = hostile.call(&call_input, &limits, context.clone()).await;
        let err = result.outcome.expect_err(name);
        assert!(expected(&err), "{name}: unexpected {err:?}");
        let ok = trivial.call(&call_input, &limits, context.clone()).await;
        assert!(
            ok.outcome.is_ok(),
            "normal call after {name} failed: {:?}",
            ok.outcome
        );
    }
}

/// More calls at once than the pool has instances (a burst of jobs whose
/// stages run skills side by side): the calls past the pool wait for a
/// slot and run, where wasmtime alone refused them ("maximum concurrent
/// limit … reached", a step failed under load). Each call is the `loop`
/// guest held to its deadline, so the calls overlap for certain.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn calls_beyond_the_pool_wait_for_an_instance() {
    const POOL: u32 = 2;
    let runtime = Runtime::new(RuntimeConfig {
        max_instances: POOL,
        ..RuntimeConfig::default()
    })
    .expect("runtime");
    let looping = load_skill(&runtime, &guest("loop"), &Grants::none())
        .await
        .expect("loop");
    let call_input: baton::runtime::CallInput =
        serde_json::from_str(&input("meeting_ended", serde_json::json!({}))).expect("input");
    let limits = Limits {
        fuel: u64::MAX / 4,
        memory_bytes: 32 << 20,
        timeout: Duration::from_millis(200),
        output_bytes: 1 << 20,
    };
    let call_input = Arc::new(call_input);
    let mut calls = tokio::task::JoinSet::new();
    for _ in 0..3 * POOL {
        let (looping, call_input) = (looping.clone(), call_input.clone());
        calls.spawn(async move {
            looping
                .call(&call_input, &limits, Arc::new(CallContext::default()))
                .await
                .outcome
        });
    }
    let outcomes = calls.join_all().await;
    assert_eq!(outcomes.len(), 3 * POOL as usize);
    for outcome in outcomes {
        let err = outcome.expect_err("the loop ends at its deadline");
        assert!(
            matches!(
                err,
                RuntimeError::Limit {
                    kind: LimitKind::Deadline,
                    ..
                }
            ),
            "every call runs to its deadline, none is refused an instance: {err:?}"
        );
    }
}
