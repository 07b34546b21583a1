//! Inbox sessions end with the token they were signed in with.

use baton_tests::server::{Server, Setup, T0};
use baton_tests::service_test;

service_test!(
    a_revoked_tokens_inbox_session_ends_with_it,
    Setup::default(),
    revoked_body
);

async fn revoked_body(s: &Server) {
    let store = s.app.store();
    let (token_id, token) = store
        .create_token(&s.org, "laptop", T0)
        .await
        .expect("token");
    let cookie = s.inbox_login(&token).await;
    let (_, accepted) = s.event("m-revoked").await;
    let job = accepted["job_id"].as_str().expect("job").to_owned();
    let gate = s.open_gate(&job).await;
    let gate_url = s.url(&format!(
        "/inbox/approvals/{}",
        gate["id"].as_str().expect("id")
    ));
    let page = s
        .http
        .get(s.url("/inbox"))
        .header("cookie", &cookie)
        .send()
        .await
        .expect("inbox");
    assert_eq!(page.status().as_u16(), 200);
    let html = page.text().await.expect("html");
    assert!(
        html.contains("<h1>Acme</h1>") && !html.contains("Sign in"),
        "signed in: {html}"
    );

    store
        .revoke_token(&s.org, &token_id, T0)
        .await
        .expect("revoke");
    let r = s
        .http
        .get(s.url("/v1/jobs"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("api");
    assert_eq!(r.status().as_u16(), 401, "the API refuses the token");
    let page = s
        .http
        .get(s.url("/inbox"))
        .header("cookie", &cookie)
        .send()
        .await
        .expect("inbox");
    let html = page.text().await.expect("html");
    assert!(html.contains("Sign in"), "the session ended: {html}");
    let r = s
        .http
        .post(&gate_url)
        .header("cookie", &cookie)
        .form(&[("decision", "approve")])
        .send()
        .await
        .expect("decide");
    assert_eq!(r.status().as_u16(), 401);
    let (_, still) = s
        .get(&format!(
            "/v1/approvals/{}",
            gate["id"].as_str().expect("id")
        ))
        .await;
    assert_eq!(still["status"], "open", "nothing was decided");
}
