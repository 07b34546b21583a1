//! Working through the inbox with the keyboard alone, in headless
//! Chromium: three follow-ups wait; on the list j/k move between them and
//! Enter or o opens one; on its page a approves, e opens the editor (keys
//! typed there are the draft's, not shortcuts) and s skips; ? shows the
//! keys in a dialog that Esc closes. Every key goes to whatever has the
//! focus, as a person's would; the decisions are read back from the store.
//!
//! On SQLite only, like the other browser tests.

use baton::runtime::Decision;
use baton::store::{GateId, GateStatus};
use baton_tests::browser::Browser;
use baton_tests::server::{Server, Setup, start};
use baton_tests::{PATIENCE, TestDb, poll, stays};
use fantoccini::Locator;
use fantoccini::key::Key;
use std::time::Duration;

/// What has the focus: its id, or its tag and classes.
async fn focused(b: &Browser) -> String {
    b.execute(
        "const e = document.activeElement;
         return e.id || (e.tagName.toLowerCase() + '.' + e.className);",
        vec![],
    )
    .await
    .expect("the focused element")
    .as_str()
    .unwrap_or("")
    .to_owned()
}

/// The index of the list item marked current, if one is.
async fn current_item(b: &Browser) -> Option<u64> {
    b.execute(
        "const all = Array.from(document.querySelectorAll('#approvals .item'));
         const i = all.findIndex(e => e.classList.contains('current'));
         return i < 0 ? null : i;",
        vec![],
    )
    .await
    .expect("the current item")
    .as_u64()
}

/// Wait until the browser shows an approval page; its gate.
async fn on_approval_page(b: &Browser) -> GateId {
    let id = poll(PATIENCE, async || {
        let url = b.current_url().await.ok()?;
        let id = url.path().strip_prefix("/inbox/approvals/")?.to_owned();
        b.find(Locator::Css("#title")).await.ok()?;
        Some(id)
    })
    .await
    .expect("an approval page opens");
    GateId::from(id.as_str())
}

/// Open the list and wait for its items.
async fn open_list(b: &Browser, s: &Server) {
    b.goto(&s.url("/inbox")).await.expect("the list");
    b.wait()
        .for_element(Locator::Css("#approvals .item a.open"))
        .await
        .expect("waiting items on the list");
}

/// Wait until the gate is decided; its decision.
async fn decided(s: &Server, gate: &GateId) -> Decision {
    let g = poll(PATIENCE, async || {
        let g = s.app.store().pending_action(&s.org, gate).await.ok()??;
        (g.status == GateStatus::Decided).then_some(g)
    })
    .await
    .unwrap_or_else(|| panic!("gate {gate} was not decided"));
    serde_json::from_value(g.decision.expect("a decision")).expect("a decision")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rep_approves_edits_and_skips_with_the_keyboard_alone() {
    let db = TestDb::sqlite().await;
    let s = start(db.store.clone(), Setup::default()).await;
    for meeting in ["m-keys-1", "m-keys-2", "m-keys-3"] {
        let (_, accepted) = s.event(meeting).await;
        s.open_gate(accepted["job_id"].as_str().expect("job")).await;
    }
    let b = Browser::start(1280, 900).await;
    b.goto(&s.url(&s.magic_link().await))
        .await
        .expect("sign in");
    let enter: char = Key::Enter.into();

    // j moves a visible mark and the focus down the list, k back up.
    open_list(&b, &s).await;
    assert_eq!(current_item(&b).await, None, "nothing marked before a key");
    b.press(&['j']).await;
    assert_eq!(current_item(&b).await, Some(0));
    assert!(focused(&b).await.contains("open"), "{}", focused(&b).await);
    b.press(&['j', 'j', 'j']).await;
    assert_eq!(current_item(&b).await, Some(2), "stops at the last");
    b.press(&['k', 'k']).await;
    assert_eq!(current_item(&b).await, Some(0));
    // Enter opens it; a approves.
    b.press(&[enter]).await;
    let first = on_approval_page(&b).await;
    b.press(&['a']).await;
    assert_eq!(decided(&s, &first).await, Decision::Approved);

    // o opens the next; e opens the editor with the focus in the body,
    // where keys are text (this one holds an a, an e and an s); Tab and
    // Enter approve the edited draft.
    open_list(&b, &s).await;
    b.press(&['j', 'o']).await;
    let second = on_approval_page(&b).await;
    assert_ne!(second, first);
    b.press(&['e']).await;
    assert_eq!(focused(&b).await, "body", "the editor's body has the focus");
    b.select_all().await;
    let text = "Hi Marta,\n\nThe pricing is attached; see you Tuesday.";
    b.type_text(text).await;
    let tab: char = Key::Tab.into();
    let mut tabs = 0;
    while focused(&b).await != "approve-edited" {
        tabs += 1;
        assert!(tabs <= 5, "Tab never reached `Approve edited`");
        b.press(&[tab]).await;
    }
    b.press(&[enter]).await;
    match decided(&s, &second).await {
        Decision::Edited(draft) => assert_eq!(draft["body"], text, "{draft:#}"),
        other => panic!("the edit was not kept: {other:?}"),
    }

    // ? shows the keys in a dialog; Esc closes it; s skips.
    open_list(&b, &s).await;
    b.press(&['j', enter]).await;
    let third = on_approval_page(&b).await;
    assert!(third != first && third != second);
    b.press(&['?']).await;
    let help = b
        .find(Locator::Css("dialog#keys-help[open]"))
        .await
        .expect("the help dialog is open");
    let listed = help.text().await.expect("text");
    for key in ["Approve", "Edit the draft", "Skip"] {
        assert!(listed.contains(key), "{listed}");
    }
    // The dialog has the focus, first on its switch to turn the keys off:
    // Space turns them off, Esc closes it, and s (like any key) is inert.
    assert_eq!(focused(&b).await, "keys-off", "the dialog has the focus");
    let still_open = async || {
        let on_page = b
            .current_url()
            .await
            .is_ok_and(|u| u.path().ends_with(third.as_str()));
        let open = s
            .app
            .store()
            .pending_action(&s.org, &third)
            .await
            .ok()
            .flatten()
            .is_some_and(|g| g.status == GateStatus::Open);
        on_page && open
    };
    b.press(&[' ', Key::Escape.into()]).await;
    assert!(
        b.find(Locator::Css("dialog#keys-help[open]"))
            .await
            .is_err(),
        "Esc closes the help"
    );
    b.press(&['s']).await;
    stays(
        "s does not skip while the keys are off",
        Duration::from_millis(300),
        still_open,
    )
    .await;
    // They stay off in this browser; the page's button opens the help to
    // turn them on again.
    b.refresh().await.expect("reload");
    b.press(&['?']).await;
    assert!(
        b.find(Locator::Css("dialog#keys-help[open]"))
            .await
            .is_err(),
        "? is off too"
    );
    b.find(Locator::Css("#keys-open"))
        .await
        .expect("the shortcuts button")
        .click()
        .await
        .expect("open the help");
    b.press(&[' ', Key::Escape.into()]).await;
    b.press(&['s']).await;
    assert_eq!(decided(&s, &third).await, Decision::Skipped);

    b.close().await;
    s.stop().await;
    db.finish().await;
}
