//! The one mechanism for running work off the caller: [`blocking`] moves
//! blocking work (SQLite, tantivy, embeddings, file reads) to tokio's
//! blocking pool so the async executor never stalls, [`task`] starts an
//! async task, [`thread`] starts a named OS thread for long-lived workers,
//! and [`join`] / [`map_parts`] split one short piece of blocking work over
//! scoped threads (a search's BM25 and vector scan at once; the scan itself
//! in parts). Everything else in the crate goes through these (clippy.toml
//! forbids the raw calls), so panics become errors in one place.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::OnceLock;
use std::thread::{Scope, ScopedJoinHandle};

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

/// How many threads can run at once here (cached: the standard library
/// reads cgroup files on every call, tens of microseconds).
pub fn cores() -> usize {
    static CORES: OnceLock<usize> = OnceLock::new();
    *CORES.get_or_init(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

/// Run `a` on the calling thread and `b` on a scoped thread at the same
/// time, and return both results: the latency is the slower of the two
/// instead of their sum. Starting the thread costs tens of microseconds,
/// so this is for work of a millisecond or more. A panic in either becomes
/// an `Internal` error once both have finished; a thread that cannot be
/// started is an `Io` error.
pub fn join<A, B, RA, RB>(a: A, b: B) -> Result<(RA, RB)>
where
    A: FnOnce() -> RA,
    B: FnOnce() -> RB + Send,
    RB: Send,
{
    std::thread::scope(|s| {
        let handle = start(s, b)?;
        let ra = catch_unwind(AssertUnwindSafe(a));
        match (ra, handle.join()) {
            (Ok(ra), Ok(rb)) => Ok((ra, rb)),
            _ => Err(panicked()),
        }
    })
}

/// `f` applied to every part at once (the first part on the caller, each
/// other one on a scoped thread), results in the parts' order. The same
/// error handling as [`join`].
pub fn map_parts<T, R, F>(parts: Vec<T>, f: F) -> Result<Vec<R>>
where
    T: Send,
    R: Send,
    F: Fn(T) -> R + Sync,
{
    let f = &f;
    std::thread::scope(|s| {
        let mut parts = parts.into_iter();
        let Some(first) = parts.next() else { return Ok(Vec::new()) };
        // Started before any `?` can return: the scope joins what did start.
        let others: Vec<Result<ScopedJoinHandle<'_, R>>> = parts.map(|p| start(s, move || f(p))).collect();
        let mine = catch_unwind(AssertUnwindSafe(|| f(first)));
        let mut out = Vec::with_capacity(others.len() + 1);
        out.push(mine.map_err(|_| panicked()));
        for handle in others {
            out.push(handle.and_then(|h| h.join().map_err(|_| panicked())));
        }
        out.into_iter().collect()
    })
}

fn start<'scope, R, F>(s: &'scope Scope<'scope, '_>, f: F) -> Result<ScopedJoinHandle<'scope, R>>
where
    F: FnOnce() -> R + Send + 'scope,
    R: Send + 'scope,
{
    std::thread::Builder::new()
        .name("gogga-part".to_owned())
        .spawn_scoped(s, f)
        .map_err(|e| Error::io("starting a scoped thread", e))
}

fn panicked() -> Error {
    Error::internal("parallel work panicked")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn join_runs_both_and_turns_panics_into_errors() {
        let here = std::thread::current().id();
        let (a, b) = join(|| std::thread::current().id(), || std::thread::current().id()).unwrap();
        assert_eq!(a, here);
        assert_ne!(b, here, "the second closure runs on another thread");
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

    #[tokio::test]
    async fn blocking_returns_value_and_turns_panics_into_errors() {
        assert_eq!(blocking(|| Ok(41 + 1)).await.ok(), Some(42));
        let err = blocking::<(), _>(|| panic!("kaboom")).await;
        assert!(matches!(err, Err(e) if e.kind() == crate::ErrorKind::Internal));
    }
}
