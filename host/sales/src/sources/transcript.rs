//! A call's transcript as the follow-up chain reads it: each utterance's
//! speaker as `rep` or `prospect` against the org's people, from v1's
//! inline segments or from the transcript Meeting BaaS v2 only links to.
//!
//! v2's `bot.completed` carries a presigned link (`transcription`, valid
//! four hours) instead of the words. Before a `meeting_ended` job from that
//! webhook runs its first step ([`prepare`], the engine's `prepare` hook),
//! the link is fetched: the answer is read up to
//! [`baton_engine::wire::MAX_ANSWER_BYTES`], each attempt has a deadline,
//! and a broken connection, a 5xx or a 429 is tried again, three attempts
//! in all. A link that cannot be had fails the job with the reason, and a
//! call with no utterances runs no chain and says why: a follow-up drafted
//! from an empty call would be generic, and its coaching numbers wrong.
//! Neither the link (it is a credential for four hours) nor a word of the
//! transcript is logged.

use baton_engine::orchestrator::Prepared;
use baton_engine::wire;
use baton_store::{Job, Store, StoreError};
use serde_json::{Value, json};
use std::time::Duration;

/// The source of the jobs whose transcript is fetched: only a signed
/// webhook names a link the server may fetch.
pub const SOURCE: &str = "webhook:meetingbaas";

/// How the link is fetched.
#[derive(Debug, Clone, Copy)]
pub struct Fetch {
    pub attempts: u32,
    /// The deadline of one attempt, the body included.
    pub timeout: Duration,
    /// The wait before the second attempt; it doubles after.
    pub backoff: Duration,
    /// The longest wait a 429's `Retry-After` is honoured for.
    pub max_wait: Duration,
}

impl Fetch {
    /// Three attempts of 20 s each, waiting 1 s then 2 s between them.
    pub const DEFAULT: Fetch = Fetch {
        attempts: 3,
        timeout: Duration::from_secs(20),
        backoff: Duration::from_secs(1),
        max_wait: Duration::from_secs(10),
    };
}

/// What a `meeting_ended` job from Meeting BaaS runs on: its payload with
/// the fetched utterances, nothing when the call holds none, or a failure
/// that names why the transcript could not be had. Other jobs, and calls
/// whose utterances came inline, run as they are.
pub async fn prepare(store: &Store, job: &Job, how: Fetch) -> Result<Prepared, StoreError> {
    if job.event_type != "meeting_ended" || job.event_source != SOURCE {
        return Ok(Prepared::AsItIs);
    }
    // The words came inline, or were fetched and stored already (asked
    // again after a restart).
    if job.payload["utterances"]
        .as_array()
        .is_some_and(|u| !u.is_empty())
        || job.payload.get(crate::transcripts::ID_FIELD).is_some()
    {
        return Ok(Prepared::AsItIs);
    }
    let Some(url) = job.payload["transcript_url"].as_str() else {
        return Ok(Prepared::Nothing(
            "the call has no utterances and Meeting BaaS linked no transcript (was transcription \
             on for the bot?): no follow-up is drafted"
                .into(),
        ));
    };
    let doc = match fetch(url, how).await {
        Ok(doc) => doc,
        Err(why) => {
            return Ok(Prepared::Failed(format!(
                "the call's transcript could not be fetched from Meeting BaaS: {why}"
            )));
        }
    };
    let Some(segments) = doc["result"]["utterances"].as_array() else {
        return Ok(Prepared::Failed(
            "the call's transcript from Meeting BaaS is not its documented shape (no \
             `result.utterances` list)"
                .into(),
        ));
    };
    let people: Vec<String> = store
        .users(&job.org_id)
        .await?
        .into_iter()
        .map(|u| u.name)
        .collect();
    let utterances = utterances(segments, &people);
    if utterances.is_empty() {
        return Ok(Prepared::Nothing(
            "the call's transcript holds no utterances (nobody spoke, or nothing was \
             transcribed): no follow-up is drafted"
                .into(),
        ));
    }
    let mut payload = job.payload.clone();
    if let Some(p) = payload.as_object_mut() {
        p.insert("utterances".into(), Value::Array(utterances));
        // The links are credentials until they expire; skills read the
        // words, not where they came from.
        for link in ["transcript_url", "raw_transcript_url", "diarization_url"] {
            p.remove(link);
        }
        if !p.contains_key("duration_seconds")
            && let Some(d) = doc["result"]["total_duration"].as_f64()
        {
            p.insert("duration_seconds".into(), json!(d.round() as i64));
        }
    }
    Ok(Prepared::Completed(payload))
}

/// Why a fetch gave up, as a person reads it (never the link itself).
async fn fetch(url: &str, how: Fetch) -> Result<Value, String> {
    let parsed = reqwest::Url::parse(url).map_err(|_| "the link is not a URL".to_owned())?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err("the link is not http(s)".into());
    }
    let host = parsed
        .host_str()
        .unwrap_or("the transcript's host")
        .to_owned();
    let client = reqwest::Client::builder()
        .timeout(how.timeout)
        .redirect(reqwest::redirect::Policy::limited(3))
        .build()
        .map_err(|e| format!("no HTTP client: {e}"))?;
    let mut wait = how.backoff;
    let mut last = String::new();
    for attempt in 1..=how.attempts.max(1) {
        if attempt > 1 {
            tokio::time::sleep(wait).await;
            wait *= 2;
        }
        let answer = match client.get(parsed.clone()).send().await {
            Ok(answer) => answer,
            Err(e) => {
                last = format!("{host} did not answer ({})", kind(&e));
                continue;
            }
        };
        let status = answer.status();
        if status.as_u16() == 429 {
            wait = baton_engine::connectors::http::retry_after(answer.headers())
                .unwrap_or(wait)
                .min(how.max_wait);
            last = format!("{host} is rate limiting (HTTP 429)");
            continue;
        }
        if status.is_server_error() {
            last = format!("{host} answered HTTP {}", status.as_u16());
            continue;
        }
        if !status.is_success() {
            // 403/404: the presigned link expired or the bot's data was
            // deleted; asking again will not help.
            return Err(format!(
                "{host} refused the link (HTTP {}): links last four hours; Meeting BaaS sends \
                 new ones with POST /v2/bots/{{bot_id}}/retry-callback",
                status.as_u16()
            ));
        }
        match wire::json(answer).await {
            Ok(doc) => return Ok(doc),
            Err(e) if e.retriable() => last = format!("the answer broke off: {e}"),
            Err(e) => return Err(format!("the answer cannot be read: {e}")),
        }
    }
    Err(format!("{last}, after {} attempts", how.attempts.max(1)))
}

/// A transport error's kind, without its URL.
fn kind(e: &reqwest::Error) -> &'static str {
    if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "could not connect"
    } else {
        "the connection failed"
    }
}

/// The utterances of transcript `segments`: v1's (`words` of `{word}`,
/// `start_time`/`end_time` or `offset`) and v2's (`text`, `start`, `end`,
/// `words`), each with its speaker's role against `people` (the org's
/// names), the name kept in `speaker_name`. Empty segments are dropped.
pub fn utterances(segments: &[Value], people: &[String]) -> Vec<Value> {
    segments
        .iter()
        .filter_map(|seg| {
            let text = match seg["text"].as_str().filter(|t| !t.trim().is_empty()) {
                Some(t) => t.to_owned(),
                None => seg["words"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|w| w["word"].as_str())
                    .collect::<Vec<_>>()
                    .join(" "),
            };
            if text.trim().is_empty() {
                return None;
            }
            let name = seg["speaker"].as_str().unwrap_or("unknown");
            let start = ["start_time", "start", "offset"]
                .iter()
                .find_map(|k| seg[*k].as_f64())
                .unwrap_or(0.0);
            let end = seg["end_time"].as_f64().or(seg["end"].as_f64());
            Some(json!({
                "speaker": role(name, people),
                "speaker_name": name,
                "text": text,
                "start": start,
                "end": end,
            }))
        })
        .collect()
}

/// `rep` when a transcript's speaker is one of the org's people (by full
/// name, or by first name alone as meeting tools often show it), else
/// `prospect`. Skills see roles; the name stays in `speaker_name`.
pub fn role(speaker: &str, people: &[String]) -> &'static str {
    let s = speaker.trim();
    if s.eq_ignore_ascii_case("rep") {
        return "rep";
    }
    let ours = people.iter().any(|name| {
        name.trim().eq_ignore_ascii_case(s)
            || (!s.contains(' ')
                && name
                    .split_whitespace()
                    .next()
                    .is_some_and(|first| first.eq_ignore_ascii_case(s)))
    });
    if ours { "rep" } else { "prospect" }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// v2's documented utterance: its punctuated `text` wins over the
    /// bare words; times are `start`/`end`.
    #[test]
    fn v2_utterances_keep_their_text_and_times() {
        let segs = json!([
            { "text": "Hello everyone, welcome.", "start": 0.5, "end": 2.1, "speaker": "Marta Ruiz",
              "words": [{ "word": "Hello" }, { "word": "everyone" }] },
            { "text": "  ", "start": 3.0, "speaker": "Marta Ruiz" },
            { "text": "Thanks, Marta.", "start": 4.0, "end": 5.0, "speaker": "Jordan" }
        ]);
        let u = utterances(segs.as_array().expect("list"), &["Jordan Avery".to_owned()]);
        assert_eq!(
            Value::Array(u),
            json!([
                { "speaker": "prospect", "speaker_name": "Marta Ruiz", "text": "Hello everyone, welcome.", "start": 0.5, "end": 2.1 },
                { "speaker": "rep", "speaker_name": "Jordan", "text": "Thanks, Marta.", "start": 4.0, "end": 5.0 },
            ])
        );
    }
}
