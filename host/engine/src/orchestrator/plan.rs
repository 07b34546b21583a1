//! A dry run: what a sequence would do with an event, without running a
//! skill or writing anything. The stages in order (steps side by side in
//! each), what each step waits on and why, the conditions that would skip
//! a step on that event (or that only a step's result decides), the gates
//! a person will meet, and the fuel, LLM tokens and cost to expect from the
//! org's recorded runs (p50 and p90 per step). `baton sequences plan`, `POST
//! /v1/sequences/{event}/plan` and the inbox read it.

use super::conductor::{Orchestrator, OrchestratorError};
use super::sequence::{Approval, Order, Sequence, WaitsOn};
use crate::store::{OrgId, StepFigures};
use serde::Serialize;
use serde_json::{Value, json};

/// How many recent runs of a skill the estimate reads.
const RECENT_RUNS: i64 = 200;

/// A sequence's plan for one event.
#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    pub event: String,
    pub description: String,
    pub order: Order,
    /// The sequence version a job would record (its hash).
    pub version: String,
    pub stages: Vec<Vec<PlannedStep>>,
    /// The sums over the steps that would run (a step decided by an
    /// earlier result counted as running): p50 and p90 each summed, so the
    /// p90 is an upper reading, not the p90 of the whole.
    pub estimate: Estimate,
}

/// One step of a plan.
#[derive(Debug, Clone, Serialize)]
pub struct PlannedStep {
    pub name: String,
    pub skill: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fallback: Option<String>,
    /// What it waits on (flow), or the stage before it (listed).
    pub waits_on: Vec<WaitsOn>,
    /// `runs`, `skipped` (its condition is false on this event) or
    /// `decided` (its condition reads an earlier step's result).
    pub runs: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub condition: Option<String>,
    /// The gate a person meets (`confirm`, `choose`, `batch`, `inform`), or
    /// none; the host's policy may raise one for what a result proposes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gate: Option<Approval>,
    /// Its skill may ask the person a question of its own (it declares
    /// `approvals`): a choice of times, say.
    pub asks: bool,
    pub estimate: StepEstimate,
}

/// What a step is expected to take.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct StepEstimate {
    /// Recorded runs read (0: the sequence's per-step estimate stands in).
    pub runs: usize,
    pub fuel: Spread,
    pub tokens: Spread,
    pub cost_micros: Spread,
}

/// A p50 and a p90.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Spread {
    pub p50: i64,
    pub p90: i64,
}

impl Spread {
    fn add(&mut self, o: Spread) {
        self.p50 = self.p50.saturating_add(o.p50);
        self.p90 = self.p90.saturating_add(o.p90);
    }

    /// The p50 and p90 of `values` (nearest rank), zero when empty.
    fn of(mut values: Vec<i64>) -> Spread {
        values.sort_unstable();
        let at = |q: f64| {
            if values.is_empty() {
                return 0;
            }
            let rank = ((q * values.len() as f64).ceil() as usize).clamp(1, values.len());
            values[rank - 1]
        };
        Spread {
            p50: at(0.5),
            p90: at(0.9),
        }
    }
}

/// A plan's totals.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Estimate {
    pub fuel: Spread,
    pub tokens: Spread,
    pub cost_micros: Spread,
    /// Steps with no recorded run (their cost is the per-step estimate).
    pub steps_without_history: usize,
}

/// Why a plan cannot be made.
#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    #[error("no sequence handles `{0}` events")]
    Unknown(String),
    #[error("the event payload does not fit `{event}`'s payload schema: {why}")]
    Payload { event: String, why: String },
    #[error(transparent)]
    Orchestrator(#[from] OrchestratorError),
}

impl Orchestrator {
    /// The plan of the sequence for `event` on `payload` (`None`: no
    /// event, so every condition on it is left undecided), with estimates
    /// from `org`'s recorded runs. Reads only.
    pub async fn plan(
        &self,
        org: &OrgId,
        event: &str,
        payload: Option<&Value>,
    ) -> Result<Plan, PlanError> {
        let all = self.sequences();
        let seq = all
            .get(event)
            .ok_or_else(|| PlanError::Unknown(event.to_owned()))?;
        if let (Some(schema), Some(p)) = (&seq.payload, payload) {
            schema.check(p).map_err(|e| PlanError::Payload {
                event: event.to_owned(),
                why: e.to_string(),
            })?;
        }
        let asks: Vec<bool> = seq
            .steps
            .iter()
            .map(|st| {
                self.registry.get(&st.skill).is_some_and(|k| {
                    k.manifest
                        .capabilities
                        .any(|c| *c == crate::runtime::Capability::Approvals)
                })
            })
            .collect();
        let mut figures = Vec::with_capacity(seq.steps.len());
        for step in &seq.steps {
            let runs = self
                .store
                .recent_step_figures(org, &step.skill, RECENT_RUNS)
                .await
                .map_err(OrchestratorError::from)?;
            figures.push(runs);
        }
        Ok(plan_of(seq, payload, &figures, &asks))
    }
}

/// The plan of `seq` on `payload`, with each step's recorded `figures`.
fn plan_of(
    seq: &Sequence,
    payload: Option<&Value>,
    figures: &[Vec<StepFigures>],
    asks: &[bool],
) -> Plan {
    let mut estimate = Estimate::default();
    let stages = seq.stages();
    let mut out = Vec::with_capacity(stages.len());
    for (n, range) in stages.iter().enumerate() {
        let mut planned = Vec::new();
        for i in range.clone() {
            let step = &seq.steps[i];
            let runs = match (&step.condition, payload) {
                (None, _) => "runs",
                (Some(c), _)
                    if c.paths()
                        .iter()
                        .any(|p| p.first().map(String::as_str) == Some("steps")) =>
                {
                    "decided"
                }
                (Some(_), None) => "decided",
                (Some(c), Some(p)) => {
                    let scope =
                        json!({ "event": { "type": seq.event, "payload": p }, "steps": {} });
                    if c.eval(&scope) { "runs" } else { "skipped" }
                }
            };
            let waits_on = if seq.order == Order::Flow || n == 0 {
                step.waits_on.clone()
            } else {
                stages[n - 1]
                    .clone()
                    .map(|j| WaitsOn {
                        step: seq.steps[j].name.clone(),
                        because: "listed before it".into(),
                    })
                    .collect()
            };
            let f = &figures[i];
            let mut e = StepEstimate {
                runs: f.len(),
                fuel: Spread::of(f.iter().map(|r| r.fuel).collect()),
                tokens: Spread::of(f.iter().map(|r| r.tokens).collect()),
                cost_micros: Spread::of(f.iter().map(|r| r.cost_micros).collect()),
            };
            if f.is_empty() {
                e.cost_micros = Spread {
                    p50: seq.step_estimate_micros,
                    p90: seq.step_estimate_micros,
                };
            }
            if runs != "skipped" {
                estimate.fuel.add(e.fuel);
                estimate.tokens.add(e.tokens);
                estimate.cost_micros.add(e.cost_micros);
                if f.is_empty() {
                    estimate.steps_without_history += 1;
                }
            }
            planned.push(PlannedStep {
                name: step.name.clone(),
                skill: step.skill.clone(),
                fallback: step.on_failure.fallback().map(str::to_owned),
                waits_on,
                runs,
                condition: step.condition.as_ref().map(|c| c.source().to_owned()),
                gate: (step.approval != Approval::None).then_some(step.approval),
                asks: asks.get(i).copied().unwrap_or(false),
                estimate: e,
            });
        }
        out.push(planned);
    }
    Plan {
        event: seq.event.clone(),
        description: seq.description.clone(),
        order: seq.order,
        version: seq.hash.clone(),
        stages: out,
        estimate,
    }
}

impl Plan {
    /// The plan as text: one block per stage, then the gates and totals.
    pub fn text(&self) -> String {
        let mut s = format!(
            "{} ({} order, version {})\n{}\n",
            self.event,
            match self.order {
                Order::Flow => "flow",
                Order::Listed => "listed",
            },
            &self.version[..self.version.len().min(12)],
            self.description
        );
        for (n, stage) in self.stages.iter().enumerate() {
            let side = if stage.len() > 1 {
                ", side by side"
            } else {
                ""
            };
            s.push_str(&format!("\nstage {}{side}:\n", n + 1));
            for p in stage {
                let gate = p.gate.map_or(String::new(), |g| {
                    format!(
                        "  [gate: {}]",
                        serde_json::to_value(g)
                            .ok()
                            .and_then(|v| v.as_str().map(str::to_owned))
                            .unwrap_or_default()
                    )
                });
                let runs = match p.runs {
                    "skipped" => "  SKIPPED on this event".to_owned(),
                    "decided" => "  runs if its condition holds".to_owned(),
                    _ => String::new(),
                };
                let asks = if p.asks && p.gate.is_none() {
                    "  [asks its own question]"
                } else {
                    ""
                };
                s.push_str(&format!("  {} ({}){gate}{asks}{runs}\n", p.name, p.skill));
                if let Some(c) = &p.condition {
                    s.push_str(&format!("      if {c}\n"));
                }
                for w in &p.waits_on {
                    s.push_str(&format!("      after {}: {}\n", w.step, w.because));
                }
                if let Some(f) = &p.fallback {
                    s.push_str(&format!("      falls back to {f}\n"));
                }
                let e = &p.estimate;
                s.push_str(&format!(
                    "      {}: fuel {} / {}, tokens {} / {}, cost {} / {} (p50 / p90)\n",
                    match e.runs {
                        0 => "no recorded runs".to_owned(),
                        1 => "1 recorded run".to_owned(),
                        n => format!("{n} recorded runs"),
                    },
                    e.fuel.p50,
                    e.fuel.p90,
                    e.tokens.p50,
                    e.tokens.p90,
                    dollars(e.cost_micros.p50),
                    dollars(e.cost_micros.p90),
                ));
            }
        }
        let gates: Vec<String> = self
            .stages
            .iter()
            .flatten()
            .filter(|p| p.runs != "skipped")
            .filter_map(|p| match p.gate.filter(|g| *g != Approval::Inform) {
                Some(g) => {
                    let g = serde_json::to_value(g).unwrap_or(Value::Null);
                    Some(format!("{} ({})", p.name, g.as_str().unwrap_or_default()))
                }
                None => p.asks.then(|| format!("{} (its own question)", p.name)),
            })
            .collect();
        s.push_str(&format!(
            "\ngates a person meets: {}\n",
            if gates.is_empty() {
                "none (the policy may still hold an external effect)".to_owned()
            } else {
                gates.join(", ")
            }
        ));
        let e = &self.estimate;
        s.push_str(&format!(
            "estimate: fuel {} / {}, LLM tokens {} / {}, cost {} / {} (p50 / p90, summed over steps{})\n",
            e.fuel.p50,
            e.fuel.p90,
            e.tokens.p50,
            e.tokens.p90,
            dollars(e.cost_micros.p50),
            dollars(e.cost_micros.p90),
            if e.steps_without_history > 0 {
                format!(
                    "; {} without history at the per-step estimate",
                    e.steps_without_history
                )
            } else {
                String::new()
            }
        ));
        s
    }
}

/// Micro-dollars as dollars.
fn dollars(micros: i64) -> String {
    format!("${:.4}", micros as f64 / 1e6)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::orchestrator::sequence::parse;
    use std::path::Path;

    #[test]
    fn a_plan_skips_what_the_event_rules_out_and_sums_the_rest() {
        let seq = parse(
            Path::new("s.toml"),
            r#"
event = "x"
step_estimate = 0.01
[[step]]
skill = "a"
[[step]]
skill = "b"
approval = "confirm"
condition = 'event.payload.kind == "call"'
[[step]]
skill = "c"
condition = 'steps.a.status == "completed"'
"#,
        )
        .unwrap();
        let fig = |fuel| StepFigures {
            fuel,
            cost_micros: fuel / 10,
            tokens: 0,
        };
        let figures = vec![(1..=10).map(fig).collect(), vec![fig(500)], vec![]];
        let asks = [false, false, true];
        let email = plan_of(&seq, Some(&json!({ "kind": "email" })), &figures, &asks);
        let runs: Vec<&str> = email.stages.iter().flatten().map(|p| p.runs).collect();
        assert_eq!(runs, ["runs", "skipped", "decided"]);
        assert_eq!(email.stages[0][0].estimate.fuel, Spread { p50: 5, p90: 9 });
        // b is skipped; c has no history, so the per-step estimate.
        assert_eq!(email.estimate.fuel, Spread { p50: 5, p90: 9 });
        assert_eq!(email.estimate.cost_micros.p50, 10_000);
        assert_eq!(email.estimate.steps_without_history, 1);
        let call = plan_of(&seq, Some(&json!({ "kind": "call" })), &figures, &asks);
        assert_eq!(call.stages[1][0].runs, "runs");
        assert!(
            call.text().contains("b (b)  [gate: confirm]"),
            "{}",
            call.text()
        );
        assert!(
            call.text()
                .contains("gates a person meets: b (confirm), c (its own question)"),
            "{}",
            call.text()
        );
        assert_eq!(call.stages[1][0].waits_on[0].step, "a");
    }
}
