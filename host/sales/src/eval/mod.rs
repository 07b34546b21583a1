//! Offline evaluation of skills against labelled data sets (the format of
//! `shared/data/eval/`). Pure scoring lives here; the CLI runs the skill.
//! [`export`] turns reps' feedback back into such sets.

pub mod calls;
pub mod emails;
pub mod export;
pub mod intents;

/// A line that could not be read (`line` from 1), or, with `line` 0, a
/// file that holds no cases.
#[derive(Debug, thiserror::Error)]
pub struct ParseError {
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            0 => f.write_str(&self.message),
            n => write!(f, "line {n}: {}", self.message),
        }
    }
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
            message: "holds no cases, so there is nothing to score \
                      (an export of a window without corrections is empty)"
                .into(),
        });
    }
    Ok(out)
}
