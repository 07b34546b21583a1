//! The classifier: rules applied to the newest text of an email, in the
//! precedence of the labelling rules (`out_of_office` > `unsubscribe` >
//! `not_interested` > `proposal_request` > `meeting_request` >
//! `positive_interest` > `needs_response` > `fyi`). Pure: no host calls.

use crate::asks::{CONFIRMED, asks_for_figures, asks_to_meet, asks_to_talk, names_a_time};
use crate::auto_reply;
use crate::cues::{
    ACTIVE, ACTIVE_SUBJECT, CHOICE, DECLINE, DEFERRAL, ERASE, FIT_QUESTION, HANDOVER, HELD_DATA,
    INTEREST, KEEP_POSTED, LATER, MAIL_NOUNS, NEGATIVE_TONE, NO_REPLY, OUTREACH, PRODUCT_MAIL,
    REQUEST, RIVAL, STOP_MAIL, TECHNICAL, UNSUBSCRIBE,
};
use crate::newest::extract;
use crate::text::{first, first_affirmed, normalise, sentences};
use std::collections::BTreeMap;

/// The eight intents, in precedence order; written as [`Intent::as_str`].
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    serde::Serialize,
    baton_sdk::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Intent {
    OutOfOffice,
    Unsubscribe,
    NotInterested,
    ProposalRequest,
    MeetingRequest,
    PositiveInterest,
    NeedsResponse,
    Fyi,
}

impl Intent {
    pub const ALL: [Intent; 8] = [
        Intent::OutOfOffice,
        Intent::Unsubscribe,
        Intent::NotInterested,
        Intent::ProposalRequest,
        Intent::MeetingRequest,
        Intent::PositiveInterest,
        Intent::NeedsResponse,
        Intent::Fyi,
    ];

    /// The label as it appears in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Intent::OutOfOffice => "out_of_office",
            Intent::Unsubscribe => "unsubscribe",
            Intent::NotInterested => "not_interested",
            Intent::ProposalRequest => "proposal_request",
            Intent::MeetingRequest => "meeting_request",
            Intent::PositiveInterest => "positive_interest",
            Intent::NeedsResponse => "needs_response",
            Intent::Fyi => "fyi",
        }
    }

    /// Parse a JSON label.
    pub fn parse(s: &str) -> Option<Intent> {
        Intent::ALL.into_iter().find(|i| i.as_str() == s)
    }
}

/// What we know of the sender's relationship with us (rule 5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relationship {
    /// Tier 2 context shows an open deal or a past meeting.
    Active,
    /// Tier 2 context shows a known contact with neither.
    NotActive,
    /// No tier 2 context: judge from the text.
    Unknown,
}

/// One inbound email, as the rules see it.
pub struct Email<'a> {
    pub subject: &'a str,
    pub body: &'a str,
    /// Header names lower-cased.
    pub headers: &'a BTreeMap<String, String>,
}

/// The verdict.
#[derive(Debug, Clone, PartialEq)]
pub struct Classification {
    pub intent: Intent,
    pub confidence: f32,
    pub reasons: Vec<String>,
    pub auto_reply: bool,
    /// The sender's newest, unquoted words.
    pub newest: String,
}

/// Characters of the body scanned for quotes and signatures.
const MAX_BODY_CHARS: usize = 8_000;

/// Characters of the newest text the rules read.
const MAX_JUDGED_CHARS: usize = 2000;

/// Whether "pass" is used to hand something on ("pass it to", "pass
/// this along", "pass your note on").
fn hands_on(text: &str) -> bool {
    let passes_on = ["pass on", "pass along", "pass back", "pass over"]
        .iter()
        .any(|p| crate::text::has(text, p))
        // "We'll pass on this one" declines: nothing is passed to anyone.
        && !crate::text::find_all(text, "pass on").into_iter().all(|i| {
            let after = crate::text::words_after(text, i, "pass on".len(), 4);
            after
                .first()
                .is_some_and(|w| matches!(*w, "this" | "that" | "it"))
                && !after.contains(&"to")
        });
    passes_on
        || [
            "it", "this", "that", "them", "these", "those", "your", "the",
        ]
        .iter()
        .any(|object| {
            crate::text::find_all(text, &format!("pass {object}"))
                .into_iter()
                .any(|i| {
                    let rest = &text[i..];
                    let clause = rest.split(['.', '!', '?', ';']).next().unwrap_or(rest);
                    [" to ", " on", " along", " over"]
                        .iter()
                        .any(|w| clause.contains(w))
                })
        })
}

/// Whether every "close out the" closes work still open ("close out the
/// open questions"), not the opportunity.
fn closes_work(text: &str) -> bool {
    crate::text::find_all(text, "close out the")
        .into_iter()
        .all(|i| {
            crate::text::words_after(text, i, "close out the".len(), 1)
                .first()
                .is_some_and(|w| {
                    matches!(
                        *w,
                        "open"
                            | "remaining"
                            | "outstanding"
                            | "last"
                            | "final"
                            | "questions"
                            | "items"
                            | "issues"
                            | "points"
                            | "actions"
                            | "details"
                            | "paperwork"
                            | "snagging"
                    )
                })
        })
}

/// A need denied in the third person: "not something the firm requires
/// at present", "isn't something a two-chair practice needs".
fn not_needed(text: &str) -> Option<&'static str> {
    ["not something", "isn't something"].into_iter().find(|p| {
        crate::text::find_all(text, p).into_iter().any(|i| {
            // "…not something I need to raise with the board" is no need
            // denied.
            let after = crate::text::words_after(text, i, p.len(), 7);
            after.iter().enumerate().take(6).any(|(k, w)| {
                let w = w.trim_matches(|c: char| !c.is_alphanumeric());
                (w.starts_with("need") || w.starts_with("require") || w == "want" || w == "wants")
                    && after.get(k + 1) != Some(&"to")
            })
        })
    })
}

/// A sentence of a footer, not the sender's ask: an instruction ("to stop
/// receiving these by email, contact…") or a confidentiality notice ("if
/// you are not the intended recipient, … delete it").
fn footer(sentence: &str) -> bool {
    [
        "to stop ",
        "to unsubscribe",
        "to opt out",
        "to be removed",
        "to update your",
        "to manage your",
    ]
    .iter()
    .any(|p| sentence.starts_with(p))
        || [
            "intended recipient",
            "is confidential",
            "legally privileged",
            "may be privileged",
            "received this email in error",
            "received this message in error",
            "are confidential",
            "intended solely for",
            "intended only for",
            "views expressed",
        ]
        .iter()
        .any(|p| sentence.contains(p))
        // "If you have received it in error please notify the sender and
        // delete it."
        || (sentence.contains("in error")
            && ["notify", "the sender"].iter().any(|p| sentence.contains(p)))
}

/// Whether every use of `phrase` in a line typed without stops is a
/// footer's instruction: "…2,300.00 eur to stop receiving these
/// notifications contact accounts payable", not "i want to stop receiving
/// these".
fn instruction_only(text: &str, phrase: &str) -> bool {
    let found = crate::text::find_all(text, phrase);
    !found.is_empty()
        && found.into_iter().all(|i| {
            let before: Vec<&str> = text[..i].split_whitespace().rev().take(2).collect();
            let after: Vec<&str> = text[i + phrase.len()..]
                .split_whitespace()
                .take(6)
                .collect();
            let wants = before.get(1).is_some_and(|w| {
                matches!(
                    *w,
                    "want" | "like" | "wish" | "need" | "how" | "asking" | "please" | "trying"
                )
            });
            before.first() == Some(&"to")
                && !wants
                && after.iter().any(|w| {
                    matches!(
                        *w,
                        "contact"
                            | "click"
                            | "visit"
                            | "call"
                            | "email"
                            | "reply"
                            | "write"
                            | "update"
                            | "log"
                    )
                })
        })
}

/// An ask to stop contact in words no phrase list holds: a verb that stops
/// mail with the mail it stops later in the clause ("kindly stop these
/// mails", "could you drop me from the monthly newsletter"), or a verb
/// that erases with what is held on the sender ("delete it, along with
/// anything else you hold on me"); not when negated, nor for mail the
/// product sends ("stop the duplicate reminder emails").
fn stops_mail(text: &str) -> Option<&'static str> {
    [(STOP_MAIL, MAIL_NOUNS, 6), (ERASE, HELD_DATA, 10)]
        .into_iter()
        .find_map(|(verbs, objects, reach)| {
            verbs.iter().copied().find(|v| {
                crate::text::find_all(text, v).into_iter().any(|i| {
                    let after = crate::text::words_after(text, i, v.len(), reach).join(" ");
                    !crate::text::negated_at(text, i)
                        && first(&after, objects).is_some()
                        && first(&after, PRODUCT_MAIL).is_none()
                })
            })
        })
}

fn head(s: &str, max: usize) -> &str {
    s.char_indices().nth(max).map_or(s, |(i, _)| &s[..i])
}

/// Classify one email.
pub fn classify(email: &Email, relationship: Relationship) -> Classification {
    // The newest text opens the body; a huge body is cut before scanning.
    let newest = extract(head(email.body, MAX_BODY_CHARS));
    // The opening of a very long message is enough to judge it, and keeps
    // the fuel a call needs bounded.
    let judged = head(&newest.text, MAX_JUDGED_CHARS);
    let text = normalise(judged);
    let sents = sentences(judged);
    let subject = normalise(email.subject);
    let mut reasons = Vec::new();
    let verdict = |intent, confidence: f32, reasons: Vec<String>, auto: bool| Classification {
        intent,
        confidence,
        reasons,
        auto_reply: auto,
        newest: newest.text.clone(),
    };

    // Rule 8: headers and subject prefixes mark an auto-reply outright.
    let header = auto_reply::from_headers(email.headers);
    let mut automated = header.is_some();
    if let Some(a) = &header {
        reasons.push(a.reason.clone());
        // An automated notification (e-signature, remittance) that is no
        // absence notice is not out of office.
        let notification =
            a.reason.contains("auto-generated") || a.reason.contains("auto-notified");
        if !notification || auto_reply::from_body(judged, &newest.unquoted, false).is_some() {
            return verdict(Intent::OutOfOffice, 0.97, reasons, true);
        }
    }
    if let Some(a) = auto_reply::from_subject(email.subject) {
        reasons.push(a.reason);
        return verdict(Intent::OutOfOffice, 0.95, reasons, true);
    }

    let bare = text.trim_matches(|c: char| !c.is_alphanumeric());
    // What the sender says, without a footer's instructions or notices.
    let spoken = sents
        .iter()
        .filter(|s| !footer(s))
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(" ");
    // "Stop. Emailing. Me." reads the same without its stops.
    let unpunctuated: String = spoken.chars().filter(|c| !matches!(c, '.' | '!')).collect();
    let unsubscribe = first(&spoken, UNSUBSCRIBE)
        .or_else(|| first(&unpunctuated, UNSUBSCRIBE))
        // "You don't need to take me off your list" asks for nothing.
        .filter(|p| {
            !["don't need to ", "do not need to ", "no need to "]
                .iter()
                .any(|n| spoken.contains(&format!("{n}{p}")))
        })
        .filter(|p| !instruction_only(&unpunctuated, p))
        .or_else(|| stops_mail(&spoken))
        .or_else(|| {
            [
                "remove",
                "please remove",
                "remove please",
                "remove me",
                "stop",
                "stop please",
                "unsub",
                "opt out",
            ]
            .contains(&bare)
            .then_some("remove")
        });
    // "I'll pass it to finance" hands something on; it declines nothing.
    // A rival named with no choice of it declines nothing.
    let chosen = first(&text, CHOICE).is_some();
    let declines: Vec<&str> = DECLINE
        .iter()
        .copied()
        .filter(|p| chosen || !RIVAL.contains(p))
        .collect();
    let decline = first_affirmed(&text, &declines)
        .filter(|p| !(*p == "close out the" && closes_work(&text)))
        .or_else(|| first_affirmed(&text, DEFERRAL))
        // "Nothing needed from you; I'll shout if that changes" is an
        // update: the condition looks to news, not to a later sale.
        .filter(|p| !(p.starts_with("if ") && first(&text, NO_REPLY).is_some()))
        .or_else(|| not_needed(&text))
        .filter(|p| !(p.ends_with("pass") && hands_on(&text)));
    let subject_prices = first(
        &subject,
        &["quote", "quotation", "proposal", "pricing", "order form"],
    )
    .is_some();
    let figures = sents
        .iter()
        .find_map(|s| asks_for_figures(s, subject_prices));
    let meeting_asks: Vec<&str> = sents.iter().filter_map(|s| asks_to_meet(s)).collect();
    let confirmed = first(&text, CONFIRMED).is_some();
    let meeting = if confirmed && meeting_asks.iter().all(|r| *r == "proposes times to meet") {
        None
    } else {
        meeting_asks.first().copied().or_else(|| {
            (sents.iter().any(|s| asks_to_talk(s)) && names_a_time(&text))
                .then_some("asks to talk and names a time")
        })
    };
    let interest = first_affirmed(&text, INTEREST);
    // Mobile mail may carry no `?`: a sentence that opens as a question asks.
    let question = text.contains('?') || sents.iter().any(|s| crate::questions::asks(s));
    let request = first(&text, REQUEST).or(question.then_some("asks a question"));

    // Rule 8 from the body: an absence notice with nothing else in it.
    let other = unsubscribe.is_some() || figures.is_some() || meeting.is_some() || question;
    if let Some(a) = auto_reply::from_body(judged, &newest.unquoted, other) {
        automated |= a.automated;
        reasons.push(a.reason);
        let confidence = if a.automated { 0.9 } else { 0.8 };
        return verdict(Intent::OutOfOffice, confidence, reasons, automated);
    }
    if let Some(p) = unsubscribe {
        reasons.push(format!("asks to stop contact (\"{p}\")"));
        return verdict(Intent::Unsubscribe, 0.92, reasons, automated);
    }
    if let Some(d) = decline {
        // Rule 6: a deferral with explicit interest is interest.
        // …or a decline that looks to a later time with more than a
        // "maybe" of interest ("…but I'd like to hear more once things
        // settle down").
        let later = first(&text, LATER).is_some()
            && interest.is_some_and(|i| !matches!(i, "maybe" | "possibly"));
        let deferral = DEFERRAL.contains(&d) || later;
        // "Try us again in the spring maybe" hedges the deferral; it is
        // no interest.
        match interest.filter(|i| !matches!(*i, "maybe" | "possibly")) {
            Some(i) if deferral => {
                reasons.push(format!("defers (\"{d}\") but shows interest (\"{i}\")"));
                return verdict(Intent::PositiveInterest, 0.7, reasons, automated);
            }
            _ => {
                reasons.push(format!("declines (\"{d}\")"));
                let confidence = if deferral { 0.75 } else { 0.85 };
                return verdict(Intent::NotInterested, confidence, reasons, automated);
            }
        }
    }
    if let Some(r) = figures {
        reasons.push(r.to_owned());
        return verdict(Intent::ProposalRequest, 0.88, reasons, automated);
    }
    if let Some(r) = meeting {
        reasons.push(r.to_owned());
        return verdict(Intent::MeetingRequest, 0.85, reasons, automated);
    }
    if confirmed {
        reasons.push("confirms an agreed meeting".to_owned());
        return verdict(Intent::Fyi, 0.8, reasons, automated);
    }
    if !question
        && request.is_none()
        && let Some(h) = first(&text, HANDOVER)
    {
        reasons.push(format!("a change of contact (\"{h}\")"));
        return verdict(Intent::Fyi, 0.8, reasons, automated);
    }
    if !question && let Some(n) = first(&text, NO_REPLY) {
        reasons.push(format!("needs no reply (\"{n}\")"));
        return verdict(Intent::Fyi, 0.85, reasons, automated);
    }

    // Rule 5: interest from someone we reached out to; questions from an
    // active prospect or customer need a response.
    let active_cue = first(&text, ACTIVE).or_else(|| first(&subject, ACTIVE_SUBJECT));
    let active = match relationship {
        Relationship::Active => true,
        Relationship::NotActive => false,
        Relationship::Unknown => active_cue.is_some(),
    };
    let reply = subject.starts_with("re:") || newest.quoted || first(&text, OUTREACH).is_some();
    let fit = first(&text, FIT_QUESTION);
    let relation_reason = || match (relationship, active_cue) {
        (Relationship::Active, _) => "contact has an open deal or past meeting".to_owned(),
        (_, Some(c)) => format!("existing relationship (\"{c}\")"),
        _ => "no existing relationship".to_owned(),
    };
    if let Some(i) = interest {
        if !(active && request.is_some()) {
            reasons.push(format!("shows interest (\"{i}\")"));
            return verdict(Intent::PositiveInterest, 0.78, reasons, automated);
        }
    } else if let (Some(f), Some(_), true, false) = (fit, request, reply, active) {
        reasons.push(format!("asks about fit in a reply to outreach (\"{f}\")"));
        return verdict(Intent::PositiveInterest, 0.65, reasons, automated);
    } else if reply && question && !active && first(&text, TECHNICAL).is_none() {
        reasons.push("general question in a reply to outreach".to_owned());
        return verdict(Intent::PositiveInterest, 0.6, reasons, automated);
    }
    let no_reply = first(&text, NO_REPLY).or_else(|| first(&text, KEEP_POSTED));
    if let Some(r) = request
        && (question || no_reply.is_none())
    {
        reasons.push(match r {
            "asks a question" => "asks a question".to_owned(),
            r => format!("makes a request (\"{r}\")"),
        });
        reasons.push(relation_reason());
        return verdict(Intent::NeedsResponse, 0.72, reasons, automated);
    }
    // A reply to outreach that asks nothing, shows no interest and turns us
    // down in other words ("Unfortunately we don't run a fleet") declines.
    if reply
        && !active
        && no_reply.is_none()
        && let Some(t) = first_affirmed(&text, NEGATIVE_TONE)
    {
        reasons.push(format!("turns down our outreach (\"{t}\")"));
        return verdict(Intent::NotInterested, 0.6, reasons, automated);
    }
    match no_reply {
        Some(n) => reasons.push(format!("needs no reply (\"{n}\")")),
        None => reasons.push("informational; no question or request".to_owned()),
    }
    let confidence = if reasons.len() > 1 || automated {
        0.8
    } else {
        0.65
    };
    verdict(Intent::Fyi, confidence, reasons, automated)
}
