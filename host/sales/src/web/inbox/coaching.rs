//! The rep's coaching in the inbox (`#coaching`): the latest weekly digest
//! (the `compose-coaching-digest` output, read as composed sections) and
//! the micro-feedback of their latest analysed meetings (from
//! `coaching_analyses`), each only when the rep's coaching preference asks
//! for it, and how to change that preference. A rep signed in by magic
//! link sees their own; a token session sees the org's newest.

use crate::coaching_digest::{COMPOSER, EVENT};
use crate::web::App;
use crate::web::auth::InboxUser;
use crate::web::problem::Problem;
use crate::web::store::PreferenceTables;
use crate::web::store::{BriefTables, CoachingTables};
use crate::web::store::{Coaching, CoachingAnalysis};
use baton_service::inbox::RepClock;
use baton_types::brief::Composed;
use maud::{Markup, html};
use serde::Deserialize;

/// Meetings whose feedback the panel lists.
const MEETINGS: i64 = 5;

/// A feedback bullet as the analysis stored it.
#[derive(Deserialize)]
struct Bullet {
    text: String,
    #[serde(default)]
    tone: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Stored {
    feedback: Vec<Bullet>,
    overall: String,
}

fn icon(tone: Option<&str>) -> &'static str {
    match tone {
        Some("strength") => "\u{2705}",
        Some("warning") => "\u{26a0}\u{fe0f}",
        _ => "\u{1f4a1}",
    }
}

/// The rep's preference (the org's newest analysis' rep for a token
/// session).
async fn preference(
    app: &App,
    me: &InboxUser,
    rows: &[CoachingAnalysis],
) -> Result<Coaching, Problem> {
    let user = me.user.as_ref().or(rows.first().map(|r| &r.user_id));
    Ok(match user {
        Some(u) => app.store().sales_preferences(&me.org.id, u).await?.coaching,
        None => Coaching::default(),
    })
}

/// The coaching panel, or nothing when there is no coaching yet.
pub(super) async fn panel(app: &App, me: &InboxUser, clock: &RepClock) -> Result<Markup, Problem> {
    let store = app.store();
    let rows = store
        .latest_coaching(&me.org.id, me.user.as_ref(), MEETINGS)
        .await?;
    let digest = store
        .latest_composed(&me.org.id, me.user.as_ref(), EVENT, COMPOSER)
        .await?;
    if rows.is_empty() && digest.is_none() {
        return Ok(html! {});
    }
    let wants = preference(app, me, &rows).await?;
    let digest = digest.filter(|_| wants.weekly()).and_then(|d| {
        Some((
            serde_json::from_value::<Composed>(d.data).ok()?,
            d.created_at,
            d.job_id,
        ))
    });
    Ok(html! {
        section #coaching {
            h2 { "Coaching" }
            @if let Some((d, at, job)) = &digest {
                h3 #coaching-digest { (d.title) }
                p.muted { "Digest of " (clock.at(*at)) " · " a href={ "/inbox/jobs/" (job) } { "how it was made" } }
                @for s in &d.sections {
                    h4 { (s.heading) }
                    ul .{ "coaching-" (s.key) } { @for l in &s.lines { li { (l.text) } } }
                }
            }
            @if wants.per_meeting() {
                @for r in &rows {
                    @let stored = serde_json::from_str::<Stored>(&r.detail).unwrap_or_default();
                    div.coaching-meeting {
                        h3 { "Quick feedback on your " (crate::words::call_words(r.title.as_deref())) }
                        p.muted { "Analysed " (clock.at(r.analysed_at)) " · " a href={ "/inbox/jobs/" (r.job_id) } { "the meeting's job" } }
                        ul.coaching-feedback {
                            @for b in &stored.feedback { li { (icon(b.tone.as_deref())) " " (b.text) } }
                        }
                        @if !stored.overall.is_empty() { p { (stored.overall) } }
                    }
                }
            }
            p #coaching-preferences .muted {
                "Coaching preference: " strong { (wants.as_str()) }
                " (" (Coaching::choices()) "; change it in " a href="/inbox/settings" { "your settings" } ")."
            }
        }
    })
}
