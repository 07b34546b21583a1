//! Hostile guest: recurses without end until the stack overflows.
use baton_sdk::prelude::*;

struct Recursion;

#[inline(never)]
fn descend(n: u64, depth: u64, limit: u64) -> u64 {
    if depth == limit {
        return n;
    }
    // Not a tail call, and not associative: the compiler cannot make it a loop.
    descend(n.wrapping_mul(31).wrapping_add(depth), depth + 1, limit).rotate_left(1) ^ n
}

impl Skill for Recursion {
    fn manifest() -> Manifest {
        Manifest::new("recursion", "0.1.0", "Recurses without end.")
    }
    fn run(input: Input) -> Result<Output, SkillError> {
        let limit = input
            .event
            .payload
            .get("limit")
            .and_then(Value::as_u64)
            .unwrap_or(u64::MAX);
        Ok(Output::new(json!({ "result": descend(1, 0, limit) })))
    }
}

export_skill!(Recursion);
