use super::*;
use baton_sdk::testing::FakeHost;
use jiff::civil::date;
use slots::{Hours, Search, Slot};

/// Monday 23 Nov 2026, 09:00 in New York.
const NOW: &str = "2026-11-23T14:00:00Z";

fn ics(events: &str) -> String {
    format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n{}END:VCALENDAR\r\n",
        events.replace('\n', "\r\n")
    )
}

fn host() -> FakeHost {
    FakeHost::for_skill::<FindAvailableSlots>().org(json!({
        "preferences": { "timezone": "America/New_York", "working_start_min": 540, "working_end_min": 1080,
                         "quiet_start_min": null, "quiet_end_min": null },
        "user": { "handle": "rep1", "name": "Jordan Avery", "email": "jordan.avery@demo.example" }
    }))
}

fn call(payload: Value, params: Value) -> Input {
    let mut p = payload;
    p["event_time"] = json!(NOW);
    Input::for_event("calendar_find_times", p).with_params(params)
}

fn ny() -> jiff::tz::TimeZone {
    jiff::tz::TimeZone::get("America/New_York").expect("zone")
}

fn search<'a>(tz: &'a jiff::tz::TimeZone, busy: &'a [(Timestamp, Timestamp)]) -> Search<'a> {
    Search {
        rep_tz: tz,
        prospect_tz: None,
        hours: Hours {
            working_start: 540,
            working_end: 1080,
            quiet: None,
        },
        first: date(2026, 11, 24),
        end: date(2026, 11, 25),
        duration: jiff::SignedDuration::from_mins(30),
        buffer: jiff::SignedDuration::from_mins(15),
        busy,
        not_before: ts(NOW),
        part_of_day: None,
        days: &[],
        proposed: &[],
        holidays: &NO_HOLIDAYS,
        strict: true,
    }
}

static NO_HOLIDAYS: holidays::Holidays = holidays::Holidays::none();

fn ts(s: &str) -> Timestamp {
    s.parse().expect("timestamp")
}

fn starts(slots: &[Slot], tz: &jiff::tz::TimeZone) -> Vec<String> {
    slots
        .iter()
        .map(|s| s.start.to_zoned(tz.clone()).strftime("%H:%M").to_string())
        .collect()
}

#[test]
fn the_buffer_keeps_a_gap_around_meetings() {
    let tz = ny();
    // Tue 24 Nov, 10:00–11:00 New York.
    let busy = [(ts("2026-11-24T15:00:00Z"), ts("2026-11-24T16:00:00Z"))];
    let all = slots::free_slots(&search(&tz, &busy));
    let s = starts(&all, &tz);
    assert!(s.contains(&"09:00".to_owned()), "{s:?}");
    assert!(
        !s.contains(&"09:30".to_owned()),
        "ends 10:00, within the buffer: {s:?}"
    );
    assert!(
        !s.contains(&"11:00".to_owned()),
        "starts within the buffer: {s:?}"
    );
    assert!(s.contains(&"11:30".to_owned()), "{s:?}");
    assert_eq!(
        s.last().map(String::as_str),
        Some("17:30"),
        "the day ends at 18:00"
    );

    let mut no_buffer = search(&tz, &busy);
    no_buffer.buffer = jiff::SignedDuration::ZERO;
    let s = starts(&slots::free_slots(&no_buffer), &tz);
    assert!(
        s.contains(&"09:30".to_owned()) && s.contains(&"11:00".to_owned()),
        "{s:?}"
    );
}

#[test]
fn quiet_hours_are_never_offered() {
    let tz = ny();
    let mut s = search(&tz, &[]);
    s.hours.quiet = Some((12 * 60, 13 * 60 + 30));
    let got = starts(&slots::free_slots(&s), &tz);
    for t in ["12:00", "12:30", "13:00"] {
        assert!(
            !got.contains(&t.to_owned()),
            "{t} is in quiet hours: {got:?}"
        );
    }
    assert!(got.contains(&"11:30".to_owned()) && got.contains(&"13:30".to_owned()));
    // Quiet hours across midnight (22:00–07:00) with a long working day.
    s.hours = Hours {
        working_start: 6 * 60,
        working_end: 23 * 60,
        quiet: Some((22 * 60, 7 * 60)),
    };
    let got = starts(&slots::free_slots(&s), &tz);
    assert_eq!(got.first().map(String::as_str), Some("07:00"), "{got:?}");
    assert_eq!(got.last().map(String::as_str), Some("21:30"), "{got:?}");
}

#[test]
fn slots_inside_their_business_hours_score_higher() {
    let tz = ny();
    let london = jiff::tz::TimeZone::get("Europe/London").expect("zone");
    let mut s = search(&tz, &[]);
    s.prospect_tz = Some(&london);
    let all = slots::free_slots(&s);
    let at = |hhmm: &str| {
        all.iter()
            .find(|x| x.start.to_zoned(tz.clone()).strftime("%H:%M").to_string() == hhmm)
            .cloned()
            .expect("slot")
    };
    let nine = at("09:00");
    let late = at("14:00");
    assert!(nine.score > late.score, "{nine:?} vs {late:?}");
    assert!(
        nine.reasons.contains(&"inside their business hours"),
        "{nine:?}"
    );
    assert!(nine.reasons.contains(&"morning"));
    assert_eq!(nine.warning, None);
    assert_eq!(
        late.warning.as_deref(),
        Some("⚠️ late for them (19:30 their time)")
    );
    assert!(all.iter().all(|x| (0.0..=1.0).contains(&x.score)));

    // Best few: highest first, one per day while days are left.
    s.end = date(2026, 11, 28);
    let best = slots::best(slots::free_slots(&s), 4, &tz);
    assert_eq!(best.len(), 4);
    let days: std::collections::BTreeSet<_> = best
        .iter()
        .map(|b| b.start.to_zoned(tz.clone()).date())
        .collect();
    assert_eq!(days.len(), 4, "{best:?}");
    assert!(best.windows(2).all(|w| w[0].score >= w[1].score));
    assert!(best[0].reasons.contains(&"sooner"), "{best:?}");
}

#[test]
fn the_warning_says_early_or_late_and_for_whom() {
    assert_eq!(
        slots::warn(8 * 60, 8 * 60 + 30, "them", "their"),
        "⚠️ early for them (8:00 their time)"
    );
    assert_eq!(
        slots::warn(16 * 60 + 30, 17 * 60 + 30, "them", "their"),
        "⚠️ late for them (17:30 their time)"
    );
    assert_eq!(
        slots::warn(7 * 60 + 30, 8 * 60, "you", "your"),
        "⚠️ early for you (7:30 your time)"
    );
}

#[test]
fn the_skill_offers_slots_with_both_local_times() {
    let cal = ics(
        "BEGIN:VEVENT\nUID:a\nSUMMARY:Pipeline review\nDTSTART;TZID=America/New_York:20261124T090000\nDTEND;TZID=America/New_York:20261124T100000\nEND:VEVENT\n",
    );
    let input = call(json!({ "calendars": { "rep": cal } }), json!({})).after(
        "parse-scheduling-request",
        json!({ "duration_min": 30, "prospect_timezone": "Europe/London", "part_of_day": null, "days": [], "extra": 1 }),
    );
    let (out, h) = host().run_with::<FindAvailableSlots>(input);
    let data = out.expect("runs").data;
    assert_eq!(data["calendar"], "read", "{data:#}");
    assert_eq!(data["rep_timezone"], "America/New_York");
    assert_eq!(data["prospect_timezone"], "Europe/London");
    assert_eq!(data["window"]["start"], "2026-11-23");
    assert_eq!(
        data["window"]["end"], "2026-12-08",
        "ten business days after today"
    );
    let slots = data["slots"].as_array().expect("slots");
    assert_eq!(slots.len(), 4, "{data:#}");
    let first = &slots[0];
    assert!(first["start"].as_str().is_some_and(|s| s.ends_with('Z')));
    let rep_local = first["rep_local"].as_str().expect("rep_local");
    let their_local = first["prospect_local"].as_str().expect("prospect_local");
    assert!(
        rep_local.ends_with("EST") && their_local.ends_with("GMT"),
        "{rep_local} / {their_local}"
    );
    assert!(
        slots.iter().all(|s| s["start"] != "2026-11-24T14:00:00Z"),
        "the rep is busy then: {data:#}"
    );
    assert!(data.get("busy").is_none());
    assert!(
        h.logs
            .iter()
            .all(|(_, l)| !l.contains('@') && !l.contains("Pipeline")),
        "{:?}",
        h.logs
    );
}

#[test]
fn a_recurring_meeting_keeps_its_local_time_across_the_dst_change() {
    // Weekly Fridays 10:00 New York from 23 Oct; DST ends Sun 1 Nov 2026.
    let cal = ics(
        "BEGIN:VEVENT\nUID:weekly\nSUMMARY:1:1\nDTSTART;TZID=America/New_York:20261023T100000\nDTEND;TZID=America/New_York:20261023T103000\nRRULE:FREQ=WEEKLY;BYDAY=FR\nEXDATE;TZID=America/New_York:20261106T100000\nEND:VEVENT\n\
BEGIN:VEVENT\nUID:weekly\nSUMMARY:1:1 moved\nRECURRENCE-ID;TZID=America/New_York:20261113T100000\nDTSTART;TZID=America/New_York:20261112T160000\nDTEND;TZID=America/New_York:20261112T163000\nEND:VEVENT\n\
BEGIN:VEVENT\nUID:off\nSUMMARY:Holiday\nDTSTART;VALUE=DATE:20261026\nDTEND;VALUE=DATE:20261027\nEND:VEVENT\n\
BEGIN:VEVENT\nUID:free\nSUMMARY:Focus\nTRANSP:TRANSPARENT\nDTSTART;TZID=America/New_York:20261027T090000\nDTEND;TZID=America/New_York:20261027T120000\nEND:VEVENT\n\
BEGIN:VEVENT\nUID:gone\nSUMMARY:Cancelled\nSTATUS:CANCELLED\nDTSTART:20261028T140000Z\nDTEND:20261028T150000Z\nEND:VEVENT\n\
BEGIN:VEVENT\nUID:float\nSUMMARY:Lunch\nDTSTART:20261029T120000\nDTEND:20261029T130000\nEND:VEVENT\n",
    );
    let input = Input::for_event(
        "calendar_find_times",
        json!({ "calendars": { "rep": cal }, "event_time": "2026-10-20T12:00:00Z" }),
    )
    .with_params(
        json!({ "window_start": "2026-10-26", "window_end": "2026-11-14", "list_busy": true }),
    );
    let data = host().run::<FindAvailableSlots>(input).expect("runs").data;
    let busy: Vec<(String, String)> = data["busy"]
        .as_array()
        .expect("busy")
        .iter()
        .map(|b| {
            (
                b["start"].to_string(),
                b["summary"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    let want = [
        (r#"{"date":"2026-10-26"}"#, "Holiday"),
        (r#"{"floating":"2026-10-29T12:00:00"}"#, "Lunch"),
        (r#"{"utc":"2026-10-30T14:00:00Z"}"#, "1:1"),
        (r#"{"utc":"2026-11-12T21:00:00Z"}"#, "1:1 moved"),
    ];
    let mut got = busy.clone();
    got.sort();
    let mut want: Vec<(String, String)> = want
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    want.sort();
    assert_eq!(
        got, want,
        "EDT before the change, EST after; the 6th excluded, the 13th moved"
    );

    // No slot on the all-day holiday, none during the floating lunch.
    for s in data["slots"].as_array().expect("slots") {
        let start = s["start"].as_str().unwrap_or("");
        assert!(!start.starts_with("2026-10-26"), "{s}");
        assert!(
            !("2026-10-29T15:45".."2026-10-29T17:15").contains(&start),
            "{s}"
        );
    }
}

#[test]
fn without_a_calendar_it_answers_from_working_hours_and_says_so() {
    let (out, h) =
        host().run_with::<FindAvailableSlots>(call(json!({}), json!({ "max_slots": 3 })));
    let data = out.expect("never fails for a missing calendar").data;
    assert_eq!(data["calendar"], "unavailable");
    assert_eq!(data["slots"].as_array().map(Vec::len), Some(3));
    assert_eq!(
        data["slots"][0]["prospect_local"],
        Value::Null,
        "no prospect zone known"
    );
    assert!(
        data["notes"].to_string().contains("working hours"),
        "{data:#}"
    );
    assert!(h.http_requests.is_empty());
}

#[test]
fn the_calendar_provider_is_fetched_for_the_user_and_degrades_when_refused() {
    let url = "http://127.0.0.1:9001/cal/{user}.ics";
    let cal =
        ics("BEGIN:VEVENT\nUID:x\nDTSTART:20261124T140000Z\nDTEND:20261124T150000Z\nEND:VEVENT\n");
    // The host names the rep by id in the event; `{user}` is their handle
    // (issue 38: the feed was asked for by id and 404ed).
    let mut by_id = call(json!({}), json!({ "list_busy": true }));
    by_id.event.user = "0b6f3c2e-user-id".into();
    let (out, h) = host()
        .external("calendar", json!({ "rep_ics_url": url }))
        .grant("http:127.0.0.1:9001")
        .http("http://127.0.0.1:9001/cal/rep1.ics", 200, &cal)
        .run_with::<FindAvailableSlots>(by_id);
    let data = out.expect("runs").data;
    assert_eq!(data["calendar"], "read", "{data:#}");
    assert_eq!(
        h.http_requests,
        vec!["http://127.0.0.1:9001/cal/rep1.ics".to_owned()]
    );
    assert_eq!(data["busy"][0]["start"]["utc"], "2026-11-24T14:00:00Z");

    let (out, h) = host()
        .external("calendar", json!({ "rep_ics_url": url }))
        .http("http://127.0.0.1:9001/cal/rep1.ics", 200, &cal)
        .run_with::<FindAvailableSlots>(call(json!({}), json!({})));
    let data = out.expect("degrades").data;
    assert_eq!(data["calendar"], "unavailable");
    assert!(
        data["notes"].to_string().contains("http:127.0.0.1:9001"),
        "{data:#}"
    );
    assert_eq!(h.denied, vec!["http:127.0.0.1:9001".to_owned()]);
}

#[test]
fn bad_input_is_refused_naming_the_problem() {
    let cases = [
        (
            json!({ "calendars": { "rep": "not a calendar" } }),
            json!({}),
            "calendars.rep",
        ),
        (
            json!({ "calendars": { "rep": "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n" } }),
            json!({}),
            "cut short",
        ),
        (
            json!({}),
            json!({ "window_start": "2026-12-01", "window_end": "2026-11-30" }),
            "before it starts",
        ),
        (
            json!({}),
            json!({ "window_start": "next week" }),
            "window_start",
        ),
        (json!({}), json!({ "duration_min": 0 }), "duration_min"),
        (json!({}), json!({ "duration_min": 481 }), "duration_min"),
        (json!({}), json!({ "max_slots": 9 }), "max_slots"),
        (json!({}), json!({ "colour": "blue" }), "colour"),
    ];
    for (payload, params, needle) in cases {
        let err = host()
            .run::<FindAvailableSlots>(call(payload, params.clone()))
            .expect_err("refused");
        match &err {
            SkillError::InvalidInput(m) => assert!(m.contains(needle), "{params}: {m}"),
            other => panic!("{params}: {other:?}"),
        }
    }
    let bad_zone = FakeHost::for_skill::<FindAvailableSlots>()
        .org(json!({ "preferences": { "timezone": "Mars/Olympus_Mons" } }))
        .run::<FindAvailableSlots>(call(json!({}), json!({})))
        .expect_err("refused");
    assert!(
        matches!(&bad_zone, SkillError::InvalidInput(m) if m.contains("Mars/Olympus_Mons")),
        "{bad_zone:?}"
    );
}

#[test]
fn windows_zone_names_map_to_iana() {
    let (_, name) = inputs::zone("Eastern Standard Time", "zone").expect("mapped");
    assert_eq!(name, "America/New_York");
}

#[test]
fn rules_started_years_ago_expand_only_near_the_window_with_every_instance() {
    let cal = ics(
        "BEGIN:VEVENT\nUID:standup\nSUMMARY:Standup\nDTSTART;TZID=America/New_York:20150105T100000\nDTEND;TZID=America/New_York:20150105T101500\nRRULE:FREQ=WEEKLY;BYDAY=MO,WE\nEXDATE;TZID=America/New_York:20261125T100000\nEND:VEVENT\n\
BEGIN:VEVENT\nUID:standup\nSUMMARY:Standup (moved)\nRECURRENCE-ID;TZID=America/New_York:20261130T100000\nDTSTART;TZID=America/New_York:20261130T150000\nDTEND;TZID=America/New_York:20261130T151500\nEND:VEVENT\n\
BEGIN:VEVENT\nUID:every3\nSUMMARY:Every third day\nDTSTART:20150101T090000Z\nDTEND:20150101T093000Z\nRRULE:FREQ=DAILY;INTERVAL=3\nEND:VEVENT\n",
    );
    let input = call(
        json!({ "calendars": { "rep": cal } }),
        json!({ "window_start": "2026-11-23", "window_end": "2026-12-05", "list_busy": true }),
    );
    let data = host().run::<FindAvailableSlots>(input).expect("runs").data;
    let mut got: Vec<String> = data["busy"]
        .as_array()
        .expect("busy")
        .iter()
        .filter_map(|b| b["start"]["utc"].as_str().map(str::to_owned))
        .collect();
    got.sort();
    assert_eq!(
        got,
        [
            "2026-11-23T09:00:00Z",
            "2026-11-23T15:00:00Z",
            "2026-11-26T09:00:00Z",
            "2026-11-29T09:00:00Z",
            "2026-11-30T20:00:00Z",
            "2026-12-02T09:00:00Z",
            "2026-12-02T15:00:00Z",
        ]
    );
}

#[test]
fn what_the_prospect_asked_for_comes_first() {
    let input = call(json!({}), json!({ "step": "parse", "max_slots": 5 })).after_skill(
        "parse",
        "parse-scheduling-request",
        json!({
            "duration_min": 45, "earliest": "2026-11-24", "latest": "2026-11-27",
            "part_of_day": "morning", "days": ["wed", "thu"],
            "proposed": [{ "start": "2026-11-25T16:00:00Z", "end": "2026-11-25T16:45:00Z" }]
        }),
    );
    let data = host().run::<FindAvailableSlots>(input).expect("runs").data;
    assert_eq!(data["duration_min"], 45);
    assert_eq!(
        data["window"],
        json!({ "start": "2026-11-24", "end": "2026-11-28" })
    );
    let slots = data["slots"].as_array().expect("slots");
    // Wednesday mornings only: Thursday 26th is Thanksgiving for the rep
    // in New York, and 45 minutes fit three times in one morning.
    assert_eq!(slots.len(), 3, "{data:#}");
    assert!(
        slots.iter().all(|s| s["rep_local"]
            .as_str()
            .is_some_and(|l| l.starts_with("Wed 25 Nov"))),
        "{data:#}"
    );
    assert!(
        data["notes"]
            .to_string()
            .contains("Thu 26 Nov is Thanksgiving Day in United States"),
        "{data:#}"
    );
    assert_eq!(slots[0]["start"], "2026-11-25T16:00:00Z", "{data:#}");
    assert_eq!(slots[0]["end"], "2026-11-25T16:45:00Z");
    let reasons = slots[0]["reasons"].to_string();
    assert!(
        reasons.contains("they proposed it") && reasons.contains("a day they asked for"),
        "{reasons}"
    );
    assert!(
        slots
            .iter()
            .all(|s| s["start"].as_str().is_some_and(|t| t >= "2026-11-24"))
    );
}

#[test]
fn a_zone_defined_only_by_its_vtimezone_is_used() {
    let cal = ics(
        "BEGIN:VTIMEZONE\nTZID:tzone://Microsoft/Custom\nBEGIN:STANDARD\nDTSTART:16011104T020000\nRRULE:FREQ=YEARLY;BYDAY=1SU;BYMONTH=11\nTZOFFSETFROM:-0400\nTZOFFSETTO:-0500\nEND:STANDARD\nBEGIN:DAYLIGHT\nDTSTART:16010311T020000\nRRULE:FREQ=YEARLY;BYDAY=2SU;BYMONTH=3\nTZOFFSETFROM:-0500\nTZOFFSETTO:-0400\nEND:DAYLIGHT\nEND:VTIMEZONE\n\
BEGIN:VEVENT\nUID:c\nSUMMARY:Custom\nDTSTART;TZID=\"tzone://Microsoft/Custom\":20261027T100000\nDTEND;TZID=\"tzone://Microsoft/Custom\":20261027T110000\nRRULE:FREQ=WEEKLY;COUNT=6\nEND:VEVENT\n\
BEGIN:VEVENT\nUID:w\nSUMMARY:Windows\nDTSTART;TZID=Eastern Standard Time:20261028T100000\nDTEND;TZID=Eastern Standard Time:20261028T110000\nEND:VEVENT\n",
    );
    let input = call(
        json!({ "calendars": { "rep": cal } }),
        json!({ "window_start": "2026-10-26", "window_end": "2026-11-14", "list_busy": true }),
    );
    let data = host().run::<FindAvailableSlots>(input).expect("runs").data;
    let got: Vec<&str> = data["busy"]
        .as_array()
        .expect("busy")
        .iter()
        .filter_map(|b| b["start"]["utc"].as_str())
        .collect();
    assert_eq!(
        got,
        [
            "2026-10-27T14:00:00Z",
            "2026-10-28T14:00:00Z",
            "2026-11-03T15:00:00Z",
            "2026-11-10T15:00:00Z"
        ],
        "{data:#}"
    );
}

/// Issue 40: "Tuesday or Wednesday afternoon" gets only Tuesday and
/// Wednesday afternoons, in their zone when it is known, never a public
/// holiday of either side; with nothing free then, the nearest other times
/// and a note saying so.
#[test]
fn only_the_days_and_part_of_day_they_asked_for_and_no_holiday() {
    let asked = |prospect_timezone: Value, days: Value| {
        json!({ "duration_min": 30, "earliest": "2026-11-23", "latest": "2026-11-27",
                "part_of_day": "afternoon", "days": days, "prospect_timezone": prospect_timezone })
    };
    let slots_of = |data: &Value| -> Vec<String> {
        data["slots"]
            .as_array()
            .expect("slots")
            .iter()
            .map(|s| s["rep_local"].as_str().unwrap_or_default().to_owned())
            .collect()
    };
    // Said on Friday 20 November; the rep is in New York.
    let run = |req: Value, payload: Value| {
        let mut input = Input::for_event("calendar_find_times", payload)
            .with_params(json!({ "max_slots": 5 }))
            .after("parse-scheduling-request", req);
        input.event.payload["event_time"] = json!("2026-11-20T20:00:00Z");
        host().run::<FindAvailableSlots>(input).expect("runs").data
    };
    let data = run(asked(Value::Null, json!(["tue", "wed"])), json!({}));
    let got = slots_of(&data);
    assert!(!got.is_empty(), "{data:#}");
    for l in &got {
        let hour: u32 = l[11..13].parse().expect("hour");
        assert!(
            (l.starts_with("Tue 24 Nov") || l.starts_with("Wed 25 Nov")) && hour >= 12,
            "{l}: {data:#}"
        );
    }
    // Wednesday or Thursday: Thursday is Thanksgiving, so Wednesday only.
    let data = run(asked(Value::Null, json!(["wed", "thu"])), json!({}));
    assert!(
        slots_of(&data).iter().all(|l| l.starts_with("Wed 25 Nov")),
        "{data:#}"
    );
    // Their afternoon in London is the rep's morning in New York.
    let data = run(asked(json!("Europe/London"), json!(["tue"])), json!({}));
    for s in data["slots"].as_array().expect("slots") {
        let theirs = s["prospect_local"].as_str().expect("their time");
        let hour: u32 = theirs[11..13].parse().expect("hour");
        assert!(theirs.starts_with("Tue 24 Nov") && hour >= 12, "{theirs}");
    }
    // Busy every Tuesday and Wednesday afternoon: other times, said so.
    let cal = ics(
        "BEGIN:VEVENT\nUID:b\nSUMMARY:Busy\nDTSTART;TZID=America/New_York:20261124T120000\nDTEND;TZID=America/New_York:20261124T180000\nRRULE:FREQ=DAILY;COUNT=2\nEND:VEVENT\n",
    );
    let data = run(
        asked(Value::Null, json!(["tue", "wed"])),
        json!({ "calendars": { "rep": cal } }),
    );
    assert!(!slots_of(&data).is_empty(), "{data:#}");
    assert!(
        data["notes"].to_string().contains("nearest other times"),
        "{data:#}"
    );
    assert!(
        slots_of(&data).iter().all(|l| !l.starts_with("Thu 26 Nov")),
        "never the holiday: {data:#}"
    );
}
