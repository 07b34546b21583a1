//! `pipeline-analysis`: the pipeline pulse of the morning brief. Reads the
//! rep's open deals from the `morning_brief` snapshot (the host takes it
//! from CRM-lite, the activity log, tasks and proposals) and ranks them:
//! what needs action today (overdue tasks, a close date passed or near, a
//! proposal viewed or awaiting an answer, a deal going quiet or gone
//! stale), what is at risk (no activity for the snapshot's
//! `stale_after_days`), what moved since the previous brief, and the open
//! value and proposal value awaiting an answer per currency. Deterministic;
//! needs no capability.

use baton_sdk::events::morning_brief::{Amount, Analysis, DealPulse, Payload, RankedDeal};
use baton_sdk::prelude::*;
use jiff::civil::Date;
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct Params {
    /// A close date this many days away (or fewer) needs action.
    #[serde(default = "closing_days")]
    #[schemars(range(min = 0, max = 365))]
    closing_within_days: i64,
    /// A deal this many days without activity is going quiet.
    #[serde(default = "quiet_days")]
    #[schemars(range(min = 1, max = 365))]
    quiet_after_days: i64,
}

fn closing_days() -> i64 {
    14
}

fn quiet_days() -> i64 {
    7
}

/// Stages late enough that silence costs more.
const LATE_STAGES: [&str; 2] = ["proposal", "negotiation"];

pub struct PipelineAnalysis;

impl Skill for PipelineAnalysis {
    fn manifest() -> Manifest {
        Manifest::new(
            "pipeline-analysis",
            env!("CARGO_PKG_VERSION"),
            "Ranks the rep's open deals for the morning brief: needs action, at risk, totals, what moved.",
        )
        .produces(flow::names::PIPELINE_ANALYSIS)
        .default_fuel(50_000_000)
        .params::<Params>()
        .output::<Analysis>()
    }

    fn run(input: Input) -> Result<Output, SkillError> {
        let params: Params = input.params()?;
        let payload: Payload = input.payload()?;
        Output::of(&analyse(&payload, &params))
    }
}

fn plural(n: i64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Why `d` needs the rep today, with how urgent it is.
fn rank(d: &DealPulse, today: Option<Date>, stale_after: i64, p: &Params) -> RankedDeal {
    let mut reasons = Vec::new();
    let mut score = 0;
    if d.overdue_tasks > 0 {
        reasons.push(format!(
            "{} overdue",
            plural(d.overdue_tasks, "task", "tasks")
        ));
        score += 30 + 5 * d.overdue_tasks;
    }
    let close = d.close_date.as_deref().and_then(|c| c.parse::<Date>().ok());
    if let (Some(today), Some(close)) = (today, close)
        && let Ok(span) = today.until(close)
    {
        let days = i64::from(span.get_days());
        if days < 0 {
            reasons.push(format!("close date passed ({close})"));
            score += 40;
        } else if days <= p.closing_within_days {
            reasons.push(format!("closes in {}", plural(days, "day", "days")));
            score += 30 + (p.closing_within_days - days);
        }
    }
    match d.proposal_status.as_deref() {
        Some("viewed") => {
            reasons.push("proposal viewed, no answer yet".into());
            score += 25;
        }
        Some("sent") => {
            reasons.push("proposal sent, awaiting an answer".into());
            score += 10;
        }
        _ => {}
    }
    match d.days_inactive {
        Some(n) if n >= stale_after => {
            reasons.push(format!("{} without activity", plural(n, "day", "days")));
            score += 25 + n.min(90);
        }
        Some(n) if n >= p.quiet_after_days => {
            reasons.push(format!("quiet for {}", plural(n, "day", "days")));
            score += 10 + n;
        }
        None => {
            reasons.push("no activity recorded".into());
            score += 20;
        }
        Some(_) => {}
    }
    if !reasons.is_empty() && LATE_STAGES.contains(&d.stage.as_str()) {
        score += 5;
    }
    RankedDeal {
        id: d.id.clone(),
        name: d.name.clone(),
        stage: d.stage.clone(),
        company: d.company.clone(),
        days_inactive: d.days_inactive,
        reasons,
        score,
    }
}

fn analyse(payload: &Payload, p: &Params) -> Analysis {
    let today = payload.date.as_deref().and_then(|d| d.parse::<Date>().ok());
    let pipe = &payload.pipeline;
    let stale_after = if pipe.stale_after_days > 0 {
        pipe.stale_after_days
    } else {
        14
    };
    let ranked: Vec<(RankedDeal, &DealPulse)> = pipe
        .deals
        .iter()
        .map(|d| (rank(d, today, stale_after, p), d))
        .collect();
    let by_score = |mut v: Vec<RankedDeal>| {
        v.sort_by(|a, b| b.score.cmp(&a.score).then_with(|| a.name.cmp(&b.name)));
        v
    };
    let needs_action = by_score(
        ranked
            .iter()
            .filter(|(r, _)| !r.reasons.is_empty())
            .map(|(r, _)| r.clone())
            .collect(),
    );
    let mut at_risk: Vec<RankedDeal> = ranked
        .iter()
        .filter(|(_, d)| d.days_inactive.is_none_or(|n| n >= stale_after))
        .map(|(r, _)| r.clone())
        .collect();
    at_risk.sort_by(|a, b| {
        let quiet = |r: &RankedDeal| r.days_inactive.unwrap_or(i64::MAX);
        quiet(b).cmp(&quiet(a)).then_with(|| a.name.cmp(&b.name))
    });
    let changed: Vec<RankedDeal> = ranked
        .iter()
        .filter(|(_, d)| d.recent_activities > 0)
        .map(|(r, d)| RankedDeal {
            reasons: vec![plural(
                d.recent_activities,
                "new activity",
                "new activities",
            )],
            ..r.clone()
        })
        .collect();
    let mut open: BTreeMap<&str, (i64, i64)> = BTreeMap::new();
    for d in &pipe.deals {
        let e = open.entry(d.currency.as_str()).or_default();
        e.0 += d.amount_cents.unwrap_or(0);
        e.1 += 1;
    }
    Analysis {
        needs_action,
        at_risk,
        changed,
        open_value: open
            .into_iter()
            .map(|(c, (amount_cents, count))| Amount {
                currency: c.to_owned(),
                amount_cents,
                count,
            })
            .collect(),
        proposals_awaiting: pipe
            .proposals_awaiting
            .iter()
            .map(|t| Amount {
                currency: t.currency.clone(),
                amount_cents: t.amount_cents,
                count: t.count,
            })
            .collect(),
        open_deals: i64::try_from(pipe.deals.len()).unwrap_or(i64::MAX),
    }
}

export_skill!(PipelineAnalysis);

#[cfg(test)]
mod tests {
    use super::*;
    use baton_sdk::testing::FakeHost;

    fn snapshot() -> Value {
        json!({
            "date": "2026-11-24",
            "pipeline": {
                "stale_after_days": 14,
                "deals": [
                    { "id": "d1", "name": "Northwind renewals rollout", "stage": "discovery", "currency": "USD",
                      "amount_cents": 2_160_000, "close_date": "2027-02-26", "days_inactive": 2, "recent_activities": 1 },
                    { "id": "d2", "name": "Cobalt multi-site expansion", "stage": "negotiation", "currency": "USD",
                      "amount_cents": 7_560_000, "close_date": "2026-12-01", "days_inactive": 21 },
                    { "id": "d3", "name": "Harbour forecast add-on", "stage": "proposal", "currency": "GBP",
                      "amount_cents": 540_000, "days_inactive": 9, "proposal_status": "viewed", "overdue_tasks": 1, "open_tasks": 2 },
                    { "id": "d4", "name": "Quiet pilot", "stage": "qualification", "currency": "USD" }
                ],
                "proposals_awaiting": [{ "currency": "GBP", "amount_cents": 540_000, "count": 1 }]
            }
        })
    }

    fn run(payload: Value) -> Analysis {
        let out = FakeHost::for_skill::<PipelineAnalysis>()
            .run::<PipelineAnalysis>(Input::for_event("morning_brief", payload))
            .expect("runs");
        serde_json::from_value(out.data).expect("an analysis")
    }

    #[test]
    fn ranks_what_needs_action_and_what_is_at_risk() {
        let a = run(snapshot());
        let names: Vec<&str> = a.needs_action.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "Cobalt multi-site expansion",
                "Harbour forecast add-on",
                "Quiet pilot"
            ],
            "{a:#?}"
        );
        assert_eq!(
            a.needs_action[0].reasons,
            ["closes in 7 days", "21 days without activity"]
        );
        assert_eq!(
            a.needs_action[1].reasons,
            [
                "1 task overdue",
                "proposal viewed, no answer yet",
                "quiet for 9 days"
            ]
        );
        let risky: Vec<(&str, Option<i64>)> = a
            .at_risk
            .iter()
            .map(|d| (d.name.as_str(), d.days_inactive))
            .collect();
        assert_eq!(
            risky,
            [
                ("Quiet pilot", None),
                ("Cobalt multi-site expansion", Some(21))
            ]
        );
        assert_eq!(a.changed.len(), 1);
        assert_eq!(a.changed[0].reasons, ["1 new activity"]);
        assert_eq!(a.open_deals, 4);
        assert_eq!(
            a.open_value,
            [
                Amount {
                    currency: "GBP".into(),
                    amount_cents: 540_000,
                    count: 1
                },
                Amount {
                    currency: "USD".into(),
                    amount_cents: 9_720_000,
                    count: 3
                }
            ]
        );
        assert_eq!(a.proposals_awaiting[0].amount_cents, 540_000);
    }

    #[test]
    fn a_passed_close_date_and_the_params_change_the_ranking() {
        let mut s = snapshot();
        s["pipeline"]["deals"][0]["close_date"] = json!("2026-11-20");
        let out = FakeHost::for_skill::<PipelineAnalysis>()
            .run::<PipelineAnalysis>(
                Input::for_event("morning_brief", s)
                    .with_params(json!({ "quiet_after_days": 30, "closing_within_days": 3 })),
            )
            .expect("runs");
        let a: Analysis = serde_json::from_value(out.data).expect("analysis");
        let northwind = a
            .needs_action
            .iter()
            .find(|d| d.id == "d1")
            .expect("listed");
        assert_eq!(northwind.reasons, ["close date passed (2026-11-20)"]);
        let harbour = a
            .needs_action
            .iter()
            .find(|d| d.id == "d3")
            .expect("listed");
        assert!(!harbour.reasons.iter().any(|r| r.starts_with("quiet")));
        let cobalt = a
            .needs_action
            .iter()
            .find(|d| d.id == "d2")
            .expect("listed");
        assert!(!cobalt.reasons.iter().any(|r| r.starts_with("closes")));
    }

    #[test]
    fn an_empty_morning_is_an_empty_analysis_and_junk_is_invalid_input() {
        let a = run(json!({ "date": "2026-11-24" }));
        assert_eq!(a, Analysis::default());
        let r = FakeHost::for_skill::<PipelineAnalysis>().run::<PipelineAnalysis>(
            Input::for_event("morning_brief", json!({ "pipeline": { "deals": "many" } })),
        );
        assert!(matches!(r, Err(SkillError::InvalidInput(_))));
    }
}
