//! Every page a rep sees in the inbox, after the demo's discovery call has
//! run through the shipped skills (a follow-up email, a CRM change and a
//! batch of tasks waiting): signed out and signed in as the rep (a magic
//! link), at desktop (1280 px) and phone (390 px) width in headless
//! Chromium. Each page is kept as a screenshot under
//! `<target>/test-artifacts/inbox/<page>-<width>.png`, must not scroll
//! sideways at phone width, and has no serious or critical violation by
//! axe-core. A second test reads each page's HTML as a rep reads it: no
//! action kind, step or skill name, event type or UUID in its visible text.
//!
//! On SQLite only: these are about the pages; what their forms decide is
//! tested on both backends through the API.

use crate::meeting_ended::{CALENDAR, CHILDREN, SKILLS, crm, post_demo_call, read};
use baton::store::{ActionKind, CrmTables, NewDeal};
use baton_tests::browser::{Browser, describe_violations};
use baton_tests::page_text::{uuids, visible_text};
use baton_tests::server::{Server, Setup, env, start};
use baton_tests::{Answer, HttpPeer, TestDb};
use serde_json::json;

/// The widths a page is seen at, with a window height to match.
const DESKTOP: (u32, u32) = (1280, 900);
const PHONE: (u32, u32) = (390, 844);

/// The inbox after the demo's discovery call: its job waits on three gates.
pub(crate) struct Demo {
    pub s: Server,
    pub db: TestDb,
    pub job: String,
    /// The follow-up email's gate (confirm).
    pub email: String,
    /// The CRM stage change's gate (confirm).
    pub crm: String,
    /// The tasks' gate (batch).
    pub batch: String,
    /// A deal of the rep's with two sources disagreeing on its seats.
    pub deal: String,
    _slack: HttpPeer,
}

impl Demo {
    pub(crate) async fn start() -> Demo {
        let slack = HttpPeer::answering(
            vec![],
            Answer::json(json!({ "ok": true, "channel": "D-REP1", "ts": "1700000000.000100" })),
        );
        let sequence = read("sequences/meeting_ended.toml");
        let db = TestDb::sqlite().await;
        let s = start(
            db.store.clone(),
            Setup {
                sequences: &[&sequence, CHILDREN, CALENDAR],
                skills: &SKILLS,
                env: env(&[
                    ("BATON_SLACK_BOT_TOKEN", "xoxb-test"),
                    (
                        "BATON_SLACK_API_URL",
                        &format!("http://127.0.0.1:{}/api", slack.port),
                    ),
                ]),
                ..Setup::default()
            },
        )
        .await;
        crm(&s).await;
        let (job, _) = post_demo_call(&s).await;
        let (_, gates) = s.get("/v1/approvals").await;
        let gate = |step: &str| {
            gates
                .as_array()
                .into_iter()
                .flatten()
                .find(|g| g["job_id"] == job.as_str() && g["step_name"] == step)
                .and_then(|g| g["id"].as_str())
                .unwrap_or_else(|| panic!("no gate for {step}: {gates:#}"))
                .to_owned()
        };
        let deal = disputed_deal(&s).await;
        Demo {
            deal,
            email: gate("draft-followup-email"),
            crm: gate("update-crm-from-meeting"),
            batch: gate("create-tasks-from-actions"),
            job,
            s,
            db,
            _slack: slack,
        }
    }

    /// The pages a signed-in rep sees: (name, path).
    pub(crate) fn pages(&self) -> Vec<(&'static str, String)> {
        vec![
            ("list", "/inbox".into()),
            ("email-gate", format!("/inbox/approvals/{}", self.email)),
            ("crm-gate", format!("/inbox/approvals/{}", self.crm)),
            ("batch-gate", format!("/inbox/approvals/{}", self.batch)),
            ("job", format!("/inbox/jobs/{}", self.job)),
            ("metrics", "/inbox/metrics".into()),
            ("accounts", "/inbox/accounts".into()),
            ("deal", format!("/inbox/deals/{}", self.deal)),
        ]
    }

    pub(crate) async fn finish(self) {
        self.s.stop().await;
        self.db.finish().await;
    }
}

/// A deal of the signed-in rep's at the contract stage, whose seat count
/// the signed order form and the kickoff call disagree on.
async fn disputed_deal(s: &Server) -> String {
    let deal = NewDeal {
        owner: Some(&s.user),
        name: "Contoso service desk pilot",
        stage: "negotiation",
        amount_cents: Some(1_200_000),
        currency: "USD",
        ..NewDeal::default()
    };
    let id = s
        .app
        .store()
        .insert_deal(&s.org, &deal, 0)
        .await
        .expect("deal");
    for (value, source, kind) in [
        (40, "the signed order form", "document"),
        (45, "the kickoff call", "conversation"),
    ] {
        let (status, r) = s
            .post(
                &format!("/v1/deals/{id}/facts"),
                json!({ "name": "seats", "value": value, "source": source, "kind": kind }),
            )
            .await;
        assert_eq!(status, 200, "{r}");
    }
    id
}

/// Look at the page `b` shows as `name` at `width`: keep a screenshot,
/// and note in `failures` a page wider than a phone's screen at phone width
/// (with the elements that stick out) and each serious accessibility
/// violation.
async fn look(b: &Browser, name: &str, width: u32, failures: &mut Vec<String>) {
    let shot = b.screenshot_to(&format!("inbox/{name}-{width}")).await;
    if width == PHONE.0 {
        let wide = b.scroll_width().await;
        if wide > u64::from(width) + 1 {
            let sticking_out = b
                .execute(
                    "return Array.from(document.querySelectorAll('body *'))
                        .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
                        .slice(0, 8)
                        .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                                  + (e.className && typeof e.className === 'string' ? '.' + e.className.trim().replace(/\\s+/g, '.') : ''));",
                    vec![],
                )
                .await
                .unwrap_or_default();
            failures.push(format!(
                "{name} at {width} px is {wide} px wide: it scrolls sideways (sticking out: {sticking_out}; see {})",
                shot.display()
            ));
        }
    }
    let violations = b.axe_serious().await;
    if !violations.is_empty() {
        failures.push(format!(
            "{name} at {width} px has {} serious or critical accessibility violations (see {}):\n{}",
            violations.len(),
            shot.display(),
            describe_violations(&violations)
        ));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_inbox_page_reads_at_desktop_and_phone_width_without_serious_accessibility_violations()
 {
    let d = Demo::start().await;
    let b = Browser::start(DESKTOP.0, DESKTOP.1).await;
    let mut failures = Vec::new();
    for (w, h) in [DESKTOP, PHONE] {
        b.resize(w, h).await;
        b.goto(&d.s.url("/inbox")).await.expect("the sign-in page");
        b.find(fantoccini::Locator::Css("#token"))
            .await
            .expect("a sign-in form");
        look(&b, "sign-in", w, &mut failures).await;
    }
    b.goto(&d.s.url(&d.s.magic_link().await))
        .await
        .expect("sign in");
    for (name, path) in d.pages() {
        for (w, h) in [DESKTOP, PHONE] {
            b.resize(w, h).await;
            b.goto(&d.s.url(&path)).await.expect("open the page");
            let title = b.title().await.expect("title");
            assert!(
                !title.starts_with("Sign in") && !title.starts_with("Not found"),
                "{name} ({path}) shows `{title}`"
            );
            look(&b, name, w, &mut failures).await;
        }
    }
    b.close().await;
    d.finish().await;
    assert!(
        failures.is_empty(),
        "{} problems:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

/// The words a rep never reads: the sequences' event types, step and skill
/// names, and the action kinds, each with what it is.
fn internal_words() -> Vec<(String, &'static str)> {
    let mut words: Vec<(String, &'static str)> = ActionKind::ALL
        .iter()
        .map(|k| (k.as_str().to_owned(), "action kind"))
        .collect();
    for (file, text) in [
        ("meeting_ended.toml", read("sequences/meeting_ended.toml")),
        ("children.toml", CHILDREN.to_owned()),
        ("calendar.toml", CALENDAR.to_owned()),
    ] {
        let seq = baton::orchestrator::sequence::parse(std::path::Path::new(file), &text)
            .expect("sequence");
        words.push((seq.event.clone(), "event type"));
        for step in &seq.steps {
            words.push((step.name.clone(), "step name"));
            words.push((step.skill.clone(), "skill name"));
        }
    }
    words.sort();
    words.dedup();
    words
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_rep_facing_page_shows_a_kind_step_or_skill_name_or_a_uuid() {
    let d = Demo::start().await;
    let words = internal_words();
    let cookie = d.s.rep_login().await;
    let mut failures = Vec::new();
    let mut pages = vec![("sign-in", "/inbox".to_owned(), None)];
    pages.extend(d.pages().into_iter().map(|(n, p)| (n, p, Some(&cookie))));
    check_words(&d, &words, pages, &mut failures).await;
    // Decided: the draft approved, the CRM change skipped as not right; the
    // metrics now count them by skill and label.
    for (gate, body) in [
        (&d.email, json!({ "decision": "approved" })),
        (
            &d.crm,
            json!({ "decision": "skipped", "feedback": { "reason": "other", "note": "Too early" } }),
        ),
    ] {
        let (status, decided) =
            d.s.post(&format!("/v1/approvals/{gate}/decision"), body)
                .await;
        assert_eq!(status, 200, "{decided}");
    }
    let decided = vec![
        (
            "email-gate approved",
            format!("/inbox/approvals/{}", d.email),
            Some(&cookie),
        ),
        (
            "crm-gate not right",
            format!("/inbox/approvals/{}", d.crm),
            Some(&cookie),
        ),
        (
            "job after decisions",
            format!("/inbox/jobs/{}", d.job),
            Some(&cookie),
        ),
        (
            "metrics after decisions",
            "/inbox/metrics".to_owned(),
            Some(&cookie),
        ),
    ];
    check_words(&d, &words, decided, &mut failures).await;
    d.finish().await;
    assert!(
        failures.is_empty(),
        "rep-facing pages show what only an operator should read (outside a `details.operator`):\n{}",
        failures.join("\n")
    );
}

/// Read each of `pages` (name, path, session cookie) as a rep, noting in
/// `failures` each internal word or UUID its visible text holds.
async fn check_words(
    d: &Demo,
    words: &[(String, &'static str)],
    pages: Vec<(&str, String, Option<&String>)>,
    failures: &mut Vec<String>,
) {
    for (name, path, cookie) in pages {
        let mut get = d.s.http.get(d.s.url(&path));
        if let Some(c) = cookie {
            get = get.header("cookie", c);
        }
        let r = get.send().await.expect("GET");
        assert_eq!(r.status().as_u16(), 200, "{name} ({path})");
        let text = visible_text(&r.text().await.expect("HTML"));
        assert!(
            cookie.is_none() || !text.contains("Org API token"),
            "{name} ({path}) asks to sign in: {text}"
        );
        let mut found: Vec<String> = words
            .iter()
            .filter(|(w, _)| text.contains(w.as_str()))
            .map(|(w, what)| format!("{what} `{w}`"))
            .collect();
        let mut ids = uuids(&text);
        ids.sort();
        ids.dedup();
        // Each id with the words around it, so a failure says where it is.
        found.extend(ids.into_iter().map(|u| {
            let at = text.find(&u).unwrap_or(0);
            let from = text.floor_char_boundary(at.saturating_sub(60));
            format!("UUID {u} in “…{}…”", &text[from..at + u.len()])
        }));
        if !found.is_empty() {
            failures.push(format!("{name} ({path}): {}", found.join(", ")));
        }
    }
}
