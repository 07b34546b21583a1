//! Property tests: no text makes the condition parser panic or overflow
//! its stack, and no parsed condition makes evaluation panic, whatever the
//! scope. 256 cases per property; `PROPTEST_CASES` raises it (`cargo xtask
//! fuzz` runs 10 000).

use super::{Condition, TEST_ROOTS};
use baton_strategies::json;
use proptest::prelude::*;
use serde_json::Value;

/// Conditions as the shipped sequences and the docs write them.
const REAL: &[&str] = &[
    r#"steps.classify-email-intent.data.intent == "needs_response""#,
    "len(steps.extract-action-items.data.action_items) > 0",
    r#"any(steps.detect-intents.data.intents, "label", "send_quote") && !(event.type in ["a", "b"])"#,
    r#"exists(event.payload.from) || event.payload.tags[1] contains "eu" && event.payload.n >= -2.5"#,
];

/// Pieces of the grammar, and pieces that break it.
const TOKENS: &[&str] = &[
    "steps.a",
    "steps.a.data",
    "event",
    "event.payload.x",
    "[0]",
    "[9999999999999999999]",
    "==",
    "!=",
    "<",
    "<=",
    ">",
    ">=",
    "in",
    "contains",
    "&&",
    "||",
    "!",
    "(",
    ")",
    "[",
    "]",
    ",",
    ".",
    "1",
    "-1",
    "0.5",
    "1.2.3",
    "-",
    "\"s\"",
    "\"\\\"\"",
    "\"",
    "\\",
    "true",
    "false",
    "null",
    "len(",
    "exists(",
    "any(",
    "nope(",
    "context.x",
    "é",
    "\u{0}",
    " ",
];

/// A scope shaped like the runner's, with arbitrary values inside.
fn scope() -> impl Strategy<Value = Value> {
    (json(), json(), json()).prop_map(|(payload, a, intents)| {
        serde_json::json!({
            "event": { "type": "email_received", "payload": payload },
            "steps": {
                "a": { "status": "completed", "data": a },
                "detect-intents": { "data": { "intents": intents } }
            }
        })
    })
}

/// Parse; a parsed condition is evaluated and its paths listed.
fn exercise(src: &str, scope: &Value) {
    match Condition::parse(src, TEST_ROOTS) {
        Ok(c) => {
            let _ = c.eval(scope);
            let _ = c.paths();
            assert_eq!(c.source(), src);
        }
        Err(e) => {
            let chars = src.chars().count();
            assert!(
                (1..=chars + 1).contains(&e.column),
                "{src:?}: column {} outside 1..={}",
                e.column,
                chars + 1
            );
        }
    }
}

/// A real condition with one edit: a range cut, a token put in, or the
/// text repeated.
fn mutated() -> impl Strategy<Value = String> {
    (
        prop::sample::select(REAL),
        any::<prop::sample::Index>(),
        any::<prop::sample::Index>(),
        prop::sample::select(TOKENS),
        0..3u8,
    )
        .prop_map(|(real, a, b, token, how)| {
            let chars: Vec<char> = real.chars().collect();
            let (i, j) = (a.index(chars.len() + 1), b.index(chars.len() + 1));
            let (lo, hi) = (i.min(j), i.max(j));
            let mut out: String = chars[..lo].iter().collect();
            match how {
                0 => {}
                1 => out.push_str(token),
                _ => out.extend(&chars[lo..hi]),
            }
            out.extend(&chars[hi..]);
            out
        })
}

proptest! {
    #[test]
    fn any_text_parses_or_is_refused_with_a_column(src in "\\PC{0,64}", scope in scope()) {
        exercise(&src, &scope);
    }

    #[test]
    fn token_soup_parses_or_is_refused(
        tokens in prop::collection::vec(prop::sample::select(TOKENS), 0..40),
        scope in scope(),
    ) {
        exercise(&tokens.join(""), &scope);
        exercise(&tokens.join(" "), &scope);
    }

    #[test]
    fn mutated_real_conditions_never_panic(src in mutated(), scope in scope()) {
        exercise(&src, &scope);
    }

    #[test]
    fn real_conditions_evaluate_against_any_scope(scope in scope()) {
        for src in REAL {
            let c = Condition::parse(src, TEST_ROOTS).expect("a real condition parses");
            let _ = c.eval(&scope);
        }
    }

    /// Deep nesting of every kind, and long chains: refused, never a stack
    /// overflow (which aborts the process, not a panic).
    #[test]
    fn deep_nesting_and_long_chains_are_bounded(
        opens in prop::collection::vec(prop::sample::select(&["(", "[", "!", "len(", "any(steps.a, 1, "][..]), 1..4),
        depth in 0..20_000usize,
        chain in prop::sample::select(&["&&", "||", ","][..]),
        scope in scope(),
    ) {
        let open: String = opens.concat().repeat(depth / opens.len().max(1));
        let src = format!("{open}{}", vec!["true"; depth % 5_000 + 1].join(chain));
        exercise(&src, &scope);
    }
}
