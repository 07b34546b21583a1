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
    pub fn conform(self, schema: &Schema) -> Result<Self, RuntimeError> {
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
                        kind: match a.kind {
                            wit::ActionKind::EmailSend => ActionKind::EmailSend,
                            wit::ActionKind::CrmUpdate => ActionKind::CrmUpdate,
                            wit::ActionKind::TaskCreate => ActionKind::TaskCreate,
                            wit::ActionKind::SlackPost => ActionKind::SlackPost,
                            wit::ActionKind::CalendarInvite => ActionKind::CalendarInvite,
                            wit::ActionKind::ProposalSend => ActionKind::ProposalSend,
                        },
                        payload: parse("action payload", &a.payload)?,
                        preview: a.preview,
                    })
                })
                .collect::<Result<_, _>>()?,
        })
    }
}
