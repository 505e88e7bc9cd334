//! The library as the desktop app shows it, on the [`Gogga`] façade:
//! imports that return once queued (progress follows as events), each
//! document with its stage (embedding until every chunk has a vector),
//! watched folders with their document counts, and a progress snapshot
//! that still describes the last run after the queue emptied (so a screen
//! opened late can say "done"). Everything blocking runs through
//! [`crate::spawn::blocking`]; nothing here waits for the workers.

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::Arc;

use serde::Serialize;

use crate::app::Gogga;
use crate::error::{Error, Result};
use crate::spawn::blocking;
use crate::store::{DocStatus, DocumentRow, FolderRow};

use super::library::{Library, VectorState};

/// What an import queued, and what it left out (with the reason).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QueuedImport {
    /// The queue batch id (for `cancel_index`).
    pub batch: String,
    /// Files queued for import.
    pub accepted: usize,
    /// Paths not queued: missing, unreadable, or not a format we read.
    pub skipped: Vec<SkippedPath>,
}

/// A path an import left out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SkippedPath {
    pub path: String,
    /// An error code (`not_found`, `io`, ...) or `skipped` for formats we do not read.
    pub code: String,
    pub message: String,
}

/// Where a stored document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentStage {
    /// Stored and searchable by words; some passages still lack a vector.
    Embedding,
    /// Fully searchable.
    Ready,
    /// The last import failed (`error` says why).
    Failed,
}

/// One document with its stage and its watched folder, if any.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocumentView {
    pub id: String,
    pub path: String,
    pub title: String,
    pub format: String,
    pub size_bytes: u64,
    pub stage: DocumentStage,
    pub error_code: Option<String>,
    pub error: Option<String>,
    pub chunks: u64,
    pub conversation_id: Option<String>,
    pub folder_id: Option<String>,
    /// Milliseconds since the Unix epoch.
    pub added_at: i64,
    pub updated_at: i64,
}

/// A watched folder with how many library documents it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FolderView {
    pub id: String,
    pub path: String,
    pub documents: u64,
    /// Milliseconds since the Unix epoch.
    pub last_scan_at: Option<i64>,
}

/// Indexing progress now (running) or of the last run (not running).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndexProgressView {
    pub running: bool,
    pub files_done: u64,
    pub files_total: u64,
    pub files_failed: u64,
    pub chunks_done: u64,
    pub chunks_total: u64,
    pub chunks_per_sec: f64,
    pub eta_secs: Option<f64>,
}

impl Gogga {
    /// Queue files and folders for import and return at once; the workers
    /// do the rest and report through events. `conversation` attaches them
    /// to a conversation instead of the library. Fails only when the paths
    /// list is empty.
    pub async fn queue_import(
        &self,
        paths: Vec<PathBuf>,
        conversation: Option<String>,
    ) -> Result<QueuedImport> {
        if paths.is_empty() {
            return Err(Error::invalid("no file or folder to import"));
        }
        let lib = Arc::clone(self.library());
        let batch = crate::id::new_id();
        blocking(move || {
            let (files, accepted) = super::facade::enqueue_paths(&lib, &paths, conversation, &batch)?;
            let skipped = files
                .into_iter()
                .map(|f| SkippedPath {
                    path: f.path,
                    code: f.code.unwrap_or_else(|| "skipped".into()),
                    message: f.message.unwrap_or_default(),
                })
                .collect();
            Ok(QueuedImport { batch, accepted, skipped })
        })
        .await
    }

    /// Documents of the library (`None`) or attached to one conversation.
    pub async fn library_documents(&self, conversation: Option<String>) -> Result<Vec<DocumentView>> {
        let lib = Arc::clone(self.library());
        blocking(move || {
            let rows = lib.store.documents(Some(conversation.as_deref()))?;
            views(&lib, rows)
        })
        .await
    }

    /// Documents changed at or after `since_ms` (any scope), for status events.
    pub async fn documents_changed_since(&self, since_ms: i64) -> Result<Vec<DocumentView>> {
        let lib = Arc::clone(self.library());
        blocking(move || {
            let rows = lib.store.documents(None)?.into_iter().filter(|d| d.updated_at >= since_ms).collect();
            views(&lib, rows)
        })
        .await
    }

    /// Watched folders with their document counts.
    pub async fn watched_folders(&self) -> Result<Vec<FolderView>> {
        let lib = Arc::clone(self.library());
        blocking(move || {
            let docs = lib.store.documents(Some(None))?;
            let folders = lib.store.folders()?;
            Ok(folders
                .into_iter()
                .map(|f| {
                    let prefix = format!("{}/", f.path.trim_end_matches('/'));
                    let documents = docs.iter().filter(|d| d.path.starts_with(&prefix)).count() as u64;
                    FolderView { id: f.id, path: f.path, documents, last_scan_at: f.last_scan_at }
                })
                .collect())
        })
        .await
    }

    /// Stop watching the folder with this id (its documents stay).
    pub async fn unwatch_folder_id(&self, id: &str) -> Result<()> {
        let lib = Arc::clone(self.library());
        let id = id.to_owned();
        blocking(move || {
            let folder: FolderRow = lib
                .store
                .folders()?
                .into_iter()
                .find(|f| f.id == id)
                .ok_or_else(|| Error::not_found(format!("no watched folder has id {id}")))?;
            lib.store.remove_folder(&folder.path)?;
            lib.signal.notify();
            Ok(())
        })
        .await
    }

    /// Indexing progress of this process's workers.
    pub fn index_progress(&self) -> IndexProgressView {
        let (running, p) = super::progress::snapshot(self.library());
        let remaining = p.chunks_total.saturating_sub(p.chunks_done) as f64;
        IndexProgressView {
            running,
            files_done: p.files_done,
            files_total: p.files_total,
            files_failed: p.files_failed,
            chunks_done: p.chunks_done,
            chunks_total: p.chunks_total,
            chunks_per_sec: p.rate,
            eta_secs: (running && p.rate > 0.0).then(|| remaining / p.rate),
        }
    }
}

/// Rows to views: stage from the status and the chunks still without a
/// vector; folder from the watched folders' paths (blocking).
fn views(lib: &Library, rows: Vec<DocumentRow>) -> Result<Vec<DocumentView>> {
    // Without a working embedder nothing will get a vector: word search is
    // all there is, and the document is as ready as it gets.
    let embedding: HashSet<String> = match (lib.embeddings_on(), lib.vector_state()) {
        (true, VectorState::Unavailable(_)) | (false, _) => HashSet::new(),
        _ => lib.store.documents_missing_vectors(&lib.target_model())?.into_iter().collect(),
    };
    let folders = lib.store.folders()?;
    Ok(rows
        .into_iter()
        .map(|d| {
            let stage = match d.status {
                DocStatus::Failed => DocumentStage::Failed,
                DocStatus::Ready if embedding.contains(&d.id) => DocumentStage::Embedding,
                DocStatus::Ready => DocumentStage::Ready,
            };
            let folder_id = match d.conversation_id {
                Some(_) => None,
                None => folders
                    .iter()
                    .find(|f| d.path.starts_with(&format!("{}/", f.path.trim_end_matches('/'))))
                    .map(|f| f.id.clone()),
            };
            DocumentView {
                id: d.id,
                path: d.path,
                title: d.title,
                format: d.format,
                size_bytes: d.size_bytes.max(0) as u64,
                stage,
                error_code: d.error_code,
                error: d.error,
                chunks: d.chunk_count.max(0) as u64,
                conversation_id: d.conversation_id,
                folder_id,
                added_at: d.created_at,
                updated_at: d.updated_at,
            }
        })
        .collect())
}
