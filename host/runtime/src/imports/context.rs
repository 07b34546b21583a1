//! `context.read`: the tiers loaded for the job, shown only as far as the
//! skill may see them; `context.attachment`: what the job's event carries by
//! reference, read through what the caller lent.

use super::Grant;
use crate::bindings::baton::skill::context::{Host, Tier};
use crate::bindings::baton::skill::types::HostError;
use crate::call::{Attachment, Attachments};
use crate::capability::Capability;
use serde_json::Value;
use std::collections::BTreeMap;
use wasmtime::component::HasData;

/// What `context` works with: its grant and the tiers the caller lent.
pub(crate) struct Context<'a> {
    pub(crate) grant: Grant<'a>,
    pub(crate) org: Option<&'a Value>,
    pub(crate) contact: Option<&'a Value>,
    pub(crate) external: &'a BTreeMap<String, Value>,
    pub(crate) attachments: Option<&'a dyn Attachments>,
}

impl HasData for Context<'static> {
    type Data<'a> = Context<'a>;
}

impl Host for Context<'_> {
    async fn read(&mut self, tier: Tier) -> wasmtime::Result<Result<String, HostError>> {
        let (capability, value) = match &tier {
            Tier::Org => (Capability::ContextOrg, self.org),
            Tier::Contact => (Capability::ContextContact, self.contact),
            Tier::External(provider) => (
                Capability::ContextExternal(provider.clone()),
                self.external.get(provider),
            ),
        };
        if let Err(denied) = self.grant.require(&capability) {
            return Ok(Err(denied));
        }
        Ok(match value {
            Some(v) => Ok(v.to_string()),
            None => Err(HostError::NotFound(format!(
                "no `{capability}` context was loaded for this job"
            ))),
        })
    }

    async fn attachment(&mut self, id: String) -> wasmtime::Result<Result<String, HostError>> {
        if let Err(denied) = self.grant.require(&Capability::ContextAttachments) {
            return Ok(Err(denied));
        }
        let Some(attachments) = self.attachments else {
            return Ok(Err(HostError::NotFound(
                "no attachments are lent to this call".into(),
            )));
        };
        Ok(match attachments.attachment(&id).await {
            Ok(Some(Attachment::Found(text))) => Ok(text.to_string()),
            Ok(Some(Attachment::Erased(why))) => Err(HostError::NotFound(format!(
                "attachment `{id}` was erased: {why}"
            ))),
            Ok(None) => Err(HostError::NotFound(format!(
                "the org holds no attachment `{id}`"
            ))),
            Err(why) => Err(HostError::Unavailable(format!(
                "attachment `{id}` could not be read: {why}"
            ))),
        })
    }
}
