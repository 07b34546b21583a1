//! The `content_retrieval` chain's shared vocabulary: what `find-content`
//! found in the org's content library for a request (its output schema is
//! derived from [`Found`]) and `draft-content-email` reads back. Only
//! shapes; nothing here reads the library.

use serde::{Deserialize, Serialize};

/// Default name of the finder step (the `find_step` param).
pub fn find_step() -> String {
    "find-content".to_owned()
}

/// What the request asked for and the library items that fit it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Found {
    /// The words that asked, as said or written.
    #[serde(default)]
    pub request: Option<String>,
    /// What the finder understood was asked for (`security`, `legal`,
    /// `case_study`, …, and words naming an item).
    #[serde(default)]
    pub asked_for: Vec<String>,
    /// The items to send, best first; empty when nothing fits.
    #[serde(default)]
    pub matched: Vec<Match>,
    /// Why nothing was matched, when nothing was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// One library item that fits the request.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Match {
    pub id: String,
    pub title: String,
    pub kind: String,
    #[serde(default)]
    pub summary: Option<String>,
    /// Where it is published: sent as a link.
    #[serde(default)]
    pub url: Option<String>,
    /// A file of the content folder: sent as an attachment.
    #[serde(default)]
    pub file: Option<String>,
    pub score: u32,
    /// What in the request it answers (`title "security pack"`, `tag "soc 2"`, …).
    #[serde(default)]
    pub why: Vec<String>,
}

impl Found {
    /// The finder step's output; the default (nothing found) when that step
    /// did not run, `invalid-input` when its output is malformed.
    pub fn from_step(input: &crate::Input, step: &str) -> Result<Found, crate::SkillError> {
        input.step_output(step).map(Option::unwrap_or_default)
    }
}
