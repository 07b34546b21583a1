//! `draft-content-email`: the email that sends what `find-content` matched
//! to the contact who asked: items published at a URL as links, items that
//! are files of the operator's content folder as attachments (the host
//! reads them from `BATON_CONTENT_DIR` when it sends). When the request
//! came by email the draft answers in its thread.
//!
//! It proposes one `email_send`, which the policy holds at a confirm gate.
//! Nothing matched, no address for the contact, or a contact on the
//! do-not-contact list: no draft, and the output says why.

use baton_sdk::content::{Found, Match, find_step};
use baton_sdk::context::{self, Attachment};
use baton_sdk::events::content_retrieval::Payload;
use baton_sdk::prelude::*;
use baton_sdk::text::{first_word, nonblank, reply_subject};
use serde::{Deserialize, Serialize};

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct Params {
    /// The finder step whose matches this sends.
    #[serde(default = "find_step")]
    find_step: String,
}

/// The output: the draft's particulars, or why there is none.
#[derive(Serialize, JsonSchema, Default)]
struct Drafted {
    drafted: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    subject: Option<String>,
    /// Items sent as links.
    links: Vec<String>,
    /// Files attached.
    attachments: Vec<String>,
}

pub struct DraftContentEmail;

impl Skill for DraftContentEmail {
    fn manifest() -> Manifest {
        Manifest::new(
            "draft-content-email",
            env!("CARGO_PKG_VERSION"),
            "Drafts the email that sends the matched content: links, and files attached.",
        )
        .capability("context:org")
        .capability("context:contact")
        .default_fuel(50_000_000)
        .params::<Params>()
        .output::<Drafted>()
    }

    fn run(input: Input) -> Result<Output, SkillError> {
        let params: Params = input.params()?;
        let payload: Payload = input.payload()?;
        let found = Found::from_step(&input, &params.find_step)?;
        let none = |reason: String| {
            Output::of(&Drafted {
                reason: Some(reason),
                ..Drafted::default()
            })
        };
        if found.matched.is_empty() {
            return none(
                found
                    .reason
                    .unwrap_or_else(|| "nothing in the content library fits the request".into()),
            );
        }
        let crm = context::contact()?;
        if crm.as_ref().is_some_and(|c| c.do_not_contact.is_some()) {
            return none("the contact is on the do-not-contact list".into());
        }
        let to = crm
            .as_ref()
            .and_then(|c| c.contact.as_ref())
            .and_then(|c| nonblank(c.email.as_deref()))
            .or(nonblank(payload.contact_email.as_deref()));
        let Some(to) = to.map(str::to_owned) else {
            return none("no email address is known for the contact".into());
        };
        let org = context::org()?;
        let first = first_word(crm.as_ref().and_then(|c| c.contact_name()));
        let rep = first_word(org.as_ref().and_then(|o| o.rep_name()));
        let (links, files): (Vec<&Match>, Vec<&Match>) =
            found.matched.iter().partition(|m| m.file.is_none());
        let subject = match nonblank(payload.subject.as_deref()) {
            Some(s) => reply_subject(s),
            None => format!("{}, as you asked", titles(&found.matched)),
        };
        let body = body(first, rep, &links, &files, payload.meeting_id.is_some());
        let attachments: Vec<Attachment> = files
            .iter()
            .filter_map(|m| {
                Some(Attachment {
                    file: m.file.clone()?,
                    title: Some(m.title.clone()),
                })
            })
            .collect();
        let mut send = json!({ "to": to, "subject": subject, "body": body });
        if !attachments.is_empty() {
            send["attachments"] = to_data(&attachments)?;
        }
        if let Some(id) = nonblank(payload.message_id.as_deref()) {
            send["in_reply_to"] = json!(id);
            send["references"] = json!(id);
        }
        // The words that asked for it, shown on the gate.
        if let Some(e) = &payload.evidence {
            send["evidence"] = json!(e);
        }
        let name = crm
            .as_ref()
            .and_then(|c| c.contact_name())
            .unwrap_or("the contact");
        let preview = format!("Send {} to {name}", titles(&found.matched));
        Ok(Output::of(&Drafted {
            drafted: true,
            reason: None,
            subject: Some(subject),
            links: links.iter().map(|m| m.title.clone()).collect(),
            attachments: attachments.iter().map(|a| a.file.clone()).collect(),
        })?
        .action(ActionKind::EmailSend, preview, send))
    }
}

/// `Security pack and Data Processing Agreement`: the items' titles as
/// the library writes them (a title is a name; no article is put before it).
fn titles(items: &[Match]) -> String {
    let names: Vec<&str> = items.iter().map(|m| m.title.as_str()).collect();
    match names.as_slice() {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

fn body(
    first: Option<&str>,
    rep: Option<&str>,
    links: &[&Match],
    files: &[&Match],
    from_call: bool,
) -> String {
    let mut out = format!("Hi {},\n\n", first.unwrap_or("there"));
    out.push_str(if from_call {
        "As promised on our call, here is what you asked for:\n"
    } else {
        "Here is what you asked for:\n"
    });
    for m in files {
        out.push_str(&format!("\n- {} (attached)", m.title));
        if let Some(s) = nonblank(m.summary.as_deref()) {
            out.push_str(&format!(": {s}"));
        }
    }
    for m in links {
        out.push_str(&format!("\n- {}", m.title));
        if let Some(s) = nonblank(m.summary.as_deref()) {
            out.push_str(&format!(": {s}"));
        }
        if let Some(u) = &m.url {
            out.push_str(&format!("\n  {u}"));
        }
    }
    out.push_str("\n\nLet me know if anything else would help.\n\n");
    out.push_str(&format!("Best,\n{}\n", rep.unwrap_or("")));
    out
}

export_skill!(DraftContentEmail);

#[cfg(test)]
mod tests {
    use super::*;
    use baton_sdk::testing::FakeHost;

    fn found() -> Value {
        json!({
            "request": "I'll send you our security pack and the data processing agreement today.",
            "asked_for": ["security", "legal"],
            "matched": [
                { "id": "dpa", "title": "Data Processing Agreement", "kind": "legal", "score": 8,
                  "url": "https://demo.example/legal/dpa", "summary": "Our standard DPA." },
                { "id": "security-pack", "title": "Security pack", "kind": "security", "score": 6,
                  "file": "security-pack.pdf" }
            ]
        })
    }

    fn host() -> FakeHost {
        FakeHost::for_skill::<DraftContentEmail>()
            .org(json!({ "user": { "name": "Jordan Avery" } }))
            .contact(json!({ "contact": { "name": "Marta Ruiz", "email": "marta.ruiz@northwind.example" },
                             "do_not_contact": null }))
    }

    fn input(found: Value) -> Input {
        Input::for_event(
            "content_retrieval",
            json!({ "meeting_id": "m1", "contact_email": "marta.ruiz@northwind.example" }),
        )
        .after("find-content", found)
    }

    #[test]
    fn links_for_urls_and_attachments_for_files() {
        let out = host()
            .run::<DraftContentEmail>(input(found()))
            .expect("runs");
        assert_eq!(out.actions.len(), 1);
        let a = &out.actions[0];
        assert_eq!(a.kind, ActionKind::EmailSend);
        assert_eq!(a.payload["to"], "marta.ruiz@northwind.example");
        assert_eq!(
            a.payload["subject"],
            "Data Processing Agreement and Security pack, as you asked"
        );
        assert_eq!(
            a.payload["attachments"],
            json!([{ "file": "security-pack.pdf", "title": "Security pack" }])
        );
        let body = a.payload["body"].as_str().expect("body");
        assert!(
            body.starts_with("Hi Marta,\n\nAs promised on our call"),
            "{body}"
        );
        assert!(body.contains("- Security pack (attached)"), "{body}");
        assert!(
            body.contains(
                "- Data Processing Agreement: Our standard DPA.\n  https://demo.example/legal/dpa"
            ),
            "{body}"
        );
        assert!(body.ends_with("Best,\nJordan\n"), "{body}");
        assert_eq!(out.data["attachments"], json!(["security-pack.pdf"]));
    }

    #[test]
    fn an_emailed_request_is_answered_in_its_thread() {
        let i = Input::for_event(
            "content_retrieval",
            json!({ "subject": "Security docs", "message_id": "<q1@northwind.example>" }),
        )
        .after("find-content", found());
        let out = host().run::<DraftContentEmail>(i).expect("runs");
        let p = &out.actions[0].payload;
        assert_eq!(p["subject"], "Re: Security docs");
        assert_eq!(p["in_reply_to"], "<q1@northwind.example>");
        assert!(p["body"].as_str().is_some_and(|b| !b.contains("our call")));
    }

    #[test]
    fn nothing_matched_drafts_nothing_and_passes_the_reason_on() {
        let out = host()
            .run::<DraftContentEmail>(input(json!({
                "matched": [], "reason": "nothing in the content library is about integration"
            })))
            .expect("runs");
        assert!(out.actions.is_empty());
        assert_eq!(out.data["drafted"], false);
        assert_eq!(
            out.data["reason"],
            "nothing in the content library is about integration"
        );
    }

    #[test]
    fn no_draft_to_a_do_not_contact_address() {
        let out = host()
            .contact(
                json!({ "contact": { "email": "marta.ruiz@northwind.example" },
                             "do_not_contact": { "email": "marta.ruiz@northwind.example" } }),
            )
            .run::<DraftContentEmail>(input(found()))
            .expect("runs");
        assert!(out.actions.is_empty());
        assert!(
            out.data["reason"]
                .as_str()
                .is_some_and(|r| r.contains("do-not-contact"))
        );
    }

    #[test]
    fn a_malformed_finder_output_is_invalid_input() {
        let err = host()
            .run::<DraftContentEmail>(input(json!({ "matched": "all of it" })))
            .expect_err("refused");
        assert!(matches!(err, SkillError::InvalidInput(_)), "{err:?}");
    }
}
