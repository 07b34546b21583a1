//! The front page's lists in a rep's words: the waiting items grouped by
//! the meeting or thread they came from (a job and the follow-ups it
//! queued are one group), newest first, each with its title, one-line
//! summary, the words that led to it and when it expires in the rep's
//! zone; what is waiting to go out; the recent jobs. Titles come from
//! `words.rs`, recomputed from each gate's body so older gates read well
//! too. No kind name, step name or id in visible text (ids only in links).

use super::trigger::{Source, Trigger, Why};
use super::trigger_view;
use crate::web::store::{Effect, EffectStatus, GateId, Job, JobId, PendingAction};
use crate::words::{self, About, Words};
use baton_service::inbox::RepClock;
use maud::{Markup, html};
use std::collections::HashMap;

/// One waiting item: its gate, words and trigger.
pub(super) struct Item<'a> {
    pub gate: &'a PendingAction,
    pub words: Words,
    pub trigger: Option<Trigger>,
}

/// The items of one meeting, thread or job.
pub(super) struct Group<'a> {
    pub heading: String,
    pub source: Option<Source>,
    /// When it happened, for ordering (ms).
    pub at: i64,
    pub items: Vec<Item<'a>>,
}

/// `gates` in groups, newest group first and newest item first in each.
pub(super) fn groups<'a>(gates: &'a [PendingAction], whys: &HashMap<JobId, Why>) -> Vec<Group<'a>> {
    let mut by: Vec<(JobId, Group<'a>)> = Vec::new();
    for g in gates {
        let why = whys.get(&g.job_id);
        let trigger = why.map(|w| w.for_gate(g));
        let item = Item {
            gate: g,
            words: trigger.as_ref().map_or_else(
                || words::describe_gate(&g.body, g.pattern, &g.title, &About::default()),
                |t| t.words(g),
            ),
            trigger,
        };
        let key = why.map_or_else(|| g.job_id.clone(), |w| w.group.clone());
        match by.iter_mut().find(|(k, _)| *k == key) {
            Some((_, group)) => {
                group.at = group.at.max(why.map_or(g.created_at, |w| w.happened_at));
                group.items.push(item);
            }
            None => by.push((
                key,
                Group {
                    heading: why.map_or_else(
                        || "Waiting for you".to_owned(),
                        |w| trigger_view::heading(&w.source),
                    ),
                    source: why.map(|w| w.source.clone()),
                    at: why.map_or(g.created_at, |w| w.happened_at),
                    items: vec![item],
                },
            )),
        }
    }
    let mut groups: Vec<Group<'a>> = by.into_iter().map(|(_, g)| g).collect();
    for g in &mut groups {
        g.items
            .sort_by_key(|i| std::cmp::Reverse((i.gate.created_at, i.gate.step_index)));
    }
    groups.sort_by_key(|g| std::cmp::Reverse(g.at));
    groups
}

/// The gates of `groups` in the order the front page lists them.
pub(super) fn order(groups: &[Group<'_>]) -> Vec<GateId> {
    groups
        .iter()
        .flat_map(|g| g.items.iter().map(|i| i.gate.id.clone()))
        .collect()
}

/// A group: its heading, when and with whom, and its items.
pub(super) fn group(g: &Group<'_>) -> Markup {
    html! {
        section.group {
            h3 { (g.heading) }
            @if let Some(s) = &g.source { (trigger_view::source_line(s)) }
            @for i in &g.items { (item(i)) }
        }
    }
}

fn item(i: &Item<'_>) -> Markup {
    let g = i.gate;
    html! {
        div.item {
            a.open href={ "/inbox/approvals/" (g.id) } { (i.words.title) }
            @if !i.words.summary.is_empty() { p.summary { (i.words.summary) } }
            @if let Some(q) = i.trigger.as_ref().and_then(|t| t.quote.as_ref()) {
                (trigger_view::quote_markup(q))
            }
            @if let Some(t) = &i.trigger {
                @let c = &t.why.clock;
                p.muted.expires {
                    "expires " (c.relative(g.expires_at)) " (" (c.at(g.expires_at)) " " (c.zone_name(g.expires_at)) ")"
                }
            }
        }
    }
}

/// What an effect does, in words: "Follow-up email to Marta Ruiz".
pub(super) fn effect_title(e: &Effect, why: Option<&Why>) -> String {
    let about = why.map(|w| w.about.clone()).unwrap_or_default();
    words::describe_action(Some(e.kind), "", &e.payload, &about).title
}

/// Where an effect stands: "sending in 25 s", "trying again in 2 min".
pub(super) fn effect_state(e: &Effect, clock: &RepClock) -> String {
    let now = clock.now();
    let when = if e.not_before <= now {
        "now".to_owned()
    } else if e.not_before - now < 60_000 {
        format!("in {} s", (e.not_before - now + 999) / 1000)
    } else {
        format!(
            "{} ({})",
            clock.relative(e.not_before),
            clock.at(e.not_before)
        )
    };
    match (e.status, e.last_error.is_some()) {
        (EffectStatus::Delivering, _) => "sending now".into(),
        (_, true) => format!("trying again {when}, attempt {}", e.attempts + 1),
        _ => format!("sending {when}"),
    }
}

/// A job, in words: "Meeting follow-up: Northwind discovery call".
pub(super) fn job_title(j: &Job) -> String {
    let tier = j.state.get("context").and_then(|c| c.get("contact"));
    let about = About::of_job(&j.payload, tier.filter(|t| !t.is_null()));
    let what = words::event_title(&j.event_type);
    match about
        .meeting
        .or_else(|| j.payload["subject"].as_str().map(str::to_owned))
        .or(about.deal)
        .or(about.contact)
    {
        Some(on) => format!("{what}: {on}"),
        None => what.to_owned(),
    }
}
