//! The library's façade methods on [`Gogga`]: import files and folders,
//! watch folders, list and remove documents, search, rebuild the index,
//! report status. Work is always queued in SQLite and done by the leader's
//! workers (this process or another one sharing the data folder); calls
//! that wait for it poll the queue, so they behave the same either way.
//! Everything blocking runs through [`crate::spawn::blocking`].

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::app::Gogga;
use crate::error::{Error, ErrorKind, Result};
use crate::event::Event;
use crate::search::{SearchOptions, SearchResults};
use crate::spawn::blocking;
use crate::store::{DocStatus, DocumentRow, FolderRow, JobState, NewJob};

use super::library::{Library, VectorState};
use super::worker::{DocumentJob, INGEST, IngestJob, REINDEX, REMOVE, RESCAN};

/// How `index` runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexOptions {
    /// Attach the files to this conversation instead of the shared library.
    pub conversation: Option<String>,
    /// Return only once the new chunks have vectors (when embeddings work).
    pub wait_for_embeddings: bool,
    /// The queue batch id to use (so the caller can cancel); new if `None`.
    pub batch: Option<String>,
}

impl Default for IndexOptions {
    fn default() -> Self {
        IndexOptions { conversation: None, wait_for_embeddings: true, batch: None }
    }
}

/// What happened to one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileReport {
    pub path: String,
    /// added, updated, unchanged, removed, failed, skipped or cancelled.
    pub outcome: String,
    pub chunks: Option<u64>,
    pub code: Option<String>,
    pub message: Option<String>,
}

/// The result of an import.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndexReport {
    /// The queue batch id (for `cancel_index`).
    pub batch: String,
    pub files: Vec<FileReport>,
    pub chunks_added: u64,
    /// Chunks of these files still without a vector.
    pub embeddings_pending: u64,
    /// Why embeddings were not waited for, if they were not.
    pub embeddings_note: Option<String>,
    pub elapsed_ms: u64,
}

impl IndexReport {
    /// Files with this outcome.
    pub fn count(&self, outcome: &str) -> usize {
        self.files.iter().filter(|f| f.outcome == outcome).count()
    }

    /// Whether any file failed.
    pub fn has_failures(&self) -> bool {
        self.count("failed") > 0
    }
}

/// A document as the shells list it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocumentInfo {
    pub id: String,
    pub path: String,
    pub title: String,
    pub format: String,
    pub status: DocStatus,
    pub conversation_id: Option<String>,
    pub chunks: i64,
    pub size_bytes: i64,
    pub error_code: Option<String>,
    pub error: Option<String>,
    pub updated_at: i64,
}

impl From<DocumentRow> for DocumentInfo {
    fn from(d: DocumentRow) -> Self {
        DocumentInfo {
            id: d.id,
            path: d.path,
            title: d.title,
            format: d.format,
            status: d.status,
            conversation_id: d.conversation_id,
            chunks: d.chunk_count,
            size_bytes: d.size_bytes,
            error_code: d.error_code,
            error: d.error,
            updated_at: d.updated_at,
        }
    }
}

/// The result of starting to watch a folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WatchReport {
    pub folder: String,
    /// This process leads and watches it now.
    pub watching_here: bool,
    /// The leading process, when another one watches it.
    pub leader_pid: Option<u32>,
}

/// The library's state for status screens.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LibraryStatus {
    pub documents: i64,
    pub failed_documents: i64,
    pub chunks: i64,
    pub folders: i64,
    /// Queued or running jobs per kind.
    pub queue: Vec<(String, i64)>,
    /// Chunks still without a vector of the target model.
    pub chunks_without_vectors: i64,
    /// Stored vectors per model.
    pub vectors: Vec<(String, i64)>,
    pub active_model: String,
    pub target_model: String,
    /// "ready", "loading", or "unavailable: why".
    pub vector_search: String,
    /// Chunks per second of the leader's embedding, when it is embedding.
    pub embed_rate: Option<f64>,
    pub leader: bool,
    pub leader_pid: Option<u32>,
    /// Vectors computed for a text that already had one (should stay 0).
    pub vectors_redone: i64,
}

/// The full-text index compared with SQLite, chunk by chunk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IndexCheck {
    pub sqlite_chunks: usize,
    pub index_chunks: usize,
    /// In SQLite, not in the index.
    pub missing: usize,
    /// In the index, not in SQLite.
    pub extra: usize,
}

impl IndexCheck {
    /// Both hold exactly the same chunks.
    pub fn agrees(&self) -> bool {
        self.missing == 0 && self.extra == 0
    }
}

impl Gogga {
    pub(crate) fn library(&self) -> &Arc<Library> {
        &self.inner.library.0
    }

    /// Import files and folders (recursively), then wait until they are
    /// stored and indexed (and, by default, embedded). Per-file failures
    /// are in the report; the call fails only when nothing could be queued.
    pub async fn index(&self, paths: Vec<PathBuf>, options: IndexOptions) -> Result<IndexReport> {
        let started = Instant::now();
        let lib = Arc::clone(self.library());
        let conversation = options.conversation.clone();
        let batch = options.batch.clone().unwrap_or_else(crate::id::new_id);
        let (batch, mut files, queued) = blocking(move || {
            let (files, queued) = enqueue_paths(&lib, &paths, conversation, &batch)?;
            Ok((batch, files, queued))
        })
        .await?;
        let jobs = self.wait_batch(&batch, queued as u64).await?;
        let mut chunks_added = 0;
        let mut paths = Vec::new();
        for job in jobs {
            let payload: IngestJob =
                serde_json::from_str(&job.payload).map_err(|e| Error::internal(e.to_string()))?;
            let (outcome, chunks) = match (&job.state, job.outcome.as_deref()) {
                (JobState::Done, Some(o)) => match o.split_once(':') {
                    Some((verb, n)) => (verb.to_owned(), n.parse::<u64>().ok()),
                    None => (o.to_owned(), None),
                },
                (JobState::Cancelled, _) => ("cancelled".to_owned(), None),
                _ => ("failed".to_owned(), None),
            };
            chunks_added += chunks.unwrap_or(0);
            // Unchanged files too: an earlier, interrupted import may have
            // left their chunks without vectors.
            if outcome == "added" || outcome == "updated" || outcome == "unchanged" {
                paths.push(payload.path.clone());
            }
            let failed = outcome == "failed";
            files.push(FileReport {
                path: payload.path,
                outcome,
                chunks,
                code: if failed { job.error_code } else { None },
                message: if failed { job.error } else { None },
            });
        }
        files.sort_by(|a, b| a.path.cmp(&b.path));
        let (embeddings_pending, embeddings_note) = if options.wait_for_embeddings {
            self.wait_embeddings(paths, options.conversation.clone()).await?
        } else {
            (0, Some("not waited for".into()))
        };
        Ok(IndexReport {
            batch,
            files,
            chunks_added,
            embeddings_pending,
            embeddings_note,
            elapsed_ms: started.elapsed().as_millis() as u64,
        })
    }

    /// Poll a batch until every job finished; report progress meanwhile
    /// when another process does the work.
    async fn wait_batch(&self, batch: &str, total: u64) -> Result<Vec<crate::store::JobRow>> {
        loop {
            // Count first; the rows (thousands for a big import) are read
            // once, at the end (measured: reading them every poll cost
            // about a tenth of an import's CPU time).
            let lib = Arc::clone(self.library());
            let b = batch.to_owned();
            let unfinished = blocking(move || lib.store.batch_unfinished(&b)).await?;
            if unfinished == 0 {
                let lib = Arc::clone(self.library());
                let b = batch.to_owned();
                return blocking(move || lib.store.batch_jobs(&b)).await;
            }
            let done = total.saturating_sub(unfinished);
            if !self.is_leader() {
                self.inner.events.emit(Event::IndexProgress {
                    files_done: done,
                    files_total: total,
                    files_failed: 0,
                    chunks_done: 0,
                    chunks_total: 0,
                    chunks_per_sec: 0.0,
                    eta_secs: None,
                });
            }
            tokio::time::sleep(Duration::from_millis(150)).await;
        }
    }

    /// Wait until the documents at `paths` have every vector; returns the
    /// chunks still pending and a note when not waiting was the answer.
    async fn wait_embeddings(
        &self,
        paths: Vec<String>,
        conversation: Option<String>,
    ) -> Result<(u64, Option<String>)> {
        let lib = Arc::clone(self.library());
        let docs: Vec<String> = blocking(move || {
            let mut ids = Vec::new();
            for p in paths {
                if let Some(d) = lib.store.document_by_path(&p, conversation.as_deref())? {
                    ids.push(d.id);
                }
            }
            Ok(ids)
        })
        .await?;
        let mut idle_since: Option<Instant> = None;
        let mut first_total = None;
        let mut rate = super::progress::Rate::default();
        loop {
            let lib = Arc::clone(self.library());
            let ids = docs.clone();
            let (pending, embed_jobs, state) = blocking(move || {
                let model = lib.target_model();
                let pending = lib.store.count_pending_chunks(&ids, &model)? as u64;
                let jobs =
                    lib.store.queue_depth()?.into_iter().find(|(k, _)| k == "embed").map_or(0, |(_, n)| n);
                Ok((pending, jobs, lib.vector_state()))
            })
            .await?;
            if pending == 0 {
                return Ok((0, None));
            }
            if let VectorState::Unavailable(why) = &state
                && self.is_leader()
            {
                return Ok((pending, Some(format!("embeddings unavailable: {why}"))));
            }
            let total = *first_total.get_or_insert(pending);
            if !self.is_leader() {
                let done = total.saturating_sub(pending);
                let per_sec = rate.update(done);
                self.inner.events.emit(Event::IndexProgress {
                    files_done: 0,
                    files_total: 0,
                    files_failed: 0,
                    chunks_done: done,
                    chunks_total: total,
                    chunks_per_sec: per_sec,
                    eta_secs: (per_sec > 0.0).then(|| pending as f64 / per_sec),
                });
            }
            // Nobody is working on them (no leader with an embedder): say so.
            if embed_jobs == 0 {
                let since = *idle_since.get_or_insert_with(Instant::now);
                if since.elapsed() > Duration::from_secs(5) {
                    return Ok((
                        pending,
                        Some("no process is embedding them now; they will be embedded later".into()),
                    ));
                }
            } else {
                idle_since = None;
            }
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
    }

    /// Cancel the files of an import still waiting in the queue.
    pub async fn cancel_index(&self, batch: &str) -> Result<usize> {
        let lib = Arc::clone(self.library());
        let b = batch.to_owned();
        blocking(move || lib.store.cancel_batch(&b)).await
    }

    /// Watch a folder: it is scanned now and kept in step by the leader
    /// (added, changed, deleted and renamed files), also across restarts.
    pub async fn watch_folder(&self, path: PathBuf) -> Result<WatchReport> {
        let lib = Arc::clone(self.library());
        let folder = blocking(move || {
            let real =
                path.canonicalize().map_err(|e| Error::io(format!("watching {}", path.display()), e))?;
            if !real.is_dir() {
                return Err(Error::invalid(format!("{} is not a folder", real.display())));
            }
            let row: FolderRow = lib.store.add_folder(&real.display().to_string())?;
            let payload = serde_json::json!({ "folder": row.path }).to_string();
            lib.store.enqueue_unique(&NewJob { kind: RESCAN.into(), payload, batch: None })?;
            lib.signal.notify();
            Ok(row.path)
        })
        .await?;
        Ok(WatchReport { folder, watching_here: self.is_leader(), leader_pid: self.leader_pid() })
    }

    /// Stop watching a folder (its documents stay).
    pub async fn unwatch_folder(&self, path: PathBuf) -> Result<bool> {
        let lib = Arc::clone(self.library());
        blocking(move || {
            let key = path.canonicalize().unwrap_or(path).display().to_string();
            let removed = lib.store.remove_folder(&key)?;
            lib.signal.notify();
            Ok(removed)
        })
        .await
    }

    /// Watched folders.
    pub async fn folders(&self) -> Result<Vec<FolderRow>> {
        let lib = Arc::clone(self.library());
        blocking(move || lib.store.folders()).await
    }

    /// Every document (library and attachments), by path.
    pub async fn documents(&self) -> Result<Vec<DocumentInfo>> {
        let lib = Arc::clone(self.library());
        blocking(move || Ok(lib.store.documents(None)?.into_iter().map(DocumentInfo::from).collect())).await
    }

    /// Remove documents given by id, file path or folder path; returns the
    /// ones removed. Nothing matching any target is a `NotFound` error.
    pub async fn remove_documents(&self, targets: Vec<String>) -> Result<Vec<DocumentInfo>> {
        let lib = Arc::clone(self.library());
        let (batch, docs) = blocking(move || {
            let all = lib.store.documents(None)?;
            let mut chosen: Vec<DocumentRow> = Vec::new();
            let mut unknown = Vec::new();
            for t in &targets {
                let real = std::path::Path::new(t)
                    .canonicalize()
                    .map(|p| p.display().to_string())
                    .unwrap_or(t.clone());
                let prefix = format!("{}/", real.trim_end_matches('/'));
                let matched: Vec<&DocumentRow> = all
                    .iter()
                    .filter(|d| d.id == *t || d.path == real || d.path.starts_with(&prefix))
                    .collect();
                if matched.is_empty() {
                    unknown.push(t.clone());
                }
                for d in matched {
                    if !chosen.iter().any(|c| c.id == d.id) {
                        chosen.push(d.clone());
                    }
                }
            }
            if chosen.is_empty() {
                return Err(Error::not_found(format!("no document matches {}", unknown.join(", "))));
            }
            let batch = crate::id::new_id();
            let jobs: Vec<NewJob> = chosen
                .iter()
                .map(|d| NewJob {
                    kind: REMOVE.into(),
                    payload: serde_json::to_string(&DocumentJob { document_id: d.id.clone() })
                        .unwrap_or_default(),
                    batch: Some(batch.clone()),
                })
                .collect();
            lib.store.enqueue(&jobs)?;
            lib.signal.notify();
            Ok((batch, chosen))
        })
        .await?;
        let jobs = self.wait_batch(&batch, docs.len() as u64).await?;
        if let Some(failed) = jobs.iter().find(|j| j.state != JobState::Done) {
            return Err(Error::new(
                ErrorKind::Store,
                failed.error.clone().unwrap_or_else(|| "removal failed".into()),
            ));
        }
        Ok(docs.into_iter().map(DocumentInfo::from).collect())
    }

    /// Search the library (and one conversation's attachments).
    pub async fn search(&self, query: &str, options: SearchOptions) -> Result<SearchResults> {
        let lib = Arc::clone(self.library());
        let q = query.to_owned();
        let fusion = options.fusion.unwrap_or(self.config().library.fusion);
        blocking(move || super::retrieval::search(&lib, &q, &options, fusion, None)).await
    }

    /// Search with a query vector made beforehand (benchmarks measure the
    /// search without the embedding this way).
    pub async fn search_with_vector(
        &self,
        query: &str,
        vector: Vec<f32>,
        options: SearchOptions,
    ) -> Result<SearchResults> {
        let lib = Arc::clone(self.library());
        let q = query.to_owned();
        let fusion = options.fusion.unwrap_or(self.config().library.fusion);
        blocking(move || super::retrieval::search(&lib, &q, &options, fusion, Some(vector))).await
    }

    /// As [`Gogga::search_with_vector`] (or embedding the query when
    /// `vector` is `None`), with the time each stage took (benchmarks).
    pub async fn search_timed(
        &self,
        query: &str,
        vector: Option<Vec<f32>>,
        options: SearchOptions,
    ) -> Result<(SearchResults, crate::search::SearchTimings)> {
        let lib = Arc::clone(self.library());
        let q = query.to_owned();
        let fusion = options.fusion.unwrap_or(self.config().library.fusion);
        blocking(move || super::retrieval::search_timed(&lib, &q, &options, fusion, vector)).await
    }

    /// Embed a query with the model search uses.
    pub async fn embed_query(&self, query: &str) -> Result<Vec<f32>> {
        let lib = Arc::clone(self.library());
        let q = query.to_owned();
        blocking(move || super::retrieval::embed_query(&lib, &q)).await
    }

    /// The user started typing a question: load the question embedder now
    /// (~0.5 s the first time, nothing once loaded) so sending does not
    /// wait for it. False when search has no vectors to embed for.
    pub async fn prepare_question(&self) -> Result<bool> {
        let lib = Arc::clone(self.library());
        blocking(move || super::retrieval::prepare_query(&lib)).await
    }

    /// Rebuild the full-text index from SQLite (done by the leader).
    pub async fn reindex(&self) -> Result<String> {
        let lib = Arc::clone(self.library());
        let batch = crate::id::new_id();
        let b = batch.clone();
        blocking(move || {
            lib.store.enqueue(&[NewJob { kind: REINDEX.into(), payload: "{}".into(), batch: Some(b) }])?;
            lib.signal.notify();
            Ok(())
        })
        .await?;
        let jobs = self.wait_batch(&batch, 1).await?;
        match jobs.into_iter().next() {
            Some(j) if j.state == JobState::Done => Ok(j.outcome.unwrap_or_default()),
            Some(j) => Err(Error::new(ErrorKind::Search, j.error.unwrap_or_else(|| "reindex failed".into()))),
            None => Err(Error::internal("the reindex job vanished")),
        }
    }

    /// (chunk id, path, heading path) of every chunk, in id order.
    pub async fn chunk_outline(&self) -> Result<Vec<(i64, String, String)>> {
        let lib = Arc::clone(self.library());
        blocking(move || lib.store.chunk_outline()).await
    }

    /// The first `limit` chunks' texts as they are embedded (heading path
    /// and passage), in id order.
    pub async fn chunk_texts(&self, limit: usize) -> Result<Vec<String>> {
        let lib = Arc::clone(self.library());
        blocking(move || {
            Ok(lib
                .store
                .chunk_texts(limit)?
                .into_iter()
                .map(|(h, t)| super::chunk::embed_text(&h, &t))
                .collect())
        })
        .await
    }

    /// Compare the full-text index with SQLite (as this process reads it).
    pub async fn check_index(&self) -> Result<IndexCheck> {
        let lib = Arc::clone(self.library());
        blocking(move || {
            let index = lib.require_index()?;
            index.reload()?;
            let in_store: Vec<u64> = lib.store.all_chunk_ids()?.into_iter().map(|i| i as u64).collect();
            let in_index = index.chunk_ids()?;
            let (missing, extra) = super::supervisor::diff(&in_store, &in_index);
            Ok(IndexCheck {
                sqlite_chunks: in_store.len(),
                index_chunks: in_index.len(),
                missing: missing.len(),
                extra: extra.len(),
            })
        })
        .await
    }

    /// Counts, queue, models and who leads.
    pub async fn library_status(&self) -> Result<LibraryStatus> {
        let lib = Arc::clone(self.library());
        blocking(move || library_status(&lib)).await
    }

    /// Whether this process leads the library (runs the workers).
    pub fn is_leader(&self) -> bool {
        self.library().is_leader()
    }

    /// The pid of the leading process, if any leads.
    pub fn leader_pid(&self) -> Option<u32> {
        super::leader::leader_pid(&self.paths().data_dir)
    }

    /// Pause or resume this process's workers (queued work stays queued).
    pub fn pause_indexing(&self, paused: bool) {
        self.library().paused.store(paused, std::sync::atomic::Ordering::Relaxed);
        self.library().signal.notify();
    }

    /// Wait until no library work is queued or running (at most `timeout`);
    /// true when idle.
    pub async fn wait_idle(&self, timeout: Duration) -> Result<bool> {
        let deadline = Instant::now() + timeout;
        loop {
            let lib = Arc::clone(self.library());
            let busy =
                blocking(move || Ok(lib.store.queue_depth()?.iter().map(|(_, n)| *n).sum::<i64>())).await?;
            if busy == 0 {
                return Ok(true);
            }
            if Instant::now() >= deadline {
                return Ok(false);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Stop the library's threads and give up leadership (another process
    /// can take over at once). Waits for the slice of work in flight.
    pub async fn shutdown(&self) -> Result<()> {
        let lib = Arc::clone(self.library());
        blocking(move || {
            lib.shutdown();
            Ok(())
        })
        .await
    }
}

/// Walk `paths` and queue an ingest job per file in `batch` (blocking).
/// Returns the paths that failed or were left out, and how many files were
/// queued.
pub(crate) fn enqueue_paths(
    lib: &Library,
    paths: &[PathBuf],
    conversation: Option<String>,
    batch: &str,
) -> Result<(Vec<FileReport>, usize)> {
    let walked = super::walk::walk(paths);
    let mut jobs = Vec::new();
    for (path, explicit) in &walked.files {
        let job = IngestJob {
            path: path.display().to_string(),
            conversation_id: conversation.clone(),
            explicit: *explicit,
        };
        let payload = serde_json::to_string(&job).map_err(|e| Error::internal(e.to_string()))?;
        jobs.push(NewJob { kind: INGEST.into(), payload, batch: Some(batch.to_owned()) });
    }
    lib.store.enqueue(&jobs)?;
    lib.signal.notify();
    let mut files = Vec::new();
    for (path, e) in walked.failures {
        lib.events.emit(Event::FileFailed {
            path: path.display().to_string(),
            code: e.code.into(),
            message: e.message.clone(),
        });
        files.push(FileReport {
            path: path.display().to_string(),
            outcome: "failed".into(),
            chunks: None,
            code: Some(e.code.into()),
            message: Some(e.message),
        });
    }
    for (path, why) in walked.skipped {
        files.push(FileReport {
            path: path.display().to_string(),
            outcome: "skipped".into(),
            chunks: None,
            code: None,
            message: Some(why),
        });
    }
    Ok((files, jobs.len()))
}

pub(crate) fn library_status(lib: &Library) -> Result<LibraryStatus> {
    let counts = lib.store.library_counts()?;
    let target = lib.target_model();
    let vector_search = match lib.vector_state() {
        VectorState::Ready => "ready".to_owned(),
        VectorState::Loading => "loading".to_owned(),
        VectorState::Idle => "not loaded in this process".to_owned(),
        VectorState::Unavailable(why) => format!("unavailable: {why}"),
    };
    Ok(LibraryStatus {
        documents: counts.documents,
        failed_documents: counts.failed_documents,
        chunks: counts.chunks,
        folders: counts.folders,
        queue: counts.queue,
        chunks_without_vectors: lib.store.count_missing_vectors(&target)?,
        vectors: counts.vectors,
        active_model: lib.active_model()?,
        target_model: target,
        vector_search,
        embed_rate: super::progress::recorded_rate(lib),
        leader: lib.is_leader(),
        leader_pid: super::leader::leader_pid(&lib.settings.data_dir),
        vectors_redone: lib.store.meta("library.vectors_redone")?.and_then(|v| v.parse().ok()).unwrap_or(0),
    })
}
