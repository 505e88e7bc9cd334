//! The gateway's Prometheus metrics, rendered in the text exposition format
//! (0.0.4) by [`Metrics::render`]. Names and label sets are a contract with
//! dashboards and are tested exactly:
//!
//! - `gogga_chat_latency_seconds{tier,model}` histogram, buckets 0.5 1 2 5 10 30 60
//!   (start of the call to its end, successful calls);
//! - `gogga_time_to_first_token_seconds{tier,model}` histogram, buckets
//!   0.1 0.25 0.5 1 2 5 10;
//! - `gogga_cerebras_retries_total{key_name,status_code}` counter (every
//!   provider's retries: Cerebras is the default and the name is kept from
//!   the original platform; `status_code` is the HTTP status or `connect`,
//!   `timeout`, `broken`);
//! - `gogga_cepo_fallbacks_total` counter;
//! - `gogga_tokens_total{tier,direction}` counter, direction `input`/`output`;
//! - `gogga_circuit_state{provider}` gauge, 0 closed, 1 open, 2 half-open;
//! - `gogga_chat_cancelled_total`, `gogga_idempotent_hits_total`,
//!   `gogga_chat_errors_total{code}` counters.
//!
//! Key names appear here; keys never do.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use serde::Serialize;

use crate::router::Tier;

const LATENCY_BUCKETS: [f64; 7] = [0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0];
const TTFT_BUCKETS: [f64; 7] = [0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0];

/// The tier as a label value.
pub(crate) fn tier_label(tier: Tier) -> &'static str {
    match tier {
        Tier::Free => "free",
        Tier::Jive => "jive",
        Tier::Jigga => "jigga",
    }
}

#[derive(Debug, Clone)]
struct Histogram {
    bounds: &'static [f64],
    counts: Vec<u64>,
    sum: f64,
    count: u64,
}

impl Histogram {
    fn new(bounds: &'static [f64]) -> Histogram {
        Histogram { bounds, counts: vec![0; bounds.len()], sum: 0.0, count: 0 }
    }
    fn observe(&mut self, v: f64) {
        for (i, b) in self.bounds.iter().enumerate() {
            if v <= *b {
                self.counts[i] += 1;
            }
        }
        self.sum += v;
        self.count += 1;
    }
}

type Labels = (String, String);

/// Histograms by tier label, then model: looked up with borrowed labels, so
/// observing allocates only for a model seen for the first time.
type ByTierModel = BTreeMap<&'static str, BTreeMap<String, Histogram>>;

fn observe(map: &Mutex<ByTierModel>, bounds: &'static [f64], tier: Tier, model: &str, d: Duration) {
    let mut map = lock(map);
    let models = map.entry(tier_label(tier)).or_default();
    let h = match models.get_mut(model) {
        Some(h) => h,
        None => models.entry(model.to_owned()).or_insert_with(|| Histogram::new(bounds)),
    };
    h.observe(d.as_secs_f64());
}

/// A copy of the chat latency histograms and retry counters.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MetricsSnapshot {
    pub latency: Vec<LatencyHistogram>,
    /// (key name, status label, count).
    pub retries: Vec<(String, String, u64)>,
    pub cepo_fallbacks: u64,
}

/// `gogga_chat_latency_seconds` of one (tier, model).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LatencyHistogram {
    /// The tier label (`free`, `jive`, `jigga`).
    pub tier: String,
    pub model: String,
    /// Upper bounds in seconds (+Inf is implied, its count is `count`).
    pub bounds: Vec<f64>,
    /// Observations at or below each bound (cumulative, as Prometheus).
    pub cumulative: Vec<u64>,
    pub count: u64,
    pub sum_seconds: f64,
}

/// All gateway metrics of one process.
#[derive(Debug, Default)]
pub struct Metrics {
    latency: Mutex<ByTierModel>,
    ttft: Mutex<ByTierModel>,
    retries: Mutex<BTreeMap<Labels, u64>>,
    tokens: Mutex<BTreeMap<(&'static str, &'static str), u64>>,
    errors: Mutex<BTreeMap<String, u64>>,
    circuits: Mutex<BTreeMap<String, u8>>,
    cepo_fallbacks: AtomicU64,
    cancelled: AtomicU64,
    idempotent_hits: AtomicU64,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

fn escape(v: &str) -> String {
    v.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
}

impl Metrics {
    pub(crate) fn observe_latency(&self, tier: Tier, model: &str, d: Duration) {
        observe(&self.latency, &LATENCY_BUCKETS, tier, model, d);
    }
    pub(crate) fn observe_ttft(&self, tier: Tier, model: &str, d: Duration) {
        observe(&self.ttft, &TTFT_BUCKETS, tier, model, d);
    }
    pub(crate) fn retry(&self, key_name: &str, status: &str) {
        *lock(&self.retries).entry((key_name.into(), status.into())).or_default() += 1;
    }
    pub(crate) fn tokens(&self, tier: Tier, input: u32, output: u32) {
        let mut t = lock(&self.tokens);
        *t.entry((tier_label(tier), "input")).or_default() += u64::from(input);
        *t.entry((tier_label(tier), "output")).or_default() += u64::from(output);
    }
    pub(crate) fn error(&self, code: &str) {
        *lock(&self.errors).entry(code.into()).or_default() += 1;
    }
    /// Called on every attempt: an update in place, no allocation.
    pub(crate) fn circuit(&self, provider: &str, state: u8) {
        let mut circuits = lock(&self.circuits);
        match circuits.get_mut(provider) {
            Some(s) => *s = state,
            None => {
                circuits.insert(provider.to_owned(), state);
            }
        }
    }
    pub(crate) fn cepo_fallback(&self) {
        self.cepo_fallbacks.fetch_add(1, Ordering::Relaxed);
    }
    pub(crate) fn cancelled(&self) {
        self.cancelled.fetch_add(1, Ordering::Relaxed);
    }
    pub(crate) fn idempotent_hit(&self) {
        self.idempotent_hits.fetch_add(1, Ordering::Relaxed);
    }

    /// CePO fallbacks so far.
    pub fn cepo_fallbacks(&self) -> u64 {
        self.cepo_fallbacks.load(Ordering::Relaxed)
    }

    /// Retries so far for (key name, status label).
    pub fn retries(&self, key_name: &str, status: &str) -> u64 {
        lock(&self.retries).get(&(key_name.to_owned(), status.to_owned())).copied().unwrap_or(0)
    }

    /// Cancelled calls so far.
    pub fn cancellations(&self) -> u64 {
        self.cancelled.load(Ordering::Relaxed)
    }

    /// The numbers the diagnostics screen charts (a copy; counting goes on).
    pub fn snapshot(&self) -> MetricsSnapshot {
        let latency = lock(&self.latency)
            .iter()
            .flat_map(|(tier, models)| models.iter().map(move |(model, h)| (*tier, model, h)))
            .map(|(tier, model, h)| LatencyHistogram {
                tier: tier.to_owned(),
                model: model.clone(),
                bounds: h.bounds.to_vec(),
                cumulative: h.counts.clone(),
                count: h.count,
                sum_seconds: h.sum,
            })
            .collect();
        let retries = lock(&self.retries).iter().map(|((k, s), n)| (k.clone(), s.clone(), *n)).collect();
        MetricsSnapshot { latency, retries, cepo_fallbacks: self.cepo_fallbacks() }
    }

    /// Everything, in Prometheus text format.
    pub fn render(&self) -> String {
        let mut out = String::with_capacity(4096);
        histograms(
            &mut out,
            "gogga_chat_latency_seconds",
            "Chat response latency",
            ["tier", "model"],
            &lock(&self.latency),
        );
        histograms(
            &mut out,
            "gogga_time_to_first_token_seconds",
            "Time from the start of a chat call to its first token",
            ["tier", "model"],
            &lock(&self.ttft),
        );
        header(
            &mut out,
            "gogga_cerebras_retries_total",
            "Upstream retries by key name and status",
            "counter",
        );
        for ((k, s), v) in lock(&self.retries).iter() {
            let _ = writeln!(
                out,
                "gogga_cerebras_retries_total{{key_name=\"{}\",status_code=\"{}\"}} {v}",
                escape(k),
                escape(s)
            );
        }
        header(&mut out, "gogga_cepo_fallbacks_total", "CePO to direct fallbacks", "counter");
        let _ = writeln!(out, "gogga_cepo_fallbacks_total {}", self.cepo_fallbacks());
        header(&mut out, "gogga_tokens_total", "Token consumption", "counter");
        for ((t, d), v) in lock(&self.tokens).iter() {
            let _ =
                writeln!(out, "gogga_tokens_total{{tier=\"{}\",direction=\"{}\"}} {v}", escape(t), escape(d));
        }
        header(
            &mut out,
            "gogga_circuit_state",
            "Circuit breaker per provider: 0 closed, 1 open, 2 half-open",
            "gauge",
        );
        for (p, v) in lock(&self.circuits).iter() {
            let _ = writeln!(out, "gogga_circuit_state{{provider=\"{}\"}} {v}", escape(p));
        }
        header(&mut out, "gogga_chat_cancelled_total", "Chat calls stopped by the user", "counter");
        let _ = writeln!(out, "gogga_chat_cancelled_total {}", self.cancellations());
        header(
            &mut out,
            "gogga_idempotent_hits_total",
            "Duplicate requests answered from a shared call",
            "counter",
        );
        let _ = writeln!(out, "gogga_idempotent_hits_total {}", self.idempotent_hits.load(Ordering::Relaxed));
        header(&mut out, "gogga_chat_errors_total", "Failed chat calls by error code", "counter");
        for (c, v) in lock(&self.errors).iter() {
            let _ = writeln!(out, "gogga_chat_errors_total{{code=\"{}\"}} {v}", escape(c));
        }
        out
    }
}

fn header(out: &mut String, name: &str, help: &str, kind: &str) {
    let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
}

fn number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 { format!("{v:.1}") } else { format!("{v}") }
}

fn histograms(out: &mut String, name: &str, help: &str, labels: [&str; 2], hs: &ByTierModel) {
    header(out, name, help, "histogram");
    for (a, b, h) in hs.iter().flat_map(|(a, models)| models.iter().map(move |(b, h)| (*a, b, h))) {
        let l = format!("{}=\"{}\",{}=\"{}\"", labels[0], escape(a), labels[1], escape(b));
        for (bound, count) in h.bounds.iter().zip(&h.counts) {
            let le = if bound.fract() == 0.0 { format!("{bound:.0}") } else { format!("{bound}") };
            let _ = writeln!(out, "{name}_bucket{{{l},le=\"{le}\"}} {count}");
        }
        let _ = writeln!(out, "{name}_bucket{{{l},le=\"+Inf\"}} {}", h.count);
        let _ = writeln!(out, "{name}_sum{{{l}}} {}", number(h.sum));
        let _ = writeln!(out, "{name}_count{{{l}}} {}", h.count);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histogram_buckets_are_cumulative_and_labels_escaped() {
        let m = Metrics::default();
        m.observe_latency(Tier::Jive, "qwen \"32b\"", Duration::from_millis(700));
        m.observe_latency(Tier::Jive, "qwen \"32b\"", Duration::from_secs(40));
        let text = m.render();
        let l = r#"tier="jive",model="qwen \"32b\"""#;
        for (le, n) in [("0.5", 0), ("1", 1), ("30", 1), ("60", 2), ("+Inf", 2)] {
            let line = format!("gogga_chat_latency_seconds_bucket{{{l},le=\"{le}\"}} {n}");
            assert!(text.contains(&line), "missing {line}\n{text}");
        }
        assert!(text.contains(&format!("gogga_chat_latency_seconds_count{{{l}}} 2")));
        assert!(text.contains("# TYPE gogga_chat_latency_seconds histogram"));
        assert!(text.contains("gogga_cepo_fallbacks_total 0"));
    }

    #[test]
    fn snapshot_copies_histograms_and_retries() {
        let m = Metrics::default();
        m.observe_latency(Tier::Jive, "fast", Duration::from_millis(700));
        m.observe_latency(Tier::Jive, "fast", Duration::from_secs(40));
        m.retry("main", "429");
        m.retry("main", "429");
        m.cepo_fallback();
        let s = m.snapshot();
        assert_eq!(s.latency.len(), 1);
        let h = &s.latency[0];
        assert_eq!((h.tier.as_str(), h.model.as_str(), h.count), ("jive", "fast", 2));
        assert_eq!(h.cumulative, vec![0, 1, 1, 1, 1, 1, 2]);
        assert!((h.sum_seconds - 40.7).abs() < 1e-9);
        assert_eq!(s.retries, vec![("main".to_owned(), "429".to_owned(), 2)]);
        assert_eq!(s.cepo_fallbacks, 1);
    }
}
