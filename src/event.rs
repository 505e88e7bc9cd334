//! Events the core reports upward (indexing progress, job failures, backup
//! results). A closed enum so every consumer handles every case, and a bus
//! that never fails when nobody listens: background work must not care
//! whether a window is open.

use serde::Serialize;
use tokio::sync::broadcast;

/// Something that happened in the background.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Event {
    /// The core finished opening.
    Ready,
    /// Indexing progress: files and chunks done of total, with a rate.
    IndexProgress {
        files_done: u64,
        files_total: u64,
        /// Of `files_done`, how many failed.
        files_failed: u64,
        chunks_done: u64,
        chunks_total: u64,
        chunks_per_sec: f64,
        eta_secs: Option<f64>,
    },
    /// The queue emptied: the run that just ended, in totals.
    IndexIdle { files_done: u64, files_total: u64, files_failed: u64, chunks_done: u64, chunks_total: u64 },
    /// A file could not be imported; the rest goes on.
    FileFailed { path: String, code: String, message: String },
    /// A backup finished (ok) or failed (with the reason).
    Backup { ok: bool, path: Option<String>, message: String },
}

/// Fan-out of [`Event`]s to any number of listeners.
#[derive(Debug, Clone)]
pub struct EventBus {
    tx: broadcast::Sender<Event>,
}

impl Default for EventBus {
    fn default() -> Self {
        EventBus::new()
    }
}

impl EventBus {
    /// A bus that keeps the last 1024 events for slow listeners.
    pub fn new() -> EventBus {
        let (tx, _) = broadcast::channel(1024);
        EventBus { tx }
    }

    /// Publish; having no listener is fine.
    pub fn emit(&self, event: Event) {
        let _ignored_when_nobody_listens = self.tx.send(event);
    }

    /// Listen from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<Event> {
        self.tx.subscribe()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn emit_without_listeners_is_fine_and_listeners_receive() {
        let bus = EventBus::new();
        bus.emit(Event::Ready);
        let mut rx = bus.subscribe();
        bus.emit(Event::Ready);
        assert_eq!(rx.recv().await.ok(), Some(Event::Ready));
    }
}
