//! The brief's four sections as lines, from the snapshot and the pipeline
//! analysis: the seed's "Morning Brief: Enhanced Format". Pure: the same
//! morning always reads the same.

use baton_sdk::crm::money;
use baton_sdk::events::morning_brief::{
    Amount, Analysis, Gate, JobCount, Line, Payload, PrepStatus, Section, Thread, ThreadState,
};

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn count(n: i64) -> usize {
    usize::try_from(n).unwrap_or(0)
}

fn line(text: String, link: Option<String>) -> Line {
    Line { text, link }
}

/// "Good morning, Jordan. Here's your Tuesday."
pub fn title(p: &Payload) -> String {
    let first = p
        .rep
        .as_ref()
        .and_then(|r| r.name.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "there".to_owned());
    match &p.weekday {
        Some(day) => format!("Good morning, {first}. Here's your {day}."),
        None => format!("Good morning, {first}."),
    }
}

pub fn meetings(p: &Payload) -> Section {
    let lines = p
        .meetings
        .iter()
        .map(|m| {
            let when = m.starts_local.as_deref().unwrap_or("--:--");
            let who = match (&m.contact_name, &m.company) {
                (Some(n), Some(c)) => format!("{n}, {c} ({})", m.title),
                (Some(n), None) => format!("{n} ({})", m.title),
                (None, Some(c)) => format!("{c} ({})", m.title),
                (None, None) => m.title.clone(),
            };
            let prep = match m.prep.status {
                PrepStatus::Ready => "Prep ready".to_owned(),
                PrepStatus::InProgress => "Prepping now".to_owned(),
                PrepStatus::Failed => "Prep failed: see the job".to_owned(),
                PrepStatus::Scheduled => match &m.prep.due_local {
                    Some(t) => format!("Prep at {t}"),
                    None => "Prep before it".to_owned(),
                },
                PrepStatus::NotNeeded => "No prep needed".to_owned(),
            };
            let link = m.prep.job_id.as_ref().map(|j| format!("/inbox/jobs/{j}"));
            line(format!("{when} -- {who} · {prep}"), link)
        })
        .collect::<Vec<_>>();
    Section {
        key: "meetings".into(),
        heading: format!("MEETINGS TODAY ({})", p.meetings.len()),
        lines: if lines.is_empty() {
            vec![line("No meetings today.".into(), None)]
        } else {
            lines
        },
    }
}

/// One thing waiting for the rep: a thread or a gate, with the gate a
/// button can act on.
pub struct Item {
    pub line: Line,
    pub gate: Option<Gate>,
    /// "Approve reply" or "Approve".
    pub approve_label: &'static str,
}

fn thread_item(t: &Thread) -> Item {
    let who = match (&t.contact_name, &t.company) {
        (Some(n), Some(c)) => format!("{n} ({c})"),
        (Some(n), None) => n.clone(),
        (None, Some(c)) => format!("Someone at {c}"),
        (None, None) => "A sender".to_owned(),
    };
    let about = t
        .subject
        .as_deref()
        .map(|s| format!(" \"{s}\""))
        .unwrap_or_default();
    let state = match t.state {
        ThreadState::DraftWaiting => "a drafted reply waits for your approval",
        ThreadState::DraftSkipped => "the drafted reply was skipped; no reply has gone",
        ThreadState::NoReply => "no reply drafted yet",
    };
    let link = match &t.gate {
        Some(g) => g.inbox_path.clone(),
        None => format!("/inbox/jobs/{}", t.job_id),
    };
    Item {
        line: line(
            format!("{who} -- awaiting your reply{about}: {state}"),
            Some(link),
        ),
        gate: t.gate.clone(),
        approve_label: "Approve reply",
    }
}

/// Threads first, then the gates no thread already names.
pub fn attention_items(p: &Payload) -> (usize, Vec<Item>) {
    let a = &p.attention;
    let mut items: Vec<Item> = a.threads.iter().map(thread_item).collect();
    let in_threads = |g: &Gate| {
        a.threads
            .iter()
            .any(|t| t.gate.as_ref().is_some_and(|x| x.id == g.id))
    };
    let thread_gates = a.threads.iter().filter(|t| t.gate.is_some()).count();
    for g in a.gates.items.iter().filter(|g| !in_threads(g)) {
        items.push(Item {
            line: line(
                // What the rep does, not the step it waits at: no step
                // name reaches a rep (the inbox's rule, issue 21).
                format!("{} -- {}", g.title, waiting_words(&g.pattern)),
                Some(g.inbox_path.clone()),
            ),
            gate: Some(g.clone()),
            approve_label: "Approve",
        });
    }
    let total = a.threads.len() + count(a.gates.count).saturating_sub(thread_gates);
    (total, items)
}

pub fn attention(p: &Payload, total: usize, items: &[Item]) -> Section {
    let g = &p.attention.gates;
    let mut lines: Vec<Line> = items.iter().map(|i| i.line.clone()).collect();
    if g.count > 0 {
        let oldest = g
            .oldest_hours
            .map(|h| format!(", the oldest for {}", plural(count(h), "hour", "hours")))
            .unwrap_or_default();
        lines.push(line(
            format!(
                "{} waiting in all{oldest}",
                plural(count(g.count), "approval", "approvals")
            ),
            Some("/inbox".into()),
        ));
    }
    if lines.is_empty() {
        lines.push(line("Nothing is waiting for you.".into(), None));
    }
    Section {
        key: "attention".into(),
        heading: format!("NEEDS YOUR ATTENTION ({total})"),
        lines,
    }
}

fn amounts(list: &[Amount]) -> String {
    list.iter()
        .map(|a| money(a.amount_cents, &a.currency))
        .collect::<Vec<_>>()
        .join(" + ")
}

/// Deals listed under a pipeline line.
const TOP: usize = 3;

pub fn pipeline(p: &Payload, a: Option<&Analysis>) -> Section {
    let mut lines = Vec::new();
    match a {
        Some(a) => {
            lines.push(line(
                format!(
                    "{} action today",
                    plural(a.needs_action.len(), "deal needs", "deals need")
                ),
                None,
            ));
            for d in a.needs_action.iter().take(TOP) {
                lines.push(line(
                    format!("  {} -- {}", d.name, d.reasons.join("; ")),
                    None,
                ));
            }
            let risky: Vec<String> = a
                .at_risk
                .iter()
                .take(TOP)
                .map(|d| match d.days_inactive {
                    Some(n) => format!("{} -- {n} days no activity", d.name),
                    None => format!("{} -- no activity recorded", d.name),
                })
                .collect();
            let risk = if risky.is_empty() {
                String::new()
            } else {
                format!(" ({})", risky.join(", "))
            };
            lines.push(line(
                format!("{} at risk{risk}", plural(a.at_risk.len(), "deal", "deals")),
                None,
            ));
            if !a.changed.is_empty() {
                let moved: Vec<&str> = a.changed.iter().map(|d| d.name.as_str()).collect();
                lines.push(line(
                    format!("Moved since the last brief: {}", moved.join(", ")),
                    None,
                ));
            }
            if !a.open_value.is_empty() {
                lines.push(line(
                    format!(
                        "{} open pipeline in {}",
                        amounts(&a.open_value),
                        plural(count(a.open_deals), "deal", "deals")
                    ),
                    None,
                ));
            }
        }
        None => lines.push(line(
            format!(
                "Pipeline analysis did not run; {} open.",
                plural(p.pipeline.deals.len(), "deal is", "deals are")
            ),
            None,
        )),
    }
    let awaiting = &p.pipeline.proposals_awaiting;
    let proposals: i64 = awaiting.iter().map(|t| t.count).sum();
    lines.push(line(
        if awaiting.is_empty() {
            "No proposals awaiting response".to_owned()
        } else {
            let list: Vec<Amount> = awaiting
                .iter()
                .map(|t| Amount {
                    currency: t.currency.clone(),
                    amount_cents: t.amount_cents,
                    count: t.count,
                })
                .collect();
            format!(
                "{} in proposals awaiting response ({})",
                amounts(&list),
                plural(count(proposals), "proposal", "proposals")
            )
        },
        None,
    ));
    Section {
        key: "pipeline".into(),
        heading: "PIPELINE PULSE".into(),
        lines,
    }
}

/// Jobs counted by what they did: "meeting preparation (1), email reply (2)".
fn jobs_breakdown(counts: &[(String, i64)]) -> String {
    counts
        .iter()
        .map(|(event_type, n)| format!("{} ({n})", baton_sdk::words::event_noun(event_type)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Emails counted by class: "1 needs response, 1 fyi".
fn classes_breakdown(counts: &[(String, i64)]) -> String {
    counts
        .iter()
        .map(|(class, n)| format!("{n} {}", class.replace('_', " ")))
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn overnight(p: &Payload) -> Section {
    let o = &p.overnight;
    let mut lines = Vec::new();
    let ended = |pred: &dyn Fn(&JobCount) -> bool| -> Vec<(String, i64)> {
        let mut by: Vec<(String, i64)> = Vec::new();
        for j in o.jobs_finished.iter().filter(|j| pred(j)) {
            match by.iter_mut().find(|(t, _)| *t == j.event_type) {
                Some((_, n)) => *n += j.count,
                None => by.push((j.event_type.clone(), j.count)),
            }
        }
        by
    };
    let done = ended(&|j| j.status == "completed");
    let total: i64 = done.iter().map(|(_, n)| n).sum();
    if total > 0 {
        lines.push(line(
            format!(
                "✓ {} finished: {}",
                plural(count(total), "job", "jobs"),
                jobs_breakdown(&done)
            ),
            None,
        ));
    }
    let failed = ended(&|j| j.status == "failed" || j.status == "budget_exceeded");
    let total_failed: i64 = failed.iter().map(|(_, n)| n).sum();
    if total_failed > 0 {
        lines.push(line(
            format!(
                "✗ {} stopped: {}",
                plural(count(total_failed), "job", "jobs"),
                jobs_breakdown(&failed)
            ),
            None,
        ));
    }
    let emails: Vec<(String, i64)> = o
        .emails_classified
        .iter()
        .map(|c| (c.label.clone(), c.count))
        .collect();
    let total_emails: i64 = emails.iter().map(|(_, n)| n).sum();
    if total_emails > 0 {
        lines.push(line(
            format!(
                "✉ {} classified: {}",
                plural(count(total_emails), "email", "emails"),
                classes_breakdown(&emails)
            ),
            None,
        ));
    }
    for v in &o.proposals_viewed {
        let deal = v
            .deal_name
            .as_deref()
            .map(|d| format!(" ({d})"))
            .unwrap_or_default();
        lines.push(line(
            format!(
                "👀 Proposal \"{}\"{deal} viewed {}",
                v.title,
                plural(count(v.views), "time", "times")
            ),
            None,
        ));
    }
    if lines.is_empty() {
        lines.push(line("Nothing new since the last brief.".into(), None));
    }
    Section {
        key: "overnight".into(),
        heading: "OVERNIGHT UPDATES".into(),
        lines,
    }
}

/// The whole brief as plain text.
pub fn text(title: &str, sections: &[Section]) -> String {
    let mut out = format!("{title}\n");
    for s in sections {
        out.push_str(&format!("\n{}\n", s.heading));
        for l in &s.lines {
            out.push_str(&format!("  {}\n", l.text));
        }
    }
    out.push_str("\n[Expand pipeline ->] [Show full inbox ->]\n");
    out
}

/// What a gate waits for, as the brief says it.
fn waiting_words(pattern: &str) -> &'static str {
    match pattern {
        "choose" => "waiting for you to pick one",
        "batch" => "waiting for you to tick what goes",
        _ => "waiting for your approval",
    }
}
