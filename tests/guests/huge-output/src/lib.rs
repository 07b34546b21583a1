//! Hostile guest: returns 100 MB of output.
use baton_sdk::prelude::*;

struct HugeOutput;

impl Skill for HugeOutput {
    fn manifest() -> Manifest {
        Manifest::new("huge-output", "0.1.0", "Returns 100 MB.").default_fuel(20_000_000_000)
    }
    fn run(_: Input) -> Result<Output, SkillError> {
        let mut blob = String::with_capacity(100 << 20);
        while blob.len() < 100 << 20 {
            blob.push_str("xxxxxxxxxxxxxxxx");
        }
        Ok(Output::new(Value::String(blob)))
    }
}

export_skill!(HugeOutput);
