//! `enrich-attendees`: who is coming to the meeting, as far as an enrichment
//! provider (tier 3, `providers.apollo` in the org profile) and the CRM
//! (tier 2) know them: name, title, company, seniority, LinkedIn, location.
//!
//! The provider is reached by outbound HTTP (`GET <url>?email=…&name=…`,
//! answered with an Apollo-style `{"person": {…}}`). Its address is data, so
//! the skill declares `http:*`: the operator grants the concrete host. The
//! skill never fails because of the provider: when it is not configured,
//! refused (no grant), slow, answers non-2xx or garbage, every attendee keeps
//! what the CRM or the invite says and the output says why it degraded.
//!
//! Colleagues (the rep's own email domain) are not sent to the provider.
//! The skill holds no credentials and sends no API key: the host adds the
//! provider key it keeps for a provider's origin.
//!
//! Then the attendees' LinkedIn profiles are read through the org's Apify
//! actor (tier 3 `providers.apify`, [`linkedin`]) for those whose profile
//! URL is known: their headline and the first line of their "about". The
//! output's `linkedin` says how that went, and the brief says when it was
//! not read.

pub mod linkedin;

use baton_sdk::briefing::ProviderStatus as Status;
use baton_sdk::context::{self, ContactTier};
use baton_sdk::events::pre_meeting::Payload;
use baton_sdk::host::Level;
use baton_sdk::http::{self, HttpError};
use baton_sdk::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct Params {
    /// The tier-3 provider to ask.
    #[serde(default = "default_provider")]
    provider: String,
    /// At most this many attendees are looked up.
    #[serde(default = "default_max")]
    #[schemars(range(min = 1))]
    max_attendees: usize,
    /// Per-request deadline.
    #[serde(default = "default_timeout")]
    #[schemars(range(min = 1))]
    timeout_ms: u32,
    /// How long the LinkedIn actor may take for everyone (it reads the
    /// profiles while the call waits).
    #[serde(default = "default_linkedin_timeout")]
    #[schemars(range(min = 1000))]
    linkedin_timeout_ms: u32,
}

fn default_linkedin_timeout() -> u32 {
    20_000
}

fn default_provider() -> String {
    "apollo".to_owned()
}
fn default_max() -> usize {
    10
}
fn default_timeout() -> u32 {
    3_000
}

/// The output, from which the manifest's output schema is derived.
#[derive(Serialize, JsonSchema)]
struct Enriched {
    meeting_id: Option<String>,
    /// The tier-3 provider asked.
    provider: String,
    provider_status: Status,
    /// The provider did not answer for everyone (`provider_status` not `ok`).
    degraded: bool,
    /// Why it degraded, for the operator (what to grant or configure).
    reason: Option<String>,
    /// Why it degraded, for the rep the briefing goes to: no host, grant
    /// or step name.
    note: Option<String>,
    /// Attendees the provider matched.
    enriched: usize,
    /// Colleagues (the rep's own domain) left out.
    internal_skipped: usize,
    /// How reading their LinkedIn profiles went.
    linkedin: linkedin::Read,
    attendees: Vec<Person>,
}

/// Where an attendee's details come from.
#[derive(Debug, Default, Clone, Copy, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
enum Source {
    /// The enrichment provider.
    Provider,
    /// The CRM contact (tier 2).
    Crm,
    /// Only the invite.
    #[default]
    Invite,
}

pub struct EnrichAttendees;

impl Skill for EnrichAttendees {
    fn manifest() -> Manifest {
        Manifest::new(
            "enrich-attendees",
            env!("CARGO_PKG_VERSION"),
            "Enriches a meeting's attendees from an enrichment provider, degrading to CRM data.",
        )
        .produces(flow::names::BRIEFING_ATTENDEES)
        .capability("context:org")
        .capability("context:contact")
        .capability("context:external:apollo")
        .capability("context:external:apify")
        .capability("http:*")
        .default_fuel(100_000_000)
        .params::<Params>()
        .output::<Enriched>()
    }

    fn run(input: Input) -> Result<Output, SkillError> {
        let params: Params = input.params()?;
        let payload: Payload = input.payload()?;
        let org = context::org()?;
        let crm = context::contact()?;
        let rep_domain = org
            .as_ref()
            .and_then(|o| o.user.as_ref()?.email.as_deref())
            .and_then(domain);

        let (mut people, internal) = attendees(&payload, crm.as_ref(), rep_domain.as_deref());
        people.truncate(params.max_attendees);

        let mut provider = Provider::open(&params);
        let mut enriched = 0;
        for person in &mut people {
            if provider.enrich(person) {
                enriched += 1;
            }
        }
        let (status, reason, note) = provider.outcome();
        let linkedin = linkedin::read(&mut people, params.linkedin_timeout_ms);
        host::log(
            Level::Info,
            &format!(
                "enriched {enriched} of {} attendees; provider `{}` {}",
                people.len(),
                params.provider,
                status.as_str()
            ),
        );
        Output::of(&Enriched {
            meeting_id: payload.meeting_id,
            provider: params.provider,
            provider_status: status,
            degraded: status != Status::Ok,
            reason,
            note,
            enriched,
            internal_skipped: internal,
            linkedin,
            attendees: people,
        })
    }
}

/// One attendee as the output shows them.
#[derive(Debug, Default, Clone, Serialize, JsonSchema)]
pub struct Person {
    email: String,
    name: Option<String>,
    title: Option<String>,
    company: Option<String>,
    seniority: Option<String>,
    linkedin: Option<String>,
    location: Option<String>,
    headline: Option<String>,
    /// The first line of their LinkedIn "about", when it was read.
    about: Option<String>,
    source: Source,
    /// Why the provider added nothing, when it was asked.
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<String>,
}

/// The attendees to look up, in invite order (the meeting's contact first
/// when the invite does not list them), colleagues left out; and how many
/// colleagues there were.
fn attendees(
    payload: &Payload,
    crm: Option<&ContactTier>,
    rep_domain: Option<&str>,
) -> (Vec<Person>, usize) {
    let contact = crm.and_then(|c| c.contact.as_ref());
    let company = crm.and_then(|c| c.company.as_ref());
    let crm_email = contact
        .and_then(|c| c.email.as_deref())
        .map(str::to_ascii_lowercase);
    let company_domain = company
        .and_then(|c| c.domain.as_deref())
        .map(str::to_ascii_lowercase);
    let company_name = company.and_then(|c| clean(c.name.as_deref()?));

    let primary = payload
        .contact_email
        .as_deref()
        .map(|e| (e, None))
        .into_iter()
        .chain(crm_email.as_deref().map(|e| (e, None)));
    let listed = payload
        .attendees
        .iter()
        .filter_map(|a| a.email.as_deref().map(|e| (e, a.name.as_deref())));
    let mut out: Vec<Person> = Vec::new();
    let mut internal = 0;
    for (email, name) in listed.chain(primary) {
        let email = email.trim().to_ascii_lowercase();
        let Some(d) = domain(&email) else { continue };
        if out.iter().any(|p| p.email == email) {
            continue;
        }
        if rep_domain.is_some_and(|r| r == d) {
            internal += 1;
            continue;
        }
        let in_crm = crm_email.as_deref() == Some(email.as_str());
        let mut p = Person {
            name: name
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .map(str::to_owned),
            email,
            ..Person::default()
        };
        if company_domain.as_deref() == Some(d.as_str()) {
            p.company = company_name.clone();
        }
        if in_crm && let Some(c) = contact {
            p.name = c.name.as_deref().and_then(clean).or(p.name);
            p.title = c.title.as_deref().and_then(clean);
            p.source = Source::Crm;
        }
        out.push(p);
    }
    (out, internal)
}

/// The provider for this call, and how it has fared so far.
struct Provider {
    url: Option<String>,
    timeout_ms: u32,
    status: Status,
    reason: Option<String>,
    note: Option<String>,
}

impl Provider {
    fn open(params: &Params) -> Provider {
        let name = &params.provider;
        let mut p = Provider {
            url: None,
            timeout_ms: params.timeout_ms,
            status: Status::Ok,
            reason: None,
            note: None,
        };
        match context::external(name) {
            Ok(Some(config)) => match config.url.as_deref().map(http::Url::parse) {
                Some(Ok(_)) => p.url = config.url,
                Some(Err(e)) => p.fail(
                    Status::NotConfigured,
                    format!("providers.{name}.url is not usable ({e})"),
                ),
                None => p.fail(
                    Status::NotConfigured,
                    format!("providers.{name} has no `url`; attendees come from the CRM"),
                ),
            },
            Ok(None) => p.fail(
                Status::NotConfigured,
                format!(
                    "no `{name}` enrichment provider is configured (providers.{name} in the org profile); attendees come from the CRM"
                ),
            ),
            Err(e) => p.fail(
                Status::NotConfigured,
                format!("the `{name}` provider context is unavailable ({e}); attendees come from the CRM"),
            ),
        }
        p
    }

    /// Stop asking the provider, `reason` saying why to the operator and
    /// to the rep alike.
    fn fail(&mut self, status: Status, reason: String) {
        self.note = Some(reason.clone());
        self.fail_saying(status, reason);
    }

    /// Stop asking the provider, `reason` for the operator (the rep's note
    /// set apart).
    fn fail_saying(&mut self, status: Status, reason: String) {
        self.status = status;
        self.reason = Some(reason);
        self.url = None;
    }

    /// Ask the provider about `person`; `true` if it answered with a match.
    /// A provider-wide failure stops further requests.
    fn enrich(&mut self, person: &mut Person) -> bool {
        let Some(base) = &self.url else {
            return false;
        };
        let mut query = vec![("email", person.email.as_str())];
        if let Some(n) = &person.name {
            query.push(("name", n.as_str()));
        }
        let url = http::with_query(base, &query);
        match http::get_json(&url, self.timeout_ms) {
            Ok(answer) => {
                let found = merge(person, &answer);
                if !found {
                    person.note = Some("the provider has no match".into());
                }
                found
            }
            Err(HttpError::Status(404)) => {
                person.note = Some("the provider has no match".into());
                false
            }
            Err(HttpError::Denied(_)) => {
                let host = http::Url::parse(base)
                    .map(|u| u.capability())
                    .unwrap_or_else(|_| "http:<host>".into());
                self.fail_saying(
                    Status::Failed,
                    format!(
                        "enrichment degraded: outbound HTTP to the provider is not granted (grant `{host}` to enrich-attendees in grants.toml); attendees come from the CRM"
                    ),
                );
                self.note = Some(
                    "enrichment degraded: the research provider is not enabled for briefings (your administrator can turn it on); attendees come from the CRM"
                        .into(),
                );
                false
            }
            Err(e) => {
                let why = match &e {
                    HttpError::Timeout => "the provider did not answer in time".to_owned(),
                    HttpError::Status(s) => format!("the provider answered HTTP {s}"),
                    HttpError::Body(_) | HttpError::TooLarge => {
                        "the provider's answer was not usable JSON".to_owned()
                    }
                    other => format!("the provider could not be reached ({other})"),
                };
                self.fail(
                    Status::Failed,
                    format!("enrichment degraded: {why}; attendees come from the CRM"),
                );
                false
            }
        }
    }

    fn outcome(&self) -> (Status, Option<String>, Option<String>) {
        (self.status, self.reason.clone(), self.note.clone())
    }
}

/// Fold the provider's answer into `person`; `false` when it holds no person.
fn merge(person: &mut Person, answer: &Value) -> bool {
    let p = match answer.get("person") {
        Some(p) => p,
        None => answer,
    };
    if !p.is_object() {
        return false;
    }
    let org = &p["organization"];
    let name = text(&p["name"]).or_else(|| {
        let full = format!(
            "{} {}",
            text(&p["first_name"]).unwrap_or_default(),
            text(&p["last_name"]).unwrap_or_default()
        );
        text(&json!(full))
    });
    let fields = [
        text(&p["title"]),
        text(&org["name"]).or_else(|| text(&p["company"])),
        text(&p["seniority"]),
        text(&p["linkedin_url"]).or_else(|| text(&p["linkedin"])),
        location(p),
        text(&p["headline"]),
    ];
    if name.is_none() && fields.iter().all(Option::is_none) {
        return false;
    }
    let [title, company, seniority, linkedin, location, headline] = fields;
    person.name = name.or(person.name.take());
    person.title = title.or(person.title.take());
    person.company = company.or(person.company.take());
    person.seniority = seniority;
    person.linkedin = linkedin;
    person.location = location;
    person.headline = headline;
    person.source = Source::Provider;
    person.note = None;
    true
}

fn location(p: &Value) -> Option<String> {
    let parts: Vec<String> = ["city", "state", "country"]
        .iter()
        .filter_map(|k| text(&p[*k]))
        .collect();
    if parts.is_empty() {
        text(&p["location"])
    } else {
        Some(parts.join(", "))
    }
}

/// A non-empty string, trimmed and capped (a provider's field is data, not
/// a document).
pub(crate) fn text(v: &Value) -> Option<String> {
    clean(v.as_str()?)
}

/// `s` trimmed and capped at 300 characters, unless it is blank.
pub(crate) fn clean(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.chars().take(300).collect())
}

/// The lower-cased domain of an email address.
fn domain(email: &str) -> Option<String> {
    let (user, d) = email.trim().rsplit_once('@')?;
    (!user.is_empty() && d.contains('.')).then(|| d.to_ascii_lowercase())
}

export_skill!(EnrichAttendees);

#[cfg(test)]
mod tests;
