//! `pull-crm-history`: what the CRM (tier 2) knows about the account before
//! a meeting, compact enough for a briefing: the deal (stage, amount, close
//! date), the last few touches, days since the last activity, earlier
//! meetings and the email threads still moving.
//!
//! Times are measured against the meeting's `starts_at` (the payload), never
//! a clock, so the same input always gives the same history. Nothing known
//! about the contact is an answer (`found: false`), not a failure.

use baton_sdk::briefing::{CompanyFacts, DealFacts, MeetingHeld, OpenThread, Touch};
use baton_sdk::context::{self, ContactTier, Deal};
use baton_sdk::crm::money;
use baton_sdk::events::pre_meeting::Payload;
use baton_sdk::prelude::*;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct Params {
    /// Touches listed.
    #[serde(default = "three")]
    #[schemars(range(min = 1))]
    touches: usize,
    /// A thread with a message this recent (before the meeting) is open.
    #[serde(default = "thirty")]
    #[schemars(range(min = 1))]
    open_thread_days: i64,
}

fn three() -> usize {
    3
}
fn thirty() -> i64 {
    30
}

const DAY_MS: i64 = 86_400_000;

/// The output, from which the manifest's output schema is derived: the
/// history, or why there is none.
#[derive(Serialize, JsonSchema)]
struct Pulled {
    meeting_id: Option<String>,
    /// Whether the CRM knows the contact or deal.
    found: bool,
    /// Why nothing was found.
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<&'static str>,
    #[serde(flatten)]
    history: Option<History>,
}

/// What the CRM knows, as of the meeting.
#[derive(Serialize, JsonSchema)]
struct History {
    contact: Option<ContactFacts>,
    company: Option<CompanyFacts>,
    /// The deal the event names, else the first open one, else the first.
    deal: Option<DealFacts>,
    other_deals: Vec<OtherDeal>,
    /// The latest activities before the meeting, newest first.
    last_touches: Vec<Touch>,
    days_since_last_activity: Option<i64>,
    past_meetings: Vec<MeetingHeld>,
    open_threads: Vec<OpenThread>,
    /// The history in a sentence or two.
    summary: String,
}

/// The contact, as the CRM records them.
#[derive(Serialize, JsonSchema)]
struct ContactFacts {
    name: Option<String>,
    title: Option<String>,
    email: Option<String>,
}

/// Another deal with the account.
#[derive(Serialize, JsonSchema)]
struct OtherDeal {
    name: Option<String>,
    stage: Option<String>,
}

pub struct PullCrmHistory;

impl Skill for PullCrmHistory {
    fn manifest() -> Manifest {
        Manifest::new(
            "pull-crm-history",
            env!("CARGO_PKG_VERSION"),
            "A compact CRM history for a meeting briefing: the deal, last touches, open threads.",
        )
        .produces(flow::names::BRIEFING_CRM_HISTORY)
        .capability("context:contact")
        .default_fuel(50_000_000)
        .params::<Params>()
        .output::<Pulled>()
    }

    fn run(input: Input) -> Result<Output, SkillError> {
        let params: Params = input.params()?;
        let payload: Payload = input.payload()?;
        let start = match payload.starts_at.as_deref() {
            Some(s) => Some(
                s.parse::<Timestamp>()
                    .map_err(|e| SkillError::InvalidInput(format!("starts_at: {e}")))?
                    .as_millisecond(),
            ),
            None => None,
        };
        let Some(crm) = context::contact()? else {
            return Output::of(&Pulled {
                meeting_id: payload.meeting_id,
                found: false,
                reason: Some("the CRM knows no contact or deal for this meeting"),
                history: None,
            });
        };
        Output::of(&Pulled {
            meeting_id: payload.meeting_id,
            found: true,
            reason: None,
            history: Some(history(&crm, start, &params)),
        })
    }
}

/// The history of `crm` (tier 2) as of `start` (unix ms).
fn history(crm: &ContactTier, start: Option<i64>, params: &Params) -> History {
    let before = |at: Option<i64>| match (start, at) {
        (Some(s), Some(a)) => a < s,
        (None, Some(_)) => true,
        _ => false,
    };
    let days_ago = |at: i64| start.map(|s| (s - at).div_euclid(DAY_MS));

    let deals = &crm.deals;
    let deal = crm.deal.as_ref().or_else(|| {
        deals
            .iter()
            .find(|d| !is_closed(d))
            .or_else(|| deals.first())
    });
    let deal_id = deal.and_then(|d| d.id.as_deref());
    let other_deals: Vec<OtherDeal> = deals
        .iter()
        .filter(|d| d.id.as_deref() != deal_id)
        .map(|d| OtherDeal {
            name: d.name.clone(),
            stage: d.stage.clone(),
        })
        .collect();

    let mut activities: Vec<&context::Activity> = crm
        .activities
        .iter()
        .filter(|a| before(a.occurred_at))
        .collect();
    activities.sort_by_key(|a| std::cmp::Reverse(a.occurred_at));
    let last_touches: Vec<Touch> = activities
        .iter()
        .take(params.touches)
        .filter_map(|a| {
            let at = a.occurred_at?;
            Some(Touch {
                kind: a.kind.as_deref().unwrap_or("activity").to_owned(),
                summary: a.summary.clone().unwrap_or_default(),
                on: date(at),
                days_ago: days_ago(at),
            })
        })
        .collect();
    let last_at = activities.first().and_then(|a| a.occurred_at);
    let days_since_last_activity = last_at.and_then(days_ago);

    let past_meetings: Vec<MeetingHeld> = crm
        .meetings
        .iter()
        .filter(|m| before(m.starts_at))
        .take(params.touches)
        .filter_map(|m| {
            let at = m.starts_at?;
            Some(MeetingHeld {
                title: m.title.clone(),
                on: date(at),
                days_ago: days_ago(at),
            })
        })
        .collect();
    let open_threads: Vec<OpenThread> = crm
        .email_threads
        .iter()
        .filter_map(|t| {
            let at = t.last_message_at?;
            let age = days_ago(at);
            let open = before(Some(at)) && age.is_none_or(|d| d <= params.open_thread_days);
            open.then(|| OpenThread {
                subject: t.subject.clone(),
                last_message_on: date(at),
                days_ago: age,
            })
        })
        .take(params.touches)
        .collect();

    let deal = deal.map(|d| deal_view(d, start));
    let summary = summary(
        deal.as_ref(),
        last_touches.first(),
        days_since_last_activity,
    );
    History {
        contact: crm.contact.as_ref().map(|c| ContactFacts {
            name: c.name.clone(),
            title: c.title.clone(),
            email: c.email.clone(),
        }),
        company: crm.company.as_ref().map(|c| CompanyFacts {
            name: c.name.clone(),
            domain: c.domain.clone(),
            industry: c.industry.clone(),
            employees: c.employees,
        }),
        deal,
        other_deals,
        last_touches,
        days_since_last_activity,
        past_meetings,
        open_threads,
        summary,
    }
}

fn is_closed(deal: &Deal) -> bool {
    matches!(deal.stage.as_deref(), Some("closed_won" | "closed_lost"))
}

fn deal_view(d: &Deal, start: Option<i64>) -> DealFacts {
    let cents = d.amount_cents;
    let currency = d.currency.as_deref().unwrap_or("USD");
    let close = d.close_date.as_deref();
    let days_to_close = match (
        close.and_then(|c| c.parse::<jiff::civil::Date>().ok()),
        start,
    ) {
        (Some(c), Some(s)) => Timestamp::from_millisecond(s).ok().map(|s| {
            let from = s.to_zoned(jiff::tz::TimeZone::UTC).date();
            i64::from(from.until(c).map(|span| span.get_days()).unwrap_or(0))
        }),
        _ => None,
    };
    DealFacts {
        name: d.name.clone(),
        stage: d.stage.clone(),
        amount: cents.map(|c| money(c, currency)),
        amount_cents: cents,
        currency: currency.to_owned(),
        close_date: close.map(str::to_owned),
        days_to_close,
    }
}

fn summary(deal: Option<&DealFacts>, last: Option<&Touch>, idle: Option<i64>) -> String {
    let mut parts = Vec::new();
    if let Some(d) = deal {
        let mut s = format!(
            "{} is in {}",
            d.name.as_deref().unwrap_or("The deal"),
            d.stage
                .as_deref()
                .unwrap_or("an unknown stage")
                .replace('_', " ")
        );
        if let Some(a) = &d.amount {
            s.push_str(&format!(" at {a}"));
        }
        if let Some(c) = &d.close_date {
            s.push_str(&format!(", closing {c}"));
        }
        parts.push(s);
    } else {
        parts.push("No deal is open with this account".to_owned());
    }
    match (last, idle) {
        (Some(t), Some(days)) => parts.push(format!(
            "last touch {days} days before the meeting ({}: {})",
            t.kind, t.summary
        )),
        (Some(t), None) => parts.push(format!(
            "last touch on {} ({}: {})",
            t.on, t.kind, t.summary
        )),
        _ => parts.push("no activity is recorded".to_owned()),
    }
    format!("{}.", parts.join("; "))
}

/// `YYYY-MM-DD` (UTC) of a unix-ms instant.
fn date(ms: i64) -> String {
    Timestamp::from_millisecond(ms)
        .map(|t| t.strftime("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

export_skill!(PullCrmHistory);

#[cfg(test)]
mod tests {
    use super::*;
    use baton_sdk::testing::FakeHost;

    /// 2026-11-24T16:00:00Z
    const START: &str = "2026-11-24T16:00:00Z";
    const OCT_16: i64 = 1_792_148_400_000; // 2026-10-16T11:00:00Z
    const OCT_09: i64 = 1_791_538_200_000; // 2026-10-09T09:30:00Z

    fn crm() -> Value {
        json!({
            "contact": { "id": "c1", "name": "Aisha Bello", "email": "aisha.bello@harbourfreight.example", "title": "CFO" },
            "company": { "id": "co1", "name": "Harbour Freight Partners", "domain": "harbourfreight.example", "industry": "freight", "employees": 320 },
            "deal": null,
            "deals": [
                { "id": "d0", "name": "Harbour pilot", "stage": "closed_won", "amount_cents": 100000, "currency": "GBP", "close_date": "2026-01-10" },
                { "id": "d1", "name": "Harbour Freight forecast add-on", "stage": "proposal", "amount_cents": 540000, "currency": "GBP", "close_date": "2026-12-19" }
            ],
            "activities": [
                { "id": "a9", "kind": "note", "summary": "After the meeting", "occurred_at": 1_800_000_000_000i64 },
                { "id": "a2", "kind": "call", "summary": "CFO asked for a revised payment schedule", "occurred_at": OCT_16 },
                { "id": "a1", "kind": "email", "summary": "Sent proposal v1", "occurred_at": OCT_09 }
            ],
            "meetings": [ { "id": "m1", "title": "Proposal walkthrough", "starts_at": OCT_09, "ends_at": null } ],
            "email_threads": [
                { "id": "t1", "subject": "Payment schedule", "last_message_at": OCT_16 + 20 * DAY_MS },
                { "id": "t0", "subject": "Old intro", "last_message_at": OCT_09 - 90 * DAY_MS }
            ]
        })
    }

    fn input() -> Input {
        Input::for_event(
            "pre_meeting_90min",
            json!({ "meeting_id": "mtg-1", "contact_email": "aisha.bello@harbourfreight.example", "starts_at": START }),
        )
    }

    #[test]
    fn summarises_the_open_deal_and_the_last_touches_as_of_the_meeting() {
        let out = FakeHost::for_skill::<PullCrmHistory>()
            .contact(crm())
            .run::<PullCrmHistory>(input())
            .expect("runs");
        let d = &out.data;
        assert_eq!(d["found"], true);
        assert_eq!(
            d["deal"]["name"], "Harbour Freight forecast add-on",
            "the open deal, not the won one"
        );
        assert_eq!(d["deal"]["amount"], "£5,400");
        assert_eq!(d["deal"]["days_to_close"], 25);
        assert_eq!(
            d["other_deals"],
            json!([{ "name": "Harbour pilot", "stage": "closed_won" }])
        );
        assert_eq!(
            d["last_touches"][0]["summary"], "CFO asked for a revised payment schedule",
            "nothing after the meeting"
        );
        assert_eq!(d["last_touches"][0]["on"], "2026-10-16");
        assert_eq!(d["days_since_last_activity"], 39);
        assert_eq!(d["past_meetings"][0]["title"], "Proposal walkthrough");
        assert_eq!(d["open_threads"].as_array().map(Vec::len), Some(1));
        assert_eq!(d["open_threads"][0]["subject"], "Payment schedule");
        assert_eq!(
            d["summary"],
            "Harbour Freight forecast add-on is in proposal at £5,400, closing 2026-12-19; last touch 39 days before the meeting (call: CFO asked for a revised payment schedule)."
        );
    }

    #[test]
    fn without_a_start_time_it_lists_without_counting_days() {
        let mut i = input();
        i.event.payload["starts_at"] = Value::Null;
        let out = FakeHost::for_skill::<PullCrmHistory>()
            .contact(crm())
            .run::<PullCrmHistory>(i)
            .expect("runs");
        assert_eq!(out.data["days_since_last_activity"], Value::Null);
        assert_eq!(out.data["last_touches"][0]["kind"], "note");
    }

    #[test]
    fn an_unknown_contact_is_not_found_not_a_failure() {
        let out = FakeHost::for_skill::<PullCrmHistory>()
            .run::<PullCrmHistory>(input())
            .expect("runs");
        assert_eq!(out.data["found"], false);
        assert!(out.data["reason"].is_string());
    }

    #[test]
    fn a_denied_tier_is_an_error_and_a_bad_start_is_invalid_input() {
        let r = FakeHost::for_skill::<PullCrmHistory>()
            .revoke("context:contact")
            .contact(crm())
            .run::<PullCrmHistory>(input());
        assert!(matches!(r, Err(SkillError::Failed(m)) if m.contains("denied")));
        let mut i = input();
        i.event.payload["starts_at"] = json!("tomorrow-ish");
        let r = FakeHost::for_skill::<PullCrmHistory>()
            .contact(crm())
            .run::<PullCrmHistory>(i);
        assert!(matches!(r, Err(SkillError::InvalidInput(_))));
    }
}
