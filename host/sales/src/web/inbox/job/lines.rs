//! How the inbox tells the pieces of a job in a line, the same on a gate's
//! page and on the job's timeline: what the job is about, who decided,
//! what a decision was, and where an effect stands (the undo window
//! counting down with its Undo button, then when it was sent).

use crate::web::store::{ActionKind, Effect, EffectStatus, GateKind, Job, PendingAction};
use crate::words;
use baton_engine::runtime::Decision;
use baton_service::inbox::RepClock;
use maud::{Markup, PreEscaped, html};

/// What a job is about: "Meeting follow-up — Discovery call: Northwind".
pub(in super::super) fn job_heading(job: &Job) -> String {
    let kind = words::event_title(&job.event_type);
    match subject(job) {
        Some(s) => format!("{kind} — {s}"),
        None => kind.to_owned(),
    }
}

/// The meeting's title or the email's subject the job's event carries.
pub(super) fn subject(job: &Job) -> Option<&str> {
    let p = &job.payload;
    [
        &p["title"],
        &p["subject"],
        &p["meeting_title"],
        &p["meeting"]["title"],
    ]
    .into_iter()
    .find_map(|v| v.as_str().map(str::trim).filter(|s| !s.is_empty()))
}

/// Who decided, from the credential recorded with the decision:
/// "rep1 in the inbox", "tests (org token) in the inbox".
pub(in super::super) fn who(by: &str) -> String {
    let places = [
        ("inbox:token:", " (org token) in the inbox"),
        ("inbox:", " in the inbox"),
        ("slack:", " in Slack"),
        ("cli:", " from the command line"),
    ];
    for (prefix, place) in places {
        if let Some(name) = by.strip_prefix(prefix) {
            return format!("{name}{place}");
        }
    }
    by.to_owned()
}

/// A gate's title in a rep's words.
pub(in super::super) fn gate_heading(g: &PendingAction) -> String {
    match g.kind {
        GateKind::Step => words::gate_title(
            g.body["actions"].as_array().map_or(&[], Vec::as_slice),
            g.pattern,
        ),
        GateKind::Skill => g.title.clone(),
    }
}

/// A decision in words: "Approved", "Chose: Wed 25 Nov 10:00…",
/// "Approved 3 of 7".
pub(in super::super) fn decision_words(g: &PendingAction, d: &Decision) -> String {
    match d {
        Decision::Approved => "Approved".into(),
        Decision::Edited(_) => "Approved with edits".into(),
        Decision::Skipped => "Skipped".into(),
        Decision::Cancelled => "Stopped".into(),
        Decision::Chosen(i) => match g.options.get(*i as usize) {
            Some(o) => format!("Chose: {o}"),
            None => "Chose an option".into(),
        },
        Decision::PerItem(items) => format!(
            "Approved {} of {}",
            items.iter().filter(|x| **x).count(),
            items.len()
        ),
    }
}

/// Whether an effect of `kind` is sent (to a person) rather than saved.
fn is_sent(kind: ActionKind) -> bool {
    !matches!(kind, ActionKind::CrmUpdate | ActionKind::TaskCreate)
}

/// `ms` as a countdown: "0:27".
fn countdown(ms: i64) -> String {
    let s = (ms.max(0) + 999) / 1000;
    format!("{}:{:02}", s / 60, s % 60)
}

/// A wait this long is a send the rep timed, not an undo window.
const SCHEDULED_MS: i64 = 3_600_000;

/// Where an effect stands, in a line: "Sending in 0:27 (at 14:03) —
/// Undo", "Sent today 14:03", "Undone: not sent". `back` is where Undo
/// returns to.
pub(in super::super) fn effect_state(e: &Effect, clock: &RepClock, back: &str) -> Markup {
    let what = words::action_title(
        Some(e.kind),
        e.payload["preview"].as_str().unwrap_or(""),
        &e.payload["payload"],
    );
    let sent = is_sent(e.kind);
    let now = clock.now();
    html! {
        div.effect data-status=(e.status.as_str()) {
            span.what { (what) } " — "
            span.effect-status {
                @match e.status {
                    // Timed by the rep (send later), beyond any undo window.
                    EffectStatus::Pending if e.not_before - now > SCHEDULED_MS && e.attempts == 0 => {
                        (if sent { "Scheduled: sends " } else { "Scheduled: saves " })
                        span.scheduled { (clock.at(e.not_before)) " " (clock.zone_name(e.not_before)) }
                        " (" (clock.relative(e.not_before)) ")"
                    }
                    EffectStatus::Pending if e.not_before > now && e.attempts == 0 => {
                        (if sent { "Sending in " } else { "Saving in " })
                        span.countdown data-deadline=(e.not_before) data-now=(now) { (countdown(e.not_before - now)) }
                        " (at " (clock.at(e.not_before)) ")"
                    }
                    EffectStatus::Pending if e.not_before > now => {
                        "Trying again " (clock.relative(e.not_before)) " (" (clock.at(e.not_before)) ")"
                    }
                    EffectStatus::Pending | EffectStatus::Delivering => {
                        (if sent { "Sending now" } else { "Saving now" })
                    }
                    EffectStatus::Delivered => {
                        (if sent { "Sent " } else { "Saved " })
                        (e.delivered_at.map(|t| clock.at(t)).unwrap_or_default())
                    }
                    EffectStatus::Failed => { (if sent { "Not sent" } else { "Not saved" }) }
                    EffectStatus::Cancelled => { (if sent { "Undone: not sent" } else { "Undone: not saved" }) }
                }
            }
            @if e.status == EffectStatus::Pending {
                " "
                form.inline method="post" action={ "/inbox/effects/" (e.id) "/cancel" } {
                    input type="hidden" name="back" value=(back);
                    button.undo type="submit" {
                        @if e.not_before - now > SCHEDULED_MS && e.attempts == 0 { "Cancel send" } @else { "Undo" }
                    }
                }
            }
            @if let Some(err) = &e.last_error { " " span.error { (err) } }
        }
    }
}

/// The script that makes each countdown on a page tick (once per page).
pub(in super::super) fn ticking() -> Markup {
    html! { script { (PreEscaped(TICK)) } }
}

/// With a script, each countdown ticks, on the server's clock.
const TICK: &str = r#"(function(){
var c0=document.querySelector('.countdown[data-now]');
var off=c0?(+c0.getAttribute('data-now'))-Date.now():0;
function tick(){document.querySelectorAll('.countdown[data-deadline]').forEach(function(c){
var s=Math.max(0,Math.ceil((+c.getAttribute('data-deadline')-Date.now()-off)/1000));
c.textContent=Math.floor(s/60)+':'+('0'+s%60).slice(-2);});}
tick();setInterval(tick,1000);})();"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deciders_and_countdowns_read_as_words() {
        assert_eq!(who("inbox:rep1"), "rep1 in the inbox");
        assert_eq!(who("inbox:token:tests"), "tests (org token) in the inbox");
        assert_eq!(who("api"), "api");
        assert_eq!(countdown(27_000), "0:27");
        assert_eq!(countdown(26_001), "0:27");
        assert_eq!(countdown(90_000), "1:30");
        assert_eq!(countdown(-5), "0:00");
    }
}
