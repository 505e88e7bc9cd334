//! Idempotency: the same `chat:{profile}:{request_id}` never reaches the
//! upstream twice while its reply is kept. A bounded moka cache maps the key
//! to its [`Flight`]; the first caller inserts it and starts the call,
//! concurrent duplicates get the same flight and read the same events
//! (single flight), later ones replay it. Entries live 5 minutes for chat
//! and 1 hour for media, counted from their start. Failed or cancelled
//! flights are removed at once: only successes are kept.
//!
//! [`SharedCache`] is the seam for a cache shared by several instances
//! (Redis, later): finished replies are written to it and looked up before
//! calling upstream. [`MemorySharedCache`] is the in-process version.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use futures_util::future::BoxFuture;
use moka::future::Cache;

use super::flight::{End, Flight};
use super::reply::Completion;
use crate::error::Result;

/// A reply cache shared between gateway instances.
pub trait SharedCache: Send + Sync + std::fmt::Debug {
    /// The finished reply kept under `key`, if any.
    fn get<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<Option<Completion>>>;
    /// Keep `reply` under `key` for `ttl`.
    fn put<'a>(&'a self, key: &'a str, reply: &'a Completion, ttl: Duration) -> BoxFuture<'a, Result<()>>;
}

/// A [`SharedCache`] in this process's memory (tests, one-process servers).
#[derive(Debug, Default)]
pub struct MemorySharedCache {
    entries: Mutex<HashMap<String, (Completion, Instant)>>,
}

impl SharedCache for MemorySharedCache {
    fn get<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<Option<Completion>>> {
        Box::pin(async move {
            let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
            match entries.get(key) {
                Some((c, until)) if *until > Instant::now() => Ok(Some(c.clone())),
                Some(_) => {
                    entries.remove(key);
                    Ok(None)
                }
                None => Ok(None),
            }
        })
    }

    fn put<'a>(&'a self, key: &'a str, reply: &'a Completion, ttl: Duration) -> BoxFuture<'a, Result<()>> {
        Box::pin(async move {
            let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
            entries.insert(key.to_owned(), (reply.clone(), Instant::now() + ttl));
            Ok(())
        })
    }
}

struct PerEntryTtl;

impl moka::Expiry<String, Arc<Flight>> for PerEntryTtl {
    fn expire_after_create(
        &self,
        _key: &String,
        value: &Arc<Flight>,
        _created_at: Instant,
    ) -> Option<Duration> {
        Some(value.ttl)
    }
}

/// The local single-flight cache.
#[derive(Clone)]
pub(crate) struct Flights {
    cache: Cache<String, Arc<Flight>>,
}

impl std::fmt::Debug for Flights {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Flights").field("entries", &self.cache.entry_count()).finish()
    }
}

impl Flights {
    pub(crate) fn new(capacity: u64) -> Flights {
        Flights { cache: Cache::builder().max_capacity(capacity).expire_after(PerEntryTtl).build() }
    }

    /// The flight under `key`, or a new one from `start` (which must start
    /// the call). Returns the flight and whether this caller created it.
    pub(crate) async fn join_or_start(
        &self,
        key: &str,
        start: impl Future<Output = Arc<Flight>>,
    ) -> (Arc<Flight>, bool) {
        let entry = self.cache.entry_by_ref(key).or_insert_with(start).await;
        let fresh = entry.is_fresh();
        (entry.into_value(), fresh)
    }

    /// Drop the entry under `key` if its flight ended without success, so
    /// the next identical request calls upstream again. A flight that is
    /// still running or succeeded stays.
    pub(crate) async fn forget_failed(&self, key: &str) {
        self.cache
            .entry_by_ref(key)
            .and_compute_with(|entry| async move {
                match entry {
                    Some(e) if matches!(e.value().end(), Some(End::Err { .. })) => {
                        moka::ops::compute::Op::Remove
                    }
                    _ => moka::ops::compute::Op::Nop,
                }
            })
            .await;
    }

    /// Entries kept (approximate, for tests and status).
    #[cfg(test)]
    pub(crate) async fn len(&self) -> u64 {
        self.cache.run_pending_tasks().await;
        self.cache.entry_count()
    }
}
