//! What a request-driven follow-up carries (`proposal_generation`,
//! `content_retrieval`): the prospect's words and who and what they are
//! about. `detect-intents` builds it from a meeting (the utterance that
//! asked, plus the meeting's ids) and `classify-email-intent` from an email
//! (its newest text, plus the thread to reply in).

use crate::meeting::Utterance;
use baton_types::evidence::Evidence;
use serde::{Deserialize, Serialize};

/// A request someone made of the rep.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Request {
    /// The words that asked, as said or written (the utterance or the
    /// email's newest text).
    #[serde(default)]
    pub request: Option<String>,
    /// The phrase the detector matched inside `request`.
    #[serde(default)]
    pub trigger_phrase: Option<String>,
    /// The detection's label, e.g. `send_proposal`.
    #[serde(default)]
    pub label: Option<String>,
    /// The words that asked, who said or wrote them, where, and how sure
    /// the detector was: the step that presents the result shows them on
    /// its gate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<Evidence>,
    /// Index of the utterance in the meeting's transcript.
    #[serde(default)]
    pub utterance: Option<usize>,
    /// The meeting it came up in.
    #[serde(default)]
    pub meeting_id: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub contact_id: Option<String>,
    #[serde(default)]
    pub contact_email: Option<String>,
    #[serde(default)]
    pub deal_id: Option<String>,
    #[serde(default)]
    pub deal_name: Option<String>,
    /// The email it came in, when it did: its subject and ids, for a reply
    /// in the same thread.
    #[serde(default)]
    pub subject: Option<String>,
    #[serde(default)]
    pub message_id: Option<String>,
    #[serde(default)]
    pub thread_id: Option<String>,
}

/// `proposal_generation`: a proposal was promised or asked for.
pub mod proposal_generation {
    use super::*;

    /// The request, plus the meeting's transcript when it came from one
    /// (the proposal quotes the prospect's requirements and pain points).
    #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
    pub struct Payload {
        #[serde(flatten)]
        pub request: Request,
        #[serde(default)]
        pub utterances: Vec<Utterance<String>>,
        /// The id of the meeting's transcript, stored once for the org
        /// ([`Payload::resolved`] reads its utterances).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub transcript_id: Option<String>,
        /// Asked as a fork beside the deal's current proposal (another
        /// scope or audience), with why; without it, the proposal is the
        /// deal's next version and supersedes the current one.
        // Not nullable in the schema: a refusal then names the field at
        // fault rather than a failed `anyOf`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[schemars(with = "baton_types::proposal::Fork")]
        pub fork: Option<baton_types::proposal::Fork>,
    }
}

impl proposal_generation::Payload {
    /// The request with the utterances of the meeting's stored transcript,
    /// when it refers to one and carries none itself (needs
    /// `context:attachments`).
    pub fn resolved(mut self) -> Result<Self, crate::SkillError> {
        if self.utterances.is_empty()
            && let Some(id) = &self.transcript_id
        {
            self.utterances = crate::meeting::stored_utterances(id)?;
        }
        Ok(self)
    }
}

/// `content_retrieval`: content (a case study, the security pack …) was
/// promised or asked for.
pub mod content_retrieval {
    /// The request alone.
    pub type Payload = super::Request;
}
