use super::*;
use baton_store::{EffectId, EffectStatus, JobId, OrgId, UserId};

fn effect(kind: ActionKind) -> Effect {
    Effect {
        id: EffectId::from("e1"),
        org_id: OrgId::from("o1"),
        job_id: JobId::from("j1"),
        user_id: UserId::from("u1"),
        idempotency_key: "k1".into(),
        kind,
        payload: json!({ "payload": { "note": "met" } }),
        status: EffectStatus::Pending,
        not_before: 0,
        attempts: 0,
        last_error: None,
        created_at: 0,
        delivered_at: None,
    }
}

#[tokio::test]
async fn a_kind_nothing_carries_fails_naming_the_setting() {
    // No store (so no CRM-lite) and no webhook: a configuration to fix,
    // which a later attempt may find fixed.
    let nothing = Connectors::default();
    for kind in [ActionKind::CrmUpdate, ActionKind::TaskCreate] {
        let e = nothing
            .route(&effect(kind))
            .await
            .expect_err("nothing carries it");
        assert!(matches!(e, ConnectorError::Config { .. }), "{e:?}");
        assert!(e.to_string().contains("BATON_DELIVERY_URL"), "{e}");
        assert!(e.is_retriable());
    }
}
