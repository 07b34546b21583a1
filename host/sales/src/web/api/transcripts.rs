//! `DELETE /v1/meetings/{id}/transcript?why=…`: erase a meeting's words
//! everywhere they live (`crate::transcripts::erase_meeting`): the stored
//! transcript keeps a tombstone (the org token's name, when, why), and what
//! the jobs that read it made of its words is rewritten; what they still
//! had to do is cancelled. Asked again, the answer names the earlier
//! erasure. A meeting the org holds no transcript of is 404; one whose
//! chain has a step running now is 409 (erase again once it has parked or
//! ended); a missing or empty `why` is 400.

use crate::transcripts::erase_meeting;
use crate::web::App;
use crate::web::Routes;
use crate::web::auth::OrgCaller;
use crate::web::openapi::{BadRequest, Conflict, NotFound, Org};
use crate::web::problem::{Problem, QueryArgs};
use axum::Json;
use axum::extract::{Path, State};
use baton_engine::attachments::erased_words;
use serde::Deserialize;
use serde_json::{Value, json};
use std::sync::Arc;

/// The longest reason taken, in characters.
const MAX_WHY: usize = 500;

pub(super) fn routes() -> Routes {
    Routes::new().routes(utoipa_axum::routes!(erase))
}

/// `?why=…`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct EraseQuery {
    /// Why the words are erased (1 to 500 characters), kept on the
    /// tombstone: "the customer's data-protection request of 28 Nov".
    why: Option<String>,
}

#[utoipa::path(delete, path = "/v1/meetings/{id}/transcript", operation_id = "eraseTranscript", security(("org" = [])),
    params(("id" = String, Path, description = "The meeting's id (the payload's `meeting_id`)", min_length = 1), EraseQuery),
    summary = "Erase a meeting's transcript and what its jobs made of its words, leaving a tombstone (who, when, why)",
    responses(Org, BadRequest, NotFound, Conflict,
        (status = 200, description = "What was erased: each transcript's tombstone, the jobs that read it, the values rewritten and what was cancelled", body = Object)))]
async fn erase(
    State(app): State<Arc<App>>,
    caller: OrgCaller,
    Path(meeting): Path<String>,
    QueryArgs(q): QueryArgs<EraseQuery>,
) -> Result<Json<Value>, Problem> {
    let why = q.why.as_deref().map(str::trim).unwrap_or_default();
    if why.is_empty() || why.chars().count() > MAX_WHY {
        return Err(Problem::bad_request(format!(
            "`why` says why the words are erased, in 1 to {MAX_WHY} characters (it is kept on \
             the tombstone)"
        )));
    }
    let by = caller.credential();
    let erased = erase_meeting(
        app.store(),
        app.orch.extensions(),
        &caller.org.id,
        &meeting,
        (&by, why),
        app.now(),
    )
    .await?;
    let transcripts: Vec<Value> = erased
        .iter()
        .map(|e| {
            json!({
                "erased": erased_words(&e.tombstone),
                "erased_at": e.tombstone.erased_at,
                "erased_by": e.tombstone.erased_by,
                "why": e.tombstone.why,
                "already": e.already,
                "jobs": e.jobs,
                "rewritten": e.rows.rewritten,
                "cancelled": e.rows.cancelled,
            })
        })
        .collect();
    Ok(Json(
        json!({ "meeting_id": meeting, "transcripts": transcripts }),
    ))
}
