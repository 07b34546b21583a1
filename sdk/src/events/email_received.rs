//! `email_received`: one inbound email. Built by the inbound-mail webhooks
//! and the API; read by `classify-email-intent`, `match-to-crm-contact` and
//! `draft-email-reply`.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// An inbound email.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
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
