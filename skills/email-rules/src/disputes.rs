//! Whether an email disputes a bill: one sentence of its newest text that
//! names the bill (an invoice, a charge, the amount billed) and contests
//! it (wrong, not what was agreed, will not pay, a dispute), not negated.
//! Precision over recall: a question about a bill ("when is the invoice
//! due?"), a payment on its way or a request for a copy is not a dispute,
//! and the host acts on it only for a deal with an invoice sent.

use crate::text::{find_all, first_affirmed, has, sentences};

/// What a bill is called.
const BILLS: &[&str] = &[
    "invoice*",
    "bill",
    "billed",
    "billing",
    "charge",
    "charges",
    "charged",
    "amount due",
    "amount billed",
    "deposit",
    "statement",
];

/// Words that contest a bill in the same sentence, unless negated.
const CONTESTS: &[&str] = &[
    "disput*",
    "contest*",
    "incorrect",
    "wrong",
    "inaccurate",
    "in error",
    "an error",
    "a mistake",
    "mistaken",
    "overcharg*",
    "over charg*",
    "double charg*",
    "charged twice",
    "billed twice",
    "invoiced twice",
    "not what we agreed",
    "isn't what we agreed",
    "is not what we agreed",
    "doesn't match",
    "does not match",
    "don't match",
    "do not match",
    "don't agree with",
    "do not agree with",
    "disagree with",
    "won't be paying",
    "will not be paying",
    "won't pay",
    "will not pay",
    "refuse to pay",
    "cannot accept",
    "can't accept",
    "reject the invoice",
    "rejecting the invoice",
    "should have been",
    "should only be",
    "was never agreed",
    "never agreed",
];

/// Why the newest text disputes a bill (the contesting words and the
/// bill), or `None`.
pub fn disputes_a_bill(newest: &str) -> Option<String> {
    sentences(newest).into_iter().find_map(|s| {
        let bill = BILLS.iter().copied().find(|b| has(&s, b))?;
        let contest = first_affirmed(&s, CONTESTS)?;
        if find_all(&s, contest).into_iter().all(|i| softened(&s, i)) {
            return None;
        }
        Some(format!(
            "“{}” about the {}",
            contest.trim_end_matches('*'),
            bill.trim_end_matches('*')
        ))
    })
}

/// Whether the cue at byte `i` says all is well or only supposes:
/// "nothing wrong", "if anything is wrong".
fn softened(s: &str, i: usize) -> bool {
    let before: Vec<&str> = s[..i].split_whitespace().rev().take(3).collect();
    before
        .iter()
        .any(|w| ["nothing", "anything", "if", "whether"].contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_contested_bill_is_a_dispute() {
        for text in [
            "Hi Jordan, the invoice is wrong: we agreed on 30 seats, not 40.",
            "We dispute invoice ACME-0001.",
            "I think we've been overcharged on the deposit.",
            "This invoice doesn't match the contract we signed.",
            "The amount billed is not what we agreed.",
            "we were charged twice for the same deposit",
            "We won't pay this invoice until the seat count is fixed.",
            "Hi, the deposit should have been 20%, not 30%. Please reissue.",
            "Our finance team is disputing the charges on INV-7.",
        ] {
            assert!(disputes_a_bill(text).is_some(), "{text}");
        }
    }

    #[test]
    fn a_bill_paid_asked_about_or_praised_is_not() {
        for text in [
            "Thanks, invoice received. We'll pay it next week.",
            "Could you resend the invoice to accounts@northwind.example?",
            "When is the deposit due?",
            "Payment sent today; let me know if anything is wrong on your side.",
            "Nothing wrong with the invoice, it's approved for payment.",
            "There is no dispute about the invoice; it just needs a PO number.",
            "The invoice looks correct to us.",
            "We got the wrong date for the kickoff, can we move it?",
            "Sorry, I sent the wrong attachment yesterday.",
        ] {
            assert_eq!(disputes_a_bill(text), None, "{text}");
        }
    }
}

#[cfg(test)]
mod labelled_sets {
    use super::disputes_a_bill;
    use serde_json::Value;

    /// The emails of the labelled sets (every author's) that contest a
    /// bill, read one by one: an invoice sent twice, a card charged twice,
    /// an invoice with the wrong purchase order that will not be paid until
    /// it is reissued.
    const CONTESTING: [&str; 6] = [
        "em-eighth-080",
        "em-eleventh-117",
        "em-fourth-028",
        "em-tenth-010",
        "em-tenth-040",
        "em-twelfth-076",
    ];

    /// Precision where it counts: of the 1,680 emails of the labelled sets,
    /// exactly those that contest a bill read as a dispute.
    #[test]
    fn only_the_labelled_emails_that_contest_a_bill_read_as_disputes() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/data");
        let mut read = 0;
        let mut hits: Vec<String> = Vec::new();
        for dir in ["shared/eval", "own", ""] {
            let Ok(entries) = std::fs::read_dir(format!("{root}/{dir}")) else {
                continue;
            };
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                if !(name.starts_with("emails-") && name.ends_with(".jsonl")) {
                    continue;
                }
                let text = std::fs::read_to_string(entry.path()).expect("a labelled set");
                for line in text.lines().filter(|l| !l.trim().is_empty()) {
                    let case: Value = serde_json::from_str(line).expect("a JSON line");
                    read += 1;
                    let body = case["body"].as_str().unwrap_or_default();
                    if disputes_a_bill(&crate::newest::extract(body).text).is_some() {
                        hits.push(case["id"].as_str().unwrap_or_default().to_owned());
                    }
                }
            }
        }
        assert!(read > 1000, "the labelled sets are read: {read}");
        hits.sort();
        assert_eq!(hits, CONTESTING, "of {read}");
    }
}
