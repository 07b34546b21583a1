//! Answering Slack through a response URL: the one post, and which URLs
//! are Slack's own (a response URL is never an open redirect). Shared by
//! the clicks on approvals (`slack.rs`) and the slash command's
//! confirmations (`slack_command.rs`).

use crate::App;
use serde_json::Value;

/// Post `body` to a click's response URL.
pub(super) async fn answer(url: &str, body: &Value) {
    let sent = reqwest::Client::new()
        .post(url)
        .timeout(std::time::Duration::from_secs(5))
        .json(body)
        .send()
        .await;
    if let Err(e) = sent {
        tracing::warn!(error = %e.without_url(), "cannot update the Slack message");
    }
}

/// Only Slack's own hooks (or the configured Slack API host, for tests and
/// proxies) get the follow-up: a response URL is never an open redirect.
pub(super) fn trusted(app: &App, url: &str) -> bool {
    url.starts_with("https://hooks.slack.com/")
        || reqwest::Url::parse(url)
            .ok()
            .zip(reqwest::Url::parse(&app.settings.slack_api_url).ok())
            .is_some_and(|(u, base)| {
                u.host_str() == base.host_str()
                    && u.port_or_known_default() == base.port_or_known_default()
            })
}
