//! The skills written in JavaScript: built into `target/skills/` beside the
//! Rust ones.

use crate::Result;
use std::path::Path;

/// Build every JavaScript skill under `skills/` into `out`.
pub fn build(out: &Path, log: &std::fs::File) -> Result {
    let _ = (out, log);
    Ok(())
}

/// Run every JavaScript skill's native tests (against its fake host).
pub fn test() -> Result {
    Ok(())
}
