//! The inbox's front page as a rep reads it, after the real meeting chain
//! (the shipped skills and `sequences/meeting_ended.toml`) ran on a
//! discovery call in a real `baton serve` on loopback: human titles from
//! words.rs, the items grouped under the meeting (with the follow-up job
//! it queued), each with the prospect's or rep's words and their m:ss in
//! the call, times in the rep's zone (New York, then London), and no kind
//! name, step name or id in the visible text.

use super::meeting_ended::{CHILDREN as PROPOSAL, SKILLS, post_demo_call, read};
use baton::store::Preferences;
use baton_tests::page_text::{uuids, visible_text};
use baton_tests::server::{Server, Setup, env, start};
use baton_tests::{Answer, Backend, HttpPeer, TestDb, backend_test};
use serde_json::json;

/// The follow-up the call queues for times: a stand-in that drafts an
/// email (which the policy holds at a confirm gate), so the meeting's
/// group holds a gate of a second job.
const CALENDAR: &str = r#"
event = "calendar_find_times"
dedupe_key = "meeting_id"

[[step]]
name = "offer-times"
skill = "scripted"
params = { actions = [{ kind = "email_send", preview = "Times for Marta Ruiz: a call next week", payload = { to = "marta.ruiz@northwind.example", subject = "Times for a call", body = "Hi Marta,\n\nHere are three times that work." } }] }
"#;

/// What must never show on a rep's page: the action kinds, the step
/// names of the sequences that ran.
const HIDDEN: [&str; 8] = [
    "email_send",
    "crm_update",
    "task_create",
    "slack_post",
    "calendar_invite",
    "proposal_send",
    "offer-times",
    "scripted",
];

async fn set_zone(s: &Server, tz: &str) {
    let prefs = Preferences {
        timezone: tz.into(),
        slack_channel: Some("D-REP1".into()),
        ..Preferences::default()
    };
    s.app
        .store()
        .set_preferences(&s.org, &s.user, &prefs)
        .await
        .expect("prefs");
}

async fn inbox(s: &Server, cookie: &str) -> String {
    let r = s
        .http
        .get(s.url("/inbox"))
        .header("cookie", cookie)
        .send()
        .await
        .expect("inbox");
    assert_eq!(r.status().as_u16(), 200);
    r.text().await.expect("html")
}

/// The part of `html` from `from` up to `to`.
fn cut_outside(html: &str, from: &str, to: &str) -> String {
    let start = html.find(from).unwrap_or_else(|| panic!("no {from:?}"));
    let rest = &html[start..];
    rest[..rest.find(to).unwrap_or(rest.len())].to_owned()
}

/// The text a person sees (support's `visible_text`), its spaces single.
fn visible(html: &str) -> String {
    visible_text(html)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The page's text from `title` on, for a few hundred characters.
fn item_after<'a>(text: &'a str, title: &str) -> &'a str {
    let at = text
        .find(title)
        .unwrap_or_else(|| panic!("no item {title:?} in: {text}"));
    let tail = &text[at..];
    let end = tail.char_indices().nth(400).map_or(tail.len(), |(i, _)| i);
    &tail[..end]
}

backend_test!(
    the_list_reads_in_a_reps_words_grouped_by_meeting_in_their_zone,
    the_list_reads_in_a_reps_words_grouped_by_meeting_in_their_zone_body
);

async fn the_list_reads_in_a_reps_words_grouped_by_meeting_in_their_zone_body(backend: Backend) {
    let slack = HttpPeer::answering(
        vec![],
        Answer::json(json!({ "ok": true, "channel": "D-REP1", "ts": "1700000000.000100" })),
    );
    let sequence = read("sequences/meeting_ended.toml");
    let db = TestDb::new(backend).await;
    let s = start(
        db.store.clone(),
        Setup {
            sequences: &[&sequence, PROPOSAL, CALENDAR],
            skills: &SKILLS,
            env: env(&[
                ("BATON_SLACK_BOT_TOKEN", "xoxb-test"),
                (
                    "BATON_SLACK_API_URL",
                    &format!("http://127.0.0.1:{}/api", slack.port),
                ),
            ]),
            ..Setup::default()
        },
    )
    .await;
    let (status, imported) = s
        .post(
            "/v1/crm/import",
            json!({
                "org": { "slug": "acme", "name": "Acme" },
                "companies": [{ "name": "Northwind Logistics", "domain": "northwind.example" }],
                "contacts": [{ "name": "Marta Ruiz", "email": "marta.ruiz@northwind.example",
                               "title": "Head of Customer Operations", "company": "Northwind Logistics" }],
                "deals": [{ "name": "Northwind renewals rollout", "stage": "discovery",
                            "company": "Northwind Logistics", "contact": "marta.ruiz@northwind.example",
                            "amount_cents": 2_160_000, "close_date": "2026-11-13" }],
            }),
        )
        .await;
    assert_eq!(status, 200, "{imported}");
    set_zone(&s, "America/New_York").await;
    let (job, parked) = post_demo_call(&s).await;
    // The times follow-up it queued parks at its email.
    let mut times = None;
    for id in parked["children"].as_array().expect("children") {
        let id = id.as_str().expect("child id");
        let (_, child) = s.get(&format!("/v1/jobs/{id}")).await;
        if child["event_type"] == "calendar_find_times" {
            times = Some(id.to_owned());
        }
    }
    let times = times.unwrap_or_else(|| panic!("no times follow-up: {parked:#}"));
    s.open_gate(&times).await;

    let cookie = s.rep_login().await;
    let html = inbox(&s, &cookie).await;
    let text = visible(&html);
    // The list alone (the coaching panel above quotes times of its own).
    let list = visible(&cut_outside(&html, "id=\"approvals\"", "Waiting to go out"));

    // Human titles, from words.rs.
    for title in [
        "Follow-up email to Marta Ruiz (Northwind)",
        "Move Northwind renewals rollout to Proposal",
        "tasks from the Northwind call",
    ] {
        assert!(text.contains(title), "{title:?} missing: {text}");
    }
    // One group: the meeting, when it was in New York and who was on it,
    // holding the meeting's gates and its follow-up's.
    assert_eq!(html.matches("class=\"group\"").count(), 1, "{text}");
    assert!(
        text.contains("Northwind discovery call Fri 20 Nov 10:00 EST · with Marta Ruiz"),
        "{text}"
    );
    assert_eq!(html.matches("class=\"item\"").count(), 4, "{text}");
    assert_eq!(html.matches("class=\"open\"").count(), 4, "{text}");
    assert!(html.contains("id=\"approvals\""));
    // Each item quotes the words that led to it, with their time in the
    // call; the follow-up quotes the line that asked for times.
    let draft = item_after(&text, "Follow-up email to Marta Ruiz (Northwind)");
    assert!(draft.contains("— Marta Ruiz at "), "{draft}");
    // The tasks quote the rep's promise their first task keeps (what Marta
    // asked for at 12:44 and the promise at 12:56 are one task since the
    // task skill merges promises about the same thing); the times
    // follow-up quotes the rep's promise that queued it (1137.5 s).
    assert!(
        list.contains("“I'll send you our security pack and the data processing agreement today.” — You at 12:56"),
        "{list}"
    );
    assert!(
        list.contains("“Absolutely, I'll send over a few times.” — You at 18:58"),
        "{list}"
    );
    let quotes = html.matches("class=\"at\"").count();
    assert_eq!(quotes, 4, "every item quotes its trigger: {text}");
    let at_times: Vec<&str> = list
        .match_indices(" at ")
        .map(|(i, _)| list[i + 4..].split_whitespace().next().unwrap_or(""))
        .filter(|w| w.contains(':'))
        .collect();
    assert!(
        at_times.iter().all(|t| {
            let (m, s) = t.split_once(':').expect("m:ss");
            m.parse::<u32>().is_ok() && s.len() == 2 && s.parse::<u32>().is_ok_and(|s| s < 60)
        }) && at_times.len() >= 4,
        "{at_times:?}"
    );
    // The draft waits 48 hours: it expires in two days, in New York time.
    assert!(
        text.contains("expires in 2 days (Wed 25 Nov 10:00 EST)"),
        "{text}"
    );

    // Nothing a rep should not see.
    for hidden in HIDDEN.iter().chain(SKILLS.iter()) {
        assert!(!text.contains(hidden), "{hidden:?} shows: {text}");
    }
    assert_eq!(uuids(&text), Vec::<String>::new(), "{text}");

    // The approval page opens with the same trigger: the meeting, the
    // contact, company and deal, and the words that led to it.
    let (_, gates) = s.get("/v1/approvals").await;
    let draft = gates
        .as_array()
        .expect("gates")
        .iter()
        .find(|g| g["job_id"] == job.as_str() && g["step_name"] == "draft-followup-email")
        .expect("the draft's gate");
    let r = s
        .http
        .get(s.url(&format!(
            "/inbox/approvals/{}",
            draft["id"].as_str().expect("id")
        )))
        .header("cookie", &cookie)
        .send()
        .await
        .expect("approval page");
    let page = r.text().await.expect("html");
    let why = visible(&cut_outside(&page, "id=\"why\"", "</section>"));
    for shown in [
        "Northwind discovery call",
        "Fri 20 Nov 10:00 EST",
        "Marta Ruiz, Head of Customer Operations · Northwind · Northwind renewals rollout (Discovery)",
        "— Marta Ruiz at 12:44",
    ] {
        assert!(why.contains(shown), "{shown:?} missing: {why}");
    }

    // An operator signed in by token reads the rep's zone too.
    let operator = s.inbox_login(&s.token).await;
    let text = visible(&inbox(&s, &operator).await);
    assert!(text.contains("Fri 20 Nov 10:00 EST"), "{text}");

    // The rep moves to London: the same page reads in London time.
    set_zone(&s, "Europe/London").await;
    let text = visible(&inbox(&s, &cookie).await);
    assert!(text.contains("Fri 20 Nov 15:00 GMT"), "{text}");
    assert!(text.contains("(Wed 25 Nov 15:00 GMT)"), "{text}");
    assert!(!text.contains("EST"), "{text}");

    s.stop().await;
    db.finish().await;
}
