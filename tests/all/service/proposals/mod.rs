//! Proposals through `baton serve` with real loopback peers, on both
//! backends: a `proposal_send` (the `scripted` guest proposes it) waits at
//! its gate; approved, it is emailed to the SMTP sink as the rep with the
//! document and a working link, or only published at its link (told to the
//! rep in Slack); opening the link records a view and tells the rep through
//! the `proposal_viewed` sequence (at most once per half hour); an expired,
//! wrong or malformed token is a 404 that records nothing; an edit at the
//! gate is what is stored and sent; another org can neither read nor
//! answer it; do-not-contact stops an emailed proposal.
//!
//! `email.rs`: emailed proposals and the send-as-rep rails; `link.rs`:
//! shared links, views, expiry and org scoping. Helpers here.

mod contract;
mod email;
mod engagement;
mod invoice;
mod link;
mod tasks;

use base64::Engine;
use baton_tests::server::{Server, Setup, env, start};
use baton_tests::{Answer, HttpPeer, SmtpSink, TestDb};
use serde_json::{Value, json};

pub(super) const MARTA: &str = "marta.ruiz@northwind.example";

/// A sequence whose one step proposes a `proposal_send` delivered by
/// `delivery` (`email` or `link`), behind a confirm gate.
pub(super) fn proposing(delivery: &str) -> String {
    proposing_on("proposal_generation", delivery)
}

/// [`proposing`], for `event`.
pub(super) fn proposing_on(event: &str, delivery: &str) -> String {
    format!(
        r#"
event = "{event}"
dedupe_key = "deal"

[[step]]
name = "present"
skill = "scripted"
approval = "confirm"

[[step.params.actions]]
kind = "proposal_send"
preview = "Proposal for Northwind"

[step.params.actions.payload]
delivery = "{delivery}"
to = ["{MARTA}"]
subject = "Your Renewals Hub proposal"
body = "Hi Marta,\n\nAs promised, our proposal."

[step.params.actions.payload.proposal]
title = "Renewals Hub for Northwind"
company = "Northwind"
contact_name = "Marta Ruiz"
currency = "USD"
amount = 2160000
valid_until = "2026-12-31"

[[step.params.actions.payload.proposal.sections]]
heading = "Summary"
body = "You told us:\n> Renewals slip every quarter\n\n- One view of every renewal"

[[step.params.actions.payload.proposal.pricing]]
item = "Growth seats"
quantity = 40
unit_amount = 54000
total = 2160000
"#
    )
}

pub(crate) const VIEWED: &str = include_str!("../../../../sequences/proposal_viewed.toml");

pub(crate) fn slack_peer() -> HttpPeer {
    HttpPeer::answering(
        vec![],
        Answer::json(json!({ "ok": true, "channel": "D123", "ts": "1700000000.000100" })),
    )
}

pub(crate) fn slack_env(slack: &HttpPeer) -> Vec<(&'static str, String)> {
    vec![
        ("BATON_SLACK_BOT_TOKEN", "xoxb-test".to_owned()),
        (
            "BATON_SLACK_API_URL",
            format!("http://127.0.0.1:{}/api", slack.port),
        ),
    ]
}

pub(crate) fn smtp_env(smtp: &SmtpSink) -> (&'static str, String) {
    ("BATON_SMTP_URL", format!("smtp://127.0.0.1:{}", smtp.port))
}

pub(super) async fn serve(db: &TestDb, sequences: &[&str], vars: &[(&str, String)]) -> Server {
    let pairs: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (*k, v.as_str())).collect();
    start(
        db.store.clone(),
        Setup {
            sequences,
            skills: &["notify-proposal-viewed"],
            env: env(&pairs),
            ..Setup::default()
        },
    )
    .await
}

pub(crate) async fn rep_slack_channel(s: &Server) {
    let prefs = baton::store::Preferences {
        slack_channel: Some("D123".into()),
        ..baton::store::Preferences::default()
    };
    s.app
        .store()
        .set_preferences(&s.org, &s.user, &prefs)
        .await
        .expect("prefs");
}

/// Submit the proposal event; the open gate.
pub(super) async fn at_the_gate(s: &Server, deal: &str) -> (String, Value) {
    let (status, r) = s
        .post(
            "/v1/events",
            json!({ "type": "proposal_generation", "user": "rep1", "payload": { "deal": deal } }),
        )
        .await;
    assert_eq!(status, 202, "{r}");
    let job = r["job_id"].as_str().expect("job").to_owned();
    let gate = s.open_gate(&job).await;
    (job, gate)
}

pub(crate) async fn decide(s: &Server, gate: &Value, decision: Value) -> (u16, Value) {
    s.post(
        &format!(
            "/v1/approvals/{}/decision",
            gate["id"].as_str().expect("id")
        ),
        decision,
    )
    .await
}

/// Submit the proposal event, approve its gate and wait for the delivery;
/// the job.
pub(super) async fn sent(s: &Server, deal: &str) -> String {
    let (job, gate) = at_the_gate(s, deal).await;
    let (status, r) = decide(s, &gate, json!({ "decision": "approved" })).await;
    assert_eq!(status, 200, "{r}");
    s.wait_job(&job, |j| j["effects"][0]["status"] == "delivered")
        .await;
    job
}

/// The org's proposals.
pub(crate) async fn proposals(s: &Server) -> Vec<Value> {
    let (status, list) = s.get("/v1/proposals").await;
    assert_eq!(status, 200, "{list}");
    list.as_array().cloned().expect("a list")
}

/// The text of a message as the SMTP sink got it, its body decoded.
pub(crate) fn mail_text(data: &str) -> String {
    let (head, body) = data.split_once("\r\n\r\n").unwrap_or((data, ""));
    let head_l = head.to_ascii_lowercase();
    if head_l.contains("content-transfer-encoding: base64") {
        let joined: String = body.split_whitespace().collect();
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(joined)
            .expect("base64 body");
        return String::from_utf8(bytes).expect("utf-8 body");
    }
    if head_l.contains("content-transfer-encoding: quoted-printable") {
        let soft = body.replace("=\r\n", "");
        let mut out = Vec::new();
        let b = soft.as_bytes();
        let mut i = 0;
        while i < b.len() {
            let hex = b
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok());
            if let (b'=', Some(v)) = (b[i], hex) {
                out.push(v);
                i += 3;
                continue;
            }
            out.push(b[i]);
            i += 1;
        }
        return String::from_utf8(out).expect("utf-8 body");
    }
    body.to_owned()
}

/// The `/p/…` link in `text`.
pub(crate) fn link_in(text: &str, base: &str) -> String {
    let at = text
        .find(&format!("{base}/p/"))
        .unwrap_or_else(|| panic!("no link in {text}"));
    text[at..]
        .split(|c: char| c.is_whitespace())
        .next()
        .expect("link")
        .to_owned()
}

/// The prospect's browser.
pub(crate) const FIREFOX: &str = "Mozilla/5.0 (X11; Linux x86_64) Firefox/132.0";

pub(crate) async fn open(s: &Server, link: &str) -> reqwest::Response {
    s.http
        .get(link)
        .header("user-agent", FIREFOX)
        .send()
        .await
        .expect("GET the link")
}

pub(crate) async fn jobs_of(s: &Server, event_type: &str) -> Vec<Value> {
    let (_, jobs) = s.get("/v1/jobs").await;
    jobs.as_array()
        .into_iter()
        .flatten()
        .filter(|j| j["event_type"] == event_type)
        .cloned()
        .collect()
}
