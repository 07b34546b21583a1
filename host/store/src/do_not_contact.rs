//! Do-not-contact: addresses that asked not to be emailed (an unsubscribe,
//! an opt-out, a data-deletion request). Keyed by the lowercased address, so
//! a sender no contact record names is covered as well.
//!
//! Flagging an address, in the same transaction: every email to it still
//! waiting in the outbox (inside its undo window, or between retries) is
//! cancelled, and every open gate holding a draft to it expires at once, so
//! its step is skipped (or its sequence cancelled) by the usual expiry rule.

use super::vocab::{ActionKind, kind_of};
use super::{JobId, OrgId, Store, StoreError, on_pool};
use crate::address::{address_key, emailed_by};
use serde::Serialize;
use serde_json::Value;

/// An address on the do-not-contact list.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct Suppression {
    pub email: String,
    pub reason: String,
    /// The job that flagged it, if a job did.
    pub job_id: Option<JobId>,
    pub created_at: i64,
}

/// An address to flag, from a job's checkpoint.
#[derive(Debug, Clone, PartialEq)]
pub struct NewSuppression {
    pub email: String,
    pub reason: String,
}

/// What flagging an address stopped.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Flagged {
    /// Queued emails to the address that were cancelled.
    pub emails_cancelled: u64,
    /// Open gates holding a draft to the address that were expired.
    pub drafts_withdrawn: u64,
}

/// The outbox's pending effects of `$1` that may email someone.
pub(crate) static QUEUED_EMAILS: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    format!(
        "SELECT id, kind, payload FROM outbox
         WHERE org_id = $1 AND kind IN ({}) AND status = 'pending'",
        crate::vocab::sql_list(&ActionKind::MAY_EMAIL)
    )
});

/// Whether an outbox row (its kind and payload, `{preview, payload}`)
/// emails `email` ([`ActionKind::sends_email`]).
pub(crate) fn effect_emails(kind: &str, effect_payload: &str, email: &str) -> bool {
    let Some(kind) = ActionKind::parse(kind) else {
        return false;
    };
    serde_json::from_str::<Value>(effect_payload)
        .map(|p| emailed_by(kind, &p["payload"]).iter().any(|a| a == email))
        .unwrap_or(false)
}

/// Whether an open gate's body (`{data, actions: [{kind, payload}]}`) holds
/// an email to `email`.
pub(crate) fn gate_emails(body: &str, email: &str) -> bool {
    let Ok(body) = serde_json::from_str::<Value>(body) else {
        return false;
    };
    body["actions"].as_array().is_some_and(|actions| {
        actions.iter().any(|a| {
            kind_of(a).is_some_and(|k| emailed_by(k, &a["payload"]).iter().any(|r| r == email))
        })
    })
}

/// Flag `$s` (a [`NewSuppression`] with a keyed address) for `$org` inside
/// transaction `$tx`; evaluates to the [`Flagged`] counts.
macro_rules! flag_in_tx {
    ($tx:expr, $org:expr, $s:expr, $job:expr, $now:expr) => {{
        sqlx::query(
            "INSERT INTO do_not_contact (org_id, email, reason, job_id, created_at)
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (org_id, email) DO NOTHING",
        )
        .bind($org)
        .bind($crate::text::storable(&$s.email))
        .bind($crate::text::storable(&$s.reason))
        .bind($job)
        .bind($now)
        .execute(&mut *$tx)
        .await?;
        let mut flagged = $crate::Flagged::default();
        let queued: Vec<($crate::EffectId, String, String)> =
            sqlx::query_as($crate::do_not_contact::QUEUED_EMAILS.as_str())
                .bind($org)
                .fetch_all(&mut *$tx)
                .await?;
        for (id, kind, payload) in queued {
            if $crate::do_not_contact::effect_emails(&kind, &payload, &$s.email) {
                flagged.emails_cancelled += sqlx::query(
                    "UPDATE outbox SET status = 'cancelled', last_error = $3
                     WHERE org_id = $1 AND id = $2 AND status = 'pending'",
                )
                .bind($org)
                .bind(&id)
                .bind("cancelled: the recipient is on the do-not-contact list")
                .execute(&mut *$tx)
                .await?
                .rows_affected();
            }
        }
        let open: Vec<($crate::GateId, String)> = sqlx::query_as(
            "SELECT id, body FROM pending_actions WHERE org_id = $1 AND status = 'open'",
        )
        .bind($org)
        .fetch_all(&mut *$tx)
        .await?;
        for (id, body) in open {
            if $crate::do_not_contact::gate_emails(&body, &$s.email) {
                flagged.drafts_withdrawn += sqlx::query(
                    "UPDATE pending_actions SET expires_at = $3
                     WHERE org_id = $1 AND id = $2 AND status = 'open'",
                )
                .bind($org)
                .bind(&id)
                .bind($now)
                .execute(&mut *$tx)
                .await?
                .rows_affected();
            }
        }
        flagged
    }};
}
pub(crate) use flag_in_tx;

impl Store {
    /// Put `email` on `org`'s do-not-contact list (if it is not there yet)
    /// and stop what is queued to it. `reason` is shown to reps.
    pub async fn flag_do_not_contact(
        &self,
        org: &OrgId,
        email: &str,
        reason: &str,
        now: i64,
    ) -> Result<Flagged, StoreError> {
        let s = NewSuppression {
            email: address_key(email)
                .ok_or_else(|| StoreError::Corrupt(format!("`{email}` is not an email address")))?,
            reason: reason.to_owned(),
        };
        let flagged = on_pool!(self, pool => async {
            let mut tx = pool.begin().await?;
            let job: Option<&JobId> = None;
            let flagged = flag_in_tx!(tx, org, s, job, now);
            tx.commit().await?;
            Ok::<_, sqlx::Error>(flagged)
        }.await)?;
        Ok(flagged)
    }

    /// The entries for those of `emails` that are on `org`'s list.
    pub async fn do_not_contact(
        &self,
        org: &OrgId,
        emails: &[String],
    ) -> Result<Vec<Suppression>, StoreError> {
        let mut out = Vec::new();
        for email in emails.iter().filter_map(|e| address_key(e)) {
            let row: Option<Suppression> = on_pool!(self, pool => sqlx::query_as(
                    "SELECT email, reason, job_id, created_at FROM do_not_contact
                     WHERE org_id = $1 AND email = $2")
                .bind(org).bind(&email).fetch_optional(pool).await)?;
            out.extend(row);
        }
        Ok(out)
    }

    /// `org`'s whole list, newest first.
    pub async fn do_not_contact_list(&self, org: &OrgId) -> Result<Vec<Suppression>, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_as(
                "SELECT email, reason, job_id, created_at FROM do_not_contact
                 WHERE org_id = $1 ORDER BY created_at DESC, email")
            .bind(org).fetch_all(pool).await)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn gates_and_effects_count_only_their_emails() {
        let gate = json!({ "actions": [
            { "kind": "task_create", "payload": { "to": "x@a.example" } },
            { "kind": "email_send", "payload": { "to": "y@a.example" } },
        ]})
        .to_string();
        assert!(gate_emails(&gate, "y@a.example"));
        assert!(!gate_emails(&gate, "x@a.example"), "only emails count");
        let effect = json!({ "preview": "p", "payload": { "to": "y@a.example" } }).to_string();
        assert!(effect_emails("email_send", &effect, "y@a.example"));
        assert!(!effect_emails("email_send", &effect, "x@a.example"));
        // Which kinds send email, and when, is ActionKind::sends_email's
        // (baton-types); every kind that may is read from the gate.
        for kind in ActionKind::MAY_EMAIL {
            let gate =
                json!({ "actions": [{ "kind": kind, "payload": { "to": ["z@a.example"] } }] })
                    .to_string();
            assert!(gate_emails(&gate, "z@a.example"), "{kind}");
            let queued =
                json!({ "preview": "p", "payload": { "to": ["z@a.example"] } }).to_string();
            assert!(
                effect_emails(kind.as_str(), &queued, "z@a.example"),
                "{kind}"
            );
        }
    }
}
