//! Process metrics for Prometheus (`GET /metrics`): events accepted and
//! refused by reason, steps by skill and status, skill fuel and duration,
//! deliveries, and gauges read from the store at scrape time (approvals
//! pending, outbox lag, and what the apps on the engine count, rendered
//! beside them). Labels never carry customer data: org
//! slugs, skill names, statuses, reason codes, effect kinds and intent
//! labels only. Skill swaps are counted by the runtime
//! (`baton_runtime::metrics`) and rendered here with the rest.

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;
use std::sync::LazyLock;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct EventLabels {
    outcome: String,
    reason: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct StepLabels {
    skill: String,
    status: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct SkillLabel {
    skill: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct DeliveryLabels {
    channel: String,
    outcome: String,
}

fn fuel_histogram() -> Histogram {
    Histogram::new(exponential_buckets(10_000.0, 10.0, 8))
}

fn duration_histogram() -> Histogram {
    Histogram::new(exponential_buckets(0.000_5, 4.0, 10))
}

struct Metrics {
    registry: Registry,
    events: Family<EventLabels, Counter>,
    steps: Family<StepLabels, Counter>,
    fuel: Family<SkillLabel, Histogram, fn() -> Histogram>,
    duration: Family<SkillLabel, Histogram, fn() -> Histogram>,
    deliveries: Family<DeliveryLabels, Counter>,
    approvals_pending: Gauge,
    outbox_lag: Gauge<f64, std::sync::atomic::AtomicU64>,
}

static METRICS: LazyLock<Metrics> = LazyLock::new(|| {
    let mut registry = Registry::with_prefix("baton");
    let events = Family::<EventLabels, Counter>::default();
    registry.register(
        "events",
        "Events at the door, by outcome and refusal reason",
        events.clone(),
    );
    let steps = Family::<StepLabels, Counter>::default();
    registry.register("steps", "Step attempts by skill and status", steps.clone());
    let fuel: Family<SkillLabel, Histogram, fn() -> Histogram> =
        Family::new_with_constructor(fuel_histogram);
    registry.register("skill_fuel", "Fuel one skill call used", fuel.clone());
    let duration: Family<SkillLabel, Histogram, fn() -> Histogram> =
        Family::new_with_constructor(duration_histogram);
    registry.register(
        "skill_duration_seconds",
        "Wall time of one skill call",
        duration.clone(),
    );
    let deliveries = Family::<DeliveryLabels, Counter>::default();
    registry.register(
        "deliveries",
        "Effects and messages handed to the outside, by channel and outcome",
        deliveries.clone(),
    );
    let approvals_pending = Gauge::default();
    registry.register(
        "approvals_pending",
        "Gates waiting for a person",
        approvals_pending.clone(),
    );
    let outbox_lag = Gauge::<f64, std::sync::atomic::AtomicU64>::default();
    registry.register(
        "outbox_lag_seconds",
        "How long the oldest due effect has waited",
        outbox_lag.clone(),
    );
    Metrics {
        registry,
        events,
        steps,
        fuel,
        duration,
        deliveries,
        approvals_pending,
        outbox_lag,
    }
});

/// Count an event accepted (`reason` None) or refused with a reason code.
pub fn event(reason: Option<&str>) {
    let labels = EventLabels {
        outcome: if reason.is_some() {
            "refused"
        } else {
            "accepted"
        }
        .into(),
        reason: reason.unwrap_or("").into(),
    };
    METRICS.events.get_or_create(&labels).inc();
}

/// Observe one recorded step attempt.
pub fn step(skill: &str, status: &str, fuel: i64, duration_ms: i64) {
    let m = &*METRICS;
    m.steps
        .get_or_create(&StepLabels {
            skill: skill.into(),
            status: status.into(),
        })
        .inc();
    if fuel > 0 {
        let skill = SkillLabel {
            skill: skill.into(),
        };
        m.fuel.get_or_create(&skill).observe(fuel as f64);
        m.duration
            .get_or_create(&skill)
            .observe(duration_ms.max(0) as f64 / 1000.0);
    }
}

/// Count a delivery on `channel` (email, slack, webhook).
pub fn delivery(channel: &str, ok: bool) {
    METRICS
        .deliveries
        .get_or_create(&DeliveryLabels {
            channel: channel.into(),
            outcome: if ok { "ok" } else { "error" }.into(),
        })
        .inc();
}

/// The text exposition, with the gauges set from the given readings and
/// the apps' own registries after the engine's.
pub fn render(approvals_pending: i64, outbox_lag_ms: i64, apps: &[Registry]) -> String {
    use prometheus_client::encoding::text::{encode_eof, encode_registry};
    let m = &*METRICS;
    m.approvals_pending.set(approvals_pending);
    m.outbox_lag.set(outbox_lag_ms as f64 / 1000.0);
    let mut out = String::new();
    // Writing to a String cannot fail.
    let _ = encode_registry(&mut out, &m.registry);
    let _ = encode_registry(&mut out, baton_runtime::metrics::registry());
    for r in apps {
        let _ = encode_registry(&mut out, r);
    }
    let _ = encode_eof(&mut out);
    out
}
