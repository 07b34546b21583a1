use super::*;
use baton_sdk::testing::FakeHost;

fn choice(seats: Option<u32>) -> Value {
    json!({
        "template": "standard-saas",
        "title": "Renewals Hub for {{company}}",
        "reasons": ["seats: 40 is within 1–149"],
        "seats": seats,
        "seats_quote": null,
        "features": ["renewals", "hubspot"],
        "deal_type": "new_business",
        "sections": [
            { "heading": "Executive summary", "body": "{{executive_summary}}" },
            { "heading": "What you told us you need", "body": "{{requirements}}" },
            { "heading": "What we propose", "body": "For {{seats}} at {{company}}.\n\n{{features}}" },
            { "heading": "Pricing", "body": "{{pricing}}" },
            { "heading": "A customer like you", "body": "{{case_study}}" },
            { "heading": "Next steps", "body": "{{contact_name}} reviews it.\n\n{{rep_name}}, {{org_name}}" }
        ]
    })
}

fn call(seats: Option<u32>) -> Input {
    Input::for_event(
        "proposal_generation",
        json!({
            "meeting_id": "m1",
            "request": "I'll send you a proposal with pricing for forty seats by Friday.",
            "utterances": [
                { "speaker": "rep", "text": "We need to talk pricing." },
                { "speaker": "prospect", "text": "Can it pull from our CRM? We're on HubSpot." },
                { "speaker": "prospect", "text": "We want this live by the end of February, before the spring renewal wave." },
                { "speaker": "prospect", "text": "Sounds good to me." },
                { "speaker": "prospect", "text": "I'd have to check with our HubSpot admin." }
            ]
        }),
    )
    .after("select-proposal-template", choice(seats))
}

fn library() -> Value {
    json!({ "items": [
        { "id": "ohio-warehousing", "title": "How an Ohio warehousing firm saved its renewals",
          "kind": "case_study", "tags": ["logistics", "warehousing"],
          "summary": "Renewal follow-ups on time, every time.",
          "url": "https://acme.example/cases/ohio" },
        { "id": "security-pack", "title": "Security pack", "kind": "security",
          "tags": ["logistics"], "file": "security-pack.pdf" }
    ]})
}

fn host() -> FakeHost {
    FakeHost::for_skill::<PopulateProposal>()
        .org(json!({ "org": { "name": "Acme" }, "user": { "name": "Jordan Avery" } }))
        .contact(json!({
            "contact": { "id": "c1", "name": "Marta Ruiz", "email": "marta.ruiz@northwind.example" },
            "company": { "name": "Northwind Logistics", "industry": "logistics" },
            "deal": { "id": "d1", "name": "Northwind renewals rollout", "stage": "discovery" },
        }))
        .external(
            "price_book",
            json!({ "currency": "USD", "billing_period": "year", "tiers": [
                { "name": "Starter", "unit_amount": 60000, "min_seats": 1, "max_seats": 24 },
                { "name": "Growth", "unit_amount": 54000, "min_seats": 25, "max_seats": 199,
                  "features": ["Renewal alerts", "HubSpot sync"] },
                { "name": "Enterprise", "unit_amount": 48000, "min_seats": 200 }
            ]}),
        )
        .external("content_library", library())
}

fn section<'a>(out: &'a Output, heading: &str) -> &'a str {
    out.data["sections"]
        .as_array()
        .and_then(|s| s.iter().find(|s| s["heading"] == heading))
        .and_then(|s| s["body"].as_str())
        .unwrap_or_else(|| panic!("no section {heading}: {}", out.data))
}

#[test]
fn the_template_is_filled_from_the_crm_the_call_and_the_price_book() {
    let out = host()
        .run::<PopulateProposal>(call(Some(40)))
        .expect("runs");
    let d = &out.data;
    assert_eq!(d["title"], "Renewals Hub for Northwind Logistics");
    assert_eq!(d["company"], "Northwind Logistics");
    assert_eq!(d["contact_email"], "marta.ruiz@northwind.example");
    assert_eq!(d["deal_id"], "d1");
    assert_eq!(d["currency"], "USD");
    assert_eq!(d["amount"], 2_160_000);
    assert_eq!(d["tier"], "Growth");
    assert_eq!(
        d["pricing"][0],
        json!({ "item": "Growth seat, per year", "quantity": 40, "unit_amount": 54000, "total": 2160000 })
    );
    assert_eq!(
        d["arithmetic"],
        "40 seats × $540 per seat per year = $21,600 per year"
    );
    let needs = section(&out, "What you told us you need");
    // A question asks; it states no need (issue 40).
    assert!(!needs.contains("Can it pull from our CRM?"), "{needs}");
    // The system they run is context, not a need (issue 40).
    assert!(!needs.contains("We're on HubSpot."), "{needs}");
    assert!(needs.contains("end of February"), "{needs}");
    assert!(
        !needs.contains("talk pricing"),
        "the rep's words are not requirements: {needs}"
    );
    assert!(!needs.contains("Sounds good"), "{needs}");
    assert!(
        !needs.contains("check with"),
        "the prospect's own to-do is not a requirement: {needs}"
    );
    let pricing = section(&out, "Pricing");
    assert!(
        pricing.contains("40 seats × $540 per seat per year = $21,600 per year"),
        "{pricing}"
    );
    let propose = section(&out, "What we propose");
    assert!(
        propose.starts_with("For 40 seats at Northwind Logistics."),
        "{propose}"
    );
    assert!(propose.contains("- HubSpot sync"), "{propose}");
    let case = section(&out, "A customer like you");
    assert!(case.starts_with("How an Ohio warehousing firm"), "{case}");
    assert!(case.contains("https://acme.example/cases/ohio"), "{case}");
    assert_eq!(d["case_study"]["matched"], json!(["logistics"]));
    assert_eq!(
        section(&out, "Next steps"),
        "Marta Ruiz reviews it.\n\nJordan Avery, Acme"
    );
    assert_eq!(section(&out, "Executive summary"), "{{executive_summary}}");
}

#[test]
fn no_price_book_and_no_case_study_are_said_plainly() {
    let out = FakeHost::for_skill::<PopulateProposal>()
        .org(json!({ "user": { "name": "Jordan Avery" } }))
        .contact(json!({ "company": { "name": "Quarry Co", "industry": "mining" } }))
        .run::<PopulateProposal>(call(Some(40)))
        .expect("runs");
    assert_eq!(out.data["pricing_status"], "to_be_confirmed");
    assert_eq!(out.data["amount"], 0);
    assert_eq!(out.data["pricing"], json!([]));
    let pricing = section(&out, "Pricing");
    assert!(pricing.contains("to be confirmed"), "{pricing}");
    assert!(!pricing.chars().any(|c| c.is_ascii_digit()), "{pricing}");
    assert_eq!(out.data["case_study"], Value::Null);
    assert!(
        section(&out, "A customer like you")
            .contains("no published case study from a mining company")
    );
}

#[test]
fn an_email_request_is_its_own_requirement() {
    let input = Input::for_event(
        "proposal_generation",
        json!({ "request": "Hi Jordan,\nCould you send a quote for about 40 users? We lose about 12 hours a week on renewals.",
                "contact_email": "marta.ruiz@northwind.example", "subject": "Quote" }),
    )
    .after("select-proposal-template", choice(Some(40)));
    let out = host().run::<PopulateProposal>(input).expect("runs");
    let needs = section(&out, "What you told us you need");
    assert!(
        needs.contains("> \"We lose about 12 hours a week on renewals.\""),
        "{needs}"
    );
    assert!(
        !needs.contains("Could you send"),
        "a question states no need: {needs}"
    );
    assert_eq!(out.data["requirements"][0]["utterance"], Value::Null);
}

#[test]
fn without_the_template_step_it_says_which() {
    let err = host()
        .run::<PopulateProposal>(Input::for_event("proposal_generation", json!({})))
        .expect_err("no template");
    assert!(
        err.to_string().contains("select-proposal-template"),
        "{err}"
    );
}

/// Issue 40: the needs quoted are needs of what is proposed, never the
/// buyer's own to-do, what a thing needs, or a reply leaning on the rep.
#[test]
fn a_need_is_a_need_of_what_is_proposed() {
    for (sentence, need) in [
        (
            "We'd want different rules for the national retail accounts.",
            true,
        ),
        ("I don't want it to feel like surveillance.", true),
        (
            "Ken from IT security will need to review anything that touches our email.",
            true,
        ),
        ("I'd need to see a pilot before we commit.", true),
        ("It needs to sync with HubSpot both ways.", true),
        (
            "She's part-time on it, so I'd want to give her notice.",
            false,
        ),
        ("We'd have to position it carefully.", false),
        (
            "And our CFO signs anything over fifty thousand, so I'd need to run this by her as well.",
            false,
        ),
        (
            "It's the first tool I've seen that doesn't feel like it needs a whole team to run it.",
            false,
        ),
        (
            "That would matter to our CFO, she hates paying for shelfware.",
            false,
        ),
        ("Does it need a VPN?", false),
        (
            "Ideally Tuesday or Wednesday afternoon, our ops lead is Daniel.",
            false,
        ),
        ("It has to send the reminders every Monday.", true),
    ] {
        assert_eq!(states_need(sentence), need, "{sentence}");
    }
}
