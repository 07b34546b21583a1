//! A candidate judged by what reps decided (`--against-decisions`): for
//! each replayed run whose gate a rep decided, whether the candidate's
//! draft is closer to what the rep did than the live version's was.
//! - approved as it was: the candidate keeps the approved draft (good) or
//!   changes it;
//! - edited: its draft is closer to the rep's edit than the live draft
//!   was, as far, or farther (the word-level [`distance`]);
//! - dismissed (skipped, cancelled, every item dropped): it proposes
//!   nothing now (good), or still proposes.
//!
//! Expired and superseded gates say nothing of what a rep wanted; they are
//! left out.

use crate::distance::{distance, draft};
use crate::runtime::Decision;
use crate::store::{GateKind, GateStatus, PendingAction};
use serde::Serialize;
use serde_json::Value;

/// What a rep did with the live version's suggestion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Decided {
    Approved,
    Edited,
    Dismissed,
}

impl Decided {
    /// As a person reads it: "approved", "edited", "dismissed".
    pub fn as_str(self) -> &'static str {
        match self {
            Decided::Approved => "approved",
            Decided::Edited => "edited",
            Decided::Dismissed => "dismissed",
        }
    }
}

/// How the candidate's output meets the rep's decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Judged {
    /// Approved: the same draft.
    Kept,
    /// Approved: a different draft.
    Changed,
    /// Edited: nearer the rep's edit than the live draft.
    Closer,
    /// Edited: as near as the live draft.
    AsFar,
    /// Edited: farther from the rep's edit.
    Farther,
    /// Dismissed: it proposes nothing now.
    Withdrawn,
    /// Dismissed: it still proposes something.
    StillProposed,
}

impl Judged {
    /// As a person reads it.
    pub fn as_str(self) -> &'static str {
        match self {
            Judged::Kept => "kept the approved draft",
            Judged::Changed => "changed the approved draft",
            Judged::Closer => "closer to the rep's edit",
            Judged::AsFar => "as far from the rep's edit",
            Judged::Farther => "farther from the rep's edit",
            Judged::Withdrawn => "proposes nothing now",
            Judged::StillProposed => "still proposes",
        }
    }
}

/// One run scored against its gate's decision.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scored {
    pub decided: Decided,
    pub judged: Judged,
    /// For an edit: how far each side's draft is from it (0 to 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub live_distance: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub candidate_distance: Option<f64>,
}

/// Totals of the scored runs, by what the rep decided.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Totals {
    pub approved: u64,
    pub kept: u64,
    pub changed: u64,
    pub edited: u64,
    pub closer: u64,
    pub as_far: u64,
    pub farther: u64,
    pub dismissed: u64,
    pub withdrawn: u64,
    pub still_proposed: u64,
}

impl Totals {
    /// Count `s`.
    pub fn add(&mut self, s: &Scored) {
        match s.decided {
            Decided::Approved => self.approved += 1,
            Decided::Edited => self.edited += 1,
            Decided::Dismissed => self.dismissed += 1,
        }
        match s.judged {
            Judged::Kept => self.kept += 1,
            Judged::Changed => self.changed += 1,
            Judged::Closer => self.closer += 1,
            Judged::AsFar => self.as_far += 1,
            Judged::Farther => self.farther += 1,
            Judged::Withdrawn => self.withdrawn += 1,
            Judged::StillProposed => self.still_proposed += 1,
        }
    }
}

/// The decided step gate of a run's step among its job's `gates`.
pub(super) fn gate_of<'a>(gates: &'a [PendingAction], step: &str) -> Option<&'a PendingAction> {
    gates.iter().rev().find(|g| {
        g.step_name == step && g.kind == GateKind::Step && g.status == GateStatus::Decided
    })
}

/// Score `candidate`'s output (`{data, actions}`) against what the rep
/// did at `gate` with `live`'s (the gate's body: what the rep was shown);
/// `None` when the decision says nothing to score by.
pub(super) fn score(gate: &PendingAction, live: &Value, candidate: &Value) -> Option<Scored> {
    let decision: Decision = serde_json::from_value(gate.decision.clone()?).ok()?;
    let proposes = |o: &Value| o["actions"].as_array().is_some_and(|a| !a.is_empty());
    let scored = |decided, judged| Scored {
        decided,
        judged,
        live_distance: None,
        candidate_distance: None,
    };
    Some(match decision {
        Decision::Approved => {
            if draft(candidate) == draft(live) {
                scored(Decided::Approved, Judged::Kept)
            } else {
                scored(Decided::Approved, Judged::Changed)
            }
        }
        Decision::Chosen(n) => {
            let option = |o: &Value| o["actions"].get(n as usize).map(|a| a["payload"].clone());
            if option(candidate) == option(live) {
                scored(Decided::Approved, Judged::Kept)
            } else {
                scored(Decided::Approved, Judged::Changed)
            }
        }
        Decision::PerItem(keep) if keep.contains(&true) => {
            if candidate["actions"] == live["actions"] {
                scored(Decided::Approved, Judged::Kept)
            } else {
                scored(Decided::Approved, Judged::Changed)
            }
        }
        Decision::Edited(edit) => {
            let (l, c) = (
                distance(draft(live), &edit),
                distance(draft(candidate), &edit),
            );
            let judged = if (c - l).abs() < 1e-9 {
                Judged::AsFar
            } else if c < l {
                Judged::Closer
            } else {
                Judged::Farther
            };
            Scored {
                decided: Decided::Edited,
                judged,
                live_distance: Some(l),
                candidate_distance: Some(c),
            }
        }
        Decision::Skipped | Decision::Cancelled | Decision::PerItem(_) => {
            if proposes(candidate) {
                scored(Decided::Dismissed, Judged::StillProposed)
            } else {
                scored(Decided::Dismissed, Judged::Withdrawn)
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn gate(decision: Value) -> PendingAction {
        PendingAction {
            id: crate::store::GateId::from("g"),
            org_id: crate::store::OrgId::from("o"),
            job_id: crate::store::JobId::from("j"),
            user_id: crate::store::UserId::from("u"),
            step_index: 0,
            step_name: "draft".into(),
            gate_key: "step:draft".into(),
            kind: GateKind::Step,
            pattern: crate::runtime::Pattern::Confirm,
            title: String::new(),
            body: json!({}),
            options: Vec::new(),
            status: GateStatus::Decided,
            decision: Some(decision),
            decided_by: None,
            decision_note: None,
            decided_at: None,
            expires_at: 0,
            on_expiry: crate::store::OnExpiry::Skip,
            created_at: 0,
            basis: None,
            send_at: None,
        }
    }

    fn email(body: &str) -> Value {
        json!({ "data": {}, "actions": [{ "kind": "email_send", "preview": "p",
            "payload": { "subject": "Next steps", "body": body } }] })
    }

    #[test]
    fn a_candidate_is_scored_by_what_the_rep_did() {
        let live = email("Thanks for today.");
        let approved = gate(json!({ "decision": "approved" }));
        let judged = |g: &PendingAction, c: &Value| score(g, &live, c).map(|s| s.judged);
        assert_eq!(judged(&approved, &live), Some(Judged::Kept));
        assert_eq!(judged(&approved, &email("Hello.")), Some(Judged::Changed));

        let edited = gate(json!({ "decision": "edited", "value":
            { "subject": "Next steps", "body": "Thanks for the call today, Marta." } }));
        let closer = score(&edited, &live, &email("Thanks for the call today.")).expect("scored");
        assert_eq!(closer.judged, Judged::Closer);
        assert!(
            closer.candidate_distance < closer.live_distance,
            "{closer:?}"
        );
        assert_eq!(judged(&edited, &live), Some(Judged::AsFar));
        assert_eq!(
            judged(&edited, &email("Hello there.")),
            Some(Judged::Farther)
        );

        let skipped = gate(json!({ "decision": "skipped" }));
        assert_eq!(judged(&skipped, &live), Some(Judged::StillProposed));
        let nothing = json!({ "data": {}, "actions": [] });
        assert_eq!(judged(&skipped, &nothing), Some(Judged::Withdrawn));
        let none_kept = gate(json!({ "decision": "per_item", "value": [false, false] }));
        assert_eq!(judged(&none_kept, &nothing), Some(Judged::Withdrawn));

        let mut totals = Totals::default();
        for s in [closer, score(&skipped, &live, &nothing).expect("scored")] {
            totals.add(&s);
        }
        assert_eq!(
            (
                totals.edited,
                totals.closer,
                totals.dismissed,
                totals.withdrawn
            ),
            (1, 1, 1, 1)
        );
    }
}
