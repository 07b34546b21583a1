//! A meeting's transcript, stored once per org as the engine's attachment
//! of kind [`KIND`]: every payload that carries utterances (a call from
//! Meeting BaaS, an upload, the API, a follow-up handed the call's words)
//! leaves its `utterances` and who was on the call (`participants`,
//! `speakers`) in one attachment and keeps its id in `transcript_id`
//! ([`attach`], the seam's `attach`). The same words are one row, so a
//! call's follow-ups refer to the transcript their meeting stored. Skills
//! read it through `context.attachment` (the SDK's `Meeting::read`); the
//! app's own pages read it back with [`restored`].
//!
//! An org keeps a transcript [`retention_days`] (its profile's
//! `transcript_retention_days`, else [`DEFAULT_RETENTION_DAYS`]); the
//! scheduler's pass erases older ones ([`expire`]). A meeting's transcript
//! is erased on request ([`erase_meeting`]: `DELETE
//! /v1/meetings/{id}/transcript`, `baton transcript erase`). Erasing goes
//! through the engine's erasure, which rewrites what the jobs that read it
//! made of its words, in the engine's columns and in the app's
//! ([`ERASABLE`]).

use baton_engine::orchestrator::erasure::{self, Erased};
use baton_engine::orchestrator::{Attach, Extension, OrchestratorError};
use baton_store::{Content, OrgId, Store, StoreError, TextColumn};
use serde_json::Value;
use std::sync::Arc;

/// The attachment kind of a meeting's transcript.
pub const KIND: &str = "transcript";
/// The payload field that refers to it.
pub const ID_FIELD: &str = "transcript_id";
/// What of a payload the transcript holds.
const FIELDS: &[&str] = &["utterances", "participants", "speakers"];

/// The org profile's key for how many days a transcript is kept.
pub const RETENTION_KEY: &str = "transcript_retention_days";
/// How many days a transcript is kept when the org's profile does not say.
pub const DEFAULT_RETENTION_DAYS: i64 = 180;
/// The longest retention a profile may set: ten years.
pub const MAX_RETENTION_DAYS: i64 = 3650;

/// The app's columns a call's words may reach through the jobs that read
/// it: the coaching analysis (its quotes), a task created from the call
/// (its title; named by the effect's key, `<job>:<step>:<n>`), and a
/// proposal drafted from it (its title and document).
pub(crate) const ERASABLE: &[TextColumn] = &[
    TextColumn {
        table: "coaching_analyses",
        key: "id",
        column: "detail",
        of_job: "job_id = $2",
    },
    TextColumn {
        table: "tasks",
        key: "id",
        column: "title",
        of_job: "source_key LIKE $2 || ':%'",
    },
    TextColumn {
        table: "proposals",
        key: "id",
        column: "title",
        of_job: "job_id = $2",
    },
    TextColumn {
        table: "proposals",
        key: "id",
        column: "document",
        of_job: "job_id = $2",
    },
];

/// How many days `profile` keeps a transcript: its
/// [`RETENTION_KEY`] when that is a whole number from 1 to
/// [`MAX_RETENTION_DAYS`] (an import refuses any other), else the default.
pub fn retention_days(profile: &Value) -> i64 {
    profile
        .get(RETENTION_KEY)
        .and_then(Value::as_i64)
        .filter(|d| (1..=MAX_RETENTION_DAYS).contains(d))
        .unwrap_or(DEFAULT_RETENTION_DAYS)
}

/// What is wrong with a profile's [`RETENTION_KEY`], if anything.
pub fn retention_problem(profile: &Value) -> Option<String> {
    let v = profile.get(RETENTION_KEY)?;
    (!v.as_i64()
        .is_some_and(|d| (1..=MAX_RETENTION_DAYS).contains(&d)))
    .then(|| {
        format!(
            "org.profile.{RETENTION_KEY} is {v}: it is a whole number of days from 1 to \
             {MAX_RETENTION_DAYS} (how long a call's transcript is kept)"
        )
    })
}

/// Erase every transcript `org` holds of `meeting`, by `by`, for `why`:
/// what each erasure did. `NotFound` when the org holds none.
pub async fn erase_meeting(
    store: &Store,
    apps: &[Arc<dyn Extension>],
    org: &OrgId,
    meeting: &str,
    (by, why): (&str, &str),
    now: i64,
) -> Result<Vec<Erased>, OrchestratorError> {
    let held = store.attachments_about(org, KIND, meeting).await?;
    if held.is_empty() {
        return Err(OrchestratorError::NotFound(format!(
            "a transcript of meeting `{meeting}`"
        )));
    }
    let mut out = Vec::with_capacity(held.len());
    for a in held {
        out.push(erasure::erase(store, apps, org, (&a.id, by, why), now).await?);
    }
    Ok(out)
}

/// Erase `org`'s transcripts older than its retention at `now` (the
/// scheduler's pass): how many. One whose jobs are running now waits for
/// the next pass.
pub(crate) async fn expire(
    store: &Store,
    apps: &[Arc<dyn Extension>],
    org: &baton_store::Org,
    now: i64,
) -> Result<usize, OrchestratorError> {
    let days = retention_days(&org.profile);
    let before = now - days * 86_400_000;
    let why = format!("kept {days} days, the org's retention for call transcripts");
    let mut erased = 0;
    for id in store.attachments_before(&org.id, KIND, before).await? {
        match erasure::erase(store, apps, &org.id, (&id, "retention", &why), now).await {
            Ok(_) => erased += 1,
            Err(OrchestratorError::Refused(_)) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(erased)
}

/// What of `payload` is stored once: its utterances (and who was on the
/// call) when it carries any. A payload without words, or one that
/// already refers to a stored transcript, is left as it is.
pub(crate) fn attach(payload: &Value) -> Option<Attach> {
    payload
        .get("utterances")?
        .as_array()
        .filter(|u| !u.is_empty())?;
    Some(Attach {
        kind: KIND,
        subject: payload
            .get("meeting_id")
            .and_then(Value::as_str)
            .map(str::to_owned),
        fields: FIELDS,
        id_field: ID_FIELD,
    })
}

/// Whether `payload` refers to a transcript that was erased.
pub async fn erased(store: &Store, org: &OrgId, payload: &Value) -> Result<bool, StoreError> {
    let Some(id) = payload.get(ID_FIELD).and_then(Value::as_str) else {
        return Ok(false);
    };
    Ok(store
        .attachment(org, id)
        .await?
        .is_some_and(|a| matches!(a.content, Content::Erased(_))))
}

/// `payload` with its stored transcript back in place, for a page that
/// shows what was said; as it is when it refers to none, or to one that
/// was erased (nothing of its words is left to show).
pub async fn restored(store: &Store, org: &OrgId, mut payload: Value) -> Result<Value, StoreError> {
    let Some(id) = payload.get(ID_FIELD).and_then(Value::as_str) else {
        return Ok(payload);
    };
    let Some(found) = store.attachment(org, id).await? else {
        return Ok(payload);
    };
    if let (Content::Body(Value::Object(body)), Some(p)) = (found.content, payload.as_object_mut())
    {
        for (k, v) in body {
            p.entry(k).or_insert(v);
        }
    }
    Ok(payload)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_a_payload_with_words_is_set_aside() {
        let call =
            json!({ "meeting_id": "m1", "utterances": [{ "speaker": "rep", "text": "hi" }] });
        let a = attach(&call).expect("a call with words");
        assert_eq!((a.kind, a.id_field), (KIND, ID_FIELD));
        assert_eq!(a.subject.as_deref(), Some("m1"));
        assert!(a.fields.contains(&"utterances"));
        assert_eq!(attach(&json!({ "utterances": [] })), None);
        assert_eq!(attach(&json!({ "transcript_id": "att_1" })), None);
        assert_eq!(attach(&json!({ "subject": "Re: pricing" })), None);
    }

    #[test]
    fn retention_is_the_profile_s_whole_days_else_the_default() {
        assert_eq!(retention_days(&json!({})), DEFAULT_RETENTION_DAYS);
        assert_eq!(retention_days(&json!({ RETENTION_KEY: 30 })), 30);
        assert_eq!(
            retention_days(&json!({ RETENTION_KEY: 0 })),
            DEFAULT_RETENTION_DAYS
        );
        assert_eq!(retention_problem(&json!({ RETENTION_KEY: 30 })), None);
        assert_eq!(retention_problem(&json!({})), None);
        for bad in [json!(0), json!(-3), json!(2.5), json!("30"), json!(99_999)] {
            let p = retention_problem(&json!({ RETENTION_KEY: bad })).expect("refused");
            assert!(p.contains("whole number of days"), "{p}");
        }
    }
}
