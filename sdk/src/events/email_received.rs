//! `email_received`: one inbound email. Built by the inbound-mail webhooks
//! and the API; read by `classify-email-intent`, `match-to-crm-contact` and
//! `draft-email-reply`.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// An inbound email.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Payload {
    /// The `Message-ID`, angle brackets included.
    #[serde(default)]
    pub message_id: Option<String>,
    #[serde(default)]
    pub thread_id: Option<String>,
    /// The `References` header, for threading a reply.
    #[serde(default)]
    pub references: Option<String>,
    /// The sender, `Name <addr>` or a bare address.
    #[serde(default)]
    pub from: Option<String>,
    #[serde(default)]
    pub subject: Option<String>,
    /// Plain text; quoted history included.
    #[serde(default)]
    pub body: Option<String>,
    /// RFC 3339.
    #[serde(default)]
    pub received_at: Option<String>,
    /// Other headers by name (`Auto-Submitted`, `Precedence`, …).
    #[serde(default)]
    pub headers: BTreeMap<String, Value>,
}

/// What `classify-email-intent` says about the email (its output, as the
/// later steps of the sequence read it).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Verdict {
    /// e.g. `meeting_request`, `unsubscribe`.
    #[serde(default)]
    pub intent: Option<String>,
    #[serde(default)]
    pub sender: Sender,
    /// The newest, unquoted text of the body.
    #[serde(default)]
    pub newest_text: Option<String>,
    /// How sure the classifier is of `intent`, from 0 to 1.
    #[serde(default)]
    pub confidence: Option<f64>,
}

/// Who sent the email, as the classifier read `from` (part of its output).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Sender {
    /// Lower-cased.
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
}

/// Default name of the classifier step (the `classify_step` param).
pub fn classify_step() -> String {
    "classify-email-intent".to_owned()
}

impl Verdict {
    /// The classifier step's output; the default (nothing known) when that
    /// step did not run, `invalid-input` when its output is malformed.
    pub fn from_step(input: &crate::Input, step: &str) -> Result<Verdict, crate::SkillError> {
        match input.previous(step) {
            Some(v) => Verdict::deserialize(v)
                .map_err(|e| crate::SkillError::InvalidInput(format!("{step}: {e}"))),
            None => Ok(Verdict::default()),
        }
    }
}

impl Payload {
    /// The sender's address, from `from`; see [`address`].
    pub fn sender_address(&self) -> Option<String> {
        self.from.as_deref().and_then(address)
    }
}

/// The address in `Name <addr>` or a bare address, trimmed and lower-cased;
/// `None` when it has no `@`.
pub fn address(from: &str) -> Option<String> {
    let inner = match (from.rfind('<'), from.rfind('>')) {
        (Some(a), Some(b)) if a < b => &from[a + 1..b],
        _ => from,
    };
    Some(inner.trim().to_lowercase()).filter(|a| a.contains('@'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_address_comes_out_of_the_angle_brackets() {
        assert_eq!(
            address("Aisha Bello <Aisha.Bello@Harbour.example>").as_deref(),
            Some("aisha.bello@harbour.example")
        );
        assert_eq!(address(" m@n.example ").as_deref(), Some("m@n.example"));
        assert_eq!(address("Marta <no address>"), None);
    }
}
