//! The built `find-available-slots` component against reference
//! occurrences: for each calendar in `tests/data/shared/ics/` (recurrences with
//! EXDATE, RDATE, moved and all-day instances, VTIMEZONE zones across DST),
//! `expected/<name>.json` lists what python's recurring-ical-events finds in
//! the file's window. The skill runs through `baton skill run` with the ICS
//! inline, that window and `list_busy`, and its busy set must equal the
//! reference's opaque, uncancelled occurrences as a multiset of (start, end),
//! compared in the reference's shapes (`utc`, `date`, `floating`).

use baton_tests::{baton, shared_data, skill};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::Path;

/// One side of an occurrence in the reference's shape, as a comparable key.
fn when(v: &Value) -> String {
    for k in ["utc", "date", "floating"] {
        if let Some(s) = v[k].as_str() {
            return format!("{k}:{s}");
        }
    }
    format!("?{v}")
}

type Multiset = BTreeMap<(String, String), usize>;

fn multiset<'a>(items: impl Iterator<Item = &'a Value>) -> Multiset {
    let mut m = Multiset::new();
    for o in items {
        *m.entry((when(&o["start"]), when(&o["end"]))).or_default() += 1;
    }
    m
}

/// The rep's zone for a file: the calendar's own (X-WR-TIMEZONE, else its
/// first VTIMEZONE), else UTC, so the window's days are the calendar's days.
fn zone_of(ics: &str) -> String {
    let value = |prefix: &str| {
        ics.lines()
            .find_map(|l| l.strip_prefix(prefix))
            .map(|z| z.trim().to_owned())
    };
    value("X-WR-TIMEZONE:")
        .or_else(|| value("TZID:"))
        .unwrap_or_else(|| "UTC".to_owned())
}

/// `None` when the skill's busy set matches the reference, else the diff.
fn check(dir: &Path, expected_path: &Path, scratch: &Path) -> Option<String> {
    let name = expected_path
        .file_stem()
        .expect("file name")
        .to_string_lossy()
        .into_owned();
    let expected: Value = serde_json::from_str(
        &std::fs::read_to_string(expected_path).expect("read the expected occurrences"),
    )
    .expect("expected occurrences are JSON");
    let ics = std::fs::read_to_string(dir.join(format!("{name}.ics"))).expect("read the .ics");
    let window = &expected["window"];
    let input = json!({
        "event": { "id": "evt-ics", "type": "calendar_find_times", "source": "test", "org": "demo",
                   "user": "rep1", "payload": { "calendars": { "rep": ics } } },
        "params": { "window_start": window[0], "window_end": window[1], "list_busy": true },
        "previous": []
    });
    let context = json!({
        "org": { "preferences": { "timezone": zone_of(&ics), "working_start_min": 540, "working_end_min": 1080 },
                 "user": { "handle": "rep1", "name": "Rep One" } }
    });
    let input_path = scratch.join(format!("{name}.input.json"));
    let context_path = scratch.join(format!("{name}.context.json"));
    std::fs::write(&input_path, input.to_string()).expect("write input");
    std::fs::write(&context_path, context.to_string()).expect("write context");
    let r = baton([
        "skill".to_owned(),
        "run".to_owned(),
        skill("find-available-slots").display().to_string(),
        "--input".to_owned(),
        format!("@{}", input_path.display()),
        "--context".to_owned(),
        format!("@{}", context_path.display()),
        "--grant".to_owned(),
        "context:org".to_owned(),
    ]);
    if r.code != 0 {
        return Some(format!("{name}: baton exited {}: {}", r.code, r.stderr));
    }
    let out = r.json();
    let busy = out["data"]["busy"].as_array().cloned().unwrap_or_default();
    let got = multiset(busy.iter());
    let occurrences = expected["occurrences"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let want = multiset(occurrences.iter().filter(|o| {
        o["transp"].as_str() != Some("TRANSPARENT") && o["status"].as_str() != Some("CANCELLED")
    }));
    if got == want {
        println!("{name}: {} busy occurrences match", busy.len());
        return None;
    }
    let mut diff = format!("{name}: the busy set differs from the reference\n");
    for (k, n) in &want {
        let g = got.get(k).copied().unwrap_or(0);
        if g < *n {
            diff += &format!("  missing {}x {} → {}\n", n - g, k.0, k.1);
        }
    }
    for (k, n) in &got {
        let w = want.get(k).copied().unwrap_or(0);
        if w < *n {
            diff += &format!("  extra   {}x {} → {}\n", n - w, k.0, k.1);
        }
    }
    Some(diff)
}

#[test]
fn busy_times_match_the_reference_occurrences_for_every_calendar() {
    let dir = shared_data().join("ics");
    let scratch = tempfile::tempdir().expect("tempdir");
    let mut files: Vec<_> = std::fs::read_dir(dir.join("expected"))
        .expect("tests/data/shared/ics/expected")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    assert_eq!(files.len(), 9, "nine reference calendars: {files:?}");
    let failures: Vec<String> = files
        .iter()
        .filter_map(|f| check(&dir, f, scratch.path()))
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} calendars differ:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
}
