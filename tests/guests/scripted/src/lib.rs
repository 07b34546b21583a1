//! Helper guest for the orchestrator's tests: does what its step params say.
//!
//! - `flaky`: `host:port` of a loopback peer; a non-200 answer is
//!   `unavailable` (the peer decides how often to fail);
//! - `fail`: `failed` | `invalid_input` | `unavailable`: always fail so;
//! - `sleep_ms`: wait this long first (for kill tests);
//! - `actions`: proposed actions `[{kind, preview, payload}]`;
//! - `follow_ups`: `[{type, payload}]`;
//! - `gate`: ask for a confirm gate keyed `ok`, and report its decision;
//! - `second_gate`: once `ok` is decided, ask for another keyed `second`;
//! - `llm`: a prompt for the host's LLM; the answer goes in `data.llm`.
//!
//! Its data echoes the params, the earlier steps it saw, which context
//! tiers it could read, and the event payload.
use baton_sdk::host::{self, Decision, Gate, Pattern, Tier};
use baton_sdk::prelude::*;
use wasi::http::outgoing_handler;
use wasi::http::types::{Fields, OutgoingRequest, Scheme};

struct Scripted;

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

impl Skill for Scripted {
    fn manifest() -> Manifest {
        Manifest::new("scripted", "0.1.0", "Does what its params say (tests).")
            .capability("approvals")
            .capability("context:org")
            .capability("context:contact")
            .capability("http:127.0.0.1")
            .capability("llm")
            .default_fuel(50_000_000)
    }

    fn run(input: Input) -> Result<Output, SkillError> {
        let p = &input.params;
        if let Some(ms) = p.get("sleep_ms").and_then(Value::as_u64) {
            std::thread::sleep(std::time::Duration::from_millis(ms));
        }
        if let Some(peer) = p.get("flaky").and_then(Value::as_str) {
            let status = get(peer).map_err(SkillError::Unavailable)?;
            if status != 200 {
                return Err(SkillError::Unavailable(format!("peer answered {status}")));
            }
        }
        match p.get("fail").and_then(Value::as_str) {
            Some("failed") => return Err(SkillError::Failed("told to fail".into())),
            Some("invalid_input") => return Err(SkillError::InvalidInput("told to refuse".into())),
            Some("unavailable") => return Err(SkillError::Unavailable("told to be down".into())),
            _ => {}
        }
        let mut decision = Value::Null;
        if p.get("gate").and_then(Value::as_bool) == Some(true) {
            match host::decision("ok").map_err(|e| SkillError::Failed(format!("{e:?}")))? {
                None => {
                    host::request_approval(Gate {
                        key: "ok".into(),
                        pattern: Pattern::Confirm,
                        title: "Send the scripted email?".into(),
                        body: json!({ "draft": "hello" }),
                        options: vec![],
                    })
                    .map_err(|e| SkillError::Failed(format!("{e:?}")))?;
                    return Ok(Output::new(json!({ "status": "awaiting_approval" })));
                }
                Some(Decision::Edited(v)) => decision = json!({ "edited": v }),
                Some(d) => decision = json!(format!("{d:?}")),
            }
            let second =
                host::decision("second").map_err(|e| SkillError::Failed(format!("{e:?}")))?;
            if p.get("second_gate").and_then(Value::as_bool) == Some(true) && second.is_none() {
                host::request_approval(Gate {
                    key: "second".into(),
                    pattern: Pattern::Confirm,
                    title: "And the second question?".into(),
                    body: json!({}),
                    options: vec![],
                })
                .map_err(|e| SkillError::Failed(format!("{e:?}")))?;
                return Ok(Output::new(json!({ "status": "awaiting_second" })));
            }
        }
        let mut llm = Value::Null;
        if let Some(prompt) = p.get("llm").and_then(Value::as_str) {
            let answer = host::complete(host::CompletionRequest {
                system: None,
                prompt: prompt.to_owned(),
                max_tokens: 64,
                temperature: None,
            })
            .map_err(|e| SkillError::Unavailable(format!("llm: {e:?}")))?;
            llm = json!(answer.text);
        }
        let mut out = Output::new(json!({
            "llm": llm,
            "params": p,
            "previous": input.previous.iter().map(|s| s.step.clone()).collect::<Vec<_>>(),
            "saw_org": host::context(Tier::Org).is_ok(),
            "saw_contact": host::context(Tier::Contact).is_ok(),
            "payload": input.event.payload,
            "decision": decision,
        }));
        if let Some(actions) = p.get("actions") {
            let actions: Vec<ProposedAction> = serde_json::from_value(actions.clone())
                .map_err(|e| SkillError::InvalidInput(format!("actions: {e}")))?;
            out.actions = actions;
        }
        if let Some(list) = p.get("follow_ups").and_then(Value::as_array) {
            for f in list {
                let kind = f.get("type").and_then(Value::as_str).unwrap_or("none");
                let payload = f.get("payload").cloned().unwrap_or_else(|| json!({}));
                out = out.follow_up(kind, payload, 0.9, "scripted");
            }
        }
        Ok(out)
    }
}

export_skill!(Scripted);
