//! The stages of the day, in order, each moving the simulated clock and
//! feeding the service through a door a real deployment has (the
//! scheduler, the Meeting BaaS webhook, the events API), then waiting for
//! the jobs it set off to settle and printing what waits for the rep.

use super::Day;
use crate::Result;
use crate::demo::{
    print_draft, print_effects_and_follow_ups, print_follow_up_gates, print_gate, print_steps,
    wait_job,
};
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::time::{Duration, Instant};

/// How long one stage's jobs may take to settle.
const PATIENCE: Duration = Duration::from_secs(180);

/// One stage of the day.
type Stage = fn(&mut Day) -> Result;

/// Every stage, in order.
pub(super) fn all(day: &mut Day) -> Result {
    let stages: [(&str, Stage); 9] = [
        ("the morning briefs", briefs),
        ("the pre-meeting brief", pre_meeting),
        ("the meeting's end", meeting_ends),
        ("the manager's notice", budget_call),
        ("the inbound email", inbound_email),
        ("the campaign reply", campaign_reply),
        ("the approvals", approvals),
        ("the success metrics", metrics),
        ("the prospect's acceptance", prospect_accepts),
    ];
    for (name, stage) in stages {
        stage(day).map_err(|e| format!("stage `{name}` failed: {e}"))?;
    }
    Ok(())
}

/// Whether a job status is final or waits for a person.
fn settled(status: &str) -> bool {
    !matches!(status, "pending" | "running")
}

/// Ask `look` every 200 ms until it finds something, for at most
/// `patience`: what it found, or `None` when it never did.
fn poll<T>(patience: Duration, mut look: impl FnMut() -> Result<Option<T>>) -> Result<Option<T>> {
    let started = Instant::now();
    loop {
        if let Some(found) = look()? {
            return Ok(Some(found));
        }
        if started.elapsed() > patience {
            return Ok(None);
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// The ids of every job so far.
fn job_ids(day: &Day) -> Result<BTreeSet<String>> {
    Ok(jobs(day)?
        .iter()
        .filter_map(|j| j["id"].as_str().map(str::to_owned))
        .collect())
}

fn jobs(day: &Day) -> Result<Vec<Value>> {
    let (status, list) = day.get("/v1/jobs?limit=1000")?;
    if status != 200 {
        return Err(format!("GET /v1/jobs: {status} {list}"));
    }
    Ok(list.as_array().cloned().unwrap_or_default())
}

/// Wait until at least one job of `event_type` not in `before` exists and
/// every new job has settled; the new jobs of that type.
fn wait_new(day: &Day, before: &BTreeSet<String>, event_type: &str) -> Result<Vec<Value>> {
    let started = Instant::now();
    loop {
        let new: Vec<Value> = jobs(day)?
            .into_iter()
            .filter(|j| j["id"].as_str().is_some_and(|id| !before.contains(id)))
            .collect();
        let all_settled = new
            .iter()
            .all(|j| settled(j["status"].as_str().unwrap_or("")));
        let mine: Vec<Value> = new
            .iter()
            .filter(|j| j["event_type"] == event_type)
            .cloned()
            .collect();
        if !mine.is_empty() && all_settled {
            return Ok(mine);
        }
        if started.elapsed() > PATIENCE {
            let seen: Vec<String> = new
                .iter()
                .map(|j| format!("{} {}", j["event_type"], j["status"]))
                .collect();
            return Err(format!(
                "no settled `{event_type}` job within {PATIENCE:?} (new jobs: {})",
                if seen.is_empty() {
                    "none".into()
                } else {
                    seen.join(", ")
                }
            ));
        }
        std::thread::sleep(Duration::from_millis(250));
    }
}

/// A job that must not have failed, by its status.
fn check_ok(job: &Value, what: &str) -> Result {
    match job["status"].as_str() {
        Some("failed" | "cancelled" | "budget_exceeded") => Err(format!(
            "{what}: the job {} ended `{}`: {}",
            job["id"], job["status"], job["error"]
        )),
        _ => Ok(()),
    }
}

/// The full view of job `id`.
fn job_view(day: &Day, id: &str) -> Result<Value> {
    let (status, view) = day.get(&format!("/v1/jobs/{id}"))?;
    if status != 200 {
        return Err(format!("GET /v1/jobs/{id}: {status} {view}"));
    }
    Ok(view)
}

/// The open gates of job `id`.
fn gates_of(day: &Day, id: &str) -> Result<Vec<Value>> {
    let (status, list) = day.get("/v1/approvals?limit=1000")?;
    if status != 200 {
        return Err(format!("GET /v1/approvals: {status} {list}"));
    }
    Ok(list
        .as_array()
        .into_iter()
        .flatten()
        .filter(|g| g["job_id"] == id)
        .cloned()
        .collect())
}

/// The rep's latest morning brief as text, indented, first `lines` lines.
fn print_brief(day: &Day, handle: &str, lines: usize) -> Result {
    let (status, brief) = day.get(&format!("/v1/users/{handle}/brief"))?;
    let text = brief["text"]
        .as_str()
        .ok_or_else(|| format!("no brief for {handle} ({status}): {brief}"))?;
    for line in text.lines().take(lines) {
        println!("    {line}");
    }
    if text.lines().count() > lines {
        println!("    …");
    }
    Ok(())
}

/// Priya's brief went out at 07:30 in London when the clock started;
/// Jordan's goes out at 08:00 in New York, five hours later.
fn briefs(day: &mut Day) -> Result {
    let start = day.at("clock_start")?;
    let line = format!(
        "{}  morning brief for Priya Natarajan (rep2, London), fired by the scheduler at her briefing time",
        day.both_london_first(&start)
    );
    println!();
    crate::step(&line);
    day.done.push(line);
    let sent = poll(PATIENCE, || {
        let briefs: Vec<Value> = jobs(day)?
            .into_iter()
            .filter(|j| j["event_type"] == "morning_brief")
            .collect();
        if briefs.iter().any(|j| j["status"] == "completed")
            && day.get("/v1/users/rep2/brief")?.0 == 200
        {
            return Ok(Some(()));
        }
        if let Some(j) = briefs.iter().find(|j| j["status"] == "failed") {
            check_ok(j, "Priya's morning brief")?;
        }
        Ok(None)
    })?;
    if sent.is_none() {
        return Err(format!(
            "Priya's morning brief did not go out within {PATIENCE:?}"
        ));
    }
    print_brief(day, "rep2", 12)?;
    println!(
        "    (Jordan's is not due yet: it is {} in New York.)",
        day.both(&start)
    );

    let at = day.at("rep1_brief")?;
    let before = job_ids(day)?;
    let fired = day.clock_to(&at)?;
    day.stage(
        &at,
        "morning brief for Jordan Avery (rep1, New York), at his briefing time",
    );
    let new = wait_new(day, &before, "morning_brief")?;
    for j in &new {
        check_ok(j, "Jordan's morning brief")?;
    }
    print_brief(day, "rep1", 24)?;
    let others: Vec<String> = jobs(day)?
        .iter()
        .filter(|j| {
            j["id"].as_str().is_some_and(|id| !before.contains(id))
                && j["event_type"] != "morning_brief"
        })
        .map(|j| {
            format!(
                "{} ({})",
                j["event_type"].as_str().unwrap_or("?"),
                j["status"].as_str().unwrap_or("?")
            )
        })
        .collect();
    println!(
        "    The clock's move fired {fired} scheduled event(s); besides the brief: {}",
        if others.is_empty() {
            "none".into()
        } else {
            others.join(", ")
        }
    );
    Ok(())
}

/// 90 minutes before the discovery call on Jordan's calendar.
fn pre_meeting(day: &mut Day) -> Result {
    let at = day.at("pre_meeting")?;
    let meeting = day.at("meeting")?;
    let before = job_ids(day)?;
    day.clock_to(&at)?;
    let what = format!(
        "pre-meeting brief for the Northwind discovery call at {} (90 minutes ahead, from the calendar)",
        day.both(&meeting)
    );
    day.stage(&at, &what);
    let new = wait_new(day, &before, "pre_meeting_90min")?;
    for j in &new {
        check_ok(j, "the pre-meeting brief")?;
        let view = job_view(day, j["id"].as_str().unwrap_or(""))?;
        print_steps(&view);
        print_effects_and_follow_ups(&view);
    }
    Ok(())
}

/// The call ends; Meeting BaaS posts its `complete` webhook.
fn meeting_ends(day: &mut Day) -> Result {
    let at = day.at("meeting_ends")?;
    day.clock_to(&at)?;
    day.stage(
        &at,
        "the discovery call ended; Meeting BaaS posts `complete` (POST /v1/webhooks/meetingbaas)",
    );
    let hook = super::day_file("meeting-ended.json")?["webhook"].take();
    let job = meeting_baas(day, &hook)?;
    let view = wait_job(&mut day.service, &day.api, &day.auth, &job)?;
    print_steps(&view);
    let gates = gates_of(day, &job)?;
    let draft = gates
        .iter()
        .find(|g| g["step_name"] == "draft-followup-email")
        .ok_or_else(|| format!("no follow-up draft is waiting for job {job}"))?;
    print_draft(draft);
    for g in gates
        .iter()
        .filter(|g| g["step_name"] != "draft-followup-email")
    {
        print_gate(g);
    }
    print_effects_and_follow_ups(&view);
    print_follow_up_gates(&day.api, &day.auth, &job)?;
    day.done.push(format!(
        "                     follow-up draft, CRM changes, tasks and {} follow-up job(s) at their gates",
        view["execution"]["followups_queued"].as_u64().unwrap_or(0)
    ));
    Ok(())
}

/// Priya's check-in with Meridian Parcel ends, 45 minutes after
/// Jordan's call: Owen says the budget is tight, so the deal is flagged at
/// risk and Sam (their manager) is told. Sam's inbox is read to show it.
fn budget_call(day: &mut Day) -> Result {
    let at = plus_minutes(&day.at("meeting_ends")?, 45)?;
    day.clock_to(&at)?;
    day.stage(
        &at,
        "Priya's check-in with Meridian Parcel ends; Owen Blake says the budget is tight (POST /v1/webhooks/meetingbaas)",
    );
    let said = [
        (
            "Priya Natarajan",
            "Thanks for making time, Owen. How is the pilot landing with your team?",
        ),
        (
            "Owen Blake",
            "The team likes it, honestly. But budget is tight this quarter, and finance has frozen new spend until January.",
        ),
        (
            "Priya Natarajan",
            "Understood. I'll send you a one-page summary of the pilot results by Tuesday for your finance review.",
        ),
        (
            "Owen Blake",
            "That would help. I can share it with our CFO.",
        ),
    ];
    let transcript: Vec<Value> = said
        .iter()
        .enumerate()
        .map(|(i, (speaker, text))| {
            let start = i as f64 * 20.0;
            let words: Vec<Value> = text
                .split_whitespace()
                .map(|w| json!({ "word": w, "start": start, "end": start + 18.0 }))
                .collect();
            json!({ "speaker": speaker, "start_time": start, "end_time": start + 18.0, "words": words })
        })
        .collect();
    let hook = json!({ "event": "complete", "data": {
        "bot_id": "demo-bot-meridian-checkin", "transcript": transcript,
        "extra": { "baton_org": "demo", "baton_user": "rep2", "title": "Meridian Parcel pilot check-in",
                   "contact_email": "owen.blake@meridianparcel.example",
                   "started_at": plus_minutes(&at, -10)?, "ended_at": at } } });
    let job = meeting_baas(day, &hook)?;
    wait_job(&mut day.service, &day.api, &day.auth, &job)?;
    // The notice goes out through the outbox at once (inform-only): read
    // Sam's inbox until it is there.
    let (status, link) = day.api.call(
        "POST",
        "/v1/admin/orgs/demo/magic-links",
        &[("authorization", &day.admin)],
        Some(&json!({ "user": "manager1", "minutes": 10 }).to_string()),
    )?;
    let url = link["url"]
        .as_str()
        .ok_or_else(|| format!("cannot sign Sam in ({status}): {link}"))?;
    let path = url.find("/inbox").map_or(url, |i| &url[i..]);
    let (_, cookies, _) = day.api.page(path, &[])?;
    let cookie = cookies
        .iter()
        .find_map(|c| c.split(';').next().filter(|c| c.contains('=')))
        .ok_or("signing Sam in set no session cookie")?
        .to_owned();
    let notice = poll(Duration::from_secs(60), || {
        let (_, _, page) = day.api.page("/inbox", &[("cookie", &cookie)])?;
        Ok(page.find("Deal at risk:").map(|i| {
            let rest = &page[i..];
            let end = rest.find('<').unwrap_or(rest.len());
            rest[..end].to_owned()
        }))
    })?
    .ok_or("Sam's inbox never showed the notice")?;
    println!("    Sam Okafor (manager) sees under \"From your team\": {notice}");
    day.done.push(format!(
        "                     the deal flagged at risk for Priya to approve; Sam told: {notice}"
    ));
    Ok(())
}

/// Post `hook` as Meeting BaaS does (v1, with the account's key): the
/// job it made.
fn meeting_baas(day: &Day, hook: &Value) -> Result<String> {
    let (status, accepted) = day.api.call(
        "POST",
        "/v1/webhooks/meetingbaas",
        &[("x-meeting-baas-api-key", &day.meetingbaas_key)],
        Some(&hook.to_string()),
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
    Ok(job)
}

/// An email arrives asking to meet; times come from Jordan's calendar.
fn inbound_email(day: &mut Day) -> Result {
    let at = day.at("inbound_email")?;
    day.clock_to(&at)?;
    day.stage(
        &at,
        "Ken Ito (Northwind IT) emails asking to meet (POST /v1/events: the mail sources are IMAP and Gmail polls)",
    );
    let event = super::day_file("inbound-email.json")?["event"].take();
    let before = job_ids(day)?;
    let (status, accepted) = day.post("/v1/events", &event)?;
    if status != 202 {
        return Err(format!("the email was not accepted ({status}): {accepted}"));
    }
    let email = wait_new(day, &before, "email_received")?;
    for j in &email {
        check_ok(j, "the inbound email")?;
    }
    let id = email[0]["id"].as_str().unwrap_or("").to_owned();
    let view = job_view(day, &id)?;
    print_steps(&view);
    let times = wait_new(day, &before, "calendar_find_times")
        .map_err(|e| format!("the email asked to meet, but no times were offered: {e}"))?;
    for j in &times {
        check_ok(j, "the time options")?;
        let tid = j["id"].as_str().unwrap_or("");
        print_steps(&job_view(day, tid)?);
        for gate in gates_of(day, tid)? {
            println!();
            println!(
                "Waiting for Jordan's choice ({}): {}",
                gate["pattern"].as_str().unwrap_or("?"),
                gate["title"].as_str().unwrap_or("?")
            );
            for (i, o) in gate["options"].as_array().into_iter().flatten().enumerate() {
                println!("  {i}. {}", o.as_str().unwrap_or("?"));
            }
            if let Some(note) = gate["body"]["calendar_note"].as_str() {
                println!("  ({note})");
            }
        }
    }
    day.done.push(
        "                     time options from Jordan's calendar wait for his choice".into(),
    );
    Ok(())
}

/// A prospect answers an outreach campaign.
fn campaign_reply(day: &mut Day) -> Result {
    let at = day.at("campaign_reply")?;
    day.clock_to(&at)?;
    day.stage(
        &at,
        "James Wright answers the Q1 outreach campaign (POST /v1/events: campaign replies come from the daily Instantly poll)",
    );
    let event = super::day_file("campaign-reply.json")?["event"].take();
    let before = job_ids(day)?;
    let (status, accepted) = day.post("/v1/events", &event)?;
    if status != 202 {
        return Err(format!(
            "the campaign reply was not accepted ({status}): {accepted}"
        ));
    }
    let new = wait_new(day, &before, "campaign_reply")?;
    for j in &new {
        check_ok(j, "the campaign reply")?;
        let id = j["id"].as_str().unwrap_or("");
        print_steps(&job_view(day, id)?);
        for g in gates_of(day, id)? {
            print_gate(&g);
        }
    }
    Ok(())
}

/// Jordan works through the inbox: the follow-up approved, a time picked,
/// his call's CRM changes confirmed (and the rival researched),
/// one suggestion dismissed; the follow-up goes out after its undo window.
fn approvals(day: &mut Day) -> Result {
    let at = day.at("approvals")?;
    day.clock_to(&at)?;
    let (status, open) = day.get("/v1/approvals?limit=1000")?;
    if status != 200 {
        return Err(format!("GET /v1/approvals: {status} {open}"));
    }
    let open = open.as_array().cloned().unwrap_or_default();
    day.stage(
        &at,
        &format!(
            "{} approvals wait in Jordan's and Priya's inbox; Jordan answers five",
            open.len()
        ),
    );
    // Jordan's gates are the follow-up draft's user's; the rest are Priya's.
    let jordan = open
        .iter()
        .find(|g| g["step_name"] == "draft-followup-email")
        .map(|g| g["user_id"].clone())
        .ok_or("the follow-up draft is not among the open approvals")?;
    for g in &open {
        println!(
            "    {:<7} [{}] {}",
            if g["user_id"] == jordan {
                "Jordan"
            } else {
                "Priya"
            },
            g["pattern"].as_str().unwrap_or("?"),
            g["title"].as_str().unwrap_or("?")
        );
    }
    let find = |step: &str| {
        open.iter()
            .find(|g| g["step_name"] == step && g["user_id"] == jordan)
            .cloned()
    };
    let mut decided = Vec::new();
    if let Some(g) = find("draft-followup-email") {
        decide(
            day,
            &g,
            json!({ "decision": "approved", "note": "approved in the demo" }),
        )?;
        decided.push("approved the follow-up email".to_owned());
    }
    if let Some(g) = find("present-for-review") {
        decide(
            day,
            &g,
            json!({ "decision": "approved", "note": "approved in the demo" }),
        )?;
        decided.push("approved the proposal".to_owned());
    }
    if let Some(g) = find("present-time-options") {
        decide(day, &g, json!({ "decision": "chosen", "value": 0 }))?;
        decided.push("picked the first time offered".to_owned());
    }
    let dismiss = find("draft-reengagement").or_else(|| find("draft-reply"));
    if let Some(g) = dismiss {
        decide(day, &g, json!({ "decision": "skipped", "note": "not now" }))?;
        decided.push(format!(
            "dismissed \"{}\"",
            g["title"].as_str().unwrap_or("?")
        ));
    }
    // The CRM changes wait for Jordan because one moves the stage; once
    // he confirms them, the rival they record is researched.
    let crm = find("update-crm-from-meeting");
    if let Some(g) = &crm {
        decide(
            day,
            g,
            json!({ "decision": "approved", "note": "confirmed in the demo" }),
        )?;
        decided.push("confirmed the CRM changes from his call".to_owned());
    }
    if decided.is_empty() {
        return Err("none of the gates the demo answers was open".into());
    }
    println!("    Jordan {}", decided.join("; "));
    if let Some(g) = &crm {
        research(day, g)?;
    }
    send_later(day, &open, &jordan)?;
    // Every email waits out its undo window (30 s) before it goes.
    let later = plus_minutes(&at, 2)?;
    day.clock_to(&later)?;
    let sent = poll(Duration::from_secs(60), || {
        let sent = std::fs::read_dir(&day.mail)
            .map(|d| d.flatten().count())
            .unwrap_or(0);
        Ok((sent > 0).then_some(sent))
    })?
    .ok_or("the approved follow-up was not delivered to the mail drop within 60 s")?;
    println!(
        "    {}: the undo window passed and the follow-up went out: {sent} message(s) in {}/",
        day.both(&later),
        crate::service::rel(&day.mail)
    );
    Ok(())
}

/// The `competitive_research` job Jordan's confirmed CRM changes queued
/// (the rival Marta named): what it found, as the deal now shows it (its
/// Slack message waits for a bot the demo does not have).
fn research(day: &mut Day, crm: &Value) -> Result {
    let parent = crm["job_id"].as_str().ok_or("a gate without a job")?;
    let job = poll(PATIENCE, || {
        Ok(jobs(day)?.into_iter().find(|j| {
            j["parent_job_id"] == parent
                && j["event_type"] == "competitive_research"
                && j["status"].as_str().is_some_and(settled)
        }))
    })?
    .ok_or_else(|| {
        format!(
            "confirming the CRM changes of job {parent} queued no competitive research that settled"
        )
    })?;
    let id = job["id"].as_str().unwrap_or("?");
    let deal = crm["body"]["actions"]
        .as_array()
        .into_iter()
        .flatten()
        .find_map(|a| a["payload"]["deal_id"].as_str())
        .ok_or("the CRM changes name no deal")?;
    let (status, context) = day.get(&format!("/v1/crm/deals/{deal}"))?;
    if status != 200 {
        return Err(format!("GET /v1/crm/deals/{deal}: {status} {context}"));
    }
    let found: Vec<&str> = context["activities"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|a| a["kind"] == "competitive_research")
        .filter_map(|a| a["summary"].as_str())
        .collect();
    if found.is_empty() {
        return Err(format!(
            "competitive research job {id} ({}) left nothing on deal {deal}",
            job["status"].as_str().unwrap_or("?")
        ));
    }
    println!(
        "    Follow-up competitive_research ({id}): {}; on the deal's page under \"Competitive research\":",
        job["status"].as_str().unwrap_or("?")
    );
    for f in &found {
        println!("      {f}");
    }
    day.done.push(format!(
        "                     Jordan confirmed his call's CRM changes; the rival Marta named was researched: {}",
        found.join(" · ")
    ));
    Ok(())
}

/// Priya approves her follow-up to Owen with "Send at…" Monday 09:00 (her
/// and his morning): it waits in the outbox, cancellable, until then.
fn send_later(day: &mut Day, open: &[Value], jordan: &Value) -> Result {
    let Some(gate) = open
        .iter()
        .find(|g| g["step_name"] == "draft-followup-email" && g["user_id"] != *jordan)
    else {
        return Err("Priya's follow-up draft is not among the open approvals".into());
    };
    let at = day.at("send_later")?;
    decide(
        day,
        gate,
        json!({ "decision": "approved", "send_at": at, "note": "Monday morning, their time" }),
    )?;
    let job = gate["job_id"].as_str().ok_or("a gate without a job")?;
    let mut view = Value::Null;
    let waiting = poll(PATIENCE, || {
        view = job_view(day, job)?;
        Ok(view["effects"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|e| e["kind"] == "email_send" && e["status"] == "pending")
            .cloned())
    })?;
    let Some(effect) = waiting else {
        return Err(format!(
            "Priya's scheduled follow-up never reached the outbox: {view}"
        ));
    };
    println!(
        "    Priya approved her follow-up to Owen with Send at… Mon 23 Nov {}: it waits in the outbox \
         (not_before {}; the gate shows \"Scheduled\" with Cancel send)",
        day.both_london_first(&at),
        effect["not_before"]
    );
    day.done.push(format!(
        "                     Priya's follow-up waits in the outbox until Monday {} (send later)",
        day.both_london_first(&at)
    ));
    Ok(())
}

fn decide(day: &Day, gate: &Value, decision: Value) -> Result {
    let id = gate["id"].as_str().ok_or("a gate without an id")?;
    let (status, answer) = day.post(&format!("/v1/approvals/{id}/decision"), &decision)?;
    if status != 200 {
        return Err(format!("deciding {id} ({decision}): {status} {answer}"));
    }
    Ok(())
}

/// `iso` (`YYYY-MM-DDTHH:MM:SSZ`) plus `n` minutes, the same day.
fn plus_minutes(iso: &str, n: i64) -> Result<String> {
    let bad = || format!("`{iso}` is not YYYY-MM-DDTHH:MM:SSZ");
    let h: i64 = iso
        .get(11..13)
        .and_then(|s| s.parse().ok())
        .ok_or_else(bad)?;
    let m: i64 = iso
        .get(14..16)
        .and_then(|s| s.parse().ok())
        .ok_or_else(bad)?;
    let total = h * 60 + m + n;
    if total >= 24 * 60 {
        return Err(format!("{iso} + {n} min runs past midnight"));
    }
    Ok(format!(
        "{}{:02}:{:02}{}",
        &iso[..11],
        total / 60,
        total % 60,
        &iso[16..]
    ))
}

/// A share as a percentage, `-` when there is none.
fn percent(v: &Value) -> String {
    v.as_f64()
        .map(|x| format!("{:.0}%", x * 100.0))
        .unwrap_or_else(|| "-".into())
}

/// The day's success metrics, from `GET /v1/metrics/success?days=1`.
fn metrics(day: &mut Day) -> Result {
    let at = day.at("approvals")?;
    let later = plus_minutes(&at, 2)?;
    day.stage(
        &later,
        "the day's success metrics (GET /v1/metrics/success?days=1)",
    );
    let (status, all) = day.get("/v1/approvals?status=all&limit=1000")?;
    if status != 200 {
        return Err(format!("GET /v1/approvals?status=all: {status} {all}"));
    }
    let suggested = all.as_array().map_or(0, Vec::len);
    let (status, m) = day.get("/v1/metrics/success?days=1")?;
    if status != 200 {
        return Err(format!("GET /v1/metrics/success: {status} {m}"));
    }
    let w = m["windows"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|w| w["days"] == 1)
        .cloned()
        .unwrap_or_else(|| m["windows"][0].clone());
    let s = &w["suggestions"];
    let f = &w["follow_up"];
    let b = &w["briefs"];
    let sc = &w["scheduling"];
    let mut lines = vec![
        format!(
            "suggested {suggested} · accepted {} · edited {} · dismissed {} · expired {} · superseded {} (dismissal rate {})",
            s["accepted"],
            s["edited"],
            s["dismissed"],
            s["expired"],
            s["superseded"],
            percent(&w["dismissal_rate"])
        ),
        format!(
            "trust: approved unchanged {} · mean edit {} of a draft's words",
            percent(&w["approved_unchanged_share"]),
            percent(&w["edit_distance_mean"])
        ),
        format!(
            "meeting end → follow-up sent: {} of {} meeting(s), median {}",
            f["sent"],
            f["meetings"],
            f["p50_seconds"]
                .as_f64()
                .map(|s| format!(
                    "{:.0} min (Jordan approved it at {})",
                    s / 60.0,
                    day.local(&at, 0)
                ))
                .unwrap_or_else(|| "-".into())
        ),
        format!(
            "pre-meeting briefs: {} · on time {} · late {} · pending {} (delivered: posted to Slack, or shown under \"Coming up\" in the rep's inbox; the demo has no Slack bot and nobody opened the inbox yet)",
            b["briefs"], b["on_time"], b["late"], b["pending"]
        ),
        format!(
            "scheduling requests: {} · handled {}",
            sc["requests"], sc["handled"]
        ),
    ];
    // Trust per skill and action: approved unchanged / edited / dismissed /
    // superseded.
    for t in w["trust"].as_array().into_iter().flatten() {
        lines.push(format!(
            "  {} · {}: approved unchanged {} of {} ({}) · edited {} · dismissed {} · superseded {}",
            t["skill"].as_str().unwrap_or("?"),
            t["kind"].as_str().unwrap_or("?"),
            t["accepted"],
            t["accepted"].as_u64().unwrap_or(0)
                + t["edited"].as_u64().unwrap_or(0)
                + t["dismissed"].as_u64().unwrap_or(0)
                + t["expired"].as_u64().unwrap_or(0)
                + t["superseded"].as_u64().unwrap_or(0),
            percent(&t["approved_unchanged_share"]),
            t["edited"],
            t["dismissed"],
            t["superseded"]
        ));
    }
    for l in &lines {
        println!("    {l}");
    }
    if s["accepted"].as_u64().unwrap_or(0) == 0 {
        return Err(format!("the metrics show nothing accepted: {w}"));
    }
    day.done
        .extend(lines.iter().map(|l| format!("                     {l}")));
    Ok(())
}

/// Marta opens the proposal Jordan approved and accepts it on its link
/// page: the deal's engagement moves from proposal to contract.
fn prospect_accepts(day: &mut Day) -> Result {
    let at = plus_minutes(&day.at("approvals")?, 10)?;
    day.clock_to(&at)?;
    let proposal = poll(Duration::from_secs(60), || {
        let (status, list) = day.get("/v1/proposals")?;
        if status != 200 {
            return Err(format!("GET /v1/proposals: {status} {list}"));
        }
        Ok(list.as_array().and_then(|l| {
            l.iter()
                .find(|p| p["status"] == "sent" || p["status"] == "viewed")
                .cloned()
        }))
    })?
    .ok_or("the approved proposal was not sent within 60 s")?;
    let link = proposal["link"]
        .as_str()
        .ok_or("the proposal has no link")?;
    let path = &link[link.find("/p/").ok_or("the proposal's link has no /p/")?..];
    let deal = proposal["deal_id"]
        .as_str()
        .ok_or("the proposal is on no deal")?
        .to_owned();
    day.stage(
        &at,
        &format!(
            "Marta accepts \"{}\" on its link page (POST {}/accept)",
            proposal["title"].as_str().unwrap_or("the proposal"),
            &path[..path.len().min(12)]
        ),
    );
    let before = job_ids(day)?;
    let (status, _) = day.api.post_form(&format!("{path}/accept"), &[])?;
    if status != 200 {
        return Err(format!("accepting the proposal: {status}"));
    }
    let (status, state) = day.get(&format!("/v1/deals/{deal}/state"))?;
    if status != 200 {
        return Err(format!("GET /v1/deals/{deal}/state: {status} {state}"));
    }
    let s = &state["state"];
    if s["stage"] != "contract" {
        return Err(format!("the deal did not move to contract: {state}"));
    }
    println!(
        "    the deal is at {} ({}), the CRM at {}; its event log:",
        s["stage"].as_str().unwrap_or("?"),
        s["status"].as_str().unwrap_or("?"),
        state["deal"]["stage"].as_str().unwrap_or("?")
    );
    for e in state["events"].as_array().into_iter().flatten() {
        let what = e["decision"]
            .as_str()
            .or(e["notes"].as_str())
            .unwrap_or_else(|| e["happening"].as_str().unwrap_or("?"));
        println!(
            "      {} {:<17} {} (by {})",
            e["seq"],
            e["event_type"].as_str().unwrap_or("?"),
            what,
            e["actor"].as_str().unwrap_or("?")
        );
    }
    println!("    the deal's page: {}/inbox/deals/{deal}", day.base);
    day.done.push(format!(
        "                     the deal moved to contract: /inbox/deals/{deal}"
    ));
    contract_drafted(day, &at, &deal, &before)
}

/// The deal's contract versions, `version status (detail)`, newest first.
fn contract_lines(day: &Day, deal: &str) -> Result<Vec<String>> {
    let (status, state) = day.get(&format!("/v1/deals/{deal}/state"))?;
    if status != 200 {
        return Err(format!("GET /v1/deals/{deal}/state: {status} {state}"));
    }
    Ok(state["artifacts"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|a| a["artifact"] == "contract")
        .map(|a| {
            format!(
                "v{} {} ({})",
                a["version"],
                a["status"].as_str().unwrap_or("?"),
                a["detail"].as_str().unwrap_or("?")
            )
        })
        .collect())
}

/// The accepted terms draft the contract, naming what is missing; Jordan
/// reports the client's legal name, signatory and start date; legal
/// approves sending it for signature (not yet the deposit invoice); the
/// send waits at Jordan's gate.
fn contract_drafted(day: &mut Day, at: &str, deal: &str, before: &BTreeSet<String>) -> Result {
    wait_new(day, before, "contract_drafting")?;
    day.stage(
        at,
        "the accepted terms draft the contract (contract_drafting, draft-contract)",
    );
    for l in contract_lines(day, deal)? {
        println!("    contract {l}");
    }
    let before = job_ids(day)?;
    for (name, value) in [
        ("parties", json!({ "client": "Northwind Logistics GmbH" })),
        ("signatory", json!("Marta Ruiz, Head of Operations")),
        ("effective_date", json!("2027-01-04")),
    ] {
        let (status, r) = day.post(
            &format!("/v1/deals/{deal}/facts"),
            &json!({ "name": name, "value": value, "source": "the order form Marta signed", "kind": "document" }),
        )?;
        if status != 200 {
            return Err(format!("reporting {name}: {status} {r}"));
        }
    }
    wait_new(day, &before, "contract_drafting")?;
    println!("    Jordan reports the client's legal name, signatory and start date:");
    for l in contract_lines(day, deal)? {
        println!("    contract {l}");
    }
    let before = job_ids(day)?;
    let (status, r) = day.post(
        &format!("/v1/deals/{deal}/approvals/1/decision"),
        &json!({ "class": "legal_or_contract", "state": "partial",
                 "permits": ["send_for_signature"],
                 "evidence": "clauses reviewed; the deposit invoice waits for the signature" }),
    )?;
    if status != 200 {
        return Err(format!("the legal approval: {status} {r}"));
    }
    let sends = wait_new(day, &before, "contract_drafting")?;
    let waiting = sends.iter().any(|j| j["status"] == "awaiting_approval");
    println!(
        "    legal approves sending it for signature (partial: not yet the deposit invoice); {}",
        if waiting {
            "the email with the contract's PDF waits at Jordan's gate"
        } else {
            "no send is proposed"
        }
    );
    if !waiting {
        return Err("the contract's send for signature did not reach its gate".into());
    }
    day.done.push(format!(
        "                     the contract's send for signature waits: /inbox/deals/{deal}"
    ));
    invoice_drafted(day, deal)
}

/// The live approval of `class` on the deal: its number.
fn live_approval(day: &Day, deal: &str, class: &str) -> Result<Value> {
    let (status, state) = day.get(&format!("/v1/deals/{deal}/state"))?;
    if status != 200 {
        return Err(format!("GET /v1/deals/{deal}/state: {status} {state}"));
    }
    state["state"]["approvals"]
        .as_array()
        .into_iter()
        .flatten()
        .rfind(|a| a["class"] == class && a["state"] != "superseded")
        .cloned()
        .ok_or_else(|| format!("no live {class} approval on deal {deal}"))
}

/// Legal approves the deposit invoice too: it is drafted from the contract
/// and its commercial approval asked; finance approves it, and its email
/// with the PDF waits at Jordan's gate beside the contract's.
fn invoice_drafted(day: &mut Day, deal: &str) -> Result {
    let before = job_ids(day)?;
    let legal = live_approval(day, deal, "legal_or_contract")?;
    let (status, r) = day.post(
        &format!("/v1/deals/{deal}/approvals/{}/decision", legal["id"]),
        &json!({ "class": "legal_or_contract", "state": "approved",
                 "evidence": "signature block confirmed; the deposit invoice may go" }),
    )?;
    if status != 200 {
        return Err(format!("the legal approval of the invoice: {status} {r}"));
    }
    wait_new(day, &before, "invoice_drafting")?;
    let commercial = live_approval(day, deal, "commercial")?;
    println!(
        "    legal approves the deposit invoice too: it is drafted ({}), and a commercial approval of it is asked (#{})",
        commercial["subject"].as_str().unwrap_or("?"),
        commercial["id"]
    );
    let before = job_ids(day)?;
    let (status, r) = day.post(
        &format!("/v1/deals/{deal}/approvals/{}/decision", commercial["id"]),
        &json!({ "class": "commercial", "state": "approved",
                 "evidence": "the deposit matches the contract's payment clause" }),
    )?;
    if status != 200 {
        return Err(format!("the commercial approval: {status} {r}"));
    }
    let sends = wait_new(day, &before, "invoice_drafting")?;
    if !sends.iter().any(|j| j["status"] == "awaiting_approval") {
        return Err("the invoice's email did not reach its gate".into());
    }
    println!("    finance approves it: the email with the invoice's PDF waits at Jordan's gate");
    day.done.push(format!(
        "                     the invoice's email waits beside it: /inbox/deals/{deal}"
    ));
    Ok(())
}
