//! API keys: [`Secret`] (a key that never prints: Debug shows `***`, there
//! is no Display), the per-provider [`KeyRing`] of named keys used round
//! robin with a cool-down per key after a 429, the parsing of
//! `CEREBRAS_API_KEYS="key:name,key2:name2"`, and how long a 429 says to
//! wait (Retry-After, then `x-ratelimit-reset-*`, else the default).
//! Only key *names* leave this module in messages and metrics.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// A secret string (an API key). Its Debug output is `Secret(***)`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }
    /// The key itself, for the Authorization header only.
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// Parse `key:name,key2:name2` (a bare `key` is named `key1`, `key2`, …).
/// Errors name the entry's position, never its text.
pub(crate) fn parse_key_list(var: &str, text: &str) -> Result<Vec<(String, Secret)>> {
    let mut out = Vec::new();
    for (i, entry) in text.split(',').map(str::trim).enumerate() {
        let (key, name) = match entry.rsplit_once(':') {
            Some((k, n)) => (k.trim(), n.trim().to_owned()),
            None => (entry, format!("key{}", i + 1)),
        };
        if key.is_empty() || name.is_empty() {
            return Err(Error::config(format!("{var}: entry {} needs the form key:name", i + 1)));
        }
        if out.iter().any(|(n, _): &(String, Secret)| *n == name) {
            return Err(Error::config(format!("{var}: the name {name:?} is used twice")));
        }
        out.push((name, Secret::new(key)));
    }
    Ok(out)
}

/// A key handed out for one attempt.
#[derive(Debug, Clone)]
pub(crate) struct Lease {
    pub(crate) index: usize,
    pub(crate) name: String,
    pub(crate) secret: Option<Secret>,
}

/// Named keys of one provider with their cool-downs. A keyless provider has
/// one slot named `none` without a secret, so cool-downs work the same.
#[derive(Debug)]
pub(crate) struct KeyRing {
    slots: Vec<(String, Option<Secret>)>,
    next: AtomicUsize,
    ready_at: Mutex<Vec<Option<Instant>>>,
}

impl KeyRing {
    pub(crate) fn new(keys: Vec<(String, Secret)>, keyless: bool) -> KeyRing {
        let mut slots: Vec<(String, Option<Secret>)> = keys.into_iter().map(|(n, s)| (n, Some(s))).collect();
        if slots.is_empty() && keyless {
            slots.push(("none".into(), None));
        }
        let n = slots.len();
        KeyRing { slots, next: AtomicUsize::new(0), ready_at: Mutex::new(vec![None; n]) }
    }

    /// Whether any key (or the keyless slot) exists.
    pub(crate) fn is_usable(&self) -> bool {
        !self.slots.is_empty()
    }

    /// The key names, for status screens.
    pub(crate) fn names(&self) -> Vec<String> {
        self.slots.iter().map(|(n, _)| n.clone()).collect()
    }

    /// The next ready key, round robin; when every key cools, the one ready
    /// soonest and how long until it is. `None` if there is no key at all.
    pub(crate) fn acquire(&self, now: Instant) -> Option<(Lease, Duration)> {
        let n = self.slots.len();
        if n == 0 {
            return None;
        }
        let start = self.next.fetch_add(1, Ordering::Relaxed) % n;
        let ready_at = self.ready_at.lock().unwrap_or_else(PoisonError::into_inner);
        let mut soonest: Option<(usize, Instant)> = None;
        for offset in 0..n {
            let i = (start + offset) % n;
            match ready_at[i] {
                Some(t) if t > now => {
                    if soonest.is_none_or(|(_, s)| t < s) {
                        soonest = Some((i, t));
                    }
                }
                _ => return Some((self.lease(i), Duration::ZERO)),
            }
        }
        soonest.map(|(i, t)| (self.lease(i), t - now))
    }

    fn lease(&self, i: usize) -> Lease {
        let (name, secret) = &self.slots[i];
        Lease { index: i, name: name.clone(), secret: secret.clone() }
    }

    /// Rest key `index` until `until`.
    pub(crate) fn cool(&self, index: usize, until: Instant) {
        let mut ready_at = self.ready_at.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(slot) = ready_at.get_mut(index) {
            *slot = Some(slot.map_or(until, |t| t.max(until)));
        }
    }
}

/// `"1.5"` (seconds), `"20ms"`, `"6m0s"`, `"1h2m"` → a duration.
pub(crate) fn parse_duration(text: &str) -> Option<Duration> {
    let text = text.trim();
    if let Ok(secs) = text.parse::<f64>() {
        return (secs.is_finite() && secs >= 0.0).then(|| Duration::from_secs_f64(secs));
    }
    let mut total = 0.0;
    let mut rest = text;
    while !rest.is_empty() {
        let split = rest.find(|c: char| !(c.is_ascii_digit() || c == '.'))?;
        let (num, tail) = rest.split_at(split);
        let value: f64 = num.parse().ok()?;
        let unit_len = tail.find(|c: char| c.is_ascii_digit()).unwrap_or(tail.len());
        let (unit, tail) = tail.split_at(unit_len);
        total += value
            * match unit {
                "ms" => 0.001,
                "s" => 1.0,
                "m" => 60.0,
                "h" => 3600.0,
                _ => return None,
            };
        rest = tail;
    }
    Some(Duration::from_secs_f64(total))
}

/// `Retry-After` as seconds or as an HTTP date (RFC 9110 allows both; a
/// date in the past means "now").
fn retry_after(value: &str) -> Option<Duration> {
    parse_duration(value).or_else(|| {
        let at = httpdate::parse_http_date(value.trim()).ok()?;
        Some(at.duration_since(std::time::SystemTime::now()).unwrap_or(Duration::ZERO))
    })
}

/// How long a 429 (or a 503) asks us to wait: `Retry-After` (seconds or a
/// date); else the `x-ratelimit-reset-*` of a limit whose `remaining` is 0, or the
/// smallest reset when none says 0.
pub(crate) fn wait_from_headers(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(d) = text("retry-after").and_then(retry_after) {
        return Some(d);
    }
    let mut exhausted = None::<Duration>;
    let mut any = None::<Duration>;
    for (name, value) in headers {
        let Some(limit) = name.as_str().strip_prefix("x-ratelimit-reset-") else { continue };
        let Some(d) = value.to_str().ok().and_then(parse_duration) else { continue };
        any = Some(any.map_or(d, |a| a.min(d)));
        let remaining =
            text(&format!("x-ratelimit-remaining-{limit}")).and_then(|v| v.trim().parse::<f64>().ok());
        if remaining == Some(0.0) {
            exhausted = Some(exhausted.map_or(d, |a| a.min(d)));
        }
    }
    exhausted.or(any)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ring(names: &[&str]) -> KeyRing {
        KeyRing::new(names.iter().map(|n| ((*n).to_owned(), Secret::new(format!("sk-{n}")))).collect(), false)
    }

    #[test]
    fn round_robin_skips_cooling_keys_and_falls_back_to_the_soonest() {
        let now = Instant::now();
        let r = ring(&["a", "b", "c"]);
        let names: Vec<String> = (0..4).map(|_| r.acquire(now).unwrap().0.name).collect();
        assert_eq!(names, ["a", "b", "c", "a"]);
        r.cool(1, now + Duration::from_secs(65));
        let names: Vec<String> = (0..4).map(|_| r.acquire(now).unwrap().0.name).collect();
        assert!(!names.contains(&"b".to_owned()), "{names:?}");
        r.cool(0, now + Duration::from_secs(30));
        r.cool(2, now + Duration::from_secs(10));
        let (lease, wait) = r.acquire(now).unwrap();
        assert_eq!((lease.name.as_str(), wait), ("c", Duration::from_secs(10)));
        let (lease, wait) = r.acquire(now + Duration::from_secs(11)).unwrap();
        assert_eq!((lease.name.as_str(), wait), ("c", Duration::ZERO), "c is ready again");
    }

    #[test]
    fn keyless_has_one_anonymous_slot_and_empty_has_none() {
        let r = KeyRing::new(vec![], true);
        let (lease, _) = r.acquire(Instant::now()).unwrap();
        assert_eq!((lease.name.as_str(), lease.secret.is_none()), ("none", true));
        assert!(KeyRing::new(vec![], false).acquire(Instant::now()).is_none());
    }

    #[test]
    fn key_lists_parse_and_errors_never_show_the_key() {
        let keys = parse_key_list("K", "csk-1:main, csk-2:backup").unwrap();
        assert_eq!(keys.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>(), ["main", "backup"]);
        assert_eq!(keys[1].1.expose(), "csk-2");
        assert_eq!(parse_key_list("K", "csk-9").unwrap()[0].0, "key1");
        let err = parse_key_list("K", "csk-secret:a,:b").unwrap_err().to_string();
        assert!(err.contains("entry 2") && !err.contains("csk-secret"), "{err}");
        let err = parse_key_list("K", "csk-secret:a,csk-other:a").unwrap_err().to_string();
        assert!(!err.contains("csk-"), "{err}");
    }

    #[test]
    fn secrets_never_print() {
        let s = Secret::new("csk-very-secret");
        assert_eq!(format!("{s:?}"), "Secret(***)");
        let lease = Lease { index: 0, name: "main".into(), secret: Some(s) };
        assert!(!format!("{lease:?}").contains("very-secret"));
    }

    #[test]
    fn retry_after_may_be_an_http_date() {
        use reqwest::header::{HeaderMap, HeaderValue};
        let at = |secs_from_now: i64| {
            let now = std::time::SystemTime::now();
            let t = if secs_from_now >= 0 {
                now + Duration::from_secs(secs_from_now as u64)
            } else {
                now - Duration::from_secs(secs_from_now.unsigned_abs())
            };
            let mut m = HeaderMap::new();
            m.insert("retry-after", HeaderValue::from_str(&httpdate::fmt_http_date(t)).unwrap());
            wait_from_headers(&m)
        };
        // Second resolution: 30 s from now is 29 to 30 s away.
        let wait = at(30).unwrap();
        assert!((29.0..=30.0).contains(&wait.as_secs_f64()), "{wait:?}");
        assert_eq!(at(-120), Some(Duration::ZERO), "a date in the past means now");
        let mut m = HeaderMap::new();
        m.insert("retry-after", HeaderValue::from_static("Someday, maybe"));
        m.insert("x-ratelimit-reset-tokens-minute", HeaderValue::from_static("12"));
        assert_eq!(wait_from_headers(&m), Some(Duration::from_secs(12)), "garbage falls through");
    }

    #[test]
    fn waits_come_from_retry_after_then_reset_headers() {
        use reqwest::header::{HeaderMap, HeaderValue};
        let h = |pairs: &[(&'static str, &'static str)]| {
            let mut m = HeaderMap::new();
            for (k, v) in pairs {
                m.insert(*k, HeaderValue::from_static(v));
            }
            m
        };
        type Case = (&'static [(&'static str, &'static str)], Option<f64>);
        let cases: &[Case] = &[
            (&[("retry-after", "7")], Some(7.0)),
            (&[("retry-after", "2"), ("x-ratelimit-reset-tokens-minute", "30")], Some(2.0)),
            (
                &[("x-ratelimit-reset-requests-day", "33011.5"), ("x-ratelimit-reset-tokens-minute", "11.5")],
                Some(11.5),
            ),
            (
                &[
                    ("x-ratelimit-reset-requests-day", "33011.5"),
                    ("x-ratelimit-remaining-requests-day", "0"),
                    ("x-ratelimit-reset-tokens-minute", "11.5"),
                    ("x-ratelimit-remaining-tokens-minute", "900"),
                ],
                Some(33011.5),
            ),
            (&[("x-ratelimit-reset-requests", "6m0s")], Some(360.0)),
            (&[("retry-after", "Wed, 21 Oct 2015 07:28:00 GMT")], Some(0.0)), // a past date: now
            (&[], None),
        ];
        for (headers, want) in cases {
            assert_eq!(wait_from_headers(&h(headers)).map(|d| d.as_secs_f64()), *want, "{headers:?}");
        }
        assert_eq!(parse_duration("20ms"), Some(Duration::from_millis(20)));
        assert_eq!(parse_duration("1h2m"), Some(Duration::from_secs(3720)));
        assert_eq!(parse_duration("-1"), None);
        assert_eq!(parse_duration("5x"), None);
    }
}
