//! Orgs, their users (reps), user preferences and per-org feature settings.

use super::{OrgId, Store, StoreError, UserId, new_id, now_ms, on_pool};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// An organisation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Org {
    pub id: OrgId,
    pub slug: String,
    pub name: String,
    pub profile: Value,
}

/// A user of an org (a rep, a manager).
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct User {
    pub id: UserId,
    pub org_id: OrgId,
    pub handle: String,
    pub name: String,
    #[serde(skip)]
    pub email: String,
    pub role: String,
    /// Whom they report to (see `store::reach`).
    #[serde(skip)]
    pub manager_id: Option<UserId>,
}

/// A user's preferences, as the engine keeps them. Minutes are minutes
/// after local midnight in `timezone`. An app keeps its own settings of a
/// user beside these (`Extension::preferences`), in the same row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
#[serde(deny_unknown_fields, default)]
pub struct Preferences {
    pub timezone: String,
    pub working_start_min: i64,
    pub working_end_min: i64,
    pub quiet_start_min: Option<i64>,
    pub quiet_end_min: Option<i64>,
    pub max_notifications_per_hour: i64,
    pub daily_send_cap: i64,
    /// Where the rep's Slack messages go (a member or DM channel id).
    pub slack_channel: Option<String>,
    /// The rep's own Slack user id (`U…`): a click on an approval button
    /// acts only for the rep it names (or their manager's).
    pub slack_user_id: Option<String>,
    /// Appended to every email sent as the rep.
    pub email_signature: Option<String>,
}

impl Default for Preferences {
    fn default() -> Self {
        Preferences {
            timezone: "UTC".into(),
            working_start_min: 9 * 60,
            working_end_min: 18 * 60,
            quiet_start_min: None,
            quiet_end_min: None,
            max_notifications_per_hour: 10,
            daily_send_cap: 50,
            slack_channel: None,
            slack_user_id: None,
            email_signature: None,
        }
    }
}

impl Preferences {
    /// What is wrong with a preferences document whose fields are `keys`
    /// when one is neither the engine's nor among `apps` (the fields the
    /// apps keep): serde's words, naming every field there is.
    pub fn unknown_field<'a>(
        keys: impl IntoIterator<Item = &'a String>,
        apps: &[&str],
    ) -> Option<String> {
        let mut known: Vec<String> = match serde_json::to_value(Preferences::default()) {
            Ok(Value::Object(m)) => m.keys().cloned().collect(),
            _ => Vec::new(),
        };
        known.extend(apps.iter().map(|k| (*k).to_owned()));
        let k = keys.into_iter().find(|k| !known.contains(k))?;
        let all: Vec<String> = known.iter().map(|k| format!("`{k}`")).collect();
        Some(format!(
            "unknown field `{}`, expected one of {}",
            k.escape_debug(),
            all.join(", ")
        ))
    }

    /// What is wrong with `slack_user_id`, if anything: a Slack user id is
    /// letters and digits (`U024BE7LH`), at most 64 characters.
    pub fn slack_user_id_problem(&self) -> Option<String> {
        let id = self.slack_user_id.as_deref()?;
        let fine = !id.is_empty()
            && id.len() <= 64
            && id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        (!fine).then(|| {
            format!(
                "slack_user_id `{}` is not a Slack user id (letters and digits, such as U024BE7LH)",
                id.escape_debug()
            )
        })
    }
}

/// Whether `e` is the store refusing a second rep with the same Slack user
/// id in one org.
pub fn is_taken_slack_user(e: &StoreError) -> bool {
    matches!(e, StoreError::Database(d)
        if d.as_database_error().is_some_and(|d| d.is_unique_violation()))
}

#[derive(sqlx::FromRow)]
struct OrgRow {
    id: OrgId,
    slug: String,
    name: String,
    profile: String,
}

impl OrgRow {
    fn into_org(self) -> Result<Org, StoreError> {
        let profile = serde_json::from_str(&self.profile)
            .map_err(StoreError::json(format!("org {} profile", self.slug)))?;
        Ok(Org {
            id: self.id,
            slug: self.slug,
            name: self.name,
            profile,
        })
    }
}

/// An org, one of its users, their preferences and the org's budget, as
/// read together by [`Store::standing`].
#[derive(Debug, Clone, PartialEq)]
pub struct Standing {
    pub org: Org,
    pub user: Option<User>,
    pub preferences: Preferences,
    /// The monthly budget in micro-dollars, if the org has one.
    pub budget: Option<i64>,
}

/// One row of [`STANDING`]: the org's columns, then the others, each
/// `NULL` where its LEFT JOIN found nothing.
#[derive(sqlx::FromRow)]
struct StandingRow {
    #[sqlx(flatten)]
    org: OrgRow,
    user_id: Option<UserId>,
    handle: Option<String>,
    user_name: Option<String>,
    email: Option<String>,
    role: Option<String>,
    manager_id: Option<UserId>,
    timezone: Option<String>,
    working_start_min: Option<i64>,
    working_end_min: Option<i64>,
    quiet_start_min: Option<i64>,
    quiet_end_min: Option<i64>,
    max_notifications_per_hour: Option<i64>,
    daily_send_cap: Option<i64>,
    slack_channel: Option<String>,
    email_signature: Option<String>,
    slack_user_id: Option<String>,
    budget: Option<i64>,
}

impl StandingRow {
    fn into_standing(self) -> Result<Standing, StoreError> {
        let user = match (
            self.user_id,
            self.handle,
            self.user_name,
            self.email,
            self.role,
        ) {
            (Some(id), Some(handle), Some(name), Some(email), Some(role)) => Some(User {
                id,
                org_id: self.org.id.clone(),
                handle,
                name,
                email,
                role,
                manager_id: self.manager_id,
            }),
            _ => None,
        };
        // `timezone` is NOT NULL: a user with a preferences row has one.
        let preferences = match self.timezone {
            Some(timezone) => {
                let d = Preferences::default();
                Preferences {
                    timezone,
                    working_start_min: self.working_start_min.unwrap_or(d.working_start_min),
                    working_end_min: self.working_end_min.unwrap_or(d.working_end_min),
                    quiet_start_min: self.quiet_start_min,
                    quiet_end_min: self.quiet_end_min,
                    max_notifications_per_hour: self
                        .max_notifications_per_hour
                        .unwrap_or(d.max_notifications_per_hour),
                    daily_send_cap: self.daily_send_cap.unwrap_or(d.daily_send_cap),
                    slack_channel: self.slack_channel,
                    slack_user_id: self.slack_user_id,
                    email_signature: self.email_signature,
                }
            }
            None => Preferences::default(),
        };
        Ok(Standing {
            org: self.org.into_org()?,
            user,
            preferences,
            budget: self.budget,
        })
    }
}

const STANDING: &str = "SELECT o.id, o.slug, o.name, o.profile,
        u.id AS user_id, u.handle, u.name AS user_name, u.email, u.role, u.manager_id,
        p.timezone, p.working_start_min, p.working_end_min, p.quiet_start_min, p.quiet_end_min,
        p.max_notifications_per_hour, p.daily_send_cap, p.slack_channel, p.email_signature,
        p.slack_user_id, b.limit_micros AS budget
     FROM orgs o
     LEFT JOIN users u ON u.org_id = o.id AND u.id = $2
     LEFT JOIN user_preferences p ON p.org_id = o.id AND p.user_id = $2
     LEFT JOIN org_budgets b ON b.org_id = o.id AND b.period = $3
     WHERE o.id = $1";

const UPSERT_ORG: &str =
    "INSERT INTO orgs (id, slug, name, profile, created_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (slug) DO UPDATE SET name = excluded.name, profile = excluded.profile
     RETURNING id";
const ORG_BY_SLUG: &str = "SELECT id, slug, name, profile FROM orgs WHERE slug = $1";
const UPSERT_USER: &str = "INSERT INTO users (id, org_id, handle, name, email, role, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (org_id, handle) DO UPDATE SET name = excluded.name, email = excluded.email, role = excluded.role
     RETURNING id";
const USER_BY_HANDLE: &str = "SELECT id, org_id, handle, name, email, role, manager_id FROM users WHERE org_id = $1 AND handle = $2";
const SET_PREFERENCES: &str = "INSERT INTO user_preferences (user_id, org_id, timezone, working_start_min, working_end_min,
        quiet_start_min, quiet_end_min, max_notifications_per_hour, daily_send_cap, slack_channel, email_signature, slack_user_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
     ON CONFLICT (user_id) DO UPDATE SET timezone = excluded.timezone,
        working_start_min = excluded.working_start_min, working_end_min = excluded.working_end_min,
        quiet_start_min = excluded.quiet_start_min, quiet_end_min = excluded.quiet_end_min,
        max_notifications_per_hour = excluded.max_notifications_per_hour,
        daily_send_cap = excluded.daily_send_cap,
        slack_channel = excluded.slack_channel, email_signature = excluded.email_signature,
        slack_user_id = excluded.slack_user_id";
const PREFERENCES: &str =
    "SELECT timezone, working_start_min, working_end_min, quiet_start_min, quiet_end_min,
        max_notifications_per_hour, daily_send_cap, slack_channel, email_signature, slack_user_id
     FROM user_preferences WHERE org_id = $1 AND user_id = $2";

impl Store {
    /// Create the org `slug`, or update its name and profile.
    pub async fn upsert_org(
        &self,
        slug: &str,
        name: &str,
        profile: &Value,
    ) -> Result<OrgId, StoreError> {
        let (id, profile, now) = (new_id(), profile.to_string(), now_ms());
        let id: OrgId = on_pool!(self, pool => sqlx::query_scalar(UPSERT_ORG)
            .bind(&id).bind(slug).bind(name).bind(&profile).bind(now)
            .fetch_one(pool).await)?;
        Ok(id)
    }

    /// The org with this slug.
    pub async fn org_by_slug(&self, slug: &str) -> Result<Option<Org>, StoreError> {
        let row: Option<OrgRow> = on_pool!(self, pool => sqlx::query_as(ORG_BY_SLUG)
            .bind(slug).fetch_optional(pool).await)?;
        row.map(OrgRow::into_org).transpose()
    }

    /// Create the user `handle` in `org`, or update them.
    pub async fn upsert_user(
        &self,
        org: &OrgId,
        handle: &str,
        name: &str,
        email: &str,
        role: &str,
    ) -> Result<UserId, StoreError> {
        let (id, now) = (new_id(), now_ms());
        let id: UserId = on_pool!(self, pool => sqlx::query_scalar(UPSERT_USER)
            .bind(&id).bind(org).bind(handle).bind(name).bind(email).bind(role).bind(now)
            .fetch_one(pool).await)?;
        Ok(id)
    }

    /// The user `handle` of `org`.
    pub async fn user_by_handle(
        &self,
        org: &OrgId,
        handle: &str,
    ) -> Result<Option<User>, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_as(USER_BY_HANDLE)
            .bind(org).bind(handle).fetch_optional(pool).await)?)
    }

    /// Replace a user's preferences (the engine's; an app's are its own).
    pub async fn set_preferences(
        &self,
        org: &OrgId,
        user: &UserId,
        p: &Preferences,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => sqlx::query(SET_PREFERENCES)
            .bind(user).bind(org).bind(&p.timezone).bind(p.working_start_min).bind(p.working_end_min)
            .bind(p.quiet_start_min).bind(p.quiet_end_min).bind(p.max_notifications_per_hour)
            .bind(p.daily_send_cap)
            .bind(&p.slack_channel).bind(&p.email_signature)
            .bind(&p.slack_user_id)
            .execute(pool).await.map(drop))?;
        Ok(())
    }

    /// A user's preferences (the defaults if none were set).
    pub async fn preferences(&self, org: &OrgId, user: &UserId) -> Result<Preferences, StoreError> {
        let row: Option<Preferences> = on_pool!(self, pool => sqlx::query_as(PREFERENCES)
            .bind(org).bind(user).fetch_optional(pool).await)?;
        Ok(row.unwrap_or_default())
    }

    /// `org`, its user `user` (`None` if not theirs), the user's
    /// preferences (the defaults if none were set) and the org's monthly
    /// budget, read in one statement: what a job's context needs of them
    /// (`None`: no such org).
    pub async fn standing(
        &self,
        org: &OrgId,
        user: &UserId,
    ) -> Result<Option<Standing>, StoreError> {
        let row: Option<StandingRow> = on_pool!(self, pool => sqlx::query_as(STANDING)
            .bind(org).bind(user).bind(super::ledger::MONTHLY).fetch_optional(pool).await)?;
        row.map(StandingRow::into_standing).transpose()
    }

    /// Event types disabled for `org`.
    pub async fn disabled_features(&self, org: &OrgId) -> Result<Vec<String>, StoreError> {
        let sql = "SELECT event_type FROM org_features WHERE org_id = $1 AND enabled = $2 ORDER BY event_type";
        Ok(
            on_pool!(self, pool => sqlx::query_scalar(sql).bind(org).bind(false).fetch_all(pool).await)?,
        )
    }

    /// Enable or disable an event type for an org.
    pub async fn set_feature(
        &self,
        org: &OrgId,
        event_type: &str,
        enabled: bool,
    ) -> Result<(), StoreError> {
        let sql = "INSERT INTO org_features (org_id, event_type, enabled) VALUES ($1, $2, $3)
                   ON CONFLICT (org_id, event_type) DO UPDATE SET enabled = excluded.enabled";
        on_pool!(self, pool => sqlx::query(sql).bind(org).bind(event_type).bind(enabled).execute(pool).await.map(drop))?;
        Ok(())
    }

    /// Whether an event type is enabled for an org (`None`: never set).
    pub async fn feature(&self, org: &OrgId, event_type: &str) -> Result<Option<bool>, StoreError> {
        let sql = "SELECT enabled FROM org_features WHERE org_id = $1 AND event_type = $2";
        Ok(
            on_pool!(self, pool => sqlx::query_scalar(sql).bind(org).bind(event_type).fetch_optional(pool).await)?,
        )
    }

    /// The org with this id.
    pub async fn org(&self, id: &OrgId) -> Result<Option<Org>, StoreError> {
        let row: Option<OrgRow> = on_pool!(self, pool => sqlx::query_as(
                "SELECT id, slug, name, profile FROM orgs WHERE id = $1")
            .bind(id).fetch_optional(pool).await)?;
        row.map(OrgRow::into_org).transpose()
    }

    /// Every org, by slug.
    pub async fn orgs(&self) -> Result<Vec<Org>, StoreError> {
        let rows: Vec<OrgRow> = on_pool!(self, pool => sqlx::query_as(
                "SELECT id, slug, name, profile FROM orgs ORDER BY slug")
            .fetch_all(pool).await)?;
        rows.into_iter().map(OrgRow::into_org).collect()
    }

    /// The user with this id in `org`.
    pub async fn user(&self, org: &OrgId, id: &UserId) -> Result<Option<User>, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_as(
                "SELECT id, org_id, handle, name, email, role, manager_id FROM users WHERE org_id = $1 AND id = $2")
            .bind(org).bind(id).fetch_optional(pool).await)?)
    }

    /// The users of `org`, by handle.
    pub async fn users(&self, org: &OrgId) -> Result<Vec<User>, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_as(
                "SELECT id, org_id, handle, name, email, role, manager_id FROM users WHERE org_id = $1 ORDER BY handle")
            .bind(org).fetch_all(pool).await)?)
    }

    /// Every user whose email is `email` (case-insensitive), across orgs:
    /// a mailbox push names only the address.
    pub async fn users_by_email(&self, email: &str) -> Result<Vec<User>, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_as(
                "SELECT id, org_id, handle, name, email, role, manager_id FROM users WHERE lower(email) = lower($1)
                 ORDER BY org_id, handle")
            .bind(email).fetch_all(pool).await)?)
    }
}
