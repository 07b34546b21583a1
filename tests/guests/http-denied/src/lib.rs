//! Hostile guest: calls the host it was granted, then one it was not.
use baton_sdk::prelude::*;
use wasi::http::outgoing_handler;
use wasi::http::types::{Fields, OutgoingRequest, Scheme};

struct HttpDenied;

/// GET http://{authority}/ and return the status code.
fn get(authority: &str) -> Result<u16, String> {
    let req = OutgoingRequest::new(Fields::new());
    req.set_scheme(Some(&Scheme::Http))
        .map_err(|()| "bad scheme")?;
    req.set_authority(Some(authority))
        .map_err(|()| "bad authority")?;
    req.set_path_with_query(Some("/"))
        .map_err(|()| "bad path")?;
    let pending = outgoing_handler::handle(req, None).map_err(|e| format!("{e:?}"))?;
    pending.subscribe().block();
    let response = pending
        .get()
        .ok_or("no response")?
        .map_err(|()| "response taken twice")?
        .map_err(|e| format!("{e:?}"))?;
    Ok(response.status())
}

impl Skill for HttpDenied {
    fn manifest() -> Manifest {
        Manifest::new("http-denied", "0.1.0", "Calls a host it may not call.")
            .capability("http:127.0.0.1")
            .capability("http:localhost")
    }
    fn run(input: Input) -> Result<Output, SkillError> {
        let field = |k: &str| {
            input
                .event
                .payload
                .get(k)
                .and_then(Value::as_str)
                .map(str::to_owned)
                .ok_or_else(|| SkillError::InvalidInput(format!("payload needs `{k}`")))
        };
        let allowed = get(&field("allowed")?).map_err(SkillError::Failed)?;
        let denied =
            get(&field("denied")?).map_err(|e| SkillError::Failed(format!("second call: {e}")))?;
        Ok(Output::new(json!({ "allowed": allowed, "denied": denied })))
    }
}

export_skill!(HttpDenied);
