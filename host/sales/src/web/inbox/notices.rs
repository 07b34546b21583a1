//! What the signed-in manager was told about their team (a rep's deal at
//! risk: `connectors::slack_post::MANAGER_NOTICE`), newest first, for two
//! weeks, under the morning brief. The same notice is posted to their
//! Slack channel when Slack is set up; here it is kept either way.

use crate::connectors::slack_post::MANAGER_NOTICE;
use crate::web::App;
use crate::web::auth::InboxUser;
use crate::web::problem::Problem;
use baton_service::inbox::RepClock;
use maud::{Markup, html};

/// How far back the panel looks.
const SHOWN_FOR_MS: i64 = 14 * 24 * 3_600_000;
/// Notices shown at most.
const MAX_SHOWN: i64 = 20;

/// The panel, or nothing when there is no notice (or no signed-in person).
pub(super) async fn panel(app: &App, me: &InboxUser, clock: &RepClock) -> Result<Markup, Problem> {
    let Some(user) = me.user.as_ref() else {
        return Ok(html! {});
    };
    let since = app.now() - SHOWN_FOR_MS;
    let notices = app
        .store()
        .notifications_of(&me.org.id, user, MANAGER_NOTICE, since, MAX_SHOWN)
        .await?;
    if notices.is_empty() {
        return Ok(html! {});
    }
    Ok(html! {
        section #team-notices {
            h2 { "From your team (" (notices.len()) ")" }
            ul {
                @for n in &notices {
                    @let (title, text) = n.message.split_once('\n').unwrap_or((n.message.as_str(), ""));
                    li.team-notice {
                        @match &n.job_id {
                            Some(job) => strong { a href={ "/inbox/jobs/" (job) } { (title) } },
                            None => strong { (title) },
                        }
                        " " (plain(text))
                        span.muted { " · " (clock.relative(n.created_at)) }
                    }
                }
            }
        }
    })
}

/// Slack mrkdwn's emphasis marks left out, for the page.
fn plain(text: &str) -> String {
    text.replace(['*', '_'], "")
}
