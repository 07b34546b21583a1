//! `/openapi.json` against the service it describes.
//!
//! - Every route the router serves (read from the `.route(…)` calls of the
//!   service's shell, `host/service/src/`, and of the sales app's side,
//!   `host/sales/src/web/`) is documented with its methods, and every
//!   documented operation is served; a method not documented on a path is
//!   answered 405.
//! - schemathesis (from the test virtualenv, `tests/python/requirements.txt`;
//!   credentials in `tests/python/schemathesis.toml`) runs over the document
//!   against the service on SQLite and on Postgres: an org token, the admin
//!   token, an inbox session, every webhook secret set (the Meeting BaaS key
//!   and the Gmail push token given to it), a fixed seed and at most 25
//!   cases per operation and phase. Any 5xx, and any status, content type
//!   or body the document does not describe, fails the test; the case counts
//!   are printed.

use baton_tests::server::{Server, Setup, env, start};
use baton_tests::{TestDb, python, root};
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

const ADMIN_TOKEN: &str = "schema-test-admin-token";
const MEETINGBAAS_KEY: &str = "schema-test-meetingbaas-key";
const GMAIL_TOKEN: &str = "schema-test-gmail-token";

/// The admin token and every webhook secret: each route answers as a
/// configured install does.
fn secrets() -> Vec<(String, String)> {
    env(&[
        ("BATON_ADMIN_TOKEN", ADMIN_TOKEN),
        ("BATON_MEETINGBAAS_API_KEY", MEETINGBAAS_KEY),
        (
            "BATON_MEETINGBAAS_WEBHOOK_SECRET",
            "whsec_c2NoZW1hLXRlc3QtbWVldGluZ2JhYXMtc2VjcmV0",
        ),
        ("BATON_SLACK_SIGNING_SECRET", "schema-test-slack-secret"),
        ("BATON_GMAIL_PUSH_TOKEN", GMAIL_TOKEN),
        (
            "BATON_WEBHOOK_SECRET",
            "whsec_c2NoZW1hLXRlc3QtZ2VuZXJpYy1zZWNyZXQ=",
        ),
        (
            "BATON_SECRET_KEY",
            "c2NoZW1hLXRlc3Qtc2VjcmV0LWtleS0zMi1ieXRlcyE=",
        ),
        (
            "BATON_GOOGLE_CLIENT_ID",
            "schema-test.apps.googleusercontent.com",
        ),
        ("BATON_GOOGLE_CLIENT_SECRET", "schema-test-google-secret"),
        // Nothing answers here: connecting never gets as far as Google.
        ("BATON_GOOGLE_TOKEN_URL", "http://127.0.0.1:9/token"),
        ("BATON_GOOGLE_API_URL", "http://127.0.0.1:9"),
    ])
}

/// `(METHOD, path)` of every route in the service's source: each
/// handler's `#[utoipa::path(method, path = "…")]` (added with its
/// document by `routes!`), and any `.route(path, method(h)…)`, which adds a
/// route without one.
fn routes_in_source() -> BTreeSet<(String, String)> {
    fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("read the service's folder") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                rust_files(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    rust_files(&root().join("host/service/src"), &mut files);
    rust_files(&root().join("host/sales/src/web"), &mut files);
    let mut routes = BTreeSet::new();
    for file in files {
        let src = std::fs::read_to_string(&file).expect("read source");
        for other in [".nest(", ".nest_service(", ".route_service("] {
            assert!(
                !src.contains(other),
                "{} uses `{other}`: teach tests/all/schema.rs to read it",
                file.display()
            );
        }
        for (at, _) in src.match_indices("#[utoipa::path(") {
            let args = balanced(&src[at + "#[utoipa::path".len()..]);
            let method = args.split(',').next().unwrap_or_default().trim();
            let path = args
                .split("path = \"")
                .nth(1)
                .and_then(|rest| rest.split('"').next())
                .unwrap_or_else(|| {
                    panic!("a handler without a literal path in {}", file.display())
                });
            routes.insert((method.to_uppercase(), path.to_owned()));
        }
        for (at, _) in src.match_indices(".route(") {
            let args = balanced(&src[at + ".route".len()..]);
            let path = args
                .split('"')
                .nth(1)
                .unwrap_or_else(|| panic!("a route without a literal path in {}", file.display()));
            let methods = method_calls(args);
            assert!(
                !methods.is_empty(),
                "no method for {path} in {}",
                file.display()
            );
            for m in methods {
                routes.insert((m, path.to_owned()));
            }
        }
    }
    routes
}

/// The text of the parenthesised group `s` starts with.
fn balanced(s: &str) -> &str {
    let mut depth = 0;
    for (i, c) in s.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return &s[1..i];
                }
            }
            _ => {}
        }
    }
    panic!("unbalanced parentheses: {s:.80}")
}

/// The HTTP methods a `.route(…)`'s method router names.
fn method_calls(args: &str) -> Vec<String> {
    let mut out = Vec::new();
    for m in ["get", "post", "put", "delete", "patch"] {
        let call = format!("{m}(");
        for (i, _) in args.match_indices(&call) {
            let before = args[..i].chars().last();
            if !before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                out.push(m.to_uppercase());
            }
        }
    }
    out
}

/// Every `$ref` in `v`.
fn references(v: &Value, out: &mut BTreeSet<String>) {
    match v {
        Value::Object(m) => {
            if let Some(Value::String(r)) = m.get("$ref") {
                out.insert(r.clone());
            }
            m.values().for_each(|v| references(v, out));
        }
        Value::Array(a) => a.iter().for_each(|v| references(v, out)),
        _ => {}
    }
}

async fn document(s: &Server) -> Value {
    s.http
        .get(s.url("/openapi.json"))
        .send()
        .await
        .expect("GET /openapi.json")
        .json()
        .await
        .expect("the document is JSON")
}

/// On SQLite only: this compares the router with its document, which no
/// backend changes (schemathesis below runs on both).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_route_is_documented_and_every_documented_operation_is_served() {
    let db = TestDb::sqlite().await;
    let s = start(
        db.store.clone(),
        Setup {
            env: secrets(),
            ..Setup::default()
        },
    )
    .await;
    let doc = document(&s).await;
    assert_eq!(doc["openapi"], "3.1.0");
    // A handler names a schema by a type (`named_schemas!`); each must be
    // one the document holds.
    let mut refs = BTreeSet::new();
    references(&doc, &mut refs);
    assert!(
        refs.len() > 30,
        "the operations name their schemas: {refs:?}"
    );
    let dangling: Vec<&String> = refs
        .iter()
        .filter(|r| {
            r.strip_prefix("#/components/schemas/")
                .is_none_or(|name| doc["components"]["schemas"].get(name).is_none())
        })
        .collect();
    assert!(dangling.is_empty(), "$refs to no schema: {dangling:?}");
    let paths = doc["paths"].as_object().expect("paths");
    // Each link names an operation of the document by its `operationId`
    // (schemathesis' stateful phase follows them).
    let operations: BTreeSet<&str> = paths
        .values()
        .filter_map(|ops| ops.as_object())
        .flat_map(|ops| ops.values())
        .filter_map(|op| op["operationId"].as_str())
        .collect();
    let mut links = 0;
    for op in paths
        .values()
        .filter_map(|ops| ops.as_object())
        .flat_map(|ops| ops.values())
    {
        for response in op["responses"]
            .as_object()
            .into_iter()
            .flat_map(|r| r.values())
        {
            for (name, link) in response["links"].as_object().into_iter().flatten() {
                links += 1;
                let target = link["operationId"].as_str();
                assert!(
                    target.is_some_and(|t| operations.contains(t)),
                    "link {name}: {link} names no operation of the document"
                );
            }
        }
    }
    assert!(
        links >= 15,
        "the list routes link to their items: {links} links"
    );
    let mut documented = BTreeSet::new();
    for (path, ops) in paths {
        for (method, op) in ops.as_object().expect("operations") {
            documented.insert((method.to_uppercase(), path.clone()));
            let declared: BTreeSet<&str> = op["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|p| p["in"] == "path")
                .filter_map(|p| p["name"].as_str())
                .collect();
            let templated: BTreeSet<&str> = path
                .split('{')
                .skip(1)
                .filter_map(|s| s.split_once('}').map(|(n, _)| n))
                .collect();
            assert_eq!(declared, templated, "{method} {path}: its path parameters");
            for p in op["parameters"].as_array().into_iter().flatten() {
                if p["in"] == "path" {
                    assert_eq!(p["required"], true, "{method} {path}: {p}");
                    assert_eq!(p["schema"]["type"], "string", "{method} {path}: {p}");
                }
            }
            assert!(
                op["responses"].get("400").is_some(),
                "{method} {path}: every route answers 400 to a NUL byte in its path"
            );
        }
    }
    let served = routes_in_source();
    let undocumented: Vec<_> = served.difference(&documented).collect();
    let unserved: Vec<_> = documented.difference(&served).collect();
    assert!(
        undocumented.is_empty(),
        "served but not in /openapi.json: {undocumented:?}"
    );
    assert!(
        unserved.is_empty(),
        "in /openapi.json but not served: {unserved:?}"
    );

    // The live router agrees: each documented operation is routed, and a
    // method not documented on a path is 405.
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    for (path, ops) in paths {
        let concrete = path
            .replace("{id}", "x")
            .replace("{handle}", "rep1")
            .replace("{slug}", "acme")
            .replace("{event_type}", "meeting_ended")
            .replace("{source}", "crm")
            .replace("{secret}", "x");
        for method in ["GET", "POST", "PUT", "DELETE", "PATCH"] {
            let r = client
                .request(method.parse().expect("method"), s.url(&concrete))
                .send()
                .await
                .expect("request");
            let status = r.status().as_u16();
            let body = r.text().await.unwrap_or_default();
            if ops.get(method.to_lowercase()).is_some() {
                assert!(
                    !body.contains("no route for") && status != 405,
                    "{method} {path} is documented but not served ({status})"
                );
            } else {
                assert_eq!(
                    status, 405,
                    "{method} {path} is not documented, so it must not be served: {body}"
                );
            }
        }
    }
    s.stop().await;
    db.finish().await;
}

/// Run schemathesis over the document on `db`'s backend.
async fn schemathesis(db: TestDb, backend: &str) {
    // A HubSpot that answers: a token connected is tried on it (a token it
    // does not know is a 422), as on a configured install; without one the
    // try cannot reach HubSpot and answers 502.
    let hubspot = baton_tests::HubSpotPeer::start("schema-test-hubspot-token");
    let mut env = secrets();
    env.push(("BATON_HUBSPOT_API_URL".into(), hubspot.url.clone()));
    let s = start(
        db.store.clone(),
        Setup {
            env,
            ..Setup::default()
        },
    )
    .await;
    seed(&s).await;
    let session = inbox_session(&s).await;
    // One run at a time: the two backends' runs share 2 cores.
    let _turn = TURN.lock().await;
    let args = schemathesis_args(&s.url("/openapi.json"));
    let org = s.token.clone();
    let scratch = tempfile::tempdir().expect("tempdir");
    let cwd = scratch.path().to_owned();
    let started = std::time::Instant::now();
    let out = tokio::task::spawn_blocking(move || {
        Command::new(python())
            .args(["-m", "schemathesis.cli"])
            .args(&args)
            .env("BATON_ST_ORG_TOKEN", org)
            .env("BATON_ST_ADMIN_TOKEN", ADMIN_TOKEN)
            .env("BATON_ST_SESSION", session)
            .env("BATON_ST_MEETINGBAAS_KEY", MEETINGBAAS_KEY)
            .env("BATON_ST_GMAIL_TOKEN", GMAIL_TOKEN)
            .env(
                "SCHEMATHESIS_HOOKS",
                root().join("tests/python/schemathesis_hooks.py"),
            )
            .env("NO_COLOR", "1")
            .current_dir(cwd)
            .output()
            .expect(
                "run schemathesis (is it in the test virtualenv? tests/python/requirements.txt)",
            )
    })
    .await
    .expect("schemathesis");
    let took = started.elapsed();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let counts = case_counts(&stdout);
    println!(
        "schemathesis on {backend}: {counts} in {:.1} s\n{}",
        took.as_secs_f64(),
        section(&stdout, &["SUMMARY"])
    );
    s.stop().await;
    db.finish().await;
    assert!(
        out.status.success(),
        "schemathesis found problems on {backend} ({counts}); rerun with the seed to see them again:\n{}\n{}",
        section(&stdout, &["ERRORS", "FAILURES", "SUMMARY"]),
        short_lines(&stderr)
    );
}

/// From the first `=== NAME ===` line of schemathesis's report (any of
/// `names`) to its end, each line cut short (an internal error prints whole
/// source files).
fn section(stdout: &str, names: &[&str]) -> String {
    let at = stdout
        .lines()
        .position(|l| l.starts_with('=') && names.iter().any(|n| l.contains(&format!(" {n} "))))
        .unwrap_or(0);
    short_lines(&stdout.lines().skip(at).collect::<Vec<_>>().join("\n"))
}

fn short_lines(text: &str) -> String {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| match l.char_indices().nth(300) {
            Some((at, _)) => format!("{}…", &l[..at]),
            None => l.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Sign in to the inbox with the org token: the session cookie's value.
async fn inbox_session(s: &Server) -> String {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let r = client
        .post(s.url("/inbox/login"))
        .form(&[("token", s.token.as_str())])
        .send()
        .await
        .expect("sign in");
    assert_eq!(
        r.status().as_u16(),
        303,
        "signing in redirects to the inbox"
    );
    r.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|c| c.strip_prefix("baton_session="))
        .and_then(|c| c.split(';').next())
        .map(str::to_owned)
        .expect("a session cookie")
}

static TURN: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// The command line (after `python -m schemathesis.cli`).
fn schemathesis_args(url: &str) -> Vec<String> {
    let config = root().join("tests/python/schemathesis.toml");
    [
        "--config-file",
        &config.display().to_string(),
        "run",
        url,
        "--checks",
        "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance",
        "--max-examples",
        "25",
        "--seed",
        "20261123",
        // One worker: reproducible from the seed (and hypothesis's
        // generation is not safe across threads in this version).
        "--workers",
        "1",
        "--request-timeout",
        "10",
        "--no-color",
        // Every failure, not only the first of each operation.
        "--continue-on-failure",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

/// schemathesis's case counts, from its summary (`Test cases:` line).
fn case_counts(stdout: &str) -> String {
    stdout
        .lines()
        .skip_while(|l| !l.trim_start().starts_with("Test cases:"))
        .nth(1)
        .map(|l| l.trim().to_owned())
        .unwrap_or_else(|| "no case count printed".into())
}

/// Something in every list: a decided approval (its job completed, an
/// email waiting in the outbox), an open one, and an address on the
/// do-not-contact list, so list responses are checked item by item.
async fn seed(s: &Server) {
    let (status, first) = s.event("m-1").await;
    assert_eq!(status, 202, "{first:#}");
    let job = first["job_id"].as_str().expect("job").to_owned();
    let gate = s.open_gate(&job).await;
    let id = gate["id"].as_str().expect("gate id");
    let (status, body) = s
        .post(
            &format!("/v1/approvals/{id}/decision"),
            json!({ "decision": "approved", "note": "looks right" }),
        )
        .await;
    assert_eq!(status, 200, "{body:#}");
    s.wait_job(&job, |j| j["status"] == "completed").await;
    let (status, second) = s.event("m-2").await;
    assert_eq!(status, 202, "{second:#}");
    s.open_gate(second["job_id"].as_str().expect("job")).await;
    let (status, body) = s
        .post(
            "/v1/do-not-contact",
            json!({ "email": "gone@example.com", "reason": "asked by phone" }),
        )
        .await;
    assert_eq!(status, 200, "{body:#}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn schemathesis_finds_nothing_on_sqlite() {
    schemathesis(TestDb::sqlite().await, "SQLite").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn schemathesis_finds_nothing_on_postgres() {
    schemathesis(TestDb::postgres().await, "Postgres").await;
}
