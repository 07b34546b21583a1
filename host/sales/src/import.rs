//! `baton import FILE`: an org, its reps (with preferences), companies,
//! contacts, deals and activity history from one JSON document, so a fresh
//! install works end to end. Re-importing the same file changes nothing.

use crate::import_doc::invalid;
pub use crate::import_doc::{
    ActivityDoc, CompanyDoc, ContactDoc, DealDoc, ImportDoc, ImportError, ImportSummary, OrgDoc,
    PreferencesDoc, UserDoc,
};
use crate::store::CrmTables;
use crate::store::{NewActivity, NewDeal, PreferenceTables, SalesPreferences};
use baton_engine::orchestrator::context::CONFIDENCE_FLOOR;
use baton_store::address::is_address;
use baton_store::{OrgId, Preferences, Store, StoreError, UserId};
use baton_types::catalog::{CONTENT_LIBRARY, PRICE_BOOK, PriceBook};
use std::collections::BTreeMap;

/// Check a document before anything is written, so a bad file writes nothing.
fn validate(doc: &ImportDoc) -> Result<(), ImportError> {
    let slug = &doc.org.slug;
    if slug.is_empty()
        || !slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        return invalid(format!("org.slug `{slug}` must be a-z, 0-9 and `-`"));
    }
    if let Some(f) = doc.org.profile.get(CONFIDENCE_FLOOR)
        && !f.as_f64().is_some_and(|f| (0.0..=1.0).contains(&f))
    {
        return invalid(format!(
            "org.profile.{CONFIDENCE_FLOOR} is {f}: it is a number from 0 to 1 \
             (a suggestion less sure than this is not proposed)"
        ));
    }
    if let Some(problem) = crate::transcripts::retention_problem(&doc.org.profile) {
        return invalid(problem);
    }
    let companies: Vec<&str> = doc.companies.iter().map(|c| c.name.as_str()).collect();
    let emails: Vec<&str> = doc.contacts.iter().map(|c| c.email.as_str()).collect();
    let handles: Vec<&str> = doc.users.iter().map(|u| u.handle.as_str()).collect();
    let deals: Vec<&str> = doc.deals.iter().map(|d| d.name.as_str()).collect();
    let known = |what: &str, name: &Option<String>, list: &[&str], at: String| match name {
        Some(n) if !list.contains(&n.as_str()) => invalid(format!("{at}: unknown {what} `{n}`")),
        _ => Ok(()),
    };
    fn slack_id(u: &UserDoc) -> Option<&str> {
        u.preferences
            .as_ref()
            .and_then(PreferencesDoc::slack_user_id)
    }
    for (i, u) in doc.users.iter().enumerate() {
        if let Some(p) = &u.preferences {
            p.over(&Preferences::default(), &SalesPreferences::default())
                .and_then(|(p, s)| check_preferences(&p, &s))
                .map_err(|m| {
                    ImportError::Invalid(format!("users[{i}] ({}).preferences: {m}", u.handle))
                })?;
        }
        if let Some(id) = slack_id(u)
            && let Some(j) = doc.users[..i].iter().position(|o| slack_id(o) == Some(id))
        {
            return invalid(format!(
                "users[{i}] ({}).preferences.slack_user_id: users[{j}] has the same Slack user id; a Slack user acts for one rep",
                u.handle
            ));
        }
    }
    for (i, c) in doc.contacts.iter().enumerate() {
        known("company", &c.company, &companies, format!("contacts[{i}]"))?;
    }
    for (i, d) in doc.deals.iter().enumerate() {
        known("company", &d.company, &companies, format!("deals[{i}]"))?;
        known("contact", &d.contact, &emails, format!("deals[{i}]"))?;
        known("owner", &d.owner, &handles, format!("deals[{i}]"))?;
    }
    for (i, a) in doc.activities.iter().enumerate() {
        known("deal", &a.deal, &deals, format!("activities[{i}]"))?;
        known("contact", &a.contact, &emails, format!("activities[{i}]"))?;
        known("user", &a.user, &handles, format!("activities[{i}]"))?;
        parse_time(&a.occurred_at)
            .map_err(|m| ImportError::Invalid(format!("activities[{i}].occurred_at: {m}")))?;
    }
    if let Some(m) = doc.price_book.as_ref().and_then(PriceBook::problem) {
        return invalid(format!("price_book: {m}"));
    }
    for (i, item) in doc.content_library.iter().enumerate() {
        if let Some(m) = item.problem() {
            return invalid(format!("content_library[{i}]: {m}"));
        }
        if doc.content_library[..i].iter().any(|o| o.id == item.id) {
            return invalid(format!(
                "content_library[{i}]: id `{}` is used twice",
                item.id
            ));
        }
    }
    Ok(())
}

/// Why a user's mailbox cannot be theirs.
fn taken(i: usize, handle: &str) -> String {
    format!(
        "users[{i}] ({handle}).email: this mailbox is already connected to another rep; \
         a mailbox belongs to exactly one rep, so its email reaches one org"
    )
}

/// A connected mailbox belongs to exactly one rep, across orgs: each user's
/// address is theirs alone, in the document and in the store.
async fn check_mailboxes(store: &Store, doc: &ImportDoc) -> Result<(), ImportError> {
    let org = store.org_by_slug(&doc.org.slug).await?;
    for (i, u) in doc.users.iter().enumerate() {
        if !is_address(&u.email) {
            return invalid(format!(
                "users[{i}] ({}).email: `{}` is not an email address",
                u.handle, u.email
            ));
        }
        let key = u.email.trim().to_lowercase();
        if let Some((j, other)) = doc.users[..i]
            .iter()
            .enumerate()
            .find(|(_, o)| o.email.trim().to_lowercase() == key)
        {
            return invalid(format!(
                "users[{i}] ({}).email: users[{j}] ({}) has the same mailbox; \
                 a mailbox belongs to exactly one rep",
                u.handle, other.handle
            ));
        }
        for owner in store.users_by_email(&key).await? {
            let same_org = org.as_ref().is_some_and(|o| o.id == owner.org_id);
            if !same_org {
                return invalid(taken(i, &u.handle));
            }
            if owner.handle != u.handle {
                return invalid(format!(
                    "users[{i}] ({}).email: this mailbox is already `{}`'s in this org; \
                     a mailbox belongs to exactly one rep",
                    u.handle, owner.handle
                ));
            }
        }
    }
    Ok(())
}

/// Time zone known, minutes within a day.
fn check_preferences(p: &Preferences, s: &SalesPreferences) -> Result<(), String> {
    jiff::tz::TimeZone::get(&p.timezone)
        .map_err(|_| format!("unknown time zone `{}`", p.timezone))?;
    let minutes = [
        ("working_start_min", Some(p.working_start_min)),
        ("working_end_min", Some(p.working_end_min)),
        ("quiet_start_min", p.quiet_start_min),
        ("quiet_end_min", p.quiet_end_min),
        ("briefing_time_min", Some(s.briefing_time_min)),
    ];
    for (name, value) in minutes {
        if let Some(v) = value
            && !(0..1440).contains(&v)
        {
            return Err(format!(
                "{name} must be minutes after midnight (0-1439), got {v}"
            ));
        }
    }
    if let Some(m) = p.slack_user_id_problem() {
        return Err(m);
    }
    if p.quiet_start_min.is_some() != p.quiet_end_min.is_some() {
        return Err("quiet_start_min and quiet_end_min go together".into());
    }
    if p.daily_send_cap < 0 || p.max_notifications_per_hour < 0 || s.max_revivals_per_day < 0 {
        return Err("limits cannot be negative".into());
    }
    s.problem().map_or(Ok(()), Err)
}

fn parse_time(text: &str) -> Result<i64, String> {
    text.parse::<jiff::Timestamp>()
        .map(|t| t.as_millisecond())
        .map_err(|e| format!("`{text}` is not an RFC 3339 time ({e})"))
}

/// Validate `doc`, then write it (upserting by natural keys: org slug, user
/// handle, company name, contact email, deal name) at `now` (the service's
/// clock: a simulated day's "today" is its own).
pub async fn import(
    store: &Store,
    doc: &ImportDoc,
    now: i64,
) -> Result<ImportSummary, ImportError> {
    validate(doc)?;
    crate::import_meetings::validate(doc)?;
    check_mailboxes(store, doc).await?;
    let existing = store.org_by_slug(&doc.org.slug).await?.map(|o| o.id);
    crate::import_lines::check(store, existing.as_ref(), doc).await?;
    let org: OrgId = store
        .upsert_org(&doc.org.slug, &doc.org.name, &doc.org.profile)
        .await?;
    for (event_type, enabled) in &doc.org.features {
        store.set_feature(&org, event_type, *enabled).await?;
    }
    let mut users: BTreeMap<&str, UserId> = BTreeMap::new();
    for (i, u) in doc.users.iter().enumerate() {
        let id = store
            .upsert_user(&org, &u.handle, &u.name, &u.email, &u.role)
            .await
            .map_err(|e| match &e {
                // Another import connected the mailbox meanwhile.
                StoreError::Database(d)
                    if d.as_database_error()
                        .is_some_and(|d| d.is_unique_violation()) =>
                {
                    ImportError::Invalid(taken(i, &u.handle))
                }
                _ => ImportError::Store(e),
            })?;
        if let Some(given) = &u.preferences {
            let (p, own) = given
                .over(
                    &store.preferences(&org, &id).await?,
                    &store.sales_preferences(&org, &id).await?,
                )
                .and_then(|(p, s)| check_preferences(&p, &s).map(|()| (p, s)))
                .map_err(|m| {
                    ImportError::Invalid(format!("users[{i}] ({}).preferences: {m}", u.handle))
                })?;
            store.set_preferences(&org, &id, &p).await.map_err(|e| {
                match baton_store::orgs::is_taken_slack_user(&e) {
                    true => ImportError::Invalid(format!(
                        "users[{i}] ({}).preferences.slack_user_id: already another rep's in this org",
                        u.handle
                    )),
                    false => ImportError::Store(e),
                }
            })?;
            store.set_sales_preferences(&org, &id, &own).await?;
        }
        users.insert(&u.handle, id);
    }
    crate::import_lines::write(store, &org, doc, &users).await?;
    let mut companies: BTreeMap<&str, String> = BTreeMap::new();
    for c in &doc.companies {
        let id = store
            .upsert_company(
                &org,
                &c.name,
                c.domain.as_deref(),
                c.industry.as_deref(),
                c.employees,
            )
            .await?;
        companies.insert(&c.name, id);
    }
    let mut contacts: BTreeMap<&str, String> = BTreeMap::new();
    for c in &doc.contacts {
        let company = c
            .company
            .as_deref()
            .and_then(|n| companies.get(n))
            .map(String::as_str);
        let id = store
            .upsert_contact(&org, company, &c.name, &c.email, c.title.as_deref())
            .await?;
        contacts.insert(&c.email, id);
    }
    let mut deals: BTreeMap<&str, String> = BTreeMap::new();
    for d in &doc.deals {
        let deal = NewDeal {
            company_id: d
                .company
                .as_deref()
                .and_then(|n| companies.get(n))
                .map(String::as_str),
            contact_id: d
                .contact
                .as_deref()
                .and_then(|e| contacts.get(e))
                .map(String::as_str),
            owner: d.owner.as_deref().and_then(|h| users.get(h)),
            name: &d.name,
            stage: &d.stage,
            amount_cents: d.amount_cents,
            currency: &d.currency,
            close_date: d.close_date.as_deref(),
        };
        let id = store.insert_deal(&org, &deal, now).await?;
        deals.insert(&d.name, id);
    }
    for a in &doc.activities {
        let activity = NewActivity {
            deal_id: a
                .deal
                .as_deref()
                .and_then(|n| deals.get(n))
                .map(String::as_str),
            contact_id: a
                .contact
                .as_deref()
                .and_then(|e| contacts.get(e))
                .map(String::as_str),
            user: a.user.as_deref().and_then(|h| users.get(h)),
            kind: &a.kind,
            summary: &a.summary,
            occurred_at: parse_time(&a.occurred_at).map_err(ImportError::Invalid)?,
        };
        store.insert_activity(&org, &activity).await?;
    }
    if let Some(book) = &doc.price_book {
        let body = serde_json::to_value(book).map_err(|e| ImportError::Invalid(e.to_string()))?;
        store.put_org_document(&org, PRICE_BOOK, &body, now).await?;
    }
    if !doc.content_library.is_empty() {
        let body = serde_json::json!({ "items": doc.content_library });
        store
            .put_org_document(&org, CONTENT_LIBRARY, &body, now)
            .await?;
    }
    let ids = crate::import_meetings::Written {
        users: &users,
        contacts: &contacts,
        deals: &deals,
    };
    let meetings = crate::import_meetings::import(store, &org, doc, &ids, now).await?;
    Ok(ImportSummary {
        meetings,
        org: doc.org.slug.clone(),
        users: doc.users.len(),
        companies: doc.companies.len(),
        contacts: doc.contacts.len(),
        deals: doc.deals.len(),
        activities: doc.activities.len(),
        price_tiers: doc.price_book.as_ref().map_or(0, |b| b.tiers.len()),
        content_items: doc.content_library.len(),
    })
}
