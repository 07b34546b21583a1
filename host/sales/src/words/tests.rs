use super::*;
use serde_json::json;

fn northwind() -> About {
    About::of_job(
        &json!({ "title": "Northwind discovery call" }),
        Some(&json!({
            "contact": { "name": "Marta Ruiz", "email": "marta.ruiz@northwind.example" },
            "company": { "name": "Northwind Logistics" },
            "deal": { "name": "Northwind renewals rollout", "stage": "discovery" },
        })),
    )
}

#[test]
fn a_job_is_about_a_contact_a_company_said_short_and_a_deal() {
    let a = northwind();
    assert_eq!(a.contact.as_deref(), Some("Marta Ruiz"));
    assert_eq!(a.company.as_deref(), Some("Northwind"));
    assert_eq!(a.deal.as_deref(), Some("Northwind renewals rollout"));
    assert_eq!(a.meeting.as_deref(), Some("Northwind discovery call"));
    let plain = About::of_job(
        &json!({}),
        Some(&json!({ "company": { "name": "Cobalt Warehousing" } })),
    );
    assert_eq!(plain.company.as_deref(), Some("Cobalt Warehousing"));
    assert_eq!(About::of_job(&json!(null), None), About::default());
}

#[test]
fn an_email_is_titled_by_who_it_goes_to() {
    let a = json!({ "kind": "email_send", "preview": "Follow-up to Marta Ruiz: Hi",
                    "payload": { "to": "Marta Ruiz <marta@northwind.example>" } });
    assert_eq!(
        gate_title(&[a], Pattern::Confirm),
        "Follow-up email to Marta Ruiz"
    );
    let bare = json!({ "actions": [{ "kind": "email_send",
        "preview": "Follow-up to Marta Ruiz: Following up: Northwind discovery call",
        "payload": { "to": "marta.ruiz@northwind.example", "subject": "Following up: Northwind discovery call",
                     "body": "Hi Marta,\n\nThanks for walking me through the renewals process.\n" } }] });
    let w = describe_gate(&bare, Pattern::Confirm, "", &northwind());
    assert_eq!(w.title, "Follow-up email to Marta Ruiz (Northwind)");
    assert_eq!(
        w.summary,
        "“Following up: Northwind discovery call” — Thanks for walking me through the renewals process."
    );
    let reply = json!({ "kind": "email_send", "preview": "Reply to Aisha: Re: pricing",
                        "payload": { "to": "aisha@harbour.example" } });
    assert_eq!(gate_title(&[reply], Pattern::Confirm), "Reply to Aisha");
    // No name in the address or the preview: the CRM's, else the address.
    let times = json!({ "actions": [{ "kind": "email_send", "preview": "Times for a call",
                        "payload": { "to": "marta.ruiz@northwind.example" } }] });
    let w = describe_gate(&times, Pattern::Confirm, "", &northwind());
    assert_eq!(w.title, "Follow-up email to Marta Ruiz (Northwind)");
    let w = describe_gate(&times, Pattern::Confirm, "", &About::default());
    assert_eq!(w.title, "Email to marta.ruiz@northwind.example");
}

#[test]
fn a_stage_change_leads_the_deal_changes_beside_it() {
    let body = json!({ "actions": [
        { "kind": "crm_update", "preview": "Northwind renewals rollout: competitors → Gainsight",
          "payload": { "entity": "deal", "field": "competitors", "value": ["Gainsight"], "previous": null } },
        { "kind": "crm_update", "preview": "Northwind renewals rollout: stage discovery → proposal",
          "payload": { "entity": "deal", "field": "stage", "value": "proposal", "previous": "discovery" } },
        { "kind": "crm_update", "preview": "Northwind renewals rollout: close_date → 2026-12-18",
          "payload": { "entity": "deal", "field": "close_date", "value": "2026-12-18", "previous": "2026-11-13" } },
    ] });
    let w = describe_gate(&body, Pattern::Confirm, "", &About::default());
    assert_eq!(w.title, "Move Northwind renewals rollout to Proposal");
    assert_eq!(w.summary, "From Discovery; also competitors, close date");
    let one = json!({ "actions": [body["actions"][2].clone()] });
    let w = describe_gate(&one, Pattern::Confirm, "", &About::default());
    assert_eq!(w.title, "Update close date on Northwind renewals rollout");
    assert_eq!(w.summary, "2026-11-13 → 2026-12-18");
}

#[test]
fn a_batch_of_tasks_is_counted_from_its_call() {
    let t = |title: &str, due: Option<&str>| {
        json!({ "kind": "task_create", "preview": format!("Task: {title}"),
                "payload": { "title": title, "due_date": due } })
    };
    let tasks = vec![
        t("Send Marta the security pack", Some("2026-11-20")),
        t("Send the proposal", Some("2026-11-27")),
        t("Book the CFO call", None),
    ];
    let body = json!({ "actions": tasks });
    let w = describe_gate(&body, Pattern::Batch, "", &northwind());
    assert_eq!(w.title, "3 tasks from the Northwind call");
    assert_eq!(
        w.summary,
        "Send Marta the security pack; Send the proposal and 1 more"
    );
    assert_eq!(gate_title(&tasks[..2], Pattern::Batch), "2 tasks");
    let one = describe_action(
        Some(ActionKind::TaskCreate),
        "Task: Send the proposal (due 2026-11-27)",
        &tasks[1]["payload"],
        &About::default(),
    );
    assert_eq!(one.title, "Send the proposal");
    assert_eq!(one.summary, "Due Fri 27 Nov");
}

#[test]
fn a_time_choice_and_a_proposal_name_who_they_are_for() {
    let body = json!({ "request": "Can we find time next week?", "slots": ["a", "b", "c"] });
    let w = describe_gate(&body, Pattern::Choose, "Pick a time: Pricing", &northwind());
    assert_eq!(w.title, "Choose a time with Marta Ruiz");
    assert_eq!(
        w.summary,
        "3 times to offer, for “Can we find time next week?”"
    );
    let p = json!({ "actions": [{ "kind": "proposal_send", "preview": "Send the proposal", "payload": {} }] });
    assert_eq!(
        describe_gate(&p, Pattern::Confirm, "", &northwind()).title,
        "Proposal for Northwind"
    );
    // A skill's own gate keeps the words the skill chose.
    assert_eq!(
        describe_gate(
            &json!({ "q": 1 }),
            Pattern::Confirm,
            "Q4 review",
            &northwind()
        )
        .title,
        "Q4 review"
    );
}

#[test]
fn no_title_names_a_kind() {
    let kinds = [
        "email_send",
        "crm_update",
        "task_create",
        "slack_post",
        "calendar_invite",
        "proposal_send",
    ];
    for k in kinds {
        let body = json!({ "actions": [{ "kind": k, "preview": "", "payload": {} }] });
        let w = describe_gate(&body, Pattern::Confirm, "", &northwind());
        for name in kinds {
            assert!(
                !w.title.contains(name) && !w.summary.contains(name),
                "{k}: {w:?}"
            );
        }
    }
}

#[test]
fn long_text_is_clipped_with_an_ellipsis() {
    assert_eq!(clip("abcdef", 4), "abc…");
    assert_eq!(clip(" abc ", 4), "abc");
}

#[test]
fn metrics_name_skills_and_labels_in_words() {
    assert_eq!(skill_words("draft-followup-email"), "Follow-up emails");
    assert_eq!(skill_words("score-leads"), "Score leads");
    assert_eq!(label_words("crm_update"), "CRM update");
    assert_eq!(label_words("buying_signal:budget"), "Buying signal: budget");
}

#[test]
fn a_call_is_not_called_a_call_twice() {
    assert_eq!(
        call_words(Some("Northwind discovery call")),
        "Northwind discovery call"
    );
    assert_eq!(call_words(Some("Acme sync")), "Acme sync call");
    assert_eq!(call_words(None), "call");
}

#[test]
fn an_email_carrying_a_document_is_named_by_it() {
    let about = About {
        contact: Some("Marta Ruiz".into()),
        meeting: Some("Northwind discovery call".into()),
        ..About::default()
    };
    let payload = json!({ "to": "Marta Ruiz <marta@northwind.example>",
                          "attachments": [{ "file": "security-pack.pdf", "title": "Security pack" }] });
    let w = describe_action(
        Some(ActionKind::EmailSend),
        "Send Security pack to Marta Ruiz",
        &payload,
        &about,
    );
    assert_eq!(w.title, "Security pack to Marta Ruiz");
}
