//! `create-tasks-from-actions`: the rep's to-do list from a meeting, as
//! proposed `task_create` actions: one per thing the rep took on (from
//! `extract-action-items`, and the commitments `detect-intents` heard), and
//! a reminder for each thing the prospect promised, due when they said.
//!
//! One task per thing promised: two promises of the same object ("the
//! security pack", "our security documentation") are one task, due at the
//! earliest date said (`baton_sdk::commitments`, the same reading the
//! follow-up draft makes). A title says the date in the rep's terms ("Send
//! Marta the security pack by Fri 20 Nov").
//!
//! Tasks always wait for the rep (the host's policy); the sequence shows
//! them as a batch so each can be kept or dropped. Each task says where it
//! came from (`action_item` or `intent`) and quotes what was said.

use baton_sdk::commitments::{DateStyle, groups, most_specific, with_due};
use baton_sdk::context::{self, ContactTier};
use baton_sdk::events::meeting_ended::MeetingHeader;
use baton_sdk::evidence::Evidence;
use baton_sdk::meeting::{Speaker, StepRefs};
use baton_sdk::prelude::*;
use baton_sdk::task::TaskAbout;
use baton_sdk::text::first_word;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// Which steps' action items and detections become tasks, and whether the
/// prospect's promises do too.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct Params {
    #[serde(flatten)]
    steps: StepRefs,
    /// Whether the prospect's promises become reminder tasks.
    #[serde(default = "yes")]
    remind_prospect_items: bool,
}

fn yes() -> bool {
    true
}

/// Task lines for commitments `detect-intents` heard; one that an action
/// item already says is merged into it (see [`one_task`]).
fn intent_task(about: TaskAbout, name: &str) -> String {
    match about {
        TaskAbout::Proposal => format!("Send {name} the proposal you promised"),
        TaskAbout::MeetingTimes => format!("Send {name} times for the next meeting"),
        TaskAbout::Content => format!("Send {name} the material they asked for"),
    }
}

/// One task for promises of the same thing (indices into `tasks`): the one
/// that says most about it, due at the earliest date any of them gives.
fn one_task(group: &[usize], tasks: &[&Task], names: &[&str]) -> Option<Task> {
    let titles: Vec<&str> = group.iter().map(|&k| tasks[k].title.as_str()).collect();
    let t = &tasks[group[most_specific(&titles, names)?]];
    let earliest = group
        .iter()
        .filter_map(|&k| tasks[k].due_date.clone())
        .min();
    Some(Task {
        title: t.title.clone(),
        due_date: earliest,
        source: t.source,
        quote: t.quote.clone(),
        reminder: t.reminder,
        // What the group is for, if any of its promises said.
        about: group.iter().find_map(|&k| tasks[k].about),
        evidence: t.evidence.clone(),
    })
}

/// The output, from which the manifest's output schema is derived.
#[derive(Serialize, JsonSchema)]
struct Tasks {
    tasks: Vec<Task>,
}

/// One task for the rep, as output and as the `task_create` proposed.
#[derive(Serialize, JsonSchema)]
struct Task {
    title: String,
    /// `YYYY-MM-DD`, when a date was said.
    due_date: Option<String>,
    source: Source,
    /// What was said that calls for it.
    quote: String,
    /// A reminder to check the prospect did what they promised.
    reminder: bool,
    /// What the task is for, from the commitment said with it (a
    /// `commitment:send_proposal` in the same utterance makes it
    /// `proposal`): the host closes it when that is done elsewhere.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<String>", extend("enum" = ["proposal", "meeting_times", "content"]))]
    about: Option<TaskAbout>,
    /// The words placed in the call, with how sure the step that found
    /// them was: the proposed task's `evidence` (not in the output).
    #[serde(skip)]
    #[schemars(skip)]
    evidence: Option<Evidence>,
}

/// Where a task came from.
#[derive(Clone, Copy, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
enum Source {
    /// An item from `extract-action-items`.
    ActionItem,
    /// A commitment from `detect-intents` that no action item says better.
    Intent,
}

/// A task's `task_create` payload: the task and what it is about.
#[derive(Serialize)]
struct TaskPayload<'a> {
    #[serde(flatten)]
    task: &'a Task,
    contact_id: Option<&'a str>,
    deal_id: Option<&'a str>,
    meeting_id: Option<&'a str>,
    assignee: &'a str,
    evidence: Option<&'a Evidence>,
}

pub struct CreateTasksFromActions;

impl Skill for CreateTasksFromActions {
    fn manifest() -> Manifest {
        Manifest::new(
            "create-tasks-from-actions",
            env!("CARGO_PKG_VERSION"),
            "Turns the action items of a meeting into tasks for the rep to approve.",
        )
        .needs(flow::names::MEETING_ACTION_ITEMS)
        .uses(flow::names::MEETING_INTENTS)
        .capability("context:contact")
        .default_fuel(200_000_000)
        .params::<Params>()
        .output::<Tasks>()
    }

    fn run(input: Input) -> Result<Output, SkillError> {
        let params: Params = input.params()?;
        let (items, detections) = params.steps.read(&input)?;
        let contact = context::contact()?;
        let crm = contact.as_ref();
        let contact_id = crm.and_then(|c| c.contact.as_ref()?.id.as_deref());
        let deal_id = crm.and_then(|c| c.deal.as_ref()?.id.as_deref());
        let name = first_word(crm.and_then(ContactTier::contact_name)).unwrap_or("the prospect");
        let meeting: MeetingHeader = input.payload()?;
        let meeting_id = meeting.meeting_id.as_deref();

        // The meeting's day in the rep's zone, as the items' dates were
        // resolved against it.
        let today: Option<Date> = input
            .previous(&params.steps.actions_step)
            .and_then(|out| out["meeting_date"].as_str()?.parse().ok());

        let mut found: Vec<Task> = Vec::new();
        // The utterance each task was said in (parallel to `found`).
        let mut said_in: Vec<Option<usize>> = Vec::new();
        for i in &items {
            let due_date = i.deadline.as_ref().and_then(|d| d.date.clone());
            // A reminder for what the prospect promised; what the rep asked
            // of them in the call ("could you walk me through …") was
            // mostly answered there.
            let reminder = match i.owner {
                Speaker::Rep => false,
                Speaker::Prospect if params.remind_prospect_items && i.kind != "request" => true,
                Speaker::Prospect => continue,
            };
            // The rep's own promise is for what a commitment heard in the
            // same words is; a reminder is about the prospect's part.
            let about = (!reminder)
                .then(|| {
                    detections
                        .iter()
                        .filter(|d| d.utterance == Some(i.utterance))
                        .find_map(|d| TaskAbout::from_label(&d.label))
                })
                .flatten();
            said_in.push(Some(i.utterance));
            found.push(Task {
                title: i.action.clone(),
                due_date,
                source: Source::ActionItem,
                quote: i.quote.clone(),
                reminder,
                about,
                evidence: Some(i.evidence::<Speaker>(&[])),
            });
        }
        let mut added: Vec<&str> = Vec::new();
        for d in &detections {
            if added.contains(&d.label.as_str()) {
                continue;
            }
            if let Some(about) = TaskAbout::from_label(&d.label) {
                added.push(&d.label);
                // An action item said in the same words already is this
                // task, whatever it calls the thing.
                if found.iter().any(|t| t.about == Some(about)) {
                    continue;
                }
                said_in.push(d.utterance);
                found.push(Task {
                    title: intent_task(about, name),
                    due_date: None,
                    source: Source::Intent,
                    quote: d.phrase.clone(),
                    reminder: false,
                    about: Some(about),
                    evidence: Some(d.evidence::<Speaker>(&[])),
                });
            }
        }
        // The words that said when: the task's own, else those of the date
        // it was given (so the title says "by" or "on" as they did).
        let said_when = |t: &Task| {
            let own = items
                .iter()
                .find(|i| i.action == t.title && i.quote == t.quote)
                .and_then(|i| i.deadline.as_ref());
            own.or_else(|| {
                items
                    .iter()
                    .filter_map(|i| i.deadline.as_ref())
                    .find(|d| d.date.is_some() && d.date == t.due_date)
            })
            .map(|d| d.text.clone())
        };
        let mut tasks: Vec<Task> = Vec::new();
        for reminder in [false, true] {
            let (same, utterances): (Vec<&Task>, Vec<Option<usize>>) = found
                .iter()
                .zip(&said_in)
                .filter(|(t, _)| t.reminder == reminder)
                .map(|(t, u)| (t, *u))
                .unzip();
            let titles: Vec<&str> = same.iter().map(|t| t.title.as_str()).collect();
            for group in groups(&titles, &utterances, &[name]) {
                let Some(mut task) = one_task(&group, &same, &[name]) else {
                    continue;
                };
                let said = said_when(&task).unwrap_or_default();
                if let (Some(date), Some(today)) = (
                    task.due_date
                        .as_deref()
                        .and_then(|d| d.parse::<Date>().ok()),
                    today,
                ) {
                    task.title = with_due(&task.title, &said, date, today, DateStyle::Short);
                }
                if task.reminder {
                    task.title = format!("Check {name} followed through: {}", task.title);
                }
                tasks.push(task);
            }
        }
        let mut out = Output::new(Value::Null);
        for task in &tasks {
            let preview = format!("Task: {}", task.title);
            let payload = to_data(&TaskPayload {
                task,
                contact_id,
                deal_id,
                meeting_id,
                assignee: &input.event.user,
                evidence: task.evidence.as_ref(),
            })?;
            out = out.action(ActionKind::TaskCreate, preview, payload);
        }
        out.data = to_data(&Tasks { tasks })?;
        Ok(out)
    }
}

export_skill!(CreateTasksFromActions);

#[cfg(test)]
mod tests {
    use super::*;
    use baton_sdk::testing::FakeHost;

    fn input(items: Value, intents: Value) -> Input {
        let mut input = Input::for_event("meeting_ended", json!({ "meeting_id": "m-7" }));
        input = input.after(
            "extract-action-items",
            json!({ "meeting_date": "2026-11-20", "action_items": items }),
        );
        input = input.after("detect-intents", json!({ "intents": intents }));
        input
    }

    fn item(owner: &str, action: &str, date: Option<&str>) -> Value {
        said(owner, action, date.map(|d| ("by friday", d)))
    }

    fn said(owner: &str, action: &str, due: Option<(&str, &str)>) -> Value {
        json!({ "owner": owner, "action": action, "kind": "commitment", "quote": format!("I'll {action}"),
                "utterance": 1, "confidence": 0.9,
                "deadline": due.map(|(text, d)| json!({ "text": text, "date": d })) })
    }

    fn host() -> FakeHost {
        FakeHost::for_skill::<CreateTasksFromActions>().contact(json!({
            "contact": { "id": "c1", "name": "Marta Ruiz" }, "deal": { "id": "d1" }
        }))
    }

    #[test]
    fn the_reps_items_become_tasks_and_theirs_reminders() {
        let out = host()
            .run::<CreateTasksFromActions>(input(
                json!([
                    item("rep", "Send Marta a proposal by Friday", Some("2026-11-27")),
                    item("prospect", "Run it by their CFO", None),
                ]),
                json!([{ "label": "commitment:send_proposal", "speaker": "rep", "phrase": "I'll send a proposal", "confidence": 0.9 }]),
            ))
            .expect("runs");
        assert_eq!(out.actions.len(), 2, "{:#?}", out.actions);
        let a = &out.actions[0];
        assert_eq!(a.kind, ActionKind::TaskCreate);
        assert_eq!(a.payload["title"], "Send Marta a proposal by Fri 27 Nov");
        assert_eq!(a.payload["due_date"], "2026-11-27");
        assert_eq!(a.payload["deal_id"], "d1");
        assert_eq!(a.payload["source"], "action_item");
        assert_eq!(a.preview, "Task: Send Marta a proposal by Fri 27 Nov");
        // The words it rests on and how sure: shown on the gate, floored
        // by the org (issue 40, item 6).
        assert_eq!(
            a.payload["evidence"],
            json!({ "quote": "I'll Send Marta a proposal by Friday", "speaker": "You", "confidence": 0.9 })
        );
        // The promise heard as `commitment:send_proposal` makes it a
        // proposal task, which the proposal sent on the deal closes.
        assert_eq!(a.payload["about"], "proposal");
        assert_eq!(out.actions[1].payload["reminder"], true);
        assert_eq!(out.actions[1].payload.get("about"), None);
        assert!(
            out.actions[1].payload["title"]
                .as_str()
                .is_some_and(|t| t.starts_with("Check Marta"))
        );
    }

    #[test]
    fn an_uncovered_commitment_becomes_an_intent_task() {
        let out = host()
            .run::<CreateTasksFromActions>(input(
                json!([]),
                json!([
                    { "label": "commitment:schedule_meeting", "speaker": "prospect", "phrase": "Let's find time next week", "confidence": 0.9 },
                    { "label": "signal:competitive", "speaker": "prospect", "phrase": "We use Clari", "confidence": 0.9 }
                ]),
            ))
            .expect("runs");
        assert_eq!(out.actions.len(), 1);
        assert_eq!(out.actions[0].payload["source"], "intent");
        assert_eq!(
            out.actions[0].payload["title"],
            "Send Marta times for the next meeting"
        );
    }

    #[test]
    fn one_task_per_thing_promised_due_at_the_earliest_date() {
        let out = host()
            .run::<CreateTasksFromActions>(input(
                json!([
                    said("rep", "Send Marta the security documentation", None),
                    said("rep", "Send Marta a proposal with pricing by Friday", Some(("by friday", "2026-11-27"))),
                    said("rep", "Send Marta our security pack today", Some(("today", "2026-11-20"))),
                    said("rep", "Send Marta the security docs by Monday", Some(("by monday", "2026-11-23"))),
                    said("prospect", "Send the renewal numbers by Wednesday", Some(("by wednesday", "2026-11-25"))),
                    said("prospect", "Share the renewal figures", None),
                ]),
                json!([
                    { "label": "commitment:send_proposal", "speaker": "rep", "phrase": "I'll get you a quote", "confidence": 0.9 },
                    { "label": "request:send_content", "speaker": "prospect", "phrase": "Could you send the security pack", "confidence": 0.9 }
                ]),
            ))
            .expect("runs");
        let titles: Vec<&str> = out
            .actions
            .iter()
            .filter_map(|a| a.payload["title"].as_str())
            .collect();
        assert_eq!(
            titles,
            [
                "Send Marta the security docs by Fri 20 Nov",
                "Send Marta a proposal with pricing by Fri 27 Nov",
                "Check Marta followed through: Send the renewal numbers by Wed 25 Nov",
            ]
        );
        assert_eq!(out.actions[0].payload["due_date"], "2026-11-20");
    }

    #[test]
    fn a_task_is_for_the_commitment_said_in_its_words_and_no_other() {
        let at = |action: &str, utterance: usize| {
            let mut v = said("rep", action, None);
            v["utterance"] = json!(utterance);
            v
        };
        let out = host()
            .run::<CreateTasksFromActions>(input(
                json!([
                    at("Send Marta the pricing breakdown", 4),
                    at("Book a demo for the security team", 2)
                ]),
                json!([
                    { "utterance": 4, "label": "commitment:send_proposal", "speaker": "rep", "phrase": "I'll send over the pricing breakdown", "confidence": 0.9 }
                ]),
            ))
            .expect("runs");
        let about: Vec<(&str, Option<&str>)> = out
            .actions
            .iter()
            .map(|a| {
                (
                    a.payload["title"].as_str().unwrap_or_default(),
                    a.payload.get("about").and_then(Value::as_str),
                )
            })
            .collect();
        assert_eq!(
            about,
            [
                ("Send Marta the pricing breakdown", Some("proposal")),
                ("Book a demo for the security team", None),
            ]
        );
    }

    #[test]
    fn nothing_to_do_proposes_nothing() {
        let out = host()
            .run::<CreateTasksFromActions>(input(json!([]), json!([])))
            .expect("runs");
        assert!(out.actions.is_empty());
        assert_eq!(out.data["tasks"], json!([]));
    }
}
