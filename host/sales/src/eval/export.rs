//! Reps' "Not right" feedback as evaluation cases (`baton eval export`):
//! each label correction becomes one line in the format of the evaluation
//! sets (`tests/data/shared/eval/README.md`), with a stable id
//! (`fb-<gate id>`) and the corrected labels. Only feedback with the reason
//! `wrong_intent` and labels is a correction; anything else (a bad draft,
//! wrong timing, a wrong intent without the right labels) is passed over,
//! never given labels nobody chose. This is the one way transcript and
//! email text leaves the database: it is written to the export, never logged.

use super::{emails, intents};
use crate::suggested::{Suggested, suggested};
use baton_store::{FeedbackReason, OrgId, Store, StoreError};
use serde::Serialize;

/// Which evaluation set to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportKind {
    /// Utterances with their intent labels (`baton eval intents`).
    Intents,
    /// Emails with their label (`baton eval emails`).
    Emails,
}

/// An intent case, keys in the set's order.
#[derive(Debug, Serialize)]
struct IntentLine<'a> {
    id: String,
    speaker: &'a str,
    text: &'a str,
    labels: &'a [String],
}

/// An email case, keys in the set's order.
#[derive(Debug, Serialize)]
struct EmailLine<'a> {
    id: String,
    from: &'a str,
    subject: &'a str,
    body: &'a str,
    label: &'a str,
}

/// What an export found.
#[derive(Debug, Default)]
pub struct Exported {
    /// One JSON object per case, oldest first; a case corrected twice (the
    /// same words) appears once, as last corrected.
    pub lines: Vec<String>,
    /// Feedback in the window that is not a correction of this kind's
    /// labels (another reason, no labels, the other kind, or text the
    /// database no longer holds).
    pub passed_over: usize,
}

/// The start (unix ms) of `--since`: a duration back from `now` (`30d`,
/// `12h`, `2w`) or an RFC 3339 date (`2026-11-01`) or time
/// (`2026-11-01T09:00:00Z`).
pub fn since(spec: &str, now: i64) -> Result<i64, String> {
    let s = spec.trim();
    if let Some(ms) = baton_engine::replay::duration_ms(s) {
        return Ok(now - ms);
    }
    if let Ok(t) = s.parse::<jiff::Timestamp>() {
        return Ok(t.as_millisecond());
    }
    if let Ok(d) = s.parse::<jiff::civil::Date>()
        && let Ok(z) = d.to_zoned(jiff::tz::TimeZone::UTC)
    {
        return Ok(z.timestamp().as_millisecond());
    }
    Err(format!(
        "--since `{}` is not a duration (30d, 12h, 2w) or an RFC 3339 date (2026-11-01, 2026-11-01T09:00:00Z)",
        spec.escape_debug()
    ))
}

/// The `kind` cases from `org`'s feedback given at or after `since`.
pub async fn export(
    store: &Store,
    org: &OrgId,
    since: i64,
    kind: ExportKind,
) -> Result<Exported, StoreError> {
    let mut out = Exported::default();
    // (the words, the line), to keep one line per case.
    let mut cases: Vec<(String, String)> = Vec::new();
    for case in store.feedback_since(org, since).await? {
        let f = &case.feedback;
        let labels = match (&f.labels, f.reason) {
            (Some(l), FeedbackReason::WrongIntent) => l,
            _ => {
                out.passed_over += 1;
                continue;
            }
        };
        let id = format!("fb-{}", f.gate_id);
        let line = match (kind, suggested(store, org, &case.job_id).await?) {
            (
                ExportKind::Intents,
                Suggested::Intent {
                    speaker: Some(speaker),
                    text: Some(text),
                    ..
                },
            ) if matches!(speaker.as_str(), "rep" | "prospect")
                && !text.trim().is_empty()
                && labels.iter().all(|l| intents::LABELS.contains(&l.as_str())) =>
            {
                let line = IntentLine {
                    id,
                    speaker: &speaker,
                    text: &text,
                    labels,
                };
                Some((format!("{speaker}\n{text}"), serde_json::to_string(&line)))
            }
            (
                ExportKind::Emails,
                Suggested::Email {
                    from,
                    subject,
                    body,
                },
            ) => match labels.as_slice() {
                [label] if emails::LABELS.contains(&label.as_str()) => {
                    let line = EmailLine {
                        id,
                        from: &from,
                        subject: &subject,
                        body: &body,
                        label,
                    };
                    Some((
                        format!("{from}\n{subject}\n{body}"),
                        serde_json::to_string(&line),
                    ))
                }
                _ => None,
            },
            _ => None,
        };
        match line {
            Some((key, Ok(line))) => {
                if let Some(at) = cases.iter().position(|(k, _)| *k == key) {
                    cases.remove(at);
                    out.passed_over += 1;
                }
                cases.push((key, line));
            }
            Some((_, Err(e))) => return Err(StoreError::json("an eval line")(e)),
            None => out.passed_over += 1,
        }
    }
    out.lines = cases.into_iter().map(|(_, line)| line).collect();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn since_takes_durations_and_rfc_3339_dates() {
        let now = 1_795_446_000_000; // 2026-11-23T15:00:00Z
        assert_eq!(since("30d", now), Ok(now - 30 * 86_400_000));
        assert_eq!(since("12h", now), Ok(now - 12 * 3_600_000));
        assert_eq!(since("2w", now), Ok(now - 14 * 86_400_000));
        assert_eq!(since("2026-11-23", now), Ok(now - 15 * 3_600_000));
        assert_eq!(since("2026-11-23T15:00:00Z", now), Ok(now));
        for bad in ["", "soon", "-3d", "2026-13-01", "30 days ago"] {
            let e = since(bad, now).expect_err(bad);
            assert!(e.contains("--since"), "{e}");
        }
    }
}
