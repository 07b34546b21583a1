//! The contract after the proposal (issue 41), through `baton serve` with
//! the shipped `contract_drafting` sequence and `draft-contract` skill, on
//! both backends: the prospect accepts on the link page and the contract
//! is drafted from the accepted terms with every missing legal fact named
//! (never invented), on the deal's page and as a PDF; it cannot be
//! approved until they are filled; filled, a new version supersedes the
//! earlier; a partial legal approval that does not permit sending it for
//! signature sends nothing; once it does, the send waits at the rep's gate
//! and goes out as the rep to the loopback SMTP server with the contract
//! attached as a PDF, read back here by a real PDF reader (`pdftotext`).

use super::*;
use baton::store::{CrmTables, NewDeal};
use baton_tests::{Backend, PATIENCE, backend_test, poll};
use mail_parser::MimeHeaders;
use serde_json::json;

/// The shipped sequence, as the operator installs it.
const CONTRACT_SEQUENCE: &str = include_str!("../../../../sequences/contract_drafting.toml");

/// The deal's state.
pub(super) async fn state(s: &Server, deal: &str) -> Value {
    let (status, st) = s.get(&format!("/v1/deals/{deal}/state")).await;
    assert_eq!(status, 200, "{st}");
    st
}

/// The deal's contract versions, `(version, status, detail)`.
fn contracts(st: &Value) -> Vec<(i64, String, String)> {
    artifacts(st, "contract")
}

/// The deal's versions of `kind`, `(version, status, detail)`, newest
/// first.
pub(super) fn artifacts(st: &Value, kind: &str) -> Vec<(i64, String, String)> {
    st["artifacts"]
        .as_array()
        .expect("artifacts")
        .iter()
        .filter(|a| a["artifact"] == kind)
        .map(|a| {
            (
                a["version"].as_i64().expect("version"),
                a["status"].as_str().expect("status").to_owned(),
                a["detail"].as_str().expect("detail").to_owned(),
            )
        })
        .collect()
}

/// The `contract_drafting` jobs, newest first.
async fn drafting_jobs(s: &Server) -> Vec<Value> {
    jobs_of(s, "contract_drafting").await
}

/// Wait until `jobs` contract drafting jobs have run.
async fn drafted(s: &Server, jobs: usize) {
    settled(s, "contract_drafting", jobs).await;
}

/// Wait until `jobs` jobs of `event` have run (finished, or waiting at
/// their gate); the jobs and the refusals on failure.
pub(super) async fn settled(s: &Server, event: &str, jobs: usize) {
    let settled = poll(PATIENCE, async || {
        let all = jobs_of(s, event).await;
        (all.len() == jobs
            && all.iter().all(|j| {
                ["completed", "awaiting_approval"].contains(&j["status"].as_str().unwrap_or(""))
            }))
        .then_some(())
    })
    .await;
    if settled.is_none() {
        let (_, all) = s.get("/v1/jobs").await;
        let (_, refused) = s.get("/v1/jobs?status=refused").await;
        panic!("{jobs} {event} job(s) did not settle: {all:#} refused: {refused:#}");
    }
}

/// Approve the send at `gate` of `job` and wait for its delivery: the one
/// email it sent, its subject and the text of the PDF it attaches (read
/// back by `pdftotext`).
pub(super) async fn approved_with_pdf(
    s: &Server,
    smtp: &SmtpSink,
    job: &str,
    gate: &Value,
) -> (String, String) {
    let before = smtp.messages().len();
    let (status, r) = decide(s, gate, json!({ "decision": "approved" })).await;
    assert_eq!(status, 200, "{r}");
    s.wait_job(job, |j| j["effects"][0]["status"] == "delivered")
        .await;
    let messages = smtp.messages();
    assert_eq!(messages.len(), before + 1, "one email");
    let raw = messages[messages.len() - 1]["data"].as_str().expect("data");
    let mail = mail_parser::MessageParser::default()
        .parse(raw.as_bytes())
        .expect("a MIME message");
    let pdf = mail
        .attachments()
        .find(|a| a.is_content_type("application", "pdf"))
        .expect("a PDF is attached");
    (
        mail.subject().unwrap_or_default().to_owned(),
        pdf_text(pdf.contents()),
    )
}

/// The text of a PDF, as `pdftotext` reads it.
pub(super) fn pdf_text(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("document.pdf");
    std::fs::write(&file, pdf).expect("write the PDF");
    let out = std::process::Command::new("pdftotext")
        .args(["-layout"])
        .arg(&file)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils; `cargo xtask test` installs it)");
    assert!(out.status.success(), "pdftotext: {out:?}");
    String::from_utf8(out.stdout).expect("utf-8 text")
}

/// A server with `sequences` (besides the proposal's) and `skills`,
/// emailing through a loopback SMTP sink, and Acme's deal with Northwind
/// (Marta Ruiz its contact) at the proposal stage, the org's profile
/// `profile`: the sink, the database, the server and the deal's id.
pub(super) async fn northwind(
    backend: Backend,
    sequences: &[&str],
    skills: &[&str],
    profile: Value,
) -> (SmtpSink, TestDb, Server, String) {
    let smtp = SmtpSink::start();
    let db = TestDb::new(backend).await;
    let org = db
        .store
        .upsert_org("acme", "Acme", &json!({}))
        .await
        .expect("org");
    let contact = db
        .store
        .upsert_contact(&org, None, "Marta Ruiz", MARTA, Some("Head of Operations"))
        .await
        .expect("contact");
    let deal = db
        .store
        .insert_deal(
            &org,
            &NewDeal {
                name: "Northwind expansion",
                stage: "proposal",
                currency: "USD",
                contact_id: Some(&contact),
                ..NewDeal::default()
            },
            0,
        )
        .await
        .expect("deal");
    let seq = proposing("link").replace(
        "title = \"Renewals Hub for Northwind\"",
        &format!("title = \"Renewals Hub for Northwind\"\ndeal_id = \"{deal}\""),
    );
    let pairs = [smtp_env(&smtp)];
    let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let all: Vec<&str> = std::iter::once(seq.as_str())
        .chain(sequences.iter().copied())
        .collect();
    let installed: Vec<&str> = std::iter::once("notify-proposal-viewed")
        .chain(skills.iter().copied())
        .collect();
    let s = start(
        db.store.clone(),
        Setup {
            sequences: &all,
            skills: &installed,
            env: env(&pairs),
            ..Setup::default()
        },
    )
    .await;
    s.app
        .store()
        .upsert_org("acme", "Acme", &profile)
        .await
        .expect("profile");
    (smtp, db, s, deal)
}

/// The proposal goes out as a link, and the prospect accepts it on its
/// page.
pub(super) async fn accepted_on_its_page(s: &Server) {
    sent(s, "northwind").await;
    let link = proposals(s).await[0]["link"]
        .as_str()
        .expect("link")
        .to_owned();
    let accepted = s
        .http
        .post(format!("{link}/accept"))
        .header("user-agent", FIREFOX)
        .header("content-type", "application/x-www-form-urlencoded")
        .send()
        .await
        .expect("accept");
    assert_eq!(accepted.status().as_u16(), 200);
}

backend_test!(
    an_accepted_proposal_drafts_its_contract_and_sends_it_for_signature_once_permitted,
    an_accepted_proposal_drafts_its_contract_and_sends_it_for_signature_once_permitted_body
);

async fn an_accepted_proposal_drafts_its_contract_and_sends_it_for_signature_once_permitted_body(
    backend: Backend,
) {
    let (smtp, db, s, deal) = northwind(
        backend,
        &[CONTRACT_SEQUENCE],
        &["draft-contract"],
        json!({ "legal_name": "Acme Services Ltd",
                "contract": { "payment_days": 30, "deposit_percent": 30 } }),
    )
    .await;
    // The proposal goes out and the prospect accepts it on its page.
    accepted_on_its_page(&s).await;

    // The contract is drafted from the accepted terms, naming what it lacks.
    drafted(&s, 1).await;
    let st = state(&s, &deal).await;
    assert_eq!(
        contracts(&st),
        [(1, "draft".to_owned(), "draft, 3 facts missing".to_owned())],
        "{st}"
    );
    let log = st["events"].to_string();
    assert!(
        log.contains("contract drafted from Proposal v1")
            && log.contains("missing parties, signatory, effective_date"),
        "{log}"
    );
    let v1 = st["artifacts"]
        .as_array()
        .expect("artifacts")
        .iter()
        .find(|a| a["artifact"] == "contract")
        .expect("contract")["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let cookie = s.inbox_login(&s.token).await;
    let (status, page) = s
        .inbox_get(&cookie, &format!("/inbox/deals/{deal}/documents/{v1}"))
        .await;
    assert_eq!(status, 200);
    for want in [
        "Draft: to be completed before it can be approved",
        "Missing: who signs for Northwind, by name and title",
        "Acme Services Ltd (“Acme”), the provider",
        "$21,600",
    ] {
        assert!(page.contains(want), "{want}: {page}");
    }
    // Nothing is invented and nothing is sent.
    assert!(!page.contains("Marta Ruiz,"), "{page}");
    assert!(
        smtp.messages().is_empty(),
        "a link proposal and a draft send nothing"
    );

    // The legal approval cannot be given while the facts are missing.
    let decision = format!("/v1/deals/{deal}/approvals/1/decision");
    let (status, r) = s
        .post(
            &decision,
            json!({ "class": "legal_or_contract", "state": "approved", "evidence": "read" }),
        )
        .await;
    assert_eq!(status, 409, "{r}");
    assert!(
        r["detail"]
            .as_str()
            .is_some_and(|d| d.contains("signatory is missing")),
        "{r}"
    );

    // Filled, one fact at a time, the contract is drafted again each time;
    // a draft of terms that have moved on by the time it finishes records
    // nothing, so the newest version is the complete one.
    for (name, value) in [
        ("parties", json!({ "client": "Northwind Logistics GmbH" })),
        ("signatory", json!("Marta Ruiz, Head of Operations")),
        ("effective_date", json!("2027-01-04")),
    ] {
        let (status, r) = s
            .post(
                &format!("/v1/deals/{deal}/facts"),
                json!({ "name": name, "value": value, "source": "the signed order form", "kind": "document" }),
            )
            .await;
        assert_eq!(status, 200, "{r}");
    }
    drafted(&s, 4).await;
    let st = state(&s, &deal).await;
    let versions = contracts(&st);
    assert!(versions.len() >= 2, "{versions:?}");
    assert_eq!(
        (versions[0].1.as_str(), versions[0].2.as_str()),
        ("draft", "draft, nothing missing"),
        "{versions:?}"
    );
    assert!(
        versions[1..].iter().all(|v| v.1 == "superseded"),
        "{versions:?}"
    );
    let newest = versions[0].0;

    // Legal approves only the deposit invoice: nothing is sent.
    let (status, r) = s
        .post(
            &decision,
            json!({ "class": "legal_or_contract", "state": "partial",
                    "permits": ["deposit_invoice"], "evidence": "terms fine; signatory to confirm" }),
        )
        .await;
    assert_eq!(status, 200, "{r}");
    drafted(&s, 4).await;
    let (_, gates) = s.get("/v1/approvals").await;
    assert!(
        !gates.to_string().contains("for signature"),
        "no send while the approval does not permit it: {gates}"
    );

    // Reopened to permit sending it for signature: the same contract (no
    // new version) waits at the rep's gate as an email with its PDF.
    let (status, r) = s
        .post(
            &decision,
            json!({ "class": "legal_or_contract", "state": "partial",
                    "permits": ["send_for_signature", "deposit_invoice"], "evidence": "signatory confirmed" }),
        )
        .await;
    assert_eq!(status, 200, "{r}");
    drafted(&s, 5).await;
    let job = drafting_jobs(&s).await[0]["id"]
        .as_str()
        .expect("job")
        .to_owned();
    let gate = s.open_gate(&job).await;
    let preview = gate.to_string();
    assert!(preview.contains("email to"), "{preview}");
    assert_eq!(
        contracts(&state(&s, &deal).await).len(),
        versions.len(),
        "the same contract drafted again is no new version"
    );
    let (subject, text) = approved_with_pdf(&s, &smtp, &job, &gate).await;
    assert_eq!(subject, "Services agreement: Renewals Hub for Northwind");
    for want in [
        "Services agreement: Renewals Hub for Northwind",
        "Northwind Logistics GmbH",
        "Acme Services Ltd",
        "Marta Ruiz, Head of Operations",
        "Effective date: 2027-01-04",
        "$21,600",
        "within 30 days",
    ] {
        assert!(text.contains(want), "{want} in the PDF: {text}");
    }
    assert!(!text.contains("to be filled"), "{text}");

    // The contract is sent, and the deal's log says so.
    let st = state(&s, &deal).await;
    assert_eq!(contracts(&st)[0].1, "current", "{st}");
    assert!(
        st["events"]
            .to_string()
            .contains(&format!("contract v{newest} sent for signature")),
        "{st}"
    );
    s.stop().await;
    db.finish().await;
}
