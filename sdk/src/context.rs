//! The context tiers as skills read them, typed: [`OrgTier`] (tier 1, the
//! org, the rep and their preferences), [`ContactTier`] (tier 2, what the CRM
//! knows about the event's contact and deal) and [`External`] (tier 3, one
//! provider's configuration from the org profile).
//!
//! The host builds these (`host/engine/src/orchestrator/context.rs` and
//! `host/sales/src/store/context.rs`) and hands them over as they stand,
//! so every field is optional and a field of the wrong type reads as
//! absent (see `lenient.rs`): reading a tier never fails where indexing
//! its JSON would have given `None`. This module
//! only reads; it never asks for a tier the skill did not declare.

use crate::host::{self, HostError, Tier};
use crate::lenient;
pub use baton_types::catalog::{
    Attachment, CONTENT_LIBRARY, ContentItem, PRICE_BOOK, PriceBook, PriceTier,
};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Tier 1: the org, the rep and the rep's preferences.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct OrgTier {
    #[serde(default, deserialize_with = "lenient::option")]
    pub org: Option<Org>,
    #[serde(default, deserialize_with = "lenient::option")]
    pub user: Option<User>,
    #[serde(default, deserialize_with = "lenient::option")]
    pub preferences: Option<Preferences>,
    /// Event types the org has switched off.
    #[serde(default, deserialize_with = "lenient::list")]
    pub disabled_events: Vec<String>,
    #[serde(default, deserialize_with = "lenient::option")]
    pub budget_micros: Option<i64>,
}

/// The org itself.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Org {
    #[serde(default, deserialize_with = "lenient::option")]
    pub slug: Option<String>,
    #[serde(default, deserialize_with = "lenient::option")]
    pub name: Option<String>,
    /// The org profile as configured (providers, products, tone, …).
    #[serde(default)]
    pub profile: Value,
}

/// The rep the job runs for.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct User {
    #[serde(default, deserialize_with = "lenient::option")]
    pub handle: Option<String>,
    #[serde(default, deserialize_with = "lenient::option")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "lenient::option")]
    pub email: Option<String>,
    #[serde(default, deserialize_with = "lenient::option")]
    pub role: Option<String>,
}

/// The rep's preferences. Minutes are after local midnight in `timezone`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Preferences {
    /// An IANA zone name, e.g. `America/New_York`.
    #[serde(default, deserialize_with = "lenient::option")]
    pub timezone: Option<String>,
    #[serde(default, deserialize_with = "lenient::option")]
    pub working_start_min: Option<i64>,
    #[serde(default, deserialize_with = "lenient::option")]
    pub working_end_min: Option<i64>,
    #[serde(default, deserialize_with = "lenient::option")]
    pub quiet_start_min: Option<i64>,
    #[serde(default, deserialize_with = "lenient::option")]
    pub quiet_end_min: Option<i64>,
    #[serde(default, deserialize_with = "lenient::option")]
    pub slack_channel: Option<String>,
    #[serde(default, deserialize_with = "lenient::option")]
    pub email_signature: Option<String>,
    /// How the rep wants coaching (per meeting, weekly, both, off).
    #[serde(default, deserialize_with = "lenient::option")]
    pub coaching: Option<baton_types::coaching::Coaching>,
    /// How the rep wants drafts to sound (warm, neutral, brief).
    #[serde(default, deserialize_with = "lenient::option")]
    pub tone: Option<baton_types::tone::Tone>,
}

/// Tier 2: the CRM's view of the event's contact and deal.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ContactTier {
    #[serde(default, deserialize_with = "lenient::option")]
    pub contact: Option<Contact>,
    /// The do-not-contact entry for the contact's address, when there is one.
    #[serde(default, deserialize_with = "lenient::option")]
    pub do_not_contact: Option<Map<String, Value>>,
    #[serde(default, deserialize_with = "lenient::option")]
    pub company: Option<Company>,
    /// The deal the event names, or the contact's open deal.
    #[serde(default, deserialize_with = "lenient::option")]
    pub deal: Option<Deal>,
    /// Recent deals of the contact or company, newest first.
    #[serde(default, deserialize_with = "lenient::list")]
    pub deals: Vec<Deal>,
    /// Recent activities, newest first.
    #[serde(default, deserialize_with = "lenient::list")]
    pub activities: Vec<Activity>,
    /// Recent meetings, newest first.
    #[serde(default, deserialize_with = "lenient::list")]
    pub meetings: Vec<PastMeeting>,
    /// Recent email threads, newest first.
    #[serde(default, deserialize_with = "lenient::list")]
    pub email_threads: Vec<EmailThread>,
}

/// A CRM contact.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Contact {
    #[serde(default, deserialize_with = "lenient::option")]
    pub id: Option<String>,
    #[serde(default, deserialize_with = "lenient::option")]
    pub company_id: Option<String>,
    #[serde(default, deserialize_with = "lenient::option")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "lenient::option")]
    pub email: Option<String>,
    #[serde(default, deserialize_with = "lenient::option")]
    pub title: Option<String>,
    /// The contact's IANA time zone, when the CRM records one.
    #[serde(default, deserialize_with = "lenient::option")]
    pub timezone: Option<String>,
}

/// A CRM company.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Company {
    #[serde(default, deserialize_with = "lenient::option")]
    pub id: Option<String>,
    #[serde(default, deserialize_with = "lenient::option")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "lenient::option")]
    pub domain: Option<String>,
    #[serde(default, deserialize_with = "lenient::option")]
    pub industry: Option<String>,
    #[serde(default, deserialize_with = "lenient::option")]
    pub employees: Option<i64>,
    /// The company's IANA time zone, when the CRM records one.
    #[serde(default, deserialize_with = "lenient::option")]
    pub timezone: Option<String>,
}

/// A deal in the pipeline.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Deal {
    #[serde(default, deserialize_with = "lenient::option")]
    pub id: Option<String>,
    #[serde(default, deserialize_with = "lenient::option")]
    pub company_id: Option<String>,
    #[serde(default, deserialize_with = "lenient::option")]
    pub contact_id: Option<String>,
    #[serde(default, deserialize_with = "lenient::option")]
    pub owner_user_id: Option<String>,
    #[serde(default, deserialize_with = "lenient::option")]
    pub name: Option<String>,
    /// See [`crate::crm::STAGES`].
    #[serde(default, deserialize_with = "lenient::option")]
    pub stage: Option<String>,
    #[serde(default, deserialize_with = "lenient::option")]
    pub amount_cents: Option<i64>,
    #[serde(default, deserialize_with = "lenient::option")]
    pub currency: Option<String>,
    /// `YYYY-MM-DD`.
    #[serde(default, deserialize_with = "lenient::option")]
    pub close_date: Option<String>,
    /// What the rep does next, as last approved.
    #[serde(default, deserialize_with = "lenient::option")]
    pub next_step: Option<String>,
    /// Competitors the prospect named.
    #[serde(default, deserialize_with = "lenient::list")]
    pub competitors: Vec<String>,
}

/// A logged activity (call, email, task, note, …).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Activity {
    #[serde(default, deserialize_with = "lenient::option")]
    pub id: Option<String>,
    #[serde(default, deserialize_with = "lenient::option")]
    pub deal_id: Option<String>,
    #[serde(default, deserialize_with = "lenient::option")]
    pub kind: Option<String>,
    #[serde(default, deserialize_with = "lenient::option")]
    pub summary: Option<String>,
    /// Unix milliseconds.
    #[serde(default, deserialize_with = "lenient::option")]
    pub occurred_at: Option<i64>,
}

/// A meeting the CRM recorded.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PastMeeting {
    #[serde(default, deserialize_with = "lenient::option")]
    pub id: Option<String>,
    #[serde(default, deserialize_with = "lenient::option")]
    pub title: Option<String>,
    /// Unix milliseconds.
    #[serde(default, deserialize_with = "lenient::option")]
    pub starts_at: Option<i64>,
    /// Unix milliseconds.
    #[serde(default, deserialize_with = "lenient::option")]
    pub ends_at: Option<i64>,
}

/// An email thread with the contact.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EmailThread {
    #[serde(default, deserialize_with = "lenient::option")]
    pub id: Option<String>,
    #[serde(default, deserialize_with = "lenient::option")]
    pub subject: Option<String>,
    /// Unix milliseconds.
    #[serde(default, deserialize_with = "lenient::option")]
    pub last_message_at: Option<i64>,
}

/// Tier 3: one provider's configuration (`providers.<name>` in the org
/// profile).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct External {
    /// Where the provider answers, when configured.
    #[serde(default, deserialize_with = "lenient::option")]
    pub url: Option<String>,
    /// Everything else the profile says about the provider.
    #[serde(flatten)]
    pub rest: Map<String, Value>,
}

fn read<T: DeserializeOwned + Default>(tier: Tier) -> Result<Option<T>, HostError> {
    host::context_if_known(tier).map(|v| v.map(|v| T::deserialize(v).unwrap_or_default()))
}

/// Tier 1, or `None` when the host has none (an error for anything else,
/// e.g. a denial). A tier that is not a JSON object reads as empty.
pub fn org() -> Result<Option<OrgTier>, HostError> {
    read(Tier::Org)
}

/// Tier 2, or `None` when the CRM knows nothing for the event. See [`org`].
pub fn contact() -> Result<Option<ContactTier>, HostError> {
    read(Tier::Contact)
}

/// Tier 3 of `provider`, or `None` when it is not configured. See [`org`].
pub fn external(provider: &str) -> Result<Option<External>, HostError> {
    read(Tier::External(provider.to_owned()))
}

/// The org's price book (the tier-3 provider `price_book`), or `None`
/// when the org has none. Needs `context:external:price_book`. A book
/// that does not read as one is `None` too, like any malformed tier.
pub fn price_book() -> Result<Option<PriceBook>, HostError> {
    host::context_if_known(Tier::External(PRICE_BOOK.to_owned()))
        .map(|v| v.and_then(|v| PriceBook::deserialize(v).ok()))
}

/// The org's content library (the tier-3 provider `content_library`),
/// empty when the org has none. Needs `context:external:content_library`.
/// An item that does not read as one is left out.
pub fn content_library() -> Result<Vec<ContentItem>, HostError> {
    #[derive(Deserialize)]
    struct Library {
        #[serde(default, deserialize_with = "lenient::list")]
        items: Vec<Value>,
    }
    let library = host::context_if_known(Tier::External(CONTENT_LIBRARY.to_owned()))?
        .and_then(|v| Library::deserialize(v).ok());
    Ok(library
        .map(|l| l.items)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|i| ContentItem::deserialize(i).ok())
        .collect())
}

impl OrgTier {
    /// The rep's time zone name, when set.
    pub fn timezone(&self) -> Option<&str> {
        self.preferences.as_ref()?.timezone.as_deref()
    }

    /// The rep's email signature, when set and not blank.
    pub fn signature(&self) -> Option<&str> {
        crate::text::nonblank(self.preferences.as_ref()?.email_signature.as_deref())
    }

    /// The rep's tone for drafts (neutral when not set).
    pub fn tone(&self) -> baton_types::tone::Tone {
        self.preferences
            .as_ref()
            .and_then(|p| p.tone)
            .unwrap_or_default()
    }

    /// The rep's full name, when known.
    pub fn rep_name(&self) -> Option<&str> {
        self.user.as_ref()?.name.as_deref()
    }
}

impl ContactTier {
    /// The address to email the contact at as the rep, or why they may not
    /// be emailed: on the do-not-contact list, or no address in the CRM.
    pub fn address_to_email(&self) -> Result<String, &'static str> {
        if self.do_not_contact.is_some() {
            return Err("the contact is on the do-not-contact list");
        }
        self.contact
            .as_ref()
            .and_then(|c| c.email.clone())
            .filter(|a| a.contains('@'))
            .ok_or("the CRM has no address for the contact")
    }

    /// The contact's name, when known.
    pub fn contact_name(&self) -> Option<&str> {
        self.contact.as_ref()?.name.as_deref()
    }

    /// The company's name, when known.
    pub fn company_name(&self) -> Option<&str> {
        self.company.as_ref()?.name.as_deref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_tiers_the_host_builds_read_back() {
        let org: OrgTier = serde_json::from_value(json!({
            "org": { "slug": "demo", "name": "Demo", "profile": { "tone": "warm" } },
            "user": { "handle": "rep1", "name": "Jordan Avery", "email": null, "role": "rep" },
            "preferences": { "timezone": "America/New_York", "working_start_min": 540 },
            "disabled_events": ["morning_brief"],
            "budget_micros": 5_000_000
        }))
        .expect("reads");
        assert_eq!(org.timezone(), Some("America/New_York"));
        assert_eq!(org.rep_name(), Some("Jordan Avery"));
        let crm: ContactTier = serde_json::from_value(json!({
            "contact": { "id": "c1", "name": "Marta Ruiz", "email": "m@n.example" },
            "company": { "name": "Northwind", "employees": "many" },
            "deal": { "id": "d1", "stage": "demo", "amount_cents": 2_160_000 },
            "deals": [{ "id": "d1" }, 7],
            "do_not_contact": null
        }))
        .expect("reads");
        assert_eq!(crm.contact_name(), Some("Marta Ruiz"));
        assert_eq!(crm.company.as_ref().and_then(|c| c.employees), None);
        assert_eq!(crm.deals.len(), 2, "a malformed row keeps its place");
        assert!(crm.do_not_contact.is_none());
    }

    #[test]
    fn a_contact_is_emailed_only_at_an_address_and_off_the_list() {
        let tier =
            |v: serde_json::Value| -> ContactTier { serde_json::from_value(v).expect("reads") };
        let marta = serde_json::json!({ "name": "Marta", "email": "marta@northwind.example" });
        assert_eq!(
            tier(serde_json::json!({ "contact": marta })).address_to_email(),
            Ok("marta@northwind.example".to_owned())
        );
        assert_eq!(
            tier(serde_json::json!({ "contact": marta, "do_not_contact": { "reason": "asked" } }))
                .address_to_email(),
            Err("the contact is on the do-not-contact list")
        );
        assert_eq!(
            tier(serde_json::json!({ "contact": { "name": "Marta", "email": "n/a" } }))
                .address_to_email(),
            Err("the CRM has no address for the contact")
        );
    }
}
