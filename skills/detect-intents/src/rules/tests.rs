//! Fresh utterances written for these tests (not taken from any
//! evaluation file): positives per label and hard negatives per rule.
//!
//! This module holds the shared helpers and the cases that cut across
//! labels; `tests_commitments` and `tests_signals` hold the per-label ones.

use super::lexicon::LEXICONS;
use super::{Label, Speaker, detect};

pub(super) const SP: Label = Label::SendProposal;
pub(super) const SM: Label = Label::ScheduleMeeting;
pub(super) const SC: Label = Label::SendContent;
pub(super) const MS: Label = Label::MultiStakeholder;
pub(super) const CO: Label = Label::Competitive;
pub(super) const BP: Label = Label::BuyingPositive;
pub(super) const BN: Label = Label::BuyingNegative;
pub(super) const TL: Label = Label::Timeline;
pub(super) const PF: Label = Label::ProspectFollowup;

pub(super) const REP: Speaker = Speaker::Rep;
pub(super) const PRO: Speaker = Speaker::Prospect;

/// Asserts the exact label set of every case, reporting all mismatches.
pub(super) fn check(cases: &[(Speaker, &str, &[Label])]) {
    let mut failures = Vec::new();
    for (speaker, text, want) in cases {
        let got: Vec<Label> = detect(*speaker, text).iter().map(|d| d.label).collect();
        if got != *want {
            failures.push(format!("{speaker:?} {text:?}: want {want:?}, got {got:?}"));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn labels_combine() {
    check(&[
        (
            REP,
            "I'll have the proposal with you by Friday, and let's pencil in Monday to walk through it.",
            &[SP, SM],
        ),
        (
            PRO,
            "Our MD will want to see a business case, so could you send over some ROI figures?",
            &[SC, MS],
        ),
        (
            PRO,
            "We're comparing you against HubSpot and need to pick one by the end of the quarter.",
            &[CO, TL],
        ),
        (
            PRO,
            "Budget's signed off and we'd like to go live in early September.",
            &[BP, TL],
        ),
        (
            PRO,
            "I'll take it to the steering committee on the 4th and come back to you that afternoon.",
            &[MS, PF],
        ),
        (
            PRO,
            "Could we set up a demo for the ops team sometime next week?",
            &[SM, MS],
        ),
        (
            PRO,
            "Our Zendesk contract is up for renewal in May.",
            &[CO, TL],
        ),
        (PRO, "I'll have a yes or no for you by the 30th.", &[TL, PF]),
        (
            PRO,
            "Our freeze on discretionary spend runs until April.",
            &[BN, TL],
        ),
    ]);
}

#[test]
fn past_actions_are_not_commitments() {
    check(&[
        (REP, "I emailed the quote to Dana yesterday afternoon.", &[]),
        (
            REP,
            "We sent over the revised pricing on the fourth, I think.",
            &[],
        ),
        (
            REP,
            "Thanks for the time on the call last week, it was really useful.",
            &[],
        ),
        (PRO, "I sent you the usage figures on Tuesday.", &[]),
        (PRO, "I got back to Sam with the numbers yesterday.", &[]),
    ]);
}

#[test]
fn negations_refusals_and_cancellations() {
    check(&[
        (
            REP,
            "I won't be able to send pricing until our product team confirms the SKUs.",
            &[],
        ),
        (
            REP,
            "I've had to cancel tomorrow's demo because our engineer is off sick.",
            &[],
        ),
        (PRO, "I can't do another call this week, I'm slammed.", &[]),
        (
            PRO,
            "I won't be able to get back to you until after the holidays.",
            &[],
        ),
        (
            REP,
            "Let's not bother with another call; email's fine.",
            &[],
        ),
        (
            PRO,
            "Don't worry about sending the brochure, I've seen it online.",
            &[],
        ),
    ]);
}

#[test]
fn retractions_cancel_the_clause() {
    check(&[
        (
            REP,
            "I was about to send the revised pricing, um, but actually let's wait for the new headcount.",
            &[],
        ),
        (
            PRO,
            "Could you send the case study — actually, never mind, I found it on your site.",
            &[],
        ),
        (
            PRO,
            "Could you send me the — oh wait, no, Sam already forwarded it.",
            &[],
        ),
    ]);
}

#[test]
fn hypotheticals_and_question_offers() {
    check(&[
        (
            REP,
            "If it ever becomes useful, we could always draft a proposal down the line.",
            &[],
        ),
        (
            REP,
            "If you needed a quote for budgeting purposes, I could always rustle one up.",
            &[],
        ),
        (REP, "Shall I put together a rough estimate for you?", &[]),
        (REP, "Do you want me to send a quote over?", &[]),
        (
            PRO,
            "Do you want me to send you our org chart tomorrow?",
            &[],
        ),
        (
            PRO,
            "Would you prefer I send the data on Monday or Tuesday?",
            &[],
        ),
        (
            REP,
            "I'll check with my manager whether we can do a better price.",
            &[],
        ),
    ]);
}

#[test]
fn wrong_speaker_and_rep_recaps() {
    check(&[
        (
            REP,
            "So just to recap, you need sign-off from your CFO and legal, right?",
            &[],
        ),
        (
            REP,
            "I appreciate budgets are under pressure this year.",
            &[],
        ),
        (
            REP,
            "So you're comparing us with Dialpad, is that fair?",
            &[],
        ),
        (
            REP,
            "Most clients are up and running within three weeks.",
            &[],
        ),
        (
            REP,
            "Could you send me your current contract so I can check the end date?",
            &[],
        ),
        (
            PRO,
            "I'll put a quote together for our board and send it to you by Friday.",
            &[MS, PF],
        ),
    ]);
}

#[test]
fn detections_carry_a_verbatim_phrase_and_confidence() {
    let text = "Um, yeah — I'll, er, I'll send the quote over tonight.";
    let found = detect(REP, text);
    assert_eq!(found.len(), 1, "{found:?}");
    let d = &found[0];
    assert_eq!(d.label, SP);
    assert!(text.contains(&d.phrase), "{:?}", d.phrase);
    assert!(d.phrase.contains("send the quote"), "{:?}", d.phrase);
    assert!(d.confidence >= 0.8 && d.confidence <= 1.0);
}

#[test]
fn labels_round_trip_through_their_names() {
    for label in Label::ALL {
        assert_eq!(Label::parse(label.as_str()), Some(label));
    }
    assert_eq!(Label::parse("signal:unknown"), None);
    assert_eq!(Label::parse(" signal:timeline "), Some(TL));
}

#[test]
fn odd_input_never_panics() {
    let long = "I'll send the quote, um, tomorrow; but no — ".repeat(2_000);
    let inputs = [
        "",
        " ",
        "?",
        "—",
        "...",
        "but",
        "'s",
        "I'll",
        "ÉTÉ à Zürich — naïve café… 日本語のテキスト 😀?",
        "\u{301}\u{200b}İß",
        "12th 1st 99th fy24 q3 2.5 10,000",
        "the the the the the the",
        long.as_str(),
    ];
    for text in inputs {
        for speaker in [REP, PRO] {
            for d in detect(speaker, text) {
                assert!(text.contains(&d.phrase));
                assert!((0.0..=1.0).contains(&d.confidence));
            }
        }
    }
}

#[test]
fn every_pattern_starts_with_a_plain_word() {
    for (lx, list) in LEXICONS {
        for pat in list.iter() {
            let first = pat.split_whitespace().next().unwrap_or("");
            let plain = !first.is_empty()
                && !matches!(first, "*" | "~" | "~~")
                && !first.split('|').any(|a| a == "_");
            assert!(plain, "{lx:?}: {pat:?}");
        }
    }
    for (i, (lx, _)) in LEXICONS.iter().enumerate() {
        assert_eq!(*lx as usize, i, "LEXICONS out of order at {lx:?}");
    }
}
