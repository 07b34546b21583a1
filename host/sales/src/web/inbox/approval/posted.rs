//! Reading a posted gate form: the decision it makes (an edit read into
//! the draft it replaces), or the "Not right" feedback it gives.

use super::super::proposal_gate;
use super::{crm, draft, email};
use crate::web::store::{ActionKind, PendingAction};
use baton_engine::orchestrator::Feedback;
use baton_engine::runtime::Decision;

/// Read a posted "Not right" form.
pub(super) fn feedback(fields: &[(String, String)]) -> Result<Feedback, String> {
    let get = |k: &str| fields.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    let ticked: Vec<String> = fields
        .iter()
        .filter(|(n, _)| n == "label")
        .map(|(_, v)| v.clone())
        .collect();
    Feedback::read(get("reason"), &ticked, get("note"))
}

/// Read the decision a form posted.
pub(super) fn decision(g: &PendingAction, fields: &[(String, String)]) -> Result<Decision, String> {
    let get = |k: &str| fields.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    match get("decision").unwrap_or("") {
        "approve" => Ok(Decision::Approved),
        "skip" => Ok(Decision::Skipped),
        "cancel" => Ok(Decision::Cancelled),
        "choose" => get("option")
            .and_then(|o| o.parse().ok())
            .map(Decision::Chosen)
            .ok_or_else(|| "pick one option".to_owned()),
        "items" => {
            let checked: Vec<usize> = fields
                .iter()
                .filter(|(n, _)| n == "item")
                .filter_map(|(_, v)| v.parse().ok())
                .collect();
            Ok(Decision::PerItem(
                (0..g.options.len()).map(|i| checked.contains(&i)).collect(),
            ))
        }
        "edit" => {
            let Some((kind, payload)) = draft(g) else {
                return Err("this approval holds no draft to edit".into());
            };
            if kind == Some(ActionKind::ProposalSend) && get("payload").is_none() {
                proposal_gate::edited(payload, &|k| get(k).map(str::to_owned)).map(Decision::Edited)
            } else if kind == Some(ActionKind::EmailSend) {
                email::edited(
                    payload,
                    get("subject").unwrap_or(""),
                    get("body").unwrap_or(""),
                )
                .map(Decision::Edited)
            } else if kind == Some(ActionKind::CrmUpdate) && get("payload").is_none() {
                crm::edited(payload, &|k| get(k).map(str::to_owned)).map(Decision::Edited)
            } else {
                serde_json::from_str(get("payload").unwrap_or(""))
                    .map(Decision::Edited)
                    .map_err(|e| format!("the payload is not JSON: {e}"))
            }
        }
        other => Err(format!("`{other}` is not a decision")),
    }
}
