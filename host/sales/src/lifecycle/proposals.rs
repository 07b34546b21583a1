//! What a proposal's life does to its deal's engagement: sent (created or
//! revised), accepted, declined. Each is applied once per proposal and
//! answer (the happening's key), so a redelivered effect or a retried
//! request changes nothing twice.

use crate::engagement::{EventType, Fact, Happening, SourceKind, Workflow};
use crate::store::{Advanced, CrmTables, EngagementTables, NewTask, Proposal, ProposalStatus};
use baton_store::{Store, StoreError};
use baton_types::proposal::ProposalDoc;
use serde_json::json;
use sha2::{Digest, Sha256};

/// Who moved the proposal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum By<'a> {
    /// The prospect, on the link page.
    Prospect,
    /// Someone of the org, by their credential (`api:<token>`,
    /// `inbox:<handle>`).
    Caller(&'a str),
    /// baton itself (a delivered effect).
    Baton,
}

impl By<'_> {
    /// How the event log names it.
    pub fn actor(self) -> String {
        match self {
            By::Prospect => "prospect".into(),
            By::Caller(c) => (*c).to_owned(),
            By::Baton => "baton".into(),
        }
    }
}

/// Apply what happened to `p` (now at its current status) to its deal's
/// engagement; `None` for a proposal on no deal.
pub async fn proposal_moved(
    store: &Store,
    w: &Workflow,
    p: &Proposal,
    by: By<'_>,
    now: i64,
) -> Result<Option<Advanced>, StoreError> {
    let Some(deal) = &p.deal_id else {
        return Ok(None);
    };
    let name = format!("proposal v{} ({})", p.version, p.title);
    // One source for whichever version the client accepted last, so a
    // later acceptance (a change order) replaces the terms instead of
    // disputing them; `accepted_proposal` says which version it is, and
    // the entries' `related_artifact` its id.
    let fact = |value| Fact {
        value,
        source: "the accepted proposal".into(),
        kind: SourceKind::Document,
        at: now,
    };
    let (event, facts, artifact_log) = match p.status {
        ProposalStatus::Draft | ProposalStatus::Superseded => return Ok(None),
        ProposalStatus::Sent | ProposalStatus::Viewed => {
            let log = if p.version > 1 {
                (
                    EventType::ArtifactRevised,
                    format!("{name} sent; it supersedes v{}", p.version - 1),
                )
            } else {
                (EventType::ArtifactCreated, format!("{name} sent"))
            };
            ("proposal_sent", Vec::new(), Some(log))
        }
        ProposalStatus::Accepted => (
            "proposal_accepted",
            [
                (
                    "accepted_proposal".to_owned(),
                    fact(json!({"id": p.id, "version": p.version, "title": p.title})),
                ),
                (
                    "fees".to_owned(),
                    fact(json!({"amount_cents": p.amount_cents, "currency": p.currency})),
                ),
            ]
            .into_iter()
            .chain(seats(&p.document).map(|n| ("seats".to_owned(), fact(json!(n)))))
            .collect(),
            None,
        ),
        ProposalStatus::Declined => ("proposal_declined", Vec::new(), None),
    };
    let h = Happening {
        event: event.into(),
        actor: by.actor(),
        facts,
        artifact: Some(p.id.clone()),
        evidence: match by {
            By::Prospect => format!("{name}: answered on its link page"),
            By::Caller(c) => format!("{name}: recorded by {c}"),
            By::Baton => format!("{name}: its send was delivered"),
        },
        artifact_log,
        resolve: None,
        approval: None,
    };
    let key = format!("{event}:{}", p.id);
    store
        .advance_engagement(&p.org_id, deal, w, &key, &h, now)
        .await
        .map(Some)
}

/// The seats a proposal prices: the quantities of its lines that sell
/// seats, users or licences; `None` when no line does.
fn seats(document: &serde_json::Value) -> Option<u64> {
    let doc: ProposalDoc = serde_json::from_value(document.clone()).ok()?;
    let per_seat = |item: &str| {
        let item = item.to_lowercase();
        ["seat", "user", "licen"].iter().any(|w| item.contains(w))
    };
    let lines: Vec<u64> = doc
        .pricing
        .iter()
        .filter(|l| per_seat(&l.item))
        .map(|l| u64::from(l.quantity))
        .collect();
    (!lines.is_empty()).then(|| lines.iter().sum())
}

/// The prospect asked `question` on the proposal's link page: a task for
/// the rep who sent it (the same question twice is one task), and an entry
/// in its deal's engagement log (without the question's words).
pub async fn proposal_question(
    store: &Store,
    w: &Workflow,
    p: &Proposal,
    doc: &ProposalDoc,
    question: &str,
    now: i64,
) -> Result<(), StoreError> {
    let digest = hex::encode(&Sha256::digest(question.as_bytes())[..12]);
    let who = doc
        .contact_name
        .as_deref()
        .filter(|n| !n.trim().is_empty())
        .unwrap_or("The prospect");
    let title = format!(
        "Answer {who}'s question on \u{201c}{}\u{201d}: {question}",
        p.title
    );
    let key = format!("proposal_question:{}:{digest}", p.id);
    store
        .insert_task(
            &p.org_id,
            &NewTask {
                user: Some(&p.user_id),
                deal_id: p.deal_id.as_deref(),
                contact_id: p.contact_id.as_deref(),
                title: &title,
                due_date: None,
                source_key: &key,
                about: None,
            },
            now,
        )
        .await?;
    if let Some(deal) = &p.deal_id {
        let h = Happening {
            event: "proposal_question".into(),
            actor: By::Prospect.actor(),
            facts: Vec::new(),
            artifact: Some(p.id.clone()),
            evidence: format!(
                "proposal v{}: a question on its link page, a task for the rep",
                p.version
            ),
            artifact_log: None,
            resolve: None,
            approval: None,
        };
        store
            .advance_engagement(&p.org_id, deal, w, &key, &h, now)
            .await?;
    }
    Ok(())
}
