//! The draft's text: a greeting, a recap quoting what the prospect said, the
//! next steps each side committed to, and a sign-off. Every line comes from
//! the transcript's detections or the CRM; nothing is invented.

pub use baton_sdk::meeting::Detection as Intent;
use baton_sdk::meeting::Speaker;
use baton_sdk::text::{nonblank, reply_subject};

/// What the draft is built from.
#[derive(Debug, Default)]
pub struct Facts<'a> {
    /// The prospect's first name, when known.
    pub first_name: Option<&'a str>,
    pub meeting_title: Option<&'a str>,
    /// The subject of the thread this meeting came from, if any.
    pub thread_subject: Option<&'a str>,
    /// The rep's first name, for the sign-off.
    pub rep_first_name: Option<&'a str>,
    pub intents: &'a [Intent],
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

/// At most this many lines per section: a follow-up is read on a phone.
const MAX_LINES: usize = 4;

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
    body.push_str(match f.meeting_title {
        Some(t) if !t.trim().is_empty() => "Thank you for your time today",
        _ => "Thank you for the conversation today",
    });
    if let Some(t) = nonblank(f.meeting_title) {
        body.push_str(&format!(" on the {t}"));
    }
    body.push_str(".\n");

    let heard = lines(f.intents, |i| {
        (i.speaker == Speaker::Prospect && RECAP.contains(&i.label.as_str()))
            .then(|| format!("\u{201c}{}\u{201d}", sentence(&i.phrase)))
    });
    if !heard.is_empty() {
        body.push_str("\nWhat I took away:\n");
        for l in &heard {
            body.push_str(&format!("- {l}\n"));
        }
    }

    let rep_meeting = f
        .intents
        .iter()
        .any(|i| i.speaker == Speaker::Rep && i.label == "commitment:schedule_meeting");
    let steps = lines(f.intents, |i| {
        match (i.speaker.as_str(), i.label.as_str()) {
            ("rep", "commitment:send_proposal" | "commitment:schedule_meeting") => {
                Some(sentence(strip_opening(&i.phrase)))
            }
            ("prospect", "commitment:schedule_meeting") if !rep_meeting => Some(format!(
                "You suggested: \u{201c}{}\u{201d} I will send times.",
                sentence(&i.phrase)
            )),
            ("prospect", "request:send_content") => Some(format!(
                "You asked: \u{201c}{}\u{201d}",
                sentence(&i.phrase)
            )),
            ("prospect", "commitment:prospect_followup") => Some(format!(
                "On your side: \u{201c}{}\u{201d}",
                sentence(&i.phrase)
            )),
            _ => None,
        }
    });
    if steps.is_empty() {
        body.push_str("\nIf any questions come up, just reply here and I will get you answers.\n");
    } else {
        body.push_str("\nNext steps:\n");
        for l in &steps {
            body.push_str(&format!("- {l}\n"));
        }
    }
    body.push_str("\nBest,\n");
    if let Some(n) = f.rep_first_name {
        body.push_str(n);
        body.push('\n');
    }
    Draft { subject, body }
}

/// The distinct lines `pick` makes from the intents, in order, capped.
fn lines(intents: &[Intent], pick: impl Fn(&Intent) -> Option<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for l in intents.iter().filter_map(pick) {
        if !out.contains(&l) && out.len() < MAX_LINES {
            out.push(l);
        }
    }
    out
}

/// Drop a conversational opener ("Absolutely, ", "Sure, so ") before a commitment.
fn strip_opening(phrase: &str) -> &str {
    const OPENERS: [&str; 10] = [
        "absolutely",
        "sure",
        "yes",
        "yeah",
        "great",
        "okay",
        "ok",
        "so",
        "and",
        "perfect",
    ];
    let mut rest = phrase.trim();
    loop {
        let word_end = rest
            .find(|c: char| !c.is_alphabetic())
            .unwrap_or(rest.len());
        let (word, after) = rest.split_at(word_end);
        if word.is_empty() || !OPENERS.contains(&word.to_ascii_lowercase().as_str()) {
            return rest;
        }
        let next = after.trim_start_matches([',', ' ', '!', '.', '-']);
        if next.is_empty() {
            return rest;
        }
        rest = next;
    }
}

/// The phrase as a sentence: capitalised, ending in punctuation.
fn sentence(phrase: &str) -> String {
    let p = phrase.trim();
    let mut chars = p.chars();
    let mut out = match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect::<String>(),
        None => String::new(),
    };
    if !out.ends_with(['.', '!', '?']) {
        const ASKING: [&str; 9] = [
            "can", "could", "would", "will", "do", "does", "is", "are", "should",
        ];
        let first = out
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        out.push(if ASKING.contains(&first.as_str()) {
            '?'
        } else {
            '.'
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn intent(label: &str, speaker: &str, phrase: &str) -> Intent {
        Intent {
            label: label.into(),
            speaker: Speaker::parse(speaker).expect("rep or prospect"),
            phrase: phrase.into(),
            confidence: 0.9,
            utterance: None,
            start: None,
        }
    }

    #[test]
    fn openers_are_dropped_but_never_the_whole_phrase() {
        assert_eq!(
            strip_opening("Absolutely, I'll send over a few times"),
            "I'll send over a few times"
        );
        assert_eq!(strip_opening("Sure, so I'll call you"), "I'll call you");
        assert_eq!(strip_opening("Okay!"), "Okay!");
        assert_eq!(strip_opening("Sending it now"), "Sending it now");
    }

    #[test]
    fn a_prospect_meeting_ask_is_kept_only_when_the_rep_made_no_commitment() {
        let ask = intent(
            "commitment:schedule_meeting",
            "prospect",
            "Can we meet next week",
        );
        let alone = compose(&Facts {
            intents: std::slice::from_ref(&ask),
            ..Facts::default()
        });
        assert!(alone.body.contains("You suggested"), "{}", alone.body);
        let both = [
            ask,
            intent("commitment:schedule_meeting", "rep", "I'll send times"),
        ];
        let d = compose(&Facts {
            intents: &both,
            ..Facts::default()
        });
        assert!(!d.body.contains("You suggested"), "{}", d.body);
        assert!(d.body.contains("- I'll send times."), "{}", d.body);
    }

    #[test]
    fn competitors_and_budget_trouble_stay_out_of_the_email() {
        let said = [
            intent(
                "signal:competitive",
                "prospect",
                "We are also trialling Acme",
            ),
            intent("signal:buying_negative", "prospect", "Budget is frozen"),
            intent(
                "request:send_content",
                "prospect",
                "Could you send the security whitepaper",
            ),
        ];
        let d = compose(&Facts {
            intents: &said,
            ..Facts::default()
        });
        assert!(
            !d.body.contains("Acme") && !d.body.contains("frozen"),
            "{}",
            d.body
        );
        assert!(
            d.body
                .contains("You asked: \u{201c}Could you send the security whitepaper?\u{201d}"),
            "{}",
            d.body
        );
    }

    #[test]
    fn sections_are_capped_and_deduplicated() {
        let many: Vec<_> = (0..10)
            .map(|n| intent("signal:timeline", "prospect", &format!("Live by week {n}")))
            .chain([intent("signal:timeline", "prospect", "Live by week 0")])
            .collect();
        let d = compose(&Facts {
            intents: &many,
            ..Facts::default()
        });
        assert_eq!(d.body.matches("\n- ").count(), MAX_LINES, "{}", d.body);
    }
}
