//! Hostile guest: panics.
use baton_sdk::prelude::*;

struct Panic;

impl Skill for Panic {
    fn manifest() -> Manifest {
        Manifest::new("panic", "0.1.0", "Panics.")
    }
    fn run(input: Input) -> Result<Output, SkillError> {
        panic!("deliberate panic while handling {}", input.event.event_type);
    }
}

export_skill!(Panic);
