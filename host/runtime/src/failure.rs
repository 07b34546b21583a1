//! What a failed call means: the skill's own typed error, or a wasmtime
//! error from instantiate or call mapped to the limit it hit, the trap it
//! took (with a Rust guest's panic message read from its stderr), or a host
//! fault. It only reads the store; it never changes it.

use super::bindings::baton::skill::types as wit;
use super::error::{LimitKind, RuntimeError, SkillErrorKind, TrapKind};
use super::state::CallState;
use wasmtime::{Store, Trap};

pub(super) fn skill_error(e: wit::SkillError) -> RuntimeError {
    let (kind, message) = match e {
        wit::SkillError::InvalidInput(m) => (SkillErrorKind::InvalidInput, m),
        wit::SkillError::Unavailable(m) => (SkillErrorKind::Unavailable, m),
        wit::SkillError::Failed(m) => (SkillErrorKind::Failed, m),
    };
    RuntimeError::Skill { kind, message }
}

/// Map a wasmtime error from instantiate or call to what happened.
pub(super) fn classify(e: wasmtime::Error, store: &Store<CallState>, skill: &str) -> RuntimeError {
    let memory_hit = store.data().limiter.memory_hit;
    let stderr = tail_utf8(&store.data().stderr.contents(), 512);
    match e.downcast_ref::<Trap>() {
        Some(Trap::OutOfFuel) => RuntimeError::Limit {
            kind: LimitKind::Fuel,
            detail: format!("`{skill}` ran out of fuel"),
        },
        Some(Trap::Interrupt) => RuntimeError::Limit {
            kind: LimitKind::Deadline,
            detail: format!("`{skill}` passed its wall-clock deadline"),
        },
        _ if memory_hit => RuntimeError::Limit {
            kind: LimitKind::Memory,
            detail: format!("`{skill}` tried to grow memory past its cap"),
        },
        Some(Trap::StackOverflow) => RuntimeError::Trap {
            kind: TrapKind::StackOverflow,
            message: format!("`{skill}` overflowed its call stack"),
        },
        Some(Trap::UnreachableCodeReached) => RuntimeError::Trap {
            kind: TrapKind::Panic,
            message: match panic_message(&stderr) {
                Some(m) => format!("`{skill}` panicked: {m}"),
                None => format!("`{skill}` panicked"),
            },
        },
        Some(trap) => RuntimeError::Trap {
            kind: TrapKind::Other,
            message: format!("`{skill}`: {trap}"),
        },
        None => RuntimeError::host_by(format!("`{skill}`"), e),
    }
}

/// The panic message in a Rust guest's stderr, on one line.
fn panic_message(stderr: &str) -> Option<String> {
    let lines: Vec<&str> = stderr
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("note: run with `RUST_BACKTRACE"))
        .collect();
    (!lines.is_empty()).then(|| lines.join(" | "))
}

pub(super) fn tail_utf8(bytes: &[u8], max: usize) -> String {
    let start = bytes.len().saturating_sub(max);
    String::from_utf8_lossy(&bytes[start..]).into_owned()
}

/// The message of an error with its whole chain of causes.
pub(super) fn root_message(e: &wasmtime::Error) -> String {
    format!("{e:#}")
}
