//! A circuit breaker per provider: after `failures` provider faults in a
//! row (5xx, 408, connect errors, timeouts, broken streams) it opens for
//! `open_for`, so calls go straight to the fallback instead of waiting on a
//! dead upstream; then it lets one probe through (half-open). The probe's
//! success closes it, its failure opens it again. A probe that never
//! reports (its caller pressed stop) stops blocking after `open_for`.

use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// The breaker's state, as the metrics gauge shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CircuitState {
    Closed,
    Open,
    HalfOpen,
}

impl CircuitState {
    /// 0 closed, 1 open, 2 half-open (`gogga_circuit_state`).
    pub fn code(self) -> u8 {
        match self {
            CircuitState::Closed => 0,
            CircuitState::Open => 1,
            CircuitState::HalfOpen => 2,
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum Inner {
    Closed { failures: u32 },
    Open { until: Instant },
    HalfOpen { probe_since: Instant },
}

/// One provider's breaker.
#[derive(Debug)]
pub(crate) struct Circuit {
    threshold: u32,
    open_for: Duration,
    state: Mutex<Inner>,
}

impl Circuit {
    pub(crate) fn new(threshold: u32, open_for: Duration) -> Circuit {
        Circuit { threshold: threshold.max(1), open_for, state: Mutex::new(Inner::Closed { failures: 0 }) }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// May an attempt go out now? Turns an expired open circuit half-open
    /// and lets exactly one probe through.
    pub(crate) fn allow(&self, now: Instant) -> bool {
        let mut s = self.lock();
        match *s {
            Inner::Closed { .. } => true,
            Inner::Open { until } if now >= until => {
                *s = Inner::HalfOpen { probe_since: now };
                true
            }
            Inner::Open { .. } => false,
            Inner::HalfOpen { probe_since } if now >= probe_since + self.open_for => {
                *s = Inner::HalfOpen { probe_since: now };
                true
            }
            Inner::HalfOpen { .. } => false,
        }
    }

    /// An attempt worked: close.
    pub(crate) fn success(&self) {
        *self.lock() = Inner::Closed { failures: 0 };
    }

    /// An attempt failed because of the provider.
    pub(crate) fn failure(&self, now: Instant) {
        let mut s = self.lock();
        *s = match *s {
            Inner::Closed { failures } if failures + 1 < self.threshold => {
                Inner::Closed { failures: failures + 1 }
            }
            Inner::Closed { .. } | Inner::HalfOpen { .. } => Inner::Open { until: now + self.open_for },
            open @ Inner::Open { .. } => open,
        };
    }

    /// The state for the gauge.
    pub(crate) fn state(&self, now: Instant) -> CircuitState {
        match *self.lock() {
            Inner::Closed { .. } => CircuitState::Closed,
            Inner::Open { until } if now >= until => CircuitState::HalfOpen,
            Inner::Open { .. } => CircuitState::Open,
            Inner::HalfOpen { .. } => CircuitState::HalfOpen,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opens_after_n_failures_then_probes_once() {
        let t0 = Instant::now();
        let c = Circuit::new(3, Duration::from_secs(10));
        c.failure(t0);
        c.failure(t0);
        assert!(c.allow(t0), "2 of 3 failures: still closed");
        c.failure(t0);
        assert_eq!(c.state(t0), CircuitState::Open);
        assert!(!c.allow(t0 + Duration::from_secs(9)));
        let later = t0 + Duration::from_secs(10);
        assert!(c.allow(later), "the probe goes through");
        assert!(!c.allow(later), "only one probe at a time");
        c.failure(later);
        assert_eq!(c.state(later), CircuitState::Open, "a failed probe opens again");
        let again = later + Duration::from_secs(10);
        assert!(c.allow(again));
        c.success();
        assert_eq!(c.state(again), CircuitState::Closed);
        assert!(c.allow(again) && c.allow(again));
    }

    #[test]
    fn success_resets_the_count_and_a_lost_probe_expires() {
        let t0 = Instant::now();
        let c = Circuit::new(2, Duration::from_secs(5));
        c.failure(t0);
        c.success();
        c.failure(t0);
        assert_eq!(c.state(t0), CircuitState::Closed, "failures must be in a row");
        c.failure(t0);
        let t1 = t0 + Duration::from_secs(5);
        assert!(c.allow(t1));
        assert!(!c.allow(t1 + Duration::from_secs(4)));
        assert!(c.allow(t1 + Duration::from_secs(5)), "a probe that never reported stops blocking");
    }
}
