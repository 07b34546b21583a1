//! A click on an approval request's button, read from its value
//! (`org:approval:decision`, made by `blocks::button_value`), and who may
//! act on it: the rep whose preferences hold the clicker's Slack user id,
//! on that rep's gates or their team's. Shared by the clicks (`slack.rs`)
//! and the "Not right" modal (`slack_not_right.rs`).

use crate::App;
use baton_engine::store::{GateId, OrgId, PendingAction, Reach, StoreError, UserId};

/// A button's decision, read from its value `org:approval:decision` (a
/// menu option's value has the same shape).
#[derive(Debug, Clone, PartialEq)]
pub struct Click {
    pub org: OrgId,
    pub approval: GateId,
    pub decision: String,
}

/// Parse a button value made by `blocks::button_value`.
pub fn parse_value(value: &str) -> Option<Click> {
    let mut parts = value.splitn(3, ':');
    let (org, approval, decision) = (parts.next()?, parts.next()?, parts.next()?);
    if org.is_empty() || approval.is_empty() || decision.is_empty() {
        return None;
    }
    Some(Click {
        org: OrgId::from(org),
        approval: GateId::from(approval),
        decision: decision.to_owned(),
    })
}

/// The rep a Slack user acts for, when they may decide `gate`: the rep
/// whose preferences hold their Slack user id, for that rep's gates and
/// their team's.
pub(super) async fn acting_for(
    app: &App,
    org: &OrgId,
    slack_user: &str,
    gate: &PendingAction,
) -> Result<Option<UserId>, StoreError> {
    let store = app.store();
    if slack_user.is_empty() {
        return Ok(None);
    }
    let Some(rep) = store.user_by_slack_id(org, slack_user).await? else {
        return Ok(None);
    };
    let reach = Reach::Team(rep.clone());
    Ok(store
        .reaches(org, &reach, &gate.user_id)
        .await?
        .then_some(rep))
}

/// What a person who clicked someone else's button is told.
pub(super) fn not_yours(owner: Option<&str>) -> String {
    match owner {
        Some(name) => {
            format!("This isn't yours to decide: it waits for {name}. Nothing was changed.")
        }
        None => "This isn't yours to decide. Nothing was changed.".to_owned(),
    }
}
