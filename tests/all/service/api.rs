//! The API as a client meets it: events accepted once and mistakes
//! answered 4xx with problem documents, tokens scoped to their org,
//! approvals decided once, and the health, metrics and OpenAPI routes.

use baton_tests::server::{Server, Setup, T0};
use baton_tests::{is_problem, service_test};
use serde_json::{Value, json};

service_test!(
    events_are_accepted_once_and_mistakes_are_4xx,
    Setup::default(),
    events_are_accepted_once_and_mistakes_are_4xx_body
);

async fn events_are_accepted_once_and_mistakes_are_4xx_body(s: &Server) {
    let (status, first) = s.event("m-1").await;
    assert_eq!(status, 202, "{first:#}");
    let job = first["job_id"].as_str().expect("job id").to_owned();
    let (status, again) = s.event("m-1").await;
    assert_eq!(status, 200, "a redelivery is not an error: {again:#}");
    assert_eq!(again["outcome"], "duplicate");
    assert_eq!(
        again["job_id"],
        job.as_str(),
        "and names the job already handling it"
    );

    let (status, body) = s.post("/v1/events", json!({ "type": "meeting_ended", "user": "nobody", "payload": { "meeting_id": "m-2" } })).await;
    is_problem(status, &body, 404);
    assert_eq!(body["reason"], "unknown_user");
    let (status, body) = s
        .post(
            "/v1/events",
            json!({ "type": "nope", "user": "rep1", "payload": {} }),
        )
        .await;
    is_problem(status, &body, 422);
    assert_eq!(body["reason"], "unknown_type");
    let (status, body) = s
        .post(
            "/v1/events",
            json!({ "type": "meeting_ended", "user": "rep1", "payload": {}, "colour": 1 }),
        )
        .await;
    is_problem(status, &body, 422);
    assert!(
        body["detail"].as_str().unwrap_or("").contains("colour"),
        "names the field: {body:#}"
    );

    let r = s
        .http
        .post(s.url("/v1/events"))
        .bearer_auth(&s.token)
        .header("content-type", "application/json")
        .body("{\"type\": ")
        .send()
        .await
        .expect("post");
    assert_eq!(r.status().as_u16(), 400);
    assert_eq!(r.headers()["content-type"], "application/problem+json");
    let huge = "x".repeat(2 << 20);
    // The server answers 413 without reading the rest and closes the
    // connection: a client of its own, so no pooled connection is reused.
    let r = reqwest::Client::new()
        .post(s.url("/v1/events"))
        .bearer_auth(&s.token)
        .header("content-type", "application/json")
        .body(huge)
        .send()
        .await
        .expect("post");
    assert_eq!(
        r.status().as_u16(),
        413,
        "bodies over the limit are refused"
    );

    let (status, body) = s.get("/v1/jobs?limit=0").await;
    is_problem(status, &body, 400);
    let (status, body) = s.get("/v1/jobs?status=sideways").await;
    is_problem(status, &body, 400);
    let (status, jobs) = s.get("/v1/jobs").await;
    assert_eq!(status, 200);
    assert_eq!(jobs.as_array().map(Vec::len), Some(1));
    let (status, body) = s.get("/v1/nowhere").await;
    is_problem(status, &body, 404);
}

service_test!(
    tokens_scope_every_route_to_their_org,
    Setup::default(),
    tokens_scope_every_route_to_their_org_body
);

async fn tokens_scope_every_route_to_their_org_body(s: &Server) {
    let (_, first) = s.event("m-1").await;
    let job = first["job_id"].as_str().expect("job").to_owned();
    let gate = s.open_gate(&job).await;
    // A second org with its own token sees none of it.
    let store = s.app.store();
    let other = store
        .upsert_org("globex", "Globex", &json!({}))
        .await
        .expect("org");
    let (_, other_token) = store.create_token(&other, "t", T0).await.expect("token");
    for path in [
        format!("/v1/jobs/{job}"),
        format!("/v1/approvals/{}", gate["id"].as_str().unwrap_or("")),
    ] {
        let r = s
            .http
            .get(s.url(&path))
            .bearer_auth(&other_token)
            .send()
            .await
            .expect("get");
        assert_eq!(r.status().as_u16(), 404, "{path} is another org's");
    }
    let r = s
        .http
        .post(s.url(&format!(
            "/v1/approvals/{}/decision",
            gate["id"].as_str().unwrap_or("")
        )))
        .bearer_auth(&other_token)
        .json(&json!({ "decision": "approved" }))
        .send()
        .await
        .expect("post");
    assert_eq!(r.status().as_u16(), 404, "nor decide its gates");
    let r = s
        .http
        .get(s.url("/v1/jobs"))
        .bearer_auth(&other_token)
        .send()
        .await
        .expect("get");
    assert_eq!(r.json::<Value>().await.expect("json"), json!([]));
    // No token, a bad token, a revoked token.
    let r = s.http.get(s.url("/v1/jobs")).send().await.expect("get");
    assert_eq!(r.status().as_u16(), 401);
    assert_eq!(r.headers()["content-type"], "application/problem+json");
    let r = s
        .http
        .get(s.url("/v1/jobs"))
        .bearer_auth("bt_nope")
        .send()
        .await
        .expect("get");
    assert_eq!(r.status().as_u16(), 401);
    let tokens = store.tokens(&other).await.expect("tokens");
    store
        .revoke_token(&other, &tokens[0].id, T0)
        .await
        .expect("revoke");
    let r = s
        .http
        .get(s.url("/v1/jobs"))
        .bearer_auth(&other_token)
        .send()
        .await
        .expect("get");
    assert_eq!(r.status().as_u16(), 401, "a revoked token is refused");
    // Operator routes are off without BATON_ADMIN_TOKEN.
    let (status, body) = s.get("/v1/admin/orgs").await;
    is_problem(status, &body, 403);
}

service_test!(
    approvals_are_decided_once_over_the_api,
    Setup::default(),
    approvals_are_decided_once_over_the_api_body
);

async fn approvals_are_decided_once_over_the_api_body(s: &Server) {
    let (_, first) = s.event("m-1").await;
    let job = first["job_id"].as_str().expect("job").to_owned();
    let gate = s.open_gate(&job).await;
    let id = gate["id"].as_str().expect("gate id");
    assert_eq!(gate["pattern"], "confirm");
    assert_eq!(
        gate["body"]["actions"][0]["payload"]["subject"],
        "Next steps"
    );
    let path = format!("/v1/approvals/{id}/decision");
    let (status, body) = s
        .post(&path, json!({ "decision": "chosen", "value": 3 }))
        .await;
    is_problem(status, &body, 422);
    let (status, body) = s.post(&path, json!({ "decision": "maybe" })).await;
    is_problem(status, &body, 422);
    let (status, body) = s
        .post(&path, json!({ "decision": "approved", "by": "jordan" }))
        .await;
    assert_eq!(status, 200, "{body:#}");
    assert_eq!(body["status"], "decided");
    let (status, body) = s.post(&path, json!({ "decision": "skipped" })).await;
    is_problem(status, &body, 409);
    assert!(
        body["detail"]
            .as_str()
            .unwrap_or("")
            .contains("already decided by api:tests"),
        "{body:#}"
    );
    // The job goes on; without SMTP configured the email waits in the outbox.
    let done = s.wait_job(&job, |j| j["status"] == "completed").await;
    assert_eq!(done["effects"][0]["kind"], "email_send");
}

service_test!(
    health_metrics_and_the_openapi_document_match_the_router,
    Setup::default(),
    health_metrics_and_the_openapi_document_match_the_router_body
);

async fn health_metrics_and_the_openapi_document_match_the_router_body(s: &Server) {
    let r = s.http.get(s.url("/healthz")).send().await.expect("healthz");
    assert_eq!(r.status().as_u16(), 200);
    let r = s.http.get(s.url("/readyz")).send().await.expect("readyz");
    assert_eq!(r.status().as_u16(), 200);
    s.event("m-1").await;
    s.post(
        "/v1/events",
        json!({ "type": "nope", "user": "rep1", "payload": {} }),
    )
    .await;
    // The metrics name the orgs: not for anyone (issue 38).
    for token in [None, Some("wrong"), Some(s.token.as_str())] {
        let mut r = s.http.get(s.url("/metrics"));
        if let Some(t) = token {
            r = r.bearer_auth(t);
        }
        let r = r.send().await.expect("metrics");
        assert_eq!(r.status().as_u16(), 401, "{token:?}: not the metrics token");
        assert_eq!(r.headers()["content-type"], "application/problem+json");
    }
    let text = s.metrics().await;
    assert!(
        text.contains("baton_events_total{outcome=\"accepted\",reason=\"\"}"),
        "{text}"
    );
    assert!(text.contains("reason=\"unknown_type\""), "{text}");
    assert!(text.contains("baton_approvals_pending"), "{text}");
    assert!(text.contains("baton_outbox_lag_seconds"), "{text}");
    assert!(
        !text.contains("meeting_id") && !text.contains("acme.example"),
        "no customer data in metrics"
    );
    let doc: Value = s
        .http
        .get(s.url("/openapi.json"))
        .send()
        .await
        .expect("doc")
        .json()
        .await
        .expect("json");
    assert_eq!(doc["openapi"], "3.1.0");
    let paths = doc["paths"].as_object().expect("paths");
    assert!(
        paths.len() >= 25,
        "every route is documented ({})",
        paths.len()
    );
    for (path, ops) in paths {
        let concrete = path
            .replace("{id}", "x")
            .replace("{handle}", "rep1")
            .replace("{slug}", "acme")
            .replace("{event_type}", "meeting_ended")
            .replace("{source}", "crm");
        for method in ops.as_object().expect("ops").keys() {
            let req = s.http.request(
                method.to_uppercase().parse().expect("method"),
                s.url(&concrete),
            );
            let r = req.send().await.expect("request");
            let status = r.status().as_u16();
            let body = r.text().await.unwrap_or_default();
            assert!(
                !body.contains("no route for") && status != 405,
                "{method} {path} is documented but not served ({status})"
            );
        }
    }
}

service_test!(
    a_skill_upload_over_the_limit_is_a_413_problem,
    Setup {
        env: baton_tests::server::env(&[("BATON_ADMIN_TOKEN", "admin-413")]),
        ..Setup::default()
    },
    a_skill_upload_over_the_limit_is_a_413_problem_body
);

/// Every route answers in problem+json, the skill upload's own body limit
/// too (issue 38: it was axum's `text/plain`).
async fn a_skill_upload_over_the_limit_is_a_413_problem_body(s: &Server) {
    let huge = vec![0u8; s.app.settings.max_skill_bytes + 1];
    let r = reqwest::Client::new()
        .put(s.url("/v1/admin/skills/trivial"))
        .bearer_auth("admin-413")
        .body(huge)
        .send()
        .await
        .expect("PUT");
    let status = r.status().as_u16();
    assert_eq!(
        r.headers()["content-type"],
        "application/problem+json",
        "a problem document"
    );
    let body: Value = r.json().await.expect("JSON");
    is_problem(status, &body, 413);
}
