//! The executive summary: the conversation points it cites (the prospect's
//! pains, their deadline, their budget, in their words) and its prose,
//! written from the template's sentences, or by the model when `llm` is
//! granted and configured (the quotes are then added as said, so the model
//! never rewrites them).

use baton_sdk::host::{self, CompletionRequest};
use baton_sdk::proposal::{Populated, PricingStatus, Quote, says_any};

/// Pains, worst first as people usually say them.
const PAIN: &[&str] = &[
    "problem",
    "hurt",
    "hurts",
    "fall through",
    "falls through",
    "lose",
    "lost",
    "slip",
    "slips",
    "miss",
    "missed",
    "frantic",
    "don't have",
    "manual",
    "chase",
];
/// A date or a goal they are working to.
const DEADLINE: &[&str] = &["live by", "go live", "go-live", "deadline", "by the end of"];
const GOAL: &[&str] = &["target", "goal"];
const BUDGET: &[&str] = &["budget", "signs anything", "sign off"];
/// Pains cited at most.
const MAX_PAINS: usize = 2;
/// Longest model answer accepted, in characters.
const MAX_PROSE: usize = 1_500;

/// The quotes the summary cites, in the order of the conversation.
pub fn cite(said: &[Quote]) -> Vec<Quote> {
    let first = |cues: &[&str]| said.iter().find(|q| says_any(&q.text, cues)).cloned();
    let mut out: Vec<Quote> = said
        .iter()
        .filter(|q| says_any(&q.text, PAIN))
        .take(MAX_PAINS)
        .cloned()
        .collect();
    out.extend(first(DEADLINE).or_else(|| first(GOAL)));
    out.extend(first(BUDGET));
    out.dedup_by(|a, b| a.text == b.text);
    out.sort_by_key(|q| q.utterance);
    out
}

/// What the proposal offers, in one clause.
fn offer(p: &Populated) -> String {
    match (p.pricing_status, &p.arithmetic, &p.tier) {
        (PricingStatus::Priced, Some(sum), Some(tier)) => format!("the {tier} tier: {sum}"),
        _ => match p.seats {
            Some(n) => format!("{n} seats, with pricing to be confirmed"),
            None => "the seats you need, with pricing to be confirmed".to_owned(),
        },
    }
}

/// The summary's prose from the template's sentences.
pub fn template_prose(p: &Populated, by_email: bool, cited: &[Quote]) -> String {
    let company = p.company.as_deref().unwrap_or("Your team");
    let heard = if cited.is_empty() {
        String::new()
    } else if by_email {
        " In your email you wrote:".to_owned()
    } else {
        " On our call you told us:".to_owned()
    };
    format!(
        "{company} asked us for a proposal. It covers {}, the return we expect from the numbers you gave us, and the next steps.{heard}",
        offer(p)
    )
}

/// The model's prose, or `None` when it is not granted, not configured,
/// fails or answers with nothing usable.
pub fn model_prose(p: &Populated, cited: &[Quote]) -> Option<String> {
    let quotes: Vec<String> = cited.iter().map(|q| format!("- \"{}\"", q.text)).collect();
    let req = CompletionRequest {
        system: Some(
            "You write the executive summary of a B2B sales proposal: two or three plain \
             sentences, no heading, no greeting, no bullet points, no quotation of the \
             prospect (their words are added after your text). Never invent numbers, \
             prices, dates, names or commitments; use only what you are given."
                .into(),
        ),
        prompt: format!(
            "Company: {}\nWhat is offered: {}\nWhat the prospect said:\n{}\n\
             End with a sentence that leads into their words, such as \"You told us:\".",
            p.company.as_deref().unwrap_or("the prospect"),
            offer(p),
            quotes.join("\n")
        ),
        max_tokens: 300,
        temperature: Some(0.2),
    };
    let text = host::complete(req).ok()?.text.trim().to_owned();
    (text.len() >= 40 && text.len() <= MAX_PROSE && !text.contains("{{")).then_some(text)
}

/// The whole section: the prose, then each cited point as a quotation.
pub fn section(prose: &str, cited: &[Quote]) -> String {
    let quotes: Vec<String> = cited.iter().map(|q| format!("> \"{}\"", q.text)).collect();
    if quotes.is_empty() {
        prose.to_owned()
    } else {
        format!("{prose}\n\n{}", quotes.join("\n"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(i: usize, text: &str) -> Quote {
        Quote {
            text: text.into(),
            utterance: Some(i),
        }
    }

    #[test]
    fn pains_deadline_and_budget_are_cited_in_order() {
        let said = [
            q(
                7,
                "The webinar caught my eye, and that's exactly where we hurt.",
            ),
            q(
                8,
                "Our main problem is that follow-ups fall through the cracks after demos.",
            ),
            q(25, "We only notice when the customer chases us."),
            q(
                37,
                "Our retention target for next year is ninety-four percent.",
            ),
            q(67, "We have budget set aside for this in Q1."),
            q(76, "We want this live by the end of February."),
        ];
        let cited: Vec<usize> = cite(&said).iter().filter_map(|q| q.utterance).collect();
        assert_eq!(cited, [7, 8, 67, 76]);
        let only_goal = [q(
            37,
            "Our retention target for next year is ninety-four percent.",
        )];
        assert_eq!(cite(&only_goal).len(), 1);
        assert!(cite(&[q(1, "Sounds good to me.")]).is_empty());
    }
}
