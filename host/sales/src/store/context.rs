//! Tier-2 context over CRM-lite: a contact with their company, deals,
//! recent activities, meetings and email threads, as one JSON document.

use super::crm::DEAL_COLUMNS;
use super::crm::{Contact, CrmTables, Deal};
use baton_store::{OrgId, Store, StoreError, on_pool};
use serde_json::{Value, json};

/// Activities, meetings and threads included, most recent first.
const RECENT: i64 = 20;

/// id, name, domain, industry, employees.
type CompanyRow = (String, String, Option<String>, Option<String>, Option<i64>);

/// How the event names the person or deal it is about.
#[derive(Debug, Clone, Default)]
pub struct ContactRef<'a> {
    pub contact_id: Option<&'a str>,
    pub contact_email: Option<&'a str>,
    pub deal_id: Option<&'a str>,
    /// Deals are unique by name within an org.
    pub deal_name: Option<&'a str>,
}

impl<'a> ContactRef<'a> {
    /// How a job's payload names who it is about: `contact_id`, `deal_id`,
    /// `deal_name`, and `email` (its [`address_of`]).
    pub fn of_payload(p: &'a Value, email: Option<&'a str>) -> ContactRef<'a> {
        let text = |k: &str| p.get(k).and_then(Value::as_str);
        ContactRef {
            contact_id: text("contact_id"),
            contact_email: email,
            deal_id: text("deal_id"),
            deal_name: text("deal_name"),
        }
    }
}

/// The address a job's payload names its person by: `contact_email`, or
/// an inbound email's sender (`from`, as `Name <addr>`).
pub fn address_of(p: &Value) -> Option<String> {
    let text = |k: &str| p.get(k).and_then(Value::as_str);
    text("contact_email")
        .or_else(|| text("from"))
        .and_then(baton_store::address::address_key)
}

#[easy_ext::ext(ContextTables)]
impl Store {
    /// The contact and deal `r` names: the deal by id or name; the contact
    /// by id, as the deal's contact, or by email. A meeting or email that
    /// names no deal is about the contact's newest open deal, when they
    /// have one.
    pub async fn subject(
        &self,
        org: &OrgId,
        r: &ContactRef<'_>,
    ) -> Result<(Option<Contact>, Option<Deal>), StoreError> {
        let deal: Option<Deal> = match (r.deal_id, r.deal_name) {
            (Some(id), _) => self.deal(org, id).await?,
            (None, Some(name)) => self.deal_named(org, name).await?,
            (None, None) => None,
        };
        let contact_id = r
            .contact_id
            .or_else(|| deal.as_ref().and_then(|d| d.contact_id.as_deref()));
        let contact = match (contact_id, r.contact_email) {
            (Some(id), _) => self.contact(org, id).await?,
            (None, Some(email)) => self.contact_by_email(org, email).await?,
            (None, None) => None,
        };
        let deal = match (deal, &contact) {
            (None, Some(c)) => self.open_deal_of_contact(org, &c.id).await?,
            (deal, _) => deal,
        };
        Ok((contact, deal))
    }

    /// Tier 2 for `r`, or `None` if it names nothing known in `org`.
    pub async fn contact_context(
        &self,
        org: &OrgId,
        r: &ContactRef<'_>,
    ) -> Result<Option<Value>, StoreError> {
        let (contact, deal) = self.subject(org, r).await?;
        if contact.is_none() && deal.is_none() {
            return Ok(None);
        }
        let company_id = contact
            .as_ref()
            .and_then(|c| c.company_id.clone())
            .or_else(|| deal.as_ref().and_then(|d| d.company_id.clone()));
        let company: Option<CompanyRow> = match &company_id {
            Some(id) => on_pool!(self, pool => sqlx::query_as(
                        "SELECT id, name, domain, industry, employees FROM companies WHERE org_id = $1 AND id = $2")
                    .bind(org).bind(id).fetch_optional(pool).await)?,
            None => None,
        };
        let cid = contact.as_ref().map(|c| c.id.clone());
        let did = deal.as_ref().map(|d| d.id.clone());
        let deals_sql = format!(
            "SELECT {DEAL_COLUMNS} FROM deals
             WHERE org_id = $1 AND (contact_id = $2 OR id = $3 OR ($4 IS NOT NULL AND company_id = $4))
             ORDER BY created_at DESC LIMIT $5"
        );
        let deals: Vec<Deal> = on_pool!(self, pool => sqlx::query_as(&deals_sql)
            .bind(org).bind(&cid).bind(&did).bind(&company_id).bind(RECENT).fetch_all(pool).await)?;
        let activities: Vec<(String, Option<String>, String, String, i64)> = on_pool!(self, pool => sqlx::query_as(
                "SELECT id, deal_id, kind, summary, occurred_at FROM activities
                 WHERE org_id = $1 AND (contact_id = $2 OR deal_id = $3) ORDER BY occurred_at DESC LIMIT $4")
            .bind(org).bind(&cid).bind(&did).bind(RECENT).fetch_all(pool).await)?;
        let meetings: Vec<(String, String, i64, Option<i64>)> = on_pool!(self, pool => sqlx::query_as(
                "SELECT id, title, starts_at, ends_at FROM meetings
                 WHERE org_id = $1 AND (contact_id = $2 OR deal_id = $3) AND status <> 'cancelled'
                 ORDER BY starts_at DESC LIMIT $4")
            .bind(org).bind(&cid).bind(&did).bind(RECENT).fetch_all(pool).await)?;
        let threads: Vec<(String, String, i64)> = on_pool!(self, pool => sqlx::query_as(
                "SELECT id, subject, last_message_at FROM email_threads
                 WHERE org_id = $1 AND contact_id = $2 ORDER BY last_message_at DESC LIMIT $3")
            .bind(org).bind(&cid).bind(RECENT).fetch_all(pool).await)?;
        // The tasks owed on the deal (approved `task_create` effects).
        let tasks = match &did {
            Some(id) => self.deal_tasks(org, id).await?,
            None => Vec::new(),
        };
        let do_not_contact = match contact.as_ref().and_then(|c| c.email.clone()) {
            Some(email) => self.do_not_contact(org, &[email]).await?.into_iter().next(),
            None => None,
        };
        Ok(Some(json!({
            "contact": contact,
            // Set when the contact asked not to be emailed.
            "do_not_contact": do_not_contact,
            "company": company.map(|(id, name, domain, industry, employees)| json!({
                "id": id, "name": name, "domain": domain, "industry": industry, "employees": employees,
            })),
            "deal": deal,
            "deals": deals,
            "tasks": tasks,
            "activities": activities.into_iter().map(|(id, deal_id, kind, summary, at)| json!({
                "id": id, "deal_id": deal_id, "kind": kind, "summary": summary, "occurred_at": at,
            })).collect::<Vec<_>>(),
            "meetings": meetings.into_iter().map(|(id, title, starts, ends)| json!({
                "id": id, "title": title, "starts_at": starts, "ends_at": ends,
            })).collect::<Vec<_>>(),
            "email_threads": threads.into_iter().map(|(id, subject, last)| json!({
                "id": id, "subject": subject, "last_message_at": last,
            })).collect::<Vec<_>>(),
        })))
    }
}
