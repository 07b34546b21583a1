//! `/inbox/deals/{id}/documents/{doc}`: one version of a deal's document
//! (a contract, an invoice) as the rep reads it, with what it lacks named at the top
//! and a link to its PDF (`…/pdf`, the file an email attaches). Only the
//! deal's rep and their manager see it; anyone else is told "not found".

use super::deal::{deciding, not_found};
use super::page;
use crate::documents::{Drafted, html as doc_html};
use crate::store::{Document, DocumentTables};
use crate::web::problem::Problem;
use crate::web::{App, Sales};
use axum::Extension;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::CookieJar;
use maud::html;
use std::sync::Arc;

/// The document `doc` of `deal`, when the signed-in user may see the
/// deal; otherwise the page to answer with.
async fn visible(
    app: &App,
    jar: &CookieJar,
    deal: &str,
    doc: &str,
) -> Result<Result<(Document, Drafted), Response>, Problem> {
    let me = match deciding(app, jar, deal, "Sign in to see this document.").await? {
        Ok(me) => me,
        Err(page) => return Ok(Err(page)),
    };
    let found = app
        .store()
        .document(&me.org.id, doc)
        .await?
        .filter(|x| x.deal_id == deal)
        .and_then(|x| Some((Drafted::read(&x.kind, &x.doc)?, x)));
    Ok(found
        .map(|(c, x)| (x, c))
        .ok_or_else(|| not_found("No such document")))
}

#[utoipa::path(get, path = "/inbox/deals/{id}/documents/{doc}", operation_id = "inboxDealDocument",
    summary = "One version of a deal's document (a contract, an invoice), with what it lacks", security(("session" = []), ()),
    params(("id" = String, Path, description = "The deal's id", min_length = 1),
        ("doc" = String, Path, description = "The document's id", min_length = 1)),
    responses(crate::web::openapi::Db, (status = 200, description = "The document", body = String, content_type = "text/html"),
        (status = 401, description = "Not signed in: the sign-in page", body = String, content_type = "text/html"),
        (status = 404, description = "No such document, or another rep's deal", body = String, content_type = "text/html")))]
pub(super) async fn document(
    State(app): State<Arc<App>>,
    Extension(_sales): Extension<Arc<Sales>>,
    jar: CookieJar,
    Path((deal, doc)): Path<(String, String)>,
) -> Result<Response, Problem> {
    let (d, c) = match visible(&app, &jar, &deal, &doc).await? {
        Ok(found) => found,
        Err(page) => return Ok(page),
    };
    let body = html! {
        p { a href={ "/inbox/deals/" (deal) } { "← The deal" } " · "
            a href={ "/inbox/deals/" (deal) "/documents/" (d.id) "/pdf" } { "PDF" } }
        p.muted { "Version " (d.version) " · " (d.status) }
        (doc_html::render(&c.blocks()))
    };
    Ok(page(c.title(), body).into_response())
}

#[utoipa::path(get, path = "/inbox/deals/{id}/documents/{doc}/pdf", operation_id = "inboxDealDocumentPdf",
    summary = "One version of a deal's document as PDF", security(("session" = []), ()),
    params(("id" = String, Path, description = "The deal's id", min_length = 1),
        ("doc" = String, Path, description = "The document's id", min_length = 1)),
    responses(crate::web::openapi::Db, (status = 200, description = "The PDF", body = Vec<u8>, content_type = "application/pdf"),
        (status = 401, description = "Not signed in: the sign-in page", body = String, content_type = "text/html"),
        (status = 404, description = "No such document, or another rep's deal", body = String, content_type = "text/html")))]
pub(super) async fn pdf(
    State(app): State<Arc<App>>,
    jar: CookieJar,
    Path((deal, doc)): Path<(String, String)>,
) -> Result<Response, Problem> {
    let (d, c) = match visible(&app, &jar, &deal, &doc).await? {
        Ok(found) => found,
        Err(page) => return Ok(page),
    };
    let (_, bytes) = c.pdf(d.version);
    Ok(([(header::CONTENT_TYPE, "application/pdf")], bytes).into_response())
}
