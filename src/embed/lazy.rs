//! [`LazyEmbedder`]: the real model, loaded on first use and let go when
//! idle. The ONNX session is most of an idle app's memory (~150–250 MB with
//! its arena) and the app may never embed in a session, so construction
//! only checks that the runtime loads and the model files are there (errors
//! stay early and clear) and reads the dimension from `config.json`; the
//! first `embed` builds the session (about half a second), and
//! [`Embedder::release_idle`] drops it again after a quiet spell.
//!
//! Questions get their own session on [`QUERY_THREADS`] thread: a search
//! embeds one short text while BM25 runs on the other core, and a
//! two-thread run of a dozen tokens mostly waits for its pool (measured:
//! BENCHMARKS.md, chat). It also keeps a question from queueing behind the
//! import worker's batch on the bulk session's lock. Each session loads
//! only when its kind of work comes, so a chat-only session holds one.

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use crate::error::Result;

use super::onnx::model_dimension;
use super::{Assets, EmbedConfig, Embedder, FastEmbedder, check_runtime};

/// ONNX Runtime threads of the question session.
pub const QUERY_THREADS: usize = 1;

/// A [`FastEmbedder`] for bulk work and one for questions, each behind a
/// load-on-first-use cell.
#[derive(Debug)]
pub struct LazyEmbedder {
    model_id: String,
    dim: usize,
    bulk: Cell,
    query: Cell,
}

/// One session, loaded when first asked for.
#[derive(Debug)]
struct Cell {
    assets: Assets,
    config: EmbedConfig,
    loaded: Mutex<Loaded>,
}

#[derive(Debug, Default)]
struct Loaded {
    model: Option<Arc<FastEmbedder>>,
    last_used: Option<Instant>,
    loads: u32,
}

impl Cell {
    fn state(&self) -> MutexGuard<'_, Loaded> {
        self.loaded.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The model, building it if needed. The lock is held while building
    /// so concurrent first callers wait for one load instead of racing.
    fn model(&self, model_id: &str) -> Result<Arc<FastEmbedder>> {
        let mut state = self.state();
        state.last_used = Some(Instant::now());
        if let Some(model) = &state.model {
            return Ok(Arc::clone(model));
        }
        let started = Instant::now();
        let model = Arc::new(FastEmbedder::load(&self.assets, model_id, &self.config)?);
        state.loads += 1;
        tracing::info!(
            model = model_id,
            threads = self.config.threads,
            ms = started.elapsed().as_millis() as u64,
            "embedding model loaded"
        );
        state.model = Some(Arc::clone(&model));
        Ok(model)
    }

    /// Run `work` on the model; the end of the work counts as use too, so
    /// a long import is not followed by an immediate unload and reload.
    fn with<T>(&self, model_id: &str, work: impl FnOnce(&FastEmbedder) -> Result<T>) -> Result<T> {
        let model = self.model(model_id)?;
        let out = work(&model);
        self.state().last_used = Some(Instant::now());
        out
    }

    fn release_idle(&self, idle: Duration) -> bool {
        let mut state = self.state();
        let quiet = state.last_used.is_some_and(|t| t.elapsed() >= idle);
        // A caller still embedding holds its own Arc: dropping ours only
        // frees the session once that call ends.
        quiet && state.model.take().is_some()
    }
}

impl LazyEmbedder {
    /// Check that `model_id` can be loaded from `assets` without loading
    /// it: the runtime library opens at a usable API level and the model
    /// folder has every file. Blocking (opens the runtime library once per
    /// process).
    pub fn new(assets: &Assets, model_id: &str, config: &EmbedConfig) -> Result<LazyEmbedder> {
        check_runtime(assets.require_runtime()?)?;
        let dim = model_dimension(assets.require_model(model_id)?)?;
        let cell = |config: EmbedConfig| Cell {
            assets: assets.clone(),
            config,
            loaded: Mutex::new(Loaded::default()),
        };
        Ok(LazyEmbedder {
            model_id: model_id.to_owned(),
            dim,
            bulk: cell(config.clone()),
            query: cell(EmbedConfig { threads: Some(QUERY_THREADS), ..config.clone() }),
        })
    }

    /// Whether a session (bulk or question) is in memory now.
    pub fn is_loaded(&self) -> bool {
        self.bulk.state().model.is_some() || self.query.state().model.is_some()
    }

    /// How many times a session was built, bulk and question together
    /// (tests: loads and reloads).
    pub fn loads(&self) -> u32 {
        self.bulk.state().loads + self.query.state().loads
    }
}

impl Embedder for LazyEmbedder {
    fn model_id(&self) -> &str {
        &self.model_id
    }

    fn dimension(&self) -> usize {
        self.dim
    }

    fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>> {
        self.bulk.with(&self.model_id, |m| m.embed(texts))
    }

    fn embed_query(&self, text: &str) -> Result<Vec<f32>> {
        self.query.with(&self.model_id, |m| m.embed_query(text))
    }

    fn prepare_query(&self) -> Result<()> {
        self.query.model(&self.model_id).map(drop)
    }

    fn release_idle(&self, idle: Duration) -> bool {
        // Both, not short-circuited: each session is checked on its own.
        let freed = [self.bulk.release_idle(idle), self.query.release_idle(idle)];
        let any = freed.contains(&true);
        if any {
            tracing::info!(model = self.model_id, ?freed, "embedding model unloaded after being idle");
        }
        any
    }
}
