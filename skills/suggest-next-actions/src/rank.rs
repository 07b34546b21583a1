//! Candidate suggestions from each kind of evidence, scored and ranked.
//!
//! Scores (higher first): the rep's own promises lead (the prospect is
//! waiting on them), the sooner due the higher; then risks the prospect
//! voiced (budget, a competitor, another decision-maker); then keeping the
//! CRM true to what was said; then reminders about the prospect's promises.

use baton_sdk::JsonSchema;
use baton_sdk::context::ContactTier;
use baton_sdk::crm::{is_open, stage_position};
use baton_sdk::meeting::{ActionItem, Detection, Speaker};
use baton_sdk::text::first_word;
use jiff::civil::Date;
use serde::Serialize;

/// What the suggestions are drawn from.
pub struct Facts<'a> {
    pub items: &'a [ActionItem],
    pub detections: &'a [Detection],
    /// The contact tier, when the meeting matched a CRM contact or deal.
    pub contact: Option<&'a ContactTier>,
    /// The meeting's day in the rep's zone (`YYYY-MM-DD`).
    pub meeting_date: Option<&'a str>,
}

/// One suggestion before ranking.
#[derive(Debug, Clone)]
pub struct Suggestion {
    pub action: String,
    pub reason: String,
    pub due: Option<String>,
    pub score: u32,
    pub evidence: Evidence,
}

/// What a suggestion rests on.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(tag = "source", rename_all = "lowercase")]
pub enum Evidence {
    /// Words said in the meeting.
    Transcript {
        quote: String,
        /// Index of the utterance, when known.
        utterance: Option<usize>,
    },
    /// A CRM field (or its absence).
    Crm { field: &'static str },
}

/// A suggestion as output: the output's `suggestions`.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Ranked {
    /// 1 for the first.
    #[schemars(range(min = 1))]
    pub rank: usize,
    pub action: String,
    /// Why, in the meeting's or the CRM's terms.
    pub reason: String,
    pub priority: Priority,
    /// `YYYY-MM-DD`, when a date was said.
    pub due: Option<String>,
    pub evidence: Evidence,
}

/// How soon it matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Priority {
    High,
    Medium,
    Low,
}

impl Suggestion {
    /// The suggestion as output, at `rank`.
    pub fn ranked(self, rank: usize) -> Ranked {
        let priority = match self.score {
            80.. => Priority::High,
            60..=79 => Priority::Medium,
            _ => Priority::Low,
        };
        Ranked {
            rank,
            action: self.action,
            reason: self.reason,
            priority,
            due: self.due,
            evidence: self.evidence,
        }
    }
}

fn quoted(text: &str, utterance: Option<usize>) -> Evidence {
    Evidence::Transcript {
        quote: text.to_owned(),
        utterance,
    }
}

fn crm(field: &'static str) -> Evidence {
    Evidence::Crm { field }
}

/// Days from the meeting to `due`, when both are dates.
fn days_until(meeting: Option<&str>, due: Option<&str>) -> Option<i64> {
    let m: Date = meeting?.parse().ok()?;
    let d: Date = due?.parse().ok()?;
    Some(i64::from((d - m).get_days()))
}

/// Every grounded suggestion, best first.
pub fn suggest(f: &Facts<'_>) -> Vec<Suggestion> {
    let mut out = Vec::new();
    let said = |label: &'static str| f.detections.iter().filter(move |d| d.label == label);
    let name = first_word(f.contact.and_then(ContactTier::contact_name)).unwrap_or("the prospect");

    // The rep's promises, sooner first.
    for item in f.items.iter().filter(|i| i.owner == Speaker::Rep) {
        let due = item.deadline.as_ref().and_then(|d| d.date.clone());
        let urgency = match days_until(f.meeting_date, due.as_deref()) {
            Some(..=2) => 15,
            Some(3..=7) => 8,
            Some(_) => 4,
            None => 0,
        };
        let reason = if item.kind == "commitment" {
            format!("You said: \u{201c}{}\u{201d}", item.quote)
        } else {
            format!("{name} asked: \u{201c}{}\u{201d}", item.quote)
        };
        out.push(Suggestion {
            action: item.action.clone(),
            reason,
            due,
            score: 80 + urgency,
            evidence: quoted(&item.quote, Some(item.utterance)),
        });
    }
    let rep_covers = |words: &[&str]| {
        f.items.iter().any(|i| {
            i.owner == Speaker::Rep && words.iter().any(|w| i.action.to_lowercase().contains(w))
        })
    };

    if let Some(d) = said("commitment:schedule_meeting").next()
        && !rep_covers(&[
            "time", "schedule", "book", "invite", "calendar", "meeting", "call",
        ])
    {
        out.push(Suggestion {
            action: format!("Send {name} times for the next meeting"),
            reason: format!(
                "A follow-up meeting was agreed: \u{201c}{}\u{201d}",
                d.phrase
            ),
            due: None,
            score: 78,
            evidence: quoted(&d.phrase, d.utterance),
        });
    }
    for d in said("request:send_content") {
        if !rep_covers(&["send", "share", "forward"]) {
            out.push(Suggestion {
                action: format!("Send {name} what they asked for"),
                reason: format!("{name} asked: \u{201c}{}\u{201d}", d.phrase),
                due: None,
                score: 79,
                evidence: quoted(&d.phrase, d.utterance),
            });
        }
    }
    if let Some(d) = said("signal:buying_negative").next() {
        out.push(Suggestion {
            action: "Answer the budget concern before pricing lands: offer a phased rollout or a smaller first phase".into(),
            reason: format!("{name} said: \u{201c}{}\u{201d}", d.phrase),
            due: None,
            score: 76,
            evidence: quoted(&d.phrase, d.utterance),
        });
    }
    if let Some(d) = said("signal:multi_stakeholder").next() {
        out.push(Suggestion {
            action: "Bring the other decision-maker in: offer them a short session, or a one-page summary to forward".into(),
            reason: format!("Someone else decides too: \u{201c}{}\u{201d}", d.phrase),
            due: None,
            score: 72,
            evidence: quoted(&d.phrase, d.utterance),
        });
    }
    if let Some(d) = said("signal:competitive").next() {
        out.push(Suggestion {
            action: "Prepare a side-by-side against the alternative they named, on what they said matters".into(),
            reason: format!("They are comparing: \u{201c}{}\u{201d}", d.phrase),
            due: None,
            score: 70,
            evidence: quoted(&d.phrase, d.utterance),
        });
    }

    crm_suggestions(f, &mut out);

    // Reminders for what the prospect promised.
    for item in f.items.iter().filter(|i| i.owner == Speaker::Prospect) {
        let due = item.deadline.as_ref().and_then(|d| d.date.clone());
        let when = match &due {
            Some(d) => format!("by {d}"),
            None => "within a week".to_owned(),
        };
        out.push(Suggestion {
            action: format!(
                "Check in with {name} if nothing arrives {when}: {}",
                lower_first(&item.action)
            ),
            reason: format!("{name} said: \u{201c}{}\u{201d}", item.quote),
            due,
            score: 50,
            evidence: quoted(&item.quote, Some(item.utterance)),
        });
    }
    out.sort_by(|a, b| b.score.cmp(&a.score).then_with(|| a.due.cmp(&b.due)));
    out
}

/// Suggestions that come from the CRM record set against what was said.
fn crm_suggestions(f: &Facts<'_>, out: &mut Vec<Suggestion>) {
    let deal = f.contact.and_then(|c| c.deal.as_ref());
    let Some(deal) = deal else {
        if let Some(c) = f.contact {
            let company = c.company_name().unwrap_or("this account");
            out.push(Suggestion {
                action: format!("Create a deal for {company}"),
                reason: "The CRM has no deal for this contact, so this meeting is tracked nowhere"
                    .into(),
                due: None,
                score: 62,
                evidence: crm("deal"),
            });
        } else {
            out.push(Suggestion {
                action: "Add this contact and a deal to the CRM".into(),
                reason: "The meeting matched no contact or deal in the CRM: no deal is tracking it"
                    .into(),
                due: None,
                score: 60,
                evidence: crm("contact"),
            });
        }
        return;
    };
    let stage = deal.stage.as_deref().unwrap_or("");
    if !is_open(stage) {
        return;
    }
    if let (Some(close), Some(today)) = (deal.close_date.as_deref(), f.meeting_date)
        && close < today
    {
        out.push(Suggestion {
            action: "Move the deal's close date: it has already passed".into(),
            reason: format!("The CRM's close date is {close}, before today's meeting"),
            due: None,
            score: 64,
            evidence: crm("close_date"),
        });
    }
    let proposal_promised = f
        .detections
        .iter()
        .any(|d| d.label == "commitment:send_proposal");
    if proposal_promised && stage_position(stage).is_some_and(|p| p < 4) {
        out.push(Suggestion {
            action: "Move the deal to the proposal stage once the proposal is sent".into(),
            reason: format!("The deal is still at {stage} but a proposal was promised"),
            due: None,
            score: 61,
            evidence: crm("stage"),
        });
    }
    if let Some(d) = f.detections.iter().find(|d| d.label == "signal:timeline") {
        out.push(Suggestion {
            action: "Check the deal's close date against the timeline they gave".into(),
            reason: format!(
                "They said \u{201c}{}\u{201d}; the CRM says {}",
                d.phrase,
                deal.close_date.as_deref().unwrap_or("no close date")
            ),
            due: None,
            score: 58,
            evidence: quoted(&d.phrase, d.utterance),
        });
    }
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}
