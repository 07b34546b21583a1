//! What the model is told: the labelling rules for emails, condensed from
//! the eval set's README (the label table, the precedence and the rules
//! that separate neighbours), and one email's subject and newest text with
//! the rules' label.

use crate::classify::{Intent, Relationship};
use baton_sdk::Value;
use baton_sdk::host::CompletionRequest;

/// The instructions and the labelling rules.
const SYSTEM: &str = r#"You check an email classifier for a B2B sales team. Give the sender's newest message exactly one label, by these rules.

Labels:
- meeting_request: asks to set up, schedule, move or reschedule a meeting, call, demo, visit or workshop; proposes or accepts specific times; asks for an invite, times or a booking link; shares their own booking link. A pure confirmation of an agreed slot is fyi; a confirmation that changes the slot is meeting_request.
- proposal_request: asks for a proposal, quote, pricing or cost figures (however casual: "just a ballpark", "how much for 6 users?"), a rate card, a renewal or upgrade quote, or a revised quote or order form. Clarifying an already-sent quote or asking which plan includes a feature is needs_response.
- needs_response: a question or request that needs our reply and is neither of the above (product, security, compliance, documents, billing, support, "who should we contact"), from an active prospect or customer.
- fyi: informational, no reply needed (acknowledgements, status updates, signed documents for the records, e-signature or remittance notices, handovers, changes of contact).
- out_of_office: an absence notice sent instead of a reply, automated or typed (leave, travel, sickness, office closures, "no longer works here" auto-replies).
- unsubscribe: asks to stop emailing, be removed from a list or sequence, opt out, or delete their data.
- not_interested: declines without asking to be removed (including deferrals with no interest shown, lost deals, "close this one out").
- positive_interest: a reply to our outreach or nurture that shows interest or openness but makes no concrete meeting or pricing request (including asking for more information or a case study, or forwarding to a colleague with an endorsement). Once someone is an active prospect or customer, their questions are needs_response.

Precedence when several apply: out_of_office > unsubscribe > not_interested > proposal_request > meeting_request > positive_interest > needs_response > fyi.
Label the newest part only: quoted history and forwarded content are context.

Answer with one JSON object and nothing else:
{"label":"<label>","quote":"<the words that decide it, copied exactly from the newest message>"}
A label whose quote is not copied exactly from the newest message is discarded."#;

/// The request for one email: its subject, its newest text, what we know
/// of the sender, and the rules' label.
pub fn request(
    subject: &str,
    newest: &str,
    relationship: Relationship,
    rules: Intent,
    max_tokens: u32,
) -> CompletionRequest {
    let sender = match relationship {
        Relationship::Active => {
            "an active prospect or customer (open deal, won deal or past meeting)"
        }
        Relationship::NotActive => "a known contact with no open deal and no meeting",
        Relationship::Unknown => "unknown; judge from the text",
    };
    CompletionRequest {
        system: Some(SYSTEM.to_owned()),
        prompt: format!(
            "Subject: {}\nSender: {sender}\nNewest message:\n{}\n\nThe classifier's label: {}",
            Value::from(subject),
            Value::from(newest),
            rules.as_str()
        ),
        max_tokens,
        temperature: Some(0.0),
    }
}
