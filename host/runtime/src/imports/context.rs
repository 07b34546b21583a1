//! `context.read`: the tiers loaded for the job, shown only as far as the
//! skill may see them.

use super::Grant;
use crate::bindings::baton::skill::context::{Host, Tier};
use crate::bindings::baton::skill::types::HostError;
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
}
