//! What the demo prints of a meeting's chain and the helpers `cargo xtask
//! fuzz` shares: the steps with their fuel and time, the follow-up draft,
//! the other gates, what went out without waiting, and the follow-up jobs
//! at their gates. The day itself is `day/`.

use crate::Result;
use crate::service::{Api, Service, rel};
use serde_json::Value;
use std::time::{Duration, Instant};

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

pub(crate) fn print_steps(view: &Value) {
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

pub(crate) fn print_draft(approval: &Value) {
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
pub(crate) fn print_gate(gate: &Value) {
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
pub(crate) fn print_follow_up_gates(api: &Api, auth: &str, parent: &str) -> Result {
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
pub(crate) fn print_effects_and_follow_ups(view: &Value) {
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
