//! The proactive seed's tier-3 "LinkedIn via Apify": the attendees'
//! LinkedIn profiles, read by the org's Apify actor (`providers.apify` in
//! the org profile: `{"actor": "<user>~<actor>", "url"?:
//! "https://api.apify.com", "input"?: "profileUrls"}`). One call for
//! everyone, `POST <url>/v2/acts/<actor>/run-sync-get-dataset-items` with
//! the profile URLs as the actor's input field `input` (Apify's documented
//! run-and-read; the API token is the provider key the host adds for
//! `api.apify.com`, never the skill's). Each item the actor returns is
//! matched to an attendee by its profile URL and adds their headline and a
//! line of their "about".
//!
//! Only attendees whose profile URL is known (the CRM's, or the
//! enrichment provider's) are read. Never a failure: not configured,
//! refused, slow or garbage, the output says so and the brief says
//! LinkedIn was not read.

use crate::{Person, clean, text};
use baton_sdk::briefing::ProviderStatus as Status;
use baton_sdk::context;
use baton_sdk::http::{self, HttpError};
use baton_sdk::prelude::*;
use serde::Serialize;

/// The tier-3 provider name.
pub const PROVIDER: &str = "apify";
/// Apify's API, when the profile names no other.
const API: &str = "https://api.apify.com";
/// The actor's input field for the profile URLs, when the profile names
/// no other.
const INPUT: &str = "profileUrls";

/// How the LinkedIn read went.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Read {
    pub provider: &'static str,
    pub status: Status,
    /// Attendees whose profile was read.
    pub read: usize,
    /// Why nothing (or not everything) was read, for the operator.
    pub reason: Option<String>,
    /// The same, for the rep: no host, grant or setting name.
    pub note: Option<String>,
}

impl Read {
    fn not(status: Status, reason: String, note: &str) -> Read {
        Read {
            provider: PROVIDER,
            status,
            read: 0,
            reason: Some(reason),
            note: Some(note.to_owned()),
        }
    }
}

/// A profile URL as compared: lowercased, no scheme, `www.`, query or
/// trailing slash.
fn key(url: &str) -> String {
    let u = url.trim().to_ascii_lowercase();
    let u = u
        .strip_prefix("https://")
        .or_else(|| u.strip_prefix("http://"))
        .unwrap_or(&u);
    let u = u.strip_prefix("www.").unwrap_or(u);
    u.split(['?', '#'])
        .next()
        .unwrap_or("")
        .trim_end_matches('/')
        .to_owned()
}

/// Read the profiles of `people` through the org's actor.
pub fn read(people: &mut [Person], timeout_ms: u32) -> Read {
    const NOT_SET_UP: &str = "LinkedIn profiles were not read: it is not set up for your team.";
    let config = match context::external(PROVIDER) {
        Ok(Some(c)) => c,
        Ok(None) => {
            return Read::not(
                Status::NotConfigured,
                "no Apify actor is configured (providers.apify in the org profile)".into(),
                NOT_SET_UP,
            );
        }
        Err(e) => {
            return Read::not(
                Status::NotConfigured,
                format!("the Apify provider context is unavailable ({e})"),
                NOT_SET_UP,
            );
        }
    };
    let actor = config
        .rest
        .get("actor")
        .unwrap_or(&Value::Null)
        .as_str()
        .map(str::trim)
        .unwrap_or("");
    let actor_ok = !actor.is_empty()
        && actor
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '~' | '-' | '_' | '.'));
    if !actor_ok {
        return Read::not(
            Status::NotConfigured,
            "providers.apify has no usable `actor` (its id, `user~actor`)".into(),
            NOT_SET_UP,
        );
    }
    let base = config.url.as_deref().unwrap_or(API).trim_end_matches('/');
    let field = config
        .rest
        .get("input")
        .and_then(Value::as_str)
        .unwrap_or(INPUT);
    let urls: Vec<String> = people.iter().filter_map(|p| p.linkedin.clone()).collect();
    if urls.is_empty() {
        return Read {
            provider: PROVIDER,
            status: Status::Ok,
            read: 0,
            reason: Some("no attendee's LinkedIn profile is known".into()),
            note: None,
        };
    }
    let url = format!("{base}/v2/acts/{actor}/run-sync-get-dataset-items");
    let timeout_s = (timeout_ms / 1000).max(1).to_string();
    let url = http::with_query(&url, &[("timeout", timeout_s.as_str())]);
    let failed = |reason: String| {
        Read::not(
            Status::Failed,
            reason,
            "LinkedIn profiles were not read this time: the service did not answer.",
        )
    };
    let items = match http::post_json(&url, &json!({ field: urls }), timeout_ms) {
        Ok(Value::Array(items)) => items,
        Ok(_) => return failed("the Apify actor's answer is not a list of items".into()),
        Err(HttpError::Denied(_)) => {
            let cap = http::Url::parse(&url)
                .map(|u| u.capability())
                .unwrap_or_default();
            return Read::not(
                Status::Failed,
                format!(
                    "outbound HTTP to Apify is not granted (grant `{cap}` to enrich-attendees)"
                ),
                "LinkedIn profiles were not read: it is not enabled for briefings (your administrator can turn it on).",
            );
        }
        Err(e) => return failed(format!("the Apify actor {e}")),
    };
    let mut read = 0;
    for person in people.iter_mut() {
        let Some(mine) = person.linkedin.as_deref().map(key) else {
            continue;
        };
        let item = items.iter().find(|i| {
            ["linkedinUrl", "url", "profileUrl", "inputUrl"]
                .iter()
                .filter_map(|k| i[*k].as_str())
                .any(|u| key(u) == mine)
        });
        let Some(item) = item else { continue };
        let headline = text(&item["headline"]).or_else(|| text(&item["occupation"]));
        let about = text(&item["about"])
            .or_else(|| text(&item["summary"]))
            .and_then(|a| first_sentence(&a));
        if headline.is_none() && about.is_none() {
            continue;
        }
        person.headline = headline.or(person.headline.take());
        person.about = about;
        read += 1;
    }
    Read {
        provider: PROVIDER,
        status: Status::Ok,
        read,
        reason: (read == 0).then(|| "the Apify actor returned no profile of an attendee".into()),
        note: None,
    }
}

/// The first sentence of `text` (at most 200 characters).
fn first_sentence(text: &str) -> Option<String> {
    let end = text
        .char_indices()
        .find(|(i, c)| matches!(c, '.' | '!' | '?') && text[i + 1..].starts_with([' ', '\n']))
        .map_or(text.len(), |(i, _)| i + 1);
    clean(&text[..end].chars().take(200).collect::<String>())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profile_urls_are_compared_without_their_dressing() {
        assert_eq!(
            key("https://www.LinkedIn.com/in/aisha-bello/?utm=x"),
            "linkedin.com/in/aisha-bello"
        );
        assert_eq!(
            key("linkedin.com/in/aisha-bello"),
            "linkedin.com/in/aisha-bello"
        );
    }

    #[test]
    fn an_about_is_cut_to_its_first_sentence() {
        assert_eq!(
            first_sentence("CFO at Harbour Freight. Before that, KPMG.").as_deref(),
            Some("CFO at Harbour Freight.")
        );
        assert_eq!(
            first_sentence("v2.5 rollout lead").as_deref(),
            Some("v2.5 rollout lead")
        );
    }
}
