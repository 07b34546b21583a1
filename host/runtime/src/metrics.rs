//! The runtime's own Prometheus counters: changes of a live skill version.
//! The service renders this registry beside its own at `GET /metrics`.
//! Labels are outcome codes only, never customer data.

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::registry::Registry;
use std::sync::LazyLock;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OutcomeLabel {
    outcome: String,
}

struct Metrics {
    registry: Registry,
    skill_swaps: Family<OutcomeLabel, Counter>,
}

static METRICS: LazyLock<Metrics> = LazyLock::new(|| {
    let mut registry = Registry::with_prefix("baton");
    let skill_swaps = Family::<OutcomeLabel, Counter>::default();
    registry.register(
        "skill_swaps",
        "Changes of a live skill version (live, removed) and candidates refused",
        skill_swaps.clone(),
    );
    Metrics {
        registry,
        skill_swaps,
    }
});

/// Count a skill swap by outcome (`live`, `removed`, `refused`).
pub(crate) fn skill_swap(outcome: &str) {
    METRICS
        .skill_swaps
        .get_or_create(&OutcomeLabel {
            outcome: outcome.into(),
        })
        .inc();
}

/// The registry holding the runtime's counters, for the text exposition.
pub fn registry() -> &'static Registry {
    &METRICS.registry
}
