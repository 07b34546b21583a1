//! Issue 43, item 9: a rep changes their settings in the inbox, checked
//! as the API checks them; a form posted from another site is refused
//! before it is read, and a token session has no settings of its own.

use baton_tests::server::{Server, Setup};
use baton_tests::service_test;
use serde_json::json;

service_test!(
    a_rep_changes_their_settings_in_the_inbox_and_a_cross_site_post_is_refused,
    Setup::default(),
    settings_body
);

async fn settings_body(s: &Server) {
    let cookie = s.rep_login().await;
    let (status, page) = s.inbox_get(&cookie, "/inbox").await;
    assert_eq!(status, 200);
    assert!(
        page.contains("href=\"/inbox/settings\""),
        "linked from the inbox"
    );
    let (status, page) = s.inbox_get(&cookie, "/inbox/settings").await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("name=\"briefing_time\""), "{page}");

    let form = [
        ("timezone", "Europe/Lisbon"),
        ("briefing_time", "07:15"),
        ("quiet_start", "21:00"),
        ("quiet_end", "07:00"),
        ("tone", "warm"),
        ("coaching", "weekly"),
        ("max_revivals_per_day", "5"),
        ("slack_channel", "D-REP1"),
    ];
    let (status, _) = s.inbox_post(&cookie, "/inbox/settings", &form).await;
    assert_eq!(status, 303, "saved, back to the page");
    let (_, prefs) = s.get("/v1/users/rep1/preferences").await;
    for (key, want) in [
        ("timezone", json!("Europe/Lisbon")),
        ("briefing_time_min", json!(435)),
        ("quiet_start_min", json!(1260)),
        ("quiet_end_min", json!(420)),
        ("tone", json!("warm")),
        ("coaching", json!("weekly")),
        ("max_revivals_per_day", json!(5)),
        ("slack_channel", json!("D-REP1")),
    ] {
        assert_eq!(prefs[key], want, "{key}: {prefs:#}");
    }
    let (_, page) = s.inbox_get(&cookie, "/inbox/settings?saved=1").await;
    assert!(page.contains("Saved."), "{page}");
    assert!(
        page.contains("value=\"07:15\""),
        "the page shows what is stored"
    );

    // The API's own checks, named on the page; nothing changes.
    for (field, value, named) in [
        ("timezone", "Mars/Olympus", "Mars/Olympus"),
        ("briefing_time", "7pm", "Morning brief"),
        ("coaching", "sometimes", "sometimes"),
    ] {
        let (status, page) = s
            .inbox_post(&cookie, "/inbox/settings", &[(field, value)])
            .await;
        assert_eq!(status, 422, "{field}: {page}");
        assert!(
            page.contains("Not saved") && page.contains(named),
            "{field}: {page}"
        );
    }
    let (_, after) = s.get("/v1/users/rep1/preferences").await;
    assert_eq!(after, prefs, "refused posts change nothing");

    // A post from another site is refused before it is read.
    let forged = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
        .post(s.url("/inbox/settings"))
        .header("cookie", &cookie)
        .header("origin", "https://evil.example")
        .form(&[("slack_channel", "C-ATTACKER")])
        .send()
        .await
        .expect("post");
    assert_eq!(forged.status().as_u16(), 403);
    let (_, after) = s.get("/v1/users/rep1/preferences").await;
    assert_eq!(after["slack_channel"], "D-REP1");

    // A token session has no settings of its own.
    let token = s.inbox_login(&s.token).await;
    let (status, page) = s.inbox_get(&token, "/inbox/settings").await;
    assert_eq!(status, 200, "{page}");
    assert!(
        page.contains("your own link") && !page.contains("<form id=\"settings\""),
        "{page}"
    );
    let (status, body) = s
        .inbox_post(&token, "/inbox/settings", &[("tone", "brief")])
        .await;
    assert_eq!(status, 403, "{body}");
}
