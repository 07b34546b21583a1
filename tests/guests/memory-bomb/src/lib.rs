//! Hostile guest: allocates (and touches) memory until it is stopped.
use baton_sdk::prelude::*;

struct MemoryBomb;

impl Skill for MemoryBomb {
    fn manifest() -> Manifest {
        Manifest::new("memory-bomb", "0.1.0", "Allocates without end.").default_fuel(20_000_000_000)
    }
    fn run(_: Input) -> Result<Output, SkillError> {
        let mut hoard: Vec<Vec<u8>> = Vec::new();
        loop {
            hoard.push(vec![0xA5; 1 << 20]);
            std::hint::black_box(&hoard);
        }
    }
}

export_skill!(MemoryBomb);
