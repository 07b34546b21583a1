//! CRM-lite: companies, contacts, deals and their activity history, enough
//! for a fresh install to work end to end. Outside CRMs plug in as context
//! providers instead.

pub use super::deal_change::DealChange;
use baton_store::rows::{Param, Row};
use baton_store::{OrgId, Store, StoreError, UserId, new_id, on_pool};
use baton_types::task::TaskAbout;
use serde::Serialize;
use serde_json::Value;

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
    /// What the rep does next, as last approved.
    pub next_step: Option<String>,
    /// Competitors the prospect named.
    #[sqlx(try_from = "String")]
    pub competitors: Names,
    /// Roles or people who have a say in the decision.
    #[sqlx(try_from = "String")]
    pub stakeholders: Names,
    /// When the prospect said they would decide or start.
    pub timeline: Option<String>,
    /// `positive` or `at_risk`, from what the prospect said about budget.
    pub budget_signal: Option<String>,
}

/// The columns a [`Deal`] is read from (qualified by `d.`-less names).
pub(super) const DEAL_COLUMNS: &str =
    "id, company_id, contact_id, owner_user_id, name, stage, amount_cents, currency,
    close_date, next_step, competitors, stakeholders, timeline, budget_signal";

/// A list of names stored as a JSON array in a text column.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(transparent)]
pub struct Names(pub Vec<String>);

impl TryFrom<String> for Names {
    type Error = serde_json::Error;
    fn try_from(s: String) -> Result<Names, serde_json::Error> {
        serde_json::from_str(&s).map(Names)
    }
}

/// A task owed by a rep, from an approved `task_create`.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct Task {
    pub id: String,
    pub user_id: Option<UserId>,
    pub deal_id: Option<String>,
    pub contact_id: Option<String>,
    pub title: String,
    /// `YYYY-MM-DD`.
    pub due_date: Option<String>,
    /// `open` or `done`.
    pub status: String,
    pub created_at: i64,
    /// What the task is for, when the skill that proposed it knew
    /// (`proposal`, `meeting_times`, `content`: [`TaskAbout`]).
    pub about: Option<String>,
    /// When it was closed (Unix ms), for a `done` task closed by baton.
    pub done_at: Option<i64>,
}

/// Fields of a new task; `source_key` (the effect's idempotency key) makes
/// a redelivery add nothing.
#[derive(Debug, Clone, Default)]
pub struct NewTask<'a> {
    pub user: Option<&'a UserId>,
    pub deal_id: Option<&'a str>,
    pub contact_id: Option<&'a str>,
    pub title: &'a str,
    pub due_date: Option<&'a str>,
    pub source_key: &'a str,
    /// What it is for, when the proposing skill said.
    pub about: Option<TaskAbout>,
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

/// An activity as a row to write in another write's transaction; the same
/// one written twice is kept once (`activities_natural`).
pub fn activity_row(org: &OrgId, a: &NewActivity<'_>) -> Row {
    let text = |s: Option<&str>| Param::Text(s.map(str::to_owned));
    Row {
        statement: "INSERT INTO activities (id, org_id, deal_id, contact_id, user_id, kind, summary, occurred_at)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                    ON CONFLICT DO NOTHING",
        values: vec![
            new_id().into(),
            org.as_str().into(),
            text(a.deal_id),
            text(a.contact_id),
            text(a.user.map(UserId::as_str)),
            a.kind.into(),
            a.summary.into(),
            a.occurred_at.into(),
        ],
    }
}

/// A deal field's value a change was drafted against (as a [`Deal`]
/// serialises it).
#[derive(Debug, Clone, PartialEq)]
pub struct Expected {
    pub column: &'static str,
    pub seen: Value,
}

/// A field that moved since a change was drafted.
#[derive(Debug, Clone, PartialEq)]
pub struct Moved {
    pub column: &'static str,
    /// What the draft saw, and what the deal holds now.
    pub seen: Value,
    pub now: Value,
}

/// The first field in `expected` that holds neither what was seen nor
/// what its change sets.
fn moved(deal: &Deal, changes: &[DealChange], expected: &[Expected]) -> Option<Moved> {
    let current = serde_json::to_value(deal).ok()?;
    expected.iter().find_map(|e| {
        let now = current.get(e.column).cloned().unwrap_or(Value::Null);
        let set = changes
            .iter()
            .find(|c| c.column() == e.column)
            .map(DealChange::value);
        (now != e.seen && Some(&now) != set.as_ref()).then(|| Moved {
            column: e.column,
            seen: e.seen.clone(),
            now,
        })
    })
}

/// An activity as read back.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct Activity {
    pub kind: String,
    pub summary: String,
    /// Unix ms.
    pub occurred_at: i64,
}

/// Stages that are over: a closed deal is never stale.
const CLOSED_STAGES: &str = "'closed_won', 'closed_lost'";

#[easy_ext::ext(CrmTables)]
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

    /// Create the deal `name` in `org` at `now`, or update it; returns its
    /// id.
    pub async fn insert_deal(
        &self,
        org: &OrgId,
        deal: &NewDeal<'_>,
        now: i64,
    ) -> Result<String, StoreError> {
        let sql = "INSERT INTO deals (id, org_id, company_id, contact_id, owner_user_id, name, stage, amount_cents,
                       currency, close_date, created_at)
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
                   ON CONFLICT (org_id, name) DO UPDATE SET company_id = excluded.company_id,
                       contact_id = excluded.contact_id, owner_user_id = excluded.owner_user_id,
                       stage = excluded.stage, amount_cents = excluded.amount_cents,
                       currency = excluded.currency, close_date = excluded.close_date
                   RETURNING id";
        let id = new_id();
        Ok(on_pool!(self, pool => sqlx::query_scalar(sql)
            .bind(&id).bind(org).bind(deal.company_id).bind(deal.contact_id).bind(deal.owner)
            .bind(deal.name).bind(deal.stage).bind(deal.amount_cents).bind(deal.currency).bind(deal.close_date)
            .bind(now).fetch_one(pool).await)?)
    }

    /// The deals `owner` holds in `org`.
    pub async fn deals_of(&self, org: &OrgId, owner: &UserId) -> Result<Vec<Deal>, StoreError> {
        let sql = format!(
            "SELECT {DEAL_COLUMNS} FROM deals WHERE org_id = $1 AND owner_user_id = $2 ORDER BY name"
        );
        Ok(
            on_pool!(self, pool => sqlx::query_as(&sql).bind(org).bind(owner).fetch_all(pool).await)?,
        )
    }

    /// One deal of `org`.
    pub async fn deal(&self, org: &OrgId, id: &str) -> Result<Option<Deal>, StoreError> {
        let sql = format!("SELECT {DEAL_COLUMNS} FROM deals WHERE org_id = $1 AND id = $2");
        Ok(
            on_pool!(self, pool => sqlx::query_as(&sql).bind(org).bind(id).fetch_optional(pool).await)?,
        )
    }

    /// The deal of `org` named `name` (deals are unique by name).
    pub async fn deal_named(&self, org: &OrgId, name: &str) -> Result<Option<Deal>, StoreError> {
        let sql = format!("SELECT {DEAL_COLUMNS} FROM deals WHERE org_id = $1 AND name = $2");
        Ok(
            on_pool!(self, pool => sqlx::query_as(&sql).bind(org).bind(name).fetch_optional(pool).await)?,
        )
    }

    /// Apply one approved change to a deal; `false` when `org` has no such
    /// deal. Setting a field to what it holds changes nothing, so a
    /// redelivery is harmless.
    pub async fn update_deal(
        &self,
        org: &OrgId,
        id: &str,
        change: &DealChange,
        now: i64,
    ) -> Result<bool, StoreError> {
        let applied = self
            .update_deal_if(org, id, std::slice::from_ref(change), &[], now)
            .await?;
        Ok(applied.unwrap_or(false))
    }

    /// Apply approved `changes` to a deal in one transaction, if each field
    /// in `expected` still holds the value the change was drafted against
    /// (or already holds the change's own value: a redelivery). `Ok(Err)`
    /// names the first field that moved, and nothing is applied;
    /// `Ok(Ok(false))` when `org` has no such deal.
    pub async fn update_deal_if(
        &self,
        org: &OrgId,
        id: &str,
        changes: &[DealChange],
        expected: &[Expected],
        now: i64,
    ) -> Result<Result<bool, Moved>, StoreError> {
        let select = format!("SELECT {DEAL_COLUMNS} FROM deals WHERE org_id = $1 AND id = $2");
        let names = |n: &Vec<String>| serde_json::to_string(n).unwrap_or_else(|_| "[]".into());
        Ok(on_pool!(self, pool => async {
            let mut tx = pool.begin().await?;
            // The row is held from here to the commit (a row lock on
            // Postgres, the write lock on SQLite), so the check and the
            // change see the same deal.
            let held = sqlx::query("UPDATE deals SET updated_at = updated_at WHERE org_id = $1 AND id = $2")
                .bind(org).bind(id).execute(&mut *tx).await?.rows_affected();
            if held == 0 {
                return Ok::<_, sqlx::Error>(Ok(false));
            }
            let deal: Deal = sqlx::query_as(&select).bind(org).bind(id).fetch_one(&mut *tx).await?;
            if let Some(moved) = moved(&deal, changes, expected) {
                tx.rollback().await?;
                return Ok(Err(moved));
            }
            for change in changes {
                let sql = format!(
                    "UPDATE deals SET {} = $1, updated_at = $2 WHERE org_id = $3 AND id = $4",
                    change.column()
                );
                let q = sqlx::query(&sql);
                let q = match change {
                    DealChange::AmountCents(v) => q.bind(Some(*v)),
                    DealChange::Competitors(v) | DealChange::Stakeholders(v) => q.bind(names(v)),
                    DealChange::Stage(v)
                    | DealChange::NextStep(v)
                    | DealChange::CloseDate(v)
                    | DealChange::Timeline(v)
                    | DealChange::BudgetSignal(v) => q.bind(v.clone()),
                };
                q.bind(now).bind(org).bind(id).execute(&mut *tx).await?;
            }
            tx.commit().await?;
            Ok(Ok(true))
        }.await)?)
    }

    /// Record a task; the same `source_key` recorded twice is kept once.
    /// Returns the task's id.
    pub async fn insert_task(
        &self,
        org: &OrgId,
        t: &NewTask<'_>,
        now: i64,
    ) -> Result<String, StoreError> {
        let sql = "INSERT INTO tasks (id, org_id, user_id, deal_id, contact_id, title, due_date, source_key, created_at, about)
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                   ON CONFLICT (org_id, source_key) DO UPDATE SET title = tasks.title
                   RETURNING id";
        let id = new_id();
        let about = t.about.map(TaskAbout::as_str);
        Ok(on_pool!(self, pool => sqlx::query_scalar(sql)
            .bind(&id).bind(org).bind(t.user).bind(t.deal_id).bind(t.contact_id).bind(t.title)
            .bind(t.due_date).bind(t.source_key).bind(now).bind(about).fetch_one(pool).await)?)
    }

    /// Close `deal`'s open tasks for `about` (the thing they ask for was
    /// done: a proposal sent or accepted closes its "send the proposal"
    /// tasks). Returns how many were closed; closing twice closes nothing.
    pub async fn close_tasks_about(
        &self,
        org: &OrgId,
        deal_id: &str,
        about: TaskAbout,
        now: i64,
    ) -> Result<u64, StoreError> {
        let sql = "UPDATE tasks SET status = 'done', done_at = $4
                   WHERE org_id = $1 AND deal_id = $2 AND about = $3 AND status = 'open'";
        Ok(on_pool!(self, pool => sqlx::query(sql)
            .bind(org).bind(deal_id).bind(about.as_str()).bind(now)
            .execute(pool).await.map(|r| r.rows_affected()))?)
    }

    /// The tasks on a deal, oldest first.
    pub async fn deal_tasks(&self, org: &OrgId, deal_id: &str) -> Result<Vec<Task>, StoreError> {
        let sql = "SELECT id, user_id, deal_id, contact_id, title, due_date, status, created_at, about, done_at
                   FROM tasks WHERE org_id = $1 AND deal_id = $2 ORDER BY created_at, id";
        Ok(
            on_pool!(self, pool => sqlx::query_as(sql).bind(org).bind(deal_id).fetch_all(pool).await)?,
        )
    }

    /// The contact of `org` with address `email` (case-insensitive).
    pub async fn contact_by_email(
        &self,
        org: &OrgId,
        email: &str,
    ) -> Result<Option<Contact>, StoreError> {
        let sql = "SELECT id, company_id, name, email, title FROM contacts
                   WHERE org_id = $1 AND lower(email) = lower($2) ORDER BY id LIMIT 1";
        Ok(
            on_pool!(self, pool => sqlx::query_as(sql).bind(org).bind(email).fetch_optional(pool).await)?,
        )
    }

    /// The newest open deal of a contact, if any.
    pub async fn open_deal_of_contact(
        &self,
        org: &OrgId,
        contact_id: &str,
    ) -> Result<Option<Deal>, StoreError> {
        let sql = format!(
            "SELECT {DEAL_COLUMNS} FROM deals WHERE org_id = $1 AND contact_id = $2
             AND stage NOT IN ({CLOSED_STAGES}) ORDER BY created_at DESC, id LIMIT 1"
        );
        Ok(
            on_pool!(self, pool => sqlx::query_as(&sql).bind(org).bind(contact_id).fetch_optional(pool).await)?,
        )
    }

    /// Record an activity; the same one recorded twice is kept once.
    pub async fn insert_activity(
        &self,
        org: &OrgId,
        a: &NewActivity<'_>,
    ) -> Result<(), StoreError> {
        self.write_rows(&[activity_row(org, a)]).await
    }

    /// The newest `limit` activities on `deal`, newest first.
    pub async fn deal_activities(
        &self,
        org: &OrgId,
        deal: &str,
        limit: i64,
    ) -> Result<Vec<Activity>, StoreError> {
        let sql = "SELECT kind, summary, occurred_at FROM activities
                   WHERE org_id = $1 AND deal_id = $2 ORDER BY occurred_at DESC, id DESC LIMIT $3";
        Ok(on_pool!(self, pool => sqlx::query_as(sql)
            .bind(org).bind(deal).bind(limit).fetch_all(pool).await)?)
    }

    /// The newest activity on `deal` or with `contact` after `after`
    /// (Unix ms), of `kind` if given.
    pub async fn activity_after(
        &self,
        org: &OrgId,
        deal: Option<&str>,
        contact: Option<&str>,
        after: i64,
        kind: Option<&str>,
    ) -> Result<Option<Activity>, StoreError> {
        let sql = "SELECT kind, summary, occurred_at FROM activities
                   WHERE org_id = $1 AND (deal_id = $2 OR contact_id = $3) AND occurred_at > $4
                     AND ($5 IS NULL OR kind = $5)
                   ORDER BY occurred_at DESC, id LIMIT 1";
        Ok(on_pool!(self, pool => sqlx::query_as(sql)
            .bind(org).bind(deal).bind(contact).bind(after).bind(kind)
            .fetch_optional(pool).await)?)
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
