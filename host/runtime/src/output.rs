//! A skill's output as the host sees it: JSON parsed, size checked, and
//! its data checked against the skill's output schema.

use super::bindings::baton::skill::types as wit;
use super::error::{LimitKind, RuntimeError};
use super::schema::Schema;
use baton_types::{ActionKind, FollowUp, ProposedAction};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The result of a successful call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SkillOutput {
    pub data: Value,
    pub follow_ups: Vec<FollowUp>,
    pub actions: Vec<ProposedAction>,
}

impl SkillOutput {
    /// The output if its data matches `schema`; else the typed, terminal
    /// [`RuntimeError::OutputSchema`] naming where it does not.
    pub(crate) fn conform(self, schema: &Schema) -> Result<Self, RuntimeError> {
        match schema.check(&self.data) {
            Ok(()) => Ok(self),
            Err(v) => Err(RuntimeError::OutputSchema(v)),
        }
    }

    /// Check the size cap, then parse every JSON field.
    pub(crate) fn from_wit(out: wit::Output, max_bytes: usize) -> Result<Self, RuntimeError> {
        let size = out.data.len()
            + out
                .follow_ups
                .iter()
                .map(|f| f.event_type.len() + f.payload.len() + f.reason.len())
                .sum::<usize>()
            + out
                .actions
                .iter()
                .map(|a| a.preview.len() + a.payload.len())
                .sum::<usize>();
        if size > max_bytes {
            return Err(RuntimeError::Limit {
                kind: LimitKind::Output,
                detail: format!("output is {size} bytes, the cap is {max_bytes}"),
            });
        }
        let parse = |what: &str, text: &str| {
            serde_json::from_str::<Value>(text)
                .map_err(|e| RuntimeError::InvalidOutput(format!("{what} is not JSON: {e}")))
        };
        Ok(SkillOutput {
            data: parse("output data", &out.data)?,
            follow_ups: out
                .follow_ups
                .into_iter()
                .map(|f| {
                    if !(0.0..=1.0).contains(&f.confidence) {
                        return Err(RuntimeError::InvalidOutput(format!(
                            "follow-up `{}` has confidence {} outside [0, 1]",
                            f.event_type, f.confidence
                        )));
                    }
                    Ok(FollowUp {
                        payload: parse("follow-up payload", &f.payload)?,
                        event_type: f.event_type,
                        confidence: f.confidence,
                        reason: f.reason,
                    })
                })
                .collect::<Result<_, _>>()?,
            actions: out
                .actions
                .into_iter()
                .map(|a| {
                    Ok(ProposedAction {
                        kind: kind(a.kind)?,
                        payload: parse("action payload", &a.payload)?,
                        preview: a.preview,
                    })
                })
                .collect::<Result<_, _>>()?,
        })
    }
}

/// The kind a skill proposed: the WIT enum and [`ActionKind::ALL`] declare
/// the same kinds in the same order (the test below reads the contract), so
/// the runtime carries any kind the contract names without naming one.
fn kind(k: wit::ActionKind) -> Result<ActionKind, RuntimeError> {
    ActionKind::ALL.get(k as usize).copied().ok_or_else(|| {
        RuntimeError::InvalidOutput(format!(
            "action kind #{} is not one baton knows",
            k as usize
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::ActionKind;

    #[test]
    fn the_contracts_action_kinds_are_the_types_in_the_same_order() {
        let wit =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../wit/skill.wit"))
                .expect("wit/skill.wit");
        let body = wit
            .split("enum action-kind {")
            .nth(1)
            .and_then(|rest| rest.split('}').next())
            .expect("the contract declares `enum action-kind`");
        let declared: Vec<String> = body
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with("//"))
            .map(|l| l.trim_end_matches(',').replace('-', "_"))
            .collect();
        let ours: Vec<&str> = ActionKind::ALL.iter().map(|k| k.as_str()).collect();
        assert_eq!(declared, ours);
    }
}
