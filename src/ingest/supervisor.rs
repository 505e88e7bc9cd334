//! The library's background thread. It first loads the active model's
//! vectors and sets up its query embedder (search waits for that, the UI
//! does not; the model itself loads on first use and is freed after
//! [`EMBEDDER_IDLE`] unused), then
//! competes for leadership once a second. The leader takes the index
//! writer, re-queues the jobs of dead processes, checks the index against
//! SQLite (rebuilding what disagrees), queues embedding work that was lost,
//! re-scans watched folders, and starts the workers. A follower reloads its
//! reader and picks up new vectors when SQLite's data version moves.

use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::error::{Error, ErrorKind, Result};
use crate::search::TextIndex;
use crate::store::{NewJob, now_ms};

use super::leader::LeaderLock;
use super::library::{ACTIVE_MODEL_KEY, Library, VectorState, write};
use super::worker::{self, EMBED, RESCAN};

/// How often a follower tries to become leader and checks for changes.
const TICK: Duration = Duration::from_millis(500);
/// How long the embedding model may sit unused before its memory is freed
/// (reloading it costs about half a second on the next query or import).
pub(crate) const EMBEDDER_IDLE: Duration = Duration::from_secs(5 * 60);

pub(crate) fn run(lib: &Arc<Library>) {
    let mut marks = if lib.settings.workers { load_active(lib) } else { (0, 0) };
    let mut next_election = Instant::now();
    while !lib.stopping() {
        if lib.vector_state() == VectorState::Idle
            && lib.want_vectors.load(std::sync::atomic::Ordering::Relaxed)
        {
            lib.set_vector_state(VectorState::Loading);
            marks = load_active(lib);
        }
        if lib.settings.workers && !lib.is_leader() && Instant::now() >= next_election {
            next_election = Instant::now() + Duration::from_secs(1);
            match LeaderLock::try_acquire(&lib.settings.data_dir) {
                // Leader only once set up: the lock is published after the
                // index is repaired and the workers run.
                Ok(Some(lock)) => match become_leader(lib) {
                    Ok(()) => *super::library::lock(&lib.leader) = Some(lock),
                    Err(e) => {
                        tracing::error!(error = %e, "could not take over as leader; retrying");
                        lib.abandon_takeover();
                    }
                },
                Ok(None) => {}
                Err(e) => tracing::warn!(error = %e, "leader election failed"),
            }
        }
        if !lib.is_leader()
            && let Err(e) = refresh(lib, &mut marks)
        {
            tracing::debug!(error = %e, "refresh failed");
        }
        if let Some(embedder) = lib.query_embedder() {
            embedder.release_idle(EMBEDDER_IDLE);
        }
        lib.signal.wait(TICK);
    }
}

/// Load the query embedder and the vectors of the active model. Returns
/// the store's (vector, chunk) high-water marks at load time.
fn load_active(lib: &Library) -> (i64, i64) {
    let marks = lib.store.vector_marks().unwrap_or((0, 0));
    let model = match lib.active_model() {
        Ok(m) => m,
        Err(e) => {
            lib.set_vector_state(VectorState::Unavailable(e.to_string()));
            return marks;
        }
    };
    let embedder = match lib.load_embedder(&model) {
        Ok(e) => e,
        Err(e) => {
            tracing::warn!(error = %e, "vector search unavailable");
            lib.set_vector_state(VectorState::Unavailable(e.to_string()));
            return marks;
        }
    };
    let started = Instant::now();
    match lib.load_vectors(&model, embedder.dimension()) {
        Ok(vectors) => {
            tracing::info!(
                model,
                count = vectors.len(),
                ms = started.elapsed().as_millis() as u64,
                "vectors loaded"
            );
            *write(&lib.vectors) = Some(vectors);
            lib.set_query_embedder(Some(embedder));
            lib.set_vector_state(VectorState::Ready);
        }
        Err(e) => lib.set_vector_state(VectorState::Unavailable(format!("loading vectors failed: {e}"))),
    }
    marks
}

/// Follower: when another process committed, reload the index reader,
/// add new vectors, and follow a change of active model.
fn refresh(lib: &Library, marks: &mut (i64, i64)) -> Result<()> {
    let version = lib.store.data_version()?;
    {
        let mut last = super::library::lock(&lib.last_refresh);
        if last.0 == version {
            return Ok(());
        }
        *last = (version, Instant::now());
    }
    if let Some(index) = lib.index() {
        index.reload()?;
    }
    let active = lib.active_model()?;
    if let Some(current) = lib.query_embedder()
        && current.model_id() != active
    {
        *marks = load_active(lib);
        return Ok(());
    }
    let (rows, vector_mark, chunk_mark) = lib.store.vectors_since(&active, marks.0, marks.1)?;
    *marks = (vector_mark, chunk_mark);
    if !rows.is_empty()
        && let Some(v) = write(&lib.vectors).as_mut()
    {
        for r in rows {
            v.upsert(r.chunk_id as u64, r.conversation_id.as_deref(), &r.vector);
        }
    }
    Ok(())
}

fn become_leader(lib: &Arc<Library>) -> Result<()> {
    let dir = lib.settings.data_dir.join("index");
    let index = Arc::new(TextIndex::open_or_create(&dir)?);
    index.acquire_writer()?;
    lib.set_index(Arc::clone(&index));
    let (requeued, gave_up) = lib.store.recover_jobs(&lib.instance, 3)?;
    if requeued + gave_up > 0 {
        tracing::info!(requeued, gave_up, "recovered the jobs of a stopped process");
    }
    let _ = std::fs::remove_dir_all(lib.settings.data_dir.join("spill"));
    reconcile(lib, &index, index.created())?;
    if lib.embeddings_on() {
        let target = lib.target_model();
        if lib.store.meta(ACTIVE_MODEL_KEY)?.is_none() {
            lib.store.set_meta(ACTIVE_MODEL_KEY, &target)?;
        }
        for doc in lib.store.documents_missing_vectors(&target)? {
            let payload = serde_json::json!({ "document_id": doc }).to_string();
            lib.store.enqueue_unique(&NewJob { kind: EMBED.into(), payload, batch: None })?;
        }
    }
    lib.store.prune_jobs(now_ms() - 7 * 24 * 3600 * 1000)?;
    for folder in lib.store.folders()? {
        let payload = serde_json::json!({ "folder": folder.path }).to_string();
        lib.store.enqueue_unique(&NewJob { kind: RESCAN.into(), payload, batch: None })?;
    }
    tracing::info!(pid = std::process::id(), "this process leads the library");
    let ingest = Arc::clone(lib);
    lib.add_thread(crate::spawn::background_thread("gogga-ingest", move || worker::run_ingest(&ingest))?);
    let embed = Arc::clone(lib);
    lib.add_thread(crate::spawn::background_thread("gogga-embed", move || super::embedding::run(&embed))?);
    let watch = Arc::clone(lib);
    lib.add_thread(crate::spawn::thread("gogga-watch", move || super::watch::run(&watch))?);
    Ok(())
}

/// Make the index hold exactly SQLite's chunks: add the missing, delete
/// the extra (a crash between the two commits leaves either). A new or
/// badly off index is rebuilt whole. Returns (added, deleted).
pub(crate) fn reconcile(lib: &Library, index: &TextIndex, rebuild: bool) -> Result<(usize, usize)> {
    let in_store: Vec<u64> = lib.store.all_chunk_ids()?.into_iter().map(|i| i as u64).collect();
    if rebuild {
        return rebuild_index(lib, index).map(|n| (n, 0));
    }
    let in_index = index.chunk_ids()?;
    let (missing, extra) = diff(&in_store, &in_index);
    if missing.is_empty() && extra.is_empty() {
        return Ok((0, 0));
    }
    tracing::warn!(
        missing = missing.len(),
        extra = extra.len(),
        "the full-text index disagrees with SQLite: repairing"
    );
    index.delete_chunks(&extra)?;
    for page in missing.chunks(4096) {
        let ids: Vec<i64> = page.iter().map(|i| *i as i64).collect();
        let rows = lib.store.index_chunks(&ids)?;
        index.upsert(&rows.into_iter().map(worker::index_doc).collect::<Vec<_>>())?;
    }
    index.commit()?;
    Ok((missing.len(), extra.len()))
}

/// Empty the index and fill it from SQLite, committing once at the end
/// (readers see the old index until then). Returns the chunk count.
pub(crate) fn rebuild_index(lib: &Library, index: &TextIndex) -> Result<usize> {
    index.delete_all()?;
    let mut count = 0;
    let result = lib.store.for_each_index_chunk(4096, |rows| {
        count += rows.len();
        index.upsert(&rows.into_iter().map(worker::index_doc).collect::<Vec<_>>())?;
        if lib.stopping() { Err(Error::new(ErrorKind::Cancelled, "stopping")) } else { Ok(()) }
    });
    if let Err(e) = result {
        index.rollback()?;
        return Err(e);
    }
    index.commit()?;
    Ok(count)
}

/// (in `a` not `b`, in `b` not `a`) of two ascending lists.
pub(crate) fn diff(a: &[u64], b: &[u64]) -> (Vec<u64>, Vec<u64>) {
    let (mut i, mut j) = (0, 0);
    let (mut only_a, mut only_b) = (Vec::new(), Vec::new());
    while i < a.len() || j < b.len() {
        match (a.get(i), b.get(j)) {
            (Some(x), Some(y)) if x == y => {
                i += 1;
                j += 1;
            }
            (Some(x), Some(y)) if x < y => {
                only_a.push(*x);
                i += 1;
            }
            (Some(x), None) => {
                only_a.push(*x);
                i += 1;
            }
            (_, Some(y)) => {
                only_b.push(*y);
                j += 1;
            }
            (None, None) => break,
        }
    }
    (only_a, only_b)
}
