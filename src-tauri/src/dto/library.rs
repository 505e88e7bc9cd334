//! The documents screen's DTOs: documents with their status, import
//! reports, watched folders and indexing progress, converted from the
//! core's library views (`gogga::ingest`).

use serde::Serialize;
use ts_rs::TS;

use super::{IpcError, count, rfc3339};

// Where a document is on its way into the library. The core stores a
// document once it is extracted, so "queued" and "extracting" are not
// reported per document today (the progress event covers them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum DocumentStatus {
    Queued,
    Extracting,
    Embedding,
    Ready,
    Failed,
}

impl From<gogga::ingest::DocumentStage> for DocumentStatus {
    fn from(s: gogga::ingest::DocumentStage) -> Self {
        match s {
            gogga::ingest::DocumentStage::Embedding => DocumentStatus::Embedding,
            gogga::ingest::DocumentStage::Ready => DocumentStatus::Ready,
            gogga::ingest::DocumentStage::Failed => DocumentStatus::Failed,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DocumentInfo {
    pub id: String,
    pub path: String,
    pub title: String,
    pub format: String,
    #[ts(type = "number")]
    pub size_bytes: u64,
    pub status: DocumentStatus,
    pub error: Option<IpcError>,
    pub chunks: u32,
    pub pages: Option<u32>,
    pub conversation_id: Option<String>,
    pub folder_id: Option<String>,
    pub added_at: String,
    pub updated_at: String,
}

impl From<gogga::ingest::DocumentView> for DocumentInfo {
    fn from(d: gogga::ingest::DocumentView) -> Self {
        DocumentInfo {
            id: d.id,
            path: d.path,
            title: d.title,
            format: d.format,
            size_bytes: d.size_bytes,
            status: d.stage.into(),
            error: IpcError::stored(d.error_code, d.error),
            chunks: count(d.chunks),
            pages: None,
            conversation_id: d.conversation_id,
            folder_id: d.folder_id,
            added_at: rfc3339(d.added_at),
            updated_at: rfc3339(d.updated_at),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PathProblem {
    pub path: String,
    pub code: String,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportReport {
    pub accepted: u32,
    pub skipped: Vec<PathProblem>,
}

impl From<gogga::ingest::QueuedImport> for ImportReport {
    fn from(q: gogga::ingest::QueuedImport) -> Self {
        ImportReport {
            accepted: count(q.accepted as u64),
            skipped: q
                .skipped
                .into_iter()
                .map(|s| PathProblem { path: s.path, code: s.code, message: s.message })
                .collect(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct WatchedFolder {
    pub id: String,
    pub path: String,
    pub document_count: u32,
    pub last_scan_at: Option<String>,
    pub error: Option<IpcError>,
}

impl From<gogga::ingest::FolderView> for WatchedFolder {
    fn from(f: gogga::ingest::FolderView) -> Self {
        WatchedFolder {
            id: f.id,
            path: f.path,
            document_count: count(f.documents),
            last_scan_at: f.last_scan_at.map(rfc3339),
            error: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct IndexProgress {
    pub running: bool,
    pub files_done: u32,
    pub files_total: u32,
    pub files_failed: u32,
    pub chunks_done: u32,
    pub chunks_total: u32,
    pub chunks_per_sec: f64,
    pub eta_secs: Option<f64>,
    pub current_path: Option<String>,
}

impl From<gogga::ingest::IndexProgressView> for IndexProgress {
    fn from(p: gogga::ingest::IndexProgressView) -> Self {
        IndexProgress {
            running: p.running,
            files_done: count(p.files_done),
            files_total: count(p.files_total),
            files_failed: count(p.files_failed),
            chunks_done: count(p.chunks_done),
            chunks_total: count(p.chunks_total),
            chunks_per_sec: p.chunks_per_sec,
            eta_secs: p.eta_secs,
            current_path: None,
        }
    }
}

impl IndexProgress {
    /// From the core's events: `IndexProgress` (running) and `IndexIdle`
    /// (the run ended); `None` for every other event.
    pub fn from_event(e: &gogga::Event) -> Option<IndexProgress> {
        match e {
            gogga::Event::IndexProgress {
                files_done,
                files_total,
                files_failed,
                chunks_done,
                chunks_total,
                chunks_per_sec,
                eta_secs,
            } => Some(IndexProgress {
                running: true,
                files_done: count(*files_done),
                files_total: count(*files_total),
                files_failed: count(*files_failed),
                chunks_done: count(*chunks_done),
                chunks_total: count(*chunks_total),
                chunks_per_sec: *chunks_per_sec,
                eta_secs: *eta_secs,
                current_path: None,
            }),
            gogga::Event::IndexIdle { files_done, files_total, files_failed, chunks_done, chunks_total } => {
                Some(IndexProgress {
                    running: false,
                    files_done: count(*files_done),
                    files_total: count(*files_total),
                    files_failed: count(*files_failed),
                    chunks_done: count(*chunks_done),
                    chunks_total: count(*chunks_total),
                    chunks_per_sec: 0.0,
                    eta_secs: None,
                    current_path: None,
                })
            }
            _ => None,
        }
    }
}
