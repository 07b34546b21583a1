//! A store's usual first rows: an org with its rep, and a job for them.

use baton_store::{NewJob, OrgId, Row, Store, UserId};

/// The org `acme` with its rep `rep1`.
pub async fn org_and_rep(store: &Store) -> (OrgId, UserId) {
    let org = store
        .upsert_org("acme", "Acme", &serde_json::json!({}))
        .await
        .expect("org");
    let rep = store
        .upsert_user(&org, "rep1", "Dana", "dana@acme.test", "rep")
        .await
        .expect("user");
    (org, rep)
}

/// A `meeting_ended` job for `rep` keyed `key` with `payload`, writing
/// `rows` in its transaction.
pub fn new_job(
    org: &OrgId,
    rep: &UserId,
    key: &str,
    payload: serde_json::Value,
    rows: Vec<Row>,
) -> NewJob {
    NewJob {
        org_id: org.clone(),
        user_id: rep.clone(),
        event_type: "meeting_ended".into(),
        event_source: "test".into(),
        idempotency_key: key.into(),
        parent_job_id: None,
        chain_depth: 0,
        payload,
        sequence_name: "meeting_ended".into(),
        sequence_hash: "h".into(),
        sequence_version: None,
        scheduled_at: 0,
        rows,
    }
}
