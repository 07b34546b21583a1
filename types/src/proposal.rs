//! A proposal as a skill proposes it and the host shares it: the payload
//! of a `proposal_send` action. `present-for-review` writes it, the rep may
//! edit it at the gate (the edit must still read as a [`ProposalSend`]),
//! and the host stores the approved document in `proposals`, then either
//! emails it as the rep or publishes it at an unguessable link
//! (`/p/{token}`) for the rep to send on.

use serde::{Deserialize, Serialize};

/// How an approved proposal reaches the prospect.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Delivery {
    /// An email to `to` as the rep (the send-as-rep rails: undo window,
    /// daily cap, do-not-contact), with the document and its link.
    #[default]
    Email,
    /// Only the link: the rep is told it and sends it on themselves.
    Link,
}

/// The payload of a `proposal_send` action.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProposalSend {
    #[serde(default)]
    pub delivery: Delivery,
    /// Recipients of the email (required for [`Delivery::Email`]).
    #[serde(default)]
    pub to: Vec<String>,
    #[serde(default)]
    pub cc: Vec<String>,
    /// The cover email's subject and text; the document follows the text.
    pub subject: String,
    pub body: String,
    /// The email being answered, when the proposal was asked for by email.
    #[serde(default)]
    pub in_reply_to: Option<String>,
    #[serde(default)]
    pub references: Option<String>,
    pub proposal: ProposalDoc,
    /// For the rep's eyes at the gate ("before you send: the hourly cost
    /// of that time is unknown"); never in the document nor the email.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes_for_rep: Vec<String>,
    /// The words that asked for the proposal, shown on the gate; never in
    /// the document nor the email.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<crate::evidence::Evidence>,
}

/// The document itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProposalDoc {
    pub title: String,
    /// The CRM deal and contact it is for, when known (ids).
    #[serde(default)]
    pub deal_id: Option<String>,
    #[serde(default)]
    pub contact_id: Option<String>,
    /// Who it is for, as the document names them.
    #[serde(default)]
    pub company: Option<String>,
    #[serde(default)]
    pub contact_name: Option<String>,
    /// ISO 4217; every amount below is in its minor units.
    pub currency: String,
    /// The total of `pricing`.
    pub amount: i64,
    /// The document's sections, in order.
    pub sections: Vec<Section>,
    #[serde(default)]
    pub pricing: Vec<PriceLine>,
    /// `YYYY-MM-DD`: the last day the offer stands.
    #[serde(default)]
    pub valid_until: Option<String>,
}

/// A section: a heading and its text. Paragraphs are separated by a blank
/// line; a line starting `- ` is a bullet, one starting `> ` a quotation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Section {
    pub heading: String,
    pub body: String,
}

/// One priced line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PriceLine {
    pub item: String,
    pub quantity: u32,
    /// Per unit, in minor units.
    pub unit_amount: i64,
    /// `quantity × unit_amount`.
    pub total: i64,
}

impl ProposalSend {
    /// What is wrong with the payload, if anything: an email delivery with
    /// no recipient, an empty title or section, or prices that do not add
    /// up.
    pub fn problem(&self) -> Option<String> {
        if self.delivery == Delivery::Email && self.to.is_empty() {
            return Some("an emailed proposal needs a recipient in `to`".into());
        }
        if self.subject.trim().is_empty() {
            return Some("the `subject` is empty".into());
        }
        self.proposal.problem()
    }
}

/// Whether `s` is a calendar date written `YYYY-MM-DD` (a day that exists:
/// 2026-02-29 does not).
fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| {
        b[r.clone()]
            .iter()
            .all(u8::is_ascii_digit)
            .then(|| b[r].iter().fold(0u32, |n, d| n * 10 + u32::from(d - b'0')))
    };
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let (Some(y), Some(m), Some(d)) = (digits(0..4), digits(5..7), digits(8..10)) else {
        return false;
    };
    let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

impl ProposalDoc {
    /// See [`ProposalSend::problem`].
    pub fn problem(&self) -> Option<String> {
        if self.title.trim().is_empty() {
            return Some("the proposal has no `title`".into());
        }
        if self.currency.len() != 3 || !self.currency.bytes().all(|b| b.is_ascii_uppercase()) {
            return Some(format!(
                "currency `{}` is not an ISO 4217 code",
                self.currency
            ));
        }
        if self.sections.is_empty() {
            return Some("the proposal has no sections".into());
        }
        if let Some(d) = &self.valid_until
            && !is_date(d)
        {
            return Some(format!(
                "valid_until `{}` is not a date (YYYY-MM-DD, e.g. 2026-12-31)",
                d.escape_debug()
            ));
        }
        if let Some(s) = self.sections.iter().find(|s| s.heading.trim().is_empty()) {
            return Some(format!(
                "a section has no heading (it starts `{}`)",
                s.body.chars().take(40).collect::<String>()
            ));
        }
        for l in &self.pricing {
            if l.unit_amount < 0
                || i64::from(l.quantity).checked_mul(l.unit_amount) != Some(l.total)
            {
                return Some(format!(
                    "pricing line `{}`: {} × {} is not {}",
                    l.item, l.quantity, l.unit_amount, l.total
                ));
            }
        }
        let sum = self
            .pricing
            .iter()
            .try_fold(0i64, |acc, l| acc.checked_add(l.total));
        if !self.pricing.is_empty() && sum != Some(self.amount) {
            return Some(format!(
                "the pricing lines add up to {}, not the `amount` {}",
                sum.unwrap_or_default(),
                self.amount
            ));
        }
        None
    }
}

/// Why a proposal is a fork beside the deal's current one rather than its
/// next version: it is for another scope or another audience.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ForkReason {
    SeparateScope,
    SeparateAudience,
}

impl ForkReason {
    /// In words (`separate scope`).
    pub fn words(self) -> &'static str {
        match self {
            ForkReason::SeparateScope => "separate scope",
            ForkReason::SeparateAudience => "separate audience",
        }
    }
}

/// A proposal asked for as a fork: it supersedes nothing and nothing sent
/// later on the deal's main line supersedes it. It must say why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Fork {
    pub reason: ForkReason,
    /// What sets it apart (`the CFO's budget version`), 1 to 200
    /// characters.
    #[cfg_attr(feature = "schema", schemars(length(min = 1, max = 200)))]
    pub note: String,
}

impl Fork {
    /// How the deal's artifacts show it (`separate audience: the CFO's
    /// budget version`); `None` when the note is blank.
    pub fn stated(&self) -> Option<String> {
        let note = self.note.trim();
        (!note.is_empty() && note.chars().count() <= 200)
            .then(|| format!("{}: {note}", self.reason.words()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn send() -> ProposalSend {
        serde_json::from_value(json!({
            "to": ["marta@northwind.example"],
            "subject": "Proposal", "body": "Hi Marta,",
            "proposal": {
                "title": "Renewals Hub for Northwind", "currency": "USD", "amount": 2_160_000,
                "sections": [{ "heading": "Summary", "body": "You said …" }],
                "pricing": [{ "item": "Growth seats", "quantity": 40, "unit_amount": 54_000, "total": 2_160_000 }]
            }
        }))
        .expect("reads")
    }

    #[test]
    fn a_well_formed_proposal_has_no_problem() {
        let s = send();
        assert_eq!(s.delivery, Delivery::Email);
        assert_eq!(s.problem(), None);
    }

    #[test]
    fn arithmetic_and_recipients_are_checked() {
        let mut s = send();
        s.proposal.pricing[0].total += 1;
        assert!(s.problem().is_some_and(|p| p.contains("40 × 54000")));
        let mut s = send();
        s.proposal.amount = 1;
        assert!(s.problem().is_some_and(|p| p.contains("add up")));
        let mut s = send();
        s.to.clear();
        assert!(s.problem().is_some_and(|p| p.contains("recipient")));
        s.delivery = Delivery::Link;
        assert_eq!(s.problem(), None);
    }

    /// An edit may not put words where the offer's last day goes (issue
    /// 38: `valid_until: "not-a-date"` was accepted and shown).
    #[test]
    fn valid_until_is_a_real_date() {
        for good in ["2026-12-31", "2028-02-29", "2000-02-29"] {
            let mut s = send();
            s.proposal.valid_until = Some(good.into());
            assert_eq!(s.problem(), None, "{good}");
        }
        for bad in [
            "not-a-date",
            "2026-02-29",
            "2026-13-01",
            "2026-1-01",
            "2026-12-31T00:00",
            "1900-02-29",
            "",
        ] {
            let mut s = send();
            s.proposal.valid_until = Some(bad.into());
            assert!(
                s.problem().is_some_and(|p| p.contains("valid_until")),
                "{bad}"
            );
        }
    }
}
