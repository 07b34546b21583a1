//! The sales app's settings of a rep: the morning brief's time, how many
//! stale deals the daily scan revives, coaching, and the tone of drafted
//! email. They live in the rep's `user_preferences` row beside the
//! engine's settings and read as one document with them (the API's
//! preferences, the org tier a skill sees): the engine's
//! `Extension::preferences` hooks hand them over. A row the engine wrote
//! first carries the database's defaults, which are [`SalesPreferences`]'s.

use baton_store::{OrgId, Store, StoreError, UserId, on_pool};
use baton_types::coaching::Coaching;
use baton_types::tone::Tone;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The app's settings of a rep. Minutes are after local midnight in the
/// rep's time zone (the engine's `timezone`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
#[serde(deny_unknown_fields, default)]
pub struct SalesPreferences {
    /// When the morning brief goes out.
    pub briefing_time_min: i64,
    /// Stale deals the daily pipeline scan queues for revival, at most,
    /// most stale first (default 3; 0 turns the scan off for the rep).
    pub max_revivals_per_day: i64,
    /// A deal with a meeting on the calendar within this many days is not
    /// revived: the meeting is its next step (default 14; 0 looks at no
    /// meeting).
    pub revival_meeting_days: i64,
    /// Coaching after each meeting, in a Monday digest, both (default) or off.
    #[sqlx(try_from = "String")]
    pub coaching: Coaching,
    /// How drafted email sounds: warm, neutral (default) or brief.
    #[sqlx(try_from = "String")]
    pub tone: Tone,
}

impl Default for SalesPreferences {
    fn default() -> Self {
        SalesPreferences {
            briefing_time_min: 8 * 60,
            max_revivals_per_day: 3,
            revival_meeting_days: 14,
            coaching: Coaching::Both,
            tone: Tone::Neutral,
        }
    }
}

/// The keys of a preferences document that are the app's.
pub const KEYS: &[&str] = &[
    "briefing_time_min",
    "max_revivals_per_day",
    "revival_meeting_days",
    "coaching",
    "tone",
];

impl SalesPreferences {
    /// The app's settings a preferences document gives (its [`KEYS`]
    /// only; the rest take their defaults), or what is wrong.
    pub fn from_doc(doc: &Map<String, Value>) -> Result<SalesPreferences, String> {
        let own: Map<String, Value> = doc
            .iter()
            .filter(|(k, _)| KEYS.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        serde_json::from_value(Value::Object(own)).map_err(|e| e.to_string())
    }

    /// The settings as document fields.
    pub fn to_doc(&self) -> Map<String, Value> {
        match serde_json::to_value(self) {
            Ok(Value::Object(m)) => m,
            _ => Map::new(),
        }
    }

    /// The first value out of range, named: the brief's time is a minute
    /// of the day, and the revivals a count.
    pub fn problem(&self) -> Option<String> {
        if !(0..1440).contains(&self.briefing_time_min) {
            return Some(format!(
                "briefing_time_min is {}: minutes after midnight run from 0 to 1439",
                self.briefing_time_min
            ));
        }
        if !(0..=MAX_MEETING_DAYS).contains(&self.revival_meeting_days) {
            return Some(format!(
                "revival_meeting_days is {}: it runs from 0 to {MAX_MEETING_DAYS} days",
                self.revival_meeting_days
            ));
        }
        (self.max_revivals_per_day < 0)
            .then(|| "max_revivals_per_day cannot be negative".to_owned())
    }
}

/// The furthest ahead the pipeline scan looks for a deal's meetings.
const MAX_MEETING_DAYS: i64 = 365;

const SALES_PREFERENCES: &str =
    "SELECT briefing_time_min, max_revivals_per_day, revival_meeting_days,
        coaching, tone
     FROM user_preferences WHERE org_id = $1 AND user_id = $2";
const SET_SALES_PREFERENCES: &str = "INSERT INTO user_preferences (user_id, org_id,
        briefing_time_min, max_revivals_per_day, revival_meeting_days, coaching, tone)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (user_id) DO UPDATE SET briefing_time_min = excluded.briefing_time_min,
        max_revivals_per_day = excluded.max_revivals_per_day,
        revival_meeting_days = excluded.revival_meeting_days, coaching = excluded.coaching,
        tone = excluded.tone";

#[easy_ext::ext(PreferenceTables)]
impl Store {
    /// A rep's sales settings (the defaults if none were set).
    pub async fn sales_preferences(
        &self,
        org: &OrgId,
        user: &UserId,
    ) -> Result<SalesPreferences, StoreError> {
        let row: Option<SalesPreferences> = on_pool!(self, pool => sqlx::query_as(SALES_PREFERENCES)
            .bind(org).bind(user).fetch_optional(pool).await)?;
        Ok(row.unwrap_or_default())
    }

    /// Replace a rep's sales settings; the engine's keep theirs.
    pub async fn set_sales_preferences(
        &self,
        org: &OrgId,
        user: &UserId,
        p: &SalesPreferences,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => sqlx::query(SET_SALES_PREFERENCES)
            .bind(user).bind(org).bind(p.briefing_time_min).bind(p.max_revivals_per_day)
            .bind(p.revival_meeting_days).bind(p.coaching.as_str()).bind(p.tone.as_str())
            .execute(pool).await.map(drop))?;
        Ok(())
    }
}
