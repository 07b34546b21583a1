//! `draft-email-reply`: the rep's reply to an inbound email that needs an
//! answer. It quotes back what the sender asked (from the classifier's
//! newest, unquoted text), promises an answer by the next working day in
//! the rep's zone, and threads the reply (`In-Reply-To`/`References`) under
//! the sender's message. With the `llm` capability granted and a model
//! configured, the model writes the body instead; any failure there falls
//! back to the template, so a reply is always drafted.
//!
//! It proposes one `email_send`; the policy holds it at a confirm gate, and
//! the host appends the rep's signature when it sends. A sender on the
//! do-not-contact list gets no draft.

use baton_sdk::content::Found;
use baton_sdk::context;
use baton_sdk::events::email_received::{Payload, Verdict};
use baton_sdk::evidence::Evidence;
use baton_sdk::host::{CompletionRequest, Level};
use baton_sdk::prelude::*;
use baton_sdk::text::{first_word, reply_subject};
use serde::{Deserialize, Serialize};

/// Questions quoted back at most.
const MAX_QUESTIONS: usize = 4;
/// Longest quoted question, in characters.
const MAX_QUESTION_CHARS: usize = 240;
/// Longest newest text shown to a model, in characters.
const MAX_PROMPT_TEXT: usize = 4000;

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct Params {
    /// The classifier step whose sender and newest text this reads.
    #[serde(default = "baton_sdk::events::email_received::classify_step")]
    classify_step: String,
    /// Ask the model for the body when `llm` is granted (default true).
    #[serde(default = "yes")]
    use_llm: bool,
    /// The finder step whose matches, when it ran and found any, make this
    /// an ask for content: the reply is the content chain's to draft.
    #[serde(default = "baton_sdk::content::find_step")]
    find_step: String,
}

fn yes() -> bool {
    true
}

/// The output, from which the manifest's output schema is derived: a
/// drafted reply's particulars, or why none was drafted.
#[derive(Serialize, JsonSchema, Default)]
struct Reply {
    drafted: bool,
    /// Why no reply was drafted.
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    to: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    subject: Option<String>,
    /// Questions quoted back.
    #[serde(skip_serializing_if = "Option::is_none")]
    questions: Option<usize>,
    /// The day the reply promises a full answer by.
    #[serde(skip_serializing_if = "Option::is_none")]
    answer_by: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    written_by: Option<WrittenBy>,
    /// The chain the answer went to instead (`content_retrieval`: the
    /// email asked for what the content library holds).
    #[serde(skip_serializing_if = "Option::is_none")]
    routed_to: Option<&'static str>,
}

/// Who wrote the reply's body.
#[derive(Clone, Copy, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
enum WrittenBy {
    /// The skill's own template.
    Template,
    /// The model (`llm` granted and configured).
    Llm,
}

pub struct DraftEmailReply;

impl Skill for DraftEmailReply {
    fn manifest() -> Manifest {
        Manifest::new(
            "draft-email-reply",
            env!("CARGO_PKG_VERSION"),
            "Drafts the rep's threaded reply to an inbound email that needs an answer.",
        )
        .uses(flow::names::EMAIL_VERDICT)
        .uses(flow::names::EMAIL_CONTACT)
        .uses(flow::names::CONTENT_MATCHES)
        .capability("context:org")
        .capability("context:contact")
        .capability("llm")
        .default_fuel(100_000_000)
        .params::<Params>()
        .output::<Reply>()
    }

    fn run(input: Input) -> Result<Output, SkillError> {
        let params: Params = input.params()?;
        let payload: Payload = input.payload()?;
        let verdict = Verdict::from_step(&input, &params.classify_step)?;
        let contact = context::contact()?;
        if contact.as_ref().is_some_and(|c| c.do_not_contact.is_some()) {
            return Output::of(&Reply {
                reason: Some("the sender is on the do-not-contact list"),
                ..Reply::default()
            });
        }
        let to = verdict
            .sender
            .email
            .clone()
            .or_else(|| payload.sender_address());
        let Some(to) = to else {
            return Err(SkillError::InvalidInput(
                "email_received payload has no sender address in `from`".into(),
            ));
        };
        // An ask for what the content library holds: the content chain
        // drafts the email that sends it (attached, in this thread).
        let found = Found::from_step(&input, &params.find_step)?;
        if !found.matched.is_empty() {
            return content_follow_up(&payload, &verdict, &to, &found);
        }
        // The classifier's newest, unquoted text; the whole body otherwise.
        let text = verdict
            .newest_text
            .as_deref()
            .or(payload.body.as_deref())
            .unwrap_or_default();
        let org = context::org()?;
        let contact_name = contact.as_ref().and_then(|c| c.contact_name());
        // Without a classifier step (a campaign reply), the name in `from`.
        let from_name = payload.from.as_deref().and_then(display_name);
        let first = first_word(
            contact_name
                .or(verdict.sender.name.as_deref())
                .or(from_name.as_deref()),
        );
        let rep = first_word(org.as_ref().and_then(|o| o.rep_name()));
        let zone = org.as_ref().and_then(|o| o.timezone()).unwrap_or("UTC");
        let answer_by = next_working_day(zone)?;
        let questions = questions(text);
        let subject = reply_subject(payload.subject.as_deref().unwrap_or(""));
        let greeting = format!("Hi {},", first.unwrap_or("there"));
        let sign_off = format!("Best,\n{}\n", rep.unwrap_or(""));
        let llm_body = if params.use_llm {
            model_body(text, &greeting, &answer_by)
        } else {
            None
        };
        let written_by = if llm_body.is_some() {
            WrittenBy::Llm
        } else {
            WrittenBy::Template
        };
        let middle = llm_body.unwrap_or_else(|| template(&questions, &answer_by));
        let body = format!("{greeting}\n\n{}\n\n{sign_off}", middle.trim());
        let mut send = json!({ "to": to, "subject": subject, "body": body });
        if let Some(id) = payload
            .message_id
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            // References: the thread so far, then the message replied to.
            let mut refs: Vec<&str> = payload
                .references
                .as_deref()
                .unwrap_or("")
                .split_whitespace()
                .collect();
            if !refs.contains(&id) {
                refs.push(id);
            }
            send["in_reply_to"] = json!(id);
            send["references"] = json!(refs.join(" "));
        }
        // What it answers, where in their email, and how sure the
        // classifier was that it wants an answer.
        let asked = questions
            .first()
            .map(String::as_str)
            .or_else(|| text.lines().map(str::trim).find(|l| !l.is_empty()));
        if let Some(quote) = asked {
            let body = payload.body.as_deref().unwrap_or(text);
            send["evidence"] = json!(Evidence::written(
                quote,
                body,
                verdict.sender.name.clone().or_else(|| from_name.clone()),
                verdict.confidence,
            ));
        }
        host::log(
            Level::Info,
            &format!(
                "reply drafted ({}) quoting {} question(s)",
                match written_by {
                    WrittenBy::Llm => "llm",
                    WrittenBy::Template => "template",
                },
                questions.len()
            ),
        );
        let name = contact_name.or(first).unwrap_or("the sender");
        Ok(Output::of(&Reply {
            drafted: true,
            reason: None,
            to: Some(to),
            subject: Some(subject.clone()),
            questions: Some(questions.len()),
            answer_by: Some(answer_by),
            written_by: Some(written_by),
            routed_to: None,
        })?
        .action(
            ActionKind::EmailSend,
            format!("Reply to {name}: {subject}"),
            send,
        ))
    }
}

/// The template's middle: what they asked, and when they will hear back.
fn template(questions: &[String], answer_by: &str) -> String {
    let mut out = String::from("Thanks for getting in touch.");
    match questions {
        [] => {}
        [one] => out.push_str(&format!(" You asked:\n\n> {one}\n")),
        many => {
            out.push_str(" You asked:\n");
            for q in many {
                out.push_str(&format!("\n- {q}"));
            }
            out.push('\n');
        }
    }
    out.push_str(&format!(
        "\nI'm looking into this and will come back to you with a full answer by {answer_by}."
    ));
    out
}

/// The model's body, or `None` when the model is not granted, not
/// configured, fails, or answers with nothing usable.
fn model_body(text: &str, greeting: &str, answer_by: &str) -> Option<String> {
    let text: String = text.chars().take(MAX_PROMPT_TEXT).collect();
    let req = CompletionRequest {
        system: Some(
            "You draft short, plain-text business email replies for a sales rep. \
             Write only the body between the greeting and the sign-off: no greeting, \
             no sign-off, no signature, no subject line. Never invent facts, prices, \
             dates or commitments; where an answer needs checking, say the rep will \
             confirm it."
                .into(),
        ),
        prompt: format!(
            "The email to answer (newest part only):\n---\n{text}\n---\n\
             The reply will open with \"{greeting}\". If anything needs looking into, \
             promise a full answer by {answer_by}. At most 120 words."
        ),
        max_tokens: 400,
        temperature: Some(0.2),
    };
    match host::complete(req) {
        Ok(c) => Some(c.text.trim().to_owned()).filter(|t| t.len() >= 20 && t.len() <= 4000),
        Err(_) => None,
    }
}

/// The sentences of `text` that ask something, trimmed and in order.
fn questions(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        for sentence in sentences(line) {
            let s = sentence.trim();
            let lower = s.to_lowercase();
            let asks = s.ends_with('?')
                || [
                    "could you",
                    "can you",
                    "please ",
                    "would you",
                    "let me know",
                ]
                .iter()
                .any(|p| lower.starts_with(p));
            if asks && s.chars().count() > 8 {
                out.push(clip(s));
            }
            if out.len() == MAX_QUESTIONS {
                return out;
            }
        }
    }
    out
}

/// Split a line after `?`, `!` and `.` followed by a space.
fn sentences(line: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = line.as_bytes();
    for (i, b) in bytes.iter().enumerate() {
        if matches!(b, b'?' | b'!' | b'.') && bytes.get(i + 1).is_none_or(|n| *n == b' ') {
            out.push(&line[start..=i]);
            start = i + 1;
        }
    }
    if start < line.len() {
        out.push(&line[start..]);
    }
    out
}

fn clip(s: &str) -> String {
    if s.chars().count() <= MAX_QUESTION_CHARS {
        return s.to_owned();
    }
    let cut: String = s.chars().take(MAX_QUESTION_CHARS - 1).collect();
    format!("{}…", cut.trim_end())
}

/// The next working day after today in `zone`, e.g. "Monday 23 November".
fn next_working_day(zone: &str) -> Result<String, SkillError> {
    let tz = jiff::tz::TimeZone::get(zone)
        .map_err(|e| SkillError::InvalidInput(format!("preferences.timezone `{zone}`: {e}")))?;
    let mut day = jiff::Timestamp::now().to_zoned(tz).date();
    loop {
        day = day
            .tomorrow()
            .map_err(|e| SkillError::Failed(format!("date arithmetic: {e}")))?;
        if !matches!(
            day.weekday(),
            jiff::civil::Weekday::Saturday | jiff::civil::Weekday::Sunday
        ) {
            return Ok(day.strftime("%A %-d %B").to_string());
        }
    }
}

/// The display name of `Name <addr>`, unquoted; `None` for a bare address.
fn display_name(from: &str) -> Option<String> {
    let (name, _) = from.rsplit_once('<')?;
    let name = name.trim().trim_matches('"').trim();
    (!name.is_empty()).then(|| name.to_owned())
}

export_skill!(DraftEmailReply);

/// No reply here: a `content_retrieval` follow-up for what the email asked
/// that the content library holds, with the asking words as its request
/// and evidence, answering in the email's thread.
fn content_follow_up(
    payload: &Payload,
    verdict: &Verdict,
    to: &str,
    found: &Found,
) -> Result<Output, SkillError> {
    let request = found.request.clone().unwrap_or_default();
    let mut follow = json!({
        "request": request,
        "contact_email": to,
        "subject": payload.subject,
        "message_id": payload.message_id,
        "thread_id": payload.thread_id,
    });
    let asked = request.lines().map(str::trim).find(|l| !l.is_empty());
    if let Some(quote) = asked {
        let body = payload.body.as_deref().unwrap_or(quote);
        follow["evidence"] = json!(Evidence::written(
            quote,
            body,
            verdict.sender.name.clone(),
            verdict.confidence,
        ));
    }
    let titles: Vec<&str> = found.matched.iter().map(|m| m.title.as_str()).collect();
    host::log(
        Level::Info,
        &format!(
            "asks for content the library holds ({}); the content chain drafts it",
            titles.len()
        ),
    );
    Ok(Output::of(&Reply {
        reason: Some("the email asks for content the library holds: the content chain drafts it"),
        to: Some(to.to_owned()),
        routed_to: Some("content_retrieval"),
        ..Reply::default()
    })?
    .follow_up(
        "content_retrieval",
        follow,
        verdict.confidence.unwrap_or(0.8) as f32,
        format!("email asks for {}", titles.join(" and ")),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_name_in_from_greets_when_nothing_else_knows_it() {
        assert_eq!(
            display_name("\"James Wright\" <james@techflow.example>").as_deref(),
            Some("James Wright")
        );
        assert_eq!(display_name("james@techflow.example"), None);
        assert_eq!(display_name(" <james@techflow.example>"), None);
    }
    use baton_sdk::testing::FakeHost;

    fn inbound() -> Input {
        let mut input = Input::for_event(
            "email_received",
            json!({
                "message_id": "<m2@harbour.example>",
                "references": "<m1@acme.example>",
                "from": "Ann Lee <ann.lee@harbour.example>",
                "subject": "RE: Re: security review",
                "body": "Does the EU region keep backups in the EU? Could you send the DPA too.\n\nOn Tue, Jo wrote:\n> old text?",
            }),
        );
        input = input.after("classify-email-intent", json!({
                "intent": "needs_response",
                "sender": { "email": "ann.lee@harbour.example", "name": "Ann Lee" },
                "newest_text": "Does the EU region keep backups in the EU? Could you send the DPA too.",
                "confidence": 0.88,
            }));
        input
    }

    fn host() -> FakeHost {
        FakeHost::for_skill::<DraftEmailReply>()
            .org(json!({ "user": { "name": "Jordan Avery" }, "preferences": { "timezone": "Europe/London" } }))
            .contact(json!({ "contact": { "name": "Ann Lee" }, "do_not_contact": null }))
    }

    #[test]
    fn drafts_a_threaded_reply_quoting_the_newest_questions() {
        let out = host().run::<DraftEmailReply>(inbound()).expect("runs");
        assert_eq!(out.actions.len(), 1);
        let p = &out.actions[0].payload;
        assert_eq!(out.actions[0].kind, ActionKind::EmailSend);
        assert_eq!(p["to"], "ann.lee@harbour.example");
        assert_eq!(p["subject"], "Re: security review");
        assert_eq!(p["in_reply_to"], "<m2@harbour.example>");
        assert_eq!(p["references"], "<m1@acme.example> <m2@harbour.example>");
        let body = p["body"].as_str().expect("body");
        assert!(body.starts_with("Hi Ann,\n\n"), "{body}");
        assert!(
            body.contains("- Does the EU region keep backups in the EU?"),
            "{body}"
        );
        assert!(body.contains("- Could you send the DPA too."), "{body}");
        assert!(
            !body.contains("old text"),
            "quoted history is not answered: {body}"
        );
        assert!(body.ends_with("Best,\nJordan\n"), "{body}");
        assert_eq!(out.data["written_by"], "template");
        assert_eq!(out.data["questions"], 2);
        // What it answers, where, and how sure the classifier was (issue
        // 40, item 6).
        assert_eq!(
            p["evidence"],
            json!({ "quote": "Does the EU region keep backups in the EU?", "speaker": "Ann Lee",
                "line": 1, "confidence": 0.88 })
        );
    }

    #[test]
    fn the_model_writes_the_body_when_granted_and_falls_back_when_it_fails() {
        let out = host()
            .llm(|_| Ok("Yes, EU backups stay in Frankfurt; I'll attach the DPA shortly.".into()))
            .run::<DraftEmailReply>(inbound())
            .expect("runs");
        let body = out.actions[0].payload["body"].as_str().expect("body");
        assert!(body.contains("Frankfurt"), "{body}");
        assert!(
            body.starts_with("Hi Ann,") && body.ends_with("Jordan\n"),
            "{body}"
        );
        assert_eq!(out.data["written_by"], "llm");
        let out = host()
            .llm(|_| Err(HostError::Unavailable("no model".into())))
            .run::<DraftEmailReply>(inbound())
            .expect("runs");
        assert_eq!(out.data["written_by"], "template");
        let out = host()
            .revoke("llm")
            .run::<DraftEmailReply>(inbound())
            .expect("runs");
        assert_eq!(out.data["written_by"], "template");
    }

    #[test]
    fn no_draft_for_a_do_not_contact_sender() {
        let out = host()
            .contact(json!({ "contact": { "name": "Ann Lee" }, "do_not_contact": { "email": "ann.lee@harbour.example" } }))
            .run::<DraftEmailReply>(inbound())
            .expect("runs");
        assert!(out.actions.is_empty());
        assert_eq!(out.data["drafted"], false);
    }

    #[test]
    fn bad_input_is_refused() {
        let err = host()
            .run::<DraftEmailReply>(Input::for_event("email_received", json!({ "body": "hi?" })))
            .expect_err("no sender");
        assert!(matches!(err, SkillError::InvalidInput(_)), "{err:?}");
        let err = host()
            .org(json!({ "preferences": { "timezone": "Mars/Olympus" } }))
            .run::<DraftEmailReply>(inbound())
            .expect_err("bad zone");
        assert!(err.to_string().contains("Mars/Olympus"), "{err}");
    }
}
