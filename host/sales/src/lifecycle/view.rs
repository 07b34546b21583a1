//! A deal's state as the API (`GET /v1/deals/{id}/state`), the inbox's deal
//! page and `baton deal show` all show it: the deal, its engagement (or
//! the one it would start as), its artifacts with their versions, its
//! tasks (open and done) and its event log.

use crate::documents::{CONTRACT, INVOICE};
use crate::engagement::{Engagement, Workflow};
use crate::store::{
    CrmTables, Deal, Document, DocumentTables, EngagementEvent, EngagementTables, Proposal,
    ProposalStatus, ProposalTables, Task,
};
use baton_store::{OrgId, Store, StoreError};
use serde::Serialize;

/// A deal and everything its engagement knows.
#[derive(Debug, Clone, Serialize)]
pub struct DealState {
    pub deal: Deal,
    /// Whether anything has happened to the engagement yet (else `state`
    /// is where it would start).
    pub started: bool,
    pub state: Engagement,
    pub artifacts: Vec<ArtifactVersion>,
    pub tasks: Vec<Task>,
    pub events: Vec<EngagementEvent>,
}

/// Where a version of an artifact stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum VersionStatus {
    Draft,
    Current,
    Superseded,
    Archived,
    /// Beside the current one, for another scope or audience.
    Forked,
}

/// One version of one of the deal's artifacts.
#[derive(Debug, Clone, Serialize)]
pub struct ArtifactVersion {
    /// `proposal`, `contract` or `invoice`.
    pub artifact: &'static str,
    pub id: String,
    pub version: i64,
    pub title: String,
    pub status: VersionStatus,
    /// Where the artifact itself stands (e.g. a proposal's `viewed`).
    pub detail: String,
    /// The version it replaced.
    pub supersedes: Option<i64>,
    pub created_at: i64,
}

impl ArtifactVersion {
    fn of_document(d: &Document) -> ArtifactVersion {
        let status = match d.status.as_str() {
            "draft" => VersionStatus::Draft,
            "superseded" => VersionStatus::Superseded,
            _ => VersionStatus::Current,
        };
        let detail = match (d.status.as_str(), d.gaps) {
            ("draft", 0) => "draft, nothing missing".to_owned(),
            ("draft", 1) => "draft, 1 fact missing".to_owned(),
            ("draft", n) => format!("draft, {n} facts missing"),
            (other, _) => other.to_owned(),
        };
        ArtifactVersion {
            artifact: match d.kind.as_str() {
                CONTRACT => CONTRACT,
                INVOICE => INVOICE,
                _ => "document",
            },
            id: d.id.clone(),
            version: d.version,
            title: d.title.clone(),
            status,
            detail,
            supersedes: d.supersedes,
            created_at: d.created_at,
        }
    }

    /// `p`, which replaced version `supersedes` of the deal's main line
    /// (a fork replaces nothing).
    fn of_proposal(p: &Proposal, supersedes: Option<i64>) -> ArtifactVersion {
        let live = matches!(
            p.status,
            ProposalStatus::Sent | ProposalStatus::Viewed | ProposalStatus::Accepted
        );
        let status = match (p.status, &p.fork_reason) {
            (ProposalStatus::Draft, _) => VersionStatus::Draft,
            (ProposalStatus::Superseded, _) => VersionStatus::Superseded,
            (ProposalStatus::Declined, _) => VersionStatus::Archived,
            (_, Some(_)) if live => VersionStatus::Forked,
            _ => VersionStatus::Current,
        };
        let detail = match &p.fork_reason {
            Some(why) => format!("{}, a fork ({why})", p.status),
            None => p.status.to_string(),
        };
        ArtifactVersion {
            artifact: "proposal",
            id: p.id.clone(),
            version: p.version,
            title: p.title.clone(),
            status,
            detail,
            supersedes: if p.fork_reason.is_some() {
                None
            } else {
                supersedes
            },
            created_at: p.created_at,
        }
    }
}

/// `deal`'s state in `org`; `None` when `org` has no such deal.
pub async fn deal_state(
    store: &Store,
    w: &Workflow,
    org: &OrgId,
    deal: &str,
) -> Result<Option<DealState>, StoreError> {
    let Some(d) = store.deal(org, deal).await? else {
        return Ok(None);
    };
    let held = store.engagement(org, deal).await?;
    let started = held.is_some();
    let state = held.unwrap_or_else(|| Engagement::start(w, deal, &d.stage));
    let proposals = store.proposals_of_deal(org, deal).await?;
    let documents = store.documents_of_deal(org, deal).await?;
    // Oldest first: each main-line version replaced the one before it.
    let mut main_line = None;
    let artifacts = proposals
        .iter()
        .map(|p| {
            let v = ArtifactVersion::of_proposal(p, main_line);
            if p.fork_reason.is_none() {
                main_line = Some(p.version);
            }
            v
        })
        .chain(documents.iter().map(ArtifactVersion::of_document))
        .collect();
    let tasks = store.deal_tasks(org, deal).await?;
    let events = store.engagement_events(org, deal).await?;
    Ok(Some(DealState {
        deal: d,
        started,
        state,
        artifacts,
        tasks,
        events,
    }))
}
