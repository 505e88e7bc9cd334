//! A [`Flight`] is one upstream call shared by every identical request. Its
//! driver (the future of `dispatch::drive`) appends events to a log; each
//! [`ChatStream`] reading it is a [`Reader`] with its own cursor, so a
//! duplicate that joins late replays the same text from the start.
//!
//! Nobody spawns a task for a call: the driver is polled by whichever
//! reader is waiting for the next event, inside that reader's own poll. A
//! lone reader (the usual case) therefore decodes each chunk on its own
//! task, with no hand-off and no second wake per burst of chunks. The
//! driver's I/O wakes go to the flight (it implements [`Wake`]), which wakes
//! every reader waiting, so the call keeps moving while any reader waits.
//!
//! When a reader leaves and duplicates are still reading, or the call ended
//! but its driver still has work (storing the reply in the shared cache),
//! the driver moves to a task (`crate::spawn`) so it finishes whether or not
//! anyone polls. When the last reader leaves before the end (the user
//! pressed stop), the driver is dropped (or its task aborted) at once, which
//! drops the HTTP response and closes the connection upstream.

use std::mem;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll, Wake, Waker};
use std::time::{Duration, Instant};

use futures_util::Stream;
use tokio::task::AbortHandle;

use super::metrics::Metrics;
use super::reply::{Interrupted, StreamEvent};
use crate::error::{Error, ErrorKind};

/// The future that runs one call to its end (it always ends the flight).
pub(crate) type Driver = Pin<Box<dyn Future<Output = ()> + Send>>;

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

/// Room for this many events from the start: growing the log from empty
/// cost a reallocation every few events of a short answer.
const EVENT_LOG_START: usize = 16;

/// Where the driver is.
enum Drive {
    /// Not started yet: set right after the flight is made.
    Unset,
    /// Waiting for a reader to poll it.
    Idle(Driver),
    /// A reader is polling it right now.
    Polling,
    /// Moved to a task (no reader drives it any more).
    InTask(AbortHandle),
    /// Finished or dropped.
    Gone,
}

struct State {
    events: Vec<StreamEvent>,
    end: Option<End>,
    readers: usize,
    /// Readers waiting for an event, the end, or a wake of the driver.
    waiters: Vec<Waker>,
    /// Counts the driver's wakes, so a reader that polled it and got nothing
    /// notices a wake that came while it was not yet registered.
    wakes: u64,
    driver: Drive,
}

/// One shared upstream call.
pub(crate) struct Flight {
    pub(crate) key: String,
    pub(crate) ttl: Duration,
    born: Instant,
    state: Mutex<State>,
    metrics: Arc<Metrics>,
}

impl std::fmt::Debug for Flight {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Flight").field("key", &self.key).finish_non_exhaustive()
    }
}

/// Wake everyone in `waiters` (taken out under the lock, woken after it).
fn wake_all(waiters: Vec<Waker>) {
    for w in waiters {
        w.wake();
    }
}

impl Flight {
    pub(crate) fn new(key: String, ttl: Duration, metrics: Arc<Metrics>) -> Flight {
        let state = State {
            events: Vec::with_capacity(EVENT_LOG_START),
            end: None,
            readers: 0,
            waiters: Vec::new(),
            wakes: 0,
            driver: Drive::Unset,
        };
        Flight { key, ttl, born: Instant::now(), state: Mutex::new(state), metrics }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Give the flight the future that runs its call (once, before anyone reads).
    pub(crate) fn set_driver(&self, driver: Driver) {
        self.state().driver = Drive::Idle(driver);
    }

    /// Past its time to live (counted from the start of the call).
    pub(crate) fn expired(&self, now: Instant) -> bool {
        now.duration_since(self.born) >= self.ttl
    }

    /// Append events for every reader.
    pub(crate) fn push(&self, events: impl IntoIterator<Item = StreamEvent>) {
        let mut s = self.state();
        if s.end.is_none() {
            s.events.extend(events);
        }
        let waiters = mem::take(&mut s.waiters);
        drop(s);
        wake_all(waiters);
    }

    /// The text so far.
    pub(crate) fn text(&self) -> String {
        text_of(&self.state().events)
    }

    /// Whether any text went out yet.
    pub(crate) fn has_text(&self) -> bool {
        self.state().events.iter().any(|e| matches!(e, StreamEvent::Delta(_)))
    }

    /// End the flight (the first end wins).
    pub(crate) fn finish(&self, end: End) {
        let mut s = self.state();
        if s.end.is_none() {
            s.end = Some(end);
        }
        let waiters = mem::take(&mut s.waiters);
        drop(s);
        wake_all(waiters);
    }

    /// Ended without success (such a flight is not joined: it is replaced).
    pub(crate) fn failed(&self) -> bool {
        matches!(self.state().end, Some(End::Err { .. }))
    }

    /// Everything logged, when it ended well (for the shared cache).
    pub(crate) fn events_if_ok(&self) -> Option<Vec<StreamEvent>> {
        let s = self.state();
        matches!(s.end, Some(End::Ok)).then(|| s.events.clone())
    }

    /// A new reader from the first event, unless the flight failed.
    pub(crate) fn join(self: &Arc<Flight>) -> Option<Reader> {
        let mut s = self.state();
        if matches!(s.end, Some(End::Err { .. })) {
            return None;
        }
        s.readers += 1;
        Some(Reader { flight: Arc::clone(self), pos: 0, finished: false })
    }

    /// The reader of the caller that made this flight.
    pub(crate) fn first_reader(self: &Arc<Flight>) -> Reader {
        self.state().readers += 1;
        Reader { flight: Arc::clone(self), pos: 0, finished: false }
    }

    /// A reader left: cancel the call if it was the last one before the end;
    /// otherwise make sure the driver keeps going without it.
    fn leave(&self) {
        let mut s = self.state();
        s.readers -= 1;
        if s.readers == 0 && s.end.is_none() {
            let partial = Some(text_of(&s.events)).filter(|t| !t.is_empty());
            s.end = Some(End::Err {
                kind: ErrorKind::Cancelled,
                message: "the request was cancelled".into(),
                partial,
            });
            let driver = mem::replace(&mut s.driver, Drive::Gone);
            drop(s);
            if let Drive::InTask(h) = &driver {
                h.abort();
            }
            // Dropping an idle driver drops its response: the connection closes.
            drop(driver);
            self.metrics.cancelled();
            return;
        }
        // Duplicates may not be polling, and an ended call may still be
        // storing its reply: a task finishes the driver either way.
        if matches!(s.driver, Drive::Idle(_))
            && tokio::runtime::Handle::try_current().is_ok()
            && let Drive::Idle(driver) = mem::replace(&mut s.driver, Drive::Gone)
        {
            let handle = crate::spawn::task(driver);
            s.driver = Drive::InTask(handle.abort_handle());
        } else if s.readers == 0 {
            // Ended, no runtime to finish leftover work in: let it go.
            let driver = mem::replace(&mut s.driver, Drive::Gone);
            drop(s);
            drop(driver);
        }
    }
}

impl Wake for Flight {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    /// The driver can make progress: wake the readers so one of them polls it.
    fn wake_by_ref(self: &Arc<Self>) {
        let mut s = self.state();
        s.wakes = s.wakes.wrapping_add(1);
        let waiters = mem::take(&mut s.waiters);
        drop(s);
        wake_all(waiters);
    }
}

fn text_of(events: &[StreamEvent]) -> String {
    events
        .iter()
        .filter_map(|e| if let StreamEvent::Delta(d) = e { Some(d.as_str()) } else { None })
        .collect()
}

/// What a reader found in the log.
enum Step {
    Event(StreamEvent),
    End(Option<Error>),
    Wait,
}

/// A reader's position; dropping it leaves the flight.
pub(crate) struct Reader {
    flight: Arc<Flight>,
    pos: usize,
    finished: bool,
}

impl Reader {
    /// The next event or the end, if there is one; else take the driver
    /// when it is free (Some) or register to be woken (None).
    fn look(&mut self, s: &mut State, cx: &Context<'_>, may_drive: bool) -> (Step, Option<Driver>) {
        if let Some(e) = s.events.get(self.pos) {
            self.pos += 1;
            return (Step::Event(e.clone()), None);
        }
        if let Some(end) = &s.end {
            self.finished = true;
            return (Step::End(end.to_error()), None);
        }
        if may_drive
            && matches!(s.driver, Drive::Idle(_))
            && let Drive::Idle(d) = mem::replace(&mut s.driver, Drive::Polling)
        {
            return (Step::Wait, Some(d));
        }
        if !s.waiters.iter().any(|w| w.will_wake(cx.waker())) {
            s.waiters.push(cx.waker().clone());
        }
        (Step::Wait, None)
    }
}

impl Stream for Reader {
    type Item = crate::error::Result<StreamEvent>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.finished {
            return Poll::Ready(None);
        }
        let flight = Arc::clone(&self.flight);
        let mut s = flight.state();
        let (step, driver) = self.look(&mut s, cx, true);
        let wakes = s.wakes;
        drop(s);
        let step = match driver {
            None => step,
            Some(mut driver) => {
                // At most one poll of the driver per poll of the reader, so
                // tokio's cooperative budget (a wake from inside) is honoured.
                let waker = Waker::from(Arc::clone(&flight));
                let done = driver.as_mut().poll(&mut Context::from_waker(&waker)).is_ready();
                let leftover = if done { None } else { Some(driver) };
                let mut s = flight.state();
                s.driver = leftover.map_or(Drive::Gone, Drive::Idle);
                let (step, _) = self.look(&mut s, cx, false);
                // A wake that came while we polled found nobody registered.
                let missed = matches!(step, Step::Wait) && s.wakes != wakes;
                drop(s);
                if missed {
                    cx.waker().wake_by_ref();
                }
                step
            }
        };
        match step {
            Step::Event(e) => Poll::Ready(Some(Ok(e))),
            Step::End(err) => Poll::Ready(err.map(Err)),
            Step::Wait => Poll::Pending,
        }
    }
}

impl Drop for Reader {
    fn drop(&mut self) {
        self.flight.leave();
    }
}
