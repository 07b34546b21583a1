//! The campaign provider adapter: Instantly's API v2 shapes
//! (developer.instantly.ai), read over the HTTP the operator grants.
//!
//! - `GET /api/v2/campaigns?limit=100` → `{items: [campaign], next_starting_after}`;
//!   a campaign carries its `sequences[0].steps[i].variants[j].subject`;
//! - `GET /api/v2/campaigns/analytics?start_date=D&end_date=D` → one row per
//!   campaign (`emails_sent_count`, `open_count_unique`, `link_click_count_unique`,
//!   `reply_count_unique`; the plain counts when the unique ones are absent);
//! - `GET /api/v2/campaigns/analytics/steps?campaign_id=C` → one row per step
//!   and variant (`step`, `variant` with 0 = A, `sent`, `unique_opened`);
//! - `GET /api/v2/emails?campaign_id=C&email_type=received&limit=100` →
//!   `{items: [email], next_starting_after}`, newest first; a reply has
//!   `ue_type` 2.
//!
//! The skill never holds the API key: the host adds the provider key the
//! operator stored for the host (`Authorization: Bearer …`) to each granted
//! request. Every failure is a [`ProviderError`] naming the endpoint and
//! the fix; nothing the peer sends can panic the skill.

use baton_sdk::SkillError;
use baton_sdk::http::{self, HttpError, Url};
use serde::Deserialize;
use serde::de::{DeserializeOwned, Deserializer};
use serde_json::Value;

/// Pages of a list read at most (100 items each).
const MAX_PAGES: usize = 5;

/// Why the provider gave no usable answer.
#[derive(Debug, Clone, PartialEq)]
pub enum ProviderError {
    /// `providers.campaigns` is missing from the org profile.
    NotConfigured(String),
    /// Its URL is not usable.
    BadUrl(String),
    /// The operator has not granted the provider's host.
    Denied { capability: String },
    /// 401/403: the key is missing, wrong or lacks a scope.
    Unauthorized { endpoint: String, status: u16 },
    /// Any other non-2xx answer.
    Status { endpoint: String, status: u16 },
    /// Not JSON, or not the shape the API documents.
    Malformed { endpoint: String, why: String },
    /// Timeout, refused connection, reset.
    Unreachable { endpoint: String, why: String },
}

impl std::fmt::Display for ProviderError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ProviderError::NotConfigured(why) => write!(f, "{why}"),
            ProviderError::BadUrl(why) => write!(f, "providers.campaigns.url: {why}"),
            ProviderError::Denied { capability } => write!(
                f,
                "outbound HTTP to the campaign provider is not granted (grant `{capability}` to monitor-campaigns)"
            ),
            ProviderError::Unauthorized { endpoint, status } => write!(
                f,
                "the campaign provider refused the API key for {endpoint} (HTTP {status}); store a valid key for its host (`baton secret set`, or PUT /v1/admin/orgs/{{org}}/provider-keys/{{name}} with header `Authorization` and value `Bearer …`)"
            ),
            ProviderError::Status { endpoint, status } => {
                write!(
                    f,
                    "the campaign provider answered {endpoint} with HTTP {status}"
                )
            }
            ProviderError::Malformed { endpoint, why } => write!(
                f,
                "the campaign provider's answer to {endpoint} is not what Instantly API v2 documents: {why}"
            ),
            ProviderError::Unreachable { endpoint, why } => {
                write!(f, "the campaign provider did not answer {endpoint}: {why}")
            }
        }
    }
}

impl From<ProviderError> for SkillError {
    /// A server error or an unreachable peer may pass (`unavailable`, the
    /// step's retry policy applies); a refused key, a missing grant or a
    /// malformed answer will not (`failed`).
    fn from(e: ProviderError) -> SkillError {
        match e {
            ProviderError::Status { status, .. } if status >= 500 || status == 429 => {
                SkillError::Unavailable(e.to_string())
            }
            ProviderError::Unreachable { .. } => SkillError::Unavailable(e.to_string()),
            other => SkillError::Failed(other.to_string()),
        }
    }
}

/// A campaign as listed.
#[derive(Debug, Clone, Deserialize)]
pub struct Campaign {
    pub id: String,
    #[serde(default)]
    pub name: String,
    /// 0 draft, 1 active, 2 paused, 3 completed, …
    #[serde(default)]
    pub status: Option<i64>,
    #[serde(default)]
    pub sequences: Vec<Sequence>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Sequence {
    #[serde(default)]
    pub steps: Vec<Step>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Step {
    #[serde(default)]
    pub variants: Vec<Variant>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Variant {
    #[serde(default)]
    pub subject: String,
    /// Switched off (a winner was applied): it is no longer sent.
    #[serde(default, deserialize_with = "null_is_false")]
    pub v_disabled: bool,
}

fn null_is_false<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    Ok(Option::<bool>::deserialize(d)?.unwrap_or(false))
}

impl Campaign {
    /// The subject of `variant` of `step` (0-based), when the campaign
    /// lists it.
    pub fn subject(&self, step: usize, variant: usize) -> Option<&str> {
        let s = &self
            .sequences
            .first()?
            .steps
            .get(step)?
            .variants
            .get(variant)?
            .subject;
        (!s.trim().is_empty()).then_some(s.as_str())
    }

    /// Whether `variant` of `step` (0-based) is switched off.
    pub fn disabled(&self, step: usize, variant: usize) -> bool {
        self.sequences
            .first()
            .and_then(|s| s.steps.get(step))
            .and_then(|s| s.variants.get(variant))
            .is_some_and(|v| v.v_disabled)
    }
}

/// One campaign's analytics for a period.
#[derive(Debug, Clone, Deserialize)]
pub struct Analytics {
    pub campaign_id: String,
    #[serde(default)]
    pub campaign_name: String,
    #[serde(default, deserialize_with = "count")]
    pub emails_sent_count: i64,
    #[serde(default, deserialize_with = "count")]
    pub open_count: i64,
    #[serde(default, deserialize_with = "opt_count")]
    pub open_count_unique: Option<i64>,
    #[serde(default, deserialize_with = "count")]
    pub link_click_count: i64,
    #[serde(default, deserialize_with = "opt_count")]
    pub link_click_count_unique: Option<i64>,
    #[serde(default, deserialize_with = "count")]
    pub reply_count: i64,
    #[serde(default, deserialize_with = "opt_count")]
    pub reply_count_unique: Option<i64>,
}

impl Analytics {
    /// Leads who opened, clicked, replied: the unique counts, else the plain ones.
    pub fn opened(&self) -> i64 {
        self.open_count_unique.unwrap_or(self.open_count)
    }
    pub fn clicked(&self) -> i64 {
        self.link_click_count_unique
            .unwrap_or(self.link_click_count)
    }
    pub fn replied(&self) -> i64 {
        self.reply_count_unique.unwrap_or(self.reply_count)
    }
}

/// One step's variant, over the campaign's life.
#[derive(Debug, Clone, Deserialize)]
pub struct StepVariant {
    #[serde(deserialize_with = "count")]
    pub step: i64,
    #[serde(deserialize_with = "count")]
    pub variant: i64,
    #[serde(default, deserialize_with = "count")]
    pub sent: i64,
    #[serde(default, deserialize_with = "count")]
    pub unique_opened: i64,
}

/// An email of the Unibox.
#[derive(Debug, Clone, Deserialize)]
pub struct Email {
    pub id: String,
    #[serde(default)]
    pub timestamp_email: Option<String>,
    #[serde(default)]
    pub message_id: Option<String>,
    #[serde(default)]
    pub subject: Option<String>,
    #[serde(default)]
    pub from_address_email: Option<String>,
    /// `[{address, name}]` when the provider has the sender's name.
    #[serde(default)]
    pub from_address_json: Option<Value>,
    #[serde(default)]
    pub body: Option<Body>,
    #[serde(default)]
    pub campaign_id: Option<String>,
    #[serde(default)]
    pub thread_id: Option<String>,
    /// 1 sent from a campaign, 2 received, 3 sent manually, 4 scheduled.
    #[serde(default)]
    pub ue_type: Option<i64>,
    #[serde(default)]
    pub is_auto_reply: Option<i64>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Body {
    #[serde(default)]
    pub text: Option<String>,
    #[serde(default)]
    pub html: Option<String>,
}

impl Email {
    /// The sender's display name, when the provider gives one.
    pub fn from_name(&self) -> Option<String> {
        let list = self.from_address_json.as_ref()?.as_array()?;
        let name = list.first()?.get("name")?.as_str()?.trim();
        (!name.is_empty()).then(|| name.to_owned())
    }

    /// The plain-text body (the HTML one with its tags dropped when there
    /// is no text part).
    pub fn text(&self) -> String {
        let Some(b) = &self.body else {
            return String::new();
        };
        match (&b.text, &b.html) {
            (Some(t), _) if !t.trim().is_empty() => t.clone(),
            (_, Some(h)) => strip_tags(h),
            _ => String::new(),
        }
    }
}

fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

#[derive(Deserialize)]
struct Page<T> {
    #[serde(default = "Vec::new")]
    items: Vec<T>,
    #[serde(default)]
    next_starting_after: Option<String>,
}

/// A count given as a number or a numeric string; anything else is 0.
fn count<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    Ok(opt_count(d)?.unwrap_or(0))
}

fn opt_count<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    })
}

/// The provider, at the org's configured base URL.
pub struct Client {
    base: String,
    timeout_ms: u32,
}

impl Client {
    /// A client for `base` (`https://api.instantly.ai`), checked.
    pub fn new(base: &str, timeout_ms: u32) -> Result<Client, ProviderError> {
        Url::parse(base).map_err(|e| ProviderError::BadUrl(e.to_string()))?;
        Ok(Client {
            base: base.trim_end_matches('/').to_owned(),
            timeout_ms,
        })
    }

    fn get<T: DeserializeOwned>(
        &self,
        path: &str,
        query: &[(&str, &str)],
    ) -> Result<T, ProviderError> {
        let url = http::with_query(&format!("{}{path}", self.base), query);
        let endpoint = format!("GET {path}");
        let value = http::get_json(&url, self.timeout_ms).map_err(|e| match e {
            HttpError::Denied(_) => ProviderError::Denied {
                capability: Url::parse(&url).map(|u| u.capability()).unwrap_or_default(),
            },
            HttpError::Status(s @ (401 | 403)) => ProviderError::Unauthorized {
                endpoint: endpoint.clone(),
                status: s,
            },
            HttpError::Status(status) => ProviderError::Status {
                endpoint: endpoint.clone(),
                status,
            },
            HttpError::Body(why) => ProviderError::Malformed {
                endpoint: endpoint.clone(),
                why,
            },
            HttpError::TooLarge => ProviderError::Malformed {
                endpoint: endpoint.clone(),
                why: format!("the answer is larger than {} bytes", http::MAX_BODY_BYTES),
            },
            other => ProviderError::Unreachable {
                endpoint: endpoint.clone(),
                why: other.to_string(),
            },
        })?;
        serde_json::from_value(value).map_err(|e| ProviderError::Malformed {
            endpoint,
            why: e.to_string(),
        })
    }

    /// Every page of a list, at most [`MAX_PAGES`].
    fn list<T: DeserializeOwned>(
        &self,
        path: &str,
        query: &[(&str, &str)],
    ) -> Result<Vec<T>, ProviderError> {
        let mut out = Vec::new();
        let mut after: Option<String> = None;
        for _ in 0..MAX_PAGES {
            let page: Page<T> = {
                let mut q: Vec<(&str, &str)> = query.to_vec();
                q.push(("limit", "100"));
                if let Some(a) = &after {
                    q.push(("starting_after", a.as_str()));
                }
                self.get(path, &q)?
            };
            let last = page.items.is_empty();
            out.extend(page.items);
            match page.next_starting_after {
                Some(next) if !last && after.as_deref() != Some(next.as_str()) => {
                    after = Some(next)
                }
                _ => break,
            }
        }
        Ok(out)
    }

    pub fn campaigns(&self) -> Result<Vec<Campaign>, ProviderError> {
        self.list("/api/v2/campaigns", &[])
    }

    /// Every campaign's analytics for the days `from` to `to` (inclusive).
    pub fn analytics(&self, from: &str, to: &str) -> Result<Vec<Analytics>, ProviderError> {
        self.get(
            "/api/v2/campaigns/analytics",
            &[("start_date", from), ("end_date", to)],
        )
    }

    /// The campaign's step and variant analytics over its life.
    pub fn steps(&self, campaign: &str) -> Result<Vec<StepVariant>, ProviderError> {
        self.get(
            "/api/v2/campaigns/analytics/steps",
            &[("campaign_id", campaign)],
        )
    }

    /// The replies received in the campaign, newest first.
    pub fn replies(&self, campaign: &str) -> Result<Vec<Email>, ProviderError> {
        let all: Vec<Email> = self.list(
            "/api/v2/emails",
            &[("campaign_id", campaign), ("email_type", "received")],
        )?;
        Ok(all.into_iter().filter(|e| e.ue_type == Some(2)).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn counts_are_read_from_numbers_or_strings_and_unique_counts_win() {
        let a: Analytics = serde_json::from_value(json!({
            "campaign_id": "c", "campaign_name": "Q1", "emails_sent_count": "45",
            "open_count": 30, "open_count_unique": 20, "link_click_count": 9,
            "reply_count": 3, "reply_count_unique": null
        }))
        .expect("reads");
        assert_eq!(
            (a.emails_sent_count, a.opened(), a.clicked(), a.replied()),
            (45, 20, 9, 3)
        );
        let s: StepVariant = serde_json::from_value(
            json!({ "step": "0", "variant": 1, "sent": 400, "unique_opened": 124 }),
        )
        .expect("reads");
        assert_eq!(
            (s.step, s.variant, s.sent, s.unique_opened),
            (0, 1, 400, 124)
        );
    }

    #[test]
    fn an_html_only_body_loses_its_tags() {
        let e: Email = serde_json::from_value(json!({
            "id": "e", "body": { "html": "<p>Send <b>pricing</b></p>" },
            "from_address_json": [{ "address": "a@x.example", "name": "Ann Lee" }]
        }))
        .expect("reads");
        assert_eq!(
            e.text().split_whitespace().collect::<Vec<_>>().join(" "),
            "Send pricing"
        );
        assert_eq!(e.from_name().as_deref(), Some("Ann Lee"));
    }
}
