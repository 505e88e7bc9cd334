//! The leader's folder watcher (`notify`: inotify on Linux). It follows the
//! watched-folder table (folders added by any process appear within a
//! second), collects file events until they settle for half a second, and
//! turns them into queue jobs: an existing file we read becomes an ingest
//! job (the pipeline then compares modified time, then content hash, so a
//! save that changed nothing costs a stat), a vanished file or folder
//! becomes remove jobs for its documents, a new folder a rescan. A rename
//! is a vanished path plus a new one; the renamed file's chunks keep their
//! vectors because vectors are keyed by text hash. Events lost to an
//! overflow trigger a full rescan. Changes made while no Gogga ran are
//! caught by the rescan every new leader queues at start.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use notify::{EventKind, RecursiveMode, Watcher};

use crate::error::Result;
use crate::store::NewJob;

use super::library::Library;
use super::walk::wanted;
use super::worker::{INGEST, IngestJob, REMOVE, RESCAN};

/// Quiet time before collected events are acted on.
const SETTLE: Duration = Duration::from_millis(500);

pub(crate) fn run(lib: &Arc<Library>) {
    let (tx, rx) = channel::<notify::Result<notify::Event>>();
    let mut watcher = match notify::recommended_watcher(move |event| {
        let _ = tx.send(event);
    }) {
        Ok(w) => w,
        Err(e) => {
            tracing::error!(error = %e, "folder watching is unavailable");
            return;
        }
    };
    let mut watched: HashSet<String> = HashSet::new();
    let mut pending: HashSet<PathBuf> = HashSet::new();
    let mut last_event = Instant::now();
    let mut next_sync = Instant::now();
    while !lib.stopping() {
        if Instant::now() >= next_sync {
            next_sync = Instant::now() + Duration::from_secs(1);
            sync_folders(lib, &mut watcher, &mut watched);
        }
        match rx.recv_timeout(Duration::from_millis(200)) {
            Ok(Ok(event)) => {
                if matches!(event.kind, EventKind::Access(_)) {
                    continue;
                }
                if event.need_rescan() {
                    queue_rescans(lib, &watched);
                }
                pending.extend(event.paths);
                last_event = Instant::now();
            }
            Ok(Err(e)) => {
                tracing::warn!(error = %e, "folder watch error; rescanning");
                queue_rescans(lib, &watched);
            }
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => break,
        }
        if !pending.is_empty() && last_event.elapsed() >= SETTLE {
            let paths: Vec<PathBuf> = pending.drain().collect();
            if let Err(e) = queue_changes(lib, &paths) {
                tracing::error!(error = %e, "queueing folder changes");
            }
        }
    }
}

fn sync_folders(lib: &Library, watcher: &mut notify::RecommendedWatcher, watched: &mut HashSet<String>) {
    let Ok(folders) = lib.store.folders() else { return };
    let wanted: HashSet<String> = folders.into_iter().map(|f| f.path).collect();
    for gone in watched.difference(&wanted).cloned().collect::<Vec<_>>() {
        let _ = watcher.unwatch(Path::new(&gone));
        watched.remove(&gone);
    }
    for new in wanted.difference(watched).cloned().collect::<Vec<_>>() {
        match watcher.watch(Path::new(&new), RecursiveMode::Recursive) {
            Ok(()) => {
                tracing::info!(folder = new, "watching");
                // Files written between the folder's first scan and now.
                let payload = serde_json::json!({ "folder": new }).to_string();
                let _ = lib.store.enqueue_unique(&NewJob { kind: RESCAN.into(), payload, batch: None });
                lib.signal.notify();
                watched.insert(new);
            }
            Err(e) => tracing::warn!(folder = new, error = %e, "cannot watch folder (will retry)"),
        }
    }
}

fn queue_rescans(lib: &Library, folders: &HashSet<String>) {
    for folder in folders {
        let payload = serde_json::json!({ "folder": folder }).to_string();
        let _ = lib.store.enqueue_unique(&NewJob { kind: RESCAN.into(), payload, batch: None });
    }
    lib.signal.notify();
}

/// Turn settled paths into jobs.
pub(crate) fn queue_changes(lib: &Library, paths: &[PathBuf]) -> Result<usize> {
    let mut jobs = Vec::new();
    let mut removed: HashMap<String, ()> = HashMap::new();
    for path in paths {
        let key = path.display().to_string();
        if path.is_dir() {
            let payload = serde_json::json!({ "folder": key }).to_string();
            jobs.push(NewJob { kind: RESCAN.into(), payload, batch: None });
        } else if path.is_file() {
            if wanted(path) {
                let job = IngestJob { path: key, conversation_id: None, explicit: false };
                let payload =
                    serde_json::to_string(&job).map_err(|e| crate::error::Error::internal(e.to_string()))?;
                jobs.push(NewJob { kind: INGEST.into(), payload, batch: None });
            }
        } else {
            let mut docs = Vec::new();
            docs.extend(lib.store.document_by_path(&key, None)?);
            docs.extend(lib.store.documents_under(&format!("{}/", key.trim_end_matches('/')))?);
            for d in docs {
                if removed.insert(d.id.clone(), ()).is_none() {
                    let payload = serde_json::json!({ "document_id": d.id }).to_string();
                    jobs.push(NewJob { kind: REMOVE.into(), payload, batch: None });
                }
            }
        }
    }
    let n = jobs.len();
    for job in &jobs {
        lib.store.enqueue_unique(job)?;
    }
    lib.signal.notify();
    Ok(n)
}
