//! The leader's ingest worker: leases file jobs from the durable queue in
//! batches, runs each file through the pipeline, stores the batch in ONE
//! SQLite transaction (documents, chunks, finished jobs and their embedding
//! jobs together), then updates the full-text index (one commit per batch)
//! and the in-memory vectors. SQLite commits first: a crash between the two
//! commits is repaired by the start-up check, never lost. A failing file
//! fails alone (retried when it may help, e.g. it changed while read).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::event::Event;
use crate::search::IndexDoc;
use crate::store::{Applied, IndexChunk, IngestWrite, JobRow, NewJob, now_ms};

use super::library::{Library, write};
use super::pipeline::{self, Chunks, Outcome};

pub(crate) const INGEST: &str = "ingest";
pub(crate) const REMOVE: &str = "remove";
pub(crate) const RESCAN: &str = "rescan";
pub(crate) const REINDEX: &str = "reindex";
pub(crate) const EMBED: &str = "embed";

/// Lease length: a batch with a very large file can take minutes.
const LEASE_MS: i64 = 10 * 60 * 1000;
/// Files per batch (one SQLite transaction, one index commit).
const BATCH_FILES: usize = 64;
/// Attempts for a file whose failure may be temporary.
const MAX_ATTEMPTS: i64 = 3;
/// Longest time staged changes wait for an index commit (a commit fsyncs
/// several files, so committing every small batch would cap throughput).
const COMMIT_EVERY: Duration = Duration::from_secs(2);

/// Batches stored in SQLite and staged in the index, not yet committed
/// there: their jobs finish at the commit, so whoever waits for a job
/// finds its file searchable.
#[derive(Default)]
struct Staged {
    done: Vec<(i64, String)>,
    failures: Vec<Failure>,
    files: u64,
    since: Option<Instant>,
}

/// Payload of an `ingest` job.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct IngestJob {
    pub path: String,
    #[serde(default)]
    pub conversation_id: Option<String>,
    #[serde(default)]
    pub explicit: bool,
}

/// Payload of `remove` and `embed` jobs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct DocumentJob {
    pub document_id: String,
}

/// Payload of a `rescan` job.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct RescanJob {
    pub folder: String,
}

pub(crate) fn index_doc(c: IndexChunk) -> IndexDoc {
    IndexDoc {
        chunk_id: c.id as u64,
        document_id: c.document_id,
        conversation_id: c.conversation_id,
        title: c.title,
        heading: c.heading,
        text: c.text,
    }
}

pub(crate) fn run_ingest(lib: &Arc<Library>) {
    let mut staged = Staged::default();
    while !lib.stopping() {
        match step(lib, &mut staged) {
            Ok(true) => {}
            Ok(false) => {
                if let Err(e) = commit(lib, &mut staged) {
                    tracing::error!(error = %e, "committing the index");
                }
                super::progress::idle(lib);
                lib.signal.wait(Duration::from_millis(500));
            }
            Err(e) => {
                tracing::error!(error = %e, "ingest worker");
                lib.signal.wait(Duration::from_secs(1));
            }
        }
    }
    // Stopping: what is stored is made searchable; the rest stays queued.
    if let Err(e) = commit(lib, &mut staged) {
        tracing::error!(error = %e, "committing the index at stop");
    }
}

/// Commit the index and finish the staged jobs.
fn commit(lib: &Library, staged: &mut Staged) -> Result<()> {
    if staged.since.is_none() {
        return Ok(());
    }
    lib.require_index()?.commit()?;
    lib.store.finish_jobs(&staged.done)?;
    for f in &staged.failures {
        lib.store.fail_job(f.job, f.code, &f.message, None)?;
        lib.events.emit(Event::FileFailed {
            path: f.path.clone(),
            code: f.code.into(),
            message: f.message.clone(),
        });
    }
    super::progress::files_done(lib, staged.files, staged.failures.len() as u64);
    *staged = Staged::default();
    if lib.embeddings_on() {
        lib.signal.notify();
    }
    Ok(())
}

/// Do one batch of work; false when there was none.
fn step(lib: &Library, staged: &mut Staged) -> Result<bool> {
    if lib.paused.load(std::sync::atomic::Ordering::Relaxed) {
        return Ok(false);
    }
    for kind in [REINDEX, REMOVE, RESCAN] {
        let jobs = lib.store.lease_jobs(kind, &lib.instance, LEASE_MS, 1)?;
        if let Some(job) = jobs.into_iter().next() {
            commit(lib, staged)?;
            let result = match kind {
                REINDEX => reindex(lib).map(|n| format!("{n} chunks indexed")),
                REMOVE => remove(lib, &job).map(|()| "removed".to_owned()),
                _ => rescan(lib, &job),
            };
            match result {
                Ok(outcome) => lib.store.finish_jobs(&[(job.id, outcome)])?,
                Err(e) => lib.store.fail_job(job.id, e.code(), e.message(), None)?,
            }
            return Ok(true);
        }
    }
    let jobs = lib.store.lease_jobs(INGEST, &lib.instance, LEASE_MS, BATCH_FILES)?;
    if jobs.is_empty() {
        return Ok(false);
    }
    let drained = jobs.len() < BATCH_FILES;
    ingest(lib, jobs, staged)?;
    if drained || staged.since.is_some_and(|t| t.elapsed() >= COMMIT_EVERY) {
        commit(lib, staged)?;
    }
    Ok(true)
}

fn reindex(lib: &Library) -> Result<usize> {
    let index = lib.require_index()?;
    super::supervisor::rebuild_index(lib, &index)
}

fn remove(lib: &Library, job: &JobRow) -> Result<()> {
    let p: DocumentJob = parse(job)?;
    let applied =
        lib.store.apply_ingest(&[IngestWrite::Remove { document_id: p.document_id }], &[], false)?;
    stage_indexes(lib, &[], &applied)?;
    lib.require_index()?.commit()
}

fn parse<T: for<'de> Deserialize<'de>>(job: &JobRow) -> Result<T> {
    serde_json::from_str(&job.payload)
        .map_err(|e| crate::error::Error::invalid(format!("job {} has a bad payload: {e}", job.id)))
}

/// Queue the changed, new and vanished files of a watched folder.
fn rescan(lib: &Library, job: &JobRow) -> Result<String> {
    let p: RescanJob = parse(job)?;
    let folder = PathBuf::from(&p.folder);
    if !folder.is_dir() {
        tracing::warn!(folder = %folder.display(), "watched folder is missing; its documents are kept");
        return Ok("folder missing".into());
    }
    let walked = super::walk::walk(std::slice::from_ref(&folder));
    let mut stored: std::collections::HashMap<String, crate::store::DocumentRow> = lib
        .store
        .documents_under(&format!("{}/", p.folder.trim_end_matches('/')))?
        .into_iter()
        .map(|d| (d.path.clone(), d))
        .collect();
    let mut jobs = Vec::new();
    for (path, _) in &walked.files {
        let key = path.display().to_string();
        let changed = match stored.remove(&key) {
            Some(doc) => file_changed(path, &doc),
            None => true,
        };
        if changed {
            let payload =
                serde_json::to_string(&IngestJob { path: key, conversation_id: None, explicit: false })
                    .map_err(|e| crate::error::Error::internal(e.to_string()))?;
            jobs.push(NewJob { kind: INGEST.into(), payload, batch: None });
        }
    }
    for (path, doc) in stored {
        if !Path::new(&path).exists() {
            let payload = serde_json::json!({ "document_id": doc.id }).to_string();
            jobs.push(NewJob { kind: REMOVE.into(), payload, batch: None });
        }
    }
    let queued = jobs.len();
    lib.store.enqueue(&jobs)?;
    lib.store.folder_scanned(&p.folder)?;
    lib.signal.notify();
    Ok(format!("{queued} changes queued"))
}

/// Modified time or size differ from what is stored (or it failed before).
pub(crate) fn file_changed(path: &Path, doc: &crate::store::DocumentRow) -> bool {
    let Ok(meta) = std::fs::metadata(path) else { return true };
    let mtime = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos() as i64);
    meta.len() as i64 != doc.size_bytes
        || mtime != doc.mtime_ns
        || doc.status != crate::store::DocStatus::Ready
}

/// A failed file waiting for its record.
struct Failure {
    job: i64,
    path: String,
    code: &'static str,
    message: String,
}

fn ingest(lib: &Library, jobs: Vec<JobRow>, staged: &mut Staged) -> Result<()> {
    let embed_jobs = lib.embeddings_on();
    let spill_dir = lib.settings.data_dir.join("spill");
    let mut writes = Vec::new();
    let mut done = Vec::new();
    let mut failures = Vec::new();
    let mut started = Instant::now();
    let count = jobs.len();
    for job in &jobs {
        if lib.stopping() {
            // Back in the queue right away, not after the lease runs out.
            lib.store.fail_job(job.id, "stopped", "the worker stopped", Some(0))?;
            continue;
        }
        if started.elapsed() > Duration::from_millis((LEASE_MS / 2) as u64) {
            let ids: Vec<i64> = jobs.iter().map(|j| j.id).collect();
            lib.store.extend_leases(&ids, &lib.instance, LEASE_MS)?;
            started = Instant::now();
        }
        let p: IngestJob = match parse(job) {
            Ok(p) => p,
            Err(e) => {
                lib.store.fail_job(job.id, "invalid", e.message(), None)?;
                continue;
            }
        };
        let existing = lib.store.document_by_path(&p.path, p.conversation_id.as_deref())?;
        let outcome = pipeline::process(
            Path::new(&p.path),
            p.conversation_id.as_deref(),
            existing.as_ref(),
            p.explicit,
            &lib.settings.library,
            &spill_dir,
            lib.limits(),
        );
        let verb = if existing.is_some() { "updated" } else { "added" };
        match outcome {
            Outcome::Unchanged { .. } => done.push((job.id, "unchanged".to_owned())),
            Outcome::Touched { document_id, size_bytes, mtime_ns } => {
                writes.push(IngestWrite::Touch { document_id, size_bytes, mtime_ns });
                done.push((job.id, "unchanged".to_owned()));
            }
            Outcome::Gone { document_id } => {
                writes.push(IngestWrite::Remove { document_id });
                done.push((job.id, "removed".to_owned()));
            }
            Outcome::Replaced { meta, content_hash, chunks: Chunks::Memory(chunks), .. } => {
                let n = chunks.len();
                writes.push(IngestWrite::Replace { meta, content_hash, chunks });
                done.push((job.id, format!("{verb}:{n}")));
            }
            Outcome::Replaced { meta, content_hash, chunks: Chunks::Spilled(mut spill), .. } => {
                let n = spill.len();
                let mut reader = spill.read()?;
                let applied =
                    lib.store.replace_streamed(&meta, &content_hash, &mut reader, None, embed_jobs)?;
                index_added_from_store(lib, &applied)?;
                done.push((job.id, format!("{verb}:{n}")));
            }
            Outcome::Failed { meta, error, retry } => {
                if retry && job.attempts < MAX_ATTEMPTS {
                    let at = now_ms() + 2000 * job.attempts;
                    lib.store.fail_job(job.id, error.code, &error.message, Some(at))?;
                    continue;
                }
                if let Some(meta) = meta {
                    writes.push(IngestWrite::Fail {
                        meta,
                        code: error.code.into(),
                        message: error.message.clone(),
                    });
                }
                failures.push(Failure {
                    job: job.id,
                    path: p.path.clone(),
                    code: error.code,
                    message: error.message,
                });
            }
        }
    }
    // Jobs finish at the next index commit (see `Staged`). A crash before
    // it re-runs them, which costs a stat each: the files are stored and
    // unchanged by then, and the start-up check repairs the index.
    let applied = lib.store.apply_ingest(&writes, &[], embed_jobs)?;
    stage_indexes(lib, &writes, &applied)?;
    staged.done.extend(done);
    staged.failures.extend(failures);
    staged.files += count as u64;
    staged.since.get_or_insert_with(Instant::now);
    Ok(())
}

/// Stage a stored batch in the full-text index (committed later) and apply
/// it to the in-memory vectors (removed chunks out; added chunks whose
/// text already has a vector in, so they are never embedded again).
fn stage_indexes(lib: &Library, writes: &[IngestWrite], applied: &[Applied]) -> Result<()> {
    let index = lib.require_index()?;
    let mut added_ids = Vec::new();
    let mut removed = Vec::new();
    for (i, a) in applied.iter().enumerate() {
        let gone: Vec<u64> = a.removed_chunks.iter().map(|id| *id as u64).collect();
        index.delete_chunks(&gone)?;
        removed.extend(gone);
        if let Some(IngestWrite::Replace { meta, chunks, .. }) = writes.get(i)
            && let Some(doc_id) = &a.document_id
        {
            let docs: Vec<IndexDoc> = chunks
                .iter()
                .zip(&a.added_chunks)
                .map(|(c, id)| IndexDoc {
                    chunk_id: *id as u64,
                    document_id: doc_id.clone(),
                    conversation_id: meta.conversation_id.clone(),
                    title: meta.title.clone(),
                    heading: c.heading.clone(),
                    text: c.text.clone(),
                })
                .collect();
            index.upsert(&docs)?;
            added_ids.extend(a.added_chunks.iter().copied());
        }
    }
    reuse_vectors(lib, &removed, &added_ids)
}

/// After a streamed (very large) document: stage its chunks from SQLite.
fn index_added_from_store(lib: &Library, applied: &Applied) -> Result<()> {
    let index = lib.require_index()?;
    index.delete_chunks(&applied.removed_chunks.iter().map(|id| *id as u64).collect::<Vec<_>>())?;
    for page in applied.added_chunks.chunks(4096) {
        let rows = lib.store.index_chunks(page)?;
        index.upsert(&rows.into_iter().map(index_doc).collect::<Vec<_>>())?;
    }
    let removed: Vec<u64> = applied.removed_chunks.iter().map(|id| *id as u64).collect();
    reuse_vectors(lib, &removed, &applied.added_chunks)
}

fn reuse_vectors(lib: &Library, removed: &[u64], added: &[i64]) -> Result<()> {
    let Some(model) = lib.query_embedder().map(|e| e.model_id().to_owned()) else { return Ok(()) };
    let mut found = Vec::new();
    for page in added.chunks(4096) {
        found.extend(lib.store.chunk_vectors(&model, page)?);
    }
    let mut guard = write(&lib.vectors);
    if let Some(v) = guard.as_mut() {
        for id in removed {
            v.remove(*id);
        }
        for r in found {
            v.upsert(r.chunk_id as u64, r.conversation_id.as_deref(), &r.vector);
        }
    }
    Ok(())
}
