//! The leader's embedding worker. It leases `embed` jobs (one per document
//! whose chunks changed), gathers their chunks that have no vector of the
//! target model yet (text hashes already embedded anywhere are skipped, so
//! nothing is embedded twice, also after a crash), embeds them in slices
//! of [`SLICE`] texts, and stores each slice in its own transaction: a
//! crash loses at most the slice in flight. When the target model differs
//! from the active one (the model was changed), vectors are made in the
//! background while search keeps using the old ones; once every chunk has
//! a vector of the new model, search switches and the old vectors go.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::embed::{Embedder, SLICE};
use crate::error::{Error, ErrorKind, Result};
use crate::store::{JobRow, PendingChunk, now_ms};

use super::chunk::embed_text;
use super::library::{ACTIVE_MODEL_KEY, Library, VectorState, write};
use super::worker::{DocumentJob, EMBED};

const LEASE_MS: i64 = 5 * 60 * 1000;
/// Documents leased together (small documents fill a slice together).
const JOBS_PER_LEASE: usize = 64;
/// Chunks read from SQLite per round.
const ROUND: usize = 4 * SLICE;

pub(crate) fn run(lib: &Arc<Library>) {
    if !lib.embeddings_on() {
        return;
    }
    let target = lib.target_model();
    let embedder = match lib.query_embedder().filter(|e| e.model_id() == target) {
        Some(e) => e,
        None => match lib.load_embedder(&target) {
            Ok(e) => e,
            Err(e) => {
                tracing::warn!(error = %e, "embedding worker not started: no embedder");
                return;
            }
        },
    };
    while !lib.stopping() {
        if lib.paused.load(std::sync::atomic::Ordering::Relaxed) {
            lib.signal.wait(Duration::from_millis(500));
            continue;
        }
        let jobs = match lib.store.lease_jobs(EMBED, &lib.instance, LEASE_MS, JOBS_PER_LEASE) {
            Ok(j) => j,
            Err(e) => {
                tracing::error!(error = %e, "leasing embedding jobs");
                lib.signal.wait(Duration::from_secs(1));
                continue;
            }
        };
        if jobs.is_empty() {
            // The supervisor frees the query embedder when idle; this one
            // differs from it while a new model's vectors are being made.
            embedder.release_idle(super::supervisor::EMBEDDER_IDLE);
            if let Err(e) = maybe_switch_model(lib, &embedder) {
                tracing::error!(error = %e, "switching the embedding model");
            }
            lib.signal.wait(Duration::from_millis(500));
            continue;
        }
        let ids: Vec<i64> = jobs.iter().map(|j| j.id).collect();
        match embed_documents(lib, embedder.as_ref(), &jobs) {
            Ok(()) => {
                let done: Vec<(i64, String)> = ids.iter().map(|id| (*id, "embedded".to_owned())).collect();
                if let Err(e) = lib.store.finish_jobs(&done) {
                    tracing::error!(error = %e, "finishing embedding jobs");
                }
            }
            Err(e) => {
                let retry = if e.kind() == ErrorKind::Cancelled { Some(0) } else { Some(now_ms() + 60_000) };
                for job in &jobs {
                    let give_up = e.kind() != ErrorKind::Cancelled && job.attempts >= 3;
                    let _ =
                        lib.store.fail_job(job.id, e.code(), e.message(), if give_up { None } else { retry });
                }
                if e.kind() != ErrorKind::Cancelled {
                    tracing::error!(error = %e, "embedding failed");
                }
            }
        }
    }
}

fn embed_documents(lib: &Library, embedder: &dyn Embedder, jobs: &[JobRow]) -> Result<()> {
    let model = embedder.model_id().to_owned();
    // Counting what is left scans every chunk: once per lease, then counted
    // down (a count per slice made 100k-chunk libraries crawl).
    let mut missing = lib.store.count_missing_vectors(&model).unwrap_or(0).max(0) as u64;
    let live = lib.active_model()? == model;
    let docs: Vec<String> = jobs
        .iter()
        .filter_map(|j| serde_json::from_str::<DocumentJob>(&j.payload).ok())
        .map(|p| p.document_id)
        .collect();
    let ids: Vec<i64> = jobs.iter().map(|j| j.id).collect();
    let mut lease_renewed = Instant::now();
    let mut cursor = 0;
    loop {
        let pending = lib.store.pending_chunks(&docs, &model, cursor, ROUND)?;
        let Some(last) = pending.last() else { return Ok(()) };
        cursor = last.id;
        // One vector per distinct text; every chunk with that text gets it.
        let mut by_hash: HashMap<Vec<u8>, Vec<&PendingChunk>> = HashMap::new();
        let mut order = Vec::new();
        for c in &pending {
            let entry = by_hash.entry(c.hash.clone()).or_default();
            if entry.is_empty() {
                order.push(c.hash.clone());
            }
            entry.push(c);
        }
        let known = lib.store.hashes_with_vectors(&model, &order)?;
        order.retain(|h| !known.contains(h));
        for slice in order.chunks(SLICE) {
            if lib.stopping() {
                return Err(Error::new(ErrorKind::Cancelled, "stopping"));
            }
            let texts: Vec<String> = slice
                .iter()
                .filter_map(|h| by_hash.get(h).and_then(|v| v.first()))
                .map(|c| embed_text(&c.heading, &c.text))
                .collect();
            let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
            let started = Instant::now();
            let vectors = embedder.embed(&refs)?;
            let pairs: Vec<(Vec<u8>, Vec<f32>)> = slice.iter().cloned().zip(vectors).collect();
            lib.store.put_vectors(&model, &pairs)?;
            let took = started.elapsed();
            if live && let Some(index) = write(&lib.vectors).as_mut() {
                for (hash, v) in &pairs {
                    for c in by_hash.get(hash).into_iter().flatten() {
                        index.upsert(c.id as u64, c.conversation_id.as_deref(), v);
                    }
                }
            }
            let chunks: u64 = slice.iter().map(|h| by_hash.get(h).map_or(0, Vec::len) as u64).sum();
            missing = missing.saturating_sub(chunks);
            super::progress::chunks_done(lib, chunks, took, missing);
            if lease_renewed.elapsed() > Duration::from_millis((LEASE_MS / 3) as u64) {
                lib.store.extend_leases(&ids, &lib.instance, LEASE_MS)?;
                lease_renewed = Instant::now();
            }
        }
        // Chunks whose text was embedded elsewhere: into memory too.
        if live {
            let reused: Vec<i64> = pending.iter().filter(|c| known.contains(&c.hash)).map(|c| c.id).collect();
            if !reused.is_empty() {
                let rows = lib.store.chunk_vectors(&model, &reused)?;
                if let Some(index) = write(&lib.vectors).as_mut() {
                    for r in rows {
                        index.upsert(r.chunk_id as u64, r.conversation_id.as_deref(), &r.vector);
                    }
                }
            }
        }
    }
}

/// Move search to the target model once all its vectors exist.
fn maybe_switch_model(lib: &Library, embedder: &Arc<dyn Embedder>) -> Result<()> {
    let target = embedder.model_id();
    let active = lib.active_model()?;
    if active == target || lib.store.count_missing_vectors(target)? > 0 {
        return Ok(());
    }
    let vectors = lib.load_vectors(target, embedder.dimension())?;
    tracing::info!(
        from = active,
        to = target,
        count = vectors.len(),
        "search now uses the new embedding model"
    );
    *write(&lib.vectors) = Some(vectors);
    lib.set_query_embedder(Some(Arc::clone(embedder)));
    lib.store.set_meta(ACTIVE_MODEL_KEY, target)?;
    lib.set_vector_state(VectorState::Ready);
    let pruned = lib.store.prune_vectors(&[target])?;
    tracing::info!(pruned, "old vectors removed");
    Ok(())
}
