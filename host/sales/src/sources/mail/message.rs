//! One raw RFC 822 message → the `email_received` payload the shipped
//! sequence reads. The same parser serves Gmail (`format=raw`) and IMAP
//! (`RFC822`); MIME, charsets and encoded words are `mail-parser`'s.

use baton_store::address::address_key;
use mail_parser::{Address, HeaderValue, MessageParser};
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

/// Headers passed to skills as they are (what marks an automatic reply or
/// a list), by their usual spelling.
const KEPT_HEADERS: &[&str] = &[
    "Auto-Submitted",
    "Precedence",
    "X-Autoreply",
    "X-Autorespond",
    "X-Auto-Response-Suppress",
    "List-Id",
    "List-Unsubscribe",
];

/// Why a message cannot become an event.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum MessageError {
    #[error("the message is not RFC 822 (no headers could be read)")]
    Unreadable,
    #[error("the message has no sender in From")]
    NoSender,
}

/// Where a message was read and what the provider says of it.
#[derive(Debug, Clone, Default)]
pub struct Envelope<'a> {
    /// `gmail` or `imap`.
    pub provider: &'a str,
    /// The provider's thread id (Gmail's `threadId`); otherwise the thread
    /// is named by its first message's Message-ID.
    pub thread_id: Option<&'a str>,
    /// When the provider received it (ms); otherwise the Date header.
    pub received_at_ms: Option<i64>,
}

/// An inbound message, read.
#[derive(Debug, Clone)]
pub struct Inbound {
    /// The RFC Message-ID, angle brackets included (or a stable stand-in
    /// when the message has none): the event's idempotency key.
    pub message_id: String,
    /// The sender's address, lowercased (to skip the rep's own mail).
    pub sender: String,
    /// The `email_received` payload.
    pub payload: Value,
}

/// Read `raw` into an `email_received` payload: `from`, `to`, `cc`,
/// `subject`, `body` (plain text, quoted history included, as the SDK
/// documents), `newest` and `quoted` (the body split at its quoted
/// history), `message_id`, `thread_id`, `in_reply_to`, `references`,
/// `received_at`, `provider`, the automatic-reply `headers` and the UTC
/// offset of the sender's Date (`sender_utc_offset_minutes`).
pub fn parse(raw: &[u8], envelope: &Envelope<'_>) -> Result<Inbound, MessageError> {
    let message = MessageParser::default()
        .parse(raw)
        .filter(|m| !m.headers().is_empty())
        .ok_or(MessageError::Unreadable)?;
    let from = message
        .from()
        .and_then(|a| a.first())
        .filter(|a| a.address().is_some_and(|s| !s.trim().is_empty()))
        .ok_or(MessageError::NoSender)?;
    let sender = from.address().and_then(address_key).unwrap_or_default();
    let subject = message.subject().unwrap_or_default().to_owned();
    let body = message
        .body_text(0)
        .map(|b| b.replace("\r\n", "\n"))
        .unwrap_or_default();
    let (newest, quoted) = split_quoted(&body);
    let message_id = match message.message_id() {
        Some(id) if !id.trim().is_empty() => format!("<{}>", id.trim()),
        _ => stand_in_id(&message),
    };
    let ids = |v: &HeaderValue<'_>| -> Vec<String> {
        v.as_text_list()
            .unwrap_or_default()
            .iter()
            .map(|s| format!("<{}>", s.trim()))
            .collect()
    };
    let in_reply_to = ids(message.in_reply_to());
    let references = ids(message.references());
    let thread_id = envelope
        .thread_id
        .map(str::to_owned)
        .or_else(|| references.first().cloned())
        .or_else(|| in_reply_to.first().cloned())
        .unwrap_or_else(|| message_id.clone());
    let received_at = envelope
        .received_at_ms
        .and_then(|ms| jiff::Timestamp::from_millisecond(ms).ok())
        .or_else(|| {
            message
                .date()
                .and_then(|d| jiff::Timestamp::from_second(d.to_timestamp()).ok())
        })
        .unwrap_or_else(jiff::Timestamp::now);
    let mut headers = Map::new();
    for name in KEPT_HEADERS {
        if let Some(v) = message.header_raw(*name) {
            headers.insert((*name).to_owned(), json!(v.trim()));
        }
    }
    let mut payload = json!({
        "message_id": message_id,
        "thread_id": thread_id,
        "from": display(from.name(), from.address().unwrap_or_default()),
        "to": addresses(message.to()),
        "cc": addresses(message.cc()),
        "subject": subject,
        "body": body,
        "newest": newest,
        "quoted": quoted,
        "received_at": received_at.to_string(),
        "provider": envelope.provider,
        "headers": headers,
    });
    if let Some(id) = in_reply_to.last() {
        payload["in_reply_to"] = json!(id);
    }
    // Where the sender's clock stands (their Date's offset): the zone a
    // reply sent later can suggest their morning in.
    if let Some(d) = message.date() {
        let minutes = i64::from(d.tz_hour) * 60 + i64::from(d.tz_minute);
        payload["sender_utc_offset_minutes"] =
            json!(if d.tz_before_gmt { -minutes } else { minutes });
    }
    if !references.is_empty() {
        payload["references"] = json!(references.join(" "));
    }
    Ok(Inbound {
        message_id,
        sender,
        payload,
    })
}

/// `Name <addr>`, or the bare address.
fn display(name: Option<&str>, address: &str) -> String {
    match name.map(str::trim).filter(|n| !n.is_empty()) {
        Some(n) => format!("{n} <{}>", address.trim()),
        None => address.trim().to_owned(),
    }
}

fn addresses(list: Option<&Address<'_>>) -> Vec<String> {
    list.map(|a| {
        a.iter()
            .filter_map(|a| a.address().map(|addr| display(a.name(), addr)))
            .collect()
    })
    .unwrap_or_default()
}

/// A Message-ID for a message that has none: the same message read from
/// Gmail and IMAP gets the same one (From, Date and Subject, hashed).
fn stand_in_id(message: &mail_parser::Message<'_>) -> String {
    let mut h = Sha256::new();
    for name in ["From", "Date", "Subject"] {
        h.update(
            message
                .header_raw(name)
                .unwrap_or_default()
                .trim()
                .as_bytes(),
        );
        h.update([0]);
    }
    format!(
        "<{}@no-message-id.baton.invalid>",
        &hex::encode(h.finalize())[..32]
    )
}

/// Split a plain-text body at its quoted history: the first `>` line, an
/// attribution line (`On … wrote:`) just before one, or an Outlook-style
/// `-----Original Message-----` / `From:` block. Returns (newest, quoted).
pub(crate) fn split_quoted(body: &str) -> (String, String) {
    let lines: Vec<&str> = body.lines().collect();
    let is_quote = |l: &str| l.trim_start().starts_with('>');
    let mut cut = None;
    for (i, line) in lines.iter().enumerate() {
        let t = line.trim();
        if is_quote(line) {
            cut = Some(i);
            break;
        }
        let next_quotes = lines[i + 1..]
            .iter()
            .find(|l| !l.trim().is_empty())
            .is_some_and(|l| is_quote(l));
        if t.ends_with("wrote:") && next_quotes {
            cut = Some(i);
            break;
        }
        if t.starts_with("-----Original Message-----")
            || (t.starts_with("From: ") && i > 0 && lines[i - 1].trim().starts_with("___"))
        {
            cut = Some(if t.starts_with("From: ") { i - 1 } else { i });
            break;
        }
    }
    match cut {
        Some(i) => (
            lines[..i].join("\n").trim_end().to_owned(),
            lines[i..].join("\n").trim_end().to_owned(),
        ),
        None => (body.trim_end().to_owned(), String::new()),
    }
}

#[cfg(test)]
mod tests;
