//! Hostile guest: reads the contact tier, which the tests do not grant.
use baton_sdk::host::{self, Tier};
use baton_sdk::prelude::*;

struct DeniedCapability;

impl Skill for DeniedCapability {
    fn manifest() -> Manifest {
        Manifest::new(
            "denied-capability",
            "0.1.0",
            "Reads context it may not have.",
        )
        .capability("context:org")
        .capability("context:contact")
    }
    fn run(_: Input) -> Result<Output, SkillError> {
        let org = host::context(Tier::Org)?;
        let contact = host::context(Tier::Contact)?;
        Ok(Output::new(json!({ "org": org, "contact": contact })))
    }
}

export_skill!(DeniedCapability);
