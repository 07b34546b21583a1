//! What host calls take and answer, shared by the component's imports and
//! the native [`crate::testing::FakeHost`]. A leaf.

use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use baton_types::{Decision, Pattern};

/// Why a host call failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "message", rename_all = "snake_case")]
pub enum HostError {
    /// The capability is not declared or not granted.
    Denied(String),
    /// The thing asked for does not exist.
    NotFound(String),
    /// Not available now; a retry may work.
    Unavailable(String),
    /// The arguments were not acceptable.
    Invalid(String),
}

impl std::fmt::Display for HostError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            HostError::Denied(m) => write!(f, "denied: {m}"),
            HostError::NotFound(m) => write!(f, "not found: {m}"),
            HostError::Unavailable(m) => write!(f, "unavailable: {m}"),
            HostError::Invalid(m) => write!(f, "invalid: {m}"),
        }
    }
}

impl std::error::Error for HostError {}

/// A context tier.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Tier {
    Org,
    Contact,
    External(String),
}

/// A request for a person's decision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Gate {
    pub key: String,
    pub pattern: Pattern,
    pub title: String,
    pub body: Value,
    pub options: Vec<String>,
}

/// An LLM completion request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CompletionRequest {
    pub system: Option<String>,
    pub prompt: String,
    pub max_tokens: u32,
    pub temperature: Option<f32>,
}

/// An LLM completion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Completion {
    pub text: String,
    pub input_tokens: u32,
    pub output_tokens: u32,
}

/// Log levels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Debug,
    Info,
    Warn,
    Error,
}
