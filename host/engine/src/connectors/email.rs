//! Email sent as the rep over SMTP (lettre): From the rep, their signature
//! appended, `In-Reply-To`/`References` for replies, and a Message-ID of our
//! own making so the audit trail can name the message.
//!
//! For trials and staging, `file:///DIR` writes each message to
//! `DIR/<id>.eml` (a mail drop) instead of relaying it.
//!
//! An `email_send` effect's payload: `to` (an address or a list), optional
//! `cc`, `subject`, `body` (plain text), optional `in_reply_to` and
//! `references` (Message-IDs), and optional `attachments` (`[{"file":
//! "security-pack.pdf", "title": …}]`, files of the operator's content
//! folder, see `content.rs`).

use super::ConnectorError;
use super::content::File;
use crate::address::recipients;
use crate::report::Cause;
use baton_types::catalog::Attachment;
use lettre::message::header::ContentType;
use lettre::message::{Mailbox, Message, MultiPart, SinglePart};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use serde_json::Value;

/// Where messages go.
#[derive(Clone)]
enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    /// A folder of `.eml` files.
    Drop(AsyncFileTransport<Tokio1Executor>),
}

/// An SMTP relay, or a mail drop folder.
#[derive(Clone)]
pub struct Mailer {
    transport: Transport,
    /// The domain Message-IDs are minted under.
    domain: String,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The URL may hold a password: never print it.
        f.debug_struct("Mailer")
            .field("domain", &self.domain)
            .finish()
    }
}

/// An email as the rep sends it.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    pub to: Vec<String>,
    pub cc: Vec<String>,
    pub subject: String,
    pub body: String,
    pub in_reply_to: Option<String>,
    pub references: Vec<String>,
    /// Files of the content folder to attach, by name.
    pub attachments: Vec<Attachment>,
    /// An HTML alternative to the text the host made (open and click
    /// tracking); never read from a skill's payload.
    pub html: Option<String>,
}

impl Draft {
    /// Read an `email_send` payload; the message names what is missing.
    pub fn from_payload(p: &Value) -> Result<Draft, ConnectorError> {
        let bad = |m: &str| ConnectorError::rejected(format!("email_send payload: {m}"));
        let to = recipients(&p["to"]).map_err(|m| bad(&m))?;
        if to.is_empty() {
            return Err(bad("`to` names no recipient"));
        }
        let cc = recipients(&p["cc"]).map_err(|m| bad(&m))?;
        let subject = p["subject"]
            .as_str()
            .ok_or_else(|| bad("`subject` is missing"))?;
        let body = p["body"].as_str().ok_or_else(|| bad("`body` is missing"))?;
        let references = match &p["references"] {
            Value::String(s) => s.split_whitespace().map(str::to_owned).collect(),
            Value::Array(a) => a
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect(),
            _ => Vec::new(),
        };
        let attachments = attachments(&p["attachments"]).map_err(|m| bad(&m))?;
        Ok(Draft {
            to,
            cc,
            subject: subject.to_owned(),
            body: body.to_owned(),
            in_reply_to: p["in_reply_to"].as_str().map(str::to_owned),
            references,
            attachments,
            html: None,
        })
    }
}

/// The text that goes out: `body` with the rep's `signature` (when they
/// set one) after the usual `-- ` line, unless the body already ends with
/// it. The inbox shows exactly this.
pub fn signed(body: &str, signature: Option<&str>) -> String {
    let mut text = body.trim_end().to_owned();
    // A draft that already ends with the signature (the follow-up drafts
    // sign with it, so the rep sees it at the gate) is not signed twice.
    if let Some(sig) = signature.map(str::trim).filter(|s| !s.is_empty())
        && !text.ends_with(sig)
    {
        text.push_str("\n\n-- \n");
        text.push_str(sig);
    }
    text.push('\n');
    text
}

/// The `attachments` of an `email_send` payload: absent, or a list of
/// `{file, title}` each naming a plain file; otherwise what is wrong.
pub fn attachments(v: &Value) -> Result<Vec<Attachment>, String> {
    if v.is_null() {
        return Ok(Vec::new());
    }
    let list: Vec<Attachment> = serde::Deserialize::deserialize(v)
        .map_err(|e| format!("`attachments` must be a list of {{\"file\", \"title\"}} ({e})"))?;
    match list.iter().find_map(Attachment::problem) {
        Some(problem) => Err(problem),
        None => Ok(list),
    }
}

/// The rep an email goes out as.
#[derive(Debug, Clone)]
pub struct Sender<'a> {
    pub name: &'a str,
    pub email: &'a str,
    pub signature: Option<&'a str>,
}

impl Mailer {
    /// A relay from a URL: `smtp://host:port` (plain, for a local relay),
    /// `smtp://user:pass@host:587?tls=required` (STARTTLS) or
    /// `smtps://host:465`; or `file:///DIR`, a mail drop (created if
    /// missing).
    pub fn new(url: &str) -> Result<Mailer, ConnectorError> {
        let parsed =
            reqwest::Url::parse(url).map_err(|e| ConnectorError::config_by("SMTP URL", e))?;
        if parsed.scheme() == "file" {
            let dir = parsed
                .to_file_path()
                .map_err(|()| ConnectorError::config("a mail drop URL is file:///absolute/dir"))?;
            std::fs::create_dir_all(&dir).map_err(|e| {
                ConnectorError::config_by(format!("mail drop {}", dir.display()), e)
            })?;
            return Ok(Mailer {
                transport: Transport::Drop(AsyncFileTransport::new(dir)),
                domain: "baton.local".into(),
            });
        }
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| ConnectorError::config_by("SMTP URL", e))?
            .timeout(Some(std::time::Duration::from_secs(20)))
            .build();
        let domain = parsed
            .host_str()
            .map(str::to_owned)
            .unwrap_or_else(|| "baton.local".into());
        Ok(Mailer {
            transport: Transport::Smtp(transport),
            domain,
        })
    }

    /// Build the message `draft` from `from`. `key` (the effect's
    /// idempotency key) makes the Message-ID, so a redelivery carries the
    /// same id and receivers can drop the repeat.
    pub fn compose(
        &self,
        from: &Sender<'_>,
        draft: &Draft,
        key: &str,
    ) -> Result<(Message, String), ConnectorError> {
        self.compose_with(from, draft, key, None)
    }

    /// [`Mailer::compose_with`], with `files` attached after the text (a
    /// `multipart/mixed` message when there are any).
    pub fn compose_attaching(
        &self,
        from: &Sender<'_>,
        draft: &Draft,
        key: &str,
        calendar: Option<&str>,
        files: &[File],
    ) -> Result<(Message, String), ConnectorError> {
        compose_message(&self.domain, from, draft, key, calendar, files)
    }

    /// [`Mailer::compose`], with an iMIP request (RFC 6047) as a
    /// `text/calendar; method=REQUEST` alternative to the text when
    /// `calendar` is given.
    pub(crate) fn compose_with(
        &self,
        from: &Sender<'_>,
        draft: &Draft,
        key: &str,
        calendar: Option<&str>,
    ) -> Result<(Message, String), ConnectorError> {
        compose_message(&self.domain, from, draft, key, calendar, &[])
    }

    /// Send a composed message.
    pub async fn send(&self, message: Message) -> Result<(), ConnectorError> {
        let relay =
            match &self.transport {
                Transport::Smtp(relay) => relay,
                Transport::Drop(folder) => {
                    return folder.send(message).await.map(drop).map_err(|e| {
                        ConnectorError::retriable_by("cannot write to the mail drop", e)
                    });
                }
            };
        match relay.send(message).await {
            Ok(_) => Ok(()),
            Err(e) if e.is_permanent() => Err(ConnectorError::rejected(format!(
                "the SMTP server refused the email: {}",
                e.status().map(|c| c.to_string()).unwrap_or_default()
            ))),
            Err(e) => Err(ConnectorError::retriable(format!(
                "SMTP delivery failed: {}",
                if e.is_transient() {
                    "temporary failure"
                } else {
                    "connection failed"
                }
            ))),
        }
    }
}

/// Build the message `draft` from `from`, its Message-ID minted under
/// `domain` from `key` (the effect's idempotency key, so a redelivery
/// carries the same id and receivers can drop the repeat), with `calendar`
/// as an iMIP alternative to the text and `files` attached after it.
pub fn compose_message(
    domain: &str,
    from: &Sender<'_>,
    draft: &Draft,
    key: &str,
    calendar: Option<&str>,
    files: &[File],
) -> Result<(Message, String), ConnectorError> {
    let mailbox = |a: &str| -> Result<Mailbox, ConnectorError> {
        a.parse().map_err(|e| {
            ConnectorError::rejected_by(format!("`{}` is not an email address", redact(a)), e)
        })
    };
    let from_box = Mailbox::new(
        Some(from.name.to_owned()),
        from.email
            .parse()
            .map_err(|e| ConnectorError::rejected_by("the rep's address is not valid", e))?,
    );
    let local: String = key
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '.'
            }
        })
        .collect();
    let message_id = format!("<{local}@{domain}>");
    let mut b = Message::builder()
        .from(from_box)
        .subject(draft.subject.clone())
        .message_id(Some(message_id.clone()));
    for to in &draft.to {
        b = b.to(mailbox(to)?);
    }
    for cc in &draft.cc {
        b = b.cc(mailbox(cc)?);
    }
    if let Some(parent) = &draft.in_reply_to {
        b = b.in_reply_to(parent.clone());
        let mut refs = draft.references.clone();
        if !refs.contains(parent) {
            refs.push(parent.clone());
        }
        b = b.references(refs.join(" "));
    } else if !draft.references.is_empty() {
        b = b.references(draft.references.join(" "));
    }
    let body = signed(&draft.body, from.signature);
    // The text, or the text beside its HTML and an iMIP request; then the
    // files.
    let alternative = if calendar.is_none() && draft.html.is_none() {
        None
    } else {
        let mut alt = MultiPart::alternative().singlepart(SinglePart::plain(body.clone()));
        if let Some(html) = &draft.html {
            alt = alt.singlepart(SinglePart::html(html.clone()));
        }
        if let Some(ics) = calendar {
            let kind = ContentType::parse("text/calendar; method=REQUEST; charset=utf-8")
                .map_err(|e| ConnectorError::rejected_by("cannot build the invitation", e))?;
            alt = alt.singlepart(SinglePart::builder().header(kind).body(ics.to_owned()));
        }
        Some(alt)
    };
    let built = if files.is_empty() {
        match alternative {
            None => b.header(ContentType::TEXT_PLAIN).body(body),
            Some(alt) => b.multipart(alt),
        }
    } else {
        let mut mixed = match alternative {
            None => MultiPart::mixed().singlepart(SinglePart::plain(body)),
            Some(alt) => MultiPart::mixed().multipart(alt),
        };
        for f in files {
            mixed = mixed.singlepart(attachment(f)?);
        }
        b.multipart(mixed)
    };
    let message = built.map_err(|e| ConnectorError::rejected_by("cannot build the email", e))?;
    Ok((message, message_id))
}

/// A file as a MIME attachment part, base64 so its bytes arrive exactly.
fn attachment(f: &File) -> Result<SinglePart, ConnectorError> {
    let refused = |e: Cause| {
        ConnectorError::rejected_by(format!("attachment `{}` cannot be attached", f.name), e)
    };
    let kind = ContentType::parse(f.content_type).map_err(|e| refused(e.into()))?;
    let body = lettre::message::Body::new_with_encoding(
        f.bytes.clone(),
        lettre::message::header::ContentTransferEncoding::Base64,
    )
    .map_err(|_| refused("not encodable".into()))?;
    Ok(lettre::message::Attachment::new(f.name.clone()).body(body, kind))
}

/// An address with its local part hidden, for error messages that may be
/// logged.
pub(crate) fn redact(address: &str) -> String {
    match address.rsplit_once('@') {
        Some((_, domain)) => format!("…@{domain}"),
        None => "…".into(),
    }
}

#[cfg(test)]
mod tests;
