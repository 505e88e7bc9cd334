//! A [`Flight`] is one upstream call shared by every identical request: the
//! task that drives it appends events to a log; each [`ChatStream`] reading
//! it is a subscriber with its own cursor, so a duplicate that joins late
//! replays the same text from the start. When the last subscriber drops
//! before the end (the user pressed stop), the driving task is aborted at
//! once, which drops the HTTP response and closes the connection upstream.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use tokio::sync::Notify;
use tokio::task::AbortHandle;

use super::reply::{ChatStream, Interrupted, StreamEvent};
use crate::error::{Error, ErrorKind};

/// How a flight ended, shareable among subscribers.
#[derive(Debug, Clone)]
pub(crate) enum End {
    Ok,
    Err { kind: ErrorKind, message: String, partial: Option<String> },
}

impl End {
    fn to_error(&self) -> Option<Error> {
        match self {
            End::Ok => None,
            End::Err { kind, message, partial } => {
                let e = Error::new(*kind, message.clone());
                Some(match partial {
                    Some(p) => e.with_source(Interrupted { partial: p.clone() }),
                    None => e,
                })
            }
        }
    }
}

#[derive(Debug, Default)]
struct Log {
    events: Vec<StreamEvent>,
    end: Option<End>,
}

/// Called once when the last subscriber left before the end.
pub(crate) type OnAbandon = Box<dyn Fn(&Flight) + Send + Sync>;

/// One shared upstream call.
pub(crate) struct Flight {
    pub(crate) key: String,
    pub(crate) ttl: Duration,
    log: Mutex<Log>,
    notify: Notify,
    subscribers: AtomicUsize,
    abort: Mutex<Option<AbortHandle>>,
    on_abandon: OnAbandon,
}

impl std::fmt::Debug for Flight {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Flight").field("key", &self.key).finish_non_exhaustive()
    }
}

impl Flight {
    pub(crate) fn new(key: String, ttl: Duration, on_abandon: OnAbandon) -> Flight {
        Flight {
            key,
            ttl,
            log: Mutex::new(Log::default()),
            notify: Notify::new(),
            subscribers: AtomicUsize::new(0),
            abort: Mutex::new(None),
            on_abandon,
        }
    }

    fn log(&self) -> MutexGuard<'_, Log> {
        self.log.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The task driving this flight (aborted when everyone leaves).
    pub(crate) fn set_task(&self, handle: AbortHandle) {
        *self.abort.lock().unwrap_or_else(PoisonError::into_inner) = Some(handle);
    }

    /// Append events for every subscriber.
    pub(crate) fn push(&self, events: impl IntoIterator<Item = StreamEvent>) {
        let mut log = self.log();
        if log.end.is_none() {
            log.events.extend(events);
        }
        drop(log);
        self.notify.notify_waiters();
    }

    /// The text so far.
    pub(crate) fn text(&self) -> String {
        self.log()
            .events
            .iter()
            .filter_map(|e| if let StreamEvent::Delta(d) = e { Some(d.as_str()) } else { None })
            .collect()
    }

    /// Whether any text went out yet.
    pub(crate) fn has_text(&self) -> bool {
        self.log().events.iter().any(|e| matches!(e, StreamEvent::Delta(_)))
    }

    /// End the flight (the first end wins).
    pub(crate) fn finish(&self, end: End) {
        let mut log = self.log();
        if log.end.is_none() {
            log.end = Some(end);
        }
        drop(log);
        self.notify.notify_waiters();
    }

    /// Ended, and how.
    pub(crate) fn end(&self) -> Option<End> {
        self.log().end.clone()
    }

    /// Everything logged, when it ended well (for the shared cache).
    pub(crate) fn events_if_ok(&self) -> Option<Vec<StreamEvent>> {
        let log = self.log();
        matches!(log.end, Some(End::Ok)).then(|| log.events.clone())
    }

    /// A new reader from the first event.
    pub(crate) fn subscribe(self: &Arc<Flight>) -> ChatStream {
        self.subscribers.fetch_add(1, Ordering::SeqCst);
        let cursor = Cursor { flight: Arc::clone(self), pos: 0, finished: false };
        let stream = futures_util::stream::unfold(cursor, |mut c| async move {
            if c.finished {
                return None;
            }
            let flight = Arc::clone(&c.flight);
            loop {
                let notified = flight.notify.notified();
                tokio::pin!(notified);
                notified.as_mut().enable();
                // Decide under the lock, act after it: dropping the cursor
                // (returning None) takes the lock again.
                let step = {
                    let log = flight.log();
                    match (log.events.get(c.pos), &log.end) {
                        (Some(e), _) => Some(Ok(e.clone())),
                        (None, Some(end)) => Some(Err(end.clone())),
                        (None, None) => None,
                    }
                };
                match step {
                    Some(Ok(e)) => {
                        c.pos += 1;
                        return Some((Ok(e), c));
                    }
                    Some(Err(end)) => {
                        c.finished = true;
                        return end.to_error().map(|e| (Err(e), c));
                    }
                    None => {}
                }
                notified.await;
            }
        });
        ChatStream::new(Box::pin(stream))
    }

    fn unsubscribe(&self) {
        if self.subscribers.fetch_sub(1, Ordering::SeqCst) == 1 && self.end().is_none() {
            if let Some(h) = self.abort.lock().unwrap_or_else(PoisonError::into_inner).take() {
                h.abort();
            }
            let partial = Some(self.text()).filter(|t| !t.is_empty());
            self.finish(End::Err {
                kind: ErrorKind::Cancelled,
                message: "the request was cancelled".into(),
                partial,
            });
            (self.on_abandon)(self);
        }
    }
}

/// A subscriber's position; leaving unsubscribes.
struct Cursor {
    flight: Arc<Flight>,
    pos: usize,
    finished: bool,
}

impl Drop for Cursor {
    fn drop(&mut self) {
        self.flight.unsubscribe();
    }
}
