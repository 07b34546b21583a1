//! The briefing as plain text: short sections a rep reads on a phone, each
//! capped, so the whole fits one Slack section (3000 characters).

use crate::points::MAX_POINTS;
use crate::{Attendee, Briefing};
use baton_sdk::Value;
use baton_sdk::text::{field, nonblank};

/// Lines per list section.
const MAX_LINES: usize = 4;

/// One attendee: `Aisha Bello, Chief Financial Officer at Harbour Freight (c_suite)`.
pub fn attendee_line(a: &Attendee) -> String {
    let mut line = nonblank(a.name.as_deref())
        .unwrap_or("(name unknown)")
        .to_owned();
    match (nonblank(a.title.as_deref()), nonblank(a.company.as_deref())) {
        (Some(t), Some(c)) => line.push_str(&format!(", {t} at {c}")),
        (Some(t), None) => line.push_str(&format!(", {t}")),
        (None, Some(c)) => line.push_str(&format!(", {c}")),
        (None, None) => {}
    }
    if let Some(x) = nonblank(a.seniority.as_deref()) {
        line.push_str(&format!(" ({})", x.replace('_', "-")));
    }
    // What their LinkedIn says, when it was read and adds to the title.
    if let Some(h) = nonblank(a.headline.as_deref())
        && nonblank(a.title.as_deref()).is_none_or(|t| !h.eq_ignore_ascii_case(t))
    {
        line.push_str(&format!(" \u{2014} \u{201c}{h}\u{201d}"));
    }
    if let Some(x) = nonblank(a.about.as_deref()) {
        line.push_str(&format!(". {x}"));
    }
    line
}

/// The deal in one line: `Northwind rollout: discovery, $21,600, closes 2027-02-26 (94 days out)`.
pub fn deal_line(d: &Value) -> String {
    let mut line = format!(
        "{}: {}",
        field(d, "name").unwrap_or("Deal"),
        field(d, "stage").unwrap_or("open").replace('_', " ")
    );
    if let Some(a) = field(d, "amount") {
        line.push_str(&format!(", {a}"));
    }
    if let Some(c) = field(d, "close_date") {
        line.push_str(&format!(", closes {c}"));
        if let Some(n) = d["days_to_close"].as_i64() {
            line.push_str(&format!(" ({n} days out)"));
        }
    }
    line
}

/// One action item: `OVERDUE 14 days: Send the schedule (rep, due 2026-11-10)`.
pub fn item_line(i: &Value) -> String {
    let mut line = String::new();
    if i["overdue"] == true {
        line.push_str(&format!(
            "OVERDUE {} days: ",
            i["days_overdue"].as_i64().unwrap_or(0)
        ));
    }
    line.push_str(field(i, "text").unwrap_or("(no text)"));
    let extra: Vec<String> = [
        field(i, "owner").map(str::to_owned),
        field(i, "due").map(|d| format!("due {d}")),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !extra.is_empty() {
        line.push_str(&format!(" ({})", extra.join(", ")));
    }
    line
}

/// One news item: `Title (Source, 2026-11-10)`.
pub fn news_line(n: &Value) -> String {
    let meta: Vec<&str> = [field(n, "source"), field(n, "published_on")]
        .into_iter()
        .flatten()
        .collect();
    let title = field(n, "title").unwrap_or("(untitled)");
    if meta.is_empty() {
        title.to_owned()
    } else {
        format!("{title} ({})", meta.join(", "))
    }
}

/// What happened with the account, a line each: the last touch, the open
/// threads, the earlier meetings.
pub fn history_lines(h: &Value) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(t) = h["last_touches"].as_array().and_then(|t| t.first()) {
        let mut line = format!(
            "Last touch: {} on {}",
            field(t, "kind").unwrap_or("activity"),
            field(t, "on").unwrap_or("?")
        );
        if let Some(n) = h["days_since_last_activity"].as_i64() {
            line.push_str(&format!(" ({n} days before the meeting)"));
        }
        if let Some(sum) = field(t, "summary") {
            line.push_str(&format!(": {sum}"));
        }
        out.push(line);
    } else {
        out.push("No activity is recorded".to_owned());
    }
    let threads: Vec<String> = h["open_threads"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|t| field(t, "subject").map(|x| format!("\u{201c}{x}\u{201d}")))
        .collect();
    if !threads.is_empty() {
        out.push(format!("Open email threads: {}", threads.join(", ")));
    }
    let meetings = h["past_meetings"].as_array().map_or(0, Vec::len);
    if let Some(m) = h["past_meetings"].as_array().and_then(|m| m.first()) {
        out.push(format!(
            "Earlier meetings: {meetings}, the last \u{201c}{}\u{201d} on {}",
            field(m, "title").unwrap_or("(untitled)"),
            field(m, "on").unwrap_or("?")
        ));
    }
    out
}

fn section(out: &mut String, heading: &str, lines: &[String], total: usize) {
    out.push_str(&format!("\n{heading}\n"));
    for l in lines.iter().take(MAX_LINES) {
        out.push_str(&format!("- {l}\n"));
    }
    if total > MAX_LINES {
        out.push_str(&format!("- and {} more\n", total - MAX_LINES));
    }
}

/// Render the briefing.
pub fn render(b: &Briefing, points: &[String]) -> String {
    let mut out = b.title.clone();
    if let Some(t) = b.starts_local.as_deref().or(b.starts_at.as_deref()) {
        out.push_str(&format!(" ({t})"));
    }
    out.push('\n');

    let who: Vec<String> = b.attendees.iter().map(attendee_line).collect();
    if who.is_empty() {
        section(
            &mut out,
            "Who",
            &["nobody from the customer is known".into()],
            1,
        );
    } else {
        section(&mut out, "Who", &who, who.len());
    }

    let mut deal = Vec::new();
    if let Some(d) = &b.deal {
        deal.push(deal_line(d));
    }
    if let Some(h) = &b.history {
        deal.extend(h.lines.iter().cloned());
    }
    if deal.is_empty() {
        deal.push("no deal or history in the CRM".into());
    }
    section(&mut out, "Deal and history", &deal, deal.len());

    if !b.missing.iter().any(|m| m == "check-previous-action-items") {
        let items: Vec<String> = b.action_items.iter().map(item_line).collect();
        if items.is_empty() {
            section(&mut out, "Open action items", &["none".into()], 1);
        } else {
            section(&mut out, "Open action items", &items, items.len());
        }
    }

    let news: Vec<String> = b.news.iter().map(news_line).collect();
    if !news.is_empty() {
        section(&mut out, "News", &news, news.len());
    }

    if !points.is_empty() {
        out.push_str("\nTalking points\n");
        for (n, p) in points.iter().take(MAX_POINTS).enumerate() {
            out.push_str(&format!("{}. {p}\n", n + 1));
        }
    }

    let mut notes = Vec::new();
    if b.enrichment.degraded
        && let Some(n) = nonblank(b.enrichment.note.as_deref())
    {
        notes.push(n.to_owned());
    }
    if let Some(n) = nonblank(b.enrichment.linkedin_note.as_deref()) {
        notes.push(n.to_owned());
    }
    let unchecked: Vec<&str> = b
        .missing
        .iter()
        .filter(|m| m.as_str() != "enrich-attendees")
        .map(|m| baton_sdk::words::source_title(m))
        .collect();
    if !unchecked.is_empty() {
        notes.push(format!(
            "Not checked (step failed or did not run): {}.",
            unchecked.join(", ")
        ));
    }
    if !notes.is_empty() {
        out.push('\n');
        for n in notes {
            out.push_str(&format!("Note: {n}\n"));
        }
    }
    out
}
