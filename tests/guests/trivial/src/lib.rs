//! Helper guest: the smallest useful skill, in two versions for hot swap.
use baton_sdk::prelude::*;

struct Trivial;

const VERSION: &str = if cfg!(feature = "v2") {
    "2.0.0"
} else {
    "1.0.0"
};

impl Skill for Trivial {
    fn manifest() -> Manifest {
        Manifest::new("trivial", VERSION, "Echoes the event type.").default_fuel(1_000_000)
    }
    fn run(input: Input) -> Result<Output, SkillError> {
        Ok(Output::new(
            json!({ "event": input.event.event_type, "version": VERSION }),
        ))
    }
}

export_skill!(Trivial);
