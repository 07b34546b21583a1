//! Hostile guest: never returns. Stopped by fuel or by the deadline.
use baton_sdk::prelude::*;

struct Loop;

impl Skill for Loop {
    fn manifest() -> Manifest {
        Manifest::new("loop", "0.1.0", "Spins forever.")
    }
    fn run(_: Input) -> Result<Output, SkillError> {
        let mut n: u64 = 0;
        loop {
            n = std::hint::black_box(n.wrapping_add(1));
        }
    }
}

export_skill!(Loop);
