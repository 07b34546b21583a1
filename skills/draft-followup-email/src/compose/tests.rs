use super::*;
use baton_sdk::meeting::Due;
use jiff::civil::date;

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

fn item(
    owner: &str,
    kind: &str,
    action: &str,
    quote: &str,
    due: Option<(&str, &str)>,
) -> ActionItem {
    ActionItem {
        owner: Speaker::parse(owner).expect("rep or prospect"),
        action: action.into(),
        kind: kind.into(),
        quote: quote.into(),
        utterance: 0,
        start: None,
        deadline: due.map(|(text, d)| Due {
            text: text.into(),
            date: Some(d.into()),
        }),
        confidence: 0.9,
    }
}

/// A meeting on Friday 20 November 2026 with the usual shape: a budget
/// signal, the rep's promises (one said twice in other words), a request,
/// and something the prospect will do.
fn call() -> (Vec<Intent>, Vec<ActionItem>) {
    let intents = vec![
        intent(
            "signal:buying_positive",
            "prospect",
            "Honestly, we have budget set aside for this in Q1, and the board signed off on it last month after the audit",
        ),
        intent(
            "commitment:send_proposal",
            "rep",
            "I'll send you a proposal with pricing for forty seats by Friday",
        ),
        intent(
            "commitment:schedule_meeting",
            "rep",
            "Absolutely, I'll send over a few times",
        ),
        intent(
            "request:send_content",
            "prospect",
            "Could you send me your security documentation?",
        ),
    ];
    let items = vec![
        item(
            "rep",
            "commitment",
            "Send Marta a proposal with pricing for forty seats by Friday",
            "I'll send you a proposal with pricing for forty seats by Friday",
            Some(("by friday", "2026-11-27")),
        ),
        item(
            "rep",
            "request",
            "Send Marta our security documentation",
            "Could you send me your security documentation?",
            None,
        ),
        item(
            "rep",
            "commitment",
            "Send Marta our security pack today",
            "I'll send you our security pack today",
            Some(("today", "2026-11-20")),
        ),
        item(
            "prospect",
            "commitment",
            "Send the renewal numbers for the top forty accounts across all regions by Wednesday",
            "I'll send the renewal numbers for the top forty accounts across all regions by Wednesday",
            Some(("by wednesday", "2026-11-25")),
        ),
    ];
    (intents, items)
}

fn draft(tone: Tone, signature: Option<&str>) -> Draft {
    let (intents, items) = call();
    compose(&Facts {
        first_name: Some("Marta"),
        meeting_title: Some("Northwind discovery call"),
        rep_first_name: Some("Jordan"),
        signature,
        tone,
        intents: &intents,
        items: &items,
        meeting_date: Some(date(2026, 11, 20)),
        ..Facts::default()
    })
}

#[test]
fn the_prospect_is_spoken_to_not_quoted() {
    let (intents, items) = call();
    let d = draft(Tone::Neutral, None);
    assert!(
        d.body
            .contains("- You mentioned you have budget set aside for this in Q1.\n"),
        "{}",
        d.body
    );
    assert!(!d.body.contains('\u{201c}'), "no quote marks: {}", d.body);
    let said: Vec<&str> = intents
        .iter()
        .filter(|i| i.speaker == Speaker::Prospect)
        .map(|i| i.phrase.as_str())
        .chain(
            items
                .iter()
                .filter(|i| i.said_by() == Speaker::Prospect)
                .map(|i| i.quote.as_str()),
        )
        .collect();
    for line in d.body.lines() {
        for s in &said {
            assert!(
                voice::longest_run(line, s) <= MAX_COPIED,
                "{line:?} copies {s:?}"
            );
        }
    }
}

#[test]
fn one_line_per_thing_promised_with_dates_in_the_readers_terms() {
    let d = draft(Tone::Neutral, None);
    let steps: Vec<&str> = d
        .body
        .lines()
        .skip_while(|l| *l != "Next steps:")
        .skip(1)
        .take_while(|l| l.starts_with("- "))
        .collect();
    assert_eq!(
        steps,
        [
            "- I'll send you a proposal with pricing for forty seats by Friday, 27 November.",
            "- I'll send you our security pack by Friday, 20 November.",
            "- I'll send you a few times for our next conversation.",
            "- You'll send the renewal numbers by Wednesday, 25 November.",
        ],
        "{}",
        d.body
    );
}

#[test]
fn the_signature_ends_the_draft_and_the_tone_shapes_it() {
    let sig = "Jordan Avery\nAccount Executive, Baton Demo Co";
    let d = draft(Tone::Neutral, Some(sig));
    assert!(d.body.ends_with(&format!("Best,\n{sig}\n")), "{}", d.body);
    let warm = draft(Tone::Warm, Some(sig));
    assert!(warm.body.contains("Thank you so much"), "{}", warm.body);
    assert!(
        warm.body
            .ends_with(&format!("Looking forward to it,\n{sig}\n"))
    );
    let brief = draft(Tone::Brief, None);
    assert!(
        !brief.body.contains("You mentioned"),
        "no recap: {}",
        brief.body
    );
    assert!(brief.body.contains("Next steps:"), "{}", brief.body);
    assert!(brief.body.ends_with("Thanks,\nJordan\n"), "{}", brief.body);
    assert!(brief.body.len() < d.body.len());
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
    assert!(
        alone
            .body
            .contains("- I'll send you a few times to meet again."),
        "{}",
        alone.body
    );
    let both = [
        ask,
        intent("commitment:schedule_meeting", "rep", "I'll send times"),
    ];
    let d = compose(&Facts {
        intents: &both,
        ..Facts::default()
    });
    assert_eq!(d.body.matches("few times").count(), 1, "{}", d.body);
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
            .contains("- I'll send you the material you asked for."),
        "{}",
        d.body
    );
}

#[test]
fn sections_are_capped_and_deduplicated() {
    let many: Vec<_> = (0..10)
        .map(|n| {
            intent(
                "signal:timeline",
                "prospect",
                &format!("We go live in region {n} by spring"),
            )
        })
        .chain([intent(
            "signal:timeline",
            "prospect",
            "We go live in region 0 by spring",
        )])
        .collect();
    let d = compose(&Facts {
        intents: &many,
        ..Facts::default()
    });
    assert_eq!(d.body.matches("\n- ").count(), MAX_LINES, "{}", d.body);
}

#[test]
fn a_promise_said_in_one_breath_is_one_line_with_its_date() {
    let mut put = item(
        "rep",
        "commitment",
        "Put together a proposal with pricing for forty seats",
        "I'll put together a proposal with pricing for forty seats",
        None,
    );
    let mut send = item(
        "rep",
        "commitment",
        "Send it to Marta by Thursday",
        "send it to you by Thursday",
        Some(("by thursday", "2026-11-26")),
    );
    (put.utterance, send.utterance) = (11, 11);
    let items = [put, send];
    let d = compose(&Facts {
        first_name: Some("Marta"),
        items: &items,
        meeting_date: Some(date(2026, 11, 20)),
        ..Facts::default()
    });
    assert!(
        d.body.contains(
            "- I'll put together a proposal with pricing for forty seats by Thursday, 26 November.\n"
        ),
        "{}",
        d.body
    );
    assert_eq!(d.body.matches("\n- ").count(), 1, "{}", d.body);
}

/// Issue 40: the prospect describing their staff's week is not replayed
/// to them as their own ("You mentioned Monday is pipeline review with
/// their team lead"), nor is a detection the skill is unsure of.
#[test]
fn only_their_own_situation_said_with_confidence_is_recapped() {
    let mut unsure = intent(
        "signal:buying_positive",
        "prospect",
        "We might have some budget for this",
    );
    unsure.confidence = 0.65;
    let said = [
        intent(
            "signal:multi_stakeholder",
            "prospect",
            "Monday is pipeline review with their team lead.",
        ),
        unsure,
        intent(
            "signal:multi_stakeholder",
            "prospect",
            "Our IT security team will need to review whatever we pick before we sign.",
        ),
    ];
    let d = compose(&Facts {
        intents: &said,
        ..Facts::default()
    });
    assert!(!d.body.contains("pipeline review"), "{}", d.body);
    assert!(!d.body.contains("some budget"), "{}", d.body);
    assert!(
        d.body
            .contains("- You mentioned your IT security team will need to review"),
        "{}",
        d.body
    );
}
