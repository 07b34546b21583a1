//! The reporting lines an import document gives (`users[].manager`: the
//! handle of the user someone reports to, `null` for nobody, left out to
//! keep what the org has). Checked against the org's current lines before
//! anything is written, so a document naming an unknown manager, a user
//! as their own manager or a circle writes nothing; written after the
//! users exist.

use crate::import_doc::{ImportDoc, ImportError};
use baton_store::{OrgId, Store, UserId};
use std::collections::BTreeMap;

/// Check the lines `doc` gives against those the org `org` (if it exists
/// yet) already has.
pub(super) async fn check(
    store: &Store,
    org: Option<&OrgId>,
    doc: &ImportDoc,
) -> Result<(), ImportError> {
    // handle → manager's handle, as the org would stand after the import.
    let mut lines: BTreeMap<String, Option<String>> = BTreeMap::new();
    if let Some(org) = org {
        let users = store.users(org).await?;
        let handle = |id: &UserId| users.iter().find(|u| &u.id == id).map(|u| u.handle.clone());
        for u in &users {
            lines.insert(u.handle.clone(), u.manager_id.as_ref().and_then(handle));
        }
    }
    for u in &doc.users {
        lines.entry(u.handle.clone()).or_insert(None);
    }
    for u in &doc.users {
        if let Some(manager) = &u.manager {
            lines.insert(u.handle.clone(), manager.clone());
        }
    }
    for (i, u) in doc.users.iter().enumerate() {
        let Some(Some(manager)) = &u.manager else {
            continue;
        };
        let at = format!("users[{i}] ({}).manager", u.handle);
        if !lines.contains_key(manager) {
            return Err(ImportError::Invalid(format!(
                "{at}: unknown user `{manager}` (in neither the document nor the org)"
            )));
        }
        if manager == &u.handle {
            return Err(ImportError::Invalid(format!(
                "{at}: a user cannot report to themself"
            )));
        }
        // Walk up from the manager; meeting the user again is a circle.
        let mut seen = 0;
        let mut up = Some(manager.clone());
        while let Some(h) = up {
            if h == u.handle || seen > lines.len() {
                return Err(ImportError::Invalid(format!(
                    "{at}: `{manager}` already reports to `{}`, directly or through others: that would be a circle",
                    u.handle
                )));
            }
            seen += 1;
            up = lines.get(&h).cloned().flatten();
        }
    }
    Ok(())
}

/// Write the lines `doc` gives, once every user exists (`users`: the
/// document's handles and ids).
pub(super) async fn write(
    store: &Store,
    org: &OrgId,
    doc: &ImportDoc,
    users: &BTreeMap<&str, UserId>,
) -> Result<(), ImportError> {
    for u in &doc.users {
        let Some(manager) = &u.manager else {
            continue;
        };
        let Some(id) = users.get(u.handle.as_str()) else {
            continue;
        };
        let manager = match manager {
            None => None,
            Some(h) => match users.get(h.as_str()) {
                Some(m) => Some(m.clone()),
                None => store.user_by_handle(org, h).await?.map(|m| m.id),
            },
        };
        if let Err(refused) = store.set_manager(org, id, manager.as_ref()).await? {
            return Err(ImportError::Invalid(format!(
                "users ({}).manager: {refused}",
                u.handle
            )));
        }
    }
    Ok(())
}
