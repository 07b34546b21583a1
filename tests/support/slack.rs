//! A Slack Web API peer that keeps what it is sent: `chat.postMessage`
//! stores the message (its metadata too) and answers a fresh `ts`;
//! `conversations.history` answers a channel's messages newest first, with
//! their metadata, or `missing_scope` when told to refuse (a bot without
//! the history scopes). An answer to a post can be held back, so a test can
//! kill the sender after Slack took the post and before it heard back.

use axum::Json;
use axum::extract::{Query, State};
use axum::routing::{get, post};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Default)]
struct Kept {
    posts: Vec<Value>,
    refuse_history: bool,
    /// Hold the answer to the next post this long.
    hold_next: Option<Duration>,
}

/// The running peer.
#[derive(Clone)]
pub struct SlackPeer {
    /// `http://127.0.0.1:<port>/api`, for `BATON_SLACK_API_URL`.
    pub api: String,
    kept: Arc<Mutex<Kept>>,
}

impl SlackPeer {
    /// A peer that shows its history.
    pub fn start() -> SlackPeer {
        let kept = Arc::new(Mutex::new(Kept::default()));
        let app = axum::Router::new()
            .route("/api/chat.postMessage", post(post_message))
            .route("/api/conversations.history", get(history))
            .with_state(kept.clone());
        let base = crate::serve_on_thread(app);
        SlackPeer {
            api: format!("{base}/api"),
            kept,
        }
    }

    /// From now on, answer `conversations.history` with `missing_scope`.
    pub fn refuse_history(&self) {
        self.lock().refuse_history = true;
    }

    /// Hold the answer to the next post for `hold` (the post is kept at
    /// once).
    pub fn hold_next_answer(&self, hold: Duration) {
        self.lock().hold_next = Some(hold);
    }

    /// Every message posted, oldest first.
    pub fn posts(&self) -> Vec<Value> {
        self.lock().posts.clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Kept> {
        self.kept
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

async fn post_message(
    State(kept): State<Arc<Mutex<Kept>>>,
    Json(mut body): Json<Value>,
) -> Json<Value> {
    let (ts, channel, hold) = {
        let mut k = kept
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let ts = format!("1700000000.{:06}", k.posts.len() + 1);
        body["ts"] = json!(ts);
        let channel = body["channel"].clone();
        k.posts.push(body);
        (ts, channel, k.hold_next.take())
    };
    if let Some(hold) = hold {
        tokio::time::sleep(hold).await;
    }
    Json(json!({ "ok": true, "channel": channel, "ts": ts }))
}

async fn history(
    State(kept): State<Arc<Mutex<Kept>>>,
    Query(q): Query<HashMap<String, String>>,
) -> Json<Value> {
    let k = kept
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if k.refuse_history {
        return Json(
            json!({ "ok": false, "error": "missing_scope", "needed": "channels:history" }),
        );
    }
    let with_metadata = q.get("include_all_metadata").is_some_and(|v| v == "true");
    let channel = q.get("channel").cloned().unwrap_or_default();
    let messages: Vec<Value> = k
        .posts
        .iter()
        .rev()
        .filter(|p| p["channel"] == channel.as_str())
        .map(|p| {
            let mut m = json!({ "type": "message", "ts": p["ts"], "text": p["text"] });
            if with_metadata && !p["metadata"].is_null() {
                m["metadata"] = p["metadata"].clone();
            }
            m
        })
        .collect();
    Json(json!({ "ok": true, "messages": messages, "has_more": false }))
}
