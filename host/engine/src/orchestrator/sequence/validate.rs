//! The rules a sequence file must keep beyond its TOML shape: event and
//! skill names, retry settings, conditions that read only earlier steps,
//! parallel groups in one run. Each check returns its message and where to
//! point; `parse.rs` turns that into a [`SequenceError`](super::SequenceError).
//! Nothing here reads a file.

use super::super::condition::Condition;
use super::CONDITION_ROOTS;
use super::raw::{RawOnFailure, RawStep};
use super::step::{OnFailure, Order, Step};
use std::collections::BTreeSet;
use std::time::Duration;
use toml::Spanned;

/// Upper bound on retry attempts.
const MAX_ATTEMPTS: u32 = 10;
/// Default wait before the first retry; each further retry doubles it.
const DEFAULT_BACKOFF: Duration = Duration::from_secs(1);

/// A problem and the byte offset to report it at (`None`: the step's own).
type Located = (Option<usize>, String);

/// What a failure of the step does, from `on_failure`, `max_attempts` and
/// `backoff_ms` (the last two only with `retry` or a fallback).
pub(super) fn on_failure(raw: &RawStep) -> Result<OnFailure, Located> {
    let at = raw.on_failure.as_ref().map(|m| m.span().start);
    let (mode, fallback) = match raw.on_failure.as_ref().map(|m| m.get_ref()) {
        None => ("stop", None),
        Some(RawOnFailure::Mode(m)) => (m.as_str(), None),
        Some(RawOnFailure::Fallback(f)) => ("fallback", Some(f)),
    };
    let retries = matches!(mode, "retry" | "fallback");
    if !retries {
        if let Some(m) = &raw.max_attempts {
            return Err((
                Some(m.span().start),
                "max_attempts needs on_failure = \"retry\" or a fallback".into(),
            ));
        }
        if raw.backoff_ms.is_some() {
            return Err((
                None,
                "backoff_ms needs on_failure = \"retry\" or a fallback".into(),
            ));
        }
    }
    let max_attempts = raw
        .max_attempts
        .as_ref()
        .map_or(if mode == "retry" { 3 } else { 1 }, |m| *m.get_ref());
    let least = if mode == "retry" { 2 } else { 1 };
    if !(least..=MAX_ATTEMPTS).contains(&max_attempts) {
        let offset = raw.max_attempts.as_ref().map(|m| m.span().start);
        return Err((
            offset,
            format!("max_attempts must be {least} to {MAX_ATTEMPTS} (it counts the first try)"),
        ));
    }
    let backoff = raw
        .backoff_ms
        .map_or(DEFAULT_BACKOFF, Duration::from_millis);
    match (mode, fallback) {
        ("stop", _) => Ok(OnFailure::Stop),
        ("continue", _) => Ok(OnFailure::Continue),
        ("retry", _) => Ok(OnFailure::Retry {
            max_attempts,
            backoff,
        }),
        (_, Some(f)) => {
            if !is_skill_name(&f.fallback) {
                return Err((at, format!("fallback `{}` is not a skill name", f.fallback)));
            }
            if f.fallback == raw.skill.get_ref().as_str() {
                return Err((
                    at,
                    "a fallback must be another skill (retry the same one with on_failure = \"retry\")".into(),
                ));
            }
            let continue_after = match f.then.as_deref() {
                None | Some("stop") => false,
                Some("continue") => true,
                Some(other) => {
                    return Err((
                        at,
                        format!("unknown `then = \"{other}\"`: use `stop` or `continue`"),
                    ));
                }
            };
            Ok(OnFailure::Fallback {
                skill: f.fallback.clone(),
                max_attempts,
                backoff,
                continue_after,
            })
        }
        (other, None) => Err((
            at,
            format!(
                "unknown on_failure `{other}`: use `stop`, `continue`, `retry` or \
                 {{ fallback = \"<skill>\" }}"
            ),
        )),
    }
}

/// Parse a step's condition and check that each `steps.<name>` it reads is
/// an earlier step outside the step's own parallel `group` (steps of one
/// group cannot see each other). Errors carry the byte offset to report.
pub(super) fn condition(
    src: &Spanned<String>,
    group: Option<&str>,
    earlier: &[Step],
    order: Order,
) -> Result<Condition, (usize, String)> {
    // +1: the opening quote.
    let base = src.span().start + 1;
    let cond = Condition::parse(src.get_ref(), CONDITION_ROOTS).map_err(|e| {
        (
            base + e.column.saturating_sub(1),
            format!("condition: {}", e.message),
        )
    })?;
    for path in cond.paths() {
        if path.first().map(String::as_str) == Some("steps") {
            let Some(target) = path.get(1) else {
                return Err((
                    base,
                    "condition: `steps` must be followed by a step name".into(),
                ));
            };
            if order == Order::Flow {
                // Any step of the sequence, checked once all are read;
                // the condition orders this step after it.
                continue;
            }
            let found = earlier.iter().find(|s| &s.name == target);
            let same_group =
                found.is_some_and(|s| s.group.is_some() && s.group.as_deref() == group);
            if found.is_none() || same_group {
                return Err((
                    base,
                    format!(
                        "condition: `steps.{target}` is not an earlier step (earlier: {})",
                        names(earlier)
                    ),
                ));
            }
        }
    }
    Ok(cond)
}

/// A parallel group is one run of consecutive steps: refuse a step that
/// reopens a group already `closed`, and close the previous step's group
/// when this step leaves it.
pub(super) fn group(
    group: Option<&str>,
    earlier: &[Step],
    closed: &mut BTreeSet<String>,
) -> Result<(), String> {
    if let Some(g) = group {
        let continues = earlier.last().and_then(|s| s.group.as_deref()) == Some(g);
        if !continues && closed.contains(g) {
            return Err(format!("group `{g}` must be one run of consecutive steps"));
        }
    }
    if let Some(prev) = earlier.last().and_then(|s| s.group.clone())
        && group != Some(prev.as_str())
    {
        closed.insert(prev);
    }
    Ok(())
}

/// The steps' names for a message, or `none`.
fn names(steps: &[Step]) -> String {
    if steps.is_empty() {
        return "none".into();
    }
    steps
        .iter()
        .map(|s| format!("`{}`", s.name))
        .collect::<Vec<_>>()
        .join(", ")
}

/// An event type: 1 to 64 of lowercase letters, digits and `_`.
pub(super) fn is_event_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// A skill name: 1 to 64 of lowercase letters, digits and `-`.
pub(super) fn is_skill_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::super::parse_test as p;

    #[test]
    fn a_bad_condition_points_into_the_string() {
        let e = p("event = \"x\"\n[[step]]\nskill = \"a\"\n[[step]]\nskill = \"b\"\ncondition = \"steps.a.data.n >\"\n")
            .unwrap_err();
        assert_eq!(e.line, 6);
        assert!(e.column > 13, "{e}");
        assert!(e.message.starts_with("condition:"), "{e}");
    }

    #[test]
    fn a_condition_may_only_read_earlier_steps() {
        let e = p("event = \"x\"\n[[step]]\nskill = \"a\"\ncondition = \"steps.b.data\"\n[[step]]\nskill = \"b\"\n")
            .unwrap_err();
        assert!(
            e.message.contains("`steps.b` is not an earlier step"),
            "{e}"
        );
        assert_eq!(e.line, 4);
    }

    #[test]
    fn bad_values_are_refused_with_reasons() {
        let cases = [
            (
                "event = \"Bad-Name\"\n[[step]]\nskill = \"a\"\n",
                "lowercase",
            ),
            ("event = \"x\"\n", "at least one [[step]]"),
            (
                "event = \"x\"\n[[step]]\nskill = \"A\"\n",
                "not a skill name",
            ),
            (
                "event = \"x\"\n[[step]]\nskill = \"a\"\napproval = \"maybe\"\n",
                "unknown variant",
            ),
            (
                "event = \"x\"\n[[step]]\nskill = \"a\"\non_failure = \"panic\"\n",
                "unknown on_failure",
            ),
            (
                "event = \"x\"\n[[step]]\nskill = \"a\"\nmax_attempts = 3\n",
                "needs on_failure",
            ),
            (
                "event = \"x\"\n[[step]]\nskill = \"a\"\non_failure = \"retry\"\nmax_attempts = 99\n",
                "max_attempts must be",
            ),
            (
                "event = \"x\"\n[[step]]\nskill = \"a\"\ncontext = [\"ledger\"]\n",
                "unknown context tier",
            ),
            (
                "event = \"x\"\n[[step]]\nskill = \"a\"\n[[step]]\nskill = \"a\"\n",
                "distinct `name`",
            ),
            (
                "event = \"x\"\n[[step]]\nname = \"a\"\nskill = \"a\"\ngroup = \"g\"\n[[step]]\nskill = \"b\"\n[[step]]\nskill = \"c\"\ngroup = \"g\"\n",
                "consecutive",
            ),
        ];
        for (text, want) in cases {
            let e = p(text).unwrap_err();
            assert!(e.message.contains(want), "{text:?}: {e}");
        }
    }
}
