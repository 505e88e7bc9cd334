//! The one mechanism for running work off the caller: [`blocking`] moves
//! blocking work (SQLite, tantivy, embeddings, file reads) to tokio's
//! blocking pool so the async executor never stalls, [`task`] starts an
//! async task, and [`thread`] starts a named OS thread for long-lived workers.
//! Everything else in the crate goes through these (clippy.toml forbids the
//! raw calls), so panics become errors in one place.

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

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn blocking_returns_value_and_turns_panics_into_errors() {
        assert_eq!(blocking(|| Ok(41 + 1)).await.ok(), Some(42));
        let err = blocking::<(), _>(|| panic!("kaboom")).await;
        assert!(matches!(err, Err(e) if e.kind() == crate::ErrorKind::Internal));
    }
}
