//! The Slack update in the seed's layout, as Block Kit: per campaign its
//! performance, trend and flags; the replies needing attention, each with
//! a button; the A/B suggestion (or "keep testing") with its sample sizes.
//!
//! Buttons are links into the inbox (`/inbox/jobs/<this job>`, made
//! absolute by the host): the job page lists the `campaign_reply` children
//! whose drafts wait at their confirm gates, where approve / edit / skip
//! act through the same routes as everywhere else. The host accepts a
//! skill's buttons only in `actions` blocks whose `block_id` starts with
//! `brief` (`connectors/blocks.rs`), hence the ids. Every outside text is
//! escaped and clipped to Slack's limits.

use crate::abtest::{Decision, ZTest};
use crate::rates::percent;
use crate::replies::Category;
use crate::{Report, VariantStats};
use baton_sdk::slack::{BUTTON_TEXT, CONTEXT_TEXT, HEADER_TEXT, SECTION_TEXT, clip, escape};
use baton_sdk::{Value, json};

/// Campaigns, replies and A/B tests shown at most (Slack allows 50 blocks).
const MAX_CAMPAIGNS: usize = 10;
const MAX_REPLIES: usize = 8;
const MAX_TESTS: usize = 5;

fn section(text: &str) -> Value {
    json!({ "type": "section", "text": { "type": "mrkdwn", "text": clip(text, SECTION_TEXT) } })
}

fn link(block_id: &str, action_id: &str, label: &str, path: &str) -> Value {
    json!({ "type": "actions", "block_id": block_id, "elements": [{
        "type": "button", "action_id": action_id,
        "text": { "type": "plain_text", "text": clip(label, BUTTON_TEXT), "emoji": true },
        "url": path,
    }] })
}

fn arrow(pts: f64) -> &'static str {
    if pts > 0.0 {
        "↑"
    } else if pts < 0.0 {
        "↓"
    } else {
        "→"
    }
}

/// `(title, text, blocks)` for the report of job `job`.
pub fn update(r: &Report, job: &str) -> (String, String, Value) {
    let title = format!("📊 Campaign update — {}", r.date);
    let job_path = format!("/inbox/jobs/{job}");
    let mut blocks = vec![json!({ "type": "header",
        "text": { "type": "plain_text", "text": clip(&title, HEADER_TEXT), "emoji": true } })];
    let mut text = vec![title.clone()];
    if r.campaigns.is_empty() {
        blocks.push(section("No campaign sent anything that day."));
        text.push("No campaign sent anything that day.".into());
    }
    for c in r.campaigns.iter().take(MAX_CAMPAIGNS) {
        let mut lines = vec![
            format!("*\"{}\"*", escape(&c.name)),
            format!("Performance ({}):", r.date),
            format!(
                "├─ Sent: {} | Opened: {} ({}) | Clicked: {} ({}) | Replied: {} ({})",
                c.sent,
                c.opened,
                percent(c.rates.open_rate),
                c.clicked,
                percent(c.rates.click_rate),
                c.replied,
                percent(c.rates.reply_rate)
            ),
        ];
        let trend = match c.change.and_then(|ch| ch.open_pts.zip(ch.reply_pts)) {
            Some((open, reply)) => format!(
                "Trend: Open rate {} {:.1} pts, reply rate {} {:.1} pts vs. {}",
                arrow(open),
                open.abs(),
                arrow(reply),
                reply.abs(),
                r.previous_date
            ),
            None => format!("Trend: no figures for {} to compare with", r.previous_date),
        };
        let verdict = if c.flags.is_empty() {
            "✓ At or above the benchmarks".to_owned()
        } else {
            let under: Vec<String> = c
                .flags
                .iter()
                .map(|f| {
                    format!(
                        "{} {} (benchmark {})",
                        f.metric.replace('_', " "),
                        percent(Some(f.rate)),
                        percent(Some(f.benchmark))
                    )
                })
                .collect();
            format!("⚠️ Underperforming: {}", under.join(", "))
        };
        lines.push(format!("├─ {trend}"));
        lines.push(format!("└─ {verdict}"));
        text.push(lines.join("\n"));
        blocks.push(section(&lines.join("\n")));
    }
    let attention: Vec<_> = r
        .replies
        .iter()
        .filter(|x| x.category.needs_attention())
        .collect();
    if !attention.is_empty() {
        let head = format!("💬 *REPLIES NEEDING ATTENTION ({})*", attention.len());
        text.push(head.clone());
        blocks.push(section(&head));
    }
    for (i, x) in attention.iter().take(MAX_REPLIES).enumerate() {
        let who = x
            .from_name
            .clone()
            .or_else(|| x.from_email.clone())
            .unwrap_or_else(|| "someone".into());
        let company = x
            .from_email
            .as_deref()
            .and_then(|e| e.rsplit_once('@'))
            .map(|(_, d)| format!(" ({d})"))
            .unwrap_or_default();
        let line = format!(
            "{} {}{} — {} _({})_",
            x.category.mark(),
            escape(&who),
            escape(&company),
            escape(&x.summary),
            escape(&x.campaign)
        );
        text.push(line.clone());
        blocks.push(section(&line));
        let label = match x.category {
            Category::Interested => "Draft response →",
            _ => "Open in inbox →",
        };
        blocks.push(link(
            &format!("brief-campaign-reply-{i}"),
            &format!("baton.open.reply.{i}"),
            label,
            &job_path,
        ));
    }
    if attention.len() > MAX_REPLIES {
        blocks.push(json!({ "type": "context", "elements": [{ "type": "mrkdwn",
            "text": format!("…and {} more in the inbox.", attention.len() - MAX_REPLIES) }] }));
    }
    let others: Vec<String> = r
        .reply_counts
        .iter()
        .filter(|(k, _)| ["out_of_office", "unsubscribe", "other"].contains(&k.as_str()))
        .map(|(k, n)| match k.as_str() {
            "unsubscribe" => format!("{n} unsubscribed (now on the do-not-contact list)"),
            "out_of_office" => format!("{n} out of office"),
            _ => format!("{n} needing no action"),
        })
        .collect();
    if !others.is_empty() {
        let line = format!("Also: {}", others.join(", "));
        text.push(line.clone());
        blocks.push(json!({ "type": "context", "elements": [{ "type": "mrkdwn",
            "text": clip(&line, CONTEXT_TEXT) }] }));
    }
    for t in r.ab_tests.iter().take(MAX_TESTS) {
        let mark = match t.decision {
            Decision::KeepTesting => "🧪 *A/B TEST*",
            _ => "💡 *SUGGESTION*",
        };
        let line = format!(
            "{mark} ({}, step {}): {}",
            escape(&t.campaign),
            t.step + 1,
            escape(&t.text)
        );
        text.push(line.clone());
        blocks.push(section(&line));
    }
    blocks.push(link(
        "brief-campaign-job",
        "baton.open.job",
        "View the full check →",
        &job_path,
    ));
    (title, text.join("\n"), Value::Array(blocks))
}

fn rate(v: &VariantStats) -> String {
    v.open_rate
        .map_or_else(|| "–".to_owned(), |r| format!("{:.1}%", r * 100.0))
}

fn subject(v: &VariantStats) -> String {
    v.subject
        .as_deref()
        .map(|s| format!(" (\"{}\")", clip(s, 80)))
        .unwrap_or_default()
}

/// What the update says about an A/B test: the decision, the rates, the
/// sample sizes and the test's statistic against its level.
pub fn ab_text(
    a: &VariantStats,
    b: &VariantStats,
    t: &ZTest,
    d: Decision,
    alpha: f64,
    min_sent: i64,
) -> String {
    let sizes = format!("n = {} vs {}", b.sent, a.sent);
    let stat = match (t.z, t.p_value) {
        (Some(z), Some(p)) => format!("z = {z:.2}, p = {p:.3}"),
        _ => "no variance to test".to_owned(),
    };
    match d {
        Decision::SwitchToB => format!(
            "Subject line B{} is outperforming A{}: {} vs {} opened ({sizes}; {stat} < α = {alpha}, two-sided). Consider switching all remaining sends to B.",
            subject(b),
            subject(a),
            rate(b),
            rate(a)
        ),
        Decision::KeepA => format!(
            "Subject line A{} is outperforming B{}: {} vs {} opened ({sizes} for B vs A; {stat} < α = {alpha}, two-sided). Consider dropping B.",
            subject(a),
            subject(b),
            rate(a),
            rate(b)
        ),
        Decision::KeepTesting if a.sent < min_sent || b.sent < min_sent => format!(
            "Keep testing: B {} vs A {} opened, but only {sizes} sends so far (the test needs {min_sent} per variant).",
            rate(b),
            rate(a)
        ),
        Decision::KeepTesting => format!(
            "Keep testing: B {} vs A {} opened ({sizes}; {stat}, not significant at α = {alpha}).",
            rate(b),
            rate(a)
        ),
    }
}
