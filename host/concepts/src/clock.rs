//! Time, injected: the runner, validation and expiry ask a [`Clock`], so
//! tests can move time (quiet hours, backoff, expiry) without sleeping, and
//! a demo or trial can run a day in minutes ([`SimulatedClock`]). A leaf.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

/// Milliseconds since the Unix epoch on the system clock (0 before it,
/// `i64::MAX` past it): what the store stamps and [`SystemClock`] reads.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// A source of the current time in unix milliseconds.
pub trait Clock: Send + Sync {
    /// Now, in unix ms.
    fn now_ms(&self) -> i64;

    /// The simulated clock behind this one, if it is one (`baton serve
    /// --simulated-clock`): what the admin route moves.
    fn simulated(&self) -> Option<&SimulatedClock> {
        None
    }

    /// The time peers live in, in unix ms: what a webhook's signature is
    /// checked against. The same as [`Clock::now_ms`] but for a simulated
    /// clock, whose world is not the peers' (Slack signs with real time).
    fn real_ms(&self) -> i64 {
        self.now_ms()
    }
}

/// The system clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_ms(&self) -> i64 {
        now_ms()
    }
}

/// A clock that moves only when told to.
#[derive(Debug, Default)]
pub struct ManualClock(AtomicI64);

impl ManualClock {
    /// A clock showing `now_ms`.
    pub fn at(now_ms: i64) -> Arc<ManualClock> {
        Arc::new(ManualClock(AtomicI64::new(now_ms)))
    }

    /// Move forward by `ms`.
    pub fn advance(&self, ms: i64) {
        self.0.fetch_add(ms, Ordering::SeqCst);
    }

    /// Show `now_ms`.
    pub fn set(&self, now_ms: i64) {
        self.0.store(now_ms, Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now_ms(&self) -> i64 {
        self.0.load(Ordering::SeqCst)
    }
}

/// A simulated clock, for demos and trials (`baton serve --simulated-clock
/// START`): it shows START when made, runs at real speed from there, and
/// moves forward when told ([`SimulatedClock::advance_to`], the admin
/// route `POST /v1/admin/clock`), never back. It holds only its distance
/// from the system clock.
#[derive(Debug)]
pub struct SimulatedClock {
    /// Simulated minus system time, in ms.
    offset: AtomicI64,
}

/// Why a simulated clock did not move.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClockError {
    /// The new time is before now: the scheduler's claims, expiry and the
    /// outbox assume time only goes forward.
    #[error("the clock only moves forward: it shows {now} and {to} is earlier")]
    Backwards { now: String, to: String },
}

impl SimulatedClock {
    /// A clock showing `start_ms` now.
    pub fn starting_at(start_ms: i64) -> Arc<SimulatedClock> {
        Arc::new(SimulatedClock {
            offset: AtomicI64::new(start_ms - now_ms()),
        })
    }

    /// Show `to_ms` from now on (and run on from there); refused when it is
    /// before what the clock shows. Returns the new time.
    pub fn advance_to(&self, to_ms: i64) -> Result<i64, ClockError> {
        let mut offset = self.offset.load(Ordering::SeqCst);
        loop {
            let system = now_ms();
            let now = system + offset;
            if to_ms < now {
                return Err(ClockError::Backwards {
                    now: show(now),
                    to: show(to_ms),
                });
            }
            match self.offset.compare_exchange(
                offset,
                to_ms - system,
                Ordering::SeqCst,
                Ordering::SeqCst,
            ) {
                Ok(_) => return Ok(to_ms),
                Err(moved) => offset = moved,
            }
        }
    }
}

/// Unix ms as RFC 3339, for messages.
fn show(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms)
        .map(|t| t.to_string())
        .unwrap_or_else(|_| format!("{ms} ms"))
}

impl Clock for SimulatedClock {
    fn now_ms(&self) -> i64 {
        now_ms() + self.offset.load(Ordering::SeqCst)
    }

    fn simulated(&self) -> Option<&SimulatedClock> {
        Some(self)
    }

    fn real_ms(&self) -> i64 {
        now_ms()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_simulated_clock_starts_where_told_and_only_moves_forward() {
        let start = 1_795_500_000_000;
        let clock = SimulatedClock::starting_at(start);
        let now = clock.now_ms();
        assert!((start..start + 60_000).contains(&now), "{now}");
        let later = start + 3 * 3_600_000;
        assert_eq!(clock.advance_to(later), Ok(later));
        assert!(clock.now_ms() >= later);
        let e = clock.advance_to(start).unwrap_err();
        assert!(e.to_string().contains("only moves forward"), "{e}");
        assert!(clock.now_ms() >= later, "a refused move changes nothing");
        assert!(SystemClock.simulated().is_none());
    }
}
