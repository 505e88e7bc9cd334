//! Forwards the core's background events to the webview as typed Tauri
//! events (CONTRACT.md, "Events"):
//!
//! - `index-progress` ([`IndexProgress`]): at most 4 per second (the latest
//!   value wins; one held back is sent when its slot comes), plus one final
//!   event with `running: false` as soon as the queue empties;
//! - `document-status` ([`DocumentInfo`]): each document changed since the
//!   last look, checked whenever a progress event goes out and at the end;
//! - `backup-status` ([`BackupStatus`]): after each backup, scheduled or
//!   manual, ok or failed (the core's `Backup` event), the full status.
//!
//! The forwarder runs as one task for the life of the app; a slow webview
//! makes it skip events (the bus keeps the newest), never block the core.

use std::time::{Duration, Instant};

use tauri::{AppHandle, Emitter, Runtime};
use tokio::sync::broadcast::error::RecvError;

use crate::dto::{BackupStatus, DocumentInfo, IndexProgress};

/// Event names shared with the UI (`ui/src/ipc/events.ts`).
pub const INDEX_PROGRESS: &str = "index-progress";
pub const DOCUMENT_STATUS: &str = "document-status";
pub const BACKUP_STATUS: &str = "backup-status";

/// The smallest gap between two `index-progress` events (4 per second).
pub const MIN_GAP: Duration = Duration::from_millis(250);

/// Keeps `index-progress` to at most one per [`MIN_GAP`]: the newest value
/// offered during a gap is held and sent when the gap ends; a final value
/// (`running: false`) goes out at once and drops anything held.
#[derive(Debug, Default)]
pub struct Throttle {
    last_sent: Option<Instant>,
    held: Option<IndexProgress>,
}

impl Throttle {
    /// Offer a value at `now`; returns what to send now, if anything.
    pub fn offer(&mut self, now: Instant, p: IndexProgress) -> Option<IndexProgress> {
        if !p.running {
            self.held = None;
            self.last_sent = Some(now);
            return Some(p);
        }
        match self.last_sent {
            Some(at) if now.duration_since(at) < MIN_GAP => {
                self.held = Some(p);
                None
            }
            _ => {
                self.held = None;
                self.last_sent = Some(now);
                Some(p)
            }
        }
    }

    /// When the held value is due, if one is held.
    pub fn due_at(&self) -> Option<Instant> {
        self.held.as_ref().map(|_| self.last_sent.map_or_else(Instant::now, |at| at + MIN_GAP))
    }

    /// The held value, if its slot has come at `now`.
    pub fn take_due(&mut self, now: Instant) -> Option<IndexProgress> {
        match self.due_at() {
            Some(at) if now >= at => {
                self.last_sent = Some(now);
                self.held.take()
            }
            _ => None,
        }
    }
}

/// Forward events until the core closes its bus.
pub async fn forward<R: Runtime>(app: AppHandle<R>, gogga: gogga::Gogga) {
    let mut rx = gogga.subscribe();
    let mut throttle = Throttle::default();
    let mut docs_since = crate::dto::now_ms();
    loop {
        let event = match throttle.due_at() {
            Some(at) => {
                let wait = at.saturating_duration_since(Instant::now());
                match tokio::time::timeout(wait, rx.recv()).await {
                    Ok(received) => received,
                    Err(_slot_came) => {
                        if let Some(p) = throttle.take_due(Instant::now()) {
                            send_progress(&app, &gogga, p, &mut docs_since).await;
                        }
                        continue;
                    }
                }
            }
            None => rx.recv().await,
        };
        match event {
            Ok(gogga::Event::Backup { .. }) => match gogga.backup_status().await {
                Ok(status) => {
                    if let Err(e) = app.emit(BACKUP_STATUS, BackupStatus::from(status)) {
                        tracing::warn!(error = %e, "emitting backup-status");
                    }
                }
                Err(e) => tracing::warn!(error = %e, "reading the backup status"),
            },
            Ok(e) => {
                if let Some(p) = IndexProgress::from_event(&e).and_then(|p| throttle.offer(Instant::now(), p))
                {
                    send_progress(&app, &gogga, p, &mut docs_since).await;
                }
            }
            Err(RecvError::Lagged(skipped)) => tracing::debug!(skipped, "event forwarder lagged"),
            Err(RecvError::Closed) => break,
        }
    }
}

/// Emit a progress event, then the documents that changed since the last one.
async fn send_progress<R: Runtime>(
    app: &AppHandle<R>,
    gogga: &gogga::Gogga,
    p: IndexProgress,
    since: &mut i64,
) {
    if let Err(e) = app.emit(INDEX_PROGRESS, &p) {
        tracing::warn!(error = %e, "emitting index-progress");
    }
    let looked_at = crate::dto::now_ms();
    match gogga.documents_changed_since(*since).await {
        Ok(docs) => {
            for d in docs {
                if let Err(e) = app.emit(DOCUMENT_STATUS, DocumentInfo::from(d)) {
                    tracing::warn!(error = %e, "emitting document-status");
                }
            }
            // A document changed in the same millisecond is sent twice
            // rather than missed.
            *since = looked_at;
        }
        Err(e) => tracing::warn!(error = %e, "listing changed documents"),
    }
}
