//! CRM-lite: companies, contacts, deals and their activity history, enough
//! for a fresh install to work end to end. Outside CRMs plug in as context
//! providers instead.

use super::{OrgId, Store, StoreError, UserId, new_id, now_ms, on_pool};
use serde::Serialize;

/// A person at a company.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct Contact {
    pub id: String,
    pub company_id: Option<String>,
    pub name: String,
    /// Customer data: never written to logs.
    pub email: Option<String>,
    pub title: Option<String>,
}

/// A deal in the pipeline.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct Deal {
    pub id: String,
    pub company_id: Option<String>,
    pub contact_id: Option<String>,
    pub owner_user_id: Option<UserId>,
    pub name: String,
    pub stage: String,
    pub amount_cents: Option<i64>,
    pub currency: String,
    pub close_date: Option<String>,
}

/// A deal with no activity since a cutoff.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct StaleDeal {
    pub id: String,
    pub name: String,
    pub stage: String,
    /// Unix ms of the latest activity; `None` if it never had one.
    pub last_activity_at: Option<i64>,
    pub owner_user_id: Option<UserId>,
}

/// Fields of a new deal.
#[derive(Debug, Clone, Default)]
pub struct NewDeal<'a> {
    pub company_id: Option<&'a str>,
    pub contact_id: Option<&'a str>,
    pub owner: Option<&'a UserId>,
    pub name: &'a str,
    pub stage: &'a str,
    pub amount_cents: Option<i64>,
    pub currency: &'a str,
    pub close_date: Option<&'a str>,
}

/// Fields of a new activity (a call, an email, a meeting, a note).
#[derive(Debug, Clone, Default)]
pub struct NewActivity<'a> {
    pub deal_id: Option<&'a str>,
    pub contact_id: Option<&'a str>,
    pub user: Option<&'a UserId>,
    pub kind: &'a str,
    pub summary: &'a str,
    /// Unix ms.
    pub occurred_at: i64,
}

/// Stages that are over: a closed deal is never stale.
const CLOSED_STAGES: &str = "'closed_won', 'closed_lost'";

impl Store {
    /// Create the company `name` in `org`, or update it; returns its id.
    pub async fn upsert_company(
        &self,
        org: &OrgId,
        name: &str,
        domain: Option<&str>,
        industry: Option<&str>,
        employees: Option<i64>,
    ) -> Result<String, StoreError> {
        let sql = "INSERT INTO companies (id, org_id, name, domain, industry, employees) VALUES ($1, $2, $3, $4, $5, $6)
                   ON CONFLICT (org_id, name) DO UPDATE SET domain = excluded.domain, industry = excluded.industry,
                       employees = excluded.employees
                   RETURNING id";
        let id = new_id();
        Ok(on_pool!(self, pool => sqlx::query_scalar(sql)
            .bind(&id).bind(org).bind(name).bind(domain).bind(industry).bind(employees)
            .fetch_one(pool).await)?)
    }

    /// Create a contact, or update the one with the same email in `org`.
    pub async fn upsert_contact(
        &self,
        org: &OrgId,
        company_id: Option<&str>,
        name: &str,
        email: &str,
        title: Option<&str>,
    ) -> Result<String, StoreError> {
        let sql = "INSERT INTO contacts (id, org_id, company_id, name, email, title) VALUES ($1, $2, $3, $4, $5, $6)
                   ON CONFLICT (org_id, email) DO UPDATE SET company_id = excluded.company_id, name = excluded.name,
                       title = excluded.title
                   RETURNING id";
        let id = new_id();
        Ok(on_pool!(self, pool => sqlx::query_scalar(sql)
            .bind(&id).bind(org).bind(company_id).bind(name).bind(email).bind(title)
            .fetch_one(pool).await)?)
    }

    /// One contact of `org`.
    pub async fn contact(&self, org: &OrgId, id: &str) -> Result<Option<Contact>, StoreError> {
        let sql =
            "SELECT id, company_id, name, email, title FROM contacts WHERE org_id = $1 AND id = $2";
        Ok(
            on_pool!(self, pool => sqlx::query_as(sql).bind(org).bind(id).fetch_optional(pool).await)?,
        )
    }

    /// Create the deal `name` in `org`, or update it; returns its id.
    pub async fn insert_deal(&self, org: &OrgId, deal: &NewDeal<'_>) -> Result<String, StoreError> {
        let sql = "INSERT INTO deals (id, org_id, company_id, contact_id, owner_user_id, name, stage, amount_cents,
                       currency, close_date, created_at)
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
                   ON CONFLICT (org_id, name) DO UPDATE SET company_id = excluded.company_id,
                       contact_id = excluded.contact_id, owner_user_id = excluded.owner_user_id,
                       stage = excluded.stage, amount_cents = excluded.amount_cents,
                       currency = excluded.currency, close_date = excluded.close_date
                   RETURNING id";
        let (id, now) = (new_id(), now_ms());
        Ok(on_pool!(self, pool => sqlx::query_scalar(sql)
            .bind(&id).bind(org).bind(deal.company_id).bind(deal.contact_id).bind(deal.owner)
            .bind(deal.name).bind(deal.stage).bind(deal.amount_cents).bind(deal.currency).bind(deal.close_date)
            .bind(now).fetch_one(pool).await)?)
    }

    /// The deals `owner` holds in `org`.
    pub async fn deals_of(&self, org: &OrgId, owner: &UserId) -> Result<Vec<Deal>, StoreError> {
        let sql = "SELECT id, company_id, contact_id, owner_user_id, name, stage, amount_cents, currency, close_date
                   FROM deals WHERE org_id = $1 AND owner_user_id = $2 ORDER BY name";
        Ok(on_pool!(self, pool => sqlx::query_as(sql).bind(org).bind(owner).fetch_all(pool).await)?)
    }

    /// Record an activity; the same one recorded twice is kept once.
    pub async fn insert_activity(
        &self,
        org: &OrgId,
        a: &NewActivity<'_>,
    ) -> Result<(), StoreError> {
        let sql = "INSERT INTO activities (id, org_id, deal_id, contact_id, user_id, kind, summary, occurred_at)
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                   ON CONFLICT DO NOTHING";
        let id = new_id();
        on_pool!(self, pool => sqlx::query(sql)
            .bind(&id).bind(org).bind(a.deal_id).bind(a.contact_id).bind(a.user).bind(a.kind).bind(a.summary)
            .bind(a.occurred_at).execute(pool).await.map(drop))?;
        Ok(())
    }

    /// Open deals of `org` whose latest activity is older than `before` (unix
    /// ms), or that never had one; stalest first. Deals carry no
    /// last-activity column: it is derived from `activities`, which is
    /// indexed on (org_id, deal_id, occurred_at) for this.
    pub async fn stale_deals(
        &self,
        org: &OrgId,
        before: i64,
        limit: i64,
    ) -> Result<Vec<StaleDeal>, StoreError> {
        let sql = format!(
            "SELECT d.id, d.name, d.stage, MAX(a.occurred_at) AS last_activity_at, d.owner_user_id
             FROM deals d LEFT JOIN activities a ON a.org_id = d.org_id AND a.deal_id = d.id
             WHERE d.org_id = $1 AND d.stage NOT IN ({CLOSED_STAGES})
             GROUP BY d.id, d.name, d.stage, d.owner_user_id
             HAVING MAX(a.occurred_at) IS NULL OR MAX(a.occurred_at) < $2
             ORDER BY MAX(a.occurred_at) IS NOT NULL, MAX(a.occurred_at), d.name
             LIMIT $3"
        );
        Ok(
            on_pool!(self, pool => sqlx::query_as(&sql).bind(org).bind(before).bind(limit).fetch_all(pool).await)?,
        )
    }
}
