//! `cargo xtask demo`: baton as an operator runs it. The service starts on
//! an embedded SQLite file with the demo org loaded, a Meeting BaaS
//! "meeting ended" webhook arrives, the chain runs through the sandbox, and
//! the follow-up draft waits in the web inbox for the rep.
//!
//! Approved email goes to a mail drop (`target/demo/mail/*.eml`) rather
//! than a real relay. With a terminal attached the service keeps running
//! until Ctrl-C so the inbox can be used; otherwise it stops after the draft
//! is shown.

use crate::service::{Api, Service, listen_addr, rel, secret, wait_ready};
use crate::{Result, root, step, target_dir};
use serde_json::{Value, json};
use std::io::IsTerminal;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The port the demo prefers (another is picked when it is taken).
const PORT: u16 = 8700;

/// Run the demo; `baton` is the built binary.
pub fn run(baton: &Path) -> Result {
    let dir = target_dir().join("demo");
    let db = dir.join("baton.db");
    let mail = dir.join("mail");
    for stale in ["baton.db", "baton.db-wal", "baton.db-shm"] {
        let _ = std::fs::remove_file(dir.join(stale));
    }
    let _ = std::fs::remove_dir_all(&mail);
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let addr = listen_addr(PORT);
    let base = format!("http://{addr}");
    let admin = secret()?;
    let meetingbaas_key = secret()?;

    step(&format!(
        "demo: baton serve on {base} (SQLite {}, demo org from examples/demo.json)",
        rel(&db)
    ));
    let log = dir.join("serve.log");
    let log_file =
        std::fs::File::create(&log).map_err(|e| format!("cannot create {}: {e}", log.display()))?;
    let child = Command::new(baton)
        .current_dir(root())
        .arg("serve")
        .arg("--database")
        .arg(&db)
        .args(["--import", "examples/demo.json"])
        .args(["--sequences", "sequences"])
        .arg("--skills")
        .arg(target_dir().join("skills"))
        .args(["--listen", &addr])
        .env("BATON_ADMIN_TOKEN", &admin)
        .env("BATON_MEETINGBAAS_API_KEY", &meetingbaas_key)
        .env("BATON_PUBLIC_URL", &base)
        .env("BATON_SMTP_URL", format!("file://{}", mail.display()))
        .env("BATON_CONTENT_DIR", root().join("examples/content"))
        .env("BATON_CACHE_DIR", target_dir().join("component-cache"))
        .stdout(Stdio::null())
        .stderr(log_file)
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", baton.display()))?;
    let mut service = Service { child, log };
    let api = Api::new(base.clone());
    wait_ready(&mut service, &api)?;

    let admin_auth = format!("Bearer {admin}");
    let (status, token) = api.call(
        "POST",
        "/v1/admin/orgs/demo/tokens",
        &[("authorization", &admin_auth)],
        Some(&json!({ "name": "demo" }).to_string()),
    )?;
    let token = token["token"]
        .as_str()
        .ok_or_else(|| format!("cannot create an org token ({status}): {token}"))?;
    let auth = format!("Bearer {token}");
    lift_quiet_hours(&api, &auth)?;

    step("demo: Meeting BaaS posts `complete` for the Northwind discovery call");
    let webhook =
        std::fs::read_to_string(root().join("examples/webhooks/meetingbaas-complete.json"))
            .map_err(|e| format!("cannot read the sample webhook: {e}"))?;
    let (status, accepted) = api.call(
        "POST",
        "/v1/webhooks/meetingbaas",
        &[("x-meeting-baas-api-key", &meetingbaas_key)],
        Some(&webhook),
    )?;
    if status != 202 {
        return Err(format!(
            "the webhook was not accepted ({status}): {accepted}"
        ));
    }
    let job = accepted["job_id"]
        .as_str()
        .ok_or("the webhook's answer names no job")?
        .to_owned();
    println!("    accepted: job {job}");
    let view = wait_job(&mut service, &api, &auth, &job)?;
    print_steps(&view);

    let (_, approvals) = api.call("GET", "/v1/approvals", &[("authorization", &auth)], None)?;
    let gates: Vec<&Value> = approvals
        .as_array()
        .into_iter()
        .flatten()
        .filter(|g| g["job_id"] == job.as_str())
        .collect();
    let draft = gates
        .iter()
        .find(|g| g["step_name"] == "draft-followup-email")
        .ok_or_else(|| format!("no follow-up draft is waiting for job {job}: {approvals}"))?;
    print_draft(draft);
    for g in gates
        .iter()
        .filter(|g| g["step_name"] != "draft-followup-email")
    {
        print_gate(g);
    }
    print_effects_and_follow_ups(&view);
    print_follow_up_gates(&api, &auth, &job)?;
    print_morning_brief(&mut service, &api, &auth)?;

    let (status, link) = api.call(
        "POST",
        "/v1/admin/orgs/demo/magic-links",
        &[("authorization", &admin_auth)],
        Some(&json!({ "user": "rep1", "minutes": 60 }).to_string()),
    )?;
    let url = link["url"]
        .as_str()
        .ok_or_else(|| format!("cannot create a sign-in link ({status}): {link}"))?;
    println!();
    println!("The follow-up, the CRM changes and the tasks wait for Jordan (rep1) in the inbox;");
    println!("open this link to sign in:");
    println!();
    println!("    {url}");
    println!();
    println!("Or sign in at {base}/inbox with the org token: {token}");
    println!(
        "Approved email is written to {}/ (a mail drop).",
        rel(&mail)
    );
    println!(
        "API: {base}/openapi.json · metrics: {base}/metrics · log: {}",
        rel(&service.log)
    );
    if std::io::stdin().is_terminal() {
        println!();
        println!("Serving until Ctrl-C.");
        let _ = service.child.wait();
    } else {
        println!();
        println!(
            "No terminal attached: stopping the service. Run `cargo xtask demo` in a terminal to keep it up."
        );
        service.stop();
    }
    Ok(())
}

/// An event that arrives in the rep's quiet hours waits for their next
/// active window; the demo should not, whatever the hour in New York.
pub(crate) fn lift_quiet_hours(api: &Api, auth: &str) -> Result {
    let path = "/v1/users/rep1/preferences";
    let (status, mut prefs) = api.call("GET", path, &[("authorization", auth)], None)?;
    if status != 200 {
        return Err(format!("GET {path}: {status} {prefs}"));
    }
    prefs["quiet_start_min"] = Value::Null;
    prefs["quiet_end_min"] = Value::Null;
    let (status, answer) = api.call(
        "PUT",
        path,
        &[("authorization", auth)],
        Some(&prefs.to_string()),
    )?;
    if status != 200 {
        return Err(format!("PUT {path}: {status} {answer}"));
    }
    println!(
        "    rep1's quiet hours lifted for the demo (events in quiet hours wait for the morning)"
    );
    Ok(())
}

/// Poll the job until it waits for a person (or ends), printing progress.
pub(crate) fn wait_job(service: &mut Service, api: &Api, auth: &str, job: &str) -> Result<Value> {
    let started = Instant::now();
    let mut shown = String::new();
    while started.elapsed() < Duration::from_secs(120) {
        let (status, view) = api.call(
            "GET",
            &format!("/v1/jobs/{job}"),
            &[("authorization", auth)],
            None,
        )?;
        if status != 200 {
            return Err(format!("GET /v1/jobs/{job}: {status} {view}"));
        }
        let now = view["status"].as_str().unwrap_or("?").to_owned();
        if now != shown {
            println!("    job {now}");
            shown = now.clone();
        }
        match now.as_str() {
            "awaiting_approval" => return Ok(view),
            "failed" | "cancelled" | "completed" => {
                return Err(format!(
                    "the job ended `{now}` before its draft was ready: {}\nlog ({}):\n{}",
                    view["error"],
                    rel(&service.log),
                    service.log_tail()
                ));
            }
            _ => std::thread::sleep(Duration::from_millis(200)),
        }
    }
    Err(format!(
        "job {job} was not waiting for approval after 120 s"
    ))
}

fn print_steps(view: &Value) {
    println!();
    println!("Steps (each a sandboxed WebAssembly component):");
    for r in view["step_runs"].as_array().into_iter().flatten() {
        println!(
            "  {:<26} v{:<7} {:<18} fuel {:>11}  {} ms",
            r["skill_name"].as_str().unwrap_or("?"),
            r["skill_version"].as_str().unwrap_or("?"),
            r["status"].as_str().unwrap_or("?"),
            r["fuel"].as_u64().unwrap_or(0),
            r["duration_ms"].as_u64().unwrap_or(0),
        );
    }
}

fn print_draft(approval: &Value) {
    println!();
    println!(
        "Waiting for approval: {}",
        approval["title"].as_str().unwrap_or("?")
    );
    for a in approval["body"]["actions"].as_array().into_iter().flatten() {
        let p = &a["payload"];
        println!();
        println!("  To:      {}", p["to"].as_str().unwrap_or("?"));
        println!("  Subject: {}", p["subject"].as_str().unwrap_or("?"));
        println!();
        for line in p["body"].as_str().unwrap_or("").lines() {
            println!("  | {line}");
        }
    }
}

/// A gate other than the draft: its title and each proposed action's preview.
fn print_gate(gate: &Value) {
    println!();
    println!(
        "Waiting for approval ({}): {}",
        gate["pattern"].as_str().unwrap_or("?"),
        gate["title"].as_str().unwrap_or("?")
    );
    for a in gate["body"]["actions"].as_array().into_iter().flatten() {
        println!("  - {}", a["preview"].as_str().unwrap_or("?"));
    }
}

/// Wait for the follow-up jobs the call queued (a proposal, the content
/// promised, times for a meeting) to reach their gates, and show them.
fn print_follow_up_gates(api: &Api, auth: &str, parent: &str) -> Result {
    let started = Instant::now();
    let children = loop {
        let (status, jobs) = api.call("GET", "/v1/jobs", &[("authorization", auth)], None)?;
        if status != 200 {
            return Err(format!("GET /v1/jobs: {status} {jobs}"));
        }
        let children: Vec<Value> = jobs
            .as_array()
            .into_iter()
            .flatten()
            .filter(|j| j["parent_job_id"] == parent)
            .cloned()
            .collect();
        let settled = children
            .iter()
            .all(|j| !matches!(j["status"].as_str(), Some("queued" | "running")));
        if settled || started.elapsed() > Duration::from_secs(60) {
            break children;
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    let (_, approvals) = api.call("GET", "/v1/approvals", &[("authorization", auth)], None)?;
    for child in &children {
        let id = child["id"].as_str().unwrap_or("?");
        println!();
        println!(
            "Follow-up {} ({id}): {}",
            child["event_type"].as_str().unwrap_or("?"),
            child["status"].as_str().unwrap_or("?")
        );
        for gate in approvals
            .as_array()
            .into_iter()
            .flatten()
            .filter(|g| g["job_id"] == id)
        {
            print_gate(gate);
            for a in gate["body"]["actions"].as_array().into_iter().flatten() {
                match a["kind"].as_str() {
                    Some("proposal_send") => print_proposal(&a["payload"]),
                    Some("email_send") => {
                        let p = &a["payload"];
                        println!(
                            "  To: {}  Subject: {}",
                            p["to"],
                            p["subject"].as_str().unwrap_or("")
                        );
                        for f in p["attachments"].as_array().into_iter().flatten() {
                            println!("  Attached: {}", f["file"].as_str().unwrap_or("?"));
                        }
                        for line in p["body"].as_str().unwrap_or("").lines() {
                            println!("  | {line}");
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    Ok(())
}

/// A proposal at its gate: for whom, how it goes out, the price, and its
/// sections' headings with their first lines.
fn print_proposal(p: &Value) {
    let doc = &p["proposal"];
    println!(
        "  {} — delivery {} to {}, {} {} (minor units)",
        doc["title"].as_str().unwrap_or("?"),
        p["delivery"].as_str().unwrap_or("email"),
        p["to"],
        doc["amount"],
        doc["currency"].as_str().unwrap_or("?")
    );
    for line in doc["pricing"].as_array().into_iter().flatten() {
        println!(
            "  | {} × {} at {} = {}",
            line["quantity"],
            line["item"].as_str().unwrap_or("?"),
            line["unit_amount"],
            line["total"]
        );
    }
    for section in doc["sections"].as_array().into_iter().flatten() {
        println!("  # {}", section["heading"].as_str().unwrap_or("?"));
        for line in section["body"].as_str().unwrap_or("").lines().take(4) {
            println!("  | {line}");
        }
    }
}

/// What went to the outbox without waiting (the Slack recap and the
/// coaching feedback, each named by the skill that wrote it) and the
/// follow-up jobs the rep's promises called for.
fn print_effects_and_follow_ups(view: &Value) {
    for e in view["effects"].as_array().into_iter().flatten() {
        if e["kind"] == "slack_post" {
            // The effect's key is `job:step index:action index`; the step
            // says which post it is (the API keeps payloads to itself).
            let step: Option<i64> = e["idempotency_key"]
                .as_str()
                .and_then(|k| k.split(':').nth(1))
                .and_then(|i| i.parse().ok());
            let skill = view["step_runs"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|r| r["step_index"].as_i64() == step)
                .and_then(|r| r["skill_name"].as_str())
                .unwrap_or("a step");
            println!();
            print!(
                "Slack post from {skill}, without waiting (inform-only): {}",
                e["status"].as_str().unwrap_or("?")
            );
            match e["last_error"].as_str() {
                Some(why) => println!(" ({why})"),
                None => println!(),
            }
        }
    }
    let x = &view["execution"];
    let (queued, held) = (
        x["followups_queued"].as_u64().unwrap_or(0),
        x["followups_dropped"].as_u64().unwrap_or(0),
    );
    if queued + held > 0 {
        println!(
            "Follow-ups the rep's promises called for (a proposal, times for a meeting, content): \
             {queued} queued as child jobs, {held} held back (`baton sequences --skills \
             target/skills` lists what a sequence lacks)"
        );
    }
}

/// Ask for rep1's morning brief now, through the service's on-demand route
/// (the same code as the scheduler's 08:00 fire), and print it as text.
fn print_morning_brief(service: &mut Service, api: &Api, auth: &str) -> Result {
    step("demo: Jordan (rep1) asks for the morning brief (POST /v1/users/rep1/brief)");
    let (status, accepted) = api.call(
        "POST",
        "/v1/users/rep1/brief",
        &[("authorization", auth)],
        Some("{}"),
    )?;
    let job = accepted["job_id"]
        .as_str()
        .ok_or_else(|| format!("no brief was made ({status}): {accepted}"))?
        .to_owned();
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(60) {
        let (_, view) = api.call(
            "GET",
            &format!("/v1/jobs/{job}"),
            &[("authorization", auth)],
            None,
        )?;
        match view["status"].as_str() {
            Some("completed") => {
                let (status, brief) = api.call(
                    "GET",
                    "/v1/users/rep1/brief",
                    &[("authorization", auth)],
                    None,
                )?;
                let text = brief["text"]
                    .as_str()
                    .ok_or_else(|| format!("no brief to show ({status}): {brief}"))?;
                println!();
                for line in text.lines() {
                    println!("    {line}");
                }
                println!(
                    "(It heads the inbox too; with BATON_SLACK_BOT_TOKEN set it goes to Slack as Block Kit.)"
                );
                return Ok(());
            }
            Some("failed" | "cancelled") => {
                return Err(format!(
                    "the brief job ended `{}`: {}\nlog ({}):\n{}",
                    view["status"],
                    view["error"],
                    rel(&service.log),
                    service.log_tail()
                ));
            }
            _ => std::thread::sleep(Duration::from_millis(200)),
        }
    }
    Err(format!("the brief job {job} did not finish within 60 s"))
}
