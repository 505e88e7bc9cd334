//! The diagnostics screen's DTOs: chat latency histograms (buckets NOT
//! cumulative: each counts the observations in (previous le, le]; `le`
//! null is +Inf), retries per key and status, CePO fallbacks, tokens and
//! cost per day, and the embedding queue. Built from the gateway's metrics
//! snapshot and the library's status.

use serde::Serialize;
use ts_rs::TS;

use super::{Tier, count};

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LatencyBucket {
    pub le: Option<f64>,
    pub count: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LatencySeries {
    pub tier: Tier,
    pub model: String,
    pub buckets: Vec<LatencyBucket>,
    pub count: u32,
    pub sum_seconds: f64,
}

impl LatencySeries {
    /// From the gateway's cumulative histogram (Prometheus style) to one
    /// count per bucket, +Inf last. `None` for an unknown tier label.
    pub fn from_histogram(h: &gogga::gateway::LatencyHistogram) -> Option<LatencySeries> {
        let tier = match h.tier.as_str() {
            "free" => Tier::Free,
            "jive" => Tier::Jive,
            "jigga" => Tier::Jigga,
            _ => return None,
        };
        let mut buckets = Vec::with_capacity(h.bounds.len() + 1);
        let mut below = 0u64;
        for (bound, cumulative) in h.bounds.iter().zip(&h.cumulative) {
            buckets.push(LatencyBucket { le: Some(*bound), count: count(cumulative.saturating_sub(below)) });
            below = *cumulative;
        }
        buckets.push(LatencyBucket { le: None, count: count(h.count.saturating_sub(below)) });
        Some(LatencySeries {
            tier,
            model: h.model.clone(),
            buckets,
            count: count(h.count),
            sum_seconds: h.sum_seconds,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DayUsage {
    pub day: String,
    pub tokens_in: u32,
    pub tokens_out: u32,
    pub cost_usd: f64,
    pub cost_zar: f64,
}

impl From<&gogga::chat::DayUsage> for DayUsage {
    fn from(d: &gogga::chat::DayUsage) -> Self {
        DayUsage {
            day: d.day.clone(),
            tokens_in: count(d.tokens_in),
            tokens_out: count(d.tokens_out),
            cost_usd: d.cost_usd,
            cost_zar: d.cost_zar,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RetryCount {
    pub key_name: String,
    pub status_code: String,
    pub count: u32,
}

// The embedding queue in passages: pending = without a vector yet,
// running = embedding jobs queued or leased, failed = documents whose
// import failed, done = passages with a vector.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct QueueStats {
    pub pending: u32,
    pub running: u32,
    pub failed: u32,
    pub done: u32,
    pub chunks_per_sec: f64,
}

impl From<&gogga::LibraryStatus> for QueueStats {
    fn from(s: &gogga::LibraryStatus) -> Self {
        let pending = s.chunks_without_vectors.max(0) as u64;
        let embed_jobs = s.queue.iter().filter(|(kind, _)| kind == "embed").map(|(_, n)| *n).sum::<i64>();
        QueueStats {
            pending: count(pending),
            running: count(embed_jobs.max(0) as u64),
            failed: count(s.failed_documents.max(0) as u64),
            done: count((s.chunks.max(0) as u64).saturating_sub(pending)),
            chunks_per_sec: s.embed_rate.unwrap_or(0.0),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Metrics {
    pub since: String,
    pub latency: Vec<LatencySeries>,
    pub tokens_per_day: Vec<DayUsage>,
    pub retries: Vec<RetryCount>,
    pub cepo_fallbacks: u32,
    pub queue: QueueStats,
}

impl Metrics {
    /// Put the pieces together; `since` is when this process started
    /// counting (milliseconds since the Unix epoch).
    pub fn new(
        since_ms: i64,
        snapshot: &gogga::gateway::MetricsSnapshot,
        library: &gogga::LibraryStatus,
        tokens_per_day: Vec<DayUsage>,
    ) -> Metrics {
        Metrics {
            since: super::rfc3339(since_ms),
            latency: snapshot.latency.iter().filter_map(LatencySeries::from_histogram).collect(),
            tokens_per_day,
            retries: snapshot
                .retries
                .iter()
                .map(|(key, status, n)| RetryCount {
                    key_name: key.clone(),
                    status_code: status.clone(),
                    count: count(*n),
                })
                .collect(),
            cepo_fallbacks: count(snapshot.cepo_fallbacks),
            queue: library.into(),
        }
    }
}
