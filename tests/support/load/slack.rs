//! The load run's Slack: `chat.postMessage` on loopback (axum, on a thread
//! and runtime of its own, so the sender's tasks cannot delay its clock),
//! stamping when the first request for each approval arrives. An approval
//! request carries its gate in the Approve button's value,
//! `<org>:<gate>:approve`; every message is answered `ok`.

use crate::serve_on_thread;
use axum::extract::State;
use axum::routing::post;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// The channel the rep's approval requests go to.
pub(super) const CHANNEL: &str = "C-LOAD";

/// How often [`SlackPeer::quiet_for`] looks.
const EVERY: Duration = Duration::from_millis(100);

/// What the peer has seen.
#[derive(Default)]
struct Seen {
    /// Every `chat.postMessage`, approval request or not.
    messages: usize,
    /// When the last one arrived.
    last: Option<Instant>,
    /// Approval (gate) id → when its first request arrived.
    first: HashMap<String, Instant>,
}

/// A loopback Slack Web API.
pub(super) struct SlackPeer {
    /// `http://127.0.0.1:<port>`, for `BATON_SLACK_API_URL`.
    pub base: String,
    seen: Arc<Mutex<Seen>>,
}

impl SlackPeer {
    /// Start it on an ephemeral port.
    pub(super) fn start() -> SlackPeer {
        let seen = Arc::new(Mutex::new(Seen::default()));
        let app = axum::Router::new()
            .route("/chat.postMessage", post(post_message))
            .with_state(seen.clone());
        SlackPeer {
            base: serve_on_thread(app),
            seen,
        }
    }

    /// Each approval whose request has arrived, with when it first did.
    pub(super) fn arrivals(&self) -> Vec<(String, Instant)> {
        lock(&self.seen)
            .first
            .iter()
            .map(|(id, at)| (id.clone(), *at))
            .collect()
    }

    /// When the last message arrived, if any has.
    pub(super) fn last_message(&self) -> Option<Instant> {
        lock(&self.seen).last
    }

    /// Wait until no message has arrived for `quiet`, or `deadline`.
    pub(super) async fn quiet_for(&self, quiet: Duration, deadline: Instant) {
        let mut last = lock(&self.seen).messages;
        let mut since = Instant::now();
        while Instant::now() < deadline && since.elapsed() < quiet {
            tokio::time::sleep(EVERY).await;
            let now = lock(&self.seen).messages;
            if now != last {
                (last, since) = (now, Instant::now());
            }
        }
    }
}

/// The state, even if a handler panicked while holding it (the counts
/// stay meaningful).
fn lock(seen: &Mutex<Seen>) -> MutexGuard<'_, Seen> {
    seen.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

async fn post_message(
    State(seen): State<Arc<Mutex<Seen>>>,
    body: axum::body::Bytes,
) -> axum::Json<Value> {
    let arrived = Instant::now();
    let mut gates = Vec::new();
    if let Ok(message) = serde_json::from_slice::<Value>(&body) {
        approve_buttons(&message, &mut gates);
    }
    {
        let mut seen = lock(&seen);
        seen.messages += 1;
        seen.last = Some(arrived);
        for gate in gates {
            seen.first.entry(gate).or_insert(arrived);
        }
    }
    axum::Json(json!({ "ok": true, "channel": CHANNEL, "ts": "1.000" }))
}

/// The gate ids of the Approve buttons anywhere in `value`: each string
/// `"value"` of the form `<org>:<gate>:approve`.
fn approve_buttons(value: &Value, gates: &mut Vec<String>) {
    match value {
        Value::Object(fields) => {
            for (key, field) in fields {
                if key == "value"
                    && let Some(text) = field.as_str()
                    && let [_org, gate, "approve"] = text.split(':').collect::<Vec<_>>()[..]
                {
                    gates.push(gate.to_owned());
                }
                approve_buttons(field, gates);
            }
        }
        Value::Array(items) => {
            for item in items {
                approve_buttons(item, gates);
            }
        }
        _ => {}
    }
}
