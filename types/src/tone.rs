//! The rep's tone preference for drafted email (stored by the host in
//! `user_preferences.tone`, read by the drafting skills from the org tier's
//! preferences): warm, neutral (the default) or brief.

use serde::{Deserialize, Serialize};

/// How a rep wants drafts to sound.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tone {
    /// A warmer opening and closing.
    Warm,
    /// Plain and polite.
    #[default]
    Neutral,
    /// Only what was agreed: no recap, short lines.
    Brief,
}

impl Tone {
    /// Every value, in declaration order.
    pub const ALL: [Tone; 3] = [Tone::Warm, Tone::Neutral, Tone::Brief];

    /// The wire (and SQL) text.
    pub fn as_str(self) -> &'static str {
        match self {
            Tone::Warm => "warm",
            Tone::Neutral => "neutral",
            Tone::Brief => "brief",
        }
    }

    /// The value named `s`, if there is one.
    pub fn parse(s: &str) -> Option<Tone> {
        Tone::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

/// A text that names no [`Tone`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownTone(pub String);

impl std::fmt::Display for UnknownTone {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "tone is `{}`: use warm, neutral or brief", self.0)
    }
}

impl std::error::Error for UnknownTone {}

impl TryFrom<String> for Tone {
    type Error = UnknownTone;

    fn try_from(s: String) -> Result<Tone, UnknownTone> {
        Tone::parse(&s).ok_or(UnknownTone(s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tones_round_trip_and_default_to_neutral() {
        for t in Tone::ALL {
            assert_eq!(Tone::parse(t.as_str()), Some(t));
        }
        assert_eq!(Tone::default(), Tone::Neutral);
        assert_eq!(Tone::parse("shouty"), None);
        assert!(
            Tone::try_from("shouty".to_owned())
                .expect_err("unknown")
                .to_string()
                .contains("warm, neutral or brief")
        );
    }
}
