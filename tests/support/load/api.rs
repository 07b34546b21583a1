//! The load run's calls to the service's API: an org token made with the
//! admin token, the rep's preferences, and, once the approval requests
//! have stopped coming, which job each approval belongs to.

use super::slack::{self, SlackPeer};
use super::{LIMIT, LoadError};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

/// How long the approval requests must stop coming before the run looks
/// up which jobs they belong to.
const QUIET: Duration = Duration::from_secs(1);

/// The server's API, as the load run calls it.
pub(super) struct Api<'a> {
    pub http: &'a reqwest::Client,
    pub base: &'a str,
}

impl Api<'_> {
    /// `method path` with a bearer token and an optional JSON body: the
    /// status and the JSON answer.
    async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        token: &str,
        body: Option<&Value>,
    ) -> Result<(u16, Value), LoadError> {
        let mut request = self
            .http
            .request(method.clone(), format!("{}{path}", self.base))
            .bearer_auth(token);
        if let Some(body) = body {
            request = request.json(body);
        }
        let what = || format!("{method} {path}");
        let response = request
            .send()
            .await
            .map_err(|e| LoadError::Http(what(), e))?;
        let status = response.status().as_u16();
        let answer = response
            .json()
            .await
            .map_err(|e| LoadError::Http(what(), e))?;
        Ok((status, answer))
    }

    /// An API token of the demo org, made with the admin token.
    pub(super) async fn org_token(&self, admin: &str) -> Result<String, LoadError> {
        let path = "/v1/admin/orgs/demo/tokens";
        let (status, answer) = self
            .call(
                reqwest::Method::POST,
                path,
                admin,
                Some(&json!({ "name": "load" })),
            )
            .await?;
        match answer["token"].as_str() {
            Some(token) if status == 200 || status == 201 => Ok(token.to_owned()),
            _ => Err(LoadError::Setup(format!(
                "POST {path} answered {status}: {answer}"
            ))),
        }
    }

    /// What the server says of `job`, in a line: its status, current step
    /// and error, and its last step run's; or why it said nothing.
    pub(super) async fn job_state(&self, job: &str, token: &str) -> String {
        let path = format!("/v1/jobs/{job}");
        match self.call(reqwest::Method::GET, &path, token, None).await {
            Ok((200, view)) => {
                let last = view["step_runs"].as_array().and_then(|r| r.last());
                format!(
                    "status {} at step {}, error {}; last step run: {}",
                    view["status"],
                    view["current_step"],
                    view["error"],
                    last.map_or("none".to_owned(), |r| format!(
                        "{} {} {} {}",
                        r["step_name"], r["status"], r["error_kind"], r["error"]
                    )),
                )
            }
            Ok((status, answer)) => format!("GET {path} answered {status}: {answer}"),
            Err(e) => e.to_string(),
        }
    }

    /// rep1 takes every approval request at once: no quiet hours, no
    /// hourly limit to speak of, a Slack channel.
    pub(super) async fn prepare_rep(&self, token: &str) -> Result<(), LoadError> {
        let path = "/v1/users/rep1/preferences";
        let (status, mut prefs) = self.call(reqwest::Method::GET, path, token, None).await?;
        if status != 200 {
            return Err(LoadError::Setup(format!(
                "GET {path} answered {status}: {prefs}"
            )));
        }
        prefs["quiet_start_min"] = Value::Null;
        prefs["quiet_end_min"] = Value::Null;
        prefs["max_notifications_per_hour"] = json!(1_000_000);
        prefs["slack_channel"] = json!(slack::CHANNEL);
        let (status, answer) = self
            .call(reqwest::Method::PUT, path, token, Some(&prefs))
            .await?;
        if status != 200 {
            return Err(LoadError::Setup(format!(
                "PUT {path} answered {status}: {answer}"
            )));
        }
        Ok(())
    }

    /// Wait until every job in `jobs` has asked for an approval in Slack,
    /// Slack has been silent for `settle` since `last_due` or its last
    /// message, or [`LIMIT`] has passed: each job's first approval request,
    /// when it arrived. The approvals are looked up (`GET
    /// /v1/approvals/{id}`) only once the requests have stopped coming for
    /// a while, so the lookups do not load the server while it still works.
    pub(super) async fn first_requests(
        &self,
        peer: &SlackPeer,
        jobs: &BTreeMap<String, Instant>,
        last_due: Instant,
        settle: Duration,
        token: &str,
    ) -> BTreeMap<String, Instant> {
        let limit = last_due + LIMIT;
        let mut job_of: BTreeMap<String, Option<String>> = BTreeMap::new();
        let mut first: BTreeMap<String, Instant> = BTreeMap::new();
        loop {
            peer.quiet_for(QUIET, limit).await;
            for (approval, arrived) in peer.arrivals() {
                if !job_of.contains_key(&approval) {
                    // An answer other than 200 is asked again next round.
                    let path = format!("/v1/approvals/{approval}");
                    if let Ok((200, gate)) =
                        self.call(reqwest::Method::GET, &path, token, None).await
                    {
                        let job = gate["job_id"].as_str().map(str::to_owned);
                        job_of.insert(approval.clone(), job);
                    }
                }
                if let Some(Some(job)) = job_of.get(&approval)
                    && jobs.contains_key(job)
                {
                    let at = first.entry(job.clone()).or_insert(arrived);
                    *at = (*at).min(arrived);
                }
            }
            let heard = peer.last_message().map_or(last_due, |at| at.max(last_due));
            if first.len() >= jobs.len() || heard.elapsed() >= settle || Instant::now() >= limit {
                return first;
            }
        }
    }
}
