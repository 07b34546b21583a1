//! Issue 43, item 9: an approval's page leads to the one before and after
//! it, in the order the inbox lists them, among those the person may see.

use baton_tests::server::{Server, Setup};
use baton_tests::service_test;

service_test!(
    an_approval_page_leads_to_the_previous_and_next_in_the_inboxs_order,
    Setup::default(),
    pager_body
);

async fn pager_body(s: &Server) {
    for meeting in ["m-1", "m-2", "m-3"] {
        let (status, accepted) = s.event(meeting).await;
        assert_eq!(status, 202, "{accepted}");
        let job = accepted["job_id"].as_str().expect("job").to_owned();
        s.wait_job(&job, |j| j["status"] == "awaiting_approval")
            .await;
    }
    let cookie = s.rep_login().await;
    let (_, home) = s.inbox_get(&cookie, "/inbox").await;
    // The front page's order.
    let order: Vec<String> = home
        .split("href=\"/inbox/approvals/")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(str::to_owned)
        .collect();
    assert_eq!(order.len(), 3, "{home}");
    let link = |rel: &str, id: &str| format!("rel=\"{rel}\" href=\"/inbox/approvals/{id}\"");

    let (status, first) = s
        .inbox_get(&cookie, &format!("/inbox/approvals/{}", order[0]))
        .await;
    assert_eq!(status, 200);
    assert!(first.contains("1 of 3 waiting"), "{first}");
    assert!(!first.contains("rel=\"prev\""), "nothing before the first");
    assert!(first.contains(&link("next", &order[1])), "{first}");

    let (_, middle) = s
        .inbox_get(&cookie, &format!("/inbox/approvals/{}", order[1]))
        .await;
    assert!(middle.contains("2 of 3 waiting"), "{middle}");
    assert!(middle.contains(&link("prev", &order[0])), "{middle}");
    assert!(middle.contains(&link("next", &order[2])), "{middle}");

    let (_, last) = s
        .inbox_get(&cookie, &format!("/inbox/approvals/{}", order[2]))
        .await;
    assert!(
        last.contains("3 of 3 waiting") && !last.contains("rel=\"next\""),
        "{last}"
    );

    // Once decided, a gate is no longer among those waiting: its page has
    // no pager, and its neighbours close the gap.
    let (status, _) = s
        .inbox_post(
            &cookie,
            &format!("/inbox/approvals/{}", order[1]),
            &[("decision", "skip")],
        )
        .await;
    assert_eq!(status, 303);
    let (_, decided) = s
        .inbox_get(&cookie, &format!("/inbox/approvals/{}", order[1]))
        .await;
    assert!(!decided.contains("id=\"pager\""), "{decided}");
    let (_, first) = s
        .inbox_get(&cookie, &format!("/inbox/approvals/{}", order[0]))
        .await;
    assert!(
        first.contains("1 of 2 waiting") && first.contains(&link("next", &order[2])),
        "{first}"
    );
}
