//! The leader's ingest worker: leases file jobs from the durable queue in
//! batches and hands each to the extraction thread ([`Extractor`]), which
//! runs the files through the pipeline while the worker stores the batch
//! before: documents, chunks and their embedding jobs in SQLite (one
//! transaction per [`FLUSH_BYTES`] of text), then the full-text index
//! (committed at most every [`COMMIT_EVERY`]) and the in-memory vectors.
//! SQLite commits first: a crash between the two commits is repaired by
//! the start-up check, never lost. A failing file fails alone (retried
//! when it may help, e.g. it changed while read).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::event::Event;
use crate::search::IndexDoc;
use crate::store::{Applied, IndexChunk, IngestWrite, JobRow, NewJob, now_ms};

use super::extractor::{Extracted, Extractor};
use super::library::{Library, write};
use super::pipeline::{Chunks, Outcome};

pub(crate) const INGEST: &str = "ingest";
pub(crate) const REMOVE: &str = "remove";
pub(crate) const RESCAN: &str = "rescan";
pub(crate) const REINDEX: &str = "reindex";
pub(crate) const EMBED: &str = "embed";

/// Lease length: a batch with a very large file can take minutes.
pub(crate) const LEASE_MS: i64 = 10 * 60 * 1000;
/// Files leased at once. Each lease is a transaction that sorts the queue,
/// so larger batches mean fewer of both; memory does not grow with it (the
/// extraction thread streams files, and text is stored every FLUSH_BYTES).
const BATCH_FILES: usize = 256;
/// Chunk text gathered before it is written to SQLite in one transaction
/// (each commit waits for an fsync, so few and large is faster).
const FLUSH_BYTES: usize = 16 * 1024 * 1024;
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
    let mut extractor = match Extractor::start(lib) {
        Ok(e) => e,
        Err(e) => {
            tracing::error!(error = %e, "starting the extraction thread: no files will be imported");
            return;
        }
    };
    let mut staged = Staged::default();
    while !lib.stopping() {
        match step(lib, &mut staged, &mut extractor) {
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
    // Stopping: batches in flight come back as stopped jobs and return to
    // the queue; what is stored is made searchable.
    while extractor.in_flight() > 0 {
        if let Err(e) = ingest(lib, &mut extractor, &mut staged) {
            tracing::error!(error = %e, "ingest worker at stop");
        }
    }
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
fn step(lib: &Library, staged: &mut Staged, extractor: &mut Extractor) -> Result<bool> {
    if lib.paused.load(std::sync::atomic::Ordering::Relaxed) {
        if extractor.in_flight() > 0 {
            ingest(lib, extractor, staged)?;
            return Ok(true);
        }
        return Ok(false);
    }
    for kind in [REINDEX, REMOVE, RESCAN] {
        let jobs = lib.store.lease_jobs(kind, &lib.instance, LEASE_MS, 1)?;
        if let Some(job) = jobs.into_iter().next() {
            // Imports leased before this job are stored before it runs.
            while extractor.in_flight() > 0 {
                ingest(lib, extractor, staged)?;
            }
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
    let leased = !jobs.is_empty();
    if leased {
        extractor.send(jobs)?;
    }
    // One batch is extracted while the one before is stored.
    if extractor.in_flight() > usize::from(leased) {
        ingest(lib, extractor, staged)?;
    } else if !leased {
        return Ok(false);
    }
    let drained = !leased && extractor.in_flight() == 0;
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

/// Store the oldest batch in flight as the extraction thread delivers it.
fn ingest(lib: &Library, extractor: &mut Extractor, staged: &mut Staged) -> Result<()> {
    let result = store_batch(lib, extractor, staged);
    if result.is_err() {
        extractor.skip_batch();
    }
    result
}

/// What waits for the next SQLite transaction.
#[derive(Default)]
struct Pending {
    writes: Vec<IngestWrite>,
    done: Vec<(i64, String)>,
    failures: Vec<Failure>,
    files: u64,
    bytes: usize,
}

fn store_batch(lib: &Library, extractor: &mut Extractor, staged: &mut Staged) -> Result<()> {
    let embed_jobs = lib.embeddings_on();
    let mut pending = Pending::default();
    while let Some(item) = extractor.next()? {
        let (job, path, known, outcome) = match item {
            Extracted::File { job, path, known, outcome } => (job, path, known, outcome),
            Extracted::Stopped { job } => {
                // Back in the queue right away, not after the lease runs out.
                lib.store.fail_job(job.id, "stopped", "the worker stopped", Some(0))?;
                continue;
            }
            Extracted::Invalid { job, message } => {
                lib.store.fail_job(job.id, "invalid", &message, None)?;
                continue;
            }
            Extracted::Failed { error } => return Err(error),
            Extracted::BatchEnd => continue,
        };
        pending.files += 1;
        let verb = if known { "updated" } else { "added" };
        match outcome {
            Outcome::Unchanged { .. } => pending.done.push((job.id, "unchanged".to_owned())),
            Outcome::Touched { document_id, size_bytes, mtime_ns } => {
                pending.writes.push(IngestWrite::Touch { document_id, size_bytes, mtime_ns });
                pending.done.push((job.id, "unchanged".to_owned()));
            }
            Outcome::Gone { document_id } => {
                pending.writes.push(IngestWrite::Remove { document_id });
                pending.done.push((job.id, "removed".to_owned()));
            }
            Outcome::Replaced { meta, content_hash, chunks: Chunks::Memory(chunks), .. } => {
                let n = chunks.len();
                pending.bytes += chunks.iter().map(|c| c.text.len()).sum::<usize>();
                pending.writes.push(IngestWrite::Replace { meta, content_hash, chunks });
                pending.done.push((job.id, format!("{verb}:{n}")));
            }
            Outcome::Replaced { meta, content_hash, chunks: Chunks::Spilled(mut spill), .. } => {
                let n = spill.len();
                let mut reader = spill.read()?;
                let applied =
                    lib.store.replace_streamed(&meta, &content_hash, &mut reader, None, embed_jobs)?;
                index_added_from_store(lib, &applied)?;
                pending.done.push((job.id, format!("{verb}:{n}")));
            }
            Outcome::Failed { meta, error, retry } => {
                if retry && job.attempts < MAX_ATTEMPTS {
                    let at = now_ms() + 2000 * job.attempts;
                    lib.store.fail_job(job.id, error.code, &error.message, Some(at))?;
                    continue;
                }
                if let Some(meta) = meta {
                    pending.writes.push(IngestWrite::Fail {
                        meta,
                        code: error.code.into(),
                        message: error.message.clone(),
                    });
                }
                pending.failures.push(Failure {
                    job: job.id,
                    path,
                    code: error.code,
                    message: error.message,
                });
            }
        }
        if pending.bytes >= FLUSH_BYTES {
            flush(lib, std::mem::take(&mut pending), staged, embed_jobs)?;
        }
    }
    flush(lib, pending, staged, embed_jobs)
}

/// Store what is pending in one transaction and stage it in the indexes.
/// Its jobs finish at the next index commit (see `Staged`). A crash before
/// it re-runs them, which costs a stat each: the files are stored and
/// unchanged by then, and the start-up check repairs the index.
fn flush(lib: &Library, pending: Pending, staged: &mut Staged, embed_jobs: bool) -> Result<()> {
    if !pending.writes.is_empty() {
        let applied = lib.store.apply_ingest(&pending.writes, &[], embed_jobs)?;
        stage_indexes(lib, &pending.writes, &applied)?;
    }
    staged.done.extend(pending.done);
    staged.failures.extend(pending.failures);
    staged.files += pending.files;
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
