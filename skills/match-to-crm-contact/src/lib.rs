//! `match-to-crm-contact`: who sent this email, as the CRM knows them — the
//! contact, their company, their open deal and whether they are a customer,
//! an active prospect or someone new — and, when the classifier says they
//! asked to unsubscribe, the opt-out itself: one `crm_update` with
//! `do_not_contact: true`. The host applies that at once (no approval: it
//! only ever stops email), cancels what is queued to the address and
//! refuses any later send to it.
//!
//! The host loads tier 2 from the email's `from`; this skill reads it and
//! the classifier's verdict, and never logs an address.

use baton_sdk::context;
use baton_sdk::events::email_received::{Payload, Verdict};
use baton_sdk::host::Level;
use baton_sdk::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct Params {
    /// The step whose `intent` and `sender` this reads.
    #[serde(default = "baton_sdk::events::email_received::classify_step")]
    classify_step: String,
}

/// Who sent the email, as the CRM knows them: the output, from which the
/// manifest's output schema is derived.
#[derive(Serialize, JsonSchema)]
struct Matched {
    matched: bool,
    sender_email: Option<String>,
    contact: Option<Named>,
    /// The company's name.
    company: Option<String>,
    deal: Option<DealRef>,
    relationship: Relationship,
    /// The sender is on the list, or is being put on it now.
    do_not_contact: bool,
    /// They asked to unsubscribe in this email.
    opted_out: bool,
}

/// The matched contact.
#[derive(Serialize, JsonSchema)]
struct Named {
    id: Option<String>,
    name: Option<String>,
    title: Option<String>,
}

/// The contact's deal.
#[derive(Serialize, JsonSchema)]
struct DealRef {
    id: Option<String>,
    name: Option<String>,
    stage: Option<String>,
}

/// How the org stands with the sender.
#[derive(Debug, Clone, Copy, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
enum Relationship {
    /// A deal with them was won.
    Customer,
    /// An open deal, or a meeting on record.
    Active,
    /// A contact, nothing going on.
    Known,
    /// Not in the CRM.
    New,
}

impl Relationship {
    fn as_str(self) -> &'static str {
        match self {
            Relationship::Customer => "customer",
            Relationship::Active => "active",
            Relationship::Known => "known",
            Relationship::New => "new",
        }
    }
}

pub struct MatchToCrmContact;

impl Skill for MatchToCrmContact {
    fn manifest() -> Manifest {
        Manifest::new(
            "match-to-crm-contact",
            env!("CARGO_PKG_VERSION"),
            "Matches an inbound email's sender to the CRM and flags opt-outs as do-not-contact.",
        )
        .needs(flow::names::EMAIL_VERDICT)
        .produces(flow::names::EMAIL_CONTACT)
        .capability("context:contact")
        .default_fuel(50_000_000)
        .params::<Params>()
        .output::<Matched>()
    }

    fn run(input: Input) -> Result<Output, SkillError> {
        let params: Params = input.params()?;
        let payload: Payload = input.payload()?;
        let verdict = Verdict::from_step(&input, &params.classify_step)?;
        let sender_email = verdict
            .sender
            .email
            .clone()
            .or_else(|| payload.sender_address())
            .map(|e| e.trim().to_lowercase())
            .filter(|e| e.contains('@'));
        let tier2 = context::contact()?;
        let crm = tier2.as_ref();
        let contact = crm.and_then(|c| c.contact.as_ref());
        let deal = crm.and_then(|c| c.deal.as_ref());
        let relationship = if crm.is_some_and(|c| {
            c.deals
                .iter()
                .any(|d| d.stage.as_deref() == Some("closed_won"))
        }) {
            Relationship::Customer
        } else if deal.is_some() || crm.is_some_and(|c| !c.meetings.is_empty()) {
            Relationship::Active
        } else if contact.is_some() {
            Relationship::Known
        } else {
            Relationship::New
        };
        let already_flagged = crm.is_some_and(|c| c.do_not_contact.is_some());
        let opts_out = verdict.intent.as_deref() == Some("unsubscribe");
        let data = Matched {
            matched: contact.is_some(),
            sender_email: sender_email.clone(),
            contact: contact.map(|c| Named {
                id: c.id.clone(),
                name: c.name.clone(),
                title: c.title.clone(),
            }),
            company: crm.and_then(|c| c.company_name()).map(str::to_owned),
            deal: deal.map(|d| DealRef {
                id: d.id.clone(),
                name: d.name.clone(),
                stage: d.stage.clone(),
            }),
            relationship,
            do_not_contact: already_flagged || opts_out,
            opted_out: opts_out,
        };
        host::log(
            Level::Info,
            &format!(
                "sender {} the CRM ({}){}",
                if contact.is_some() {
                    "matches a contact in"
                } else {
                    "is not in"
                },
                relationship.as_str(),
                if opts_out { "; opt-out flagged" } else { "" }
            ),
        );
        let mut out = Output::of(&data)?;
        if opts_out && let Some(email) = &sender_email {
            let who = contact
                .and_then(|c| c.name.as_deref())
                .or(verdict.sender.name.as_deref())
                .unwrap_or("the sender");
            let when = payload.received_at.as_deref().unwrap_or("by email");
            let mut update = json!({
                "email": email,
                "do_not_contact": true,
                "reason": format!("asked to stop emails ({when})"),
            });
            if let Some(id) = contact.and_then(|c| c.id.as_deref()) {
                update["contact_id"] = json!(id);
            }
            out = out.action(
                ActionKind::CrmUpdate,
                format!("Do not contact {who}: they asked to stop emails"),
                update,
            );
        }
        Ok(out)
    }
}

export_skill!(MatchToCrmContact);

#[cfg(test)]
mod tests {
    use super::*;
    use baton_sdk::testing::FakeHost;

    fn email(intent: &str) -> Input {
        let mut input = Input::for_event(
            "email_received",
            json!({ "from": "Ann Lee <Ann.Lee@Harbour.example>", "received_at": "2026-11-21T09:12:00Z" }),
        );
        input = input.after("classify-email-intent", json!({ "intent": intent, "sender": { "email": "ann.lee@harbour.example", "name": "Ann Lee" } }));
        input
    }

    fn crm() -> Value {
        json!({
            "contact": { "id": "c-1", "name": "Ann Lee", "email": "ann.lee@harbour.example", "title": "COO" },
            "company": { "id": "co-1", "name": "Harbour Freight" },
            "deal": { "id": "d-1", "name": "Harbour pilot", "stage": "proposal" },
            "deals": [{ "id": "d-1", "name": "Harbour pilot", "stage": "proposal" }],
            "meetings": [], "do_not_contact": null
        })
    }

    #[test]
    fn a_known_sender_is_matched_with_company_and_deal() {
        let out = FakeHost::for_skill::<MatchToCrmContact>()
            .contact(crm())
            .run::<MatchToCrmContact>(email("needs_response"))
            .expect("runs");
        assert_eq!(out.data["matched"], true);
        assert_eq!(out.data["contact"]["id"], "c-1");
        assert_eq!(out.data["company"], "Harbour Freight");
        assert_eq!(out.data["deal"]["stage"], "proposal");
        assert_eq!(out.data["relationship"], "active");
        assert_eq!(out.data["do_not_contact"], false);
        assert!(out.actions.is_empty(), "only an opt-out proposes anything");
    }

    #[test]
    fn an_unknown_sender_is_new() {
        let out = FakeHost::for_skill::<MatchToCrmContact>()
            .run::<MatchToCrmContact>(email("positive_interest"))
            .expect("runs");
        assert_eq!(out.data["matched"], false);
        assert_eq!(out.data["relationship"], "new");
        assert_eq!(out.data["sender_email"], "ann.lee@harbour.example");
    }

    #[test]
    fn an_unsubscribe_flags_the_address_even_for_a_stranger() {
        for host in [
            FakeHost::for_skill::<MatchToCrmContact>().contact(crm()),
            FakeHost::for_skill::<MatchToCrmContact>(),
        ] {
            let known = host
                .run::<MatchToCrmContact>(email("unsubscribe"))
                .expect("runs");
            assert_eq!(known.actions.len(), 1);
            let a = &known.actions[0];
            assert_eq!(a.kind, ActionKind::CrmUpdate);
            assert_eq!(a.payload["email"], "ann.lee@harbour.example");
            assert_eq!(a.payload["do_not_contact"], true);
            assert!(a.payload.get("stage").is_none(), "never a stage change");
            assert_eq!(known.data["do_not_contact"], true);
        }
    }

    #[test]
    fn the_sender_falls_back_to_from_and_params_are_strict() {
        let input = Input::for_event("email_received", json!({ "from": "Bo <BO@x.example>" }));
        let out = FakeHost::for_skill::<MatchToCrmContact>()
            .run::<MatchToCrmContact>(input.clone())
            .expect("runs");
        assert_eq!(out.data["sender_email"], "bo@x.example");
        let err = FakeHost::for_skill::<MatchToCrmContact>()
            .run::<MatchToCrmContact>(input.with_params(json!({ "step": "x" })))
            .expect_err("unknown param");
        assert!(matches!(err, SkillError::InvalidInput(_)), "{err:?}");
    }
}
