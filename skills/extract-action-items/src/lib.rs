//! `extract-action-items`: who promised to do what by when, from a meeting
//! transcript. Each item names its owner (`rep` or `prospect`), the action
//! as a task line, the quote it came from, and the deadline when one was
//! said, resolved to a date against the meeting's day in the rep's zone.
//!
//! Deterministic ([`clauses`] finds the items, [`deadline`] the dates); it
//! reads the org tier only for the rep's time zone and the contact tier only
//! for the prospect's name, and proposes no effect.

pub mod clauses;
pub mod deadline;

use baton_sdk::context::{self, ContactTier, OrgTier};
use baton_sdk::meeting::{ActionItem, Due, Meeting, Speaker};
use baton_sdk::prelude::*;
use baton_sdk::text::first_word;
use clauses::Found;
use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use serde::Serialize;
use std::collections::BTreeSet;

#[derive(serde::Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct Params {
    /// Items below this are not reported.
    #[serde(default = "min_confidence")]
    #[schemars(range(min = 0, max = 1), extend("default" = 0.6))]
    min_confidence: f32,
}

fn min_confidence() -> f32 {
    0.6
}

/// The output, from which the manifest's output schema is derived.
#[derive(Serialize, JsonSchema)]
struct Extracted {
    meeting_id: Option<String>,
    /// The meeting's day in the rep's zone, when its time is known.
    #[schemars(extend("format" = "date"))]
    meeting_date: Option<String>,
    /// The IANA zone deadlines were resolved in.
    timezone: String,
    action_items: Vec<ActionItem>,
    counts: Counts,
    /// What of a transcript too long to read whole was left out.
    #[serde(skip_serializing_if = "Option::is_none")]
    transcript_cut: Option<String>,
}

/// Items per owner.
#[derive(Serialize, JsonSchema)]
struct Counts {
    rep: u32,
    prospect: u32,
}

pub struct ExtractActionItems;

/// The meeting's calendar day in the rep's zone, and the zone's name.
fn meeting_day(meeting: &Meeting, zone: Option<&str>) -> (Option<Date>, String) {
    let tz = zone
        .and_then(|z| TimeZone::get(z).ok())
        .unwrap_or(TimeZone::UTC);
    let name = tz.iana_name().unwrap_or("UTC").to_owned();
    let at = meeting
        .started_at
        .as_deref()
        .or(meeting.ended_at.as_deref())
        .and_then(|t| t.parse::<Timestamp>().ok());
    (at.map(|t| t.to_zoned(tz).date()), name)
}

/// Rewrite references to the prospect in the third person, from the rep's
/// point of view: "send you the deck" → "send Marta the deck".
fn task_line(found: &Found, speaker: Speaker, prospect: Option<&str>) -> String {
    let mut out = Vec::with_capacity(found.words.len());
    for (k, w) in found.words.iter().enumerate() {
        let lower = w.to_lowercase();
        let refers_to_prospect = match speaker {
            Speaker::Prospect => matches!(lower.as_str(), "me" | "us" | "my" | "our"),
            Speaker::Rep => matches!(lower.as_str(), "you" | "your"),
        };
        let refers_to_rep =
            speaker == Speaker::Prospect && matches!(lower.as_str(), "you" | "your");
        let word = if refers_to_prospect {
            match (lower.as_str(), prospect) {
                ("me" | "you", Some(n)) => n.to_owned(),
                ("me" | "you" | "us", _) => "them".to_owned(),
                _ => "their".to_owned(),
            }
        } else if refers_to_rep {
            if lower == "you" { "us" } else { "our" }.to_owned()
        } else {
            w.clone()
        };
        out.push(if k == 0 { capitalise(&word) } else { word });
    }
    out.join(" ")
}

/// Words a promise may use for what the other side just asked for ("I'll
/// send both", "I'll get that over to you").
const STAND_INS: &[&str] = &["both", "them", "those", "these", "it", "that", "this"];

/// Words that open an ask, before what is asked for ("could you send me").
const ASK_OPENERS: &[&str] = &[
    "could", "can", "would", "will", "you", "please", "send", "share", "email", "forward", "me",
    "us", "over", "and", "also", "so", "then", "just", "maybe", "i'd", "we'd", "like", "need",
    "want", "get", "give",
];

/// What `asked` (the other side's last words) asked for, as a promise can
/// name it: its last sentence without the words that open an ask ("Send
/// me the pilot proposal." → "the pilot proposal"); `None` when it does not
/// read as a thing asked for.
fn asked_for(asked: &str) -> Option<Vec<String>> {
    let last = asked
        .split_inclusive(['.', '?', '!'])
        .map(str::trim)
        .rfind(|s| !s.is_empty())?;
    let words: Vec<String> = last
        .split_whitespace()
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'')
                .to_owned()
        })
        .filter(|w| !w.is_empty())
        .collect();
    let start = words
        .iter()
        .position(|w| !ASK_OPENERS.contains(&w.to_lowercase().as_str()))?;
    let thing = &words[start..];
    let first = thing.first()?.to_lowercase();
    // An ask ("send me …") or a thing named on its own ("a short proposal
    // …"), not a statement ("I'll send you …").
    let named = matches!(
        first.as_str(),
        "a" | "an" | "the" | "some" | "your" | "our" | "two" | "both" | "any"
    );
    ((start > 0 || named) && (2..=12).contains(&thing.len())).then(|| {
        thing
            .iter()
            .enumerate()
            .map(|(k, w)| if k == 0 { w.to_lowercase() } else { w.clone() })
            .collect()
    })
}

/// Things the speaker had just named in their own turn, for "both": the
/// last comma-separated part of the sentence before that starts with an
/// article and joins two with "and" ("We do, a freight forwarder in
/// Rotterdam and a warehousing company in Ohio." → "the freight forwarder
/// in Rotterdam and the warehousing company in Ohio").
fn named_before(before: &str) -> Option<Vec<String>> {
    let sentence = before
        .split_inclusive(['.', '?', '!'])
        .map(str::trim)
        .rfind(|s| !s.is_empty())?;
    let part = sentence
        .trim_end_matches(['.', '?', '!'])
        .rsplit(", ")
        .next()?
        .trim();
    let words: Vec<String> = part.split_whitespace().map(str::to_owned).collect();
    let article = |w: &str| matches!(w.to_lowercase().as_str(), "a" | "an" | "the");
    let joined = words.iter().any(|w| w == "and");
    (words.first().is_some_and(|w| article(w)) && joined && words.len() <= 14).then(|| {
        words
            .iter()
            .enumerate()
            .map(|(k, w)| {
                let after_and = k > 0 && words[k - 1] == "and";
                if (k == 0 || after_and) && article(w) {
                    "the".to_owned()
                } else {
                    w.clone()
                }
            })
            .collect()
    })
}

/// `found` with a stand-in for its object ("both", "that") replaced by
/// what the speaker had just named ("both") or what the other side had
/// just asked for, when either can be read.
fn resolve_stand_in(found: &mut Found, before: &str, asked: Option<&str>) {
    let Some(at) = found
        .words
        .iter()
        .take(3)
        .position(|w| STAND_INS.contains(&w.to_lowercase().as_str()))
    else {
        return;
    };
    if at == 0 {
        return;
    }
    let own = (found.words[at].eq_ignore_ascii_case("both"))
        .then(|| named_before(before))
        .flatten();
    if let Some(thing) = own.or_else(|| asked.and_then(asked_for)) {
        found.words.splice(at..=at, thing);
    }
}

fn capitalise(w: &str) -> String {
    let mut c = w.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Words that carry no content for telling two actions apart.
const STOP: &[&str] = &[
    "the", "a", "an", "you", "your", "me", "my", "our", "us", "we", "i", "it", "that", "this",
    "them", "their", "to", "for", "of", "on", "in", "with", "and", "by", "over", "up", "some",
    "is", "be", "all", "any", "just", "also", "those", "these", "across", "along", "or", "so",
    "if", "then",
];

/// Words of a promise that name no thing to do: following up, getting
/// back, reaching out, and how (by email, by phone).
const HOLLOW: &[&str] = &[
    "follow",
    "following",
    "up",
    "get",
    "back",
    "reach",
    "out",
    "touch",
    "base",
    "circle",
    "email",
    "mail",
    "phone",
    "will",
    "i'll",
    "we'll",
    "do",
    "soon",
    "later",
    "shortly",
    "again",
    "too",
    "as",
    "well",
];

/// Whether `w` only says when ("Friday", "tomorrow", "week").
fn deadline_word(w: &str) -> bool {
    baton_sdk::calendar::weekday_number(w, true).is_some()
        || baton_sdk::calendar::month_number(w).is_some()
        || matches!(
            w,
            "today" | "tomorrow" | "tonight" | "next" | "week" | "end" | "day" | "monday's"
        )
        || w.chars().all(|c| c.is_ascii_digit())
}

/// Words that open a summary of what was already agreed.
fn is_recap(clause: &str) -> bool {
    let w = clauses::words(clause);
    w.iter().any(|x| {
        matches!(
            x.as_str(),
            "recap" | "summarise" | "summarize" | "summarising" | "summarizing"
        )
    }) || w.windows(2).any(|p| p[0] == "sum" && p[1] == "up")
}

fn content_words(lower: &[String]) -> BTreeSet<String> {
    lower
        .iter()
        .filter(|w| !STOP.contains(&w.as_str()))
        .cloned()
        .collect()
}

/// Whether an action repeats what the same side already took on: most of
/// its content words (70%, or half in a recap at the end of a call) were
/// said in its earlier items.
fn restated(
    seen: &[(Speaker, BTreeSet<String>)],
    owner: Speaker,
    content: &BTreeSet<String>,
    recap: bool,
) -> bool {
    if content.is_empty() {
        return true;
    }
    let earlier: BTreeSet<&String> = seen
        .iter()
        .filter(|(o, _)| *o == owner)
        .flat_map(|(_, c)| c.iter())
        .collect();
    let known = content.iter().filter(|w| earlier.contains(w)).count();
    let share = if recap { 5 } else { 7 };
    known * 10 >= content.len() * share
}

impl Skill for ExtractActionItems {
    fn manifest() -> Manifest {
        Manifest::new(
            "extract-action-items",
            env!("CARGO_PKG_VERSION"),
            "Finds who promised to do what by when in a meeting transcript.",
        )
        .produces(flow::names::MEETING_ACTION_ITEMS)
        .capability("context:org")
        .capability("context:attachments")
        .capability("context:contact")
        .default_fuel(1_000_000_000)
        .params::<Params>()
        .output::<Extracted>()
    }

    fn run(input: Input) -> Result<Output, SkillError> {
        let params: Params = input.params()?;
        let meeting = Meeting::from_input(&input)?;
        let org = context::org()?;
        let contact = context::contact()?;
        let zone = org.as_ref().and_then(OrgTier::timezone);
        let (today, zone_name) = meeting_day(&meeting, zone);
        let prospect = first_word(contact.as_ref().and_then(ContactTier::contact_name));

        let mut items: Vec<ActionItem> = Vec::new();
        let mut seen: Vec<(Speaker, BTreeSet<String>)> = Vec::new();
        let (mut rep, mut theirs) = (0u32, 0u32);
        for (i, u) in meeting.utterances.iter().enumerate() {
            // What the other side said last, for a promise that names it
            // as "both" or "that".
            let asked = meeting.utterances[..i]
                .iter()
                .rev()
                .take(2)
                .find(|p| p.speaker != u.speaker)
                .map(|p| p.text.as_str());
            for clause in clauses::clauses(&u.text) {
                for mut found in clauses::find(u.speaker, &clause) {
                    if u.speaker == Speaker::Rep
                        && found.owner == Speaker::Rep
                        && found.kind == clauses::Kind::Commitment
                    {
                        let before = u.text.find(clause.as_str()).map_or("", |at| &u.text[..at]);
                        resolve_stand_in(&mut found, before, asked);
                    }
                    if found.confidence < params.min_confidence {
                        continue;
                    }
                    let lower = clauses::words(&found.words.join(" "));
                    let refs: Vec<&str> = lower.iter().map(String::as_str).collect();
                    let deadline = match today {
                        Some(day) => deadline::find(&refs, day).map(|d| Due {
                            text: d.text,
                            date: Some(d.date.to_string()),
                        }),
                        // Without a meeting day the words are still worth
                        // showing; any reference day finds the same words.
                        None => deadline::find(&refs, jiff::civil::date(2000, 1, 3)).map(|d| Due {
                            text: d.text,
                            date: None,
                        }),
                    };
                    if found.in_call && deadline.is_none() {
                        continue;
                    }
                    let content = content_words(&lower);
                    // "I'll follow up by email" promises no thing: the
                    // follow-up email itself is it.
                    if content
                        .iter()
                        .all(|w| HOLLOW.contains(&w.as_str()) || deadline_word(w))
                    {
                        continue;
                    }
                    if restated(&seen, found.owner, &content, is_recap(&clause)) {
                        continue;
                    }
                    seen.push((found.owner, content));
                    match found.owner {
                        Speaker::Rep => rep += 1,
                        Speaker::Prospect => theirs += 1,
                    }
                    items.push(ActionItem {
                        owner: found.owner,
                        action: task_line(&found, u.speaker, prospect),
                        kind: found.kind.as_str().to_owned(),
                        quote: clause.clone(),
                        utterance: i,
                        start: u.start,
                        confidence: found.confidence,
                        deadline,
                    });
                }
            }
        }
        Output::of(&Extracted {
            transcript_cut: meeting.cut,
            meeting_id: meeting.meeting_id,
            meeting_date: today.map(|d| d.to_string()),
            timezone: zone_name,
            action_items: items,
            counts: Counts {
                rep,
                prospect: theirs,
            },
        })
    }
}

export_skill!(ExtractActionItems);

#[cfg(test)]
mod tests {
    use super::*;
    use baton_sdk::testing::FakeHost;

    fn meeting(started_at: &str) -> Input {
        Input::for_event(
            "meeting_ended",
            json!({
                "meeting_id": "m-7",
                "started_at": started_at,
                "utterances": [
                    { "speaker": "rep", "text": "Thanks for the time. I'll send you a proposal with pricing by Friday.", "start": 10.0 },
                    { "speaker": "prospect", "text": "Great. I'll run it by our CFO early next week.", "start": 20.0 },
                    { "speaker": "prospect", "text": "Could you send me the security questionnaire?", "start": 30.0 },
                    { "speaker": "rep", "text": "I'll be honest, that's a common ask. I'll send you a proposal with pricing by Friday!", "start": 40.0 }
                ]
            }),
        )
    }

    /// The actions of the items `input` yields.
    fn actions_of(input: Input) -> Vec<String> {
        let out = host().run::<ExtractActionItems>(input).expect("runs");
        out.data["action_items"]
            .as_array()
            .expect("items")
            .iter()
            .filter_map(|i| i["action"].as_str().map(str::to_owned))
            .collect()
    }

    fn host() -> FakeHost {
        FakeHost::for_skill::<ExtractActionItems>()
            .org(json!({ "preferences": { "timezone": "America/New_York" } }))
            .contact(json!({ "contact": { "name": "Marta Ruiz" } }))
    }

    #[test]
    fn items_have_owners_actions_and_dates_in_the_reps_zone() {
        // 02:30 UTC on Saturday 21 November is still Friday the 20th in New York.
        let out = host()
            .run::<ExtractActionItems>(meeting("2026-11-21T02:30:00Z"))
            .expect("runs");
        let items = out.data["action_items"].as_array().expect("items");
        assert_eq!(items.len(), 3, "{items:#?}");
        assert_eq!(out.data["meeting_date"], "2026-11-20");
        assert_eq!(out.data["timezone"], "America/New_York");
        assert_eq!(items[0]["owner"], "rep");
        assert_eq!(
            items[0]["action"],
            "Send Marta a proposal with pricing by Friday"
        );
        assert_eq!(items[0]["deadline"]["date"], "2026-11-27");
        assert_eq!(items[1]["owner"], "prospect");
        assert_eq!(items[1]["action"], "Run it by their CFO early next week");
        assert_eq!(items[1]["deadline"]["date"], "2026-11-24");
        assert_eq!(items[2]["owner"], "rep");
        assert_eq!(items[2]["kind"], "request");
        assert_eq!(items[2]["action"], "Send Marta the security questionnaire");
        assert!(items[2]["deadline"].is_null());
        assert_eq!(out.data["counts"], json!({ "rep": 2, "prospect": 1 }));
        assert!(out.actions.is_empty() && out.follow_ups.is_empty());
    }

    /// A promise of nothing in particular is no item (a held-out call of
    /// issue 40: "Thanks all, I'll follow up by email.").
    #[test]
    fn a_promise_to_follow_up_is_no_item() {
        let mut input = meeting("2026-11-20T15:00:00Z");
        input.event.payload["utterances"] = json!([
            { "speaker": "rep", "text": "Thanks all, I'll follow up by email." },
            { "speaker": "rep", "text": "I'll get back to you next week." },
            { "speaker": "rep", "text": "I'll follow up with the security overview tomorrow." }
        ]);
        let actions = actions_of(input);
        let actions: Vec<&str> = actions.iter().map(String::as_str).collect();
        assert_eq!(
            actions,
            ["Follow up with the security overview tomorrow"],
            "{actions:?}"
        );
    }

    /// Issue 40: "I'll send both" names what was asked for.
    #[test]
    fn a_promise_of_both_or_that_names_what_was_asked() {
        let mut input = meeting("2026-11-20T15:00:00Z");
        input.event.payload["utterances"] = json!([
            { "speaker": "prospect", "text": "A short proposal with the numbers, and a reference customer." },
            { "speaker": "rep", "text": "I'll send both by Friday." },
            { "speaker": "prospect", "text": "I like that. Send me the pilot proposal." },
            { "speaker": "rep", "text": "Will do. I'll get that over to you today." },
            { "speaker": "prospect", "text": "Do you have any customers in logistics we could talk to?" },
            { "speaker": "rep", "text": "We do, a freight forwarder in Rotterdam and a warehousing company in Ohio. I'll ask both if they'd take a reference call." }
        ]);
        let actions = actions_of(input);
        let actions: Vec<&str> = actions.iter().map(String::as_str).collect();
        assert!(
            actions.contains(
                &"Send a short proposal with the numbers and a reference customer by Friday"
            ),
            "{actions:?}"
        );
        assert!(
            actions.contains(&"Get the pilot proposal over to Marta today"),
            "{actions:?}"
        );
        assert!(
            actions.contains(&"Ask the freight forwarder in Rotterdam and the warehousing company in Ohio if they'd take a reference call"),
            "{actions:?}"
        );
    }

    #[test]
    fn in_call_actions_and_recaps_are_not_new_items() {
        let input = Input::for_event(
            "meeting_ended",
            json!({ "started_at": "2026-11-20T15:00:00Z", "utterances": [
                { "speaker": "rep", "text": "Let me share my screen and show you the dashboard." },
                { "speaker": "rep", "text": "I'll send you the security pack today." },
                { "speaker": "rep", "text": "I'll walk your ops lead through it next Tuesday." },
                { "speaker": "prospect", "text": "I'll send the renewal numbers by Wednesday." },
                { "speaker": "rep", "text": "So to recap: I'll send the security pack today." },
                { "speaker": "prospect", "text": "And I'll send the renewal numbers by Wednesday and check the HubSpot property." }
            ]}),
        );
        let actions = actions_of(input);
        let actions: Vec<&str> = actions.iter().map(String::as_str).collect();
        assert_eq!(
            actions,
            [
                "Send Marta the security pack today",
                "Walk their ops lead through it next Tuesday",
                "Send the renewal numbers by Wednesday",
                "Check the HubSpot property",
            ]
        );
    }

    #[test]
    fn in_utc_the_same_instant_is_saturday() {
        let out = FakeHost::for_skill::<ExtractActionItems>()
            .run::<ExtractActionItems>(meeting("2026-11-21T02:30:00Z"))
            .expect("runs");
        assert_eq!(out.data["meeting_date"], "2026-11-21");
        assert_eq!(out.data["timezone"], "UTC");
        assert_eq!(
            out.data["action_items"][0]["action"],
            "Send them a proposal with pricing by Friday"
        );
    }

    #[test]
    fn without_a_meeting_time_deadlines_keep_their_words_only() {
        let mut input = meeting("");
        input.event.payload["started_at"] = json!(null);
        let out = host().run::<ExtractActionItems>(input).expect("runs");
        let d = &out.data["action_items"][0]["deadline"];
        assert_eq!(d["text"], "by friday");
        assert!(d["date"].is_null());
    }

    #[test]
    fn bad_speakers_and_params_are_invalid_input() {
        let bad = Input::for_event(
            "meeting_ended",
            json!({ "utterances": [{ "speaker": "moderator", "text": "hi" }] }),
        );
        assert!(matches!(
            host().run::<ExtractActionItems>(bad),
            Err(SkillError::InvalidInput(_))
        ));
        let input = meeting("2026-11-20T15:00:00Z").with_params(json!({ "nope": 1 }));
        assert!(matches!(
            host().run::<ExtractActionItems>(input),
            Err(SkillError::InvalidInput(_))
        ));
    }

    #[test]
    fn a_denied_tier_is_an_error() {
        let r = host()
            .revoke("context:org")
            .run::<ExtractActionItems>(meeting("2026-11-20T15:00:00Z"));
        assert!(matches!(r, Err(SkillError::Failed(m)) if m.contains("denied")));
    }
}
