//! `context.read`: the tiers loaded for the job, shown only as far as the
//! skill may see them.

use crate::runtime::bindings::baton::skill::context::{Host, Tier};
use crate::runtime::bindings::baton::skill::types::HostError;
use crate::runtime::capability::Capability;
use crate::runtime::state::CallState;

impl Host for CallState {
    async fn read(&mut self, tier: Tier) -> wasmtime::Result<Result<String, HostError>> {
        let (capability, value) = match &tier {
            Tier::Org => (Capability::ContextOrg, self.context.org.as_ref()),
            Tier::Contact => (Capability::ContextContact, self.context.contact.as_ref()),
            Tier::External(provider) => (
                Capability::ContextExternal(provider.clone()),
                self.context.external.get(provider),
            ),
        };
        if let Err(denied) = self.require(&capability) {
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
