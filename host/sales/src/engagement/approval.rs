//! Approvals by class: what a gate waits for, who gave it, when, on what
//! evidence, what it permits and what still stands in its way. An
//! engagement keeps every approval it has had; a reopened one is marked
//! superseded by the one that replaced it, so what is permitted is always
//! read off the live one.
//!
//! Entering a stage requests an approval for each gated transition out of
//! it (subject: the transition's event; scope: the event and the gate's
//! `permits`; needs: the facts the transition requires). A missing or
//! disputed fact it needs blocks it, by name, and it cannot be given until
//! the fact is known. A partial or conditional approval permits part of
//! its scope; a rejection permits nothing.

use super::log::{NewEvent, Refused};
use super::workflow::Workflow;
use super::{ApprovalClass, ApprovalState, EventType};
use serde::{Deserialize, Serialize};

/// What holds a fact an approval needs, if anything (`signatory is
/// missing`, `seats is in dispute`): the engagement's answer.
pub(super) type Holds<'a> = &'a dyn Fn(&str) -> Option<String>;

/// One approval of an engagement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Approval {
    /// Its number on the engagement (1, 2, …): a decision names it.
    pub id: u32,
    pub class: ApprovalClass,
    /// What it approves: a gated transition's event (`contract_signed`) or
    /// an artifact.
    pub subject: String,
    pub state: ApprovalState,
    /// Everything a full approval permits.
    pub scope: Vec<String>,
    /// What it permits now: all of `scope` when approved, the part a
    /// partial or conditional approval names, nothing otherwise.
    pub permits: Vec<String>,
    /// What a conditional approval holds the engagement to.
    #[serde(default)]
    pub conditions: Vec<String>,
    /// Facts that must be known (and undisputed) before it is given.
    pub needs: Vec<String>,
    /// What stands in its way now, by name.
    pub blockers: Vec<String>,
    pub requested_by: String,
    pub requested_at: i64,
    pub decided_by: Option<String>,
    pub decided_at: Option<i64>,
    /// What the decider gave as evidence.
    pub evidence: Option<String>,
    /// The approval this one replaced when it was reopened.
    pub supersedes: Option<u32>,
}

impl Approval {
    /// Still in force: neither replaced nor lapsed.
    pub fn is_live(&self) -> bool {
        !matches!(
            self.state,
            ApprovalState::Superseded | ApprovalState::Expired
        )
    }

    /// Waiting for a decision.
    pub fn is_open(&self) -> bool {
        matches!(
            self.state,
            ApprovalState::Draft | ApprovalState::Requested | ApprovalState::Blocked
        )
    }

    /// One line for logs and pages: `#1 legal_or_contract for contract_signed`.
    pub fn label(&self) -> String {
        format!("#{} {} for {}", self.id, self.class, self.subject)
    }
}

/// A change to an engagement's approvals.
#[derive(Debug, Clone, PartialEq)]
pub enum ApprovalStep {
    /// Ask for an approval of `class` on `subject` (nothing changes when a
    /// live one is already asked or given).
    Request {
        class: ApprovalClass,
        subject: String,
        scope: Vec<String>,
        needs: Vec<String>,
    },
    /// Decide approval `id`, as one of `class`.
    Decide(Decision),
}

/// A decision on an approval. `class` is the class the decider decides
/// under: it must be the approval's.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    pub id: u32,
    pub class: ApprovalClass,
    /// `approved`, `partial`, `conditional` or `rejected`.
    pub state: ApprovalState,
    /// What a partial or conditional approval permits (a conditional one
    /// permits the whole scope when it names nothing).
    pub permits: Vec<String>,
    pub conditions: Vec<String>,
    pub evidence: String,
}

/// Every approval an engagement has asked, the superseded ones kept, in
/// the order they were made (stored as a plain list).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Approvals(Vec<Approval>);

impl std::ops::Deref for Approvals {
    type Target = [Approval];

    fn deref(&self) -> &[Approval] {
        &self.0
    }
}

impl Approvals {
    /// The live approval of `class` on `subject`, if one was asked.
    pub fn approval(&self, class: ApprovalClass, subject: &str) -> Option<&Approval> {
        self.0
            .iter()
            .rev()
            .find(|a| a.class == class && a.subject == subject && a.is_live())
    }

    /// Whether the live approval of `class` on `subject` permits `action`
    /// now; `Err` says why not (never asked, not decided, rejected, outside
    /// what a partial approval permits, or a fact it needs gone missing or
    /// into dispute since).
    pub fn permitted(
        &self,
        class: ApprovalClass,
        subject: &str,
        action: &str,
    ) -> Result<&Approval, String> {
        let a = self
            .approval(class, subject)
            .ok_or_else(|| format!("no {class} approval for {subject} has been asked"))?;
        if !a.blockers.is_empty() {
            return Err(format!(
                "approval {} is held: {}",
                a.label(),
                a.blockers.join("; ")
            ));
        }
        match a.state {
            ApprovalState::Approved | ApprovalState::Partial | ApprovalState::Conditional
                if a.permits.iter().any(|p| p == action) =>
            {
                Ok(a)
            }
            ApprovalState::Partial | ApprovalState::Conditional => Err(format!(
                "approval {} ({}) permits {} only, not {action}",
                a.label(),
                a.state,
                a.permits.join(", ")
            )),
            state => Err(format!("approval {} is {state}", a.label())),
        }
    }

    /// Ask for the approvals the gated transitions out of `stage` need
    /// and nobody has asked (a rejected one stays rejected until someone
    /// asks again).
    pub(super) fn request_gates(
        &mut self,
        w: &Workflow,
        stage: &str,
        holds: Holds<'_>,
        by: &str,
        now: i64,
    ) -> Vec<NewEvent> {
        let gated: Vec<_> = w
            .transitions
            .iter()
            .filter(|t| t.from == stage)
            .filter_map(|t| {
                let class = t.gate?;
                if self.approval(class, &t.on).is_some() {
                    return None;
                }
                let mut scope = vec![t.on.clone()];
                scope.extend(t.gate_permits.iter().cloned());
                Some((class, t.on.clone(), scope, t.requires.clone()))
            })
            .collect();
        let mut log = Vec::new();
        for (class, subject, scope, needs) in gated {
            log.extend(self.request(class, &subject, scope, needs, holds, by, now));
        }
        log
    }

    /// Let lapse the approvals still waiting on gates out of `stage`, which
    /// the engagement has left.
    pub(super) fn expire_gates(&mut self, w: &Workflow, stage: &str) -> Vec<NewEvent> {
        let subjects: Vec<&str> = w
            .transitions
            .iter()
            .filter(|t| t.from == stage && t.gate.is_some())
            .map(|t| t.on.as_str())
            .collect();
        let mut log = Vec::new();
        for a in &mut self.0 {
            if a.is_open() && subjects.contains(&a.subject.as_str()) {
                a.state = ApprovalState::Expired;
                log.push(changed(format!("{} expired: left {stage}", a.label())));
            }
        }
        log
    }

    /// Ask or decide as `step` says.
    pub(super) fn step(
        &mut self,
        step: &ApprovalStep,
        holds: Holds<'_>,
        by: &str,
        now: i64,
    ) -> Result<Vec<NewEvent>, Refused> {
        match step {
            ApprovalStep::Request {
                class,
                subject,
                scope,
                needs,
            } => {
                if subject.trim().is_empty() || scope.is_empty() {
                    return Err(Refused(
                        "an approval request names its subject and what it would permit".into(),
                    ));
                }
                Ok(self.request(
                    *class,
                    subject,
                    scope.clone(),
                    needs.clone(),
                    holds,
                    by,
                    now,
                ))
            }
            ApprovalStep::Decide(d) => self.decide(d, by, now),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn request(
        &mut self,
        class: ApprovalClass,
        subject: &str,
        scope: Vec<String>,
        needs: Vec<String>,
        holds: Holds<'_>,
        by: &str,
        now: i64,
    ) -> Vec<NewEvent> {
        let before = self.approval(class, subject);
        if before.is_some_and(|a| a.state != ApprovalState::Rejected) {
            return Vec::new();
        }
        let supersedes = before.map(|a| a.id);
        if let Some(old) = supersedes.and_then(|id| self.approval_mut(id)) {
            old.state = ApprovalState::Superseded;
        }
        let mut a = Approval {
            id: self.next_approval_id(),
            class,
            subject: subject.to_owned(),
            state: ApprovalState::Requested,
            scope,
            permits: Vec::new(),
            conditions: Vec::new(),
            needs,
            blockers: Vec::new(),
            requested_by: by.to_owned(),
            requested_at: now,
            decided_by: None,
            decided_at: None,
            evidence: None,
            supersedes,
        };
        a.blockers = blockers_of(&a.needs, holds);
        if !a.blockers.is_empty() {
            a.state = ApprovalState::Blocked;
        }
        let mut e = NewEvent::new(EventType::ApprovalRequested);
        e.notes = Some(if a.blockers.is_empty() {
            format!("{} requested", a.label())
        } else {
            format!("{} requested; held: {}", a.label(), a.blockers.join("; "))
        });
        self.0.push(a);
        vec![e]
    }

    fn decide(&mut self, d: &Decision, by: &str, now: i64) -> Result<Vec<NewEvent>, Refused> {
        let a = self
            .0
            .iter()
            .find(|a| a.id == d.id)
            .ok_or_else(|| Refused(format!("no approval #{} on this deal", d.id)))?;
        if !a.is_live() {
            let by = self
                .0
                .iter()
                .find(|n| n.supersedes == Some(a.id))
                .map_or_else(String::new, |n| format!(": decide #{}", n.id));
            return Err(Refused(format!(
                "approval {} is {}{by}",
                a.label(),
                a.state
            )));
        }
        if a.class != d.class {
            return Err(Refused(format!(
                "approval {} is a {} approval, not {}",
                a.label(),
                a.class,
                d.class
            )));
        }
        let permits = granted(a, d)?;
        if d.state != ApprovalState::Rejected && !a.blockers.is_empty() {
            return Err(Refused(format!(
                "approval {} cannot be given yet: {}",
                a.label(),
                a.blockers.join("; ")
            )));
        }
        if a.decided_by.is_some()
            && a.state == d.state
            && a.permits == permits
            && a.conditions == d.conditions
        {
            return Ok(Vec::new());
        }
        let (old_id, reopened) = (a.id, !a.is_open());
        let mut decided = a.clone();
        if reopened {
            // Reopened: the earlier decision is kept, superseded.
            if let Some(old) = self.approval_mut(old_id) {
                old.state = ApprovalState::Superseded;
            }
            decided.id = self.next_approval_id();
            decided.supersedes = Some(old_id);
        }
        decided.state = d.state;
        decided.permits = permits;
        decided.conditions = d.conditions.clone();
        decided.decided_by = Some(by.to_owned());
        decided.decided_at = Some(now);
        decided.evidence = Some(d.evidence.clone());
        let note = match (decided.state, reopened) {
            (ApprovalState::Partial | ApprovalState::Conditional, _) => format!(
                "{} {} by {by}: permits {}",
                decided.label(),
                decided.state,
                decided.permits.join(", ")
            ),
            (state, false) => format!("{} {state} by {by}", decided.label()),
            (state, true) => format!("{} {state} by {by}, reopening #{old_id}", decided.label()),
        };
        let mut e = changed(note);
        e.decision = Some(format!("{} {}", decided.label(), decided.state));
        if reopened {
            self.0.push(decided);
        } else if let Some(slot) = self.approval_mut(old_id) {
            *slot = decided;
        }
        Ok(vec![e])
    }

    /// Recompute what holds each live approval (after facts or conflicts
    /// changed): an open one is blocked while a fact it needs is missing or
    /// disputed, and requested again once none is.
    pub(super) fn refresh(&mut self, holds: Holds<'_>) -> Vec<NewEvent> {
        let mut log = Vec::new();
        for a in self.0.iter_mut().filter(|a| a.is_live()) {
            let blockers = blockers_of(&a.needs, holds);
            if a.blockers == blockers {
                continue;
            }
            a.blockers = blockers;
            if a.is_open() {
                a.state = if a.blockers.is_empty() {
                    ApprovalState::Requested
                } else {
                    ApprovalState::Blocked
                };
            }
            let note = if a.blockers.is_empty() {
                format!("{} no longer held", a.label())
            } else {
                format!("{} held: {}", a.label(), a.blockers.join("; "))
            };
            log.push(changed(note));
        }
        log
    }

    /// The decision the first open approval asks for.
    pub(super) fn question(&self) -> Option<String> {
        let a = self.0.iter().find(|a| a.is_open())?;
        Some(if a.blockers.is_empty() {
            format!("Decide approval {}", a.label())
        } else {
            format!(
                "Fill what holds approval {}: {}",
                a.label(),
                a.blockers.join("; ")
            )
        })
    }

    fn next_approval_id(&self) -> u32 {
        self.0.iter().map(|a| a.id).max().unwrap_or(0) + 1
    }

    fn approval_mut(&mut self, id: u32) -> Option<&mut Approval> {
        self.0.iter_mut().find(|a| a.id == id)
    }
}

/// The blockers a need list makes: what holds each fact.
fn blockers_of(needs: &[String], holds: Holds<'_>) -> Vec<String> {
    needs.iter().filter_map(|f| holds(f)).collect()
}

/// What decision `d` permits of approval `a`, or why it cannot be made.
fn granted(a: &Approval, d: &Decision) -> Result<Vec<String>, Refused> {
    if let Some(p) = d.permits.iter().find(|p| !a.scope.contains(p)) {
        return Err(Refused(format!(
            "`{p}` is outside approval {}'s scope: {}",
            a.label(),
            a.scope.join(", ")
        )));
    }
    match d.state {
        ApprovalState::Approved => {
            if !d.permits.is_empty() && d.permits.len() < a.scope.len() {
                return Err(Refused(
                    "an approval permits its whole scope: to permit part of it, decide `partial`"
                        .into(),
                ));
            }
            Ok(a.scope.clone())
        }
        ApprovalState::Partial if d.permits.is_empty() => {
            Err(Refused("a partial approval names what it permits".into()))
        }
        ApprovalState::Partial => Ok(ordered(a, &d.permits)),
        ApprovalState::Conditional if d.conditions.iter().all(|c| c.trim().is_empty()) => Err(
            Refused("a conditional approval names its conditions".into()),
        ),
        ApprovalState::Conditional if d.permits.is_empty() => Ok(a.scope.clone()),
        ApprovalState::Conditional => Ok(ordered(a, &d.permits)),
        ApprovalState::Rejected if d.permits.is_empty() => Ok(Vec::new()),
        ApprovalState::Rejected => Err(Refused("a rejection permits nothing".into())),
        other => Err(Refused(format!(
            "`{other}` is not a decision: approved, partial, conditional or rejected"
        ))),
    }
}

/// `permits` in the order of `a`'s scope, each once.
fn ordered(a: &Approval, permits: &[String]) -> Vec<String> {
    a.scope
        .iter()
        .filter(|s| permits.contains(s))
        .cloned()
        .collect()
}

fn changed(note: String) -> NewEvent {
    let mut e = NewEvent::new(EventType::ApprovalChanged);
    e.notes = Some(note);
    e
}

#[cfg(test)]
mod tests;
