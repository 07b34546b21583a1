//! `update-crm-from-meeting`: the CRM changes a meeting calls for, as
//! proposed `crm_update` actions, one per field so the rep can take some
//! and leave others: the next step (the rep's first promise), the timeline
//! and budget signal the prospect gave, competitors and stakeholders they
//! named, a meeting activity, and — when what was agreed has moved past the
//! deal's stage — a stage change.
//!
//! A stage change carries `stage` in its payload, which the host's policy
//! always gates; the other updates follow the step's own approval setting.
//! Every value comes with the quote it rests on. Rivals the deal did not
//! know of are queued for research (`competitive_research`). Deterministic.

pub mod names;

use baton_sdk::crm::{STAGES, is_open, stage_position};
use baton_sdk::events::meeting_ended::Payload as Meeting;
use baton_sdk::evidence::Evidence;
use baton_sdk::host::{self, Tier};
use baton_sdk::meeting::{ActionItem, Detection, Speaker, StepRefs, Utterance};
use baton_sdk::prelude::*;
use serde::Serialize;

pub struct UpdateCrmFromMeeting;

/// The child event that researches rivals the prospect named.
pub const RESEARCH_EVENT: &str = "competitive_research";

/// The output, from which the manifest's output schema is derived.
#[derive(Serialize, JsonSchema)]
struct Updates<'a> {
    deal_id: Option<&'a str>,
    /// Why nothing is proposed.
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<&'static str>,
    updates: Vec<Update<'a>>,
    /// The stage move proposed (it always waits for the rep).
    stage_change: Option<StageChange<'a>>,
}

/// One field update proposed.
#[derive(Serialize, JsonSchema)]
struct Update<'a> {
    field: &'static str,
    /// The new value: text, or a list of names.
    value: &'a Value,
    /// What the deal holds now (`null` when unset).
    previous: Value,
    /// The quote it rests on.
    evidence: Option<&'a str>,
}

/// A stage move.
#[derive(Serialize, JsonSchema)]
struct StageChange<'a> {
    from: &'a str,
    to: &'static str,
}

/// One field update, before it becomes an action.
struct Change {
    field: &'static str,
    value: Value,
    /// The words it rests on, placed in the call, with the detection's
    /// confidence.
    evidence: Option<Evidence>,
}

impl Skill for UpdateCrmFromMeeting {
    fn manifest() -> Manifest {
        Manifest::new(
            "update-crm-from-meeting",
            env!("CARGO_PKG_VERSION"),
            "Proposes the CRM updates a meeting calls for; a stage change waits for the rep.",
        )
        .uses(flow::names::MEETING_ACTION_ITEMS)
        .uses(flow::names::MEETING_INTENTS)
        .capability("context:attachments")
        .capability("context:contact")
        .default_fuel(200_000_000)
        .params::<StepRefs>()
        .output::<Updates>()
    }

    fn run(input: Input) -> Result<Output, SkillError> {
        let params: StepRefs = input.params()?;
        let (items, detections) = params.read(&input)?;
        // The deal stays JSON: its fields are compared by name, custom ones
        // (`next_step`, `budget_signal`, …) included.
        let contact = host::context_if_known(Tier::Contact)?;
        let deal = contact
            .as_ref()
            .map(|c| &c["deal"])
            .filter(|d| d["id"].is_string());
        let Some(deal) = deal else {
            return Output::of(&Updates {
                deal_id: None,
                reason: Some(
                    "the meeting matched no deal in the CRM, so there is nothing to update",
                ),
                updates: Vec::new(),
                stage_change: None,
            });
        };
        let deal_id = deal["id"].as_str().unwrap_or_default();
        let deal_name = deal["name"].as_str().unwrap_or(deal_id);
        let meeting = input.payload::<Meeting>()?.resolved()?;
        let meeting_id = meeting.meeting_id.as_deref();
        // The systems the prospect runs (their CRM, their chat tool) are
        // never their competitors.
        let systems = names::systems(meeting.utterances.iter().map(|u| u.text.as_str()));

        let changes = changes(&items, &detections, &systems, &meeting.utterances);
        let mut out = Output::new(Value::Null);
        let mut updates = Vec::new();
        for c in &changes {
            let previous = deal.get(c.field).cloned().unwrap_or(Value::Null);
            if previous == c.value {
                continue;
            }
            out = out.action(
                ActionKind::CrmUpdate,
                format!("{deal_name}: {} \u{2192} {}", c.field, shown(&c.value)),
                json!({
                    "entity": "deal", "deal_id": deal_id, "field": c.field, "value": c.value,
                    "previous": previous, "evidence": c.evidence, "meeting_id": meeting_id,
                }),
            );
            // Rivals the deal did not know of are researched (a
            // `competitive_research` child, attached to the deal).
            if c.field == "competitors" {
                let known = |n: &str| {
                    previous.as_array().is_some_and(|p| {
                        p.iter()
                            .any(|x| x.as_str().is_some_and(|x| x.eq_ignore_ascii_case(n)))
                    })
                };
                let new: Vec<&str> = c
                    .value
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .filter(|n| !known(n))
                    .collect();
                if !new.is_empty() {
                    out = out.follow_up(
                        RESEARCH_EVENT,
                        json!({
                            "meeting_id": meeting_id, "deal_id": deal_id, "deal_name": deal_name,
                            "competitors": new, "evidence": c.evidence,
                        }),
                        c.evidence
                            .as_ref()
                            .and_then(|e| e.confidence)
                            .map_or(1.0, |x| x as f32),
                        format!("competitors named: {}", new.join(", ")),
                    );
                }
            }
            updates.push(Update {
                field: c.field,
                value: &c.value,
                previous,
                evidence: c.evidence.as_ref().map(|e| e.quote.as_str()),
            });
        }
        let stage = deal["stage"].as_str().unwrap_or("");
        let stage_change = stage_target(stage, &detections).map(|(to, said)| {
            out.actions.push(ProposedAction {
                kind: ActionKind::CrmUpdate,
                preview: format!("{deal_name}: stage {stage} \u{2192} {to}"),
                payload: json!({
                    "entity": "deal", "deal_id": deal_id, "field": "stage", "value": to,
                    "stage": to, "previous": stage, "meeting_id": meeting_id,
                    "evidence": said.evidence(&meeting.utterances),
                }),
            });
            StageChange { from: stage, to }
        });
        out.data = to_data(&Updates {
            deal_id: Some(deal_id),
            reason: None,
            updates,
            stage_change,
        })?;
        Ok(out)
    }
}

fn shown(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Array(a) => a
            .iter()
            .map(|x| x.as_str().map_or_else(|| x.to_string(), str::to_owned))
            .collect::<Vec<_>>()
            .join(", "),
        other => other.to_string(),
    }
}

/// The field updates the transcript supports.
fn changes(
    items: &[ActionItem],
    detections: &[Detection],
    systems: &[String],
    lines: &[Utterance],
) -> Vec<Change> {
    let mut out = Vec::new();
    let first = |label: &str| detections.iter().find(|d| d.label == label);
    let next = items
        .iter()
        .filter(|i| i.owner == Speaker::Rep)
        .min_by_key(|i| {
            i.deadline
                .as_ref()
                .and_then(|d| d.date.clone())
                .unwrap_or_else(|| "9999".into())
        });
    if let Some(i) = next {
        let due = i.deadline.as_ref().and_then(|d| d.date.as_deref());
        out.push(Change {
            field: "next_step",
            value: json!(match due {
                Some(d) => format!("{} (due {d})", i.action),
                None => i.action.clone(),
            }),
            evidence: Some(i.evidence(lines)),
        });
    }
    if let Some(d) = first("signal:timeline") {
        out.push(Change {
            field: "timeline",
            value: json!(d.phrase),
            evidence: Some(d.evidence(lines)),
        });
    }
    let budget = detections
        .iter()
        .filter(|d| d.speaker == Speaker::Prospect)
        .find(|d| d.label == "signal:buying_negative" || d.label == "signal:buying_positive");
    if let Some(d) = budget {
        let polarity = if d.label.ends_with("negative") {
            "at_risk"
        } else {
            "positive"
        };
        out.push(Change {
            field: "budget_signal",
            value: json!(polarity),
            evidence: Some(d.evidence(lines)),
        });
    }
    let competitive: Vec<&Detection> = detections
        .iter()
        .filter(|d| d.label == "signal:competitive")
        .collect();
    let mut competitors = names::competitors(competitive.iter().map(|d| d.phrase.as_str()));
    competitors.retain(|c| !systems.iter().any(|s| s.eq_ignore_ascii_case(c)));
    if !competitors.is_empty() {
        out.push(Change {
            field: "competitors",
            value: json!(competitors),
            // The words that name one of them, not a system they run.
            evidence: competitive
                .iter()
                .find(|d| competitors.iter().any(|c| d.phrase.contains(c.as_str())))
                .map(|d| d.evidence(lines)),
        });
    }
    // Who decides, from what the prospect said of their own deal, not of
    // their staff's week ("Monday is pipeline review with their team lead").
    let stakeholder: Vec<&Detection> = detections
        .iter()
        .filter(|d| d.label == "signal:multi_stakeholder" && !d.of_others())
        .collect();
    let roles = names::stakeholders(stakeholder.iter().map(|d| d.phrase.as_str()));
    if !roles.is_empty() {
        out.push(Change {
            field: "stakeholders",
            value: json!(roles),
            evidence: stakeholder.first().map(|d| d.evidence(lines)),
        });
    }
    out
}

/// The stage what was agreed puts the deal at, if that is further along
/// than where it is: a promised proposal means `proposal`; a stated budget
/// at an early stage means `qualification`. Deals never move backwards, and
/// a closed deal is left alone.
fn stage_target<'d>(
    stage: &str,
    detections: &'d [Detection],
) -> Option<(&'static str, &'d Detection)> {
    if !is_open(stage) {
        return None;
    }
    let now = stage_position(stage)?;
    let first = |label: &str| detections.iter().find(|d| d.label == label);
    let (target, said) = if let Some(d) = first("commitment:send_proposal") {
        (4, d)
    } else if let Some(d) = first("signal:buying_positive") {
        (2, d)
    } else {
        return None;
    };
    (target > now).then(|| (STAGES[target], said))
}

export_skill!(UpdateCrmFromMeeting);

#[cfg(test)]
mod tests {
    use super::*;
    use baton_sdk::testing::FakeHost;

    fn input() -> Input {
        let mut input = Input::for_event("meeting_ended", json!({ "meeting_id": "m-7" }));
        input = input.after(
            "extract-action-items",
            json!({ "action_items": [
                { "owner": "rep", "action": "Send Marta a proposal by Friday", "kind": "commitment",
                  "quote": "I'll send you a proposal by Friday.", "utterance": 4, "confidence": 0.9,
                  "deadline": { "text": "by friday", "date": "2026-11-27" } }
            ]}),
        );
        input = input.after("detect-intents", json!({ "intents": [
                { "label": "signal:competitive", "speaker": "prospect", "phrase": "We're also looking at Gainsight and Totango", "confidence": 0.85 },
                { "label": "signal:buying_positive", "speaker": "prospect", "phrase": "We have budget set aside for this in Q1", "confidence": 0.85 },
                { "label": "signal:timeline", "speaker": "prospect", "phrase": "We want this live by end of Q1", "confidence": 0.8 },
                { "label": "signal:multi_stakeholder", "speaker": "prospect", "phrase": "I need to run this by our CFO and the head of operations", "confidence": 0.8 },
                { "label": "commitment:send_proposal", "speaker": "rep", "phrase": "I'll send you a proposal by Friday", "confidence": 0.9 }
            ]}));
        input
    }

    fn host(stage: &str) -> FakeHost {
        FakeHost::for_skill::<UpdateCrmFromMeeting>().contact(json!({
            "deal": { "id": "d1", "name": "Northwind rollout", "stage": stage }
        }))
    }

    /// Issue 40: "We're on HubSpot" names their CRM, not a competitor; the
    /// evidence quotes the competitor.
    #[test]
    fn the_prospects_own_crm_is_not_a_competitor() {
        let i = Input::for_event(
            "meeting_ended",
            json!({ "meeting_id": "m-8", "utterances": [
                { "speaker": "prospect", "text": "Can it pull from our CRM? We're on HubSpot." },
                { "speaker": "prospect", "text": "I'd have to check with our HubSpot admin." },
                { "speaker": "prospect", "speaker_name": "Marta Ruiz", "start": 245.4,
                  "text": "And we're also looking at Gainsight for the renewals side." }
            ]}),
        )
        .after("extract-action-items", json!({ "action_items": [] }))
        .after(
            "detect-intents",
            json!({ "intents": [
                { "label": "signal:competitive", "speaker": "prospect", "phrase": "We're on HubSpot", "confidence": 0.85 },
                { "label": "signal:competitive", "speaker": "prospect", "phrase": "we're also looking at Gainsight for the renewals side", "confidence": 0.85, "utterance": 2, "start": 245.4 },
                { "label": "signal:multi_stakeholder", "speaker": "prospect", "phrase": "Monday is pipeline review with their team lead", "confidence": 0.85 }
            ]}),
        );
        let out = host("discovery")
            .run::<UpdateCrmFromMeeting>(i)
            .expect("runs");
        let competitors = out
            .actions
            .iter()
            .find(|a| a.payload["field"] == "competitors")
            .map(|a| a.payload.clone())
            .expect("competitors");
        assert_eq!(competitors["value"], json!(["Gainsight"]));
        assert!(
            out.actions
                .iter()
                .all(|a| a.payload["field"] != "stakeholders"),
            "no stakeholder named: {:#?}",
            out.actions
        );
        // The words, who said them, where in the call and how sure: what
        // the rep checks on the gate (issue 40, item 6).
        assert_eq!(
            competitors["evidence"],
            json!({ "quote": "we're also looking at Gainsight for the renewals side",
                "speaker": "Marta Ruiz", "at": 245.4, "confidence": 0.85 })
        );
        assert_eq!(competitors["previous"], Value::Null);
    }

    #[test]
    fn one_action_per_field_and_a_gated_stage_change() {
        let out = host("discovery")
            .run::<UpdateCrmFromMeeting>(input())
            .expect("runs");
        let fields: Vec<&str> = out
            .actions
            .iter()
            .filter_map(|a| a.payload["field"].as_str())
            .collect();
        assert_eq!(
            fields,
            [
                "next_step",
                "timeline",
                "budget_signal",
                "competitors",
                "stakeholders",
                "stage"
            ]
        );
        let by = |f: &str| {
            out.actions
                .iter()
                .find(|a| a.payload["field"] == f)
                .map(|a| a.payload.clone())
                .expect("field")
        };
        assert_eq!(
            by("next_step")["value"],
            "Send Marta a proposal by Friday (due 2026-11-27)"
        );
        assert_eq!(by("competitors")["value"], json!(["Gainsight", "Totango"]));
        assert_eq!(
            by("stakeholders")["value"],
            json!(["CFO", "head of operations"])
        );
        assert_eq!(by("budget_signal")["value"], "positive");
        // Only the stage change carries `stage`, which the host always gates.
        let staged: Vec<_> = out
            .actions
            .iter()
            .filter(|a| a.payload.get("stage").is_some())
            .collect();
        assert_eq!(staged.len(), 1);
        assert_eq!(staged[0].payload["stage"], "proposal");
        assert_eq!(
            out.data["stage_change"],
            json!({ "from": "discovery", "to": "proposal" })
        );
        assert!(out.actions.iter().all(|a| a.kind == ActionKind::CrmUpdate));
    }

    #[test]
    fn deals_never_move_backwards_and_closed_deals_stay_closed() {
        let out = host("negotiation")
            .run::<UpdateCrmFromMeeting>(input())
            .expect("runs");
        assert!(out.data["stage_change"].is_null());
        let out = host("closed_won")
            .run::<UpdateCrmFromMeeting>(input())
            .expect("runs");
        assert!(out.actions.iter().all(|a| a.payload.get("stage").is_none()));
    }

    #[test]
    fn no_deal_means_no_update_and_says_why() {
        let out = FakeHost::for_skill::<UpdateCrmFromMeeting>()
            .run::<UpdateCrmFromMeeting>(input())
            .expect("runs");
        assert!(out.actions.is_empty());
        assert!(
            out.data["reason"]
                .as_str()
                .is_some_and(|r| r.contains("no deal"))
        );
    }
}
