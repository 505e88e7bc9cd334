//! The crate's one retry mechanism (clippy.toml points here): a backon
//! retry over one attempt function with
//! `delay = min(initial * multiplier^n, max) + random(0..=jitter)`,
//! `Retry-After` honoured up to the configured cap (60 s by default), and
//! the rule of what is worth retrying: 408, 409, 429, 5xx, connect errors,
//! timeouts and streams that broke *before* their first token. Never other
//! 4xx, never a malformed answer, and — because an attempt ends at the first
//! token — never anything after the first token reached the caller.

use std::time::Duration;

use backon::Retryable;
use rand::Rng;

use super::config::RetryConfig;
use crate::error::{Error, ErrorKind};

/// Why one attempt failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FailureKind {
    /// The upstream answered with this HTTP status.
    Status(u16),
    /// No connection could be made.
    Connect,
    /// No answer (or no next event) within the limit.
    Timeout,
    /// The connection broke before the first token.
    Broken,
    /// The answer was not what the protocol says (not retried).
    Malformed,
    /// The provider's circuit is open (go to the fallback).
    CircuitOpen,
    /// Every key cools down for longer than we wait.
    KeysCooling,
    /// The provider cannot be used (no key, bad client setup).
    NotConfigured,
}

/// One failed attempt: what, which key (by name), and how long it asked us
/// to wait. The message never contains a key.
#[derive(Debug, Clone)]
pub(crate) struct Failure {
    pub(crate) kind: FailureKind,
    pub(crate) key_name: String,
    pub(crate) retry_after: Option<Duration>,
    pub(crate) message: String,
}

impl Failure {
    pub(crate) fn new(kind: FailureKind, key_name: &str, message: impl Into<String>) -> Failure {
        Failure { kind, key_name: key_name.to_owned(), retry_after: None, message: message.into() }
    }

    /// Worth another attempt?
    pub(crate) fn is_retryable(&self) -> bool {
        match self.kind {
            FailureKind::Status(s) => matches!(s, 408 | 409 | 429) || (500..600).contains(&s),
            FailureKind::Connect | FailureKind::Timeout | FailureKind::Broken => true,
            FailureKind::Malformed
            | FailureKind::CircuitOpen
            | FailureKind::KeysCooling
            | FailureKind::NotConfigured => false,
        }
    }

    /// Worth trying the fallback provider?
    pub(crate) fn allows_fallback(&self) -> bool {
        self.is_retryable() || matches!(self.kind, FailureKind::CircuitOpen | FailureKind::KeysCooling)
    }

    /// Does this failure say the provider is unwell (for its circuit)?
    pub(crate) fn is_provider_fault(&self) -> bool {
        match self.kind {
            FailureKind::Status(s) => s == 408 || (500..600).contains(&s),
            FailureKind::Connect | FailureKind::Timeout | FailureKind::Broken => true,
            _ => false,
        }
    }

    /// The `status_code` label of `gogga_cerebras_retries_total`.
    pub(crate) fn status_label(&self) -> String {
        match self.kind {
            FailureKind::Status(s) => s.to_string(),
            FailureKind::Connect => "connect".into(),
            FailureKind::Timeout => "timeout".into(),
            FailureKind::Broken => "broken".into(),
            FailureKind::Malformed => "malformed".into(),
            FailureKind::CircuitOpen => "circuit_open".into(),
            FailureKind::KeysCooling => "keys_cooling".into(),
            FailureKind::NotConfigured => "not_configured".into(),
        }
    }

    /// The core error this becomes when it is final.
    pub(crate) fn into_error(self) -> Error {
        let kind = match self.kind {
            FailureKind::Status(429) | FailureKind::KeysCooling => ErrorKind::RateLimited,
            FailureKind::Status(s) if s == 408 || s >= 500 => ErrorKind::Unavailable,
            FailureKind::Status(_) | FailureKind::Malformed => ErrorKind::Upstream,
            FailureKind::Connect | FailureKind::Timeout | FailureKind::Broken | FailureKind::CircuitOpen => {
                ErrorKind::Unavailable
            }
            FailureKind::NotConfigured => ErrorKind::NotConfigured,
        };
        Error::new(kind, self.message)
    }
}

/// The delays between attempts, as configured.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Policy {
    initial: Duration,
    multiplier: f64,
    max: Duration,
    jitter: Duration,
    max_retries: u32,
    pub(crate) max_wait: Duration,
}

impl Policy {
    pub(crate) fn from_config(c: &RetryConfig) -> Policy {
        Policy {
            initial: Duration::from_millis(c.initial_ms),
            multiplier: c.multiplier,
            max: Duration::from_millis(c.max_ms),
            jitter: Duration::from_millis(c.jitter_ms),
            max_retries: c.max_retries,
            max_wait: Duration::from_millis(c.max_retry_after_ms),
        }
    }

    /// `min(initial * multiplier^n, max) + random(0..=jitter)` for retry `n` (0-based).
    pub(crate) fn delay(&self, n: u32, rng: &mut impl Rng) -> Duration {
        let exp = i32::try_from(n).unwrap_or(i32::MAX);
        let base = self.initial.as_secs_f64() * self.multiplier.powi(exp);
        let capped = Duration::from_secs_f64(base.min(self.max.as_secs_f64()));
        let jitter_ms = u64::try_from(self.jitter.as_millis()).unwrap_or(u64::MAX);
        capped + Duration::from_millis(rng.random_range(0..=jitter_ms))
    }
}

/// backon's view of a [`Policy`]: the delays of the retries, then `None`.
struct Delays {
    policy: Policy,
    n: u32,
}

impl Iterator for Delays {
    type Item = Duration;
    fn next(&mut self) -> Option<Duration> {
        if self.n >= self.policy.max_retries {
            return None;
        }
        let d = self.policy.delay(self.n, &mut rand::rng());
        self.n += 1;
        Some(d)
    }
}

/// Run `attempt` until it succeeds, fails for good, or the retries run out.
/// `on_retry` sees each failure that will be retried and the delay chosen.
/// A `Retry-After` longer than the delay wins, up to `max_wait`; a longer
/// one ends the retries (waiting a minute in a chat is already a lot). A
/// 429's wait is the key ring's business: another key may be ready now.
pub(crate) async fn run<T, F, Fut>(
    policy: Policy,
    attempt: F,
    mut on_retry: impl FnMut(&Failure, Duration),
) -> Result<T, Failure>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, Failure>>,
{
    attempt
        .retry(Delays { policy, n: 0 })
        .sleep(tokio::time::sleep)
        .when(Failure::is_retryable)
        .adjust(move |f, delay| {
            let delay = delay?;
            match (f.kind, f.retry_after) {
                (FailureKind::Status(429), _) | (_, None) => Some(delay),
                (_, Some(wait)) if wait > policy.max_wait => None,
                (_, Some(wait)) => Some(delay.max(wait)),
            }
        })
        .notify(|f, d| on_retry(f, d))
        .await
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicU32, Ordering};

    use super::*;

    fn policy(initial: u64, max: u64, jitter: u64, retries: u32) -> Policy {
        Policy::from_config(&RetryConfig {
            initial_ms: initial,
            multiplier: 2.0,
            max_ms: max,
            jitter_ms: jitter,
            max_retries: retries,
            max_retry_after_ms: 60_000,
            default_cooldown_ms: 65_000,
        })
    }

    #[test]
    fn delay_is_capped_exponential_plus_bounded_jitter() {
        let p = policy(100, 500, 0, 5);
        let mut rng = rand::rng();
        let ms: Vec<u128> = (0..5).map(|n| p.delay(n, &mut rng).as_millis()).collect();
        assert_eq!(ms, [100, 200, 400, 500, 500]);
        let p = policy(100, 500, 50, 5);
        for n in 0..5 {
            for _ in 0..50 {
                let d = p.delay(n, &mut rng).as_millis();
                let base = [100, 200, 400, 500, 500][n as usize];
                assert!((base..=base + 50).contains(&d), "retry {n}: {d} ms");
            }
        }
    }

    #[test]
    fn what_is_retried() {
        let f = |kind| Failure::new(kind, "k", "x");
        for s in [408, 409, 429, 500, 502, 503, 504] {
            assert!(f(FailureKind::Status(s)).is_retryable(), "{s}");
        }
        for s in [400, 401, 403, 404, 422] {
            assert!(!f(FailureKind::Status(s)).is_retryable(), "{s}");
        }
        assert!(f(FailureKind::Connect).is_retryable() && f(FailureKind::Timeout).is_retryable());
        assert!(!f(FailureKind::Malformed).is_retryable());
        assert_eq!(f(FailureKind::Status(429)).into_error().kind(), ErrorKind::RateLimited);
        assert_eq!(f(FailureKind::Status(503)).into_error().kind(), ErrorKind::Unavailable);
        assert_eq!(f(FailureKind::Status(401)).into_error().kind(), ErrorKind::Upstream);
    }

    #[tokio::test]
    async fn retries_until_success_and_stops_on_permanent_errors() {
        let calls = AtomicU32::new(0);
        let mut seen = Vec::new();
        let out = run(
            policy(1, 5, 0, 3),
            || async {
                let n = calls.fetch_add(1, Ordering::SeqCst);
                if n < 2 { Err(Failure::new(FailureKind::Status(503), "k", "busy")) } else { Ok(n) }
            },
            |f, d| seen.push((f.status_label(), d)),
        )
        .await;
        assert_eq!(out.ok(), Some(2));
        assert_eq!(seen.iter().map(|(s, _)| s.as_str()).collect::<Vec<_>>(), ["503", "503"]);

        let calls = AtomicU32::new(0);
        let out: Result<(), _> = run(
            policy(1, 5, 0, 3),
            || async {
                calls.fetch_add(1, Ordering::SeqCst);
                Err(Failure::new(FailureKind::Status(400), "k", "bad"))
            },
            |_, _| {},
        )
        .await;
        assert!(out.is_err());
        assert_eq!(calls.load(Ordering::SeqCst), 1, "a 400 is never retried");

        let calls = AtomicU32::new(0);
        let _: Result<(), _> = run(
            policy(1, 5, 0, 2),
            || async {
                calls.fetch_add(1, Ordering::SeqCst);
                Err(Failure::new(FailureKind::Timeout, "k", "slow"))
            },
            |_, _| {},
        )
        .await;
        assert_eq!(calls.load(Ordering::SeqCst), 3, "1 attempt + 2 retries");
    }

    #[tokio::test]
    async fn retry_after_stretches_the_delay_and_too_long_stops() {
        let mut delays = Vec::new();
        let calls = AtomicU32::new(0);
        let out = run(
            policy(1, 5, 0, 3),
            || async {
                if calls.fetch_add(1, Ordering::SeqCst) == 0 {
                    let mut f = Failure::new(FailureKind::Status(503), "k", "later");
                    f.retry_after = Some(Duration::from_millis(40));
                    Err(f)
                } else {
                    Ok(())
                }
            },
            |_, d| delays.push(d),
        )
        .await;
        assert!(out.is_ok());
        assert_eq!(delays, [Duration::from_millis(40)]);

        let calls = AtomicU32::new(0);
        let out: Result<(), _> = run(
            policy(1, 5, 0, 3),
            || async {
                calls.fetch_add(1, Ordering::SeqCst);
                let mut f = Failure::new(FailureKind::Status(503), "k", "much later");
                f.retry_after = Some(Duration::from_secs(120));
                Err(f)
            },
            |_, _| {},
        )
        .await;
        assert!(out.is_err());
        assert_eq!(calls.load(Ordering::SeqCst), 1, "a Retry-After beyond the cap is not waited for");
    }
}
