use super::*;

#[test]
fn outside_text_in_the_fallback_is_escaped() {
    let title = "<!channel> <https://evil.example|click here> & more";
    let shown = "&lt;!channel&gt; &lt;https://evil.example|click here&gt; &amp; more";
    assert_eq!(inform(title, "").0, shown);
    assert_eq!(decided(title, "approved").0, format!("{shown}: approved"));
    let blocks = json!([{ "type": "divider" }]);
    assert_eq!(from_skill(title, &blocks).expect("accepted").0, shown);
}

#[test]
fn a_skills_read_only_layout_is_posted_as_sent() {
    let blocks = json!([
        { "type": "header", "text": { "type": "plain_text", "text": "Prep: Harbour Freight" } },
        { "type": "section", "text": { "type": "mrkdwn", "text": "*Account* plan" } },
        { "type": "divider" },
        { "type": "context", "elements": [{ "type": "mrkdwn", "text": "from the records" }] }
    ]);
    let (fallback, posted) = from_skill("Prep", &blocks).expect("accepted");
    assert_eq!(fallback, "Prep");
    assert_eq!(posted, blocks);
}

#[test]
fn anything_clickable_or_oversized_falls_back_to_the_hosts_summary() {
    let button = json!([{ "type": "actions", "elements": [
        { "type": "button", "text": { "type": "plain_text", "text": "Approve" }, "value": "x" }
    ]}]);
    assert!(from_skill("t", &button).is_none());
    let accessory = json!([{ "type": "section", "text": { "type": "mrkdwn", "text": "hi" },
        "accessory": { "type": "button", "text": { "type": "plain_text", "text": "Go" } } }]);
    assert!(from_skill("t", &accessory).is_none());
    let long =
        json!([{ "type": "section", "text": { "type": "mrkdwn", "text": "x".repeat(3001) } }]);
    assert!(from_skill("t", &long).is_none());
    let many = Value::Array(vec![json!({ "type": "divider" }); 51]);
    assert!(from_skill("t", &many).is_none());
    assert!(from_skill("t", &json!("not blocks")).is_none());
    assert!(from_skill("t", &json!([])).is_none());
}

#[test]
fn a_digests_buttons_link_into_the_inbox_or_decide_the_orgs_own_gates() {
    let org = OrgId::from("org1");
    let rules = ButtonRules {
        org: &org,
        public_url: Some("https://baton.example/"),
        block_prefix: "digest",
    };
    let blocks = |elements: Value| {
        json!([
            { "type": "section", "text": { "type": "mrkdwn", "text": "*Waiting*" } },
            { "type": "actions", "block_id": "digest:gates", "elements": elements }
        ])
    };
    let good = blocks(json!([
        { "type": "button", "action_id": "baton.approve", "text": { "type": "plain_text", "text": "Approve" },
          "value": "org1:g1:approve", "style": "primary" },
        { "type": "button", "action_id": "baton.open", "text": { "type": "plain_text", "text": "Open" },
          "url": "/inbox/approvals/g1" }
    ]));
    let (_, out, gates) = from_skill_with_buttons("Digest", &good, &rules).expect("accepted");
    assert_eq!(gates, vec![GateId::from("g1")]);
    assert_eq!(
        out[1]["elements"][1]["url"],
        "https://baton.example/inbox/approvals/g1"
    );
    assert!(
        from_skill("Digest", &good).is_none(),
        "read-only posts take no buttons"
    );
    let refused = [
        json!([{ "type": "button", "action_id": "baton.approve", "text": { "type": "plain_text", "text": "A" }, "value": "org2:g1:approve" }]),
        json!([{ "type": "button", "action_id": "baton.cancel", "text": { "type": "plain_text", "text": "A" }, "value": "org1:g1:cancel" }]),
        json!([{ "type": "button", "action_id": "baton.open", "text": { "type": "plain_text", "text": "A" }, "url": "https://evil.example/" }]),
        json!([{ "type": "button", "action_id": "other", "text": { "type": "plain_text", "text": "A" }, "value": "org1:g1:approve" }]),
        json!([{ "type": "button", "action_id": "baton.approve", "text": { "type": "plain_text", "text": "A" }, "value": "org1:g1:approve", "confirm": {} }]),
        json!([{ "type": "static_select", "action_id": "baton.pick" }]),
    ];
    for elements in refused {
        assert!(
            from_skill_with_buttons("Digest", &blocks(elements.clone()), &rules).is_none(),
            "{elements}"
        );
    }
    let no_base = ButtonRules {
        org: &org,
        public_url: None,
        block_prefix: "digest",
    };
    assert!(from_skill_with_buttons("Digest", &good, &no_base).is_none());
}

/// Issue 40, item 6: each action in a chat request shows the words it
/// rests on, who said them, where, and how sure the skill was.
#[test]
fn an_approval_request_shows_each_actions_evidence() {
    use crate::store::{GateKind, GateStatus, JobId, OnExpiry, UserId};
    let gate = PendingAction {
        id: GateId::from("g"),
        org_id: OrgId::from("o"),
        job_id: JobId::from("j"),
        user_id: UserId::from("u"),
        step_index: 0,
        step_name: "tasks".into(),
        gate_key: "step:tasks".into(),
        kind: GateKind::Step,
        pattern: Pattern::Batch,
        title: "Tasks".into(),
        body: json!({ "actions": [
            { "kind": "task_create", "preview": "Task: Send the DPA", "payload": { "title": "Send the DPA",
              "evidence": { "quote": "Could you send the DPA <today>?", "speaker": "Ann Lee", "at": 245.4, "confidence": 0.85 } } },
            { "kind": "task_create", "preview": "Task: Book a call", "payload": { "title": "Book a call" } }
        ] }),
        options: vec!["Send the DPA".into(), "Book a call".into()],
        status: GateStatus::Open,
        decision: None,
        decided_by: None,
        decision_note: None,
        decided_at: None,
        expires_at: 0,
        on_expiry: OnExpiry::Skip,
        created_at: 0,
        basis: None,
        send_at: None,
    };
    let (_, blocks) = approval_request(&gate, &(), None);
    let text = blocks[1]["text"]["text"].as_str().expect("a section");
    assert!(
        text.contains(
            "• Task: Send the DPA\n_“Could you send the DPA &lt;today&gt;?”_ — Ann Lee at 4:05 · confidence 85%\n• Task: Book a call\n"
        ),
        "{text}"
    );

    // A gate a skill opened itself (a choice of times) shows the words
    // that asked for it, once.
    let times = PendingAction {
        pattern: Pattern::Choose,
        title: "Pick a time".into(),
        body: json!({ "request": "Tuesday afternoon?", "slots": ["Tue 14:00"],
            "evidence": { "quote": "Can we find time next week?", "speaker": "Marta Ruiz",
                          "at": 3721.0, "confidence": 0.9 } }),
        options: vec!["Tue 14:00".into()],
        ..gate
    };
    let (_, blocks) = approval_request(&times, &(), None);
    let text = blocks[1]["text"]["text"].as_str().expect("a section");
    assert_eq!(
        text,
        "_“Can we find time next week?”_ — Marta Ruiz at 62:01 · confidence 90%\n"
    );
}
