//! The ingest worker's extraction stage: a thread that runs leased file
//! jobs through the pipeline (stat, read, hash, sniff, decode, extract,
//! chunk) while the worker stores and indexes the batch before. Profiling
//! showed the worker spending about a quarter of its time extracting and
//! the rest in SQLite and index commits, one after the other; with the two
//! on separate threads, both cores stay busy.
//!
//! Guarantees: it writes nothing (job states, documents and chunks are the
//! worker's); files come back one at a time in the order they were sent,
//! each batch closed by [`Extracted::BatchEnd`], over a bounded channel, so
//! at most [`AHEAD_FILES`] extracted files wait in memory whatever the
//! batch size; a batch sent while the library is stopping comes back as
//! [`Extracted::Stopped`] files, for the worker to put back in the queue.

use std::path::Path;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, SyncSender, channel, sync_channel};
use std::time::{Duration, Instant};

use crate::error::{Error, Result};
use crate::store::JobRow;

use super::library::Library;
use super::pipeline::{self, Outcome};
use super::worker::{IngestJob, LEASE_MS};

/// Extracted files that may wait for the worker (bounds memory: a file
/// held in memory is at most `Limits::in_memory_bytes`).
const AHEAD_FILES: usize = 16;

/// One file job after extraction, or the end of a batch.
#[derive(Debug)]
#[expect(clippy::large_enum_variant, reason = "nearly every message is a file; boxing it buys nothing")]
pub(crate) enum Extracted {
    /// The job's file went through the pipeline.
    File {
        job: JobRow,
        path: String,
        /// Whether the file was in the library when it was looked at.
        known: bool,
        outcome: Outcome,
    },
    /// The payload could not be read.
    Invalid { job: JobRow, message: String },
    /// The library is stopping: the job goes back to the queue.
    Stopped { job: JobRow },
    /// Looking the file up in the store failed; the batch stops here.
    Failed { error: Error },
    /// Every job of the batch was sent.
    BatchEnd,
}

/// The worker's handle on the extraction thread.
pub(crate) struct Extractor {
    jobs: Option<Sender<Vec<JobRow>>>,
    files: Receiver<Extracted>,
    thread: Option<std::thread::JoinHandle<()>>,
    /// Batches sent whose [`Extracted::BatchEnd`] was not received yet.
    in_flight: usize,
    lib: Arc<Library>,
}

impl Extractor {
    /// Start the thread.
    pub(crate) fn start(lib: &Arc<Library>) -> Result<Extractor> {
        let (jobs_tx, jobs_rx) = channel::<Vec<JobRow>>();
        let (files_tx, files_rx) = sync_channel(AHEAD_FILES);
        let worker_lib = Arc::clone(lib);
        let thread =
            crate::spawn::background_thread("gogga-extract", move || run(&worker_lib, &jobs_rx, &files_tx))?;
        Ok(Extractor {
            jobs: Some(jobs_tx),
            files: files_rx,
            thread: Some(thread),
            in_flight: 0,
            lib: Arc::clone(lib),
        })
    }

    /// Batches sent and not fully received.
    pub(crate) fn in_flight(&self) -> usize {
        self.in_flight
    }

    /// Hand a leased batch over (starting a new thread if the last one
    /// died: a panic in an extractor must not stop every later import).
    pub(crate) fn send(&mut self, batch: Vec<JobRow>) -> Result<()> {
        if self.jobs.is_none() || self.thread.as_ref().is_none_or(std::thread::JoinHandle::is_finished) {
            let lib = Arc::clone(&self.lib);
            *self = Extractor::start(&lib)?;
        }
        let sent = self.jobs.as_ref().is_some_and(|tx| tx.send(batch).is_ok());
        if !sent {
            return Err(Error::internal("the extraction thread stopped"));
        }
        self.in_flight += 1;
        Ok(())
    }

    /// The next file of the oldest batch in flight; `None` at its end.
    pub(crate) fn next(&mut self) -> Result<Option<Extracted>> {
        match self.files.recv() {
            Ok(Extracted::BatchEnd) => {
                self.in_flight -= 1;
                Ok(None)
            }
            Ok(item) => Ok(Some(item)),
            Err(_) => {
                // The thread died: what it held is lost; those jobs stay
                // leased and go back to the queue when their lease ends.
                self.in_flight = 0;
                Err(Error::internal("the extraction thread stopped"))
            }
        }
    }

    /// Receive and drop the rest of the oldest batch (after a store error:
    /// its jobs stay leased and are taken back when the lease runs out).
    pub(crate) fn skip_batch(&mut self) {
        while let Ok(Some(_)) = self.next() {}
    }
}

impl Drop for Extractor {
    fn drop(&mut self) {
        // Closing the job channel ends the thread's loop.
        self.jobs = None;
        while self.in_flight > 0 && self.next().is_ok() {}
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn run(lib: &Library, jobs: &Receiver<Vec<JobRow>>, files: &SyncSender<Extracted>) {
    let spill_dir = lib.settings.data_dir.join("spill");
    while let Ok(batch) = jobs.recv() {
        let ids: Vec<i64> = batch.iter().map(|j| j.id).collect();
        let mut leased_at = Instant::now();
        for job in batch {
            if leased_at.elapsed() > Duration::from_millis((LEASE_MS / 2) as u64) {
                if let Err(e) = lib.store.extend_leases(&ids, &lib.instance, LEASE_MS) {
                    tracing::warn!(error = %e, "extending ingest leases");
                }
                leased_at = Instant::now();
            }
            let item = extract(lib, job, &spill_dir);
            if files.send(item).is_err() {
                return;
            }
        }
        if files.send(Extracted::BatchEnd).is_err() {
            return;
        }
    }
}

fn extract(lib: &Library, job: JobRow, spill_dir: &Path) -> Extracted {
    if lib.stopping() {
        return Extracted::Stopped { job };
    }
    let p: IngestJob = match serde_json::from_str(&job.payload) {
        Ok(p) => p,
        Err(e) => {
            let message = format!("job {} has a bad payload: {e}", job.id);
            return Extracted::Invalid { job, message };
        }
    };
    let existing = match lib.store.document_by_path(&p.path, p.conversation_id.as_deref()) {
        Ok(row) => row,
        Err(error) => return Extracted::Failed { error },
    };
    let outcome = pipeline::process(
        Path::new(&p.path),
        p.conversation_id.as_deref(),
        existing.as_ref(),
        p.explicit,
        &lib.settings.library,
        spill_dir,
        lib.limits(),
    );
    Extracted::File { job, path: p.path, known: existing.is_some(), outcome }
}
