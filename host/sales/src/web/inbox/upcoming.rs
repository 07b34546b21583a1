//! "Coming up" on the front page: the signed-in rep's pre-meeting
//! briefings (`generate-briefing`'s output) for meetings not yet over, with
//! their talking points and a link to the whole briefing. A briefing shown
//! here counts as delivered (recorded once per job as a
//! [`BRIEF_SHOWN`] notification, read by the success metrics): a rep
//! without Slack still has it before the meeting.

use crate::store::success::BRIEF_SHOWN;
use crate::web::App;
use crate::web::auth::InboxUser;
use crate::web::problem::Problem;
use crate::web::store::BriefTables;
use baton_service::inbox::RepClock;
use baton_store::NewNotification;
use maud::{Markup, html};
use serde_json::Value;

/// The jobs that prepare a meeting, and the step that writes the briefing.
const EVENT: &str = "pre_meeting_90min";
const SKILL: &str = "generate-briefing";
/// Briefings made this long ago at most are looked at (they are made 90
/// minutes before the meeting).
const LOOK_BACK_MS: i64 = 4 * 3_600_000;
/// A meeting that began this long ago is still shown.
const GRACE_MS: i64 = 30 * 60_000;
/// Briefings shown at most.
const MAX_SHOWN: i64 = 5;

/// The panel, or nothing when no meeting is coming up.
pub(super) async fn panel(app: &App, me: &InboxUser, clock: &RepClock) -> Result<Markup, Problem> {
    let Some(user) = me.user.as_ref() else {
        return Ok(html! {});
    };
    let now = app.now();
    let recent = app
        .store()
        .recent_composed(
            &me.org.id,
            user,
            EVENT,
            SKILL,
            now - LOOK_BACK_MS,
            MAX_SHOWN,
        )
        .await?;
    let coming: Vec<_> = recent
        .into_iter()
        .filter(|b| starts(&b.data).is_none_or(|at| at + GRACE_MS >= now))
        .collect();
    if coming.is_empty() {
        return Ok(html! {});
    }
    for b in &coming {
        let shown = NewNotification {
            kind: BRIEF_SHOWN.into(),
            channel: "inbox".into(),
            message: "The pre-meeting briefing was shown in the inbox.".into(),
            dedupe_key: Some(format!("{BRIEF_SHOWN}:{}", b.job_id)),
        };
        app.store()
            .record_notification(&me.org.id, user, Some(&b.job_id), &shown, now)
            .await?;
    }
    Ok(html! {
        section #coming-up {
            h2 { "Coming up" }
            @for b in &coming {
                @let title = b.data["title"].as_str().unwrap_or("Your next meeting");
                article.briefing {
                    h3 { a href={ "/inbox/jobs/" (b.job_id) } { (title) } }
                    @if let Some(at) = starts(&b.data) {
                        p.muted { "Starts " (clock.relative(at)) " (" (clock.at(at)) ")" }
                    }
                    ul {
                        @for point in b.data["talking_points"].as_array().into_iter().flatten().filter_map(Value::as_str) {
                            li { (point) }
                        }
                    }
                }
            }
        }
    })
}

/// When the briefing's meeting starts (unix ms), if it says.
fn starts(data: &Value) -> Option<i64> {
    let at: jiff::Timestamp = data["starts_at"].as_str()?.parse().ok()?;
    Some(at.as_millisecond())
}
