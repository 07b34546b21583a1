//! `draft-reengagement`: the email that reopens a stale deal, to the deal's
//! contact, built from what the two steps before found: the trigger event
//! (`research-trigger-events`, when the news provider had something) and
//! the stall reason (`analyse-stall-reason`). It only says what those
//! found (the event's title and link, the day pricing went out, the
//! competitor the CRM names); it never invents a fact.
//!
//! It proposes one `email_send`, which the policy holds at a confirm gate
//! and sends through the send-as-rep rails (undo window, daily cap,
//! do-not-contact). No address for the contact, or one on the
//! do-not-contact list: no draft, and the output says why.

use baton_sdk::context;
use baton_sdk::events::stale_deal_revival::Payload;
use baton_sdk::prelude::*;
use baton_sdk::revival::{
    Basis, Stall, StallKind, StallReason, Triggers, stall_step, triggers_step,
};
use baton_sdk::text::{first_word, nonblank};
use serde::{Deserialize, Serialize};

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct Params {
    #[serde(default = "triggers_step")]
    triggers_step: String,
    #[serde(default = "stall_step")]
    stall_step: String,
}

/// The output: what the draft cites, or why there is none.
#[derive(Serialize, JsonSchema, Default)]
struct Drafted {
    drafted: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    subject: Option<String>,
    /// The news item the email opens with, when there was one.
    #[serde(skip_serializing_if = "Option::is_none")]
    trigger_event: Option<String>,
    /// The stall reason the email answers, when there was one.
    #[serde(skip_serializing_if = "Option::is_none")]
    stall_reason: Option<StallKind>,
    /// What the research rested on (`crm_only` when no news provider answered).
    basis: Basis,
    /// The research's note (why it is CRM-only), passed on for the rep.
    #[serde(skip_serializing_if = "Option::is_none")]
    research_note: Option<String>,
}

pub struct DraftReengagement;

impl Skill for DraftReengagement {
    fn manifest() -> Manifest {
        Manifest::new(
            "draft-reengagement",
            env!("CARGO_PKG_VERSION"),
            "Drafts a re-engagement email for a stale deal citing the trigger event or the stall reason.",
        )
        .uses(flow::names::DEAL_TRIGGERS)
        .uses(flow::names::DEAL_STALL)
        .capability("context:org")
        .capability("context:contact")
        .default_fuel(50_000_000)
        .params::<Params>()
        .output::<Drafted>()
    }

    fn run(input: Input) -> Result<Output, SkillError> {
        let params: Params = input.params()?;
        let payload: Payload = input.payload()?;
        let triggers: Triggers = input
            .step_output(&params.triggers_step)?
            .unwrap_or_default();
        let stall: Stall = input.step_output(&params.stall_step)?.unwrap_or_default();
        let crm = context::contact()?.unwrap_or_default();
        let none = |reason: &str| {
            Output::of(&Drafted {
                reason: Some(reason.to_owned()),
                basis: triggers.basis,
                research_note: triggers.note.clone(),
                ..Drafted::default()
            })
        };
        if crm.do_not_contact.is_some() {
            return none("the deal's contact is on the do-not-contact list");
        }
        let Some(to) = crm
            .contact
            .as_ref()
            .and_then(|c| nonblank(c.email.as_deref()))
            .map(str::to_owned)
        else {
            return none("the deal has no contact with an email address");
        };
        let org = context::org()?;
        let first = first_word(crm.contact_name());
        let rep = first_word(org.as_ref().and_then(|o| o.rep_name()));
        let deal = payload
            .deal_name
            .clone()
            .or(stall.deal_name.clone())
            .unwrap_or_else(|| "our conversation".into());
        let company = crm
            .company_name()
            .map(str::to_owned)
            .or(stall.company.clone());
        let event = triggers.events.first();
        let reason = stall.reasons.first();

        let mut body = format!("Hi {},\n\n", first.unwrap_or("there"));
        if let Some(e) = event {
            body.push_str(&format!("I saw the news: \"{}\"", e.title));
            if let Some(s) = nonblank(e.source.as_deref()) {
                body.push_str(&format!(" ({s})"));
            }
            body.push('.');
            if let Some(u) = &e.url {
                body.push_str(&format!("\n{u}"));
            }
            body.push_str(&format!(
                "\n\nIf that changes what you need from {deal}, I'd be glad to pick up where we left off.\n\n"
            ));
        }
        if let Some(r) = reason {
            body.push_str(&paragraph(r, &deal));
            body.push_str("\n\n");
        }
        if event.is_none() && reason.is_none() {
            body.push_str(&format!(
                "It has been a while since we last spoke about {deal}. Is it still a priority for you?\n\n"
            ));
        }
        body.push_str(&format!("Best,\n{}\n", rep.unwrap_or("")));
        let subject = match (event, &company) {
            (Some(e), _) => format!("Saw the news: {}", e.title),
            (None, Some(c)) => format!("{c}: picking up where we left off"),
            (None, None) => format!("{deal}: picking up where we left off"),
        };
        let send = json!({ "to": to, "subject": subject, "body": body });
        let name = crm.contact_name().unwrap_or("the contact");
        let cites = match (event, reason) {
            (Some(_), _) => "a trigger event".to_owned(),
            (None, Some(r)) => r.kind.as_str().replace('_', " "),
            (None, None) => "the silence".to_owned(),
        };
        Ok(Output::of(&Drafted {
            drafted: true,
            reason: None,
            subject: Some(subject),
            trigger_event: event.map(|e| e.title.clone()),
            stall_reason: reason.map(|r| r.kind),
            basis: triggers.basis,
            research_note: triggers.note.clone(),
        })?
        .action(
            ActionKind::EmailSend,
            format!("Re-engage {name} on {deal} ({cites})"),
            send,
        ))
    }
}

/// What the email says about the stall reason, from its evidence only.
fn paragraph(r: &StallReason, deal: &str) -> String {
    let first = r.evidence.first();
    match r.kind {
        StallKind::QuietAfterPricing => {
            // As a rep writes it ("back in August"), never the record's
            // `2026-08-14`.
            let when = first
                .and_then(|e| e.on.as_deref())
                .and_then(|d| d.parse::<jiff::civil::Date>().ok())
                .map(|d| format!(" back in {}", d.strftime("%B")))
                .unwrap_or_default();
            format!(
                "When I sent over pricing for {deal}{when}, I may not have hit the mark. \
                 If the numbers didn't land, I'm happy to walk through them or look at a different scope."
            )
        }
        StallKind::Competitor => {
            let names = r
                .evidence
                .iter()
                .find_map(|e| e.line.strip_prefix("Competitors on the deal: "));
            let weighing = match names {
                Some(n) => format!("I know you have been looking at {n} as well."),
                None => "I know you have been weighing other options.".to_owned(),
            };
            format!(
                "{weighing} If a side-by-side on the points that matter most to you would help, \
                 I can put one together."
            )
        }
        StallKind::ChampionLeft => format!(
            "I understand things may have changed on your side. Could you point me to the person \
             who now looks after {deal}?"
        ),
        StallKind::NoNextStep => format!(
            "We never settled on a next step for {deal}. Would a short call next week be useful \
             to decide whether it is still a priority?"
        ),
    }
}

export_skill!(DraftReengagement);

#[cfg(test)]
mod tests {
    use super::*;
    use baton_sdk::testing::FakeHost;

    fn host() -> FakeHost {
        FakeHost::for_skill::<DraftReengagement>()
            .org(json!({ "user": { "name": "Jordan Avery" } }))
            .contact(json!({
                "contact": { "name": "Ines Duarte", "email": "ines.duarte@halden.example" },
                "company": { "name": "Halden Cold Chain" },
                "do_not_contact": null
            }))
    }

    fn stall() -> Value {
        json!({ "deal_name": "Halden cold-chain renewals", "days_quiet": 102, "reasons": [
            { "kind": "quiet_after_pricing", "summary": "It went quiet after pricing",
              "evidence": [{ "on": "2026-08-14", "days_ago": 102, "kind": "email", "line": "Sent pricing for 120 seats" }] },
            { "kind": "no_next_step", "summary": "Nothing next", "evidence": [] }
        ]})
    }

    fn input(triggers: Value) -> Input {
        Input::for_event(
            "stale_deal_revival",
            json!({ "deal_id": "d1", "deal_name": "Halden cold-chain renewals", "days_quiet": 102 }),
        )
        .after("research-trigger-events", triggers)
        .after("analyse-stall-reason", stall())
    }

    fn crm_only() -> Value {
        json!({ "basis": "crm_only", "note": "CRM-only: no news provider is configured", "events": [] })
    }

    #[test]
    fn without_news_it_answers_the_stall_reason() {
        let out = host()
            .run::<DraftReengagement>(input(crm_only()))
            .expect("runs");
        assert_eq!(out.actions.len(), 1);
        let p = &out.actions[0].payload;
        assert_eq!(out.actions[0].kind, ActionKind::EmailSend);
        assert_eq!(p["to"], "ines.duarte@halden.example");
        assert_eq!(
            p["subject"],
            "Halden Cold Chain: picking up where we left off"
        );
        let body = p["body"].as_str().expect("body");
        assert!(body.starts_with("Hi Ines,"), "{body}");
        assert!(
            body.contains(
                "When I sent over pricing for Halden cold-chain renewals back in August,"
            ),
            "{body}"
        );
        assert!(body.ends_with("Best,\nJordan\n"), "{body}");
        assert_eq!(out.data["stall_reason"], "quiet_after_pricing");
        assert_eq!(out.data["basis"], "crm_only");
        assert!(
            out.data["research_note"]
                .as_str()
                .is_some_and(|n| n.starts_with("CRM-only"))
        );
    }

    #[test]
    fn a_trigger_event_opens_the_email_with_its_link() {
        let out = host()
            .run::<DraftReengagement>(input(json!({ "basis": "news", "events": [
                { "title": "Halden Cold Chain opens a Rotterdam hub", "url": "https://news.example/halden",
                  "source": "Freight Weekly", "published_on": "2026-11-02" }
            ]})))
            .expect("runs");
        let p = &out.actions[0].payload;
        assert_eq!(
            p["subject"],
            "Saw the news: Halden Cold Chain opens a Rotterdam hub"
        );
        let body = p["body"].as_str().expect("body");
        assert!(
            body.contains("I saw the news: \"Halden Cold Chain opens a Rotterdam hub\" (Freight Weekly).\nhttps://news.example/halden"),
            "{body}"
        );
        assert!(body.contains("sent over pricing"), "the reason too: {body}");
        assert_eq!(
            out.data["trigger_event"],
            "Halden Cold Chain opens a Rotterdam hub"
        );
    }

    #[test]
    fn a_competitor_is_named_only_as_the_crm_names_it() {
        let i = Input::for_event("stale_deal_revival", json!({ "deal_name": "D" })).after(
            "analyse-stall-reason",
            json!({ "reasons": [
                { "kind": "competitor", "summary": "s", "evidence": [
                    { "kind": "deal", "line": "Competitors on the deal: Gainsight" }] }
            ]}),
        );
        let out = host().run::<DraftReengagement>(i).expect("runs");
        let body = out.actions[0].payload["body"]
            .as_str()
            .expect("body")
            .to_owned();
        assert!(body.contains("looking at Gainsight as well"), "{body}");
    }

    #[test]
    fn no_draft_without_an_address_or_to_a_listed_one() {
        let out = host()
            .contact(json!({ "contact": { "name": "Ines" }, "do_not_contact": null }))
            .run::<DraftReengagement>(input(crm_only()))
            .expect("runs");
        assert!(out.actions.is_empty());
        assert_eq!(out.data["drafted"], false);
        let out = host()
            .contact(
                json!({ "contact": { "email": "ines.duarte@halden.example" },
                             "do_not_contact": { "email": "ines.duarte@halden.example" } }),
            )
            .run::<DraftReengagement>(input(crm_only()))
            .expect("runs");
        assert!(out.actions.is_empty());
        assert!(
            out.data["reason"]
                .as_str()
                .is_some_and(|r| r.contains("do-not-contact"))
        );
    }
}
