//! A rep's request in their own words, read by rules: which sequence it
//! asks for and who or what it names, resolved against the org's contacts
//! and deals. What reads more than one way, or names nobody known, gets a
//! question back, never a guess.
//!
//! - "find times with Marta next week" → `calendar_find_times` for that
//!   contact, the request's words kept for the parser ("next week");
//! - "proposal for Northwind, 40 seats" → `proposal_generation` for that
//!   deal (by its name or its company's);
//! - "brief me on Cobalt" → `pre_meeting_90min` for that deal's contact;
//! - "what's stale?" → `morning_brief` now (its pipeline part lists the
//!   deals gone quiet).
//!
//! A request no rule reads goes to the model when the engine lends one
//! (`model.rs`), and its reading is resolved the same way.

mod model;

use crate::store::{NamedContact, NamedDeal, RequestTables};
use baton_engine::orchestrator::{Request, Understood};
use baton_engine::store::{Store, StoreError};
use serde_json::{Value, json};

/// Requests as a rep would type them, for a question's examples.
pub(crate) const EXAMPLES: &[&str] = &[
    "find times with Marta next week",
    "proposal for Northwind, 40 seats",
    "brief me on Cobalt",
    "what's stale?",
];

/// Words that end a name and start when ("with Marta next week").
const WHEN: &[&str] = &[
    "next",
    "this",
    "tomorrow",
    "today",
    "tonight",
    "on",
    "at",
    "for",
    "in",
    "before",
    "after",
    "by",
    "around",
    "from",
    "between",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "asap",
    "soon",
    "early",
    "late",
    "later",
    "week",
    "morning",
    "afternoon",
    "evening",
];

/// Words in a name that say nothing about who (articles, "the").
const FILLER: &[&str] = &[
    "the", "a", "an", "our", "my", "deal", "account", "team", "at", "inc",
];

/// What kind of thing a request asks for, and the words naming its object.
#[derive(Debug, Clone, PartialEq)]
enum Ask<'a> {
    Times(&'a str),
    Proposal(&'a str),
    Brief(&'a str),
    Stale,
}

/// The request's words, lowercased, punctuation at their edges dropped.
fn words(text: &str) -> Vec<String> {
    text.split_whitespace()
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric() && c != '@' && c != '.' && c != '\'')
                .trim_end_matches(['.', '\''])
                .to_lowercase()
        })
        .filter(|w| !w.is_empty())
        .collect()
}

/// Which sequence `text` asks for, and what it names (the rest of the
/// words after the phrase that says what), read by the phrase it opens
/// with. `None`: no rule reads it.
fn read(text: &str) -> Option<Ask<'_>> {
    let mut t = text.trim();
    for polite in ["please ", "can you ", "could you "] {
        t = strip_ci(t, polite).unwrap_or(t);
    }
    const TIMES: &[&str] = &[
        "find times with ",
        "find time with ",
        "find a time with ",
        "find slots with ",
        "find a slot with ",
        "suggest times with ",
        "offer times to ",
        "schedule a call with ",
        "schedule a meeting with ",
        "schedule time with ",
        "schedule with ",
        "set up a call with ",
        "set up a meeting with ",
        "book a call with ",
        "book a meeting with ",
        "book time with ",
        "meet with ",
    ];
    const PROPOSAL: &[&str] = &[
        "proposal for ",
        "a proposal for ",
        "draft a proposal for ",
        "draft the proposal for ",
        "write a proposal for ",
        "prepare a proposal for ",
        "send a proposal to ",
        "proposal to ",
    ];
    const BRIEF: &[&str] = &[
        "brief me on ",
        "brief me about ",
        "brief me for ",
        "prep me on ",
        "prep me for ",
        "briefing on ",
        "briefing for ",
        "brief on ",
    ];
    for p in TIMES {
        if let Some(rest) = strip_ci(t, p) {
            return Some(Ask::Times(rest.trim()));
        }
    }
    for p in PROPOSAL {
        if let Some(rest) = strip_ci(t, p) {
            return Some(Ask::Proposal(rest.trim()));
        }
    }
    for p in BRIEF {
        if let Some(rest) = strip_ci(t, p) {
            return Some(Ask::Brief(rest.trim()));
        }
    }
    let w = words(t);
    let has = |x: &str| w.iter().any(|y| y == x);
    let stale = (has("stale") || has("quiet") || has("cold") || has("stalled") || has("stuck"))
        && (has("what's")
            || has("what")
            || has("which")
            || has("deals")
            || has("show")
            || w.len() <= 2);
    stale.then_some(Ask::Stale)
}

/// `s` without `prefix` (ASCII, any case), if it starts with it.
fn strip_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
}

/// The words of `tail` that name someone: up to the first word saying
/// when, or a comma, fillers dropped.
fn name_words(tail: &str) -> Vec<String> {
    let head = tail.split([',', ';', '(']).next().unwrap_or_default();
    let mut out = Vec::new();
    for w in words(head) {
        if WHEN.contains(&w.as_str()) || w.chars().all(|c| c.is_ascii_digit()) {
            break;
        }
        if !FILLER.contains(&w.as_str()) {
            out.push(w.trim_end_matches("'s").to_owned());
        }
    }
    out
}

/// Whether every word of `wanted` starts a word of `name` (or is its email).
fn names(name: &str, email: Option<&str>, wanted: &[String]) -> bool {
    let have = words(name);
    wanted.iter().all(|w| {
        have.iter().any(|h| h.starts_with(w.as_str()))
            || email.is_some_and(|e| e.eq_ignore_ascii_case(w))
    })
}

/// A list of names for a question: "A, B or C".
fn either(options: &[String]) -> String {
    match options {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}

/// The one contact `wanted` names, or the question to ask.
async fn contact(
    store: &Store,
    r: &Request<'_>,
    wanted: &[String],
    said: &str,
) -> Result<Result<NamedContact, String>, StoreError> {
    let Some(first) = wanted.first() else {
        return Ok(Err(
            "With whom? Name the contact (or give their email).".into()
        ));
    };
    let found: Vec<NamedContact> = store
        .contacts_like(&r.org.id, first)
        .await?
        .into_iter()
        .filter(|c| names(&c.name, c.email.as_deref(), wanted))
        .collect();
    Ok(match found.as_slice() {
        [one] => Ok(one.clone()),
        [] => Err(format!(
            "I don't know a contact called “{said}”. Who is it? Give their full name or email."
        )),
        many => {
            let who: Vec<String> = many
                .iter()
                .take(5)
                .map(|c| match &c.company {
                    Some(co) => format!("{} ({co})", c.name),
                    None => c.name.clone(),
                })
                .collect();
            Err(format!("Which one: {}? Say the full name.", either(&who)))
        }
    })
}

/// The one deal `wanted` names (an open one over a closed one), or the
/// question to ask.
async fn deal(
    store: &Store,
    r: &Request<'_>,
    wanted: &[String],
    said: &str,
) -> Result<Result<NamedDeal, String>, StoreError> {
    let Some(first) = wanted.first() else {
        return Ok(Err("For which deal? Name it or its company.".into()));
    };
    let found: Vec<NamedDeal> = store
        .deals_like(&r.org.id, first)
        .await?
        .into_iter()
        .filter(|d| {
            names(&d.name, None, wanted)
                || d.company.as_deref().is_some_and(|c| names(c, None, wanted))
        })
        .collect();
    let open: Vec<&NamedDeal> = found
        .iter()
        .filter(|d| !d.stage.starts_with("closed"))
        .collect();
    let pick: Vec<&NamedDeal> = if open.is_empty() {
        found.iter().collect()
    } else {
        open
    };
    Ok(match pick.as_slice() {
        [one] => Ok((*one).clone()),
        [] => Err(format!(
            "I don't know a deal or company called “{said}”. Which deal do you mean?"
        )),
        many => {
            let which: Vec<String> = many.iter().take(5).map(|d| d.name.clone()).collect();
            Err(format!("Which deal: {}? Say its name.", either(&which)))
        }
    })
}

/// The seats a proposal request names ("40 seats", "for 40 users").
fn seats(text: &str) -> Option<u64> {
    let w = words(text);
    w.windows(2).find_map(|p| {
        let n: u64 = p[0].parse().ok()?;
        [
            "seats", "seat", "users", "licenses", "licences", "reps", "agents",
        ]
        .contains(&p[1].as_str())
        .then_some(n)
    })
}

/// RFC 3339 of `ms` (the request's time, for "next week").
fn rfc3339(ms: i64) -> Option<String> {
    jiff::Timestamp::from_millisecond(ms)
        .ok()
        .map(|t| t.to_string())
}

/// What `r` asks for, if a rule reads it.
pub(crate) async fn understand(
    store: &Store,
    r: Request<'_>,
) -> Result<Option<Understood>, StoreError> {
    let reading;
    let ask = match (read(r.text), r.llm) {
        (Some(ask), _) => ask,
        (None, Some(llm)) => match model::read(llm, r.text).await {
            Some(m) => {
                reading = m;
                reading.ask()
            }
            None => return Ok(None),
        },
        (None, None) => return Ok(None),
    };
    let run = |event_type: &str, payload: Value, summary: String| {
        Ok(Some(Understood::Run {
            event_type: event_type.to_owned(),
            payload,
            summary,
        }))
    };
    match ask {
        Ask::Times(tail) => {
            let wanted = name_words(tail);
            let said = wanted.join(" ");
            let c = match contact(store, &r, &wanted, &said).await? {
                Ok(c) => c,
                Err(q) => return Ok(Some(Understood::Ask(q))),
            };
            let Some(email) = c.email.clone() else {
                return Ok(Some(Understood::Ask(format!(
                    "{} has no email address in the CRM, so I cannot offer them times. Add one first.",
                    c.name
                ))));
            };
            let mut payload = json!({
                "request": r.text.trim(),
                "contact_id": c.id,
                "contact_email": email,
            });
            if let Some(at) = rfc3339(r.now) {
                payload["event_time"] = json!(at);
            }
            run(
                "calendar_find_times",
                payload,
                format!(
                    "find free times on your calendar to meet {}{} and offer you the choice",
                    c.name,
                    c.company
                        .as_deref()
                        .map(|co| format!(" ({co})"))
                        .unwrap_or_default()
                ),
            )
        }
        Ask::Proposal(tail) => {
            let wanted = name_words(tail);
            let said = wanted.join(" ");
            let d = match deal(store, &r, &wanted, &said).await? {
                Ok(d) => d,
                Err(q) => return Ok(Some(Understood::Ask(q))),
            };
            let mut payload =
                json!({ "request": r.text.trim(), "deal_id": d.id, "deal_name": d.name });
            if let Some(c) = &d.contact_id {
                payload["contact_id"] = json!(c);
            }
            if let Some(e) = &d.contact_email {
                payload["contact_email"] = json!(e);
            }
            let n = seats(tail)
                .map(|n| format!(", {n} seats"))
                .unwrap_or_default();
            run(
                "proposal_generation",
                payload,
                format!(
                    "draft a proposal for {}{n}, for you to review before it goes",
                    d.name
                ),
            )
        }
        Ask::Brief(tail) => {
            let wanted = name_words(tail);
            let said = wanted.join(" ");
            let d = match deal(store, &r, &wanted, &said).await? {
                Ok(d) => d,
                Err(q) => return Ok(Some(Understood::Ask(q))),
            };
            let Some(email) = d.contact_email.clone() else {
                return Ok(Some(Understood::Ask(format!(
                    "{} has no contact with an email in the CRM to brief you on. Who is it with?",
                    d.name
                ))));
            };
            let day = rfc3339(r.now).unwrap_or_default();
            run(
                "pre_meeting_90min",
                json!({
                    "meeting_id": format!("request:{}:{}", d.id, day.get(..10).unwrap_or_default()),
                    "title": format!("Briefing: {}", d.name),
                    "contact_email": email,
                    "attendees": [email],
                }),
                format!(
                    "research {} and brief you in Slack: the attendees, CRM history, open items and news",
                    d.company.as_deref().unwrap_or(&d.name)
                ),
            )
        }
        Ask::Stale => {
            let day = rfc3339(r.now).unwrap_or_default();
            run(
                "morning_brief",
                json!({ "date": day.get(..10).unwrap_or_default(), "requested": true }),
                "brief you now on your pipeline: the deals gone quiet, what moved and what waits on you".into(),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_read_what_is_asked_and_the_name_in_it() {
        assert_eq!(
            read("find times with Marta next week"),
            Some(Ask::Times("Marta next week"))
        );
        assert_eq!(name_words("Marta next week"), ["marta"]);
        assert_eq!(name_words("Marta Ruiz, Tuesday"), ["marta", "ruiz"]);
        assert_eq!(
            read("Please schedule a call with Jo Park tomorrow"),
            Some(Ask::Times("Jo Park tomorrow"))
        );
        assert_eq!(
            read("proposal for Northwind, 40 seats"),
            Some(Ask::Proposal("Northwind, 40 seats"))
        );
        assert_eq!(seats("Northwind, 40 seats"), Some(40));
        assert_eq!(read("brief me on Cobalt"), Some(Ask::Brief("Cobalt")));
        assert_eq!(read("what's stale?"), Some(Ask::Stale));
        assert_eq!(read("which deals went quiet"), Some(Ask::Stale));
        for nothing in [
            "hello",
            "find Marta",
            "proposal",
            "the weather is cold in here today",
        ] {
            assert_eq!(read(nothing), None, "{nothing}");
        }
    }

    #[test]
    fn a_name_matches_on_word_starts() {
        let w = |s: &str| name_words(s);
        assert!(names("Marta Ruiz", None, &w("marta")));
        assert!(names("Marta Ruiz", None, &w("Marta R")));
        assert!(!names("Marta Ruiz", None, &w("martin")));
        assert!(!names("Amarta Ruiz", None, &w("marta")));
        assert_eq!(either(&["A".into(), "B".into(), "C".into()]), "A, B or C");
    }
}
