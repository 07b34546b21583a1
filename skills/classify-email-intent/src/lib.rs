//! `classify-email-intent`: labels an inbound email with one intent
//! (meeting request, proposal request, needs a response, FYI, out of office,
//! unsubscribe, not interested, positive interest), from its newest,
//! unquoted text and its auto-reply headers. A meeting request queues
//! `calendar_find_times` and a proposal request `proposal_generation`; no
//! other label queues anything, and the skill proposes no action (replies
//! and do-not-contact are later steps' business). Whatever the label, a
//! newest text that contests a bill is said so (`billing_dispute`, see
//! [`email_rules::disputes`]); the host acts on it.
//!
//! Deterministic rules (see [`classify`]) and, over them, a learned
//! component (see [`judge`]) read from the skill's data folder (`files`
//! capability; without it the rules decide alone, and `method` says so).
//! With `llm` granted and a model configured, the LLM may confirm or
//! replace an unsure label (see [`llm`]); without it the answer is exactly
//! the rules' and the learned component's. Tier 2 context, when the job has
//! it, decides whether a question comes from an active prospect; otherwise
//! the text does. Logs never carry the body or an address.

pub mod llm;
#[cfg(not(target_arch = "wasm32"))]
pub mod training;

// The rules and the judge live in `email-rules`, shared with
// `monitor-campaigns`; re-exported so `crate::classify` and friends read
// as before.
pub use email_rules::{asks, auto_reply, classify, cues, judge, newest, text};

use baton_sdk::context::{self, Deal};
use baton_sdk::events::email_received::{Payload, Sender};
use baton_sdk::evidence::Evidence;
use baton_sdk::host::Level;
use baton_sdk::prelude::*;
use classify::{Classification, Email, Intent, Relationship};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Longest newest text handed to a follow-up, in characters.
const MAX_REQUEST_CHARS: usize = 2000;
/// Longest body accepted, in bytes.
const MAX_BODY_BYTES: usize = 1_000_000;

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct Params {
    /// Ask the model to confirm the label when `llm` is granted and
    /// configured (see [`llm`]).
    #[serde(default = "yes")]
    use_llm: bool,
    /// The model's budget and say.
    #[serde(default)]
    llm: llm::Settings,
}

fn yes() -> bool {
    true
}

/// The output, from which the manifest's output schema is derived (later
/// steps read it as [`baton_sdk::events::email_received::Verdict`]).
#[derive(Serialize, JsonSchema)]
struct Classified {
    intent: Intent,
    /// From 0 to 1, two decimals.
    #[schemars(range(min = 0, max = 1))]
    confidence: f64,
    sender: Sender,
    /// Length of the sender's newest, unquoted text, in characters.
    newest_text_chars: usize,
    /// That text, cut to 2000 characters: what later steps answer (a reply
    /// quotes its questions); the body as received stays in the event.
    newest_text: String,
    /// The rules that decided it.
    reasons: Vec<String>,
    /// The email is an automatic reply.
    auto_reply: bool,
    /// Why the newest text contests a bill (an invoice, a charge), when it
    /// does, whatever the intent: the host stops invoice sends on the
    /// sender's deal and records the dispute.
    #[serde(skip_serializing_if = "Option::is_none")]
    billing_dispute: Option<String>,
    /// `rules+model`, or `rules` when the model could not be read.
    method: &'static str,
    /// Why the model was not used, when it was not.
    #[serde(skip_serializing_if = "Option::is_none")]
    model_unavailable: Option<String>,
    /// What the LLM review did.
    llm: llm::Review,
}

pub struct ClassifyEmailIntent;

impl Skill for ClassifyEmailIntent {
    fn manifest() -> Manifest {
        Manifest::new(
            "classify-email-intent",
            env!("CARGO_PKG_VERSION"),
            "Classifies an inbound email's intent and queues a meeting or proposal follow-up.",
        )
        .produces(flow::names::EMAIL_VERDICT)
        .capability("context:contact")
        .capability("files")
        .capability("llm")
        // Measured in wasm, rules alone: 5.7M median, 9M max on the dev
        // set; ~52M for a newest text at the judged cap (2000 chars), ~73M
        // for a 1 MB body (before issue 40's mobile-mail rules; the example
        // email now 6.1M, was 4.7M). Reading the model (data/model.json,
        // 1.2 MB, trained on three sets) adds ~43M to every call: 49M for a
        // short email, ~119M for a 3 kB body (before: 39M and 98M).
        // At least 2x the worst case, so no accepted input runs out.
        .default_fuel(400_000_000)
        .params::<Params>()
        .output::<Classified>()
    }

    fn run(input: Input) -> Result<Output, SkillError> {
        let params: Params = input.params()?;
        let p: Payload = input.payload()?;
        let from = p.from.filter(|f| !f.trim().is_empty()).ok_or_else(|| {
            SkillError::InvalidInput("email_received payload has no `from`".into())
        })?;
        let body = p.body.ok_or_else(|| {
            SkillError::InvalidInput("email_received payload has no `body`".into())
        })?;
        if body.len() > MAX_BODY_BYTES {
            return Err(SkillError::InvalidInput(format!(
                "`body` is {} bytes; at most {MAX_BODY_BYTES} are accepted",
                body.len()
            )));
        }
        let subject = p.subject.unwrap_or_default();
        let headers: BTreeMap<String, String> = p
            .headers
            .into_iter()
            .map(|(k, v)| {
                let v = match v {
                    Value::String(s) => s,
                    other => other.to_string(),
                };
                (k.to_ascii_lowercase(), v)
            })
            .collect();
        let (name, email) = parse_from(&from);
        let relationship = relationship()?;
        let message = Email {
            subject: &subject,
            body: &body,
            headers: &headers,
        };
        let c = classify::classify(&message, relationship);
        let model = judge::load(judge::MODEL_PATH);
        let c = match &model {
            Ok(m) => judge::decide(m, &message, c, relationship),
            Err(_) => c,
        };
        let (c, review) = llm::review(params.use_llm, &params.llm, &subject, relationship, c);
        host::log(
            Level::Info,
            &format!(
                "classified as {} ({:.2}); {}",
                c.intent.as_str(),
                c.confidence,
                c.reasons.join("; ")
            ),
        );
        let out = Output::of(&Classified {
            intent: c.intent,
            confidence: baton_sdk::two_decimals(c.confidence),
            sender: Sender {
                email: Some(email.clone()),
                name: name.clone(),
            },
            newest_text_chars: c.newest.chars().count(),
            newest_text: truncate(&c.newest, MAX_REQUEST_CHARS),
            reasons: c.reasons.clone(),
            auto_reply: c.auto_reply,
            // An automatic reply disputes nothing.
            billing_dispute: (!c.auto_reply)
                .then(|| email_rules::disputes::disputes_a_bill(&c.newest))
                .flatten(),
            method: if model.is_ok() {
                judge::RULES_AND_MODEL
            } else {
                judge::RULES
            },
            model_unavailable: model.as_ref().err().cloned(),
            llm: review,
        })?;
        Ok(follow_up(
            out,
            &c,
            Sent {
                email: &email,
                name,
                subject: &subject,
                body: &body,
                message_id: &p.message_id,
                thread_id: &p.thread_id,
            },
        ))
    }
}

/// The email a follow-up answers: who sent it, and where it sits.
struct Sent<'a> {
    email: &'a str,
    name: Option<String>,
    subject: &'a str,
    body: &'a str,
    message_id: &'a Option<String>,
    thread_id: &'a Option<String>,
}

/// Queue the follow-up the intent calls for, if any, with the words that
/// asked (placed in the email) as its evidence.
fn follow_up(out: Output, c: &Classification, sent: Sent<'_>) -> Output {
    let request = truncate(&c.newest, MAX_REQUEST_CHARS);
    let asked = baton_sdk::evidence::asking_sentence(&c.newest);
    let evidence = asked.map(|quote| {
        Evidence::written(
            truncate(quote, MAX_REQUEST_CHARS),
            sent.body,
            sent.name.clone(),
            Some(baton_sdk::two_decimals(c.confidence)),
        )
    });
    let mut payload = json!({
        "request": request,
        "contact_email": sent.email,
        "subject": sent.subject,
        "message_id": sent.message_id,
        "thread_id": sent.thread_id,
        "source": "email",
    });
    if let Some(e) = evidence {
        payload["evidence"] = json!(e);
    }
    match c.intent {
        Intent::MeetingRequest => out.follow_up(
            "calendar_find_times",
            payload,
            c.confidence,
            "email asks to meet",
        ),
        Intent::ProposalRequest => out.follow_up(
            "proposal_generation",
            payload,
            c.confidence,
            "email asks for a proposal or pricing",
        ),
        Intent::Fyi => {
            host::log(Level::Info, "fyi: no action");
            out
        }
        _ => out,
    }
}

/// Tier 2, when the job has it: an open deal, a won deal or a past meeting
/// make the sender an active prospect or customer. A tier that is absent or
/// not granted leaves the judgement to the text.
fn relationship() -> Result<Relationship, SkillError> {
    let contact = match context::contact() {
        Ok(c) => c,
        Err(HostError::Denied(_)) => {
            host::log(
                Level::Warn,
                "contact context not granted; judging the relationship from the text",
            );
            None
        }
        Err(e) => return Err(e.into()),
    };
    let Some(ctx) = contact else {
        return Ok(Relationship::Unknown);
    };
    let stage = |d: &Deal| d.stage.as_deref().unwrap_or_default().to_ascii_lowercase();
    let open_deal = ctx
        .deal
        .as_ref()
        .is_some_and(|d| !stage(d).starts_with("closed"));
    let won = ctx.deals.iter().any(|d| stage(d).contains("won"));
    let met = !ctx.meetings.is_empty();
    Ok(if open_deal || won || met {
        Relationship::Active
    } else if ctx.contact.is_some() {
        Relationship::NotActive
    } else {
        Relationship::Unknown
    })
}

/// `Name <addr>` or a bare address → (name, lower-cased address).
pub fn parse_from(from: &str) -> (Option<String>, String) {
    let from = from.trim();
    match (from.rfind('<'), from.rfind('>')) {
        (Some(l), Some(r)) if l < r => {
            let name = from[..l].trim().trim_matches('"').trim();
            let addr = from[l + 1..r].trim().to_ascii_lowercase();
            ((!name.is_empty()).then(|| name.to_owned()), addr)
        }
        _ => (None, from.trim_matches(['<', '>']).to_ascii_lowercase()),
    }
}

fn truncate(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((i, _)) => s[..i].trim_end().to_owned(),
        None => s.to_owned(),
    }
}

export_skill!(ClassifyEmailIntent);

#[cfg(test)]
mod tests;
