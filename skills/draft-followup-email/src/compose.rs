//! The draft's text: a greeting, what the rep heard (the prospect's words
//! played back in the second person, never pasted whole), the next steps
//! each side took on (one line per thing promised, with the date it is due
//! in the reader's terms), and the rep's sign-off and signature. Every line
//! comes from the transcript's action items and detections or the CRM;
//! nothing is invented. The rep's tone decides the opening, whether there
//! is a recap, and the sign-off.

use crate::voice::{self, MAX_COPIED};
use baton_sdk::commitments::{DateStyle, groups, most_specific, with_due};
pub use baton_sdk::meeting::Detection as Intent;
use baton_sdk::meeting::{ActionItem, Speaker};
use baton_sdk::text::{nonblank, reply_subject};
use baton_sdk::tone::Tone;
use jiff::civil::Date;

/// What the draft is built from.
#[derive(Debug, Default)]
pub struct Facts<'a> {
    /// The prospect's first name, when known.
    pub first_name: Option<&'a str>,
    pub meeting_title: Option<&'a str>,
    /// The subject of the thread this meeting came from, if any.
    pub thread_subject: Option<&'a str>,
    /// The rep's first name, for the sign-off when there is no signature.
    pub rep_first_name: Option<&'a str>,
    /// The rep's email signature, which then ends the draft.
    pub signature: Option<&'a str>,
    pub tone: Tone,
    pub intents: &'a [Intent],
    /// The action items (`extract-action-items`), whose deadlines carry dates.
    pub items: &'a [ActionItem],
    /// The meeting's day in the rep's zone, which dates are written against.
    pub meeting_date: Option<Date>,
}

/// A composed email.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub subject: String,
    pub body: String,
}

/// What the prospect said that is worth playing back to them. Competitors
/// and budget trouble are for the rep's CRM, not for the email.
const RECAP: [&str; 3] = [
    "signal:buying_positive",
    "signal:timeline",
    "signal:multi_stakeholder",
];

/// The least confidence of a detection replayed to the prospect: the
/// level at which `detect-intents` queues follow-ups.
const RECAP_CONFIDENCE: f64 = 0.8;

/// At most this many lines per section: a follow-up is read on a phone.
const MAX_LINES: usize = 4;

/// One next step: who does it, the line as the reader reads it (without
/// its date), and when it is due.
struct Step {
    owner: Speaker,
    /// What is promised, as a task line ("Send Marta the deck").
    what: String,
    /// The spoken deadline and its date.
    due: Option<(String, Date)>,
    /// What the prospect said, when the step came from their words: the
    /// line may not copy more than a short phrase of it.
    said_by_prospect: Option<String>,
    /// The utterance it was said in, when known.
    utterance: Option<usize>,
}

/// Compose the draft.
pub fn compose(f: &Facts<'_>) -> Draft {
    let subject = match (f.thread_subject, f.meeting_title) {
        (Some(s), _) if !s.trim().is_empty() => reply_subject(s),
        (_, Some(t)) if !t.trim().is_empty() => format!("Following up: {}", t.trim()),
        _ => "Following up on our call".to_owned(),
    };
    let mut body = match f.first_name {
        Some(n) => format!("Hi {n},\n\n"),
        None => "Hi,\n\n".to_owned(),
    };
    body.push_str(match f.tone {
        Tone::Warm => "Thank you so much for your time today",
        Tone::Neutral => "Thank you for your time today",
        Tone::Brief => "Thanks for your time today",
    });
    if let Some(t) = nonblank(f.meeting_title).filter(|_| f.tone != Tone::Brief) {
        body.push_str(&format!(" on the {t}"));
    }
    body.push_str(match f.tone {
        Tone::Warm => ". I really enjoyed the conversation.\n",
        _ => ".\n",
    });

    if f.tone != Tone::Brief {
        let heard = recap(f.intents);
        if !heard.is_empty() {
            body.push('\n');
            for l in &heard {
                body.push_str(&format!("- {l}\n"));
            }
        }
    }

    let steps = next_steps(f);
    if steps.is_empty() {
        body.push_str("\nIf any questions come up, just reply here and I will get you answers.\n");
    } else {
        body.push_str("\nNext steps:\n");
        for l in &steps {
            body.push_str(&format!("- {l}\n"));
        }
    }
    body.push_str(match f.tone {
        Tone::Warm => "\nLooking forward to it,\n",
        Tone::Neutral => "\nBest,\n",
        Tone::Brief => "\nThanks,\n",
    });
    match (f.signature, f.rep_first_name) {
        (Some(sig), _) => body.push_str(sig.trim()),
        (None, Some(n)) => body.push_str(n),
        (None, None) => {}
    }
    if !body.ends_with('\n') {
        body.push('\n');
    }
    Draft { subject, body }
}

/// What the prospect said of their own situation, in the second person:
/// "You mentioned you have budget set aside for this in Q1." One line per
/// thing heard, capped; never words about other people, nor a detection
/// the skill is unsure of.
fn recap(intents: &[Intent]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for i in intents {
        if i.speaker != Speaker::Prospect
            || !RECAP.contains(&i.label.as_str())
            || i.confidence < RECAP_CONFIDENCE
            || i.of_others()
        {
            continue;
        }
        let Some(gist) = voice::gist(&i.phrase) else {
            continue;
        };
        let line = sentence(&format!("You mentioned {gist}"));
        if !out.contains(&line) && out.len() < MAX_LINES {
            out.push(line);
        }
    }
    out
}

/// The next steps, one line per thing promised: the rep's first, then the
/// prospect's. Items with dates come from `extract-action-items`; a
/// commitment `detect-intents` heard that no item covers is added in a line
/// of its own; two lines about the same thing are one.
fn next_steps(f: &Facts<'_>) -> Vec<String> {
    let mut steps: Vec<Step> = Vec::new();
    // The prospect's own promises; what the rep asked of them in the call
    // ("could you walk me through …") was mostly answered there.
    for i in f
        .items
        .iter()
        .filter(|i| i.owner == Speaker::Rep || i.kind != "request")
    {
        steps.push(Step {
            utterance: Some(i.utterance),
            owner: i.owner,
            what: i.action.clone(),
            due: i
                .deadline
                .as_ref()
                .and_then(|d| Some((d.text.clone(), d.date.as_deref()?.parse().ok()?))),
            said_by_prospect: (i.said_by() == Speaker::Prospect).then(|| i.quote.clone()),
        });
    }
    let rep_meeting = f
        .intents
        .iter()
        .any(|i| i.speaker == Speaker::Rep && i.label == "commitment:schedule_meeting");
    for i in f.intents {
        let what = match (i.speaker, i.label.as_str()) {
            (Speaker::Rep, "commitment:send_proposal") => "Send you a proposal",
            (Speaker::Rep, "commitment:schedule_meeting") => {
                "Send you a few times for our next conversation"
            }
            (Speaker::Prospect, "commitment:schedule_meeting") if !rep_meeting => {
                "Send you a few times to meet again"
            }
            (Speaker::Prospect, "request:send_content") => "Send you the material you asked for",
            _ => continue,
        };
        steps.push(Step {
            owner: Speaker::Rep,
            what: what.to_owned(),
            due: None,
            said_by_prospect: None,
            utterance: i.utterance,
        });
    }

    let names: Vec<&str> = f.first_name.into_iter().collect();
    let mut lines = Vec::new();
    for owner in [Speaker::Rep, Speaker::Prospect] {
        let mine: Vec<&Step> = steps.iter().filter(|s| s.owner == owner).collect();
        let whats: Vec<&str> = mine.iter().map(|s| s.what.as_str()).collect();
        let utterances: Vec<Option<usize>> = mine.iter().map(|s| s.utterance).collect();
        let mut said = 0;
        for group in groups(&whats, &utterances, &names) {
            let Some(line) = merged(&group.iter().map(|&k| mine[k]).collect::<Vec<_>>(), f) else {
                continue;
            };
            if !lines.contains(&line) && said < MAX_LINES {
                lines.push(line);
                said += 1;
            }
        }
    }
    lines
}

/// One line for steps about the same thing: the one that says most about
/// it, due at the earliest date any of them gives.
fn merged(same: &[&Step], f: &Facts<'_>) -> Option<String> {
    let names: Vec<&str> = f.first_name.into_iter().collect();
    let whats: Vec<&str> = same.iter().map(|s| s.what.as_str()).collect();
    let first = same[most_specific(&whats, &names)?];
    let due = same
        .iter()
        .filter_map(|s| s.due.as_ref())
        .min_by_key(|(_, d)| *d);
    let what = reader_line(first, f.first_name)?;
    let text = match (due, f.meeting_date) {
        // The chosen line's own deadline words give way to the date
        // (or, when it had none, the date's words say "by" or "on").
        (Some((when, date)), Some(today)) => {
            let said = first
                .due
                .as_ref()
                .map_or(when.as_str(), |(s, _)| s.as_str());
            with_due(&what, said, *date, today, DateStyle::Long)
        }
        _ => what,
    };
    Some(sentence(&text))
}

/// A step as the rep writes it to the prospect: the rep's "I'll send you
/// the deck", the prospect's "You'll run it by your CFO". `None` when a
/// step from the prospect's words cannot be said without copying them.
fn reader_line(step: &Step, name: Option<&str>) -> Option<String> {
    let mut words: Vec<String> = Vec::new();
    for (k, w) in step.what.split_whitespace().enumerate() {
        let bare = w.trim_end_matches([',', '.', ';', '!', '?']);
        let tail = &w[bare.len()..];
        let swapped = match bare.to_lowercase().as_str() {
            _ if name.is_some_and(|n| n == bare) => Some("you"),
            "them" | "they" => Some("you"),
            "their" => Some("your"),
            "theirs" => Some("yours"),
            _ => None,
        };
        let word = match swapped {
            Some(s) => format!("{s}{tail}"),
            None if k == 0 => voice::lower_first(w),
            None => w.to_owned(),
        };
        words.push(word);
    }
    if let Some(said) = &step.said_by_prospect {
        words = voice::fit(&voice::without_quantifiers(&words), said)?;
        debug_assert!(voice::longest_run(&words.join(" "), said) <= MAX_COPIED);
    }
    let lead = match step.owner {
        Speaker::Rep => "I'll",
        Speaker::Prospect => "You'll",
    };
    Some(format!("{lead} {}", words.join(" ")))
}

/// The phrase as a sentence: capitalised, ending in punctuation.
fn sentence(phrase: &str) -> String {
    let p = phrase.trim();
    let mut chars = p.chars();
    let mut out = match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect::<String>(),
        None => String::new(),
    };
    out.truncate(out.trim_end_matches([',', ';', ':', '-', ' ']).len());
    if !out.ends_with(['.', '!', '?']) {
        out.push('.');
    }
    out
}

#[cfg(test)]
mod tests;
