//! Why a suggestion waits, at a glance: its trigger. The meeting (title,
//! when in the rep's zone, who was on it) or the email thread (from,
//! subject, the line that asked); the contact, company and deal; and the
//! prospect's or rep's words that led to it, with their time in the call
//! (m:ss). Loaded per job, not per gate (the job, its parent chain up to
//! the meeting, and the job's step outputs), and chosen per gate from
//! what its actions carry. Renders no kind name, step name or id.

use crate::web::App;
use crate::web::problem::Problem;
use crate::web::store::{ActionKind, Job, JobId, OrgId, PendingAction, UserId, kind_of};
use crate::words::{self, About};
use baton_service::inbox::RepClock;
use baton_types::evidence::{Evidence, asking_sentence};
use serde_json::Value;
use std::collections::HashMap;

mod said;

pub(super) use said::Quote;
use said::{QUOTE_CHARS, Said};

/// How many parents up a follow-up's meeting is looked for.
const MAX_DEPTH: usize = 4;
/// Where a job came from.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Source {
    /// A call: its title, when it started (in the rep's zone), who spoke.
    Meeting {
        title: String,
        when: Option<String>,
        with: Vec<String>,
    },
    /// An email: who wrote, the subject, the line that asked.
    Thread {
        from: String,
        subject: String,
        asked: Option<String>,
    },
    /// Anything else: what it is ("Reviving a quiet deal").
    Other { what: &'static str },
}

/// Everything about a job a gate's trigger is chosen from.
#[derive(Debug, Clone)]
pub(super) struct Why {
    /// The job a group is named by: the meeting or email that started the
    /// chain this job belongs to.
    pub group: JobId,
    /// When that happened (ms), for ordering groups.
    pub happened_at: i64,
    pub source: Source,
    pub about: About,
    /// "Head of Customer Operations", when the CRM has it.
    pub contact_role: Option<String>,
    /// The deal's stage, in words.
    pub deal_stage: Option<String>,
    /// The clock of the rep the job belongs to (or the signed-in rep).
    pub clock: RepClock,
    /// What was said, from the transcript and the step outputs.
    said: Said,
    /// The words that queued this job, when its parent asked for it.
    asked: Option<Quote>,
}

/// A gate's trigger: its job's [`Why`] and the words that led to it.
#[derive(Debug, Clone)]
pub(super) struct Trigger {
    pub why: Why,
    pub quote: Option<Quote>,
}

impl Trigger {
    /// Gate `g`'s title and summary (words.rs), knowing what its job is
    /// about: for a page's heading, whatever title the gate was stored with.
    pub(super) fn words(&self, g: &PendingAction) -> words::Words {
        words::describe_gate(&g.body, g.pattern, &g.title, &self.why.about)
    }
}

impl Why {
    /// The trigger of gate `g` of this job.
    pub(super) fn for_gate(&self, g: &PendingAction) -> Trigger {
        Trigger {
            why: self.clone(),
            quote: self.quote_for(g),
        }
    }

    fn quote_for(&self, g: &PendingAction) -> Option<Quote> {
        let actions = g.body["actions"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        // The words the first action that says any rests on; a task
        // drafted before actions carried evidence, its quote.
        let evidence = actions
            .iter()
            .find_map(|a| Evidence::of(&a["payload"]))
            .or_else(|| {
                let first = actions.first()?;
                (kind_of(first) == Some(ActionKind::TaskCreate))
                    .then(|| first["payload"]["quote"].as_str())
                    .flatten()
                    .filter(|q| !q.trim().is_empty())
                    .map(Evidence::quote)
            })
            // A gate a skill opened itself (a choice of times) carries the
            // words that asked in its body.
            .or_else(|| Evidence::of(&g.body));
        evidence
            .map(|e| self.said.evidence(&e))
            .or_else(|| self.asked.clone())
            .or_else(|| self.said.strongest())
    }
}

/// An RFC 3339 moment as ms since the epoch.
fn moment(v: &Value) -> Option<i64> {
    v.as_str()?
        .parse::<jiff::Timestamp>()
        .ok()
        .map(|t| t.as_millisecond())
}

/// The contact tier a job's steps were shown.
fn tier_of(job: &Job) -> Option<&Value> {
    job.state
        .get("context")
        .and_then(|c| c.get("contact"))
        .filter(|c| !c.is_null())
}

/// The clocks a page reads times by: the signed-in rep's, or for a token
/// login (an operator) the clock of the rep each thing belongs to. Each
/// rep's preferences are read once per page.
pub(super) struct Clocks<'a> {
    app: &'a App,
    org: &'a OrgId,
    viewer: Option<&'a UserId>,
    known: HashMap<UserId, RepClock>,
}

impl<'a> Clocks<'a> {
    /// The clocks of a page in `org` seen by `viewer` (`None`: a token).
    pub(super) fn new(app: &'a App, org: &'a OrgId, viewer: Option<&'a UserId>) -> Clocks<'a> {
        Clocks {
            app,
            org,
            viewer,
            known: HashMap::new(),
        }
    }

    /// The clock for something of `owner`'s: the signed-in rep's, else
    /// `owner`'s.
    pub(super) async fn of(&mut self, owner: &UserId) -> Result<RepClock, Problem> {
        let user = self.viewer.unwrap_or(owner);
        if let Some(c) = self.known.get(user) {
            return Ok(c.clone());
        }
        let c = RepClock::of(self.app, self.org, user).await?;
        self.known.insert(user.clone(), c.clone());
        Ok(c)
    }
}

/// The [`Why`] of each of `jobs` (deduplicated), its times read by
/// `clocks`.
pub(super) async fn load(
    app: &App,
    org: &OrgId,
    clocks: &mut Clocks<'_>,
    jobs: &[JobId],
) -> Result<HashMap<JobId, Why>, Problem> {
    let mut cache: HashMap<JobId, Option<Job>> = HashMap::new();
    let mut out = HashMap::new();
    for id in jobs {
        if out.contains_key(id) {
            continue;
        }
        let Some(job) = fetch(app, org, id, &mut cache).await? else {
            continue;
        };
        // Up the chain to the job that started it (the meeting, say).
        let mut chain = vec![job.clone()];
        while chain.len() <= MAX_DEPTH {
            let Some(parent) = chain.last().and_then(|j| j.parent_job_id.clone()) else {
                break;
            };
            match fetch(app, org, &parent, &mut cache).await? {
                Some(p) => chain.push(p),
                None => break,
            }
        }
        let runs: Vec<Value> = app
            .store()
            .step_runs(org, &job.id)
            .await?
            .into_iter()
            .filter_map(|r| r.output.map(|o| o["data"].clone()))
            .collect();
        let clock = clocks.of(&job.user_id).await?;
        out.insert(id.clone(), why(&chain, &runs, clock));
    }
    Ok(out)
}

async fn fetch(
    app: &App,
    org: &OrgId,
    id: &JobId,
    cache: &mut HashMap<JobId, Option<Job>>,
) -> Result<Option<Job>, Problem> {
    if let Some(j) = cache.get(id) {
        return Ok(j.clone());
    }
    let mut j = app.store().job(org, id).await?;
    // What was said on the call, from its stored transcript.
    if let Some(job) = j.as_mut() {
        let payload = std::mem::take(&mut job.payload);
        job.payload = crate::transcripts::restored(app.store(), org, payload).await?;
    }
    cache.insert(id.clone(), j.clone());
    Ok(j)
}

/// The trigger of one gate, for its approval page (read in the zone of
/// the rep it belongs to).
pub(super) async fn of_gate(app: &App, g: &PendingAction) -> Result<Option<Trigger>, Problem> {
    let mut clocks = Clocks::new(app, &g.org_id, Some(&g.user_id));
    let whys = load(app, &g.org_id, &mut clocks, std::slice::from_ref(&g.job_id)).await?;
    Ok(whys.get(&g.job_id).map(|w| w.for_gate(g)))
}

/// The [`Why`] of `chain[0]`, whose parents (nearest first) follow it;
/// `runs` are its step outputs' data.
fn why(chain: &[Job], runs: &[Value], clock: RepClock) -> Why {
    let job = &chain[0];
    // The job that names the group: the nearest meeting or email up the
    // chain, else the chain's first job.
    let root = chain
        .iter()
        .find(|j| matches!(j.event_type.as_str(), "meeting_ended" | "email_received"))
        .or(chain.last())
        .unwrap_or(job);
    let tier = tier_of(job).or_else(|| chain.iter().find_map(tier_of));
    let about = About::of_job(&root.payload, tier);
    let about = About {
        meeting: about
            .meeting
            .or_else(|| About::of_job(&job.payload, None).meeting),
        ..about
    };
    let t = tier.unwrap_or(&Value::Null);
    let contact_role = t["contact"]["title"].as_str().map(str::to_owned);
    let deal_stage = t["deal"]["stage"]
        .as_str()
        .filter(|s| !s.is_empty())
        .map(|s| words::stage_words(&Value::String(s.to_owned())));
    let p = &root.payload;
    let (source, happened_at) = match root.event_type.as_str() {
        "meeting_ended" => {
            let at = moment(&p["started_at"]);
            (
                Source::Meeting {
                    title: about.meeting.clone().unwrap_or_else(|| "A call".to_owned()),
                    when: at.map(|ms| format!("{} {}", clock.at(ms), clock.zone_name(ms))),
                    with: attendees(p, about.contact.as_deref()),
                },
                at.unwrap_or(root.created_at),
            )
        }
        "email_received" => (
            Source::Thread {
                from: about
                    .contact
                    .clone()
                    .or_else(|| p["from"].as_str().map(str::to_owned))
                    .unwrap_or_else(|| "Someone".into()),
                subject: p["subject"].as_str().unwrap_or("(no subject)").to_owned(),
                asked: p["body"].as_str().and_then(asking_line),
            },
            moment(&p["received_at"]).unwrap_or(root.created_at),
        ),
        other => (
            Source::Other {
                what: words::event_title(other),
            },
            root.created_at,
        ),
    };
    // The transcript lives on the meeting's job; a follow-up it queued
    // names the line that asked for it.
    let said = Said::from(
        &root.payload,
        if root.id == job.id { runs } else { &[] },
        about.contact.as_deref(),
    );
    let asked = job.payload["utterance"]
        .as_u64()
        .and_then(|i| usize::try_from(i).ok())
        .and_then(|i| said.line(i))
        .or_else(|| {
            job.payload["request"]
                .as_str()
                .filter(|r| !r.trim().is_empty() && root.id != job.id)
                .map(|r| said.quote(r))
        });
    Why {
        group: root.id.clone(),
        happened_at,
        source,
        about,
        contact_role,
        deal_stage,
        clock,
        said,
        asked,
    }
}

/// Who was on the call: the names the payload lists, else the contact
/// and the rep.
fn attendees(p: &Value, contact: Option<&str>) -> Vec<String> {
    let listed: Vec<String> = ["participants", "speakers"]
        .iter()
        .flat_map(|k| p[*k].as_array().into_iter().flatten())
        .filter_map(|x| x.as_str().or_else(|| x["name"].as_str()))
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty() && !s.contains('@'))
        .fold(Vec::new(), |mut all, n| {
            if !all.contains(&n) {
                all.push(n);
            }
            all
        });
    if !listed.is_empty() {
        return listed;
    }
    contact
        .map(str::to_owned)
        .into_iter()
        .chain(std::iter::once("you".to_owned()))
        .collect()
}

/// The sentence of an email that asks (see
/// [`baton_types::evidence::asking_sentence`]), clipped for a gate.
fn asking_line(body: &str) -> Option<String> {
    asking_sentence(body).map(|s| words::clip(s, QUOTE_CHARS))
}

#[cfg(test)]
mod tests;
