//! One engagement's state and the one way it changes: [`Engagement::apply`]
//! takes what happened ([`Happening`]) and returns the log entries it
//! makes; the caller stores the state and the entries together.

use super::ApprovalClass;
use super::approval::{Approval, ApprovalStep, Approvals};
use super::log::{NewEvent, Refused};
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
    /// Every approval asked, the superseded ones kept.
    #[serde(default)]
    pub approvals: Approvals,
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
    /// What said so, e.g. `proposal v2 “Renewals Hub” (accepted)`.
    pub source: String,
    /// What kind of source that is: it decides which of two disagreeing
    /// sources is the likely truth.
    #[serde(default)]
    pub kind: SourceKind,
    pub at: i64,
}

/// Kinds of source, from the least to the most authoritative: what was
/// said in a conversation, what a person of the org reported, what the CRM
/// holds, and a document the client accepted or signed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    Conversation,
    #[default]
    Person,
    Crm,
    Document,
}

/// One side of a conflict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// The fact as it was held.
    Held,
    /// The source that disagreed.
    Other,
}

/// Two sources disagreeing on a fact: the track it serves stops until
/// someone decides.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Conflict {
    pub fact: String,
    pub held: Fact,
    pub other: Fact,
    /// The track it stops.
    pub track: String,
    /// The side whose source is the likelier truth (the more
    /// authoritative kind; the held one when they are alike).
    pub likely: Side,
}

impl Conflict {
    /// The blocker it puts on its track.
    fn blocker(&self) -> String {
        format!(
            "conflict on {}: {} ({}) against {} ({})",
            self.fact, self.held.value, self.held.source, self.other.value, self.other.source
        )
    }

    /// The decision it asks for.
    pub fn question(&self) -> String {
        let (likely, source) = match self.likely {
            Side::Held => (&self.held.value, &self.held.source),
            Side::Other => (&self.other.value, &self.other.source),
        };
        format!(
            "Decide {}: {} or {}? The likely source of truth is {source} ({likely})",
            self.fact, self.held.value, self.other.value
        )
    }
}

/// A decision on a standing conflict: which side's value holds.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolve {
    pub fact: String,
    pub keep: Side,
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
    /// A decision on a standing conflict it carries.
    pub resolve: Option<Resolve>,
    /// An approval it asks for or decides.
    pub approval: Option<ApprovalStep>,
}

/// What holds a fact an approval needs: a conflict on it, or its absence.
fn holds_of<'a>(
    facts: &'a BTreeMap<String, Fact>,
    conflicts: &'a [Conflict],
) -> impl Fn(&str) -> Option<String> + 'a {
    move |f: &str| {
        if conflicts.iter().any(|c| c.fact == f) {
            Some(format!("{f} is in dispute"))
        } else if !facts.contains_key(f) {
            Some(format!("{f} is missing"))
        } else {
            None
        }
    }
}

/// Who asks for the approvals a workflow's gates need.
const GATE_ASKER: &str = "baton";

/// What applying a happening did.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    /// The stage moved.
    Moved { from: String, to: String },
    /// The event would move the stage, but facts are missing.
    Missing { facts: Vec<String> },
    /// The event would move the stage, but its gate's approval does not
    /// permit it yet.
    Awaiting { approval: String, why: String },
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
            approvals: Approvals::default(),
        };
        e.status = e.derived_status(w);
        e
    }

    /// Apply `h` under `w` at `now`: record its facts, ask or decide the
    /// approval it carries, make the transition its event makes from the
    /// current stage when every fact it requires is known and its gate's
    /// approval permits it, and apply the event's routes to the tracks.
    /// Returns what it did and the log entries, in order.
    pub fn apply(
        &mut self,
        w: &Workflow,
        h: &Happening,
        now: i64,
    ) -> Result<(Outcome, Vec<NewEvent>), Refused> {
        let mut log = Vec::new();
        if let Some(r) = &h.resolve {
            log.extend(self.resolve(r)?);
        }
        for (name, fact) in &h.facts {
            log.extend(self.learn(w, name, fact));
        }
        {
            let holds = holds_of(&self.facts, &self.conflicts);
            log.extend(self.approvals.refresh(&holds));
            log.extend(
                self.approvals
                    .request_gates(w, &self.stage, &holds, GATE_ASKER, now),
            );
            if let Some(step) = &h.approval {
                log.extend(self.approvals.step(step, &holds, &h.actor, now)?);
            }
        }
        let transition = w.transition(&self.stage, &h.event);
        // A move whose facts are all known may still wait for its gate.
        let held = transition
            .filter(|t| self.missing_of(t).is_empty())
            .and_then(|t| self.gate_holds(t));
        let outcome = match (transition, held) {
            (None, _) => Outcome::Stayed,
            (Some(_), Some((approval, why))) => {
                let blocker = format!("{} waits for approval {approval}", h.event);
                if let Some(track) = self.track_mut("lifecycle")
                    && !track.blockers.contains(&blocker)
                {
                    track.blockers.push(blocker.clone());
                    let mut e = NewEvent::new(EventType::BlockerAdded);
                    e.track = Some("lifecycle".into());
                    e.notes = Some(format!("{blocker}: {why}"));
                    log.push(e);
                }
                Outcome::Awaiting { approval, why }
            }
            (Some(t), None) => {
                let missing = self.missing_of(t);
                if missing.is_empty() {
                    let from = std::mem::replace(&mut self.stage, t.to.clone());
                    self.missing_info.clear();
                    self.next_decision = None;
                    // What waited on this stage's gates is done with.
                    if let Some(track) = self.track_mut("lifecycle") {
                        track
                            .blockers
                            .retain(|b| !b.contains(" waits for approval "));
                    }
                    let mut e = NewEvent::new(EventType::DecisionRecorded);
                    e.track = Some("lifecycle".into());
                    e.decision = Some(format!("{}: {from} → {}", h.event, t.to));
                    e.from_stage = Some(from.clone());
                    e.to_stage = Some(t.to.clone());
                    log.push(e);
                    log.extend(self.approvals.expire_gates(w, &from));
                    {
                        let holds = holds_of(&self.facts, &self.conflicts);
                        log.extend(self.approvals.request_gates(
                            w,
                            &self.stage,
                            &holds,
                            GATE_ASKER,
                            now,
                        ));
                    }
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
            // A conflict holds its track until someone decides it.
            let disputed = self.conflicts.iter().any(|c| c.track == route.track);
            let Some(track) = self.track_mut(&route.track) else {
                continue;
            };
            if track.status == route.status || (disputed && track.status == TrackStatus::Blocked) {
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
            let learnt: Vec<String> = h
                .facts
                .iter()
                .map(|(name, f)| format!("{name} = {} ({})", f.value, f.source))
                .collect();
            e.decision = Some(if learnt.is_empty() {
                h.event.clone()
            } else {
                format!("{}: {}", h.event, learnt.join("; "))
            });
            log.push(e);
        }
        for e in &mut log {
            e.artifact = h.artifact.clone();
            e.evidence = Some(h.evidence.clone());
        }
        self.workflow_version = w.version;
        self.next_decision = if let Some(c) = self.conflicts.first() {
            Some(c.question())
        } else if !self.missing_info.is_empty() {
            self.next_decision.take()
        } else {
            self.approvals.question()
        };
        self.status = self.derived_status(w);
        Ok((outcome, log))
    }

    /// The live approval of `class` on `subject`, if one was asked.
    pub fn approval(&self, class: ApprovalClass, subject: &str) -> Option<&Approval> {
        self.approvals.approval(class, subject)
    }

    /// Whether the live approval of `class` on `subject` permits `action`
    /// now; `Err` says why not.
    pub fn permitted(
        &self,
        class: ApprovalClass,
        subject: &str,
        action: &str,
    ) -> Result<&Approval, String> {
        self.approvals.permitted(class, subject, action)
    }

    /// Whether a live approval whose scope names `action` permits it now;
    /// `Err` says why not (none covers it, or each that does refuses).
    pub fn permits(&self, action: &str) -> Result<(), String> {
        let covering: Vec<&Approval> = self
            .approvals
            .iter()
            .filter(|a| a.is_live() && a.scope.iter().any(|s| s == action))
            .collect();
        if covering.is_empty() {
            return Err(format!("no approval on the deal covers {action}"));
        }
        let mut why = Vec::new();
        for a in covering {
            match self.permitted(a.class, &a.subject, action) {
                Ok(_) => return Ok(()),
                Err(w) => why.push(w),
            }
        }
        Err(why.join("; "))
    }

    /// The approval `t`'s gate waits for and why, when it does not permit
    /// the move yet.
    fn gate_holds(&self, t: &super::workflow::TransitionDef) -> Option<(String, String)> {
        let class = t.gate?;
        let why = self.permitted(class, &t.on, &t.on).err()?;
        let label = self
            .approval(class, &t.on)
            .map_or_else(|| format!("{class} for {}", t.on), Approval::label);
        Some((label, why))
    }

    /// The facts `t` requires that are not known; a fact in dispute is not
    /// known until someone decides.
    fn missing_of(&self, t: &super::workflow::TransitionDef) -> Vec<String> {
        t.requires
            .iter()
            .filter(|f| {
                !self.facts.contains_key(*f) || self.conflicts.iter().any(|c| c.fact == **f)
            })
            .cloned()
            .collect()
    }

    /// Learn `fact` as `name`: a new fact is kept; the same value again
    /// changes nothing; a different value from the same source replaces it;
    /// from another source it is a conflict, which stops the fact's track.
    fn learn(&mut self, w: &Workflow, name: &str, fact: &Fact) -> Vec<NewEvent> {
        let held = match self.facts.get(name) {
            Some(held) if held.value == fact.value => return Vec::new(),
            Some(held) if held.source != fact.source => held.clone(),
            _ => {
                self.facts.insert(name.to_owned(), fact.clone());
                return Vec::new();
            }
        };
        if self
            .conflicts
            .iter()
            .any(|c| c.fact == name && c.other.value == fact.value)
        {
            return Vec::new();
        }
        let conflict = Conflict {
            fact: name.to_owned(),
            likely: if fact.kind > held.kind {
                Side::Other
            } else {
                Side::Held
            },
            held,
            other: fact.clone(),
            track: w.field_track(name).to_owned(),
        };
        let blocker = conflict.blocker();
        let mut e = NewEvent::new(EventType::BlockerAdded);
        e.track = Some(conflict.track.clone());
        e.notes = Some(format!("{blocker}; {}", conflict.question()));
        if let Some(t) = self.track_mut(&conflict.track) {
            t.status = TrackStatus::Blocked;
            t.blockers.push(blocker);
        }
        self.conflicts.push(conflict);
        vec![e]
    }

    /// Decide a standing conflict: the kept side's value becomes the fact,
    /// and its track goes on when nothing else blocks it.
    fn resolve(&mut self, r: &Resolve) -> Result<Vec<NewEvent>, Refused> {
        let at = self
            .conflicts
            .iter()
            .position(|c| c.fact == r.fact)
            .ok_or_else(|| Refused(format!("no conflict on `{}` stands", r.fact)))?;
        let c = self.conflicts.remove(at);
        let kept = match r.keep {
            Side::Held => c.held.clone(),
            Side::Other => c.other.clone(),
        };
        let mut decided = NewEvent::new(EventType::DecisionRecorded);
        decided.track = Some(c.track.clone());
        decided.decision = Some(format!("{} = {} ({})", c.fact, kept.value, kept.source));
        self.facts.insert(c.fact.clone(), kept);
        let blocker = c.blocker();
        let mut log = vec![decided];
        if let Some(t) = self.track_mut(&c.track) {
            t.blockers.retain(|b| *b != blocker);
            if t.blockers.is_empty() && t.status == TrackStatus::Blocked {
                t.status = TrackStatus::Active;
            }
            let mut e = NewEvent::new(EventType::BlockerRemoved);
            e.track = Some(c.track.clone());
            e.notes = Some(blocker);
            log.push(e);
        }
        if self.conflicts.is_empty() {
            self.next_decision = None;
        }
        Ok(log)
    }

    fn track_mut(&mut self, name: &str) -> Option<&mut Track> {
        self.tracks.iter_mut().find(|t| t.name == name)
    }

    /// Closed at a terminal stage; blocked while a conflict stands or a
    /// track is blocked; in review while an approval waits; active
    /// otherwise.
    fn derived_status(&self, w: &Workflow) -> WorkflowStatus {
        if w.stage(&self.stage).is_some_and(|s| s.terminal) {
            WorkflowStatus::Closed
        } else if !self.conflicts.is_empty()
            || self.tracks.iter().any(|t| t.status == TrackStatus::Blocked)
        {
            WorkflowStatus::Blocked
        } else if self.approvals.iter().any(Approval::is_open) {
            WorkflowStatus::InReview
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
            kind: SourceKind::Document,
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
            resolve: None,
            approval: None,
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
        let (out, log) = e
            .apply(
                &w,
                &happening("proposal_accepted", &["accepted_proposal", "fees"]),
                1,
            )
            .unwrap();
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
            [
                EventType::DecisionRecorded,
                EventType::ApprovalRequested,
                EventType::TrackStarted
            ]
        );
        assert!(log.iter().all(|l| l.artifact.as_deref() == Some("p1")));
        let commercial = e.tracks.iter().find(|t| t.name == "commercial").unwrap();
        assert_eq!(commercial.status, TrackStatus::Active);
        // The contract's legal approval waits.
        assert_eq!(e.status, WorkflowStatus::InReview);
    }

    #[test]
    fn a_transition_without_its_facts_stays_and_names_them() {
        let w = Workflow::shipped();
        let mut e = Engagement::start(&w, "d", "proposal");
        let (out, log) = e
            .apply(
                &w,
                &happening("proposal_accepted", &["accepted_proposal"]),
                1,
            )
            .unwrap();
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
        let (_, again) = e
            .apply(&w, &happening("proposal_accepted", &[]), 1)
            .unwrap();
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
        let (out, log) = e.apply(&w, &happening("billing_dispute", &[]), 1).unwrap();
        assert_eq!(out, Outcome::Stayed);
        assert!(
            log.iter().any(|l| l.event_type == EventType::BlockerAdded),
            "{log:?}"
        );
        assert_eq!(e.status, WorkflowStatus::Blocked);
    }

    fn said(name: &str, v: Value, source: &str, kind: SourceKind) -> Happening {
        Happening {
            facts: vec![(
                name.to_owned(),
                Fact {
                    value: v,
                    source: source.into(),
                    kind,
                    at: 2,
                },
            )],
            ..happening("fact_reported", &[])
        }
    }

    #[test]
    fn two_sources_disagreeing_stop_the_facts_track_until_decided() {
        let w = Workflow::shipped();
        let mut e = Engagement::start(&w, "d", "proposal");
        e.apply(
            &w,
            &said(
                "seats",
                Value::from(40),
                "proposal v2",
                SourceKind::Document,
            ),
            1,
        )
        .unwrap();
        // The same value again, from anywhere, is no conflict.
        let (_, log) = e
            .apply(
                &w,
                &said(
                    "seats",
                    Value::from(40),
                    "the call",
                    SourceKind::Conversation,
                ),
                1,
            )
            .unwrap();
        assert!(e.conflicts.is_empty(), "{log:?}");
        let (_, log) = e
            .apply(
                &w,
                &said(
                    "seats",
                    Value::from(45),
                    "the call",
                    SourceKind::Conversation,
                ),
                1,
            )
            .unwrap();
        assert_eq!(log[0].event_type, EventType::BlockerAdded);
        assert_eq!(log[0].track.as_deref(), Some("commercial"));
        assert_eq!(
            e.facts["seats"].value, 40,
            "the held fact stands until decided"
        );
        assert_eq!(e.conflicts[0].likely, Side::Held, "a document beats a call");
        let commercial = e.tracks.iter().find(|t| t.name == "commercial").unwrap();
        assert_eq!(commercial.status, TrackStatus::Blocked);
        assert_eq!(e.status, WorkflowStatus::Blocked);
        let ask = e.next_decision.clone().unwrap();
        assert!(
            ask.contains("Decide seats: 40 or 45?") && ask.contains("proposal v2"),
            "{ask}"
        );
        // Reported again, the same conflict is not recorded twice.
        e.apply(
            &w,
            &said(
                "seats",
                Value::from(45),
                "the call",
                SourceKind::Conversation,
            ),
            1,
        )
        .unwrap();
        assert_eq!(e.conflicts.len(), 1);

        // Deciding a fact nobody disputes is refused.
        let wrong = Happening {
            resolve: Some(Resolve {
                fact: "fees".into(),
                keep: Side::Held,
            }),
            ..happening("conflict_decided", &[])
        };
        assert!(e.apply(&w, &wrong, 1).is_err());
        let decide = Happening {
            resolve: Some(Resolve {
                fact: "seats".into(),
                keep: Side::Other,
            }),
            ..happening("conflict_decided", &[])
        };
        let (_, log) = e.apply(&w, &decide, 1).unwrap();
        let kinds: Vec<EventType> = log.iter().map(|l| l.event_type).collect();
        assert_eq!(
            kinds,
            [EventType::DecisionRecorded, EventType::BlockerRemoved]
        );
        assert_eq!(e.facts["seats"].value, 45);
        assert!(e.conflicts.is_empty() && e.next_decision.is_none());
        assert_eq!(e.status, WorkflowStatus::Active);
    }

    #[test]
    fn a_route_does_not_unblock_a_track_a_conflict_holds() {
        let w = Workflow::shipped();
        let mut e = Engagement::start(&w, "d", "proposal");
        e.apply(
            &w,
            &said(
                "seats",
                Value::from(45),
                "the call",
                SourceKind::Conversation,
            ),
            1,
        )
        .unwrap();
        // The acceptance brings 40 seats and would start the commercial
        // track; the conflict keeps it blocked.
        let mut accepted = happening("proposal_accepted", &["accepted_proposal", "fees"]);
        accepted.facts.push(("seats".into(), fact(Value::from(40))));
        let (out, log) = e.apply(&w, &accepted, 1).unwrap();
        assert!(matches!(out, Outcome::Moved { .. }), "{out:?}");
        assert!(
            log.iter()
                .all(|l| l.event_type != EventType::BlockerRemoved),
            "{log:?}"
        );
        let commercial = e.tracks.iter().find(|t| t.name == "commercial").unwrap();
        assert_eq!(commercial.status, TrackStatus::Blocked);
        assert_eq!(e.status, WorkflowStatus::Blocked);
    }

    #[test]
    fn a_transition_waits_while_a_fact_it_requires_is_disputed() {
        let w = Workflow::shipped();
        let mut e = Engagement::start(&w, "d", "proposal");
        e.apply(
            &w,
            &said(
                "fees",
                Value::from(100),
                "proposal v1",
                SourceKind::Document,
            ),
            1,
        )
        .unwrap();
        e.apply(
            &w,
            &said("fees", Value::from(90), "the rep", SourceKind::Person),
            1,
        )
        .unwrap();
        let (out, _) = e
            .apply(
                &w,
                &happening("proposal_accepted", &["accepted_proposal"]),
                1,
            )
            .unwrap();
        assert_eq!(
            out,
            Outcome::Missing {
                facts: vec!["fees".into()]
            }
        );
        assert_eq!(e.stage, "proposal");
    }

    #[test]
    fn a_terminal_stage_closes_the_engagement() {
        let w = Workflow::shipped();
        let mut e = Engagement::start(&w, "d", "proposal");
        e.apply(&w, &happening("engagement_lost", &["loss_reason"]), 1)
            .unwrap();
        assert_eq!(
            (e.stage.as_str(), e.status),
            ("lost", WorkflowStatus::Closed)
        );
    }
}
