//! What a rep's request in their own words is matched against: the org's
//! contacts and deals whose names hold a word. Read-only, scoped to one
//! org; `host/sales/src/requests.rs` decides what a match means.

use baton_store::{OrgId, Store, StoreError, UserId, on_pool};

/// Most candidates one word brings back.
const CANDIDATES: i64 = 25;

/// A contact a request may name.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct NamedContact {
    pub id: String,
    pub name: String,
    /// Customer data: never written to logs.
    pub email: Option<String>,
    pub company: Option<String>,
}

/// A deal a request may name (by its name or its company's).
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct NamedDeal {
    pub id: String,
    pub name: String,
    pub company: Option<String>,
    pub stage: String,
    pub owner_user_id: Option<UserId>,
    pub contact_id: Option<String>,
    pub contact_email: Option<String>,
}

/// `word` as a LIKE pattern that finds it anywhere (its wildcards escaped).
fn anywhere(word: &str) -> String {
    let escaped: String = word
        .to_lowercase()
        .chars()
        .flat_map(|c| match c {
            '%' | '_' | '\\' => vec!['\\', c],
            c => vec![c],
        })
        .collect();
    format!("%{escaped}%")
}

#[easy_ext::ext(RequestTables)]
impl Store {
    /// `org`'s contacts whose name or email holds `word` (any case).
    pub async fn contacts_like(
        &self,
        org: &OrgId,
        word: &str,
    ) -> Result<Vec<NamedContact>, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_as(
                "SELECT c.id, c.name, c.email, co.name AS company FROM contacts c
                 LEFT JOIN companies co ON co.org_id = c.org_id AND co.id = c.company_id
                 WHERE c.org_id = $1 AND (lower(c.name) LIKE $2 ESCAPE '\\'
                                          OR lower(c.email) LIKE $2 ESCAPE '\\')
                 ORDER BY c.name, c.id LIMIT $3")
            .bind(org).bind(anywhere(word)).bind(CANDIDATES).fetch_all(pool).await)?)
    }

    /// `org`'s deals whose name or company's name holds `word`.
    pub async fn deals_like(&self, org: &OrgId, word: &str) -> Result<Vec<NamedDeal>, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_as(
                "SELECT d.id, d.name, co.name AS company, d.stage, d.owner_user_id, d.contact_id,
                        c.email AS contact_email
                 FROM deals d
                 LEFT JOIN companies co ON co.org_id = d.org_id AND co.id = d.company_id
                 LEFT JOIN contacts c ON c.org_id = d.org_id AND c.id = d.contact_id
                 WHERE d.org_id = $1 AND (lower(d.name) LIKE $2 ESCAPE '\\'
                                          OR lower(co.name) LIKE $2 ESCAPE '\\')
                 ORDER BY d.name, d.id LIMIT $3")
            .bind(org).bind(anywhere(word)).bind(CANDIDATES).fetch_all(pool).await)?)
    }
}
