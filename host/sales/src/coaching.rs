//! Per-meeting coaching, host side: what of a `coaching-analysis` step's
//! output becomes a `coaching_analyses` row. The app's checkpoint hook
//! (`Extension::rows`, the `baton` crate's `sales/rows.rs`) calls [`row`]
//! when that step's output is accepted, and the row rides in the same
//! checkpoint as the step's completion — one transaction, so a
//! meeting's analysis is stored exactly when its step is final, and a job
//! re-run replaces it (unique per org and meeting).
//!
//! The skill's output contract is `baton_sdk::coaching` (the skills'
//! vocabulary; the host does not link the SDK): the fields read here are
//! the figures the digest queries, converted in this one place; the whole
//! output is kept as `detail`. Nothing here logs a quote.

use crate::store::NewCoachingAnalysis;
use serde::Deserialize;
use serde_json::Value;

/// The skill whose output is a meeting's analysis.
pub const ANALYSER: &str = "coaching-analysis";

#[derive(Deserialize)]
struct Output {
    method: String,
    #[serde(default)]
    rep_share: Option<f64>,
    #[serde(default)]
    questions: Questions,
    #[serde(default)]
    longest_monologue: Option<Monologue>,
    #[serde(default)]
    unanswered_questions: Vec<Value>,
    #[serde(default)]
    objections: Vec<Objection>,
    #[serde(default)]
    current_process_at_ms: Option<i64>,
}

#[derive(Deserialize, Default)]
struct Questions {
    #[serde(default)]
    total: i64,
    #[serde(default)]
    discovery: i64,
}

#[derive(Deserialize)]
struct Monologue {
    #[serde(default)]
    duration_ms: Option<i64>,
}

#[derive(Deserialize)]
struct Objection {
    #[serde(default)]
    with_evidence: bool,
}

/// The meeting's ids and times, from the `meeting_ended` payload.
#[derive(Deserialize)]
struct Meeting {
    #[serde(default)]
    meeting_id: Option<String>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    contact_id: Option<String>,
    #[serde(default)]
    deal_id: Option<String>,
    #[serde(default)]
    deal_name: Option<String>,
    #[serde(default)]
    contact_email: Option<String>,
    #[serde(default)]
    ended_at: Option<String>,
}

/// The row for an analysis `data` of the meeting in `payload`; `None`
/// when the meeting has no id (nothing to key it by) or the output does
/// not read as an analysis (the step's schema check makes that rare).
pub fn row(payload: &Value, data: &Value) -> Option<NewCoachingAnalysis> {
    let meeting = Meeting::deserialize(payload).ok()?;
    let meeting_id = meeting.meeting_id.filter(|m| !m.trim().is_empty())?;
    let out = Output::deserialize(data).ok()?;
    let ended_at = meeting
        .ended_at
        .as_deref()
        .and_then(|t| t.parse::<jiff::Timestamp>().ok())
        .map(|t| t.as_millisecond());
    Some(NewCoachingAnalysis {
        meeting_id,
        deal_id: meeting.deal_id,
        contact_id: meeting.contact_id,
        deal_name: meeting.deal_name,
        contact_email: meeting.contact_email,
        title: meeting.title,
        ended_at,
        method: out.method,
        rep_share: out.rep_share,
        questions: out.questions.total,
        discovery_questions: out.questions.discovery,
        longest_monologue_ms: out.longest_monologue.and_then(|m| m.duration_ms),
        unanswered: out.unanswered_questions.len() as i64,
        objections: out.objections.len() as i64,
        objections_answered_with_evidence: out.objections.iter().filter(|o| o.with_evidence).count()
            as i64,
        current_process_at_ms: out.current_process_at_ms,
        detail: data.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_queried_figures_become_columns_and_the_rest_detail() {
        let data = json!({
            "method": "timestamps", "duration_ms": 1_800_000, "participants": [],
            "rep_share": 0.62, "prospect_share": 0.38,
            "questions": { "total": 7, "open": 4, "closed": 3, "discovery": 5, "items": [] },
            "longest_monologue": { "start_ms": 60_000, "duration_ms": 240_000, "words": 500, "quote": "q" },
            "unanswered_questions": [{ "at_ms": 1, "quote": "q", "answered_at_ms": null }],
            "objections": [
                { "kind": "price", "at_ms": 5, "quote": "q", "answered": true, "with_evidence": true, "answer_quote": "a" },
                { "kind": "timing", "at_ms": 9, "quote": "q", "answered": false, "with_evidence": false, "answer_quote": null }
            ],
            "current_process_at_ms": 180_000, "feedback": []
        });
        let payload = json!({ "meeting_id": "m-1", "deal_id": "d-1", "title": "Call",
                              "ended_at": "2026-11-23T15:00:00Z", "utterances": [] });
        let r = row(&payload, &data).expect("a row");
        assert_eq!(r.meeting_id, "m-1");
        assert_eq!(r.deal_id.as_deref(), Some("d-1"));
        assert_eq!(r.ended_at, Some(1_795_446_000_000));
        assert_eq!((r.questions, r.discovery_questions), (7, 5));
        assert_eq!(r.longest_monologue_ms, Some(240_000));
        assert_eq!((r.unanswered, r.objections), (1, 2));
        assert_eq!(r.objections_answered_with_evidence, 1);
        assert_eq!(r.current_process_at_ms, Some(180_000));
        assert_eq!(r.rep_share, Some(0.62));
        assert!(row(&json!({ "title": "no id" }), &data).is_none());
        assert!(row(&payload, &json!({ "nothing": 1 })).is_none());
    }
}
