//! Helper guest: calls a granted loopback provider with headers of its own
//! (including an `X-Api-Key` it made up) and returns the headers of the
//! request it built and the status it got. The host sets the provider's
//! real key at the boundary: it must not appear in this output.
use baton_sdk::prelude::*;
use wasi::http::outgoing_handler;
use wasi::http::types::{Fields, OutgoingRequest, Scheme};

struct EchoHeaders;

/// GET http://{authority}{path} with the guest's own headers; the headers
/// as the guest sees its request, and the status.
fn call(authority: &str, path: &str) -> Result<(Vec<(String, String)>, u16), String> {
    let fields = Fields::from_list(&[
        ("x-api-key".to_owned(), b"made-up-by-the-skill".to_vec()),
        ("accept".to_owned(), b"application/json".to_vec()),
    ])
    .map_err(|e| format!("{e:?}"))?;
    let req = OutgoingRequest::new(fields);
    req.set_scheme(Some(&Scheme::Http))
        .map_err(|()| "bad scheme")?;
    req.set_authority(Some(authority))
        .map_err(|()| "bad authority")?;
    req.set_path_with_query(Some(path))
        .map_err(|()| "bad path")?;
    let seen: Vec<(String, String)> = req
        .headers()
        .entries()
        .into_iter()
        .map(|(k, v)| (k, String::from_utf8_lossy(&v).into_owned()))
        .collect();
    let pending = outgoing_handler::handle(req, None).map_err(|e| format!("{e:?}"))?;
    pending.subscribe().block();
    let response = pending
        .get()
        .ok_or("no response")?
        .map_err(|()| "response taken twice")?
        .map_err(|e| format!("{e:?}"))?;
    Ok((seen, response.status()))
}

impl Skill for EchoHeaders {
    fn manifest() -> Manifest {
        Manifest::new(
            "echo-headers",
            "0.1.0",
            "Returns the headers of its own request.",
        )
        .capability("http:127.0.0.1")
    }
    fn run(input: Input) -> Result<Output, SkillError> {
        let authority = input
            .event
            .payload
            .get("authority")
            .and_then(Value::as_str)
            .ok_or_else(|| SkillError::InvalidInput("payload needs `authority`".into()))?
            .to_owned();
        let (headers, status) = call(&authority, "/v1/people/match").map_err(SkillError::Failed)?;
        let headers: Vec<Value> = headers.into_iter().map(|(k, v)| json!([k, v])).collect();
        Ok(Output::new(json!({ "headers": headers, "status": status })))
    }
}

export_skill!(EchoHeaders);
