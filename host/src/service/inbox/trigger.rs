//! Why a suggestion waits, at a glance: its trigger. The meeting (title,
//! when in the rep's zone, who was on it) or the email thread (from,
//! subject, the line that asked); the contact, company and deal; and the
//! prospect's or rep's words that led to it, with their time in the call
//! (m:ss). Loaded per job, not per gate (the job, its parent chain up to
//! the meeting, and the job's step outputs), and chosen per gate from
//! what its actions carry. Renders no kind name, step name or id.

use super::clock::RepClock;
use crate::service::App;
use crate::service::problem::Problem;
use crate::store::{ActionKind, Job, JobId, OrgId, PendingAction, UserId, kind_of};
use crate::words::{self, About};
use maud::{Markup, html};
use serde_json::Value;
use std::collections::HashMap;

/// How many parents up a follow-up's meeting is looked for.
const MAX_DEPTH: usize = 4;
/// How long a quote may be on a page.
const QUOTE_CHARS: usize = 180;

/// The styles of the trigger panel and the list's groups.
pub(super) const STYLE: &str = ".why{border-left:3px solid #c9d6ea;padding:.2rem .8rem;margin:.6rem 0;background:#f7f9fc}\
.why p{margin:.2rem 0}blockquote.quote{margin:.3rem 0;font-style:italic}blockquote.quote .at{font-style:normal;color:#555}\
.group{margin:1.2rem 0}.group h3{margin:.2rem 0}.item{border:1px solid #e2e2e2;border-radius:6px;padding:.5rem .8rem;margin:.4rem 0}\
.item a.open{font-weight:600}.item p{margin:.2rem 0}.summary{color:#333}";

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

/// Words someone said, with where in the call.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Quote {
    /// "Marta Ruiz", or "You" for the rep.
    pub who: String,
    pub text: String,
    /// m:ss into the call.
    pub at: Option<String>,
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
        let first = actions.first();
        let kind = first.and_then(kind_of);
        let from_payload = |key: &str| {
            actions
                .iter()
                .find_map(|a| a["payload"][key].as_str().filter(|q| !q.trim().is_empty()))
                .map(|q| self.said.quote(q))
        };
        let picked = match kind {
            Some(ActionKind::TaskCreate) => from_payload("quote"),
            Some(ActionKind::CrmUpdate) => from_payload("evidence"),
            _ => None,
        };
        picked
            .or_else(|| self.asked.clone())
            .or_else(|| self.said.strongest())
    }
}

/// What was said on the call: the transcript (speaker, text, start in
/// seconds) and the intents the steps found in it.
#[derive(Debug, Clone, Default)]
struct Said {
    lines: Vec<(String, String, Option<f64>)>,
    /// (utterance, confidence, prospect?) of each detected intent.
    intents: Vec<(usize, f64, bool)>,
    contact: Option<String>,
}

impl Said {
    fn from(payload: &Value, runs: &[Value], contact: Option<&str>) -> Said {
        let lines = payload["utterances"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|u| {
                (
                    u["speaker"].as_str().unwrap_or("").to_owned(),
                    u["text"].as_str().unwrap_or("").to_owned(),
                    u["start"].as_f64(),
                )
            })
            .collect();
        let intents = runs
            .iter()
            .flat_map(|data| data["intents"].as_array().into_iter().flatten())
            .filter_map(|i| {
                Some((
                    usize::try_from(i["utterance"].as_u64()?).ok()?,
                    i["confidence"].as_f64().unwrap_or(0.0),
                    i["speaker"] == "prospect",
                ))
            })
            .collect();
        Said {
            lines,
            intents,
            contact: contact.map(str::to_owned),
        }
    }

    fn who(&self, speaker: &str) -> String {
        match speaker {
            "rep" => "You".into(),
            _ => self
                .contact
                .clone()
                .unwrap_or_else(|| "The prospect".into()),
        }
    }

    /// Utterance `i` as a quote.
    fn line(&self, i: usize) -> Option<Quote> {
        let (speaker, text, start) = self.lines.get(i)?;
        Some(Quote {
            who: self.who(speaker),
            text: words::clip(text, QUOTE_CHARS),
            at: start.map(mss),
        })
    }

    /// `text` as a quote, placed in the call when a line holds it.
    fn quote(&self, text: &str) -> Quote {
        let needle = text.trim().to_lowercase();
        let found = self
            .lines
            .iter()
            .find(|(_, t, _)| t.to_lowercase().contains(&needle));
        Quote {
            who: found.map_or_else(|| self.who("prospect"), |(s, _, _)| self.who(s)),
            text: words::clip(text, QUOTE_CHARS),
            at: found.and_then(|(_, _, s)| s.map(mss)),
        }
    }

    /// The prospect's most confident intent (else anyone's).
    fn strongest(&self) -> Option<Quote> {
        let best = |prospect: bool| {
            self.intents
                .iter()
                .filter(|(_, _, p)| *p || !prospect)
                .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
                .map(|(i, _, _)| *i)
        };
        best(true)
            .or_else(|| best(false))
            .and_then(|i| self.line(i))
    }
}

/// Seconds into a call as m:ss.
fn mss(seconds: f64) -> String {
    let s = seconds.max(0.0).round() as u64;
    format!("{}:{:02}", s / 60, s % 60)
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
    let j = app.store().job(org, id).await?;
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

/// The line of an email that asks: the first (unquoted) with a question
/// mark, else its first.
fn asking_line(body: &str) -> Option<String> {
    let lines: Vec<&str> = body
        .lines()
        .map(str::trim)
        .take_while(|l| !l.starts_with("On ") || !l.ends_with("wrote:"))
        .filter(|l| !l.is_empty() && !l.starts_with('>'))
        .collect();
    let sentences: Vec<&str> = lines
        .iter()
        .flat_map(|l| l.split_inclusive(['.', '?', '!']))
        .collect();
    sentences
        .iter()
        .find(|s| s.trim_end().ends_with('?'))
        .or(sentences.first())
        .map(|s| words::clip(s, QUOTE_CHARS))
}

/// The quote, as the list and the approval page show it.
pub(super) fn quote_markup(q: &Quote) -> Markup {
    html! {
        blockquote.quote {
            "“" (q.text) "”"
            span.at { " — " (q.who) @if let Some(at) = &q.at { " at " (at) } }
        }
    }
}

/// The line under a group's heading: when and with whom, or the thread.
pub(super) fn source_line(s: &Source) -> Markup {
    html! {
        @match s {
            Source::Meeting { when, with, .. } => {
                p.muted.when {
                    @if let Some(w) = when { (w) " · " }
                    "with " (with.join(", "))
                }
            }
            Source::Thread { from, asked, .. } => {
                p.muted { "From " (from) }
                @if let Some(a) = asked { p.asked { "“" (a) "”" } }
            }
            Source::Other { .. } => {}
        }
    }
}

/// The heading a group is shown under.
pub(super) fn heading(s: &Source) -> String {
    match s {
        Source::Meeting { title, .. } => title.clone(),
        Source::Thread { subject, .. } => format!("Email: {subject}"),
        Source::Other { what } => (*what).to_owned(),
    }
}

/// The contact, company and deal, in one line.
fn crm_line(w: &Why) -> Option<String> {
    let a = &w.about;
    let mut parts = Vec::new();
    if let Some(c) = &a.contact {
        parts.push(match &w.contact_role {
            Some(r) => format!("{c}, {r}"),
            None => c.clone(),
        });
    }
    if let Some(c) = &a.company {
        parts.push(c.clone());
    }
    if let Some(d) = &a.deal {
        parts.push(match &w.deal_stage {
            Some(s) => format!("{d} ({s})"),
            None => d.clone(),
        });
    }
    (!parts.is_empty()).then(|| parts.join(" · "))
}

/// Why this waits, for the top of an approval page.
pub(super) fn panel(t: &Trigger) -> Markup {
    let w = &t.why;
    html! {
        section.why #why aria-label="Why this is here" {
            p { strong { (heading(&w.source)) } }
            (source_line(&w.source))
            @if let Some(line) = crm_line(w) { p.crm { (line) } }
            @if let Some(q) = &t.quote { (quote_markup(q)) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_time_in_the_call_reads_as_minutes_and_seconds() {
        assert_eq!(mss(0.0), "0:00");
        assert_eq!(mss(252.4), "4:12");
        assert_eq!(mss(1279.0), "21:19");
    }

    #[test]
    fn a_quote_is_placed_in_the_call_and_named_by_its_speaker() {
        let payload = json!({ "utterances": [
            { "speaker": "rep", "text": "Thanks for the time.", "start": 0.0 },
            { "speaker": "prospect", "text": "Budget is set aside for Q1. Can you send pricing?", "start": 125.0 },
            { "speaker": "rep", "text": "I'll send the security pack today.", "start": 190.5 },
        ] });
        let runs = [json!({ "intents": [
            { "utterance": 2, "confidence": 0.95, "speaker": "rep" },
            { "utterance": 1, "confidence": 0.9, "speaker": "prospect" },
        ] })];
        let said = Said::from(&payload, &runs, Some("Marta Ruiz"));
        let q = said.quote("send the security pack");
        assert_eq!((q.who.as_str(), q.at.as_deref()), ("You", Some("3:11")));
        let best = said.strongest().expect("an intent");
        assert_eq!(best.who, "Marta Ruiz", "the prospect's words lead");
        assert_eq!(best.at.as_deref(), Some("2:05"));
        assert_eq!(said.quote("not in the call").at, None);
    }

    #[test]
    fn an_email_is_quoted_from_the_line_that_asks() {
        let body = "Thanks for the numbers. Could you send over the answers before Thursday?\n\n> old text?";
        assert_eq!(
            asking_line(body).as_deref(),
            Some("Could you send over the answers before Thursday?")
        );
        assert_eq!(asking_line("Just a note.").as_deref(), Some("Just a note."));
    }

    #[test]
    fn who_was_on_the_call_comes_from_the_payload_or_the_crm() {
        let p = json!({ "speakers": ["Jordan Avery", { "name": "Marta Ruiz" }, "Jordan Avery"] });
        assert_eq!(attendees(&p, None), ["Jordan Avery", "Marta Ruiz"]);
        assert_eq!(
            attendees(&json!({}), Some("Marta Ruiz")),
            ["Marta Ruiz", "you"]
        );
    }
}
