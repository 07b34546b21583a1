//! Declared data flow: what a skill reads from earlier steps of its job and
//! what it produces for later ones, by name (`meeting.action_items`), so a
//! sequence with `order = "flow"` can be laid out by baton instead of by
//! hand. Declared by skills (through `baton_sdk::Manifest::needs`,
//! `uses` and `produces`), read by the host when it loads a skill.
//!
//! The contract's `manifest` record (WIT `baton:skill@0.1.0`) has no field
//! for it, and adding one is a breaking release of the contract; so the
//! declaration travels as annotation keywords of the manifest's schemas,
//! which JSON Schema lets a validator ignore: `x-baton-needs` and
//! `x-baton-uses` on the params schema (what a call reads), `x-baton-produces`
//! on the output schema (what it writes). Any toolchain that can write a
//! schema (componentize-py, componentize-js) can declare them too.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The params-schema keyword listing the names a skill cannot run without.
pub const NEEDS: &str = "x-baton-needs";
/// The params-schema keyword listing the names a skill reads when present.
pub const USES: &str = "x-baton-uses";
/// The output-schema keyword listing the names a skill's output carries.
pub const PRODUCES: &str = "x-baton-produces";

/// The names the shipped skills exchange, each with the type that carries
/// it (the field of the producing step's output the readers deserialize).
pub mod names {
    /// `action_items`: `baton_sdk::meeting::ActionItem`s (extract-action-items).
    pub const MEETING_ACTION_ITEMS: &str = "meeting.action_items";
    /// `intents`: `baton_sdk::meeting::Detection`s (detect-intents).
    pub const MEETING_INTENTS: &str = "meeting.intents";
    /// `suggestions`: next actions (suggest-next-actions).
    pub const MEETING_SUGGESTIONS: &str = "meeting.suggestions";
    /// A call's coaching analysis (coaching-analysis).
    pub const MEETING_COACHING: &str = "meeting.coaching";
    /// A scheduling request read from the event (parse-scheduling-request).
    pub const SCHEDULING_REQUEST: &str = "scheduling.request";
    /// Free slots found for a request (find-available-slots).
    pub const SCHEDULING_SLOTS: &str = "scheduling.slots";
    /// An email's intent verdict (classify-email-intent).
    pub const EMAIL_VERDICT: &str = "email.verdict";
    /// The CRM contact an email is from (match-to-crm-contact).
    pub const EMAIL_CONTACT: &str = "email.contact";
    /// A text composed for Slack delivery: `baton_types::brief::Composed`.
    pub const SLACK_BRIEFING: &str = "slack.briefing";
    /// The pipeline's analysis for the morning brief (pipeline-analysis).
    pub const PIPELINE_ANALYSIS: &str = "pipeline.analysis";
    /// Pre-meeting research, one name per source.
    pub const BRIEFING_ATTENDEES: &str = "briefing.attendees";
    /// See [`BRIEFING_ATTENDEES`].
    pub const BRIEFING_CRM_HISTORY: &str = "briefing.crm_history";
    /// See [`BRIEFING_ATTENDEES`].
    pub const BRIEFING_OPEN_ITEMS: &str = "briefing.open_items";
    /// See [`BRIEFING_ATTENDEES`].
    pub const BRIEFING_NEWS: &str = "briefing.news";
    /// The chosen proposal template (select-proposal-template).
    pub const PROPOSAL_TEMPLATE: &str = "proposal.template";
    /// The populated proposal (populate-proposal).
    pub const PROPOSAL_POPULATED: &str = "proposal.populated";
    /// Sections written for this prospect (generate-custom-sections).
    pub const PROPOSAL_SECTIONS: &str = "proposal.sections";
    /// Content matched to a request (find-content).
    pub const CONTENT_MATCHES: &str = "content.matches";
    /// Events that give a stalled deal a reason to write (research-trigger-events).
    pub const DEAL_TRIGGERS: &str = "deal.triggers";
    /// Why a deal stalled (analyse-stall-reason).
    pub const DEAL_STALL: &str = "deal.stall";
}

/// One skill's declared data flow.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flow {
    /// Names the skill cannot run without: a sequence laid out by flow
    /// refuses it unless an earlier step produces each one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub needs: Vec<String>,
    /// Names it reads when a step produces them, and does without otherwise.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub uses: Vec<String>,
    /// Names its output carries.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub produces: Vec<String>,
}

impl Flow {
    /// Whether nothing is declared.
    pub fn is_empty(&self) -> bool {
        self.needs.is_empty() && self.uses.is_empty() && self.produces.is_empty()
    }

    /// Read the declaration from a manifest's params and output schemas;
    /// the message names the keyword and the bad value.
    pub fn from_schemas(params: &Value, output: &Value) -> Result<Flow, String> {
        Ok(Flow {
            needs: names_at(params, NEEDS)?,
            uses: names_at(params, USES)?,
            produces: names_at(output, PRODUCES)?,
        })
    }

    /// Write the declaration into a manifest's params and output schemas
    /// (each must be an object; a boolean schema is left as it is).
    pub fn annotate(&self, params: &mut Value, output: &mut Value) {
        let put = |schema: &mut Value, key: &str, names: &[String]| {
            if let (Value::Object(map), false) = (schema, names.is_empty()) {
                map.insert(key.to_owned(), Value::from(names.to_vec()));
            }
        };
        put(params, NEEDS, &self.needs);
        put(params, USES, &self.uses);
        put(output, PRODUCES, &self.produces);
    }
}

/// A data-flow name: dot-separated words of lowercase letters, digits and
/// `_`, each starting with a letter, at most 64 bytes (`meeting.intents`).
pub fn is_name(s: &str) -> bool {
    s.len() <= 64
        && !s.is_empty()
        && s.split('.').all(|w| {
            w.starts_with(|c: char| c.is_ascii_lowercase())
                && w.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        })
}

/// The names listed under `key` of `schema` (none when absent).
fn names_at(schema: &Value, key: &str) -> Result<Vec<String>, String> {
    let Some(v) = schema.get(key) else {
        return Ok(Vec::new());
    };
    let list = v
        .as_array()
        .ok_or_else(|| format!("`{key}` must be a list of names"))?;
    let mut out: Vec<String> = Vec::new();
    for n in list {
        match n.as_str() {
            Some(s) if is_name(s) => {
                if !out.iter().any(|o| o == s) {
                    out.push(s.to_owned());
                }
            }
            _ => {
                return Err(format!(
                    "`{key}` lists {n}, which is not a data-flow name \
                     (dot-separated lowercase words, e.g. `meeting.intents`)"
                ));
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_declaration_survives_the_schemas() {
        let flow = Flow {
            needs: vec![names::MEETING_ACTION_ITEMS.into()],
            uses: vec![names::MEETING_INTENTS.into()],
            produces: vec![names::MEETING_SUGGESTIONS.into()],
        };
        let (mut params, mut output) = (json!({ "type": "object" }), json!({ "type": "object" }));
        flow.annotate(&mut params, &mut output);
        assert_eq!(params[NEEDS], json!(["meeting.action_items"]));
        assert_eq!(Flow::from_schemas(&params, &output), Ok(flow));
        assert_eq!(
            Flow::from_schemas(&json!(true), &json!({})),
            Ok(Flow::default())
        );
    }

    #[test]
    fn bad_names_are_refused_naming_the_keyword() {
        for bad in [
            json!("meeting.intents"),
            json!(["Meeting"]),
            json!([""]),
            json!(["a..b"]),
            json!([3]),
        ] {
            let e = Flow::from_schemas(&json!({ NEEDS: bad }), &json!({}));
            assert!(e.as_ref().is_err_and(|e| e.contains(NEEDS)), "{e:?}");
        }
        assert!(is_name("deal.stall_reason2"));
        assert!(!is_name("deal.2x"));
    }
}
