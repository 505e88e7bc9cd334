//! The one mechanism for running work off the caller: [`blocking`] moves
//! blocking work (SQLite, tantivy, embeddings, file reads) to tokio's
//! blocking pool so the async executor never stalls, [`task`] starts an
//! async task, [`thread`] starts a named OS thread for long-lived workers,
//! and [`join`] / [`map_parts`] split one short piece of blocking work over
//! a small persistent pool, one thread per core plus one (a search's BM25
//! and vector scan at once; the scan itself in parts). Everything else in
//! the crate goes through these (clippy.toml forbids the raw calls), so
//! panics become errors in one place.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::OnceLock;

use crate::error::{Error, Result};

/// Run blocking `f` on the blocking pool and await its result. A panic in
/// `f` becomes an `Internal` error instead of tearing the caller down.
#[expect(clippy::disallowed_methods, reason = "this is the one sanctioned wrapper")]
pub async fn blocking<T, F>(f: F) -> Result<T>
where
    F: FnOnce() -> Result<T> + Send + 'static,
    T: Send + 'static,
{
    match tokio::task::spawn_blocking(f).await {
        Ok(result) => result,
        Err(join) => Err(Error::internal(format!("background work failed: {join}"))),
    }
}

/// Start an async task on the current runtime.
#[expect(clippy::disallowed_methods, reason = "this is the one sanctioned wrapper")]
pub fn task<F>(future: F) -> tokio::task::JoinHandle<F::Output>
where
    F: std::future::Future + Send + 'static,
    F::Output: Send + 'static,
{
    tokio::spawn(future)
}

/// Start a named OS thread for a long-lived worker (embedding, watching).
pub fn thread<F>(name: &str, f: F) -> Result<std::thread::JoinHandle<()>>
where
    F: FnOnce() + Send + 'static,
{
    std::thread::Builder::new()
        .name(name.to_owned())
        .spawn(f)
        .map_err(|e| Error::io(format!("starting thread {name}"), e))
}

/// How much lower than its starter a [`background_thread`] runs (nice
/// steps, capped at 19). Under contention the scheduler then gives a search
/// or a chat turn about ten times an import thread's share of a core
/// (weights 1024 vs 110); with nothing else to run, an import is as fast.
const BACKGROUND_NICE: i32 = 10;

/// As [`thread`], for long-lived background work (importing, embedding,
/// indexing) that must not slow what the user waits for: the thread runs
/// at a lower priority, and so do the threads it starts (ONNX Runtime's
/// and tantivy's pools inherit it). Measured: BENCHMARKS.md, "Search
/// latency" (searching while an import runs).
pub fn background_thread<F>(name: &str, f: F) -> Result<std::thread::JoinHandle<()>>
where
    F: FnOnce() + Send + 'static,
{
    thread(name, move || {
        lower_priority();
        f()
    })
}

/// Lower the calling thread's priority by [`BACKGROUND_NICE`]; a failure
/// leaves it as it was (the work still runs, only less politely).
fn lower_priority() {
    // Linux keeps the nice value per thread: `None` is the calling thread
    // alone, and threads it starts inherit it. Elsewhere this would change
    // the whole process, so it is not done.
    #[cfg(target_os = "linux")]
    {
        use rustix::process::{getpriority_process, setpriority_process};
        let lower = getpriority_process(None)
            .and_then(|now| setpriority_process(None, (now + BACKGROUND_NICE).min(19)));
        if let Err(e) = lower {
            tracing::debug!(error = %e, "could not lower a background thread's priority");
        }
    }
}

/// How many threads can run at once here (cached: the standard library
/// reads cgroup files on every call, tens of microseconds).
pub fn cores() -> usize {
    static CORES: OnceLock<usize> = OnceLock::new();
    *CORES.get_or_init(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

/// The threads [`join`] and [`map_parts`] run on: one per core plus one,
/// started on first use and kept. Starting a thread per search cost ~50 µs
/// each on the 2-core test machine (twice per hybrid search); waking a
/// parked one costs a fraction of that. The extra thread: a hybrid search
/// runs BM25 beside a vector scan that wants every core, and BM25 cannot be
/// split; with one thread per core a long BM25 query left the scan a
/// single core until it finished (the chat question got slower), with one
/// more the system shares the cores between them. `None` if the threads
/// could not be started.
fn pool() -> Option<&'static rayon_core::ThreadPool> {
    static POOL: OnceLock<Option<rayon_core::ThreadPool>> = OnceLock::new();
    POOL.get_or_init(|| {
        rayon_core::ThreadPoolBuilder::new()
            .num_threads(cores() + 1)
            .thread_name(|i| format!("gogga-part-{i}"))
            .build()
            .ok()
    })
    .as_ref()
}

/// Run `a` and `b` at the same time on the pool's threads (the caller
/// waits) and return both results: the latency is the slower of the two
/// instead of their sum. For work of a millisecond or less per half, not
/// for long jobs (they would hold the pool). A panic in either becomes an
/// `Internal` error once both have finished. Without a pool both run here,
/// one after the other.
pub fn join<A, B, RA, RB>(a: A, b: B) -> Result<(RA, RB)>
where
    A: FnOnce() -> RA + Send,
    B: FnOnce() -> RB + Send,
    RA: Send,
    RB: Send,
{
    let a = move || catch_unwind(AssertUnwindSafe(a));
    let b = move || catch_unwind(AssertUnwindSafe(b));
    let (ra, rb) = match pool() {
        Some(pool) => pool.join(a, b),
        None => (a(), b()),
    };
    match (ra, rb) {
        (Ok(ra), Ok(rb)) => Ok((ra, rb)),
        _ => Err(panicked()),
    }
}

/// `f` applied to every part at once on the pool's threads (the caller
/// waits), results in the parts' order. A panic in any part becomes an
/// `Internal` error once all have finished; without a pool, an `Io` error
/// (the caller can then do the work itself).
pub fn map_parts<T, R, F>(parts: Vec<T>, f: F) -> Result<Vec<R>>
where
    T: Send,
    R: Send,
    F: Fn(T) -> R + Sync,
{
    let pool = pool().ok_or_else(|| {
        Error::io("starting the search threads", std::io::Error::other("the thread pool did not start"))
    })?;
    let f = &f;
    let mut slots: Vec<Option<std::thread::Result<R>>> = parts.iter().map(|_| None).collect();
    pool.scope(|s| {
        for (slot, part) in slots.iter_mut().zip(parts) {
            s.spawn(move |_| *slot = Some(catch_unwind(AssertUnwindSafe(|| f(part)))));
        }
    });
    slots
        .into_iter()
        .map(|slot| match slot {
            Some(Ok(r)) => Ok(r),
            _ => Err(panicked()),
        })
        .collect()
}

fn panicked() -> Error {
    Error::internal("parallel work panicked")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn join_runs_both_and_turns_panics_into_errors() {
        // Both halves wait for each other: this only returns if they run
        // at the same time, on two threads.
        let met = std::sync::Barrier::new(2);
        let (a, b) = join(
            || {
                met.wait();
                std::thread::current().id()
            },
            || {
                met.wait();
                std::thread::current().id()
            },
        )
        .unwrap();
        assert_ne!(a, b);
        let left = join(|| panic!("left"), || 1);
        assert!(matches!(left, Err(e) if e.kind() == crate::ErrorKind::Internal));
        let right = join(|| 1, || -> i32 { panic!("right") });
        assert!(matches!(right, Err(e) if e.kind() == crate::ErrorKind::Internal));
    }

    #[test]
    fn map_parts_keeps_the_order_and_borrows_from_the_caller() {
        let data: Vec<u64> = (0..1000).collect();
        let parts: Vec<&[u64]> = data.chunks(300).collect();
        let sums = map_parts(parts, |p| p.iter().sum::<u64>()).unwrap();
        assert_eq!(sums, vec![44850, 134850, 224850, 94950]);
        assert!(map_parts(Vec::<u8>::new(), |_| 0).unwrap().is_empty());
        let err = map_parts(vec![1, 2, 3], |x| if x == 3 { panic!("three") } else { x });
        assert!(matches!(err, Err(e) if e.kind() == crate::ErrorKind::Internal));
        assert!(cores() >= 1);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_background_thread_and_the_threads_it_starts_run_at_a_lower_priority() {
        use rustix::process::getpriority_process;
        let here = getpriority_process(None).unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        background_thread("test-background", move || {
            let own = getpriority_process(None).unwrap();
            let (ctx, crx) = std::sync::mpsc::channel();
            let started = thread("test-child", move || ctx.send(getpriority_process(None).unwrap()).unwrap());
            started.unwrap().join().unwrap();
            tx.send((own, crx.recv().unwrap())).unwrap();
        })
        .unwrap()
        .join()
        .unwrap();
        let (own, child) = rx.recv().unwrap();
        assert_eq!(own, (here + BACKGROUND_NICE).min(19));
        assert_eq!(child, own, "threads it starts inherit it");
        // Only that thread: this one is as it was.
        assert_eq!(getpriority_process(None).unwrap(), here);
    }

    #[tokio::test]
    async fn blocking_returns_value_and_turns_panics_into_errors() {
        assert_eq!(blocking(|| Ok(41 + 1)).await.ok(), Some(42));
        let err = blocking::<(), _>(|| panic!("kaboom")).await;
        assert!(matches!(err, Err(e) if e.kind() == crate::ErrorKind::Internal));
    }
}
