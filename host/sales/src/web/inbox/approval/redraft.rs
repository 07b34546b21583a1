//! "Redraft" on a reply draft withdrawn because a newer message from the
//! same person arrived: the reply to the newest message. When that
//! message's own job already drafted one that waits, the rep is taken
//! there; otherwise the newest message is drafted for again (its
//! `email_received` submitted once more, keyed by the withdrawn gate, so a
//! second click opens the same job).

use crate::web::App;
use crate::web::problem::Problem;
use crate::web::store::{GateStatus, Job, PendingAction};
use baton_engine::orchestrator::{Event, Submitted};
use baton_service::auth::InboxUser;
use baton_store::address::address_key;
use baton_store::{Reach, StoreError};

/// The email event a reply answers.
const EMAIL_RECEIVED: &str = "email_received";
/// How many of the rep's newest jobs are searched for the newer message.
const SEARCH: i64 = 500;

/// Where a redraft leads, or why there is none.
#[derive(Debug)]
pub(super) enum Redraft {
    /// The page to go to: the newer message's waiting draft, or the job
    /// drafting for it now.
    Go(String),
    /// Why it cannot be redrafted, for the page.
    Refused(String),
}

/// Whether gate `g` is a reply draft its contact's newer message withdrew.
pub(super) fn redraftable(g: &PendingAction) -> bool {
    g.status == GateStatus::Superseded && g.basis.as_ref().is_some_and(|b| b["draft"] == "reply")
}

/// Redraft withdrawn reply `g` for `me`.
pub(super) async fn redraft(
    app: &App,
    me: &InboxUser,
    g: &PendingAction,
) -> Result<Redraft, Problem> {
    if !redraftable(g) {
        return Ok(Redraft::Refused(
            "Only a reply withdrawn because a newer message arrived can be redrafted.".into(),
        ));
    }
    let store = app.store();
    let Some(job) = store.job(&g.org_id, &g.job_id).await? else {
        return Ok(Redraft::Refused(
            "The message this replied to is gone.".into(),
        ));
    };
    let Some(newer) = newest_from_sender(app, g, &job).await? else {
        return Ok(Redraft::Refused(
            "The newer message is not here yet: try again in a moment.".into(),
        ));
    };
    // Its own job drafted a reply that waits: that is the redraft.
    let waiting = store
        .job_actions(&g.org_id, &newer.id)
        .await?
        .into_iter()
        .find(|a| a.status == GateStatus::Open);
    if let Some(a) = waiting {
        return Ok(Redraft::Go(format!("/inbox/approvals/{}", a.id)));
    }
    let Some(rep) = store.user(&g.org_id, &g.user_id).await? else {
        return Ok(Redraft::Refused("The rep this was for is gone.".into()));
    };
    let event = Event {
        event_type: EMAIL_RECEIVED.into(),
        org: me.org.slug.clone(),
        user: rep.handle,
        payload: newer.payload.clone(),
        source: format!("inbox:redraft:{}", me.credential),
        idempotency_key: Some(format!("redraft:{}", g.id)),
    };
    Ok(match app.orch.submit(&event).await? {
        Submitted::Accepted { job_id, .. } => Redraft::Go(format!("/inbox/jobs/{job_id}")),
        // A second click: the job the first one started.
        Submitted::Refused {
            job_id: Some(job_id),
            ..
        } => Redraft::Go(format!("/inbox/jobs/{job_id}")),
        Submitted::Refused { detail, .. } => Redraft::Refused(format!("Not redrafted: {detail}")),
    })
}

/// The newest message from the sender `job` answered, received after it,
/// among the rep's jobs (newest first, by when they came in).
async fn newest_from_sender(
    app: &App,
    g: &PendingAction,
    job: &Job,
) -> Result<Option<Job>, StoreError> {
    let sender = |j: &Job| j.payload["from"].as_str().and_then(address_key);
    let Some(from) = sender(job) else {
        return Ok(None);
    };
    let jobs = app
        .store()
        .jobs(&g.org_id, &Reach::Team(g.user_id.clone()), SEARCH)
        .await?;
    // Newest first: those before `job` in the list came after it.
    Ok(jobs.into_iter().take_while(|j| j.id != job.id).find(|j| {
        j.event_type == EMAIL_RECEIVED
            && j.user_id == g.user_id
            && sender(j).as_ref() == Some(&from)
    }))
}
