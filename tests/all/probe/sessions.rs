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

service_test!(
    another_site_cannot_post_to_the_inbox_and_pages_keep_out_of_frames,
    Setup::default(),
    cross_site_body
);

/// The inbox does not rely on `SameSite` alone (issue 38): a form posted
/// from another site is refused before it is read, sign-in included, and
/// the pages carry headers that keep them out of frames and caches.
async fn cross_site_body(s: &Server) {
    let cookie = s.rep_login().await;
    let (_, accepted) = s.event("m-csrf").await;
    let job = accepted["job_id"].as_str().expect("job").to_owned();
    let gate = s.open_gate(&job).await;
    let id = gate["id"].as_str().expect("id");
    let post = |origin: Option<&'static str>, site: Option<&'static str>| {
        let mut r = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client")
            .post(s.url(&format!("/inbox/approvals/{id}")))
            .header("cookie", &cookie)
            .form(&[("decision", "skip")]);
        if let Some(o) = origin {
            r = r.header("origin", o);
        }
        if let Some(f) = site {
            r = r.header("sec-fetch-site", f);
        }
        r.send()
    };
    for (origin, site) in [
        (Some("https://evil.example"), None),
        (Some("null"), None),
        (None, Some("cross-site")),
    ] {
        let r = post(origin, site).await.expect("post");
        assert_eq!(r.status().as_u16(), 403, "{origin:?} {site:?}");
        let (_, g) = s.get(&format!("/v1/approvals/{id}")).await;
        assert_eq!(g["status"], "open", "nothing decided from another site");
    }
    let login = reqwest::Client::new()
        .post(s.url("/inbox/login"))
        .header("origin", "https://evil.example")
        .form(&[("token", s.token.as_str())])
        .send()
        .await
        .expect("login");
    assert_eq!(login.status().as_u16(), 403, "no sign-in from another site");
    assert!(login.headers().get("set-cookie").is_none());
    // From the inbox itself (the browser's Origin is the host it asked).
    let own = s.base.clone();
    let r = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
        .post(s.url(&format!("/inbox/approvals/{id}")))
        .header("cookie", &cookie)
        .header("origin", own)
        .header("sec-fetch-site", "same-origin")
        .form(&[("decision", "skip")])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status().as_u16(), 303, "the rep's own form is taken");

    let page = s
        .http
        .get(s.url("/inbox"))
        .header("cookie", &cookie)
        .send()
        .await
        .expect("inbox");
    let h = page.headers();
    assert_eq!(h["x-frame-options"], "DENY");
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["cache-control"], "no-store");
    let csp = h["content-security-policy"].to_str().expect("csp");
    assert!(
        csp.contains("frame-ancestors 'none'") && csp.contains("form-action 'self'"),
        "{csp}"
    );
    let proposal = s
        .http
        .get(s.url("/p/no-such-token"))
        .send()
        .await
        .expect("p");
    assert_eq!(proposal.headers()["x-frame-options"], "DENY");
}
