//! What one finished gate counts as: its outcome (accepted, edited,
//! dismissed, expired, superseded), the skill, label and action kind it is
//! counted under, and for an edit how far it moved the draft. The label
//! rule lives here and nowhere else.

use crate::store::success::FinishedGate;
use baton_engine::distance;
use baton_store::ActionKind;
use serde::Serialize;
use serde_json::Value;

/// How a suggestion ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Approved as proposed, an option chosen, or some batch items kept.
    Accepted,
    /// Approved with an edit.
    Edited,
    /// Skipped (a "Not right" too), cancelled, or a batch with every item
    /// dropped.
    Dismissed,
    /// Nobody answered before the gate expired.
    Expired,
    /// Withdrawn unanswered: what it was based on moved on.
    Superseded,
}

impl Outcome {
    /// Every outcome, in the order they are shown.
    pub const ALL: [Outcome; 5] = [
        Outcome::Accepted,
        Outcome::Edited,
        Outcome::Dismissed,
        Outcome::Expired,
        Outcome::Superseded,
    ];

    /// The name in JSON and in metric labels.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Accepted => "accepted",
            Outcome::Edited => "edited",
            Outcome::Dismissed => "dismissed",
            Outcome::Expired => "expired",
            Outcome::Superseded => "superseded",
        }
    }
}

/// The outcome of a finished gate; `None` for a gate that is neither
/// decided, expired nor superseded (the store reads no other).
pub fn outcome(g: &FinishedGate) -> Option<Outcome> {
    match g.status.as_str() {
        "expired" => Some(Outcome::Expired),
        "superseded" => Some(Outcome::Superseded),
        "decided" => Some(match g.decision.as_deref() {
            Some("approved" | "chosen") => Outcome::Accepted,
            Some("edited") => Outcome::Edited,
            Some("per_item") => {
                let kept: Vec<bool> = g
                    .kept
                    .as_deref()
                    .and_then(|k| serde_json::from_str(k).ok())
                    .unwrap_or_default();
                if kept.contains(&true) {
                    Outcome::Accepted
                } else {
                    Outcome::Dismissed
                }
            }
            // `skipped`, `cancelled`, and any way of saying no added later.
            _ => Outcome::Dismissed,
        }),
        _ => None,
    }
}

/// The skill a gate is counted under: the skill of the step that raised
/// it (`unknown` if its run is gone).
pub fn skill(g: &FinishedGate) -> String {
    g.skill
        .as_deref()
        .filter(|s| is_word(s))
        .unwrap_or("unknown")
        .to_owned()
}

/// The action kind a suggestion is counted under for trust: its first
/// proposed action's (`email_send`, `crm_update`, …), `none` when it shows
/// none.
pub fn kind(g: &FinishedGate) -> &'static str {
    g.action_kind
        .as_deref()
        .and_then(ActionKind::parse)
        .map_or("none", ActionKind::as_str)
}

/// How far an edit moved its draft, for an edited gate: the engine's
/// word-level distance between the draft (its first action's payload, or
/// the step's data: what an edit replaces) and the edit; 0 unchanged, 1
/// all new.
pub fn edit_distance(g: &FinishedGate) -> Option<f64> {
    if g.decision.as_deref() != Some("edited") {
        return None;
    }
    let body: Value = serde_json::from_str(g.draft.as_deref()?).ok()?;
    let edit: Value = serde_json::from_str(g.edit.as_deref()?).ok()?;
    Some(distance::distance(distance::draft(&body), &edit))
}

/// The label a suggestion is counted under, the one rule:
///
/// 1. the intent that led to it, when its job was queued by a detection:
///    the `label` a follow-up carries in its event payload (detect-intents
///    writes `commitment:send_proposal`, `commitment:schedule_meeting`,
///    `request:send_content`);
/// 2. for an inbound email (an `email_received` job, or a job it queued),
///    the classifier's intent, as `email:<intent>` (`email:needs_response`,
///    `email:meeting_request`, …);
/// 3. otherwise the kind of the gate's first proposed action (`email_send`,
///    `crm_update`, `task_create`, …);
/// 4. `other` for a skill's own gate that shows no action.
///
/// A label is a metric label: only short words of `a-z`, digits, `_`, `:`
/// and `-` are taken from the data; anything else falls to the next rule,
/// so no address or free text can become one.
pub fn label(g: &FinishedGate) -> String {
    if let Some(l) = g.chained_label.as_deref().filter(|l| is_word(l)) {
        return l.to_owned();
    }
    if let Some(i) = g.email_intent.as_deref().filter(|i| is_word(i)) {
        return format!("email:{i}");
    }
    if let Some(k) = g.action_kind.as_deref().and_then(ActionKind::parse) {
        return k.as_str().to_owned();
    }
    "other".into()
}

/// A word fit for a metric label: 1 to 48 characters of `a-z`, `0-9`,
/// `_`, `:`, `-`.
fn is_word(s: &str) -> bool {
    (1..=48).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"_:-".contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gate(status: &str, decision: Option<&str>) -> FinishedGate {
        FinishedGate {
            status: status.into(),
            decision: decision.map(Into::into),
            kept: None,
            decided_at: 0,
            skill: Some("draft-followup-email".into()),
            action_kind: Some("email_send".into()),
            event_type: "meeting_ended".into(),
            chained_label: None,
            email_intent: None,
            draft: None,
            edit: None,
        }
    }

    #[test]
    fn an_edit_is_measured_in_words_against_the_draft() {
        let mut g = gate("decided", Some("edited"));
        g.draft = Some(
            r#"{"data":{},"actions":[{"kind":"email_send","payload":{"to":"a@b.example","subject":"Next steps","body":"Hi Marta, thanks for today."}}]}"#.into(),
        );
        g.edit = Some(
            r#"{"to":"a@b.example","subject":"Next steps","body":"Hi Marta, thanks for the call today."}"#.into(),
        );
        // 8 words against 10: "the call" inserted.
        let d = edit_distance(&g).expect("a distance");
        assert!((d - 0.2).abs() < 1e-9, "{d}");
        g.edit = g.draft.as_ref().map(|d| {
            let v: Value = serde_json::from_str(d).expect("json");
            v["actions"][0]["payload"].to_string()
        });
        assert_eq!(edit_distance(&g), Some(0.0), "an edit that changed nothing");
        g.decision = Some("approved".into());
        assert_eq!(edit_distance(&g), None, "only an edit has one");
        assert_eq!(kind(&g), "email_send");
        g.action_kind = Some("fax".into());
        assert_eq!(kind(&g), "none");
    }

    #[test]
    fn decisions_map_to_outcomes() {
        let o = |s, d| outcome(&gate(s, d));
        assert_eq!(o("decided", Some("approved")), Some(Outcome::Accepted));
        assert_eq!(o("decided", Some("chosen")), Some(Outcome::Accepted));
        assert_eq!(o("decided", Some("edited")), Some(Outcome::Edited));
        assert_eq!(o("decided", Some("skipped")), Some(Outcome::Dismissed));
        assert_eq!(o("decided", Some("cancelled")), Some(Outcome::Dismissed));
        assert_eq!(o("expired", None), Some(Outcome::Expired));
        assert_eq!(o("superseded", None), Some(Outcome::Superseded));
        assert_eq!(o("open", None), None);
        let mut batch = gate("decided", Some("per_item"));
        batch.kept = Some("[false,true]".into());
        assert_eq!(outcome(&batch), Some(Outcome::Accepted));
        batch.kept = Some("[false,false]".into());
        assert_eq!(outcome(&batch), Some(Outcome::Dismissed));
    }

    #[test]
    fn the_label_is_the_detection_then_the_email_intent_then_the_action_kind() {
        let mut g = gate("decided", Some("approved"));
        assert_eq!(label(&g), "email_send");
        g.email_intent = Some("needs_response".into());
        assert_eq!(label(&g), "email:needs_response");
        g.chained_label = Some("commitment:send_proposal".into());
        assert_eq!(label(&g), "commitment:send_proposal");
        g.chained_label = Some("marta.ruiz@northwind.example".into());
        g.email_intent = Some("Please call me".into());
        assert_eq!(label(&g), "email_send", "free text never becomes a label");
        g.action_kind = None;
        assert_eq!(label(&g), "other");
        g.skill = Some("Not A Skill".into());
        assert_eq!(skill(&g), "unknown");
    }
}
