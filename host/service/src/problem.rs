//! Errors as `application/problem+json` (RFC 9457). A client's mistake is a
//! 4xx naming the problem; only our own failures are 500s, and their detail
//! goes to the log, not to the caller.

use axum::extract::{FromRequest, Request};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use baton_engine::orchestrator::OrchestratorError;
use baton_engine::report::Report;
use baton_engine::store::StoreError;
use baton_engine::store::text::{nul_at, nul_message};
use baton_engine::verdict::Verdict;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

/// A problem answer.
#[derive(Debug)]
pub struct Problem {
    pub status: StatusCode,
    pub detail: String,
    /// Extra members, e.g. a refusal's `reason` and `job_id`.
    pub extra: Option<Value>,
}

impl Problem {
    /// A problem with `status` and a message for the caller.
    pub fn new(status: StatusCode, detail: impl Into<String>) -> Problem {
        Problem {
            status,
            detail: detail.into(),
            extra: None,
        }
    }

    /// 400.
    pub fn bad_request(detail: impl Into<String>) -> Problem {
        Problem::new(StatusCode::BAD_REQUEST, detail)
    }

    /// 401.
    pub fn unauthorized(detail: impl Into<String>) -> Problem {
        Problem::new(StatusCode::UNAUTHORIZED, detail)
    }

    /// 403.
    pub fn forbidden(detail: impl Into<String>) -> Problem {
        Problem::new(StatusCode::FORBIDDEN, detail)
    }

    /// 404.
    pub fn not_found(detail: impl Into<String>) -> Problem {
        Problem::new(StatusCode::NOT_FOUND, detail)
    }

    /// 422.
    pub fn unprocessable(detail: impl Into<String>) -> Problem {
        Problem::new(StatusCode::UNPROCESSABLE_ENTITY, detail)
    }

    /// 500: the detail is logged; the caller gets a generic message.
    pub fn internal(error: impl std::fmt::Display) -> Problem {
        tracing::error!(error = %error, "request failed");
        Problem::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal error; the server log has the details",
        )
    }

    /// Add members to the problem document.
    pub fn with(mut self, extra: Value) -> Problem {
        self.extra = Some(extra);
        self
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let mut body = json!({
            "type": "about:blank",
            "title": self.status.canonical_reason().unwrap_or("Error"),
            "status": self.status.as_u16(),
            "detail": self.detail,
        });
        if let (Some(Value::Object(extra)), Some(map)) = (self.extra, body.as_object_mut()) {
            map.extend(extra);
        }
        let mut response = (
            self.status,
            [(header::CONTENT_TYPE, "application/problem+json")],
            body.to_string(),
        )
            .into_response();
        // Not ready yet, or the database is away: try again in a second.
        if self.status == StatusCode::SERVICE_UNAVAILABLE {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, header::HeaderValue::from_static("1"));
        }
        response
    }
}

impl From<StoreError> for Problem {
    fn from(e: StoreError) -> Problem {
        match e {
            StoreError::NotFound(m) => Problem::not_found(format!("{m} not found")),
            StoreError::Stale(m) => Problem::new(StatusCode::CONFLICT, m),
            other if other.verdict() == Verdict::Retry => {
                tracing::warn!(error = %other, "database busy or unreachable");
                Problem::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "the database is busy or unreachable; retry",
                )
            }
            other => Problem::internal(Report(&other)),
        }
    }
}

impl From<OrchestratorError> for Problem {
    fn from(e: OrchestratorError) -> Problem {
        match e {
            OrchestratorError::Store(e) => e.into(),
            OrchestratorError::Invalid(m) => Problem::unprocessable(m),
            OrchestratorError::Refused(m) => Problem::new(StatusCode::CONFLICT, m),
            OrchestratorError::NotFound(m) => Problem::not_found(format!("{m} not found")),
            e @ (OrchestratorError::Json(_)
            | OrchestratorError::Slots(_)
            | OrchestratorError::Task(_)) => Problem::internal(Report(&e)),
        }
    }
}

/// 422 naming the first string or key under `root` in `doc` that holds a
/// NUL character: the one check every JSON document from outside passes.
pub fn refuse_nul(doc: &Value, root: &str) -> Result<(), Problem> {
    match nul_at(doc, root) {
        Some(field) => Err(Problem::unprocessable(nul_message(&field))),
        None => Ok(()),
    }
}

/// A JSON body whose rejections are problems (bad JSON, wrong fields, too
/// large, wrong content type, text holding a NUL character: 422 naming the
/// field).
pub struct JsonBody<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for JsonBody<T> {
    type Rejection = Problem;

    async fn from_request(req: Request, state: &S) -> Result<Self, Problem> {
        let doc = match axum::Json::<Value>::from_request(req, state).await {
            Ok(axum::Json(v)) => v,
            Err(r) => return Err(Problem::new(r.status(), r.body_text())),
        };
        refuse_nul(&doc, "")?;
        serde_json::from_value(doc).map(JsonBody).map_err(|e| {
            Problem::unprocessable(format!(
                "Failed to deserialize the JSON body into the target type: {e}"
            ))
        })
    }
}

/// End the connection of a refused request that came with a body: it may
/// be unread (an upload refused 401 before its bytes are taken), and a
/// connection with an unread body cannot carry another request. Saying
/// `Connection: close` keeps a client from reusing it and seeing its next
/// request fail half-sent.
pub(crate) async fn close_after_refused_body(
    req: Request,
    next: axum::middleware::Next,
) -> Response {
    let headers = req.headers();
    let body = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
        .is_some_and(|n| n > 0)
        || headers.contains_key(header::TRANSFER_ENCODING);
    let mut response = next.run(req).await;
    let status = response.status();
    if body && (status.is_client_error() || status.is_server_error()) {
        response.headers_mut().insert(
            header::CONNECTION,
            header::HeaderValue::from_static("close"),
        );
    }
    response
}

/// Refuse a request whose path or query holds a NUL byte (`%00`), or whose
/// path is not UTF-8 once decoded: no id, handle or slug has either, and
/// Postgres cannot even compare a NUL. One rule, before any route.
pub(crate) async fn refuse_bad_uri(
    req: Request,
    next: axum::middleware::Next,
) -> Result<Response, Problem> {
    let uri = req.uri();
    let nul = |s: &str| {
        s.as_bytes()
            .windows(3)
            .any(|w| w.eq_ignore_ascii_case(b"%00"))
    };
    if nul(uri.path()) || uri.query().is_some_and(nul) {
        return Err(Problem::bad_request(
            "the request's path or query contains a NUL byte (%00)",
        ));
    }
    if percent_encoding::percent_decode_str(uri.path())
        .decode_utf8()
        .is_err()
    {
        return Err(Problem::bad_request(
            "the request's path is not UTF-8 once its %-escapes are decoded",
        ));
    }
    Ok(next.run(req).await)
}

/// A form body (the inbox's) whose rejections are problems.
pub struct FormBody<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for FormBody<T> {
    type Rejection = Problem;

    async fn from_request(req: Request, state: &S) -> Result<Self, Problem> {
        match axum::Form::<T>::from_request(req, state).await {
            Ok(axum::Form(v)) => Ok(FormBody(v)),
            Err(r) => Err(Problem::new(r.status(), r.body_text())),
        }
    }
}

/// A query string whose rejections (an unknown or malformed parameter) are
/// 400 problems.
pub struct QueryArgs<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> axum::extract::FromRequestParts<S> for QueryArgs<T> {
    type Rejection = Problem;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Problem> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(v)) => Ok(QueryArgs(v)),
            Err(r) => Err(Problem::new(r.status(), r.body_text())),
        }
    }
}

/// The raw body, for signature checks; too large is a 413 problem.
pub struct RawBody(pub axum::body::Bytes);

impl<S: Send + Sync> FromRequest<S> for RawBody {
    type Rejection = Problem;

    async fn from_request(req: Request, state: &S) -> Result<Self, Problem> {
        match axum::body::Bytes::from_request(req, state).await {
            Ok(b) => Ok(RawBody(b)),
            Err(r) => Err(Problem::new(r.status(), r.body_text())),
        }
    }
}
