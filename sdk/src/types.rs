//! The typed, serde-friendly view of the contract's records, and their
//! conversion to and from the generated WIT types (JSON travels as text).

use crate::bindings::baton::skill::types as wit;
use crate::host::HostError;
use baton_types::flow::Flow;
use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use baton_types::{ActionKind, FollowUp, ProposedAction};

/// The event that started the job.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub id: String,
    #[serde(rename = "type")]
    pub event_type: String,
    pub source: String,
    pub org: String,
    pub user: String,
    pub payload: Value,
    pub chain_depth: u8,
}

/// The output of an earlier step of the same job.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepOutput {
    pub step: String,
    pub skill: String,
    pub data: Value,
}

/// What a skill receives for one call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Input {
    pub event: Event,
    /// The step's parameters (a JSON object, `{}` when none).
    #[serde(default)]
    pub params: Value,
    /// Outputs of earlier steps, in order.
    #[serde(default)]
    pub previous: Vec<StepOutput>,
}

impl Input {
    /// Deserialize the event payload into `T`, or fail with `invalid-input`.
    /// Read in place: a meeting's payload is its whole transcript, not worth
    /// a copy per read.
    pub fn payload<T: serde::de::DeserializeOwned>(&self) -> Result<T, SkillError> {
        T::deserialize(&self.event.payload)
            .map_err(|e| SkillError::InvalidInput(format!("event payload: {e}")))
    }

    /// Deserialize the step params into `T`, or fail with `invalid-input`.
    pub fn params<T: serde::de::DeserializeOwned>(&self) -> Result<T, SkillError> {
        let empty = Value::Object(Default::default());
        let params = if self.params.is_null() {
            &empty
        } else {
            &self.params
        };
        T::deserialize(params).map_err(|e| SkillError::InvalidInput(format!("params: {e}")))
    }

    /// The output of the earlier step named `step`, if it ran.
    pub fn previous(&self, step: &str) -> Option<&Value> {
        self.previous
            .iter()
            .find(|p| p.step == step)
            .map(|p| &p.data)
    }

    /// The output of the earlier step `step` read as `T`: `None` when that
    /// step did not run (or was continued past after failing),
    /// `invalid-input` when its output does not read as `T`.
    pub fn step_output<T: serde::de::DeserializeOwned>(
        &self,
        step: &str,
    ) -> Result<Option<T>, SkillError> {
        self.previous(step)
            .filter(|v| !v.is_null())
            .map(|v| {
                T::deserialize(v)
                    .map_err(|e| SkillError::InvalidInput(format!("output of step `{step}`: {e}")))
            })
            .transpose()
    }

    pub(crate) fn from_wit(input: wit::Input) -> Result<Self, SkillError> {
        let parse = |what: &str, text: &str| -> Result<Value, SkillError> {
            if text.is_empty() {
                return Ok(Value::Null);
            }
            serde_json::from_str(text)
                .map_err(|e| SkillError::InvalidInput(format!("{what} is not JSON: {e}")))
        };
        let e = input.event;
        Ok(Input {
            event: Event {
                payload: parse("event payload", &e.payload)?,
                id: e.id,
                event_type: e.event_type,
                source: e.source,
                org: e.org,
                user: e.user,
                chain_depth: e.chain_depth,
            },
            params: parse("params", &input.params)?,
            previous: input
                .previous
                .into_iter()
                .map(|p| {
                    Ok(StepOutput {
                        data: parse("previous output", &p.data)?,
                        step: p.step,
                        skill: p.skill,
                    })
                })
                .collect::<Result<_, SkillError>>()?,
        })
    }
}

/// A successful call's result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Output {
    pub data: Value,
    #[serde(default)]
    pub follow_ups: Vec<FollowUp>,
    #[serde(default)]
    pub actions: Vec<ProposedAction>,
}

impl Output {
    /// An output carrying `data` and nothing else.
    pub fn new(data: Value) -> Self {
        Output {
            data,
            follow_ups: Vec::new(),
            actions: Vec::new(),
        }
    }

    /// An output carrying `data` serialized from a typed value (the type the
    /// manifest's output schema is derived from, see [`Manifest::output`]).
    pub fn of<T: Serialize>(data: &T) -> Result<Self, SkillError> {
        Ok(Output::new(to_data(data)?))
    }

    /// Queue a follow-up event.
    pub fn follow_up(
        mut self,
        event_type: impl Into<String>,
        payload: Value,
        confidence: f32,
        reason: impl Into<String>,
    ) -> Self {
        self.follow_ups.push(FollowUp {
            event_type: event_type.into(),
            payload,
            confidence,
            reason: reason.into(),
        });
        self
    }

    /// Propose an action.
    pub fn action(mut self, kind: ActionKind, preview: impl Into<String>, payload: Value) -> Self {
        self.actions.push(ProposedAction {
            kind,
            preview: preview.into(),
            payload,
        });
        self
    }

    pub(crate) fn into_wit(self) -> Result<wit::Output, SkillError> {
        Ok(wit::Output {
            data: to_text(&self.data)?,
            follow_ups: self
                .follow_ups
                .into_iter()
                .map(|f| {
                    Ok(wit::FollowUp {
                        event_type: f.event_type,
                        payload: to_text(&f.payload)?,
                        confidence: f.confidence,
                        reason: f.reason,
                    })
                })
                .collect::<Result<_, SkillError>>()?,
            actions: self
                .actions
                .into_iter()
                .map(|a| {
                    Ok(wit::ProposedAction {
                        kind: match a.kind {
                            ActionKind::EmailSend => wit::ActionKind::EmailSend,
                            ActionKind::CrmUpdate => wit::ActionKind::CrmUpdate,
                            ActionKind::TaskCreate => wit::ActionKind::TaskCreate,
                            ActionKind::SlackPost => wit::ActionKind::SlackPost,
                            ActionKind::CalendarInvite => wit::ActionKind::CalendarInvite,
                            ActionKind::ProposalSend => wit::ActionKind::ProposalSend,
                        },
                        preview: a.preview,
                        payload: to_text(&a.payload)?,
                    })
                })
                .collect::<Result<_, SkillError>>()?,
        })
    }
}

/// `value` as JSON data (an output, an action payload).
pub fn to_data<T: Serialize>(value: &T) -> Result<Value, SkillError> {
    serde_json::to_value(value).map_err(|e| SkillError::Failed(format!("serialize output: {e}")))
}

/// `x` rounded to two decimals, as scores and confidences are output
/// (`0.8500000238` from an `f32` becomes `0.85`).
pub fn two_decimals(x: impl Into<f64>) -> f64 {
    (x.into() * 100.0).round() / 100.0
}

fn to_text(value: &Value) -> Result<String, SkillError> {
    serde_json::to_string(value).map_err(|e| SkillError::Failed(format!("serialize output: {e}")))
}

/// Why a skill refused or failed a call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "message", rename_all = "snake_case")]
pub enum SkillError {
    /// The input is not acceptable; retrying will not help.
    InvalidInput(String),
    /// A dependency is unavailable now; a retry may help.
    Unavailable(String),
    /// Any other failure.
    Failed(String),
}

impl std::fmt::Display for SkillError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SkillError::InvalidInput(m) => write!(f, "invalid input: {m}"),
            SkillError::Unavailable(m) => write!(f, "unavailable: {m}"),
            SkillError::Failed(m) => write!(f, "failed: {m}"),
        }
    }
}

impl std::error::Error for SkillError {}

impl From<HostError> for SkillError {
    fn from(e: HostError) -> Self {
        match e {
            HostError::Unavailable(m) => SkillError::Unavailable(m),
            other => SkillError::Failed(other.to_string()),
        }
    }
}

impl SkillError {
    pub(crate) fn into_wit(self) -> wit::SkillError {
        match self {
            SkillError::InvalidInput(m) => wit::SkillError::InvalidInput(m),
            SkillError::Unavailable(m) => wit::SkillError::Unavailable(m),
            SkillError::Failed(m) => wit::SkillError::Failed(m),
        }
    }
}

/// What a skill declares about itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub name: String,
    pub version: String,
    pub summary: String,
    pub capabilities: Vec<String>,
    pub default_fuel: u64,
    pub input_schema: Value,
    pub output_schema: Value,
    /// What it reads from earlier steps and produces for later ones
    /// ([`baton_types::flow`]); written into the schemas by `describe`.
    #[serde(default, skip_serializing_if = "Flow::is_empty")]
    pub flow: Flow,
}

impl Manifest {
    /// A manifest with no capabilities, 50 million fuel and permissive schemas.
    pub fn new(name: &str, version: &str, summary: &str) -> Self {
        Manifest {
            name: name.to_owned(),
            version: version.to_owned(),
            summary: summary.to_owned(),
            capabilities: Vec::new(),
            default_fuel: 50_000_000,
            input_schema: serde_json::json!({ "type": "object" }),
            output_schema: serde_json::json!({ "type": "object" }),
            flow: Flow::default(),
        }
    }

    /// Declare a data-flow name the skill cannot run without (e.g.
    /// [`names::MEETING_ACTION_ITEMS`](baton_types::flow::names)): a
    /// sequence laid out by flow runs the step after the one producing it.
    pub fn needs(mut self, name: &str) -> Self {
        self.flow.needs.push(name.to_owned());
        self
    }

    /// Declare a name the skill reads when an earlier step produces it.
    pub fn uses(mut self, name: &str) -> Self {
        self.flow.uses.push(name.to_owned());
        self
    }

    /// Declare a name the skill's output carries.
    pub fn produces(mut self, name: &str) -> Self {
        self.flow.produces.push(name.to_owned());
        self
    }

    /// Declare a capability the skill needs (e.g. `context:org`, `llm`).
    pub fn capability(mut self, capability: &str) -> Self {
        self.capabilities.push(capability.to_owned());
        self
    }

    /// Fuel one call usually needs.
    pub fn default_fuel(mut self, fuel: u64) -> Self {
        self.default_fuel = fuel;
        self
    }

    /// The step params' JSON Schema, derived from the type the skill reads
    /// them into (`input.params::<T>()`).
    pub fn params<T: schemars::JsonSchema>(self) -> Self {
        self.input_schema(schemars::schema_for!(T).to_value())
    }

    /// The output data's JSON Schema, derived from the type the skill
    /// serializes it from. The schema describes what serializing `T` writes
    /// (schemars' serialize contract): an `Option` field is required and may
    /// be `null`; only a field with `skip_serializing_if` may be absent.
    pub fn output<T: schemars::JsonSchema>(self) -> Self {
        let schema = schemars::generate::SchemaSettings::draft2020_12()
            .for_serialize()
            .into_generator()
            .into_root_schema_for::<T>();
        self.output_schema(schema.to_value())
    }

    /// JSON Schema of the step params.
    pub fn input_schema(mut self, schema: Value) -> Self {
        self.input_schema = schema;
        self
    }

    /// JSON Schema of the output data.
    pub fn output_schema(mut self, schema: Value) -> Self {
        self.output_schema = schema;
        self
    }

    pub(crate) fn into_wit(mut self) -> wit::Manifest {
        self.flow
            .annotate(&mut self.input_schema, &mut self.output_schema);
        wit::Manifest {
            name: self.name,
            version: self.version,
            summary: self.summary,
            capabilities: self.capabilities,
            default_fuel: self.default_fuel,
            input_schema: self.input_schema.to_string(),
            output_schema: self.output_schema.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Deserialize, schemars::JsonSchema)]
    #[serde(deny_unknown_fields)]
    struct Params {
        #[serde(default = "ten")]
        #[schemars(range(min = 1, max = 20))]
        max: usize,
    }

    fn ten() -> usize {
        10
    }

    #[derive(Serialize, schemars::JsonSchema)]
    struct Out {
        always: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        sometimes: Option<String>,
    }

    #[test]
    fn two_decimals_rounds_an_f32_as_written() {
        assert_eq!(two_decimals(0.85f32), 0.85);
        assert_eq!(two_decimals(0.125), 0.13);
        assert_eq!(
            to_data(&two_decimals(0.6f32)).expect("serializes"),
            json!(0.6)
        );
    }

    #[test]
    fn an_output_schema_describes_what_serializing_writes() {
        let m = Manifest::new("x", "0.1.0", "x").output::<Out>();
        let s = &m.output_schema;
        assert_eq!(s["required"], json!(["always"]), "{s}");
        assert_eq!(s["properties"]["always"]["type"], json!(["string", "null"]));
        assert_eq!(
            s["properties"]["sometimes"]["type"],
            json!(["string", "null"])
        );
    }

    #[test]
    fn a_params_schema_comes_from_the_params_type() {
        let m = Manifest::new("x", "0.1.0", "x").params::<Params>();
        let s = &m.input_schema;
        assert_eq!(s["type"], "object");
        assert_eq!(s["additionalProperties"], false);
        assert_eq!(
            s["properties"]["max"],
            json!({ "type": "integer", "format": "uint", "minimum": 1, "maximum": 20, "default": 10 })
        );
        assert!(
            s.get("required").is_none(),
            "defaulted fields are optional: {s}"
        );
        let p: Params = serde_json::from_value(json!({})).expect("reads");
        assert_eq!(p.max, 10);
    }
}
