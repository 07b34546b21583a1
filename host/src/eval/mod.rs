//! Offline evaluation of skills against labelled data sets (the format of
//! `shared/data/eval/`). Pure scoring lives here; the CLI runs the skill.
//! [`export`] turns reps' feedback back into such sets.

pub mod calls;
pub mod emails;
pub mod export;
pub mod intents;

/// A line that could not be read.
#[derive(Debug, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct ParseError {
    pub line: usize,
    pub message: String,
}

/// Parse JSON Lines (blank lines skipped) into `T`s, each checked by
/// `check`; an empty file is an error.
pub fn parse_jsonl<T: serde::de::DeserializeOwned>(
    text: &str,
    check: impl Fn(&T) -> Result<(), String>,
) -> Result<Vec<T>, ParseError> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let err = |message: String| ParseError {
            line: i + 1,
            message,
        };
        let item: T = serde_json::from_str(line).map_err(|e| err(e.to_string()))?;
        check(&item).map_err(err)?;
        out.push(item);
    }
    if out.is_empty() {
        return Err(ParseError {
            line: 0,
            message: "no examples".into(),
        });
    }
    Ok(out)
}
