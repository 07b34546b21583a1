//! Native test harness: run a skill's logic on the host, without wasm, against
//! a fake host whose context, decisions and LLM answers the test sets up.
//!
//! ```ignore
//! let out = FakeHost::for_skill::<MySkill>()
//!     .org(json!({"name": "Acme"}))
//!     .run::<MySkill>(Input::for_event("meeting_ended", json!({"meeting_id": "m1"})))
//!     .unwrap();
//! ```
//! Capability checks mirror the real host: a call needs its capability in the
//! grants, which default to what the skill's manifest declares.

use crate::calls::{Completion, CompletionRequest, Decision, Gate, HostError, Level, Tier};
use crate::url::{HttpError, Response, Url};
use crate::{Event, Input, Output, Skill, SkillError};
use serde_json::Value;
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};

thread_local! {
    static HOST: RefCell<FakeHost> = RefCell::new(FakeHost::default());
}

/// Run `f` against the fake host installed for this thread.
pub(crate) fn with_host<R>(f: impl FnOnce(&mut FakeHost) -> R) -> R {
    HOST.with(|h| f(&mut h.borrow_mut()))
}

/// A canned LLM: given the prompt, returns the completion text.
type Responder = Box<dyn Fn(&CompletionRequest) -> Result<String, HostError>>;

/// A canned HTTP answer: a status and body, or a failure.
type CannedHttp = Result<(u16, String), HttpError>;

/// The fake host a native test runs a skill against.
#[derive(Default)]
pub struct FakeHost {
    grants: BTreeSet<String>,
    org: Option<Value>,
    contact: Option<Value>,
    external: BTreeMap<String, Value>,
    /// Attachments by id: the body, or `Err` with why it was erased.
    attachments: BTreeMap<String, Result<Value, String>>,
    decisions: BTreeMap<String, Decision>,
    llm: Option<Responder>,
    /// Canned HTTP answers by URL prefix, first match wins.
    http: Vec<(String, CannedHttp)>,
    /// URLs the skill requested (and was allowed to), in order.
    pub http_requests: Vec<String>,
    /// The bodies of the skill's POSTs (URL and JSON), in order.
    pub http_posts: Vec<(String, Value)>,
    /// Gates the skill requested, in order.
    pub gates: Vec<Gate>,
    /// Log lines the skill wrote, in order.
    pub logs: Vec<(Level, String)>,
    /// Capabilities the skill used without a grant, in order.
    pub denied: Vec<String>,
}

impl FakeHost {
    /// A fake host granting exactly what `S` declares.
    pub fn for_skill<S: Skill>() -> Self {
        FakeHost {
            grants: S::manifest().capabilities.into_iter().collect(),
            ..FakeHost::default()
        }
    }

    /// Grant one more capability.
    pub fn grant(mut self, capability: &str) -> Self {
        self.grants.insert(capability.to_owned());
        self
    }

    /// Withdraw a capability.
    pub fn revoke(mut self, capability: &str) -> Self {
        self.grants.remove(capability);
        self
    }

    /// Tier 1 context.
    pub fn org(mut self, value: Value) -> Self {
        self.org = Some(value);
        self
    }

    /// Tier 2 context.
    pub fn contact(mut self, value: Value) -> Self {
        self.contact = Some(value);
        self
    }

    /// Tier 3 context of one provider.
    pub fn external(mut self, provider: &str, value: Value) -> Self {
        self.external.insert(provider.to_owned(), value);
        self
    }

    /// An attachment the org holds under `id` (a stored transcript).
    pub fn attachment(mut self, id: &str, value: Value) -> Self {
        self.attachments.insert(id.to_owned(), Ok(value));
        self
    }

    /// An attachment erased from under `id`, with the host's words for it.
    pub fn erased_attachment(mut self, id: &str, why: &str) -> Self {
        self.attachments.insert(id.to_owned(), Err(why.to_owned()));
        self
    }

    /// A decision already taken on the gate `key` (as on resume).
    pub fn decided(mut self, key: &str, decision: Decision) -> Self {
        self.decisions.insert(key.to_owned(), decision);
        self
    }

    /// Answer LLM calls with `respond`.
    pub fn llm(
        mut self,
        respond: impl Fn(&CompletionRequest) -> Result<String, HostError> + 'static,
    ) -> Self {
        self.llm = Some(Box::new(respond));
        self
    }

    /// Answer GETs of URLs starting with `url_prefix` with `status` and
    /// `body`. A request still needs an `http:<host>` or `http:<host>:<port>`
    /// grant, as on the real host (a declared `http:*` grants nothing); a URL
    /// no answer matches fails as a refused connection.
    pub fn http(mut self, url_prefix: &str, status: u16, body: &str) -> Self {
        self.http
            .push((url_prefix.to_owned(), Ok((status, body.to_owned()))));
        self
    }

    /// Fail GETs of URLs starting with `url_prefix` with `error` (e.g.
    /// [`HttpError::Timeout`]).
    pub fn http_error(mut self, url_prefix: &str, error: HttpError) -> Self {
        self.http.push((url_prefix.to_owned(), Err(error)));
        self
    }

    /// Install this host for the current thread, run `S` on `input`, and return
    /// the result with the host (to inspect gates, logs and denials).
    pub fn run_with<S: Skill>(self, input: Input) -> (Result<Output, SkillError>, FakeHost) {
        self.install(|| S::run(input))
    }

    /// Install this host for the current thread, run `f`, and return its
    /// result with the host: for testing a skill's parts on their own.
    pub fn install<R>(self, f: impl FnOnce() -> R) -> (R, FakeHost) {
        HOST.with(|h| *h.borrow_mut() = self);
        let result = f();
        let host = HOST.with(|h| std::mem::take(&mut *h.borrow_mut()));
        (result, host)
    }

    /// Like [`FakeHost::run_with`], returning only the result.
    pub fn run<S: Skill>(self, input: Input) -> Result<Output, SkillError> {
        self.run_with::<S>(input).0
    }

    fn check(&mut self, capability: &str) -> Result<(), HostError> {
        if self.grants.contains(capability) {
            Ok(())
        } else {
            self.denied.push(capability.to_owned());
            Err(HostError::Denied(format!(
                "capability `{capability}` is not granted"
            )))
        }
    }

    pub(crate) fn context(&mut self, tier: &Tier) -> Result<Value, HostError> {
        let (capability, value) = match tier {
            Tier::Org => ("context:org".to_owned(), self.org.clone()),
            Tier::Contact => ("context:contact".to_owned(), self.contact.clone()),
            Tier::External(p) => (
                format!("context:external:{p}"),
                self.external.get(p).cloned(),
            ),
        };
        self.check(&capability)?;
        value.ok_or_else(|| HostError::NotFound(format!("no context for `{capability}`")))
    }

    pub(crate) fn read_attachment(&mut self, id: &str) -> Result<Value, HostError> {
        self.check("context:attachments")?;
        match self.attachments.get(id) {
            Some(Ok(v)) => Ok(v.clone()),
            Some(Err(why)) => Err(HostError::NotFound(format!(
                "attachment `{id}` was erased: {why}"
            ))),
            None => Err(HostError::NotFound(format!(
                "the org holds no attachment `{id}`"
            ))),
        }
    }

    pub(crate) fn request_approval(&mut self, gate: Gate) -> Result<(), HostError> {
        self.check("approvals")?;
        self.gates.push(gate);
        Ok(())
    }

    pub(crate) fn decision(&mut self, key: &str) -> Result<Option<Decision>, HostError> {
        self.check("approvals")?;
        Ok(self.decisions.get(key).cloned())
    }

    pub(crate) fn complete(&mut self, req: CompletionRequest) -> Result<Completion, HostError> {
        self.check("llm")?;
        let respond = self
            .llm
            .as_ref()
            .ok_or_else(|| HostError::Unavailable("no LLM endpoint configured".into()))?;
        let text = respond(&req)?;
        Ok(Completion {
            input_tokens: req.prompt.split_whitespace().count() as u32,
            output_tokens: text.split_whitespace().count() as u32,
            text,
        })
    }

    /// A POST of `body` to `url`: answered like a GET (by URL prefix), and
    /// its body kept in [`FakeHost::http_posts`].
    pub(crate) fn http_post(&mut self, url: &Url, body: &Value) -> Result<Response, HttpError> {
        let answer = self.http_get(url);
        if !matches!(answer, Err(HttpError::Denied(_))) {
            let full = self.http_requests.last().cloned().unwrap_or_default();
            self.http_posts.push((full, body.clone()));
        }
        answer
    }

    pub(crate) fn http_get(&mut self, url: &Url) -> Result<Response, HttpError> {
        let exact = url.capability();
        let any_port = format!("http:{}", url.host);
        if !self.grants.contains(&exact) && !self.grants.contains(&any_port) {
            self.denied.push(exact.clone());
            return Err(HttpError::Denied(format!(
                "capability `{exact}` is not granted"
            )));
        }
        let full = format!(
            "{}://{}{}",
            if url.https { "https" } else { "http" },
            url.authority(),
            url.path_and_query
        );
        self.http_requests.push(full.clone());
        match self
            .http
            .iter()
            .find(|(prefix, _)| full.starts_with(prefix.as_str()))
        {
            Some((_, Ok((status, body)))) => Ok(Response {
                status: *status,
                body: body.clone().into_bytes(),
            }),
            Some((_, Err(e))) => Err(e.clone()),
            None => Err(HttpError::Transport("connection refused".into())),
        }
    }

    pub(crate) fn log(&mut self, level: Level, message: &str) {
        self.logs.push((level, message.to_owned()));
    }
}

/// `populate-proposal`'s output (a [`crate::proposal::Populated`]) for
/// the demo call: Northwind Logistics, 40 seats, priced at the Growth tier
/// when `priced`, else to be confirmed; no sections. For the tests of the
/// steps after it.
pub fn populated_proposal(priced: bool) -> Value {
    serde_json::json!({
        "title": "Renewals Hub for Northwind Logistics",
        "company": "Northwind Logistics", "contact_name": "Marta Ruiz", "contact_id": "c1",
        "contact_email": "marta.ruiz@northwind.example", "deal_id": "d1", "seats": 40,
        "currency": "USD",
        "amount": if priced { 2_160_000 } else { 0 },
        "pricing_status": if priced { "priced" } else { "to_be_confirmed" },
        "tier": if priced { Some("Growth") } else { None },
        "billing_period": "year",
        "pricing": if priced {
            serde_json::json!([{ "item": "Growth seat, per year", "quantity": 40,
                                 "unit_amount": 54_000, "total": 2_160_000 }])
        } else {
            serde_json::json!([])
        },
        "arithmetic": priced.then_some("40 seats × $540 per seat per year = $21,600 per year"),
        "requirements": [], "case_study": null, "sections": []
    })
}

impl Input {
    /// An input for an event of `event_type` with `payload`, for org `test`
    /// and user `rep1`, no params and no earlier steps.
    pub fn for_event(event_type: &str, payload: Value) -> Input {
        Input {
            event: Event {
                id: "evt-test".into(),
                event_type: event_type.into(),
                source: "test".into(),
                org: "test".into(),
                user: "rep1".into(),
                payload,
                chain_depth: 0,
            },
            params: Value::Object(Default::default()),
            previous: Vec::new(),
        }
    }

    /// Set the step params.
    pub fn with_params(mut self, params: Value) -> Input {
        self.params = params;
        self
    }

    /// Say that the step `step`, run by the skill of the same name (as in
    /// the shipped sequences), came before and output `data`.
    pub fn after(self, step: &str, data: Value) -> Input {
        self.after_skill(step, step, data)
    }

    /// Like [`Input::after`], for a step named apart from its skill.
    pub fn after_skill(mut self, step: &str, skill: &str, data: Value) -> Input {
        self.previous.push(crate::StepOutput {
            step: step.into(),
            skill: skill.into(),
            data,
        });
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::host::{self, Decision, Gate, Pattern, Tier};
    use crate::{Manifest, Output, json};

    struct Probe;

    impl Skill for Probe {
        fn manifest() -> Manifest {
            Manifest::new("probe", "0.1.0", "Reads the org, asks for a gate.")
                .capability("context:org")
                .capability("approvals")
        }
        fn run(_: Input) -> Result<Output, SkillError> {
            let org = host::context(Tier::Org)?;
            if let Some(d) = host::decision("send")? {
                return Ok(Output::new(json!({ "decided": d })));
            }
            host::request_approval(Gate {
                key: "send".into(),
                pattern: Pattern::Confirm,
                title: "Send?".into(),
                body: json!({}),
                options: vec![],
            })?;
            Ok(Output::new(json!({ "org": org })))
        }
    }

    #[test]
    fn grants_follow_the_manifest_and_gates_are_recorded() {
        let (out, host) = FakeHost::for_skill::<Probe>()
            .org(json!({ "name": "Acme" }))
            .run_with::<Probe>(Input::for_event("x", json!({})));
        assert_eq!(
            out.expect("runs").data,
            json!({ "org": { "name": "Acme" } })
        );
        assert_eq!(host.gates.len(), 1);
        assert!(host.denied.is_empty());
    }

    #[test]
    fn a_revoked_capability_is_denied_and_recorded() {
        let (out, host) = FakeHost::for_skill::<Probe>()
            .revoke("context:org")
            .run_with::<Probe>(Input::for_event("x", json!({})));
        assert!(matches!(out, Err(SkillError::Failed(m)) if m.contains("context:org")));
        assert_eq!(host.denied, vec!["context:org".to_owned()]);
    }

    struct Fetch;

    impl Skill for Fetch {
        fn manifest() -> Manifest {
            Manifest::new("fetch", "0.1.0", "GETs a provider.").capability("http:*")
        }
        fn run(input: Input) -> Result<Output, SkillError> {
            let url = input.event.payload["url"].as_str().unwrap_or_default();
            Ok(Output::new(match crate::http::get_json(url, 1000) {
                Ok(v) => json!({ "ok": v }),
                Err(e) => json!({ "error": e.to_string() }),
            }))
        }
    }

    #[test]
    fn http_needs_a_concrete_grant_and_answers_from_the_script() {
        let input = || Input::for_event("x", json!({ "url": "http://127.0.0.1:9000/p?q=1" }));
        let host =
            || FakeHost::for_skill::<Fetch>().http("http://127.0.0.1:9000/p", 200, "{\"a\":1}");
        let (out, h) = host().run_with::<Fetch>(input());
        let data = out.expect("runs").data;
        assert!(
            data["error"].as_str().is_some_and(|e| e.contains("denied")),
            "{data}"
        );
        assert_eq!(h.denied, vec!["http:127.0.0.1:9000".to_owned()]);
        assert!(h.http_requests.is_empty());
        let (out, h) = host()
            .grant("http:127.0.0.1:9000")
            .run_with::<Fetch>(input());
        assert_eq!(out.expect("runs").data, json!({ "ok": { "a": 1 } }));
        assert_eq!(
            h.http_requests,
            vec!["http://127.0.0.1:9000/p?q=1".to_owned()]
        );
        let out = host()
            .grant("http:127.0.0.1")
            .http("http://127.0.0.1:9000/p", 500, "boom")
            .run::<Fetch>(Input::for_event(
                "x",
                json!({ "url": "http://127.0.0.1:9000/z" }),
            ))
            .expect("runs");
        assert_eq!(out.data["error"], "transport error: connection refused");
    }

    #[test]
    fn earlier_steps_are_recorded_in_order() {
        let input = Input::for_event("x", json!({}))
            .after("detect-intents", json!({ "intents": [] }))
            .after_skill("recap", "notify-slack-summary", json!({ "ok": true }));
        assert_eq!(
            input.previous("detect-intents"),
            Some(&json!({ "intents": [] }))
        );
        assert_eq!(input.previous[1].skill, "notify-slack-summary");
        assert_eq!(input.previous("recap"), Some(&json!({ "ok": true })));
    }

    #[test]
    fn a_decision_is_read_back_on_resume() {
        let out = FakeHost::for_skill::<Probe>()
            .org(json!({}))
            .decided("send", Decision::Approved)
            .run::<Probe>(Input::for_event("x", json!({})))
            .expect("runs");
        assert_eq!(out.data, json!({ "decided": { "decision": "approved" } }));
    }
}
