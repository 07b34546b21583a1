//! Gmail's REST API (v1), as documented: `users.getProfile`,
//! `users.history.list` (paginated; 404 for a `startHistoryId` older than
//! the history kept), `users.messages.list` (newest first, paginated; `q`
//! as far as `rfc822msgid:`), `users.messages.get?format=raw` (base64url),
//! `users.messages.send` (base64url `raw`, optional `threadId`; the sent
//! message is kept with the `SENT` label) and `users.watch`. Every route
//! is for the bearer's own mailbox (`users/me`).

use super::{Google, Shared, google_error};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine;
use serde_json::{Value, json};
use std::collections::HashMap;

/// One mailbox: its messages and history.
#[derive(Debug)]
pub struct Mailbox {
    pub messages: Vec<GmailMessage>,
    /// (history id, message id) for each message added, in order.
    pub history: Vec<(u64, String)>,
    /// The mailbox's current history id.
    pub history_id: u64,
    /// History before this id is gone: an older `startHistoryId` is a 404.
    pub oldest_history: u64,
    /// Records per `history.list` page and messages per `messages.list`
    /// page (at most `maxResults`).
    pub page_size: usize,
    /// Topics `users.watch` was called with.
    pub watches: Vec<String>,
    /// What the next `messages.send` calls meet, first first.
    pub send_faults: std::collections::VecDeque<SendFault>,
    /// When the mailbox was read (`profile` or `history.list`), in order.
    pub reads: Vec<std::time::Instant>,
}

/// A fault a `messages.send` meets.
#[derive(Debug, Clone, Copy)]
pub enum SendFault {
    /// 429 `rateLimitExceeded` with `Retry-After` (s); nothing is sent.
    RateLimited(u64),
    /// The message is sent, but the answer is lost (a 500 `backendError`).
    LostAnswer,
}

impl Default for Mailbox {
    fn default() -> Self {
        Mailbox {
            messages: Vec::new(),
            history: Vec::new(),
            history_id: 1000,
            oldest_history: 0,
            page_size: 100,
            watches: Vec::new(),
            send_faults: Default::default(),
            reads: Vec::new(),
        }
    }
}

/// A message in a mailbox.
#[derive(Debug, Clone)]
pub struct GmailMessage {
    pub id: String,
    pub thread_id: String,
    pub label_ids: Vec<String>,
    /// Ms since the epoch.
    pub internal_date: i64,
    /// The RFC 822 bytes.
    pub raw: Vec<u8>,
}

impl GmailMessage {
    /// The value of the message's first `name` header (unfolded).
    pub fn header(&self, name: &str) -> Option<String> {
        let text = String::from_utf8_lossy(&self.raw);
        let head = text.split("\r\n\r\n").next().unwrap_or("");
        let unfolded = head.replace("\r\n ", " ").replace("\r\n\t", " ");
        unfolded.split("\r\n").find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case(name).then(|| v.trim().to_owned())
        })
    }
}

impl Google {
    /// A mailbox, made on first use.
    pub fn mailbox(&mut self, address: &str) -> &mut Mailbox {
        self.mail.entry(address.to_owned()).or_default()
    }

    /// Mail arrives in `address`'s mailbox with `labels` (e.g. `INBOX`,
    /// `UNREAD`; `SENT` for the rep's own): a new message and a history
    /// record. Returns the Gmail message id.
    pub fn deliver(&mut self, address: &str, raw: &[u8], labels: &[&str]) -> String {
        self.serial += 1;
        let id = format!("18c{:013x}", self.serial);
        let mailbox = self.mailbox(address);
        mailbox.history_id += 7;
        let message = GmailMessage {
            id: id.clone(),
            thread_id: format!("thr-{id}"),
            label_ids: labels.iter().map(|l| (*l).to_owned()).collect(),
            internal_date: 1_795_000_000_000 + mailbox.history_id as i64,
            raw: raw.to_vec(),
        };
        mailbox.messages.push(message);
        let h = mailbox.history_id;
        mailbox.history.push((h, id.clone()));
        id
    }

    /// Gmail drops the mailbox's history up to now: a sync from an older
    /// history id gets a 404.
    pub fn forget_history(&mut self, address: &str) {
        let mailbox = self.mailbox(address);
        mailbox.oldest_history = mailbox.history_id + 1;
    }
}

pub(super) fn routes() -> Router<Shared> {
    Router::new()
        .route("/gmail/v1/users/me/profile", get(profile))
        .route("/gmail/v1/users/me/history", get(history))
        .route("/gmail/v1/users/me/messages", get(list))
        .route("/gmail/v1/users/me/messages/{id}", get(message))
        .route("/gmail/v1/users/me/messages/send", post(send))
        .route("/gmail/v1/users/me/watch", post(watch))
}

fn not_found() -> Response {
    google_error(
        StatusCode::NOT_FOUND,
        "Requested entity was not found.",
        "NOT_FOUND",
    )
}

fn page_of(q: &HashMap<String, String>) -> usize {
    q.get("pageToken")
        .and_then(|p| p.strip_prefix("p"))
        .and_then(|p| p.parse().ok())
        .unwrap_or(0)
}

async fn profile(State(state): State<Shared>, headers: HeaderMap) -> Response {
    let mut g = state.lock().unwrap_or_else(|e| e.into_inner());
    let address = match g.bearer(&headers) {
        Ok(a) => a,
        Err(e) => return e,
    };
    let m = g.mailbox(&address);
    m.reads.push(std::time::Instant::now());
    Json(
        json!({ "emailAddress": address, "messagesTotal": m.messages.len(),
        "threadsTotal": m.messages.len(), "historyId": m.history_id.to_string() }),
    )
    .into_response()
}

async fn history(
    State(state): State<Shared>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let mut g = state.lock().unwrap_or_else(|e| e.into_inner());
    let address = match g.bearer(&headers) {
        Ok(a) => a,
        Err(e) => return e,
    };
    let Some(start) = q.get("startHistoryId").and_then(|s| s.parse::<u64>().ok()) else {
        return google_error(
            StatusCode::BAD_REQUEST,
            "Invalid startHistoryId",
            "INVALID_ARGUMENT",
        );
    };
    let label = q.get("labelId").cloned();
    let m = g.mailbox(&address);
    m.reads.push(std::time::Instant::now());
    if start < m.oldest_history {
        return not_found();
    }
    let records: Vec<Value> = m
        .history
        .iter()
        .filter(|(h, _)| *h > start)
        .filter_map(|(h, id)| {
            let msg = m.messages.iter().find(|x| &x.id == id)?;
            if label.as_ref().is_some_and(|l| !msg.label_ids.contains(l)) {
                return None;
            }
            let brief = json!({ "id": msg.id, "threadId": msg.thread_id, "labelIds": msg.label_ids });
            Some(json!({ "id": h.to_string(), "messages": [{ "id": msg.id, "threadId": msg.thread_id }],
                "messagesAdded": [{ "message": brief }] }))
        })
        .collect();
    let page = page_of(&q);
    let size = m.page_size.max(1);
    let chunk: Vec<Value> = records
        .iter()
        .skip(page * size)
        .take(size)
        .cloned()
        .collect();
    let mut body = json!({ "historyId": m.history_id.to_string() });
    if !chunk.is_empty() {
        body["history"] = json!(chunk);
    }
    if records.len() > (page + 1) * size {
        body["nextPageToken"] = json!(format!("p{}", page + 1));
    }
    Json(body).into_response()
}

async fn list(
    State(state): State<Shared>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let mut g = state.lock().unwrap_or_else(|e| e.into_inner());
    let address = match g.bearer(&headers) {
        Ok(a) => a,
        Err(e) => return e,
    };
    let label = q.get("labelIds").cloned();
    // The search this fake knows: `rfc822msgid:` (with or without `<>`).
    let msgid = match q.get("q").map(String::as_str) {
        None | Some("") => None,
        Some(query) => match query.strip_prefix("rfc822msgid:") {
            Some(id) => Some(format!("<{}>", id.trim_matches(['<', '>']))),
            None => {
                return google_error(
                    StatusCode::BAD_REQUEST,
                    "this fake searches rfc822msgid: only",
                    "INVALID_ARGUMENT",
                );
            }
        },
    };
    let max: usize = q
        .get("maxResults")
        .and_then(|m| m.parse().ok())
        .unwrap_or(100);
    let m = g.mailbox(&address);
    let newest_first: Vec<&GmailMessage> = m
        .messages
        .iter()
        .rev()
        .filter(|x| label.as_ref().is_none_or(|l| x.label_ids.contains(l)))
        .filter(|x| {
            msgid
                .as_ref()
                .is_none_or(|id| x.header("Message-ID").as_ref() == Some(id))
        })
        .collect();
    let size = m.page_size.min(max).max(1);
    let page = page_of(&q);
    let chunk: Vec<Value> = newest_first
        .iter()
        .skip(page * size)
        .take(size)
        .map(|x| json!({ "id": x.id, "threadId": x.thread_id }))
        .collect();
    let mut body = json!({ "resultSizeEstimate": newest_first.len() });
    if !chunk.is_empty() {
        body["messages"] = json!(chunk);
    }
    if newest_first.len() > (page + 1) * size {
        body["nextPageToken"] = json!(format!("p{}", page + 1));
    }
    Json(body).into_response()
}

async fn message(
    State(state): State<Shared>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let mut g = state.lock().unwrap_or_else(|e| e.into_inner());
    let address = match g.bearer(&headers) {
        Ok(a) => a,
        Err(e) => return e,
    };
    if q.get("format").map(String::as_str) != Some("raw") {
        return google_error(
            StatusCode::BAD_REQUEST,
            "this fake serves format=raw only",
            "INVALID_ARGUMENT",
        );
    }
    let m = g.mailbox(&address);
    let Some(msg) = m.messages.iter().find(|x| x.id == id) else {
        return not_found();
    };
    Json(
        json!({ "id": msg.id, "threadId": msg.thread_id, "labelIds": msg.label_ids,
        "snippet": "", "historyId": m.history_id.to_string(),
        "internalDate": msg.internal_date.to_string(), "sizeEstimate": msg.raw.len(),
        "raw": base64::engine::general_purpose::URL_SAFE.encode(&msg.raw) }),
    )
    .into_response()
}

/// `users.messages.send`: the message is kept with `SENT` in the thread
/// named (which must be the mailbox's), or a thread of its own.
async fn send(
    State(state): State<Shared>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    let mut g = state.lock().unwrap_or_else(|e| e.into_inner());
    let address = match g.bearer(&headers) {
        Ok(a) => a,
        Err(e) => return e,
    };
    let fault = g.mailbox(&address).send_faults.pop_front();
    if let Some(SendFault::RateLimited(secs)) = fault {
        let mut r = google_error(
            StatusCode::TOO_MANY_REQUESTS,
            "User-rate limit exceeded.",
            "rateLimitExceeded",
        );
        r.headers_mut()
            .insert("retry-after", secs.to_string().parse().expect("a header"));
        return r;
    }
    let Some(raw) = body["raw"].as_str().and_then(|r| {
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(r.trim_end_matches('='))
            .ok()
    }) else {
        return google_error(
            StatusCode::BAD_REQUEST,
            "Invalid value for ByteString",
            "INVALID_ARGUMENT",
        );
    };
    let thread = body["threadId"].as_str().map(str::to_owned);
    if let Some(t) = &thread
        && !g
            .mailbox(&address)
            .messages
            .iter()
            .any(|m| &m.thread_id == t)
    {
        return not_found();
    }
    let id = g.deliver(&address, &raw, &["SENT"]);
    let m = g.mailbox(&address);
    let sent = m
        .messages
        .iter_mut()
        .find(|x| x.id == id)
        .expect("just sent");
    if let Some(t) = thread {
        sent.thread_id = t;
    }
    let answer = json!({ "id": sent.id, "threadId": sent.thread_id, "labelIds": sent.label_ids });
    if let Some(SendFault::LostAnswer) = fault {
        return google_error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Backend Error",
            "backendError",
        );
    }
    Json(answer).into_response()
}

async fn watch(
    State(state): State<Shared>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    let mut g = state.lock().unwrap_or_else(|e| e.into_inner());
    let address = match g.bearer(&headers) {
        Ok(a) => a,
        Err(e) => return e,
    };
    let Some(topic) = body["topicName"].as_str() else {
        return google_error(
            StatusCode::BAD_REQUEST,
            "Invalid topicName",
            "INVALID_ARGUMENT",
        );
    };
    let m = g.mailbox(&address);
    m.watches.push(topic.to_owned());
    // Seven days from now, as Google does.
    let expiration = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
        + 7 * 86_400_000;
    Json(json!({ "historyId": m.history_id.to_string(), "expiration": expiration.to_string() }))
        .into_response()
}
