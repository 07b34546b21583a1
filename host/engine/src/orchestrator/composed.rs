//! What the composed extensions answer together: an action's words (the
//! first app that names it), a user's whole preferences document (the
//! engine's fields with each app's), the rules of a kind (the first app
//! that owns it), an event's title.

use super::conductor::{Extension, Extensions, Orchestrator};
use super::extension::KindRules;
use crate::store::{ActionKind, OrgId, Preferences, Store, StoreError, UserId};
use serde_json::{Map, Value};
use std::sync::Arc;

/// An action as the first app that names it says it.
impl crate::connectors::blocks::Describe for Extensions {
    fn action_title(
        &self,
        kind: Option<ActionKind>,
        preview: &str,
        payload: &Value,
    ) -> Option<String> {
        self.iter()
            .find_map(|e| e.action_title(kind, preview, payload))
    }

    fn action_summary(&self, kind: ActionKind, payload: &Value) -> Option<String> {
        kind_rules(self, kind)?.summary(payload)
    }
}

/// A user's whole preferences document: the engine's fields with each of
/// `apps`' beside them.
pub async fn preferences_doc(
    apps: &[Arc<dyn Extension>],
    store: &Store,
    org: &OrgId,
    user: &UserId,
) -> Result<Map<String, Value>, StoreError> {
    let prefs = store.preferences(org, user).await?;
    preferences_doc_of(apps, store, org, user, &prefs).await
}

/// [`preferences_doc`] with the engine's fields already read.
pub async fn preferences_doc_of(
    apps: &[Arc<dyn Extension>],
    store: &Store,
    org: &OrgId,
    user: &UserId,
    prefs: &Preferences,
) -> Result<Map<String, Value>, StoreError> {
    let mut doc = match serde_json::to_value(prefs) {
        Ok(Value::Object(m)) => m,
        _ => Map::new(),
    };
    for e in apps {
        doc.extend(e.preferences(store, org, user).await?);
    }
    Ok(doc)
}

/// The rules of `kind` from the first of `apps` that owns it.
pub(crate) fn kind_rules(apps: &[Arc<dyn Extension>], kind: ActionKind) -> Option<&dyn KindRules> {
    apps.iter().find_map(|e| e.kind(kind))
}

impl Orchestrator {
    /// A user's whole preferences document (see [`preferences_doc`]).
    pub async fn preferences_doc(
        &self,
        org: &OrgId,
        user: &UserId,
    ) -> Result<Map<String, Value>, StoreError> {
        preferences_doc(self.extensions(), &self.store, org, user).await
    }

    /// `event` as a person reads it: the first app's name for it, else the
    /// event type itself.
    pub fn event_title(&self, event: &str) -> String {
        self.extensions()
            .iter()
            .find_map(|e| e.event_title(event))
            .unwrap_or_else(|| event.to_owned())
    }
}
