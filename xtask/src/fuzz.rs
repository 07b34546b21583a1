//! `cargo xtask fuzz`: hostile input, at length.
//!
//! 1. The property tests of every parser that reads outside input (webhook
//!    bodies and signatures, sequence files, step conditions: `props`
//!    modules in the engine, service and sales crates under `host/`; the
//!    ICS reader: `skills/find-available-slots`)
//!    with `PROPTEST_CASES` cases each (default 10 000; `cargo xtask test`
//!    runs 256).
//! 2. schemathesis over `/openapi.json` of the real binary: `baton serve` on
//!    a fresh SQLite file with the demo org imported, every webhook secret
//!    set, a meeting's chain parked at its approvals, and the credentials of
//!    `tests/python/schemathesis.toml` (an org token, the admin token, an
//!    inbox session). `BATON_FUZZ_EXAMPLES` cases per operation and phase
//!    (default 20), seed `BATON_FUZZ_SEED`. Any 5xx, and
//!    any status, content type or body the document does not describe,
//!    fails the task. The in-test run (`tests/all/schema.rs`) is the same
//!    check, smaller, against the service in the test process.

use crate::demo::{lift_quiet_hours, wait_job};
use crate::service::{Api, Service, listen_addr, rel, secret, wait_ready};
use crate::{
    Build, Result, SKILLS_DIR, Tally, baton, build, cargo, ensure_python_env, root, step,
    target_dir,
};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

const CASES: &str = "10000";
const EXAMPLES: &str = "20";
const SEED: &str = "20261124";
const PORT: u16 = 8710;

fn setting(name: &str, default: &str) -> String {
    std::env::var(name)
        .ok()
        .filter(|v| !v.trim().is_empty())
        .unwrap_or_else(|| default.to_owned())
}

pub(crate) fn fuzz() -> Result {
    let started = Instant::now();
    build(Build::Demo)?;
    // A copy, made at once: a build running beside this task (another
    // worktree sharing the target dir) may replace target/release/baton.
    let dir = target_dir().join("fuzz");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let binary = dir.join("baton");
    std::fs::copy(baton(), &binary).map_err(|e| {
        format!(
            "cannot copy {} to {}: {e}",
            baton().display(),
            binary.display()
        )
    })?;
    let cases = setting("PROPTEST_CASES", CASES);
    let mut tally = Tally::default();
    step(&format!(
        "property tests of the host's parsers, {cases} cases each"
    ));
    tally.run(
        cargo()
            .args([
                "test",
                "--release",
                "-p",
                "baton-engine",
                "-p",
                "baton-service",
                "-p",
                "baton-sales",
                "--lib",
            ])
            .args(["--", "props"])
            .env("PROPTEST_CASES", &cases),
    )?;
    step(&format!(
        "property tests of the ICS reader (find-available-slots), {cases} cases each"
    ));
    tally.run(
        cargo()
            .args([
                "test",
                "--release",
                "-p",
                "find-available-slots",
                "--manifest-path",
            ])
            .arg(root().join(SKILLS_DIR).join("Cargo.toml"))
            .arg("--target-dir")
            .arg(target_dir().join("native-skills"))
            .args(["--", "props"])
            .env("PROPTEST_CASES", &cases),
    )?;
    let properties = tally.passed;
    let api_cases = schemathesis(&dir, &binary)?;
    step(&format!("fuzzed in {:.0?}", started.elapsed()));
    println!("{properties} property tests passed ({cases} cases each); schemathesis: {api_cases}");
    Ok(())
}

/// Start `binary` with the demo org (its files in `dir`), then run
/// schemathesis over it: its case counts.
fn schemathesis(dir: &Path, binary: &Path) -> Result<String> {
    let setup = std::fs::File::create(dir.join("setup.log")).map_err(|e| format!("{e}"))?;
    let python = ensure_python_env(&setup)?;
    let addr = listen_addr(PORT);
    let base = format!("http://{addr}");
    let admin = secret()?;
    let meetingbaas_key = secret()?;
    let gmail_token = secret()?;
    let log = dir.join("serve.log");
    step(&format!(
        "schemathesis: baton serve on {base} (SQLite {}, demo org), log {}",
        rel(&dir.join("baton.db")),
        rel(&log)
    ));
    let log_file =
        std::fs::File::create(&log).map_err(|e| format!("cannot create {}: {e}", log.display()))?;
    let child = Command::new(binary)
        .current_dir(root())
        .arg("serve")
        .arg("--database")
        .arg(dir.join("baton.db"))
        .args(["--import", "examples/demo.json"])
        .args(["--sequences", "sequences"])
        .arg("--skills")
        .arg(target_dir().join("skills"))
        .args(["--listen", &addr])
        .env("BATON_ADMIN_TOKEN", &admin)
        .env("BATON_MEETINGBAAS_API_KEY", &meetingbaas_key)
        .env(
            "BATON_MEETINGBAAS_WEBHOOK_SECRET",
            format!("whsec_{}", secret()?),
        )
        .env("BATON_SLACK_SIGNING_SECRET", secret()?)
        .env("BATON_GMAIL_PUSH_TOKEN", &gmail_token)
        .env("BATON_WEBHOOK_SECRET", format!("whsec_{}", secret()?))
        .env("BATON_PUBLIC_URL", &base)
        .env(
            "BATON_SMTP_URL",
            format!("file://{}", dir.join("mail").display()),
        )
        .env("BATON_CACHE_DIR", target_dir().join("component-cache"))
        .stdout(Stdio::null())
        .stderr(log_file)
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", binary.display()))?;
    let mut service = Service { child, log };
    let api = Api::new(base.clone());
    wait_ready(&mut service, &api)?;
    let (token, session) = credentials(&api, &admin)?;
    seed(&mut service, &api, &token, &meetingbaas_key)?;

    let examples = setting("BATON_FUZZ_EXAMPLES", EXAMPLES);
    let seed = setting("BATON_FUZZ_SEED", SEED);
    step(&format!(
        "schemathesis: {examples} cases per operation and phase, seed {seed}"
    ));
    let config = root().join("tests/python/schemathesis.toml");
    let out = Command::new(&python)
        .args(["-m", "schemathesis.cli", "--config-file"])
        .arg(&config)
        .args(["run", &format!("{base}/openapi.json")])
        .args([
            "--checks",
            "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance",
            "--max-examples",
            &examples,
            "--seed",
            &seed,
            "--workers",
            "1",
            "--request-timeout",
            "10",
            "--no-color",
            "--continue-on-failure",
        ])
        .env("BATON_ST_ORG_TOKEN", &token)
        .env("BATON_ST_ADMIN_TOKEN", &admin)
        .env("BATON_ST_SESSION", &session)
        .env("BATON_ST_MEETINGBAAS_KEY", &meetingbaas_key)
        .env("BATON_ST_GMAIL_TOKEN", &gmail_token)
        .env(
            "SCHEMATHESIS_HOOKS",
            root().join("tests/python/schemathesis_hooks.py"),
        )
        .env("NO_COLOR", "1")
        .current_dir(dir)
        .output()
        .map_err(|e| format!("cannot run schemathesis from {}: {e}", python.display()))?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let report = dir.join("schemathesis.txt");
    let _ = std::fs::write(&report, stdout.as_bytes());
    let counts = stdout
        .lines()
        .skip_while(|l| !l.trim_start().starts_with("Test cases:"))
        .nth(1)
        .map(|l| l.trim().to_owned())
        .unwrap_or_else(|| "no case count printed".into());
    let summary = stdout
        .lines()
        .skip_while(|l| !(l.starts_with('=') && l.contains(" SUMMARY ")))
        .collect::<Vec<_>>()
        .join("\n");
    println!("{summary}");
    service.stop();
    if !out.status.success() {
        return Err(format!(
            "schemathesis found problems ({counts}); the whole report is in {}, the service's log in {}\n{}",
            rel(&report),
            rel(&service.log),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(counts)
}

/// An org token for `demo` (made with the admin token) and an inbox
/// session cookie (signing in with it).
fn credentials(api: &Api, admin: &str) -> Result<(String, String)> {
    let (status, answer) = api.call(
        "POST",
        "/v1/admin/orgs/demo/tokens",
        &[("authorization", &format!("Bearer {admin}"))],
        Some(r#"{"name": "fuzz"}"#),
    )?;
    let token = answer["token"]
        .as_str()
        .ok_or_else(|| format!("cannot create an org token ({status}): {answer}"))?
        .to_owned();
    let (status, cookies) = api.post_form("/inbox/login", &[("token", &token)])?;
    let session = cookies
        .iter()
        .find_map(|c| c.strip_prefix("baton_session="))
        .and_then(|c| c.split(';').next())
        .ok_or_else(|| format!("signing in to the inbox gave no session cookie ({status})"))?
        .to_owned();
    Ok((token, session))
}

/// Something in every list: the demo meeting's chain, parked at its
/// approvals.
fn seed(service: &mut Service, api: &Api, token: &str, meetingbaas_key: &str) -> Result {
    let auth = format!("Bearer {token}");
    lift_quiet_hours(api, &auth)?;
    let webhook =
        std::fs::read_to_string(root().join("examples/webhooks/meetingbaas-complete.json"))
            .map_err(|e| format!("cannot read the sample webhook: {e}"))?;
    let (status, accepted) = api.call(
        "POST",
        "/v1/webhooks/meetingbaas",
        &[("x-meeting-baas-api-key", meetingbaas_key)],
        Some(&webhook),
    )?;
    let job = accepted["job_id"]
        .as_str()
        .ok_or_else(|| format!("the meeting webhook was not accepted ({status}): {accepted}"))?
        .to_owned();
    wait_job(service, api, &auth, &job).map(drop)
}
