//! The skills written in Python: built into `target/skills/` beside the
//! Rust ones.

use crate::Result;
use std::path::Path;

/// Build every Python skill under `skills/` into `out`.
pub fn build(out: &Path, log: &std::fs::File) -> Result {
    let _ = (out, log);
    Ok(())
}

/// Run every Python skill's native tests (against its fake host).
pub fn test() -> Result {
    Ok(())
}
