//! "Not right" on a gate: a skip that records why. What the gate
//! suggested decides which labels a correction may name ([`Labels`], from
//! the app that made the suggestion: any number of its vocabulary, or
//! exactly one); a gate no app labels takes a reason and a note only.

use super::approvals::{Decider, MAX_NOTE, decide, gate_for};
use super::conductor::{Orchestrator, OrchestratorError};
use super::extension::Labels;
use crate::runtime::Decision;
use crate::store::{
    FeedbackReason, FeedbackRecord, GateId, GateStatus, NONE_OF_THEM, OrgId, PendingAction,
};

/// What a rep said was wrong with a suggestion.
#[derive(Debug, Clone, PartialEq)]
pub struct Feedback {
    pub reason: FeedbackReason,
    /// The labels it should have had: `Some(vec![])` is "none of them",
    /// `None` is "not said". Only with [`FeedbackReason::WrongIntent`].
    pub labels: Option<Vec<String>>,
    /// Free text, at most [`MAX_NOTE`] characters.
    pub note: Option<String>,
}

impl Feedback {
    /// Read what a person gave in a form (the inbox's, Slack's modal): a
    /// `reason` in its wire form, the labels they ticked ([`NONE_OF_THEM`]
    /// alone for "none of them", nothing for "not said"), a note. The
    /// message says what to fix.
    pub fn read(
        reason: Option<&str>,
        ticked: &[String],
        note: Option<&str>,
    ) -> Result<Feedback, String> {
        let reason = match reason.map(str::trim) {
            None | Some("") => return Err("pick what was wrong".into()),
            Some(r) => FeedbackReason::from_wire(r)?,
        };
        let ticked: Vec<String> = ticked
            .iter()
            .map(|l| l.trim())
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect();
        let labels = match ticked.iter().any(|l| l == NONE_OF_THEM) {
            true if ticked.len() > 1 => {
                return Err(
                    "tick \u{201c}none of these\u{201d} alone, or the labels it should have had"
                        .into(),
                );
            }
            true => Some(Vec::new()),
            false if ticked.is_empty() => None,
            false => Some(ticked),
        };
        Ok(Feedback {
            reason,
            labels,
            note: note
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .map(str::to_owned),
        })
    }
}

/// Check `feedback` against what the gate suggested: labels only with
/// `wrong_intent`, each from the gate's vocabulary (any number, put in the
/// labelling table's order, or exactly one); a note within [`MAX_NOTE`].
/// Returns the labels as they are stored.
fn check(
    gate: &PendingAction,
    suggested: Option<Labels>,
    feedback: &Feedback,
) -> Result<Option<Vec<String>>, OrchestratorError> {
    let bad = |m: String| Err(OrchestratorError::Invalid(m));
    if let Some(note) = &feedback.note
        && note.chars().count() > MAX_NOTE
    {
        return bad(format!("the note is longer than {MAX_NOTE} characters"));
    }
    let Some(labels) = &feedback.labels else {
        return Ok(None);
    };
    if feedback.reason != FeedbackReason::WrongIntent {
        return bad(format!(
            "labels go with the reason `wrong_intent`, not `{}`: they say what the suggestion should have been",
            feedback.reason
        ));
    }
    let Some(l) = suggested else {
        return bad(format!(
            "approval {} made no suggestion a label corrects: it takes a reason and a note, no labels",
            gate.id
        ));
    };
    let known = |x: &String| l.vocabulary.contains(&x.as_str());
    if !l.one {
        if let Some(x) = labels.iter().find(|x| !known(x)) {
            return bad(format!(
                "`{}` is not {}: use any of {} (or none)",
                x.escape_debug(),
                l.a_label,
                l.vocabulary.join(", ")
            ));
        }
        // The labelling table's order, each once.
        return Ok(Some(
            l.vocabulary
                .iter()
                .filter(|v| labels.iter().any(|x| x == *v))
                .map(|v| (*v).to_owned())
                .collect(),
        ));
    }
    match labels.as_slice() {
        [one] if known(one) => Ok(Some(labels.clone())),
        [one] => bad(format!(
            "`{}` is not {}: use one of {}",
            one.escape_debug(),
            l.a_label,
            l.vocabulary.join(", ")
        )),
        _ => bad(format!(
            "{} has exactly one label; {} were given",
            l.a_case,
            labels.len()
        )),
    }
}

impl Orchestrator {
    /// The labels a correction of `gate`'s suggestion may name, from the
    /// app that made it; none when no app labels it.
    pub async fn labels_of(
        &self,
        gate: &PendingAction,
    ) -> Result<Option<Labels>, OrchestratorError> {
        for app in self.extensions().iter() {
            if let Some(l) = app.labels(&self.store, &gate.org_id, &gate.job_id).await? {
                return Ok(Some(l));
            }
        }
        Ok(None)
    }

    /// Mark gate `id` of `org` "Not right": skip it (the suggestion is not
    /// carried out) and record `feedback` with the decision, once. Refused
    /// like any decision on a gate that is not open; labels that do not fit
    /// the gate are refused naming them.
    pub async fn mark_not_right(
        &self,
        org: &OrgId,
        id: &GateId,
        feedback: &Feedback,
        who: &Decider,
    ) -> Result<PendingAction, OrchestratorError> {
        let gate = gate_for(&self.store, org, id, who).await?;
        // A gate that is not open is refused as decided, whatever the
        // feedback says.
        let labels = if gate.status == GateStatus::Open {
            check(&gate, self.labels_of(&gate).await?, feedback)?
        } else {
            None
        };
        let record = FeedbackRecord {
            reason: feedback.reason,
            labels: labels.as_deref(),
            note: feedback.note.as_deref(),
        };
        let decided = decide(
            self,
            self.clock.now_ms(),
            org,
            id,
            Decision::Skipped,
            who,
            Some(record),
        )
        .await?;
        self.to_run.notify_one();
        Ok(decided)
    }
}
