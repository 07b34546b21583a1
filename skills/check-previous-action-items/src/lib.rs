//! `check-previous-action-items`: what was promised at earlier meetings with
//! this contact and is still open, with the overdue ones flagged against the
//! meeting's start, so the rep walks in knowing what they owe.
//!
//! Two sources: CRM activities (tier 2) of kind `task`, `action_item` or
//! `commitment` (CRM-lite keeps no status, so such an activity is open
//! unless its summary starts with `done:` / `[done]`; a due date is read
//! from `due YYYY-MM-DD` or `by YYYY-MM-DD` in the summary), and the
//! payload's `previous_action_items` (`[{text, owner?, due?, done?}]`, e.g.
//! from the calendar or an earlier `extract-action-items` run). Overdue means
//! due before the day the meeting starts.

use baton_sdk::briefing::{ItemSource as Source, OpenItem};
use baton_sdk::context;
use baton_sdk::events::pre_meeting::Payload;
use baton_sdk::prelude::*;
use baton_sdk::text::nonblank;
use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct Params {}

/// Activity kinds that are promises.
const KINDS: [&str; 3] = ["task", "action_item", "commitment"];

/// The output, from which the manifest's output schema is derived.
#[derive(Serialize, JsonSchema)]
struct Check {
    meeting_id: Option<String>,
    /// Items still open.
    open: usize,
    /// Of those, items due before the meeting's day.
    overdue: usize,
    /// Why the list may be short, when it may be.
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'static str>,
    /// Overdue first (longest overdue first), then by due date.
    items: Vec<OpenItem>,
}

pub struct CheckPreviousActionItems;

impl Skill for CheckPreviousActionItems {
    fn manifest() -> Manifest {
        Manifest::new(
            "check-previous-action-items",
            env!("CARGO_PKG_VERSION"),
            "Open action items from earlier meetings with the contact, overdue ones first.",
        )
        .produces(flow::names::BRIEFING_OPEN_ITEMS)
        .capability("context:contact")
        .default_fuel(50_000_000)
        .params::<Params>()
        .output::<Check>()
    }

    fn run(input: Input) -> Result<Output, SkillError> {
        let Params {} = input.params()?;
        let payload: Payload = input.payload()?;
        let start_day = match payload.starts_at.as_deref() {
            Some(s) => Some(
                s.parse::<Timestamp>()
                    .map_err(|e| SkillError::InvalidInput(format!("starts_at: {e}")))?
                    .to_zoned(jiff::tz::TimeZone::UTC)
                    .date(),
            ),
            None => None,
        };
        let crm = context::contact()?;

        let mut items: Vec<Open> = Vec::new();
        for item in &payload.previous_action_items {
            let closed = item.done
                || item.status.as_deref().is_some_and(|s| {
                    matches!(
                        s.to_ascii_lowercase().as_str(),
                        "done" | "completed" | "closed" | "cancelled"
                    )
                });
            let Some(text) = nonblank(item.text.as_deref()) else {
                continue;
            };
            if closed {
                continue;
            }
            let due = match item.due.as_deref() {
                Some(d) => Some(day(d).ok_or_else(|| {
                    SkillError::InvalidInput(format!(
                        "previous_action_items: due `{d}` is not a date"
                    ))
                })?),
                None => due_in(text),
            };
            push(
                &mut items,
                Open {
                    text: text.to_owned(),
                    owner: item.owner.clone(),
                    due,
                    recorded: None,
                    source: Source::Event,
                },
            );
        }
        for a in crm.iter().flat_map(|c| &c.activities) {
            let kind = a.kind.as_deref().unwrap_or("").to_ascii_lowercase();
            let Some(text) = nonblank(a.summary.as_deref()) else {
                continue;
            };
            if !KINDS.contains(&kind.as_str()) || is_done(text) {
                continue;
            }
            let recorded = a
                .occurred_at
                .and_then(|ms| Timestamp::from_millisecond(ms).ok())
                .map(|t| t.to_zoned(jiff::tz::TimeZone::UTC).date());
            // Only what was promised before this meeting.
            if let (Some(r), Some(s)) = (recorded, start_day)
                && r > s
            {
                continue;
            }
            push(
                &mut items,
                Open {
                    text: text.to_owned(),
                    owner: None,
                    due: due_in(text),
                    recorded,
                    source: Source::Crm,
                },
            );
        }

        let overdue_by = |o: &Open| match (o.due, start_day) {
            (Some(d), Some(s)) if d < s => d.until(s).ok().map(|span| i64::from(span.get_days())),
            _ => None,
        };
        items.sort_by_key(|o| {
            (
                std::cmp::Reverse(overdue_by(o).unwrap_or(-1)),
                o.due.is_none(),
                o.due,
                std::cmp::Reverse(o.recorded),
            )
        });
        let overdue = items.iter().filter(|o| overdue_by(o).is_some()).count();
        let note = if start_day.is_none() {
            Some("the meeting has no start time, so nothing is flagged overdue")
        } else if crm.is_none() {
            Some("the CRM knows no contact for this meeting")
        } else {
            None
        };
        Output::of(&Check {
            meeting_id: payload.meeting_id,
            open: items.len(),
            overdue,
            note,
            items: items
                .iter()
                .map(|o| {
                    let by = overdue_by(o);
                    OpenItem {
                        text: o.text.clone(),
                        owner: o.owner.clone(),
                        due: o.due.map(|d| d.to_string()),
                        recorded_on: o.recorded.map(|d| d.to_string()),
                        overdue: by.is_some(),
                        days_overdue: by,
                        source: o.source,
                    }
                })
                .collect(),
        })
    }
}

struct Open {
    text: String,
    owner: Option<String>,
    due: Option<Date>,
    recorded: Option<Date>,
    source: Source,
}

/// Add `o` unless the same text is already listed (the event's copy wins).
fn push(items: &mut Vec<Open>, o: Open) {
    let key = o.text.to_lowercase();
    if !items.iter().any(|i| i.text.to_lowercase() == key) {
        items.push(o);
    }
}

fn is_done(summary: &str) -> bool {
    let s = summary.trim_start().to_ascii_lowercase();
    s.starts_with("done:") || s.starts_with("[done]") || s.starts_with("completed:")
}

/// A day from `YYYY-MM-DD` or an RFC 3339 instant (its UTC day).
fn day(s: &str) -> Option<Date> {
    let s = s.trim();
    s.parse::<Date>().ok().or_else(|| {
        s.parse::<Timestamp>()
            .ok()
            .map(|t| t.to_zoned(jiff::tz::TimeZone::UTC).date())
    })
}

/// A due date written in the text: `due 2026-11-20` or `by 2026-11-20`.
fn due_in(text: &str) -> Option<Date> {
    let words: Vec<&str> = text.split_whitespace().collect();
    words.windows(2).find_map(|w| {
        let cue = w[0]
            .trim_matches(|c: char| !c.is_alphanumeric())
            .to_ascii_lowercase();
        (cue == "due" || cue == "by")
            .then(|| day(w[1].trim_matches(|c: char| !c.is_ascii_digit())))
            .flatten()
    })
}

export_skill!(CheckPreviousActionItems);

#[cfg(test)]
mod tests {
    use super::*;
    use baton_sdk::testing::FakeHost;

    const NOV_02: i64 = 1_793_610_000_000; // 2026-11-02T09:00:00Z
    const DEC_01: i64 = 1_796_115_600_000; // 2026-12-01T09:00:00Z, after the meeting

    fn crm() -> Value {
        json!({ "activities": [
            { "id": "a4", "kind": "task", "summary": "Share the rollout plan by 2026-12-02", "occurred_at": DEC_01 },
            { "id": "a3", "kind": "Task", "summary": "Send the security questionnaire due 2026-11-20", "occurred_at": NOV_02 },
            { "id": "a2", "kind": "commitment", "summary": "Intro to their IT lead", "occurred_at": NOV_02 },
            { "id": "a1", "kind": "action_item", "summary": "done: send the deck", "occurred_at": NOV_02 },
            { "id": "a0", "kind": "call", "summary": "Asked for pricing by 2026-11-01", "occurred_at": NOV_02 }
        ]})
    }

    fn input(items: Value) -> Input {
        Input::for_event(
            "pre_meeting_90min",
            json!({ "meeting_id": "mtg-1", "starts_at": "2026-11-24T16:00:00Z", "previous_action_items": items }),
        )
    }

    #[test]
    fn lists_open_items_overdue_first() {
        let out = FakeHost::for_skill::<CheckPreviousActionItems>()
            .contact(crm())
            .run::<CheckPreviousActionItems>(input(json!([
                { "text": "Send the revised payment schedule", "owner": "rep", "due": "2026-11-10" },
                { "title": "Confirm seat count", "owner": "prospect", "due": "2026-11-30" },
                { "text": "Book the kickoff", "done": true },
                { "text": "Send the security questionnaire due 2026-11-20", "owner": "rep" }
            ])))
            .expect("runs");
        let d = &out.data;
        let texts: Vec<&str> = d["items"]
            .as_array()
            .expect("items")
            .iter()
            .filter_map(|i| i["text"].as_str())
            .collect();
        assert_eq!(
            texts,
            [
                "Send the revised payment schedule",
                "Send the security questionnaire due 2026-11-20",
                "Confirm seat count",
                "Intro to their IT lead",
            ],
            "overdue (most first), then by due date, then undated; done, non-promises and later items left out"
        );
        assert_eq!(d["open"], 4);
        assert_eq!(d["overdue"], 2);
        assert_eq!(d["items"][0]["days_overdue"], 14);
        assert_eq!(d["items"][0]["source"], "event");
        assert_eq!(d["items"][1]["days_overdue"], 4);
        assert_eq!(
            d["items"][1]["source"], "event",
            "the event's copy wins over the CRM's"
        );
        assert_eq!(d["items"][2]["overdue"], false);
        assert_eq!(d["items"][3]["recorded_on"], "2026-11-02");
        assert_eq!(d["items"][3]["due"], Value::Null);
    }

    #[test]
    fn nothing_known_is_an_empty_list() {
        let out = FakeHost::for_skill::<CheckPreviousActionItems>()
            .run::<CheckPreviousActionItems>(input(json!([])))
            .expect("runs");
        assert_eq!(out.data["open"], 0);
        assert_eq!(out.data["items"], json!([]));
        assert!(out.data["note"].is_string());
    }

    #[test]
    fn without_a_start_nothing_is_overdue() {
        let mut i = input(json!([{ "text": "Send the deck", "due": "2020-01-01" }]));
        i.event.payload["starts_at"] = Value::Null;
        let out = FakeHost::for_skill::<CheckPreviousActionItems>()
            .run::<CheckPreviousActionItems>(i)
            .expect("runs");
        assert_eq!(out.data["overdue"], 0);
        assert_eq!(out.data["items"][0]["due"], "2020-01-01");
    }

    #[test]
    fn bad_input_is_refused_and_a_denied_tier_is_an_error() {
        let r = FakeHost::for_skill::<CheckPreviousActionItems>()
            .run::<CheckPreviousActionItems>(input(json!([{ "text": "x", "due": "soon" }])));
        assert!(matches!(r, Err(SkillError::InvalidInput(_))));
        let r = FakeHost::for_skill::<CheckPreviousActionItems>()
            .run::<CheckPreviousActionItems>(input(json!("not a list")));
        assert!(matches!(r, Err(SkillError::InvalidInput(_))));
        let r = FakeHost::for_skill::<CheckPreviousActionItems>()
            .revoke("context:contact")
            .run::<CheckPreviousActionItems>(input(json!([])));
        assert!(matches!(r, Err(SkillError::Failed(m)) if m.contains("denied")));
    }
}
