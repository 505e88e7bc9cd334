//! Progress of the background work: files ingested and chunks embedded
//! out of how many, and the embedding rate (smoothed) with an ETA. Counters
//! run from the moment work appears until the queue is empty again; each
//! change is an [`Event::IndexProgress`]. The leader also records its rate
//! in the store so `gogga status` in another process can show it.

use std::time::Duration;

use crate::event::Event;
use crate::store::now_ms;

use super::library::{Library, Progress, lock};
use super::worker::{EMBED, INGEST};

/// Meta key where the leader records its embedding rate.
pub(crate) const RATE_KEY: &str = "library.embed_rate";

fn queued(lib: &Library, kind: &str) -> u64 {
    lib.store
        .queue_depth()
        .ok()
        .and_then(|q| q.into_iter().find(|(k, _)| k == kind))
        .map_or(0, |(_, n)| n as u64)
}

fn emit(lib: &Library, p: &Progress) {
    let remaining = p.chunks_total.saturating_sub(p.chunks_done) as f64;
    lib.events.emit(Event::IndexProgress {
        files_done: p.files_done,
        files_total: p.files_total,
        files_failed: p.files_failed,
        chunks_done: p.chunks_done,
        chunks_total: p.chunks_total,
        chunks_per_sec: p.rate,
        eta_secs: (p.rate > 0.0).then(|| remaining / p.rate),
    });
}

/// `n` more files went through the pipeline, `failed` of them failed.
pub(crate) fn files_done(lib: &Library, n: u64, failed: u64) {
    let waiting = queued(lib, INGEST);
    let snapshot = {
        let mut p = lock(&lib.progress);
        p.files_done += n;
        p.files_failed += failed;
        p.files_total = p.files_done + waiting;
        p.clone()
    };
    emit(lib, &snapshot);
}

/// `n` more chunks got vectors in `took`; `missing` are still waiting.
pub(crate) fn chunks_done(lib: &Library, n: u64, took: Duration, missing: u64) {
    let snapshot = {
        let mut p = lock(&lib.progress);
        p.chunks_done += n;
        p.chunks_total = p.chunks_done + missing;
        let secs = took.as_secs_f64();
        if n > 0 && secs > 0.0 {
            let now = n as f64 / secs;
            p.rate = if p.rate == 0.0 { now } else { 0.7 * p.rate + 0.3 * now };
        }
        p.clone()
    };
    // Recorded for other processes at most every 2 s (each is a commit).
    let due = {
        let mut p = lock(&lib.progress);
        let due = p.rate_saved_at.is_none_or(|t| t.elapsed() >= Duration::from_secs(2));
        if due {
            p.rate_saved_at = Some(std::time::Instant::now());
        }
        due
    };
    if due {
        let _best_effort = lib.store.set_meta(RATE_KEY, &format!("{:.2} {}", snapshot.rate, now_ms()));
    }
    emit(lib, &snapshot);
}

/// The queue is empty: the next burst of work counts from zero; the run
/// that ended is kept (and announced) so screens can say "done".
pub(crate) fn idle(lib: &Library) {
    if queued(lib, INGEST) == 0 && queued(lib, EMBED) == 0 {
        let ended = {
            let mut p = lock(&lib.progress);
            if p.files_total > 0 || p.chunks_total > 0 {
                let mut ended = std::mem::take(&mut *p);
                ended.last_run = None;
                *p = Progress {
                    rate: ended.rate,
                    rate_saved_at: ended.rate_saved_at,
                    last_run: Some(Box::new(ended.clone())),
                    ..Progress::default()
                };
                Some(ended)
            } else {
                None
            }
        };
        if let Some(e) = ended {
            lib.events.emit(Event::IndexIdle {
                files_done: e.files_done,
                files_total: e.files_total,
                files_failed: e.files_failed,
                chunks_done: e.chunks_done,
                chunks_total: e.chunks_total,
            });
        }
    }
}

/// The current run (running) or else the last one that ended (not running).
pub(crate) fn snapshot(lib: &Library) -> (bool, Progress) {
    let p = lock(&lib.progress);
    let running = p.files_total > 0 || p.chunks_total > 0;
    match (&p.last_run, running) {
        (Some(last), false) => (false, (**last).clone()),
        _ => (running, Progress { last_run: None, ..p.clone() }),
    }
}

/// The last recorded embedding rate, if recorded in the last minute.
pub(crate) fn recorded_rate(lib: &Library) -> Option<f64> {
    let value = lib.store.meta(RATE_KEY).ok()??;
    let (rate, at) = value.split_once(' ')?;
    let at: i64 = at.parse().ok()?;
    (now_ms() - at < 60_000).then(|| rate.parse().ok()).flatten()
}

/// A chunks-per-second estimate from successive "done" counts.
#[derive(Debug, Default)]
pub(crate) struct Rate {
    last: Option<(u64, std::time::Instant)>,
    rate: f64,
}

impl Rate {
    /// Feed the running total; returns the smoothed rate.
    pub(crate) fn update(&mut self, done: u64) -> f64 {
        let now = std::time::Instant::now();
        if let Some((before, at)) = self.last {
            let secs = now.duration_since(at).as_secs_f64();
            if secs > 0.0 && done >= before {
                let r = (done - before) as f64 / secs;
                self.rate = if self.rate == 0.0 { r } else { 0.8 * self.rate + 0.2 * r };
            }
        }
        self.last = Some((done, now));
        self.rate
    }
}
