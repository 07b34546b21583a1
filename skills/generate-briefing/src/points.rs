//! Talking points: at most three, each built from one fact the briefing
//! holds (an overdue promise, the deal's stage and close date, the last
//! touch, a senior attendee, a news item, an open thread, an open item).
//! With fewer facts there are fewer points: nothing generic fills the gap.

use crate::Briefing;
use baton_sdk::text::{field, nonblank};

/// Most points a briefing carries.
pub const MAX_POINTS: usize = 3;

/// The talking points for `b`, most pressing first, one per kind of fact.
pub fn talking_points(b: &Briefing) -> Vec<String> {
    let candidates = [
        overdue(b),
        deal(b),
        last_touch(b),
        senior_attendee(b),
        news(b),
        thread(b),
        open_item(b),
    ];
    candidates.into_iter().flatten().take(MAX_POINTS).collect()
}

fn overdue(b: &Briefing) -> Option<String> {
    let i = b.action_items.iter().find(|i| i["overdue"] == true)?;
    let text = field(i, "text")?;
    let days = i["days_overdue"].as_i64().unwrap_or(0);
    let due = field(i, "due").unwrap_or("earlier");
    Some(match field(i, "owner") {
        Some("prospect") => format!(
            "Ask where \u{201c}{text}\u{201d} stands: it was due {due}, {days} days before this meeting."
        ),
        _ => format!(
            "Close the loop on \u{201c}{text}\u{201d}: it was due {due}, {days} days before this meeting; bring it or a date."
        ),
    })
}

fn deal(b: &Briefing) -> Option<String> {
    let d = b.deal.as_ref()?;
    let name = field(d, "name")?;
    let stage = field(d, "stage").unwrap_or("open");
    let amount = field(d, "amount")
        .map(|a| format!(" ({a})"))
        .unwrap_or_default();
    let close = match (field(d, "close_date"), d["days_to_close"].as_i64()) {
        (Some(c), Some(n)) if n >= 0 => format!("the {c} close, {n} days out"),
        (Some(c), Some(n)) => format!("the {c} close date, already {} days past", -n),
        (Some(c), None) => format!("the {c} close date"),
        _ => "a close date (none is set)".to_owned(),
    };
    Some(match stage {
        "discovery" | "qualification" | "lead" => format!(
            "{name}{amount} is in {}: confirm budget, decision makers and timeline against {close}.",
            stage.replace('_', " ")
        ),
        "proposal" => format!(
            "{name}{amount} is at proposal: get their reaction to it and agree the steps to {close}."
        ),
        "negotiation" | "contract" => format!(
            "{name}{amount} is in {stage}: settle the open terms and who signs, for {close}."
        ),
        "closed_won" => {
            format!(
                "{name}{amount} is won: use the meeting for rollout and expansion, not selling."
            )
        }
        "closed_lost" => format!("{name}{amount} was lost: find out what has changed since."),
        other => format!(
            "{name}{amount} is in {}: agree the next step toward {close}.",
            other.replace('_', " ")
        ),
    })
}

fn last_touch(b: &Briefing) -> Option<String> {
    let h = b.history.as_ref()?;
    let t = h.last_touches.as_array()?.first()?;
    let summary = field(t, "summary")?;
    let kind = field(t, "kind").unwrap_or("activity");
    let on = field(t, "on").unwrap_or("?");
    let mut p = format!("Pick up from the last touch ({kind}, {on}): \u{201c}{summary}\u{201d}");
    match h.days_since_last_activity.as_i64() {
        Some(n) if n >= 14 => p.push_str(&format!(
            "; that was {n} days ago, so open with what has changed since."
        )),
        _ => p.push('.'),
    }
    Some(p)
}

/// Seniority levels and title words that mark a decision maker.
const SENIOR: [&str; 6] = ["c_suite", "founder", "owner", "partner", "vp", "head"];
const SENIOR_TITLES: [&str; 9] = [
    "chief",
    "cfo",
    "ceo",
    "coo",
    "cto",
    "cio",
    "vp",
    "vice president",
    "head of",
];

fn senior_attendee(b: &Briefing) -> Option<String> {
    let a = b.attendees.iter().find(|a| {
        nonblank(a.seniority.as_deref())
            .is_some_and(|x| SENIOR.contains(&x.to_ascii_lowercase().as_str()))
            || nonblank(a.title.as_deref()).is_some_and(|t| {
                let t = t.to_ascii_lowercase();
                SENIOR_TITLES.iter().any(|w| {
                    t.split(|c: char| !c.is_alphanumeric())
                        .any(|word| word == *w)
                        || (w.contains(' ') && t.contains(w))
                })
            })
    })?;
    let name = nonblank(a.name.as_deref())?;
    let title = nonblank(a.title.as_deref())?;
    let about = b
        .deal
        .as_ref()
        .and_then(|d| field(d, "amount"))
        .map(|amt| format!("the {amt} figure and what it returns"))
        .unwrap_or_else(|| "the business case".to_owned());
    Some(format!(
        "{name} ({title}) is attending: have {about} ready for them."
    ))
}

fn news(b: &Briefing) -> Option<String> {
    let n = b.news.first()?;
    let title = field(n, "title")?;
    let source = [field(n, "source"), field(n, "published_on")]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(", ");
    let company = b
        .company
        .as_ref()
        .and_then(|c| nonblank(c.name.as_deref()))
        .unwrap_or("their");
    let from = if source.is_empty() {
        String::new()
    } else {
        format!(" ({source})")
    };
    let whose = if company == "their" {
        "their".to_owned()
    } else {
        format!("{company}'s")
    };
    Some(format!(
        "Ask about \u{201c}{title}\u{201d}{from} and what it means for {whose} plans."
    ))
}

fn thread(b: &Briefing) -> Option<String> {
    let t = b.history.as_ref()?.open_threads.as_array()?.first()?;
    let subject = field(t, "subject")?;
    Some(match t["days_ago"].as_i64() {
        Some(n) => format!(
            "Answer what is still open in the email thread \u{201c}{subject}\u{201d} (last message {n} days before the meeting)."
        ),
        None => format!("Answer what is still open in the email thread \u{201c}{subject}\u{201d}."),
    })
}

fn open_item(b: &Briefing) -> Option<String> {
    let i = b.action_items.iter().find(|i| i["overdue"] != true)?;
    let text = field(i, "text")?;
    Some(match field(i, "due") {
        Some(d) => format!("Check progress on \u{201c}{text}\u{201d} (due {d})."),
        None => format!("Check progress on \u{201c}{text}\u{201d}."),
    })
}
