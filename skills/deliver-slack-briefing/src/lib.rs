//! `deliver-slack-briefing`: proposes the briefing from `generate-briefing`
//! as one `slack_post` action, inform-only (the policy never gates Slack
//! summaries). The payload carries `title` and `text` (the plain briefing)
//! and `blocks`: Block Kit with a header, the meeting line, one section per
//! part (who, deal, open items, news, talking points) and a context line for
//! anything degraded. Every text is escaped for mrkdwn and cut to Slack's
//! limits, and no block is interactive: a briefing asks nothing.
//!
//! A briefing step that lays out its own message (`title`, `text` and
//! `blocks`, as `compose-morning-brief` does for the morning brief; name it
//! with the `briefing_step` param) is posted as it is: the host checks its
//! blocks and buttons before posting.
//!
//! The channel is not chosen here: without a `channel` the host posts to
//! the rep's `slack_channel` preference. Needs no capability.

use baton_sdk::prelude::*;
use baton_sdk::slack::{CONTEXT_TEXT, HEADER_TEXT, SECTION_TEXT, clip, escape};
use baton_sdk::text::field;
use serde::{Deserialize, Serialize};

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct Params {
    /// The step whose output is the briefing (its step name or skill).
    #[serde(default = "default_step")]
    briefing_step: String,
}

fn default_step() -> String {
    "generate-briefing".to_owned()
}

/// Lines per list section.
const MAX_LINES: usize = 5;

/// The output, from which the manifest's output schema is derived.
#[derive(Serialize, JsonSchema)]
struct Delivered {
    meeting_id: Option<String>,
    title: String,
    /// How many Block Kit blocks the post has.
    #[schemars(range(min = 1))]
    blocks: usize,
}

pub struct DeliverSlackBriefing;

impl Skill for DeliverSlackBriefing {
    fn manifest() -> Manifest {
        Manifest::new(
            "deliver-slack-briefing",
            env!("CARGO_PKG_VERSION"),
            "Proposes a briefing (pre-meeting, or the morning brief as composed) as one inform-only Slack post (Block Kit).",
        )
        .needs(flow::names::SLACK_BRIEFING)
        .default_fuel(50_000_000)
        .params::<Params>()
        .output::<Delivered>()
    }

    fn run(input: Input) -> Result<Output, SkillError> {
        let params: Params = input.params()?;
        // A message its step already laid out (the morning brief) goes as
        // it is; the host checks its buttons before posting.
        if let Some(c) = input.step_output::<Composed>(&params.briefing_step)?
            && !c.blocks.is_empty()
        {
            return composed_post(c);
        }
        let b = input
            .previous
            .iter()
            .find(|p| p.step == params.briefing_step || p.skill == params.briefing_step)
            .map(|p| &p.data)
            .filter(|d| d["title"].is_string())
            .ok_or_else(|| {
                SkillError::InvalidInput(format!(
                    "no briefing: step `{}` did not run before this one",
                    params.briefing_step
                ))
            })?;
        let title = format!("Meeting prep: {}", b["title"].as_str().unwrap_or("meeting"));
        let blocks = blocks(&title, b);
        let count = blocks.len();
        let preview = format!("Briefing in Slack: {}", clip(&title, 200));
        Ok(Output::of(&Delivered {
            meeting_id: b["meeting_id"].as_str().map(str::to_owned),
            title: title.clone(),
            blocks: count,
        })?
        .action(
            ActionKind::SlackPost,
            preview,
            json!({
                "title": clip(&title, HEADER_TEXT),
                "text": b["text"].as_str().unwrap_or(""),
                "blocks": blocks,
                "meeting_id": b["meeting_id"],
            }),
        ))
    }
}

/// A briefing step's own message: its title, text and Block Kit.
#[derive(Deserialize)]
struct Composed {
    #[serde(default)]
    title: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    blocks: Vec<Value>,
}

/// The post of a message laid out by its step.
fn composed_post(c: Composed) -> Result<Output, SkillError> {
    let title = clip(&c.title, HEADER_TEXT);
    Ok(Output::of(&Delivered {
        meeting_id: None,
        title: title.clone(),
        blocks: c.blocks.len(),
    })?
    .action(
        ActionKind::SlackPost,
        format!("Briefing in Slack: {}", clip(&c.title, 200)),
        json!({ "title": title, "text": c.text, "blocks": c.blocks }),
    ))
}

/// A mrkdwn link, only for a plain http(s) URL; else the label alone.
fn link(url: Option<&str>, label: &str) -> String {
    match url {
        Some(u)
            if (u.starts_with("https://") || u.starts_with("http://"))
                && !u.contains(['|', '<', '>', ' ']) =>
        {
            format!("<{u}|{}>", escape(label))
        }
        _ => escape(label),
    }
}

fn section(heading: &str, lines: &[String]) -> Value {
    let mut text = format!("*{heading}*");
    for l in lines.iter().take(MAX_LINES) {
        text.push_str(&format!("\n• {l}"));
    }
    if lines.len() > MAX_LINES {
        text.push_str(&format!("\n• and {} more", lines.len() - MAX_LINES));
    }
    json!({ "type": "section", "text": { "type": "mrkdwn", "text": clip(&text, SECTION_TEXT) } })
}

/// The Block Kit message for briefing `b`.
fn blocks(title: &str, b: &Value) -> Vec<Value> {
    let mut out = vec![json!({
        "type": "header",
        "text": { "type": "plain_text", "text": clip(title, HEADER_TEXT), "emoji": true }
    })];
    let mut when = Vec::new();
    if let Some(t) = field(b, "starts_local").or_else(|| field(b, "starts_at")) {
        when.push(format!(":calendar: *{}*", escape(t)));
    }
    if let Some(c) = b["company"]
        .as_object()
        .and_then(|c| c.get("name")?.as_str())
    {
        let mut line = format!(":office: {}", escape(c));
        if let Some(i) = field(&b["company"], "industry") {
            line.push_str(&format!(" · {}", escape(i)));
        }
        if let Some(n) = b["company"]["employees"].as_i64() {
            line.push_str(&format!(" · {n} people"));
        }
        when.push(line);
    }
    if !when.is_empty() {
        out.push(json!({ "type": "section", "text": { "type": "mrkdwn", "text": clip(&when.join("\n"), SECTION_TEXT) } }));
    }

    let who: Vec<String> = b["attendees"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|a| {
            let name = link(
                field(a, "linkedin"),
                field(a, "name").unwrap_or("(name unknown)"),
            );
            let mut line = format!("*{name}*");
            match (field(a, "title"), field(a, "company")) {
                (Some(t), Some(c)) => line.push_str(&format!(", {} at {}", escape(t), escape(c))),
                (Some(t), None) => line.push_str(&format!(", {}", escape(t))),
                (None, Some(c)) => line.push_str(&format!(", {}", escape(c))),
                (None, None) => {}
            }
            if let Some(x) = field(a, "seniority") {
                line.push_str(&format!(" _({})_", escape(&x.replace('_', "-"))));
            }
            // What their LinkedIn says, when it was read and adds to the title.
            if let Some(h) = field(a, "headline")
                && field(a, "title").is_none_or(|t| !h.eq_ignore_ascii_case(t))
            {
                line.push_str(&format!("\n    \u{201c}{}\u{201d}", escape(h)));
            }
            if let Some(x) = field(a, "about") {
                line.push_str(&format!("\n    {}", escape(x)));
            }
            line
        })
        .collect();
    if !who.is_empty() {
        out.push(section("Who", &who));
    }

    let mut deal = Vec::new();
    if let Some(d) = b["deal"].as_object().map(|_| &b["deal"]) {
        let mut line = format!(
            "*{}*: {}",
            escape(field(d, "name").unwrap_or("Deal")),
            escape(&field(d, "stage").unwrap_or("open").replace('_', " "))
        );
        if let Some(a) = field(d, "amount") {
            line.push_str(&format!(", {}", escape(a)));
        }
        if let Some(c) = field(d, "close_date") {
            line.push_str(&format!(", closes {}", escape(c)));
            if let Some(n) = d["days_to_close"].as_i64() {
                line.push_str(&format!(" ({n} days out)"));
            }
        }
        deal.push(line);
    }
    match b["history"]["lines"].as_array() {
        Some(lines) => deal.extend(lines.iter().filter_map(Value::as_str).map(escape)),
        None => deal.extend(field(&b["history"], "summary").map(escape)),
    }
    if !deal.is_empty() {
        out.push(section("Deal and history", &deal));
    }

    let items: Vec<String> = b["action_items"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|i| {
            let mut line = String::new();
            if i["overdue"] == true {
                line.push_str(&format!(
                    ":warning: *Overdue {} days:* ",
                    i["days_overdue"].as_i64().unwrap_or(0)
                ));
            }
            line.push_str(&escape(field(i, "text").unwrap_or("(no text)")));
            let extra: Vec<String> = [
                field(i, "owner").map(escape),
                field(i, "due").map(|d| format!("due {}", escape(d))),
            ]
            .into_iter()
            .flatten()
            .collect();
            if !extra.is_empty() {
                line.push_str(&format!(" ({})", extra.join(", ")));
            }
            line
        })
        .collect();
    if !items.is_empty() {
        out.push(section("Open action items", &items));
    }

    let news: Vec<String> = b["news"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|n| {
            let title = link(field(n, "url"), field(n, "title")?);
            let meta: Vec<String> = [field(n, "source"), field(n, "published_on")]
                .into_iter()
                .flatten()
                .map(escape)
                .collect();
            Some(if meta.is_empty() {
                title
            } else {
                format!("{title} ({})", meta.join(", "))
            })
        })
        .collect();
    if !news.is_empty() {
        out.push(section("News", &news));
    }

    let points: Vec<String> = b["talking_points"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .enumerate()
        .map(|(n, p)| format!("{}. {}", n + 1, escape(p)))
        .collect();
    if !points.is_empty() {
        out.push(json!({ "type": "divider" }));
        let text = format!("*Talking points*\n{}", points.join("\n"));
        out.push(json!({ "type": "section", "text": { "type": "mrkdwn", "text": clip(&text, SECTION_TEXT) } }));
    }

    let mut notes = Vec::new();
    if b["enrichment"]["degraded"] == true
        && let Some(n) = field(&b["enrichment"], "note")
    {
        notes.push(format!(":information_source: {}", escape(n)));
    }
    if let Some(n) = field(&b["enrichment"], "linkedin_note") {
        notes.push(format!(":information_source: {}", escape(n)));
    }
    let missing: Vec<&str> = b["missing"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .filter(|m| *m != "enrich-attendees")
        .map(baton_sdk::words::source_title)
        .collect();
    if !missing.is_empty() {
        notes.push(format!("Not checked: {}", escape(&missing.join(", "))));
    }
    notes.push("Prepared by baton from your CRM and research providers".to_owned());
    out.push(json!({
        "type": "context",
        "elements": notes.iter().take(10).map(|n| json!({ "type": "mrkdwn", "text": clip(n, CONTEXT_TEXT) })).collect::<Vec<_>>()
    }));
    out
}

export_skill!(DeliverSlackBriefing);

#[cfg(test)]
mod tests {
    use super::*;
    use baton_sdk::testing::FakeHost;

    fn briefing() -> Value {
        json!({
            "meeting_id": "mtg-1",
            "title": "Harbour Freight forecast review",
            "starts_local": "Tue 24 Nov, 16:00 GMT",
            "company": { "name": "Harbour Freight Partners", "industry": "freight", "employees": 320 },
            "attendees": [{ "name": "Aisha Bello", "title": "Chief Financial Officer", "company": "Harbour <Freight> & Co",
                            "seniority": "c_suite", "linkedin": "https://www.linkedin.com/in/aisha-bello", "source": "provider" }],
            "enrichment": { "status": "failed", "degraded": true, "note": "enrichment degraded: the provider answered HTTP 500" },
            "deal": { "name": "Harbour Freight forecast add-on", "stage": "proposal", "amount": "£5,400", "close_date": "2026-12-19", "days_to_close": 25 },
            "history": { "summary": "…", "lines": ["Last touch: call on 2026-10-16 (39 days before the meeting): CFO asked for a revised payment schedule"] },
            "action_items": [{ "text": "Send the revised payment schedule", "owner": "rep", "due": "2026-11-10", "overdue": true, "days_overdue": 14 }],
            "news": [{ "title": "Rotterdam hub", "url": "https://news.example/r", "source": "Freight Weekly", "published_on": "2026-11-10" },
                     { "title": "Bad link", "url": "javascript:alert(1)" }],
            "talking_points": ["Close the loop on the schedule.", "Agree the close plan."],
            "missing": ["research-company-news"],
            "text": "Harbour Freight forecast review\n..."
        })
    }

    fn input(b: Value) -> Input {
        let mut i = Input::for_event("pre_meeting_90min", json!({ "meeting_id": "mtg-1" }));
        i = i.after("generate-briefing", b);
        i
    }

    #[test]
    fn proposes_one_inform_slack_post_with_the_briefing_blocks() {
        let (out, h) = FakeHost::for_skill::<DeliverSlackBriefing>()
            .run_with::<DeliverSlackBriefing>(input(briefing()));
        let out = out.expect("runs");
        assert!(h.denied.is_empty() && h.gates.is_empty());
        assert_eq!(out.actions.len(), 1);
        let a = &out.actions[0];
        assert_eq!(a.kind, ActionKind::SlackPost);
        assert_eq!(
            a.payload["title"],
            "Meeting prep: Harbour Freight forecast review"
        );
        assert_eq!(a.payload["text"], "Harbour Freight forecast review\n...");
        assert!(
            a.payload.get("channel").is_none(),
            "the host picks the rep's channel"
        );
        let blocks = a.payload["blocks"].as_array().expect("blocks");
        assert_eq!(out.data["blocks"], blocks.len());
        assert_eq!(blocks[0]["type"], "header");
        let all = json!(blocks).to_string();
        assert!(
            all.contains("<https://www.linkedin.com/in/aisha-bello|Aisha Bello>"),
            "{all}"
        );
        assert!(
            all.contains("Harbour &lt;Freight&gt; &amp; Co"),
            "escaped: {all}"
        );
        assert!(
            all.contains(":warning: *Overdue 14 days:* Send the revised payment schedule"),
            "{all}"
        );
        assert!(
            all.contains("<https://news.example/r|Rotterdam hub>"),
            "{all}"
        );
        assert!(!all.contains("javascript:"), "{all}");
        assert!(all.contains("enrichment degraded"), "{all}");
        assert!(all.contains("Last touch: call on 2026-10-16"), "{all}");
        assert!(all.contains("Not checked: company news"), "{all}");
        assert!(
            blocks
                .iter()
                .all(|b| b["type"] != "actions" && b.get("accessory").is_none()),
            "nothing interactive"
        );
    }

    #[test]
    fn a_linkedin_headline_shows_under_the_attendee_and_a_missing_read_is_noted() {
        let mut b = briefing();
        b["attendees"][0]["headline"] = json!("CFO | Freight <finance>");
        b["attendees"][0]["about"] = json!("I run finance for a freight forwarder.");
        b["enrichment"]["linkedin_note"] = json!("LinkedIn profiles were not read this time.");
        let (out, _) = FakeHost::for_skill::<DeliverSlackBriefing>()
            .run_with::<DeliverSlackBriefing>(input(b));
        let all = out.expect("runs").actions[0].payload["blocks"].to_string();
        assert!(
            all.contains("\u{201c}CFO | Freight &lt;finance&gt;\u{201d}"),
            "{all}"
        );
        assert!(
            all.contains("I run finance for a freight forwarder."),
            "{all}"
        );
        assert!(
            all.contains(":information_source: LinkedIn profiles were not read this time."),
            "{all}"
        );
    }

    #[test]
    fn every_text_fits_slacks_limits() {
        let mut b = briefing();
        b["title"] = json!("T".repeat(400));
        b["talking_points"] = json!(["p ".repeat(2000)]);
        b["attendees"] = json!(
            (0..20)
                .map(|n| json!({ "name": format!("Person {n}") }))
                .collect::<Vec<_>>()
        );
        let out = FakeHost::for_skill::<DeliverSlackBriefing>()
            .run::<DeliverSlackBriefing>(input(b))
            .expect("runs");
        let blocks = out.actions[0].payload["blocks"]
            .as_array()
            .expect("blocks")
            .clone();
        assert!(blocks.len() <= 50);
        for b in &blocks {
            let len = |v: &Value| v.as_str().map(|t| t.chars().count()).unwrap_or(0);
            match b["type"].as_str() {
                Some("header") => assert!(len(&b["text"]["text"]) <= HEADER_TEXT),
                Some("section") => assert!(len(&b["text"]["text"]) <= SECTION_TEXT),
                _ => {}
            }
        }
        assert!(json!(blocks).to_string().contains("and 15 more"));
    }

    #[test]
    fn a_message_its_step_laid_out_goes_as_it_is() {
        let blocks = json!([{ "type": "header", "text": { "type": "plain_text", "text": "Good morning, Jordan." } },
            { "type": "actions", "block_id": "brief:links", "elements": [
                { "type": "button", "action_id": "baton.open.inbox", "text": { "type": "plain_text", "text": "Inbox" }, "url": "/inbox" }] }]);
        let input = Input::for_event("morning_brief", json!({}))
            .with_params(json!({ "briefing_step": "compose-morning-brief" }))
            .after(
                "compose-morning-brief",
                json!({ "title": "Good morning, Jordan.", "text": "MEETINGS TODAY (0)", "blocks": blocks, "sections": [] }),
            );
        let out = FakeHost::for_skill::<DeliverSlackBriefing>()
            .run::<DeliverSlackBriefing>(input)
            .expect("runs");
        assert_eq!(out.actions.len(), 1);
        let a = &out.actions[0];
        assert_eq!(a.kind, ActionKind::SlackPost);
        assert_eq!(a.payload["title"], "Good morning, Jordan.");
        assert_eq!(a.payload["text"], "MEETINGS TODAY (0)");
        assert_eq!(a.payload["blocks"], blocks);
        assert_eq!(out.data["blocks"], 2);
    }

    #[test]
    fn without_a_briefing_it_is_invalid_input() {
        let r = FakeHost::for_skill::<DeliverSlackBriefing>()
            .run::<DeliverSlackBriefing>(Input::for_event("pre_meeting_90min", json!({})));
        assert!(matches!(r, Err(SkillError::InvalidInput(m)) if m.contains("generate-briefing")));
    }
}
