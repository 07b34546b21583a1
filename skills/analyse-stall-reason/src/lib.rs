//! `analyse-stall-reason`: why a deal went quiet, read from its tier-2
//! history (activities, the last meeting, the deal's own fields), each
//! reason with the lines that show it and how many days ago they were:
//!
//! - `champion_left`: a line says the contact left, changed or bounced;
//! - `quiet_after_pricing`: pricing, a quote or a proposal was the last
//!   real touch, and only chasers (or nothing) came after;
//! - `competitor`: the deal names competitors, or a line mentions one;
//! - `no_next_step`: the deal records no next step.
//!
//! Deterministic and rule-based; it only quotes what the CRM says. Days are
//! counted to the scan's "now" (the last activity plus the payload's
//! `days_quiet`), so a replay reads the same.

use baton_sdk::context::{self, Activity, ContactTier};
use baton_sdk::events::stale_deal_revival::Payload;
use baton_sdk::prelude::*;
use baton_sdk::revival::{Evidence, Stall, StallKind, StallReason};
use baton_sdk::text::{nonblank, stems};

const DAY_MS: i64 = 86_400_000;

/// Lines that say the champion is gone.
const LEFT: &[&str] = &[
    "left the company",
    "no longer with",
    "has left",
    "moved on",
    "new role",
    "bounced",
    "undeliverable",
    "replaced by",
    "new contact",
];
/// Lines that put a price in front of the prospect.
const PRICING: &[&str] = &[
    "pricing",
    "price",
    "quote",
    "proposal",
    "order form",
    "discount",
    "commercial terms",
];
/// Lines that only chase.
const CHASER: &[&str] = &[
    "follow up",
    "followed up",
    "chased",
    "chaser",
    "no reply",
    "no response",
    "voicemail",
    "left a message",
    "nudge",
    "checking in",
];
/// Lines that bring up a competitor.
const COMPETITION: &[&str] = &[
    "competitor",
    "also evaluating",
    "also looking at",
    "comparing",
    "alternative",
    "incumbent",
    "going with",
];

pub struct AnalyseStallReason;

impl Skill for AnalyseStallReason {
    fn manifest() -> Manifest {
        Manifest::new(
            "analyse-stall-reason",
            env!("CARGO_PKG_VERSION"),
            "Why a deal went quiet, from its activity history, with the evidence lines and days.",
        )
        .produces(flow::names::DEAL_STALL)
        .capability("context:contact")
        .default_fuel(50_000_000)
        .output::<Stall>()
    }

    fn run(input: Input) -> Result<Output, SkillError> {
        let payload: Payload = input.payload()?;
        let crm = context::contact()?.unwrap_or_default();
        Output::of(&analyse(
            &payload,
            &crm,
            jiff::Timestamp::now().as_millisecond(),
        ))
    }
}

/// Whether `line` says one of `phrases` (stems compared).
fn says(line: &str, phrases: &[&str]) -> bool {
    let padded = format!(" {} ", stems(line).join(" "));
    phrases
        .iter()
        .any(|p| padded.contains(&format!(" {} ", stems(p).join(" "))))
}

/// An activity's line, as the CRM has it.
fn line<'a>(a: &&'a Activity) -> &'a str {
    a.summary.as_deref().unwrap_or("")
}

fn day(ms: i64) -> Option<String> {
    jiff::Timestamp::from_millisecond(ms)
        .ok()
        .map(|t| t.strftime("%Y-%m-%d").to_string())
}

fn analyse(payload: &Payload, crm: &ContactTier, wall_now: i64) -> Stall {
    let deal = crm.deal.clone().unwrap_or_default();
    // The deal's own activities first; the contact's others when the deal
    // has none recorded against it.
    let mut acts: Vec<&Activity> = crm
        .activities
        .iter()
        .filter(|a| a.deal_id.is_some() && a.deal_id == deal.id)
        .collect();
    if acts.is_empty() {
        acts = crm.activities.iter().collect();
    }
    acts.retain(|a| nonblank(a.summary.as_deref()).is_some());
    acts.sort_by_key(|a| std::cmp::Reverse(a.occurred_at.unwrap_or(0)));
    let last_at = acts.first().and_then(|a| a.occurred_at);
    let now = match (last_at, payload.days_quiet) {
        (Some(t), Some(d)) => t + d * DAY_MS,
        _ => wall_now,
    };
    let evidence = |a: &Activity| Evidence {
        on: a.occurred_at.and_then(day),
        days_ago: a.occurred_at.map(|t| (now - t) / DAY_MS),
        kind: a.kind.clone().unwrap_or_else(|| "activity".into()),
        line: a.summary.clone().unwrap_or_default(),
    };
    let days_quiet = payload
        .days_quiet
        .or_else(|| last_at.map(|t| (now - t) / DAY_MS));
    let mut reasons = Vec::new();

    let left: Vec<Evidence> = acts
        .iter()
        .filter(|a| says(line(a), LEFT) || a.kind.as_deref() == Some("email_bounced"))
        .map(|a| evidence(a))
        .collect();
    if !left.is_empty() {
        reasons.push(StallReason {
            kind: StallKind::ChampionLeft,
            summary: "The contact may have left or changed roles: find who owns this now.".into(),
            evidence: left,
        });
    }

    // The newest pricing line, with nothing but chasers after it.
    if let Some(i) = acts
        .iter()
        .position(|a| says(line(a), PRICING) && !says(line(a), CHASER))
    {
        let after = &acts[..i];
        if after.iter().all(|a| says(line(a), CHASER)) {
            let p = evidence(acts[i]);
            let summary = format!(
                "It went quiet after pricing: \"{}\"{}, and {}.",
                p.line,
                p.on.as_deref()
                    .map(|d| format!(" on {d}"))
                    .unwrap_or_default(),
                match (after.len(), p.days_ago) {
                    (0, Some(d)) => format!("nothing since in {d} days"),
                    (0, None) => "nothing since".into(),
                    (n, _) => format!("{n} follow-up(s) went unanswered"),
                }
            );
            let mut evidence_lines = vec![p];
            evidence_lines.extend(after.iter().map(|a| evidence(a)));
            reasons.push(StallReason {
                kind: StallKind::QuietAfterPricing,
                summary,
                evidence: evidence_lines,
            });
        }
    }

    let names: Vec<&str> = deal
        .competitors
        .iter()
        .filter_map(|c| nonblank(Some(c)))
        .collect();
    let mut rivals: Vec<Evidence> = Vec::new();
    if !names.is_empty() {
        rivals.push(Evidence {
            on: None,
            days_ago: None,
            kind: "deal".into(),
            line: format!("Competitors on the deal: {}", names.join(", ")),
        });
    }
    rivals.extend(
        acts.iter()
            .filter(|a| {
                let l = line(a);
                says(l, COMPETITION)
                    || names
                        .iter()
                        .any(|n| l.to_lowercase().contains(&n.to_lowercase()))
            })
            .map(|a| evidence(a)),
    );
    if !rivals.is_empty() {
        reasons.push(StallReason {
            kind: StallKind::Competitor,
            summary: "A competitor is in the picture.".into(),
            evidence: rivals,
        });
    }

    if nonblank(deal.next_step.as_deref()).is_none() {
        let mut ev = vec![Evidence {
            on: None,
            days_ago: None,
            kind: "deal".into(),
            line: "No next step is recorded on the deal".into(),
        }];
        if let Some(m) = crm.meetings.first() {
            ev.push(Evidence {
                on: m.starts_at.and_then(day),
                days_ago: m.starts_at.map(|t| (now - t) / DAY_MS),
                kind: "meeting".into(),
                line: format!(
                    "Last meeting: {}",
                    m.title.as_deref().unwrap_or("(untitled)")
                ),
            });
        }
        reasons.push(StallReason {
            kind: StallKind::NoNextStep,
            summary: "Nothing was agreed to happen next.".into(),
            evidence: ev,
        });
    }

    Stall {
        deal_name: payload.deal_name.clone().or(deal.name.clone()),
        company: crm.company_name().map(str::to_owned),
        days_quiet,
        last_activity: acts.first().map(|a| evidence(a)),
        reasons,
    }
}

export_skill!(AnalyseStallReason);

#[cfg(test)]
mod tests {
    use super::*;
    use baton_sdk::testing::FakeHost;

    /// 2026-08-14T10:00:00Z.
    const PRICED: i64 = 1_786_701_600_000;

    fn run(crm: Value, days_quiet: i64) -> Value {
        FakeHost::for_skill::<AnalyseStallReason>()
            .contact(crm)
            .run::<AnalyseStallReason>(Input::for_event(
                "stale_deal_revival",
                json!({ "deal_id": "d1", "deal_name": "Halden cold-chain renewals", "days_quiet": days_quiet }),
            ))
            .expect("runs")
            .data
    }

    fn kinds(data: &Value) -> Vec<&str> {
        data["reasons"]
            .as_array()
            .expect("reasons")
            .iter()
            .filter_map(|r| r["kind"].as_str())
            .collect()
    }

    #[test]
    fn pricing_then_silence_is_the_reason_with_its_line_and_days() {
        let data = run(
            json!({
                "company": { "name": "Halden Cold Chain" },
                "deal": { "id": "d1", "name": "Halden cold-chain renewals", "next_step": "Await feedback" },
                "activities": [
                    { "deal_id": "d1", "kind": "email", "summary": "Sent pricing for 120 seats (Growth tier)", "occurred_at": PRICED },
                    { "deal_id": "d1", "kind": "meeting", "summary": "Demo for the ops team", "occurred_at": PRICED - 9 * DAY_MS },
                    { "deal_id": "d2", "kind": "note", "summary": "Other deal: price list sent", "occurred_at": PRICED + DAY_MS }
                ]
            }),
            102,
        );
        assert_eq!(kinds(&data), ["quiet_after_pricing"]);
        let r = &data["reasons"][0];
        assert_eq!(
            r["evidence"][0]["line"],
            "Sent pricing for 120 seats (Growth tier)"
        );
        assert_eq!(r["evidence"][0]["on"], "2026-08-14");
        assert_eq!(r["evidence"][0]["days_ago"], 102);
        assert!(
            r["summary"]
                .as_str()
                .is_some_and(|s| s.contains("nothing since in 102 days")),
            "{r}"
        );
        assert_eq!(data["days_quiet"], 102);
        assert_eq!(data["last_activity"]["kind"], "email");
    }

    #[test]
    fn chasers_after_pricing_still_count_as_silence_but_a_reply_does_not() {
        let crm = |newest: &str| {
            json!({ "deal": { "id": "d1", "next_step": "x" }, "activities": [
                { "deal_id": "d1", "kind": "email", "summary": newest, "occurred_at": PRICED + 7 * DAY_MS },
                { "deal_id": "d1", "kind": "email", "summary": "Sent the proposal v2", "occurred_at": PRICED }
            ]})
        };
        let data = run(crm("Followed up on the proposal, no reply"), 60);
        assert_eq!(kinds(&data), ["quiet_after_pricing"]);
        assert!(
            data["reasons"][0]["summary"]
                .as_str()
                .is_some_and(|s| s.contains("1 follow-up"))
        );
        assert_eq!(
            kinds(&run(crm("Marta replied: reviewing with legal"), 60)),
            Vec::<&str>::new()
        );
    }

    #[test]
    fn a_competitor_and_a_departed_champion_are_named_with_their_lines() {
        let data = run(
            json!({
                "deal": { "id": "d1", "competitors": ["Gainsight"] },
                "meetings": [{ "title": "Quarterly review", "starts_at": PRICED - 20 * DAY_MS }],
                "activities": [
                    { "deal_id": "d1", "kind": "email", "summary": "Email to Ines bounced: mailbox undeliverable", "occurred_at": PRICED },
                    { "deal_id": "d1", "kind": "call", "summary": "They are also evaluating Gainsight for the renewals module", "occurred_at": PRICED - 10 * DAY_MS }
                ]
            }),
            40,
        );
        assert_eq!(
            kinds(&data),
            ["champion_left", "competitor", "no_next_step"]
        );
        assert_eq!(data["reasons"][0]["evidence"][0]["days_ago"], 40);
        assert_eq!(
            data["reasons"][1]["evidence"][0]["line"],
            "Competitors on the deal: Gainsight"
        );
        assert_eq!(data["reasons"][1]["evidence"][1]["days_ago"], 50);
        assert_eq!(
            data["reasons"][2]["evidence"][1]["line"],
            "Last meeting: Quarterly review"
        );
        assert_eq!(data["reasons"][2]["evidence"][1]["days_ago"], 60);
    }

    #[test]
    fn an_empty_history_has_only_no_next_step() {
        let data = run(json!({}), 30);
        assert_eq!(kinds(&data), ["no_next_step"]);
        assert!(data["last_activity"].is_null());
    }
}
