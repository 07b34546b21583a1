//! Context tiers, loaded once per job (at its first step) and kept in the
//! job's state, so every step and every resume sees the same snapshot. A
//! step is shown only the tiers its sequence declares, and the runtime shows
//! those only as far as the skill's capabilities allow.

use super::composed::preferences_doc_of;
use super::conductor::Extension;
use super::sequence::{Sequence, Tier};
use crate::store::{Job, Standing, Store, StoreError};
use baton_types::catalog::{CONTENT_LIBRARY, PRICE_BOOK};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::sync::Arc;

/// The tiers loaded for one job.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Loaded {
    pub org: Option<Value>,
    pub contact: Option<Value>,
    /// Tier 3 by provider; a provider with nothing configured is absent.
    #[serde(default)]
    pub external: BTreeMap<String, Value>,
    /// The org's confidence floor (`confidence_floor` in its profile, 0
    /// when unset): what a step proposes with less confidence is withheld
    /// (`floor.rs`). Loaded for every job, whatever its steps are shown.
    #[serde(default)]
    pub confidence_floor: f64,
}

impl Loaded {
    /// What one step may be shown: only the tiers it declares.
    pub(crate) fn for_step(&self, tiers: &[Tier]) -> Loaded {
        let mut out = Loaded::default();
        for t in tiers {
            match t {
                Tier::Org => out.org = self.org.clone(),
                Tier::Contact => out.contact = self.contact.clone(),
                Tier::External(p) => {
                    if let Some(v) = self.external.get(p) {
                        out.external.insert(p.clone(), v.clone());
                    }
                }
            }
        }
        out
    }
}

/// Load the tiers any step of `seq` declares (and no others); the contact
/// tier is the first of `apps` that keeps contacts. Also the org's monthly
/// budget, read with the rest (the run checks it before each stage).
pub async fn load(
    apps: &[Arc<dyn Extension>],
    store: &Store,
    job: &Job,
    seq: &Sequence,
) -> Result<(Loaded, Option<i64>), StoreError> {
    let wants = |tier: &Tier| seq.steps.iter().any(|s| s.context.contains(tier));
    let mut out = Loaded::default();
    let standing = store.standing(&job.org_id, &job.user_id).await?;
    let org = standing.as_ref().map(|s| &s.org);
    out.confidence_floor = org.map_or(0.0, |o| confidence_floor(&o.profile));
    if wants(&Tier::Org) {
        let standing = standing
            .as_ref()
            .ok_or_else(|| StoreError::NotFound(format!("org {}", job.org_id)))?;
        out.org = Some(org_tier(apps, store, job, standing).await?);
    }
    if wants(&Tier::Contact) {
        for app in apps {
            if let Some(c) = app.contact(store, job).await? {
                out.contact = Some(c);
                break;
            }
        }
    }
    // Tier 3: providers are configured per org in its profile under
    // `providers.<name>`; what is there is handed over as it stands. The
    // org's catalog documents (`price_book`, `content_library`) are
    // served under their names.
    let any_external = seq
        .steps
        .iter()
        .any(|s| s.context.iter().any(|t| matches!(t, Tier::External(_))));
    if any_external && let Some(org) = org {
        for step in &seq.steps {
            for t in &step.context {
                let Tier::External(p) = t else { continue };
                if out.external.contains_key(p) {
                    continue;
                }
                let v = if [PRICE_BOOK, CONTENT_LIBRARY].contains(&p.as_str()) {
                    store.org_document(&job.org_id, p).await?
                } else {
                    org.profile.get("providers").and_then(|m| m.get(p)).cloned()
                };
                if let Some(v) = v {
                    out.external.insert(p.clone(), v);
                }
            }
        }
    }
    Ok((out, standing.and_then(|s| s.budget)))
}

/// An org profile's `confidence_floor`: a number from 0 to 1, else 0
/// (an import refuses any other value; a profile written otherwise floors
/// nothing).
pub fn confidence_floor(profile: &Value) -> f64 {
    profile
        .get(CONFIDENCE_FLOOR)
        .and_then(Value::as_f64)
        .filter(|f| (0.0..=1.0).contains(f))
        .unwrap_or(0.0)
}

/// The org profile's key for its confidence floor.
pub const CONFIDENCE_FLOOR: &str = "confidence_floor";

async fn org_tier(
    apps: &[Arc<dyn Extension>],
    store: &Store,
    job: &Job,
    standing: &Standing,
) -> Result<Value, StoreError> {
    let Standing {
        org,
        user,
        preferences,
        budget,
    } = standing;
    let user = user
        .as_ref()
        .ok_or_else(|| StoreError::NotFound(format!("user {}", job.user_id)))?;
    let prefs = preferences_doc_of(apps, store, &job.org_id, &job.user_id, preferences).await?;
    let disabled = store.disabled_features(&job.org_id).await?;
    Ok(json!({
        "org": { "slug": org.slug, "name": org.name, "profile": org.profile },
        "user": { "handle": user.handle, "name": user.name, "email": user.email, "role": user.role },
        "preferences": prefs,
        "disabled_events": disabled,
        "budget_micros": budget,
    }))
}
