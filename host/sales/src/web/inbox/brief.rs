//! The rep's latest morning brief at the top of the inbox, rendered from
//! the composed brief's sections (`baton_types::brief::Composed`, what
//! `compose-morning-brief` wrote), never from raw JSON. A rep signed in by
//! magic link sees their own; a token session sees the org's newest.

use crate::brief::COMPOSER;
use crate::web::App;
use crate::web::auth::InboxUser;
use crate::web::problem::Problem;
use crate::web::store::BriefTables;
use baton_service::inbox::RepClock;
use baton_types::brief::Composed;
use maud::{Markup, html};

/// The brief's panel, or nothing when there is no brief yet.
pub(super) async fn panel(app: &App, me: &InboxUser, clock: &RepClock) -> Result<Markup, Problem> {
    let Some(latest) = app
        .store()
        .latest_brief(&me.org.id, me.user.as_ref(), COMPOSER)
        .await?
    else {
        return Ok(html! {});
    };
    let Ok(brief) = serde_json::from_value::<Composed>(latest.data) else {
        return Ok(html! {});
    };
    Ok(html! {
        section #brief {
            h2 { (brief.title) }
            p.muted {
                "Morning brief of " (clock.at(latest.created_at)) " · "
                a href={ "/inbox/jobs/" (latest.job_id) } { "how it was made" }
            }
            @for s in &brief.sections {
                h3 id={ "brief-" (s.key) } { (s.heading) }
                ul .{ "brief-" (s.key) } {
                    @for l in &s.lines {
                        li { @match &l.link {
                            Some(href) if href.starts_with("/inbox") => a href=(href) { (l.text) },
                            _ => (l.text),
                        } }
                    }
                }
            }
        }
    })
}
