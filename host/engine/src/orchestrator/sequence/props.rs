//! Property tests: no text makes the sequence parser panic, every refusal
//! points inside the file, and the shipped sequences (`sequences/*.toml`)
//! with lines cut, repeated or swapped, or a hostile setting put in, parse
//! or are refused. 256 cases per property; `PROPTEST_CASES` raises it
//! (`cargo xtask fuzz` runs 10 000).

use super::parse_test;
use proptest::prelude::*;

/// The shipped sequences, read once from the repository's `sequences/`.
static REAL: std::sync::LazyLock<Vec<String>> = std::sync::LazyLock::new(read_real);

fn read_real() -> Vec<String> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../sequences");
    let mut out: Vec<String> = std::fs::read_dir(dir)
        .expect("the repository's sequences folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .map(|p| std::fs::read_to_string(p).expect("a sequence file"))
        .collect();
    out.sort();
    assert!(!out.is_empty(), "no sequence in {dir}");
    out
}

/// Lines a hostile or careless author might write.
const LINES: &[&str] = &[
    "[[step]]",
    "skill = \"a\"",
    "skill = \"Not A Skill\"",
    "name = \"a\"",
    "group = \"g\"",
    "condition = \"steps.a.data.x == 1\"",
    "condition = '((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((true'",
    "condition = '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1'",
    "condition = \"steps\"",
    "condition = \"\\u0000\"",
    "on_failure = \"retry\"",
    "on_failure = \"explode\"",
    "max_attempts = 4294967296",
    "max_attempts = -1",
    "backoff_ms = 18446744073709551615",
    "fuel = 0",
    "timeout_ms = 18446744073709551615",
    "expires_after_minutes = 18446744073709551615",
    "step_estimate = 1e308",
    "step_estimate = -0.0",
    "step_estimate = nan",
    "context = [\"external:\"]",
    "context = [\"org\", \"contact\", \"external:apollo\"]",
    "approval = \"per_item\"",
    "on_expiry = \"approve\"",
    "params = { a = { b = { c = [1, 2.5, \"x\", 1979-05-27T07:32:00Z] } } }",
    "event = \"x\"",
    "event = \"\"",
    "dedupe_key = \"é\"",
    "é = 1",
    "\"",
    "[",
    "",
];

/// One edit of a real file, by lines.
#[derive(Debug, Clone)]
enum Edit {
    Cut(usize, usize),
    Repeat(usize),
    Swap(usize, usize),
    Insert(usize, &'static str),
    Chars(usize, usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), 1..6usize).prop_map(|(a, n)| Edit::Cut(a, n)),
        any::<usize>().prop_map(Edit::Repeat),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Edit::Swap(a, b)),
        (any::<usize>(), prop::sample::select(LINES)).prop_map(|(a, l)| Edit::Insert(a, l)),
        (any::<usize>(), 1..40usize).prop_map(|(a, n)| Edit::Chars(a, n)),
    ]
}

fn apply(text: &str, edits: &[Edit]) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    for e in edits {
        let n = lines.len().max(1);
        match *e {
            Edit::Cut(a, k) => {
                let a = a % n;
                lines.drain(a..(a + k).min(lines.len()));
            }
            Edit::Repeat(a) => {
                if let Some(l) = lines.get(a % n).cloned() {
                    lines.insert(a % n, l);
                }
            }
            Edit::Swap(a, b) => {
                if !lines.is_empty() {
                    lines.swap(a % n, b % n);
                }
            }
            Edit::Insert(a, l) => lines.insert(a % (lines.len() + 1), l.to_owned()),
            Edit::Chars(a, k) => {
                let mut joined: Vec<char> = lines.join("\n").chars().collect();
                let a = a % (joined.len() + 1);
                joined.drain(a..(a + k).min(joined.len()));
                lines = joined
                    .into_iter()
                    .collect::<String>()
                    .lines()
                    .map(str::to_owned)
                    .collect();
            }
        }
    }
    lines.join("\n")
}

/// Parse; a refusal points at a line and column inside the text, and a
/// sequence's stages cover its steps exactly once.
fn exercise(text: &str) -> Result<(), TestCaseError> {
    match parse_test(text) {
        Ok(seq) => {
            let covered: usize = seq.stages().iter().map(|r| r.len()).sum();
            prop_assert_eq!(covered, seq.steps.len());
            prop_assert_eq!(seq.skills().count(), seq.steps.len());
        }
        Err(e) => {
            let lines = text.split('\n').count();
            prop_assert!(
                (1..=lines).contains(&e.line),
                "line {} of {}: {}",
                e.line,
                lines,
                e
            );
            prop_assert!(e.column >= 1, "{}", e);
        }
    }
    Ok(())
}

#[test]
fn the_shipped_sequences_parse() {
    for text in REAL.iter() {
        let seq = parse_test(text).unwrap_or_else(|e| panic!("{e}"));
        assert!(!seq.steps.is_empty());
    }
}

proptest! {
    #[test]
    fn any_text_parses_or_is_refused_in_place(text in "\\PC{0,200}") {
        exercise(&text)?;
    }

    #[test]
    fn line_soup_parses_or_is_refused_in_place(lines in prop::collection::vec(prop::sample::select(LINES), 0..30)) {
        exercise(&lines.join("\n"))?;
    }

    #[test]
    fn edited_real_sequences_parse_or_are_refused_in_place(
        pick in any::<prop::sample::Index>(),
        edits in prop::collection::vec(edit(), 1..5),
    ) {
        exercise(&apply(&REAL[pick.index(REAL.len())], &edits))?;
    }
}
