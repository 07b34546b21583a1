//! One call of a skill: the input, what the caller lends it (context,
//! decisions, an LLM client), and the report of what happened.

use super::bindings::baton::skill::types as wit;
use super::error::RuntimeError;
use super::output::SkillOutput;
use baton_types::{Decision, Pattern};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use std::future::Future;
use std::ops::Deref;
use std::pin::Pin;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

/// A JSON value shared by the calls of a job and written as text at most
/// once: every call hands its skill the event payload and the earlier
/// steps' outputs as JSON text, and a meeting's transcript, given to every
/// step, is most of that. Serialises, compares and reads as the value.
#[derive(Debug, Clone, Default)]
pub struct SharedJson(Arc<Shared>);

#[derive(Debug, Default)]
struct Shared {
    value: Value,
    text: OnceLock<String>,
}

impl SharedJson {
    /// Share `value`.
    pub fn new(value: Value) -> SharedJson {
        SharedJson(Arc::new(Shared {
            value,
            text: OnceLock::new(),
        }))
    }

    /// The value as JSON text, written on first use.
    pub fn text(&self) -> &str {
        self.0.text.get_or_init(|| self.0.value.to_string())
    }
}

impl Deref for SharedJson {
    type Target = Value;

    fn deref(&self) -> &Value {
        &self.0.value
    }
}

impl From<Value> for SharedJson {
    fn from(value: Value) -> SharedJson {
        SharedJson::new(value)
    }
}

impl PartialEq for SharedJson {
    fn eq(&self, other: &SharedJson) -> bool {
        self.0.value == other.0.value
    }
}

impl Serialize for SharedJson {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.value.serialize(s)
    }
}

impl<'de> Deserialize<'de> for SharedJson {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<SharedJson, D::Error> {
        Value::deserialize(d).map(SharedJson::new)
    }
}

/// The event part of a call's input.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventInput {
    pub id: String,
    #[serde(rename = "type")]
    pub event_type: String,
    #[serde(default)]
    pub source: String,
    pub org: String,
    pub user: String,
    /// Shared, not copied, by every step of a job (a meeting's transcript
    /// is most of it).
    #[serde(default)]
    pub payload: SharedJson,
    #[serde(default)]
    pub chain_depth: u8,
}

/// The output of an earlier step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PreviousOutput {
    pub step: String,
    pub skill: String,
    /// Shared with the step's completed output, not copied per later step.
    pub data: SharedJson,
}

/// Everything a skill is given for one call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CallInput {
    pub event: EventInput,
    #[serde(default)]
    pub params: Value,
    #[serde(default)]
    pub previous: Vec<PreviousOutput>,
}

impl CallInput {
    pub(crate) fn to_wit(&self) -> wit::Input {
        let params = if self.params.is_null() {
            "{}".to_owned()
        } else {
            self.params.to_string()
        };
        wit::Input {
            event: wit::Event {
                id: self.event.id.clone(),
                event_type: self.event.event_type.clone(),
                source: self.event.source.clone(),
                org: self.event.org.clone(),
                user: self.event.user.clone(),
                payload: self.event.payload.text().to_owned(),
                chain_depth: self.event.chain_depth,
            },
            params,
            previous: self
                .previous
                .iter()
                .map(|p| wit::StepOutput {
                    step: p.step.clone(),
                    skill: p.skill.clone(),
                    data: p.data.text().to_owned(),
                })
                .collect(),
        }
    }
}

/// An LLM completion request from a skill.
#[derive(Debug, Clone, PartialEq)]
pub struct LlmRequest {
    pub system: Option<String>,
    pub prompt: String,
    pub max_tokens: u32,
    pub temperature: Option<f32>,
}

/// An LLM completion with its token usage.
#[derive(Debug, Clone, PartialEq)]
pub struct LlmCompletion {
    pub text: String,
    pub input_tokens: u32,
    pub output_tokens: u32,
}

/// The future an [`LlmClient`] returns; `Err` carries a message for the skill.
pub type LlmFuture = Pin<Box<dyn Future<Output = Result<LlmCompletion, String>> + Send>>;

/// The LLM connector a call may use.
pub trait LlmClient: Send + Sync {
    /// Complete one request.
    fn complete(&self, req: LlmRequest) -> LlmFuture;
}

/// What an [`Attachments`] found under an id.
#[derive(Debug, Clone, PartialEq)]
pub enum Attachment {
    /// The attachment, as JSON text (handed to the call as it is).
    Found(Arc<str>),
    /// It was erased: who, when and why, in words a person reads.
    Erased(String),
}

/// The future an [`Attachments`] returns: the attachment, `None` when the
/// org holds nothing under the id, or why it could not be read now.
pub type AttachmentFuture<'a> =
    Pin<Box<dyn Future<Output = Result<Option<Attachment>, String>> + Send + 'a>>;

/// What events carry by reference, which a call may read by id
/// (`context.attachment`): a meeting's transcript, stored once per org.
/// The lender knows the call's org and reads only its attachments; the
/// runtime asks only for a skill granted `context:attachments`.
pub trait Attachments: Send + Sync {
    /// The attachment `id`.
    fn attachment<'a>(&'a self, id: &'a str) -> AttachmentFuture<'a>;
}

/// A header the host sets on a skill's granted outbound request: a
/// provider's key, which the skill never sees.
pub struct InjectedHeader {
    /// The header's name, e.g. `X-Api-Key`.
    pub name: String,
    /// Its value (a secret: never logged, never shown to the skill).
    pub value: String,
}

impl std::fmt::Debug for InjectedHeader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InjectedHeader")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

/// The future a [`ProviderKeys`] returns.
pub type KeyFuture = Pin<Box<dyn Future<Output = Option<InjectedHeader>> + Send>>;

/// The provider keys a call's outbound requests may carry, looked up by
/// host for each granted request. The implementation records each use (it
/// knows the call's org and job); the runtime only sets the header.
pub trait ProviderKeys: Send + Sync {
    /// The header to set on `skill`'s request to `to`, if a key is kept
    /// for that origin and path.
    fn header_for(&self, skill: &str, to: &KeyTarget) -> KeyFuture;
}

/// Where a granted request goes, as a provider key is matched: scheme,
/// host and port (the origin), and the path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyTarget {
    pub scheme: String,
    /// Lowercased.
    pub host: String,
    pub port: u16,
    pub path: String,
}

impl KeyTarget {
    /// `scheme://host:port`.
    pub fn origin(&self) -> String {
        format!("{}://{}:{}", self.scheme, self.host, self.port)
    }
}

/// What the caller lends one call: the job's context tiers, decisions taken
/// on earlier gates, and an LLM client. The runtime shows each part only as
/// far as the skill's effective capabilities allow.
#[derive(Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CallContext {
    /// Tier 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org: Option<Value>,
    /// Tier 2.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<Value>,
    /// Tier 3, by provider.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub external: BTreeMap<String, Value>,
    /// Decisions by gate key.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub decisions: BTreeMap<String, Decision>,
    /// The LLM connector, if one is configured.
    #[serde(skip)]
    pub llm: Option<Arc<dyn LlmClient>>,
    /// Provider keys for outbound requests, if the operator keeps any.
    #[serde(skip)]
    pub keys: Option<Arc<dyn ProviderKeys>>,
    /// The org's attachments by id, read when the skill asks (never
    /// recorded with the call: a replay reads them again, or finds them
    /// erased).
    #[serde(skip)]
    pub attachments: Option<Arc<dyn Attachments>>,
    /// How far the service's clock is from the system's, in ms: the
    /// skill's wall clock (`wasi:clocks/wall-clock`) shows the service's
    /// time, so a simulated day is the skill's day too (0: the system's).
    #[serde(skip)]
    pub clock_offset_ms: i64,
}

impl std::fmt::Debug for CallContext {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Context holds customer data: never print it.
        f.debug_struct("CallContext")
            .field("org", &self.org.is_some())
            .field("contact", &self.contact.is_some())
            .field("external", &self.external.keys().collect::<Vec<_>>())
            .field("decisions", &self.decisions.len())
            .field("llm", &self.llm.is_some())
            .field("keys", &self.keys.is_some())
            .field("attachments", &self.attachments.is_some())
            .field("clock_offset_ms", &self.clock_offset_ms)
            .finish()
    }
}

/// A gate the skill asked for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GateRequest {
    pub key: String,
    pub pattern: Pattern,
    pub title: String,
    pub body: Value,
    pub options: Vec<String>,
}

/// Severity of a skill's log line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LogLevel {
    Debug,
    Info,
    Warn,
    Error,
}

/// A line the skill logged.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LogLine {
    pub level: LogLevel,
    pub message: String,
}

/// A capability the skill used without having it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Denial {
    pub capability: String,
    pub message: String,
}

/// What a call consumed and asked for, whatever its result.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct CallReport {
    /// Fuel burned.
    pub fuel_used: u64,
    /// Wall time of the whole call, instantiation included.
    pub duration: Duration,
    /// LLM tokens used (input, output).
    pub llm_tokens: (u64, u64),
    /// Capabilities used without a grant.
    pub denials: Vec<Denial>,
    /// Gates requested.
    pub gates: Vec<GateRequest>,
    /// Log lines kept.
    pub logs: Vec<LogLine>,
    /// The tail of what the guest wrote to stderr (panic messages).
    pub stderr: String,
}

/// The result of a call with its report.
#[derive(Debug, Clone)]
pub struct CallResult {
    pub outcome: Result<SkillOutput, RuntimeError>,
    pub report: CallReport,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn shared_json_reads_writes_and_compares_as_its_value() {
        let v = json!({ "utterances": [{ "speaker": "rep", "text": "Hi \"there\"" }], "n": 1 });
        let shared = SharedJson::new(v.clone());
        assert_eq!(shared.text(), v.to_string());
        // The text is written once and kept.
        assert!(std::ptr::eq(shared.text(), shared.clone().text()));
        assert_eq!(serde_json::to_value(&shared).expect("serialises"), v);
        let back: SharedJson = serde_json::from_value(v.clone()).expect("reads");
        assert_eq!(back, shared);
        assert_eq!(back["n"], 1);
        assert_ne!(back, SharedJson::new(json!({ "n": 2 })));
    }
}
