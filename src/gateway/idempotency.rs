//! Idempotency: the same `chat:{profile}:{request_id}` never reaches the
//! upstream twice while its reply is kept. A bounded LRU map holds the key's
//! [`Flight`]; the first caller inserts it with the call's driver,
//! concurrent duplicates get the same flight and read the same events
//! (single flight), later ones replay it. Entries live 5 minutes for chat
//! and 1 hour for media, counted from their start. Failed or cancelled
//! flights are removed at once: only successes are kept.
//!
//! [`SharedCache`] is the seam for a cache shared by several instances
//! (Redis, later): finished replies are written to it and looked up before
//! calling upstream. [`MemorySharedCache`] is the in-process version.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use futures_util::future::BoxFuture;
use lru::LruCache;

use super::flight::{Flight, Reader};
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

/// The local single-flight map: key to [`Flight`], least recently used
/// first out past `capacity`. A plain mutex over an LRU list: each call
/// holds it for a hash lookup and an insert, far less than the async entry
/// API of a concurrent cache, and a lock nobody awaits under.
pub(crate) struct Flights {
    map: Mutex<LruCache<String, Arc<Flight>>>,
    capacity: usize,
}

impl std::fmt::Debug for Flights {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Flights").field("entries", &self.lock().len()).finish()
    }
}

impl Flights {
    pub(crate) fn new(capacity: u64) -> Flights {
        // Unbounded list, bounded by hand: `LruCache::new` would reserve
        // room for the whole capacity up front.
        let capacity = usize::try_from(capacity).unwrap_or(usize::MAX).max(1);
        Flights { map: Mutex::new(LruCache::unbounded()), capacity }
    }

    fn lock(&self) -> MutexGuard<'_, LruCache<String, Arc<Flight>>> {
        self.map.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Read the flight under `key`, or start a new one made by `start`
    /// (which must give it its driver). An expired entry, or one whose call
    /// failed or was cancelled, counts as absent. Joining happens under the
    /// map's lock, so a flight cannot be cancelled between being found and
    /// being joined. Returns the reader and whether this caller started it.
    pub(crate) fn join_or_start(&self, key: &str, start: impl FnOnce() -> Arc<Flight>) -> (Reader, bool) {
        let now = Instant::now();
        let mut map = self.lock();
        if let Some(flight) = map.get(key)
            && !flight.expired(now)
            && let Some(reader) = flight.join()
        {
            return (reader, false);
        }
        let flight = start();
        let reader = flight.first_reader();
        map.put(key.to_owned(), flight);
        // Expired entries at the cold end go first, then whatever is over capacity.
        while map.len() > self.capacity || map.peek_lru().is_some_and(|(_, f)| f.expired(now)) {
            map.pop_lru();
        }
        drop(map);
        (reader, true)
    }

    /// Drop the entry under `key` if it is `flight` and it ended without
    /// success, so the next identical request calls upstream again. A flight
    /// that is running or succeeded stays.
    pub(crate) fn forget_failed(&self, key: &str, flight: &Arc<Flight>) {
        let mut map = self.lock();
        if map.peek(key).is_some_and(|f| Arc::ptr_eq(f, flight)) && flight.failed() {
            map.pop(key);
        }
    }

    /// Entries kept (for tests and status).
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.lock().len()
    }
}
