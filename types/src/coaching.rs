//! Coaching vocabulary the host and skills share: the rep's [`Coaching`]
//! preference (stored by the host in `user_preferences.coaching`, read by
//! `notify-coaching-feedback` from the org tier), and the weekly digest's
//! payload, [`Digest`]: the host takes it from the stored analyses
//! (`host/sales/src/coaching_digest.rs`) and `compose-coaching-digest` writes
//! the message from it. A meeting's analysis itself is the SDK's
//! (`baton_sdk::coaching`, what `coaching-analysis` outputs).

use crate::brief::Rep;
use serde::{Deserialize, Serialize};

/// How a rep wants coaching: after each meeting, in a Monday digest, both
/// (the default), or not at all.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Coaching {
    PerMeeting,
    Weekly,
    #[default]
    Both,
    Off,
}

impl Coaching {
    /// Every value, in declaration order.
    pub const ALL: [Coaching; 4] = [
        Coaching::PerMeeting,
        Coaching::Weekly,
        Coaching::Both,
        Coaching::Off,
    ];

    /// The wire (and SQL) text.
    pub fn as_str(self) -> &'static str {
        match self {
            Coaching::PerMeeting => "per_meeting",
            Coaching::Weekly => "weekly",
            Coaching::Both => "both",
            Coaching::Off => "off",
        }
    }

    /// The value named `s`, if there is one.
    pub fn parse(s: &str) -> Option<Coaching> {
        Coaching::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// Whether each meeting's feedback is delivered.
    pub fn per_meeting(self) -> bool {
        matches!(self, Coaching::PerMeeting | Coaching::Both)
    }

    /// Whether the Monday digest is delivered.
    pub fn weekly(self) -> bool {
        matches!(self, Coaching::Weekly | Coaching::Both)
    }

    /// "per_meeting, weekly, both or off", for messages.
    pub fn choices() -> String {
        "per_meeting, weekly, both or off".to_owned()
    }
}

/// A text that names no [`Coaching`] value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownCoaching(pub String);

impl std::fmt::Display for UnknownCoaching {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "coaching is `{}`: use {}", self.0, Coaching::choices())
    }
}

impl std::error::Error for UnknownCoaching {}

impl TryFrom<String> for Coaching {
    type Error = UnknownCoaching;

    fn try_from(s: String) -> Result<Coaching, UnknownCoaching> {
        Coaching::parse(&s).ok_or(UnknownCoaching(s))
    }
}

/// The org's coaching targets (org profile `coaching.targets`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Targets {
    /// The rep's share of talk time to stay at or under (0..1; 0.4 = 40/60).
    pub rep_share: f64,
    /// Discovery questions per meeting to reach.
    pub discovery_questions: f64,
}

impl Default for Targets {
    fn default() -> Self {
        Targets {
            rep_share: 0.4,
            discovery_questions: 6.0,
        }
    }
}

/// One week's figures, over the rep's analysed meetings that ended in it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Week {
    /// Monday of the week (local date).
    pub from: String,
    pub meetings: u32,
    /// The rep's mean share of talk time, 0..1 (meetings with a share).
    pub rep_share: Option<f64>,
    /// Discovery questions per meeting (mean).
    pub discovery_per_meeting: Option<f64>,
    /// Questions per meeting (mean).
    pub questions_per_meeting: Option<f64>,
    pub objections: u32,
    pub objections_with_evidence: u32,
    /// Prospect questions left unanswered past the skill's limit.
    pub unanswered: u32,
    /// Meetings where the rep asked about the current process within the
    /// pattern's window.
    pub process_early: u32,
    /// Follow-up speed: meeting end → first follow-up email delivered.
    pub follow_up: FollowUpSpeed,
}

/// Meeting end → follow-up sent, over one week's analysed meetings.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct FollowUpSpeed {
    /// Meetings whose follow-up went out.
    pub sent: u32,
    /// ... within [`FollowUpSpeed::fast_minutes`].
    pub fast: u32,
    pub fast_minutes: u32,
    /// Median minutes from end to sent, over those sent.
    pub median_minutes: Option<f64>,
}

/// What a focus moment is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MomentKind {
    /// The rep's longest run of talk in a meeting.
    Monologue,
    /// A prospect question left unanswered.
    Unanswered,
    /// An objection answered without evidence, or not answered.
    Objection,
}

/// A real moment of this week's meetings, from a stored analysis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Moment {
    pub kind: MomentKind,
    /// The meeting's title (or its id).
    pub meeting: String,
    /// Where in the meeting (ms from its start), when known.
    #[serde(default)]
    pub at_ms: Option<i64>,
    /// How long (a monologue), or until answered (a question), in ms.
    #[serde(default)]
    pub duration_ms: Option<i64>,
    /// A short quote (≤ 120 characters).
    pub quote: String,
    /// The objection's kind (price, timing, …), for an objection.
    #[serde(default)]
    pub detail: Option<String>,
}

/// One side of the winning-pattern comparison.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Side {
    /// Deals on this side with an analysed meeting.
    pub deals: u32,
    /// ... whose first analysed meeting had the pattern.
    pub with_pattern: u32,
}

/// "Asked about the current process in the first N minutes", in won deals
/// against lost or stalled ones.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct WinningPattern {
    /// The pattern's window, in minutes.
    pub within_minutes: u32,
    /// How far back deals are looked at, in days.
    pub lookback_days: u32,
    pub won: Side,
    /// Lost, or open and quiet for 14 days or more.
    pub lost_or_stalled: Side,
}

/// The `coaching_digest` payload: the rep's week as the host took it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Digest {
    pub rep: Option<Rep>,
    /// The local date the digest is for (a Monday when scheduled).
    pub date: Option<String>,
    pub scheduled: bool,
    pub targets: Targets,
    /// The seven days before `date`.
    pub this_week: Week,
    /// The seven days before those.
    pub last_week: Week,
    /// Moments of this week's meetings, worst first within each kind.
    pub moments: Vec<Moment>,
    pub pattern: WinningPattern,
    /// Where the rep's coaching is in the inbox.
    pub inbox_path: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_preference_round_trips_and_names_a_bad_value() {
        for c in Coaching::ALL {
            assert_eq!(Coaching::parse(c.as_str()), Some(c));
            assert_eq!(serde_json::json!(c), serde_json::json!(c.as_str()));
        }
        let bad = Coaching::try_from("sometimes".to_owned());
        assert_eq!(
            bad.map_err(|e| e.to_string()),
            Err("coaching is `sometimes`: use per_meeting, weekly, both or off".to_owned())
        );
        assert!(Coaching::Both.per_meeting() && Coaching::Both.weekly());
        assert!(!Coaching::Off.per_meeting() && !Coaching::Off.weekly());
        assert!(Coaching::Weekly.weekly() && !Coaching::Weekly.per_meeting());
    }
}
