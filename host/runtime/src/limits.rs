//! Per-call limits and the resource limiter that enforces the memory cap.

use std::time::Duration;

/// How often the epoch ticks; the granularity of wall-clock deadlines.
pub(crate) const EPOCH_TICK: Duration = Duration::from_millis(5);

/// Bytes of guest stderr kept per call (panic messages).
pub(crate) const STDERR_BYTES: usize = 16 * 1024;

/// Fuel lent per byte of a call's input (its payload, params and earlier
/// outputs) on top of [`Limits::fuel`]. The Rust SDK reads JSON for 56
/// fuel a byte on a transcript of sentences (1.2 MB, 10,000 utterances:
/// 65 M, more than a short skill's whole default) and 111 on one of
/// 22,000 two-word utterances; lent 128, a default sized for the skill's
/// work on a usual input also covers reading the largest input the door
/// lets in (docs/performance.md).
pub(crate) const INPUT_FUEL_PER_BYTE: u64 = 128;

/// The fuel lent for reading `bytes` of input.
pub(crate) fn input_fuel(bytes: usize) -> u64 {
    INPUT_FUEL_PER_BYTE.saturating_mul(u64::try_from(bytes).unwrap_or(u64::MAX))
}

/// The limits of one call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Fuel the call may burn (roughly one unit per wasm instruction), on
    /// top of what reading its input is lent ([`input_fuel`]).
    pub fuel: u64,
    /// Cap on linear memory, in bytes.
    pub memory_bytes: usize,
    /// Wall-clock deadline for the whole call.
    pub timeout: Duration,
    /// Cap on the output's size (data, follow-ups and actions), in bytes.
    pub output_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            fuel: 1_000_000_000,
            memory_bytes: 64 << 20,
            timeout: Duration::from_secs(10),
            output_bytes: 1 << 20,
        }
    }
}

/// Enforces the memory cap and remembers whether it was hit, so a failed
/// allocation that ends in a trap is reported as `memory`, not as a panic.
#[derive(Debug)]
pub(crate) struct CallLimiter {
    memory_bytes: usize,
    pub(crate) memory_hit: bool,
}

impl CallLimiter {
    pub(crate) fn new(memory_bytes: usize) -> Self {
        CallLimiter {
            memory_bytes,
            memory_hit: false,
        }
    }
}

/// Table elements a skill may have; generous for Rust guests.
const MAX_TABLE_ELEMENTS: usize = 100_000;

impl wasmtime::ResourceLimiter for CallLimiter {
    fn memory_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        if desired > self.memory_bytes {
            self.memory_hit = true;
            return Ok(false);
        }
        Ok(true)
    }

    fn table_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        if desired > MAX_TABLE_ELEMENTS {
            self.memory_hit = true;
            return Ok(false);
        }
        Ok(true)
    }
}
