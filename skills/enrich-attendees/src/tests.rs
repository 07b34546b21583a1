use super::*;
use baton_sdk::testing::FakeHost;

const URL: &str = "http://127.0.0.1:9000/v1/people/match";
const GRANT: &str = "http:127.0.0.1:9000";

fn meeting() -> Input {
    Input::for_event(
        "pre_meeting_90min",
        json!({
            "meeting_id": "mtg-1",
            "contact_email": "aisha.bello@harbourfreight.example",
            "attendees": [
                { "email": "Aisha.Bello@harbourfreight.example", "name": "Aisha Bello" },
                { "email": "dan.ode@harbourfreight.example", "name": "Dan Ode" },
                { "email": "jordan.avery@demo.example", "name": "Jordan Avery" }
            ]
        }),
    )
}

fn host() -> FakeHost {
    FakeHost::for_skill::<EnrichAttendees>()
        .org(json!({ "user": { "name": "Jordan Avery", "email": "jordan.avery@demo.example" } }))
        .contact(json!({
            "contact": { "name": "Aisha Bello", "email": "aisha.bello@harbourfreight.example", "title": "CFO" },
            "company": { "name": "Harbour Freight Partners", "domain": "harbourfreight.example" }
        }))
        .external("apollo", json!({ "url": URL }))
}

const AISHA: &str = r#"{"person": {"name": "Aisha Bello", "title": "Chief Financial Officer",
    "seniority": "c_suite", "linkedin_url": "https://www.linkedin.com/in/aisha-bello",
    "city": "Southampton", "country": "United Kingdom",
    "organization": {"name": "Harbour Freight Partners Ltd"}}}"#;

#[test]
fn enriches_each_outside_attendee_from_the_provider() {
    let (out, h) = host()
        .grant(GRANT)
        .http(&format!("{URL}?email=aisha"), 200, AISHA)
        .http(&format!("{URL}?email=dan"), 200, r#"{"person": null}"#)
        .run_with::<EnrichAttendees>(meeting());
    let data = out.expect("runs").data;
    assert_eq!(data["provider_status"], "ok", "{data:#}");
    assert_eq!(data["degraded"], false);
    assert_eq!(data["enriched"], 1);
    assert_eq!(
        data["internal_skipped"], 1,
        "the rep's colleague is not looked up"
    );
    let a = &data["attendees"][0];
    assert_eq!(a["email"], "aisha.bello@harbourfreight.example");
    assert_eq!(a["title"], "Chief Financial Officer");
    assert_eq!(a["company"], "Harbour Freight Partners Ltd");
    assert_eq!(a["seniority"], "c_suite");
    assert_eq!(a["linkedin"], "https://www.linkedin.com/in/aisha-bello");
    assert_eq!(a["location"], "Southampton, United Kingdom");
    assert_eq!(a["source"], "provider");
    let d = &data["attendees"][1];
    assert_eq!(d["source"], "invite");
    assert_eq!(
        d["company"], "Harbour Freight Partners",
        "from the CRM company's domain"
    );
    assert_eq!(d["note"], "the provider has no match");
    assert_eq!(data["attendees"].as_array().map(Vec::len), Some(2));
    assert_eq!(
        h.http_requests,
        vec![
            format!("{URL}?email=aisha.bello%40harbourfreight.example&name=Aisha%20Bello"),
            format!("{URL}?email=dan.ode%40harbourfreight.example&name=Dan%20Ode"),
        ]
    );
    assert!(
        h.logs.iter().all(|(_, l)| !l.contains('@')),
        "no addresses in logs: {:?}",
        h.logs
    );
}

#[test]
fn a_provider_error_degrades_to_the_crm_and_stops_asking() {
    for (status, why) in [(500, "HTTP 500"), (429, "HTTP 429")] {
        let (out, h) = host()
            .grant(GRANT)
            .http(URL, status, "oops")
            .run_with::<EnrichAttendees>(meeting());
        let data = out.expect("never fails for the provider").data;
        assert_eq!(data["provider_status"], "failed");
        assert_eq!(data["degraded"], true);
        let reason = data["reason"].as_str().expect("reason");
        assert!(
            reason.contains("enrichment degraded") && reason.contains(why),
            "{reason}"
        );
        assert_eq!(data["attendees"][0]["source"], "crm");
        assert_eq!(data["attendees"][0]["title"], "CFO");
        assert_eq!(h.http_requests.len(), 1, "one failure is enough");
    }
}

#[test]
fn garbage_and_timeouts_degrade_too() {
    let out = host()
        .grant(GRANT)
        .http(URL, 200, "<html>not json</html>")
        .run::<EnrichAttendees>(meeting())
        .expect("runs");
    assert!(
        out.data["reason"]
            .as_str()
            .is_some_and(|r| r.contains("not usable JSON")),
        "{}",
        out.data
    );
    let out = host()
        .grant(GRANT)
        .http_error(URL, HttpError::Timeout)
        .run::<EnrichAttendees>(meeting())
        .expect("runs");
    assert!(
        out.data["reason"]
            .as_str()
            .is_some_and(|r| r.contains("in time")),
        "{}",
        out.data
    );
    assert_eq!(out.data["attendees"][0]["source"], "crm");
}

#[test]
fn an_ungranted_host_is_denied_and_the_skill_degrades_naming_the_grant() {
    let (out, h) = host()
        .http(URL, 200, AISHA)
        .run_with::<EnrichAttendees>(meeting());
    let data = out.expect("runs").data;
    assert_eq!(h.denied, vec![GRANT.to_owned()]);
    assert_eq!(data["degraded"], true);
    assert!(
        data["reason"]
            .as_str()
            .is_some_and(|r| r.contains("not granted") && r.contains(GRANT)),
        "{data}"
    );
    assert_eq!(data["attendees"][0]["source"], "crm");
}

#[test]
fn no_provider_configured_means_crm_data_and_says_so() {
    let out = FakeHost::for_skill::<EnrichAttendees>()
        .grant(GRANT)
        .contact(json!({ "contact": { "name": "Aisha Bello", "email": "aisha.bello@harbourfreight.example", "title": "CFO" } }))
        .run::<EnrichAttendees>(Input::for_event(
            "pre_meeting_90min",
            json!({ "meeting_id": "m", "contact_email": "aisha.bello@harbourfreight.example" }),
        ))
        .expect("runs");
    assert_eq!(out.data["provider_status"], "not_configured");
    assert!(
        out.data["reason"]
            .as_str()
            .is_some_and(|r| r.contains("providers.apollo")),
        "{}",
        out.data
    );
    assert_eq!(
        out.data["attendees"],
        json!([{ "email": "aisha.bello@harbourfreight.example", "name": "Aisha Bello", "title": "CFO",
                 "company": null, "seniority": null, "linkedin": null, "location": null, "headline": null,
                 "about": null, "source": "crm" }])
    );
    // LinkedIn is not read either, and the rep's note says so plainly.
    assert_eq!(out.data["linkedin"]["status"], "not_configured");
    assert_eq!(
        out.data["linkedin"]["note"],
        "LinkedIn profiles were not read: it is not set up for your team."
    );
}

#[test]
fn a_bad_provider_url_is_not_configured() {
    let out = host()
        .external("apollo", json!({ "url": "file:///etc/passwd" }))
        .run::<EnrichAttendees>(meeting())
        .expect("runs");
    assert_eq!(out.data["provider_status"], "not_configured");
}

#[test]
fn a_denied_crm_tier_is_an_error_not_a_silent_gap() {
    let r = host()
        .revoke("context:contact")
        .run::<EnrichAttendees>(meeting());
    assert!(matches!(r, Err(SkillError::Failed(m)) if m.contains("denied")));
}

#[test]
fn a_malformed_payload_is_invalid_input() {
    let r = host().run::<EnrichAttendees>(Input::for_event(
        "pre_meeting_90min",
        json!({ "attendees": "everyone" }),
    ));
    assert!(matches!(r, Err(SkillError::InvalidInput(_))));
}

#[test]
fn linkedin_profiles_are_read_in_one_actor_run_and_matched_by_url() {
    const APIFY: &str = "http://127.0.0.1:9400";
    let person = json!({ "person": { "name": "Aisha Bello", "title": "CFO",
        "linkedin_url": "https://www.linkedin.com/in/aisha-bello" } });
    let items = json!([
        { "url": "https://linkedin.com/in/aisha-bello/", "headline": "CFO | Freight finance",
          "about": "I run finance for a freight forwarder. Before that, audit." },
        { "url": "https://linkedin.com/in/someone-else", "headline": "Not here" }
    ]);
    let (out, host) = FakeHost::for_skill::<EnrichAttendees>()
        .grant(GRANT)
        .grant("http:127.0.0.1:9400")
        .external("apollo", json!({ "url": URL }))
        .external("apify", json!({ "url": APIFY, "actor": "acme~profiles" }))
        .http(URL, 200, &person.to_string())
        .http(
            &format!("{APIFY}/v2/acts/acme~profiles/run-sync-get-dataset-items"),
            200,
            &items.to_string(),
        )
        .run_with::<EnrichAttendees>(Input::for_event(
            "pre_meeting_90min",
            json!({ "meeting_id": "m", "contact_email": "aisha.bello@harbourfreight.example" }),
        ));
    let out = out.expect("runs");
    assert_eq!(out.data["linkedin"]["read"], 1, "{}", out.data);
    let a = &out.data["attendees"][0];
    assert_eq!(a["headline"], "CFO | Freight finance");
    assert_eq!(a["about"], "I run finance for a freight forwarder.");
    assert_eq!(host.http_posts.len(), 1);
    assert_eq!(
        host.http_posts[0].1,
        json!({ "profileUrls": ["https://www.linkedin.com/in/aisha-bello"] })
    );
    // An actor id that could leave its path is not used.
    let (out, host) = FakeHost::for_skill::<EnrichAttendees>()
        .grant(GRANT)
        .grant("http:127.0.0.1:9400")
        .external(
            "apify",
            json!({ "url": APIFY, "actor": "../../v2/users/me" }),
        )
        .run_with::<EnrichAttendees>(Input::for_event(
            "pre_meeting_90min",
            json!({ "meeting_id": "m" }),
        ));
    assert_eq!(
        out.expect("runs").data["linkedin"]["status"],
        "not_configured"
    );
    assert!(host.http_posts.is_empty());
}
