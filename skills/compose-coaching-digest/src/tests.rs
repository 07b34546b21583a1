use super::*;
use baton_sdk::testing::FakeHost;

fn week(from: &str, meetings: u32, share: f64, discovery: f64, median: f64) -> Value {
    json!({ "from": from, "meetings": meetings, "rep_share": share,
            "discovery_per_meeting": discovery, "questions_per_meeting": discovery + 2.0,
            "objections": 4, "objections_with_evidence": if meetings > 3 { 3 } else { 1 },
            "unanswered": 2, "process_early": 1,
            "follow_up": { "sent": meetings, "fast": 1, "fast_minutes": 10, "median_minutes": median } })
}

fn payload(won: u32, lost: u32) -> Value {
    json!({
        "rep": { "handle": "rep1", "name": "Jordan Avery", "timezone": "America/New_York" },
        "date": "2026-11-30", "scheduled": true,
        "targets": { "rep_share": 0.4, "discovery_questions": 6.0 },
        "this_week": week("2026-11-23", 4, 0.62, 4.25, 8.0),
        "last_week": week("2026-11-16", 3, 0.55, 3.0, 35.0),
        "moments": [
            { "kind": "monologue", "meeting": "TechFlow demo", "at_ms": 180_000, "duration_ms": 480_000,
              "quote": "So the way our forecasting engine <works> is", "detail": null },
            { "kind": "unanswered", "meeting": "TechFlow demo", "at_ms": 180_000, "duration_ms": 360_000,
              "quote": "Does it work with our SAP export?", "detail": null }
        ],
        "pattern": { "within_minutes": 5, "lookback_days": 90,
                     "won": { "deals": won, "with_pattern": won },
                     "lost_or_stalled": { "deals": lost, "with_pattern": 1 } },
        "inbox_path": "/inbox"
    })
}

fn run(p: Value, params: Value) -> Value {
    let out = FakeHost::for_skill::<ComposeCoachingDigest>()
        .run::<ComposeCoachingDigest>(Input::for_event("coaching_digest", p).with_params(params))
        .expect("composed");
    out.data
}

#[test]
fn the_digest_has_the_seeds_sections_with_the_weeks_figures() {
    let d = run(payload(3, 3), json!({}));
    let text = d["text"].as_str().expect("text");
    assert!(
        text.starts_with("\u{1f3af} Weekly Coaching Digest \u{2014} Jordan Avery"),
        "{text}"
    );
    assert!(text.contains("THIS WEEK'S NUMBERS"), "{text}");
    assert!(
        text.contains("4 analysed meetings | 4 follow-ups sent, 1 within 10 min (median 8 min)"),
        "{text}"
    );
    assert!(
        text.contains("Talk ratio: 62% you / 38% prospect (target: 40/60) \u{26a0}"),
        "{text}"
    );
    assert!(
        text.contains("Discovery questions per meeting: 4.2 avg (target: 6+)"),
        "{text}"
    );
    // Improving: discovery up, objections 3/4 from 1/4, follow-up faster; worse: talk share.
    assert!(text.contains("IMPROVING"), "{text}");
    assert!(text.contains("Objection handling \u{2014} 3/4 objections addressed with evidence this week (was 1/4 last week)"), "{text}");
    assert!(
        text.contains(
            "GOT WORSE\n\u{2514}\u{2500} Talk ratio \u{2014} 62% you this week (was 55% last week)"
        ),
        "{text}"
    );
    // The focus points at the monologue (talking over the target), with its moment.
    assert!(text.contains("You're talking more than listening. In your TechFlow demo call, you spoke for 8 minutes straight at 3:00:"), "{text}");
    assert_eq!(d["focus"]["at_ms"], 180_000);
    assert!(text.contains("WINNING PATTERN"), "{text}");
    assert!(
        text.contains("3 of 3 won deals (100%) vs 1 of 3 lost or stalled (33%)"),
        "{text}"
    );
    assert_eq!(d["pattern_shown"], true);
    // Block Kit: escaped, with the two inbox links.
    let blocks = d["blocks"].to_string();
    assert!(blocks.contains("&lt;works&gt;"), "{blocks}");
    assert!(blocks.contains("/inbox#coaching"), "{blocks}");
}

#[test]
fn the_winning_pattern_is_withheld_below_the_counts_rule() {
    let d = run(payload(2, 5), json!({}));
    assert_eq!(d["pattern_shown"], false);
    assert!(!d["text"].as_str().unwrap_or("").contains("WINNING PATTERN"));
    assert_eq!(
        d["pattern_withheld"],
        "withheld: 2 won and 5 lost or stalled deals; at least 3 on each side are needed"
    );
    // The rule is a param.
    let d = run(payload(2, 5), json!({ "min_deals_each_side": 2 }));
    assert_eq!(d["pattern_shown"], true);
}

#[test]
fn a_quiet_week_says_so_and_points_at_nothing() {
    let mut p = payload(0, 0);
    p["this_week"] = json!({ "from": "2026-11-23", "meetings": 0 });
    p["moments"] = json!([]);
    let d = run(p, json!({}));
    let text = d["text"].as_str().expect("text");
    assert!(text.contains("No analysed meetings this week."), "{text}");
    assert!(text.contains("Nothing to compare yet"), "{text}");
    assert!(d["focus"].is_null());
}
