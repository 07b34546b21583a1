//! `GET /inbox/metrics`: the success metrics (`crate::success`) of what the
//! signed-in person reaches — a rep their own work and their team's, a
//! token session the org's — as a page: each metric as numbers over 7 and
//! 30 days and a small chart (the daily dismissal rate and follow-up time
//! over 30 days, each skill and label's suggestions by outcome, the briefs
//! and scheduling requests as shares). Server-rendered SVG, no JavaScript.

use super::chart::{BLUE, BROWN, GREEN, GREY, RED, daily_bars, split_bar};
use super::{login_page, page, session};
use crate::success::{self, Counts, Summary, Window};
use crate::web::App;
use crate::web::problem::Problem;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::CookieJar;
use maud::{Markup, html};
use std::sync::Arc;

/// The days the page covers.
const DAYS: u32 = 30;

/// A share as a percentage with at most one decimal, or a dash.
fn percent(v: Option<f64>) -> String {
    match v {
        Some(v) => {
            let s = format!("{:.1}", v * 100.0);
            format!("{}%", s.trim_end_matches(".0"))
        }
        None => "—".into(),
    }
}

/// Seconds as `45 s`, `5 min`, `5 min 30 s`, `2 h 5 min`, or a dash.
fn duration(v: Option<f64>) -> String {
    let Some(v) = v else { return "—".into() };
    let s = v.round() as i64;
    if s < 60 {
        format!("{s} s")
    } else if s >= 3600 {
        format!("{} h {} min", s / 3600, s % 3600 / 60)
    } else if s % 60 == 0 {
        format!("{} min", s / 60)
    } else {
        format!("{} min {} s", s / 60, s % 60)
    }
}

fn outcome_parts(c: &Counts) -> [(u64, &'static str, &'static str); 5] {
    [
        (c.accepted, GREEN, "accepted"),
        (c.edited, BLUE, "edited"),
        (c.dismissed, RED, "dismissed"),
        (c.expired, GREY, "expired"),
        (c.superseded, BROWN, "superseded"),
    ]
}

fn legend() -> Markup {
    html! {
        p.muted.legend {
            @for (_, colour, name) in outcome_parts(&Counts::default()) {
                span style={ "color:" (colour) } { "■ " } (name) " "
            }
        }
    }
}

/// `GET /inbox/metrics`.
#[utoipa::path(get, path = "/inbox/metrics", operation_id = "inboxMetrics", security(("session" = []), ()),
    summary = "The org's success metrics over 7 and 30 days, each with a small chart",
    responses(crate::web::openapi::Db, (status = 200, description = "The page", body = String, content_type = "text/html"), (status = 401, description = "Not signed in: the sign-in page", body = String, content_type = "text/html")))]
pub(super) async fn metrics(
    State(app): State<Arc<App>>,
    jar: CookieJar,
) -> Result<Response, Problem> {
    let Some(me) = session(&app, &jar).await? else {
        return Ok(login_page(
            StatusCode::UNAUTHORIZED,
            Some("Sign in to see your org's success metrics."),
        ));
    };
    // A rep's session sees their own work (and their team's); a token's
    // session the org's.
    let s = success::summarise(app.store(), &me.org, &me.reach, app.now(), DAYS).await?;
    Ok(page("Success metrics", body(&s)).into_response())
}

fn body(s: &Summary) -> Markup {
    let windows: Vec<&Window> = success::WINDOWS
        .iter()
        .filter_map(|d| s.window(*d))
        .collect();
    let month = s.window(DAYS);
    let ends = (
        s.daily.first().map_or("", |d| d.date.as_str()),
        s.daily.last().map_or("", |d| d.date.as_str()),
    );
    let rates: Vec<Option<f64>> = s.daily.iter().map(|d| d.dismissal_rate).collect();
    let times: Vec<Option<f64>> = s.daily.iter().map(|d| d.follow_up_p50_seconds).collect();
    let slowest = times.iter().flatten().copied().fold(0.0, f64::max);
    html! {
        h1 { "Success metrics" }
        p.muted { "Live from the gates, jobs and deliveries of the last " (DAYS) " days (UTC days). "
            a href="/inbox" { "Back to the inbox" } }

        h2 { "Suggestions" }
        table #suggestions {
            tr { th { "Window" } th { "Accepted" } th { "Edited" } th { "Dismissed" } th { "Expired" } th { "Superseded" } th { "Dismissal rate" } th { "Approved as drafted" } }
            @for w in &windows {
                tr data-window=(w.days) {
                    td { (w.days) " days" }
                    td.accepted { (w.suggestions.accepted) }
                    td.edited { (w.suggestions.edited) }
                    td.dismissed { (w.suggestions.dismissed) }
                    td.expired { (w.suggestions.expired) }
                    td.superseded { (w.suggestions.superseded) }
                    td.dismissal-rate { (percent(w.dismissal_rate)) }
                    td.unchanged { (percent(w.approved_unchanged_share)) }
                }
            }
        }
        p.muted { "Superseded: withdrawn unanswered because what the suggestion was based on moved on (a newer message, a meeting held). Approved as drafted: sent without an edit, out of every suggestion." }
        p.muted { "Dismissed: skipped or cancelled at the gate, \"Not right\" included. The rate is dismissed out of every suggestion answered or expired; the plan's target is under 15%." }
        h3 { "Daily dismissal rate" }
        (daily_bars(&rates, 1.0, RED, "Daily dismissal rate, last 30 days", ends))

        h2 { "By skill and label (" (DAYS) " days)" }
        (legend())
        @if month.is_none_or(|m| m.by_skill_label.is_empty()) { p.muted { "No suggestion answered or expired yet." } }
        table #by-skill {
            @for sl in month.map(|m| m.by_skill_label.as_slice()).unwrap_or_default() {
                tr.skill-label data-skill=(sl.skill) data-label=(sl.label) {
                    @let (skill, label) = (crate::words::skill_words(&sl.skill), crate::words::label_words(&sl.label));
                    td { (skill) br; span.muted { (label) } }
                    td style="width:40%" { (split_bar(&outcome_parts(&sl.counts), &format!("{skill}: {label}"))) }
                    td { (sl.counts.accepted) " / " (sl.counts.edited) " / " (sl.counts.dismissed) " / " (sl.counts.expired) " / " (sl.counts.superseded) }
                    td.dismissal-rate { (percent(sl.dismissal_rate)) }
                }
            }
        }

        h2 { "Trust by skill and action (" (DAYS) " days)" }
        @if month.is_none_or(|m| m.trust.is_empty()) { p.muted { "No suggestion answered, expired or withdrawn yet." } }
        table #trust {
            tr { th { "Skill" } th { "Action" } th { "Approved as drafted" } th { "Edited" } th { "Mean edit" } th { "Dismissed" } th { "Expired" } th { "Superseded" } }
            @for t in month.map(|m| m.trust.as_slice()).unwrap_or_default() {
                tr.trust data-skill=(t.skill) data-kind=(t.kind) {
                    td { (crate::words::skill_words(&t.skill)) }
                    td { @if t.kind == "none" { "No action" } @else { (crate::words::label_words(&t.kind)) } }
                    td.unchanged { (percent(t.approved_unchanged_share)) " (" (t.counts.accepted) ")" }
                    td.edited { (t.counts.edited) }
                    td.edit-distance { (percent(t.edit_distance_mean)) }
                    td.dismissed { (t.counts.dismissed) }
                    td.expired { (t.counts.expired) }
                    td.superseded { (t.counts.superseded) }
                }
            }
        }
        p.muted { "Mean edit: how much of a draft the rep's edits changed, in words (0% kept it, 100% rewrote it)." }

        h2 { "Meeting end → follow-up sent" }
        table #follow-up {
            tr { th { "Window" } th { "Sent" } th { "p50" } th { "p90" } }
            @for w in &windows {
                tr data-window=(w.days) {
                    td { (w.days) " days" }
                    td { (w.follow_up.sent) " of " (w.follow_up.meetings) " meetings" }
                    td.p50 { (duration(w.follow_up.p50_seconds)) }
                    td.p90 { (duration(w.follow_up.p90_seconds)) }
                }
            }
        }
        p.muted { "From the meeting's end (the event's ended_at, else when baton heard of it) to the follow-up email's delivery; target under 10 minutes." }
        h3 { "Daily median follow-up time" }
        (daily_bars(&times, slowest, BLUE, "Daily median follow-up time, last 30 days", ends))

        h2 { "Pre-meeting briefs before the meeting" }
        table #briefs {
            tr { th { "Window" } th { "On time" } th { "Late" } th { "Share" } }
            @for w in &windows {
                tr data-window=(w.days) {
                    td { (w.days) " days" }
                    td { (w.briefs.on_time) }
                    td { (w.briefs.late) }
                    td.share { (percent(w.briefs.on_time_share)) }
                }
            }
        }
        @if let Some(m) = month {
            (split_bar(&[(m.briefs.on_time, GREEN, "on time"), (m.briefs.late, RED, "late")], "Briefs on time, 30 days"))
        }

        h2 { "Scheduling requests handled" }
        table #scheduling {
            tr { th { "Window" } th { "Handled" } th { "Requests" } th { "Share" } }
            @for w in &windows {
                tr data-window=(w.days) {
                    td { (w.days) " days" }
                    td { (w.scheduling.handled) }
                    td { (w.scheduling.requests) }
                    td.share { (percent(w.scheduling.handled_share)) }
                }
            }
        }
        @if let Some(m) = month {
            (split_bar(&[(m.scheduling.handled, GREEN, "handled"),
                         (m.scheduling.requests - m.scheduling.handled, RED, "not handled")],
                       "Scheduling requests handled, 30 days"))
        }
        p.muted { "Handled: the rep was offered times (a gate) or the request completed." }

        h2 { "The plan's other goals" }
        table #plan-goals {
            tr { th { "Window" } th { "CRM update completeness" } th { "Action button engagement" } th { "Stale deals re-engaged" } }
            @for w in &windows {
                tr data-window=(w.days) {
                    td { (w.days) " days" }
                    td.crm-completeness { (percent(w.crm_updates.completeness)) " (" (w.crm_updates.updated) " of " (w.crm_updates.meetings) " meetings)" }
                    td.button-engagement { (percent(w.buttons.engagement)) " (" (w.buttons.clicked) " of " (w.buttons.delivered) ")" }
                    td.reengaged { (format!("{:.1}", w.revivals.re_engaged_per_week)) " a week (" (w.revivals.re_engaged) " of " (w.revivals.stale_deals) ")" }
                }
            }
        }
        p.muted { "CRM update completeness: meetings whose CRM update went in (goal over 90%). Button engagement: approval requests someone acted on (approve, edit, skip, choose), of those answered or expired (goal over 60%). Re-engaged: stale deals whose revival email went out." }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_people_say_them() {
        assert_eq!(percent(Some(0.125)), "12.5%");
        assert_eq!(percent(Some(0.5)), "50%");
        assert_eq!(percent(None), "—");
        assert_eq!(duration(Some(45.0)), "45 s");
        assert_eq!(duration(Some(300.0)), "5 min");
        assert_eq!(duration(Some(330.0)), "5 min 30 s");
        assert_eq!(duration(Some(7500.0)), "2 h 5 min");
    }
}
