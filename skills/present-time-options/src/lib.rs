//! `present-time-options`: the rep picks one of the free slots
//! `find-available-slots` found, through the skill's own `choose` gate
//! (key `slot`): one option a slot, in the rep's time with the prospect's
//! beside it, and a last option to email all the times instead.
//!
//! Run once, it asks; run again with the decision, it proposes one effect:
//! a `calendar_invite` for the slot chosen, or an `email_send` listing the
//! times in the prospect's zone (the host appends the signature). A skip or
//! a cancel proposes nothing; no slots means no gate. It reads the org tier
//! for the rep's address and zone.

pub mod text;

use baton_sdk::context;
use baton_sdk::host::{Decision, Gate, Pattern};
use baton_sdk::prelude::*;
use baton_sdk::scheduling::ReplyTo;
use baton_sdk::text::nonblank;
use serde::{Deserialize, Serialize};
use text::{Slot, Times};

/// The gate's key.
const GATE: &str = "slot";

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct Params {
    /// The step whose free slots are offered.
    #[serde(default = "default_slots_step")]
    slots_step: String,
    /// The step that read the request (attendees, subject, thread).
    #[serde(default = "default_request_step")]
    request_step: String,
}

fn default_slots_step() -> String {
    "find-available-slots".to_owned()
}

fn default_request_step() -> String {
    "parse-scheduling-request".to_owned()
}

/// What `find-available-slots` found.
#[derive(Deserialize, Default)]
struct Found {
    #[serde(default)]
    duration_min: Option<u32>,
    #[serde(default)]
    rep_timezone: Option<String>,
    #[serde(default)]
    prospect_timezone: Option<String>,
    #[serde(default)]
    calendar: Option<String>,
    #[serde(default)]
    slots: Vec<Value>,
}

/// What `parse-scheduling-request` read.
#[derive(Deserialize, Default)]
struct Request {
    #[serde(default)]
    attendees: Vec<String>,
    #[serde(default)]
    subject: Option<String>,
    #[serde(default)]
    request_text: Option<String>,
    #[serde(default)]
    reply_to: Option<ReplyTo>,
}

fn step<T: Default + serde::de::DeserializeOwned>(
    input: &Input,
    name: &str,
) -> Result<T, SkillError> {
    match input.previous(name) {
        Some(v) => T::deserialize(v).map_err(|e| SkillError::InvalidInput(format!("{name}: {e}"))),
        None => Ok(T::default()),
    }
}

/// The email offering every slot to everyone in `to`: a reply in the
/// request's thread when it came by email.
fn email(req: &Request, subject: Option<&str>, to: &[&str], times: &Times) -> Value {
    let reply_subject = req
        .reply_to
        .as_ref()
        .and_then(|r| nonblank(r.subject.as_deref()))
        .or(subject);
    let email_subject = match reply_subject {
        Some(s) => format!("Re: {s}"),
        None => "Times for a call".to_owned(),
    };
    let mut send = json!({
        "to": to.join(", "),
        "subject": email_subject,
        "body": times.email_body(
            text::names(to)
                .or_else(|| (to.len() > 1).then(|| "all".to_owned()))
                .as_deref(),
        ),
    });
    if let Some(id) = req
        .reply_to
        .as_ref()
        .map(|r| r.message_id.trim())
        .filter(|id| !id.is_empty())
    {
        send["in_reply_to"] = json!(id);
        send["references"] = json!(id);
    }
    send
}

/// The output, from which the manifest's output schema is derived: what
/// the rep picked and how it goes out, or why nothing was picked yet.
#[derive(Serialize, JsonSchema)]
struct Picked<'a> {
    /// The option chosen, counting from 0; one past the slots is the email.
    chosen: Option<usize>,
    /// The slot booked, as `find-available-slots` offered it.
    #[schemars(with = "Option<Slot>")]
    slot: Option<&'a Value>,
    sent_as: Option<SentAs>,
    /// Slots offered, when nothing was picked.
    #[serde(skip_serializing_if = "Option::is_none")]
    offered: Option<usize>,
    /// Why nothing was picked.
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<&'a str>,
}

/// How the choice goes out.
#[derive(Clone, Copy, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
enum SentAs {
    /// A `calendar_invite` for the slot.
    Invite,
    /// An `email_send` listing every slot.
    Email,
}

pub struct PresentTimeOptions;

impl Skill for PresentTimeOptions {
    fn manifest() -> Manifest {
        Manifest::new(
            "present-time-options",
            env!("CARGO_PKG_VERSION"),
            "Offers the rep the free slots to choose from, then books the one chosen or emails the times.",
        )
        .needs(flow::names::SCHEDULING_SLOTS)
        .uses(flow::names::SCHEDULING_REQUEST)
        .capability("context:org")
        .capability("approvals")
        .default_fuel(100_000_000)
        .params::<Params>()
        .output::<Picked>()
    }

    fn run(input: Input) -> Result<Output, SkillError> {
        let params: Params = input.params()?;
        let found: Found = step(&input, &params.slots_step)?;
        let req: Request = step(&input, &params.request_step)?;
        let slots: Vec<Slot> = found
            .slots
            .iter()
            .map(|v| {
                Slot::deserialize(v).map_err(|e| {
                    SkillError::InvalidInput(format!("{}: slots: {e}", params.slots_step))
                })
            })
            .collect::<Result<_, _>>()?;
        let asked = input
            .payload::<baton_sdk::events::calendar_find_times::Payload>()?
            .evidence;
        let org = context::org()?.unwrap_or_default();
        // The rep's own preference first: the slots step may not be shown
        // the org tier, and then reads the rep as in UTC.
        let rep_zone = nonblank(org.timezone())
            .or(nonblank(found.rep_timezone.as_deref()))
            .unwrap_or("UTC")
            .to_owned();
        // Everyone the request step would invite; the first is the contact.
        let attendees: Vec<&str> = req
            .attendees
            .iter()
            .map(|a| a.trim())
            .filter(|a| a.contains('@'))
            .collect();
        let contact = attendees.first().copied();
        let subject = nonblank(req.subject.as_deref());
        let times = Times {
            slots: &slots,
            rep_zone: &rep_zone,
            prospect_zone: nonblank(found.prospect_timezone.as_deref()),
            duration_min: found.duration_min.unwrap_or(30),
        };
        let none = |reason: &str| {
            Output::of(&Picked {
                chosen: None,
                slot: None,
                sent_as: None,
                offered: Some(slots.len()),
                reason: Some(reason),
            })
        };

        let choice = match host::decision(GATE)? {
            Some(Decision::Chosen(i)) => i as usize,
            Some(Decision::Skipped | Decision::Cancelled) => {
                return none("the rep chose none of the times");
            }
            Some(other) => {
                return Err(SkillError::InvalidInput(format!(
                    "the `{GATE}` gate takes a choice (--choose N), a skip or a cancel, not {other:?}"
                )));
            }
            None if slots.is_empty() => {
                return none("no free time was found in the window");
            }
            None => {
                let mut options = times.option_lines();
                if contact.is_some() {
                    let who = text::names(&attendees).unwrap_or_else(|| {
                        if attendees.len() > 1 {
                            "everyone".into()
                        } else {
                            "them".into()
                        }
                    });
                    options.push(format!("Email these times to {who}"));
                }
                let calendar_note = (found.calendar.as_deref() == Some("unavailable")).then_some(
                    "Your calendar could not be read: these times are only within your working \
                     hours, so check them before you pick.",
                );
                host::request_approval(Gate {
                    key: GATE.into(),
                    pattern: Pattern::Choose,
                    title: match subject {
                        Some(s) => format!("Pick a time: {s}"),
                        None => "Pick a time for the call".into(),
                    },
                    body: json!({
                        "request": req.request_text,
                        // The words that asked to meet, where, and how
                        // sure the detector was (the event's evidence).
                        "evidence": asked,
                        "slots": times.option_lines(),
                        // Each slot's start (RFC 3339), so the inbox can show
                        // it in the rep's and the prospect's zone.
                        "starts": slots.iter().map(|s| s.start.as_str()).collect::<Vec<_>>(),
                        "calendar_note": calendar_note,
                        "duration_min": times.duration_min,
                        "prospect_timezone": times.prospect_zone,
                        // Choosing the email sends this with no further
                        // review, so the rep sees it here first.
                        "email": contact.map(|_| {
                            let e = email(&req, subject, &attendees, &times);
                            json!({ "subject": e["subject"], "body": e["body"] })
                        }),
                        // Who the invite or the email goes to; the rep may
                        // remove any of them when editing.
                        "attendees": attendees,
                    }),
                    options,
                })?;
                return none("waiting for the rep to pick a time");
            }
        };

        if let Some(slot) = slots.get(choice) {
            let title = subject.unwrap_or("Follow-up call");
            let line = times.line(slot);
            let invite = json!({
                "title": title,
                "start": slot.start,
                "end": slot.end,
                "attendees": attendees,
                "organizer": org.user.as_ref().and_then(|u| u.email.as_deref()),
                "timezone": rep_zone,
                "description": format!("{title} ({} minutes): {line}.", times.duration_min),
            });
            return Ok(Output::of(&Picked {
                chosen: Some(choice),
                slot: found.slots.get(choice),
                sent_as: Some(SentAs::Invite),
                offered: None,
                reason: None,
            })?
            .action(
                ActionKind::CalendarInvite,
                format!("Invite for {title}: {line}"),
                invite,
            ));
        }
        match contact {
            Some(_) if choice == slots.len() => {}
            _ => {
                return Err(SkillError::InvalidInput(format!(
                    "option {choice} does not exist: the gate offered {} times{}",
                    slots.len(),
                    if contact.is_some() {
                        " and an email"
                    } else {
                        ""
                    }
                )));
            }
        };
        let send = email(&req, subject, &attendees, &times);
        let email_subject = send["subject"].as_str().unwrap_or_default().to_owned();
        Ok(Output::of(&Picked {
            chosen: Some(choice),
            slot: None,
            sent_as: Some(SentAs::Email),
            offered: None,
            reason: None,
        })?
        .action(
            ActionKind::EmailSend,
            format!(
                "Email {} time{}: {email_subject}",
                slots.len(),
                if slots.len() == 1 { "" } else { "s" }
            ),
            send,
        ))
    }
}

export_skill!(PresentTimeOptions);

#[cfg(test)]
mod tests;
