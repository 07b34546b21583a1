//! One engagement's state and the one way it changes: [`Engagement::apply`]
//! takes what happened ([`Happening`]) and returns the log entries it
//! makes; the caller stores the state and the entries together.

use super::workflow::Workflow;
use super::{EventType, TrackStatus, WorkflowStatus};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// A deal's engagement, as stored (`engagements.state`) and shown
/// (`GET /v1/deals/{id}/state`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Engagement {
    pub deal_id: String,
    pub workflow_type: String,
    /// The workflow version it last moved under.
    pub workflow_version: u32,
    pub stage: String,
    pub status: WorkflowStatus,
    pub tracks: Vec<Track>,
    /// What is known, each with where it came from.
    pub facts: BTreeMap<String, Fact>,
    #[serde(default)]
    pub assumptions: Vec<String>,
    #[serde(default)]
    pub conflicts: Vec<Conflict>,
    /// Facts the next transition needs and nobody has given.
    #[serde(default)]
    pub missing_info: Vec<String>,
    /// The decision someone has to make before it can move, if any.
    pub next_decision: Option<String>,
}

/// One of the engagement's parallel tracks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Track {
    pub name: String,
    pub status: TrackStatus,
    /// A role of the workflow.
    pub owner: String,
    pub dependencies: Vec<String>,
    pub blockers: Vec<String>,
    /// `YYYY-MM-DD`, when set.
    pub due_date: Option<String>,
}

/// A known fact and its source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fact {
    pub value: Value,
    /// What said so, e.g. `proposal 01J… v2 (accepted)`.
    pub source: String,
    pub at: i64,
}

/// Two sources disagreeing on a fact.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Conflict {
    pub fact: String,
    pub held: Fact,
    pub other: Fact,
    /// The track it stops.
    pub track: String,
}

/// Something that happened to the deal: an event of the workflow's (it
/// may move the stage or a track), with the facts it brings.
#[derive(Debug, Clone, PartialEq)]
pub struct Happening {
    /// The workflow event, e.g. `proposal_accepted`.
    pub event: String,
    /// Who did it (`rep:<handle>`, `prospect`, `baton`).
    pub actor: String,
    pub facts: Vec<(String, Fact)>,
    /// The artifact it concerns, e.g. a proposal's id.
    pub artifact: Option<String>,
    /// What shows it happened.
    pub evidence: String,
    /// An artifact it created or revised, logged as such with this note.
    pub artifact_log: Option<(EventType, String)>,
}

/// An entry for the event log.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NewEvent {
    pub event_type: EventType,
    pub track: Option<String>,
    pub artifact: Option<String>,
    pub decision: Option<String>,
    pub evidence: Option<String>,
    pub notes: Option<String>,
    pub from_stage: Option<String>,
    pub to_stage: Option<String>,
}

impl NewEvent {
    fn new(event_type: EventType) -> NewEvent {
        NewEvent {
            event_type,
            track: None,
            artifact: None,
            decision: None,
            evidence: None,
            notes: None,
            from_stage: None,
            to_stage: None,
        }
    }
}

/// What applying a happening did.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    /// The stage moved.
    Moved { from: String, to: String },
    /// The event would move the stage, but facts are missing.
    Missing { facts: Vec<String> },
    /// The event moves nothing from this stage (its facts and routes
    /// still apply).
    Stayed,
}

impl Engagement {
    /// A new engagement for `deal_id`, at the stage whose CRM stage is the
    /// deal's (the workflow's initial stage when none matches).
    pub fn start(w: &Workflow, deal_id: &str, crm_stage: &str) -> Engagement {
        let stage = w
            .stages
            .iter()
            .find(|s| s.crm_stage.as_deref() == Some(crm_stage))
            .map_or_else(|| w.initial.clone(), |s| s.name.clone());
        let mut e = Engagement {
            deal_id: deal_id.to_owned(),
            workflow_type: w.workflow_type.clone(),
            workflow_version: w.version,
            stage,
            status: WorkflowStatus::Active,
            tracks: w
                .tracks
                .iter()
                .map(|t| Track {
                    name: t.name.clone(),
                    status: if t.name == "lifecycle" {
                        TrackStatus::Active
                    } else {
                        TrackStatus::Draft
                    },
                    owner: t.owner.clone(),
                    dependencies: t.depends_on.clone(),
                    blockers: Vec::new(),
                    due_date: None,
                })
                .collect(),
            facts: BTreeMap::new(),
            assumptions: Vec::new(),
            conflicts: Vec::new(),
            missing_info: Vec::new(),
            next_decision: None,
        };
        e.status = e.derived_status(w);
        e
    }

    /// Apply `h` under `w`: record its facts, make the transition its event
    /// makes from the current stage when every fact it requires is known,
    /// and apply the event's routes to the tracks. Returns what it did and
    /// the log entries, in order.
    pub fn apply(&mut self, w: &Workflow, h: &Happening) -> (Outcome, Vec<NewEvent>) {
        let mut log = Vec::new();
        for (name, fact) in &h.facts {
            self.facts.insert(name.clone(), fact.clone());
        }
        let outcome = match w.transition(&self.stage, &h.event) {
            None => Outcome::Stayed,
            Some(t) => {
                let missing: Vec<String> = t
                    .requires
                    .iter()
                    .filter(|f| !self.facts.contains_key(*f))
                    .cloned()
                    .collect();
                if missing.is_empty() {
                    let from = std::mem::replace(&mut self.stage, t.to.clone());
                    self.missing_info.clear();
                    self.next_decision = None;
                    let mut e = NewEvent::new(EventType::DecisionRecorded);
                    e.track = Some("lifecycle".into());
                    e.decision = Some(format!("{}: {from} → {}", h.event, t.to));
                    e.from_stage = Some(from.clone());
                    e.to_stage = Some(t.to.clone());
                    log.push(e);
                    Outcome::Moved {
                        from,
                        to: t.to.clone(),
                    }
                } else {
                    let blocker = format!("{} needs {}", h.event, missing.join(", "));
                    self.missing_info = missing.clone();
                    self.next_decision = Some(format!(
                        "Give {} so the engagement can move from {} to {}",
                        missing.join(", "),
                        t.from,
                        t.to
                    ));
                    if let Some(track) = self.track_mut("lifecycle")
                        && !track.blockers.contains(&blocker)
                    {
                        track.blockers.push(blocker.clone());
                        let mut e = NewEvent::new(EventType::BlockerAdded);
                        e.track = Some("lifecycle".into());
                        e.notes = Some(blocker);
                        log.push(e);
                    }
                    Outcome::Missing { facts: missing }
                }
            }
        };
        for route in w.routes(&h.event) {
            let Some(track) = self.track_mut(&route.track) else {
                continue;
            };
            if track.status == route.status {
                continue;
            }
            let was = track.status;
            track.status = route.status;
            let kind = match (was, route.status) {
                (_, TrackStatus::Blocked) => {
                    track.blockers.push(route.note.clone());
                    EventType::BlockerAdded
                }
                (TrackStatus::Blocked, _) => {
                    track.blockers.clear();
                    EventType::BlockerRemoved
                }
                (_, TrackStatus::Complete | TrackStatus::Superseded) => EventType::TrackClosed,
                _ => EventType::TrackStarted,
            };
            let mut e = NewEvent::new(kind);
            e.track = Some(route.track.clone());
            e.notes = Some(route.note.clone());
            log.push(e);
        }
        if let Some((kind, note)) = &h.artifact_log {
            let mut e = NewEvent::new(*kind);
            e.track = Some("commercial".into());
            e.notes = Some(note.clone());
            log.insert(0, e);
        }
        if log.is_empty() {
            // Every happening leaves a trace, even one that moved nothing.
            let mut e = NewEvent::new(EventType::DecisionRecorded);
            e.decision = Some(h.event.clone());
            log.push(e);
        }
        for e in &mut log {
            e.artifact = h.artifact.clone();
            e.evidence = Some(h.evidence.clone());
        }
        self.workflow_version = w.version;
        self.status = self.derived_status(w);
        (outcome, log)
    }

    fn track_mut(&mut self, name: &str) -> Option<&mut Track> {
        self.tracks.iter_mut().find(|t| t.name == name)
    }

    /// Closed at a terminal stage; blocked while a conflict stands or a
    /// track is blocked; active otherwise.
    fn derived_status(&self, w: &Workflow) -> WorkflowStatus {
        if w.stage(&self.stage).is_some_and(|s| s.terminal) {
            WorkflowStatus::Closed
        } else if !self.conflicts.is_empty()
            || self.tracks.iter().any(|t| t.status == TrackStatus::Blocked)
        {
            WorkflowStatus::Blocked
        } else {
            WorkflowStatus::Active
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fact(v: Value) -> Fact {
        Fact {
            value: v,
            source: "test".into(),
            at: 1,
        }
    }

    fn happening(event: &str, facts: &[&str]) -> Happening {
        Happening {
            event: event.into(),
            actor: "prospect".into(),
            facts: facts
                .iter()
                .map(|f| ((*f).to_owned(), fact(Value::from(1))))
                .collect(),
            artifact: Some("p1".into()),
            evidence: "the link page".into(),
            artifact_log: None,
        }
    }

    #[test]
    fn an_engagement_starts_at_the_deals_crm_stage() {
        let w = Workflow::shipped();
        assert_eq!(Engagement::start(&w, "d", "proposal").stage, "proposal");
        assert_eq!(Engagement::start(&w, "d", "negotiation").stage, "contract");
        assert_eq!(
            Engagement::start(&w, "d", "something else").stage,
            "discovery"
        );
    }

    #[test]
    fn acceptance_moves_to_contract_and_starts_the_commercial_track() {
        let w = Workflow::shipped();
        let mut e = Engagement::start(&w, "d", "proposal");
        let (out, log) = e.apply(
            &w,
            &happening("proposal_accepted", &["accepted_proposal", "fees"]),
        );
        assert_eq!(
            out,
            Outcome::Moved {
                from: "proposal".into(),
                to: "contract".into()
            }
        );
        assert_eq!(e.stage, "contract");
        let kinds: Vec<EventType> = log.iter().map(|l| l.event_type).collect();
        assert_eq!(
            kinds,
            [EventType::DecisionRecorded, EventType::TrackStarted]
        );
        assert!(log.iter().all(|l| l.artifact.as_deref() == Some("p1")));
        let commercial = e.tracks.iter().find(|t| t.name == "commercial").unwrap();
        assert_eq!(commercial.status, TrackStatus::Active);
        assert_eq!(e.status, WorkflowStatus::Active);
    }

    #[test]
    fn a_transition_without_its_facts_stays_and_names_them() {
        let w = Workflow::shipped();
        let mut e = Engagement::start(&w, "d", "proposal");
        let (out, log) = e.apply(&w, &happening("proposal_accepted", &["accepted_proposal"]));
        assert_eq!(
            out,
            Outcome::Missing {
                facts: vec!["fees".into()]
            }
        );
        assert_eq!(e.stage, "proposal");
        assert_eq!(e.missing_info, ["fees"]);
        assert!(e.next_decision.as_deref().unwrap().contains("fees"));
        assert_eq!(log[0].event_type, EventType::BlockerAdded);
        // Applied again, the same blocker is not logged twice.
        let (_, again) = e.apply(&w, &happening("proposal_accepted", &[]));
        assert!(
            again
                .iter()
                .all(|l| l.event_type != EventType::BlockerAdded)
        );
    }

    #[test]
    fn a_dispute_blocks_the_commercial_track_and_the_engagement() {
        let w = Workflow::shipped();
        let mut e = Engagement::start(&w, "d", "negotiation");
        let (out, log) = e.apply(&w, &happening("billing_dispute", &[]));
        assert_eq!(out, Outcome::Stayed);
        assert_eq!(log[0].event_type, EventType::BlockerAdded);
        assert_eq!(e.status, WorkflowStatus::Blocked);
    }

    #[test]
    fn a_terminal_stage_closes_the_engagement() {
        let w = Workflow::shipped();
        let mut e = Engagement::start(&w, "d", "proposal");
        e.apply(&w, &happening("engagement_lost", &["loss_reason"]));
        assert_eq!(
            (e.stage.as_str(), e.status),
            ("lost", WorkflowStatus::Closed)
        );
    }
}
