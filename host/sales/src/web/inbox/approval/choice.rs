//! A choice of meeting times (`present-time-options`' gate) with each time
//! in the rep's zone and in the prospect's: the gate's body carries each
//! slot's start (`starts`) and the prospect's zone (`prospect_timezone`).
//! An option that is not a time ("Email these times to Marta") is shown
//! as its words.

use crate::web::store::PendingAction;
use baton_service::inbox::RepClock;
use jiff::Timestamp;
use maud::{Markup, html};

/// `ms` on `clock` with its zone: "tomorrow 09:00 EST".
fn zoned(clock: &RepClock, ms: i64) -> String {
    format!("{} {}", clock.at(ms), clock.zone_name(ms))
}

/// The options as radio buttons in a table: your time, their time, notes.
pub(super) fn options(g: &PendingAction, clock: &RepClock) -> Markup {
    let starts: Vec<Option<i64>> = g.body["starts"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|s| {
                    s.as_str()
                        .and_then(|s| s.parse::<Timestamp>().ok())
                        .map(|t| t.as_millisecond())
                })
                .collect()
        })
        .unwrap_or_default();
    let theirs = g.body["prospect_timezone"]
        .as_str()
        .filter(|z| !z.trim().is_empty())
        .map(|z| RepClock::new(z, clock.now()));
    let minutes = g.body["duration_min"].as_u64();
    html! {
        @if let Some(r) = g.body["request"].as_str().filter(|r| !r.trim().is_empty()) {
            blockquote.evidence { "“" (r) "”" }
        }
        @if let Some(n) = g.body["calendar_note"].as_str() { p.note { (n) } }
        table.choice #times {
            tr {
                th scope="col" { "Pick" }
                th scope="col" { "Your time" }
                th scope="col" { "Their time" }
                th scope="col" { "Note" }
            }
            @for (i, o) in g.options.iter().enumerate() {
                @let id = format!("option-{i}");
                tr.option {
                    td { input id=(id) type="radio" name="option" value=(i) required; }
                    @match starts.get(i).copied().flatten() {
                        Some(ms) => {
                            td.rep-time { label for=(id) { (zoned(clock, ms)) @if let Some(m) = minutes { " (" (m) " min)" } } }
                            td.their-time { @match &theirs {
                                Some(t) => { (zoned(t, ms)) },
                                None => span.muted { "their zone is not known" },
                            } }
                            td.muted { (o.split_once(" for them").map_or("", |(_, rest)| rest.trim())) }
                        }
                        None => {
                            td colspan="3" { label for=(id) { (o) } }
                        }
                    }
                }
            }
        }
    }
}
