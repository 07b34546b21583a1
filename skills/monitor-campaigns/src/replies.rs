//! A campaign reply's category, from the email classifier's rules
//! (`email-rules`, the same as `classify-email-intent`'s) and its
//! rule-level `forwarded` reading. The learned model is not read here: it
//! ships in `classify-email-intent`'s data folder and knows no `forwarded`
//! label, so the rules decide alone (`method: rules`).
//!
//! Order: out of office and unsubscribe first (an auto-reply that names a
//! colleague is still an absence), then forwarded, then the classifier's
//! intent mapped to the seed's categories.

use email_rules::classify::{Email, Intent, Relationship, classify};
use email_rules::forwarded::forwarded;
use schemars::JsonSchema;
use serde::Serialize;
use std::collections::BTreeMap;

/// The seed's reply categories.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// Wants to talk, asks for pricing or a meeting, or asks a question:
    /// a reply is drafted for the rep to approve.
    Interested,
    /// Passed on to someone else.
    Forwarded,
    NotInterested,
    OutOfOffice,
    /// Asked to stop: the address goes on the do-not-contact list.
    Unsubscribe,
    /// Nothing to act on.
    Other,
}

impl Category {
    /// The category as it appears in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Interested => "interested",
            Category::Forwarded => "forwarded",
            Category::NotInterested => "not_interested",
            Category::OutOfOffice => "out_of_office",
            Category::Unsubscribe => "unsubscribe",
            Category::Other => "other",
        }
    }

    /// Whether the rep should look at it (the Slack update lists these).
    pub fn needs_attention(self) -> bool {
        matches!(
            self,
            Category::Interested | Category::Forwarded | Category::NotInterested
        )
    }

    /// The emoji the seed's layout puts before it.
    pub fn mark(self) -> &'static str {
        match self {
            Category::Interested => "✅",
            Category::Forwarded => "⚠️",
            Category::NotInterested => "❌",
            Category::OutOfOffice => "🌴",
            Category::Unsubscribe => "🚫",
            Category::Other => "•",
        }
    }
}

/// One reply, classified.
#[derive(Debug, Clone, PartialEq)]
pub struct Classified {
    pub category: Category,
    /// The classifier's label (`forwarded` when the forward rule decided).
    pub label: &'static str,
    /// A few words for the rep ("Interested, asking about pricing").
    pub summary: String,
    /// The rules that decided.
    pub reasons: Vec<String>,
    /// The sender's newest, unquoted words.
    pub newest: String,
    /// The colleague a forward names, if it gives an address.
    pub forwarded_to: Option<String>,
}

/// Classify one reply. `auto_reply` is the provider's own auto-reply flag.
pub fn classify_reply(
    subject: &str,
    body: &str,
    sender: Option<&str>,
    auto_reply: bool,
) -> Classified {
    let mut headers = BTreeMap::new();
    if auto_reply {
        headers.insert("auto-submitted".to_owned(), "auto-replied".to_owned());
    }
    let email = Email {
        subject,
        body,
        headers: &headers,
    };
    let c = classify(&email, Relationship::Unknown);
    let absent = matches!(c.intent, Intent::OutOfOffice | Intent::Unsubscribe);
    if !absent && let Some(f) = forwarded(body, sender) {
        let summary = match &f.to {
            Some(_) => "Forwarded to a colleague (address given)".to_owned(),
            None => "Forwarded to a colleague".to_owned(),
        };
        return Classified {
            category: Category::Forwarded,
            label: "forwarded",
            summary,
            reasons: vec![format!("forwarded: \"{}\"", f.cue)],
            newest: c.newest,
            forwarded_to: f.to,
        };
    }
    let (category, summary) = match c.intent {
        Intent::OutOfOffice => (Category::OutOfOffice, "Out of office"),
        Intent::Unsubscribe => (Category::Unsubscribe, "Asked to unsubscribe"),
        Intent::NotInterested => (Category::NotInterested, "Not interested"),
        Intent::ProposalRequest => (Category::Interested, "Interested, asking about pricing"),
        Intent::MeetingRequest => (Category::Interested, "Interested, wants to meet"),
        Intent::PositiveInterest => (Category::Interested, "Interested"),
        Intent::NeedsResponse => (Category::Interested, "Has a question"),
        Intent::Fyi => (Category::Other, "No action needed"),
    };
    Classified {
        category,
        label: c.intent.as_str(),
        summary: summary.to_owned(),
        reasons: c.reasons,
        newest: c.newest,
        forwarded_to: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cat(body: &str) -> (Category, &'static str) {
        let c = classify_reply("Re: pipeline admin", body, Some("a@x.example"), false);
        (c.category, c.label)
    }

    #[test]
    fn the_seeds_categories() {
        assert_eq!(
            cat("This looks interesting. What does pricing look like for 40 seats?").0,
            Category::Interested
        );
        assert_eq!(
            cat(
                "I've forwarded this to my colleague Sam (sam@x.example) who runs ops.\n\nOn Mon, Jordan wrote:\n> hi"
            ),
            (Category::Forwarded, "forwarded")
        );
        assert_eq!(cat("Not interested, thanks.").0, Category::NotInterested);
        assert_eq!(
            cat("Please remove me from your list.").0,
            Category::Unsubscribe
        );
        let ooo = classify_reply(
            "Automatic reply: Out of office",
            "I am out of the office until Monday with limited access to email. For urgent matters, reach out to my colleague sam@x.example.",
            None,
            true,
        );
        assert_eq!(ooo.category, Category::OutOfOffice, "{ooo:?}");
    }
}
