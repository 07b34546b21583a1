//! The tier-3 `competitive` provider (`providers.competitive` in the org
//! profile): `{"url": "https://…"}`, asked `GET <url>?competitor=…&company=…`
//! over the HTTP the operator grants (the skill declares `http:*`; the host
//! adds the provider key it keeps for that origin). The answer is one card:
//!
//! ```json
//! {"competitor": "Gainsight", "summary": "…", "strengths": ["…"],
//!  "weaknesses": ["…"], "pricing": "…", "sources": [{"title": "…", "url": "https://…"}]}
//! ```
//!
//! (or `{"card": {…}}`); a 404 or a card with nothing in it means the
//! provider knows nothing of the rival. Every text is clipped; a link that
//! is not http(s) or could break out of Slack's link syntax is dropped.

use crate::{Card, Link};
use baton_sdk::Value;
use baton_sdk::briefing::ProviderStatus;
use baton_sdk::host::{self, HostError, Tier};
use baton_sdk::http::{self, HttpError};
use baton_sdk::text::field;

/// The tier-3 provider name.
pub const PROVIDER: &str = "competitive";
/// A card's text fields at most, in characters.
const TEXT: usize = 400;
/// Strengths, weaknesses and links kept at most.
const LIST: usize = 4;

/// Why the provider gave nothing: its status and the reason.
pub type Unused = (ProviderStatus, String);

/// What the provider knows of `rival` (`Ok(None)`: nothing), or why it
/// could not be asked.
pub fn ask(rival: &str, company: Option<&str>, timeout_ms: u32) -> Result<Option<Card>, Unused> {
    let config = match host::context(Tier::External(PROVIDER.into())) {
        Ok(c) => c,
        Err(HostError::NotFound(_)) => {
            return Err((
                ProviderStatus::NotConfigured,
                "no competitive provider is configured (providers.competitive in the org profile)"
                    .into(),
            ));
        }
        Err(e) => {
            return Err((
                ProviderStatus::NotConfigured,
                format!("the competitive provider context is unavailable ({e})"),
            ));
        }
    };
    let Some(url) = config["url"].as_str() else {
        return Err((
            ProviderStatus::NotConfigured,
            "providers.competitive has no `url`".into(),
        ));
    };
    let mut query = vec![("competitor", rival)];
    if let Some(c) = company {
        query.push(("company", c));
    }
    let answer = match http::get_json(&http::with_query(url, &query), timeout_ms) {
        Ok(v) => v,
        Err(HttpError::Status(404)) => return Ok(None),
        Err(HttpError::Denied(_)) => {
            let cap = http::Url::parse(url)
                .map(|u| u.capability())
                .unwrap_or_default();
            return Err((
                ProviderStatus::Failed,
                format!(
                    "outbound HTTP to the competitive provider is not granted (grant `{cap}` to research-competitors)"
                ),
            ));
        }
        Err(e) => {
            return Err((
                ProviderStatus::Failed,
                format!("the competitive provider {e}"),
            ));
        }
    };
    let card = answer.get("card").unwrap_or(&answer);
    if !card.is_object() {
        return Err((
            ProviderStatus::Failed,
            "the competitive provider's answer is not a card (a JSON object)".into(),
        ));
    }
    Ok(read(rival, card))
}

fn text(v: &Value, key: &str) -> Option<String> {
    field(v, key).map(|t| t.chars().take(TEXT).collect())
}

fn list(v: &Value, key: &str) -> Vec<String> {
    v[key]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .take(LIST)
        .map(|s| s.chars().take(TEXT).collect())
        .collect()
}

/// A link safe to show: http(s), nothing that closes Slack's `<url|text>`.
pub fn safe_url(url: &str) -> bool {
    (url.starts_with("https://") || url.starts_with("http://"))
        && !url.contains(['|', '>', '<', ' ', '\n'])
}

/// The card `v` gives for `rival`; `None` when it says nothing.
pub fn read(rival: &str, v: &Value) -> Option<Card> {
    let links: Vec<Link> = v["sources"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| {
            let url = field(s, "url")?.to_owned();
            safe_url(&url).then(|| Link {
                title: text(s, "title").unwrap_or_else(|| url.clone()),
                url,
            })
        })
        .take(LIST)
        .collect();
    let card = Card {
        competitor: rival.to_owned(),
        source: "provider",
        summary: text(v, "summary"),
        strengths: list(v, "strengths"),
        weaknesses: list(v, "weaknesses"),
        pricing: text(v, "pricing"),
        links,
    };
    let empty = card.summary.is_none()
        && card.strengths.is_empty()
        && card.weaknesses.is_empty()
        && card.pricing.is_none();
    (!empty).then_some(card)
}
