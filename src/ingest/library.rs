//! [`Library`]: the document library of one process. It holds the store,
//! the full-text index (reader always, writer when leader), the vectors of
//! the active model in memory and the query embedder, and runs the
//! background: a supervisor thread that loads the embedder and vectors
//! (so opening Gogga never waits for them), competes for leadership, and
//! once leader reconciles the index with SQLite and starts the ingest,
//! embedding and watch workers; a follower instead refreshes its reader
//! and vectors when another process commits. Dropping the last
//! [`LibraryHandle`] stops every thread.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, RwLock};
use std::time::{Duration, Instant};

use crate::embed::{Assets, EmbedConfig, Embedder, LazyEmbedder};
use crate::error::{Error, ErrorKind, Result};
use crate::event::EventBus;
use crate::search::{TextIndex, VectorIndex};
use crate::store::Store;

use super::LibraryConfig;
use super::leader::LeaderLock;

/// Meta key of the model whose vectors search uses.
pub(crate) const ACTIVE_MODEL_KEY: &str = "library.active_model";

/// Whether vector search can run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum VectorState {
    /// Not loaded: a process without workers loads them on first search.
    Idle,
    Loading,
    Ready,
    Unavailable(String),
}

/// Wakes sleeping workers when there is work or when stopping.
#[derive(Debug, Default)]
pub(crate) struct Signal {
    generation: Mutex<u64>,
    cond: Condvar,
}

impl Signal {
    pub(crate) fn notify(&self) {
        *lock(&self.generation) += 1;
        self.cond.notify_all();
    }

    /// Sleep until notified or `timeout` passes.
    pub(crate) fn wait(&self, timeout: Duration) {
        let guard = lock(&self.generation);
        let start = *guard;
        let _ = self.cond.wait_timeout_while(guard, timeout, |g| *g == start);
    }
}

pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn read<T>(m: &RwLock<T>) -> std::sync::RwLockReadGuard<'_, T> {
    m.read().unwrap_or_else(std::sync::PoisonError::into_inner)
}

pub(crate) fn write<T>(m: &RwLock<T>) -> std::sync::RwLockWriteGuard<'_, T> {
    m.write().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// How the library is set up.
#[derive(Debug, Clone)]
pub(crate) struct Settings {
    pub data_dir: PathBuf,
    pub cache_dir: PathBuf,
    pub resource_dir: Option<PathBuf>,
    pub library: LibraryConfig,
    pub embedding: EmbedConfig,
    /// Take part in leader election and run workers.
    pub workers: bool,
    /// Use these embedders instead of loading models (tests); the first
    /// makes new vectors.
    pub embedders: Vec<Arc<dyn Embedder>>,
    /// Where files switch from memory to streaming.
    pub limits: super::pipeline::Limits,
}

/// Counters behind progress events and `gogga status`.
#[derive(Debug, Clone, Default)]
pub(crate) struct Progress {
    pub files_done: u64,
    pub files_total: u64,
    pub files_failed: u64,
    pub chunks_done: u64,
    pub chunks_total: u64,
    /// Chunks per second, smoothed.
    pub rate: f64,
    /// When the rate was last recorded in the store.
    pub rate_saved_at: Option<Instant>,
    /// The totals of the last run that ended (what "done" shows).
    pub last_run: Option<Box<Progress>>,
}

/// The library of one process.
#[derive(Debug)]
pub(crate) struct Library {
    pub store: Store,
    pub events: EventBus,
    pub settings: Settings,
    /// This process's worker id (job leases).
    pub instance: String,
    pub stop: AtomicBool,
    pub paused: AtomicBool,
    /// A search asked for vectors (a process without workers loads lazily).
    pub want_vectors: AtomicBool,
    pub signal: Signal,
    index: RwLock<Option<Arc<TextIndex>>>,
    pub vectors: RwLock<Option<VectorIndex>>,
    vector_state: Mutex<VectorState>,
    vector_ready: Condvar,
    query_embedder: RwLock<Option<Arc<dyn Embedder>>>,
    pub leader: Mutex<Option<LeaderLock>>,
    pub progress: Mutex<Progress>,
    threads: Mutex<Vec<std::thread::JoinHandle<()>>>,
    pub last_refresh: Mutex<(i64, Instant)>,
}

/// Keeps the library's threads alive; the last one dropped stops them.
#[derive(Debug)]
pub(crate) struct LibraryHandle(pub Arc<Library>);

impl Drop for LibraryHandle {
    fn drop(&mut self) {
        self.0.request_stop();
    }
}

impl Library {
    /// Set up the library and start its background thread. Fast: the
    /// index reader opens (memory-mapped) if present; everything heavy
    /// happens in the background.
    pub fn open(store: Store, events: EventBus, settings: Settings) -> Result<LibraryHandle> {
        let index = TextIndex::open_existing(&settings.data_dir.join("index")).unwrap_or_else(|e| {
            tracing::warn!(error = %e, "the full-text index cannot be opened yet");
            None
        });
        let settings_workers = settings.workers;
        let library = Arc::new(Library {
            store,
            events,
            settings,
            instance: crate::id::new_id(),
            stop: AtomicBool::new(false),
            paused: AtomicBool::new(false),
            want_vectors: AtomicBool::new(false),
            signal: Signal::default(),
            index: RwLock::new(index.map(Arc::new)),
            vectors: RwLock::new(None),
            vector_state: Mutex::new(if settings_workers { VectorState::Loading } else { VectorState::Idle }),
            vector_ready: Condvar::new(),
            query_embedder: RwLock::new(None),
            leader: Mutex::new(None),
            progress: Mutex::new(Progress::default()),
            threads: Mutex::new(Vec::new()),
            last_refresh: Mutex::new((i64::MIN, Instant::now())),
        });
        let supervisor = Arc::clone(&library);
        let handle =
            crate::spawn::background_thread("gogga-library", move || super::supervisor::run(&supervisor))?;
        library.add_thread(handle);
        Ok(LibraryHandle(library))
    }

    pub fn add_thread(&self, handle: std::thread::JoinHandle<()>) {
        lock(&self.threads).push(handle);
    }

    pub fn stopping(&self) -> bool {
        self.stop.load(Ordering::Relaxed)
    }

    pub fn request_stop(&self) {
        self.stop.store(true, Ordering::Relaxed);
        self.signal.notify();
        self.vector_ready.notify_all();
    }

    /// Stop and wait for every thread; the leader lock is released.
    pub fn shutdown(&self) {
        self.request_stop();
        loop {
            let next = lock(&self.threads).pop();
            let Some(handle) = next else { break };
            let _ = handle.join();
        }
        if let Some(index) = self.index() {
            index.release_writer();
        }
        lock(&self.leader).take();
    }

    /// Undo a failed take-over: drop the index writer (workers start only
    /// as its last step, so none run); the lock is not published.
    pub fn abandon_takeover(&self) {
        if let Some(index) = self.index() {
            index.release_writer();
        }
    }

    /// Whether this process leads.
    pub fn is_leader(&self) -> bool {
        lock(&self.leader).is_some()
    }

    /// The full-text index, opening it if another process created it since.
    pub fn index(&self) -> Option<Arc<TextIndex>> {
        if let Some(i) = read(&self.index).as_ref() {
            return Some(Arc::clone(i));
        }
        let opened = TextIndex::open_existing(&self.settings.data_dir.join("index")).ok().flatten()?;
        let opened = Arc::new(opened);
        *write(&self.index) = Some(Arc::clone(&opened));
        Some(opened)
    }

    pub fn set_index(&self, index: Arc<TextIndex>) {
        *write(&self.index) = Some(index);
    }

    /// The full-text index, or a `Search` error saying it is not there yet.
    pub fn require_index(&self) -> Result<Arc<TextIndex>> {
        self.index().ok_or_else(|| {
            Error::new(ErrorKind::Search, "the full-text index is not ready yet (no process has created it)")
        })
    }

    pub fn set_vector_state(&self, state: VectorState) {
        *lock(&self.vector_state) = state;
        self.vector_ready.notify_all();
    }

    pub fn vector_state(&self) -> VectorState {
        lock(&self.vector_state).clone()
    }

    /// Wait (at most `timeout`) while vectors are loading; the state then.
    pub fn wait_vectors(&self, timeout: Duration) -> VectorState {
        self.want_vectors.store(true, Ordering::Relaxed);
        self.signal.notify();
        let guard = lock(&self.vector_state);
        let (guard, _) = self
            .vector_ready
            .wait_timeout_while(guard, timeout, |s| {
                matches!(s, VectorState::Loading | VectorState::Idle) && !self.stopping()
            })
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        guard.clone()
    }

    pub fn query_embedder(&self) -> Option<Arc<dyn Embedder>> {
        read(&self.query_embedder).clone()
    }

    pub fn set_query_embedder(&self, e: Option<Arc<dyn Embedder>>) {
        *write(&self.query_embedder) = e;
    }

    /// The model new vectors are made with.
    pub fn target_model(&self) -> String {
        match self.settings.embedders.first() {
            Some(e) => e.model_id().to_owned(),
            None => self.settings.embedding.model.clone(),
        }
    }

    /// The model whose vectors search uses (stored, so every process agrees).
    pub fn active_model(&self) -> Result<String> {
        Ok(self.store.meta(ACTIVE_MODEL_KEY)?.unwrap_or_else(|| self.target_model()))
    }

    /// An embedder for `model`: the injected one if it is that model, else
    /// the real one from the located assets, checked but not loaded yet
    /// (it loads on first use; see [`LazyEmbedder`]).
    pub fn load_embedder(&self, model: &str) -> Result<Arc<dyn Embedder>> {
        if !self.settings.embedders.is_empty() {
            return match self.settings.embedders.iter().find(|e| e.model_id() == model) {
                Some(e) => Ok(Arc::clone(e)),
                None => Err(Error::new(
                    ErrorKind::Embed,
                    format!("no embedder for model {model} in this process"),
                )),
            };
        }
        if !self.settings.embedding.enabled {
            return Err(Error::new(
                ErrorKind::NotConfigured,
                "embeddings are turned off (embedding.enabled = false)",
            ));
        }
        let config = EmbedConfig { model: model.to_owned(), ..self.settings.embedding.clone() };
        let assets = Assets::locate(&config, &self.settings.cache_dir, self.settings.resource_dir.as_deref());
        Ok(Arc::new(LazyEmbedder::new(&assets, model, &config)?))
    }

    /// Load the active model's vectors from SQLite into a new index.
    pub fn load_vectors(&self, model: &str, dim: usize) -> Result<VectorIndex> {
        let mut index = VectorIndex::new(model, dim);
        let mut skipped = 0usize;
        self.store.for_each_chunk_vector(model, 8192, |rows| {
            index.reserve(rows.len());
            for r in rows {
                if !index.upsert(r.chunk_id as u64, r.conversation_id.as_deref(), &r.vector) {
                    skipped += 1;
                }
            }
            if self.stopping() { Err(Error::new(ErrorKind::Cancelled, "stopping")) } else { Ok(()) }
        })?;
        if skipped > 0 {
            tracing::warn!(skipped, model, "vectors of another length were left out");
        }
        Ok(index)
    }

    /// Whether vectors are made at all (config, or embedders given).
    pub fn embeddings_on(&self) -> bool {
        self.settings.embedding.enabled || !self.settings.embedders.is_empty()
    }

    pub fn limits(&self) -> super::pipeline::Limits {
        self.settings.limits
    }
}
